"""Import the tenant hierarchy from CSV or Excel: all rows checked first, then applied at once."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode, Problem, fail
from tenants import audit
from tenants.hierarchy import (
    NodeInput,
    check_code,
    check_kind,
    check_name,
    check_name_en,
    check_placement,
    create_node,
    parse_kind,
    parse_level,
    update_node,
)
from tenants.models import TenantKind, TenantLevel, TenantNode
from tenants.reading import province_of

COLUMNS = ("code", "parent_code", "name_zh", "name_en", "level", "kind")
MAX_ROWS = 100_000
MB = 2**20
LOOKUP_CHUNK = 500  # codes per IN (...) lookup


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
        try:
            text = path.read_bytes().decode("utf-8-sig")
            records = list(csv.reader(io.StringIO(text)))
        except UnicodeDecodeError as exc:
            raise DomainError(
                Problem(
                    "file",
                    f'{path.name} is not UTF-8 text (byte {exc.start}): save it as "CSV UTF-8"',
                    ErrorCode.INVALID,
                )
            ) from None
        except csv.Error as exc:
            raise DomainError(
                Problem("file", f"{path.name} is not a readable CSV file: {exc}", ErrorCode.INVALID)
            ) from None
    elif suffix in (".xlsx", ".xlsm"):
        records = _read_workbook(path)
    else:
        raise DomainError(
            Problem("file", f"{path.name}: use a .csv or .xlsx file", ErrorCode.INVALID)
        )
    if not records:
        raise DomainError(Problem("file", "the file is empty", ErrorCode.REQUIRED))
    header = [h.strip().lower() for h in records[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise DomainError(_missing_columns("row 1", missing))
    index = {c: header.index(c) for c in COLUMNS}
    out = []
    for values in records[1:]:
        cells = {c: (values[i].strip() if i < len(values) else "") for c, i in index.items()}
        out.append(cells)
    if len(out) > MAX_ROWS:
        raise DomainError(Problem("file", f"more than {MAX_ROWS} rows", ErrorCode.INVALID))
    return out


def _read_workbook(path: Path) -> list[list[str]]:
    """The first sheet's rows as text (whole numbers without a trailing ".0"); blank rows
    are empty lists, so each row keeps its place."""
    # Imported here: the command loads openpyxl only when it reads a workbook.
    from redline.workbooks import WorkbookLimits, WorkbookRefused, open_workbook, sheet_rows

    # An operator's own file of up to MAX_ROWS units: 100,000 rows as openpyxl writes them
    # (inline strings) unpack to 40 MB in one sheet, with 3.8 million XML tags.
    limits = WorkbookLimits(
        unpacked_bytes=120 * MB, part_bytes=100 * MB, tags=5_000_000, cells=2_000_000
    )
    try:
        data = path.read_bytes() if path.stat().st_size <= limits.unpacked_bytes else None
    except OSError as error:
        raise fail("file", f"{path.name} is not a readable Excel file ({error})") from None
    if data is None:
        too_large = f"{path.name} is larger than {limits.unpacked_bytes // MB} MB"
        raise fail("file", too_large, ErrorCode.TOO_LARGE)
    try:
        workbook = open_workbook(data, limits=limits)
        try:
            records: list[list[str]] = []
            for number, values in sheet_rows(workbook.worksheets[0], limits=limits):
                if number > MAX_ROWS + 1:  # the header, then at most MAX_ROWS rows
                    raise DomainError(
                        Problem("file", f"more than {MAX_ROWS} rows", ErrorCode.INVALID)
                    )
                records.extend([] for _ in range(number - 1 - len(records)))
                records.append([_cell_text(v) for v in values])
            return records
        finally:
            workbook.close()
    except WorkbookRefused as refused:
        if refused.code == "too_large":
            message = f"{path.name}: {refused.message}"
        else:
            message = f"{path.name} is not a readable Excel file: {refused.message}"
        raise DomainError(Problem("file", message, ErrorCode(refused.code))) from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code typed as a number: 330402, not "330402.0"
    return str(value)


def _missing_columns(where: str, missing: list[str]) -> Problem:
    return Problem(
        where,
        f"missing column(s): {', '.join(missing)}; expected {', '.join(COLUMNS)}",
        ErrorCode.REQUIRED,
    )


def parse_rows(records: Iterable[dict[str, str]]) -> tuple[list[Row], list[Problem]]:
    """Check each row on its own; blank rows are skipped."""
    rows, problems = [], []
    for number, record in enumerate(records, start=2):
        missing = [c for c in COLUMNS if c not in record]
        cells = {c: str(record.get(c) or "").strip() for c in COLUMNS}
        if not any(cells.values()):
            continue
        if missing:
            problems.append(_missing_columns(f"row {number}", missing))
            continue
        row_problems = []
        code = cells["code"]
        p = check_code(code, f"row {number}, code")
        if p:
            row_problems.append(p)
        level = parse_level(cells["level"], f"row {number}, level")
        kind = parse_kind(cells["kind"], f"row {number}, kind")
        p = check_name(cells["name_zh"], f"row {number}, name_zh")
        if p:
            row_problems.append(p)
        # Read once the kind is known: an enterprise or a department may have no English name.
        english_kind = kind if isinstance(kind, TenantKind) else TenantKind.PROVINCE
        p = check_name_en(cells["name_en"], english_kind, f"row {number}, name_en")
        if p:
            row_problems.append(p)
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


def _existing_nodes(session: Session, codes: set[str]) -> dict[str, TenantNode]:
    """The nodes already stored under these codes (in chunks: drivers cap bound parameters)."""
    ordered = sorted(codes)
    found: dict[str, TenantNode] = {}
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        chunk = ordered[start : start + LOOKUP_CHUNK]
        query = select(TenantNode).where(TenantNode.code.in_(chunk))
        found.update((n.code, n) for n in session.scalars(query))
    return found


def plan(
    session: Session, rows: list[Row], broken: Iterable[str] = ()
) -> tuple[list[Row], list[Problem]]:
    """Order rows parents-first and check codes, parents, cycles and level order against the
    file and the database together.

    ``broken`` are codes of rows that failed their own checks: their children are not reported
    as having an unknown parent. Every problem found is reported, not only the first kind.
    """
    broken = set(broken)
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
    existing = _existing_nodes(session, wanted)
    # Where each stored node sits now, from the paths of the nodes the file names.
    stored_parent: dict[str, str | None] = {}
    for node in existing.values():
        codes = node.path.strip("/").split("/")
        for i, c in enumerate(codes):
            stored_parent.setdefault(c, codes[i - 1] if i else None)

    def parent_shape(row: Row) -> tuple[TenantLevel, TenantKind] | None:
        if not row.parent_code:
            return None
        source = by_code.get(row.parent_code) or existing[row.parent_code]
        return (source.level, source.kind)

    ordered: list[Row] = []
    state: dict[str, str] = {}  # code -> "visiting" | "done"
    unplaced: set[str] = set()  # rows whose parent is unknown or in a cycle: no placement check

    def visit(start: Row) -> None:
        """Append ``start`` after its ancestors in the file (iterative: chains can be long)."""
        trail: list[str] = []
        row: Row | None = start
        while row is not None and state.get(row.code) != "done":
            if state.get(row.code) == "visiting":
                looped = trail[trail.index(row.code) :]
                loop = " -> ".join([*looped, row.code])
                problems.append(
                    Problem(row.where("parent_code"), f"cycle: {loop}", ErrorCode.CYCLE)
                )
                unplaced.update(looped)
                break
            state[row.code] = "visiting"
            trail.append(row.code)
            row = by_code.get(row.parent_code)
        for code in reversed(trail):
            state[code] = "done"
            ordered.append(by_code[code])

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
            unplaced.add(row.code)
            continue
        if row.parent_code and row.parent_code not in by_code and row.parent_code not in existing:
            if row.parent_code not in broken:
                problems.append(
                    Problem(
                        row.where("parent_code"),
                        f"unknown parent {row.parent_code}: neither in the file nor already "
                        "imported",
                        ErrorCode.NOT_FOUND,
                    )
                )
            state[row.code] = "done"
            unplaced.add(row.code)
            continue
        visit(row)

    def new_parent(code: str) -> str | None:
        """The parent ``code`` will have once the file is applied."""
        if code in by_code:
            return by_code[code].parent_code or None
        return stored_parent.get(code)

    for row in ordered:
        if row.code in unplaced:
            continue
        p = check_placement(row.level, row.kind, parent_shape(row), row.where("parent_code"))
        if p:
            problems.append(p)
        current = existing.get(row.code)
        if current is None:
            continue
        if current.level is not row.level:
            problems.append(
                Problem(
                    row.where("level"),
                    f"{row.code} is already a {current.level.value}; a level cannot change",
                    ErrorCode.INVALID,
                )
            )
        if not row.parent_code or row.parent_code == stored_parent.get(row.code):
            continue
        # A move: walk up from the new parent, through the file's rows and the stored tree.
        seen: set[str] = set()
        code: str | None = row.parent_code
        top = None
        while code is not None and code not in seen and code != row.code:
            if code in unplaced:  # already reported: an unknown parent or a cycle above
                break
            seen.add(code)
            top, code = code, new_parent(code)
        if code == row.code:
            problems.append(
                Problem(
                    row.where("parent_code"),
                    f"{row.parent_code} is inside {row.code}: a unit cannot move under itself",
                    ErrorCode.CYCLE,
                )
            )
        elif code is None and top != current.path.strip("/").split("/")[0]:
            problems.append(
                Problem(
                    row.where("parent_code"),
                    f"{row.parent_code} is in another province ({top}): a unit cannot move "
                    "to another province",
                    ErrorCode.INVALID,
                )
            )
    return (ordered if not problems else []), problems


def import_rows(session: Session, records: Iterable[dict[str, str]]) -> ImportReport:
    """Check every row, then create or update nodes in one transaction; nothing on any error.

    Re-importing the same rows changes nothing; a changed name or kind updates in place; a
    changed parent moves the node with its subtree.
    """
    records = list(records)
    rows, problems = parse_rows(records)
    good = {r.code for r in rows}
    broken = {str(r.get("code") or "").strip() for r in records} - good
    ordered, more = plan(session, rows, broken)
    problems += more
    if problems:
        raise DomainError(sorted(problems, key=_row_order))
    report = ImportReport()
    try:
        # The nodes rows name, looked up once; created ones join as rows are applied.
        nodes = _existing_nodes(session, {c for r in ordered for c in (r.code, r.parent_code) if c})
        for row in ordered:
            _apply(session, row, report, nodes)
        _record(session, report, nodes)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return report


def _record(session: Session, report: ImportReport, nodes: dict[str, TenantNode]) -> None:
    """One audit entry per province the import changed, on its root, naming the codes."""
    changed: dict[int, dict[str, list[str]]] = {}
    for kind, codes in (("created", report.created), ("updated", report.updated)):
        for code in codes:
            by_kind = changed.setdefault(nodes[code].customer_id, {"created": [], "updated": []})
            by_kind[kind].append(code)
    for customer_id, details in sorted(changed.items()):
        root = province_of(session, customer_id)
        audit.record(
            session,
            audit.Who(None, "system"),
            "importTenants",
            customer_id=customer_id,
            node_id=root.id if root is not None else None,
            details={**details, "by": "redline tenants import"},
        )


def _row_order(problem: Problem) -> tuple[int, int]:
    """Problems in file order (row 1, the header, first); the sort is stable within a row."""
    field = problem.field or ""
    number = field.removeprefix("row ").split(",", 1)[0]
    return (0, int(number)) if field.startswith("row ") and number.isdigit() else (1, 0)


# The services name fields as the API does; an import names the file's columns.
_COLUMN_OF_FIELD = {
    "code": "code",
    "id": "code",
    "nameZh": "name_zh",
    "nameEn": "name_en",
    "kind": "kind",
    "level": "level",
    "parentId": "parent_code",
}


def _apply(session: Session, row: Row, report: ImportReport, nodes: dict[str, TenantNode]) -> None:
    node = nodes.get(row.code)
    parent = nodes[row.parent_code] if row.parent_code else None  # parents come first
    try:
        if node is None:
            data = NodeInput(row.code, row.name_zh, row.name_en, row.level, row.kind)
            nodes[row.code] = create_node(session, None, data, parent)
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
                    row.where(_COLUMN_OF_FIELD.get(p.field, p.field))
                    if p.field
                    else f"row {row.number}",
                    p.message,
                    p.code,
                )
                for p in exc.problems
            ]
        ) from None


def import_file(session: Session, path: Path) -> ImportReport:
    """Import a .csv or .xlsx file (columns: code, parent_code, name_zh, name_en, level, kind)."""
    return import_rows(session, read_table(path))
