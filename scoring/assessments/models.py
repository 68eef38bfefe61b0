"""Cycles, assessments and what hangs off them (entries, evidence, spot-check findings, veto
flags, appeals, the audit trail) as mapped tables. A cycle is the province's; an assessment and
all below it belong to the assessed unit (node-owned): it and the levels above see them,
siblings never."""

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
    text,
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
from scoring.evidence import RefersToEvidence
from scoring.templates.models import Template, TemplateItem, VetoRule
from tenants.models import (
    NodeOwned,
    ProvinceSharded,
    TenantLevel,
    TenantNode,
    province_key,
)

# --- cycles and assessments ------------------------------------------------------------------


class CycleState(enum.StrEnum):
    """An open cycle takes submissions and reviews; a closed one is read only."""

    OPEN = "open"
    CLOSED = "closed"


class Cycle(Base, ProvinceSharded, Timestamped):
    """A published template applied to the units of one level in a subtree, over a period."""

    __tablename__ = "cycle"
    __table_args__ = (
        CheckConstraint(enum_check("state", CycleState), name="state"),
        CheckConstraint(enum_check("level", TenantLevel), name="level"),
        CheckConstraint("period_start <= period_end", name="period"),
        province_key("template_id", "template"),
    )

    template_id: Mapped[int] = mapped_column(Integer, index=True)
    # The unit that opened the cycle; the participants are of ``level`` within its subtree.
    owner_node_id: Mapped[int] = mapped_column(ForeignKey("tenant_node.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[TenantLevel] = mapped_column(str_enum(TenantLevel, 16))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    self_due: Mapped[datetime] = mapped_column(UtcDateTime)
    review_due: Mapped[datetime] = mapped_column(UtcDateTime)
    # Until when a reviewed unit may appeal (申诉); None: the cycle takes no appeals.
    appeal_due: Mapped[datetime | None] = mapped_column(UtcDateTime)
    state: Mapped[CycleState] = mapped_column(str_enum(CycleState, 16), default=CycleState.OPEN)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # When it was closed: the day its consequences are decided on (None: open, or closed before
    # this was kept).
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    template: Mapped[Template] = relationship(lazy="raise_on_sql")
    owner_node: Mapped[TenantNode] = relationship(lazy="raise_on_sql")


class AssessmentGroup(Base, ProvinceSharded):
    """A class of a cycle's units (分类考核: by economic size or risk) within which they are
    ranked, commended up to a quota, and graded by thresholds of its own where it sets them."""

    __tablename__ = "assessment_group"
    __table_args__ = (
        UniqueConstraint("cycle_id", "code", "customer_id", name="uq_assessment_group_code"),
        province_key("cycle_id", "cycle", ondelete="CASCADE"),
    )

    cycle_id: Mapped[int] = mapped_column(Integer, index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)  # the order rankings list the groups in
    # Its own grade thresholds (all the template's grades, or none: None keeps the template's).
    grade_excellent: Mapped[Decimal | None] = mapped_column(Amount)
    grade_good: Mapped[Decimal | None] = mapped_column(Amount)
    grade_qualified: Mapped[Decimal | None] = mapped_column(Amount)
    # How many of its units may be commended (None: the template's quota, within the group).
    commendation_quota: Mapped[int | None] = mapped_column(Integer)

    @property
    def own_grades(self) -> bool:
        """Whether it grades by thresholds of its own."""
        return self.grade_qualified is not None


class AssessmentState(enum.StrEnum):
    """``draft -> submitted -> (returned -> resubmitted)* -> reviewed -> final``."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    REVIEWED = "reviewed"
    FINAL = "final"


class Assessment(Base, ProvinceSharded, NodeOwned, Timestamped):
    """One unit's assessment in one cycle: its self-assessment, the review, the scores.

    ``version`` goes up with every change to the assessment or its entries; writers state the
    version they read, and a stale one gets a conflict instead of overwriting someone's work.
    """

    __tablename__ = "assessment"
    __table_args__ = (
        UniqueConstraint("cycle_id", "node_id", "customer_id", name="uq_assessment_cycle_node"),
        CheckConstraint(enum_check("state", AssessmentState), name="state"),
        province_key("cycle_id", "cycle", ondelete="CASCADE"),
        # Not SET NULL: that would clear the province too; replacing groups clears it first.
        province_key("group_id", "assessment_group"),
    )

    cycle_id: Mapped[int] = mapped_column(Integer, index=True)
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
    # Yellow cards (黄牌警告) in force on the reviewed scorecard: flags and rules firing.
    yellow_cards: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Why, on the reviewed scorecard: {"vetoes": [...], "yellow_cards": [...]}, each a list of
    # {"rule", "reason", "evidence"}, so a ranking lists the reasons without scoring again.
    # None: scored before reasons were kept (the rankings then score it).
    reasons: Mapped[dict[str, list[dict[str, str]]] | None] = mapped_column(Document)
    # Goes up whenever its item scores are written (scoring.assessments.item_scores), so a
    # ranking's publication tells the units whose cells changed from those it can keep.
    scores_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The group it is assessed in (分类考核), when the cycle splits its units.
    group_id: Mapped[int | None] = mapped_column(Integer, index=True)

    cycle: Mapped[Cycle] = relationship(lazy="raise_on_sql")
    node: Mapped[TenantNode] = relationship(lazy="raise_on_sql")

    __mapper_args__ = {**ProvinceSharded.__mapper_args__, "version_id_col": version}


class Entry(Base, ProvinceSharded, NodeOwned, Timestamped):
    """One indicator of one assessment: the unit's input and evidence, and the reviewer's word."""

    __tablename__ = "assessment_entry"
    __table_args__ = (
        UniqueConstraint("assessment_id", "item_id", "customer_id", name="uq_entry_item"),
        province_key("assessment_id", "assessment", ondelete="CASCADE"),
        province_key("item_id", "template_item"),
    )

    assessment_id: Mapped[int] = mapped_column(Integer, index=True)
    item_id: Mapped[int] = mapped_column(Integer, index=True)
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


class ScoreState(enum.StrEnum):
    """An item's score as the leaders' matrix shows it: scored, missing (no input: never shown
    as zero), or not applicable (out of the attainable total)."""

    SCORED = "scored"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"


class ItemScore(Base, ProvinceSharded, NodeOwned):
    """One category's or indicator's points in an assessment as last scored, kept beside the
    cached totals (written with them) so rankings publish per-item figures set-based."""

    __tablename__ = "item_score"
    __table_args__ = (
        UniqueConstraint("assessment_id", "item_id", "customer_id", name="uq_item_score_item"),
        CheckConstraint(enum_check("state", ScoreState), name="state"),
        province_key("assessment_id", "assessment", ondelete="CASCADE"),
        province_key("item_id", "template_item", ondelete="CASCADE"),
    )

    assessment_id: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(Integer)
    state: Mapped[ScoreState] = mapped_column(str_enum(ScoreState, 16))
    self_points: Mapped[Decimal | None] = mapped_column(Amount)
    points: Mapped[Decimal | None] = mapped_column(Amount)  # reviewed; None unless scored
    # An indicator's maximum; a category's attainable points (not-applicable items taken out).
    max_points: Mapped[Decimal] = mapped_column(Amount)
    # A ledger-fed indicator's figure (a rate, a count) as it was scored.
    figure: Mapped[Decimal | None] = mapped_column(Amount)


class Attachment(Base, ProvinceSharded, NodeOwned, RefersToEvidence):
    """An evidence file of an entry; the bytes live outside the database, named by checksum."""

    __tablename__ = "attachment"
    __table_args__ = (
        province_key("entry_id", "assessment_entry", ondelete="CASCADE"),
        province_key("appeal_id", "appeal", ondelete="CASCADE"),
    )

    entry_id: Mapped[int] = mapped_column(Integer, index=True)
    # Evidence given with an appeal on the entry's indicator (None: the self-assessment's).
    appeal_id: Mapped[int | None] = mapped_column(Integer, index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SpotCheckFinding(Base, ProvinceSharded, NodeOwned):
    """A finding of an unannounced spot check (四不两直) deducting from a named indicator."""

    __tablename__ = "spot_check_finding"
    __table_args__ = (
        province_key("assessment_id", "assessment", ondelete="CASCADE"),
        province_key("item_id", "template_item"),
    )

    assessment_id: Mapped[int] = mapped_column(Integer, index=True)
    item_id: Mapped[int] = mapped_column(Integer)
    points: Mapped[Decimal] = mapped_column(Amount)
    finding: Mapped[str] = mapped_column(Text)
    checked_on: Mapped[date] = mapped_column(Date)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    item: Mapped[TemplateItem] = relationship(lazy="raise_on_sql")


class VetoFlag(Base, ProvinceSharded, NodeOwned):
    """A veto rule fired for one assessment, with its reason and evidence."""

    __tablename__ = "veto_flag"
    __table_args__ = (
        province_key("assessment_id", "assessment", ondelete="CASCADE"),
        province_key("rule_id", "veto_rule"),
    )

    assessment_id: Mapped[int] = mapped_column(Integer, index=True)
    rule_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # A veto fired by a ledger fact and kept at finalisation: the fact ("accident:12").
    fact: Mapped[str | None] = mapped_column(String(60))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    rule: Mapped[VetoRule] = relationship(lazy="raise_on_sql")


class AppealState(enum.StrEnum):
    """An appeal waits for the assessor's word (open), who accepts or rejects it."""

    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Appeal(Base, ProvinceSharded, NodeOwned):
    """A reviewed unit's objection (申诉) to its reviewed points on one indicator, with its
    reason, and the assessor's decision: accepted (the points adjusted) or rejected, with why."""

    __tablename__ = "appeal"
    __table_args__ = (
        CheckConstraint(enum_check("state", AppealState), name="state"),
        # One waiting appeal per indicator, even when two are filed at the same moment.
        Index(
            "uq_appeal_waiting",
            "assessment_id",
            "item_id",
            "customer_id",
            unique=True,
            sqlite_where=text("state = 'open'"),
            postgresql_where=text("state = 'open'"),
        ),
        province_key("assessment_id", "assessment", ondelete="CASCADE"),
        province_key("item_id", "template_item"),
    )

    assessment_id: Mapped[int] = mapped_column(Integer, index=True)
    item_id: Mapped[int] = mapped_column(Integer)
    state: Mapped[AppealState] = mapped_column(str_enum(AppealState, 16))
    reason: Mapped[str] = mapped_column(Text)
    # The indicator's reviewed points when the appeal was filed, and after an accepted one.
    points_before: Mapped[Decimal | None] = mapped_column(Amount)
    points_after: Mapped[Decimal | None] = mapped_column(Amount)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)

    item: Mapped[TemplateItem] = relationship(lazy="raise_on_sql")


class AuditEvent(Base, ProvinceSharded, NodeOwned):
    """One recorded change of an assessment: who, when, what (field), old, new, why."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_assessment_at", "assessment_id", "id"),
        province_key("assessment_id", "assessment", ondelete="CASCADE"),
    )

    assessment_id: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # e.g. "state", "entry.value", "entry.review_points", "spot_check", "veto", "attachment"
    action: Mapped[str] = mapped_column(String(40))
    item_code: Mapped[str | None] = mapped_column(String(40))
    field: Mapped[str | None] = mapped_column(String(60))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
