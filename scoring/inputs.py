"""What people type, shared by every service: checks of amounts as the Amount column holds them
and of free texts within their limits (each returns the problem, naming the field, or None),
and values written back as text, as the audit trails and messages show them."""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from redline.errors import ErrorCode, Problem
from redline.inputs import AMOUNT_LIMIT

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
    """A problem if a free text is longer than ``limit`` characters (saying how long it is)."""
    if value is not None and len(value) > limit:
        return Problem(
            field, f"is {len(value)} characters long; at most {limit}", ErrorCode.INVALID
        )
    return None


def _plain(number: Decimal) -> str:
    return as_text(number) or "0"


def as_text(value: object) -> str | None:
    """A value as the audit trail stores it: Decimals without trailing zeros ("5", "2.5"),
    booleans "true"/"false", mappings as JSON with sorted keys, None as NULL."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Mapping):
        return json.dumps(dict(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
