"""DataLoaders of the ledgers API: each ledger row's history and each step's files, batched."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session
from strawberry.dataloader import DataLoader

from scoring.ledgers.models import LedgerAttachment, LedgerEvent, LedgerSubject

from .task_loaders import TaskLoaders


class LedgerLoaders:
    """The ledger loaders of one request, on the request's scoped session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.ledger_events = DataLoader(self._ledger_events)
        self.ledger_files = DataLoader(self._ledger_files)
        self.ledger_file = DataLoader(self._ledger_file)
        self.tasks = TaskLoaders(session)

    async def _ledger_events(
        self, keys: Sequence[tuple[LedgerSubject, int]]
    ) -> list[list[LedgerEvent]]:
        """The history of many ledger rows, oldest first: one query."""
        by_subject: dict[LedgerSubject, list[int]] = defaultdict(list)
        for subject, subject_id in keys:
            by_subject[subject].append(subject_id)
        rows = self.session.scalars(
            select(LedgerEvent)
            .where(
                or_(
                    *(
                        and_(LedgerEvent.subject == subject, LedgerEvent.subject_id.in_(ids))
                        for subject, ids in by_subject.items()
                    )
                )
            )
            .order_by(LedgerEvent.id)
        ).all()
        grouped: dict[tuple[LedgerSubject, int], list[LedgerEvent]] = defaultdict(list)
        for row in rows:
            grouped[(row.subject, row.subject_id)].append(row)
        return [grouped.get((LedgerSubject(s), i), []) for s, i in keys]

    async def _ledger_files(self, event_ids: Sequence[int]) -> list[list[LedgerAttachment]]:
        rows = self.session.scalars(
            select(LedgerAttachment)
            .where(LedgerAttachment.event_id.in_(event_ids))
            .order_by(LedgerAttachment.id)
        ).all()
        grouped: dict[int, list[LedgerAttachment]] = defaultdict(list)
        for row in rows:
            grouped[row.event_id].append(row)
        return [grouped.get(i, []) for i in event_ids]

    async def _ledger_file(self, ids: Sequence[int]) -> list[LedgerAttachment | None]:
        rows = self.session.scalars(
            select(LedgerAttachment).where(LedgerAttachment.id.in_(ids))
        ).all()
        found = {r.id: r for r in rows}
        return [found.get(i) for i in ids]
