"""What every input must be before any service reads it: clean text, plain decimal numbers,
dates in a sane range, ids a database column can hold.

Each rule returns the cleaned value or raises :class:`InputRejected` with a sentence saying
why. The API applies them to every scalar it parses (``graphql_schema.core.input_rules``);
importers and downloads apply them to what they read. The services then judge the value in its
context (a deadline after the start, points within an indicator's maximum), naming the field.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

# What the Amount column holds: 10 digits before the point (and 4 after: the services say so).
AMOUNT_LIMIT = Decimal(10) ** 10
# Days any record of this product may name: accidents since 1900, deadlines until 2199.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
# An INTEGER column (PostgreSQL's 4-byte integer, and every id here).
MAX_ID = 2**31 - 1

# C0 controls and DEL, but tab, newline and carriage return (Windows line ends).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# ASCII only: str.isdigit and Decimal would also take "١٠" (Arabic-Indic), "１０" and "1_0".
_DECIMAL = re.compile(r"[+-]?([0-9]+)(?:\.([0-9]+))?", re.ASCII)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?",
    re.ASCII,
)
_ID = re.compile(r"[0-9]{1,10}", re.ASCII)
MAX_FRACTION_DIGITS = 20  # more than any column keeps; the services say how many they keep


class InputRejected(ValueError):
    """A value that no field of this product accepts; the message says why."""


def check_text(value: str) -> str:
    """The text, unless it holds a NUL byte, another control character than tab and line ends,
    or half of a UTF-16 surrogate pair (which no UTF-8 text can hold, and no database column
    stores)."""
    if found := _CONTROL.search(value):
        char = found.group()
        what = "a NUL byte" if char == "\x00" else f"a control character (U+{ord(char):04X})"
        raise InputRejected(f"contains {what}; only tab and newline are allowed")
    if found := _SURROGATE.search(value):
        raise InputRejected(
            f"contains an unpaired surrogate (U+{ord(found.group()):04X}): send text as UTF-8"
        )
    return value


def plain_decimal(value: object) -> Decimal:
    """A number written with ASCII digits, an optional sign and decimal point ("-12.5"),
    below 10,000,000,000 in size; no exponents, no digit separators, -0 is 0. JSON numbers
    are taken as they print."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputRejected('must be a number written as text, such as "12.5"')
    text = value.strip() if isinstance(value, str) else repr(value)
    match = _DECIMAL.fullmatch(text)
    if match is None:
        raise InputRejected(
            'must be a plain decimal number with ASCII digits, such as "12.5" '
            "(no exponent, no digit separators)"
        )
    number = Decimal(text)
    if abs(number) >= AMOUNT_LIMIT:
        raise InputRejected("must be below 10,000,000,000 in size")
    if match.group(2) and len(match.group(2)) > MAX_FRACTION_DIGITS:
        raise InputRejected(f"has more than {MAX_FRACTION_DIGITS} decimal places")
    return number.copy_abs() if number.is_zero() else number


def plain_date(value: object) -> date:
    """A day written YYYY-MM-DD, between 1900-01-01 and 2199-12-31."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise InputRejected('must be a date written YYYY-MM-DD, such as "2026-11-30"')
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InputRejected(f"{value} is not a day of the calendar") from None
    return day_in_range(day)


def day_in_range(day: date) -> date:
    """The day, if it lies between 1900-01-01 and 2199-12-31."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputRejected(f"must lie between {FIRST_DAY} and {LAST_DAY}")
    return day


def plain_moment(value: object) -> datetime:
    """A moment written in ISO 8601 (YYYY-MM-DDTHH:MM[:SS[.ffffff]] with Z or an offset such as
    +08:00), its day between 1900-01-01 and 2199-12-31. One without an offset is returned
    naive: the services say whether they need the zone."""
    if not isinstance(value, str) or not _MOMENT.fullmatch(value):
        raise InputRejected(
            "must be a date and time written YYYY-MM-DDTHH:MM:SS with its offset, "
            'such as "2026-11-30T17:00:00+08:00"'
        )
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputRejected(f"{value} is not a moment of the calendar") from None
    if moment.utcoffset() is not None and abs(moment.utcoffset().total_seconds()) > 14 * 3600:
        raise InputRejected("has an offset beyond ±14:00")
    day_in_range(moment.date())
    return moment


def database_id(value: str) -> int:
    """The number inside an id: decimal ASCII digits, from 1 to 2,147,483,647."""
    if not _ID.fullmatch(value) or not 1 <= int(value) <= MAX_ID:
        raise InputRejected("is not the id of anything")
    return int(value)
