"""Finding cycles and assessments: the lists the API pages (narrowed as asked), and the evidence
files of many assessments at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from scoring.assessments.models import (
    Assessment,
    AssessmentState,
    Attachment,
    Cycle,
    CycleState,
    Entry,
)
from tenants.reading import within_subtree


def cycles_query(
    *, state: CycleState | None = None, template_id: int | None = None
) -> Select[tuple[Cycle]]:
    """Cycles in one state, or of one template."""
    query = select(Cycle)
    if state is not None:
        query = query.where(Cycle.state == state)
    if template_id is not None:
        query = query.where(Cycle.template_id == template_id)
    return query


@dataclass(frozen=True)
class AssessmentConditions:
    """Assessments in one state, late or not (hashable: pages of many cycles share it)."""

    state: AssessmentState | None = None
    late: bool | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = []
        if self.state is not None:
            clauses.append(Assessment.state == self.state)
        if self.late is not None:
            clauses.append(Assessment.late.is_(self.late))
        return clauses


def assessments_query(
    session: Session,
    conditions: AssessmentConditions,
    *,
    cycle_id: int | None = None,
    subtree_of: int | None = None,
) -> Select[tuple[Assessment]]:
    """Assessments meeting ``conditions``, of one cycle, of the units of one subtree."""
    query = select(Assessment).where(*conditions.clauses())
    if cycle_id is not None:
        query = query.where(Assessment.cycle_id == cycle_id)
    if subtree_of is not None:
        query = within_subtree(session, query, Assessment.node_id, subtree_of)
    return query


def attachments_of(session: Session, assessment_ids: Sequence[int]) -> dict[int, list[Attachment]]:
    """The evidence files of each assessment (of all its entries), oldest first: one query."""
    found: dict[int, list[Attachment]] = defaultdict(list)
    for attachment, assessment_id in session.execute(
        select(Attachment, Entry.assessment_id)
        .join(Entry, Entry.id == Attachment.entry_id)
        .where(Entry.assessment_id.in_(assessment_ids))
        .order_by(Attachment.id)
    ):
        found[assessment_id].append(attachment)
    return found
