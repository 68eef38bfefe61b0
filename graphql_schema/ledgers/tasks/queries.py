"""Queries of the task lists: action plans, task elements, a subtree's task figures."""

from __future__ import annotations

import strawberry
from strawberry import relay

from ...core.context import Info
from ...core.ids import argument_id, optional_argument_id
from ...core.pagination import Connection
from ..common import PeriodInput, ledger_unit, period_of
from .filters import ActionPlanFilter, TaskElementFilter, elements_matching, plans_matching
from .types import ActionPlan, TaskElement, TaskStatistics


@strawberry.type
class TaskQueries:
    @strawberry.field(description="Action plans of your province, oldest first.")
    def action_plans(
        self,
        info: Info,
        filter: ActionPlanFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ActionPlan]:
        info.context.require_actor()
        query = plans_matching(filter)
        return ActionPlan.page(info, query, first=first, after=after)

    @strawberry.field(
        description="Task elements you can see (your unit's and those below), oldest first."
    )
    def task_elements(
        self,
        info: Info,
        filter: TaskElementFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[TaskElement]:
        info.context.require_actor()
        query = elements_matching(info, filter)
        return TaskElement.page(info, query, first=first, after=after)

    @strawberry.field(
        description="Task figures of a unit's subtree over a period, optionally of one plan; "
        "null unless you see the unit's ledgers (not only its name) and the plan."
    )
    async def task_statistics(
        self,
        info: Info,
        node_id: relay.GlobalID,
        period: PeriodInput,
        plan_id: relay.GlobalID | None = None,
    ) -> TaskStatistics | None:
        info.context.require_actor()
        start, end = period_of(period, "period")
        node = ledger_unit(info, argument_id(node_id, "Tenant", "nodeId"))
        plan = await ActionPlan.load(info, optional_argument_id(plan_id, "ActionPlan", "planId"))
        if node is None or (plan_id is not None and plan is None):
            return None
        return TaskStatistics.of(info, node, start, end, plan.id if plan else None)
