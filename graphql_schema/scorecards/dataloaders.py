"""The DataLoaders of the scorecards area: each assessment's scorecards, batched."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from scoring.assessments.models import Assessment
from scoring.assessments.scorecards import Scorecards, scorecards_many

from ..core.dataloaders import Loaders


def scorecards(loaders: Loaders) -> DataLoader[int, Scorecards | None]:
    """Each assessment's self and reviewed scorecards: one scoring of a whole page."""

    async def load(assessment_ids: Sequence[int]) -> list[Scorecards | None]:
        assessments = await loaders.by_id(Assessment).load_many(list(assessment_ids))
        cards = scorecards_many(loaders.session, [a for a in assessments if a is not None])
        return [cards.get(i) for i in assessment_ids]

    return DataLoader(load)
