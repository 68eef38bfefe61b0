"""Log lines name the request or job they were written in; REDLINE_LOG_FORMAT=json writes them
as JSON objects."""

from __future__ import annotations

import io
import json
import logging

import dramatiq
from dramatiq.middleware import CurrentMessage
from flask import Flask, g

from redline.logs import log_handler


def _logger(handler: logging.Handler) -> logging.Logger:
    logger = logging.getLogger("redline.test-logs")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger


def test_a_json_line_names_its_request():
    stream = io.StringIO()
    logger = _logger(log_handler(json_lines=True, stream=stream))
    app = Flask("logs")
    with app.test_request_context("/graphql"):
        g.request_id = "req-42"
        logger.info("request %s refused (%s): %s", "req-42", "INVALID", "名称不能为空")
    line = json.loads(stream.getvalue())
    assert line["level"] == "INFO" and line["logger"] == "redline.test-logs"
    assert line["message"] == "request req-42 refused (INVALID): 名称不能为空"
    assert line["request_id"] == "req-42" and "time" in line
    assert "job_id" not in line
    assert "名称" in stream.getvalue()  # Chinese kept, not escaped


def test_a_line_names_its_job():
    stream = io.StringIO()
    logger = _logger(log_handler(json_lines=True, stream=stream))
    message = dramatiq.Message(
        queue_name="rankings", actor_name="scoring.publish_rankings", args=(7,), kwargs={},
        options={},
    )  # fmt: skip
    current = CurrentMessage()
    current.before_process_message(None, message)
    try:
        logger.warning("publishing cycle 7")
    finally:
        current.after_process_message(None, message)
    logger.info("after the job")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["job_id"] == message.message_id
    assert first["actor"] == "scoring.publish_rankings" and first["level"] == "WARNING"
    assert "job_id" not in second


def test_text_lines_stay_text():
    stream = io.StringIO()
    _logger(log_handler(json_lines=False, stream=stream)).info("plain")
    assert stream.getvalue().rstrip().endswith("INFO redline.test-logs: plain")
