"""Checks of what people type, shared by every service: amounts as the Amount column holds
them, free texts within their limits. Each returns the problem, naming the field, or None."""

from __future__ import annotations

from decimal import Decimal

from redline.errors import ErrorCode, Problem
from redline.inputs import AMOUNT_LIMIT
from scoring import audit

# What the Amount column holds exactly: 4 decimal places (and 10 digits before the point).
AMOUNT_EXPONENT = -4


def amount_problem(
    raw: object, field: str, *, low: Decimal, high: Decimal | None, what: str
) -> Problem | None:
    """A problem unless ``raw`` is a Decimal in [low, high] with at most 4 decimal places."""
    if isinstance(raw, bool) or not isinstance(raw, Decimal | int):
        return Problem(field, f"{what} must be a number", ErrorCode.INVALID)
    number = Decimal(raw)
    if not number.is_finite():
        return Problem(field, f"{what} must be a finite number", ErrorCode.INVALID)
    if number < low:
        return Problem(field, f"{what} must not be below {low}", ErrorCode.INVALID)
    if high is not None and number > high:
        return Problem(
            field,
            f"{what} must not be above {_plain(high)} (is {_plain(number)})",
            ErrorCode.INVALID,
        )
    if number >= AMOUNT_LIMIT:
        return Problem(field, f"{what} is too large", ErrorCode.INVALID)
    if number.as_tuple().exponent < AMOUNT_EXPONENT:  # type: ignore[operator]
        return Problem(field, f"{what} has more than 4 decimal places", ErrorCode.INVALID)
    return None


def text_problem(value: str | None, field: str, limit: int) -> Problem | None:
    """A problem if a free text is longer than ``limit`` characters."""
    if value is not None and len(value) > limit:
        return Problem(field, f"is longer than {limit} characters", ErrorCode.INVALID)
    return None


def _plain(number: Decimal) -> str:
    return audit.as_text(number) or "0"
