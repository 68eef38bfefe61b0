"""Mutations of the hidden-hazard ledger: recording, the rectification steps with evidence,
listing and delisting for supervision."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from sqlalchemy.orm import Session
from strawberry import relay

from scoring.assessments import review
from scoring.ledgers import hazards
from scoring.ledgers.history import FILES_MAX
from scoring.ledgers.models import Hazard as HazardModel
from tenants.access import Actor

from ...core.context import Info
from ...core.errors import UserError
from ...core.ids import database_id
from ...core.mutations import Input, cap, errors_field, evidence_store, get, mutate
from ...tenants.types import Tenant
from ..common import read_files
from .inputs import DelistHazardInput, ListHazardInput, MoveHazardInput, RecordHazardInput
from .types import Hazard


@strawberry.type(description="The result of a mutation of a hazard.")
class HazardPayload:
    hazard: Hazard | None = strawberry.field(
        default=None, description="The hazard as saved; null when refused."
    )
    errors: list[UserError] = errors_field()


def _hazard(session: Session, global_id: relay.GlobalID) -> HazardModel:
    return get(session, Hazard, global_id, "hazardId")


@strawberry.type
class HazardMutations:
    @strawberry.mutation(description="Record a hidden hazard in a unit's ledger (its keepers).")
    def record_hazard(self, info: Info, input: Input[RecordHazardInput]) -> HazardPayload:
        def action(session: Session, actor: Actor) -> HazardModel:
            node = get(session, Tenant, input.node_id, "nodeId")
            finding = (
                review.finding_ref(
                    session,
                    database_id(input.spot_check_finding_id, "SpotCheck", "spotCheckFindingId"),
                )
                if input.spot_check_finding_id is not None
                else None
            )
            return hazards.record_hazard(session, actor, node, input.as_input(), finding=finding)

        return mutate(info, action, HazardPayload, hazard=Hazard.from_model)

    @strawberry.mutation(description="Take one step of the rectification, with evidence.")
    def move_hazard(self, info: Info, input: Input[MoveHazardInput]) -> HazardPayload:
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

        return mutate(info, action, HazardPayload, hazard=Hazard.from_model)

    @strawberry.mutation(description="List a major hazard for supervision (挂牌督办).")
    def list_hazard(self, info: Info, input: Input[ListHazardInput]) -> HazardPayload:
        return _supervision(info, input, hazards.list_hazard)

    @strawberry.mutation(description="Delist a hazard once its rectification is verified.")
    def delist_hazard(self, info: Info, input: Input[DelistHazardInput]) -> HazardPayload:
        return _supervision(info, input, hazards.delist_hazard)


def _supervision(
    info: Info,
    input: Input[ListHazardInput] | DelistHazardInput,
    step: Callable[..., HazardModel],
) -> HazardPayload:
    """Listing or delisting a hazard: the office's note, on the version it read."""

    def action(session: Session, actor: Actor) -> HazardModel:
        return step(
            session,
            actor,
            _hazard(session, input.hazard_id),
            note=input.note,
            expected_version=input.expected_version,
        )

    return mutate(info, action, HazardPayload, hazard=Hazard.from_model)
