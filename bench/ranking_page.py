"""Benchmark: reading 1,000 rows of a ranking through GraphQL against a hand-written JSON endpoint
and against graphql-core executing the same rows, all in one run.

Builds the province of ``ranking_publish.py`` (1,287 townships) in a scratch PostgreSQL database
with the real schema and publishes its rankings, then reads the province-wide township ranking,
1,000 rows as two pages of 500 (the API's largest page), signed in as the province's office,
through Flask's test client (the same WSGI path for every contender):

- JSON: a plain Flask route running the page's SQL and ``jsonify`` of the same fields;
- floor: the same SQL, then graphql-core (no strawberry) executing the frontend's RankingPage
  selection over plain dicts (the document parsed and validated once, as the API keeps its
  documents), then ``json.dumps``: the least a Python GraphQL server can do;
- cold: the frontend's RankingPage sent as a persisted query with the response cache off
  (parsed and validated documents cached, as in a running process);
- warm: the same with the response cache on (an answer of the current snapshot in Redis).

The contenders run in turn, round after round (medians of each), so that their ratios meet the
same machine; timed, the HTTP contenders read each answer's next cursor from its text: the
client's parsing of the answer is not the server's work (the floor is not charged for it).

    .venv/bin/python bench/ranking_page.py [--repeat 15] [--pg URL] [--redis URL]
"""

from __future__ import annotations

import argparse
import json
import re

from flask import jsonify, request
from graphql import ExecutionResult, build_schema, execute, parse, validate
from ranking_publish import province_database  # bench/: run as a script, bench/ is on the path
from redis import Redis
from scratch import scratch_database
from sqlalchemy import select
from timing import timed_together

from graphql_schema.core.persisted import AllowList
from redline.app import build_runtime, create_app, freeze_startup_heap
from redline.config import DEFAULT_PERSISTED_QUERIES_FILE, Settings
from redline.db import unit_of_work
from scoring.rankings.models import RankingRow, RankingSnapshot
from scoring.rankings.reading import current_snapshot
from scoring.rankings.status import publish_rankings
from tenants.models import Role, TenantLevel, TenantNode
from tenants.users import create_user

PAGE = 500
# The next page's cursor in a GraphQL answer, the last position in the JSON endpoint's.
END_CURSOR = re.compile(rb'"endCursor":\s*"([^"]+)"')
END_POSITION = re.compile(rb'"end":\s*(\d+)')
PASSWORD = "bench-password-1"  # noqa: S105 - a scratch database's user

# The frontend's RankingPage selection (its RankingRow fragment, the snapshot, cursors): the
# floor executes the same fields as the API, the JSON endpoint answers the same values.
FLOOR_SDL = """
type Unit { code: String! nameZh: String! nameEn: String level: String! }
type Entry { rank: Int previousRank: Int rankChange: Int of: Int position: Int! groupCode: String
  groupName: String score: String previousScore: String scoreChange: String percentOfMax: String
  band: String
  selfTotal: String grade: String vetoed: Boolean! overdueMajorHazards: Int! state: String
  scoreTrend: String rankTrend: String vetoReasons: [Reason!]! yellowCards: [Reason!]!
  unit: Unit! tenant: Tenant }
type Tenant { id: ID! }
type Snapshot { version: Int! computedAt: String! provisional: Boolean! }
type Reason { rule: String title: String reason: String evidence: String }
type Edge { cursor: String! node: Entry! }
type PageInfo { hasNextPage: Boolean! endCursor: String }
type Connection { totalCount: Int! snapshot: Snapshot edges: [Edge!]! pageInfo: PageInfo! }
type Query { rankings(first: Int, after: String): Connection! }
"""
FLOOR_QUERY = """query ($first: Int, $after: String) { rankings(first: $first, after: $after) {
  totalCount snapshot { version computedAt provisional }
  edges { cursor node { rank previousRank rankChange of position groupCode groupName score
  previousScore scoreChange percentOfMax band selfTotal grade vetoed overdueMajorHazards state
  scoreTrend rankTrend vetoReasons { rule title reason evidence }
  yellowCards { rule title reason evidence } unit { code nameZh nameEn level } tenant { id } } }
  pageInfo { hasNextPage endCursor } } }"""


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def row_json(row: RankingRow, seen: set[int]) -> dict[str, object]:
    """A ranking row as the JSON endpoint and the floor answer it (``seen``: the ids of the
    units the reader may open, whose tenant id is given)."""
    return {
        "rank": row.rank,
        "previousRank": row.previous_rank,
        "rankChange": None if row.previous_rank is None else row.previous_rank - row.rank,
        "scoreChange": (
            None
            if row.score is None or row.previous_score is None
            else str(row.score - row.previous_score)
        ),
        "tenant": {"id": _global_id("Tenant", row.node_id)} if row.node_id in seen else None,
        "of": row.of,
        "position": row.position,
        "groupCode": row.group_code,
        "groupName": row.group_name,
        "score": _text(row.score),
        "previousScore": _text(row.previous_score),
        "percentOfMax": _text(row.percent),
        "scoreTrend": row.score_trend,
        "rankTrend": row.rank_trend,
        "vetoReasons": row.veto_reasons or [],
        "yellowCards": row.yellow_cards or [],
        "band": row.band,
        "selfTotal": _text(row.self_total),
        "grade": row.grade,
        "vetoed": row.vetoed,
        "overdueMajorHazards": row.overdue_major_hazards,
        "state": _text(row.state),
        "unit": {
            "code": row.unit_code,
            "nameZh": row.unit_name_zh,
            "nameEn": row.unit_name_en,
            "level": _text(row.level),
        },
    }


def page_rows(session, snapshot_id: int, scope_id: int, after: int, first: int):
    """The page's rows, and the ids of their units that the reader sees (the API reads both)."""
    rows = list(
        session.scalars(
            select(RankingRow)
            .where(
                RankingRow.snapshot_id == snapshot_id,
                RankingRow.scope_node_id == scope_id,
                RankingRow.level == TenantLevel.TOWNSHIP,
                RankingRow.position > after,
            )
            .order_by(RankingRow.position)
            .limit(first + 1)
        )
    )
    ids = [r.node_id for r in rows]
    seen = set(session.scalars(select(TenantNode.id).where(TenantNode.id.in_(ids))))
    return rows, seen


def snapshot_json(snapshot: RankingSnapshot) -> dict[str, object]:
    return {
        "version": snapshot.version,
        "computedAt": snapshot.computed_at.isoformat(),
        "provisional": snapshot.provisional,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--profile", action="store_true", help="print a pyinstrument profile of the cold reads"
    )
    args = parser.parse_args()
    with scratch_database(args.pg) as url:
        redis = Redis.from_url(args.redis)
        redis.flushdb()
        try:
            engine, sessions, cycle_id = province_database(url)
            publish_rankings(sessions, cycle_id, force=True)
            with sessions() as session, unit_of_work(session):
                province = session.scalars(
                    select(TenantNode).where(TenantNode.customer_id == 1, TenantNode.depth == 0)
                ).one()
                province_id = province.id
                create_user(
                    session, None, province, username="bench-office", display_name="bench",
                    password=PASSWORD, roles=(Role.ADMIN,),
                )  # fmt: skip
                snapshot_id = current_snapshot(session, cycle_id).id

            # One user reading many large pages in a minute: the per-minute cost allowance would
            # refuse them (its own limit, not what is measured here).
            settings = Settings(
                database_url=url, redis_url=args.redis, query_cost_rate_threshold=10**12
            )
            runtime = build_runtime(settings, redis=redis, engine=engine)
            app = create_app(runtime)
            freeze_startup_heap()  # as the API's processes start (redline.wsgi)

            @app.get("/bench/ranking.json")
            def ranking_json():
                """The hand-written endpoint: the page's SQL, the rows as JSON."""
                after = int(request.args.get("after", 0))
                with sessions() as session:
                    snapshot = session.get(RankingSnapshot, snapshot_id)
                    rows, seen = page_rows(session, snapshot_id, province_id, after, PAGE)
                return jsonify(
                    snapshot=snapshot_json(snapshot),
                    rows=[row_json(r, seen) for r in rows[:PAGE]],
                    hasNext=len(rows) > PAGE,
                    end=rows[:PAGE][-1].position,
                )

            client = app.test_client()
            sign_in = client.post(
                "/graphql",
                json={
                    "query": "mutation ($u: String!, $p: String!) { signIn(input: "
                    "{username: $u, password: $p}) { viewer { csrfToken } } }",
                    "variables": {"u": "bench-office", "p": PASSWORD},
                },
            ).get_json()
            assert sign_in["data"]["signIn"]["viewer"], sign_in

            registered = AllowList.read(DEFAULT_PERSISTED_QUERIES_FILE)
            ranking_page = registered.hash_of("RankingPage")
            variables = {
                "cycle": _global_id("Cycle", cycle_id),
                "scope": _global_id("Tenant", province_id),
                "level": "TOWNSHIP",
                "first": PAGE,
            }

            # A client reads the next page's cursor from each answer. Timed, it finds the cursor
            # in the answer's text: parsing 500 rows of JSON (8 ms a page) is the client's work,
            # not the server's, and the floor is not charged for it either. Checked once, every
            # contender's answers are parsed and their rows counted.
            def graphql_thousand(check: bool = False) -> int:
                rows, after = 0, None
                for _ in range(2):
                    body = {
                        "operationName": "RankingPage",
                        "extensions": {
                            "persistedQuery": {"version": 1, "sha256Hash": ranking_page}
                        },
                        "variables": {**variables, "after": after},
                    }
                    answer = client.post("/graphql", json=body).get_data()
                    if check:
                        page = json.loads(answer)["data"]["rankings"]
                        rows += len(page["edges"])
                        after = page["pageInfo"]["endCursor"]
                    else:
                        after = _found(END_CURSOR, answer).decode()
                return rows

            def json_thousand(check: bool = False) -> int:
                rows, after = 0, 0
                for _ in range(2):
                    answer = client.get(f"/bench/ranking.json?after={after}").get_data()
                    if check:
                        found = json.loads(answer)
                        rows += len(found["rows"])
                        after = found["end"]
                    else:
                        after = int(_found(END_POSITION, answer))
                return rows

            floor_schema = build_schema(FLOOR_SDL)
            # Parsed and validated once, as the API keeps its documents (a server would).
            floor_document = parse(FLOOR_QUERY)
            assert not validate(floor_schema, floor_document)

            def floor_thousand() -> int:
                rows, after = 0, 0
                for _ in range(2):
                    with sessions() as session:
                        snapshot = session.get(RankingSnapshot, snapshot_id)
                        found, seen = page_rows(session, snapshot_id, province_id, after, PAGE)
                    page = found[:PAGE]
                    root = {
                        "rankings": {
                            "totalCount": len(found),
                            "snapshot": snapshot_json(snapshot),
                            "edges": [
                                {"cursor": str(r.position), "node": row_json(r, seen)} for r in page
                            ],
                            "pageInfo": {"hasNextPage": len(found) > PAGE, "endCursor": "x"},
                        }
                    }
                    result = execute(floor_schema, floor_document, root_value=root)
                    assert isinstance(result, ExecutionResult) and not result.errors, result
                    json.dumps({"data": result.data})
                    rows += len(page)
                    after = page[-1].position
                return rows

            assert json_thousand(True) == graphql_thousand(True) == floor_thousand() == 2 * PAGE
            uncached = settings.with_(response_cache_seconds=0)

            def cold_thousand() -> int:
                runtime.settings = uncached
                try:
                    return graphql_thousand()
                finally:
                    runtime.settings = settings

            graphql_thousand()  # kept in the cache
            # The contenders in turn, round after round: their ratios meet the same machine.
            medians = timed_together(
                args.repeat,
                {
                    "json": json_thousand,
                    "floor": floor_thousand,
                    "cold": cold_thousand,
                    "warm": graphql_thousand,
                },
            )
            json_s, floor_s, cold_s, warm_s = (
                medians[k] for k in ("json", "floor", "cold", "warm")
            )
            if args.profile:
                _profile(cold_thousand, args.repeat)
            engine.dispose()
        finally:
            redis.flushdb()

    print(
        f"1,000 rows of a 1,287-township ranking (2 pages of {PAGE}); median of {args.repeat}"
        " rounds, the contenders in turn"
    )
    print(f"  JSON endpoint (baseline):          {json_s * 1000:7.1f} ms (1x)")
    print(
        f"  graphql-core floor + SQL:          {floor_s * 1000:7.1f} ms ({floor_s / json_s:.2f}x)"
    )
    print(
        f"  GraphQL cold (executed):           {cold_s * 1000:7.1f} ms ({cold_s / json_s:.2f}x;"
        f" {cold_s / floor_s:.2f}x the floor)"
    )
    print(f"  GraphQL warm (response cache):     {warm_s * 1000:7.1f} ms ({warm_s / json_s:.2f}x)")


def _profile(read, repeat: int) -> None:
    """Print where ``repeat`` runs of ``read`` spend their time (pyinstrument, the bench extra)."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(repeat):
            read()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def _found(pattern: re.Pattern[bytes], answer: bytes) -> bytes:
    found = pattern.search(answer)
    assert found is not None, answer[:500]
    return found.group(1)


def _global_id(type_name: str, db_id: int) -> str:
    from strawberry.relay import to_base64

    return to_base64(type_name, db_id)  # a relay GlobalID, as the API gives it


if __name__ == "__main__":
    main()
