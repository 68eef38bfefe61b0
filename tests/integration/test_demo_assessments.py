"""The demo's templates, cycles and assessments: every state is there, scored and explained."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.demo import load_demo_data
from scoring.demo import COUNTY_STORIES, TOWNSHIP_STORIES, load_demo_assessments
from scoring.models import (
    Assessment,
    AssessmentState,
    AuditEvent,
    Cycle,
    Template,
    TemplateState,
    VetoFlag,
)
from scoring.scorecards import scorecards
from tenants.models import TenantNode


@pytest.fixture
def demo(session: Session) -> Session:
    load_demo_data(session)
    load_demo_assessments(session)
    return session


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


@pytest.mark.parametrize("stories_of", ["county", "township"])
def test_each_cycle_holds_its_stories(demo: Session, stories_of: str):
    stories = COUNTY_STORIES if stories_of == "county" else TOWNSHIP_STORIES
    cycle = demo.scalars(select(Cycle).order_by(Cycle.id)).all()[stories_of == "township"]
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
        if story.veto:
            assert assessment.vetoed and assessment.grade == "unqualified"
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


def test_the_vetoed_county_carries_reason_and_evidence(demo: Session):
    flag = demo.scalars(select(VetoFlag)).one()
    assert "较大生产安全责任事故" in flag.reason
    assert flag.evidence
