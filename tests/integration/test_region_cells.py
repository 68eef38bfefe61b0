"""A region's cells, summed in the database, are the exact means of its units' cells."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from scoring.assessments.models import ScoreState
from scoring.engine.ranking import mean
from scoring.rankings.models import RankingCell, RankingSnapshot
from tenants.models import TenantNode


def test_every_region_cell_of_the_demo_is_the_mean_of_its_units_cells(served_demo):
    session = served_demo
    paths = dict(session.execute(select(TenantNode.id, TenantNode.path)).tuples().all())
    checked = 0
    for snapshot_id in session.scalars(select(RankingSnapshot.id)):
        cells = session.scalars(select(RankingCell).where(RankingCell.snapshot_id == snapshot_id))
        by_node: dict[int, list[RankingCell]] = defaultdict(list)
        for cell in cells:
            by_node[cell.node_id].append(cell)
        units = {n for n, found in by_node.items() if all(c.counted <= 1 for c in found)}
        for node_id, found in by_node.items():
            below = [u for u in units if u != node_id and paths[u].startswith(paths[node_id])]
            if not below:
                continue  # a unit of the cycle
            for cell in found:
                members = [c for u in below for c in by_node[u] if c.item_id == cell.item_id]
                scored = [c for c in members if c.state == ScoreState.SCORED.value]
                percents = [c.percent for c in scored if c.percent is not None]
                assert cell.points == mean([c.points for c in scored if c.points is not None])
                assert cell.max_points == mean(
                    [c.max_points for c in scored if c.max_points is not None]
                )
                assert cell.percent == mean(percents)
                assert cell.figure == mean([c.figure for c in members if c.figure is not None])
                assert cell.counted == len(percents)
                checked += 1
    assert checked > 50
