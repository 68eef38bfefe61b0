"""Who may write a unit's ledgers: its keepers record and rectify, its supervisors verify."""

from __future__ import annotations

from tenants.access import Actor
from tenants.models import Role, TenantNode

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
