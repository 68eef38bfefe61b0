"""Spot-check draws through the API: an assessor of Nanhu draws among its townships with a
seed and inspectors, reads the draw back (it reproduces), publishes it; a township under Nanhu
reads it only once published, a unit outside Nanhu and another province never; bad input is
named by its field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories.api import fields_of, gid, mutate, ok, signed_in
from tests.factories.assessments import open_sample_cycle
from tests.factories.tenants import add_user, node, user

DRAW = """
draw {
  id seed published publishedAt inspectorsPerTarget criticisedWeight reproduced
  strata { kind count candidates }
  cycle { name } scope { code } drawnBy { username }
  targets {
    unitCode unitNameZh kind position weight reason criticisedIn
    unit { code } assessment { id }
    inspectors { name unitCode user { username } }
  }
}
"""
DRAWS = """
query($cycle: ID!) { spotCheckDraws(cycleId: $cycle) {
  totalCount edges { node { id seed published targets { unitCode unit { code } } } } } }
"""
INSPECTORS = ("nanhu-office", "xjd-clerk", "qixing-clerk", "330402010-clerk")


@pytest.fixture
def cycle_id(world) -> str:
    add_user(world, "330411", "xiuzhou-clerk", *())
    cycle = open_sample_cycle(world)
    world.commit()
    return gid("Cycle", cycle.id)


@pytest.fixture
def people(world, make_gql, cycle_id):
    names = ("nanhu-office", "xjd-clerk", "xiuzhou-clerk", "sc-office")
    return {name: signed_in(make_gql, name) for name in names}


def draw_input(world, cycle_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "cycleId": cycle_id,
        "scopeId": gid("Tenant", node(world, "330402").id),
        "seed": "2026-09-01 南湖区第一批",
        "strata": [{"kind": "STREET", "count": 3}, {"kind": "TOWN", "count": 1}],
        "inspectorIds": [gid("User", user(world, name).id) for name in INSPECTORS],
        "inspectorsPerTarget": 2,
    } | changes


def draw(gql, input_: dict[str, Any]) -> dict[str, Any]:
    return mutate(gql, "drawSpotChecks", "DrawSpotChecksInput", DRAW, input_)


def listed(gql, cycle_id: str) -> list[dict[str, Any]]:
    found = ok(gql.execute(DRAWS, {"cycle": cycle_id}))["spotCheckDraws"]
    return [edge["node"] for edge in found["edges"]]


def test_draw_read_publish_and_who_reads_it(world, people, cycle_id):
    office = people["nanhu-office"]
    drawn = draw(office, draw_input(world, cycle_id))
    assert drawn["errors"] == []
    result = drawn["draw"]
    assert (result["seed"], result["published"], result["reproduced"]) == (
        "2026-09-01 南湖区第一批",
        False,
        True,
    )
    assert result["strata"] == [
        {"kind": "STREET", "count": 3, "candidates": 9},
        {"kind": "TOWN", "count": 1, "candidates": 4},
    ]
    assert (result["scope"]["code"], result["drawnBy"]["username"]) == ("330402", "nanhu-office")
    targets = result["targets"]
    assert [(t["kind"], t["position"]) for t in targets] == [
        ("STREET", 1),
        ("STREET", 2),
        ("STREET", 3),
        ("TOWN", 1),
    ]
    for target in targets:
        assert target["unit"]["code"] == target["unitCode"] and target["assessment"]["id"]
        assert (target["weight"], target["criticisedIn"]) == ("1.00", None)
        assert len(target["inspectors"]) == 2
        for inspector in target["inspectors"]:
            assert inspector["unitCode"] != target["unitCode"]
    # The same seed again draws the same.
    again = draw(office, draw_input(world, cycle_id))["draw"]
    assert again["targets"] == targets

    # Unpublished: the offices read it, the townships under Nanhu not (nor anyone else).
    assert [d["id"] for d in listed(office, cycle_id)] == [result["id"], again["id"]]
    for name in ("xjd-clerk", "xiuzhou-clerk", "sc-office"):
        assert listed(people[name], cycle_id) == []
        node_query = "query($id: ID!) { node(id: $id) { id } }"
        assert ok(people[name].execute(node_query, {"id": result["id"]}))["node"] is None
    refused = mutate(
        people["xjd-clerk"],
        "publishSpotCheckDraw",
        "PublishSpotCheckDrawInput",
        "draw { id }",
        {"drawId": result["id"]},
    )
    assert fields_of(refused) == [("drawId", "NOT_FOUND")]

    published = mutate(
        office,
        "publishSpotCheckDraw",
        "PublishSpotCheckDrawInput",
        "draw { published publishedAt }",
        {"drawId": result["id"]},
    )
    assert published["errors"] == [] and published["draw"]["published"] is True
    # Published: every unit under Nanhu reads it (a sibling township's name, not the unit).
    seen = listed(people["xjd-clerk"], cycle_id)
    assert [d["id"] for d in seen] == [result["id"]]
    assert [t["unitCode"] for t in seen[0]["targets"]] == [t["unitCode"] for t in targets]
    assert all((t["unit"] is None) == (t["unitCode"] != "330402901") for t in seen[0]["targets"])
    for name in ("xiuzhou-clerk", "sc-office"):
        assert listed(people[name], cycle_id) == []
    twice = mutate(
        office,
        "publishSpotCheckDraw",
        "PublishSpotCheckDrawInput",
        "draw { id }",
        {"drawId": result["id"]},
    )
    assert fields_of(twice) == [("drawId", "INVALID_STATE")]


def test_a_draw_without_a_seed_returns_the_one_it_made(world, people, cycle_id):
    drawn = draw(
        people["nanhu-office"],
        draw_input(world, cycle_id, seed=None, strata=None, targetCount=2, criticisedWeight="3"),
    )
    assert drawn["errors"] == []
    assert len(drawn["draw"]["seed"]) == 16 and drawn["draw"]["criticisedWeight"] == "3.00"
    assert drawn["draw"]["strata"] == [{"kind": None, "count": 2, "candidates": 14}]


def test_bad_input_is_named(world, people, cycle_id):
    office = people["nanhu-office"]
    sichuan = gid("User", user(world, "sc-office").id)
    cases = [
        ({"strata": [{"kind": "STREET", "count": 10}]}, [("strata[0].count", "INVALID")]),
        ({"targetCount": 2}, [("strata", "INVALID")]),
        ({"inspectorIds": [sichuan]}, [("inspectorIds[0]", "NOT_FOUND")]),
        ({"inspectorIds": [cycle_id]}, [("inspectorIds[0]", "INVALID")]),
        ({"scopeId": cycle_id}, [("scopeId", "INVALID")]),
        ({"inspectorsPerTarget": 11}, [("inspectorsPerTarget", "INVALID")]),
        ({"criticisedWeight": "0"}, [("criticisedWeight", "INVALID")]),
        (
            {
                "inspectorIds": [gid("User", user(world, "xjd-clerk").id)],
                "inspectorsPerTarget": 1,
                "strata": None,
                "targetCount": 14,
            },
            [("inspectorIds", "INVALID")],
        ),
    ]
    for changes, expected in cases:
        assert fields_of(draw(office, draw_input(world, cycle_id, **changes))) == expected
    own = [gid("User", user(world, "xjd-clerk").id)]
    clerk = draw(people["xjd-clerk"], draw_input(world, cycle_id, inspectorIds=own))
    assert fields_of(clerk) == [("scopeId", "PERMISSION_DENIED")]
    assert listed(office, cycle_id) == []
