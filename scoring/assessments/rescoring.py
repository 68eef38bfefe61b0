"""A change to an assessment is scored in its own request, with the system's view of the
ledgers; what it moves is the ranking of its cycle, which this asks for: an outbox message,
sent after the commit, coalesced per cycle. (A ledger change is scored by its job instead:
``scoring.ledgers.effects``.)"""

from __future__ import annotations

from sqlalchemy.orm import Session

from redline import outbox
from scoring.assessments.models import Assessment, AssessmentState

REQUEST_RANKINGS_ACTOR = "scoring.request_rankings"

# Ranked: submitted and not returned for correction (a returned unit is ranked again once it
# resubmits).
RANKED_STATES = (
    AssessmentState.SUBMITTED,
    AssessmentState.RESUBMITTED,
    AssessmentState.REVIEWED,
    AssessmentState.FINAL,
)


def ask_for_rankings(session: Session, assessment: Assessment, *, moved: bool = False) -> None:
    """After a change to a ranked assessment, or a move (``moved``) into, out of or within the
    ranking, queue ``scoring.request_rankings`` of its cycle once the caller commits (nothing
    more while one waits unsent). A draft's edits move no ranking and ask for nothing."""
    if assessment.id is None:  # not flushed: nothing to rank yet
        return
    if moved or assessment.state in RANKED_STATES:
        outbox.enqueue(
            session,
            REQUEST_RANKINGS_ACTOR,
            assessment.cycle_id,
            customer_id=assessment.customer_id,
            key=f"rankings:{assessment.cycle_id}",
        )
