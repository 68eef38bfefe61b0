"""Where the processes' logs go: one line per event on stderr, with time, level and source."""

from __future__ import annotations

import logging
import os


def configure_logging() -> None:
    """Log INFO and up (``REDLINE_LOG_LEVEL`` to change it) to stderr, once per process.

    Without it Python keeps only warnings: the refusals (one line each), the jobs' progress
    and the publications of rankings would be lost.
    """
    level = os.environ.get("REDLINE_LOG_LEVEL", "INFO").upper()
    logging.basicConfig(
        level=level if level in logging.getLevelNamesMapping() else "INFO",
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # WeasyPrint tells each of its seven steps of every PDF at INFO: keep its warnings only.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
