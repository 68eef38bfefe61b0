"""Colour bands and trend arrows, pure: a score as a percent of its maximum falls in a band by
thresholds the template sets (per indicator, per level), defaulting to the grade thresholds."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scoring.engine.model import Grades
from scoring.engine.rounding import quantize

HUNDRED = Decimal(100)


class Band(enum.StrEnum):
    """Green: at or above the green threshold; yellow: at or above the yellow one; red: below."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class Trend(enum.StrEnum):
    """How a figure moved against the previous cycle, once past the template's minimum change."""

    UP = "up"
    DOWN = "down"
    STEADY = "steady"
    NEW = "new"  # no figure in the previous cycle


@dataclass(frozen=True)
class Thresholds:
    """Percents of the maximum: green from ``green``, yellow from ``yellow`` (<= green)."""

    green: Decimal
    yellow: Decimal

    def document(self) -> dict[str, str]:
        return {"green": str(self.green), "yellow": str(self.yellow)}

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> Thresholds:
        return cls(Decimal(str(document["green"])), Decimal(str(document["yellow"])))


@dataclass(frozen=True)
class BandRule:
    """Thresholds set on a template or an item: one for every level, overrides per level (by
    the level's value, e.g. ``"township"``). Either part may be absent."""

    default: Thresholds | None = None
    levels: Mapping[str, Thresholds] = field(default_factory=dict)

    def for_level(self, level: str) -> Thresholds | None:
        return self.levels.get(level, self.default)

    def document(self) -> dict[str, Any] | None:
        """As stored in a JSON column; None when the rule sets nothing."""
        if self.default is None and not self.levels:
            return None
        found: dict[str, Any] = {}
        if self.default is not None:
            found |= self.default.document()
        if self.levels:
            found["levels"] = {level: t.document() for level, t in sorted(self.levels.items())}
        return found

    @classmethod
    def from_document(cls, document: Mapping[str, Any] | None) -> BandRule:
        if not document:
            return cls()
        default = Thresholds.from_document(document) if "green" in document else None
        levels = {
            level: Thresholds.from_document(t)
            for level, t in (document.get("levels") or {}).items()
        }
        return cls(default, levels)


def grade_thresholds(grades: Grades, total_points: Decimal) -> Thresholds:
    """The default: green from the best grade (excellent, else good, else qualified), yellow
    from the qualified one, as percents of the template's total."""
    if total_points <= 0:
        return Thresholds(HUNDRED, HUNDRED)
    best = next(g for g in (grades.excellent, grades.good, grades.qualified) if g is not None)
    return Thresholds(
        quantize(best * HUNDRED / total_points),
        quantize(grades.qualified * HUNDRED / total_points),
    )


def resolve(level: str, fallback: Thresholds, *rules: BandRule) -> Thresholds:
    """The thresholds that apply at ``level``: the first rule (most specific first, e.g. the
    item's then the template's) with a level override or a default, else ``fallback``."""
    for rule in rules:
        found = rule.for_level(level)
        if found is not None:
            return found
    return fallback


def percent_of(points: Decimal | None, maximum: Decimal | None) -> Decimal | None:
    """Points as a percent of the maximum, to the cent; None when either is missing or the
    maximum is not positive (nothing attainable: no percent, never zero)."""
    if points is None or maximum is None or maximum <= 0:
        return None
    return quantize(points * HUNDRED / maximum)


def band_of(percent: Decimal | None, thresholds: Thresholds) -> Band | None:
    """The band of a percent of the maximum; None for a missing figure."""
    if percent is None:
        return None
    if percent >= thresholds.green:
        return Band.GREEN
    if percent >= thresholds.yellow:
        return Band.YELLOW
    return Band.RED


def trend(
    current: Decimal | int | None, previous: Decimal | int | None, minimum: Decimal | int
) -> Trend | None:
    """UP or DOWN when ``current`` moved from ``previous`` by at least ``minimum`` (higher is
    better), else STEADY; NEW without a previous figure; None without a current one."""
    if current is None:
        return None
    if previous is None:
        return Trend.NEW
    change = current - previous
    if change != 0 and abs(change) >= minimum:
        return Trend.UP if change > 0 else Trend.DOWN
    return Trend.STEADY
