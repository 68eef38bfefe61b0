"""A template as one document (settings, a tree of categories and indicators, veto rules), as
editors, the Excel import and last year's copy hand it over; and the limits it keeps."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from redline.errors import Problem
from scoring import engine
from scoring.engine import ClauseKind, ClauseScope, Method
from scoring.engine.bands import BandRule
from scoring.engine.consequences import ConsequencePolicy
from scoring.templates.models import (
    AccidentClass,
    AccidentMeasure,
    ItemKind,
    RuleSeverity,
    ValueSource,
    VetoKind,
)

# Limits that keep one document within what a province really writes (AQ/T 9006 grading
# standards have some 200 items) and within the columns that store it.
MAX_ITEMS = 2000
MAX_VETO_RULES = 100
MAX_CODE = 40
MAX_TITLE = 500
MAX_TEMPLATE_TITLE = 300
MAX_FAMILY_NAME = 200
MAX_TEXT = 20_000
MAX_GRADE_NAME = 20
MIN_YEAR, MAX_YEAR = 2000, 2100
# Amount columns hold 14 digits, 4 of them after the point; points are scored in cents.
POINT_PLACES = 2
VALUE_PLACES = 4
# Colour bands are percents of the maximum, in cents; a rank arrow needs at most this change
# (no province ranks more units of one level than that).
PERCENT_PLACES = 2
MAX_TREND_RANKS = 10_000

CONTENT = "content"


# --- the document ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TierInput:
    """A tier of a ``tiers`` indicator: a value of at least ``min_value`` earns ``points``."""

    min_value: Decimal
    points: Decimal


@dataclass(frozen=True)
class ClauseInput:
    """A deduction clause, beside its original wording (see ``scoring.engine.Clause``)."""

    key: str
    kind: ClauseKind
    text: str
    points: Decimal = Decimal(0)
    threshold: Decimal | None = None
    fact: str | None = None
    scope: ClauseScope = ClauseScope.ITEM
    fact_scope: ClauseScope = ClauseScope.ITEM
    cap: Decimal | None = None  # per occurrence: the most it deducts
    repeat_factor: Decimal | None = None  # per occurrence: a repeat deducts points x this
    # Fed by the accident ledger: what the clause counts of the unit's accidents, and of which
    # class (each accident counts once, in the clause of the most severe class it reaches).
    accident_measure: AccidentMeasure | None = None
    accident_class: AccidentClass | None = None


@dataclass(frozen=True)
class ItemInput:
    """A category (with ``children``) or an indicator (with a method and its parameters)."""

    code: str
    title: str
    kind: ItemKind
    max_points: Decimal
    criteria: str = ""
    # What the standard requires (考评内容): the long text beside the short title.
    requirement: str = ""
    bonus: bool = False
    local: bool = False
    method: Method | None = None
    target: Decimal | None = None
    floor: Decimal | None = None
    tiers: tuple[TierInput, ...] = ()
    clauses: tuple[ClauseInput, ...] = ()
    required: bool = True
    source: str = ValueSource.SELF.value
    children: tuple[ItemInput, ...] = ()
    # The item's own colour bands, before the template's (None: the template's).
    bands: BandRule | None = None


@dataclass(frozen=True)
class VetoRuleInput:
    """A rule of consequence the template author writes: a one-ticket veto or a yellow card,
    raised by an assessor (manual) or fired by a fact; deaths and overdue-task rules fire at
    ``threshold``."""

    code: str
    title: str
    text: str = ""
    kind: VetoKind = VetoKind.MANUAL
    severity: RuleSeverity = RuleSeverity.VETO
    threshold: int | None = None


@dataclass(frozen=True)
class GradeNames:
    """What a template calls its grades (一级 / 二级 / 三级 / 不达标, 合格 / 不合格); "" keeps the
    usual word (优秀 / 良好 / 合格 / 不合格)."""

    excellent: str = ""
    good: str = ""
    qualified: str = ""
    unqualified: str = ""

    def of(self, grade: str) -> str:
        """The template's name of a grade ("excellent"), "" when it keeps the usual word."""
        return str(getattr(self, grade, "") or "")


@dataclass(frozen=True)
class TemplateContent:
    """A whole template as one document: settings, the item tree, the veto rules."""

    title: str
    year: int
    total_points: Decimal
    bonus_cap: Decimal
    # None: the template has no such grade (a two-grade standard leaves both out).
    grade_excellent: Decimal | None
    grade_good: Decimal | None
    grade_qualified: Decimal
    items: tuple[ItemInput, ...]
    veto_rules: tuple[VetoRuleInput, ...] = ()
    # A region's composite score: weight x its own total + (1 - weight) x its units' mean.
    composite_weight: Decimal | None = None
    # Colour bands of the leaders' matrix and league table (None: from the grade thresholds),
    # and the least change of score (points) and of rank that earns a trend arrow (None: any).
    bands: BandRule | None = None
    trend_min_points: Decimal | None = None
    trend_min_ranks: int | None = None
    # The language its scorecards are explained in ("en", "zh": scoring.engine.words.Language).
    language: str = "en"
    grade_names: GradeNames = GradeNames()
    # What a final result does to a unit: commendation, criticism, interview, ineligibility.
    consequences: ConsequencePolicy = field(default_factory=ConsequencePolicy)


@dataclass(frozen=True)
class Imported:
    """A document read from a file, and how to name a problem of it by the cell it came from
    (``content.items[1].maxPoints`` -> ``"Items!E3"``); a problem without one stays as it is."""

    content: TemplateContent
    at_cell: Callable[[Problem], Problem]


def walk_items(
    items: Sequence[ItemInput], path: str = f"{CONTENT}.items", parent: ItemInput | None = None
) -> Iterator[tuple[str, ItemInput, ItemInput | None]]:
    """Every item in tree order with its input path ("content.items[1].children[0]") and parent."""
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]"
        yield item_path, item, parent
        yield from walk_items(item.children, f"{item_path}.children", item)


def plain_amount(number: Decimal) -> Decimal:
    """A stored amount without the column's trailing zeros: 20.0000 -> 20, 2.5000 -> 2.5."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def shown(value: object) -> object:
    return plain_amount(value) if isinstance(value, Decimal) else value


def _engine_indicator(item: ItemInput) -> engine.Indicator:
    return engine.Indicator(
        code=item.code,
        title=item.title,
        max_points=item.max_points,
        method=Method(item.method) if item.method is not None else Method.MANUAL,
        criteria=item.criteria,
        target=item.target,
        floor=item.floor,
        tiers=tuple(engine.Tier(t.min_value, t.points) for t in item.tiers),
        clauses=tuple(
            engine.Clause(
                c.key,
                ClauseKind(c.kind),
                c.text,
                c.points,
                c.threshold,
                c.fact,
                ClauseScope(c.scope),
                ClauseScope(c.fact_scope),
                cap=c.cap,
                repeat_factor=c.repeat_factor,
            )
            for c in item.clauses
        ),
        required=item.required,
    )


def _engine_category(item: ItemInput) -> engine.Category:
    return engine.Category(
        code=item.code,
        title=item.title,
        max_points=item.max_points,
        indicators=tuple(
            _engine_indicator(child) for child in item.children if child.kind != ItemKind.CATEGORY
        ),
        categories=tuple(
            _engine_category(child) for child in item.children if child.kind == ItemKind.CATEGORY
        ),
        bonus=item.bonus,
    )


def engine_from_content(content: TemplateContent) -> engine.Template:
    return engine.Template(
        total_points=content.total_points,
        bonus_cap=content.bonus_cap,
        grades=engine.Grades(content.grade_excellent, content.grade_good, content.grade_qualified),
        categories=tuple(_engine_category(item) for item in content.items),
        veto_rules=tuple(engine.VetoRule(r.code, r.title, r.text) for r in content.veto_rules),
        language=content.language,
    )
