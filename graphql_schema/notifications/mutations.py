"""Mutations of the notifications area: marking notifications read."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.orm import Session
from strawberry import relay

from redline.db import utcnow
from scoring.followup import notifications
from scoring.followup.notifications import Notification as NotificationModel
from tenants.access import Actor

from ..core.context import Info
from ..core.errors import UserError
from ..core.ids import database_id
from ..core.mutations import as_is, cap, errors_field, mutate
from .types import Notification


@strawberry.type(
    description="What markNotificationsRead answers: the notifications marked and how many are "
    "left unread, or the refusal."
)
class MarkNotificationsReadPayload:
    notifications: list[Notification] = strawberry.field(
        default_factory=list,
        description="The notifications marked, in the order asked; empty when refused.",
    )
    unread_count: int | None = strawberry.field(
        default=None, description="Your units' unread notifications left; null when refused."
    )
    errors: list[UserError] = errors_field()


def _marked(rows: list[NotificationModel]) -> list[Notification]:
    return [Notification.from_model(row) for row in rows]


@strawberry.type
class NotificationMutations:
    @strawberry.mutation(
        description="Mark notifications of your units read (ones already read keep who and "
        "when). Every id must be one of your units' notifications, or nothing is marked."
    )
    def mark_notifications_read(
        self,
        info: Info,
        ids: Annotated[
            list[relay.GlobalID],
            strawberry.argument(description="The Notifications to mark read; at most 500."),
        ],
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

        return mutate(
            info, action, MarkNotificationsReadPayload, notifications=_marked, unread_count=as_is
        )
