"""Fields that only read an attribute resolve by one call: strawberry's own resolver for such a
field passes through three (a page of 500 ranking rows resolves some 15,000 of them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLObjectType
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
