"""What a ledger change does to assessments: the open assessments of the unit and its ancestors
are scored again (their version unchanged): their ledger figures and vetoes count its rows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.models import Assessment, AssessmentState, Cycle, CycleState
from tenants.models import TenantNode


def ledger_changed(session: Session, node: TenantNode) -> list[Assessment]:
    """Re-score every assessment not yet final, in an open cycle, of ``node`` or an ancestor
    (their figures and vetoes count ``node``'s rows). Returns them; the caller commits.

    Runs with the caller's session: assessments out of the actor's sight are not touched here
    (the nightly recompute of the jobs issue repairs those).
    """
    # Imported here: scoring the assessments reads the ledgers, whose services call this.
    from scoring.scorecards import rescore

    codes = [code for code in node.path.strip("/").split("/") if code]
    ancestors = select(TenantNode.id).where(
        TenantNode.customer_id == node.customer_id, TenantNode.code.in_(codes)
    )
    assessments = list(
        session.scalars(
            select(Assessment)
            .join(Cycle, Cycle.id == Assessment.cycle_id)
            .where(
                Assessment.node_id.in_(ancestors),
                Assessment.state != AssessmentState.FINAL,
                Cycle.state == CycleState.OPEN,
            )
            .order_by(Assessment.id)
        )
    )
    for assessment in assessments:
        rescore(session, assessment)
    return assessments
