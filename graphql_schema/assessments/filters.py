"""Filters of the assessments area's lists, and the domain queries they become."""

from __future__ import annotations

import strawberry
from sqlalchemy import Select
from strawberry import relay

from scoring.assessments.models import Assessment, Cycle
from scoring.assessments.reading import AssessmentConditions, assessments_query, cycles_query

from ..core.context import Info
from ..core.enums import AssessmentState, CycleState
from ..core.ids import optional_argument_id


@strawberry.input(description="Narrow a list of cycles; all given conditions apply.")
class CycleFilter:
    state: CycleState | None = strawberry.field(
        default=None, description="Only cycles in this state."
    )
    template_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Only cycles assessed by this template version."
    )


@strawberry.input(description="Narrow a cycle's assessments; all given conditions apply.")
class CycleAssessmentFilter:
    state: AssessmentState | None = strawberry.field(
        default=None, description="Only assessments in this state."
    )
    late: bool | None = strawberry.field(
        default=None, description="Only those submitted late (true) or not late (false)."
    )


@strawberry.input(description="Narrow a list of assessments; all given conditions apply.")
class AssessmentFilter:
    cycle_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Only the assessments of this cycle."
    )
    state: AssessmentState | None = strawberry.field(
        default=None, description="Only assessments in this state."
    )
    late: bool | None = strawberry.field(
        default=None, description="Only those submitted late (true) or not late (false)."
    )
    subtree_of: relay.GlobalID | None = strawberry.field(
        default=None, description="Assessments of this unit and every unit below it."
    )


def cycles_matching(filter: CycleFilter | None) -> Select[tuple[Cycle]]:
    """The cycles the filter asks for."""
    if filter is None:
        return cycles_query()
    return cycles_query(
        state=filter.state,
        template_id=optional_argument_id(filter.template_id, "Template", "filter.templateId"),
    )


def assessment_conditions(
    filter: CycleAssessmentFilter | AssessmentFilter | None,
) -> AssessmentConditions:
    """The state and lateness the filter asks for."""
    if filter is None:
        return AssessmentConditions()
    return AssessmentConditions(state=filter.state, late=filter.late)


def assessments_matching(info: Info, filter: AssessmentFilter | None) -> Select[tuple[Assessment]]:
    """The assessments the filter asks for."""
    if filter is None:
        return assessments_query(info.context.db, AssessmentConditions())
    return assessments_query(
        info.context.db,
        assessment_conditions(filter),
        cycle_id=optional_argument_id(filter.cycle_id, "Cycle", "filter.cycleId"),
        subtree_of=optional_argument_id(filter.subtree_of, "Tenant", "filter.subtreeOf"),
    )
