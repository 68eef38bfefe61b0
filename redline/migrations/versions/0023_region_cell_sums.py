"""Region cells keep the exact figures their means are worked out from (how many unit cells,
scored and missing, each mean's sum in ten-thousandths and its count), so a publication moves
a region by its changed units' differences instead of summing all its units again.

Existing region cells have none: the next publication sums each changed region once, as
before, and keeps them from then on.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

COUNTS = (
    "units",
    "scored_units",
    "missing_units",
    "points_units",
    "max_points_units",
    "figure_units",
)
TOTALS = ("points_total", "max_points_total", "percent_total", "figure_total")


def upgrade() -> None:
    with op.batch_alter_table("ranking_cell") as table:
        for name in COUNTS:
            table.add_column(sa.Column(name, sa.Integer(), nullable=True))
        for name in TOTALS:
            table.add_column(sa.Column(name, sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ranking_cell") as table:
        for name in (*COUNTS, *TOTALS):
            table.drop_column(name)
