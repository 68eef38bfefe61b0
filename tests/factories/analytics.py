"""The leaders' analytics: three yearly township cycles of Jiaxing scored through the services
(entries saved and submitted as clerks do), a template with level-specific bands, published."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.db import unit_of_work
from scoring.assessments.entries import EntryInput, save_entries, submit
from scoring.assessments.models import Assessment, Cycle
from scoring.assessments.review import ReviewInput, review_entries
from scoring.engine.bands import BandRule, Thresholds
from scoring.rankings.status import publish_rankings
from scoring.templates.models import Template, TemplateItem
from tenants.models import TenantLevel, TenantNode
from tests.factories.assessments import full_entries
from tests.factories.rankings import ranking_cycle
from tests.factories.templates import published_template
from tests.factories.tenants import node

D = Decimal
YEARS = (2024, 2025, 2026)
# Bands: green from 90%, yellow from 60% (counties: 95% / 70%); indicator 2.1 sets its own,
# 80% / 50% (townships: 99% / 95%). An arrow takes 1 point of score, 2 places of rank.
TEMPLATE_BANDS = BandRule(Thresholds(D(90), D(60)), {"county": Thresholds(D(95), D(70))})
RATE_BANDS = BandRule(Thresholds(D(80), D(50)), {"township": Thresholds(D(99), D(95))})
NOT_APPLICABLE_UNIT = "330402007"  # 3.1 not applicable (no coal mines), accepted in review
B2_UNIT = "330402008"  # the only one claiming bonus B.2
ZERO_B1_UNIT = "330402009"  # claims B.1 with 0 points: a zero, not a missing figure
DRAFT_UNIT = "330402010"  # 2026: never submitted, so not ranked


@dataclass(frozen=True)
class AnalyticsWorld:
    template: Template
    cycles: dict[int, Cycle]  # by year
    units: list[TenantNode]  # Jiaxing's townships, by code


def entries_of(code: str, index: int, year: int) -> list[EntryInput]:
    """A unit's self-assessment in ``year``: 1.1 worth (index + year) % 10 points, rate 2.1 of
    70 + (index * 3 + year) % 31 percent, and the special cases above."""
    changes: dict[str, EntryInput] = {
        "e1_1": EntryInput("1.1", points=D((index + year) % 10)),
        "e2_1": EntryInput("2.1", value=D(70 + (index * 3 + year) % 31)),
    }
    if code == NOT_APPLICABLE_UNIT:
        changes["e3_1"] = EntryInput(
            "3.1", not_applicable=True, not_applicable_reason="辖区内无煤矿 no coal mines"
        )
    if code == B2_UNIT:
        changes["eB_2"] = EntryInput("B.2", points=D(1))
    if code == ZERO_B1_UNIT:
        changes["eB_1"] = EntryInput("B.1", points=D(0))
    return full_entries(**changes)


def analytics_world(session: Session, sessions) -> AnalyticsWorld:
    """Publish three yearly township cycles of Jiaxing (2024-2026) of one template family."""
    with unit_of_work(session):
        template = published_template(session, node(session, "330000"))
        template.bands = TEMPLATE_BANDS.document()
        template.trend_min_points = D(1)
        template.trend_min_ranks = 2
        rate = session.scalars(
            select(TemplateItem).where(
                TemplateItem.template_id == template.id, TemplateItem.code == "2.1"
            )
        ).one()
        rate.bands = RATE_BANDS.document()
        cycles = {
            year: ranking_cycle(session, template, "330400", TenantLevel.TOWNSHIP, year=year)
            for year in YEARS
        }
    units = list(
        session.scalars(
            select(TenantNode)
            .where(TenantNode.path.startswith("/330000/330400/"))
            .where(TenantNode.level == TenantLevel.TOWNSHIP)
            .order_by(TenantNode.code)
        )
    )
    for year, cycle in cycles.items():
        for index, unit in enumerate(units):
            assessment = session.scalars(
                select(Assessment).where(
                    Assessment.cycle_id == cycle.id, Assessment.node_id == unit.id
                )
            ).one()
            with unit_of_work(session):
                save_entries(
                    session,
                    None,
                    assessment,
                    entries_of(unit.code, index, year),
                    expected_version=assessment.version,
                )
            if year == 2026 and unit.code == DRAFT_UNIT:
                continue
            with unit_of_work(session):
                submit(session, None, assessment, expected_version=assessment.version)
            if unit.code == NOT_APPLICABLE_UNIT:  # the county accepts the claim
                with unit_of_work(session):
                    review_entries(
                        session,
                        None,
                        assessment,
                        [ReviewInput("3.1")],
                        expected_version=assessment.version,
                    )
        publish_rankings(sessions, cycle.id, force=True)
    return AnalyticsWorld(template, cycles, units)
