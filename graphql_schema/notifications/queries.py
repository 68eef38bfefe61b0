"""Queries of the notifications area: the signed-in user's units' notifications."""

from __future__ import annotations

from typing import Annotated

import strawberry

from scoring.followup import notifications
from scoring.followup.notifications import Notification as NotificationModel

from ..core.context import Info
from ..core.pagination import After, Before, First, Last, paginate
from .types import Notification, NotificationConnection


@strawberry.type
class NotificationQueries:
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
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
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
            last=last,
            before=before,
            key_of=lambda n: -n.id,
        )
        return NotificationConnection(
            edges=page.edges,
            page_info=page.page_info,
            total_count=page.total_count,
            unread_count=notifications.unread_count(ctx.db, actor),
        )
