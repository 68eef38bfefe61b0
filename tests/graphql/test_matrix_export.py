"""/files/rankings/matrix.xlsx: the leaders' league table and scorecard matrix as Excel, every
row the filters leave, missing and not applicable as words (never 0), bands as fills, the
averages, and errors that name the parameter or say who may not read it."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from redline.db import unit_of_work
from scoring.rankings import workbook
from tenants.models import TenantLevel
from tests.factories.analytics import (
    B2_UNIT,
    NOT_APPLICABLE_UNIT,
    ZERO_B1_UNIT,
    AnalyticsWorld,
    analytics_world,
)
from tests.factories.api import XLSX, gid, ok, signed_in
from tests.factories.rankings import ranking_cycle
from tests.factories.tenants import node

D = Decimal
URL = "/files/rankings/matrix.xlsx"
FILLS = {"GREEN": "C6EFCE", "YELLOW": "FFEB9C", "RED": "FFC7CE"}
GREY = "EDEDED"

MATRIX = """
query($cycle: ID!, $scope: ID!, $level: TenantLevel!, $columns: MatrixColumns,
      $orderBy: MatrixOrder, $filter: MatrixFilter) {
  scorecardMatrix(cycle: $cycle, scope: $scope, level: $level, columns: $columns,
                  orderBy: $orderBy, filter: $filter, first: 100) {
    totalCount averagePercentOfMax
    snapshot { version }
    columns { code title maxPoints thresholds { green yellow } }
    averages { column percentOfMax }
    edges { node {
      entry { rank of score percentOfMax band grade vetoed previousRank rankChange previousScore
              scoreChange scoreTrend rankTrend unit { code nameZh nameEn } }
      cells { column state points band }
    } }
  }
}
"""


@pytest.fixture
def analytics(world: Session, sessions) -> AnalyticsWorld:
    return analytics_world(world, sessions)


def _ids(world: Session, analytics: AnalyticsWorld, scope: str = "330402") -> dict[str, str]:
    return {
        "cycle": gid("Cycle", analytics.cycles[2026].id),
        "scope": gid("Tenant", node(world, scope).id),
    }


def _download(client, **params: str):
    return client.http.get(URL, query_string=params)


def _matrix(gql, variables: dict[str, Any]) -> dict[str, Any]:
    return ok(gql.execute(MATRIX, variables))["scorecardMatrix"]


def _workbook(response) -> dict[str, Worksheet]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == XLSX
    book = load_workbook(io.BytesIO(response.data))
    return {sheet.title: sheet for sheet in book.worksheets}


def _header(sheet: Worksheet, label: str) -> int:
    return next(
        number
        for number, (value,) in enumerate(sheet.iter_rows(max_col=1, values_only=True), start=1)
        if value == label
    )


def _league(sheet: Worksheet) -> tuple[list[str], list[dict[str, Cell]]]:
    """The league table's headers and its rows (cells by header)."""
    header = _header(sheet, "排名 Rank")
    labels = [cell.value for cell in sheet[header]]
    rows = [
        dict(zip(labels, row, strict=True))
        for row in sheet.iter_rows(min_row=header + 1)
        if row[0].value is not None
    ]
    return labels, rows


def _matrix_sheet(sheet: Worksheet) -> dict[str, Any]:
    """The matrix sheet: header, thresholds and average rows, and the rows by unit code."""
    header = _header(sheet, "单位代码 Code")
    labels = [cell.value for cell in sheet[header]]
    rows = [row for row in sheet.iter_rows(min_row=header + 4) if row[0].value is not None]
    return {
        "header": header,
        "labels": labels,
        "thresholds": sheet[header + 1],
        "averages": sheet[header + 2],
        "codes": [row[0].value for row in rows],
        "rows": {row[0].value: row for row in rows},
    }


def _fill(cell: Cell) -> str | None:
    if cell.fill is None or cell.fill.fill_type != "solid":
        return None
    return cell.fill.fgColor.rgb[-6:]


def _number(value: object) -> Decimal:
    assert isinstance(value, int | float), value
    return D(str(value)).quantize(D("0.01"))


def test_the_whole_matrix_downloads_with_words_for_missing_and_bands_as_fills(
    world, analytics, make_gql
):
    gql = signed_in(make_gql, "jx-office")
    ids = _ids(world, analytics)
    response = _download(gql, **ids, level="township", columns="indicator")
    sheets = _workbook(response)
    assert list(sheets) == ["排名 League table", "矩阵 Matrix"]
    cycle_id = analytics.cycles[2026].id
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=ranking-matrix-{cycle_id}-330402.xlsx"
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"

    expected = _matrix(gql, ids | {"level": "TOWNSHIP", "columns": "INDICATOR"})
    entries = {e["node"]["entry"]["unit"]["code"]: e["node"] for e in expected["edges"]}
    matrix = _matrix_sheet(sheets["矩阵 Matrix"])
    assert len(matrix["codes"]) == expected["totalCount"] == 13
    assert matrix["codes"] == [e["node"]["entry"]["unit"]["code"] for e in expected["edges"]]

    # The title rows say what was read.
    title = sheets["矩阵 Matrix"]
    assert title["A1"].value.startswith(analytics.cycles[2026].name)
    source = title["A2"].value
    assert "330402" in source and "乡镇 township" in source
    assert f"v{expected['snapshot']['version']}" in source and "计算于 computed" in source

    # One column per indicator: its code, title and maximum in the header, its thresholds below.
    columns = expected["columns"]
    fixed = len(workbook.MATRIX_FIXED)
    assert len(matrix["labels"]) == fixed + len(columns)
    for index, column in enumerate(columns):
        label = matrix["labels"][fixed + index]
        assert label.startswith(f"{column['code']} {column['title']}\n"), label
        assert label.endswith(f"满分 max {D(column['maxPoints']).normalize():f}"), label
        shown = matrix["thresholds"][fixed + index].value
        for key in ("green", "yellow"):
            assert f"≥ {D(column['thresholds'][key]).normalize():f}%" in shown, shown

    # Every cell: the points on the band's colour, or the state's words on grey, never 0.
    for code, entry in entries.items():
        row = matrix["rows"][code]
        assert row[4].value == float(entry["entry"]["score"])
        assert _fill(row[4]) == FILLS[entry["entry"]["band"]]
        for index, cell in enumerate(entry["cells"]):
            shown = row[fixed + index]
            if cell["state"] == "SCORED":
                assert _number(shown.value) == D(cell["points"]), (code, cell)
                assert _fill(shown) == FILLS[cell["band"]], (code, cell)
            else:
                words = "未填报 missing" if cell["state"] == "MISSING" else "不适用 N/A"
                assert shown.value == words, (code, cell)
                assert _fill(shown) == GREY
    b2 = fixed + [c["code"] for c in columns].index("B.2")
    b1 = fixed + [c["code"] for c in columns].index("B.1")
    coal = fixed + [c["code"] for c in columns].index("3.1")
    assert matrix["rows"][B2_UNIT][b2].value == 1
    others = [matrix["rows"][code][b2].value for code in matrix["codes"] if code != B2_UNIT]
    assert set(others) == {"未填报 missing"}
    # A zero entered is a zero: a number, red.
    assert matrix["rows"][ZERO_B1_UNIT][b1].value == 0
    assert _fill(matrix["rows"][ZERO_B1_UNIT][b1]) == FILLS["RED"]
    assert matrix["rows"][NOT_APPLICABLE_UNIT][coal].value == "不适用 N/A"

    # The average row: each column's mean percent of max over every row, missing left out.
    averages = {a["column"]: a["percentOfMax"] for a in expected["averages"]}
    assert _number(matrix["averages"][fixed - 1].value) == D(expected["averagePercentOfMax"])
    for index, column in enumerate(columns):
        shown = matrix["averages"][fixed + index].value
        assert _number(shown) == D(averages[column["code"]]), column["code"]
    assert _number(matrix["averages"][b2].value) == D("33.33")  # one unit, not 1 of 13

    # Headers, thresholds, averages and the unit stay in sight.
    assert sheets["矩阵 Matrix"].freeze_panes == f"C{matrix['header'] + 4}"


def test_the_league_table_has_bands_grades_and_arrows_only_past_the_least_change(
    world, analytics, make_gql
):
    gql = signed_in(make_gql, "jx-office")
    ids = _ids(world, analytics)
    sheets = _workbook(_download(gql, **ids, level="TOWNSHIP"))
    labels, rows = _league(sheets["排名 League table"])
    assert labels[:5] == [
        "排名 Rank",
        "参评 Of",
        "单位代码 Code",
        "单位名称 Name",
        "英文名称 Name (English)",
    ]
    expected = _matrix(gql, ids | {"level": "TOWNSHIP"})
    entries = [e["node"]["entry"] for e in expected["edges"]]
    assert len(rows) == expected["totalCount"] == len(entries)
    arrows = set()
    for row, entry in zip(rows, entries, strict=True):
        assert row["单位代码 Code"].value == entry["unit"]["code"]
        assert row["单位名称 Name"].value == entry["unit"]["nameZh"]
        assert row["排名 Rank"].value == entry["rank"]
        assert row["参评 Of"].value == entry["of"]
        assert _number(row["总分 Total"].value) == D(entry["score"])
        assert _number(row["得分率 % of max"].value) == D(entry["percentOfMax"])
        band = row["色带 Band"]
        assert band.value.endswith(entry["band"].lower()) and _fill(band) == FILLS[entry["band"]]
        assert row["等级 Grade"].value.endswith(entry["grade"].lower())
        assert row["一票否决 Vetoed"].value == ("是 yes" if entry["vetoed"] else "否 no")
        assert row["上期排名 Previous rank"].value == entry["previousRank"]
        change = row["排名变化 Rank change"].value
        if entry["rankTrend"] == "NEW":
            assert change == "新 new"
        else:
            moved = entry["rankChange"]
            number = f"{moved:+d}" if moved else "0"
            arrow = {"UP": "↑ ", "DOWN": "↓ "}.get(entry["rankTrend"], "")
            assert change == arrow + number, (change, entry)
            arrows.add(entry["rankTrend"])
        score = row["得分变化 Score change"].value
        if entry["scoreTrend"] != "NEW":
            moved = D(entry["scoreChange"])
            assert score.startswith({"UP": "↑", "DOWN": "↓"}.get(entry["scoreTrend"], "")), score
            assert D(score.split()[-1]) == moved
            assert ("↑" in score or "↓" in score) == (entry["scoreTrend"] in ("UP", "DOWN"))
    assert {"UP", "DOWN"} & arrows  # 2026 moved against 2025: some arrows show
    assert (
        sheets["排名 League table"].freeze_panes
        == f"E{_header(sheets['排名 League table'], '排名 Rank') + 1}"
    )


def test_sort_search_and_filters_apply_to_every_row(world, analytics, make_gql, monkeypatch):
    monkeypatch.setattr(workbook, "PAGE_SIZE", 3)  # 13 rows read in five pages
    gql = signed_in(make_gql, "jx-office")
    ids = _ids(world, analytics)

    everything = _matrix_sheet(_workbook(_download(gql, **ids, level="TOWNSHIP"))["矩阵 Matrix"])
    expected = _matrix(gql, ids | {"level": "TOWNSHIP"})
    assert everything["codes"] == [e["node"]["entry"]["unit"]["code"] for e in expected["edges"]]
    assert len(everything["codes"]) == 13

    searched = _workbook(
        _download(
            gql,
            **ids,
            level="TOWNSHIP",
            search="街道",
            sort="column",
            sortColumn="1",
            descending="1",
        )
    )
    sheet = _matrix_sheet(searched["矩阵 Matrix"])
    expected = _matrix(
        gql,
        ids
        | {
            "level": "TOWNSHIP",
            "filter": {"search": "街道"},
            "orderBy": {"by": "COLUMN", "column": "1", "descending": True},
        },
    )
    assert sheet["codes"] == [e["node"]["entry"]["unit"]["code"] for e in expected["edges"]]
    assert 0 < len(sheet["codes"]) == expected["totalCount"] < 13
    assert all("街道" in row[1].value for row in sheet["rows"].values())
    _, league = _league(searched["排名 League table"])
    assert [r["单位代码 Code"].value for r in league] == sheet["codes"]
    assert "搜索 search “街道”" in searched["矩阵 Matrix"]["A3"].value
    # The averages are the searched rows'.
    assert _number(sheet["averages"][5].value) == D(expected["averagePercentOfMax"])

    green = _workbook(_download(gql, **ids, level="TOWNSHIP", bands="green,Yellow"))
    _, league = _league(green["排名 League table"])
    expected = _matrix(gql, ids | {"level": "TOWNSHIP", "filter": {"bands": ["GREEN", "YELLOW"]}})
    assert len(league) == expected["totalCount"] >= 1
    assert {r["色带 Band"].value for r in league} <= {"绿 green", "黄 yellow"}

    below = _workbook(
        _download(
            gql,
            **ids,
            level="TOWNSHIP",
            columns="INDICATOR",
            relative="below",
            relativeColumn="2.1",
            vetoed="false",
        )
    )
    expected = _matrix(
        gql,
        ids
        | {
            "level": "TOWNSHIP",
            "columns": "INDICATOR",
            "filter": {"relative": "BELOW", "relativeColumn": "2.1", "vetoed": False},
        },
    )
    codes = _matrix_sheet(below["矩阵 Matrix"])["codes"]
    assert codes == [e["node"]["entry"]["unit"]["code"] for e in expected["edges"]]
    assert 0 < len(codes) < 13


def test_a_bad_parameter_is_a_400_naming_it(world, analytics, make_gql):
    gql = signed_in(make_gql, "jx-office")
    ids = _ids(world, analytics)
    township = ids | {"level": "TOWNSHIP"}
    cases = [
        ({**ids, "level": "planet"}, "level"),
        (ids, "level"),  # required
        ({**ids, "level": "PROVINCE"}, "level"),
        ({"scope": ids["scope"], "level": "TOWNSHIP"}, "cycle"),
        ({**township, "cycle": "not-an-id!"}, "cycle"),
        ({**township, "cycle": ids["scope"]}, "cycle"),  # a tenant's id
        ({**township, "scope": gid("Tenant", 0)}, "scope"),
        ({**township, "columns": "rows"}, "columns"),
        ({**township, "sort": "COLUMN", "sortColumn": "9.9"}, "sortColumn"),
        ({**township, "sort": "height"}, "sort"),
        ({**township, "category": "1"}, "category"),  # categories have no category
        ({**township, "descending": "maybe"}, "descending"),
        ({**township, "vetoed": "yes"}, "vetoed"),
        ({**township, "bands": "GREEN,PURPLE"}, "bands"),
        ({**township, "relative": "ABOVE", "relativeColumn": "9.9"}, "relativeColumn"),
        ({**township, "search": "a\x00b"}, "search"),
        ({**township, "colour": "red"}, "colour"),  # no such parameter
        ({**ids, "level": "COUNTY"}, "level"),  # Nanhu's rows are townships
    ]
    for params, name in cases:
        response = _download(gql, **params)
        assert response.status_code == 400, (params, response.get_data(as_text=True))
        error = response.get_json()["errors"][0]
        assert error["message"].startswith(f"{name}:"), (params, error)
        assert error["extensions"]["field"] == name
        assert error["extensions"]["code"] == "INVALID"
        assert response.headers["Cache-Control"] == "private, no-store"
    twice = gql.http.get(
        URL, query_string=MultiDict([*ids.items(), ("level", "TOWNSHIP"), ("level", "COUNTY")])
    )
    assert twice.status_code == 400
    assert twice.get_json()["errors"][0]["extensions"]["field"] == "level"


def test_an_export_too_large_to_build_in_a_request_says_how_to_narrow_it(
    world, analytics, make_gql, monkeypatch
):
    monkeypatch.setattr(workbook, "MAX_EXPORT_CELLS", 13 * 4 - 1)  # 13 townships x 4 categories
    gql = signed_in(make_gql, "jx-office")
    ids = _ids(world, analytics)
    response = _download(gql, **ids, level="TOWNSHIP")
    assert response.status_code == 400
    error = response.get_json()["errors"][0]
    assert error["extensions"] == error["extensions"] | {"field": "scope", "code": "TOO_LARGE"}
    assert "13 units x 4 columns" in error["message"] and "search" in error["message"]
    assert _download(gql, **ids, level="TOWNSHIP", search="街道").status_code == 200


def test_what_the_user_cannot_see_or_read_is_404_or_403_and_signed_out_401(
    world, analytics, make_gql
):
    with unit_of_work(world):  # a county cycle of the city, not published yet
        counties = ranking_cycle(world, analytics.template, "330400", TenantLevel.COUNTY)
    township = _ids(world, analytics) | {"level": "TOWNSHIP"}
    unknown = _download(
        signed_in(make_gql, "jx-office"), **township | {"cycle": gid("Cycle", 9999)}
    )
    assert unknown.status_code == 404
    error = unknown.get_json()["errors"][0]
    assert error["extensions"] == error["extensions"] | {"code": "NOT_FOUND", "field": "cycle"}

    assert _download(make_gql(), **township).status_code == 401

    clerk = signed_in(make_gql, "xjd-clerk")  # Xiangjiadang, a township of Nanhu
    # Its own county's township ranking it reads (it is ranked there)...
    assert _download(clerk, **township).status_code == 200
    # ... another county is out of its sight...
    other = _download(clerk, **_ids(world, analytics, "330411") | {"level": "TOWNSHIP"})
    assert other.status_code == 404
    assert other.get_json()["errors"][0]["extensions"]["field"] == "scope"
    # ... and the county ranking of a county cycle, where no township is ranked, is not its.
    city = {
        "cycle": gid("Cycle", counties.id),
        "scope": gid("Tenant", node(world, "330400").id),
        "level": "COUNTY",
    }
    refused = _download(clerk, **city)
    assert refused.status_code == 403
    error = refused.get_json()["errors"][0]
    assert error["extensions"]["code"] == "PERMISSION_DENIED"
    assert error["message"].startswith("scope:")

    # The city's office reads it: nothing published yet, so headers and no rows.
    office = _workbook(_download(signed_in(make_gql, "jx-office"), **city))
    assert "尚未发布 not published yet" in office["矩阵 Matrix"]["A2"].value
    assert _league(office["排名 League table"])[1] == []
    assert _matrix_sheet(office["矩阵 Matrix"])["codes"] == []
