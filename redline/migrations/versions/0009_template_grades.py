"""A template's grades: what it calls them (一级 / 二级 / 三级), and fewer of them (the
excellent and good thresholds may be left out).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("template", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "grade_names",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=False,
                server_default=sa.text("'{}'"),
            )
        )
        batch_op.alter_column(
            "grade_excellent", existing_type=sa.Numeric(precision=14, scale=4), nullable=True
        )
        batch_op.alter_column(
            "grade_good", existing_type=sa.Numeric(precision=14, scale=4), nullable=True
        )


def downgrade() -> None:
    with op.batch_alter_table("template", schema=None) as batch_op:
        batch_op.alter_column(
            "grade_good", existing_type=sa.Numeric(precision=14, scale=4), nullable=False
        )
        batch_op.alter_column(
            "grade_excellent", existing_type=sa.Numeric(precision=14, scale=4), nullable=False
        )
        batch_op.drop_column("grade_names")
