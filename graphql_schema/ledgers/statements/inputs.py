"""Inputs of the responsibility-statement ledger's mutations: issuing a unit's statements for a
year, recording a signature."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay

from ...core.enums import Sector


@strawberry.input(name="EnterpriseInput", description="An enterprise to issue a statement to.")
class EnterpriseInput:
    name: str = strawberry.field(description="As registered, at most 300 characters.")
    sector: Sector | None = strawberry.field(
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


@strawberry.input(description="Record the counterparty's signature of an issued statement.")
class SignResponsibilityStatementInput:
    statement_id: relay.GlobalID = strawberry.field(description="The issued statement.")
    expected_version: int = strawberry.field(description="The statement's version you read.")
    signed_on: date | None = strawberry.field(
        default=None,
        description="Required: the day it was signed, not after today and not before Jan 1 of "
        "the year before the statement's year.",
    )
