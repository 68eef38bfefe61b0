"""Benchmark: publishing a province-sized cycle's rankings against one SQL RANK() query.

Builds the national tree of ``subtree.py`` in a scratch PostgreSQL database with the real
schema, opens a township cycle over one province (1,287 townships under 99 counties and 11
cities) with every assessment's cached scores set (mixed states, about 3% vetoed, a few hundred
overdue listed major hazards), then times ``compute_snapshot`` (read, rank every scope and
level, aggregates, veto reasons of the vetoed units, overdue counts, bulk insert; rolled back
after each run) against the baseline measured in the same run: one SQL ``RANK() OVER
(PARTITION BY county ORDER BY vetoed, total DESC)`` over the same cached totals.

    .venv/bin/python bench/ranking_publish.py [--repeat 5] [--pg URL]
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import psycopg
from scratch import scratch_database
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker
from subtree import build_tree  # bench/subtree.py: run as a script, bench/ is on the path
from timing import timed

from redline.db import make_engine, make_session_factory
from redline.migrations import upgrade
from scoring.assessments.models import Assessment, AssessmentState, Cycle, VetoFlag
from scoring.engine import Method
from scoring.rankings.compute import compute_snapshot
from scoring.rankings.models import RankingRow, RegionAggregate
from scoring.templates.models import (
    ItemKind,
    Template,
    TemplateFamily,
    TemplateItem,
    TemplateState,
    VetoRule,
)
from tenants.models import TenantLevel, TenantNode

NOW = datetime(2026, 12, 1, 4, tzinfo=UTC)
BASELINE = """
SELECT a.id, n.parent_id,
       RANK() OVER (PARTITION BY n.parent_id ORDER BY a.vetoed, a.reviewed_total DESC)
FROM assessment a JOIN tenant_node n ON n.id = a.node_id
WHERE a.cycle_id = :cycle AND a.state IN ('submitted', 'resubmitted', 'reviewed', 'final')
"""
STATES = [AssessmentState.FINAL] * 6 + [
    AssessmentState.REVIEWED,
    AssessmentState.SUBMITTED,
    AssessmentState.RETURNED,
    AssessmentState.DRAFT,
]


def setup(session, seed: int = 11) -> Cycle:
    """A published one-indicator template, a township cycle over province 1, scored rows."""
    rng = random.Random(seed)
    province = session.scalars(
        select(TenantNode).where(TenantNode.customer_id == 1, TenantNode.depth == 0)
    ).one()
    family = TemplateFamily(customer_id=1, owner_node_id=province.id, code="T", name="T")
    session.add(family)
    session.flush()
    template = Template(
        customer_id=1,
        family_id=family.id,
        version=1,
        state=TemplateState.PUBLISHED,
        title="bench",
        year=2026,
        total_points=Decimal(100),
        bonus_cap=Decimal(0),
        grade_excellent=Decimal(90),
        grade_good=Decimal(80),
        grade_qualified=Decimal(60),
        owner_node_id=province.id,
    )
    session.add(template)
    session.flush()
    category = TemplateItem(
        customer_id=1, template_id=template.id, position=1, kind=ItemKind.CATEGORY,
        code="1", title="c", max_points=Decimal(100),
    )  # fmt: skip
    session.add(category)
    session.flush()
    session.add(
        TemplateItem(
            customer_id=1, template_id=template.id, parent_id=category.id, position=2,
            kind=ItemKind.INDICATOR, code="1.1", title="i", max_points=Decimal(100),
            method=Method.MANUAL,
        )
    )  # fmt: skip
    rule = VetoRule(customer_id=1, template_id=template.id, position=1, code="V1", title="v")
    session.add(rule)
    cycle = Cycle(
        customer_id=1, template_id=template.id, owner_node_id=province.id, name="bench",
        level=TenantLevel.TOWNSHIP, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
        self_due=NOW, review_due=NOW,
    )  # fmt: skip
    session.add(cycle)
    session.flush()
    townships = session.scalars(
        select(TenantNode.id).where(
            TenantNode.customer_id == 1, TenantNode.level == TenantLevel.TOWNSHIP
        )
    ).all()
    for node_id in townships:
        total = Decimal(rng.randrange(5000, 10000)) / 100
        vetoed = rng.random() < 0.03
        assessment = Assessment(
            customer_id=1, node_id=node_id, cycle_id=cycle.id, state=rng.choice(STATES),
            self_total=total + Decimal(rng.randrange(0, 500)) / 100, reviewed_total=total,
            grade="unqualified" if vetoed else ("excellent" if total >= 90 else "good"),
            vetoed=vetoed,
        )  # fmt: skip
        session.add(assessment)
        if vetoed:
            session.flush()
            session.add(
                VetoFlag(customer_id=1, node_id=node_id, assessment_id=assessment.id,
                         rule_id=rule.id, reason="较大事故", evidence="台账")
            )  # fmt: skip
    session.flush()
    for node_id in rng.sample(list(townships), 300):
        session.execute(
            text(
                "INSERT INTO hazard (customer_id, node_id, title, description, place, sector,"
                " source, severity, found_on, deadline, state, listed, version, created_at,"
                " updated_at) VALUES (1, :n, 'h', '', '', 'fire', 'self_inspection', 'major',"
                " :f, :d, 'open', true, 1, now(), now())"
            ),
            {"n": node_id, "f": date(2026, 3, 1), "d": date(2026, 3, 1) + timedelta(days=30)},
        )
    session.commit()
    session.execute(text("ANALYZE"))
    return cycle


def province_database(url: str) -> tuple[Engine, sessionmaker[Session], int]:
    """The empty database at ``url`` migrated, the national tree in it and the province's
    township cycle set up (``setup``): its engine, sessions and the cycle's id."""
    engine = make_engine(url)
    upgrade(engine)
    with psycopg.connect(url) as conn:
        build_tree(conn)
    sessions = make_session_factory(engine)
    with sessions() as session:
        cycle_id = setup(session).id
    return engine, sessions, cycle_id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with scratch_database(args.pg) as url:
        engine, sessions, cycle_id = province_database(url)
        with sessions() as session:
            baseline = timed(
                args.repeat, lambda: session.execute(text(BASELINE), {"cycle": cycle_id}).all()
            )
            counts = {}

            def publish() -> None:
                session.expunge_all()  # every run loads what it needs, as the job does
                cycle = session.get_one(Cycle, cycle_id)
                snapshot = compute_snapshot(session, cycle, based_on=NOW, now=NOW)
                counts["rows"] = session.scalar(
                    select(text("count(*)"))
                    .select_from(RankingRow)
                    .where(RankingRow.snapshot_id == snapshot.id)
                )
                counts["aggregates"] = session.scalar(
                    select(text("count(*)"))
                    .select_from(RegionAggregate)
                    .where(RegionAggregate.snapshot_id == snapshot.id)
                )
                counts["ranked"] = snapshot.ranked_count
                session.rollback()

            seconds = timed(args.repeat, publish)
        engine.dispose()

    print(f"1,287 townships, 99 counties, 11 cities; median of {args.repeat} runs")
    print(f"  baseline, one SQL RANK() OVER (PARTITION BY county): {baseline * 1000:.1f} ms (1x)")
    print(
        f"  compute_snapshot ({counts['ranked']} ranked; {counts['rows']} rows and "
        f"{counts['aggregates']} aggregates written): {seconds * 1000:.1f} ms "
        f"({seconds / baseline:.1f}x)"
    )


if __name__ == "__main__":
    main()
