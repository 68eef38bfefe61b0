"""Relay connections backed by SQL: keyset pagination on a unique sort key, with totalCount, for a
list query (``paginate``) and for the rows of many parents at once (``Pages``: a cycle's
assessments on a page of cycles cost the same statements as on one cycle)."""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, NamedTuple, Protocol, TypeVar

import strawberry
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased
from strawberry import relay
from strawberry.dataloader import DataLoader

from redline.db import among

from .context import Info
from .dataloaders import Loaders, loader
from .enums import ErrorCode
from .errors import ApiError

NodeT = TypeVar("NodeT")
MAX_PAGE = 500
DEFAULT_PAGE = 50

# The paging arguments of a list (Relay style), described once: ``first: First = None``.
First = Annotated[
    int | None,
    strawberry.argument(
        description=f"How many items to return: 0 to {MAX_PAGE}; {DEFAULT_PAGE} when left out."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Return the items after this cursor (the endCursor of the page before); "
        "left out: from the start."
    ),
]
# Browsing backwards: the last items, or those before a cursor (not together with ``first``).
Last = Annotated[
    int | None,
    strawberry.argument(
        description=f"How many items to return from the end (or from `before` backwards): 0 "
        f"to {MAX_PAGE}; not with `first`. The page keeps the list's order."
    ),
]
Before = Annotated[
    str | None,
    strawberry.argument(
        description="Return the items before this cursor (the startCursor of the page after)."
    ),
]


@strawberry.type(name="Edge", description="A node in a connection, with its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(
        description="Opaque; pass it as `after` to get the items that follow this one."
    )
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list, Relay style, with the size of the whole list.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(
        description="This page's items in the list's order (at most `first`; 50 by default)."
    )
    page_info: relay.PageInfo = strawberry.field(
        description="Whether there is a next page, and the cursors of this page's ends."
    )
    total_count: int = strawberry.field(description="How many items the whole list holds.")


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode(f"k:{key}".encode()).decode()


def decode_cursor(cursor: str, field: str = "after") -> str:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        raw = ""
    if not raw.startswith("k:"):
        raise ApiError(f"{field}: {cursor!r} is not a cursor of this list", ErrorCode.INVALID)
    return raw[2:]


def check_first(first: int | None, field: str = "first") -> int:
    """The page size asked for, within [0, MAX_PAGE]."""
    if first is None:
        return DEFAULT_PAGE
    if not 0 <= first <= MAX_PAGE:
        raise ApiError(f"{field}: must be between 0 and {MAX_PAGE}", ErrorCode.INVALID)
    return first


def _cursor_key(key: ColumnElement[Any], cursor: str, field: str) -> Any:
    """The sort key a cursor names, typed as the key column is."""
    raw = decode_cursor(cursor, field)
    if key.type.python_type is int:
        try:
            return int(raw)
        except ValueError:
            raise ApiError(f"{field}: not a cursor of this list", ErrorCode.INVALID) from None
    return raw


@dataclass(frozen=True)
class Window:
    """Which page of a list ordered by a unique key: ``size`` items after ``after`` and before
    ``before`` (sort keys), from the start of that range, or from its end when ``backwards``."""

    size: int
    after: Any = None
    before: Any = None
    backwards: bool = False

    @classmethod
    def of(
        cls,
        key: ColumnElement[Any],
        first: int | None,
        after: str | None,
        last: int | None = None,
        before: str | None = None,
    ) -> Window:
        """The window the paging arguments ask for (refusing ``first`` with ``last``)."""
        if first is not None and last is not None:
            raise ApiError("last: give first or last, not both", ErrorCode.INVALID)
        return cls(
            size=check_first(last, "last") if last is not None else check_first(first),
            after=_cursor_key(key, after, "after") if after is not None else None,
            before=_cursor_key(key, before, "before") if before is not None else None,
            backwards=last is not None,
        )

    def clauses(self, key: ColumnElement[Any]) -> list[ColumnElement[bool]]:
        """The range's conditions on the sort key."""
        return [
            *((key > self.after,) if self.after is not None else ()),
            *((key < self.before,) if self.before is not None else ()),
        ]

    def order(self, key: ColumnElement[Any]) -> ColumnElement[Any]:
        """The order rows are fetched in: from the end of the range when backwards."""
        return key.desc() if self.backwards else key

    def connection(
        self,
        rows: Sequence[Any],
        total: int,
        convert: Callable[[Any], NodeT],
        key_of: Callable[[Any], Any],
    ) -> Connection[NodeT]:
        """A connection from up to ``size + 1`` rows fetched in :meth:`order` (the extra one
        says there is more beyond the page), in the list's order."""
        beyond = len(rows) > self.size
        page = list(rows[: self.size])
        if self.backwards:
            page.reverse()
        edges = [Edge(cursor=encode_cursor(str(key_of(r))), node=convert(r)) for r in page]
        return Connection(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=self.before is not None if self.backwards else beyond,
                has_previous_page=beyond if self.backwards else self.after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=total,
        )


def paginate(
    session: Session,
    stmt: Select[Any],
    key: ColumnElement[Any],
    convert: Callable[[Any], NodeT],
    *,
    first: int | None,
    after: str | None,
    last: int | None = None,
    before: str | None = None,
    key_of: Callable[[Any], Any] | None = None,
) -> Connection[NodeT]:
    """One page of ``stmt`` ordered by the unique ``key``, forwards (``first``/``after``) or
    backwards (``last``/``before``): two queries (page and count). ``key_of`` gives a row's key
    (default: the key column's attribute of the row)."""
    window = Window.of(key, first, after, last, before)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page_stmt = stmt.where(*window.clauses(key)).order_by(window.order(key))
    rows: Sequence[Any] = session.scalars(page_stmt.limit(window.size + 1)).all()
    return window.connection(rows, total, convert, key_of or _attribute(key))


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
    """One parent's page: which window of its rows, meeting which conditions."""

    parent_id: int
    window: Window
    conditions: Conditions | None


@dataclass(frozen=True, eq=False)
class Pages:
    """Pages of each parent's rows (``parent``: the rows' foreign key), in ``order`` (a unique
    sort key within a parent), through two loaders: one query per distinct (window,
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
        last: int | None = None,
        before: str | None = None,
        conditions: Conditions | None = None,
    ) -> Connection[NodeT]:
        window = Window.of(self.order, first, after, last, before)
        loaders = info.context.loaders
        rows = await loaders.get(self._pages).load(PageKey(parent_id, window, conditions))
        total = await loaders.get(self._counts).load((parent_id, conditions))
        return window.connection(rows, total, convert, _attribute(self.order))

    def _pages(self, loaders: Loaders) -> DataLoader[PageKey, list[Any]]:
        return loader(lambda keys: self._load_pages(loaders, keys))

    def _load_pages(self, loaders: Loaders, keys: Sequence[PageKey]) -> list[list[Any]]:
        model = self.parent.class_
        groups: dict[tuple[Window, Conditions | None], list[int]] = defaultdict(list)
        for key in keys:
            groups[(key.window, key.conditions)].append(key.parent_id)
        pages: dict[PageKey, list[Any]] = {}
        for (window, conditions), parent_ids in groups.items():
            order = window.order(self.order)
            rank = func.row_number().over(partition_by=self.parent, order_by=order).label("rank")
            inner = select(model, rank).where(
                among(loaders.session, self.parent, parent_ids),
                *(conditions.clauses() if conditions else ()),
                *window.clauses(self.order),
            )
            sub = inner.subquery()
            row = aliased(model, sub)
            found = loaders.session.scalars(
                select(row)
                .where(sub.c.rank <= window.size + 1)
                .order_by(window.order(getattr(row, self.order.key)))
            ).all()
            if self.prime:
                same = loaders.by_id(model)
                for each in found:
                    same.prime(each.id, each)
            grouped: dict[int, list[Any]] = defaultdict(list)
            for each in found:
                grouped[getattr(each, self.parent.key)].append(each)
            for parent_id in parent_ids:
                pages[PageKey(parent_id, window, conditions)] = grouped[parent_id]
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
                .where(
                    among(loaders.session, self.parent, parent_ids),
                    *(conditions.clauses() if conditions else ()),
                )
                .group_by(self.parent)
            ):
                counts[(parent_id, conditions)] = count
        return [counts.get(k, 0) for k in keys]
