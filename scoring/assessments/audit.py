"""The audit trail of an assessment: who changed what, when, from what to what, and why."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.db import utcnow
from scoring.assessments.models import Assessment, AssessmentState, AuditEvent
from scoring.assessments.rescoring import ask_for_rankings
from scoring.inputs import as_text
from tenants.access import Actor, user_id_of

HISTORY_MAX = 500


def record(
    session: Session,
    assessment: Assessment,
    actor: Actor | None,
    *,
    action: str,
    item_code: str | None = None,
    field: str | None = None,
    old: object = None,
    new: object = None,
    reason: str | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Add one audit event for ``assessment`` (written with the caller's unit of work).

    ``at`` defaults to now; services taking a ``now`` for tests pass it on.
    """
    event = AuditEvent(
        customer_id=assessment.customer_id,
        node_id=assessment.node_id,
        assessment_id=assessment.id,
        actor_id=user_id_of(actor),
        action=action,
        item_code=item_code,
        field=field,
        old=as_text(old),
        new=as_text(new),
        reason=reason,
        at=at or utcnow(),
    )
    session.add(event)
    return event


def record_changes(
    session: Session,
    assessment: Assessment,
    actor: Actor | None,
    changes: Iterable[tuple[str, object, object]],
    *,
    action: str,
    item_code: str,
    reason: str | None = None,
    at: datetime | None = None,
) -> None:
    """One audit event per ``(field, old, new)`` change of one indicator's entry."""
    for field, old, new in changes:
        record(
            session,
            assessment,
            actor,
            action=action,
            item_code=item_code,
            field=field,
            old=old,
            new=new,
            reason=reason,
            at=at,
        )


def transition(
    session: Session,
    assessment: Assessment,
    actor: Actor | None,
    state: AssessmentState,
    *,
    reason: str | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Move ``assessment`` to ``state`` and record the move (the caller checked it is allowed)."""
    old, assessment.state = assessment.state, state
    ask_for_rankings(session, assessment, moved=True)  # the move changes its cycle's rankings
    return record(
        session,
        assessment,
        actor,
        action="state",
        field="state",
        old=old,
        new=state,
        reason=reason,
        at=at,
    )


def mark_late(
    session: Session,
    assessment: Assessment,
    actor: Actor | None,
    *,
    flag: str,
    deadline: datetime,
    done: str,
    at: datetime,
) -> None:
    """Set the assessment's late ``flag`` ("late", "review_late") when ``at`` is past
    ``deadline``, and record it; once late, late it stays."""
    if at <= deadline or getattr(assessment, flag):
        return
    setattr(assessment, flag, True)
    record(
        session,
        assessment,
        actor,
        action="state",
        field=flag,
        old=False,
        new=True,
        reason=f"{done} after the deadline {deadline.isoformat()}",
        at=at,
    )


def history(
    session: Session, assessment: Assessment, *, after_id: int | None = None, limit: int = 100
) -> list[AuditEvent]:
    """Up to ``limit`` events of the assessment after ``after_id``, oldest first (newest last)."""
    limit = max(1, min(limit, HISTORY_MAX))
    query = select(AuditEvent).where(AuditEvent.assessment_id == assessment.id)
    if after_id is not None:
        query = query.where(AuditEvent.id > after_id)
    return list(session.scalars(query.order_by(AuditEvent.id).limit(limit)))
