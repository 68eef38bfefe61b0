"""The ledger tables: accidents, hidden hazards, action plans and task elements, responsibility
statements, and one history (with evidence files) for every ledger row.

Ledger rows belong to the unit they are about (node-owned): the unit and the levels above it
see them, its siblings never do. Action plans and their sections are published documents of
the province (customer-owned); each task element belongs to its responsible unit.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from redline.db import Amount, Base, Timestamped, UtcDateTime, enum_check, str_enum, utcnow
from scoring.evidence import RefersToEvidence
from scoring.templates.models import AccidentClass
from tenants.models import NodeOwned, ProvinceSharded, TenantNode, province_key


class Sector(enum.StrEnum):
    """Industry sectors named in the seeds (and ``other`` for the rest)."""

    HAZARDOUS_CHEMICALS = "hazardous_chemicals"
    COAL_MINES = "coal_mines"
    NON_COAL_MINES = "non_coal_mines"
    ROAD_TRANSPORT = "road_transport"
    BUILDING_CONSTRUCTION = "building_construction"
    METALLURGY = "metallurgy"
    FIRE = "fire"
    GAS = "gas"
    TOURISM = "tourism"
    CONFINED_SPACE = "confined_space"
    FIREWORKS = "fireworks"
    SPECIAL_EQUIPMENT = "special_equipment"
    CIVIL_EXPLOSIVES = "civil_explosives"
    WATER_CONSERVANCY = "water_conservancy"
    AGRICULTURAL_MACHINERY = "agricultural_machinery"
    FISHING_VESSELS = "fishing_vessels"
    RAILWAYS = "railways"
    CIVIL_AVIATION = "civil_aviation"
    ELECTRIC_POWER = "electric_power"
    OIL_GAS_PIPELINES = "oil_gas_pipelines"
    OTHER = "other"


SECTOR_NAMES_ZH: dict[Sector, str] = {
    Sector.HAZARDOUS_CHEMICALS: "危险化学品",
    Sector.COAL_MINES: "煤矿",
    Sector.NON_COAL_MINES: "非煤矿山",
    Sector.ROAD_TRANSPORT: "道路运输",
    Sector.BUILDING_CONSTRUCTION: "建筑施工",
    Sector.METALLURGY: "冶金",
    Sector.FIRE: "消防",
    Sector.GAS: "燃气",
    Sector.TOURISM: "旅游",
    Sector.CONFINED_SPACE: "有限空间作业",
    Sector.FIREWORKS: "烟花爆竹",
    Sector.SPECIAL_EQUIPMENT: "特种设备",
    Sector.CIVIL_EXPLOSIVES: "民用爆炸物品",
    Sector.WATER_CONSERVANCY: "水利",
    Sector.AGRICULTURAL_MACHINERY: "农业机械",
    Sector.FISHING_VESSELS: "渔业船舶",
    Sector.RAILWAYS: "铁路",
    Sector.CIVIL_AVIATION: "民航",
    Sector.ELECTRIC_POWER: "电力",
    Sector.OIL_GAS_PIPELINES: "油气管道",
    Sector.OTHER: "其他",
}


# --- accidents -------------------------------------------------------------------------------


class ReportStatus(enum.StrEnum):
    """How the accident reached the authorities."""

    ON_TIME = "on_time"
    LATE = "late"  # 迟报
    CONCEALED = "concealed"  # 瞒报 (found out later: ``discovered_on``)


class Accident(Base, ProvinceSharded, NodeOwned, Timestamped):
    """An accident in the unit's territory. ``accident_class`` is computed from the figures."""

    __tablename__ = "accident"
    __table_args__ = (
        CheckConstraint(enum_check("sector", Sector), name="sector"),
        CheckConstraint(enum_check("accident_class", AccidentClass), name="accident_class"),
        CheckConstraint(enum_check("report_status", ReportStatus), name="report_status"),
        CheckConstraint("deaths >= 0 AND serious_injuries >= 0", name="casualties"),
        CheckConstraint("direct_loss >= 0", name="direct_loss"),
        Index("ix_accident_customer_occurred", "customer_id", "occurred_on"),
    )

    occurred_on: Mapped[date] = mapped_column(Date)
    # The time of day it happened (local), when known: a late report counts by the hour.
    occurred_time: Mapped[time | None] = mapped_column(Time)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[Sector] = mapped_column(str_enum(Sector, 40))
    deaths: Mapped[int] = mapped_column(Integer, default=0)
    serious_injuries: Mapped[int] = mapped_column(Integer, default=0)
    # Direct economic loss in yuan (reports print it in 10,000 yuan, 万元).
    direct_loss: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    accident_class: Mapped[AccidentClass] = mapped_column(str_enum(AccidentClass, 24))
    report_status: Mapped[ReportStatus] = mapped_column(str_enum(ReportStatus, 16))
    reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # A concealed accident found out later: the day it came to light.
    discovered_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    node: Mapped[TenantNode] = relationship(lazy="raise_on_sql")

    __mapper_args__ = {**ProvinceSharded.__mapper_args__, "version_id_col": version}


# --- hidden hazards --------------------------------------------------------------------------


class HazardSource(enum.StrEnum):
    """Who found the hazard."""

    SELF_INSPECTION = "self_inspection"  # 自查
    DEPARTMENT_INSPECTION = "department_inspection"  # 部门检查
    SPOT_CHECK = "spot_check"  # 暗查暗访 (四不两直)


class HazardSeverity(enum.StrEnum):
    """General (一般隐患) or major (重大隐患)."""

    GENERAL = "general"
    MAJOR = "major"


class HazardState(enum.StrEnum):
    """``open -> rectifying -> rectified -> verified -> closed``; a failed look-back sends a
    rectified hazard back to rectifying."""

    OPEN = "open"
    RECTIFYING = "rectifying"
    RECTIFIED = "rectified"
    VERIFIED = "verified"
    CLOSED = "closed"


# Rectification is done (on time or not) once a hazard reaches one of these.
RECTIFIED_STATES = (HazardState.RECTIFIED, HazardState.VERIFIED, HazardState.CLOSED)


class Hazard(Base, ProvinceSharded, NodeOwned, Timestamped):
    """A hidden hazard in the responsible unit's ledger (``node_id``), and its rectification."""

    __tablename__ = "hazard"
    __table_args__ = (
        CheckConstraint(enum_check("sector", Sector), name="sector"),
        CheckConstraint(enum_check("source", HazardSource), name="source"),
        CheckConstraint(enum_check("severity", HazardSeverity), name="severity"),
        CheckConstraint(enum_check("state", HazardState), name="state"),
        CheckConstraint("found_on <= deadline", name="deadline"),
        Index("ix_hazard_customer_found", "customer_id", "found_on"),
        Index("ix_hazard_customer_deadline", "customer_id", "deadline"),
        # Not SET NULL (it would clear the province too): findings are never deleted.
        province_key("spot_check_finding_id", "spot_check_finding"),
    )

    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    # Where it was found: the enterprise or site.
    place: Mapped[str] = mapped_column(String(300), default="")
    sector: Mapped[Sector] = mapped_column(str_enum(Sector, 40))
    source: Mapped[HazardSource] = mapped_column(str_enum(HazardSource, 24))
    severity: Mapped[HazardSeverity] = mapped_column(str_enum(HazardSeverity, 16))
    found_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    state: Mapped[HazardState] = mapped_column(str_enum(HazardState, 16), default=HazardState.OPEN)
    rectified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    rectified_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Major hazards listed for supervision (挂牌督办); delisted only after verified rectification.
    listed: Mapped[bool] = mapped_column(default=False)
    listed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    listed_by_node_id: Mapped[int | None] = mapped_column(ForeignKey("tenant_node.id"))
    delisted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # A hazard raised from an upper level's spot-check finding.
    spot_check_finding_id: Mapped[int | None] = mapped_column(Integer)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    node: Mapped[TenantNode] = relationship(lazy="raise_on_sql", foreign_keys="Hazard.node_id")

    __mapper_args__ = {**ProvinceSharded.__mapper_args__, "version_id_col": version}


# --- task lists ------------------------------------------------------------------------------


class ActionPlan(Base, ProvinceSharded, Timestamped):
    """An action plan (行动方案/清单) issued by a unit: sections and task elements."""

    __tablename__ = "action_plan"
    __table_args__ = (CheckConstraint("period_start <= period_end", name="period"),)

    owner_node_id: Mapped[int] = mapped_column(ForeignKey("tenant_node.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    owner_node: Mapped[TenantNode] = relationship(lazy="raise_on_sql")


class SectionKind(enum.StrEnum):
    """A plan's sections: special topics (专题) hold special projects (专项)."""

    TOPIC = "topic"
    PROJECT = "project"


class PlanSection(Base, ProvinceSharded):
    """A topic or special project of a plan, in plan order (``position``)."""

    __tablename__ = "plan_section"
    __table_args__ = (
        CheckConstraint(enum_check("kind", SectionKind), name="kind"),
        Index("ix_plan_section_plan_position", "plan_id", "position"),
        province_key("plan_id", "action_plan", ondelete="CASCADE"),
        province_key("parent_id", "plan_section", ondelete="CASCADE"),
    )

    plan_id: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(Integer, index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[SectionKind] = mapped_column(str_enum(SectionKind, 16))
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(500))


class TaskState(enum.StrEnum):
    """A task element is pending until completed with evidence; an assessor may reopen it."""

    PENDING = "pending"
    DONE = "done"


class TaskElement(Base, ProvinceSharded, NodeOwned, Timestamped):
    """One task element (任务要素) of a plan, owned by its responsible unit (``node_id``)."""

    __tablename__ = "task_element"
    __table_args__ = (
        CheckConstraint(enum_check("state", TaskState), name="state"),
        Index("ix_task_element_plan_position", "plan_id", "position"),
        Index("ix_task_element_customer_deadline", "customer_id", "deadline"),
        province_key("plan_id", "action_plan", ondelete="CASCADE"),
        province_key("section_id", "plan_section", ondelete="CASCADE"),
    )

    plan_id: Mapped[int] = mapped_column(Integer)
    section_id: Mapped[int | None] = mapped_column(Integer, index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(1000))
    deadline: Mapped[date] = mapped_column(Date)
    state: Mapped[TaskState] = mapped_column(str_enum(TaskState, 16), default=TaskState.PENDING)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    node: Mapped[TenantNode] = relationship(lazy="raise_on_sql")

    __mapper_args__ = {**ProvinceSharded.__mapper_args__, "version_id_col": version}


# --- responsibility statements ---------------------------------------------------------------


class StatementParty(enum.StrEnum):
    """Who signs with the issuing unit: a unit of the level below, or an enterprise."""

    UNIT = "unit"
    ENTERPRISE = "enterprise"


class StatementState(enum.StrEnum):
    """Issued (to be signed) or signed."""

    ISSUED = "issued"
    SIGNED = "signed"


class ResponsibilityStatement(Base, ProvinceSharded, NodeOwned, Timestamped):
    """A work-safety responsibility statement (责任书) of a year, in the issuing unit's ledger
    (``node_id``), with one counterparty: a unit below it, or an enterprise."""

    __tablename__ = "responsibility_statement"
    __table_args__ = (
        CheckConstraint(enum_check("party", StatementParty), name="party"),
        CheckConstraint(enum_check("state", StatementState), name="state"),
        CheckConstraint(
            "(party = 'unit' AND counterparty_node_id IS NOT NULL AND enterprise IS NULL) OR "
            "(party = 'enterprise' AND counterparty_node_id IS NULL AND enterprise IS NOT NULL)",
            name="counterparty",
        ),
        # One statement a year per counterparty (NULLs differ: each row names one of the two).
        UniqueConstraint(
            "node_id",
            "year",
            "counterparty_node_id",
            "customer_id",
            name="uq_responsibility_statement_counterparty",
        ),
        UniqueConstraint(
            "node_id",
            "year",
            "enterprise",
            "customer_id",
            name="uq_responsibility_statement_enterprise",
        ),
    )

    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    party: Mapped[StatementParty] = mapped_column(str_enum(StatementParty, 16))
    counterparty_node_id: Mapped[int | None] = mapped_column(ForeignKey("tenant_node.id"))
    enterprise: Mapped[str | None] = mapped_column(String(300))
    sector: Mapped[Sector | None] = mapped_column(str_enum(Sector, 40))
    state: Mapped[StatementState] = mapped_column(
        str_enum(StatementState, 16), default=StatementState.ISSUED
    )
    signed_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    node: Mapped[TenantNode] = relationship(
        lazy="raise_on_sql", foreign_keys="ResponsibilityStatement.node_id"
    )

    __mapper_args__ = {**ProvinceSharded.__mapper_args__, "version_id_col": version}


# --- history and evidence --------------------------------------------------------------------


class LedgerSubject(enum.StrEnum):
    """The kind of ledger row a history event is about."""

    ACCIDENT = "accident"
    HAZARD = "hazard"
    TASK_ELEMENT = "task_element"
    STATEMENT = "statement"


class LedgerEvent(Base, ProvinceSharded, NodeOwned):
    """One recorded change of a ledger row: who, when, what (field), old, new, and the note
    (the evidence statement of a step, or the reason of a correction)."""

    __tablename__ = "ledger_event"
    __table_args__ = (
        CheckConstraint(enum_check("subject", LedgerSubject), name="subject"),
        Index("ix_ledger_event_subject", "subject", "subject_id", "id"),
    )

    subject: Mapped[LedgerSubject] = mapped_column(str_enum(LedgerSubject, 16))
    subject_id: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # e.g. "recorded", "state", "correction", "listed", "delisted"
    action: Mapped[str] = mapped_column(String(40))
    field: Mapped[str | None] = mapped_column(String(60))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class LedgerAttachment(Base, ProvinceSharded, NodeOwned, RefersToEvidence):
    """An evidence file of a ledger step (a hazard's rectification, a completed task element);
    the bytes live in the evidence store, named by checksum."""

    __tablename__ = "ledger_attachment"
    __table_args__ = (province_key("event_id", "ledger_event", ondelete="CASCADE"),)

    event_id: Mapped[int] = mapped_column(Integer, index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
