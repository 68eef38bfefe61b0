"""Mutations of the assessments area: cycles; the unit's entries, evidence and submission; the
reviewer's adjustments, spot checks and vetoes; appeals; the office's finalisation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import strawberry
from sqlalchemy.orm import Session
from strawberry import relay
from strawberry.file_uploads import Upload

from redline.errors import DomainError
from redline.scanning import require_clean
from scoring.assessments import appeals, attachments, cycles, excel, groups, models, review
from scoring.assessments import entries as entry_service
from scoring.followup import appeal_notices
from tenants.access import Actor

from ..core.context import Info
from ..core.errors import UserError
from ..core.ids import database_id
from ..core.mutations import (
    as_is,
    cap,
    errors_field,
    evidence_store,
    get,
    mutate,
    renamed,
    upload_limit,
)
from ..templates.types import Template
from ..tenants.types import Tenant
from .inputs import (
    AddSpotCheckInput,
    CloseCycleInput,
    CompleteReviewInput,
    DecideAppealInput,
    FileAppealInput,
    FinaliseAssessmentInput,
    ImportSelfAssessmentInput,
    OpenCycleInput,
    RaiseVetoInput,
    RemoveEvidenceInput,
    ReturnAssessmentInput,
    ReviewEntriesInput,
    SaveEntriesInput,
    SetAppealWindowInput,
    SetCycleGroupsInput,
    SubmitAssessmentInput,
    UploadAppealEvidenceInput,
    UploadEvidenceInput,
    WithdrawVetoInput,
    entries_of,
)
from .types import Appeal, Assessment, Attachment, Cycle, SpotCheck, VetoFlag

# What a payload's assessment is after the change.
AS_IT_STANDS = "Its assessment as it now stands (version, state, scores); null when refused."


@strawberry.type(description="What a cycle's mutation answers: the cycle, or the refusal.")
class CyclePayload:
    cycle: Cycle | None = strawberry.field(
        default=None, description="The cycle as it now stands; null when refused."
    )
    errors: list[UserError] = errors_field()


@strawberry.type(
    description="What a change to an assessment answers: the assessment, or the refusal."
)
class AssessmentPayload:
    assessment: Assessment | None = strawberry.field(
        default=None,
        description="The assessment as it now stands (version, state, scores); null when refused.",
    )
    errors: list[UserError] = errors_field()


@strawberry.type(
    description="What filing or deciding an appeal answers: the appeal and its assessment, or "
    "the refusal."
)
class AppealPayload:
    appeal: Appeal | None = strawberry.field(
        default=None, description="The appeal as it now stands; null when refused."
    )
    assessment: Assessment | None = strawberry.field(default=None, description=AS_IT_STANDS)
    errors: list[UserError] = errors_field()


@strawberry.type(
    description="What an evidence upload answers: the file kept and its assessment, or the refusal."
)
class EvidencePayload:
    attachment: Attachment | None = strawberry.field(
        default=None, description="The evidence file kept; null when refused."
    )
    assessment: Assessment | None = strawberry.field(default=None, description=AS_IT_STANDS)
    errors: list[UserError] = errors_field()


@strawberry.type(
    description="What removeEvidence answers: the removed file's id and its assessment, or the "
    "refusal."
)
class RemoveEvidencePayload:
    removed_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The id of the Attachment removed; null when refused."
    )
    assessment: Assessment | None = strawberry.field(default=None, description=AS_IT_STANDS)
    errors: list[UserError] = errors_field()


@strawberry.type(
    description="What addSpotCheck answers: the finding and the re-scored assessment, or the "
    "refusal."
)
class SpotCheckPayload:
    spot_check: SpotCheck | None = strawberry.field(
        default=None, description="The finding recorded; null when refused."
    )
    assessment: Assessment | None = strawberry.field(default=None, description=AS_IT_STANDS)
    errors: list[UserError] = errors_field()


@strawberry.type(
    description="What raising or withdrawing a veto or yellow card answers: the flag and the "
    "re-scored assessment, or the refusal."
)
class VetoPayload:
    veto_flag: VetoFlag | None = strawberry.field(
        default=None, description="The flag as it now stands; null when refused."
    )
    assessment: Assessment | None = strawberry.field(default=None, description=AS_IT_STANDS)
    errors: list[UserError] = errors_field()


def _assessment(session: Session, global_id: relay.GlobalID) -> models.Assessment:
    return get(session, Assessment, global_id, "assessmentId")


def _raised(
    info: Info,
    input: RaiseVetoInput,
    raise_: Callable[..., models.VetoFlag],
) -> VetoPayload:
    """A rule raised by hand on the input's assessment, by ``raise_`` (an ordinary or a late
    veto): the flag and the assessment, or the refusal."""

    def action(session: Session, actor: Actor) -> tuple[models.VetoFlag, models.Assessment]:
        assessment = _assessment(session, input.assessment_id)
        flag = raise_(
            session,
            actor,
            assessment,
            rule_code=input.rule_code,
            reason=input.reason,
            evidence=input.evidence,
        )
        return flag, assessment

    return mutate(
        info, action, VetoPayload, veto_flag=VetoFlag.from_model, assessment=Assessment.from_model
    )


def _attach(
    info: Info,
    session: Session,
    actor: Actor,
    assessment: models.Assessment,
    item_code: str,
    file: Upload,
    data: bytes,
    appeal: models.Appeal | None = None,
) -> tuple[models.Attachment, models.Assessment]:
    """An uploaded evidence file kept on an indicator's entry (or on a waiting appeal)."""
    attachment = attachments.add_attachment(
        session,
        actor,
        assessment,
        item_code,
        filename=file.filename or "",
        content_type=file.content_type or "",
        data=data,
        store=evidence_store(info),
        settings=info.context.settings,
        appeal=appeal,
    )
    return attachment, assessment


@strawberry.type
class AssessmentMutations:
    # --- cycles (the office running them) -------------------------------------------------

    @strawberry.mutation(
        description="Open a cycle with one draft assessment per participating unit."
    )
    def open_cycle(
        self,
        info: Info,
        input: Annotated[
            OpenCycleInput,
            strawberry.argument(
                description="The template, owner, level, period, deadlines and units."
            ),
        ],
    ) -> CyclePayload:
        def action(session: Session, actor: Actor) -> models.Cycle:
            template = get(session, Template, input.template_id, "templateId")
            owner = get(session, Tenant, input.owner_node_id, "ownerNodeId")
            cap(input.unit_ids, cycles.MAX_CHOSEN_UNITS, "unitIds")
            units = [
                get(session, Tenant, unit_id, f"unitIds[{index}]")
                for index, unit_id in enumerate(input.unit_ids or ())
            ]
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
                kinds=tuple(input.kinds or ()),
                units=units,
                appeal_due=input.appeal_due,
            )

        return mutate(info, action, CyclePayload, cycle=Cycle.from_model)

    @strawberry.mutation(description="Close a cycle whose assessments are all final.")
    def close_cycle(
        self,
        info: Info,
        input: Annotated[CloseCycleInput, strawberry.argument(description="The cycle to close.")],
    ) -> CyclePayload:
        def action(session: Session, actor: Actor) -> models.Cycle:
            cycle = get(session, Cycle, input.cycle_id, "cycleId")
            return cycles.close_cycle(session, actor, cycle)

        return mutate(info, action, CyclePayload, cycle=Cycle.from_model)

    @strawberry.mutation(
        description="Open, move or close a cycle's appeal window (the office running it)."
    )
    def set_appeal_window(
        self,
        info: Info,
        input: Annotated[
            SetAppealWindowInput,
            strawberry.argument(description="The cycle and its new appeal deadline."),
        ],
    ) -> CyclePayload:
        def action(session: Session, actor: Actor) -> models.Cycle:
            cycle = get(session, Cycle, input.cycle_id, "cycleId")
            return appeals.set_appeal_window(session, actor, cycle, input.appeal_due)

        return mutate(info, action, CyclePayload, cycle=Cycle.from_model)

    @strawberry.mutation(
        description="Split a cycle's units into assessment groups (分类考核), each ranked, "
        "commended and (with thresholds of its own) graded within itself (the office running "
        "the cycle; until a result is final). Every assessment is scored again."
    )
    def set_cycle_groups(
        self,
        info: Info,
        input: Annotated[
            SetCycleGroupsInput,
            strawberry.argument(description="The cycle and its groups in ranking order."),
        ],
    ) -> CyclePayload:
        def action(session: Session, actor: Actor) -> models.Cycle:
            cycle = get(session, Cycle, input.cycle_id, "cycleId")
            cap(input.groups, groups.MAX_GROUPS, "groups")
            given = [
                groups.GroupInput(
                    code=group.code,
                    name=group.name,
                    unit_ids=tuple(
                        database_id(unit_id, "Tenant", f"groups[{index}].unitIds")
                        for unit_id in group.unit_ids[: cycles.MAX_CHOSEN_UNITS]
                    ),
                    grade_excellent=group.grade_excellent,
                    grade_good=group.grade_good,
                    grade_qualified=group.grade_qualified,
                    commendation_quota=group.commendation_quota,
                )
                for index, group in enumerate(input.groups)
            ]
            groups.set_groups(session, actor, cycle, given)
            return cycle

        return mutate(info, action, CyclePayload, cycle=Cycle.from_model)

    # --- the unit's self-assessment --------------------------------------------------------

    @strawberry.mutation(
        description="Save the unit's entries (any time before submission, or after a return)."
    )
    def save_entries(
        self,
        info: Info,
        input: Annotated[
            SaveEntriesInput,
            strawberry.argument(description="The assessment, the version you read, the entries."),
        ],
    ) -> AssessmentPayload:
        def action(session: Session, actor: Actor) -> models.Assessment:
            cap(input.entries, entry_service.MAX_ENTRIES, "entries")
            assessment = _assessment(session, input.assessment_id)
            entries = entries_of(input.entries)
            return entry_service.save_entries(
                session, actor, assessment, entries, expected_version=input.expected_version
            )

        return mutate(info, action, AssessmentPayload, assessment=Assessment.from_model)

    @strawberry.mutation(
        description="Save the unit's entries from its self-assessment workbook (the one "
        "/files/assessments/<id>/self-assessment.xlsx downloads, filled in); nothing is saved "
        "when any cell is wrong, a workbook of another template or assessment, or downloaded "
        "before a later save (CONFLICT)."
    )
    def import_self_assessment(
        self,
        info: Info,
        input: Annotated[
            ImportSelfAssessmentInput,
            strawberry.argument(description="The assessment, the version you read, the workbook."),
        ],
    ) -> AssessmentPayload:
        # One byte more than allowed is enough for the reader to say it is too large.
        data = input.file.read(excel.MAX_BYTES + 1)

        def action(session: Session, actor: Actor) -> models.Assessment:
            require_clean(data, input.file.filename or "", "file", info.context.settings)
            assessment = _assessment(session, input.assessment_id)
            return excel.import_self_assessment(
                session, actor, assessment, data, expected_version=input.expected_version
            )

        return mutate(info, action, AssessmentPayload, assessment=Assessment.from_model)

    @strawberry.mutation(
        description="Attach an evidence file to an indicator's entry (size and type limited)."
    )
    def upload_evidence(
        self,
        info: Info,
        input: Annotated[
            UploadEvidenceInput,
            strawberry.argument(description="The assessment, the indicator and the file."),
        ],
    ) -> EvidencePayload:
        data = input.file.read(upload_limit(info))

        def action(session: Session, actor: Actor) -> tuple[models.Attachment, models.Assessment]:
            assessment = _assessment(session, input.assessment_id)
            return _attach(info, session, actor, assessment, input.item_code, input.file, data)

        return mutate(
            info,
            action,
            EvidencePayload,
            attachment=Attachment.from_model,
            assessment=Assessment.from_model,
        )

    @strawberry.mutation(description="Remove an evidence file from its entry.")
    def remove_evidence(
        self,
        info: Info,
        input: Annotated[
            RemoveEvidenceInput, strawberry.argument(description="The evidence file to remove.")
        ],
    ) -> RemoveEvidencePayload:
        def action(session: Session, actor: Actor) -> tuple[relay.GlobalID, models.Assessment]:
            attachment = get(session, Attachment, input.attachment_id, "attachmentId")
            entry = session.get_one(models.Entry, attachment.entry_id)
            assessment = session.get_one(models.Assessment, entry.assessment_id)
            try:
                attachments.remove_attachment(
                    session, actor, attachment, store=evidence_store(info)
                )
            except DomainError as exc:
                raise renamed(exc, {"assessmentId": "attachmentId"}) from None
            return input.attachment_id, assessment

        return mutate(
            info, action, RemoveEvidencePayload, removed_id=as_is, assessment=Assessment.from_model
        )

    @strawberry.mutation(
        description="Hand the self-assessment to the reviewer; refused with one error per "
        "required indicator left empty. Late after the cycle's selfDue."
    )
    def submit_assessment(
        self,
        info: Info,
        input: Annotated[
            SubmitAssessmentInput,
            strawberry.argument(description="The assessment and the version you read."),
        ],
    ) -> AssessmentPayload:
        def action(session: Session, actor: Actor) -> models.Assessment:
            return entry_service.submit(
                session,
                actor,
                _assessment(session, input.assessment_id),
                expected_version=input.expected_version,
            )

        return mutate(info, action, AssessmentPayload, assessment=Assessment.from_model)

    # --- the review (an assessor above the unit) and finalisation -------------------------

    @strawberry.mutation(
        description="Confirm or adjust entries of a submitted assessment (adjusting needs a "
        "reason); the unit's self score stays as it was."
    )
    def review_entries(
        self,
        info: Info,
        input: Annotated[
            ReviewEntriesInput,
            strawberry.argument(description="The assessment, the version you read, the reviews."),
        ],
    ) -> AssessmentPayload:
        def action(session: Session, actor: Actor) -> models.Assessment:
            cap(input.reviews, entry_service.MAX_ENTRIES, "reviews")
            assessment = _assessment(session, input.assessment_id)
            return review.review_entries(
                session,
                actor,
                assessment,
                [r.as_input() for r in input.reviews],
                expected_version=input.expected_version,
            )

        return mutate(info, action, AssessmentPayload, assessment=Assessment.from_model)

    @strawberry.mutation(description="Send a submitted assessment back to the unit.")
    def return_assessment(
        self,
        info: Info,
        input: Annotated[
            ReturnAssessmentInput,
            strawberry.argument(description="The assessment, the version you read, and why."),
        ],
    ) -> AssessmentPayload:
        def action(session: Session, actor: Actor) -> models.Assessment:
            return review.return_assessment(
                session,
                actor,
                _assessment(session, input.assessment_id),
                reason=input.reason,
                expected_version=input.expected_version,
            )

        return mutate(info, action, AssessmentPayload, assessment=Assessment.from_model)

    @strawberry.mutation(description="Close the review: submitted/resubmitted -> reviewed.")
    def complete_review(
        self,
        info: Info,
        input: Annotated[
            CompleteReviewInput,
            strawberry.argument(description="The assessment and the version you read."),
        ],
    ) -> AssessmentPayload:
        def action(session: Session, actor: Actor) -> models.Assessment:
            return review.complete_review(
                session,
                actor,
                _assessment(session, input.assessment_id),
                expected_version=input.expected_version,
            )

        return mutate(info, action, AssessmentPayload, assessment=Assessment.from_model)

    @strawberry.mutation(description="Publish a reviewed assessment's result: -> final.")
    def finalise_assessment(
        self,
        info: Info,
        input: Annotated[
            FinaliseAssessmentInput, strawberry.argument(description="The reviewed assessment.")
        ],
    ) -> AssessmentPayload:
        def action(session: Session, actor: Actor) -> models.Assessment:
            return review.finalise(session, actor, _assessment(session, input.assessment_id))

        return mutate(info, action, AssessmentPayload, assessment=Assessment.from_model)

    @strawberry.mutation(description="Record a spot-check finding deducting from an indicator.")
    def add_spot_check(
        self,
        info: Info,
        input: Annotated[
            AddSpotCheckInput,
            strawberry.argument(
                description="The assessment, the indicator, the points, the finding."
            ),
        ],
    ) -> SpotCheckPayload:
        def action(
            session: Session, actor: Actor
        ) -> tuple[models.SpotCheckFinding, models.Assessment]:
            assessment = _assessment(session, input.assessment_id)
            finding = review.add_spot_check(
                session,
                actor,
                assessment,
                item_code=input.item_code,
                points=input.points,
                finding=input.finding,
                checked_on=input.checked_on,
                hazard=input.hazard.as_input() if input.hazard is not None else None,
            )
            return finding, assessment

        return mutate(
            info,
            action,
            SpotCheckPayload,
            spot_check=SpotCheck.from_model,
            assessment=Assessment.from_model,
        )

    @strawberry.mutation(description="Raise a one-ticket veto with its reason and evidence.")
    def raise_veto(
        self,
        info: Info,
        input: Annotated[
            RaiseVetoInput,
            strawberry.argument(
                description="The assessment, the rule, the reason and the evidence."
            ),
        ],
    ) -> VetoPayload:
        return _raised(info, input, review.raise_veto)

    @strawberry.mutation(
        description="Veto a final result by what came to light afterwards (a concealed accident "
        "found out), where the cycle's template lets a final result be reopened "
        "(consequences.retroactiveYears after its period): for the office that ran the cycle, "
        "by a veto rule raised by hand, with reason and evidence. The result is scored again, "
        "the cycle's rankings are republished as a new version (rankingChanges shows what "
        "moved, and whose commendation to withdraw) and its consequences register follows."
    )
    def raise_retroactive_veto(
        self,
        info: Info,
        input: Annotated[
            RaiseVetoInput,
            strawberry.argument(
                description="The final assessment, the rule, the reason, the evidence."
            ),
        ],
    ) -> VetoPayload:
        return _raised(info, input, review.raise_retroactive_veto)

    @strawberry.mutation(description="Withdraw a veto, saying why.")
    def withdraw_veto(
        self,
        info: Info,
        input: Annotated[
            WithdrawVetoInput, strawberry.argument(description="The flag and why it is withdrawn.")
        ],
    ) -> VetoPayload:
        def action(session: Session, actor: Actor) -> tuple[models.VetoFlag, models.Assessment]:
            flag = get(session, VetoFlag, input.veto_flag_id, "vetoFlagId")
            try:
                withdrawn = review.withdraw_veto(session, actor, flag, reason=input.reason)
            except DomainError as exc:
                raise renamed(exc, {"assessmentId": "vetoFlagId"}) from None
            return withdrawn, session.get_one(models.Assessment, flag.assessment_id)

        return mutate(
            info,
            action,
            VetoPayload,
            veto_flag=VetoFlag.from_model,
            assessment=Assessment.from_model,
        )

    # --- appeals ---------------------------------------------------------------------------

    @strawberry.mutation(
        description="Appeal the reviewed points on an indicator, saying why (the unit, before "
        "the cycle's appealDue); one waiting appeal per indicator."
    )
    def file_appeal(
        self,
        info: Info,
        input: Annotated[
            FileAppealInput,
            strawberry.argument(description="The assessment, the indicator and why."),
        ],
    ) -> AppealPayload:
        def action(session: Session, actor: Actor) -> tuple[models.Appeal, models.Assessment]:
            assessment = _assessment(session, input.assessment_id)
            try:
                appeal = appeals.file_appeal(
                    session, actor, assessment, item_code=input.item_code, reason=input.reason
                )
            except DomainError as exc:  # a writer at the same moment: no version was sent
                raise renamed(exc, {"expectedVersion": "assessmentId"}) from None
            appeal_notices.ask_for_notice(session, appeal, appeal_notices.AppealEvent.FILED)
            return appeal, assessment

        return mutate(
            info, action, AppealPayload, appeal=Appeal.from_model, assessment=Assessment.from_model
        )

    @strawberry.mutation(description="Attach an evidence file to an appeal waiting for a decision.")
    def upload_appeal_evidence(
        self,
        info: Info,
        input: Annotated[
            UploadAppealEvidenceInput,
            strawberry.argument(description="The waiting appeal and the file."),
        ],
    ) -> EvidencePayload:
        data = input.file.read(upload_limit(info))

        def action(session: Session, actor: Actor) -> tuple[models.Attachment, models.Assessment]:
            appeal = get(session, Appeal, input.appeal_id, "appealId")
            assessment = session.get_one(models.Assessment, appeal.assessment_id)
            return _attach(info, session, actor, assessment, "", input.file, data, appeal)

        return mutate(
            info,
            action,
            EvidencePayload,
            attachment=Attachment.from_model,
            assessment=Assessment.from_model,
        )

    @strawberry.mutation(
        description="Accept an appeal (setting the indicator's points) or reject it, saying why "
        "(an assessor above the unit)."
    )
    def decide_appeal(
        self,
        info: Info,
        input: Annotated[
            DecideAppealInput, strawberry.argument(description="The appeal, the decision and why.")
        ],
    ) -> AppealPayload:
        def action(session: Session, actor: Actor) -> tuple[models.Appeal, models.Assessment]:
            appeal = get(session, Appeal, input.appeal_id, "appealId")
            try:
                decided = appeals.decide_appeal(
                    session,
                    actor,
                    appeal,
                    accept=input.accept,
                    reason=input.reason,
                    points=input.points,
                )
            except DomainError as exc:  # a writer at the same moment: no version was sent
                raise renamed(exc, {"expectedVersion": "appealId"}) from None
            appeal_notices.ask_for_notice(session, decided, appeal_notices.AppealEvent.DECIDED)
            return decided, session.get_one(models.Assessment, appeal.assessment_id)

        return mutate(
            info, action, AppealPayload, appeal=Appeal.from_model, assessment=Assessment.from_model
        )
