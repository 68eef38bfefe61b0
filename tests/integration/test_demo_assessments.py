"""The demo's templates, cycles and assessments: every state is there, scored and explained,
with the ledger-fed indicators and vetoes of the 2026 template read from the demo's ledgers."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.demo.assessments import stories
from scoring.assessments.groups import cycle_groups
from scoring.assessments.models import (
    Assessment,
    AssessmentState,
    AuditEvent,
    Cycle,
    Entry,
    VetoFlag,
)
from scoring.assessments.scorecards import scorecards
from scoring.templates.models import (
    RuleSeverity,
    Template,
    TemplateItem,
    TemplateState,
    ValueSource,
    VetoKind,
    VetoRule,
)
from tenants.models import TenantLevel, TenantNode

# The counties the ledgers veto in 2026: a larger accident, a concealed one, a listed major
# hazard left overdue.
# Haining (330481): a yellow card in 2025 and again in 2026 (V5: two running make a veto).
VETOED_COUNTIES = {"330483": "V1", "330424": "V2", "330421": "V3", "330481": "V5"}
LEDGER_FED = {"1.2", "2.1", "2.2", "4.1", "5.1"}
# The 2026 cycles' stories (redline/demo/data/assessments.csv), by unit code.
COUNTY_STORIES, TOWNSHIP_STORIES = stories("county-2026"), stories("township-2026")


@pytest.fixture
def demo(read_only_demo: Session) -> Session:
    return read_only_demo


def _assessments(session: Session, cycle: Cycle) -> dict[str, Assessment]:
    rows = session.execute(
        select(TenantNode.code, Assessment)
        .join(Assessment, Assessment.node_id == TenantNode.id)
        .where(Assessment.cycle_id == cycle.id)
    )
    return {code: assessment for code, assessment in rows}


def test_the_template_family_has_every_state_and_a_city_extension(demo: Session):
    templates = demo.scalars(select(Template).order_by(Template.id)).all()
    assert Counter(t.state for t in templates) == {
        TemplateState.PUBLISHED: 2,
        TemplateState.ARCHIVED: 1,
        TemplateState.DRAFT: 1,
    }
    local = next(t for t in templates if t.extends_id is not None)
    assert local.state is TemplateState.PUBLISHED
    assert {t.year for t in templates} == {2025, 2026, 2027}


def test_the_2026_template_takes_figures_and_vetoes_from_the_ledgers(demo: Session):
    by_year = {t.year: t for t in demo.scalars(select(Template)) if t.extends_id is None}
    for year, fed in ((2025, set()), (2026, LEDGER_FED), (2027, LEDGER_FED)):
        items = demo.scalars(
            select(TemplateItem).where(TemplateItem.template_id == by_year[year].id)
        ).all()
        assert {i.code for i in items if i.source != ValueSource.SELF.value} == fed, year
        rules = demo.scalars(select(VetoRule).where(VetoRule.template_id == by_year[year].id)).all()
        kinds = {r.code: (r.kind, r.severity, r.threshold) for r in rules}
        veto, yellow = RuleSeverity.VETO, RuleSeverity.YELLOW_CARD
        if year == 2025:
            assert {kind for kind, *_ in kinds.values()} == {VetoKind.MANUAL}
            assert kinds["Y1"] == (VetoKind.MANUAL, yellow, None)
        else:
            assert kinds == {
                "V1": (VetoKind.LARGER_ACCIDENT, veto, None),
                "V2": (VetoKind.CONCEALED_ACCIDENT, veto, None),
                "V3": (VetoKind.OVERDUE_MAJOR_HAZARD, veto, None),
                "V4": (VetoKind.MANUAL, veto, None),
                "Y1": (VetoKind.MANUAL, yellow, None),
                "Y2": (VetoKind.ACCIDENT_DEATHS, yellow, 2),
                "Y3": (VetoKind.PREVIOUS_CRITICISM, yellow, None),
                "V5": (VetoKind.REPEATED_YELLOW_CARD, veto, None),
            }


@pytest.mark.parametrize("stories_of", ["county", "township"])
def test_each_cycle_holds_its_stories(demo: Session, stories_of: str):
    stories = COUNTY_STORIES if stories_of == "county" else TOWNSHIP_STORIES
    cycle = demo.scalars(
        select(Cycle).where(Cycle.period_start == date(2026, 1, 1)).order_by(Cycle.id)
    ).all()[stories_of == "township"]
    assessments = _assessments(demo, cycle)
    assert {assessments[code].state for code in stories} == set(AssessmentState)
    for code, story in stories.items():
        assessment = assessments[code]
        assert assessment.state is story.state, code
        cards = scorecards(demo, assessment)
        lines = cards.reviewed_card.explain()
        explained = sum(line.points for line in lines)
        # Inputs are quoted as entered, not at the database column's scale.
        assert not [line.input for line in lines if ".0000" in line.input]
        assert explained == cards.reviewed_card.total == assessment.reviewed_total
        assert assessment.vetoed is (code in VETOED_COUNTIES and stories_of == "county"), code
        if assessment.vetoed:
            assert assessment.grade == "unqualified"
        if story.adjust or story.spot_check:
            assert assessment.reviewed_total < assessment.self_total
        history = demo.scalars(
            select(AuditEvent).where(AuditEvent.assessment_id == assessment.id)
        ).all()
        assert history, code
        # The story is told in order: every step after the one before, all before today.
        moments = [event.at for event in sorted(history, key=lambda e: e.id)]
        assert moments == sorted(moments), code
        assert moments[-1] < datetime(2026, 11, 24, tzinfo=UTC), code
    assert sum(a.late for a in assessments.values()) == (1 if stories_of == "county" else 0)


def test_the_grades_spread(demo: Session):
    county_cycle = demo.scalars(
        select(Cycle).where(Cycle.period_start == date(2026, 1, 1)).order_by(Cycle.id)
    ).first()
    assessments = _assessments(demo, county_cycle)
    grades = Counter(assessments[code].grade for code in COUNTY_STORIES)
    assert set(grades) >= {"excellent", "good", "qualified", "unqualified"}, grades


def test_the_units_enter_nothing_the_ledgers_give(demo: Session):
    rows = demo.execute(
        select(TemplateItem.code, Assessment.state, Entry)
        .join(Entry, Entry.item_id == TemplateItem.id)
        .join(Assessment, Assessment.id == Entry.assessment_id)
        .where(TemplateItem.source != ValueSource.SELF.value)
    ).all()
    # Only submitting writes a ledger-fed entry: the figure, with where it came from.
    assert {code for code, _, _ in rows} == LEDGER_FED
    assert AssessmentState.DRAFT not in {state for _, state, _ in rows}
    for code, _, entry in rows:
        assert entry.ledger_basis is not None and entry.ledger_basis["basis"], code


def test_the_vetoed_final_county_carries_the_accident(demo: Session):
    kept = demo.scalars(select(VetoFlag).where(VetoFlag.fact.like("accident:%"))).all()
    # The larger accident vetoes Tongxiang; its 3 deaths are a yellow card (Y2) too.
    flag, yellow = sorted(kept, key=lambda f: f.id)
    assert yellow.fact == flag.fact and "3 dead" in yellow.reason
    unit = demo.get_one(TenantNode, flag.node_id)
    assert unit.code == "330483"
    assert flag.fact is not None and flag.fact.startswith("accident:")
    assert "较大" in flag.reason and "桐乡市某在建厂房钢结构坍塌较大事故" in flag.reason
    assert flag.evidence.startswith("accident ledger")


def test_the_township_cycle_ranks_streets_and_towns_apart(demo: Session):
    cycle = demo.scalars(select(Cycle).where(Cycle.level == TenantLevel.TOWNSHIP)).one()
    groups = cycle_groups(demo, cycle.id)
    assert [(g.code, g.name, g.grade_excellent, g.commendation_quota) for g in groups] == [
        ("streets", "城区街道", None, None),
        ("towns", "乡镇（区域）", 85, 2),
    ]
    assessments = _assessments(demo, cycle)
    # 凤桥镇's 85.29 is excellent among the towns (85), good by the template's 90.
    fengqiao = assessments["330402100"]
    assert (fengqiao.reviewed_total, fengqiao.grade) == (Decimal("85.29"), "excellent")
    assert {a.group_id for a in assessments.values()} == {g.id for g in groups}
