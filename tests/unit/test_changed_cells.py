"""What a ranking's publication writes again: the units whose kept scores changed, or that
joined or left the ranking, and every region whose ranked units changed or moved."""

from __future__ import annotations

from scoring.rankings.cells import Changed, Published, changed_since

# Two counties (10, 20) under a city (1): units 11, 12 in 10, unit 21 in 20.
BEFORE = Published(
    units={11: (111, 3), 12: (112, 1), 21: (121, 2)},
    members={1: frozenset({11, 12, 21}), 10: frozenset({11, 12}), 20: frozenset({21})},
)


def test_nothing_changed_writes_nothing():
    assert changed_since(BEFORE, BEFORE.units, BEFORE.members) == Changed(frozenset(), frozenset())


def test_a_rescored_unit_and_the_regions_above_it():
    units = dict(BEFORE.units) | {12: (112, 2)}
    assert changed_since(BEFORE, units, BEFORE.members) == Changed(
        frozenset({12}), frozenset({1, 10})
    )


def test_a_unit_leaving_the_ranking_and_one_joining_it():
    units = {11: (111, 3), 21: (121, 2), 13: (113, 0)}
    members = {1: frozenset({11, 13, 21}), 10: frozenset({11, 13}), 20: frozenset({21})}
    assert changed_since(BEFORE, units, members) == Changed(frozenset({12, 13}), frozenset({1, 10}))


def test_a_unit_moved_to_another_county_keeps_its_cells_and_both_counties_change():
    members = {1: frozenset({11, 12, 21}), 10: frozenset({11}), 20: frozenset({12, 21})}
    assert changed_since(BEFORE, BEFORE.units, members) == Changed(frozenset(), frozenset({10, 20}))


def test_a_new_assessment_of_the_same_unit_is_a_change():
    units = dict(BEFORE.units) | {21: (999, 2)}
    assert changed_since(BEFORE, units, BEFORE.members) == Changed(
        frozenset({21}), frozenset({1, 20})
    )


def test_a_region_whose_last_unit_left_is_written_again_to_close_its_cells():
    units = {11: (111, 3), 12: (112, 1)}
    members = {1: frozenset({11, 12}), 10: frozenset({11, 12})}
    assert changed_since(BEFORE, units, members) == Changed(frozenset({21}), frozenset({1, 20}))
