"""Relay connections backed by SQL: keyset pagination on a unique sort key, with totalCount, for a
list query (``paginate``) and for the rows of many parents at once (``Pages``: a cycle's
assessments on a page of cycles cost the same statements as on one cycle)."""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

import strawberry
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased
from strawberry import relay
from strawberry.dataloader import DataLoader

from .context import Info
from .dataloaders import Loaders, loader
from .enums import ErrorCode
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


def _after_key(key: ColumnElement[Any], after: str) -> Any:
    """The sort key an ``after`` cursor names, typed as the key column is."""
    raw = decode_cursor(after)
    if key.type.python_type is int:
        try:
            return int(raw)
        except ValueError:
            raise ApiError("after: not a cursor of this list", ErrorCode.INVALID) from None
    return raw


def paginate(
    session: Session,
    stmt: Select[Any],
    key: ColumnElement[Any],
    convert: Callable[[Any], NodeT],
    *,
    first: int | None,
    after: str | None,
    key_of: Callable[[Any], Any] | None = None,
) -> Connection[NodeT]:
    """One page of ``stmt`` ordered by the unique ``key``: two queries (page and count).
    ``key_of`` gives a row's key (default: the key column's attribute of the row)."""
    size = check_first(first)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page_stmt = stmt
    if after is not None:
        page_stmt = page_stmt.where(key > _after_key(key, after))
    rows: Sequence[Any] = session.scalars(page_stmt.order_by(key).limit(size + 1)).all()
    return build_connection(
        rows,
        size,
        total,
        convert,
        key_of or _attribute(key),
        has_previous=after is not None,
    )


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


def _attribute(key: ColumnElement[Any]) -> Callable[[Any], Any]:
    """A row's value of the key column (an expression such as ``-id`` needs its own key_of)."""
    name = key.key
    if name is None:
        raise TypeError(f"give key_of for the key {key}")
    return lambda row: getattr(row, name)


# --- the rows of many parents, a page each -----------------------------------------------------


class Conditions(Hashable, Protocol):
    """A domain filter of the rows (hashable: parents asking for the same share one query)."""

    def clauses(self) -> list[ColumnElement[bool]]: ...


class PageKey(NamedTuple):
    """One parent's page: how many rows, after which sort key, meeting which conditions."""

    parent_id: int
    limit: int
    after: Any
    conditions: Conditions | None


@dataclass(frozen=True, eq=False)
class Pages:
    """Pages of each parent's rows (``parent``: the rows' foreign key), in ``order`` (a unique
    sort key within a parent), through two loaders: one query per distinct (size, cursor,
    conditions) for every parent asking, and one for their counts. ``prime``: the rows found
    go into the model's by-id loader too."""

    parent: InstrumentedAttribute[Any]
    order: InstrumentedAttribute[Any]
    prime: bool = False

    async def connection(
        self,
        info: Info,
        parent_id: int,
        convert: Callable[[Any], NodeT],
        *,
        first: int | None,
        after: str | None,
        conditions: Conditions | None = None,
    ) -> Connection[NodeT]:
        size = check_first(first)
        after_key = _after_key(self.order, after) if after is not None else None
        loaders = info.context.loaders
        key = PageKey(parent_id, size + 1, after_key, conditions)
        rows = await loaders.get(self._pages).load(key)
        total = await loaders.get(self._counts).load((parent_id, conditions))
        return build_connection(
            rows, size, total, convert, _attribute(self.order), has_previous=after is not None
        )

    def _pages(self, loaders: Loaders) -> DataLoader[PageKey, list[Any]]:
        return loader(lambda keys: self._load_pages(loaders, keys))

    def _load_pages(self, loaders: Loaders, keys: Sequence[PageKey]) -> list[list[Any]]:
        model = self.parent.class_
        groups: dict[tuple[int, Any, Conditions | None], list[int]] = defaultdict(list)
        for key in keys:
            groups[(key.limit, key.after, key.conditions)].append(key.parent_id)
        pages: dict[PageKey, list[Any]] = {}
        for (limit, after, conditions), parent_ids in groups.items():
            rank = (
                func.row_number().over(partition_by=self.parent, order_by=self.order).label("rank")
            )
            inner = select(model, rank).where(
                self.parent.in_(parent_ids), *(conditions.clauses() if conditions else ())
            )
            if after is not None:
                inner = inner.where(self.order > after)
            sub = inner.subquery()
            row = aliased(model, sub)
            found = loaders.session.scalars(
                select(row).where(sub.c.rank <= limit).order_by(getattr(row, self.order.key))
            ).all()
            if self.prime:
                same = loaders.by_id(model)
                for each in found:
                    same.prime(each.id, each)
            grouped: dict[int, list[Any]] = defaultdict(list)
            for each in found:
                grouped[getattr(each, self.parent.key)].append(each)
            for parent_id in parent_ids:
                pages[PageKey(parent_id, limit, after, conditions)] = grouped[parent_id]
        return [pages[k] for k in keys]

    def _counts(self, loaders: Loaders) -> DataLoader[tuple[int, Conditions | None], int]:
        return loader(lambda keys: self._load_counts(loaders, keys))

    def _load_counts(
        self, loaders: Loaders, keys: Sequence[tuple[int, Conditions | None]]
    ) -> list[int]:
        groups: dict[Conditions | None, list[int]] = defaultdict(list)
        for parent_id, conditions in keys:
            groups[conditions].append(parent_id)
        counts: dict[tuple[int, Conditions | None], int] = {}
        for conditions, parent_ids in groups.items():
            for parent_id, count in loaders.session.execute(
                select(self.parent, func.count())
                .where(self.parent.in_(parent_ids), *(conditions.clauses() if conditions else ()))
                .group_by(self.parent)
            ):
                counts[(parent_id, conditions)] = count
        return [counts.get(k, 0) for k in keys]
