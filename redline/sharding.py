"""How the schema spreads over a Citus cluster: tables sharded by province, tables copied to
every node, the rules that keep that possible, and the distribution DDL made from the models.

A sharded table's rows live on their province's shard: its primary key, its unique
constraints and its keys to other sharded tables all carry the shard column, so a
province's rows and everything they point at are on one node (Citus refuses anything else).
Reference tables are copied whole to every node: the tenant tree and the accounts, which every
request reads before it knows its province and every scoped query joins, and the outbox,
whose relay reads across provinces. A sharded table may point at a reference table; a
reference table may not point at a sharded one.
"""

from __future__ import annotations

from sqlalchemy import ForeignKeyConstraint, Index, MetaData, Table, UniqueConstraint

# Copied to every node, and why.
REFERENCE_TABLES: dict[str, str] = {
    "customer": "the provinces themselves",
    "tenant_node": "the tree every scoped query joins by path; codes and paths unique nationally",
    "app_user": "signing in finds the account before its province; usernames unique nationally",
    "role_grant": "read by every request to know what its user may do",
    "web_session": "read by every request before its province is known (the cookie's hash)",
    "api_token": "read by every scripted request before its province is known",
    "outbox_message": "written with the rows it announces; one relay reads across provinces",
}
SHARD_COLUMN = "customer_id"
# The audit log is kept in one hash chain per province, numbered by the province's id (0 for
# the system's chain of sign-ins naming no account): sharded by its chain.
SHARD_COLUMNS: dict[str, str] = {"audit_chain": "chain", "audit_entry": "chain"}


def shard_column(table: Table) -> str | None:
    """The column ``table`` is sharded by, or None for a reference table."""
    if table.name in REFERENCE_TABLES:
        return None
    return SHARD_COLUMNS.get(table.name, SHARD_COLUMN)


def broken_rules(metadata: MetaData) -> list[str]:
    """What keeps ``metadata`` from being distributed as declared here, one line each."""
    problems: list[str] = []
    for table in metadata.sorted_tables:
        shard = shard_column(table)
        if shard is None:
            problems += [
                f"{table.name} is copied to every node but points at the sharded "
                f"{key.referred_table.name} ({', '.join(key.column_keys)})"
                for key in _keys(table)
                if shard_column(key.referred_table) is not None
            ]
            continue
        column = table.columns.get(shard)
        if column is None or column.nullable:
            problems.append(
                f"{table.name} has no non-null {shard}: shard it by province, or declare it "
                "a reference table in redline.sharding.REFERENCE_TABLES with the reason"
            )
            continue
        if shard not in table.primary_key.columns:
            problems.append(f"{table.name}'s primary key does not carry {shard}")
        for name, columns in _uniques(table):
            if shard not in columns:
                problems.append(f"{table.name}'s unique {name} does not carry {shard}")
        for key in _keys(table):
            referred_shard = shard_column(key.referred_table)
            if referred_shard is None:
                continue
            pairs = {(element.parent.name, element.column.name) for element in key.elements}
            if (shard, referred_shard) not in pairs:
                problems.append(
                    f"{table.name}'s key {key.name} to {key.referred_table.name} does not "
                    f"carry the province ({shard} to {referred_shard})"
                )
    return problems


def distribution_ddl(metadata: MetaData) -> str:
    """The statements that make a Citus cluster hold the schema: reference tables first, then
    every sharded table after the tables it points at, all co-located with the first one
    sharded by province (a province's audit chain is numbered by the province's id)."""
    tables = metadata.sorted_tables  # each after the tables it points at
    reference = [table for table in tables if shard_column(table) is None]
    sharded = sorted(
        (table for table in tables if shard_column(table) is not None),
        key=lambda table: shard_column(table) != SHARD_COLUMN,  # stable: keeps that order
    )
    anchor = sharded[0].name
    lines = [
        "-- Redline's schema spread over a Citus cluster, made from the models by",
        "-- `redline citus-ddl` (a test fails when this file is stale). Run it once as the",
        "-- tables' owner on the coordinator, after `redline db upgrade`. docs/operations.md",
        '-- ("Many machines: Citus") says how it was checked.',
        "BEGIN;",
        "-- Sharded tables pointing at reference tables made in the same transaction.",
        "SET LOCAL citus.multi_shard_modify_mode TO 'sequential';",
        "",
    ]
    for table in reference:
        lines += [
            f"-- {table.name}: {REFERENCE_TABLES[table.name]}.",
            f"SELECT create_reference_table('{table.name}');",
        ]
    lines.append("")
    for table in sharded:
        colocation = "" if table.name == anchor else f", colocate_with => '{anchor}'"
        lines.append(
            f"SELECT create_distributed_table('{table.name}', '{shard_column(table)}'{colocation});"
        )
    lines += ["", "COMMIT;", ""]
    return "\n".join(lines)


def _keys(table: Table) -> list[ForeignKeyConstraint]:
    return sorted(table.foreign_key_constraints, key=lambda key: key.name or "")


def _uniques(table: Table) -> list[tuple[str, set[str]]]:
    found = [
        (str(constraint.name), {column.name for column in constraint.columns})
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    ]
    found += [(str(index.name), _index_columns(index)) for index in table.indexes if index.unique]
    return sorted(found, key=lambda unique: unique[0])


def _index_columns(index: Index) -> set[str]:
    # An expression index (lower(username)) names no plain column: it carries none.
    return {column.name for column in index.columns}
