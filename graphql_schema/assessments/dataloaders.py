"""The DataLoaders of the assessments area: a cycle's assessments and their counts, each
assessment's entries, evidence, findings, vetoes, appeals and history, each cycle's groups and
ranking status."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from scoring.assessments.groups import GroupMembers, groups_of_cycles
from scoring.assessments.models import (
    Appeal,
    Assessment,
    Attachment,
    AuditEvent,
    Entry,
    SpotCheckFinding,
    VetoFlag,
)
from scoring.assessments.reading import attachments_of
from scoring.rankings.models import RankingStatus
from scoring.rankings.reading import statuses_of

from ..core.dataloaders import Loaders, by_key, counts_by, loader
from ..core.pagination import Pages

# Primed by id too: the scorecards of the page's assessments are read by id next.
ASSESSMENTS_OF_CYCLE = Pages(Assessment.cycle_id, Assessment.id, prime=True)
STATE_COUNTS = counts_by(Assessment.cycle_id, Assessment.state)
HISTORY = Pages(AuditEvent.assessment_id, AuditEvent.id)
ENTRIES = by_key(Entry.assessment_id, Entry.id)
SPOT_CHECKS = by_key(SpotCheckFinding.assessment_id, SpotCheckFinding.id)
VETOES = by_key(VetoFlag.assessment_id, VetoFlag.id)
APPEALS = by_key(Appeal.assessment_id, Appeal.id)


def attachments(loaders: Loaders) -> DataLoader[int, list[Attachment]]:
    """Each assessment's evidence files, of all its entries."""

    def load(assessment_ids: Sequence[int]) -> list[list[Attachment]]:
        found = attachments_of(loaders.session, assessment_ids)
        return [found.get(i, []) for i in assessment_ids]

    return loader(load)


def groups_by_cycle(loaders: Loaders) -> DataLoader[int, list[GroupMembers]]:
    """Each cycle's assessment groups with their units (empty: one ranking)."""

    def load(cycle_ids: Sequence[int]) -> list[list[GroupMembers]]:
        found = groups_of_cycles(loaders.session, cycle_ids)
        return [found.get(i, []) for i in cycle_ids]

    return loader(load)


def ranking_statuses(
    loaders: Loaders,
) -> DataLoader[int, tuple[RankingStatus, int | None] | None]:
    """Each cycle's ranking status and its current snapshot's version."""

    def load(cycle_ids: Sequence[int]) -> list[tuple[RankingStatus, int | None] | None]:
        found = statuses_of(loaders.session, cycle_ids)
        return [found.get(i) for i in cycle_ids]

    return loader(load)
