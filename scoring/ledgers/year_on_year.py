"""Year-on-year change as statistical reports print it: the difference, and the percent change
against the same period of the previous year rounded half up to one decimal."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from scoring.ledgers.rates import ONE_DECIMAL


@dataclass(frozen=True, slots=True)
class Change:
    """A figure against the same period of the previous year.

    ``percent`` is None when the previous figure is 0: a rise from nothing has no percentage
    (reports write "n/a", 不可比).
    """

    current: Decimal
    previous: Decimal
    change: Decimal
    percent: Decimal | None


def year_on_year(current: Decimal | int, previous: Decimal | int) -> Change:
    """``current`` against ``previous``: 12 deaths after 15 is -3, -20.0%."""
    now, before = Decimal(current), Decimal(previous)
    percent = None
    if before != 0:
        percent = ((now - before) * 100 / before).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    return Change(current=now, previous=before, change=now - before, percent=percent)
