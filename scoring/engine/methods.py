"""Scoring one indicator by its method: manual, ratio, tiers, boolean, bonus."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from scoring.engine.errors import InvalidInput
from scoring.engine.model import IndicatorInput, Line
from scoring.engine.plan import CompiledIndicator, Outcome, full_line, with_note
from scoring.engine.rounding import CONTEXT, ZERO, quantize, to_decimal
from scoring.engine.words import Words


def number(indicator: CompiledIndicator, field: str, raw: object) -> Decimal:
    """An input number as a Decimal, or InvalidInput naming the indicator and field."""
    try:
        return to_decimal(raw)
    except ValueError as error:
        raise InvalidInput(indicator.code, field, str(error)) from None


def points_within_max(indicator: CompiledIndicator, field: str, raw: object) -> Decimal:
    """Points someone entered, refused outside [0, max]."""
    points = number(indicator, field, raw)
    if points < 0 or points > indicator.max_points:
        raise InvalidInput(
            indicator.code, field, f"{points} is outside [0, {indicator.max_points}]"
        )
    return points


def _value(indicator: CompiledIndicator, raw: object) -> Decimal:
    value = number(indicator, "value", raw)
    if value < 0:
        raise InvalidInput(indicator.code, "value", f"{value} is negative")
    return value


def _entered_points(
    rule: Callable[[Words], tuple[str, str]],
) -> Callable[[CompiledIndicator, IndicatorInput | None], Outcome]:
    """A method whose input is the points themselves, in [0, the indicator's max]: the
    assessor's points (``manual``), or the claimed bonus (``bonus``; the card caps the total)."""

    def score(indicator: CompiledIndicator, entry: IndicatorInput | None) -> Outcome:
        if entry is None or entry.points is None:
            return ZERO, (indicator.missing_line,), True
        given = points_within_max(indicator, "points", entry.points)
        points = quantize(given)
        words = indicator.words
        text = with_note(indicator.criteria, entry.note, words)
        name, said = rule(words)
        line = Line(name, said.format(points=given), text, points, indicator.code)
        return points, (line,), False

    return score


score_manual = _entered_points(lambda words: (words.manual, words.manual_input))
score_bonus = _entered_points(lambda words: (words.bonus, words.bonus_input))


def score_ratio(indicator: CompiledIndicator, entry: IndicatorInput | None) -> Outcome:
    """max x min(1, value / target); 0 below the floor."""
    if entry is None or entry.value is None:
        return ZERO, (indicator.missing_line,), True
    value = _value(indicator, entry.value)
    target = indicator.target
    assert target is not None  # compile_template refuses a ratio without one
    words = indicator.words
    text = with_note(indicator.criteria, entry.note, words)
    if indicator.floor is not None and value < indicator.floor:
        said = words.ratio_floor_input.format(value=value, floor=indicator.floor)
        line = Line(words.ratio_floor, said, text, ZERO, indicator.code)
        return ZERO, (line,), False
    # Multiply before dividing so that e.g. 10 x 1/3 rounds from 3.333..., not from a
    # rounded ratio; the explicit context keeps the caller's precision out of it.
    exact = CONTEXT.divide(CONTEXT.multiply(indicator.max_points, min(value, target)), target)
    points = quantize(exact)
    said = words.ratio_input.format(value=value, target=target)
    line = Line(words.ratio, said, text, points, indicator.code)
    return points, (line,), False


def score_tiers(indicator: CompiledIndicator, entry: IndicatorInput | None) -> Outcome:
    """The best tier the value reaches; none reached -> 0."""
    if entry is None or entry.value is None:
        return ZERO, (indicator.missing_line,), True
    value = _value(indicator, entry.value)
    words = indicator.words
    text = with_note(indicator.criteria, entry.note, words)
    said = words.tier_input.format(value=value)
    best = None
    # "Best" is the most points among the tiers reached, which on a valid template (points
    # non-increasing as thresholds fall) is the highest threshold reached.
    for tier in indicator.tiers:
        if value >= tier.min_value and (best is None or tier.points > best.points):
            best = tier
    if best is None:
        if indicator.tiers:
            text = words.below_tiers.format(text=text, lowest=indicator.tiers[-1].min_value)
        else:
            text = words.no_tiers.format(text=text)
        return ZERO, (Line(words.tiers, said, text, ZERO, indicator.code),), False
    return best.points, (Line(best.rule, said, text, best.points, indicator.code),), False


def score_boolean(indicator: CompiledIndicator, entry: IndicatorInput | None) -> Outcome:
    """Done -> max, not done -> 0."""
    if entry is None or entry.done is None:
        return ZERO, (indicator.missing_line,), True
    if not isinstance(entry.done, bool):
        raise InvalidInput(indicator.code, "done", f"{entry.done!r} is not true or false")
    if entry.done:
        line = indicator.full_line
        if entry.note:
            line = full_line(
                indicator.code,
                indicator.method,
                indicator.max_points,
                indicator.criteria,
                entry.note,
                indicator.words,
            )
        return indicator.max_points, (line,), False
    line = indicator.not_done_line
    if entry.note:
        words = indicator.words
        text = with_note(indicator.criteria, entry.note, words)
        line = Line(words.boolean, words.not_done, text, ZERO, indicator.code)
    return ZERO, (line,), False
