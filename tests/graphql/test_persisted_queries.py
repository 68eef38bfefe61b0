"""Persisted queries: the frontend's registered operations answered by hash, an unknown hash or a
mismatched text refused, and only registered operations where the settings say (API tokens
excepted)."""

from __future__ import annotations

import json

import pytest
from graphql import parse, validate

from graphql_schema.core.persisted import AllowList, bare_hash, document_hash
from graphql_schema.schema import schema
from graphql_schema.view import GRAPHQL_RESPONSE_JSON
from redline.config import DEFAULT_PERSISTED_QUERIES_FILE
from tests.factories.api import signed_in

REGISTERED = AllowList.read(DEFAULT_PERSISTED_QUERIES_FILE)


def _by_hash(sha256: str, variables: dict | None = None, **extra) -> dict:
    return {
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256}},
        "variables": variables or {},
        **extra,
    }


def _post(client, body: dict, headers: dict | None = None):
    return client.post("/graphql", json=body, headers=headers or {})


def test_the_frontend_registers_every_operation_it_sends_and_each_is_valid():
    raw = json.loads(DEFAULT_PERSISTED_QUERIES_FILE.read_text(encoding="utf-8"))
    assert len(REGISTERED) == len(raw) >= 100
    for sha256, text in REGISTERED.items():
        assert document_hash(text) == sha256
        assert validate(schema._schema, parse(text)) == [], text[:80]


def test_a_list_whose_text_does_not_match_its_hash_is_refused():
    with pytest.raises(ValueError, match="hashes to another value"):
        AllowList({"sha256:" + "0" * 64: "{ __typename }"})


def test_a_registered_operation_is_answered_by_its_hash(world, make_gql):
    office = signed_in(make_gql, "jx-office")
    viewer = REGISTERED.hash_of("Viewer")
    for sent in (viewer, "sha256:" + viewer, viewer.upper()):
        answer = _post(office.http, _by_hash(sent)).get_json()
        assert answer["data"]["viewer"]["user"]["username"] == "jx-office", sent
    # The text may go along; it must then be the registered one.
    text = REGISTERED[viewer]
    assert "errors" not in _post(office.http, _by_hash(viewer, query=text)).get_json()
    wrong = _post(office.http, _by_hash(viewer, query="{ __typename }")).get_json()
    assert wrong["errors"][0]["extensions"]["code"] == "INVALID"
    assert "does not hash" in wrong["errors"][0]["message"]


def test_an_unknown_hash_is_refused_by_name(app):
    client = app.test_client()
    answer = _post(client, _by_hash("f" * 64), {"Accept": GRAPHQL_RESPONSE_JSON})
    assert answer.status_code == 400
    (error,) = answer.get_json()["errors"]
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert "f" * 64 in error["message"]
    for shape in ({"version": 2, "sha256Hash": "f" * 64}, {"sha256Hash": 7}, "abc"):
        refused = _post(client, {"extensions": {"persistedQuery": shape}}).get_json()
        assert refused["errors"][0]["extensions"]["code"] == "INVALID", shape
        assert refused["errors"][0]["message"].startswith("extensions.persistedQuery")


def test_only_registered_operations_where_the_settings_say(world, app, runtime, make_gql):
    runtime.settings = runtime.settings.with_(persisted_queries_only=True)
    anonymous = app.test_client()
    refused = _post(anonymous, {"query": "{ viewer { csrfToken } }"}).get_json()
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"
    by_hash = _post(anonymous, _by_hash(REGISTERED.hash_of("Viewer"))).get_json()
    assert by_hash["data"] == {"viewer": None} and "errors" not in by_hash

    # Signing in by hash works; afterwards the session still needs registered operations.
    browser = make_gql()
    sign_in = REGISTERED.hash_of("SignIn")
    answered = _post(
        browser.http,
        _by_hash(sign_in, {"username": "jx-office", "password": "redline-demo"}),
    ).get_json()
    assert answered["data"]["signIn"]["viewer"]["csrfToken"]
    csrf = {"X-CSRF-Token": answered["data"]["signIn"]["viewer"]["csrfToken"]}
    token = _post(
        browser.http,
        {"query": 'mutation { createApiToken(input: {name: "nightly"}) { secret } }'},
        csrf,
    ).get_json()
    assert token["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"

    # An integration's API token may send any query.
    runtime.settings = runtime.settings.with_(persisted_queries_only=False)
    secret = _post(
        browser.http,
        {"query": 'mutation { createApiToken(input: {name: "nightly"}) { secret } }'},
        csrf,
    ).get_json()["data"]["createApiToken"]["secret"]
    runtime.settings = runtime.settings.with_(persisted_queries_only=True)
    script = app.test_client()
    bearer = {"Authorization": f"Bearer {secret}"}
    answer = _post(script, {"query": "{ viewer { user { username } } }"}, bearer).get_json()
    assert answer["data"] == {"viewer": {"user": {"username": "jx-office"}}}
    assert "errors" not in answer


def test_hashes_are_compared_without_prefix_or_case():
    assert bare_hash("sha256:ABC") == "abc"


def test_an_operation_is_found_by_its_name():
    assert REGISTERED[REGISTERED.hash_of("RankingPage")].count("query RankingPage(") == 1
    with pytest.raises(KeyError, match="0 registered operations are named Ranking"):
        REGISTERED.hash_of("Ranking")  # a prefix of RankingPage is not its name
