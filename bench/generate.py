"""The synthetic national data set for the benchmarks: tenants, templates, a cycle, assessments.

Writes, in a PostgreSQL database with the real schema (the migrations), for each province (its
own customer): the tenant tree (province > cities > counties > townships, codes in the
province's GB/T 2260 code space, materialised paths); one published template written and
published through ``scoring.templates.service`` (categories of ``--indicators`` indicators worth
100 points, a mix of manual, boolean, ratio, tiers and deduction-with-clauses methods, a capped
bonus category of two bonus indicators, a manual veto rule and a yellow card fired by listed
major hazards left overdue); one open township cycle of 2026 owned by the province node; one
assessment per township in a realistic mix of states (mostly submitted, reviewed and final,
some draft and returned) with one entry per indicator (inputs by method, some not applicable
with a reason, review points where reviewed), manual veto flags on ~3% of them, and
``--hazards`` listed major hazards per province (~40% open past their deadline). The bulk rows
(nodes, assessments, entries, flags, hazards, item scores) go in with ``COPY``; only the few
template and cycle rows use the ORM.

The cached scores are true: after the raw rows are in, every assessment is scored by the real
code path in batches (``scorecards_many``, ``cached_scores``, ``kept_item_scores``, as the full
recompute does) and the results written (``assessment`` columns, ``item_score`` rows). A final
assessment first keeps the ledger rules firing for it as veto flags, as ``finalise`` does.
``--check N`` scores N random assessments again through the ORM path and asserts the stored
columns and item scores equal the fresh ones.

Sizes: ``--provinces`` (34, the real province codes) x ``--cities-per-province`` (10) x
``--counties-per-city`` (9) x ``--townships-per-county`` (13): 43,214 units, 39,780 townships
and as many assessments, x (``--indicators`` 100 + 2 bonus) = ~4.1 million entries.
``--scale F`` multiplies the number of provinces only (at least 1), so each province keeps its
real shape: ``--scale 0.1`` is 3 provinces (3,510 townships, ~358,000 entries). ``--tiny`` is
1 province x 2 x 2 x 3 townships with 10 indicators and 20 hazards, for a smoke run in seconds.
Deterministic: the same arguments give the same rows (``random.Random`` seeded per province).

    .venv/bin/python bench/generate.py [--scale 0.1 | --tiny] [--seed 2026] [--check 25]
        [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--keep]

Without ``--keep`` the scratch database is dropped at the end; with it, its URL is printed for
other benchmarks to use. From another benchmark: ``generate(url, Sizes(...), seed)`` fills an
empty migrated (or new, empty) database at ``url`` and returns a :class:`Summary`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from scratch import scratch_database  # bench/: run as a script, bench/ is on the path
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from redline.db import make_engine, make_session_factory
from redline.migrations import upgrade
from scoring.assessments.models import (
    Assessment,
    AssessmentState,
    Cycle,
    CycleState,
    ItemScore,
)
from scoring.assessments.scorecards import (
    cached_scores,
    kept_item_scores,
    load_template_of,
    scorecards_many,
)
from scoring.engine import ClauseKind, Method
from scoring.engine.validate import validate_template
from scoring.ledgers.figures.vetoes import VetoRequest, ledger_vetoes
from scoring.ledgers.models import HazardSeverity, HazardSource, HazardState, Sector
from scoring.templates.document import (
    ClauseInput,
    ItemInput,
    TemplateContent,
    TierInput,
    VetoRuleInput,
)
from scoring.templates.models import ItemKind, RuleSeverity, VetoKind
from scoring.templates.service import create_template, publish
from tenants.hierarchy import CODE_SPACE_LENGTH, check_kind, child_path, code_space
from tenants.models import TenantKind, TenantLevel, TenantNode

D = Decimal
CENT = D("0.01")
# The moment the data set is scored as of (ledger rules fire as of it): after the hazards'
# deadlines, inside the cycle's year, so scoring it again later gives the same result.
NOW = datetime(2026, 12, 1, 4, tzinfo=UTC)
PERIOD = (date(2026, 1, 1), date(2026, 12, 31))
SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"

# GB/T 2260 province-level codes: 34 code spaces (two leading digits each).
PROVINCE_CODES = tuple(
    f"{space}0000"
    for space in range(11, 83)
    if space in {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42}
    or space in {43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
)
assert len(PROVINCE_CODES) == 34

# Assessment states, weighted: mostly submitted, reviewed or final; some draft and returned.
STATES = (
    (AssessmentState.FINAL, 45),
    (AssessmentState.REVIEWED, 18),
    (AssessmentState.SUBMITTED, 14),
    (AssessmentState.RESUBMITTED, 3),
    (AssessmentState.RETURNED, 6),
    (AssessmentState.DRAFT, 14),
)
REVIEWED_STATES = frozenset({AssessmentState.REVIEWED, AssessmentState.FINAL})
# The order the methods take in a category (shifted per category, so every one gets a mix).
METHODS = (
    Method.MANUAL,
    Method.BOOLEAN,
    Method.RATIO,
    Method.DEDUCTION,
    Method.TIERS,
    Method.DEDUCTION,
    Method.BOOLEAN,
    Method.RATIO,
)
COUNTY_KINDS = (TenantKind.DISTRICT, TenantKind.COUNTY, TenantKind.COUNTY, TenantKind.COUNTY_CITY)
TOWNSHIP_KINDS = (TenantKind.TOWN, TenantKind.TOWN, TenantKind.TOWNSHIP, TenantKind.STREET)
VETO_RATE = 0.03  # manual veto flags (a larger accident), of the townships past draft
NOT_APPLICABLE_RATE = 0.03
ADJUSTED_RATE = 0.05  # of a reviewed assessment's entries, set by the reviewer
HAZARD_OVERDUE_RATE = 0.4


@dataclass(frozen=True)
class Sizes:
    """How big the data set is; the defaults are a national deployment."""

    provinces: int = 34
    cities_per_province: int = 10
    counties_per_city: int = 9
    townships_per_county: int = 13
    indicators: int = 100  # in the 100 points; a bonus category of 2 more comes on top
    hazards: int = 300  # listed major hazards per province

    def scaled(self, factor: float) -> Sizes:
        """The same shape with ``factor`` x the provinces (at least one)."""
        return Sizes(
            max(1, round(self.provinces * factor)),
            self.cities_per_province,
            self.counties_per_city,
            self.townships_per_county,
            self.indicators,
            self.hazards,
        )

    def check(self) -> None:
        """Refuse sizes the code spaces cannot hold."""
        limits = (
            ("provinces", self.provinces, len(PROVINCE_CODES)),
            ("cities per province", self.cities_per_province, 99),
            ("counties per city", self.counties_per_city, 99),
            ("townships per county", self.townships_per_county, 999),
        )
        for name, value, most in limits:
            if not 1 <= value <= most:
                raise ValueError(f"{name}: {value} is outside 1..{most}")
        if not 1 <= self.indicators <= 1000 or self.hazards < 0:
            raise ValueError("1..1000 indicators (at least a cent each), hazards >= 0")


TINY = Sizes(1, 2, 2, 3, 10, 20)


@dataclass
class Summary:
    """What ``generate`` wrote, and the seconds each phase took."""

    provinces: int = 0
    units: int = 0
    townships: int = 0
    template_items: int = 0
    assessments: int = 0
    entries: int = 0
    veto_flags: int = 0
    hazards: int = 0
    item_scores: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def line(self) -> str:
        counts = (
            f"{self.provinces} provinces, {self.units:,} units ({self.townships:,} townships), "
            f"{self.template_items:,} template items, {self.assessments:,} assessments, "
            f"{self.entries:,} entries, {self.veto_flags:,} veto flags, {self.hazards:,} "
            f"hazards, {self.item_scores:,} item scores"
        )
        phases = ", ".join(f"{name} {s:.1f} s" for name, s in self.seconds.items())
        return f"{counts}\n  {phases}; total {sum(self.seconds.values()):.1f} s"


@contextmanager
def _phase(summary: Summary, name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        summary.seconds[name] = summary.seconds.get(name, 0.0) + time.perf_counter() - started


# --- the tree ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Province:
    """One province as generated: its customer, its node, its townships (id, code)."""

    customer_id: int
    node_id: int
    code: str
    townships: list[tuple[int, str]]


def _node_row(
    node_id: int,
    customer_id: int,
    parent: tuple[int, str] | None,
    code: str,
    level: TenantLevel,
    kind: TenantKind,
    name: tuple[str, str],
) -> tuple[Any, ...]:
    assert check_kind(level, kind) is None, (level, kind)
    path = child_path(parent[1] if parent else None, code)
    depth = level.rank
    return (
        node_id,
        customer_id,
        parent[0] if parent else None,
        code,
        level.value,
        kind.value,
        path,
        depth,
        name[0],
        name[1],
        NOW,
        NOW,
    )


def _tree_rows(sizes: Sizes, seed: int, provinces: list[Province]) -> Iterator[tuple[Any, ...]]:
    """Every node of every province, parents first; fills ``provinces`` as it goes."""
    next_id = 1
    for index in range(sizes.provinces):
        rng = random.Random(f"{seed}/tree/{index}")
        pcode = PROVINCE_CODES[index]
        space = code_space(pcode)
        customer_id = index + 1
        province = (next_id, child_path(None, pcode))
        yield _node_row(
            next_id,
            customer_id,
            None,
            pcode,
            TenantLevel.PROVINCE,
            TenantKind.PROVINCE,
            (f"{pcode}省", f"Province {pcode}"),
        )
        townships: list[tuple[int, str]] = []
        provinces.append(Province(customer_id, next_id, pcode, townships))
        next_id += 1
        for c in range(1, sizes.cities_per_province + 1):
            ccode = f"{space}{c:02d}00"
            city = (next_id, child_path(province[1], ccode))
            yield _node_row(
                next_id,
                customer_id,
                province,
                ccode,
                TenantLevel.CITY,
                TenantKind.CITY,
                (f"{ccode}市", f"City {ccode}"),
            )
            next_id += 1
            for k in range(1, sizes.counties_per_city + 1):
                kcode = f"{ccode[:4]}{k:02d}"
                county = (next_id, child_path(city[1], kcode))
                yield _node_row(
                    next_id,
                    customer_id,
                    city,
                    kcode,
                    TenantLevel.COUNTY,
                    rng.choice(COUNTY_KINDS),
                    (f"{kcode}县", f"County {kcode}"),
                )
                next_id += 1
                for t in range(1, sizes.townships_per_county + 1):
                    tcode = f"{kcode}{t:03d}"
                    yield _node_row(
                        next_id,
                        customer_id,
                        county,
                        tcode,
                        TenantLevel.TOWNSHIP,
                        rng.choice(TOWNSHIP_KINDS),
                        (f"{tcode}镇", f"Town {tcode}"),
                    )
                    townships.append((next_id, tcode))
                    next_id += 1


def write_tree(conn: psycopg.Connection, sizes: Sizes, seed: int) -> list[Province]:
    """Customers and tenant nodes (COPY); the provinces with their townships."""
    provinces: list[Province] = []
    with conn.cursor() as cur:
        with cur.copy("COPY customer (id, code, name, created_at, updated_at) FROM STDIN") as copy:
            for index in range(sizes.provinces):
                pcode = PROVINCE_CODES[index]
                copy.write_row((index + 1, pcode, f"Province {pcode}", NOW, NOW))
        with cur.copy(
            "COPY tenant_node (id, customer_id, parent_id, code, level, kind, path, depth, "
            "name_zh, name_en, created_at, updated_at) FROM STDIN"
        ) as copy:
            for row in _tree_rows(sizes, seed, provinces):
                assert row[3].startswith(row[6][1 : 1 + CODE_SPACE_LENGTH])
                copy.write_row(row)
    return provinces


# --- the template --------------------------------------------------------------------------


def _split(total: Decimal, parts: int) -> list[Decimal]:
    """``total`` in ``parts`` amounts of whole cents that add up to it exactly."""
    cents = int(total * 100)
    base, extra = divmod(cents, parts)
    return [D(base + (1 if n < extra else 0)) * CENT for n in range(parts)]


def _indicator(code: str, method: Method, maximum: Decimal) -> ItemInput:
    title = f"指标 {code}"
    common: dict[str, Any] = {
        "code": code,
        "title": title,
        "kind": ItemKind.INDICATOR,
        "max_points": maximum,
        "method": method,
    }
    if method is Method.RATIO:
        return ItemInput(
            **common, criteria="整改率对照100%，低于60%不得分", target=D(100), floor=D(60)
        )
    if method is Method.TIERS:
        second = (maximum * D("0.8")).quantize(CENT)
        tiers = (TierInput(D(95), maximum), TierInput(D(90), second))
        return ItemInput(**common, criteria="≥95%得满分，≥90%得80%", tiers=tiers)
    if method is Method.DEDUCTION:
        step = max(CENT, (maximum / 4).quantize(CENT))
        clauses = (
            ClauseInput("a", ClauseKind.ZERO, "未建立制度的，不得分"),
            ClauseInput("b", ClauseKind.FIXED, f"未以文件形式印发的，扣{step}分", step),
            ClauseInput("c", ClauseKind.PER_OCCURRENCE, f"每缺少一个单位扣{step}分", step),
        )
        return ItemInput(**common, criteria="按条款扣分，扣完为止", clauses=clauses)
    if method is Method.BOOLEAN:
        return ItemInput(**common, criteria="完成得满分，未完成不得分")
    return ItemInput(**common, criteria="考核组酌情评分")


def template_content(indicators: int) -> TemplateContent:
    """A 100-point template of ``indicators`` indicators in about one category per ten, a
    +5 bonus category of two, a manual veto and a yellow card for overdue listed hazards."""
    categories = max(1, min(30, round(indicators / 10)))
    each, extra = divmod(indicators, categories)
    per_category = [each + (1 if n < extra else 0) for n in range(categories)]
    items = []
    for number, (count, points) in enumerate(
        zip(per_category, _split(D(100), categories), strict=True), start=1
    ):
        maxima = _split(points, count)
        children = tuple(
            _indicator(f"{number}.{n}", METHODS[(n + number) % len(METHODS)], maximum)
            for n, maximum in enumerate(maxima, start=1)
        )
        items.append(
            ItemInput(str(number), f"类别 {number}", ItemKind.CATEGORY, points, children=children)
        )
    bonus = tuple(
        ItemInput(
            f"B.{n}",
            f"加分项 {n}",
            ItemKind.INDICATOR,
            D(3),
            method=Method.BONUS,
            criteria="每项最多加3分",
        )
        for n in (1, 2)
    )
    items.append(ItemInput("B", "加分项", ItemKind.CATEGORY, D(6), bonus=True, children=bonus))
    rules = (
        VetoRuleInput("V1", "发生较大及以上生产安全事故", "一票否决"),
        VetoRuleInput(
            "Y1",
            "挂牌督办重大隐患逾期未整改",
            "黄牌警告",
            kind=VetoKind.OVERDUE_MAJOR_HAZARD,
            severity=RuleSeverity.YELLOW_CARD,
        ),
    )
    return TemplateContent(
        title="2026年度乡镇安全生产工作考核",
        year=2026,
        total_points=D(100),
        bonus_cap=D(5),
        grade_excellent=D(90),
        grade_good=D(80),
        grade_qualified=D(60),
        items=tuple(items),
        veto_rules=rules,
        language="zh",
    )


def write_template_and_cycle(session: Session, province: Province, indicators: int) -> int:
    """The province's published template (through the template service, which validates it)
    and its open township cycle of 2026; the cycle's id."""
    node = session.get_one(TenantNode, province.node_id)
    template = create_template(
        session,
        None,
        owner_node=node,
        family_code="TOWN",
        family_name="乡镇安全生产考核",
        content=template_content(indicators),
    )
    publish(session, None, template, expected_version=template.lock_version, now=NOW)
    cycle = Cycle(
        customer_id=province.customer_id,
        template_id=template.id,
        owner_node_id=node.id,
        name="2026年度乡镇考核",
        level=TenantLevel.TOWNSHIP,
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        self_due=datetime(2027, 1, 15, tzinfo=UTC),
        review_due=datetime(2027, 2, 28, tzinfo=UTC),
        state=CycleState.OPEN,
    )
    session.add(cycle)
    session.flush()
    return cycle.id


# --- assessments, entries, flags, hazards --------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """What an entry needs of a template item."""

    item_id: int
    code: str
    method: Method
    max_points: Decimal


def _entry_input(rng: random.Random, item: Indicator, quality: float) -> tuple[Any, Any, Any, str]:
    """value, done, points, counts (JSON) a unit of ``quality`` (about 0.6 to 1) entered."""
    method = item.method
    if method in (Method.MANUAL, Method.BONUS):
        share = rng.uniform(0, 1) if method is Method.BONUS else rng.uniform(quality - 0.15, 1)
        return None, None, (item.max_points * D(str(round(share, 2)))).quantize(CENT), "{}"
    if method in (Method.RATIO, Method.TIERS):
        # Around the unit's quality, now and then far below it (under the ratio's floor).
        percent = rng.gauss(quality + 0.06, 0.04) if rng.random() > 0.03 else rng.uniform(0.3, 0.6)
        return D(round(min(max(percent, 0), 1) * 10000)) * D("0.01"), None, None, "{}"
    if method is Method.BOOLEAN:
        return None, rng.random() < quality + 0.05, None, "{}"
    counts = {key: rng.randint(1, 3) for key in "bc" if rng.random() < (1 - quality) * 1.5}
    if rng.random() < (1 - quality) * 0.1:
        counts["a"] = 1
    return None, None, None, json.dumps(counts)


def _entry_rows(
    rng: random.Random,
    assessment_id: int,
    node_id: int,
    customer_id: int,
    state: AssessmentState,
    indicators: list[Indicator],
) -> Iterator[tuple[Any, ...]]:
    reviewed = state in REVIEWED_STATES
    quality = min(0.99, max(0.55, rng.gauss(0.88, 0.07)))  # how well the unit does
    for item in indicators:
        value = done = points = review_points = review_reason = confirmed = reason = None
        counts = "{}"
        not_applicable = item.method is not Method.BONUS and rng.random() < NOT_APPLICABLE_RATE
        if not_applicable:
            reason = "本辖区无此类企业"
            confirmed = (rng.random() < 0.9) if reviewed else None
        elif state is AssessmentState.DRAFT and rng.random() < 0.2:
            pass  # not filled in yet
        else:
            value, done, points, counts = _entry_input(rng, item, quality)
        if reviewed and not (not_applicable and confirmed) and rng.random() < ADJUSTED_RATE:
            review_points = (item.max_points * rng.randint(30, 100) / 100).quantize(CENT)
            review_reason = "核查台账后调整"
        yield (
            assessment_id,
            item.item_id,
            value,
            done,
            points,
            counts,
            not_applicable,
            reason,
            "",
            reviewed,
            review_points,
            review_reason,
            confirmed,
            node_id,
            customer_id,
            NOW,
            NOW,
        )


ENTRY_COPY = (
    "COPY assessment_entry (assessment_id, item_id, value, done, points, counts, "
    "not_applicable, not_applicable_reason, note, reviewed, review_points, review_reason, "
    "not_applicable_confirmed, node_id, customer_id, created_at, updated_at) FROM STDIN"
)
ASSESSMENT_COPY = (
    "COPY assessment (id, cycle_id, state, version, submitted_at, late, review_late, "
    "returned_reason, reviewed_at, finalised_at, vetoed, yellow_cards, node_id, customer_id, "
    "created_at, updated_at) FROM STDIN"
)
FLAG_COPY = (
    "COPY veto_flag (assessment_id, rule_id, reason, evidence, created_at, withdrawn_at, "
    "withdrawn_reason, fact, node_id, customer_id) FROM STDIN"
)
HAZARD_COPY = (
    "COPY hazard (customer_id, node_id, title, description, place, sector, source, severity, "
    "found_on, deadline, state, rectified_at, verified_at, closed_at, listed, listed_at, "
    "listed_by_node_id, delisted_at, version, created_at, updated_at) FROM STDIN"
)


def _assessment_row(
    rng: random.Random,
    assessment_id: int,
    cycle_id: int,
    node_id: int,
    customer_id: int,
    state: AssessmentState,
) -> tuple[Any, ...]:
    submitted = None if state is AssessmentState.DRAFT else NOW - timedelta(days=60)
    reviewed = NOW - timedelta(days=30) if state in REVIEWED_STATES else None
    final = NOW - timedelta(days=10) if state is AssessmentState.FINAL else None
    returned = "佐证材料不全，请补充" if state is AssessmentState.RETURNED else None
    late = submitted is not None and rng.random() < 0.05
    return (
        assessment_id,
        cycle_id,
        state.value,
        1,
        submitted,
        late,
        False,
        returned,
        reviewed,
        final,
        False,
        0,
        node_id,
        customer_id,
        NOW,
        NOW,
    )


def write_province_rows(
    conn: psycopg.Connection,
    province: Province,
    cycle_id: int,
    indicators: list[Indicator],
    veto_rule_id: int,
    sizes: Sizes,
    seed: int,
    first_id: int,
    summary: Summary,
) -> list[int]:
    """A province's assessments, entries, manual veto flags and hazards (COPY); the ids of
    its assessments."""
    rng = random.Random(f"{seed}/assessments/{province.code}")
    states = [state for state, _ in STATES]
    weights = [weight for _, weight in STATES]
    plan = [
        (first_id + n, node_id, rng.choices(states, weights)[0])
        for n, (node_id, _code) in enumerate(province.townships)
    ]
    customer = province.customer_id
    with conn.cursor() as cur:
        with cur.copy(ASSESSMENT_COPY) as copy:
            for assessment_id, node_id, state in plan:
                copy.write_row(
                    _assessment_row(rng, assessment_id, cycle_id, node_id, customer, state)
                )
        with cur.copy(ENTRY_COPY) as copy:
            for assessment_id, node_id, state in plan:
                for row in _entry_rows(rng, assessment_id, node_id, customer, state, indicators):
                    copy.write_row(row)
                    summary.entries += 1
        with cur.copy(FLAG_COPY) as copy:
            for assessment_id, node_id, state in plan:
                if state is AssessmentState.DRAFT or rng.random() >= VETO_RATE:
                    continue
                withdrawn = rng.random() < 0.1  # raised, then withdrawn with a reason
                copy.write_row(
                    (
                        assessment_id,
                        veto_rule_id,
                        "发生较大生产安全事故",
                        "事故调查报告",
                        NOW - timedelta(days=40),
                        NOW - timedelta(days=35) if withdrawn else None,
                        "经核实不属本单位责任" if withdrawn else None,
                        None,
                        node_id,
                        customer,
                    )
                )
                summary.veto_flags += 1
        with cur.copy(HAZARD_COPY) as copy:
            for row in _hazard_rows(rng, province, sizes.hazards):
                copy.write_row(row)
                summary.hazards += 1
    summary.assessments += len(plan)
    return [assessment_id for assessment_id, _, _ in plan]


def _hazard_rows(rng: random.Random, province: Province, count: int) -> Iterator[tuple[Any, ...]]:
    """Listed major hazards on random townships: ~40% open past their deadline, the others
    rectified in time, verified, closed and delisted."""
    sectors = [sector.value for sector in Sector]
    for n in range(count):
        node_id, code = rng.choice(province.townships)
        found = PERIOD[0] + timedelta(days=rng.randrange(0, 180))
        deadline = found + timedelta(days=rng.choice((30, 60, 90)))
        listed_at = datetime.combine(found, datetime.min.time(), UTC) + timedelta(days=3)
        if rng.random() < HAZARD_OVERDUE_RATE:
            state = rng.choice((HazardState.OPEN, HazardState.RECTIFYING))
            done = verified = closed = delisted = None
            listed = True
        else:
            state, listed = HazardState.CLOSED, False
            done = datetime.combine(deadline, datetime.min.time(), UTC) - timedelta(days=5)
            verified, closed = done + timedelta(days=2), done + timedelta(days=3)
            delisted = closed
        yield (
            province.customer_id,
            node_id,
            f"重大隐患 {code}-{n}",
            "挂牌督办重大事故隐患",
            f"{code} 作业场所",
            rng.choice(sectors),
            HazardSource.DEPARTMENT_INSPECTION.value,
            HazardSeverity.MAJOR.value,
            found,
            deadline,
            state.value,
            done,
            verified,
            closed,
            listed,
            listed_at,
            province.node_id,
            delisted,
            1,
            NOW,
            NOW,
        )


# --- scoring -------------------------------------------------------------------------------


SCORED_COPY = (
    "COPY scored (id, self_total, reviewed_total, grade, vetoed, yellow_cards, reasons) FROM STDIN"
)
ITEM_SCORE_COPY = (
    "COPY item_score (assessment_id, item_id, state, self_points, points, max_points, figure, "
    "node_id, customer_id) FROM STDIN"
)


def _keep_final_flags(
    session: Session, cur: psycopg.Cursor, assessments: list[Assessment], cycle: Cycle
) -> int:
    """What ``finalise`` does for a final assessment: the ledger rules firing as of NOW kept as
    its veto flags (found by the real ``ledger_vetoes``). The number of flags written."""
    final = [a for a in assessments if a.state is AssessmentState.FINAL]
    loaded = load_template_of(session, cycle.template_id)
    if not final or not loaded.ledger_rules:
        return 0
    nodes = {
        n.id: n
        for n in session.scalars(
            select(TenantNode).where(TenantNode.id.in_([a.node_id for a in final]))
        )
    }
    requests = {
        a.id: VetoRequest(
            nodes[a.node_id], cycle.period_start, cycle.period_end, loaded.ledger_rules
        )
        for a in final
    }
    fired = ledger_vetoes(session, list(requests.values()), now=NOW)
    written = 0
    with cur.copy(FLAG_COPY) as copy:
        for assessment in final:
            for veto in fired[requests[assessment.id]]:
                rule = loaded.rules_by_code[veto.rule_code]
                copy.write_row(
                    (
                        assessment.id,
                        rule.id,
                        veto.reason,
                        veto.evidence,
                        assessment.finalised_at,
                        None,
                        None,
                        veto.fact,
                        assessment.node_id,
                        assessment.customer_id,
                    )
                )
                written += 1
    return written


def score_batch(session: Session, assessment_ids: list[int], summary: Summary) -> None:
    """Score the assessments by the real path and write their cached scores and item scores,
    in the session's transaction (the caller commits)."""
    cur = session.connection().connection.driver_connection.cursor()
    assessments = list(
        session.scalars(
            select(Assessment).where(Assessment.id.in_(assessment_ids)).order_by(Assessment.id)
        )
    )
    # Held here: the session's identity map keeps rows weakly, and a row loaded again while
    # a COPY holds the connection would wait for it forever.
    cycles = {a.cycle_id: session.get_one(Cycle, a.cycle_id) for a in assessments}
    templates = {i: load_template_of(session, c.template_id) for i, c in cycles.items()}
    for cycle_id, cycle in cycles.items():
        of_cycle = [a for a in assessments if a.cycle_id == cycle_id]
        summary.veto_flags += _keep_final_flags(session, cur, of_cycle, cycle)
    cards = scorecards_many(session, assessments, now=NOW)
    with cur.copy(SCORED_COPY) as copy:
        for assessment in assessments:
            fresh = cached_scores(cards[assessment.id])
            copy.write_row(
                (
                    assessment.id,
                    fresh["self_total"],
                    fresh["reviewed_total"],
                    fresh["grade"],
                    fresh["vetoed"],
                    fresh["yellow_cards"],
                    Jsonb(fresh["reasons"]),
                )
            )
    cur.execute(
        "UPDATE assessment a SET self_total = s.self_total, reviewed_total = s.reviewed_total,"
        " grade = s.grade, vetoed = s.vetoed, yellow_cards = s.yellow_cards, reasons = s.reasons,"
        # Counted as the service counts its writes of item scores (written below).
        " scores_revision = a.scores_revision + 1"
        " FROM scored s WHERE a.id = s.id"
    )
    cur.execute("TRUNCATE scored")
    with cur.copy(ITEM_SCORE_COPY) as copy:
        for assessment in assessments:
            loaded = templates[assessment.cycle_id]
            for row in kept_item_scores(loaded, cards[assessment.id]):
                copy.write_row(
                    (
                        assessment.id,
                        row["item_id"],
                        row["state"].value,
                        row["self_points"],
                        row["points"],
                        row["max_points"],
                        row["figure"],
                        assessment.node_id,
                        assessment.customer_id,
                    )
                )
                summary.item_scores += 1


def score_all(
    sessions: sessionmaker[Session],
    by_province: list[list[int]],
    batch: int,
    summary: Summary,
    progress: Callable[[str], None],
) -> None:
    """Score every assessment, province by province, ``batch`` a transaction."""
    total, done = sum(len(ids) for ids in by_province), 0
    for assessment_ids in by_province:
        for start in range(0, len(assessment_ids), batch):
            with sessions() as session:
                session.execute(
                    text(
                        "CREATE TEMP TABLE IF NOT EXISTS scored (id integer PRIMARY KEY,"
                        " self_total numeric, reviewed_total numeric, grade varchar(16),"
                        " vetoed boolean, yellow_cards integer, reasons jsonb)"
                    )
                )
                score_batch(session, assessment_ids[start : start + batch], summary)
                session.commit()
            done += len(assessment_ids[start : start + batch])
            if start == 0 or done == total:
                progress(f"  scored {done:,} of {total:,}")


# --- the whole ------------------------------------------------------------------------------


def generate(
    url: str,
    sizes: Sizes,
    seed: int = 2026,
    *,
    batch: int = 200,
    progress: Callable[[str], None] = lambda _message: None,
) -> Summary:
    """Fill the empty database at ``url`` (migrated here if it is not yet) with the data set
    of ``sizes``; what was written and how long each phase took."""
    sizes.check()
    summary = Summary(provinces=sizes.provinces)
    engine = make_engine(url)
    try:
        with _phase(summary, "migrate"):
            upgrade(engine)
        sessions = make_session_factory(engine)
        with psycopg.connect(url) as conn:
            if conn.execute("SELECT count(*) FROM customer").fetchone()[0]:
                raise ValueError(f"{url} holds customers already: generate into an empty one")
            with _phase(summary, "copy tree"):
                provinces = write_tree(conn, sizes, seed)
                # Ids given explicitly: the sequences go on after them.
                conn.execute("SELECT setval('customer_id_seq', (SELECT max(id) FROM customer))")
                conn.execute(
                    "SELECT setval('tenant_node_id_seq', (SELECT max(id) FROM tenant_node))"
                )
                conn.commit()
            summary.units = sum(
                1 + sizes.cities_per_province * (1 + sizes.counties_per_city) + len(p.townships)
                for p in provinces
            )
            summary.townships = sum(len(p.townships) for p in provinces)
            progress(f"tree: {summary.units:,} units")
            by_province: list[list[int]] = []
            for province in provinces:
                with _phase(summary, "templates (ORM)"), sessions() as session:
                    cycle_id = write_template_and_cycle(session, province, sizes.indicators)
                    cycle = session.get_one(Cycle, cycle_id)
                    loaded = load_template_of(session, cycle.template_id)
                    assert validate_template(loaded.engine) == [], validate_template(loaded.engine)
                    indicators = [
                        Indicator(i.id, i.code, Method(i.method), i.max_points)
                        for i in loaded.indicators
                    ]
                    summary.template_items += len(loaded.items)
                    veto_rule_id = loaded.rules_by_code["V1"].id
                    session.commit()
                with _phase(summary, "copy assessments"):
                    ids = write_province_rows(
                        conn,
                        province,
                        cycle_id,
                        indicators,
                        veto_rule_id,
                        sizes,
                        seed,
                        summary.assessments + 1,
                        summary,
                    )
                    conn.commit()
                by_province.append(ids)
                progress(f"province {province.code}: {len(province.townships):,} assessments")
            with _phase(summary, "analyze"):
                conn.execute("ANALYZE")
                conn.commit()
        with _phase(summary, "score (real path)"):
            score_all(sessions, by_province, batch, summary, progress)
        with psycopg.connect(url, autocommit=True) as conn, _phase(summary, "analyze"):
            conn.execute("ANALYZE")
            conn.execute("SELECT setval('assessment_id_seq', (SELECT max(id) FROM assessment))")
    finally:
        engine.dispose()
    return summary


def check(url: str, count: int, seed: int = 2026) -> int:
    """Score ``count`` random assessments again through the ORM path (``scorecards_many``)
    and assert their cached columns and kept item scores equal what is stored. The number
    checked."""
    engine = make_engine(url)
    try:
        sessions = make_session_factory(engine)
        with sessions() as session:
            ids = list(session.scalars(select(Assessment.id).order_by(Assessment.id)))
            chosen = sorted(random.Random(f"{seed}/check").sample(ids, min(count, len(ids))))
            assessments = list(session.scalars(select(Assessment).where(Assessment.id.in_(chosen))))
            cards = scorecards_many(session, assessments, now=NOW)
            kept: dict[tuple[int, int], ItemScore] = {
                (row.assessment_id, row.item_id): row
                for row in session.scalars(
                    select(ItemScore).where(ItemScore.assessment_id.in_(chosen))
                )
            }
            wrong: list[tuple[Any, ...]] = []
            for assessment in assessments:
                fresh = cached_scores(cards[assessment.id])
                for column, value in fresh.items():
                    if getattr(assessment, column) != value:
                        wrong.append((assessment.id, column, getattr(assessment, column), value))
                loaded = load_template_of(
                    session, session.get_one(Cycle, assessment.cycle_id).template_id
                )
                rows = kept_item_scores(loaded, cards[assessment.id])
                if len(rows) != sum(1 for a, _ in kept if a == assessment.id):
                    wrong.append((assessment.id, "item_score rows", None, len(rows)))
                for row in rows:
                    stored_row = kept.get((assessment.id, row["item_id"]))
                    for name in ("state", "self_points", "points", "max_points", "figure"):
                        stored = getattr(stored_row, name, None)
                        if stored_row is None or stored != row[name]:
                            wrong.append((assessment.id, row["item_id"], name, stored, row[name]))
            assert not wrong, f"{len(wrong)} stored scores differ, e.g. {wrong[:5]}"
            return len(assessments)
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=SERVER, help="the server (a scratch database is made)")
    parser.add_argument("--keep", action="store_true", help="keep the database, print its URL")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scale", type=float, default=1.0, help="x the provinces (at least 1)")
    parser.add_argument("--tiny", action="store_true", help="1 x 2 x 2 x 3, 10 indicators")
    defaults = Sizes()
    parser.add_argument("--provinces", type=int, default=defaults.provinces)
    parser.add_argument("--cities-per-province", type=int, default=defaults.cities_per_province)
    parser.add_argument("--counties-per-city", type=int, default=defaults.counties_per_city)
    parser.add_argument("--townships-per-county", type=int, default=defaults.townships_per_county)
    parser.add_argument("--indicators", type=int, default=defaults.indicators)
    parser.add_argument("--hazards", type=int, default=defaults.hazards, help="per province")
    parser.add_argument("--batch", type=int, default=200, help="assessments scored a transaction")
    parser.add_argument(
        "--check",
        type=int,
        default=25,
        metavar="N",
        help="score N random assessments again and compare (0: none)",
    )
    args = parser.parse_args()
    sizes = (
        TINY
        if args.tiny
        else Sizes(
            args.provinces,
            args.cities_per_province,
            args.counties_per_city,
            args.townships_per_county,
            args.indicators,
            args.hazards,
        ).scaled(args.scale)
    )

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    with _database(args.pg, keep=args.keep) as url:
        summary = generate(url, sizes, args.seed, batch=args.batch, progress=say)
        checked = ""
        if args.check:
            started = time.perf_counter()
            count = check(url, args.check, args.seed)
            checked = (
                f"\n  --check: {count} assessments re-scored, cached scores equal "
                f"({time.perf_counter() - started:.1f} s)"
            )
        print(f"{sizes} seed {args.seed}")
        print(summary.line() + checked)
        if args.keep:
            print(f"kept: {url}")


@contextmanager
def _database(server_url: str, *, keep: bool) -> Iterator[str]:
    """A scratch database (``scratch.py``), or with ``keep`` a new one left in place."""
    if not keep:
        with scratch_database(server_url) as url:
            yield url
        return
    name = f"redline_national_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield server_url.rsplit("/", 1)[0] + f"/{name}"


if __name__ == "__main__":
    main()
