"""The scheduled actors: declared with their cron specs (UTC), and run through a worker: the
nightly recompute queues a run per province that a worker finishes (after a crash too), the
sweep and the reminders notify and record their runs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from periodiq import cron
from sqlalchemy import select

import scoring.jobs.actors  # noqa: F401 - declares the actors the sweep asks for
from redline import jobs
from redline.db import unit_of_work, utcnow
from redline.outbox import OutboxMessage
from scoring.followup.notifications import Notification, NotificationKind
from scoring.jobs import recompute, scheduled
from scoring.jobs.runs import JobKind, JobRun, JobState
from scoring.ledgers.models import HazardSeverity, HazardState, Sector
from scoring.rankings.models import RankingStatus
from tests.factories.assessments import open_sample_cycle
from tests.factories.jobs import crash_second_batch, job_run
from tests.factories.ledgers import hazard_row
from tests.factories.tenants import node


@pytest.fixture
def worker_broker(sessions):
    broker = jobs.configure(jobs.stub_broker(), sessions)
    worker = jobs.start_worker(broker, threads=2)
    yield broker
    worker.stop()
    broker.close()


def drain(broker, *queues: str) -> None:
    for queue in queues:
        broker.join(queue, timeout=60_000)


@pytest.mark.parametrize(
    ("declared", "spec", "china_time"),
    [
        (scheduled.nightly_recompute, "0 18 * * *", "02:00 every day"),
        (scheduled.sweep_overdue, "0 * * * *", "every hour"),
        (scheduled.send_reminders, "30 0 * * *", "08:30 every day"),
    ],
)
def test_the_periodic_actors_and_their_times(declared, spec, china_time):
    assert declared.options["periodic"] == cron(spec), china_time
    assert declared.queue_name == "scheduled"
    assert "periodic" not in scheduled.full_recompute.options


def test_the_nightly_recompute_runs_each_province(world, sessions, worker_broker):
    with unit_of_work(world):
        cycle = open_sample_cycle(world)
    scheduled.nightly_recompute.send()
    drain(worker_broker, "scheduled", "recompute")
    world.rollback()
    world.expire_all()
    runs = world.scalars(select(JobRun).order_by(JobRun.customer_id)).all()
    assert [(r.kind, r.state) for r in runs] == [(JobKind.FULL_RECOMPUTE, JobState.SUCCEEDED)] * 3
    zhejiang = next(r for r in runs if r.customer_id == cycle.customer_id)
    assert zhejiang.result["cycles"] == 1 and zhejiang.result["assessments"] > 0
    # Fresh assessments had no cached scores yet: all of them scored for the first time, which
    # is not drift.
    assert zhejiang.result["first_scored"] == zhejiang.result["assessments"]
    assert zhejiang.result["drifted"] == 0
    assert zhejiang.requested_by_id is None and zhejiang.node_id == node(world, "330000").id
    status = world.scalar(select(RankingStatus).where(RankingStatus.cycle_id == cycle.id))
    assert status is not None and status.snapshot_id is not None
    sent = world.scalars(
        select(OutboxMessage).where(OutboxMessage.actor_name == "scoring.full_recompute")
    ).all()
    assert len(sent) == 3 and all(m.sent_at is not None for m in sent)


def test_a_crashed_recompute_is_retried_to_the_end(world, sessions, worker_broker, monkeypatch):
    with unit_of_work(world):
        cycle = open_sample_cycle(world)
    crash_second_batch(monkeypatch, "the database went away", batch_size=5)
    with unit_of_work(world):
        run = recompute.start_full_recompute(world, cycle.customer_id)
    drain(worker_broker, "recompute")
    done = job_run(world, run.id)
    assert done.state is JobState.SUCCEEDED and done.attempts == 2 and done.error is None
    assessments = done.result["assessments"]
    assert done.result["first_scored"] == assessments and done.progress_done == assessments
    assert done.result["drifted"] == 0


def test_the_sweep_runs_on_a_worker(world, sessions, worker_broker):
    xjd = node(world, "330402901")
    with unit_of_work(world):
        hazard_row(
            world,
            "330402901",
            title="有限空间作业未设置警示标识",
            sector=Sector.CONFINED_SPACE,
            severity=HazardSeverity.MAJOR,
            found_on=date.today() - timedelta(days=40),
            deadline=date.today() - timedelta(days=10),
            state=HazardState.RECTIFYING,
        )
    scheduled.sweep_overdue.send()
    drain(worker_broker, "scheduled", "scoring")
    world.rollback()
    world.expire_all()
    notified = world.scalars(select(Notification)).all()
    assert [(n.kind, n.node_id) for n in notified] == [(NotificationKind.HAZARD_OVERDUE, xjd.id)]
    run = world.scalars(
        select(JobRun).where(
            JobRun.kind == JobKind.OVERDUE_SWEEP, JobRun.customer_id == xjd.customer_id
        )
    ).one()
    assert run.result == {"hazards_overdue": 1, "tasks_overdue": 0, "units": 1}
    # The unit's scores were asked for again, and the job ran.
    asked = world.scalars(
        select(OutboxMessage).where(OutboxMessage.actor_name == "scoring.ledger_changed")
    ).one()
    assert asked.args == [xjd.id] and asked.sent_at is not None


def test_the_reminders_run_on_a_worker(world, sessions, worker_broker):
    now = utcnow()
    with unit_of_work(world):
        open_sample_cycle(
            world, self_due=now + timedelta(days=1), review_due=now + timedelta(days=30)
        )
    scheduled.send_reminders.send()
    drain(worker_broker, "scheduled")
    world.rollback()
    world.expire_all()
    kinds = set(world.scalars(select(Notification.kind)).all())
    assert kinds == {NotificationKind.SELF_ASSESSMENT_DUE}
    runs = world.scalars(select(JobRun).where(JobRun.kind == JobKind.DEADLINE_REMINDERS)).all()
    assert len(runs) == 3 and all(r.state is JobState.SUCCEEDED for r in runs)
