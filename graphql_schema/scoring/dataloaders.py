"""One DataLoader per relation of the scoring API, created per request (no N+1 queries)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased
from strawberry.dataloader import DataLoader

from scoring.assessments.models import (
    Assessment,
    AssessmentState,
    Attachment,
    AuditEvent,
    Cycle,
    Entry,
    SpotCheckFinding,
    VetoFlag,
)
from scoring.assessments.scorecards import Scorecards, scorecards_many
from scoring.templates.models import Template, TemplateFamily, TemplateItem, VetoRule

K = TypeVar("K", bound=Hashable)


class AssessmentPageKey(NamedTuple):
    """One page of a cycle's assessments: which cycle, which filter, how many, after which id."""

    cycle_id: int
    state: AssessmentState | None
    late: bool | None
    limit: int
    after_id: int | None


class HistoryPageKey(NamedTuple):
    """One page of an assessment's audit trail: how many events, after which event id."""

    assessment_id: int
    limit: int
    after_id: int | None


class AssessmentCountKey(NamedTuple):
    cycle_id: int
    state: AssessmentState | None
    late: bool | None


def _by_id(session: Session, model: type, ids: Sequence[int]) -> list[Any]:
    rows = session.scalars(select(model).where(model.id.in_(ids))).all()
    found = {r.id: r for r in rows}
    return [found.get(i) for i in ids]


def _grouped(rows: Sequence[Any], key: Callable[[Any], K], keys: Sequence[K]) -> list[list[Any]]:
    grouped: dict[K, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return [grouped.get(k, []) for k in keys]


def _filtered(stmt: Select[Any], state: AssessmentState | None, late: bool | None) -> Select[Any]:
    if state is not None:
        stmt = stmt.where(Assessment.state == state)
    if late is not None:
        stmt = stmt.where(Assessment.late.is_(late))
    return stmt


class ScoringLoaders:
    """The scoring loaders of one request, all on the request's scoped session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.template = DataLoader(self._templates)
        self.family = DataLoader(self._families)
        self.template_items = DataLoader(self._template_items)
        self.template_item = DataLoader(self._template_item)
        self.veto_rules = DataLoader(self._veto_rules)
        self.veto_rule = DataLoader(self._veto_rule)
        self.cycle = DataLoader(self._cycles)
        self.assessment = DataLoader(self._assessments)
        self.assessment_page = DataLoader(self._assessment_pages)
        self.assessment_count = DataLoader(self._assessment_counts)
        self.state_counts = DataLoader(self._state_counts)
        self.entries = DataLoader(self._entries)
        self.attachments = DataLoader(self._attachments)
        self.attachment = DataLoader(self._attachment)
        self.spot_checks = DataLoader(self._spot_checks)
        self.spot_check = DataLoader(self._spot_check)
        self.vetoes = DataLoader(self._vetoes)
        self.veto_flag = DataLoader(self._veto_flag)
        self.history_page = DataLoader(self._history_pages)
        self.history_count = DataLoader(self._history_counts)
        self.scorecards = DataLoader(self._scorecards)

    async def _templates(self, ids: Sequence[int]) -> list[Template | None]:
        return _by_id(self.session, Template, ids)

    async def _families(self, ids: Sequence[int]) -> list[TemplateFamily | None]:
        return _by_id(self.session, TemplateFamily, ids)

    async def _template_items(self, template_ids: Sequence[int]) -> list[list[TemplateItem]]:
        rows = self.session.scalars(
            select(TemplateItem)
            .where(TemplateItem.template_id.in_(template_ids))
            .order_by(TemplateItem.template_id, TemplateItem.position, TemplateItem.id)
        ).all()
        for row in rows:
            self.template_item.prime(row.id, row)
        return _grouped(rows, lambda r: r.template_id, template_ids)

    async def _template_item(self, ids: Sequence[int]) -> list[TemplateItem | None]:
        return _by_id(self.session, TemplateItem, ids)

    async def _veto_rules(self, template_ids: Sequence[int]) -> list[list[VetoRule]]:
        rows = self.session.scalars(
            select(VetoRule)
            .where(VetoRule.template_id.in_(template_ids))
            .order_by(VetoRule.template_id, VetoRule.position, VetoRule.id)
        ).all()
        for row in rows:
            self.veto_rule.prime(row.id, row)
        return _grouped(rows, lambda r: r.template_id, template_ids)

    async def _veto_rule(self, ids: Sequence[int]) -> list[VetoRule | None]:
        return _by_id(self.session, VetoRule, ids)

    async def _cycles(self, ids: Sequence[int]) -> list[Cycle | None]:
        return _by_id(self.session, Cycle, ids)

    async def _assessments(self, ids: Sequence[int]) -> list[Assessment | None]:
        return _by_id(self.session, Assessment, ids)

    async def _assessment_pages(self, keys: Sequence[AssessmentPageKey]) -> list[list[Assessment]]:
        """One query per distinct (filter, size, after) for all the cycles asking for it."""
        groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for key in keys:
            groups[(key.state, key.late, key.limit, key.after_id)].append(key.cycle_id)
        pages: dict[AssessmentPageKey, list[Assessment]] = {}
        for (state, late, limit, after_id), cycle_ids in groups.items():
            rank = (
                func.row_number()
                .over(partition_by=Assessment.cycle_id, order_by=Assessment.id)
                .label("rank")
            )
            inner = _filtered(
                select(Assessment, rank).where(Assessment.cycle_id.in_(cycle_ids)), state, late
            )
            if after_id is not None:
                inner = inner.where(Assessment.id > after_id)
            sub = inner.subquery()
            row = aliased(Assessment, sub)
            found = self.session.scalars(
                select(row).where(sub.c.rank <= limit).order_by(sub.c.id)
            ).all()
            for assessment in found:
                self.assessment.prime(assessment.id, assessment)
            for cycle_id, page in zip(
                cycle_ids, _grouped(found, lambda a: a.cycle_id, cycle_ids), strict=True
            ):
                pages[AssessmentPageKey(cycle_id, state, late, limit, after_id)] = page
        return [pages[k] for k in keys]

    async def _assessment_counts(self, keys: Sequence[AssessmentCountKey]) -> list[int]:
        groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for key in keys:
            groups[(key.state, key.late)].append(key.cycle_id)
        counts: dict[AssessmentCountKey, int] = {}
        for (state, late), cycle_ids in groups.items():
            stmt = _filtered(
                select(Assessment.cycle_id, func.count())
                .where(Assessment.cycle_id.in_(cycle_ids))
                .group_by(Assessment.cycle_id),
                state,
                late,
            )
            found = dict(self.session.execute(stmt).all())
            for cycle_id in cycle_ids:
                counts[AssessmentCountKey(cycle_id, state, late)] = found.get(cycle_id, 0)
        return [counts[k] for k in keys]

    async def _state_counts(self, cycle_ids: Sequence[int]) -> list[dict[AssessmentState, int]]:
        found: dict[int, dict[AssessmentState, int]] = defaultdict(dict)
        for cycle_id, state, count in self.session.execute(
            select(Assessment.cycle_id, Assessment.state, func.count())
            .where(Assessment.cycle_id.in_(cycle_ids))
            .group_by(Assessment.cycle_id, Assessment.state)
        ):
            found[cycle_id][state] = count
        return [found.get(i, {}) for i in cycle_ids]

    async def _entries(self, assessment_ids: Sequence[int]) -> list[list[Entry]]:
        rows = self.session.scalars(
            select(Entry).where(Entry.assessment_id.in_(assessment_ids)).order_by(Entry.id)
        ).all()
        return _grouped(rows, lambda r: r.assessment_id, assessment_ids)

    async def _attachments(self, assessment_ids: Sequence[int]) -> list[list[Attachment]]:
        rows = self.session.execute(
            select(Attachment, Entry.assessment_id)
            .join(Entry, Entry.id == Attachment.entry_id)
            .where(Entry.assessment_id.in_(assessment_ids))
            .order_by(Attachment.id)
        ).all()
        pairs = [(attachment, assessment_id) for attachment, assessment_id in rows]
        grouped = _grouped(pairs, lambda p: p[1], assessment_ids)
        return [[attachment for attachment, _ in group] for group in grouped]

    async def _attachment(self, ids: Sequence[int]) -> list[Attachment | None]:
        return _by_id(self.session, Attachment, ids)

    async def _spot_checks(self, assessment_ids: Sequence[int]) -> list[list[SpotCheckFinding]]:
        rows = self.session.scalars(
            select(SpotCheckFinding)
            .where(SpotCheckFinding.assessment_id.in_(assessment_ids))
            .order_by(SpotCheckFinding.id)
        ).all()
        return _grouped(rows, lambda r: r.assessment_id, assessment_ids)

    async def _spot_check(self, ids: Sequence[int]) -> list[SpotCheckFinding | None]:
        return _by_id(self.session, SpotCheckFinding, ids)

    async def _vetoes(self, assessment_ids: Sequence[int]) -> list[list[VetoFlag]]:
        rows = self.session.scalars(
            select(VetoFlag).where(VetoFlag.assessment_id.in_(assessment_ids)).order_by(VetoFlag.id)
        ).all()
        return _grouped(rows, lambda r: r.assessment_id, assessment_ids)

    async def _veto_flag(self, ids: Sequence[int]) -> list[VetoFlag | None]:
        return _by_id(self.session, VetoFlag, ids)

    async def _history_pages(self, keys: Sequence[HistoryPageKey]) -> list[list[AuditEvent]]:
        """Oldest first, as ``scoring.audit.history`` pages it, for many assessments at once:
        one query per distinct (size, after)."""
        groups: dict[tuple[int, int | None], list[int]] = defaultdict(list)
        for key in keys:
            groups[(key.limit, key.after_id)].append(key.assessment_id)
        pages: dict[tuple[int, int, int | None], list[AuditEvent]] = {}
        for (limit, after_id), assessment_ids in groups.items():
            rank = (
                func.row_number()
                .over(partition_by=AuditEvent.assessment_id, order_by=AuditEvent.id)
                .label("rank")
            )
            inner = select(AuditEvent, rank).where(AuditEvent.assessment_id.in_(assessment_ids))
            if after_id is not None:
                inner = inner.where(AuditEvent.id > after_id)
            sub = inner.subquery()
            event = aliased(AuditEvent, sub)
            found = self.session.scalars(
                select(event).where(sub.c.rank <= limit).order_by(sub.c.id)
            ).all()
            grouped = _grouped(found, lambda e: e.assessment_id, assessment_ids)
            for assessment_id, page in zip(assessment_ids, grouped, strict=True):
                pages[(assessment_id, limit, after_id)] = page
        return [pages[(k.assessment_id, k.limit, k.after_id)] for k in keys]

    async def _history_counts(self, assessment_ids: Sequence[int]) -> list[int]:
        found = dict(
            self.session.execute(
                select(AuditEvent.assessment_id, func.count())
                .where(AuditEvent.assessment_id.in_(assessment_ids))
                .group_by(AuditEvent.assessment_id)
            ).all()
        )
        return [found.get(i, 0) for i in assessment_ids]

    async def _scorecards(self, assessment_ids: Sequence[int]) -> list[Scorecards | None]:
        assessments = await self.assessment.load_many(list(assessment_ids))
        cards = scorecards_many(self.session, [a for a in assessments if a is not None])
        return [cards.get(i) for i in assessment_ids]
