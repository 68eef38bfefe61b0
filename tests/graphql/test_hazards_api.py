"""The hidden-hazard ledger through the API: recording, the rectification with a multipart
evidence upload and its download, listing and delisting, the list's filters and pages, the
statistics, isolation between units and provinces, and query counts that do not grow with rows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from redline.app import Runtime
from redline.calendar import local_date
from redline.db import utcnow
from scoring.evidence import FolderStore
from scoring.ledgers.hazards import HazardInput, list_hazard, move_hazard, record_hazard
from scoring.ledgers.history import EvidenceFile
from scoring.ledgers.models import Hazard, HazardState
from tests.factories.api import (
    ERRORS,
    PDF,
    fields_of,
    gid,
    mutate,
    ok,
    signed_in,
    statements_for,
    tenant_id,
    upload,
)
from tests.factories.tenants import node

XJD = "330402901"
QIXING = "330402015"
NANHU = "330402"
GUANGYUAN = "510800"
HAZARD = """
id title description place sector source severity foundOn deadline state overdue listed
listedAt delistedAt rectifiedAt verifiedAt closedAt recordedAt version
unit { code } listedBy { code } rectifiedBy { username } verifiedBy { username }
recordedBy { username }
history { action field old new note actor { username }
          files { id filename size sha256 downloadUrl uploadedBy { username } } }
"""
MOVE = f"""
mutation($input: MoveHazardInput!) {{
  moveHazard(input: $input) {{ hazard {{ {HAZARD} }} {ERRORS} }}
}}
"""
LIST = """
query($filter: HazardFilter, $first: Int, $after: String) {
  hazards(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { title } }
  }
}
"""
STATISTICS = """
query($nodeId: ID!, $period: PeriodInput!) {
  hazardStatistics(nodeId: $nodeId, period: $period) {
    unit { code } start end asOf
    found rectified rectificationRate majorFound majorRectified majorRectificationRate
    overdue overdueMajor listedOverdue openOverdue listed
    byState { state count } bySeverity { severity count }
    bySector { sector nameZh found rectified rectificationRate overdue overdueMajor }
    byUnit { unit { code } found rectified rectificationRate overdue overdueMajor }
  }
}
"""


def today() -> date:
    return local_date(utcnow())


def day(offset: int) -> str:
    return (today() + timedelta(days=offset)).isoformat()


def act(gql, name: str, input_type: str, input_: dict[str, Any]) -> dict[str, Any]:
    return mutate(gql, name, input_type, f"hazard {{ {HAZARD} }}", input_)


def recorded(gql, unit_id: int, **changes: Any) -> dict[str, Any]:
    input_ = {
        "nodeId": gid("Tenant", unit_id),
        "title": "储罐区可燃气体报警器失效",
        "sector": "HAZARDOUS_CHEMICALS",
        "source": "DEPARTMENT_INSPECTION",
        "severity": "MAJOR",
        "foundOn": day(-20),
        "deadline": day(10),
        "place": "嘉兴某化工有限公司",
        "description": "2号储罐区报警器未联动",
        **changes,
    }
    return act(gql, "recordHazard", "RecordHazardInput", input_)


def moved(gql, hazard: dict[str, Any], to: str, note: str, version: int | None = None) -> dict:
    input_ = {
        "hazardId": hazard["id"],
        "expectedVersion": version or hazard["version"],
        "to": to,
        "note": note,
    }
    return ok(gql.execute(MOVE, {"input": input_}))["moveHazard"]


def supervised(gql, name: str, hazard: dict[str, Any], note: str) -> dict[str, Any]:
    input_type = f"{name[0].upper()}{name[1:]}Input"
    input_ = {"hazardId": hazard["id"], "expectedVersion": hazard["version"], "note": note}
    return act(gql, name, input_type, input_)


def titles(gql, filter_: dict[str, Any] | None = None, **page: Any) -> list[str]:
    result = ok(gql.execute(LIST, {"filter": filter_, **page}))["hazards"]
    return sorted(edge["node"]["title"] for edge in result["edges"])


# --- the whole way, with evidence ------------------------------------------------------------


def test_a_hazard_through_its_rectification(world: Session, make_gql):
    xjd, nanhu = node(world, XJD, fresh=True), node(world, NANHU, fresh=True)
    clerk, office = signed_in(make_gql, "xjd-clerk"), signed_in(make_gql, "nanhu-office")
    qixing = signed_in(make_gql, "qixing-clerk")

    created = recorded(clerk, xjd.id)
    assert created["errors"] == []
    hazard = created["hazard"]
    assert {k: hazard[k] for k in ("sector", "source", "severity", "state", "version")} == {
        "sector": "HAZARDOUS_CHEMICALS",
        "source": "DEPARTMENT_INSPECTION",
        "severity": "MAJOR",
        "state": "OPEN",
        "version": 1,
    }
    assert (hazard["foundOn"], hazard["deadline"], hazard["overdue"], hazard["listed"]) == (
        day(-20),
        day(10),
        False,
        False,
    )
    assert (hazard["unit"], hazard["recordedBy"]) == ({"code": XJD}, {"username": "xjd-clerk"})
    assert [(e["action"], e["actor"]["username"]) for e in hazard["history"]] == [
        ("recorded", "xjd-clerk")
    ]

    # Bad input, somebody else's unit, a unit above: each a clear error.
    bad = recorded(clerk, xjd.id, foundOn=day(1), deadline=None, title="", sector="FIRE")
    assert fields_of(bad) == [
        ("title", "REQUIRED"),
        ("foundOn", "INVALID"),
        ("deadline", "REQUIRED"),
    ]
    assert fields_of(recorded(qixing, xjd.id)) == [("nodeId", "NOT_FOUND")]
    assert fields_of(recorded(clerk, nanhu.id)) == [("nodeId", "PERMISSION_DENIED")]

    listed = supervised(office, "listHazard", hazard, "区级挂牌督办")
    assert listed["errors"] == []
    hazard = listed["hazard"]
    assert (hazard["listed"], hazard["listedBy"], hazard["version"]) == (True, {"code": NANHU}, 2)
    assert hazard["listedAt"] is not None

    started = moved(clerk, hazard, "RECTIFYING", "停用2号储罐，更换报警器")
    assert started["errors"] == []
    hazard = started["hazard"]
    assert (hazard["state"], hazard["version"]) == ("RECTIFYING", 3)
    assert fields_of(moved(clerk, hazard, "RECTIFIED", "已更换")) == [("files", "REQUIRED")]
    assert fields_of(moved(qixing, hazard, "RECTIFIED", "x")) == [("hazardId", "NOT_FOUND")]

    # The evidence, as a multipart upload.
    reply = upload(
        clerk,
        MOVE,
        {
            "input": {
                "hazardId": hazard["id"],
                "expectedVersion": 3,
                "to": "RECTIFIED",
                "note": "报警器已更换并联动测试",
                "files": [None],
            }
        },
        "input.files.0",
        PDF,
        "整改验收报告.pdf",
        "application/pdf",
    )
    assert reply.status_code == 200, reply.data
    rectified = reply.get_json()["data"]["moveHazard"]
    assert rectified["errors"] == []
    hazard = rectified["hazard"]
    assert (hazard["state"], hazard["rectifiedBy"]) == ("RECTIFIED", {"username": "xjd-clerk"})
    step = hazard["history"][-1]
    assert (step["action"], step["field"], step["old"], step["new"], step["note"]) == (
        "state",
        "state",
        "rectifying",
        "rectified",
        "报警器已更换并联动测试",
    )
    [file] = step["files"]
    assert (file["filename"], file["size"], file["uploadedBy"]) == (
        "整改验收报告.pdf",
        len(PDF),
        {"username": "xjd-clerk"},
    )
    assert file["downloadUrl"] == f"/files/ledger-evidence/{file['id']}"
    for reader in (clerk, office, signed_in(make_gql, "zj-leader")):
        download = reader.http.get(file["downloadUrl"])
        assert download.status_code == 200
        assert (download.data, download.mimetype) == (PDF, "application/pdf")
    for outsider in (qixing, signed_in(make_gql, "sc-office")):
        assert outsider.http.get(file["downloadUrl"]).status_code == 404

    # The look-back: not by the clerk (no supervisor), by the Nanhu office.
    assert fields_of(moved(clerk, hazard, "VERIFIED", "复查")) == [
        ("hazardId", "PERMISSION_DENIED")
    ]
    assert fields_of(supervised(office, "delistHazard", hazard, "摘牌")) == [
        ("hazardId", "INVALID_STATE")
    ]
    hazard = moved(office, hazard, "VERIFIED", "现场复查合格")["hazard"]
    assert (hazard["state"], hazard["verifiedBy"]) == ("VERIFIED", {"username": "nanhu-office"})
    hazard = supervised(office, "delistHazard", hazard, "验收合格，摘牌")["hazard"]
    assert (hazard["listed"], hazard["listedBy"]) == (False, {"code": NANHU})
    assert hazard["delistedAt"] is not None
    stale = moved(office, hazard, "CLOSED", "销号", version=hazard["version"] - 1)
    assert fields_of(stale) == [("expectedVersion", "CONFLICT")]
    hazard = moved(office, hazard, "CLOSED", "销号")["hazard"]
    assert hazard["state"] == "CLOSED" and hazard["closedAt"] is not None
    wrong = moved(office, hazard, "OPEN", "重新打开")
    assert fields_of(wrong) == [("to", "INVALID_STATE")]
    assert "moves no further" in wrong["errors"][0]["message"]
    assert [(e["action"], e["new"]) for e in hazard["history"]] == [
        ("recorded", None),
        ("listed", "true"),
        ("state", "rectifying"),
        ("state", "rectified"),
        ("state", "verified"),
        ("delisted", "false"),
        ("state", "closed"),
    ]


def test_list_and_delist_only_major_hazards(world: Session, make_gql):
    office = signed_in(make_gql, "nanhu-office")
    general = recorded(office, node(world, XJD, fresh=True).id, severity="GENERAL")["hazard"]
    refused = supervised(office, "listHazard", general, "挂牌")
    assert fields_of(refused) == [("hazardId", "INVALID_STATE")]
    assert "only major hazards" in refused["errors"][0]["message"]
    major = recorded(office, node(world, XJD, fresh=True).id)["hazard"]
    clerk = signed_in(make_gql, "xjd-clerk")
    assert fields_of(supervised(clerk, "listHazard", major, "挂牌")) == [
        ("hazardId", "PERMISSION_DENIED")
    ]
    assert fields_of(supervised(office, "listHazard", major, " ")) == [("note", "REQUIRED")]


# --- the list, its filters and pages --------------------------------------------------------


@pytest.fixture
def ledger(world: Session, runtime: Runtime) -> dict[str, Hazard]:
    """Hazards of Nanhu's subtree and one of Guangyuan (Sichuan), by their titles."""
    store = FolderStore(runtime.settings.attachment_dir)
    rows: dict[str, Hazard] = {}

    def hazard(title, code, severity, sector, source, found, due) -> Hazard:
        data = HazardInput(
            title=title,
            sector=sector,
            source=source,
            severity=severity,
            found_on=today() + timedelta(days=found),
            deadline=today() + timedelta(days=due),
        )
        rows[title] = record_hazard(world, None, node(world, code, fresh=True), data)
        world.commit()
        return rows[title]

    hazard("a overdue fire", XJD, "general", "fire", "self_inspection", -30, -10)
    major = hazard("b listed major", XJD, "major", "hazardous_chemicals", "self_inspection", -5, 5)
    list_hazard(world, None, major, note="挂牌督办", expected_version=1)
    world.commit()  # node() below starts a fresh snapshot
    gas = hazard("c rectified gas", QIXING, "general", "gas", "spot_check", -40, -35)
    move_hazard(
        world,
        None,
        gas,
        HazardState.RECTIFIED,
        note="立查立改",
        files=[EvidenceFile("照片.pdf", "application/pdf", PDF)],
        expected_version=1,
        store=store,
        settings=runtime.settings,
    )
    world.commit()
    hazard("d district's own", NANHU, "general", "fire", "department_inspection", -1, 0)
    hazard("e guangyuan", GUANGYUAN, "major", "coal_mines", "department_inspection", -3, 30)
    return rows


NANHU_TITLES = ["a overdue fire", "b listed major", "c rectified gas", "d district's own"]


def test_filters(world: Session, ledger: dict[str, Hazard], make_gql):
    gql = signed_in(make_gql, "zj-office")
    xjd, nanhu = tenant_id(world, XJD), tenant_id(world, NANHU)
    assert titles(gql) == NANHU_TITLES
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({"nodeId": xjd}, ["a overdue fire", "b listed major"]),
        ({"nodeId": nanhu}, NANHU_TITLES),
        ({"state": "OPEN"}, ["a overdue fire", "b listed major", "d district's own"]),
        ({"state": "RECTIFIED"}, ["c rectified gas"]),
        ({"severity": "MAJOR"}, ["b listed major"]),
        ({"sector": "FIRE"}, ["a overdue fire", "d district's own"]),
        ({"source": "SPOT_CHECK"}, ["c rectified gas"]),
        ({"overdue": True}, ["a overdue fire"]),
        ({"overdue": False}, ["b listed major", "c rectified gas", "d district's own"]),
        ({"listed": True}, ["b listed major"]),
        ({"listed": False}, ["a overdue fire", "c rectified gas", "d district's own"]),
        ({"foundIn": {"start": day(-31), "end": day(-2)}}, ["a overdue fire", "b listed major"]),
        ({"nodeId": nanhu, "overdue": True, "severity": "GENERAL"}, ["a overdue fire"]),
        ({"nodeId": xjd, "sector": "GAS"}, []),
    ]
    for filter_, expected in cases:
        assert titles(gql, filter_) == expected, filter_
    result = gql.execute(LIST, {"filter": {"foundIn": {"start": day(0), "end": day(-1)}}})
    assert result["data"] is None
    assert result["errors"][0]["extensions"]["code"] == "INVALID"
    assert "filter.foundIn.end" in result["errors"][0]["message"]


def test_pages(world: Session, ledger: dict[str, Hazard], make_gql):
    gql = signed_in(make_gql, "zj-office")
    first = ok(gql.execute(LIST, {"first": 3}))["hazards"]
    assert first["totalCount"] == 4
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    rest = ok(gql.execute(LIST, {"first": 3, "after": first["pageInfo"]["endCursor"]}))["hazards"]
    assert rest["pageInfo"]["hasNextPage"] is False
    assert rest["pageInfo"]["hasPreviousPage"] is True
    pages = [e["node"]["title"] for e in first["edges"] + rest["edges"]]
    assert pages == NANHU_TITLES  # recording order
    assert "errors" in gql.execute(LIST, {"after": "bm9wZQ=="})
    assert "errors" in gql.execute(LIST, {"first": 501})


def test_statistics(world: Session, ledger: dict[str, Hazard], make_gql):
    gql = signed_in(make_gql, "zj-office")
    nanhu = tenant_id(world, NANHU)
    period = {"start": day(-60), "end": day(0)}
    stats = ok(gql.execute(STATISTICS, {"nodeId": nanhu, "period": period}))["hazardStatistics"]
    assert (stats["unit"], stats["start"], stats["end"]) == ({"code": NANHU}, day(-60), day(0))
    # Found: a, b, c, d; rectified: c; overdue: a (open) and c (rectified after its deadline).
    figures = {k: v for k, v in stats.items() if not isinstance(v, dict | list)}
    assert figures == {
        "start": day(-60),
        "end": day(0),
        "asOf": stats["asOf"],
        "found": 4,
        "rectified": 1,
        "rectificationRate": "25.0",
        "majorFound": 1,
        "majorRectified": 0,
        "majorRectificationRate": "0.0",
        "overdue": 2,
        "overdueMajor": 0,
        "listedOverdue": 0,
        "openOverdue": 1,
        "listed": 1,
    }
    assert stats["byState"] == [
        {"state": "OPEN", "count": 3},
        {"state": "RECTIFYING", "count": 0},
        {"state": "RECTIFIED", "count": 1},
        {"state": "VERIFIED", "count": 0},
        {"state": "CLOSED", "count": 0},
    ]
    assert stats["bySeverity"] == [
        {"severity": "GENERAL", "count": 3},
        {"severity": "MAJOR", "count": 1},
    ]
    assert [(s["sector"], s["nameZh"], s["found"], s["overdue"]) for s in stats["bySector"]] == [
        ("HAZARDOUS_CHEMICALS", "危险化学品", 1, 0),
        ("FIRE", "消防", 2, 1),
        ("GAS", "燃气", 1, 1),
    ]
    units = {u["unit"]["code"]: u for u in stats["byUnit"]}
    assert list(units) == sorted(units)
    assert units[XJD] == {
        "unit": {"code": XJD},
        "found": 2,
        "rectified": 0,
        "rectificationRate": "0.0",
        "overdue": 1,
        "overdueMajor": 0,
    }
    assert (units[QIXING]["found"], units[QIXING]["rectificationRate"]) == (1, "100.0")
    assert units["330402007"]["rectificationRate"] == "100.0"  # nothing found

    # A period ending before it starts is refused.
    bad = gql.execute(STATISTICS, {"nodeId": nanhu, "period": {"start": day(0), "end": day(-1)}})
    assert bad["data"] == {"hazardStatistics": None}
    assert bad["errors"][0]["extensions"]["code"] == "INVALID"


# --- isolation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "visible"),
    [
        ("xjd-clerk", ["a overdue fire", "b listed major"]),
        ("qixing-clerk", ["c rectified gas"]),
        ("nanhu-office", NANHU_TITLES),
        ("jx-office", NANHU_TITLES),
        ("zj-leader", NANHU_TITLES),
        ("gy-office", ["e guangyuan"]),
        ("ln-office", []),
    ],
)
def test_each_user_sees_their_units_hazards_only(
    world: Session, ledger: dict[str, Hazard], make_gql, username: str, visible: list[str]
):
    gql = signed_in(make_gql, username)
    assert titles(gql) == visible
    one = "query($id: ID!) { node(id: $id) { ... on Hazard { title unit { code } } } }"
    for title, row in ledger.items():
        found = ok(gql.execute(one, {"id": gid("Hazard", row.id)}))["node"]
        assert (found is not None) == (title in visible), title
    # Filtering by a unit out of sight finds nothing (not the unit's rows).
    xjd = tenant_id(world, XJD)
    expected = [t for t in visible if t in ("a overdue fire", "b listed major")]
    assert titles(gql, {"nodeId": xjd}) == expected


@pytest.mark.parametrize(
    ("username", "code", "seen"),
    [
        ("xjd-clerk", XJD, True),
        ("xjd-clerk", NANHU, False),  # an ancestor: its name, not its ledgers
        ("qixing-clerk", XJD, False),  # a sibling
        ("nanhu-office", XJD, True),
        ("sc-office", NANHU, False),  # another province
        ("sc-office", GUANGYUAN, True),
    ],
)
def test_statistics_only_for_units_whose_ledgers_you_read(
    world: Session, ledger: dict[str, Hazard], make_gql, username: str, code: str, seen: bool
):
    gql = signed_in(make_gql, username)
    variables = {
        "nodeId": tenant_id(world, code),
        "period": {"start": day(-60), "end": day(0)},
    }
    stats = ok(gql.execute(STATISTICS, variables))["hazardStatistics"]
    assert (stats is not None) == seen
    if seen and code == XJD:
        assert stats["found"] == 2


def test_a_sibling_cannot_move_list_or_record(world: Session, ledger: dict[str, Hazard], make_gql):
    qixing = signed_in(make_gql, "qixing-clerk")
    hazard = {"id": gid("Hazard", ledger["b listed major"].id), "version": 2}
    assert fields_of(moved(qixing, hazard, "RECTIFYING", "x")) == [("hazardId", "NOT_FOUND")]
    for name in ("listHazard", "delistHazard"):
        assert fields_of(supervised(qixing, name, hazard, "x")) == [("hazardId", "NOT_FOUND")]
    other = signed_in(make_gql, "sc-office")
    assert fields_of(recorded(other, node(world, XJD, fresh=True).id)) == [("nodeId", "NOT_FOUND")]


# --- query counts ----------------------------------------------------------------------------

PAGE = f"""
query($first: Int) {{
  hazards(first: $first) {{ totalCount edges {{ node {{ {HAZARD} spotCheck {{ finding }}
    unit {{ code parent {{ code }} }} }} }} }}
}}
"""


def test_a_page_with_history_costs_the_same_whatever_its_size(
    world: Session, runtime: Runtime, make_gql, statement_counter
):
    store = FolderStore(runtime.settings.attachment_dir)
    for index in range(12):
        code = XJD if index % 2 else QIXING
        data = HazardInput(
            title=f"隐患{index}",
            sector="fire",
            source="self_inspection",
            severity="major",
            found_on=today() - timedelta(days=20),
            deadline=today() - timedelta(days=index % 3),
        )
        hazard = record_hazard(world, None, node(world, code, fresh=True), data)
        list_hazard(world, None, hazard, note="挂牌", expected_version=1)
        move_hazard(world, None, hazard, HazardState.RECTIFYING, note="整改", expected_version=2)
        move_hazard(
            world,
            None,
            hazard,
            HazardState.RECTIFIED,
            note="完成",
            files=[EvidenceFile(f"报告{index}.pdf", "application/pdf", PDF + bytes([index]))],
            expected_version=3,
            store=store,
            settings=runtime.settings,
        )
        world.commit()
    gql = signed_in(make_gql, "nanhu-office")

    def statements(first: int) -> int:
        count, data = statements_for(gql, statement_counter, PAGE, {"first": first})
        assert len(data["hazards"]["edges"]) == first
        assert all(len(e["node"]["history"]) == 4 for e in data["hazards"]["edges"])
        return count

    small, large = statements(2), statements(12)
    assert small == large, f"{small} statements for 2 hazards, {large} for 12"
