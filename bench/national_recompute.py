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
  open cycle's rankings published), by ``--workers`` child processes (of ``--threads``
  threads) taking the provinces from one queue as ``redline worker`` processes take the
  nightly's runs (one of one by default; the largest one's peak RSS is reported): once as the
  first publication of every cycle (every ranking cell written), once more as the next
  night's (nothing drifted; the cells nothing changed stay shared with the snapshot before).

    .venv/bin/python bench/national_recompute.py [--scale 0.1] [--sample 100] [--workers 1]
        [--threads 1] [--parts] [--pg URL]

``--parts`` also prints where each night's time went: reading the entries, the ledgers'
figures, making the engine's inputs, the engine, publishing (functions of the recompute
wrapped in timers in the workers), and with one worker what the night costs without scoring.
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import resource
import threading
import time
from collections import Counter

import psycopg
from generate import NOW, SERVER, Sizes, generate  # bench/: run as a script, on the path
from scratch import scratch_database
from sqlalchemy import select

import scoring.engine
from redline.app import freeze_startup_heap
from redline.db import make_engine, make_session_factory
from scoring.assessments import scorecards as scoring_service
from scoring.assessments.models import Assessment
from scoring.assessments.scorecards import scorecards
from scoring.jobs.recompute import open_assessment_ids, recompute_province
from scoring.rankings import status
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


# The parts of a recompute ``--parts`` times (module, function, what it does); what they
# leave out is the batches' own statements and commits and the scorecards' assembly.
PARTS = (
    (scoring_service, "_rows", "reading the entries"),
    (scoring_service, "ledger_facts", "the ledgers' figures and vetoes"),
    (scoring_service, "own_inputs", "scoring: the engine's inputs"),
    (scoring_service, "reviewed_input", "scoring: the engine's inputs"),
    (scoring.engine, "score", "scoring: the engine"),
    (status, "publish_rankings", "publishing the rankings"),
)


def _time_parts() -> Counter[str]:
    """Wrap each of :data:`PARTS` in this process so that its seconds add up in the counter
    returned (a bench's instrument: the recompute's code is not changed)."""
    spent: Counter[str] = Counter()

    def timed(function, label):  # type: ignore[no-untyped-def]
        @functools.wraps(function)
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - start

        return wrapper

    for module, name, label in PARTS:
        setattr(module, name, timed(getattr(module, name), label))
    return spent


def _worker(
    url: str,
    provinces: multiprocessing.Queue,
    done: multiprocessing.Queue,
    parts: bool,
    threads: int,
) -> None:
    """A worker process, as ``redline worker`` runs the nightly's runs: it starts with its heap
    frozen once built, then each of its ``threads`` recomputes the provinces it takes from the
    queue, one at a time, until it takes None; for each, it puts (assessments scored, cycles
    published, drifted) and, with ``parts`` (one thread only), the seconds of each part."""
    spent = _time_parts() if parts else Counter()
    freeze_startup_heap()
    engine = make_engine(url)
    sessions = make_session_factory(engine)

    def take() -> None:
        while (customer_id := provinces.get()) is not None:
            spent.clear()
            try:
                result = recompute_province(sessions, customer_id, now=NOW)
            except Exception as error:  # the parent waits for every province: tell it why not
                done.put((None, f"province {customer_id}: {error!r}"))
                raise
            counts = (result["assessments"], result["cycles"], result["drifted"])
            done.put((counts, dict(spent)))

    running = [threading.Thread(target=take) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    engine.dispose()


def _nights(
    url: str, workers: int, threads: int = 1, parts: bool = False
) -> tuple[list[float], int, int, int, list[Counter[str]]]:
    """Every province's full recompute by ``workers`` processes of ``threads`` threads taking
    provinces from one queue (the nightly queues a run per province), twice: the first night
    publishes every cycle for the first time (every ranking cell written), the second is the
    next night's (nothing drifted, every cycle published before: the cells nothing changed
    stay shared). Seconds of each night, the second's counts, and each night's seconds by
    part (with ``parts``, summed over the workers). The same processes work both nights; a
    province that fails stops the bench with its error."""
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        customers = list(session.scalars(select(Customer.id).order_by(Customer.id)))
    engine.dispose()
    fork = multiprocessing.get_context("fork")
    provinces: multiprocessing.Queue = fork.Queue()
    done: multiprocessing.Queue = fork.Queue()
    processes = [
        fork.Process(target=_worker, args=(url, provinces, done, parts, threads))
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    nights, spent = [], []
    for _night in range(2):
        start = time.perf_counter()
        for customer_id in customers:
            provinces.put(customer_id)
        results = []
        for _province in customers:
            counts, seconds = done.get()
            if counts is None:  # its worker stopped: the provinces after it may never come
                for process in processes:
                    process.terminate()
                raise RuntimeError(f"the recompute failed: {seconds}")
            results.append((counts, seconds))
        nights.append(time.perf_counter() - start)
        spent.append(sum((Counter(seconds) for _, seconds in results), Counter()))
    for _thread in range(workers * threads):
        provinces.put(None)
    for process in processes:
        process.join()
    scored, cycles, drifted = (sum(column) for column in zip(*(c for c, _ in results), strict=True))
    return nights, scored, cycles, drifted, spent


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
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes sharing the provinces"
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads of each worker taking provinces"
    )
    parser.add_argument(
        "--parts", action="store_true", help="print where each night's time went, by part"
    )
    args = parser.parse_args()
    if args.parts and args.threads > 1:
        parser.error("--parts times workers of one thread (its timers add up per process)")
    with scratch_database(args.pg) as url:
        summary = generate(url, Sizes().scaled(args.scale))
        copy_seconds, copied = _copy_floor(url)
        sql_seconds = _sql_floor(url)
        per_unit = _per_unit(url, args.sample)
        (seconds, next_night), scored, cycles, drifted, spent = _nights(
            url, args.workers, args.threads, args.parts
        )
        assert not drifted, f"{drifted} assessments drifted between two recomputes of the same data"
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(
        f"{summary.provinces} provinces, {summary.assessments:,} assessments, "
        f"{summary.entries:,} entries; the recompute scored {scored:,} open assessments "
        f"and published {cycles} cycles, {args.workers} worker process(es) of "
        f"{args.threads} thread(s)"
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
        f"peak RSS {peak_mb:.0f} MB (the largest worker)"
    )
    print(
        f"  full recompute, the next night (nothing drifted): {next_night:.2f} s "
        f"({next_night / copy_seconds:.1f}x the COPY floor; "
        f"{per_unit * scored / next_night:.1f}x faster than per unit)"
    )
    if args.parts:
        for night, seconds_of_night, by_part in zip(
            ("first publication", "the next night"), (seconds, next_night), spent, strict=True
        ):
            _print_parts(night, seconds_of_night, by_part, copy_seconds, args.workers)


def _print_parts(
    night: str, seconds: float, by_part: Counter[str], copy_seconds: float, workers: int
) -> None:
    """Where one night's time went (seconds of work summed over the workers, each also as a
    multiple of the COPY floor) and, with one worker, the night without its scoring."""
    print(f"  {night}, by part (seconds of work, x the COPY floor):")
    for label, part in by_part.most_common():
        print(f"    {label:<32} {part:6.2f} s ({part / copy_seconds:4.1f}x)")
    if workers == 1:
        rest = seconds - sum(v for k, v in by_part.items() if k.startswith("scoring"))
        print(f"    {'all but scoring':<32} {rest:6.2f} s ({rest / copy_seconds:4.1f}x)")


if __name__ == "__main__":
    main()
