"""Inputs of the hidden-hazard ledger's mutations: recording a hazard, the steps of its
rectification, listing and delisting it for supervision."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from scoring.ledgers import hazards

from ...core.enums import HazardSeverity, HazardSource, HazardState, Sector


@strawberry.input(description="A hazard found in a unit's territory; it starts OPEN.")
class RecordHazardInput:
    node_id: relay.GlobalID = strawberry.field(description="The responsible unit.")
    title: str = strawberry.field(description="A short title; up to 300 characters.")
    sector: Sector = strawberry.field(description="The industry sector.")
    source: HazardSource = strawberry.field(description="Who found it.")
    severity: HazardSeverity = strawberry.field(description="General (一般) or major (重大).")
    found_on: date | None = strawberry.field(description="Not after today.")
    deadline: date | None = strawberry.field(description="Not before foundOn.")
    place: str = strawberry.field(
        default="", description="Where: the enterprise or site; up to 300 characters."
    )
    description: str = strawberry.field(
        default="", description="What was found; up to 4000 characters."
    )
    spot_check_finding_id: relay.GlobalID | None = strawberry.field(
        default=None, description="SPOT_CHECK only: the finding it was raised from."
    )

    def as_input(self) -> hazards.HazardInput:
        return hazards.HazardInput(
            title=self.title,
            sector=self.sector,
            source=self.source,
            severity=self.severity,
            found_on=self.found_on,
            deadline=self.deadline,
            place=self.place,
            description=self.description,
        )


@strawberry.input(
    description="One step of the rectification (multipart, with files): RECTIFYING (the note "
    "is the plan), RECTIFIED (evidence files required), VERIFIED or back to RECTIFYING (the "
    "look-back, by a supervising office, never the rectifier), CLOSED."
)
class MoveHazardInput:
    hazard_id: relay.GlobalID = strawberry.field(description="The hazard.")
    expected_version: int = strawberry.field(description="The hazard's version as you read it.")
    to: HazardState = strawberry.field(description="The state it moves to.")
    note: str = strawberry.field(description="What was done: the evidence of this step.")
    files: list[Upload] | None = strawberry.field(
        default=None, description="The step's evidence files; at most 20."
    )


@strawberry.input(description="List a major hazard for supervision, saying why.")
class ListHazardInput:
    hazard_id: relay.GlobalID = strawberry.field(description="The major hazard.")
    expected_version: int = strawberry.field(description="The hazard's version as you read it.")
    note: str = strawberry.field(description="Why it is listed (required).")


@strawberry.input(description="Delist a hazard whose rectification is verified, saying why.")
class DelistHazardInput:
    hazard_id: relay.GlobalID = strawberry.field(description="The hazard.")
    expected_version: int = strawberry.field(description="The hazard's version as you read it.")
    note: str = strawberry.field(description="Why it is delisted (required).")
