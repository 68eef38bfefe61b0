"""A template compiled once for scoring: flattened indicators, categories in roll-up order.

Compiling converts every amount to a quantized Decimal, sorts tiers, splits cascade clauses
from the others and prebuilds the explanation lines that do not depend on a unit's input, so
scoring a whole country re-does none of that per unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring.engine.errors import InvalidTemplate, TemplateProblem
from scoring.engine.model import (
    Category,
    ClauseKind,
    ClauseScope,
    Grades,
    Indicator,
    Line,
    Method,
    Template,
)
from scoring.engine.rounding import ZERO, quantize, to_decimal
from scoring.engine.words import Language, Words, words_for

# What scoring one indicator by its method gives: its points, the lines explaining them (adding
# up to the points exactly) and whether its input was missing.
Outcome = tuple[Decimal, tuple[Line, ...], bool]


# A fact shared beyond one item: its scope, the category it is one fact within ("" for the
# template) and its name.
SharedFact = tuple[ClauseScope, str, str]


@dataclass(frozen=True, slots=True)
class CompiledClause:
    """A deduction clause with its amounts as cents and its explanation strings ready."""

    key: str
    kind: ClauseKind
    rule: str  # "clause b"
    quoted: str  # the clause's own text, quoted
    points: Decimal
    threshold: Decimal | None
    fact: str | None  # a fact within the item; None when there is none or it is shared
    scope: ClauseScope  # where an extra clause's extra points come off
    shared: SharedFact | None  # a fact shared with other items' clauses
    cap: Decimal | None = None  # per occurrence: the most it deducts
    repeat_factor: Decimal | None = None  # per occurrence: a repeat deducts points x this


@dataclass(frozen=True, slots=True)
class CompiledTier:
    """A tier with its rule string ("tier >= 95") ready."""

    min_value: Decimal
    points: Decimal
    rule: str


@dataclass(frozen=True, slots=True)
class CompiledIndicator:
    """An indicator ready to score: parameters as Decimals and its input-free lines."""

    code: str
    title: str
    method: Method
    max_points: Decimal
    criteria: str  # the criteria text quoted in lines (the title when there is none)
    target: Decimal | None
    floor: Decimal | None
    tiers: tuple[CompiledTier, ...]  # by min_value, highest first
    clauses: tuple[CompiledClause, ...]  # every clause but the cascades, in template order
    cascades: tuple[CompiledClause, ...]  # evaluated after the others
    extras: tuple[CompiledClause, ...]  # the extra clauses (also in `clauses`)
    clause_keys: frozenset[str]
    not_applicable_line: Line
    missing_line: Line
    full_line: Line  # +max: deduction's starting point, boolean's "done"
    not_done_line: Line
    words: Words  # the template's language


@dataclass(frozen=True, slots=True)
class CompiledCategory:
    """A category in roll-up order (children before parents), pointing at its children."""

    code: str
    title: str
    max_points: Decimal
    bonus: bool
    top_level: bool
    indicators: tuple[int, ...]  # indexes into CompiledTemplate.indicators
    categories: tuple[int, ...]  # indexes into CompiledTemplate.categories


@dataclass(frozen=True, slots=True)
class CompiledTemplate:
    """The template as the scorer walks it."""

    template: Template
    total_points: Decimal
    bonus_cap: Decimal
    grades: Grades  # thresholds as Decimals
    indicators: tuple[CompiledIndicator, ...]
    by_code: dict[str, int]
    categories: tuple[CompiledCategory, ...]
    words: Words  # the template's language
    parents: tuple[int, ...]  # per indicator, the index of the category it sits in
    shares_facts: bool  # some clause's fact reaches beyond its item
    has_extras: bool  # some clause deducts beyond its item


def with_note(main: str, note: str, words: Words) -> str:
    """A line's text: the quoted rule text, then the unit's evidence note if it gave one."""
    return words.evidence.format(main=main, note=note) if note else main


def compile_template(template: Template) -> CompiledTemplate:
    """Compile a template for scoring.

    Raises InvalidTemplate only for what makes scoring impossible (duplicate codes, a ratio
    without a positive target, a cascade without a threshold, amounts that are not numbers);
    validate_template reports everything else a publishable template must satisfy.
    """
    problems: list[TemplateProblem] = []
    if template.language not in tuple(Language):
        known = ", ".join(Language)
        problems.append(
            TemplateProblem("language", f"unknown language {template.language!r}: use {known}")
        )
    words = words_for(template.language)

    def amount(raw: object, path: str, what: str) -> Decimal:
        try:
            return to_decimal(raw)
        except ValueError as error:
            problems.append(TemplateProblem(path, f"{what}: {error}"))
            return ZERO

    indicators: list[CompiledIndicator] = []
    by_code: dict[str, int] = {}
    categories: list[CompiledCategory] = []
    category_codes: set[str] = set()

    def compile_indicator(indicator: Indicator, path: str, category: str) -> CompiledIndicator:
        code = indicator.code
        max_points = quantize(amount(indicator.max_points, path, "max points"))
        try:
            method = Method(indicator.method)
        except ValueError:
            problems.append(TemplateProblem(path, f"unknown method {indicator.method!r}"))
            method = Method.MANUAL
        criteria = f'"{indicator.criteria}"' if indicator.criteria else indicator.title
        target = floor = None
        if method is Method.RATIO:
            if indicator.target is None:
                problems.append(TemplateProblem(path, "a ratio needs a target"))
            else:
                target = amount(indicator.target, path, "target")
                if target <= 0:
                    problems.append(TemplateProblem(path, "a ratio's target must be above 0"))
            if indicator.floor is not None:
                floor = amount(indicator.floor, path, "floor")
        tiers = tuple(
            sorted(
                (
                    CompiledTier(
                        min_value=(low := amount(tier.min_value, path, "tier min value")),
                        points=quantize(amount(tier.points, path, "tier points")),
                        rule=words.tier.format(low=low),
                    )
                    for tier in indicator.tiers
                ),
                key=lambda tier: tier.min_value,
                reverse=True,
            )
        )
        clauses: list[CompiledClause] = []
        cascades: list[CompiledClause] = []
        keys: set[str] = set()
        for clause in indicator.clauses:
            clause_path = f"{path}/clause {clause.key}"
            if clause.key in keys:
                problems.append(TemplateProblem(clause_path, "duplicate clause key"))
            keys.add(clause.key)
            threshold = None
            try:
                kind = ClauseKind(clause.kind)
            except ValueError:
                problems.append(TemplateProblem(clause_path, f"unknown kind {clause.kind!r}"))
                kind = ClauseKind.FIXED
            if kind is ClauseKind.CASCADE:
                if clause.threshold is None:
                    problems.append(TemplateProblem(clause_path, "a cascade needs a threshold"))
                else:
                    threshold = amount(clause.threshold, clause_path, "threshold")
            scope = _scope(clause.scope, clause_path, "scope", problems)
            fact_scope = _scope(clause.fact_scope, clause_path, "fact scope", problems)
            if kind is ClauseKind.EXTRA and scope is ClauseScope.ITEM:
                problems.append(
                    TemplateProblem(clause_path, "an extra clause deducts beyond its item")
                )
            shared: SharedFact | None = None
            if clause.fact is not None and fact_scope is not ClauseScope.ITEM:
                within = category if fact_scope is ClauseScope.CATEGORY else ""
                shared = (fact_scope, within, clause.fact)
            compiled = CompiledClause(
                key=clause.key,
                kind=kind,
                rule=words.clause.format(key=clause.key),
                quoted=f'"{clause.text}"',
                points=quantize(amount(clause.points, clause_path, "points")),
                threshold=threshold,
                fact=clause.fact if shared is None else None,
                scope=scope,
                shared=shared,
                cap=None
                if clause.cap is None
                else quantize(amount(clause.cap, clause_path, "cap")),
                repeat_factor=(
                    None
                    if clause.repeat_factor is None
                    else amount(clause.repeat_factor, clause_path, "repeat factor")
                ),
            )
            (cascades if kind is ClauseKind.CASCADE else clauses).append(compiled)
        return CompiledIndicator(
            code=code,
            title=indicator.title,
            method=method,
            max_points=max_points,
            criteria=criteria,
            target=target,
            floor=floor,
            tiers=tiers,
            clauses=tuple(clauses),
            cascades=tuple(cascades),
            extras=tuple(c for c in clauses if c.kind is ClauseKind.EXTRA),
            clause_keys=frozenset(keys),
            not_applicable_line=not_applicable_line(code, "", words),
            missing_line=Line(
                words.no_input, "", words.no_input_text.format(method=method), ZERO, code
            ),
            full_line=full_line(code, method, max_points, criteria, "", words),
            not_done_line=Line(words.boolean, words.not_done, criteria, ZERO, code),
            words=words,
        )

    def compile_category(category: Category, parent: str, top_level: bool) -> int:
        path = f"{parent}/{category.code}" if parent else category.code
        if category.code in category_codes:
            problems.append(TemplateProblem(path, "duplicate category code"))
        category_codes.add(category.code)
        own: list[int] = []
        for indicator in category.indicators:
            indicator_path = f"{path}/{indicator.code}"
            if indicator.code in by_code:
                problems.append(TemplateProblem(indicator_path, "duplicate indicator code"))
            by_code[indicator.code] = len(indicators)
            own.append(len(indicators))
            indicators.append(compile_indicator(indicator, indicator_path, category.code))
        subs = tuple(compile_category(sub, path, False) for sub in category.categories)
        # Appended after its subcategories: one pass over the list rolls points up.
        categories.append(
            CompiledCategory(
                code=category.code,
                title=category.title,
                max_points=quantize(amount(category.max_points, path, "max points")),
                bonus=category.bonus,
                top_level=top_level,
                indicators=tuple(own),
                categories=subs,
            )
        )
        return len(categories) - 1

    for category in template.categories:
        compile_category(category, "", True)
    total_points = quantize(amount(template.total_points, "total_points", "total points"))
    bonus_cap = quantize(amount(template.bonus_cap, "bonus_cap", "bonus cap"))
    given = template.grades
    grades = Grades(
        excellent=None
        if given.excellent is None
        else amount(given.excellent, "grades", "excellent"),
        good=None if given.good is None else amount(given.good, "grades", "good"),
        qualified=amount(given.qualified, "grades", "qualified"),
    )
    if problems:
        raise InvalidTemplate(problems)
    parents = [0] * len(indicators)
    for index, compiled_category in enumerate(categories):
        for child in compiled_category.indicators:
            parents[child] = index
    clauses = [clause for indicator in indicators for clause in indicator.clauses]
    return CompiledTemplate(
        template=template,
        total_points=total_points,
        bonus_cap=bonus_cap,
        grades=grades,
        indicators=tuple(indicators),
        by_code=by_code,
        categories=tuple(categories),
        words=words,
        parents=tuple(parents),
        shares_facts=any(clause.shared is not None for clause in clauses),
        has_extras=any(indicator.extras for indicator in indicators),
    )


def _scope(raw: object, path: str, what: str, problems: list[TemplateProblem]) -> ClauseScope:
    try:
        return ClauseScope(raw)
    except ValueError:
        problems.append(TemplateProblem(path, f"unknown {what} {raw!r}"))
        return ClauseScope.ITEM


def not_applicable_line(code: str, note: str, words: Words) -> Line:
    """The line of an indicator marked not applicable to the unit."""
    text = with_note(words.not_applicable_text, note, words)
    return Line(words.not_applicable, "", text, ZERO, code)


def full_line(
    code: str, method: Method, max_points: Decimal, criteria: str, note: str, words: Words
) -> Line:
    """The +max line: where a deduction item starts, what a done boolean item earns."""
    text = with_note(criteria, note, words)
    if method is Method.BOOLEAN:
        return Line(words.boolean, words.done, text, max_points, code)
    return Line(words.max, words.max_input.format(max=max_points), text, max_points, code)
