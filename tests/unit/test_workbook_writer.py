"""The exports' workbook writer: text stays text, numbers and days are Excel's own, each cell
looks as its style says, read back with openpyxl as an office's Excel would open it."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from redline.workbook_writer import HEADER, NUMBER, WRAP, Book, Style


def reopened(book: Book):
    return load_workbook(io.BytesIO(book.close()))


def test_text_stays_text_without_the_characters_xml_forbids():
    book = Book()
    rows = book.sheet("Sheet")
    rows.write(["=SUM(A1:A9)", "1.10", "+1", "a\x00b\x1fc", "第一行\n第二行"])
    [row] = reopened(book)["Sheet"].iter_rows()
    assert [cell.value for cell in row] == ["=SUM(A1:A9)", "1.10", "+1", "abc", "第一行\n第二行"]
    assert {cell.data_type for cell in row} == {"s"}  # never a formula or a number
    assert {cell.number_format for cell in row} == {"@"}  # and Excel keeps it text when edited


def test_a_text_longer_than_a_cell_holds_is_cut_where_excel_cuts_it():
    book = Book()
    book.sheet("Sheet").write(["字" * 40_000])
    assert reopened(book)["Sheet"]["A1"].value == "字" * 32_767


def test_numbers_days_and_moments_are_excel_numbers_with_their_formats():
    book = Book()
    rows = book.sheet("Sheet")
    moment = datetime(2026, 12, 5, 9, 30)
    rows.write([Decimal("10.0000"), Decimal("2.5"), 7, 0.25, True, date(2026, 3, 1), moment])
    sheet = reopened(book)["Sheet"]
    values = [cell.value for cell in sheet[1]]
    assert values == [10, 2.5, 7, 0.25, True, datetime(2026, 3, 1), moment]
    assert type(values[0]) is int  # a whole Decimal is a whole number
    assert sheet["F1"].number_format == "yyyy-mm-dd"
    assert sheet["G1"].number_format == "yyyy-mm-dd hh:mm"


def test_a_style_says_how_a_cell_looks_and_its_own_number_format_wins():
    book = Book()
    rows = book.sheet("Sheet")
    shaded = Style(fill="C6EFCE", number_format=NUMBER, unlocked=True)
    rows.write(["header", Decimal("87.5"), date(2026, 1, 2)], [HEADER, shaded, Style(bold=True)])
    rows.write([None, None, None], [None, shaded])  # a blank with a style is still written
    rows.write(["wrapped"], WRAP)  # one style for the whole row
    sheet = reopened(book)["Sheet"]
    assert sheet["A1"].font.bold and sheet["A1"].fill.fgColor.rgb == "FFDDEBF7"
    assert sheet["B1"].number_format == NUMBER and sheet["B1"].fill.fgColor.rgb == "FFC6EFCE"
    assert sheet["B1"].protection.locked is False
    assert sheet["C1"].font.bold and sheet["C1"].number_format == "yyyy-mm-dd"
    assert sheet["B2"].fill.fgColor.rgb == "FFC6EFCE" and sheet["B2"].value is None
    assert sheet["A2"].fill.fill_type is None and sheet["A2"].protection.locked is True
    assert sheet["A3"].alignment.wrap_text and sheet["A3"].alignment.vertical == "top"


def test_one_format_serves_every_cell_of_a_style():
    book = Book()
    assert book.format(HEADER) is book.format(Style(bold=True, fill="DDEBF7"))
    assert book.format(HEADER, "@") is not book.format(HEADER)
    assert book.format(None) is None  # a plain cell needs none


def test_rows_are_numbered_as_excel_shows_them_and_sheets_keep_their_layout():
    book = Book()
    rows = book.sheet("排名 League table")
    assert rows.write(["title"]) == 1
    rows.skip()
    header = rows.header(["a", "b"], [7, 40])
    assert header == 3
    rows.height(header, 30)
    rows.freeze(header, 2)
    sheet = reopened(book)["排名 League table"]
    assert sheet["A3"].value == "a" and sheet["A3"].font.bold
    assert sheet.freeze_panes == "C4"
    assert sheet.column_dimensions["B"].width == pytest.approx(40, abs=1)
    assert sheet.row_dimensions[3].height == 30


def test_a_value_no_cell_holds_is_refused():
    book = Book()
    with pytest.raises(TypeError, match="no cell for a dict"):
        book.sheet("Sheet").write([{"a": 1}])
