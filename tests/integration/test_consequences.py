"""The consequences register on both backends: decided by the template's policy on the cycle's
whole ranking (the commendation quota counts from its top, whichever scope is read), a vetoed
unit criticised, interviewed and its leaders barred until a day counted from the closing, a
yellow-carded unit interviewed and never commended; a preview while the cycle is open; read by
those who read the rankings; the policy kept through the template's Excel workbook. And a veto
found after the cycle closed: it reopens a final result where the template says so, within its
years, the rankings republished as a new version whose changes name who moved, why, and whose
commendation is withdrawn; republishing an unchanged cycle changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode
from scoring.assessments.audit import history
from scoring.assessments.cycles import close_cycle
from scoring.assessments.entries import EntryInput, save_entries, submit
from scoring.assessments.models import Assessment, Cycle
from scoring.assessments.review import (
    ReviewInput,
    complete_review,
    finalise,
    raise_retroactive_veto,
    raise_veto,
    review_entries,
)
from scoring.engine.consequences import Consequence, ConsequencePolicy, Trigger
from scoring.rankings.changes import ranking_changes, versions
from scoring.rankings.consequences import Register, consequence_register
from scoring.rankings.models import RankingSnapshot
from scoring.rankings.status import publish_rankings, status_of
from scoring.templates.excel import export_template, import_template
from scoring.templates.models import RuleSeverity, Template, VetoKind
from scoring.templates.storage import template_content
from tenants.models import TenantLevel
from tests.factories.assessments import assessment_of, full_entries, jiaxing_townships
from tests.factories.checks import problems_of
from tests.factories.templates import INDICATOR_CODES, VETO_RULES, published_template
from tests.factories.tenants import actor, node, scoped_session

XJD, QIXING, JIANSHE = "330402901", "330402015", "330402007"
WANGJIANGJING = "330411101"  # in 秀洲区, not 南湖区
UNITS = (XJD, QIXING, JIANSHE, WANGJIANGJING)
CLOSED = datetime(2027, 3, 31, 2, 0, tzinfo=UTC)  # 10:00 on 31 March in China
POLICY = ConsequencePolicy(
    commendation_quota=1,
    criticise_on=frozenset({Trigger.VETO, Trigger.UNQUALIFIED}),
    interview_on=frozenset({Trigger.VETO, Trigger.YELLOW_CARD}),
    ineligible_months=12,
    retroactive_years=3,
)
RULES = (*VETO_RULES, ("Y1", "通报批评 Criticised", VetoKind.MANUAL, RuleSeverity.YELLOW_CARD))


@pytest.fixture
def cycle(world: Session) -> Cycle:
    """Jiaxing's township cycle over four towns in two districts, the template's policy set."""
    template = published_template(world, node(world, "330000"), veto_rules=RULES)
    template.consequences = POLICY.document()
    return jiaxing_townships(world, template, UNITS)


def _final(session: Session, cycle: Cycle, code: str, **entries: EntryInput) -> Assessment:
    assessment = assessment_of(session, cycle, code)
    save_entries(session, None, assessment, full_entries(**entries), expected_version=1)
    submit(session, None, assessment, expected_version=assessment.version)
    office = actor(session, "jx-office")
    review_entries(
        session,
        office,
        assessment,
        [ReviewInput(c) for c in INDICATOR_CODES],
        expected_version=assessment.version,
    )
    if code == XJD:
        raise_veto(session, office, assessment, rule_code="Y1", reason="通报批评：台账造假")
    if code == JIANSHE:
        raise_veto(session, office, assessment, rule_code="V1", reason="较大事故：3人死亡")
    complete_review(session, office, assessment, expected_version=assessment.version)
    finalise(session, office, assessment, now=datetime(2027, 3, 1, tzinfo=UTC))
    session.commit()
    return assessment


@pytest.fixture
def ranked(world: Session, sessions, cycle: Cycle) -> Cycle:
    """Every town final and ranked: 王江泾 92 (the best), the others 91; 湘家荡 yellow-carded,
    建设 vetoed."""
    _final(world, cycle, WANGJIANGJING, eB_1=EntryInput("B.1", points=Decimal(3)))
    for code in (XJD, QIXING, JIANSHE):
        _final(world, cycle, code)
    publish_rankings(sessions, cycle.id, force=True)
    world.rollback()
    return cycle


def _by_unit(register: Register) -> dict[str, dict[Consequence, object]]:
    return {
        unit.row.unit_code: {d.consequence: d for d in unit.consequences} for unit in register.units
    }


def test_a_closed_cycle_s_register_applies_the_template_s_policy(world: Session, ranked: Cycle):
    close_cycle(world, actor(world, "jx-office"), ranked, now=CLOSED)
    world.commit()
    office = actor(world, "jx-office")
    register = consequence_register(world, office, ranked.id, node(world, "330400").id)
    assert register.final and register.decided_on == date(2027, 3, 31)
    assert register.policy == POLICY
    found = _by_unit(register)
    # The quota of one goes to the best: 七星 (91, excellent) is not commended.
    assert set(found) == {WANGJIANGJING, XJD, JIANSHE}
    assert list(found[WANGJIANGJING]) == [Consequence.COMMENDATION]
    grounds = found[WANGJIANGJING][Consequence.COMMENDATION].grounds
    assert [g.kind for g in grounds] == ["rank", "grade"]
    # A yellow card: interviewed (the policy says so), not criticised, never commended.
    assert list(found[XJD]) == [Consequence.INTERVIEW]
    [card] = found[XJD][Consequence.INTERVIEW].grounds
    assert card.kind == "yellow_card" and "通报批评：台账造假" in card.text
    # A veto: criticised, interviewed, and its leaders barred for a year from the closing.
    vetoed = found[JIANSHE]
    assert list(vetoed) == [
        Consequence.CRITICISM,
        Consequence.INTERVIEW,
        Consequence.INELIGIBILITY,
    ]
    assert vetoed[Consequence.INELIGIBILITY].until == date(2028, 3, 30)
    assert all(g.kind == "veto" for d in vetoed.values() for g in d.grounds)
    assert "较大事故：3人死亡" in vetoed[Consequence.CRITICISM].grounds[0].text


def test_a_district_reads_its_towns_of_the_city_s_register(world: Session, ranked: Cycle):
    close_cycle(world, None, ranked, now=CLOSED)
    world.commit()
    nanhu = node(world, "330402")
    register = consequence_register(world, actor(world, "nanhu-office"), ranked.id, nanhu.id)
    # 王江泾 is in 秀洲区; 七星 stays uncommended: the quota was spent on the city's best.
    assert set(_by_unit(register)) == {XJD, JIANSHE}


def test_an_open_cycle_s_register_is_a_preview_without_dates(world: Session, ranked: Cycle):
    register = consequence_register(
        world, actor(world, "jx-office"), ranked.id, node(world, "330400").id
    )
    assert not register.final and register.decided_on is None
    vetoed = _by_unit(register)[JIANSHE]
    assert vetoed[Consequence.INELIGIBILITY].until is None


def test_nothing_published_yet_is_an_empty_register(world: Session, cycle: Cycle):
    register = consequence_register(
        world, actor(world, "jx-office"), cycle.id, node(world, "330400").id
    )
    assert register.snapshot is None and register.units == [] and not register.final


def test_another_province_reads_no_register(world: Session, sessions, ranked: Cycle):
    sichuan = actor(world, "sc-office")
    jiaxing = node(world, "330400").id
    with scoped_session(sessions, sichuan) as theirs, pytest.raises(DomainError) as error:
        consequence_register(theirs, sichuan, ranked.id, jiaxing)
    assert problems_of(error) == [("cycle", ErrorCode.NOT_FOUND)]
    # Nor does a town read the city's register by a scope it does not hold.
    clerk = actor(world, "xjd-clerk")
    with scoped_session(sessions, clerk) as theirs, pytest.raises(DomainError) as error:
        consequence_register(theirs, clerk, ranked.id, node(world, "330411").id)
    assert problems_of(error)[0][0] == "scope"


def test_no_commendation_quota_commends_every_eligible_excellent_unit(
    world: Session, sessions, ranked: Cycle
):
    template = world.get_one(Template, ranked.template_id)
    template.consequences = {**POLICY.document(), "commendation_quota": None}
    world.commit()
    register = consequence_register(
        world, actor(world, "jx-office"), ranked.id, node(world, "330400").id
    )
    commended = {
        code for code, found in _by_unit(register).items() if Consequence.COMMENDATION in found
    }
    assert commended == {WANGJIANGJING, QIXING}


def test_the_policy_goes_through_the_template_workbook(world: Session, ranked: Cycle):
    template = world.get_one(Template, ranked.template_id)
    content = template_content(world, template)
    assert content.consequences == POLICY
    assert import_template(export_template(content)).consequences == POLICY


# --- a veto found after the cycle closed ------------------------------------------------------

LATE = datetime(2027, 7, 20, 2, 0, tzinfo=UTC)


def _late_veto(session: Session, cycle: Cycle, code: str, *, by: str = "jx-office", **given):
    asked = {"rule_code": "V2", "reason": "2027年7月查实：瞒报一起死亡1人事故", **given}
    assessment = assessment_of(session, cycle, code)
    return raise_retroactive_veto(session, actor(session, by), assessment, now=LATE, **asked)


def test_a_late_veto_reopens_a_final_result_and_republishes_the_rankings(
    world: Session, sessions, ranked: Cycle
):
    close_cycle(world, None, ranked, now=CLOSED)
    world.commit()
    jiaxing = node(world, "330400").id
    office = actor(world, "jx-office")
    flag = _late_veto(world, ranked, WANGJIANGJING, evidence="事故调查报告")
    world.commit()
    best = assessment_of(world, ranked, WANGJIANGJING)
    assert best.vetoed and best.grade == "unqualified" and flag.evidence == "事故调查报告"
    [event] = [e for e in history(world, best) if e.action == "late veto"]
    assert event.new == "V2" and "瞒报" in event.reason
    snapshot = publish_rankings(sessions, ranked.id, force=True)
    world.rollback()
    assert snapshot.version == 2 and not snapshot.provisional

    found = ranking_changes(world, office, ranked.id, jiaxing, TenantLevel.TOWNSHIP, 1)
    assert (found.before.version, found.after.version) == (1, 2)
    by_unit = {change.after.unit_code: change for change in found.changes}
    # The best town, vetoed, goes after the others, before 建设 (vetoed, 91); the two towns
    # tied at 91 move up one place; 建设 stays fourth of four: no change.
    moved = by_unit.pop(WANGJIANGJING)
    assert (moved.before.rank, moved.after.rank, moved.rank_change) == (1, 3, -2)
    assert moved.score_change == 0
    assert [v["rule"] for v in moved.vetoes_added] == ["V2"] and moved.vetoes_removed == ()
    assert moved.commendation_withdrawn and not moved.commendation_granted
    assert {code: c.rank_change for code, c in by_unit.items()} == {QIXING: 1, XJD: 1}
    # The quota of one passes to 七星 (91, excellent): granted by the later version.
    assert by_unit[QIXING].commendation_granted
    assert all(change.vetoes_added == () for change in by_unit.values())

    register = consequence_register(world, office, ranked.id, jiaxing)
    assert register.final
    found_now = _by_unit(register)
    assert list(found_now[QIXING]) == [Consequence.COMMENDATION]
    assert list(found_now[WANGJIANGJING]) == [
        Consequence.CRITICISM,
        Consequence.INTERVIEW,
        Consequence.INELIGIBILITY,
    ]
    # The earlier version stays readable, unchanged.
    again = ranking_changes(world, office, ranked.id, jiaxing, TenantLevel.TOWNSHIP, 1, 1)
    assert again.changes == []


def test_republishing_an_unchanged_cycle_changes_nothing(world: Session, sessions, ranked: Cycle):
    publish_rankings(sessions, ranked.id, force=True)
    world.rollback()
    office = actor(world, "jx-office")
    for scope in ("330400", "330402"):
        found = ranking_changes(
            world, office, ranked.id, node(world, scope).id, TenantLevel.TOWNSHIP, 1
        )
        assert found.after.version == 2 and found.changes == []
    assert [v.version for v in versions(world, office, ranked.id)] == [2, 1]


def test_a_late_veto_is_refused_where_the_template_or_time_says_no(
    world: Session, sessions, ranked: Cycle
):
    def refused(**given) -> list[tuple[str, ErrorCode]]:
        with pytest.raises(DomainError) as error:
            _late_veto(world, ranked, given.pop("code", QIXING), **given)
        world.rollback()
        return problems_of(error)

    # A yellow card does not reopen a result; a unit's own district does not run the cycle.
    assert refused(rule_code="Y1") == [("ruleCode", ErrorCode.INVALID)]
    assert refused(by="nanhu-office") == [("assessmentId", ErrorCode.PERMISSION_DENIED)]
    assert refused(reason=" ") == [("reason", ErrorCode.REQUIRED)]
    # 建设 is vetoed by V1 already; V1 again is a duplicate.
    assert refused(code=JIANSHE, rule_code="V1") == [("ruleCode", ErrorCode.DUPLICATE)]
    # Three years after the period (it ended 2026-12-31) the result stands.
    with pytest.raises(DomainError) as error:
        raise_retroactive_veto(
            world,
            actor(world, "jx-office"),
            assessment_of(world, ranked, QIXING),
            rule_code="V2",
            reason="too late",
            now=datetime(2030, 1, 1, tzinfo=UTC),
        )
    assert problems_of(error) == [("assessmentId", ErrorCode.INVALID_STATE)]
    assert "until 2029-12-31" in str(error.value)
    world.rollback()
    # A template that says nothing keeps final results final.
    template = world.get_one(Template, ranked.template_id)
    template.consequences = {**POLICY.document(), "retroactive_years": 0}
    world.commit()
    assert refused() == [("assessmentId", ErrorCode.INVALID_STATE)]


def test_a_result_not_final_yet_takes_an_ordinary_veto(world: Session, cycle: Cycle):
    assessment = assessment_of(world, cycle, QIXING)
    with pytest.raises(DomainError) as error:
        _late_veto(world, cycle, QIXING)
    assert problems_of(error) == [("assessmentId", ErrorCode.INVALID_STATE)]
    assert assessment.state.value == "draft"


def test_an_unknown_or_pruned_version_is_refused_by_its_field(world: Session, ranked: Cycle):
    office = actor(world, "jx-office")
    jiaxing = node(world, "330400").id
    with pytest.raises(DomainError) as error:
        ranking_changes(world, office, ranked.id, jiaxing, TenantLevel.TOWNSHIP, 9)
    assert problems_of(error) == [("fromVersion", ErrorCode.NOT_FOUND)]
    snapshot = world.scalars(
        select(RankingSnapshot).where(RankingSnapshot.cycle_id == ranked.id)
    ).one()
    snapshot.rows_pruned = True
    world.commit()
    with pytest.raises(DomainError) as error:
        ranking_changes(world, office, ranked.id, jiaxing, TenantLevel.TOWNSHIP, 1, 1)
    assert problems_of(error) == [("fromVersion", ErrorCode.INVALID)]


def test_a_republished_cycle_asks_for_its_next_cycle_s_rankings(
    world: Session, sessions, ranked: Cycle
):
    later = jiaxing_townships(world, world.get_one(Template, ranked.template_id), UNITS, 2027)
    publish_rankings(sessions, later.id, force=True)
    world.rollback()
    assert not status_of(world, later.id).pending
    # Its previous ranks are read from this cycle's current version: a new one asks again.
    publish_rankings(sessions, ranked.id, force=True)
    world.rollback()
    assert status_of(world, later.id).pending
