"""Depth, alias and token limits; unexpected errors masked, logged, and given a request id."""

from __future__ import annotations

import logging
from uuid import uuid4

import pytest

from graphql_schema.schema import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from tenants.models import TenantNode


@pytest.fixture
def signed_in(world, gql):
    gql.sign_in("zj-office")
    return gql


def _nested_parents(depth: int) -> str:
    inner = "code"
    for _ in range(depth):
        inner = f"parent {{ {inner} }}"
    return f'{{ tenant(code: "330402901") {{ {inner} }} }}'


def test_depth_limit(signed_in):
    allowed = signed_in.execute(_nested_parents(MAX_DEPTH - 1))
    assert "errors" not in allowed
    refused = signed_in.execute(_nested_parents(MAX_DEPTH + 1))
    assert refused["errors"][0]["message"].endswith(
        f"exceeds maximum operation depth of {MAX_DEPTH}"
    )


def test_alias_limit(signed_in):
    fields = " ".join(f'a{i}: tenant(code: "330000") {{ code }}' for i in range(MAX_ALIASES + 1))
    refused = signed_in.execute(f"{{ {fields} }}")
    assert "aliases found" in refused["errors"][0]["message"]
    assert "data" not in refused or refused["data"] is None


def test_token_limit(signed_in):
    fields = " ".join(["code"] * MAX_TOKENS)
    refused = signed_in.execute(f'{{ tenant(code: "330000") {{ {fields} }} }}')
    assert f"more than {MAX_TOKENS} tokens" in refused["errors"][0]["message"]


def test_page_size_is_capped(signed_in):
    refused = signed_in.execute("{ tenants(first: 501) { totalCount } }")
    assert refused["errors"][0]["message"] == "first: must be between 0 and 500"
    assert refused["errors"][0]["extensions"]["code"] == "INVALID"


def test_a_bad_cursor_is_a_clear_error(signed_in):
    refused = signed_in.execute('{ tenants(after: "nonsense") { totalCount } }')
    assert "is not a cursor of this list" in refused["errors"][0]["message"]


def test_unexpected_errors_are_masked_and_logged_with_the_request_id(
    signed_in, monkeypatch, caplog
):
    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internals: connection string postgres://...")

    monkeypatch.setattr(TenantNode, "ancestor_codes", property(broken), raising=False)
    from graphql_schema.tenants import types

    monkeypatch.setattr(types.Tenant, "from_model", classmethod(broken))
    with caplog.at_level(logging.ERROR, logger="redline.graphql"):
        result = signed_in.execute(
            '{ tenant(code: "330000") { code } }', headers={"X-Request-ID": "req-123"}
        )
    error = result["errors"][0]
    assert error["message"] == "Unexpected error."
    assert error["extensions"] == {"code": "INTERNAL", "requestId": "req-123"}
    assert "secret internals" not in str(result)
    assert signed_in.last_response.headers["X-Request-ID"] == "req-123"
    assert any("req-123" in r.getMessage() for r in caplog.records)
    assert any("secret internals" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_every_response_carries_a_request_id(signed_in):
    signed_in.execute("{ viewer { user { username } } }")
    assert len(signed_in.last_response.headers["X-Request-ID"]) == 32


def _padded(size: int) -> str:
    """A valid query padded to about ``size`` bytes with a comment (parsing pays for it all)."""
    return "{ viewer { user { username } } }\n#" + "x" * size


def test_a_request_without_credentials_may_only_be_small(gql, runtime):
    """Parsing a 10 MB query costs seconds of CPU before a resolver could refuse it: a request
    without valid credentials is refused above 64 KiB before its body is read."""
    small = gql.http.post("/graphql", json={"query": _padded(1_000)})
    assert small.status_code == 200
    for headers in ({}, {"Authorization": "Bearer rl_nothing"}):
        big = gql.http.post("/graphql", json={"query": _padded(100_000)}, headers=headers)
        assert big.status_code == 413
        error = big.get_json()["errors"][0]
        assert error["extensions"]["code"] == "TOO_LARGE"
        assert "65,536 bytes, the limit of a request without valid credentials" in error["message"]
        assert error["extensions"]["requestId"] == big.headers["X-Request-ID"]


def test_a_signed_in_request_without_files_has_its_own_limit(signed_in, runtime):
    assert "errors" not in signed_in.execute(_padded(100_000))
    runtime.settings = runtime.settings.with_(request_max_bytes=50_000)
    big = signed_in.http.post(
        "/graphql",
        json={"query": _padded(60_000)},
        headers={"X-CSRF-Token": signed_in.csrf_token},
    )
    assert big.status_code == 413
    message = big.get_json()["errors"][0]["message"]
    assert "50,000 bytes, the limit of a request without files" in message


def test_an_operation_is_validated_once_whatever_the_requests(signed_in, monkeypatch):
    """The limits' rules are made once: a rule made per request was part of the validation
    cache's key, so every request validated its document again."""
    import strawberry.schema.schema as strawberry_schema

    validated: list[object] = []
    validate = strawberry_schema.validate

    def counted(schema, document, rules, *args, **kwargs):
        validated.append(document)
        return validate(schema, document, rules, *args, **kwargs)

    monkeypatch.setattr(strawberry_schema, "validate", counted)
    # A document of its own (the cache is the process's, other tests' documents are in it).
    query = f'{{ tenant(code: "330000") {{ code }} once{uuid4().hex}: __typename }}'
    answers = [signed_in.execute(query) for _ in range(3)]
    assert all(a["data"]["tenant"]["code"] == "330000" for a in answers), answers
    assert len(validated) == 1
    # The limits still apply to a document validated from the cache's rules.
    assert (
        "aliases found"
        in signed_in.execute(
            "{ " + " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES + 1)) + " }"
        )["errors"][0]["message"]
    )
