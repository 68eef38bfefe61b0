"""In-app notifications to units: deadline reminders and overdue flags, written by the
scheduled jobs, read and marked read by the unit's people."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Select,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from redline.db import Base, UtcDateTime, enum_check, str_enum, utcnow
from redline.errors import DomainError, ErrorCode, Problem, fail
from tenants.access import Actor
from tenants.models import NodeOwned, ProvinceSharded, TenantNode

MARK_MAX = 500  # notifications marked read in one request


class NotificationKind(enum.StrEnum):
    """What a notification is about."""

    SELF_ASSESSMENT_DUE = "self_assessment_due"  # the unit's self-assessment is due soon
    SELF_ASSESSMENT_OVERDUE = "self_assessment_overdue"  # ... and the deadline has passed
    REVIEW_DUE = "review_due"  # assessments the unit reviews are due for review soon
    HAZARD_DUE = "hazard_due"  # a hazard's rectification deadline is near
    HAZARD_OVERDUE = "hazard_overdue"  # a hazard went past its rectification deadline
    TASK_DUE = "task_due"  # a task element's deadline is near
    TASK_OVERDUE = "task_overdue"  # a task element went past its deadline
    APPEAL_FILED = "appeal_filed"  # a unit the reader's unit reviews appealed its points
    APPEAL_DECIDED = "appeal_decided"  # the unit's appeal was accepted or rejected


class Notification(Base, ProvinceSharded, NodeOwned):
    """A message to a unit (``node_id``): everyone who works for the unit sees it.

    ``key`` names what it is about and when ("hazard_overdue:hazard:12"), so a scheduled job
    that runs twice notifies once.
    """

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("node_id", "key", "customer_id", name="uq_notification_key"),
        CheckConstraint(enum_check("kind", NotificationKind), name="kind"),
        Index("ix_notification_node_created", "node_id", "id"),
    )

    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind, 40))
    key: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    # What it is about, as "<subject>:<id>" (cycle:3, assessment:12, hazard:5, task_element:9).
    subject: Mapped[str] = mapped_column(String(60))
    due: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    read_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


# --- the service -----------------------------------------------------------------------------


def notify(
    session: Session,
    node: TenantNode,
    kind: NotificationKind,
    key: str,
    title: str,
    body: str,
    subject: str,
    due: date | None = None,
    *,
    now: datetime | None = None,
) -> bool:
    """Notify ``node`` unless it already has a notification of ``key``: returns whether this
    call added it. Safe when two runs race: the unique (node, key, province) decides, the loser adds
    nothing (INSERT ... ON CONFLICT DO NOTHING). The caller commits."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(Notification)
        .values(
            customer_id=node.customer_id,
            node_id=node.id,
            kind=kind,
            key=key[:120],
            title=title[:300],
            body=body,
            subject=subject[:60],
            due=due,
            created_at=now or utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["node_id", "key", "customer_id"])
        .returning(Notification.id)
    )
    # A row comes back only when inserted (SQLite's rowcount cannot tell a skipped insert).
    return session.execute(statement).first() is not None


def reader_node_ids(actor: Actor) -> tuple[int, ...]:
    """The units whose notifications the actor reads: their own unit and every unit they hold
    a role on (not the units below those: a township's reminders are the township's)."""
    return tuple(sorted({actor.node_id, *(grant.node_id for grant in actor.grants)}))


def notifications_of(actor: Actor, *, unread: bool | None = None) -> Select[tuple[Notification]]:
    """The actor's units' notifications (``unread``: only unread ones, or only read ones)."""
    query = select(Notification).where(
        Notification.customer_id == actor.customer_id,
        Notification.node_id.in_(reader_node_ids(actor)),
    )
    if unread is not None:
        query = query.where(
            Notification.read_at.is_(None) if unread else Notification.read_at.is_not(None)
        )
    return query


def unread_count(session: Session, actor: Actor) -> int:
    """How many of the actor's units' notifications nobody has read yet."""
    query = notifications_of(actor, unread=True).with_only_columns(func.count())
    return session.scalar(query.order_by(None)) or 0


def mark_read(
    session: Session,
    actor: Actor,
    ids: Sequence[int],
    *,
    now: datetime | None = None,
    label: Callable[[int], str] = str,
) -> list[Notification]:
    """Mark the notifications read (by the actor, now; ones already read keep who and when).

    Every id must be a notification of the actor's units, else nothing is marked and each
    unknown id is named (as ``label`` shows it) in an error of field ``ids``. The caller
    commits.
    """
    if len(ids) > MARK_MAX:
        raise fail("ids", f"at most {MARK_MAX} in one request", ErrorCode.TOO_LARGE)
    wanted = list(dict.fromkeys(ids))
    found = {
        n.id: n for n in session.scalars(notifications_of(actor).where(Notification.id.in_(wanted)))
    }
    unknown = [i for i in wanted if i not in found]
    if unknown:
        raise DomainError(
            [
                Problem(
                    "ids",
                    f"{label(i)} is not a notification of your units",
                    ErrorCode.NOT_FOUND,
                )
                for i in unknown
            ]
        )
    moment = now or utcnow()
    for notification in found.values():
        if notification.read_at is None:
            notification.read_at = moment
            notification.read_by_id = actor.user_id
    return [found[i] for i in wanted]
