"""Queries of the jobs API: the viewer's units' notifications, the province's job runs."""

from __future__ import annotations

from typing import Annotated

import strawberry

from scoring.followup import notifications
from scoring.followup.notifications import Notification as NotificationModel
from scoring.jobs import runs as job_runs
from scoring.jobs.runs import JobRun as JobRunModel

from ..context import Info
from ..pagination import Connection, paginate
from .types import JobKindEnum, JobRun, Notification, NotificationConnection


@strawberry.type
class JobQueries:
    @strawberry.field(
        description="Notifications to your own unit and to the units you hold a role on (not "
        "to the units below them), newest first."
    )
    def notifications(
        self,
        info: Info,
        unread: Annotated[
            bool | None,
            strawberry.argument(description="Only unread ones (true) or only read ones (false)."),
        ] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> NotificationConnection:
        ctx = info.context
        actor = ctx.require_actor()
        page = paginate(
            ctx.db,
            notifications.notifications_of(actor, unread=unread),
            -NotificationModel.id,  # newest first
            Notification.from_model,
            first=first,
            after=after,
            key_of=lambda n: -n.id,
        )
        return NotificationConnection(
            edges=page.edges,
            page_info=page.page_info,
            total_count=page.total_count,
            unread_count=notifications.unread_count(ctx.db, actor),
        )

    @strawberry.field(
        description="Long job runs of your province, newest first: admins and assessors of the "
        "province see them all, others the runs about units in their subtrees."
    )
    def job_runs(
        self,
        info: Info,
        kind: JobKindEnum | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
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
            key_of=lambda r: -r.id,
        )
