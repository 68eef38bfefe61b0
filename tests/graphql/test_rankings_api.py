"""The rankings API: paging a ranking with cursors, the snapshot, aggregates, lists, compare,
Cycle.rankingStatus, who may read, and errors naming the argument."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.factories.api import gid, ok, signed_in
from tests.factories.rankings import publish_sample_rankings
from tests.factories.tenants import node

RANKINGS = """
query($cycle: ID!, $scope: ID!, $level: TenantLevel!, $first: Int, $after: String) {
  rankings(cycle: $cycle, scope: $scope, level: $level, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    snapshot { version computedAt provisional tieBreak }
    edges { cursor node {
      rank previousRank rankChange of score selfTotal grade vetoed state overdueMajorHazards
      vetoReasons { rule title reason evidence }
      unit { code nameZh }
      tenant { code }
    } }
  }
}
"""


@pytest.fixture
def ranked(world: Session, sessions, app):
    session, cycle, _ = publish_sample_rankings(world, sessions)
    return {
        "cycle": gid("Cycle", cycle.id),
        "nanhu": gid("Tenant", node(session, "330402").id),
        "jiaxing": gid("Tenant", node(session, "330400").id),
        "units": [gid("Tenant", node(session, c).id) for c in ("330402007", "330402100")],
        "other": gid("Tenant", node(session, "330411101").id),
    }


def _page(gql, ids: dict[str, Any], **variables: Any) -> dict[str, Any]:
    query = {"cycle": ids["cycle"], "scope": ids["nanhu"], "level": "TOWNSHIP"} | variables
    return gql.execute(RANKINGS, query)


def test_a_ranking_pages_with_cursors_within_its_snapshot(ranked, make_gql):
    gql = signed_in(make_gql, "jx-office")
    first = ok(_page(gql, ranked, first=4))["rankings"]
    assert first["totalCount"] == 6
    assert first["snapshot"]["version"] == 1 and first["snapshot"]["provisional"] is True
    assert "code" in first["snapshot"]["tieBreak"]
    nodes = [e["node"] for e in first["edges"]]
    assert [(n["unit"]["code"], n["rank"], n["of"]) for n in nodes] == [
        ("330402007", 1, 6),
        ("330402008", 2, 6),
        ("330402009", 2, 6),
        ("330402010", 4, 6),
    ]
    assert nodes[1]["previousRank"] == 1 and nodes[1]["rankChange"] == -1
    assert nodes[0]["rankChange"] == 1 and nodes[3]["previousRank"] is None
    assert first["pageInfo"]["hasNextPage"] is True
    rest = ok(_page(gql, ranked, first=4, after=first["pageInfo"]["endCursor"]))["rankings"]
    tail = [e["node"] for e in rest["edges"]]
    assert [n["unit"]["code"] for n in tail] == ["330402100", "330402011"]
    assert tail[0]["overdueMajorHazards"] == 1
    assert tail[1]["vetoed"] and tail[1]["vetoReasons"][0]["rule"] == "V1"
    assert rest["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": rest["edges"][-1]["cursor"],
    }


def test_a_sibling_reads_the_ranking_with_names_but_no_tenant_objects(ranked, make_gql):
    gql = signed_in(make_gql, "qixing-clerk")
    page = ok(_page(gql, ranked, first=10))["rankings"]
    sibling = page["edges"][0]["node"]
    assert sibling["unit"] == {"code": "330402007", "nameZh": "建设街道"}
    assert sibling["tenant"] is None  # not in the clerk's sight as a tenant


def test_readers_outside_are_refused_and_errors_name_the_argument(ranked, make_gql, world):
    from redline.db import unit_of_work
    from tenants.models import Role
    from tests.factories.tenants import add_user

    with unit_of_work(world):
        add_user(world, "330411101", "wjj-clerk", Role.SUBMITTER, display_name="王江泾镇 clerk")
    outsider = signed_in(make_gql, "wjj-clerk")
    refused = _page(outsider, ranked)
    assert refused["data"] is None
    assert refused["errors"][0]["message"].startswith("scope:")
    assert refused["errors"][0]["extensions"]["code"] in ("NOT_FOUND", "PERMISSION_DENIED")

    gql = signed_in(make_gql, "jx-office")
    wrong_type = _page(gql, ranked, scope=ranked["cycle"])
    assert wrong_type["errors"][0]["message"].startswith("scope:")
    wrong_level = _page(gql, ranked, level="COUNTY")
    assert wrong_level["errors"][0]["message"].startswith("level:")
    bad_cursor = _page(gql, ranked, after="bm90LWEtY3Vyc29y")
    assert bad_cursor["errors"][0]["message"].startswith("after:")
    too_big = _page(gql, ranked, first=501)
    assert too_big["errors"][0]["message"].startswith("first:")


def test_aggregate_lists_compare_and_status(ranked, make_gql):
    gql = signed_in(make_gql, "jx-office")
    data = ok(
        gql.execute(
            """
            query($cycle: ID!, $nanhu: ID!, $units: [ID!]!) {
              rankingAggregate(cycle: $cycle, node: $nanhu) {
                assessed ranked mean median ownTotal composite vetoCount
                gradeCounts { grade count } tenant { code } snapshot { version }
              }
              commendationCandidates(cycle: $cycle, scope: $nanhu, level: TOWNSHIP, limit: 3) {
                units { entry { unit { code } } reasons { kind text } }
              }
              criticismList(cycle: $cycle, scope: $nanhu, level: TOWNSHIP) {
                units { entry { unit { code } } reasons { kind } }
              }
              compare(cycles: [$cycle], units: $units) {
                cycles { id }
                units { tenant { code } standings { state total rank of grade
                  categories { code title points maxPoints } } }
              }
              node(id: $cycle) { ... on Cycle {
                rankingStatus { computedAt pending queued snapshotVersion lastError } } }
            }
            """,
            {"cycle": ranked["cycle"], "nanhu": ranked["nanhu"], "units": ranked["units"]},
        )
    )
    aggregate = data["rankingAggregate"]
    assert (aggregate["mean"], aggregate["median"], aggregate["composite"]) == (
        "80.33",
        "85.00",
        "86.13",
    )
    assert aggregate["tenant"]["code"] == "330402"
    commend = data["commendationCandidates"]["units"]
    assert [u["entry"]["unit"]["code"] for u in commend] == ["330402007"]
    assert commend[0]["reasons"][0]["text"] == "rank 1 of 6 in 南湖区"
    assert {u["entry"]["unit"]["code"] for u in data["criticismList"]["units"]} == {
        "330402100",
        "330402011",
    }
    compared = data["compare"]["units"]
    assert compared[0]["standings"][0]["rank"] == 1
    assert compared[0]["standings"][0]["categories"]
    status = data["node"]["rankingStatus"]
    assert status["snapshotVersion"] == 1 and status["lastError"] is None

    too_many = gql.execute(
        "query($c: [ID!]!, $u: [ID!]!) { compare(cycles: $c, units: $u) { cycles { id } } }",
        {"c": [ranked["cycle"]], "u": [ranked["units"][0]] * 21},
    )
    assert too_many["errors"][0]["message"].startswith("units:")
