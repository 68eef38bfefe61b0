"""A snapshot's per-item cells (the leaders' matrix): the template's colour bands resolved per
item and level, the changed units' kept item scores copied in with one INSERT ... SELECT, and
each changed region's mean over its ranked units, kept with its exact sums and moved by its
changed units' differences (summed from its units in the database when it has none yet);
the cells nothing changed stay shared with the snapshots before."""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import Session

from redline.db import Amount, insert_rows
from scoring.assessments.item_scores import store_many, unscored
from scoring.assessments.models import Assessment, ItemScore, ScoreState
from scoring.assessments.scorecards import LoadedTemplate, kept_item_scores, scorecards_many
from scoring.engine import Grades
from scoring.engine.bands import Band, BandRule, Thresholds, band_of, grade_thresholds, resolve
from scoring.engine.rounding import CONTEXT, quantize
from scoring.rankings.models import RankingCell, RankingRow, RankingSnapshot, in_snapshot
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


@dataclass(frozen=True)
class Published:
    """What the cycle's newest snapshot ranked at the cycle's level: each ranked unit's
    assessment and scores revision (by node), and each scope's ranked units."""

    units: Mapping[int, tuple[int, int | None]]
    members: Mapping[int, frozenset[int]]


def published(session: Session, cycle_id: int, level: TenantLevel) -> Published | None:
    """What the newest snapshot of the cycle ranked (None: no snapshot, or its rows pruned):
    the current cells are that snapshot's."""
    newest = session.execute(
        select(RankingSnapshot.id, RankingSnapshot.rows_pruned)
        .where(RankingSnapshot.cycle_id == cycle_id)
        .order_by(RankingSnapshot.version.desc())
        .limit(1)
    ).first()
    if newest is None or newest.rows_pruned:
        return None
    r = RankingRow.__table__.c
    units: dict[int, tuple[int, int | None]] = {}
    members: dict[int, set[int]] = defaultdict(set)
    for scope_id, node_id, assessment_id, revision in session.execute(
        select(r.scope_node_id, r.node_id, r.assessment_id, r.scores_revision).where(
            r.snapshot_id == newest.id, r.level == level, r.assessment_id.is_not(None)
        )
    ):
        units[node_id] = (assessment_id, revision)
        members[scope_id].add(node_id)
    return Published(units, {scope: frozenset(nodes) for scope, nodes in members.items()})


@dataclass(frozen=True)
class Changed:
    """The nodes whose cells a publication writes again: units whose kept item scores (or
    whose being ranked) changed, and the regions whose ranked units did, or changed."""

    units: frozenset[int]
    regions: frozenset[int]


def changed_since(
    before: Published,
    units: Mapping[int, tuple[int, int]],
    members: Mapping[int, frozenset[int]],
) -> Changed:
    """What changed since ``before``: ``units`` are the ranked units now (node -> assessment
    and scores revision), ``members`` each scope's ranked units now."""
    changed = frozenset(
        node
        for node in before.units.keys() | units.keys()
        if before.units.get(node) != units.get(node)
    )
    empty: frozenset[int] = frozenset()
    regions = frozenset(
        scope
        for scope in before.members.keys() | members.keys()
        if before.members.get(scope, empty) != members.get(scope, empty)
        or not changed.isdisjoint(members.get(scope, empty))
    )
    return Changed(changed, regions)


def write_cells(
    session: Session,
    *,
    customer_id: int,
    cycle_id: int,
    version: int,
    cycle_level: TenantLevel,
    owner_path: str,
    ranked_states: Iterable[str],
    item_ids: Sequence[int],
    settings: BandSettings,
    regions: Mapping[int, TenantLevel],
    members: Mapping[int, frozenset[int]],
    ranked: Mapping[int, tuple[int, int]],
    before: Published | None,
) -> None:
    """Write snapshot ``version``'s cells: close the current cells of the nodes changed since
    ``before`` (the snapshot before, version - 1; None: write every node's), copy those units'
    item scores in (one INSERT ... SELECT, ranked units only), then write the changed regions'
    mean cells over their ranked units (``regions``: the regions with ranked units below them,
    and their levels; ``members``: each region's ranked units; ``ranked``: each ranked unit's
    assessment and scores revision, by node): moved from their cells before by their units'
    differences, or summed whole where there is nothing to move. The cells no change touched
    stay current: they are this snapshot's too."""
    changed = None if before is None else changed_since(before, ranked, members)
    cell = RankingCell.__table__.c
    current = [cell.cycle_id == cycle_id, cell.valid_to.is_(None)]
    if changed is not None:
        current.append(cell.node_id.in_(sorted(changed.units | changed.regions)))
    session.execute(update(RankingCell.__table__).where(*current).values(valid_to=version))

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
            literal(cycle_id),
            literal(version),
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
    if changed is not None:
        units = units.where(a.node_id.in_(sorted(changed.units)))
    columns = [
        "customer_id",
        "cycle_id",
        "valid_from",
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
    if changed is None or changed.units:
        session.execute(insert(RankingCell).from_select(columns, units))
    if changed is not None:
        regions = {node: at for node, at in regions.items() if node in changed.regions}
    if regions:
        if changed is None:
            found = region_cells(session, cycle_id, regions, members, settings)
        else:
            assert before is not None
            found, whole = moved_region_cells(
                session, cycle_id, version, regions, members, before.members, changed, settings
            )
            found += region_cells(
                session, cycle_id, {r: regions[r] for r in whole}, members, settings
            )
        insert_rows(
            session,
            RankingCell.__table__,
            [
                row | {"customer_id": customer_id, "cycle_id": cycle_id, "valid_from": version}
                for row in found
            ],
        )


def prune_cells(session: Session, cycle_id: int, kept: Sequence[int]) -> None:
    """Delete the cycle's replaced cells that no snapshot of versions ``kept`` reads."""
    cell = RankingCell.__table__.c
    read = [and_(cell.valid_from <= version, cell.valid_to > version) for version in kept]
    session.execute(
        delete(RankingCell.__table__).where(
            cell.cycle_id == cycle_id,
            cell.valid_to.is_not(None),
            *([not_(or_(*read))] if read else []),
        )
    )


def _exact_sum(value: ColumnElement[Decimal], when: ColumnElement[bool]) -> ColumnElement[int]:
    """The sum of a 4-place amount where ``when`` holds, in ten-thousandths: an integer, so
    exact on both databases (SQLite keeps amounts as REAL)."""
    return func.coalesce(
        func.sum(
            case((and_(when, value.is_not(None)), cast(func.round(value * 10000), BigInteger)))
        ),
        0,
    )


def _counted(value: ColumnElement[Decimal], when: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count(case((and_(when, value.is_not(None)), 1)))


def _mean(total: int, count: int) -> Decimal | None:
    """``scoring.engine.ranking.mean`` of amounts summed in ten-thousandths: the same figure
    to the last digit (the sum is exact, the division and rounding are the same)."""
    if not count:
        return None
    return quantize(CONTEXT.divide(Decimal(total).scaleb(-4), Decimal(count)))


def _ten_thousandths(value: Decimal | None) -> int:
    return 0 if value is None else int(value.scaleb(4))


class Sums(NamedTuple):
    """What a region's cell for one item is worked out from, over its ranked units' cells:
    how many cells, how many scored and missing, and each mean's sum in ten-thousandths with
    its count. Sums add and subtract exactly, so a region moves by a unit's difference."""

    cells: int
    scored: int
    missing: int
    points: int
    with_points: int
    max_points: int
    with_max: int
    percent: int
    with_percent: int
    figure: int
    with_figure: int

    def __add__(self, other: object) -> Sums:
        assert isinstance(other, Sums)
        return Sums(*map(operator.add, self, other))

    def __sub__(self, other: Sums) -> Sums:
        return Sums(*map(operator.sub, self, other))

    @classmethod
    def of_unit(
        cls,
        state: str,
        points: Decimal | None,
        max_points: Decimal | None,
        percent: Decimal | None,
        figure: Decimal | None,
    ) -> Sums:
        """One unit's cell as a region of one: what it adds to the regions above it."""
        scored = state == ScoreState.SCORED.value
        counts_if_scored = (
            (_ten_thousandths(value), int(value is not None)) if scored else (0, 0)
            for value in (points, max_points, percent)
        )
        return cls(
            1,
            int(scored),
            int(state == ScoreState.MISSING.value),
            *(number for pair in counts_if_scored for number in pair),
            _ten_thousandths(figure),
            int(figure is not None),
        )


NO_SUMS = Sums(*(0 for _ in Sums._fields))
# The cell's columns keeping each of Sums' figures, in its order.
SUM_COLUMNS = (
    "units",
    "scored_units",
    "missing_units",
    "points_total",
    "points_units",
    "max_points_total",
    "max_points_units",
    "percent_total",
    "counted",
    "figure_total",
    "figure_units",
)


def region_cell(
    region_id: int, item_id: int, level: TenantLevel, sums: Sums, settings: BandSettings
) -> dict[str, Any]:
    """A region's cell for an item from its sums: the mean points, maximum, percent and figure
    over its units with a figure (missing and not applicable ones left out, never counted as
    0), banded by the thresholds at the region's level; scored when any unit is, else missing
    when any unit is, else not applicable."""
    if sums.scored:
        state = ScoreState.SCORED
    elif sums.missing:
        state = ScoreState.MISSING
    else:
        state = ScoreState.NOT_APPLICABLE
    percent = _mean(sums.percent, sums.with_percent)
    band = band_of(percent, settings.item(item_id, level))
    return {
        "node_id": region_id,
        "item_id": item_id,
        "state": state.value,
        "points": _mean(sums.points, sums.with_points),
        "max_points": _mean(sums.max_points, sums.with_max),
        "percent": percent,
        "band": band.value if band else None,
        "figure": _mean(sums.figure, sums.with_figure),
    } | dict(zip(SUM_COLUMNS, sums, strict=True))


def region_cells(
    session: Session,
    cycle_id: int,
    regions: Mapping[int, TenantLevel],
    members: Mapping[int, Collection[int]],
    settings: BandSettings,
) -> list[dict[str, Any]]:
    """Each region's cell per item (:func:`region_cell`), summed in the database from the
    current cells of its ranked units (``regions``: a region's node id -> its level;
    ``members``: a region's ranked units), one statement per region reading its units' cells
    by their ids (a join on the regions' paths made a province's first publication compare
    every cell with every region's path), so the unit cells, a hundred thousand in a province
    of a hundred indicators, stay there."""
    c = RankingCell.__table__.c
    scored = c.state == ScoreState.SCORED.value
    sums = select(
        c.item_id,
        func.count(),
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
    ).group_by(c.item_id)
    return [
        region_cell(region_id, item_id, level, Sums(*figures), settings)
        for region_id, level in regions.items()
        for item_id, *figures in session.execute(
            sums.where(
                c.cycle_id == cycle_id,
                c.valid_to.is_(None),
                c.node_id.in_(sorted(members[region_id])),
            )
        )
    ]


def _sums_of(
    session: Session, cycle_id: int, version: int, nodes: Collection[int], *, regions: bool
) -> dict[int, dict[int, Sums]]:
    """The cells of ``nodes`` in snapshot ``version`` as sums (node -> item -> sums): a
    region's as kept (a region whose cells keep none is left out), a unit's as a region of
    one."""
    if not nodes:
        return {}
    c = RankingCell.__table__.c
    columns = (
        [c[name] for name in SUM_COLUMNS]
        if regions
        else [c.state, c.points, c.max_points, c.percent, c.figure]
    )
    found: dict[int, dict[int, Sums]] = defaultdict(dict)
    unkept: set[int] = set()
    for node_id, item_id, *figures in session.execute(
        select(c.node_id, c.item_id, *columns).where(
            in_snapshot(c, cycle_id, version), c.node_id.in_(sorted(nodes))
        )
    ):
        if not regions:
            found[node_id][item_id] = Sums.of_unit(*figures)
        elif figures[0] is None:
            unkept.add(node_id)  # summed before sums were kept (migration 0023)
        else:
            found[node_id][item_id] = Sums(*figures)
    return {node: items for node, items in found.items() if node not in unkept}


def moved_region_cells(
    session: Session,
    cycle_id: int,
    version: int,
    regions: Mapping[int, TenantLevel],
    members: Mapping[int, frozenset[int]],
    members_before: Mapping[int, frozenset[int]],
    changed: Changed,
    settings: BandSettings,
) -> tuple[list[dict[str, Any]], list[int]]:
    """The cells of snapshot ``version`` of those ``regions`` whose cells in the snapshot
    before keep their sums, moved by their units' differences: the cells before of the units
    that left or changed taken away, the cells now of those that joined or changed added (a
    few hundred cells read, not the region's units' thousands). Also the regions left to sum
    whole (new ones, and those whose cells keep no sums)."""
    previous = _sums_of(session, cycle_id, version - 1, regions.keys(), regions=True)
    empty: frozenset[int] = frozenset()
    going: dict[int, frozenset[int]] = {}
    coming: dict[int, frozenset[int]] = {}
    for region in previous:
        before, now = members_before.get(region, empty), members[region]
        stayed_but_changed = before & now & changed.units
        going[region] = (before - now) | stayed_but_changed
        coming[region] = (now - before) | stayed_but_changed
    old = _sums_of(
        session, cycle_id, version - 1, frozenset().union(*going.values()), regions=False
    )
    new = _sums_of(session, cycle_id, version, frozenset().union(*coming.values()), regions=False)
    rows: list[dict[str, Any]] = []
    for region, items in previous.items():
        arriving = {item for unit in coming[region] for item in new.get(unit, {})}
        for item_id in items.keys() | arriving:
            sums = items.get(item_id, NO_SUMS)
            for unit in going[region]:
                sums -= old.get(unit, {}).get(item_id, NO_SUMS)
            for unit in coming[region]:
                sums += new.get(unit, {}).get(item_id, NO_SUMS)
            if sums.cells:
                rows.append(region_cell(region, item_id, regions[region], sums, settings))
    return rows, [region for region in regions if region not in previous]
