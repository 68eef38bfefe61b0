"""A region's ranking report as a PDF: every unit's rank, total, grade, veto and rank change in
the cycle's current snapshot, a bar chart of totals and the grade distribution, the candidates
for commendation and the list to criticise or interview."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup
from sqlalchemy.orm import Session

from redline.calendar import LOCAL_TZ
from scoring.engine import Grade
from scoring.rankings.lists import Listed, commendation_candidates, criticism_list
from scoring.rankings.models import RankingRow, RegionAggregate
from scoring.rankings.reading import aggregate_of, ranking_page
from scoring.reports import words
from scoring.reports.charts import Bar, bar_chart, grade_chart
from scoring.reports.letterhead import Printed
from scoring.reports.render import renderer
from scoring.templates.models import Template
from tenants.access import Actor
from tenants.models import TenantLevel

# Every row of one ranking: a province's townships are some 1,300; a country's far fewer per scope.
ALL_ROWS = 100_000
CHART_ROWS = 100  # the bar chart shows the first hundred; the table lists every unit
COMMENDED = 10


@dataclass(frozen=True)
class UnitLine:
    """One unit's row of the league table."""

    rank: str
    code: str
    name: str
    total: str
    grade: str
    band: str
    band_key: str
    vetoed: bool
    veto_reasons: str
    yellow_cards: str  # their rules and reasons; "" without one
    previous_rank: str
    change: str


@dataclass(frozen=True)
class ListedUnit:
    """A unit on the commendation or the criticism list, with its reasons in words."""

    rank: str
    code: str
    name: str
    total: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    """The scope's aggregate, as printed."""

    units: int
    ranked: int
    mean: str
    median: str
    range: str
    veto_count: int


@dataclass(frozen=True)
class RankingReport:
    """Everything the ranking report prints, in one language."""

    cycle_name: str
    scope_code: str
    scope_name: str
    level: str
    snapshot: str
    computed_at: str
    units: tuple[UnitLine, ...]
    summary: Summary | None
    totals_chart: Markup | None
    chart_note: str
    grades_chart: Markup | None
    lists: bool  # the lists apply (the cycle's own units are ranked)
    commendation: tuple[ListedUnit, ...]
    criticism: tuple[ListedUnit, ...]


def _name(row: RankingRow, lang: str) -> str:
    return words.name_in(lang, row.unit_name_zh, row.unit_name_en)


def _rules_text(fired: Sequence[Mapping[str, str]] | None, lang: str) -> str:
    """Vetoes or yellow cards as printed: each rule's title and its reason."""
    w = words.words(lang)
    return w["sep"].join(
        (veto.get("title") or veto.get("rule") or "")
        + (f"{w['colon']}{veto['reason']}" if veto.get("reason") else "")
        for veto in fired or ()
    )


def unit_line(row: RankingRow, lang: str, names: Mapping[str, str] | None = None) -> UnitLine:
    return UnitLine(
        rank=str(row.rank) if row.score is not None else "—",
        code=row.unit_code,
        name=_name(row, lang),
        total=words.points(row.score),
        grade=words.grade_word(lang, row.grade, names),
        band=words.band_word(lang, row.band),
        band_key=row.band or "",
        vetoed=row.vetoed,
        veto_reasons=_rules_text(row.veto_reasons, lang),
        yellow_cards=_rules_text(row.yellow_cards, lang),
        previous_rank=str(row.previous_rank) if row.previous_rank is not None else "—",
        change=words.rank_change(
            lang, row.rank if row.score is not None else None, row.previous_rank
        ),
    )


def _summary(aggregate: RegionAggregate | None) -> Summary | None:
    if aggregate is None:
        return None
    return Summary(
        units=aggregate.assessed,
        ranked=aggregate.ranked,
        mean=words.points(aggregate.mean),
        median=words.points(aggregate.median),
        range=f"{words.points(aggregate.minimum)} — {words.points(aggregate.maximum)}",
        veto_count=aggregate.veto_count,
    )


def grade_counts(rows: Sequence[RankingRow]) -> dict[str, int]:
    """Units per grade among the rows (a vetoed unit counts under its grade, unqualified)."""
    counts = {grade.value: 0 for grade in Grade}
    for row in rows:
        if row.grade in counts:
            counts[row.grade] += 1
    return counts


def charts(
    rows: Sequence[RankingRow], maximum: Decimal, lang: str, template: Template
) -> tuple[Markup | None, str, Markup | None]:
    """The totals chart, its note (when it shows only the first rows) and the grades chart (of
    the grades the template has, by its names)."""
    if not rows:
        return None, "", None
    shown = rows[:CHART_ROWS]
    note = (
        words.words(lang)["chart_top"].format(shown=len(shown), total=len(rows))
        if len(rows) > len(shown)
        else ""
    )
    totals = bar_chart([Bar(_name(row, lang), row.score, row.band) for row in shown], maximum)
    counts = grade_counts(rows)
    names = template.grade_names or {}
    had = (*template.grade_thresholds(), Grade.UNQUALIFIED)
    grades = grade_chart(
        [(g.value, words.grade_word(lang, g.value, names), counts[g.value]) for g in had]
    )
    return totals, note, grades


def _listed(entries: Sequence[Listed], lang: str, reasons_of) -> tuple[ListedUnit, ...]:
    return tuple(
        ListedUnit(
            rank=str(entry.row.rank),
            code=entry.row.unit_code,
            name=_name(entry.row, lang),
            total=words.points(entry.row.score),
            reasons=reasons_of(entry),
        )
        for entry in entries
    )


def ranking_report(
    session: Session,
    actor: Actor,
    cycle_id: int,
    scope_id: int,
    level: TenantLevel,
    lang: str,
) -> RankingReport:
    """The report's content, read as ``rankingPage`` and the lists read it (the same refusals:
    a DomainError for a cycle or scope the actor may not read, or a level not ranked there)."""
    page = ranking_page(session, actor, cycle_id, scope_id, level, first=ALL_ROWS)
    _, aggregate = aggregate_of(session, actor, cycle_id, scope_id)
    template = session.get_one(Template, page.cycle.template_id)
    w = words.words(lang)
    scope_name = words.name_in(lang, page.scope.name_zh, page.scope.name_en)
    lists = level is TenantLevel(page.cycle.level)
    commended: tuple[ListedUnit, ...] = ()
    criticised: tuple[ListedUnit, ...] = ()
    if lists and page.snapshot is not None:
        qualified = template.grade_qualified

        def praise(entry: Listed) -> tuple[str, ...]:
            # Composed here in both languages: the service's sentence names the scope in Chinese.
            row = entry.row
            return (
                w["rank_in_scope"].format(scope=scope_name, rank=row.rank, of=row.of),
                w["excellent_at"].format(score=words.points(row.score)),
            )

        def blame(entry: Listed) -> tuple[str, ...]:
            if lang != "zh":
                return tuple(reason.text for reason in entry.reasons)
            row = entry.row

            def each(label: str, fired: Sequence[Mapping[str, str]] | None) -> list[str]:
                return [f"{label}{w['colon']}{_rules_text([one], lang)}" for one in fired or ()]

            said = each(w["vetoed"], row.veto_reasons)
            if row.vetoed and not row.veto_reasons:
                said.append(w["vetoed"])
            said += each(w["yellow_card"], row.yellow_cards)
            if row.score is not None and row.score < qualified:
                said.append(
                    w["below_qualified"].format(
                        score=words.points(row.score), qualified=words.points(qualified)
                    )
                )
            if row.overdue_major_hazards:
                said.append(w["overdue_hazards"].format(count=row.overdue_major_hazards))
            return tuple(said)

        commended = _listed(
            commendation_candidates(
                session, actor, cycle_id, scope_id, level, limit=COMMENDED
            ).units,
            lang,
            praise,
        )
        criticised = _listed(
            criticism_list(session, actor, cycle_id, scope_id, level).units, lang, blame
        )
    maximum = template.total_points + template.bonus_cap
    totals, note, grades = charts(page.rows, maximum, lang, template)
    snapshot = page.snapshot
    return RankingReport(
        cycle_name=page.cycle.name,
        scope_code=page.scope.code,
        scope_name=scope_name,
        level=words.level_word(lang, level.value),
        snapshot=(
            f"v{snapshot.version}" + (w["provisional"] if snapshot.provisional else "")
            if snapshot is not None
            else "—"
        ),
        computed_at=(
            snapshot.computed_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
            if snapshot is not None
            else "—"
        ),
        units=tuple(unit_line(row, lang, template.grade_names) for row in page.rows),
        summary=_summary(aggregate),
        totals_chart=totals,
        chart_note=note,
        grades_chart=grades,
        lists=lists,
        commendation=commended,
        criticism=criticised,
    )


def render_ranking(report: RankingReport, lang: str, letterhead: Printed | None = None) -> bytes:
    """A ranking report's content printed (the bench renders content built in memory)."""
    return renderer().pdf("ranking.html", lang, {"r": report, "letterhead": letterhead})
