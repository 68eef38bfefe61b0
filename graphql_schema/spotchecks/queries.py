"""Queries of spot-check draws: a cycle's draws you may read (one draw through node(id:))."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from scoring.spotchecks import reading

from ..core.context import Info
from ..core.ids import argument_id
from ..core.pagination import After, Before, Connection, First, Last
from .types import SpotCheckDraw


@strawberry.type
class SpotCheckDrawQueries:
    @strawberry.field(
        description="A cycle's spot-check draws you may read, in the order they were made: "
        "all of them for the offices of each draw's scope and above, the published ones for "
        "the units under it."
    )
    def spot_check_draws(
        self,
        info: Info,
        cycle_id: Annotated[relay.GlobalID, strawberry.argument(description="The Cycle drawn in.")],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[SpotCheckDraw]:
        actor = info.context.require_actor()
        cycle = argument_id(cycle_id, "Cycle", "cycleId")
        query = reading.draws_of_cycle(info.context.db, actor, cycle)
        return SpotCheckDraw.page(info, query, first=first, after=after, last=last, before=before)
