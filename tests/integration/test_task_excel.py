"""Action plans in Excel: the export reads back as the plan (in one pass over the rows),
offices' messy sheets read as they mean, every problem is named by its row and column, and
hostile workbooks are refused before anything is issued (import on both backends)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode
from scoring.ledgers.models import ActionPlan, TaskElement
from scoring.ledgers.task_excel import (
    EXAMPLE,
    MAX_BYTES,
    export_plan,
    import_plan,
    plan_template,
    read_plan,
)
from scoring.ledgers.tasks import ElementInput, PlanInput, SectionInput, plan_input
from tests.factories.checks import count, problems_of
from tests.factories.ledgers import GUANGYUAN, big_plan
from tests.factories.tenants import actor, add_sichuan_users, node
from tests.factories.workbooks import entity_bomb, one_huge_cell, repacked, text_cell, workbook_of

HEADER = [
    "topic_code 专题编号",
    "topic 专题",
    "project_code 专项编号",
    "project 专项",
    "code 要素编号",
    "title 任务要素",
    "responsible 责任单位",
    "deadline 完成时限",
]
BLOCK = [
    ["title 方案名称", "广元市2026年度任务清单"],
    ["period_start 开始日期", date(2026, 1, 1)],
    ["period_end 结束日期", date(2026, 12, 31)],
    [],
]


def table(*rows: list[object]) -> bytes:
    """The usual block and header (rows 1-5), then ``rows`` from row 6."""
    return workbook_of(*BLOCK, HEADER, *rows)


# --- the export reads back -------------------------------------------------------------------


@pytest.mark.parametrize(
    "plan", [GUANGYUAN, EXAMPLE, big_plan()], ids=["guangyuan", "example", "291"]
)
def test_an_exported_plan_reads_back_as_it_was(plan: PlanInput) -> None:
    assert read_plan(export_plan(plan)) == plan


def test_plans_without_topics_and_empty_sections_read_back() -> None:
    flat = PlanInput(
        title="剑阁县汛期安全工作清单",
        period_start=date(2026, 5, 1),
        period_end=date(2026, 9, 30),
        elements=(ElementInput("1", "汛前隐患排查", "510823100", date(2026, 5, 31)),),
        sections=(
            SectionInput(
                "A",
                "地质灾害防范专项",
                "project",
                elements=(ElementInput("2", "地灾点巡查", "510823120", date(2026, 7, 31)),),
            ),
            SectionInput("B", "尚未分解的专项", "project"),
        ),
    )
    assert read_plan(export_plan(flat)) == flat
    with_empty_topic = PlanInput(
        "清单",
        date(2026, 1, 1),
        date(2026, 12, 31),
        sections=(
            SectionInput("一", "专题一", "topic", (SectionInput("1", "专项", "project"),)),
            SectionInput("二", "专题二", "topic"),
        ),
    )
    assert read_plan(export_plan(with_empty_topic)) == with_empty_topic


def test_the_export_is_a_sheet_an_office_reads() -> None:
    tricky = PlanInput(
        "清单",
        date(2026, 1, 1),
        date(2026, 12, 31),
        sections=(
            SectionInput(
                "1",
                "=SUM(A1)",
                "topic",
                elements=(ElementInput("1.10", "编号像数字", "510802", date(2026, 6, 30)),),
            ),
        ),
    )
    data = export_plan(tricky)
    sheet = load_workbook(io.BytesIO(data)).active
    assert [[c.value for c in row] for row in sheet.iter_rows(max_row=3, max_col=2)] == [
        ["title 方案名称", "清单"],
        ["period_start 开始日期", datetime(2026, 1, 1)],
        ["period_end 结束日期", datetime(2026, 12, 31)],
    ]
    assert [c.value for c in sheet[5]] == HEADER
    row = sheet[6]
    assert [c.value for c in row] == [
        "1",
        "=SUM(A1)",
        None,
        None,
        "1.10",
        "编号像数字",
        "510802",
        datetime(2026, 6, 30),
    ]
    assert row[1].data_type == "s"  # a title stays text, never a formula
    assert row[7].is_date and row[7].number_format == "yyyy-mm-dd"
    assert sheet.freeze_panes == "A6"
    assert read_plan(data) == tricky


def test_the_template_is_the_example() -> None:
    assert read_plan(plan_template()) == EXAMPLE


# --- offices' sheets -------------------------------------------------------------------------


def test_a_messy_office_sheet_reads_as_meant() -> None:
    rows: list[list[object]] = [
        ["广元市安全生产专项整治任务清单"],  # a banner line
        ["方案名称", "  广元市2026年度任务清单  "],
        ["开始日期", "2026年1月1日"],
        ["结束日期", datetime(2026, 12, 31)],
        [],
        # Chinese headers only, other columns around and between them, another order.
        [
            "序号",
            "专题编号",
            "专题",
            "专项编号",
            "专项",
            "要素编号",
            "任务要素",
            "完成时间",
            "牵头单位",
            "备注",
        ],
        [1, 1.0, "学习宣传专题", None, None, 1.1, " 专题学习 ", "2026-03-31", "510800-YJJ", "季度"],
        [2, None, None, None, None, 1.2, "党校培训", "2026/6/30", "利州区", None],
        [3, None, None, "1-1", "宣传专项", 1.3, "安全生产月", datetime(2026, 6, 30), 510802, None],
        # Topic and project cells left blank: the same project as above.
        [4, None, None, None, None, 1.4, "宣传进企业", "2026年9月30日", 510811.0, None],
        [None] * 10,
        [
            5,
            2.0,
            "责任落实专题",
            2.1,
            "危化品专项",
            "2.1",
            "重大危险源检查",
            "2026-03-31",
            "510823",
            None,
        ],
        # The topic restated with blank project cells: directly under the topic.
        [6, 2.0, None, None, None, "2.2", "责任清单", "2026-04-30", "510824", None],
        # A section named alone, its elements below.
        [None, 2, "责任落实专题", "2.2", "矿山专项", None, None, None, None, None],
        [7, None, None, None, None, "2.3", "尾矿库监测", "2026-12-31", "510822", None],
        [],
        [],
    ]
    data = workbook_of(*rows)
    assert read_plan(data) == PlanInput(
        title="广元市2026年度任务清单",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        sections=(
            SectionInput(
                "1",
                "学习宣传专题",
                "topic",
                elements=(
                    ElementInput("1.1", "专题学习", "510800-YJJ", date(2026, 3, 31)),
                    ElementInput("1.2", "党校培训", "利州区", date(2026, 6, 30)),
                ),
                sections=(
                    SectionInput(
                        "1-1",
                        "宣传专项",
                        "project",
                        elements=(
                            ElementInput("1.3", "安全生产月", "510802", date(2026, 6, 30)),
                            ElementInput("1.4", "宣传进企业", "510811", date(2026, 9, 30)),
                        ),
                    ),
                ),
            ),
            SectionInput(
                "2",
                "责任落实专题",
                "topic",
                elements=(ElementInput("2.2", "责任清单", "510824", date(2026, 4, 30)),),
                sections=(
                    SectionInput(
                        "2.1",
                        "危化品专项",
                        "project",
                        elements=(
                            ElementInput("2.1", "重大危险源检查", "510823", date(2026, 3, 31)),
                        ),
                    ),
                    SectionInput(
                        "2.2",
                        "矿山专项",
                        "project",
                        elements=(ElementInput("2.3", "尾矿库监测", "510822", date(2026, 12, 31)),),
                    ),
                ),
            ),
        ),
    )


def test_merged_topic_cells_repeat_the_topic() -> None:
    data = workbook_of(
        *BLOCK,
        HEADER,
        ["一", "专题一", "1", "专项一", "1.1", "任务甲", "510802", "2026-06-30"],
        [None, None, None, None, "1.2", "任务乙", "510811", "2026-06-30"],
        [None, None, "2", "专项二", "2.1", "任务丙", "510812", "2026-06-30"],
        merged=("A6:A8", "B6:B8"),
    )
    plan = read_plan(data)
    assert [s.code for s in plan.sections] == ["一"]
    assert [(p.code, [e.code for e in p.elements]) for p in plan.sections[0].sections] == [
        ("1", ["1.1", "1.2"]),
        ("2", ["2.1"]),
    ]


# --- problems by row and column --------------------------------------------------------------


def test_a_file_that_is_not_a_workbook() -> None:
    with pytest.raises(DomainError) as error:
        read_plan(b"%PDF-1.4 not a workbook")
    assert problems_of(error) == [("file", ErrorCode.INVALID)]
    with pytest.raises(DomainError) as error:
        read_plan(b"PK" + bytes(MAX_BYTES))
    assert problems_of(error) == [("file", ErrorCode.TOO_LARGE)]


def test_missing_headers_are_named() -> None:
    with pytest.raises(DomainError) as error:
        read_plan(workbook_of(*BLOCK, [*HEADER[:5], "备注"], ["1", "专题", None, None, "1.1"]))
    assert problems_of(error) == [
        ("file.rows.5.title", ErrorCode.REQUIRED),
        ("file.rows.5.responsible", ErrorCode.REQUIRED),
        ("file.rows.5.deadline", ErrorCode.REQUIRED),
    ]
    with pytest.raises(DomainError) as error:
        read_plan(workbook_of(["任务清单"], ["随便写的内容", 1, 2]))
    assert problems_of(error) == [("file", ErrorCode.REQUIRED)]


def test_bad_dates_are_named() -> None:
    rows = [
        ["title 方案名称", "清单"],
        ["period_start 开始日期", "年初"],
        ["period_end 结束日期", "2026-02-30"],
        HEADER,
        ["一", "专题", None, None, "1", "任务", "510802", "下月底"],
        [None, None, None, None, "2", "任务", "510802", 46203],
        [None, None, None, None, "3", "任务", "510802", "2026-06-30"],
    ]
    with pytest.raises(DomainError) as error:
        read_plan(workbook_of(*rows))
    assert problems_of(error) == [
        ("file.rows.2.period_start", ErrorCode.INVALID),
        ("file.rows.3.period_end", ErrorCode.INVALID),
        ("file.rows.5.deadline", ErrorCode.INVALID),
        ("file.rows.6.deadline", ErrorCode.INVALID),
    ]
    assert "'下月底' is not a date" in error.value.problems[2].message


def test_codes_that_do_not_resolve_or_repeat_are_named() -> None:
    june = "2026-06-30"
    with pytest.raises(DomainError) as error:
        read_plan(
            table(
                ["一", "专题一", "1", "专项一", "1.1", "甲", "510802", june],  # row 6
                [None, "没有编号的专题", None, None, "1.2", "乙", "510802", june],
                ["三", None, None, None, "3.1", "丙", "510802", june],  # never named
                ["一", "另一个标题", None, None, "1.3", "丁", "510802", june],
                ["二", "专题二", "1", None, "2.1", "戊", "510802", june],  # 1 is under 一
                ["二", None, "9", None, "2.2", "己", "510802", june],  # never named
                ["二", None, "一", "专项", "2.3", "庚", "510802", june],  # a topic's code
                ["二", None, None, "没有编号的专项", "2.4", "辛", "510802", june],
                ["二", None, None, None, "1.1", "壬", "510802", june],  # row 6's code
            )
        )
    assert problems_of(error) == [
        ("file.rows.7.topic_code", ErrorCode.REQUIRED),
        ("file.rows.8.topic", ErrorCode.REQUIRED),
        ("file.rows.9.topic_code", ErrorCode.DUPLICATE),
        ("file.rows.10.project_code", ErrorCode.DUPLICATE),
        ("file.rows.11.project", ErrorCode.REQUIRED),
        ("file.rows.12.project_code", ErrorCode.DUPLICATE),
        ("file.rows.13.project_code", ErrorCode.REQUIRED),
        ("file.rows.14.code", ErrorCode.DUPLICATE),
    ]
    messages = [p.message for p in error.value.problems]
    assert messages[2] == "topic 一 is '专题一' (row 6)"
    assert messages[3] == "project 1 is under topic 一 (row 6)"
    assert messages[7] == "1.1 repeats row 6"


# --- importing (both backends) ---------------------------------------------------------------


def test_the_guangyuan_plan_imported_from_excel(world: Session) -> None:
    plan = import_plan(
        world, actor(world, "gy-office"), node(world, "510800"), export_plan(GUANGYUAN)
    )
    world.commit()
    stored = plan_input(world, plan)
    assert stored.title == GUANGYUAN.title
    assert stored.sections[1] == GUANGYUAN.sections[1]
    assert stored.sections[0].elements[1].responsible == "510802"  # 利州区, by name
    assert count(world, TaskElement) == 11


def test_import_problems_are_named_by_row_and_column(world: Session) -> None:
    june = "2026-06-30"
    data = workbook_of(
        ["title 方案名称", " "],  # row 1
        ["period_end 结束日期", date(2026, 12, 31)],  # no first day
        HEADER,
        [None, None, "0", "专题之外的专项", "0.1", "x", "510802", june],  # row 4
        ["一", "专题一", "1", "专项一", "1.1", "", "510899", june],
        [None, None, None, None, "1.2", "期外", "510802", "2027-01-15"],
        [None, None, None, None, "1.3", "没有时限", "嘉陵街道", None],
        [None, None, None, None, "1.4", "上级单位", "四川省", june],
    )
    with pytest.raises(DomainError) as error:
        import_plan(world, actor(world, "gy-office"), node(world, "510800"), data)
    assert problems_of(error) == [
        ("file.rows.1.title", ErrorCode.REQUIRED),
        ("file.period_start", ErrorCode.REQUIRED),
        ("file.rows.4.project_code", ErrorCode.INVALID),
        ("file.rows.5.title", ErrorCode.REQUIRED),
        ("file.rows.7.deadline", ErrorCode.REQUIRED),
        ("file.rows.5.responsible", ErrorCode.INVALID),
        ("file.rows.8.responsible", ErrorCode.INVALID),
    ]
    messages = {p.field: p.message for p in error.value.problems}
    assert messages["file.rows.5.responsible"] == "no unit 510899 under 510800"
    assert messages["file.rows.8.responsible"] == "no unit 四川省 under 510800"

    # With a first day, deadlines are checked against the period too.
    dated = workbook_of(
        ["title 方案名称", "清单"],
        ["period_start 开始日期", date(2026, 1, 1)],
        ["period_end 结束日期", date(2026, 12, 31)],
        HEADER,
        ["一", "专题一", None, None, "1.1", "期外", "510802", "2027-01-15"],
        [None, None, None, None, "1.2", "期内", "510802", june],
        [None, None, None, None, "1.3", "重复", "510802", june],
    )
    with pytest.raises(DomainError) as error:
        import_plan(world, actor(world, "gy-office"), node(world, "510800"), dated)
    assert problems_of(error) == [("file.rows.5.deadline", ErrorCode.INVALID)]
    assert count(world, ActionPlan) == 0


def test_only_offices_of_the_owner_import(world: Session) -> None:
    add_sichuan_users(world)
    with pytest.raises(DomainError) as error:
        import_plan(world, actor(world, "jiange-clerk"), node(world, "510800"), b"not a workbook")
    assert problems_of(error) == [("ownerNodeId", ErrorCode.PERMISSION_DENIED)]


# --- export in one pass ------------------------------------------------------------------------


def test_a_large_plan_comes_back_identical() -> None:
    plan = big_plan(600)
    assert read_plan(export_plan(plan)) == plan


# --- hostile workbooks: refused, and nothing issued --------------------------------------------

PART = "xl/worksheets/sheet1.xml"


def plan_with(rows: str, *, padding: int = 0) -> bytes:
    """The exported Guangyuan plan (16 rows) with ``rows`` of XML added below its table, after
    an XML comment of ``padding`` characters."""
    data = export_plan(GUANGYUAN)
    xml = zipfile.ZipFile(io.BytesIO(data)).read(PART).decode()
    comment = f"<!--{'x' * padding}-->" if padding else ""
    return repacked(data, {PART: xml.replace("</sheetData>", f"{comment}{rows}</sheetData>")})


def long_title() -> bytes:
    row = 50
    return plan_with(f'<row r="{row}">{text_cell(f"F{row}", "字" * 32_768)}</row>')


HOSTILE: dict[str, tuple[Callable[[], bytes], ErrorCode, str]] = {
    "a zipped 200 MB cell": (
        one_huge_cell,
        ErrorCode.TOO_LARGE,
        "the workbook unpacks to 200 MB; at most 50 MB",
    ),
    "an entity bomb": (entity_bomb, ErrorCode.INVALID, "declares a document type"),
    # Past the 16 KB read at opening: the break is met while the rows are read.
    "a sheet breaking while it is read": (
        lambda: plan_with('<row r="50"><c r="A50"></row>', padding=20_000),
        ErrorCode.INVALID,
        "not an .xlsx workbook (sheet 清单 Plan, row ",
    ),
    "a cell longer than Excel allows": (
        long_title,
        ErrorCode.TOO_LARGE,
        "cell 清单 Plan!F50 holds 32,768 characters; a cell holds at most 32,767",
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_workbook_issues_nothing(world: Session, case: str) -> None:
    build, code, message = HOSTILE[case]
    with pytest.raises(DomainError) as error:
        import_plan(world, actor(world, "gy-office"), node(world, "510800"), build())
    assert problems_of(error) == [("file", code)]
    assert message in error.value.problems[0].message
    assert (count(world, ActionPlan), count(world, TaskElement)) == (0, 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            repacked(export_plan(GUANGYUAN), {"xl/workbook.xml": b"<workbook"}),
            "not an .xlsx workbook (unclosed token: line 1, column 0)",
        ),
        (
            repacked(export_plan(GUANGYUAN), {"[Content_Types].xml": None}),
            "There is no item named '[Content_Types].xml' in the archive",
        ),
        (
            plan_with('<row r="50"><c r="A50" t="s"><v>999999</v></c></row>'),
            "list index out of range",
        ),
    ],
    ids=["broken workbook.xml", "no content types", "a shared string past the table"],
)
def test_a_broken_workbook_is_a_problem_of_the_file(data: bytes, message: str) -> None:
    with pytest.raises(DomainError) as error:
        read_plan(data)
    assert problems_of(error) == [("file", ErrorCode.INVALID)]
    assert message in error.value.problems[0].message
