"""Yellow cards (黄牌警告): a template rule may warn instead of veto (veto_rule.severity), new rule
kinds fire from an accident's deaths, overdue task elements, the previous cycle's criticism and
a repeated yellow card; assessments keep how many yellow cards they have and ranking rows why.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

KINDS_BEFORE = (
    "manual",
    "larger_accident",
    "concealed_accident",
    "late_reported_accident",
    "overdue_major_hazard",
)
KINDS_AFTER = (
    *KINDS_BEFORE,
    "accident_deaths",
    "overdue_tasks",
    "previous_criticism",
    "repeated_yellow_card",
)


def _check_kinds(kinds: tuple[str, ...]) -> None:
    with op.batch_alter_table("veto_rule", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_veto_rule_kind"), type_="check")
        batch_op.create_check_constraint("kind", f"kind IN ({', '.join(map(repr, kinds))})")


def upgrade() -> None:
    _check_kinds(KINDS_AFTER)
    with op.batch_alter_table("veto_rule", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "severity",
                sa.Enum("veto", "yellow_card", name="ruleseverity", native_enum=False, length=16),
                nullable=False,
                server_default="veto",
            )
        )
        batch_op.create_check_constraint("severity", "severity IN ('veto', 'yellow_card')")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("yellow_cards", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("ranking_row", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "yellow_cards",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("ranking_row", schema=None) as batch_op:
        batch_op.drop_column("yellow_cards")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_column("yellow_cards")
    # What a yellow card rule was before there were any: no rule at all.
    op.execute(
        "DELETE FROM veto_flag WHERE rule_id IN "
        "(SELECT id FROM veto_rule WHERE severity = 'yellow_card' OR kind IN "
        "('accident_deaths', 'overdue_tasks', 'previous_criticism', 'repeated_yellow_card'))"
    )
    op.execute(
        "DELETE FROM veto_rule WHERE severity = 'yellow_card' OR kind IN "
        "('accident_deaths', 'overdue_tasks', 'previous_criticism', 'repeated_yellow_card')"
    )
    with op.batch_alter_table("veto_rule", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_veto_rule_severity"), type_="check")
        batch_op.drop_column("severity")
    _check_kinds(KINDS_BEFORE)
