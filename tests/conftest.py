"""Fixtures: every database test runs on SQLite and on PostgreSQL; Redis is the real server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from argon2 import PasswordHasher
from redis import Redis
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from redline import jobs
from redline.app import Runtime, build_runtime, create_app
from redline.config import Settings
from redline.db import Base, make_engine, make_session_factory
from redline.demo.run import load_demo_data
from redline.migrations import upgrade

PG_ADMIN_URL = os.environ.get("REDLINE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
# Tests run in parallel processes (pytest-xdist): each process empties a Redis database of its
# own, 15 for the first, 14 for the next, and so on.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_TEST_URL = os.environ.get("REDLINE_TEST_REDIS", f"redis://127.0.0.1:6379/{15 - _WORKER}")
BACKENDS = os.environ.get("REDLINE_TEST_BACKENDS", "sqlite,postgresql").split(",")


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing() -> Iterator[None]:
    """Cheap argon2 parameters for tests (production keeps the library's defaults)."""
    import tenants.auth

    original = tenants.auth._hasher
    tenants.auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    tenants.auth._hasher = original


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
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - our table names


@pytest.fixture
def sessions(engine: Engine):
    return make_session_factory(engine)


@pytest.fixture
def session(sessions) -> Iterator[Session]:
    """A system (unscoped) session."""
    with sessions() as s:
        yield s


@pytest.fixture
def redis_client() -> Iterator[Redis]:
    """The real Redis server, database 15, emptied before each test."""
    client = Redis.from_url(REDIS_TEST_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def world(session: Session) -> Session:
    """The demo places (Zhejiang, Sichuan, Liaoning) and the demo users."""
    load_demo_data(session)
    return session


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
    tmp_path: Path,
) -> Iterator[Runtime]:
    # A long first sign-in delay, so throttling tests cannot outlast it on a slow machine;
    # evidence files in the test's own folder, never the checkout's instance/.
    settings = Settings(
        database_url=database_urls[backend],
        redis_url=REDIS_TEST_URL,
        signin_first_delay_seconds=60,
        attachment_dir=tmp_path / "attachments",
    )
    runtime = build_runtime(settings, redis=redis_client, broker=jobs.stub_broker(), engine=engine)
    yield runtime
    runtime.broker.close()


@pytest.fixture
def app(runtime: Runtime):
    app = create_app(runtime)
    app.config["TESTING"] = True
    return app


class GraphQLClient:
    """Posts GraphQL operations like a browser would: cookie session plus the CSRF header."""

    def __init__(self, flask_client: Any) -> None:
        self.http = flask_client
        self.csrf_token: str | None = None
        self.bearer: str | None = None
        self.last_response: Any = None

    def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        all_headers = {}
        if self.csrf_token:
            all_headers["X-CSRF-Token"] = self.csrf_token
        if self.bearer:
            all_headers["Authorization"] = f"Bearer {self.bearer}"
        all_headers.update(headers or {})
        response = self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=all_headers
        )
        self.last_response = response
        assert response.status_code == 200, response.data
        return response.get_json()

    def sign_in(self, username: str, password: str = "redline-demo") -> dict[str, Any]:
        result = self.execute(SIGN_IN, {"username": username, "password": password})
        payload = result["data"]["signIn"]
        if payload["viewer"]:
            self.csrf_token = payload["viewer"]["csrfToken"]
        return payload


SIGN_IN = """
mutation SignIn($username: String!, $password: String!) {
  signIn(input: {username: $username, password: $password}) {
    viewer { csrfToken user { id username node { code } } }
    errors { field message code }
  }
}
"""


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


@pytest.fixture
def max_row_lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sheets whose ``max_row`` openpyxl was asked for while the test ran (it looks at every
    cell: asked per cell, an export grows with the square of its rows)."""
    from openpyxl.worksheet.worksheet import Worksheet

    asked: list[str] = []
    last_row = Worksheet.max_row

    def counted(sheet: Worksheet) -> int:
        asked.append(sheet.title)
        return last_row.fget(sheet)

    monkeypatch.setattr(Worksheet, "max_row", property(counted))
    return asked


REPO = Path(__file__).resolve().parents[1]
