"""Who may read and write a unit's ledgers: its keepers record and rectify, its supervisors
verify, and whoever sees the unit's subtree reads them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tenants.access import Actor
from tenants.models import Role, TenantNode
from tenants.scope import TenantScope

# The unit's own clerks (submitter) and the offices above it (assessor, admin) keep its ledgers.
KEEPERS = (Role.SUBMITTER, Role.ASSESSOR, Role.ADMIN)
# Verifying a rectification ("look back"), listing a major hazard for supervision, reopening a
# task element: the offices that review the unit.
SUPERVISORS = (Role.ASSESSOR, Role.ADMIN)


def require_keeper(actor: Actor | None, node: TenantNode, field: str | None = None) -> None:
    """PERMISSION_DENIED unless the actor keeps ``node``'s ledgers (None: the system itself)."""
    if actor is not None:
        actor.require(node, *KEEPERS, field=field)


def require_supervisor(actor: Actor | None, node: TenantNode, field: str | None = None) -> None:
    """PERMISSION_DENIED unless the actor supervises ``node`` (None: the system itself)."""
    if actor is not None:
        actor.require(node, *SUPERVISORS, field=field)


def readable_unit(session: Session, scope: TenantScope, node_id: int) -> TenantNode | None:
    """The unit if ``scope`` reads its ledgers: its own units and the units of its subtrees.
    None otherwise, an ancestor included: its name is visible for navigation, its ledgers
    are not."""
    node = session.get(TenantNode, node_id)
    return node if node is not None and scope.node_writable(node) else None
