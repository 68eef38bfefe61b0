"""Double-random spot-check draws (双随机, 一公开): a draw of a cycle's units and inspectors from a
published seed, with the inputs it was made from, and its targets; both the province's rows.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from redline.migrations.rls import SAME_CUSTOMER, create_policies, drop_policies

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# Draws belong to the province; who reads which is decided in scoring.spotchecks.reading.
POLICIES = dict.fromkeys(("spot_check_draw", "spot_check_draw_target"), SAME_CUSTOMER)
DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "spot_check_draw",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("scope_node_id", sa.Integer(), nullable=False),
        sa.Column("seed", sa.String(length=100), nullable=False),
        sa.Column("inspectors_per_target", sa.Integer(), nullable=False),
        sa.Column("criticised_weight", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("inputs", DOCUMENT, nullable=False),
        sa.Column("drawn_by_id", sa.Integer(), nullable=True),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_spot_check_draw_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["cycle.id"],
            name=op.f("fk_spot_check_draw_cycle_id_cycle"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["drawn_by_id"], ["app_user.id"], name=op.f("fk_spot_check_draw_drawn_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["app_user.id"],
            name=op.f("fk_spot_check_draw_published_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["scope_node_id"],
            ["tenant_node.id"],
            name=op.f("fk_spot_check_draw_scope_node_id_tenant_node"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spot_check_draw")),
    )
    with op.batch_alter_table("spot_check_draw", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_spot_check_draw_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_spot_check_draw_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_spot_check_draw_scope_node_id"), ["scope_node_id"], unique=False
        )
    op.create_table(
        "spot_check_draw_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=40), nullable=False),
        sa.Column("unit_name_zh", sa.String(length=200), nullable=False),
        sa.Column("unit_name_en", sa.String(length=200), nullable=False),
        sa.Column("stratum", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("criticised_in", sa.String(length=300), nullable=True),
        sa.Column("inspectors", DOCUMENT, nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_spot_check_draw_target_assessment_id_assessment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_spot_check_draw_target_customer_id_customer"),
        ),
        sa.ForeignKeyConstraint(
            ["draw_id"],
            ["spot_check_draw.id"],
            name=op.f("fk_spot_check_draw_target_draw_id_spot_check_draw"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["tenant_node.id"],
            name=op.f("fk_spot_check_draw_target_unit_id_tenant_node"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spot_check_draw_target")),
        sa.UniqueConstraint("draw_id", "unit_id", name="uq_spot_check_draw_target"),
    )
    with op.batch_alter_table("spot_check_draw_target", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_spot_check_draw_target_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_spot_check_draw_target_draw_id"), ["draw_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_spot_check_draw_target_unit_id"), ["unit_id"], unique=False
        )
    if op.get_bind().dialect.name == "postgresql":
        create_policies(POLICIES)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        drop_policies(POLICIES)
    with op.batch_alter_table("spot_check_draw_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_spot_check_draw_target_unit_id"))
        batch_op.drop_index(batch_op.f("ix_spot_check_draw_target_draw_id"))
        batch_op.drop_index(batch_op.f("ix_spot_check_draw_target_customer_id"))
    op.drop_table("spot_check_draw_target")
    with op.batch_alter_table("spot_check_draw", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_spot_check_draw_scope_node_id"))
        batch_op.drop_index(batch_op.f("ix_spot_check_draw_cycle_id"))
        batch_op.drop_index(batch_op.f("ix_spot_check_draw_customer_id"))
    op.drop_table("spot_check_draw")
