"""The leaders' analytics in the API: the scorecard matrix (units by categories or indicators,
banded cells, averages, drill-down, server-side paging) and history over cycles."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import relay

from scoring.assessments.models import ScoreState
from scoring.engine.bands import Band
from scoring.rankings import history
from scoring.rankings.matrix import (
    Cell,
    ColumnKind,
    MatrixPage,
    MatrixQuery,
    MatrixSort,
    Relative,
    matrix_page,
)
from scoring.rankings.models import RankingCell
from scoring.rankings.reading import TIE_BREAK, decode_position, encode_position

from ..assessments.types import Cycle
from ..core.amounts import amount
from ..core.bands import BandThresholds
from ..core.context import Info
from ..core.enums import ItemKind, TenantLevel
from ..core.errors import query_result
from ..core.ids import argument_id
from ..core.pagination import (
    After,
    Connection,
    Edge,
    First,
    check_first,
    decode_cursor,
    encode_cursor,
)
from ..tenants.types import Tenant
from .queries import CycleArgument, LevelArgument, ScopeArgument
from .types import RankingAggregate, RankingEntry, RankingSnapshotInfo


@strawberry.input(description="How the matrix's rows are ordered.")
class MatrixOrder:
    by: MatrixSort = strawberry.field(
        default=MatrixSort.RANK,
        description="RANK (the ranking's listed order), CODE, NAME, or COLUMN (its percent of "
        "max, missing and not applicable last); ties keep the ranking's order.",
    )
    column: str | None = strawberry.field(
        default=None, description="The column's code, with `by: COLUMN`."
    )
    descending: bool = strawberry.field(default=False, description="Reverse the order `by` gives.")


@strawberry.input(description="Which rows the matrix shows; all conditions hold together.")
class MatrixFilter:
    search: str | None = strawberry.field(
        default=None,
        description="The start of a unit's code, or a part of its Chinese or English name.",
    )
    bands: list[Band] | None = strawberry.field(
        default=None, description="Rows whose total is in one of these bands."
    )
    vetoed: bool | None = strawberry.field(
        default=None, description="Only vetoed rows (true) or only rows not vetoed (false)."
    )
    relative: Relative | None = strawberry.field(
        default=None,
        description="Rows at or above (ABOVE) or below (BELOW) the average of the rows the "
        "other conditions leave: of the total, or of `relativeColumn`.",
    )
    relative_column: str | None = strawberry.field(
        default=None,
        description="With `relative`: the column's code whose average rows are held to; null: "
        "the total.",
    )


@strawberry.type(description="A column of the matrix: a category or an indicator.")
class MatrixColumn:
    code: str = strawberry.field(description="The item's code in the template.")
    title: str = strawberry.field(description="The item's title in the template.")
    kind: ItemKind = strawberry.field(description="CATEGORY or INDICATOR.")
    max_points: Decimal = strawberry.field(description="The item's maximum in the template.")
    parent_code: str | None = strawberry.field(
        description="The category it sits in; null for a top category."
    )
    thresholds: BandThresholds = strawberry.field(
        description="The colour bands that apply to it at the rows' level."
    )


@strawberry.type(
    description="One unit's figure in one column. A unit's: its reviewed points; a region's: "
    "the mean over its ranked units. MISSING and NOT_APPLICABLE cells have no points, never 0."
)
class MatrixCell:
    column: str = strawberry.field(description="The column's code.")
    state: ScoreState = strawberry.field(
        description="SCORED, MISSING (no input, or nothing published) or NOT_APPLICABLE (缺项)."
    )
    points: Decimal | None = strawberry.field(description="Null unless SCORED.")
    max_points: Decimal | None = strawberry.field(
        description="An indicator's maximum; a category's attainable points."
    )
    percent_of_max: Decimal | None = strawberry.field(
        description="points as a percent of maxPoints (a region's: the mean of its units'); "
        "null unless SCORED with a maximum above 0."
    )
    band: Band | None = strawberry.field(
        description="The colour band of percentOfMax by the column's thresholds; null "
        "when percentOfMax is."
    )
    figure: Decimal | None = strawberry.field(
        description="A ledger-fed indicator's figure (a rate or a count) as scored."
    )
    counted: int = strawberry.field(
        description="Units with a figure in it (1 or 0 for a unit; a region's units)."
    )

    @classmethod
    def of(cls, column: str, cell: Cell | RankingCell | None) -> MatrixCell:
        if cell is None:
            return cls(
                column=column,
                state=ScoreState.MISSING,
                points=None,
                max_points=None,
                percent_of_max=None,
                band=None,
                figure=None,
                counted=0,
            )
        return cls(
            column=column,
            state=ScoreState(cell.state),
            points=amount(cell.points),
            max_points=amount(cell.max_points),
            percent_of_max=amount(cell.percent),
            band=Band(cell.band) if cell.band else None,
            figure=amount(cell.figure),
            counted=cell.counted,
        )


@strawberry.type(description="One row of the matrix: its ranking entry and a cell per column.")
class MatrixRow:
    entry: RankingEntry = strawberry.field(
        description="The unit's entry in the ranking: rank, score, band, vetoes."
    )
    cells: list[MatrixCell] = strawberry.field(description="In the order of `columns`.")
    can_drill: bool = strawberry.field(
        description="A region: its units of the next level down can be opened in its place."
    )


@strawberry.type(description="A column over the filtered rows.")
class ColumnAverage:
    column: str = strawberry.field(description="The column's code.")
    percent_of_max: Decimal | None = strawberry.field(
        description="The mean percent of max of the rows with a figure (missing and not "
        "applicable ones left out, never counted as 0)."
    )
    counted: int = strawberry.field(description="Rows with a figure in the column.")
    missing: int = strawberry.field(description="Rows with no figure in it (MISSING).")
    not_applicable: int = strawberry.field(description="Rows it does not apply to (缺项).")


@strawberry.type(
    description="A page of the scorecard matrix of one snapshot, with its columns and the "
    "averages over every row the filter leaves (not only this page)."
)
class ScorecardMatrix(Connection[MatrixRow]):
    snapshot: RankingSnapshotInfo | None = strawberry.field(
        description="The snapshot read; null before the cycle's rankings are first published."
    )
    level: TenantLevel = strawberry.field(description="The level of the rows' units.")
    columns: list[MatrixColumn] = strawberry.field(
        description="The template's top categories, or its indicators (those under `category` "
        "when given), in template order; at most 300."
    )
    total_thresholds: BandThresholds = strawberry.field(
        description="The colour bands of the total at the rows' level."
    )
    average_percent_of_max: Decimal | None = strawberry.field(
        description="The filtered rows' mean total as a percent of the template's total."
    )
    averages: list[ColumnAverage] = strawberry.field(description="In the order of `columns`.")
    can_drill: bool = strawberry.field(
        description="The rows are regions above the cycle's level: each opens, as `scope`, to "
        "its units of the next level down."
    )
    scope_id: strawberry.Private[int]

    @strawberry.field(description="The region whose units are the rows.")
    async def scope(self, info: Info) -> Tenant | None:
        return await Tenant.load(info, self.scope_id)

    @classmethod
    def of(cls, page: MatrixPage) -> ScorecardMatrix:
        codes = [column.item.code for column in page.columns]
        entries = RankingEntry.many(row.row for row in page.rows)
        edges = [
            Edge(
                cursor=encode_cursor(encode_position(page.snapshot.id, page.offset + index + 1)),  # type: ignore[union-attr]
                node=MatrixRow(
                    entry=entry,
                    cells=[MatrixCell.of(code, row.cells.get(code)) for code in codes],
                    can_drill=page.can_drill,
                ),
            )
            for index, (row, entry) in enumerate(zip(page.rows, entries, strict=True))
        ]
        return cls(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
            snapshot=RankingSnapshotInfo.from_model(page.snapshot, TIE_BREAK),
            level=page.level,
            columns=[
                MatrixColumn(
                    code=column.item.code,
                    title=column.item.title,
                    kind=column.item.kind,
                    max_points=amount(column.item.max_points),
                    parent_code=column.parent_code,
                    thresholds=BandThresholds.of(column.thresholds),
                )
                for column in page.columns
            ],
            total_thresholds=BandThresholds.of(page.total_thresholds),
            average_percent_of_max=page.average_percent,
            averages=[
                ColumnAverage(
                    column=a.code,
                    percent_of_max=a.percent,
                    counted=a.counted,
                    missing=a.missing,
                    not_applicable=a.not_applicable,
                )
                for a in page.averages
            ],
            can_drill=page.can_drill,
            scope_id=page.scope.id,
        )


@strawberry.type(description="A region in one cycle: its figures at that cycle's snapshot.")
class RegionHistoryPoint:
    cycle: Cycle = strawberry.field(description="The cycle of this point.")
    aggregate: RankingAggregate | None = strawberry.field(
        description="Null when the cycle was never published or has no units under it."
    )


@strawberry.type(description="A row of a ranking in one cycle, and its cell of the column.")
class TrendPoint:
    cycle: Cycle = strawberry.field(description="The cycle of this point.")
    snapshot: RankingSnapshotInfo | None = strawberry.field(
        description="The cycle's current snapshot; null when it was never published."
    )
    entry: RankingEntry | None = strawberry.field(
        description="Null when the unit was not ranked in that cycle."
    )
    cell: MatrixCell | None = strawberry.field(
        description="The column's cell; null when no column was asked for or it was not ranked."
    )


@strawberry.type
class AnalyticsQueries:
    @strawberry.field(
        description="The leaders' scorecard matrix: the `level` units ranked within `scope` as "
        "rows (a region's row opens, with `scope` set to it, to its units of the next level), "
        "the template's categories or indicators as columns, each cell banded by the "
        "template's thresholds for that level. Sorting, search and filters run on the server "
        "over the whole ranking; a cursor stays in its snapshot. Read by the readers of the "
        "ranking."
    )
    def scorecard_matrix(
        self,
        info: Info,
        cycle: CycleArgument,
        scope: ScopeArgument,
        level: LevelArgument,
        columns: Annotated[
            ColumnKind,
            strawberry.argument(
                description="CATEGORY: the template's top categories (the default); INDICATOR: "
                "its indicators."
            ),
        ] = ColumnKind.CATEGORY,
        category: Annotated[
            str | None,
            strawberry.argument(
                description="With INDICATOR columns: only those under this category."
            ),
        ] = None,
        order_by: Annotated[
            MatrixOrder | None,
            strawberry.argument(description="How rows are ordered; null: by rank."),
        ] = None,
        filter: Annotated[
            MatrixFilter | None,
            strawberry.argument(description="Which rows are shown and averaged; null: all."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> ScorecardMatrix:
        ctx = info.context
        actor = ctx.require_actor()
        cycle_id = argument_id(cycle, "Cycle", "cycle")
        scope_id = argument_id(scope, "Tenant", "scope")
        size = check_first(first)
        position = decode_position(decode_cursor(after)) if after is not None else None
        order = order_by or MatrixOrder()
        rows = filter or MatrixFilter()
        query = MatrixQuery(
            columns=columns,
            category=category,
            sort=order.by,
            sort_column=order.column,
            descending=order.descending,
            search=rows.search,
            bands=frozenset(rows.bands or ()),
            vetoed=rows.vetoed,
            relative=rows.relative,
            relative_column=rows.relative_column,
        )
        page = query_result(
            lambda: matrix_page(
                ctx.db, actor, cycle_id, scope_id, level, query, first=size, after=position
            )
        )
        return ScorecardMatrix.of(page)

    @strawberry.field(
        description="A region's figures over this cycle and the ones before it (same template "
        "family, owner and level), oldest first: grade and band counts, vetoes, mean."
    )
    def ranking_history(
        self,
        info: Info,
        cycle: Annotated[
            relay.GlobalID,
            strawberry.argument(description="The latest Cycle shown; earlier ones precede it."),
        ],
        scope: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description="The region (a Tenant) whose figures are read: one whose rankings "
                "you read."
            ),
        ],
        cycles: Annotated[
            int,
            strawberry.argument(
                description="How many cycles, this one included: 1 to 12 (fewer when fewer "
                "came before)."
            ),
        ] = 6,
    ) -> list[RegionHistoryPoint]:
        ctx = info.context
        actor = ctx.require_actor()
        cycle_id = argument_id(cycle, "Cycle", "cycle")
        scope_id = argument_id(scope, "Tenant", "scope")
        points = query_result(
            lambda: history.region_history(ctx.db, actor, cycle_id, scope_id, cycles)
        )
        result = []
        for point in points:
            snapshot = RankingSnapshotInfo.from_model(point.snapshot, TIE_BREAK)
            aggregate = (
                RankingAggregate.from_model(point.aggregate, snapshot)
                if point.aggregate is not None and snapshot is not None
                else None
            )
            result.append(
                RegionHistoryPoint(cycle=Cycle.from_model(point.cycle), aggregate=aggregate)
            )
        return result

    @strawberry.field(
        description="One row of the ranking of `level` within `scope` over this cycle and the "
        "ones before it, oldest first: its entry (rank, score, band) and, with `column` (an "
        "item code, matched across template versions), that cell."
    )
    def ranking_trend(
        self,
        info: Info,
        cycle: Annotated[
            relay.GlobalID,
            strawberry.argument(description="The latest Cycle shown; earlier ones precede it."),
        ],
        scope: ScopeArgument,
        level: LevelArgument,
        unit: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description="The unit or region (a Tenant) under `scope` followed."
            ),
        ],
        column: Annotated[
            str | None,
            strawberry.argument(
                description="An item's code whose cell each point also gives; null: none."
            ),
        ] = None,
        cycles: Annotated[
            int,
            strawberry.argument(
                description="How many cycles, this one included: 1 to 12 (fewer when fewer "
                "came before)."
            ),
        ] = 6,
    ) -> list[TrendPoint]:
        ctx = info.context
        actor = ctx.require_actor()
        cycle_id = argument_id(cycle, "Cycle", "cycle")
        scope_id = argument_id(scope, "Tenant", "scope")
        unit_id = argument_id(unit, "Tenant", "unit")
        points = query_result(
            lambda: history.trend(ctx.db, actor, cycle_id, scope_id, level, unit_id, column, cycles)
        )
        tenants = RankingEntry.tenants_of(point.row for point in points)
        return [
            TrendPoint(
                cycle=Cycle.from_model(point.cycle),
                snapshot=RankingSnapshotInfo.from_model(point.snapshot, TIE_BREAK),
                entry=(
                    RankingEntry.from_model(point.row, tenants) if point.row is not None else None
                ),
                cell=(
                    MatrixCell.of(column, point.cell)
                    if column is not None and point.row is not None
                    else None
                ),
            )
            for point in points
        ]
