"""The demo's CSV tables (redline/demo/data): each cell read with its file, row and column, so a
bad one fails the load saying where it is.

A table is UTF-8 CSV with a header row of the columns the loader names (in any order; a missing
or unknown column is an error). Rows are numbered as a spreadsheet shows them: the header is row
1. Cells are stripped; a blank cell is "not given". Days are ``YYYY-MM-DD``, moments
``YYYY-MM-DD HH:MM`` in China time, flags ``yes``/``no``, lists ``;``-separated.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

from redline.calendar import LOCAL_TZ
from redline.errors import DomainError

T = TypeVar("T")
E = TypeVar("E", bound=Enum)

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})")
CLOCK = re.compile(r"\d{2}:\d{2}")
FLAGS = {"yes": True, "no": False}
CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def data_file(name: str) -> Path:
    """A file of the demo's data folder (shipped with the package)."""
    return Path(str(resources.files("redline.demo") / "data" / name))


class DemoDataError(Exception):
    """A demo table that cannot be loaded: the message names the file, row and column."""


@dataclass(frozen=True)
class Row:
    """One data row of a table; ``number`` is its spreadsheet row (the header is row 1)."""

    file: str
    number: int
    cells: Mapping[str, str]

    def fail(self, column: str | None, problem: str) -> DemoDataError:
        where = f"{self.file}, row {self.number}" + (f", column {column}" if column else "")
        return DemoDataError(f"{where}: {problem}")

    @contextmanager
    def applying(self) -> Iterator[None]:
        """A service's refusal of what the row says, as an error naming the row (and the column,
        where the service's field is one: ``foundOn`` is found_on)."""
        try:
            yield
        except DomainError as exc:
            fields = (
                CAMEL.sub("_", (p.field or "").rpartition(".")[2]).lower() for p in exc.problems
            )
            column = next((f for f in fields if f in self.cells), None)
            raise self.fail(column, f"refused: {exc}") from exc

    def optional(self, column: str) -> str:
        """The cell's text, "" when blank."""
        return self.cells[column]

    def text(self, column: str) -> str:
        """The cell's text, which must be given."""
        if not self.cells[column]:
            raise self.fail(column, "is blank: give a value")
        return self.cells[column]

    def parsed(self, column: str, parse: Callable[[str], T | None], need: str) -> T:
        """The cell through ``parse`` (None or ValueError: not what the column needs)."""
        raw = self.text(column)
        try:
            value = parse(raw)
        except (ValueError, InvalidOperation):
            value = None
        if value is None:
            raise self.fail(column, f"{raw!r} is not {need}")
        return value

    def integer(self, column: str) -> int:
        return self.parsed(column, _whole, "a whole number (0 or more)")

    def decimal(self, column: str) -> Decimal:
        return self.parsed(column, _decimal, "a number such as 8 or 90.5")

    def day(self, column: str) -> date:
        return self.parsed(column, _day, "a day (YYYY-MM-DD)")

    def clock(self, column: str) -> time:
        return self.parsed(column, _clock, "a time of day in China (HH:MM)")

    def moment(self, column: str) -> datetime:
        return self.parsed(column, _moment, "a moment in China time (YYYY-MM-DD HH:MM)")

    def flag(self, column: str) -> bool:
        return self.parsed(column, FLAGS.get, "yes or no")

    def choice(self, column: str, kind: type[E]) -> E:
        known = ", ".join(str(member.value) for member in kind)
        return self.parsed(column, kind, f"one of {known}")

    def pick(self, column: str, known: Mapping[str, T], what: str, source: str = "") -> T:
        """The entry of ``known`` the cell names (a ``what`` of ``source``, another table)."""
        key = self.text(column)
        if key not in known:
            problem = f"no {what} {key!r}" + (f" in {source}" if source else "")
            choices = f": use {', '.join(known)}" if len(known) <= 12 else ""
            raise self.fail(column, problem + choices)
        return known[key]

    def words(self, column: str) -> tuple[str, ...]:
        """A ``;``-separated list (empty when blank)."""
        return tuple(w.strip() for w in self.cells[column].split(";") if w.strip())

    def given(self, column: str) -> bool:
        return bool(self.cells[column])

    def maybe(self, column: str, read: Callable[[str], T]) -> T | None:
        """``read(column)`` when the cell is given, else None."""
        return read(column) if self.cells[column] else None


def _whole(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None


def _decimal(raw: str) -> Decimal | None:
    value = Decimal(raw)
    return value if value.is_finite() else None


def _day(raw: str) -> date | None:
    return date.fromisoformat(raw) if DAY.fullmatch(raw) else None


def _clock(raw: str) -> time | None:
    return time.fromisoformat(raw) if CLOCK.fullmatch(raw) else None


def _moment(raw: str) -> datetime | None:
    match = MOMENT.fullmatch(raw)
    if match is None:
        return None
    local = datetime.fromisoformat(f"{match[1]}T{match[2]}").replace(tzinfo=LOCAL_TZ)
    return local.astimezone(UTC)  # the only time the services and the database keep


@cache
def table(name: str, columns: str) -> tuple[Row, ...]:
    """The rows of ``name`` (in the data folder), whose header must name exactly ``columns``
    (their names, separated by spaces)."""
    wanted = columns.split()
    try:
        text = data_file(name).read_bytes().decode("utf-8-sig")
        records = list(csv.reader(io.StringIO(text)))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DemoDataError(f"{name}: cannot be read as UTF-8 CSV ({exc})") from None
    if not records:
        raise DemoDataError(f"{name}, row 1: no header row")
    header = [cell.strip() for cell in records[0]]
    missing = [c for c in wanted if c not in header]
    unknown = [c for c in header if c not in wanted]
    if missing or unknown or len(set(header)) != len(header):
        problem = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(unknown)}" if unknown else "",
                "a column is named twice" if len(set(header)) != len(header) else "",
            )
            if part
        )
        raise DemoDataError(f"{name}, row 1: the header must name {', '.join(wanted)}: {problem}")
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise DemoDataError(
                f"{name}, row {number}: {len(record)} cells where the header has {len(header)}"
            )
        cells = {column: cell.strip() for column, cell in zip(header, record, strict=True)}
        rows.append(Row(name, number, cells))
    return tuple(rows)


def grouped(rows: tuple[Row, ...], *columns: str) -> dict[tuple[str, ...], list[Row]]:
    """Rows by the cells of ``columns``, each group in file order."""
    groups: dict[tuple[str, ...], list[Row]] = {}
    for row in rows:
        groups.setdefault(tuple(row.cells[c] for c in columns), []).append(row)
    return groups


def keyed(rows: Iterable[Row], *columns: str) -> dict[tuple[str, ...], Row]:
    """Rows by the cells of ``columns``, which must name each row once."""
    found: dict[tuple[str, ...], Row] = {}
    for row in rows:
        key = tuple(row.text(c) for c in columns)
        if key in found:
            where = f"row {found[key].number}"
            raise row.fail(columns[-1], f"{' '.join(key)} is written twice (also {where})")
        found[key] = row
    return found


def tree(rows: Iterable[Row], parent: str = "parent") -> dict[str, list[Row]]:
    """Rows by the ``code`` of their ``parent`` ("" for the top), in file order; a parent must
    stand in a row above its children, and a code once."""
    children: dict[str, list[Row]] = {"": []}
    for row in rows:
        above = row.optional(parent)
        if above not in children:
            raise row.fail(parent, f"no {above!r} in a row above")
        if row.text("code") in children:
            raise row.fail("code", f"{row.text('code')} is written twice")
        children[above].append(row)
        children[row.text("code")] = []
    return children
