"""Rates as reports print them: percentages rounded half up to one decimal."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")
FULL = Decimal("100.0")
NONE = Decimal("0.0")


def percent(part: int, whole: int, *, when_empty: Decimal) -> Decimal:
    """``part`` of ``whole`` in percent (66.7 for 2 of 3); ``when_empty`` when ``whole`` is 0:
    100.0 where nothing to do is nothing left undone (rectification, completion), 0.0 where
    nothing done is nothing covered (statement coverage)."""
    if whole == 0:
        return when_empty
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_HALF_UP)
