"""The leaders' scorecard matrix, league-table arrows and history through the API: missing is
never zero, not applicable is its own state, bands per level, averages over the filtered rows,
drill-down with sort and search, paging, history over three cycles, constant statements."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.factories.analytics import (
    B2_UNIT,
    DRAFT_UNIT,
    NOT_APPLICABLE_UNIT,
    YEARS,
    ZERO_B1_UNIT,
    AnalyticsWorld,
    analytics_world,
)
from tests.factories.api import gid, ok, signed_in, statements_for
from tests.factories.tenants import node

D = Decimal

MATRIX = """
query($cycle: ID!, $scope: ID!, $level: TenantLevel!, $columns: MatrixColumns,
      $category: String, $orderBy: MatrixOrder, $filter: MatrixFilter, $first: Int,
      $after: String) {
  scorecardMatrix(cycle: $cycle, scope: $scope, level: $level, columns: $columns,
                  category: $category, orderBy: $orderBy, filter: $filter, first: $first,
                  after: $after) {
    totalCount canDrill level averagePercentOfMax
    pageInfo { hasNextPage hasPreviousPage endCursor }
    snapshot { version }
    scope { code }
    totalThresholds { green yellow }
    columns { code title kind maxPoints parentCode thresholds { green yellow } }
    averages { column percentOfMax counted missing notApplicable }
    edges { cursor node {
      canDrill
      entry { rank of score percentOfMax band vetoed unit { code nameZh } }
      cells { column state points maxPoints percentOfMax band counted }
    } }
  }
}
"""


@pytest.fixture
def analytics(world: Session, sessions) -> AnalyticsWorld:
    return analytics_world(world, sessions)


def _matrix(gql, world: Session, analytics: AnalyticsWorld, scope: str, **variables: Any):
    query = {
        "cycle": gid("Cycle", analytics.cycles[2026].id),
        "scope": gid("Tenant", node(world, scope).id),
        "level": "TOWNSHIP",
    } | variables
    return gql.execute(MATRIX, query)


def _rows(matrix: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in matrix["edges"]]


def _cell(row: dict[str, Any], column: str) -> dict[str, Any]:
    return next(c for c in row["cells"] if c["column"] == column)


def _by_code(matrix: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["entry"]["unit"]["code"]: row for row in _rows(matrix)}


def test_missing_is_never_zero_and_not_applicable_is_its_own_state(world, analytics, make_gql):
    gql = signed_in(make_gql, "jx-office")
    matrix = ok(_matrix(gql, world, analytics, "330402", columns="INDICATOR", first=100))[
        "scorecardMatrix"
    ]
    rows = _by_code(matrix)
    assert DRAFT_UNIT not in rows  # never submitted: not ranked, not a row
    assert matrix["totalCount"] == len(rows) == 13

    # B.2 was claimed by one unit only: the others are missing, with no points and no band.
    claimed = _cell(rows[B2_UNIT], "B.2")
    assert claimed == claimed | {"state": "SCORED", "points": "1.00", "percentOfMax": "33.33"}
    for code, row in rows.items():
        if code != B2_UNIT:
            cell = _cell(row, "B.2")
            assert cell["state"] == "MISSING", code
            assert cell["points"] is None and cell["percentOfMax"] is None
            assert cell["band"] is None and cell["counted"] == 0
    # ... a zero that was entered is a zero: scored, 0%, red.
    zero = _cell(rows[ZERO_B1_UNIT], "B.1")
    assert zero == zero | {"state": "SCORED", "points": "0.00", "percentOfMax": "0.00"}
    assert zero["band"] == "RED"
    # ... and the column's average is over the units with a figure, not over zeros.
    averages = {a["column"]: a for a in matrix["averages"]}
    assert averages["B.2"] == {
        "column": "B.2",
        "percentOfMax": "33.33",
        "counted": 1,
        "missing": 12,
        "notApplicable": 0,
    }

    # 3.1 was accepted as not applicable: its own state, out of the category's attainable total.
    na = _cell(rows[NOT_APPLICABLE_UNIT], "3.1")
    assert na["state"] == "NOT_APPLICABLE" and na["points"] is None and na["band"] is None
    assert averages["3.1"]["notApplicable"] == 1 and averages["3.1"]["counted"] == 12

    categories = ok(_matrix(gql, world, analytics, "330402", first=100))["scorecardMatrix"]
    assert [c["code"] for c in categories["columns"]] == ["1", "2", "3", "B"]
    special = _cell(_by_code(categories)[NOT_APPLICABLE_UNIT], "3")
    assert special["state"] == "SCORED" and special["maxPoints"] == "15.00"  # 30 - 15 n/a


def test_bands_follow_the_template_per_indicator_and_per_level(world, analytics, make_gql):
    gql = signed_in(make_gql, "jx-office")
    townships = ok(_matrix(gql, world, analytics, "330402", columns="INDICATOR", first=100))[
        "scorecardMatrix"
    ]
    columns = {c["code"]: c["thresholds"] for c in townships["columns"]}
    # 2.1's own township override; the others take the template's default.
    assert columns["2.1"] == {"green": "99.00", "yellow": "95.00"}
    assert columns["1.1"] == {"green": "90.00", "yellow": "60.00"}
    assert townships["totalThresholds"] == {"green": "90.00", "yellow": "60.00"}
    for row in _rows(townships):
        for cell in row["cells"]:
            if cell["percentOfMax"] is None:
                continue
            percent = D(cell["percentOfMax"])
            green, yellow = (D(columns[cell["column"]][k]) for k in ("green", "yellow"))
            expected = "GREEN" if percent >= green else "YELLOW" if percent >= yellow else "RED"
            assert cell["band"] == expected, (row["entry"]["unit"]["code"], cell)
    # The rate 89% is red for a township (green from 99%)...
    rates = [_cell(row, "2.1") for row in _rows(townships)]
    assert any(c["percentOfMax"] == "89.00" and c["band"] == "RED" for c in rates)

    counties = ok(
        _matrix(gql, world, analytics, "330400", level="COUNTY", columns="INDICATOR", first=10)
    )["scorecardMatrix"]
    columns = {c["code"]: c["thresholds"] for c in counties["columns"]}
    # ... while counties take 2.1's default and the template's county override elsewhere.
    assert columns["2.1"] == {"green": "80.00", "yellow": "50.00"}
    assert columns["1.1"] == {"green": "95.00", "yellow": "70.00"}
    assert counties["totalThresholds"] == {"green": "95.00", "yellow": "70.00"}
    nanhu = _by_code(counties)["330402"]
    assert nanhu["entry"]["band"] == (
        "GREEN"
        if D(nanhu["entry"]["percentOfMax"]) >= 95
        else "YELLOW"
        if D(nanhu["entry"]["percentOfMax"]) >= 70
        else "RED"
    )


def test_a_regions_cells_are_the_mean_of_its_units_and_it_drills_down(world, analytics, make_gql):
    gql = signed_in(make_gql, "jx-office")
    counties = ok(_matrix(gql, world, analytics, "330400", level="COUNTY"))["scorecardMatrix"]
    assert counties["canDrill"] is True and counties["level"] == "COUNTY"
    nanhu = _by_code(counties)["330402"]
    assert nanhu["canDrill"] is True

    townships = ok(_matrix(gql, world, analytics, "330402", first=100))["scorecardMatrix"]
    assert townships["canDrill"] is False and townships["scope"] == {"code": "330402"}
    for column in ("1", "2", "3"):
        percents = [D(_cell(r, column)["percentOfMax"]) for r in _rows(townships)]
        mean = sum(percents) / len(percents)
        cell = _cell(nanhu, column)
        assert abs(D(cell["percentOfMax"]) - mean) <= D("0.01"), column
        assert cell["counted"] == len(percents)
        # The average row over the same units agrees with the region's cell.
        average = next(a for a in townships["averages"] if a["column"] == column)
        assert average["percentOfMax"] == cell["percentOfMax"]


def test_sort_search_and_filters_hold_together_across_pages(world, analytics, make_gql):
    gql = signed_in(make_gql, "jx-office")
    order = {"by": "COLUMN", "column": "1", "descending": True}
    search = {"search": "街道"}  # the subdistricts only
    everything = ok(
        _matrix(gql, world, analytics, "330402", orderBy=order, filter=search, first=100)
    )["scorecardMatrix"]
    names = [r["entry"]["unit"]["nameZh"] for r in _rows(everything)]
    assert names and all("街道" in name for name in names)
    assert everything["totalCount"] == len(names) < 13
    percents = [D(_cell(r, "1")["percentOfMax"]) for r in _rows(everything)]
    assert percents == sorted(percents, reverse=True)

    # Paging keeps the order, the search and the total.
    pages, after = [], None
    while True:
        page = ok(
            _matrix(
                gql, world, analytics, "330402", orderBy=order, filter=search, first=3, after=after
            )
        )["scorecardMatrix"]
        assert page["totalCount"] == everything["totalCount"]
        pages.extend(r["entry"]["unit"]["code"] for r in _rows(page))
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == [r["entry"]["unit"]["code"] for r in _rows(everything)]

    # Above and below the average of the searched rows split them, by the total or a column.
    for relative_column in (None, "2.1"):
        columns = "INDICATOR" if relative_column else "CATEGORY"
        split = {}
        for relative in ("ABOVE", "BELOW"):
            flt = search | {"relative": relative, "relativeColumn": relative_column}
            split[relative] = ok(
                _matrix(gql, world, analytics, "330402", columns=columns, filter=flt, first=100)
            )["scorecardMatrix"]
        mean = (
            D(split["ABOVE"]["averagePercentOfMax"])
            if relative_column is None
            else D(
                next(a for a in split["ABOVE"]["averages"] if a["column"] == "2.1")["percentOfMax"]
            )
        )

        def figure(row: dict[str, Any], column: str | None = relative_column) -> Decimal:
            if column is None:
                return D(row["entry"]["percentOfMax"])
            return D(_cell(row, column)["percentOfMax"])

        assert split["ABOVE"]["totalCount"] and split["BELOW"]["totalCount"]
        assert all(figure(r) >= mean for r in _rows(split["ABOVE"]))
        assert all(figure(r) < mean for r in _rows(split["BELOW"]))
        assert (
            split["ABOVE"]["totalCount"] + split["BELOW"]["totalCount"] == everything["totalCount"]
        )

    # Bands filter on the total's band.
    green = ok(_matrix(gql, world, analytics, "330402", filter={"bands": ["GREEN"]}, first=100))[
        "scorecardMatrix"
    ]
    assert green["totalCount"] >= 1
    assert {r["entry"]["band"] for r in _rows(green)} == {"GREEN"}


def test_bad_matrix_arguments_name_the_field(world, analytics, make_gql):
    gql = signed_in(make_gql, "jx-office")
    cases = [
        ({"orderBy": {"by": "COLUMN", "column": "9.9"}}, "sortColumn"),
        ({"category": "1"}, "category"),
        ({"columns": "INDICATOR", "category": "nope"}, "category"),
        ({"filter": {"relative": "ABOVE", "relativeColumn": "9.9"}}, "relativeColumn"),
        ({"level": "CITY"}, "level"),
    ]
    for variables, field in cases:
        result = _matrix(gql, world, analytics, "330402", **variables)
        assert result["data"] is None or "errors" in result
        message = result["errors"][0]["message"]
        assert field in message, (variables, message)


def test_the_matrix_sends_the_same_statements_whatever_the_page_size(
    world, analytics, gql, statement_counter
):
    gql.sign_in("jx-office")
    variables = {
        "cycle": gid("Cycle", analytics.cycles[2026].id),
        "scope": gid("Tenant", node(world, "330402").id),
        "level": "TOWNSHIP",
        "columns": "INDICATOR",
        "orderBy": {"by": "COLUMN", "column": "2.1"},
        "filter": {"relative": "ABOVE"},
    }
    cold, _ = statements_for(gql, statement_counter, MATRIX, variables | {"first": 1})
    small, small_data = statements_for(gql, statement_counter, MATRIX, variables | {"first": 1})
    large, large_data = statements_for(gql, statement_counter, MATRIX, variables | {"first": 50})
    assert len(small_data["scorecardMatrix"]["edges"]) == 1
    assert len(large_data["scorecardMatrix"]["edges"]) > 1
    assert large == small, f"{small} statements for 1 row, {large} for more"
    # The averages of a filter over a published snapshot are read once, then kept.
    assert small == cold - 2


HISTORY = """
query($cycle: ID!, $scope: ID!, $unit: ID!, $column: String) {
  rankingHistory(cycle: $cycle, scope: $scope, cycles: 5) {
    cycle { name }
    aggregate { ranked vetoCount gradeCounts { grade count } bandCounts { band count } }
  }
  rankingTrend(cycle: $cycle, scope: $scope, level: TOWNSHIP, unit: $unit, column: $column) {
    cycle { name }
    entry { rank score previousScore scoreChange scoreTrend rankTrend band }
    cell { column state points }
  }
  rankings(cycle: $cycle, scope: $scope, level: TOWNSHIP, first: 100) {
    edges { node { rank previousRank rankChange score previousScore scoreChange
                   scoreTrend rankTrend unit { code } } }
  }
}
"""


def test_history_over_three_cycles_and_league_table_arrows(world, analytics, make_gql):
    gql = signed_in(make_gql, "jx-office")
    unit = analytics.units[4]  # ranked in all three years
    data = ok(
        gql.execute(
            HISTORY,
            {
                "cycle": gid("Cycle", analytics.cycles[2026].id),
                "scope": gid("Tenant", node(world, "330402").id),
                "unit": gid("Tenant", unit.id),
                "column": "1.1",
            },
        )
    )
    history = data["rankingHistory"]
    assert [str(YEARS[i]) in point["cycle"]["name"] for i, point in enumerate(history)] == [
        True
    ] * 3
    for point in history:
        aggregate = point["aggregate"]
        bands = {b["band"]: b["count"] for b in aggregate["bandCounts"]}
        assert set(bands) == {"GREEN", "YELLOW", "RED"}
        assert sum(bands.values()) == aggregate["ranked"]
        assert sum(g["count"] for g in aggregate["gradeCounts"]) == aggregate["ranked"]
    assert [p["aggregate"]["ranked"] for p in history] == [14, 14, 13]  # one 2026 draft

    trend = data["rankingTrend"]
    assert len(trend) == 3
    # 1.1 is worth (index + year) % 10 points: the cell over the years says so.
    index = 4
    assert [p["cell"]["points"] for p in trend] == [f"{(index + year) % 10}.00" for year in YEARS]
    assert trend[0]["entry"]["previousScore"] is None and trend[0]["entry"]["scoreTrend"] == "NEW"
    for point in trend[1:]:
        entry = point["entry"]
        change = D(entry["score"]) - D(entry["previousScore"])
        assert D(entry["scoreChange"]) == change
        expected = "UP" if change >= 1 else "DOWN" if change <= -1 else "STEADY"
        assert entry["scoreTrend"] == expected

    # The league table: an arrow only past the template's least changes (1 point, 2 places).
    rows = [e["node"] for e in data["rankings"]["edges"]]
    seen = set()
    for row in rows:
        if row["previousRank"] is None:
            assert row["rankTrend"] == "NEW" and row["scoreTrend"] == "NEW"
            continue
        moved = row["rankChange"]
        assert row["rankTrend"] == ("UP" if moved >= 2 else "DOWN" if moved <= -2 else "STEADY")
        change = D(row["scoreChange"])
        assert row["scoreTrend"] == ("UP" if change >= 1 else "DOWN" if change <= -1 else "STEADY")
        seen.add(row["rankTrend"])
    assert {"UP", "DOWN"} <= seen or {"STEADY"} <= seen


def test_a_trend_of_a_unit_outside_the_scope_names_the_unit_argument(world, analytics, make_gql):
    gql = signed_in(make_gql, "jx-office")
    answer = gql.execute(
        """query($cycle: ID!, $scope: ID!, $unit: ID!) {
          rankingTrend(cycle: $cycle, scope: $scope, level: TOWNSHIP, unit: $unit) {
            cycle { name }
          }
        }""",
        {
            "cycle": gid("Cycle", analytics.cycles[2026].id),
            "scope": gid("Tenant", node(world, "330402").id),
            "unit": gid("Tenant", node(world, "330411").id),  # a sibling county of the scope
        },
    )
    (error,) = answer["errors"]
    assert error["message"].startswith("unit: not a unit of this ranking")
    assert error["extensions"]["code"] == "NOT_FOUND"
