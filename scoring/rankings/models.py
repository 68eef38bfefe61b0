"""The ranking tables: a cycle's recompute status, its published snapshots, their rows and
region aggregates.

A snapshot is written whole in one transaction and then made current by pointing the cycle's
``RankingStatus`` at it, so a reader sees either the previous snapshot or the new one, never
half of a recompute. Snapshots belong to the province (customer-owned): a published ranking is
read by every unit ranked in it, siblings included (``scoring.rankings.access`` decides who).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    and_,
    or_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from redline.db import Amount, Base, Document, UtcDateTime, str_enum
from tenants.models import ProvinceSharded, TenantLevel, province_key


class RankingStatus(Base, ProvinceSharded):
    """One per cycle: when its rankings were last asked for and computed, and what is current.

    Every change that can move the cycle's rankings sets ``requested_at``; a recompute covers
    the requests up to the moment it started reading (``computed_through``). Pending means
    ``requested_at`` is later than that. ``queued`` is set while a recompute message waits, so a
    burst of changes queues one recompute, not one per change.
    """

    __tablename__ = "ranking_status"
    __table_args__ = (
        UniqueConstraint("cycle_id", "customer_id", name="uq_ranking_status_cycle"),
        province_key("cycle_id", "cycle", ondelete="CASCADE"),
        # Not SET NULL (it would clear the province too): a cycle's current snapshot is kept.
        province_key("snapshot_id", "ranking_snapshot"),
    )

    cycle_id: Mapped[int] = mapped_column(Integer)
    requested_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    queued: Mapped[bool] = mapped_column(Boolean, default=False)
    computed_through: Mapped[datetime | None] = mapped_column(UtcDateTime)
    computed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    snapshot_id: Mapped[int | None] = mapped_column(Integer)
    # The last recompute's failure, cleared by the next success.
    last_error: Mapped[str | None] = mapped_column(String(500))

    @property
    def pending(self) -> bool:
        """Whether a change since the current snapshot is still to be ranked."""
        return self.requested_at is not None and (
            self.computed_through is None or self.requested_at > self.computed_through
        )


class RankingSnapshot(Base, ProvinceSharded):
    """One computation of a cycle's rankings and aggregates, immutable once written."""

    __tablename__ = "ranking_snapshot"
    __table_args__ = (
        UniqueConstraint("cycle_id", "version", "customer_id", name="uq_ranking_snapshot_version"),
        province_key("cycle_id", "cycle", ondelete="CASCADE"),
    )

    cycle_id: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per cycle
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The latest change it covers (the status's requested_at when the computation began).
    based_on: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # True until every assessment of the cycle is final.
    provisional: Mapped[bool] = mapped_column(Boolean, default=True)
    assessed_count: Mapped[int] = mapped_column(Integer, default=0)  # assessments in the cycle
    ranked_count: Mapped[int] = mapped_column(Integer, default=0)  # of those, ranked
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    # Its rows are deleted once it is superseded a few times over (the header stays).
    rows_pruned: Mapped[bool] = mapped_column(Boolean, default=False)


class RankingRow(Base, ProvinceSharded):
    """One unit's place in one ranking of a snapshot: ranked within ``scope_node`` among the
    units of ``level`` under it (siblings: the scope is their parent).

    Units of the cycle's level are ranked on their reviewed total; regions above it on their
    composite score where the template defines one, else on the mean of their units' totals.
    """

    __tablename__ = "ranking_row"
    __table_args__ = (
        Index("ix_ranking_row_ranking", "snapshot_id", "scope_node_id", "level", "position"),
        Index("ix_ranking_row_node", "snapshot_id", "node_id"),
    )

    # Province and snapshot carry no foreign keys either (migration 0022): both are copied
    # from the snapshot the publication has just made, in its transaction; pruning deletes a
    # snapshot's rows itself, and snapshots and provinces are never deleted. Their per-row
    # checks, with the province's index, were half the time of writing a snapshot's rows.
    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-1)
    snapshot_id: Mapped[int] = mapped_column(Integer)
    # Scope, node and assessment carry no foreign keys: a snapshot's thousands of rows are
    # copied from the nodes and assessments it has just read, in its transaction (neither is
    # ever deleted), and the keys' per-row checks were two thirds of writing the rows.
    scope_node_id: Mapped[int] = mapped_column(Integer)  # a tenant node
    level: Mapped[TenantLevel] = mapped_column(str_enum(TenantLevel, 16))
    node_id: Mapped[int] = mapped_column(Integer)  # a tenant node
    # The unit as published: a ranking is read by the unit's siblings, who may not read its
    # tenant row, and names stay as they were when the ranking was published.
    unit_code: Mapped[str] = mapped_column(String(40))
    unit_name_zh: Mapped[str] = mapped_column(String(200))
    unit_name_en: Mapped[str] = mapped_column(String(200))
    assessment_id: Mapped[int | None] = mapped_column(Integer)  # the unit's (None: a region)
    # The group (分类考核) it is ranked within, as published (None: the cycle has no groups).
    group_code: Mapped[str | None] = mapped_column(String(40))
    group_name: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)  # 1..n in the listed order (tie-break applied)
    rank: Mapped[int] = mapped_column(Integer)  # competition rank: 1, 2, 2, 4 (within its group)
    of: Mapped[int] = mapped_column(Integer)  # how many are ranked in this ranking (its group)
    previous_rank: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[Decimal | None] = mapped_column(Amount)  # what the rank is computed on
    previous_score: Mapped[Decimal | None] = mapped_column(Amount)
    # The score as a percent of the template's total, its colour band at the row's level, and
    # the arrows against the previous cycle past the template's minimum changes.
    percent: Mapped[Decimal | None] = mapped_column(Amount)
    band: Mapped[str | None] = mapped_column(String(8))
    score_trend: Mapped[str | None] = mapped_column(String(8))
    rank_trend: Mapped[str | None] = mapped_column(String(8))
    self_total: Mapped[Decimal | None] = mapped_column(Amount)
    grade: Mapped[str | None] = mapped_column(String(16))
    vetoed: Mapped[bool] = mapped_column(Boolean, default=False)
    # [{"rule", "title", "reason", "evidence"}]: why the unit is vetoed.
    veto_reasons: Mapped[list[dict[str, Any]]] = mapped_column(Document, default=list)
    # The same for its yellow cards (黄牌警告): flagged, and not a commendation candidate.
    yellow_cards: Mapped[list[dict[str, Any]] | None] = mapped_column(Document, default=list)
    overdue_major_hazards: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str | None] = mapped_column(String(16))  # the assessment's state then
    # The assessment's scores_revision then: the next publication keeps this unit's cells
    # while it is unchanged.
    scores_revision: Mapped[int | None] = mapped_column(Integer)


class RegionAggregate(Base, ProvinceSharded):
    """A node's figures in a snapshot: its assessed units' totals (the node itself, when it is
    a unit of the cycle, counts alone)."""

    __tablename__ = "region_aggregate"
    __table_args__ = (
        UniqueConstraint("snapshot_id", "node_id", "customer_id", name="uq_region_aggregate_node"),
        province_key("snapshot_id", "ranking_snapshot", ondelete="CASCADE"),
    )

    snapshot_id: Mapped[int] = mapped_column(Integer)
    node_id: Mapped[int] = mapped_column(ForeignKey("tenant_node.id"))
    assessed: Mapped[int] = mapped_column(Integer)  # units of the cycle under the node
    ranked: Mapped[int] = mapped_column(Integer)  # of those, with a total that is ranked
    mean: Mapped[Decimal | None] = mapped_column(Amount)
    median: Mapped[Decimal | None] = mapped_column(Amount)
    minimum: Mapped[Decimal | None] = mapped_column(Amount)
    maximum: Mapped[Decimal | None] = mapped_column(Amount)
    grade_counts: Mapped[dict[str, int]] = mapped_column(Document, default=dict)
    # Ranked units per colour band of their total (at the cycle's level).
    band_counts: Mapped[dict[str, int]] = mapped_column(Document, default=dict)
    veto_count: Mapped[int] = mapped_column(Integer, default=0)
    # Mean of (self total - reviewed total) over the ranked units: self-assessment inflation.
    mean_gap: Mapped[Decimal | None] = mapped_column(Amount)
    # The node's own total, when it is assessed in a cycle of the same template and period,
    # and the composite the template defines from it (see Template.composite_weight).
    own_total: Mapped[Decimal | None] = mapped_column(Amount)
    composite: Mapped[Decimal | None] = mapped_column(Amount)


class RankingCell(Base, ProvinceSharded):
    """One node's figure for one category or indicator, in every snapshot of its cycle from
    version ``valid_from`` up to (not including) ``valid_to`` (None: still current): a unit's
    points as reviewed, or a region's mean over its ranked units; the leaders' matrix reads
    these.

    A publication writes only the cells that changed (a resubmitted unit's, and the regions
    above it), and closes the ones they replace: a township's submission writes a few hundred
    cells, not its province's hundred thousand, and every snapshot still reads exactly its own
    (:func:`in_snapshot`). Node and item carry no foreign key of their own: the cells are copied
    from rows whose node and item are checked already (item scores, ranking rows)."""

    __tablename__ = "ranking_cell"
    __table_args__ = (
        # Every read names the cycle, and its node and item when it joins a row.
        Index(
            "ix_ranking_cell_node",
            "cycle_id",
            "node_id",
            "item_id",
            "valid_from",
            "customer_id",
            unique=True,
        ),
        # Pruning finds the closed cells without reading the current ones.
        Index(
            "ix_ranking_cell_closed",
            "cycle_id",
            "valid_to",
            postgresql_where=text("valid_to IS NOT NULL"),
            sqlite_where=text("valid_to IS NOT NULL"),
        ),
    )

    # Province and cycle carry no foreign keys either (migration 0024): a publication copies
    # both from the cycle it publishes, in its transaction; pruning deletes cells itself, and
    # cycles and provinces are never deleted. Their per-row checks were two thirds of writing
    # a province's first cells.
    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-1)
    cycle_id: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[int] = mapped_column(Integer)  # the snapshot version it first holds in
    valid_to: Mapped[int | None] = mapped_column(Integer)  # the version that replaced it
    node_id: Mapped[int] = mapped_column(Integer)  # a tenant node (see above)
    item_id: Mapped[int] = mapped_column(Integer)  # a template item of the cycle's template
    state: Mapped[str] = mapped_column(String(16))  # a ScoreState value
    points: Mapped[Decimal | None] = mapped_column(Amount)  # a region's: its units' mean
    max_points: Mapped[Decimal | None] = mapped_column(Amount)
    percent: Mapped[Decimal | None] = mapped_column(Amount)  # a region's: mean of its units'
    band: Mapped[str | None] = mapped_column(String(8))
    figure: Mapped[Decimal | None] = mapped_column(Amount)  # a region's: mean of its units'
    counted: Mapped[int] = mapped_column(Integer, default=1)  # units with a figure in it
    # A region's exact figures over its ranked units' cells, from which the means above are
    # worked out (None on a unit's cell): how many cells, how many scored and missing, and
    # each mean's sum in ten-thousandths (integers, exact on both databases) with its count
    # (the percent's is ``counted``). The next publication moves them by a changed unit's
    # difference instead of summing the region's units again (``scoring.rankings.cells``).
    units: Mapped[int | None] = mapped_column(Integer)
    scored_units: Mapped[int | None] = mapped_column(Integer)
    missing_units: Mapped[int | None] = mapped_column(Integer)
    points_total: Mapped[int | None] = mapped_column(BigInteger)
    points_units: Mapped[int | None] = mapped_column(Integer)
    max_points_total: Mapped[int | None] = mapped_column(BigInteger)
    max_points_units: Mapped[int | None] = mapped_column(Integer)
    percent_total: Mapped[int | None] = mapped_column(BigInteger)
    figure_total: Mapped[int | None] = mapped_column(BigInteger)
    figure_units: Mapped[int | None] = mapped_column(Integer)


class _Validity(Protocol):
    """Anything with a cell's columns: the mapped class, an alias of it, or its table's ``c``."""

    cycle_id: Any
    valid_from: Any
    valid_to: Any


def in_snapshot(cell: _Validity, cycle_id: Any, version: Any) -> ColumnElement[bool]:
    """The condition of a cell belonging to snapshot ``version`` of ``cycle_id`` (values or
    columns): valid from that version or one before it, and not replaced by it or before."""
    return and_(
        cell.cycle_id == cycle_id,
        cell.valid_from <= version,
        or_(cell.valid_to.is_(None), cell.valid_to > version),
    )


def cells_of(snapshot: RankingSnapshot) -> ColumnElement[bool]:
    """The condition of a ranking cell belonging to ``snapshot``."""
    return in_snapshot(RankingCell, snapshot.cycle_id, snapshot.version)
