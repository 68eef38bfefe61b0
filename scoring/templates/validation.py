"""What a template document must be: its structure on every save, a city's extension within
the points its province left, and numbers that add up before publication."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from sqlalchemy.orm import Session

from redline.errors import ErrorCode, Problem
from redline.inputs import AMOUNT_LIMIT
from scoring import engine
from scoring.engine import ClauseKind, ClauseScope, Method
from scoring.engine.bands import HUNDRED, BandRule, Thresholds
from scoring.engine.words import Language
from scoring.templates.document import (
    CONTENT,
    MAX_CODE,
    MAX_GRADE_NAME,
    MAX_ITEMS,
    MAX_TEMPLATE_TITLE,
    MAX_TEXT,
    MAX_TITLE,
    MAX_TREND_RANKS,
    MAX_VETO_RULES,
    MAX_YEAR,
    MIN_YEAR,
    PERCENT_PLACES,
    POINT_PLACES,
    VALUE_PLACES,
    ClauseInput,
    ItemInput,
    TemplateContent,
    VetoRuleInput,
    engine_from_content,
    plain_amount,
    shown,
    walk_items,
)
from scoring.templates.models import (
    LEDGER_FED_METHODS,
    THRESHOLD_KINDS,
    AccidentClass,
    AccidentMeasure,
    ItemKind,
    RuleSeverity,
    Template,
    TemplateState,
    ValueSource,
    VetoKind,
)
from scoring.templates.storage import template_content
from tenants.models import TenantLevel

# --- structure checks (every save) ----------------------------------------------------------


def _enum(enum_class: type, value: object) -> Any:
    try:
        return enum_class(value)
    except ValueError:
        return None


class Checker:
    """Collects every problem of one document."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, field: str | None, message: str, code: ErrorCode = ErrorCode.INVALID) -> None:
        self.problems.append(Problem(field, message, code))

    def text(self, field: str, value: object, what: str, limit: int, *, required: bool) -> str:
        if not isinstance(value, str):
            self.add(field, f"{what} must be text", ErrorCode.INVALID)
            return ""
        if required and not value.strip():
            self.add(field, f"{what} must not be empty", ErrorCode.REQUIRED)
        elif len(value.strip()) > limit:
            self.add(
                field,
                f"{what} is {len(value.strip())} characters long; at most {limit}",
                ErrorCode.TOO_LARGE,
            )
        return value.strip()

    def amount(
        self, field: str, value: object, what: str, places: int, *, minimum: str = ""
    ) -> Decimal | None:
        """A number with at most ``places`` decimals; ``minimum`` ">0" or ">=0" if it has one."""
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            self.add(field, f"{what} must be a number, got {value!r}")
            return None
        number = Decimal(value)
        if not number.is_finite():
            self.add(field, f"{what} must be a finite number, got {value}")
            return None
        if abs(number) >= AMOUNT_LIMIT:
            self.add(field, f"{what} {number} is too large", ErrorCode.TOO_LARGE)
            return None
        try:
            exact = number == number.quantize(Decimal(10) ** -places)
        except InvalidOperation:
            exact = False
        if not exact:
            self.add(field, f"{what} {number} has more than {places} decimal places")
        if minimum == ">0" and number <= 0:
            self.add(field, f"{what} must be above 0, got {number}")
        elif minimum == ">=0" and number < 0:
            self.add(field, f"{what} must not be negative, got {number}")
        return number


def content_problems(content: TemplateContent) -> list[Problem]:
    """What keeps this document from being saved as a draft (its structure); [] when nothing.

    Fields are input paths: ``content.items[1].children[0].maxPoints``.
    """
    check = Checker()
    check_settings(check, content)
    items = list(walk_items(content.items))
    if len(items) > MAX_ITEMS:
        check.add(
            f"{CONTENT}.items",
            f"{len(items)} items: a template holds at most {MAX_ITEMS}",
            ErrorCode.TOO_LARGE,
        )
        return check.problems
    first_use: dict[str, str] = {}
    for path, item, parent in items:
        code = _check_item(check, path, item, parent)
        if code in first_use:
            check.add(
                f"{path}.code",
                f"code {code!r} is used twice (first at {first_use[code]})",
                ErrorCode.DUPLICATE,
            )
        elif code:
            first_use[code] = path
    _check_shared_facts(check, items)
    _check_veto_rules(check, content.veto_rules)
    return check.problems


def check_settings(check: Checker, content: TemplateContent) -> None:
    check.text(f"{CONTENT}.title", content.title, "the title", MAX_TEMPLATE_TITLE, required=True)
    if isinstance(content.year, bool) or not isinstance(content.year, int):
        check.add(f"{CONTENT}.year", f"the year must be a whole number, got {content.year!r}")
    elif not MIN_YEAR <= content.year <= MAX_YEAR:
        check.add(f"{CONTENT}.year", f"the year must be in {MIN_YEAR}-{MAX_YEAR}")
    total = check.amount(
        f"{CONTENT}.totalPoints", content.total_points, "total points", POINT_PLACES, minimum=">0"
    )
    check.amount(
        f"{CONTENT}.bonusCap", content.bonus_cap, "the bonus cap", POINT_PLACES, minimum=">=0"
    )
    _check_grades(check, content, total)
    if content.composite_weight is not None:
        weight = check.amount(
            f"{CONTENT}.compositeWeight", content.composite_weight, "the composite weight", 4
        )
        if weight is not None and not 0 < weight < 1:
            check.add(
                f"{CONTENT}.compositeWeight",
                f"the composite weight is the share of a region's own total, strictly between"
                f" 0 and 1 (or none), got {weight}",
            )
    if _enum(Language, content.language) is None:
        known = ", ".join(Language)
        check.add(f"{CONTENT}.language", f"unknown language {content.language!r}: use {known}")
    _check_trends(check, content)
    check_bands(check, f"{CONTENT}.bands", content.bands)
    for field, reason in content.consequences.problems():
        check.add(f"{CONTENT}.consequences.{field}", reason)


def _check_grades(check: Checker, content: TemplateContent, total: Decimal | None) -> None:
    """Thresholds falling from the best grade the template has down to qualified (excellent,
    or excellent and good, may be left out: fewer grades), and the names it gives them."""
    thresholds: list[tuple[str, str, Decimal | None]] = []
    for grade, path, raw in (
        ("excellent", "gradeExcellent", content.grade_excellent),
        ("good", "gradeGood", content.grade_good),
        ("qualified", "gradeQualified", content.grade_qualified),
    ):
        if raw is not None or grade == "qualified":
            number = check.amount(f"{CONTENT}.{path}", raw, grade, POINT_PLACES)
            thresholds.append((grade, path, number))
    if content.grade_excellent is not None and content.grade_good is None:
        check.add(
            f"{CONTENT}.gradeGood",
            "a template with an excellent grade has a good one too: give its threshold, or"
            " leave excellent out as well",
            ErrorCode.REQUIRED,
        )
    best = thresholds[0]
    if best[2] is not None and total is not None and best[2] > total:
        check.add(f"{CONTENT}.{best[1]}", f"{best[0]} {best[2]} is above the total {total}")
    for (upper, _, high), (lower, path, low) in pairwise(thresholds):
        if high is not None and low is not None and low >= high:
            check.add(f"{CONTENT}.{path}", f"{lower} {low} must be below {upper} {high}")
    qualified = thresholds[-1][2]
    if qualified is not None and qualified < 0:
        check.add(f"{CONTENT}.gradeQualified", f"qualified must not be negative, got {qualified}")
    _check_grade_names(check, content)


def _check_grade_names(check: Checker, content: TemplateContent) -> None:
    names = content.grade_names
    present = {
        "excellent": content.grade_excellent is not None,
        "good": content.grade_good is not None,
        "qualified": True,
        "unqualified": True,
    }
    seen: dict[str, str] = {}
    for grade, has in present.items():
        path = f"{CONTENT}.gradeNames.{grade}"
        name = check.text(
            path, names.of(grade), f"the {grade} grade's name", MAX_GRADE_NAME, required=False
        )
        if not name:
            continue
        if not has:
            check.add(
                path, f"the template has no {grade} grade (no threshold): leave its name blank"
            )
        elif name in seen:
            check.add(path, f"{name!r} already names the {seen[name]} grade", ErrorCode.DUPLICATE)
        seen.setdefault(name, grade)


def _check_trends(check: Checker, content: TemplateContent) -> None:
    if content.trend_min_points is not None:
        check.amount(
            f"{CONTENT}.trendMinPoints",
            content.trend_min_points,
            "the least score change for a trend arrow",
            POINT_PLACES,
            minimum=">=0",
        )
    ranks = content.trend_min_ranks
    field = f"{CONTENT}.trendMinRanks"
    if ranks is None:
        return
    if isinstance(ranks, bool) or not isinstance(ranks, int):
        check.add(field, f"the least rank change must be a whole number, got {ranks!r}")
    elif ranks < 1:
        check.add(
            field,
            f"the least rank change for a rank arrow is at least 1 (or none: any change),"
            f" got {ranks}",
        )
    elif ranks > MAX_TREND_RANKS:
        check.add(
            field,
            f"the least rank change {ranks} is above {MAX_TREND_RANKS}: no ranking is that long",
            ErrorCode.TOO_LARGE,
        )


# --- colour bands ---------------------------------------------------------------------------


def check_bands(check: Checker, path: str, rule: object) -> None:
    """A template's or an item's colour bands (``path`` ends in ``.bands``): percents of the
    maximum from 0 to 100 in cents, yellow at most green, each override for a real level."""
    if rule is None:
        return
    if not isinstance(rule, BandRule):
        check.add(path, f"colour bands must be thresholds, got {rule!r}")
        return
    if rule.default is not None:
        _check_thresholds(check, path, rule.default)
    # A mapping holds each level once; lists of overrides are checked by level_problems.
    for index, (level, thresholds) in enumerate(rule.levels.items()):
        level_path = f"{path}.levels[{index}]"
        if _enum(TenantLevel, level) is None:
            words = ", ".join(member.value for member in TenantLevel)
            check.add(f"{level_path}.level", f"unknown level {level!r}: use one of {words}")
        _check_thresholds(check, level_path, thresholds)


def _check_thresholds(check: Checker, path: str, thresholds: object) -> None:
    if not isinstance(thresholds, Thresholds):
        check.add(path, f"give a green and a yellow threshold, got {thresholds!r}")
        return
    green = _percent(check, f"{path}.green", thresholds.green, "green")
    yellow = _percent(check, f"{path}.yellow", thresholds.yellow, "yellow")
    if green is not None and yellow is not None and yellow > green:
        check.add(
            f"{path}.yellow",
            f"the yellow threshold {plain_amount(yellow)} is above the green one"
            f" {plain_amount(green)}: yellow must not be above green",
        )


def _percent(check: Checker, field: str, value: object, band: str) -> Decimal | None:
    what = f"the {band} threshold"
    number = check.amount(field, value, what, PERCENT_PLACES)
    if number is not None and not 0 <= number <= HUNDRED:
        check.add(
            field,
            f"{what} is a percent of the maximum, from 0 to 100, got {plain_amount(number)}",
        )
        return None
    return number


def level_problems(path: str, levels: Sequence[object]) -> list[Problem]:
    """Levels named twice in a list of level overrides (``path`` is the list's), before the
    list becomes a ``BandRule`` (a mapping, where the second would silently win)."""
    problems = []
    first: dict[object, int] = {}
    for index, level in enumerate(levels):
        if level in first:
            problems.append(
                Problem(
                    f"{path}[{index}].level",
                    f"the level {shown_level(level)} has its bands twice (first at"
                    f" {path}[{first[level]}])",
                    ErrorCode.DUPLICATE,
                )
            )
        else:
            first[level] = index
    return problems


def shown_level(level: object) -> str:
    """A level as people write it ("county"), whether a TenantLevel or the text of one."""
    return level.value if isinstance(level, TenantLevel) else str(level)


def _check_item(check: Checker, path: str, item: ItemInput, parent: ItemInput | None) -> str:
    """Check one item (not its children); return its code."""
    code = check.text(f"{path}.code", item.code, "the code", MAX_CODE, required=True)
    check.text(f"{path}.title", item.title, "the title", MAX_TITLE, required=True)
    check.text(f"{path}.criteria", item.criteria, "the criteria", MAX_TEXT, required=False)
    check.text(f"{path}.requirement", item.requirement, "the requirement", MAX_TEXT, required=False)
    maximum = check.amount(
        f"{path}.maxPoints", item.max_points, "max points", POINT_PLACES, minimum=">0"
    )
    source = _enum(ValueSource, item.source)
    if source is None:
        known = ", ".join(source.value for source in ValueSource)
        check.add(f"{path}.source", f"unknown value source {item.source!r}: use {known}")
    kind = _enum(ItemKind, item.kind)
    method = _enum(Method, item.method) if item.method is not None else None
    if source not in (None, ValueSource.SELF):
        if kind is not ItemKind.INDICATOR:
            check.add(f"{path}.source", "only an indicator takes a ledger figure")
        elif method is not None and method not in LEDGER_FED_METHODS:
            fed = ", ".join(m.value for m in LEDGER_FED_METHODS)
            check.add(
                f"{path}.source",
                f"a ledger figure feeds a value or counts: use the method {fed}, "
                f"not {method.value}",
            )
    check_bands(check, f"{path}.bands", item.bands)
    if kind is None:
        check.add(f"{path}.kind", f"unknown kind {item.kind!r}: use category or indicator")
    elif kind is ItemKind.CATEGORY:
        _check_category(check, path, item, parent)
    else:
        _check_indicator(check, path, item, parent, maximum)
    return code


def _check_category(check: Checker, path: str, item: ItemInput, parent: ItemInput | None) -> None:
    if item.method is not None:
        check.add(f"{path}.method", "a category is scored through its items: it has no method")
    for name, value in (("target", item.target), ("floor", item.floor)):
        if value is not None:
            check.add(f"{path}.{name}", f"a category has no {name}")
    if item.tiers:
        check.add(f"{path}.tiers", "a category has no tiers")
    if item.clauses:
        check.add(f"{path}.clauses", "a category has no deduction clauses")
    if parent is not None and bool(parent.bonus) != bool(item.bonus):
        check.add(
            f"{path}.bonus", "a subcategory is a bonus category exactly when its parent is one"
        )


def _check_indicator(
    check: Checker,
    path: str,
    item: ItemInput,
    parent: ItemInput | None,
    maximum: Decimal | None,
) -> None:
    if parent is None:
        check.add(f"{path}.kind", "an indicator must sit in a category")
    if item.children:
        check.add(f"{path}.children", "an indicator has no items below it: use a category")
    if item.bonus:
        check.add(
            f"{path}.bonus", "only categories are marked bonus: a bonus indicator uses method bonus"
        )
    if item.local:
        check.add(f"{path}.local", "only categories are left open (local) for cities")
    if item.method is None:
        check.add(f"{path}.method", "an indicator needs a scoring method", ErrorCode.REQUIRED)
        return
    method = _enum(Method, item.method)
    if method is None:
        known = ", ".join(m.value for m in Method)
        check.add(f"{path}.method", f"unknown method {item.method!r}: use {known}")
        return
    in_bonus = parent is not None and bool(parent.bonus)
    if method is Method.BONUS and parent is not None and not in_bonus:
        check.add(f"{path}.method", "bonus indicators belong in bonus categories")
    elif in_bonus and method is not Method.BONUS:
        check.add(f"{path}.method", f"a bonus category holds only bonus indicators, not {method}")
    if method is Method.RATIO:
        _check_ratio(check, path, item)
    else:
        for name, value in (("target", item.target), ("floor", item.floor)):
            if value is not None:
                check.add(f"{path}.{name}", f"only ratio indicators have a {name}")
    if method is Method.TIERS:
        _check_tiers(check, path, item, maximum)
    elif item.tiers:
        check.add(f"{path}.tiers", "only tiers indicators have tiers")
    if method is Method.DEDUCTION:
        _check_clauses(check, path, item)
    elif item.clauses:
        check.add(f"{path}.clauses", "only deduction indicators have deduction clauses")


def _check_ratio(check: Checker, path: str, item: ItemInput) -> None:
    target = None
    if item.target is None:
        check.add(f"{path}.target", "a ratio needs a target", ErrorCode.REQUIRED)
    else:
        target = check.amount(
            f"{path}.target", item.target, "the target", VALUE_PLACES, minimum=">0"
        )
    if item.floor is not None:
        floor = check.amount(f"{path}.floor", item.floor, "the floor", VALUE_PLACES)
        if floor is not None and target is not None and floor >= target:
            check.add(f"{path}.floor", f"the floor {floor} must be below the target {target}")


def _check_tiers(check: Checker, path: str, item: ItemInput, maximum: Decimal | None) -> None:
    if not item.tiers:
        check.add(f"{path}.tiers", "tiers need at least one tier", ErrorCode.REQUIRED)
    previous: tuple[Decimal | None, Decimal | None] = (None, None)
    for index, tier in enumerate(item.tiers):
        tier_path = f"{path}.tiers[{index}]"
        low = check.amount(f"{tier_path}.minValue", tier.min_value, "min value", VALUE_PLACES)
        points = check.amount(
            f"{tier_path}.points", tier.points, "tier points", POINT_PLACES, minimum=">=0"
        )
        if points is not None and maximum is not None and points > maximum:
            check.add(f"{tier_path}.points", f"tier points {points} exceed max points {maximum}")
        if low is not None and previous[0] is not None and low >= previous[0]:
            check.add(
                f"{tier_path}.minValue",
                f"tiers go from the highest value down: {low} must be below {previous[0]}",
            )
        if points is not None and previous[1] is not None and points > previous[1]:
            check.add(
                f"{tier_path}.points",
                f"a lower tier must not earn more: {points} is above {previous[1]}",
            )
        previous = (low, points)


def _check_clauses(check: Checker, path: str, item: ItemInput) -> None:
    if not item.clauses:
        check.add(f"{path}.clauses", "a deduction needs at least one clause", ErrorCode.REQUIRED)
    keys: set[str] = set()
    facts: dict[str, list[str]] = {}
    for index, clause in enumerate(item.clauses):
        clause_path = f"{path}.clauses[{index}]"
        key = check.text(
            f"{clause_path}.key", clause.key, "the clause key", MAX_CODE, required=True
        )
        if key and key in keys:
            check.add(
                f"{clause_path}.key", f"clause key {key!r} is used twice", ErrorCode.DUPLICATE
            )
        keys.add(key)
        check.text(f"{clause_path}.text", clause.text, "the clause text", MAX_TEXT, required=True)
        kind = _enum(ClauseKind, clause.kind)
        if kind is None:
            known = ", ".join(k.value for k in ClauseKind)
            check.add(f"{clause_path}.kind", f"unknown clause kind {clause.kind!r}: use {known}")
        elif kind is ClauseKind.ZERO:
            points = check.amount(
                f"{clause_path}.points", clause.points, "clause points", POINT_PLACES
            )
            if points is not None and points != 0:
                check.add(
                    f"{clause_path}.points", "a zero clause zeroes the item: its points stay 0"
                )
        else:
            check.amount(
                f"{clause_path}.points", clause.points, "clause points", POINT_PLACES, minimum=">0"
            )
        if kind is ClauseKind.CASCADE:
            if clause.threshold is None:
                check.add(
                    f"{clause_path}.threshold", "a cascade needs a threshold", ErrorCode.REQUIRED
                )
            else:
                check.amount(
                    f"{clause_path}.threshold",
                    clause.threshold,
                    "the threshold",
                    VALUE_PLACES,
                    minimum=">0",
                )
        elif clause.threshold is not None and kind is not None:
            check.add(f"{clause_path}.threshold", "only cascade clauses have a threshold")
        _check_clause_limits(check, clause_path, clause, kind)
        fact_scope = _check_clause_scopes(check, clause_path, clause, kind)
        if clause.fact is not None:
            fact = check.text(
                f"{clause_path}.fact", clause.fact, "the fact", MAX_CODE, required=True
            )
            if fact and fact_scope is ClauseScope.ITEM:
                facts.setdefault(fact, []).append(clause_path)
    _check_accident_clauses(check, path, item)
    for fact, paths in facts.items():
        if len(paths) < 2:
            check.add(
                f"{paths[0]}.fact",
                f"fact {fact!r} is named by one clause only: a fact groups the clauses that"
                " must not deduct twice for the same thing",
            )


def _check_clause_limits(
    check: Checker, path: str, clause: ClauseInput, kind: ClauseKind | None
) -> None:
    """A per-occurrence clause's cap (最多扣N分) and repeat factor (重复发生的加倍扣分)."""
    for name, value in (("cap", clause.cap), ("repeatFactor", clause.repeat_factor)):
        if value is not None and kind not in (ClauseKind.PER_OCCURRENCE, None):
            check.add(f"{path}.{name}", "only a per-occurrence clause (每…扣N分) has one")
            return
    if clause.cap is not None:
        check.amount(f"{path}.cap", clause.cap, "the cap", POINT_PLACES, minimum=">0")
    if clause.repeat_factor is not None:
        factor = check.amount(
            f"{path}.repeatFactor", clause.repeat_factor, "the repeat factor", VALUE_PLACES
        )
        if factor is not None and factor <= 1:
            check.add(
                f"{path}.repeatFactor",
                f"a repeat deducts more than the first time: use a factor above 1 (2 doubles"
                f" it), not {factor}",
            )


def _check_accident_clauses(check: Checker, path: str, item: ItemInput) -> None:
    """Clauses fed by the accident ledger: what each counts, each accident once."""
    fed = _enum(ValueSource, item.source) is ValueSource.ACCIDENTS
    measures: dict[AccidentMeasure, list[tuple[str, AccidentClass | None]]] = {}
    for index, clause in enumerate(item.clauses):
        clause_path = f"{path}.clauses[{index}]"
        if clause.accident_measure is None and clause.accident_class is None:
            if fed and _enum(ClauseKind, clause.kind) is not ClauseKind.CASCADE:
                measures.setdefault(AccidentMeasure.ACCIDENTS, []).append((clause_path, None))
            continue
        if not fed:
            check.add(
                f"{clause_path}.accidentMeasure",
                "only an indicator fed by the accident ledger (source accidents) counts"
                " accidents by measure or class",
            )
            continue
        measure = _enum(AccidentMeasure, clause.accident_measure or AccidentMeasure.ACCIDENTS)
        accident_class = _enum(AccidentClass, clause.accident_class)
        if measure is None:
            known = ", ".join(m.value for m in AccidentMeasure)
            check.add(
                f"{clause_path}.accidentMeasure",
                f"unknown measure {clause.accident_measure!r}: use {known}",
            )
        elif clause.accident_class is not None and accident_class is None:
            known = ", ".join(c.value for c in AccidentClass)
            check.add(
                f"{clause_path}.accidentClass",
                f"unknown accident class {clause.accident_class!r}: use {known}",
            )
        elif _enum(ClauseKind, clause.kind) is ClauseKind.CASCADE:
            check.add(
                f"{clause_path}.accidentMeasure",
                "a cascade counts the points the other clauses took, not accidents",
            )
        else:
            measures.setdefault(measure, []).append((clause_path, accident_class))
    for measure, clauses in measures.items():
        classes = [accident_class for _, accident_class in clauses]
        if any(classes) and not all(classes):
            unclassed = next(p for p, accident_class in clauses if accident_class is None)
            check.add(
                f"{unclassed}.accidentClass",
                f"another clause counts {_counted(measure, None)} of one class: give this one"
                " its class too, so that each accident counts once, at its most severe class",
            )
            continue
        seen: set[AccidentClass | None] = set()
        for clause_path, accident_class in clauses:
            if accident_class is not None and accident_class in seen:
                check.add(
                    f"{clause_path}.accidentClass",
                    f"another clause already counts {_counted(measure, accident_class)}: each"
                    " accident counts once",
                    ErrorCode.DUPLICATE,
                )
            seen.add(accident_class)


def _counted(measure: AccidentMeasure, accident_class: AccidentClass | None) -> str:
    """What a clause counts, in words: "larger accidents", "deaths in general accidents"."""
    accidents = f"{accident_class.value} accidents" if accident_class else "accidents"
    if measure is AccidentMeasure.DEATHS:
        return f"deaths in {accidents}"
    if measure is AccidentMeasure.LATE_REPORT_HOURS:
        return f"hours late in reporting {accidents}"
    return accidents


def _check_clause_scopes(
    check: Checker, path: str, clause: ClauseInput, kind: ClauseKind | None
) -> ClauseScope | None:
    """Check how far a clause reaches (its extra points, its fact); return its fact's scope."""
    scope = _enum(ClauseScope, clause.scope)
    fact_scope = _enum(ClauseScope, clause.fact_scope)
    known = ", ".join(s.value for s in ClauseScope)
    if scope is None:
        check.add(f"{path}.scope", f"unknown scope {clause.scope!r}: use {known}")
    elif kind is ClauseKind.EXTRA and scope is ClauseScope.ITEM:
        check.add(
            f"{path}.scope",
            "an extra clause (加扣) takes its points off its category or the template's total:"
            " use category or template",
        )
    elif kind not in (ClauseKind.EXTRA, None) and scope is not ClauseScope.ITEM:
        check.add(f"{path}.scope", "only extra clauses (加扣) deduct beyond their item")
    if kind is ClauseKind.EXTRA and clause.fact is not None:
        check.add(f"{path}.fact", "an extra clause names no fact: it always deducts")
    if fact_scope is None:
        check.add(f"{path}.factScope", f"unknown fact scope {clause.fact_scope!r}: use {known}")
    elif fact_scope is not ClauseScope.ITEM:
        if clause.fact is None:
            check.add(f"{path}.factScope", "a fact scope needs the fact it is for")
        elif kind is ClauseKind.CASCADE:
            check.add(f"{path}.factScope", "a cascade's fact stays within its item")
    return fact_scope


def _check_shared_facts(
    check: Checker, items: Sequence[tuple[str, ItemInput, ItemInput | None]]
) -> None:
    """A fact shared beyond one item joins clauses of at least two items of its scope."""
    groups: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for path, item, parent in items:
        for index, clause in enumerate(item.clauses):
            scope = _enum(ClauseScope, clause.fact_scope)
            if clause.fact is None or scope in (None, ClauseScope.ITEM) or not clause.fact.strip():
                continue
            within = item_code(parent) if scope is ClauseScope.CATEGORY and parent else ""
            groups.setdefault((scope.value, within, clause.fact.strip()), []).append(
                (f"{path}.clauses[{index}]", item_code(item))
            )
    for (scope, within, fact), clauses in groups.items():
        if len({code for _, code in clauses}) < 2:
            where = f"category {within}" if within else "the template"
            check.add(
                f"{clauses[0][0]}.fact",
                f"fact {fact!r} is shared across {where} ({scope} scope) but named by one item"
                " only: name it on the clauses of the other items it joins, or give it the"
                " item scope",
            )


def _check_veto_rules(check: Checker, rules: Sequence[VetoRuleInput]) -> None:
    if len(rules) > MAX_VETO_RULES:
        check.add(
            f"{CONTENT}.vetoRules",
            f"{len(rules)} veto rules: a template holds at most {MAX_VETO_RULES}",
            ErrorCode.TOO_LARGE,
        )
        return
    codes: set[str] = set()
    for index, rule in enumerate(rules):
        path = f"{CONTENT}.vetoRules[{index}]"
        code = check.text(f"{path}.code", rule.code, "the code", MAX_CODE, required=True)
        if code and code in codes:
            check.add(f"{path}.code", f"veto rule code {code!r} is used twice", ErrorCode.DUPLICATE)
        codes.add(code)
        check.text(f"{path}.title", rule.title, "the title", MAX_TITLE, required=True)
        check.text(f"{path}.text", rule.text, "the text", MAX_TEXT, required=False)
        kind = _enum(VetoKind, rule.kind)
        if kind is None:
            known = ", ".join(k.value for k in VetoKind)
            check.add(f"{path}.kind", f"unknown veto kind {rule.kind!r}: use {known}")
        severity = _enum(RuleSeverity, rule.severity)
        if severity is None:
            known = ", ".join(s.value for s in RuleSeverity)
            check.add(f"{path}.severity", f"unknown severity {rule.severity!r}: use {known}")
        _check_threshold(check, path, kind, rule.threshold)
        if kind is VetoKind.REPEATED_YELLOW_CARD:
            if severity is RuleSeverity.YELLOW_CARD:
                check.add(
                    f"{path}.severity",
                    "a repeated yellow card is what turns a warning into a veto: make the rule"
                    " a veto",
                )
            if not any(r.severity == RuleSeverity.YELLOW_CARD for r in rules):
                check.add(
                    f"{path}.kind",
                    "a repeated yellow card needs a yellow card rule in the template to repeat",
                )


MAX_THRESHOLD = 10_000


def _check_threshold(check: Checker, path: str, kind: VetoKind | None, threshold: object) -> None:
    """Deaths and overdue-task rules fire at a whole number of at least 1; the others take
    none."""
    if kind in THRESHOLD_KINDS:
        what = "deaths" if kind is VetoKind.ACCIDENT_DEATHS else "overdue task elements"
        if threshold is None:
            check.add(
                f"{path}.threshold",
                f"kind {kind} fires at a number of {what}: give the threshold",
                ErrorCode.REQUIRED,
            )
        elif (
            isinstance(threshold, bool)
            or not isinstance(threshold, int)
            or not 1 <= threshold <= MAX_THRESHOLD
        ):
            check.add(
                f"{path}.threshold",
                f"the threshold must be a whole number of {what} from 1 to {MAX_THRESHOLD}",
            )
    elif threshold is not None and kind is not None:
        check.add(f"{path}.threshold", f"kind {kind} takes no threshold: leave it blank")


# --- city extensions ------------------------------------------------------------------------

_SETTINGS_KEPT = (
    ("year", "year", "the year"),
    ("total_points", "totalPoints", "total points"),
    ("bonus_cap", "bonusCap", "the bonus cap"),
    ("grade_excellent", "gradeExcellent", "the excellent threshold"),
    ("grade_good", "gradeGood", "the good threshold"),
    ("grade_qualified", "gradeQualified", "the qualified threshold"),
    ("grade_names", "gradeNames", "the grades' names"),
)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def item_code(item: ItemInput) -> str:
    return item.code.strip() if isinstance(item.code, str) else ""


def extension_problems(content: TemplateContent, base: TemplateContent) -> list[Problem]:
    """What a city's local template may not do to the province's template it extends.

    It keeps the province's year, points and grades, every veto rule and every item of the
    province unchanged (their colour bands too) and in order, and adds indicators only directly
    under local categories, within the points each leaves open. Its title, composite weight,
    template colour bands and trend thresholds are its own.
    """
    check = Checker()
    for attribute, field, label in _SETTINGS_KEPT:
        kept = getattr(base, attribute)
        if getattr(content, attribute) != kept:
            check.add(
                f"{CONTENT}.{field}",
                f"a local template keeps the province's {label} ({shown(kept)})",
            )
    if content.veto_rules != base.veto_rules:
        check.add(f"{CONTENT}.vetoRules", "a local template keeps the province's veto rules")

    base_items = {item_code(item): (item, parent) for _, item, parent in walk_items(base.items)}
    seen_base: list[str] = []
    local_use: dict[str, tuple[str, Decimal]] = {}
    for path, item, parent in walk_items(content.items):
        code = item_code(item)
        parent_code = item_code(parent) if parent is not None else None
        if code in base_items:
            seen_base.append(code)
            base_item, base_parent = base_items[code]
            changed = [
                _camel(f.name)
                for f in dataclasses.fields(ItemInput)
                if f.name != "children" and getattr(item, f.name) != getattr(base_item, f.name)
            ]
            if (base_parent.code if base_parent else None) != parent_code:
                changed.append("parent")
            if changed:
                check.add(
                    path,
                    f"{code} is the province's {base_item.kind}: a local template cannot"
                    f" change it (changed: {', '.join(changed)})",
                )
            continue
        base_parent_entry = base_items.get(parent_code) if parent_code else None
        if base_parent_entry is None or not base_parent_entry[0].local:
            check.add(
                path,
                f"{code}: a local template adds indicators only under the categories the"
                " province left open for local indicators",
            )
        elif item.kind != ItemKind.INDICATOR:
            check.add(f"{path}.kind", f"{code}: a local template adds indicators, not categories")
        if parent is not None and parent_code in base_items and parent.local:
            used_path, used = local_use.get(parent_code, (path, Decimal(0)))
            if isinstance(item.max_points, Decimal | int):
                used += item.max_points
            local_use[parent_code] = (used_path, used)

    for code, (category, _) in base_items.items():
        if code not in seen_base:
            check.add(
                f"{CONTENT}.items",
                f"{code} is the province's {category.kind}: a local template cannot remove it",
            )
    if [code for code in base_items if code in seen_base] != seen_base:
        check.add(f"{CONTENT}.items", "the province's items keep the province's order")
    for code, (path, added) in local_use.items():
        category = base_items[code][0]
        provincial = sum((child.max_points for child in category.children), start=Decimal(0))
        if provincial + added > category.max_points:
            check.add(
                path,
                f"{code} leaves {plain_amount(category.max_points - provincial)} points for local"
                f" indicators; they add up to {plain_amount(added)}",
            )
    return check.problems


# --- publication checks ---------------------------------------------------------------------


def _engine_paths(items: Sequence[ItemInput]) -> dict[str, tuple[str, ItemInput]]:
    """The engine's path of each item ("2/2.3") -> its input path and the item."""
    paths: dict[str, tuple[str, ItemInput]] = {}

    def walk(children: Sequence[ItemInput], engine_parent: str, path: str) -> None:
        for index, item in enumerate(children):
            item_path = f"{path}[{index}]"
            engine_path = f"{engine_parent}/{item.code}" if engine_parent else item.code
            paths[engine_path] = (item_path, item)
            walk(item.children, engine_path, f"{item_path}.children")

    walk(items, "", f"{CONTENT}.items")
    return paths


_ENGINE_FIELDS = {
    "total_points": f"{CONTENT}.totalPoints",
    "bonus_cap": f"{CONTENT}.bonusCap",
    "grades": f"{CONTENT}.gradeExcellent",
    "categories": f"{CONTENT}.items",
}


def _map_engine_problem(
    problem: engine.TemplateProblem,
    paths: dict[str, tuple[str, ItemInput]],
    rules: Sequence[VetoRuleInput],
) -> Problem:
    """Name an engine problem by the input path of its item (and clause or tier)."""
    if problem.path in _ENGINE_FIELDS:
        return Problem(_ENGINE_FIELDS[problem.path], problem.message, ErrorCode.INVALID)
    if problem.path in paths:
        path, item = paths[problem.path]
        return Problem(path, f"{item.code} {item.title}: {problem.message}", ErrorCode.INVALID)
    prefix, _, last = problem.path.rpartition("/")
    if prefix in paths:
        path, item = paths[prefix]
        where = path
        if last.startswith("clause "):
            keys = [clause.key for clause in item.clauses]
            key = last.removeprefix("clause ")
            if key in keys:
                where = f"{path}.clauses[{keys.index(key)}]"
        elif last.startswith("tier ") and last.removeprefix("tier ").isdigit():
            where = f"{path}.tiers[{last.removeprefix('tier ')}]"
        return Problem(where, f"{item.code} {last}: {problem.message}", ErrorCode.INVALID)
    if problem.path.startswith("veto"):
        code = problem.path.removeprefix("veto").strip()
        codes = [rule.code for rule in rules]
        field = f"{CONTENT}.vetoRules"
        if code in codes:
            field = f"{field}[{codes.index(code)}].code"
        return Problem(field, problem.message, ErrorCode.INVALID)
    return Problem(None, str(problem), ErrorCode.INVALID)


def publication_problems(content: TemplateContent) -> list[Problem]:
    """What keeps this document from being published: its structure, then the engine's rules.

    Local categories are checked here rather than by the engine: the province may leave them
    empty (or partly filled) for its cities, so their items add up to at most their max.
    """
    problems = content_problems(content)
    if problems:
        return problems
    paths = _engine_paths(content.items)
    local = {engine_path for engine_path, (_, item) in paths.items() if item.local}
    for problem in engine.validate_template(engine_from_content(content)):
        if problem.path not in local:
            problems.append(_map_engine_problem(problem, paths, content.veto_rules))
    for engine_path in sorted(local, key=list(paths).index):
        path, category = paths[engine_path]
        used = sum((child.max_points for child in category.children), start=Decimal(0))
        if used > category.max_points:
            problems.append(
                Problem(
                    f"{path}.maxPoints",
                    f"{category.code} {category.title}: its items add up to {plain_amount(used)},"
                    f" more than its max {plain_amount(category.max_points)}",
                    ErrorCode.INVALID,
                )
            )
    if not any(item.kind == ItemKind.INDICATOR for _, item, _ in walk_items(content.items)):
        problems.append(
            Problem(f"{CONTENT}.items", "the template has no indicator yet", ErrorCode.REQUIRED)
        )
    return problems


def template_problems(session: Session, template: Template) -> list[Problem]:
    """What blocks publishing this template right now (shown live in the editor)."""
    content = template_content(session, template)
    problems = publication_problems(content)
    if template.extends_id is not None:
        base = session.get_one(Template, template.extends_id)
        if base.state is not TemplateState.PUBLISHED:
            problems.append(
                Problem(
                    "id",
                    f"the province's template it extends (version {base.version}) is {base.state}",
                    ErrorCode.INVALID_STATE,
                )
            )
    return problems
