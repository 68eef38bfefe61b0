"""Who may read a cycle's rankings at a scope: the units ranked in it and the offices above.

A published ranking is read by every unit ranked in it (its siblings' rows included) and by
the offices above: the scope's subtree must overlap what the reader sees (the scope lies in a
subtree the reader sees, or is an ancestor of one of the reader's nodes), and the cycle must
be visible to the reader.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from scoring.models import Cycle
from tenants.access import Actor
from tenants.errors import ErrorCode, fail
from tenants.models import TenantLevel, TenantNode


def reader_paths(actor: Actor) -> tuple[str, ...]:
    """The paths of the reader's own node and of every node a grant of theirs is on."""
    return (actor.node_path, *(grant.path for grant in actor.grants))


def overlaps(actor: Actor, scope: TenantNode) -> bool:
    """Whether ``scope``'s subtree overlaps the reader's nodes: the scope is at or below one of
    them (a subtree-wide grant), is one of them, or is an ancestor of one of them."""
    if scope.customer_id != actor.customer_id:
        return False
    subtree_paths = actor.scope.subtree_paths
    if any(scope.path.startswith(path) for path in subtree_paths):
        return True
    return any(path.startswith(scope.path) for path in reader_paths(actor))


def readable_cycle(session: Session, cycle_id: int, field: str = "cycle") -> Cycle:
    """The cycle, as the reader's scoped session sees it, or NOT_FOUND naming ``field``."""
    cycle = session.get(Cycle, cycle_id)
    if cycle is None:
        raise fail(field, f"no cycle {cycle_id} that you can see", ErrorCode.NOT_FOUND)
    return cycle


def readable_scope(
    session: Session, actor: Actor, cycle: Cycle, node_id: int, field: str = "scope"
) -> TenantNode:
    """The scope node of a ranking of ``cycle`` the reader may read, or the error naming
    ``field``: NOT_FOUND when the node is out of sight, PERMISSION_DENIED when its rankings are
    not the reader's, INVALID when the cycle ranks nothing there."""
    node = session.get(TenantNode, node_id)
    if node is None:
        raise fail(field, f"no unit {node_id} that you can see", ErrorCode.NOT_FOUND)
    if not overlaps(actor, node):
        raise fail(
            field,
            f"the rankings in {node.code} {node.name_zh} are read by the units ranked in them"
            " and the offices above; you are neither",
            ErrorCode.PERMISSION_DENIED,
        )
    owner = session.get(TenantNode, cycle.owner_node_id)
    if owner is None or not node.path.startswith(owner.path):
        raise fail(
            field,
            f"{node.code} is outside the cycle's units (it ranks units under its owner)",
            ErrorCode.INVALID,
        )
    if TenantLevel(node.level).rank >= TenantLevel(cycle.level).rank:
        raise fail(
            field,
            f"{node.code} is a {node.level.value}: rankings are scoped to a region above the"
            f" cycle's level ({cycle.level.value})",
            ErrorCode.INVALID,
        )
    return node


def check_level(scope: TenantNode, cycle: Cycle, level: TenantLevel, field: str = "level") -> None:
    """A ranking's level lies below the scope's and not below the cycle's."""
    if not TenantLevel(scope.level).rank < level.rank <= TenantLevel(cycle.level).rank:
        raise fail(
            field,
            f"{level.value} is not ranked within {scope.code}: a {cycle.level.value} cycle ranks,"
            f" within a {scope.level.value}, the levels below it down to {cycle.level.value}",
            ErrorCode.INVALID,
        )
