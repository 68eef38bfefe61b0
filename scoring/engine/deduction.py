"""Deduction items: clauses (zero, fixed, per occurrence, cascade), one fact once, floor at 0."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from scoring.engine.errors import InvalidInput
from scoring.engine.model import ClauseKind, IndicatorInput, Line
from scoring.engine.plan import CompiledClause, CompiledIndicator, Outcome, full_line
from scoring.engine.rounding import ZERO, quantize

# A triggered clause: the clause, what triggered it (for the line), what it would deduct.
_Triggered = tuple[CompiledClause, str, Decimal]

FLOOR_TEXT = "deduct until the item is exhausted: deductions stop at the item's own points"


def _check_counts(indicator: CompiledIndicator, counts: Mapping[str, int]) -> None:
    for key, count in counts.items():
        if key not in indicator.clause_keys:
            raise InvalidInput(indicator.code, f"counts.{key}", "no such clause")
        if isinstance(count, bool) or not isinstance(count, int):
            raise InvalidInput(indicator.code, f"counts.{key}", f"{count!r} is not a whole number")
        if count < 0:
            raise InvalidInput(indicator.code, f"counts.{key}", f"{count} is negative")


def _applied(triggered: list[_Triggered]) -> dict[str, str]:
    """For each clause that must not deduct, the key of the clause of the same fact that does.

    "No double deduction for the same fact": of the triggered clauses sharing a fact only the
    largest deduction applies (the first in template order on a tie).
    """
    winners: dict[str, _Triggered] = {}
    for item in triggered:
        fact = item[0].fact
        if fact is not None and (fact not in winners or item[2] > winners[fact][2]):
            winners[fact] = item
    return {
        clause.key: winners[clause.fact][0].key
        for clause, _, _ in triggered
        if clause.fact is not None and winners[clause.fact][0] is not clause
    }


def _deducted(triggered: list[_Triggered], superseded: Mapping[str, str]) -> Decimal:
    return sum(
        (amount for clause, _, amount in triggered if clause.key not in superseded), start=ZERO
    )


def score_deduction(indicator: CompiledIndicator, entry: IndicatorInput | None) -> Outcome:
    """Max minus the triggered clauses' deductions, floored at 0.

    Never missing: no counts means no occurrences.
    """
    counts: Mapping[str, int] = entry.counts if entry is not None else {}
    note = entry.note if entry is not None else ""
    max_points = indicator.max_points
    code = indicator.code
    start = indicator.full_line
    if note:
        start = full_line(code, indicator.method, max_points, indicator.criteria, note)
    if not counts:
        return max_points, (start,), False
    _check_counts(indicator, counts)

    triggered: list[_Triggered] = []
    for clause in indicator.clauses:
        count = counts.get(clause.key, 0)
        if count <= 0:
            continue
        if clause.kind is ClauseKind.ZERO:
            triggered.append((clause, f"count {count}", max_points))
        elif clause.kind is ClauseKind.PER_OCCURRENCE:
            amount = quantize(clause.points * count)
            triggered.append((clause, f"count {count} x {clause.points}", amount))
        else:
            triggered.append((clause, f"count {count}", clause.points))
    # Cascades look at what the other clauses (one fact once) have already taken.
    lost = _deducted(triggered, _applied(triggered))
    for clause in indicator.cascades:
        assert clause.threshold is not None  # compile_template refuses a cascade without one
        if lost > 0 and lost >= clause.threshold:
            triggered.append((clause, f"lost {lost} >= {clause.threshold}", clause.points))
    superseded = _applied(triggered)

    lines = [start]
    for clause, trigger, amount in triggered:
        if clause.key in superseded:
            text = f"{clause.quoted}; same fact as clause {superseded[clause.key]}: not deducted"
            lines.append(Line(clause.rule, trigger, text, ZERO, code))
        else:
            lines.append(Line(clause.rule, trigger, clause.quoted, ZERO - amount, code))
    deducted = _deducted(triggered, superseded)
    if deducted <= max_points:
        return max_points - deducted, tuple(lines), False
    lines.append(
        Line(
            "floor",
            f"deducted {deducted} > max {max_points}",
            FLOOR_TEXT,
            deducted - max_points,
            code,
        )
    )
    return ZERO, tuple(lines), False
