"""The overdue sweep: hazards and task elements that went past their deadline are flagged to
their responsible units once each, and the units' open assessments are scored again.

Nothing is written when a deadline passes, yet the ledgers' overdue counts and vetoes (an
overdue major hazard, say) change: the sweep asks ``scoring.ledger_changed`` for each unit
concerned, as a ledger write would, so its and its ancestors' scores and rankings follow.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import String, and_, cast, exists, literal, select
from sqlalchemy.orm import Session

from redline import outbox
from redline.calendar import local_date
from redline.db import utcnow
from scoring.followup.notifications import Notification, NotificationKind, notify
from scoring.ledgers.effects import LEDGER_CHANGED_ACTOR
from scoring.ledgers.figures.hazards import overdue_condition
from scoring.ledgers.models import Hazard, TaskElement, TaskState
from tenants.hierarchy import nodes_by_id

# What a sweep counts per province: rows newly overdue, units whose scores are asked again.
ZERO = {"hazards_overdue": 0, "tasks_overdue": 0, "units": 0}


def hazard_overdue_key(hazard_id: int) -> str:
    return f"hazard_overdue:hazard:{hazard_id}"


def task_overdue_key(element_id: int) -> str:
    return f"task_overdue:task_element:{element_id}"


def _not_notified(model: type[Hazard] | type[TaskElement], prefix: str):
    """SQL: the row's unit has no notification keyed ``prefix`` + its id yet."""
    return ~exists().where(
        and_(
            Notification.node_id == model.node_id,
            Notification.key == literal(prefix) + cast(model.id, String),
        )
    )


def sweep_overdue(session: Session, *, now: datetime | None = None) -> dict[int, dict[str, int]]:
    """Notify the responsible units of hazards not rectified and task elements not completed
    whose deadline day (in China) has passed, once per row; ask for ``scoring.ledger_changed``
    of every unit with a new one; record an OVERDUE_SWEEP run per province with the counts.

    Returns the counts by customer id. The caller commits (the messages go after the commit).
    """
    now = now or utcnow()
    today = local_date(now)
    hazards = list(
        session.scalars(
            select(Hazard)
            .where(overdue_condition(today), _not_notified(Hazard, "hazard_overdue:hazard:"))
            .order_by(Hazard.id)
        )
    )
    elements = list(
        session.scalars(
            select(TaskElement)
            .where(
                TaskElement.state == TaskState.PENDING,
                TaskElement.deadline < today,
                _not_notified(TaskElement, "task_overdue:task_element:"),
            )
            .order_by(TaskElement.id)
        )
    )
    nodes = nodes_by_id(session, {h.node_id for h in hazards} | {e.node_id for e in elements})
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict(ZERO))
    changed: set[int] = set()
    for hazard in hazards:
        added = notify(
            session,
            nodes[hazard.node_id],
            NotificationKind.HAZARD_OVERDUE,
            hazard_overdue_key(hazard.id),
            f"Hazard overdue: {hazard.title}",
            f"The rectification deadline {hazard.deadline.isoformat()} has passed and the "
            f"hazard is still {hazard.state.value}. It counts as overdue in the unit's figures.",
            f"hazard:{hazard.id}",
            hazard.deadline,
            now=now,
        )
        if added:
            counts[hazard.customer_id]["hazards_overdue"] += 1
            changed.add(hazard.node_id)
    for element in elements:
        added = notify(
            session,
            nodes[element.node_id],
            NotificationKind.TASK_OVERDUE,
            task_overdue_key(element.id),
            f"Task overdue: {element.code} {element.title}"[:300],
            f"The deadline {element.deadline.isoformat()} has passed and the task element is "
            "not completed. It counts as overdue in the unit's figures even once completed.",
            f"task_element:{element.id}",
            element.deadline,
            now=now,
        )
        if added:
            counts[element.customer_id]["tasks_overdue"] += 1
            changed.add(element.node_id)
    for node_id in sorted(changed):
        node = nodes[node_id]
        counts[node.customer_id]["units"] += 1
        outbox.enqueue(
            session,
            LEDGER_CHANGED_ACTOR,
            node_id,
            customer_id=node.customer_id,
            key=f"ledger_changed:{node_id}",
        )
    return counts
