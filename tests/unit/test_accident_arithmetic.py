"""Accident classes at the regulation's thresholds, year-on-year change as reports print it,
and the same period of the previous year (hypothesis properties beside worked examples)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.ledgers.classification import classify
from scoring.ledgers.figures.accidents import year_before
from scoring.ledgers.models import AccidentClass
from scoring.ledgers.year_on_year import year_on_year

D = Decimal
MILLION = D(1_000_000)
GENERAL, LARGER, MAJOR, ESPECIALLY_SERIOUS = AccidentClass

deaths = st.integers(min_value=0, max_value=200)
injuries = st.integers(min_value=0, max_value=300)
# Yuan with up to 4 decimal places, below the column's 10^10.
losses = st.decimals(min_value=0, max_value=D("9999999999.9999"), places=4)


# --- classes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "below", "reaches", "expected"),
    [
        ("deaths", 2, 3, LARGER),
        ("deaths", 9, 10, MAJOR),
        ("deaths", 29, 30, ESPECIALLY_SERIOUS),
        ("injuries", 9, 10, LARGER),
        ("injuries", 49, 50, MAJOR),
        ("injuries", 99, 100, ESPECIALLY_SERIOUS),
        ("loss", D("9999999.9999"), 10 * MILLION, LARGER),
        ("loss", D("49999999.9999"), 50 * MILLION, MAJOR),
        ("loss", D("99999999.9999"), 100 * MILLION, ESPECIALLY_SERIOUS),
    ],
)
def test_each_threshold_is_reached_at_n_and_not_below(measure, below, reaches, expected):
    def of(value) -> AccidentClass:
        figures = {"deaths": 0, "injuries": 0, "loss": D(0)}
        figures[measure] = value
        return classify(figures["deaths"], figures["injuries"], D(figures["loss"]))

    assert of(reaches) is expected
    assert of(below).severity == expected.severity - 1


def test_no_casualties_and_no_loss_is_a_general_accident():
    assert classify(0, 0, D(0)) is GENERAL
    assert classify(2, 9, D("9999999")) is GENERAL


def test_the_highest_class_any_measure_reaches_wins():
    # 1 death (general), 12 serious injuries (larger), 60 million yuan (major): major.
    assert classify(1, 12, 60 * MILLION) is MAJOR
    assert classify(30, 0, D(0)) is ESPECIALLY_SERIOUS
    assert classify(0, 0, 100 * MILLION) is ESPECIALLY_SERIOUS


def test_classes_are_ordered_by_severity_mildest_first():
    assert [c.severity for c in AccidentClass] == [0, 1, 2, 3]
    assert list(AccidentClass) == [GENERAL, LARGER, MAJOR, ESPECIALLY_SERIOUS]


@given(deaths, injuries, losses, st.integers(0, 50), st.integers(0, 80), losses)
def test_the_class_never_falls_when_a_measure_rises(d, i, loss, more_d, more_i, more_loss):
    base = classify(d, i, loss).severity
    assert classify(d + more_d, i, loss).severity >= base
    assert classify(d, i + more_i, loss).severity >= base
    assert classify(d, i, loss + more_loss).severity >= base
    assert classify(d + more_d, i + more_i, loss + more_loss).severity >= base


@given(deaths, injuries, losses)
def test_the_class_is_the_worst_of_the_three_measures_alone(d, i, loss):
    alone = (classify(d, 0, D(0)), classify(0, i, D(0)), classify(0, 0, loss))
    assert classify(d, i, loss).severity == max(c.severity for c in alone)


# --- year on year ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "previous", "change", "percent"),
    [
        (12, 15, D(-3), D("-20.0")),
        (15, 12, D(3), D("25.0")),
        (1, 3, D(-2), D("-66.7")),  # -66.666...
        (2, 3, D(-1), D("-33.3")),  # -33.333...
        (1, 8, D(-7), D("-87.5")),
        (3, 0, D(3), None),  # a rise from nothing has no percentage
        (0, 0, D(0), None),
        (0, 4, D(-4), D("-100.0")),
        (D("1234.5"), D("1000"), D("234.5"), D("23.5")),  # 23.45 rounds half up
        (999, 2000, D(-1001), D("-50.1")),  # -50.05 rounds half away from zero
    ],
)
def test_year_on_year_as_reports_print_it(current, previous, change, percent):
    result = year_on_year(current, previous)
    assert (result.current, result.previous) == (D(current), D(previous))
    assert result.change == change
    assert result.percent == percent
    if percent is not None:
        assert result.percent.as_tuple().exponent == -1


counts = st.integers(min_value=0, max_value=10_000)


@given(counts, counts)
def test_the_percent_is_the_change_against_the_previous_to_one_decimal(current, previous):
    result = year_on_year(current, previous)
    assert result.change == current - previous
    if previous == 0:
        assert result.percent is None
        return
    exact = D(current - previous) * 100 / D(previous)
    assert result.percent is not None
    assert result.percent.as_tuple().exponent == -1
    assert abs(result.percent - exact) <= D("0.05")
    assert (result.percent > 0) == (current > previous) or result.percent == 0


# --- the same period of the previous year ----------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), date(2025, 1, 1)),
        (date(2026, 6, 30), date(2025, 6, 30)),
        (date(2025, 12, 31), date(2024, 12, 31)),
        (date(2024, 2, 29), date(2023, 2, 28)),
        (date(2025, 2, 28), date(2024, 2, 28)),  # not shifted to the leap day
        (date(2025, 3, 1), date(2024, 3, 1)),
    ],
)
def test_a_day_a_year_before(day, expected):
    assert year_before(day) == expected


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(9999, 12, 31)))
def test_a_year_before_keeps_month_and_day_but_the_leap_day(day):
    before = year_before(day)
    assert before.year == day.year - 1
    if (day.month, day.day) == (2, 29):
        assert (before.month, before.day) == (2, 28)
    else:
        assert (before.month, before.day) == (day.month, day.day)
