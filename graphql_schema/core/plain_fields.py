"""Plain values complete in one step: a field that only reads an attribute resolves by one call
(strawberry's own resolver for it passes through three), a node's global id is written by one
call (strawberry's passes through six and makes a GlobalID to print it), and an enum's value is
named by one lookup (strawberry's enum type compares it with each value in turn). A page of 500
ranking rows completes some 15,000 plain fields, 3,000 enum values and 500 tenants' ids."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import strawberry
from graphql import GraphQLEnumType, GraphQLObjectType
from strawberry import relay
from strawberry.relay.utils import to_base64
from strawberry.types.base import StrawberryObjectDefinition

# The name strawberry gives the resolver of a field it judged to read an attribute and nothing
# else: no resolver, no field extension, no exception handler (its schema converter).
STRAWBERRY_PLAIN_RESOLVER = "_get_basic_result"


def read_plain_fields_directly(schema: strawberry.Schema) -> int:
    """Give every field strawberry resolves by reading an attribute a resolver that reads it
    directly, with the schema's default resolver; how many were given one. A field strawberry
    does not judge plain (a resolver, an extension) keeps its resolver, so this changes no
    answer: only the calls between graphql-core and the attribute."""
    read = schema.config.default_resolver
    given = 0
    for definition, implementation in _object_types(schema):
        graphql_fields = implementation.fields
        for field in definition.fields:
            name = schema.config.name_converter.get_graphql_name(field)
            graphql_field = graphql_fields.get(name)
            if graphql_field is None:
                continue
            if getattr(graphql_field.resolve, "__name__", "") != STRAWBERRY_PLAIN_RESOLVER:
                continue
            graphql_field.resolve = _reading(read, field.python_name)
            given += 1
    return given


def _object_types(
    schema: strawberry.Schema,
) -> Iterator[tuple[StrawberryObjectDefinition, GraphQLObjectType]]:
    """The schema's object types, strawberry's and graphql-core's: an interface's resolvers are
    never called, an input has none."""
    for concrete in schema.schema_converter.type_map.values():
        definition, implementation = concrete.definition, concrete.implementation
        if isinstance(definition, StrawberryObjectDefinition) and isinstance(
            implementation, GraphQLObjectType
        ):
            yield definition, implementation


def _reading(read: Callable[[Any, str], Any], attribute: str) -> Callable[..., Any]:
    def resolve(source: Any, _info: Any, **_arguments: Any) -> Any:
        return read(source, attribute)

    resolve.__name__ = f"read_{attribute}"
    return resolve


def write_node_ids_directly(schema: strawberry.Schema) -> int:
    """Give the ``id`` field of every node type whose id strawberry's ``Node`` works out its
    own way (the ``NodeID`` attribute, the type's name) a resolver writing the global id in one
    call; how many were given one. The id is the same text (base64 of ``Type:id``); a type that
    works out its id or name otherwise keeps strawberry's resolver."""
    given = 0
    for definition, implementation in _object_types(schema):
        origin = definition.origin
        if (
            not (isinstance(origin, type) and issubclass(origin, relay.Node))
            or origin.resolve_id.__func__ is not relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
            or origin.resolve_typename.__func__ is not relay.Node.resolve_typename.__func__  # type: ignore[attr-defined]
            or "id" not in implementation.fields
        ):
            continue
        implementation.fields["id"].resolve = _writing_global_id(
            definition.name, origin.resolve_id_attr()
        )
        given += 1
    return given


def _writing_global_id(type_name: str, attribute: str) -> Callable[..., str]:
    def resolve(source: Any, _info: Any) -> str:
        return to_base64(type_name, getattr(source, attribute))

    resolve.__name__ = f"global_id_of_{type_name}"
    return resolve


def name_enum_values_by_lookup(schema: strawberry.Schema) -> int:
    """Give every enum type of the schema that serialises its Python enum's members an output
    coercion by one dict lookup, member to name; how many were given one. A value that is no
    member of the enum (a plain value) is coerced as before, so this changes no answer."""
    given = 0
    for graphql_type in schema._schema.type_map.values():
        wrapped = getattr(graphql_type, "wrapped_cls", None)
        if not isinstance(graphql_type, GraphQLEnumType) or wrapped is None:
            continue
        by_value = {value.value: name for name, value in graphql_type.values.items()}
        names = {member: by_value[member.value] for member in wrapped if member.value in by_value}
        coerce = graphql_type.coerce_output_value
        named = _naming(names, coerce)
        graphql_type.serialize = named  # type: ignore[method-assign]
        graphql_type.coerce_output_value = named  # type: ignore[method-assign]
        given += 1
    return given


def _naming(names: dict[Any, str], coerce: Callable[[Any], str]) -> Callable[[Any], str]:
    def name_of(value: Any) -> str:
        name = names.get(value)
        return name if name is not None else coerce(value)

    return name_of
