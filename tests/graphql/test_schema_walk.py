"""A schema-wide isolation walk (issue 25): every Query and Mutation field of the live schema,
called by an anonymous client and by a user of another province, gets nothing it should not.

The fields come from the schema itself, so a field added tomorrow is walked too: its arguments
are made from their types (an ID names a real object of the victim province, Zhejiang, of the
type its name says; see ``tests.factories.walk``), and its answer selects its scalar leaves a
few levels deep. A field the walk cannot call fails the test, so coverage cannot shrink quietly.

- Anonymous: every query answers UNAUTHENTICATED or nothing (null, empty), but the few meant
  for everyone (``PUBLIC``); every mutation is refused and the database does not change at all.
- Sichuan's office (admin, template author, assessor of its province): no answer holds a code,
  name or global id of Zhejiang (but the ids it sent); every mutation is refused (but the few
  that only act on the caller's own province, ``OWN_WRITES``), and no row of another province
  changes, nor does any row come to point at another province's.
- Neither ever gets ``Unexpected error.`` (INTERNAL).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from graphql_schema.schema import NODE_TYPES
from graphql_schema.schema import schema as strawberry_schema
from redline.app import create_app
from redline.config import Settings
from redline.db import Base, make_session_factory
from redline.demo.assessments import load_demo_late_vetoes, publish_demo_rankings
from redline.demo.draws import load_demo_draws
from redline.demo.letterheads import load_demo_letterheads
from redline.demo.notifications import load_demo_notifications
from scoring.assessments.models import Assessment, Cycle
from tenants.models import TenantNode, User, WebSession
from tests.factories.api import PDF, GraphQLClient, app_runtime, gid, ok, signed_in
from tests.factories.walk import (
    NESTED,
    Call,
    Objects,
    Secrets,
    changed,
    cross_references,
    execute,
    fields_of,
    global_ids,
    model_version,
    secrets_of,
    snapshot,
    walk_calls,
)

SCHEMA = strawberry_schema._schema
VICTIM, WALKER = "330000", "510000"  # Zhejiang, walked by Sichuan's office
WALKER_USER = "sc-office"
WALKER_UNIT = "510800"  # Guangyuan: its own unit the walk names beside a victim's object

# Queries that answer an anonymous client with something, each for a reason. None today:
# `viewer` answers an empty viewer, `reportLabels` and the rest UNAUTHENTICATED.
PUBLIC: dict[str, str] = {}

# Mutations Sichuan's office may do without being refused: they act on its own province only
# (the walk checks that nothing of another province changed).
OWN_WRITES: dict[str, str] = {
    "mutation createApiToken": "a token of the caller's own, for its scripts",
    "mutation startFullRecompute": "recomputes the caller's own province",
    "mutation signOut": "ends the caller's own session",
    "mutation signOutEverywhere": "ends the caller's own sessions",
    "mutation beginSecondFactor": "a secret for the caller's own authenticator app",
    "mutation previewStandard": "reads the workbook it is sent, and writes nothing",
}

# Mutations an anonymous client may call without being refused (the database check holds).
ANONYMOUS_DONE: dict[str, str] = {
    "mutation signOut": "signing out without a session does nothing",
}

# Fields whose calls naming a victim's object may be refused with another code than NOT_FOUND
# (each for a reason); any other such refusal fails the walk: it would mean a check ran before
# the lookup, and the walk could not tell that the lookup isolates.
NOT_BY_ID: dict[str, str] = {
    "mutation setCycleGroups": "a unit of another province put in a group of the caller's own"
    " cycle is refused as not assessed in it (INVALID): no more than NOT_FOUND would say",
}

# Objects of Zhejiang its office does not read through node(id:) (the control below).
NOT_THE_OFFICE_S = {"Notification"}  # a notification is its unit's alone: Nanhu's, say

# Which victim object of a type the walk names, where the first one would show less.
PREFERRED_UNIT = "330400"  # Jiaxing: in every cycle of the demo, with ledgers below it
PREFERRED_CYCLE = "2026年度县（市、区）安全生产工作考核"  # open, ranked, with a draw
PREFERRED_ASSESSMENT = "330402"  # Nanhu's in that cycle: a draft


@dataclass
class Walk:
    session: Session
    app: Any
    objects: Objects
    secrets: Secrets
    victim: int
    walker: int

    def client(self) -> GraphQLClient:
        return GraphQLClient(self.app.test_client())


@pytest.fixture(scope="module")
def walk(whole_demo: Session, redis_test_url: str, tmp_path_factory) -> Iterator[Walk]:
    """The whole demo as `redline demo` starts it (draws, notifications, letterheads, rankings,
    late vetoes), a report and an API token of Zhejiang's office, and an app over it."""
    session = whole_demo
    session.rollback()
    attachments = tmp_path_factory.mktemp("walk-attachments")
    load_demo_draws(session)
    load_demo_notifications(session)
    load_demo_letterheads(session, Settings(attachment_dir=attachments))
    _add_evidence(session, attachments)
    _add_walker_s_cycle(session)
    sessions = make_session_factory(session.get_bind())
    publish_demo_rankings(sessions)
    with sessions() as s:
        load_demo_late_vetoes(s)
    engine = session.get_bind()
    redis = Redis.from_url(redis_test_url)
    runtime = app_runtime(
        engine, engine.url.render_as_string(hide_password=False), redis, redis_test_url, attachments
    )
    app = create_app(runtime)
    app.config["TESTING"] = True
    office = signed_in(lambda: GraphQLClient(app.test_client()), "zj-office")
    ok(office.execute('mutation { createApiToken(input: {name: "walk"}) { errors { code } } }'))
    session.rollback()
    assessment = session.scalars(select(Assessment).order_by(Assessment.id)).first()
    printed = ok(
        office.execute(
            "mutation($id: ID!) { printScorecard(input: {assessmentId: $id, language: ZH}) "
            "{ errors { code } } }",
            {"id": gid("Assessment", assessment.id)},
        )
    )
    assert printed["printScorecard"]["errors"] == []
    session.rollback()
    victim = _customer(session, VICTIM)
    walker = _customer(session, WALKER)
    objects = _objects(session, victim, walker)
    ids = set().union(*global_ids(session, NODE_TYPES, victim).values())
    secrets = secrets_of(session, Base.metadata, victim, walker, ids)
    try:
        yield Walk(session, app, objects, secrets, victim, walker)
    finally:
        runtime.broker.close()
        redis.close()


def _nanhu_assessment(session: Session) -> Any:
    """Nanhu's own assessment in the 2026 county cycle (a draft: every step still ahead)."""
    return session.scalars(
        select(Assessment)
        .join(Cycle, Cycle.id == Assessment.cycle_id)
        .join(TenantNode, TenantNode.id == Assessment.node_id)
        .where(Cycle.name == PREFERRED_CYCLE, TenantNode.code == PREFERRED_ASSESSMENT)
    ).one()


def _add_evidence(session: Session, attachments: Path) -> None:
    """An evidence file on Nanhu's assessment (the demo's assessments carry none)."""
    from scoring.assessments.attachments import add_attachment
    from scoring.evidence import FolderStore

    add_attachment(
        session,
        None,
        _nanhu_assessment(session),
        "1.3",
        filename="纪要.pdf",
        content_type="application/pdf",
        data=PDF,
        store=FolderStore(attachments),
        settings=Settings(attachment_dir=attachments),
    )
    session.commit()


def _add_walker_s_cycle(session: Session) -> None:
    """Sichuan's own published template and a county cycle over Guangyuan: the walker's
    objects, for the calls naming one object of the victim's and the others its own."""
    from datetime import UTC, date, datetime

    from scoring.assessments import cycles
    from scoring.templates import service as templates
    from tenants.models import TenantLevel
    from tests.factories.templates import sample_content
    from tests.factories.tenants import node

    template = templates.create_template(
        session,
        None,
        owner_node=node(session, WALKER),
        family_code="walk",
        family_name="考核",
        # Its own title: the sample's names Zhejiang, which the walk looks for in answers.
        content=replace(sample_content(), title="四川省县（市、区）安全生产工作考核细则"),
    )
    templates.publish(session, None, template, expected_version=1)
    cycles.open_cycle(
        session,
        None,
        template=template,
        owner_node=node(session, WALKER_UNIT),
        name="广元市县区考核",
        level=TenantLevel.COUNTY,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        self_due=datetime(2099, 1, 1, tzinfo=UTC),
        review_due=datetime(2099, 2, 1, tzinfo=UTC),
    )
    session.commit()


def _customer(session: Session, code: str) -> int:
    return session.scalars(select(TenantNode.customer_id).where(TenantNode.code == code)).one()


def _objects(session: Session, victim: int, walker: int) -> Objects:
    from strawberry.types import get_object_definition

    chosen: dict[str, Any] = {}
    own: dict[str, str] = {}
    for node_type in NODE_TYPES:
        name = get_object_definition(node_type, strict=True).name
        model = node_type.model
        rows = select(model).order_by(model.id)
        if model is TenantNode:
            row = session.scalars(rows.where(TenantNode.code == PREFERRED_UNIT)).one()
        elif model is Cycle:
            row = session.scalars(rows.where(Cycle.name == PREFERRED_CYCLE)).first()
        elif model is Assessment:
            row = _nanhu_assessment(session)
        else:
            row = session.scalars(rows.where(model.customer_id == victim)).first()
        if row is not None:
            chosen[name] = row
        mine_rows = rows.where(model.customer_id == walker)
        if model is TenantNode:  # the owner of its cycle, the scope of its rankings
            mine_rows = mine_rows.where(TenantNode.code == WALKER_UNIT)
        mine = session.scalars(mine_rows).first()
        if mine is not None:
            own[name] = gid(name, mine.id)
    victim_ids = {name: gid(name, row.id) for name, row in chosen.items()}
    # A browser session of the victim's office (signed in above), for endSession.
    office_session = session.scalars(
        select(WebSession.id)
        .join(User, User.id == WebSession.user_id)
        .where(User.customer_id == victim)
        .order_by(WebSession.id)
    ).first()
    victim_ids["BrowserSession"] = gid("BrowserSession", office_session)
    versions = {
        victim_ids[name]: v for name, row in chosen.items() if (v := model_version(row)) is not None
    }
    return Objects(victim_ids, own, versions, unit_code=chosen["Tenant"].code)


# --- the checks ------------------------------------------------------------------------------


def _errors(result: dict[str, Any]) -> list[dict[str, Any]]:
    return result.get("errors") or []


def _code(error: dict[str, Any]) -> str | None:
    return (error.get("extensions") or {}).get("code")


def _empty(value: Any) -> bool:
    """Nothing in it: null, false, zero, an empty string or list, or only such values."""
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    if isinstance(value, list):
        return all(_empty(v) for v in value)
    return not value or value == "0"


def _general(call: Call, result: dict[str, Any], secrets: Secrets) -> list[str]:
    """What no answer may hold, whoever asks: an unexpected error, an error outside the field
    (the walk's document refused), or a secret of the victim."""
    problems = []
    for error in _errors(result):
        if _code(error) == "INTERNAL":
            problems.append(f"{call.name}: INTERNAL {error}")
        elif not error.get("path") and not (call.files and _code(error) == "UNAUTHENTICATED"):
            # (An upload without credentials is refused before it is read: login CSRF.)
            problems.append(f"{call.name}: refused as a request: {error}")
        elif _code(error) == "TOO_COSTLY":
            problems.append(f"{call.name}: the walk's selection costs too much: {error}")
    leaked = secrets.found(result, call.sent)
    if leaked:
        problems.append(f"{call.name}: LEAK {leaked[:8]} with {call.variables}")
    return problems


def _not_by_its_ids(call: Call, result: dict[str, Any]) -> list[str]:
    """A refusal of a call naming the victim's objects says they are not found: refused for
    anything else, the walk never reached the check it is there for."""
    codes = {_code(e) for e in _errors(result)}
    payload = (result.get("data") or {}).get(call.key)
    if call.root == "mutation" and isinstance(payload, dict):
        codes |= {e["code"] for e in payload.get("errors") or []}
    if not call.sent or not codes or "NOT_FOUND" in codes:
        return []
    if f"{call.root} {call.field}" in NOT_BY_ID:
        return []
    return [f"{call.name}: refused with {codes}, not NOT_FOUND: {str(result)[:300]}"]


def _refused(call: Call, result: dict[str, Any]) -> bool:
    if _errors(result):
        return True
    payload = (result.get("data") or {}).get(call.field)
    return isinstance(payload, dict) and bool(payload.get("errors"))


def _walk_calls(objects: Objects, *, mixed: bool) -> list[Call]:
    calls, unbuildable = walk_calls(SCHEMA, objects, mixed=mixed)
    assert not unbuildable, f"fields the walk cannot call (add them to its tables): {unbuildable}"
    walked = {f"{c.root} {c.field}" for c in calls}
    assert walked == set(fields_of(SCHEMA))
    # signOut and signOutEverywhere end the walker's session: last.
    return sorted(
        calls, key=lambda c: (c.root == "mutation", c.field in {"signOut", "signOutEverywhere"})
    )


def test_the_walk_calls_every_field_of_the_schema(walk: Walk):
    calls, unbuildable = walk_calls(SCHEMA, walk.objects, mixed=True)
    assert not unbuildable, unbuildable
    fields = fields_of(SCHEMA)
    assert {f"{c.root} {c.field}" for c in calls} == set(fields)
    queries = sum(1 for f in fields if f.startswith("query ") and NESTED not in f)
    nested = sum(1 for f in fields if NESTED in f)
    mutations = len(fields) - queries - nested
    print(
        f"\nwalk: {len(fields)} fields ({queries} queries, {mutations} mutations, {nested} nested"
        " fields taking arguments, through node(id:))"
    )
    print(f"walk: {len(calls)} calls")
    assert len(fields) >= 95  # the schema of issue 25's day: it only grows
    for name in PUBLIC | OWN_WRITES | ANONYMOUS_DONE | NOT_BY_ID:
        assert name in fields, f"{name}: no such field any more"


def test_an_anonymous_client_gets_nothing_and_changes_nothing(walk: Walk):
    gql = walk.client()
    engine = walk.session.get_bind()
    problems: list[str] = []
    calls = _walk_calls(walk.objects, mixed=False)
    before = snapshot(engine, Base.metadata)
    for call in calls:
        result = execute(gql, call)
        problems += _general(call, result, walk.secrets)
        if call.root == "query":
            value = (result.get("data") or {}).get(call.key)
            codes = {_code(e) for e in _errors(result)}
            if codes and codes != {"UNAUTHENTICATED"}:
                problems.append(f"{call.name}: anonymous error codes {codes}")
            if not codes and not _empty(value) and f"query {call.field}" not in PUBLIC:
                problems.append(f"{call.name}: anonymous answer {str(value)[:300]}")
        elif not _refused(call, result) and f"mutation {call.field}" not in ANONYMOUS_DONE:
            problems.append(f"{call.name}: not refused to anonymous: {str(result)[:300]}")
    after = snapshot(engine, Base.metadata)
    if before != after:
        problems.append(f"anonymous mutations changed the database: {changed(before, after)}")
    print(f"\nanonymous: {len(calls)} calls")
    assert not problems, "\n".join(problems)


def test_the_walk_sees_what_the_victim_s_own_office_may(walk: Walk):
    """The control: Zhejiang's office, asking the walk's queries, reads Zhejiang's objects, and
    the walk's detector finds them in the answers (the walk's ids are real, and a leak would
    show)."""
    gql = signed_in(walk.client, "zj-office")
    found: set[str] = set()
    nodes: dict[str, bool] = {}
    for call in _walk_calls(walk.objects, mixed=False):
        if call.root != "query":
            continue
        result = execute(gql, call)
        assert not [e for e in _errors(result) if _code(e) == "INTERNAL"], (call.name, result)
        if walk.secrets.found(result, set()):
            found.add(call.field)
        if call.field == "node":
            nodes[call.variant] = (result.get("data") or {}).get("node") is not None
    print(f"\nzj-office: Zhejiang's data in the answers of {len(found)} query fields")
    assert {kind for kind, seen in nodes.items() if not seen} <= NOT_THE_OFFICE_S
    assert len(found) >= 25, sorted(found)
    # And a write of Zhejiang's shows in the walker's snapshot.
    engine = walk.session.get_bind()
    before = snapshot(engine, Base.metadata, but_customer=walk.walker)
    created = ok(
        gql.execute('mutation { createApiToken(input: {name: "control"}) { errors { code } } }')
    )
    assert created["createApiToken"]["errors"] == []
    after = snapshot(engine, Base.metadata, but_customer=walk.walker)
    # (The token, and its entry in the province's audit log.)
    assert {line.split(":")[0] for line in changed(before, after)} == {
        "api_token",
        "audit_chain",
        "audit_entry",
    }


def test_another_province_s_user_gets_nothing_and_changes_nothing(walk: Walk):
    engine = walk.session.get_bind()
    gql = signed_in(walk.client, WALKER_USER)
    problems: list[str] = []
    calls = _walk_calls(walk.objects, mixed=True)
    assert not cross_references(engine, Base.metadata)
    before = snapshot(engine, Base.metadata, but_customer=walk.walker)
    assert all(before[t][0] for t in ("tenant_node", "assessment", "hazard", "template"))
    for call in calls:
        result = execute(gql, call)
        problems += _general(call, result, walk.secrets)
        problems += _not_by_its_ids(call, result)
        if call.root == "mutation":
            if not _refused(call, result) and f"mutation {call.field}" not in OWN_WRITES:
                problems.append(f"{call.name}: done for another province: {str(result)[:300]}")
            after = snapshot(engine, Base.metadata, but_customer=walk.walker)
            if after != before:
                problems.append(f"{call.name}: WRITE {changed(before, after)}")
                before = after
    crossing = cross_references(engine, Base.metadata)
    if crossing:
        problems.append(f"rows pointing at another province's: {crossing}")
    print(f"\n{WALKER_USER}: {len(calls)} calls")
    assert not problems, "\n".join(problems)
