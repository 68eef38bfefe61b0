"""Plain fields (an attribute, nothing else) resolve by one call, every other field keeping the
resolver strawberry made for it; a resolver needing nothing strawberry adds is called directly,
with what strawberry would give it; nodes' global ids are written by one call, as strawberry
writes them; enum values are named by one lookup, as strawberry names them."""

from __future__ import annotations

import asyncio

import pytest
import strawberry
from graphql import GraphQLObjectType
from strawberry.permission import BasePermission

from graphql_schema.core.extensions import RedlineSchema
from graphql_schema.core.plain_fields import (
    STRAWBERRY_PLAIN_RESOLVER,
    call_plain_resolvers_directly,
    name_enum_values_by_lookup,
    read_plain_fields_directly,
    write_node_ids_directly,
)
from graphql_schema.schema import NODE_TYPES, schema


class OnlyWithTicket(BasePermission):
    message = "no ticket"

    def has_permission(self, source, info, **kwargs) -> bool:
        return info.context["ticket"]


@strawberry.type
class Unit:
    """Every kind of resolver: plain ones (with and without ``info``) and ones that are not."""

    code: str

    @strawberry.field
    def upper(self) -> str:
        return self.code.upper()

    @strawberry.field
    def seen_by(self, info: strawberry.Info) -> str:
        return f"{info.context['reader']} reads {self.code} as {info.field_name}"

    @strawberry.field
    def repeated(self, times: int) -> str:
        return self.code * times

    @strawberry.field(permission_classes=[OnlyWithTicket])
    def secret(self) -> str:
        return "s"

    @strawberry.field
    async def later(self) -> str:
        return self.code + "!"


@strawberry.type
class SmallQuery:
    @strawberry.field
    def unit(self) -> Unit:
        return Unit(code="ab")


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


def test_plain_resolvers_are_called_directly_with_what_strawberry_gives_them():
    """A small schema of every kind of resolver, as the API's schema class builds it: the plain
    ones called directly answer as before; the others keep strawberry's resolver (their
    arguments converted, their permission checked, their coroutine awaited)."""
    small = RedlineSchema(query=SmallQuery)
    fields = small._schema.type_map["Unit"].fields
    assert fields["upper"].resolve.__name__ == "call_upper"
    assert fields["seenBy"].resolve.__name__ == "call_seen_by"
    for kept in ("repeated", "secret", "later"):
        assert not fields[kept].resolve.__name__.startswith("call_"), kept
    query = "{ unit { upper seenBy repeated(times: 2) secret later } }"
    answer = asyncio.run(small.execute(query, context_value={"reader": "office", "ticket": True}))
    assert answer.errors is None
    assert answer.data == {
        "unit": {
            "upper": "AB",
            "seenBy": "office reads ab as seenBy",
            "repeated": "abab",
            "secret": "s",
            "later": "ab!",
        }
    }
    refused = small.execute_sync("{ unit { secret } }", context_value={"ticket": False})
    assert refused.errors and refused.errors[0].message == "no ticket"
    assert call_plain_resolvers_directly(schema) > 10  # the API's own: the rows' tenant among them
    assert _field("RankingEntry", "tenant").resolve.__name__ == "call_tenant"


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
