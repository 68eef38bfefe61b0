"""The second wall: PostgreSQL row-level security under the ``redline_scoped`` role.

Raw SQL, with no ORM criteria and no WHERE at all, run after ``SET LOCAL ROLE redline_scoped`` and
the ``redline.*`` settings of ``TenantScope.settings()``, only reaches the scope's rows; what it
writes must stay in the scope. PostgreSQL only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from psycopg import errors as pg_errors
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from tenants.models import TenantNode, User
from tenants.scope import SCOPED_DB_ROLE, TenantScope, scoped
from tests.factories.tenants import actor, add_traps, expected

TABLES = ("customer", "tenant_node", "app_user", "role_grant", "api_token", "web_session")


@pytest.fixture(autouse=True)
def postgresql_only(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("row-level security is PostgreSQL's")


@pytest.fixture
def demo(world: Session) -> Session:
    """The demo world with the traps of the ORM tests (tests/integration/test_scope.py)."""
    add_traps(world)
    return world


@contextmanager
def as_scoped_role(engine: Engine, settings: dict[str, str] | None) -> Iterator[Connection]:
    """A transaction under the scoped role with these settings (None: none at all)."""
    with engine.connect() as conn, conn.begin() as transaction:
        conn.exec_driver_sql(f"SET LOCAL ROLE {SCOPED_DB_ROLE}")
        for key, value in (settings or {}).items():
            conn.execute(text("SELECT set_config(:k, :v, true)"), {"k": key, "v": value})
        yield conn
        transaction.rollback()


def all_ids(conn: Connection, table: str) -> set[int]:
    return set(conn.exec_driver_sql(f"SELECT id FROM {table}").scalars())  # noqa: S608


@pytest.mark.parametrize(
    "username", ["jx-office", "xjd-clerk", "nanhu-clerk", "nanhu-office", "gy-office"]
)
def test_raw_sql_without_where_reads_only_the_scope(demo: Session, engine: Engine, username: str):
    want = expected(demo, username)
    everything = {t: all_ids(demo.connection(), t) for t in TABLES}
    assert everything["tenant_node"] - want.nodes and everything["web_session"]
    with as_scoped_role(engine, actor(demo, username).scope.settings()) as conn:
        assert conn.exec_driver_sql("SELECT current_user").scalar() == SCOPED_DB_ROLE
        assert all_ids(conn, "customer") == {want.customer_id}
        assert all_ids(conn, "tenant_node") == want.nodes
        assert all_ids(conn, "app_user") == want.users
        assert all_ids(conn, "role_grant") == want.grants
        assert all_ids(conn, "api_token") == want.tokens
        assert all_ids(conn, "web_session") == set()
        # Joins and aggregates see the same rows.
        count = conn.exec_driver_sql(
            "SELECT count(*) FROM app_user u JOIN tenant_node n ON n.id = u.node_id"
        ).scalar()
        assert count == len(want.users)


def test_without_settings_the_scoped_role_sees_nothing(demo: Session, engine: Engine):
    with as_scoped_role(engine, None) as conn:
        for table in TABLES:
            assert all_ids(conn, table) == set(), table
    # A customer alone (no subtree, no nodes) shows its customer row and nothing else.
    zhejiang = demo.scalar(select(TenantNode.customer_id).where(TenantNode.code == "330000"))
    with as_scoped_role(engine, TenantScope(customer_id=zhejiang).settings()) as conn:
        assert all_ids(conn, "customer") == {zhejiang}
        for table in TABLES[1:]:
            assert all_ids(conn, table) == set(), table


def test_the_scoped_orm_session_is_walled_even_without_orm_criteria(
    demo: Session, sessions, statement_counter: list[str]
):
    want = expected(demo, "xjd-clerk")
    scope = actor(demo, "xjd-clerk").scope
    with sessions() as session:
        scoped(session, scope)
        for _ in range(2):  # every transaction of the session, not only the first
            statement_counter.clear()
            assert session.execute(text("SELECT current_user")).scalar() == SCOPED_DB_ROLE
            # The role and the settings cost a transaction one statement, before its first.
            assert len(statement_counter) == 2, statement_counter
            for key, value in scope.settings().items():
                assert (
                    session.execute(text("SELECT current_setting(:k)"), {"k": key}).scalar()
                    == value
                )
            # Plain SQL gets none of the ORM's criteria: only the policies narrow it.
            assert set(session.execute(text("SELECT id FROM tenant_node")).scalars()) == want.nodes
            assert set(session.execute(text("SELECT id FROM app_user")).scalars()) == want.users
            assert session.execute(text("SELECT count(*) FROM web_session")).scalar() == 0
            session.commit()
    with sessions() as session:  # a system session is not walled
        assert session.execute(text("SELECT current_user")).scalar() != SCOPED_DB_ROLE
        sessions_stored = session.execute(text("SELECT count(*) FROM web_session")).scalar()
        assert sessions_stored == session.scalar(select(func.count(User.id))) > 0


def refused(conn: Connection, sql: str, **params) -> None:
    """The statement is rejected by a policy (the transaction goes on after a savepoint)."""
    savepoint = conn.begin_nested()
    with pytest.raises(ProgrammingError) as raised:
        conn.execute(text(sql), params)
    savepoint.rollback()
    assert isinstance(raised.value.orig, pg_errors.InsufficientPrivilege), raised.value


def rowcount(conn: Connection, sql: str, **params) -> int:
    return conn.execute(text(sql), params).rowcount


NEW_NODE = """
INSERT INTO tenant_node (code, name_zh, name_en, level, kind, path, depth, customer_id, parent_id,
                         created_at, updated_at)
VALUES (:code, 'x', 'x', 'county', 'district', :path, 2, :customer, :parent, now(), now())
"""
NEW_USER = """
INSERT INTO app_user (username, display_name, password_hash, is_active, node_id, customer_id,
                      created_at, updated_at)
VALUES (:username, 'x', 'x', true, :node, :customer, now(), now())
"""
NEW_GRANT = """
INSERT INTO role_grant (user_id, role, node_id, customer_id, created_at)
VALUES (:user, 'viewer', :node, :customer, now())
"""
NEW_TOKEN = """
INSERT INTO api_token (user_id, name, prefix, token_hash, customer_id, created_at)
VALUES (:user, 'x', 'x', :hash, :customer, now())
"""


def test_writes_out_of_scope_are_rejected(demo: Session, engine: Engine):
    nodes = {n.code: n for n in demo.scalars(select(TenantNode))}
    users = {u.username: u for u in demo.scalars(select(User))}
    jiaxing, nanhu, hangzhou = nodes["330400"], nodes["330402"], nodes["330100"]
    guangyuan, zhejiang = nodes["510800"], nodes["330000"]
    sichuan, home = guangyuan.customer_id, zhejiang.customer_id
    with as_scoped_role(engine, actor(demo, "jx-office").scope.settings()) as conn:
        # Into another customer, or into its own customer outside its subtree.
        refused(
            conn,
            NEW_NODE,
            code="510899",
            path=guangyuan.path + "510899/",
            customer=sichuan,
            parent=guangyuan.id,
        )
        refused(
            conn,
            NEW_NODE,
            code="330199",
            path=hangzhou.path + "330199/",
            customer=home,
            parent=hangzhou.id,
        )
        refused(conn, NEW_USER, username="intruder", node=guangyuan.id, customer=sichuan)
        refused(conn, NEW_USER, username="intruder", node=hangzhou.id, customer=home)
        refused(conn, NEW_USER, username="intruder", node=nanhu.id, customer=sichuan)
        refused(conn, NEW_GRANT, user=users["gy-office"].id, node=guangyuan.id, customer=sichuan)
        refused(conn, NEW_GRANT, user=users["zj-office"].id, node=zhejiang.id, customer=home)
        refused(conn, NEW_TOKEN, user=users["sc-office"].id, hash="t1", customer=sichuan)
        refused(conn, NEW_TOKEN, user=users["zj-office"].id, hash="t2", customer=home)
        refused(
            conn,
            "INSERT INTO customer (code, name, created_at, updated_at) "
            "VALUES ('999', 'x', now(), now())",
        )
        refused(
            conn,
            "INSERT INTO web_session (user_id, token_hash, csrf_token, created_at, "
            "expires_at) VALUES (:u, 'x', 'x', now(), now())",
            u=users["jx-office"].id,
        )
        # Moving a visible row into another customer or out of the subtree.
        refused(
            conn, "UPDATE tenant_node SET customer_id = :c WHERE id = :i", c=sichuan, i=nanhu.id
        )
        refused(
            conn, "UPDATE app_user SET node_id = :n WHERE username = 'nanhu-office'", n=hangzhou.id
        )
        # Rows out of sight are not there to update or delete (ancestors are names only).
        for table in ("tenant_node", "app_user", "role_grant", "api_token", "customer"):
            condition = "id = :c" if table == "customer" else "customer_id = :c"
            assert rowcount(conn, f"DELETE FROM {table} WHERE {condition}", c=sichuan) == 0  # noqa: S608
        assert (
            rowcount(conn, "UPDATE tenant_node SET name_en = 'x' WHERE customer_id = :c", c=sichuan)
            == 0
        )
        assert (
            rowcount(conn, "UPDATE tenant_node SET name_en = 'x' WHERE id = :i", i=zhejiang.id) == 0
        )
        assert rowcount(conn, "DELETE FROM app_user WHERE username = 'zj-office'") == 0
        assert rowcount(conn, "UPDATE web_session SET csrf_token = 'x'") == 0
        # Without a WHERE: exactly the scope's writable rows.
        writable = expected(demo, "jx-office").writable
        assert rowcount(conn, "UPDATE tenant_node SET name_en = name_en") == len(writable)
        # Inside its subtree it may write (so the refusals above are the policies' doing).
        new = conn.execute(
            text(NEW_NODE + " RETURNING id"),
            {
                "code": "330499",
                "path": jiaxing.path + "330499/",
                "customer": jiaxing.customer_id,
                "parent": jiaxing.id,
            },
        ).scalar()
        conn.execute(
            text(NEW_USER), {"username": "new-clerk", "node": new, "customer": jiaxing.customer_id}
        )
        assert (
            rowcount(conn, "UPDATE tenant_node SET name_en = 'Renamed' WHERE id = :i", i=nanhu.id)
            == 1
        )
    demo.rollback()
    assert demo.scalar(select(TenantNode.name_en).where(TenantNode.code == "330000")) == (
        "Zhejiang Province"
    )


def test_every_table_with_a_customer_id_has_row_level_security(engine: Engine):
    with engine.connect() as conn:
        tables = set(
            conn.exec_driver_sql(
                "SELECT table_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND column_name = 'customer_id'"
            ).scalars()
        )
        assert {"tenant_node", "app_user", "role_grant", "api_token"} <= tables
        tables |= {"customer", "web_session"}
        enabled = dict(
            conn.exec_driver_sql(
                "SELECT relname, relrowsecurity FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'r'"
            ).all()
        )
        assert {t: enabled.get(t) for t in tables} == dict.fromkeys(tables, True)
        with_policy = set(
            conn.exec_driver_sql(
                "SELECT tablename FROM pg_policies WHERE :role = ANY (roles)".replace(
                    ":role", "'redline_scoped'"
                )
            ).scalars()
        )
        # Every customer table has a policy for the scoped role; credentials have none at all;
        # the audit log's chain heads (one per province) have one too.
        assert with_policy == (tables - {"web_session"}) | {"audit_chain"}
        # The schema version is none of the scoped role's business.
        privileges = conn.exec_driver_sql(
            f"SELECT has_table_privilege('{SCOPED_DB_ROLE}', 'alembic_version', 'SELECT, UPDATE')"
        ).scalar()
        assert privileges is False
