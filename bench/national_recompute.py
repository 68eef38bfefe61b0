"""Benchmark: the full recompute of every province against the floors of reading and ranking.

Generates the national data set (``generate.py``; ``--scale 0.1`` by default: 3 provinces,
~3,500 townships of 100 indicators, ~358,000 entries) in a scratch PostgreSQL database, then
times, in the same run:

- **COPY floor**: every entry of every assessment copied out of the database (``COPY (SELECT
  ...) TO STDOUT``, read to the end): what any recompute that reads every entry pays;
- **SQL floor**: every assessment's entries summed and every township ranked within its county
  and its province in one SQL statement (``SUM`` then ``RANK() OVER``);
- **per unit (sample)**: ``--sample`` assessments scored one at a time through the ORM
  (``scorecards``), as a naive job would, extrapolated to the recompute's count;
- **the full recompute**: ``recompute_province`` for every province, as the nightly job runs
  it (every open assessment scored again in batches with its cached scores repaired, then every
  open cycle's rankings published), in a child process whose peak RSS is reported: once as the
  first publication of every cycle (every ranking cell written), once more as the next night's
  (nothing drifted; the cells nothing changed stay shared with the snapshot before).

    .venv/bin/python bench/national_recompute.py [--scale 0.1] [--sample 100] [--pg URL]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time

import psycopg
from generate import NOW, SERVER, Sizes, generate  # bench/: run as a script, on the path
from scratch import scratch_database
from sqlalchemy import select

from redline.app import freeze_startup_heap
from redline.db import make_engine, make_session_factory
from scoring.assessments.models import Assessment
from scoring.assessments.scorecards import scorecards
from scoring.jobs.recompute import open_assessment_ids, recompute_province
from tenants.models import Customer

COPY_OUT = """
COPY (SELECT e.assessment_id, e.item_id, e.value, e.done, e.points, e.counts, e.not_applicable,
             e.review_points
      FROM assessment_entry e) TO STDOUT
"""
SUM_AND_RANK = """
SELECT id, RANK() OVER (PARTITION BY county ORDER BY total DESC),
       RANK() OVER (PARTITION BY customer_id ORDER BY total DESC)
FROM (SELECT a.id, a.customer_id, n.parent_id AS county,
             SUM(COALESCE(e.review_points, e.points, 0)) AS total
      FROM assessment a
      JOIN tenant_node n ON n.id = a.node_id
      JOIN assessment_entry e ON e.assessment_id = a.id
      GROUP BY a.id, a.customer_id, n.parent_id) AS totals
"""


def _copy_floor(url: str) -> tuple[float, int]:
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        start = time.perf_counter()
        size = 0
        with cursor.copy(COPY_OUT) as copy:
            for block in copy:
                size += len(block)
        return time.perf_counter() - start, size


def _sql_floor(url: str) -> float:
    with psycopg.connect(url) as conn:
        start = time.perf_counter()
        conn.execute(SUM_AND_RANK).fetchall()
        return time.perf_counter() - start


def _recompute(url: str, results: multiprocessing.Queue) -> None:
    """Every province's full recompute, in this (child) process, twice: the first publishes
    every cycle for the first time (every ranking cell written), the second is the next
    night's (nothing drifted, every cycle published before: the cells nothing changed stay
    shared). Seconds of each, and counts. The process starts as ``redline worker`` does, its
    heap frozen once built."""
    freeze_startup_heap()
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        customers = list(session.scalars(select(Customer.id).order_by(Customer.id)))
    nights = []
    for _night in range(2):
        start = time.perf_counter()
        scored = cycles = drifted = 0
        for customer_id in customers:
            result = recompute_province(sessions, customer_id, now=NOW)
            scored += result["assessments"]
            cycles += result["cycles"]
            drifted += result["drifted"]
        nights.append(time.perf_counter() - start)
    # The next night's drift is checked by the parent: a failed assert here would leave it
    # waiting for the results.
    results.put((nights, scored, cycles, drifted))
    engine.dispose()


def _per_unit(url: str, sample: int) -> float:
    """Seconds per assessment scored alone through the ORM (a session each, as a naive job)."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        ids = [
            i for c in session.scalars(select(Customer.id)) for i in open_assessment_ids(session, c)
        ]
    chosen = ids[:: max(1, len(ids) // sample)][:sample]
    start = time.perf_counter()
    for assessment_id in chosen:
        with sessions() as session:
            scorecards(session, session.get_one(Assessment, assessment_id))
    engine.dispose()
    return (time.perf_counter() - start) / len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=SERVER)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--sample", type=int, default=100)
    args = parser.parse_args()
    with scratch_database(args.pg) as url:
        summary = generate(url, Sizes().scaled(args.scale))
        copy_seconds, copied = _copy_floor(url)
        sql_seconds = _sql_floor(url)
        per_unit = _per_unit(url, args.sample)
        results: multiprocessing.Queue = multiprocessing.Queue()
        child = multiprocessing.get_context("fork").Process(target=_recompute, args=(url, results))
        child.start()
        (seconds, next_night), scored, cycles, drifted = results.get()
        child.join()
        assert not drifted, f"{drifted} assessments drifted between two recomputes of the same data"
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(
        f"{summary.provinces} provinces, {summary.assessments:,} assessments, "
        f"{summary.entries:,} entries; the recompute scored {scored:,} open assessments "
        f"and published {cycles} cycles"
    )
    print(f"  COPY floor, every entry out ({copied / 1e6:.0f} MB): {copy_seconds:.2f} s (1x)")
    print(f"  SQL floor, SUM and RANK() of every assessment: {sql_seconds:.2f} s")
    print(
        f"  per unit through the ORM (sample of {args.sample}): {per_unit * 1000:.1f} ms each, "
        f"{per_unit * scored:.1f} s for {scored:,}"
    )
    print(
        f"  full recompute, first publication: {seconds:.2f} s ({seconds / copy_seconds:.1f}x "
        f"the COPY floor; {per_unit * scored / seconds:.1f}x faster than per unit); "
        f"peak RSS {peak_mb:.0f} MB"
    )
    print(
        f"  full recompute, the next night (nothing drifted): {next_night:.2f} s "
        f"({next_night / copy_seconds:.1f}x the COPY floor; "
        f"{per_unit * scored / next_night:.1f}x faster than per unit)"
    )


if __name__ == "__main__":
    main()
