"""Computing a cycle's ranking snapshot from the assessments' cached scores, set-based, and
pruning the rows of old snapshots.

One query reads every assessment of the cycle with its node; scorecards are scored only for the
vetoed and yellow-carded units (the reasons), overdue listed major hazards are counted with one
GROUP BY, and rows and aggregates are written with two bulk inserts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import String, case, delete, func, or_, select, type_coerce, update
from sqlalchemy.orm import Session

from redline.calendar import local_date, period_as_of
from redline.db import insert_rows
from scoring.assessments.groups import cycle_groups
from scoring.assessments.models import Assessment, AssessmentGroup, AssessmentState, Cycle
from scoring.assessments.previous import previous_cycle
from scoring.assessments.rescoring import RANKED_STATES
from scoring.assessments.scorecards import (
    LoadedTemplate,
    kept_reasons,
    load_template_of,
    scorecards_many,
)
from scoring.engine.bands import Band, Thresholds, band_of, percent_of, trend
from scoring.engine.ranking import Contender, composite, mean, rank_in_groups, statistics
from scoring.ledgers.figures.hazards import overdue_condition
from scoring.ledgers.models import Hazard, HazardSeverity
from scoring.rankings.cells import (
    BandSettings,
    ensure_item_scores,
    prune_cells,
    published,
    write_cells,
)
from scoring.rankings.models import (
    RankingRow,
    RankingSnapshot,
    RankingStatus,
    RegionAggregate,
)
from scoring.templates.models import Template
from tenants.models import TenantLevel, TenantNode

# How many snapshots of a cycle keep their rows (the current one among them).
KEEP_SNAPSHOTS = 3


@dataclass(frozen=True)
class Unit:
    """One assessment of the cycle as its cached columns and its node give it (its fields in
    the order :func:`_units` selects them)."""

    assessment_id: int
    node_id: int
    path: str
    code: str
    name_zh: str
    name_en: str
    state: str
    self_total: Decimal | None
    reviewed_total: Decimal | None
    grade: str | None
    vetoed: bool
    yellow_cards: int
    group_id: int | None = None  # its assessment group (分类考核), when the cycle has groups
    reasons: dict[str, list[dict[str, str]]] | None = None  # kept with its scores (or None)
    scores_revision: int = 0  # its item scores' writes so far

    @property
    def ranked(self) -> bool:
        return self.state in RANKED_STATES and self.reviewed_total is not None


@dataclass(frozen=True)
class Region:
    """A scope node of the cycle: the owner, or an ancestor of participants below it."""

    node_id: int
    path: str
    code: str
    name_zh: str
    name_en: str
    level: TenantLevel


@lru_cache(maxsize=8192)
def _ancestors_of_parent(parent: str) -> tuple[str, ...]:
    codes = parent.strip("/").split("/")
    return tuple("/" + "/".join(codes[:depth]) + "/" for depth in range(1, len(codes) + 1))


def _prefixes(path: str) -> tuple[str, ...]:
    """ "/a/b/c/" -> "/a/", "/a/b/": the paths of the node's ancestors (worked out once per
    parent: a province's thousand townships have a hundred)."""
    parent = path[: path.rindex("/", 0, len(path) - 1) + 1]
    return _ancestors_of_parent(parent) if parent != "/" else ()


def _units(session: Session, cycle: Cycle) -> list[Unit]:
    """Every assessment of the cycle with its node: one query, cached columns only (the kept
    reasons of the vetoed and yellow-carded units alone: the others' are never read)."""
    a = Assessment.__table__.c
    n = TenantNode.__table__.c
    rows = session.execute(
        select(
            a.id,
            a.node_id,
            n.path,
            n.code,
            n.name_zh,
            n.name_en,
            type_coerce(a.state, String),  # the state's value, as the rows keep it
            a.self_total,
            a.reviewed_total,
            a.grade,
            a.vetoed,
            a.yellow_cards,
            a.group_id,
            case((or_(a.vetoed, a.yellow_cards > 0), a.reasons), else_=None),
            a.scores_revision,
        )
        .join_from(Assessment.__table__, TenantNode.__table__, n.id == a.node_id)
        .where(a.cycle_id == cycle.id)
    )
    return [Unit(*row) for row in rows]  # the columns in the order of Unit's fields


def _regions(session: Session, owner: TenantNode, units: Sequence[Unit]) -> list[Region]:
    """The scopes: the owner and every ancestor of a participant below it, top down."""
    top = owner.path
    paths = {top}
    for ancestors in {_prefixes(unit.path) for unit in units}:  # the same for siblings
        paths.update(p for p in ancestors if p.startswith(top))
    n = TenantNode.__table__.c
    rows = session.execute(
        select(n.id, n.path, n.code, n.name_zh, n.name_en, n.level).where(
            n.customer_id == owner.customer_id, n.path.in_(sorted(paths))
        )
    ).all()
    regions = [
        Region(r.id, r.path, r.code, r.name_zh, r.name_en, TenantLevel(r.level)) for r in rows
    ]
    return sorted(regions, key=lambda r: (r.level.rank, r.code))


def _own_totals(
    session: Session, cycle: Cycle, node_ids: Sequence[int]
) -> dict[int, tuple[Decimal, Decimal | None]]:
    """Each region's own reviewed total in another ranked cycle of the same period, and that
    cycle's template's composite weight (a weighted cycle preferred, then the oldest)."""
    if not node_ids:
        return {}
    rows = session.execute(
        select(Assessment.node_id, Assessment.reviewed_total, Template.composite_weight)
        .join(Cycle, Cycle.id == Assessment.cycle_id)
        .join(Template, Template.id == Cycle.template_id)
        .where(
            Cycle.customer_id == cycle.customer_id,
            Cycle.id != cycle.id,
            Cycle.period_start == cycle.period_start,
            Cycle.period_end == cycle.period_end,
            Assessment.node_id.in_(node_ids),
            Assessment.state.in_(RANKED_STATES),
            Assessment.reviewed_total.is_not(None),
        )
        .order_by(Template.composite_weight.is_(None), Cycle.id)
    ).all()
    found: dict[int, tuple[Decimal, Decimal | None]] = {}
    for node_id, total, weight in rows:
        found.setdefault(node_id, (total, weight))
    return found


def _previous_ranks(
    session: Session, cycle: Cycle
) -> dict[tuple[int, str, int], tuple[int, Decimal | None, str | None]]:
    """(scope, level, node) -> (rank, score, group code) in the current snapshot of the previous
    cycle."""
    before = previous_cycle(session, cycle)
    if before is None:
        return {}
    snapshot_id = session.scalar(
        select(RankingStatus.snapshot_id).where(RankingStatus.cycle_id == before.id)
    )
    if snapshot_id is None:
        return {}
    r = RankingRow.__table__.c
    rows = session.execute(
        select(r.scope_node_id, r.level, r.node_id, r.rank, r.score, r.group_code).where(
            r.snapshot_id == snapshot_id
        )
    )
    return {(s, TenantLevel(lv).value, n): (k, score, g) for s, lv, n, k, score, g in rows}


@dataclass(frozen=True)
class _Reasons:
    """Why units are vetoed and yellow-carded (by assessment id)."""

    vetoes: dict[int, list[dict[str, str]]]
    yellow_cards: dict[int, list[dict[str, str]]]


def _rule_reasons(
    session: Session, units: Sequence[Unit], loaded: LoadedTemplate, now: datetime
) -> _Reasons:
    """Why each vetoed or yellow-carded unit is: the vetoes and yellow cards of its reviewed
    scorecard, as kept with its scores; a unit scored before reasons were kept is scored."""
    flagged = [u for u in units if u.vetoed or u.yellow_cards]
    kept = {u.assessment_id: u.reasons for u in flagged if u.reasons is not None}
    unkept = [u.assessment_id for u in flagged if u.reasons is None]
    if unkept:
        assessments = list(session.scalars(select(Assessment).where(Assessment.id.in_(unkept))))
        cards = scorecards_many(session, assessments, now=now)
        kept |= {i: kept_reasons(card.reviewed_card) for i, card in cards.items()}
    rules = loaded.rules_by_code

    def said(reason: dict[str, str]) -> dict[str, str]:
        rule = reason["rule"]
        return {
            "rule": rule,
            "title": rules[rule].title if rule in rules else rule,
            "reason": reason["reason"],
            "evidence": reason["evidence"],
        }

    return _Reasons(
        {i: [said(r) for r in reasons["vetoes"]] for i, reasons in kept.items()},
        {i: [said(r) for r in reasons["yellow_cards"]] for i, reasons in kept.items()},
    )


def overdue_major_hazards(
    session: Session, customer_id: int, paths: Mapping[int, str], now: datetime
) -> dict[int, int]:
    """How many major hazards listed for supervision are open past their deadline in the
    subtree of each node (``paths``: node id -> path), as of ``now``. The province's few overdue
    hazards are counted per node in SQL and added up to the asked nodes their paths start with:
    a range join from every asked node (a province's thousand townships) costs far more."""
    if not paths:
        return {}
    asked = {path: node_id for node_id, path in paths.items()}
    n = TenantNode.__table__.c
    rows = session.execute(
        select(n.path, func.count(Hazard.id))
        .join_from(Hazard, TenantNode, n.id == Hazard.node_id)
        .where(
            Hazard.customer_id == customer_id,
            Hazard.severity == HazardSeverity.MAJOR,
            Hazard.listed.is_(True),
            overdue_condition(local_date(now)),
        )
        .group_by(n.path)
    )
    found: Counter[int] = Counter()
    for path, count in rows:
        for prefix in (*_prefixes(path), path):
            if prefix in asked:
                found[asked[prefix]] += count
    return dict(found)


@dataclass
class _Figures:
    """A region's aggregate as computed, before it is written."""

    region: Region
    assessed: int
    ranked: list[Unit]
    own_total: Decimal | None
    composite: Decimal | None
    mean: Decimal | None

    @property
    def score(self) -> Decimal | None:
        """What the region is ranked on: its composite if it has one, else its units' mean."""
        return self.composite if self.composite is not None else self.mean


def _total_band(
    score: Decimal | None, vetoed: bool, total_points: Decimal, thresholds: Thresholds
) -> Band | None:
    """A total's band: by its percent of the template's total; red once vetoed (the one-ticket
    veto makes the unit unqualified whatever its points)."""
    if score is None:
        return None
    return Band.RED if vetoed else band_of(percent_of(score, total_points), thresholds)


def compute_snapshot(
    session: Session, cycle: Cycle, *, based_on: datetime | None, now: datetime
) -> RankingSnapshot:
    """Compute and write (flush, never commit) a new snapshot of the cycle's rankings and
    aggregates, numbered after the newest one. ``session`` is a system session."""
    owner = session.get_one(TenantNode, cycle.owner_node_id)
    level = TenantLevel(cycle.level)
    units = [u for u in _units(session, cycle) if u.path.startswith(owner.path)]
    regions = _regions(session, owner, units)
    loaded = load_template_of(session, cycle.template_id)
    template = loaded.template
    bands = BandSettings.of(loaded)
    min_points = template.trend_min_points or Decimal("0.01")
    min_ranks = template.trend_min_ranks or 1
    # An assessment whose item scores were ever written counts the writes (and item scores
    # are never deleted): only those at 0 can lack them, and the query asks about those alone.
    ensure_item_scores(
        session,
        cycle.id,
        loaded,
        [u.assessment_id for u in units if u.ranked and not u.scores_revision],
    )
    before = published(session, cycle.id, level)
    under: dict[int, list[Unit]] = defaultdict(list)
    by_path = {r.path: r for r in regions}
    for unit in units:
        for prefix in _prefixes(unit.path):
            if prefix in by_path:
                under[by_path[prefix].node_id].append(unit)
    own = _own_totals(session, cycle, [r.node_id for r in regions])
    total_thresholds = bands.total(level)
    unit_bands = {
        u.assessment_id: _total_band(
            u.reviewed_total, u.vetoed, template.total_points, total_thresholds
        )
        for u in units
        if u.ranked
    }
    figures: dict[int, _Figures] = {}
    aggregates: list[dict[str, Any]] = []
    for region in regions:
        members = under[region.node_id]
        ranked = [u for u in members if u.ranked]
        stats = statistics(u.reviewed_total for u in ranked)  # type: ignore[misc]
        own_total, weight = own.get(region.node_id, (None, None))
        combined = (
            composite(weight, own_total, stats.mean)
            if weight is not None and own_total is not None and stats.mean is not None
            else None
        )
        figures[region.node_id] = _Figures(
            region, len(members), ranked, own_total, combined, stats.mean
        )
        gaps = [u.self_total - u.reviewed_total for u in ranked if u.self_total is not None]  # type: ignore[operator]
        aggregates.append(
            {
                "customer_id": cycle.customer_id,
                "node_id": region.node_id,
                "assessed": len(members),
                "ranked": len(ranked),
                "mean": stats.mean,
                "median": stats.median,
                "minimum": stats.minimum,
                "maximum": stats.maximum,
                "grade_counts": dict(sorted(Counter(u.grade for u in ranked if u.grade).items())),
                "band_counts": dict(
                    sorted(
                        Counter(
                            band.value
                            for u in ranked
                            if (band := unit_bands[u.assessment_id]) is not None
                        ).items()
                    )
                ),
                "veto_count": sum(u.vetoed for u in ranked),
                "mean_gap": mean(gaps),
                "own_total": own_total,
                "composite": combined,
            }
        )

    rowed = [u for u in units if u.ranked]
    reasons = _rule_reasons(session, rowed, loaded, now)
    # Overdue within the cycle's period: a closed year's ranking does not count a hazard whose
    # deadline passed after the year ended.
    overdue = overdue_major_hazards(
        session,
        cycle.customer_id,
        {u.node_id: u.path for u in rowed},
        period_as_of(cycle.period_end, now),
    )
    previous = _previous_ranks(session, cycle)
    rows: list[dict[str, Any]] = []
    # What a unit's or region's rows say of it whatever the ranking (a unit is ranked in
    # every region above it, always at the cycle's level; a region at its own): worked out
    # once each, not once per row.
    said: dict[int, dict[str, Any]] = {}

    def said_of(item: Unit | _Figures) -> dict[str, Any]:
        if isinstance(item, Unit):
            key, named, score, vetoed = item.assessment_id, item, item.reviewed_total, item.vetoed
        else:
            key, named, score, vetoed = -item.region.node_id, item.region, item.score, False
        found = said.get(key)
        if found is not None:
            return found
        if isinstance(item, Unit):
            row_level, band = level, unit_bands[item.assessment_id]
        else:
            row_level = item.region.level
            band = _total_band(score, False, template.total_points, bands.total(row_level))
        found = {
            "customer_id": cycle.customer_id,
            "level": row_level,
            "node_id": named.node_id,
            "unit_code": named.code,
            "unit_name_zh": named.name_zh,
            "unit_name_en": named.name_en,
            "score": score,
            "vetoed": vetoed,
            "percent": percent_of(score, template.total_points),
            "band": band.value if band else None,
        }
        if isinstance(item, Unit):
            found |= {
                "assessment_id": item.assessment_id,
                "self_total": item.self_total,
                "grade": item.grade,
                "veto_reasons": reasons.vetoes.get(item.assessment_id, []),
                "yellow_cards": reasons.yellow_cards.get(item.assessment_id, []),
                "overdue_major_hazards": overdue.get(item.node_id, 0),
                "state": item.state,
                "scores_revision": item.scores_revision,
            }
        else:
            found |= {
                "assessment_id": None,
                "self_total": None,
                "grade": None,
                "veto_reasons": [],
                "yellow_cards": [],
                "overdue_major_hazards": 0,
                "state": None,
                "scores_revision": None,
            }
        said[key] = found
        return found

    def write(
        scope: Region,
        row_level: TenantLevel,
        groups: list[tuple[AssessmentGroup | None, list[Contender[Any]]]],
    ) -> None:
        """One ranking's rows: each group's contenders ranked within it (one group, None,
        when the cycle has none)."""
        for group, placed in rank_in_groups(groups):
            item = placed.contender.item
            same = said_of(item)
            group_code = group.code if group else None
            before_rank, before_score, before_group = previous.get(
                (scope.node_id, row_level.value, same["node_id"]), (None, None, None)
            )
            if before_group != group_code:
                # Ranked in another group (or none) last time: its places do not compare.
                before_rank = None
            score_trend = trend(placed.contender.score, before_score, min_points)
            # A rank moves up when its number goes down.
            rank_trend = trend(
                -placed.rank, -before_rank if before_rank is not None else None, min_ranks
            )
            rows.append(
                {
                    **same,
                    "scope_node_id": scope.node_id,
                    "group_code": group_code,
                    "group_name": group.name if group else None,
                    "position": placed.position,
                    "rank": placed.rank,
                    "of": placed.of,
                    "previous_rank": before_rank,
                    "previous_score": before_score,
                    "score_trend": score_trend.value if score_trend else None,
                    "rank_trend": rank_trend.value if rank_trend else None,
                }
            )

    groups = cycle_groups(session, cycle.id)
    for scope in regions:
        # A region ranks the levels below it; the owner of a cycle at its own level ranks the
        # units attached to it (its departments and enterprises).
        if scope.level.rank >= level.rank and scope.node_id != owner.id:
            continue
        ranked_here = figures[scope.node_id].ranked
        # In groups (分类考核) each is ranked on its own, listed in the groups' order; a unit
        # in none (the groups set before it joined) after them.
        write(
            scope,
            level,
            [
                (
                    group,
                    [
                        Contender(u.code, u.reviewed_total, u.vetoed, u)  # type: ignore[arg-type]
                        for u in ranked_here
                        if u.group_id == (group.id if group else None)
                    ],
                )
                for group in (*groups, None)
            ],
        )
        for between in list(TenantLevel)[scope.level.rank + 1 : level.rank]:
            write(
                scope,
                between,
                [
                    (
                        None,
                        [
                            Contender(f.region.code, f.score, False, f)  # type: ignore[arg-type]
                            for f in figures.values()
                            if f.region.level is between
                            and f.region.path.startswith(scope.path)
                            and f.score is not None
                        ],
                    )
                ],
            )

    version = (
        session.scalar(
            select(func.max(RankingSnapshot.version)).where(RankingSnapshot.cycle_id == cycle.id)
        )
        or 0
    ) + 1
    snapshot = RankingSnapshot(
        customer_id=cycle.customer_id,
        cycle_id=cycle.id,
        version=version,
        computed_at=now,
        based_on=based_on,
        provisional=not units or any(u.state != AssessmentState.FINAL.value for u in units),
        assessed_count=len(units),
        ranked_count=len(rowed),
        duration_ms=0,
        rows_pruned=False,
    )
    session.add(snapshot)
    session.flush()
    insert_rows(session, RankingRow.__table__, [r | {"snapshot_id": snapshot.id} for r in rows])
    insert_rows(
        session,
        RegionAggregate.__table__,
        [a | {"snapshot_id": snapshot.id} for a in aggregates],
    )
    members = {node: frozenset(u.node_id for u in f.ranked) for node, f in figures.items()}
    write_cells(
        session,
        customer_id=cycle.customer_id,
        cycle_id=cycle.id,
        version=version,
        cycle_level=level,
        owner_path=owner.path,
        ranked_states=[state.value for state in RANKED_STATES],
        item_ids=[item.id for item in loaded.items],
        settings=bands,
        regions={
            f.region.node_id: f.region.level
            for f in figures.values()
            if TenantLevel(owner.level).rank < f.region.level.rank < level.rank and f.ranked
        },
        members=members,
        ranked={u.node_id: (u.assessment_id, u.scores_revision) for u in rowed},
        before=before,
    )
    return snapshot


def prune_snapshots(session: Session, cycle_id: int, keep: int = KEEP_SNAPSHOTS) -> list[int]:
    """Delete the rows and aggregates of all but the newest ``keep`` provisional snapshots of
    the cycle (their headers stay, marked ``rows_pruned``), and the cells only those read; a
    snapshot published once every assessment was final is kept whole, for history. The ids
    pruned now."""
    old = list(
        session.scalars(
            select(RankingSnapshot.id)
            .where(RankingSnapshot.cycle_id == cycle_id, RankingSnapshot.provisional.is_(True))
            .order_by(RankingSnapshot.version.desc())
            .offset(keep)
        )
    )
    current = session.scalar(
        select(RankingStatus.snapshot_id).where(RankingStatus.cycle_id == cycle_id)
    )
    old = [i for i in old if i != current]
    if not old:
        return []
    pruned = list(
        session.scalars(
            select(RankingSnapshot.id).where(
                RankingSnapshot.id.in_(old), RankingSnapshot.rows_pruned.is_(False)
            )
        )
    )
    if pruned:
        session.execute(delete(RankingRow).where(RankingRow.snapshot_id.in_(pruned)))
        session.execute(delete(RegionAggregate).where(RegionAggregate.snapshot_id.in_(pruned)))
        session.execute(
            update(RankingSnapshot)
            .where(RankingSnapshot.id.in_(pruned))
            .values(rows_pruned=True)
            .execution_options(synchronize_session=False)
        )
        kept = session.scalars(
            select(RankingSnapshot.version).where(
                RankingSnapshot.cycle_id == cycle_id, RankingSnapshot.rows_pruned.is_(False)
            )
        )
        prune_cells(session, cycle_id, list(kept))
    return pruned
