"""Plain fields (an attribute, nothing else) resolve by one call, every other field keeping the
resolver strawberry made for it; nodes' global ids are written by one call, as strawberry writes
them; enum values are named by one lookup, as strawberry names them."""

from __future__ import annotations

import pytest
from graphql import GraphQLObjectType

from graphql_schema.core.plain_fields import (
    STRAWBERRY_PLAIN_RESOLVER,
    name_enum_values_by_lookup,
    read_plain_fields_directly,
    write_node_ids_directly,
)
from graphql_schema.schema import NODE_TYPES, schema


def _field(type_name: str, field_name: str):
    graphql_type = schema._schema.type_map[type_name]
    assert isinstance(graphql_type, GraphQLObjectType)
    return graphql_type.fields[field_name]


def test_plain_fields_read_their_attribute_directly():
    rank = _field("RankingEntry", "rank").resolve
    assert rank is not None and rank.__name__ == "read_rank"

    class Row:
        rank = 7

    assert rank(Row(), None) == 7
    assert _field("RankedUnit", "nameZh").resolve.__name__ == "read_name_zh"


def test_fields_with_a_resolver_keep_it():
    assert _field("RankingEntry", "tenant").resolve.__name__ != "read_tenant"
    assert _field("Tenant", "parent").resolve.__name__ != "read_parent"
    assert _field("Tenant", "id").resolve.__name__ != "read_id"


def test_every_node_types_id_is_written_by_one_call_as_strawberry_writes_it():
    from strawberry.relay import GlobalID

    class Row:
        id = 42

    for node_type in NODE_TYPES:
        name = node_type.__strawberry_definition__.name
        write = _field(name, "id").resolve
        assert write.__name__ == f"global_id_of_{name}"
        assert write(Row(), None) == str(GlobalID(name, "42"))
    assert write_node_ids_directly(schema) == len(NODE_TYPES)  # each type's, and only those


def test_no_plain_field_is_left_with_strawberrys_resolver():
    """Fails when strawberry's plain resolver is no longer recognised (then it would do nothing)."""
    left = [
        f"{name}.{field_name}"
        for name, graphql_type in schema._schema.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType)
        for field_name, field in graphql_type.fields.items()
        if getattr(field.resolve, "__name__", "") == STRAWBERRY_PLAIN_RESOLVER
    ]
    assert left == []
    assert read_plain_fields_directly(schema) == 0  # done once, when the schema was built


def test_enum_values_are_named_by_lookup_as_strawberry_names_them():
    from graphql import GraphQLEnumType, GraphQLError
    from strawberry.schema.schema_converter import CustomGraphQLEnumType

    from graphql_schema.core.enums import AssessmentState, TenantLevel

    level = schema._schema.type_map["TenantLevel"]
    assert isinstance(level, GraphQLEnumType)
    for member in TenantLevel:
        strawberrys = CustomGraphQLEnumType.coerce_output_value(level, member)
        assert level.serialize(member) == strawberrys == member.name
    assert level.serialize("township") == "TOWNSHIP"  # a plain value, as graphql-core names it
    with pytest.raises(GraphQLError, match="cannot represent value"):
        level.serialize("nowhere")
    state = schema._schema.type_map["AssessmentState"]
    assert [state.serialize(s) for s in AssessmentState] == [s.name for s in AssessmentState]
    assert name_enum_values_by_lookup(schema) > 10
