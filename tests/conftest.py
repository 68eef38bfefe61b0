"""Fixtures: every database test runs on SQLite and on PostgreSQL; Redis is the real server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest
from argon2 import PasswordHasher
from redis import Redis
from sqlalchemy import Connection, Engine, Table, event, select, text
from sqlalchemy.orm import Session

from redline import jobs
from redline.app import Runtime, create_app
from redline.config import Settings
from redline.db import Base, insert_rows, make_engine, make_session_factory
from redline.demo.run import load_demo_data
from redline.migrations import upgrade
from tenants.audit import SQLITE_TRIGGERS
from tests.factories.api import GraphQLClient, app_runtime

PG_ADMIN_URL = os.environ.get("REDLINE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
# Each test process (pytest-xdist) empties a Redis database of its own, claimed for the run in
# database 0 (see ``redis_test_url``), so two runs on one machine never empty each other's.
REDIS_SERVER = os.environ.get("REDLINE_TEST_REDIS_SERVER", "redis://127.0.0.1:6379")
REDIS_CLAIM_SECONDS = 3 * 3600
BACKENDS = os.environ.get("REDLINE_TEST_BACKENDS", "sqlite,postgresql").split(",")


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    """Cheap argon2 parameters for tests (production keeps the library's defaults)."""
    import tenants.passwords

    original = tenants.passwords._hasher
    tenants.passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    tenants.passwords._hasher = original


@pytest.fixture(autouse=True)
def no_configured_jobs() -> Iterator[None]:
    """No test inherits another's job broker: outbox rows stay unsent unless a test configures
    one (``runtime``, the jobs tests)."""
    jobs.reset()
    yield
    jobs.reset()


def _create_pg_database() -> tuple[str, str]:
    name = f"redline_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _drop_pg_database(name: str) -> None:
    """Drop a test database in the background: a DROP DATABASE waits for every backend of the
    server to close its files, and one busy elsewhere (a long COPY of another process on this
    machine) can hold it for minutes. Tests go on meanwhile; the run waits for the drops at its
    end (``dropped_databases_at_exit``)."""
    _dropping.append(_dropper.submit(_drop_now, name))


def _drop_now(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_dropper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drop-test-database")
_dropping: list[Future[None]] = []


@pytest.fixture(scope="session", autouse=True)
def dropped_databases_at_exit() -> Iterator[None]:
    """The run's test databases are gone when it ends (their drops are waited for)."""
    yield
    for dropping in _dropping:
        dropping.result()


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """One migrated database per backend for the whole run."""
    urls: dict[str, str] = {}
    created_pg = None
    if "sqlite" in BACKENDS:
        urls["sqlite"] = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    if "postgresql" in BACKENDS:
        created_pg, urls["postgresql"] = _create_pg_database()
    for url in urls.values():
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
    yield urls
    if created_pg:
        _drop_pg_database(created_pg)


_engines: dict[str, Engine] = {}


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def engine(backend: str, database_urls: dict[str, str]) -> Iterator[Engine]:
    """The backend's engine; every table is emptied after the test."""
    if backend not in _engines:
        _engines[backend] = make_engine(database_urls[backend])
    engine = _engines[backend]
    yield engine
    _empty_all_tables(engine)


def _empty_all_tables(engine: Engine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            _empty_postgresql(conn, tables)
        else:
            # The audit log refuses deletes (tenants.audit): lift the refusal to empty it.
            for trigger in SQLITE_TRIGGERS:
                conn.execute(text(f"DROP TRIGGER {trigger}"))
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - our table names
            for create in SQLITE_TRIGGERS.values():
                conn.execute(text(create))


def _empty_postgresql(conn: Connection, tables: list[str]) -> None:
    """What ``TRUNCATE <every table> RESTART IDENTITY CASCADE`` leaves, in a twentieth of its
    time: a TRUNCATE makes new files for every table and index (about 0.35 s for all of them,
    after every test), while a test leaves rows in a handful. Deletes from the tables holding
    rows, with triggers off (the foreign keys' and the audit log's refusal: this session is
    the superuser's), and restarts the tables' sequences that were used."""
    holding = conn.scalars(
        text(
            " UNION ALL ".join(
                f"SELECT '{table}' FROM (SELECT 1 FROM {table} LIMIT 1) AS probe"  # noqa: S608 - our table names
                for table in tables
            )
        )
    ).all()
    used = conn.scalars(
        text(
            "SELECT s.relname FROM pg_class s"
            " JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')"
            " JOIN pg_class t ON t.oid = d.refobjid"
            " JOIN pg_sequences q ON q.schemaname = current_schema() AND q.sequencename = s.relname"
            " WHERE s.relkind = 'S' AND t.relname = ANY(:tables) AND q.last_value IS NOT NULL"
        ),
        {"tables": tables},
    ).all()
    conn.execute(text("SET LOCAL session_replication_role = replica"))
    for table in holding:
        conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - our table names
    for sequence in used:
        conn.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))


@pytest.fixture
def sessions(engine: Engine):
    return make_session_factory(engine)


@pytest.fixture
def session(sessions) -> Iterator[Session]:
    """A system (unscoped) session."""
    with sessions() as s:
        yield s


@pytest.fixture(scope="session")
def redis_test_url() -> Iterator[str]:
    """The URL of a Redis database (1-15) this test process has to itself: the first one no
    other process holds a claim on (a key in database 0 that expires, so a killed run's claim
    goes too). CI beside a developer's run, or two checkouts, never flush each other's jobs."""
    claims = Redis.from_url(f"{REDIS_SERVER}/0")
    token = uuid.uuid4().hex
    for number in range(15, 0, -1):
        key = f"redline-tests:claim:{number}"
        if claims.set(key, token, nx=True, ex=REDIS_CLAIM_SECONDS):
            break
    else:
        claims.close()
        raise RuntimeError(
            "every Redis database 1-15 is claimed by another test run (keys redline-tests:claim:*"
            " in database 0); wait for those runs, or delete the keys of runs that were killed"
        )
    try:
        yield f"{REDIS_SERVER}/{number}"
    finally:
        if claims.get(key) == token.encode():
            claims.delete(key)
        claims.close()


@pytest.fixture
def redis_client(redis_test_url: str) -> Iterator[Redis]:
    """The real Redis server, this process's database, emptied before each test."""
    client = Redis.from_url(redis_test_url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


# The rows the first demo load of this process left, per backend, table by table in the order
# their foreign keys allow: later tests get the same rows (ids, password hashes, the audit
# chain) inserted at once instead of the importer's and the account service's work again.
_demo_rows: dict[str, list[tuple[Table, list[dict[str, Any]]]]] = {}


@pytest.fixture
def world(session: Session, backend: str) -> Session:
    """The demo places (Zhejiang, Sichuan, Liaoning) and the demo users, committed."""
    kept = _demo_rows.get(backend)
    if kept is None:
        load_demo_data(session)
        session.commit()
        _demo_rows[backend] = [
            (table, [dict(row) for row in session.execute(select(table)).mappings()])
            for table in Base.metadata.sorted_tables
        ]
    else:
        _restore(session, kept)
    return session


def _restore(session: Session, kept: list[tuple[Table, list[dict[str, Any]]]]) -> None:
    """Insert the kept rows as they were, then move PostgreSQL's sequences past their ids (the
    inserts name them, so the sequences did not move)."""
    for table, rows in kept:
        if rows:
            insert_rows(session, table, rows)
    if session.get_bind().dialect.name == "postgresql":
        for table, rows in kept:
            if rows and "id" in table.c:
                session.execute(
                    text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
                    {"table": table.name, "last": max(row["id"] for row in rows)},
                )
    session.commit()


@pytest.fixture(scope="module", params=BACKENDS)
def whole_demo(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Session]:
    """The whole demo (places, users, ledgers, assessments) loaded once per test module and
    backend, in a database of its own: loading it takes seconds, so tests share it and only read
    (whatever a test leaves uncommitted is rolled back after it, see ``read_only_demo``)."""
    from redline.demo.assessments import load_demo_assessments
    from redline.demo.ledgers import load_demo_ledgers

    created_pg = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    else:
        created_pg, url = _create_pg_database()
    engine = make_engine(url)
    upgrade(engine)
    attachments = tmp_path_factory.mktemp("demo-attachments")
    with make_session_factory(engine)() as session:
        load_demo_data(session)
        load_demo_ledgers(session, settings=Settings(attachment_dir=attachments))
        load_demo_assessments(session)
        yield session
    engine.dispose()
    if created_pg:
        _drop_pg_database(created_pg)


@pytest.fixture(scope="module")
def served_demo(whole_demo: Session) -> Session:
    """The module's whole demo as `make demo` serves it: notifications sent, every cycle's
    rankings published (tests read it only)."""
    from redline.demo.assessments import publish_demo_rankings
    from redline.demo.notifications import load_demo_notifications

    whole_demo.rollback()
    load_demo_notifications(whole_demo)
    publish_demo_rankings(make_session_factory(whole_demo.get_bind()))
    return whole_demo


@pytest.fixture
def read_only_demo(whole_demo: Session) -> Iterator[Session]:
    """The module's shared demo, for one test that reads it."""
    yield whole_demo
    whole_demo.rollback()


@pytest.fixture
def runtime(
    engine: Engine,
    database_urls: dict[str, str],
    backend: str,
    redis_client: Redis,
    redis_test_url: str,
    tmp_path: Path,
) -> Iterator[Runtime]:
    runtime = app_runtime(
        engine, database_urls[backend], redis_client, redis_test_url, tmp_path / "attachments"
    )
    yield runtime
    runtime.broker.close()


@pytest.fixture
def app(runtime: Runtime):
    app = create_app(runtime)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def gql(app) -> GraphQLClient:
    return GraphQLClient(app.test_client())


@pytest.fixture
def make_gql(app):
    """More clients (several people signed in at once)."""
    return lambda: GraphQLClient(app.test_client())


@pytest.fixture
def statement_counter(engine: Engine):
    """Counts SQL statements sent through the engine while the returned list is active."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    yield statements
    event.remove(engine, "before_cursor_execute", count)


REPO = Path(__file__).resolve().parents[1]
