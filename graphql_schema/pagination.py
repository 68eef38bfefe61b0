"""Relay connections backed by SQL: keyset pagination on a unique sort key, with totalCount."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session
from strawberry import relay

from redline.errors import ErrorCode

from .errors import ApiError

NodeT = TypeVar("NodeT")
MAX_PAGE = 500
DEFAULT_PAGE = 50


@strawberry.type(name="Edge", description="A node in a connection, with its cursor.")
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type(description="A page of a list, Relay style, with the size of the whole list.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: relay.PageInfo
    total_count: int = strawberry.field(description="How many items the whole list holds.")


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode(f"k:{key}".encode()).decode()


def decode_cursor(cursor: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        raw = ""
    if not raw.startswith("k:"):
        raise ApiError(f"after: {cursor!r} is not a cursor of this list", ErrorCode.INVALID)
    return raw[2:]


def check_first(first: int | None) -> int:
    """The page size asked for, within [0, MAX_PAGE]."""
    if first is None:
        return DEFAULT_PAGE
    if not 0 <= first <= MAX_PAGE:
        raise ApiError(f"first: must be between 0 and {MAX_PAGE}", ErrorCode.INVALID)
    return first


def paginate(
    session: Session,
    stmt: Select[Any],
    key: ColumnElement[Any],
    convert: Callable[[Any], NodeT],
    *,
    first: int | None,
    after: str | None,
    key_of: Callable[[Any], Any],
) -> Connection[NodeT]:
    """One page of ``stmt`` ordered by the unique ``key``: two queries (page and count)."""
    size = check_first(first)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page_stmt = stmt
    if after is not None:
        page_stmt = page_stmt.where(key > _typed(key, decode_cursor(after)))
    rows: Sequence[Any] = session.scalars(page_stmt.order_by(key).limit(size + 1)).all()
    return build_connection(rows, size, total, convert, key_of, has_previous=after is not None)


def build_connection(
    rows: Sequence[Any],
    size: int,
    total: int,
    convert: Callable[[Any], NodeT],
    key_of: Callable[[Any], Any],
    *,
    has_previous: bool,
) -> Connection[NodeT]:
    """A connection from up to ``size + 1`` rows (the extra one says there is a next page)."""
    page = list(rows[:size])
    edges = [Edge(cursor=encode_cursor(str(key_of(r))), node=convert(r)) for r in page]
    return Connection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=len(rows) > size,
            has_previous_page=has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )


def _typed(key: ColumnElement[Any], raw: str) -> Any:
    if key.type.python_type is int:
        try:
            return int(raw)
        except ValueError:
            raise ApiError("after: not a cursor of this list", ErrorCode.INVALID) from None
    return raw
