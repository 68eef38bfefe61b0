"""Colour bands and trend thresholds through the API: written with a template and read back on
it and its items, replaced and cleared, the thresholds that apply (``bandsAt``) in their order,
input errors named by their paths, and the Excel round trip of an uploaded workbook."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from scoring.engine.bands import BandRule, Thresholds
from scoring.templates.excel import export_template, import_template
from tests.factories.api import (
    ERRORS,
    XLSX,
    content_input,
    fields_of,
    mutate,
    ok,
    signed_in,
    tenant_id,
    upload,
)
from tests.factories.templates import sample_content

BANDS = "bands { green yellow levels { level green yellow } }"
TEMPLATE = f"""
id lockVersion trendMinPoints trendMinRanks {BANDS}
categories {{ code {BANDS} indicators {{ code {BANDS} }}
  categories {{ code {BANDS} indicators {{ code {BANDS} }} }} }}
"""
CREATE = ("createTemplate", "CreateTemplateInput", f"template {{ {TEMPLATE} }}")
UPDATE = ("updateTemplateDraft", "UpdateTemplateDraftInput", f"template {{ {TEMPLATE} }}")
NEW_VERSION = ("newTemplateVersion", "NewTemplateVersionInput", f"template {{ {TEMPLATE} }}")
PUBLISH = ("publishTemplate", "PublishTemplateInput", "template { id }")
BANDS_AT = """
query($id: ID!, $level: TenantLevel!, $item: String) {
  node(id: $id) { ... on Template { bandsAt(level: $level, item: $item) { green yellow } } }
}
"""
IMPORT = f"""
mutation($input: ImportTemplateInput!) {{
  importTemplate(input: $input) {{ template {{ {TEMPLATE} }} {ERRORS} }}
}}
"""

TEMPLATE_BANDS = {
    "green": "85",
    "yellow": "55",
    "levels": [{"level": "COUNTY", "green": "95", "yellow": "70"}],
}
ITEM_BANDS = {
    "1.1": {
        "green": "80",
        "yellow": "50",
        "levels": [{"level": "TOWNSHIP", "green": "88", "yellow": "58"}],
    },
    "2.1": {"levels": [{"level": "CITY", "green": "75.5", "yellow": "40.25"}]},
    "3.1": {"green": "70", "yellow": "30"},
}


def with_bands(content: dict, template=TEMPLATE_BANDS, items=ITEM_BANDS, **settings) -> dict:
    """A content input with the bands given on the template and on the items by code."""

    def walk(inputs: list[dict]) -> list[dict]:
        return [
            {**item, "children": walk(item.get("children", []))}
            | ({"bands": items[item["code"]]} if item["code"] in items else {})
            for item in inputs
        ]

    changed = {**content, "items": walk(content["items"]), **settings}
    if template is not None:
        changed["bands"] = template
    return changed


def banded_input(**settings) -> dict:
    return with_bands(
        content_input(sample_content()), trendMinPoints="0.5", trendMinRanks=2, **settings
    )


def create(gql, world, content: dict) -> dict:
    return mutate(
        gql,
        *CREATE,
        {
            "ownerNodeId": tenant_id(world, "330000"),
            "familyCode": "zj-township",
            "familyName": "浙江省乡镇（街道）安全生产工作考核",
            "content": content,
        },
    )


def bands_by_code(template: dict) -> dict[str, dict | None]:
    found: dict[str, dict | None] = {}

    def walk(categories: list[dict]) -> None:
        for category in categories:
            found[category["code"]] = category["bands"]
            for indicator in category["indicators"]:
                found[indicator["code"]] = indicator["bands"]
            walk(category.get("categories", []))

    walk(template["categories"])
    return {code: bands for code, bands in found.items() if bands is not None}


def bands_at(gql, template_id: str, level: str, item: str | None = None) -> dict:
    variables = {"id": template_id, "level": level, "item": item}
    return ok(gql.execute(BANDS_AT, variables))["node"]["bandsAt"]


@pytest.fixture
def author(world, make_gql):
    return signed_in(make_gql, "zj-office")


def test_bands_and_trend_thresholds_are_written_and_read_back(world, author):
    created = create(author, world, banded_input())
    assert created["errors"] == []
    template = created["template"]
    assert (template["trendMinPoints"], template["trendMinRanks"]) == ("0.50", 2)
    assert template["bands"] == {
        "green": "85.00",
        "yellow": "55.00",
        "levels": [{"level": "COUNTY", "green": "95.00", "yellow": "70.00"}],
    }
    assert bands_by_code(template) == {
        "1.1": {
            "green": "80.00",
            "yellow": "50.00",
            "levels": [{"level": "TOWNSHIP", "green": "88.00", "yellow": "58.00"}],
        },
        "2.1": {
            "green": None,
            "yellow": None,
            "levels": [{"level": "CITY", "green": "75.50", "yellow": "40.25"}],
        },
        "3.1": {"green": "70.00", "yellow": "30.00", "levels": []},
    }

    # Levels read back from the top down, whatever order they were written in.
    levels = [
        {"level": "TOWNSHIP", "green": "90", "yellow": "60"},
        {"level": "PROVINCE", "green": "99", "yellow": "80"},
        {"level": "CITY", "green": "95", "yellow": "70"},
    ]
    reordered = with_bands(content_input(sample_content()), {"levels": levels}, {})
    updated = mutate(
        author, *UPDATE, {"id": template["id"], "expectedVersion": 1, "content": reordered}
    )
    assert updated["errors"] == []
    assert [lvl["level"] for lvl in updated["template"]["bands"]["levels"]] == [
        "PROVINCE",
        "CITY",
        "TOWNSHIP",
    ]
    assert updated["template"]["bands"]["green"] is None
    assert bands_by_code(updated["template"]) == {}
    assert (updated["template"]["trendMinPoints"], updated["template"]["trendMinRanks"]) == (
        None,
        None,
    )

    # Cleared: null, and an input that sets nothing is none.
    cleared = with_bands(content_input(sample_content()), {"levels": []}, {"1.1": {}})
    emptied = mutate(
        author, *UPDATE, {"id": template["id"], "expectedVersion": 2, "content": cleared}
    )
    assert emptied["errors"] == []
    assert emptied["template"]["bands"] is None
    assert bands_by_code(emptied["template"]) == {}


def test_last_years_copy_keeps_the_bands(world, author):
    template = create(author, world, banded_input())["template"]
    assert mutate(author, *PUBLISH, {"id": template["id"], "expectedVersion": 1})["errors"] == []
    copied = mutate(author, *NEW_VERSION, {"id": template["id"], "year": 2027})
    assert copied["errors"] == []
    kept = ("bands", "trendMinPoints", "trendMinRanks", "categories")
    assert {k: copied["template"][k] for k in kept} == {k: template[k] for k in kept}


def test_the_thresholds_that_apply_come_in_their_order(world, author):
    template_id = create(author, world, banded_input())["template"]["id"]
    # 1.1: its own level override, then its own default (before the template's override).
    assert bands_at(author, template_id, "TOWNSHIP", "1.1") == {"green": "88.00", "yellow": "58.00"}
    assert bands_at(author, template_id, "COUNTY", "1.1") == {"green": "80.00", "yellow": "50.00"}
    # 2.1 sets a city override only: elsewhere the template's override, then its default.
    assert bands_at(author, template_id, "CITY", "2.1") == {"green": "75.50", "yellow": "40.25"}
    assert bands_at(author, template_id, "COUNTY", "2.1") == {"green": "95.00", "yellow": "70.00"}
    assert bands_at(author, template_id, "TOWNSHIP", "2.1") == {"green": "85.00", "yellow": "55.00"}
    # A category with bands of its own, an item without any, the total.
    assert bands_at(author, template_id, "TOWNSHIP", "3.1") == {"green": "70.00", "yellow": "30.00"}
    assert bands_at(author, template_id, "TOWNSHIP", "1") == {"green": "85.00", "yellow": "55.00"}
    assert bands_at(author, template_id, "COUNTY") == {"green": "95.00", "yellow": "70.00"}
    assert bands_at(author, template_id, "CITY") == {"green": "85.00", "yellow": "55.00"}


def test_without_bands_the_grade_thresholds_apply(world, author):
    # Grades 90 / 80 / 60 of 100 points: green from 90%, yellow from 60%.
    plain = create(author, world, content_input(sample_content()))["template"]
    assert plain["bands"] is None
    assert (plain["trendMinPoints"], plain["trendMinRanks"]) == (None, None)
    assert bands_at(author, plain["id"], "TOWNSHIP") == {"green": "90.00", "yellow": "60.00"}
    assert bands_at(author, plain["id"], "CITY", "1.1") == {"green": "90.00", "yellow": "60.00"}
    # Levels only: the other levels fall back to the grade thresholds, as percents of the total.
    content = replace(
        sample_content(),
        total_points=D(100),
        grade_excellent=D("85.5"),
        grade_qualified=D("59.25"),
    )
    levels_only = with_bands(
        content_input(content),
        {"levels": [{"level": "COUNTY", "green": "95", "yellow": "70"}]},
        {},
    )
    draft = mutate(
        author, *UPDATE, {"id": plain["id"], "expectedVersion": 1, "content": levels_only}
    )
    assert draft["errors"] == []
    assert bands_at(author, plain["id"], "COUNTY") == {"green": "95.00", "yellow": "70.00"}
    assert bands_at(author, plain["id"], "CITY", "2.1") == {"green": "85.50", "yellow": "59.25"}


def test_an_unknown_item_is_a_query_error(world, author):
    template_id = create(author, world, banded_input())["template"]["id"]
    result = author.execute(BANDS_AT, {"id": template_id, "level": "CITY", "item": "9.9"})
    [error] = result["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "no item '9.9'" in error["message"]


@pytest.mark.parametrize(
    ("template", "items", "settings", "expected"),
    [
        ({"green": "90"}, {}, {}, [("content.bands.yellow", "REQUIRED")]),
        (
            {},
            {"1.2": {"yellow": "60"}},
            {},
            [("content.items[0].children[1].bands.green", "REQUIRED")],
        ),
        (
            {
                "levels": [
                    {"level": "COUNTY", "green": "95", "yellow": "70"},
                    {"level": "CITY", "green": "95", "yellow": "70"},
                    {"level": "COUNTY", "green": "90", "yellow": "60"},
                ]
            },
            {},
            {},
            [("content.bands.levels[2].level", "DUPLICATE")],
        ),
        (
            {"green": "90", "yellow": "95"},
            {"3": {"levels": [{"level": "TOWNSHIP", "green": "100.01", "yellow": "0"}]}},
            {},
            [
                ("content.bands.yellow", "INVALID"),
                ("content.items[2].bands.levels[0].green", "INVALID"),
            ],
        ),
        (None, {}, {"trendMinPoints": "-0.5"}, [("content.trendMinPoints", "INVALID")]),
        (None, {}, {"trendMinRanks": 0}, [("content.trendMinRanks", "INVALID")]),
    ],
)
def test_bad_bands_are_named_by_their_paths_and_nothing_is_saved(
    world, author, template, items, settings, expected
):
    content = with_bands(content_input(sample_content()), template, items, **settings)
    refused = create(author, world, content)
    assert refused["template"] is None
    assert fields_of(refused) == expected
    listed = ok(author.execute("{ templates(first: 5) { totalCount } }"))
    assert listed["templates"]["totalCount"] == 0


def test_an_uploaded_workbook_keeps_the_bands(world, author):
    content = replace(
        sample_content(),
        bands=BandRule(Thresholds(D(90), D(60)), {"county": Thresholds(D(95), D(70))}),
        trend_min_points=D("0.5"),
        trend_min_ranks=2,
        composite_weight=D("0.6"),
    )
    variables = {
        "input": {
            "file": None,
            "familyCode": "zj-bands",
            "familyName": "色带",
            "ownerNodeId": tenant_id(world, "330000"),
        }
    }
    data = export_template(content)
    reply = upload(author, IMPORT, variables, "input.file", data, "t.xlsx", XLSX)
    imported = reply.get_json()["data"]["importTemplate"]
    assert imported["errors"] == []
    template = imported["template"]
    assert template["bands"] == {
        "green": "90.00",
        "yellow": "60.00",
        "levels": [{"level": "COUNTY", "green": "95.00", "yellow": "70.00"}],
    }
    assert (template["trendMinPoints"], template["trendMinRanks"]) == ("0.50", 2)
    # And the download gives the same workbook content back.
    url = ok(
        author.execute(
            "query($id: ID!) { node(id: $id) { ... on Template { excelUrl } } }",
            {"id": template["id"]},
        )
    )["node"]["excelUrl"]
    downloaded = author.http.get(url)
    assert downloaded.status_code == 200
    assert import_template(downloaded.data) == content
