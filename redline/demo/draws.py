"""The demo's double-random spot-check draw (双随机, 一公开): Jiaxing's office draws one county,
one district and one county-level city of the 2026 county cycle, two inspectors each, from a
fixed seed, and publishes the draw, so every unit under Jiaxing reads it.

The inspectors are Jiaxing's and Nanhu's offices and two county clerks on a cross-check
(交叉检查): nobody is drawn to their own unit (Nanhu's office never checks Nanhu, Jiashan's
clerk never Jiashan). The county cycle's 2025 predecessor weighs any county graded unqualified
there twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.calendar import LOCAL_TZ
from redline.db import unit_of_work
from scoring.assessments.models import Cycle
from scoring.spotchecks.draws import Stratum, draw_spot_checks, publish_draw
from scoring.spotchecks.models import SpotCheckDraw
from tenants.access import load_actor
from tenants.models import TenantKind, TenantNode, User

DEMO_CYCLE = "2026年度县（市、区）安全生产工作考核"
DEMO_SEED = "嘉兴市2026年度第一批双随机抽查"
DEMO_DRAWN = datetime(2026, 9, 1, 9, 0, tzinfo=LOCAL_TZ)
DEMO_PUBLISHED = datetime(2026, 9, 1, 10, 0, tzinfo=LOCAL_TZ)
DEMO_INSPECTORS = ("jx-office", "nanhu-office", "330411-clerk", "330421-clerk")
DEMO_STRATA = (
    Stratum(TenantKind.DISTRICT, 1),
    Stratum(TenantKind.COUNTY, 1),
    Stratum(TenantKind.COUNTY_CITY, 1),
)


def load_demo_draws(session: Session) -> SpotCheckDraw:
    """Draw and publish the demo's spot checks (after the assessments and their users)."""
    with unit_of_work(session):
        cycle = session.scalars(select(Cycle).where(Cycle.name == DEMO_CYCLE)).one()
        office = load_actor(session, _user(session, "jx-office"))
        drawn = draw_spot_checks(
            session,
            office,
            cycle,
            inspectors=[_user(session, name) for name in DEMO_INSPECTORS],
            scope=session.scalars(select(TenantNode).where(TenantNode.code == "330400")).one(),
            seed=DEMO_SEED,
            strata=DEMO_STRATA,
            inspectors_per_target=2,
            now=DEMO_DRAWN,
        )
        publish_draw(session, office, drawn, now=DEMO_PUBLISHED)
    return drawn


def _user(session: Session, username: str) -> User:
    return session.scalars(select(User).where(User.username == username)).one()
