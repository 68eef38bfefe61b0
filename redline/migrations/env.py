"""Alembic environment: runs migrations on the engine handed over by redline.migrations."""

from __future__ import annotations

from alembic import context

# Imported to register their tables on the metadata:
import tenants.models  # noqa: F401
from redline.db import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
