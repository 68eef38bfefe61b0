"""An office's standard in its own layout (.xlsx with merged cells, .csv) read into a template."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from redline.errors import DomainError, ErrorCode, Problem
from scoring.engine import ClauseKind, Method
from scoring.templates.models import ItemKind
from scoring.templates.office_layout import Column, Layout, read_standard
from scoring.templates.validation import content_problems, publication_problems
from tests.factories.standards import SHEET, corpus, element_points, office_csv, office_workbook

ROWS = corpus()
TOTAL = sum((row.points for row in ROWS), start=D(0))


def refusal(data: bytes, filename: str, layout: Layout | None = None) -> tuple[str | None, str]:
    with pytest.raises(DomainError) as raised:
        read_standard(data, filename, layout)
    [problem] = raised.value.problems
    return problem.field, problem.message


def test_a_workbook_with_merged_element_cells_becomes_a_publishable_tree():
    standard = read_standard(office_workbook(), "标准.xlsx", title="评定标准", year=2026)
    assert (standard.format, standard.sheet, standard.header_row) == ("xlsx", SHEET, 2)
    assert [(c.letter, c.role) for c in standard.columns] == [
        ("A", Column.ELEMENT),
        ("B", Column.SUBELEMENT),
        ("C", Column.REQUIREMENT),
        ("D", Column.POINTS),
        ("E", Column.CRITERIA),
        ("F", Column.IGNORE),  # 考评方法
        ("G", Column.IGNORE),  # 实得分
    ]
    content = standard.content
    assert content_problems(content) == [] and publication_problems(content) == []
    assert (content.total_points, len(content.items)) == (TOTAL, 13)
    assert (content.grade_excellent, content.grade_good) == (TOTAL * D("0.9"), TOTAL * D("0.75"))
    first = content.items[0]
    # "1.目标（32分）": the numbering and the stated points leave the title.
    assert (first.code, first.title, first.max_points) == (
        "1",
        "目标",
        element_points(ROWS)["目标"],
    )
    # Elements of more than nine items have two sub-elements; merged cells filled them in.
    fourth = content.items[3]
    assert [(c.code, c.title, c.kind) for c in fourth.children] == [
        ("4.1", "法律法规与安全管理制度管理", ItemKind.CATEGORY),
        ("4.2", "法律法规与安全管理制度实施", ItemKind.CATEGORY),
    ]
    assert sum(len(c.children) for c in fourth.children) == 10
    # The element after it has none: its items do not inherit the sub-element above.
    ninth = content.items[8]
    assert all(child.kind is ItemKind.INDICATOR for child in ninth.children)
    assert ninth.children[0].code == "9.1"


def test_the_criteria_become_clauses_and_what_is_not_read_is_listed_with_its_cell():
    standard = read_standard(office_workbook(), "标准.xlsx")
    by_code = {item.code: item for item in standard.items}
    item = by_code["1.1"]
    assert item.method is Method.DEDUCTION
    assert [(c.key, c.kind, c.points) for c in item.clauses] == [
        ("a", ClauseKind.ZERO, D(0)),
        ("b", ClauseKind.FIXED, D(1)),
        ("c", ClauseKind.FIXED, D(1)),
    ]
    # The share of the national-layout corpus read into clauses (measured: 259 of 274).
    assert standard.fragments == 274
    assert standard.fragments_read / standard.fragments >= D("0.94")
    cells = {(u.code, u.cell, u.text) for u in standard.unread}
    assert ("1.4", f"{SHEET}!E6", "查相关文件和记录") in cells
    # An item whose criteria hold no rule at all is scored by a person, and listed.
    assert by_code["1.9"].method is Method.MANUAL
    assert by_code["1.9"].unread[0].reason == "no deduction named"


def test_a_csv_as_excel_saves_it_reads_the_same_as_the_workbook():
    workbook = read_standard(office_workbook(), "标准.xlsx").content
    for encoding in ("gb18030", "utf-8-sig", "utf-8"):
        standard = read_standard(office_csv(encoding=encoding), "标准.csv")
        assert (standard.format, standard.sheets, standard.header_row) == ("csv", (), 1)
        assert standard.content.items == workbook.items
        assert standard.unread[0].cell == "E5"  # no sheet in a .csv


def test_an_element_stating_other_points_than_its_items_is_a_warning():
    stated = {**element_points(ROWS), "安全投入": D(50)}
    standard = read_standard(office_workbook(stated=stated), "标准.xlsx")
    [warning] = standard.warnings
    assert warning.field == f"{SHEET}!A21"
    assert "states 50 points but its items add up to" in warning.message
    assert standard.content.items[2].max_points == element_points(ROWS)["安全投入"]


def test_a_row_without_points_continues_the_item_above():
    rows = ROWS[:3]
    data = office_csv(rows, "utf-8").decode()
    lines = data.splitlines()
    lines.insert(3, ",,另需留存培训记录,,未留存培训记录的，扣1分,,")
    standard = read_standard("\n".join(lines).encode(), "s.csv")
    second = standard.content.items[0].children[1]
    assert second.criteria.endswith("\n未留存培训记录的，扣1分")
    assert second.requirement.endswith("\n另需留存培训记录")
    assert second.clauses[-1].points == D(1)


def test_columns_and_the_headings_row_can_be_given():
    data = office_workbook(ROWS[:5])
    roles = {1: Column.ELEMENT, 3: Column.ITEM, 4: Column.POINTS, 5: Column.CRITERIA}
    standard = read_standard(data, "s.xlsx", Layout(sheet=SHEET, header_row=2, columns=roles))
    first = standard.content.items[0].children[0]
    assert first.title.startswith("目标第1.1项") and first.requirement == ""
    assert [c.role for c in standard.columns][1] is Column.IGNORE


@pytest.mark.parametrize(
    ("layout", "field", "message"),
    [
        (Layout(sheet="Sheet9"), "sheet", "the workbook has no sheet 'Sheet9' (it has '评定标准')"),
        (Layout(header_row=1), "columns", "no element and no points column"),
        (Layout(header_row=400), "headerRow", "row 400 is blank or past the end"),
        (Layout(columns={1: Column.ELEMENT, 4: Column.POINTS}), "columns", "no item and no"),
        (
            Layout(columns={1: Column.ELEMENT, 3: Column.ITEM, 4: Column.POINTS, 5: Column.ITEM}),
            "columns",
            "columns C and E are both the item column",
        ),
        (Layout(columns={1: Column.ELEMENT, 12: Column.POINTS}), "columns", "no column 12"),
    ],
)
def test_a_layout_that_cannot_be_read_names_its_field(layout, field, message):
    got_field, got_message = refusal(office_workbook(ROWS[:5]), "s.xlsx", layout)
    assert got_field == field
    assert message in got_message


def test_bad_cells_and_files_are_refused_by_name():
    rows = [replace(ROWS[0], points=D("2.125")), *ROWS[1:3]]
    assert refusal(office_workbook(rows), "s.xlsx") == (
        f"{SHEET}!D3",
        "the points 2.125 have more than two decimal places",
    )
    text = office_csv(ROWS[:3], "utf-8").decode().replace(",5,", ",五分,", 1).encode()
    assert refusal(text, "s.csv") == ("D2", "the points '五分' are not a number")
    huge = office_csv(ROWS[:3], "utf-8").decode().replace(",5,", ",1e30,", 1).encode()
    assert refusal(huge, "s.csv") == ("D2", "the points 1e30 are far more than any standard gives")
    for bad in ("0", "-2", "NaN", "Infinity"):
        said = office_csv(ROWS[:3], "utf-8").decode().replace(",5,", f",{bad},", 1).encode()
        assert refusal(said, "s.csv")[0] == "D2", bad
    assert refusal(b"\x00\x01\x02garbage", "s.csv")[0] == "file"
    assert refusal(b"PK\x03\x04 not really a zip", "s.xlsx")[0] == "file"
    assert refusal(office_csv(ROWS[:3]), "s.csv", Layout(sheet="x"))[0] == "sheet"
    # What no draft may hold is refused too, by the cell it came from.
    too_much = [replace(ROWS[0], criteria="未建立制度的，扣99999999999分"), *ROWS[1:3]]
    assert refusal(office_workbook(too_much), "s.xlsx") == (
        f"{SHEET}!E3",
        "clause points 99999999999 is too large",
    )
    assert refusal("名称,说明\n甲,乙\n".encode(), "s.csv")[0] == "headerRow"
    huge_cell = ("一级要素,标准分值,考评内容\n目标,5," + "x" * 200_000 + "\n").encode()
    assert refusal(huge_cell, "s.csv") == (
        "file",
        "not a .csv table that can be read (field larger than field limit (131072))",
    )


def test_a_problem_of_the_imported_draft_is_named_by_its_cell():
    imported = read_standard(office_workbook(), "标准.xlsx").imported()
    second = "content.items[0].children[1]"
    cases = {
        "content.items[0].maxPoints": f"{SHEET}!A3",
        f"{second}.maxPoints": f"{SHEET}!D4",
        f"{second}.clauses[1].points": f"{SHEET}!E4",
        "content.gradeGood": "content.gradeGood",  # not from a cell: as it was
    }
    for path, cell in cases.items():
        assert imported.at_cell(Problem(path, "x", ErrorCode.INVALID)).field == cell
