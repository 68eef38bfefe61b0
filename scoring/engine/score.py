"""The scorer: an assessment against a template gives a scorecard where every point is explained.

Order per indicator: the method's points (or 0 when not applicable), then a reviewer's
adjustment replaces them, then spot-check findings deduct, floored at 0. Categories sum their
children, cap at their max and lose their items' extra clauses' points (加扣); the card
normalises the earned points over the attainable total, loses the extra points aimed at the
total, adds the capped bonus and grades the total (any veto grades it unqualified). A yellow
card is explained on the card and changes no point and no grade.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, localcontext
from typing import TypeVar

from scoring.engine.deduction import score_deduction, superseded_elsewhere
from scoring.engine.errors import InvalidInput
from scoring.engine.methods import (
    number,
    points_within_max,
    score_bonus,
    score_boolean,
    score_manual,
    score_ratio,
    score_tiers,
)
from scoring.engine.model import (
    Adjustment,
    AssessmentInput,
    CategoryScore,
    ClauseScope,
    Gap,
    Grade,
    Grades,
    IndicatorInput,
    IndicatorScore,
    Line,
    Method,
    Scorecard,
    SpotCheck,
    Template,
    Veto,
)
from scoring.engine.plan import (
    CompiledClause,
    CompiledIndicator,
    CompiledTemplate,
    Outcome,
    compile_template,
    not_applicable_line,
)
from scoring.engine.rounding import CONTEXT, ZERO, quantize
from scoring.engine.words import Words

K = TypeVar("K")

_METHODS: dict[Method, Callable[[CompiledIndicator, IndicatorInput | None], Outcome]] = {
    Method.MANUAL: score_manual,
    Method.DEDUCTION: score_deduction,
    Method.RATIO: score_ratio,
    Method.TIERS: score_tiers,
    Method.BOOLEAN: score_boolean,
    Method.BONUS: score_bonus,
}

# An extra clause that triggered: the clause, the code of its item, its count.
_Extra = tuple[CompiledClause, str, int]


def score(
    template: Template | CompiledTemplate,
    assessment: AssessmentInput,
    *,
    alike: tuple[AssessmentInput, Scorecard] | None = None,
) -> Scorecard:
    """Score one unit's assessment against a template, or against one compiled once with
    :func:`compile_template` (compiling costs several times the scoring of one unit).

    ``alike``: another input scored against the same template, and its card (the unit's self
    card, when scoring the reviewed one). An indicator whose entry is the very same object in
    both, with no adjustment or spot check in either and the same clauses superseded by a
    shared fact, keeps that card's score instead of being scored again: the scorer is pure, so
    the same inputs give the same score. A reviewed card differs from its self card in the few
    indicators a reviewer touched; a recompute scores both for every assessment."""
    compiled = template if isinstance(template, CompiledTemplate) else compile_template(template)
    with localcontext(CONTEXT):
        return _score(compiled, assessment, alike)


def score_many(template: Template, assessments: Mapping[K, AssessmentInput]) -> dict[K, Scorecard]:
    """Score many units against one template, compiling it once: the batch path for a country.

    An InvalidInput names the refused unit's key in its `unit` attribute.
    """
    compiled = compile_template(template)
    cards: dict[K, Scorecard] = {}
    with localcontext(CONTEXT):
        for unit, assessment in assessments.items():
            try:
                cards[unit] = _score(compiled, assessment)
            except InvalidInput as error:
                error.unit = unit
                raise
    return cards


def compare(self_card: Scorecard, reviewed_card: Scorecard) -> Gap:
    """Reviewed minus self-assessed points per indicator (only where they differ) and in total.

    Both cards must come from the same template; ValueError otherwise.
    """
    if self_card.indicators.keys() != reviewed_card.indicators.keys():
        raise ValueError("the two scorecards do not score the same indicators")
    differences = {
        code: reviewed.points - self_card.indicators[code].points
        for code, reviewed in reviewed_card.indicators.items()
        if reviewed.points != self_card.indicators[code].points
    }
    return Gap(indicators=differences, total=reviewed_card.total - self_card.total)


def grade_of(total: Decimal, grades: Grades, vetoed: bool) -> Grade:
    """The grade a total reaches; a veto fails the unit whatever its total."""
    if vetoed:
        return Grade.UNQUALIFIED
    if grades.excellent is not None and total >= grades.excellent:
        return Grade.EXCELLENT
    if grades.good is not None and total >= grades.good:
        return Grade.GOOD
    if total >= grades.qualified:
        return Grade.QUALIFIED
    return Grade.UNQUALIFIED


def _spot_checks(
    compiled: CompiledTemplate, spot_checks: tuple[SpotCheck, ...]
) -> dict[str, list[tuple[Decimal, SpotCheck]]]:
    by_indicator: dict[str, list[tuple[Decimal, SpotCheck]]] = {}
    for check in spot_checks:
        code = check.indicator
        if code not in compiled.by_code:
            raise InvalidInput(code, "spot_check", "no such indicator in the template")
        indicator = compiled.indicators[compiled.by_code[code]]
        points = number(indicator, "spot_check", check.points)
        if points <= 0:
            raise InvalidInput(code, "spot_check", f"deducts {points}: must be above 0")
        if not check.finding.strip():
            raise InvalidInput(code, "spot_check", "a spot check must state its finding")
        by_indicator.setdefault(code, []).append((quantize(points), check))
    return by_indicator


def _check_codes(compiled: CompiledTemplate, assessment: AssessmentInput) -> None:
    for code in assessment.entries:
        if code not in compiled.by_code:
            raise InvalidInput(code, "entry", "no such indicator in the template")
    for code in assessment.adjustments:
        if code not in compiled.by_code:
            raise InvalidInput(code, "adjustment", "no such indicator in the template")
    for veto in assessment.vetoes:
        if not veto.reason.strip():
            raise InvalidInput(veto.rule, "veto", "a veto must state its reason")
    for card in assessment.yellow_cards:
        if not card.reason.strip():
            raise InvalidInput(card.rule, "yellow card", "a yellow card must state its reason")


def _score_indicator(
    indicator: CompiledIndicator,
    entry: IndicatorInput | None,
    adjustment: Adjustment | None,
    checks: list[tuple[Decimal, SpotCheck]] | None,
    elsewhere: Mapping[str, str] | None,
) -> IndicatorScore:
    code = indicator.code
    not_applicable = False
    if entry is not None and entry.not_applicable:
        not_applicable = True
        line = indicator.not_applicable_line
        if entry.note:
            line = not_applicable_line(code, entry.note, indicator.words)
        points, lines, missing = ZERO, (line,), False
    elif elsewhere:
        points, lines, missing = score_deduction(indicator, entry, elsewhere)
    else:
        points, lines, missing = _METHODS[indicator.method](indicator, entry)

    if adjustment is not None:
        if not_applicable:
            # Points on an item outside the attainable total would push the score past 100%.
            raise InvalidInput(code, "adjustment", "the indicator is marked not applicable")
        adjusted = quantize(points_within_max(indicator, "adjustment", adjustment.points))
        if not adjustment.reason.strip():
            raise InvalidInput(code, "adjustment", "an adjustment must state its reason")
        words = indicator.words
        said = words.adjustment_input.format(points=points, adjusted=adjusted)
        line = Line(words.adjustment, said, adjustment.reason, adjusted - points, code)
        lines = (*lines, line)
        points = adjusted

    if checks:
        words = indicator.words
        extra = []
        for deduction, check in checks:
            said = words.spot_check_input.format(points=deduction)
            extra.append(Line(words.spot_check, said, check.finding, ZERO - deduction, code))
            points -= deduction
        if points < 0:
            said = words.spot_check_floor_input.format(points=points)
            text = words.spot_check_floor_text
            extra.append(Line(words.floor, said, text, ZERO - points, code))
            points = ZERO
        lines = (*lines, *extra)

    return IndicatorScore(
        code=code,
        max_points=indicator.max_points,
        points=points,
        not_applicable=not_applicable,
        missing=missing,
        adjusted=adjustment is not None,
        lines=lines,
    )


def _same_scores(
    compiled: CompiledTemplate,
    assessment: AssessmentInput,
    elsewhere: Mapping[str, Mapping[str, str]],
    alike: tuple[AssessmentInput, Scorecard],
) -> dict[str, IndicatorScore]:
    """The scores of ``alike``'s card that ``assessment`` would score the same, by code (see
    :func:`score`): the same entry object, no adjustment or spot check in either input, the
    same clauses superseded."""
    other, card = alike
    before = superseded_elsewhere(compiled, other.entries) if compiled.shares_facts else {}
    touched = {
        *assessment.adjustments,
        *other.adjustments,
        *(check.indicator for check in assessment.spot_checks),
        *(check.indicator for check in other.spot_checks),
    }
    entries, others = assessment.entries, other.entries
    return {
        code: card.indicators[code]
        for code in compiled.by_code
        if code not in touched
        and entries.get(code) is others.get(code)
        and elsewhere.get(code) == before.get(code)
    }


def _extras(
    compiled: CompiledTemplate, entries: Mapping[str, IndicatorInput]
) -> dict[int | None, list[_Extra]]:
    """The extra clauses that triggered, by the category index they deduct from (None: the
    total), in template order."""
    found: dict[int | None, list[_Extra]] = {}
    for index, indicator in enumerate(compiled.indicators):
        entry = entries.get(indicator.code)
        if not indicator.extras or entry is None or entry.not_applicable:
            continue
        for clause in indicator.extras:
            count = entry.counts.get(clause.key, 0)
            if count > 0:
                where = compiled.parents[index] if clause.scope is ClauseScope.CATEGORY else None
                found.setdefault(where, []).append((clause, indicator.code, count))
    return found


def _deduct_extras(
    points: Decimal, extras: list[_Extra], code: str, words: Words
) -> tuple[Decimal, tuple[Line, ...]]:
    """Points after extra clauses' deductions (加扣), floored at 0, and the lines saying so.

    `code` is the category they come off, "" for the total.
    """
    where = words.the_category.format(code=code) if code else words.the_total
    lines = []
    for clause, item, count in extras:
        rule = words.extra.format(key=clause.key)
        said = words.extra_input.format(item=item, count=count)
        text = words.extra_text.format(
            quoted=clause.quoted, item=item, points=clause.points, where=where
        )
        lines.append(Line(rule, said, text, -clause.points, code))
        points -= clause.points
    if points < 0:
        said = words.extra_floor_input.format(points=points)
        text = words.extra_floor_text.format(where=where)
        lines.append(Line(words.floor, said, text, -points, code))
        points = ZERO
    return points, tuple(lines)


def _score(
    compiled: CompiledTemplate,
    assessment: AssessmentInput,
    alike: tuple[AssessmentInput, Scorecard] | None = None,
) -> Scorecard:
    _check_codes(compiled, assessment)
    checks = _spot_checks(compiled, assessment.spot_checks) if assessment.spot_checks else {}

    entries, adjustments = assessment.entries, assessment.adjustments
    elsewhere = superseded_elsewhere(compiled, entries) if compiled.shares_facts else {}
    kept = _same_scores(compiled, assessment, elsewhere, alike) if alike is not None else {}
    # Most units have no adjustments or spot checks: skip those look-ups when there are none.
    indicator_scores = [
        kept.get(indicator.code)
        or _score_indicator(
            indicator,
            entries.get(indicator.code),
            adjustments.get(indicator.code) if adjustments else None,
            checks.get(indicator.code) if checks else None,
            elsewhere.get(indicator.code) if elsewhere else None,
        )
        for indicator in compiled.indicators
    ]
    extras = _extras(compiled, entries) if compiled.has_extras else {}
    words = compiled.words

    # Categories come children first, so one pass rolls points and attainable totals up.
    category_scores: list[CategoryScore] = []
    card_lines: list[Line] = []
    earned = bonus = taken_out = ZERO
    for category in compiled.categories:
        points = attainable = ZERO
        for index in category.indicators:
            child = indicator_scores[index]
            points += child.points
            if not child.not_applicable:
                attainable += child.max_points
        for index in category.categories:
            points += category_scores[index].points
            attainable += category_scores[index].attainable
        cap = category.max_points
        attainable = min(attainable, cap)
        lines: tuple[Line, ...] = ()
        if points > cap:
            said = words.category_cap_input.format(points=points, cap=cap)
            text = words.category_cap_text.format(code=category.code, title=category.title, cap=cap)
            lines = (Line(words.category_cap, said, text, cap - points, category.code),)
            card_lines.extend(lines)
            points = cap
        if extras.get(len(category_scores)):
            points, extra_lines = _deduct_extras(
                points, extras[len(category_scores)], category.code, words
            )
            lines = (*lines, *extra_lines)
            card_lines.extend(extra_lines)
        category_scores.append(
            CategoryScore(
                code=category.code,
                max_points=cap,
                attainable=attainable,
                points=points,
                bonus=category.bonus,
                lines=lines,
            )
        )
        if category.top_level:
            if category.bonus:
                bonus += points
            else:
                earned += points
                taken_out += cap - attainable

    total_points = compiled.total_points
    attainable = max(total_points - taken_out, ZERO)
    normalised = earned
    if attainable != total_points:
        normalised = quantize(earned * total_points / attainable) if attainable else ZERO
        said = words.normalisation_input.format(
            earned=earned, attainable=attainable, total=total_points
        )
        text = words.normalisation_text.format(total=total_points)
        card_lines.append(Line(words.normalisation, said, text, normalised - earned))
    if bonus > compiled.bonus_cap:
        cap = compiled.bonus_cap
        said = words.bonus_cap_input.format(bonus=bonus, cap=cap)
        text = words.bonus_cap_text.format(cap=cap)
        card_lines.append(Line(words.bonus_cap, said, text, cap - bonus))
        bonus = compiled.bonus_cap
    extra = ZERO
    if extras.get(None):
        after, extra_lines = _deduct_extras(normalised, extras[None], "", words)
        extra = normalised - after
        card_lines.extend(extra_lines)
    vetoes = tuple(assessment.vetoes)
    for veto in vetoes:
        said = words.veto_input.format(rule=veto.rule)
        text = words.veto_text.format(text=_veto_reason(veto, words))
        card_lines.append(Line(words.veto, said, text, ZERO))
    yellow_cards = tuple(assessment.yellow_cards)
    for card in yellow_cards:
        said = words.yellow_card_input.format(rule=card.rule)
        text = words.yellow_card_text.format(text=_veto_reason(card, words))
        card_lines.append(Line(words.yellow_card, said, text, ZERO))

    total = normalised - extra + bonus
    return Scorecard(
        indicators={item.code: item for item in indicator_scores},
        categories={item.code: item for item in category_scores},
        earned=earned,
        attainable=attainable,
        normalised=normalised,
        extra=extra,
        bonus=bonus,
        total=total,
        grade=grade_of(total, assessment.grades or compiled.grades, bool(vetoes)),
        vetoes=vetoes,
        vetoed=bool(vetoes),
        lines=tuple(card_lines),
        yellow_cards=yellow_cards,
    )


def _veto_reason(veto: Veto, words: Words) -> str:
    """A veto's or yellow card's reason, with its evidence where it names one."""
    if veto.evidence:
        return words.veto_evidence.format(reason=veto.reason, evidence=veto.evidence)
    return veto.reason
