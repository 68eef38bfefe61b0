"""Templates to Excel and back: identical round trips (the sample, a stored template, generated
ones), a workbook an office can work in, an export as fast as the import, import errors that
name sheet, row and column, and hostile workbooks refused as a problem of the file."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode
from scoring.engine import ClauseKind, ClauseScope, Method
from scoring.templates.document import (
    ClauseInput,
    GradeNames,
    ItemInput,
    TemplateContent,
    TierInput,
    VetoRuleInput,
    walk_items,
)
from scoring.templates.excel import export_template, import_template
from scoring.templates.models import AccidentClass, AccidentMeasure, ItemKind, Template
from scoring.templates.service import create_template
from scoring.templates.storage import template_content
from scoring.templates.validation import content_problems
from tenants.models import TenantNode
from tests.factories.templates import change, local_indicator, sample_content, with_local
from tests.factories.workbooks import edited, entity_bomb, one_huge_cell, repacked, text_cell

SAMPLE = sample_content()
SHEETS = ["Template", "Items", "Clauses", "Tiers", "Vetoes", "Bands"]


def row_of(sheet: Worksheet, code: str, column: int = 1) -> int:
    """The row whose first (or given) column holds ``code``."""
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=column).value == code:
            return row
    raise KeyError(code)


def refused(data: bytes) -> list[tuple[str | None, str, ErrorCode]]:
    with pytest.raises(DomainError) as error:
        import_template(data)
    return [(p.field, p.message, p.code) for p in error.value.problems]


def fields_of(data: bytes) -> set[str | None]:
    return {field for field, _, _ in refused(data)}


# --- round trips ----------------------------------------------------------------------------


def test_the_sample_comes_back_identical():
    assert import_template(export_template(SAMPLE)) == SAMPLE
    local = with_local(SAMPLE, local_indicator("7.1", "2.5"), local_indicator("7.2", "2.5"))
    assert import_template(export_template(local)) == local


def test_a_stored_template_comes_back_identical(world: Session):
    province = world.scalars(select(TenantNode).where(TenantNode.code == "330000")).one()
    template = create_template(
        world, None, owner_node=province, family_code="zj", family_name="浙江", content=SAMPLE
    )
    world.commit()
    world.expire_all()
    stored = template_content(world, world.get_one(Template, template.id))
    assert import_template(export_template(stored)) == stored == SAMPLE


def test_the_workbook_is_one_an_office_can_work_in():
    workbook = load_workbook(io.BytesIO(export_template(SAMPLE)))
    assert workbook.sheetnames == SHEETS
    items = workbook["Items"]
    assert [c.value for c in items[1]][:6] == [
        "code 编码",
        "parent 上级编码",
        "kind 类型",
        "title 名称",
        "max_points 分值",
        "method 计分方法",
    ]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet["A1"].font.bold
    assert items.column_dimensions["D"].width >= 30  # titles in Chinese
    assert items.column_dimensions["M"].width >= 50  # criteria
    assert items.max_row == 1 + sum(1 for _ in walk_items(SAMPLE.items))
    row = row_of(items, "3.1.1")
    assert [items.cell(row=row, column=n).value for n in range(1, 8)] == [
        "3.1.1",
        "3.1",
        "indicator",
        "年度执法计划完成率",
        8,
        "ratio",
        100,
    ]
    clauses = workbook["Clauses"]
    row = row_of(clauses, "c", column=2)
    assert [clauses.cell(row=row, column=n).value for n in range(1, 14)] == [
        "1.1",
        "c",
        "per_occurrence",
        1,
        None,
        None,
        None,  # scope: the item's own, left blank
        None,  # fact scope
        None,  # no cap
        None,  # no repeat factor
        None,  # counts no accidents
        None,
        "每缺少一个部门的安全生产责任清单，扣1分，扣完为止",
    ]
    row = row_of(clauses, "d", column=2)
    assert [clauses.cell(row=row, column=n).value for n in (1, 3, 4, 7)] == [
        "1.1",
        "extra",
        5,
        "template",
    ]
    assert workbook["Tiers"].max_row == 1 + 8
    assert workbook["Vetoes"]["B2"].value == "发生较大及以上生产安全责任事故"
    assert workbook["Template"]["B4"].value == 100
    # The kind and method columns offer their words as a drop-down list.
    lists = [v.formula1 for v in items.data_validations.dataValidation]
    assert '"category,indicator"' in lists
    assert '"manual,deduction,ratio,tiers,boolean,bonus"' in lists
    # A list to pick from, not a rule that stops the office typing a word the import reads
    # as well (是 for TRUE).
    assert not any(v.showErrorMessage for v in items.data_validations.dataValidation)


def test_text_stays_text():
    odd = replace(SAMPLE, title="=SUM(A1:A9)")
    first = replace(SAMPLE.items[0], code="1.10", title="+1", criteria="第一行\n第二行")
    odd = replace(odd, items=(first, *odd.items[1:]))
    assert import_template(export_template(odd)) == odd


def test_an_office_may_rearrange_its_workbook():
    def rearrange(workbook: Workbook) -> None:
        items = workbook["Items"]
        rows = [[cell.value for cell in row] for row in items.iter_rows()]
        # Criteria first, then the rest as exported, then a notes column of the office's own.
        for number, values in enumerate(rows, start=1):
            for column, value in enumerate([values[-1], *values[:-1]], start=1):
                items.cell(row=number, column=column).value = value
            items.cell(row=number, column=len(values) + 1).value = (
                "备注 notes" if number == 1 else "省定"
            )
        tiers = workbook["Tiers"]
        tiers.cell(row=row_of(tiers, "2.1"), column=2).value = " 100 "  # a number typed as text
        workbook.create_sheet("说明")

    assert import_template(edited(export_template(SAMPLE), rearrange)) == SAMPLE


def test_codes_typed_as_numbers_are_read_as_their_text():
    plain = replace(
        SAMPLE,
        total_points=D(25),
        grade_excellent=D(22),
        grade_good=D(20),
        grade_qualified=D(15),
        items=(SAMPLE.items[0], SAMPLE.items[6]),
    )
    assert [item.code for item in plain.items] == ["1", "7"]

    def as_numbers(workbook: Workbook) -> None:
        for name, columns in (("Items", (1, 2)), ("Clauses", (1,))):
            sheet = workbook[name]
            for row in range(2, sheet.max_row + 1):
                for column in columns:
                    cell = sheet.cell(row=row, column=column)
                    if cell.value:
                        cell.value = float(cell.value)

    assert import_template(edited(export_template(plain), as_numbers)) == plain


# Generated templates: structurally valid documents of every shape the service accepts.
words = st.text(
    st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\r"),
    min_size=1,
    max_size=12,
).map(str.strip)
titles = words.filter(bool)
criteria = st.one_of(st.just(""), st.lists(titles, min_size=1, max_size=3).map("\n".join))
points = st.decimals(min_value=D("0.01"), max_value=D(1000), places=2)
values = st.decimals(min_value=D(-1000), max_value=D(100_000), places=4)


@st.composite
def indicators(draw, code: str, bonus: bool) -> ItemInput:
    method = (
        Method.BONUS
        if bonus
        else draw(st.sampled_from([m for m in Method if m is not Method.BONUS]))
    )
    maximum = draw(points)
    extra: dict[str, object] = {}
    if method is Method.RATIO:
        target = draw(st.decimals(min_value=D("0.0001"), max_value=D(1000), places=4))
        floor = draw(
            st.none() | st.decimals(min_value=D(-10), max_value=target - D("0.0001"), places=4)
        )
        extra = {"target": target, "floor": floor}
    elif method is Method.TIERS:
        lows = draw(st.lists(values, min_size=1, max_size=3, unique=True))
        earned = draw(
            st.lists(
                st.decimals(min_value=D(0), max_value=maximum, places=2),
                min_size=len(lows),
                max_size=len(lows),
            )
        )
        extra = {
            "tiers": tuple(
                TierInput(low, tier_points)
                for low, tier_points in zip(
                    sorted(lows, reverse=True), sorted(earned, reverse=True), strict=True
                )
            )
        }
    elif method is Method.DEDUCTION:
        kinds = draw(st.lists(st.sampled_from(list(ClauseKind)), min_size=1, max_size=3))
        facts = [kind is not ClauseKind.EXTRA for kind in kinds]
        shared = sum(facts[:2]) == 2 and draw(st.booleans())
        extra = {
            "clauses": tuple(
                ClauseInput(
                    key=key,
                    kind=kind,
                    text=draw(titles),
                    points=D(0) if kind is ClauseKind.ZERO else draw(points),
                    threshold=draw(points) if kind is ClauseKind.CASCADE else None,
                    fact="同一事实" if shared and index < 2 else None,
                    scope=draw(st.sampled_from([ClauseScope.CATEGORY, ClauseScope.TEMPLATE]))
                    if kind is ClauseKind.EXTRA
                    else ClauseScope.ITEM,
                )
                for index, (key, kind) in enumerate(zip("abc", kinds, strict=False))
            )
        }
    return ItemInput(
        code,
        draw(titles),
        ItemKind.INDICATOR,
        maximum,
        criteria=draw(criteria),
        method=method,
        required=draw(st.booleans()),
        **extra,
    )


@st.composite
def contents(draw) -> TemplateContent:
    prefix = draw(st.sampled_from(["", "A", "甲", "1."]))
    count = draw(st.integers(min_value=1, max_value=3))
    items = []
    for number in range(1, count + 1):
        code = f"{prefix}{number}"
        bonus = number == count and draw(st.booleans())
        local = not bonus and draw(st.booleans())
        children = [
            draw(indicators(f"{code}.{n}", bonus))
            for n in range(1, draw(st.integers(0 if local else 1, 3)) + 1)
        ]
        if not local and draw(st.booleans()):
            children.append(
                ItemInput(
                    f"{code}.s",
                    draw(titles),
                    ItemKind.CATEGORY,
                    draw(points),
                    bonus=bonus,
                    children=(draw(indicators(f"{code}.s.1", bonus)),),
                )
            )
        items.append(
            ItemInput(
                code,
                draw(titles),
                ItemKind.CATEGORY,
                draw(points),
                criteria=draw(criteria),
                bonus=bonus,
                local=local,
                children=tuple(children),
            )
        )
    total = draw(st.decimals(min_value=D(1), max_value=D(1000), places=2))
    excellent = draw(st.decimals(min_value=D("0.02"), max_value=total, places=2))
    good = draw(st.decimals(min_value=D("0.01"), max_value=excellent - D("0.01"), places=2))
    qualified = draw(st.decimals(min_value=D(0), max_value=good - D("0.01"), places=2))
    rules = tuple(
        VetoRuleInput(f"V{n}", draw(titles), draw(criteria))
        for n in range(1, draw(st.integers(0, 2)) + 1)
    )
    return TemplateContent(
        title=draw(titles),
        year=draw(st.integers(2000, 2100)),
        total_points=total,
        bonus_cap=draw(st.decimals(min_value=D(0), max_value=D(100), places=2)),
        grade_excellent=excellent,
        grade_good=good,
        grade_qualified=qualified,
        items=tuple(items),
        veto_rules=rules,
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contents())
def test_generated_templates_come_back_identical(content: TemplateContent):
    assert content_problems(content) == []
    assert import_template(export_template(content)) == content


# --- import errors --------------------------------------------------------------------------


def set_cell(sheet: str, code: str, column: str, value: object, key_column: int = 1):
    def change(workbook: Workbook) -> None:
        ws = workbook[sheet]
        ws[f"{column}{row_of(ws, code, key_column)}"] = value

    return change


def test_a_bad_number_is_named_by_its_cell():
    data = edited(export_template(SAMPLE), set_cell("Items", "1.2", "E", "abc"))
    row = row_of(load_workbook(io.BytesIO(data))["Items"], "1.2")
    assert refused(data) == [
        (f"Items!E{row}", "max points must be a positive number, got 'abc'", ErrorCode.INVALID)
    ]


def test_an_unknown_method_is_named_by_its_cell():
    data = edited(export_template(SAMPLE), set_cell("Items", "1.3", "F", "打分"))
    row = row_of(load_workbook(io.BytesIO(data))["Items"], "1.3")
    [(field, message, _)] = refused(data)
    assert field == f"Items!F{row}"
    assert message.startswith("unknown method '打分': use one of manual, deduction")


def test_an_unknown_parent_code_is_named_by_its_cell():
    data = edited(export_template(SAMPLE), set_cell("Items", "2.1", "B", "9"))
    row = row_of(load_workbook(io.BytesIO(data))["Items"], "2.1")
    [(field, message, _)] = refused(data)
    assert field == f"Items!B{row}"
    assert message.startswith("unknown parent code '9'")


def test_a_parent_listed_below_its_item_is_unknown_there():
    def swap(workbook: Workbook) -> None:
        items = workbook["Items"]
        first = [c.value for c in items[2]]
        second = [c.value for c in items[3]]
        for column, value in enumerate(second, start=1):
            items.cell(row=2, column=column).value = value
        for column, value in enumerate(first, start=1):
            items.cell(row=3, column=column).value = value

    assert fields_of(edited(export_template(SAMPLE), swap)) == {"Items!B2"}


def test_a_missing_sheet_is_named():
    def drop(workbook: Workbook) -> None:
        del workbook["Tiers"]
        workbook["Clauses"].title = "扣分办法"

    problems = refused(edited(export_template(SAMPLE), drop))
    assert [(field, code) for field, _, code in problems] == [
        ("Clauses", ErrorCode.REQUIRED),
        ("Tiers", ErrorCode.REQUIRED),
    ]
    assert problems[0][1] == (
        "the workbook has no sheet 'Clauses' (or 扣分条款、条款) (it has '扣分办法')"
    )


def test_a_missing_column_is_named():
    def rename(workbook: Workbook) -> None:
        workbook["Items"]["E1"] = "满分"

    [(field, message, code)] = refused(edited(export_template(SAMPLE), rename))
    assert (field, code) == ("Items!1", ErrorCode.REQUIRED)
    assert "'max_points 分值' (or '分值')" in message


# What an office's own workbook calls the sheets, and its headers in Chinese only.
OFFICE_SHEETS = {
    "Template": "基本信息",
    "Items": "指标",
    "Clauses": "扣分条款",
    "Tiers": "分档",
    "Vetoes": "一票否决",
    "Bands": "色标",
}


def _in_chinese(workbook: Workbook) -> None:
    """Sheets renamed, every header its Chinese words only (some an office's own), every
    setting named by its label: the workbook an office keeps."""
    for english, chinese in OFFICE_SHEETS.items():
        sheet = workbook[english]
        sheet.title = chinese
        for cell in sheet[1]:
            if isinstance(cell.value, str) and " " in cell.value:
                cell.value = cell.value.split(" ", 1)[1]
    items = workbook["指标"]
    for cell in items[1]:
        cell.value = {"名称": "考评项目", "分值": "标准分值"}.get(cell.value, cell.value)
    labels = {"title": "考核细则名称", "year": "年度", "total_points": "总分"}
    for row in workbook["基本信息"].iter_rows(min_row=2):
        row[0].value = labels.get(row[0].value, row[0].value)


def test_an_office_s_workbook_in_chinese_reads_as_redline_s_own():
    assert import_template(edited(export_template(SAMPLE), _in_chinese)) == SAMPLE


def test_problems_in_an_office_s_workbook_are_named_by_its_own_sheet():
    def bad_cell(workbook: Workbook) -> None:
        _in_chinese(workbook)
        workbook["指标"]["E2"] = "很多"

    [(field, message, _)] = refused(edited(export_template(SAMPLE), bad_cell))
    assert field == "指标!E2" and "'很多'" in message

    def long_title(workbook: Workbook) -> None:
        _in_chinese(workbook)
        workbook["指标"]["D3"] = "题" * 501

    [(field, message, code)] = refused(edited(export_template(SAMPLE), long_title))
    assert (field, code) == ("指标!D3", ErrorCode.TOO_LARGE)
    assert "501 characters long; at most 500" in message


def test_two_sheets_that_are_both_the_items_sheet_are_refused():
    def twice(workbook: Workbook) -> None:
        workbook.copy_worksheet(workbook["Items"]).title = "指标"

    problems = refused(edited(export_template(SAMPLE), twice))
    assert [(field, code) for field, _, code in problems] == [("指标", ErrorCode.DUPLICATE)]
    assert "'Items' and '指标' are both the Items sheet" in problems[0][1]


def test_a_missing_setting_is_named():
    def drop(workbook: Workbook) -> None:
        workbook["Template"].delete_rows(3)  # year

    assert refused(edited(export_template(SAMPLE), drop)) == [
        ("Template", "sheet Template has no row 'year' (年度)", ErrorCode.REQUIRED)
    ]


def test_not_a_workbook():
    [(field, _, code)] = refused(b"code,title\n1,x\n")
    assert (field, code) == ("file", ErrorCode.INVALID)


def test_every_bad_cell_is_listed_at_once():
    def spoil(workbook: Workbook) -> None:
        set_cell("Items", "1.2", "G", "一百")(workbook)  # target
        set_cell("Items", "1.3", "I", "maybe")(workbook)  # bonus flag
        set_cell("Items", "2.1", "C", None)(workbook)  # kind
        set_cell("Clauses", "a", "C", "halve", key_column=2)(workbook)  # the first clause a
        set_cell("Tiers", "4.1", "A", "4.9")(workbook)  # unknown indicator
        workbook["Template"]["B3"] = "2026年"

    data = edited(export_template(SAMPLE), spoil)
    sheet = load_workbook(io.BytesIO(data))
    items, clauses = sheet["Items"], sheet["Clauses"]
    tiers_row = row_of(sheet["Tiers"], "4.9")
    assert {(field, code) for field, _, code in refused(data)} == {
        (f"Items!G{row_of(items, '1.2')}", ErrorCode.INVALID),
        (f"Items!I{row_of(items, '1.3')}", ErrorCode.INVALID),
        (f"Items!C{row_of(items, '2.1')}", ErrorCode.REQUIRED),
        (f"Clauses!C{row_of(clauses, 'a', 2)}", ErrorCode.INVALID),
        (f"Tiers!A{tiers_row}", ErrorCode.INVALID),
        ("Template!B3", ErrorCode.INVALID),
    }


def test_template_rules_are_named_by_cell_too():
    def spoil(workbook: Workbook) -> None:
        set_cell("Items", "1.3", "A", "1.2")(workbook)  # a duplicate code
        set_cell("Items", "6.2", "G", 0)(workbook)  # ratio target 0, now below its floor
        set_cell("Tiers", "2.1", "B", 50)(workbook)  # first tier of 2.1 below the next
        clauses = workbook["Clauses"]
        row = next(r for r in range(2, clauses.max_row + 1) if clauses[f"A{r}"].value == "4.2")
        clauses[f"D{row}"] = 0  # a per-occurrence clause deducting nothing
        workbook["Template"]["B7"] = 95  # good above excellent
        workbook["Vetoes"]["A3"] = "V1"

    data = edited(export_template(SAMPLE), spoil)
    sheet = load_workbook(io.BytesIO(data))
    items, clauses = sheet["Items"], sheet["Clauses"]
    tier_row = row_of(sheet["Tiers"], "2.1") + 1
    found = {(field, code) for field, _, code in refused(data)}
    assert found == {
        (f"Items!A{_nth(items, '1.2', 2)}", ErrorCode.DUPLICATE),
        (f"Items!G{row_of(items, '6.2')}", ErrorCode.INVALID),
        (f"Items!H{row_of(items, '6.2')}", ErrorCode.INVALID),
        (f"Tiers!B{tier_row}", ErrorCode.INVALID),
        (f"Clauses!D{row_of(clauses, '4.2')}", ErrorCode.INVALID),
        ("Template!B7", ErrorCode.INVALID),
        ("Vetoes!A3", ErrorCode.DUPLICATE),
    }


def _nth(sheet: Worksheet, code: str, n: int) -> int:
    rows = [r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == code]
    return rows[n - 1]


# --- a large template --------------------------------------------------------------------------


def test_a_large_template_comes_back_identical():
    local = [local_indicator(f"7.{n}", "0.02") for n in range(1, 251)]
    larger = with_local(SAMPLE, *local)
    assert import_template(export_template(larger)) == larger


# --- hostile workbooks -------------------------------------------------------------------------

ITEMS_PART = "xl/worksheets/sheet2.xml"  # where export_template writes the Items sheet


def items_with(rows: str, *, padding: int = 0) -> bytes:
    """The exported sample with ``rows`` of XML added at the end of its Items sheet, after an
    XML comment of ``padding`` characters."""
    data = export_template(SAMPLE)
    xml = zipfile.ZipFile(io.BytesIO(data)).read(ITEMS_PART).decode()
    comment = f"<!--{'x' * padding}-->" if padding else ""
    return repacked(data, {ITEMS_PART: xml.replace("</sheetData>", f"{comment}{rows}</sheetData>")})


NEXT = 2 + sum(1 for _ in walk_items(SAMPLE.items))  # the row below the exported Items

HOSTILE = {
    "a zipped 200 MB cell": (
        one_huge_cell,
        ErrorCode.TOO_LARGE,
        "the workbook unpacks to 200 MB; at most 50 MB",
    ),
    "an entity bomb": (entity_bomb, ErrorCode.INVALID, "declares a document type"),
    "a broken workbook.xml": (
        lambda: repacked(export_template(SAMPLE), {"xl/workbook.xml": b"<workbook"}),
        ErrorCode.INVALID,
        "not an .xlsx workbook (unclosed token: line 1, column 0)",
    ),
    "no workbook.xml": (
        lambda: repacked(export_template(SAMPLE), {"xl/workbook.xml": None}),
        ErrorCode.INVALID,
        "There is no item named 'xl/workbook.xml' in the archive",
    ),
    # Past the 16 KB read at opening: the break is met while the Items rows are read.
    "Items breaking while it is read": (
        lambda: items_with(f'<row r="{NEXT}"><c r="A{NEXT}"></row>', padding=20_000),
        ErrorCode.INVALID,
        "not an .xlsx workbook (sheet Items, row ",
    ),
    "Items naming a shared string past the table": (
        lambda: items_with(f'<row r="{NEXT}"><c r="A{NEXT}" t="s"><v>999999</v></c></row>'),
        ErrorCode.INVALID,
        "list index out of range",
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_workbook_is_refused_as_a_problem_of_the_file(case: str):
    build, code, message = HOSTILE[case]
    [(field, text, found)] = refused(build())
    assert (field, found) == ("file", code)
    assert message in text


def test_a_cell_longer_than_excel_allows_is_named_by_its_cell():
    criteria = text_cell(f"M{NEXT}", "字" * 32_768)
    data = items_with(f'<row r="{NEXT}">{text_cell(f"A{NEXT}", "9.9")}{criteria}</row>')
    assert refused(data) == [
        (
            f"Items!M{NEXT}",
            f"cell Items!M{NEXT} holds 32,768 characters; a cell holds at most 32,767",
            ErrorCode.TOO_LARGE,
        )
    ]


def _with_requirement(content, text: str):
    """The sample with ``text`` as its first indicator's requirement (考评内容)."""
    category = content.items[0]
    indicator = replace(category.children[0], requirement=text)
    first = replace(category, children=(indicator, *category.children[1:]))
    return replace(content, items=(first, *content.items[1:]))


def test_a_requirement_of_an_office_s_length_round_trips_beside_a_short_title():
    # AQ/T 9006-style requirement texts run to some 1,800 characters.
    text = "建立健全安全生产责任制，明确各级各类人员的安全生产职责。" * 64
    content = _with_requirement(SAMPLE, text)
    assert content_problems(content) == []
    workbook = export_template(content)
    header = [cell.value for cell in load_workbook(io.BytesIO(workbook))["Items"][1]]
    assert "requirement 考评内容" in header
    assert import_template(workbook) == content
    # In the office's own workbook too, and a workbook without the column reads as before.
    assert import_template(edited(workbook, _in_chinese)) == content

    def drop_column(book: Workbook) -> None:
        items = book["Items"]
        column = header.index("requirement 考评内容") + 1
        items.delete_cols(column)

    assert import_template(edited(export_template(SAMPLE), drop_column)) == SAMPLE


def test_a_requirement_longer_than_the_limit_is_named():
    content = _with_requirement(SAMPLE, "要" * 20_001)
    [problem] = content_problems(content)
    assert problem.field.endswith("children[0].requirement")
    assert "20001 characters long; at most 20000" in problem.message


def test_clauses_reaching_beyond_their_item_come_back_identical():
    """An extra clause's scope and a fact shared across the template's items (其他考评内容中已有的
    不重复扣分) are columns of the Clauses sheet."""
    shared = {"fact": "同一制度", "fact_scope": ClauseScope.TEMPLATE}
    first = next(item for _, item, _ in walk_items(SAMPLE.items) if item.code == "1.1")
    other = next(item for _, item, _ in walk_items(SAMPLE.items) if item.code == "4.2")
    content = change(
        change(
            SAMPLE,
            "1.1",
            clauses=(first.clauses[0], replace(first.clauses[1], **shared), *first.clauses[2:]),
        ),
        "4.2",
        clauses=(replace(other.clauses[0], **shared), *other.clauses[1:]),
    )
    assert content_problems(content) == []
    workbook = load_workbook(io.BytesIO(export_template(content)))
    clauses = workbook["Clauses"]
    assert [c.value for c in clauses[1]][5:8] == [
        "fact 同一事实",
        "scope 加扣范围",
        "fact_scope 事实范围",
    ]
    assert import_template(export_template(content)) == content


def test_caps_repeats_and_accident_clauses_come_back_identical():
    """A per-occurrence clause's cap and repeat factor, and what a clause fed by the accident
    ledger counts, are columns of the Clauses sheet."""
    item = next(item for _, item, _ in walk_items(SAMPLE.items) if item.code == "1.1")
    clauses = (
        replace(item.clauses[2], repeat_factor=D(2), accident_class=AccidentClass.GENERAL),
        ClauseInput(
            "x",
            ClauseKind.PER_OCCURRENCE,
            "每迟报1小时扣0.5分，最多扣3分",
            D("0.5"),
            cap=D(3),
            accident_measure=AccidentMeasure.LATE_REPORT_HOURS,
        ),
    )
    content = change(SAMPLE, "1.1", source="accidents", clauses=clauses)
    assert content_problems(content) == []
    workbook = load_workbook(io.BytesIO(export_template(content)))
    headers = [c.value for c in workbook["Clauses"][1]]
    assert headers[8:12] == [
        "cap 最多扣分",
        "repeat_factor 重复倍数",
        "accident_measure 事故计量",
        "accident_class 事故等级",
    ]
    assert import_template(export_template(content)) == content


def test_grade_names_and_fewer_grades_come_back_identical():
    """A two-grade standard (合格 / 不合格) leaves the excellent and good thresholds blank and
    names its grades on rows of the Template sheet."""
    names = GradeNames(qualified="合格", unqualified="不合格")
    content = replace(SAMPLE, grade_excellent=None, grade_good=None, grade_names=names)
    assert content_problems(content) == []
    workbook = load_workbook(io.BytesIO(export_template(content)))
    settings = {row[0].value: row[1].value for row in workbook["Template"].iter_rows(min_row=2)}
    assert (settings["grade_excellent"], settings["grade_good"]) == (None, None)
    assert (settings["grade_name_qualified"], settings["grade_name_excellent"]) == ("合格", None)
    assert import_template(export_template(content)) == content
