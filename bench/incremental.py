"""Benchmark: one township's submission, to its province's rankings published again.

Generates one province of the national data set (``generate.py``: ~1,170 townships under 10
cities and 90 counties, 100 indicators each, item scores kept) in a scratch PostgreSQL database
and publishes its cycle's rankings once. Then, for each of ``--repeat`` townships whose
assessment was returned to them, times the two parts of the path as they run in production,
each in its own transaction:

- **submission**: the ``submitAssessment`` service resubmitting it (checks, ledger figures,
  both scorecards, cached scores and item scores) and the ``request_rankings`` job it sends;
- **job**: ``publish_rankings``, the recompute of the cycle's rankings (every scope and level,
  the snapshot's rows and aggregates, the per-item cells of what changed) and its atomic swap.

The baseline, timed in the same run: one SQL ``RANK() OVER (PARTITION BY county ORDER BY
vetoed, total DESC)`` over the cycle's cached totals. Prints medians and ratios.

    .venv/bin/python bench/incremental.py [--repeat 7] [--indicators 100] [--pg URL]
"""

from __future__ import annotations

import argparse
import statistics
import time

from generate import NOW, SERVER, Sizes, generate  # bench/: run as a script, on the path
from scratch import scratch_database
from sqlalchemy import func, select, text

from redline.db import make_engine, make_session_factory
from redline.errors import DomainError
from scoring.assessments.entries import submit
from scoring.assessments.models import Assessment, AssessmentState, Cycle
from scoring.rankings import status
from scoring.rankings.models import (
    RankingCell,
    RankingRow,
    RankingSnapshot,
    RankingStatus,
    cells_of,
)

BASELINE = """
SELECT a.id, n.parent_id,
       RANK() OVER (PARTITION BY n.parent_id ORDER BY a.vetoed, a.reviewed_total DESC)
FROM assessment a JOIN tenant_node n ON n.id = a.node_id
WHERE a.cycle_id = :cycle AND a.state IN ('submitted', 'resubmitted', 'reviewed', 'final')
"""


def _ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=SERVER)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--indicators", type=int, default=100)
    args = parser.parse_args()
    with scratch_database(args.pg) as url:
        summary = generate(url, Sizes(provinces=1, indicators=args.indicators))
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        with sessions() as session:
            cycle_id = session.scalars(select(Cycle.id)).one()
            returned = list(
                session.execute(
                    select(Assessment.id, Assessment.version)
                    .where(Assessment.state == AssessmentState.RETURNED)
                    .order_by(Assessment.id)
                )
            )
        status.publish_rankings(sessions, cycle_id, force=True)
        baseline: list[float] = []
        submitting: list[float] = []
        publishing: list[float] = []
        done = 0
        for assessment_id, version in returned:
            if done == args.repeat:
                break
            with sessions() as session:
                start = time.perf_counter()
                session.execute(text(BASELINE), {"cycle": cycle_id}).all()
                baseline.append(time.perf_counter() - start)
            with sessions() as session:
                start = time.perf_counter()
                assessment = session.get_one(Assessment, assessment_id)
                try:
                    submit(session, None, assessment, expected_version=version, now=NOW)
                except DomainError:  # an indicator left empty
                    session.rollback()
                    continue
                session.commit()
                status.request_rankings(session, session.get_one(Cycle, cycle_id))
                session.commit()
                submitting.append(time.perf_counter() - start)
            start = time.perf_counter()
            snapshot = status.publish_rankings(sessions, cycle_id)
            publishing.append(time.perf_counter() - start)
            assert snapshot is not None
            done += 1
        with sessions() as session:
            snapshot_id = session.scalar(
                select(RankingStatus.snapshot_id).where(RankingStatus.cycle_id == cycle_id)
            )
            rows = session.scalar(
                select(func.count())
                .select_from(RankingRow)
                .where(RankingRow.snapshot_id == snapshot_id)
            )
            last = session.get_one(RankingSnapshot, snapshot_id)
            cells = session.scalar(
                select(func.count()).select_from(RankingCell).where(cells_of(last))
            )
            written = session.scalar(
                select(func.count())
                .select_from(RankingCell)
                .where(RankingCell.cycle_id == cycle_id, RankingCell.valid_from == last.version)
            )
        engine.dispose()

    base = statistics.median(baseline)
    print(
        f"one province: {summary.townships:,} townships, {args.indicators} indicators; "
        f"{done} submissions, medians; a snapshot writes {rows:,} rows and has {cells:,} "
        f"cells, of which the last publication wrote {written:,} (the rest are shared)"
    )
    print(f"  baseline, one SQL RANK() over the cached totals: {_ms(baseline)} (1x)")
    print(
        f"  submission (service + request_rankings job): {_ms(submitting)} "
        f"({statistics.median(submitting) / base:.1f}x)"
    )
    print(
        f"  job: publish_rankings: {_ms(publishing)} ({statistics.median(publishing) / base:.1f}x)"
    )


if __name__ == "__main__":
    main()
