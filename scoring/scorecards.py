"""Scoring stored assessments: rows to engine inputs, self and reviewed scorecards, the gap."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from scoring import engine
from scoring.models import (
    Assessment,
    Cycle,
    Entry,
    ItemKind,
    SpotCheckFinding,
    Template,
    TemplateItem,
    VetoFlag,
    VetoRule,
)
from scoring.templates import engine_template, load_template

_CACHE_KEY = "scoring_loaded_templates"


@dataclass(frozen=True)
class Scorecards:
    """An assessment scored twice: on the unit's own inputs, and as reviewed; and the gap."""

    self_card: engine.Scorecard
    reviewed_card: engine.Scorecard
    gap: engine.Gap


@dataclass(frozen=True)
class LoadedTemplate:
    """A cycle's template as the workflow uses it: rows by id and code, and the engine's view."""

    template: Template
    items: tuple[TemplateItem, ...]
    rules: tuple[VetoRule, ...]
    engine: engine.Template
    items_by_id: Mapping[int, TemplateItem] = field(init=False)
    items_by_code: Mapping[str, TemplateItem] = field(init=False)
    rules_by_code: Mapping[str, VetoRule] = field(init=False)
    rules_by_id: Mapping[int, VetoRule] = field(init=False)
    indicators: tuple[TemplateItem, ...] = field(init=False)

    def __post_init__(self) -> None:
        by_code = {item.code: item for item in self.items}
        set_ = object.__setattr__  # derived lookups of a frozen dataclass
        set_(self, "items_by_id", {item.id: item for item in self.items})
        set_(self, "items_by_code", by_code)
        set_(self, "rules_by_code", {rule.code: rule for rule in self.rules})
        set_(self, "rules_by_id", {rule.id: rule for rule in self.rules})
        # Indicators in the order the template lists them (the engine's tree order).
        set_(
            self,
            "indicators",
            tuple(by_code[indicator.code] for _, indicator in self.engine.indicators()),
        )


def load_template_of(session: Session, template_id: int) -> LoadedTemplate:
    """The template with its items and veto rules, loaded once per session.

    Cycles only use published templates, which never change, so keeping them for the session
    (one request) is safe and spares every scorecard of a page its own template queries.
    """
    cache: dict[int, LoadedTemplate] = session.info.setdefault(_CACHE_KEY, {})
    loaded = cache.get(template_id)
    if loaded is None:
        template, items, rules = load_template(session, template_id)
        loaded = LoadedTemplate(
            template=template,
            items=tuple(items),
            rules=tuple(rules),
            engine=engine_template(template, items, rules),
        )
        cache[template_id] = loaded
    return loaded


@event.listens_for(Session, "after_rollback")
def _forget_loaded_templates(session: Session) -> None:
    # A rollback expires every row: reloading them one by one would cost more than a new load.
    session.info.pop(_CACHE_KEY, None)


# --- rows to engine inputs -------------------------------------------------------------------


def as_entered(number: Decimal | None) -> Decimal | None:
    """A stored figure as the unit typed it: 88.0000 (the column's scale) back to 88, so the
    explanations quote "value 88", not "value 88.0000"."""
    if number is None:
        return None
    trimmed = number.normalize()
    return trimmed if trimmed.as_tuple().exponent <= 0 else trimmed.quantize(Decimal(1))


def _self_input(entry: Entry) -> engine.IndicatorInput:
    return engine.IndicatorInput(
        value=as_entered(entry.value),
        done=entry.done,
        points=as_entered(entry.points),
        counts=dict(entry.counts or {}),
        not_applicable=entry.not_applicable,
        # The engine quotes the note on a not-applicable line: there, the reason is the evidence.
        note=(entry.not_applicable_reason or "") if entry.not_applicable else entry.note,
    )


def assessment_input(
    entries: Sequence[Entry],
    items_by_id: Mapping[int, TemplateItem],
    *,
    reviewed: bool,
    spot_checks: Sequence[SpotCheckFinding] = (),
    vetoes: Sequence[VetoFlag] = (),
    rules_by_id: Mapping[int, VetoRule] | None = None,
) -> engine.AssessmentInput:
    """The engine's input for an assessment's rows.

    Self (``reviewed=False``): the unit's inputs, not-applicable as claimed. Reviewed: the
    reviewer's adjustments where set, not-applicable only where the reviewer accepted it, the
    spot-check findings and the vetoes not withdrawn (``rules_by_id`` names their rules).
    """
    inputs: dict[str, engine.IndicatorInput] = {}
    adjustments: dict[str, engine.Adjustment] = {}
    for entry in entries:
        item = items_by_id[entry.item_id]
        if item.kind is not ItemKind.INDICATOR:
            continue
        indicator_input = _self_input(entry)
        if reviewed:
            accepted = entry.not_applicable and entry.not_applicable_confirmed is True
            if entry.not_applicable and not accepted:
                indicator_input = replace(indicator_input, not_applicable=False, note=entry.note)
            if entry.review_points is not None and not accepted:
                adjustments[item.code] = engine.Adjustment(
                    points=as_entered(entry.review_points), reason=entry.review_reason or ""
                )
        inputs[item.code] = indicator_input
    if not reviewed:
        return engine.AssessmentInput(entries=inputs)
    checks = tuple(
        engine.SpotCheck(
            indicator=items_by_id[finding.item_id].code,
            points=finding.points,
            finding=finding.finding,
        )
        for finding in spot_checks
    )
    rules = rules_by_id or {}
    active = tuple(
        engine.Veto(rule=rules[flag.rule_id].code, reason=flag.reason, evidence=flag.evidence)
        for flag in vetoes
        if flag.withdrawn_at is None
    )
    return engine.AssessmentInput(
        entries=inputs, adjustments=adjustments, spot_checks=checks, vetoes=active
    )


# --- scoring ---------------------------------------------------------------------------------


def _rows(
    session: Session, assessment_ids: Sequence[int]
) -> tuple[dict[int, list[Entry]], dict[int, list[SpotCheckFinding]], dict[int, list[VetoFlag]]]:
    """Entries, spot-check findings and veto flags of the assessments: three queries."""
    entries: dict[int, list[Entry]] = {i: [] for i in assessment_ids}
    checks: dict[int, list[SpotCheckFinding]] = {i: [] for i in assessment_ids}
    flags: dict[int, list[VetoFlag]] = {i: [] for i in assessment_ids}
    for row in session.scalars(select(Entry).where(Entry.assessment_id.in_(assessment_ids))):
        entries[row.assessment_id].append(row)
    for finding in session.scalars(
        select(SpotCheckFinding)
        .where(SpotCheckFinding.assessment_id.in_(assessment_ids))
        .order_by(SpotCheckFinding.id)
    ):
        checks[finding.assessment_id].append(finding)
    for flag in session.scalars(
        select(VetoFlag).where(VetoFlag.assessment_id.in_(assessment_ids)).order_by(VetoFlag.id)
    ):
        flags[flag.assessment_id].append(flag)
    return entries, checks, flags


def _score(
    loaded: LoadedTemplate,
    entries: Sequence[Entry],
    checks: Sequence[SpotCheckFinding],
    flags: Sequence[VetoFlag],
) -> Scorecards:
    self_card = engine.score(
        loaded.engine, assessment_input(entries, loaded.items_by_id, reviewed=False)
    )
    reviewed_card = engine.score(
        loaded.engine,
        assessment_input(
            entries,
            loaded.items_by_id,
            reviewed=True,
            spot_checks=checks,
            vetoes=flags,
            rules_by_id=loaded.rules_by_id,
        ),
    )
    return Scorecards(
        self_card=self_card,
        reviewed_card=reviewed_card,
        gap=engine.compare(self_card, reviewed_card),
    )


def scorecards(session: Session, assessment: Assessment) -> Scorecards:
    """The assessment's self and reviewed scorecards and their gap, as the rows stand."""
    return scorecards_many(session, [assessment])[assessment.id]


def scorecards_many(session: Session, assessments: Sequence[Assessment]) -> dict[int, Scorecards]:
    """Scorecards of many assessments by id: three queries for all their rows, plus each
    distinct template once."""
    if not assessments:
        return {}
    ids = [a.id for a in assessments]
    entries, checks, flags = _rows(session, ids)
    cards: dict[int, Scorecards] = {}
    for assessment in assessments:
        cycle = session.get_one(Cycle, assessment.cycle_id)
        loaded = load_template_of(session, cycle.template_id)
        cards[assessment.id] = _score(
            loaded, entries[assessment.id], checks[assessment.id], flags[assessment.id]
        )
    return cards


def refresh_scores(
    session: Session,
    assessment: Assessment,
    *,
    loaded: LoadedTemplate | None = None,
    entries: Sequence[Entry] | None = None,
) -> Scorecards:
    """Score the assessment and store self total, reviewed total, grade and veto on its row.

    A service that already holds the template or the entries passes them to save queries.
    """
    if loaded is None:
        cycle = session.get_one(Cycle, assessment.cycle_id)
        loaded = load_template_of(session, cycle.template_id)
    stored_entries, checks, flags = _rows(session, [assessment.id])
    cards = _score(
        loaded,
        stored_entries[assessment.id] if entries is None else entries,
        checks[assessment.id],
        flags[assessment.id],
    )
    # Read everything first and write after: the row changes once, in the caller's flush.
    assessment.self_total = cards.self_card.total
    assessment.reviewed_total = cards.reviewed_card.total
    assessment.grade = cards.reviewed_card.grade.value
    assessment.vetoed = cards.reviewed_card.vetoed
    return cards
