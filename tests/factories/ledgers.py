"""Ledgers: hazard, accident and task rows written straight, and the Guangyuan task plans."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scoring.ledgers.models import (
    Accident,
    AccidentClass,
    ActionPlan,
    Hazard,
    HazardSeverity,
    HazardSource,
    HazardState,
    ReportStatus,
    Sector,
    TaskElement,
    TaskState,
)
from scoring.ledgers.tasks import ElementInput, PlanInput, SectionInput
from tests.factories.tenants import node

D = Decimal


# --- rows, written straight (not through the services) --------------------------------------


def _flushed(session: Session, row: Any) -> Any:
    """``row`` added and flushed (it has its id)."""
    session.add(row)
    session.flush()
    return row


def hazard_row(
    session: Session,
    code: str,
    *,
    found_on: date,
    deadline: date,
    title: str = "消防通道被杂物堵塞",
    sector: Sector = Sector.FIRE,
    source: HazardSource = HazardSource.SELF_INSPECTION,
    severity: HazardSeverity = HazardSeverity.GENERAL,
    state: HazardState = HazardState.OPEN,
    **columns: Any,
) -> Hazard:
    """A hazard of the unit ``code`` (flushed)."""
    unit = node(session, code)
    row = Hazard(
        customer_id=unit.customer_id,
        node_id=unit.id,
        title=title,
        sector=sector,
        source=source,
        severity=severity,
        found_on=found_on,
        deadline=deadline,
        state=state,
        **columns,
    )
    return _flushed(session, row)


def accident_row(
    session: Session,
    code: str,
    occurred_on: date,
    deaths: int,
    *,
    report_status: ReportStatus = ReportStatus.ON_TIME,
    **columns: Any,
) -> Accident:
    """A road accident of the unit ``code`` with ``deaths`` (larger from 3), no injuries and no
    loss (flushed)."""
    unit = node(session, code)
    row = Accident(
        customer_id=unit.customer_id,
        node_id=unit.id,
        occurred_on=occurred_on,
        title=f"accident on {occurred_on.isoformat()}",
        sector=Sector.ROAD_TRANSPORT,
        deaths=deaths,
        serious_injuries=0,
        direct_loss=D(0),
        accident_class=AccidentClass.LARGER if deaths >= 3 else AccidentClass.GENERAL,
        report_status=report_status,
        **columns,
    )
    return _flushed(session, row)


def task_row(
    session: Session,
    code: str,
    deadline: date,
    *,
    plan_owner: str,
    plan_title: str,
    element_code: str,
    title: str,
    position: int | None = None,
    state: TaskState = TaskState.PENDING,
    **columns: Any,
) -> TaskElement:
    """A task element of the unit ``code`` in the first plan there is, or else in a 2026 plan
    of ``plan_owner`` written first; ``position`` after the elements there are unless given
    (flushed)."""
    unit = node(session, code)
    plan = session.scalars(select(ActionPlan)).first()
    if plan is None:
        owner = node(session, plan_owner)
        plan = ActionPlan(
            customer_id=owner.customer_id,
            owner_node_id=owner.id,
            title=plan_title,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        _flushed(session, plan)
    if position is None:
        position = (session.scalar(select(func.count()).select_from(TaskElement)) or 0) + 1
    row = TaskElement(
        customer_id=unit.customer_id,
        node_id=unit.id,
        plan_id=plan.id,
        position=position,
        code=element_code,
        title=title,
        deadline=deadline,
        state=state,
        **columns,
    )
    return _flushed(session, row)


# --- task plans ------------------------------------------------------------------------------


def element(code: str, title: str, unit: str, deadline: date) -> ElementInput:
    """One element of a plan: its code, title, responsible unit and deadline."""
    return ElementInput(code, title, unit, deadline)


# Guangyuan's plan in small: 2 topics, 4 projects, 11 elements, for the city bureau, its
# districts and counties and two towns; one unit named, not coded (利州区 is 510802).
GUANGYUAN = PlanInput(
    title="广元市安全生产专项整治2026年度任务清单",
    period_start=date(2026, 1, 1),
    period_end=date(2026, 12, 31),
    sections=(
        SectionInput(
            "一",
            "学习宣传贯彻安全生产重要论述专题",
            "topic",
            elements=(
                element("1.1", "组织理论学习中心组专题学习", "510800-YJJ", date(2026, 3, 31)),
                element("1.2", "将安全生产纳入党校培训内容", "利州区", date(2026, 6, 30)),
            ),
            sections=(
                SectionInput(
                    "1-1",
                    "安全发展理念宣传专项",
                    "project",
                    elements=(
                        element("1.3", "开展安全生产月宣传活动", "510802", date(2026, 6, 30)),
                        element("1.4", "开展安全宣传进企业活动", "510811", date(2026, 9, 30)),
                    ),
                ),
            ),
        ),
        SectionInput(
            "二",
            "落实安全生产责任和管理制度专题",
            "topic",
            sections=(
                SectionInput(
                    "2-1",
                    "危险化学品安全专项",
                    "project",
                    elements=(
                        element("2.1", "重大危险源企业全覆盖检查", "510823", date(2026, 3, 31)),
                        element("2.2", "加油站安全风险排查", "510823100", date(2026, 4, 30)),
                        element("2.3", "危化品运输车辆专项检查", "510824", date(2026, 5, 31)),
                    ),
                ),
                SectionInput(
                    "2-2",
                    "非煤矿山安全专项",
                    "project",
                    elements=(
                        element("2.4", "关闭不具备安全生产条件矿山", "510821", date(2026, 6, 30)),
                        element("2.5", "尾矿库风险监测预警", "510822", date(2026, 12, 31)),
                    ),
                ),
                SectionInput(
                    "2-3",
                    "道路运输安全专项",
                    "project",
                    elements=(
                        element("2.6", "临水临崖路段防护整治", "510812", date(2026, 8, 31)),
                        element("2.7", "景区道路交通安全检查", "510823120", date(2026, 10, 31)),
                    ),
                ),
            ),
        ),
    ),
)
GUANGYUAN_UNITS = (
    "510800-YJJ", "510802", "510811", "510812", "510821", "510822", "510823", "510823100",
    "510823120", "510824",
)  # fmt: skip


def big_plan(elements: int = 291) -> PlanInput:
    """A plan the size of Guangyuan's: 2 topics, 13 projects, ``elements`` elements spread
    over the city's units and the months of 2026."""
    units = GUANGYUAN_UNITS
    projects: list[list[ElementInput]] = [[] for _ in range(13)]
    for number in range(elements):
        projects[number % 13].append(
            element(
                f"{number % 13 + 1}.{number // 13 + 1}",
                f"任务要素 {number + 1}",
                units[number % len(units)],
                date(2026, number % 12 + 1, 28),
            )
        )

    def project(index: int) -> SectionInput:
        return SectionInput(
            f"P{index + 1}", f"专项 {index + 1}", "project", elements=tuple(projects[index])
        )

    return PlanInput(
        title="广元市安全生产专项整治三年行动任务清单",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        sections=(
            SectionInput("T1", "专题一", "topic", sections=tuple(project(i) for i in range(3))),
            SectionInput("T2", "专题二", "topic", sections=tuple(project(i) for i in range(3, 13))),
        ),
    )
