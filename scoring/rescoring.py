"""Asking the jobs to score an assessment again after a change, with every ledger row counted,
and to recompute its cycle's rankings: an outbox message, sent after the commit, coalesced."""

from __future__ import annotations

from sqlalchemy.orm import Session

from redline import outbox
from scoring.models import Assessment, AssessmentState

RESCORE_ACTOR = "scoring.rescore_assessment"

# Ranked: submitted and not returned for correction (a returned unit is ranked again once it
# resubmits).
RANKED_STATES = (
    AssessmentState.SUBMITTED,
    AssessmentState.RESUBMITTED,
    AssessmentState.REVIEWED,
    AssessmentState.FINAL,
)


def ask_for_rescore(session: Session, assessment: Assessment, *, moved: bool = False) -> None:
    """After a change to a ranked assessment, or a move (``moved``) into, out of or within the
    ranking, queue ``scoring.rescore_assessment`` once the caller commits (nothing more while
    one waits unsent). A draft's edits move no ranking and ask for nothing."""
    if assessment.id is None:  # not flushed: nothing to rank yet
        return
    if moved or assessment.state in RANKED_STATES:
        outbox.enqueue(
            session,
            RESCORE_ACTOR,
            assessment.id,
            customer_id=assessment.customer_id,
            key=f"rescore:{assessment.id}",
        )
