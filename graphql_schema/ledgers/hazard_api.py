"""The hidden-hazard ledger API: hazards (list, filters), their statistics, recording, the
rectification workflow with evidence uploads, listing and delisting for supervision."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

import strawberry
from sqlalchemy import false, not_, select
from sqlalchemy.orm import Session
from strawberry import relay
from strawberry.file_uploads import Upload

from redline.calendar import local_date
from redline.db import utcnow
from redline.errors import DomainError, ErrorCode
from scoring.assessments import review
from scoring.ledgers import hazards
from scoring.ledgers.figures import hazards as hazard_figures
from scoring.ledgers.history import FILES_MAX
from scoring.ledgers.models import (
    SECTOR_NAMES_ZH,
    HazardSeverity,
    HazardSource,
    HazardState,
    LedgerSubject,
    Sector,
)
from scoring.ledgers.models import Hazard as HazardModel
from tenants.access import Actor
from tenants.models import TenantNode
from tenants.scope import in_subtree

from ..context import Info
from ..errors import ApiError, UserError, user_errors
from ..ids import argument_id, database_id
from ..mutations import cap, evidence_store, get, run
from ..pagination import Connection, paginate
from ..scoring.types import SpotCheck
from ..tenants.types import Tenant, User, tenant_of
from .common import (
    LedgerEventType,
    PeriodInput,
    SectorEnum,
    ledger_history,
    period_problems,
    read_files,
    user_of,
)

HazardStateEnum = strawberry.enum(
    HazardState,
    name="HazardState",
    description="OPEN -> RECTIFYING -> RECTIFIED -> VERIFIED (the look-back) -> CLOSED; a "
    "general hazard may go OPEN -> RECTIFIED (rectified on the spot); a failed look-back sends "
    "RECTIFIED back to RECTIFYING.",
)
HazardSeverityEnum = strawberry.enum(
    HazardSeverity, name="HazardSeverity", description="General (一般) or major (重大隐患)."
)
HazardSourceEnum = strawberry.enum(
    HazardSource,
    name="HazardSource",
    description="Who found it: the unit's self-inspection, a department's inspection, or an "
    "unannounced spot check (四不两直).",
)


@strawberry.type(
    name="Hazard",
    description="A hidden hazard in the responsible unit's ledger, and its rectification.",
)
class Hazard(relay.Node):
    id: relay.NodeID[int]
    title: str
    description: str
    place: str = strawberry.field(description="Where it was found: the enterprise or site.")
    sector: SectorEnum  # type: ignore[valid-type]
    source: HazardSourceEnum  # type: ignore[valid-type]
    severity: HazardSeverityEnum  # type: ignore[valid-type]
    found_on: date
    deadline: date = strawberry.field(description="The rectification deadline (a local day).")
    state: HazardStateEnum  # type: ignore[valid-type]
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

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        ids = [int(i) for i in node_ids]
        rows = info.context.db.scalars(select(HazardModel).where(HazardModel.id.in_(ids)))
        found = {row.id: row for row in rows}
        return [cls.from_model(found[i]) if i in found else None for i in ids]

    @strawberry.field(description="The responsible unit (whose ledger holds it).")
    async def unit(self, info: Info) -> Tenant:
        return await tenant_of(info, self.node_id)  # type: ignore[return-value]

    @strawberry.field(description="The office that listed it for supervision.")
    async def listed_by(self, info: Info) -> Tenant | None:
        return await tenant_of(info, self.listed_by_node_id)

    @strawberry.field(description="Who reported it rectified; null when out of your sight.")
    async def rectified_by(self, info: Info) -> User | None:
        return await user_of(info, self.rectified_by_id)

    @strawberry.field(description="Who verified it (the look-back); null when out of sight.")
    async def verified_by(self, info: Info) -> User | None:
        return await user_of(info, self.verified_by_id)

    @strawberry.field(description="Who recorded it; null when out of your sight.")
    async def recorded_by(self, info: Info) -> User | None:
        return await user_of(info, self.recorded_by_id)

    @strawberry.field(description="The spot-check finding it was raised from, if any.")
    async def spot_check(self, info: Info) -> SpotCheck | None:
        if self.spot_check_finding_id is None:
            return None
        row = await info.context.loaders.spot_check.load(self.spot_check_finding_id)
        return SpotCheck.from_model(row) if row else None

    @strawberry.field(description="Every recorded step, oldest first, with its note and files.")
    async def history(self, info: Info) -> list[LedgerEventType]:
        return await ledger_history(info, LedgerSubject.HAZARD, self.id)


@strawberry.input(description="Narrow the hazard list; every given condition must hold.")
class HazardFilter:
    node_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The unit and every unit below it."
    )
    state: HazardStateEnum | None = None  # type: ignore[valid-type]
    severity: HazardSeverityEnum | None = None  # type: ignore[valid-type]
    sector: SectorEnum | None = None  # type: ignore[valid-type]
    source: HazardSourceEnum | None = None  # type: ignore[valid-type]
    overdue: bool | None = strawberry.field(
        default=None, description="Not rectified and past the deadline today (or the opposite)."
    )
    listed: bool | None = strawberry.field(
        default=None, description="Listed for supervision now (or not)."
    )
    found_in: PeriodInput | None = strawberry.field(
        default=None, description="Found in this period."
    )


@strawberry.type(description="How many of the hazards found in the period are in a state now.")
class HazardStateCount:
    state: HazardStateEnum  # type: ignore[valid-type]
    count: int


@strawberry.type(description="How many of the hazards found in the period are of a severity.")
class HazardSeverityCount:
    severity: HazardSeverityEnum  # type: ignore[valid-type]
    count: int


@strawberry.type(description="A sector's hazard figures for the period.")
class HazardSectorFigures:
    sector: SectorEnum  # type: ignore[valid-type]
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


def _period(period: PeriodInput, field: str) -> tuple[date, date]:
    """The period's days, or a query error if it ends before it starts."""
    if problems := period_problems(period, field):
        raise ApiError(f"{problems[0].field}: {problems[0].message}", ErrorCode.INVALID)
    return period.start, period.end


@strawberry.type
class HazardQueries:
    @strawberry.field(
        description="Hidden hazards you can see (your unit's, and the units' below you that "
        "you supervise or read), in recording order."
    )
    def hazards(
        self,
        info: Info,
        filter: HazardFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Hazard]:
        ctx = info.context
        ctx.require_actor()
        stmt = select(HazardModel)
        if filter is not None:
            if filter.node_id is not None:
                root_id = argument_id(filter.node_id, "Tenant", "filter.nodeId")
                root = ctx.db.get(TenantNode, root_id)
                stmt = stmt.join(TenantNode, TenantNode.id == HazardModel.node_id).where(
                    in_subtree(TenantNode.path, root.path) if root else false()
                )
            for column, value in (
                (HazardModel.state, filter.state),
                (HazardModel.severity, filter.severity),
                (HazardModel.sector, filter.sector),
                (HazardModel.source, filter.source),
            ):
                if value is not None:
                    stmt = stmt.where(column == value)
            if filter.overdue is not None:
                overdue = hazard_figures.overdue_condition(local_date(utcnow()))
                stmt = stmt.where(overdue if filter.overdue else not_(overdue))
            if filter.listed is not None:
                stmt = stmt.where(HazardModel.listed.is_(filter.listed))
            if filter.found_in is not None:
                start, end = _period(filter.found_in, "filter.foundIn")
                stmt = stmt.where(HazardModel.found_on.between(start, end))
        return paginate(
            ctx.db,
            stmt,
            HazardModel.id,
            Hazard.from_model,
            first=first,
            after=after,
            key_of=lambda h: h.id,
        )

    @strawberry.field(
        description="Hazard figures of a unit's subtree for a period, as of now; null for a "
        "unit whose ledgers you cannot read."
    )
    def hazard_statistics(
        self, info: Info, node_id: relay.GlobalID, period: PeriodInput
    ) -> HazardStatistics | None:
        ctx = info.context
        ctx.require_actor()
        start, end = _period(period, "period")
        node = ctx.db.get(TenantNode, argument_id(node_id, "Tenant", "nodeId"))
        # The names of the units above you are visible, their ledgers are not.
        if node is None or not ctx.scope.node_writable(node):
            return None
        stats = hazard_figures.hazard_statistics(ctx.db, node, start, end, now=utcnow())
        return HazardStatistics.from_statistics(stats)


@strawberry.type
class HazardPayload:
    hazard: Hazard | None
    errors: list[UserError]


def _payload(result: HazardModel | DomainError) -> HazardPayload:
    if isinstance(result, DomainError):
        return HazardPayload(hazard=None, errors=user_errors(result))
    return HazardPayload(hazard=Hazard.from_model(result), errors=[])


@strawberry.input(description="A hazard found in a unit's territory; it starts OPEN.")
class RecordHazardInput:
    node_id: relay.GlobalID = strawberry.field(description="The responsible unit.")
    title: str
    sector: SectorEnum  # type: ignore[valid-type]
    source: HazardSourceEnum  # type: ignore[valid-type]
    severity: HazardSeverityEnum  # type: ignore[valid-type]
    found_on: date | None = strawberry.field(description="Not after today.")
    deadline: date | None = strawberry.field(description="Not before foundOn.")
    place: str = ""
    description: str = ""
    spot_check_finding_id: relay.GlobalID | None = strawberry.field(
        default=None, description="SPOT_CHECK only: the finding it was raised from."
    )


@strawberry.input(
    description="One step of the rectification (multipart, with files): RECTIFYING (the note "
    "is the plan), RECTIFIED (evidence files required), VERIFIED or back to RECTIFYING (the "
    "look-back, by a supervising office, never the rectifier), CLOSED."
)
class MoveHazardInput:
    hazard_id: relay.GlobalID
    expected_version: int
    to: HazardStateEnum  # type: ignore[valid-type]
    note: str = strawberry.field(description="What was done: the evidence of this step.")
    files: list[Upload] | None = None


@strawberry.input(description="List a major hazard for supervision, saying why.")
class ListHazardInput:
    hazard_id: relay.GlobalID
    expected_version: int
    note: str


@strawberry.input(description="Delist a hazard whose rectification is verified, saying why.")
class DelistHazardInput:
    hazard_id: relay.GlobalID
    expected_version: int
    note: str


def _hazard(session: Session, global_id: relay.GlobalID) -> HazardModel:
    return get(session, HazardModel, global_id, "Hazard", "hazardId")


@strawberry.type
class HazardMutations:
    @strawberry.mutation(description="Record a hidden hazard in a unit's ledger (its keepers).")
    def record_hazard(self, info: Info, input: RecordHazardInput) -> HazardPayload:
        def action(session: Session, actor: Actor) -> HazardModel:
            node = get(session, TenantNode, input.node_id, "Tenant", "nodeId")
            finding = (
                review.finding_ref(
                    session,
                    database_id(input.spot_check_finding_id, "SpotCheck", "spotCheckFindingId"),
                )
                if input.spot_check_finding_id is not None
                else None
            )
            data = hazards.HazardInput(
                title=input.title,
                sector=input.sector,
                source=input.source,
                severity=input.severity,
                found_on=input.found_on,
                deadline=input.deadline,
                place=input.place,
                description=input.description,
            )
            return hazards.record_hazard(session, actor, node, data, finding=finding)

        return _payload(run(info, action))

    @strawberry.mutation(description="Take one step of the rectification, with evidence.")
    def move_hazard(self, info: Info, input: MoveHazardInput) -> HazardPayload:
        def action(session: Session, actor: Actor) -> HazardModel:
            cap(input.files, FILES_MAX, "files")
            return hazards.move_hazard(
                session,
                actor,
                _hazard(session, input.hazard_id),
                input.to,
                note=input.note,
                files=read_files(info, input.files),
                expected_version=input.expected_version,
                store=evidence_store(info),
                settings=info.context.settings,
            )

        return _payload(run(info, action))

    @strawberry.mutation(description="List a major hazard for supervision (挂牌督办).")
    def list_hazard(self, info: Info, input: ListHazardInput) -> HazardPayload:
        def action(session: Session, actor: Actor) -> HazardModel:
            return hazards.list_hazard(
                session,
                actor,
                _hazard(session, input.hazard_id),
                note=input.note,
                expected_version=input.expected_version,
            )

        return _payload(run(info, action))

    @strawberry.mutation(description="Delist a hazard once its rectification is verified.")
    def delist_hazard(self, info: Info, input: DelistHazardInput) -> HazardPayload:
        def action(session: Session, actor: Actor) -> HazardModel:
            return hazards.delist_hazard(
                session,
                actor,
                _hazard(session, input.hazard_id),
                note=input.note,
                expected_version=input.expected_version,
            )

        return _payload(run(info, action))


# Node types of this module, registered on the schema.
TYPES: list[type] = [Hazard]
