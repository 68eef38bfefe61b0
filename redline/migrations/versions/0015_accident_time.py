"""The time of day an accident happened (accident.occurred_time, local time), so that a late
report (迟报) is counted by the hour past the regulation's one hour.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accident", schema=None) as batch_op:
        batch_op.add_column(sa.Column("occurred_time", sa.Time(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accident", schema=None) as batch_op:
        batch_op.drop_column("occurred_time")
