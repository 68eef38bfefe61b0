"""GraphQL types of the jobs area: job runs with their progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from scoring.jobs import runs as job_runs
from scoring.jobs.runs import JobRun as JobRunModel

from ..core.context import Info
from ..core.enums import JobKind, JobState
from ..core.nodes import ModelNode
from ..tenants.types import Tenant, User


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
class JobRun(ModelNode):
    model = JobRunModel
    # Admins and assessors of the province see its every run, others those about their units.
    within = job_runs.runs_visible_to
    id: relay.NodeID[int]
    kind: JobKind
    state: JobState
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

    @strawberry.field(description="The unit it is about (the province for province-wide runs).")
    async def unit(self, info: Info) -> Tenant | None:
        return await Tenant.load(info, self.node_id)

    @strawberry.field(description="Who started it; null for the schedule or out of your sight.")
    async def requested_by(self, info: Info) -> User | None:
        return await User.load(info, self.requested_by_id)
