"""The explanation's wording in a template's language: every line's rule, input and text.

A standard written in Chinese is explained in Chinese ("条款a", "计1处", "扣完为止"); English is
the default of a template that says nothing. Each entry is a format string whose named fields
the scorer fills in.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Language(enum.StrEnum):
    """The languages an explanation is written in."""

    EN = "en"
    ZH = "zh"


@dataclass(frozen=True, slots=True)
class Words:
    """The wording of every explanation line."""

    evidence: str  # the unit's note after a rule's text
    clause: str
    clause_of: str  # a clause of another item
    count: str
    count_times: str
    repeats: str  # after count_times: the occurrences after the first, deducted x factor
    capped: str  # after the input: the clause's cap reached
    judged: str
    lost: str
    same_fact: str
    floor: str
    item_floor_input: str
    item_floor_text: str
    max: str
    max_input: str
    boolean: str
    done: str
    not_done: str
    manual: str
    manual_input: str
    bonus: str
    bonus_input: str
    ratio: str
    ratio_input: str
    ratio_floor: str
    ratio_floor_input: str
    tiers: str
    tier: str
    tier_input: str
    below_tiers: str
    no_tiers: str
    no_input: str
    no_input_text: str
    not_applicable: str
    not_applicable_text: str
    adjustment: str
    adjustment_input: str
    spot_check: str
    spot_check_input: str
    spot_check_floor_input: str
    spot_check_floor_text: str
    category_cap: str
    category_cap_input: str
    category_cap_text: str
    extra: str
    extra_input: str
    extra_text: str
    extra_floor_input: str
    extra_floor_text: str
    the_total: str
    the_category: str
    normalisation: str
    normalisation_input: str
    normalisation_text: str
    bonus_cap: str
    bonus_cap_input: str
    bonus_cap_text: str
    veto: str
    veto_input: str
    veto_evidence: str
    veto_text: str
    yellow_card: str
    yellow_card_input: str
    yellow_card_text: str


EN = Words(
    evidence="{main}; evidence: {note}",
    clause="clause {key}",
    clause_of="clause {key} of {code}",
    count="count {count}",
    count_times="count {count} x {points}",
    repeats="{said}, {repeats} repeated x {factor}",
    capped="{said}, capped at {cap}",
    judged="judged {count}",
    lost="lost {lost} >= {threshold}",
    same_fact="{quoted}; same fact as {where}: not deducted",
    floor="floor",
    item_floor_input="deducted {deducted} > max {max}",
    item_floor_text="deduct until the item is exhausted: deductions stop at the item's own points",
    max="max",
    max_input="max {max}",
    boolean="boolean",
    done="done",
    not_done="not done",
    manual="manual",
    manual_input="entered {points}",
    bonus="bonus",
    bonus_input="claimed {points}",
    ratio="ratio",
    ratio_input="value {value} / target {target}",
    ratio_floor="ratio floor",
    ratio_floor_input="value {value} < floor {floor}",
    tiers="tiers",
    tier="tier >= {low}",
    tier_input="value {value}",
    below_tiers="{text}; below the lowest tier (>= {lowest}): 0",
    no_tiers="{text}; no tiers",
    no_input="no input",
    no_input_text="nothing entered for this {method} item: 0",
    not_applicable="not applicable",
    not_applicable_text="not applicable to this unit: its points leave the attainable total",
    adjustment="adjustment",
    adjustment_input="computed {points} -> {adjusted}",
    spot_check="spot check",
    spot_check_input="deduct {points}",
    spot_check_floor_input="{points} after spot checks",
    spot_check_floor_text="spot-check deductions stop at the item's own points",
    category_cap="category cap",
    category_cap_input="sum {points} > max {cap}",
    category_cap_text="{code} {title}: capped at the category's {cap} points",
    extra="extra clause {key}",
    extra_input="{item} count {count}",
    extra_text="{quoted}: besides item {item} scoring 0, {points} more off {where}",
    extra_floor_input="{points} after extra deductions",
    extra_floor_text="extra deductions stop at {where}'s 0",
    the_total="the total",
    the_category="category {code}",
    normalisation="normalisation",
    normalisation_input="earned {earned} / attainable {attainable} x {total}",
    normalisation_text=(
        "not-applicable indicators leave the attainable total; the score is scaled back to {total}"
    ),
    bonus_cap="bonus cap",
    bonus_cap_input="bonus {bonus} > cap {cap}",
    bonus_cap_text="bonus points count up to {cap}",
    veto="veto",
    veto_input="rule {rule}",
    veto_evidence="{reason}; evidence: {evidence}",
    veto_text="{text}: graded unqualified",
    yellow_card="yellow card",
    yellow_card_input="rule {rule}",
    yellow_card_text="{text}: a warning, no points off; not a commendation candidate",
)

ZH = Words(
    evidence="{main}；依据：{note}",
    clause="条款{key}",
    clause_of="{code}的条款{key}",
    count="{count}处",
    count_times="{count}处 × {points}",
    repeats="{said}，其中重复{repeats}处 × {factor}倍",
    capped="{said}，最多扣{cap}",
    judged="酌情扣{count}",
    lost="已扣{lost} ≥ {threshold}",
    same_fact="{quoted}；与{where}属同一事实，不重复扣分",
    floor="扣完为止",
    item_floor_input="应扣{deducted} > 分值{max}",
    item_floor_text="扣完本项分值为止",
    max="满分",
    max_input="分值{max}",
    boolean="是否完成",
    done="已完成",
    not_done="未完成",
    manual="评定",
    manual_input="评定{points}",
    bonus="加分",
    bonus_input="申报{points}",
    ratio="比率",
    ratio_input="实际值{value} / 目标值{target}",
    ratio_floor="比率下限",
    ratio_floor_input="实际值{value} < 下限{floor}",
    tiers="分档",
    tier="档位 ≥ {low}",
    tier_input="实际值{value}",
    below_tiers="{text}；低于最低档（≥ {lowest}），得0分",
    no_tiers="{text}；未设档位",
    no_input="未填报",
    no_input_text="本项未填报，得0分",
    not_applicable="缺项",
    not_applicable_text="本单位不涉及（缺项），其分值不计入应得分",
    adjustment="复核调整",
    adjustment_input="计算{points} → {adjusted}",
    spot_check="抽查",
    spot_check_input="扣{points}",
    spot_check_floor_input="抽查后{points}",
    spot_check_floor_text="抽查扣分以本项分值为限",
    category_cap="类别封顶",
    category_cap_input="合计{points} > 上限{cap}",
    category_cap_text="{code} {title}：以本类别{cap}分为上限",
    extra="加扣 条款{key}",
    extra_input="{item} {count}处",
    extra_text="{quoted}：除{item}不得分外，{where}另扣{points}分",
    extra_floor_input="加扣后{points}",
    extra_floor_text="加扣以{where}扣至0分为止",
    the_total="总分",
    the_category="类别{code}",
    normalisation="折算",
    normalisation_input="得分{earned} / 应得分{attainable} × {total}",
    normalisation_text="缺项不计入应得分，得分折算为{total}分制",
    bonus_cap="加分封顶",
    bonus_cap_input="加分{bonus} > 上限{cap}",
    bonus_cap_text="加分最多计{cap}分",
    veto="一票否决",
    veto_input="否决规则{rule}",
    veto_evidence="{reason}；证据：{evidence}",
    veto_text="{text}：一票否决，评为不合格",
    yellow_card="黄牌警告",
    yellow_card_input="黄牌规则{rule}",
    yellow_card_text="{text}：黄牌警告，不扣分，不列为表彰候选",
)

WORDS = {Language.EN: EN, Language.ZH: ZH}


def words_for(language: str) -> Words:
    """The wording of a language; English for one the engine does not speak."""
    try:
        return WORDS[Language(language)]
    except ValueError:
        return EN
