"""DataLoaders of the rankings API: each cycle's ranking status, batched."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.dataloader import DataLoader

from scoring.rankings.models import RankingSnapshot, RankingStatus


class RankingLoaders:
    """The rankings loaders of one request, on the request's scoped session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.ranking_status = DataLoader(self._ranking_status)

    async def _ranking_status(
        self, cycle_ids: Sequence[int]
    ) -> list[tuple[RankingStatus, int | None] | None]:
        """Each cycle's status and its current snapshot's version: one query for a page."""
        rows = self.session.execute(
            select(RankingStatus, RankingSnapshot.version)
            .outerjoin(RankingSnapshot, RankingSnapshot.id == RankingStatus.snapshot_id)
            .where(RankingStatus.cycle_id.in_(cycle_ids))
        ).all()
        found = {status.cycle_id: (status, version) for status, version in rows}
        return [found.get(i) for i in cycle_ids]
