"""Ranking cells shared between snapshots: a publication writes only the cells of what changed
(a unit whose item scores moved or that left or joined the ranking, and the regions above it),
every snapshot still reads exactly the cells a publication writing everything again gives, and
pruning deletes only the cells no kept snapshot reads."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from scoring.assessments.models import (
    Assessment,
    AssessmentState,
    Cycle,
    Entry,
    ItemScore,
    ScoreState,
)
from scoring.assessments.rescoring import RANKED_STATES
from scoring.assessments.scorecards import refresh_scores
from scoring.rankings.cells import SUM_COLUMNS, BandSettings, region_cells
from scoring.rankings.compute import KEEP_SNAPSHOTS
from scoring.rankings.models import RankingCell, RankingRow, RankingSnapshot, cells_of
from scoring.rankings.status import publish_rankings
from tenants.models import TenantNode

Cells = set[tuple]


@pytest.fixture(scope="module")
def demo(whole_demo: Session) -> Session:
    """The module's own demo with every cycle's rankings published once."""
    from redline.demo.assessments import publish_demo_rankings

    whole_demo.rollback()
    publish_demo_rankings(_sessions(whole_demo))
    return whole_demo


def _sessions(session: Session):
    from redline.db import make_session_factory

    return make_session_factory(session.get_bind())


def _township_cycle(session: Session) -> Cycle:
    """Jiaxing's township cycle: ranked by county below the city that owns it."""
    return session.scalars(select(Cycle).where(Cycle.level == "township")).one()


def _cells(session: Session, snapshot: RankingSnapshot) -> Cells:
    c = RankingCell
    return set(
        session.execute(
            select(
                c.node_id,
                c.item_id,
                c.state,
                c.points,
                c.max_points,
                c.percent,
                c.band,
                c.figure,
                c.counted,
            ).where(cells_of(snapshot))
        )
    )


def _publish(session: Session, cycle: Cycle) -> RankingSnapshot:
    session.commit()
    snapshot = publish_rankings(_sessions(session), cycle.id, force=True)
    assert snapshot is not None
    return session.get_one(RankingSnapshot, snapshot.id)


def _written(session: Session, snapshot: RankingSnapshot) -> set[int]:
    """The nodes whose cells ``snapshot``'s publication wrote."""
    return set(
        session.scalars(
            select(RankingCell.node_id).where(
                RankingCell.cycle_id == snapshot.cycle_id,
                RankingCell.valid_from == snapshot.version,
            )
        )
    )


def _everything_again(session: Session, cycle: Cycle) -> RankingSnapshot:
    """Publish with every cell written again, as after the migration: no row knows the
    revision it was published from."""
    newest = session.scalars(
        select(RankingSnapshot)
        .where(RankingSnapshot.cycle_id == cycle.id)
        .order_by(RankingSnapshot.version.desc())
    ).first()
    assert newest is not None
    session.execute(
        update(RankingRow).where(RankingRow.snapshot_id == newest.id).values(scores_revision=None)
    )
    snapshot = _publish(session, cycle)
    assert _written(session, snapshot)  # written again
    return snapshot


def _ranked(session: Session, cycle: Cycle) -> list[Assessment]:
    return list(
        session.scalars(
            select(Assessment)
            .where(
                Assessment.cycle_id == cycle.id,
                Assessment.state.in_(RANKED_STATES),
                Assessment.reviewed_total.is_not(None),
            )
            .order_by(Assessment.id)
        )
    )


def _regions_above(session: Session, cycle: Cycle, assessment: Assessment) -> set[int]:
    """The regions between the cycle's owner and the unit: those with cells of their own."""
    unit = session.get_one(TenantNode, assessment.node_id)
    owner = session.get_one(TenantNode, cycle.owner_node_id)
    codes = unit.path.strip("/").split("/")
    paths = ["/" + "/".join(codes[:depth]) + "/" for depth in range(1, len(codes))]
    return set(
        session.scalars(
            select(TenantNode.id).where(
                TenantNode.path.in_([p for p in paths if p.startswith(owner.path)]),
                TenantNode.id != owner.id,
            )
        )
    )


def _adjust_a_scored_indicator(session: Session, assessment: Assessment) -> int:
    """The reviewer adjusts one scored indicator of ``assessment`` to 0 and its scores are
    kept again; returns the item's id."""
    kept = session.scalars(
        select(ItemScore).where(
            ItemScore.assessment_id == assessment.id,
            ItemScore.state == ScoreState.SCORED,
            ItemScore.points > 0,
        )
    )
    for score in kept:
        entry = session.scalar(
            select(Entry).where(
                Entry.assessment_id == assessment.id, Entry.item_id == score.item_id
            )
        )
        if entry is None:
            continue  # a category
        entry.reviewed = True
        entry.review_points = Decimal(0)
        entry.review_reason = "现场核查未见台账"
        refresh_scores(session, assessment)
        session.flush()
        session.refresh(score)
        assert score.points == 0
        return score.item_id
    raise AssertionError("no scored indicator to adjust")


def test_a_rescored_unit_writes_its_cells_and_its_regions_and_the_rest_are_shared(demo):
    session = demo
    cycle = _township_cycle(session)
    before = _publish(session, cycle)
    cells_before = _cells(session, before)
    assessment = _ranked(session, cycle)[0]
    revision = assessment.scores_revision
    item_id = _adjust_a_scored_indicator(session, assessment)
    session.commit()
    session.refresh(assessment)
    assert assessment.scores_revision > revision  # counted with the item scores' write

    after = _publish(session, cycle)
    regions = _regions_above(session, cycle, assessment)
    assert regions, "the unit lies below a county of the city"
    assert _written(session, after) == {assessment.node_id} | regions
    # The earlier snapshot reads what it read, the new one the change.
    assert _cells(session, before) == cells_before
    cells_after = _cells(session, after)
    changed = {(c[0], c[1]) for c in cells_after ^ cells_before}
    assert (assessment.node_id, item_id) in changed
    assert {node for node, _ in changed} <= {assessment.node_id} | regions
    # Everything written again gives the same cells.
    assert _cells(session, _everything_again(session, cycle)) == cells_after


def _set_state(session: Session, assessment: Assessment, state: AssessmentState) -> None:
    """Put the assessment in ``state`` directly (a return, a resubmission), for the next
    publication to see."""
    session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id)
        .values(state=state)
        .execution_options(synchronize_session=False)
    )


def test_a_returned_unit_leaves_and_its_county_is_summed_again(demo):
    session = demo
    cycle = _township_cycle(session)
    before = _publish(session, cycle)
    cells_before = _cells(session, before)
    assessment = _ranked(session, cycle)[-1]
    _set_state(session, assessment, AssessmentState.RETURNED)
    after = _publish(session, cycle)
    regions = _regions_above(session, cycle, assessment)
    assert _written(session, after) <= regions  # nothing of the unit: it left
    cells_after = _cells(session, after)
    assert {c[0] for c in cells_before} - {c[0] for c in cells_after} >= {assessment.node_id}
    assert _cells(session, before) == cells_before
    assert _cells(session, _everything_again(session, cycle)) == cells_after

    _set_state(session, assessment, AssessmentState.RESUBMITTED)  # back in the ranking
    back = _publish(session, cycle)
    assert _written(session, back) == {assessment.node_id} | regions
    assert _cells(session, back) == cells_before


def test_pruning_deletes_only_the_cells_no_kept_snapshot_reads(demo):
    session = demo
    cycle = _township_cycle(session)
    read: dict[int, Cells] = {}
    for assessment in _ranked(session, cycle)[: KEEP_SNAPSHOTS + 1]:
        _adjust_a_scored_indicator(session, assessment)
        snapshot = _publish(session, cycle)
        read[snapshot.id] = _cells(session, snapshot)
    session.expire_all()
    snapshots = session.scalars(
        select(RankingSnapshot).where(RankingSnapshot.cycle_id == cycle.id)
    ).all()
    kept = [s for s in snapshots if not s.rows_pruned]
    assert len(kept) < len(snapshots)
    for snapshot in kept:
        if snapshot.id in read:
            assert _cells(session, snapshot) == read[snapshot.id]
    # Every replaced cell left is read by a kept snapshot.
    closed = session.scalars(
        select(RankingCell).where(
            RankingCell.cycle_id == cycle.id, RankingCell.valid_to.is_not(None)
        )
    ).all()
    versions = [s.version for s in kept]
    assert closed, "the changes replaced cells"
    for cell in closed:
        assert any(cell.valid_from <= v < cell.valid_to for v in versions), cell.id


def _item_scores(session: Session, assessment: Assessment) -> set[tuple]:
    return {
        (s.item_id, s.state, s.points, s.max_points, s.figure)
        for s in session.scalars(select(ItemScore).where(ItemScore.assessment_id == assessment.id))
    }


def test_a_unit_scored_before_item_scores_were_kept_is_scored_once_and_its_cells_written(demo):
    session = demo
    cycle = _township_cycle(session)
    before = _publish(session, cycle)
    cells_before = _cells(session, before)
    assessment = _ranked(session, cycle)[0]
    kept = _item_scores(session, assessment)
    # As before migration 0020: no kept item scores, nothing counted.
    session.execute(delete(ItemScore).where(ItemScore.assessment_id == assessment.id))
    session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id)
        .values(scores_revision=0)
        .execution_options(synchronize_session=False)
    )
    after = _publish(session, cycle)
    assert _item_scores(session, assessment) == kept  # scored once more and kept
    session.refresh(assessment)
    assert assessment.scores_revision == 1
    assert assessment.node_id in _written(session, after)
    assert _cells(session, after) == cells_before


def _region_cells_now(session: Session, snapshot: RankingSnapshot) -> set[frozenset]:
    """The snapshot's region cells (those keeping sums), every column but the row's own."""
    skip = {"id", "customer_id", "cycle_id", "valid_from", "valid_to"}
    columns = [c for c in RankingCell.__table__.c if c.name not in skip]
    return {
        frozenset(row._mapping.items())
        for row in session.execute(
            select(*columns).where(cells_of(snapshot), RankingCell.units.is_not(None))
        )
    }


def _summed_whole(session: Session, snapshot: RankingSnapshot, regions: set[int]) -> set[frozenset]:
    """The regions' cells summed whole from their ranked units' current cells."""
    from scoring.assessments.scorecards import load_template_of

    cycle = session.get_one(Cycle, snapshot.cycle_id)
    members = {
        region: frozenset(
            session.scalars(
                select(RankingRow.node_id).where(
                    RankingRow.snapshot_id == snapshot.id,
                    RankingRow.scope_node_id == region,
                    RankingRow.assessment_id.is_not(None),
                )
            )
        )
        for region in regions
    }
    levels = {region: session.get_one(TenantNode, region).level for region in regions}
    settings = BandSettings.of(load_template_of(session, cycle.template_id))
    return {
        frozenset(row.items()) for row in region_cells(session, cycle.id, levels, members, settings)
    }


@pytest.fixture
def summed_whole(monkeypatch) -> list[int]:
    """The regions whose cells a publication sums whole from their units (not moved)."""
    from scoring.rankings import cells

    found: list[int] = []

    def spied(session, cycle_id, regions, members, settings):
        found.extend(regions)
        return region_cells(session, cycle_id, regions, members, settings)

    monkeypatch.setattr(cells, "region_cells", spied)
    return found


def _halve_a_kept_score(session: Session, assessment: Assessment) -> None:
    """The unit's kept scores change, as its rescoring writes them: one indicator halved."""
    score = session.scalars(
        select(ItemScore).where(
            ItemScore.assessment_id == assessment.id,
            ItemScore.state == ScoreState.SCORED,
            ItemScore.points > 0,
        )
    ).first()
    assert score is not None
    score.points = score.points / 2
    session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id)
        .values(scores_revision=Assessment.scores_revision + 1)
        .execution_options(synchronize_session=False)
    )


def test_region_cells_moved_by_their_units_differences_are_the_sums_of_their_units(
    demo, summed_whole
):
    session = demo
    cycle = _township_cycle(session)
    _publish(session, cycle)
    summed_whole.clear()
    ranked = _ranked(session, cycle)
    rescored, returned = ranked[1], ranked[-2]

    def check(snapshot: RankingSnapshot) -> None:
        """Every changed region was moved, none summed again, and the moved cells are the
        whole sums to the last digit."""
        assert summed_whole == []
        moved = _region_cells_now(session, snapshot)
        regions = {dict(cell)["node_id"] for cell in moved}
        written = _written(session, snapshot)
        assert written & regions, "the change moved regions"
        assert _summed_whole(session, snapshot, regions) == moved

    _halve_a_kept_score(session, rescored)
    check(_publish(session, cycle))
    _set_state(session, returned, AssessmentState.RETURNED)  # a unit leaves the ranking
    check(_publish(session, cycle))
    _set_state(session, returned, AssessmentState.RESUBMITTED)  # and comes back
    check(_publish(session, cycle))


def test_region_cells_kept_without_sums_are_summed_whole_once_then_moved(demo, summed_whole):
    session = demo
    cycle = _township_cycle(session)
    _publish(session, cycle)
    # As before migration 0023: the current region cells keep no sums.
    session.execute(
        update(RankingCell)
        .where(
            RankingCell.cycle_id == cycle.id,
            RankingCell.valid_to.is_(None),
            RankingCell.units.is_not(None),
        )
        .values({name: None for name in SUM_COLUMNS if name != "counted"})
        .execution_options(synchronize_session=False)
    )
    assessment = _ranked(session, cycle)[2]
    regions = _regions_above(session, cycle, assessment)
    summed_whole.clear()

    _halve_a_kept_score(session, assessment)
    first = _publish(session, cycle)
    assert set(summed_whole) == regions  # nothing to move: summed whole, sums kept
    assert _summed_whole(session, first, regions) == _region_cells_now(session, first)

    summed_whole.clear()
    _halve_a_kept_score(session, assessment)
    second = _publish(session, cycle)
    assert summed_whole == []  # moved from the sums the first kept
    assert _summed_whole(session, second, regions) == {
        cell for cell in _region_cells_now(session, second) if dict(cell)["node_id"] in regions
    }
