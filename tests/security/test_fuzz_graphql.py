"""Schemathesis fuzzes every GraphQL operation of a running server: no server error, ever.

The schema comes from the live strawberry schema (its introspection, as the server answers it);
schemathesis (GraphQL mode) writes documents for every Query and Mutation field with generated
arguments and selections, and posts them to a live server (``tests.factories.api.live_server``,
threaded, with workers and the outbox relay) over the whole demo, as an anonymous client and as
a signed-in user (a session cookie and the CSRF header mutations need). Every answer must be
below 500 and carry no GraphQL error coded INTERNAL (``Unexpected error.``).

``make test`` fuzzes each operation a couple of times per identity and backend;
REDLINE_LONG_TESTS=1 (``make test-long``) many more.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import schemathesis

# Imported now, not lazily by the first case's call deep inside Hypothesis's stack, where
# pytest's rewriting of the plugin's module can hit CPython 3.11's "AST constructor recursion
# depth mismatch" SystemError.
import schemathesis.transport.requests
from graphql import introspection_from_schema
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from redis import Redis
from schemathesis import GenerationMode
from schemathesis.graphql import nodes
from sqlalchemy.orm import Session
from strawberry.types import get_object_definition

from graphql_schema.schema import NODE_TYPES
from graphql_schema.schema import schema as strawberry_schema
from tests.factories.api import SIGN_IN, LiveServer, gid, live_server

LONG = os.environ.get("REDLINE_LONG_TESTS") == "1"
EXAMPLES = 40 if LONG else 3
# Valid documents only by default (an invalid one stops at validation, before any resolver);
# the long run sends invalid ones too.
MODES = list(GenerationMode) if LONG else [GenerationMode.POSITIVE]
FUZZ_USER = "zj-office"  # admin, template author and assessor of Zhejiang: every role's fields

# The project's own scalars, as the API takes them (and a few it must refuse politely).
schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(st.decimals(allow_nan=False, allow_infinity=False).map(str), st.text(max_size=8)).map(
        nodes.String
    ),
)
schemathesis.graphql.scalar("JSON", st.just(nodes.Object([])))
# Ids of real rows (the demo numbers them from 1) of every node type, mostly: a random string
# stops at the id's parsing, before any resolver.
NODE_NAMES = [get_object_definition(t, strict=True).name for t in NODE_TYPES]
schemathesis.graphql.scalar(
    "ID",
    st.one_of(
        st.builds(lambda kind, n: gid(kind, n), st.sampled_from(NODE_NAMES), st.integers(1, 120)),
        st.text(max_size=12),
    ).map(nodes.String),
)
schemathesis.graphql.scalar("Upload", st.just(nodes.Null))

SCHEMA = schemathesis.graphql.from_dict(introspection_from_schema(strawberry_schema._schema))
SCHEMA.config.generation.update(modes=MODES, max_examples=EXAMPLES)
# Schemathesis's own strategies use `random` (its warning, not ours).
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")

# Operations the fuzzer finds a server error in: each an open bug, named (strict: once fixed,
# the test passes and says to take the operation off this list).
KNOWN_ERRORS: dict[str, str] = {}


@dataclass
class Tally:
    requests: int = 0
    by_status: dict[int, int] = field(default_factory=dict)


TALLY = Tally()


@pytest.fixture(autouse=True)
def no_configured_jobs() -> Iterator[None]:
    """The module's live server configures the jobs for all its tests: the conftest's fixture
    of this name, resetting them around every test, would leave its workers without sessions
    (the next module's tests reset them again)."""
    yield


@pytest.fixture(scope="module")
def fuzz_server(whole_demo: Session, redis_test_url: str) -> Iterator[LiveServer]:
    """The whole demo, served over HTTP for the module."""
    engine = whole_demo.get_bind()
    redis = Redis.from_url(redis_test_url)
    TALLY.requests, TALLY.by_status = 0, {}
    try:
        with live_server(engine, engine.url.render_as_string(hide_password=False), redis) as server:
            yield server
        print(f"\nfuzz [{engine.dialect.name}]: {TALLY.requests} requests, {TALLY.by_status}")
    finally:
        redis.close()


def _forget_throttles(redis: Redis) -> None:
    """Fuzzed sign-ins fail (and count against the address) and fuzzed queries spend the
    credential's cost budget: each operation starts afresh."""
    for pattern in ("redline:signin:*", "redline:cost:*"):
        for key in redis.scan_iter(pattern):
            redis.delete(key)


@pytest.fixture(params=["anonymous", FUZZ_USER])
def identity(request: pytest.FixtureRequest, fuzz_server: LiveServer, redis_test_url: str):
    """A requests session and the headers to send: nothing, or a signed-in session's cookie
    and its CSRF token."""
    redis = Redis.from_url(redis_test_url)
    _forget_throttles(redis)
    redis.close()
    http = requests.Session()
    headers: dict[str, str] = {}
    if request.param != "anonymous":
        answer = http.post(
            f"{fuzz_server.url}/graphql",
            json={
                "query": SIGN_IN,
                "variables": {"username": request.param, "password": "redline-demo"},
            },
            timeout=60,
        ).json()
        viewer = answer["data"]["signIn"]["viewer"]
        assert viewer, answer
        headers["X-CSRF-Token"] = viewer["csrfToken"]
    yield http, headers
    http.close()


def _server_errors(response: requests.Response) -> list[str]:
    if response.status_code >= 500:
        return [f"HTTP {response.status_code}: {response.text[:500]}"]
    try:
        body: Any = response.json()
    except ValueError:
        return []
    errors = body.get("errors") if isinstance(body, dict) else None
    return [
        f"INTERNAL: {e}"
        for e in errors or []
        if (e.get("extensions") or {}).get("code") == "INTERNAL"
        or e.get("message") == "Unexpected error."
    ]


@SCHEMA.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error(case, fuzz_server: LiveServer, identity, request: pytest.FixtureRequest):
    name = case.operation.label
    if name in KNOWN_ERRORS:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_ERRORS[name], strict=True))
    http, headers = identity
    response = case.call(
        base_url=f"{fuzz_server.url}/graphql", session=http, headers=headers, timeout=60
    )
    TALLY.requests += 1
    TALLY.by_status[response.status_code] = TALLY.by_status.get(response.status_code, 0) + 1
    problems = _server_errors(response)
    assert not problems, f"{name}: {problems}\nrequest: {case.body!r}"
