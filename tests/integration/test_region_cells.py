"""A region's cells, summed in the database, are the exact means of its units' current cells."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select

from redline.db import insert_rows
from scoring.assessments.models import ScoreState
from scoring.assessments.scorecards import load_template_of
from scoring.engine.ranking import mean
from scoring.rankings.cells import BandSettings, region_cells
from scoring.rankings.models import RankingCell, RankingSnapshot, cells_of
from tenants.models import TenantLevel, TenantNode
from tests.factories.rankings import ranking_cycle
from tests.factories.templates import published_template
from tests.factories.tenants import node

D = Decimal


def test_every_region_cell_of_the_demo_is_the_mean_of_its_units_cells(served_demo):
    session = served_demo
    paths = dict(session.execute(select(TenantNode.id, TenantNode.path)).tuples().all())
    checked = 0
    for snapshot in session.scalars(select(RankingSnapshot)):
        cells = session.scalars(select(RankingCell).where(cells_of(snapshot)))
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


def test_a_region_sums_its_current_unit_cells_only(world):
    """Its ranked units' cells valid now: not the cells of the regions between (a city's
    counties have cells of their own), nor cells replaced by a later version."""
    session = world
    template = published_template(session, node(session, "330000"))
    cycle = ranking_cycle(session, template, "330000", TenantLevel.TOWNSHIP)
    item_id = load_template_of(session, template.id).items[0].id

    def cell(code: str, points: str, valid_from: int = 1, valid_to: int | None = None) -> dict:
        return {
            "customer_id": cycle.customer_id,
            "cycle_id": cycle.id,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "node_id": node(session, code).id,
            "item_id": item_id,
            "state": ScoreState.SCORED.value,
            "points": D(points),
            "max_points": D(10),
            "percent": D(points) * 10,
            "band": None,
            "figure": None,
            "counted": 1,
        }

    insert_rows(
        session,
        RankingCell.__table__,
        [
            cell("330402007", "4"),
            cell("330402008", "7", valid_from=2),
            cell("330402008", "1", valid_to=2),  # replaced by the one above
            cell("330402", "10"),  # the county's own mean
        ],
    )
    city = node(session, "330400")
    townships = [node(session, code).id for code in ("330402007", "330402008")]
    found = region_cells(
        session,
        cycle.id,
        {city.id: TenantLevel.CITY},
        {city.id: townships},
        BandSettings.of(load_template_of(session, template.id)),
    )
    assert [(c["node_id"], c["points"], c["percent"], c["counted"]) for c in found] == [
        (city.id, D("5.5"), D(55), 2)
    ]
    session.rollback()
