"""Long jobs as users see them: what runs, for whom, its state and progress, its outcome; and
starting, advancing and finishing a run."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Select,
    Text,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from redline import outbox
from redline.db import Base, Document, UtcDateTime, enum_check, str_enum, unit_of_work, utcnow
from tenants.access import Actor
from tenants.models import Customer, ProvinceSharded, Role, TenantNode
from tenants.reading import province_of


class JobKind(enum.StrEnum):
    """The long jobs whose progress the API shows."""

    FULL_RECOMPUTE = "full_recompute"  # every open assessment re-scored, drift repaired
    OVERDUE_SWEEP = "overdue_sweep"  # overdue hazards and tasks flagged, units notified
    DEADLINE_REMINDERS = "deadline_reminders"  # reminders of deadlines coming up
    REPORT = "report"  # a report printed and kept


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class JobRun(Base, ProvinceSharded):
    """One run of a long job for one province: queued, running (with progress), then done.

    ``result`` holds what the run found ({"assessments": 312, "drifted": 2, ...}).
    """

    __tablename__ = "job_run"
    __table_args__ = (
        CheckConstraint(enum_check("kind", JobKind), name="kind"),
        CheckConstraint(enum_check("state", JobState), name="state"),
        Index("ix_job_run_customer_kind", "customer_id", "kind", "id"),
    )

    kind: Mapped[JobKind] = mapped_column(str_enum(JobKind, 40))
    state: Mapped[JobState] = mapped_column(str_enum(JobState, 16), default=JobState.QUEUED)
    # Who asked (null: the schedule), and the unit it is about (null: the whole province).
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    node_id: Mapped[int | None] = mapped_column(ForeignKey("tenant_node.id"))
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[dict[str, Any]] = mapped_column(Document, default=dict)
    error: Mapped[str | None] = mapped_column(Text)


# --- the service -----------------------------------------------------------------------------

# A queued or running job of a kind older than this no longer stops another from starting
# (its worker died for good and its retries ran out).
STALE_AFTER = timedelta(hours=12)
VIEW_ALL_ROLES = (Role.ADMIN, Role.ASSESSOR)  # on the province node: every run of the province


def active_run(
    session: Session, customer_id: int, kind: JobKind, *, now: datetime | None = None
) -> JobRun | None:
    """The province's run of ``kind`` queued or running now (not stale), if any."""
    since = (now or utcnow()) - STALE_AFTER
    return session.scalar(
        select(JobRun)
        .where(
            JobRun.customer_id == customer_id,
            JobRun.kind == kind,
            JobRun.state.in_((JobState.QUEUED, JobState.RUNNING)),
            JobRun.queued_at >= since,
        )
        .order_by(JobRun.id.desc())
        .limit(1)
    )


def start_run(
    session: Session,
    kind: JobKind,
    actor_name: str,
    *,
    customer_id: int,
    node_id: int | None = None,
    requested_by_id: int | None = None,
    now: datetime | None = None,
) -> JobRun:
    """A QUEUED run, and the message that runs it (``actor_name(run.id)``) in the outbox of the
    same transaction: sent once the caller commits, never for a run that rolled back."""
    run = JobRun(
        customer_id=customer_id,
        kind=kind,
        state=JobState.QUEUED,
        node_id=node_id,
        requested_by_id=requested_by_id,
        queued_at=now or utcnow(),
        result={},
    )
    session.add(run)
    session.flush()
    outbox.enqueue(session, actor_name, run.id, customer_id=customer_id, key=f"job_run:{run.id}")
    return run


def record_run(
    session: Session,
    kind: JobKind,
    result: dict[str, Any],
    *,
    customer_id: int,
    started_at: datetime,
    node_id: int | None = None,
    now: datetime | None = None,
) -> JobRun:
    """A run done in the caller's transaction (the sweeps): written SUCCEEDED with its result,
    so it commits, or rolls back, with the work it reports."""
    finished = now or utcnow()
    run = JobRun(
        customer_id=customer_id,
        kind=kind,
        state=JobState.SUCCEEDED,
        node_id=node_id,
        queued_at=started_at,
        started_at=started_at,
        finished_at=finished,
        attempts=1,
        progress_done=1,
        progress_total=1,
        result=result,
    )
    session.add(run)
    return run


def record_per_province(
    session: Session,
    kind: JobKind,
    counts: Mapping[int, Mapping[str, int]],
    zero: Mapping[str, int],
    *,
    now: datetime,
) -> dict[int, dict[str, int]]:
    """A run of ``kind`` done now for every province, with its ``counts`` (``zero`` where it
    found nothing): the sweeps run for all provinces at once, each province sees its own."""
    out: dict[int, dict[str, int]] = {}
    for customer_id in session.scalars(select(Customer.id).order_by(Customer.id)):
        result = {**zero, **counts.get(customer_id, {})}
        province = province_of(session, customer_id)
        record_run(
            session,
            kind,
            result,
            customer_id=customer_id,
            node_id=province.id if province is not None else None,
            started_at=now,
            now=now,
        )
        out[customer_id] = result
    return out


def _update(sessions: sessionmaker[Session], run_id: int, **values: Any) -> None:
    with sessions() as session, unit_of_work(session):
        session.execute(
            update(JobRun).where(JobRun.id == run_id).values(**values),
            execution_options={"synchronize_session": False},
        )


def mark_running(
    sessions: sessionmaker[Session], run_id: int, *, now: datetime | None = None
) -> JobRun | None:
    """The run starts (again, after a crash: ``attempts`` counts them), in its own transaction
    so readers see it. Returns the run as it now stands, None if there is no such run."""
    _update(
        sessions,
        run_id,
        state=JobState.RUNNING,
        attempts=JobRun.attempts + 1,
        started_at=now or utcnow(),
        finished_at=None,
        error=None,
    )
    with sessions() as session:
        return session.get(JobRun, run_id)


def set_progress(
    sessions: sessionmaker[Session], run_id: int, done: int, total: int | None = None
) -> None:
    """Record how far the run got, in its own small transaction so readers see it move."""
    values: dict[str, Any] = {"progress_done": done}
    if total is not None:
        values["progress_total"] = total
    _update(sessions, run_id, **values)


def progress_in(
    session: Session,
    run_id: int,
    done: int,
    total: int | None = None,
    result: dict[str, Any] | None = None,
) -> None:
    """Record the run's progress (and partial result) in the caller's transaction: it commits
    with the batch of work it counts, so a retry resumes where that batch ended."""
    values: dict[str, Any] = {"progress_done": done}
    if total is not None:
        values["progress_total"] = total
    if result is not None:
        values["result"] = result
    session.execute(
        update(JobRun).where(JobRun.id == run_id).values(**values),
        execution_options={"synchronize_session": False},
    )


def succeed(
    sessions: sessionmaker[Session],
    run_id: int,
    result: dict[str, Any],
    *,
    now: datetime | None = None,
) -> None:
    """The run finished: SUCCEEDED with what it found."""
    _update(
        sessions,
        run_id,
        state=JobState.SUCCEEDED,
        result=result,
        finished_at=now or utcnow(),
        error=None,
    )


def fail_run(
    sessions: sessionmaker[Session],
    run_id: int,
    error: BaseException | str,
    *,
    now: datetime | None = None,
) -> None:
    """The attempt failed: FAILED with the error (a retry of the message marks it RUNNING
    again, and clears the error once it succeeds)."""
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    _update(sessions, run_id, state=JobState.FAILED, error=text[:2000], finished_at=now or utcnow())


def sees_every_run(actor: Actor, province: TenantNode) -> bool:
    """Admins and assessors of the province see all its runs; others those about their units."""
    return province.customer_id == actor.customer_id and any(
        g.node_id == province.id and g.role in VIEW_ALL_ROLES for g in actor.grants
    )


def runs_visible_to(
    session: Session, actor: Actor, *, kind: JobKind | None = None
) -> Select[tuple[JobRun]]:
    """The province's runs the actor may see (``kind``: of one kind only).

    Admins and assessors of the province node see every run of their province; anyone else
    sees the runs about a unit in their subtrees (or their own units), not the province-wide
    ones, and the runs they started (a township's print of its county's ranking).
    """
    query = select(JobRun).where(JobRun.customer_id == actor.customer_id)
    if kind is not None:
        query = query.where(JobRun.kind == kind)
    province = province_of(session, actor.customer_id)
    if province is not None and sees_every_run(actor, province):
        return query
    about = actor.scope.node_ids(with_ancestors=False)
    return query.where(or_(JobRun.requested_by_id == actor.user_id, JobRun.node_id.in_(about)))
