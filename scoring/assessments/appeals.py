"""Appeals (申诉): between review and final, a unit objects to its reviewed points on named
indicators, with a reason and evidence, until the cycle's appeal deadline; the assessor accepts
(adjusting the points, saying why) or rejects (saying why). No result is final while an appeal
waits or the window is still open, and every step is in the audit trail."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from redline import versions
from redline.db import utcnow
from redline.errors import DomainError, ErrorCode, Problem, fail
from scoring.assessments import audit
from scoring.assessments.entries import REASON_MAX
from scoring.assessments.models import (
    Appeal,
    AppealState,
    Assessment,
    AssessmentState,
    Cycle,
    ItemScore,
    ScoreState,
)
from scoring.assessments.scorecards import load_template_of, refresh_scores
from scoring.assessments.workflow import (
    ASSESSMENT,
    change,
    entries_by_item,
    entry_in,
    indicator_problem,
    require_open,
    require_state,
    reviewing_office,
    touch,
)
from scoring.inputs import amount_problem, text_problem
from scoring.templates.models import TemplateItem
from tenants.access import Actor, user_id_of
from tenants.models import Role, TenantNode


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def file_appeal(
    session: Session,
    actor: Actor | None,
    assessment: Assessment,
    *,
    item_code: str,
    reason: str,
    now: datetime | None = None,
) -> Appeal:
    """The unit appeals its reviewed points on one indicator, saying why, before the cycle's
    appeal deadline; one waiting appeal per indicator."""
    now = now or utcnow()
    node = session.get_one(TenantNode, assessment.node_id)
    if actor is not None:
        actor.require(node, Role.SUBMITTER, field="assessmentId")
    cycle = session.get_one(Cycle, assessment.cycle_id)
    require_open(cycle)
    require_state(assessment, (AssessmentState.REVIEWED,), "appealing")
    if cycle.appeal_due is None:
        raise fail("assessmentId", "the cycle takes no appeals", ErrorCode.INVALID_STATE)
    if now > cycle.appeal_due:
        raise fail(
            "assessmentId",
            f"the appeal window closed at {_when(cycle.appeal_due)}",
            ErrorCode.INVALID_STATE,
        )
    loaded = load_template_of(session, cycle.template_id)
    problems: list[Problem] = []
    found = indicator_problem(loaded, item_code, "itemCode")
    if isinstance(found, Problem):
        problems.append(found)
    text = (reason or "").strip()
    if not text:
        problems.append(Problem("reason", "say why you appeal", ErrorCode.REQUIRED))
    elif p := text_problem(reason, "reason", REASON_MAX):
        problems.append(p)
    if problems:
        raise DomainError(problems)
    assert isinstance(found, TemplateItem)
    score = session.execute(
        select(ItemScore.state, ItemScore.points).where(
            ItemScore.assessment_id == assessment.id, ItemScore.item_id == found.id
        )
    ).one_or_none()
    if score is not None and score.state == ScoreState.NOT_APPLICABLE:
        raise fail(
            "itemCode",
            f"{found.code} is not applicable to the unit: it has no points to appeal",
            ErrorCode.INVALID,
        )
    waiting = session.scalar(
        select(Appeal.id).where(
            Appeal.assessment_id == assessment.id,
            Appeal.item_id == found.id,
            Appeal.state == AppealState.OPEN,
        )
    )
    if waiting is not None:
        raise fail(
            "itemCode",
            f"{found.code} already has an appeal waiting for the assessor",
            ErrorCode.DUPLICATE,
        )
    points = score.points if score is not None else None
    appeal = Appeal(
        customer_id=assessment.customer_id,
        node_id=assessment.node_id,
        assessment_id=assessment.id,
        item_id=found.id,
        state=AppealState.OPEN,
        reason=text,
        points_before=points,
        filed_by_id=user_id_of(actor),
        filed_at=now,
    )
    with versions.writing(session, assessment.version, ASSESSMENT):
        session.add(appeal)
        audit.record(
            session,
            assessment,
            actor,
            action="appeal",
            item_code=found.code,
            field="filed",
            old=points,
            reason=text,
            at=now,
        )
        touch(assessment, now)
    return appeal


def appeal_context(
    session: Session, actor: Actor | None, appeal: Appeal, field: str = "appealId"
) -> Cycle:
    """The cycle, once the actor is known to submit for the appealing unit and the appeal to
    wait for a decision (the unit adds or removes its evidence only then)."""
    node = session.get_one(TenantNode, appeal.node_id)
    if actor is not None:
        actor.require(node, Role.SUBMITTER, field=field)
    cycle = session.get_one(Cycle, session.get_one(Assessment, appeal.assessment_id).cycle_id)
    require_open(cycle, field)
    if appeal.state is not AppealState.OPEN:
        raise fail(field, f"the appeal is already {appeal.state.value}", ErrorCode.INVALID_STATE)
    return cycle


def decide_appeal(
    session: Session,
    actor: Actor | None,
    appeal: Appeal,
    *,
    accept: bool,
    reason: str,
    points: Decimal | None = None,
    now: datetime | None = None,
) -> Appeal:
    """The assessor accepts an appeal, adjusting the indicator to ``points``, or rejects it;
    either way saying why. The assessment's scores follow an accepted one."""
    now = now or utcnow()
    assessment = session.get_one(Assessment, appeal.assessment_id)
    reviewing_office(session, actor, assessment, "appealId")
    cycle = session.get_one(Cycle, assessment.cycle_id)
    require_open(cycle, "appealId")
    require_state(assessment, (AssessmentState.REVIEWED,), "deciding an appeal", "appealId")
    if appeal.state is not AppealState.OPEN:
        raise fail(
            "appealId", f"the appeal is already {appeal.state.value}", ErrorCode.INVALID_STATE
        )
    item = session.get_one(TemplateItem, appeal.item_id)
    problems: list[Problem] = []
    text = (reason or "").strip()
    if not text:
        problems.append(
            Problem(
                "reason",
                "say why you accept the appeal" if accept else "say why you reject the appeal",
                ErrorCode.REQUIRED,
            )
        )
    elif p := text_problem(reason, "reason", REASON_MAX):
        problems.append(p)
    if accept and points is None:
        problems.append(
            Problem("points", f"give {item.code}'s points after the appeal", ErrorCode.REQUIRED)
        )
    elif accept and (
        p := amount_problem(points, "points", low=Decimal(0), high=item.max_points, what="points")
    ):
        problems.append(p)
    elif not accept and points is not None:
        problems.append(
            Problem("points", "a rejected appeal leaves the points as reviewed", ErrorCode.INVALID)
        )
    if problems:
        raise DomainError(problems)

    loaded = load_template_of(session, cycle.template_id)
    with versions.writing(session, assessment.version, ASSESSMENT):
        # Decided once: of two deciders at the same moment, the second finds it decided.
        decided = session.execute(
            update(Appeal)
            .where(Appeal.id == appeal.id, Appeal.state == AppealState.OPEN)
            .values(
                state=AppealState.ACCEPTED if accept else AppealState.REJECTED,
                decided_by_id=user_id_of(actor),
                decided_at=now,
                decision_reason=text,
                points_after=points if accept else None,
            )
            .execution_options(synchronize_session=False)
        )
        if decided.rowcount != 1:
            raise fail(
                "appealId",
                "the appeal was decided by someone else meanwhile",
                ErrorCode.INVALID_STATE,
            )
        session.refresh(appeal)
        if accept:
            existing = entries_by_item(session, assessment)
            row = entry_in(session, existing, assessment, item)
            values = {"reviewed": True, "review_points": points, "review_reason": text}
            audit.record_changes(
                session,
                assessment,
                actor,
                change(row, values),
                action="appeal",
                item_code=item.code,
                reason=text,
                at=now,
            )
            refresh_scores(session, assessment, loaded=loaded, entries=list(existing.values()))
        audit.record(
            session,
            assessment,
            actor,
            action="appeal",
            item_code=item.code,
            field="decision",
            old=AppealState.OPEN.value,
            new=appeal.state.value,
            reason=text,
            at=now,
        )
        touch(assessment, now)
    return appeal


def set_appeal_window(
    session: Session,
    actor: Actor | None,
    cycle: Cycle,
    appeal_due: datetime | None,
    *,
    now: datetime | None = None,
) -> Cycle:
    """Open, move or close the cycle's appeal window (the office that opened the cycle)."""
    now = now or utcnow()
    owner = session.get_one(TenantNode, cycle.owner_node_id)
    if actor is not None:
        actor.require(owner, Role.ADMIN, field="cycleId")
    require_open(cycle, "cycleId")
    if appeal_due is not None and (p := appeal_due_problem(appeal_due)):
        raise DomainError([p])
    if appeal_due is None:
        waiting = session.scalar(
            select(func.count())
            .select_from(Appeal)
            .join(Assessment, Assessment.id == Appeal.assessment_id)
            .where(Assessment.cycle_id == cycle.id, Appeal.state == AppealState.OPEN)
        )
        if waiting:
            raise fail(
                "appealDue",
                f"{waiting} appeals are waiting for a decision: decide them before closing "
                "the window",
                ErrorCode.INVALID_STATE,
            )
    cycle.appeal_due = appeal_due
    cycle.updated_at = now
    session.flush()
    return cycle


def appeal_due_problem(appeal_due: datetime) -> Problem | None:
    """An appeal deadline has its time zone. (Any moment: units reviewed early may have their
    window close before the cycle's dues, as offices that review as submissions arrive do.)"""
    if appeal_due.tzinfo is None:
        return Problem("appealDue", "give a time with its time zone", ErrorCode.INVALID)
    return None


def finalising_problem(
    session: Session, assessment: Assessment, cycle: Cycle, now: datetime
) -> Problem | None:
    """Why the assessment cannot be final yet, by its appeals: one waits for a decision, or
    the unit may still appeal."""
    waiting = session.scalar(
        select(func.count())
        .select_from(Appeal)
        .where(Appeal.assessment_id == assessment.id, Appeal.state == AppealState.OPEN)
    )
    if waiting:
        return Problem(
            "assessmentId",
            f"{waiting} appeal{'s' if waiting > 1 else ''} of the unit "
            f"{'wait' if waiting > 1 else 'waits'} for a decision",
            ErrorCode.INVALID_STATE,
        )
    if cycle.appeal_due is not None and now <= cycle.appeal_due:
        return Problem(
            "assessmentId",
            f"the unit may appeal until {_when(cycle.appeal_due)}: finalise after that",
            ErrorCode.INVALID_STATE,
        )
    return None
