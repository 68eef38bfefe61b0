"""Reading a cycle's published rankings: the current snapshot, a ranking page by position with
a cursor bound to its snapshot, a node's aggregate, and the ranking status of many cycles.

The status pointer is read once per request and only that snapshot's rows are read after it,
so a reader never sees half of a recompute; a cursor names its snapshot, so paging stays in
one snapshot while its rows are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from redline.errors import ErrorCode, fail
from scoring.assessments.models import Cycle
from scoring.engine.ranking import TIE_BREAK
from scoring.rankings.access import check_level, readable_cycle, readable_scope
from scoring.rankings.models import RankingRow, RankingSnapshot, RankingStatus, RegionAggregate
from tenants.access import Actor
from tenants.models import TenantLevel, TenantNode

__all__ = [
    "TIE_BREAK",
    "RankingPage",
    "aggregate_of",
    "current_snapshot",
    "ranking_page",
    "statuses_of",
]

REPUBLISHED = "the ranking was republished; start again"

# A page's rows are read as plain rows of every mapped column, not ORM objects: a page is up to
# 500 rows that are read once and never changed, and making objects of them cost more than
# reading them. The statement still names the mapped class, so the session's scope applies.
ROW_COLUMNS = tuple(getattr(RankingRow, a.key) for a in inspect(RankingRow).column_attrs)


def current_snapshot_id(session: Session, cycle_id: int) -> int | None:
    """The id of the cycle's current snapshot (its status pointer), or None before any."""
    return session.scalar(
        select(RankingStatus.snapshot_id).where(RankingStatus.cycle_id == cycle_id)
    )


def current_snapshot(session: Session, cycle_id: int) -> RankingSnapshot | None:
    """The cycle's current snapshot (the status pointer, read once), or None before any."""
    snapshot_id = current_snapshot_id(session, cycle_id)
    return session.get(RankingSnapshot, snapshot_id) if snapshot_id is not None else None


def encode_position(snapshot_id: int, position: int) -> str:
    """A cursor's key: the snapshot and the position after which the next page starts."""
    return f"{snapshot_id}:{position}"


def decode_position(key: str, field: str = "after") -> tuple[int, int]:
    """(snapshot id, position) from a cursor's key, or INVALID naming ``field``."""
    snapshot, _, position = key.partition(":")
    try:
        return int(snapshot), int(position)
    except ValueError:
        raise fail(field, "not a cursor of a ranking", ErrorCode.INVALID) from None


@dataclass(frozen=True)
class RankingPage:
    """One page of one ranking of one snapshot (``snapshot`` None: nothing published yet)."""

    cycle: Cycle
    scope: TenantNode
    level: TenantLevel
    snapshot: RankingSnapshot | None
    rows: list[RankingRow]  # plain rows of every column (ROW_COLUMNS), read the same way
    total: int
    has_next: bool
    has_previous: bool
    tie_break: str = TIE_BREAK


def ranking_page(
    session: Session,
    actor: Actor,
    cycle_id: int,
    scope_id: int,
    level: TenantLevel,
    *,
    first: int,
    after: str | None = None,
    group: str | None = None,
) -> RankingPage:
    """A page of the ranking of ``level`` units within ``scope`` in the cycle's current
    snapshot (or the snapshot the ``after`` cursor key names, while its rows are kept); only
    the units ranked in ``group`` (分类考核) when one is named."""
    cycle = readable_cycle(session, cycle_id)
    scope = readable_scope(session, actor, cycle, scope_id)
    check_level(scope, cycle, level)
    after_position = 0
    if after is not None:
        snapshot_id, after_position = decode_position(after)
        snapshot = session.get(RankingSnapshot, snapshot_id)
        if snapshot is None or snapshot.cycle_id != cycle.id:
            raise fail("after", "not a cursor of this ranking", ErrorCode.INVALID)
        if snapshot.rows_pruned:
            raise fail("after", REPUBLISHED, ErrorCode.CONFLICT)
    else:
        snapshot = current_snapshot(session, cycle.id)
    if snapshot is None:
        return RankingPage(cycle, scope, level, None, [], 0, False, False)
    where = (
        RankingRow.snapshot_id == snapshot.id,
        RankingRow.scope_node_id == scope.id,
        RankingRow.level == level,
        *((RankingRow.group_code == group,) if group is not None else ()),
    )
    total = session.scalar(select(func.count()).select_from(RankingRow).where(*where)) or 0
    rows = list(
        session.execute(
            select(*ROW_COLUMNS)
            .where(*where, RankingRow.position > after_position)
            .order_by(RankingRow.position)
            .limit(first + 1)
        )
    )
    return RankingPage(
        cycle,
        scope,
        level,
        snapshot,
        rows[:first],
        total,
        has_next=len(rows) > first,
        has_previous=after is not None,
    )


def aggregate_of(
    session: Session, actor: Actor, cycle_id: int, node_id: int
) -> tuple[RankingSnapshot | None, RegionAggregate | None]:
    """The node's aggregate in the cycle's current snapshot (None when not computed, or the
    node is no region of the cycle), read under the ranking rule for the node as scope."""
    cycle = readable_cycle(session, cycle_id)
    node = readable_scope(session, actor, cycle, node_id, field="node")
    snapshot = current_snapshot(session, cycle.id)
    if snapshot is None:
        return None, None
    row = session.scalar(
        select(RegionAggregate).where(
            RegionAggregate.snapshot_id == snapshot.id, RegionAggregate.node_id == node.id
        )
    )
    return snapshot, row


def statuses_of(
    session: Session, cycle_ids: Sequence[int]
) -> dict[int, tuple[RankingStatus, int | None]]:
    """Each cycle's ranking status with its current snapshot's version (None before one is
    published); a cycle whose rankings were never asked for has none. One query."""
    rows = session.execute(
        select(RankingStatus, RankingSnapshot.version)
        .outerjoin(RankingSnapshot, RankingSnapshot.id == RankingStatus.snapshot_id)
        .where(RankingStatus.cycle_id.in_(cycle_ids))
    ).all()
    return {status.cycle_id: (status, version) for status, version in rows}
