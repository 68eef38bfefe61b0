"""Ranking snapshots computed on real rows: ties, vetoed last, previous rank, region rankings,
aggregates, composite, pruning, provisional, the leaders' lists and who may read them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from redline.db import unit_of_work
from redline.errors import DomainError, ErrorCode
from scoring.assessments.cycles import open_cycle
from scoring.assessments.models import Assessment, AssessmentState, Cycle
from scoring.assessments.scorecards import refresh_scores
from scoring.rankings import lists
from scoring.rankings.access import overlaps
from scoring.rankings.compare import compare
from scoring.rankings.compute import prune_snapshots
from scoring.rankings.models import (
    RankingCell,
    RankingRow,
    RankingSnapshot,
    RegionAggregate,
    cells_of,
)
from scoring.rankings.reading import (
    REPUBLISHED,
    aggregate_of,
    encode_position,
    ranking_page,
)
from scoring.rankings.status import publish_rankings
from tenants.hierarchy import NodeInput, create_node
from tenants.models import Role, TenantKind, TenantLevel, TenantNode
from tests.factories.rankings import DUE, publish_sample_rankings, set_assessment
from tests.factories.templates import published_template
from tests.factories.tenants import actor, add_user, node, scoped_session

D = Decimal
S = AssessmentState
TOWNSHIP = TenantLevel.TOWNSHIP
COUNTY = TenantLevel.COUNTY


@pytest.fixture
def ranked(world: Session, sessions):
    return publish_sample_rankings(world, sessions)


def _rows(session, snapshot, scope: str, level) -> list[tuple]:
    found = session.execute(
        select(RankingRow, TenantNode.code)
        .join(TenantNode, TenantNode.id == RankingRow.node_id)
        .where(
            RankingRow.snapshot_id == snapshot.id,
            RankingRow.scope_node_id == node(session, scope).id,
            RankingRow.level == level,
        )
        .order_by(RankingRow.position)
    ).all()
    return [
        (code, row.rank, row.of, row.score, row.vetoed, row.previous_rank) for row, code in found
    ]


def test_ties_share_a_rank_listed_by_code_and_vetoed_units_come_last(ranked):
    session, _, snapshot = ranked
    rows = _rows(session, snapshot, "330402", TOWNSHIP)
    assert [(code, rank, of) for code, rank, of, *_ in rows] == [
        ("330402007", 1, 6),
        ("330402008", 2, 6),
        ("330402009", 2, 6),
        ("330402010", 4, 6),
        ("330402100", 5, 6),
        ("330402011", 6, 6),  # 95 points, but vetoed
    ]
    # The returned and the draft units are not ranked.
    assert "330402012" not in {r[0] for r in rows}
    vetoed = session.scalar(
        select(RankingRow)
        .where(
            RankingRow.snapshot_id == snapshot.id,
            RankingRow.node_id == node(session, "330402011").id,
            RankingRow.level == TOWNSHIP,
        )
        .limit(1)
    )
    assert vetoed.veto_reasons == [
        {
            "rule": "V1",
            "title": "较大事故 A larger accident in the period",
            "reason": "8月较大事故一起",
            "evidence": "事故台账第12号",
        }
    ]


def test_a_ranking_lists_the_reasons_kept_with_the_scores_without_scoring_again(ranked, sessions):
    session, cycle, _ = ranked
    vetoed = session.scalar(
        select(Assessment).where(
            Assessment.cycle_id == cycle.id, Assessment.node_id == node(session, "330402011").id
        )
    )
    # Scoring keeps the reasons with the cached scores (the sample set only the totals).
    with unit_of_work(session):
        refresh_scores(session, vetoed)
    assert vetoed.reasons == {
        "vetoes": [{"rule": "V1", "reason": "8月较大事故一起", "evidence": "事故台账第12号"}],
        "yellow_cards": [],
    }
    # What is kept is what the ranking lists (with the rule's title): nothing is scored again.
    kept = {"vetoes": [{"rule": "V1", "reason": "kept", "evidence": ""}], "yellow_cards": []}
    with unit_of_work(session):
        session.execute(update(Assessment).where(Assessment.id == vetoed.id).values(reasons=kept))
    snapshot = publish_rankings(sessions, cycle.id, force=True)
    row = session.scalar(
        select(RankingRow).where(
            RankingRow.snapshot_id == snapshot.id, RankingRow.assessment_id == vetoed.id
        )
    )
    assert row.veto_reasons == [
        {"rule": "V1", "title": "较大事故 A larger accident in the period", "reason": "kept",
         "evidence": ""}
    ]  # fmt: skip


def test_previous_rank_comes_from_the_previous_cycle_of_the_family(ranked):
    session, _, snapshot = ranked
    previous = {code: prev for code, *_, prev in _rows(session, snapshot, "330402", TOWNSHIP)}
    assert previous["330402008"] == 1
    assert previous["330402007"] == 2
    assert previous["330402010"] is None


def test_regions_between_are_ranked_on_their_composite_else_their_mean(ranked):
    session, _, snapshot = ranked
    rows = _rows(session, snapshot, "330400", COUNTY)
    # Nanhu: 0.6 x 90 (its own total in the county cycle) + 0.4 x 80.33 = 86.13;
    # Xiuzhou has no own total: ranked on its units' mean (80.5 + 71) / 2 = 75.75.
    assert [(code, rank, score) for code, rank, _, score, *_ in rows] == [
        ("330402", 1, D("86.13")),
        ("330411", 2, D("75.75")),
    ]
    township_rows = _rows(session, snapshot, "330400", TOWNSHIP)
    assert len(township_rows) == 8 and township_rows[-1][0] == "330402011"


def test_aggregates_count_and_summarise_the_ranked_units(ranked):
    session, _, snapshot = ranked
    nanhu = session.scalar(
        select(RegionAggregate).where(
            RegionAggregate.snapshot_id == snapshot.id,
            RegionAggregate.node_id == node(session, "330402").id,
        )
    )
    townships_in_nanhu = 14
    assert nanhu.assessed == townships_in_nanhu
    assert nanhu.ranked == 6
    assert nanhu.mean == D("80.33")  # 482 / 6
    assert nanhu.median == D("85.00")  # even count: (85 + 85) / 2
    assert (nanhu.minimum, nanhu.maximum) == (D("55.00"), D("95.00"))
    assert nanhu.grade_counts == {"excellent": 1, "good": 2, "qualified": 1, "unqualified": 2}
    assert nanhu.veto_count == 1
    assert nanhu.mean_gap == D("2.67")  # (3 + 0 + 3 + 5 + 0 + 5) / 6
    assert (nanhu.own_total, nanhu.composite) == (D("90.00"), D("86.13"))
    xiuzhou = session.scalar(
        select(RegionAggregate).where(
            RegionAggregate.snapshot_id == snapshot.id,
            RegionAggregate.node_id == node(session, "330411").id,
        )
    )
    assert xiuzhou.median == D("75.75") and xiuzhou.composite is None
    assert snapshot.provisional is True
    assert (snapshot.assessed_count, snapshot.ranked_count) >= (9, 8)


def test_overdue_listed_major_hazards_are_counted_per_unit(ranked):
    session, _, snapshot = ranked
    counts = dict(
        session.execute(
            select(RankingRow.node_id, RankingRow.overdue_major_hazards).where(
                RankingRow.snapshot_id == snapshot.id, RankingRow.level == TOWNSHIP
            )
        ).all()
    )
    assert counts[node(session, "330402100").id] == 1
    assert counts[node(session, "330402007").id] == 0


def test_republishing_numbers_versions_and_prunes_all_but_the_newest_three(ranked, sessions):
    session, cycle, first = ranked
    published = [publish_rankings(sessions, cycle.id, force=True) for _ in range(3)]
    assert [s.version for s in published] == [2, 3, 4]
    session.expire_all()
    headers = session.scalars(
        select(RankingSnapshot)
        .where(RankingSnapshot.cycle_id == cycle.id)
        .order_by(RankingSnapshot.version)
    ).all()
    assert [h.rows_pruned for h in headers] == [True, False, False, False]
    assert not session.scalars(select(RankingRow).where(RankingRow.snapshot_id == first.id)).all()
    assert not session.scalars(
        select(RegionAggregate).where(RegionAggregate.snapshot_id == first.id)
    ).all()
    assert session.scalars(select(RankingCell).where(cells_of(headers[3]))).all()
    assert prune_snapshots(session, cycle.id, keep=1) == [headers[1].id, headers[2].id]
    session.rollback()


def test_a_snapshot_published_once_everything_was_final_is_never_pruned(ranked, sessions):
    session, cycle, _ = ranked
    with unit_of_work(session):
        session.execute(
            update(Assessment)
            .where(Assessment.cycle_id == cycle.id)
            .values(state=AssessmentState.FINAL)
            .execution_options(synchronize_session=False)
        )
    final = publish_rankings(sessions, cycle.id, force=True)
    assert final is not None and final.provisional is False
    for _ in range(4):  # a late veto, a correction...: republished, provisional or not
        publish_rankings(sessions, cycle.id, force=True)
    with unit_of_work(session):
        prune_snapshots(session, cycle.id, keep=1)
    session.expire_all()
    kept = session.get(RankingSnapshot, final.id)
    assert kept is not None and kept.rows_pruned is False
    assert session.scalars(select(RankingRow).where(RankingRow.snapshot_id == final.id)).all()
    assert session.scalars(select(RankingCell).where(cells_of(final))).all()


def test_the_snapshot_is_final_once_every_assessment_is(ranked, sessions):
    session, cycle, _ = ranked
    with unit_of_work(session):
        session.execute(
            update(Assessment)
            .where(Assessment.cycle_id == cycle.id)
            .values(state=S.FINAL, reviewed_total=D(70), grade="qualified")
            .execution_options(synchronize_session=False)
        )
    assert publish_rankings(sessions, cycle.id, force=True).provisional is False


_OPEN: list[Session] = []


@pytest.fixture(autouse=True)
def _close_readers(engine):
    yield
    while _OPEN:
        _OPEN.pop().close()


def _reader(sessions, username):
    with sessions() as system:
        who = actor(system, username)
    db = scoped_session(sessions, who)
    _OPEN.append(db)
    return who, db


def test_the_lists_give_every_reason_once_per_unit(ranked, sessions):
    session, cycle, _ = ranked
    who, db = _reader(sessions, "jx-office")
    nanhu = node(session, "330402").id
    commend = lists.commendation_candidates(db, who, cycle.id, nanhu, TOWNSHIP, limit=5)
    assert [(li.row.rank, [r.text for r in li.reasons]) for li in commend.units] == [
        (1, ["rank 1 of 6 in 南湖区", "92.00 points, excellent"])
    ]
    criticise = lists.criticism_list(db, who, cycle.id, nanhu, TOWNSHIP)
    by_code = {
        session.get(TenantNode, li.row.node_id).code: [r.kind for r in li.reasons]
        for li in criticise.units
    }
    assert by_code == {
        "330402100": ["unqualified", "overdue_major_hazards"],
        "330402011": ["veto"],
    }
    texts = [r.text for li in criticise.units for r in li.reasons]
    assert "Vetoed: 较大事故 A larger accident in the period: 8月较大事故一起" in texts
    assert "55.00 points, below the qualified 60.00" in texts
    assert "1 listed major hazard overdue" in texts
    with pytest.raises(DomainError) as refused:
        lists.criticism_list(db, who, cycle.id, nanhu, COUNTY)
    assert refused.value.problems[0].field == "level"


def test_a_sibling_township_reads_its_countys_ranking_with_names(ranked, sessions):
    session, cycle, snapshot = ranked
    who, db = _reader(sessions, "qixing-clerk")
    page = ranking_page(db, who, cycle.id, node(session, "330402").id, TOWNSHIP, first=2)
    assert [r.rank for r in page.rows] == [1, 2] and page.total == 6 and page.has_next
    # The rows carry the units' names as published: a sibling reads them without reading the
    # sibling's tenant row.
    assert (page.rows[0].unit_code, page.rows[0].unit_name_zh) == ("330402007", "建设街道")
    rest = ranking_page(
        db,
        who,
        cycle.id,
        node(session, "330402").id,
        TOWNSHIP,
        first=10,
        after=encode_position(snapshot.id, page.rows[-1].position),
    )
    assert [r.position for r in rest.rows] == [3, 4, 5, 6] and not rest.has_next
    # The city's county ranking is theirs to read too (an ancestor of their unit).
    city = ranking_page(db, who, cycle.id, node(session, "330400").id, COUNTY, first=10)
    assert city.total == 2


def test_a_unit_of_another_county_is_refused(ranked, sessions):
    session, cycle, _ = ranked
    with unit_of_work(session):
        add_user(session, "330411101", "wjj-clerk", Role.SUBMITTER, display_name="王江泾镇 clerk")
    who, db = _reader(sessions, "wjj-clerk")
    nanhu = node(session, "330402")
    assert not overlaps(who, nanhu)
    with pytest.raises(DomainError) as refused:
        ranking_page(db, who, cycle.id, nanhu.id, TOWNSHIP, first=10)
    assert refused.value.problems[0].field == "scope"
    assert refused.value.problems[0].code in (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED)
    # Their own county's ranking they read.
    own = ranking_page(db, who, cycle.id, node(session, "330411").id, TOWNSHIP, first=10)
    assert own.total == 2
    with pytest.raises(DomainError):
        aggregate_of(db, who, cycle.id, nanhu.id)


def test_a_cursor_of_a_pruned_snapshot_says_start_again(ranked, sessions):
    session, cycle, first = ranked
    for _ in range(3):
        publish_rankings(sessions, cycle.id, force=True)
    who, db = _reader(sessions, "jx-office")
    with pytest.raises(DomainError) as refused:
        ranking_page(
            db,
            who,
            cycle.id,
            node(session, "330402").id,
            TOWNSHIP,
            first=2,
            after=encode_position(first.id, 2),
        )
    assert refused.value.problems[0].message == REPUBLISHED


def test_compare_puts_units_side_by_side_within_bounds(ranked, sessions):
    session, cycle, _ = ranked
    who, db = _reader(sessions, "nanhu-office")
    units = [node(session, "330402007").id, node(session, "330402100").id]
    result = compare(db, who, [cycle.id], units)
    first = result.of(units[0])[0]
    assert (first.state, first.rank, first.of) == ("reviewed", 1, 8)
    assert [c.code for c in first.categories][:3] == ["1", "2", "3"]
    with pytest.raises(DomainError) as refused:
        compare(db, who, [cycle.id], [node(session, "330411101").id])
    assert refused.value.problems[0].field == "units[0]"
    with pytest.raises(DomainError) as too_many:
        compare(db, who, [cycle.id] * 7, units)
    assert too_many.value.problems[0].code == ErrorCode.TOO_LARGE


@pytest.mark.parametrize("weight", [D(0), D(1), D("1.5"), D("0.12345")])
def test_a_composite_weight_is_strictly_between_0_and_1_with_four_places(weight):
    from dataclasses import replace

    from scoring.templates.validation import content_problems
    from tests.factories.templates import sample_content

    problems = content_problems(replace(sample_content(), composite_weight=weight))
    assert [p.field for p in problems] == ["content.compositeWeight"]
    assert not content_problems(replace(sample_content(), composite_weight=D("0.6")))


def test_a_township_clerk_does_not_read_a_county_cycles_ranking(ranked, sessions):
    session, cycle, _ = ranked
    counties = session.scalars(
        select(Cycle).where(Cycle.level == TenantLevel.COUNTY).order_by(Cycle.id)
    ).first()
    publish_rankings(sessions, counties.id, force=True)
    who, db = _reader(sessions, "qixing-clerk")
    jiaxing = node(session, "330400")
    # The township rankings it is ranked in, within its county and its city: yes.
    assert ranking_page(db, who, cycle.id, jiaxing.id, TOWNSHIP, first=5).total > 0
    # The counties' ranking within the city, where no township is ranked: no.
    with pytest.raises(DomainError) as refused:
        ranking_page(db, who, counties.id, jiaxing.id, TenantLevel.COUNTY, first=5)
    assert refused.value.problems[0].code is ErrorCode.PERMISSION_DENIED
    # The county's own office reads it: Nanhu is ranked there.
    office, office_db = _reader(sessions, "nanhu-office")
    ranking_page(office_db, office, counties.id, jiaxing.id, TenantLevel.COUNTY, first=5)


def test_a_total_is_banded_by_its_percent_and_a_vetoed_one_is_red(ranked):
    session, _, snapshot = ranked
    rows = {
        row.unit_code: row
        for row in session.scalars(
            select(RankingRow).where(
                RankingRow.snapshot_id == snapshot.id,
                RankingRow.scope_node_id == node(session, "330402").id,
                RankingRow.level == TOWNSHIP,
            )
        )
    }
    # The sample template's grades: excellent from 90, qualified from 60 (of 100).
    assert (rows["330402007"].percent, rows["330402007"].band) == (D("92.00"), "green")
    assert (rows["330402010"].percent, rows["330402010"].band) == (D("70.00"), "yellow")
    assert (rows["330402100"].percent, rows["330402100"].band) == (D("55.00"), "red")
    assert rows["330402011"].vetoed and rows["330402011"].band == "red"  # 95 points, vetoed
    nanhu = session.scalar(
        select(RegionAggregate).where(
            RegionAggregate.snapshot_id == snapshot.id,
            RegionAggregate.node_id == node(session, "330402").id,
        )
    )
    assert nanhu is not None
    assert sum(nanhu.band_counts.values()) == nanhu.ranked
    assert nanhu.band_counts["red"] == 2


def _enterprise_cycle(world: Session, owner: str, units, who: str | None = None) -> Cycle:
    """The county-level ``units`` (code, region, name, kind) created under their regions, and a
    county-level cycle of ``owner`` over the enterprises among them (two of them graded)."""
    for code, region, name, kind in units:
        create_node(world, None, NodeInput(code, name, "", COUNTY, kind), node(world, region))
    return open_cycle(
        world,
        actor(world, who) if who else None,
        template=published_template(world, node(world, "330000")),
        owner_node=node(world, owner),
        name="2026年度企业安全生产考评",
        level=COUNTY,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        self_due=DUE,
        review_due=DUE,
        kinds=(TenantKind.ENTERPRISE,),
    )


ENTERPRISE = TenantKind.ENTERPRISE


def test_a_city_ranks_the_enterprises_attached_to_its_counties(world: Session, sessions):
    """A cycle over one kind of unit: the enterprises the counties supervise (at county level)
    below a city, ranked among themselves within the city."""
    with unit_of_work(world):
        units = [
            ("330402-QY-1", "330402", "嘉兴甲化工有限公司", ENTERPRISE),
            ("330411-QY-1", "330411", "嘉兴乙物流有限公司", ENTERPRISE),
        ]
        cycle = _enterprise_cycle(world, "330400", units)
        set_assessment(world, cycle, "330402-QY-1", S.FINAL, "81", "85", "good")
        set_assessment(world, cycle, "330411-QY-1", S.FINAL, "93", "93", "excellent")
    snapshot = publish_rankings(sessions, cycle.id, force=True)
    assert snapshot is not None
    world.rollback()
    assert [r[:4] for r in _rows(world, snapshot, "330400", COUNTY)] == [
        ("330411-QY-1", 1, 2, D("93.00")),
        ("330402-QY-1", 2, 2, D("81.00")),
    ]
    # A county is no scope at its own level in a city's cycle: the city ranks them.
    assert _rows(world, snapshot, "330402", COUNTY) == []


def test_a_county_assesses_and_ranks_its_own_enterprises(world: Session, sessions):
    """A cycle at the owner's own level: the county's enterprises (not its departments, not
    another county's enterprises) ranked within the county, read by the county's office and by
    the enterprises ranked, not by the city's other counties."""
    with unit_of_work(world):
        add_user(world, "330402", "nanhu-admin", Role.ADMIN)
        add_user(world, "330411", "xiuzhou-admin", Role.ADMIN)
        units = [
            ("330402-QY-1", "330402", "嘉兴甲化工有限公司", ENTERPRISE),
            ("330402-QY-2", "330402", "嘉兴丙物流有限公司", ENTERPRISE),
            ("330402-AJJ", "330402", "南湖区应急管理局", TenantKind.DEPARTMENT),
            ("330411-QY-1", "330411", "嘉兴乙物流有限公司", ENTERPRISE),
        ]
        cycle = _enterprise_cycle(world, "330402", units, who="nanhu-admin")
        add_user(world, "330402-QY-2", "qy2-clerk", Role.SUBMITTER)
        set_assessment(world, cycle, "330402-QY-1", S.FINAL, "81", "85", "good")
        set_assessment(world, cycle, "330402-QY-2", S.FINAL, "93", "93", "excellent")
    snapshot = publish_rankings(sessions, cycle.id, force=True)
    assert snapshot is not None
    world.rollback()
    assert [r[:4] for r in _rows(world, snapshot, "330402", COUNTY)] == [
        ("330402-QY-2", 1, 2, D("93.00")),
        ("330402-QY-1", 2, 2, D("81.00")),
    ]
    nanhu = node(world, "330402").id
    for reader in ("nanhu-admin", "qy2-clerk"):
        who, db = _reader(sessions, reader)
        page = ranking_page(db, who, cycle.id, nanhu, COUNTY, first=10)
        assert [r.unit_code for r in page.rows] == ["330402-QY-2", "330402-QY-1"]
        with pytest.raises(DomainError) as refused:  # no level below the enterprises' is ranked
            ranking_page(db, who, cycle.id, nanhu, TOWNSHIP, first=10)
        assert refused.value.problems[0].field == "level"
    who, db = _reader(sessions, "xiuzhou-admin")
    with pytest.raises(DomainError) as refused:
        ranking_page(db, who, cycle.id, nanhu, COUNTY, first=10)
    assert refused.value.problems[0].field == "scope"
