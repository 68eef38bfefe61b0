"""The ranking status a cycle shows (Cycle.rankingStatus), batched across a page of cycles."""

from __future__ import annotations

from datetime import datetime

import strawberry

from ..context import Info


@strawberry.type(
    name="RankingStatus",
    description="When a cycle's rankings were last computed, whether a change waits to be "
    "ranked, and which snapshot is current.",
)
class RankingStatusInfo:
    computed_at: datetime | None = strawberry.field(description="When the current one was made.")
    pending: bool = strawberry.field(description="A change since then is still to be ranked.")
    queued: bool = strawberry.field(description="A recompute is waiting to run.")
    snapshot_version: int | None = strawberry.field(description="The current snapshot's number.")
    last_error: str | None = strawberry.field(
        description="Why the last recompute failed; null after a success."
    )


async def ranking_status_of(info: Info, cycle_id: int) -> RankingStatusInfo | None:
    """The cycle's ranking status; null before its rankings were ever asked for."""
    found = await info.context.loaders.ranking_status.load(cycle_id)
    if found is None:
        return None
    status, version = found
    return RankingStatusInfo(
        computed_at=status.computed_at,
        pending=status.pending,
        queued=bool(status.queued),
        snapshot_version=version,
        last_error=status.last_error,
    )
