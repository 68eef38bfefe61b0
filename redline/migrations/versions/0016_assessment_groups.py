"""Assessment groups (分类考核): a cycle may split its units into groups (assessment_group, and
assessment.group_id) ranked, commended and, where a group sets thresholds, graded within
themselves; a ranking row says the group it was ranked in.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from redline.migrations.rls import SAME_CUSTOMER, create_policies, drop_policies

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# A cycle's groups belong to the province, as the cycle does.
POLICIES = {"assessment_group": SAME_CUSTOMER}
AMOUNT = sa.Numeric(precision=14, scale=4)


def upgrade() -> None:
    op.create_table(
        "assessment_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("grade_excellent", AMOUNT, nullable=True),
        sa.Column("grade_good", AMOUNT, nullable=True),
        sa.Column("grade_qualified", AMOUNT, nullable=True),
        sa.Column("commendation_quota", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_assessment_group_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["cycle.id"],
            name=op.f("fk_assessment_group_cycle_id_cycle"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_group")),
        sa.UniqueConstraint("cycle_id", "code", name="uq_assessment_group_code"),
    )
    with op.batch_alter_table("assessment_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_group_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessment_group_cycle_id"), ["cycle_id"], unique=False
        )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_assessment_group_id"), ["group_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_assessment_group_id_assessment_group"),
            "assessment_group",
            ["group_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("ranking_row", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_code", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("group_name", sa.String(length=200), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        create_policies(POLICIES)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        drop_policies(POLICIES)
    with op.batch_alter_table("ranking_row", schema=None) as batch_op:
        batch_op.drop_column("group_name")
        batch_op.drop_column("group_code")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_assessment_group_id_assessment_group"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_assessment_group_id"))
        batch_op.drop_column("group_id")
    with op.batch_alter_table("assessment_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_group_cycle_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_group_customer_id"))
    op.drop_table("assessment_group")
