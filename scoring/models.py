"""Indicator templates, assessment cycles, assessments and their history, as mapped tables.

Templates and cycles belong to the province (customer-owned): every unit assessed under them
reads them. Assessments and everything hanging off them belong to the assessed unit
(node-owned): the unit itself and the levels above it see them, its siblings never do.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
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
    utcnow,
)
from scoring.engine import Method
from tenants.models import CustomerOwned, NodeOwned, TenantLevel, TenantNode

# --- templates -------------------------------------------------------------------------------


class TemplateState(enum.StrEnum):
    """A draft is edited; a published version is immutable; an archived one is only read."""

    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class TemplateFamily(Base, CustomerOwned, Timestamped):
    """One assessment scheme over the years ("Zhejiang county work-safety assessment").

    Its versions are the yearly templates; rank change compares cycles of the same family.
    """

    __tablename__ = "template_family"
    __table_args__ = (UniqueConstraint("customer_id", "code", name="uq_template_family_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The unit whose template authors own the family (a province, or a city for local schemes).
    owner_node_id: Mapped[int] = mapped_column(ForeignKey("tenant_node.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))

    owner_node: Mapped[TenantNode] = relationship(lazy="raise_on_sql")


class Template(Base, CustomerOwned, Timestamped):
    """One version of a family: a tree of categories and indicators, grades, bonus cap, vetoes.

    A city's local template ``extends`` a published provincial version: it keeps every item of
    it and adds its own indicators only under the categories the province left open (``local``).
    """

    __tablename__ = "template"
    __table_args__ = (
        UniqueConstraint("family_id", "version", name="uq_template_family_version"),
        CheckConstraint(enum_check("state", TemplateState), name="state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family_id: Mapped[int] = mapped_column(
        ForeignKey("template_family.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[TemplateState] = mapped_column(
        str_enum(TemplateState, 16), default=TemplateState.DRAFT
    )
    title: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer)
    total_points: Mapped[Decimal] = mapped_column(Amount)
    bonus_cap: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    grade_excellent: Mapped[Decimal] = mapped_column(Amount)
    grade_good: Mapped[Decimal] = mapped_column(Amount)
    grade_qualified: Mapped[Decimal] = mapped_column(Amount)
    owner_node_id: Mapped[int] = mapped_column(ForeignKey("tenant_node.id"), index=True)
    extends_id: Mapped[int | None] = mapped_column(ForeignKey("template.id"), index=True)
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("template.id"))
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # A region assessed itself and through its units: its composite score is weight x its own
    # total + (1 - weight) x the mean of its units' totals (None: no composite).
    composite_weight: Mapped[Decimal | None] = mapped_column(Amount)
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


# The methods a ledger figure can feed: a value (RATIO, TIERS) or clause counts (DEDUCTION).
LEDGER_FED_METHODS = (Method.RATIO, Method.TIERS, Method.DEDUCTION)


class TemplateItem(Base, CustomerOwned):
    """A category or an indicator of one template version, in tree order (``position``).

    Indicator parameters by method: ``target``/``floor`` (ratio), ``tiers`` (a list of
    ``{"min_value", "points"}``), ``clauses`` (deduction: a list of ``{"key", "kind", "text",
    "points", "threshold", "fact"}``, each beside its original wording).
    """

    __tablename__ = "template_item"
    __table_args__ = (
        UniqueConstraint("template_id", "code", name="uq_template_item_code"),
        CheckConstraint(enum_check("kind", ItemKind), name="kind"),
        CheckConstraint(f"method IS NULL OR {enum_check('method', Method)}", name="method"),
        Index("ix_template_item_template_position", "template_id", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("template.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("template_item.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind, 16))
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(500))
    criteria: Mapped[str] = mapped_column(Text, default="")
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


class VetoRule(Base, CustomerOwned):
    """A one-ticket-veto rule of a template: whatever the score, the unit is unqualified."""

    __tablename__ = "veto_rule"
    __table_args__ = (
        UniqueConstraint("template_id", "code", name="uq_veto_rule_code"),
        CheckConstraint(enum_check("kind", VetoKind), name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("template.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[VetoKind] = mapped_column(str_enum(VetoKind, 40), default=VetoKind.MANUAL)
    params: Mapped[dict[str, Any]] = mapped_column(Document, default=dict)

    template: Mapped[Template] = relationship(back_populates="veto_rules", lazy="raise_on_sql")


# --- cycles and assessments ------------------------------------------------------------------


class CycleState(enum.StrEnum):
    """An open cycle takes submissions and reviews; a closed one is read only."""

    OPEN = "open"
    CLOSED = "closed"


class Cycle(Base, CustomerOwned, Timestamped):
    """A published template applied to the units of one level in a subtree, over a period."""

    __tablename__ = "cycle"
    __table_args__ = (
        CheckConstraint(enum_check("state", CycleState), name="state"),
        CheckConstraint(enum_check("level", TenantLevel), name="level"),
        CheckConstraint("period_start <= period_end", name="period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("template.id"), index=True)
    # The unit that opened the cycle; the participants are of ``level`` within its subtree.
    owner_node_id: Mapped[int] = mapped_column(ForeignKey("tenant_node.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[TenantLevel] = mapped_column(str_enum(TenantLevel, 16))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    self_due: Mapped[datetime] = mapped_column(UtcDateTime)
    review_due: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[CycleState] = mapped_column(str_enum(CycleState, 16), default=CycleState.OPEN)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    template: Mapped[Template] = relationship(lazy="raise_on_sql")
    owner_node: Mapped[TenantNode] = relationship(lazy="raise_on_sql")


class AssessmentState(enum.StrEnum):
    """``draft -> submitted -> (returned -> resubmitted)* -> reviewed -> final``."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    REVIEWED = "reviewed"
    FINAL = "final"


class Assessment(Base, NodeOwned, Timestamped):
    """One unit's assessment in one cycle: its self-assessment, the review, the scores.

    ``version`` goes up with every change to the assessment or its entries; writers state the
    version they read, and a stale one gets a conflict instead of overwriting someone's work.
    """

    __tablename__ = "assessment"
    __table_args__ = (
        UniqueConstraint("cycle_id", "node_id", name="uq_assessment_cycle_node"),
        CheckConstraint(enum_check("state", AssessmentState), name="state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    state: Mapped[AssessmentState] = mapped_column(
        str_enum(AssessmentState, 16), default=AssessmentState.DRAFT
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    review_late: Mapped[bool] = mapped_column(Boolean, default=False)
    returned_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    finalised_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Scores as last computed by the engine (self: the unit's own inputs; reviewed: after review).
    self_total: Mapped[Decimal | None] = mapped_column(Amount)
    reviewed_total: Mapped[Decimal | None] = mapped_column(Amount)
    grade: Mapped[str | None] = mapped_column(String(16))
    vetoed: Mapped[bool] = mapped_column(Boolean, default=False)

    cycle: Mapped[Cycle] = relationship(lazy="raise_on_sql")
    node: Mapped[TenantNode] = relationship(lazy="raise_on_sql")

    __mapper_args__ = {"version_id_col": version}


class Entry(Base, NodeOwned, Timestamped):
    """One indicator of one assessment: the unit's input and evidence, and the reviewer's word."""

    __tablename__ = "assessment_entry"
    __table_args__ = (UniqueConstraint("assessment_id", "item_id", name="uq_entry_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("template_item.id"), index=True)
    # The unit's input, by method: value (ratio, tiers), done (boolean), points (manual,
    # bonus), counts per clause key (deduction).
    value: Mapped[Decimal | None] = mapped_column(Amount)
    done: Mapped[bool | None] = mapped_column(Boolean)
    points: Mapped[Decimal | None] = mapped_column(Amount)
    counts: Mapped[dict[str, int]] = mapped_column(Document, default=dict)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    not_applicable_reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    # A ledger-fed indicator's figure as it stood at the last submission (``value``/``counts``
    # hold it then): {"source", "value", "basis", "as_of", "rows": [{"subject", "id", "label"}]}.
    ledger_basis: Mapped[dict[str, Any] | None] = mapped_column(Document)
    # The review: confirmed as is, or adjusted to ``review_points`` with a reason; a claimed
    # not-applicable is accepted or refused by the reviewer.
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    review_points: Mapped[Decimal | None] = mapped_column(Amount)
    review_reason: Mapped[str | None] = mapped_column(Text)
    not_applicable_confirmed: Mapped[bool | None] = mapped_column(Boolean)

    item: Mapped[TemplateItem] = relationship(lazy="raise_on_sql")


class Attachment(Base, NodeOwned):
    """An evidence file of an entry; the bytes live outside the database, named by checksum."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_entry.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SpotCheckFinding(Base, NodeOwned):
    """A finding of an unannounced spot check (四不两直) deducting from a named indicator."""

    __tablename__ = "spot_check_finding"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("template_item.id"))
    points: Mapped[Decimal] = mapped_column(Amount)
    finding: Mapped[str] = mapped_column(Text)
    checked_on: Mapped[date] = mapped_column(Date)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    item: Mapped[TemplateItem] = relationship(lazy="raise_on_sql")


class VetoFlag(Base, NodeOwned):
    """A veto rule fired for one assessment, with its reason and evidence."""

    __tablename__ = "veto_flag"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    rule_id: Mapped[int] = mapped_column(ForeignKey("veto_rule.id"))
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # A veto fired by a ledger fact and kept at finalisation: the fact ("accident:12").
    fact: Mapped[str | None] = mapped_column(String(60))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    rule: Mapped[VetoRule] = relationship(lazy="raise_on_sql")


class AuditEvent(Base, NodeOwned):
    """One recorded change of an assessment: who, when, what (field), old, new, why."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_assessment_at", "assessment_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # e.g. "state", "entry.value", "entry.review_points", "spot_check", "veto", "attachment"
    action: Mapped[str] = mapped_column(String(40))
    item_code: Mapped[str | None] = mapped_column(String(40))
    field: Mapped[str | None] = mapped_column(String(60))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
