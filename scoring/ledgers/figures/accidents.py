"""What the accident ledger says: a unit's tally for a period (for indicators and vetoes) and
the statistics of a subtree against the same period of the previous year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.engine import ClauseKind
from scoring.ledgers.models import Accident, AccidentClass, Sector
from scoring.ledgers.reporting import late_report_hours
from scoring.ledgers.subtrees import by_subtree, in_subtrees
from scoring.ledgers.year_on_year import Change, year_on_year
from scoring.templates.models import AccidentMeasure
from tenants.models import TenantNode

# --- what clauses count ------------------------------------------------------------------------

# One class's figures of one measure among a unit's accidents: (class, measure, amount).
Part = tuple[AccidentClass, AccidentMeasure, int]


def accident_parts(accidents: Sequence[Accident]) -> tuple[Part, ...]:
    """The accidents, deaths and late-report hours of each class among ``accidents`` (each
    accident in its own class, the most severe any of its figures reaches)."""
    sums: dict[tuple[AccidentClass, AccidentMeasure], int] = {}
    for accident in accidents:
        late = late_report_hours(accident) or 0
        for measure, amount in (
            (AccidentMeasure.ACCIDENTS, 1),
            (AccidentMeasure.DEATHS, accident.deaths),
            (AccidentMeasure.LATE_REPORT_HOURS, late),
        ):
            key = (accident.accident_class, measure)
            sums[key] = sums.get(key, 0) + amount
    return tuple(
        (accident_class, measure, sums[(accident_class, measure)])
        for accident_class in AccidentClass
        for measure in AccidentMeasure
        if sums.get((accident_class, measure))
    )


def clause_counts(clauses: Sequence[Mapping[str, Any]], parts: Sequence[Part]) -> dict[str, int]:
    """Each clause's count from the accident ledger: what it measures (accidents by default),
    of every class, or of its own class and the classes above it up to the next clause's, so
    that each accident counts once, in the clause of the most severe class it reaches."""
    counts: dict[str, int] = {}
    for clause in clauses:
        if clause["kind"] == ClauseKind.CASCADE:
            continue
        measure = AccidentMeasure(clause.get("accident_measure") or AccidentMeasure.ACCIDENTS)
        classed = [
            AccidentClass(c["accident_class"])
            for c in clauses
            if c.get("accident_class")
            and AccidentMeasure(c.get("accident_measure") or AccidentMeasure.ACCIDENTS) is measure
        ]
        own = clause.get("accident_class")
        counts[clause["key"]] = sum(
            amount
            for part_class, part_measure, amount in parts
            if part_measure is measure
            and (own is None or _counted_in(part_class, classed) is AccidentClass(own))
        )
    return counts


def _counted_in(
    accident_class: AccidentClass, classes: Sequence[AccidentClass]
) -> AccidentClass | None:
    """The most severe of ``classes`` an accident of ``accident_class`` reaches (None: none)."""
    reached = [c for c in classes if c.severity <= accident_class.severity]
    return max(reached, key=lambda c: c.severity, default=None)


def parts_text(parts: Sequence[Part]) -> str:
    """The parts as a figure's basis says them: "2 general, 1 larger; reported 5 hours late"."""
    by_class = ", ".join(
        f"{amount} {accident_class.value}"
        for accident_class, measure, amount in parts
        if measure is AccidentMeasure.ACCIDENTS
    )
    hours = sum(a for _, m, a in parts if m is AccidentMeasure.LATE_REPORT_HOURS)
    late = f"; reported {hours} hour{'s' if hours != 1 else ''} late in all" if hours else ""
    return f"{by_class}{late}"


# --- tally and statistics --------------------------------------------------------------------


@dataclass(frozen=True)
class AccidentTally:
    """The accidents of one unit's subtree over a period, and their sums."""

    count: int
    deaths: int
    serious_injuries: int
    direct_loss: Decimal  # yuan
    accidents: tuple[Accident, ...]  # the rows counted, by occurred_on then id

    @classmethod
    def of(cls, accidents: Sequence[Accident]) -> AccidentTally:
        """The tally of these rows (already in order)."""
        return cls(
            count=len(accidents),
            deaths=sum(a.deaths for a in accidents),
            serious_injuries=sum(a.serious_injuries for a in accidents),
            direct_loss=sum((a.direct_loss for a in accidents), start=Decimal(0)),
            accidents=tuple(accidents),
        )

    @cached_property
    def parts(self) -> tuple[Part, ...]:
        """Its accidents, deaths and late-report hours by class (see ``accident_parts``),
        worked out once, when a figure first asks."""
        return accident_parts(self.accidents)


def accident_tally(
    session: Session, nodes: Sequence[TenantNode], start: date, end: date
) -> dict[int, AccidentTally]:
    """For each node (by id), the accidents that happened in [start, end] in its subtree: one
    query for all of them."""
    if not nodes:
        return {}
    rows = session.execute(
        select(Accident, TenantNode.path)
        .join(TenantNode, TenantNode.id == Accident.node_id)
        .where(
            in_subtrees(Accident.customer_id, nodes),
            Accident.occurred_on >= start,
            Accident.occurred_on <= end,
        )
        .order_by(Accident.occurred_on, Accident.id)
    ).all()
    found = by_subtree(rows, nodes)
    return {node_id: AccidentTally.of(accidents) for node_id, accidents in found.items()}


def year_before(day: date) -> date:
    """The same day a year earlier; Feb 29 becomes Feb 28."""
    if (day.month, day.day) == (2, 29):
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


@dataclass(frozen=True)
class AccidentTotals:
    """A subtree's accident figures against the same period of the previous year."""

    count: Change
    deaths: Change
    serious_injuries: Change
    direct_loss: Change  # yuan


@dataclass(frozen=True)
class ClassFigures:
    """Accidents and deaths of one class, year on year."""

    accident_class: AccidentClass
    count: Change
    deaths: Change


@dataclass(frozen=True)
class SectorFigures:
    """Accidents and deaths of one sector, year on year."""

    sector: Sector
    count: Change
    deaths: Change


@dataclass(frozen=True)
class UnitFigures:
    """Accidents and deaths of one unit directly below, year on year (its whole subtree)."""

    node: TenantNode
    count: Change
    deaths: Change


@dataclass(frozen=True)
class AccidentStatistics:
    """A subtree's accidents over a period against the same period of the previous year."""

    node: TenantNode
    start: date
    end: date
    previous_start: date
    previous_end: date
    totals: AccidentTotals
    by_class: tuple[ClassFigures, ...]  # every class, general first
    by_sector: tuple[SectorFigures, ...]  # sectors with an accident in either period
    by_unit: tuple[UnitFigures, ...]  # the units directly below, by code


def _count_and_deaths(
    current: Sequence[Accident], previous: Sequence[Accident]
) -> tuple[Change, Change]:
    return (
        year_on_year(len(current), len(previous)),
        year_on_year(sum(a.deaths for a in current), sum(a.deaths for a in previous)),
    )


def accident_statistics(
    session: Session, node: TenantNode, start: date, end: date
) -> AccidentStatistics:
    """Counts, deaths, injuries and losses of ``node``'s subtree in [start, end], by class,
    sector and unit below, each against the same period of the previous year."""
    children = list(
        session.scalars(
            select(TenantNode).where(TenantNode.parent_id == node.id).order_by(TenantNode.code)
        )
    )
    previous_start, previous_end = year_before(start), year_before(end)
    tallies = accident_tally(session, [node, *children], start, end)
    earlier = accident_tally(session, [node, *children], previous_start, previous_end)
    current, previous = tallies[node.id], earlier[node.id]
    totals = AccidentTotals(
        count=year_on_year(current.count, previous.count),
        deaths=year_on_year(current.deaths, previous.deaths),
        serious_injuries=year_on_year(current.serious_injuries, previous.serious_injuries),
        direct_loss=year_on_year(current.direct_loss, previous.direct_loss),
    )
    by_class = tuple(
        ClassFigures(
            accident_class,
            *_count_and_deaths(
                [a for a in current.accidents if a.accident_class is accident_class],
                [a for a in previous.accidents if a.accident_class is accident_class],
            ),
        )
        for accident_class in AccidentClass
    )
    sectors = {a.sector for a in (*current.accidents, *previous.accidents)}
    by_sector = tuple(
        SectorFigures(
            sector,
            *_count_and_deaths(
                [a for a in current.accidents if a.sector is sector],
                [a for a in previous.accidents if a.sector is sector],
            ),
        )
        for sector in Sector
        if sector in sectors
    )
    by_unit = tuple(
        UnitFigures(
            child, *_count_and_deaths(tallies[child.id].accidents, earlier[child.id].accidents)
        )
        for child in children
    )
    return AccidentStatistics(
        node=node,
        start=start,
        end=end,
        previous_start=previous_start,
        previous_end=previous_end,
        totals=totals,
        by_class=by_class,
        by_sector=by_sector,
        by_unit=by_unit,
    )
