"""Node types backed by a table, and ``node(id:)``: every node type reads its rows through the
request's by-id DataLoader of its table, so fetching nodes costs one query per table however
many ids a request names."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Iterable
from functools import cache
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

import strawberry
from sqlalchemy import Select
from strawberry import relay
from strawberry.dataloader import DataLoader

from .context import Info
from .dataloaders import Within, rows_by_id
from .ids import node_type
from .pagination import Connection, paginate


class ModelNode(relay.Node):
    """A node type whose objects are rows of ``model``, made by ``from_model``. Rows are read
    as the session's scope shows them, or only those ``within`` gives for the signed-in actor
    where fewer may read them (a notification is its units' alone)."""

    model: ClassVar[type[Any]]
    within: ClassVar[Within | None] = None

    @classmethod
    def from_model(cls, row: Any) -> Self:
        """The object of a row; every node type says how (this base alone cannot)."""
        raise TypeError(f"{cls.__name__} does not say how a row of {cls.model} becomes it")

    @classmethod
    def rows(cls, info: Info) -> DataLoader[int, Any]:
        """The request's loader of this type's rows by id."""
        return info.context.loaders.by_id(cls.model, cls.within)

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        rows = await cls.rows(info).load_many([int(i) for i in node_ids])
        return [None if row is None else cls.from_model(row) for row in rows]

    @classmethod
    def page(
        cls,
        info: Info,
        query: Select[Any],
        *,
        first: int | None,
        after: str | None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Self]:
        """A page of the rows ``query`` selects, in id order (the order they were made),
        forwards or backwards."""
        return paginate(
            info.context.db,
            query,
            cls.model.id,
            cls.from_model,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @classmethod
    async def load(cls, info: Info, row_id: int | None) -> Self | None:
        """The object of the row with this id; None for no id, or a row out of sight."""
        if row_id is None:
            return None
        row = await cls.rows(info).load(row_id)
        return None if row is None else cls.from_model(row)

    @classmethod
    async def load_seen(cls, info: Info, row_id: int) -> Self:
        """The object of a row the reader always sees where it is referred to (the unit of a
        row of its ledger, the cycle of an assessment)."""
        found = await cls.load(info, row_id)
        if found is None:
            raise LookupError(f"{cls.__name__} {row_id} is out of sight where it must not be")
        return found


N = TypeVar("N", bound=ModelNode)


class LoadedTogether(Generic[N]):
    """The objects of one node type that a list's rows refer to, read in one query the first
    time any of them is asked for, as the by-id loader reads them (the same rows out of sight),
    but as plain rows of those of the model's columns named as the type's fields: the type's
    ``from_model`` must read those columns only (a page of 500 tenants decoded their
    timestamps for nothing: 0.6 ms in the driver alone).

    A list of hundreds of rows then resolves each row's reference synchronously: through the
    DataLoader, each row's field was a task of its own, which cost a ranking page of 500 rows
    more than its query did."""

    def __init__(self, node_type: type[N], ids: Iterable[int | None]) -> None:
        self.node_type = node_type
        self.ids = sorted({i for i in ids if i is not None})
        self._found: dict[int, N] | None = None

    def get(self, info: Info, row_id: int | None) -> N | None:
        """The object of the row with this id (one of ``ids``); None for no id or out of sight."""
        if row_id is None:
            return None
        if self._found is None:
            node_type = self.node_type
            rows = rows_by_id(
                info.context.loaders,
                node_type.model,
                node_type.within,
                self.ids,
                plain=True,
                columns=_field_names(node_type),
            )
            self._found = {row.id: node_type.from_model(row) for row in rows if row is not None}
        return self._found.get(row_id)


@cache
def _field_names(node_type: type[Any]) -> frozenset[str]:
    """The names of a type's fields, private ones included (a dataclass's fields)."""
    return frozenset(field.name for field in dataclasses.fields(node_type))


@strawberry.type
class NodeQueries:
    @strawberry.field(description="Any object by its global id; null if there is none you can see.")
    async def node(
        self,
        info: Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The ID of the object.")],
    ) -> relay.Node | None:
        found_type = node_type(info, id)
        if found_type is None:
            return None
        found = found_type.resolve_node(id.node_id, info=info, required=False)
        return await found if inspect.isawaitable(found) else found
