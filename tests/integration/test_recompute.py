"""The full recompute: drift found and repaired with counts, progress per batch, idempotent
reruns, a crashed run resumed to the same result, every open cycle's rankings published."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from redline.db import unit_of_work
from redline.outbox import OutboxMessage
from scoring.assessments.entries import submit
from scoring.assessments.models import Assessment, AssessmentState, Cycle
from scoring.jobs import recompute
from scoring.jobs.runs import JobKind, JobRun, JobState
from scoring.rankings.models import RankingSnapshot, RankingStatus
from scoring.templates.models import Template
from tests.factories.assessments import assessment_of, filled_cycle, open_sample_cycle
from tests.factories.jobs import crash_second_batch, job_run
from tests.factories.tenants import actor

D = Decimal
XJD = "330402901"


@pytest.fixture
def cycle(world: Session) -> Cycle:
    """Nanhu's townships: every one with its self-assessment saved, Xiangjiadang submitted,
    their cached scores as the services left them."""
    cycle, _ = filled_cycle(world)
    xjd = assessment_of(world, cycle, XJD)
    with unit_of_work(world):
        submit(world, None, xjd, expected_version=xjd.version)
    return cycle


def cached(session: Session, cycle: Cycle) -> dict[int, tuple]:
    """The cached scores (and version) of the cycle's assessments as committed now."""
    session.rollback()
    session.expire_all()
    return {
        a.id: (a.self_total, a.reviewed_total, a.grade, a.vetoed, a.version)
        for a in session.scalars(select(Assessment).where(Assessment.cycle_id == cycle.id))
    }


def corrupt(session: Session, assessment_id: int, **values) -> None:
    """Break a cached column behind the services' back, as a lost job would."""
    with unit_of_work(session):
        session.execute(update(Assessment).where(Assessment.id == assessment_id).values(**values))


def test_drift_is_found_repaired_and_counted(world: Session, sessions, cycle: Cycle):
    before = cached(world, cycle)
    xjd = assessment_of(world, cycle, XJD)
    assert before[xjd.id][0] is not None
    other = next(i for i in before if i != xjd.id)
    corrupt(world, xjd.id, self_total=D("12.5"), reviewed_total=D("12.5"))
    corrupt(world, other, grade="bogus", vetoed=True)

    result = recompute.recompute_province(sessions, xjd.customer_id, batch_size=3)

    assert result == {
        "assessments": len(before),
        "drifted": 2,
        "first_scored": 0,
        "cycles": 1,
        "drift": {"self_total": 1, "reviewed_total": 1, "grade": 1, "vetoed": 1},
    }
    # Repaired to what the services had stored, versions untouched (nobody edited them).
    assert cached(world, cycle) == before


def test_a_rerun_finds_no_drift(world: Session, sessions, cycle: Cycle):
    customer = cycle.customer_id
    recompute.recompute_province(sessions, customer)
    again = recompute.recompute_province(sessions, customer)
    assert again["drifted"] == 0
    assert again["drift"] == dict.fromkeys(recompute.CACHED_COLUMNS, 0)
    assert again["assessments"] > 0


def test_reasons_not_kept_yet_are_filled_in_without_counting_as_drift(
    world: Session, sessions, cycle: Cycle
):
    xjd = assessment_of(world, cycle, XJD)
    kept = world.get_one(Assessment, xjd.id).reasons
    assert kept == {"vetoes": [], "yellow_cards": []}
    corrupt(world, xjd.id, reasons=None)  # scored before migration 0019 kept them
    result = recompute.recompute_province(sessions, xjd.customer_id)
    assert result["drifted"] == 0
    world.expire_all()
    assert world.get_one(Assessment, xjd.id).reasons == kept


def test_a_draft_never_scored_is_scored_without_counting_as_drift(
    world: Session, sessions, cycle: Cycle
):
    """A cycle opens with its drafts not scored yet: their first scores are no drift (which
    would be a false alarm for every unit of a new cycle), while drift elsewhere still counts."""
    before = cached(world, cycle)
    xjd = assessment_of(world, cycle, XJD)
    others = [i for i in before if i != xjd.id]
    corrupt(world, others[0], self_total=None, reviewed_total=None, grade=None)
    corrupt(world, others[1], self_total=None, reviewed_total=None, grade=None, vetoed=True)
    corrupt(world, xjd.id, self_total=D("12.5"))

    result = recompute.recompute_province(sessions, xjd.customer_id, batch_size=3)

    assert (result["first_scored"], result["drifted"]) == (2, 1)
    assert result["drift"] == {"self_total": 1, "reviewed_total": 0, "grade": 0, "vetoed": 0}
    assert cached(world, cycle) == before  # every one scored as the services had scored it


def test_final_assessments_and_other_provinces_are_left_alone(
    world: Session, sessions, cycle: Cycle
):
    xjd = assessment_of(world, cycle, XJD)
    corrupt(world, xjd.id, state=AssessmentState.FINAL, self_total=D(1))
    result = recompute.recompute_province(sessions, xjd.customer_id)
    assert cached(world, cycle)[xjd.id][0] == D(1)  # final: kept as it was finalised
    assert result["assessments"] == len(cached(world, cycle)) - 1
    # Another province has no open assessment: nothing to do there.
    sichuan = world.scalar(select(Cycle.customer_id).where(Cycle.customer_id != xjd.customer_id))
    assert sichuan is None
    other = recompute.recompute_province(sessions, xjd.customer_id + 1)
    assert other == {
        "assessments": 0,
        "drifted": 0,
        "first_scored": 0,
        "cycles": 0,
        "drift": other["drift"],
    }


def test_every_open_cycle_is_published(world: Session, sessions, cycle: Cycle):
    with unit_of_work(world):
        second = open_sample_cycle(
            world,
            template=world.get_one(Template, cycle.template_id),
            name="2026 second township assessment",
        )
    result = recompute.recompute_province(sessions, cycle.customer_id)
    assert result["cycles"] == 2
    world.rollback()
    world.expire_all()
    for each in (cycle, second):
        status = world.scalar(select(RankingStatus).where(RankingStatus.cycle_id == each.id))
        assert status is not None and status.snapshot_id is not None
        assert status.computed_at is not None and not status.pending
    # Forced: a rerun publishes a new version even with nothing asked for.
    recompute.recompute_province(sessions, cycle.customer_id)
    world.rollback()
    world.expire_all()
    versions = world.scalars(
        select(RankingSnapshot.version).where(RankingSnapshot.cycle_id == cycle.id)
    ).all()
    assert len(versions) >= 2


def test_a_run_goes_from_queued_to_succeeded_with_progress(world: Session, sessions, cycle):
    admin = actor(world, "zj-office")
    with unit_of_work(world):
        run = recompute.request_full_recompute(world, admin)
    assert run.state is JobState.QUEUED and run.kind is JobKind.FULL_RECOMPUTE
    assert run.requested_by_id == admin.user_id
    message = world.scalar(select(OutboxMessage).where(OutboxMessage.key == f"job_run:{run.id}"))
    assert message is not None and message.actor_name == "scoring.full_recompute"
    assert message.args == [run.id]

    # A second click while it waits gives the same run and queues nothing more.
    with unit_of_work(world):
        assert recompute.request_full_recompute(world, admin).id == run.id

    result = recompute.run_full_recompute(sessions, run.id)
    done = job_run(world, run.id)
    assert done.state is JobState.SUCCEEDED and done.attempts == 1
    assert done.result == result and "resume_after" not in done.result
    assert done.progress_done == done.progress_total == result["assessments"]
    assert done.started_at is not None and done.finished_at >= done.started_at
    # Done is done: delivered again, it does nothing.
    assert recompute.run_full_recompute(sessions, run.id) is None


def test_progress_is_committed_batch_by_batch(world, sessions, cycle, monkeypatch):
    """Readers see the run move: each batch commits its progress."""
    seen: list[tuple[int, int | None]] = []
    original = recompute.repair_batch

    def watching(session, ids, **kw):
        with sessions() as reader:
            run = reader.scalars(select(JobRun)).one()
            seen.append((run.progress_done, run.progress_total))
        return original(session, ids, **kw)

    monkeypatch.setattr(recompute, "repair_batch", watching)
    with unit_of_work(world):
        run = recompute.start_full_recompute(world, cycle.customer_id)
    total = len(cached(world, cycle))
    recompute.recompute_province(sessions, cycle.customer_id, run_id=run.id, batch_size=4)
    assert seen == [(done, total) for done in range(0, total, 4)]


def test_a_crashed_run_resumes_to_the_same_result(world, sessions, cycle, monkeypatch):
    units = sorted(cached(world, cycle))
    # Drift in the first batch and in the last.
    corrupt(world, units[0], self_total=D(3))
    corrupt(world, units[-1], reviewed_total=D(4), grade="bogus")
    with unit_of_work(world):
        run = recompute.start_full_recompute(world, cycle.customer_id)

    crash_second_batch(monkeypatch, "worker killed", batch_size=3)
    with pytest.raises(RuntimeError):
        recompute.run_full_recompute(sessions, run.id)
    failed = job_run(world, run.id)
    assert failed.state is JobState.FAILED and "worker killed" in failed.error
    assert failed.progress_done == 3  # the first batch committed

    result = recompute.run_full_recompute(sessions, run.id)  # the broker's retry
    done = job_run(world, run.id)
    assert done.state is JobState.SUCCEEDED and done.attempts == 2 and done.error is None
    assert result == {
        "assessments": len(units),
        "drifted": 2,
        "first_scored": 0,
        "cycles": 1,
        "drift": {"self_total": 1, "reviewed_total": 1, "grade": 1, "vetoed": 0},
    }
    assert done.progress_done == len(units)
