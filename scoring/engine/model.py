"""What the scoring engine reads and writes: templates, assessment inputs, scorecards."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

# --- templates --------------------------------------------------------------------------------


class Method(enum.StrEnum):
    """How an indicator turns its input into points."""

    MANUAL = "manual"
    DEDUCTION = "deduction"
    RATIO = "ratio"
    TIERS = "tiers"
    BOOLEAN = "boolean"
    BONUS = "bonus"


class ClauseKind(enum.StrEnum):
    """The kinds of deduction clause that real scoring criteria are written in."""

    ZERO = "zero"  # "no such system: 0 points": triggered (count > 0), it zeroes the item
    FIXED = "fixed"  # "not issued as a document: deduct 1": `points` once if count > 0
    PER_OCCURRENCE = "per_occurrence"  # "deduct 1 per missing unit": `points` x count
    CASCADE = "cascade"  # "once 4 are lost, deduct 10 more": the others reached `threshold`
    EXTRA = "extra"  # "除本小项不得分外，加扣60分": zeroes the item, `points` more off its `scope`
    JUDGEMENT = "judgement"  # "酌情扣1～3分": the count is the points a person deducts, <= `points`


class ClauseScope(enum.StrEnum):
    """How far a clause reaches beyond its own item.

    An extra clause's `scope` is where its extra points come off: the category the item sits in
    or the template's total. A clause's `fact_scope` is how far its fact is one fact: the item,
    the items of its category, or the whole template ("已有的不重复扣分").
    """

    ITEM = "item"
    CATEGORY = "category"
    TEMPLATE = "template"


@dataclass(frozen=True, slots=True)
class Clause:
    """One deduction clause, kept beside its original text so explanations can quote it.

    Clauses sharing a `fact` within its `fact_scope` are one fact ("no double deduction for the
    same fact"): of those triggered, only the largest deduction applies (the first in template
    order on a tie).

    A per-occurrence clause may deduct each occurrence after the first `repeat_factor` times its
    points ("重复发生的加倍扣分": 2 doubles a repeat offence) and at most `cap` in all
    ("每迟报1小时扣0.5分，最多扣3分").
    """

    key: str
    kind: ClauseKind
    text: str
    points: Decimal = Decimal(0)
    threshold: Decimal | None = None
    fact: str | None = None
    scope: ClauseScope = ClauseScope.ITEM  # extra clauses: CATEGORY or TEMPLATE
    fact_scope: ClauseScope = ClauseScope.ITEM
    cap: Decimal | None = None  # per occurrence: the most the clause deducts
    repeat_factor: Decimal | None = None  # per occurrence: each repeat deducts points x this


@dataclass(frozen=True, slots=True)
class Tier:
    """A value threshold: value >= min_value earns `points` (the best matching tier wins)."""

    min_value: Decimal
    points: Decimal


@dataclass(frozen=True, slots=True)
class Indicator:
    """A scored item of a template, with its method and the method's parameters."""

    code: str
    title: str
    max_points: Decimal
    method: Method
    criteria: str = ""
    target: Decimal | None = None  # ratio: points = max x min(1, value / target)
    floor: Decimal | None = None  # ratio: a value below the floor earns 0
    tiers: tuple[Tier, ...] = ()
    clauses: tuple[Clause, ...] = ()  # deductions stop at the item's own points
    required: bool = True  # the service refuses a self-assessment without it


@dataclass(frozen=True, slots=True)
class Category:
    """A group of indicators and subcategories whose points are capped at `max_points`.

    A bonus category holds only BONUS indicators; its points are outside the total and
    capped by the template's bonus cap.
    """

    code: str
    title: str
    max_points: Decimal
    indicators: tuple[Indicator, ...] = ()
    categories: tuple[Category, ...] = ()
    bonus: bool = False


@dataclass(frozen=True, slots=True)
class Grades:
    """Grade thresholds on the total: >= excellent, >= good, >= qualified, else unqualified.

    A template with fewer grades leaves excellent, or excellent and good, out (None): a
    standard of 合格 / 不合格 has two grades, one of 一级 / 二级 / 三级 / 不达标 four.
    """

    excellent: Decimal | None
    good: Decimal | None
    qualified: Decimal


class Grade(enum.StrEnum):
    """The grade a scorecard ends in."""

    EXCELLENT = "excellent"
    GOOD = "good"
    QUALIFIED = "qualified"
    UNQUALIFIED = "unqualified"


@dataclass(frozen=True, slots=True)
class VetoRule:
    """A one-ticket veto rule a template author writes."""

    code: str
    title: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Template:
    """An indicator template: categories of indicators, a total, a bonus cap, grades, vetoes."""

    total_points: Decimal
    bonus_cap: Decimal
    grades: Grades
    categories: tuple[Category, ...]
    veto_rules: tuple[VetoRule, ...] = ()
    language: str = "en"  # the explanation's language (scoring.engine.words.Language)

    def indicators(self) -> Iterator[tuple[tuple[Category, ...], Indicator]]:
        """Every indicator in template order, with the categories it sits in (outermost first)."""

        def walk(
            path: tuple[Category, ...], category: Category
        ) -> Iterator[tuple[tuple[Category, ...], Indicator]]:
            path = (*path, category)
            for indicator in category.indicators:
                yield path, indicator
            for sub in category.categories:
                yield from walk(path, sub)

        for category in self.categories:
            yield from walk((), category)

    def indicator(self, code: str) -> Indicator:
        """The indicator with this code; KeyError if there is none."""
        for _, indicator in self.indicators():
            if indicator.code == code:
                return indicator
        raise KeyError(code)


# --- assessment inputs ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorInput:
    """What a unit (or its reviewer) entered for one indicator.

    Only the field the indicator's method reads counts; the others are ignored.
    """

    value: Decimal | None = None  # ratio, tiers
    done: bool | None = None  # boolean
    points: Decimal | None = None  # manual, bonus (claimed points)
    counts: Mapping[str, int] = field(default_factory=dict)  # deduction: per clause key
    not_applicable: bool = False  # 缺项: the indicator leaves the attainable total
    note: str = ""  # evidence, quoted in explanations


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A reviewer setting an indicator's points (within [0, max]), always with a reason."""

    points: Decimal
    reason: str


@dataclass(frozen=True, slots=True)
class SpotCheck:
    """A 四不两直 finding deducting `points` from an indicator, after any adjustment."""

    indicator: str
    points: Decimal
    finding: str


@dataclass(frozen=True, slots=True)
class Veto:
    """A one-ticket veto applied to the unit: its rule code, reason and evidence."""

    rule: str
    reason: str
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class AssessmentInput:
    """Everything scored for one unit: entries, reviewer adjustments, spot checks, vetoes and
    yellow cards (warnings shaped like vetoes that take no points and change no grade), and the
    grade thresholds of its group (分类考核) where they are not the template's."""

    entries: Mapping[str, IndicatorInput] = field(default_factory=dict)
    adjustments: Mapping[str, Adjustment] = field(default_factory=dict)
    spot_checks: tuple[SpotCheck, ...] = ()
    vetoes: tuple[Veto, ...] = ()
    yellow_cards: tuple[Veto, ...] = ()
    grades: Grades | None = None  # None: the template's


# --- scorecards -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """One step of an explanation: the rule, its input, what happened, the signed points.

    `code` names the indicator or category the line belongs to ("" for card-level lines such
    as normalisation and the bonus cap), so a flat explanation still says where each step is.
    """

    rule: str
    input: str
    text: str
    points: Decimal
    code: str = ""


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """An indicator's points; its lines add up to `points` exactly."""

    code: str
    max_points: Decimal
    points: Decimal
    not_applicable: bool
    missing: bool
    adjusted: bool
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class CategoryScore:
    """A category's points: its children's points capped at its max (a cap is a line)."""

    code: str
    max_points: Decimal
    attainable: Decimal
    points: Decimal
    bonus: bool
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Scorecard:
    """A unit's scored assessment: every indicator and category, the totals, grade and vetoes."""

    indicators: Mapping[str, IndicatorScore]
    categories: Mapping[str, CategoryScore]
    earned: Decimal  # non-bonus points after category caps
    attainable: Decimal  # the template total minus what not-applicable indicators take out
    normalised: Decimal  # earned / attainable x the template total
    bonus: Decimal  # after the bonus cap
    total: Decimal  # normalised - extra + bonus
    grade: Grade
    vetoes: tuple[Veto, ...]
    vetoed: bool
    lines: tuple[Line, ...]  # card-level lines: category caps, normalisation, bonus cap, vetoes
    extra: Decimal = Decimal(0)  # extra clauses' points off the total (加扣), floored at 0
    yellow_cards: tuple[Veto, ...] = ()  # warnings (黄牌警告): explained, no points, no grade

    def explain(self) -> tuple[Line, ...]:
        """Every indicator's lines, then the card's lines; their points add up to `total`."""
        lines: list[Line] = []
        for indicator in self.indicators.values():
            lines.extend(indicator.lines)
        lines.extend(self.lines)
        return tuple(lines)


@dataclass(frozen=True, slots=True)
class Gap:
    """Reviewed minus self-assessed points, per indicator where they differ, and in total."""

    indicators: Mapping[str, Decimal]
    total: Decimal
