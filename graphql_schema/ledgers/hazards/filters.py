"""Filters of the hazard list, and the domain query they become."""

from __future__ import annotations

import strawberry
from sqlalchemy import Select
from strawberry import relay

from scoring.ledgers.models import Hazard
from scoring.ledgers.reading import hazards_query

from ...core.context import Info
from ...core.enums import HazardSeverity, HazardSource, HazardState, Sector
from ...core.ids import optional_argument_id
from ..common import PeriodInput, period_of


@strawberry.input(description="Narrow the hazard list; every given condition must hold.")
class HazardFilter:
    node_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The unit and every unit below it."
    )
    state: HazardState | None = strawberry.field(default=None, description="In this state now.")
    severity: HazardSeverity | None = strawberry.field(
        default=None, description="Of this severity."
    )
    sector: Sector | None = strawberry.field(default=None, description="Of this sector.")
    source: HazardSource | None = strawberry.field(
        default=None, description="Found by this source."
    )
    overdue: bool | None = strawberry.field(
        default=None, description="Not rectified and past the deadline today (or the opposite)."
    )
    listed: bool | None = strawberry.field(
        default=None, description="Listed for supervision now (or not)."
    )
    found_in: PeriodInput | None = strawberry.field(
        default=None, description="Found in this period."
    )


def hazards_matching(info: Info, filter: HazardFilter | None) -> Select[tuple[Hazard]]:
    """The hazards the filter asks for."""
    if filter is None:
        return hazards_query(info.context.db)
    return hazards_query(
        info.context.db,
        subtree_of=optional_argument_id(filter.node_id, "Tenant", "filter.nodeId"),
        state=filter.state,
        severity=filter.severity,
        sector=filter.sector,
        source=filter.source,
        overdue=filter.overdue,
        listed=filter.listed,
        found_in=period_of(filter.found_in, "filter.foundIn") if filter.found_in else None,
    )
