"""Task lists through the API: issue a plan (input or Excel), complete with a file, reopen,
lists with filters and pages, statistics, downloads; who sees what; statements per page."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.calendar import local_date
from redline.db import utcnow
from scoring.evidence import FolderStore
from scoring.ledgers.figures.tasks import is_overdue
from scoring.ledgers.history import EvidenceFile
from scoring.ledgers.models import ActionPlan, TaskElement
from scoring.ledgers.task_excel import EXAMPLE, export_plan, read_plan
from scoring.ledgers.tasks import (
    ElementInput,
    PlanInput,
    SectionInput,
    complete_element,
    create_plan,
)
from tests.factories.api import (
    ERRORS,
    PDF,
    XLSX,
    fields_of,
    gid,
    mutate,
    ok,
    signed_in,
    statements_for,
    upload,
)
from tests.factories.ledgers import GUANGYUAN, big_plan
from tests.factories.tenants import add_sichuan_users, node

H1 = {"start": "2026-01-01", "end": "2026-06-30"}
ELEMENT = """
id code title deadline state overdue completedAt version sectionPath
unit { code } plan { title owner { code } } completedBy { username }
history { action field old new note actor { username } files { filename size downloadUrl } }
"""
PLAN = """
id title periodStart periodEnd downloadUrl owner { code } createdBy { username }
sections { code title kind elementCount sections { code title kind elementCount } }
"""
CREATE = f"""
mutation($input: CreateActionPlanInput!) {{
  createActionPlan(input: $input) {{ actionPlan {{ {PLAN} }} {ERRORS} }}
}}
"""
IMPORT = f"""
mutation($input: ImportActionPlanInput!) {{
  importActionPlan(input: $input) {{ actionPlan {{ {PLAN} }} {ERRORS} }}
}}
"""
COMPLETE = f"""
mutation($input: CompleteTaskElementInput!) {{
  completeTaskElement(input: $input) {{ taskElement {{ {ELEMENT} }} {ERRORS} }}
}}
"""
ELEMENTS = f"""
query($filter: TaskElementFilter, $first: Int, $after: String) {{
  taskElements(filter: $filter, first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {ELEMENT} }} }}
  }}
}}
"""
FIGURES = "due done overdue completionRate"
STATISTICS = f"""
query($node: ID!, $period: PeriodInput!, $plan: ID) {{
  taskStatistics(nodeId: $node, period: $period, planId: $plan) {{
    {FIGURES} unit {{ code }} start end asOf
    byUnit {{ unit {{ code }} {FIGURES} }}
    bySection {{ code title kind {FIGURES} }}
  }}
}}
"""


def element_input(element: ElementInput) -> dict[str, Any]:
    return {
        "code": element.code,
        "title": element.title,
        "responsible": element.responsible,
        "deadline": element.deadline.isoformat() if element.deadline else None,
    }


def section_input(section: SectionInput) -> dict[str, Any]:
    return {
        "code": section.code,
        "title": section.title,
        "kind": section.kind.upper(),
        "sections": [section_input(s) for s in section.sections],
        "elements": [element_input(e) for e in section.elements],
    }


def plan_input(plan: PlanInput, owner_id: int) -> dict[str, Any]:
    """A plan as the CreateActionPlanInput of the API."""
    return {
        "ownerNodeId": gid("Tenant", owner_id),
        "title": plan.title,
        "periodStart": plan.period_start.isoformat() if plan.period_start else None,
        "periodEnd": plan.period_end.isoformat() if plan.period_end else None,
        "sections": [section_input(s) for s in plan.sections],
        "elements": [element_input(e) for e in plan.elements],
    }


@pytest.fixture
def sichuan(world: Session) -> Session:
    add_sichuan_users(world)
    return world


@pytest.fixture
def plan(sichuan: Session) -> ActionPlan:
    """Guangyuan's plan, issued by the city office (committed)."""
    issued = create_plan(sichuan, None, node(sichuan, "510800"), GUANGYUAN)
    sichuan.commit()
    return issued


def element_id(session: Session, code: str) -> int:
    session.rollback()  # a fresh snapshot: what requests committed since
    return session.scalars(select(TaskElement.id).where(TaskElement.code == code)).one()


def codes_of(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["code"] for edge in connection["edges"]]


# --- issuing ---------------------------------------------------------------------------------


def test_the_city_office_issues_its_plan(sichuan: Session, make_gql) -> None:
    gql = signed_in(make_gql, "gy-office")
    payload = mutate(
        gql,
        "createActionPlan",
        "CreateActionPlanInput",
        f"actionPlan {{ {PLAN} }}",
        plan_input(GUANGYUAN, node(sichuan, "510800").id),
    )
    assert payload["errors"] == []
    created = payload["actionPlan"]
    assert (created["title"], created["periodStart"], created["periodEnd"]) == (
        GUANGYUAN.title,
        "2026-01-01",
        "2026-12-31",
    )
    assert (created["owner"], created["createdBy"]) == (
        {"code": "510800"},
        {"username": "gy-office"},
    )
    assert created["sections"] == [
        {
            "code": "一",
            "title": "学习宣传贯彻安全生产重要论述专题",
            "kind": "TOPIC",
            "elementCount": 4,
            "sections": [
                {
                    "code": "1-1",
                    "title": "安全发展理念宣传专项",
                    "kind": "PROJECT",
                    "elementCount": 2,
                }
            ],
        },
        {
            "code": "二",
            "title": "落实安全生产责任和管理制度专题",
            "kind": "TOPIC",
            "elementCount": 7,
            "sections": [
                {
                    "code": "2-1",
                    "title": "危险化学品安全专项",
                    "kind": "PROJECT",
                    "elementCount": 3,
                },
                {"code": "2-2", "title": "非煤矿山安全专项", "kind": "PROJECT", "elementCount": 2},
                {"code": "2-3", "title": "道路运输安全专项", "kind": "PROJECT", "elementCount": 2},
            ],
        },
    ]
    assert created["downloadUrl"] == f"/files/plans/{created['id']}.xlsx"


def test_refused_plans_name_their_fields(sichuan: Session, make_gql) -> None:
    guangyuan = node(sichuan, "510800").id
    bad = PlanInput(
        "清单",
        date(2026, 1, 1),
        date(2026, 12, 31),
        sections=(
            SectionInput(
                "一",
                "专题",
                "topic",
                sections=(
                    SectionInput(
                        "1",
                        "专项",
                        "project",
                        elements=(
                            ElementInput("1.1", "x", "510802", date(2026, 3, 1)),
                            ElementInput("1.2", "x", "330499", date(2027, 3, 1)),
                        ),
                    ),
                ),
            ),
        ),
    )
    gql = signed_in(make_gql, "gy-office")
    payload = ok(gql.execute(CREATE, {"input": plan_input(bad, guangyuan)}))["createActionPlan"]
    assert payload["actionPlan"] is None
    assert fields_of(payload) == [
        ("sections.0.sections.0.elements.1.deadline", "INVALID"),
        ("sections.0.sections.0.elements.1.responsible", "INVALID"),
    ]
    assert payload["errors"][1]["message"] == "no unit 330499 under 510800"

    # Sections nested deeper than topic > project are refused before they are walked.
    deep = plan_input(bad, guangyuan)
    deep["sections"][0]["sections"][0]["sections"] = [
        section_input(SectionInput("x", "x", "topic"))
    ]
    payload = ok(gql.execute(CREATE, {"input": deep}))["createActionPlan"]
    assert fields_of(payload) == [("sections.0.sections.0.sections", "INVALID")]

    clerk = signed_in(make_gql, "jiange-clerk")
    payload = ok(clerk.execute(CREATE, {"input": plan_input(GUANGYUAN, guangyuan)}))
    assert fields_of(payload["createActionPlan"]) == [("ownerNodeId", "PERMISSION_DENIED")]
    # Another province cannot even name the owner.
    other = signed_in(make_gql, "zj-office")
    payload = ok(other.execute(CREATE, {"input": plan_input(GUANGYUAN, guangyuan)}))
    assert fields_of(payload["createActionPlan"]) == [("ownerNodeId", "NOT_FOUND")]
    assert sichuan.scalars(select(ActionPlan)).all() == []


def test_a_plan_imported_from_excel(sichuan: Session, make_gql) -> None:
    gql = signed_in(make_gql, "gy-office")
    variables = {"input": {"ownerNodeId": gid("Tenant", node(sichuan, "510800").id), "file": None}}
    reply = upload(gql, IMPORT, variables, "input.file", export_plan(GUANGYUAN), "清单.xlsx", XLSX)
    payload = reply.get_json()["data"]["importActionPlan"]
    assert payload["errors"] == []
    assert payload["actionPlan"]["title"] == GUANGYUAN.title
    assert [s["elementCount"] for s in payload["actionPlan"]["sections"]] == [4, 7]

    broken = PlanInput(
        "清单",
        date(2026, 1, 1),
        date(2026, 12, 31),
        sections=(
            SectionInput(
                "一",
                "专题",
                "topic",
                elements=(ElementInput("1", "x", "510899", date(2026, 3, 1)),),
            ),
        ),
    )
    reply = upload(gql, IMPORT, variables, "input.file", export_plan(broken), "清单.xlsx", XLSX)
    payload = reply.get_json()["data"]["importActionPlan"]
    assert payload["actionPlan"] is None
    assert fields_of(payload) == [("file.rows.6.responsible", "INVALID")]

    reply = upload(gql, IMPORT, variables, "input.file", PDF, "清单.pdf", "application/pdf")
    assert fields_of(reply.get_json()["data"]["importActionPlan"]) == [("file", "INVALID")]


# --- completing and reopening ----------------------------------------------------------------


def test_the_unit_completes_with_a_file_and_an_office_reopens(
    sichuan: Session, plan: ActionPlan, make_gql
) -> None:
    jiange = gid("TaskElement", element_id(sichuan, "2.1"))
    clerk = signed_in(make_gql, "jiange-clerk")
    variables = {
        "input": {
            "elementId": jiange,
            "expectedVersion": 1,
            "note": "已完成全县重大危险源企业检查",
            "files": [None],
        }
    }
    reply = upload(
        clerk, COMPLETE, variables, "input.files.0", PDF, "检查记录.pdf", "application/pdf"
    )
    payload = reply.get_json()["data"]["completeTaskElement"]
    assert payload["errors"] == []
    done = payload["taskElement"]
    assert (done["state"], done["version"], done["completedBy"]) == (
        "DONE",
        2,
        {"username": "jiange-clerk"},
    )
    assert done["unit"] == {"code": "510823"}
    assert done["sectionPath"] == ["落实安全生产责任和管理制度专题", "危险化学品安全专项"]
    assert done["plan"] == {"title": GUANGYUAN.title, "owner": {"code": "510800"}}
    assert [(h["action"], h["old"], h["new"], h["actor"]) for h in done["history"]] == [
        ("recorded", None, None, None),
        ("completed", "pending", "done", {"username": "jiange-clerk"}),
    ]
    (file,) = done["history"][1]["files"]
    assert (file["filename"], file["size"]) == ("检查记录.pdf", len(PDF))
    assert clerk.http.get(file["downloadUrl"]).data == PDF

    # Again: the element is done now; an old version conflicts.
    again = mutate(
        clerk,
        "completeTaskElement",
        "CompleteTaskElementInput",
        "taskElement { id }",
        {"elementId": jiange, "expectedVersion": 2, "note": "again"},
    )
    assert fields_of(again) == [("elementId", "INVALID_STATE")]

    reopen = (
        "reopenTaskElement",
        "ReopenTaskElementInput",
        "taskElement { state version completedAt completedBy { username } "
        "history { action note } }",
    )
    refused = mutate(clerk, *reopen, {"elementId": jiange, "expectedVersion": 2, "reason": "x"})
    assert fields_of(refused) == [("elementId", "PERMISSION_DENIED")]
    office = signed_in(make_gql, "gy-office")
    stale = mutate(office, *reopen, {"elementId": jiange, "expectedVersion": 1, "reason": "x"})
    assert fields_of(stale) == [("expectedVersion", "CONFLICT")]
    payload = mutate(
        office, *reopen, {"elementId": jiange, "expectedVersion": 2, "reason": "检查记录不全"}
    )
    assert payload["errors"] == []
    reopened = payload["taskElement"]
    assert (reopened["state"], reopened["version"], reopened["completedAt"]) == ("PENDING", 3, None)
    assert reopened["history"][-1] == {"action": "reopened", "note": "检查记录不全"}


def test_completion_refusals(sichuan: Session, plan: ActionPlan, make_gql) -> None:
    jiange = gid("TaskElement", element_id(sichuan, "2.1"))
    args = ("completeTaskElement", "CompleteTaskElementInput", "taskElement { id }")
    clerk = signed_in(make_gql, "jiange-clerk")
    payload = mutate(clerk, *args, {"elementId": jiange, "expectedVersion": 1, "note": " "})
    assert fields_of(payload) == [("note", "REQUIRED")]
    payload = mutate(clerk, *args, {"elementId": jiange, "expectedVersion": 5, "note": "x"})
    assert fields_of(payload) == [("expectedVersion", "CONFLICT")]
    # A sibling county's clerk and another province do not see the element at all.
    for username in ("cangxi-clerk", "zj-office"):
        other = signed_in(make_gql, username)
        payload = mutate(other, *args, {"elementId": jiange, "expectedVersion": 1, "note": "x"})
        assert fields_of(payload) == [("elementId", "NOT_FOUND")], username
    variables = {"input": {"elementId": jiange, "expectedVersion": 1, "note": "x", "files": [None]}}
    reply = upload(
        clerk,
        COMPLETE,
        variables,
        "input.files.0",
        b"MZ\x90\x00",
        "a.exe",
        "application/x-msdownload",
    )
    assert fields_of(reply.get_json()["data"]["completeTaskElement"]) == [("files.0", "INVALID")]


# --- lists, visibility -----------------------------------------------------------------------


def test_who_sees_the_plan_and_which_elements(sichuan: Session, plan: ActionPlan, make_gql) -> None:
    plans = """
    query { actionPlans { totalCount edges { node {
      title elements { totalCount edges { node { code } } }
    } } } }
    """
    seen = {}
    for username in (
        "gy-office",
        "jiange-clerk",
        "puan-clerk",
        "cangxi-clerk",
        "sc-office",
        "zj-office",
    ):
        gql = signed_in(make_gql, username)
        data = ok(gql.execute(plans))["actionPlans"]
        seen[username] = [codes_of(e["node"]["elements"]) for e in data["edges"]]
        elements = ok(gql.execute(ELEMENTS, {"first": 50}))["taskElements"]
        assert [codes_of(e["node"]["elements"]) for e in data["edges"]] == (
            [codes_of(elements)] if data["edges"] else []
        ), username
    everything = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"]
    assert seen == {
        "gy-office": [everything],
        "sc-office": [everything],
        "jiange-clerk": [["2.1"]],  # a county clerk: the county's own elements
        "puan-clerk": [["2.2"]],  # a town clerk: the town's
        "cangxi-clerk": [["2.3"]],  # Jiange's sibling sees none of Jiange's
        "zj-office": [],  # another province: no plan at all
    }
    # By id, too: the sibling and the other province get null.
    node_query = """
    query($id: ID!) { node(id: $id) { ... on TaskElement { code } ... on ActionPlan { title } } }
    """
    jiange = gid("TaskElement", element_id(sichuan, "2.1"))
    the_plan = gid("ActionPlan", plan.id)
    for username, expected in (
        ("cangxi-clerk", (None, {"title": GUANGYUAN.title})),
        ("zj-office", (None, None)),
        ("jiange-clerk", ({"code": "2.1"}, {"title": GUANGYUAN.title})),
    ):
        gql = signed_in(make_gql, username)
        found = tuple(ok(gql.execute(node_query, {"id": i}))["node"] for i in (jiange, the_plan))
        assert found == expected, username


def test_element_filters_and_pages(sichuan: Session, plan: ActionPlan, make_gql) -> None:
    rows = {e.code: e for e in sichuan.scalars(select(TaskElement))}
    complete_element(
        sichuan, None, rows["2.2"], note="done", expected_version=1,
        now=datetime(2026, 4, 1, 2, 0, tzinfo=UTC),
    )  # fmt: skip
    complete_element(
        sichuan, None, rows["1.1"], note="late", expected_version=1,
        now=datetime(2026, 4, 5, 2, 0, tzinfo=UTC),
    )  # fmt: skip
    sichuan.commit()
    gql = signed_in(make_gql, "gy-office")

    def listed(**filter: Any) -> list[str]:
        return sorted(codes_of(ok(gql.execute(ELEMENTS, {"filter": filter}))["taskElements"]))

    jiange = gid("Tenant", node(sichuan, "510823").id)
    assert listed(nodeId=jiange) == ["2.1", "2.2", "2.7"]
    assert listed(state="DONE") == ["1.1", "2.2"]
    assert listed(nodeId=jiange, state="PENDING") == ["2.1", "2.7"]
    assert listed(dueIn={"start": "2026-04-01", "end": "2026-06-30"}) == [
        "1.2", "1.3", "2.2", "2.3", "2.4",
    ]  # fmt: skip
    today = local_date(utcnow())
    sichuan.expire_all()
    elements = sichuan.scalars(select(TaskElement)).all()
    assert listed(overdue=True) == sorted(e.code for e in elements if is_overdue(e, today))
    assert listed(overdue=False) == sorted(e.code for e in elements if not is_overdue(e, today))
    assert "1.1" in listed(overdue=True)  # completed after its deadline
    assert listed(planId=gid("ActionPlan", plan.id), nodeId=jiange) == ["2.1", "2.2", "2.7"]
    assert listed(planId=gid("ActionPlan", plan.id + 1)) == []
    # A unit out of sight matches nothing.
    assert listed(nodeId=gid("Tenant", node(sichuan, "330400").id)) == []

    # Pages of the root list and of a plan's elements.
    first = ok(gql.execute(ELEMENTS, {"first": 4}))["taskElements"]
    rest = ok(gql.execute(ELEMENTS, {"first": 50, "after": first["pageInfo"]["endCursor"]}))
    assert first["totalCount"] == 11 and first["pageInfo"]["hasNextPage"]
    assert len(codes_of(first)) + len(codes_of(rest["taskElements"])) == 11
    page = """
    query($id: ID!, $after: String, $filter: PlanElementFilter) {
      node(id: $id) { ... on ActionPlan { elements(first: 3, after: $after, filter: $filter) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { code } } }
    } } }
    """
    the_plan = gid("ActionPlan", plan.id)
    seen: list[str] = []
    after = None
    while True:
        elements_page = ok(gql.execute(page, {"id": the_plan, "after": after}))["node"]["elements"]
        assert elements_page["totalCount"] == 11
        seen += codes_of(elements_page)
        if not elements_page["pageInfo"]["hasNextPage"]:
            break
        after = elements_page["pageInfo"]["endCursor"]
    assert seen == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7"]
    filtered = ok(
        gql.execute(page, {"id": the_plan, "filter": {"nodeId": jiange, "state": "PENDING"}})
    )
    assert codes_of(filtered["node"]["elements"]) == ["2.1", "2.7"]


# --- statistics ------------------------------------------------------------------------------


def test_statistics_of_a_unit_and_of_the_plan(sichuan: Session, plan: ActionPlan, make_gql) -> None:
    rows = {e.code: e for e in sichuan.scalars(select(TaskElement))}
    for code, day in (
        ("1.1", date(2026, 3, 20)),
        ("2.1", date(2026, 4, 10)),
        ("2.2", date(2026, 4, 20)),
    ):
        at = datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)
        complete_element(sichuan, None, rows[code], note="done", expected_version=1, now=at)
    sichuan.commit()
    city, the_plan = gid("Tenant", node(sichuan, "510800").id), gid("ActionPlan", plan.id)
    gql = signed_in(make_gql, "gy-office")
    statistics = ok(gql.execute(STATISTICS, {"node": city, "period": H1, "plan": the_plan}))[
        "taskStatistics"
    ]
    # Due in H1: 1.1 1.2 1.3 2.1 2.2 2.3 2.4; done 1.1 2.1 2.2; overdue 2.1 (done late), 2.3.
    assert {k: statistics[k] for k in ("due", "done", "overdue", "completionRate")} == {
        "due": 7,
        "done": 3,
        "overdue": 2,
        "completionRate": "42.9",
    }
    assert (statistics["unit"], statistics["start"], statistics["end"]) == (
        {"code": "510800"},
        "2026-01-01",
        "2026-06-30",
    )
    assert statistics["asOf"] == "2026-06-30T15:59:59.999999+00:00"  # the day's end in China
    assert [
        (u["unit"]["code"], u["due"], u["done"], u["overdue"]) for u in statistics["byUnit"]
    ] == [
        ("510800-YJJ", 1, 1, 0),
        ("510802", 2, 0, 0),  # due on the last day: not yet overdue
        ("510811", 0, 0, 0),
        ("510812", 0, 0, 0),
        ("510821", 1, 0, 0),
        ("510822", 0, 0, 0),
        ("510823", 2, 2, 1),
        ("510824", 1, 0, 1),
    ]
    assert [
        (s["code"], s["kind"], s["due"], s["completionRate"]) for s in statistics["bySection"]
    ] == [
        ("一", "TOPIC", 3, "33.3"),
        ("1-1", "PROJECT", 1, "0.0"),
        ("二", "TOPIC", 4, "50.0"),
        ("2-1", "PROJECT", 3, "66.7"),
        ("2-2", "PROJECT", 1, "0.0"),
        ("2-3", "PROJECT", 0, "100.0"),
    ]
    # The plan's own statistics: the owner over a given period, or a unit below.
    on_plan = """
    query($id: ID!, $node: ID, $period: PeriodInput) { node(id: $id) { ... on ActionPlan {
      statistics(period: $period, nodeId: $node) {
        unit { code } due done overdue bySection { code }
      }
    } } }
    """
    jiange = gid("Tenant", node(sichuan, "510823").id)
    data = ok(gql.execute(on_plan, {"id": the_plan, "period": H1}))["node"]["statistics"]
    assert (data["unit"]["code"], data["due"], data["done"], len(data["bySection"])) == (
        "510800",
        7,
        3,
        6,
    )
    data = ok(gql.execute(on_plan, {"id": the_plan, "period": H1, "node": jiange}))["node"][
        "statistics"
    ]
    assert (data["unit"]["code"], data["due"], data["done"], data["overdue"]) == ("510823", 2, 2, 1)
    whole_year = ok(gql.execute(on_plan, {"id": the_plan}))["node"]["statistics"]
    assert whole_year["due"] == 11

    # A town clerk has its town's figures; its county's (a name to it) and other provinces'
    # figures are null.
    town = signed_in(make_gql, "puan-clerk")
    puan = gid("Tenant", node(sichuan, "510823100").id)
    data = ok(town.execute(STATISTICS, {"node": puan, "period": H1}))["taskStatistics"]
    assert (data["due"], data["done"], data["completionRate"]) == (1, 1, "100.0")
    assert ok(town.execute(STATISTICS, {"node": jiange, "period": H1}))["taskStatistics"] is None
    other = signed_in(make_gql, "zj-office")
    assert ok(other.execute(STATISTICS, {"node": city, "period": H1}))["taskStatistics"] is None
    assert (
        ok(
            other.execute(
                STATISTICS,
                {"node": gid("Tenant", node(sichuan, "330000").id), "period": H1, "plan": the_plan},
            )
        )["taskStatistics"]
        is None
    )

    backwards = {"start": "2026-06-30", "end": "2026-01-01"}
    refused = gql.execute(STATISTICS, {"node": city, "period": backwards})
    assert refused["errors"][0]["extensions"]["code"] == "INVALID"


# --- downloads -------------------------------------------------------------------------------


def test_a_plan_downloads_as_the_workbook_import_reads(
    sichuan: Session, plan: ActionPlan, make_gql
) -> None:
    url = f"/files/plans/{gid('ActionPlan', plan.id)}.xlsx"
    office = signed_in(make_gql, "gy-office")
    reply = office.http.get(url)
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == XLSX
    assert reply.headers["Cache-Control"] == "private, no-store"
    everything = read_plan(reply.data)
    assert everything.sections[1] == GUANGYUAN.sections[1]
    assert everything.sections[0].elements[1].responsible == "510802"  # 利州区 by its code

    town = signed_in(make_gql, "puan-clerk")
    own = read_plan(town.http.get(url).data)
    assert [e.code for s in own.sections for p in s.sections for e in p.elements] == ["2.2"]
    assert signed_in(make_gql, "zj-office").http.get(url).status_code == 404
    assert make_gql().http.get(url).status_code == 401

    template = office.http.get("/files/plans/template.xlsx")
    assert template.status_code == 200
    assert read_plan(template.data) == EXAMPLE
    assert make_gql().http.get("/files/plans/template.xlsx").status_code == 401


# --- statements per page ---------------------------------------------------------------------


def test_a_page_of_elements_does_not_grow_with_its_rows(
    sichuan: Session, plan: ActionPlan, make_gql, statement_counter, runtime
) -> None:
    store = FolderStore(runtime.settings.attachment_dir)
    for row in sichuan.scalars(select(TaskElement)).all()[:6]:
        complete_element(
            sichuan, None, row, note="done", expected_version=1,
            files=[EvidenceFile(f"{row.code}.pdf", "application/pdf", PDF)],
            store=store, settings=runtime.settings,
        )  # fmt: skip
    sichuan.commit()
    gql = signed_in(make_gql, "gy-office")
    small, small_data = statements_for(gql, statement_counter, ELEMENTS, {"first": 2})
    large, large_data = statements_for(gql, statement_counter, ELEMENTS, {"first": 11})
    assert len(small_data["taskElements"]["edges"]) == 2
    assert len(large_data["taskElements"]["edges"]) == 11
    assert large == small, f"{small} statements for 2 elements, {large} for 11"


PLANS_PAGE = f"""
query($first: Int, $elements: Int) {{
  actionPlans(first: $first) {{ totalCount edges {{ node {{
    {PLAN}
    statistics(period: {{start: "2026-01-01", end: "2026-06-30"}}) {{ due }}
    elements(first: $elements) {{ totalCount edges {{ node {{ {ELEMENT} }} }} }}
  }} }} }}
}}
"""


def test_a_page_of_plans_does_not_grow_with_its_elements(
    sichuan: Session, plan: ActionPlan, make_gql, statement_counter
) -> None:
    create_plan(sichuan, None, node(sichuan, "510800"), big_plan(60))
    sichuan.commit()
    gql = signed_in(make_gql, "gy-office")
    small, small_data = statements_for(
        gql, statement_counter, PLANS_PAGE, {"first": 2, "elements": 2}
    )
    large, large_data = statements_for(
        gql, statement_counter, PLANS_PAGE, {"first": 2, "elements": 60}
    )
    pages = [len(e["node"]["elements"]["edges"]) for e in large_data["actionPlans"]["edges"]]
    assert pages == [11, 60]
    assert [len(e["node"]["elements"]["edges"]) for e in small_data["actionPlans"]["edges"]] == [
        2,
        2,
    ]
    assert large == small, f"{small} statements for 2 elements a plan, {large} for up to 60"


def test_nothing_due_is_complete(sichuan: Session, plan: ActionPlan, make_gql) -> None:
    gql = signed_in(make_gql, "gy-office")
    city = gid("Tenant", node(sichuan, "510800").id)
    data = ok(
        gql.execute(
            STATISTICS, {"node": city, "period": {"start": "2030-01-01", "end": "2030-12-31"}}
        )
    )
    assert Decimal(data["taskStatistics"]["completionRate"]) == Decimal("100.0")
