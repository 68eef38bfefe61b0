"""A subtree's accident and hazard statistics for a period as a PDF, each figure against the same
period of the previous year: the totals, by accident class, by sector and by unit below, a chart
of the units' accidents, and the hazards found, rectified and overdue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from markupsafe import Markup
from sqlalchemy.orm import Session

from redline.calendar import LOCAL_TZ
from redline.db import utcnow
from scoring.ledgers.figures.accidents import AccidentStatistics, accident_statistics
from scoring.ledgers.figures.hazards import HazardStatistics, HazardTally, hazard_statistics
from scoring.ledgers.models import AccidentClass
from scoring.ledgers.rates import FULL, percent
from scoring.ledgers.year_on_year import Change, year_on_year
from scoring.reports import words
from scoring.reports.charts import Pair, paired_bar_chart
from scoring.reports.letterhead import Printed
from scoring.reports.render import renderer
from tenants.models import TenantNode

CHART_UNITS = 40  # beyond, the pairs of bars are too thin to read; the table lists every unit

# How a change reads: more accidents is worse, a higher rectification rate better.
WORSE, BETTER, SAME = "worse", "better", ""


@dataclass(frozen=True)
class Compared:
    """One figure as printed: this period, last year, the change and the year-on-year word."""

    current: str
    previous: str
    change: str
    year_on_year: str
    trend: str  # WORSE, BETTER or SAME (how the cell is coloured)


@dataclass(frozen=True)
class FigureLine:
    """A headline figure: its label and the figure compared."""

    label: str
    figure: Compared


@dataclass(frozen=True)
class GroupLine:
    """Accidents and deaths of one accident class, sector or unit, year on year."""

    code: str
    name: str
    count: Compared
    deaths: Compared
    kind: str  # "unit", "own" (recorded at the unit itself) or "sum"


@dataclass(frozen=True)
class HazardUnitLine:
    """One unit's hazards found, rectification rate, major hazards and overdue, year on year."""

    code: str
    name: str
    found: Compared
    rate: Compared
    major: Compared
    overdue: Compared
    kind: str  # "unit", "own" or "sum"


@dataclass(frozen=True)
class StatisticsReport:
    """Everything the statistics report prints, in one language."""

    unit_code: str
    unit_name: str
    period: str
    previous_period: str
    as_of: str
    summary: tuple[str, ...]  # the sentences a statistical bulletin opens with
    accidents_now: bool  # any accident in this period
    accidents: bool  # any accident in this period or last year's
    totals: tuple[FigureLine, ...]
    by_class: tuple[GroupLine, ...]
    by_sector: tuple[GroupLine, ...]
    units: tuple[GroupLine, ...]  # the units below, then this level's own and the sum
    units_chart: Markup | None
    hazards: bool  # any hazard found or overdue in this period or last year's
    hazard_totals: tuple[FigureLine, ...]
    hazard_units: tuple[HazardUnitLine, ...]


def _trend(change: Decimal, more_is_better: bool) -> str:
    if change == 0:
        return SAME
    return BETTER if (change > 0) == more_is_better else WORSE


def _compared(change: Change, lang: str, *, yuan: bool = False) -> Compared:
    """A count (or a sum of yuan, in 万元) against last year: more is worse."""
    if yuan:
        current, previous = words.wan_yuan(change.current), words.wan_yuan(change.previous)
        difference = words.signed_wan_yuan(change.change)
    else:
        current, previous = words.count(change.current), words.count(change.previous)
        difference = words.signed_count(change.change)
    return Compared(
        current=current,
        previous=previous,
        change=difference,
        year_on_year=words.year_on_year_word(lang, change.change, change.percent),
        trend=_trend(change.change, more_is_better=False),
    )


def _rate_compared(current: Decimal | None, previous: Decimal | None, lang: str) -> Compared:
    """A rate against last year's, the change in percentage points ("—" without either)."""
    if current is None or previous is None:
        return Compared(words.rate(current), words.rate(previous), "—", "—", SAME)
    change = current - previous
    return Compared(
        current=words.rate(current),
        previous=words.rate(previous),
        change=words.signed_points(change),
        year_on_year=words.points_change_word(lang, change),
        trend=_trend(change, more_is_better=True),
    )


def _name(node: TenantNode, lang: str) -> str:
    return words.name_in(lang, node.name_zh, node.name_en)


def statistics_report(
    session: Session,
    node: TenantNode,
    start: date,
    end: date,
    lang: str,
    *,
    now: datetime | None = None,
) -> StatisticsReport:
    """The report's content for ``node``'s subtree over [start, end] (the caller has checked
    that the viewer may read its ledgers). Both periods' hazards are counted as the ledger
    stands at ``now`` (default: now), as ``hazardStatistics`` counts them: a moment a year
    earlier would not do, since the hazards found are the rows there now and a period may run
    past that moment (then none of last year's would count as rectified)."""
    moment = now or utcnow()
    hazards = hazard_statistics(session, node, start, end, now=moment)
    accidents = accident_statistics(session, node, start, end)
    earlier = hazard_statistics(
        session, node, accidents.previous_start, accidents.previous_end, now=moment
    )
    w = words.words(lang)
    unit_name = _name(node, lang)
    period = words.period_text(lang, start, end)
    totals = accidents.totals
    return StatisticsReport(
        unit_code=node.code,
        unit_name=unit_name,
        period=period,
        previous_period=words.period_text(lang, accidents.previous_start, accidents.previous_end),
        as_of=moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
        summary=_summary(accidents, unit_name, period, lang),
        accidents_now=bool(totals.count.current),
        accidents=bool(totals.count.current or totals.count.previous),
        totals=(
            FigureLine(w["stats_count"], _compared(totals.count, lang)),
            FigureLine(w["stats_deaths"], _compared(totals.deaths, lang)),
            FigureLine(w["stats_injuries"], _compared(totals.serious_injuries, lang)),
            FigureLine(w["stats_loss"], _compared(totals.direct_loss, lang, yuan=True)),
        ),
        by_class=tuple(
            GroupLine(
                code=row.accident_class.value,
                name=words.accident_class_word(lang, row.accident_class.value),
                count=_compared(row.count, lang),
                deaths=_compared(row.deaths, lang),
                kind="unit",
            )
            for row in accidents.by_class
        ),
        by_sector=tuple(
            GroupLine(
                code=row.sector.value,
                name=words.sector_word(lang, row.sector.value),
                count=_compared(row.count, lang),
                deaths=_compared(row.deaths, lang),
                kind="unit",
            )
            for row in accidents.by_sector
        ),
        units=_accident_units(accidents, lang),
        units_chart=_units_chart(accidents, lang),
        hazards=_any_hazard(hazards.tally) or _any_hazard(earlier.tally),
        hazard_totals=_hazard_totals(hazards.tally, earlier.tally, lang),
        hazard_units=_hazard_units(hazards, earlier, lang),
    )


def _summary(
    accidents: AccidentStatistics, unit_name: str, period: str, lang: str
) -> tuple[str, ...]:
    """As the Guangyuan report says it: so many accidents and deaths, so many fewer than the
    same period last year (and by what percent), and whether any was larger or worse."""
    w = words.words(lang)
    totals = accidents.totals
    if totals.count.current == 0:
        said = [w["stats_summary_empty"].format(period=period, unit=unit_name)]
    else:
        said = [
            w["stats_summary"].format(
                period=period,
                unit=unit_name,
                count=words.count(totals.count.current),
                deaths=words.count(totals.deaths.current),
                injuries=words.count(totals.serious_injuries.current),
                loss=words.wan_yuan(totals.direct_loss.current),
            )
        ]
    said.append(
        w["stats_compare"].format(
            count=words.change_phrase(
                lang, totals.count.change, totals.count.percent, w["stats_count_unit"]
            ),
            deaths=words.change_phrase(
                lang, totals.deaths.change, totals.deaths.percent, w["stats_people_unit"]
            ),
        )
    )
    serious = [row for row in accidents.by_class if row.accident_class is not AccidentClass.GENERAL]
    count = sum(row.count.current for row in serious)
    if count:
        deaths = sum(row.deaths.current for row in serious)
        said.append(
            w["stats_larger_some"].format(count=words.count(count), deaths=words.count(deaths))
        )
    elif totals.count.current:
        said.append(w["stats_larger_none"])
    return tuple(said)


def _accident_units(accidents: AccidentStatistics, lang: str) -> tuple[GroupLine, ...]:
    """The units below, then what was recorded at this level itself (when anything was) and
    the sum (the subtree's totals)."""
    if not accidents.by_unit:
        return ()
    w = words.words(lang)
    lines = [
        GroupLine(
            row.node.code,
            _name(row.node, lang),
            _compared(row.count, lang),
            _compared(row.deaths, lang),
            "unit",
        )
        for row in accidents.by_unit
    ]
    totals = accidents.totals
    own_count = _rest(totals.count, [row.count for row in accidents.by_unit])
    own_deaths = _rest(totals.deaths, [row.deaths for row in accidents.by_unit])
    if own_count.current or own_count.previous:
        lines.append(
            GroupLine(
                accidents.node.code,
                w["stats_own"],
                _compared(own_count, lang),
                _compared(own_deaths, lang),
                "own",
            )
        )
    lines.append(
        GroupLine(
            "",
            w["stats_sum"],
            _compared(totals.count, lang),
            _compared(totals.deaths, lang),
            "sum",
        )
    )
    return tuple(lines)


def _rest(total: Change, parts: Sequence[Change]) -> Change:
    """The total less its parts, year on year."""
    return year_on_year(
        total.current - sum((part.current for part in parts), start=Decimal(0)),
        total.previous - sum((part.previous for part in parts), start=Decimal(0)),
    )


def _units_chart(accidents: AccidentStatistics, lang: str) -> Markup | None:
    """This period's and last year's accidents of each unit below (none: no units, too many
    to read, or not one accident in either period)."""
    rows = accidents.by_unit
    if not rows or len(rows) > CHART_UNITS:
        return None
    if not any(row.count.current or row.count.previous for row in rows):
        return None
    w = words.words(lang)
    return paired_bar_chart(
        [Pair(_name(row.node, lang), row.count.current, row.count.previous) for row in rows],
        (w["stats_current"], w["stats_previous_period"]),
    )


def _any_hazard(tally: HazardTally) -> bool:
    return bool(tally.found or tally.overdue)


def _found_rate(tally: HazardTally) -> Decimal | None:
    """The rectification rate, none when nothing was found (the ledgers count that as 100.0
    for the indicators; printed beside a zero it would read as an achievement)."""
    return tally.rectification_rate if tally.found else None


def _major_rate(tally: HazardTally) -> Decimal | None:
    return tally.major_rectification_rate if tally.major_found else None


def _hazard_totals(
    current: HazardTally, previous: HazardTally, lang: str
) -> tuple[FigureLine, ...]:
    w = words.words(lang)

    def counted(label: str, now: int, before: int, more_is_better: bool) -> FigureLine:
        figure = _compared(year_on_year(now, before), lang)
        return FigureLine(
            w[label], replace(figure, trend=_trend(Decimal(now - before), more_is_better))
        )

    return (
        # More hazards found is neither good nor bad in itself: not coloured.
        FigureLine(
            w["stats_found"], _plain(_compared(year_on_year(current.found, previous.found), lang))
        ),
        counted("stats_rectified", current.rectified, previous.rectified, True),
        FigureLine(
            w["stats_rate"], _rate_compared(_found_rate(current), _found_rate(previous), lang)
        ),
        FigureLine(
            w["stats_major_found"],
            _plain(_compared(year_on_year(current.major_found, previous.major_found), lang)),
        ),
        counted("stats_major_rectified", current.major_rectified, previous.major_rectified, True),
        FigureLine(
            w["stats_major_rate"],
            _rate_compared(_major_rate(current), _major_rate(previous), lang),
        ),
        counted("stats_overdue", current.overdue, previous.overdue, False),
        counted("stats_overdue_major", current.overdue_major, previous.overdue_major, False),
        counted(
            "stats_listed_overdue",
            len(current.listed_overdue),
            len(previous.listed_overdue),
            False,
        ),
    )


def _plain(figure: Compared) -> Compared:
    return replace(figure, trend=SAME)


def _hazard_units(
    current: HazardStatistics, previous: HazardStatistics, lang: str
) -> tuple[HazardUnitLine, ...]:
    """The units below, this level's own (when it has any) and the sum, year on year."""
    if not current.by_unit:
        return ()
    w = words.words(lang)
    before = {unit.id: tally for unit, tally in previous.by_unit}
    lines = [
        _hazard_line(unit.code, _name(unit, lang), tally, before[unit.id], "unit", lang)
        for unit, tally in current.by_unit
    ]
    own_now = _own(current.tally, [tally for _, tally in current.by_unit])
    own_before = _own(previous.tally, [tally for _, tally in previous.by_unit])
    if any(astuple(own_now)) or any(astuple(own_before)):
        lines.append(
            _hazard_line(current.node.code, w["stats_own"], own_now, own_before, "own", lang)
        )
    lines.append(_hazard_line("", w["stats_sum"], current.tally, previous.tally, "sum", lang))
    return tuple(lines)


@dataclass(frozen=True)
class _Counts:
    """The counts of a tally the unit table prints (a tally less those of the units below)."""

    found: int
    rectified: int
    major_found: int
    overdue: int


def _own(total: HazardTally, parts: Sequence[HazardTally]) -> _Counts:
    return _Counts(
        found=total.found - sum(part.found for part in parts),
        rectified=total.rectified - sum(part.rectified for part in parts),
        major_found=total.major_found - sum(part.major_found for part in parts),
        overdue=total.overdue - sum(part.overdue for part in parts),
    )


def _hazard_line(
    code: str,
    name: str,
    now: HazardTally | _Counts,
    before: HazardTally | _Counts,
    kind: str,
    lang: str,
) -> HazardUnitLine:
    def rate(tally: HazardTally | _Counts) -> Decimal | None:
        if not tally.found:
            return None
        return percent(tally.rectified, tally.found, when_empty=FULL)

    return HazardUnitLine(
        code=code,
        name=name,
        found=_plain(_compared(year_on_year(now.found, before.found), lang)),
        rate=_rate_compared(rate(now), rate(before), lang),
        major=_plain(_compared(year_on_year(now.major_found, before.major_found), lang)),
        overdue=_compared(year_on_year(now.overdue, before.overdue), lang),
        kind=kind,
    )


def render_statistics(
    report: StatisticsReport, lang: str, letterhead: Printed | None = None
) -> bytes:
    """A statistics report's content printed (the bench renders content built in memory)."""
    return renderer().pdf("statistics.html", lang, {"r": report, "letterhead": letterhead})
