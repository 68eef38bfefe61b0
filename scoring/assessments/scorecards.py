"""Scoring stored assessments: rows to engine inputs, self and reviewed scorecards, the gap.

Ledger-fed indicators take the unit's ledger figures live while the unit can still edit the
assessment, and the figures kept in its entries once submitted; rules that fire by themselves
(from ledger facts or the previous cycle; vetoes and yellow cards) fire live until the
assessment is final, when they are kept as veto flags.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import event, func, select, type_coerce, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from redline.db import Document, utcnow
from scoring import engine
from scoring.assessments.item_scores import item_scores, store_item_scores
from scoring.assessments.models import (
    Assessment,
    AssessmentGroup,
    AssessmentState,
    Cycle,
    CycleState,
    Entry,
    SpotCheckFinding,
    VetoFlag,
)
from scoring.assessments.previous import CYCLE_RULE_KINDS, previous_cycle_firings
from scoring.assessments.rescoring import ask_for_rankings
from scoring.engine import Method
from scoring.ledgers.figures.indicators import Figure, FigureRequest, ledger_figures
from scoring.ledgers.figures.vetoes import (
    LEDGER_VETO_KINDS,
    FiringRule,
    LedgerVeto,
    VetoRequest,
    ledger_vetoes,
)
from scoring.templates.models import (
    ItemKind,
    RuleSeverity,
    Template,
    TemplateItem,
    ValueSource,
    VetoKind,
    VetoRule,
)
from scoring.templates.storage import engine_template, load_template
from tenants.hierarchy import nodes_by_id
from tenants.models import TenantNode
from tenants.scope import system_view

_CACHE_KEY = "scoring_loaded_templates"


# While the unit can edit its assessment, ledger figures are read live; from submission on,
# the figures its entries kept at submission count.
LIVE_FIGURE_STATES = (AssessmentState.DRAFT, AssessmentState.RETURNED)


@dataclass(frozen=True)
class Scorecards:
    """An assessment scored twice: on the unit's own inputs, and as reviewed; and the gap.

    ``figures`` are the ledger figures its ledger-fed indicators took (by item code);
    ``ledger_vetoes`` the rules firing by themselves now, vetoes and yellow cards (none once
    final: then they are flags).
    """

    self_card: engine.Scorecard
    reviewed_card: engine.Scorecard
    gap: engine.Gap
    figures: Mapping[str, Figure] = field(default_factory=dict)
    figures_live: bool = False  # read from the ledgers now, not kept at submission
    ledger_vetoes: tuple[LedgerVeto, ...] = ()


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
    # Each indicator's code by its item id (a recompute looks up a hundred per assessment; the
    # ORM's attributes of the items cost more than plain dictionaries).
    indicator_codes: Mapping[int, str] = field(init=False)
    # Indicators fed by a ledger figure; the rules that fire from ledger facts, and those that
    # fire from the previous cycle.
    fed_indicators: tuple[TemplateItem, ...] = field(init=False)
    ledger_rules: tuple[FiringRule, ...] = field(init=False)
    cycle_rules: tuple[FiringRule, ...] = field(init=False)

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
        set_(self, "indicator_codes", {item.id: item.code for item in self.indicators})
        set_(
            self,
            "fed_indicators",
            tuple(i for i in self.indicators if i.source != ValueSource.SELF.value),
        )
        firing = tuple(
            FiringRule(r.code, VetoKind(r.kind), RuleSeverity(r.severity), r.threshold)
            for r in self.rules
            if r.kind != VetoKind.MANUAL
        )
        set_(self, "ledger_rules", tuple(r for r in firing if r.kind in LEDGER_VETO_KINDS))
        set_(self, "cycle_rules", tuple(r for r in firing if r.kind in CYCLE_RULE_KINDS))

    @cached_property
    def compiled(self) -> engine.CompiledTemplate:
        """The engine's template compiled, once for all the scorecards scored against it."""
        return engine.compile_template(self.engine)

    @property
    def fires_rules(self) -> bool:
        """Whether any rule of the template fires by itself (not raised by an assessor)."""
        return bool(self.ledger_rules or self.cycle_rules)


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


def fed_input(
    item: TemplateItem, figure: Figure, entry: Entry | None = None
) -> engine.IndicatorInput:
    """A ledger-fed indicator's input: the figure as its value, or as the count of each of its
    deduction clauses (see ``Figure.clause_counts``; a cascade clause keeps its own rule); N/A
    and note as the unit gave them."""
    base = _self_input(entry) if entry is not None else engine.IndicatorInput()
    if item.method is Method.DEDUCTION:
        counts = figure.clause_counts(item.clauses)
        return replace(base, value=None, done=None, points=None, counts=counts)
    return replace(base, value=as_entered(figure.value), done=None, points=None, counts={})


def own_inputs(
    entries: Sequence[Entry],
    loaded: LoadedTemplate,
    figures: Mapping[int, Figure] | None = None,
) -> dict[str, engine.IndicatorInput]:
    """The unit's own input per indicator code, not-applicable as claimed: what the self
    scorecard scores, and what the reviewed one starts from. ``figures`` (by item id) feed
    ledger-fed indicators live."""
    inputs: dict[str, engine.IndicatorInput] = {}
    live = figures or {}
    if live:
        given = {entry.item_id for entry in entries}
        for item_id, figure in live.items():
            if item_id not in given:
                item = loaded.items_by_id[item_id]
                inputs[item.code] = fed_input(item, figure)
    codes = loaded.indicator_codes
    for entry in entries:
        code = codes.get(entry.item_id)
        if code is None:
            continue  # a category's entry
        figure = live.get(entry.item_id) if live else None
        inputs[code] = (
            _self_input(entry)
            if figure is None
            else fed_input(loaded.items_by_id[entry.item_id], figure, entry)
        )
    return inputs


def reviewed_input(
    entries: Sequence[Entry],
    items_by_id: Mapping[int, TemplateItem],
    own: Mapping[str, engine.IndicatorInput],
    *,
    spot_checks: Sequence[SpotCheckFinding] = (),
    vetoes: Sequence[VetoFlag] = (),
    rules_by_id: Mapping[int, VetoRule] | None = None,
    ledger_vetoes: Sequence[LedgerVeto] = (),
    grades: engine.Grades | None = None,
) -> engine.AssessmentInput:
    """The engine's input for the reviewed scorecard: the unit's ``own`` inputs (see
    :func:`own_inputs`) with the reviewer's adjustments where set, not-applicable only where the
    reviewer accepted it, the spot-check findings and the vetoes not withdrawn (``rules_by_id``
    names their rules) and the ``ledger_vetoes`` firing; each a veto or, by its rule's
    severity, a yellow card. ``grades`` are the unit's group's thresholds where it has its own.
    """
    inputs = dict(own)
    adjustments: dict[str, engine.Adjustment] = {}
    for entry in entries:
        # Most entries the reviewer left as they were: their own input stands.
        if not entry.not_applicable and entry.review_points is None:
            continue
        item = items_by_id[entry.item_id]
        if item.kind is not ItemKind.INDICATOR:
            continue
        accepted = entry.not_applicable and entry.not_applicable_confirmed is True
        if entry.not_applicable and not accepted:
            inputs[item.code] = replace(inputs[item.code], not_applicable=False, note=entry.note)
        if entry.review_points is not None and not accepted:
            adjustments[item.code] = engine.Adjustment(
                points=as_entered(entry.review_points), reason=entry.review_reason or ""
            )
    checks = tuple(
        engine.SpotCheck(
            indicator=items_by_id[finding.item_id].code,
            points=finding.points,
            finding=finding.finding,
        )
        for finding in spot_checks
    )
    rules = rules_by_id or {}
    active = [
        (
            rules[flag.rule_id].yellow_card,
            engine.Veto(rule=rules[flag.rule_id].code, reason=flag.reason, evidence=flag.evidence),
        )
        for flag in vetoes
        if flag.withdrawn_at is None
    ] + [
        (veto.yellow_card, engine.Veto(veto.rule_code, veto.reason, veto.evidence))
        for veto in ledger_vetoes
    ]
    return engine.AssessmentInput(
        entries=inputs,
        adjustments=adjustments,
        spot_checks=checks,
        vetoes=tuple(veto for yellow, veto in active if not yellow),
        yellow_cards=tuple(veto for yellow, veto in active if yellow),
        grades=grades,
    )


# --- scoring ---------------------------------------------------------------------------------


# What scoring reads of an entry (``own_inputs``, ``reviewed_input``, ``_kept_figures``).
SCORED_ENTRY_COLUMNS = (
    Entry.assessment_id,
    Entry.item_id,
    Entry.value,
    Entry.done,
    Entry.points,
    # Only a deduction's entry counts its clauses; the others keep {}, read as NULL so the
    # driver decodes no JSON for them (half of reading a recompute's rows).
    type_coerce(func.nullif(Entry.counts, type_coerce({}, Document)), Document).label("counts"),
    Entry.not_applicable,
    Entry.not_applicable_reason,
    Entry.not_applicable_confirmed,
    Entry.note,
    Entry.review_points,
    Entry.review_reason,
    Entry.ledger_basis,
)


def _rows(
    session: Session, assessment_ids: Sequence[int]
) -> tuple[dict[int, list[Entry]], dict[int, list[SpotCheckFinding]], dict[int, list[VetoFlag]]]:
    """Entries, spot-check findings and veto flags of the assessments: three queries."""
    entries: dict[int, list[Entry]] = {i: [] for i in assessment_ids}
    checks: dict[int, list[SpotCheckFinding]] = {i: [] for i in assessment_ids}
    flags: dict[int, list[VetoFlag]] = {i: [] for i in assessment_ids}
    # Plain rows of the columns scoring reads, not ORM objects: a recompute loads a hundred per
    # assessment, and building the objects cost more than scoring them.
    for row in session.execute(
        select(*SCORED_ENTRY_COLUMNS).where(Entry.assessment_id.in_(assessment_ids))
    ):
        entries[row.assessment_id].append(row)  # type: ignore[arg-type]
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


@dataclass(frozen=True)
class LedgerFacts:
    """What the ledgers give each assessment: live figures (by item id) and live vetoes."""

    figures: Mapping[int, Mapping[int, Figure]]
    vetoes: Mapping[int, tuple[LedgerVeto, ...]]

    def figures_of(self, assessment_id: int) -> Mapping[int, Figure]:
        return self.figures.get(assessment_id, {})

    def vetoes_of(self, assessment_id: int) -> tuple[LedgerVeto, ...]:
        return self.vetoes.get(assessment_id, ())


def ledger_facts(
    session: Session,
    assessments: Sequence[Assessment],
    *,
    now: datetime | None = None,
    snapshot: bool = False,
) -> LedgerFacts:
    """The live ledger figures and vetoes of the assessments: one tally per ledger and period
    for them all. ``snapshot``: the figures as submitting takes them, whatever the state."""
    now = now or utcnow()
    plans = []
    for assessment in assessments:
        cycle = session.get_one(Cycle, assessment.cycle_id)
        loaded = load_template_of(session, cycle.template_id)
        wants_figures = bool(loaded.fed_indicators) and (
            snapshot or assessment.state in LIVE_FIGURE_STATES
        )
        wants_vetoes = loaded.fires_rules and assessment.state is not AssessmentState.FINAL
        if wants_figures or wants_vetoes:
            plans.append((assessment, cycle, loaded, wants_figures, wants_vetoes))
    if not plans:
        return LedgerFacts({}, {})
    nodes = nodes_by_id(session, (assessment.node_id for assessment, *_ in plans))
    figure_requests: dict[int, FigureRequest] = {}
    veto_requests: dict[int, VetoRequest] = {}
    cycle_rules: dict[int, tuple[FiringRule, ...]] = {}
    for assessment, cycle, loaded, wants_figures, wants_vetoes in plans:
        node = nodes[assessment.node_id]
        if wants_figures:
            figure_requests[assessment.id] = FigureRequest(
                node,
                cycle.period_start,
                cycle.period_end,
                frozenset(ValueSource(i.source) for i in loaded.fed_indicators),
            )
        if wants_vetoes and loaded.ledger_rules:
            veto_requests[assessment.id] = VetoRequest(
                node, cycle.period_start, cycle.period_end, loaded.ledger_rules
            )
        if wants_vetoes and loaded.cycle_rules:
            cycle_rules[assessment.id] = loaded.cycle_rules
    # Counted with the system's view: a unit's figures are the same whoever asks (a county's
    # submitter sees the county's own rows, not its townships', yet its figures count them).
    with system_view(session) as ledgers:
        figures = ledger_figures(ledgers, list(figure_requests.values()), now=now)
        vetoes = ledger_vetoes(ledgers, list(veto_requests.values()), now=now)
    fed = {assessment.id: loaded.fed_indicators for assessment, _, loaded, *_ in plans}
    by_assessment = {
        assessment_id: {
            item.id: figures[request][ValueSource(item.source)] for item in fed[assessment_id]
        }
        for assessment_id, request in figure_requests.items()
    }
    vetoes_by_assessment = {
        assessment_id: tuple(vetoes[request]) for assessment_id, request in veto_requests.items()
    }
    if cycle_rules:
        with_rules = [a for a, *_ in plans if a.id in cycle_rules]
        for assessment_id, fired in previous_cycle_firings(
            session, with_rules, cycle_rules, vetoes_by_assessment
        ).items():
            vetoes_by_assessment[assessment_id] = (
                vetoes_by_assessment.get(assessment_id, ()) + fired
            )
    return LedgerFacts(by_assessment, vetoes_by_assessment)


def _kept_figures(loaded: LoadedTemplate, entries: Sequence[Entry]) -> dict[str, Figure]:
    """The figures a submission kept in the entries, by item code."""
    return {
        loaded.items_by_id[e.item_id].code: Figure.from_document(e.ledger_basis)
        for e in entries
        if e.ledger_basis and e.item_id in loaded.items_by_id
    }


def _score(
    loaded: LoadedTemplate,
    entries: Sequence[Entry],
    checks: Sequence[SpotCheckFinding],
    flags: Sequence[VetoFlag],
    figures: Mapping[int, Figure],
    fired: tuple[LedgerVeto, ...],
    grades: engine.Grades | None,
) -> Scorecards:
    # The unit's own inputs, made once: the self card scores them, the reviewed card starts
    # from them (a recompute makes a hundred per assessment).
    own = own_inputs(entries, loaded, figures)
    self_input = engine.AssessmentInput(entries=own, grades=grades)
    self_card = engine.score(loaded.compiled, self_input)
    # The reviewed card scores again only the indicators the review touched.
    reviewed_card = engine.score(
        loaded.compiled,
        reviewed_input(
            entries,
            loaded.items_by_id,
            own,
            spot_checks=checks,
            vetoes=flags,
            rules_by_id=loaded.rules_by_id,
            ledger_vetoes=fired,
            grades=grades,
        ),
        alike=(self_input, self_card),
    )
    shown = (
        {loaded.items_by_id[i].code: f for i, f in figures.items()}
        if figures
        else _kept_figures(loaded, entries)
    )
    return Scorecards(
        self_card=self_card,
        reviewed_card=reviewed_card,
        gap=engine.compare(self_card, reviewed_card),
        figures=shown,
        figures_live=bool(figures),
        ledger_vetoes=fired,
    )


def scorecards(session: Session, assessment: Assessment) -> Scorecards:
    """The assessment's self and reviewed scorecards and their gap, as the rows stand."""
    return scorecards_many(session, [assessment])[assessment.id]


def scorecards_many(
    session: Session, assessments: Sequence[Assessment], *, now: datetime | None = None
) -> dict[int, Scorecards]:
    """Scorecards of many assessments by id: three queries for all their rows, each distinct
    template once, and one tally per ledger and period their ledger-fed items need."""
    if not assessments:
        return {}
    ids = [a.id for a in assessments]
    entries, checks, flags = _rows(session, ids)
    facts = ledger_facts(session, assessments, now=now)
    grades = group_grades(session, assessments)
    cards: dict[int, Scorecards] = {}
    for assessment in assessments:
        cycle = session.get_one(Cycle, assessment.cycle_id)
        loaded = load_template_of(session, cycle.template_id)
        cards[assessment.id] = _score(
            loaded,
            entries[assessment.id],
            checks[assessment.id],
            flags[assessment.id],
            facts.figures_of(assessment.id),
            facts.vetoes_of(assessment.id),
            grades.get(assessment.id),
        )
    return cards


def group_grades(
    session: Session, assessments: Sequence[Assessment]
) -> dict[int, engine.Grades | None]:
    """By assessment id, the grade thresholds of its group where the group has its own (one
    query for all; an assessment in no group, or in one without thresholds, is left out)."""
    group_ids = {a.group_id for a in assessments if a.group_id is not None}
    if not group_ids:
        return {}
    groups = {
        g.id: g
        for g in session.scalars(select(AssessmentGroup).where(AssessmentGroup.id.in_(group_ids)))
    }
    found: dict[int, engine.Grades | None] = {}
    for assessment in assessments:
        group = groups.get(assessment.group_id) if assessment.group_id is not None else None
        if group is not None and group.own_grades:
            assert group.grade_qualified is not None
            found[assessment.id] = engine.Grades(
                group.grade_excellent, group.grade_good, group.grade_qualified
            )
    return found


def refresh_scores(
    session: Session,
    assessment: Assessment,
    *,
    loaded: LoadedTemplate | None = None,
    entries: Sequence[Entry] | None = None,
    now: datetime | None = None,
) -> Scorecards:
    """Score the assessment and store self total, reviewed total, grade and veto on its row.

    A service that already holds the template or the entries passes them to save queries.
    """
    if loaded is None:
        cycle = session.get_one(Cycle, assessment.cycle_id)
        loaded = load_template_of(session, cycle.template_id)
    stored_entries, checks, flags = _rows(session, [assessment.id])
    facts = ledger_facts(session, [assessment], now=now)
    cards = _score(
        loaded,
        stored_entries[assessment.id] if entries is None else entries,
        checks[assessment.id],
        flags[assessment.id],
        facts.figures_of(assessment.id),
        facts.vetoes_of(assessment.id),
        group_grades(session, [assessment]).get(assessment.id),
    )
    # Read everything first and write after: the row changes once, in the caller's flush.
    for name, value in cached_scores(cards).items():
        setattr(assessment, name, value)
    store_item_scores(session, assessment, kept_item_scores(loaded, cards))
    ask_for_rankings(session, assessment)
    return cards


def cached_scores(cards: Scorecards) -> dict[str, object]:
    """The assessment columns that cache its scores, as ``cards`` give them."""
    card = cards.reviewed_card
    return {
        "self_total": cards.self_card.total,
        "reviewed_total": card.total,
        "grade": card.grade.value,
        "vetoed": card.vetoed,
        "yellow_cards": len(card.yellow_cards),
        "reasons": kept_reasons(card),
    }


def kept_reasons(card: engine.Scorecard) -> dict[str, list[dict[str, str]]]:
    """Why the reviewed ``card`` is vetoed or yellow-carded, as the assessment keeps it."""

    def reason(veto: engine.Veto) -> dict[str, str]:
        return {"rule": veto.rule, "reason": veto.reason, "evidence": veto.evidence}

    return {
        "vetoes": [reason(veto) for veto in card.vetoes],
        "yellow_cards": [reason(warning) for warning in card.yellow_cards],
    }


def kept_item_scores(loaded: LoadedTemplate, cards: Scorecards) -> list[dict[str, Any]]:
    """The item-score rows ``cards`` give (see ``scoring.assessments.item_scores``)."""
    return item_scores(
        loaded.engine,
        {item.code: item.id for item in loaded.items},
        cards.self_card,
        cards.reviewed_card,
        cards.figures,
    )


def rescore(session: Session, assessment: Assessment) -> Scorecards:
    """Score the assessment again after a change outside it (its ledgers) and store the cached
    scores without raising its version: nobody changed the assessment, so whoever is editing
    it must not get a conflict."""
    cards = scorecards(session, assessment)
    values = cached_scores(cards)
    cycle = session.get_one(Cycle, assessment.cycle_id)
    loaded = load_template_of(session, cycle.template_id)
    store_item_scores(session, assessment, kept_item_scores(loaded, cards))
    session.execute(
        update(Assessment).where(Assessment.id == assessment.id).values(**values),
        execution_options={"synchronize_session": False},
    )
    for name, value in values.items():
        set_committed_value(assessment, name, value)
    return cards


def open_assessments_above(session: Session, node: TenantNode) -> list[Assessment]:
    """The assessments not yet final, in open cycles, of ``node`` and of every unit above it:
    the ones whose ledger figures and vetoes count ``node``'s rows."""
    codes = [code for code in node.path.strip("/").split("/") if code]
    ancestors = select(TenantNode.id).where(
        TenantNode.customer_id == node.customer_id, TenantNode.code.in_(codes)
    )
    return list(
        session.scalars(
            select(Assessment)
            .join(Cycle, Cycle.id == Assessment.cycle_id)
            .where(
                Assessment.node_id.in_(ancestors),
                Assessment.state != AssessmentState.FINAL,
                Cycle.state == CycleState.OPEN,
            )
            .order_by(Assessment.id)
        )
    )


def rescore_above(session: Session, node: TenantNode) -> list[Assessment]:
    """After a change to ``node``'s ledgers: score again, and store, the open assessments of
    the unit and of every unit above it (``scoring.ledger_changed`` runs this). Returns them."""
    assessments = open_assessments_above(session, node)
    for assessment in assessments:
        rescore(session, assessment)
    return assessments
