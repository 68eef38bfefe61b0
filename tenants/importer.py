"""Import the tenant hierarchy from CSV or Excel: all rows checked first, then applied at once."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants.errors import DomainError, ErrorCode, Problem
from tenants.hierarchy import (
    NodeInput,
    check_code,
    check_kind,
    check_name,
    check_placement,
    create_node,
    parse_kind,
    parse_level,
    update_node,
)
from tenants.models import TenantKind, TenantLevel, TenantNode

COLUMNS = ("code", "parent_code", "name_zh", "name_en", "level", "kind")
MAX_ROWS = 100_000


@dataclass
class Row:
    """One data row of the file; ``number`` is the spreadsheet row (the header is row 1)."""

    number: int
    code: str
    parent_code: str
    name_zh: str
    name_en: str
    level: TenantLevel
    kind: TenantKind

    def where(self, column: str) -> str:
        return f"row {self.number}, {column}"


@dataclass
class ImportReport:
    """What an import did."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, {self.unchanged} unchanged"
        )


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of a .csv (UTF-8, with or without BOM) or .xlsx file as dicts keyed by header."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        records = list(csv.reader(io.StringIO(text)))
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        records = [
            ["" if v is None else str(v) for v in values]
            for values in sheet.iter_rows(values_only=True)
        ]
        workbook.close()
    else:
        raise DomainError(
            Problem("file", f"{path.name}: use a .csv or .xlsx file", ErrorCode.INVALID)
        )
    if not records:
        raise DomainError(Problem("file", "the file is empty", ErrorCode.REQUIRED))
    header = [h.strip().lower() for h in records[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise DomainError(
            Problem(
                "row 1",
                f"missing column(s): {', '.join(missing)}; expected {', '.join(COLUMNS)}",
                ErrorCode.REQUIRED,
            )
        )
    index = {c: header.index(c) for c in COLUMNS}
    out = []
    for values in records[1:]:
        cells = {c: (values[i].strip() if i < len(values) else "") for c, i in index.items()}
        out.append(cells)
    if len(out) > MAX_ROWS:
        raise DomainError(Problem("file", f"more than {MAX_ROWS} rows", ErrorCode.INVALID))
    return out


def parse_rows(records: Iterable[dict[str, str]]) -> tuple[list[Row], list[Problem]]:
    """Check each row on its own; blank rows are skipped."""
    rows, problems = [], []
    for number, cells in enumerate(records, start=2):
        if not any(cells.values()):
            continue
        row_problems = []
        code = cells["code"]
        p = check_code(code, f"row {number}, code")
        if p:
            row_problems.append(p)
        for column in ("name_zh", "name_en"):
            p = check_name(cells[column], f"row {number}, {column}")
            if p:
                row_problems.append(p)
        level = parse_level(cells["level"], f"row {number}, level")
        kind = parse_kind(cells["kind"], f"row {number}, kind")
        for parsed in (level, kind):
            if isinstance(parsed, Problem):
                row_problems.append(parsed)
        if isinstance(level, TenantLevel) and isinstance(kind, TenantKind):
            p = check_kind(level, kind, f"row {number}, kind")
            if p:
                row_problems.append(p)
        if row_problems:
            problems.extend(row_problems)
            continue
        rows.append(
            Row(number, code, cells["parent_code"], cells["name_zh"], cells["name_en"], level, kind)
        )  # type: ignore[arg-type]
    return rows, problems


def plan(session: Session, rows: list[Row]) -> tuple[list[Row], list[Problem]]:
    """Order rows parents-first and check codes, parents, cycles and level order against the
    file and the database together."""
    problems: list[Problem] = []
    by_code: dict[str, Row] = {}
    for row in rows:
        if row.code in by_code:
            problems.append(
                Problem(
                    row.where("code"),
                    f"{row.code} repeats row {by_code[row.code].number}",
                    ErrorCode.DUPLICATE,
                )
            )
        else:
            by_code[row.code] = row
    wanted = {r.code for r in rows} | {r.parent_code for r in rows if r.parent_code}
    existing = {
        n.code: n for n in session.scalars(select(TenantNode).where(TenantNode.code.in_(wanted)))
    }

    def parent_shape(row: Row) -> tuple[TenantLevel, TenantKind] | None:
        if not row.parent_code:
            return None
        source = by_code.get(row.parent_code) or existing[row.parent_code]
        return (source.level, source.kind)

    ordered: list[Row] = []
    state: dict[str, str] = {}  # code -> "visiting" | "done"

    def visit(row: Row, trail: list[str]) -> None:
        if state.get(row.code) == "done":
            return
        if state.get(row.code) == "visiting":
            loop = " -> ".join([*trail[trail.index(row.code) :], row.code])
            problems.append(Problem(row.where("parent_code"), f"cycle: {loop}", ErrorCode.CYCLE))
            return
        state[row.code] = "visiting"
        parent = by_code.get(row.parent_code)
        if parent is not None:
            visit(parent, [*trail, row.code])
        state[row.code] = "done"
        ordered.append(row)

    for row in by_code.values():
        if row.parent_code == row.code:
            problems.append(
                Problem(
                    row.where("parent_code"),
                    f"cycle: {row.code} is its own parent",
                    ErrorCode.CYCLE,
                )
            )
            state[row.code] = "done"
            continue
        if row.parent_code and row.parent_code not in by_code and row.parent_code not in existing:
            problems.append(
                Problem(
                    row.where("parent_code"),
                    f"unknown parent {row.parent_code}: neither in the file nor already imported",
                    ErrorCode.NOT_FOUND,
                )
            )
            state[row.code] = "done"
            continue
        visit(row, [])
    if problems:
        return [], problems
    for row in ordered:
        p = check_placement(row.level, row.kind, parent_shape(row), row.where("parent_code"))
        if p:
            problems.append(p)
        current = existing.get(row.code)
        if current is not None and current.level is not row.level:
            problems.append(
                Problem(
                    row.where("level"),
                    f"{row.code} is already a {current.level.value}; a level cannot change",
                    ErrorCode.INVALID,
                )
            )
        parent = existing.get(row.parent_code)
        if current is not None and parent is not None and parent.path.startswith(current.path):
            problems.append(
                Problem(
                    row.where("parent_code"),
                    f"{row.parent_code} is inside {row.code}: a unit cannot move under itself",
                    ErrorCode.CYCLE,
                )
            )
    return ordered, problems


def import_rows(session: Session, records: Iterable[dict[str, str]]) -> ImportReport:
    """Check every row, then create or update nodes in one transaction; nothing on any error.

    Re-importing the same rows changes nothing; a changed name or kind updates in place; a
    changed parent moves the node with its subtree.
    """
    rows, problems = parse_rows(records)
    ordered, more = plan(session, rows) if not problems else ([], [])
    problems += more
    if problems:
        raise DomainError(problems)
    report = ImportReport()
    try:
        for row in ordered:
            _apply(session, row, report)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return report


def _apply(session: Session, row: Row, report: ImportReport) -> None:
    node = session.scalar(select(TenantNode).where(TenantNode.code == row.code))
    parent = (
        session.scalar(select(TenantNode).where(TenantNode.code == row.parent_code))
        if row.parent_code
        else None
    )
    try:
        if node is None:
            data = NodeInput(row.code, row.name_zh, row.name_en, row.level, row.kind)
            create_node(session, None, data, parent)
            report.created.append(row.code)
            return
        changed = (
            node.name_zh != row.name_zh
            or node.name_en != row.name_en
            or node.kind is not row.kind
            or node.parent_id != (parent.id if parent else None)
        )
        if not changed:
            report.unchanged += 1
            return
        update_node(
            session,
            None,
            node,
            name_zh=row.name_zh,
            name_en=row.name_en,
            kind=row.kind if node.kind is not row.kind else None,
            parent=parent if parent is not None and parent.id != node.parent_id else None,
        )
        report.updated.append(row.code)
    except DomainError as exc:
        raise DomainError(
            [
                Problem(
                    f"row {row.number}, {p.field}" if p.field else f"row {row.number}",
                    p.message,
                    p.code,
                )
                for p in exc.problems
            ]
        ) from None


def import_file(session: Session, path: Path) -> ImportReport:
    """Import a .csv or .xlsx file (columns: code, parent_code, name_zh, name_en, level, kind)."""
    return import_rows(session, read_table(path))
