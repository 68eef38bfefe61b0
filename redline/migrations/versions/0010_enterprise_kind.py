"""Enterprises as a kind of unit: the tenant_node kind check admits 'enterprise'.

SQLite cannot alter a check constraint, so the table is rebuilt (copied, dropped, renamed),
with foreign keys off while it is (see env.py).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

KINDS_BEFORE = (
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
)
KINDS_AFTER = (*KINDS_BEFORE, "enterprise")


def _check_kinds(kinds: tuple[str, ...]) -> None:
    condition = f"kind IN ({', '.join(repr(k) for k in kinds)})"
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("tenant_node", recreate="always") as batch_op:
            batch_op.drop_constraint(op.f("ck_tenant_node_kind"), type_="check")
            batch_op.create_check_constraint(op.f("ck_tenant_node_kind"), condition)
    else:
        op.drop_constraint(op.f("ck_tenant_node_kind"), "tenant_node", type_="check")
        op.create_check_constraint(op.f("ck_tenant_node_kind"), "tenant_node", condition)


def upgrade() -> None:
    _check_kinds(KINDS_AFTER)


def downgrade() -> None:
    # What an enterprise was before it had a kind of its own.
    op.execute("UPDATE tenant_node SET kind = 'affiliated_unit' WHERE kind = 'enterprise'")
    _check_kinds(KINDS_BEFORE)
