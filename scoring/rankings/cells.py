"""A snapshot's per-item cells (the leaders' matrix): the template's colour bands resolved per
item and level, the units' kept item scores copied in with one INSERT ... SELECT, and each
region's mean over its ranked units, summed from those in the database in one statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    and_,
    case,
    cast,
    func,
    insert,
    literal,
    select,
    true,
)
from sqlalchemy.orm import Session

from redline.db import Amount, insert_rows
from scoring.assessments.item_scores import store_many, unscored
from scoring.assessments.models import Assessment, ItemScore, ScoreState
from scoring.assessments.scorecards import LoadedTemplate, kept_item_scores, scorecards_many
from scoring.engine import Grades
from scoring.engine.bands import Band, BandRule, Thresholds, band_of, grade_thresholds, resolve
from scoring.engine.rounding import CONTEXT, quantize
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
    regions: Mapping[int, TenantLevel],
) -> None:
    """Copy the ranked units' item scores into the snapshot (one INSERT ... SELECT), then write
    each region's mean cell per item over its ranked units (``regions``: the node ids of the
    regions with ranked units below them, and their levels)."""
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
        found = region_cells(session, snapshot_id, regions, settings)
        insert_rows(
            session,
            RankingCell.__table__,
            [row | {"customer_id": customer_id, "snapshot_id": snapshot_id} for row in found],
        )


def _exact_sum(value: ColumnElement[Decimal], when: ColumnElement[bool]) -> ColumnElement[int]:
    """The sum of a 4-place amount where ``when`` holds, in ten-thousandths: an integer, so
    exact on both databases (SQLite keeps amounts as REAL)."""
    return func.sum(
        case((and_(when, value.is_not(None)), cast(func.round(value * 10000), BigInteger)))
    )


def _counted(value: ColumnElement[Decimal], when: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count(case((and_(when, value.is_not(None)), 1)))


def _mean(total: int | None, count: int) -> Decimal | None:
    """``scoring.engine.ranking.mean`` of amounts summed by :func:`_exact_sum`: the same
    figure to the last digit (the sum is exact, the division and rounding are the same)."""
    if not count:
        return None
    return quantize(CONTEXT.divide(Decimal(total or 0).scaleb(-4), Decimal(count)))


def region_cells(
    session: Session,
    snapshot_id: int,
    regions: Mapping[int, TenantLevel],
    settings: BandSettings,
) -> list[dict[str, Any]]:
    """Each region's cell per item, from the snapshot's unit cells below it (``regions``: a
    region's node id -> its level): the mean points, maximum, percent and figure over its units
    with a figure (missing and not applicable ones left out, never counted as 0), banded by the
    thresholds at the region's level; scored when any unit is, else missing when any unit is,
    else not applicable. Summed in the database per region and item (one statement), so the
    unit cells, a hundred thousand in a province of a hundred indicators, stay there."""
    c = RankingCell.__table__.c
    unit = TenantNode.__table__.alias("unit")
    region = TenantNode.__table__.alias("region")
    scored = c.state == ScoreState.SCORED.value
    found = session.execute(
        select(
            region.c.id,
            c.item_id,
            func.count(case((scored, 1))),
            func.count(case((c.state == ScoreState.MISSING.value, 1))),
            _exact_sum(c.points, scored),
            _counted(c.points, scored),
            _exact_sum(c.max_points, scored),
            _counted(c.max_points, scored),
            _exact_sum(c.percent, scored),
            _counted(c.percent, scored),
            _exact_sum(c.figure, true()),
            _counted(c.figure, true()),
        )
        .select_from(RankingCell.__table__)
        .join(unit, unit.c.id == c.node_id)
        .join(
            region,
            and_(region.c.id.in_(list(regions)), in_subtree(unit.c.path, region.c.path)),
        )
        .where(c.snapshot_id == snapshot_id)
        .group_by(region.c.id, c.item_id)
    )
    rows: list[dict[str, Any]] = []
    for (
        region_id,
        item_id,
        scored_count,
        missing_count,
        points,
        with_points,
        max_points,
        with_max,
        percents,
        with_percent,
        figures,
        with_figure,
    ) in found:
        if scored_count:
            state = ScoreState.SCORED
        elif missing_count:
            state = ScoreState.MISSING
        else:
            state = ScoreState.NOT_APPLICABLE
        percent = _mean(percents, with_percent)
        band = band_of(percent, settings.item(item_id, regions[region_id]))
        rows.append(
            {
                "node_id": region_id,
                "item_id": item_id,
                "state": state.value,
                "points": _mean(points, with_points),
                "max_points": _mean(max_points, with_max),
                "percent": percent,
                "band": band.value if band else None,
                "figure": _mean(figures, with_figure),
                "counted": with_percent,
            }
        )
    return rows
