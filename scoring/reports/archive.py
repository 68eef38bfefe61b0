"""Reports asked for and kept: what a report is about, the job that prints it, and once printed
the stored file with its checksum, which the /files routes serve to whoever may see its unit."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    UniqueConstraint,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from redline.db import Base, UtcDateTime, enum_check, str_enum, utcnow
from scoring.evidence import RefersToEvidence
from scoring.reports.words import Language
from tenants.access import Actor
from tenants.models import ProvinceSharded, TenantLevel, province_key


class ReportKind(enum.StrEnum):
    """The printed reports."""

    SCORECARD = "scorecard"  # a unit's scorecard for a cycle
    RANKING = "ranking"  # a region's ranking of a cycle at one level
    STATISTICS = "statistics"  # a subtree's accidents and hazards for a period, year on year
    CONSEQUENCES = "consequences"  # a cycle's consequences register for the units of a scope


class Report(Base, ProvinceSharded, RefersToEvidence):
    """One report asked for: its kind, language and subject; ``sha256`` and ``size`` once its
    job has printed it (the file is kept in the evidence store, named by its checksum).

    ``node_id`` is the unit the report is about (the assessed unit, the ranked region, the
    subtree counted): whoever reads that unit's rows may fetch the report, and so may its asker
    (a township reads its county's ranking without reading the county's rows).
    """

    __tablename__ = "report"
    __table_args__ = (
        CheckConstraint(enum_check("kind", ReportKind), name="kind"),
        CheckConstraint(enum_check("language", Language), name="language"),
        Index("ix_report_customer_id_id", "customer_id", "id"),
        UniqueConstraint("job_run_id", "customer_id"),
        province_key("job_run_id", "job_run"),
        province_key("assessment_id", "assessment", ondelete="CASCADE"),
        province_key("cycle_id", "cycle", ondelete="CASCADE"),
    )

    kind: Mapped[ReportKind] = mapped_column(str_enum(ReportKind, 16))
    language: Mapped[Language] = mapped_column(str_enum(Language, 8))
    node_id: Mapped[int] = mapped_column(ForeignKey("tenant_node.id"), index=True)
    job_run_id: Mapped[int] = mapped_column(Integer)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # What it is about, by kind: the assessment; the cycle and level; the period; the cycle.
    assessment_id: Mapped[int | None] = mapped_column(Integer)
    cycle_id: Mapped[int | None] = mapped_column(Integer)
    level: Mapped[TenantLevel | None] = mapped_column(str_enum(TenantLevel, 16))
    # A ranking report compares the current version with this one (None: the previous one).
    compare_with_version: Mapped[int | None] = mapped_column(Integer)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    # The file, once printed.
    filename: Mapped[str | None] = mapped_column(String(200))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    printed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    letterhead_version: Mapped[int | None] = mapped_column(Integer)

    @property
    def printed(self) -> bool:
        return self.sha256 is not None


PDF = "application/pdf"


def reports_visible_to(session: Session, actor: Actor) -> Select[tuple[Report]]:
    """The reports the actor may fetch: those they asked for, and those about a unit of their
    subtrees or one of their own units."""
    about = actor.scope.node_ids(with_ancestors=False)
    return select(Report).where(
        Report.customer_id == actor.customer_id,
        or_(Report.requested_by_id == actor.user_id, Report.node_id.in_(about)),
    )
