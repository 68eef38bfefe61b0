"""Mutations of the reviewer (an assessor above the unit) and of the office that finalises."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from sqlalchemy.orm import Session
from strawberry import relay

from redline.errors import DomainError
from scoring.assessments import review
from scoring.assessments.entries import MAX_ENTRIES
from scoring.assessments.models import Assessment as AssessmentModel
from scoring.assessments.models import SpotCheckFinding
from scoring.assessments.models import VetoFlag as VetoFlagModel
from tenants.access import Actor

from ..context import Info
from ..errors import UserError, user_errors
from ..ledgers.common import SectorEnum
from ..ledgers.hazard_api import HazardSeverityEnum
from ..mutations import cap, get, renamed, run
from .assessment_mutations import AssessmentPayload, assessment_payload
from .types import Assessment, SpotCheck, VetoFlag


@strawberry.type
class SpotCheckPayload:
    spot_check: SpotCheck | None
    assessment: Assessment | None
    errors: list[UserError]


@strawberry.type
class VetoPayload:
    veto_flag: VetoFlag | None
    assessment: Assessment | None
    errors: list[UserError]


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
    sector: SectorEnum  # type: ignore[valid-type]
    severity: HazardSeverityEnum  # type: ignore[valid-type]
    deadline: date | None = strawberry.field(description="Rectification deadline.")
    place: str = strawberry.field(default="", description="The enterprise or site.")


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


def _finding_hazard(data: FindingHazardInput | None) -> review.FindingHazard | None:
    if data is None:
        return None
    return review.FindingHazard(
        sector=data.sector.value,
        severity=data.severity.value,
        deadline=data.deadline,
        place=data.place,
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


def _assessment(session: Session, global_id: relay.GlobalID) -> AssessmentModel:
    return get(session, AssessmentModel, global_id, "Assessment", "assessmentId")


@strawberry.type
class ReviewMutations:
    @strawberry.mutation(
        description="Confirm or adjust entries of a submitted assessment (adjusting needs a "
        "reason); the unit's self score stays as it was."
    )
    def review_entries(self, info: Info, input: ReviewEntriesInput) -> AssessmentPayload:
        def action(session: Session, actor: Actor) -> AssessmentModel:
            cap(input.reviews, MAX_ENTRIES, "reviews")
            assessment = _assessment(session, input.assessment_id)
            reviews = [
                review.ReviewInput(
                    item_code=r.item_code,
                    confirm=r.confirm,
                    points=r.points,
                    reason=r.reason,
                    not_applicable_confirmed=r.not_applicable_confirmed,
                )
                for r in input.reviews
            ]
            return review.review_entries(
                session, actor, assessment, reviews, expected_version=input.expected_version
            )

        return assessment_payload(run(info, action))

    @strawberry.mutation(description="Send a submitted assessment back to the unit.")
    def return_assessment(self, info: Info, input: ReturnAssessmentInput) -> AssessmentPayload:
        def action(session: Session, actor: Actor) -> AssessmentModel:
            return review.return_assessment(
                session,
                actor,
                _assessment(session, input.assessment_id),
                reason=input.reason,
                expected_version=input.expected_version,
            )

        return assessment_payload(run(info, action))

    @strawberry.mutation(description="Close the review: submitted/resubmitted -> reviewed.")
    def complete_review(self, info: Info, input: CompleteReviewInput) -> AssessmentPayload:
        def action(session: Session, actor: Actor) -> AssessmentModel:
            return review.complete_review(
                session,
                actor,
                _assessment(session, input.assessment_id),
                expected_version=input.expected_version,
            )

        return assessment_payload(run(info, action))

    @strawberry.mutation(description="Publish a reviewed assessment's result: -> final.")
    def finalise_assessment(self, info: Info, input: FinaliseAssessmentInput) -> AssessmentPayload:
        def action(session: Session, actor: Actor) -> AssessmentModel:
            return review.finalise(session, actor, _assessment(session, input.assessment_id))

        return assessment_payload(run(info, action))

    @strawberry.mutation(description="Record a spot-check finding deducting from an indicator.")
    def add_spot_check(self, info: Info, input: AddSpotCheckInput) -> SpotCheckPayload:
        def action(session: Session, actor: Actor) -> tuple[SpotCheckFinding, AssessmentModel]:
            assessment = _assessment(session, input.assessment_id)
            finding = review.add_spot_check(
                session,
                actor,
                assessment,
                item_code=input.item_code,
                points=input.points,
                finding=input.finding,
                checked_on=input.checked_on,
                hazard=_finding_hazard(input.hazard),
            )
            return finding, assessment

        result = run(info, action)
        if isinstance(result, DomainError):
            return SpotCheckPayload(spot_check=None, assessment=None, errors=user_errors(result))
        finding, assessment = result
        return SpotCheckPayload(
            spot_check=SpotCheck.from_model(finding),
            assessment=Assessment.from_model(assessment),
            errors=[],
        )

    @strawberry.mutation(description="Raise a one-ticket veto with its reason and evidence.")
    def raise_veto(self, info: Info, input: RaiseVetoInput) -> VetoPayload:
        def action(session: Session, actor: Actor) -> tuple[VetoFlagModel, AssessmentModel]:
            assessment = _assessment(session, input.assessment_id)
            flag = review.raise_veto(
                session,
                actor,
                assessment,
                rule_code=input.rule_code,
                reason=input.reason,
                evidence=input.evidence,
            )
            return flag, assessment

        return _veto_payload(run(info, action))

    @strawberry.mutation(description="Withdraw a veto, saying why.")
    def withdraw_veto(self, info: Info, input: WithdrawVetoInput) -> VetoPayload:
        def action(session: Session, actor: Actor) -> tuple[VetoFlagModel, AssessmentModel]:
            flag = get(session, VetoFlagModel, input.veto_flag_id, "VetoFlag", "vetoFlagId")
            try:
                withdrawn = review.withdraw_veto(session, actor, flag, reason=input.reason)
            except DomainError as exc:
                raise renamed(exc, {"assessmentId": "vetoFlagId"}) from None
            return withdrawn, session.get_one(AssessmentModel, flag.assessment_id)

        return _veto_payload(run(info, action))


def _veto_payload(result: tuple[VetoFlagModel, AssessmentModel] | DomainError) -> VetoPayload:
    if isinstance(result, DomainError):
        return VetoPayload(veto_flag=None, assessment=None, errors=user_errors(result))
    flag, assessment = result
    return VetoPayload(
        veto_flag=VetoFlag.from_model(flag),
        assessment=Assessment.from_model(assessment),
        errors=[],
    )
