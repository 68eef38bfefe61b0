"""Ranking rows without foreign keys of their own: their province and snapshot are copied from
the snapshot the publication has just made, in its transaction, and the two keys' per-row
checks (with the province's index) were half the time of writing a snapshot's rows. Pruning
deletes a snapshot's rows itself; snapshots and provinces are never deleted.

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

PROVINCE_KEY = "fk_ranking_row_customer_id_customer"
SNAPSHOT_KEY = "fk_ranking_row_snapshot_id_ranking_snapshot"
PROVINCE_INDEX = "ix_ranking_row_customer_id"


def upgrade() -> None:
    op.drop_index(PROVINCE_INDEX, table_name="ranking_row")
    with op.batch_alter_table("ranking_row") as table:
        table.drop_constraint(PROVINCE_KEY, type_="foreignkey")
        table.drop_constraint(SNAPSHOT_KEY, type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("ranking_row") as table:
        table.create_foreign_key(PROVINCE_KEY, "customer", ["customer_id"], ["id"])
        table.create_foreign_key(
            SNAPSHOT_KEY,
            "ranking_snapshot",
            ["snapshot_id", "customer_id"],
            ["id", "customer_id"],
            ondelete="CASCADE",
        )
    op.create_index(PROVINCE_INDEX, "ranking_row", ["customer_id"])
