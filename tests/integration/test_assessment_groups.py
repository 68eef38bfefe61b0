"""Assessment groups (分类考核) on both backends: the office running a cycle splits its units into
groups; each group is ranked on its own (competition ranks from 1, listed one group after the
other), graded by its own thresholds where it sets them, and commended up to its own quota; the
leaders' lists and the register follow; every change is in the units' audit trails; the groups
are fixed once a result is final, and a bad split is refused field by field."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode
from scoring.assessments.audit import history
from scoring.assessments.entries import EntryInput, save_entries, submit
from scoring.assessments.groups import GroupInput, cycle_groups, set_groups
from scoring.assessments.models import Assessment, Cycle
from scoring.assessments.review import finalise
from scoring.engine.consequences import Consequence, ConsequencePolicy, Trigger
from scoring.rankings.consequences import consequence_register
from scoring.rankings.lists import commendation_candidates, criticism_list
from scoring.rankings.models import RankingRow
from scoring.rankings.reading import ranking_page
from scoring.rankings.status import publish_rankings
from tenants.models import TenantLevel
from tests.factories.assessments import assessment_of, full_entries, jiaxing_townships, review_all
from tests.factories.templates import published_template
from tests.factories.tenants import actor, node

D = Decimal
XJD, QIXING, JIANSHE = "330402901", "330402015", "330402007"
WANGJIANGJING, XINCHENG = "330411101", "330411104"
STREETS = (JIANSHE, QIXING)  # 街道
TOWNS = (XJD, WANGJIANGJING, XINCHENG)  # 乡镇
UNITS = (*STREETS, *TOWNS)


@pytest.fixture
def cycle(world: Session) -> Cycle:
    """Jiaxing's township cycle over five units; the template commends at most one."""
    template = published_template(world, node(world, "330000"))
    template.consequences = ConsequencePolicy(
        commendation_quota=1, criticise_on=frozenset({Trigger.UNQUALIFIED})
    ).document()
    return jiaxing_townships(world, template, UNITS)


def group(code: str, name: str, units: tuple[str, ...], world: Session, **more) -> GroupInput:
    return GroupInput(code, name, tuple(node(world, u).id for u in units), **more)


def two_groups(world: Session, **towns) -> list[GroupInput]:
    """Streets with the template's thresholds; towns graded excellent from 85 (a lighter load:
    fewer enterprises), each commending one unless told otherwise."""
    thresholds = {"grade_excellent": D(85), "grade_good": D(75), "grade_qualified": D(55)}
    return [
        group("streets", "街道", STREETS, world),
        group("towns", "乡镇", TOWNS, world, **(thresholds | towns)),
    ]


def reviewed(session: Session, cycle: Cycle, code: str, manual: str, *, final=False):
    """The sample card with 1.1 (manual, 10 points) at ``manual``: 80 + manual + a bonus of 2."""
    assessment = assessment_of(session, cycle, code)
    entries = full_entries(e1_1=EntryInput("1.1", points=D(manual)))
    save_entries(session, None, assessment, entries, expected_version=assessment.version)
    submit(session, None, assessment, expected_version=assessment.version)
    office = actor(session, "jx-office")
    review_all(session, office, assessment)
    if final:
        finalise(session, office, assessment, now=datetime(2027, 3, 1, tzinfo=UTC))
    session.commit()
    return assessment


@pytest.fixture
def ranked(world: Session, sessions, cycle: Cycle) -> Cycle:
    """In groups, every unit reviewed: 建设 91, 七星 88; 湘家荡 89, 王江泾 87, 新塍 82."""
    set_groups(world, actor(world, "jx-office"), cycle, two_groups(world))
    world.commit()
    for code, manual in ((JIANSHE, "9"), (QIXING, "6"), (XJD, "7"), (WANGJIANGJING, "5")):
        reviewed(world, cycle, code, manual)
    reviewed(world, cycle, XINCHENG, "0")
    publish_rankings(sessions, cycle.id, force=True)
    world.rollback()
    return cycle


def rows(session: Session, cycle: Cycle, scope: str = "330400") -> list[RankingRow]:
    page = ranking_page(
        session, actor(session, "jx-office"), cycle.id, node(session, scope).id,
        TenantLevel.TOWNSHIP, first=50,
    )  # fmt: skip
    return page.rows


def test_each_group_is_ranked_on_its_own_one_after_the_other(world: Session, ranked: Cycle):
    listed = [
        (r.group_code, r.unit_code, r.rank, r.of, r.position, r.score) for r in rows(world, ranked)
    ]
    assert listed == [
        ("streets", JIANSHE, 1, 2, 1, D(91)),
        ("streets", QIXING, 2, 2, 2, D(88)),
        ("towns", XJD, 1, 3, 3, D(89)),
        ("towns", WANGJIANGJING, 2, 3, 4, D(87)),
        ("towns", XINCHENG, 3, 3, 5, D(82)),
    ]
    assert {r.group_name for r in rows(world, ranked)} == {"街道", "乡镇"}
    # One group's ranking alone, and a district's part of each group.
    only = ranking_page(
        world, actor(world, "jx-office"), ranked.id, node(world, "330400").id,
        TenantLevel.TOWNSHIP, first=50, group="towns",
    )  # fmt: skip
    assert [r.unit_code for r in only.rows] == [XJD, WANGJIANGJING, XINCHENG]
    nanhu = [(r.group_code, r.unit_code, r.rank, r.of) for r in rows(world, ranked, "330402")]
    assert nanhu == [
        ("streets", JIANSHE, 1, 2),
        ("streets", QIXING, 2, 2),
        ("towns", XJD, 1, 1),
    ]


def test_a_group_grades_by_its_own_thresholds(world: Session, ranked: Cycle):
    grades = {r.unit_code: r.grade for r in rows(world, ranked)}
    # 88 is good among the streets (excellent from 90) and 87 excellent among the towns (85).
    assert grades == {
        JIANSHE: "excellent",
        QIXING: "good",
        XJD: "excellent",
        WANGJIANGJING: "excellent",
        XINCHENG: "good",
    }
    assert assessment_of(world, ranked, WANGJIANGJING).grade == "excellent"


def test_the_quota_and_the_lists_count_within_each_group(world: Session, ranked: Cycle):
    office = actor(world, "jx-office")
    jiaxing = node(world, "330400").id
    register = consequence_register(world, office, ranked.id, jiaxing)
    commended = [
        u.row.unit_code
        for u in register.units
        if any(d.consequence is Consequence.COMMENDATION for d in u.consequences)
    ]
    # The template commends one: the best of each group.
    assert commended == [JIANSHE, XJD]
    candidates = commendation_candidates(world, office, ranked.id, jiaxing, TenantLevel.TOWNSHIP)
    assert [u.row.unit_code for u in candidates.units] == [JIANSHE, XJD, WANGJIANGJING]
    candidates = commendation_candidates(
        world, office, ranked.id, jiaxing, TenantLevel.TOWNSHIP, limit=1
    )
    assert [u.row.unit_code for u in candidates.units] == [JIANSHE, XJD]
    # Nobody is below the qualified mark of their group.
    assert criticism_list(world, office, ranked.id, jiaxing, TenantLevel.TOWNSHIP).units == []
    # One group's lists and register: decided on the whole ranking, then read for the group.
    towns = commendation_candidates(
        world, office, ranked.id, jiaxing, TenantLevel.TOWNSHIP, group="towns"
    )
    assert [u.row.unit_code for u in towns.units] == [XJD, WANGJIANGJING]
    streets = consequence_register(world, office, ranked.id, jiaxing, group="streets")
    assert [u.row.unit_code for u in streets.units] == [JIANSHE]
    assert consequence_register(world, office, ranked.id, jiaxing, group="none").units == []


def test_a_group_s_own_quota_and_qualified_mark(world: Session, sessions, cycle: Cycle):
    office = actor(world, "jx-office")
    set_groups(
        world,
        office,
        cycle,
        two_groups(world, commendation_quota=2, grade_good=D("84.5"), grade_qualified=D(84)),
    )
    world.commit()
    for code, manual in ((JIANSHE, "9"), (XJD, "7"), (WANGJIANGJING, "5"), (XINCHENG, "0")):
        reviewed(world, cycle, code, manual)
    publish_rankings(sessions, cycle.id, force=True)
    world.rollback()
    jiaxing = node(world, "330400").id
    register = consequence_register(world, office, cycle.id, jiaxing)
    decided = {u.row.unit_code: {d.consequence for d in u.consequences} for u in register.units}
    assert decided == {
        JIANSHE: {Consequence.COMMENDATION},
        XJD: {Consequence.COMMENDATION},
        WANGJIANGJING: {Consequence.COMMENDATION},
        XINCHENG: {Consequence.CRITICISM},  # 82 is below the towns' 84
    }
    listed = criticism_list(world, office, cycle.id, jiaxing, TenantLevel.TOWNSHIP).units
    assert [(u.row.unit_code, [r.text for r in u.reasons]) for u in listed] == [
        (XINCHENG, ["82.00 points, below the qualified 84.00"])
    ]


def test_groups_set_again_regrade_and_leave_a_trail(world: Session, cycle: Cycle):
    office = actor(world, "jx-office")
    set_groups(world, office, cycle, two_groups(world))
    world.commit()
    wangjiangjing = reviewed(world, cycle, WANGJIANGJING, "5")
    assert wangjiangjing.grade == "excellent"
    version = wangjiangjing.version

    # One ranking again: 87 is good by the template's thresholds.
    set_groups(world, office, cycle, [])
    world.commit()
    world.refresh(wangjiangjing)
    assert (wangjiangjing.grade, wangjiangjing.group_id) == ("good", None)
    assert wangjiangjing.version == version  # nobody's edit is refused for it
    assert cycle_groups(world, cycle.id) == []
    trail = [(e.action, e.old, e.new) for e in history(world, wangjiangjing)]
    assert ("group", None, "towns") in trail and ("group", "towns", None) in trail


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda g: [g[0]], "groups", f"{XJD}, {WANGJIANGJING}, {XINCHENG} are in none"),
        (
            lambda g: [g[0], g[1], GroupInput("more", "又一组", g[0].unit_ids[:1])],
            "groups[2].unitIds",
            f"{JIANSHE} is already in group 'streets'",
        ),
        (
            lambda g: [g[0], GroupInput("streets", "乡镇", g[1].unit_ids)],
            "groups[1].code",
            "used twice",
        ),
        (
            lambda g: [g[0], GroupInput("towns", "乡镇", g[1].unit_ids, grade_qualified=D(60))],
            "groups[1].gradeExcellent",
            "every grade the template has",
        ),
        (
            lambda g: [
                g[0],
                GroupInput(
                    "towns",
                    "乡镇",
                    g[1].unit_ids,
                    grade_excellent=D(80),
                    grade_good=D(85),
                    grade_qualified=D(60),
                ),
            ],
            "groups[1].gradeExcellent",
            "must be above gradeGood (85)",
        ),
        (
            lambda g: [g[0], GroupInput("towns", "", g[1].unit_ids, commendation_quota=-1)],
            "groups[1].name",
            "give the group a name",
        ),
        (
            lambda g: [g[0], GroupInput("towns", "乡镇", (*g[1].unit_ids, 999_999))],
            "groups[1].unitIds",
            "not assessed in this cycle",
        ),
    ],
)
def test_a_bad_split_is_refused_field_by_field(
    world: Session, cycle: Cycle, change, field, message
):
    with pytest.raises(DomainError) as refused:
        set_groups(world, actor(world, "jx-office"), cycle, change(two_groups(world)))
    assert any(p.field == field and message in p.message for p in refused.value.problems), (
        refused.value.problems
    )
    world.rollback()
    assert cycle_groups(world, cycle.id) == []


def test_the_groups_are_fixed_once_a_result_is_final(world: Session, cycle: Cycle):
    office = actor(world, "jx-office")
    set_groups(world, office, cycle, two_groups(world))
    world.commit()
    reviewed(world, cycle, XJD, "7", final=True)
    with pytest.raises(DomainError) as refused:
        set_groups(world, office, cycle, [])
    assert refused.value.problems[0].code is ErrorCode.INVALID_STATE
    assert "fixed once a result is" in refused.value.problems[0].message


def test_only_the_office_running_the_cycle_sets_its_groups(world: Session, cycle: Cycle):
    with pytest.raises(DomainError) as refused:
        set_groups(world, actor(world, "nanhu-office"), cycle, two_groups(world))
    assert refused.value.problems[0].field == "cycleId"
    world.rollback()
    assert (
        world.scalars(select(Assessment.group_id).where(Assessment.cycle_id == cycle.id)).all()
        == [None] * 5
    )
