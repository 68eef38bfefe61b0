"""Queries of the hidden-hazard ledger: the hazard list and a subtree's statistics."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from redline.db import utcnow
from scoring.ledgers.figures import hazards as hazard_figures

from ...core.context import Info
from ...core.ids import argument_id
from ...core.pagination import After, Before, Connection, First, Last
from ..common import PeriodInput, ledger_unit, period_of
from .filters import HazardFilter, hazards_matching
from .types import Hazard, HazardStatistics


@strawberry.type
class HazardQueries:
    @strawberry.field(
        description="Hidden hazards you can see (your unit's, and the units' below you that "
        "you supervise or read), in recording order."
    )
    def hazards(
        self,
        info: Info,
        filter: Annotated[
            HazardFilter | None,
            strawberry.argument(description="Only the hazards it matches; left out: all."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Hazard]:
        info.context.require_actor()
        query = hazards_matching(info, filter)
        return Hazard.page(info, query, first=first, after=after, last=last, before=before)

    @strawberry.field(
        description="Hazard figures of a unit's subtree for a period, as of now; null for a "
        "unit whose ledgers you cannot read."
    )
    def hazard_statistics(
        self,
        info: Info,
        node_id: Annotated[
            relay.GlobalID,
            strawberry.argument(description="The unit (a Tenant id): it and every unit below."),
        ],
        period: Annotated[
            PeriodInput, strawberry.argument(description="The days the hazards were found in.")
        ],
    ) -> HazardStatistics | None:
        info.context.require_actor()
        start, end = period_of(period, "period")
        node = ledger_unit(info, argument_id(node_id, "Tenant", "nodeId"))
        if node is None:
            return None
        stats = hazard_figures.hazard_statistics(info.context.db, node, start, end, now=utcnow())
        return HazardStatistics.from_statistics(stats)
