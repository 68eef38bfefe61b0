"""Deadline reminders: units are told of self-assessments, reviews, hazard rectifications and
task elements due within three days, and of self-assessments past due, once each.

Each reminder's key names the row and the deadline it reminds of, so a rerun of the same day
adds nothing, while a deadline moved later is reminded of again.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.calendar import local_date
from redline.db import utcnow
from scoring.assessments.models import Assessment, AssessmentState, Cycle, CycleState
from scoring.followup.notifications import NotificationKind, notify
from scoring.ledgers.models import RECTIFIED_STATES, Hazard, TaskElement, TaskState
from tenants.hierarchy import nodes_by_id
from tenants.models import TenantNode

REMIND_DAYS = 3  # a deadline this many days away, or fewer, is reminded of
# The unit still has to submit (a returned assessment must be submitted again).
UNSUBMITTED_STATES = (AssessmentState.DRAFT, AssessmentState.RETURNED)
# Submitted and waiting for the unit above to review it.
AWAITING_REVIEW_STATES = (AssessmentState.SUBMITTED, AssessmentState.RESUBMITTED)
# What a run counts per province: new reminders by kind.
REMINDER_KINDS = (
    NotificationKind.SELF_ASSESSMENT_DUE,
    NotificationKind.SELF_ASSESSMENT_OVERDUE,
    NotificationKind.REVIEW_DUE,
    NotificationKind.HAZARD_DUE,
    NotificationKind.TASK_DUE,
)
ZERO = {kind.value: 0 for kind in REMINDER_KINDS}


def due_day(deadline: datetime) -> date:
    """The local day a deadline moment closes: a cycle due at the end of 11-20 (11-21 00:00 in
    China) is due on 11-20."""
    return local_date(deadline - timedelta(microseconds=1))


def send_reminders(session: Session, *, now: datetime | None = None) -> dict[int, dict[str, int]]:
    """Remind the units of what falls due (see the module) and record a DEADLINE_REMINDERS run
    per province with the count of new reminders by kind. The caller commits.

    - SELF_ASSESSMENT_DUE: an open cycle's self-assessment deadline within 3 days, to each unit
      whose assessment is DRAFT or RETURNED; SELF_ASSESSMENT_OVERDUE once it has passed.
    - REVIEW_DUE: the review deadline within 3 days, to each reviewing unit (the parent of the
      assessed units) with assessments SUBMITTED or RESUBMITTED: one per cycle and reviewer.
    - HAZARD_DUE / TASK_DUE: a hazard not rectified, a task element pending, whose deadline day
      is today or within 3 days, to its responsible unit.
    """
    now = now or utcnow()
    today = local_date(now)
    horizon = now + timedelta(days=REMIND_DAYS)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict(ZERO))

    def sent(node: TenantNode, kind: NotificationKind, *args: object, **kw: object) -> None:
        if notify(session, node, kind, *args, now=now, **kw):  # type: ignore[arg-type]
            counts[node.customer_id][kind.value] += 1

    cycles = list(
        session.scalars(select(Cycle).where(Cycle.state == CycleState.OPEN).order_by(Cycle.id))
    )
    self_cycles = {c.id: c for c in cycles if c.self_due <= horizon}
    review_cycles = {c.id: c for c in cycles if now < c.review_due <= horizon}
    assessments = (
        list(
            session.scalars(
                select(Assessment)
                .where(
                    Assessment.cycle_id.in_(set(self_cycles) | set(review_cycles)),
                    Assessment.state.in_(UNSUBMITTED_STATES + AWAITING_REVIEW_STATES),
                )
                .order_by(Assessment.id)
            )
        )
        if self_cycles or review_cycles
        else []
    )
    hazards = list(
        session.scalars(
            select(Hazard)
            .where(
                Hazard.state.not_in(RECTIFIED_STATES),
                Hazard.deadline.between(today, today + timedelta(days=REMIND_DAYS)),
            )
            .order_by(Hazard.id)
        )
    )
    elements = list(
        session.scalars(
            select(TaskElement)
            .where(
                TaskElement.state == TaskState.PENDING,
                TaskElement.deadline.between(today, today + timedelta(days=REMIND_DAYS)),
            )
            .order_by(TaskElement.id)
        )
    )
    nodes = _nodes(
        session,
        {a.node_id for a in assessments} | {h.node_id for h in hazards},
        {e.node_id for e in elements},
    )

    reviewers: dict[tuple[int, int], int] = defaultdict(int)  # (cycle, reviewer) -> waiting
    for assessment in assessments:
        node = nodes[assessment.node_id]
        if assessment.state in UNSUBMITTED_STATES and assessment.cycle_id in self_cycles:
            cycle = self_cycles[assessment.cycle_id]
            day = due_day(cycle.self_due)
            if now < cycle.self_due:
                sent(
                    node,
                    NotificationKind.SELF_ASSESSMENT_DUE,
                    f"self_assessment_due:assessment:{assessment.id}:{day.isoformat()}",
                    f"Self-assessment due {day.isoformat()}: {cycle.name}",
                    f"Your self-assessment is {assessment.state.value} and due by the end of "
                    f"{day.isoformat()} (China time); submitted later, it is marked late.",
                    f"assessment:{assessment.id}",
                    day,
                )
            else:
                sent(
                    node,
                    NotificationKind.SELF_ASSESSMENT_OVERDUE,
                    f"self_assessment_overdue:assessment:{assessment.id}:{day.isoformat()}",
                    f"Self-assessment overdue: {cycle.name}",
                    f"The self-assessment was due by the end of {day.isoformat()} and is still "
                    f"{assessment.state.value}; submit it now (it will be marked late).",
                    f"assessment:{assessment.id}",
                    day,
                )
        elif (
            assessment.state in AWAITING_REVIEW_STATES
            and assessment.cycle_id in review_cycles
            and node.parent_id is not None
        ):
            reviewers[(assessment.cycle_id, node.parent_id)] += 1
    for (cycle_id, reviewer_id), waiting in sorted(reviewers.items()):
        cycle = review_cycles[cycle_id]
        day = due_day(cycle.review_due)
        sent(
            nodes[reviewer_id],
            NotificationKind.REVIEW_DUE,
            f"review_due:cycle:{cycle_id}:{day.isoformat()}",
            f"Reviews due {day.isoformat()}: {cycle.name}",
            f"{waiting} assessment(s) of units below you await your review, due by the end of "
            f"{day.isoformat()} (China time).",
            f"cycle:{cycle_id}",
            day,
        )
    for hazard in hazards:
        sent(
            nodes[hazard.node_id],
            NotificationKind.HAZARD_DUE,
            f"hazard_due:hazard:{hazard.id}:{hazard.deadline.isoformat()}",
            f"Hazard rectification due {hazard.deadline.isoformat()}: {hazard.title}",
            f"The hazard is {hazard.state.value}; rectify it by the end of "
            f"{hazard.deadline.isoformat()} or it counts as overdue.",
            f"hazard:{hazard.id}",
            hazard.deadline,
        )
    for element in elements:
        sent(
            nodes[element.node_id],
            NotificationKind.TASK_DUE,
            f"task_due:task_element:{element.id}:{element.deadline.isoformat()}",
            f"Task due {element.deadline.isoformat()}: {element.code} {element.title}"[:300],
            f"Complete the task element with evidence by the end of "
            f"{element.deadline.isoformat()} or it counts as overdue.",
            f"task_element:{element.id}",
            element.deadline,
        )
    return counts


def _nodes(session: Session, ids: set[int], more: set[int]) -> dict[int, TenantNode]:
    """The units by id, with the parents of the first set (the reviewers) too."""
    nodes = nodes_by_id(session, ids | more)
    nodes.update(
        nodes_by_id(
            session, {n.parent_id for n in nodes.values() if n.parent_id is not None} - set(nodes)
        )
    )
    return nodes
