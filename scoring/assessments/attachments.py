"""Evidence attached to an assessment's entries: uploaded by the unit while it may edit (or with
an appeal while it waits), kept by content (SHA-256), removed with its history recorded."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from redline.config import Settings
from redline.errors import DomainError, ErrorCode, Problem, fail
from scoring.assessments import audit
from scoring.assessments.appeals import appeal_context
from scoring.assessments.entries import unit_context
from scoring.assessments.models import (
    Appeal,
    Assessment,
    Attachment,
    Entry,
)
from scoring.assessments.scorecards import (
    load_template_of,
)
from scoring.assessments.workflow import indicator_problem, new_entry
from scoring.evidence import EvidenceStore, check_upload, clean_filename, delete_after_commit
from scoring.evidence import media_type as declared_type
from scoring.templates.models import TemplateItem
from tenants.access import Actor, user_id_of

# --- evidence --------------------------------------------------------------------------------


def add_attachment(
    session: Session,
    actor: Actor | None,
    assessment: Assessment,
    item_code: str,
    *,
    filename: str,
    content_type: str,
    data: bytes,
    store: EvidenceStore,
    settings: Settings | None = None,
    appeal: Appeal | None = None,
) -> Attachment:
    """Attach an evidence file to the unit's entry of an indicator (stored once per content),
    or, given an ``appeal`` waiting for a decision, to the appeal on its indicator.

    ``settings`` gives the size and type limits (the environment's when not given).
    """
    if appeal is None:
        _, cycle = unit_context(session, actor, assessment, "attaching evidence")
    else:
        cycle = appeal_context(session, actor, appeal)
        item_code = session.get_one(TemplateItem, appeal.item_id).code
    settings = settings or Settings.from_env()
    loaded = load_template_of(session, cycle.template_id)
    problems: list[Problem] = []
    found = indicator_problem(loaded, item_code, "itemCode")
    if isinstance(found, Problem):
        problems.append(found)
    problems.extend(check_upload(filename, content_type, data, settings))
    if problems:
        raise DomainError(problems)
    assert isinstance(found, TemplateItem)
    item = found

    # The file goes first: a row never names bytes that are not stored. A file whose row is
    # then rolled back is harmless, and is reused by the next upload of the same bytes.
    sha256 = store.put(data)
    entry = session.scalars(
        select(Entry).where(Entry.assessment_id == assessment.id, Entry.item_id == item.id)
    ).one_or_none()
    session.flush()
    try:
        with session.begin_nested():
            if entry is None:
                entry = new_entry(assessment, item)
                session.add(entry)
                session.flush()
            attachment = Attachment(
                customer_id=assessment.customer_id,
                node_id=assessment.node_id,
                entry_id=entry.id,
                appeal_id=appeal.id if appeal is not None else None,
                filename=clean_filename(filename),
                content_type=declared_type(content_type),
                size=len(data),
                sha256=sha256,
                uploaded_by_id=user_id_of(actor),
            )
            session.add(attachment)
            audit.record(
                session,
                assessment,
                actor,
                action="attachment",
                item_code=item.code,
                field="appeal file" if appeal is not None else "file",
                new=f"{attachment.filename} ({sha256})",
            )
            session.flush()
    except IntegrityError:
        raise fail(
            "itemCode",
            "the entry was created by someone else at the same time: try again",
            ErrorCode.CONFLICT,
        ) from None
    return attachment


def remove_attachment(
    session: Session,
    actor: Actor | None,
    attachment: Attachment,
    *,
    store: EvidenceStore | None = None,
) -> None:
    """Remove an evidence file from an entry (same rules as adding one).

    With ``store``, the file itself is deleted after the commit unless another row (of any
    unit) still refers to the same content.
    """
    entry = session.get_one(Entry, attachment.entry_id)
    assessment = session.get_one(Assessment, entry.assessment_id)
    if attachment.appeal_id is None:
        unit_context(session, actor, assessment, "removing evidence", field="attachmentId")
    else:
        appeal_context(
            session, actor, session.get_one(Appeal, attachment.appeal_id), "attachmentId"
        )
    item = session.get_one(TemplateItem, entry.item_id)
    session.flush()
    with session.begin_nested():
        audit.record(
            session,
            assessment,
            actor,
            action="attachment",
            item_code=item.code,
            field="appeal file" if attachment.appeal_id is not None else "file",
            old=f"{attachment.filename} ({attachment.sha256})",
        )
        session.delete(attachment)
        session.flush()
    if store is not None:
        delete_after_commit(session, store, attachment.sha256)
