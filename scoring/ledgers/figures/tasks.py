"""What the task lists say: overdue task elements, a unit's tally (completion rate, overdue
elements) and the statistics of a plan by unit and section."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, Date, and_, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from redline.calendar import local_date, period_as_of
from scoring.ledgers.models import (
    PlanSection,
    TaskElement,
)
from scoring.ledgers.rates import FULL, percent
from scoring.ledgers.subtrees import by_subtree, in_subtrees
from tenants.models import TenantNode

# --- figures ---------------------------------------------------------------------------------


def _done_by(element: TaskElement, as_of: datetime) -> bool:
    return element.completed_at is not None and element.completed_at <= as_of


def _overdue_at(element: TaskElement, as_of: datetime) -> bool:
    """Past its deadline day at ``as_of`` and not completed by the end of that day."""
    if element.deadline >= local_date(as_of):
        return False
    if not _done_by(element, as_of):
        return True
    return local_date(element.completed_at) > element.deadline  # type: ignore[arg-type]


def is_overdue(element: TaskElement, today: date) -> bool:
    """Whether the element's deadline has passed (before ``today``) without completion by the
    end of the deadline day (completed late stays overdue)."""
    if element.deadline >= today:
        return False
    return element.completed_at is None or local_date(element.completed_at) > element.deadline


class local_day(FunctionElement[date]):
    """The day in China of a UTC timestamp column, in SQL."""

    type = Date()
    name = "local_day"
    inherit_cache = True


@compiles(local_day, "postgresql")
def _local_day_postgresql(element: local_day, compiler: SQLCompiler, **kw: object) -> str:
    return f"CAST(timezone('Asia/Shanghai', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(local_day, "sqlite")
def _local_day_sqlite(element: local_day, compiler: SQLCompiler, **kw: object) -> str:
    # SQLite keeps the UTC text; China has kept UTC+8 without daylight saving since 1991.
    return f"date({compiler.process(element.clauses, **kw)}, '+8 hours')"


def overdue_clause(today: date) -> ColumnElement[bool]:
    """:func:`is_overdue` in SQL, for filtering lists of elements."""
    return and_(
        TaskElement.deadline < today,
        or_(
            TaskElement.completed_at.is_(None),
            local_day(TaskElement.completed_at) > TaskElement.deadline,
        ),
    )


@dataclass(frozen=True)
class TaskTally:
    """A subtree's task elements due in a period, as of a moment, with the rows counted."""

    due: int
    done: int
    overdue: int
    elements_due: tuple[TaskElement, ...]
    elements_overdue: tuple[TaskElement, ...]
    completion_rate: Decimal

    @classmethod
    def of(cls, elements: Sequence[TaskElement], as_of: datetime) -> TaskTally:
        """The figures of ``elements`` (all due in the period) as of ``as_of``."""
        overdue = tuple(e for e in elements if _overdue_at(e, as_of))
        done = sum(1 for e in elements if _done_by(e, as_of))
        return cls(
            due=len(elements),
            done=done,
            overdue=len(overdue),
            elements_due=tuple(elements),
            elements_overdue=overdue,
            completion_rate=percent(done, len(elements), when_empty=FULL),
        )


def task_tally(
    session: Session,
    nodes: Sequence[TenantNode],
    start: date,
    end: date,
    *,
    as_of: datetime,
    plan_id: int | None = None,
) -> dict[int, TaskTally]:
    """Per node (by id): the elements of its subtree (by responsible unit) with a deadline in
    [start, end], done and overdue as of ``as_of``; one query for all the nodes."""
    if not nodes:
        return {}
    stmt = (
        select(TaskElement, TenantNode.path)
        .join(TenantNode, TenantNode.id == TaskElement.node_id)
        .where(
            in_subtrees(TaskElement.customer_id, nodes),
            TaskElement.deadline >= start,
            TaskElement.deadline <= end,
        )
        .order_by(TaskElement.deadline, TaskElement.id)
    )
    if plan_id is not None:
        stmt = stmt.where(TaskElement.plan_id == plan_id)
    bucketed = by_subtree(session.execute(stmt), nodes)
    return {n.id: TaskTally.of(bucketed[n.id], as_of) for n in nodes}


@dataclass(frozen=True)
class UnitTaskFigures:
    """One unit's figures within a statistic (its whole subtree)."""

    node: TenantNode
    tally: TaskTally


@dataclass(frozen=True)
class SectionTaskFigures:
    """One topic's or project's figures within a statistic (a topic counts its projects)."""

    section: PlanSection
    tally: TaskTally


@dataclass(frozen=True)
class TaskStatistics:
    """A unit's task figures over a period: its tally, each unit directly below it, and with
    a plan each topic and project of the plan."""

    node: TenantNode
    start: date
    end: date
    as_of: datetime
    tally: TaskTally
    by_unit: tuple[UnitTaskFigures, ...]
    by_section: tuple[SectionTaskFigures, ...]

    @property
    def due(self) -> int:
        return self.tally.due

    @property
    def done(self) -> int:
        return self.tally.done

    @property
    def overdue(self) -> int:
        return self.tally.overdue

    @property
    def completion_rate(self) -> Decimal:
        return self.tally.completion_rate


def task_statistics(
    session: Session,
    node: TenantNode,
    start: date,
    end: date,
    *,
    now: datetime,
    plan_id: int | None = None,
) -> TaskStatistics:
    """The figures of ``node``'s subtree over [start, end], taken as the indicators take them
    (as of the period's last moment, or now while it runs), from the same tally."""
    as_of = period_as_of(end, now)
    children = session.scalars(
        select(TenantNode).where(TenantNode.parent_id == node.id).order_by(TenantNode.code)
    ).all()
    tallies = task_tally(session, [node, *children], start, end, as_of=as_of, plan_id=plan_id)
    tally = tallies[node.id]
    by_section: tuple[SectionTaskFigures, ...] = ()
    if plan_id is not None:
        sections = session.scalars(
            select(PlanSection).where(PlanSection.plan_id == plan_id).order_by(PlanSection.position)
        ).all()
        parents = {s.id: s.parent_id for s in sections}
        in_section: dict[int, list[TaskElement]] = defaultdict(list)
        for element in tally.elements_due:
            section_id = element.section_id
            while section_id is not None:
                in_section[section_id].append(element)
                section_id = parents.get(section_id)
        by_section = tuple(
            SectionTaskFigures(s, TaskTally.of(in_section[s.id], as_of)) for s in sections
        )
    return TaskStatistics(
        node=node,
        start=start,
        end=end,
        as_of=as_of,
        tally=tally,
        by_unit=tuple(UnitTaskFigures(c, tallies[c.id]) for c in children),
        by_section=by_section,
    )
