"""A region's ranking report as a PDF: every unit's rank, total, grade, veto and rank change in
the cycle's current snapshot, what changed since an earlier version of the cycle's rankings (a
republished result: who moved and why, whose commendation is withdrawn or granted), a bar chart
of totals and the grade distribution, the candidates for commendation and the list to criticise
or interview."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup
from sqlalchemy.orm import Session

from redline.calendar import LOCAL_TZ
from redline.errors import ErrorCode, fail
from scoring.engine import Grade
from scoring.rankings import reasons
from scoring.rankings.changes import Change, rank_of, ranking_changes, versions
from scoring.rankings.lists import (
    Listed,
    commendation_candidates,
    criticism_list,
    qualified_marks,
)
from scoring.rankings.models import RankingRow, RankingSnapshot, RegionAggregate
from scoring.rankings.reading import RankingPage, aggregate_of, current_snapshot, ranking_page
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
    group: str = ""  # the assessment group (分类考核) ranked within; "" without groups


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
class ChangeLine:
    """One unit whose standing changed since the version compared with."""

    code: str
    name: str
    rank: str  # 5 → 2 ↑3; — → 4 (came in)
    total: str  # 91.00 → 91.00
    grade: str  # 优秀 → 不合格
    why: tuple[str, ...]
    commendation: str  # 撤销表扬, 新增表扬 or ""
    vetoed: bool  # vetoed in the later version


@dataclass(frozen=True)
class Changes:
    """What changed since an earlier version of the cycle's rankings, as printed."""

    compared: str  # v3 与 v2 相比
    heading: str
    lines: tuple[ChangeLine, ...]
    none: str  # said when no unit changed


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
    changes: Changes | None = None
    changes_note: str = ""  # why there are none to show: the first version, rows not kept


def _name(row: RankingRow, lang: str) -> str:
    return words.name_in(lang, row.unit_name_zh, row.unit_name_en)


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
        veto_reasons=reasons.rules_text(row.veto_reasons, words.words(lang)),
        yellow_cards=reasons.rules_text(row.yellow_cards, words.words(lang)),
        previous_rank=str(row.previous_rank) if row.previous_rank is not None else "—",
        change=words.rank_change(
            lang, row.rank if row.score is not None else None, row.previous_rank
        ),
        group=row.group_name or "",
    )


def snapshot_version(snapshot: RankingSnapshot | None, lang: str) -> str:
    """A ranking snapshot as printed: v3, or v3 (provisional); — when none is published."""
    if snapshot is None:
        return "—"
    return f"v{snapshot.version}" + (
        words.words(lang)["provisional"] if snapshot.provisional else ""
    )


def snapshot_computed_at(snapshot: RankingSnapshot | None) -> str:
    """When a snapshot was computed, China time, to the minute."""
    if snapshot is None:
        return "—"
    return snapshot.computed_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


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


def _or_dash(value: object) -> str:
    return "—" if value is None else str(value)


def _why(change: Change, w: Mapping[str, str]) -> tuple[str, ...]:
    """Why a unit's standing changed: each veto and yellow card raised or lifted (its rule's
    title and reason), its coming into or leaving the ranking, else its total's change, else
    that others moved past it."""
    said = [
        f"{label}{w['colon']}{reasons.rule_text(fired, w)}"
        for label, each in (
            (w["veto_added"], change.vetoes_added),
            (w["veto_removed"], change.vetoes_removed),
            (w["yellow_added"], change.yellow_cards_added),
            (w["yellow_removed"], change.yellow_cards_removed),
        )
        for fired in each
    ]
    before, after = change.before, change.after
    if before is None:
        said.append(w["came_in"])
    elif after is None:
        said.append(w["left_ranking"])
    else:
        if before.vetoed != after.vetoed and not (change.vetoes_added or change.vetoes_removed):
            said.append(w["veto_added" if after.vetoed else "veto_removed"])
        if change.score_change:
            said.append(w["score_changed"].format(change=words.signed(change.score_change)))
        if not said and change.rank_change:
            said.append(w["others_moved"])
    return tuple(said)


def change_line(change: Change, lang: str, names: Mapping[str, str] | None = None) -> ChangeLine:
    """A changed unit as the changes section prints it: each figure before → after."""
    w = words.words(lang)
    before, after = change.before, change.after
    row = after or before
    assert row is not None
    rank = f"{_or_dash(rank_of(before))} → {_or_dash(rank_of(after))}"
    if change.rank_change:
        rank += f" {words.rank_change(lang, rank_of(after), rank_of(before))}"

    def both(said) -> str:
        return f"{said(before) if before else '—'} → {said(after) if after else '—'}"

    commendation = ""
    if change.commendation_withdrawn:
        commendation = w["commendation_withdrawn"]
    elif change.commendation_granted:
        commendation = w["commendation_granted"]
    return ChangeLine(
        code=row.unit_code,
        name=_name(row, lang),
        rank=rank,
        total=both(lambda r: words.points(r.score)),
        grade=both(lambda r: words.grade_word(lang, r.grade, names)),
        why=_why(change, w),
        commendation=commendation,
        vetoed=after is not None and after.vetoed,
    )


def check_compare_with(
    session: Session,
    actor: Actor,
    cycle_id: int,
    version: int,
    field: str = "compareWithVersion",
) -> RankingSnapshot:
    """The version of the cycle's rankings a report compares the current one with: an earlier
    one whose rows are kept, or refused naming ``field``."""
    current = current_snapshot(session, cycle_id)
    found = next((v for v in versions(session, actor, cycle_id) if v.version == version), None)
    if found is None or current is None:
        raise fail(field, f"the cycle's rankings have no version {version}", ErrorCode.NOT_FOUND)
    if found.version >= current.version:
        raise fail(
            field,
            f"version {version} is not earlier than the current version {current.version}",
            ErrorCode.INVALID,
        )
    if found.rows_pruned:
        raise fail(
            field,
            f"version {version} was provisional and its rows are no longer kept",
            ErrorCode.INVALID,
        )
    return found


def changes_section(
    session: Session,
    actor: Actor,
    page: RankingPage,
    lang: str,
    compare_with: int | None = None,
    names: Mapping[str, str] | None = None,
) -> tuple[Changes | None, str]:
    """What changed in the page's ranking since ``compare_with`` (by default the latest
    earlier version whose rows are kept), or none and the note saying why: nothing is
    published, the current version is the first, or no earlier one keeps its rows."""
    w = words.words(lang)
    current, cycle_id = page.snapshot, page.cycle.id
    if current is None:
        return None, ""
    earlier = [v for v in versions(session, actor, cycle_id) if v.version < current.version]
    kept = [v for v in earlier if not v.rows_pruned]
    previous = kept[0].version if kept else None
    if compare_with is None:
        if not earlier:
            return None, w["first_version"]
        if previous is None:
            return None, w["no_earlier_rows"]
        compare_with = previous
    else:
        check_compare_with(session, actor, cycle_id, compare_with)
    found = ranking_changes(
        session, actor, cycle_id, page.scope.id, page.level, compare_with, current.version
    )
    is_previous = compare_with == previous
    return (
        Changes(
            compared=w["compared_with"].format(
                after=found.after.version, before=found.before.version
            ),
            heading=w["changes_since_previous" if is_previous else "changes_since"].format(
                version=compare_with
            ),
            lines=tuple(change_line(change, lang, names) for change in found.changes),
            none=w["no_changes_previous"]
            if is_previous
            else w["no_changes"].format(version=compare_with),
        ),
        "",
    )


def ranking_report(
    session: Session,
    actor: Actor,
    cycle_id: int,
    scope_id: int,
    level: TenantLevel,
    lang: str,
    compare_with: int | None = None,
) -> RankingReport:
    """The report's content, read as ``rankingPage``, the lists and ``rankingChanges`` read it
    (the same refusals: a DomainError for a cycle or scope the actor may not read, or a level
    not ranked there), the changes since ``compare_with`` (by default the previous version
    whose rows are kept)."""
    page = ranking_page(session, actor, cycle_id, scope_id, level, first=ALL_ROWS)
    _, aggregate = aggregate_of(session, actor, cycle_id, scope_id)
    template = session.get_one(Template, page.cycle.template_id)
    w = words.words(lang)
    scope_name = words.name_in(lang, page.scope.name_zh, page.scope.name_en)
    lists = level is TenantLevel(page.cycle.level)
    commended: tuple[ListedUnit, ...] = ()
    criticised: tuple[ListedUnit, ...] = ()
    if lists and page.snapshot is not None:
        qualified = qualified_marks(session, page.cycle)

        # Said here in the report's language, the service's sentences being English.
        def praise(entry: Listed) -> tuple[str, ...]:
            return tuple(r.text for r in reasons.praise_said(entry.row, scope_name, w))

        def blame(entry: Listed) -> tuple[str, ...]:
            return tuple(r.text for r in reasons.blame_said(entry.row, qualified(entry.row), w))

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
    changes, changes_note = changes_section(
        session, actor, page, lang, compare_with, template.grade_names
    )
    return RankingReport(
        cycle_name=page.cycle.name,
        scope_code=page.scope.code,
        scope_name=scope_name,
        level=words.level_word(lang, level.value),
        snapshot=snapshot_version(snapshot, lang),
        computed_at=snapshot_computed_at(snapshot),
        units=tuple(unit_line(row, lang, template.grade_names) for row in page.rows),
        summary=_summary(aggregate),
        totals_chart=totals,
        chart_note=note,
        grades_chart=grades,
        lists=lists,
        commendation=commended,
        criticism=criticised,
        changes=changes,
        changes_note=changes_note,
    )


def render_ranking(report: RankingReport, lang: str, letterhead: Printed | None = None) -> bytes:
    """A ranking report's content printed (the bench renders content built in memory)."""
    return renderer().pdf("ranking.html", lang, {"r": report, "letterhead": letterhead})
