"""What the API lists of the hierarchy: units and users (each narrowed as asked), a user's own
API tokens, and rows kept to one unit's subtree."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.orm import Session

from tenants.access import Actor
from tenants.models import ApiToken, TenantKind, TenantLevel, TenantNode, User
from tenants.scope import in_subtree

Row = TypeVar("Row", bound=tuple[Any, ...])


def subtree_condition(session: Session, root_id: int) -> ColumnElement[bool]:
    """Tenant nodes in the subtree of ``root_id`` (the root included); none when the session
    cannot see the root."""
    root = session.get(TenantNode, root_id)
    return in_subtree(TenantNode.path, root.path) if root else false()


def within_subtree(
    session: Session, query: Select[Row], node_column: ColumnElement[int], root_id: int
) -> Select[Row]:
    """``query`` kept to the rows whose unit (``node_column``) is in the subtree of ``root_id``."""
    return query.join(TenantNode, TenantNode.id == node_column).where(
        subtree_condition(session, root_id)
    )


def tenants_query(
    session: Session,
    *,
    level: TenantLevel | None = None,
    kind: TenantKind | None = None,
    parent_id: int | None = None,
    subtree_of: int | None = None,
    search: str | None = None,
) -> Select[tuple[TenantNode]]:
    """Units of one level, of one kind, directly below a unit, in a unit's subtree, or whose
    code starts with ``search`` or whose Chinese or English name holds it (any case)."""
    query = select(TenantNode)
    if level is not None:
        query = query.where(TenantNode.level == level)
    if kind is not None:
        query = query.where(TenantNode.kind == kind)
    if parent_id is not None:
        query = query.where(TenantNode.parent_id == parent_id)
    if subtree_of is not None:
        query = query.where(subtree_condition(session, subtree_of))
    if search is not None and search.strip():
        query = query.where(search_condition(search.strip()))
    return query


def search_condition(
    text: str,
    code: ColumnElement[str] = TenantNode.code,  # type: ignore[assignment]
    name_zh: ColumnElement[str] = TenantNode.name_zh,  # type: ignore[assignment]
    name_en: ColumnElement[str] = TenantNode.name_en,  # type: ignore[assignment]
) -> ColumnElement[bool]:
    """Units whose code starts with ``text`` or whose names contain it, ignoring case; ``%`` and
    ``_`` in ``text`` match themselves. The columns default to the tenant's own; a row that
    keeps a unit's code and names (a published ranking row) passes its own."""
    return or_(
        code.istartswith(text, autoescape=True),
        name_zh.icontains(text, autoescape=True),
        name_en.icontains(text, autoescape=True),
    )


def users_query(*, node_id: int | None = None) -> Select[tuple[User]]:
    """Users, or only those of one unit."""
    query = select(User)
    if node_id is not None:
        query = query.where(User.node_id == node_id)
    return query


def api_tokens_of(actor: Actor) -> Select[tuple[ApiToken]]:
    """The actor's own API tokens (no one reads another user's, however far they see)."""
    return select(ApiToken).where(ApiToken.user_id == actor.user_id)


def province_of(session: Session, customer_id: int) -> TenantNode | None:
    """The province node (the root) of a customer; None before it has one."""
    return session.scalars(
        select(TenantNode)
        .where(TenantNode.customer_id == customer_id, TenantNode.parent_id.is_(None))
        .order_by(TenantNode.id)
        .limit(1)
    ).first()
