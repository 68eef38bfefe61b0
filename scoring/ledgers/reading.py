"""Finding ledger rows: the lists the API pages (accidents, hazards, statements, action plans and
task elements, each narrowed as asked) and the histories of many rows at once. Read only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, false, not_, or_, select
from sqlalchemy.orm import Session

from redline.calendar import local_date
from redline.db import utcnow
from scoring.ledgers.figures import hazards as hazard_figures
from scoring.ledgers.figures import tasks as task_figures
from scoring.ledgers.models import (
    Accident,
    AccidentClass,
    ActionPlan,
    Hazard,
    HazardSeverity,
    HazardSource,
    HazardState,
    LedgerEvent,
    LedgerSubject,
    ReportStatus,
    ResponsibilityStatement,
    Sector,
    StatementParty,
    StatementState,
    TaskElement,
    TaskState,
)
from tenants.models import TenantNode
from tenants.reading import within_subtree
from tenants.scope import in_subtree

# A span of days, both ends included.
Period = tuple[date, date]


def _today() -> date:
    return local_date(utcnow())


def accidents_query(
    session: Session,
    *,
    subtree_of: int | None = None,
    occurred_in: Period | None = None,
    sector: Sector | None = None,
    accident_class: AccidentClass | None = None,
    report_status: ReportStatus | None = None,
) -> Select[tuple[Accident]]:
    """Accidents of a unit's subtree, that happened in a period, of a sector, class or report
    status."""
    query = select(Accident)
    if subtree_of is not None:
        query = within_subtree(session, query, Accident.node_id, subtree_of)
    if occurred_in is not None:
        query = query.where(Accident.occurred_on.between(*occurred_in))
    for column, value in (
        (Accident.sector, sector),
        (Accident.accident_class, accident_class),
        (Accident.report_status, report_status),
    ):
        if value is not None:
            query = query.where(column == value)
    return query


def hazards_query(
    session: Session,
    *,
    subtree_of: int | None = None,
    state: HazardState | None = None,
    severity: HazardSeverity | None = None,
    sector: Sector | None = None,
    source: HazardSource | None = None,
    overdue: bool | None = None,
    listed: bool | None = None,
    found_in: Period | None = None,
) -> Select[tuple[Hazard]]:
    """Hazards of a unit's subtree, in a state, of a severity, sector or source, overdue today
    (or not), listed for supervision now (or not), found in a period."""
    query = select(Hazard)
    if subtree_of is not None:
        query = within_subtree(session, query, Hazard.node_id, subtree_of)
    for column, value in (
        (Hazard.state, state),
        (Hazard.severity, severity),
        (Hazard.sector, sector),
        (Hazard.source, source),
    ):
        if value is not None:
            query = query.where(column == value)
    if overdue is not None:
        condition = hazard_figures.overdue_condition(_today())
        query = query.where(condition if overdue else not_(condition))
    if listed is not None:
        query = query.where(Hazard.listed.is_(listed))
    if found_in is not None:
        query = query.where(Hazard.found_on.between(*found_in))
    return query


def statements_query(
    session: Session,
    *,
    subtree_of: int | None = None,
    year: int | None = None,
    party: StatementParty | None = None,
    state: StatementState | None = None,
) -> Select[tuple[ResponsibilityStatement]]:
    """Statements issued in a unit's subtree, for a year, to units or enterprises, signed or
    not."""
    query = select(ResponsibilityStatement)
    if subtree_of is not None:
        query = within_subtree(session, query, ResponsibilityStatement.node_id, subtree_of)
    if year is not None:
        query = query.where(ResponsibilityStatement.year == year)
    if party is not None:
        query = query.where(ResponsibilityStatement.party == party)
    if state is not None:
        query = query.where(ResponsibilityStatement.state == state)
    return query


def plans_query(*, owner_id: int | None = None) -> Select[tuple[ActionPlan]]:
    """Action plans, or only those one unit issued."""
    query = select(ActionPlan)
    if owner_id is not None:
        query = query.where(ActionPlan.owner_node_id == owner_id)
    return query


@dataclass(frozen=True)
class ElementConditions:
    """Which task elements a list shows (hashable: pages of many plans share it)."""

    node_path: str | None = None  # the responsible unit's subtree
    nothing: bool = False  # the list asked for a unit out of sight
    state: TaskState | None = None
    overdue: bool | None = None
    due_in: Period | None = None
    today: date | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        if self.nothing:
            return [false()]
        clauses: list[ColumnElement[bool]] = []
        if self.node_path is not None:
            clauses.append(
                TaskElement.node_id.in_(
                    select(TenantNode.id).where(in_subtree(TenantNode.path, self.node_path))
                )
            )
        if self.state is not None:
            clauses.append(TaskElement.state == self.state)
        if self.overdue is not None and self.today is not None:
            overdue = task_figures.overdue_clause(self.today)
            clauses.append(overdue if self.overdue else ~overdue)
        if self.due_in is not None:
            clauses.append(TaskElement.deadline.between(*self.due_in))
        return clauses


def element_conditions(
    session: Session,
    *,
    subtree_of: int | None = None,
    state: TaskState | None = None,
    overdue: bool | None = None,
    due_in: Period | None = None,
) -> ElementConditions:
    """Elements of a unit's subtree (none when the unit is out of sight), in a state, overdue
    today (or not), due in a period."""
    node_path, nothing = None, False
    if subtree_of is not None:
        node = session.get(TenantNode, subtree_of)
        node_path, nothing = (node.path, False) if node else (None, True)
    return ElementConditions(
        node_path=node_path,
        nothing=nothing,
        state=state,
        overdue=overdue,
        due_in=due_in,
        today=_today() if overdue is not None else None,
    )


def elements_query(
    conditions: ElementConditions, *, plan_id: int | None = None
) -> Select[tuple[TaskElement]]:
    """Task elements meeting ``conditions``, or only those of one plan."""
    query = select(TaskElement).where(*conditions.clauses())
    if plan_id is not None:
        query = query.where(TaskElement.plan_id == plan_id)
    return query


def histories(
    session: Session, rows: Sequence[tuple[LedgerSubject, int]]
) -> dict[tuple[LedgerSubject, int], list[LedgerEvent]]:
    """The whole history of each ledger row (subject and id), oldest first: one query."""
    by_subject: dict[LedgerSubject, list[int]] = defaultdict(list)
    for subject, subject_id in rows:
        by_subject[LedgerSubject(subject)].append(subject_id)
    found: dict[tuple[LedgerSubject, int], list[LedgerEvent]] = defaultdict(list)
    for event in session.scalars(
        select(LedgerEvent)
        .where(
            or_(
                *(
                    and_(LedgerEvent.subject == subject, LedgerEvent.subject_id.in_(ids))
                    for subject, ids in by_subject.items()
                )
            )
        )
        .order_by(LedgerEvent.id)
    ):
        found[(LedgerSubject(event.subject), event.subject_id)].append(event)
    return found
