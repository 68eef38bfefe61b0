"""GraphQL types of the accident ledger: Accident, and its statistics year on year."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import strawberry
from strawberry import relay

from scoring.ledgers.figures import accidents as accident_figures
from scoring.ledgers.models import SECTOR_NAMES_ZH, LedgerSubject
from scoring.ledgers.models import Accident as AccidentModel
from scoring.ledgers.reporting import late_report_hours
from scoring.ledgers.year_on_year import Change

from ...core.amounts import amount
from ...core.context import Info
from ...core.enums import AccidentClass, ReportStatus, Sector
from ...core.nodes import ModelNode
from ...tenants.types import Tenant, User
from ..common import LedgerEventType, ledger_history


@strawberry.type(
    name="Accident",
    description="An accident in a unit's ledger. Its class follows from its figures; a "
    "correction restates it, and every change is in its history.",
)
class Accident(ModelNode):
    model = AccidentModel
    id: relay.NodeID[int]
    occurred_on: date = strawberry.field(description="The day it happened (China).")
    occurred_time: time | None = strawberry.field(
        description="The time of day it happened (China), when known."
    )
    title: str = strawberry.field(description="A short title.")
    description: str = strawberry.field(description="What happened.")
    sector: Sector = strawberry.field(description="The industry sector.")
    sector_name_zh: str = strawberry.field(description="The sector's Chinese name (危险化学品...).")
    deaths: int = strawberry.field(description="Deaths.")
    serious_injuries: int = strawberry.field(description="Serious injuries (重伤).")
    direct_loss: Decimal = strawberry.field(
        description="Direct economic loss in yuan (reports print it in 10,000 yuan, 万元)."
    )
    accident_class: AccidentClass = strawberry.field(
        description="Its class, computed from deaths, serious injuries and direct loss."
    )
    report_status: ReportStatus = strawberry.field(
        description="ON_TIME, LATE (迟报) or CONCEALED (瞒报)."
    )
    reported_at: datetime | None = strawberry.field(
        description="When it was reported to the authorities, if known."
    )
    discovered_on: date | None = strawberry.field(
        description="CONCEALED only: the day it came to light."
    )
    late_report_hours: int | None = strawberry.field(
        description="LATE only: the hours a clause counting late-report hours counts: whole "
        "hours past the regulation's one hour (a part hour as one), 1 when the times are not "
        "both known."
    )
    recorded_at: datetime = strawberry.field(description="When it was entered in the ledger.")
    version: int = strawberry.field(description="Send it back as expectedVersion to correct.")
    node_id: strawberry.Private[int]
    recorded_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: AccidentModel) -> Accident:
        return cls(
            id=row.id,
            occurred_on=row.occurred_on,
            occurred_time=row.occurred_time,
            title=row.title,
            description=row.description,
            sector=row.sector,
            sector_name_zh=SECTOR_NAMES_ZH[row.sector],
            deaths=row.deaths,
            serious_injuries=row.serious_injuries,
            direct_loss=amount(row.direct_loss),
            accident_class=row.accident_class,
            report_status=row.report_status,
            reported_at=row.reported_at,
            discovered_on=row.discovered_on,
            late_report_hours=late_report_hours(row),
            recorded_at=row.created_at,
            version=row.version,
            node_id=row.node_id,
            recorded_by_id=row.recorded_by_id,
        )

    @strawberry.field(description="The unit whose ledger holds it (where it happened).")
    async def unit(self, info: Info) -> Tenant:
        return await Tenant.load_seen(info, self.node_id)

    @strawberry.field(description="Who recorded it; null when out of your sight.")
    async def recorded_by(self, info: Info) -> User | None:
        return await User.load(info, self.recorded_by_id)

    @strawberry.field(
        description="Every change, oldest first: recorded, then one correction per changed "
        "field (old, new, and the reason as note)."
    )
    async def history(self, info: Info) -> list[LedgerEventType]:
        return await ledger_history(info, LedgerSubject.ACCIDENT, self.id)


# --- statistics ------------------------------------------------------------------------------


@strawberry.type(description="A figure against the same period of the previous year.")
class YearOnYear:
    current: Decimal = strawberry.field(description="The figure in the period.")
    previous: Decimal = strawberry.field(
        description="The figure in the same period of the previous year."
    )
    change: Decimal = strawberry.field(description="current - previous.")
    percent: Decimal | None = strawberry.field(
        description="Percent change, rounded half up to one decimal; null when previous is 0."
    )

    @classmethod
    def from_change(cls, change: Change) -> YearOnYear:
        return cls(
            current=change.current,
            previous=change.previous,
            change=change.change,
            percent=change.percent,
        )

    @classmethod
    def in_yuan(cls, change: Change) -> YearOnYear:
        """A change of amounts in yuan, with the places they need (at least 2)."""
        return cls(
            current=amount(change.current),
            previous=amount(change.previous),
            change=amount(change.change),
            percent=change.percent,
        )


@strawberry.type(description="A subtree's accident totals, year on year.")
class AccidentTotals:
    count: YearOnYear = strawberry.field(description="Accidents.")
    deaths: YearOnYear = strawberry.field(description="Deaths.")
    serious_injuries: YearOnYear = strawberry.field(description="Serious injuries.")
    direct_loss: YearOnYear = strawberry.field(description="Direct economic loss in yuan.")

    @classmethod
    def from_totals(cls, totals: accident_figures.AccidentTotals) -> AccidentTotals:
        return cls(
            count=YearOnYear.from_change(totals.count),
            deaths=YearOnYear.from_change(totals.deaths),
            serious_injuries=YearOnYear.from_change(totals.serious_injuries),
            direct_loss=YearOnYear.in_yuan(totals.direct_loss),
        )


@strawberry.type(description="Accidents and deaths of one class, year on year.")
class AccidentClassFigures:
    accident_class: AccidentClass = strawberry.field(description="The class.")
    count: YearOnYear = strawberry.field(description="Accidents.")
    deaths: YearOnYear = strawberry.field(description="Deaths.")


@strawberry.type(description="Accidents and deaths of one sector, year on year.")
class AccidentSectorFigures:
    sector: Sector = strawberry.field(description="The sector.")
    name_zh: str = strawberry.field(description="The sector's Chinese name.")
    count: YearOnYear = strawberry.field(description="Accidents.")
    deaths: YearOnYear = strawberry.field(description="Deaths.")


@strawberry.type(description="Accidents and deaths of a unit directly below (its whole subtree).")
class AccidentUnitFigures:
    unit: Tenant = strawberry.field(description="The unit directly below.")
    count: YearOnYear = strawberry.field(description="Accidents.")
    deaths: YearOnYear = strawberry.field(description="Deaths.")


@strawberry.type(
    description="A unit's accidents (the unit and every unit below it) that happened in a "
    "period, each figure against the same period of the previous year (each end a year back; "
    "Feb 29 becomes Feb 28); percent changes rounded half up to 0.1, null when the previous "
    "figure is 0."
)
class AccidentStatistics:
    unit: Tenant = strawberry.field(description="The unit asked about.")
    start: date = strawberry.field(description="The period's first day.")
    end: date = strawberry.field(description="The period's last day.")
    previous_start: date = strawberry.field(description="The previous year's period: start.")
    previous_end: date = strawberry.field(description="The previous year's period: end.")
    totals: AccidentTotals = strawberry.field(description="The subtree's totals.")
    by_class: list[AccidentClassFigures] = strawberry.field(
        description="Every class, GENERAL first (zeros included)."
    )
    by_sector: list[AccidentSectorFigures] = strawberry.field(
        description="The sectors with an accident in either period, in sector order."
    )
    by_unit: list[AccidentUnitFigures] = strawberry.field(
        description="Each unit directly below (that you can see), by code."
    )

    @classmethod
    def from_statistics(cls, stats: accident_figures.AccidentStatistics) -> AccidentStatistics:
        return cls(
            unit=Tenant.from_model(stats.node),
            start=stats.start,
            end=stats.end,
            previous_start=stats.previous_start,
            previous_end=stats.previous_end,
            totals=AccidentTotals.from_totals(stats.totals),
            by_class=[
                AccidentClassFigures(
                    accident_class=row.accident_class,
                    count=YearOnYear.from_change(row.count),
                    deaths=YearOnYear.from_change(row.deaths),
                )
                for row in stats.by_class
            ],
            by_sector=[
                AccidentSectorFigures(
                    sector=row.sector,
                    name_zh=SECTOR_NAMES_ZH[row.sector],
                    count=YearOnYear.from_change(row.count),
                    deaths=YearOnYear.from_change(row.deaths),
                )
                for row in stats.by_sector
            ],
            by_unit=[
                AccidentUnitFigures(
                    unit=Tenant.from_model(row.node),
                    count=YearOnYear.from_change(row.count),
                    deaths=YearOnYear.from_change(row.deaths),
                )
                for row in stats.by_unit
            ],
        )
