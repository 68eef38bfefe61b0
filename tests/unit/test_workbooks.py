"""The safe way to open an uploaded workbook: hostile files (a zipped 200 MB cell, an entity
bomb, broken or missing parts, a sheet claiming every cell) are refused with a typed error
before they cost memory, and the importer's command refuses them the same way."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from redline.errors import DomainError, ErrorCode
from redline.workbooks import (
    LIMITS,
    WorkbookLimits,
    WorkbookRefused,
    open_workbook,
    sheet_rows,
)
from tenants.importer import COLUMNS, read_table
from tests.factories.workbooks import (
    SHEET,
    entity_bomb,
    one_huge_cell,
    repacked,
    sheet_xml,
    text_cell,
    with_sheet,
    workbook_of,
)


def refusal(data: bytes, limits: WorkbookLimits = LIMITS) -> WorkbookRefused:
    """Why the workbook is refused, whether at opening or while its first sheet is read."""
    with pytest.raises(WorkbookRefused) as refused:
        workbook = open_workbook(data, limits=limits)
        try:
            list(sheet_rows(workbook.worksheets[0], limits=limits))
        finally:
            workbook.close()
    return refused.value


# --- what a workbook gives ---------------------------------------------------------------------


def test_rows_come_with_the_numbers_excel_shows():
    data = workbook_of(["code", "title"], [], ["1", "甲"], [None, None], [2.0, "乙"])
    workbook = open_workbook(data)
    rows = list(sheet_rows(workbook.worksheets[0]))
    workbook.close()
    assert rows == [(1, ("code", "title")), (3, ("1", "甲")), (5, (2, "乙"))]


def test_a_sheet_claiming_every_cell_reads_as_the_cells_it_has():
    # openpyxl pads every row to the declared dimension: here 16,384 columns x 1,048,576 rows.
    xml = sheet_xml(
        f'<row r="1">{text_cell("A1", "x")}</row><row r="9"><c r="C9"><v>3</v></c></row>',
        before='<dimension ref="A1:XFD1048576"/>',
    )
    workbook = open_workbook(with_sheet(xml))
    assert list(sheet_rows(workbook.worksheets[0])) == [(1, ("x",)), (9, (None, None, 3))]


def test_a_cell_as_long_as_excel_allows_reads():
    longest = "字" * LIMITS.cell_characters
    workbook = open_workbook(workbook_of(["title"], [longest]))
    assert list(sheet_rows(workbook.worksheets[0]))[1] == (2, (longest,))


def test_the_kernel_codes_are_error_codes():
    assert {ErrorCode(code) for code in ("too_large", "invalid")} == {
        ErrorCode.TOO_LARGE,
        ErrorCode.INVALID,
    }


# --- too large ---------------------------------------------------------------------------------


def test_a_zipped_200_mb_cell_is_refused_before_it_is_unpacked():
    data = one_huge_cell(200)
    assert len(data) < 300_000
    tracemalloc.start()
    try:
        refused = refusal(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (refused.field, refused.code) == ("file", "too_large")
    assert refused.message == "the workbook unpacks to 200 MB; at most 50 MB"
    assert peak < 5 * 2**20  # the upload, not its cell


def long_cell(header: list[str], ref: str, characters: int) -> bytes:
    """A workbook of a header row and one cell of ``characters`` characters: written as XML,
    since openpyxl cuts what it writes to Excel's limit (but not what it reads)."""
    cells = "".join(text_cell(f"{chr(65 + n)}1", title) for n, title in enumerate(header))
    rows = f'<row r="1">{cells}</row><row r="2">{text_cell(ref, "字" * characters)}</row>'
    return with_sheet(sheet_xml(rows))


def test_a_cell_longer_than_excel_allows_is_refused_by_its_cell():
    refused = refusal(long_cell(["code", "title"], "B2", LIMITS.cell_characters + 1))
    assert (refused.field, refused.code, refused.cell) == ("file", "too_large", "Sheet!B2")
    assert refused.message == "cell Sheet!B2 holds 32,768 characters; a cell holds at most 32,767"


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (
            replace(LIMITS, unpacked_bytes=100_000),
            r"the workbook unpacks to 1\.0 MB; at most 0\.1 MB",
        ),
        (
            replace(LIMITS, part_bytes=500_000),
            r"xl/worksheets/sheet1\.xml unpacks to 1\.0 MB; a part may unpack to at most 0\.5 MB",
        ),
        (
            replace(LIMITS, ratio_from_bytes=1_000),  # 1 MB of one letter deflates ~900 times
            r"xl/worksheets/sheet1\.xml unpacks to [5-9]\d\d times its packed size; real "
            r"workbooks stay below 100 times",
        ),
        (replace(LIMITS, parts=5), r"the workbook has 9 parts; at most 5"),
        (
            replace(LIMITS, ratio=1_000, tags=50),
            r"the workbook holds more than 50 XML tags \(by .+\); at most 50",
        ),
    ],
)
def test_each_limit_refuses_with_its_figure(limits: WorkbookLimits, message: str):
    refused = refusal(one_huge_cell(1), limits)
    assert (refused.field, refused.code) == ("file", "too_large")
    assert re.fullmatch(message, refused.message), refused.message


def test_the_list_of_parts_is_sized_before_it_is_read():
    # zipfile turns every entry of the list into an object before the parts can be counted.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(5_000):
            archive.writestr(f"{number}", b"")
    refused = refusal(buffer.getvalue(), replace(LIMITS, parts=100))
    assert refused.code == "too_large"
    assert refused.message == "the workbook's list of parts takes 0.2 MB: far more than 100 parts"


def test_a_row_past_the_last_row_of_excel_is_refused():
    # openpyxl yields every missing row before it: two billion of them took 132 s.
    xml = sheet_xml(f'<row r="2000000000">{text_cell("A2000000000", "x")}</row>')
    refused = refusal(with_sheet(xml))
    assert refused.code == "invalid"
    assert "past row 1,048,576" in refused.message


def test_rows_reaching_far_columns_count_every_cell_up_to_theirs():
    rows = "".join(f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>' for n in range(1, 100))
    refused = refusal(with_sheet(sheet_xml(rows)), replace(LIMITS, cells=100_000))
    assert refused.code == "too_large"
    assert refused.message.startswith("sheet Sheet holds more than 100,000 cells by row 7 ")


# --- not a workbook ----------------------------------------------------------------------------


def test_an_entity_bomb_is_refused_before_it_is_parsed():
    refused = refusal(entity_bomb())
    assert (refused.field, refused.code) == ("file", "invalid")
    assert "xl/worksheets/sheet1.xml declares a document type" in refused.message


def test_a_document_type_in_utf_16_is_refused_too():
    xml = sheet_xml("", prologue='<!DOCTYPE worksheet [<!ENTITY a "b">]>')
    utf16 = xml.replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16")
    assert "declares a document type" in refusal(with_sheet(utf16)).message


def _damaged(data: bytes) -> bytes:
    """The workbook with bytes of its sheet's compressed data changed (its checksum fails)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    return data[:middle] + bytes(b ^ 0x55 for b in data[middle : middle + 8]) + data[middle + 8 :]


def _without_sheets(data: bytes) -> bytes:
    book = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml").decode()
    head, _, rest = book.partition("<sheets>")
    return repacked(data, {"xl/workbook.xml": (head + rest.partition("</sheets>")[2]).encode()})


BROKEN = {
    "not a zip": (b"code,title\n1,x\n", "not an .xlsx workbook (not a zip archive)"),
    "a broken workbook.xml": (
        repacked(workbook_of(["x"]), {"xl/workbook.xml": b"<workbook"}),
        "not an .xlsx workbook (unclosed token",
    ),
    "no workbook.xml": (
        repacked(workbook_of(["x"]), {"xl/workbook.xml": None}),
        "not an .xlsx workbook (\"There is no item named 'xl/workbook.xml'",
    ),
    "no content types": (
        repacked(workbook_of(["x"]), {"[Content_Types].xml": None}),
        "not an .xlsx workbook (",
    ),
    "no sheet part": (repacked(workbook_of(["x"]), {SHEET: None}), "the workbook has no sheet"),
    "no sheets": (_without_sheets(workbook_of(["x"])), "the workbook has no sheet"),
    "damaged data": (
        _damaged(workbook_of(*[[f"row {n}"] * 5 for n in range(2_000)])),
        "not an .xlsx workbook (xl/worksheets/sheet1.xml is damaged",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_workbook_is_refused_as_invalid(case: str):
    data, message = BROKEN[case]
    refused = refusal(data)
    assert (refused.field, refused.code) == ("file", "invalid")
    assert refused.message.startswith(message)


def test_a_sheet_breaking_while_it_is_read_is_refused():
    # Opening reads a sheet up to its dimension (the first 16 KB): a break further down
    # surfaces row by row.
    rows = "".join(f'<row r="{n}">{text_cell(f"A{n}", "x" * 100)}</row>' for n in range(1, 500))
    broken = sheet_xml(rows + '<row r="500"><c r="A500"></row>', before='<dimension ref="A1"/>')
    workbook = open_workbook(with_sheet(broken))
    lines = sheet_rows(workbook.worksheets[0], field="input.file")
    assert next(lines)[0] == 1
    with pytest.raises(WorkbookRefused) as refused:
        list(lines)
    assert (refused.value.field, refused.value.code) == ("input.file", "invalid")
    assert refused.value.message.startswith("not an .xlsx workbook (sheet Sheet, row ")
    assert "mismatched tag" in refused.value.message


def test_a_shared_string_past_the_table_is_refused():
    refused = refusal(with_sheet(sheet_xml('<row r="1"><c r="A1" t="s"><v>99</v></c></row>')))
    assert refused.code == "invalid"
    assert refused.message == (
        "not an .xlsx workbook (sheet Sheet, row 1 or below: list index out of range)"
    )


# --- the importer's command refuses them the same way -----------------------------------------


def _imported(tmp_path: Path, data: bytes) -> tuple[str | None, str, ErrorCode]:
    path = tmp_path / "places.xlsx"
    path.write_bytes(data)
    with pytest.raises(DomainError) as error:
        read_table(path)
    [problem] = error.value.problems
    return problem.field, problem.message, problem.code


def test_the_importer_refuses_a_zipped_200_mb_cell(tmp_path: Path):
    assert _imported(tmp_path, one_huge_cell(200)) == (
        "file",
        "places.xlsx: the workbook unpacks to 200 MB; at most 120 MB",
        ErrorCode.TOO_LARGE,
    )


@pytest.mark.parametrize("case", ["not a zip", "a broken workbook.xml", "no sheets"])
def test_the_importer_refuses_a_broken_workbook(tmp_path: Path, case: str):
    field, message, code = _imported(tmp_path, BROKEN[case][0])
    assert (field, code) == ("file", ErrorCode.INVALID)
    assert message.startswith(f"places.xlsx is not a readable Excel file: {BROKEN[case][1]}")


def test_the_importer_refuses_an_entity_bomb_and_a_long_cell(tmp_path: Path):
    field, message, code = _imported(tmp_path, entity_bomb())
    assert (field, code) == ("file", ErrorCode.INVALID)
    assert "declares a document type" in message
    long = long_cell(list(COLUMNS), "C2", 40_000)
    assert _imported(tmp_path, long) == (
        "file",
        "places.xlsx: cell Sheet!C2 holds 40,000 characters; a cell holds at most 32,767",
        ErrorCode.TOO_LARGE,
    )


def test_the_importer_keeps_each_rows_place(tmp_path: Path):
    path = tmp_path / "places.xlsx"
    path.write_bytes(
        workbook_of(list(COLUMNS), [], ["330000", "", "浙江省", "Zhejiang", "province", "province"])
    )
    assert [row["code"] for row in read_table(path)] == ["", "330000"]
