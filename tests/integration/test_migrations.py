"""Migrations build exactly the schema the models declare, and go down and up again."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

import redline.migrations.env_models  # noqa: F401 - registers every table
from redline.db import Base, make_engine, make_session_factory
from redline.demo.run import load_demo_data
from redline.migrations import downgrade, upgrade
from scoring.assessments.models import AssessmentState as S
from scoring.rankings.status import publish_rankings
from tests.conftest import BACKENDS, _create_pg_database, _drop_pg_database
from tests.factories.rankings import publish_sample_rankings, set_assessment


def _not_sqlite_province_key(item, name, type_, reflected, compare_to) -> bool:
    """SQLite keeps a table's id as its rowid key and the key with the province, (id,
    customer_id), as a unique constraint beside it (see ProvinceSharded): not an extra."""
    if type_ == "unique_constraint" and reflected and compare_to is None:
        key = Base.metadata.tables[item.table.name].primary_key.columns
        return {column.name for column in item.columns} != {column.name for column in key}
    return True


def test_models_and_migrations_agree(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": _not_sqlite_province_key},
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"the models differ from the migrations: write a migration: {diff}"


@pytest.fixture(params=BACKENDS)
def fresh_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
    else:
        name, url = _create_pg_database()
        yield url
        _drop_pg_database(name)


def test_downgrade_to_nothing_and_upgrade_again(fresh_url):
    engine = make_engine(fresh_url)
    upgrade(engine)
    assert "tenant_node" in inspect(engine).get_table_names()
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert {"customer", "tenant_node", "app_user", "role_grant", "api_token", "web_session"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()


def test_enterprises_arrive_on_a_database_with_units_and_leave_as_affiliated_units(fresh_url):
    """0010 widens the kind check of tenant_node, which SQLite can only do by rebuilding the
    table that every other table refers to: units, their children and what refers to them stay."""
    engine = make_engine(fresh_url)
    upgrade(engine, "0009")
    now = "2026-01-01 00:00:00+00:00"
    node = (
        "INSERT INTO tenant_node (id, parent_id, code, name_zh, name_en, level, kind, path, depth,"
        " customer_id, created_at, updated_at) VALUES (:id, :parent, :code, :code, :code,"
        " 'county', :kind, :path, :depth, 1, :now, :now)"
    )
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO customer (id, code, name, created_at, updated_at)"
                " VALUES (1, 'zj', 'zj', :now, :now)"
            ),
            {"now": now},
        )
        db.execute(
            text(node.replace("'county'", "'province'")),
            {
                "id": 1,
                "parent": None,
                "code": "330000",
                "kind": "province",
                "path": "/330000/",
                "depth": 0,
                "now": now,
            },
        )
        db.execute(
            text(node.replace("'county'", "'province'")),
            {
                "id": 2,
                "parent": 1,
                "code": "330000-QY",
                "kind": "affiliated_unit",
                "path": "/330000/330000-QY/",
                "depth": 1,
                "now": now,
            },
        )
    upgrade(engine)
    with engine.begin() as db:
        db.execute(
            text(node.replace("'county'", "'province'")),
            {
                "id": 3,
                "parent": 1,
                "code": "330000-QY-2",
                "kind": "enterprise",
                "path": "/330000/330000-QY-2/",
                "depth": 1,
                "now": now,
            },
        )
        # The check still refuses what is no kind.
        with pytest.raises(IntegrityError), db.begin_nested():
            db.execute(text("UPDATE tenant_node SET kind = 'shop' WHERE id = 3"))
    with engine.connect() as db:
        kinds = db.execute(text("SELECT id, parent_id, kind FROM tenant_node ORDER BY id")).all()
        assert kinds == [(1, None, "province"), (2, 1, "affiliated_unit"), (3, 1, "enterprise")]
        if engine.dialect.name == "sqlite":  # foreign keys are on again, and hold
            assert db.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert db.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    downgrade(engine, "0009")
    with engine.connect() as db:
        assert db.execute(text("SELECT kind FROM tenant_node WHERE id = 3")).scalar() == (
            "affiliated_unit"
        )
    engine.dispose()


@pytest.mark.skipif("postgresql" not in BACKENDS, reason="roles are PostgreSQL's")
@pytest.mark.parametrize("role_exists", [False, True], ids=["create-race", "grant-race"])
def test_two_migrations_creating_the_scoped_role_at_once_both_succeed(role_exists):
    """Roles are cluster-wide: two deployments (or two test processes) migrating two databases
    at once both find the role missing and both create it and grant it. Here two transactions
    overlap exactly so: the second waits on the first's new row, then must not fail (the role
    exists but is not yet granted: the GRANTs race instead)."""
    import threading
    import uuid

    import psycopg

    from redline.migrations.rls import ensure_role
    from tests.conftest import PG_ADMIN_URL

    role = f"redline_race_{uuid.uuid4().hex[:8]}"
    if role_exists:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"CREATE ROLE {role} NOLOGIN")
    first_done = threading.Event()
    failures: list[BaseException] = []

    def migrate(hold: bool) -> None:
        try:
            with psycopg.connect(PG_ADMIN_URL) as conn:
                conn.execute(ensure_role(role))
                if hold:  # the second starts while this one's role is uncommitted
                    first_done.set()
                    threading.Event().wait(0.5)
                conn.commit()
        except BaseException as exc:
            failures.append(exc)
            first_done.set()

    try:
        first = threading.Thread(target=migrate, args=(True,))
        first.start()
        first_done.wait(10)
        second = threading.Thread(target=migrate, args=(False,))
        second.start()
        first.join(30)
        second.join(30)
        assert failures == []
        with psycopg.connect(PG_ADMIN_URL) as conn:
            member = conn.execute(
                "SELECT pg_has_role(current_user, %s, 'MEMBER')", (role,)
            ).fetchone()
        assert member == (True,)
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP ROLE IF EXISTS {role}")


def test_code_spaces_are_checked_before_the_upgrade_goes_on(fresh_url):
    """0017 changes no table: it stops the upgrade, naming them, while units have codes outside
    their province's code space (or provinces share one), and goes on once they are fixed."""
    engine = make_engine(fresh_url)
    upgrade(engine, "0016")
    now = "2026-01-01 00:00:00+00:00"
    rows = [
        (1, None, "330000", "province", "/330000/", 0),
        (2, 1, "330400", "city", "/330000/330400/", 1),
        (3, 1, "YJT", "department", "/330000/YJT/", 1),
        (4, None, "33-B", "province", "/33-B/", 0),
    ]
    with engine.begin() as db:
        for customer in (1, 2):
            db.execute(
                text(
                    "INSERT INTO customer (id, code, name, created_at, updated_at)"
                    " VALUES (:id, :code, :code, :now, :now)"
                ),
                {"id": customer, "code": f"c{customer}", "now": now},
            )
        for id_, parent, code, kind, path, depth in rows:
            db.execute(
                text(
                    "INSERT INTO tenant_node (id, parent_id, code, name_zh, name_en, level, kind,"
                    " path, depth, customer_id, created_at, updated_at) VALUES (:id, :parent,"
                    " :code, :code, :code, :level, :kind, :path, :depth, :customer, :now, :now)"
                ),
                {
                    "id": id_,
                    "parent": parent,
                    "code": code,
                    "level": "city" if kind == "city" else "province",
                    "kind": kind,
                    "path": path,
                    "depth": depth,
                    "customer": 2 if id_ == 4 else 1,
                    "now": now,
                },
            )
    with pytest.raises(RuntimeError) as caught:
        upgrade(engine, "0017")
    assert "unit YJT (/330000/YJT/)" in str(caught.value)
    assert "provinces 33-B and 330000 share the code space '33'" in str(caught.value)
    assert "330400" not in str(caught.value)
    with engine.begin() as db:
        db.execute(
            text("UPDATE tenant_node SET code = '33-YJT', path = '/330000/33-YJT/' WHERE id = 3")
        )
        db.execute(text("UPDATE tenant_node SET code = '44-B', path = '/44-B/' WHERE id = 4"))
    upgrade(engine, "0017")
    engine.dispose()


# Each snapshot's cells as plain values: (version, node, item, state, points, percent, counted).
SHARED_CELLS = (
    "SELECT s.version, c.node_id, c.item_id, c.state, c.points, c.percent, c.counted"
    " FROM ranking_cell c JOIN ranking_snapshot s ON s.cycle_id = c.cycle_id"
    " AND c.valid_from <= s.version AND (c.valid_to IS NULL OR c.valid_to > s.version)"
)
COPIED_CELLS = (
    "SELECT s.version, c.node_id, c.item_id, c.state, c.points, c.percent, c.counted"
    " FROM ranking_cell c JOIN ranking_snapshot s ON s.id = c.snapshot_id"
)


def test_ranking_cells_go_down_to_a_copy_per_snapshot_and_up_to_shared_ones(fresh_url):
    """0020 shares a cycle's cells between its snapshots: down, every snapshot gets its own
    copy of the cells it read; up again, every snapshot reads those same cells."""
    engine = make_engine(fresh_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    with sessions() as session:
        load_demo_data(session)
        session.commit()
        _, cycle, _ = publish_sample_rankings(session, sessions)
        left = set_assessment(session, cycle, "330402007", S.RETURNED, "92", "95", "excellent")
        session.commit()
        publish_rankings(sessions, cycle.id, force=True)  # 2: without the returned unit
        set_assessment(session, cycle, "330402007", S.REVIEWED, "92", "95", "excellent")
        session.commit()
        publish_rankings(sessions, cycle.id, force=True)  # 3: with it again
        left_node = left.node_id
    with engine.connect() as db:
        shared = set(db.execute(text(SHARED_CELLS)).tuples())
    versions = {row[0] for row in shared}
    assert {1, 2, 3} <= versions
    assert {row[1] for row in shared if row[0] == 2} and left_node not in {
        row[1] for row in shared if row[0] == 2
    }
    downgrade(engine, "0019")
    with engine.connect() as db:
        assert set(db.execute(text(COPIED_CELLS)).tuples()) == shared
    upgrade(engine)
    with engine.connect() as db:
        assert set(db.execute(text(SHARED_CELLS)).tuples()) == shared
    engine.dispose()
