"""Indicator templates as mapped tables: families, versions, the item tree and veto rules,
all belonging to the province (customer-owned): every unit assessed under them reads them."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from redline.db import (
    Amount,
    Base,
    Document,
    Timestamped,
    UtcDateTime,
    enum_check,
    str_enum,
)
from scoring.engine import Grade, Method
from scoring.engine.consequences import ConsequencePolicy
from tenants.models import ProvinceSharded, TenantNode, province_key

# --- templates -------------------------------------------------------------------------------


class TemplateState(enum.StrEnum):
    """A draft is edited; a published version is immutable; an archived one is only read."""

    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class TemplateFamily(Base, ProvinceSharded, Timestamped):
    """One assessment scheme over the years ("Zhejiang county work-safety assessment").

    Its versions are the yearly templates; rank change compares cycles of the same family.
    """

    __tablename__ = "template_family"
    __table_args__ = (UniqueConstraint("customer_id", "code", name="uq_template_family_code"),)

    # The unit whose template authors own the family (a province, or a city for local schemes).
    owner_node_id: Mapped[int] = mapped_column(ForeignKey("tenant_node.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))

    owner_node: Mapped[TenantNode] = relationship(lazy="raise_on_sql")


class Template(Base, ProvinceSharded, Timestamped):
    """One version of a family: a tree of categories and indicators, grades, bonus cap, vetoes.

    A city's local template ``extends`` a published provincial version: it keeps every item of
    it and adds its own indicators only under the categories the province left open (``local``).
    """

    __tablename__ = "template"
    __table_args__ = (
        UniqueConstraint("family_id", "version", "customer_id", name="uq_template_family_version"),
        CheckConstraint(enum_check("state", TemplateState), name="state"),
        province_key("family_id", "template_family", ondelete="CASCADE"),
        province_key("extends_id", "template"),
        province_key("copied_from_id", "template"),
    )

    family_id: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[TemplateState] = mapped_column(
        str_enum(TemplateState, 16), default=TemplateState.DRAFT
    )
    title: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer)
    total_points: Mapped[Decimal] = mapped_column(Amount)
    bonus_cap: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    # None: the template has no such grade (fewer grades: 合格 / 不合格 has only qualified).
    grade_excellent: Mapped[Decimal | None] = mapped_column(Amount)
    grade_good: Mapped[Decimal | None] = mapped_column(Amount)
    grade_qualified: Mapped[Decimal] = mapped_column(Amount)
    owner_node_id: Mapped[int] = mapped_column(ForeignKey("tenant_node.id"), index=True)
    extends_id: Mapped[int | None] = mapped_column(Integer, index=True)
    copied_from_id: Mapped[int | None] = mapped_column(Integer)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # A region assessed itself and through its units: its composite score is weight x its own
    # total + (1 - weight) x the mean of its units' totals (None: no composite).
    composite_weight: Mapped[Decimal | None] = mapped_column(Amount)
    # What it calls its grades ({"excellent": "一级", ...}; a grade left out keeps its word).
    grade_names: Mapped[dict[str, str]] = mapped_column(Document, default=dict)
    # The language its scorecards are explained in (``scoring.engine.words.Language``).
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    # Colour bands of the leaders' matrix and league table (``scoring.engine.bands.BandRule``
    # as a document; None: the grade thresholds), and the least change of score and of rank
    # that earns a trend arrow against the previous cycle (None: any change).
    bands: Mapped[dict[str, Any] | None] = mapped_column(Document)
    trend_min_points: Mapped[Decimal | None] = mapped_column(Amount)
    trend_min_ranks: Mapped[int | None] = mapped_column(Integer)
    # What a final result does to a unit (``scoring.engine.consequences.ConsequencePolicy`` as
    # a document; None: the defaults).
    consequences: Mapped[dict[str, Any] | None] = mapped_column(Document)
    # Bumped by every edit of the draft: a stale editor gets a conflict, not a silent overwrite.
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    family: Mapped[TemplateFamily] = relationship(lazy="raise_on_sql")
    items: Mapped[list[TemplateItem]] = relationship(
        back_populates="template",
        lazy="raise_on_sql",
        cascade="all, delete-orphan",
        order_by="TemplateItem.position",
    )
    veto_rules: Mapped[list[VetoRule]] = relationship(
        back_populates="template",
        lazy="raise_on_sql",
        cascade="all, delete-orphan",
        order_by="VetoRule.position",
    )

    def grade_thresholds(self) -> dict[Grade, Decimal]:
        """The grades this template has above UNQUALIFIED, best first, each with the least total
        that earns it (a template with fewer grades leaves excellent, or both excellent and
        good, out)."""
        thresholds = {
            Grade.EXCELLENT: self.grade_excellent,
            Grade.GOOD: self.grade_good,
            Grade.QUALIFIED: self.grade_qualified,
        }
        return {grade: low for grade, low in thresholds.items() if low is not None}

    def consequence_policy(self) -> ConsequencePolicy:
        """What a final result of this template does to a unit."""
        return ConsequencePolicy.from_document(self.consequences)


class ItemKind(enum.StrEnum):
    """A template item is a category (holds items) or an indicator (is scored)."""

    CATEGORY = "category"
    INDICATOR = "indicator"


class ValueSource(enum.StrEnum):
    """Where an indicator's input comes from: the unit's self-assessment, or a figure of its
    ledgers over the cycle's period (see ``scoring.ledgers.figures``; rates are percentages)."""

    SELF = "self"  # the unit's self-assessment
    HAZARD_RECTIFICATION_RATE = "hazard_rectification_rate"
    MAJOR_HAZARD_RECTIFICATION_RATE = "major_hazard_rectification_rate"
    OVERDUE_HAZARDS = "overdue_hazards"
    OVERDUE_MAJOR_HAZARDS = "overdue_major_hazards"
    TASK_COMPLETION_RATE = "task_completion_rate"
    OVERDUE_TASK_ELEMENTS = "overdue_task_elements"
    ACCIDENTS = "accidents"
    ACCIDENT_DEATHS = "accident_deaths"
    STATEMENT_COVERAGE = "statement_coverage"


class AccidentClass(enum.StrEnum):
    """Classes of the State Council regulation on accident reporting (2007), mildest first:
    the ledger classes each accident, and a clause fed by the accident ledger may count one."""

    GENERAL = "general"  # 一般
    LARGER = "larger"  # 较大
    MAJOR = "major"  # 重大
    ESPECIALLY_SERIOUS = "especially_serious"  # 特别重大

    @property
    def severity(self) -> int:
        """0 for general up to 3 for especially serious (compare classes with it)."""
        return list(AccidentClass).index(self)


class AccidentMeasure(enum.StrEnum):
    """What a deduction clause fed by the accident ledger (``ValueSource.ACCIDENTS``) counts."""

    ACCIDENTS = "accidents"  # 每发生一起……扣N分
    DEATHS = "deaths"  # 每死亡1人扣N分
    LATE_REPORT_HOURS = "late_report_hours"  # 每迟报1小时扣N分


# The methods a ledger figure can feed: a value (RATIO, TIERS) or clause counts (DEDUCTION).
LEDGER_FED_METHODS = (Method.RATIO, Method.TIERS, Method.DEDUCTION)


class TemplateItem(Base, ProvinceSharded):
    """A category or an indicator of one template version, in tree order (``position``).

    Indicator parameters by method: ``target``/``floor`` (ratio), ``tiers`` (a list of
    ``{"min_value", "points"}``), ``clauses`` (deduction: a list of ``{"key", "kind", "text",
    "points", "threshold", "fact"}``, each beside its original wording).
    """

    __tablename__ = "template_item"
    __table_args__ = (
        UniqueConstraint("template_id", "code", "customer_id", name="uq_template_item_code"),
        CheckConstraint(enum_check("kind", ItemKind), name="kind"),
        CheckConstraint(f"method IS NULL OR {enum_check('method', Method)}", name="method"),
        Index("ix_template_item_template_position", "template_id", "position"),
        province_key("template_id", "template", ondelete="CASCADE"),
        province_key("parent_id", "template_item", ondelete="CASCADE"),
    )

    template_id: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(Integer, index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind, 16))
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(500))
    criteria: Mapped[str] = mapped_column(Text, default="")
    requirement: Mapped[str] = mapped_column(Text, default="")  # 考评内容
    max_points: Mapped[Decimal] = mapped_column(Amount)
    # Categories: a bonus category sits outside the total; a local one is filled by cities.
    bonus: Mapped[bool] = mapped_column(Boolean, default=False)
    local: Mapped[bool] = mapped_column(Boolean, default=False)
    # Indicators:
    method: Mapped[Method | None] = mapped_column(str_enum(Method, 16))
    target: Mapped[Decimal | None] = mapped_column(Amount)
    floor: Mapped[Decimal | None] = mapped_column(Amount)
    tiers: Mapped[list[dict[str, Any]]] = mapped_column(Document, default=list)
    clauses: Mapped[list[dict[str, Any]]] = mapped_column(Document, default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(60), default=ValueSource.SELF.value)
    # The item's own colour bands (a ``BandRule`` document), before the template's.
    bands: Mapped[dict[str, Any] | None] = mapped_column(Document)
    # Set on the indicators a city added to a local category of the template it extends.
    added_by_node_id: Mapped[int | None] = mapped_column(ForeignKey("tenant_node.id"))

    template: Mapped[Template] = relationship(back_populates="items", lazy="raise_on_sql")


class VetoKind(enum.StrEnum):
    """How a veto rule fires: raised by an assessor, or by a fact of the unit's ledgers in the
    cycle's period (see ``scoring.ledgers.vetoes``)."""

    MANUAL = "manual"  # raised by an assessor with a reason and evidence
    LARGER_ACCIDENT = "larger_accident"  # an accident of class larger (较大) or worse
    CONCEALED_ACCIDENT = "concealed_accident"  # an accident concealed (瞒报)
    LATE_REPORTED_ACCIDENT = "late_reported_accident"  # an accident reported late (迟报)
    OVERDUE_MAJOR_HAZARD = "overdue_major_hazard"  # a listed major hazard past its deadline
    # An accident with at least ``threshold`` deaths (e.g. a general accident with several).
    ACCIDENT_DEATHS = "accident_deaths"
    # At least ``threshold`` task elements overdue (逾期未完成的工作任务).
    OVERDUE_TASKS = "overdue_tasks"
    # Graded unqualified (vetoed or below the qualified mark) in the previous cycle.
    PREVIOUS_CRITICISM = "previous_criticism"
    # A yellow card in this cycle and in the previous one (连续两个周期黄牌警告).
    REPEATED_YELLOW_CARD = "repeated_yellow_card"


# The kinds that need a number (``VetoRule.threshold``): deaths, overdue task elements.
THRESHOLD_KINDS = frozenset({VetoKind.ACCIDENT_DEATHS, VetoKind.OVERDUE_TASKS})


class RuleSeverity(enum.StrEnum):
    """What a template rule does to a unit it fires on."""

    VETO = "veto"  # one-ticket veto (一票否决): unqualified whatever the score
    YELLOW_CARD = "yellow_card"  # yellow card (黄牌警告): a warning; no commendation


class VetoRule(Base, ProvinceSharded):
    """A template's rule of consequence: a one-ticket veto (whatever the score, the unit is
    unqualified) or, by its severity, a yellow card (a warning that takes the unit out of the
    commendation candidates and shows in rankings and reports)."""

    __tablename__ = "veto_rule"
    __table_args__ = (
        UniqueConstraint("template_id", "code", "customer_id", name="uq_veto_rule_code"),
        CheckConstraint(enum_check("kind", VetoKind), name="kind"),
        CheckConstraint(enum_check("severity", RuleSeverity), name="severity"),
        province_key("template_id", "template", ondelete="CASCADE"),
    )

    template_id: Mapped[int] = mapped_column(Integer, index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[VetoKind] = mapped_column(str_enum(VetoKind, 40), default=VetoKind.MANUAL)
    severity: Mapped[RuleSeverity] = mapped_column(
        str_enum(RuleSeverity, 16), default=RuleSeverity.VETO, server_default="veto"
    )
    # {"threshold": n} for the kinds that need a number (THRESHOLD_KINDS).
    params: Mapped[dict[str, Any]] = mapped_column(Document, default=dict)

    template: Mapped[Template] = relationship(back_populates="veto_rules", lazy="raise_on_sql")

    @property
    def threshold(self) -> int | None:
        """The number a deaths or overdue-tasks rule fires at, None for the other kinds."""
        value = (self.params or {}).get("threshold")
        return int(value) if value is not None else None

    @property
    def yellow_card(self) -> bool:
        return self.severity is RuleSeverity.YELLOW_CARD
