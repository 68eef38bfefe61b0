"""Assessment cycles: opening one over the units of a level in a subtree (all of them, those of
some kinds, or a chosen few) or over the units attached to the owner at its own level (its
departments, affiliated units and enterprises), and closing it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from redline.db import utcnow
from redline.errors import DomainError, ErrorCode, Problem, fail
from scoring.assessments.appeals import appeal_due_problem
from scoring.assessments.models import Assessment, AssessmentState, Cycle, CycleState
from scoring.templates.models import Template, TemplateState
from tenants.access import Actor, user_id_of
from tenants.hierarchy import check_name
from tenants.models import Role, TenantKind, TenantLevel, TenantNode
from tenants.scope import in_subtree

# Units chosen by hand for one cycle: far more than an office picks, far fewer than hurts.
MAX_CHOSEN_UNITS = 5_000


def open_cycle(
    session: Session,
    actor: Actor | None,
    *,
    template: Template,
    owner_node: TenantNode,
    name: str,
    level: TenantLevel,
    period_start: date,
    period_end: date,
    self_due: datetime,
    review_due: datetime,
    kinds: Collection[TenantKind] = (),
    units: Sequence[TenantNode] = (),
    appeal_due: datetime | None = None,
) -> Cycle:
    """Open a cycle applying a published template to the units of ``level`` under
    ``owner_node`` (regions and departments alike; at the owner's own level, the departments,
    affiliated units and enterprises attached to it): every one, those of ``kinds`` when given
    (only streets, only enterprises), or the chosen ``units``; one assessment each, in draft.
    With ``appeal_due``, reviewed units may appeal until then (see ``appeals``)."""
    if actor is not None:
        actor.require(owner_node, Role.ADMIN, field="ownerNodeId")
    problems: list[Problem] = []
    if p := check_name(name, "name"):
        problems.append(p)
    template_owner = session.get(TenantNode, template.owner_node_id)
    if template.state is not TemplateState.PUBLISHED:
        problems.append(
            Problem(
                "templateId",
                f"the template is {template.state.value}: only a published version can be used",
                ErrorCode.INVALID_STATE,
            )
        )
    # The owner's own template, or one of an office above it (a city may run the province's).
    if (
        template.customer_id != owner_node.customer_id
        or template_owner is None
        or not owner_node.path.startswith(template_owner.path)
    ):
        problems.append(
            Problem(
                "templateId",
                f"the template belongs to another office: use one of {owner_node.code} "
                "or an office above it",
                ErrorCode.INVALID,
            )
        )
    if level.rank < owner_node.level.rank:
        problems.append(
            Problem(
                "level",
                f"the units assessed must be at or below the level of {owner_node.code} "
                f"({owner_node.level.value})",
                ErrorCode.INVALID,
            )
        )
    if period_start > period_end:
        problems.append(
            Problem("periodEnd", "the period must not end before it starts", ErrorCode.INVALID)
        )
    for field, moment in (("selfDue", self_due), ("reviewDue", review_due)):
        if moment.tzinfo is None:
            problems.append(Problem(field, "give a time with its time zone", ErrorCode.INVALID))
    if not problems and self_due > review_due:
        problems.append(
            Problem(
                "reviewDue",
                "the review cannot be due before the self-assessment is",
                ErrorCode.INVALID,
            )
        )
    if appeal_due is not None and (p := appeal_due_problem(appeal_due)):
        problems.append(p)
    participants: list[int] = []
    if level.rank >= owner_node.level.rank:
        participants, refused = _participants(session, owner_node, level, kinds, units)
        problems.extend(refused)
    if problems:
        raise DomainError(problems)

    cycle = Cycle(
        customer_id=owner_node.customer_id,
        template_id=template.id,
        owner_node_id=owner_node.id,
        name=name.strip(),
        level=level,
        period_start=period_start,
        period_end=period_end,
        self_due=self_due,
        review_due=review_due,
        appeal_due=appeal_due,
        state=CycleState.OPEN,
        opened_by_id=user_id_of(actor),
    )
    session.add(cycle)
    session.flush()
    now = utcnow()
    # One executemany INSERT however many units take part (a province has thousands).
    session.execute(
        insert(Assessment),
        [
            {
                "customer_id": owner_node.customer_id,
                "node_id": node_id,
                "cycle_id": cycle.id,
                "state": AssessmentState.DRAFT,
                "version": 1,
                "late": False,
                "vetoed": False,
                "created_at": now,
                "updated_at": now,
            }
            for node_id in participants
        ],
    )
    return cycle


def close_cycle(
    session: Session, actor: Actor | None, cycle: Cycle, *, now: datetime | None = None
) -> Cycle:
    """Close an open cycle once every assessment in it is final; it is read only afterwards,
    and its consequences count from ``now`` (default: this moment)."""
    owner = session.get_one(TenantNode, cycle.owner_node_id)
    if actor is not None:
        actor.require(owner, Role.ADMIN, field="cycleId")
    if cycle.state is not CycleState.OPEN:
        raise fail("cycleId", f"the cycle is {cycle.state.value}", ErrorCode.INVALID_STATE)
    unfinished = session.scalar(
        select(func.count())
        .select_from(Assessment)
        .where(Assessment.cycle_id == cycle.id, Assessment.state != AssessmentState.FINAL)
    )
    if unfinished:
        raise fail(
            "cycleId",
            f"the cycle is open and {unfinished} of its assessments are not final yet",
            ErrorCode.INVALID_STATE,
        )
    cycle.state = CycleState.CLOSED
    cycle.closed_at = now or utcnow()
    session.flush()
    return cycle


def _participants(
    session: Session,
    owner_node: TenantNode,
    level: TenantLevel,
    kinds: Collection[TenantKind],
    units: Sequence[TenantNode],
) -> tuple[list[int], list[Problem]]:
    """The ids of the units taking part, in path order, or the problems naming why not."""
    query = select(TenantNode.id).where(
        TenantNode.customer_id == owner_node.customer_id,
        in_subtree(TenantNode.path, owner_node.path),
        TenantNode.level == level,
        TenantNode.id != owner_node.id,
    )
    if kinds:
        query = query.where(TenantNode.kind.in_(list(kinds)))
    eligible = list(session.scalars(query.order_by(TenantNode.path)))
    of_kinds = f" of kind {', '.join(k.value for k in kinds)}" if kinds else ""
    where = f"{level.value}-level unit{of_kinds} under {owner_node.code}"
    if not units:
        if eligible:
            return eligible, []
        field = "kinds" if kinds else "level"
        return [], [Problem(field, f"there is no {where}", ErrorCode.INVALID)]
    allowed = set(eligible)
    problems = []
    seen: set[int] = set()
    for index, unit in enumerate(units):
        if unit.id in seen:
            problems.append(
                Problem(f"unitIds[{index}]", f"{unit.code} is chosen twice", ErrorCode.DUPLICATE)
            )
        elif unit.id not in allowed:
            problems.append(
                Problem(f"unitIds[{index}]", f"{unit.code} is not a {where}", ErrorCode.INVALID)
            )
        seen.add(unit.id)
    chosen = [node_id for node_id in eligible if node_id in seen]
    return chosen, problems
