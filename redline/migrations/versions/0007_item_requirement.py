"""What the standard requires (考评内容) on template items, beside the short title.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("template_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("requirement", sa.Text(), nullable=False, server_default=sa.text("''"))
        )


def downgrade() -> None:
    with op.batch_alter_table("template_item", schema=None) as batch_op:
        batch_op.drop_column("requirement")
