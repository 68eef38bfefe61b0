"""Queries of the assessments area: cycles and assessments (single ones through node(id:))."""

from __future__ import annotations

import strawberry

from ..core.context import Info
from ..core.pagination import Connection
from .filters import AssessmentFilter, CycleFilter, assessments_matching, cycles_matching
from .types import Assessment, Cycle


@strawberry.type
class AssessmentQueries:
    @strawberry.field(description="Assessment cycles of your province, oldest first.")
    def cycles(
        self,
        info: Info,
        filter: CycleFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Cycle]:
        info.context.require_actor()
        query = cycles_matching(filter)
        return Cycle.page(info, query, first=first, after=after)

    @strawberry.field(
        description="Assessments you can see (your unit's, and those of the units below you "
        "that you review or read), in opening order."
    )
    def assessments(
        self,
        info: Info,
        filter: AssessmentFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Assessment]:
        info.context.require_actor()
        query = assessments_matching(info, filter)
        return Assessment.page(info, query, first=first, after=after)
