"""Asking for a cycle's rankings to be recomputed, and publishing a recompute: the coalescing
and the atomic swap of snapshots.

A change asks (:func:`request_rankings`): the cycle's status records when, and one delayed
recompute message is queued unless one already waits, so a burst of a thousand submissions
queues one recompute of the cycle, not a thousand. The recompute (:func:`publish_rankings`)
takes the requests up to its start, computes a whole snapshot in one transaction, and points
the status at it in that same transaction.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from redline import outbox
from redline.db import unit_of_work, utcnow
from scoring.assessments.models import Cycle
from scoring.assessments.previous import next_cycles
from scoring.rankings.models import RankingSnapshot, RankingStatus
from tenants import audit

log = logging.getLogger(__name__)

PUBLISH_ACTOR = "scoring.publish_rankings"
# A recompute waits this long after the first change asks for it, gathering the rest of a burst.
COALESCE_DELAY_MS = 2_000


def status_of(session: Session, cycle_id: int, *, lock: bool = False) -> RankingStatus | None:
    """The cycle's ranking status (``lock``: for update, until the transaction ends)."""
    query = select(RankingStatus).where(RankingStatus.cycle_id == cycle_id)
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def request_rankings(
    session: Session, cycle: Cycle, *, now: datetime | None = None
) -> RankingStatus:
    """Record that the cycle's rankings are out of date and queue one recompute unless one
    waits already. The caller commits (the message is sent after the commit)."""
    now = now or utcnow()
    status = status_of(session, cycle.id, lock=True)
    if status is None:
        status = RankingStatus(customer_id=cycle.customer_id, cycle_id=cycle.id, queued=False)
        session.add(status)
    if status.requested_at is None or now > status.requested_at:
        status.requested_at = now
    if not status.queued:
        status.queued = True
        outbox.enqueue(
            session,
            PUBLISH_ACTOR,
            cycle.id,
            customer_id=cycle.customer_id,
            delay_ms=COALESCE_DELAY_MS,
        )
    return status


def publish_rankings(
    sessions: sessionmaker[Session], cycle_id: int, *, force: bool = False
) -> RankingSnapshot | None:
    """Recompute and publish the cycle's rankings if a change asked for it (``force``: anyway).

    Idempotent: run twice, the second finds nothing pending and does nothing. Returns the
    snapshot published, or None.
    """
    # Imported here: computing reads the scoring services, which ask for rankings.
    from scoring.rankings.compute import compute_snapshot, prune_snapshots

    with sessions() as session, unit_of_work(session):
        status = status_of(session, cycle_id, lock=True)
        if status is None:
            if not force:
                return None
            cycle = session.get(Cycle, cycle_id)
            if cycle is None:
                return None
            status = RankingStatus(customer_id=cycle.customer_id, cycle_id=cycle_id)
            session.add(status)
        status.queued = False
        based_on = status.requested_at
        if not force and not status.pending:
            return None
    started = time.monotonic()
    with sessions() as session:
        try:
            cycle = session.get_one(Cycle, cycle_id)
            now = utcnow()
            snapshot = compute_snapshot(session, cycle, based_on=based_on, now=now)
            status = status_of(session, cycle_id, lock=True)
            assert status is not None
            newer = (
                status.computed_through is not None
                and based_on is not None
                and status.computed_through > based_on
            )
            if newer:  # a later recompute published while this one computed: keep that one
                session.rollback()
                return None
            snapshot.duration_ms = int((time.monotonic() - started) * 1000)
            status.snapshot_id = snapshot.id
            status.computed_through = based_on
            status.computed_at = now
            status.last_error = None
            prune_snapshots(session, cycle_id)
            # The next cycle's ranks moved against this one's (a result vetoed late): its
            # rankings, where published, are asked for again.
            for later in next_cycles(session, cycle):
                if status_of(session, later.id) is not None:
                    request_rankings(session, later, now=now)
            audit.record(
                session,
                audit.Who(None, "system"),
                "publishRankings",
                customer_id=cycle.customer_id,
                node_id=cycle.owner_node_id,
                subject=f"RankingSnapshot:{snapshot.id}",
                details={
                    "cycle": cycle_id,
                    "version": snapshot.version,
                    "ranked": snapshot.ranked_count,
                },
            )
            session.commit()
        except Exception as exc:
            session.rollback()
            _record_failure(sessions, cycle_id, exc)
            raise
    log.info(
        "rankings of cycle %s published: version %s, %s ranked, %s ms",
        cycle_id,
        snapshot.version,
        snapshot.ranked_count,
        snapshot.duration_ms,
    )
    return snapshot


def _record_failure(sessions: sessionmaker[Session], cycle_id: int, exc: Exception) -> None:
    with sessions() as session, unit_of_work(session):
        status = status_of(session, cycle_id, lock=True)
        if status is not None:
            status.last_error = f"{type(exc).__name__}: {exc}"[:500]
