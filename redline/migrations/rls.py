"""Row-level-security policy texts and statements shared by the migrations (PostgreSQL only).

The rule of ``tenants.scope.TenantScope`` restated for the database: the first migration creates
the ``redline_scoped`` role and the functions reading the transaction's scope settings; every
migration adding tenant tables gives them a policy built from these pieces.
"""

from __future__ import annotations

from alembic import op

SCOPED_ROLE = "redline_scoped"
SAME_CUSTOMER = "customer_id = (SELECT redline_scope_customer())"

# The scope's settings, read once per statement: a scalar subquery is evaluated once (an
# InitPlan), where a function called bare in a policy ran again for every row it checked,
# splitting the settings each time (about 5 us a row: reading a page of 500 tenant nodes
# took 9 ms, 3 ms this way; migration 0025). The casts keep ``= ANY (...)`` comparing with
# the array's elements, not with the subquery's rows.
OWN_NODE_IDS = "(SELECT redline_scope_ids('redline.own_node_ids'))::integer[]"
ANCESTOR_IDS = "(SELECT redline_scope_ids('redline.ancestor_ids'))::integer[]"
SUBTREE_PATHS = (
    "(SELECT coalesce(string_to_array("
    "nullif(current_setting('redline.subtree_paths', true), ''), ','), '{}'))::text[]"
)


def in_scope_subtree(path: str) -> str:
    """The node at ``path`` is in one of the scope's subtrees (its path starts with one)."""
    return f"{path}::text ^@ ANY ({SUBTREE_PATHS})"


def owned_visible(table: str) -> str:
    """Rows that belong to a node: visible when the node is in a subtree or one of the own nodes
    (never through the ancestors, which are visible as names only)."""
    return f"""
    {SAME_CUSTOMER}
    AND ({table}.node_id = ANY ({OWN_NODE_IDS})
         OR EXISTS (SELECT 1 FROM tenant_node n
                    WHERE n.id = {table}.node_id AND {in_scope_subtree("n.path")}))
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


def ensure_role(role: str) -> str:
    """SQL creating ``role`` (NOLOGIN) unless it exists, and granting it to the current user.

    Roles are cluster-wide, so two migrations of two databases (two deployments, two test
    processes) may both find the role missing: the later one's CREATE waits for the earlier
    one's commit and then fails on the unique name; a GRANT can race the same way. Each step
    takes the other's success as its own (no advisory lock helps: those are per database).
    """
    return f"""
        DO $$ BEGIN
            BEGIN
                CREATE ROLE {role} NOLOGIN;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- it exists (made before, or just now by a concurrent migration)
            END;
            BEGIN
                GRANT {role} TO current_user;
            EXCEPTION WHEN unique_violation THEN
                NULL;  -- granted just now by a concurrent migration
            END;
        END $$;
    """
