"""Row-level-security policy texts and statements shared by the migrations (PostgreSQL only).

The rule of ``tenants.scope.TenantScope`` restated for the database: the first migration creates
the ``redline_scoped`` role and the functions reading the transaction's scope settings; every
migration adding tenant tables gives them a policy built from these pieces.
"""

from __future__ import annotations

from alembic import op

SCOPED_ROLE = "redline_scoped"
SAME_CUSTOMER = "customer_id = (SELECT redline_scope_customer())"


def owned_visible(table: str) -> str:
    """Rows that belong to a node: visible when the node is in a subtree or one of the own nodes
    (never through the ancestors, which are visible as names only)."""
    return f"""
    {SAME_CUSTOMER}
    AND ({table}.node_id = ANY (redline_scope_ids('redline.own_node_ids'))
         OR EXISTS (SELECT 1 FROM tenant_node n
                    WHERE n.id = {table}.node_id AND redline_in_scope_subtree(n.path)))
"""


def create_policies(policies: dict[str, str]) -> None:
    """Enable row-level security on each table with its read-and-write rule."""
    for table, rule in policies.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_scope ON {table} TO {SCOPED_ROLE} "
            f"USING ({rule}) WITH CHECK ({rule})"
        )


def drop_policies(tables: list[str] | dict[str, str]) -> None:
    """Undo :func:`create_policies`."""
    for table in tables:
        op.execute(f"DROP POLICY IF EXISTS tenant_scope ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
