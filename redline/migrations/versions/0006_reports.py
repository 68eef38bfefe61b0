"""Reports printed by a job and kept (the REPORT job kind), and provinces' letterheads.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from redline.migrations.rls import SAME_CUSTOMER, create_policies, drop_policies

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
JOB_KINDS_BEFORE = "kind IN ('full_recompute', 'overdue_sweep', 'deadline_reminders')"
JOB_KINDS = "kind IN ('full_recompute', 'overdue_sweep', 'deadline_reminders', 'report')"

# A report is read by its asker or by whoever reads its unit: the application narrows it
# (scoring.reports.archive.reports_visible_to); the database keeps provinces apart.
POLICIES = {"report": SAME_CUSTOMER, "report_letterhead": SAME_CUSTOMER}


def _job_kinds(check: str) -> None:
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_job_run_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_job_run_kind"), check)


def upgrade() -> None:
    _job_kinds(JOB_KINDS)
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "scorecard",
                "ranking",
                "statistics",
                name="reportkind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "language",
            sa.Enum("zh", "en", name="language", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("job_run_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column(
            "level",
            sa.Enum(
                "province",
                "city",
                "county",
                "township",
                name="tenantlevel",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("letterhead_version", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('scorecard', 'ranking', 'statistics')", name=op.f("ck_report_kind")
        ),
        sa.CheckConstraint("language IN ('zh', 'en')", name=op.f("ck_report_language")),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_report_assessment_id_assessment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_report_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_report_cycle_id_cycle"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["job_run_id"], ["job_run.id"], name=op.f("fk_report_job_run_id_job_run")
        ),
        sa.ForeignKeyConstraint(
            ["node_id"], ["tenant_node.id"], name=op.f("fk_report_node_id_tenant_node")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["app_user.id"], name=op.f("fk_report_requested_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
        sa.UniqueConstraint("job_run_id", name=op.f("uq_report_job_run_id")),
    )
    op.create_index(op.f("ix_report_customer_id"), "report", ["customer_id"])
    op.create_index(op.f("ix_report_node_id"), "report", ["node_id"])
    op.create_index("ix_report_customer_id_id", "report", ["customer_id", "id"])
    op.create_table(
        "report_letterhead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("footer", sa.String(length=200), nullable=False),
        sa.Column("wording", DOCUMENT, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("logo_type", sa.String(length=40), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_report_letterhead_customer_id_customer"),
        ),
        sa.ForeignKeyConstraint(
            ["saved_by_id"],
            ["app_user.id"],
            name=op.f("fk_report_letterhead_saved_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_letterhead")),
        sa.UniqueConstraint(
            "customer_id", "version", name=op.f("uq_report_letterhead_customer_id_version")
        ),
    )
    op.create_index(op.f("ix_report_letterhead_customer_id"), "report_letterhead", ["customer_id"])
    if op.get_bind().dialect.name == "postgresql":
        create_policies(POLICIES)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        drop_policies(POLICIES)
    op.drop_table("report_letterhead")
    op.drop_table("report")
    op.execute("DELETE FROM job_run WHERE kind = 'report'")
    _job_kinds(JOB_KINDS_BEFORE)
