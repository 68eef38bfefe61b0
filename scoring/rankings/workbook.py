"""The leaders' league table and scorecard matrix as an Excel workbook, bands as cell fills."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from decimal import Decimal
from itertools import chain

from sqlalchemy.orm import Session

from redline.calendar import LOCAL_TZ
from redline.errors import ErrorCode, fail
from redline.workbook_writer import (
    HEADER_WRAPPED,
    NOTE,
    NUMBER,
    TITLE,
    WRAP,
    Book,
    SheetWriter,
    Style,
)
from scoring.assessments.models import ScoreState
from scoring.engine.bands import Band, Thresholds, Trend, band_of
from scoring.rankings.matrix import (
    Cell,
    ColumnKind,
    MatrixColumn,
    MatrixPage,
    MatrixQuery,
    MatrixRow,
    MatrixSort,
    Relative,
    matrix_page,
)
from scoring.rankings.models import RankingRow
from tenants.access import Actor
from tenants.models import TenantLevel

PAGE_SIZE = 500  # rows read per statement batch: matrix_page's statements are constant per page
# The most cells one export holds (about 40 indicators for 5,000 units, some 15 s of work):
# beyond, a request would hold a worker for minutes; narrowing the view is the answer.
MAX_EXPORT_CELLS = 200_000
LEAGUE_SHEET = "排名 League table"
MATRIX_SHEET = "矩阵 Matrix"

# Excel's own light "good / neutral / bad" fills: coloured, with black text still easy to read.
BAND_FILLS = {Band.GREEN: "C6EFCE", Band.YELLOW: "FFEB9C", Band.RED: "FFC7CE"}
GREY_FILL = "EDEDED"  # missing, not applicable
FIGURE = Style(number_format=NUMBER)  # points and percents with two decimals
BANDED = {band: replace(FIGURE, fill=fill) for band, fill in BAND_FILLS.items()}
NO_FIGURE_STYLE = Style(fill=GREY_FILL, color="7F7F7F", italic=True)
HEADER_ROW = Style(bold=True, wrap=True)  # the matrix's band thresholds
AVERAGE = replace(FIGURE, bold=True)  # the matrix's averages
BANDED_AVERAGE = {band: replace(AVERAGE, fill=fill) for band, fill in BAND_FILLS.items()}
NO_AVERAGE = replace(AVERAGE, fill=GREY_FILL)

MISSING = "未填报 missing"
NOT_APPLICABLE = "不适用 N/A"
NO_FIGURE = {ScoreState.MISSING: MISSING, ScoreState.NOT_APPLICABLE: NOT_APPLICABLE}
LEVELS = {
    TenantLevel.PROVINCE: "省 province",
    TenantLevel.CITY: "市 city",
    TenantLevel.COUNTY: "县区 county",
    TenantLevel.TOWNSHIP: "乡镇 township",
}
BANDS = {Band.GREEN: "绿 green", Band.YELLOW: "黄 yellow", Band.RED: "红 red"}
GRADES = {
    "excellent": "优秀 excellent",
    "good": "良好 good",
    "qualified": "合格 qualified",
    "unqualified": "不合格 unqualified",
}
ARROWS = {Trend.UP: "↑", Trend.DOWN: "↓"}
NEW = "新 new"

# (header, width, wraps) of the league table's columns.
LEAGUE_COLUMNS = (
    ("排名 Rank", 7, False),
    ("参评 Of", 7, False),
    ("单位代码 Code", 13, False),
    ("单位名称 Name", 20, True),
    ("英文名称 Name (English)", 24, True),
    ("总分 Total", 10, False),
    ("得分率 % of max", 10, False),
    ("色带 Band", 10, False),
    ("等级 Grade", 15, False),
    ("一票否决 Vetoed", 10, False),
    ("否决原因 Veto reasons", 40, True),
    ("黄牌警告 Yellow cards", 30, True),
    ("上期排名 Previous rank", 10, False),
    ("排名变化 Rank change", 10, False),
    ("上期得分 Previous score", 10, False),
    ("得分变化 Score change", 10, False),
    # The assessment group (分类考核) the rank is within; empty when the cycle has none.
    ("组别 Group", 14, True),
)
# The matrix's fixed columns before one column per category or indicator.
MATRIX_FIXED = (
    ("单位代码 Code", 13),
    ("单位名称 Name", 20),
    ("英文名称 Name (English)", 22),
    ("排名 Rank", 7),
    ("总分 Total", 10),
    ("得分率 % of max", 10),
)
ITEM_WIDTH = 16
LINE_HEIGHT = 15  # points, a line of the default 11-point font
MAX_HEADER_LINES = 8


def matrix_pages(
    session: Session,
    actor: Actor,
    cycle_id: int,
    scope_id: int,
    level: TenantLevel,
    query: MatrixQuery,
    *,
    size: int | None = None,
) -> Iterator[MatrixPage]:
    """Every row of the matrix the query leaves, ``size`` (PAGE_SIZE) rows a page, all from the
    snapshot the first page read (a republish meanwhile ends the reading with CONFLICT, never
    mixes two). The first page raises what ``matrix_page`` refuses."""
    size = size or PAGE_SIZE
    page = matrix_page(session, actor, cycle_id, scope_id, level, query, first=size)
    cells = page.total * max(1, len(page.columns))
    if cells > MAX_EXPORT_CELLS:
        raise fail(
            "scope",
            f"{page.total} units x {len(page.columns)} columns is {cells} cells, more than the"
            f" {MAX_EXPORT_CELLS} one export holds: open a region further down, search, filter"
            " by band, or export category columns",
            ErrorCode.TOO_LARGE,
        )
    yield page
    while page.has_next and page.snapshot is not None:
        after = (page.snapshot.id, page.offset + len(page.rows))
        page = matrix_page(
            session, actor, cycle_id, scope_id, level, query, first=size, after=after
        )
        yield page


def matrix_workbook(pages: Iterable[MatrixPage], query: MatrixQuery) -> bytes:
    """The pages' rows as an .xlsx workbook: the league table, then the matrix (points per
    column with its band as the fill, the averages over every filtered row, the thresholds)."""
    remaining = iter(pages)
    first = next(remaining)
    book = Book()
    league = _league_header(book.sheet(LEAGUE_SHEET), first, query)
    matrix = _matrix_header(book.sheet(MATRIX_SHEET), first, query)
    for page in chain([first], remaining):
        for row in page.rows:
            _league_row(league, row.row)
            _matrix_row(matrix, row, page.columns)
    return book.close()


# --- the rows above the tables -----------------------------------------------------------


def _title_rows(rows: SheetWriter, page: MatrixPage, query: MatrixQuery, what: str) -> None:
    rows.write([f"{page.cycle.name} · {what}"], TITLE)
    rows.write([_source(page)])
    rows.write([_filters(query, page.total)], NOTE)
    rows.skip()


def _source(page: MatrixPage) -> str:
    """The ranking read: scope, level, snapshot and when it was computed (China time)."""
    scope = page.scope
    parts = [
        f"范围 scope: {scope.code} {scope.name_zh} {scope.name_en}".rstrip(),
        f"层级 level: {LEVELS[TenantLevel(page.level)]}",
    ]
    snapshot = page.snapshot
    if snapshot is None:
        parts.append("尚未发布 not published yet")
    else:
        computed = snapshot.computed_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
        parts.append(f"快照 snapshot v{snapshot.version}")
        parts.append(f"计算于 computed {computed} (北京时间 China time)")
        if snapshot.provisional:
            parts.append("临时 provisional")
    return " · ".join(parts)


def _filters(query: MatrixQuery, total: int) -> str:
    """What the rows are: how many, which filters hold, how they are sorted."""
    parts = [f"{total} 行 rows"]
    if query.search and query.search.strip():
        parts.append(f"搜索 search “{query.search.strip()}”")
    if query.bands:
        shown = ", ".join(BANDS[b] for b in Band if b in query.bands)
        parts.append(f"总分色带 total band: {shown}")
    if query.vetoed is not None:
        parts.append("一票否决 vetoed only" if query.vetoed else "未否决 not vetoed only")
    if query.relative is not None:
        of = query.relative_column or "总分 total"
        side = "≥ 平均 at or above" if query.relative is Relative.ABOVE else "< 平均 below"
        parts.append(f"{side} the average of {of}")
    if query.columns is ColumnKind.INDICATOR and query.category:
        parts.append(f"类别 category {query.category}")
    sort = {
        MatrixSort.RANK: "排名 rank",
        MatrixSort.CODE: "代码 code",
        MatrixSort.NAME: "名称 name",
        MatrixSort.COLUMN: f"列 column {query.sort_column}",
    }[query.sort]
    order = "降序 descending" if query.descending else "升序 ascending"
    parts.append(f"排序 sorted by {sort}, {order}")
    return "筛选 filters: " + "; ".join(parts)


def _thresholds(thresholds: Thresholds) -> str:
    return f"绿 green ≥ {_plain(thresholds.green)}%\n黄 yellow ≥ {_plain(thresholds.yellow)}%"


# --- the league table --------------------------------------------------------------------


def _league_header(rows: SheetWriter, page: MatrixPage, query: MatrixQuery) -> SheetWriter:
    _title_rows(rows, page, query, "排名 League table")
    header = rows.header(
        [label for label, _, _ in LEAGUE_COLUMNS],
        [width for _, width, _ in LEAGUE_COLUMNS],
        HEADER_WRAPPED,
    )
    rows.height(header, LINE_HEIGHT * 2)
    # Headers and the unit (rank, of, code, name) stay in sight.
    rows.freeze(header, 4)
    return rows


# The league table's cells: figures with two decimals (total, % of max, previous score), the
# rest wrapped where the column wraps; the band's cell on its colour.
FIGURE_COLUMNS = (5, 6, 14)
LEAGUE_STYLES: list[Style | None] = [
    FIGURE if index in FIGURE_COLUMNS else WRAP if wraps else None
    for index, (_, _, wraps) in enumerate(LEAGUE_COLUMNS)
]
BAND_COLUMN = 7
BAND_CELLS = {band: Style(fill=fill) for band, fill in BAND_FILLS.items()}


def _league_row(rows: SheetWriter, row: RankingRow) -> None:
    band = Band(row.band) if row.band else None

    def said(fired: list[dict[str, str]] | None) -> str | None:
        return (
            "; ".join(
                ": ".join(part for part in (v.get("title", ""), v.get("reason", "")) if part)
                for v in fired or ()
            )
            or None
        )

    rank_change = None if row.previous_rank is None else row.previous_rank - row.rank
    score_change = (
        None if row.score is None or row.previous_score is None else row.score - row.previous_score
    )
    styles = LEAGUE_STYLES
    if band is not None:
        styles = [*styles]
        styles[BAND_COLUMN] = BAND_CELLS[band]
    rows.write(
        [
            row.rank,
            row.of,
            row.unit_code,
            row.unit_name_zh,
            row.unit_name_en,
            row.score,
            row.percent,
            BANDS[band] if band else None,
            GRADES.get(row.grade, row.grade) if row.grade else None,
            "是 yes" if row.vetoed else "否 no",
            said(row.veto_reasons),
            said(row.yellow_cards),
            row.previous_rank,
            _change(rank_change, row.rank_trend, "d"),
            row.previous_score,
            _change(score_change, row.score_trend, ".2f"),
            row.group_name,
        ],
        styles,
    )


def _change(change: int | Decimal | None, trend: str | None, spec: str) -> str | None:
    """A change against the previous cycle, signed, with an arrow only when the trend is UP or
    DOWN (past the template's least change); "new" without a previous figure."""
    if trend == Trend.NEW:
        return NEW
    if change is None:
        return None
    shown = format(change, "+" + spec) if change else format(change, spec)
    arrow = ARROWS.get(Trend(trend)) if trend else None
    return f"{arrow} {shown}" if arrow else shown


# --- the matrix --------------------------------------------------------------------------


def _matrix_header(rows: SheetWriter, page: MatrixPage, query: MatrixQuery) -> SheetWriter:
    _title_rows(rows, page, query, "矩阵 Matrix")
    columns = page.columns
    titles = [
        f"{c.item.code} {c.item.title}\n满分 max {_plain(c.item.max_points)}" for c in columns
    ]
    header = rows.header(
        [label for label, _ in MATRIX_FIXED] + titles,
        [width for _, width in MATRIX_FIXED] + [ITEM_WIDTH] * len(columns),
        HEADER_WRAPPED,
    )
    # Tall enough for the longest wrapped title (Excel does not size a row to wrapped text).
    lines = max((_lines(title, ITEM_WIDTH) for title in titles), default=2)
    rows.height(header, LINE_HEIGHT * min(max(lines, 2), MAX_HEADER_LINES))
    bands = rows.write(
        ["色带分界线 band thresholds", None, None, None, None]
        + [_thresholds(page.total_thresholds)]
        + [_thresholds(c.thresholds) for c in columns],
        HEADER_ROW,
    )
    rows.height(bands, LINE_HEIGHT * 2)
    _averages_row(rows, page, columns)
    legend = rows.write(
        [
            "图例 legend: 单元格为得分, 底色为得分率所在色带 cells show points on the colour"
            " of their band: 绿 green, 黄 yellow, 红 red (各列分界线见上 each column's"
            " thresholds above); 灰 grey: 未填报 missing (never 0) or 不适用 N/A, 平均不计"
            " left out of the averages."
        ],
        NOTE,
    )
    # Headers, thresholds, averages and the legend stay in sight, and so does the unit.
    rows.freeze(legend, 2)
    return rows


def _lines(text: str, width: int) -> int:
    """About how many lines ``text`` wraps to in a column ``width`` characters wide."""
    return sum(max(1, -(-_display_width(line) // width)) for line in text.split("\n"))


def _display_width(text: str) -> int:
    """Characters as a column's width counts them: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _averages(page: MatrixPage) -> dict[str, Decimal | None]:
    """Each column's average percent by code (none before anything is published)."""
    return {average.code: average.percent for average in page.averages}


def _averages_row(rows: SheetWriter, page: MatrixPage, columns: Sequence[MatrixColumn]) -> None:
    """Each column's average percent over every filtered row, on its band's colour."""
    averages = _averages(page)
    figures = [(page.average_percent, page.total_thresholds)] + [
        (averages.get(c.item.code), c.thresholds) for c in columns
    ]
    values: list[object] = ["平均得分率 average % of max"] + [None] * 4
    styles = [AVERAGE] * 5
    for percent, thresholds in figures:
        band = band_of(percent, thresholds)
        values.append(percent)
        styles.append(BANDED_AVERAGE[band] if band is not None else NO_AVERAGE)
    rows.write(values, styles)


def _matrix_row(rows: SheetWriter, row: MatrixRow, columns: Sequence[MatrixColumn]) -> None:
    entry = row.row
    values: list[object] = [
        entry.unit_code,
        entry.unit_name_zh,
        entry.unit_name_en,
        entry.rank,
        entry.score,
        entry.percent,
    ]
    total_band = Band(entry.band) if entry.band else None
    styles: list[Style | None] = [None] * 4 + [BANDED[total_band] if total_band else FIGURE] * 2
    for column in columns:
        value, style = _cell(row.cells.get(column.item.code))
        values.append(value)
        styles.append(style)
    rows.write(values, styles)


def _cell(cell: Cell | None) -> tuple[object, Style]:
    """What a cell shows and how: its points on its band's colour; the state's words on grey
    for a missing or not applicable one (absent: nothing published, so missing)."""
    state = ScoreState(cell.state) if cell is not None else ScoreState.MISSING
    if cell is None or state is not ScoreState.SCORED:
        return NO_FIGURE[state], NO_FIGURE_STYLE
    band = Band(cell.band) if cell.band else None
    return cell.points, BANDED[band] if band is not None else FIGURE


def _plain(number: Decimal) -> str:
    """A number as people write it: 10, 2.5, 99.5 (no trailing zeros, no exponent)."""
    return f"{number.normalize():f}"
