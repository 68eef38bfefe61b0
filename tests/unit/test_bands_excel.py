"""Colour bands, trend thresholds and the composite weight through Excel: the Bands sheet and
the Template sheet's optional rows round trip (generated bands too), a workbook without them
still imports, and every bad cell is named by sheet, cell and reason."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from redline.errors import DomainError, ErrorCode
from scoring.engine.bands import BandRule, Thresholds
from scoring.templates.document import ItemInput, TemplateContent, walk_items
from scoring.templates.excel import export_template, import_template
from scoring.templates.validation import content_problems
from tenants.models import TenantLevel
from tests.factories.templates import sample_content
from tests.factories.workbooks import edited

SAMPLE = sample_content()
T = Thresholds


def rule(default: tuple[str, str] | None = None, **levels: tuple[str, str]) -> BandRule:
    return BandRule(
        T(D(default[0]), D(default[1])) if default else None,
        {level: T(D(green), D(yellow)) for level, (green, yellow) in levels.items()},
    )


def with_item_bands(content: TemplateContent, bands: dict[str, BandRule | None]):
    def walk(items: tuple[ItemInput, ...]) -> tuple[ItemInput, ...]:
        return tuple(
            replace(item, bands=bands.get(item.code, item.bands), children=walk(item.children))
            for item in items
        )

    return replace(content, items=walk(content.items))


BANDED = replace(
    with_item_bands(
        SAMPLE,
        {
            "1.1": rule(("80", "50"), township=("85.5", "55.25")),
            "3": rule(city=("70", "40"), county=("72", "42")),
            "8.1": rule(("100", "100")),
        },
    ),
    bands=rule(("90", "60"), township=("88", "58"), county=("95", "70")),
    trend_min_points=D("0.5"),
    trend_min_ranks=2,
    composite_weight=D("0.6"),
)


def refused(data: bytes) -> list[tuple[str | None, str, ErrorCode]]:
    with pytest.raises(DomainError) as error:
        import_template(data)
    return [(p.field, p.message, p.code) for p in error.value.problems]


def sheet_values(data: bytes, name: str) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(data))[name]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def setting_row(data: bytes, key: str) -> int:
    rows = sheet_values(data, "Template")
    return next(n for n, row in enumerate(rows, start=1) if row[0] == key)


def replace_bands(*rows: list[object]):
    """A change that makes the Bands sheet hold exactly ``rows`` under its header."""

    def change(workbook: Workbook) -> None:
        sheet = workbook["Bands"]
        sheet.delete_rows(2, sheet.max_row)
        for row in rows:
            sheet.append(row)

    return change


# --- round trips ----------------------------------------------------------------------------


def test_bands_trends_and_the_composite_weight_come_back_identical():
    assert content_problems(BANDED) == []
    assert import_template(export_template(BANDED)) == BANDED


def test_the_composite_weight_round_trips_on_its_own():
    """It used to be left out of the workbook: a re-imported template lost its composite."""
    weighted = replace(SAMPLE, composite_weight=D("0.35"))
    assert import_template(export_template(weighted)).composite_weight == D("0.35")
    assert import_template(export_template(SAMPLE)) == SAMPLE


def test_the_bands_sheet_lists_the_template_then_each_item_from_the_top_level_down():
    data = export_template(BANDED)
    assert load_workbook(io.BytesIO(data)).sheetnames[-1] == "Bands"
    rows = sheet_values(data, "Bands")
    assert [str(title).split()[0] for title in rows[0]] == ["item", "level", "green", "yellow"]
    assert rows[1:] == [
        [None, None, 90, 60],
        [None, "county", 95, 70],
        [None, "township", 88, 58],
        ["1.1", None, 80, 50],
        ["1.1", "township", 85.5, 55.25],
        ["3", "city", 70, 40],
        ["3", "county", 72, 42],
        ["8.1", None, 100, 100],
    ]
    sheet = load_workbook(io.BytesIO(data))["Bands"]
    assert sheet.freeze_panes == "A2"
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert lists == ['"province,city,county,township"']


def test_the_template_sheet_carries_the_optional_settings():
    data = export_template(BANDED)
    rows = {row[0]: row[1] for row in sheet_values(data, "Template")[1:]}
    assert (rows["composite_weight"], rows["trend_min_points"], rows["trend_min_ranks"]) == (
        0.6,
        0.5,
        2,
    )
    unset = {row[0]: row[1] for row in sheet_values(export_template(SAMPLE), "Template")[1:]}
    assert [unset[k] for k in ("composite_weight", "trend_min_points", "trend_min_ranks")] == [
        None,
        None,
        None,
    ]


def test_a_workbook_without_bands_or_the_optional_rows_still_imports():
    def older(workbook: Workbook) -> None:
        del workbook["Bands"]
        settings_sheet = workbook["Template"]
        for number in range(settings_sheet.max_row, 1, -1):
            key = settings_sheet.cell(row=number, column=1).value
            if key in ("composite_weight", "trend_min_points", "trend_min_ranks"):
                settings_sheet.delete_rows(number)

    assert import_template(edited(export_template(BANDED), older)) == replace(
        with_item_bands(BANDED, {"1.1": None, "3": None, "8.1": None}),
        bands=None,
        trend_min_points=None,
        trend_min_ranks=None,
        composite_weight=None,
    )


def test_an_office_may_type_levels_in_any_case_and_numbers_as_text():
    data = edited(
        export_template(SAMPLE),
        replace_bands([None, None, " 90 ", "60"], ["", "County", 95, "70.5"], ["2.1", None, 50, 0]),
    )
    content = import_template(data)
    assert content.bands == rule(("90", "60"), county=("95", "70.5"))
    assert [item.bands for _, item, _ in walk_items(content.items) if item.bands] == [
        rule(("50", "0"))
    ]


levels = st.sampled_from([level.value for level in TenantLevel])
percents = st.decimals(min_value=D(0), max_value=D(100), places=2)


@st.composite
def thresholds(draw) -> Thresholds:
    low, high = sorted((draw(percents), draw(percents)))
    return Thresholds(high, low)


@st.composite
def rules(draw) -> BandRule | None:
    default = draw(st.none() | thresholds())
    overrides = draw(st.dictionaries(levels, thresholds(), max_size=4))
    if default is None and not overrides:
        return None
    return BandRule(default, overrides)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    template=rules(),
    items=st.dictionaries(st.sampled_from(["1", "1.1", "3.1", "3.1.1", "7", "8.2"]), rules()),
    points=st.none() | st.decimals(min_value=D(0), max_value=D(1000), places=2),
    ranks=st.none() | st.integers(min_value=1, max_value=10_000),
)
def test_generated_bands_come_back_identical(template, items, points, ranks):
    content = replace(
        with_item_bands(SAMPLE, items),
        bands=template,
        trend_min_points=points,
        trend_min_ranks=ranks,
    )
    assert content_problems(content) == []
    assert import_template(export_template(content)) == content


# --- import errors --------------------------------------------------------------------------


def test_bad_cells_of_the_bands_sheet_are_each_named():
    data = edited(
        export_template(SAMPLE),
        replace_bands(
            ["9.9", None, 90, 60],  # row 2: no such item
            [None, "village", 90, 60],  # row 3: no such level
            ["1.1", None, None, 60],  # row 4: no green
            ["1.2", "city", 90, "六十"],  # row 5: not a number
            [None, None, 90, 60],  # row 6
            [None, None, 80, 50],  # row 7: the whole template's default again
        ),
    )
    assert refused(data) == [
        (
            "Bands!B3",
            "unknown level 'village': use one of province, city, county, township",
            ErrorCode.INVALID,
        ),
        ("Bands!C4", "the green threshold is required", ErrorCode.REQUIRED),
        ("Bands!D5", "the yellow threshold must be a number, got '六十'", ErrorCode.INVALID),
        (
            "Bands!B7",
            "the bands of the whole template at every level are given twice (first in row 6)",
            ErrorCode.DUPLICATE,
        ),
        ("Bands!A2", "unknown item code '9.9'", ErrorCode.INVALID),
    ]


def test_an_items_level_given_twice_is_named():
    data = edited(
        export_template(SAMPLE),
        replace_bands(["2.1", "county", 90, 60], ["2.1", "COUNTY", 80, 60]),
    )
    assert refused(data) == [
        (
            "Bands!B3",
            "the bands of item 2.1 at level county are given twice (first in row 2)",
            ErrorCode.DUPLICATE,
        )
    ]


def test_band_rules_are_named_by_the_cell_they_came_from():
    data = edited(
        export_template(SAMPLE),
        replace_bands(
            [None, None, 60, 70],  # row 2: yellow above green
            [None, "township", 101, 50],  # row 3: above 100
            ["3.1", None, 90, 60],  # row 4
            ["3.1", "city", "80.125", 60],  # row 5: three decimals
        ),
    )
    found = refused(data)
    assert [(field, code) for field, _, code in found] == [
        ("Bands!D2", ErrorCode.INVALID),
        ("Bands!C3", ErrorCode.INVALID),
        ("Bands!C5", ErrorCode.INVALID),
    ]
    assert found[0][1] == (
        "the yellow threshold 70 is above the green one 60: yellow must not be above green"
    )
    assert found[1][1] == "the green threshold is a percent of the maximum, from 0 to 100, got 101"
    assert "more than 2 decimal places" in found[2][1]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("trend_min_ranks", "2.5", "the least rank change must be a whole number, got '2.5'"),
        (
            "trend_min_ranks",
            0,
            "the least rank change for a rank arrow is at least 1 (or none: any change), got 0",
        ),
        ("trend_min_points", "很多", "the least score change must be a number, got '很多'"),
        (
            "trend_min_points",
            -1,
            "the least score change for a trend arrow must not be negative, got -1",
        ),
        (
            "composite_weight",
            1.5,
            "the composite weight is the share of a region's own total, strictly between 0 and"
            " 1 (or none), got 1.5",
        ),
    ],
)
def test_a_bad_optional_setting_is_named_by_its_cell(key: str, value: object, message: str):
    exported = export_template(SAMPLE)
    row = setting_row(exported, key)

    def set_value(workbook: Workbook) -> None:
        workbook["Template"][f"B{row}"] = value

    [(field, said, _)] = refused(edited(exported, set_value))
    assert (field, said) == (f"Template!B{row}", message)


def test_a_bands_sheet_without_its_columns_is_named():
    def rename(workbook: Workbook) -> None:
        workbook["Bands"]["C1"] = "绿色线"

    [(field, message, code)] = refused(edited(export_template(BANDED), rename))
    assert (field, code) == ("Bands!1", ErrorCode.REQUIRED)
    assert "'green 绿色线%'" in message
