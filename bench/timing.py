"""Timing for the benchmarks: the median of repeated runs (machines here are shared and noisy)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(repeat: int, work: Callable[[], object]) -> float:
    """The median seconds of ``repeat`` runs of ``work``."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)
