"""Comparing units side by side: per category (the reviewed scorecards' subtotals) and over
cycles (total, rank, grade), bounded to a few units and cycles, only units the reader sees."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode, Problem
from scoring.assessments.models import Assessment, Cycle
from scoring.assessments.rescoring import RANKED_STATES
from scoring.assessments.scorecards import load_template_of, scorecards_many
from scoring.rankings.access import readable_cycle
from scoring.rankings.models import RankingRow, RankingStatus
from tenants.access import Actor
from tenants.models import TenantNode

MAX_UNITS = 20
MAX_CYCLES = 6


@dataclass(frozen=True)
class CategoryFigure:
    """A category's subtotal in a reviewed scorecard."""

    code: str
    title: str
    points: Decimal
    max_points: Decimal


@dataclass(frozen=True)
class Standing:
    """One unit in one cycle: its assessment's state and, once ranked, its figures."""

    cycle: Cycle
    node: TenantNode
    state: str | None  # None: not assessed in the cycle
    total: Decimal | None
    grade: str | None
    vetoed: bool
    rank: int | None  # in the cycle's whole ranking (its owner's scope), current snapshot
    of: int | None
    categories: tuple[CategoryFigure, ...]


@dataclass(frozen=True)
class Comparison:
    cycles: list[Cycle]
    units: list[TenantNode]
    standings: list[Standing]  # per unit, then per cycle, in the order asked

    def of(self, node_id: int) -> list[Standing]:
        return [s for s in self.standings if s.node.id == node_id]


def _bounds(cycle_ids: Sequence[int], unit_ids: Sequence[int]) -> None:
    problems = []
    for field, ids, most in (("cycles", cycle_ids, MAX_CYCLES), ("units", unit_ids, MAX_UNITS)):
        if not ids:
            problems.append(Problem(field, "name at least one", ErrorCode.REQUIRED))
        elif len(ids) > most:
            problems.append(
                Problem(field, f"{len(ids)} given; compare at most {most}", ErrorCode.TOO_LARGE)
            )
        elif len(set(ids)) != len(ids):
            problems.append(Problem(field, "named twice", ErrorCode.DUPLICATE))
    if problems:
        raise DomainError(problems)


def compare(
    session: Session, actor: Actor, cycle_ids: Sequence[int], unit_ids: Sequence[int]
) -> Comparison:
    """The units side by side in the cycles: only units whose assessments the reader sees
    (their own, or under a subtree they read), at most 20 units x 6 cycles."""
    _bounds(cycle_ids, unit_ids)
    cycles = [readable_cycle(session, c, f"cycles[{i}]") for i, c in enumerate(cycle_ids)]
    found = session.scalars(select(TenantNode).where(TenantNode.id.in_(unit_ids)))
    nodes = {n.id: n for n in found}
    problems = []
    for index, unit_id in enumerate(unit_ids):
        node = nodes.get(unit_id)
        if node is None:
            problems.append(
                Problem(f"units[{index}]", f"no unit {unit_id} you can see", ErrorCode.NOT_FOUND)
            )
        elif not actor.scope.node_writable(node):  # own or in a read subtree, not an ancestor
            problems.append(
                Problem(
                    f"units[{index}]",
                    f"you cannot see the assessments of {node.code} {node.name_zh}",
                    ErrorCode.PERMISSION_DENIED,
                )
            )
    if problems:
        raise DomainError(problems)
    assessments = {
        (a.cycle_id, a.node_id): a
        for a in session.scalars(
            select(Assessment).where(
                Assessment.cycle_id.in_(cycle_ids), Assessment.node_id.in_(unit_ids)
            )
        )
    }
    ranked = [a for a in assessments.values() if a.state in RANKED_STATES]
    cards = scorecards_many(session, ranked)
    places = {
        (cycle_id, node_id): (rank, of)
        for cycle_id, node_id, rank, of in session.execute(
            select(RankingStatus.cycle_id, RankingRow.node_id, RankingRow.rank, RankingRow.of)
            .join(RankingRow, RankingRow.snapshot_id == RankingStatus.snapshot_id)
            .join(Cycle, Cycle.id == RankingStatus.cycle_id)
            .where(
                RankingStatus.cycle_id.in_(cycle_ids),
                RankingRow.node_id.in_(unit_ids),
                RankingRow.scope_node_id == Cycle.owner_node_id,
                RankingRow.level == Cycle.level,
            )
        )
    }
    titles = {
        cycle.id: {
            code: item.title
            for code, item in load_template_of(session, cycle.template_id).items_by_code.items()
        }
        for cycle in cycles
    }
    standings = []
    for unit_id in unit_ids:
        for cycle in cycles:
            assessment = assessments.get((cycle.id, unit_id))
            card = cards.get(assessment.id) if assessment is not None else None
            rank, of = places.get((cycle.id, unit_id), (None, None))
            standings.append(
                Standing(
                    cycle=cycle,
                    node=nodes[unit_id],
                    state=assessment.state.value if assessment is not None else None,
                    total=card.reviewed_card.total if card else None,
                    grade=card.reviewed_card.grade.value if card else None,
                    vetoed=card.reviewed_card.vetoed if card else False,
                    rank=rank,
                    of=of,
                    categories=tuple(
                        CategoryFigure(
                            c.code, titles[cycle.id].get(c.code, c.code), c.points, c.max_points
                        )
                        for c in (card.reviewed_card.categories.values() if card else ())
                    ),
                )
            )
    return Comparison(cycles, [nodes[i] for i in unit_ids], standings)
