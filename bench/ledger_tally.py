"""Benchmark: a province's hazard figures for every unit at once, as the ranking jobs will need.

Builds the national tree of ``subtree.py`` in a scratch PostgreSQL database with the real
schema, puts ``--hazards`` hidden hazards (default 100,000: about 78 per township, a year of
self-inspection) on the townships of one province, then times ``hazard_tally`` (one query, ORM
rows, each row bucketed to every requested unit whose subtree holds it, figures per unit) for
all the province's townships, all its counties, and the province alone, against the baseline
measured in the same run: one SQL ``GROUP BY`` counting the same rows per township in the
database, with no rows leaving it.

    .venv/bin/python bench/ledger_tally.py [--hazards 100000] [--repeat 3] [--pg URL]
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, date, datetime, timedelta

import psycopg
from scratch import scratch_database
from sqlalchemy import select, text
from subtree import build_tree  # bench/subtree.py: run as a script, bench/ is on the path
from timing import timed

from redline.db import make_engine, make_session_factory
from redline.migrations import upgrade
from scoring.ledgers.figures.hazards import hazard_tally
from tenants.models import TenantNode

START, END = date(2026, 1, 1), date(2026, 12, 31)
AS_OF = datetime(2026, 11, 29, 4, tzinfo=UTC)
BASELINE = """
SELECT h.node_id, count(*), count(h.rectified_at)
FROM hazard h JOIN tenant_node n ON n.id = h.node_id
WHERE h.customer_id = :customer AND n.path >= :p AND n.path < :q
  AND h.found_on BETWEEN :start AND :end
GROUP BY h.node_id
"""


def add_hazards(conn: psycopg.Connection, customer_id: int, count: int, seed: int = 7) -> None:
    """``count`` hazards spread over the province's townships, in every state."""
    rng = random.Random(seed)
    townships = conn.execute(
        "SELECT id FROM tenant_node WHERE customer_id = %s AND level = 'township'",
        (customer_id,),
    ).fetchall()
    with (
        conn.cursor() as cur,
        cur.copy(
            "COPY hazard (customer_id, node_id, title, description, place, sector, source, "
            "severity, found_on, deadline, state, rectified_at, listed, version, created_at, "
            "updated_at) FROM STDIN"
        ) as copy,
    ):
        for number in range(count):
            found = START + timedelta(days=rng.randrange(330))
            deadline = found + timedelta(days=rng.choice((7, 15, 30, 60)))
            rectified = rng.random() < 0.85
            copy.write_row(
                (
                    customer_id,
                    rng.choice(townships)[0],
                    f"hazard {number}",
                    "",
                    "",
                    rng.choice(("fire", "gas", "road_transport", "building_construction")),
                    "self_inspection",
                    "major" if rng.random() < 0.03 else "general",
                    found,
                    deadline,
                    "rectified" if rectified else "open",
                    datetime.combine(found, datetime.min.time(), UTC)
                    + timedelta(days=rng.randrange(40))
                    if rectified
                    else None,
                    False,
                    1,
                    "now",
                    "now",
                )
            )
    conn.execute("ANALYZE hazard")
    conn.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--hazards", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with scratch_database(args.pg) as url:
        engine = make_engine(url)
        upgrade(engine)
        with psycopg.connect(url) as conn:
            build_tree(conn)
            add_hazards(conn, 1, args.hazards)
        sessions = make_session_factory(engine)
        with sessions() as session:
            province = session.scalars(
                select(TenantNode).where(TenantNode.customer_id == 1, TenantNode.depth == 0)
            ).one()
            by_level = {
                level: list(
                    session.scalars(
                        select(TenantNode).where(
                            TenantNode.customer_id == 1, TenantNode.level == level
                        )
                    )
                )
                for level in ("township", "county")
            }
            by_level["province"] = [province]
            bounds = {"customer": 1, "p": province.path, "q": province.path[:-1] + "0"}
            baseline = timed(
                args.repeat,
                lambda: session.execute(
                    text(BASELINE), {**bounds, "start": START, "end": END}
                ).all(),
            )
            results = {}
            for level, nodes in by_level.items():

                def tally(nodes=nodes):
                    session.expunge_all()  # every run loads its rows, as a job would
                    hazard_tally(session, nodes, START, END, as_of=AS_OF)

                results[level] = (len(nodes), timed(args.repeat, tally))
        engine.dispose()

    print(f"{args.hazards} hazards in one province; median of {args.repeat} runs")
    print(f"  baseline, SQL GROUP BY per township: {baseline * 1000:.1f} ms (1x)")
    for level, (count, seconds) in results.items():
        print(
            f"  hazard_tally for {count:>4} {level} units: {seconds * 1000:.1f} ms "
            f"({seconds / baseline:.1f}x)"
        )


if __name__ == "__main__":
    main()
