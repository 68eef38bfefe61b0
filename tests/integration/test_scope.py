"""The ORM wall: a session marked with ``scoped()`` only reads, updates and deletes in-scope rows.

Expected rows are worked out from the demo data by walking ``parent_id`` links (not paths, not
``TenantScope``), so a wrong criterion in the scope fails here. Both backends: on PostgreSQL the
row-level-security policies stand behind this wall too (tests/integration/test_row_level_security.py
checks them on their own).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, aliased

from redline.db import utcnow
from tenants.models import (
    ApiToken,
    Customer,
    RoleGrant,
    TenantKind,
    TenantLevel,
    TenantNode,
    User,
    WebSession,
)
from tenants.scope import ScopeViolation, TenantScope, scoped
from tests.factories.tenants import actor, add_traps, expected

# A district assessor (its siblings, the traps, hidden), a submitter on the same district (its
# townships hidden too), a city viewer of another province.
ACTORS = ["nanhu-office", "nanhu-clerk", "gy-office"]


@pytest.fixture
def demo(world: Session) -> Session:
    """The demo world with the traps."""
    add_traps(world)
    return world


@contextmanager
def acting(sessions, scope: TenantScope) -> Iterator[Session]:
    with sessions() as session:
        yield scoped(session, scope)


def ids(session: Session, cls: type) -> set[int]:
    return set(session.scalars(select(cls.id)))


def test_select_and_get_return_only_rows_in_scope(demo: Session, sessions):
    for username in ACTORS:
        check_select_and_get(demo, sessions, username)


def check_select_and_get(demo: Session, sessions, username: str) -> None:
    want = expected(demo, username)
    everything = {cls: ids(demo, cls) for cls in (TenantNode, User, RoleGrant, ApiToken, Customer)}
    assert everything[TenantNode] - want.nodes, "the demo has rows out of every scope"
    scope = actor(demo, username).scope
    with acting(sessions, scope) as session:
        assert ids(session, TenantNode) == want.nodes, username
        assert ids(session, User) == want.users, username
        assert ids(session, RoleGrant) == want.grants
        assert ids(session, ApiToken) == want.tokens
        assert ids(session, Customer) == {want.customer_id}
        assert ids(session, WebSession) == set()
        assert session.scalar(select(func.count()).select_from(TenantNode)) == len(want.nodes)
    # session.get: a fresh session per class, so no object comes from the identity map.
    for cls, visible in (
        (TenantNode, want.nodes),
        (User, want.users),
        (RoleGrant, want.grants),
        (ApiToken, want.tokens),
        (Customer, {want.customer_id}),
    ):
        with acting(sessions, scope) as session:
            found = {i for i in everything[cls] if session.get(cls, i) is not None}
        assert found == visible, (username, cls)


def test_joins_subqueries_and_aliases_stay_in_scope(demo: Session, sessions):
    for username in ("jx-office", "xjd-clerk", "nanhu-office"):
        check_joins(demo, sessions, username)


def check_joins(demo: Session, sessions, username: str) -> None:
    want = expected(demo, username)
    nodes = {n.id: n for n in demo.scalars(select(TenantNode))}
    users = {u.id: u for u in demo.scalars(select(User))}
    scope = actor(demo, username).scope
    with acting(sessions, scope) as session:
        # Joins on explicit conditions (no relationship), both sides narrowed.
        pairs = set(
            session.execute(
                select(User.id, TenantNode.id).join(TenantNode, TenantNode.id == User.node_id)
            ).all()
        )
        assert pairs == {(u, users[u].node_id) for u in want.users}
        crossing = select(User.id, TenantNode.id).join(TenantNode, TenantNode.id != User.node_id)
        assert {n for _, n in session.execute(crossing)} <= want.nodes
        assert {u for u, _ in session.execute(crossing)} <= want.users
        other_customer = select(TenantNode.id).join(Customer, Customer.id != TenantNode.customer_id)
        assert session.execute(other_customer).all() == []
        grants = (
            select(RoleGrant.id, User.id, TenantNode.id)
            .join(User, User.id == RoleGrant.user_id)
            .join(TenantNode, TenantNode.id == RoleGrant.node_id)
        )
        assert {g for g, _, _ in session.execute(grants)} == want.grants

        # Aliases, in joins and alone: a parent join only pairs visible nodes.
        parent = aliased(TenantNode)
        pairs = set(
            session.execute(
                select(TenantNode.id, parent.id).join(parent, parent.id == TenantNode.parent_id)
            ).all()
        )
        assert pairs == {
            (n, nodes[n].parent_id) for n in want.nodes if nodes[n].parent_id in want.nodes
        }
        outer = dict(
            session.execute(
                select(TenantNode.id, parent.code).outerjoin(
                    parent, parent.id == TenantNode.parent_id
                )
            ).all()
        )
        assert set(outer) == want.nodes
        for node_id, parent_code in outer.items():
            parent_id = nodes[node_id].parent_id
            assert parent_code == (nodes[parent_id].code if parent_id in want.nodes else None)
        assert set(session.scalars(select(parent.id))) == want.nodes
        owner, home = aliased(User), aliased(TenantNode)
        rows = session.execute(select(owner.id, home.id).join(home, home.id == owner.node_id))
        assert {u for u, _ in rows} == want.users
        sub = select(TenantNode).where(TenantNode.level != TenantLevel.PROVINCE).subquery()
        in_sub = aliased(TenantNode, sub)
        assert set(session.scalars(select(in_sub.id))) == {
            n for n in want.nodes if nodes[n].level is not TenantLevel.PROVINCE
        }

        # Subqueries: counts, IN, EXISTS and scalar subqueries see the scope too.
        count = select(func.count()).select_from(select(TenantNode).subquery())
        assert session.scalar(count) == len(want.nodes)
        assert session.scalar(select(select(func.count(User.id)).scalar_subquery())) == len(
            want.users
        )
        sichuan = select(TenantNode.id).where(TenantNode.code.in_(["510000", "510800"]))
        assert session.scalars(select(User.id).where(User.node_id.in_(sichuan))).all() == []
        assert session.scalar(select(sichuan.exists())) is False
        by_code = {n.code: n.id for n in nodes.values()}
        hidden = [c for c, i in by_code.items() if i not in want.nodes]
        assert (
            session.scalars(select(TenantNode.code).where(TenantNode.code.in_(hidden))).all() == []
        )


def test_the_same_statement_under_other_scopes_sees_other_rows(demo: Session, sessions):
    """Compiled statements are cached: the scope's values must be bound per execution."""
    parent = aliased(TenantNode)
    statements = [
        select(TenantNode.id),
        select(parent.id),
        select(TenantNode.id, parent.id).join(parent, parent.id == TenantNode.parent_id),
        select(User.id).join(TenantNode, TenantNode.id == User.node_id),
        select(RoleGrant.id),
        select(ApiToken.id),
    ]
    wants = {u: expected(demo, u) for u in ("zj-office", "gy-office", "xjd-clerk", "jx-office")}
    scopes = {u: actor(demo, u).scope for u in wants}
    for _ in range(2):
        for username, want in wants.items():
            with acting(sessions, scopes[username]) as session:
                got = [{row[0] for row in session.execute(s)} for s in statements]
            assert got[0] == got[1] == want.nodes, username
            assert got[2] <= want.nodes
            assert got[3] == want.users
            assert got[4] == want.grants
            assert got[5] == want.tokens


@pytest.mark.parametrize("username", ["jx-office", "xjd-clerk"])
def test_bulk_update_and_delete_touch_only_writable_rows(demo: Session, sessions, username: str):
    want = expected(demo, username)
    names_before = dict(demo.execute(select(TenantNode.id, TenantNode.name_en)).all())
    users_before = dict(demo.execute(select(User.id, User.display_name)).all())
    grants_before, tokens_before = ids(demo, RoleGrant), ids(demo, ApiToken)
    out_of_reach = ids(demo, TenantNode) - want.writable  # other provinces, siblings, ancestors
    with acting(sessions, actor(demo, username).scope) as session:
        # No WHERE at all: every row the scope may write, no other.
        renamed = session.execute(
            update(TenantNode)
            .values(name_en=TenantNode.name_en + " (renamed)")
            .execution_options(synchronize_session=False)
        )
        assert renamed.rowcount == len(want.writable)
        renamed = session.execute(
            update(User).values(display_name="renamed").execution_options(synchronize_session=False)
        )
        assert renamed.rowcount == len(want.users)
        # Aimed at rows out of reach: nothing.
        aimed = session.execute(
            update(TenantNode)
            .where(TenantNode.id.in_(out_of_reach))
            .values(name_en="mine")
            .execution_options(synchronize_session="fetch")
        )
        assert aimed.rowcount == 0
        aimed = session.execute(delete(TenantNode).where(TenantNode.id.in_(out_of_reach)))
        assert aimed.rowcount == 0
        others = delete(RoleGrant).where(RoleGrant.customer_id != want.customer_id)
        assert session.execute(others).rowcount == 0
        # Deletes without a WHERE.
        assert session.execute(delete(ApiToken)).rowcount == len(want.tokens)
        assert session.execute(delete(RoleGrant)).rowcount == len(want.grants)
        session.commit()
    demo.rollback()
    names_after = dict(demo.execute(select(TenantNode.id, TenantNode.name_en)).all())
    changed = {i for i in names_after if names_after[i] != names_before[i]}
    assert changed == want.writable
    assert all(names_after[i] == names_before[i] + " (renamed)" for i in changed)
    users_after = dict(demo.execute(select(User.id, User.display_name)).all())
    assert {u for u in users_after if users_after[u] != users_before[u]} == want.users
    assert ids(demo, TenantNode) == set(names_before)
    assert ids(demo, RoleGrant) == grants_before - want.grants
    assert ids(demo, ApiToken) == tokens_before - want.tokens


def test_a_scoped_session_cannot_write_rows_out_of_scope(demo: Session, sessions):
    jiaxing = demo.scalar(select(TenantNode).where(TenantNode.code == "330400"))
    guangyuan = demo.scalar(select(TenantNode).where(TenantNode.code == "510800"))
    hangzhou = demo.scalar(select(TenantNode).where(TenantNode.code == "330100"))
    sichuan = guangyuan.customer_id
    jx_office = demo.scalar(select(User.id).where(User.username == "jx-office"))
    scope = actor(demo, "jx-office").scope

    def node_under(parent: TenantNode, code: str) -> TenantNode:
        return TenantNode(
            customer_id=parent.customer_id,
            parent_id=parent.id,
            code=code,
            name_zh="新",
            name_en="New",
            level=TenantLevel.COUNTY,
            kind=TenantKind.DISTRICT,
            path=f"{parent.path}{code}/",
            depth=2,
        )

    def user_at(node: TenantNode, username: str) -> User:
        return User(
            customer_id=node.customer_id,
            node_id=node.id,
            username=username,
            display_name="x",
            password_hash="x",
        )

    attempts = [
        node_under(guangyuan, "510899"),  # another province
        node_under(hangzhou, "330199"),  # its own province, outside its subtree
        user_at(guangyuan, "sc-intruder"),
        user_at(hangzhou, "hz-intruder"),
        User(
            customer_id=sichuan,
            node_id=jiaxing.id,
            username="mixed",
            display_name="x",
            password_hash="x",
        ),
        Customer(code="999999", name="Another province"),
        WebSession(user_id=jx_office, token_hash="forged", csrf_token="c", expires_at=utcnow()),
    ]
    for row in attempts:
        with acting(sessions, scope) as session:
            session.add(row)
            with pytest.raises(ScopeViolation):
                session.flush()
    # Changing a visible row into another customer, or renaming an ancestor, is refused too.
    with acting(sessions, scope) as session:
        session.get_one(TenantNode, jiaxing.id).customer_id = sichuan
        with pytest.raises(ScopeViolation):
            session.flush()
    with acting(sessions, scope) as session:
        zhejiang = session.scalar(select(TenantNode).where(TenantNode.code == "330000"))
        zhejiang.name_en = "Renamed"
        with pytest.raises(ScopeViolation):
            session.flush()
    # Inside its subtree it may.
    with acting(sessions, scope) as session:
        node = node_under(jiaxing, "330499")
        session.add(node)
        session.flush()
        session.add(user_at(node, "new-clerk"))
        session.commit()
    demo.rollback()
    assert demo.scalar(select(User.node_id).where(User.username == "new-clerk")) is not None


def test_the_scope_must_be_set_before_the_first_query(sessions):
    with sessions() as session:
        session.execute(select(TenantNode.id)).all()
        with pytest.raises(RuntimeError):
            scoped(session, TenantScope.nothing())


def test_node_visible_agrees_with_node_criteria_for_every_node(demo: Session, sessions):
    nodes = demo.scalars(select(TenantNode)).all()
    by_code = {n.code: n for n in nodes}
    usernames = demo.scalars(select(User.username)).all()
    scopes = [actor(demo, u).scope for u in usernames]
    scopes += [
        TenantScope.nothing(),
        # Several subtrees, hyphenated codes, and ids of another customer (which stay hidden).
        TenantScope(
            customer_id=by_code["330000"].customer_id,
            subtree_paths=(by_code["330000-ZRZYT"].path, by_code["330402"].path),
            own_node_ids=(by_code["330100"].id, by_code["510800"].id),
            ancestor_ids=(by_code["330000"].id, by_code["210000"].id),
        ),
        TenantScope(
            customer_id=by_code["510000"].customer_id, subtree_paths=(by_code["330400"].path,)
        ),
    ]
    for scope in scopes:
        by_criteria = set(demo.scalars(select(TenantNode.id).where(scope.node_criteria())))
        by_python = {n.id for n in nodes if scope.node_visible(n)}
        assert by_criteria == by_python, scope
        writable = set(
            demo.scalars(select(TenantNode.id).where(scope.node_criteria(with_ancestors=False)))
        )
        assert writable == {n.id for n in nodes if scope.node_writable(n)}, scope
        assert set(demo.scalars(scope.node_ids())) == by_python
        with acting(sessions, scope) as session:
            assert ids(session, TenantNode) == by_python, scope
    # An anonymous request's scope reads nothing at all.
    with acting(sessions, TenantScope.nothing()) as session:
        for cls in (TenantNode, User, RoleGrant, ApiToken, Customer, WebSession):
            assert ids(session, cls) == set(), cls
        assert session.get(TenantNode, nodes[0].id) is None
    # And for the demo users, what the oracle says.
    for username in usernames:
        scope = actor(demo, username).scope
        assert {n.id for n in nodes if scope.node_visible(n)} == expected(demo, username).nodes
