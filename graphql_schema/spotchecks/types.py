"""GraphQL types of spot-check draws: the draw with its seed and inputs, its strata and targets
with their inspectors, and whether drawing again from the seed gives the same."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from scoring.engine.draws import ALL_UNITS
from scoring.spotchecks import draws as draw_service
from scoring.spotchecks import models, reading

from ..assessments.types import Assessment, Cycle
from ..core.amounts import amount
from ..core.context import Info
from ..core.dataloaders import by_key
from ..core.enums import TenantKind
from ..core.nodes import ModelNode
from ..tenants.types import Tenant, User

TARGETS = by_key(
    models.SpotCheckDrawTarget.draw_id,
    models.SpotCheckDrawTarget.stratum,
    models.SpotCheckDrawTarget.position,
)


def _kind(stratum: str) -> TenantKind | None:
    return None if stratum == ALL_UNITS else TenantKind(stratum)


@strawberry.type(description="How many units of one stratum were drawn, of how many candidates.")
class SpotCheckStratum:
    kind: TenantKind | None = strawberry.field(
        description="The kind of unit drawn; null: the draw was not stratified (all units)."
    )
    count: int = strawberry.field(description="Units drawn.")
    candidates: int = strawberry.field(description="The cycle's units of it under the scope.")


@strawberry.type(description="An inspector drawn for a target, as named when drawn.")
class SpotCheckInspector:
    name: str = strawberry.field(description="The user's display name when drawn.")
    unit_code: str = strawberry.field(description="The unit the inspector belongs to.")
    unit_name: str = strawberry.field(description="That unit's Chinese name when drawn.")
    user_id: strawberry.Private[int]

    @strawberry.field(description="The user; null when out of your sight.")
    async def user(self, info: Info) -> User | None:
        return await User.load(info, self.user_id)


@strawberry.type(
    description="A unit drawn for a spot check: why it weighed what it did, and who inspects "
    "it (the first leads). Record the check's findings on its assessment with addSpotCheck."
)
class SpotCheckTarget:
    unit_code: str = strawberry.field(description="The unit's code when drawn.")
    unit_name_zh: str = strawberry.field(description="The unit's Chinese name when drawn.")
    unit_name_en: str = strawberry.field(
        description="The unit's English name when drawn (may be empty for a department or "
        "enterprise)."
    )
    kind: TenantKind | None = strawberry.field(description="Its stratum; null: not stratified.")
    position: int = strawberry.field(description="Its place in its stratum's draw (1: first).")
    weight: Decimal = strawberry.field(description="Its weight in the draw (1, or more).")
    reason: str = strawberry.field(description="Why it weighed that.")
    criticised_in: str | None = strawberry.field(
        description="The previous cycle in which it was graded unqualified; null: it was not."
    )
    inspectors: list[SpotCheckInspector] = strawberry.field(
        description="inspectorsPerTarget of them; the first leads."
    )
    unit_id: strawberry.Private[int]
    assessment_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.SpotCheckDrawTarget) -> SpotCheckTarget:
        return cls(
            unit_code=row.unit_code,
            unit_name_zh=row.unit_name_zh,
            unit_name_en=row.unit_name_en,
            kind=_kind(row.stratum),
            position=row.position,
            weight=amount(row.weight),
            reason=row.reason,
            criticised_in=row.criticised_in,
            inspectors=[
                SpotCheckInspector(
                    name=i["name"],
                    unit_code=i["unit_code"],
                    unit_name=i["unit_name_zh"],
                    user_id=i["user_id"],
                )
                for i in row.inspectors
            ],
            unit_id=row.unit_id,
            assessment_id=row.assessment_id,
        )

    @strawberry.field(description="The unit; null when out of your sight.")
    async def unit(self, info: Info) -> Tenant | None:
        return await Tenant.load(info, self.unit_id)

    @strawberry.field(description="Its assessment in the cycle; null when out of your sight.")
    async def assessment(self, info: Info) -> Assessment | None:
        return await Assessment.load(info, self.assessment_id)


@strawberry.type(
    name="SpotCheckDraw",
    description="A double-random draw (双随机) of spot-check targets among a cycle's units "
    "under a scope, and of inspectors for each, nobody on their own unit. Read by the offices "
    "of the scope and above; once published (一公开), by every unit under the scope. The same "
    "seed and inputs always draw the same.",
)
class SpotCheckDraw(ModelNode):
    model = models.SpotCheckDraw
    within = reading.draws_visible_to
    id: relay.NodeID[int]
    seed: str = strawberry.field(description="What the draw was made from; published with it.")
    inspectors_per_target: int = strawberry.field(description="Inspectors drawn for each target.")
    criticised_weight: Decimal = strawberry.field(
        description="The weight of a unit graded unqualified in the previous cycle (others: 1)."
    )
    drawn_at: datetime = strawberry.field(description="When it was drawn.")
    published_at: datetime | None = strawberry.field(description="Null: not published yet.")
    cycle_id: strawberry.Private[int]
    scope_node_id: strawberry.Private[int]
    drawn_by_id: strawberry.Private[int | None]
    published_by_id: strawberry.Private[int | None]
    row: strawberry.Private[Any]

    @classmethod
    def from_model(cls, row: models.SpotCheckDraw) -> SpotCheckDraw:
        return cls(
            id=row.id,
            seed=row.seed,
            inspectors_per_target=row.inspectors_per_target,
            criticised_weight=amount(row.criticised_weight),
            drawn_at=row.drawn_at,
            published_at=row.published_at,
            cycle_id=row.cycle_id,
            scope_node_id=row.scope_node_id,
            drawn_by_id=row.drawn_by_id,
            published_by_id=row.published_by_id,
            row=row,
        )

    @strawberry.field(description="Whether every unit under the scope may read it.")
    def published(self) -> bool:
        return self.published_at is not None

    @strawberry.field(description="How many of each stratum were drawn, of how many.")
    def strata(self) -> list[SpotCheckStratum]:
        inputs = self.row.inputs
        candidates: dict[str, int] = {}
        for unit in inputs["units"]:
            candidates[unit[3]] = candidates.get(unit[3], 0) + 1
        return [
            SpotCheckStratum(kind=_kind(s), count=n, candidates=candidates.get(s, 0))
            for s, n in sorted(inputs["quotas"].items())
        ]

    @strawberry.field(description="The cycle drawn in.")
    async def cycle(self, info: Info) -> Cycle:
        return await Cycle.load_seen(info, self.cycle_id)

    @strawberry.field(
        description="The drawing unit: the candidates are the cycle's units below it."
    )
    async def scope(self, info: Info) -> Tenant | None:
        return await Tenant.load(info, self.scope_node_id)

    @strawberry.field(description="Who drew it; null when out of your sight.")
    async def drawn_by(self, info: Info) -> User | None:
        return await User.load(info, self.drawn_by_id)

    @strawberry.field(description="Who published it; null when not published or out of sight.")
    async def published_by(self, info: Info) -> User | None:
        return await User.load(info, self.published_by_id)

    @strawberry.field(description="The units drawn, stratum by stratum, each in draw order.")
    async def targets(self, info: Info) -> list[SpotCheckTarget]:
        rows = await info.context.loaders.get(TARGETS).load(self.id)
        return [SpotCheckTarget.from_model(r) for r in rows]

    @strawberry.field(
        description="Drawing again from the seed and the inputs the draw kept gives the same "
        "targets, places and inspectors (checked now)."
    )
    async def reproduced(self, info: Info) -> bool:
        rows = await info.context.loaders.get(TARGETS).load(self.id)
        return draw_service.reproduces(self.row, rows)
