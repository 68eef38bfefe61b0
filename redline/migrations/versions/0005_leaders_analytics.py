"""Leaders' analytics: per-item scores kept beside the cached totals, per-item cells in ranking
snapshots, colour bands and trend thresholds on templates, bands and trends on ranking rows.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from redline.migrations.rls import SAME_CUSTOMER, create_policies, drop_policies, owned_visible

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

AMOUNT = sa.Numeric(14, 4)
DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

# An item score belongs to the assessed unit, like its assessment; snapshot cells to the province.
POLICIES = {"item_score": owned_visible("item_score"), "ranking_cell": SAME_CUSTOMER}


def upgrade() -> None:
    op.create_table(
        "item_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("self_points", AMOUNT, nullable=True),
        sa.Column("points", AMOUNT, nullable=True),
        sa.Column("max_points", AMOUNT, nullable=False),
        sa.Column("figure", AMOUNT, nullable=True),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "state IN ('scored', 'missing', 'not_applicable')", name=op.f("ck_item_score_state")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_item_score_assessment_id_assessment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_item_score_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["template_item.id"],
            name=op.f("fk_item_score_item_id_template_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["node_id"], ["tenant_node.id"], name=op.f("fk_item_score_node_id_tenant_node")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_score")),
        sa.UniqueConstraint("assessment_id", "item_id", name="uq_item_score_item"),
    )
    op.create_index(op.f("ix_item_score_customer_id"), "item_score", ["customer_id"])
    op.create_index(op.f("ix_item_score_node_id"), "item_score", ["node_id"])
    op.create_table(
        "ranking_cell",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("points", AMOUNT, nullable=True),
        sa.Column("max_points", AMOUNT, nullable=True),
        sa.Column("percent", AMOUNT, nullable=True),
        sa.Column("band", sa.String(length=8), nullable=True),
        sa.Column("figure", AMOUNT, nullable=True),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_ranking_cell_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["ranking_snapshot.id"],
            name=op.f("fk_ranking_cell_snapshot_id_ranking_snapshot"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ranking_cell")),
    )
    op.create_index(
        "ix_ranking_cell_node", "ranking_cell", ["snapshot_id", "node_id", "item_id"], unique=True
    )
    with op.batch_alter_table("ranking_row", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previous_score", AMOUNT, nullable=True))
        batch_op.add_column(sa.Column("percent", AMOUNT, nullable=True))
        batch_op.add_column(sa.Column("band", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("score_trend", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("rank_trend", sa.String(length=8), nullable=True))
    with op.batch_alter_table("region_aggregate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("band_counts", DOCUMENT, nullable=False, server_default=sa.text("'{}'"))
        )
    with op.batch_alter_table("template", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bands", DOCUMENT, nullable=True))
        batch_op.add_column(sa.Column("trend_min_points", AMOUNT, nullable=True))
        batch_op.add_column(sa.Column("trend_min_ranks", sa.Integer(), nullable=True))
    with op.batch_alter_table("template_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bands", DOCUMENT, nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        create_policies(POLICIES)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        drop_policies(POLICIES)
    with op.batch_alter_table("template_item", schema=None) as batch_op:
        batch_op.drop_column("bands")
    with op.batch_alter_table("template", schema=None) as batch_op:
        batch_op.drop_column("trend_min_ranks")
        batch_op.drop_column("trend_min_points")
        batch_op.drop_column("bands")
    with op.batch_alter_table("region_aggregate", schema=None) as batch_op:
        batch_op.drop_column("band_counts")
    with op.batch_alter_table("ranking_row", schema=None) as batch_op:
        batch_op.drop_column("rank_trend")
        batch_op.drop_column("score_trend")
        batch_op.drop_column("band")
        batch_op.drop_column("percent")
        batch_op.drop_column("previous_score")
    op.drop_table("ranking_cell")
    op.drop_table("item_score")
