"""The pure ranking arithmetic: competition ranks, vetoed last, tie-break, statistics, composite."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine.ranking import (
    TIE_BREAK,
    Contender,
    composite,
    mean,
    median,
    rank,
    rank_in_groups,
    statistics,
)

D = Decimal


def _ranks(contenders):
    return [(p.contender.key, p.position, p.rank, p.of) for p in rank(contenders)]


def test_equal_scores_share_a_rank_and_the_next_skips():
    contenders = [
        Contender("b", D("90")),
        Contender("a", D("95")),
        Contender("d", D("90")),
        Contender("c", D("80")),
    ]
    assert _ranks(contenders) == [
        ("a", 1, 1, 4),
        ("b", 2, 2, 4),
        ("d", 3, 2, 4),
        ("c", 4, 4, 4),
    ]


def test_equal_scores_are_listed_by_code_ascending_whatever_the_input_order():
    forwards = [Contender(k, D("88.50")) for k in ("330402", "330411", "330421")]
    assert [p.contender.key for p in rank(reversed(forwards))] == ["330402", "330411", "330421"]
    assert {p.rank for p in rank(forwards)} == {1}
    assert "code" in TIE_BREAK and "vetoed" in TIE_BREAK


def test_vetoed_units_come_last_ranked_among_themselves_continuing_the_numbering():
    contenders = [
        Contender("v1", D("99"), vetoed=True),
        Contender("a", D("70")),
        Contender("v2", D("99"), vetoed=True),
        Contender("v3", D("50"), vetoed=True),
        Contender("b", D("60")),
    ]
    assert _ranks(contenders) == [
        ("a", 1, 1, 5),
        ("b", 2, 2, 5),
        ("v1", 3, 3, 5),
        ("v2", 4, 3, 5),
        ("v3", 5, 5, 5),
    ]


def test_a_vetoed_unit_never_shares_a_rank_with_an_unvetoed_one_of_the_same_score():
    placed = rank([Contender("a", D("80")), Contender("b", D("80"), vetoed=True)])
    assert [(p.contender.key, p.rank) for p in placed] == [("a", 1), ("b", 2)]


def test_nothing_to_rank():
    assert rank([]) == []


def test_items_ride_along():
    placed = rank([Contender("a", D(1), item={"id": 7})])
    assert placed[0].contender.item == {"id": 7}


def test_statistics_round_half_up_and_median_of_an_even_count_is_the_mean_of_the_middle_two():
    figures = statistics([D("90.01"), D("80"), D("70.02"), D("60")])
    assert figures.count == 4
    assert figures.mean == D("75.01")  # 300.03 / 4 = 75.0075 -> 75.01
    assert figures.median == D("75.01")  # (70.02 + 80) / 2 = 75.01
    assert figures.minimum == D("60.00")
    assert figures.maximum == D("90.01")
    assert median([D("1"), D("2"), D("4")]) == D("2.00")
    assert median([D("0.01"), D("0.02")]) == D("0.02")  # 0.015 half up
    assert mean([D("0.005")]) == D("0.01")


def test_statistics_of_nothing_are_empty():
    figures = statistics([])
    assert figures == type(figures)(0, None, None, None, None)


def test_composite_weighs_the_own_total_against_the_units_mean():
    assert composite(D("0.6"), D("90"), D("80")) == D("86.00")
    assert composite(D("0.3333"), D("90.5"), D("81.25")) == D("84.33")  # 84.333... -> 84.33
    for weight in (D(0), D(1), D("1.5"), D("-0.1")):
        with pytest.raises(ValueError):
            composite(weight, D(1), D(1))


scores = st.decimals(min_value=0, max_value=120, places=2, allow_nan=False, allow_infinity=False)
contenders = st.lists(
    st.builds(
        Contender,
        key=st.text(alphabet="0123456789", min_size=1, max_size=6),
        score=scores,
        vetoed=st.booleans(),
    ),
    max_size=30,
    unique_by=lambda c: c.key,
)


@settings(max_examples=80, deadline=None)
@given(contenders)
def test_ranking_properties(entries):
    placed = rank(entries)
    n = len(entries)
    assert [p.position for p in placed] == list(range(1, n + 1))
    assert all(p.of == n for p in placed)
    # Every unvetoed unit is ahead of every vetoed one.
    flags = [p.contender.vetoed for p in placed]
    assert flags == sorted(flags)
    for earlier, later in itertools.pairwise(placed):
        same = (earlier.contender.vetoed, earlier.contender.score) == (
            later.contender.vetoed,
            later.contender.score,
        )
        if same:
            assert later.rank == earlier.rank
            assert earlier.contender.key < later.contender.key
        else:
            assert later.rank == later.position  # competition ranking skips after a tie
            if earlier.contender.vetoed == later.contender.vetoed:
                assert earlier.contender.score > later.contender.score
    # The order does not depend on the order given.
    assert [p.contender.key for p in rank(reversed(entries))] == [p.contender.key for p in placed]


@settings(max_examples=80, deadline=None)
@given(st.lists(scores, min_size=1, max_size=40))
def test_statistics_stay_within_the_values(values):
    figures = statistics(values)
    assert figures.minimum <= figures.median <= figures.maximum
    assert figures.minimum <= figures.mean <= figures.maximum
    assert figures.count == len(values)


@settings(max_examples=80, deadline=None)
@given(contenders, st.data())
def test_in_groups_each_is_ranked_on_its_own_and_listed_one_after_the_other(entries, data):
    """分类考核: splitting units into groups changes no score, ranks each group as if it stood
    alone, and lists every unit once, group after group."""
    count = data.draw(st.integers(1, 4))
    group_of = {c.key: data.draw(st.integers(0, count - 1)) for c in entries}
    groups = [(g, [c for c in entries if group_of[c.key] == g]) for g in range(count)]

    placed = rank_in_groups(groups)

    assert [p.position for _, p in placed] == list(range(1, len(entries) + 1))
    assert sorted(p.contender.key for _, p in placed) == sorted(c.key for c in entries)
    assert [g for g, _ in placed] == sorted(g for g, _ in placed)
    for group, members in groups:
        alone = [(p.contender.key, p.rank, p.of) for p in rank(members)]
        assert [(p.contender.key, p.rank, p.of) for g, p in placed if g == group] == alone
    # A group never lifts a unit above a better-scored unvetoed unit of its own group.
    for _, p in placed:
        assert p.rank <= p.of
