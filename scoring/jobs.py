"""The scoring actors: re-score what a change touched, with the system's eyes, and recompute
the rankings it moves. They take ids, are idempotent, and are sent through the outbox."""

from __future__ import annotations

from sqlalchemy.orm import Session

from redline.db import unit_of_work
from redline.jobs import actor, job_sessions
from scoring.ledgers.effects import LEDGER_CHANGED_ACTOR, open_assessments_above
from scoring.models import Assessment, Cycle
from scoring.rankings import status
from scoring.rescoring import RESCORE_ACTOR
from scoring.scorecards import rescore
from tenants.models import TenantNode


def _rescore_and_request(session: Session, assessments: list[Assessment]) -> None:
    cycles: dict[int, Cycle] = {}
    for assessment in assessments:
        rescore(session, assessment)
        cycles.setdefault(assessment.cycle_id, session.get_one(Cycle, assessment.cycle_id))
    for cycle in cycles.values():
        status.request_rankings(session, cycle)


@actor(RESCORE_ACTOR, queue_name="scoring", max_retries=10)
def rescore_assessment(assessment_id: int) -> None:
    """Score the assessment again with every ledger row counted (a user's session counts the
    rows they can see), store its totals, and ask for its cycle's rankings."""
    with job_sessions()() as session, unit_of_work(session):
        assessment = session.get(Assessment, assessment_id)
        if assessment is not None:
            _rescore_and_request(session, [assessment])


@actor(LEDGER_CHANGED_ACTOR, queue_name="scoring", max_retries=10)
def ledger_changed(node_id: int) -> None:
    """A ledger row of the unit changed: score again every open assessment of the unit and of
    every unit above it, and ask for the rankings of their cycles."""
    with job_sessions()() as session, unit_of_work(session):
        node = session.get(TenantNode, node_id)
        if node is not None:
            _rescore_and_request(session, open_assessments_above(session, node))


@actor(status.PUBLISH_ACTOR, queue_name="rankings", max_retries=10)
def publish_rankings(cycle_id: int) -> None:
    """Recompute the cycle's rankings and aggregates if a change asked for it, and publish them
    as one snapshot."""
    status.publish_rankings(job_sessions(), cycle_id)
