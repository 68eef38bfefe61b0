"""Colour bands and trend arrows, pure: thresholds resolved most specific first, a percent's
band at the edges, missing never banded, arrows only past the least change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.engine import Grades
from scoring.engine.bands import (
    Band,
    BandRule,
    Thresholds,
    Trend,
    band_of,
    grade_thresholds,
    percent_of,
    resolve,
    trend,
)

D = Decimal
DEFAULT = Thresholds(D(90), D(60))


def test_the_default_follows_the_grade_thresholds_as_percents_of_the_total():
    assert grade_thresholds(Grades(D(90), D(80), D(60)), D(100)) == DEFAULT
    assert grade_thresholds(Grades(D(900), D(800), D(600)), D(1000)) == DEFAULT
    assert grade_thresholds(Grades(D(85), D(75), D(60)), D(120)) == Thresholds(
        D("70.83"), D("50.00")
    )


def test_the_most_specific_rule_wins_level_before_default_item_before_template():
    item = BandRule(Thresholds(D(80), D(50)), {"township": Thresholds(D(99), D(95))})
    template = BandRule(Thresholds(D(85), D(55)), {"county": Thresholds(D(95), D(70))})
    assert resolve("township", DEFAULT, item, template) == Thresholds(D(99), D(95))
    assert resolve("county", DEFAULT, item, template) == Thresholds(D(80), D(50))
    assert resolve("county", DEFAULT, BandRule(), template) == Thresholds(D(95), D(70))
    assert resolve("city", DEFAULT, BandRule(), template) == Thresholds(D(85), D(55))
    only_levels = BandRule(levels={"county": Thresholds(D(95), D(70))})
    assert resolve("township", DEFAULT, only_levels) == DEFAULT
    assert resolve("township", DEFAULT) == DEFAULT


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        ("100", Band.GREEN),
        ("90.00", Band.GREEN),
        ("89.99", Band.YELLOW),
        ("60", Band.YELLOW),
        ("59.99", Band.RED),
        ("0", Band.RED),
        ("104", Band.GREEN),  # a bonus can pass 100%
    ],
)
def test_a_percent_falls_in_its_band_at_the_edges(percent, band):
    assert band_of(D(percent), DEFAULT) is band


def test_missing_has_no_percent_and_no_band():
    assert percent_of(None, D(10)) is None
    assert percent_of(D(5), None) is None
    assert percent_of(D(0), D(0)) is None  # nothing attainable: no percent, never 0
    assert band_of(None, DEFAULT) is None
    assert percent_of(D(0), D(10)) == D("0.00")
    assert percent_of(D(2), D(3)) == D("66.67")


def test_a_rule_round_trips_through_its_document():
    rule = BandRule(Thresholds(D(90), D(60)), {"county": Thresholds(D("95.5"), D(70))})
    assert BandRule.from_document(rule.document()) == rule
    assert BandRule().document() is None
    assert BandRule.from_document(None) == BandRule()
    levels_only = BandRule(levels={"township": Thresholds(D(99), D(95))})
    assert BandRule.from_document(levels_only.document()) == levels_only


def test_an_arrow_needs_the_least_change():
    assert trend(D(85), None, D(1)) is Trend.NEW
    assert trend(None, D(85), D(1)) is None
    assert trend(D(86), D(85), D(1)) is Trend.UP
    assert trend(D("85.99"), D(85), D(1)) is Trend.STEADY
    assert trend(D(84), D(85), D(1)) is Trend.DOWN
    assert trend(D(85), D(85), D(0)) is Trend.STEADY  # no change is never an arrow
    # Ranks: a smaller number is better, so the caller negates them.
    assert trend(-3, -5, 2) is Trend.UP
    assert trend(-4, -5, 2) is Trend.STEADY


amounts = st.decimals(min_value=0, max_value=200, places=2)


@given(amounts, amounts, amounts)
def test_bands_are_monotonic_in_the_percent(low, high, yellow):
    low, high = sorted((low, high))
    thresholds = Thresholds(max(yellow, D(50)), min(yellow, D(50)))
    order = {Band.RED: 0, Band.YELLOW: 1, Band.GREEN: 2}
    assert order[band_of(low, thresholds)] <= order[band_of(high, thresholds)]
