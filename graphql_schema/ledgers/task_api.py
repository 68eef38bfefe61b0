"""The task-list API: action plans, their topics, projects and task elements, completion with
evidence, reopening, statistics, and plans imported from Excel."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry import relay
from strawberry.file_uploads import Upload

from redline.calendar import local_date
from redline.db import utcnow
from redline.errors import DomainError, ErrorCode, fail
from scoring.ledgers import task_excel, tasks
from scoring.ledgers.figures import tasks as task_figures
from scoring.ledgers.history import FILES_MAX
from scoring.ledgers.models import ActionPlan as ActionPlanModel
from scoring.ledgers.models import LedgerSubject, PlanSection, SectionKind, TaskState
from scoring.ledgers.models import TaskElement as TaskElementModel
from tenants.access import Actor
from tenants.models import TenantNode

from ..context import Info
from ..errors import ApiError, UserError, user_errors
from ..ids import argument_id
from ..mutations import cap, evidence_store, get, run
from ..pagination import Connection, build_connection, check_first, decode_cursor, paginate
from ..tenants.types import Tenant, User, tenant_of
from .common import (
    LedgerEventType,
    PeriodInput,
    ledger_history,
    period_problems,
    read_files,
    user_of,
)
from .task_loaders import ElementConditions, ElementPageKey, TaskLoaders

TaskStateEnum = strawberry.enum(
    TaskState,
    name="TaskState",
    description="PENDING until the responsible unit completes it with evidence; DONE after "
    "(an office above may reopen it).",
)
PlanSectionKindEnum = strawberry.enum(
    SectionKind,
    name="PlanSectionKind",
    description="TOPIC (专题) holds projects and task elements; PROJECT (专项) holds elements.",
)


def loaders_of(info: Info) -> TaskLoaders:
    """This request's task-list loaders."""
    return info.context.loaders.tasks


# --- types -----------------------------------------------------------------------------------


@strawberry.type(
    name="PlanSection",
    description="A topic (专题) or special project (专项) of an action plan, in plan order.",
)
class PlanSectionType:
    code: str
    title: str
    kind: PlanSectionKindEnum  # type: ignore[valid-type]
    element_count: int = strawberry.field(
        description="Task elements in it (a topic's projects' included) that you can see."
    )
    sections: list[PlanSectionType] = strawberry.field(description="A topic's projects.")


def section_tree(
    sections: Sequence[PlanSection], counts: dict[int | None, int]
) -> list[PlanSectionType]:
    """The plan's top sections, each with its projects and its element count."""
    children: dict[int | None, list[PlanSection]] = defaultdict(list)
    for section in sections:
        children[section.parent_id].append(section)

    def build(section: PlanSection) -> PlanSectionType:
        inner = [build(child) for child in children[section.id]]
        return PlanSectionType(
            code=section.code,
            title=section.title,
            kind=section.kind,
            element_count=counts.get(section.id, 0) + sum(s.element_count for s in inner),
            sections=inner,
        )

    return [build(s) for s in children[None]]


def _figures(tally: task_figures.TaskTally) -> dict[str, Any]:
    return {
        "due": tally.due,
        "done": tally.done,
        "overdue": tally.overdue,
        "completion_rate": tally.completion_rate,
    }


@strawberry.type(description="Task elements of a unit (its subtree) or of a plan's section.")
class TaskFigures:
    due: int = strawberry.field(description="Elements with a deadline in the period.")
    done: int = strawberry.field(description="Of those, completed by asOf.")
    overdue: int = strawberry.field(
        description="Of those, past their deadline day and not completed by the end of it "
        "(completed late stays overdue)."
    )
    completion_rate: Decimal = strawberry.field(
        description="done / due in percent, to one decimal; 100.0 when none is due."
    )


@strawberry.type(description="A unit directly below, with its subtree's task figures.")
class TaskUnitFigures(TaskFigures):
    unit: Tenant


@strawberry.type(description="A topic or project of the plan, with its task figures.")
class TaskSectionFigures(TaskFigures):
    code: str
    title: str
    kind: PlanSectionKindEnum  # type: ignore[valid-type]


@strawberry.type(
    description="A unit's task elements due in a period (its whole subtree), as of the "
    "period's end or now while it runs: the figures the indicators take. They count the "
    "elements you can see."
)
class TaskStatistics(TaskFigures):
    unit: Tenant
    start: date
    end: date
    as_of: datetime
    by_unit: list[TaskUnitFigures] = strawberry.field(
        description="Each unit directly below, in code order."
    )
    by_section: list[TaskSectionFigures] = strawberry.field(
        description="With a plan: each topic and project, in plan order (else empty)."
    )

    @classmethod
    def from_statistics(cls, statistics: task_figures.TaskStatistics) -> TaskStatistics:
        return cls(
            unit=Tenant.from_model(statistics.node),
            start=statistics.start,
            end=statistics.end,
            as_of=statistics.as_of,
            by_unit=[
                TaskUnitFigures(unit=Tenant.from_model(u.node), **_figures(u.tally))
                for u in statistics.by_unit
            ],
            by_section=[
                TaskSectionFigures(
                    code=s.section.code,
                    title=s.section.title,
                    kind=s.section.kind,
                    **_figures(s.tally),
                )
                for s in statistics.by_section
            ],
            **_figures(statistics.tally),
        )


def _statistics(
    session: Session, node: TenantNode, start: date, end: date, plan_id: int | None
) -> TaskStatistics:
    figures = task_figures.task_statistics(session, node, start, end, now=utcnow(), plan_id=plan_id)
    return TaskStatistics.from_statistics(figures)


def _period(period: PeriodInput) -> tuple[date, date]:
    problems = period_problems(period)
    if problems:
        raise ApiError(f"period: {problems[0].message}", ErrorCode.INVALID)
    return period.start, period.end


@strawberry.input(description="Narrow a plan's task elements; all given conditions apply.")
class PlanElementFilter:
    node_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Elements of this unit and every unit below it."
    )
    state: TaskStateEnum | None = None  # type: ignore[valid-type]
    overdue: bool | None = strawberry.field(
        default=None, description="Past the deadline day and not completed by its end (today)."
    )
    due_in: PeriodInput | None = strawberry.field(
        default=None, description="Elements with a deadline in this period."
    )


@strawberry.input(description="Narrow a list of task elements; all given conditions apply.")
class TaskElementFilter(PlanElementFilter):
    plan_id: relay.GlobalID | None = None


def element_conditions(info: Info, filter: PlanElementFilter | None) -> ElementConditions:
    """The filter as conditions; a unit out of sight matches nothing."""
    if filter is None:
        return ElementConditions()
    node_path, nothing = None, False
    if filter.node_id is not None:
        node = info.context.db.get(
            TenantNode, argument_id(filter.node_id, "Tenant", "filter.nodeId")
        )
        node_path, nothing = (node.path, False) if node else (None, True)
    start, end = _period(filter.due_in) if filter.due_in is not None else (None, None)
    return ElementConditions(
        node_path=node_path,
        nothing=nothing,
        state=filter.state,
        overdue=filter.overdue,
        due_start=start,
        due_end=end,
        today=local_date(utcnow()) if filter.overdue is not None else None,
    )


@strawberry.type(
    name="ActionPlan",
    description="An action plan (行动方案/清单) issued by a unit: topics, special projects and "
    "task elements, each element with its responsible unit and deadline. Every unit of the "
    "province sees the plan; each unit sees its own elements (and those below it).",
)
class ActionPlan(relay.Node):
    id: relay.NodeID[int]
    title: str
    period_start: date
    period_end: date
    created_at: datetime
    owner_node_id: strawberry.Private[int]
    created_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: ActionPlanModel) -> ActionPlan:
        return cls(
            id=row.id,
            title=row.title,
            period_start=row.period_start,
            period_end=row.period_end,
            created_at=row.created_at,
            owner_node_id=row.owner_node_id,
            created_by_id=row.created_by_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await loaders_of(info).plan.load_many([int(i) for i in node_ids])
        return [cls.from_model(r) if r else None for r in rows]

    @strawberry.field(description="The unit that issued it; null when out of your sight.")
    async def owner(self, info: Info) -> Tenant | None:
        return await tenant_of(info, self.owner_node_id)

    @strawberry.field(description="Who issued it; null when out of your sight.")
    async def created_by(self, info: Info) -> User | None:
        return await user_of(info, self.created_by_id)

    @strawberry.field(description="Its topics (with their projects) in plan order.")
    async def sections(self, info: Info) -> list[PlanSectionType]:
        loaders = loaders_of(info)
        sections = await loaders.sections.load(self.id)
        return section_tree(sections, await loaders.section_counts.load(self.id))

    @strawberry.field(description="Its task elements you can see, in plan order.")
    async def elements(
        self,
        info: Info,
        filter: PlanElementFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[TaskElement]:
        size = check_first(first)
        after_position = _int_cursor(after)
        conditions = element_conditions(info, filter)
        loaders = loaders_of(info)
        rows = await loaders.element_page.load(
            ElementPageKey(self.id, conditions, size + 1, after_position)
        )
        total = await loaders.element_count.load((self.id, conditions))
        return build_connection(
            rows,
            size,
            total,
            TaskElement.from_model,
            lambda e: e.position,
            has_previous=after is not None,
        )

    @strawberry.field(
        description="The plan's figures for a unit (default: the owner) over a period "
        "(default: the plan's); null unless you see the unit's ledgers (not only its name)."
    )
    def statistics(
        self,
        info: Info,
        period: PeriodInput | None = None,
        node_id: relay.GlobalID | None = None,
    ) -> TaskStatistics | None:
        session = info.context.db
        node_db_id = (
            argument_id(node_id, "Tenant", "nodeId") if node_id is not None else self.owner_node_id
        )
        node = session.get(TenantNode, node_db_id)
        if node is None or not info.context.scope.node_writable(node):
            return None
        start, end = _period(period) if period else (self.period_start, self.period_end)
        return _statistics(session, node, start, end, self.id)

    @strawberry.field(
        description="Download it as an Excel workbook (the elements you can see; GET, same "
        "sign-in as /graphql); importActionPlan reads the same layout."
    )
    def download_url(self) -> str:
        return f"/files/plans/{relay.to_base64('ActionPlan', self.id)}.xlsx"


def _int_cursor(after: str | None) -> int | None:
    if after is None:
        return None
    try:
        return int(decode_cursor(after))
    except ValueError:
        raise ApiError("after: not a cursor of this list", ErrorCode.INVALID) from None


@strawberry.type(
    name="TaskElement",
    description="One task element (任务要素) of an action plan, in its responsible unit's "
    "ledger: completed with evidence by the unit, reopened by an office above it.",
)
class TaskElement(relay.Node):
    id: relay.NodeID[int]
    code: str
    title: str
    deadline: date
    state: TaskStateEnum  # type: ignore[valid-type]
    overdue: bool = strawberry.field(
        description="Past its deadline day (today) and not completed by the end of it."
    )
    completed_at: datetime | None
    version: int = strawberry.field(
        description="Send it back as expectedVersion to complete or reopen it."
    )
    position: strawberry.Private[int]
    node_id: strawberry.Private[int]
    plan_id: strawberry.Private[int]
    section_id: strawberry.Private[int | None]
    completed_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: TaskElementModel) -> TaskElement:
        return cls(
            id=row.id,
            code=row.code,
            title=row.title,
            deadline=row.deadline,
            state=row.state,
            overdue=task_figures.is_overdue(row, local_date(utcnow())),
            completed_at=row.completed_at,
            version=row.version,
            position=row.position,
            node_id=row.node_id,
            plan_id=row.plan_id,
            section_id=row.section_id,
            completed_by_id=row.completed_by_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        ids = [int(i) for i in node_ids]
        rows = info.context.db.scalars(
            select(TaskElementModel).where(TaskElementModel.id.in_(ids))
        ).all()
        found = {r.id: r for r in rows}
        return [cls.from_model(found[i]) if i in found else None for i in ids]

    @strawberry.field(description="The responsible unit.")
    async def unit(self, info: Info) -> Tenant:
        return await tenant_of(info, self.node_id)  # type: ignore[return-value]

    @strawberry.field
    async def plan(self, info: Info) -> ActionPlan:
        return ActionPlan.from_model(await loaders_of(info).plan.load(self.plan_id))

    @strawberry.field(description="Titles of its topic and project, from the top.")
    async def section_path(self, info: Info) -> list[str]:
        sections = {s.id: s for s in await loaders_of(info).sections.load(self.plan_id)}
        titles = []
        section_id = self.section_id
        while section_id is not None:
            titles.append(sections[section_id].title)
            section_id = sections[section_id].parent_id
        return titles[::-1]

    @strawberry.field(description="Who completed it; null when pending or out of your sight.")
    async def completed_by(self, info: Info) -> User | None:
        return await user_of(info, self.completed_by_id)

    @strawberry.field(
        description="Every recorded step (recorded, completed, reopened), oldest "
        "first, with the evidence files."
    )
    async def history(self, info: Info) -> list[LedgerEventType]:
        return await ledger_history(info, LedgerSubject.TASK_ELEMENT, self.id)


@strawberry.input(description="Narrow a list of action plans.")
class ActionPlanFilter:
    owner_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Plans issued by this unit."
    )


# --- queries ---------------------------------------------------------------------------------


@strawberry.type
class TaskQueries:
    @strawberry.field(description="Action plans of your province, oldest first.")
    def action_plans(
        self,
        info: Info,
        filter: ActionPlanFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ActionPlan]:
        ctx = info.context
        ctx.require_actor()
        stmt = select(ActionPlanModel)
        if filter is not None and filter.owner_id is not None:
            owner = argument_id(filter.owner_id, "Tenant", "filter.ownerId")
            stmt = stmt.where(ActionPlanModel.owner_node_id == owner)
        return paginate(
            ctx.db,
            stmt,
            ActionPlanModel.id,
            ActionPlan.from_model,
            first=first,
            after=after,
            key_of=lambda p: p.id,
        )

    @strawberry.field(
        description="Task elements you can see (your unit's and those below), oldest first."
    )
    def task_elements(
        self,
        info: Info,
        filter: TaskElementFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[TaskElement]:
        ctx = info.context
        ctx.require_actor()
        stmt = select(TaskElementModel).where(*element_conditions(info, filter).clauses())
        if filter is not None and filter.plan_id is not None:
            plan = argument_id(filter.plan_id, "ActionPlan", "filter.planId")
            stmt = stmt.where(TaskElementModel.plan_id == plan)
        return paginate(
            ctx.db,
            stmt,
            TaskElementModel.id,
            TaskElement.from_model,
            first=first,
            after=after,
            key_of=lambda e: e.id,
        )

    @strawberry.field(
        description="Task figures of a unit's subtree over a period, optionally of one plan; "
        "null unless you see the unit's ledgers (not only its name) and the plan."
    )
    def task_statistics(
        self,
        info: Info,
        node_id: relay.GlobalID,
        period: PeriodInput,
        plan_id: relay.GlobalID | None = None,
    ) -> TaskStatistics | None:
        ctx = info.context
        ctx.require_actor()
        start, end = _period(period)
        node = ctx.db.get(TenantNode, argument_id(node_id, "Tenant", "nodeId"))
        plan = None
        if plan_id is not None:
            plan = ctx.db.get(ActionPlanModel, argument_id(plan_id, "ActionPlan", "planId"))
            if plan is None:
                return None
        if node is None or not ctx.scope.node_writable(node):
            return None
        return _statistics(ctx.db, node, start, end, plan.id if plan else None)


# --- mutations -------------------------------------------------------------------------------


@strawberry.input(description="A task element: its responsible unit by code (or exact name).")
class TaskElementInput:
    code: str
    title: str
    responsible: str = strawberry.field(
        description="The responsible unit's code, or its name if one unit under the plan's "
        "owner has it."
    )
    deadline: date | None = strawberry.field(default=None, description="Within the plan's period.")


@strawberry.input(description="A topic (projects and elements) or a project (elements).")
class PlanSectionInput:
    code: str
    title: str
    kind: PlanSectionKindEnum  # type: ignore[valid-type]
    sections: list[PlanSectionInput] = strawberry.field(default_factory=list)
    elements: list[TaskElementInput] = strawberry.field(default_factory=list)


@strawberry.input(
    description="A whole plan. Errors name its fields as paths: "
    "sections.0.sections.1.elements.3.responsible."
)
class CreateActionPlanInput:
    owner_node_id: relay.GlobalID
    title: str
    period_start: date | None = None
    period_end: date | None = None
    sections: list[PlanSectionInput] = strawberry.field(default_factory=list)
    elements: list[TaskElementInput] = strawberry.field(
        default_factory=list, description="Elements of a plan without topics."
    )


@strawberry.input(
    description="An action plan in an .xlsx workbook (multipart upload; the layout of "
    "ActionPlan.downloadUrl). Errors name rows and columns: file.rows.7.deadline."
)
class ImportActionPlanInput:
    owner_node_id: relay.GlobalID
    file: Upload


@strawberry.input(description="Complete a pending element, saying what was done.")
class CompleteTaskElementInput:
    element_id: relay.GlobalID
    expected_version: int
    note: str
    files: list[Upload] = strawberry.field(
        default_factory=list, description="Evidence files (multipart upload)."
    )


@strawberry.input(description="Send a done element back to pending, saying why.")
class ReopenTaskElementInput:
    element_id: relay.GlobalID
    expected_version: int
    reason: str


@strawberry.type
class ActionPlanPayload:
    action_plan: ActionPlan | None
    errors: list[UserError]


@strawberry.type
class TaskElementPayload:
    task_element: TaskElement | None
    errors: list[UserError]


def _element_input(data: TaskElementInput) -> tasks.ElementInput:
    return tasks.ElementInput(data.code, data.title, data.responsible, data.deadline)


def _section_input(data: PlanSectionInput, path: str) -> tasks.SectionInput:
    # Topics hold projects, projects hold elements: no input nests deeper (refused before
    # walking it, however deep it goes).
    if data.sections and path.count("sections.") >= 2:
        raise fail(f"{path}.sections", "a project holds task elements only", ErrorCode.INVALID)
    return tasks.SectionInput(
        code=data.code,
        title=data.title,
        kind=SectionKind(data.kind).value,
        sections=tuple(
            _section_input(s, f"{path}.sections.{i}") for i, s in enumerate(data.sections)
        ),
        elements=tuple(_element_input(e) for e in data.elements),
    )


def _plan_payload(result: ActionPlanModel | DomainError) -> ActionPlanPayload:
    if isinstance(result, DomainError):
        return ActionPlanPayload(action_plan=None, errors=user_errors(result))
    return ActionPlanPayload(action_plan=ActionPlan.from_model(result), errors=[])


def _element_payload(result: TaskElementModel | DomainError) -> TaskElementPayload:
    if isinstance(result, DomainError):
        return TaskElementPayload(task_element=None, errors=user_errors(result))
    return TaskElementPayload(task_element=TaskElement.from_model(result), errors=[])


def _element(session: Session, global_id: relay.GlobalID) -> TaskElementModel:
    return get(session, TaskElementModel, global_id, "TaskElement", "elementId")


@strawberry.type
class TaskMutations:
    @strawberry.mutation(
        description="Issue an action plan (assessors and admins of the owner); every "
        "responsible unit must be the owner or below it."
    )
    def create_action_plan(self, info: Info, input: CreateActionPlanInput) -> ActionPlanPayload:
        def action(session: Session, actor: Actor) -> ActionPlanModel:
            owner = get(session, TenantNode, input.owner_node_id, "Tenant", "ownerNodeId")
            data = tasks.PlanInput(
                title=input.title,
                period_start=input.period_start,
                period_end=input.period_end,
                sections=tuple(
                    _section_input(s, f"sections.{i}") for i, s in enumerate(input.sections)
                ),
                elements=tuple(_element_input(e) for e in input.elements),
            )
            return tasks.create_plan(session, actor, owner, data)

        return _plan_payload(run(info, action))

    @strawberry.mutation(
        description="Issue an action plan from an .xlsx workbook (multipart upload)."
    )
    def import_action_plan(self, info: Info, input: ImportActionPlanInput) -> ActionPlanPayload:
        # One byte more than allowed is enough for the reader to say it is too large.
        data = input.file.read(task_excel.MAX_BYTES + 1)

        def action(session: Session, actor: Actor) -> ActionPlanModel:
            owner = get(session, TenantNode, input.owner_node_id, "Tenant", "ownerNodeId")
            return task_excel.import_plan(session, actor, owner, data)

        return _plan_payload(run(info, action))

    @strawberry.mutation(
        description="Complete a pending task element (keepers of its unit), with a note and "
        "evidence files."
    )
    def complete_task_element(
        self, info: Info, input: CompleteTaskElementInput
    ) -> TaskElementPayload:
        def action(session: Session, actor: Actor) -> TaskElementModel:
            cap(input.files, FILES_MAX, "files")
            element = _element(session, input.element_id)
            return tasks.complete_element(
                session,
                actor,
                element,
                note=input.note,
                files=read_files(info, input.files),
                expected_version=input.expected_version,
                store=evidence_store(info),
                settings=info.context.settings,
            )

        return _element_payload(run(info, action))

    @strawberry.mutation(
        description="Reopen a done task element (assessors and admins above its unit)."
    )
    def reopen_task_element(self, info: Info, input: ReopenTaskElementInput) -> TaskElementPayload:
        def action(session: Session, actor: Actor) -> TaskElementModel:
            return tasks.reopen_element(
                session,
                actor,
                _element(session, input.element_id),
                reason=input.reason,
                expected_version=input.expected_version,
            )

        return _element_payload(run(info, action))


# Node types of this module, registered on the schema.
TYPES: list[type] = [ActionPlan, TaskElement]
