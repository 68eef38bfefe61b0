"""A self-assessment out to Excel and back in, on both backends: the workbook is typed and
guarded, a filled-in one scores as the form would, every bad cell is named by sheet, cell and
reason, a workbook of another template, assessment or version is refused, and nothing is saved
when anything is wrong."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode
from scoring.assessments.entries import EntryInput, save_entries, submit
from scoring.assessments.excel import (
    COLUMNS,
    GREY_FILL,
    KEY_SHEET,
    SHEET,
    export_self_assessment,
    import_self_assessment,
)
from scoring.assessments.models import Assessment, AssessmentState, Cycle, Entry
from scoring.assessments.review import ReviewInput, review_entries
from scoring.assessments.scorecards import scorecards
from scoring.templates.models import TemplateItem, ValueSource
from tests.factories.assessments import assessment_of, full_entries, open_sample_cycle
from tests.factories.templates import INDICATOR_CODES, published_template
from tests.factories.tenants import actor, node
from tests.factories.workbooks import edited

D = Decimal
LETTER = {c.key: chr(ord("A") + i) for i, c in enumerate(COLUMNS)}


def rows_by_code(sheet) -> dict[tuple[str, str | None], int]:
    """Each indicator's row (code, None) and each clause row (code, key) of the sheet."""
    found: dict[tuple[str, str | None], int] = {}
    for number in range(4, sheet.max_row + 1):
        code = sheet[f"{LETTER['code']}{number}"].value
        if code:
            found[(code, sheet[f"{LETTER['clause']}{number}"].value)] = number
    return found


def filled(data: bytes, cells: dict[tuple[str, str | None], dict[str, object]]) -> bytes:
    """The exported workbook with ``cells`` (by row: code and clause; by column key) written
    as a clerk types them."""

    def change(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        rows = rows_by_code(sheet)
        for row, values in cells.items():
            for key, value in values.items():
                sheet[f"{LETTER[key]}{rows[row]}"] = value

    return edited(data, change)


# The sample template's full self-assessment (``full_entries``) as a clerk types it.
FULL = {
    ("1.1", None): {"entry": 9, "note": "duty lists of 12 leaders"},
    ("1.2", None): {"entry": "是", "note": "minutes of four meetings"},
    ("1.3", "b"): {"entry": 1},
    ("2.1", None): {"entry": 90},
    ("2.2", None): {"entry": 92.0},
    ("3.1", None): {"entry": 12},
    ("3.2", None): {"entry": "是"},
    ("B.1", None): {"entry": 2},
}


def entries_of(session: Session, assessment: Assessment) -> dict[str, Entry]:
    session.expire_all()
    rows = session.scalars(select(Entry).where(Entry.assessment_id == assessment.id))
    return {session.get_one(TemplateItem, row.item_id).code: row for row in rows}


def neighbour_of(session: Session, cycle: Cycle, assessment: Assessment) -> Assessment:
    """Another township's assessment in the cycle."""
    return session.scalars(
        select(Assessment)
        .where(Assessment.cycle_id == cycle.id, Assessment.id != assessment.id)
        .order_by(Assessment.id)
    ).first()


def imported(session: Session, assessment: Assessment, data: bytes, who: str = "xjd-clerk"):
    result = import_self_assessment(
        session, actor(session, who), assessment, data, expected_version=assessment.version
    )
    session.commit()
    return result


def refusal(
    session: Session, assessment: Assessment, data: bytes, who: str = "xjd-clerk"
) -> DomainError:
    version = assessment.version
    before = {
        code: (e.points, e.value, e.done, e.counts)
        for code, e in entries_of(session, assessment).items()
    }
    with pytest.raises(DomainError) as error:
        import_self_assessment(
            session, actor(session, who), assessment, data, expected_version=version
        )
    session.rollback()
    after = {
        code: (e.points, e.value, e.done, e.counts)
        for code, e in entries_of(session, assessment).items()
    }
    assert after == before  # nothing saved
    assert session.get_one(Assessment, assessment.id).version == version
    return error.value


def messages(error: DomainError) -> list[tuple[str | None, str, ErrorCode]]:
    return [(p.field, p.message, p.code) for p in error.problems]


# --- the workbook --------------------------------------------------------------------------


def test_the_workbook_lists_every_indicator_typed_and_guarded(world: Session, xjd: Assessment):
    save_entries(world, None, xjd, full_entries(), expected_version=xjd.version)
    world.commit()
    workbook = load_workbook(io.BytesIO(export_self_assessment(world, xjd)))
    sheet = workbook[SHEET]
    assert sheet.freeze_panes == "D4"
    assert [c.value for c in sheet[3]][:5] == [
        "category 所属类别",
        "code 编码",
        "clause 扣分条款",
        "title 指标 / 条款内容",
        "requirement 考评内容",  # what the standard requires, read beside the title
    ]
    rows = rows_by_code(sheet)
    # Template order, each deduction clause on a row of its own below its indicator.
    assert (
        list(rows)
        == [
            ("1.1", None),
            ("1.2", None),
            ("1.3", None),
            ("1.3", "a"),
            ("1.3", "b"),
            ("1.3", "c"),
            ("1.3", "d"),  # a judgement: its entry is the points the assessor deducts
            *[(code, None) for code in INDICATOR_CODES[3:]],
        ]
    )

    def cell(row: tuple[str, str | None], key: str):
        return sheet[f"{LETTER[key]}{rows[row]}"]

    assert cell(("1.1", None), "category").value == "1 责任体系 Responsibility system"
    assert cell(("1.1", None), "max_points").value == 10  # a number, not text
    assert cell(("1.1", None), "entry").value == 9
    assert cell(("1.2", None), "entry").value == "是"
    assert cell(("2.1", None), "entry").value == 90
    assert cell(("1.3", "b"), "entry").value == 1
    assert cell(("1.3", "a"), "entry").value == 0
    assert cell(("1.3", "c"), "title").value == "deduct 2 per missing unit"
    assert cell(("1.1", None), "self_points").value == 9
    assert cell(("1.3", None), "self_points").value == 9
    assert cell(("1.1", None), "reviewed_points").value is None  # not reviewed yet
    assert cell(("1.1", None), "not_applicable").value == "否"
    # Read-only cells are grey and locked; the ones to fill in are not locked.
    assert cell(("1.1", None), "self_points").fill.fgColor.rgb == f"FF{GREY_FILL}"
    assert cell(("1.3", None), "entry").fill.fgColor.rgb == f"FF{GREY_FILL}"
    assert cell(("1.1", None), "entry").protection.locked is False
    assert cell(("1.1", None), "code").protection.locked is True
    assert sheet.protection.sheet is True
    # Data validation: 是/否 lists, points within the maximum, whole counts.
    kinds = {(v.type, v.formula1, v.formula2) for v in sheet.data_validations.dataValidation}
    assert ("list", '"是,否"', None) in kinds
    assert ("decimal", "0", "10") in kinds
    assert ("whole", "0", None) in kinds
    key = workbook[KEY_SHEET]
    assert key.sheet_state == "veryHidden"
    cycle = world.get_one(Cycle, xjd.cycle_id)
    assert [[c.value for c in row] for row in key.iter_rows()] == [
        ["assessment", xjd.id],
        ["version", xjd.version],
        ["template", cycle.template_id],
    ]


def test_reviewed_points_and_reasons_are_shown(world: Session, xjd: Assessment):
    save_entries(world, None, xjd, full_entries(), expected_version=xjd.version)
    submit(world, None, xjd, expected_version=xjd.version)
    review_entries(
        world,
        None,
        xjd,
        [ReviewInput("1.1", points=D(7), reason="two duty lists unsigned")],
        expected_version=xjd.version,
    )
    world.commit()
    sheet = load_workbook(io.BytesIO(export_self_assessment(world, xjd)))[SHEET]
    rows = rows_by_code(sheet)
    assert sheet[f"{LETTER['reviewed_points']}{rows[('1.1', None)]}"].value == 7
    assert sheet[f"{LETTER['review_reason']}{rows[('1.1', None)]}"].value == (
        "two duty lists unsigned"
    )
    assert sheet[f"{LETTER['self_points']}{rows[('1.1', None)]}"].value == 9


# --- round trip ----------------------------------------------------------------------------


def test_a_filled_in_workbook_scores_as_the_form_would(world: Session, cycle: Cycle):
    xjd = assessment_of(world, cycle, "330402901")
    other = neighbour_of(world, cycle, xjd)
    na = EntryInput("3.1", not_applicable=True, not_applicable_reason="no coal mine")
    form = full_entries(e3_1=na, e1_3=EntryInput("1.3", counts={"b": 1, "c": 2}))
    save_entries(world, None, other, form, expected_version=other.version)
    world.commit()

    data = filled(
        export_self_assessment(world, xjd),
        {
            **FULL,
            ("1.3", "c"): {"entry": 2},
            ("3.1", None): {"entry": None, "not_applicable": "是", "reason": "no coal mine"},
        },
    )
    imported(world, xjd, data)
    entries = entries_of(world, xjd)
    assert entries["1.1"].points == 9 and entries["1.1"].note == "duty lists of 12 leaders"
    assert entries["1.2"].done is True
    assert entries["1.3"].counts == {"b": 1, "c": 2}  # the zero count of "a" is not kept
    assert entries["2.2"].value == 92
    assert entries["3.1"].not_applicable is True
    assert entries["3.1"].not_applicable_reason == "no coal mine"
    assert entries["B.2"].points is None
    mine, theirs = scorecards(world, xjd).self_card, scorecards(world, other).self_card
    assert mine.total == theirs.total
    assert {c: s.points for c, s in mine.indicators.items()} == {
        c: s.points for c, s in theirs.indicators.items()
    }

    # Exported again, the workbook shows what was imported, and imports to the same.
    again = export_self_assessment(world, xjd)
    sheet = load_workbook(io.BytesIO(again))[SHEET]
    rows = rows_by_code(sheet)
    assert sheet[f"{LETTER['entry']}{rows[('1.3', 'c')]}"].value == 2
    assert sheet[f"{LETTER['not_applicable']}{rows[('3.1', None)]}"].value == "是"
    imported(world, xjd, again)
    assert scorecards(world, xjd).self_card.total == theirs.total


def test_the_sample_cycle_full_entries_round_trip(world: Session, xjd: Assessment):
    imported(world, xjd, filled(export_self_assessment(world, xjd), FULL))
    assert scorecards(world, xjd).self_card.total == D("91")  # full_entries' total


def test_a_row_taken_out_keeps_its_entry(world: Session, xjd: Assessment):
    save_entries(world, None, xjd, full_entries(), expected_version=xjd.version)
    world.commit()

    def drop(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        sheet.delete_rows(rows_by_code(sheet)[("1.1", None)])
        sheet[f"{LETTER['entry']}{rows_by_code(sheet)[('1.2', None)]}"] = "否"

    imported(world, xjd, edited(export_self_assessment(world, xjd), drop))
    entries = entries_of(world, xjd)
    assert entries["1.1"].points == 9
    assert entries["1.2"].done is False


def test_columns_taken_out_leave_the_cells_named_where_they_are(world: Session, xjd: Assessment):
    data = filled(export_self_assessment(world, xjd), {**FULL, ("1.1", None): {"entry": "nine"}})

    def narrow(workbook: Workbook) -> None:
        sheet = workbook[SHEET]
        number = rows_by_code(sheet)[("1.1", None)]
        sheet.delete_cols(9)  # how 填报说明
        sheet.delete_cols(5)  # requirement 考评内容
        sheet.delete_cols(1)  # category 所属类别: entry moves from H to F
        assert sheet[f"F{number}"].value == "nine"

    error = refusal(world, xjd, edited(data, narrow))
    row = rows_by_code(load_workbook(io.BytesIO(data))[SHEET])[("1.1", None)]
    assert [p.message.split(": ")[0] for p in error.problems] == [f"{SHEET}!F{row}"]


# --- refusals ------------------------------------------------------------------------------


def test_every_bad_cell_is_named_by_sheet_cell_and_reason(world: Session, xjd: Assessment):
    save_entries(world, None, xjd, full_entries(), expected_version=xjd.version)
    world.commit()
    data = export_self_assessment(world, xjd)
    rows = rows_by_code(load_workbook(io.BytesIO(data))[SHEET])

    def at(code: str, clause: str | None, key: str) -> str:
        return f"{SHEET}!{LETTER[key]}{rows[(code, clause)]}: "

    bad = filled(
        data,
        {
            ("1.1", None): {"entry": "nine"},  # unreadable
            ("1.2", None): {"entry": 5},  # a number for 是/否
            ("1.3", None): {"entry": 3},  # the indicator row of a deduction
            ("1.3", "b"): {"entry": 1.5},  # not a whole count
            ("2.1", None): {"not_applicable": "maybe"},
            ("3.2", None): {"code": "9.9"},  # unknown code
            ("B.1", None): {"clause": "a"},  # a clause of a non-deduction indicator
        },
    )
    problems = messages(refusal(world, xjd, bad))
    assert all(field == "file" for field, _, _ in problems)
    assert [(m.split(": ")[0] + ": ", code) for _, m, code in problems] == [
        (at("1.1", None, "entry"), ErrorCode.INVALID),
        (at("1.2", None, "entry"), ErrorCode.INVALID),
        (at("1.3", None, "entry"), ErrorCode.INVALID),
        (at("1.3", "b", "entry"), ErrorCode.INVALID),
        (at("2.1", None, "not_applicable"), ErrorCode.INVALID),
        (at("3.2", None, "code"), ErrorCode.INVALID),
        (at("B.1", None, "clause"), ErrorCode.INVALID),
    ]
    text = " | ".join(m for _, m, _ in problems)
    assert "the points of 1.1 must be a number, not 'nine'" in text
    assert "write 是 or 否, not '5'" in text
    assert "scored by deduction: enter the count of each clause" in text
    assert "the template has no indicator '9.9'" in text


def test_the_services_rules_are_named_by_cell(world: Session, xjd: Assessment):
    data = export_self_assessment(world, xjd)
    rows = rows_by_code(load_workbook(io.BytesIO(data))[SHEET])
    bad = filled(
        data,
        {
            **FULL,
            ("1.1", None): {"entry": 11},  # above the maximum of 10
            ("3.1", None): {"not_applicable": "是"},  # no reason
        },
    )
    problems = messages(refusal(world, xjd, bad))
    assert [(f, m.split(": ")[0], c) for f, m, c in problems] == [
        ("file", f"{SHEET}!{LETTER['entry']}{rows[('1.1', None)]}", ErrorCode.INVALID),
        ("file", f"{SHEET}!{LETTER['reason']}{rows[('3.1', None)]}", ErrorCode.REQUIRED),
    ]


def test_a_workbook_of_another_template_or_assessment_is_refused(world: Session, cycle: Cycle):
    xjd = assessment_of(world, cycle, "330402901")
    neighbour = neighbour_of(world, cycle, xjd)
    theirs = filled(export_self_assessment(world, neighbour), FULL)
    error = refusal(world, xjd, theirs)
    assert messages(error) == [
        (
            "file",
            "the workbook is the self-assessment of another unit or cycle: download this "
            "assessment's workbook and fill that one in",
            ErrorCode.INVALID,
        )
    ]
    # A cycle of Jiaxing's townships on a template of its own.
    other_template = published_template(world, node(world, "330000"), code="zj-other")
    other_cycle = open_sample_cycle(
        world, owner_code="330400", template=other_template, name="another"
    )
    world.commit()
    foreign = export_self_assessment(world, assessment_of(world, other_cycle, "330402901"))
    error = refusal(world, xjd, foreign)
    assert "another template" in error.problems[0].message
    assert error.problems[0].field == "file"


def test_a_workbook_exported_before_a_later_save_is_a_conflict(world: Session, xjd: Assessment):
    data = filled(export_self_assessment(world, xjd), FULL)
    save_entries(world, None, xjd, full_entries(), expected_version=xjd.version)
    world.commit()
    error = refusal(world, xjd, data)
    assert [(p.field, p.code) for p in error.problems] == [("file", ErrorCode.CONFLICT)]
    assert "download it again" in error.problems[0].message


def test_a_stale_expected_version_is_a_conflict(world: Session, xjd: Assessment):
    data = filled(export_self_assessment(world, xjd), FULL)
    with pytest.raises(DomainError) as error:
        import_self_assessment(
            world, actor(world, "xjd-clerk"), xjd, data, expected_version=xjd.version - 1
        )
    assert [(p.field, p.code) for p in error.value.problems] == [
        ("expectedVersion", ErrorCode.CONFLICT)
    ]


def test_a_key_taken_out_or_damaged_is_refused(world: Session, xjd: Assessment):
    data = filled(export_self_assessment(world, xjd), FULL)

    def damage(workbook: Workbook) -> None:
        workbook[KEY_SHEET]["B1"] = "x"

    def remove(workbook: Workbook) -> None:
        del workbook[KEY_SHEET]

    for change, words in ((damage, "is damaged"), (remove, "has lost its key")):
        error = refusal(world, xjd, edited(data, change))
        assert words in error.problems[0].message
        assert error.problems[0].field == "file"


@pytest.mark.parametrize(
    "data, words",
    [
        (b"not a workbook", "not an .xlsx workbook"),
        (None, "has no sheet '自评 Self-assessment'"),
    ],
)
def test_a_file_that_is_not_the_workbook_is_refused(
    world: Session, xjd: Assessment, data: bytes | None, words: str
):
    if data is None:
        book = Workbook()
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
    error = refusal(world, xjd, data)
    assert error.problems[0].field == "file"
    assert words in error.problems[0].message


def test_only_the_units_submitters_import(world: Session, xjd: Assessment):
    data = filled(export_self_assessment(world, xjd), FULL)
    for who in ("qixing-clerk", "nanhu-office"):
        error = refusal(world, xjd, data, who)
        assert error.problems[0].code in (ErrorCode.PERMISSION_DENIED, ErrorCode.NOT_FOUND)


def test_a_submitted_assessment_takes_no_import(world: Session, xjd: Assessment):
    save_entries(world, None, xjd, full_entries(), expected_version=xjd.version)
    submit(world, None, xjd, expected_version=xjd.version)
    world.commit()
    data = filled(export_self_assessment(world, xjd), FULL)
    error = refusal(world, xjd, data)
    assert error.problems[0].code is not ErrorCode.CONFLICT
    assert error.problems[0].field == "assessmentId"


# --- the demo ------------------------------------------------------------------------------


def self_inputs(session: Session, assessment: Assessment) -> dict[str, tuple[object, ...]]:
    """The unit's own inputs of its self-scored indicators, by code."""
    session.expire_all()
    found = {}
    for entry in session.scalars(select(Entry).where(Entry.assessment_id == assessment.id)):
        item = session.get_one(TemplateItem, entry.item_id)
        if item.source == ValueSource.SELF.value:
            found[item.code] = (
                entry.points,
                entry.value,
                entry.done,
                entry.counts,
                entry.not_applicable,
                entry.not_applicable_reason,
                entry.note,
            )
    return found


def test_the_demos_open_assessments_import_their_own_workbooks_unchanged(read_only_demo: Session):
    """The demo's draft and returned assessments (real templates: ledger-fed indicators, local
    categories, deduction clauses) read back from their own workbooks as they stand."""
    session = read_only_demo
    open_ones = list(
        session.scalars(
            select(Assessment)
            .where(Assessment.state.in_([AssessmentState.DRAFT, AssessmentState.RETURNED]))
            .order_by(Assessment.id)
        )
    )
    assert open_ones
    for assessment in open_ones[:10]:
        before = scorecards(session, assessment).self_card.total
        inputs = self_inputs(session, assessment)
        data = export_self_assessment(session, assessment)
        import_self_assessment(session, None, assessment, data, expected_version=assessment.version)
        assert scorecards(session, assessment).self_card.total == before, assessment.id
        after = self_inputs(session, assessment)
        assert {code: after.get(code) for code in inputs} == inputs, assessment.id
