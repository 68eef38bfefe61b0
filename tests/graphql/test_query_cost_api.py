"""Query cost over HTTP: a costly operation refused before any SQL, the cost in every answer,
the frontend's operations within the budget, and cost points per minute for each credential,
counted in Redis."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from graphql import DocumentNode, OperationDefinitionNode, parse

from graphql_schema.core.cost import CostSpending, operation_cost
from graphql_schema.schema import MAX_ALIASES, schema
from redline.config import Settings
from tests.factories.api import signed_in

FRONTEND = Path(__file__).resolve().parents[2] / "frontend_build" / "src"
# The largest page each operation is sent with (see the useGql calls); the others go through
# useCursorPaging, 20 a page.
FRONTEND_PAGES = {
    "UnitOptions": 500,
    "TemplateList": 500,
    "LedgerVetoesOfUnit": 200,
    "CycleOptions": 100,
    "RankingPage": 100,
    "UnitsChildren": 100,
    "ScorecardMatrix": 50,
    "ReviewHistory": 50,
}
FRONTEND_PAGE = 20

ATTACK_ONE = """assessments(first: 500) { edges { node {
    scorecard { total grade }
    entries { ledgerFigure { value } selfScore { points } }
    ledgerVetoes { ruleCode }
    history(first: 500) { edges { node { at } } } } } }"""
# The issue's query: within the depth, alias and token limits, 27.8 s and 6.5 MB unchecked.
ATTACK = "{ " + " ".join(f"a{i}: {ATTACK_ONE}" for i in range(MAX_ALIASES)) + " }"
UNITS = "query($first: Int) { tenants(first: $first) { totalCount edges { node { code } } } }"


def _frontend_document() -> DocumentNode:
    definitions = []
    for path in sorted(FRONTEND.rglob("*.graphql")):
        definitions.extend(parse(path.read_text(encoding="utf-8")).definitions)
    return DocumentNode(definitions=tuple(definitions))


def test_every_frontend_operation_fits_the_default_budget_with_room():
    """Each operation the frontend sends, with the pages it asks for, costs at most half the
    default budget (fragments are shared between the files: the operations are read as one
    document)."""
    document = _frontend_document()
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) > 50
    budget = Settings().query_cost_budget
    costs = {}
    for operation in operations:
        name = operation.name.value  # type: ignore[union-attr]
        declared = {v.variable.name.value for v in operation.variable_definitions or ()}
        variables = (
            {"first": FRONTEND_PAGES.get(name, FRONTEND_PAGE)} if "first" in declared else {}
        )
        costs[name] = operation_cost(schema._schema, document, name, variables)
    too_costly = {name: c for name, c in costs.items() if c > budget // 2}
    assert not too_costly, f"over half the budget of {budget:,}: {too_costly}"


def test_the_issue_s_query_is_refused_before_any_sql(world, make_gql, statement_counter):
    gql = signed_in(make_gql, "zj-office")
    statement_counter.clear()
    gql.execute("{ __typename }")  # the same credentials, checked the same way: the baseline
    authentication = list(statement_counter)

    statement_counter.clear()
    result = gql.execute(ATTACK)
    assert statement_counter == authentication  # the credentials' look-up, nothing else
    assert result["data"] is None
    [error] = result["errors"]
    budget = Settings().query_cost_budget
    requested = operation_cost(schema._schema, parse(ATTACK))
    assert requested > budget
    assert error["extensions"]["code"] == "TOO_COSTLY"
    assert error["extensions"]["cost"] == {"requested": requested, "budget": budget}
    assert f"{requested:,} points" in error["message"]
    assert f"budget of {budget:,}" in error["message"]
    assert "smaller pages" in error["message"] and "fewer aliases" in error["message"]
    assert result["extensions"]["cost"] == {"requested": requested, "budget": budget}


def test_an_answer_carries_its_cost(world, make_gql):
    gql = signed_in(make_gql, "zj-office")
    result = gql.execute(UNITS, {"first": 3})
    assert "errors" not in result
    assert len(result["data"]["tenants"]["edges"]) == 3
    assert result["extensions"]["cost"] == {
        "requested": 1 + 1 + 1 + 3 * 2,
        "budget": Settings().query_cost_budget,
    }
    # A refused field is still an answered operation: its cost is there.
    refused = gql.execute('{ tenant(code: "330000") { code } tenants(first: 501) { totalCount } }')
    assert refused["errors"][0]["extensions"]["code"] == "INVALID"
    assert refused["extensions"]["cost"]["requested"] == 2 + 2


def test_the_budget_is_a_setting(world, make_gql, runtime):
    gql = signed_in(make_gql, "zj-office")
    runtime.settings = runtime.settings.with_(query_cost_budget=10)
    assert "errors" not in gql.execute(UNITS, {"first": 3})  # costs 9
    refused = gql.execute(UNITS, {"first": 4})  # costs 11
    assert refused["errors"][0]["extensions"] == {
        "code": "TOO_COSTLY",
        "cost": {"requested": 11, "budget": 10},
    }
    assert refused["data"] is None


def _away_from_the_minute_s_end() -> None:
    """Spending is counted per clock minute: a test that spends twice must not straddle two."""
    left = 60 - time.time() % 60
    if left < 5:
        time.sleep(left + 0.5)


def _token(gql, name: str) -> str:
    created = gql.execute(
        "mutation($name: String!) { createApiToken(input: {name: $name}) { secret "
        "errors { code } } }",
        {"name": name},
    )["data"]["createApiToken"]
    assert created["errors"] == []
    return created["secret"]


def test_expensive_operations_are_rate_limited_per_api_token(
    world, make_gql, runtime, redis_client
):
    browser = signed_in(make_gql, "zj-office")
    nightly, other = make_gql(), make_gql()
    nightly.bearer = _token(browser, "nightly export")
    other.bearer = _token(browser, "dashboard")
    # Each request below costs 3 + 100 x 2 = 203: two fit in a minute's 500 points, not three.
    runtime.settings = runtime.settings.with_(
        query_cost_per_minute=500, query_cost_rate_threshold=200
    )
    _away_from_the_minute_s_end()
    for _ in range(2):
        assert "errors" not in nightly.execute(UNITS, {"first": 100})
    refused = nightly.execute(UNITS, {"first": 100})
    assert refused["data"] is None
    [error] = refused["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert 1 <= error["extensions"]["retryAfter"] <= 60
    assert error["extensions"]["cost"] == {"requested": 203, "budget": 100_000}
    assert f"try again in {error['extensions']['retryAfter']} seconds" in error["message"]

    # Cheaper operations are not counted: the token still reads.
    assert "errors" not in nightly.execute(UNITS, {"first": 10})
    # Another token of the same user, and the user's browser session, have points of their own.
    assert "errors" not in other.execute(UNITS, {"first": 100})
    assert "errors" not in browser.execute(UNITS, {"first": 100})
    # Counted in Redis, which every API process shares.
    keys = sorted(k.decode() for k in redis_client.scan_iter("redline:cost:*"))
    assert len(keys) == 3
    assert sum(key.startswith("redline:cost:token:") for key in keys) == 2
    assert any(key.startswith("redline:cost:user:") for key in keys)


def test_the_user_s_sessions_share_their_points_and_anonymous_clients_count_by_address(
    world, make_gql, runtime, redis_client
):
    runtime.settings = runtime.settings.with_(
        query_cost_per_minute=500, query_cost_rate_threshold=200
    )
    _away_from_the_minute_s_end()
    laptop, phone = signed_in(make_gql, "jx-office"), signed_in(make_gql, "jx-office")
    assert "errors" not in laptop.execute(UNITS, {"first": 100})
    assert "errors" not in phone.execute(UNITS, {"first": 100})
    assert phone.execute(UNITS, {"first": 100})["errors"][0]["extensions"]["code"] == (
        "RATE_LIMITED"
    )
    # Someone else is not held back.
    assert "errors" not in signed_in(make_gql, "zj-office").execute(UNITS, {"first": 100})

    anonymous = make_gql()
    for _ in range(2):  # refused by the resolver (sign in first), after spending its points
        answer = anonymous.execute(UNITS, {"first": 100})
        assert answer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert anonymous.execute(UNITS, {"first": 100})["errors"][0]["extensions"]["code"] == (
        "RATE_LIMITED"
    )
    assert redis_client.keys("redline:cost:address:127.0.0.1:*")


@pytest.fixture
def redis_down(engine, database_urls, backend, tmp_path):
    """The app with its Redis gone (a port nobody listens on)."""
    from redline.app import create_app
    from redline.redis_conn import connect
    from tests.factories.api import GraphQLClient, app_runtime

    dead_url = "redis://127.0.0.1:1/0"
    runtime = app_runtime(
        engine, database_urls[backend], connect(dead_url), dead_url, tmp_path / "attachments"
    )
    app = create_app(runtime)
    return (lambda: GraphQLClient(app.test_client())), runtime


def test_while_redis_is_down_each_process_counts_in_memory(world, redis_down, caplog):
    make_gql, runtime = redis_down
    runtime.settings = runtime.settings.with_(
        query_cost_per_minute=500, query_cost_rate_threshold=200
    )
    _away_from_the_minute_s_end()
    gql = signed_in(make_gql, "zj-office")
    for _ in range(2):
        assert "errors" not in gql.execute(UNITS, {"first": 100})
    assert gql.execute(UNITS, {"first": 100})["errors"][0]["extensions"]["code"] == ("RATE_LIMITED")
    assert "query cost rate limit: Redis unreachable" in caplog.text


def test_spending_is_counted_per_clock_minute_in_redis(redis_client):
    spending = CostSpending(redis_client)
    start = 60.0 * 28_000_000  # the first second of a minute
    assert spending.spend("token:a", 300, 500, now=start) == 0
    assert spending.spend("token:a", 300, 500, now=start + 1) == 59  # nothing spent
    assert spending.spend("token:a", 200, 500, now=start + 59.5) == 0  # exactly the budget
    assert spending.spend("token:a", 1, 500, now=start + 59.5) == 1
    assert spending.spend("token:b", 500, 500, now=start + 2) == 0  # its own points
    assert spending.spend("token:a", 500, 500, now=start + 60) == 0  # a new minute
    [key] = redis_client.keys("redline:cost:token:a:28000000")
    assert redis_client.get(key) == b"500"
    assert 0 < redis_client.ttl(key) <= 60
