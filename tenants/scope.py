"""Tenant scope: what a signed-in user may see, applied to every ORM query by the session itself.

A request's session carries a ``TenantScope`` in ``session.info``; a ``do_orm_execute`` hook adds
the matching criteria to every SELECT, UPDATE and DELETE (on the classes and on every alias of
them), and a ``before_flush`` hook refuses rows written outside the scope, so no resolver or
service has to remember it. On PostgreSQL the same rule is set as transaction-local settings and
enforced again by row-level-security policies (see the first migration) under the
``redline_scoped`` role.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    event,
    false,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.orm import LoaderCriteriaOption, ORMExecuteState, Session, with_loader_criteria

from redline.db import Base, reading_bind
from tenants.models import (
    ApiToken,
    Customer,
    CustomerOwned,
    NodeOwned,
    TenantNode,
    User,
    WebSession,
)

SCOPE_KEY = "tenant_scope"
SCOPED_DB_ROLE = "redline_scoped"


def subtree_upper_bound(path: str) -> str:
    """The first path after every descendant of ``path``: "/a/b/" -> "/a/b0" ("0" follows "/")."""
    return path[:-1] + "0"


def in_subtree(
    path_column: ColumnElement[str], path: str | ColumnElement[str]
) -> ColumnElement[bool]:
    """An index-backed "starts with": path_column in [path, upper bound). ``path`` may be a
    column too (a join to each node's ancestors), its upper bound then computed in SQL."""
    if isinstance(path, str):
        return and_(path_column >= path, path_column < subtree_upper_bound(path))
    upper = func.substr(path, 1, func.length(path) - 1).op("||")(literal("0"))
    return and_(path_column >= path, path_column < upper)


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

    def node_writable(self, node: TenantNode) -> bool:
        """Whether this scope may write ``node``: as visible, but never an ancestor."""
        if node.customer_id != self.customer_id:
            return False
        return (
            any(node.path.startswith(p) for p in self.subtree_paths) or node.id in self.own_node_ids
        )

    def node_criteria(self, *, with_ancestors: bool = True) -> ColumnElement[bool]:
        """Which tenant nodes are visible (``with_ancestors=False``: which ones may be written)."""
        clauses = [in_subtree(TenantNode.path, p) for p in self.subtree_paths]
        ids = self.own_node_ids + (self.ancestor_ids if with_ancestors else ())
        if ids:
            clauses.append(TenantNode.id.in_(ids))
        return and_(TenantNode.customer_id == self.customer_id, or_(false(), *clauses))

    def node_ids(self, *, with_ancestors: bool = True) -> Select[tuple[int]]:
        """The ids of the nodes of :meth:`node_criteria`, as an uncorrelated subquery.

        It reads the bare table, not the mapped class, so the session's criteria are not applied
        to it again, and it stays the same whatever alias of a class the criteria are put on.
        """
        node = TenantNode.__table__.c
        clauses = [in_subtree(node.path, p) for p in self.subtree_paths]
        ids = self.own_node_ids + (self.ancestor_ids if with_ancestors else ())
        if ids:
            clauses.append(node.id.in_(ids))
        return (
            select(node.id)
            .where(node.customer_id == self.customer_id, or_(false(), *clauses))
            .correlate(None)
        )

    def user_ids(self) -> Select[tuple[int]]:
        """The ids of the visible users (those of the subtrees and own nodes), like ``node_ids``."""
        user = User.__table__.c
        return (
            select(user.id)
            .where(
                user.customer_id == self.customer_id,
                user.node_id.in_(self.node_ids(with_ancestors=False)),
            )
            .correlate(None)
        )

    def loader_criteria(self, cls: type, *, writing: bool = False) -> LoaderCriteriaOption | None:
        """The ``with_loader_criteria`` option narrowing ``cls`` and every alias of it.

        The criteria are lambdas of the entity, so that an ``aliased()`` class gets them on its own
        columns, in joins too (a plain expression would keep naming the base table there). Their
        closures hold only values and SQL constructs, which SQLAlchemy makes part of the cache key
        and binds per statement, so a cached statement never carries another scope's values.
        When ``writing`` (UPDATE, DELETE), ancestors are left out: they are names to read only.
        """
        customer_id = self.customer_id
        if cls is TenantNode:
            node_ids = self.node_ids(with_ancestors=not writing)
            return with_loader_criteria(
                TenantNode,
                lambda c: and_(c.customer_id == customer_id, c.id.in_(node_ids)),
                include_aliases=True,
            )
        if cls is Customer:
            return with_loader_criteria(
                Customer, lambda c: c.id == customer_id, include_aliases=True
            )
        if cls is WebSession:
            # Credentials are read by system sessions only (as on PostgreSQL, where the scoped role
            # has no policy on web_session and so sees none of its rows).
            return with_loader_criteria(WebSession, false(), include_aliases=True)
        if cls is ApiToken:
            user_ids = self.user_ids()
            return with_loader_criteria(
                ApiToken,
                lambda c: and_(c.customer_id == customer_id, c.user_id.in_(user_ids)),
                include_aliases=True,
            )
        if issubclass(cls, NodeOwned):
            # Rows of the subtrees and own nodes; never of the ancestors (names only).
            owned_ids = self.node_ids(with_ancestors=False)
            return with_loader_criteria(
                cls,
                lambda c: and_(c.customer_id == customer_id, c.node_id.in_(owned_ids)),
                include_aliases=True,
            )
        if issubclass(cls, CustomerOwned):
            return with_loader_criteria(
                cls, lambda c: c.customer_id == customer_id, include_aliases=True
            )
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
    """Every mapped class that holds tenant data or credentials (and so must be scoped)."""
    return [
        m.class_
        for m in Base.registry.mappers
        if m.class_ in (TenantNode, Customer, WebSession) or issubclass(m.class_, CustomerOwned)
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


@contextmanager
def system_view(session: Session) -> Iterator[Session]:
    """A session that reads with the system's view, for facts that do not depend on who asks
    (a unit's ledger figures count every row of its territory, whoever reads its scorecard):
    ``session`` itself if it is a system session, else one of its own on the same database,
    which sees what is committed and takes no write lock."""
    if scope_of(session) is None:
        yield session
        return
    with Session(reading_bind(session.get_bind())) as reader:
        yield reader


@event.listens_for(Session, "do_orm_execute")
def _apply_scope(state: ORMExecuteState) -> None:
    scope = scope_of(state.session)
    if scope is None or not (state.is_select or state.is_update or state.is_delete):
        return
    writing = state.is_update or state.is_delete
    state.statement = state.statement.options(*_scope_options(state.session, scope, writing))


def _scope_options(session: Session, scope: TenantScope, writing: bool) -> tuple[object, ...]:
    """The loader criteria of every tenant class for ``scope``: kept on the session for its
    statements, and made once per scope in the process (building them cost more than many a
    statement itself, and a request's session is new each time)."""
    key = f"tenant_scope_options:{'write' if writing else 'read'}"
    cached = session.info.get(key)
    if cached is None or cached[0] is not scope:
        # The count of mapped classes is part of the key: a model imported later gets its criteria.
        cached = (scope, _options_of(scope, writing, len(Base.registry.mappers)))
        session.info[key] = cached
    return cached[1]


@lru_cache(maxsize=1024)
def _options_of(scope: TenantScope, writing: bool, mapped: int) -> tuple[object, ...]:
    """The options of :func:`_scope_options`, one set per scope's value: they hold only values
    and SQL constructs (see ``TenantScope.loader_criteria``), so every session may share them."""
    options = (scope.loader_criteria(cls, writing=writing) for cls in tenant_classes())
    return tuple(o for o in options if o is not None)


class ScopeViolation(RuntimeError):
    """A scoped session tried to write a row outside its scope: a bug in the caller, not input."""


def _check_writes(session: Session, scope: TenantScope) -> None:
    """Rows a scoped session adds or changes stay in its customer, and nodes and node-owned rows
    in its subtrees or own nodes (the rule the policies' WITH CHECK applies on PostgreSQL)."""
    owned: dict[int, object] = {}
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, WebSession):
            problem = "credentials are written by system sessions only"
        elif isinstance(obj, Customer):
            problem = None if obj.id == scope.customer_id else "another customer"
        elif isinstance(obj, CustomerOwned) and obj.customer_id != scope.customer_id:
            problem = f"customer {obj.customer_id}, not {scope.customer_id}"
        elif isinstance(obj, TenantNode) and not scope.node_writable(obj):
            problem = f"node {obj.path} is outside the writable nodes"
        else:
            problem = None
            if isinstance(obj, NodeOwned):
                owned.setdefault(obj.node_id, obj)
        if problem:
            raise ScopeViolation(f"a scoped session cannot write {obj!r}: {problem}")
    if owned:
        node = TenantNode.__table__.c
        with session.no_autoflush:
            writable = set(
                session.scalars(scope.node_ids(with_ancestors=False).where(node.id.in_(owned)))
            )
        for node_id, obj in owned.items():
            if node_id not in writable:
                raise ScopeViolation(
                    f"a scoped session cannot write {obj!r}: node {node_id} is out of scope"
                )


@event.listens_for(Session, "before_flush")
def _guard_writes(session: Session, _flush_context: object, _instances: object) -> None:
    scope = scope_of(session)
    if scope is not None:
        _check_writes(session, scope)


@event.listens_for(Session, "after_begin")
def _set_database_scope(session: Session, _transaction: object, connection) -> None:
    scope = scope_of(session)
    if scope is None or connection.dialect.name != "postgresql":
        return
    # The role and the scope's settings in one round trip: set_config('role', ..., true) is
    # SET LOCAL ROLE, both ending with the transaction.
    settings = {"role": SCOPED_DB_ROLE, **scope.settings()}
    connection.execute(
        text(
            ", ".join(f"set_config('{k}', :v{i}, true)" for i, k in enumerate(settings)).join(
                ("SELECT ", "")
            )
        ),
        {f"v{i}": v for i, v in enumerate(settings.values())},
    )
