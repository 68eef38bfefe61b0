"""Accident classes from the State Council regulation on accident reporting (2007, No. 493).

Each measure has its own thresholds; the highest class any measure reaches wins. "N or more"
(以上) includes N, "fewer than" (以下) excludes it, as the regulation words them.
"""

from __future__ import annotations

from decimal import Decimal

from scoring.ledgers.models import AccidentClass

# (class, deaths, serious injuries, direct loss in yuan): the least that reaches the class.
THRESHOLDS: tuple[tuple[AccidentClass, int, int, Decimal], ...] = (
    (AccidentClass.ESPECIALLY_SERIOUS, 30, 100, Decimal(100_000_000)),
    (AccidentClass.MAJOR, 10, 50, Decimal(50_000_000)),
    (AccidentClass.LARGER, 3, 10, Decimal(10_000_000)),
)


def classify(deaths: int, serious_injuries: int, direct_loss: Decimal) -> AccidentClass:
    """The class of an accident with these figures (``direct_loss`` in yuan)."""
    for accident_class, min_deaths, min_injuries, min_loss in THRESHOLDS:
        if deaths >= min_deaths or serious_injuries >= min_injuries or direct_loss >= min_loss:
            return accident_class
    return AccidentClass.GENERAL
