"""Indicator templates through the API: write, check, publish, copy, extend, Excel round trip."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from strawberry.relay import GlobalID

from scoring.templates.excel import export_template, import_template
from scoring.templates.models import Template, TemplateItem
from tenants.models import Role, RoleGrant
from tenants.users import grant_role
from tests.factories.api import (
    ERRORS,
    TEMPLATE,
    XLSX,
    content_input,
    fields_of,
    gid,
    mutate,
    ok,
    open_cycle,
    signed_in,
    tenant_id,
    upload,
)
from tests.factories.assessments import assessment_of
from tests.factories.templates import local_indicator, published_sample, sample_content, with_local
from tests.factories.tenants import node, user
from tests.factories.workbooks import edited

CREATE = ("createTemplate", "CreateTemplateInput", f"template {{ {TEMPLATE} }}")
UPDATE = ("updateTemplateDraft", "UpdateTemplateDraftInput", f"template {{ {TEMPLATE} }}")
PUBLISH = ("publishTemplate", "PublishTemplateInput", f"template {{ {TEMPLATE} }}")
NEW_VERSION = ("newTemplateVersion", "NewTemplateVersionInput", f"template {{ {TEMPLATE} }}")
ARCHIVE = ("archiveTemplate", "ArchiveTemplateInput", "template { state version }")
EXTEND = ("extendTemplate", "ExtendTemplateInput", f"template {{ {TEMPLATE} }}")
IMPORT = f"""
mutation($input: ImportTemplateInput!) {{
  importTemplate(input: $input) {{ template {{ {TEMPLATE} }} {ERRORS} }}
}}
"""


def create(gql, world, content=None, **extra):
    """createTemplate of the sample (or ``content``: a document, or input as a dict)."""
    if not isinstance(content, dict):
        content = content_input(content or sample_content())
    input_ = {
        "ownerNodeId": tenant_id(world, "330000"),
        "familyCode": "zj-township",
        "familyName": "浙江省乡镇（街道）安全生产工作考核",
        "content": content,
        **extra,
    }
    return mutate(gql, *CREATE, input_)


def tree(template: dict) -> dict:
    """What a template holds, without what differs between versions of it."""
    keep = ("title", "year", "totalPoints", "bonusCap", "grades", "categories", "vetoRules")
    return {k: template[k] for k in keep}


def unbalanced():
    """The sample with indicator 1.2 worth 7 instead of 6: category 1 adds up to 21 of 20."""
    content = sample_content()
    first = content.items[0]
    children = (first.children[0], replace(first.children[1], max_points=Decimal(7)))
    children += first.children[2:]
    return replace(content, items=(replace(first, children=children), *content.items[1:]))


@pytest.fixture
def author(world, make_gql):
    return signed_in(make_gql, "zj-office")


def test_an_author_writes_checks_publishes_and_copies_a_template(world, author):
    created = create(author, world, unbalanced())
    assert created["errors"] == []
    draft = created["template"]
    assert draft["state"] == "DRAFT"
    assert (draft["version"], draft["lockVersion"]) == (1, 1)
    assert draft["family"] == {
        "code": "zj-township",
        "name": "浙江省乡镇（街道）安全生产工作考核",
        "owner": {"code": "330000"},
    }
    # The draft is saved half-finished; its problems say what blocks publication, by field.
    assert draft["problems"]
    assert {p["field"] for p in draft["problems"]} == {"content.items[0]"}
    assert "21" in draft["problems"][0]["message"]
    refused = mutate(author, *PUBLISH, {"id": draft["id"], "expectedVersion": 1})
    assert refused["template"] is None
    assert fields_of(refused) == [("content.items[0]", "INVALID")]

    # The fix: the whole content again, stating the version read.
    fixed = mutate(
        author,
        *UPDATE,
        {"id": draft["id"], "expectedVersion": 1, "content": content_input(sample_content())},
    )
    assert fixed["errors"] == []
    assert fixed["template"]["lockVersion"] == 2
    assert fixed["template"]["problems"] == []
    stale = mutate(
        author,
        *UPDATE,
        {"id": draft["id"], "expectedVersion": 1, "content": content_input(sample_content())},
    )
    assert fields_of(stale) == [("expectedVersion", "CONFLICT")]

    published = mutate(author, *PUBLISH, {"id": draft["id"], "expectedVersion": 2})
    assert published["errors"] == []
    v1 = published["template"]
    assert v1["state"] == "PUBLISHED"
    assert v1["publishedAt"] is not None
    frozen = mutate(
        author,
        *UPDATE,
        {"id": v1["id"], "expectedVersion": 3, "content": content_input(sample_content())},
    )
    assert fields_of(frozen) == [("id", "INVALID_STATE")]

    # Copy last year's template into this year's draft: one mutation.
    copied = mutate(author, *NEW_VERSION, {"id": v1["id"], "year": 2027, "title": "2027年度细则"})
    assert copied["errors"] == []
    v2 = copied["template"]
    assert (v2["version"], v2["state"], v2["year"]) == (2, "DRAFT", 2027)
    assert v2["title"] == "2027年度细则"
    assert v2["copiedFrom"] == {"id": v1["id"], "version": 1}
    assert v2["categories"] == v1["categories"]
    assert v2["vetoRules"] == v1["vetoRules"]

    archived = mutate(author, *ARCHIVE, {"id": v1["id"]})
    assert archived == {"template": {"state": "ARCHIVED", "version": 1}, "errors": []}

    # The list, filtered.
    listed = ok(
        author.execute(
            "query($owner: ID!) { all: templates { totalCount edges { node { version state } } } "
            "drafts: templates(filter: {state: DRAFT}) { edges { node { version } } } "
            'family: templates(filter: {familyCode: "zj-township", ownerId: $owner}) '
            "{ totalCount } "
            'other: templates(filter: {familyCode: "nope"}) { totalCount } }',
            {"owner": tenant_id(world, "330000")},
        )
    )
    assert [e["node"] for e in listed["all"]["edges"]] == [
        {"version": 1, "state": "ARCHIVED"},
        {"version": 2, "state": "DRAFT"},
    ]
    assert listed["drafts"]["edges"] == [{"node": {"version": 2}}]
    assert listed["family"] == {"totalCount": 2}
    assert listed["other"] == {"totalCount": 0}


def test_the_tree_reads_back_as_written(world, author):
    template = create(author, world)["template"]
    content = sample_content()
    assert [c["code"] for c in template["categories"]] == [i.code for i in content.items]
    assert template["totalPoints"] == "100.00"
    assert template["grades"] == {"excellent": "90.00", "good": "80.00", "qualified": "60.00"}
    hazards = template["categories"][1]
    assert hazards["maxPoints"] == "20.00"
    tiers, deduction = hazards["indicators"]
    assert tiers["method"] == "TIERS"
    assert tiers["tiers"][0] == {"minValue": "100.00", "points": "10.00"}
    assert deduction["clauses"][2] == {
        "key": "c",
        "kind": "CASCADE",
        "text": "本项累计扣分达4分的，再扣5分",
        "points": "5.00",
        "threshold": "4.00",
        "fact": None,
    }
    assert deduction["clauses"][0]["fact"] == "overdue"
    enforcement = template["categories"][2]
    assert enforcement["indicators"] == []
    assert [c["code"] for c in enforcement["categories"]] == ["3.1", "3.2"]
    assert enforcement["categories"][0]["indicators"][0]["categoryCode"] == "3.1"
    # Amounts keep the places they need, never less than two and never through a float.
    special = template["categories"][3]["indicators"][0]
    assert special["tiers"][2] == {"minValue": "90.50", "points": "6.50"}
    local, bonus = template["categories"][6], template["categories"][7]
    assert (local["local"], local["indicators"]) == (True, [])
    assert bonus["bonus"] is True
    assert [v["code"] for v in template["vetoRules"]] == ["V1", "V2", "V3", "Y1"]
    assert template["vetoRules"][0]["kind"] == "MANUAL"
    flat = ok(
        author.execute(
            "query($id: ID!) { node(id: $id) { ... on Template { indicators { code } } } }",
            {"id": template["id"]},
        )
    )["node"]["indicators"]
    assert [i["code"] for i in flat] == [
        "1.1", "1.2", "1.3", "2.1", "2.2", "3.1.1", "3.2.1", "4.1", "4.2", "5.1", "6.1",
        "6.2", "8.1", "8.2",
    ]  # fmt: skip


def test_every_bad_field_of_a_template_is_named_and_nothing_is_saved(world, author):
    content = content_input(sample_content())
    ratio = content["items"][0]["children"][1]
    ratio["target"] = None
    content["items"][1]["children"][0]["tiers"][1]["minValue"] = "120"
    content["items"][2]["children"][0]["code"] = "1.1"  # a category code used twice
    content["vetoRules"][1]["title"] = " "
    result = create(author, world, content, familyCode="")
    assert result["template"] is None
    assert set(fields_of(result)) == {
        ("familyCode", "REQUIRED"),
        ("content.items[0].children[1].target", "REQUIRED"),
        ("content.items[1].children[0].tiers[1].minValue", "INVALID"),
        ("content.items[2].children[0].code", "DUPLICATE"),
        ("content.vetoRules[1].title", "REQUIRED"),
    }
    world.rollback()
    assert world.scalar(select(func.count()).select_from(Template)) == 0
    assert world.scalar(select(func.count()).select_from(TemplateItem)) == 0


def test_input_lists_are_capped(world, author):
    content = content_input(sample_content())
    content["items"][1]["children"][0]["tiers"] *= 13  # 52 tiers
    result = create(author, world, content)
    assert fields_of(result) == [("content.items[1].children[0].tiers", "TOO_LARGE")]


def test_only_template_authors_of_the_province_write_templates(world, make_gql):
    for username, code in (("jx-office", "PERMISSION_DENIED"), ("xjd-clerk", "PERMISSION_DENIED")):
        gql = signed_in(make_gql, username)
        result = create(gql, world)
        assert result["template"] is None
        assert fields_of(result) == [("ownerNodeId", code)]
    sichuan = signed_in(make_gql, "sc-office")
    assert fields_of(create(sichuan, world)) == [("ownerNodeId", "NOT_FOUND")]


def test_a_city_extends_the_provincial_template_in_its_open_category(world, make_gql):
    base = published_sample(world)
    jiaxing = node(world, "330400", fresh=True)
    office = user(world, "jx-office")
    if not world.scalar(
        select(RoleGrant.id).where(
            RoleGrant.user_id == office.id, RoleGrant.role == Role.TEMPLATE_AUTHOR
        )
    ):
        grant_role(world, None, office, jiaxing, Role.TEMPLATE_AUTHOR)
        world.commit()
    city = signed_in(make_gql, "jx-office")
    started = mutate(
        city,
        *EXTEND,
        {"baseId": gid("Template", base.id), "ownerNodeId": gid("Tenant", jiaxing.id)},
    )
    assert started["errors"] == []
    local = started["template"]
    assert local["extends"] == {"id": gid("Template", base.id), "version": 1}
    assert local["owner"] == {"code": "330400"}
    assert local["state"] == "DRAFT"
    filled = mutate(
        city,
        *UPDATE,
        {
            "id": local["id"],
            "expectedVersion": local["lockVersion"],
            "content": content_input(with_local(sample_content(), local_indicator())),
        },
    )
    assert filled["errors"] == []
    assert filled["template"]["categories"][6]["indicators"][0]["code"] == "7.1"
    # Outside the open category the province's items cannot change.
    changed = content_input(with_local(sample_content(), local_indicator()))
    changed["items"][0]["title"] = "改了"
    refused = mutate(
        city,
        *UPDATE,
        {"id": local["id"], "expectedVersion": 2, "content": changed},
    )
    assert fields_of(refused) == [("content.items[0]", "INVALID")]


def test_excel_export_and_reimport_round_trip(world, author):
    v1 = create(author, world)["template"]
    response = author.http.get(v1["excelUrl"])
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert "zj-township-v1.xlsx" in response.headers["Content-Disposition"]
    assert import_template(response.data) == sample_content()
    published = mutate(author, *PUBLISH, {"id": v1["id"], "expectedVersion": v1["lockVersion"]})
    assert published["errors"] == []

    # Into the same family, whose newest version is published: its next draft version.
    variables = {"input": {"file": None, "familyCode": "zj-township"}}
    reply = upload(author, IMPORT, variables, "input.file", response.data, "t.xlsx", XLSX)
    assert reply.status_code == 200, reply.data
    imported = reply.get_json()["data"]["importTemplate"]
    assert imported["errors"] == []
    v2 = imported["template"]
    assert (v2["version"], v2["state"]) == (2, "DRAFT")
    assert tree(v2) == tree(v1)

    # Replacing a draft needs the version read; a stale one is a conflict.
    edited = export_template(replace(sample_content(), title="改过的细则"))
    variables = {"input": {"file": None, "id": v2["id"], "expectedVersion": v2["lockVersion"]}}
    replaced = upload(author, IMPORT, variables, "input.file", edited, "t.xlsx", XLSX)
    result = replaced.get_json()["data"]["importTemplate"]
    assert result["errors"] == []
    assert result["template"]["title"] == "改过的细则"
    assert result["template"]["lockVersion"] == v2["lockVersion"] + 1
    again = upload(author, IMPORT, variables, "input.file", edited, "t.xlsx", XLSX)
    assert fields_of(again.get_json()["data"]["importTemplate"]) == [
        ("expectedVersion", "CONFLICT")
    ]

    # By its family again while its newest version is that draft: the draft is replaced, no
    # second draft is made beside it (a stale expectedVersion, when given, is a conflict).
    by_family = {"input": {"file": None, "familyCode": "zj-township"}}
    workbook = export_template(replace(sample_content(), title="第三稿"))
    third = upload(author, IMPORT, by_family, "input.file", workbook, "t.xlsx", XLSX)
    result = third.get_json()["data"]["importTemplate"]
    assert result["errors"] == []
    assert (result["template"]["id"], result["template"]["version"]) == (v2["id"], 2)
    assert result["template"]["title"] == "第三稿"
    stale = {"input": {**by_family["input"], "expectedVersion": v2["lockVersion"]}}
    late = upload(author, IMPORT, stale, "input.file", workbook, "t.xlsx", XLSX)
    assert fields_of(late.get_json()["data"]["importTemplate"]) == [("expectedVersion", "CONFLICT")]

    # A new family from a workbook.
    variables = {
        "input": {
            "file": None,
            "familyCode": "zj-county",
            "familyName": "县级考核",
            "ownerNodeId": tenant_id(world, "330000"),
        }
    }
    fresh = upload(author, IMPORT, variables, "input.file", response.data, "t.xlsx", XLSX)
    created = fresh.get_json()["data"]["importTemplate"]["template"]
    assert (created["family"]["code"], created["version"]) == ("zj-county", 1)


def test_import_errors_name_the_cell(world, author):
    from io import BytesIO

    from openpyxl import load_workbook

    exported = export_template(sample_content())
    header = [cell.value for cell in load_workbook(BytesIO(exported))["Items"][1]]
    column = next(i for i, h in enumerate(header) if str(h).startswith("max_points")) + 1
    broken = edited(exported, lambda book: book["Items"].cell(row=3, column=column, value="many"))
    variables = {"input": {"file": None, "familyCode": "zj-township", "familyName": "x"}}
    variables["input"]["ownerNodeId"] = tenant_id(world, "330000")
    reply = upload(author, IMPORT, variables, "input.file", broken, "t.xlsx", XLSX)
    result = reply.get_json()["data"]["importTemplate"]
    assert result["template"] is None
    letter = chr(ord("A") + column - 1)
    assert fields_of(result) == [(f"Items!{letter}3", "INVALID")]
    not_excel = upload(author, IMPORT, variables, "input.file", b"hello", "t.xlsx", XLSX)
    assert fields_of(not_excel.get_json()["data"]["importTemplate"]) == [("file", "INVALID")]


def test_an_upload_without_the_csrf_token_is_refused(world, author):
    variables = {"input": {"file": None, "familyCode": "zj-township", "familyName": "x"}}
    data = export_template(sample_content())
    reply = upload(author, IMPORT, variables, "input.file", data, "t.xlsx", XLSX, csrf=False)
    body = reply.get_json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    world.rollback()
    assert world.scalar(select(func.count()).select_from(Template)) == 0


def test_template_ids_of_another_type_or_province_are_refused(world, author, make_gql):
    template = create(author, world)["template"]
    sichuan = signed_in(make_gql, "sc-office")
    got = ok(sichuan.execute("query($id: ID!) { node(id: $id) { id } }", {"id": template["id"]}))
    assert got == {"node": None}
    refused = mutate(sichuan, *PUBLISH, {"id": template["id"], "expectedVersion": 1})
    assert fields_of(refused) == [("id", "NOT_FOUND")]
    db_id = GlobalID.from_id(template["id"]).node_id
    wrong_type = mutate(author, *PUBLISH, {"id": gid("Cycle", int(db_id)), "expectedVersion": 1})
    assert fields_of(wrong_type) == [("id", "INVALID")]


def test_an_indicator_s_requirement_is_kept_beside_its_title(world, author):
    content = sample_content()
    first = content.items[0]
    requirement = "建立健全以主要负责人为核心的安全生产责任制，" * 40
    indicator = replace(first.children[0], requirement=requirement)
    content = replace(
        content,
        items=(
            replace(first, children=(indicator, *first.children[1:]), requirement="责任体系"),
            *content.items[1:],
        ),
    )
    created = create(author, world, content)
    assert created["errors"] == []
    category = created["template"]["categories"][0]
    assert category["requirement"] == "责任体系"
    assert category["indicators"][0]["requirement"] == requirement
    assert category["indicators"][1]["requirement"] == ""


def test_an_imported_draft_s_problems_name_the_cells_they_came_from(world, author):
    """What keeps an imported draft from publication is named by the workbook's cells, as the
    import's own errors are, not by input paths the office never wrote."""
    variables = {
        "input": {
            "file": None,
            "familyCode": "zj-county",
            "familyName": "县级考核",
            "ownerNodeId": tenant_id(world, "330000"),
        }
    }
    query = IMPORT.replace("errors {", "problems { field message code } errors {", 1)
    reply = upload(
        author, query, variables, "input.file", export_template(unbalanced()), "t.xlsx", XLSX
    )
    payload = reply.get_json()["data"]["importTemplate"]
    assert payload["errors"] == []
    [problem] = payload["problems"]
    assert problem["field"] == "Items!A2"  # category 1's row of the Items sheet
    assert "add up to 21" in problem["message"]
    # The template itself still names its input paths, for the editor.
    assert [p["field"] for p in payload["template"]["problems"]] == ["content.items[0]"]


GRADES = "grades { excellent good qualified names { excellent good qualified unqualified } "
GRADES += "levels { grade name minPoints } }"
CREATE_GRADES = ("createTemplate", "CreateTemplateInput", f"template {{ id lockVersion {GRADES} }}")
SCORECARD_GRADE = (
    "query($id: ID!) { node(id: $id) { ... on Assessment { "
    "scorecard(kind: SELF) { grade gradeName } } } }"
)


def new_family(world, code: str, content: dict) -> dict:
    return {
        "ownerNodeId": tenant_id(world, "330000"),
        "familyCode": code,
        "familyName": f"考核 {code}",
        "content": content,
    }


def test_a_template_names_its_grades_and_may_have_fewer(world, author, make_gql):
    named = content_input(sample_content())
    levels = {"excellent": "一级", "good": "二级", "qualified": "三级", "unqualified": "不达标"}
    named["gradeNames"] = levels
    created = mutate(author, *CREATE_GRADES, new_family(world, "zj-levels", named))
    assert created["errors"] == []
    grades = created["template"]["grades"]
    assert grades["names"] == levels
    assert [(g["grade"], g["name"], g["minPoints"]) for g in grades["levels"]] == [
        ("EXCELLENT", "一级", "90.00"),
        ("GOOD", "二级", "80.00"),
        ("QUALIFIED", "三级", "60.00"),
        ("UNQUALIFIED", "不达标", None),
    ]

    # Two grades: 合格 / 不合格, the excellent and good thresholds left out.
    two = content_input(sample_content())
    two.update(gradeExcellent=None, gradeGood=None)
    two["gradeNames"] = {"qualified": "合格", "unqualified": "不合格"}
    made = mutate(author, *CREATE_GRADES, new_family(world, "zj-pass", two))
    assert made["errors"] == []
    pairs = [(g["grade"], g["name"]) for g in made["template"]["grades"]["levels"]]
    assert pairs == [("QUALIFIED", "合格"), ("UNQUALIFIED", "不合格")]
    assert made["template"]["grades"]["excellent"] is None

    # A scorecard of a cycle on the named template says its grade by the template's name.
    published = mutate(author, *PUBLISH, {"id": created["template"]["id"], "expectedVersion": 1})
    assert published["errors"] == []
    template = world.get(Template, int(GlobalID.from_id(created["template"]["id"]).node_id))
    city = signed_in(make_gql, "jx-office")
    cycle = open_cycle(city, template, node(world, "330400", fresh=True))
    assert cycle["errors"] == []
    clerk = signed_in(make_gql, "xjd-clerk")
    aid = gid("Assessment", assessment_of(world, cycle["cycle"]["id"], "330402901").id)
    entries = [{"itemCode": "1.2", "value": "50"}]
    saved = mutate(
        clerk,
        "saveEntries",
        "SaveEntriesInput",
        "assessment { id }",
        {"assessmentId": aid, "expectedVersion": 1, "entries": entries},
    )
    assert saved["errors"] == []
    card = ok(clerk.execute(SCORECARD_GRADE, {"id": aid}))["node"]["scorecard"]
    assert card == {"grade": "UNQUALIFIED", "gradeName": "不达标"}
