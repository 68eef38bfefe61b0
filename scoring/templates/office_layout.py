"""Reads a grading standard in an office's own layout (an .xlsx sheet or a .csv of elements,
requirements, points and criteria) into a template document, with the preview a person checks.

A standard of the AQ/T 9006 shape is one table: a column per level of elements (一级要素,
二级要素, sometimes 三级), the requirement (考评内容), the points (标准分值) and the criteria
(评分标准). Merged cells hold an element once for all its rows; read, the rows below are blank,
so a blank element cell takes the value above it within the same parent. A row without points
continues the item above it. The criteria are read into clauses (``criteria_text``); what the
reader cannot structure is listed, never guessed.
"""

from __future__ import annotations

import csv
import enum
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from openpyxl.utils import get_column_letter

from redline.errors import DomainError, ErrorCode, Problem
from redline.inputs import AMOUNT_LIMIT
from redline.workbooks import WorkbookRefused, open_workbook, sheet_rows
from scoring.engine import Method
from scoring.engine.words import Language
from scoring.templates.criteria_text import UnreadReason, fragments, read_criteria
from scoring.templates.document import (
    MAX_ITEMS,
    MAX_TITLE,
    ClauseInput,
    Imported,
    ItemInput,
    TemplateContent,
    walk_items,
)
from scoring.templates.models import ItemKind
from scoring.templates.validation import content_problems

MAX_BYTES = 10 * 2**20
HEADER_SEARCH_ROWS = 15  # a title block above the headings is a few rows at most
TITLE_FROM_REQUIREMENT = 60  # characters of the requirement that name an untitled item
# Default grades as shares of the total: AQ/T 9006's 一级/二级/三级 are 900/750/600 of 1,000.
DEFAULT_GRADES = (Decimal("0.9"), Decimal("0.75"), Decimal("0.6"))


class Column(enum.StrEnum):
    """What a column of the office's table holds."""

    ELEMENT = "element"  # 一级要素: the top category
    SUBELEMENT = "subelement"  # 二级要素: a category within it
    ITEM = "item"  # 三级要素 / 考评项目: the item's short title
    CODE = "code"  # 序号 / 编号: the item's code
    REQUIREMENT = "requirement"  # 考评内容
    POINTS = "points"  # 标准分值
    CRITERIA = "criteria"  # 评分标准: read into clauses
    IGNORE = "ignore"  # 考评方法, 备注, 实得分: not part of the template


# Headings offices write, spaces and line breaks removed; the first match wins, exact
# headings before headings that merely contain one of these.
HEADINGS: dict[Column, tuple[str, ...]] = {
    Column.ELEMENT: ("一级要素", "一级指标", "一级", "考评类目", "类目", "考核类别", "A级要素"),
    Column.SUBELEMENT: ("二级要素", "二级指标", "二级", "B级要素", "考评项目"),
    Column.ITEM: ("三级要素", "三级指标", "三级", "考评子项", "考核指标", "指标名称", "项目"),
    Column.CODE: ("序号", "编号", "编码", "条款号"),
    Column.REQUIREMENT: ("考评内容", "考核内容", "标准要求", "考评要求", "基本要求", "内容"),
    Column.POINTS: ("标准分值", "标准分", "分值", "分数", "满分"),
    Column.CRITERIA: (
        "评分标准",
        "评分办法",
        "扣分标准",
        "考核标准",
        "考评标准",
        "评分细则",
        "考评办法",
    ),
    Column.IGNORE: ("考评方法", "考评方式", "检查方法", "备注", "实得分", "得分", "扣分", "说明"),
}
LEVELS = (Column.ELEMENT, Column.SUBELEMENT)
NEEDED = (Column.ELEMENT, Column.POINTS)

_NUMBERING = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十]+[)）、.．]|\d+(?:\.\d+)*[、.．]?)\s*")
_STATED = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]\s*$")
_TOTAL_ROW = re.compile(r"^(?:合计|总计|总分|小计)")


@dataclass(frozen=True)
class Layout:
    """How to read the table: the sheet, the headings' row, a role per column (1-based).

    Left out, each is found: the first sheet, the row with the most known headings, the role
    each heading names.
    """

    sheet: str | None = None
    header_row: int | None = None
    columns: Mapping[int, Column] | None = None


@dataclass(frozen=True)
class ColumnGuess:
    """A column of the table: its heading, the role it plays and a sample value."""

    column: int
    heading: str
    role: Column
    sample: str

    @property
    def letter(self) -> str:
        return get_column_letter(self.column)


@dataclass(frozen=True)
class UnreadCriteria:
    """A piece of an item's criteria left for a person, with the cell it came from."""

    code: str
    cell: str
    text: str
    reason: str
    reason_code: UnreadReason


@dataclass(frozen=True)
class PreviewItem:
    """An item of the tree as read: depth 0 is an element; points as read and as added up."""

    code: str
    title: str
    depth: int
    kind: ItemKind
    max_points: Decimal
    stated_points: Decimal | None  # what the element's own cell says ("目标（30分）")
    cell: str  # where the item was read
    method: Method | None
    clauses: tuple[ClauseInput, ...]
    unread: tuple[UnreadCriteria, ...]


@dataclass(frozen=True)
class Standard:
    """An office's standard read: the template document and what a person should check."""

    format: str  # "xlsx" or "csv"
    sheets: tuple[str, ...]
    sheet: str | None
    header_row: int
    columns: tuple[ColumnGuess, ...]
    content: TemplateContent
    items: tuple[PreviewItem, ...]
    fragments: int  # criteria fragments in the whole standard
    fragments_read: int  # of them, read into clauses or the engine's own floor
    unread: tuple[UnreadCriteria, ...]
    warnings: tuple[Problem, ...]
    cells: Mapping[str, tuple[str, str]]  # per item code, its own cell and its criteria's

    def imported(self) -> Imported:
        """The document, and its problems named by the cells they came from."""
        return Imported(self.content, self._at_cell)

    def _at_cell(self, problem: Problem) -> Problem:
        """``content.items[0].children[2].clauses[1].points`` -> the item's criteria cell,
        ``content.items[0].maxPoints`` -> the element's cell; other problems stay as they are."""
        field_name = problem.field or ""
        best = ""
        for path, item, _ in walk_items(self.content.items):
            if (field_name == path or field_name.startswith(f"{path}.")) and len(path) > len(best):
                best, code = path, item.code
        if not best or code not in self.cells:
            return problem
        own, criteria = self.cells[code]
        rest = field_name.removeprefix(best)
        at_criteria = rest.startswith((".clauses", ".criteria")) and criteria
        return Problem(criteria if at_criteria else own, problem.message, problem.code)


@dataclass
class _Node:
    """An element or item while the table is read."""

    title: str
    cell: str
    stated: Decimal | None = None
    points: Decimal | None = None  # indicators only
    code: str = ""
    requirement: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)
    criteria_cell: str = ""
    children: dict[str, _Node] = field(default_factory=dict)
    items: list[_Node] = field(default_factory=list)


# --- the table ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Table:
    format: str
    sheets: tuple[str, ...]
    sheet: str | None
    rows: list[tuple[int, tuple[object, ...]]]

    def cell(self, column: int, row: int) -> str:
        where = f"{get_column_letter(column)}{row}"
        return f"{self.sheet}!{where}" if self.sheet else where


def _refused(field_name: str, message: str, code: ErrorCode = ErrorCode.INVALID) -> DomainError:
    return DomainError(Problem(field_name, message, code))


def _table(data: bytes, filename: str, sheet: str | None) -> _Table:
    if len(data) > MAX_BYTES:
        raise _refused(
            "file", f"the file is larger than {MAX_BYTES // 2**20} MB", ErrorCode.TOO_LARGE
        )
    if data[:2] == b"PK":
        return _workbook_table(data, sheet)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise _refused("file", "not an .xlsx workbook (not a zip archive)")
    if sheet:
        raise _refused("sheet", "a .csv file has no sheets: leave the sheet out")
    return _csv_table(data)


def _workbook_table(data: bytes, sheet: str | None) -> _Table:
    try:
        workbook = open_workbook(data)
    except WorkbookRefused as refused:
        raise _refused(refused.field, refused.message, ErrorCode(refused.code)) from None
    try:
        titles = tuple(workbook.sheetnames)
        title = titles[0] if sheet is None else sheet
        if title not in titles:
            listed = ", ".join(repr(t) for t in titles)
            raise _refused("sheet", f"the workbook has no sheet {title!r} (it has {listed})")
        try:
            rows = list(sheet_rows(workbook[title]))
        except WorkbookRefused as refused:
            field_name = refused.cell or refused.field
            raise _refused(field_name, refused.message, ErrorCode(refused.code)) from None
    finally:
        workbook.close()
    return _Table("xlsx", titles, title, rows)


def _csv_table(data: bytes) -> _Table:
    text = None
    # Excel in China saves CSV as GB18030 (GBK); anything else writes UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text:
        raise _refused("file", "neither an .xlsx workbook nor a .csv text in UTF-8 or GB18030")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [
            (number, tuple(row))
            for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)
            if any(cell.strip() for cell in row)
        ]
    except csv.Error as error:
        # A cell past the csv module's limit (131,072 characters) or a broken quote.
        raise _refused("file", f"not a .csv table that can be read ({error})") from None
    return _Table("csv", (), None, rows)


# --- columns ------------------------------------------------------------------------------


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _heading_role(heading: str) -> Column | None:
    said = re.sub(r"\s+", "", heading)
    if not said:
        return None
    for role, names in HEADINGS.items():
        if said in names:
            return role
    for role, names in HEADINGS.items():
        if any(len(name) > 1 and name in said for name in names):
            return role
    return None


def _header_row(table: _Table, wanted: int | None) -> int:
    if wanted is not None:
        if not any(number == wanted for number, _ in table.rows):
            raise _refused("headerRow", f"row {wanted} is blank or past the end of the table")
        return wanted
    best, best_count = None, 1
    for number, values in table.rows[:HEADER_SEARCH_ROWS]:
        roles = {_heading_role(_plain(v)) for v in values} - {None, Column.IGNORE}
        if len(roles) > best_count:
            best, best_count = number, len(roles)
    if best is None:
        raise _refused(
            "headerRow",
            f"no row among the first {HEADER_SEARCH_ROWS} holds the headings of a standard"
            " (一级要素, 考评内容, 标准分值, 评分标准, …): give the headings' row and the columns",
            ErrorCode.REQUIRED,
        )
    return best


def _columns(
    table: _Table, header_row: int, given: Mapping[int, Column] | None
) -> tuple[ColumnGuess, ...]:
    headings = next(values for number, values in table.rows if number == header_row)
    body = [values for number, values in table.rows if number > header_row]
    width = max((len(values) for values in (headings, *body)), default=0)
    if given is not None:
        for column in given:
            if not 1 <= column <= width:
                raise _refused(
                    "columns", f"the table has columns 1 to {width}; there is no column {column}"
                )
    guesses = []
    taken: set[Column] = set()
    for column in range(1, width + 1):
        heading = _plain(headings[column - 1]) if column <= len(headings) else ""
        if given is not None:
            role = given.get(column, Column.IGNORE)
        else:
            role = _heading_role(heading) or Column.IGNORE
            if role in taken and role is not Column.IGNORE:
                role = Column.IGNORE  # the first column of a role plays it
        taken.add(role)
        sample = next(
            (_plain(v[column - 1]) for v in body if column <= len(v) and _plain(v[column - 1])),
            "",
        )
        guesses.append(ColumnGuess(column, heading, role, sample[:80]))
    return tuple(guesses)


def _check_roles(columns: Sequence[ColumnGuess]) -> dict[Column, int]:
    positions: dict[Column, int] = {}
    for guess in columns:
        if guess.role is Column.IGNORE:
            continue
        if guess.role in positions:
            first = get_column_letter(positions[guess.role])
            raise _refused(
                "columns",
                f"columns {first} and {guess.letter} are both the {guess.role} column: keep one",
                ErrorCode.DUPLICATE,
            )
        positions[guess.role] = guess.column
    missing = [role.value for role in NEEDED if role not in positions]
    if missing:
        raise _refused(
            "columns",
            f"no {' and no '.join(missing)} column: say which column holds "
            + " and which ".join(missing),
            ErrorCode.REQUIRED,
        )
    if Column.ITEM not in positions and Column.REQUIREMENT not in positions:
        raise _refused(
            "columns",
            "no item and no requirement column: an item needs a title or a requirement",
            ErrorCode.REQUIRED,
        )
    return positions


# --- the tree -----------------------------------------------------------------------------


def _points(raw: str, cell: str) -> Decimal:
    said = raw.removesuffix("分").strip()
    try:
        number = Decimal(said)
    except InvalidOperation:
        raise _refused(cell, f"the points {raw!r} are not a number") from None
    if not number.is_finite() or number <= 0:
        raise _refused(cell, f"the points must be above 0, not {raw}")
    if number >= AMOUNT_LIMIT:
        raise _refused(cell, f"the points {raw} are far more than any standard gives")
    if number != number.quantize(Decimal("0.01")):
        raise _refused(cell, f"the points {raw} have more than two decimal places")
    return number


def _element_title(raw: str) -> tuple[str, Decimal | None]:
    """An element's title without its numbering, and the points its cell states."""
    stated = None
    if found := _STATED.search(raw):
        stated = Decimal(found.group(1))
        raw = raw[: found.start()]
    return _NUMBERING.sub("", raw).strip() or raw.strip(), stated


def _read_tree(table: _Table, header_row: int, at: dict[Column, int]) -> dict[str, _Node]:
    elements: dict[str, _Node] = {}
    current: list[str] = ["", ""]  # the element and subelement of the row above
    last: _Node | None = None

    def value(values: tuple[object, ...], role: Column) -> str:
        column = at.get(role)
        return _plain(values[column - 1]) if column and column <= len(values) else ""

    for number, values in table.rows:
        if number <= header_row:
            continue
        texts = {role: value(values, role) for role in at}
        if _TOTAL_ROW.match(texts.get(Column.ELEMENT, "")) and not texts.get(Column.CRITERIA):
            continue
        # Merged cells read as blanks: a blank level takes the one above within its parent.
        element = texts.get(Column.ELEMENT) or current[0]
        subelement = texts.get(Column.SUBELEMENT, "")
        if not subelement and element == current[0]:
            subelement = current[1]
        if not element:
            cell = table.cell(at[Column.ELEMENT], number)
            raise _refused(cell, "the row has no element (一级要素) and none is above it")
        changed = (element, subelement) != tuple(current)
        current[:] = [element, subelement]
        parent = elements.setdefault(element, _Node(*_titled(element, table, at, number)))
        if subelement:
            sub_cell = table.cell(at[Column.SUBELEMENT], number)
            title, stated = _element_title(subelement)
            parent = parent.children.setdefault(subelement, _Node(title, sub_cell, stated))
        raw_points = texts.get(Column.POINTS, "")
        if not raw_points and last is not None and not changed and not texts.get(Column.ITEM):
            _add_texts(last, texts, table, at, number)  # a row continuing the item above
            continue
        if not raw_points:
            if not any(texts.get(r) for r in (Column.ITEM, Column.REQUIREMENT, Column.CRITERIA)):
                continue  # an element's own row: its title, nothing to score
            cell = table.cell(at[Column.POINTS], number)
            raise _refused(cell, "the item has no points (标准分值)", ErrorCode.REQUIRED)
        points = _points(raw_points, table.cell(at[Column.POINTS], number))
        title = texts.get(Column.ITEM, "")
        first_cell = table.cell(at.get(Column.ITEM) or at[Column.POINTS], number)
        last = _Node(title, first_cell, points=points, code=texts.get(Column.CODE, ""))
        _add_texts(last, texts, table, at, number)
        parent.items.append(last)
    if not elements:
        raise _refused("file", f"the table has no rows below its headings (row {header_row})")
    return elements


def _titled(
    element: str, table: _Table, at: dict[Column, int], number: int
) -> tuple[str, str, Decimal | None]:
    title, stated = _element_title(element)
    return title, table.cell(at[Column.ELEMENT], number), stated


def _add_texts(
    node: _Node, texts: Mapping[Column, str], table: _Table, at: dict[Column, int], number: int
) -> None:
    if requirement := texts.get(Column.REQUIREMENT):
        node.requirement.append(requirement)
    if criteria := texts.get(Column.CRITERIA):
        node.criteria.append(criteria)
        node.criteria_cell = node.criteria_cell or table.cell(at[Column.CRITERIA], number)


# --- the document -------------------------------------------------------------------------


@dataclass
class _Built:
    items: list[PreviewItem] = field(default_factory=list)
    unread: list[UnreadCriteria] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    fragments: int = 0
    fragments_read: int = 0
    codes: set[str] = field(default_factory=set)
    cells: dict[str, tuple[str, str]] = field(default_factory=dict)


def _indicator(node: _Node, code: str, depth: int, built: _Built) -> ItemInput:
    requirement = "\n".join(node.requirement)
    criteria = "\n".join(node.criteria)
    assert node.points is not None
    title = node.title or _title_from(requirement)
    if not title:
        raise _refused(node.cell, "the item has neither a title nor a requirement")
    if len(title) > MAX_TITLE:
        raise _refused(node.cell, f"the title is {len(title)} characters long; at most {MAX_TITLE}")
    reading = read_criteria(criteria, node.points)
    pieces = len(fragments(criteria))
    built.fragments += pieces
    built.fragments_read += pieces - len({u.text for u in reading.unread})
    unread = tuple(
        UnreadCriteria(code, node.criteria_cell, u.text, u.reason, u.code) for u in reading.unread
    )
    built.unread.extend(unread)
    method = Method.DEDUCTION if reading.clauses else Method.MANUAL
    built.cells[code] = (node.cell, node.criteria_cell)
    built.items.append(
        PreviewItem(
            code,
            title,
            depth,
            ItemKind.INDICATOR,
            node.points,
            None,
            node.cell,
            method,
            reading.clauses,
            unread,
        )
    )
    return ItemInput(
        code,
        title,
        ItemKind.INDICATOR,
        node.points,
        criteria=criteria,
        requirement=requirement,
        method=method,
        clauses=reading.clauses,
    )


def _title_from(requirement: str) -> str:
    first = re.split(r"[。；;\n]", requirement.strip(), maxsplit=1)[0].strip()
    if len(first) <= TITLE_FROM_REQUIREMENT:
        return first
    return first[: TITLE_FROM_REQUIREMENT - 1] + "…"


def _category(node: _Node, code: str, depth: int, built: _Built) -> ItemInput:
    at = len(built.items)
    children: list[ItemInput] = []
    for index, item in enumerate(node.items, start=1):
        item_code = item.code or f"{code}.{index}"
        if item_code in built.codes:
            raise _refused(item.cell, f"the code {item_code!r} is used twice", ErrorCode.DUPLICATE)
        built.codes.add(item_code)
        children.append(_indicator(item, item_code, depth + 1, built))
    offset = len(node.items)
    for index, sub in enumerate(node.children.values(), start=offset + 1):
        children.append(_category(sub, f"{code}.{index}", depth + 1, built))
    total = sum((child.max_points for child in children), start=Decimal(0))
    if node.stated is not None and node.stated != total:
        built.warnings.append(
            Problem(
                node.cell,
                f"{node.title} states {node.stated} points but its items add up to {total}:"
                " the items' points are kept",
                ErrorCode.INVALID,
            )
        )
    built.cells[code] = (node.cell, "")
    built.items.insert(
        at,
        PreviewItem(
            code, node.title, depth, ItemKind.CATEGORY, total, node.stated, node.cell, None, (), ()
        ),
    )
    return ItemInput(code, node.title, ItemKind.CATEGORY, total, children=tuple(children))


def read_standard(
    data: bytes,
    filename: str = "",
    layout: Layout | None = None,
    *,
    title: str = "",
    year: int = 2026,
) -> Standard:
    """Read an office's standard; DomainError naming the field or cell when it cannot be."""
    layout = layout or Layout()
    table = _table(data, filename, layout.sheet)
    if not table.rows:
        raise _refused("file", "the table is empty")
    header_row = _header_row(table, layout.header_row)
    columns = _columns(table, header_row, layout.columns)
    at = _check_roles(columns)
    elements = _read_tree(table, header_row, at)
    built = _Built()
    items = tuple(
        _category(node, str(index), 0, built)
        for index, node in enumerate(elements.values(), start=1)
    )
    if len(built.items) > MAX_ITEMS:
        raise _refused(
            "file",
            f"{len(built.items)} items: a template holds at most {MAX_ITEMS}",
            ErrorCode.TOO_LARGE,
        )
    total = sum((item.max_points for item in items), start=Decimal(0))
    excellent, good, qualified = (total * share for share in DEFAULT_GRADES)
    content = TemplateContent(
        title=title.strip() or (table.sheet or "导入的考评标准"),
        year=year,
        total_points=total,
        bonus_cap=Decimal(0),
        grade_excellent=excellent.quantize(Decimal("0.01")),
        grade_good=good.quantize(Decimal("0.01")),
        grade_qualified=qualified.quantize(Decimal("0.01")),
        items=items,
        language=Language.ZH.value,  # a standard in Chinese is explained in Chinese
    )
    standard = Standard(
        format=table.format,
        sheets=table.sheets,
        sheet=table.sheet,
        header_row=header_row,
        columns=columns,
        content=content,
        items=tuple(built.items),
        fragments=built.fragments,
        fragments_read=built.fragments_read,
        unread=tuple(built.unread),
        warnings=tuple(built.warnings),
        cells=built.cells,
    )
    # What no draft may hold (points too large for a clause, say) is refused by its cell.
    if problems := content_problems(content):
        raise DomainError([standard.imported().at_cell(problem) for problem in problems])
    return standard
