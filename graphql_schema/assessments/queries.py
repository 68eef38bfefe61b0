"""Queries of the assessments area: cycles and assessments (single ones through node(id:))."""

from __future__ import annotations

from typing import Annotated

import strawberry

from ..core.context import Info
from ..core.pagination import After, Before, Connection, First, Last
from .filters import AssessmentFilter, CycleFilter, assessments_matching, cycles_matching
from .types import Assessment, Cycle


@strawberry.type
class AssessmentQueries:
    @strawberry.field(description="Assessment cycles of your province, oldest first.")
    def cycles(
        self,
        info: Info,
        filter: Annotated[
            CycleFilter | None,
            strawberry.argument(description="Only the cycles it matches; null: all."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Cycle]:
        info.context.require_actor()
        query = cycles_matching(filter)
        return Cycle.page(info, query, first=first, after=after, last=last, before=before)

    @strawberry.field(
        description="Assessments you can see (your unit's, and those of the units below you "
        "that you review or read), in opening order."
    )
    def assessments(
        self,
        info: Info,
        filter: Annotated[
            AssessmentFilter | None,
            strawberry.argument(description="Only the assessments it matches; null: all."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Assessment]:
        info.context.require_actor()
        query = assessments_matching(info, filter)
        return Assessment.page(info, query, first=first, after=after, last=last, before=before)
