"""The schema keeps what sharding by province needs (redline.sharding), and the committed
distribution DDL is the one the models make."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import (
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

import redline.migrations.env_models  # noqa: F401 - every table
from redline.db import Base
from redline.sharding import REFERENCE_TABLES, broken_rules, distribution_ddl, shard_column

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTE = ROOT / "platform" / "citus" / "distribute.sql"


def test_every_table_of_the_models_keeps_the_rules():
    assert broken_rules(Base.metadata) == []


def test_every_table_is_sharded_by_province_or_copied_for_a_stated_reason():
    sharded = {name for name, table in Base.metadata.tables.items() if shard_column(table)}
    assert set(REFERENCE_TABLES) <= set(Base.metadata.tables)
    assert all(REFERENCE_TABLES.values())
    assert {"assessment", "assessment_entry", "item_score", "ranking_row"} <= sharded
    assert shard_column(Base.metadata.tables["audit_entry"]) == "chain"


def test_the_committed_distribution_ddl_is_the_one_the_models_make():
    assert DISTRIBUTE.read_text(encoding="utf-8") == distribution_ddl(Base.metadata), (
        "platform/citus/distribute.sql is stale: run "
        "`redline citus-ddl --output platform/citus/distribute.sql`"
    )


def test_the_command_sees_every_table():
    done = subprocess.run(
        [sys.executable, "-m", "redline.cli", "citus-ddl"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.stdout == DISTRIBUTE.read_text(encoding="utf-8")


def _sharded(metadata: MetaData, name: str, *extra, key=("id", "customer_id")) -> Table:
    columns = [
        Column("id", Integer, primary_key="id" in key),
        Column("customer_id", Integer, nullable=False, primary_key="customer_id" in key),
    ]
    return Table(name, metadata, *columns, *extra)


@pytest.fixture
def metadata() -> MetaData:
    metadata = MetaData()
    Table("customer", metadata, Column("id", Integer, primary_key=True))
    Table(
        "tenant_node",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("customer_id", ForeignKey("customer.id")),
    )
    _sharded(metadata, "cycle", Column("code", String(20)))
    return metadata


def test_a_sound_table_breaks_nothing(metadata):
    _sharded(
        metadata,
        "assessment",
        Column("cycle_id", Integer),
        Column("node_id", ForeignKey("tenant_node.id")),
        ForeignKeyConstraint(["cycle_id", "customer_id"], ["cycle.id", "cycle.customer_id"]),
        UniqueConstraint("cycle_id", "node_id", "customer_id"),
    )
    assert broken_rules(metadata) == []


@pytest.mark.parametrize(
    ("make", "broken"),
    [
        (
            lambda m: _sharded(m, "assessment", key=("id",)),
            "assessment's primary key does not carry customer_id",
        ),
        (
            lambda m: Table("assessment", m, Column("id", Integer, primary_key=True)),
            "assessment has no non-null customer_id: shard it by province, or declare it a "
            "reference table in redline.sharding.REFERENCE_TABLES with the reason",
        ),
        (
            lambda m: _sharded(
                m, "assessment", Column("code", String(20)), UniqueConstraint("code")
            ),
            "assessment's unique uq_assessment_code does not carry customer_id",
        ),
        (
            lambda m: _sharded(
                m, "assessment", Column("code", String(20)), Index("ix_code", "code", unique=True)
            ),
            "assessment's unique ix_code does not carry customer_id",
        ),
        (
            lambda m: _sharded(
                m,
                "assessment",
                Column("cycle_id", Integer),
                ForeignKeyConstraint(["cycle_id"], ["cycle.id"], name="fk_cycle"),
            ),
            "assessment's key fk_cycle to cycle does not carry the province (customer_id to "
            "customer_id)",
        ),
        (
            lambda m: Table(
                "app_user",
                m,
                Column("id", Integer, primary_key=True),
                Column("cycle_id", Integer),
                Column("customer_id", Integer),
                ForeignKeyConstraint(
                    ["cycle_id", "customer_id"], ["cycle.id", "cycle.customer_id"], name="fk_c"
                ),
            ),
            "app_user is copied to every node but points at the sharded cycle "
            "(cycle_id, customer_id)",
        ),
    ],
    ids=[
        "key without the province",
        "no province",
        "unique without it",
        "unique index without it",
        "key to a sharded table without it",
        "reference table to a sharded one",
    ],
)
def test_a_broken_rule_is_named(metadata, make, broken):
    metadata.naming_convention = {"uq": "uq_%(table_name)s_%(column_0_N_name)s"}
    make(metadata)
    assert broken_rules(metadata) == [broken]
