"""DataLoaders of the task-list API: plans, their sections, pages of their elements, batched."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import ColumnElement, false, func, select
from sqlalchemy.orm import Session, aliased
from strawberry.dataloader import DataLoader

from scoring.ledgers.figures import tasks as task_figures
from scoring.ledgers.models import ActionPlan as ActionPlanModel
from scoring.ledgers.models import PlanSection, TaskState
from scoring.ledgers.models import TaskElement as TaskElementModel
from tenants.models import TenantNode
from tenants.scope import in_subtree


@dataclass(frozen=True)
class ElementConditions:
    """A filter of task elements as SQL conditions (hashable: part of DataLoader keys)."""

    node_path: str | None = None  # the responsible unit's subtree
    nothing: bool = False  # the filter named a unit out of sight
    state: TaskState | None = None
    overdue: bool | None = None
    due_start: date | None = None
    due_end: date | None = None
    today: date | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        if self.nothing:
            return [false()]
        clauses: list[ColumnElement[bool]] = []
        if self.node_path is not None:
            clauses.append(
                TaskElementModel.node_id.in_(
                    select(TenantNode.id).where(in_subtree(TenantNode.path, self.node_path))
                )
            )
        if self.state is not None:
            clauses.append(TaskElementModel.state == self.state)
        if self.overdue is not None and self.today is not None:
            overdue = task_figures.overdue_clause(self.today)
            clauses.append(overdue if self.overdue else ~overdue)
        if self.due_start is not None:
            clauses.append(TaskElementModel.deadline >= self.due_start)
        if self.due_end is not None:
            clauses.append(TaskElementModel.deadline <= self.due_end)
        return clauses


class ElementPageKey(NamedTuple):
    """One page of a plan's elements: which plan, which filter, how many, after which position."""

    plan_id: int
    conditions: ElementConditions
    limit: int
    after_position: int | None


class TaskLoaders:
    """The task-list loaders of one request, on the request's scoped session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.plan = DataLoader(self._plans)
        self.sections = DataLoader(self._sections)
        self.section_counts = DataLoader(self._section_counts)
        self.element_page = DataLoader(self._element_pages)
        self.element_count = DataLoader(self._element_counts)

    async def _plans(self, ids: Sequence[int]) -> list[ActionPlanModel | None]:
        rows = self.session.scalars(select(ActionPlanModel).where(ActionPlanModel.id.in_(ids)))
        found = {r.id: r for r in rows}
        return [found.get(i) for i in ids]

    async def _sections(self, plan_ids: Sequence[int]) -> list[list[PlanSection]]:
        grouped: dict[int, list[PlanSection]] = defaultdict(list)
        for row in self.session.scalars(
            select(PlanSection)
            .where(PlanSection.plan_id.in_(plan_ids))
            .order_by(PlanSection.plan_id, PlanSection.position)
        ):
            grouped[row.plan_id].append(row)
        return [grouped[i] for i in plan_ids]

    async def _section_counts(self, plan_ids: Sequence[int]) -> list[dict[int | None, int]]:
        """Visible elements per section (None: directly under the plan), per plan."""
        counts: dict[int, dict[int | None, int]] = defaultdict(dict)
        for plan_id, section_id, count in self.session.execute(
            select(TaskElementModel.plan_id, TaskElementModel.section_id, func.count())
            .where(TaskElementModel.plan_id.in_(plan_ids))
            .group_by(TaskElementModel.plan_id, TaskElementModel.section_id)
        ):
            counts[plan_id][section_id] = count
        return [counts[i] for i in plan_ids]

    async def _element_pages(self, keys: Sequence[ElementPageKey]) -> list[list[TaskElementModel]]:
        """One query per distinct (filter, size, cursor): in a list of plans, one for all."""
        groups: dict[tuple[ElementConditions, int, int | None], list[int]] = defaultdict(list)
        for key in keys:
            groups[(key.conditions, key.limit, key.after_position)].append(key.plan_id)
        pages: dict[ElementPageKey, list[TaskElementModel]] = {}
        for (conditions, limit, after), plan_ids in groups.items():
            rank = (
                func.row_number()
                .over(partition_by=TaskElementModel.plan_id, order_by=TaskElementModel.position)
                .label("rank")
            )
            inner = select(TaskElementModel, rank).where(
                TaskElementModel.plan_id.in_(plan_ids), *conditions.clauses()
            )
            if after is not None:
                inner = inner.where(TaskElementModel.position > after)
            sub = inner.subquery()
            element = aliased(TaskElementModel, sub)
            grouped: dict[int, list[TaskElementModel]] = defaultdict(list)
            for row in self.session.scalars(
                select(element).where(sub.c.rank <= limit).order_by(sub.c.position)
            ):
                grouped[row.plan_id].append(row)
            for plan_id in plan_ids:
                pages[ElementPageKey(plan_id, conditions, limit, after)] = grouped[plan_id]
        return [pages[k] for k in keys]

    async def _element_counts(self, keys: Sequence[tuple[int, ElementConditions]]) -> list[int]:
        groups: dict[ElementConditions, list[int]] = defaultdict(list)
        for plan_id, conditions in keys:
            groups[conditions].append(plan_id)
        counts: dict[tuple[int, ElementConditions], int] = {}
        for conditions, plan_ids in groups.items():
            for plan_id, count in self.session.execute(
                select(TaskElementModel.plan_id, func.count())
                .where(TaskElementModel.plan_id.in_(plan_ids), *conditions.clauses())
                .group_by(TaskElementModel.plan_id)
            ):
                counts[(plan_id, conditions)] = count
        return [counts.get(k, 0) for k in keys]
