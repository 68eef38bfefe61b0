"""The jobs API's types: notifications, job runs with their progress."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from scoring.followup import notifications
from scoring.followup.notifications import Notification as NotificationModel
from scoring.followup.notifications import NotificationKind
from scoring.jobs import runs as job_runs
from scoring.jobs.runs import JobKind, JobState
from scoring.jobs.runs import JobRun as JobRunModel

from ..context import Info
from ..pagination import Connection
from ..tenants.types import Tenant, User, tenant_of, user_of

NotificationKindEnum = strawberry.enum(
    NotificationKind,
    name="NotificationKind",
    description="What a notification is about: a deadline within three days (…_DUE), a "
    "self-assessment past due, a hazard or task element gone past its deadline (…_OVERDUE).",
)
JobKindEnum = strawberry.enum(
    JobKind,
    name="JobKind",
    description="FULL_RECOMPUTE: every open assessment re-scored, drift repaired, rankings "
    "published; OVERDUE_SWEEP: the hourly overdue flags; DEADLINE_REMINDERS: the morning "
    "reminders.",
)
JobStateEnum = strawberry.enum(
    JobState,
    name="JobState",
    description="QUEUED -> RUNNING -> SUCCEEDED or FAILED (a failed run retried runs again).",
)


@strawberry.type(
    name="Notification",
    description="A message to a unit (a deadline coming, something overdue): everyone who "
    "works for the unit or holds a role on it sees it.",
)
class Notification(relay.Node):
    id: relay.NodeID[int]
    kind: NotificationKindEnum  # type: ignore[valid-type]
    title: str
    body: str
    subject: str = strawberry.field(
        description="What it is about, as kind:id (cycle:3, assessment:12, hazard:5, "
        "task_element:9)."
    )
    due: date | None = strawberry.field(description="The deadline it is about (a local day).")
    created_at: datetime
    read_at: datetime | None = strawberry.field(description="When someone of the unit read it.")
    node_id: strawberry.Private[int]
    read_by_id: strawberry.Private[int | None]

    @strawberry.field(description="Read by someone of the unit.")
    def read(self) -> bool:
        return self.read_at is not None

    @classmethod
    def from_model(cls, row: NotificationModel) -> Notification:
        return cls(
            id=row.id,
            kind=row.kind,
            title=row.title,
            body=row.body,
            subject=row.subject,
            due=row.due,
            created_at=row.created_at,
            read_at=row.read_at,
            node_id=row.node_id,
            read_by_id=row.read_by_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        ids = [int(i) for i in node_ids]
        actor = info.context.actor
        found: dict[int, NotificationModel] = {}
        if actor is not None:
            query = notifications.notifications_of(actor).where(NotificationModel.id.in_(ids))
            found = {row.id: row for row in info.context.db.scalars(query)}
        return [cls.from_model(found[i]) if i in found else None for i in ids]

    @strawberry.field(description="The unit it is addressed to.")
    async def unit(self, info: Info) -> Tenant | None:
        return await tenant_of(info, self.node_id)

    @strawberry.field(description="Who marked it read; null when unread or out of your sight.")
    async def read_by(self, info: Info) -> User | None:
        return await user_of(info, self.read_by_id)


@strawberry.type(description="Your units' notifications, newest first, and how many are unread.")
class NotificationConnection(Connection[Notification]):
    unread_count: int = strawberry.field(
        description="How many of your units' notifications are unread (whatever the filter)."
    )


@strawberry.type(description="How far a job run got.")
class JobProgress:
    done: int = strawberry.field(description="Items done (assessments, for a recompute).")
    total: int | None = strawberry.field(description="Items to do; null until counted.")

    @strawberry.field(description="done / total in percent, rounded down; null until counted.")
    def percent(self) -> int | None:
        if self.total is None:
            return None
        return 100 if self.total == 0 else min(100, self.done * 100 // self.total)


@strawberry.type(
    name="JobRun",
    description="One run of a long job for your province: its state, progress and outcome.",
)
class JobRun(relay.Node):
    id: relay.NodeID[int]
    kind: JobKindEnum  # type: ignore[valid-type]
    state: JobStateEnum  # type: ignore[valid-type]
    progress: JobProgress
    queued_at: datetime
    started_at: datetime | None = strawberry.field(description="When its last attempt started.")
    finished_at: datetime | None
    attempts: int = strawberry.field(description="Attempts started (a retry after a crash: 2).")
    result: JSON = strawberry.field(  # type: ignore[valid-type]
        description='What it found, e.g. a recompute\'s {"assessments": 312, "drifted": 2, '
        '"cycles": 2, "drift": {"self_total": 1, ...}}; a sweep\'s counts.'
    )
    error: str | None = strawberry.field(description="Why its last attempt failed.")
    node_id: strawberry.Private[int | None]
    requested_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: JobRunModel) -> JobRun:
        result: dict[str, Any] = dict(row.result or {})
        result.pop("resume_after", None)  # the retry's bookmark, not an outcome
        return cls(
            id=row.id,
            kind=row.kind,
            state=row.state,
            progress=JobProgress(done=row.progress_done, total=row.progress_total),
            queued_at=row.queued_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            attempts=row.attempts,
            result=result,
            error=row.error,
            node_id=row.node_id,
            requested_by_id=row.requested_by_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        ids = [int(i) for i in node_ids]
        actor = info.context.actor
        found: dict[int, JobRunModel] = {}
        if actor is not None:
            query = job_runs.runs_visible_to(info.context.db, actor)
            rows = info.context.db.scalars(query.where(JobRunModel.id.in_(ids)))
            found = {row.id: row for row in rows}
        return [cls.from_model(found[i]) if i in found else None for i in ids]

    @strawberry.field(description="The unit it is about (the province for province-wide runs).")
    async def unit(self, info: Info) -> Tenant | None:
        return await tenant_of(info, self.node_id)

    @strawberry.field(description="Who started it; null for the schedule or out of your sight.")
    async def requested_by(self, info: Info) -> User | None:
        return await user_of(info, self.requested_by_id)


# Node types of this part, registered on the schema.
TYPES: list[type] = [Notification, JobRun]
