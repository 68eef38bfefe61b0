"""Consequences (奖惩): a template states what a final result does to a unit (template.consequences:
the commendation quota, what is criticised, whose leaders are interviewed, how long a vetoed
unit's leaders are barred, how long a late veto may reopen a result), and a cycle remembers when
it was closed, the day they count from; the register prints as a report of its own kind, and a
ranking report says which earlier version of the rankings it compares with.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

REPORT_KINDS_BEFORE = ("scorecard", "ranking", "statistics")
REPORT_KINDS_AFTER = (*REPORT_KINDS_BEFORE, "consequences")


def _report_kinds(kinds: tuple[str, ...]) -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_report_kind"), type_="check")
        batch_op.create_check_constraint("kind", f"kind IN ({', '.join(map(repr, kinds))})")


def upgrade() -> None:
    with op.batch_alter_table("template", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "consequences",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    # A cycle closed before this was kept: its last change is when it was closed.
    op.execute("UPDATE cycle SET closed_at = updated_at WHERE state = 'closed'")
    # The consequences register is printed as a report of its own kind.
    _report_kinds(REPORT_KINDS_AFTER)
    # A ranking report says which earlier version of the rankings it compares with.
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("compare_with_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_column("compare_with_version")
    # A printed register has no kind to be kept as before this revision.
    op.execute("DELETE FROM report WHERE kind = 'consequences'")
    _report_kinds(REPORT_KINDS_BEFORE)
    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
    with op.batch_alter_table("template", schema=None) as batch_op:
        batch_op.drop_column("consequences")
