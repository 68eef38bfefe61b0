"""GraphQL types of the responsibility-statement ledger: ResponsibilityStatement, and a unit's
statement coverage."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry import relay

from scoring.ledgers.figures import statements as statement_figures
from scoring.ledgers.models import LedgerSubject
from scoring.ledgers.models import ResponsibilityStatement as ResponsibilityStatementModel

from ...core.context import Info
from ...core.enums import Sector, StatementParty, StatementState
from ...core.nodes import ModelNode
from ...tenants.types import Tenant, User
from ..common import LedgerEventType, ledger_history


@strawberry.type(
    name="ResponsibilityStatement",
    description="A work-safety responsibility statement (安全生产责任书) of one year, in the "
    "ledger of the unit that issued it, signed with a unit directly below it or with an "
    "enterprise. The counterparty unit does not see it: it belongs to the issuer.",
)
class ResponsibilityStatement(ModelNode):
    model = ResponsibilityStatementModel
    id: relay.NodeID[int]
    year: int = strawberry.field(description="The year the statement is for.")
    title: str = strawberry.field(description="As printed, e.g. 2026年度安全生产目标责任书.")
    party: StatementParty = strawberry.field(
        description="UNIT: `counterparty` signs; ENTERPRISE: `enterprise` signs."
    )
    enterprise: str | None = strawberry.field(
        description="The enterprise's name (party ENTERPRISE); null for a unit."
    )
    sector: Sector | None = strawberry.field(
        description="The enterprise's sector, if the office gave one."
    )
    state: StatementState = strawberry.field(
        description="ISSUED until the counterparty signs, then SIGNED."
    )
    signed_on: date | None = strawberry.field(description="The day it was signed (local day).")
    version: int = strawberry.field(description="Send it back as expectedVersion to sign it.")
    node_id: strawberry.Private[int]
    counterparty_node_id: strawberry.Private[int | None]
    recorded_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: ResponsibilityStatementModel) -> ResponsibilityStatement:
        return cls(
            id=row.id,
            year=row.year,
            title=row.title,
            party=row.party,
            enterprise=row.enterprise,
            sector=row.sector,
            state=row.state,
            signed_on=row.signed_on,
            version=row.version,
            node_id=row.node_id,
            counterparty_node_id=row.counterparty_node_id,
            recorded_by_id=row.recorded_by_id,
        )

    @strawberry.field(description="The unit that issued it (whose ledger holds it).")
    async def issuer(self, info: Info) -> Tenant:
        return await Tenant.load_seen(info, self.node_id)

    @strawberry.field(
        description="The unit directly below the issuer that signs it (party UNIT); null for "
        "an enterprise, or when that unit is out of your sight."
    )
    async def counterparty(self, info: Info) -> Tenant | None:
        return await Tenant.load(info, self.counterparty_node_id)

    @strawberry.field(description="Who issued it; null when out of your sight.")
    async def recorded_by(self, info: Info) -> User | None:
        return await User.load(info, self.recorded_by_id)

    @strawberry.field(description="Its history, oldest first: recorded, then signed.")
    async def history(self, info: Info) -> list[LedgerEventType]:
        return await ledger_history(info, LedgerSubject.STATEMENT, self.id)


# --- coverage --------------------------------------------------------------------------------


@strawberry.type(
    description="Statements of one year issued in a unit's subtree (by it or any unit below)."
)
class StatementTally:
    issued: int = strawberry.field(description="Every statement issued, signed or not.")
    signed: int = strawberry.field(description="Of `issued`, those signed.")
    units_issued: int = strawberry.field(description="Of `issued`, those to units.")
    units_signed: int = strawberry.field(description="Of `unitsIssued`, those signed.")
    enterprises_issued: int = strawberry.field(description="Of `issued`, those to enterprises.")
    enterprises_signed: int = strawberry.field(description="Of `enterprisesIssued`, those signed.")
    coverage: Decimal = strawberry.field(
        description="signed / issued in percent, rounded half up to one decimal; 0.0 when none "
        "was issued."
    )

    @classmethod
    def from_tally(cls, tally: statement_figures.StatementTally) -> StatementTally:
        return cls(
            issued=tally.issued,
            signed=tally.signed,
            units_issued=tally.units_issued,
            units_signed=tally.units_signed,
            enterprises_issued=tally.enterprises_issued,
            enterprises_signed=tally.enterprises_signed,
            coverage=tally.coverage,
        )


@strawberry.type(
    description="A unit directly below and the statement the unit above issued to it for the year."
)
class UnitStatement:
    unit: Tenant = strawberry.field(description="The unit directly below.")
    state: StatementState | None = strawberry.field(
        description="null: no statement issued to it yet (it counts as not covered)."
    )
    signed_on: date | None = strawberry.field(description="When it signed; null until then.")
    statement: ResponsibilityStatement | None = strawberry.field(
        description="The statement; null when none was issued."
    )


@strawberry.type(description="A unit directly below and the statements of its own subtree.")
class UnitStatementTally:
    unit: Tenant = strawberry.field(description="The unit directly below.")
    tally: StatementTally = strawberry.field(
        description="The statements issued by it and by every unit below it."
    )


@strawberry.type(
    description="A unit's responsibility statements of one year: its own coverage of the units "
    "directly below it and of its enterprises, and the figures of its whole subtree."
)
class StatementCoverage:
    unit: Tenant = strawberry.field(description="The unit whose coverage this is.")
    year: int = strawberry.field(description="The year of the statements.")
    tally: StatementTally = strawberry.field(
        description="Every statement of the year issued in the unit's subtree (by it and by "
        "every unit below it)."
    )
    units: list[UnitStatement] = strawberry.field(
        description="Every unit directly below, by code, with the unit's statement to it."
    )
    units_total: int = strawberry.field(description="How many units are directly below.")
    units_issued: int = strawberry.field(
        description="Units directly below holding a statement from the unit, signed or not."
    )
    units_signed: int = strawberry.field(description="Units directly below that signed it.")
    unit_coverage: Decimal = strawberry.field(
        description="unitsSigned / unitsTotal in percent (one decimal); units never issued a "
        "statement count as not covered; 0.0 when no unit is below."
    )
    enterprises_issued: int = strawberry.field(
        description="The unit's own statements to enterprises."
    )
    enterprises_signed: int = strawberry.field(description="Of `enterprisesIssued`, those signed.")
    enterprise_coverage: Decimal = strawberry.field(
        description="enterprisesSigned / enterprisesIssued in percent (one decimal); 0.0 when "
        "none was issued."
    )
    by_unit: list[UnitStatementTally] = strawberry.field(
        description="Each unit directly below, by code, with its subtree's figures."
    )

    @classmethod
    def from_coverage(cls, coverage: statement_figures.StatementCoverage) -> StatementCoverage:
        return cls(
            unit=Tenant.from_model(coverage.node),
            year=coverage.year,
            tally=StatementTally.from_tally(coverage.tally),
            units=[
                UnitStatement(
                    unit=Tenant.from_model(u.node),
                    state=u.state,
                    signed_on=u.signed_on,
                    statement=(
                        ResponsibilityStatement.from_model(u.statement) if u.statement else None
                    ),
                )
                for u in coverage.units
            ],
            units_total=len(coverage.units),
            units_issued=coverage.units_issued,
            units_signed=coverage.units_signed,
            unit_coverage=coverage.unit_coverage,
            enterprises_issued=coverage.enterprises_issued,
            enterprises_signed=coverage.enterprises_signed,
            enterprise_coverage=coverage.enterprise_coverage,
            by_unit=[
                UnitStatementTally(
                    unit=Tenant.from_model(u.node), tally=StatementTally.from_tally(u.tally)
                )
                for u in coverage.by_unit
            ],
        )
