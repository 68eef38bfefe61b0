"""The one writer of the .xlsx workbooks the product exports: rows written in order through
XlsxWriter, each cell's look given as a :class:`Style` as it is written.

XlsxWriter writes a workbook two to three times faster than openpyxl did (a 2,000-item
template: 0.20 s against 0.51 s; bench/RESULTS.md) because it never builds a model of the
workbook to serialise: a cell is written once, with its format, which cannot change after.
So the writers here say how a cell looks when they write it (``styles``, one per column, or
for the whole row), never after. openpyxl stays the reader of uploads
(:mod:`redline.workbooks`).

Text stays text (a title "=1+1" or a code "1.10" must not become a formula or a number when
the office opens the file), without the characters XML forbids, and cut at the 32,767
characters an Excel cell holds; a Decimal becomes a plain number, a day or a moment gets a
date format.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TEXT_FORMAT = "@"
NUMBER = "0.00"
# The control characters XML 1.0 forbids (tab, line feed and carriage return stay).
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Style:
    """How a cell looks. Colours are "RRGGBB"; ``unlocked`` cells take input on a protected
    sheet; ``wrap`` wraps the text and aligns it to the top, as a long cell reads best."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None
    fill: str | None = None
    wrap: bool = False
    number_format: str | None = None
    unlocked: bool = False

    def properties(self) -> dict[str, object]:
        """The style as XlsxWriter's format properties."""
        found: dict[str, object] = {}
        if self.bold:
            found["bold"] = True
        if self.italic:
            found["italic"] = True
        if self.size is not None:
            found["font_size"] = self.size
        if self.color is not None:
            found["font_color"] = f"#{self.color}"
        if self.fill is not None:
            found["pattern"] = 1
            found["bg_color"] = f"#{self.fill}"
        if self.wrap:
            found["text_wrap"] = True
            found["valign"] = "top"
        if self.number_format is not None:
            found["num_format"] = self.number_format
        if self.unlocked:
            found["locked"] = False
        return found


PLAIN = Style()
WRAP = Style(wrap=True)
BOLD = Style(bold=True)
HEADER = Style(bold=True, fill="DDEBF7")
HEADER_WRAPPED = replace(HEADER, wrap=True)
TITLE = Style(bold=True, size=14)
NOTE = Style(color="595959")

Styles = Style | Sequence[Style | None] | None


class Book:
    """A workbook being written; :meth:`close` gives its bytes."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(self._buffer, {"in_memory": True})
        self._formats: dict[tuple[Style, str | None], Format | None] = {}

    def sheet(self, name: str) -> SheetWriter:
        """A new sheet, after the others."""
        return SheetWriter(self, self.workbook.add_worksheet(name))

    def format(self, style: Style | None, number_format: str | None = None) -> Format | None:
        """The workbook's one format for ``style``, its number format defaulting to
        ``number_format`` (none for a plain cell)."""
        key = (style or PLAIN, number_format)
        if key not in self._formats:
            properties = key[0].properties()
            if number_format is not None:
                properties.setdefault("num_format", number_format)
            self._formats[key] = self.workbook.add_format(properties) if properties else None
        return self._formats[key]

    def close(self) -> bytes:
        """Finish the workbook: its bytes."""
        self.workbook.close()
        return self._buffer.getvalue()


class SheetWriter:
    """Writes a sheet row after row; rows are numbered from 1, as Excel shows them."""

    def __init__(self, book: Book, sheet: Worksheet) -> None:
        self.book = book
        self.sheet = sheet
        self.count = 0

    def write(self, values: Sequence[object], styles: Styles = None) -> int:
        """Write the next row; its number. ``styles`` is one style for every cell, or one per
        column (a shorter list leaves the rest plain). An empty cell is written only when it
        has a style of its own (a fill, an unlocked input)."""
        row = self.count
        self.count += 1
        for column, value in enumerate(values):
            if styles is None or isinstance(styles, Style):
                style = styles
            else:
                style = styles[column] if column < len(styles) else None
            self.cell(row, column, value, style)
        return self.count

    def cell(self, row: int, column: int, value: object, style: Style | None = None) -> None:
        """Write one cell at zero-based ``row`` and ``column``."""
        sheet, book = self.sheet, self.book
        if value is None:
            if style is not None and style != PLAIN:
                sheet.write_blank(row, column, None, book.format(style))
        elif isinstance(value, str):
            text = FORBIDDEN.sub("", value)
            sheet.write_string(row, column, text, book.format(style, TEXT_FORMAT))
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, value, book.format(style))
        elif isinstance(value, Decimal):
            number = int(value) if value == value.to_integral_value() else float(value)
            sheet.write_number(row, column, number, book.format(style))
        elif isinstance(value, int | float):
            sheet.write_number(row, column, value, book.format(style))
        elif isinstance(value, datetime):
            sheet.write_datetime(row, column, value, book.format(style, DATETIME_FORMAT))
        elif isinstance(value, date):
            sheet.write_datetime(row, column, value, book.format(style, DATE_FORMAT))
        else:
            raise TypeError(f"no cell for a {type(value).__name__}: {value!r}")

    def skip(self) -> None:
        """Leave the next row empty."""
        self.count += 1

    def header(self, labels: Sequence[str], widths: Sequence[float], style: Style = HEADER) -> int:
        """Write a table's header row in ``style`` and size its columns; the row's number."""
        self.widths(widths)
        return self.write(labels, style)

    def widths(self, widths: Sequence[float]) -> None:
        """The columns' widths, in characters (a CJK character takes about two)."""
        for column, width in enumerate(widths):
            self.sheet.set_column(column, column, width)

    def height(self, number: int, height: float) -> None:
        """Row ``number``'s height in points (Excel does not size a row to wrapped text)."""
        self.sheet.set_row(number - 1, height)

    def freeze(self, below: int, columns: int = 0) -> None:
        """Keep rows 1 to ``below`` and the first ``columns`` columns in sight."""
        self.sheet.freeze_panes(below, columns)
