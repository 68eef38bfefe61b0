"""A closed township cycle of Nanhu whose register has something of every kind: two excellent
units (the quota commends one), a vetoed unit, a yellow-carded one, an unqualified one with an
overdue listed major hazard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from redline.db import unit_of_work
from scoring.assessments.cycles import close_cycle
from scoring.assessments.models import Assessment, AssessmentState, Cycle, VetoFlag
from scoring.ledgers.models import HazardSeverity, HazardSource, HazardState
from scoring.rankings.status import publish_rankings
from scoring.templates.models import RuleSeverity, VetoKind, VetoRule
from tenants.models import TenantNode
from tests.factories.assessments import open_sample_cycle
from tests.factories.ledgers import hazard_row
from tests.factories.rankings import set_assessment
from tests.factories.templates import VETO_RULES, published_template
from tests.factories.tenants import node

JIANSHE = "330402007"  # 95, excellent: commended
JIEFANG = "330402008"  # 91, excellent: beyond the quota of one
QIXING = "330402015"  # 92, excellent but yellow-carded: its leaders interviewed
XJD = "330402901"  # vetoed: criticised, interviewed, barred
FENGQIAO = "330402100"  # 55, unqualified, a listed major hazard overdue: criticised
CLOSED_AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Beijing, 2026-12-01
BARRED_UNTIL = date(2027, 11, 30)
RULES = (
    *VETO_RULES,
    ("Y1", "通报批评 Criticised by the province", VetoKind.MANUAL, RuleSeverity.YELLOW_CARD),
)
FIGURES = {
    JIANSHE: ("95", "excellent"),
    QIXING: ("92", "excellent"),
    JIEFANG: ("91", "excellent"),
    XJD: ("93", "unqualified"),
    FENGQIAO: ("55", "unqualified"),
}
POLICY = {
    "commendation_quota": 1,
    "criticise_on": ["veto", "unqualified", "overdue_major_hazards"],
    "interview_on": ["veto", "yellow_card"],
    "ineligible_months": 12,
}


@dataclass(frozen=True)
class RegisterWorld:
    cycle: Cycle
    owner_id: int


def _flag(session: Session, assessment: Assessment, template_id: int, rule: str, **said) -> None:
    rule_id = session.scalar(
        select(VetoRule.id).where(VetoRule.template_id == template_id, VetoRule.code == rule)
    )
    session.add(
        VetoFlag(
            customer_id=assessment.customer_id,
            node_id=assessment.node_id,
            assessment_id=assessment.id,
            rule_id=rule_id,
            **said,
        )
    )


def register_world(session: Session, sessions, *, close: bool = True) -> RegisterWorld:
    """The cycle over Nanhu's townships, every assessment final, ranked and (``close``) closed
    on CLOSED_AT."""
    with unit_of_work(session):
        template = published_template(session, node(session, "330000"), veto_rules=RULES)
        template.consequences = POLICY
        cycle = open_sample_cycle(session, template=template)
        for assessment in session.scalars(
            select(Assessment).where(Assessment.cycle_id == cycle.id)
        ).all():
            unit = session.get_one(TenantNode, assessment.node_id).code
            total, grade = FIGURES.get(unit, ("85", "good"))
            set_assessment(
                session, cycle, unit, AssessmentState.FINAL, total, total, grade, unit == XJD
            )
            if unit == XJD:
                _flag(session, assessment, template.id, "V1", reason="8月较大事故一起")
            if unit == QIXING:
                _flag(session, assessment, template.id, "Y1", reason="台账造假")
                session.execute(
                    update(Assessment)
                    .where(Assessment.id == assessment.id)
                    .values(yellow_cards=1)
                    .execution_options(synchronize_session=False)
                )
        hazard_row(
            session,
            FENGQIAO,
            title="仓储企业消防通道堵塞",
            source=HazardSource.SPOT_CHECK,
            severity=HazardSeverity.MAJOR,
            found_on=date(2026, 1, 1),
            deadline=date(2026, 2, 1),
            state=HazardState.RECTIFYING,
            listed=True,
            listed_at=datetime(2026, 1, 2, tzinfo=UTC),
        )
    publish_rankings(sessions, cycle.id, force=True)
    session.rollback()
    if close:
        with unit_of_work(session):
            close_cycle(session, None, session.get_one(Cycle, cycle.id), now=CLOSED_AT)
    session.rollback()
    return RegisterWorld(session.get_one(Cycle, cycle.id), cycle.owner_node_id)
