"""The scheduled jobs (periodiq cron, UTC) and the full recompute they and the API start:
the nightly recompute, the hourly overdue sweep, the morning deadline reminders."""

from __future__ import annotations

import logging
from datetime import datetime

from periodiq import cron
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.db import unit_of_work, utcnow
from redline.jobs import actor, job_sessions
from scoring.followup import overdue, reminders
from scoring.jobs import recompute, runs
from scoring.jobs.runs import JobKind
from tenants.models import Customer

log = logging.getLogger(__name__)

# Cron specs in UTC; China Standard Time is UTC+8 all year.
NIGHTLY_RECOMPUTE_CRON = "0 18 * * *"  # 02:00 China time
SWEEP_OVERDUE_CRON = "0 * * * *"  # every hour on the hour
REMINDERS_CRON = "30 0 * * *"  # 08:30 China time
FULL_RECOMPUTE_TIME_LIMIT_MS = 60 * 60 * 1000  # a province's full recompute: up to an hour


@actor(
    recompute.FULL_RECOMPUTE_ACTOR,
    queue_name="recompute",
    max_retries=5,
    time_limit=FULL_RECOMPUTE_TIME_LIMIT_MS,
)
def full_recompute(job_run_id: int) -> None:
    """Run one FULL_RECOMPUTE job run (the API's button and the nightly both queue it): a retry
    resumes after the last batch committed."""
    recompute.run_full_recompute(job_sessions(), job_run_id)


@actor("scoring.nightly_recompute", queue_name="scheduled", periodic=cron(NIGHTLY_RECOMPUTE_CRON))
def nightly_recompute() -> None:
    """Every night at 02:00 China time: a full recompute of every province, each its own run."""
    with job_sessions()() as session, unit_of_work(session):
        for customer_id in session.scalars(select(Customer.id).order_by(Customer.id)):
            recompute.start_full_recompute(session, customer_id)


def run_overdue_sweep(session: Session, *, now: datetime) -> dict[int, dict[str, int]]:
    """The overdue sweep, recorded as a run of every province with its counts."""
    counts = overdue.sweep_overdue(session, now=now)
    return runs.record_per_province(session, JobKind.OVERDUE_SWEEP, counts, overdue.ZERO, now=now)


def run_reminders(session: Session, *, now: datetime) -> dict[int, dict[str, int]]:
    """The deadline reminders, recorded as a run of every province with their counts."""
    counts = reminders.send_reminders(session, now=now)
    return runs.record_per_province(
        session, JobKind.DEADLINE_REMINDERS, counts, reminders.ZERO, now=now
    )


@actor("scoring.sweep_overdue", queue_name="scheduled", periodic=cron(SWEEP_OVERDUE_CRON))
def sweep_overdue() -> None:
    """Every hour: flag hazards and task elements that went overdue, re-score their units."""
    with job_sessions()() as session, unit_of_work(session):
        counts = run_overdue_sweep(session, now=utcnow())
    log.info("overdue sweep: %s", counts)


@actor("scoring.send_reminders", queue_name="scheduled", periodic=cron(REMINDERS_CRON))
def send_reminders() -> None:
    """Every day at 08:30 China time: remind units of the deadlines of the next three days."""
    with job_sessions()() as session, unit_of_work(session):
        counts = run_reminders(session, now=utcnow())
    log.info("deadline reminders: %s", counts)
