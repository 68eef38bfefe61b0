"""Grading standards in an office's own layout, built from the team's national-layout corpus
(tests/fixtures/national_criteria.tsv): an .xlsx with merged element cells and a .csv."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

CORPUS = Path(__file__).parent.parent / "fixtures" / "national_criteria.tsv"
HEADINGS = ("一级要素", "二级要素", "考评内容", "标准分值", "评分标准", "考评方法", "实得分")
SHEET = "评定标准"


@dataclass(frozen=True)
class Row:
    """One item of the corpus with the sub-element the office files it under."""

    element: str
    subelement: str
    code: str
    points: Decimal
    criteria: str

    @property
    def requirement(self) -> str:
        where = self.subelement or self.element
        return f"{where}第{self.code}项：按照有关规定建立并落实相应要求，留存相关记录。"


def corpus() -> list[Row]:
    """The corpus's items; elements with more than six items split into two sub-elements, the
    others have none (so an element without sub-elements follows one with them)."""
    with CORPUS.open(encoding="utf-8") as handle:
        lines = list(csv.DictReader(handle, delimiter="\t"))
    rows = []
    for line in lines:
        element = line["element"]
        siblings = [other for other in lines if other["element"] == element]
        position = siblings.index(line)
        subelement = ""
        if len(siblings) > 9:
            subelement = f"{element}管理" if position < len(siblings) // 2 else f"{element}实施"
        rows.append(
            Row(element, subelement, line["code"], Decimal(line["max_points"]), line["criteria"])
        )
    return rows


def element_points(rows: list[Row]) -> dict[str, Decimal]:
    points: dict[str, Decimal] = {}
    for row in rows:
        points[row.element] = points.get(row.element, Decimal(0)) + row.points
    return points


def _cells(rows: list[Row], stated: dict[str, Decimal]) -> Iterator[tuple[object, ...]]:
    """The table as an office writes it: element and sub-element only on their first row."""
    above = ("", "")
    for number, row in enumerate(rows):
        element = f"{list(stated).index(row.element) + 1}.{row.element}（{stated[row.element]}分）"
        first = (row.element, row.subelement) != above
        new_element = row.element != above[0]
        above = (row.element, row.subelement)
        yield (
            element if new_element else None,
            row.subelement if first and row.subelement else None,
            row.requirement,
            int(row.points) if row.points == int(row.points) else row.points,
            row.criteria,
            "查文件和记录" if number % 2 else "现场检查",
            None,
        )


def office_workbook(
    rows: list[Row] | None = None, stated: dict[str, Decimal] | None = None
) -> bytes:
    """The standard as an .xlsx: a title row, the headings in row 2, merged element cells and a
    合计 row."""
    rows = corpus() if rows is None else rows
    stated = element_points(rows) if stated is None else stated
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(["企业安全生产标准化评定标准"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADINGS))
    sheet.append(list(HEADINGS))
    starts: dict[int, int] = {}
    for cells in _cells(rows, stated):
        sheet.append(list(cells))
        if cells[0] is not None:
            starts[sheet.max_row] = 1
        if cells[1] is not None:
            starts.setdefault(sheet.max_row, 2)
    _merge_runs(sheet, column=1)
    _merge_runs(sheet, column=2)
    sheet.append(["合计", None, None, int(sum(r.points for r in rows)), None, None, None])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _merge_runs(sheet, column: int) -> None:
    """Merge each filled cell of a column with the blank cells below it, up to the next filled
    cell of this column or of a column to its left (a sub-element ends with its element)."""
    last = sheet.max_row

    def filled(row: int, columns: range) -> bool:
        return any(sheet.cell(row=row, column=c).value is not None for c in columns)

    starts = [r for r in range(3, last + 1) if filled(r, range(column, column + 1))]
    for start in starts:
        end = start + 1
        while end <= last and not filled(end, range(1, column + 1)):
            end += 1
        if end - 1 > start:
            sheet.merge_cells(
                start_row=start, start_column=column, end_row=end - 1, end_column=column
            )


def office_csv(rows: list[Row] | None = None, encoding: str = "gb18030") -> bytes:
    """The standard as Excel saves it to .csv: headings first, merged cells as blanks."""
    rows = corpus() if rows is None else rows
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    for cells in _cells(rows, element_points(rows)):
        writer.writerow(["" if c is None else c for c in cells])
    return out.getvalue().encode(encoding)
