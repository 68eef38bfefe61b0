"""GraphQL types of the task lists: ActionPlan with its sections, TaskElement, and the task
figures of a unit or of a plan's sections."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry import relay

from redline.calendar import local_date
from redline.db import utcnow
from scoring.ledgers.figures import tasks as task_figures
from scoring.ledgers.models import ActionPlan as ActionPlanModel
from scoring.ledgers.models import LedgerSubject, PlanSection
from scoring.ledgers.models import TaskElement as TaskElementModel
from tenants.models import TenantNode

from ...core.context import Info
from ...core.enums import SectionKind, TaskState
from ...core.ids import argument_id
from ...core.nodes import ModelNode
from ...core.pagination import After, Before, Connection, First, Last
from ...tenants.types import Tenant, User
from ..common import LedgerEventType, PeriodInput, ledger_history, ledger_unit, period_of
from .dataloaders import ELEMENTS_OF_PLAN, SECTION_COUNTS, SECTIONS
from .filters import PlanElementFilter, conditions_of


@strawberry.type(
    name="PlanSection",
    description="A topic (专题) or special project (专项) of an action plan, in plan order.",
)
class PlanSectionType:
    code: str = strawberry.field(description='Its code in the plan ("2", "2.3").')
    title: str = strawberry.field(description="Its title.")
    kind: SectionKind = strawberry.field(description="TOPIC (专题) or PROJECT (专项).")
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
    unit: Tenant = strawberry.field(description="The unit directly below (its whole subtree).")


@strawberry.type(description="A topic or project of the plan, with its task figures.")
class TaskSectionFigures(TaskFigures):
    code: str = strawberry.field(description="The section's code in the plan.")
    title: str = strawberry.field(description="The section's title.")
    kind: SectionKind = strawberry.field(description="TOPIC (专题) or PROJECT (专项).")


@strawberry.type(
    description="A unit's task elements due in a period (its whole subtree), as of the "
    "period's end or now while it runs: the figures the indicators take. They count the "
    "elements you can see."
)
class TaskStatistics(TaskFigures):
    unit: Tenant = strawberry.field(description="The unit asked about.")
    start: date = strawberry.field(description="The period's first day.")
    end: date = strawberry.field(description="The period's last day.")
    as_of: datetime = strawberry.field(
        description="The moment the figures describe: the period's end, or now while it runs."
    )
    by_unit: list[TaskUnitFigures] = strawberry.field(
        description="Each unit directly below, in code order."
    )
    by_section: list[TaskSectionFigures] = strawberry.field(
        description="With a plan: each topic and project, in plan order (else empty)."
    )

    @classmethod
    def of(
        cls, info: Info, node: TenantNode, start: date, end: date, plan_id: int | None
    ) -> TaskStatistics:
        """The figures of a unit's subtree over a period, as of now: of one plan or of all."""
        statistics = task_figures.task_statistics(
            info.context.db, node, start, end, now=utcnow(), plan_id=plan_id
        )
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


@strawberry.type(
    name="ActionPlan",
    description="An action plan (行动方案/清单) issued by a unit: topics, special projects and "
    "task elements, each element with its responsible unit and deadline. Every unit of the "
    "province sees the plan; each unit sees its own elements (and those below it).",
)
class ActionPlan(ModelNode):
    model = ActionPlanModel
    id: relay.NodeID[int]
    title: str = strawberry.field(description="Its title.")
    period_start: date = strawberry.field(description="The first day of the plan's period.")
    period_end: date = strawberry.field(description="The last day of the plan's period.")
    created_at: datetime = strawberry.field(description="When it was issued.")
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

    @strawberry.field(description="The unit that issued it; null when out of your sight.")
    async def owner(self, info: Info) -> Tenant | None:
        return await Tenant.load(info, self.owner_node_id)

    @strawberry.field(description="Who issued it; null when out of your sight.")
    async def created_by(self, info: Info) -> User | None:
        return await User.load(info, self.created_by_id)

    @strawberry.field(description="Its topics (with their projects) in plan order.")
    async def sections(self, info: Info) -> list[PlanSectionType]:
        loaders = info.context.loaders
        sections = await loaders.get(SECTIONS).load(self.id)
        return section_tree(sections, await loaders.get(SECTION_COUNTS).load(self.id))

    @strawberry.field(description="Its task elements you can see, in plan order.")
    async def elements(
        self,
        info: Info,
        filter: Annotated[
            PlanElementFilter | None,
            strawberry.argument(description="Only the elements it matches; left out: all."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[TaskElement]:
        conditions = conditions_of(info, filter)
        return await ELEMENTS_OF_PLAN.connection(
            info,
            self.id,
            TaskElement.from_model,
            first=first,
            after=after,
            last=last,
            before=before,
            conditions=conditions,
        )

    @strawberry.field(
        description="The plan's figures for a unit (default: the owner) over a period "
        "(default: the plan's); null unless you see the unit's ledgers (not only its name)."
    )
    def statistics(
        self,
        info: Info,
        period: Annotated[
            PeriodInput | None,
            strawberry.argument(description="The days of the deadlines; left out: the plan's."),
        ] = None,
        node_id: Annotated[
            relay.GlobalID | None,
            strawberry.argument(
                description="The unit (a Tenant id), with its subtree; left out: the owner."
            ),
        ] = None,
    ) -> TaskStatistics | None:
        unit_id = (
            argument_id(node_id, "Tenant", "nodeId") if node_id is not None else self.owner_node_id
        )
        node = ledger_unit(info, unit_id)
        if node is None:
            return None
        start, end = period_of(period, "period") if period else (self.period_start, self.period_end)
        return TaskStatistics.of(info, node, start, end, self.id)

    @strawberry.field(
        description="Download it as an Excel workbook (the elements you can see; GET, same "
        "sign-in as /graphql); importActionPlan reads the same layout."
    )
    def download_url(self) -> str:
        return f"/files/plans/{relay.to_base64('ActionPlan', self.id)}.xlsx"


@strawberry.type(
    name="TaskElement",
    description="One task element (任务要素) of an action plan, in its responsible unit's "
    "ledger: completed with evidence by the unit, reopened by an office above it.",
)
class TaskElement(ModelNode):
    model = TaskElementModel
    id: relay.NodeID[int]
    code: str = strawberry.field(description="Its code in the plan.")
    title: str = strawberry.field(description="What is to be done.")
    deadline: date = strawberry.field(description="The day it must be done by (a local day).")
    state: TaskState = strawberry.field(description="PENDING or DONE.")
    overdue: bool = strawberry.field(
        description="Past its deadline day (today) and not completed by the end of it."
    )
    completed_at: datetime | None = strawberry.field(
        description="When it was completed; null while pending."
    )
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

    @strawberry.field(description="The responsible unit.")
    async def unit(self, info: Info) -> Tenant:
        return await Tenant.load_seen(info, self.node_id)

    @strawberry.field(description="The action plan it belongs to.")
    async def plan(self, info: Info) -> ActionPlan:
        return await ActionPlan.load_seen(info, self.plan_id)

    @strawberry.field(description="Titles of its topic and project, from the top.")
    async def section_path(self, info: Info) -> list[str]:
        sections = {s.id: s for s in await info.context.loaders.get(SECTIONS).load(self.plan_id)}
        titles = []
        section_id = self.section_id
        while section_id is not None:
            titles.append(sections[section_id].title)
            section_id = sections[section_id].parent_id
        return titles[::-1]

    @strawberry.field(description="Who completed it; null when pending or out of your sight.")
    async def completed_by(self, info: Info) -> User | None:
        return await User.load(info, self.completed_by_id)

    @strawberry.field(
        description="Every recorded step (recorded, completed, reopened), oldest "
        "first, with the evidence files."
    )
    async def history(self, info: Info) -> list[LedgerEventType]:
        return await ledger_history(info, LedgerSubject.TASK_ELEMENT, self.id)
