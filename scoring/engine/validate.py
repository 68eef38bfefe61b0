"""What a publishable template must satisfy, as a list of problems each naming its item.

Paths are codes joined by "/": "2/2.3" is indicator 2.3 in category 2, "2/2.3/clause b" its
clause b, "2/2.3/tier 1" its second tier; template-wide problems name the field
("total_points", "grades", "veto V1").
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from itertools import pairwise

from scoring.engine.errors import TemplateProblem
from scoring.engine.model import (
    Category,
    Clause,
    ClauseKind,
    ClauseScope,
    Indicator,
    Method,
    Template,
)
from scoring.engine.rounding import to_decimal


def _cents(amount: object) -> Decimal | None:
    """The amount as a Decimal, or None when it is no number at all."""
    try:
        return to_decimal(amount)
    except ValueError:
        return None


class _Checker:
    """Collects problems while walking one template."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.problems: list[TemplateProblem] = []
        self.indicator_codes: set[str] = set()
        self.category_codes: set[str] = set()
        self.bonus_cap = Decimal(0)

    def problem(self, path: str, message: str) -> None:
        self.problems.append(TemplateProblem(path, message))

    def points(self, path: str, what: str, amount: object, *, positive: bool) -> Decimal | None:
        """Check an amount of points: a number, in cents (the rounding rule's unit), sign."""
        number = _cents(amount)
        if number is None:
            self.problem(path, f"{what} {amount!r} is not a number")
            return None
        if number != number.quantize(Decimal("0.01")):
            self.problem(path, f"{what} {number} has more than two decimal places")
        if positive and number <= 0:
            self.problem(path, f"{what} must be above 0, not {number}")
        elif not positive and number < 0:
            self.problem(path, f"{what} must not be negative, not {number}")
        return number

    def template_fields(self) -> None:
        template = self.template
        total = self.points("total_points", "total points", template.total_points, positive=True)
        cap = self.points("bonus_cap", "bonus cap", template.bonus_cap, positive=False)
        if cap is not None:
            self.bonus_cap = cap
        sum_of_categories = sum(
            (_cents(c.max_points) or Decimal(0) for c in template.categories if not c.bonus),
            start=Decimal(0),
        )
        if total is not None and sum_of_categories != total:
            self.problem(
                "categories",
                f"non-bonus categories add up to {sum_of_categories}, not the total {total}",
            )
        grades = template.grades
        given = [
            (name, raw, _cents(raw))
            for name, raw in (
                ("excellent", grades.excellent),
                ("good", grades.good),
                ("qualified", grades.qualified),
            )
            if raw is not None or name == "qualified"
        ]
        if any(number is None for _, _, number in given):
            self.problem("grades", "grade thresholds must be numbers")
        elif grades.excellent is not None and grades.good is None:
            self.problem("grades", "a template with an excellent grade has a good one too")
        else:
            numbers = [(name, number) for name, _, number in given if number is not None]
            if not all(a[1] > b[1] for a, b in pairwise(numbers)) or numbers[-1][1] < 0:
                said = " > ".join(f"{name} {number}" for name, number in numbers)
                self.problem("grades", f"thresholds must fall: {said} >= 0")
            elif total is not None and numbers[0][1] > total:
                self.problem(
                    "grades", f"{numbers[0][0]} {numbers[0][1]} is above the total {total}"
                )
        seen: set[str] = set()
        for rule in template.veto_rules:
            if not rule.code:
                self.problem("veto", "a veto rule needs a code")
            elif rule.code in seen:
                self.problem(f"veto {rule.code}", "duplicate veto rule code")
            seen.add(rule.code)

    def category(self, category: Category, parent: str, parent_bonus: bool | None) -> None:
        path = f"{parent}/{category.code}" if parent else category.code
        if category.code in self.category_codes:
            self.problem(path, "duplicate category code")
        self.category_codes.add(category.code)
        maximum = self.points(path, "max points", category.max_points, positive=True)
        if parent_bonus is not None and category.bonus != parent_bonus:
            self.problem(path, "a subcategory must be a bonus category exactly when its parent is")
        if not category.indicators and not category.categories:
            self.problem(path, "the category holds no indicators")
        children: Iterable[object] = (
            *(i.max_points for i in category.indicators),
            *(c.max_points for c in category.categories),
        )
        children_sum = sum((_cents(m) or Decimal(0) for m in children), start=Decimal(0))
        if maximum is not None and children_sum != maximum:
            self.problem(path, f"its items add up to {children_sum}, not its max {maximum}")
        for indicator in category.indicators:
            self.indicator(indicator, f"{path}/{indicator.code}", category.bonus)
        for sub in category.categories:
            self.category(sub, path, category.bonus)

    def indicator(self, indicator: Indicator, path: str, in_bonus: bool) -> None:
        if indicator.code in self.indicator_codes:
            self.problem(path, "duplicate indicator code")
        self.indicator_codes.add(indicator.code)
        maximum = self.points(path, "max points", indicator.max_points, positive=True)
        try:
            method = Method(indicator.method)
        except ValueError:
            self.problem(path, f"unknown method {indicator.method!r}")
            return
        if (method is Method.BONUS) != in_bonus:
            self.problem(
                path,
                "a bonus category holds only bonus indicators"
                if in_bonus
                else "bonus indicators belong in bonus categories",
            )
        if method is Method.BONUS and maximum is not None and maximum > self.bonus_cap:
            self.problem(path, f"max points {maximum} exceed the bonus cap {self.bonus_cap}")
        if method is Method.RATIO:
            self.ratio(indicator, path)
        elif method is Method.TIERS:
            self.tiers(indicator, path, maximum)
        elif method is Method.DEDUCTION:
            self.clauses(indicator, path)

    def ratio(self, indicator: Indicator, path: str) -> None:
        target = _cents(indicator.target) if indicator.target is not None else None
        if indicator.target is None:
            self.problem(path, "a ratio needs a target")
        elif target is None or target <= 0:
            self.problem(path, f"the target must be above 0, not {indicator.target}")
        if indicator.floor is not None:
            floor = _cents(indicator.floor)
            if floor is None or (target is not None and floor >= target):
                self.problem(path, f"the floor {indicator.floor} must be below the target")

    def tiers(self, indicator: Indicator, path: str, maximum: Decimal | None) -> None:
        if not indicator.tiers:
            self.problem(path, "tiers need at least one tier")
        previous = None
        for index, tier in enumerate(indicator.tiers):
            tier_path = f"{path}/tier {index}"
            low = _cents(tier.min_value)
            points = self.points(tier_path, "tier points", tier.points, positive=False)
            if low is None:
                self.problem(tier_path, f"min value {tier.min_value!r} is not a number")
                continue
            if points is not None and maximum is not None and points > maximum:
                self.problem(tier_path, f"tier points {points} exceed the max {maximum}")
            if previous is not None:
                if low >= previous[0]:
                    self.problem(tier_path, "tiers must be strictly descending by min value")
                if points is not None and previous[1] is not None and points > previous[1]:
                    self.problem(tier_path, "a lower tier must not earn more points")
            previous = (low, points)

    def clauses(self, indicator: Indicator, path: str) -> None:
        if not indicator.clauses:
            self.problem(path, "a deduction needs at least one clause")
        keys: set[str] = set()
        for clause in indicator.clauses:
            clause_path = f"{path}/clause {clause.key}"
            if clause.key in keys:
                self.problem(clause_path, "duplicate clause key")
            keys.add(clause.key)
            try:
                kind = ClauseKind(clause.kind)
            except ValueError:
                self.problem(clause_path, f"unknown clause kind {clause.kind!r}")
                continue
            if kind is not ClauseKind.ZERO:
                self.points(clause_path, "clause points", clause.points, positive=True)
            if kind is ClauseKind.CASCADE:
                threshold = _cents(clause.threshold) if clause.threshold is not None else None
                if threshold is None or threshold <= 0:
                    self.problem(clause_path, "a cascade needs a threshold above 0")
            self.clause_limits(clause, kind, clause_path)
            self.clause_scopes(clause, kind, clause_path)

    def clause_limits(self, clause: Clause, kind: ClauseKind, path: str) -> None:
        if clause.cap is None and clause.repeat_factor is None:
            return
        if kind is not ClauseKind.PER_OCCURRENCE:
            self.problem(path, "only a per-occurrence clause has a cap or a repeat factor")
            return
        if clause.cap is not None:
            self.points(path, "clause cap", clause.cap, positive=True)
        if clause.repeat_factor is not None:
            factor = _cents(clause.repeat_factor)
            if factor is None or factor <= 1:
                self.problem(path, "a repeat factor is above 1 (2 doubles a repeat offence)")

    def clause_scopes(self, clause: Clause, kind: ClauseKind, path: str) -> None:
        try:
            scope, fact_scope = ClauseScope(clause.scope), ClauseScope(clause.fact_scope)
        except ValueError:
            self.problem(
                path, f"unknown scope {clause.scope!r} or fact scope {clause.fact_scope!r}"
            )
            return
        if kind is ClauseKind.EXTRA:
            if scope is ClauseScope.ITEM:
                self.problem(path, "an extra clause takes its points off its category or the total")
            if clause.fact is not None:
                self.problem(path, "an extra clause names no fact: it always deducts")
        elif scope is not ClauseScope.ITEM:
            self.problem(path, "only extra clauses deduct beyond their item")
        if kind is ClauseKind.CASCADE and fact_scope is not ClauseScope.ITEM:
            self.problem(path, "a cascade's fact stays within its item")


def validate_template(template: Template) -> list[TemplateProblem]:
    """Every problem that keeps a template from being published; [] when it is sound."""
    checker = _Checker(template)
    checker.template_fields()
    for category in template.categories:
        checker.category(category, "", None)
    return checker.problems
