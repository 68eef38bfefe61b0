"""Global ids in inputs: decode them to database ids of the expected type, or say what is wrong."""

from __future__ import annotations

from strawberry import relay

from redline import inputs
from redline.errors import ErrorCode, fail

from .context import Info
from .errors import query_result


def database_id(global_id: relay.GlobalID, type_name: str, field: str) -> int:
    """The database id inside ``global_id``; a field error if it names another type."""
    if global_id.type_name != type_name:
        raise fail(
            field,
            f"expected the id of a {type_name}, got one of a {global_id.type_name}",
            ErrorCode.INVALID,
        )
    try:
        return inputs.database_id(global_id.node_id)
    except inputs.InputRejected:
        raise fail(field, "is not a valid id", ErrorCode.INVALID) from None


def argument_id(global_id: relay.GlobalID, type_name: str, field: str) -> int:
    """Like :func:`database_id`, for a query's argument: a wrong id fails the query (queries
    have no payload to carry field errors)."""
    return query_result(lambda: database_id(global_id, type_name, field))


def optional_argument_id(
    global_id: relay.GlobalID | None, type_name: str, field: str
) -> int | None:
    """:func:`argument_id` of an argument that may be left out."""
    return None if global_id is None else argument_id(global_id, type_name, field)


def node_type(info: Info, global_id: relay.GlobalID) -> type[relay.Node] | None:
    """The node type a global id names, or None when it names none of this API's node types or
    carries no number a row can have (such an id is nobody's: ``node(id:)`` answers null)."""
    try:
        inputs.database_id(global_id.node_id)
        return global_id.resolve_type(info)
    except (inputs.InputRejected, relay.GlobalIDValueError):
        return None
