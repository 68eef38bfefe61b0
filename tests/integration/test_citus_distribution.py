"""The committed distribution DDL spreads the migrated PostgreSQL schema as Citus would accept
it: run by psql against a database with stand-ins for Citus's functions that refuse what
Citus refuses (tests/fixtures/citus_checks.sql)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

import redline.migrations.env_models  # noqa: F401 - every table
from redline.db import Base, make_engine
from redline.migrations import upgrade
from redline.sharding import shard_column
from tests.conftest import BACKENDS, _create_pg_database, _drop_pg_database

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTE = ROOT / "platform" / "citus" / "distribute.sql"
CHECKS = ROOT / "tests" / "fixtures" / "citus_checks.sql"

pytestmark = pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL only")


@pytest.fixture
def migrated():
    name, url = _create_pg_database()
    engine = make_engine(url)
    upgrade(engine)
    yield url, engine
    engine.dispose()
    _drop_pg_database(name)


def _psql(url: str, *scripts: Path, before: str = "") -> subprocess.CompletedProcess[str]:
    command = ["psql", url.replace("+psycopg", ""), "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    if before:
        command += ["-c", before]
    for script in scripts:
        command += ["-f", str(script)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_every_table_is_placed_as_the_models_declare(migrated):
    url, engine = migrated
    done = _psql(url, CHECKS, DISTRIBUTE)
    assert done.returncode == 0, done.stderr
    with engine.connect() as connection:
        placed = {
            table: column
            for table, column in connection.execute(
                text("SELECT placed::text, shard_column FROM citus_check_placement")
            )
        }
        tables = set(inspect(connection).get_table_names()) - {
            "alembic_version",  # the migrations' own mark stays on the coordinator
            "citus_check_placement",
        }
    assert set(placed) == tables
    assert placed == {name: shard_column(table) for name, table in Base.metadata.tables.items()}


@pytest.mark.parametrize(
    ("breakage", "refusal"),
    [
        (
            "ALTER TABLE notification DROP CONSTRAINT pk_notification;"
            " ALTER TABLE notification ADD CONSTRAINT pk_notification PRIMARY KEY (id)",
            "unique index pk_notification of notification does not include the distribution"
            " column customer_id",
        ),
        (
            "ALTER TABLE api_token ADD COLUMN job_run_id integer;"
            " ALTER TABLE api_token ADD FOREIGN KEY (job_run_id, customer_id)"
            " REFERENCES job_run (id, customer_id)",
            "api_token points at job_run",
        ),
        (
            "ALTER TABLE veto_flag DROP CONSTRAINT fk_veto_flag_rule_id_veto_rule;"
            " ALTER TABLE veto_rule ADD UNIQUE (id, customer_id, code);"
            " ALTER TABLE veto_flag ADD COLUMN code varchar(40);"
            " ALTER TABLE veto_flag ADD FOREIGN KEY (rule_id, node_id, code)"
            " REFERENCES veto_rule (id, customer_id, code)",
            "key veto_flag_rule_id_node_id_code_fkey of veto_flag does not include the"
            " distribution column customer_id",
        ),
    ],
    ids=["key without the province", "reference to sharded", "key pairing the wrong columns"],
)
def test_the_stand_ins_refuse_what_citus_refuses(migrated, breakage, refusal):
    url, _ = migrated
    done = _psql(url, CHECKS, DISTRIBUTE, before=breakage)
    assert done.returncode != 0
    assert refusal in done.stderr
