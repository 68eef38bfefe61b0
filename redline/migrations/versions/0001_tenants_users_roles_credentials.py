"""Tenants, users, roles, credentials; on PostgreSQL, row-level security as the second wall.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 19:09:45.140441
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from redline.migrations.rls import (
    SAME_CUSTOMER,
    SCOPED_ROLE,
    create_policies,
    drop_policies,
    ensure_role,
    owned_visible,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer")),
        sa.UniqueConstraint("code", name=op.f("uq_customer_code")),
    )
    op.create_table(
        "tenant_node",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
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
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "province",
                "city",
                "district",
                "county",
                "county_city",
                "town",
                "township",
                "street",
                "management_region",
                "development_zone",
                "department",
                "affiliated_unit",
                name="tenantkind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column(
            "path",
            sa.String(length=1000).with_variant(
                sa.String(length=1000, collation="C"), "postgresql"
            ),
            nullable=False,
        ),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('province', 'city', 'district', 'county', 'county_city', 'town', 'township', 'street', 'management_region', 'development_zone', 'department', 'affiliated_unit')",
            name=op.f("ck_tenant_node_kind"),
        ),
        sa.CheckConstraint(
            "level IN ('province', 'city', 'county', 'township')", name=op.f("ck_tenant_node_level")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_tenant_node_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["tenant_node.id"], name=op.f("fk_tenant_node_parent_id_tenant_node")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenant_node")),
        sa.UniqueConstraint("code", name=op.f("uq_tenant_node_code")),
        sa.UniqueConstraint("path", name=op.f("uq_tenant_node_path")),
    )
    with op.batch_alter_table("tenant_node", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tenant_node_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            "ix_tenant_node_customer_parent", ["customer_id", "parent_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tenant_node_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_app_user_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["node_id"], ["tenant_node.id"], name=op.f("fk_app_user_node_id_tenant_node")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_app_user_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_app_user_node_id"), ["node_id"], unique=False)

    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_api_token_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_api_token_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "role_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "template_author",
                "assessor",
                "submitter",
                "viewer",
                name="role",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "role IN ('admin', 'template_author', 'assessor', 'submitter', 'viewer')",
            name=op.f("ck_role_grant_role"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_role_grant_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_id"], ["app_user.id"], name=op.f("fk_role_grant_granted_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["node_id"], ["tenant_node.id"], name=op.f("fk_role_grant_node_id_tenant_node")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_role_grant_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_grant")),
        sa.UniqueConstraint("user_id", "node_id", "role", name="uq_role_grant_user_node_role"),
    )
    with op.batch_alter_table("role_grant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_role_grant_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_role_grant_node_id"), ["node_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_role_grant_user_id"), ["user_id"], unique=False)

    op.create_table(
        "web_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_web_session_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_web_session_token_hash")),
    )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_session_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_web_session_user_id"), ["user_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


# The rule of tenants.scope.TenantScope, restated for the database. The application sets these
# settings per transaction and switches to the redline_scoped role; the table owner (migrations,
# jobs, the CLI) is not subject to the policies.
SCOPE_FUNCTIONS = """
CREATE OR REPLACE FUNCTION redline_scope_customer() RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('redline.customer_id', true), '')::integer
$$;

CREATE OR REPLACE FUNCTION redline_scope_ids(setting text) RETURNS integer[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_to_array(nullif(current_setting(setting, true), ''), ',')::integer[],
                    '{}')
$$;

CREATE OR REPLACE FUNCTION redline_in_scope_subtree(node_path text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1
        FROM unnest(string_to_array(
            nullif(current_setting('redline.subtree_paths', true), ''), ',')) AS s(prefix)
        WHERE starts_with(node_path, s.prefix)
    )
$$;
"""

# Nodes the scope may read and write: its subtrees and own nodes.
NODE_WRITABLE = f"""
    {SAME_CUSTOMER}
    AND (redline_in_scope_subtree(path)
         OR id = ANY (redline_scope_ids('redline.own_node_ids')))
"""
# The ancestors of those: readable as names for navigation, never written.
NODE_ANCESTOR = f"""
    {SAME_CUSTOMER}
    AND id = ANY (redline_scope_ids('redline.ancestor_ids'))
"""


# An API token goes with its user: visible when the user is (app_user's own policy decides).
TOKEN_VISIBLE = f"""
    {SAME_CUSTOMER}
    AND EXISTS (SELECT 1 FROM app_user u WHERE u.id = api_token.user_id)
"""
# Read and write (USING and WITH CHECK), per table.
POLICIES = {
    "customer": "id = (SELECT redline_scope_customer())",
    "tenant_node": NODE_WRITABLE,
    "app_user": owned_visible("app_user"),
    "role_grant": owned_visible("role_grant"),
    "api_token": TOKEN_VISIBLE,
}
# Read only (FOR SELECT), in addition to the above.
READ_ONLY_POLICIES = {
    "tenant_node": NODE_ANCESTOR,
}


def _enable_row_level_security() -> None:
    op.execute(ensure_role(SCOPED_ROLE))
    op.execute(f"GRANT USAGE ON SCHEMA public TO {SCOPED_ROLE}")
    op.execute(
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {SCOPED_ROLE}"
    )
    # The schema version is the migrations' business only.
    op.execute(f"REVOKE ALL ON alembic_version FROM {SCOPED_ROLE}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {SCOPED_ROLE}")
    op.execute(
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {SCOPED_ROLE}"
    )
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {SCOPED_ROLE}"
    )
    op.execute(SCOPE_FUNCTIONS)
    create_policies(POLICIES)
    for table, rule in READ_ONLY_POLICIES.items():
        op.execute(
            f"CREATE POLICY tenant_scope_read ON {table} FOR SELECT TO {SCOPED_ROLE} USING ({rule})"
        )

    # Credentials are only ever read by the owner: no policy, so the scoped role sees no rows.
    op.execute("ALTER TABLE web_session ENABLE ROW LEVEL SECURITY")


def _disable_row_level_security() -> None:
    op.execute("ALTER TABLE web_session DISABLE ROW LEVEL SECURITY")
    for table in READ_ONLY_POLICIES:
        op.execute(f"DROP POLICY IF EXISTS tenant_scope_read ON {table}")
    drop_policies(POLICIES)
    op.execute("DROP FUNCTION IF EXISTS redline_in_scope_subtree(text)")
    op.execute("DROP FUNCTION IF EXISTS redline_scope_ids(text)")
    op.execute("DROP FUNCTION IF EXISTS redline_scope_customer()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _disable_row_level_security()
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_session_user_id"))
        batch_op.drop_index(batch_op.f("ix_web_session_expires_at"))

    op.drop_table("web_session")
    with op.batch_alter_table("role_grant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_grant_user_id"))
        batch_op.drop_index(batch_op.f("ix_role_grant_node_id"))
        batch_op.drop_index(batch_op.f("ix_role_grant_customer_id"))

    op.drop_table("role_grant")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))
        batch_op.drop_index(batch_op.f("ix_api_token_customer_id"))

    op.drop_table("api_token")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_user_node_id"))
        batch_op.drop_index(batch_op.f("ix_app_user_customer_id"))

    op.drop_table("app_user")
    with op.batch_alter_table("tenant_node", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tenant_node_parent_id"))
        batch_op.drop_index("ix_tenant_node_customer_parent")
        batch_op.drop_index(batch_op.f("ix_tenant_node_customer_id"))

    op.drop_table("tenant_node")
    op.drop_table("customer")
