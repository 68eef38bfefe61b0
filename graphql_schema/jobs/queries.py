"""Queries of the jobs area: the province's job runs."""

from __future__ import annotations

from typing import Annotated

import strawberry

from scoring.jobs import runs as job_runs
from scoring.jobs.runs import JobRun as JobRunModel

from ..core.context import Info
from ..core.enums import JobKind
from ..core.pagination import After, Before, Connection, First, Last, paginate
from .types import JobRun


@strawberry.type
class JobQueries:
    @strawberry.field(
        description="Long job runs of your province, newest first: admins and assessors of the "
        "province see them all, others the runs about units in their subtrees."
    )
    def job_runs(
        self,
        info: Info,
        kind: Annotated[
            JobKind | None,
            strawberry.argument(description="Only runs of this kind; null: every kind."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[JobRun]:
        ctx = info.context
        actor = ctx.require_actor()
        return paginate(
            ctx.db,
            job_runs.runs_visible_to(ctx.db, actor, kind=kind),
            -JobRunModel.id,  # newest first
            JobRun.from_model,
            first=first,
            after=after,
            last=last,
            before=before,
            key_of=lambda r: -r.id,
        )
