"""Filters of the accident list, and the domain query they become."""

from __future__ import annotations

import strawberry
from sqlalchemy import Select
from strawberry import relay

from scoring.ledgers.models import Accident
from scoring.ledgers.reading import accidents_query

from ...core.context import Info
from ...core.enums import AccidentClass, ReportStatus, Sector
from ...core.ids import optional_argument_id
from ..common import PeriodInput, period_of


@strawberry.input(description="Narrow the accident list; every given condition must hold.")
class AccidentFilter:
    node_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The unit and every unit below it."
    )
    period: PeriodInput | None = strawberry.field(
        default=None, description="Happened in this period (occurredOn, both ends included)."
    )
    sector: Sector | None = strawberry.field(default=None, description="Of this sector.")
    accident_class: AccidentClass | None = strawberry.field(
        default=None, description="Of this class."
    )
    report_status: ReportStatus | None = strawberry.field(
        default=None, description="Reported so: ON_TIME, LATE or CONCEALED."
    )


def accidents_matching(info: Info, filter: AccidentFilter | None) -> Select[tuple[Accident]]:
    """The accidents the filter asks for."""
    if filter is None:
        return accidents_query(info.context.db)
    return accidents_query(
        info.context.db,
        subtree_of=optional_argument_id(filter.node_id, "Tenant", "filter.nodeId"),
        occurred_in=period_of(filter.period, "filter.period") if filter.period else None,
        sector=filter.sector,
        accident_class=filter.accident_class,
        report_status=filter.report_status,
    )
