"""Indicator templates to and from Excel workbooks, the way committee offices keep them today.

A workbook has five sheets: "Template" (the settings, one per row; composite_weight,
trend_min_points, trend_min_ranks and the consequence policy's rows may be left blank or out),
"Items" (one row per category or indicator in tree order, each naming its parent's code),
"Clauses" (deduction clauses, one per row, naming their indicator), "Tiers" (tiers of ``tiers``
indicators) and "Vetoes" (one-ticket veto rules); and may have a sixth, "Bands" (colour bands:
one row per item code, blank for the whole template, and level, blank for every level, with the
green and yellow thresholds as percents of the maximum). Columns are found by the English key
that starts each header ("max_points 分值"), by its Chinese label alone ("分值") or by an office's
own word for it ("标准分值"), and sheets by their English or Chinese names ("Items" or "指标"), so
an office may reorder columns, add its own notes columns and sheets, and keep its workbook in
Chinese.

Importing gives back the document (``TemplateContent``) or one DomainError listing every problem
by its cell ("Items!E7"): cells that are not what their column needs, and everything
``scoring.templates.content_problems`` finds, traced back to the row and column it came from.
"""

from __future__ import annotations

import enum
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.utils import get_column_letter

from redline.errors import DomainError, ErrorCode, Problem
from redline.workbook_writer import WRAP, Book, SheetWriter
from redline.workbooks import WorkbookRefused, open_workbook, sheet_rows
from scoring.engine import ClauseKind, ClauseScope, Method
from scoring.engine.bands import BandRule, Thresholds
from scoring.engine.consequences import ConsequencePolicy, Trigger
from scoring.engine.words import Language
from scoring.templates.document import (
    CONTENT,
    ClauseInput,
    GradeNames,
    Imported,
    ItemInput,
    TemplateContent,
    TierInput,
    VetoRuleInput,
    walk_items,
)
from scoring.templates.models import (
    AccidentClass,
    AccidentMeasure,
    ItemKind,
    RuleSeverity,
    ValueSource,
    VetoKind,
)
from scoring.templates.validation import content_problems, shown_level
from tenants.models import TenantLevel

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000  # per sheet: far above any real template, far below a hostile file

TEMPLATE, ITEMS, CLAUSES, TIERS, VETOES = "Template", "Items", "Clauses", "Tiers", "Vetoes"
BANDS = "Bands"
SHEETS = (TEMPLATE, ITEMS, CLAUSES, TIERS, VETOES)  # every workbook has these
OPTIONAL_SHEETS = (BANDS,)  # exported always, read when there
# What offices call the sheets in their own workbooks (the export writes Redline's names).
SHEET_NAMES: dict[str, tuple[str, ...]] = {
    TEMPLATE: (TEMPLATE, "基本信息", "考核细则", "模板"),
    ITEMS: (ITEMS, "指标", "考核指标", "考评指标"),
    CLAUSES: (CLAUSES, "扣分条款", "条款"),
    TIERS: (TIERS, "分档", "分档标准"),
    VETOES: (VETOES, "一票否决", "否决事项"),
    BANDS: (BANDS, "色标"),
}


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its key (the header's first word), label, width, input field."""

    key: str
    label: str
    width: int
    field: str  # the camelCase input field it fills, for naming problems by cell
    required: bool = False
    wrap: bool = False


# The triggers of a consequence, as a settings row lists them.
TRIGGER_WORDS = (
    "以;分隔：veto 一票否决、yellow_card 黄牌警告、unqualified 不合格、"
    "overdue_major_hazards 重大隐患逾期未整改"
)
# The Template sheet lists settings as rows: key, value, note.
SETTINGS = (
    ("title", "考核细则名称", "title"),
    ("year", "年度", "year"),
    ("total_points", "总分", "totalPoints"),
    ("bonus_cap", "加分上限", "bonusCap"),
    ("grade_excellent", "优秀分数线", "gradeExcellent"),
    ("grade_good", "良好分数线", "gradeGood"),
    ("grade_qualified", "合格分数线", "gradeQualified"),
)
# Of those, the thresholds of grades a template may not have (blank: no such grade).
BLANK_IS_NONE = frozenset({"grade_excellent", "grade_good"})
GRADES = ("excellent", "good", "qualified", "unqualified")
# Settings a template may leave unset: a blank value (or no row) is none.
OPTIONAL_SETTINGS = (
    ("composite_weight", "区域综合得分权重（0-1，可空）", "compositeWeight"),
    ("trend_min_points", "趋势箭头最小分差（可空）", "trendMinPoints"),
    ("trend_min_ranks", "名次箭头最小名次变化（可空）", "trendMinRanks"),
    ("language", "评分说明语言（zh 中文、en 英文；空：en）", "language"),
    ("grade_name_excellent", "优秀等级名称（如 一级；可空）", "gradeNames.excellent"),
    ("grade_name_good", "良好等级名称（如 二级；可空）", "gradeNames.good"),
    ("grade_name_qualified", "合格等级名称（如 三级；可空）", "gradeNames.qualified"),
    ("grade_name_unqualified", "不合格等级名称（如 不达标；可空）", "gradeNames.unqualified"),
    (
        "commendation_quota",
        "通报表扬名额（空：全部优秀且未被否决、未被黄牌警告的单位）",
        "consequences.commendationQuota",
    ),
    (
        "criticise_on",
        f"通报批评情形（{TRIGGER_WORDS}；空：veto;unqualified）",
        "consequences.criticiseOn",
    ),
    (
        "interview_on",
        f"约谈主要负责人情形（{TRIGGER_WORDS}；空：veto;yellow_card）",
        "consequences.interviewOn",
    ),
    (
        "ineligible_months",
        "一票否决单位主要负责人不得评优评先、提拔的月数（0：不限制；空：12）",
        "consequences.ineligibleMonths",
    ),
    (
        "retroactive_years",
        "期满后仍可追溯否决的年数（如瞒报事故事后查实；0-3，空：0 不追溯）",
        "consequences.retroactiveYears",
    ),
)
# The settings that make the consequence policy (``ConsequencePolicy``: blank keeps its default).
CONSEQUENCE_SETTINGS = (
    "commendation_quota",
    "criticise_on",
    "interview_on",
    "ineligible_months",
    "retroactive_years",
)
# What an optional setting left blank is.
OPTIONAL_DEFAULTS: dict[str, object] = {"language": Language.EN.value}
SETTING_COLUMNS = (
    Column("field", "字段", 18, "", required=True),
    Column("value", "值", 60, "", required=True, wrap=True),
    Column("note", "说明", 16, ""),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    ITEMS: (
        Column("code", "编码", 10, "code", required=True),
        Column("parent", "上级编码", 10, "parent"),
        Column("kind", "类型", 11, "kind", required=True),
        Column("title", "名称", 36, "title", required=True, wrap=True),
        Column("max_points", "分值", 9, "maxPoints", required=True),
        Column("method", "计分方法", 12, "method"),
        Column("target", "目标值", 9, "target"),
        Column("floor", "下限", 9, "floor"),
        Column("bonus", "加分类别", 9, "bonus"),
        Column("local", "地方类别", 9, "local"),
        Column("required", "必填", 8, "required"),
        Column("source", "数据来源", 10, "source"),
        Column("requirement", "考评内容", 60, "requirement", wrap=True),
        Column("criteria", "评分标准", 60, "criteria", wrap=True),
    ),
    CLAUSES: (
        Column("item", "指标编码", 10, "item", required=True),
        Column("key", "条款", 8, "key", required=True),
        Column("kind", "扣分方式", 15, "kind", required=True),
        Column("points", "分值", 9, "points"),
        Column("threshold", "累计阈值", 10, "threshold"),
        Column("fact", "同一事实", 10, "fact"),
        Column("scope", "加扣范围", 10, "scope"),
        Column("fact_scope", "事实范围", 10, "factScope"),
        Column("cap", "最多扣分", 9, "cap"),
        Column("repeat_factor", "重复倍数", 9, "repeatFactor"),
        Column("accident_measure", "事故计量", 14, "accidentMeasure"),
        Column("accident_class", "事故等级", 14, "accidentClass"),
        Column("text", "条款原文", 60, "text", wrap=True),
    ),
    TIERS: (
        Column("item", "指标编码", 10, "item", required=True),
        Column("min_value", "不低于", 10, "minValue", required=True),
        Column("points", "得分", 9, "points", required=True),
    ),
    VETOES: (
        Column("code", "编码", 10, "code", required=True),
        Column("title", "否决事项", 36, "title", required=True, wrap=True),
        Column("kind", "类型", 10, "kind"),
        Column("text", "说明", 60, "text", wrap=True),
        # veto (一票否决) or yellow_card (黄牌警告); blank: veto.
        Column("severity", "后果", 12, "severity"),
        Column("threshold", "阈值（死亡人数、逾期任务数）", 12, "threshold"),
    ),
    # A blank item is the whole template; a blank level is every level.
    BANDS: (
        Column("item", "指标编码（空：整个模板）", 14, "item", required=True),
        Column("level", "层级（空：各层级）", 12, "level", required=True),
        Column("green", "绿色线%", 10, "green", required=True),
        Column("yellow", "黄色线%", 10, "yellow", required=True),
    ),
}

# Headers an office may write instead of "key 标签" or the label alone (spaces ignored).
HEADER_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    ITEMS: {
        "code": ("指标编码", "项目编码"),
        "parent": ("上级", "所属类别编码"),
        "title": ("指标名称", "考核项目", "考评项目"),
        "max_points": ("标准分值", "标准分", "分数"),
        "requirement": ("考核内容", "考评要求", "标准要求"),
        "criteria": ("考核标准", "考评标准", "评分办法", "扣分标准"),
    },
    CLAUSES: {
        "item": ("编码",),
        "points": ("扣分", "扣分值"),
        "text": ("条款内容", "扣分标准"),
    },
    TIERS: {"item": ("编码",)},
    VETOES: {
        "title": ("否决事项", "事项"),
        "text": ("否决情形", "说明"),
        "severity": ("后果",),
        "threshold": ("阈值",),
    },
    BANDS: {"item": ("编码",)},
}


# Drop-down lists for the columns that take one of a few words.
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    (ITEMS, "kind"): tuple(k.value for k in ItemKind),
    (ITEMS, "method"): tuple(m.value for m in Method),
    (ITEMS, "bonus"): ("TRUE", "FALSE"),
    (ITEMS, "local"): ("TRUE", "FALSE"),
    (ITEMS, "required"): ("TRUE", "FALSE"),
    (ITEMS, "source"): tuple(s.value for s in ValueSource),
    (CLAUSES, "kind"): tuple(k.value for k in ClauseKind),
    (CLAUSES, "scope"): tuple(s.value for s in ClauseScope),
    (CLAUSES, "fact_scope"): tuple(s.value for s in ClauseScope),
    (CLAUSES, "accident_measure"): tuple(m.value for m in AccidentMeasure),
    (CLAUSES, "accident_class"): tuple(c.value for c in AccidentClass),
    (VETOES, "kind"): tuple(k.value for k in VetoKind),
    (VETOES, "severity"): tuple(s.value for s in RuleSeverity),
    (BANDS, "level"): tuple(level.value for level in TenantLevel),
}

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是", "√", "✓"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否", "×"})


# --- export ---------------------------------------------------------------------------------


def _header(book: Book, name: str, columns: Sequence[Column]) -> SheetWriter:
    """A sheet with its header row (and drop-down lists where a column takes one of a few
    words): a writer for the rows below it."""
    rows = book.sheet(name)
    # CJK characters are about twice as wide as Latin ones at the same font size.
    rows.header([f"{c.key} {c.label}" for c in columns], [c.width for c in columns])
    rows.freeze(1)
    for index, column in enumerate(columns):
        words = CHOICES.get((name, column.key))
        if words:
            # A list to pick from, not a rule: the import reads more words than it shows
            # (是 and yes for TRUE) and says what is wrong with any other.
            options = {"validate": "list", "source": list(words), "show_error": False}
            rows.sheet.data_validation(1, index, MAX_ROWS - 1, index, options)
    return rows


def export_template(content: TemplateContent) -> bytes:
    """The template as an .xlsx workbook a committee office can read, edit and import again."""
    book = Book()
    settings = _header(book, TEMPLATE, SETTING_COLUMNS)
    for key, label, _ in (*SETTINGS, *OPTIONAL_SETTINGS):
        settings.write([key, _setting(content, key), label], [None, WRAP])

    rows = {
        name: _header(book, name, COLUMNS[name]) for name in (ITEMS, CLAUSES, TIERS, VETOES, BANDS)
    }
    items, clauses, tiers, vetoes = rows[ITEMS], rows[CLAUSES], rows[TIERS], rows[VETOES]
    _write_bands(rows[BANDS], None, content.bands)

    wraps = {name: [WRAP if c.wrap else None for c in COLUMNS[name]] for name in COLUMNS}
    for _, item, parent in walk_items(content.items):
        row = {
            "code": item.code,
            "parent": parent.code if parent is not None else None,
            "kind": str(item.kind),
            "title": item.title,
            "max_points": item.max_points,
            "method": str(item.method) if item.method is not None else None,
            "target": item.target,
            "floor": item.floor,
            "bonus": item.bonus,
            "local": item.local,
            "required": item.required,
            "source": item.source,
            "requirement": item.requirement or None,
            "criteria": item.criteria or None,
        }
        items.write([row[c.key] for c in COLUMNS[ITEMS]], wraps[ITEMS])
        for clause in item.clauses:
            row = {
                "item": item.code,
                "key": clause.key,
                "kind": str(clause.kind),
                "points": clause.points,
                "threshold": clause.threshold,
                "fact": clause.fact,
                "scope": _beyond_item(clause.scope),
                "fact_scope": _beyond_item(clause.fact_scope),
                "cap": clause.cap,
                "repeat_factor": clause.repeat_factor,
                "accident_measure": _value_or_none(clause.accident_measure),
                "accident_class": _value_or_none(clause.accident_class),
                "text": clause.text,
            }
            clauses.write([row[c.key] for c in COLUMNS[CLAUSES]], wraps[CLAUSES])
        for tier in item.tiers:
            tiers.write([item.code, tier.min_value, tier.points])
        _write_bands(rows[BANDS], item.code, item.bands)
    for rule in content.veto_rules:
        row = {
            "code": rule.code,
            "title": rule.title,
            "kind": str(rule.kind),
            "text": rule.text,
            "severity": str(rule.severity),
            "threshold": rule.threshold,
        }
        vetoes.write([row[c.key] for c in COLUMNS[VETOES]], wraps[VETOES])

    return book.close()


def _beyond_item(scope: ClauseScope) -> str | None:
    """A clause's scope as the sheet shows it: blank for the item, the usual case."""
    return None if scope == ClauseScope.ITEM else ClauseScope(scope).value


def _setting(content: TemplateContent, key: str) -> object:
    """A setting's value as the Template sheet shows it (a grade without a name: blank)."""
    if key.startswith("grade_name_"):
        return content.grade_names.of(key.removeprefix("grade_name_")) or None
    if key in CONSEQUENCE_SETTINGS:
        value = content.consequences.document()[key]
        return ";".join(value) if isinstance(value, list) else value
    return getattr(content, key)


def _consequences(settings: dict[str, Any]) -> ConsequencePolicy:
    """The consequence rows read, out of the settings (they make one policy; blank: default)."""
    given = {key: settings.pop(key, None) for key in CONSEQUENCE_SETTINGS}
    return ConsequencePolicy.from_document({k: v for k, v in given.items() if v is not None})


def _triggers(raw: object) -> list[str]:
    """Triggers separated by ; , 、 or spaces, each one of ``Trigger``."""
    words = [w for w in re.split(r"[;；,，、\s]+", _text(raw)) if w]
    return [_word(Trigger, "trigger")(word).value for word in words]


def _grade_names(settings: dict[str, Any]) -> GradeNames:
    """The grade-name rows read, out of the settings (they make one GradeNames)."""
    return GradeNames(**{g: settings.pop(f"grade_name_{g}", None) or "" for g in GRADES})


def _level_order(level: object) -> int:
    try:
        return TenantLevel(level).rank
    except ValueError:
        return len(TenantLevel)


def _write_bands(rows: SheetWriter, code: str | None, rule: BandRule | None) -> None:
    """The rows of one template's or item's bands: the default, then each level from the top."""
    if rule is None:
        return
    if rule.default is not None:
        rows.write([code, None, rule.default.green, rule.default.yellow])
    for level in sorted(rule.levels, key=_level_order):
        thresholds = rule.levels[level]
        rows.write([code, shown_level(level), thresholds.green, thresholds.yellow])


# --- import ---------------------------------------------------------------------------------


class _Invalid(Exception):
    """A cell that is not what its column needs (caught per cell, collected as problems)."""


@dataclass
class _Row:
    """One data row of a sheet (``sheet``: Redline's name of it; ``title``: the workbook's):
    its number and its cells by column key."""

    sheet: str
    title: str
    number: int
    cells: dict[str, object]
    letters: dict[str, str]

    def ref(self, key: str | None = None) -> str:
        letter = self.letters.get(key or "", "A")
        return f"{self.title}!{letter}{self.number}"


@dataclass
class _Reader:
    """Reads cells, collecting a problem per bad cell, and remembers where each input came from."""

    problems: list[Problem] = field(default_factory=list)
    # input path ("items[1].children[0]") -> the row it was read from
    origins: dict[str, _Row] = field(default_factory=dict)
    # Redline's sheet name -> the workbook's ("Items" -> "指标")
    titles: dict[str, str] = field(default_factory=dict)

    def title(self, sheet: str) -> str:
        return self.titles.get(sheet, sheet)

    def add(self, where: str | None, message: str, code: ErrorCode = ErrorCode.INVALID) -> None:
        self.problems.append(Problem(where, message, code))

    def cell(self, row: _Row, key: str, parse: Callable[[object], Any], default: Any = None) -> Any:
        raw = row.cells.get(key)
        if _blank(raw):
            return default
        try:
            return parse(raw)
        except _Invalid as error:
            self.add(row.ref(key), str(error))
            return default

    def required(self, row: _Row, key: str, what: str, parse: Callable[[object], Any]) -> Any:
        if _blank(row.cells.get(key)):
            self.add(row.ref(key), f"{what} is required", ErrorCode.REQUIRED)
            return None
        return self.cell(row, key, parse)


def _blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _text(raw: object) -> str:
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        # A code typed as a number (2.1): its shortest form, never "2.1000000000000001".
        return str(int(raw)) if raw.is_integer() else repr(raw)
    return str(raw).strip()


def _number(what: str, need: str = "a number") -> Callable[[object], Decimal]:
    def parse(raw: object) -> Decimal:
        if isinstance(raw, bool):
            raise _Invalid(f"{what} must be {need}, got {_text(raw)!r}")
        if isinstance(raw, int):
            return Decimal(raw)
        # repr gives a float's shortest digits: 0.1 stays 0.1, not 0.1000000000000000055...
        text = repr(raw) if isinstance(raw, float) else str(raw).strip().replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise _Invalid(f"{what} must be {need}, got {str(raw).strip()!r}") from None
        if not number.is_finite():
            raise _Invalid(f"{what} must be a finite number, got {text!r}")
        return number

    return parse


def _year(raw: object) -> int:
    number = _number("the year")(raw)
    if number != number.to_integral_value():
        raise _Invalid(f"the year must be a whole number, got {_text(raw)!r}")
    return int(number)


def _word(enum_class: type, what: str) -> Callable[[object], Any]:
    def parse(raw: object) -> Any:
        text = _text(raw).lower()
        try:
            return enum_class(text)
        except ValueError:
            known = ", ".join(member.value for member in enum_class)
            raise _Invalid(f"unknown {what} {_text(raw)!r}: use one of {known}") from None

    return parse


def _value_or_none(word: enum.StrEnum | None) -> str | None:
    return None if word is None else str(word.value)


def _flag(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise _Invalid(f"use TRUE or FALSE, got {_text(raw)!r}")


def _source(raw: object) -> str:
    return _text(raw)


def _column_key(heading: object, sheet: str, columns: Sequence[Column]) -> str | None:
    """The key of the column a header names: its first word ("max_points 分值"), its label
    alone ("分值") or an office's word for it (``HEADER_ALIASES``); spaces ignored."""
    if not isinstance(heading, str) or not heading.split():
        return None
    first = heading.split()[0].lower()
    if any(c.key == first for c in columns):
        return first
    said = re.sub(r"\s+", "", heading)
    for column in columns:
        if said == column.label or said in HEADER_ALIASES.get(sheet, {}).get(column.key, ()):
            return column.key
    return None


def _rows(workbook: Any, name: str, reader: _Reader) -> list[_Row] | None:
    """The data rows of a sheet, by column key; None (and a problem) if it cannot be read."""
    columns = SETTING_COLUMNS if name == TEMPLATE else COLUMNS[name]
    title = reader.title(name)
    lines: Iterator[tuple[int, tuple[object, ...]]] = sheet_rows(workbook[title])
    header: tuple[object, ...] = ()
    first = next(lines, None)
    if first is not None and first[0] == 1:
        header = first[1]
    elif first is not None:
        lines = itertools.chain([first], lines)  # row 1 is blank: the sheet has no header
    positions: dict[str, int] = {}
    for index, heading in enumerate(header):
        key = _column_key(heading, name, columns)
        if key is not None:
            positions.setdefault(key, index)
    missing = [c for c in columns if c.key not in positions and c.required]
    if missing:
        wanted = ", ".join(f"'{c.key} {c.label}' (or '{c.label}')" for c in missing)
        reader.add(
            f"{title}!1",
            f"sheet {title} has no column {wanted} in its header row",
            ErrorCode.REQUIRED,
        )
        return None
    letters = {key: get_column_letter(index + 1) for key, index in positions.items()}
    rows: list[_Row] = []
    for number, values in lines:
        cells = {key: values[i] if i < len(values) else None for key, i in positions.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        if len(rows) >= MAX_ROWS:
            reader.add(title, f"sheet {title} has more than {MAX_ROWS} rows", ErrorCode.TOO_LARGE)
            return None
        rows.append(_Row(name, title, number, cells, letters))
    return rows


def _open(data: bytes) -> Any:
    if len(data) > MAX_BYTES:
        raise DomainError(
            Problem("file", f"the file is larger than {MAX_BYTES // 2**20} MB", ErrorCode.TOO_LARGE)
        )
    return open_workbook(data)


def _sheet_titles(sheetnames: Sequence[str], reader: _Reader) -> None:
    """Find each sheet by Redline's name or an office's (``SHEET_NAMES``), into
    ``reader.titles``; two sheets answering to one name are a problem."""
    for name, aliases in SHEET_NAMES.items():
        wanted = {alias.casefold() for alias in aliases}
        found = [title for title in sheetnames if title.strip().casefold() in wanted]
        if len(found) > 1:
            reader.add(
                found[1],
                f"sheets {' and '.join(repr(t) for t in found)} are both the {name} sheet: "
                "keep one",
                ErrorCode.DUPLICATE,
            )
        if found:
            reader.titles[name] = found[0]


def _read_sheets(data: bytes, reader: _Reader) -> dict[str, list[_Row] | None]:
    workbook = _open(data)
    try:
        _sheet_titles(workbook.sheetnames, reader)
        absent = [name for name in SHEETS if name not in reader.titles]
        if absent or reader.problems:
            known = set(reader.titles.values())
            others = [title for title in workbook.sheetnames if title not in known]
            found = f" (it has {', '.join(repr(n) for n in others)})" if others else ""
            for name in absent:
                also = "、".join(SHEET_NAMES[name][1:])
                reader.add(
                    name,
                    f"the workbook has no sheet '{name}' (or {also}){found}",
                    ErrorCode.REQUIRED,
                )
            raise DomainError(reader.problems)
        present = (*SHEETS, *(n for n in OPTIONAL_SHEETS if n in reader.titles))
        return {name: _rows(workbook, name, reader) for name in present}
    finally:
        workbook.close()


def import_template(data: bytes) -> TemplateContent:
    """The template in an .xlsx workbook; a DomainError naming each bad cell otherwise."""
    return read_workbook(data).content


def read_workbook(data: bytes) -> Imported:
    """The template in an .xlsx workbook, with its problems' cells; a DomainError naming each
    bad cell otherwise."""
    reader = _Reader()
    try:
        sheets = _read_sheets(data, reader)
    except WorkbookRefused as refused:
        # A cell too long for Excel is named by its cell, as every other bad cell is.
        where = refused.cell or refused.field
        raise DomainError(Problem(where, refused.message, ErrorCode(refused.code))) from None
    if reader.problems:
        raise DomainError(reader.problems)
    rows = {name: sheet or [] for name, sheet in sheets.items()}
    settings = _read_settings(reader, rows[TEMPLATE])
    clauses = _read_clauses(reader, rows[CLAUSES])
    tiers = _read_tiers(reader, rows[TIERS])
    bands = _read_bands(reader, rows.get(BANDS, []))
    items = _read_items(reader, rows[ITEMS], clauses, tiers, bands)
    vetoes = _read_vetoes(reader, rows[VETOES])
    template_bands = bands.rule(None, "bands", reader)
    if reader.problems:
        raise DomainError(reader.problems)
    names = _grade_names(settings)
    consequences = _consequences(settings)
    content = TemplateContent(
        items=items,
        veto_rules=vetoes,
        bands=template_bands,
        grade_names=names,
        consequences=consequences,
        **settings,
    )
    problems = content_problems(content)
    if problems:
        raise DomainError([_at_cell(problem, reader) for problem in problems])
    return Imported(content, lambda problem: _at_cell(problem, reader))


def _whole(what: str) -> Callable[[object], int]:
    def parse(raw: object) -> int:
        number = _number(what, "a whole number")(raw)
        if number != number.to_integral_value():
            raise _Invalid(f"{what} must be a whole number, got {_text(raw)!r}")
        return int(number)

    return parse


_OPTIONAL_PARSERS: dict[str, Callable[[object], Any]] = {
    "composite_weight": _number("the composite weight"),
    "trend_min_points": _number("the least score change"),
    "trend_min_ranks": _whole("the least rank change"),
    "language": lambda raw: str(_word(Language, "language")(raw)),
    **{f"grade_name_{grade}": _text for grade in GRADES},
    "commendation_quota": _whole("the commendation quota"),
    "criticise_on": _triggers,
    "interview_on": _triggers,
    "ineligible_months": _whole("the months barred"),
    "retroactive_years": _whole("the years a late veto may reach back"),
}


def _read_settings(reader: _Reader, rows: list[_Row]) -> dict[str, Any]:
    labels = {label: key for key, label, _ in (*SETTINGS, *OPTIONAL_SETTINGS)}
    by_key: dict[str, _Row] = {}
    for row in rows:
        if row.cells.get("field"):
            said = _text(row.cells["field"])
            by_key.setdefault(labels.get(re.sub(r"\s+", "", said), said.lower()), row)
    values: dict[str, Any] = {}
    for key, label, path in SETTINGS:
        row = by_key.get(key)
        if row is None:
            title = reader.title(TEMPLATE)
            reader.add(title, f"sheet {title} has no row '{key}' ({label})", ErrorCode.REQUIRED)
            values[key] = None
            continue
        reader.origins[path] = row
        if key == "title":
            values[key] = reader.cell(row, "value", _text, default="")
        elif key == "year":
            values[key] = reader.required(row, "value", "the year", _year)
        elif key in BLANK_IS_NONE:
            values[key] = reader.cell(row, "value", _number(key.replace("_", " ")))
        else:
            values[key] = reader.required(row, "value", label, _number(key.replace("_", " ")))
    for key, _, path in OPTIONAL_SETTINGS:
        row = by_key.get(key)
        values[key] = OPTIONAL_DEFAULTS.get(key)
        if row is not None:
            reader.origins[path] = row
            values[key] = reader.cell(row, "value", _OPTIONAL_PARSERS[key], values[key])
    return values


@dataclass
class _Pending:
    """Rows of a sheet keyed by indicator code, waiting for their indicator's row."""

    rows: dict[str, list[tuple[_Row, Any]]] = field(default_factory=dict)

    def add(self, code: str, row: _Row, value: Any) -> None:
        self.rows.setdefault(code, []).append((row, value))


def _read_clauses(reader: _Reader, rows: list[_Row]) -> _Pending:
    pending = _Pending()
    for row in rows:
        code = reader.required(row, "item", "the indicator code", _text)
        key = reader.required(row, "key", "the clause key", _text)
        kind = reader.required(row, "kind", "the clause kind", _word(ClauseKind, "clause kind"))
        points = reader.cell(row, "points", _number("clause points"), Decimal(0))
        threshold = reader.cell(row, "threshold", _number("the threshold"))
        fact = reader.cell(row, "fact", _text)
        text = reader.cell(row, "text", _text, "")
        scope = reader.cell(row, "scope", _word(ClauseScope, "scope"), ClauseScope.ITEM)
        fact_scope = reader.cell(
            row, "fact_scope", _word(ClauseScope, "fact scope"), ClauseScope.ITEM
        )
        cap = reader.cell(row, "cap", _number("the cap"))
        repeat_factor = reader.cell(row, "repeat_factor", _number("the repeat factor"))
        measure = reader.cell(row, "accident_measure", _word(AccidentMeasure, "accident measure"))
        accident_class = reader.cell(row, "accident_class", _word(AccidentClass, "accident class"))
        if code and key is not None and kind is not None:
            clause = ClauseInput(
                key,
                kind,
                text,
                points,
                threshold,
                fact,
                scope,
                fact_scope,
                cap=cap,
                repeat_factor=repeat_factor,
                accident_measure=measure,
                accident_class=accident_class,
            )
            pending.add(code, row, clause)
    return pending


def _read_tiers(reader: _Reader, rows: list[_Row]) -> _Pending:
    pending = _Pending()
    for row in rows:
        code = reader.required(row, "item", "the indicator code", _text)
        low = reader.required(row, "min_value", "the min value", _number("the min value"))
        points = reader.required(row, "points", "tier points", _number("tier points"))
        if code and low is not None and points is not None:
            pending.add(code, row, TierInput(low, points))
    return pending


@dataclass
class _Bands:
    """The Bands sheet's rows by item code (None: the whole template), each with its level
    (None: every level) and thresholds, in sheet order."""

    rows: dict[str | None, list[tuple[_Row, TenantLevel | None, Thresholds]]] = field(
        default_factory=dict
    )

    def rule(self, code: str | None, path: str, reader: _Reader) -> BandRule | None:
        """The bands of one item (or the template) read at input path ``path`` ("bands",
        "items[0].bands"), each row remembered as the origin of what it set."""
        entries = self.rows.get(code, [])
        if not entries:
            return None
        default = None
        levels: dict[str, Thresholds] = {}
        for row, level, thresholds in entries:
            if level is None:
                default = thresholds
                reader.origins[path] = row
            else:
                reader.origins[f"{path}.levels[{len(levels)}]"] = row
                levels[level.value] = thresholds
        return BandRule(default, levels)


def _read_bands(reader: _Reader, rows: list[_Row]) -> _Bands:
    bands = _Bands()
    first: dict[tuple[str | None, TenantLevel | None], int] = {}
    for row in rows:
        before = len(reader.problems)
        code = reader.cell(row, "item", _text)
        level = reader.cell(row, "level", _word(TenantLevel, "level"))
        green = reader.required(row, "green", "the green threshold", _number("the green threshold"))
        yellow = reader.required(
            row, "yellow", "the yellow threshold", _number("the yellow threshold")
        )
        if len(reader.problems) > before:
            continue  # a bad cell: the row says nothing yet
        if (code, level) in first:
            whose = f"item {code}" if code else "the whole template"
            at = f"level {level.value}" if level else "every level"
            reader.add(
                row.ref("level"),
                f"the bands of {whose} at {at} are given twice (first in row {first[code, level]})",
                ErrorCode.DUPLICATE,
            )
            continue
        first[code, level] = row.number
        bands.rows.setdefault(code, []).append((row, level, Thresholds(green, yellow)))
    return bands


@dataclass
class _Node:
    """An item read from its row, with its children gathered before the tree is built."""

    row: _Row
    values: dict[str, Any]
    children: list[_Node] = field(default_factory=list)


def _read_items(
    reader: _Reader, rows: list[_Row], clauses: _Pending, tiers: _Pending, bands: _Bands
) -> tuple[ItemInput, ...]:
    roots: list[_Node] = []
    by_code: dict[str, _Node] = {}
    for row in rows:
        code = reader.required(row, "code", "the code", _text)
        parent_code = reader.cell(row, "parent", _text)
        kind = reader.required(row, "kind", "the kind", _word(ItemKind, "kind"))
        max_points = reader.required(
            row, "max_points", "max points", _number("max points", "a positive number")
        )
        values = {
            "code": code,
            "title": reader.cell(row, "title", _text, ""),
            "kind": kind,
            "max_points": max_points,
            "criteria": reader.cell(row, "criteria", _text, ""),
            "requirement": reader.cell(row, "requirement", _text, ""),
            "bonus": reader.cell(row, "bonus", _flag, False),
            "local": reader.cell(row, "local", _flag, False),
            "method": reader.cell(row, "method", _word(Method, "method")),
            "target": reader.cell(row, "target", _number("the target")),
            "floor": reader.cell(row, "floor", _number("the floor")),
            "required": reader.cell(row, "required", _flag, True),
            "source": reader.cell(row, "source", _source, ValueSource.SELF.value),
        }
        node = _Node(row, values)
        if parent_code is None:
            roots.append(node)
        elif parent_code in by_code:
            by_code[parent_code].children.append(node)
        else:
            reader.add(
                row.ref("parent"),
                f"unknown parent code {parent_code!r}: a parent must be listed above its items",
            )
        if code and code not in by_code:
            by_code[code] = node
    for code, entries in (*clauses.rows.items(), *tiers.rows.items()):
        if code not in by_code:
            for row, _ in entries:
                reader.add(row.ref("item"), f"unknown indicator code {code!r}")
    for code, band_rows in bands.rows.items():
        if code is not None and code not in by_code:
            for row, _, _ in band_rows:
                reader.add(row.ref("item"), f"unknown item code {code!r}")
    if reader.problems:
        return ()

    def build(node: _Node, path: str) -> ItemInput:
        reader.origins[path] = node.row
        code = node.values["code"]
        item_clauses = clauses.rows.get(code, []) if by_code.get(code) is node else []
        item_tiers = tiers.rows.get(code, []) if by_code.get(code) is node else []
        for index, (row, _) in enumerate(item_clauses):
            reader.origins[f"{path}.clauses[{index}]"] = row
        for index, (row, _) in enumerate(item_tiers):
            reader.origins[f"{path}.tiers[{index}]"] = row
        own = by_code.get(code) is node
        return ItemInput(
            **node.values,
            clauses=tuple(clause for _, clause in item_clauses),
            tiers=tuple(tier for _, tier in item_tiers),
            bands=bands.rule(code, f"{path}.bands", reader) if own else None,
            children=tuple(
                build(child, f"{path}.children[{index}]")
                for index, child in enumerate(node.children)
            ),
        )

    return tuple(build(node, f"items[{index}]") for index, node in enumerate(roots))


def _read_vetoes(reader: _Reader, rows: list[_Row]) -> tuple[VetoRuleInput, ...]:
    rules = []
    for index, row in enumerate(rows):
        reader.origins[f"vetoRules[{index}]"] = row
        rules.append(
            VetoRuleInput(
                code=reader.cell(row, "code", _text, ""),
                title=reader.cell(row, "title", _text, ""),
                text=reader.cell(row, "text", _text, ""),
                kind=reader.cell(row, "kind", _word(VetoKind, "veto kind"), VetoKind.MANUAL),
                severity=reader.cell(
                    row, "severity", _word(RuleSeverity, "severity"), RuleSeverity.VETO
                ),
                threshold=reader.cell(row, "threshold", _whole("the threshold")),
            )
        )
    return tuple(rules)


_ATTRIBUTE_COLUMNS = {
    ITEMS: {c.field: c.key for c in COLUMNS[ITEMS]} | {"tiers": "method", "clauses": "method"},
    CLAUSES: {c.field: c.key for c in COLUMNS[CLAUSES]},
    TIERS: {c.field: c.key for c in COLUMNS[TIERS]},
    VETOES: {c.field: c.key for c in COLUMNS[VETOES]},
    BANDS: {c.field: c.key for c in COLUMNS[BANDS]},
}
_SHEET_OF_LIST = {"items": ITEMS, "vetoRules": VETOES}


def _at_cell(problem: Problem, reader: _Reader) -> Problem:
    """A content problem named by the cell it came from: content.items[1].maxPoints -> Items!E3."""
    origins = reader.origins
    path = (problem.field or "").removeprefix(f"{CONTENT}.")
    if path in _SHEET_OF_LIST:
        return Problem(reader.title(_SHEET_OF_LIST[path]), problem.message, problem.code)
    if path in origins and origins[path].sheet == TEMPLATE:
        return Problem(origins[path].ref("value"), problem.message, problem.code)
    if path in origins:
        return Problem(origins[path].ref(), problem.message, problem.code)
    prefix, _, attribute = path.rpartition(".")
    if prefix in origins:
        row = origins[prefix]
        column = _ATTRIBUTE_COLUMNS.get(row.sheet, {}).get(attribute)
        return Problem(row.ref(column), problem.message, problem.code)
    return problem
