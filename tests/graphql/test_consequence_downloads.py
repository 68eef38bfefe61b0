"""/files/rankings/consequences.xlsx: the consequences register as Excel for whoever reads it
through consequenceRegister, refusals that name the parameter (400), a cycle or scope out of
sight (404), a ranking not the reader's (403), nobody signed in (401)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from redline.db import unit_of_work
from scoring.templates.models import Template
from tenants.models import TenantLevel
from tests.factories.api import XLSX, gid, ok, signed_in
from tests.factories.consequences import JIANSHE, XJD, RegisterWorld, register_world
from tests.factories.rankings import ranking_cycle
from tests.factories.tenants import node

URL = "/files/rankings/consequences.xlsx"
REGISTER = """
query($cycle: ID!, $scope: ID!) {
  consequenceRegister(cycle: $cycle, scope: $scope) {
    final units { entry { unit { code } } consequences { kind ineligibleUntil } }
  }
}
"""


@pytest.fixture
def closed(world: Session, sessions) -> RegisterWorld:
    return register_world(world, sessions)


def _ids(closed: RegisterWorld) -> dict[str, str]:
    return {"cycle": gid("Cycle", closed.cycle.id), "scope": gid("Tenant", closed.owner_id)}


def _download(client, **params: str):
    return client.http.get(URL, query_string=params)


def test_the_register_downloads_as_the_query_reads_it(world, closed, make_gql):
    clerk = signed_in(make_gql, "xjd-clerk")  # a unit ranked in Nanhu reads its register
    response = _download(clerk, **_ids(closed))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=consequences-{closed.cycle.id}-330402.xlsx"
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    sheet = load_workbook(io.BytesIO(response.data))["奖惩登记"]
    rows = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[1]]
    register = ok(clerk.execute(REGISTER, _ids(closed)))["consequenceRegister"]
    assert register["final"]
    assert [(row[1], row[5]) for row in rows] == [
        (unit["entry"]["unit"]["code"], kind)
        for unit in register["units"]
        for kind in (
            {
                "COMMENDATION": "通报表扬",
                "CRITICISM": "通报批评",
                "INTERVIEW": "约谈主要负责人",
                "INELIGIBILITY": "取消评优评先及提拔资格",
            }[c["kind"]]
            for c in unit["consequences"]
        )
    ]
    assert rows[0][1] == JIANSHE and rows[-1][1] == XJD
    assert (
        rows[-1][7].date().isoformat()
        == register["units"][-1]["consequences"][-1]["ineligibleUntil"]
    )


def test_a_bad_parameter_is_400_naming_it(world, closed, make_gql):
    gql = signed_in(make_gql, "jx-office")
    ids = _ids(closed)
    cases = [
        ({"scope": ids["scope"]}, "cycle"),  # required
        ({"cycle": ids["cycle"]}, "scope"),
        ({**ids, "cycle": "not-an-id!"}, "cycle"),
        ({**ids, "cycle": ids["scope"]}, "cycle"),  # a tenant's id
        ({**ids, "scope": ids["cycle"]}, "scope"),
        ({**ids, "scope": "a\x00b"}, "scope"),
        ({**ids, "level": "TOWNSHIP"}, "level"),  # the register takes no level
    ]
    for params, name in cases:
        response = _download(gql, **params)
        assert response.status_code == 400, (params, response.get_data(as_text=True))
        error = response.get_json()["errors"][0]
        assert error["message"].startswith(f"{name}:"), (params, error)
        assert error["extensions"]["field"] == name
        assert error["extensions"]["code"] == "INVALID"
        assert response.headers["Cache-Control"] == "private, no-store"
    twice = gql.http.get(URL, query_string=MultiDict([*ids.items(), ("cycle", ids["cycle"])]))
    assert twice.status_code == 400
    assert twice.get_json()["errors"][0]["extensions"]["field"] == "cycle"


def test_what_the_user_cannot_see_or_read_is_404_or_403_and_signed_out_401(world, closed, make_gql):
    ids = _ids(closed)
    unknown = _download(signed_in(make_gql, "jx-office"), **ids | {"cycle": gid("Cycle", 9999)})
    assert unknown.status_code == 404
    error = unknown.get_json()["errors"][0]
    assert error["extensions"] == error["extensions"] | {"code": "NOT_FOUND", "field": "cycle"}

    assert _download(make_gql(), **ids).status_code == 401

    # Another province sees neither the cycle nor the scope.
    sichuan = _download(signed_in(make_gql, "sc-office"), **ids)
    assert sichuan.status_code == 404
    assert sichuan.get_json()["errors"][0]["extensions"]["field"] == "cycle"

    # A township of Nanhu does not read the register of a county cycle of the city (where no
    # township is ranked).
    with unit_of_work(world):
        template = world.get_one(Template, closed.cycle.template_id)
        counties = ranking_cycle(world, template, "330400", TenantLevel.COUNTY)
    city = {"cycle": gid("Cycle", counties.id), "scope": gid("Tenant", node(world, "330400").id)}
    refused = _download(signed_in(make_gql, "xjd-clerk"), **city)
    assert refused.status_code == 403
    error = refused.get_json()["errors"][0]
    assert error["extensions"]["code"] == "PERMISSION_DENIED"
    assert error["message"].startswith("scope:")
