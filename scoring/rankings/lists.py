"""The lists leaders act on, from the current snapshot: units to commend (ranked, excellent,
neither vetoed nor yellow-carded) and units to criticise or interview (vetoed, yellow-carded,
unqualified, or with overdue listed major hazards), each once, with every reason in words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import ErrorCode, fail
from scoring.assessments.groups import cycle_groups
from scoring.assessments.models import AssessmentGroup, Cycle
from scoring.engine import Grade
from scoring.rankings.access import check_level, readable_cycle, readable_scope
from scoring.rankings.models import RankingRow, RankingSnapshot
from scoring.rankings.reading import current_snapshot
from scoring.rankings.reasons import LABELS, Reason, blame_said, praise_said
from scoring.templates.models import Template
from tenants.access import Actor
from tenants.models import TenantLevel, TenantNode

MAX_CANDIDATES = 100


@dataclass(frozen=True)
class Listed:
    """A unit on a list: its ranking row and why it is there."""

    row: RankingRow
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class UnitList:
    """A list drawn from one snapshot (None: nothing published yet)."""

    snapshot: RankingSnapshot | None
    units: list[Listed]


def _setup(
    session: Session, actor: Actor, cycle_id: int, scope_id: int, level: TenantLevel
) -> tuple[Cycle, TenantNode, RankingSnapshot | None]:
    cycle = readable_cycle(session, cycle_id)
    scope = readable_scope(session, actor, cycle, scope_id)
    check_level(scope, cycle, level)
    if level is not TenantLevel(cycle.level):
        raise fail(
            "level",
            f"the lists name the cycle's units ({cycle.level.value}), not regions",
            ErrorCode.INVALID,
        )
    return cycle, scope, current_snapshot(session, cycle.id)


def _rows(
    session: Session,
    snapshot: RankingSnapshot,
    scope: TenantNode,
    level: TenantLevel,
    group: str | None = None,
):
    """The ranking's rows (of one group, 分类考核, when ``group`` names it)."""
    return select(RankingRow).where(
        RankingRow.snapshot_id == snapshot.id,
        RankingRow.scope_node_id == scope.id,
        RankingRow.level == level,
        *((RankingRow.group_code == group,) if group is not None else ()),
    )


def commendable(row: RankingRow) -> bool:
    """Whether a unit may be commended: ranked, graded excellent, neither vetoed nor yellow-carded
    in the snapshot."""
    return (
        row.score is not None
        and not row.vetoed
        and row.grade == Grade.EXCELLENT.value
        and not row.yellow_cards
    )


def praise(row: RankingRow, scope: TenantNode) -> tuple[Reason, ...]:
    """Why a commended unit is commended: its rank in the scope and its excellent total."""
    return praise_said(row, scope.name_zh, LABELS["en"])


def commendation_candidates(
    session: Session,
    actor: Actor,
    cycle_id: int,
    scope_id: int,
    level: TenantLevel,
    *,
    limit: int = 10,
    group: str | None = None,
) -> UnitList:
    """Up to ``limit`` units to commend (of each group, or of ``group`` alone), in rank order:
    ranked, graded excellent, not vetoed and without a yellow card in the snapshot (a veto or
    yellow card withdrawn by the assessor does not count: it was found not to apply; one in
    force, live from the ledgers included, does)."""
    if not 1 <= limit <= MAX_CANDIDATES:
        raise fail("limit", f"between 1 and {MAX_CANDIDATES}", ErrorCode.INVALID)
    _, scope, snapshot = _setup(session, actor, cycle_id, scope_id, level)
    if snapshot is None:
        return UnitList(None, [])
    excellent = session.scalars(
        _rows(session, snapshot, scope, level, group)
        .where(RankingRow.vetoed.is_(False), RankingRow.grade == Grade.EXCELLENT.value)
        .order_by(RankingRow.position)
    )
    # A yellow card (a JSON list on the row) is read here rather than in SQL: the excellent
    # units of one ranking are few. In groups (分类考核), up to ``limit`` of each.
    taken: Counter[str | None] = Counter()
    rows = []
    for row in excellent:
        if commendable(row) and taken[row.group_code] < limit:
            taken[row.group_code] += 1
            rows.append(row)
    return UnitList(snapshot, [Listed(row, praise(row, scope)) for row in rows])


def blame(row: RankingRow, qualified: Decimal | None) -> tuple[Reason, ...]:
    """Why a unit is to be criticised or interviewed: every veto and yellow card (with its
    reason), a total below the qualified threshold, overdue listed major hazards (how many);
    empty when none applies."""
    return blame_said(row, qualified, LABELS["en"])


def criticism_list(
    session: Session,
    actor: Actor,
    cycle_id: int,
    scope_id: int,
    level: TenantLevel,
    *,
    group: str | None = None,
) -> UnitList:
    """Units to criticise or interview, in rank order, each once with all its reasons
    (``blame``); of one group (分类考核) when ``group`` names it."""
    cycle, scope, snapshot = _setup(session, actor, cycle_id, scope_id, level)
    if snapshot is None:
        return UnitList(None, [])
    qualified = qualified_marks(session, cycle)
    rows = session.scalars(
        _rows(session, snapshot, scope, level, group).order_by(RankingRow.position)
    )
    return UnitList(
        snapshot,
        [Listed(row, reasons) for row in rows if (reasons := blame(row, qualified(row)))],
    )


def group_qualified(group: AssessmentGroup | None, qualified: Decimal | None) -> Decimal | None:
    """The qualified mark a unit of ``group`` is held to: the group's own, else the template's."""
    if group is not None and group.own_grades:
        return group.grade_qualified
    return qualified


def qualified_marks(session: Session, cycle: Cycle) -> Callable[[RankingRow], Decimal | None]:
    """The qualified mark each row of the cycle's rankings is held to (its group's, where the
    group has its own thresholds, else the template's)."""
    qualified = session.scalar(
        select(Template.grade_qualified).where(Template.id == cycle.template_id)
    )
    groups = {group.code: group for group in cycle_groups(session, cycle.id)}

    def mark(row: RankingRow) -> Decimal | None:
        group = groups.get(row.group_code) if row.group_code is not None else None
        return group_qualified(group, qualified)

    return mark
