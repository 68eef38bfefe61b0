"""Inputs of the spot-check draw mutations."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry import relay

from scoring.spotchecks.draws import DEFAULT_CRITICISED_WEIGHT

from ..core.enums import TenantKind


@strawberry.input(description="How many units of one kind to draw.")
class SpotCheckStratumInput:
    kind: TenantKind = strawberry.field(description="The kind of unit; each kind once.")
    count: int = strawberry.field(
        description="How many of them to draw: 1 to 1000, and no more than there are."
    )


@strawberry.input(
    description="Draw spot-check targets among the cycle's units under `scopeId` (the cycle's "
    "owner when left out), `targetCount` of them or each stratum's `count` of its kind, and "
    "`inspectorsPerTarget` of `inspectorIds` for each target, nobody on their own unit (the "
    "unit they belong to, or one containing it). Units graded unqualified in the previous "
    "cycle's final results weigh `criticisedWeight`, others 1."
)
class DrawSpotChecksInput:
    cycle_id: relay.GlobalID = strawberry.field(description="The Cycle whose units are drawn.")
    inspector_ids: list[relay.GlobalID] = strawberry.field(
        description="The pool of inspectors (users); errors name inspectorIds[i]."
    )
    scope_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The drawing unit (a Tenant); null: the cycle's owner."
    )
    seed: str | None = strawberry.field(
        default=None,
        description="Up to 100 characters; the same seed and inputs draw the same. Null: a new "
        "random seed, returned with the draw.",
    )
    target_count: int | None = strawberry.field(
        default=None,
        description="How many units to draw, of every kind: 1 to 1000 (not with strata).",
    )
    strata: list[SpotCheckStratumInput] | None = strawberry.field(
        default=None, description="How many of each kind (not with targetCount)."
    )
    inspectors_per_target: int = strawberry.field(default=1, description="1 to 10.")
    criticised_weight: Decimal = strawberry.field(
        default=DEFAULT_CRITICISED_WEIGHT, description="1 to 100."
    )


@strawberry.input(description="Publish a draw to every unit under its scope (一公开).")
class PublishSpotCheckDrawInput:
    draw_id: relay.GlobalID = strawberry.field(description="The SpotCheckDraw to publish.")
