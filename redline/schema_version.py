"""The schema's migration revision: the one the database is at, and the newest this code knows
(what its models expect); a process is ready for traffic only when they are the same."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, column, inspect, select, table

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"  # where Alembic keeps the revision a database is at


@cache
def head_revision() -> str:
    """The newest migration of this code (read from the migration scripts, not imported)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:
        raise RuntimeError(f"no migration in {MIGRATIONS}")
    return head


def current_revision(connection: Connection) -> str | None:
    """The migration the database on ``connection`` is at (None: never migrated). Read from
    Alembic's table directly: Alembic's own reader logs two lines each time, and a readiness
    probe asks every few seconds."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(
        select(column("version_num")).select_from(table(VERSION_TABLE))
    ).scalar()
