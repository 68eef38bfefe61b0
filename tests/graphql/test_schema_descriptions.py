"""Every type, field, argument and enum value of the GraphQL schema has a description: frontend
developers read the schema in GraphiQL and in the exported schema.graphql (issue 25)."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
)

from graphql_schema.schema import schema

# GraphQL's own scalars: described by the specification, not by us.
BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


def _undescribed(built: GraphQLSchema) -> list[str]:
    """Whatever in the schema lacks a description, one line each: TYPE Name, FIELD Type.field,
    ARG Type.field(arg), VALUE Enum.VALUE."""
    missing = []
    for name, named in sorted(built.type_map.items()):
        if name.startswith("__") or name in BUILT_IN:
            continue
        missing.extend(_undescribed_in(name, named))
    return missing


def _undescribed_in(name: str, named: GraphQLNamedType) -> list[str]:
    missing = [] if _said(named.description) else [f"TYPE {name}"]
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
        for field_name, field in named.fields.items():
            if not _said(field.description):
                missing.append(f"FIELD {name}.{field_name}")
            for arg_name, arg in getattr(field, "args", {}).items():
                if not _said(arg.description):
                    missing.append(f"ARG {name}.{field_name}({arg_name})")
    if isinstance(named, GraphQLEnumType):
        missing.extend(
            f"VALUE {name}.{value_name}"
            for value_name, value in named.values.items()
            if not _said(value.description)
        )
    return missing


def _said(description: str | None) -> bool:
    return bool(description and description.strip())


def test_the_exported_schema_describes_everything() -> None:
    # The schema as exported (schema.graphql, GraphiQL's introspection): descriptions must
    # survive printing, not only sit on the Python objects.
    missing = _undescribed(build_schema(schema.as_str()))
    assert not missing, f"{len(missing)} without a description:\n" + "\n".join(missing)


def test_the_check_finds_what_lacks_a_description() -> None:
    sdl = """
        "Described."
        type Query {
          "Described."
          a(x: Int): Int
          b: Colour
        }

        enum Colour {
          "Described."
          RED
          GREEN
        }

        input Filter { c: Int }
    """
    assert _undescribed(build_schema(sdl)) == [
        "TYPE Colour",
        "VALUE Colour.GREEN",
        "TYPE Filter",
        "FIELD Filter.c",
        "ARG Query.a(x)",
        "FIELD Query.b",
    ]
