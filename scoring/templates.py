"""Indicator templates: writing, validating, publishing, versioning and extending them.

A template is edited as one document (``TemplateContent``): the editor, the Excel import and the
copy of last year's template all hand the whole tree over, and the service replaces the draft's
rows with it. Every save checks the document's structure (``content_problems``); publishing
also needs the numbers to add up (``template_problems``, which reuses the engine's own
``validate_template``), so a draft may be saved half-finished but never published broken.

Local categories (``local=True``) are the points a province leaves to its cities: a city's
local template (``extend_template``) copies the province's published version and may add
indicators under those categories only. A local category nobody filled scores like an
indicator that is not applicable: its points leave the attainable total and the unit's score is
normalised back to the template total, so units with and without local indicators stay
comparable (see ``engine_template``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete, func, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from redline import versions
from redline.db import utcnow
from redline.errors import DomainError, ErrorCode, Problem, fail
from redline.inputs import AMOUNT_LIMIT
from scoring import engine
from scoring.engine import ClauseKind, Method
from scoring.models import (
    LEDGER_FED_METHODS,
    ItemKind,
    Template,
    TemplateFamily,
    TemplateItem,
    TemplateState,
    ValueSource,
    VetoKind,
    VetoRule,
)
from tenants.access import Actor
from tenants.models import Role, TenantLevel, TenantNode

# Limits that keep one document within what a province really writes (AQ/T 9006 grading
# standards have some 200 items) and within the columns that store it.
MAX_ITEMS = 2000
MAX_VETO_RULES = 100
MAX_CODE = 40
MAX_TITLE = 500
MAX_TEMPLATE_TITLE = 300
MAX_FAMILY_NAME = 200
MAX_TEXT = 20_000
MIN_YEAR, MAX_YEAR = 2000, 2100
# Amount columns hold 14 digits, 4 of them after the point; points are scored in cents.
POINT_PLACES = 2
VALUE_PLACES = 4

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


@dataclass(frozen=True)
class ItemInput:
    """A category (with ``children``) or an indicator (with a method and its parameters)."""

    code: str
    title: str
    kind: ItemKind
    max_points: Decimal
    criteria: str = ""
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


@dataclass(frozen=True)
class VetoRuleInput:
    """A one-ticket veto rule the template author writes."""

    code: str
    title: str
    text: str = ""
    kind: VetoKind = VetoKind.MANUAL


@dataclass(frozen=True)
class TemplateContent:
    """A whole template as one document: settings, the item tree, the veto rules."""

    title: str
    year: int
    total_points: Decimal
    bonus_cap: Decimal
    grade_excellent: Decimal
    grade_good: Decimal
    grade_qualified: Decimal
    items: tuple[ItemInput, ...]
    veto_rules: tuple[VetoRuleInput, ...] = ()
    # A region's composite score: weight x its own total + (1 - weight) x its units' mean.
    composite_weight: Decimal | None = None


def walk_items(
    items: Sequence[ItemInput], path: str = f"{CONTENT}.items", parent: ItemInput | None = None
) -> Iterator[tuple[str, ItemInput, ItemInput | None]]:
    """Every item in tree order with its input path ("content.items[1].children[0]") and parent."""
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]"
        yield item_path, item, parent
        yield from walk_items(item.children, f"{item_path}.children", item)


# --- structure checks (every save) ----------------------------------------------------------


def _enum(enum_class: type, value: object) -> Any:
    try:
        return enum_class(value)
    except ValueError:
        return None


class _Checker:
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
            self.add(field, f"{what} is longer than {limit} characters", ErrorCode.TOO_LARGE)
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
    check = _Checker()
    _check_settings(check, content)
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
    _check_veto_rules(check, content.veto_rules)
    return check.problems


def _check_settings(check: _Checker, content: TemplateContent) -> None:
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
    excellent = check.amount(
        f"{CONTENT}.gradeExcellent", content.grade_excellent, "excellent", POINT_PLACES
    )
    good = check.amount(f"{CONTENT}.gradeGood", content.grade_good, "good", POINT_PLACES)
    qualified = check.amount(
        f"{CONTENT}.gradeQualified", content.grade_qualified, "qualified", POINT_PLACES
    )
    if excellent is not None and total is not None and excellent > total:
        check.add(f"{CONTENT}.gradeExcellent", f"excellent {excellent} is above the total {total}")
    if good is not None and excellent is not None and good >= excellent:
        check.add(f"{CONTENT}.gradeGood", f"good {good} must be below excellent {excellent}")
    if qualified is not None and good is not None and qualified >= good:
        check.add(f"{CONTENT}.gradeQualified", f"qualified {qualified} must be below good {good}")
    if qualified is not None and qualified < 0:
        check.add(f"{CONTENT}.gradeQualified", f"qualified must not be negative, got {qualified}")
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


def _check_item(check: _Checker, path: str, item: ItemInput, parent: ItemInput | None) -> str:
    """Check one item (not its children); return its code."""
    code = check.text(f"{path}.code", item.code, "the code", MAX_CODE, required=True)
    check.text(f"{path}.title", item.title, "the title", MAX_TITLE, required=True)
    check.text(f"{path}.criteria", item.criteria, "the criteria", MAX_TEXT, required=False)
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
    if kind is None:
        check.add(f"{path}.kind", f"unknown kind {item.kind!r}: use category or indicator")
    elif kind is ItemKind.CATEGORY:
        _check_category(check, path, item, parent)
    else:
        _check_indicator(check, path, item, parent, maximum)
    return code


def _check_category(check: _Checker, path: str, item: ItemInput, parent: ItemInput | None) -> None:
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
    check: _Checker,
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


def _check_ratio(check: _Checker, path: str, item: ItemInput) -> None:
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


def _check_tiers(check: _Checker, path: str, item: ItemInput, maximum: Decimal | None) -> None:
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


def _check_clauses(check: _Checker, path: str, item: ItemInput) -> None:
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
        if clause.fact is not None:
            fact = check.text(
                f"{clause_path}.fact", clause.fact, "the fact", MAX_CODE, required=True
            )
            if fact:
                facts.setdefault(fact, []).append(clause_path)
    for fact, paths in facts.items():
        if len(paths) < 2:
            check.add(
                f"{paths[0]}.fact",
                f"fact {fact!r} is named by one clause only: a fact groups the clauses that"
                " must not deduct twice for the same thing",
            )


def _check_veto_rules(check: _Checker, rules: Sequence[VetoRuleInput]) -> None:
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
        if _enum(VetoKind, rule.kind) is None:
            known = ", ".join(k.value for k in VetoKind)
            check.add(f"{path}.kind", f"unknown veto kind {rule.kind!r}: use {known}")


# --- city extensions ------------------------------------------------------------------------

_SETTINGS_KEPT = (
    ("year", "year", "the year"),
    ("total_points", "totalPoints", "total points"),
    ("bonus_cap", "bonusCap", "the bonus cap"),
    ("grade_excellent", "gradeExcellent", "the excellent threshold"),
    ("grade_good", "gradeGood", "the good threshold"),
    ("grade_qualified", "gradeQualified", "the qualified threshold"),
)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _code(item: ItemInput) -> str:
    return item.code.strip() if isinstance(item.code, str) else ""


def extension_problems(content: TemplateContent, base: TemplateContent) -> list[Problem]:
    """What a city's local template may not do to the province's template it extends.

    It keeps every setting but the title, every veto rule and every item of the province
    unchanged and in order, and adds indicators only directly under local categories, within
    the points each leaves open.
    """
    check = _Checker()
    for attribute, field, label in _SETTINGS_KEPT:
        kept = getattr(base, attribute)
        if getattr(content, attribute) != kept:
            check.add(
                f"{CONTENT}.{field}",
                f"a local template keeps the province's {label} ({_shown(kept)})",
            )
    if content.veto_rules != base.veto_rules:
        check.add(f"{CONTENT}.vetoRules", "a local template keeps the province's veto rules")

    base_items = {_code(item): (item, parent) for _, item, parent in walk_items(base.items)}
    seen_base: list[str] = []
    local_use: dict[str, tuple[str, Decimal]] = {}
    for path, item, parent in walk_items(content.items):
        code = _code(item)
        parent_code = _code(parent) if parent is not None else None
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
                f"{code} leaves {_plain(category.max_points - provincial)} points for local"
                f" indicators; they add up to {_plain(added)}",
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
    for problem in engine.validate_template(_engine_from_content(content)):
        if problem.path not in local:
            problems.append(_map_engine_problem(problem, paths, content.veto_rules))
    for engine_path in sorted(local, key=list(paths).index):
        path, category = paths[engine_path]
        used = sum((child.max_points for child in category.children), start=Decimal(0))
        if used > category.max_points:
            problems.append(
                Problem(
                    f"{path}.maxPoints",
                    f"{category.code} {category.title}: its items add up to {_plain(used)},"
                    f" more than its max {_plain(category.max_points)}",
                    ErrorCode.INVALID,
                )
            )
    if not any(item.kind == ItemKind.INDICATOR for _, item, _ in walk_items(content.items)):
        problems.append(
            Problem(f"{CONTENT}.items", "the template has no indicator yet", ErrorCode.REQUIRED)
        )
    return problems


# --- conversions ------------------------------------------------------------------------------


def _plain(number: Decimal) -> Decimal:
    """A stored amount without the column's trailing zeros: 20.0000 -> 20, 2.5000 -> 2.5."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def _shown(value: object) -> object:
    return _plain(value) if isinstance(value, Decimal) else value


def _optional(number: Decimal | None) -> Decimal | None:
    return None if number is None else _plain(number)


def _stored_decimal(raw: object) -> Decimal:
    return _plain(Decimal(str(raw)))


def _content_from_rows(
    template: Template, items: Sequence[TemplateItem], rules: Sequence[VetoRule]
) -> TemplateContent:
    children: dict[int | None, list[TemplateItem]] = {}
    for row in sorted(items, key=lambda row: row.position):
        children.setdefault(row.parent_id, []).append(row)

    def build(row: TemplateItem) -> ItemInput:
        return ItemInput(
            code=row.code,
            title=row.title,
            kind=ItemKind(row.kind),
            max_points=_plain(row.max_points),
            criteria=row.criteria or "",
            bonus=row.bonus,
            local=row.local,
            method=Method(row.method) if row.method is not None else None,
            target=_optional(row.target),
            floor=_optional(row.floor),
            tiers=tuple(
                TierInput(_stored_decimal(t["min_value"]), _stored_decimal(t["points"]))
                for t in row.tiers or ()
            ),
            clauses=tuple(
                ClauseInput(
                    key=c["key"],
                    kind=ClauseKind(c["kind"]),
                    text=c.get("text") or "",
                    points=_stored_decimal(c.get("points") or 0),
                    threshold=(
                        _stored_decimal(c["threshold"]) if c.get("threshold") is not None else None
                    ),
                    fact=c.get("fact") or None,
                )
                for c in row.clauses or ()
            ),
            required=row.required,
            source=row.source,
            children=tuple(build(child) for child in children.get(row.id, ())),
        )

    return TemplateContent(
        title=template.title,
        year=template.year,
        total_points=_plain(template.total_points),
        bonus_cap=_plain(template.bonus_cap),
        grade_excellent=_plain(template.grade_excellent),
        grade_good=_plain(template.grade_good),
        grade_qualified=_plain(template.grade_qualified),
        composite_weight=_optional(template.composite_weight),
        items=tuple(build(row) for row in children.get(None, ())),
        veto_rules=tuple(
            VetoRuleInput(code=r.code, title=r.title, text=r.text or "", kind=VetoKind(r.kind))
            for r in sorted(rules, key=lambda rule: rule.position)
        ),
    )


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
            engine.Clause(c.key, ClauseKind(c.kind), c.text, c.points, c.threshold, c.fact)
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


def _engine_from_content(content: TemplateContent) -> engine.Template:
    return engine.Template(
        total_points=content.total_points,
        bonus_cap=content.bonus_cap,
        grades=engine.Grades(content.grade_excellent, content.grade_good, content.grade_qualified),
        categories=tuple(_engine_category(item) for item in content.items),
        veto_rules=tuple(engine.VetoRule(r.code, r.title, r.text) for r in content.veto_rules),
    )


def engine_template(
    template: Template, items: Sequence[TemplateItem], rules: Sequence[VetoRule]
) -> engine.Template:
    """The stored template as the scoring engine's model (pure: no queries).

    A local category nobody filled becomes an empty category: the engine takes its points out
    of the attainable total and normalises the score back to the template total, exactly as for
    not-applicable indicators, so provincial and city-extended scores stay comparable. A partly
    filled one leaves only its unfilled points out.
    """
    return _engine_from_content(_content_from_rows(template, items, rules))


def load_template(
    session: Session, template_id: int
) -> tuple[Template, list[TemplateItem], list[VetoRule]]:
    """A template with its items (tree order) and veto rules: one query per table."""
    template = session.scalars(select(Template).where(Template.id == template_id)).one_or_none()
    if template is None:
        raise fail("id", f"no template {template_id}", ErrorCode.NOT_FOUND)
    items = list(
        session.scalars(
            select(TemplateItem)
            .where(TemplateItem.template_id == template_id)
            .order_by(TemplateItem.position)
        )
    )
    rules = list(
        session.scalars(
            select(VetoRule).where(VetoRule.template_id == template_id).order_by(VetoRule.position)
        )
    )
    return template, items, rules


def template_content(session: Session, template: Template) -> TemplateContent:
    """The stored template as a document again (for the editor, the Excel export, a copy)."""
    _, items, rules = load_template(session, template.id)
    return _content_from_rows(template, items, rules)


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


# --- writing --------------------------------------------------------------------------------


def _amount_json(number: Decimal | None) -> str | None:
    # JSON documents keep amounts as text: a JSON number would pass through binary floats.
    return None if number is None else str(Decimal(number))


def _item_row(
    template: Template, item: ItemInput, position: int, added_by_node_id: int | None
) -> TemplateItem:
    return TemplateItem(
        customer_id=template.customer_id,
        template_id=template.id,
        position=position,
        kind=ItemKind(item.kind),
        code=item.code.strip(),
        title=item.title.strip(),
        criteria=item.criteria,
        max_points=item.max_points,
        bonus=item.bonus,
        local=item.local,
        method=Method(item.method) if item.method is not None else None,
        target=item.target,
        floor=item.floor,
        tiers=[
            {"min_value": _amount_json(t.min_value), "points": _amount_json(t.points)}
            for t in item.tiers
        ],
        clauses=[
            {
                "key": c.key.strip(),
                "kind": ClauseKind(c.kind).value,
                "text": c.text,
                "points": _amount_json(c.points),
                "threshold": _amount_json(c.threshold),
                "fact": c.fact.strip() if c.fact is not None else None,
            }
            for c in item.clauses
        ],
        required=item.required,
        source=item.source,
        added_by_node_id=added_by_node_id,
    )


def _write_tree(
    session: Session,
    template: Template,
    content: TemplateContent,
    added_by: Callable[[ItemInput], int | None],
) -> None:
    """Insert the document's items and veto rules under ``template`` (which has none)."""
    # Positions number the tree depth first, so ordering by position reads the tree back.
    by_depth: dict[int, list[tuple[TemplateItem, str | None]]] = {}
    rows: dict[str, TemplateItem] = {}
    for position, (path, item, parent) in enumerate(walk_items(content.items)):
        row = _item_row(template, item, position, added_by(item))
        rows[path] = row
        parent_path = path.rsplit(".children", 1)[0] if parent is not None else None
        by_depth.setdefault(path.count(".children"), []).append((row, parent_path))
    # A level at a time: children need their parent's id.
    for depth in sorted(by_depth):
        for row, parent_path in by_depth[depth]:
            row.parent_id = rows[parent_path].id if parent_path is not None else None
            session.add(row)
        session.flush()
    for index, rule in enumerate(content.veto_rules):
        session.add(
            VetoRule(
                customer_id=template.customer_id,
                template_id=template.id,
                position=index,
                code=rule.code.strip(),
                title=rule.title.strip(),
                text=rule.text,
                kind=VetoKind(rule.kind),
                params={},
            )
        )
    session.flush()


def _clear_tree(session: Session, template: Template) -> None:
    """Delete a draft's items and veto rules (drafts have no assessments referring to them)."""
    # The parent key cascades, and rows deleted by a cascade are reported by no RETURNING:
    # take the draft's rows out of the session by hand, or their ids (which SQLite reuses)
    # would clash with the rows written next.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, TemplateItem | VetoRule):
            loaded = inspect(obj).dict.get("template_id", template.id)
            if loaded == template.id:
                session.expunge(obj)
    for model in (VetoRule, TemplateItem):
        session.execute(
            delete(model).where(model.template_id == template.id),
            execution_options={"synchronize_session": False},
        )


def _owner_node(session: Session, template: Template) -> TenantNode | None:
    return session.get(TenantNode, template.owner_node_id)


def _require_author(
    session: Session, actor: Actor | None, template: Template, field: str = "id"
) -> TenantNode | None:
    """The template's owner node, after checking the actor writes templates there."""
    node = _owner_node(session, template)
    if actor is None:
        return node
    if node is None:
        raise fail(field, "you cannot write this template", ErrorCode.PERMISSION_DENIED)
    actor.require(node, Role.TEMPLATE_AUTHOR, field=field)
    return node


def _name(template: Template) -> str:
    return f"template “{template.title}” version {template.version}"


def _require_draft(template: Template) -> None:
    if template.state is not TemplateState.DRAFT:
        raise fail(
            "id",
            f"{_name(template)} is {template.state}: it cannot change; make a new version",
            ErrorCode.INVALID_STATE,
        )


def _bump(session: Session, template: Template, expected_version: int, **values: object) -> None:
    """Set ``values`` and bump the lock version, only if nobody saved since ``expected_version``.

    One conditional UPDATE: two editors saving at once cannot both pass the check.
    """
    values = {"lock_version": expected_version + 1, "updated_at": utcnow(), **values}
    result = session.execute(
        update(Template)
        .where(
            Template.id == template.id,
            Template.lock_version == expected_version,
            Template.state == TemplateState.DRAFT,
        )
        .values(**values),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        raise versions.conflict(_name(template), expected_version, None, "edit")
    for name, value in values.items():
        # Mirror the UPDATE on the object without marking it changed.
        set_committed_value(template, name, value)


def _settings(content: TemplateContent) -> dict[str, object]:
    return {
        "title": content.title.strip(),
        "year": content.year,
        "total_points": content.total_points,
        "bonus_cap": content.bonus_cap,
        "grade_excellent": content.grade_excellent,
        "grade_good": content.grade_good,
        "grade_qualified": content.grade_qualified,
        "composite_weight": content.composite_weight,
    }


def _base_of(session: Session, template: Template) -> tuple[Template, TemplateContent] | None:
    if template.extends_id is None:
        return None
    base = session.get_one(Template, template.extends_id)
    return base, template_content(session, base)


def _added_by(base: TemplateContent | None, node_id: int) -> Callable[[ItemInput], int | None]:
    """Marks the items a city added (those not in the province's template) with the city."""
    if base is None:
        return lambda item: None
    provincial = {_code(item) for _, item, _ in walk_items(base.items)}
    return lambda item: None if _code(item) in provincial else node_id


# --- the service --------------------------------------------------------------------------------

FAMILY_CODE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-")


def create_template(
    session: Session,
    actor: Actor | None,
    *,
    owner_node: TenantNode,
    family_code: str,
    family_name: str,
    content: TemplateContent,
) -> Template:
    """Start a new template family owned by a province, with ``content`` as draft version 1.

    Cities do not write templates of their own: they extend the province's (extend_template).
    """
    if actor is not None:
        actor.require(owner_node, Role.TEMPLATE_AUTHOR, field="ownerNodeId")
    check = _Checker()
    if owner_node.level is not TenantLevel.PROVINCE:
        check.add(
            "ownerNodeId",
            f"{owner_node.code} is a {owner_node.level}: templates are written by a province;"
            " a city writes a local template extending the province's",
        )
    code = check.text("familyCode", family_code, "the family code", MAX_CODE, required=True)
    if code and not set(code) <= FAMILY_CODE_CHARS:
        check.add("familyCode", "use letters, digits and . _ @ - in the family code")
    name = check.text("familyName", family_name, "the family name", MAX_FAMILY_NAME, required=True)
    problems = check.problems + content_problems(content)
    if problems:
        raise DomainError(problems)
    family = _new_family(session, owner_node, code, name, field="familyCode")
    template = Template(
        customer_id=owner_node.customer_id,
        family_id=family.id,
        version=1,
        state=TemplateState.DRAFT,
        owner_node_id=owner_node.id,
        lock_version=1,
        **_settings(content),
    )
    session.add(template)
    session.flush()
    _write_tree(session, template, content, lambda item: None)
    return template


def _new_family(
    session: Session, owner_node: TenantNode, code: str, name: str, *, field: str
) -> TemplateFamily:
    family = TemplateFamily(
        customer_id=owner_node.customer_id, owner_node_id=owner_node.id, code=code, name=name
    )
    session.flush()  # begin_nested() flushes first: keep earlier changes out of the savepoint
    try:
        with session.begin_nested():
            session.add(family)
    except IntegrityError:
        raise fail(field, f"a template family {code} exists already", ErrorCode.DUPLICATE) from None
    return family


def update_draft(
    session: Session,
    actor: Actor | None,
    template: Template,
    content: TemplateContent,
    *,
    expected_version: int,
) -> Template:
    """Replace a draft's settings and whole item tree with ``content``.

    ``expected_version`` is the ``lock_version`` the editor read: a stale one is a conflict.
    A city's local template must keep the province's template it extends (extension_problems).
    """
    owner = _require_author(session, actor, template)
    _require_draft(template)
    versions.check_version(template.lock_version, expected_version, _name(template), "edit")
    problems = content_problems(content)
    based = _base_of(session, template)
    if based is not None:
        problems += extension_problems(content, based[1])
    if problems:
        raise DomainError(problems)
    owner_id = owner.id if owner is not None else template.owner_node_id
    session.flush()
    _bump(session, template, expected_version, **_settings(content))
    _clear_tree(session, template)
    _write_tree(session, template, content, _added_by(based[1] if based else None, owner_id))
    return template


def publish(
    session: Session,
    actor: Actor | None,
    template: Template,
    *,
    expected_version: int,
    now: datetime | None = None,
) -> Template:
    """Publish a draft that passes every check; from then on it never changes."""
    _require_author(session, actor, template)
    _require_draft(template)
    versions.check_version(template.lock_version, expected_version, _name(template), "edit")
    problems = template_problems(session, template)
    if problems:
        raise DomainError(problems)
    session.flush()
    _bump(
        session,
        template,
        expected_version,
        state=TemplateState.PUBLISHED,
        published_at=now or utcnow(),
        published_by_id=actor.user_id if actor is not None else None,
    )
    return template


def archive(
    session: Session, actor: Actor | None, template: Template, *, now: datetime | None = None
) -> Template:
    """Retire a published template: it stays readable, and no new cycle should use it."""
    _require_author(session, actor, template)
    if template.state is not TemplateState.PUBLISHED:
        raise fail(
            "id",
            f"{_name(template)} is {template.state}: only a published template is archived",
            ErrorCode.INVALID_STATE,
        )
    session.flush()
    values = {
        "state": TemplateState.ARCHIVED,
        "archived_at": now or utcnow(),
        "updated_at": utcnow(),
    }
    result = session.execute(
        update(Template)
        .where(Template.id == template.id, Template.state == TemplateState.PUBLISHED)
        .values(**values),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        raise fail("id", f"{_name(template)} was archived meanwhile", ErrorCode.CONFLICT)
    for name, value in values.items():
        set_committed_value(template, name, value)
    return template


def new_version(
    session: Session,
    actor: Actor | None,
    template: Template,
    *,
    year: int | None = None,
    title: str | None = None,
) -> Template:
    """Copy a template, whole, into a new draft of its family (the next version number).

    This is how a published template is edited, and how last year's template becomes this
    year's draft (give ``year`` and ``title``). The original is left as it was.
    """
    owner = _require_author(session, actor, template)
    content = template_content(session, template)
    changed = dataclasses.replace(
        content,
        year=content.year if year is None else year,
        title=content.title if title is None else title,
    )
    check = _Checker()
    _check_settings(check, changed)
    problems = [p for p in check.problems if p.field in (f"{CONTENT}.year", f"{CONTENT}.title")]
    if template.extends_id is not None and changed.year != content.year:
        # A local template keeps its province's year: extend the province's new version.
        problems.append(
            Problem(
                f"{CONTENT}.year",
                "a local template follows the year of the province's template it extends:"
                " extend the province's template of that year instead",
                ErrorCode.INVALID,
            )
        )
    if problems:
        # Name the mutation's own arguments, not a document the caller never sent.
        raise DomainError(
            [Problem(p.field.removeprefix(f"{CONTENT}."), p.message, p.code) for p in problems]
        )
    _, items, _ = load_template(session, template.id)
    added_by = {row.code: row.added_by_node_id for row in items}
    copy = _next_version(session, template.family_id, template, owner, changed)
    copy.copied_from_id = template.id
    copy.extends_id = template.extends_id
    session.flush()
    _write_tree(session, copy, changed, lambda item: added_by.get(_code(item)))
    return copy


def _next_version(
    session: Session,
    family_id: int,
    source: Template,
    owner: TenantNode | None,
    content: TemplateContent,
) -> Template:
    latest = session.scalar(
        select(func.max(Template.version)).where(Template.family_id == family_id)
    )
    template = Template(
        customer_id=source.customer_id,
        family_id=family_id,
        version=(latest or 0) + 1,
        state=TemplateState.DRAFT,
        owner_node_id=owner.id if owner is not None else source.owner_node_id,
        lock_version=1,
        **_settings(content),
    )
    session.flush()  # begin_nested() flushes first: keep earlier changes out of the savepoint
    try:
        with session.begin_nested():
            session.add(template)
    except IntegrityError:
        raise fail(
            "id", "someone else made a new version at the same time: try again", ErrorCode.CONFLICT
        ) from None
    return template


def _extension_family_code(base_family: TemplateFamily, node: TenantNode) -> str:
    for code in (
        f"{base_family.code}@{node.code}",
        f"f{base_family.id}@{node.code}",
        f"f{base_family.id}@n{node.id}",
    ):
        if len(code) <= MAX_CODE:
            return code
    raise AssertionError("ids are short")  # pragma: no cover


def extend_template(
    session: Session,
    actor: Actor | None,
    base: Template,
    *,
    owner_node: TenantNode,
    content: TemplateContent | None = None,
) -> Template:
    """Start a city's local template on the province's published ``base``: a new draft.

    It copies ``base`` (or takes ``content``, which must keep ``base``); the city then adds
    indicators under the local categories with update_draft. Its family is the city's for that
    provincial scheme: a later year's extension becomes its next version.
    """
    if actor is not None:
        actor.require(owner_node, Role.TEMPLATE_AUTHOR, field="ownerNodeId")
    base_owner = _owner_node(session, base)
    if base.state is not TemplateState.PUBLISHED:
        raise fail(
            "baseId",
            f"{_name(base)} is {base.state}: a local template extends a published one",
            ErrorCode.INVALID_STATE,
        )
    if base.extends_id is not None:
        raise fail("baseId", f"{_name(base)} is a local template itself: extend the province's")
    if (
        base_owner is None
        or owner_node.customer_id != base.customer_id
        or owner_node.id == base_owner.id
        or not owner_node.path.startswith(base_owner.path)
    ):
        raise fail(
            "ownerNodeId",
            f"{owner_node.code} is not below the unit that owns {_name(base)}",
        )
    base_content = template_content(session, base)
    chosen = base_content if content is None else content
    problems = content_problems(chosen)
    if content is not None:
        problems += extension_problems(content, base_content)
    if problems:
        raise DomainError(problems)
    base_family = session.get_one(TemplateFamily, base.family_id)
    code = _extension_family_code(base_family, owner_node)
    family = session.scalars(
        select(TemplateFamily).where(
            TemplateFamily.code == code, TemplateFamily.owner_node_id == owner_node.id
        )
    ).one_or_none()
    if family is None:
        name = f"{base_family.name} · {owner_node.name_zh}"[:MAX_FAMILY_NAME]
        family = _new_family(session, owner_node, code, name, field="ownerNodeId")
    template = _next_version(session, family.id, base, owner_node, chosen)
    template.extends_id = base.id
    session.flush()
    _write_tree(session, template, chosen, _added_by(base_content, owner_node.id))
    return template
