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
    title: str = strawberry.field(description="A short title.")
    description: str = strawberry.field(description="What was found.")
    place: str = strawberry.field(description="Where it was found: the enterprise or site.")
    sector: Sector = strawberry.field(description="The industry sector.")
    source: HazardSource = strawberry.field(description="Who found it.")
    severity: HazardSeverity = strawberry.field(description="General (一般) or major (重大).")
    found_on: date = strawberry.field(description="The day it was found (a local day).")
    deadline: date = strawberry.field(description="The rectification deadline (a local day).")
    state: HazardState = strawberry.field(description="Where its rectification stands.")
    overdue: bool = strawberry.field(
        description="Not rectified yet and its deadline has passed (today in China)."
    )
    listed: bool = strawberry.field(description="Listed for supervision (挂牌督办) now.")
    listed_at: datetime | None = strawberry.field(
        description="When it was last listed for supervision; null if never."
    )
    delisted_at: datetime | None = strawberry.field(
        description="When it was last delisted; null if never."
    )
    rectified_at: datetime | None = strawberry.field(
        description="When it was reported rectified; null until then (and again after a "
        "failed look-back)."
    )
    verified_at: datetime | None = strawberry.field(
        description="When the look-back (复查) verified it; null until then."
    )
    closed_at: datetime | None = strawberry.field(
        description="When it was closed; null until then."
    )
    recorded_at: datetime = strawberry.field(description="When it was entered in the ledger.")
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
    state: HazardState = strawberry.field(description="The state.")
    count: int = strawberry.field(description="Hazards found in the period in it now.")


@strawberry.type(description="How many of the hazards found in the period are of a severity.")
class HazardSeverityCount:
    severity: HazardSeverity = strawberry.field(description="The severity.")
    count: int = strawberry.field(description="Hazards found in the period of it.")


@strawberry.type(description="A sector's hazard figures for the period.")
class HazardSectorFigures:
    sector: Sector = strawberry.field(description="The sector.")
    name_zh: str = strawberry.field(description="The sector's Chinese name.")
    found: int = strawberry.field(description="Hazards found in the period.")
    rectified: int = strawberry.field(
        description="Of those, rectified by now (RECTIFIED, VERIFIED or CLOSED)."
    )
    rectification_rate: Decimal = strawberry.field(
        description="rectified / found in percent, to 0.1; 100.0 when none were found."
    )
    overdue: int = strawberry.field(
        description="Hazards whose deadline fell in the period and passed before they were "
        "rectified."
    )
    overdue_major: int = strawberry.field(description="Of those, major hazards.")

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
    unit: Tenant = strawberry.field(description="The unit directly below (its whole subtree).")
    found: int = strawberry.field(description="Hazards found in the period.")
    rectified: int = strawberry.field(
        description="Of those, rectified by now (RECTIFIED, VERIFIED or CLOSED)."
    )
    rectification_rate: Decimal = strawberry.field(
        description="rectified / found in percent, to 0.1; 100.0 when none were found."
    )
    overdue: int = strawberry.field(
        description="Hazards whose deadline fell in the period and passed before they were "
        "rectified."
    )
    overdue_major: int = strawberry.field(description="Of those, major hazards.")

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
    unit: Tenant = strawberry.field(description="The unit asked about.")
    start: date = strawberry.field(description="The period's first day.")
    end: date = strawberry.field(description="The period's last day.")
    as_of: datetime = strawberry.field(description="The moment the figures describe (now).")
    found: int = strawberry.field(description="Hazards found in the period.")
    rectified: int = strawberry.field(
        description="Of those, rectified by now (RECTIFIED, VERIFIED or CLOSED)."
    )
    rectification_rate: Decimal = strawberry.field(
        description="rectified / found in percent, to 0.1; 100.0 when none were found."
    )
    major_found: int = strawberry.field(description="Major hazards found in the period.")
    major_rectified: int = strawberry.field(description="Of those, rectified now.")
    major_rectification_rate: Decimal = strawberry.field(
        description="majorRectified / majorFound in percent, to 0.1; 100.0 when none."
    )
    overdue: int = strawberry.field(
        description="Hazards whose deadline fell in the period and passed before they were "
        "rectified (late rectifications count)."
    )
    overdue_major: int = strawberry.field(description="Of those, major hazards.")
    listed_overdue: int = strawberry.field(
        description="Overdue major hazards listed for supervision (a veto fact)."
    )
    open_overdue: int = strawberry.field(
        description="Of the hazards found in the period: still not rectified, past the deadline."
    )
    listed: int = strawberry.field(
        description="Of the hazards found in the period: listed for supervision now."
    )
    by_state: list[HazardStateCount] = strawberry.field(
        description="The hazards found in the period by their state now, every state in "
        "workflow order (zeros included)."
    )
    by_severity: list[HazardSeverityCount] = strawberry.field(
        description="The hazards found in the period by severity, GENERAL first (zeros included)."
    )
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
