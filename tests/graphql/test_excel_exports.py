"""Excel over HTTP on both backends: a self-assessment downloaded and imported with
importSelfAssessment (only by those who may), and the accident and hazard ledgers of a unit's
subtree and period (the rows the list queries give; 400 naming a bad parameter, 404 out of
sight)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import Session
from strawberry.relay import GlobalID

from scoring.assessments.excel import COLUMNS, SHEET
from scoring.assessments.models import Assessment
from scoring.ledgers.models import HazardState
from tests.factories.api import PDF, XLSX, fields_of, gid, signed_in, tenant_id, upload
from tests.factories.assessments import assessment_of, open_sample_cycle
from tests.factories.ledgers import accident_row, hazard_row
from tests.factories.workbooks import edited

LETTER = {c.key: chr(ord("A") + i) for i, c in enumerate(COLUMNS)}
IMPORT = """
mutation($input: ImportSelfAssessmentInput!) {
  importSelfAssessment(input: $input) {
    assessment { id version selfTotal }
    errors { field message code }
  }
}
"""
ACCIDENTS = """
query($filter: AccidentFilter) {
  accidents(filter: $filter, first: 100) { edges { node { id title occurredOn } } }
}
"""
HAZARDS = """
query($filter: HazardFilter) {
  hazards(filter: $filter, first: 100) { edges { node { id title foundOn overdue } } }
}
"""


@pytest.fixture
def xjd(world: Session) -> Assessment:
    """Xiangjiadang's (330402901) draft in a township cycle over Nanhu."""
    cycle = open_sample_cycle(world)
    world.commit()
    return assessment_of(world, cycle, "330402901")


def url(assessment: Assessment) -> str:
    return f"/files/assessments/{gid('Assessment', assessment.id)}/self-assessment.xlsx"


def fill(data: bytes, values: dict[str, Any]) -> bytes:
    """The workbook with each indicator's entry cell (by code) set to ``values``."""

    def change(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        for number in range(4, sheet.max_row + 1):
            code = sheet[f"{LETTER['code']}{number}"].value
            clause = sheet[f"{LETTER['clause']}{number}"].value
            if clause is None and code in values:
                sheet[f"{LETTER['entry']}{number}"] = values[code]

    return edited(data, change)


# --- the self-assessment --------------------------------------------------------------------


def test_the_unit_downloads_fills_in_and_imports_its_self_assessment(xjd, make_gql):
    gql = signed_in(make_gql, "xjd-clerk")
    response = gql.http.get(url(xjd))
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=self-assessment-330402901-{xjd.id}-v{xjd.version}.xlsx"
    )
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert load_workbook(io.BytesIO(response.data))[SHEET].freeze_panes == "D4"

    data = fill(
        response.data,
        {"1.1": 9, "1.2": "是", "2.1": 90, "2.2": 92, "3.1": 12, "3.2": "是", "B.1": 2},
    )
    variables = {
        "input": {
            "assessmentId": gid("Assessment", xjd.id),
            "expectedVersion": xjd.version,
            "file": None,
        }
    }
    reply = upload(gql, IMPORT, variables, "input.file", data, "自评.xlsx", XLSX)
    payload = reply.get_json()["data"]["importSelfAssessment"]
    assert payload["errors"] == []
    assert payload["assessment"]["version"] == xjd.version + 1
    assert Decimal(payload["assessment"]["selfTotal"]) == Decimal(92)  # 1.3 untouched: 10

    # The same file again: downloaded before that save, so a conflict on the file.
    variables["input"]["expectedVersion"] = xjd.version + 1
    reply = upload(gql, IMPORT, variables, "input.file", data, "自评.xlsx", XLSX)
    payload = reply.get_json()["data"]["importSelfAssessment"]
    assert payload["assessment"] is None
    assert fields_of(payload) == [("file", "CONFLICT")]

    # A bad cell is named by sheet, cell and reason; nothing is saved.
    fresh = gql.http.get(url(xjd)).data
    reply = upload(gql, IMPORT, variables, "input.file", fill(fresh, {"1.1": "九"}), "x.xlsx", XLSX)
    payload = reply.get_json()["data"]["importSelfAssessment"]
    assert fields_of(payload) == [("file", "INVALID")]
    assert payload["errors"][0]["message"].startswith(f"{SHEET}!H4: the points of 1.1")

    reply = upload(gql, IMPORT, variables, "input.file", PDF, "x.pdf", "application/pdf")
    assert fields_of(reply.get_json()["data"]["importSelfAssessment"]) == [("file", "INVALID")]


@pytest.mark.parametrize("username", ["qixing-clerk", "sc-office", "ln-office"])
def test_others_cannot_download_a_units_self_assessment(xjd, make_gql, username):
    response = signed_in(make_gql, username).http.get(url(xjd))
    assert response.status_code == 404


def test_offices_above_download_it_but_cannot_import_it(xjd, make_gql):
    gql = signed_in(make_gql, "nanhu-office")
    response = gql.http.get(url(xjd))
    assert response.status_code == 200
    variables = {
        "input": {
            "assessmentId": gid("Assessment", xjd.id),
            "expectedVersion": xjd.version,
            "file": None,
        }
    }
    reply = upload(gql, IMPORT, variables, "input.file", response.data, "x.xlsx", XLSX)
    assert fields_of(reply.get_json()["data"]["importSelfAssessment"]) == [
        ("assessmentId", "PERMISSION_DENIED")
    ]


def test_a_sibling_cannot_import_into_another_units_assessment(xjd, make_gql):
    data = signed_in(make_gql, "xjd-clerk").http.get(url(xjd)).data
    gql = signed_in(make_gql, "qixing-clerk")
    variables = {
        "input": {
            "assessmentId": gid("Assessment", xjd.id),
            "expectedVersion": xjd.version,
            "file": None,
        }
    }
    reply = upload(gql, IMPORT, variables, "input.file", data, "x.xlsx", XLSX)
    assert fields_of(reply.get_json()["data"]["importSelfAssessment"]) == [
        ("assessmentId", "NOT_FOUND")
    ]


def test_downloads_need_a_signed_in_user(xjd, app):
    client = app.test_client()
    assert client.get(url(xjd)).status_code == 401
    assert client.get("/files/ledgers/accidents.xlsx?node=x").status_code == 401


# --- the accident and hazard ledgers --------------------------------------------------------


@pytest.fixture
def ledgers(world: Session) -> dict[str, Any]:
    """Accidents and hazards of two Nanhu townships (and one of Sichuan), 2025 and 2026."""
    rows = {
        "a1": accident_row(
            world,
            "330402901",
            date(2026, 3, 2),
            3,
            reported_at=datetime(2026, 3, 2, 2, 30, tzinfo=UTC),
        ),
        "a2": accident_row(world, "330402015", date(2026, 7, 9), 1),
        "a3": accident_row(world, "330402901", date(2025, 12, 31), 1),
        "a4": accident_row(world, "510802", date(2026, 5, 1), 1),
        "h1": hazard_row(world, "330402901", found_on=date(2026, 2, 1), deadline=date(2026, 2, 20)),
        "h2": hazard_row(
            world,
            "330402015",
            found_on=date(2026, 4, 1),
            deadline=date(2026, 4, 30),
            state=HazardState.CLOSED,
            closed_at=datetime(2026, 4, 29, 16, 30, tzinfo=UTC),
        ),
        "h3": hazard_row(world, "330402901", found_on=date(2025, 6, 1), deadline=date(2025, 6, 30)),
    }
    rows["a1"].direct_loss = Decimal("125000.50")
    world.commit()
    return {name: row.id for name, row in rows.items()}


def sheet_of(response) -> list[list[Any]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == XLSX
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.freeze_panes == "A2"
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def nanhu(world: Session) -> str:
    return tenant_id(world, "330402")


def test_the_accident_ledger_exports_the_rows_the_list_gives(world, ledgers, make_gql):
    gql = signed_in(make_gql, "nanhu-office")
    node = nanhu(world)
    listed = gql.execute(
        ACCIDENTS,
        {"filter": {"nodeId": node, "period": {"start": "2026-01-01", "end": "2026-12-31"}}},
    )["data"]["accidents"]["edges"]
    response = gql.http.get(
        f"/files/ledgers/accidents.xlsx?node={node}&from=2026-01-01&to=2026-12-31"
    )
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=accidents-330402-2026-01-01-2026-12-31.xlsx"
    )
    rows = sheet_of(response)
    assert rows[0][:4] == ["id 编号", "unit_code 单位编码", "unit 单位", "occurred_on 发生日期"]
    assert (
        [r[0] for r in rows[1:]]
        == [number_of(e["node"]["id"]) for e in listed]
        == [ledgers["a1"], ledgers["a2"]]
    )
    first = dict(zip([h.split()[0] for h in rows[0]], rows[1], strict=True))
    assert first["unit_code"] == "330402901"
    assert first["occurred_on"] == datetime(2026, 3, 2)  # an Excel date
    assert first["deaths"] == 3
    assert first["direct_loss"] == 125000.5  # a number
    assert first["accident_class"] == "较大"
    assert first["reported_at"] == datetime(2026, 3, 2, 10, 30)  # China time
    assert (first["occurred_time"], first["late_report_hours"]) == (None, None)  # on time

    # Without a period: every accident of the subtree.
    every = sheet_of(gql.http.get(f"/files/ledgers/accidents.xlsx?node={node}"))
    assert [r[0] for r in every[1:]] == [ledgers["a1"], ledgers["a2"], ledgers["a3"]]


def test_the_hazard_ledger_exports_the_rows_the_list_gives(world, ledgers, make_gql):
    gql = signed_in(make_gql, "xjd-clerk")
    node = tenant_id(world, "330402901")
    listed = gql.execute(
        HAZARDS,
        {"filter": {"nodeId": node, "foundIn": {"start": "2026-01-01", "end": "2026-12-31"}}},
    )["data"]["hazards"]["edges"]
    rows = sheet_of(
        gql.http.get(f"/files/ledgers/hazards.xlsx?node={node}&from=2026-01-01&to=2026-12-31")
    )
    assert (
        [r[0] for r in rows[1:]] == [number_of(e["node"]["id"]) for e in listed] == [ledgers["h1"]]
    )
    row = dict(zip([h.split()[0] for h in rows[0]], rows[1], strict=True))
    assert row["found_on"] == datetime(2026, 2, 1)
    assert row["deadline"] == datetime(2026, 2, 20)
    assert row["state"] == "待整改"
    assert row["overdue"] == ("是" if listed[0]["node"]["overdue"] else "否")
    assert row["listed"] == "否"

    office = signed_in(make_gql, "nanhu-office")
    rows = sheet_of(
        office.http.get(f"/files/ledgers/hazards.xlsx?node={nanhu(world)}&from=2026-04-01")
    )
    closed = dict(zip([h.split()[0] for h in rows[0]], rows[1], strict=True))
    assert closed["id"] == ledgers["h2"]
    assert closed["closed_at"] == datetime(2026, 4, 30, 0, 30)  # China time


def number_of(global_id: str) -> int:
    return int(GlobalID.from_id(global_id).node_id)


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("", "node"),
        ("node=abc", "node"),
        ("node={assessment}", "node"),
        ("node={node}&from=2026-13-01", "from"),
        ("node={node}&to=1.1.2026", "to"),
        ("node={node}&from=2026-05-01&to=2026-04-01", "to"),
        ("node={node}&node={node}", "node"),
        ("node={node}&period=2026", "period"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(world, ledgers, make_gql, query, parameter):
    gql = signed_in(make_gql, "nanhu-office")
    filled_in = query.format(node=nanhu(world), assessment=gid("Assessment", 1))
    for what in ("accidents", "hazards"):
        response = gql.http.get(f"/files/ledgers/{what}.xlsx?{filled_in}")
        assert response.status_code == 400, (what, query)
        error = response.get_json()["errors"][0]
        assert error["extensions"]["field"] == parameter, error
        assert error["extensions"]["code"] == "INVALID"
        assert error["message"].startswith(f"{parameter}: ")


@pytest.mark.parametrize(
    "username, unit",
    [("qixing-clerk", "330402901"), ("xjd-clerk", "330402"), ("sc-office", "330402")],
)
def test_a_unit_whose_ledgers_are_out_of_sight_is_a_404(world, ledgers, make_gql, username, unit):
    gql = signed_in(make_gql, username)
    for what in ("accidents", "hazards"):
        response = gql.http.get(f"/files/ledgers/{what}.xlsx?node={tenant_id(world, unit)}")
        assert response.status_code == 404
        assert response.get_json()["errors"][0]["extensions"]["field"] == "node"
