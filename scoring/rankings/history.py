"""A ranking over cycles: the cycles of the same family, owner and level before this one, each
read at its current snapshot; a region's grade and band counts and vetoes per cycle, and one
row's total or one cell over cycles (items matched by code across template versions)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import ErrorCode, fail
from scoring.assessments.models import Cycle
from scoring.assessments.previous import previous_cycle
from scoring.rankings.access import check_level, readable_cycle, readable_scope
from scoring.rankings.models import (
    RankingCell,
    RankingRow,
    RankingSnapshot,
    RankingStatus,
    RegionAggregate,
    in_snapshot,
)
from scoring.templates.models import TemplateItem
from tenants.access import Actor
from tenants.models import TenantLevel, TenantNode

MAX_CYCLES = 12


def cycles_back(session: Session, cycle: Cycle, count: int) -> list[Cycle]:
    """``cycle`` and up to ``count - 1`` cycles before it that the reader sees, oldest first."""
    if not 1 <= count <= MAX_CYCLES:
        raise fail("cycles", f"ask for 1 to {MAX_CYCLES} cycles, not {count}", ErrorCode.INVALID)
    found = [cycle]
    while len(found) < count:
        before = previous_cycle(session, found[-1])
        if before is None:
            break
        found.append(before)
    return found[::-1]


def _snapshots(session: Session, cycles: list[Cycle]) -> dict[int, RankingSnapshot]:
    """Each cycle's current snapshot by cycle id (cycles never published are left out)."""
    rows = session.scalars(
        select(RankingSnapshot)
        .join(RankingStatus, RankingStatus.snapshot_id == RankingSnapshot.id)
        .where(RankingStatus.cycle_id.in_([c.id for c in cycles]))
    )
    return {snapshot.cycle_id: snapshot for snapshot in rows}


@dataclass(frozen=True)
class RegionPoint:
    """A region in one cycle: the snapshot read and its aggregate there (None: not published,
    or no units of the cycle under it)."""

    cycle: Cycle
    snapshot: RankingSnapshot | None
    aggregate: RegionAggregate | None


def region_history(
    session: Session, actor: Actor, cycle_id: int, scope_id: int, count: int
) -> list[RegionPoint]:
    """The scope's grade counts, band counts and vetoes in this cycle and those before it."""
    cycle = readable_cycle(session, cycle_id)
    scope = readable_scope(session, actor, cycle, scope_id)
    cycles = cycles_back(session, cycle, count)
    snapshots = _snapshots(session, cycles)
    aggregates = {
        row.snapshot_id: row
        for row in session.scalars(
            select(RegionAggregate).where(
                RegionAggregate.snapshot_id.in_([s.id for s in snapshots.values()]),
                RegionAggregate.node_id == scope.id,
            )
        )
    }
    points = []
    for each in cycles:
        snapshot = snapshots.get(each.id)
        aggregate = aggregates.get(snapshot.id) if snapshot is not None else None
        points.append(RegionPoint(each, snapshot, aggregate))
    return points


@dataclass(frozen=True)
class TrendPoint:
    """One row of a ranking in one cycle, and its cell of the column asked for (if any)."""

    cycle: Cycle
    snapshot: RankingSnapshot | None
    row: RankingRow | None
    cell: RankingCell | None


def trend(
    session: Session,
    actor: Actor,
    cycle_id: int,
    scope_id: int,
    level: TenantLevel,
    node_id: int,
    column: str | None,
    count: int,
) -> list[TrendPoint]:
    """A unit's (or a region's) place and total, or one column's cell, in the ranking of
    ``level`` within ``scope`` over this cycle and those before it: three statements past
    the cycles."""
    cycle = readable_cycle(session, cycle_id)
    scope = readable_scope(session, actor, cycle, scope_id)
    check_level(scope, cycle, level)
    node = session.get(TenantNode, node_id)
    if node is None or not node.path.startswith(scope.path) or node.id == scope.id:
        raise fail("unit", "not a unit of this ranking (one under the scope)", ErrorCode.NOT_FOUND)
    cycles = cycles_back(session, cycle, count)
    snapshots = _snapshots(session, cycles)
    ids = [s.id for s in snapshots.values()]
    rows = {
        row.snapshot_id: row
        for row in session.scalars(
            select(RankingRow).where(
                RankingRow.snapshot_id.in_(ids),
                RankingRow.scope_node_id == scope.id,
                RankingRow.level == level,
                RankingRow.node_id == node.id,
            )
        )
    }
    cells: dict[int, RankingCell] = {}
    if column is not None and snapshots:
        cells = {
            snapshot_id: cell
            for cell, snapshot_id in session.execute(
                select(RankingCell, RankingSnapshot.id)
                .join(TemplateItem, TemplateItem.id == RankingCell.item_id)
                .join(
                    RankingSnapshot,
                    in_snapshot(RankingCell, RankingSnapshot.cycle_id, RankingSnapshot.version),
                )
                .where(
                    RankingSnapshot.id.in_(ids),
                    RankingCell.node_id == node.id,
                    TemplateItem.code == column,
                )
            )
        }
    points = []
    for each in cycles:
        snapshot = snapshots.get(each.id)
        key = snapshot.id if snapshot is not None else None
        points.append(TrendPoint(each, snapshot, rows.get(key), cells.get(key)))  # type: ignore[arg-type]
    return points
