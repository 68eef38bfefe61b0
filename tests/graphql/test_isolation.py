"""Tenant isolation through every query and mutation of the API.

Each province is one customer and nothing crosses provinces. Inside a province a user sees their
own node and, by role, its subtree (a submitter only its own node), never siblings; ancestors show
as names only, never with their users or role grants.

What each viewer should see is worked out here from the demo data alone (through the system
session, walking ``parent_id`` links: an oracle sharing no code with ``tenants.scope``). Every query
is then asked about every object, or about a table of forbidden units per viewer, and each answer
is compared with the oracle exactly, so one leaked row fails the test.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.relay import GlobalID

from redline.config import Settings
from tenants.models import (
    ApiToken,
    Role,
    RoleGrant,
    TenantLevel,
    TenantNode,
    User,
)
from tests.conftest import BACKENDS
from tests.factories.api import ERRORS, fields_of, gid, ok, signed_in
from tests.factories.tenants import add_traps

BATCH = 15  # aliases per request: the schema's limit
PAGE = "totalCount edges { node { code } }"
TENANT_FIELDS = (
    "code parent { code } ancestors { code } "
    "children(first: 500) { totalCount edges { node { code } } }"
)
USER_FIELDS = "username node { code } roles { id role node { code } user { username } }"


def sweeping(settings: Settings) -> Settings:
    """Settings for sweeps that ask for every row at once, far above a client's query cost
    budget and rate (those limits are test_query_cost_api.py's subject, not these tests')."""
    return settings.with_(query_cost_budget=10**9, query_cost_per_minute=10**12)


def _codes(text: str) -> list[str]:
    return text.split()


# Units each viewer must never see (each also checked against the oracle below).
FORBIDDEN: dict[str, list[str]] = {
    # A province admin: nothing of Sichuan or Liaoning, at any level, departments included.
    "zj-office": _codes(
        "510000 510800 510800-YJJ 510802 510802001 510824114 "
        "210000 210200 210283 210283-YJJ 210283101"
    ),
    # A city admin: not Hangzhou or the other cities, not the province's departments.
    "jx-office": _codes(
        "330100 330102 330106 330500 330503 330600 330000-YJT 330000-ZRZYT 330000-ZRZYT-DKJ "
        "510800 210283"
    ),
    # A district assessor: not its sibling districts or their towns, not the city's department.
    "nanhu-office": _codes("330411 330411101 330421 330400-YJJ 330100 330000-YJT 510802"),
    # A township clerk (submitter): not its sibling townships, nothing else below its ancestors.
    "xjd-clerk": _codes(
        "330402012 330402015 330402007 330402100 330411 330400-YJJ 330100 330000-YJT "
        "510802001 210283101"
    ),
    # Sichuan's Guangyuan office: not Zhejiang, not Liaoning, not Sichuan outside Guangyuan.
    "gy-office": _codes("330000 330400 330402901 210000 210283"),
}
FORBIDDEN_USERS: dict[str, list[str]] = {
    "zj-office": ["sc-office", "gy-office", "ln-office", "zhuanghe-office"],
    "jx-office": ["zj-office", "zj-leader", "sc-office", "ln-office"],
    "nanhu-office": ["jx-office", "zj-office", "zj-leader", "gy-office"],
    # Its sibling's clerk, and the users of its ancestors.
    "xjd-clerk": ["qixing-clerk", "nanhu-office", "jx-office", "zj-office", "zj-leader"],
    "gy-office": ["sc-office", "zj-office", "xjd-clerk", "zhuanghe-office"],
}


@dataclass
class World:
    """Everything in the database, read through the system session."""

    nodes: dict[int, TenantNode]
    users: dict[int, User]
    grants: dict[int, RoleGrant]

    @classmethod
    def read(cls, session: Session) -> World:
        session.rollback()  # a fresh snapshot: what requests committed since
        return cls(
            nodes={n.id: n for n in session.scalars(select(TenantNode))},
            users={u.id: u for u in session.scalars(select(User))},
            grants={g.id: g for g in session.scalars(select(RoleGrant))},
        )

    def node(self, code: str) -> TenantNode:
        return next(n for n in self.nodes.values() if n.code == code)

    def user(self, username: str) -> User:
        return next(u for u in self.users.values() if u.username == username)

    def chain(self, node_id: int) -> list[int]:
        """The node and its ancestors, following parent links upwards."""
        out: list[int] = []
        current: int | None = node_id
        while current is not None:
            out.append(current)
            current = self.nodes[current].parent_id
        return out

    def subtree(self, node_id: int) -> set[int]:
        return {n for n in self.nodes if node_id in self.chain(n)}

    def sight(self, username: str) -> Sight:
        """What ``username`` may see, by the rule."""
        user = self.user(username)
        full = {user.node_id}
        reached = [user.node_id]
        for grant in self.grants.values():
            if grant.user_id == user.id:
                reached.append(grant.node_id)
                if grant.role is Role.SUBMITTER:
                    full.add(grant.node_id)
                else:
                    full |= self.subtree(grant.node_id)
        names = {a for n in reached for a in self.chain(n)[1:]} - full
        return Sight(
            world=self,
            full=full,
            names=names,
            users={u.id for u in self.users.values() if u.node_id in full},
            grants={g.id for g in self.grants.values() if g.node_id in full},
        )


@dataclass
class Sight:
    world: World
    full: set[int]  # nodes seen with their users and grants
    names: set[int]  # ancestors: seen as names only
    users: set[int]
    grants: set[int]

    @property
    def nodes(self) -> set[int]:
        return self.full | self.names

    def codes(self, ids: Iterable[int]) -> set[str]:
        return {self.world.nodes[i].code for i in ids}

    def usernames(self, ids: Iterable[int]) -> set[str]:
        return {self.world.users[i].username for i in ids}


@pytest.fixture
def demo(world: Session) -> World:
    return World.read(world)


@dataclass
class Shared:
    """The demo places and users with the scoring rows, loaded once per module and backend in a
    database of their own, and an app over it: for the tests that only read (the oracle and the
    sweeps take seconds to set up, and a viewer's sweep changes nothing)."""

    world: World
    scoring: Scoring
    app: Any

    def client(self) -> Any:
        from tests.factories.api import GraphQLClient

        return GraphQLClient(self.app.test_client())


@pytest.fixture(scope="module", params=BACKENDS)
def shared(
    request: pytest.FixtureRequest, tmp_path_factory, redis_test_url: str
) -> Iterator[Shared]:
    from redis import Redis

    from redline.app import create_app
    from redline.db import make_engine, make_session_factory
    from redline.demo.run import load_demo_data
    from redline.migrations import upgrade
    from tests.conftest import _create_pg_database, _drop_pg_database
    from tests.factories.api import app_runtime

    created = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('isolation') / 'isolation.db'}"
    else:
        created, url = _create_pg_database()
    engine = make_engine(url)
    upgrade(engine)
    evidence = tmp_path_factory.mktemp("isolation-evidence")
    redis = Redis.from_url(redis_test_url)
    try:
        with make_session_factory(engine)() as session:
            load_demo_data(session)
            add_scoring(session, evidence)
            scoring = Scoring.read(session)  # first: it starts a fresh transaction
            found = Shared(World.read(session), scoring, None)
        runtime = app_runtime(engine, url, redis, redis_test_url, evidence)
        runtime.settings = sweeping(runtime.settings)
        found.app = create_app(runtime)
        yield found
    finally:
        redis.close()
        engine.dispose()
        if created:
            _drop_pg_database(created)


def batched(gql, field: str, arg: str, arg_type: str, selection: str, values: list) -> list:
    """``field(arg: value) { selection }`` for every value, as aliases, a batch per request."""
    out = []
    for start in range(0, len(values), BATCH):
        chunk = values[start : start + BATCH]
        params = ", ".join(f"$v{i}: {arg_type}" for i in range(len(chunk)))
        fields = " ".join(
            f"r{i}: {field}({arg}: $v{i}) {{ {selection} }}" for i in range(len(chunk))
        )
        variables = {f"v{i}": v for i, v in enumerate(chunk)}
        data = ok(gql.execute(f"query({params}) {{ {fields} }}", variables))
        out.extend(data[f"r{i}"] for i in range(len(chunk)))
    return out


def page_codes(connection: dict[str, Any]) -> list[str]:
    return [e["node"]["code"] for e in connection["edges"]]


def codes_in(value: Any) -> set[str]:
    """Every tenant code anywhere in a response."""
    if isinstance(value, dict):
        found = {value["code"]} if isinstance(value.get("code"), str) else set()
        return found.union(*(codes_in(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(codes_in(v) for v in value))
    return set()


def usernames_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["username"]} if isinstance(value.get("username"), str) else set()
        return found.union(*(usernames_in(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(usernames_in(v) for v in value))
    return set()


# --- every query, every object, per viewer ---------------------------------------------------


@pytest.mark.parametrize("viewer", ["zj-office", "jx-office", "xjd-clerk", "gy-office"])
def test_every_query_shows_exactly_what_the_viewer_may_see(shared: Shared, viewer: str):
    demo, make_gql = shared.world, shared.client
    gql = signed_in(make_gql, viewer)
    sight = demo.sight(viewer)
    forbidden = {demo.node(c).id for c in FORBIDDEN[viewer]}
    responses: list[Any] = []

    # node(id:) with the global id of every unit, user and role grant of every province.
    node_ids, user_ids, grant_ids = sorted(demo.nodes), sorted(demo.users), sorted(demo.grants)
    ids = [gid("Tenant", i) for i in node_ids] + [gid("User", i) for i in user_ids]
    ids += [gid("RoleGrant", i) for i in grant_ids]
    got = batched(gql, "node", "id", "ID!", "id __typename", ids)
    responses.append(got)
    shown = {(r["__typename"], r["id"]) for r in got if r is not None}
    assert shown == (
        {("Tenant", gid("Tenant", i)) for i in sight.nodes}
        | {("User", gid("User", i)) for i in sight.users}
        | {("RoleGrant", gid("RoleGrant", i)) for i in sight.grants}
    )

    # tenants: no filter, every level, every kind.
    filters: list[dict[str, Any] | None] = [None]
    filters += [{"level": level.name} for level in TenantLevel]
    kinds = sorted({n.kind for n in demo.nodes.values()})
    filters += [{"kind": kind.name} for kind in kinds]
    got = batched(gql, "tenants", "filter", "TenantFilter", PAGE, filters)
    responses.append(got)
    everything, by_level, by_kind = (
        got[0],
        got[1 : 1 + len(TenantLevel)],
        got[1 + len(TenantLevel) :],
    )
    assert set(page_codes(everything)) == sight.codes(sight.nodes)
    assert everything["totalCount"] == len(sight.nodes)
    for level, page in zip(TenantLevel, by_level, strict=True):
        wanted = {i for i in sight.nodes if demo.nodes[i].level is level}
        assert set(page_codes(page)) == sight.codes(wanted), level
        assert page["totalCount"] == len(wanted)
    for kind, page in zip(kinds, by_kind, strict=True):
        wanted = {i for i in sight.nodes if demo.nodes[i].kind is kind}
        assert set(page_codes(page)) == sight.codes(wanted), kind
        assert page["totalCount"] == len(wanted)

    # tenant(code:), tenants(filter: parentId / subtreeOf) and users(nodeId:) pointing at the
    # forbidden units, at the ancestors (names only) and at the viewer's own units.
    home = demo.user(viewer).node_id
    probes = sorted(forbidden | sight.names | {home} | set(sorted(sight.full)[:3]))
    probe_ids = [gid("Tenant", i) for i in probes]
    found = batched(gql, "tenant", "code", "String!", "code", [demo.nodes[i].code for i in probes])
    responses.append(found)
    assert [bool(r) for r in found] == [i in sight.nodes for i in probes]
    by_parent = batched(
        gql, "tenants", "filter", "TenantFilter", PAGE, [{"parentId": i} for i in probe_ids]
    )
    by_subtree = batched(
        gql, "tenants", "filter", "TenantFilter", PAGE, [{"subtreeOf": i} for i in probe_ids]
    )
    users_of = batched(
        gql, "users", "nodeId", "ID", "totalCount edges { node { username } }", probe_ids
    )
    responses += [by_parent, by_subtree, users_of]
    for node_id, children, subtree, users in zip(
        probes, by_parent, by_subtree, users_of, strict=True
    ):
        wanted = {i for i in sight.nodes if demo.nodes[i].parent_id == node_id}
        assert set(page_codes(children)) == sight.codes(wanted), node_id
        assert children["totalCount"] == len(wanted)
        wanted = sight.nodes & demo.subtree(node_id) if node_id in sight.nodes else set()
        assert set(page_codes(subtree)) == sight.codes(wanted), node_id
        assert subtree["totalCount"] == len(wanted)
        wanted = {u for u in sight.users if demo.users[u].node_id == node_id}
        assert {e["node"]["username"] for e in users["edges"]} == sight.usernames(wanted)
        assert users["totalCount"] == len(wanted)

    # users, without a filter.
    page = ok(gql.execute("{ users(first: 500) { totalCount edges { node { username } } } }"))
    responses.append(page)
    assert {e["node"]["username"] for e in page["users"]["edges"]} == sight.usernames(sight.users)
    assert page["users"]["totalCount"] == len(sight.users)

    # Nested fields: Tenant.parent / ancestors / children, User.node / roles, RoleGrant.node / user.
    data = ok(
        gql.execute(
            f"{{ tenants(first: 500) {{ edges {{ node {{ {TENANT_FIELDS} }} }} }} "
            f"users(first: 500) {{ edges {{ node {{ {USER_FIELDS} }} }} }} "
            f"viewer {{ user {{ {USER_FIELDS} node {{ {TENANT_FIELDS} }} }} }} }}"
        )
    )
    responses.append(data)
    by_code = {n.code: n for n in demo.nodes.values()}
    tenants = [e["node"] for e in data["tenants"]["edges"]] + [data["viewer"]["user"]["node"]]
    for tenant in tenants:
        node = by_code[tenant["code"]]
        parent = demo.nodes[node.parent_id].code if node.parent_id in sight.nodes else None
        assert tenant["parent"] == ({"code": parent} if parent else None)
        ancestors = [demo.nodes[a].code for a in reversed(demo.chain(node.id)[1:])]
        visible_codes = sight.codes(sight.nodes)
        assert [a["code"] for a in tenant["ancestors"]] == [
            c for c in ancestors if c in visible_codes
        ]
        children = {i for i in sight.nodes if demo.nodes[i].parent_id == node.id}
        assert set(page_codes(tenant["children"])) == sight.codes(children), node.code
        assert tenant["children"]["totalCount"] == len(children)
    users = [e["node"] for e in data["users"]["edges"]] + [data["viewer"]["user"]]
    for user in users:
        model = demo.user(user["username"])
        assert model.id in sight.users
        assert user["node"]["code"] == demo.nodes[model.node_id].code
        grants = {g for g in sight.grants if demo.grants[g].user_id == model.id}
        assert {r["id"] for r in user["roles"]} == {gid("RoleGrant", g) for g in grants}
        for role in user["roles"]:
            assert role["node"]["code"] in sight.codes(sight.full)
            assert role["user"] == {"username": user["username"]}

    # And, whatever the query, no forbidden code or user appeared anywhere.
    assert not codes_in(responses) & set(FORBIDDEN[viewer])
    assert not usernames_in(responses) & set(FORBIDDEN_USERS[viewer])
    assert codes_in(responses) == sight.codes(sight.nodes)
    assert usernames_in(responses) == sight.usernames(sight.users)


def test_the_oracle_says_what_the_rule_says(shared: Shared):
    demo = shared.world
    """So that the sweeps below test the right thing."""
    xjd = demo.sight("xjd-clerk")
    assert xjd.codes(xjd.full) == {"330402901"}
    assert xjd.codes(xjd.names) == {"330000", "330400", "330402"}
    assert xjd.usernames(xjd.users) == {"xjd-clerk"}
    jx = demo.sight("jx-office")
    assert jx.codes(jx.names) == {"330000"}
    assert jx.usernames(jx.users) == {
        "jx-office",
        "nanhu-office",
        "xjd-clerk",
        "qixing-clerk",
        "330402010-clerk",
    }
    zj = demo.sight("zj-office")
    assert zj.codes(zj.full) == {n.code for n in demo.nodes.values() if n.code.startswith("33")}
    for viewer, codes in FORBIDDEN.items():
        sight = demo.sight(viewer)
        assert not set(codes) & sight.codes(sight.nodes), viewer
        assert not set(FORBIDDEN_USERS[viewer]) & sight.usernames(sight.users), viewer


def test_every_other_user_lists_exactly_their_sight(world: Session, make_gql, runtime):
    """The remaining demo users, and users next to units a slightly wrong rule would leak."""
    runtime.settings = sweeping(runtime.settings)
    add_traps(world)
    demo = World.read(world)
    nanhu_clerk = demo.sight("nanhu-clerk")
    assert nanhu_clerk.codes(nanhu_clerk.nodes) == {"330000", "330400", "330402"}
    viewers = ["zj-leader", "qixing-clerk", "sc-office", "ln-office", "zhuanghe-office"]
    viewers += ["nanhu-clerk", "nanhu-office", "trap-3304021", "trap-330402-A"]
    for viewer in viewers:
        gql = signed_in(make_gql, viewer)
        sight = demo.sight(viewer)
        data = ok(
            gql.execute(
                f"{{ tenants(first: 500) {{ totalCount edges {{ node {{ {TENANT_FIELDS} }} }} }} "
                f"users(first: 500) {{ totalCount edges {{ node {{ {USER_FIELDS} }} }} }} }}"
            )
        )
        assert set(page_codes(data["tenants"])) == sight.codes(sight.nodes), viewer
        assert data["tenants"]["totalCount"] == len(sight.nodes)
        assert codes_in(data) == sight.codes(sight.nodes), viewer
        assert usernames_in(data) == sight.usernames(sight.users), viewer
        assert data["users"]["totalCount"] == len(sight.users)
        traps = [n for n in demo.nodes.values() if n.code.startswith(("3304021", "330402-A"))]
        hidden = [gid("Tenant", n.id) for n in traps if n.id not in sight.nodes]
        hidden += [gid("User", u.id) for u in demo.users.values() if u.id not in sight.users]
        assert batched(gql, "node", "id", "ID!", "id", hidden) == [None] * len(hidden), viewer


# --- the cases of the brief, spelled out -----------------------------------------------------


def test_a_province_admin_gets_null_for_sichuan_objects(shared: Shared):
    demo, make_gql = shared.world, shared.client
    gql = signed_in(make_gql, "zj-office")
    guangyuan, gy_office = demo.node("510800"), demo.user("gy-office")
    gy_grants = [g.id for g in demo.grants.values() if g.user_id == gy_office.id]
    assert gy_grants
    ids = [gid("Tenant", guangyuan.id), gid("User", gy_office.id)]
    ids += [gid("RoleGrant", g) for g in gy_grants]
    assert batched(gql, "node", "id", "ID!", "id", ids) == [None] * len(ids)
    assert ok(gql.execute('{ tenant(code: "510800") { code } }')) == {"tenant": None}
    # The ids are right: Sichuan's own office gets every one of them.
    sichuan = signed_in(make_gql, "sc-office")
    assert [r["id"] for r in batched(sichuan, "node", "id", "ID!", "id", ids)] == ids


def test_a_city_admin_sees_all_of_its_city_and_no_other(shared: Shared):
    demo, make_gql = shared.world, shared.client
    gql = signed_in(make_gql, "jx-office")
    page = ok(gql.execute("{ tenants(first: 500) { edges { node { code } } } }"))["tenants"]
    jiaxing = {n.code for n in demo.nodes.values() if n.path.startswith("/330000/330400/")}
    assert set(page_codes(page)) == jiaxing | {"330000"}
    assert len(jiaxing) == 26
    found = batched(gql, "tenant", "code", "String!", "code", ["330100", "330102", "330500"])
    assert found == [None, None, None]
    zhejiang = ok(
        gql.execute(
            '{ tenant(code: "330000") { code children(first: 50) '
            "{ totalCount edges { node { code } } } } }"
        )
    )["tenant"]
    assert zhejiang["children"] == {"totalCount": 1, "edges": [{"node": {"code": "330400"}}]}


def test_a_township_clerk_sees_its_ancestors_names_but_not_its_siblings(shared: Shared):
    demo, make_gql = shared.world, shared.client
    gql = signed_in(make_gql, "xjd-clerk")
    page = ok(gql.execute("{ tenants(first: 500) { totalCount edges { node { code } } } }"))
    assert page_codes(page["tenants"]) == ["330000", "330400", "330402", "330402901"]
    assert page["tenants"]["totalCount"] == 4
    # 七星街道 (qixing-clerk's unit) and 城南街道 are both siblings of 湘家荡.
    qixing_clerk = demo.user("qixing-clerk")
    assert demo.nodes[qixing_clerk.node_id].code == "330402015"
    for sibling in ("330402012", "330402015"):
        sib = demo.node(sibling)
        data = ok(
            gql.execute(
                "query($c: String!, $i: ID!) { tenant(code: $c) { code } node(id: $i) { id } "
                "users(nodeId: $i) { totalCount } "
                "tenants(filter: {subtreeOf: $i}) { totalCount } }",
                {"c": sibling, "i": gid("Tenant", sib.id)},
            )
        )
        assert data == {
            "tenant": None,
            "node": None,
            "users": {"totalCount": 0},
            "tenants": {"totalCount": 0},
        }
    assert (
        ok(
            gql.execute(
                "query($i: ID!) { node(id: $i) { id } }", {"i": gid("User", qixing_clerk.id)}
            )
        )["node"]
        is None
    )
    # Its ancestors by name, and through them only the way down to itself, a page at a time.
    data = ok(
        gql.execute(
            '{ tenant(code: "330402901") { ancestors { code nameEn } '
            "parent { code children(first: 1)"
            " { totalCount pageInfo { hasNextPage } edges { node { code } } } } } }"
        )
    )["tenant"]
    assert data["ancestors"] == [
        {"code": "330000", "nameEn": "Zhejiang Province"},
        {"code": "330400", "nameEn": "Jiaxing City"},
        {"code": "330402", "nameEn": "Nanhu District"},
    ]
    assert data["parent"]["children"] == {
        "totalCount": 1,
        "pageInfo": {"hasNextPage": False},
        "edges": [{"node": {"code": "330402901"}}],
    }
    zhejiang = demo.node("330000")
    data = ok(
        gql.execute(
            "query($i: ID!) { node(id: $i) { ... on Tenant { children { totalCount edges { node {"
            " code children { totalCount edges { node { code children { totalCount edges { node {"
            " code } } } } } } } } } } } }",
            {"i": gid("Tenant", zhejiang.id)},
        )
    )["node"]
    assert codes_in(data) == {"330400", "330402", "330402901"}
    # But never the users of those ancestors.
    for ancestor, ancestor_user in (
        ("330402", "nanhu-office"),
        ("330400", "jx-office"),
        ("330000", "zj-office"),
    ):
        data = ok(
            gql.execute(
                "query($n: ID!, $u: ID!) { users(nodeId: $n) { totalCount } node(id: $u) { id } }",
                {
                    "n": gid("Tenant", demo.node(ancestor).id),
                    "u": gid("User", demo.user(ancestor_user).id),
                },
            )
        )
        assert data == {"users": {"totalCount": 0}, "node": None}
    everyone = ok(gql.execute("{ users { totalCount edges { node { username } } } }"))["users"]
    assert everyone == {"totalCount": 1, "edges": [{"node": {"username": "xjd-clerk"}}]}


def test_api_tokens_of_others_are_not_nodes(demo: World, world: Session, make_gql):
    tokens = {}
    for username in ("zj-office", "jx-office", "sc-office"):
        user = demo.user(username)
        token = ApiToken(
            customer_id=user.customer_id,
            user_id=user.id,
            name=f"{username} script",
            prefix="rl_x",
            token_hash=f"hash-{username}",
        )
        world.add(token)
        world.flush()
        tokens[username] = gid("ApiToken", token.id)
    world.commit()
    gql = signed_in(make_gql, "jx-office")
    got = batched(gql, "node", "id", "ID!", "... on ApiToken { name }", list(tokens.values()))
    assert got == [None, {"name": "jx-office script"}, None]
    data = ok(gql.execute("{ viewer { apiTokens { name } } }"))
    assert data == {"viewer": {"apiTokens": [{"name": "jx-office script"}]}}


def test_anonymous_requests_see_nothing(shared: Shared):
    demo, make_gql = shared.world, shared.client
    gql = make_gql()
    ids = [gid("Tenant", demo.node(c).id) for c in ("330000", "330402901", "510000", "210283")]
    ids += [gid("User", u.id) for u in list(demo.users.values())[:5]]
    ids += [gid("RoleGrant", g) for g in list(demo.grants)[:5]]
    assert batched(gql, "node", "id", "ID!", "id", ids) == [None] * len(ids)
    for query in (
        '{ tenant(code: "330000") { code } }',
        "{ tenants { totalCount } }",
        "{ users { totalCount } }",
        "{ viewer { user { username } } }",
    ):
        result = gql.execute(query)
        assert not any((result["data"] or {}).values()), query
        if "viewer" not in query:
            assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# --- mutations --------------------------------------------------------------------------------


def mutation(name: str, input_type: str, payload: str) -> str:
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {payload} {ERRORS} }} }}"


CREATE = mutation("createTenant", "CreateTenantInput", "tenant { code }")
UPDATE = mutation("updateTenant", "UpdateTenantInput", "tenant { code }")
GRANT = mutation("grantRole", "GrantRoleInput", "roleGrant { id }")
REVOKE = mutation("revokeRole", "RevokeRoleInput", "revokedId")


def refused(result: dict[str, Any], name: str, field: str, code: str) -> None:
    payload = ok(result)[name]
    assert fields_of(payload) == [(field, code)], payload
    assert all(v is None for k, v in payload.items() if k != "errors"), payload


def new_unit(parent: TenantNode, code: str, level: str = "COUNTY", kind: str = "DISTRICT"):
    return {
        "parentId": gid("Tenant", parent.id),
        "code": code,
        "nameZh": "新区",
        "nameEn": "New Unit",
        "level": level,
        "kind": kind,
    }


def unchanged(world: Session, before: World) -> None:
    after = World.read(world)
    assert {(n.code, n.name_en, n.path) for n in after.nodes.values()} == {
        (n.code, n.name_en, n.path) for n in before.nodes.values()
    }
    assert set(after.grants) == set(before.grants)


def test_a_city_admin_cannot_write_outside_its_city(demo: World, world: Session, make_gql):
    gql = signed_in(make_gql, "jx-office")
    hangzhou, shangcheng, zhejiang = demo.node("330100"), demo.node("330102"), demo.node("330000")
    guangyuan, jiaxing, nanhu = demo.node("510800"), demo.node("330400"), demo.node("330402")
    sc_office, zj_leader = demo.user("sc-office"), demo.user("zj-leader")
    sichuan_grant = next(g for g in demo.grants.values() if g.user_id == sc_office.id)

    # What is out of sight is not found (not "denied": it does not exist for this user).
    for data in (
        new_unit(hangzhou, "330199"),
        new_unit(shangcheng, "330102951", "TOWNSHIP", "TOWN"),
        new_unit(guangyuan, "510899"),
    ):
        refused(gql.execute(CREATE, {"input": data}), "createTenant", "parentId", "NOT_FOUND")
    for target in (guangyuan, hangzhou):
        refused(
            gql.execute(UPDATE, {"input": {"id": gid("Tenant", target.id), "nameEn": "Mine"}}),
            "updateTenant",
            "id",
            "NOT_FOUND",
        )
    move = {"id": gid("Tenant", nanhu.id), "parentId": gid("Tenant", hangzhou.id)}
    refused(gql.execute(UPDATE, {"input": move}), "updateTenant", "parentId", "NOT_FOUND")
    grants = [
        (sc_office, jiaxing, "userId"),  # a Sichuan user
        (demo.user("nanhu-office"), guangyuan, "nodeId"),  # a Sichuan unit
        (zj_leader, jiaxing, "userId"),  # a user of an ancestor
    ]
    for user, node, field in grants:
        data = {"userId": gid("User", user.id), "nodeId": gid("Tenant", node.id), "role": "VIEWER"}
        refused(gql.execute(GRANT, {"input": data}), "grantRole", field, "NOT_FOUND")
    refused(
        gql.execute(REVOKE, {"input": {"id": gid("RoleGrant", sichuan_grant.id)}}),
        "revokeRole",
        "id",
        "NOT_FOUND",
    )

    # Ancestors are names only: visible, so the answer is a permission error.
    refused(
        gql.execute(CREATE, {"input": new_unit(zhejiang, "330700", "CITY", "CITY")}),
        "createTenant",
        "parentId",
        "PERMISSION_DENIED",
    )
    refused(
        gql.execute(UPDATE, {"input": {"id": gid("Tenant", zhejiang.id), "nameEn": "Mine"}}),
        "updateTenant",
        "id",
        "PERMISSION_DENIED",
    )
    unchanged(world, demo)


def test_a_province_admin_cannot_write_into_another_province(demo: World, world: Session, make_gql):
    gql = signed_in(make_gql, "zj-office")
    for code in ("510000", "510800", "210000", "210283"):
        data = {"id": gid("Tenant", demo.node(code).id), "nameEn": "Mine"}
        refused(gql.execute(UPDATE, {"input": data}), "updateTenant", "id", "NOT_FOUND")
    refused(
        gql.execute(CREATE, {"input": new_unit(demo.node("510800"), "510899")}),
        "createTenant",
        "parentId",
        "NOT_FOUND",
    )
    jiaxing = demo.node("330400")
    for username in ("sc-office", "gy-office", "ln-office", "zhuanghe-office"):
        data = {
            "userId": gid("User", demo.user(username).id),
            "nodeId": gid("Tenant", jiaxing.id),
            "role": "VIEWER",
        }
        refused(gql.execute(GRANT, {"input": data}), "grantRole", "userId", "NOT_FOUND")
    zhejiang_nodes = demo.subtree(demo.node("330000").id)
    for grant in demo.grants.values():
        if grant.node_id not in zhejiang_nodes:
            refused(
                gql.execute(REVOKE, {"input": {"id": gid("RoleGrant", grant.id)}}),
                "revokeRole",
                "id",
                "NOT_FOUND",
            )
    unchanged(world, demo)


def test_what_a_mutation_returns_does_not_leak_either(demo: World, make_gql):
    gql = signed_in(make_gql, "jx-office")
    result = ok(
        gql.execute(
            "mutation($input: CreateTenantInput!) { createTenant(input: $input) { tenant { code "
            "ancestors { code } parent { code children(first: 500) "
            f"{{ {PAGE} }} }} }} {ERRORS} }} }}",
            {"input": new_unit(demo.node("330402"), "330402951", "TOWNSHIP", "TOWN")},
        )
    )["createTenant"]
    assert result["errors"] == []
    assert codes_in(result["tenant"]["ancestors"]) == {"330000", "330400", "330402"}
    assert result["tenant"]["parent"]["children"]["totalCount"] == 15
    # The new township is a sibling of Xiangjiadang: its clerk does not see it.
    clerk = signed_in(make_gql, "xjd-clerk")
    assert ok(clerk.execute('{ tenant(code: "330402951") { code } }'))["tenant"] is None


# --- scoring: templates, cycles, assessments and everything hanging off them -----------------

SCORING_TYPES = ("Template", "Cycle", "Assessment", "Attachment", "SpotCheck", "VetoFlag")
SCORING_VIEWERS = [
    "zj-office",
    "jx-office",
    "nanhu-office",
    "xjd-clerk",
    "qixing-clerk",
    "zj-leader",
    "gy-office",
    "sc-office",
]


@dataclass
class Scoring:
    """Every scoring row of the database by type, with the unit (or province) it belongs to."""

    # type name -> {id: (customer id, node id or None for the province's own rows)}
    rows: dict[str, dict[int, tuple[int, int | None]]]
    cycles: dict[int, int]  # assessment id -> cycle id
    evidence: dict[int, str]  # attachment id -> download URL

    @classmethod
    def read(cls, session: Session) -> Scoring:
        from scoring.assessments import models
        from scoring.templates.models import Template

        session.rollback()
        rows: dict[str, dict[int, tuple[int, int | None]]] = {}
        for name, model in (("Template", Template), ("Cycle", models.Cycle)):
            rows[name] = {r.id: (r.customer_id, None) for r in session.scalars(select(model))}
        for name, model in (
            ("Assessment", models.Assessment),
            ("Attachment", models.Attachment),
            ("SpotCheck", models.SpotCheckFinding),
            ("VetoFlag", models.VetoFlag),
        ):
            rows[name] = {r.id: (r.customer_id, r.node_id) for r in session.scalars(select(model))}
        cycles = {a.id: a.cycle_id for a in session.scalars(select(models.Assessment))}
        evidence = {i: f"/files/evidence/{gid('Attachment', i)}" for i in rows["Attachment"]}
        return cls(rows=rows, cycles=cycles, evidence=evidence)

    def visible(self, type_name: str, demo: World, viewer: str) -> set[int]:
        """What the rule lets ``viewer`` see: the province's templates and cycles; the rows of
        units in its full sight (never of ancestors, siblings or other provinces)."""
        customer = demo.user(viewer).customer_id
        full = demo.sight(viewer).full
        return {
            i
            for i, (customer_id, node_id) in self.rows[type_name].items()
            if customer_id == customer and (node_id is None or node_id in full)
        }


def add_scoring(session: Session, store_dir) -> None:
    """In Zhejiang and in Sichuan: a published template; a township cycle over a city and a
    county cycle over the same city; every assessment filled, with evidence, submitted, spot
    checked and vetoed (so every row type exists for every unit)."""
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from redline.config import Settings
    from scoring.assessments import attachments, cycles, review
    from scoring.assessments import entries as entry_service
    from scoring.assessments.models import Assessment
    from scoring.evidence import FolderStore
    from scoring.templates import service as templates
    from tests.factories.api import FULL_ENTRIES, PDF
    from tests.factories.assessments import entry_inputs
    from tests.factories.templates import sample_content
    from tests.factories.tenants import node

    store, settings = FolderStore(store_dir), Settings(attachment_dir=store_dir)
    entries = entry_inputs(FULL_ENTRIES)
    for province, city in (("330000", "330400"), ("510000", "510800")):
        template = templates.create_template(
            session,
            None,
            owner_node=node(session, province),
            family_code=f"f{province}",
            family_name="考核",
            content=sample_content(),
        )
        templates.publish(session, None, template, expected_version=1)
        for level in (TenantLevel.TOWNSHIP, TenantLevel.COUNTY):
            cycle = cycles.open_cycle(
                session,
                None,
                template=template,
                owner_node=node(session, city),
                name=f"{level} cycle",
                level=level,
                period_start=date(2026, 1, 1),
                period_end=date(2026, 12, 31),
                self_due=datetime(2099, 1, 1, tzinfo=UTC),
                review_due=datetime(2099, 2, 1, tzinfo=UTC),
            )
            for assessment in session.scalars(
                select(Assessment).where(Assessment.cycle_id == cycle.id)
            ).all():
                entry_service.save_entries(session, None, assessment, entries, expected_version=1)
                attachments.add_attachment(
                    session,
                    None,
                    assessment,
                    "1.3",
                    filename="纪要.pdf",
                    content_type="application/pdf",
                    data=PDF,
                    store=store,
                    settings=settings,
                )
                entry_service.submit(session, None, assessment, expected_version=2)
                review.add_spot_check(
                    session,
                    None,
                    assessment,
                    item_code="6.1",
                    points=Decimal(1),
                    finding="宣传栏未更新",
                    checked_on=date(2026, 11, 3),
                )
                review.raise_veto(session, None, assessment, rule_code="V1", reason="较大事故")
    session.commit()


@pytest.fixture
def scoring_rows(world: Session, runtime, tmp_path) -> Scoring:
    runtime.settings = runtime.settings.with_(attachment_dir=tmp_path / "evidence")
    add_scoring(world, tmp_path / "evidence")
    return Scoring.read(world)


SCORED = (
    "id unit { code } cycle { id } "
    # (only tenant codes are selected as `code`: codes_in below reads every one)
    "entries { indicator { title } attachments { id uploadedBy { username } } } "
    "spotChecks { id raisedBy { username } } vetoes { id rule { title } } "
    "history(first: 500) { totalCount edges { node { actor { username } } } }"
)


@pytest.mark.parametrize("viewer", SCORING_VIEWERS)
def test_every_scoring_query_shows_exactly_what_the_viewer_may_see(shared: Shared, viewer: str):
    demo, scoring_rows, make_gql = shared.world, shared.scoring, shared.client
    gql = signed_in(make_gql, viewer)
    sight = demo.sight(viewer)
    wanted = {t: scoring_rows.visible(t, demo, viewer) for t in SCORING_TYPES}
    # Every viewer here has something to see, so a sweep answering nothing would fail.
    assert wanted["Assessment"] and wanted["Attachment"] and wanted["Template"]
    responses: list[Any] = []

    # node(id:) with the id of every scoring object of every province.
    ids = [gid(t, i) for t in SCORING_TYPES for i in sorted(scoring_rows.rows[t])]
    got = batched(gql, "node", "id", "ID!", "id __typename", ids)
    shown = {(r["__typename"], r["id"]) for r in got if r is not None}
    assert shown == {(t, gid(t, i)) for t in SCORING_TYPES for i in wanted[t]}

    # The lists, unfiltered.
    data = ok(
        gql.execute(
            "{ templates(first: 500) { totalCount edges { node { id owner { code } } } } "
            "cycles(first: 500) { totalCount edges { node { id owner { code } "
            "stateCounts { count } assessments(first: 500) { totalCount edges { node { id } } } "
            "} } } "
            f"assessments(first: 500) {{ totalCount edges {{ node {{ {SCORED} }} }} }} }}"
        )
    )
    responses.append(data)
    for name, type_name in (
        ("templates", "Template"),
        ("cycles", "Cycle"),
        ("assessments", "Assessment"),
    ):
        page = data[name]
        assert {e["node"]["id"] for e in page["edges"]} == {
            gid(type_name, i) for i in wanted[type_name]
        }, name
        assert page["totalCount"] == len(wanted[type_name]), name
    for edge in data["cycles"]["edges"]:
        cycle_id = int(GlobalID.from_id(edge["node"]["id"]).node_id)
        in_cycle = {a for a in wanted["Assessment"] if scoring_rows.cycles[a] == cycle_id}
        nested = edge["node"]["assessments"]
        assert {e["node"]["id"] for e in nested["edges"]} == {
            gid("Assessment", a) for a in in_cycle
        }
        assert nested["totalCount"] == len(in_cycle)
        assert sum(c["count"] for c in edge["node"]["stateCounts"]) == len(in_cycle)

    # What hangs off the visible assessments is exactly what the rule allows, nothing more.
    scored = [e["node"] for e in data["assessments"]["edges"]]
    attachments = {a["id"] for s in scored for e in s["entries"] for a in e["attachments"]}
    assert attachments == {gid("Attachment", i) for i in wanted["Attachment"]}
    assert {c["id"] for s in scored for c in s["spotChecks"]} == {
        gid("SpotCheck", i) for i in wanted["SpotCheck"]
    }
    assert {v["id"] for s in scored for v in s["vetoes"]} == {
        gid("VetoFlag", i) for i in wanted["VetoFlag"]
    }
    assert all(s["history"]["totalCount"] == len(s["history"]["edges"]) > 0 for s in scored)

    # Filters pointing at every cycle, and at forbidden, ancestor and own units.
    cycle_ids = [gid("Cycle", i) for i in sorted(scoring_rows.rows["Cycle"])]
    by_cycle = batched(
        gql, "assessments", "filter", "AssessmentFilter", "totalCount",
        [{"cycleId": c} for c in cycle_ids],
    )  # fmt: skip
    for cycle_id, page in zip(sorted(scoring_rows.rows["Cycle"]), by_cycle, strict=True):
        expected = {a for a in wanted["Assessment"] if scoring_rows.cycles[a] == cycle_id}
        assert page["totalCount"] == len(expected)
    forbidden = {demo.node(c).id for c in FORBIDDEN.get(viewer, [])}
    probes = sorted(forbidden | sight.names | {demo.user(viewer).node_id} | set(sight.full))
    by_subtree = batched(
        gql, "assessments", "filter", "AssessmentFilter", "totalCount edges { node { id } }",
        [{"subtreeOf": gid("Tenant", p)} for p in probes],
    )  # fmt: skip
    responses.append(by_subtree)
    for probe, page in zip(probes, by_subtree, strict=True):
        below = demo.subtree(probe) if probe in sight.nodes else set()
        expected = {
            a for a in wanted["Assessment"] if scoring_rows.rows["Assessment"][a][1] in below
        }
        assert {e["node"]["id"] for e in page["edges"]} == {
            gid("Assessment", a) for a in expected
        }, probe

    # Downloads: the same rule (404 for what the user cannot see).
    for attachment_id, url in scoring_rows.evidence.items():
        status = gql.http.get(url).status_code
        assert status == (200 if attachment_id in wanted["Attachment"] else 404), url
    for template_id in scoring_rows.rows["Template"]:
        status = gql.http.get(f"/files/templates/{gid('Template', template_id)}.xlsx").status_code
        assert status == (200 if template_id in wanted["Template"] else 404)

    # And no forbidden unit or user anywhere in the answers.
    assert codes_in(responses) <= sight.codes(sight.nodes)
    assert not codes_in(responses) & set(FORBIDDEN.get(viewer, []))
    assert usernames_in(responses) <= sight.usernames(sight.users)


def test_the_scoring_oracle_says_what_the_rule_says(shared: Shared):
    demo, scoring_rows = shared.world, shared.scoring
    """So that the sweep above tests the right thing."""
    xjd = scoring_rows.visible("Assessment", demo, "xjd-clerk")
    assert {demo.nodes[scoring_rows.rows["Assessment"][a][1]].code for a in xjd} == {"330402901"}
    nanhu = scoring_rows.visible("Assessment", demo, "nanhu-office")
    nanhu_codes = {demo.nodes[scoring_rows.rows["Assessment"][a][1]].code for a in nanhu}
    assert "330402" in nanhu_codes  # its own county assessment (it submits for Nanhu)
    assert "330402015" in nanhu_codes
    assert "330411" not in nanhu_codes
    assert not scoring_rows.visible("Assessment", demo, "zj-office") & scoring_rows.visible(
        "Assessment", demo, "sc-office"
    )
    templates = scoring_rows.visible("Template", demo, "gy-office")
    assert len(templates) == 1 == len(scoring_rows.rows["Template"]) - 1


def test_anonymous_requests_see_no_scoring_object(shared: Shared):
    scoring_rows, make_gql = shared.scoring, shared.client
    gql = make_gql()
    ids = [gid(t, i) for t in SCORING_TYPES for i in sorted(scoring_rows.rows[t])[:3]]
    assert batched(gql, "node", "id", "ID!", "id", ids) == [None] * len(ids)
    for query in ("{ templates { totalCount } }", "{ cycles { totalCount } }"):
        result = gql.execute(query)
        assert result["data"] is None
        assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert gql.execute("{ assessments { totalCount } }")["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )
    for url in list(scoring_rows.evidence.values())[:3]:
        assert gql.http.get(url).status_code == 401


def test_scoring_mutations_cannot_reach_out_of_sight(
    demo: World, scoring_rows: Scoring, world: Session, make_gql
):
    """A sibling's or another province's assessment, evidence, veto or template is not found."""

    def of_unit(type_name: str, code: str) -> str:
        node_id = demo.node(code).id
        return gid(
            type_name, next(i for i, (_, n) in scoring_rows.rows[type_name].items() if n == node_id)
        )

    def sichuan(type_name: str) -> str:
        sichuan_id = demo.node("510000").customer_id
        return gid(
            type_name,
            next(i for i, (c, _) in scoring_rows.rows[type_name].items() if c == sichuan_id),
        )

    before = Scoring.read(world)
    clerk = signed_in(make_gql, "xjd-clerk")
    sibling = of_unit("Assessment", "330402015")
    cases = [
        (clerk, "saveEntries", "SaveEntriesInput", "assessmentId",
         {"assessmentId": sibling, "expectedVersion": 3, "entries": []}),
        (clerk, "submitAssessment", "SubmitAssessmentInput", "assessmentId",
         {"assessmentId": sibling, "expectedVersion": 3}),
        (clerk, "removeEvidence", "RemoveEvidenceInput", "attachmentId",
         {"attachmentId": of_unit("Attachment", "330402015")}),
        (clerk, "withdrawVeto", "WithdrawVetoInput", "vetoFlagId",
         {"vetoFlagId": of_unit("VetoFlag", "330402015"), "reason": "x"}),
    ]  # fmt: skip
    province = signed_in(make_gql, "zj-office")
    cases += [
        (province, "reviewEntries", "ReviewEntriesInput", "assessmentId",
         {"assessmentId": sichuan("Assessment"), "expectedVersion": 3, "reviews": []}),
        (province, "returnAssessment", "ReturnAssessmentInput", "assessmentId",
         {"assessmentId": sichuan("Assessment"), "expectedVersion": 3, "reason": "x"}),
        (province, "raiseVeto", "RaiseVetoInput", "assessmentId",
         {"assessmentId": sichuan("Assessment"), "ruleCode": "V2", "reason": "x"}),
        (province, "finaliseAssessment", "FinaliseAssessmentInput", "assessmentId",
         {"assessmentId": sichuan("Assessment")}),
        (province, "publishTemplate", "PublishTemplateInput", "id",
         {"id": sichuan("Template"), "expectedVersion": 2}),
        (province, "newTemplateVersion", "NewTemplateVersionInput", "id",
         {"id": sichuan("Template")}),
        (province, "closeCycle", "CloseCycleInput", "cycleId", {"cycleId": sichuan("Cycle")}),
    ]  # fmt: skip
    for gql, name, input_type, field, input_ in cases:
        result = gql.execute(mutation(name, input_type, ""), {"input": input_})
        refused(result, name, field, "NOT_FOUND")
    after = Scoring.read(world)
    assert after.rows == before.rows
