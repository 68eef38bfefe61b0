"""Rankings: the sample rankings of Jiaxing on real rows, and what the rankings jobs published."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from redline.db import unit_of_work
from scoring.assessments.cycles import open_cycle
from scoring.assessments.models import Assessment, AssessmentState, Cycle, VetoFlag
from scoring.ledgers.models import HazardSeverity, HazardSource, HazardState
from scoring.rankings.models import RankingRow, RankingSnapshot, RankingStatus
from scoring.rankings.status import publish_rankings
from scoring.templates.models import VetoRule
from tenants.models import TenantLevel
from tests.factories.assessments import assessment_of
from tests.factories.ledgers import hazard_row
from tests.factories.templates import published_template
from tests.factories.tenants import node

D = Decimal
S = AssessmentState
TOWNSHIP = TenantLevel.TOWNSHIP
COUNTY = TenantLevel.COUNTY
DUE = datetime(2027, 1, 31, 16, 0, tzinfo=UTC)

# code: (state, reviewed total, self total, grade); 330402011 is vetoed, 330402012 returned.
UNITS = {
    "330402007": (S.REVIEWED, "92", "95", "excellent"),
    "330402008": (S.SUBMITTED, "85", "85", "good"),
    "330402009": (S.RESUBMITTED, "85", "88", "good"),
    "330402010": (S.FINAL, "70", "75", "qualified"),
    "330402011": (S.REVIEWED, "95", "95", "unqualified"),
    "330402012": (S.RETURNED, "99", "99", "excellent"),
    "330402100": (S.FINAL, "55", "60", "unqualified"),
    "330411101": (S.FINAL, "80.5", "80.5", "good"),
    "330411104": (S.REVIEWED, "71", "70", "qualified"),
}


def ranking_cycle(
    session: Session, template, owner: str, level: TenantLevel, year: int = 2026
) -> Cycle:
    """A cycle of ``template`` over the ``level`` units below ``owner``, opened by the system."""
    return open_cycle(
        session,
        None,
        template=template,
        owner_node=node(session, owner),
        name=f"{year} {level.value} assessment under {owner}",
        level=level,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        self_due=DUE,
        review_due=DUE,
    )


def set_assessment(
    session: Session, cycle: Cycle, code: str, state, total, self_total, grade, vetoed=False
) -> Assessment:
    """The unit's assessment in ``cycle`` set to these figures behind the services' back."""
    assessment = assessment_of(session, cycle, code)
    session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id)
        .values(
            state=state,
            reviewed_total=D(total),
            self_total=D(self_total),
            grade=grade,
            vetoed=vetoed,
        )
        .execution_options(synchronize_session=False)
    )
    return assessment


def publish_sample_rankings(session: Session, sessions) -> tuple[Session, Cycle, RankingSnapshot]:
    """A 2025 and a 2026 township cycle of Jiaxing (one family), a 2026 county cycle of the
    province whose template weighs a county's own total 0.6, and the 2026 rankings published
    (on the demo places and users)."""
    with unit_of_work(session):
        province = node(session, "330000")
        template = published_template(session, province)
        county_template = published_template(session, province, code="zj-county-self")
        county_template.composite_weight = D("0.6")
        before = ranking_cycle(session, template, "330400", TOWNSHIP, year=2025)
        set_assessment(session, before, "330402008", S.FINAL, "99", "99", "excellent")
        set_assessment(session, before, "330402007", S.FINAL, "90", "90", "excellent")
    publish_rankings(sessions, before.id, force=True)
    with unit_of_work(session):
        cycle = ranking_cycle(session, template, "330400", TOWNSHIP)
        counties = ranking_cycle(session, county_template, "330000", COUNTY)
        set_assessment(session, counties, "330402", S.REVIEWED, "90", "91", "excellent")
        for code, (state, total, self_total, grade) in UNITS.items():
            vetoed = code == "330402011"
            a = set_assessment(session, cycle, code, state, total, self_total, grade, vetoed)
            if vetoed:
                rule = session.scalar(
                    select(VetoRule).where(
                        VetoRule.template_id == template.id, VetoRule.code == "V1"
                    )
                )
                session.add(
                    VetoFlag(
                        customer_id=a.customer_id,
                        node_id=a.node_id,
                        assessment_id=a.id,
                        rule_id=rule.id,
                        reason="8月较大事故一起",
                        evidence="事故台账第12号",
                    )
                )
        hazard_row(
            session,
            "330402100",
            title="仓储企业消防通道堵塞",
            source=HazardSource.SPOT_CHECK,
            severity=HazardSeverity.MAJOR,
            found_on=date(2025, 1, 1),
            deadline=date(2025, 2, 1),
            state=HazardState.RECTIFYING,
            listed=True,
            listed_at=datetime(2025, 1, 2, tzinfo=UTC),
        )
    snapshot = publish_rankings(sessions, cycle.id, force=True)
    assert snapshot is not None
    return session, cycle, snapshot


def snapshots(session: Session, cycle: Cycle) -> int:
    """How many snapshots of the cycle's rankings were published."""
    session.rollback()
    return session.scalar(
        select(func.count())
        .select_from(RankingSnapshot)
        .where(RankingSnapshot.cycle_id == cycle.id)
    )


def current_ranking(session: Session, cycle: Cycle) -> list[tuple[int, int, Decimal | None]]:
    """The current snapshot's ranking of the cycle's units among their siblings:
    (node id, rank, score) in the listed order."""
    session.rollback()
    status = session.scalar(select(RankingStatus).where(RankingStatus.cycle_id == cycle.id))
    assert status is not None and status.snapshot_id is not None
    return [
        (row.node_id, row.rank, row.score)
        for row in session.scalars(
            select(RankingRow)
            .where(
                RankingRow.snapshot_id == status.snapshot_id,
                RankingRow.scope_node_id == cycle.owner_node_id,
                RankingRow.level == cycle.level,
            )
            .order_by(RankingRow.position)
        )
    ]
