"""Mutations of the jobs API: marking notifications read, starting a full recompute."""

from __future__ import annotations

import strawberry
from sqlalchemy.orm import Session
from strawberry import relay

from redline.db import utcnow
from redline.errors import DomainError
from scoring.followup import notifications
from scoring.followup.notifications import Notification as NotificationModel
from scoring.jobs import recompute
from scoring.jobs.runs import JobRun as JobRunModel
from tenants.access import Actor

from ..context import Info
from ..errors import UserError, user_errors
from ..ids import database_id
from ..mutations import cap, run
from .types import JobRun, Notification


@strawberry.type
class MarkNotificationsReadPayload:
    notifications: list[Notification] = strawberry.field(
        description="The notifications marked, in the order asked; empty when refused."
    )
    unread_count: int | None = strawberry.field(
        description="Your units' unread notifications left; null when refused."
    )
    errors: list[UserError]


@strawberry.type
class StartFullRecomputePayload:
    job_run: JobRun | None = strawberry.field(
        description="The run queued (or the one already queued or running)."
    )
    errors: list[UserError]


@strawberry.type
class JobMutations:
    @strawberry.mutation(
        description="Mark notifications of your units read (ones already read keep who and "
        "when). Every id must be one of your units' notifications, or nothing is marked."
    )
    def mark_notifications_read(
        self, info: Info, ids: list[relay.GlobalID]
    ) -> MarkNotificationsReadPayload:
        def action(session: Session, actor: Actor) -> tuple[list[NotificationModel], int]:
            cap(ids, notifications.MARK_MAX, "ids")
            labels = {database_id(g, "Notification", "ids"): str(g) for g in ids}
            marked = notifications.mark_read(
                session,
                actor,
                [database_id(g, "Notification", "ids") for g in ids],
                now=utcnow(),
                label=lambda i: labels.get(i, str(i)),
            )
            session.flush()
            return marked, notifications.unread_count(session, actor)

        result = run(info, action)
        if isinstance(result, DomainError):
            return MarkNotificationsReadPayload(
                notifications=[], unread_count=None, errors=user_errors(result)
            )
        marked, unread = result
        return MarkNotificationsReadPayload(
            notifications=[Notification.from_model(n) for n in marked],
            unread_count=unread,
            errors=[],
        )

    @strawberry.mutation(
        description="Re-score every open assessment of your province, repair cached scores "
        "that drifted and publish every open cycle's rankings again, in the background "
        "(ADMIN on the province only). Follow it with node(id:) or jobRuns."
    )
    def start_full_recompute(self, info: Info) -> StartFullRecomputePayload:
        def action(session: Session, actor: Actor) -> JobRunModel:
            return recompute.request_full_recompute(session, actor, now=utcnow())

        result = run(info, action)
        if isinstance(result, DomainError):
            return StartFullRecomputePayload(job_run=None, errors=user_errors(result))
        return StartFullRecomputePayload(job_run=JobRun.from_model(result), errors=[])
