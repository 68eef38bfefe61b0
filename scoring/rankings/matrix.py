"""The leaders' scorecard matrix: a published ranking's units as rows, the template's categories
or indicators as columns, each cell a snapshot cell with its band; sorted, searched and
filtered in SQL (averages over the filtered rows included) and paged, in a constant number of
statements whatever the page size."""

from __future__ import annotations

import enum
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from cachetools import LRUCache
from sqlalchemy import (
    ColumnElement,
    Numeric,
    Select,
    Subquery,
    and_,
    case,
    func,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased

from redline.errors import ErrorCode, fail
from scoring.assessments.models import Cycle, ScoreState
from scoring.assessments.scorecards import LoadedTemplate, load_template_of
from scoring.engine.bands import Band, Thresholds
from scoring.engine.rounding import quantize
from scoring.rankings.access import check_level, readable_cycle, readable_scope
from scoring.rankings.cells import BandSettings
from scoring.rankings.models import RankingCell, RankingRow, RankingSnapshot, in_snapshot
from scoring.rankings.reading import REPUBLISHED, current_snapshot
from scoring.templates.models import ItemKind, TemplateItem
from tenants.access import Actor
from tenants.models import TenantLevel, TenantNode
from tenants.reading import search_condition

MAX_COLUMNS = 300

# A published snapshot never changes, so the averages (and count) of one filter over it are
# kept and shared by every page and every reader of it: paging a matrix costs the page only.
# Keyed by database, snapshot (id and publication time: ids come back in a fresh database),
# scope, level, the filter and the columns.
_AVERAGES: LRUCache[tuple[object, ...], tuple[Decimal | None, int, list[_Average]]] = LRUCache(
    maxsize=1024
)
_AVERAGES_LOCK = threading.Lock()


class ColumnKind(enum.StrEnum):
    """The matrix's columns: the template's top categories, or its indicators."""

    CATEGORY = "category"
    INDICATOR = "indicator"


class MatrixSort(enum.StrEnum):
    """What rows are sorted by; ties fall back to the ranking's listed order."""

    RANK = "rank"
    CODE = "code"
    NAME = "name"
    COLUMN = "column"  # a column's percent of max; missing and not applicable last


class Relative(enum.StrEnum):
    """Rows against the average of the filtered rows (of the total or of one column)."""

    ABOVE = "above"  # at or above the average
    BELOW = "below"  # below it


@dataclass(frozen=True)
class MatrixQuery:
    """How the matrix is asked for: columns, order, filters."""

    columns: ColumnKind = ColumnKind.CATEGORY
    category: str | None = None  # indicator columns under this category only
    sort: MatrixSort = MatrixSort.RANK
    sort_column: str | None = None
    descending: bool = False
    search: str | None = None
    bands: frozenset[Band] = frozenset()  # rows whose total is in one of these bands
    vetoed: bool | None = None
    relative: Relative | None = None
    relative_column: str | None = None  # None: the total


@dataclass(frozen=True)
class MatrixColumn:
    """A category or indicator of the template, with its thresholds at the rows' level."""

    item: TemplateItem
    parent_code: str | None
    thresholds: Thresholds


@dataclass(frozen=True)
class ColumnAverage:
    """A column over the filtered rows: the mean percent of max of those with a figure."""

    code: str
    percent: Decimal | None
    counted: int
    missing: int
    not_applicable: int


class Cell(Protocol):
    """A snapshot cell as the matrix reads it: a plain row (a page holds thousands)."""

    state: str
    points: Decimal | None
    max_points: Decimal | None
    percent: Decimal | None
    band: str | None
    figure: Decimal | None
    counted: int


@dataclass(frozen=True)
class MatrixRow:
    """One row: its ranking entry and its cells by column code (absent: none published)."""

    row: RankingRow
    cells: Mapping[str, Cell]


@dataclass(frozen=True)
class MatrixPage:
    """A page of the matrix of one snapshot (``snapshot`` None: nothing published yet)."""

    cycle: Cycle
    scope: TenantNode
    level: TenantLevel
    snapshot: RankingSnapshot | None
    columns: list[MatrixColumn]
    total_thresholds: Thresholds
    rows: list[MatrixRow] = field(default_factory=list)
    total: int = 0
    offset: int = 0
    has_next: bool = False
    average_percent: Decimal | None = None
    averages: list[ColumnAverage] = field(default_factory=list)

    @property
    def can_drill(self) -> bool:
        """Whether each row opens to the level below it (a region above the cycle's level)."""
        return self.level.rank < TenantLevel(self.cycle.level).rank


def _columns(
    loaded: LoadedTemplate, query: MatrixQuery, settings: BandSettings, level: TenantLevel
) -> list[MatrixColumn]:
    by_id = loaded.items_by_id
    top = [item for item in loaded.items if item.parent_id is None]
    if query.columns is ColumnKind.CATEGORY:
        if query.category is not None:
            raise fail("category", "choose indicator columns to open a category", ErrorCode.INVALID)
        chosen = [item for item in top if item.kind is ItemKind.CATEGORY]
    else:
        chosen = list(loaded.indicators)
        if query.category is not None:
            parent = loaded.items_by_code.get(query.category)
            if parent is None or parent.kind is not ItemKind.CATEGORY:
                raise fail(
                    "category", f"the template has no category {query.category}", ErrorCode.INVALID
                )
            chosen = [item for item in chosen if _under(item, parent.id, by_id)]
    if len(chosen) > MAX_COLUMNS:
        raise fail(
            "columns",
            f"{len(chosen)} columns is more than {MAX_COLUMNS}; open one category at a time",
            ErrorCode.INVALID,
        )
    return [
        MatrixColumn(
            item,
            by_id[item.parent_id].code if item.parent_id is not None else None,
            settings.item(item.id, level),
        )
        for item in chosen
    ]


def _under(item: TemplateItem, ancestor_id: int, by_id: Mapping[int, TemplateItem]) -> bool:
    parent = item.parent_id
    while parent is not None:
        if parent == ancestor_id:
            return True
        parent = by_id[parent].parent_id
    return False


def _column_id(columns: Sequence[MatrixColumn], code: str, name: str) -> int:
    for column in columns:
        if column.item.code == code:
            return column.item.id
    raise fail(name, f"{code} is not a column of this matrix", ErrorCode.INVALID)


def _cell_join(statement: Select, snapshot: RankingSnapshot, item_id: int) -> tuple[Select, type]:
    cell = aliased(RankingCell)
    joined = statement.outerjoin(
        cell,
        and_(
            in_snapshot(cell, snapshot.cycle_id, snapshot.version),
            cell.node_id == RankingRow.node_id,
            cell.item_id == item_id,
        ),
    )
    return joined, cell


def matrix_page(
    session: Session,
    actor: Actor,
    cycle_id: int,
    scope_id: int,
    level: TenantLevel,
    query: MatrixQuery,
    *,
    first: int,
    after: tuple[int, int] | None = None,
) -> MatrixPage:
    """A page of the matrix of ``level`` units within ``scope`` in the cycle's current
    snapshot (or the snapshot and offset ``after`` names, while its rows are kept)."""
    cycle = readable_cycle(session, cycle_id)
    scope = readable_scope(session, actor, cycle, scope_id)
    check_level(scope, cycle, level)
    loaded = load_template_of(session, cycle.template_id)
    settings = BandSettings.of(loaded)
    columns = _columns(loaded, query, settings, level)
    sort_id = (
        _column_id(columns, query.sort_column or "", "sortColumn")
        if query.sort is MatrixSort.COLUMN
        else None
    )
    relative_id = (
        _column_id(columns, query.relative_column, "relativeColumn")
        if query.relative is not None and query.relative_column is not None
        else None
    )
    offset = 0
    if after is not None:
        snapshot_id, offset = after
        snapshot = session.get(RankingSnapshot, snapshot_id)
        if snapshot is None or snapshot.cycle_id != cycle.id:
            raise fail("after", "not a cursor of this matrix", ErrorCode.INVALID)
        if snapshot.rows_pruned:
            raise fail("after", REPUBLISHED, ErrorCode.CONFLICT)
    else:
        snapshot = current_snapshot(session, cycle.id)
    page = MatrixPage(cycle, scope, level, snapshot, columns, settings.total(level))
    if snapshot is None:
        return page

    # The rows before the comparison with the average: what the average is taken over.
    where = [
        RankingRow.snapshot_id == snapshot.id,
        RankingRow.scope_node_id == scope.id,
        RankingRow.level == level,
    ]
    if query.search and query.search.strip():
        where.append(
            search_condition(
                query.search.strip(),
                RankingRow.unit_code,
                RankingRow.unit_name_zh,
                RankingRow.unit_name_en,
            )
        )
    if query.bands:
        where.append(RankingRow.band.in_(sorted(b.value for b in query.bands)))
    if query.vetoed is not None:
        where.append(RankingRow.vetoed.is_(query.vetoed))
    filtered = select(RankingRow.node_id).where(*where).subquery()

    key = (
        str(session.get_bind().url),
        snapshot.id,
        snapshot.computed_at,
        scope.id,
        level,
        query.search,
        tuple(sorted(query.bands)),
        query.vetoed,
        tuple(column.item.id for column in columns),
    )
    with _AVERAGES_LOCK:
        kept = _AVERAGES.get(key)
    if kept is None:
        kept = _averages(session, snapshot, where, filtered, columns)
        with _AVERAGES_LOCK:
            _AVERAGES[key] = kept
    average_percent, filtered_count, averages = kept

    rows = select(RankingRow).where(*where)
    if query.relative is not None:
        if relative_id is None:
            figure, mean = RankingRow.percent, average_percent
        else:
            rows, relative_cell = _cell_join(rows, snapshot, relative_id)
            figure = relative_cell.percent
            mean = next(a.percent for a in averages if a.item_id == relative_id)
        if mean is None:
            rows = rows.where(False)  # nothing to compare with: no row is above or below
        elif query.relative is Relative.ABOVE:
            rows = rows.where(figure >= mean)
        else:
            rows = rows.where(figure < mean)
    if sort_id is not None:
        rows, sort_cell = _cell_join(rows, snapshot, sort_id)
        key = sort_cell.percent.desc() if query.descending else sort_cell.percent.asc()
        order = [key.nulls_last(), RankingRow.position]
    elif query.sort is MatrixSort.CODE:
        order = [RankingRow.unit_code.desc() if query.descending else RankingRow.unit_code]
    elif query.sort is MatrixSort.NAME:
        name = RankingRow.unit_name_zh
        order = [name.desc() if query.descending else name, RankingRow.unit_code]
    else:
        order = [RankingRow.position.desc() if query.descending else RankingRow.position]

    total = (
        filtered_count
        if query.relative is None
        else session.scalar(select(func.count()).select_from(rows.subquery())) or 0
    )
    found = list(session.scalars(rows.order_by(*order).offset(offset).limit(first + 1)))
    shown = found[:first]
    cells = _cells(session, snapshot, [r.node_id for r in shown], columns)
    return MatrixPage(
        cycle,
        scope,
        level,
        snapshot,
        columns,
        settings.total(level),
        rows=[MatrixRow(r, cells.get(r.node_id, {})) for r in shown],
        total=total,
        offset=offset,
        has_next=len(found) > first,
        average_percent=average_percent,
        averages=[a.average for a in averages],
    )


@dataclass(frozen=True)
class _Average:
    item_id: int
    average: ColumnAverage

    @property
    def percent(self) -> Decimal | None:
        return self.average.percent


def _averages(
    session: Session,
    snapshot: RankingSnapshot,
    where: Sequence[ColumnElement[bool]],
    filtered: Subquery,
    columns: Sequence[MatrixColumn],
) -> tuple[Decimal | None, int, list[_Average]]:
    """The filtered rows' mean percent of the total and their count, and each column's mean:
    two statements."""
    total, count = session.execute(
        select(func.avg(RankingRow.percent), func.count()).where(*where)
    ).one()
    c = RankingCell
    missing = func.sum(case((c.state == ScoreState.MISSING.value, 1), else_=0))
    not_applicable = func.sum(case((c.state == ScoreState.NOT_APPLICABLE.value, 1), else_=0))
    stats = {
        item_id: (mean, counted, missed, na)
        for item_id, mean, counted, missed, na in session.execute(
            select(c.item_id, func.avg(c.percent), func.count(c.percent), missing, not_applicable)
            .where(
                in_snapshot(c, snapshot.cycle_id, snapshot.version),
                c.item_id.in_([column.item.id for column in columns]),
                c.node_id.in_(select(filtered.c.node_id)),
            )
            .group_by(c.item_id)
        )
    }
    averages = []
    for column in columns:
        mean, counted, missed, na = stats.get(column.item.id, (None, 0, 0, 0))
        averages.append(
            _Average(
                column.item.id,
                ColumnAverage(
                    code=column.item.code,
                    percent=_cents(mean),
                    counted=counted or 0,
                    missing=int(missed or 0),
                    not_applicable=int(na or 0),
                ),
            )
        )
    return _cents(total), count, averages


def _cents(number: object) -> Decimal | None:
    if number is None:
        return None
    return quantize(Decimal(repr(number)) if isinstance(number, float) else Decimal(number))


def _cells(
    session: Session,
    snapshot: RankingSnapshot,
    node_ids: Sequence[int],
    columns: Sequence[MatrixColumn],
) -> dict[int, dict[str, Cell]]:
    """The page's cells by node and column code: one statement, plain columns."""
    if not node_ids or not columns:
        return {}
    codes = {column.item.id: column.item.code for column in columns}
    c = RankingCell.__table__.c
    # PostgreSQL's driver hands numerics over as Decimals at the column's scale already: read
    # them as they come (the Amount type's per-value step was a third of a large page's time).
    if session.get_bind().dialect.name == "postgresql":

        def amount(column: ColumnElement[Decimal]) -> ColumnElement[Decimal]:
            return type_coerce(column, Numeric(14, 4)).label(column.key)

    else:

        def amount(column: ColumnElement[Decimal]) -> ColumnElement[Decimal]:
            return column

    rows = session.execute(
        select(
            c.node_id,
            c.item_id,
            c.state,
            amount(c.points),
            amount(c.max_points),
            amount(c.percent),
            c.band,
            amount(c.figure),
            c.counted,
        ).where(
            in_snapshot(c, snapshot.cycle_id, snapshot.version),
            c.node_id.in_(node_ids),
            c.item_id.in_(list(codes)),
        )
    ).all()  # one fetch, not a row at a time
    found: dict[int, dict[str, Cell]] = {}
    for row in rows:
        found.setdefault(row[0], {})[codes[row[1]]] = row
    return found
