"""Plain values complete in one step: a field that only reads an attribute resolves by one call
(strawberry's own resolver for it passes through three), a resolver needing nothing strawberry
adds is called directly (strawberry passes through seven, converting arguments there are none
of), a node's global id is written by one call (strawberry's passes through six and makes a
GlobalID to print it), and an enum's value is named by one lookup (strawberry's enum type
compares it with each value in turn). A page of 500 ranking rows completes some 15,000 plain
fields, 3,000 enum values, and 500 tenants with their ids."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from functools import partial
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


def call_plain_resolvers_directly(schema: strawberry.Schema) -> int:
    """Give every field whose resolver needs nothing strawberry adds around it (synchronous, no
    arguments, no field extension: permissions are extensions; no exception handler in the
    schema) a resolver calling it directly, with the object and strawberry's ``Info``; how
    many were given one. The resolver gets what strawberry gives it, so this changes no
    answer: only the calls between graphql-core and the resolver."""
    handlers = getattr(schema.schema_converter, "_exception_handler_specs", None)
    if handlers is None or handlers:  # unknown to this strawberry, or some handler applies
        return 0
    info_class = schema.config.info_class
    given = 0
    for definition, implementation in _object_types(schema):
        for field in definition.fields:
            resolver = field.base_resolver
            if (
                resolver is None
                or resolver.is_async
                or field.arguments
                or field.extensions
                or resolver.root_parameter
                or resolver.parent_parameter
                or not inspect.isfunction(resolver.wrapped_func)
            ):
                continue
            name = schema.config.name_converter.get_graphql_name(field)
            graphql_field = implementation.fields.get(name)
            if graphql_field is None:
                continue
            info = resolver.info_parameter
            graphql_field.resolve = _calling(
                resolver.wrapped_func,
                with_object=resolver.self_parameter is not None,
                info_name=None if info is None else info.name,
                make_info=partial(info_class, _field=field),
            )
            given += 1
    return given


def _calling(
    func: Callable[..., Any],
    *,
    with_object: bool,
    info_name: str | None,
    make_info: Callable[..., Any],
) -> Callable[..., Any]:
    if info_name is None:

        def resolve(source: Any, _info: Any) -> Any:
            return func(source) if with_object else func()

    else:

        def resolve(source: Any, info: Any) -> Any:
            given = {info_name: make_info(_raw_info=info)}
            return func(source, **given) if with_object else func(**given)

    resolve.__name__ = f"call_{func.__name__}"
    return resolve


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
