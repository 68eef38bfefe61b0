"""Mutations of the accident ledger: recording and correcting accidents."""

from __future__ import annotations

import strawberry
from sqlalchemy.orm import Session

from scoring.ledgers import accidents
from scoring.ledgers.models import Accident as AccidentModel
from tenants.access import Actor

from ...core.context import Info
from ...core.errors import UserError
from ...core.mutations import Input, errors_field, get, mutate
from ...tenants.types import Tenant
from .inputs import CorrectAccidentInput, RecordAccidentInput
from .types import Accident


@strawberry.type(description="The result of recordAccident or correctAccident.")
class AccidentPayload:
    accident: Accident | None = strawberry.field(
        default=None, description="The accident as saved; null when refused."
    )
    errors: list[UserError] = errors_field()


@strawberry.type
class AccidentMutations:
    @strawberry.mutation(description="Record an accident; its class follows from its figures.")
    def record_accident(self, info: Info, input: Input[RecordAccidentInput]) -> AccidentPayload:
        def action(session: Session, actor: Actor) -> AccidentModel:
            node = get(session, Tenant, input.node_id, "nodeId")
            return accidents.record_accident(session, actor, node, input.as_input())

        return mutate(info, action, AccidentPayload, accident=Accident.from_model)

    @strawberry.mutation(
        description="Correct an accident: a full restatement with a reason; the class follows."
    )
    def correct_accident(self, info: Info, input: Input[CorrectAccidentInput]) -> AccidentPayload:
        def action(session: Session, actor: Actor) -> AccidentModel:
            return accidents.correct_accident(
                session,
                actor,
                get(session, Accident, input.accident_id, "accidentId"),
                input.as_input(),
                expected_version=input.expected_version,
                reason=input.reason,
            )

        return mutate(info, action, AccidentPayload, accident=Accident.from_model)
