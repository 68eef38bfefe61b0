"""The full recompute of a province: every open assessment scored again with every row counted,
the cached scores that drifted repaired, every open cycle's rankings published again.

It runs as a job run (``scoring.job_runs``) and is restartable: each batch commits its repairs
together with the run's progress and the drift counted so far, so a retry after a crash resumes
after the last committed batch and ends with the same result as an uninterrupted run.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from redline.db import unit_of_work, utcnow
from redline.errors import ErrorCode, fail
from scoring.assessments.models import Assessment, AssessmentState, Cycle, CycleState
from scoring.assessments.scorecards import cached_scores, scorecards_many
from scoring.jobs import runs as job_runs
from scoring.jobs.runs import JobKind, JobRun
from scoring.rankings import status
from tenants.access import Actor
from tenants.models import Role
from tenants.reading import province_of

log = logging.getLogger(__name__)

FULL_RECOMPUTE_ACTOR = "scoring.full_recompute"
BATCH_SIZE = 100
# The cached columns compared, in the order the result lists their drift.
CACHED_COLUMNS = ("self_total", "reviewed_total", "grade", "vetoed")
_RESUME_KEY = "resume_after"  # in a running run's result: the last assessment id done


def start_full_recompute(
    session: Session,
    customer_id: int,
    *,
    requested_by_id: int | None = None,
    now: datetime | None = None,
) -> JobRun:
    """Queue a FULL_RECOMPUTE run of the province, or give the one queued or running already
    (a second click, or the nightly while one runs, starts nothing new). The caller commits;
    the outbox sends ``scoring.full_recompute(run.id)`` after the commit."""
    running = job_runs.active_run(session, customer_id, JobKind.FULL_RECOMPUTE, now=now)
    if running is not None:
        return running
    province = province_of(session, customer_id)
    return job_runs.start_run(
        session,
        JobKind.FULL_RECOMPUTE,
        FULL_RECOMPUTE_ACTOR,
        customer_id=customer_id,
        node_id=province.id if province is not None else None,
        requested_by_id=requested_by_id,
        now=now,
    )


def request_full_recompute(
    session: Session, actor: Actor, *, now: datetime | None = None
) -> JobRun:
    """A province admin asks for a full recompute of their province (the API's button): only
    ADMIN on the province node itself may; PERMISSION_DENIED otherwise."""
    province = province_of(session, actor.customer_id)
    if province is None or not any(
        g.node_id == province.id and g.role is Role.ADMIN for g in actor.grants
    ):
        code = province.code if province is not None else "the province"
        raise fail(
            None,
            f"only an admin of the province ({code}) may start a full recompute",
            ErrorCode.PERMISSION_DENIED,
        )
    return start_full_recompute(session, actor.customer_id, requested_by_id=actor.user_id, now=now)


def open_assessment_ids(session: Session, customer_id: int) -> list[int]:
    """The province's assessments not yet final in open cycles, by id."""
    return list(
        session.scalars(
            select(Assessment.id)
            .join(Cycle, Cycle.id == Assessment.cycle_id)
            .where(
                Assessment.customer_id == customer_id,
                Assessment.state != AssessmentState.FINAL,
                Cycle.state == CycleState.OPEN,
            )
            .order_by(Assessment.id)
        )
    )


def open_cycle_ids(session: Session, customer_id: int) -> list[int]:
    """The province's open cycles, by id."""
    return list(
        session.scalars(
            select(Cycle.id)
            .where(Cycle.customer_id == customer_id, Cycle.state == CycleState.OPEN)
            .order_by(Cycle.id)
        )
    )


def _differs(column: str, cached: object, fresh: object) -> bool:
    if isinstance(cached, Decimal) and isinstance(fresh, Decimal | int):
        return cached != Decimal(fresh)  # 85.5000 == 85.5: the column's scale is no drift
    return cached != fresh


def repair_batch(
    session: Session, assessment_ids: Sequence[int], *, now: datetime | None = None
) -> dict[str, int]:
    """Score the assessments again and write the cached scores of those that drifted (a Core
    UPDATE: their version stays, nobody editing them gets a conflict). Returns how many rows
    drifted in each cached column and in all (``"drifted"``), and how many were scored for
    the first time (``"first_scored"``: a cycle opens with its drafts not scored yet, which
    is no drift). The caller commits."""
    assessments = list(
        session.scalars(
            select(Assessment).where(Assessment.id.in_(assessment_ids)).order_by(Assessment.id)
        )
    )
    cards = scorecards_many(session, assessments, now=now)
    drift = dict.fromkeys(CACHED_COLUMNS, 0)
    drifted = first_scored = 0
    for assessment in assessments:
        fresh = cached_scores(cards[assessment.id])
        never_scored = assessment.self_total is None  # a cycle's draft nobody scored yet
        if never_scored:
            first_scored += 1
            changed = []
        else:
            changed = [c for c in CACHED_COLUMNS if _differs(c, getattr(assessment, c), fresh[c])]
        if changed:
            drifted += 1
            for column in changed:
                drift[column] += 1
            log.warning(
                "assessment %s drifted in %s: repaired",
                assessment.id,
                ", ".join(f"{c} {getattr(assessment, c)} -> {fresh[c]}" for c in changed),
            )
        # Reasons not kept yet (scored before they were) are filled in, not counted as drift.
        if never_scored or changed or assessment.reasons != fresh["reasons"]:
            session.execute(
                update(Assessment).where(Assessment.id == assessment.id).values(**fresh),
                execution_options={"synchronize_session": False},
            )
    return {**drift, "drifted": drifted, "first_scored": first_scored}


def _empty_result() -> dict[str, Any]:
    return {
        "assessments": 0,
        "drifted": 0,
        "first_scored": 0,
        "cycles": 0,
        "drift": dict.fromkeys(CACHED_COLUMNS, 0),
    }


def recompute_province(
    sessions: sessionmaker[Session],
    customer_id: int,
    *,
    run_id: int | None = None,
    batch_size: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Re-score every open assessment of the province (``batch_size`` a transaction), repair
    the drifted ones, then publish every open cycle's rankings (forced). ``batch_size``:
    :data:`BATCH_SIZE` unless given.

    With a ``run_id`` each batch commits with the run's progress and partial result, and a
    run found part done (a retry after a crash) resumes after its last committed batch.
    Returns {"assessments", "drifted", "first_scored", "cycles", "drift": {column: rows}}.
    """
    batch_size = batch_size or BATCH_SIZE
    result = _empty_result()
    resume_after = 0
    if run_id is not None:
        with sessions() as session:
            run = session.get_one(JobRun, run_id)
            if _RESUME_KEY in (run.result or {}):
                # Over the empty result: a run begun before a count was kept resumes with it.
                kept = {k: v for k, v in run.result.items() if k != _RESUME_KEY}
                result = {**result, **kept}
                resume_after = int(run.result[_RESUME_KEY])
    with sessions() as session:
        ids = [i for i in open_assessment_ids(session, customer_id) if i > resume_after]
    done = result["assessments"]
    total = done + len(ids)
    if run_id is not None:
        job_runs.set_progress(sessions, run_id, done, total)
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        with sessions() as session, unit_of_work(session):
            counts = repair_batch(session, batch, now=now)
            done += len(batch)
            result["assessments"] = done
            result["drifted"] += counts["drifted"]
            result["first_scored"] += counts["first_scored"]
            for column in CACHED_COLUMNS:
                result["drift"][column] += counts[column]
            if run_id is not None:
                partial = {**result, "drift": dict(result["drift"]), _RESUME_KEY: batch[-1]}
                job_runs.progress_in(session, run_id, done, total, partial)
    with sessions() as session:
        cycles = open_cycle_ids(session, customer_id)
    for cycle_id in cycles:
        status.publish_rankings(sessions, cycle_id, force=True)
    result["cycles"] = len(cycles)
    return result


def run_full_recompute(
    sessions: sessionmaker[Session], run_id: int, *, now: datetime | None = None
) -> dict[str, Any] | None:
    """Run the FULL_RECOMPUTE job run ``run_id``: RUNNING, the recompute, then SUCCEEDED with
    its result; on an error the run shows it (and is FAILED) and the error is raised for the
    broker's retry, which resumes. A run already SUCCEEDED is not run again: returns None."""
    with sessions() as session:
        run = session.get(JobRun, run_id)
        if run is None or run.state is job_runs.JobState.SUCCEEDED:
            return None
        customer_id = run.customer_id
    job_runs.mark_running(sessions, run_id, now=now)
    try:
        result = recompute_province(sessions, customer_id, run_id=run_id, now=now)
    except Exception as exc:
        job_runs.fail_run(sessions, run_id, exc)
        raise
    job_runs.succeed(sessions, run_id, result, now=now or utcnow())
    log.info("full recompute of customer %s (run %s): %s", customer_id, run_id, result)
    return result
