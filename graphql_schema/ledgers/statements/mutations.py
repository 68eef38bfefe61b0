"""Mutations of the responsibility-statement ledger: issuing statements, recording signatures."""

from __future__ import annotations

import strawberry
from sqlalchemy.orm import Session

from scoring.ledgers import statements
from scoring.ledgers.models import ResponsibilityStatement as ResponsibilityStatementModel
from tenants.access import Actor

from ...core.context import Info
from ...core.errors import UserError
from ...core.mutations import Input, cap, errors_field, get, mutate
from ...tenants.types import Tenant
from .inputs import IssueResponsibilityStatementsInput, SignResponsibilityStatementInput
from .types import ResponsibilityStatement


@strawberry.type(description="The result of issueResponsibilityStatements.")
class IssueResponsibilityStatementsPayload:
    statements: list[ResponsibilityStatement] = strawberry.field(
        default_factory=list,
        description="The statements issued, units first (empty when refused).",
    )
    errors: list[UserError] = errors_field()


@strawberry.type(description="The result of signResponsibilityStatement.")
class SignResponsibilityStatementPayload:
    statement: ResponsibilityStatement | None = strawberry.field(
        default=None, description="The statement, now signed; null when refused."
    )
    errors: list[UserError] = errors_field()


def _issued(rows: list[ResponsibilityStatementModel]) -> list[ResponsibilityStatement]:
    return [ResponsibilityStatement.from_model(row) for row in rows]


@strawberry.type
class StatementMutations:
    @strawberry.mutation(
        description="Issue responsibility statements of a unit for a year (its keepers: the "
        "unit's clerk or an office above it)."
    )
    def issue_responsibility_statements(
        self, info: Info, input: Input[IssueResponsibilityStatementsInput]
    ) -> IssueResponsibilityStatementsPayload:
        def action(session: Session, actor: Actor) -> list[ResponsibilityStatementModel]:
            cap(input.units, statements.ISSUE_MAX, "units")
            cap(input.enterprises, statements.ISSUE_MAX, "enterprises")
            node = get(session, Tenant, input.node_id, "nodeId")
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

        return mutate(info, action, IssueResponsibilityStatementsPayload, statements=_issued)

    @strawberry.mutation(description="Record a statement's signature: ISSUED -> SIGNED.")
    def sign_responsibility_statement(
        self, info: Info, input: Input[SignResponsibilityStatementInput]
    ) -> SignResponsibilityStatementPayload:
        def action(session: Session, actor: Actor) -> ResponsibilityStatementModel:
            return statements.sign_statement(
                session,
                actor,
                get(session, ResponsibilityStatement, input.statement_id, "statementId"),
                signed_on=input.signed_on,
                expected_version=input.expected_version,
            )

        return mutate(
            info,
            action,
            SignResponsibilityStatementPayload,
            statement=ResponsibilityStatement.from_model,
        )
