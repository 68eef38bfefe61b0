"""What a ledger change does to assessments: it asks, through the outbox, for the job that
scores again the open assessments of the unit and of every unit above it (their figures and
vetoes count its rows) with the system's view of the ledgers, and their rankings. The request
that changed the ledger scores nothing itself: each change is scored once, by that job."""

from __future__ import annotations

from sqlalchemy.orm import Session

from redline import outbox
from tenants.models import TenantNode

LEDGER_CHANGED_ACTOR = "scoring.ledger_changed"


def ledger_changed(session: Session, node: TenantNode) -> None:
    """Ask for ``scoring.ledger_changed(node)`` once the caller commits (nothing more while one
    for the unit waits unsent)."""
    outbox.enqueue(
        session,
        LEDGER_CHANGED_ACTOR,
        node.id,
        customer_id=node.customer_id,
        key=f"ledger_changed:{node.id}",
    )
