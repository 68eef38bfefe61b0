"""GraphQL types of the hidden-hazard ledger: Hazard, and a subtree's hazard statistics."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry
from strawberry import relay

from redline.calendar import local_date
from redline.db import utcnow
from scoring.ledgers.figures import hazards as hazard_figures
from scoring.ledgers.models import SECTOR_NAMES_ZH, LedgerSubject
from scoring.ledgers.models import Hazard as HazardModel
from tenants.models import TenantNode

from ...assessments.types import SpotCheck
from ...core.context import Info
from ...core.enums import HazardSeverity, HazardSource, HazardState, Sector
from ...core.nodes import ModelNode
from ...tenants.types import Tenant, User
from ..common import LedgerEventType, ledger_history


@strawberry.type(
    name="Hazard",
    description="A hidden hazard in the responsible unit's ledger, and its rectification.",
)
class Hazard(ModelNode):
    model = HazardModel
    id: relay.NodeID[int]
    title: str
    description: str
    place: str = strawberry.field(description="Where it was found: the enterprise or site.")
    sector: Sector
    source: HazardSource
    severity: HazardSeverity
    found_on: date
    deadline: date = strawberry.field(description="The rectification deadline (a local day).")
    state: HazardState
    overdue: bool = strawberry.field(
        description="Not rectified yet and its deadline has passed (today in China)."
    )
    listed: bool = strawberry.field(description="Listed for supervision (挂牌督办) now.")
    listed_at: datetime | None
    delisted_at: datetime | None
    rectified_at: datetime | None
    verified_at: datetime | None
    closed_at: datetime | None
    recorded_at: datetime
    version: int = strawberry.field(description="Send it back as expectedVersion with a change.")
    node_id: strawberry.Private[int]
    listed_by_node_id: strawberry.Private[int | None]
    rectified_by_id: strawberry.Private[int | None]
    verified_by_id: strawberry.Private[int | None]
    recorded_by_id: strawberry.Private[int | None]
    spot_check_finding_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: HazardModel) -> Hazard:
        return cls(
            id=row.id,
            title=row.title,
            description=row.description,
            place=row.place,
            sector=row.sector,
            source=row.source,
            severity=row.severity,
            found_on=row.found_on,
            deadline=row.deadline,
            state=row.state,
            overdue=hazard_figures.is_overdue(row, local_date(utcnow())),
            listed=row.listed,
            listed_at=row.listed_at,
            delisted_at=row.delisted_at,
            rectified_at=row.rectified_at,
            verified_at=row.verified_at,
            closed_at=row.closed_at,
            recorded_at=row.created_at,
            version=row.version,
            node_id=row.node_id,
            listed_by_node_id=row.listed_by_node_id,
            rectified_by_id=row.rectified_by_id,
            verified_by_id=row.verified_by_id,
            recorded_by_id=row.recorded_by_id,
            spot_check_finding_id=row.spot_check_finding_id,
        )

    @strawberry.field(description="The responsible unit (whose ledger holds it).")
    async def unit(self, info: Info) -> Tenant:
        return await Tenant.load_seen(info, self.node_id)

    @strawberry.field(description="The office that listed it for supervision.")
    async def listed_by(self, info: Info) -> Tenant | None:
        return await Tenant.load(info, self.listed_by_node_id)

    @strawberry.field(description="Who reported it rectified; null when out of your sight.")
    async def rectified_by(self, info: Info) -> User | None:
        return await User.load(info, self.rectified_by_id)

    @strawberry.field(description="Who verified it (the look-back); null when out of sight.")
    async def verified_by(self, info: Info) -> User | None:
        return await User.load(info, self.verified_by_id)

    @strawberry.field(description="Who recorded it; null when out of your sight.")
    async def recorded_by(self, info: Info) -> User | None:
        return await User.load(info, self.recorded_by_id)

    @strawberry.field(description="The spot-check finding it was raised from, if any.")
    async def spot_check(self, info: Info) -> SpotCheck | None:
        return await SpotCheck.load(info, self.spot_check_finding_id)

    @strawberry.field(description="Every recorded step, oldest first, with its note and files.")
    async def history(self, info: Info) -> list[LedgerEventType]:
        return await ledger_history(info, LedgerSubject.HAZARD, self.id)


@strawberry.type(description="How many of the hazards found in the period are in a state now.")
class HazardStateCount:
    state: HazardState
    count: int


@strawberry.type(description="How many of the hazards found in the period are of a severity.")
class HazardSeverityCount:
    severity: HazardSeverity
    count: int


@strawberry.type(description="A sector's hazard figures for the period.")
class HazardSectorFigures:
    sector: Sector
    name_zh: str
    found: int
    rectified: int
    rectification_rate: Decimal
    overdue: int
    overdue_major: int

    @classmethod
    def from_tally(cls, sector: Sector, tally: hazard_figures.HazardTally) -> HazardSectorFigures:
        return cls(
            sector=sector,
            name_zh=SECTOR_NAMES_ZH[sector],
            found=tally.found,
            rectified=tally.rectified,
            rectification_rate=tally.rectification_rate,
            overdue=tally.overdue,
            overdue_major=tally.overdue_major,
        )


@strawberry.type(description="The hazard figures of a unit's subtree for the period.")
class HazardUnitFigures:
    unit: Tenant
    found: int
    rectified: int
    rectification_rate: Decimal
    overdue: int
    overdue_major: int

    @classmethod
    def from_tally(cls, node: TenantNode, tally: hazard_figures.HazardTally) -> HazardUnitFigures:
        return cls(
            unit=Tenant.from_model(node),
            found=tally.found,
            rectified=tally.rectified,
            rectification_rate=tally.rectification_rate,
            overdue=tally.overdue,
            overdue_major=tally.overdue_major,
        )


@strawberry.type(
    description="A unit's hidden hazards for a period (the unit and every unit below it), as "
    "of now. Found: found in the period; rectified: of those, rectified now; rates in percent "
    "to 0.1, 100.0 when none were found. Overdue: the deadline fell in the period and passed "
    "before the hazard was rectified (late rectifications count)."
)
class HazardStatistics:
    unit: Tenant
    start: date
    end: date
    as_of: datetime
    found: int
    rectified: int
    rectification_rate: Decimal
    major_found: int
    major_rectified: int
    major_rectification_rate: Decimal
    overdue: int
    overdue_major: int
    listed_overdue: int = strawberry.field(
        description="Overdue major hazards listed for supervision (a veto fact)."
    )
    open_overdue: int = strawberry.field(
        description="Of the hazards found in the period: still not rectified, past the deadline."
    )
    listed: int = strawberry.field(
        description="Of the hazards found in the period: listed for supervision now."
    )
    by_state: list[HazardStateCount]
    by_severity: list[HazardSeverityCount]
    by_sector: list[HazardSectorFigures] = strawberry.field(
        description="The sectors with hazards found or overdue in the period, in sector order."
    )
    by_unit: list[HazardUnitFigures] = strawberry.field(
        description="Each unit directly below (that you can see), by code."
    )

    @classmethod
    def from_statistics(cls, stats: hazard_figures.HazardStatistics) -> HazardStatistics:
        tally = stats.tally
        return cls(
            unit=Tenant.from_model(stats.node),
            start=stats.start,
            end=stats.end,
            as_of=stats.as_of,
            found=tally.found,
            rectified=tally.rectified,
            rectification_rate=tally.rectification_rate,
            major_found=tally.major_found,
            major_rectified=tally.major_rectified,
            major_rectification_rate=tally.major_rectification_rate,
            overdue=tally.overdue,
            overdue_major=tally.overdue_major,
            listed_overdue=len(tally.listed_overdue),
            open_overdue=stats.open_overdue,
            listed=stats.listed,
            by_state=[HazardStateCount(state=s, count=n) for s, n in stats.by_state],
            by_severity=[HazardSeverityCount(severity=s, count=n) for s, n in stats.by_severity],
            by_sector=[HazardSectorFigures.from_tally(s, t) for s, t in stats.by_sector],
            by_unit=[HazardUnitFigures.from_tally(n, t) for n, t in stats.by_unit],
        )
