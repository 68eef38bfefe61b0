"""Who may read a cycle's rankings at a scope: the units ranked in it and the offices above.

A published ranking is read by every unit ranked in it (its siblings' rows included) and by
the offices above: the scope lies in a subtree the reader sees, or is one of the reader's
nodes, or is an ancestor of a reader's node that is of a level the cycle ranks there (a
township clerk reads its county's and city's township rankings, not the county ranking of a
county cycle); and the cycle must be visible to the reader.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import ErrorCode, fail
from scoring.assessments.models import Cycle
from tenants.access import Actor
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


def ranked_levels(scope: TenantNode, cycle: Cycle) -> range:
    """The ranks of the levels a cycle ranks within ``scope``: those below the scope's down to
    the cycle's, or, within the owner of a cycle at its own level, that level (the units
    attached to the owner)."""
    cycle_rank = TenantLevel(cycle.level).rank
    if scope.id == cycle.owner_node_id and TenantLevel(scope.level).rank == cycle_rank:
        return range(cycle_rank, cycle_rank + 1)
    return range(TenantLevel(scope.level).rank + 1, cycle_rank + 1)


def _ranked_there(session: Session, actor: Actor, scope: TenantNode, cycle: Cycle) -> bool:
    """Whether the reader sees the scope's subtree, is the scope, or holds a node below it of
    a level the cycle ranks within it (between the scope's level and the cycle's)."""
    if any(scope.path.startswith(path) for path in actor.scope.subtree_paths):
        return True
    paths = reader_paths(actor)
    if scope.path in paths:
        return True
    below = [path for path in paths if path.startswith(scope.path)]
    if not below:
        return False
    levels = session.scalars(
        select(TenantNode.level).where(
            TenantNode.customer_id == actor.customer_id, TenantNode.path.in_(below)
        )
    )
    ranked = ranked_levels(scope, cycle)
    return any(TenantLevel(level).rank in ranked for level in levels)


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
    if not overlaps(actor, node) or not _ranked_there(session, actor, node, cycle):
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
    if not ranked_levels(node, cycle):
        raise fail(
            field,
            f"{node.code} is a {node.level.value}: rankings are scoped to a region above the"
            f" cycle's level ({cycle.level.value}), or to the cycle's owner",
            ErrorCode.INVALID,
        )
    return node


def check_level(scope: TenantNode, cycle: Cycle, level: TenantLevel, field: str = "level") -> None:
    """A ranking's level lies below the scope's and not below the cycle's (or is the level of a
    cycle's owner that ranks the units attached to it)."""
    if level.rank not in ranked_levels(scope, cycle):
        raise fail(
            field,
            f"{level.value} is not ranked within {scope.code}: a {cycle.level.value} cycle ranks,"
            f" within a {scope.level.value}, the levels below it down to {cycle.level.value}",
            ErrorCode.INVALID,
        )
