"""The reasons of an assessment's vetoes and yellow cards kept with its cached scores, so a
ranking's publication lists them without scoring the flagged units again. Existing rows keep
NULL until they are next scored (the rankings score those, as before).

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from redline.db import Document

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assessment") as table:
        table.add_column(sa.Column("reasons", Document, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assessment") as table:
        table.drop_column("reasons")
