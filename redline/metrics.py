"""Prometheus metrics: request latency by GraphQL operation, job durations, queue depth and the
outbox's backlog, at ``GET /metrics`` (the API) and on a port of its own (``redline worker``).

Processes of one host share their figures through ``PROMETHEUS_MULTIPROC_DIR`` (gunicorn's
workers: see ``platform/gunicorn.conf.py``); without it each process reports its own. The
backlog (messages waiting per queue, unsent outbox rows) is counted when scraped, from Redis and
the database, so every scrape sees the whole deployment's.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Iterator
from typing import Any

import dramatiq
from dramatiq.middleware import Middleware
from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from redline.http import error_response
from redline.outbox import OutboxMessage

# Latency buckets (seconds): a page's read at tens of milliseconds up to a burst's slow tail.
REQUEST_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
JOB_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 600)

REQUEST_SECONDS = Histogram(
    "redline_request_seconds",
    "Time to answer a request, by GraphQL operation (a registered operation's name, "
    "'unregistered' for any other document) or route, and status class.",
    ["operation", "status"],
    buckets=REQUEST_BUCKETS,
)
JOB_SECONDS = Histogram(
    "redline_job_seconds",
    "Time a worker spent on a job, by actor and outcome (ok, failed).",
    ["actor", "outcome"],
    buckets=JOB_BUCKETS,
)

# The request's label is set by whoever knows it best (the GraphQL view names the operation).
OPERATION_KEY = "metrics_operation"
UNREGISTERED = "unregistered"


def registry(extra: Collector | None = None) -> CollectorRegistry:
    """What a scrape reads: every process's figures when they share a multiprocess directory,
    else this process's; and ``extra`` (counted when scraped)."""
    collected = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(collected)
    else:
        collected.register(REQUEST_SECONDS)
        collected.register(JOB_SECONDS)
    if extra is not None:
        collected.register(extra)
    return collected


class Backlog(Collector):
    """What waits, counted at each scrape: messages per job queue (waiting, delayed or being
    worked on), and the outbox's unsent rows with the age of the oldest."""

    def __init__(self, broker: dramatiq.Broker, engine: Engine) -> None:
        self.broker = broker
        self.engine = engine

    def collect(self) -> Iterator[Any]:
        queued = GaugeMetricFamily(
            "redline_queue_messages",
            "Messages in a job queue: waiting, delayed or being worked on.",
            labels=["queue"],
        )
        size = getattr(self.broker, "do_qsize", None)  # the Redis broker's count
        for queue in sorted(self.broker.get_declared_queues()):
            if size is not None:
                queued.add_metric([queue], size(queue))
        yield queued
        with self.engine.connect() as connection:
            unsent, oldest = connection.execute(
                select(func.count(), func.min(OutboxMessage.created_at)).where(
                    OutboxMessage.sent_at.is_(None)
                )
            ).one()
        yield GaugeMetricFamily(
            "redline_outbox_unsent", "Jobs asked for and not yet sent to the broker.", unsent
        )
        age = 0.0 if oldest is None else max(0.0, time.time() - oldest.timestamp())
        yield GaugeMetricFamily(
            "redline_outbox_oldest_unsent_seconds",
            "How long the oldest unsent job has waited (0 when none waits).",
            age,
        )


class JobTimer(Middleware):
    """Times each job a worker processes into ``redline_job_seconds``."""

    STARTED = "redline_started"

    def before_process_message(self, broker: dramatiq.Broker, message: Any) -> None:
        message.options[self.STARTED] = time.perf_counter()

    def after_process_message(
        self, broker: dramatiq.Broker, message: Any, *, result: Any = None, exception: Any = None
    ) -> None:
        started = message.options.pop(self.STARTED, None)
        if started is not None:
            outcome = "ok" if exception is None else "failed"
            JOB_SECONDS.labels(message.actor_name, outcome).observe(time.perf_counter() - started)

    def after_skip_message(self, broker: dramatiq.Broker, message: Any) -> None:
        message.options.pop(self.STARTED, None)  # skipped (too old, too late): not a job run


def init_app(app: Flask, backlog: Backlog) -> None:
    """Time every request; serve ``GET /metrics`` to a scraper sending the settings'
    ``metrics_token`` as a bearer token (none set: no /metrics, 404)."""

    @app.before_request
    def _start() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.pop("metrics_started", None)
        if started is not None and request.endpoint != "metrics":
            operation = g.pop(OPERATION_KEY, None) or request.endpoint or "unrouted"
            status = f"{response.status_code // 100}xx"
            REQUEST_SECONDS.labels(operation, status).observe(time.perf_counter() - started)
        return response

    @app.get("/metrics")
    def metrics() -> Response:
        """The Prometheus exposition of this deployment's figures."""
        token = current_app.extensions["redline"].settings.metrics_token
        if not token:
            abort(404)
        sent = request.headers.get("Authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            refused = error_response(
                401, "Send the metrics token as 'Authorization: Bearer <token>'", "UNAUTHENTICATED"
            )
            refused.headers["WWW-Authenticate"] = "Bearer"
            return refused
        return current_app.response_class(
            generate_latest(registry(backlog)), content_type=CONTENT_TYPE_LATEST
        )


def serve_worker_metrics(port: int) -> None:
    """Serve this worker process's figures (jobs' durations) on ``port`` at /metrics."""
    start_http_server(port, registry=registry())
