"""Workbooks: written from rows, edited as an office would, repacked, and hostile ones."""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Callable

from openpyxl import Workbook, load_workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"


def workbook_of(*rows: list[object], merged: tuple[str, ...] = ()) -> bytes:
    """A one-sheet workbook (sheet "Sheet") of ``rows`` (row 1 first), with ``merged`` ranges
    of cells, as openpyxl writes it."""
    book = Workbook()
    for values in rows:
        book.active.append(values)
    for cells in merged:
        book.active.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def edited(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    """The workbook ``data`` after ``change`` (as an office edits an exported one), saved."""
    workbook = load_workbook(io.BytesIO(data))
    change(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def repacked(data: bytes, parts: dict[str, bytes | None]) -> bytes:
    """The workbook with some parts replaced (or added), and those given as None left out."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name not in parts:
                target.writestr(name, source.read(name))
        for name, content in parts.items():
            if content is not None:
                target.writestr(name, content)
    return buffer.getvalue()


def sheet_xml(rows: str, *, before: str = "", prologue: str = "") -> bytes:
    """A worksheet part: ``prologue`` before its root, ``before`` ahead of its rows."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prologue}'
        f'<worksheet xmlns="{MAIN}">{before}<sheetData>{rows}</sheetData></worksheet>'
    ).encode()


def text_cell(ref: str, text: str) -> str:
    """An inline-string cell of a worksheet part."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def with_sheet(xml: bytes) -> bytes:
    """A workbook whose one sheet is ``xml``."""
    return repacked(workbook_of(["x"]), {SHEET: xml})


@functools.cache
def one_huge_cell(megabytes: int = 200) -> bytes:
    """A workbook of one sheet holding one cell of ``megabytes`` MB of "a": about 200 KB
    zipped. Written as a stream, so building it never holds the cell."""
    source = zipfile.ZipFile(io.BytesIO(workbook_of(["x"])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name != SHEET:
                target.writestr(name, source.read(name))
        with target.open(SHEET, "w") as sheet:
            head, tail = sheet_xml(text_cell("A1", "\0")).split(b"\0")
            sheet.write(head)
            chunk = b"a" * 2**20
            for _ in range(megabytes):
                sheet.write(chunk)
            sheet.write(tail)
    return buffer.getvalue()


def entity_bomb() -> bytes:
    """The billion laughs: entities of ten entities each, nine deep (a billion "lol"s), in a
    cell of the sheet."""
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10)
    )
    return with_sheet(
        sheet_xml(
            f'<row r="1">{text_cell("A1", "&l9;")}</row>',
            prologue=f"<!DOCTYPE worksheet [{entities}]>",
        )
    )
