"""What a ledger change does to assessments: the open assessments of the unit and its ancestors
are scored again (their version unchanged): their ledger figures and vetoes count its rows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline import outbox
from scoring.models import Assessment, AssessmentState, Cycle, CycleState
from tenants.models import TenantNode

LEDGER_CHANGED_ACTOR = "scoring.ledger_changed"


def open_assessments_above(session: Session, node: TenantNode) -> list[Assessment]:
    """The assessments not yet final, in open cycles, of ``node`` and of every unit above it:
    the ones whose ledger figures and vetoes count ``node``'s rows."""
    codes = [code for code in node.path.strip("/").split("/") if code]
    ancestors = select(TenantNode.id).where(
        TenantNode.customer_id == node.customer_id, TenantNode.code.in_(codes)
    )
    return list(
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


def ledger_changed(session: Session, node: TenantNode) -> list[Assessment]:
    """Re-score the open assessments of ``node`` and its ancestors now, as far as the writer
    sees them, and ask (through the outbox, sent after the caller's commit) for the job that
    re-scores all of them with every row counted and recomputes their rankings. Returns the
    assessments re-scored here; the caller commits.
    """
    # Imported here: scoring the assessments reads the ledgers, whose services call this.
    from scoring.scorecards import rescore

    assessments = open_assessments_above(session, node)
    for assessment in assessments:
        rescore(session, assessment)
    outbox.enqueue(
        session,
        LEDGER_CHANGED_ACTOR,
        node.id,
        customer_id=node.customer_id,
        key=f"ledger_changed:{node.id}",
    )
    return assessments
