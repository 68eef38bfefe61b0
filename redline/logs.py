"""Where the processes' logs go: one line per event on stderr, with time, level and source, and
the request or job it happened in; as JSON objects for a log collector (``REDLINE_LOG_FORMAT``)."""

from __future__ import annotations

import logging
import os
from typing import IO

from dramatiq.middleware import CurrentMessage
from flask import g, has_request_context
from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# The fields of a JSON line (with request_id, job_id and actor where there is one).
JSON_FIELDS = ("asctime", "levelname", "name", "message")
JSON_NAMES = {"asctime": "time", "levelname": "level", "name": "logger"}


class InContext(logging.Filter):
    """Names the request (its id, the one its answer carries) or the job (the message id and
    actor) a record was logged in, as ``request_id``, ``job_id`` and ``actor``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and "request_id" in g:
            record.request_id = g.request_id
        message = CurrentMessage.get_current_message()
        if message is not None:
            record.job_id = message.message_id
            record.actor = message.actor_name
        return True


def configure_logging() -> None:
    """Log INFO and up (``REDLINE_LOG_LEVEL`` to change it) to stderr, once per process: as
    text, or one JSON object a line with ``REDLINE_LOG_FORMAT=json``.

    Without it Python keeps only warnings: the refusals (one line each), the jobs' progress
    and the publications of rankings would be lost.
    """
    level = os.environ.get("REDLINE_LOG_LEVEL", "INFO").upper()
    json_lines = os.environ.get("REDLINE_LOG_FORMAT", "text").lower() == "json"
    logging.basicConfig(
        level=level if level in logging.getLevelNamesMapping() else "INFO",
        handlers=[log_handler(json_lines=json_lines)],
    )
    # WeasyPrint tells each of its seven steps of every PDF at INFO: keep its warnings only.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def log_handler(*, json_lines: bool, stream: IO[str] | None = None) -> logging.Handler:
    """The processes' handler: to ``stream`` (stderr), each record with its request or job, as
    a line of text or a JSON object (``time``, ``level``, ``logger``, ``message``, and
    ``request_id``, ``job_id``, ``actor`` where they apply; Chinese kept as it is)."""
    handler = logging.StreamHandler(stream)
    handler.addFilter(InContext())
    if json_lines:
        handler.setFormatter(
            JsonFormatter(list(JSON_FIELDS), rename_fields=JSON_NAMES, json_ensure_ascii=False)
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    return handler
