"""Tenant scope: what a signed-in user may see, applied to every ORM query by the session itself.

A request's session carries a ``TenantScope`` in ``session.info``; a ``do_orm_execute`` hook adds
the matching criteria to every SELECT, UPDATE and DELETE, so no resolver or service has to
remember it. On PostgreSQL the same rule is set as transaction-local settings and enforced again by
row-level-security policies (see the first migration) under the ``redline_scoped`` role.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, event, false, or_, select, text
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from redline.db import Base
from tenants.models import Customer, CustomerOwned, NodeOwned, TenantNode

SCOPE_KEY = "tenant_scope"
SCOPED_DB_ROLE = "redline_scoped"


def subtree_upper_bound(path: str) -> str:
    """The first path after every descendant of ``path``: "/a/b/" -> "/a/b0" ("0" follows "/")."""
    return path[:-1] + "0"


def in_subtree(path_column: ColumnElement[str], path: str) -> ColumnElement[bool]:
    """An index-backed "starts with": path_column in [path, upper bound)."""
    return and_(path_column >= path, path_column < subtree_upper_bound(path))


@dataclass(frozen=True)
class TenantScope:
    """The part of one customer a user may read.

    - ``subtree_paths``: nodes whose whole subtree is visible (roles other than submitter).
    - ``own_node_ids``: nodes visible by themselves (the user's own node, submitter grants).
    - ``ancestor_ids``: ancestors of those, visible as tenant nodes only (names for navigation),
      never their users, grants or other data.
    """

    customer_id: int
    subtree_paths: tuple[str, ...] = ()
    own_node_ids: tuple[int, ...] = ()
    ancestor_ids: tuple[int, ...] = ()

    @classmethod
    def nothing(cls) -> TenantScope:
        """The scope of an anonymous request: no customer, no rows."""
        return cls(customer_id=0)

    def node_visible(self, node: TenantNode) -> bool:
        """Whether this scope shows ``node`` as a tenant node (the rule of ``node_criteria``)."""
        if node.customer_id != self.customer_id:
            return False
        return (
            any(node.path.startswith(p) for p in self.subtree_paths)
            or node.id in self.own_node_ids
            or node.id in self.ancestor_ids
        )

    def node_criteria(self) -> ColumnElement[bool]:
        """Which tenant nodes are visible."""
        clauses = [in_subtree(TenantNode.path, p) for p in self.subtree_paths]
        ids = self.own_node_ids + self.ancestor_ids
        if ids:
            clauses.append(TenantNode.id.in_(ids))
        return and_(TenantNode.customer_id == self.customer_id, or_(false(), *clauses))

    def owned_criteria(self, cls: type[NodeOwned]) -> ColumnElement[bool]:
        """Which rows of a node-owned table are visible: those of nodes in the subtrees or own."""
        clauses: list[ColumnElement[bool]] = []
        if self.subtree_paths:
            # Aliased, so this inner TenantNode is not itself narrowed to ancestors.
            subtree_ids = select(TenantNode.id).where(
                or_(*(in_subtree(TenantNode.path, p) for p in self.subtree_paths)),
                TenantNode.customer_id == self.customer_id,
            )
            clauses.append(cls.node_id.in_(subtree_ids))
        if self.own_node_ids:
            clauses.append(cls.node_id.in_(self.own_node_ids))
        return and_(cls.customer_id == self.customer_id, or_(false(), *clauses))

    def criteria_for(self, cls: type) -> ColumnElement[bool] | None:
        """The criteria for one mapped class, or None if the class is not tenant data."""
        if cls is TenantNode:
            return self.node_criteria()
        if cls is Customer:
            return Customer.id == self.customer_id
        if issubclass(cls, NodeOwned):
            return self.owned_criteria(cls)
        if issubclass(cls, CustomerOwned):
            return cls.customer_id == self.customer_id
        return None

    def settings(self) -> dict[str, str]:
        """The transaction-local PostgreSQL settings the row-level-security policies read."""
        return {
            "redline.customer_id": str(self.customer_id),
            "redline.subtree_paths": ",".join(self.subtree_paths),
            "redline.own_node_ids": ",".join(map(str, self.own_node_ids)),
            "redline.ancestor_ids": ",".join(map(str, self.ancestor_ids)),
        }


def tenant_classes() -> list[type]:
    """Every mapped class that holds tenant data (and so must be scoped)."""
    return [
        m.class_
        for m in Base.registry.mappers
        if m.class_ in (TenantNode, Customer) or issubclass(m.class_, CustomerOwned)
    ]


def scoped(session: Session, scope: TenantScope) -> Session:
    """Mark a fresh session as acting within ``scope``; every later query is narrowed to it."""
    if session.in_transaction():
        raise RuntimeError("set the tenant scope before the session's first query")
    session.info[SCOPE_KEY] = scope
    return session


def scope_of(session: Session) -> TenantScope | None:
    """The scope a session acts within, or None for a system session (jobs, CLI, migrations)."""
    return session.info.get(SCOPE_KEY)


@event.listens_for(Session, "do_orm_execute")
def _apply_scope(state: ORMExecuteState) -> None:
    scope = scope_of(state.session)
    if scope is None or not (state.is_select or state.is_update or state.is_delete):
        return
    options = []
    for cls in tenant_classes():
        criteria = scope.criteria_for(cls)
        if criteria is not None:
            options.append(with_loader_criteria(cls, criteria, include_aliases=True))
    state.statement = state.statement.options(*options)


@event.listens_for(Session, "after_begin")
def _set_database_scope(session: Session, _transaction: object, connection) -> None:
    scope = scope_of(session)
    if scope is None or connection.dialect.name != "postgresql":
        return
    connection.exec_driver_sql(f"SET LOCAL ROLE {SCOPED_DB_ROLE}")
    settings = scope.settings()
    connection.execute(
        text(
            ", ".join(f"set_config('{k}', :v{i}, true)" for i, k in enumerate(settings)).join(
                ("SELECT ", "")
            )
        ),
        {f"v{i}": v for i, v in enumerate(settings.values())},
    )
