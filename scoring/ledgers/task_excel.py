"""Action plans to and from Excel, the way offices keep their task lists (清单) today.

One sheet. Above the table, a small block of rows names the plan: "title 方案名称",
"period_start 开始日期" and "period_end 结束日期", each label followed by its value. Then the
header row and one row per task element: topic code and title (专题编号, 专题), project code
and title (专项编号, 专项; empty for an element directly under its topic), element code (要素编号),
element (任务要素), responsible unit (责任单位: the unit's code, or its exact name) and deadline
(完成时限: an Excel date or text such as 2026-06-30). A header is found by its English key or its
Chinese label, so a sheet with Chinese headers only, reordered columns or extra columns reads.

Spreadsheets as offices keep them are forgiven: blank and trailing rows are skipped, cells
trimmed, codes typed as numbers read as text (1.0 is "1"), and topic cells left blank (or merged)
repeat the topic above, and project cells too when the topic cells are blank; a row naming its
topic with blank project cells is an element directly under the topic. A row with a topic or
project but no element cells only declares the section.

Problems are named by the row Excel shows and the column's key: "file.rows.7.deadline".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode, Problem, fail
from redline.workbook_writer import BOLD, WRAP, Book
from redline.workbooks import WorkbookRefused, open_workbook, sheet_rows
from scoring.ledgers.access import require_supervisor
from scoring.ledgers.models import ActionPlan, SectionKind
from scoring.ledgers.tasks import ElementInput, PlanInput, SectionInput, create_plan
from tenants.access import Actor
from tenants.models import TenantNode

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000  # far above any real plan (the service takes 5000 elements), below a hostile file
HEADER_SEARCH = 30  # rows searched for the header row
SHEET = "清单 Plan"


@dataclass(frozen=True)
class Column:
    """A column of the table: its key (the header's first word), label, other Chinese names
    offices use for it, width, and whether the header row must have it."""

    key: str
    label: str
    width: int
    aliases: tuple[str, ...] = ()
    required: bool = False
    wrap: bool = False

    def matches(self, header: object) -> bool:
        if not isinstance(header, str) or not header.split():
            return False
        words = header.split()
        names = (self.label, *self.aliases)
        return words[0].lower() == self.key or any(w in names for w in words)


COLUMNS = (
    Column("topic_code", "专题编号", 10),
    Column("topic", "专题", 30, ("专题名称",), wrap=True),
    Column("project_code", "专项编号", 10),
    Column("project", "专项", 30, ("专项名称",), wrap=True),
    Column("code", "要素编号", 10, ("任务编号",), required=True),
    Column("title", "任务要素", 60, ("要素内容", "任务内容"), required=True, wrap=True),
    Column("responsible", "责任单位", 18, ("牵头单位",), required=True),
    Column("deadline", "完成时限", 13, ("完成时间", "时限要求"), required=True),
)
BY_KEY = {c.key: c for c in COLUMNS}
ELEMENT_KEYS = ("code", "title", "responsible", "deadline")

# The block above the table: a label (in column A) and its value (in B) per row.
SETTINGS = (
    Column("title", "方案名称", 22, ("清单名称",)),
    Column("period_start", "开始日期", 22, ("起始日期",)),
    Column("period_end", "结束日期", 22, ("截止日期",)),
)
SETTING_OF_FIELD = {"title": "title", "periodStart": "period_start", "periodEnd": "period_end"}

# The column holding each input attribute, by the kind of row the input came from.
COLUMN_OF = {
    SectionKind.TOPIC: {"code": "topic_code", "title": "topic", "kind": "topic_code"},
    SectionKind.PROJECT: {
        "code": "project_code",
        "title": "project",
        "kind": "project_code",
        "sections": "project_code",
    },
    None: {k: k for k in ELEMENT_KEYS},
}

DATE_PATTERN = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")

EXAMPLE = PlanInput(
    title="2026年安全生产专项整治行动方案（示例）",
    period_start=date(2026, 1, 1),
    period_end=date(2026, 12, 31),
    sections=(
        SectionInput(
            code="1",
            title="危险化学品安全专项整治",
            kind=SectionKind.TOPIC.value,
            elements=(
                ElementInput(
                    "1.0.1",
                    "建立危险化学品企业安全风险分级管控清单",
                    "单位编码或名称",
                    date(2026, 3, 31),
                ),
            ),
            sections=(
                SectionInput(
                    code="1.1",
                    title="重大危险源企业专项检查",
                    kind=SectionKind.PROJECT.value,
                    elements=(
                        ElementInput(
                            "1.1.1",
                            "完成辖区重大危险源企业全覆盖检查",
                            "单位编码或名称",
                            date(2026, 6, 30),
                        ),
                    ),
                ),
            ),
        ),
    ),
)


# --- export ---------------------------------------------------------------------------------


def _rows_of(data: PlanInput) -> Iterator[list[object]]:
    """The table's rows in plan order; a section without elements gets a row of its own."""

    def cells(
        topic: SectionInput | None, project: SectionInput | None, element: ElementInput | None
    ) -> list[object]:
        return [
            topic.code if topic else None,
            topic.title if topic else None,
            project.code if project else None,
            project.title if project else None,
            element.code if element else None,
            element.title if element else None,
            element.responsible if element else None,
            element.deadline if element else None,
        ]

    def section(item: SectionInput, topic: SectionInput | None) -> Iterator[list[object]]:
        is_topic = item.kind == SectionKind.TOPIC.value
        owner, project = (item, None) if is_topic else (topic, item)
        for element in item.elements:
            yield cells(owner, project, element)
        for child in item.sections:
            yield from section(child, owner)
        if not item.elements and not item.sections:
            yield cells(owner, project, None)

    for element in data.elements:
        yield cells(None, None, element)
    for item in data.sections:
        yield from section(item, None)


def export_plan(data: PlanInput) -> bytes:
    """The plan as an .xlsx workbook an office can read, edit and import again."""
    book = Book()
    rows = book.sheet(SHEET)
    for setting, value in zip(
        SETTINGS, (data.title, data.period_start, data.period_end), strict=True
    ):
        rows.write([f"{setting.key} {setting.label}", value], [BOLD])
    rows.skip()
    # CJK characters are about twice as wide as Latin ones at the same font size; column A
    # holds the block's labels too.
    widths = [c.width for c in COLUMNS]
    widths[0] = max(widths[0], *(s.width for s in SETTINGS))
    header = rows.header([f"{c.key} {c.label}" for c in COLUMNS], widths)
    rows.freeze(header)
    styles = [WRAP if c.wrap else None for c in COLUMNS]
    for row in _rows_of(data):
        rows.write(row, styles)
    return book.close()


def plan_template() -> bytes:
    """A workbook to fill in: the header rows and an example topic, project and elements."""
    return export_plan(EXAMPLE)


# --- import ---------------------------------------------------------------------------------


class _Invalid(Exception):
    """A cell that is not what its column needs."""


def _blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        # A code typed as a number (2.1): its shortest form, never "2.1000000000000001".
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat()
    return str(raw).strip()


def _day(raw: object) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _text(raw)
    match = DATE_PATTERN.fullmatch(text) if isinstance(raw, str) else None
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise _Invalid(f"{text!r} is not a date: write it as 2026-06-30 or use an Excel date")


@dataclass
class _Section:
    """A topic or project as read, with the row it was first named on."""

    kind: SectionKind
    code: str
    title: str
    row: int
    parent: _Section | None
    sections: list[_Section] = field(default_factory=list)
    elements: list[_Element] = field(default_factory=list)


@dataclass
class _Element:
    row: int
    value: ElementInput


@dataclass
class _Reader:
    """Reads the table row by row, collecting problems and where each input came from."""

    problems: list[Problem] = field(default_factory=list)
    sections: dict[str, _Section] = field(default_factory=dict)
    top: list[_Section] = field(default_factory=list)
    elements: list[_Element] = field(default_factory=list)
    element_rows: dict[str, int] = field(default_factory=dict)
    settings: dict[str, tuple[int, object]] = field(default_factory=dict)

    def add(self, row: int, key: str, message: str, code: ErrorCode = ErrorCode.INVALID) -> None:
        self.problems.append(Problem(f"file.rows.{row}.{key}", message, code))

    def section(
        self,
        row: int,
        kind: SectionKind,
        code: str,
        title: str,
        parent: _Section | None,
    ) -> _Section | None:
        """The topic or project a row names: a new one, or one named on an earlier row."""
        keys = COLUMN_OF[kind]
        what = kind.value
        if not code:
            self.add(row, keys["code"], f"give the {what}'s code", ErrorCode.REQUIRED)
            return None
        known = self.sections.get(code)
        if known is None:
            if not title:
                self.add(row, keys["title"], f"name {what} {code}", ErrorCode.REQUIRED)
                return None
            known = _Section(kind, code, title, row, parent)
            self.sections[code] = known
            (parent.sections if parent else self.top).append(known)
            return known
        if known.kind is not kind:
            message = f"{code} is the code of {known.kind.value} {known.title!r} (row {known.row})"
        elif title and title != known.title:
            message = f"{what} {code} is {known.title!r} (row {known.row})"
        elif known.parent is not parent:
            where = f"topic {known.parent.code}" if known.parent else "no topic"
            message = f"{what} {code} is under {where} (row {known.row})"
        else:
            return known
        self.add(row, keys["code"], message, ErrorCode.DUPLICATE)
        return None


def _open(data: bytes) -> Any:
    if len(data) > MAX_BYTES:
        raise DomainError(
            Problem("file", f"the file is larger than {MAX_BYTES // 2**20} MB", ErrorCode.TOO_LARGE)
        )
    return open_workbook(data)


Line = tuple[int, tuple[object, ...]]  # a row's number as Excel shows it, and its values


def _lines(data: bytes) -> list[Line]:
    """The first sheet's rows that are not blank, with their numbers."""
    try:
        workbook = _open(data)
        try:
            lines: list[Line] = []
            for number, values in sheet_rows(workbook.worksheets[0]):
                if all(_blank(v) for v in values):
                    continue
                if len(lines) >= MAX_ROWS:
                    raise DomainError(
                        Problem("file", f"more than {MAX_ROWS} rows", ErrorCode.TOO_LARGE)
                    )
                lines.append((number, values))
            return lines
        finally:
            workbook.close()
    except WorkbookRefused as refused:
        raise fail(refused.field, refused.message, ErrorCode(refused.code)) from None


def _header(lines: Sequence[Line]) -> tuple[int, dict[str, int]]:
    """The header row's number and each column's index; a DomainError naming what is missing."""
    best: tuple[int, dict[str, int]] | None = None
    for number, values in lines:
        if number > HEADER_SEARCH:
            break
        positions: dict[str, int] = {}
        for index, value in enumerate(values):
            for column in COLUMNS:
                if column.key not in positions and column.matches(value):
                    positions[column.key] = index
                    break
        if len(positions) >= 2 and (best is None or len(positions) > len(best[1])):
            best = (number, positions)
        if best is not None and all(c.key in best[1] for c in COLUMNS if c.required):
            return best
    wanted = ", ".join(f"'{c.key} {c.label}'" for c in COLUMNS if c.required)
    if best is None:
        raise DomainError(
            Problem("file", f"no header row found: the table needs {wanted}", ErrorCode.REQUIRED)
        )
    number, positions = best
    raise DomainError(
        [
            Problem(
                f"file.rows.{number}.{c.key}",
                f"the header row has no column '{c.key} {c.label}'",
                ErrorCode.REQUIRED,
            )
            for c in COLUMNS
            if c.required and c.key not in positions
        ]
    )


def _read_settings(reader: _Reader, lines: Sequence[Line]) -> None:
    """The plan's title and period from the rows above the header: label, then value."""
    for number, values in lines:
        cells = [v for v in values if not _blank(v)]
        setting = next((s for s in SETTINGS if cells and s.matches(cells[0])), None)
        if setting is None or setting.key in reader.settings:
            continue
        raw = cells[1] if len(cells) > 1 else None
        if setting.key == "title":
            reader.settings["title"] = (number, _text(raw))
            continue
        try:
            reader.settings[setting.key] = (number, None if raw is None else _day(raw))
        except _Invalid as error:
            reader.add(number, setting.key, str(error))


def _read_table(reader: _Reader, lines: Sequence[Line], positions: dict[str, int]) -> None:
    topic: _Section | None = None
    project: _Section | None = None
    for number, values in lines:
        raw = {k: values[i] if i < len(values) else None for k, i in positions.items()}
        if all(_blank(v) for v in raw.values()):
            continue
        text = {k: _text(raw.get(k)) for k in BY_KEY}
        if text["topic_code"] or text["topic"]:
            topic = reader.section(
                number, SectionKind.TOPIC, text["topic_code"], text["topic"], None
            )
            project = None
            if topic is None:
                continue
        if text["project_code"] or text["project"]:
            project = reader.section(
                number, SectionKind.PROJECT, text["project_code"], text["project"], topic
            )
            if project is None:
                continue
        if all(_blank(raw.get(k)) for k in ELEMENT_KEYS):
            continue  # the row only names its section
        deadline = None
        if not _blank(raw.get("deadline")):
            try:
                deadline = _day(raw["deadline"])
            except _Invalid as error:
                reader.add(number, "deadline", str(error))
        code = text["code"]
        if code and code in reader.element_rows:
            reader.add(
                number,
                "code",
                f"{code} repeats row {reader.element_rows[code]}",
                ErrorCode.DUPLICATE,
            )
        elif code:
            reader.element_rows[code] = number
        element = _Element(number, ElementInput(code, text["title"], text["responsible"], deadline))
        (project or topic or reader).elements.append(element)


def _read(data: bytes) -> tuple[PlanInput, dict[str, tuple[int, SectionKind | None]]]:
    """The plan in a workbook, and the row (and kind of row) each input path came from."""
    lines = _lines(data)
    header, positions = _header(lines)
    reader = _Reader()
    _read_settings(reader, [line for line in lines if line[0] < header])
    _read_table(reader, [line for line in lines if line[0] > header], positions)
    if reader.problems:
        raise DomainError(reader.problems)
    origins: dict[str, tuple[int, SectionKind | None]] = {}

    def elements(items: list[_Element], prefix: str) -> tuple[ElementInput, ...]:
        for index, item in enumerate(items):
            origins[f"{prefix}elements.{index}"] = (item.row, None)
        return tuple(item.value for item in items)

    def section(item: _Section, path: str) -> SectionInput:
        origins[path] = (item.row, item.kind)
        return SectionInput(
            code=item.code,
            title=item.title,
            kind=item.kind.value,
            elements=elements(item.elements, f"{path}."),
            sections=tuple(
                section(child, f"{path}.sections.{index}")
                for index, child in enumerate(item.sections)
            ),
        )

    for key in ("title", "period_start", "period_end"):
        if key in reader.settings:
            origins[key] = (reader.settings[key][0], None)
    settings = {key: value for key, (_, value) in reader.settings.items()}
    plan = PlanInput(
        title=str(settings.get("title") or ""),
        period_start=settings.get("period_start"),  # type: ignore[arg-type]
        period_end=settings.get("period_end"),  # type: ignore[arg-type]
        elements=elements(reader.elements, ""),
        sections=tuple(section(s, f"sections.{i}") for i, s in enumerate(reader.top)),
    )
    return plan, origins


def read_plan(data: bytes) -> PlanInput:
    """The plan in an .xlsx workbook; a DomainError naming each bad row and column otherwise
    (what the rows mean, not yet whether the plan can be issued: :func:`import_plan`)."""
    return _read(data)[0]


def _at_row(problem: Problem, origins: dict[str, tuple[int, SectionKind | None]]) -> Problem:
    """A problem of the plan's input named by the row and column it came from."""
    name = problem.field or ""
    if name in SETTING_OF_FIELD:
        key = SETTING_OF_FIELD[name]
        where = f"file.rows.{origins[key][0]}.{key}" if key in origins else f"file.{key}"
        return Problem(where, problem.message, problem.code)
    if name in origins:
        row, kind = origins[name]
        column = "topic_code" if kind is None else COLUMN_OF[kind]["code"]
        return Problem(f"file.rows.{row}.{column}", problem.message, problem.code)
    path, _, attribute = name.rpartition(".")
    if path in origins:
        row, kind = origins[path]
        column = COLUMN_OF[kind].get(attribute, "code")
        return Problem(f"file.rows.{row}.{column}", problem.message, problem.code)
    return Problem("file", problem.message, problem.code)


def import_plan(
    session: Session,
    actor: Actor | None,
    owner: TenantNode,
    data: bytes,
    *,
    now: datetime | None = None,
) -> ActionPlan:
    """Issue the plan in an .xlsx workbook (see :func:`create_plan`); every problem, the
    file's and the plan's, named by its row and column."""
    require_supervisor(actor, owner, "ownerNodeId")
    plan, origins = _read(data)
    try:
        return create_plan(session, actor, owner, plan, now=now)
    except DomainError as error:
        raise DomainError([_at_row(p, origins) for p in error.problems]) from None
