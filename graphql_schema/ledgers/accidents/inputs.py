"""Inputs of the accident ledger's mutations: an accident as its form states it."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import strawberry
from strawberry import relay

from scoring.ledgers import accidents

from ...core.enums import ReportStatus, Sector


@strawberry.input(description="An accident as its form states it.")
class AccidentFields:
    occurred_on: date | None = strawberry.field(
        default=None, description="Required: the day it happened (China), not after today."
    )
    occurred_time: time | None = strawberry.field(
        default=None,
        description="The time of day it happened (China), when known: a report more than an "
        "hour after it is late (迟报), and a late report counts by the hour past that hour.",
    )
    title: str = strawberry.field(description="Up to 300 characters.")
    sector: Sector = strawberry.field(description="The industry sector.")
    deaths: int = strawberry.field(description="0 or more.")
    serious_injuries: int = strawberry.field(description="0 or more.")
    direct_loss: Decimal = strawberry.field(
        description="Direct economic loss in yuan (not 万元): 0 or more, up to 4 decimals."
    )
    report_status: ReportStatus = strawberry.field(
        description="ON_TIME, LATE (迟报) or CONCEALED (瞒报)."
    )
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
            occurred_time=self.occurred_time,
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
    accident_id: relay.GlobalID = strawberry.field(description="The accident.")
    expected_version: int = strawberry.field(description="The version you read.")
    reason: str = strawberry.field(description="Why it is corrected (required).")
