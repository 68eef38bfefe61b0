"""The job broker: dramatiq on Redis, its middleware, the project's actor decorator, the worker.

Actors are declared at import time on a placeholder broker and re-bound to the real one by
:func:`configure`, so modules can be imported before the process knows which Redis it uses.
Actors take ids, are idempotent, and reach the database through :func:`job_sessions`.
Services never send a job themselves: they write it to the outbox (``redline.outbox``) in their
transaction, and it is sent after the commit. Periodic actors (``periodic=cron(...)``) are sent
by the periodiq scheduler, ``redline scheduler``; their cron times are UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    CurrentMessage,
    Middleware,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)
from periodiq import PeriodiqMiddleware
from redis import Redis
from sqlalchemy.orm import Session, sessionmaker

from redline import outbox
from redline.config import Settings
from redline.db import writer_sessions
from redline.metrics import JobTimer

_actors: list[dramatiq.Actor] = []
_sessions: sessionmaker[Session] | None = None
_settings: Settings | None = None


def middleware() -> list[Middleware]:
    """The middleware every broker runs, in order."""
    return [
        AgeLimit(),  # drop messages older than their max_age
        TimeLimit(time_limit=10 * 60 * 1000),  # no job runs longer than 10 minutes
        ShutdownNotifications(),  # long jobs learn of a shutdown and can stop cleanly
        Callbacks(),
        Pipelines(),
        Retries(max_retries=5, min_backoff=1000, max_backoff=60_000),  # exponential backoff
        # Scheduled messages more than 10 minutes late are skipped: the next one comes soon.
        PeriodiqMiddleware(skip_delay=10 * 60),
        JobTimer(),  # each job's duration, for the metrics
        CurrentMessage(),  # the job a log line was written in (redline.logs)
    ]


# Actors are declared on this until configure() re-binds them to the process's broker.
_placeholder = StubBroker(middleware=middleware())


def actor(name: str, **options: Any) -> Callable[[Callable[..., Any]], dramatiq.Actor]:
    """Declare a job named ``name`` (e.g. "scoring.recompute_rankings")."""

    def decorate(fn: Callable[..., Any]) -> dramatiq.Actor:
        declared = dramatiq.actor(fn, actor_name=name, broker=_placeholder, **options)
        _actors.append(declared)
        return declared

    return decorate


def redis_broker(client: Redis, *, heartbeat_timeout_ms: int = 60_000) -> RedisBroker:
    """A Redis broker on ``client``'s server.

    A worker that dies mid-job leaves its messages unacknowledged; once it has missed its
    heartbeats for ``heartbeat_timeout_ms``, another worker's queue maintenance puts them back.
    """
    # Maintenance (requeueing dead workers' messages) on 1 in 10 broker commands: a few a second.
    return RedisBroker(
        client=client,
        middleware=middleware(),
        heartbeat_timeout=heartbeat_timeout_ms,
        maintenance_chance=100_000,
    )


def stub_broker() -> StubBroker:
    """An in-memory broker for tests that only check what was enqueued."""
    return StubBroker(middleware=middleware())


def configure(
    broker: dramatiq.Broker, sessions: sessionmaker[Session], settings: Settings | None = None
) -> dramatiq.Broker:
    """Make ``broker`` the process's broker and give jobs their database (and the process's
    settings: where files are kept)."""
    global _sessions, _settings
    _settings = settings
    for declared in _actors:
        declared.broker = broker
        broker.declare_actor(declared)
    dramatiq.set_broker(broker)
    _sessions = writer_sessions(sessions)
    outbox.bind_broker(broker)
    return broker


def reset() -> None:
    """Forget the configured broker and database (tests; a process that stops using jobs)."""
    global _sessions, _settings
    _sessions = None
    _settings = None
    outbox.bind_broker(None)
    outbox.resume()


def job_sessions() -> sessionmaker[Session]:
    """The session factory jobs use (system sessions: jobs act for no user)."""
    if _sessions is None:
        raise RuntimeError("redline.jobs.configure() was not called in this process")
    return _sessions


def job_settings() -> Settings:
    """The settings jobs use: the process's, or the environment's when none were given."""
    return _settings if _settings is not None else Settings.from_env()


def start_worker(broker: dramatiq.Broker, threads: int = 2) -> dramatiq.Worker:
    """Start worker threads in this process (the demo; `redline worker` for production)."""
    worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=1000)
    worker.start()
    return worker
