"""The scoring engine on the DOMAIN's own examples: methods, clauses, N/A, caps, vetoes, review."""

from __future__ import annotations

import ast
import decimal
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

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
    InvalidTemplate,
    Method,
    Scorecard,
    SpotCheck,
    Template,
    Tier,
    Veto,
    VetoRule,
    compare,
    score,
    score_many,
    validate_template,
)

D = Decimal
K = ClauseKind
GRADES = Grades(excellent=D(90), good=D(80), qualified=D(60))


def one_item(indicator: Indicator) -> Template:
    """A template whose only category holds this indicator (plus a filler to reach 100)."""
    filler = Indicator("9.9", "Everything else", D(100) - indicator.max_points, Method.MANUAL)
    return Template(
        total_points=D(100),
        bonus_cap=D(5),
        grades=GRADES,
        categories=(Category("1", "Work safety", D(100), indicators=(indicator, filler)),),
    )


def score_one(indicator: Indicator, entry: IndicatorInput | None = None, **kw) -> Scorecard:
    entries = {} if entry is None else {indicator.code: entry}
    return score(one_item(indicator), AssessmentInput(entries=entries, **kw))


def points_of(card: Scorecard, code: str) -> D:
    return card.indicators[code].points


def assert_explained(card: Scorecard) -> None:
    """Every indicator's lines add up to its points, and the whole explanation to the total."""
    for item in card.indicators.values():
        assert sum(line.points for line in item.lines) == item.points
    assert sum(line.points for line in card.explain()) == card.total


# --- deduction -------------------------------------------------------------------------------

HAZARDS = Indicator(
    "2.1",
    "Hidden hazards rectified",
    D(10),
    Method.DEDUCTION,
    criteria="deduct 2 per unrectified hazard",
    clauses=(Clause("a", K.PER_OCCURRENCE, "deduct 2 per unrectified hazard", D(2)),),
)


def test_deduct_2_per_unrectified_hazard():
    card = score_one(HAZARDS, IndicatorInput(counts={"a": 3}, note="ledger 2026-03"))
    item = card.indicators["2.1"]
    assert item.points == D("4.00")
    assert [(line.rule, line.points) for line in item.lines] == [
        ("max", D("10.00")),
        ("clause a", D("-6.00")),
    ]
    assert item.lines[1].text == '"deduct 2 per unrectified hazard"'
    assert item.lines[1].input == "count 3 x 2.00"
    assert "ledger 2026-03" in item.lines[0].text
    assert not item.missing
    assert_explained(card)


def test_deductions_stop_at_the_items_own_points():
    card = score_one(HAZARDS, IndicatorInput(counts={"a": 7}))
    item = card.indicators["2.1"]
    assert item.points == 0
    assert item.lines[-1].rule == "floor"
    assert item.lines[-1].points == D("4.00")
    assert "exhausted" in item.lines[-1].text
    assert_explained(card)


def test_a_deduction_item_without_counts_keeps_its_points_and_is_not_missing():
    for entry in (None, IndicatorInput(), IndicatorInput(counts={"a": 0})):
        item = score_one(HAZARDS, entry).indicators["2.1"]
        assert (item.points, item.missing) == (D(10), False)


SYSTEM = Indicator(
    "1.2",
    "Responsibility system",
    D(5),
    Method.DEDUCTION,
    criteria="A written responsibility system, issued as a document, covering every unit.",
    clauses=(
        Clause("a", K.ZERO, "no such system: 0 points"),
        Clause("b", K.FIXED, "not issued as a document: deduct 1", D(1)),
        Clause("c", K.PER_OCCURRENCE, "deduct 1 per missing unit", D(1)),
    ),
)


def test_zero_clause_zeroes_the_item_quoting_the_clause():
    card = score_one(SYSTEM, IndicatorInput(counts={"a": 1}))
    item = card.indicators["1.2"]
    assert item.points == 0
    zero = next(line for line in item.lines if line.rule == "clause a")
    assert zero.text == '"no such system: 0 points"'
    assert zero.points == D("-5.00")
    assert_explained(card)


def test_fixed_clause_deducts_once_whatever_the_count():
    item = score_one(SYSTEM, IndicatorInput(counts={"b": 3})).indicators["1.2"]
    assert item.points == D(4)


def test_clauses_add_up_and_the_floor_catches_the_rest():
    card = score_one(SYSTEM, IndicatorInput(counts={"b": 1, "c": 6}))
    item = card.indicators["1.2"]
    assert item.points == 0
    assert [line.rule for line in item.lines] == ["max", "clause b", "clause c", "floor"]
    assert item.lines[-1].points == D(2)
    assert_explained(card)


DRILLS = Indicator(
    "3.4",
    "Emergency drills",
    D(20),
    Method.DEDUCTION,
    clauses=(
        Clause("a", K.PER_OCCURRENCE, "deduct 1 per township without a drill", D(1)),
        Clause("b", K.CASCADE, "once 4 are lost, deduct 10 more", D(10), threshold=D(4)),
    ),
)


@pytest.mark.parametrize(("missing", "points"), [(3, D(17)), (4, D(6)), (9, D(1)), (11, D(0))])
def test_cascade_once_4_are_lost_deduct_10_more(missing, points):
    card = score_one(DRILLS, IndicatorInput(counts={"a": missing}))
    item = card.indicators["3.4"]
    assert item.points == points
    cascade = [line for line in item.lines if line.rule == "clause b"]
    if missing >= 4:
        assert cascade[0].points == D(-10)
        assert cascade[0].text == '"once 4 are lost, deduct 10 more"'
        assert cascade[0].input == f"lost {missing}.00 >= 4"
    else:
        assert cascade == []
    assert_explained(card)


LATE_REPORTS = Indicator(
    "5.2",
    "Accident reports",
    D(5),
    Method.DEDUCTION,
    clauses=(
        Clause("a", K.PER_OCCURRENCE, "每迟报1小时扣0.5分，最多扣3分", D("0.5"), cap=D(3)),
        Clause("b", K.PER_OCCURRENCE, "同一问题重复出现的加倍扣分", D(1), repeat_factor=D(2)),
    ),
)


@pytest.mark.parametrize(
    ("hours", "repeats", "points", "said"),
    [
        (0, 1, D(4), "count 1 x 1.00"),
        (2, 0, D(4), "count 2 x 0.50"),
        (6, 0, D(2), "count 6 x 0.50"),
        (7, 0, D(2), "count 7 x 0.50, capped at 3.00"),
        (0, 2, D(2), "count 2 x 1.00, 1 repeated x 2"),
        (0, 3, D(0), "count 3 x 1.00, 2 repeated x 2"),
    ],
)
def test_per_hour_up_to_a_cap_and_repeats_doubled(hours, repeats, points, said):
    counts = {k: v for k, v in (("a", hours), ("b", repeats)) if v}
    card = score_one(LATE_REPORTS, IndicatorInput(counts=counts))
    assert points_of(card, "5.2") == points
    inputs = [line.input for line in card.indicators["5.2"].lines if line.rule.startswith("clause")]
    assert said in inputs
    assert_explained(card)


def test_a_repeat_deducts_its_factor_and_the_cap_holds_it():
    # 1 + 2 x 1 x 2 = 5 > the cap 4: the clause deducts 4, the explanation says both.
    clause = Clause("a", K.PER_OCCURRENCE, "重复发生加倍扣分", D(1), cap=D(4), repeat_factor=D(2))
    indicator = Indicator("1.1", "Repeat", D(10), Method.DEDUCTION, clauses=(clause,))
    card = score_one(indicator, IndicatorInput(counts={"a": 3}))
    assert points_of(card, "1.1") == D(6)
    line = card.indicators["1.1"].lines[1]
    assert line.input == "count 3 x 1.00, 2 repeated x 2, capped at 4.00"
    assert line.points == D(-4)


@pytest.mark.parametrize(
    ("clause", "problem"),
    [
        (Clause("a", K.FIXED, "x", D(1), cap=D(2)), "only a per-occurrence clause has a cap"),
        (Clause("a", K.PER_OCCURRENCE, "x", D(1), cap=D(0)), "clause cap must be above 0"),
        (
            Clause("a", K.PER_OCCURRENCE, "x", D(1), repeat_factor=D(1)),
            "a repeat factor is above 1",
        ),
    ],
)
def test_caps_and_repeat_factors_are_checked(clause, problem):
    indicator = Indicator("1.1", "Checked", D(10), Method.DEDUCTION, clauses=(clause,))
    problems = validate_template(one_item(indicator))
    assert any(problem in p.message for p in problems), problems


def test_words_of_repeats_and_caps_in_chinese():
    clause = Clause("a", K.PER_OCCURRENCE, "重复发生加倍扣分", D(1), cap=D(4), repeat_factor=D(2))
    indicator = Indicator("1.1", "重复", D(10), Method.DEDUCTION, clauses=(clause,))
    template = replace(one_item(indicator), language="zh")
    card = score(template, AssessmentInput(entries={"1.1": IndicatorInput(counts={"a": 3})}))
    assert card.indicators["1.1"].lines[1].input == "3处 × 1.00，其中重复2处 × 2倍，最多扣4.00"


OVERDUE = Indicator(
    "2.2",
    "Major hazards",
    D(10),
    Method.DEDUCTION,
    clauses=(
        Clause("a", K.PER_OCCURRENCE, "deduct 2 per unrectified hazard", D(2), fact="hazard"),
        Clause("b", K.FIXED, "a listed hazard past its deadline: deduct 5", D(5), fact="hazard"),
        Clause("c", K.FIXED, "no hazard ledger kept: deduct 1", D(1)),
    ),
)


def test_no_double_deduction_for_the_same_fact():
    card = score_one(OVERDUE, IndicatorInput(counts={"a": 1, "b": 1, "c": 1}))
    item = card.indicators["2.2"]
    # a (2) and b (5) describe the same hazard: only the larger, b, deducts.
    assert item.points == D(4)
    a = next(line for line in item.lines if line.rule == "clause a")
    assert a.points == 0
    assert "same fact as clause b" in a.text
    assert_explained(card)


def test_same_fact_the_larger_deduction_wins_whichever_clause_it_is():
    item = score_one(OVERDUE, IndicatorInput(counts={"a": 3, "b": 1})).indicators["2.2"]
    assert item.points == D(4)  # a: 3 x 2 = 6 beats b: 5
    b = next(line for line in item.lines if line.rule == "clause b")
    assert "same fact as clause a" in b.text


# --- beyond the item: extra deductions (加扣) and facts shared across items -----------------

RESPONSIBILITY = Indicator(
    "5.1",
    "Safety management systems",
    D(10),
    Method.DEDUCTION,
    clauses=(
        Clause("a", K.PER_OCCURRENCE, "每缺一项制度，扣2分", D(2)),
        Clause(
            "b",
            K.EXTRA,
            "未建立安全生产责任制的，除本小项不得分外，加扣20分",
            D(20),
            scope=ClauseScope.TEMPLATE,
        ),
    ),
)


def two_categories(first: tuple[Indicator, ...], second: tuple[Indicator, ...]) -> Template:
    """A 100-point template: category 1 holds `first` and a filler, category 2 `second` and one."""

    def category(code: str, items: tuple[Indicator, ...]) -> Category:
        rest = D(50) - sum((i.max_points for i in items), start=D(0))
        filler = Indicator(f"{code}.9", "Everything else", rest, Method.MANUAL)
        return Category(code, f"category {code}", D(50), indicators=(*items, filler))

    return Template(D(100), D(5), GRADES, (category("1", first), category("2", second)))


def full_marks(template: Template, **entries: IndicatorInput) -> AssessmentInput:
    """Every filler at its max, plus the given entries."""
    given = {
        i.code: IndicatorInput(points=i.max_points)
        for _, i in template.indicators()
        if i.method is Method.MANUAL
    }
    return AssessmentInput(
        entries={**given, **{k.replace("_", "."): v for k, v in entries.items()}}
    )


def test_an_extra_clause_zeroes_its_item_and_takes_its_points_off_the_total():
    template = two_categories((RESPONSIBILITY,), ())
    card = score(template, full_marks(template, **{"5_1": IndicatorInput(counts={"b": 1})}))
    assert card.indicators["5.1"].points == 0  # "除本小项不得分外"
    assert card.categories["1"].points == D(40)  # the category keeps its own points
    assert (card.normalised, card.extra, card.total) == (D(90), D(20), D(70))  # "加扣20分"
    extra = next(line for line in card.lines if line.rule == "extra clause b")
    assert (extra.points, extra.input) == (D(-20), "5.1 count 1")
    assert "加扣20分" in extra.text and "off the total" in extra.text
    assert card.grade is Grade.QUALIFIED  # graded on the total after the extra deduction
    assert_explained(card)


def test_an_extra_clause_aimed_at_its_category_stops_at_the_category_s_zero():
    in_category = replace(
        RESPONSIBILITY,
        clauses=(Clause("b", K.EXTRA, "除本小项不得分外，加扣60分", D(60), scope="category"),),
    )
    template = two_categories((in_category,), ())
    card = score(template, full_marks(template, **{"5_1": IndicatorInput(counts={"b": 1})}))
    assert card.categories["1"].points == 0  # 40 - 60, floored at 0
    assert [line.points for line in card.categories["1"].lines] == [D(-60), D(20)]
    assert (card.extra, card.total) == (0, D(50))
    assert_explained(card)


def test_an_extra_clause_of_a_not_applicable_item_takes_nothing():
    template = two_categories((RESPONSIBILITY,), ())
    entry = IndicatorInput(counts={"b": 1}, not_applicable=True)
    card = score(template, full_marks(template, **{"5_1": entry}))
    assert card.extra == 0
    assert not [line for line in card.lines if line.rule.startswith("extra")]


def test_a_judgement_clause_deducts_what_the_assessor_judged_up_to_its_points():
    judged = Indicator(
        "5.2",
        "Site order",
        D(5),
        Method.DEDUCTION,
        clauses=(Clause("a", K.JUDGEMENT, "现场管理混乱的，酌情扣1～3分", D(3)),),
    )
    item = score_one(judged, IndicatorInput(counts={"a": 2})).indicators["5.2"]
    assert item.points == D(3)
    line = item.lines[1]
    assert (line.rule, line.input, line.points) == ("clause a", "judged 2", D(-2))
    assert "酌情扣1～3分" in line.text
    with pytest.raises(InvalidInput) as raised:
        score_one(judged, IndicatorInput(counts={"a": 4}))
    assert raised.value.field == "counts.a"
    assert "at most the clause's 3.00 points" in str(raised.value)


def shared(code: str, points: str, scope: str) -> Indicator:
    text = f"{code}: 制度未发布的，扣{points}分（其他考评内容中已有的不重复扣分）"
    clause = Clause("a", K.FIXED, text, D(points), fact="同一制度", fact_scope=ClauseScope(scope))
    return Indicator(code, f"item {code}", D(5), Method.DEDUCTION, clauses=(clause,))


@pytest.mark.parametrize("scope", ["template", "category"])
def test_a_fact_shared_across_items_deducts_once_the_largest(scope):
    second = "2.1" if scope == "template" else "1.2"
    items = (shared("1.1", "1", scope), shared("1.3", "3", scope))
    template = (
        two_categories(items, ())
        if scope == "category"
        else two_categories((items[0],), (replace(items[1], code=second),))
    )
    codes = [i.code for _, i in template.indicators() if i.method is Method.DEDUCTION]
    counts = {code.replace(".", "_"): IndicatorInput(counts={"a": 1}) for code in codes}
    card = score(template, full_marks(template, **counts))
    first, larger = (card.indicators[code] for code in codes)
    assert (first.points, larger.points) == (D(5), D(2))  # only the 3-point deduction applies
    assert f"same fact as clause a of {codes[1]}: not deducted" in first.lines[1].text
    assert_explained(card)


def test_a_fact_shared_within_a_category_is_not_shared_with_another_category():
    template = two_categories((shared("1.1", "1", "category"),), (shared("2.1", "3", "category"),))
    counts = {"1_1": IndicatorInput(counts={"a": 1}), "2_1": IndicatorInput(counts={"a": 1})}
    card = score(template, full_marks(template, **counts))
    assert (card.indicators["1.1"].points, card.indicators["2.1"].points) == (D(4), D(2))


# --- ratio, tiers, boolean, manual, bonus ------------------------------------------------------

RECTIFICATION = Indicator(
    "2.3",
    "Rectification rate",
    D(10),
    Method.RATIO,
    criteria="rectification rate vs 100%",
    target=D(100),
    floor=D(60),
)


@pytest.mark.parametrize(
    ("value", "points"),
    [("100", "10.00"), ("92.5", "9.25"), ("120", "10.00"), ("60", "6.00"), ("59.9", "0.00")],
)
def test_ratio_rectification_rate_vs_100_percent(value, points):
    card = score_one(RECTIFICATION, IndicatorInput(value=D(value)))
    item = card.indicators["2.3"]
    assert item.points == D(points)
    assert str(item.points) == points
    line = item.lines[0]
    assert line.rule == ("ratio floor" if D(value) < 60 else "ratio")
    assert value in line.input
    assert_explained(card)


def test_ratio_rounds_half_up_from_the_exact_product():
    third = Indicator("1", "r", D(10), Method.RATIO, target=D(3))
    assert points_of(score_one(third, IndicatorInput(value=D(1))), "1") == D("3.33")
    eighth = Indicator("1", "r", D(1), Method.RATIO, target=D(8))
    assert points_of(score_one(eighth, IndicatorInput(value=D(1))), "1") == D("0.13")


TASKS = Indicator(
    "4.1",
    "Task elements completed",
    D(10),
    Method.TIERS,
    criteria=">=95% -> 10, >=90% -> 8, else 0",
    tiers=(Tier(D(95), D(10)), Tier(D(90), D(8))),
)


@pytest.mark.parametrize(
    ("value", "points", "rule"),
    [
        ("100", 10, "tier >= 95"),
        ("95", 10, "tier >= 95"),
        ("94.99", 8, "tier >= 90"),
        ("90", 8, "tier >= 90"),
        ("89.9", 0, "tiers"),
    ],
)
def test_tiers_95_gives_10_90_gives_8_else_0(value, points, rule):
    item = score_one(TASKS, IndicatorInput(value=D(value))).indicators["4.1"]
    assert item.points == points
    assert item.lines[0].rule == rule
    assert item.lines[0].input == f"value {value}"


def test_tiers_in_any_order_still_pick_the_best_reached():
    shuffled = Indicator(
        "4.1", "t", D(10), Method.TIERS, tiers=(Tier(D(90), D(8)), Tier(D(95), D(10)))
    )
    assert points_of(score_one(shuffled, IndicatorInput(value=D(97))), "4.1") == 10


STATEMENTS = Indicator("1.1", "Responsibility statements signed", D(4), Method.BOOLEAN)


def test_boolean_done_earns_max_and_not_done_zero():
    assert points_of(score_one(STATEMENTS, IndicatorInput(done=True)), "1.1") == 4
    item = score_one(STATEMENTS, IndicatorInput(done=False)).indicators["1.1"]
    assert (item.points, item.lines[0].input) == (0, "not done")


@pytest.mark.parametrize(
    ("indicator", "entry"),
    [
        (Indicator("1", "m", D(10), Method.MANUAL), IndicatorInput(value=D(5))),
        (RECTIFICATION, IndicatorInput(done=True)),
        (TASKS, IndicatorInput(points=D(5))),
        (STATEMENTS, IndicatorInput(value=D(1))),
        (STATEMENTS, None),
    ],
)
def test_missing_input_scores_zero_with_a_no_input_line(indicator, entry):
    # The wrong kind of input for the method is ignored, so these are all missing.
    item = score_one(indicator, entry).indicators[indicator.code]
    assert (item.points, item.missing, item.not_applicable) == (0, True, False)
    assert item.lines[0].rule == "no input"


def test_manual_points_are_quantized_half_up_and_quoted():
    manual = Indicator("1", "Leadership", D(10), Method.MANUAL, criteria="leaders study safety")
    item = score_one(manual, IndicatorInput(points=D("7.125"), note="minutes 12")).indicators["1"]
    assert item.points == D("7.13")
    assert item.lines[0].input == "entered 7.125"
    assert '"leaders study safety"' in item.lines[0].text
    assert "minutes 12" in item.lines[0].text


def test_int_and_str_inputs_are_taken_as_decimals():
    manual = Indicator("1", "m", D(10), Method.MANUAL)
    assert points_of(score_one(manual, IndicatorInput(points=7)), "1") == D("7.00")  # type: ignore[arg-type]
    assert points_of(score_one(RECTIFICATION, IndicatorInput(value="92.5")), "2.3") == D("9.25")  # type: ignore[arg-type]


def test_the_callers_decimal_context_does_not_change_scores():
    with decimal.localcontext() as context:
        context.prec = 3
        context.rounding = decimal.ROUND_DOWN
        card = score_one(
            Indicator("1", "r", D(10), Method.RATIO, target=D(3)), IndicatorInput(value=D(1))
        )
    assert points_of(card, "1") == D("3.33")


# --- a 100-point template: N/A, category caps, bonus, vetoes -------------------------------------


def hundred_points() -> Template:
    return Template(
        total_points=D(100),
        bonus_cap=D(5),
        grades=GRADES,
        categories=(
            Category(
                "1",
                "Responsibilities",
                D(30),
                indicators=(
                    Indicator("1.1", "Statements signed", D(10), Method.BOOLEAN),
                    Indicator("1.2", "Leadership", D(20), Method.MANUAL),
                ),
            ),
            Category(
                "2",
                "Sector supervision",
                D(70),
                indicators=(
                    Indicator("2.1", "Hazardous chemicals", D(30), Method.MANUAL),
                    Indicator("2.2", "Road transport", D(30), Method.MANUAL),
                    Indicator("2.3", "Coal mines", D(10), Method.MANUAL),
                ),
            ),
            Category(
                "B",
                "Bonus",
                D(6),
                bonus=True,
                indicators=(
                    Indicator("B.1", "Innovation", D(3), Method.BONUS),
                    Indicator("B.2", "Commended by the province", D(3), Method.BONUS),
                ),
            ),
        ),
        veto_rules=(VetoRule("V1", "Larger accident", "a larger or worse accident"),),
    )


def entries(points: dict[str, str]) -> dict[str, IndicatorInput]:
    """Manual entries: indicator code -> points."""
    return {code: IndicatorInput(points=D(value)) for code, value in points.items()}


def test_not_applicable_coal_mine_81_earned_normalises_to_90():
    template = hundred_points()
    assert validate_template(template) == []
    given = entries({"1.2": "16", "2.1": "25", "2.2": "30"})
    given["1.1"] = IndicatorInput(done=True)
    given["2.3"] = IndicatorInput(not_applicable=True, note="no coal mine in the township")
    card = score(template, AssessmentInput(entries=given))
    coal = card.indicators["2.3"]
    assert (coal.points, coal.not_applicable, coal.missing) == (0, True, False)
    assert "no coal mine" in coal.lines[0].text
    assert card.earned == D(81)
    assert card.attainable == D(90)
    assert card.categories["2"].attainable == D(60)
    assert card.normalised == D("90.00")
    assert str(card.normalised) == "90.00"
    assert card.total == D("90.00")
    assert card.grade is Grade.EXCELLENT
    normalisation = card.lines[-1]
    assert normalisation.rule == "normalisation"
    assert normalisation.points == D(9)
    assert normalisation.input == "earned 81.00 / attainable 90.00 x 100.00"
    assert_explained(card)


def test_nothing_not_applicable_means_normalised_equals_earned():
    card = score(
        hundred_points(), AssessmentInput(entries={"1.2": IndicatorInput(points=D("17.5"))})
    )
    assert card.normalised == card.earned == D("17.50")
    assert card.attainable == 100
    assert not [line for line in card.lines if line.rule == "normalisation"]


def test_everything_not_applicable_scores_zero():
    na = {code: IndicatorInput(not_applicable=True) for code in ("1.1", "1.2", "2.1", "2.2", "2.3")}
    card = score(hundred_points(), AssessmentInput(entries=na))
    assert (card.attainable, card.normalised, card.total) == (0, 0, 0)
    assert card.grade is Grade.UNQUALIFIED


def test_bonus_is_capped_outside_the_normalised_total():
    given = {
        "2.3": IndicatorInput(not_applicable=True),
        "1.2": IndicatorInput(points=D(18)),
        "B.1": IndicatorInput(points=D(3), note="provincial pilot"),
        "B.2": IndicatorInput(points=D("2.5")),
    }
    card = score(hundred_points(), AssessmentInput(entries=given))
    assert card.categories["B"].points == D("5.50")
    assert card.bonus == D(5)
    assert card.normalised == D("20.00")  # 18 / 90 x 100, the bonus is not scaled
    assert card.total == D("25.00")
    cap = next(line for line in card.lines if line.rule == "bonus cap")
    assert cap.points == D("-0.50")
    assert_explained(card)


def test_category_cap_shows_as_a_negative_line():
    # A category declaring less than its items: "deduct until the category is exhausted".
    template = Template(
        total_points=D(10),
        bonus_cap=D(0),
        grades=Grades(D(9), D(8), D(6)),
        categories=(
            Category(
                "1",
                "Drills",
                D(10),
                indicators=(
                    Indicator("1.1", "a", D(8), Method.MANUAL),
                    Indicator("1.2", "b", D(8), Method.MANUAL),
                ),
            ),
        ),
    )
    assert any("add up" in p.message and p.path == "1" for p in validate_template(template))
    card = score(template, AssessmentInput(entries=entries({"1.1": "7", "1.2": "6"})))
    category = card.categories["1"]
    assert category.points == D(10)
    assert category.attainable == D(10)
    assert [(line.rule, line.points, line.code) for line in category.lines] == [
        ("category cap", D(-3), "1")
    ]
    assert category.lines[0] in card.lines
    assert card.total == 10
    assert_explained(card)


def test_veto_grades_unqualified_whatever_the_total():
    full = {
        "1.1": IndicatorInput(done=True),
        **{
            c: IndicatorInput(points=D(m))
            for c, m in (("1.2", 20), ("2.1", 30), ("2.2", 30), ("2.3", 10))
        },
    }
    clean = score(hundred_points(), AssessmentInput(entries=full))
    assert (clean.total, clean.grade, clean.vetoed) == (100, Grade.EXCELLENT, False)
    vetoes = (
        Veto("V1", "larger accident on 2026-05-02", evidence="accident report 17"),
        Veto("auto:concealed", "concealed accident"),  # not a template rule: still honoured
    )
    card = score(hundred_points(), AssessmentInput(entries=full, vetoes=vetoes))
    assert card.total == 100
    assert card.grade is Grade.UNQUALIFIED
    assert card.vetoed
    assert card.vetoes == vetoes
    veto_lines = [line for line in card.lines if line.rule == "veto"]
    assert [line.input for line in veto_lines] == ["rule V1", "rule auto:concealed"]
    assert "accident report 17" in veto_lines[0].text
    assert_explained(card)


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("90", Grade.EXCELLENT),
        ("89.99", Grade.GOOD),
        ("80", Grade.GOOD),
        ("60", Grade.QUALIFIED),
        ("59.99", Grade.UNQUALIFIED),
    ],
)
def test_grades_by_template_thresholds(total, grade):
    manual = Indicator("1", "All", D(100), Method.MANUAL)
    template = Template(D(100), D(0), GRADES, (Category("1", "c", D(100), indicators=(manual,)),))
    card = score(template, AssessmentInput(entries={"1": IndicatorInput(points=D(total))}))
    assert card.grade is grade


# --- review: adjustments, spot checks, compare ---------------------------------------------------


def test_adjustment_replaces_points_with_the_reviewers_reason():
    card = score_one(
        HAZARDS,
        IndicatorInput(counts={"a": 1}),
        adjustments={"2.1": Adjustment(D(5), "two more hazards found in the ledger")},
    )
    item = card.indicators["2.1"]
    assert (item.points, item.adjusted) == (D(5), True)
    line = item.lines[-1]
    assert (line.rule, line.points, line.text) == (
        "adjustment",
        D(-3),
        "two more hazards found in the ledger",
    )
    assert line.input == "computed 8.00 -> 5.00"
    assert_explained(card)


def test_adjustment_of_a_missing_item_sets_its_points():
    card = score_one(STATEMENTS, adjustments={"1.1": Adjustment(D(4), "statements seen on site")})
    item = card.indicators["1.1"]
    assert (item.points, item.missing, item.adjusted) == (D(4), True, True)


def test_spot_check_deducts_after_the_adjustment_quoting_the_finding():
    finding = "四不两直: fire exits blocked at the Qixing market"
    card = score_one(
        HAZARDS,
        IndicatorInput(counts={"a": 1}),
        adjustments={"2.1": Adjustment(D(6), "photo evidence")},
        spot_checks=(SpotCheck("2.1", D(2), finding), SpotCheck("2.1", D(5), "second finding")),
    )
    item = card.indicators["2.1"]
    assert item.points == 0
    assert [line.rule for line in item.lines] == [
        "max",
        "clause a",
        "adjustment",
        "spot check",
        "spot check",
        "floor",
    ]
    assert item.lines[3].text == finding
    assert item.lines[3].points == D(-2)
    assert item.lines[5].points == D(1)
    assert_explained(card)


def test_compare_gives_the_gap_between_self_and_reviewed():
    given = {
        "1.1": IndicatorInput(done=True),
        "1.2": IndicatorInput(points=D(20)),
        "2.1": IndicatorInput(points=D(30)),
    }
    self_card = score(hundred_points(), AssessmentInput(entries=given))
    reviewed = score(
        hundred_points(),
        AssessmentInput(
            entries=given,
            adjustments={"1.2": Adjustment(D("15.5"), "no study minutes")},
            spot_checks=(SpotCheck("2.1", D(3), "storage permits lapsed"),),
        ),
    )
    gap = compare(self_card, reviewed)
    assert gap.indicators == {"1.2": D("-4.5"), "2.1": D(-3)}
    assert gap.total == D("-7.5")
    assert compare(self_card, self_card).indicators == {}
    with pytest.raises(ValueError, match="same indicators"):
        compare(self_card, score_one(STATEMENTS))


# --- a 1,000-point standardisation template ------------------------------------------------------


def standardisation_template() -> Template:
    """AQ/T 9006 style: 13 elements, 1,000 points, items of every method."""
    weights = [60, 80, 60, 90, 60, 110, 90, 100, 70, 80, 60, 70, 70]
    assert sum(weights) == 1000
    elements = []
    for number, weight in enumerate(weights, start=1):
        half = weight // 2
        items = (
            Indicator(
                f"{number}.1",
                f"Element {number} documents",
                D(half),
                Method.DEDUCTION,
                clauses=(
                    Clause("a", K.ZERO, "no such system: 0 points"),
                    Clause("b", K.FIXED, "not issued as a document: deduct 1", D(1)),
                    Clause("c", K.PER_OCCURRENCE, "deduct 1 per missing unit", D(1)),
                ),
            ),
            Indicator(
                f"{number}.2",
                f"Element {number} coverage",
                D(weight - half - 10),
                Method.RATIO,
                target=D(100),
            ),
            Indicator(f"{number}.3", f"Element {number} on site", D(10), Method.BOOLEAN),
        )
        elements.append(Category(str(number), f"Element {number}", D(weight), indicators=items))
    return Template(D(1000), D(0), Grades(D(900), D(750), D(600)), tuple(elements))


def test_a_1000_point_template_is_scored_as_it_is():
    template = standardisation_template()
    assert validate_template(template) == []
    assert sum(1 for _ in template.indicators()) == 39
    full = {}
    for path, indicator in template.indicators():
        assert path[0].code == indicator.code.split(".")[0]
        if indicator.method is Method.RATIO:
            full[indicator.code] = IndicatorInput(value=D(100))
        elif indicator.method is Method.BOOLEAN:
            full[indicator.code] = IndicatorInput(done=True)
    card = score(template, AssessmentInput(entries=full))
    assert card.total == card.normalised == card.earned == D(1000)
    assert card.grade is Grade.EXCELLENT

    given = dict(full)
    given["1.1"] = IndicatorInput(counts={"b": 1, "c": 2})  # 30 - 3
    given["6.2"] = IndicatorInput(value=D("87.5"))  # 45 x 0.875 = 39.375 -> 39.38
    given["13.3"] = IndicatorInput(not_applicable=True)  # attainable 990
    card = score(template, AssessmentInput(entries=given))
    assert card.earned == D(1000) - 3 - D("5.62") - 10
    assert card.attainable == 990
    assert card.normalised == (card.earned / 990 * 1000).quantize(D("0.01"))
    assert card.grade is Grade.EXCELLENT
    assert_explained(card)
    assert template.indicator("6.2").max_points == 45


# --- templates and inputs the engine refuses ---------------------------------------------------


def test_template_lookups():
    template = hundred_points()
    paths = {indicator.code: [c.code for c in path] for path, indicator in template.indicators()}
    assert paths["2.3"] == ["2"]
    assert paths["B.1"] == ["B"]
    with pytest.raises(KeyError):
        template.indicator("nope")


def _broken(**changes) -> Template:
    """The 100-point template with one category replaced or one field changed."""
    template = hundred_points()
    categories = list(template.categories)
    if "category" in changes:
        categories[1] = changes.pop("category")
    fields = {
        "total_points": template.total_points,
        "bonus_cap": template.bonus_cap,
        "grades": template.grades,
        "categories": tuple(categories),
        "veto_rules": template.veto_rules,
    }
    fields.update(changes)
    return Template(**fields)


def _sector(*indicators: Indicator, max_points: int = 70, bonus: bool = False) -> Category:
    """Category 2 holding these indicators, topped up with manual filler to add up to 70."""
    rest = D(max_points) - sum((i.max_points for i in indicators), start=D(0))
    filler = (Indicator("2.9", "filler", rest, Method.MANUAL),) if rest > 0 else ()
    return Category(
        "2", "Sector supervision", D(max_points), indicators=(*indicators, *filler), bonus=bonus
    )


def _with_items(*indicators: Indicator) -> Template:
    return _broken(category=_sector(*indicators))


def _tiers(*tiers: tuple[int, int]) -> Template:
    """Indicator 2.1 (10 points) scored by these (min value, points) tiers."""
    chosen = tuple(Tier(D(low), D(points)) for low, points in tiers)
    return _with_items(Indicator("2.1", "t", D(10), Method.TIERS, tiers=chosen))


def _ratio(target: int | None, floor: int | None = None) -> Template:
    target_ = None if target is None else D(target)
    floor_ = None if floor is None else D(floor)
    return _with_items(Indicator("2.1", "r", D(10), Method.RATIO, target=target_, floor=floor_))


def _clauses(*clauses: Clause) -> Template:
    return _with_items(Indicator("2.1", "d", D(10), Method.DEDUCTION, clauses=clauses))


def _manual(code: str, points: str) -> Indicator:
    return Indicator(code, "m", D(points), Method.MANUAL)


EMPTY = Category("2", "empty", D(70))
SHORT = Category("2", "short", D(70), indicators=(_manual("2.1", "60"),))
BONUS_IN_SCORED = _with_items(Indicator("2.1", "b", D(5), Method.BONUS))
SCORED_IN_BONUS = _broken(category=_sector(_manual("2.1", "70"), bonus=True), total_points=D(30))
FIXED = Clause("a", K.FIXED, "x", D(1))

TEMPLATE_PROBLEMS = [
    ("categories", "add up", _broken(total_points=D(120))),
    ("total_points", "above 0", _broken(total_points=D(0))),
    ("bonus_cap", "must not be negative", _broken(bonus_cap=D(-1))),
    ("2", "add up", _broken(category=SHORT)),
    ("2", "holds no indicators", _broken(category=EMPTY)),
    ("2/1.1", "duplicate indicator code", _with_items(_manual("1.1", "10"))),
    ("2/2.1", "above 0", _with_items(_manual("2.1", "0"), _manual("2.2", "70"))),
    ("2/2.1", "two decimal places", _with_items(_manual("2.1", "10.005"))),
    ("2/2.1", "at least one tier", _tiers()),
    ("2/2.1/tier 1", "strictly descending", _tiers((90, 8), (95, 8))),
    ("2/2.1/tier 1", "must not earn more", _tiers((95, 8), (90, 10))),
    ("2/2.1/tier 0", "exceed the max", _tiers((95, 12))),
    ("2/2.1/tier 0", "must not be negative", _tiers((95, -1))),
    ("2/2.1", "needs a target", _ratio(None)),
    ("2/2.1", "target must be above 0", _ratio(0)),
    ("2/2.1", "floor", _ratio(90, floor=90)),
    ("2/2.1", "at least one clause", _clauses()),
    ("2/2.1/clause a", "points must be above 0", _clauses(Clause("a", K.PER_OCCURRENCE, "x"))),
    ("2/2.1/clause b", "threshold", _clauses(FIXED, Clause("b", K.CASCADE, "y", D(5)))),
    ("2/2.1/clause a", "duplicate clause key", _clauses(FIXED, FIXED)),
    ("2/2.1", "belong in bonus categories", BONUS_IN_SCORED),
    ("2/2.1", "only bonus indicators", SCORED_IN_BONUS),
    ("B/B.1", "exceed the bonus cap", _broken(bonus_cap=D(2))),
    ("grades", "thresholds must fall", _broken(grades=Grades(D(80), D(90), D(60)))),
    ("grades", "thresholds must fall", _broken(grades=Grades(D(90), D(80), D(-1)))),
    ("grades", "above the total", _broken(grades=Grades(D(101), D(80), D(60)))),
    ("veto V1", "duplicate", _broken(veto_rules=(VetoRule("V1", "a"), VetoRule("V1", "b")))),
]


@pytest.mark.parametrize(
    ("path", "message", "template"),
    TEMPLATE_PROBLEMS,
    ids=[f"{p} {m}" for p, m, _ in TEMPLATE_PROBLEMS],
)
def test_validate_template_names_the_item(path, message, template):
    problems = validate_template(template)
    assert any(p.path == path and message in p.message for p in problems), problems


def test_duplicate_category_codes_and_bonus_subcategories():
    sub = Category(
        "1", "again", D(10), indicators=(Indicator("2.5", "x", D(10), Method.MANUAL),), bonus=True
    )
    category = Category(
        "2",
        "s",
        D(70),
        indicators=(Indicator("2.1", "x", D(60), Method.MANUAL),),
        categories=(sub,),
    )
    problems = validate_template(_broken(category=category))
    assert any(p.path == "2/1" and "duplicate category code" in p.message for p in problems)
    assert any(p.path == "2/1" and "bonus category exactly when" in p.message for p in problems)


def test_unscorable_templates_are_refused_by_the_scorer():
    template = _broken(category=_sector(Indicator("2.1", "r", D(10), Method.RATIO)))
    with pytest.raises(InvalidTemplate) as refused:
        score(template, AssessmentInput())
    assert refused.value.problems[0].path == "2/2.1"


MANUAL = Indicator("1.5", "Leadership", D(10), Method.MANUAL)
BONUS = Indicator("1.6", "Bonus", D(3), Method.BONUS)


def _entry(code: str, **fields) -> AssessmentInput:
    return AssessmentInput(entries={code: IndicatorInput(**fields)})


def _adjust(code: str, points: int, reason: str = "why", **entry) -> AssessmentInput:
    entries = {code: IndicatorInput(**entry)} if entry else {}
    return AssessmentInput(entries=entries, adjustments={code: Adjustment(D(points), reason)})


def _spot(code: str, points: int, finding: str = "blocked exit") -> AssessmentInput:
    return AssessmentInput(spot_checks=(SpotCheck(code, D(points), finding),))


INVALID_INPUTS = [
    (MANUAL, _entry("1.5", points=D(11)), "1.5", "points"),
    (MANUAL, _entry("1.5", points=D(-1)), "1.5", "points"),
    (MANUAL, _entry("1.5", points="lots"), "1.5", "points"),
    (MANUAL, _entry("1.5", points=D("NaN")), "1.5", "points"),
    (BONUS, _entry("1.6", points=D(4)), "1.6", "points"),
    (RECTIFICATION, _entry("2.3", value=D(-1)), "2.3", "value"),
    (TASKS, _entry("4.1", value=D("-0.1")), "4.1", "value"),
    (STATEMENTS, _entry("1.1", done="yes"), "1.1", "done"),
    (HAZARDS, _entry("2.1", counts={"a": -1}), "2.1", "counts.a"),
    (HAZARDS, _entry("2.1", counts={"z": 1}), "2.1", "counts.z"),
    (HAZARDS, _entry("2.1", counts={"a": 1.5}), "2.1", "counts.a"),
    (MANUAL, _entry("7.7", points=D(1)), "7.7", "entry"),
    (MANUAL, _adjust("1.5", 11), "1.5", "adjustment"),
    (MANUAL, _adjust("1.5", 5, reason="  "), "1.5", "adjustment"),
    (MANUAL, _adjust("7.7", 5), "7.7", "adjustment"),
    (MANUAL, _adjust("1.5", 5, not_applicable=True), "1.5", "adjustment"),
    (MANUAL, _spot("1.5", 0), "1.5", "spot_check"),
    (MANUAL, _spot("7.7", 1), "7.7", "spot_check"),
    (MANUAL, _spot("1.5", 1, finding=""), "1.5", "spot_check"),
    (MANUAL, AssessmentInput(vetoes=(Veto("V1", ""),)), "V1", "veto"),
]


@pytest.mark.parametrize(("indicator", "assessment", "code", "field"), INVALID_INPUTS)
def test_invalid_input_names_code_and_field(indicator, assessment, code, field):
    with pytest.raises(InvalidInput) as refused:
        score(one_item(indicator), assessment)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert code in str(refused.value) and field in str(refused.value)


def test_score_many_scores_each_unit_and_names_a_refused_one():
    template = hundred_points()
    units = {
        "330402": AssessmentInput(entries={"1.2": IndicatorInput(points=D(12))}),
        "330402015": AssessmentInput(entries={"2.3": IndicatorInput(not_applicable=True)}),
    }
    cards = score_many(template, units)
    assert cards == {unit: score(template, assessment) for unit, assessment in units.items()}
    bad = {**units, "510800": AssessmentInput(entries={"1.2": IndicatorInput(points=D(99))})}
    with pytest.raises(InvalidInput) as refused:
        score_many(template, bad)
    assert refused.value.unit == "510800"


def test_the_engine_is_pure_standard_library():
    """No ORM, no web, no other project package: inputs in, scores out."""
    engine = Path(__file__).resolve().parents[2] / "scoring" / "engine"
    imported = set()
    for path in engine.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
    outside = {
        name
        for name in imported
        if name.split(".")[0] not in sys.stdlib_module_names
        and not name.startswith("scoring.engine")
        and name != "__future__"
    }
    assert outside == set()
    assert "scoring.engine.model" in imported


# --- explanations in the template's language ---------------------------------------------------


def test_every_wording_takes_only_fields_the_scorer_fills_in():
    from string import Formatter

    from scoring.engine.words import EN, WORDS

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in Formatter().parse(text) if name}

    for language, words in WORDS.items():
        for name in EN.__slots__:
            # The scorer fills in what the English wording names; another may leave some out.
            assert fields(getattr(words, name)) <= fields(getattr(EN, name)), (language, name)


def test_a_chinese_template_is_explained_in_chinese():
    zh = replace(two_categories((RESPONSIBILITY,), ()), language="zh")
    entries = {"5_1": IndicatorInput(counts={"a": 6, "b": 1}), "1_9": IndicatorInput(points=D(30))}
    entries["1_9"] = IndicatorInput(not_applicable=True)
    card = score(zh, full_marks(zh, **entries))
    lines = [(line.rule, line.input, line.text) for line in card.explain()]
    assert ("满分", "分值10.00", "Safety management systems") in lines
    assert ("条款a", "6处 × 2.00", '"每缺一项制度，扣2分"') in lines
    assert ("扣完为止", "应扣22.00 > 分值10.00", "扣完本项分值为止") in lines
    extra = next(line for line in card.lines if line.rule == "加扣 条款b")
    assert (
        extra.text
        == '"未建立安全生产责任制的，除本小项不得分外，加扣20分"：除5.1不得分外，总分另扣20.00分'
    )
    assert any(line.rule == "缺项" for line in card.explain())
    assert any(line.rule == "折算" and "分制" in line.text for line in card.lines)
    assert_explained(card)
    # The same template in English says the same in English, to the cent.
    english = score(replace(zh, language="en"), full_marks(zh, **entries))
    assert english.total == card.total
    assert [line.points for line in english.explain()] == [line.points for line in card.explain()]


def test_an_unknown_language_is_a_template_problem():
    with pytest.raises(InvalidTemplate) as raised:
        score(replace(one_item(HAZARDS), language="fr"), AssessmentInput())
    assert "unknown language 'fr'" in str(raised.value)


# --- fewer grades -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grades", "total", "grade"),
    [
        (Grades(None, None, D(60)), "95.00", Grade.QUALIFIED),  # 合格 / 不合格
        (Grades(None, None, D(60)), "59.00", Grade.UNQUALIFIED),
        (Grades(None, D(75), D(60)), "95.00", Grade.GOOD),  # three grades: no excellent
        (Grades(D(90), D(75), D(60)), "95.00", Grade.EXCELLENT),
    ],
)
def test_a_template_with_fewer_grades_grades_within_them(grades, total, grade):
    template = replace(one_item(Indicator("1", "x", D(10), Method.MANUAL)), grades=grades)
    entries = {"1": IndicatorInput(points=D(10)), "9.9": IndicatorInput(points=D(total) - 10)}
    card = score(template, AssessmentInput(entries=entries))
    assert (card.total, card.grade) == (D(total), grade)


def test_an_excellent_grade_needs_a_good_one():
    template = replace(one_item(HAZARDS), grades=Grades(D(90), None, D(60)))
    problems = validate_template(template)
    assert [p.message for p in problems] == [
        "a template with an excellent grade has a good one too"
    ]
    falling = replace(one_item(HAZARDS), grades=Grades(None, D(50), D(60)))
    assert [p.message for p in validate_template(falling)] == [
        "thresholds must fall: good 50 > qualified 60 >= 0"
    ]


def test_a_group_s_thresholds_grade_the_total_in_place_of_the_template_s():
    """分类考核: the same 87 points are good by the template's 90 and excellent in a group
    graded from 85; the points and a veto's unqualified do not move."""
    entry = IndicatorInput(points=D(87))
    indicator = Indicator("1.1", "Everything", D(100), Method.MANUAL)
    template = Template(D(100), D(5), GRADES, (Category("1", "C", D(100), (indicator,)),))
    towns = Grades(excellent=D(85), good=D(75), qualified=D(60))
    plain = score(template, AssessmentInput(entries={"1.1": entry}))
    grouped = score(template, AssessmentInput(entries={"1.1": entry}, grades=towns))
    assert (plain.total, plain.grade) == (grouped.total, Grade.GOOD) == (D(87), Grade.GOOD)
    assert grouped.grade is Grade.EXCELLENT
    veto = Veto("V1", "较大事故")
    vetoed = score(template, AssessmentInput(entries={"1.1": entry}, vetoes=(veto,), grades=towns))
    assert vetoed.grade is Grade.UNQUALIFIED
