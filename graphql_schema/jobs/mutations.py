"""Mutations of the jobs area: starting a full recompute."""

from __future__ import annotations

import strawberry
from sqlalchemy.orm import Session

from redline.db import utcnow
from scoring.jobs import recompute
from scoring.jobs.runs import JobRun as JobRunModel
from tenants.access import Actor

from ..core.context import Info
from ..core.errors import UserError
from ..core.mutations import errors_field, mutate
from .types import JobRun


@strawberry.type(description="What startFullRecompute answers: the run, or the refusal.")
class StartFullRecomputePayload:
    job_run: JobRun | None = strawberry.field(
        default=None, description="The run queued (or the one already queued or running)."
    )
    errors: list[UserError] = errors_field()


@strawberry.type
class JobMutations:
    @strawberry.mutation(
        description="Re-score every open assessment of your province, repair cached scores "
        "that drifted and publish every open cycle's rankings again, in the background "
        "(ADMIN on the province only). Follow it with node(id:) or jobRuns."
    )
    def start_full_recompute(self, info: Info) -> StartFullRecomputePayload:
        def action(session: Session, actor: Actor) -> JobRunModel:
            return recompute.request_full_recompute(session, actor, now=utcnow())

        return mutate(info, action, StartFullRecomputePayload, job_run=JobRun.from_model)
