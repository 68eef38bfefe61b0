"""Who is acting: the signed-in user's grants, what they may do, and the scope they may read."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import ErrorCode, fail
from tenants.models import Role, RoleGrant, TenantNode, User
from tenants.scope import TenantScope


@dataclass(frozen=True)
class Grant:
    """A role on a node, with the node's path so checks need no query."""

    role: Role
    node_id: int
    path: str

    def covers(self, node: TenantNode) -> bool:
        """Whether this grant reaches ``node`` (its subtree, or the node itself for submitters)."""
        if self.role.covers_subtree:
            return node.path.startswith(self.path)
        return node.id == self.node_id


@dataclass(frozen=True)
class Actor:
    """A signed-in user as the services see them: identity, home node and grants."""

    user_id: int
    username: str
    customer_id: int
    node_id: int
    node_path: str
    grants: tuple[Grant, ...]
    # Ancestors of the home node and of every grant: readable as names, nothing more.
    ancestor_ids: tuple[int, ...] = ()

    def can(self, node: TenantNode, *roles: Role) -> bool:
        """Whether one of the actor's grants with one of ``roles`` covers ``node``."""
        return node.customer_id == self.customer_id and any(
            g.role in roles and g.covers(node) for g in self.grants
        )

    def require(self, node: TenantNode, *roles: Role, field: str | None = None) -> None:
        """Raise a permission error unless :meth:`can`."""
        if not self.can(node, *roles):
            wanted = " or ".join(r.value for r in roles)
            raise fail(
                field,
                f"you need the {wanted} role on {node.code} or an ancestor",
                ErrorCode.PERMISSION_DENIED,
            )

    @property
    def scope(self) -> TenantScope:
        """What this actor may read: subtrees of their grants, their own nodes, the ancestors."""
        subtree = sorted({g.path for g in self.grants if g.role.covers_subtree})
        # Drop subtrees inside other subtrees: fewer, equivalent range conditions.
        subtree = [p for p in subtree if not any(p != q and p.startswith(q) for q in subtree)]
        own = {self.node_id} | {g.node_id for g in self.grants if not g.role.covers_subtree}
        return TenantScope(
            customer_id=self.customer_id,
            subtree_paths=tuple(subtree),
            own_node_ids=tuple(sorted(own)),
            ancestor_ids=self.ancestor_ids,
        )


def user_id_of(actor: Actor | None) -> int | None:
    """Who to record as having done something: the actor's user, or None for the system."""
    return actor.user_id if actor is not None else None


def load_actor(session: Session, user: User) -> Actor:
    """Build the actor for an active user from a system session (before any scope exists).
    The user's home node is read unless the session holds it already (read with the user)."""
    home = session.get_one(TenantNode, user.node_id)
    rows = session.execute(
        select(RoleGrant.role, RoleGrant.node_id, TenantNode.path)
        .join(TenantNode, TenantNode.id == RoleGrant.node_id)
        .where(RoleGrant.user_id == user.id)
        .order_by(RoleGrant.id)
    ).all()
    grants = tuple(Grant(Role(role), node_id, path) for role, node_id, path in rows)
    ancestor_codes = {
        code
        for path in (home.path, *(g.path for g in grants))
        for code in path.strip("/").split("/")[:-1]
    }
    ancestor_ids = (
        session.scalars(
            select(TenantNode.id)
            .where(TenantNode.code.in_(ancestor_codes), TenantNode.customer_id == user.customer_id)
            .order_by(TenantNode.id)
        ).all()
        if ancestor_codes  # a province's people have none: no statement to find none
        else ()
    )
    return Actor(
        user_id=user.id,
        username=user.username,
        customer_id=user.customer_id,
        node_id=home.id,
        node_path=home.path,
        grants=grants,
        ancestor_ids=tuple(ancestor_ids),
    )
