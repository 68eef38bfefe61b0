"""Mutations of the assessment workflow: cycles, the unit's entries, evidence and submission."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry
from sqlalchemy.orm import Session
from strawberry import relay
from strawberry.file_uploads import Upload

from redline.errors import DomainError, ErrorCode, Problem
from scoring.assessments import attachments, cycles
from scoring.assessments import entries as entry_service
from scoring.assessments.models import Assessment as AssessmentModel
from scoring.assessments.models import Attachment as AttachmentModel
from scoring.assessments.models import Cycle as CycleModel
from scoring.assessments.models import Entry as EntryModel
from scoring.templates.models import Template as TemplateModel
from tenants.access import Actor
from tenants.models import TenantNode

from ..context import Info
from ..errors import UserError, user_errors
from ..mutations import cap, evidence_store, get, renamed, run
from ..tenants.types import TenantLevelEnum
from .types import Assessment, Attachment, Cycle


@strawberry.type
class CyclePayload:
    cycle: Cycle | None
    errors: list[UserError]


@strawberry.type
class AssessmentPayload:
    assessment: Assessment | None
    errors: list[UserError]


@strawberry.type
class EvidencePayload:
    attachment: Attachment | None
    assessment: Assessment | None
    errors: list[UserError]


@strawberry.type
class RemoveEvidencePayload:
    removed_id: relay.GlobalID | None
    assessment: Assessment | None
    errors: list[UserError]


def assessment_payload(result: AssessmentModel | DomainError) -> AssessmentPayload:
    if isinstance(result, DomainError):
        return AssessmentPayload(assessment=None, errors=user_errors(result))
    return AssessmentPayload(assessment=Assessment.from_model(result), errors=[])


def _cycle_payload(result: CycleModel | DomainError) -> CyclePayload:
    if isinstance(result, DomainError):
        return CyclePayload(cycle=None, errors=user_errors(result))
    return CyclePayload(cycle=Cycle.from_model(result), errors=[])


@strawberry.input(
    description="Open a cycle: a published template over the units of `level` below "
    "`ownerNodeId` (one assessment each), for a period, with deadlines."
)
class OpenCycleInput:
    template_id: relay.GlobalID
    owner_node_id: relay.GlobalID
    name: str
    level: TenantLevelEnum  # type: ignore[valid-type]
    period_start: date
    period_end: date
    self_due: datetime = strawberry.field(description="With its time zone.")
    review_due: datetime


@strawberry.input
class CloseCycleInput:
    cycle_id: relay.GlobalID


@strawberry.input(description="How many times a deduction clause's fact occurred.")
class ClauseCountInput:
    key: str
    count: int


@strawberry.input(
    description="The unit's whole entry for one indicator, as its form row shows it: give "
    "only the field the indicator's method reads (points: MANUAL, BONUS; value: RATIO, TIERS; "
    "done: BOOLEAN; counts: DEDUCTION). A field left out is cleared."
)
class EntryInput:
    item_code: str
    value: Decimal | None = None
    done: bool | None = None
    points: Decimal | None = None
    counts: list[ClauseCountInput] | None = None
    not_applicable: bool = False
    not_applicable_reason: str | None = None
    note: str | None = None


@strawberry.input
class SaveEntriesInput:
    assessment_id: relay.GlobalID
    expected_version: int = strawberry.field(description="The assessment's version you read.")
    entries: list[EntryInput]


@strawberry.input(description="Attach an evidence file (multipart upload) to an indicator.")
class UploadEvidenceInput:
    assessment_id: relay.GlobalID
    item_code: str
    file: Upload


@strawberry.input
class RemoveEvidenceInput:
    attachment_id: relay.GlobalID


@strawberry.input
class SubmitAssessmentInput:
    assessment_id: relay.GlobalID
    expected_version: int


def _entry(index: int, data: EntryInput, problems: list[Problem]) -> entry_service.EntryInput:
    counts: dict[str, int] | None = None
    if data.counts is not None:
        cap(data.counts, entry_service.MAX_ENTRIES, f"entries[{index}].counts")
        counts = {}
        for count in data.counts:
            if count.key in counts:
                problems.append(
                    Problem(
                        f"entries[{index}].counts",
                        f"clause {count.key!r} is counted twice",
                        ErrorCode.DUPLICATE,
                    )
                )
            counts[count.key] = count.count
    return entry_service.EntryInput(
        item_code=data.item_code,
        value=data.value,
        done=data.done,
        points=data.points,
        counts=counts,
        not_applicable=data.not_applicable,
        not_applicable_reason=data.not_applicable_reason,
        note=data.note,
    )


@strawberry.type
class CycleMutations:
    @strawberry.mutation(
        description="Open a cycle with one draft assessment per participating unit."
    )
    def open_cycle(self, info: Info, input: OpenCycleInput) -> CyclePayload:
        def action(session: Session, actor: Actor) -> CycleModel:
            template = get(session, TemplateModel, input.template_id, "Template", "templateId")
            owner = get(session, TenantNode, input.owner_node_id, "Tenant", "ownerNodeId")
            return cycles.open_cycle(
                session,
                actor,
                template=template,
                owner_node=owner,
                name=input.name,
                level=input.level,
                period_start=input.period_start,
                period_end=input.period_end,
                self_due=input.self_due,
                review_due=input.review_due,
            )

        return _cycle_payload(run(info, action))

    @strawberry.mutation(description="Close a cycle whose assessments are all final.")
    def close_cycle(self, info: Info, input: CloseCycleInput) -> CyclePayload:
        def action(session: Session, actor: Actor) -> CycleModel:
            cycle = get(session, CycleModel, input.cycle_id, "Cycle", "cycleId")
            return cycles.close_cycle(session, actor, cycle)

        return _cycle_payload(run(info, action))


@strawberry.type
class AssessmentMutations:
    @strawberry.mutation(
        description="Save the unit's entries (any time before submission, or after a return)."
    )
    def save_entries(self, info: Info, input: SaveEntriesInput) -> AssessmentPayload:
        def action(session: Session, actor: Actor) -> AssessmentModel:
            cap(input.entries, entry_service.MAX_ENTRIES, "entries")
            assessment = get(
                session, AssessmentModel, input.assessment_id, "Assessment", "assessmentId"
            )
            problems: list[Problem] = []
            entries = [_entry(i, e, problems) for i, e in enumerate(input.entries)]
            if problems:
                raise DomainError(problems)
            return entry_service.save_entries(
                session, actor, assessment, entries, expected_version=input.expected_version
            )

        return assessment_payload(run(info, action))

    @strawberry.mutation(
        description="Attach an evidence file to an indicator's entry (size and type limited)."
    )
    def upload_evidence(self, info: Info, input: UploadEvidenceInput) -> EvidencePayload:
        settings = info.context.settings
        # One byte more than allowed is enough for the service to say it is too large.
        data = input.file.read(settings.attachment_max_bytes + 1)

        def action(session: Session, actor: Actor) -> tuple[AttachmentModel, AssessmentModel]:
            assessment = get(
                session, AssessmentModel, input.assessment_id, "Assessment", "assessmentId"
            )
            attachment = attachments.add_attachment(
                session,
                actor,
                assessment,
                input.item_code,
                filename=input.file.filename or "",
                content_type=input.file.content_type or "",
                data=data,
                store=evidence_store(info),
                settings=settings,
            )
            return attachment, assessment

        result = run(info, action)
        if isinstance(result, DomainError):
            return EvidencePayload(attachment=None, assessment=None, errors=user_errors(result))
        attachment, assessment = result
        return EvidencePayload(
            attachment=Attachment.from_model(attachment),
            assessment=Assessment.from_model(assessment),
            errors=[],
        )

    @strawberry.mutation(description="Remove an evidence file from its entry.")
    def remove_evidence(self, info: Info, input: RemoveEvidenceInput) -> RemoveEvidencePayload:
        def action(session: Session, actor: Actor) -> AssessmentModel:
            attachment = get(
                session, AttachmentModel, input.attachment_id, "Attachment", "attachmentId"
            )
            entry = session.get_one(EntryModel, attachment.entry_id)
            assessment = session.get_one(AssessmentModel, entry.assessment_id)
            try:
                attachments.remove_attachment(
                    session, actor, attachment, store=evidence_store(info)
                )
            except DomainError as exc:
                raise renamed(exc, {"assessmentId": "attachmentId"}) from None
            return assessment

        result = run(info, action)
        if isinstance(result, DomainError):
            return RemoveEvidencePayload(
                removed_id=None, assessment=None, errors=user_errors(result)
            )
        return RemoveEvidencePayload(
            removed_id=input.attachment_id, assessment=Assessment.from_model(result), errors=[]
        )

    @strawberry.mutation(
        description="Hand the self-assessment to the reviewer; refused with one error per "
        "required indicator left empty. Late after the cycle's selfDue."
    )
    def submit_assessment(self, info: Info, input: SubmitAssessmentInput) -> AssessmentPayload:
        def action(session: Session, actor: Actor) -> AssessmentModel:
            assessment = get(
                session, AssessmentModel, input.assessment_id, "Assessment", "assessmentId"
            )
            return entry_service.submit(
                session, actor, assessment, expected_version=input.expected_version
            )

        return assessment_payload(run(info, action))
