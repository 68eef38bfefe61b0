"""A unit's scorecard for a cycle as a PDF: totals, grade, veto and rank; every category and
indicator with self and reviewed points, the engine's explanation lines and the reviewer's
reason; the gap between self-assessment and review; the unit's appeals and their decisions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring import engine
from scoring.assessments.models import Appeal, Assessment, Cycle, Entry
from scoring.assessments.scorecards import LoadedTemplate, load_template_of, scorecards
from scoring.rankings.models import RankingRow
from scoring.rankings.reading import current_snapshot
from scoring.reports import words
from scoring.reports.letterhead import Printed
from scoring.reports.render import renderer
from tenants.models import TenantNode
from tenants.scope import system_view


@dataclass(frozen=True)
class ExplainedLine:
    """One engine line as printed."""

    rule: str
    input: str
    text: str
    points: str


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator: both scores, why, and what the reviewer said."""

    code: str
    title: str
    max_points: str
    self_points: str
    reviewed_points: str
    gap: str
    notes: tuple[str, ...]  # not applicable, missing, adjusted
    self_lines: tuple[ExplainedLine, ...]
    reviewed_lines: tuple[ExplainedLine, ...]
    review_reason: str


@dataclass(frozen=True)
class CategorySection:
    """A category and the indicators directly under it (none: it has sub-categories)."""

    code: str
    title: str
    max_points: str
    self_points: str
    reviewed_points: str
    indicators: tuple[IndicatorRow, ...]


@dataclass(frozen=True)
class VetoLine:
    """A veto or yellow card in force: its rule, why, on what evidence."""

    rule: str
    title: str
    reason: str
    evidence: str


def _rule_line(loaded: LoadedTemplate, veto: engine.Veto) -> VetoLine:
    rule = loaded.rules_by_code.get(veto.rule)
    return VetoLine(veto.rule, rule.title if rule else veto.rule, veto.reason, veto.evidence)


@dataclass(frozen=True)
class AppealLine:
    """An appeal of the unit: the indicator, where it stands, why, and the decision."""

    indicator: str
    state: str
    reason: str
    points: str  # "5.00 → 9.00" once accepted, else the points appealed
    decision: str


@dataclass(frozen=True)
class RankLine:
    """The unit's place in its parent's ranking of the cycle's current snapshot."""

    rank: int
    of: int
    previous_rank: str
    change: str
    band: str
    scope: str


@dataclass(frozen=True)
class ScorecardReport:
    """Everything the scorecard prints, in one language."""

    unit_code: str
    unit_name: str
    cycle_name: str
    period: str
    state: str
    self_total: str
    reviewed_total: str
    gap_total: str
    grade: str
    vetoed: bool
    vetoes: tuple[VetoLine, ...]
    yellow_cards: tuple[VetoLine, ...]
    rank: RankLine | None
    sections: tuple[CategorySection, ...]
    card_lines: tuple[ExplainedLine, ...]
    appeals: tuple[AppealLine, ...] = ()


def _lines(lines: tuple[engine.Line, ...]) -> tuple[ExplainedLine, ...]:
    return tuple(
        ExplainedLine(line.rule, line.input, line.text, words.signed(line.points)) for line in lines
    )


def scorecard_report(session: Session, assessment: Assessment, lang: str) -> ScorecardReport:
    """The report's content for an assessment the session can see."""
    cycle = session.get_one(Cycle, assessment.cycle_id)
    loaded = load_template_of(session, cycle.template_id)
    cards = scorecards(session, assessment)
    reasons = {
        loaded.items_by_id[entry.item_id].code: entry.review_reason or ""
        for entry in session.scalars(select(Entry).where(Entry.assessment_id == assessment.id))
        if entry.item_id in loaded.items_by_id
    }
    # The unit's and its parent's names are no secret to whoever reads its assessment.
    with system_view(session) as reader:
        unit = reader.get_one(TenantNode, assessment.node_id)
        parent = reader.get(TenantNode, unit.parent_id) if unit.parent_id else None
        unit_code = unit.code
        unit_name = words.name_in(lang, unit.name_zh, unit.name_en)
        scope_name = "" if parent is None else words.name_in(lang, parent.name_zh, parent.name_en)
    reviewed = cards.reviewed_card
    return ScorecardReport(
        unit_code=unit_code,
        unit_name=unit_name,
        cycle_name=cycle.name,
        period=f"{cycle.period_start.isoformat()} — {cycle.period_end.isoformat()}",
        state=words.state_word(lang, assessment.state.value),
        self_total=words.points(cards.self_card.total),
        reviewed_total=words.points(reviewed.total),
        gap_total=words.signed(cards.gap.total),
        grade=words.grade_word(lang, reviewed.grade.value, loaded.template.grade_names),
        vetoed=reviewed.vetoed,
        vetoes=tuple(_rule_line(loaded, veto) for veto in reviewed.vetoes),
        yellow_cards=tuple(_rule_line(loaded, card) for card in reviewed.yellow_cards),
        rank=_rank(session, assessment, cycle, parent, scope_name, lang),
        sections=_sections(loaded, cards.self_card, reviewed, cards.gap, reasons, lang),
        card_lines=_lines(reviewed.lines),
        appeals=_appeals(session, assessment, loaded, lang),
    )


def _appeals(
    session: Session, assessment: Assessment, loaded: LoadedTemplate, lang: str
) -> tuple[AppealLine, ...]:
    rows = session.scalars(
        select(Appeal).where(Appeal.assessment_id == assessment.id).order_by(Appeal.id)
    )
    lines = []
    for appeal in rows:
        item = loaded.items_by_id.get(appeal.item_id)
        before = words.points(appeal.points_before)
        lines.append(
            AppealLine(
                indicator=f"{item.code} {item.title}" if item else "",
                state=words.appeal_state_word(lang, appeal.state.value),
                reason=appeal.reason,
                points=f"{before} → {words.points(appeal.points_after)}"
                if appeal.points_after is not None
                else before,
                decision=appeal.decision_reason or "",
            )
        )
    return tuple(lines)


def _rank(
    session: Session,
    assessment: Assessment,
    cycle: Cycle,
    parent: TenantNode | None,
    scope_name: str,
    lang: str,
) -> RankLine | None:
    snapshot = current_snapshot(session, cycle.id)
    if snapshot is None or parent is None:
        return None
    row = session.scalar(
        select(RankingRow).where(
            RankingRow.snapshot_id == snapshot.id,
            RankingRow.scope_node_id == parent.id,
            RankingRow.level == cycle.level,
            RankingRow.node_id == assessment.node_id,
        )
    )
    if row is None:
        return None
    return RankLine(
        rank=row.rank,
        of=row.of,
        previous_rank=str(row.previous_rank) if row.previous_rank is not None else "—",
        change=words.rank_change(lang, row.rank, row.previous_rank),
        band=words.band_word(lang, row.band),
        scope=scope_name,
    )


def _category_codes(categories: tuple[engine.Category, ...]) -> list[str]:
    codes: list[str] = []
    for category in categories:
        codes.append(category.code)
        codes.extend(_category_codes(category.categories))
    return codes


def _sections(
    loaded: LoadedTemplate,
    self_card: engine.Scorecard,
    reviewed: engine.Scorecard,
    gap: engine.Gap,
    reasons: dict[str, str],
    lang: str,
) -> tuple[CategorySection, ...]:
    w = words.words(lang)
    by_category: dict[str, list[IndicatorRow]] = {}
    for path, indicator in loaded.engine.indicators():
        code = indicator.code
        mine, theirs = self_card.indicators[code], reviewed.indicators[code]
        notes = []
        if theirs.not_applicable:
            notes.append(w["not_applicable"])
        if theirs.missing:
            notes.append(w["missing"])
        if theirs.adjusted:
            notes.append(w["adjusted"])
        by_category.setdefault(path[-1].code, []).append(
            IndicatorRow(
                code=code,
                title=loaded.items_by_code[code].title,
                max_points=words.points(theirs.max_points),
                self_points=words.points(mine.points),
                reviewed_points=words.points(theirs.points),
                gap=words.signed(gap.indicators.get(code, Decimal(0))),
                notes=tuple(notes),
                self_lines=_lines(mine.lines),
                reviewed_lines=_lines(theirs.lines),
                review_reason=reasons.get(code, ""),
            )
        )
    sections = []
    # Every category in template order (a category before its sub-categories); one with
    # sub-categories only has no indicators of its own.
    for code in _category_codes(loaded.engine.categories):
        category = reviewed.categories[code]
        indicators = by_category.get(code, [])
        sections.append(
            CategorySection(
                code=code,
                title=loaded.items_by_code[code].title,
                max_points=words.points(category.max_points),
                self_points=words.points(self_card.categories[code].points),
                reviewed_points=words.points(category.points),
                indicators=tuple(indicators),
            )
        )
    return tuple(sections)


def render_scorecard(
    report: ScorecardReport, lang: str, letterhead: Printed | None = None
) -> bytes:
    """A scorecard report's content printed (the bench renders content built in memory)."""
    return renderer().pdf("scorecard.html", lang, {"r": report, "letterhead": letterhead})
