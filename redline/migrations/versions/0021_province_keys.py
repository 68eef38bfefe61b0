"""The province in every key of the tables the database may shard by province (Citus):
primary keys become ``(id, customer_id)`` (the audit log's ``(id, chain)``), keys between
those tables carry the province, and their unique constraints include it.

SQLite keeps ``id`` as its rowid key (its only way of numbering rows) and gets a unique
``(id, customer_id)`` beside it for the keys to point at. The three keys that set the column
to NULL when their row went become plain keys: a composite key would clear the province too
(the groups' replacement clears the column itself; findings and snapshots are not deleted).

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenants.audit import SQLITE_TRIGGERS

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

# Tables sharded by province, and the column each is sharded by.
SHARDED = {
    "template_family": "customer_id",
    "template": "customer_id",
    "template_item": "customer_id",
    "veto_rule": "customer_id",
    "cycle": "customer_id",
    "assessment_group": "customer_id",
    "assessment": "customer_id",
    "assessment_entry": "customer_id",
    "item_score": "customer_id",
    "attachment": "customer_id",
    "spot_check_finding": "customer_id",
    "veto_flag": "customer_id",
    "appeal": "customer_id",
    "audit_event": "customer_id",
    "accident": "customer_id",
    "hazard": "customer_id",
    "action_plan": "customer_id",
    "plan_section": "customer_id",
    "task_element": "customer_id",
    "responsibility_statement": "customer_id",
    "ledger_event": "customer_id",
    "ledger_attachment": "customer_id",
    "notification": "customer_id",
    "job_run": "customer_id",
    "ranking_status": "customer_id",
    "ranking_snapshot": "customer_id",
    "ranking_row": "customer_id",
    "region_aggregate": "customer_id",
    "ranking_cell": "customer_id",
    "report_letterhead": "customer_id",
    "report": "customer_id",
    "spot_check_draw": "customer_id",
    "spot_check_draw_target": "customer_id",
    "audit_entry": "chain",
}

# (table, column, referred table, ON DELETE before, ON DELETE after)
KEYS = [
    ("template", "copied_from_id", "template", None, None),
    ("template", "extends_id", "template", None, None),
    ("template", "family_id", "template_family", "CASCADE", "CASCADE"),
    ("cycle", "template_id", "template", None, None),
    ("ledger_attachment", "event_id", "ledger_event", "CASCADE", "CASCADE"),
    ("plan_section", "parent_id", "plan_section", "CASCADE", "CASCADE"),
    ("plan_section", "plan_id", "action_plan", "CASCADE", "CASCADE"),
    ("template_item", "template_id", "template", "CASCADE", "CASCADE"),
    ("template_item", "parent_id", "template_item", "CASCADE", "CASCADE"),
    ("veto_rule", "template_id", "template", "CASCADE", "CASCADE"),
    ("assessment_group", "cycle_id", "cycle", "CASCADE", "CASCADE"),
    ("ranking_cell", "cycle_id", "cycle", "CASCADE", "CASCADE"),
    ("ranking_snapshot", "cycle_id", "cycle", "CASCADE", "CASCADE"),
    ("spot_check_draw", "cycle_id", "cycle", "CASCADE", "CASCADE"),
    ("task_element", "section_id", "plan_section", "CASCADE", "CASCADE"),
    ("task_element", "plan_id", "action_plan", "CASCADE", "CASCADE"),
    ("assessment", "group_id", "assessment_group", "SET NULL", None),
    ("assessment", "cycle_id", "cycle", "CASCADE", "CASCADE"),
    ("ranking_row", "snapshot_id", "ranking_snapshot", "CASCADE", "CASCADE"),
    ("ranking_status", "cycle_id", "cycle", "CASCADE", "CASCADE"),
    ("ranking_status", "snapshot_id", "ranking_snapshot", "SET NULL", None),
    ("region_aggregate", "snapshot_id", "ranking_snapshot", "CASCADE", "CASCADE"),
    ("appeal", "assessment_id", "assessment", "CASCADE", "CASCADE"),
    ("appeal", "item_id", "template_item", None, None),
    ("assessment_entry", "assessment_id", "assessment", "CASCADE", "CASCADE"),
    ("assessment_entry", "item_id", "template_item", None, None),
    ("audit_event", "assessment_id", "assessment", "CASCADE", "CASCADE"),
    ("item_score", "assessment_id", "assessment", "CASCADE", "CASCADE"),
    ("item_score", "item_id", "template_item", "CASCADE", "CASCADE"),
    ("report", "job_run_id", "job_run", None, None),
    ("report", "cycle_id", "cycle", "CASCADE", "CASCADE"),
    ("report", "assessment_id", "assessment", "CASCADE", "CASCADE"),
    ("spot_check_draw_target", "assessment_id", "assessment", "CASCADE", "CASCADE"),
    ("spot_check_draw_target", "draw_id", "spot_check_draw", "CASCADE", "CASCADE"),
    ("spot_check_finding", "item_id", "template_item", None, None),
    ("spot_check_finding", "assessment_id", "assessment", "CASCADE", "CASCADE"),
    ("veto_flag", "rule_id", "veto_rule", None, None),
    ("veto_flag", "assessment_id", "assessment", "CASCADE", "CASCADE"),
    ("attachment", "entry_id", "assessment_entry", "CASCADE", "CASCADE"),
    ("attachment", "appeal_id", "appeal", "CASCADE", "CASCADE"),
    ("hazard", "spot_check_finding_id", "spot_check_finding", "SET NULL", None),
]

# Unique constraints that gain the province: (table, name before, name after, columns before).
UNIQUES = [
    ("notification", "uq_notification_key", "uq_notification_key", ["node_id", "key"]),
    (
        "responsibility_statement",
        "uq_responsibility_statement_node_id_year_enterprise",
        "uq_responsibility_statement_enterprise",
        ["node_id", "year", "enterprise"],
    ),
    (
        "responsibility_statement",
        "uq_responsibility_statement_node_id_year_counterparty_node_id",
        "uq_responsibility_statement_counterparty",
        ["node_id", "year", "counterparty_node_id"],
    ),
    (
        "template",
        "uq_template_family_version",
        "uq_template_family_version",
        ["family_id", "version"],
    ),
    ("template_item", "uq_template_item_code", "uq_template_item_code", ["template_id", "code"]),
    ("veto_rule", "uq_veto_rule_code", "uq_veto_rule_code", ["template_id", "code"]),
    (
        "assessment_group",
        "uq_assessment_group_code",
        "uq_assessment_group_code",
        ["cycle_id", "code"],
    ),
    (
        "ranking_snapshot",
        "uq_ranking_snapshot_version",
        "uq_ranking_snapshot_version",
        ["cycle_id", "version"],
    ),
    ("assessment", "uq_assessment_cycle_node", "uq_assessment_cycle_node", ["cycle_id", "node_id"]),
    ("ranking_status", "uq_ranking_status_cycle", "uq_ranking_status_cycle", ["cycle_id"]),
    (
        "region_aggregate",
        "uq_region_aggregate_node",
        "uq_region_aggregate_node",
        ["snapshot_id", "node_id"],
    ),
    ("assessment_entry", "uq_entry_item", "uq_entry_item", ["assessment_id", "item_id"]),
    ("item_score", "uq_item_score_item", "uq_item_score_item", ["assessment_id", "item_id"]),
    ("report", "uq_report_job_run_id", "uq_report_job_run_id_customer_id", ["job_run_id"]),
    (
        "spot_check_draw_target",
        "uq_spot_check_draw_target",
        "uq_spot_check_draw_target",
        ["draw_id", "unit_id"],
    ),
]

# Unique indexes that gain the province: (table, name, columns before, partial condition).
UNIQUE_INDEXES = [
    (
        "ranking_cell",
        "ix_ranking_cell_node",
        ["cycle_id", "node_id", "item_id", "valid_from"],
        None,
    ),
    ("appeal", "uq_appeal_waiting", ["assessment_id", "item_id"], "state = 'open'"),
]


def _key_name(table: str, column: str, referred: str) -> str:
    return f"fk_{table}_{column}_{referred}"


def _key(key: tuple, with_province: bool) -> tuple[str, str, list[str], list[str], str | None]:
    """The name, referred table, columns, referred columns and ON DELETE of ``key``."""
    table, column, referred, before, after = key
    name = _key_name(table, column, referred)
    if with_province:
        return name, referred, [column, "customer_id"], ["id", "customer_id"], after
    return name, referred, [column], ["id"], before


def _set_keys(*, with_province: bool) -> None:
    """Every key between sharded tables dropped and made again, with or without the province.

    PostgreSQL drops every such key before it changes a primary key they point at; SQLite
    (keys unchecked while migrating) rebuilds each table once with its new keys.
    """
    sqlite = op.get_context().dialect.name == "sqlite"
    if not sqlite:
        for table, column, referred, _, _ in KEYS:
            op.drop_constraint(_key_name(table, column, referred), table, type_="foreignkey")
    for table, shard in SHARDED.items():
        keys = [key for key in KEYS if key[0] == table]
        with op.batch_alter_table(table) as batch:
            if sqlite:
                for _, column, referred, _, _ in keys:
                    batch.drop_constraint(_key_name(table, column, referred), type_="foreignkey")
            for _, before, after, columns in (unique for unique in UNIQUES if unique[0] == table):
                old, new = (before, after) if with_province else (after, before)
                batch.drop_constraint(old, type_="unique")
                batch.create_unique_constraint(
                    new, [*columns, "customer_id"] if with_province else columns
                )
            if sqlite:
                # SQLite's rowid key stays; the keys point at a unique (id, province).
                if with_province:
                    batch.create_unique_constraint(f"uq_{table}_id_{shard}", ["id", shard])
                else:
                    batch.drop_constraint(f"uq_{table}_id_{shard}", type_="unique")
                for key in keys:
                    name, referred, columns, remote, ondelete = _key(key, with_province)
                    batch.create_foreign_key(name, referred, columns, remote, ondelete=ondelete)
            else:
                batch.drop_constraint(f"pk_{table}", type_="primary")
                batch.create_primary_key(f"pk_{table}", ["id", shard] if with_province else ["id"])
    if sqlite:
        # Rebuilding the audit log's table dropped its refusal to be changed: made again.
        for trigger in SQLITE_TRIGGERS.values():
            op.execute(trigger)
    else:
        for key in KEYS:
            name, referred, columns, remote, ondelete = _key(key, with_province)
            op.create_foreign_key(name, key[0], referred, columns, remote, ondelete=ondelete)
    for table, name, columns, where in UNIQUE_INDEXES:
        op.drop_index(name, table_name=table)
        condition = sa.text(where) if where else None
        op.create_index(
            name,
            table,
            [*columns, "customer_id"] if with_province else columns,
            unique=True,
            sqlite_where=condition,
            postgresql_where=condition,
        )


def upgrade() -> None:
    _set_keys(with_province=True)


def downgrade() -> None:
    _set_keys(with_province=False)
