"""Plain values complete in one step: a field that only reads an attribute resolves by one call
(strawberry's own resolver for it passes through three), and an enum's value is named by one
lookup (strawberry's enum type compares it with each value in turn). A page of 500 ranking rows
completes some 15,000 plain fields and 3,000 enum values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLEnumType, GraphQLObjectType
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
    for concrete in schema.schema_converter.type_map.values():
        definition, implementation = concrete.definition, concrete.implementation
        # Object types only: an interface's resolvers are never called, an input has none.
        if not isinstance(definition, StrawberryObjectDefinition) or not isinstance(
            implementation, GraphQLObjectType
        ):
            continue
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


def _reading(read: Callable[[Any, str], Any], attribute: str) -> Callable[..., Any]:
    def resolve(source: Any, _info: Any, **_arguments: Any) -> Any:
        return read(source, attribute)

    resolve.__name__ = f"read_{attribute}"
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
