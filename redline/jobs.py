"""The job broker: dramatiq on Redis, its middleware, the project's actor decorator, the worker.

Actors are declared at import time on a placeholder broker and re-bound to the real one by
:func:`configure`, so modules can be imported before the process knows which Redis it uses.
Actors take ids, are idempotent, and reach the database through :func:`job_sessions`.
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
    Middleware,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)
from redis import Redis
from sqlalchemy.orm import Session, sessionmaker

_actors: list[dramatiq.Actor] = []
_sessions: sessionmaker[Session] | None = None


def middleware() -> list[Middleware]:
    """The middleware every broker runs, in order."""
    return [
        AgeLimit(),  # drop messages older than their max_age
        TimeLimit(time_limit=10 * 60 * 1000),  # no job runs longer than 10 minutes
        ShutdownNotifications(),  # long jobs learn of a shutdown and can stop cleanly
        Callbacks(),
        Pipelines(),
        Retries(max_retries=5, min_backoff=1000, max_backoff=60_000),  # exponential backoff
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


def redis_broker(client: Redis) -> RedisBroker:
    """A Redis broker on ``client``'s server."""
    return RedisBroker(client=client, middleware=middleware())


def stub_broker() -> StubBroker:
    """An in-memory broker for tests that only check what was enqueued."""
    return StubBroker(middleware=middleware())


def configure(broker: dramatiq.Broker, sessions: sessionmaker[Session]) -> dramatiq.Broker:
    """Make ``broker`` the process's broker and give jobs their database."""
    global _sessions
    for declared in _actors:
        declared.broker = broker
        broker.declare_actor(declared)
    dramatiq.set_broker(broker)
    _sessions = sessions
    return broker


def job_sessions() -> sessionmaker[Session]:
    """The session factory jobs use (system sessions: jobs act for no user)."""
    if _sessions is None:
        raise RuntimeError("redline.jobs.configure() was not called in this process")
    return _sessions


def start_worker(broker: dramatiq.Broker, threads: int = 2) -> dramatiq.Worker:
    """Start worker threads in this process (the demo; `redline worker` for production)."""
    worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=1000)
    worker.start()
    return worker
