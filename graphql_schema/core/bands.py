"""Colour bands and trend arrows as the API shows them, shared by templates and rankings: the
thresholds a template or an item sets (``Bands``), those that apply (``BandThresholds``), and
the ``Band`` and ``Trend`` enums."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import strawberry

from scoring.engine.bands import Band, BandRule, Thresholds, Trend

from .amounts import amount
from .enum_values import describe_values
from .enums import TenantLevel

__all__ = ["Band", "BandThresholds", "Bands", "LevelBands", "Trend"]

strawberry.enum(
    Band,
    name="Band",
    description="A score's colour as a percent of its maximum: GREEN at or above the green "
    "threshold, YELLOW at or above the yellow one, RED below.",
)
strawberry.enum(
    Trend,
    name="Trend",
    description="How a figure moved against the previous cycle: UP or DOWN by at least the "
    "template's least change, STEADY otherwise, NEW without a figure in the previous cycle.",
)
describe_values(
    Band,
    {
        "GREEN": "At or above the green threshold.",
        "YELLOW": "At or above the yellow threshold, below the green one.",
        "RED": "Below the yellow threshold.",
    },
)
describe_values(
    Trend,
    {
        "UP": "Up by at least the template's least change.",
        "DOWN": "Down by at least the template's least change.",
        "STEADY": "Moved less than the template's least change.",
        "NEW": "No figure in the previous cycle.",
    },
)


@strawberry.type(
    description="The thresholds that apply: percents of the maximum, green from `green`, "
    "yellow from `yellow`, red below."
)
class BandThresholds:
    green: Decimal = strawberry.field(description="GREEN from this percent of the maximum.")
    yellow: Decimal = strawberry.field(
        description="YELLOW from this percent of the maximum; RED below it."
    )

    @classmethod
    def of(cls, thresholds: Thresholds) -> BandThresholds:
        return cls(
            green=amount(Decimal(thresholds.green)), yellow=amount(Decimal(thresholds.yellow))
        )


@strawberry.type(description="Thresholds for units of one level, before the default.")
class LevelBands:
    level: TenantLevel = strawberry.field(description="The level of the units these apply to.")
    green: Decimal = strawberry.field(description="GREEN from this percent of the maximum.")
    yellow: Decimal = strawberry.field(
        description="YELLOW from this percent of the maximum; RED below it."
    )


@strawberry.type(
    description="Colour bands a template or an item sets, as percents of the maximum: a "
    "default for every level (green and yellow, or null when only levels are set) and "
    "overrides per level."
)
class Bands:
    green: Decimal | None = strawberry.field(
        description="The default: GREEN from this percent of the maximum; null when only "
        "levels are set."
    )
    yellow: Decimal | None = strawberry.field(
        description="The default: YELLOW from this percent of the maximum, RED below; null "
        "when only levels are set."
    )
    levels: list[LevelBands] = strawberry.field(
        description="Overrides for units of a level, from province down to township."
    )

    @classmethod
    def of(cls, rule: BandRule | None) -> Bands | None:
        """The API's view of a rule; None when it sets nothing."""
        if rule is None or (rule.default is None and not rule.levels):
            return None
        default = BandThresholds.of(rule.default) if rule.default is not None else None
        levels = sorted(
            ((TenantLevel(level), BandThresholds.of(t)) for level, t in rule.levels.items()),
            key=lambda pair: pair[0].rank,
        )
        return cls(
            green=default.green if default else None,
            yellow=default.yellow if default else None,
            levels=[LevelBands(level=lvl, green=t.green, yellow=t.yellow) for lvl, t in levels],
        )

    @classmethod
    def of_document(cls, document: Mapping[str, Any] | None) -> Bands | None:
        """The API's view of a ``bands`` column."""
        return cls.of(BandRule.from_document(document))
