"""What changed between two published versions of a cycle's rankings: who moved and by how much,
whose score, grade, vetoes or yellow cards changed (the why), who came in or left, and whose
commendation a republished result withdraws or grants. Republishing an unchanged cycle changes
nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import ErrorCode, fail
from scoring.assessments.models import Cycle
from scoring.engine.consequences import Consequence
from scoring.rankings.access import check_level, readable_cycle, readable_scope
from scoring.rankings.consequences import decide_snapshot, ranking_rows
from scoring.rankings.models import RankingRow, RankingSnapshot
from scoring.rankings.reading import current_snapshot
from tenants.access import Actor
from tenants.models import TenantLevel, TenantNode


@dataclass(frozen=True)
class Change:
    """One unit whose standing differs between two versions (``before`` None: it came into
    the ranking; ``after`` None: it left it)."""

    node_id: int
    before: RankingRow | None
    after: RankingRow | None
    vetoes_added: tuple[Mapping[str, Any], ...] = ()
    vetoes_removed: tuple[Mapping[str, Any], ...] = ()
    yellow_cards_added: tuple[Mapping[str, Any], ...] = ()
    yellow_cards_removed: tuple[Mapping[str, Any], ...] = ()
    commendation_withdrawn: bool = False
    commendation_granted: bool = False

    @property
    def rank_change(self) -> int | None:
        """Places moved up (negative: down); None unless ranked in both versions."""
        before, after = rank_of(self.before), rank_of(self.after)
        return before - after if before is not None and after is not None else None

    @property
    def score_change(self) -> Decimal | None:
        before = self.before.score if self.before is not None else None
        after = self.after.score if self.after is not None else None
        return after - before if before is not None and after is not None else None


def rank_of(row: RankingRow | None) -> int | None:
    """A row's rank, None when it is not ranked (no score) or absent."""
    return row.rank if row is not None and row.score is not None else None


def _rule_key(fired: Mapping[str, Any]) -> tuple[str, str]:
    return (str(fired.get("rule", "")), str(fired.get("reason", "")))


def _added(
    before: Sequence[Mapping[str, Any]] | None, after: Sequence[Mapping[str, Any]] | None
) -> tuple[Mapping[str, Any], ...]:
    """The rules fired in ``after`` and not in ``before`` (a rule and its reason)."""
    had = {_rule_key(fired) for fired in before or ()}
    return tuple(fired for fired in after or () if _rule_key(fired) not in had)


def _standing(row: RankingRow | None) -> tuple[Any, ...] | None:
    """What a reader sees of a unit in one version; equal standings are no change."""
    if row is None:
        return None
    return (
        rank_of(row),
        row.of,
        row.score,
        row.grade,
        row.vetoed,
        sorted(_rule_key(v) for v in row.veto_reasons or ()),
        sorted(_rule_key(y) for y in row.yellow_cards or ()),
    )


def diff_rows(
    before: Sequence[RankingRow],
    after: Sequence[RankingRow],
    commended_before: frozenset[int] = frozenset(),
    commended_after: frozenset[int] = frozenset(),
) -> list[Change]:
    """The units whose standing (rank, of how many, score, grade, veto, rules fired) or
    commendation differs, in the later version's order, then those that left in the earlier's."""
    earlier = {row.node_id: row for row in before}
    later = {row.node_id: row for row in after}
    order = [row.node_id for row in after] + [n for n in earlier if n not in later]
    changes = []
    for node_id in order:
        old, new = earlier.get(node_id), later.get(node_id)
        withdrawn = node_id in commended_before and node_id not in commended_after
        granted = node_id in commended_after and node_id not in commended_before
        if _standing(old) == _standing(new) and not (withdrawn or granted):
            continue
        old_vetoes = old.veto_reasons if old is not None else ()
        new_vetoes = new.veto_reasons if new is not None else ()
        old_cards = old.yellow_cards if old is not None else ()
        new_cards = new.yellow_cards if new is not None else ()
        changes.append(
            Change(
                node_id,
                old,
                new,
                vetoes_added=_added(old_vetoes, new_vetoes),
                vetoes_removed=_added(new_vetoes, old_vetoes),
                yellow_cards_added=_added(old_cards, new_cards),
                yellow_cards_removed=_added(new_cards, old_cards),
                commendation_withdrawn=withdrawn,
                commendation_granted=granted,
            )
        )
    return changes


@dataclass(frozen=True)
class RankingChanges:
    """The changes of one ranking (scope and level) between two versions of a cycle's
    rankings."""

    cycle: Cycle
    scope: TenantNode
    level: TenantLevel
    before: RankingSnapshot
    after: RankingSnapshot
    changes: list[Change]


def versions(session: Session, actor: Actor, cycle_id: int) -> list[RankingSnapshot]:
    """Every published version of a cycle's rankings, the newest first (a provisional one past
    the newest three keeps its header only: ``rows_pruned``)."""
    cycle = readable_cycle(session, cycle_id)
    return list(
        session.scalars(
            select(RankingSnapshot)
            .where(RankingSnapshot.cycle_id == cycle.id)
            .order_by(RankingSnapshot.version.desc())
        )
    )


def _version(session: Session, cycle: Cycle, version: int, field: str) -> RankingSnapshot:
    snapshot = session.scalar(
        select(RankingSnapshot).where(
            RankingSnapshot.cycle_id == cycle.id, RankingSnapshot.version == version
        )
    )
    if snapshot is None:
        raise fail(field, f"the cycle's rankings have no version {version}", ErrorCode.NOT_FOUND)
    if snapshot.rows_pruned:
        raise fail(
            field,
            f"version {version} was provisional and its rows are no longer kept (a provisional "
            "version keeps them while it is among the newest three; a final one for good)",
            ErrorCode.INVALID,
        )
    return snapshot


def _commended(session: Session, cycle: Cycle, snapshot: RankingSnapshot) -> frozenset[int]:
    """The units a version of the rankings commends by the template's policy."""
    return frozenset(
        unit.row.node_id
        for unit in decide_snapshot(session, cycle, snapshot, None)
        if any(d.consequence is Consequence.COMMENDATION for d in unit.consequences)
    )


def ranking_changes(
    session: Session,
    actor: Actor,
    cycle_id: int,
    scope_id: int,
    level: TenantLevel,
    from_version: int,
    to_version: int | None = None,
) -> RankingChanges:
    """What changed in the ranking of ``level`` units within ``scope`` from one version to
    another (by default the current one), read as the ranking is read."""
    cycle = readable_cycle(session, cycle_id)
    scope = readable_scope(session, actor, cycle, scope_id)
    check_level(scope, cycle, level)
    before = _version(session, cycle, from_version, "fromVersion")
    if to_version is None:
        after = current_snapshot(session, cycle.id)
        if after is None:  # a version exists, so the status points at one
            raise fail("toVersion", "nothing published yet", ErrorCode.NOT_FOUND)
    else:
        after = _version(session, cycle, to_version, "toVersion")
    commended_before: frozenset[int] = frozenset()
    commended_after: frozenset[int] = frozenset()
    if level is TenantLevel(cycle.level):
        # Decided on the cycle's whole ranking; the scope's own rows say whose are shown.
        commended_before = _commended(session, cycle, before)
        commended_after = _commended(session, cycle, after)
    changes = diff_rows(
        ranking_rows(session, before, scope.id, level),
        ranking_rows(session, after, scope.id, level),
        commended_before,
        commended_after,
    )
    return RankingChanges(cycle, scope, level, before, after, changes)
