"""Yellow cards (黄牌警告) on both backends: raised by an assessor or fired by ledger facts and
the previous cycle, explained on the scorecard without a point off, kept at finalisation, shown
in rankings and lists (never a commendation candidate, never a rank moved), and a yellow card in
two consecutive cycles turned into a veto where the template says so."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode
from scoring.assessments.audit import history
from scoring.assessments.entries import save_entries, submit
from scoring.assessments.models import Assessment, AssessmentState, Cycle, VetoFlag
from scoring.assessments.review import (
    finalise,
    raise_veto,
    withdraw_veto,
)
from scoring.assessments.scorecards import rescore_above, scorecards
from scoring.engine import Grade
from scoring.rankings import lists
from scoring.rankings.models import RankingRow
from scoring.rankings.status import publish_rankings
from scoring.templates.models import RuleSeverity, Template, VetoKind
from tenants.models import TenantLevel
from tests.factories.assessments import (
    assessment_of,
    full_entries,
    open_sample_cycle,
    review_all,
)
from tests.factories.checks import problems_of
from tests.factories.ledgers import accident_row, task_row
from tests.factories.templates import VETO_RULES, published_template
from tests.factories.tenants import actor, node

D = Decimal
XJD = "330402901"
QIXING = "330402015"
NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
YELLOW = RuleSeverity.YELLOW_CARD
RULES = (
    *VETO_RULES,
    ("Y1", "通报批评 Criticised by the province", VetoKind.MANUAL, YELLOW),
    ("Y2", "死亡2人以上一般事故 A general accident with 2 or more deaths", VetoKind.ACCIDENT_DEATHS,
     YELLOW, 2),
    ("Y3", "逾期任务3项以上 3 or more overdue task elements", VetoKind.OVERDUE_TASKS, YELLOW, 3),
    ("Y4", "上一周期考核不合格 Unqualified in the previous cycle", VetoKind.PREVIOUS_CRITICISM,
     YELLOW),
    ("V3", "连续两年黄牌 A yellow card two cycles running", VetoKind.REPEATED_YELLOW_CARD),
)  # fmt: skip


def _template(session: Session) -> Template:
    return published_template(session, node(session, "330000"), veto_rules=RULES)


@pytest.fixture
def cycle(world: Session) -> Cycle:
    cycle = open_sample_cycle(world, template=_template(world))
    world.commit()
    return cycle


def _submitted(session: Session, cycle: Cycle, code: str = XJD) -> Assessment:
    assessment = assessment_of(session, cycle, code)
    clerk = actor(session, "xjd-clerk") if code == XJD else None
    save_entries(session, clerk, assessment, full_entries(), expected_version=1)
    submit(session, clerk, assessment, expected_version=assessment.version)
    session.commit()
    return assessment


def _reviewed(session: Session, assessment: Assessment) -> None:
    review_all(session, actor(session, "nanhu-office"), assessment)
    session.commit()


def test_a_yellow_card_warns_without_a_point_off_and_can_be_withdrawn(world: Session, cycle: Cycle):
    xjd = _submitted(world, cycle)
    office = actor(world, "nanhu-office")
    before = (xjd.reviewed_total, xjd.grade, xjd.vetoed)
    flag = raise_veto(
        world,
        office,
        xjd,
        rule_code="Y1",
        reason="通报批评：8月检查发现台账造假",
        evidence="省安委办通报第3号",
    )
    world.commit()
    assert (xjd.reviewed_total, xjd.grade, xjd.vetoed, xjd.yellow_cards) == (*before, 1)
    card = scorecards(world, xjd).reviewed_card
    [yellow] = card.yellow_cards
    assert (yellow.rule, yellow.evidence) == ("Y1", "省安委办通报第3号")
    [line] = [line for line in card.lines if line.rule == "yellow card"]
    assert line.points == 0 and "not a commendation candidate" in line.text
    assert sum(line.points for line in card.explain()) == card.total
    assert not scorecards(world, xjd).self_card.yellow_cards

    with pytest.raises(DomainError) as error:
        raise_veto(world, office, xjd, rule_code="Y1", reason="again")
    assert problems_of(error) == [("ruleCode", ErrorCode.DUPLICATE)]
    assert "yellow card Y1 is already raised" in error.value.problems[0].message
    world.rollback()
    with pytest.raises(DomainError) as error:
        raise_veto(world, office, xjd, rule_code="Y2", reason="by hand")
    assert problems_of(error) == [("ruleCode", ErrorCode.INVALID)]
    world.rollback()

    withdraw_veto(world, office, flag, reason="the report named the neighbouring town")
    world.commit()
    assert xjd.yellow_cards == 0 and not scorecards(world, xjd).reviewed_card.yellow_cards
    actions = [(e.action, e.old, e.new) for e in history(world, xjd) if e.field == "rule"]
    assert actions == [("yellow_card", None, "Y1"), ("yellow_card", "Y1", None)]


def test_deaths_and_overdue_tasks_fire_yellow_cards_at_their_thresholds(
    world: Session, cycle: Cycle
):
    xjd = assessment_of(world, cycle, XJD)
    other = assessment_of(world, cycle, QIXING)
    accident_row(world, XJD, date(2026, 5, 3), 2)
    accident_row(world, QIXING, date(2026, 5, 3), 1)  # below the threshold
    for day in (3, 4, 5):
        task_row(
            world,
            QIXING,
            date(2026, 3, day),
            plan_owner="330400",
            plan_title="Jiaxing 2026 plan",
            element_code=f"T{day}",
            title=f"task due March {day}",
        )
    rescore_above(world, node(world, XJD))
    rescore_above(world, node(world, QIXING))
    world.commit()

    [deaths] = scorecards(world, xjd).ledger_vetoes
    assert (deaths.rule_code, deaths.severity, deaths.kind) == (
        "Y2",
        YELLOW,
        VetoKind.ACCIDENT_DEATHS,
    )
    assert "2 or more deaths" in deaths.reason and deaths.fact.startswith("accident:")
    assert (xjd.yellow_cards, xjd.vetoed) == (1, False)
    [tasks] = scorecards(world, other).ledger_vetoes
    assert tasks.rule_code == "Y3" and tasks.fact == "tasks:overdue"
    assert tasks.reason.startswith("3 task elements overdue") and "T3, T4, T5" in tasks.evidence
    assert (other.yellow_cards, other.vetoed) == (1, False)


def _year_before(session: Session, template: Template, *, grade: str, yellow_cards: int) -> None:
    """A final 2025 result of Xiangjiadang in the cycle before the 2026 one (same family)."""
    before = open_sample_cycle(session, template=template, name="2025 township assessment")
    before.period_start, before.period_end = date(2025, 1, 1), date(2025, 12, 31)
    xjd = assessment_of(session, before, XJD)
    session.execute(
        update(Assessment)
        .where(Assessment.id == xjd.id)
        .values(
            state=AssessmentState.FINAL,
            reviewed_total=D(55),
            grade=grade,
            vetoed=False,
            yellow_cards=yellow_cards,
        )
    )


def test_criticised_last_cycle_is_a_yellow_card_and_two_running_a_veto(world: Session):
    template = _template(world)
    _year_before(world, template, grade=Grade.UNQUALIFIED.value, yellow_cards=1)
    cycle = open_sample_cycle(world, template=template)
    world.commit()
    xjd = _submitted(world, cycle)

    fired = scorecards(world, xjd).ledger_vetoes
    assert [(v.rule_code, v.severity) for v in fired] == [
        ("Y4", YELLOW),
        ("V3", RuleSeverity.VETO),
    ]
    assert fired[0].ref is None and "2025 township assessment" in fired[0].reason
    assert "连续两个周期黄牌警告" in fired[1].reason
    assert (xjd.yellow_cards, xjd.vetoed, xjd.grade) == (1, True, "unqualified")

    # Kept at finalisation like every rule that fires by itself.
    _reviewed(world, xjd)
    finalise(world, actor(world, "nanhu-office"), xjd, now=NOW)
    world.commit()
    flags = world.scalars(select(VetoFlag).where(VetoFlag.assessment_id == xjd.id)).all()
    assert sorted(f.fact for f in flags) == [f"assessment:{a}" for a in [_previous_id(world)] * 2]
    assert (xjd.yellow_cards, xjd.vetoed) == (1, True)
    assert scorecards(world, xjd).ledger_vetoes == ()


def _previous_id(session: Session) -> int:
    return session.scalar(
        select(Assessment.id)
        .join(Cycle, Cycle.id == Assessment.cycle_id)
        .where(
            Cycle.name == "2025 township assessment", Assessment.node_id == node(session, XJD).id
        )
    )


def test_a_yellow_card_last_cycle_alone_or_this_cycle_alone_is_no_veto(world: Session):
    template = _template(world)
    _year_before(world, template, grade=Grade.GOOD.value, yellow_cards=1)
    cycle = open_sample_cycle(world, template=template)
    world.commit()
    xjd = _submitted(world, cycle)
    assert scorecards(world, xjd).ledger_vetoes == () and not xjd.vetoed

    raise_veto(world, actor(world, "nanhu-office"), xjd, rule_code="Y1", reason="通报批评")
    world.commit()
    [repeated] = scorecards(world, xjd).ledger_vetoes
    assert repeated.rule_code == "V3" and xjd.vetoed and xjd.yellow_cards == 1


def test_rankings_flag_yellow_cards_keep_the_rank_and_leave_them_off_the_candidates(
    world: Session, sessions, cycle: Cycle
):
    xjd = _submitted(world, cycle)
    qixing = _submitted(world, cycle, QIXING)
    publish_rankings(sessions, cycle.id, force=True)
    world.rollback()
    office = actor(world, "nanhu-office")
    owner = node(world, "330402")
    args = (world, office, cycle.id, owner.id, TenantLevel.TOWNSHIP)
    first = lists.commendation_candidates(*args)
    assert {row.row.node_id for row in first.units} == {xjd.node_id, qixing.node_id}
    ranks = {r.node_id: r.rank for r in world.scalars(_rows(first.snapshot.id))}

    raise_veto(world, office, xjd, rule_code="Y1", reason="通报批评", evidence="通报第3号")
    world.commit()
    snapshot = publish_rankings(sessions, cycle.id, force=True)
    world.rollback()
    rows = {r.node_id: r for r in world.scalars(_rows(snapshot.id))}
    assert {n: r.rank for n, r in rows.items()} == ranks
    assert rows[xjd.node_id].yellow_cards == [
        {"rule": "Y1", "title": RULES[2][1], "reason": "通报批评", "evidence": "通报第3号"}
    ]
    assert rows[qixing.node_id].yellow_cards == [] and not rows[xjd.node_id].vetoed

    candidates = lists.commendation_candidates(*args)
    assert [row.row.node_id for row in candidates.units] == [qixing.node_id]
    criticised = {u.row.node_id: u.reasons for u in lists.criticism_list(*args).units}
    [reason] = criticised[xjd.node_id]
    assert reason.kind == "yellow_card" and reason.text.startswith("Yellow card: 通报批评")


def _rows(snapshot_id: int):
    return select(RankingRow).where(
        RankingRow.snapshot_id == snapshot_id, RankingRow.level == TenantLevel.TOWNSHIP
    )


def test_finalising_last_cycle_moves_this_cycle_at_once(world: Session):
    template = _template(world)
    before = open_sample_cycle(world, template=template, name="2025 township assessment")
    before.period_start, before.period_end = date(2025, 1, 1), date(2025, 12, 31)
    cycle = open_sample_cycle(world, template=template)
    world.commit()
    office = actor(world, "nanhu-office")
    old = _submitted(world, before)
    _reviewed(world, old)
    raise_veto(world, office, old, rule_code="Y1", reason="2025年通报批评")
    new = _submitted(world, cycle)
    raise_veto(world, office, new, rule_code="Y1", reason="2026年通报批评")
    world.commit()
    assert not new.vetoed  # last cycle's result is not final yet: nothing to repeat

    finalise(world, office, old, now=NOW)
    world.commit()
    assert (old.state, old.yellow_cards) == (AssessmentState.FINAL, 1)
    assert new.vetoed and new.grade == "unqualified"
    assert [v.rule_code for v in scorecards(world, new).ledger_vetoes] == ["V3"]
