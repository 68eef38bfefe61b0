"""Accounts and the audit log: usernames unique whatever their case, a password change due after
an admin's reset, the second factor (TOTP), sessions that end when idle (last seen, browser,
address), the token that made a token, and the hash-chained audit log that the database
refuses to change (audit_chain, audit_entry, with triggers; on PostgreSQL the scoped role may
only read and append).

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from redline.db import UtcDateTime
from redline.migrations.rls import SAME_CUSTOMER, SCOPED_ROLE, create_policies, drop_policies
from tenants.audit import POSTGRESQL_TRIGGER, SQLITE_TRIGGERS

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

POLICIES = {
    "audit_entry": SAME_CUSTOMER,
    "audit_chain": "chain = (SELECT redline_scope_customer())",
}


def upgrade() -> None:
    _refuse_usernames_differing_in_case_only()
    with op.batch_alter_table("app_user") as table:
        table.add_column(
            sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default="0")
        )
        table.add_column(sa.Column("totp_pending_secret", sa.String(64), nullable=True))
        table.add_column(sa.Column("totp_secret", sa.String(64), nullable=True))
        table.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
    op.create_index(
        "uq_app_user_username_lower", "app_user", [sa.text("lower(username)")], unique=True
    )
    with op.batch_alter_table("web_session") as table:
        table.add_column(
            sa.Column("last_seen_at", UtcDateTime(), nullable=False, server_default=sa.func.now())
        )
        table.add_column(sa.Column("user_agent", sa.String(300), nullable=False, server_default=""))
        table.add_column(sa.Column("address", sa.String(64), nullable=False, server_default=""))
    with op.batch_alter_table("api_token") as table:
        table.add_column(sa.Column("created_by_token_id", sa.Integer(), nullable=True))
        table.create_foreign_key(
            "fk_api_token_created_by_token_id_api_token",
            "api_token",
            ["created_by_token_id"],
            ["id"],
            ondelete="SET NULL",
        )
        table.create_index("ix_api_token_created_by_token_id", ["created_by_token_id"])

    op.create_table(
        "audit_chain",
        sa.Column("chain", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("chain", name="pk_audit_chain"),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("node_id", sa.Integer(), nullable=True),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(80), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name="fk_audit_entry_customer_id_customer"
        ),
        sa.ForeignKeyConstraint(
            ["node_id"], ["tenant_node.id"], name="fk_audit_entry_node_id_tenant_node"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_audit_entry"),
        sa.UniqueConstraint("chain", "seq", name="uq_audit_entry_chain_seq"),
    )
    op.create_index("ix_audit_entry_customer_at", "audit_entry", ["customer_id", "at"])
    op.create_index("ix_audit_entry_node_id", "audit_entry", ["node_id"])
    op.create_index("ix_audit_entry_actor_user_id", "audit_entry", ["actor_user_id"])
    op.create_index("ix_audit_entry_action", "audit_entry", ["action"])

    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_TRIGGER)
        create_policies(POLICIES)
        # Read and append only, whatever the default privileges gave.
        op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM {SCOPED_ROLE}")
        op.execute(f"GRANT SELECT, INSERT ON audit_entry TO {SCOPED_ROLE}")
    else:
        for trigger in SQLITE_TRIGGERS.values():
            op.execute(trigger)


def _refuse_usernames_differing_in_case_only() -> None:
    clashes = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT lower(username), count(*) FROM app_user "
                "GROUP BY lower(username) HAVING count(*) > 1 ORDER BY 1"
            )
        )
        .all()
    )
    if clashes:
        names = ", ".join(name for name, _count in clashes)
        raise RuntimeError(
            "usernames become case-insensitive, and these differ only in case: "
            f"{names}. Rename one of each (UPDATE app_user SET username = ...) and migrate again."
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        drop_policies(POLICIES)
        op.execute("DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry")
        op.execute("DROP FUNCTION IF EXISTS redline_audit_append_only()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("audit_entry")
    op.drop_table("audit_chain")
    with op.batch_alter_table("api_token") as table:
        table.drop_index("ix_api_token_created_by_token_id")
        table.drop_constraint("fk_api_token_created_by_token_id_api_token", type_="foreignkey")
        table.drop_column("created_by_token_id")
    with op.batch_alter_table("web_session") as table:
        table.drop_column("address")
        table.drop_column("user_agent")
        table.drop_column("last_seen_at")
    op.drop_index("uq_app_user_username_lower", "app_user")
    with op.batch_alter_table("app_user") as table:
        table.drop_column("totp_last_step")
        table.drop_column("totp_secret")
        table.drop_column("totp_pending_secret")
        table.drop_column("must_change_password")
