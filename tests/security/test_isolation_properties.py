"""Tenant isolation as a property: generated hierarchies, users and grants, every field walked.

Hypothesis draws a world (``tests.security.worlds``): a province with a random tree of cities,
counties and townships, users of it with random grants (admin, template author, assessor,
submitter, viewer) on random units, and a second province, the victim. Then every generated user
signs in and makes every call of the schema-wide walk (``tests.factories.walk``: every Query and
Mutation field, with arguments made from their types), each naming objects the user may not see:
of the victim province, or of its own province outside its scope (a sibling county, the children
of a submitter's unit). For every call:

- no answer holds a code, name or global id the user may not see (but the ids the call sent);
- no call gets ``Unexpected error.`` (INTERNAL) or is refused as a request;
- no mutation changes a row outside what the user may write (the other province's, its own
  province's outside its subtrees and own units, its ancestors' included).

What a user may see comes from an oracle (``tests.factories.tenants.expected``, walking
``parent_id`` links) sharing no code with ``TenantScope``. Every walked call counts as a case;
the run prints how many. ``make test`` runs a few worlds; REDLINE_LONG_TESTS=1 (``make
test-long``) many more.
"""

from __future__ import annotations

import functools
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from redis import Redis
from sqlalchemy import Engine

from redline.app import create_app
from redline.db import Base, make_session_factory
from tenants.models import Role
from tests.factories import walk
from tests.factories.api import GraphQLClient, app_runtime, signed_in
from tests.factories.tenants import user
from tests.factories.walk import Call, changed, cross_references, execute
from tests.graphql.test_schema_walk import SCHEMA, _general, _walk_calls
from tests.security.worlds import (
    UserSpec,
    View,
    WorldSpec,
    WriteWatch,
    build,
    empty_database,
    outside_snapshot,
    view_of,
    worlds,
)

LONG = os.environ.get("REDLINE_LONG_TESTS") == "1"
# Profiles live here, not in a conftest, so they touch no other test module's settings.
settings.register_profile(
    "isolation",
    max_examples=2,
    deadline=None,
    # A failing world is printed as drawn: shrinking reruns whole walks, minutes each.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile(
    "isolation-long", parent=settings.get_profile("isolation"), max_examples=60
)
PROFILE = settings.get_profile("isolation-long" if LONG else "isolation")
MAX_UNITS = 14 if LONG else 9
MAX_USERS = 4 if LONG else 3


def _calls(view: View) -> list[Call]:
    return _walk_calls(view.objects, mixed=True)


def _shape(value: Any) -> Any:
    """Variables with every string the same: what a document's cost depends on (list lengths,
    page sizes), not which objects its ids name."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return "s" if isinstance(value, str) else value


@pytest.fixture
def quick_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk builds the same documents for every user (only the ids differ): their costs,
    token counts and files are worked out once per test instead of once per user."""
    costs: dict[tuple[str, str], int] = {}
    files: dict[tuple[str, str], tuple[bytes, str, str]] = {}
    cost, make_file = walk.cost, walk._file

    def cached_cost(schema: Any, document: str, variables: dict[str, Any]) -> int:
        key = (document, json.dumps(_shape(variables), sort_keys=True))
        if key not in costs:
            costs[key] = cost(schema, document, variables)
        return costs[key]

    def cached_file(name: str, upload: str) -> tuple[bytes, str, str]:
        if (name, upload) not in files:
            files[name, upload] = make_file(name, upload)
        return files[name, upload]

    monkeypatch.setattr(walk, "cost", cached_cost)
    monkeypatch.setattr(walk, "tokens", functools.lru_cache(maxsize=None)(walk.tokens))
    monkeypatch.setattr(walk, "_file", cached_file)


def _walk_as(
    client: GraphQLClient, engine: Engine, view: View, customer_id: int, user_id: int
) -> tuple[int, list[str], int]:
    """Every call of the walk as one user: how many, the problems, and how many answers showed
    something in its scope (the control: the detector reads what it is given)."""
    problems: list[str] = []
    seen_own = 0
    calls = _calls(view)
    watch = WriteWatch(engine, Base.metadata)
    try:
        before = outside_snapshot(engine, Base.metadata, customer_id, view.scope, user_id)
        for call in calls:
            result = execute(client, call)
            problems += [f"{view.username}: {p}" for p in _general(call, result, view.secrets)]
            text = str(result)
            if any(name in text for name in view.own_names):
                seen_own += 1
            written = watch.take()
            if call.root != "mutation" and not written:
                continue
            # A query writes nothing of anyone's but the user's own session and audit trail.
            after = outside_snapshot(
                engine, Base.metadata, customer_id, view.scope, user_id, written
            )
            if any(before[t] != after[t] for t in after):
                problems.append(
                    f"{view.username}: {call.name}: WRITE outside its scope "
                    f"{changed({t: before[t] for t in after}, after)} with {call.variables}"
                )
                before |= after
    finally:
        watch.close()
    return len(calls), problems, seen_own


# Worlds every run walks, besides the generated ones: each a slip a scope rule could make.
KNOWN = [
    # A city's submitter (its own unit only, not the counties below); a county's admin (not
    # its sibling county, nor its ancestors' data); a province user viewing one county.
    WorldSpec(
        parents=(None, 0, 1, 1, 2, 3),
        victim_parents=(None, 0),
        users=(
            UserSpec(1, ((Role.SUBMITTER, 1),)),
            UserSpec(2, ((Role.ADMIN, 2),)),
            UserSpec(0, ((Role.VIEWER, 3),)),
        ),
        pick=0,
    ),
    # Grants below the home unit: a city user, assessor of one county and submitter of one
    # township of the other; a township's template author with no more than its own unit.
    WorldSpec(
        parents=(None, 0, 1, 1, 2, 3, 0),
        victim_parents=(None,),
        users=(
            UserSpec(1, ((Role.ASSESSOR, 2), (Role.SUBMITTER, 5))),
            UserSpec(4, ((Role.TEMPLATE_AUTHOR, 4),)),
        ),
        pick=1,
    ),
]


def test_generated_users_see_and_change_nothing_outside_their_scope(
    engine: Engine, redis_client: Redis, redis_test_url: str, tmp_path: Path, quick_walk: None
):
    runtime = app_runtime(
        engine,
        engine.url.render_as_string(hide_password=False),
        redis_client,
        redis_test_url,
        tmp_path / "attachments",
    )
    app = create_app(runtime)
    app.config["TESTING"] = True
    sessions = make_session_factory(engine)
    stats = {"worlds": 0, "users": 0, "calls": 0, "control": 0}
    started, cpu = time.monotonic(), time.process_time()

    @settings(PROFILE)
    @given(spec=worlds(max_units=MAX_UNITS, max_users=MAX_USERS))
    @example(spec=KNOWN[0])
    @example(spec=KNOWN[1])
    def check(spec: WorldSpec) -> None:
        empty_database(engine)
        redis_client.flushdb()  # sign-in throttles and rate limits: a new world each time
        with sessions() as session:
            world = build(session, spec)
            views = [view_of(session, world, name) for name in world.usernames]
            user_ids = {v.username: user(session, v.username).id for v in views}
        problems: list[str] = []
        stats["worlds"] += 1
        for view in views:
            client = signed_in(lambda: GraphQLClient(app.test_client()), view.username)
            count, found, seen_own = _walk_as(
                client, engine, view, world.customer["A"], user_ids[view.username]
            )
            stats["users"] += 1
            stats["calls"] += count
            stats["control"] += seen_own
            problems += found
        crossing = cross_references(engine, Base.metadata)
        if crossing:
            problems.append(f"rows pointing at another province's: {crossing}")
        assert not problems, "\n".join([f"world: {spec!r}", *problems[:40]])

    try:
        check()
    finally:
        runtime.broker.close()
        empty_database(engine)
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    print(
        f"\nisolation [{engine.dialect.name}]: {stats['worlds']} worlds, {stats['users']} users,"
        f" {stats['calls']} field calls in {elapsed:.1f}s ({cpu:.1f}s of this process's CPU);"
        f" {stats['control']} answers showed the user's own data"
    )
    # The walk really ran, and its detector reads answers: users saw their own units' names.
    assert stats["calls"] >= stats["users"] * len(_calls_count_floor()) > 0
    assert stats["control"] > 0


def _calls_count_floor() -> list[str]:
    """The schema's root fields: each user's walk makes at least one call of each."""
    return [*SCHEMA.query_type.fields, *SCHEMA.mutation_type.fields]
