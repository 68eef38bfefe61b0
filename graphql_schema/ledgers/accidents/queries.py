"""Queries of the accident ledger: the accident list and a subtree's statistics."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from scoring.ledgers.figures import accidents as accident_figures

from ...core.context import Info
from ...core.ids import argument_id
from ...core.pagination import After, Before, Connection, First, Last
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
        filter: Annotated[
            AccidentFilter | None,
            strawberry.argument(description="Only the accidents it matches; left out: all."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Accident]:
        info.context.require_actor()
        query = accidents_matching(info, filter)
        return Accident.page(info, query, first=first, after=after, last=last, before=before)

    @strawberry.field(
        description="Accident figures of a unit's subtree for a period, year on year, by class, "
        "sector and unit below. A unit whose ledgers you cannot read is NOT_FOUND."
    )
    def accident_statistics(
        self,
        info: Info,
        node_id: Annotated[
            relay.GlobalID,
            strawberry.argument(description="The unit (a Tenant id): it and every unit below."),
        ],
        period: Annotated[
            PeriodInput,
            strawberry.argument(description="The days the accidents happened in."),
        ],
    ) -> AccidentStatistics:
        info.context.require_actor()
        start, end = period_of(period, "period")
        node = ledger_unit(info, argument_id(node_id, "Tenant", "nodeId"), or_refuse="nodeId")
        return AccidentStatistics.from_statistics(
            accident_figures.accident_statistics(info.context.db, node, start, end)
        )
