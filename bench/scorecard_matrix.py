"""Benchmark: the leaders' scorecard matrix (1,485 townships x 40 indicators) against the ranking
page of the same size, measured side by side in one run.

Builds the national tree of ``subtree.py`` in a scratch PostgreSQL database with the real schema
(migrations), gives province 1 two more townships per county (1,485 townships under 99 counties
and 11 cities; a third of them named 街道, the rest 镇), and opens a township cycle over it with a
template of 8 categories x 5 indicators (40 indicators; one indicator and the township level
with bands of their own). Every assessment gets its cached totals and its item scores, inserted
directly (table ``item_score``: one row per indicator and category, about 5% missing and 3% not
applicable). Then it times:

- publishing: ``compute_snapshot`` (rows, aggregates and the matrix cells, copied from the item
  scores with INSERT ... SELECT; rolled back after each run), and once for real to read from;
- reading a page of 500 rows, each run in a fresh scoped session as a request has: the baseline
  ``ranking_page``; ``matrix_page`` with indicator columns (40) sorted by rank, sorted by a
  column, with a search; with category columns (8); the same two pages through the GraphQL
  layer (``schema.execute_sync`` with the view's context, no HTTP);
- the Excel export of every row (1,485 x 40) through ``matrix_pages`` and ``matrix_workbook``.

The target (the issue): a 1,500-unit x 40-column matrix page within 3x of the ranking page.

    .venv/bin/python bench/scorecard_matrix.py [--repeat 7] [--pg URL] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import psycopg
from scratch import scratch_database
from sqlalchemy import event, func, insert, select, text
from sqlalchemy.orm import Session
from strawberry.relay import GlobalID
from subtree import build_tree  # bench/subtree.py: run as a script, bench/ is on the path
from timing import timed

from graphql_schema.core.context import Context
from graphql_schema.schema import schema
from redline.db import make_engine, make_session_factory
from redline.migrations import upgrade
from scoring.assessments.models import (
    Assessment,
    AssessmentState,
    Cycle,
    ItemScore,
    ScoreState,
    VetoFlag,
)
from scoring.engine import Method
from scoring.engine.bands import BandRule, Thresholds
from scoring.rankings.compute import compute_snapshot
from scoring.rankings.matrix import ColumnKind, MatrixQuery, MatrixSort, matrix_page
from scoring.rankings.models import RankingCell, RankingRow, cells_of
from scoring.rankings.reading import ranking_page
from scoring.rankings.status import publish_rankings
from scoring.rankings.workbook import matrix_pages, matrix_workbook
from scoring.templates.models import (
    ItemKind,
    Template,
    TemplateFamily,
    TemplateItem,
    TemplateState,
    VetoRule,
)
from tenants.access import Actor, Grant
from tenants.auth import Authenticated
from tenants.models import Role, TenantLevel, TenantNode
from tenants.scope import scoped

D = Decimal
NOW = datetime(2026, 12, 1, 4, tzinfo=UTC)
CATEGORIES = 8
INDICATORS = 5  # per category: 40 in all
INDICATOR_MAX = D("2.5")
EXTRA_TOWNSHIPS = 2  # per county of province 1, after the tree's 13
PAGE = 500
STATES = [AssessmentState.FINAL] * 7 + [AssessmentState.REVIEWED, AssessmentState.SUBMITTED]

RANKINGS = """
query($cycle: ID!, $scope: ID!) {
  rankings(cycle: $cycle, scope: $scope, level: TOWNSHIP, first: 500) {
    totalCount
    edges { cursor node { rank previousRank rankChange of score percentOfMax band grade
                          vetoed scoreTrend rankTrend unit { code nameZh } } }
    pageInfo { hasNextPage endCursor } } }
"""
MATRIX = """
query($cycle: ID!, $scope: ID!) {
  scorecardMatrix(cycle: $cycle, scope: $scope, level: TOWNSHIP, columns: INDICATOR,
                  first: 500) {
    totalCount averagePercentOfMax
    columns { code title maxPoints thresholds { green yellow } }
    averages { column percentOfMax counted missing notApplicable }
    edges { cursor node {
      entry { rank previousRank rankChange of score percentOfMax band grade vetoed
              scoreTrend rankTrend unit { code nameZh } }
      cells { column state points maxPoints percentOfMax band } } }
    pageInfo { hasNextPage endCursor } } }
"""


def more_townships(conn: psycopg.Connection) -> None:
    """Two more townships under each county of province 1, and names to search: every third
    township a subdistrict (街道), the others towns (镇)."""
    with conn.cursor() as cur:
        next_id = cur.execute("SELECT max(id) + 1 FROM tenant_node").fetchone()[0]
        counties = cur.execute(
            "SELECT id, code, path FROM tenant_node WHERE customer_id = 1 AND level = 'county'"
            " ORDER BY code"
        ).fetchall()
        rows = []
        for county_id, code, path in counties:
            for t in range(13, 13 + EXTRA_TOWNSHIPS):
                tcode = f"{code}{t + 1:03d}"
                rows.append(
                    (next_id, 1, county_id, tcode, "township", "town", f"{path}{tcode}/", 3)
                )
                next_id += 1
        with cur.copy(
            "COPY tenant_node (id, customer_id, parent_id, code, level, kind, path, depth,"
            " name_zh, name_en, created_at, updated_at) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row((*row, row[3], row[3], "now", "now"))
        cur.execute(
            "UPDATE tenant_node SET"
            " name_zh = code || CASE WHEN id % 3 = 0 THEN '街道' ELSE '镇' END,"
            " name_en = code || CASE WHEN id % 3 = 0 THEN ' Subdistrict' ELSE ' Town' END"
            " WHERE customer_id = 1 AND level = 'township'"
        )
        cur.execute("SELECT setval('tenant_node_id_seq', (SELECT max(id) FROM tenant_node))")
        cur.execute("ANALYZE tenant_node")
    conn.commit()


def setup(session, seed: int = 11) -> Cycle:
    """A published 40-indicator template, a township cycle over province 1, assessments with
    cached totals and item scores."""
    rng = random.Random(seed)
    province = session.scalars(
        select(TenantNode).where(TenantNode.customer_id == 1, TenantNode.depth == 0)
    ).one()
    family = TemplateFamily(customer_id=1, owner_node_id=province.id, code="T", name="T")
    session.add(family)
    session.flush()
    template = Template(
        customer_id=1, family_id=family.id, version=1, state=TemplateState.PUBLISHED,
        title="bench", year=2026, total_points=D(100), bonus_cap=D(0), grade_excellent=D(90),
        grade_good=D(80), grade_qualified=D(60), owner_node_id=province.id,
        bands=BandRule(Thresholds(D(90), D(60)), {"township": Thresholds(D(85), D(65))}).document(),
        trend_min_points=D(1), trend_min_ranks=2,
    )  # fmt: skip
    session.add(template)
    session.flush()
    position = 0
    categories: list[tuple[TemplateItem, list[TemplateItem]]] = []
    for c in range(1, CATEGORIES + 1):
        position += 1
        category = TemplateItem(
            customer_id=1, template_id=template.id, position=position, kind=ItemKind.CATEGORY,
            code=str(c), title=f"类别 {c} category", max_points=INDICATOR_MAX * INDICATORS,
        )  # fmt: skip
        session.add(category)
        session.flush()
        indicators = []
        for i in range(1, INDICATORS + 1):
            position += 1
            indicator = TemplateItem(
                customer_id=1, template_id=template.id, parent_id=category.id,
                position=position, kind=ItemKind.INDICATOR, code=f"{c}.{i}",
                title=f"指标 {c}.{i} indicator", max_points=INDICATOR_MAX, method=Method.MANUAL,
            )  # fmt: skip
            if (c, i) == (2, 1):  # a rate with bands of its own
                indicator.bands = BandRule(Thresholds(D(99), D(95))).document()
            session.add(indicator)
            indicators.append(indicator)
        session.flush()
        categories.append((category, indicators))
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
    assessments = []
    for node_id in townships:
        assessment = Assessment(
            customer_id=1, node_id=node_id, cycle_id=cycle.id, state=rng.choice(STATES),
            vetoed=rng.random() < 0.03,
        )  # fmt: skip
        session.add(assessment)
        assessments.append(assessment)
    session.flush()
    scores: list[dict[str, Any]] = []
    for assessment in assessments:
        total = D(0)
        for category, indicators in categories:
            points = attainable = D(0)
            scored = False
            for indicator in indicators:
                roll = rng.random()
                state = (
                    ScoreState.MISSING
                    if roll < 0.05
                    else ScoreState.NOT_APPLICABLE
                    if roll < 0.08
                    else ScoreState.SCORED
                )
                got = None
                if state is ScoreState.SCORED:
                    got = D(rng.randrange(0, 251)) / 100
                    points += got
                    scored = True
                if state is not ScoreState.NOT_APPLICABLE:
                    attainable += INDICATOR_MAX
                scores.append(_score(assessment, indicator.id, state, got, INDICATOR_MAX))
            state = ScoreState.SCORED if scored else ScoreState.MISSING
            scores.append(
                _score(assessment, category.id, state, points if scored else None, attainable)
            )
            total += points
        assessment.self_total = total + D(rng.randrange(0, 300)) / 100
        assessment.reviewed_total = total
        assessment.grade = (
            "unqualified"
            if assessment.vetoed
            else "excellent"
            if total >= 90
            else "good"
            if total >= 80
            else "qualified"
            if total >= 60
            else "unqualified"
        )
        if assessment.vetoed:
            session.add(
                VetoFlag(customer_id=1, node_id=assessment.node_id, assessment_id=assessment.id,
                         rule_id=rule.id, reason="较大事故", evidence="台账")
            )  # fmt: skip
    session.flush()
    session.execute(insert(ItemScore), scores)
    session.commit()
    session.execute(text("ANALYZE"))
    session.commit()
    return cycle


def _score(
    assessment: Assessment,
    item_id: int,
    state: ScoreState,
    points: Decimal | None,
    maximum: Decimal,
) -> dict[str, Any]:
    return {
        "customer_id": 1,
        "node_id": assessment.node_id,
        "assessment_id": assessment.id,
        "item_id": item_id,
        "state": state,
        "self_points": points,
        "points": points,
        "max_points": maximum,
        "figure": None,
    }


class Statements:
    """The slowest statements sent through an engine while ``recording``: (ms, statement)."""

    def __init__(self, engine) -> None:
        self.recording = False
        self.seen: list[tuple[float, str]] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.recording:
            took = time.perf_counter() - conn.info.pop("bench_started")
            self.seen.append((took * 1000, " ".join(statement.split())))

    def slowest(self, count: int = 3) -> list[tuple[float, str]]:
        return sorted(self.seen, reverse=True)[:count]


def time_publish(sessions, cycle_id: int, repeat: int, statements: Statements) -> float:
    """The median of ``repeat`` runs of ``compute_snapshot``, each rolled back."""
    counts: dict[str, int] = {}
    with sessions() as session:

        def publish() -> None:
            statements.seen.clear()  # the last run's are shown
            session.expunge_all()  # every run loads what it needs, as the job does
            snapshot = compute_snapshot(
                session, session.get_one(Cycle, cycle_id), based_on=NOW, now=NOW
            )
            counts["rows"] = session.scalar(
                select(func.count())
                .select_from(RankingRow)
                .where(RankingRow.snapshot_id == snapshot.id)
            )
            counts["cells"] = session.scalar(
                select(func.count()).select_from(RankingCell).where(cells_of(snapshot))
            )
            session.rollback()

        statements.recording = True
        seconds = timed(repeat, publish)
        statements.recording = False
    print(
        f"    {counts['rows']:,} rows and {counts['cells']:,} cells written; the last run's"
        " slowest statements:"
    )
    for took, statement in statements.slowest():
        shown = statement[:70] + (" ... GROUP BY" if "GROUP BY" in statement else "")
        print(f"      {took:,.0f} ms  {shown}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="profile the indicator page")
    args = parser.parse_args()
    with scratch_database(args.pg) as url:
        engine = make_engine(url)
        upgrade(engine)
        with psycopg.connect(url) as conn:
            build_tree(conn)
            more_townships(conn)
        sessions = make_session_factory(engine)
        with sessions() as session:
            cycle_id = setup(session).id
            province = session.scalars(
                select(TenantNode).where(TenantNode.customer_id == 1, TenantNode.depth == 0)
            ).one()
            actor = Actor(
                user_id=0, username="bench", customer_id=1, node_id=province.id,
                node_path=province.path, grants=(Grant(Role.VIEWER, province.id, province.path),),
            )  # fmt: skip
            scores = session.scalar(select(func.count()).select_from(ItemScore))
        print(f"{scores:,} item scores of 1,485 townships x 48 items; median of {args.repeat} runs")
        statements = Statements(engine)
        first = time_publish(sessions, cycle_id, 3, statements)
        print(f"  publish, first snapshot of the cycle (median of 3): {first * 1000:,.0f} ms")
        publish_rankings(sessions, cycle_id, force=True)
        with engine.begin() as conn:  # what autovacuum does after the first snapshot's inserts
            conn.execute(text("ANALYZE"))
        again = time_publish(sessions, cycle_id, 1, statements)
        print(
            f"  republish once statistics cover the first snapshot (1 run): {again * 1000:,.0f} ms"
        )
        time_reads(sessions, actor, cycle_id, province.id, args)
        engine.dispose()


def time_reads(sessions, actor: Actor, cycle_id: int, scope_id: int, args) -> None:
    """The ranking page against the matrix pages, the GraphQL layer and the export."""

    def request(read: Callable[[Session], object]) -> Callable[[], object]:
        """One request: a fresh scoped session, the read, the session closed."""

        def run() -> object:
            with scoped(sessions(), actor.scope) as session:
                return read(session)

        return run

    def ranking(first: int) -> Callable[[], object]:
        return request(
            lambda s: ranking_page(s, actor, cycle_id, scope_id, TenantLevel.TOWNSHIP, first=first)
        )

    def matrix(query: MatrixQuery, first: int = PAGE) -> Callable[[], object]:
        return request(
            lambda s: matrix_page(
                s, actor, cycle_id, scope_id, TenantLevel.TOWNSHIP, query, first=first
            )
        )

    indicators = MatrixQuery(columns=ColumnKind.INDICATOR)
    searched = MatrixQuery(columns=ColumnKind.INDICATOR, search="街道")
    by_column = MatrixQuery(columns=ColumnKind.INDICATOR, sort=MatrixSort.COLUMN, sort_column="3.2")
    baseline_label = f"baseline: ranking_page(first={PAGE})"
    reads: dict[str, Callable[[], object]] = {
        baseline_label: ranking(PAGE),
        "matrix_page, 40 indicators, by rank": matrix(indicators),
        "matrix_page, 40 indicators, by column 3.2": matrix(by_column),
        "matrix_page, 40 indicators, search 街道 (495 rows)": matrix(searched),
        "matrix_page, 8 categories, by rank": matrix(MatrixQuery()),
        "ranking_page(first=50)": ranking(50),
        "matrix_page(first=50), 40 indicators": matrix(indicators, 50),
    }
    figures = {}
    for label, read in reads.items():
        read()  # warm: the pool's connection, PostgreSQL's caches, SQLAlchemy's
        figures[label] = timed(args.repeat, read)

    variables = {"cycle": _gid("Cycle", cycle_id), "scope": _gid("Tenant", scope_id)}

    def graphql(document: str) -> Callable[[], object]:
        def run() -> object:
            context = Context(
                request=None,  # type: ignore[arg-type]
                response=None,  # type: ignore[arg-type]
                request_id="bench",
                authenticator=None,  # type: ignore[arg-type]
                session_factory=sessions,
                write_session_factory=sessions,
                authenticated=Authenticated(actor, None),
            )
            try:
                result = schema.execute_sync(
                    document, variable_values=variables, context_value=context
                )
            finally:
                context.close()
            assert not result.errors, result.errors
            return result

        return run

    for label, document in (
        ("GraphQL rankings(first: 500)", RANKINGS),
        ("GraphQL scorecardMatrix(INDICATOR, first: 500)", MATRIX),
    ):
        run = graphql(document)
        run()
        figures[label] = timed(args.repeat, run)

    sizes = {}

    def export() -> None:
        with scoped(sessions(), actor.scope) as session:
            pages = matrix_pages(
                session, actor, cycle_id, scope_id, TenantLevel.TOWNSHIP, indicators
            )
            sizes["export"] = len(matrix_workbook(pages, indicators))

    figures["export"] = timed(3, export)

    baseline = figures[baseline_label]
    small = figures["ranking_page(first=50)"]
    for label, seconds in figures.items():
        if label == "export":
            continue
        against = small if label.endswith("(first=50)") or "(first=50)," in label else baseline
        print(f"  {label}: {seconds * 1000:,.1f} ms ({seconds / against:.1f}x)")
    layer = figures["GraphQL scorecardMatrix(INDICATOR, first: 500)"]
    layer /= figures["GraphQL rankings(first: 500)"]
    print(f"  GraphQL matrix / GraphQL rankings: {layer:.1f}x")
    print(
        f"  Excel export of all 1,485 rows x 40 indicators (matrix_pages + matrix_workbook,"
        f" median of 3): {figures['export'] * 1000:,.0f} ms, {sizes['export'] / 1024:,.0f} KB"
    )

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(3):
            reads["matrix_page, 40 indicators, by rank"]()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        print(out.getvalue())


def _gid(type_name: str, db_id: int) -> str:
    return str(GlobalID(type_name, str(db_id)))


if __name__ == "__main__":
    main()
