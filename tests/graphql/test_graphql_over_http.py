"""GraphQL over HTTP: the answers' media types and statuses, and graphql-http's conformance
audit run against a live server (61 of 61 audits ok)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from graphql_schema.view import GRAPHQL_RESPONSE_JSON
from tests.factories.api import live_server

FRONTEND = Path(__file__).resolve().parents[2] / "frontend_build"
AUDIT = FRONTEND / "scripts" / "graphql-http-audit.mjs"


def _post(app, body: dict, accept: str | None):
    headers = {"Accept": accept} if accept is not None else {}
    return app.test_client().post("/graphql", json=body, headers=headers)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"query": "{ viewer { username "}, "Syntax Error"),
        ({"query": "{ noSuchField }"}, "Cannot query field"),
        (
            {
                "query": "query ($code: String!) { tenant(code: $code) { code } }",
                "variables": {"code": 12},
            },
            "Variable '$code'",
        ),
    ],
    ids=["parse", "validation", "variable-coercion"],
)
def test_a_request_error_is_400_without_data_in_the_graphql_response_type(app, body, reason):
    answer = _post(app, body, GRAPHQL_RESPONSE_JSON)
    assert answer.status_code == 400
    assert answer.content_type.startswith(GRAPHQL_RESPONSE_JSON)
    assert "data" not in answer.json
    assert reason in answer.json["errors"][0]["message"]

    # Plain JSON (what the frontend and older clients ask for) keeps 200 with data null.
    for accept in (None, "application/json", "*/*"):
        legacy = _post(app, body, accept)
        assert legacy.status_code == 200, accept
        assert legacy.content_type.startswith("application/json"), accept
        assert legacy.json["data"] is None


def test_a_field_error_keeps_200_and_data_in_the_graphql_response_type(app):
    # Not signed in: the field answers with an error at its path, the operation ran.
    answer = _post(app, {"query": "{ tenants(first: 1) { totalCount } }"}, GRAPHQL_RESPONSE_JSON)
    assert answer.status_code == 200
    assert answer.content_type.startswith(GRAPHQL_RESPONSE_JSON)
    assert "data" in answer.json
    assert answer.json["errors"][0]["path"] == ["tenants"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (f"{GRAPHQL_RESPONSE_JSON}, application/json", GRAPHQL_RESPONSE_JSON),
        (f"application/json, {GRAPHQL_RESPONSE_JSON};q=0.9", "application/json"),
        (f"{GRAPHQL_RESPONSE_JSON};q=0", "application/json"),
        ("application/*", "application/json"),
    ],
)
def test_the_answer_takes_the_media_type_the_client_prefers(app, accept, expected):
    answer = _post(app, {"query": "{ __typename }"}, accept)
    assert answer.status_code == 200
    assert answer.content_type.startswith(expected)
    assert answer.json["data"] == {"__typename": "Query"} and "errors" not in answer.json


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_graphql_http_audit_passes_every_audit(engine, database_urls, backend, redis_client):
    """npm's graphql-http `auditServer` against the running server: every one of its audits ok,
    the SHOULDs of application/graphql-response+json included."""
    node = shutil.which("node")
    assert node, "node is needed (make test installs the frontend's packages)"
    assert (FRONTEND / "node_modules" / "graphql-http").is_dir(), "run `make frontend` first"
    with live_server(engine, database_urls[backend], redis_client) as server:
        run = subprocess.run(
            [node, str(AUDIT), f"{server.url}/graphql"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    summary = lines[-1]
    failures = [line for line in lines[:-1] if line["status"] != "ok"]
    assert failures == [], failures
    assert summary == {"total": 61, "notOk": 0}, run.stderr
    assert run.returncode == 0


INTROSPECTION = "{ __schema { queryType { name } } }"


def test_introspection_can_be_switched_off(app, runtime):
    answered = _post(app, {"query": INTROSPECTION}, None).json
    assert answered["data"] == {"__schema": {"queryType": {"name": "Query"}}}
    assert "errors" not in answered

    runtime.settings = runtime.settings.with_(introspection=False)
    refused = _post(app, {"query": INTROSPECTION}, GRAPHQL_RESPONSE_JSON)
    assert refused.status_code == 400
    assert "introspection" in refused.json["errors"][0]["message"].lower()
    named = _post(app, {"query": '{ __type(name: "Query") { name } }'}, None).json
    assert named["data"] is None
    # Still answered: __typename, and the same document once introspection is back on.
    typename = _post(app, {"query": "{ __typename }"}, None).json
    assert typename["data"] == {"__typename": "Query"} and "errors" not in typename
    runtime.settings = runtime.settings.with_(introspection=True)
    assert "errors" not in _post(app, {"query": INTROSPECTION}, None).json
