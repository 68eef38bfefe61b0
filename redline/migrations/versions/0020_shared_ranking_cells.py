"""Ranking cells shared between the snapshots of a cycle: each cell is valid from the version
that wrote it until the one that replaced it, so a publication writes only what changed.
Assessments count their item scores' writes (``scores_revision``) and ranking rows keep the
count they were published from. Ranking rows lose the foreign keys of their scope, node and
assessment (copied from rows just read; the per-row checks were most of writing them).

Existing cells become their snapshot's alone (valid for its version), the newest snapshot's
current; the first publication after the upgrade writes every cell again once (no row knows a
revision yet).

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

CLOSED = sa.text("valid_to IS NOT NULL")
# A ranking row's scope, node and assessment are copied from rows just read: no per-row checks.
ROW_KEYS = (
    "fk_ranking_row_scope_node_id_tenant_node",
    "fk_ranking_row_node_id_tenant_node",
    "fk_ranking_row_assessment_id_assessment",
)


def upgrade() -> None:
    with op.batch_alter_table("assessment") as table:
        table.add_column(
            sa.Column("scores_revision", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("ranking_row") as table:
        table.add_column(sa.Column("scores_revision", sa.Integer(), nullable=True))
        for name in ROW_KEYS:
            table.drop_constraint(name, type_="foreignkey")
    with op.batch_alter_table("ranking_cell") as table:
        table.add_column(sa.Column("cycle_id", sa.Integer(), nullable=True))
        table.add_column(sa.Column("valid_from", sa.Integer(), nullable=True))
        table.add_column(sa.Column("valid_to", sa.Integer(), nullable=True))
    op.execute(
        """
        UPDATE ranking_cell SET
            cycle_id = (SELECT s.cycle_id FROM ranking_snapshot s WHERE s.id = snapshot_id),
            valid_from = (SELECT s.version FROM ranking_snapshot s WHERE s.id = snapshot_id),
            valid_to = (
                SELECT CASE WHEN s.version < (
                    SELECT max(newer.version) FROM ranking_snapshot newer
                    WHERE newer.cycle_id = s.cycle_id
                ) THEN s.version + 1 END
                FROM ranking_snapshot s WHERE s.id = snapshot_id
            )
        """
    )
    op.drop_index("ix_ranking_cell_node", table_name="ranking_cell")
    with op.batch_alter_table("ranking_cell") as table:
        table.alter_column("cycle_id", existing_type=sa.Integer(), nullable=False)
        table.alter_column("valid_from", existing_type=sa.Integer(), nullable=False)
        table.drop_constraint("fk_ranking_cell_snapshot_id_ranking_snapshot", type_="foreignkey")
        table.drop_column("snapshot_id")
        table.create_foreign_key(
            op.f("fk_ranking_cell_cycle_id_cycle"),
            "cycle",
            ["cycle_id"],
            ["id"],
            ondelete="CASCADE",
        )
    op.create_index(
        "ix_ranking_cell_node",
        "ranking_cell",
        ["cycle_id", "node_id", "item_id", "valid_from"],
        unique=True,
    )
    op.create_index(
        "ix_ranking_cell_closed",
        "ranking_cell",
        ["cycle_id", "valid_to"],
        postgresql_where=CLOSED,
        sqlite_where=CLOSED,
    )


def downgrade() -> None:
    # Each snapshot's cells again, copied from the shared ones valid in it (rows not pruned).
    op.drop_index("ix_ranking_cell_closed", table_name="ranking_cell")
    op.drop_index("ix_ranking_cell_node", table_name="ranking_cell")
    with op.batch_alter_table("ranking_cell") as table:
        table.add_column(sa.Column("snapshot_id", sa.Integer(), nullable=True))
    op.execute(
        """
        INSERT INTO ranking_cell (customer_id, cycle_id, valid_from, valid_to, snapshot_id,
            node_id, item_id, state, points, max_points, percent, band, figure, counted)
        SELECT c.customer_id, c.cycle_id, c.valid_from, c.valid_to, s.id,
            c.node_id, c.item_id, c.state, c.points, c.max_points, c.percent, c.band,
            c.figure, c.counted
        FROM ranking_cell c JOIN ranking_snapshot s ON s.cycle_id = c.cycle_id
            AND s.version >= c.valid_from AND (c.valid_to IS NULL OR s.version < c.valid_to)
        WHERE NOT s.rows_pruned
        """
    )
    op.execute("DELETE FROM ranking_cell WHERE snapshot_id IS NULL")
    with op.batch_alter_table("ranking_cell") as table:
        table.alter_column("snapshot_id", existing_type=sa.Integer(), nullable=False)
        table.drop_constraint("fk_ranking_cell_cycle_id_cycle", type_="foreignkey")
        table.drop_column("cycle_id")
        table.drop_column("valid_from")
        table.drop_column("valid_to")
        table.create_foreign_key(
            op.f("fk_ranking_cell_snapshot_id_ranking_snapshot"),
            "ranking_snapshot",
            ["snapshot_id"],
            ["id"],
            ondelete="CASCADE",
        )
    op.create_index(
        "ix_ranking_cell_node", "ranking_cell", ["snapshot_id", "node_id", "item_id"], unique=True
    )
    with op.batch_alter_table("ranking_row") as table:
        table.drop_column("scores_revision")
        for (column, target, ondelete), name in zip(
            (
                ("scope_node_id", "tenant_node", None),
                ("node_id", "tenant_node", None),
                ("assessment_id", "assessment", "SET NULL"),
            ),
            ROW_KEYS,
            strict=True,
        ):
            table.create_foreign_key(name, target, [column], ["id"], ondelete=ondelete)
    with op.batch_alter_table("assessment") as table:
        table.drop_column("scores_revision")
