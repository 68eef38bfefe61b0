"""The responsibility-statement ledger API: statements, their list and coverage, issuing and
signing them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Annotated

import strawberry
from sqlalchemy import false, select
from sqlalchemy.orm import Session
from strawberry import relay

from redline.errors import DomainError
from scoring.ledgers import statements
from scoring.ledgers.figures import statements as statement_figures
from scoring.ledgers.models import LedgerSubject, StatementParty, StatementState
from scoring.ledgers.models import ResponsibilityStatement as ResponsibilityStatementModel
from tenants.access import Actor
from tenants.models import TenantNode
from tenants.scope import in_subtree

from ..context import Info
from ..errors import UserError, user_errors
from ..ids import argument_id
from ..mutations import cap, get, run
from ..pagination import Connection, paginate
from ..tenants.types import Tenant, User
from .common import LedgerEventType, SectorEnum, ledger_history, user_of

StatementPartyEnum = strawberry.enum(
    StatementParty,
    name="StatementParty",
    description="Who signs with the issuing unit: UNIT (a unit directly below it) or ENTERPRISE.",
)
StatementStateEnum = strawberry.enum(
    StatementState,
    name="StatementState",
    description="ISSUED (waiting for the counterparty's signature) -> SIGNED.",
)


@strawberry.type(
    name="ResponsibilityStatement",
    description="A work-safety responsibility statement (安全生产责任书) of one year, in the "
    "ledger of the unit that issued it, signed with a unit directly below it or with an "
    "enterprise. The counterparty unit does not see it: it belongs to the issuer.",
)
class ResponsibilityStatement(relay.Node):
    id: relay.NodeID[int]
    year: int = strawberry.field(description="The year the statement is for.")
    title: str = strawberry.field(description="As printed, e.g. 2026年度安全生产目标责任书.")
    party: StatementPartyEnum = strawberry.field(  # type: ignore[valid-type]
        description="UNIT: `counterparty` signs; ENTERPRISE: `enterprise` signs."
    )
    enterprise: str | None = strawberry.field(
        description="The enterprise's name (party ENTERPRISE); null for a unit."
    )
    sector: SectorEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="The enterprise's sector, if the office gave one."
    )
    state: StatementStateEnum = strawberry.field(  # type: ignore[valid-type]
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

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        ids = [int(i) for i in node_ids]
        rows = info.context.db.scalars(
            select(ResponsibilityStatementModel).where(ResponsibilityStatementModel.id.in_(ids))
        ).all()
        found = {r.id: r for r in rows}
        return [cls.from_model(found[i]) if i in found else None for i in ids]

    @strawberry.field(description="The unit that issued it (whose ledger holds it).")
    async def issuer(self, info: Info) -> Tenant:
        return Tenant.from_model(await info.context.loaders.tenant.load(self.node_id))

    @strawberry.field(
        description="The unit directly below the issuer that signs it (party UNIT); null for "
        "an enterprise, or when that unit is out of your sight."
    )
    async def counterparty(self, info: Info) -> Tenant | None:
        if self.counterparty_node_id is None:
            return None
        node = await info.context.loaders.tenant.load(self.counterparty_node_id)
        return Tenant.from_model(node) if node else None

    @strawberry.field(description="Who issued it; null when out of your sight.")
    async def recorded_by(self, info: Info) -> User | None:
        return await user_of(info, self.recorded_by_id)

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
    state: StatementStateEnum | None = strawberry.field(  # type: ignore[valid-type]
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


# --- queries ---------------------------------------------------------------------------------


@strawberry.input(description="Which statements to list; every field narrows the list.")
class StatementFilter:
    node_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="Statements issued by this unit or any unit below it (a Tenant id).",
    )
    year: int | None = strawberry.field(default=None, description="The year they are for.")
    party: StatementPartyEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only those to units, or only those to enterprises."
    )
    state: StatementStateEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only those still to be signed, or only signed ones."
    )


@strawberry.type
class StatementQueries:
    @strawberry.field(
        description="Responsibility statements in the ledgers you can read (those issued by "
        "your unit and, by role, the units below it), in the order they were issued."
    )
    def responsibility_statements(
        self,
        info: Info,
        filter: StatementFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ResponsibilityStatement]:
        ctx = info.context
        ctx.require_actor()
        model = ResponsibilityStatementModel
        stmt = select(model)
        if filter is not None:
            if filter.node_id is not None:
                root_id = argument_id(filter.node_id, "Tenant", "filter.nodeId")
                root = ctx.db.get(TenantNode, root_id)
                stmt = stmt.join(TenantNode, TenantNode.id == model.node_id).where(
                    in_subtree(TenantNode.path, root.path) if root else false()
                )
            if filter.year is not None:
                stmt = stmt.where(model.year == filter.year)
            if filter.party is not None:
                stmt = stmt.where(model.party == filter.party)
            if filter.state is not None:
                stmt = stmt.where(model.state == filter.state)
        return paginate(
            ctx.db,
            stmt,
            model.id,
            ResponsibilityStatement.from_model,
            first=first,
            after=after,
            key_of=lambda s: s.id,
        )

    @strawberry.field(
        description="A unit's statement coverage for a year: of the units directly below it, "
        "of its enterprises, and over its subtree. null when the unit's ledgers are out of "
        "your sight."
    )
    def statement_coverage(
        self,
        info: Info,
        node_id: Annotated[
            relay.GlobalID, strawberry.argument(description="The unit (a Tenant id).")
        ],
        year: Annotated[int, strawberry.argument(description="The year of the statements.")],
    ) -> StatementCoverage | None:
        ctx = info.context
        ctx.require_actor()
        node = ctx.db.get(TenantNode, argument_id(node_id, "Tenant", "nodeId"))
        # An ancestor is visible by name only: its ledgers are not.
        if node is None or not ctx.scope.node_writable(node):
            return None
        return StatementCoverage.from_coverage(
            statement_figures.statement_coverage(ctx.db, node, year)
        )


# --- mutations -------------------------------------------------------------------------------


@strawberry.input(name="EnterpriseInput", description="An enterprise to issue a statement to.")
class EnterpriseInput:
    name: str = strawberry.field(description="As registered, at most 300 characters.")
    sector: SectorEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Its industry sector, if known."
    )


@strawberry.input(
    description="Issue a unit's statements for a year: to units directly below it (by code, or "
    "allUnits for every one not yet holding one) and to enterprises."
)
class IssueResponsibilityStatementsInput:
    node_id: relay.GlobalID = strawberry.field(description="The issuing unit (a Tenant id).")
    year: int = strawberry.field(description="The year the statements are for (2000-2100).")
    title: str = strawberry.field(description="As printed, at most 300 characters.")
    units: list[str] | None = strawberry.field(
        default=None, description="Codes of units directly below the issuing unit."
    )
    all_units: bool | None = strawberry.field(
        default=False,
        description="Issue to every unit directly below not yet holding a statement for the "
        "year (leave units empty).",
    )
    enterprises: list[EnterpriseInput] | None = strawberry.field(
        default=None, description="Enterprises, each named once."
    )


@strawberry.type
class IssueResponsibilityStatementsPayload:
    statements: list[ResponsibilityStatement] = strawberry.field(
        description="The statements issued, units first (empty when refused)."
    )
    errors: list[UserError] = strawberry.field(description="Why the input was refused.")


@strawberry.input(description="Record the counterparty's signature of an issued statement.")
class SignResponsibilityStatementInput:
    statement_id: relay.GlobalID = strawberry.field(description="The issued statement.")
    expected_version: int = strawberry.field(description="The statement's version you read.")
    signed_on: date | None = strawberry.field(
        default=None,
        description="Required: the day it was signed, not after today and not before Jan 1 of "
        "the year before the statement's year.",
    )


@strawberry.type
class SignResponsibilityStatementPayload:
    statement: ResponsibilityStatement | None = strawberry.field(
        description="The statement, now signed; null when refused."
    )
    errors: list[UserError] = strawberry.field(description="Why the input was refused.")


@strawberry.type
class StatementMutations:
    @strawberry.mutation(
        description="Issue responsibility statements of a unit for a year (its keepers: the "
        "unit's clerk or an office above it)."
    )
    def issue_responsibility_statements(
        self, info: Info, input: IssueResponsibilityStatementsInput
    ) -> IssueResponsibilityStatementsPayload:
        def action(session: Session, actor: Actor) -> list[ResponsibilityStatementModel]:
            cap(input.units, statements.ISSUE_MAX, "units")
            cap(input.enterprises, statements.ISSUE_MAX, "enterprises")
            node = get(session, TenantNode, input.node_id, "Tenant", "nodeId")
            return statements.issue_statements(
                session,
                actor,
                node,
                year=input.year,
                title=input.title,
                units=input.units or (),
                all_units=bool(input.all_units),
                enterprises=[
                    statements.EnterpriseInput(
                        name=e.name, sector=e.sector.value if e.sector else None
                    )
                    for e in input.enterprises or ()
                ],
            )

        result = run(info, action)
        if isinstance(result, DomainError):
            return IssueResponsibilityStatementsPayload(statements=[], errors=user_errors(result))
        return IssueResponsibilityStatementsPayload(
            statements=[ResponsibilityStatement.from_model(s) for s in result], errors=[]
        )

    @strawberry.mutation(description="Record a statement's signature: ISSUED -> SIGNED.")
    def sign_responsibility_statement(
        self, info: Info, input: SignResponsibilityStatementInput
    ) -> SignResponsibilityStatementPayload:
        def action(session: Session, actor: Actor) -> ResponsibilityStatementModel:
            statement = get(
                session,
                ResponsibilityStatementModel,
                input.statement_id,
                "ResponsibilityStatement",
                "statementId",
            )
            return statements.sign_statement(
                session,
                actor,
                statement,
                signed_on=input.signed_on,
                expected_version=input.expected_version,
            )

        result = run(info, action)
        if isinstance(result, DomainError):
            return SignResponsibilityStatementPayload(statement=None, errors=user_errors(result))
        return SignResponsibilityStatementPayload(
            statement=ResponsibilityStatement.from_model(result), errors=[]
        )


# Node types of this module, registered on the schema.
TYPES: list[type] = [ResponsibilityStatement]
