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
    template_id: relay.GlobalID
    owner_node_id: relay.GlobalID
    name: str
    level: TenantLevel
    period_start: date
    period_end: date
    self_due: datetime = strawberry.field(description="With its time zone.")
    review_due: datetime
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


@strawberry.input
class CloseCycleInput:
    cycle_id: relay.GlobalID


# --- the unit's entries and evidence ---------------------------------------------------------


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


@strawberry.input(
    description="The unit's self-assessment in the .xlsx workbook downloaded from "
    "/files/assessments/<id>/self-assessment.xlsx, filled in (multipart upload). Every indicator "
    "row states its whole entry, as saveEntries does. Errors name the field file and the cell: "
    "'自评 Self-assessment!G12: ...'."
)
class ImportSelfAssessmentInput:
    assessment_id: relay.GlobalID
    expected_version: int = strawberry.field(description="The assessment's version you read.")
    file: Upload


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
    item_code: str
    confirm: bool = True
    points: Decimal | None = None
    reason: str | None = None
    not_applicable_confirmed: bool | None = None

    def as_input(self) -> review.ReviewInput:
        return review.ReviewInput(
            item_code=self.item_code,
            confirm=self.confirm,
            points=self.points,
            reason=self.reason,
            not_applicable_confirmed=self.not_applicable_confirmed,
        )


@strawberry.input
class ReviewEntriesInput:
    assessment_id: relay.GlobalID
    expected_version: int
    reviews: list[ReviewInput]


@strawberry.input(description="Send a submitted assessment back to the unit, saying why.")
class ReturnAssessmentInput:
    assessment_id: relay.GlobalID
    expected_version: int
    reason: str


@strawberry.input(description="Close the review once every indicator is confirmed or adjusted.")
class CompleteReviewInput:
    assessment_id: relay.GlobalID
    expected_version: int


@strawberry.input(description="Publish a reviewed result (the office that opened the cycle).")
class FinaliseAssessmentInput:
    assessment_id: relay.GlobalID


@strawberry.input(
    description="The hidden hazard a spot-check finding puts in the unit's ledger: the finding "
    "gives its title and description, the day of the check its foundOn; source SPOT_CHECK."
)
class FindingHazardInput:
    sector: Sector
    severity: HazardSeverity
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
    assessment_id: relay.GlobalID
    item_code: str
    points: Decimal = strawberry.field(description="Points deducted, above 0.")
    finding: str
    checked_on: date
    hazard: FindingHazardInput | None = strawberry.field(
        default=None,
        description="Also record the finding as a hidden hazard of the unit (see `hazards`).",
    )


@strawberry.input(description="Fail the unit by one of the template's veto rules.")
class RaiseVetoInput:
    assessment_id: relay.GlobalID
    rule_code: str
    reason: str
    evidence: str = ""


@strawberry.input(description="Withdraw a veto (it stays on record as withdrawn).")
class WithdrawVetoInput:
    veto_flag_id: relay.GlobalID
    reason: str


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
    grade_excellent: Decimal | None = None
    grade_good: Decimal | None = None
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
    cycle_id: relay.GlobalID
    groups: list[AssessmentGroupInput]


@strawberry.input(description="Open, move or close (null) a cycle's appeal window.")
class SetAppealWindowInput:
    cycle_id: relay.GlobalID
    appeal_due: datetime | None = strawberry.field(
        description="With its time zone; null closes the window (refused while an appeal waits)."
    )


@strawberry.input(
    description="The unit appeals its reviewed points on one indicator (a reviewed assessment, "
    "before the cycle's appealDue)."
)
class FileAppealInput:
    assessment_id: relay.GlobalID
    item_code: str
    reason: str


@strawberry.input(description="Attach an evidence file (multipart upload) to a waiting appeal.")
class UploadAppealEvidenceInput:
    appeal_id: relay.GlobalID
    file: Upload


@strawberry.input(
    description="The assessor's decision: accept (giving the indicator's points after the "
    "appeal) or reject, saying why either way."
)
class DecideAppealInput:
    appeal_id: relay.GlobalID
    accept: bool
    reason: str
    points: Decimal | None = strawberry.field(
        default=None, description="Required to accept; none to reject."
    )
