"""Properties of the scoring engine over random valid templates and inputs (hypothesis).

Default runs stay quick; REDLINE_LONG_TESTS=1 (make test-long) runs many more examples.
"""

from __future__ import annotations

import os
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scoring.engine import (
    Adjustment,
    AssessmentInput,
    Category,
    Clause,
    ClauseKind,
    ClauseScope,
    Grade,
    Grades,
    Indicator,
    IndicatorInput,
    InvalidInput,
    Method,
    Scorecard,
    SpotCheck,
    Template,
    Tier,
    Veto,
    score,
    score_many,
    validate_template,
)
from scoring.engine.ranking import Contender, rank

# Profiles live here, not in a conftest, so they touch no other test module's settings.
settings.register_profile(
    "engine",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("engine-long", parent=settings.get_profile("engine"), max_examples=3000)
PROFILE = settings.get_profile(
    "engine-long" if os.environ.get("REDLINE_LONG_TESTS") == "1" else "engine"
)

D = Decimal
CENT_EXPONENT = -2
SCORED_METHODS = [Method.MANUAL, Method.DEDUCTION, Method.RATIO, Method.TIERS, Method.BOOLEAN]


def cents(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Amounts in cents between low and high cents, as two-place Decimals."""
    return st.integers(low, high).map(lambda n: D(n).scaleb(-2))


# --- templates -------------------------------------------------------------------------------


@st.composite
def tiers(draw: st.DrawFn, max_points: Decimal) -> tuple[Tier, ...]:
    count = draw(st.integers(1, 4))
    lows = sorted(draw(st.sets(cents(0, 20_000), min_size=count, max_size=count)), reverse=True)
    points = sorted(
        draw(st.lists(cents(0, int(max_points * 100)), min_size=count, max_size=count)),
        reverse=True,
    )
    return tuple(Tier(low, p) for low, p in zip(lows, points, strict=True))


FACTS = [(None, "item"), (None, "item"), ("f1", "item"), ("f2", "item")]
FACTS += [("f1", "category"), ("f3", "category"), ("f1", "template"), ("f4", "template")]
EXTRA_SCOPES = [ClauseScope.CATEGORY, ClauseScope.TEMPLATE]


@st.composite
def clauses(draw: st.DrawFn) -> tuple[Clause, ...]:
    count = draw(st.integers(1, 4))
    drawn = []
    for key in "abcd"[:count]:
        kind = draw(st.sampled_from(ClauseKind))
        # Facts within the item, the category or the template; extra clauses name none and
        # cascades none beyond their item.
        fact, fact_scope = draw(st.sampled_from(FACTS))
        if kind is ClauseKind.EXTRA or (kind is ClauseKind.CASCADE and fact_scope != "item"):
            fact, fact_scope = None, "item"
        drawn.append(
            Clause(
                key,
                kind,
                f"clause {key} text",
                points=D(0) if kind is ClauseKind.ZERO else draw(cents(1, 1_500)),
                threshold=draw(cents(1, 2_000)) if kind is ClauseKind.CASCADE else None,
                fact=fact,
                scope=draw(st.sampled_from(EXTRA_SCOPES)) if kind is ClauseKind.EXTRA else "item",
                fact_scope=ClauseScope(fact_scope),
                cap=draw(st.none() | cents(1, 1_500))
                if kind is ClauseKind.PER_OCCURRENCE
                else None,
                repeat_factor=(
                    draw(st.none() | st.sampled_from([D(2), D("1.5"), D(3)]))
                    if kind is ClauseKind.PER_OCCURRENCE
                    else None
                ),
            )
        )
    return tuple(drawn)


@st.composite
def indicators(draw: st.DrawFn, code: str, bonus_cap: Decimal | None) -> Indicator:
    """A valid indicator; a bonus one when bonus_cap is given (its max within the cap)."""
    if bonus_cap is not None:
        return Indicator(code, code, draw(cents(1, int(bonus_cap * 100))), Method.BONUS)
    max_points = draw(cents(100, 2_000))
    method = draw(st.sampled_from(SCORED_METHODS))
    indicator = Indicator(
        code, f"indicator {code}", max_points, method, criteria=f"criteria {code}"
    )
    if method is Method.RATIO:
        target = draw(cents(1, 20_000))
        floor = draw(st.none() | cents(0, int(target * 100) - 1))
        return replace(indicator, target=target, floor=floor)
    if method is Method.TIERS:
        return replace(indicator, tiers=draw(tiers(max_points)))
    if method is Method.DEDUCTION:
        return replace(indicator, clauses=draw(clauses()))
    return indicator


@st.composite
def categories(draw: st.DrawFn, code: str, depth: int, bonus_cap: Decimal | None) -> Category:
    own = tuple(
        draw(indicators(f"{code}.{n}", bonus_cap)) for n in range(1, draw(st.integers(1, 4)) + 1)
    )
    subs: tuple[Category, ...] = ()
    if depth < 1 and bonus_cap is None:
        subs = tuple(
            draw(categories(f"{code}.s{n}", depth + 1, None))
            for n in range(1, draw(st.integers(0, 2)) + 1)
        )
    # A valid category declares exactly what its children add up to.
    max_points = sum((c.max_points for c in (*own, *subs)), start=D(0))
    return Category(code, f"category {code}", max_points, own, subs, bonus=bonus_cap is not None)


@st.composite
def templates(draw: st.DrawFn) -> Template:
    bonus_cap = draw(cents(0, 1_000))
    scored = tuple(draw(categories(str(n), 0, None)) for n in range(1, draw(st.integers(1, 4)) + 1))
    bonus: tuple[Category, ...] = ()
    if bonus_cap >= D(1) and draw(st.booleans()):
        bonus = (draw(categories("B", 1, bonus_cap)),)
    total = sum((c.max_points for c in scored), start=D(0))
    grades = Grades(
        excellent=(total * D("0.9")).quantize(D("0.01")),
        good=(total * D("0.8")).quantize(D("0.01")),
        qualified=(total * D("0.6")).quantize(D("0.01")),
    )
    return Template(total, bonus_cap, grades, scored + bonus)


# --- assessments -----------------------------------------------------------------------------


@st.composite
def entries(draw: st.DrawFn, indicator: Indicator) -> IndicatorInput:
    note = draw(st.sampled_from(["", "ledger extract"]))
    method = indicator.method
    if method in (Method.MANUAL, Method.BONUS):
        return IndicatorInput(points=draw(cents(0, int(indicator.max_points * 100))), note=note)
    if method in (Method.RATIO, Method.TIERS):
        return IndicatorInput(value=draw(cents(0, 30_000)), note=note)
    if method is Method.BOOLEAN:
        return IndicatorInput(done=draw(st.booleans()), note=note)
    counts = {}
    for clause in indicator.clauses:
        # A judgement's count is the whole points a person deducts, at most the clause's.
        most = int(clause.points) if clause.kind is ClauseKind.JUDGEMENT else 12
        if draw(st.booleans()):
            counts[clause.key] = draw(st.integers(0, most))
    return IndicatorInput(counts=counts, note=note)


@st.composite
def assessments(draw: st.DrawFn, template: Template) -> AssessmentInput:
    given: dict[str, IndicatorInput] = {}
    adjustments: dict[str, Adjustment] = {}
    spot_checks: list[SpotCheck] = []
    for _, indicator in template.indicators():
        choice = draw(st.sampled_from(["entry", "entry", "entry", "none", "n/a"]))
        if choice == "n/a":
            given[indicator.code] = IndicatorInput(not_applicable=True)
            continue
        if choice == "entry":
            given[indicator.code] = draw(entries(indicator))
        if draw(st.integers(0, 9)) == 0:
            adjusted = draw(cents(0, int(indicator.max_points * 100)))
            adjustments[indicator.code] = Adjustment(adjusted, "reviewer's reason")
        if draw(st.integers(0, 9)) == 0:
            spot_checks.append(SpotCheck(indicator.code, draw(cents(1, 800)), "finding"))
    vetoes = tuple(
        Veto(f"V{n}", "reason") for n in range(draw(st.sampled_from([0, 0, 0, 0, 1, 2])))
    )
    return AssessmentInput(given, adjustments, tuple(spot_checks), vetoes)


@st.composite
def scored(draw: st.DrawFn) -> tuple[Template, AssessmentInput]:
    template = draw(templates())
    return template, draw(assessments(template))


def with_entry(assessment: AssessmentInput, code: str, entry: IndicatorInput) -> AssessmentInput:
    return replace(assessment, entries={**assessment.entries, code: entry})


# --- properties ------------------------------------------------------------------------------


@PROFILE
@given(templates())
def test_generated_templates_are_valid(template):
    assert validate_template(template) == []


@PROFILE
@given(scored())
def test_points_stay_within_their_bounds(case):
    template, assessment = case
    card = score(template, assessment)
    for item in card.indicators.values():
        assert 0 <= item.points <= item.max_points
    for category in card.categories.values():
        assert 0 <= category.points <= category.max_points
        assert 0 <= category.attainable <= category.max_points
    assert 0 <= card.earned <= card.attainable <= template.total_points
    assert 0 <= card.normalised <= template.total_points
    assert 0 <= card.bonus <= template.bonus_cap
    assert 0 <= card.total <= template.total_points + template.bonus_cap


@PROFILE
@given(scored())
def test_explanations_add_up_exactly(case):
    card = score(*case)
    for item in card.indicators.values():
        assert sum(line.points for line in item.lines) == item.points
    assert sum(line.points for line in card.explain()) == card.total
    assert card.total == card.normalised - card.extra + card.bonus


def _decimals(card: Scorecard) -> list[Decimal]:
    figures = [card.earned, card.attainable, card.normalised, card.bonus, card.total]
    for item in card.indicators.values():
        figures += [item.points, item.max_points, *(line.points for line in item.lines)]
    for category in card.categories.values():
        figures += [category.points, category.attainable, category.max_points]
    figures += [line.points for line in card.lines]
    return figures


@PROFILE
@given(scored())
def test_every_figure_is_quantized_to_cents(case):
    for figure in _decimals(score(*case)):
        assert figure.as_tuple().exponent == CENT_EXPONENT, figure


@PROFILE
@given(scored(), st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=3))
def test_a_veto_always_fails_the_unit(case, rules):
    template, assessment = case
    vetoes = tuple(Veto(rule, "accident concealed") for rule in rules)
    card = score(template, replace(assessment, vetoes=assessment.vetoes + vetoes))
    assert card.grade is Grade.UNQUALIFIED
    assert card.vetoed
    assert card.total == score(template, replace(assessment, vetoes=())).total


@PROFILE
@given(
    st.lists(scored(), min_size=1, max_size=6),
    st.data(),
)
def test_a_yellow_card_never_raises_a_rank(cases, data):
    """Yellow cards change no point, no grade, no veto: a unit's rank among others with or
    without yellow cards stays where it was, and its explanation still adds up."""
    carded = [data.draw(st.booleans()) for _ in cases]
    plain, warned = [], []
    for n, ((template, assessment), yellow) in enumerate(zip(cases, carded, strict=True)):
        before = score(template, assessment)
        cards = (Veto("Y1", "an accident with 2 deaths", "accident #7"),) if yellow else ()
        after = score(template, replace(assessment, yellow_cards=cards))
        assert (after.total, after.grade, after.vetoed) == (
            before.total,
            before.grade,
            before.vetoed,
        )
        assert len(after.yellow_cards) == len(cards)
        assert sum(line.points for line in after.explain()) == after.total
        plain.append(Contender(f"u{n}", before.total, before.vetoed))
        warned.append(Contender(f"u{n}", after.total, after.vetoed))
    ranks_before = {p.contender.key: p.rank for p in rank(plain)}
    for placed in rank(warned):
        assert placed.rank >= ranks_before[placed.contender.key]


@PROFILE
@given(scored(), st.data())
def test_raising_a_ratio_or_tiers_value_never_lowers_points(case, data):
    template, assessment = case
    valued = [i for _, i in template.indicators() if i.method in (Method.RATIO, Method.TIERS)]
    assume(valued)
    indicator = data.draw(st.sampled_from(valued))
    low = data.draw(cents(0, 30_000))
    high = low + data.draw(cents(0, 30_000))
    before = score(template, with_entry(assessment, indicator.code, IndicatorInput(value=low)))
    after = score(template, with_entry(assessment, indicator.code, IndicatorInput(value=high)))
    assert after.indicators[indicator.code].points >= before.indicators[indicator.code].points
    assert after.total >= before.total


@PROFILE
@given(scored(), st.data())
def test_more_occurrences_never_raise_points(case, data):
    template, assessment = case
    deductions = [i for _, i in template.indicators() if i.method is Method.DEDUCTION]
    assume(deductions)
    indicator = data.draw(st.sampled_from(deductions))
    counts = data.draw(entries(indicator)).counts
    # A judgement's count is bounded by its points: raise the others.
    keys = [c.key for c in indicator.clauses if c.kind is not ClauseKind.JUDGEMENT]
    assume(keys)
    key = data.draw(st.sampled_from(keys))
    more = {**counts, key: counts.get(key, 0) + data.draw(st.integers(1, 5))}
    before = score(template, with_entry(assessment, indicator.code, IndicatorInput(counts=counts)))
    after = score(template, with_entry(assessment, indicator.code, IndicatorInput(counts=more)))
    assert after.indicators[indicator.code].points <= before.indicators[indicator.code].points
    shared = any(c.fact_scope != "item" for _, i in template.indicators() for c in i.clauses)
    if not shared:
        # A fact shared with another item can move that item's deduction here, where the
        # item's floor may swallow it: only then can the total rise.
        assert after.total <= before.total


@PROFILE
@given(st.data())
def test_score_many_equals_score_for_each_unit(data):
    template = data.draw(templates())
    units = data.draw(st.lists(assessments(template), min_size=1, max_size=4))
    batch = {f"unit {n}": assessment for n, assessment in enumerate(units)}
    cards = score_many(template, batch)
    assert list(cards) == list(batch)
    for unit, assessment in batch.items():
        assert cards[unit] == score(template, assessment)


@PROFILE
@given(st.data())
def test_a_card_scored_alike_another_is_the_card_scored_alone(data):
    """The reviewed card keeps the self card's scores where nothing differs (``alike``): it is
    the same card as scored from nothing, whatever the two inputs share (entries changed,
    adjusted, spot-checked in either; a shared fact's clause moved by a changed entry)."""
    template = data.draw(templates())
    first = data.draw(assessments(template))
    other = data.draw(assessments(template))
    # A quarter of the first's entries replaced by the other's (or dropped), the rest the
    # very same objects.
    mixed = {
        code: other.entries.get(code) if data.draw(st.integers(0, 3)) == 0 else entry
        for code, entry in first.entries.items()
    }
    second = replace(
        other, entries={code: entry for code, entry in mixed.items() if entry is not None}
    )
    card = score(template, first)
    try:
        alone = score(template, second)
    except InvalidInput as refused:  # an adjustment on an indicator the first marked N/A
        with pytest.raises(InvalidInput) as again:
            score(template, second, alike=(first, card))
        assert str(again.value) == str(refused)
        return
    assert score(template, second, alike=(first, card)) == alone
