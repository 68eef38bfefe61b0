"""Queries of the task lists: action plans, task elements, a subtree's task figures."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from ...core.context import Info
from ...core.ids import argument_id, optional_argument_id
from ...core.pagination import After, Before, Connection, First, Last
from ..common import PeriodInput, ledger_unit, period_of
from .filters import ActionPlanFilter, TaskElementFilter, elements_matching, plans_matching
from .types import ActionPlan, TaskElement, TaskStatistics


@strawberry.type
class TaskQueries:
    @strawberry.field(description="Action plans of your province, oldest first.")
    def action_plans(
        self,
        info: Info,
        filter: Annotated[
            ActionPlanFilter | None,
            strawberry.argument(description="Only the plans it matches; left out: all."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ActionPlan]:
        info.context.require_actor()
        query = plans_matching(filter)
        return ActionPlan.page(info, query, first=first, after=after, last=last, before=before)

    @strawberry.field(
        description="Task elements you can see (your unit's and those below), oldest first."
    )
    def task_elements(
        self,
        info: Info,
        filter: Annotated[
            TaskElementFilter | None,
            strawberry.argument(description="Only the elements it matches; left out: all."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[TaskElement]:
        info.context.require_actor()
        query = elements_matching(info, filter)
        return TaskElement.page(info, query, first=first, after=after, last=last, before=before)

    @strawberry.field(
        description="Task figures of a unit's subtree over a period, optionally of one plan; "
        "null unless you see the unit's ledgers (not only its name) and the plan."
    )
    async def task_statistics(
        self,
        info: Info,
        node_id: Annotated[
            relay.GlobalID,
            strawberry.argument(description="The unit (a Tenant id): it and every unit below."),
        ],
        period: Annotated[
            PeriodInput, strawberry.argument(description="The days of the elements' deadlines.")
        ],
        plan_id: Annotated[
            relay.GlobalID | None,
            strawberry.argument(description="Only this action plan's elements; left out: all."),
        ] = None,
    ) -> TaskStatistics | None:
        info.context.require_actor()
        start, end = period_of(period, "period")
        node = ledger_unit(info, argument_id(node_id, "Tenant", "nodeId"))
        plan = await ActionPlan.load(info, optional_argument_id(plan_id, "ActionPlan", "planId"))
        if node is None or (plan_id is not None and plan is None):
            return None
        return TaskStatistics.of(info, node, start, end, plan.id if plan else None)
