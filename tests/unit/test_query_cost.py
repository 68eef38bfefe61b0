"""The query cost of documents against the schema: connections multiply, lists and heavy fields
weigh, fragments and variables count as the executed operation has them."""

from __future__ import annotations

import pytest
from graphql import get_nullable_type, is_list_type, parse

from graphql_schema.core.cost import (
    ASSUMED_LIST_SIZE,
    FIELD_COST,
    HEAVY_FIELDS,
    INTROSPECTION_COST,
    LIST_SIZES,
    operation_cost,
)
from graphql_schema.core.pagination import DEFAULT_PAGE, MAX_PAGE
from graphql_schema.schema import MAX_ALIASES, schema
from redline.config import Settings

SCHEMA = schema._schema
SCORECARD = HEAVY_FIELDS[("Assessment", "scorecard")]


def cost(query: str, variables: dict | None = None, operation: str | None = None) -> int:
    return operation_cost(SCHEMA, parse(query), operation, variables)


def test_every_field_costs_one_and_typename_is_free():
    assert cost("{ viewer { csrfToken user { username displayName } } }") == 5 * FIELD_COST
    assert cost("{ viewer { __typename user { __typename username } } }") == 3


def test_a_connection_multiplies_its_items_by_its_page():
    # tenants + totalCount + pageInfo{hasNextPage} + edges, then per item: node + code
    query = "{ tenants(first: 10) { totalCount pageInfo { hasNextPage } edges { node { code } } } }"
    assert cost(query) == 1 + 1 + 2 + 1 + 10 * 2


def test_a_connection_without_first_is_counted_at_the_default_page():
    assert cost("{ tenants { edges { node { code } } } }") == 2 + DEFAULT_PAGE * 2


def test_a_page_beyond_the_limit_counts_as_the_largest_page():
    # The resolver refuses first: 100000 anyway; the cost does not overflow into nonsense.
    assert cost("{ tenants(first: 100000) { edges { node { code } } } }") == 2 + MAX_PAGE * 2
    assert cost("{ tenants(first: 0) { totalCount edges { node { code } } } }") == 3


def test_nested_connections_multiply():
    query = """{ cycles(first: 10) { edges { node {
        assessments(first: 20) { edges { node { id } } } } } } }"""
    inner = 1 + 1 + 20 * 2  # assessments, edges, 20 x (node + id)
    assert cost(query) == 2 + 10 * (1 + inner)
    history = """{ assessments(first: 500) { edges { node {
        history(first: 500) { edges { node { at } } } } } } }"""
    assert cost(history) == 2 + 500 * (1 + 2 + 500 * 2)


def test_fragments_and_inline_fragments_count_as_written_out():
    inline = "{ tenants(first: 5) { edges { node { code nameZh parent { code } } } } }"
    spread = """
        query { tenants(first: 5) { edges { node { ...Unit } } } }
        fragment Unit on Tenant { code ...Name parent { code } }
        fragment Name on Tenant { nameZh }
    """
    typed = (
        "{ tenants(first: 5) { edges { node { ... on Tenant { code nameZh parent { code } } } } } }"
    )
    assert cost(spread) == cost(inline) == cost(typed) == 2 + 5 * (1 + 4)


def test_a_fragment_spread_twice_counts_twice():
    query = """{ a: tenants(first: 5) { edges { node { ...U } } }
                 b: tenants(first: 5) { edges { node { ...U } } } }
               fragment U on Tenant { code nameZh }"""
    assert cost(query) == 2 * (2 + 5 * 3)


def test_variables_give_the_page_size():
    query = "query($first: Int) { tenants(first: $first) { edges { node { code } } } }"
    assert cost(query, {"first": 7}) == 2 + 7 * 2
    assert cost(query, {}) == 2 + DEFAULT_PAGE * 2  # absent: the resolver's default page
    assert cost(query, {"first": None}) == 2 + DEFAULT_PAGE * 2
    defaulted = "query($first: Int = 3) { tenants(first: $first) { edges { node { code } } } }"
    assert cost(defaulted, {}) == 2 + 3 * 2
    assert cost(defaulted, {"first": 9}) == 2 + 9 * 2
    # Not a number: refused when the variables are read; counted as the largest page till then.
    assert cost(query, {"first": "many"}) == 2 + MAX_PAGE * 2


def test_only_the_executed_operation_counts():
    document = """
        query Small { viewer { csrfToken } }
        query Large { tenants(first: 500) { edges { node { code } } } }
    """
    assert cost(document, operation="Small") == 2
    assert cost(document, operation="Large") == 2 + 500 * 2
    assert cost(document, operation="Missing") == 0


def test_aliases_add_up():
    one = "tenants(first: 100) { edges { node { code nameZh } } }"
    many = " ".join(f"a{i}: {one}" for i in range(MAX_ALIASES))
    assert cost(f"{{ {many} }}") == MAX_ALIASES * cost(f"{{ {one} }}")


def test_heavy_fields_weigh_more():
    plain = "{ assessments(first: 10) { edges { node { id } } } }"
    scored = "{ assessments(first: 10) { edges { node { id scorecard { total } } } } }"
    assert cost(scored) - cost(plain) == 10 * (1 + SCORECARD + 1)
    # Twice asked (aliases), twice computed as far as the cost knows.
    both = """{ assessments(first: 10) { edges { node {
        id a: scorecard { total } b: scorecard(kind: SELF) { total } } } } }"""
    assert cost(both) - cost(plain) == 20 * (1 + SCORECARD + 1)
    matrix = """query($c: ID!, $s: ID!) {
        scorecardMatrix(cycle: $c, scope: $s, level: COUNTY, first: 0) { totalCount } }"""
    assert cost(matrix) == 1 + HEAVY_FIELDS[("Query", "scorecardMatrix")] + 1


def test_a_mutation_that_reads_a_workbook_weighs_more():
    query = "mutation($i: ImportTemplateInput!) { importTemplate(input: $i) { errors { code } } }"
    assert cost(query) == 1 + HEAVY_FIELDS[("Mutation", "importTemplate")] + 1 + ASSUMED_LIST_SIZE


def test_plain_lists_count_at_their_known_or_assumed_size():
    ancestors = '{ tenant(code: "330402901") { ancestors { code nameZh } } }'
    assert cost(ancestors) == 1 + 1 + LIST_SIZES[("Tenant", "ancestors")] * 2
    # Nothing bounds a report's labels better than the assumed size.
    assert cost("{ reportLabels { key } }") == 1 + ASSUMED_LIST_SIZE * 1
    # A scalar list is one field.
    assert cost('{ tenant(code: "330000") { code } }') == 2


def test_a_list_bounded_by_an_argument_takes_its_value_or_default():
    history = """query($c: ID!, $s: ID!, $n: Int!) {
        rankingHistory(cycle: $c, scope: $s, cycles: $n) { cycle { id } } }"""
    weight = HEAVY_FIELDS[("Query", "rankingHistory")]
    assert cost(history, {"n": 3}) == 1 + weight + 3 * 2
    defaulted = "query($c: ID!, $s: ID!) { rankingHistory(cycle: $c, scope: $s) { cycle { id } } }"
    assert cost(defaulted) == 1 + weight + 6 * 2  # the argument's default


def test_introspection_is_flat():
    assert cost("{ __schema { types { name fields { name args { name } } } } }") == (
        INTROSPECTION_COST
    )
    assert cost('{ __type(name: "Tenant") { name } viewer { csrfToken } }') == (
        INTROSPECTION_COST + 2
    )


def test_the_issue_s_query_is_far_over_the_default_budget():
    """15 aliases of the query that took 27.8 s and returned 6.5 MB within every other limit."""
    one = """assessments(first: 500) { edges { node {
        scorecard { total grade }
        entries { ledgerFigure { value } selfScore { points } }
        ledgerVetoes { ruleCode }
        history(first: 500) { edges { node { at } } } } } }"""
    query = "{ " + " ".join(f"a{i}: {one}" for i in range(MAX_ALIASES)) + " }"
    assert cost(query) > 50 * Settings().query_cost_budget


@pytest.mark.parametrize("table", [LIST_SIZES, HEAVY_FIELDS])
def test_every_weighed_field_is_in_the_schema(table):
    for type_name, field_name in table:
        field = SCHEMA.get_type(type_name).fields.get(field_name)  # type: ignore[union-attr]
        assert field is not None, (type_name, field_name)
        if table is LIST_SIZES:
            assert is_list_type(get_nullable_type(field.type)), (type_name, field_name)
            bound = LIST_SIZES[(type_name, field_name)]
            assert isinstance(bound, int) or bound in field.args, (type_name, field_name)


def test_the_limits_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("REDLINE_QUERY_COST_BUDGET", "5000")
    monkeypatch.setenv("REDLINE_QUERY_COST_PER_MINUTE", "20000")
    monkeypatch.setenv("REDLINE_QUERY_COST_RATE_THRESHOLD", "1000")
    settings = Settings.from_env()
    assert (
        settings.query_cost_budget,
        settings.query_cost_per_minute,
        settings.query_cost_rate_threshold,
    ) == (5000, 20000, 1000)
    defaults = Settings()
    assert defaults.query_cost_per_minute >= defaults.query_cost_budget
