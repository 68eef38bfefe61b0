"""A unit's self-assessment out to an Excel workbook to fill in, and back in as its entries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from redline import versions
from redline.errors import DomainError, ErrorCode, Problem
from redline.workbook_writer import HEADER, Book, SheetWriter, Style
from redline.workbooks import WorkbookRefused, open_workbook, sheet_rows
from scoring.assessments.entries import (
    MAX_ENTRIES,
    NOTE_MAX,
    REASON_MAX,
    EntryInput,
    save_entries,
    unit_context,
)
from scoring.assessments.models import Assessment, Cycle, Entry
from scoring.assessments.scorecards import (
    LoadedTemplate,
    as_entered,
    load_template_of,
    scorecards,
)
from scoring.assessments.workflow import ASSESSMENT, entries_by_item
from scoring.engine import Method
from scoring.templates.models import TemplateItem, ValueSource
from tenants.access import Actor
from tenants.models import TenantNode

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000  # a 2,000-item template with its clauses fits; a hostile sheet does not
HEADER_SEARCH = 10  # rows searched for the header row
FIELD = "file"  # the upload's input field: every problem of the file is named by it

SHEET = "自评 Self-assessment"
KEY_SHEET = "key"  # very hidden: what the workbook is the self-assessment of
KEYS = ("assessment", "version", "template")

YES, NO = "是", "否"
TRUE_WORDS = frozenset({"是", "yes", "y", "true", "1", "√", "✓"})
FALSE_WORDS = frozenset({"否", "no", "n", "false", "0", "×"})

METHOD_LABELS = {
    Method.MANUAL: "manual 评分",
    Method.BONUS: "bonus 加分",
    Method.RATIO: "ratio 比率",
    Method.TIERS: "tiers 分档",
    Method.BOOLEAN: "boolean 是否完成",
    Method.DEDUCTION: "deduction 扣分",
}


@dataclass(frozen=True)
class Column:
    """A column of the sheet: its key (the header's first word), label, width, and whether the
    unit fills it in (the others are read-only and grey)."""

    key: str
    label: str
    width: int
    editable: bool = False
    wrap: bool = False


COLUMNS = (
    Column("category", "所属类别", 24, wrap=True),
    Column("code", "编码", 9),
    Column("clause", "扣分条款", 8),
    Column("title", "指标 / 条款内容", 48, wrap=True),
    Column("requirement", "考评内容", 40, wrap=True),
    Column("method", "计分方法", 14),
    Column("max_points", "分值", 8),
    Column("entry", "填报", 10, editable=True),
    Column("how", "填报说明", 30, wrap=True),
    Column("not_applicable", "不适用", 8, editable=True),
    Column("reason", "不适用理由", 30, editable=True, wrap=True),
    Column("note", "备注", 30, editable=True, wrap=True),
    Column("self_points", "自评得分", 10),
    Column("reviewed_points", "审核得分", 10),
    Column("review_reason", "审核意见", 30, wrap=True),
)
INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
LETTER = {c.key: get_column_letter(i + 1) for i, c in enumerate(COLUMNS)}
READ_ONLY = ("self_points", "reviewed_points", "review_reason")
# The columns an import reads; the others (titles, scores) may be taken out of the sheet.
REQUIRED = ("code", "clause", "entry", "not_applicable", "reason", "note")

INPUT_FILL = "FFF2CC"  # the cells to fill in
GREY_FILL = "E7E6E6"  # what the unit does not enter here
GREY_TEXT = "595959"
TITLE = Style(bold=True, size=12)


# --- export ---------------------------------------------------------------------------------


def _how(item: TemplateItem) -> str:
    """What the unit enters for an indicator, in words."""
    if item.source != ValueSource.SELF.value:
        return f"来自台账，无需填写 (from the ledgers: {item.source})"
    method = item.method
    if method in (Method.MANUAL, Method.BONUS):
        return f"得分 points, 0–{_plain(item.max_points)}"
    if method is Method.RATIO:
        return "数值 value (%), 0 or more"
    if method is Method.TIERS:
        tiers = "; ".join(f"≥{_plain(t['min_value'])}: {_plain(t['points'])}" for t in item.tiers)
        return f"数值 value, 0 or more ({tiers})" if tiers else "数值 value, 0 or more"
    if method is Method.BOOLEAN:
        return "是 / 否 (done or not)"
    return "在下面各条款行填写发生次数 (count of each clause in its row below)"


def _plain(number: object) -> str:
    """A template figure as the criteria write it: 10, not 10.0000."""
    found = as_entered(Decimal(str(number)))
    return str(found)


def _category_path(loaded: LoadedTemplate, item: TemplateItem) -> str:
    names: list[str] = []
    parent_id = item.parent_id
    while parent_id is not None:
        parent = loaded.items_by_id[parent_id]
        names.append(f"{parent.code} {parent.title}")
        parent_id = parent.parent_id
    return " / ".join(reversed(names))


def _entry_cell(item: TemplateItem, entry: Entry | None) -> object:
    if entry is None or item.source != ValueSource.SELF.value:
        return None
    if item.method in (Method.MANUAL, Method.BONUS):
        return as_entered(entry.points)
    if item.method in (Method.RATIO, Method.TIERS):
        return as_entered(entry.value)
    if item.method is Method.BOOLEAN and entry.done is not None:
        return YES if entry.done else NO
    return None


@dataclass
class _Validations:
    """The data validations of the entry and not-applicable cells, one per kind of cell."""

    rows: SheetWriter
    # (kind, high) -> column letter -> the rows it covers, in order
    cells: dict[tuple[str, Decimal | None], dict[str, list[int]]] = field(default_factory=dict)

    def add(self, key: str, number: int, kind: str, high: Decimal | None = None) -> None:
        """Validate column ``key``'s cell in row ``number`` as ``kind``."""
        self.cells.setdefault((kind, high), {}).setdefault(LETTER[key], []).append(number)

    def apply(self) -> None:
        """Add each validation to the sheet, over runs of rows ("G4:G9 G12"), not cell by cell:
        a 2,000-item template would otherwise give one validation thousands of areas."""
        for (kind, high), columns in self.cells.items():
            ranges: list[str] = []
            for letter, numbers in columns.items():
                start = previous = numbers[0]
                for number in [*numbers[1:], None]:
                    if number is not None and number == previous + 1:
                        previous = number
                        continue
                    ranges.append(
                        f"{letter}{start}"
                        if start == previous
                        else f"{letter}{start}:{letter}{previous}"
                    )
                    if number is not None:
                        start = previous = number
            # The cell given first is only where the validation is anchored: the ranges say
            # which cells it covers.
            options = {**self._options(kind, high), "multi_range": " ".join(ranges)}
            self.rows.sheet.data_validation(ranges[0].split(":")[0], options)

    @staticmethod
    def _options(kind: str, high: Decimal | None) -> dict[str, object]:
        """XlsxWriter's options of a validation: blanks allowed, a wrong value refused with a
        message in both languages."""
        if kind == "flag":
            return {
                "validate": "list",
                "source": [YES, NO],
                "error_title": "是 / 否",
                "error_message": "请选择 是 或 否 (choose 是 or 否)",
            }
        if kind == "count":
            return {
                "validate": "integer",
                "criteria": ">=",
                "value": 0,
                "error_message": "次数为 0 或正整数 (a whole number, 0 or more)",
            }
        if kind == "points":
            assert high is not None
            return {
                "validate": "decimal",
                "criteria": "between",
                "minimum": 0,
                "maximum": int(high) if high == high.to_integral_value() else float(high),
                "error_message": f"得分 0–{_plain(high)} (points from 0 to {_plain(high)})",
            }
        return {
            "validate": "decimal",
            "criteria": ">=",
            "value": 0,
            "error_message": "数值为 0 或以上 (a number, 0 or more)",
        }


def export_self_assessment(session: Session, assessment: Assessment) -> bytes:
    """The assessment as a workbook to fill in: one row per indicator in template order (and a
    row per deduction clause below its indicator), the unit's inputs in the yellow cells, its
    scores and the reviewer's word in grey, and a very hidden key naming the assessment, its
    version and template for :func:`import_self_assessment`."""
    cycle = session.get_one(Cycle, assessment.cycle_id)
    node = session.get_one(TenantNode, assessment.node_id)
    loaded = load_template_of(session, cycle.template_id)
    entries = entries_by_item(session, assessment)
    cards = scorecards(session, assessment)

    book = Book()
    rows = book.sheet(SHEET)
    rows.write(
        [
            f"{node.name_zh} {node.name_en} ({node.code}) — {cycle.name}: 自评 self-assessment "
            f"({assessment.state.value}, 版本 version {assessment.version})"
        ],
        TITLE,
    )
    rows.write(
        [
            "填写黄色单元格后在系统中“从 Excel 导入”；灰色为只读。Fill in the yellow cells and "
            "import the file again; grey cells are read-only. 不适用填“是”时须写明理由."
        ]
    )
    rows.widths([c.width for c in COLUMNS])
    header = rows.write(
        [f"{c.key} {c.label}" for c in COLUMNS],
        [
            replace(HEADER, fill=GREY_FILL if c.key in READ_ONLY else HEADER.fill, wrap=True)
            for c in COLUMNS
        ],
    )
    rows.freeze(header, INDEX["title"])

    validations = _Validations(rows)
    for _, indicator in loaded.engine.indicators():
        item = loaded.items_by_code[indicator.code]
        entry = entries.get(item.id)
        self_score = cards.self_card.indicators.get(item.code)
        reviewed = entry is not None and (entry.reviewed or entry.review_points is not None)
        reviewed_score = cards.reviewed_card.indicators.get(item.code) if reviewed else None
        assert item.method is not None
        values: dict[str, object] = {
            "category": _category_path(loaded, item),
            "code": item.code,
            "clause": None,
            "title": item.title,
            "requirement": item.requirement or None,
            "method": METHOD_LABELS[item.method],
            "max_points": item.max_points,
            "entry": _entry_cell(item, entry),
            "how": _how(item),
            "not_applicable": YES if entry is not None and entry.not_applicable else NO,
            "reason": (entry.not_applicable_reason if entry is not None else None) or None,
            "note": (entry.note if entry is not None else None) or None,
            "self_points": (
                self_score.points
                if self_score is not None
                and not self_score.missing
                and not self_score.not_applicable
                else None
            ),
            "reviewed_points": (
                reviewed_score.points
                if reviewed_score is not None and not reviewed_score.not_applicable
                else None
            ),
            "review_reason": (entry.review_reason if entry is not None else None) or None,
        }
        self_fed = item.source == ValueSource.SELF.value
        enters = self_fed and item.method is not Method.DEDUCTION
        number = rows.write([values[c.key] for c in COLUMNS], _row_styles(enters=enters, na=True))
        if enters:
            if item.method is Method.BOOLEAN:
                validations.add("entry", number, "flag")
            elif item.method in (Method.MANUAL, Method.BONUS):
                validations.add("entry", number, "points", item.max_points)
            else:
                validations.add("entry", number, "value")
        validations.add("not_applicable", number, "flag")
        if item.method is not Method.DEDUCTION:
            continue
        counts = (entry.counts if entry is not None else None) or {}
        for clause in item.clauses:
            key = str(clause["key"])
            clause_values: dict[str, object] = {
                "code": item.code,
                "clause": key,
                "title": clause.get("text") or "",
                "method": f"{clause.get('kind')}",
                "max_points": (
                    Decimal(str(clause["points"])) if clause.get("points") is not None else None
                ),
                "entry": counts.get(key, 0) if self_fed else None,
                "how": "发生次数 count, 0 or more" if self_fed else _how(item),
            }
            number = rows.write(
                [clause_values.get(c.key) for c in COLUMNS],
                _row_styles(enters=self_fed, na=False),
            )
            if self_fed:
                validations.add("entry", number, "count")

    validations.apply()
    # Locked cells stay as exported; the yellow ones take input. No password: it guards
    # against slips, and the import checks every cell anyway.
    allowed = ("format_cells", "format_columns", "format_rows", "autofilter", "sort")
    rows.sheet.protect("", dict.fromkeys(allowed, True))

    key_sheet = book.sheet(KEY_SHEET)
    for name, value in zip(
        KEYS, (assessment.id, assessment.version, cycle.template_id), strict=True
    ):
        key_sheet.write([name, value])
    key_sheet.sheet.very_hidden()
    return book.close()


@cache
def _row_styles(*, enters: bool, na: bool) -> tuple[Style, ...]:
    """A row's cells: the input cells yellow and unlocked, the other entry cells and the
    read-only scores grey, long texts wrapped."""
    styles: list[Style] = []
    for column in COLUMNS:
        style = Style(wrap=column.wrap)
        if column.key in ("entry", "not_applicable", "reason", "note"):
            if (column.key == "entry" and enters) or (column.key != "entry" and na):
                style = replace(style, fill=INPUT_FILL, unlocked=True)
            else:
                style = replace(style, fill=GREY_FILL)
        elif column.key in READ_ONLY:
            style = replace(style, fill=GREY_FILL, color=GREY_TEXT)
        styles.append(style)
    return tuple(styles)


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
        return raw.isoformat()
    return str(raw).strip()


def _number(raw: object, what: str) -> Decimal:
    if isinstance(raw, bool | datetime):
        raise _Invalid(f"{what} must be a number, not {_text(raw)!r}")
    if isinstance(raw, int):
        return Decimal(raw)
    # repr gives a float's shortest digits: 0.1 stays 0.1, not 0.1000000000000000055...
    text = repr(raw) if isinstance(raw, float) else _text(raw).replace(",", "").rstrip("%")
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise _Invalid(f"{what} must be a number, not {_text(raw)!r}") from None
    if not number.is_finite():
        raise _Invalid(f"{what} must be a finite number, not {_text(raw)!r}")
    return number


def _whole(raw: object, what: str) -> int:
    number = _number(raw, what)
    if number != number.to_integral_value() or number < 0:
        raise _Invalid(f"{what} must be a whole number, 0 or more, not {_text(raw)!r}")
    return int(number)


def _flag(raw: object, what: str) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise _Invalid(f"{what}: write {YES} or {NO}, not {_text(raw)!r}")


@dataclass
class _Row:
    """A row of the sheet as read: its number and its cells by column key."""

    number: int
    cells: dict[str, object]
    letters: dict[str, str]  # where each column is in the sheet as read

    def ref(self, key: str) -> str:
        return f"{SHEET}!{self.letters.get(key, 'A')}{self.number}"


@dataclass
class _Read:
    """The entries a sheet holds, the row each came from, and the problems found."""

    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, _Row] = field(default_factory=dict)  # indicator code -> its row
    clause_rows: dict[tuple[str, str], _Row] = field(default_factory=dict)
    entries: list[EntryInput] = field(default_factory=list)

    def add(self, where: str, message: str, code: ErrorCode = ErrorCode.INVALID) -> None:
        self.problems.append(Problem(FIELD, f"{where}: {message}", code))


def _file_problem(message: str, code: ErrorCode = ErrorCode.INVALID) -> DomainError:
    return DomainError(Problem(FIELD, message, code))


def _sheets(data: bytes) -> tuple[dict[str, object], list[tuple[int, tuple[object, ...]]]]:
    """The key's values and the self-assessment sheet's rows that are not blank."""
    if len(data) > MAX_BYTES:
        raise _file_problem(f"the file is larger than {MAX_BYTES // 2**20} MB", ErrorCode.TOO_LARGE)
    try:
        workbook = open_workbook(data, field=FIELD)
        try:
            if SHEET not in workbook.sheetnames:
                others = ", ".join(repr(n) for n in workbook.sheetnames)
                raise _file_problem(
                    f"the workbook has no sheet '{SHEET}' (it has {others}): import the "
                    "self-assessment workbook downloaded from this assessment",
                    ErrorCode.REQUIRED,
                )
            if KEY_SHEET not in workbook.sheetnames:
                raise _file_problem(
                    "the workbook has lost its key (the hidden sheet naming the assessment it "
                    "was downloaded from): download it again and fill that one in",
                    ErrorCode.REQUIRED,
                )
            key: dict[str, object] = {}
            for _, values in sheet_rows(workbook[KEY_SHEET], field=FIELD):
                if len(values) >= 2 and isinstance(values[0], str) and values[0] in KEYS:
                    key.setdefault(values[0], values[1])
            lines: list[tuple[int, tuple[object, ...]]] = []
            for number, values in sheet_rows(workbook[SHEET], field=FIELD):
                if all(_blank(v) for v in values):
                    continue
                if len(lines) >= MAX_ROWS:
                    raise _file_problem(
                        f"sheet {SHEET} has more than {MAX_ROWS:,} rows", ErrorCode.TOO_LARGE
                    )
                lines.append((number, values))
            return key, lines
        finally:
            workbook.close()
    except WorkbookRefused as refused:
        where = f"{refused.cell}: " if refused.cell else ""
        raise _file_problem(f"{where}{refused.message}", ErrorCode(refused.code)) from None


def _key_number(key: dict[str, object], name: str) -> int | None:
    raw = key.get(name)
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    return int(raw) if float(raw).is_integer() else None


def _check_key(key: dict[str, object], assessment: Assessment, template_id: int) -> None:
    """Refuse a workbook of another template or assessment, or exported before a later save."""
    numbers = {name: _key_number(key, name) for name in KEYS}
    if any(number is None for number in numbers.values()):
        raise _file_problem(
            "the workbook's key (the hidden sheet naming the assessment it was downloaded "
            "from) is damaged: download it again and fill that one in"
        )
    if numbers["template"] != template_id:
        raise _file_problem(
            "the workbook was downloaded for another template than this assessment's: "
            "download this assessment's workbook and fill that one in"
        )
    if numbers["assessment"] != assessment.id:
        raise _file_problem(
            "the workbook is the self-assessment of another unit or cycle: download this "
            "assessment's workbook and fill that one in"
        )
    if numbers["version"] != assessment.version:
        raise _file_problem(
            f"the workbook was downloaded at version {numbers['version']} of the assessment, "
            f"which is now at version {assessment.version} (saved since): download it again, "
            "so that no later change is overwritten",
            ErrorCode.CONFLICT,
        )


def _header(lines: Sequence[tuple[int, tuple[object, ...]]]) -> tuple[int, dict[str, int]]:
    """The header row's number and where each column is; a problem naming what is missing."""
    for number, values in lines:
        if number > HEADER_SEARCH:
            break
        positions: dict[str, int] = {}
        for index, value in enumerate(values):
            if isinstance(value, str) and value.split():
                positions.setdefault(value.split()[0].lower(), index)
        if "code" in positions:
            missing = [c for c in COLUMNS if c.key in REQUIRED and c.key not in positions]
            if missing:
                wanted = ", ".join(f"'{c.key} {c.label}'" for c in missing)
                raise _file_problem(
                    f"{SHEET}!{number}: the header row has no column {wanted}", ErrorCode.REQUIRED
                )
            return number, positions
    raise _file_problem(
        f"{SHEET}: no header row found in the first {HEADER_SEARCH} rows (it starts "
        f"'{COLUMNS[0].key} {COLUMNS[0].label}')",
        ErrorCode.REQUIRED,
    )


def _rows(lines: Sequence[tuple[int, tuple[object, ...]]]) -> list[_Row]:
    header, positions = _header(lines)
    letters = {key: get_column_letter(index + 1) for key, index in positions.items()}
    rows: list[_Row] = []
    for number, values in lines:
        if number <= header:
            continue
        cells = {
            c.key: values[positions[c.key]]
            if c.key in positions and positions[c.key] < len(values)
            else None
            for c in COLUMNS
        }
        if all(_blank(cells[key]) for key in ("code", "clause", "entry", "reason", "note")):
            continue
        rows.append(_Row(number, cells, letters))
    return rows


def _cell(read: _Read, row: _Row, key: str, parse: Any, what: str) -> Any:
    raw = row.cells[key]
    if _blank(raw):
        return None
    try:
        return parse(raw, what)
    except _Invalid as error:
        read.add(row.ref(key), str(error))
        return None


def _read_rows(rows: Sequence[_Row], loaded: LoadedTemplate, read: _Read) -> None:
    """Every row's cells checked against its indicator's method; the indicator rows become
    entries, the clause rows their counts."""
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        code = _text(row.cells["code"])
        clause = _text(row.cells["clause"])
        if not code:
            read.add(row.ref("code"), "the indicator's code is missing", ErrorCode.REQUIRED)
            continue
        item = loaded.items_by_code.get(code)
        if item is None:
            read.add(row.ref("code"), f"the template has no indicator {code!r}")
            continue
        if item.method is None:
            read.add(row.ref("code"), f"{code} is a category, not an indicator")
            continue
        if clause:
            _read_clause_row(read, row, item, clause, counts)
        else:
            _read_indicator_row(read, row, item)
    for entry_index, entry in enumerate(read.entries):
        found = counts.get(entry.item_code)
        if found:
            read.entries[entry_index] = EntryInput(
                item_code=entry.item_code,
                counts=found,
                not_applicable=entry.not_applicable,
                not_applicable_reason=entry.not_applicable_reason,
                note=entry.note,
            )
    for code, row in read.clause_rows.items():
        if code[0] not in read.rows:
            read.add(
                row.ref("code"),
                f"clause {code[1]} of {code[0]} has no row of its indicator {code[0]} above it",
                ErrorCode.REQUIRED,
            )


def _read_indicator_row(read: _Read, row: _Row, item: TemplateItem) -> None:
    if item.code in read.rows:
        read.add(
            row.ref("code"),
            f"{item.code} is already on row {read.rows[item.code].number}",
            ErrorCode.DUPLICATE,
        )
        return
    read.rows[item.code] = row
    method = item.method
    raw = row.cells["entry"]
    value = done = points = None
    if not _blank(raw):
        if item.source != ValueSource.SELF.value:
            read.add(
                row.ref("entry"),
                f"{item.code} takes its figure from the ledgers ({item.source}): leave the "
                "cell empty",
            )
        elif method is Method.DEDUCTION:
            read.add(
                row.ref("entry"),
                f"{item.code} is scored by deduction: enter the count of each clause in the "
                "clause rows below it, not on the indicator's row",
            )
        elif method is Method.BOOLEAN:
            done = _cell(read, row, "entry", _flag, f"{item.code} is done or not")
        elif method in (Method.MANUAL, Method.BONUS):
            points = _cell(read, row, "entry", _number, f"the points of {item.code}")
        else:
            value = _cell(read, row, "entry", _number, f"the value of {item.code}")
    not_applicable = _cell(read, row, "not_applicable", _flag, "不适用 not applicable")
    reason = _text(row.cells["reason"]) or None
    note = _text(row.cells["note"]) or None
    for key, text, limit in (("reason", reason, REASON_MAX), ("note", note, NOTE_MAX)):
        if text is not None and len(text) > limit:
            read.add(row.ref(key), f"at most {limit:,} characters (it has {len(text):,})")
    read.entries.append(
        EntryInput(
            item_code=item.code,
            value=value,
            done=done,
            points=points,
            not_applicable=bool(not_applicable),
            not_applicable_reason=reason,
            note=note,
        )
    )


def _read_clause_row(
    read: _Read, row: _Row, item: TemplateItem, clause: str, counts: dict[str, dict[str, int]]
) -> None:
    keys = [str(c["key"]) for c in item.clauses]
    if item.method is not Method.DEDUCTION:
        read.add(
            row.ref("clause"),
            f"{item.code} is scored by {item.method.value if item.method else 'nothing'}, not by "
            "deduction clauses: leave the clause cell empty",
        )
        return
    if clause not in keys:
        read.add(
            row.ref("clause"),
            f"{item.code} has no clause {clause!r} (its clauses: {', '.join(keys)})",
        )
        return
    if (item.code, clause) in read.clause_rows:
        earlier = read.clause_rows[(item.code, clause)].number
        read.add(
            row.ref("clause"),
            f"clause {clause} of {item.code} is already on row {earlier}",
            ErrorCode.DUPLICATE,
        )
        return
    read.clause_rows[(item.code, clause)] = row
    for key in ("not_applicable", "reason", "note"):
        if not _blank(row.cells[key]) and not (key == "not_applicable" and _is_no(row.cells[key])):
            read.add(
                row.ref(key),
                f"a clause row takes only its count: write this on {item.code}'s own row",
            )
    if _blank(row.cells["entry"]):
        return
    if item.source != ValueSource.SELF.value:
        read.add(
            row.ref("entry"),
            f"{item.code} takes its counts from the ledgers ({item.source}): leave the cell empty",
        )
        return
    count = _cell(read, row, "entry", _whole, f"the count of clause {clause} of {item.code}")
    if count is not None:
        counts.setdefault(item.code, {})[clause] = count


def _is_no(raw: object) -> bool:
    return raw is False or _text(raw).lower() in FALSE_WORDS


def _where(read: _Read, problem: Problem) -> Problem:
    """A problem of ``save_entries`` named by the cell its input came from."""
    name = problem.field or ""
    if not name.startswith("entries["):
        if name == "entries":
            return Problem(FIELD, problem.message, problem.code)
        return problem
    index = int(name[len("entries[") : name.index("]")])
    attribute = name.partition("].")[2]
    entry = read.entries[index]
    row = read.rows[entry.item_code]
    if attribute == "counts":
        clause_rows = [r for (code, _), r in read.clause_rows.items() if code == entry.item_code]
        if clause_rows:
            row = clause_rows[0]
    key = {
        "itemCode": "code",
        "notApplicableReason": "reason",
        "note": "note",
        "notApplicable": "not_applicable",
    }.get(attribute, "entry")
    return Problem(FIELD, f"{row.ref(key)}: {problem.message}", problem.code)


def read_self_assessment(
    data: bytes, assessment: Assessment, loaded: LoadedTemplate
) -> tuple[list[EntryInput], _Read]:
    """The entries the workbook holds for ``assessment``; a DomainError naming each bad cell
    (and a workbook of another template, assessment or version) otherwise."""
    key, lines = _sheets(data)
    _check_key(key, assessment, loaded.template.id)
    read = _Read()
    _read_rows(_rows(lines), loaded, read)
    if read.problems:
        raise DomainError(read.problems)
    if not read.entries:
        raise _file_problem(f"sheet {SHEET} holds no indicator row", ErrorCode.REQUIRED)
    return read.entries, read


def import_self_assessment(
    session: Session,
    actor: Actor | None,
    assessment: Assessment,
    data: bytes,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> Assessment:
    """Save the entries of a workbook :func:`export_self_assessment` made, as the unit filled it
    in (see :func:`save_entries`): every indicator row states its whole entry; rows taken out
    leave their entries as saved. Nothing is saved when any cell is wrong; every problem names
    ``file`` and the cell: ``自评 Self-assessment!G12: ...``."""
    _, cycle = unit_context(session, actor, assessment, "editing")
    versions.check_version(assessment.version, expected_version, ASSESSMENT)
    loaded = load_template_of(session, cycle.template_id)
    entries, read = read_self_assessment(data, assessment, loaded)
    if len(entries) > MAX_ENTRIES:
        raise _file_problem(
            f"at most {MAX_ENTRIES} indicators in one import (the sheet has {len(entries)})",
            ErrorCode.TOO_LARGE,
        )
    try:
        return save_entries(
            session, actor, assessment, entries, expected_version=expected_version, now=now
        )
    except DomainError as error:
        raise DomainError([_where(read, p) for p in error.problems]) from None
