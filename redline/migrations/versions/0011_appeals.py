"""Appeals (申诉): a reviewed unit objects to its points on an indicator until the cycle's
appeal deadline, with evidence; the assessor accepts (adjusting the points) or rejects, saying why;
both sides are notified.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from redline.migrations.rls import create_policies, drop_policies, owned_visible

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

POLICIES = {"appeal": owned_visible("appeal")}
NOTIFICATION_KINDS = (
    "self_assessment_due",
    "self_assessment_overdue",
    "review_due",
    "hazard_due",
    "hazard_overdue",
    "task_due",
    "task_overdue",
)
APPEAL_KINDS = ("appeal_filed", "appeal_decided")


def _notification_kinds(kinds: tuple[str, ...]) -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_notification_kind"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_notification_kind"), f"kind IN ({', '.join(map(repr, kinds))})"
        )


def upgrade() -> None:
    op.create_table(
        "appeal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("points_before", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("points_after", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("filed_by_id", sa.Integer(), nullable=True),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "state IN ('open', 'accepted', 'rejected')", name=op.f("ck_appeal_state")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_appeal_assessment_id_assessment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_appeal_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["app_user.id"], name=op.f("fk_appeal_decided_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["filed_by_id"], ["app_user.id"], name=op.f("fk_appeal_filed_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["template_item.id"], name=op.f("fk_appeal_item_id_template_item")
        ),
        sa.ForeignKeyConstraint(
            ["node_id"], ["tenant_node.id"], name=op.f("fk_appeal_node_id_tenant_node")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeal")),
    )
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appeal_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_appeal_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appeal_node_id"), ["node_id"], unique=False)
        batch_op.create_index(
            "uq_appeal_waiting",
            ["assessment_id", "item_id"],
            unique=True,
            sqlite_where=sa.text("state = 'open'"),
            postgresql_where=sa.text("state = 'open'"),
        )
    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.add_column(sa.Column("appeal_due", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("appeal_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_attachment_appeal_id"), ["appeal_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_attachment_appeal_id_appeal"),
            "appeal",
            ["appeal_id"],
            ["id"],
            ondelete="CASCADE",
        )
    _notification_kinds(NOTIFICATION_KINDS + APPEAL_KINDS)
    if op.get_bind().dialect.name == "postgresql":
        create_policies(POLICIES)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        drop_policies(POLICIES)
    op.execute("DELETE FROM notification WHERE kind IN ('appeal_filed', 'appeal_decided')")
    _notification_kinds(NOTIFICATION_KINDS)
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_attachment_appeal_id_appeal"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_attachment_appeal_id"))
        batch_op.drop_column("appeal_id")
    with op.batch_alter_table("cycle", schema=None) as batch_op:
        batch_op.drop_column("appeal_due")
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.drop_index("uq_appeal_waiting")
        batch_op.drop_index(batch_op.f("ix_appeal_node_id"))
        batch_op.drop_index(batch_op.f("ix_appeal_customer_id"))
        batch_op.drop_index(batch_op.f("ix_appeal_assessment_id"))
    op.drop_table("appeal")
