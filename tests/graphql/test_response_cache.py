"""The response cache: a registered ranking page is answered from Redis once executed, per
viewer, until the cycle points at another snapshot; anything else is executed every time."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from graphql_schema.core.persisted import AllowList
from graphql_schema.core.response_cache import KEY_PREFIX
from redline.config import DEFAULT_PERSISTED_QUERIES_FILE
from scoring.rankings.status import publish_rankings
from tests.factories.api import gid, signed_in
from tests.factories.rankings import publish_sample_rankings
from tests.factories.tenants import node

REGISTERED = AllowList.read(DEFAULT_PERSISTED_QUERIES_FILE)


@pytest.fixture
def ranked(world: Session, sessions, app, redis_client):
    for key in redis_client.scan_iter(f"{KEY_PREFIX}*"):
        redis_client.delete(key)
    session, cycle, _ = publish_sample_rankings(world, sessions)
    return {
        "cycle_id": cycle.id,
        "variables": {
            "cycle": gid("Cycle", cycle.id),
            "scope": gid("Tenant", node(session, "330402").id),
            "level": "TOWNSHIP",
            "first": 50,
        },
    }


def _ranking_page(client, variables: dict, statement_counter=None) -> tuple[dict, int]:
    body = {
        "operationName": "RankingPage",
        "extensions": {
            "persistedQuery": {"version": 1, "sha256Hash": REGISTERED.hash_of("RankingPage")}
        },
        "variables": variables,
    }
    before = len(statement_counter) if statement_counter is not None else 0
    response = client.http.post(
        "/graphql", json=body, headers={"X-CSRF-Token": client.csrf_token or ""}
    )
    assert response.status_code == 200
    after = len(statement_counter) if statement_counter is not None else 0
    return response.get_json(), after - before


def test_a_ranking_page_is_answered_from_the_cache_until_republished(
    ranked, make_gql, redis_client, sessions, statement_counter
):
    office = signed_in(make_gql, "jx-office")
    first, executed = _ranking_page(office, ranked["variables"], statement_counter)
    assert first["data"]["rankings"]["totalCount"] == 6
    assert executed > 3
    assert len(list(redis_client.scan_iter(f"{KEY_PREFIX}*"))) == 1

    before = len(statement_counter)
    office.execute("{ __typename }")
    signed_in_only = len(statement_counter) - before  # reading the session
    again, statements = _ranking_page(office, ranked["variables"], statement_counter)
    assert again == first
    # The cycle's snapshot pointer, in its transaction (with the row-level security setting on
    # PostgreSQL): no row of the ranking is read.
    assert statements - signed_in_only <= 3 < executed - signed_in_only

    # Other variables, another key; another viewer, another key (and its own answer).
    smaller, _ = _ranking_page(office, {**ranked["variables"], "first": 2}, statement_counter)
    assert len(smaller["data"]["rankings"]["edges"]) == 2
    sibling = signed_in(make_gql, "qixing-clerk")
    theirs, _ = _ranking_page(sibling, ranked["variables"])
    assert [e["node"]["tenant"] for e in theirs["data"]["rankings"]["edges"]][:1] == [None]
    assert len(list(redis_client.scan_iter(f"{KEY_PREFIX}*"))) == 3

    # A new snapshot moves the cycle's pointer: executed again, the new version answered.
    publish_rankings(sessions, ranked["cycle_id"], force=True)
    republished, executed = _ranking_page(office, ranked["variables"], statement_counter)
    assert republished["data"]["rankings"]["snapshot"]["version"] == 2
    assert executed > 3


def test_only_clean_answers_of_snapshot_readers_are_kept(ranked, make_gql, redis_client):
    office = signed_in(make_gql, "jx-office")
    # An answer with errors (a scope of another level) is not kept.
    wrong = {**ranked["variables"], "level": "COUNTY"}
    assert "errors" in _ranking_page(office, wrong)[0]
    # An operation reading live data (the viewer) is not kept.
    office.http.post(
        "/graphql",
        json={
            "extensions": {
                "persistedQuery": {"version": 1, "sha256Hash": REGISTERED.hash_of("Viewer")}
            }
        },
    )
    assert list(redis_client.scan_iter(f"{KEY_PREFIX}*")) == []
    # Nor is anything anonymous.
    anonymous = make_gql()
    assert _ranking_page(anonymous, ranked["variables"])[0]["data"] is None
    assert list(redis_client.scan_iter(f"{KEY_PREFIX}*")) == []


def test_the_cache_can_be_switched_off(ranked, make_gql, runtime, redis_client):
    runtime.settings = runtime.settings.with_(response_cache_seconds=0)
    office = signed_in(make_gql, "jx-office")
    for _ in range(2):
        assert _ranking_page(office, ranked["variables"])[0]["data"]["rankings"]["totalCount"] == 6
    assert list(redis_client.scan_iter(f"{KEY_PREFIX}*")) == []


def test_a_cycle_id_naming_nothing_is_executed_and_refused(ranked, make_gql, redis_client):
    office = signed_in(make_gql, "jx-office")
    for cycle in ("Q3ljbGU6OTk5OTk5OTk5OTk5", "not an id", gid("Tenant", 1)):
        answer, _ = _ranking_page(office, {**ranked["variables"], "cycle": cycle})
        assert answer["data"] is None, cycle
        assert answer["errors"][0]["extensions"]["code"] in {"INVALID", "NOT_FOUND"}, cycle
    assert list(redis_client.scan_iter(f"{KEY_PREFIX}*")) == []
