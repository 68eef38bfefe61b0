"""The accident and hazard ledgers of a unit's subtree and period as Excel workbooks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from redline.calendar import LOCAL_TZ, local_date
from redline.db import utcnow
from redline.errors import ErrorCode, fail
from redline.workbook_writer import WRAP, Book
from scoring.ledgers.figures.hazards import is_overdue
from scoring.ledgers.models import (
    SECTOR_NAMES_ZH,
    Accident,
    AccidentClass,
    Hazard,
    HazardSeverity,
    HazardSource,
    HazardState,
    ReportStatus,
)
from scoring.ledgers.reading import Period, accidents_query, hazards_query
from scoring.ledgers.reporting import late_report_hours
from tenants.models import TenantNode

MAX_ROWS = 100_000  # a province's year of hazards fits; beyond, narrow the unit or period
YES, NO = "是", "否"

ACCIDENT_CLASS_ZH = {
    AccidentClass.GENERAL: "一般",
    AccidentClass.LARGER: "较大",
    AccidentClass.MAJOR: "重大",
    AccidentClass.ESPECIALLY_SERIOUS: "特别重大",
}
REPORT_STATUS_ZH = {
    ReportStatus.ON_TIME: "按时报告",
    ReportStatus.LATE: "迟报",
    ReportStatus.CONCEALED: "瞒报",
}
HAZARD_SOURCE_ZH = {
    HazardSource.SELF_INSPECTION: "自查",
    HazardSource.DEPARTMENT_INSPECTION: "部门检查",
    HazardSource.SPOT_CHECK: "暗查暗访",
}
HAZARD_SEVERITY_ZH = {HazardSeverity.GENERAL: "一般隐患", HazardSeverity.MAJOR: "重大隐患"}
HAZARD_STATE_ZH = {
    HazardState.OPEN: "待整改",
    HazardState.RECTIFYING: "整改中",
    HazardState.RECTIFIED: "已整改",
    HazardState.VERIFIED: "已验收",
    HazardState.CLOSED: "已销号",
}


@dataclass(frozen=True)
class Column:
    """A column: its key (the header's first word), label and width."""

    key: str
    label: str
    width: int
    wrap: bool = False


UNIT_COLUMNS = (Column("unit_code", "单位编码", 12), Column("unit", "单位", 20))
ACCIDENT_COLUMNS = (
    Column("id", "编号", 8),
    *UNIT_COLUMNS,
    Column("occurred_on", "发生日期", 12),
    Column("occurred_time", "发生时间", 9),
    Column("title", "事故名称", 36, wrap=True),
    Column("sector", "行业领域", 14),
    Column("deaths", "死亡人数", 9),
    Column("serious_injuries", "重伤人数", 9),
    Column("direct_loss", "直接经济损失（元）", 16),
    Column("accident_class", "事故等级", 10),
    Column("report_status", "报告情况", 10),
    Column("reported_at", "报告时间", 17),
    Column("late_report_hours", "迟报小时", 9),
    Column("discovered_on", "发现日期", 12),
    Column("description", "事故经过", 48, wrap=True),
)
HAZARD_COLUMNS = (
    Column("id", "编号", 8),
    *UNIT_COLUMNS,
    Column("found_on", "发现日期", 12),
    Column("title", "隐患名称", 36, wrap=True),
    Column("place", "所在单位/场所", 24, wrap=True),
    Column("sector", "行业领域", 14),
    Column("source", "来源", 10),
    Column("severity", "隐患等级", 10),
    Column("state", "状态", 9),
    Column("deadline", "整改期限", 12),
    Column("overdue", "逾期", 7),
    Column("listed", "挂牌督办", 9),
    Column("rectified_at", "整改完成时间", 17),
    Column("verified_at", "验收时间", 17),
    Column("closed_at", "销号时间", 17),
    Column("description", "隐患描述", 48, wrap=True),
)


def _local(moment: datetime | None) -> datetime | None:
    """A stored UTC moment as China's wall-clock time (Excel has no time zones)."""
    if moment is None:
        return None
    return moment.astimezone(LOCAL_TZ).replace(tzinfo=None)


def _checked_size(session: Session, query: object, what: str) -> None:
    total = session.scalar(select(func.count()).select_from(query.subquery()))  # type: ignore[attr-defined]
    if (total or 0) > MAX_ROWS:
        raise fail(
            "node",
            f"{total:,} {what} match; an export holds at most {MAX_ROWS:,}: choose a unit "
            "further down or a shorter period",
            ErrorCode.TOO_LARGE,
        )


def _units(session: Session, node_ids: set[int]) -> dict[int, TenantNode]:
    if not node_ids:
        return {}
    return {n.id: n for n in session.scalars(select(TenantNode).where(TenantNode.id.in_(node_ids)))}


def _workbook(
    title: str,
    columns: Sequence[Column],
    rows: Sequence[object],
    cells: Callable[[object], dict[str, object]],
) -> bytes:
    book = Book()
    sheet = book.sheet(title)
    sheet.header([f"{c.key} {c.label}" for c in columns], [c.width for c in columns])
    sheet.freeze(1)
    styles = [WRAP if c.wrap else None for c in columns]
    for row in rows:
        values = cells(row)
        sheet.write([values[c.key] for c in columns], styles)
    if rows:
        sheet.sheet.autofilter(0, 0, len(rows), len(columns) - 1)
    return book.close()


def accidents_workbook(session: Session, node_id: int, period: Period) -> bytes:
    """The accidents of the unit's subtree that happened in ``period``, as the ``accidents``
    list reads them (in recording order): one typed row each under a frozen header. A
    TOO_LARGE naming ``node`` beyond :data:`MAX_ROWS` rows."""
    query = accidents_query(session, subtree_of=node_id, occurred_in=period)
    _checked_size(session, query, "accidents")
    accidents = list(session.scalars(query.order_by(Accident.id)))
    units = _units(session, {a.node_id for a in accidents})

    def cells(row: object) -> dict[str, object]:
        assert isinstance(row, Accident)
        unit = units.get(row.node_id)
        return {
            "id": row.id,
            "unit_code": unit.code if unit else None,
            "unit": unit.name_zh if unit else None,
            "occurred_on": row.occurred_on,
            "occurred_time": row.occurred_time,
            "title": row.title,
            "sector": SECTOR_NAMES_ZH[row.sector],
            "deaths": row.deaths,
            "serious_injuries": row.serious_injuries,
            "direct_loss": row.direct_loss,
            "accident_class": ACCIDENT_CLASS_ZH[row.accident_class],
            "report_status": REPORT_STATUS_ZH[row.report_status],
            "reported_at": _local(row.reported_at),
            "late_report_hours": late_report_hours(row),
            "discovered_on": row.discovered_on,
            "description": row.description or None,
        }

    return _workbook("事故 Accidents", ACCIDENT_COLUMNS, accidents, cells)


def hazards_workbook(
    session: Session, node_id: int, period: Period, today: date | None = None
) -> bytes:
    """The hazards of the unit's subtree found in ``period``, as the ``hazards`` list reads them
    (in recording order), overdue as of ``today`` (China's date by default). A TOO_LARGE
    naming ``node`` beyond :data:`MAX_ROWS` rows."""
    today = today or local_date(utcnow())
    query = hazards_query(session, subtree_of=node_id, found_in=period)
    _checked_size(session, query, "hazards")
    found = list(session.scalars(query.order_by(Hazard.id)))
    units = _units(session, {hazard.node_id for hazard in found})

    def cells(row: object) -> dict[str, object]:
        assert isinstance(row, Hazard)
        unit = units.get(row.node_id)
        return {
            "id": row.id,
            "unit_code": unit.code if unit else None,
            "unit": unit.name_zh if unit else None,
            "found_on": row.found_on,
            "title": row.title,
            "place": row.place or None,
            "sector": SECTOR_NAMES_ZH[row.sector],
            "source": HAZARD_SOURCE_ZH[row.source],
            "severity": HAZARD_SEVERITY_ZH[row.severity],
            "state": HAZARD_STATE_ZH[row.state],
            "deadline": row.deadline,
            "overdue": YES if is_overdue(row, today) else NO,
            "listed": YES if row.listed else NO,
            "rectified_at": _local(row.rectified_at),
            "verified_at": _local(row.verified_at),
            "closed_at": _local(row.closed_at),
            "description": row.description or None,
        }

    return _workbook("隐患 Hazards", HAZARD_COLUMNS, found, cells)
