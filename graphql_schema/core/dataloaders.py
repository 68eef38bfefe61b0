"""The DataLoaders of one request (no N+1 queries): a registry on the request's scoped session
that makes each loader the first time a resolver asks for it, and the loaders every area builds
its own from: rows by id or by another unique column, rows grouped by a foreign key, counts.

An area declares a loader once, as a module constant (``GRANTS = by_key(RoleGrant.user_id,
RoleGrant.id)``) or a function of the registry, and reads it with ``loaders.get(GRANTS)``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Sequence
from functools import cache
from typing import Any, TypeAlias, TypeVar

from sqlalchemy import ColumnElement, Select, func, inspect, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from strawberry.dataloader import DataLoader

from redline.db import among
from tenants.access import Actor

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
Row = TypeVar("Row")

# How an area declares a loader: made from the request's registry, once per request.
Factory: TypeAlias = Callable[["Loaders"], DataLoader[Any, Any]]
# The rows of a table one actor may fetch, where that is narrower than the session's scope.
Within: TypeAlias = Callable[[Session, Actor], Select[Any]]


class Loaders:
    """The DataLoaders of one request, on its scoped session, each made when first asked for."""

    def __init__(self, session: Session, actor: Actor | None) -> None:
        self.session = session
        self.actor = actor
        self._made: dict[Factory, DataLoader[Any, Any]] = {}

    def get(self, factory: Factory) -> DataLoader[Any, Any]:
        """The request's loader that ``factory`` makes."""
        if factory not in self._made:
            self._made[factory] = factory(self)
        return self._made[factory]

    def by_id(self, model: type[Row], within: Within | None = None) -> DataLoader[int, Row | None]:
        """Rows of ``model`` by id, as the session's scope shows them (``within``: only those
        rows, for the signed-in actor; nobody's when no one is signed in)."""
        return self.get(by_id(model, within))


def loader(load: Callable[[Sequence[K]], Sequence[V]]) -> DataLoader[K, V]:
    """A DataLoader of a batch function that reads synchronously (the session is not async)."""

    async def batch(keys: Sequence[K]) -> Sequence[V]:
        return load(keys)

    return DataLoader(batch)


def _unique(
    session: Session, query: Select[Any], column: Any, keys: Sequence[Any], *, plain: bool = False
) -> list[Any]:
    """The row of each key (None for none); ``plain``: the query's rows as they are, else its
    first column's objects."""
    result = session.execute(query.where(among(session, column, keys)))
    found = {getattr(r, column.key): r for r in (result.all() if plain else result.scalars())}
    return [found.get(k) for k in keys]


def _grouped(rows: Sequence[Any], column: Any, keys: Sequence[Any]) -> list[list[Any]]:
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, column.key)].append(row)
    return [grouped.get(k, []) for k in keys]


@cache
def by_id(model: type[Any], within: Within | None = None) -> Factory:
    """Rows of ``model`` by id (one loader per model and ``within`` in a request)."""

    def make(loaders: Loaders) -> DataLoader[int, Any]:
        return loader(lambda ids: rows_by_id(loaders, model, within, ids))

    return make


def rows_by_id(
    loaders: Loaders,
    model: type[Any],
    within: Within | None,
    ids: Sequence[int],
    *,
    plain: bool = False,
    columns: Collection[str] | None = None,
) -> list[Any]:
    """The rows of ``model`` with these ids, in their order (None where out of sight): the
    query of the by-id loader, for a caller that reads synchronously. ``plain``: as plain rows
    of every mapped column (``columns``: of those named, the id always), not ORM objects (read
    only, and much cheaper by the hundred)."""
    if within is None:
        query = select(model)
    elif loaders.actor is None:
        return [None for _ in ids]
    else:
        query = within(loaders.session, loaders.actor)
    if plain:
        query = query.with_only_columns(
            *(
                getattr(model, a.key)
                for a in inspect(model).column_attrs
                if columns is None or a.key in columns or a.key == "id"
            )
        )
    return _unique(loaders.session, query, model.id, ids, plain=plain)


def by_unique(column: InstrumentedAttribute[Any]) -> Factory:
    """Rows by a unique column other than the id (a unit by its code)."""

    def make(loaders: Loaders) -> DataLoader[Any, Any]:
        model = column.class_
        return loader(lambda keys: _unique(loaders.session, select(model), column, keys))

    return make


def by_key(
    column: InstrumentedAttribute[Any], *order_by: ColumnElement[Any], prime: bool = False
) -> Factory:
    """The rows whose foreign ``column`` holds each key, in ``order_by`` order (``prime``: and
    the rows found put in the model's by-id loader, for the lookups that follow)."""

    def make(loaders: Loaders) -> DataLoader[Any, list[Any]]:
        model = column.class_

        def load(keys: Sequence[Any]) -> list[list[Any]]:
            query = select(model).where(among(loaders.session, column, keys)).order_by(*order_by)
            rows = loaders.session.scalars(query).all()
            if prime:
                same = loaders.by_id(model)
                for row in rows:
                    same.prime(row.id, row)
            return _grouped(rows, column, keys)

        return loader(load)

    return make


def counts_by(column: InstrumentedAttribute[Any], part: InstrumentedAttribute[Any]) -> Factory:
    """For each key of ``column``, how many rows hold it, per value of ``part`` (a cycle's
    assessments per state)."""

    def make(loaders: Loaders) -> DataLoader[Any, dict[Any, int]]:
        def load(keys: Sequence[Any]) -> list[dict[Any, int]]:
            found: dict[Any, dict[Any, int]] = defaultdict(dict)
            session = loaders.session
            for key, value, count in session.execute(
                select(column, part, func.count())
                .where(among(session, column, keys))
                .group_by(column, part)
            ):
                found[key][value] = count
            return [found.get(k, {}) for k in keys]

        return loader(load)

    return make
