"""Assessment groups (分类考核): the office that opened a cycle splits its units into groups (by
economic size or risk), each ranked and commended within itself and graded by thresholds of its
own where it sets them; until a result is final, the groups may be set again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import pairwise

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from redline.db import utcnow
from redline.errors import DomainError, ErrorCode, Problem, fail
from scoring.assessments.audit import record
from scoring.assessments.models import Assessment, AssessmentGroup, AssessmentState, Cycle
from scoring.assessments.rescoring import ask_for_rankings
from scoring.assessments.scorecards import rescore
from scoring.assessments.workflow import require_open
from scoring.inputs import amount_problem, text_problem
from scoring.templates.models import Template
from tenants.access import Actor
from tenants.models import Role, TenantNode

CODE_MAX = 40
NAME_MAX = 200
MAX_GROUPS = 20


@dataclass(frozen=True)
class GroupInput:
    """A group as the office states it: its units, and optionally its own grade thresholds
    (every grade the template has, or none) and commendation quota."""

    code: str
    name: str
    unit_ids: tuple[int, ...]  # tenant node ids of the cycle's units
    grade_excellent: Decimal | None = None
    grade_good: Decimal | None = None
    grade_qualified: Decimal | None = None
    commendation_quota: int | None = None


def cycle_groups(session: Session, cycle_id: int) -> list[AssessmentGroup]:
    """The cycle's groups in the order its rankings list them."""
    return list(
        session.scalars(
            select(AssessmentGroup)
            .where(AssessmentGroup.cycle_id == cycle_id)
            .order_by(AssessmentGroup.position)
        )
    )


@dataclass(frozen=True)
class GroupMembers:
    """A group as it reads: the group and the units ranked in it."""

    group: AssessmentGroup
    node_ids: list[int]


def groups_of_cycles(session: Session, cycle_ids: Sequence[int]) -> dict[int, list[GroupMembers]]:
    """Each cycle's groups in ranking order, with their units: two statements for any number
    of cycles (a cycle without groups is absent)."""
    members: dict[int, list[int]] = defaultdict(list)
    for group_id, node_id in session.execute(
        select(Assessment.group_id, Assessment.node_id)
        .where(Assessment.cycle_id.in_(cycle_ids), Assessment.group_id.is_not(None))
        .order_by(Assessment.node_id)
    ):
        members[group_id].append(node_id)
    found: dict[int, list[GroupMembers]] = defaultdict(list)
    for group in session.scalars(
        select(AssessmentGroup)
        .where(AssessmentGroup.cycle_id.in_(cycle_ids))
        .order_by(AssessmentGroup.cycle_id, AssessmentGroup.position)
    ):
        found[group.cycle_id].append(GroupMembers(group, members[group.id]))
    return found


def set_groups(
    session: Session,
    actor: Actor | None,
    cycle: Cycle,
    groups: Sequence[GroupInput],
    *,
    now: datetime | None = None,
) -> list[AssessmentGroup]:
    """Split the cycle's units into ``groups`` (none: one ranking again), replacing the groups
    it had: every unit in exactly one group. Each unit whose group changes has it in its audit
    trail; every assessment scored so far is scored again (its grade may move) and the
    rankings are asked for again. Refused once a result of the cycle is final."""
    now = now or utcnow()
    owner = session.get_one(TenantNode, cycle.owner_node_id)
    if actor is not None:
        actor.require(owner, Role.ADMIN, field="cycleId")
    require_open(cycle, "cycleId")
    # One writer of a cycle's groups at a time (PostgreSQL; SQLite writes one at a time
    # anyway): a second waits for the first, then replaces what it set.
    session.execute(select(Cycle.id).where(Cycle.id == cycle.id).with_for_update())
    final = session.scalar(
        select(func.count())
        .select_from(Assessment)
        .where(Assessment.cycle_id == cycle.id, Assessment.state == AssessmentState.FINAL)
    )
    if final:
        raise fail(
            "groups",
            f"{final} results of the cycle are final: its groups are fixed once a result is",
            ErrorCode.INVALID_STATE,
        )
    assessments = list(session.scalars(select(Assessment).where(Assessment.cycle_id == cycle.id)))
    template = session.get_one(Template, cycle.template_id)
    codes = dict(
        session.execute(
            select(TenantNode.id, TenantNode.code).where(
                TenantNode.id.in_([a.node_id for a in assessments])
            )
        ).all()
    )
    if problems := _problems(groups, {a.node_id for a in assessments}, codes, template):
        raise DomainError(problems)

    session.flush()  # the caller's earlier work stays out of the savepoint
    try:
        with session.begin_nested():
            made = _replace(session, actor, cycle, assessments, groups, now)
    except IntegrityError:
        # Two offices grouping the cycle at the very same moment where rows are not locked:
        # the second one's codes hit the first one's.
        raise fail(
            "groups",
            "the cycle's groups were set by someone else at the same moment: read them again",
            ErrorCode.CONFLICT,
        ) from None
    cycle.updated_at = now
    if assessments:
        ask_for_rankings(session, assessments[0], moved=True)
    session.flush()
    return made


def _replace(
    session: Session,
    actor: Actor | None,
    cycle: Cycle,
    assessments: Sequence[Assessment],
    groups: Sequence[GroupInput],
    now: datetime,
) -> list[AssessmentGroup]:
    """The cycle's groups replaced by ``groups``, each unit's group and grade with them."""
    before = {g.id: g.code for g in cycle_groups(session, cycle.id)}
    session.execute(
        update(Assessment).where(Assessment.cycle_id == cycle.id).values(group_id=None),
        execution_options={"synchronize_session": False},
    )
    for stale in session.scalars(
        select(AssessmentGroup).where(AssessmentGroup.cycle_id == cycle.id)
    ):
        session.delete(stale)
    session.flush()
    made: list[AssessmentGroup] = []
    group_of: dict[int, AssessmentGroup] = {}
    for position, given in enumerate(groups, start=1):
        group = AssessmentGroup(
            customer_id=cycle.customer_id,
            cycle_id=cycle.id,
            code=given.code.strip(),
            name=given.name.strip(),
            position=position,
            grade_excellent=given.grade_excellent,
            grade_good=given.grade_good,
            grade_qualified=given.grade_qualified,
            commendation_quota=given.commendation_quota,
        )
        session.add(group)
        made.append(group)
        group_of.update(dict.fromkeys(given.unit_ids, group))
    session.flush()
    for assessment in assessments:
        group = group_of.get(assessment.node_id)
        old = before.get(assessment.group_id) if assessment.group_id is not None else None
        # The group is no change to what the unit entered: its version stays (no conflict
        # for whoever is editing it).
        session.execute(
            update(Assessment)
            .where(Assessment.id == assessment.id)
            .values(group_id=group.id if group else None),
            execution_options={"synchronize_session": False},
        )
        set_committed_value(assessment, "group_id", group.id if group else None)
        new = group.code if group else None
        if old != new:
            record(
                session, assessment, actor, action="group", field="group", old=old, new=new, at=now
            )
        if assessment.self_total is not None:  # scored before: its grade may move
            rescore(session, assessment)
    session.flush()
    return made


def _problems(
    groups: Sequence[GroupInput], units: set[int], codes: dict[int, str], template: Template
) -> list[Problem]:
    """Everything wrong with the groups, each named by its field."""
    problems: list[Problem] = []
    if len(groups) > MAX_GROUPS:
        problems.append(
            Problem("groups", f"at most {MAX_GROUPS} groups, not {len(groups)}", ErrorCode.INVALID)
        )
        return problems
    seen_codes: set[str] = set()
    placed: dict[int, str] = {}
    for index, group in enumerate(groups):
        path = f"groups[{index}]"
        code = group.code.strip()
        if not code:
            problems.append(Problem(f"{path}.code", "give the group a code", ErrorCode.REQUIRED))
        elif p := text_problem(code, f"{path}.code", CODE_MAX):
            problems.append(p)
        elif code in seen_codes:
            problems.append(
                Problem(f"{path}.code", f"code {code!r} is used twice", ErrorCode.DUPLICATE)
            )
        seen_codes.add(code)
        if not group.name.strip():
            problems.append(Problem(f"{path}.name", "give the group a name", ErrorCode.REQUIRED))
        elif p := text_problem(group.name.strip(), f"{path}.name", NAME_MAX):
            problems.append(p)
        if not group.unit_ids:
            problems.append(
                Problem(f"{path}.unitIds", "a group holds at least one unit", ErrorCode.REQUIRED)
            )
        for unit_id in group.unit_ids:
            if unit_id not in units:
                problems.append(
                    Problem(
                        f"{path}.unitIds",
                        f"unit #{unit_id} is not assessed in this cycle",
                        ErrorCode.INVALID,
                    )
                )
            elif unit_id in placed:
                problems.append(
                    Problem(
                        f"{path}.unitIds",
                        f"{codes[unit_id]} is already in group {placed[unit_id]!r}: a unit is"
                        " in one group",
                        ErrorCode.DUPLICATE,
                    )
                )
            else:
                placed[unit_id] = code
        problems.extend(_grade_problems(group, path, template))
        if group.commendation_quota is not None and group.commendation_quota < 0:
            problems.append(
                Problem(
                    f"{path}.commendationQuota",
                    "must not be negative (0: none of the group is commended)",
                    ErrorCode.INVALID,
                )
            )
    left = sorted(codes[u] for u in units if u not in placed)
    if groups and left:
        shown = ", ".join(left[:10]) + (f" and {len(left) - 10} more" if len(left) > 10 else "")
        verb = "is" if len(left) == 1 else "are"
        problems.append(
            Problem(
                "groups",
                f"every unit of the cycle is in a group: {shown} {verb} in none",
                ErrorCode.INVALID,
            )
        )
    return problems


def _grade_problems(group: GroupInput, path: str, template: Template) -> list[Problem]:
    """A group's thresholds: none, or each grade the template has, in [0, its total] and each
    above the next."""
    given = {
        "gradeExcellent": group.grade_excellent,
        "gradeGood": group.grade_good,
        "gradeQualified": group.grade_qualified,
    }
    if all(value is None for value in given.values()):
        return []
    has = {
        "gradeExcellent": template.grade_excellent is not None,
        "gradeGood": template.grade_good is not None,
        "gradeQualified": True,
    }
    problems: list[Problem] = []
    for name, value in given.items():
        field = f"{path}.{name}"
        if has[name] and value is None:
            problems.append(
                Problem(
                    field,
                    "a group with thresholds of its own gives every grade the template has",
                    ErrorCode.REQUIRED,
                )
            )
        elif not has[name] and value is not None:
            problems.append(
                Problem(field, "the template has no such grade: leave it empty", ErrorCode.INVALID)
            )
        elif value is not None and (
            p := amount_problem(
                value, field, low=Decimal(0), high=template.total_points, what="the threshold"
            )
        ):
            problems.append(p)
    ordered = [(n, v) for n, v in given.items() if v is not None]
    if not problems:
        for (higher, top), (lower, bottom) in pairwise(ordered):
            if top <= bottom:
                problems.append(
                    Problem(
                        f"{path}.{higher}",
                        f"must be above {lower} ({bottom}), not {top}",
                        ErrorCode.INVALID,
                    )
                )
    return problems
