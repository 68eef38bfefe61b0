"""Queries of the accident ledger: the accident list and a subtree's statistics."""

from __future__ import annotations

import strawberry
from strawberry import relay

from scoring.ledgers.figures import accidents as accident_figures

from ...core.context import Info
from ...core.ids import argument_id
from ...core.pagination import Connection
from ..common import PeriodInput, ledger_unit, period_of
from .filters import AccidentFilter, accidents_matching
from .types import Accident, AccidentStatistics


@strawberry.type
class AccidentQueries:
    @strawberry.field(
        description="Accidents you can see (your unit's, and those of the units below you that "
        "you keep or read), in recording order."
    )
    def accidents(
        self,
        info: Info,
        filter: AccidentFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Accident]:
        info.context.require_actor()
        query = accidents_matching(info, filter)
        return Accident.page(info, query, first=first, after=after)

    @strawberry.field(
        description="Accident figures of a unit's subtree for a period, year on year, by class, "
        "sector and unit below. A unit whose ledgers you cannot read is NOT_FOUND."
    )
    def accident_statistics(
        self, info: Info, node_id: relay.GlobalID, period: PeriodInput
    ) -> AccidentStatistics:
        info.context.require_actor()
        start, end = period_of(period, "period")
        node = ledger_unit(info, argument_id(node_id, "Tenant", "nodeId"), or_refuse="nodeId")
        return AccidentStatistics.from_statistics(
            accident_figures.accident_statistics(info.context.db, node, start, end)
        )
