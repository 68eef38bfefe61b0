"""What the unit's and the reviewer's services share: the workflow states they require, the
open cycle, the entry rows they find or add, and the changes they record."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.db import utcnow
from redline.errors import ErrorCode, Problem, fail
from scoring.assessments.models import (
    Assessment,
    AssessmentState,
    Cycle,
    CycleState,
    Entry,
)
from scoring.assessments.scorecards import (
    LoadedTemplate,
)
from scoring.templates.models import ItemKind, TemplateItem
from tenants.access import Actor
from tenants.models import Role, TenantNode

EDITABLE = (AssessmentState.DRAFT, AssessmentState.RETURNED)
# --- shared by the unit's and the reviewer's services ----------------------------------------


def require_state(
    assessment: Assessment,
    allowed: Sequence[AssessmentState],
    doing: str,
    field: str = "assessmentId",
) -> None:
    """INVALID_STATE unless the assessment is in one of ``allowed``."""
    if assessment.state not in allowed:
        wanted = " or ".join(s.value for s in allowed)
        raise fail(
            field,
            f"the assessment is {assessment.state.value}: {doing} needs it {wanted}",
            ErrorCode.INVALID_STATE,
        )


def require_open(cycle: Cycle, field: str = "assessmentId") -> None:
    """INVALID_STATE unless the cycle still takes changes."""
    if cycle.state is not CycleState.OPEN:
        raise fail(field, f"the cycle is {cycle.state.value}", ErrorCode.INVALID_STATE)


def reviewing_office(
    session: Session, actor: Actor | None, assessment: Assessment, field: str
) -> TenantNode:
    """The assessed unit, once the actor is known to be an assessor on the unit above it (or
    higher) and not of the unit itself."""
    node = session.get_one(TenantNode, assessment.node_id)
    if actor is None:
        return node
    parent = session.get(TenantNode, node.parent_id) if node.parent_id is not None else None
    if parent is None or not actor.can(parent, Role.ASSESSOR):
        above = parent.code if parent is not None else "the unit above"
        raise fail(
            field,
            f"you need the assessor role on {above} or an office above it to review {node.code}",
            ErrorCode.PERMISSION_DENIED,
        )
    if actor.node_id == node.id or actor.can(node, Role.SUBMITTER):
        raise fail(field, "nobody reviews their own unit's assessment", ErrorCode.PERMISSION_DENIED)
    return node


# How a conflict names an assessment ("the assessment was changed by someone else ...").
ASSESSMENT = "the assessment"


def touch(assessment: Assessment, now: datetime | None = None) -> None:
    """Mark the assessment changed, so its version goes up with this write."""
    assessment.updated_at = now or utcnow()


def indicator_problem(loaded: LoadedTemplate, code: str, field: str) -> Problem | TemplateItem:
    """The indicator with this code, or the problem with the code."""
    code = (code or "").strip()
    if not code:
        return Problem(field, "name the indicator by its code", ErrorCode.REQUIRED)
    item = loaded.items_by_code.get(code)
    if item is None:
        return Problem(field, f"the template has no indicator {code}", ErrorCode.NOT_FOUND)
    if item.kind is not ItemKind.INDICATOR:
        return Problem(
            field, f"{code} is a category: enter its indicators instead", ErrorCode.INVALID
        )
    return item


def _same(old: object, new: object) -> bool:
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return old == new  # 5.0000 read back is the 5 entered
    return old == new


def change(row: object, values: Mapping[str, object]) -> list[tuple[str, object, object]]:
    """Set ``values`` on ``row``; the (field, old, new) of each one that really changed."""
    changes = []
    for name, new in values.items():
        old = getattr(row, name)
        if not _same(old, new):
            setattr(row, name, new)
            changes.append((name, old, new))
    return changes


def new_entry(assessment: Assessment, item: TemplateItem) -> Entry:
    """An empty entry of ``item`` (nothing entered, nothing reviewed)."""
    return Entry(
        customer_id=assessment.customer_id,
        node_id=assessment.node_id,
        assessment_id=assessment.id,
        item_id=item.id,
        counts={},
        note="",
        not_applicable=False,
        reviewed=False,
    )


def entry_in(
    session: Session, existing: dict[int, Entry], assessment: Assessment, item: TemplateItem
) -> Entry:
    """The entry of ``item`` among the assessment's ``existing`` ones (by item id), an empty one
    added (to the session and to ``existing``) when the unit never entered it."""
    row = existing.get(item.id)
    if row is None:
        row = existing[item.id] = new_entry(assessment, item)
        session.add(row)
    return row


def entries_by_item(session: Session, assessment: Assessment) -> dict[int, Entry]:
    """The assessment's entries by template item id, in one query."""
    rows = session.scalars(select(Entry).where(Entry.assessment_id == assessment.id))
    return {row.item_id: row for row in rows}
