"""A snapshot's per-item cells (the leaders' matrix): the template's colour bands resolved per
item and level, the units' kept item scores copied in with one INSERT ... SELECT, and each
region's mean over its ranked units, computed from those in one pass."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.orm import Session

from redline.db import Amount
from scoring.assessments.item_scores import store_many, unscored
from scoring.assessments.models import Assessment, ItemScore, ScoreState
from scoring.assessments.scorecards import LoadedTemplate, kept_item_scores, scorecards_many
from scoring.engine import Grades
from scoring.engine.bands import Band, BandRule, Thresholds, band_of, grade_thresholds, resolve
from scoring.engine.ranking import mean
from scoring.rankings.models import RankingCell
from tenants.models import TenantLevel, TenantNode
from tenants.scope import in_subtree


@dataclass(frozen=True)
class BandSettings:
    """A template's band rules: its own, each item's (by id), and the grade default."""

    template: BandRule
    items: Mapping[int, BandRule]
    fallback: Thresholds

    @classmethod
    def of(cls, loaded: LoadedTemplate) -> BandSettings:
        template = loaded.template
        grades = Grades(template.grade_excellent, template.grade_good, template.grade_qualified)
        return cls(
            template=BandRule.from_document(template.bands),
            items={item.id: BandRule.from_document(item.bands) for item in loaded.items},
            fallback=grade_thresholds(grades, template.total_points),
        )

    def total(self, level: TenantLevel) -> Thresholds:
        """The thresholds of a total (percent of the template's total) at ``level``."""
        return resolve(level.value, self.fallback, self.template)

    def item(self, item_id: int, level: TenantLevel) -> Thresholds:
        """The thresholds of an item at ``level``: the item's, else the template's."""
        rule = self.items.get(item_id, BandRule())
        return resolve(level.value, self.fallback, rule, self.template)


def band_sql(
    percent: ColumnElement[Decimal], item_id: ColumnElement[int], by_item: Mapping[int, Thresholds]
) -> ColumnElement[str]:
    """``scoring.engine.bands.band_of`` as SQL: the items grouped by their thresholds (a
    template has few distinct ones), one CASE branch per group."""
    groups: dict[Thresholds, list[int]] = defaultdict(list)
    for item, thresholds in by_item.items():
        groups[thresholds].append(item)

    def of(thresholds: Thresholds) -> ColumnElement[str]:
        return case(
            (percent >= literal(thresholds.green, Amount()), literal(Band.GREEN.value)),
            (percent >= literal(thresholds.yellow, Amount()), literal(Band.YELLOW.value)),
            else_=literal(Band.RED.value),
        )

    if not groups:
        return literal(None)
    # The largest group is the ELSE branch; the others are named by their items.
    (common, _), *others = sorted(groups.items(), key=lambda group: -len(group[1]))
    whens = [(item_id.in_(items), of(thresholds)) for thresholds, items in others]
    branches = case(*whens, else_=of(common)) if whens else of(common)
    return case((percent.is_(None), literal(None)), else_=branches)


def ensure_item_scores(
    session: Session, cycle_id: int, loaded: LoadedTemplate, assessments: Sequence[int]
) -> None:
    """Score once, and keep, the item scores of assessments scored before they were kept."""
    missing = unscored(session, cycle_id, assessments)
    if not missing:
        return
    rows = list(session.scalars(select(Assessment).where(Assessment.id.in_(missing))))
    cards = scorecards_many(session, rows)
    store_many(session, [(a, kept_item_scores(loaded, cards[a.id])) for a in rows])


def write_cells(
    session: Session,
    *,
    customer_id: int,
    snapshot_id: int,
    cycle_id: int,
    cycle_level: TenantLevel,
    owner_path: str,
    ranked_states: Iterable[str],
    item_ids: Sequence[int],
    settings: BandSettings,
    regions: Mapping[int, tuple[TenantLevel, Sequence[int]]],
) -> None:
    """Copy the ranked units' item scores into the snapshot (one INSERT ... SELECT), then write
    each region's mean cell per item over its ranked units (``regions``: a region's node id ->
    its level and its units' node ids)."""
    s = ItemScore.__table__.c
    a = Assessment.__table__.c
    n = TenantNode.__table__.c
    scored = s.state == ScoreState.SCORED.value
    percent = case(
        (and_(scored, s.max_points > 0), func.round(s.points * 100 / s.max_points, 2)),
        else_=None,
    )
    units = (
        select(
            literal(customer_id),
            literal(snapshot_id),
            s.node_id,
            s.item_id,
            s.state,
            s.points,
            s.max_points,
            percent,
            band_sql(percent, s.item_id, {i: settings.item(i, cycle_level) for i in item_ids}),
            s.figure,
            case((scored, 1), else_=0),
        )
        .join_from(ItemScore.__table__, Assessment.__table__, a.id == s.assessment_id)
        .join(TenantNode.__table__, n.id == a.node_id)
        .where(
            a.cycle_id == cycle_id,
            a.state.in_(list(ranked_states)),
            a.reviewed_total.is_not(None),
            in_subtree(n.path, owner_path),
        )
    )
    columns = [
        "customer_id",
        "snapshot_id",
        "node_id",
        "item_id",
        "state",
        "points",
        "max_points",
        "percent",
        "band",
        "figure",
        "counted",
    ]
    session.execute(insert(RankingCell).from_select(columns, units))
    if regions:
        found = region_cells(_unit_cells(session, snapshot_id), regions, settings)
        session.execute(
            insert(RankingCell),
            [row | {"customer_id": customer_id, "snapshot_id": snapshot_id} for row in found],
        )


class UnitCell(NamedTuple):
    node_id: int
    item_id: int
    state: str
    points: Decimal | None
    max_points: Decimal | None
    percent: Decimal | None
    figure: Decimal | None


def _unit_cells(session: Session, snapshot_id: int) -> dict[int, list[UnitCell]]:
    """The snapshot's unit cells by node: one statement (an index range on the snapshot)."""
    c = RankingCell.__table__.c
    by_node: dict[int, list[UnitCell]] = defaultdict(list)
    for row in session.execute(
        select(c.node_id, c.item_id, c.state, c.points, c.max_points, c.percent, c.figure).where(
            c.snapshot_id == snapshot_id
        )
    ):
        by_node[row.node_id].append(UnitCell(*row))
    return by_node


def region_cells(
    cells: Mapping[int, Sequence[UnitCell]],
    regions: Mapping[int, tuple[TenantLevel, Sequence[int]]],
    settings: BandSettings,
) -> list[dict[str, Any]]:
    """Each region's cell per item: the mean points, maximum, percent and figure over its units
    with a figure (missing and not applicable ones left out, never counted as 0), banded by the
    thresholds at the region's level; scored when any unit is, else missing when any unit is,
    else not applicable."""
    rows: list[dict[str, Any]] = []
    for region_id, (level, members) in regions.items():
        per_item: dict[int, list[UnitCell]] = defaultdict(list)
        for node_id in members:
            for cell in cells.get(node_id, ()):
                per_item[cell.item_id].append(cell)
        for item_id, found in per_item.items():
            scored = [c for c in found if c.state == ScoreState.SCORED.value]
            if scored:
                state = ScoreState.SCORED
            elif any(c.state == ScoreState.MISSING.value for c in found):
                state = ScoreState.MISSING
            else:
                state = ScoreState.NOT_APPLICABLE
            percents = [c.percent for c in scored if c.percent is not None]
            percent = mean(percents)
            band = band_of(percent, settings.item(item_id, level))
            rows.append(
                {
                    "node_id": region_id,
                    "item_id": item_id,
                    "state": state.value,
                    "points": mean([c.points for c in scored if c.points is not None]),
                    "max_points": mean([c.max_points for c in scored if c.max_points is not None]),
                    "percent": percent,
                    "band": band.value if band else None,
                    "figure": mean([c.figure for c in found if c.figure is not None]),
                    "counted": len(percents),
                }
            )
    return rows
