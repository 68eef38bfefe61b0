"""What the hazard ledger says: overdue hazards, a unit's tally for a period (rectification rate,
overdue and listed major hazards) and the statistics of a subtree."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from redline.calendar import local_date
from redline.errors import ErrorCode, fail
from scoring.ledgers.models import (
    RECTIFIED_STATES,
    Hazard,
    HazardSeverity,
    HazardState,
    Sector,
)
from scoring.ledgers.rates import FULL, percent
from scoring.ledgers.subtrees import by_subtree, in_subtrees
from tenants.models import TenantNode

# --- overdue and the figures -----------------------------------------------------------------


def is_overdue(hazard: Hazard, today: date) -> bool:
    """Not rectified yet and past its deadline (``today`` is a local day)."""
    return hazard.state not in RECTIFIED_STATES and hazard.deadline < today


def overdue_condition(today: date) -> ColumnElement[bool]:
    """:func:`is_overdue` as SQL, for list filters."""
    return and_(Hazard.state.not_in(RECTIFIED_STATES), Hazard.deadline < today)


@dataclass(frozen=True)
class HazardTally:
    """A subtree's hazards of a period as of a moment, and the rows counted.

    Found: found in the period; rectified: of those, rectified by ``as_of``. Overdue: deadline
    in the period and passed (before the day of ``as_of``), not rectified by the end of the
    deadline day as known at ``as_of``. Listed overdue: overdue major hazards listed for
    supervision at ``as_of``. Rates in percent to 0.1, 100.0 when none were found. Rows
    found are in the order found, overdue ones in deadline order.
    """

    found: int
    rectified: int
    major_found: int
    major_rectified: int
    overdue: int
    overdue_major: int
    hazards_found: tuple[Hazard, ...]
    hazards_overdue: tuple[Hazard, ...]
    listed_overdue: tuple[Hazard, ...]
    rectification_rate: Decimal
    major_rectification_rate: Decimal


def _rectified_by(hazard: Hazard, as_of: datetime) -> bool:
    return hazard.rectified_at is not None and hazard.rectified_at <= as_of


def _rectified_in_time(hazard: Hazard, as_of: datetime) -> bool:
    return (
        _rectified_by(hazard, as_of)
        and hazard.rectified_at is not None
        and local_date(hazard.rectified_at) <= hazard.deadline
    )


def _listed_at(hazard: Hazard, as_of: datetime) -> bool:
    return (
        hazard.listed_at is not None
        and hazard.listed_at <= as_of
        and (hazard.delisted_at is None or hazard.delisted_at > as_of)
    )


def _tally(hazards: Iterable[Hazard], start: date, end: date, as_of: datetime) -> HazardTally:
    """The tally of these rows (any others of the subtree are ignored by the definitions)."""
    rows = list(hazards)
    today = local_date(as_of)
    found = tuple(h for h in rows if start <= h.found_on <= end)
    rectified = [h for h in found if _rectified_by(h, as_of)]
    major_found = [h for h in found if h.severity is HazardSeverity.MAJOR]
    major_rectified = [h for h in rectified if h.severity is HazardSeverity.MAJOR]
    overdue = tuple(
        sorted(
            (
                h
                for h in rows
                if start <= h.deadline <= end
                and h.deadline < today
                and not _rectified_in_time(h, as_of)
            ),
            key=lambda h: (h.deadline, h.id),
        )
    )
    overdue_major = tuple(h for h in overdue if h.severity is HazardSeverity.MAJOR)
    return HazardTally(
        found=len(found),
        rectified=len(rectified),
        major_found=len(major_found),
        major_rectified=len(major_rectified),
        overdue=len(overdue),
        overdue_major=len(overdue_major),
        hazards_found=found,
        hazards_overdue=overdue,
        listed_overdue=tuple(h for h in overdue_major if _listed_at(h, as_of)),
        rectification_rate=percent(len(rectified), len(found), when_empty=FULL),
        major_rectification_rate=percent(len(major_rectified), len(major_found), when_empty=FULL),
    )


def hazard_tally(
    session: Session,
    nodes: Sequence[TenantNode],
    start: date,
    end: date,
    *,
    as_of: datetime,
) -> dict[int, HazardTally]:
    """The :class:`HazardTally` of each node's subtree for [start, end] as of ``as_of``, by
    node id: one query for all nodes."""
    if not nodes:
        return {}
    rows = session.execute(
        select(Hazard, TenantNode.path)
        .join(TenantNode, TenantNode.id == Hazard.node_id)
        .where(
            in_subtrees(Hazard.customer_id, nodes),
            or_(Hazard.found_on.between(start, end), Hazard.deadline.between(start, end)),
        )
        .order_by(Hazard.found_on, Hazard.id)
    ).all()
    buckets = by_subtree(rows, nodes)
    return {node_id: _tally(bucket, start, end, as_of) for node_id, bucket in buckets.items()}


@dataclass(frozen=True)
class HazardStatistics:
    """A unit's hazard figures for a period as of now, and the same per sector and per unit
    directly below it (by code).

    ``by_state``, ``by_severity``, ``open_overdue`` (still open and past the deadline today)
    and ``listed`` (listed for supervision now) count the hazards found in the period.
    """

    node: TenantNode
    start: date
    end: date
    as_of: datetime
    tally: HazardTally
    by_state: tuple[tuple[HazardState, int], ...]
    by_severity: tuple[tuple[HazardSeverity, int], ...]
    open_overdue: int
    listed: int
    by_sector: tuple[tuple[Sector, HazardTally], ...]
    by_unit: tuple[tuple[TenantNode, HazardTally], ...]


def hazard_statistics(
    session: Session, node: TenantNode, start: date, end: date, *, now: datetime
) -> HazardStatistics:
    """The hazard statistics of ``node``'s subtree for [start, end], as of ``now``."""
    if start > end:
        raise fail("period.end", "the period ends before it starts", ErrorCode.INVALID)
    units = session.scalars(
        select(TenantNode).where(TenantNode.parent_id == node.id).order_by(TenantNode.code)
    ).all()
    tallies = hazard_tally(session, [node, *units], start, end, as_of=now)
    tally = tallies[node.id]
    found = tally.hazards_found
    counted = {h.id: h for h in (*found, *tally.hazards_overdue)}
    by_sector: dict[Sector, list[Hazard]] = defaultdict(list)
    for hazard in counted.values():
        by_sector[hazard.sector].append(hazard)
    today = local_date(now)
    return HazardStatistics(
        node=node,
        start=start,
        end=end,
        as_of=now,
        tally=tally,
        by_state=tuple((s, sum(h.state is s for h in found)) for s in HazardState),
        by_severity=tuple((s, sum(h.severity is s for h in found)) for s in HazardSeverity),
        open_overdue=sum(is_overdue(h, today) for h in found),
        listed=sum(h.listed for h in found),
        by_sector=tuple(
            (sector, _tally(by_sector[sector], start, end, now))
            for sector in Sector
            if sector in by_sector
        ),
        by_unit=tuple((unit, tallies[unit.id]) for unit in units),
    )
