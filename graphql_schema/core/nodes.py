"""Node types backed by a table, and ``node(id:)``: every node type reads its rows through the
request's by-id DataLoader of its table, so fetching nodes costs one query per table however
many ids a request names."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Annotated, Any, ClassVar, Self

import strawberry
from sqlalchemy import Select
from strawberry import relay
from strawberry.dataloader import DataLoader

from .context import Info
from .dataloaders import Within
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
