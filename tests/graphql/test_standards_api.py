"""An office's own standard through the API: preview the reading, then import it as a draft."""

from __future__ import annotations

from sqlalchemy import func, select

from scoring.templates.models import Template
from tests.factories.api import XLSX, fields_of, signed_in, tenant_id, upload
from tests.factories.standards import SHEET, corpus, office_csv, office_workbook

PREVIEW = """
mutation($input: StandardLayoutInput!) {
  previewStandard(input: $input) {
    preview {
      format sheets sheet headerRow totalPoints fragments fragmentsRead
      columns { column letter heading role sample }
      items { code title depth kind maxPoints statedPoints cell method
              clauses { key kind points scope factScope text } unread { code cell text reason } }
      unread { code cell text reason reasonCode }
      warnings { field message code }
    }
    errors { field message code }
  }
}
"""
IMPORT = """
mutation($input: ImportStandardInput!) {
  importStandard(input: $input) {
    template { id version state lockVersion title totalPoints family { code }
               categories { code title maxPoints } }
    errors { field message code }
  }
}
"""
CSV = "text/csv"


def preview(client, data: bytes, filename: str, content_type: str, **layout) -> dict:
    reply = upload(
        client,
        PREVIEW,
        {"input": {"file": None, **layout}},
        "input.file",
        data,
        filename,
        content_type,
    )
    assert reply.status_code == 200, reply.data
    return reply.get_json()["data"]["previewStandard"]


def imported(client, data: bytes, filename: str, content_type: str, **fields) -> dict:
    reply = upload(
        client,
        IMPORT,
        {"input": {"file": None, **fields}},
        "input.file",
        data,
        filename,
        content_type,
    )
    assert reply.status_code == 200, reply.data
    return reply.get_json()["data"]["importStandard"]


def test_an_office_previews_its_standard_and_imports_it_as_a_draft(world, make_gql):
    author = signed_in(make_gql, "zj-office")
    workbook = office_workbook()
    shown = preview(author, workbook, "评定标准.xlsx", XLSX)
    assert shown["errors"] == []
    view = shown["preview"]
    assert (view["format"], view["sheets"], view["headerRow"]) == ("xlsx", [SHEET], 2)
    assert [(c["letter"], c["role"]) for c in view["columns"]][:5] == [
        ("A", "ELEMENT"),
        ("B", "SUBELEMENT"),
        ("C", "REQUIREMENT"),
        ("D", "POINTS"),
        ("E", "CRITERIA"),
    ]
    assert (view["fragments"], view["fragmentsRead"]) == (274, 261)
    first = view["items"][0]
    assert (first["code"], first["title"], first["depth"], first["kind"]) == (
        "1",
        "目标",
        0,
        "CATEGORY",
    )
    assert first["maxPoints"] == first["statedPoints"]
    item = next(i for i in view["items"] if i["code"] == "1.3")
    assert [(c["kind"], c["points"]) for c in item["clauses"]] == [
        ("ZERO", "0.00"),
        ("JUDGEMENT", "2.00"),
    ]
    assert {
        "code": "1.4",
        "cell": f"{SHEET}!E6",
        "text": "查相关文件和记录",
        "reasonCode": "NO_DEDUCTION",  # for a screen to word in its own language
    }.items() <= view["unread"][0].items()
    codes = {u["reasonCode"] for u in view["unread"]}
    assert {"SHARED_FACT", "COUNT_WITHOUT_EACH"} <= codes

    new_family = {
        "title": "企业安全生产标准化评定标准",
        "year": 2026,
        "ownerNodeId": tenant_id(world, "330000"),
        "familyCode": "zj-enterprise",
        "familyName": "企业安全生产标准化",
    }
    done = imported(author, workbook, "评定标准.xlsx", XLSX, **new_family)
    assert done["errors"] == []
    draft = done["template"]
    assert (draft["version"], draft["state"], draft["title"]) == (1, "DRAFT", new_family["title"])
    assert [c["title"] for c in draft["categories"]][:2] == ["目标", "组织机构和职责"]
    total = sum(row.points for row in corpus())
    assert draft["totalPoints"] == f"{total}.00"

    # The same family again while its newest version is that draft: the draft is replaced.
    again = imported(
        author,
        office_csv(),
        "评定标准.csv",
        CSV,
        title="第二稿",
        year=2026,
        familyCode="zj-enterprise",
    )
    assert again["errors"] == []
    assert (again["template"]["id"], again["template"]["title"]) == (draft["id"], "第二稿")


def test_what_cannot_be_read_is_refused_by_field_and_nothing_is_saved(world, make_gql, session):
    author = signed_in(make_gql, "zj-office")
    before = session.scalar(select(func.count()).select_from(Template))
    wrong = preview(
        author,
        office_workbook(corpus()[:4]),
        "s.xlsx",
        XLSX,
        columns=[{"column": 1, "role": "ELEMENT"}, {"column": 3, "role": "ITEM"}],
    )
    assert (wrong["preview"], fields_of(wrong)) == (None, [("columns", "REQUIRED")])
    twice = preview(
        author,
        office_workbook(corpus()[:4]),
        "s.xlsx",
        XLSX,
        columns=[{"column": 1, "role": "ELEMENT"}, {"column": 1, "role": "POINTS"}],
    )
    assert fields_of(twice) == [("columns", "DUPLICATE")]
    text = office_csv(corpus()[:3], "utf-8").decode().replace(",5,", ",五分,", 1).encode()
    bad = imported(
        author,
        text,
        "s.csv",
        CSV,
        title="x",
        year=2026,
        ownerNodeId=tenant_id(world, "330000"),
        familyCode="zj-x",
        familyName="x",
    )
    assert bad["template"] is None
    assert bad["errors"][0]["field"] == "D2"
    assert "'五分' are not a number" in bad["errors"][0]["message"]
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Template)) == before


def test_a_stranger_reads_nothing(make_gql, world):
    anonymous = make_gql()
    # Without credentials the upload is refused before it is read (login CSRF: a cross-site
    # form can send multipart).
    refused = upload(
        anonymous,
        PREVIEW,
        {"input": {"file": None}},
        "input.file",
        office_csv(corpus()[:3]),
        "s.csv",
        CSV,
    )
    assert refused.status_code == 401
    assert refused.get_json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
