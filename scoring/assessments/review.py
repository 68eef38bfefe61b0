"""The reviewer's side of an assessment: confirming or adjusting entries, returning it, spot
checks, vetoes, completing the review and publishing the final result.

The reviewer is an assessor on the unit above the assessed one (or higher), never the unit
itself; publishing the final result is for the office that opened the cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline import versions
from redline.calendar import local_date
from redline.db import utcnow
from redline.errors import DomainError, ErrorCode, Problem, fail
from scoring.assessments import audit
from scoring.assessments.appeals import finalising_problem
from scoring.assessments.entries import MAX_ENTRIES, REASON_MAX
from scoring.assessments.models import (
    Assessment,
    AssessmentState,
    Cycle,
    SpotCheckFinding,
    VetoFlag,
)
from scoring.assessments.previous import following_open
from scoring.assessments.rescoring import ask_for_rankings
from scoring.assessments.scorecards import (
    LoadedTemplate,
    ledger_facts,
    load_template_of,
    refresh_scores,
    rescore,
)
from scoring.assessments.workflow import (
    ASSESSMENT,
    change,
    entries_by_item,
    entry_in,
    indicator_problem,
    require_state,
    reviewing_office,
    touch,
)
from scoring.inputs import amount_problem, text_problem
from scoring.ledgers import hazards
from scoring.ledgers.hazards import FindingRef, HazardInput
from scoring.ledgers.models import HazardSource
from scoring.templates.models import TemplateItem, VetoKind, VetoRule
from tenants.access import Actor, user_id_of
from tenants.models import Role, TenantNode

UNDER_REVIEW = (AssessmentState.SUBMITTED, AssessmentState.RESUBMITTED)
NOT_FINAL = tuple(s for s in AssessmentState if s is not AssessmentState.FINAL)
FINDING_MAX = 4000


@dataclass(frozen=True)
class ReviewInput:
    """The reviewer's word on one indicator.

    Confirm it as entered (``points`` None), or adjust it to ``points`` with a ``reason``. On an
    indicator the unit marked not applicable, ``not_applicable_confirmed`` accepts or refuses the
    claim (refusing needs a reason); left None, confirming accepts it and adjusting refuses it.
    """

    item_code: str
    confirm: bool = True
    points: Decimal | None = None
    reason: str | None = None
    not_applicable_confirmed: bool | None = None


def _reviewer(
    session: Session,
    actor: Actor | None,
    assessment: Assessment,
    states: tuple[AssessmentState, ...],
    doing: str,
    *,
    expected_version: int | None = None,
    field: str = "assessmentId",
) -> TenantNode:
    """The assessed unit, once the actor is known to be an assessor above it and not of it,
    the assessment to be in one of ``states`` for ``doing``, and (given one) at the version
    the reviewer read."""
    node = reviewing_office(session, actor, assessment, field)
    require_state(assessment, states, doing, field)
    if expected_version is not None:
        versions.check_version(assessment.version, expected_version, ASSESSMENT)
    return node


def _reason(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _review_problems(
    index: int, review: ReviewInput, item: TemplateItem, claimed_na: bool
) -> list[Problem]:
    at = f"reviews[{index}]"
    problems: list[Problem] = []
    reason = _reason(review.reason)
    if p := text_problem(review.reason, f"{at}.reason", REASON_MAX):
        problems.append(p)
    if review.not_applicable_confirmed is not None and not claimed_na:
        problems.append(
            Problem(
                f"{at}.notApplicableConfirmed",
                f"the unit did not mark {item.code} not applicable",
                ErrorCode.INVALID,
            )
        )
    if review.points is not None:
        if p := amount_problem(
            review.points, f"{at}.points", low=Decimal(0), high=item.max_points, what="points"
        ):
            problems.append(p)
        if reason is None:
            problems.append(
                Problem(f"{at}.reason", "say why you adjust the points", ErrorCode.REQUIRED)
            )
        if claimed_na and review.not_applicable_confirmed is True:
            problems.append(
                Problem(
                    f"{at}.points",
                    f"{item.code} is accepted as not applicable and has no points to adjust; "
                    "refuse the claim to score it",
                    ErrorCode.INVALID,
                )
            )
    elif not review.confirm:
        problems.append(
            Problem(
                f"{at}.points",
                "give the adjusted points, or confirm the indicator as entered",
                ErrorCode.REQUIRED,
            )
        )
    if claimed_na and _na_decision(review) is False and reason is None:
        problems.append(
            Problem(
                f"{at}.reason",
                f"say why {item.code} does apply to the unit after all",
                ErrorCode.REQUIRED,
            )
        )
    return problems


def _na_decision(review: ReviewInput) -> bool:
    """Accept or refuse a claimed not-applicable: as said, else confirming accepts it."""
    if review.not_applicable_confirmed is not None:
        return review.not_applicable_confirmed
    return review.points is None


def review_entries(
    session: Session,
    actor: Actor | None,
    assessment: Assessment,
    reviews: Sequence[ReviewInput],
    *,
    expected_version: int,
    now: datetime | None = None,
) -> Assessment:
    """Confirm or adjust the entries of a submitted assessment, each change with its reason."""
    _reviewer(
        session, actor, assessment, UNDER_REVIEW, "reviewing", expected_version=expected_version
    )
    if len(reviews) > MAX_ENTRIES:
        raise fail(
            "reviews",
            f"at most {MAX_ENTRIES} reviews at once (got {len(reviews)})",
            ErrorCode.TOO_LARGE,
        )
    cycle = session.get_one(Cycle, assessment.cycle_id)
    loaded = load_template_of(session, cycle.template_id)
    existing = entries_by_item(session, assessment)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    items: list[TemplateItem] = []
    for index, review in enumerate(reviews):
        field = f"reviews[{index}].itemCode"
        found = indicator_problem(loaded, review.item_code, field)
        if isinstance(found, Problem):
            problems.append(found)
            continue
        if found.code in seen:
            problems.append(
                Problem(
                    field,
                    f"{found.code} is already given in reviews[{seen[found.code]}]",
                    ErrorCode.DUPLICATE,
                )
            )
            continue
        seen[found.code] = index
        items.append(found)
        entry = existing.get(found.id)
        claimed_na = entry is not None and entry.not_applicable
        problems.extend(_review_problems(index, review, found, claimed_na))
    if problems:
        raise DomainError(problems)

    with versions.writing(session, expected_version, ASSESSMENT):
        for review, item in zip(reviews, items, strict=True):
            row = entry_in(session, existing, assessment, item)
            reason = _reason(review.reason)
            values: dict[str, object] = {
                "reviewed": True,
                "review_points": review.points,
                "review_reason": reason,
                "not_applicable_confirmed": _na_decision(review) if row.not_applicable else None,
            }
            audit.record_changes(
                session,
                assessment,
                actor,
                change(row, values),
                action="review",
                item_code=item.code,
                reason=reason,
                at=now,
            )
        refresh_scores(session, assessment, loaded=loaded, entries=list(existing.values()))
        touch(assessment, now)
    return assessment


def return_assessment(
    session: Session,
    actor: Actor | None,
    assessment: Assessment,
    *,
    reason: str,
    expected_version: int,
    now: datetime | None = None,
) -> Assessment:
    """Send a submitted assessment back to the unit with a reason; the unit can edit again."""
    _reviewer(
        session, actor, assessment, UNDER_REVIEW, "returning", expected_version=expected_version
    )
    text = _reason(reason)
    if text is None:
        raise fail("reason", "say why the assessment goes back to the unit", ErrorCode.REQUIRED)
    if p := text_problem(text, "reason", REASON_MAX):
        raise DomainError(p)
    with versions.writing(session, expected_version, ASSESSMENT):
        audit.transition(session, assessment, actor, AssessmentState.RETURNED, reason=text, at=now)
        assessment.returned_reason = text
        touch(assessment, now)
    return assessment


def add_spot_check(
    session: Session,
    actor: Actor | None,
    assessment: Assessment,
    *,
    item_code: str,
    points: Decimal,
    finding: str,
    checked_on: date,
    hazard: FindingHazard | None = None,
    now: datetime | None = None,
) -> SpotCheckFinding:
    """Record a 四不两直 spot-check finding that deducts ``points`` from a named indicator.

    With ``hazard``, the finding also becomes a hidden hazard in the unit's ledger (source
    spot check, found on the day of the check, linked to the finding); its problems are named
    ``hazard.<field>``, and nothing is saved when there are any."""
    _reviewer(session, actor, assessment, NOT_FINAL, "a spot check")
    cycle = session.get_one(Cycle, assessment.cycle_id)
    loaded = load_template_of(session, cycle.template_id)
    problems: list[Problem] = []
    found = indicator_problem(loaded, item_code, "itemCode")
    if isinstance(found, Problem):
        problems.append(found)
    else:
        if p := amount_problem(
            points, "points", low=Decimal(0), high=found.max_points, what="the deduction"
        ):
            problems.append(p)
        elif Decimal(points) == 0:
            problems.append(Problem("points", "a finding deducts more than 0", ErrorCode.INVALID))
    text = _reason(finding)
    if text is None:
        problems.append(Problem("finding", "describe what the check found", ErrorCode.REQUIRED))
    elif p := text_problem(text, "finding", FINDING_MAX):
        problems.append(p)
    if not isinstance(checked_on, date):
        problems.append(Problem("checkedOn", "give the day of the check", ErrorCode.REQUIRED))
    if problems:
        raise DomainError(problems)
    assert isinstance(found, TemplateItem) and text is not None

    with versions.writing(session, assessment.version, ASSESSMENT):
        spot_check = SpotCheckFinding(
            customer_id=assessment.customer_id,
            node_id=assessment.node_id,
            assessment_id=assessment.id,
            item_id=found.id,
            points=Decimal(points),
            finding=text,
            checked_on=checked_on,
            raised_by_id=user_id_of(actor),
            created_at=now or utcnow(),
        )
        session.add(spot_check)
        if hazard is not None:
            session.flush()
            _finding_hazard(session, actor, assessment, spot_check, hazard, now)
        audit.record(
            session,
            assessment,
            actor,
            action="spot_check",
            item_code=found.code,
            field="points",
            new=-Decimal(points),
            reason=f"{checked_on.isoformat()}: {text}",
            at=now,
        )
        refresh_scores(session, assessment, loaded=loaded)
        touch(assessment, now)
    return spot_check


@dataclass(frozen=True)
class FindingHazard:
    """What a spot-check finding needs to become a hazard in the unit's ledger (the finding
    itself gives its title, description and the day it was found)."""

    sector: str
    severity: str
    deadline: date | None
    place: str = ""


def _finding_hazard(
    session: Session,
    actor: Actor | None,
    assessment: Assessment,
    finding: SpotCheckFinding,
    hazard: FindingHazard,
    now: datetime | None,
) -> None:
    node = session.get_one(TenantNode, assessment.node_id)
    data = HazardInput(
        title=finding.finding[: hazards.TITLE_MAX],
        sector=hazard.sector,
        source=HazardSource.SPOT_CHECK.value,
        severity=hazard.severity,
        found_on=finding.checked_on,
        deadline=hazard.deadline,
        place=hazard.place,
        description=finding.finding,
    )
    try:
        hazards.record_hazard(
            session, actor, node, data, now=now, finding=FindingRef(finding.id, node.path)
        )
    except DomainError as exc:
        raise DomainError(
            [
                Problem(f"hazard.{p.field}" if p.field else "hazard", p.message, p.code)
                for p in exc.problems
            ]
        ) from None


def finding_ref(session: Session, finding_id: int, field: str = "spotCheckFindingId") -> FindingRef:
    """The spot-check finding a hazard recorded by hand comes from, as the ledger needs it."""
    finding = session.get(SpotCheckFinding, finding_id)
    checked = session.get(TenantNode, finding.node_id) if finding is not None else None
    if finding is None or checked is None:
        raise fail(field, "no spot-check finding with this id", ErrorCode.NOT_FOUND)
    return FindingRef(finding.id, checked.path)


def rule_word(rule: VetoRule) -> str:
    """What a rule's flag is called: a veto, or a yellow card."""
    return "yellow card" if rule.yellow_card else "veto"


def _action(rule: VetoRule) -> str:
    """The audit trail's action for a rule's flag."""
    return "yellow_card" if rule.yellow_card else "veto"


def raise_veto(
    session: Session,
    actor: Actor | None,
    assessment: Assessment,
    *,
    rule_code: str,
    reason: str,
    evidence: str = "",
    now: datetime | None = None,
) -> VetoFlag:
    """Fail the unit by a one-ticket-veto rule of the cycle's template, or warn it by a yellow
    card rule (by the rule's severity), with reason and evidence."""
    _reviewer(session, actor, assessment, NOT_FINAL, "a veto")
    cycle = session.get_one(Cycle, assessment.cycle_id)
    loaded = load_template_of(session, cycle.template_id)
    rule, text = _raised_rule(session, assessment, loaded, rule_code, reason, evidence)
    return _raise(session, actor, assessment, loaded, rule, text, evidence, now)


def raise_retroactive_veto(
    session: Session,
    actor: Actor | None,
    assessment: Assessment,
    *,
    rule_code: str,
    reason: str,
    evidence: str = "",
    now: datetime | None = None,
) -> VetoFlag:
    """Veto a final result by what came to light afterwards (a concealed accident found out),
    where the template lets a final result be reopened for some years after its period: for
    the office that ran the cycle, by a veto rule raised by hand, with reason and evidence. The
    result is scored again and the cycle's rankings republished as a new version (the earlier
    one stays readable); the next cycle's rules that read this result move too."""
    now = now or utcnow()
    cycle = session.get_one(Cycle, assessment.cycle_id)
    if actor is not None:
        owner = session.get_one(TenantNode, cycle.owner_node_id)
        actor.require(owner, Role.ASSESSOR, Role.ADMIN, field="assessmentId")
    require_state(assessment, (AssessmentState.FINAL,), "a late veto (before: raiseVeto)")
    loaded = load_template_of(session, cycle.template_id)
    policy = loaded.template.consequence_policy()
    until = policy.retroactive_until(cycle.period_end)
    if until is None:
        raise fail(
            "assessmentId",
            "the template does not let a veto reopen a final result (its consequence policy's "
            "retroactiveYears is 0)",
            ErrorCode.INVALID_STATE,
        )
    if local_date(now) > until:
        raise fail(
            "assessmentId",
            f"a late veto may reopen this result until {until.isoformat()} ("
            f"{policy.retroactive_years} years after the period ended on "
            f"{cycle.period_end.isoformat()})",
            ErrorCode.INVALID_STATE,
        )
    rule, text = _raised_rule(session, assessment, loaded, rule_code, reason, evidence)
    if rule.yellow_card:
        raise fail(
            "ruleCode",
            f"{rule.code} is a yellow card: only a veto reopens a final result",
            ErrorCode.INVALID,
        )
    flag = _raise(session, actor, assessment, loaded, rule, text, evidence, now, late=True)
    # The next cycle's rules that read this result (criticised, a yellow card) move now.
    _rescore_following(session, assessment)
    return flag


def _raised_rule(
    session: Session,
    assessment: Assessment,
    loaded: LoadedTemplate,
    rule_code: str,
    reason: str,
    evidence: str,
) -> tuple[VetoRule, str]:
    """The rule raised by hand and the reason said, or every problem with them."""
    problems: list[Problem] = []
    code = (rule_code or "").strip()
    rule = loaded.rules_by_code.get(code)
    if rule is None:
        known = ", ".join(loaded.rules_by_code) or "none"
        problems.append(
            Problem(
                "ruleCode",
                f"the template has no veto or yellow card rule {code!r} (its rules: {known})",
                ErrorCode.NOT_FOUND,
            )
        )
    elif rule.kind != VetoKind.MANUAL:
        problems.append(
            Problem(
                "ruleCode",
                f"rule {code} fires by itself ({rule.kind}): record the fact in the ledger (or "
                "the previous cycle's result stands) instead of raising it by hand",
                ErrorCode.INVALID,
            )
        )
    else:
        active = session.scalar(
            select(VetoFlag.id).where(
                VetoFlag.assessment_id == assessment.id,
                VetoFlag.rule_id == rule.id,
                VetoFlag.withdrawn_at.is_(None),
            )
        )
        if active is not None:
            problems.append(
                Problem(
                    "ruleCode", f"{rule_word(rule)} {code} is already raised", ErrorCode.DUPLICATE
                )
            )
    text = _reason(reason)
    if text is None:
        why = "gets a yellow card" if rule is not None and rule.yellow_card else "is vetoed"
        problems.append(Problem("reason", f"say why the unit {why}", ErrorCode.REQUIRED))
    for field, value in (("reason", text), ("evidence", evidence)):
        if p := text_problem(value, field, FINDING_MAX):
            problems.append(p)
    if problems:
        raise DomainError(problems)
    assert rule is not None and text is not None
    return rule, text


def _raise(
    session: Session,
    actor: Actor | None,
    assessment: Assessment,
    loaded: LoadedTemplate,
    rule: VetoRule,
    text: str,
    evidence: str,
    now: datetime | None,
    *,
    late: bool = False,
) -> VetoFlag:
    """The flag written, audited ("late veto" for a final result) and the result re-scored."""
    with versions.writing(session, assessment.version, ASSESSMENT):
        flag = VetoFlag(
            customer_id=assessment.customer_id,
            node_id=assessment.node_id,
            assessment_id=assessment.id,
            rule_id=rule.id,
            reason=text,
            evidence=(evidence or "").strip(),
            raised_by_id=user_id_of(actor),
            created_at=now or utcnow(),
        )
        session.add(flag)
        audit.record(
            session,
            assessment,
            actor,
            action="late veto" if late else _action(rule),
            field="rule",
            new=rule.code,
            reason=f"{text}; evidence: {flag.evidence}" if flag.evidence else text,
            at=now,
        )
        refresh_scores(session, assessment, loaded=loaded)
        touch(assessment, now)
    return flag


def withdraw_veto(
    session: Session, actor: Actor | None, flag: VetoFlag, *, reason: str
) -> VetoFlag:
    """Withdraw a veto or yellow card (it stays on record, marked withdrawn with the reason)."""
    assessment = session.get_one(Assessment, flag.assessment_id)
    _reviewer(session, actor, assessment, NOT_FINAL, "withdrawing a veto", field="vetoFlagId")
    cycle = session.get_one(Cycle, assessment.cycle_id)
    loaded = load_template_of(session, cycle.template_id)
    rule = loaded.rules_by_id[flag.rule_id]
    if flag.withdrawn_at is not None:
        raise fail(
            "vetoFlagId", f"the {rule_word(rule)} is already withdrawn", ErrorCode.INVALID_STATE
        )
    text = _reason(reason)
    if text is None:
        raise fail("reason", f"say why the {rule_word(rule)} is withdrawn", ErrorCode.REQUIRED)
    if p := text_problem(text, "reason", REASON_MAX):
        raise DomainError(p)

    now = utcnow()
    with versions.writing(session, assessment.version, ASSESSMENT):
        flag.withdrawn_at = now
        flag.withdrawn_reason = text
        audit.record(
            session,
            assessment,
            actor,
            action=_action(rule),
            field="rule",
            old=rule.code,
            reason=text,
            at=now,
        )
        refresh_scores(session, assessment, loaded=loaded)
        touch(assessment, now)
    return flag


def complete_review(
    session: Session,
    actor: Actor | None,
    assessment: Assessment,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> Assessment:
    """Close the review once every indicator is confirmed or adjusted: -> reviewed."""
    now = now or utcnow()
    _reviewer(
        session,
        actor,
        assessment,
        UNDER_REVIEW,
        "completing the review",
        expected_version=expected_version,
    )
    cycle = session.get_one(Cycle, assessment.cycle_id)
    loaded = load_template_of(session, cycle.template_id)
    entries = entries_by_item(session, assessment)
    problems = [
        Problem("reviews", f"{item.code} {item.title}: not reviewed yet", ErrorCode.REQUIRED)
        for item in loaded.indicators
        if (entry := entries.get(item.id)) is None or not entry.reviewed
    ]
    if problems:
        raise DomainError(problems)

    with versions.writing(session, expected_version, ASSESSMENT):
        refresh_scores(session, assessment, loaded=loaded, entries=list(entries.values()))
        audit.transition(session, assessment, actor, AssessmentState.REVIEWED, at=now)
        assessment.reviewed_at = now
        assessment.reviewed_by_id = user_id_of(actor)
        audit.mark_late(
            session,
            assessment,
            actor,
            flag="review_late",
            deadline=cycle.review_due,
            done="reviewed",
            at=now,
        )
        touch(assessment, now)
    return assessment


def finalise(
    session: Session, actor: Actor | None, assessment: Assessment, *, now: datetime | None = None
) -> Assessment:
    """Publish a reviewed assessment's result: -> final. For the office that opened the cycle,
    once no appeal of the unit waits for a decision and the appeal window has closed."""
    now = now or utcnow()
    cycle = session.get_one(Cycle, assessment.cycle_id)
    if actor is not None:
        owner = session.get_one(TenantNode, cycle.owner_node_id)
        actor.require(owner, Role.ASSESSOR, Role.ADMIN, field="assessmentId")
    require_state(assessment, (AssessmentState.REVIEWED,), "finalising")
    if problem := finalising_problem(session, assessment, cycle, now):
        raise DomainError([problem])
    loaded = load_template_of(session, cycle.template_id)
    fired = ledger_facts(session, [assessment], now=now).vetoes_of(assessment.id)
    with versions.writing(session, assessment.version, ASSESSMENT):
        # The rules firing now (vetoes and yellow cards) become the final record's flags: later
        # ledger changes no longer move a final result.
        for veto in fired:
            session.add(
                VetoFlag(
                    customer_id=assessment.customer_id,
                    node_id=assessment.node_id,
                    assessment_id=assessment.id,
                    rule_id=loaded.rules_by_code[veto.rule_code].id,
                    reason=veto.reason,
                    evidence=veto.evidence,
                    fact=veto.fact,
                    created_at=now,
                )
            )
            audit.record(
                session,
                assessment,
                actor,
                action=_action(loaded.rules_by_code[veto.rule_code]),
                field="rule",
                new=veto.rule_code,
                reason=f"{veto.reason}; evidence: {veto.evidence}",
                at=now,
            )
        session.flush()  # the kept flags; the assessment row changes once, below
        audit.transition(session, assessment, actor, AssessmentState.FINAL, at=now)
        assessment.finalised_at = now
        with session.no_autoflush:
            refresh_scores(session, assessment, loaded=loaded, now=now)
        touch(assessment, now)
    # The next cycle's rules that read this result (criticised, a yellow card) move now.
    _rescore_following(session, assessment)
    return assessment


def _rescore_following(session: Session, assessment: Assessment) -> None:
    """Score again the open assessments of the next cycles whose rules read this result."""
    for later in following_open(session, assessment):
        if load_template_of(
            session, session.get_one(Cycle, later.cycle_id).template_id
        ).cycle_rules:
            rescore(session, later)
            ask_for_rankings(session, later)
