"""The history of ledger rows: one event per recorded change or step, with its evidence files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from redline.config import Settings
from redline.db import utcnow
from redline.errors import ErrorCode, Problem
from scoring.evidence import EvidenceStore, check_upload, clean_filename, media_type
from scoring.inputs import as_text
from scoring.ledgers.models import LedgerAttachment, LedgerEvent, LedgerSubject
from tenants.access import Actor, user_id_of
from tenants.models import NodeOwned

HISTORY_MAX = 500
FILES_MAX = 20  # per step
NOTE_MAX = 4000


class Subject(NamedTuple):
    """A new ledger row as :func:`record_many` needs it."""

    customer_id: int
    node_id: int
    id: int


@dataclass(frozen=True)
class EvidenceFile:
    """An uploaded evidence file, as the API hands it to a ledger service."""

    filename: str
    content_type: str
    data: bytes


def file_problems(
    files: Sequence[EvidenceFile], settings: Settings, field: str = "files"
) -> list[Problem]:
    """Every problem with a step's files (count, names, sizes, types), each naming its file."""
    if len(files) > FILES_MAX:
        return [Problem(field, f"at most {FILES_MAX} files per step", ErrorCode.TOO_LARGE)]
    problems = []
    for index, file in enumerate(files):
        for problem in check_upload(file.filename, file.content_type, file.data, settings):
            problems.append(Problem(f"{field}.{index}", problem.message, problem.code))
    return problems


def note_problem(note: str | None, field: str = "note", *, required: bool = True) -> Problem | None:
    """The problem with a step's note (its evidence statement or reason), if any."""
    text = (note or "").strip()
    if required and not text:
        return Problem(field, "say what was done (the evidence of this step)", ErrorCode.REQUIRED)
    if len(text) > NOTE_MAX:
        return Problem(field, f"at most {NOTE_MAX} characters", ErrorCode.INVALID)
    return None


def record(
    session: Session,
    row: NodeOwned,
    subject: LedgerSubject,
    actor: Actor | None,
    *,
    action: str,
    field: str | None = None,
    old: object = None,
    new: object = None,
    note: str | None = None,
    at: datetime | None = None,
) -> LedgerEvent:
    """Add one history event for a ledger ``row`` (flushed, so files can hang off it)."""
    event = LedgerEvent(
        customer_id=row.customer_id,
        node_id=row.node_id,
        subject=subject,
        subject_id=row.id,  # type: ignore[attr-defined]
        actor_id=user_id_of(actor),
        action=action,
        field=field,
        old=as_text(old),
        new=as_text(new),
        note=(note or "").strip() or None,
        at=at or utcnow(),
    )
    session.add(event)
    session.flush()
    return event


def record_many(
    session: Session,
    rows: Sequence[Subject],
    subject: LedgerSubject,
    actor: Actor | None,
    *,
    action: str,
    at: datetime,
) -> None:
    """One ``action`` event for each of many rows, in one statement: a plan's hundreds of task
    elements, a year's statements. (No files hang off these; :func:`record` flushes each event,
    which a scoped session pays for with a query per event.)"""
    if rows:
        session.execute(
            insert(LedgerEvent),
            [
                {
                    "customer_id": row.customer_id,
                    "node_id": row.node_id,
                    "subject": subject,
                    "subject_id": row.id,
                    "actor_id": user_id_of(actor),
                    "action": action,
                    "at": at,
                }
                for row in rows
            ],
        )


def attach(
    session: Session,
    event: LedgerEvent,
    files: Sequence[EvidenceFile],
    store: EvidenceStore,
    actor: Actor | None,
) -> list[LedgerAttachment]:
    """Store ``files`` (checked already with :func:`file_problems`) as the event's evidence."""
    attachments = []
    for file in files:
        sha256 = store.put(file.data)  # the bytes first: a row never names missing bytes
        attachment = LedgerAttachment(
            customer_id=event.customer_id,
            node_id=event.node_id,
            event_id=event.id,
            filename=clean_filename(file.filename),
            content_type=media_type(file.content_type),
            size=len(file.data),
            sha256=sha256,
            uploaded_by_id=user_id_of(actor),
            created_at=event.at,
        )
        session.add(attachment)
        attachments.append(attachment)
    return attachments


def history(
    session: Session,
    subject: LedgerSubject,
    subject_id: int,
    *,
    after_id: int | None = None,
    limit: int = 100,
) -> list[LedgerEvent]:
    """Up to ``limit`` events of one ledger row after ``after_id``, oldest first."""
    limit = max(1, min(limit, HISTORY_MAX))
    query = select(LedgerEvent).where(
        LedgerEvent.subject == subject, LedgerEvent.subject_id == subject_id
    )
    if after_id is not None:
        query = query.where(LedgerEvent.id > after_id)
    return list(session.scalars(query.order_by(LedgerEvent.id).limit(limit)))
