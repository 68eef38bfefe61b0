"""Jobs: unsent outbox messages, job runs read afresh, a full recompute that crashes once, a
queue worked until empty."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline import jobs
from redline.outbox import OutboxMessage
from scoring.jobs import recompute
from scoring.jobs.runs import JobRun


def unsent(session: Session) -> list[OutboxMessage]:
    """The outbox's messages no broker took yet, oldest first (read after ending the session's
    transaction: what the relay committed)."""
    session.rollback()
    return list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id)
        )
    )


def job_run(session: Session, run_id: int) -> JobRun:
    """The job run as committed now (loaded objects outlive commits: it is read afresh)."""
    session.rollback()
    session.expire_all()
    return session.get_one(JobRun, run_id)


def crash_second_batch(monkeypatch: pytest.MonkeyPatch, error: str, *, batch_size: int) -> None:
    """The full recompute in batches of ``batch_size``, its second batch raising ``error`` (a
    worker killed, the database gone); every later batch, a retry's too, repairs as it would."""
    original = recompute.repair_batch
    calls = {"n": 0}

    def crashing(session, ids, **kw):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError(error)
        return original(session, ids, **kw)

    monkeypatch.setattr(recompute, "repair_batch", crashing)
    monkeypatch.setattr(recompute, "BATCH_SIZE", batch_size)


def run_queue(broker, queue: str) -> None:
    """Work ``queue`` on a worker of one thread until it is empty, then stop the worker."""
    worker = jobs.start_worker(broker, threads=1)
    try:
        broker.join(queue, timeout=10_000)
        worker.join()
    finally:
        worker.stop()
