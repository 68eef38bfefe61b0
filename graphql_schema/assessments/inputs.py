"""Inputs of the assessments area's mutations: opening and closing cycles, the unit's entries
and evidence, the reviewer's word, spot-check findings and vetoes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from redline.errors import DomainError, ErrorCode, Problem
from scoring.assessments import entries as entry_service
from scoring.assessments import review

from ..core.enums import HazardSeverity, Sector, TenantKind, TenantLevel
from ..core.mutations import cap

# --- cycles ----------------------------------------------------------------------------------


@strawberry.input(
    description="Open a cycle: a published template over the units of `level` below "
    "`ownerNodeId`, or at its own level over the departments, affiliated units and enterprises "
    "attached to it (one assessment each), for a period, with deadlines."
)
class OpenCycleInput:
    template_id: relay.GlobalID = strawberry.field(
        description="A published template version of the owner or of an office above it."
    )
    owner_node_id: relay.GlobalID = strawberry.field(
        description="The office running the cycle (a Tenant; ADMIN on it needed)."
    )
    name: str = strawberry.field(description="Not blank; up to 200 characters.")
    level: TenantLevel = strawberry.field(
        description="The level of the units assessed: the owner's own or one below it."
    )
    period_start: date = strawberry.field(description="The first day of the period assessed.")
    period_end: date = strawberry.field(
        description="The last day of the period assessed; not before periodStart."
    )
    self_due: datetime = strawberry.field(description="With its time zone.")
    review_due: datetime = strawberry.field(
        description="Reviews completed later are late; with its time zone, not before selfDue."
    )
    kinds: list[TenantKind] | None = strawberry.field(
        default=None,
        description="Only the units of `level` of these kinds (only STREET, only DEPARTMENT); "
        "null: every kind.",
    )
    unit_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None,
        description="Only these units (each of `level`, under the owner, of `kinds` when "
        "given); null: every unit that qualifies. Errors name unitIds[i].",
    )
    appeal_due: datetime | None = strawberry.field(
        default=None,
        description="Reviewed units may appeal until then (with its time zone); null: no "
        "appeals (set it later with setAppealWindow).",
    )


@strawberry.input(description="Close a cycle once every assessment in it is final.")
class CloseCycleInput:
    cycle_id: relay.GlobalID = strawberry.field(
        description="The open cycle (ADMIN on its owner needed)."
    )


# --- the unit's entries and evidence ---------------------------------------------------------


@strawberry.input(description="How many times a deduction clause's fact occurred.")
class ClauseCountInput:
    key: str = strawberry.field(description="A clause key of the indicator's criteria.")
    count: int = strawberry.field(
        description="Occurrences, 0 or more (0: none); a judgement clause: the points it "
        "deducts, at most its points."
    )


@strawberry.input(
    description="The unit's whole entry for one indicator, as its form row shows it: give "
    "only the field the indicator's method reads (points: MANUAL, BONUS; value: RATIO, TIERS; "
    "done: BOOLEAN; counts: DEDUCTION). A field left out is cleared."
)
class EntryInput:
    item_code: str = strawberry.field(
        description="The indicator's code in the cycle's template (2.3); once per request."
    )
    value: Decimal | None = strawberry.field(
        default=None, description="RATIO, TIERS: the unit's figure, 0 or more."
    )
    done: bool | None = strawberry.field(
        default=None, description="BOOLEAN: whether the unit did it."
    )
    points: Decimal | None = strawberry.field(
        default=None, description="MANUAL, BONUS: the points claimed, 0 to the indicator's max."
    )
    counts: list[ClauseCountInput] | None = strawberry.field(
        default=None, description="DEDUCTION: how often each clause's fact occurred."
    )
    not_applicable: bool = strawberry.field(
        default=False,
        description="Claim the indicator does not apply to the unit (缺项); the reviewer "
        "accepts or refuses the claim.",
    )
    not_applicable_reason: str | None = strawberry.field(
        default=None,
        description="Why it does not apply: required with notApplicable; up to 2000 characters.",
    )
    note: str | None = strawberry.field(
        default=None, description="The unit's note (evidence in words); up to 4000 characters."
    )


@strawberry.input(
    description="The unit's entries for some indicators of its draft or returned assessment; "
    "the indicators left out keep what they had."
)
class SaveEntriesInput:
    assessment_id: relay.GlobalID = strawberry.field(
        description="Your unit's assessment (SUBMITTER on the unit needed)."
    )
    expected_version: int = strawberry.field(description="The assessment's version you read.")
    entries: list[EntryInput] = strawberry.field(
        description="At most 500, each indicator once; a changed entry loses the reviewer's word."
    )


@strawberry.input(
    description="The unit's self-assessment in the .xlsx workbook downloaded from "
    "/files/assessments/<id>/self-assessment.xlsx, filled in (multipart upload). Every indicator "
    "row states its whole entry, as saveEntries does. Errors name the field file and the cell: "
    "'自评 Self-assessment!G12: ...'."
)
class ImportSelfAssessmentInput:
    assessment_id: relay.GlobalID = strawberry.field(
        description="The assessment the workbook was downloaded for (draft or returned)."
    )
    expected_version: int = strawberry.field(description="The assessment's version you read.")
    file: Upload = strawberry.field(description="The filled-in .xlsx workbook; at most 10 MiB.")


@strawberry.input(description="Attach an evidence file (multipart upload) to an indicator.")
class UploadEvidenceInput:
    assessment_id: relay.GlobalID = strawberry.field(
        description="Your unit's draft or returned assessment."
    )
    item_code: str = strawberry.field(description="The indicator's code in the cycle's template.")
    file: Upload = strawberry.field(
        description="PDF, JPEG, PNG, Word, Excel, text or zip; at most the server's limit "
        "(10 MiB unless configured otherwise)."
    )


@strawberry.input(
    description="Remove an evidence file: an entry's while the unit may edit it, an appeal's "
    "while the appeal waits."
)
class RemoveEvidenceInput:
    attachment_id: relay.GlobalID = strawberry.field(description="The Attachment to remove.")


@strawberry.input(
    description="Hand a draft or returned self-assessment to the reviewer (SUBMITTER on the unit)."
)
class SubmitAssessmentInput:
    assessment_id: relay.GlobalID = strawberry.field(description="Your unit's assessment.")
    expected_version: int = strawberry.field(description="The assessment's version you read.")


def entries_of(data: list[EntryInput]) -> list[entry_service.EntryInput]:
    """The service's entries from the input; a clause counted twice in one entry is refused
    (every such problem at once)."""
    problems: list[Problem] = []
    entries = [_entry(i, e, problems) for i, e in enumerate(data)]
    if problems:
        raise DomainError(problems)
    return entries


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


# --- the review ------------------------------------------------------------------------------


@strawberry.input(
    description="The reviewer's word on one indicator: confirm it as entered, or adjust it to "
    "`points` with a `reason`. On a claimed N/A, notApplicableConfirmed accepts or refuses it "
    "(refusing needs a reason); left out, confirming accepts it and adjusting refuses it."
)
class ReviewInput:
    item_code: str = strawberry.field(
        description="The indicator's code in the cycle's template; once per request."
    )
    confirm: bool = strawberry.field(
        default=True,
        description="Confirm the indicator as entered; false needs `points`. With `points` "
        "given, the indicator is adjusted whatever this says.",
    )
    points: Decimal | None = strawberry.field(
        default=None,
        description="Adjust the indicator to these points, 0 to its max (needs a reason); null: "
        "confirm it.",
    )
    reason: str | None = strawberry.field(
        default=None,
        description="Why: required to adjust or to refuse a claimed N/A; up to 2000 characters.",
    )
    not_applicable_confirmed: bool | None = strawberry.field(
        default=None,
        description="Only on an indicator the unit marked not applicable: true accepts the "
        "claim, false refuses it; null: as confirm or points decide.",
    )

    def as_input(self) -> review.ReviewInput:
        return review.ReviewInput(
            item_code=self.item_code,
            confirm=self.confirm,
            points=self.points,
            reason=self.reason,
            not_applicable_confirmed=self.not_applicable_confirmed,
        )


@strawberry.input(
    description="The reviewer's word on some indicators of a submitted or resubmitted "
    "assessment (an assessor above the unit, not of it)."
)
class ReviewEntriesInput:
    assessment_id: relay.GlobalID = strawberry.field(description="The assessment under review.")
    expected_version: int = strawberry.field(description="The assessment's version you read.")
    reviews: list[ReviewInput] = strawberry.field(description="At most 500, each indicator once.")


@strawberry.input(description="Send a submitted assessment back to the unit, saying why.")
class ReturnAssessmentInput:
    assessment_id: relay.GlobalID = strawberry.field(
        description="A submitted or resubmitted assessment."
    )
    expected_version: int = strawberry.field(description="The assessment's version you read.")
    reason: str = strawberry.field(
        description="What the unit is to change; not blank, up to 2000 characters."
    )


@strawberry.input(description="Close the review once every indicator is confirmed or adjusted.")
class CompleteReviewInput:
    assessment_id: relay.GlobalID = strawberry.field(description="The assessment under review.")
    expected_version: int = strawberry.field(description="The assessment's version you read.")


@strawberry.input(description="Publish a reviewed result (the office that opened the cycle).")
class FinaliseAssessmentInput:
    assessment_id: relay.GlobalID = strawberry.field(
        description="A reviewed assessment with no appeal waiting or still possible."
    )


@strawberry.input(
    description="The hidden hazard a spot-check finding puts in the unit's ledger: the finding "
    "gives its title and description, the day of the check its foundOn; source SPOT_CHECK."
)
class FindingHazardInput:
    sector: Sector = strawberry.field(description="The industry sector of the hazard.")
    severity: HazardSeverity = strawberry.field(description="GENERAL or MAJOR.")
    deadline: date | None = strawberry.field(description="Rectification deadline.")
    place: str = strawberry.field(default="", description="The enterprise or site.")

    def as_input(self) -> review.FindingHazard:
        return review.FindingHazard(
            sector=self.sector.value,
            severity=self.severity.value,
            deadline=self.deadline,
            place=self.place,
        )


@strawberry.input(description="A 四不两直 spot-check finding deducting from an indicator.")
class AddSpotCheckInput:
    assessment_id: relay.GlobalID = strawberry.field(
        description="A unit's assessment not yet final (an assessor above the unit, not of it)."
    )
    item_code: str = strawberry.field(
        description="The indicator it deducts from (its code in the cycle's template)."
    )
    points: Decimal = strawberry.field(description="Points deducted, above 0.")
    finding: str = strawberry.field(
        description="What the check found; not blank, up to 4000 characters."
    )
    checked_on: date = strawberry.field(description="The day of the check.")
    hazard: FindingHazardInput | None = strawberry.field(
        default=None,
        description="Also record the finding as a hidden hazard of the unit (see `hazards`).",
    )


@strawberry.input(description="Fail the unit by one of the template's veto rules.")
class RaiseVetoInput:
    assessment_id: relay.GlobalID = strawberry.field(
        description="The unit's assessment (an assessor above the unit, not of it)."
    )
    rule_code: str = strawberry.field(
        description="A rule of the cycle's template raised by hand (kind MANUAL), veto or "
        "yellow card, not already in force on the assessment."
    )
    reason: str = strawberry.field(
        description="Why the unit is vetoed or warned; not blank, up to 4000 characters."
    )
    evidence: str = strawberry.field(
        default="", description="What shows it; up to 4000 characters."
    )


@strawberry.input(description="Withdraw a veto (it stays on record as withdrawn).")
class WithdrawVetoInput:
    veto_flag_id: relay.GlobalID = strawberry.field(
        description="The VetoFlag in force, on an assessment not yet final."
    )
    reason: str = strawberry.field(
        description="Why it is withdrawn; not blank, up to 2000 characters."
    )


# --- appeals ---------------------------------------------------------------------------------


@strawberry.input(
    name="AssessmentGroupInput",
    description="A group of a cycle's units (分类考核): its code, name and units, and, if it "
    "has its own, its grade thresholds (every grade the template has) and commendation quota.",
)
class AssessmentGroupInput:
    code: str = strawberry.field(description="Up to 40 characters, unique in the cycle.")
    name: str = strawberry.field(description="Up to 200 characters (一类, 经济发达地区).")
    unit_ids: list[relay.GlobalID] = strawberry.field(
        description="The cycle's units in this group; each unit in exactly one group."
    )
    grade_excellent: Decimal | None = strawberry.field(
        default=None, description="The group's EXCELLENT threshold in points; see gradeQualified."
    )
    grade_good: Decimal | None = strawberry.field(
        default=None, description="The group's GOOD threshold in points; see gradeQualified."
    )
    grade_qualified: Decimal | None = strawberry.field(
        default=None,
        description="With gradeExcellent and gradeGood (the ones the template has): the group's "
        "own thresholds, each in [0, the template's total] and above the next; all null: the "
        "template's.",
    )
    commendation_quota: int | None = strawberry.field(
        default=None,
        description="How many of the group may be commended (0 or more); null: the template's "
        "quota, counted within the group.",
    )


@strawberry.input(
    description="Split a cycle's units into groups (分类考核), replacing the groups it had; an "
    "empty list ranks the cycle as one again. Refused once a result of the cycle is final."
)
class SetCycleGroupsInput:
    cycle_id: relay.GlobalID = strawberry.field(
        description="The open cycle (ADMIN on its owner needed)."
    )
    groups: list[AssessmentGroupInput] = strawberry.field(
        description="At most 20, in ranking order; every unit of the cycle in exactly one."
    )


@strawberry.input(description="Open, move or close (null) a cycle's appeal window.")
class SetAppealWindowInput:
    cycle_id: relay.GlobalID = strawberry.field(
        description="The open cycle (ADMIN on its owner needed)."
    )
    appeal_due: datetime | None = strawberry.field(
        description="With its time zone; null closes the window (refused while an appeal waits)."
    )


@strawberry.input(
    description="The unit appeals its reviewed points on one indicator (a reviewed assessment, "
    "before the cycle's appealDue)."
)
class FileAppealInput:
    assessment_id: relay.GlobalID = strawberry.field(description="Your unit's reviewed assessment.")
    item_code: str = strawberry.field(
        description="The indicator appealed (its code); one waiting appeal per indicator."
    )
    reason: str = strawberry.field(
        description="Why the unit objects; not blank, up to 2000 characters."
    )


@strawberry.input(description="Attach an evidence file (multipart upload) to a waiting appeal.")
class UploadAppealEvidenceInput:
    appeal_id: relay.GlobalID = strawberry.field(description="The Appeal, still OPEN.")
    file: Upload = strawberry.field(
        description="As uploadEvidence takes: PDF, image, Office document, text or zip, within "
        "the server's limit."
    )


@strawberry.input(
    description="The assessor's decision: accept (giving the indicator's points after the "
    "appeal) or reject, saying why either way."
)
class DecideAppealInput:
    appeal_id: relay.GlobalID = strawberry.field(description="The Appeal, still OPEN.")
    accept: bool = strawberry.field(description="True accepts it (give points); false rejects.")
    reason: str = strawberry.field(
        description="Why it is accepted or rejected; not blank, up to 2000 characters."
    )
    points: Decimal | None = strawberry.field(
        default=None, description="Required to accept; none to reject."
    )
