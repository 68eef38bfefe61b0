"""Notices of appeals: the reviewing unit learns that a unit appealed (it has to decide), the
unit learns of the decision. The request that files or decides asks for the notice through the
outbox; the job writes it with the system's view (the other unit is out of the asker's sight)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy.orm import Session

from redline import outbox
from scoring.assessments.models import Appeal, AppealState, Assessment, Cycle
from scoring.followup.notifications import NotificationKind, notify
from scoring.templates.models import TemplateItem
from tenants.models import TenantNode

APPEAL_NOTICE_ACTOR = "scoring.appeal_notice"


class AppealEvent(enum.StrEnum):
    FILED = "filed"
    DECIDED = "decided"


def ask_for_notice(session: Session, appeal: Appeal, event: AppealEvent) -> None:
    """Queue the notice of ``event`` once the caller commits."""
    outbox.enqueue(
        session, APPEAL_NOTICE_ACTOR, appeal.id, event.value, customer_id=appeal.customer_id
    )


def write_notice(
    session: Session, appeal_id: int, event: AppealEvent, *, now: datetime | None = None
) -> None:
    """Write the notice of ``event`` (once: a second run adds nothing). ``session`` is a system
    session."""
    appeal = session.get(Appeal, appeal_id)
    if appeal is None:
        return
    unit = session.get_one(TenantNode, appeal.node_id)
    item = session.get_one(TemplateItem, appeal.item_id)
    cycle = session.get_one(Cycle, session.get_one(Assessment, appeal.assessment_id).cycle_id)
    if event is AppealEvent.FILED:
        if unit.parent_id is None:
            return
        notify(
            session,
            session.get_one(TenantNode, unit.parent_id),
            NotificationKind.APPEAL_FILED,
            f"appeal_filed:appeal:{appeal.id}",
            f"Appeal to decide: {unit.name_zh} on {item.code} {item.title}",
            f"{unit.code} {unit.name_zh} appeals its reviewed points on {item.code} in "
            f"{cycle.name}: {appeal.reason}",
            f"assessment:{appeal.assessment_id}",
            cycle.appeal_due.date() if cycle.appeal_due else None,
            now=now,
        )
        return
    if appeal.state is AppealState.OPEN:
        return
    if appeal.state is AppealState.ACCEPTED:
        outcome = f"accepted: {item.code} now has {appeal.points_after:.2f} points"
    else:
        outcome = "rejected"
    notify(
        session,
        unit,
        NotificationKind.APPEAL_DECIDED,
        f"appeal_decided:appeal:{appeal.id}",
        f"Appeal {outcome.split(':')[0]}: {item.code} {item.title}",
        f"Your appeal on {item.code} in {cycle.name} was {outcome}. {appeal.decision_reason}",
        f"assessment:{appeal.assessment_id}",
        now=now,
    )
