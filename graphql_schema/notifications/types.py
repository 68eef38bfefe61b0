"""GraphQL types of the notifications area: Notification, and the list with its unread count."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from sqlalchemy import Select
from sqlalchemy.orm import Session
from strawberry import relay

from scoring.followup import notifications
from scoring.followup.notifications import Notification as NotificationModel
from tenants.access import Actor

from ..core.context import Info
from ..core.enums import NotificationKind
from ..core.nodes import ModelNode
from ..core.pagination import Connection
from ..tenants.types import Tenant, User


def _addressed(_session: Session, actor: Actor) -> Select[tuple[NotificationModel]]:
    return notifications.notifications_of(actor)


@strawberry.type(
    name="Notification",
    description="A message to a unit (a deadline coming, something overdue): everyone who "
    "works for the unit or holds a role on it sees it.",
)
class Notification(ModelNode):
    model = NotificationModel
    # The units' own, not every row the scope shows: a township's reminders are its own.
    within = _addressed
    id: relay.NodeID[int]
    kind: NotificationKind = strawberry.field(
        description="What sort of message: a deadline coming, something overdue, an appeal."
    )
    title: str = strawberry.field(
        description="One line saying what it is about (up to 300 characters): in English, "
        "quoting the names of the cycle, hazard, task or unit."
    )
    body: str = strawberry.field(description="The message in full; may be empty.")
    subject: str = strawberry.field(
        description="What it is about, as kind:id (cycle:3, assessment:12, hazard:5, "
        "task_element:9)."
    )
    due: date | None = strawberry.field(description="The deadline it is about (a local day).")
    created_at: datetime = strawberry.field(description="When it was sent.")
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

    @strawberry.field(description="The unit it is addressed to.")
    async def unit(self, info: Info) -> Tenant | None:
        return await Tenant.load(info, self.node_id)

    @strawberry.field(description="Who marked it read; null when unread or out of your sight.")
    async def read_by(self, info: Info) -> User | None:
        return await User.load(info, self.read_by_id)


@strawberry.type(description="Your units' notifications, newest first, and how many are unread.")
class NotificationConnection(Connection[Notification]):
    unread_count: int = strawberry.field(
        description="How many of your units' notifications are unread (whatever the filter)."
    )
