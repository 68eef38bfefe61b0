"""Ledger figures that feed indicators: a unit's rates and counts over a cycle's period.

An indicator whose ``source`` names a figure takes its input from the unit's ledgers (its whole
subtree) instead of the unit's hand: the value of a RATIO or TIERS indicator, the count of each
clause of a DEDUCTION one. Each figure keeps the rows it counted, so the unit sees where it
came from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from redline.calendar import local_date, period_as_of
from scoring.engine import ClauseKind
from scoring.ledgers.figures.accidents import (
    AccidentTally,
    Part,
    accident_tally,
    clause_counts,
    parts_text,
)
from scoring.ledgers.figures.hazards import HazardTally, hazard_tally
from scoring.ledgers.figures.statements import StatementTally, statement_tally
from scoring.ledgers.figures.tasks import TaskTally, task_tally
from scoring.ledgers.models import HazardSeverity, LedgerSubject, ReportStatus
from scoring.ledgers.reporting import lateness
from scoring.templates.models import AccidentClass, AccidentMeasure, ValueSource
from tenants.models import TenantNode


@dataclass(frozen=True, slots=True)
class LedgerRef:
    """One ledger row a figure or a veto came from, with a label a person can read."""

    subject: LedgerSubject
    id: int
    label: str


@dataclass(frozen=True, slots=True)
class Figure:
    """A ledger figure of one unit over one period, as of a moment, with its rows."""

    source: ValueSource
    value: Decimal
    basis: str
    as_of: datetime
    rows: tuple[LedgerRef, ...]
    # The accident ledger's figures by class and measure, for clauses that count one of them
    # (None for other figures, and for accident figures kept before they were split).
    parts: tuple[Part, ...] | None = None

    def as_document(self) -> dict[str, Any]:
        """The figure as ``Entry.ledger_basis`` keeps it at submission."""
        document = {
            "source": self.source.value,
            "value": str(self.value),
            "basis": self.basis,
            "as_of": self.as_of.isoformat(),
            "rows": [{"subject": r.subject.value, "id": r.id, "label": r.label} for r in self.rows],
        }
        if self.parts is not None:
            document["parts"] = [[c.value, m.value, amount] for c, m, amount in self.parts]
        return document

    def clause_counts(self, clauses: Sequence[Mapping[str, Any]]) -> dict[str, int]:
        """What each deduction clause (but a cascade) counts of this figure: the figure itself,
        or, where the accident ledger's clauses say what and which class, their part of it."""
        if self.parts is not None and any(
            c.get("accident_measure") or c.get("accident_class") for c in clauses
        ):
            return clause_counts(clauses, self.parts)
        count = int(self.value)
        return {c["key"]: count for c in clauses if c["kind"] != ClauseKind.CASCADE}

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> Figure:
        """The figure a submission kept."""
        return cls(
            source=ValueSource(document["source"]),
            value=Decimal(document["value"]),
            basis=document["basis"],
            as_of=datetime.fromisoformat(document["as_of"]),
            rows=tuple(
                LedgerRef(LedgerSubject(r["subject"]), int(r["id"]), r["label"])
                for r in document["rows"]
            ),
            parts=(
                tuple(
                    (AccidentClass(c), AccidentMeasure(m), int(amount))
                    for c, m, amount in document["parts"]
                )
                if "parts" in document
                else None
            ),
        )


@dataclass(frozen=True, slots=True)
class FigureRequest:
    """The figures one unit needs over one period."""

    node: TenantNode
    start: date
    end: date
    sources: frozenset[ValueSource]


# --- labels ----------------------------------------------------------------------------------


def _ref(subject: LedgerSubject, row: Any, label: str) -> LedgerRef:
    return LedgerRef(subject, row.id, label)


def hazard_ref(hazard: Any) -> LedgerRef:
    """A hazard as a figure or a veto names it."""
    return _ref(
        LedgerSubject.HAZARD,
        hazard,
        f"hazard #{hazard.id} found {hazard.found_on}, due {hazard.deadline}: {hazard.title}",
    )


def accident_ref(accident: Any) -> LedgerRef:
    """An accident as a figure or a veto names it."""
    return _ref(
        LedgerSubject.ACCIDENT,
        accident,
        f"accident #{accident.id} on {accident.occurred_on} ({accident.accident_class.value}, "
        f"{accident.deaths} dead): {accident.title}",
    )


def task_ref(element: Any) -> LedgerRef:
    """A task element as a figure or a rule names it."""
    return _ref(
        LedgerSubject.TASK_ELEMENT,
        element,
        f"task {element.code} due {element.deadline}: {element.title}",
    )


def _statement_ref(statement: Any) -> LedgerRef:
    party = statement.enterprise or f"unit #{statement.counterparty_node_id}"
    return _ref(
        LedgerSubject.STATEMENT,
        statement,
        f"statement #{statement.id} {statement.year} with {party}: {statement.state.value}",
    )


def _period(start: date, end: date) -> str:
    return f"{start.isoformat()}..{end.isoformat()}"


def _rate(value: Decimal) -> str:
    return f"{value}%"


# --- one figure from one tally ---------------------------------------------------------------


Maker = Callable[[Any, date, date, datetime], tuple[Decimal, str, tuple[LedgerRef, ...]]]


def _hazard_rate(tally: HazardTally, start: date, end: date, as_of: datetime):
    rows = tuple(hazard_ref(h) for h in tally.hazards_found)
    if not tally.found:
        return tally.rectification_rate, f"no hazards found in {_period(start, end)}", rows
    text = (
        f"{tally.rectified} of {tally.found} hazards found in {_period(start, end)} rectified "
        f"by {local_date(as_of)}: {_rate(tally.rectification_rate)}"
    )
    return tally.rectification_rate, text, rows


def _major_hazard_rate(tally: HazardTally, start: date, end: date, as_of: datetime):
    majors = tuple(h for h in tally.hazards_found if h.severity is HazardSeverity.MAJOR)
    rows = tuple(hazard_ref(h) for h in majors)
    if not tally.major_found:
        text = f"no major hazards found in {_period(start, end)}"
        return tally.major_rectification_rate, text, rows
    text = (
        f"{tally.major_rectified} of {tally.major_found} major hazards found in "
        f"{_period(start, end)} rectified by {local_date(as_of)}: "
        f"{_rate(tally.major_rectification_rate)}"
    )
    return tally.major_rectification_rate, text, rows


def _overdue_hazards(tally: HazardTally, start: date, end: date, as_of: datetime):
    text = (
        f"{tally.overdue} hazards due in {_period(start, end)} not rectified by their deadline "
        f"(as of {local_date(as_of)})"
    )
    return Decimal(tally.overdue), text, tuple(hazard_ref(h) for h in tally.hazards_overdue)


def _overdue_major_hazards(tally: HazardTally, start: date, end: date, as_of: datetime):
    majors = tuple(h for h in tally.hazards_overdue if h.severity is HazardSeverity.MAJOR)
    text = (
        f"{tally.overdue_major} major hazards due in {_period(start, end)} not rectified by "
        f"their deadline (as of {local_date(as_of)})"
    )
    return Decimal(tally.overdue_major), text, tuple(hazard_ref(h) for h in majors)


def _task_rate(tally: TaskTally, start: date, end: date, as_of: datetime):
    rows = tuple(task_ref(e) for e in tally.elements_due)
    if not tally.due:
        return tally.completion_rate, f"no task elements due in {_period(start, end)}", rows
    text = (
        f"{tally.done} of {tally.due} task elements due in {_period(start, end)} completed by "
        f"{local_date(as_of)}: {_rate(tally.completion_rate)}"
    )
    return tally.completion_rate, text, rows


def _overdue_tasks(tally: TaskTally, start: date, end: date, as_of: datetime):
    text = (
        f"{tally.overdue} task elements due in {_period(start, end)} not completed by their "
        f"deadline (as of {local_date(as_of)})"
    )
    return Decimal(tally.overdue), text, tuple(task_ref(e) for e in tally.elements_overdue)


def _accidents(tally: AccidentTally, start: date, end: date, as_of: datetime):
    text = f"{tally.count} accidents in {_period(start, end)}"
    if tally.count:
        text += f" ({parts_text(tally.parts)})"
    untimed = sum(
        1
        for a in tally.accidents
        if a.report_status is ReportStatus.LATE
        and not lateness(a.occurred_on, a.occurred_time, a.reported_at).known
    )
    if untimed:
        text += f"; {untimed} late report(s) without the time of the accident: 1 hour each"
    return Decimal(tally.count), text, tuple(accident_ref(a) for a in tally.accidents)


def _deaths(tally: AccidentTally, start: date, end: date, as_of: datetime):
    text = f"{tally.deaths} deaths in {tally.count} accidents in {_period(start, end)}"
    return Decimal(tally.deaths), text, tuple(accident_ref(a) for a in tally.accidents)


def _coverage(tally: StatementTally, start: date, end: date, as_of: datetime):
    rows = tuple(_statement_ref(s) for s in tally.statements)
    if not tally.issued:
        return tally.coverage, f"no responsibility statements issued for {end.year}", rows
    text = (
        f"{tally.signed} of {tally.issued} responsibility statements for {end.year} signed: "
        f"{_rate(tally.coverage)}"
    )
    return tally.coverage, text, rows


# Which ledger each figure reads, and how it reads its tally.
MAKERS: dict[ValueSource, tuple[str, Maker]] = {
    ValueSource.HAZARD_RECTIFICATION_RATE: ("hazards", _hazard_rate),
    ValueSource.MAJOR_HAZARD_RECTIFICATION_RATE: ("hazards", _major_hazard_rate),
    ValueSource.OVERDUE_HAZARDS: ("hazards", _overdue_hazards),
    ValueSource.OVERDUE_MAJOR_HAZARDS: ("hazards", _overdue_major_hazards),
    ValueSource.TASK_COMPLETION_RATE: ("tasks", _task_rate),
    ValueSource.OVERDUE_TASK_ELEMENTS: ("tasks", _overdue_tasks),
    ValueSource.ACCIDENTS: ("accidents", _accidents),
    ValueSource.ACCIDENT_DEATHS: ("accidents", _deaths),
    ValueSource.STATEMENT_COVERAGE: ("statements", _coverage),
}


def _tallies(
    session: Session, ledger: str, nodes: Sequence[TenantNode], start: date, end: date, as_of
) -> Mapping[int, Any]:
    if ledger == "hazards":
        return hazard_tally(session, nodes, start, end, as_of=as_of)
    if ledger == "tasks":
        return task_tally(session, nodes, start, end, as_of=as_of)
    if ledger == "accidents":
        return accident_tally(session, nodes, start, end)
    # Statements are signed for a year: the year the period ends in.
    return statement_tally(session, nodes, end.year)


def ledger_figures(
    session: Session, requests: Sequence[FigureRequest], *, now: datetime
) -> dict[FigureRequest, dict[ValueSource, Figure]]:
    """The figures asked for, by request and source: one tally per ledger and period for all
    the units asking."""
    wanted: dict[tuple[date, date, str], dict[int, TenantNode]] = defaultdict(dict)
    for request in requests:
        for source in request.sources:
            ledger, _ = MAKERS[source]
            wanted[(request.start, request.end, ledger)][request.node.id] = request.node
    tallies: dict[tuple[date, date, str], Mapping[int, Any]] = {}
    for (start, end, ledger), nodes in wanted.items():
        as_of = period_as_of(end, now)
        tallies[(start, end, ledger)] = _tallies(
            session, ledger, list(nodes.values()), start, end, as_of
        )
    figures: dict[FigureRequest, dict[ValueSource, Figure]] = {}
    for request in requests:
        as_of = period_as_of(request.end, now)
        figures[request] = {}
        for source in request.sources:
            ledger, make = MAKERS[source]
            tally = tallies[(request.start, request.end, ledger)][request.node.id]
            value, basis, rows = make(tally, request.start, request.end, as_of)
            parts = tally.parts if source is ValueSource.ACCIDENTS else None
            figures[request][source] = Figure(source, value, basis, as_of, rows, parts)
    return figures
