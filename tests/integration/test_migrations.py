"""Migrations build exactly the schema the models declare, and go down and up again."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import redline.migrations.env_models  # noqa: F401 - registers every table
from redline.db import Base, make_engine
from redline.migrations import downgrade, upgrade
from tests.conftest import BACKENDS, _create_pg_database, _drop_pg_database


def test_models_and_migrations_agree(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
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
