"""Mutations of spot-check draws: draw (an assessor of the drawing unit), publish."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.orm import Session

from redline.errors import ErrorCode, fail
from scoring.spotchecks import draws as draw_service
from scoring.spotchecks import models, reading
from tenants.access import Actor

from ..assessments.types import Cycle
from ..core.context import Info
from ..core.errors import UserError
from ..core.mutations import cap, errors_field, get, mutate
from ..tenants.types import Tenant, User
from .inputs import DrawSpotChecksInput, PublishSpotCheckDrawInput
from .types import SpotCheckDraw


@strawberry.type(description="What drawing or publishing answers: the draw, or the refusal.")
class SpotCheckDrawPayload:
    draw: SpotCheckDraw | None = strawberry.field(
        default=None, description="The draw as it now stands; null when refused."
    )
    errors: list[UserError] = errors_field()


@strawberry.type
class SpotCheckDrawMutations:
    @strawberry.mutation(
        description="Draw spot-check targets and their inspectors (双随机); kept unpublished, "
        "read by the offices of the scope and above until published."
    )
    def draw_spot_checks(
        self,
        info: Info,
        input: Annotated[
            DrawSpotChecksInput,
            strawberry.argument(
                description="The cycle, the scope, how many, the inspectors, the seed."
            ),
        ],
    ) -> SpotCheckDrawPayload:
        def action(session: Session, actor: Actor) -> models.SpotCheckDraw:
            cycle = get(session, Cycle, input.cycle_id, "cycleId")
            scope = get(session, Tenant, input.scope_id, "scopeId") if input.scope_id else None
            cap(input.inspector_ids, draw_service.MAX_INSPECTORS, "inspectorIds")
            cap(input.strata, draw_service.MAX_STRATA, "strata")
            inspectors = [
                get(session, User, user_id, f"inspectorIds[{index}]")
                for index, user_id in enumerate(input.inspector_ids)
            ]
            return draw_service.draw_spot_checks(
                session,
                actor,
                cycle,
                inspectors=inspectors,
                scope=scope,
                seed=input.seed,
                target_count=input.target_count,
                strata=[draw_service.Stratum(s.kind, s.count) for s in input.strata or ()],
                inspectors_per_target=input.inspectors_per_target,
                criticised_weight=input.criticised_weight,
            )

        return mutate(info, action, SpotCheckDrawPayload, draw=SpotCheckDraw.from_model)

    @strawberry.mutation(
        description="Publish a draw (一公开): every unit under its scope reads it from now on."
    )
    def publish_spot_check_draw(
        self,
        info: Info,
        input: Annotated[
            PublishSpotCheckDrawInput, strawberry.argument(description="The draw to publish.")
        ],
    ) -> SpotCheckDrawPayload:
        def action(session: Session, actor: Actor) -> models.SpotCheckDraw:
            found = get(session, SpotCheckDraw, input.draw_id, "drawId")
            if not reading.readable(session, actor, found):
                raise fail(
                    "drawId", "no SpotCheckDraw with this id that you can see", ErrorCode.NOT_FOUND
                )
            return draw_service.publish_draw(session, actor, found)

        return mutate(info, action, SpotCheckDrawPayload, draw=SpotCheckDraw.from_model)
