"""Filters of the task lists, and the domain queries and conditions they become."""

from __future__ import annotations

import strawberry
from sqlalchemy import Select
from strawberry import relay

from scoring.ledgers.models import ActionPlan, TaskElement
from scoring.ledgers.reading import (
    ElementConditions,
    element_conditions,
    elements_query,
    plans_query,
)

from ...core.context import Info
from ...core.enums import TaskState
from ...core.ids import optional_argument_id
from ..common import PeriodInput, period_of


@strawberry.input(description="Narrow a list of action plans.")
class ActionPlanFilter:
    owner_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Plans issued by this unit."
    )


@strawberry.input(description="Narrow a plan's task elements; all given conditions apply.")
class PlanElementFilter:
    node_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Elements of this unit and every unit below it."
    )
    state: TaskState | None = strawberry.field(default=None, description="In this state.")
    overdue: bool | None = strawberry.field(
        default=None, description="Past the deadline day and not completed by its end (today)."
    )
    due_in: PeriodInput | None = strawberry.field(
        default=None, description="Elements with a deadline in this period."
    )


@strawberry.input(description="Narrow a list of task elements; all given conditions apply.")
class TaskElementFilter(PlanElementFilter):
    plan_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Elements of this action plan."
    )


def plans_matching(filter: ActionPlanFilter | None) -> Select[tuple[ActionPlan]]:
    """The action plans the filter asks for."""
    owner = filter.owner_id if filter is not None else None
    return plans_query(owner_id=optional_argument_id(owner, "Tenant", "filter.ownerId"))


def conditions_of(info: Info, filter: PlanElementFilter | None) -> ElementConditions:
    """The elements the filter asks for, as conditions (a unit out of sight matches none)."""
    if filter is None:
        return ElementConditions()
    return element_conditions(
        info.context.db,
        subtree_of=optional_argument_id(filter.node_id, "Tenant", "filter.nodeId"),
        state=filter.state,
        overdue=filter.overdue,
        due_in=period_of(filter.due_in, "filter.dueIn") if filter.due_in else None,
    )


def elements_matching(info: Info, filter: TaskElementFilter | None) -> Select[tuple[TaskElement]]:
    """The task elements the filter asks for."""
    conditions = conditions_of(info, filter)
    plan = filter.plan_id if filter is not None else None
    return elements_query(
        conditions, plan_id=optional_argument_id(plan, "ActionPlan", "filter.planId")
    )
