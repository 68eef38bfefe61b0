"""Timing for the benchmarks: the median of repeated runs (machines here are shared and noisy)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(repeat: int, work: Callable[[], object]) -> float:
    """The median seconds of ``repeat`` runs of ``work``."""
    return timed_together(repeat, {"work": work})["work"]


def timed_together(repeat: int, works: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The median seconds of ``repeat`` runs of each of ``works``, run in turn within each round:
    contenders compared by ratio meet the same machine (it drifts from minute to minute)."""
    runs: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(repeat):
        for name, work in works.items():
            start = time.perf_counter()
            work()
            runs[name].append(time.perf_counter() - start)
    return {name: statistics.median(seconds) for name, seconds in runs.items()}
