"""Deduction items: clauses (zero, fixed, per occurrence with repeats and a cap, cascade, extra,
judgement), one fact once (within an item, a category or the template), floor at 0."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from scoring.engine.errors import InvalidInput
from scoring.engine.model import ClauseKind, IndicatorInput, Line, Method
from scoring.engine.plan import (
    CompiledClause,
    CompiledIndicator,
    CompiledTemplate,
    Outcome,
    SharedFact,
    full_line,
)
from scoring.engine.rounding import ZERO, quantize
from scoring.engine.words import Words

# A triggered clause: the clause, what triggered it (for the line), what it would deduct.
_Triggered = tuple[CompiledClause, str, Decimal]


def _check_counts(indicator: CompiledIndicator, counts: Mapping[str, int]) -> None:
    for key, count in counts.items():
        if key not in indicator.clause_keys:
            raise InvalidInput(indicator.code, f"counts.{key}", "no such clause")
        if isinstance(count, bool) or not isinstance(count, int):
            raise InvalidInput(indicator.code, f"counts.{key}", f"{count!r} is not a whole number")
        if count < 0:
            raise InvalidInput(indicator.code, f"counts.{key}", f"{count} is negative")
    for clause in indicator.clauses:
        count = counts.get(clause.key, 0)
        if clause.kind is ClauseKind.JUDGEMENT and count > clause.points:
            raise InvalidInput(
                indicator.code,
                f"counts.{clause.key}",
                f"a judgement deducts at most the clause's {clause.points} points, not {count}",
            )


def _amount(
    clause: CompiledClause, count: int, max_points: Decimal, words: Words
) -> tuple[str, Decimal]:
    """What a non-cascade clause counted `count` (> 0) times deducts within its item, and why."""
    if clause.kind in (ClauseKind.ZERO, ClauseKind.EXTRA):
        return words.count.format(count=count), max_points
    if clause.kind is ClauseKind.PER_OCCURRENCE:
        return _per_occurrence(clause, count, words)
    if clause.kind is ClauseKind.JUDGEMENT:
        return words.judged.format(count=count), quantize(Decimal(count))
    return words.count.format(count=count), clause.points


def _per_occurrence(clause: CompiledClause, count: int, words: Words) -> tuple[str, Decimal]:
    """Points per occurrence, each repeat after the first times the clause's repeat factor, up
    to its cap."""
    said = words.count_times.format(count=count, points=clause.points)
    amount = clause.points * count
    if clause.repeat_factor is not None and count > 1:
        repeats = count - 1
        amount = clause.points + clause.points * clause.repeat_factor * repeats
        said = words.repeats.format(
            said=said, repeats=repeats, factor=format(clause.repeat_factor.normalize(), "f")
        )
    amount = quantize(amount)
    if clause.cap is not None and amount > clause.cap:
        return words.capped.format(said=said, cap=clause.cap), clause.cap
    return said, amount


def _counted(entry: IndicatorInput | None, key: str) -> int:
    """The clause's count as far as it is a positive whole number (the item's check refuses
    the rest when it is scored)."""
    count = entry.counts.get(key, 0) if entry is not None and not entry.not_applicable else 0
    return count if isinstance(count, int) and not isinstance(count, bool) and count > 0 else 0


def superseded_elsewhere(
    compiled: CompiledTemplate, entries: Mapping[str, IndicatorInput]
) -> dict[str, dict[str, str]]:
    """Per indicator code, its clauses that do not deduct because the same fact is deducted in
    another item ("其他考评内容中已有的不重复扣分"): clause key -> the clause that does.

    Of the triggered clauses of one shared fact, the largest deduction (up to its item's points)
    applies, the first in template order on a tie.
    """
    triggered: dict[SharedFact, list[tuple[Decimal, CompiledIndicator, CompiledClause]]] = {}
    for indicator in compiled.indicators:
        if indicator.method is not Method.DEDUCTION:
            continue
        entry = entries.get(indicator.code)
        for clause in indicator.clauses:
            count = _counted(entry, clause.key)
            if clause.shared is not None and count:
                # A clause can take no more than its item's points: compare what each can.
                most = indicator.max_points
                amount = min(_amount(clause, count, most, compiled.words)[1], most)
                triggered.setdefault(clause.shared, []).append((amount, indicator, clause))
    superseded: dict[str, dict[str, str]] = {}
    for found in triggered.values():
        winner = _largest(found)
        for item in found:
            if item is not winner:
                where = compiled.words.clause_of.format(key=winner[2].key, code=winner[1].code)
                superseded.setdefault(item[1].code, {})[item[2].key] = where
    return superseded


def _largest(
    found: Sequence[tuple[Decimal, CompiledIndicator, CompiledClause]],
) -> tuple[Decimal, CompiledIndicator, CompiledClause]:
    winner = found[0]
    for item in found[1:]:
        if item[0] > winner[0]:
            winner = item
    return winner


def _applied(triggered: list[_Triggered]) -> dict[str, str]:
    """For each clause that must not deduct, the clause of the same fact that does ("clause b").

    "No double deduction for the same fact": of the triggered clauses sharing a fact only the
    largest deduction applies (the first in template order on a tie).
    """
    winners: dict[str, _Triggered] = {}
    for item in triggered:
        fact = item[0].fact
        if fact is not None and (fact not in winners or item[2] > winners[fact][2]):
            winners[fact] = item
    return {
        clause.key: winners[clause.fact][0].rule
        for clause, _, _ in triggered
        if clause.fact is not None and winners[clause.fact][0] is not clause
    }


def _deducted(triggered: list[_Triggered], superseded: Mapping[str, str]) -> Decimal:
    return sum(
        (amount for clause, _, amount in triggered if clause.key not in superseded), start=ZERO
    )


def score_deduction(
    indicator: CompiledIndicator,
    entry: IndicatorInput | None,
    elsewhere: Mapping[str, str] | None = None,
) -> Outcome:
    """Max minus the triggered clauses' deductions, floored at 0.

    Never missing: no counts means no occurrences. `elsewhere` names the clauses whose fact is
    deducted in another item (see superseded_elsewhere). An extra clause zeroes the item here;
    its extra points come off its category or the total (see the scorer).
    """
    counts: Mapping[str, int] = entry.counts if entry is not None else {}
    note = entry.note if entry is not None else ""
    max_points = indicator.max_points
    code = indicator.code
    words = indicator.words
    start = indicator.full_line
    if note:
        start = full_line(code, indicator.method, max_points, indicator.criteria, note, words)
    if not counts:
        return max_points, (start,), False
    _check_counts(indicator, counts)

    triggered: list[_Triggered] = []
    for clause in indicator.clauses:
        count = counts.get(clause.key, 0)
        if count > 0:
            triggered.append((clause, *_amount(clause, count, max_points, words)))
    elsewhere = elsewhere or {}
    # Cascades look at what the other clauses (one fact once) have already taken.
    lost = _deducted(triggered, {**_applied(triggered), **elsewhere})
    for clause in indicator.cascades:
        assert clause.threshold is not None  # compile_template refuses a cascade without one
        if lost > 0 and lost >= clause.threshold:
            said = words.lost.format(lost=lost, threshold=clause.threshold)
            triggered.append((clause, said, clause.points))
    superseded = {**_applied(triggered), **elsewhere}

    lines = [start]
    for clause, trigger, amount in triggered:
        if clause.key in superseded:
            text = words.same_fact.format(quoted=clause.quoted, where=superseded[clause.key])
            lines.append(Line(clause.rule, trigger, text, ZERO, code))
        else:
            lines.append(Line(clause.rule, trigger, clause.quoted, ZERO - amount, code))
    deducted = _deducted(triggered, superseded)
    if deducted <= max_points:
        return max_points - deducted, tuple(lines), False
    said = words.item_floor_input.format(deducted=deducted, max=max_points)
    lines.append(Line(words.floor, said, words.item_floor_text, deducted - max_points, code))
    return ZERO, tuple(lines), False
