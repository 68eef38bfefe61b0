"""The DataLoaders every ledger shares: each ledger row's history and each step's files."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from scoring.ledgers.models import LedgerAttachment, LedgerEvent, LedgerSubject
from scoring.ledgers.reading import histories

from ..core.dataloaders import Loaders, by_key, loader

FILES_OF_STEP = by_key(LedgerAttachment.event_id, LedgerAttachment.id)


def history(loaders: Loaders) -> DataLoader[tuple[LedgerSubject, int], list[LedgerEvent]]:
    """Each ledger row's history (by subject and id), oldest first."""

    def load(rows: Sequence[tuple[LedgerSubject, int]]) -> list[list[LedgerEvent]]:
        found = histories(loaders.session, rows)
        return [found.get((LedgerSubject(s), i), []) for s, i in rows]

    return loader(load)
