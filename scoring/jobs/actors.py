"""The scoring actors: score again what a ledger change touched, with the system's view,
recompute the rankings a change moves, print the reports asked for, and write the notices of
appeals. They take ids, are idempotent, and are sent through the outbox."""

from __future__ import annotations

from redline.db import unit_of_work
from redline.jobs import actor, job_sessions, job_settings
from scoring.assessments.models import Cycle
from scoring.assessments.rescoring import REQUEST_RANKINGS_ACTOR
from scoring.assessments.scorecards import rescore_above
from scoring.evidence import evidence_store
from scoring.followup.appeal_notices import APPEAL_NOTICE_ACTOR, AppealEvent, write_notice
from scoring.jobs.printing import PRINT_REPORT_ACTOR, run_report
from scoring.ledgers.effects import LEDGER_CHANGED_ACTOR
from scoring.rankings import status
from tenants.models import TenantNode

REPORT_TIME_LIMIT_MS = 10 * 60 * 1000  # a report of a whole province's units: minutes at most


@actor(REQUEST_RANKINGS_ACTOR, queue_name="scoring", max_retries=10)
def request_rankings(cycle_id: int) -> None:
    """An assessment of the cycle changed (and was scored as it changed): ask for the cycle's
    rankings, which coalesce a burst of changes into one recompute."""
    with job_sessions()() as session, unit_of_work(session):
        cycle = session.get(Cycle, cycle_id)
        if cycle is not None:
            status.request_rankings(session, cycle)


@actor(LEDGER_CHANGED_ACTOR, queue_name="scoring", max_retries=10)
def ledger_changed(node_id: int) -> None:
    """A ledger row of the unit changed: score again every open assessment of the unit and of
    every unit above it, with every ledger row counted, and ask for the rankings of their
    cycles."""
    with job_sessions()() as session, unit_of_work(session):
        node = session.get(TenantNode, node_id)
        if node is None:
            return
        cycle_ids = {assessment.cycle_id for assessment in rescore_above(session, node)}
        for cycle_id in sorted(cycle_ids):
            status.request_rankings(session, session.get_one(Cycle, cycle_id))


@actor(status.PUBLISH_ACTOR, queue_name="rankings", max_retries=10)
def publish_rankings(cycle_id: int) -> None:
    """Recompute the cycle's rankings and aggregates if a change asked for it, and publish them
    as one snapshot."""
    status.publish_rankings(job_sessions(), cycle_id)


@actor(PRINT_REPORT_ACTOR, queue_name="reports", max_retries=3, time_limit=REPORT_TIME_LIMIT_MS)
def print_report(job_run_id: int) -> None:
    """Print a REPORT run's report as its asker and keep the file (a retry prints it again)."""
    run_report(job_sessions(), job_run_id, evidence_store(job_settings()))


@actor(APPEAL_NOTICE_ACTOR, queue_name="scoring", max_retries=10)
def appeal_notice(appeal_id: int, event: str) -> None:
    """Tell the reviewing unit of an appeal filed, or the unit of its appeal decided."""
    with job_sessions()() as session, unit_of_work(session):
        write_notice(session, appeal_id, AppealEvent(event))
