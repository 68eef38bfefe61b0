"""The accident ledger API: accidents (list, filters), recording and correcting them, and their
statistics against the same period of the previous year."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

import strawberry
from sqlalchemy import false, select
from sqlalchemy.orm import Session
from strawberry import relay

from redline.errors import DomainError, ErrorCode
from scoring.ledgers import accidents
from scoring.ledgers.figures import accidents as accident_figures
from scoring.ledgers.models import (
    SECTOR_NAMES_ZH,
    AccidentClass,
    LedgerSubject,
    ReportStatus,
)
from scoring.ledgers.models import Accident as AccidentModel
from scoring.ledgers.year_on_year import Change
from tenants.access import Actor
from tenants.models import TenantNode
from tenants.scope import in_subtree

from ..context import Info
from ..errors import ApiError, UserError, user_errors
from ..ids import argument_id
from ..mutations import get, run
from ..pagination import Connection, paginate
from ..scoring.types import amount
from ..tenants.types import Tenant, User
from .common import (
    LedgerEventType,
    PeriodInput,
    SectorEnum,
    YearOnYear,
    ledger_history,
    period_problems,
    user_of,
)

AccidentClassEnum = strawberry.enum(
    AccidentClass,
    name="AccidentClass",
    description="Class by the State Council regulation on accident reporting (2007), computed "
    "from the figures: the highest class any measure reaches. ESPECIALLY_SERIOUS (特别重大): 30 "
    "or more deaths, 100 or more serious injuries, or 100 million yuan or more direct loss; "
    "MAJOR (重大): 10-29 deaths, 50-99 injuries or 50-100 million yuan; LARGER (较大): 3-9 "
    "deaths, 10-49 injuries or 10-50 million yuan; GENERAL (一般): below all of those.",
)
ReportStatusEnum = strawberry.enum(
    ReportStatus,
    name="ReportStatus",
    description="How the accident reached the authorities: ON_TIME, LATE (迟报), or CONCEALED "
    "(瞒报; discoveredOn says when it came to light).",
)


def _yuan(change: Change) -> YearOnYear:
    """A change of amounts in yuan, with the places they need (at least 2)."""
    return YearOnYear(
        current=amount(change.current),  # type: ignore[arg-type]
        previous=amount(change.previous),  # type: ignore[arg-type]
        change=amount(change.change),  # type: ignore[arg-type]
        percent=change.percent,
    )


@strawberry.type(
    name="Accident",
    description="An accident in a unit's ledger. Its class follows from its figures; a "
    "correction restates it, and every change is in its history.",
)
class Accident(relay.Node):
    id: relay.NodeID[int]
    occurred_on: date = strawberry.field(description="The day it happened (China).")
    title: str
    description: str
    sector: SectorEnum  # type: ignore[valid-type]
    sector_name_zh: str = strawberry.field(description="The sector's Chinese name (危险化学品...).")
    deaths: int
    serious_injuries: int
    direct_loss: Decimal = strawberry.field(
        description="Direct economic loss in yuan (reports print it in 10,000 yuan, 万元)."
    )
    accident_class: AccidentClassEnum  # type: ignore[valid-type]
    report_status: ReportStatusEnum  # type: ignore[valid-type]
    reported_at: datetime | None = strawberry.field(
        description="When it was reported to the authorities, if known."
    )
    discovered_on: date | None = strawberry.field(
        description="CONCEALED only: the day it came to light."
    )
    recorded_at: datetime
    version: int = strawberry.field(description="Send it back as expectedVersion to correct.")
    node_id: strawberry.Private[int]
    recorded_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: AccidentModel) -> Accident:
        return cls(
            id=row.id,
            occurred_on=row.occurred_on,
            title=row.title,
            description=row.description,
            sector=row.sector,
            sector_name_zh=SECTOR_NAMES_ZH[row.sector],
            deaths=row.deaths,
            serious_injuries=row.serious_injuries,
            direct_loss=amount(row.direct_loss),  # type: ignore[arg-type]
            accident_class=row.accident_class,
            report_status=row.report_status,
            reported_at=row.reported_at,
            discovered_on=row.discovered_on,
            recorded_at=row.created_at,
            version=row.version,
            node_id=row.node_id,
            recorded_by_id=row.recorded_by_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        ids = [int(i) for i in node_ids]
        rows = info.context.db.scalars(select(AccidentModel).where(AccidentModel.id.in_(ids)))
        found = {row.id: row for row in rows}
        return [cls.from_model(found[i]) if i in found else None for i in ids]

    @strawberry.field(description="The unit whose ledger holds it (where it happened).")
    async def unit(self, info: Info) -> Tenant:
        node = await info.context.loaders.tenant.load(self.node_id)
        return Tenant.from_model(node)

    @strawberry.field(description="Who recorded it; null when out of your sight.")
    async def recorded_by(self, info: Info) -> User | None:
        return await user_of(info, self.recorded_by_id)

    @strawberry.field(
        description="Every change, oldest first: recorded, then one correction per changed "
        "field (old, new, and the reason as note)."
    )
    async def history(self, info: Info) -> list[LedgerEventType]:
        return await ledger_history(info, LedgerSubject.ACCIDENT, self.id)


@strawberry.input(description="Narrow the accident list; every given condition must hold.")
class AccidentFilter:
    node_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The unit and every unit below it."
    )
    period: PeriodInput | None = strawberry.field(
        default=None, description="Happened in this period (occurredOn, both ends included)."
    )
    sector: SectorEnum | None = None  # type: ignore[valid-type]
    accident_class: AccidentClassEnum | None = None  # type: ignore[valid-type]
    report_status: ReportStatusEnum | None = None  # type: ignore[valid-type]


# --- statistics ------------------------------------------------------------------------------


@strawberry.type(description="A subtree's accident totals, year on year.")
class AccidentTotals:
    count: YearOnYear = strawberry.field(description="Accidents.")
    deaths: YearOnYear
    serious_injuries: YearOnYear
    direct_loss: YearOnYear = strawberry.field(description="Direct economic loss in yuan.")

    @classmethod
    def from_totals(cls, totals: accident_figures.AccidentTotals) -> AccidentTotals:
        return cls(
            count=YearOnYear.from_change(totals.count),
            deaths=YearOnYear.from_change(totals.deaths),
            serious_injuries=YearOnYear.from_change(totals.serious_injuries),
            direct_loss=_yuan(totals.direct_loss),
        )


@strawberry.type(description="Accidents and deaths of one class, year on year.")
class AccidentClassFigures:
    accident_class: AccidentClassEnum  # type: ignore[valid-type]
    count: YearOnYear = strawberry.field(description="Accidents.")
    deaths: YearOnYear


@strawberry.type(description="Accidents and deaths of one sector, year on year.")
class AccidentSectorFigures:
    sector: SectorEnum  # type: ignore[valid-type]
    name_zh: str
    count: YearOnYear = strawberry.field(description="Accidents.")
    deaths: YearOnYear


@strawberry.type(description="Accidents and deaths of a unit directly below (its whole subtree).")
class AccidentUnitFigures:
    unit: Tenant
    count: YearOnYear = strawberry.field(description="Accidents.")
    deaths: YearOnYear


@strawberry.type(
    description="A unit's accidents (the unit and every unit below it) that happened in a "
    "period, each figure against the same period of the previous year (each end a year back; "
    "Feb 29 becomes Feb 28); percent changes rounded half up to 0.1, null when the previous "
    "figure is 0."
)
class AccidentStatistics:
    unit: Tenant
    start: date
    end: date
    previous_start: date = strawberry.field(description="The previous year's period: start.")
    previous_end: date = strawberry.field(description="The previous year's period: end.")
    totals: AccidentTotals
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


def _period(period: PeriodInput, field: str) -> tuple[date, date]:
    """The period's days, or a query error if it ends before it starts."""
    if problems := period_problems(period, field):
        raise ApiError(f"{problems[0].field}: {problems[0].message}", ErrorCode.INVALID)
    return period.start, period.end


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
        ctx = info.context
        ctx.require_actor()
        stmt = select(AccidentModel)
        if filter is not None:
            if filter.node_id is not None:
                root = ctx.db.get(
                    TenantNode, argument_id(filter.node_id, "Tenant", "filter.nodeId")
                )
                stmt = stmt.join(TenantNode, TenantNode.id == AccidentModel.node_id).where(
                    in_subtree(TenantNode.path, root.path) if root else false()
                )
            if filter.period is not None:
                start, end = _period(filter.period, "filter.period")
                stmt = stmt.where(AccidentModel.occurred_on.between(start, end))
            for column, value in (
                (AccidentModel.sector, filter.sector),
                (AccidentModel.accident_class, filter.accident_class),
                (AccidentModel.report_status, filter.report_status),
            ):
                if value is not None:
                    stmt = stmt.where(column == value)
        return paginate(
            ctx.db,
            stmt,
            AccidentModel.id,
            Accident.from_model,
            first=first,
            after=after,
            key_of=lambda a: a.id,
        )

    @strawberry.field(
        description="Accident figures of a unit's subtree for a period, year on year, by class, "
        "sector and unit below. A unit whose ledgers you cannot read is NOT_FOUND."
    )
    def accident_statistics(
        self, info: Info, node_id: relay.GlobalID, period: PeriodInput
    ) -> AccidentStatistics:
        ctx = info.context
        ctx.require_actor()
        start, end = _period(period, "period")
        node = ctx.db.get(TenantNode, argument_id(node_id, "Tenant", "nodeId"))
        # The names of the units above you are visible, their ledgers are not.
        if node is None or not ctx.scope.node_writable(node):
            raise ApiError(
                "nodeId: no unit with this id whose ledgers you can read", ErrorCode.NOT_FOUND
            )
        return AccidentStatistics.from_statistics(
            accident_figures.accident_statistics(ctx.db, node, start, end)
        )


# --- mutations -------------------------------------------------------------------------------


@strawberry.type
class AccidentPayload:
    accident: Accident | None
    errors: list[UserError]


def _payload(result: AccidentModel | DomainError) -> AccidentPayload:
    if isinstance(result, DomainError):
        return AccidentPayload(accident=None, errors=user_errors(result))
    return AccidentPayload(accident=Accident.from_model(result), errors=[])


@strawberry.input(description="An accident as its form states it.")
class AccidentFields:
    occurred_on: date | None = strawberry.field(
        default=None, description="Required: the day it happened (China), not after today."
    )
    title: str = strawberry.field(description="Up to 300 characters.")
    sector: SectorEnum  # type: ignore[valid-type]
    deaths: int = strawberry.field(description="0 or more.")
    serious_injuries: int = strawberry.field(description="0 or more.")
    direct_loss: Decimal = strawberry.field(
        description="Direct economic loss in yuan (not 万元): 0 or more, up to 4 decimals."
    )
    report_status: ReportStatusEnum  # type: ignore[valid-type]
    reported_at: datetime | None = strawberry.field(
        default=None,
        description="When it was reported, with its time zone: not before the day it happened, "
        "not in the future.",
    )
    discovered_on: date | None = strawberry.field(
        default=None,
        description="CONCEALED only: the day it came to light (not before occurredOn, not "
        "after today).",
    )
    description: str = strawberry.field(default="", description="Up to 4000 characters.")

    def as_input(self) -> accidents.AccidentInput:
        return accidents.AccidentInput(
            occurred_on=self.occurred_on,
            title=self.title,
            sector=self.sector,
            deaths=self.deaths,
            serious_injuries=self.serious_injuries,
            direct_loss=self.direct_loss,
            report_status=self.report_status,
            reported_at=self.reported_at,
            discovered_on=self.discovered_on,
            description=self.description,
        )


@strawberry.input(
    description="Record an accident in a unit's ledger (its own clerks, or an office above it)."
)
class RecordAccidentInput(AccidentFields):
    node_id: relay.GlobalID = strawberry.field(description="The unit where it happened.")


@strawberry.input(
    description="Restate an accident in full (deaths rising as the injured die, a concealment "
    "found out): each changed field is recorded in its history with the reason."
)
class CorrectAccidentInput(AccidentFields):
    accident_id: relay.GlobalID
    expected_version: int = strawberry.field(description="The version you read.")
    reason: str = strawberry.field(description="Why it is corrected (required).")


@strawberry.type
class AccidentMutations:
    @strawberry.mutation(description="Record an accident; its class follows from its figures.")
    def record_accident(self, info: Info, input: RecordAccidentInput) -> AccidentPayload:
        def action(session: Session, actor: Actor) -> AccidentModel:
            node = get(session, TenantNode, input.node_id, "Tenant", "nodeId")
            return accidents.record_accident(session, actor, node, input.as_input())

        return _payload(run(info, action))

    @strawberry.mutation(
        description="Correct an accident: a full restatement with a reason; the class follows."
    )
    def correct_accident(self, info: Info, input: CorrectAccidentInput) -> AccidentPayload:
        def action(session: Session, actor: Actor) -> AccidentModel:
            accident = get(session, AccidentModel, input.accident_id, "Accident", "accidentId")
            return accidents.correct_accident(
                session,
                actor,
                accident,
                input.as_input(),
                expected_version=input.expected_version,
                reason=input.reason,
            )

        return _payload(run(info, action))


# Node types of this module, registered on the schema.
TYPES: list[type] = [Accident]
