"""The reports' words in Chinese (the default) and English, and how they print numbers."""

from __future__ import annotations

import enum
from collections import ChainMap
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal

# Said the same way in the register's workbook (below the reports): kept there, used here.
from scoring.rankings.reasons import GRADES as GRADES
from scoring.rankings.reasons import LABELS
from scoring.rankings.reasons import grade_word as grade_word
from scoring.rankings.reasons import name_in as name_in
from scoring.rankings.reasons import points as points


class Language(enum.StrEnum):
    """A report's language: Chinese (the default) or English."""

    ZH = "zh"
    EN = "en"


LANGUAGES = tuple(language.value for language in Language)

_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        **LABELS["zh"],
        "scorecard_title": "安全生产工作考核评分表",
        "ranking_title": "安全生产工作考核排名报告",
        "unit": "被考核单位",
        "unit_code": "单位代码",
        "cycle": "考核周期",
        "period": "考核期间",
        "state": "考核状态",
        "self_total": "自评得分",
        "reviewed_total": "考核得分",
        "total": "总分",
        "grade": "等级",
        "gap": "自评与考核差异",
        "gap_short": "差异",
        "open": "（",
        "close": "）",
        "rank": "排名",
        "rank_of": "第 {rank} 名 / 共 {of} 名",
        "rank_in": "在{scope}内",
        "previous_rank": "上期排名",
        "rank_change": "名次变化",
        "band": "色标",
        "not_ranked": "本周期尚未发布排名",
        "veto_banner": "一票否决：本单位考核等级为不合格",
        "veto_rule": "否决事项",
        "veto_reason": "原因",
        "veto_evidence": "依据",
        "yellow_banner": "黄牌警告：不扣分，本周期不列为表彰候选",
        "flags": "否决/警告",
        "categories": "分类得分",
        "category": "类别",
        "max_points": "分值",
        "self_points": "自评分",
        "reviewed_points": "考核分",
        "indicator": "指标",
        "explanation": "计分依据",
        "self_basis": "自评",
        "reviewed_basis": "考核",
        "review_reason": "考核意见",
        "not_applicable": "不适用（缺项）",
        "missing": "未填报",
        "adjusted": "考核调整",
        "card_lines": "总分计算",
        "appeals": "申诉",
        "appeal_reason": "申诉理由",
        "appeal_state": "处理状态",
        "appeal_decision": "处理意见",
        "appeal_points": "分数",
        "line_rule": "规则",
        "line_input": "输入",
        "line_result": "结果",
        "line_points": "分数",
        "scope": "排名范围",
        "level": "排名层级",
        "snapshot": "排名版本",
        "computed_at": "计算时间（北京时间）",
        "provisional": "（临时排名）",
        "units": "单位",
        "ranked": "参与排名",
        "mean": "平均分",
        "median": "中位数",
        "range": "最低分 — 最高分",
        "veto_count": "一票否决单位数",
        "chart_totals": "各单位总分",
        "chart_grades": "等级分布",
        "chart_top": "（前 {shown} 名，共 {total} 名）",
        "league_table": "排名表",
        "commendation": "拟表扬单位",
        "criticism": "拟通报批评或约谈单位",
        "reasons": "理由",
        "none": "无",
        "no_ranking": "本周期在该范围内尚未发布排名。",
        "lists_only_units": "表扬和批评名单只列本周期的被考核单位（此报告为地区排名）。",
        "new": "新",
        "points_unit": "分",
        # what changed since an earlier version of the rankings
        "compared": "比较版本",
        "compared_with": "v{after} 与 v{before} 相比",
        "changes_since_previous": "与上一版本（v{version}）相比的变化",
        "changes_since": "与 v{version} 相比的变化",
        "no_changes_previous": "与上一版本相比没有变化。",
        "no_changes": "与 v{version} 相比没有变化。",
        "first_version": "这是本周期排名的第一个版本，没有可比较的上一版本。",
        "no_earlier_rows": "此前的版本为临时排名，明细已不再保留，无法比较变化。",
        "before_after": "（前 → 后）",
        "why": "变化原因",
        "commendation_mark": "表扬",
        "veto_added": "新增一票否决",
        "veto_removed": "撤销一票否决",
        "yellow_added": "新增黄牌警告",
        "yellow_removed": "撤销黄牌警告",
        "score_changed": "总分变化 {change}",
        "others_moved": "因其他单位变化",
        "came_in": "新纳入排名",
        "left_ranking": "不再参与排名",
        "commendation_withdrawn": "撤销表扬",
        "commendation_granted": "新增表扬",
        # consequences register
        "consequences_title": "安全生产工作考核奖惩登记",
        "register_state": "登记状态",
        "decided_on": "决定日期（奖惩起算）",
        "policy": "奖惩规则",
        "grounds": "依据",
        "until": "期限至",
        "units_of": "{count} 个单位",
        "register_note": "奖惩按考核模板的奖惩规则，依本周期全部排名决定"
        "（表扬名额自排名首位起计），此处列出上述范围内的单位。",
        # statistics report
        "statistics_title": "生产安全事故和隐患排查治理统计报告",
        "stats_unit": "统计单位",
        "stats_period": "统计期间",
        "stats_previous_period": "上年同期",
        "stats_as_of": "统计截至（北京时间）",
        "stats_accidents": "生产安全事故",
        "stats_headline": "主要指标",
        "stats_figure": "指标",
        "stats_current": "本期",
        "stats_previous": "上年同期",
        "stats_change": "增减",
        "stats_yoy": "同比",
        "stats_count": "事故起数",
        "stats_deaths": "死亡人数",
        "stats_injuries": "重伤人数",
        "stats_loss": "直接经济损失（万元）",
        "stats_count_unit": "起",
        "stats_people_unit": "人",
        "stats_by_class": "按事故等级",
        "stats_by_sector": "按行业领域",
        "stats_class": "事故等级",
        "stats_sector": "行业领域",
        "stats_by_unit": "各下级单位事故情况",
        "stats_unit_col": "单位",
        "stats_own": "本级",
        "stats_sum": "合计",
        "stats_no_units": "本单位无下级单位。",
        "stats_no_accidents": "本期无事故。",
        "stats_no_accidents_either": "本期及上年同期均无事故。",
        "stats_no_sector": "本期及上年同期均无事故，无行业分布。",
        "stats_chart_units": "各下级单位事故起数（本期与上年同期）",
        "stats_summary": "{period}，{unit}共发生生产安全事故{count}起，死亡{deaths}人，"
        "重伤{injuries}人，直接经济损失{loss}万元。",
        "stats_summary_empty": "{period}，{unit}未发生生产安全事故。",
        "stats_compare": "与上年同期相比，事故起数{count}，死亡人数{deaths}。",
        "stats_larger_none": "较大及以上事故实现“零发生”。",
        "stats_larger_some": "其中较大及以上事故{count}起，死亡{deaths}人。",
        "stats_rise": "上升",
        "stats_fall": "下降",
        "stats_flat": "持平",
        "stats_more": "增加",
        "stats_period_to": "至",
        "stats_fewer": "减少",
        "stats_not_comparable": "不可比",
        "stats_from_zero": "（上年同期为零）",
        "stats_points_up": "提高",
        "stats_points_down": "降低",
        "stats_points": "个百分点",
        "stats_hazards": "隐患排查治理",
        "stats_found": "排查发现隐患",
        "stats_rectified": "已整改",
        "stats_rate": "整改率",
        "stats_major_found": "重大隐患",
        "stats_major_rectified": "重大隐患已整改",
        "stats_major_rate": "重大隐患整改率",
        "stats_overdue": "逾期未整改",
        "stats_overdue_major": "重大隐患逾期未整改",
        "stats_listed_overdue": "挂牌督办重大隐患逾期",
        "stats_items_unit": "项",
        "stats_no_hazards": "本期未排查发现隐患。",
        "stats_hazards_by_unit": "各下级单位隐患排查治理情况",
        "stats_hazard_note": "整改率 = 期间内发现的隐患中已整改的比例；逾期 = 整改期限在期间内"
        "且已过期、未按期整改。两期均按统计截至时的台账统计。本期未发现隐患时整改率记“—”。",
        "stats_accident_note": "同比按上年同期计算，百分比四舍五入保留一位小数；"
        "上年同期为零时不计算百分比。",
    },
    "en": {
        **LABELS["en"],
        "scorecard_title": "Work-safety assessment scorecard",
        "ranking_title": "Work-safety assessment ranking report",
        "unit": "Unit",
        "unit_code": "Code",
        "cycle": "Cycle",
        "period": "Period",
        "state": "State",
        "self_total": "Self-assessed total",
        "reviewed_total": "Reviewed total",
        "total": "Total",
        "grade": "Grade",
        "gap": "Review minus self",
        "gap_short": "Gap",
        "open": " (",
        "close": ")",
        "rank": "Rank",
        "rank_of": "{rank} of {of}",
        "rank_in": "in {scope}",
        "previous_rank": "Prev.",
        "rank_change": "Change",
        "band": "Band",
        "not_ranked": "No ranking published for this cycle yet",
        "veto_banner": "One-ticket veto: this unit is graded unqualified",
        "veto_rule": "Veto",
        "veto_reason": "Reason",
        "veto_evidence": "Evidence",
        "yellow_banner": "Yellow card: no points off; not a commendation candidate this cycle",
        "flags": "Veto / warning",
        "categories": "Categories",
        "category": "Category",
        "max_points": "Max",
        "self_points": "Self",
        "reviewed_points": "Reviewed",
        "indicator": "Indicator",
        "explanation": "How it was scored",
        "self_basis": "Self",
        "reviewed_basis": "Review",
        "review_reason": "Reviewer's reason",
        "not_applicable": "not applicable",
        "missing": "missing",
        "adjusted": "adjusted by the reviewer",
        "card_lines": "From indicators to the total",
        "appeals": "Appeals",
        "appeal_reason": "The unit's reason",
        "appeal_state": "Status",
        "appeal_decision": "Decision",
        "appeal_points": "Points",
        "line_rule": "Rule",
        "line_input": "Input",
        "line_result": "Result",
        "line_points": "Points",
        "scope": "Scope",
        "level": "Level",
        "snapshot": "Snapshot",
        "computed_at": "Computed (China time)",
        "provisional": " (provisional)",
        "units": "Units",
        "ranked": "Ranked",
        "mean": "Mean",
        "median": "Median",
        "range": "Lowest — highest",
        "veto_count": "Vetoed units",
        "chart_totals": "Totals by unit",
        "chart_grades": "Grades",
        "chart_top": " (first {shown} of {total})",
        "league_table": "League table",
        "commendation": "Candidates for commendation",
        "criticism": "To criticise or interview",
        "reasons": "Reasons",
        "none": "None",
        "no_ranking": "No ranking has been published for this scope in this cycle yet.",
        "lists_only_units": "The commendation and criticism lists name the cycle's units "
        "(this report ranks regions).",
        "new": "new",
        "points_unit": "",
        # what changed since an earlier version of the rankings
        "compared": "Compared",
        "compared_with": "v{after} with v{before}",
        "changes_since_previous": "Changes since version {version}",
        "changes_since": "Changes since version {version}",
        "no_changes_previous": "No change since the previous version.",
        "no_changes": "No change since version {version}.",
        "first_version": "This is the cycle's first version of the rankings: there is none "
        "before it to compare with.",
        "no_earlier_rows": "The earlier versions were provisional and their rows are no longer "
        "kept: there is nothing to compare with.",
        "before_after": " (before → after)",
        "why": "Why",
        "commendation_mark": "Commendation",
        "veto_added": "Vetoed",
        "veto_removed": "Veto lifted",
        "yellow_added": "Yellow card",
        "yellow_removed": "Yellow card lifted",
        "score_changed": "total {change}",
        "others_moved": "others moved",
        "came_in": "new in the ranking",
        "left_ranking": "no longer ranked",
        "commendation_withdrawn": "Withdrawn",
        "commendation_granted": "Granted",
        # consequences register
        "consequences_title": "Work-safety assessment: consequences register",
        "register_state": "Status",
        "decided_on": "Decided on (consequences count from)",
        "policy": "Policy",
        "grounds": "Grounds",
        "until": "Until",
        "units_of": "{count}",
        "register_note": "Decided by the template's policy on the cycle's whole ranking (the "
        "commendation quota counts from its top); the units under the scope above are listed.",
        # statistics report
        "statistics_title": "Work-safety accident and hazard statistics",
        "stats_unit": "Unit",
        "stats_period": "Period",
        "stats_previous_period": "Same period last year",
        "stats_as_of": "As of (China time)",
        "stats_accidents": "Work-safety accidents",
        "stats_headline": "Headline figures",
        "stats_figure": "Figure",
        "stats_current": "This period",
        "stats_previous": "Last year",
        "stats_change": "Change",
        "stats_yoy": "Year on year",
        "stats_count": "Accidents",
        "stats_deaths": "Deaths",
        "stats_injuries": "Serious injuries",
        "stats_loss": "Direct economic loss (10,000 yuan)",
        "stats_count_unit": "",
        "stats_people_unit": "",
        "stats_by_class": "By accident class",
        "stats_by_sector": "By sector",
        "stats_class": "Class",
        "stats_sector": "Sector",
        "stats_by_unit": "Accidents of the units below",
        "stats_unit_col": "Unit",
        "stats_own": "Recorded at this level",
        "stats_sum": "Total",
        "stats_no_units": "This unit has no units below it.",
        "stats_no_accidents": "No accidents in this period.",
        "stats_no_accidents_either": "No accidents in this period or the same period last year.",
        "stats_no_sector": "No accidents in this period or last year: no sectors to list.",
        "stats_chart_units": "Accidents by unit below (this period and last year)",
        "stats_summary": "{period}, {unit}: accidents {count}, deaths {deaths}, serious injuries "
        "{injuries}, direct economic loss {loss} (10,000 yuan).",
        "stats_summary_empty": "{period}, {unit}: no work-safety accidents.",
        "stats_compare": "Against the same period last year, accidents {count}; deaths {deaths}.",
        "stats_larger_none": "No larger or more serious accident.",
        "stats_larger_some": "Larger or more serious accidents: {count}, with {deaths} deaths.",
        "stats_rise": "up",
        "stats_fall": "down",
        "stats_flat": "unchanged",
        "stats_more": "up",
        "stats_period_to": " to ",
        "stats_fewer": "down",
        "stats_not_comparable": "n/a",
        "stats_from_zero": " (none last year)",
        "stats_points_up": "up",
        "stats_points_down": "down",
        "stats_points": " points",
        "stats_hazards": "Hidden hazards",
        "stats_found": "Hazards found",
        "stats_rectified": "Rectified",
        "stats_rate": "Rectification rate",
        "stats_major_found": "Major hazards",
        "stats_major_rectified": "Major hazards rectified",
        "stats_major_rate": "Major rectification rate",
        "stats_overdue": "Overdue",
        "stats_overdue_major": "Major hazards overdue",
        "stats_listed_overdue": "Listed major hazards overdue",
        "stats_items_unit": "",
        "stats_no_hazards": "No hazards found in this period.",
        "stats_hazards_by_unit": "Hazards of the units below",
        "stats_hazard_note": "Rectification rate: the share of the hazards found in the period "
        "that are rectified; overdue: deadline in the period and passed, not rectified in time. "
        "Both periods as the ledger stands at the time above. No hazards found: the rate is "
        "printed as —.",
        "stats_accident_note": "Year on year against the same period last year, percentages "
        "rounded half up to one decimal; none when last year's figure is zero.",
    },
}

BANDS = {
    "zh": {"green": "绿", "yellow": "黄", "red": "红"},
    "en": {"green": "green", "yellow": "yellow", "red": "red"},
}
LEVELS = {
    "zh": {"province": "省", "city": "市", "county": "县（市、区）", "township": "乡镇（街道）"},
    "en": {"province": "province", "city": "city", "county": "county", "township": "township"},
}
STATES = {
    "zh": {
        "draft": "填报中",
        "submitted": "已提交",
        "returned": "已退回",
        "resubmitted": "已重新提交",
        "reviewed": "已审核",
        "final": "已确认",
    },
    "en": {
        "draft": "draft",
        "submitted": "submitted",
        "returned": "returned",
        "resubmitted": "resubmitted",
        "reviewed": "reviewed",
        "final": "final",
    },
}

APPEAL_STATES = {
    "zh": {"open": "待处理", "accepted": "已采纳", "rejected": "未采纳"},
    "en": {"open": "waiting", "accepted": "accepted", "rejected": "rejected"},
}


# The labels a province says its own way (its letterhead's wording), for the report being
# built and printed in this context: {"zh": {"scorecard_title": "..."}, ...}.
_SAID: ContextVar[Mapping[str, Mapping[str, str]] | None] = ContextVar(
    "report_wording", default=None
)


def words(lang: str) -> Mapping[str, str]:
    """The labels of ``lang`` (zh or en), as the province says them where it has its own."""
    own = (_SAID.get() or {}).get(lang)
    return ChainMap(dict(own), _WORDS[lang]) if own else _WORDS[lang]


def default_words(lang: str) -> Mapping[str, str]:
    """The labels of ``lang`` as Redline says them."""
    return _WORDS[lang]


@contextmanager
def said_as(wording: Mapping[str, Mapping[str, str]]) -> Iterator[None]:
    """Within the block, :func:`words` gives ``wording``'s labels where it has them."""
    token = _SAID.set(wording)
    try:
        yield
    finally:
        _SAID.reset(token)


def band_word(lang: str, band: str | None) -> str:
    return BANDS[lang].get(band or "", "—")


def level_word(lang: str, level: str) -> str:
    return LEVELS[lang].get(level, level)


def state_word(lang: str, state: str | None) -> str:
    return STATES[lang].get(state or "", state or "—")


def appeal_state_word(lang: str, state: str) -> str:
    return APPEAL_STATES[lang].get(state, state)


def signed(number: Decimal | None) -> str:
    """A difference with its sign: +1.50, −2.00, 0.00."""
    if number is None:
        return "—"
    if number > 0:
        return f"+{number:.2f}"
    if number < 0:
        return f"−{-number:.2f}"
    return f"{number:.2f}"


def rank_change(lang: str, rank: int | None, previous: int | None) -> str:
    """↑3 (three places up), ↓2, = (no change), or "new" without a previous rank."""
    if rank is None:
        return "—"
    if previous is None:
        return words(lang)["new"]
    moved = previous - rank
    if moved > 0:
        return f"↑{moved}"
    if moved < 0:
        return f"↓{-moved}"
    return "="


# --- the statistics report -------------------------------------------------------------------

SECTORS = {
    "zh": {
        "hazardous_chemicals": "危险化学品",
        "coal_mines": "煤矿",
        "non_coal_mines": "非煤矿山",
        "road_transport": "道路运输",
        "building_construction": "建筑施工",
        "metallurgy": "冶金工贸",
        "fire": "火灾",
        "gas": "燃气",
        "tourism": "旅游",
        "confined_space": "有限空间",
        "fireworks": "烟花爆竹",
        "special_equipment": "特种设备",
        "civil_explosives": "民用爆炸物品",
        "water_conservancy": "水利",
        "agricultural_machinery": "农业机械",
        "fishing_vessels": "渔业船舶",
        "railways": "铁路",
        "civil_aviation": "民航",
        "electric_power": "电力",
        "oil_gas_pipelines": "油气管道",
        "other": "其他",
    },
    "en": {
        "hazardous_chemicals": "Hazardous chemicals",
        "coal_mines": "Coal mines",
        "non_coal_mines": "Non-coal mines",
        "road_transport": "Road transport",
        "building_construction": "Building construction",
        "metallurgy": "Metallurgy and industry",
        "fire": "Fire",
        "gas": "Gas",
        "tourism": "Tourism",
        "confined_space": "Confined spaces",
        "fireworks": "Fireworks",
        "special_equipment": "Special equipment",
        "civil_explosives": "Civil explosives",
        "water_conservancy": "Water conservancy",
        "agricultural_machinery": "Agricultural machinery",
        "fishing_vessels": "Fishing vessels",
        "railways": "Railways",
        "civil_aviation": "Civil aviation",
        "electric_power": "Electric power",
        "oil_gas_pipelines": "Oil and gas pipelines",
        "other": "Other",
    },
}
ACCIDENT_CLASSES = {
    "zh": {
        "general": "一般事故",
        "larger": "较大事故",
        "major": "重大事故",
        "especially_serious": "特别重大事故",
    },
    "en": {
        "general": "General",
        "larger": "Larger",
        "major": "Major",
        "especially_serious": "Especially serious",
    },
}


def sector_word(lang: str, sector: str) -> str:
    return SECTORS[lang].get(sector, sector)


def accident_class_word(lang: str, accident_class: str) -> str:
    return ACCIDENT_CLASSES[lang].get(accident_class, accident_class)


def count(number: Decimal | int) -> str:
    """A whole number as counted: 31."""
    return f"{number:.0f}"


def signed_count(number: Decimal | int) -> str:
    """A change of a count with its sign: +3, −22, 0."""
    if number > 0:
        return f"+{number:.0f}"
    if number < 0:
        return f"−{-number:.0f}"
    return "0"


def wan_yuan(yuan: Decimal) -> str:
    """Yuan in units of 10,000 yuan (万元), two decimals: 8600000 is 860.00."""
    return f"{yuan / 10_000:,.2f}"


def signed_wan_yuan(yuan: Decimal) -> str:
    """A change in yuan, printed in 万元 with its sign: +12.30, −1,016.00, 0.00."""
    if yuan > 0:
        return f"+{wan_yuan(yuan)}"
    if yuan < 0:
        return f"−{wan_yuan(-yuan)}"
    return wan_yuan(yuan)


def rate(percent: Decimal | None) -> str:
    """A rate in percent to one decimal: 66.7% ("—" when there is none)."""
    return "—" if percent is None else f"{percent:.1f}%"


def year_on_year_word(lang: str, change: Decimal, percent: Decimal | None) -> str:
    """The change against last year as a table prints it: 上升 12.5%, 下降 41.5%, 持平, 不可比
    (a rise from zero has no percentage)."""
    w = words(lang)
    if change == 0:
        return w["stats_flat"]
    if percent is None:
        return w["stats_not_comparable"]
    direction = w["stats_rise"] if change > 0 else w["stats_fall"]
    return f"{direction} {abs(percent):.1f}%"


def points_change_word(lang: str, change: Decimal) -> str:
    """A rate's change in percentage points: 提高 3.2个百分点, 降低 1.0个百分点, 持平."""
    w = words(lang)
    if change == 0:
        return w["stats_flat"]
    direction = w["stats_points_up"] if change > 0 else w["stats_points_down"]
    return f"{direction} {abs(change):.1f}{w['stats_points']}"


def change_phrase(lang: str, change: Decimal, percent: Decimal | None, unit: str) -> str:
    """A change as a sentence says it: 减少22起、下降41.5%; 增加3起（上年同期为零）; 持平
    (English: down 22 (−41.5%); up 3 (none last year); unchanged)."""
    w = words(lang)
    if change == 0:
        return w["stats_flat"]
    amount = f"{abs(change):.0f}{unit}"
    if lang == "zh":
        moved = (w["stats_more"] if change > 0 else w["stats_fewer"]) + amount
        if percent is None:
            return moved + w["stats_from_zero"]
        return f"{moved}、{w['stats_rise'] if change > 0 else w['stats_fall']}{abs(percent):.1f}%"
    moved = f"{w['stats_more'] if change > 0 else w['stats_fewer']} {amount}"
    if percent is None:
        return moved + w["stats_from_zero"]
    return f"{moved} ({'+' if percent > 0 else '−'}{abs(percent):.1f}%)"


def period_text(lang: str, start: date, end: date) -> str:
    """A period as a report names it: 2026年1月1日至11月30日 (the year once when both days
    share it), or 2026-01-01 to 2026-11-30."""
    if lang != "zh":
        return f"{start.isoformat()}{words(lang)['stats_period_to']}{end.isoformat()}"
    first = f"{start.year}年{start.month}月{start.day}日"
    last = f"{end.month}月{end.day}日"
    if end.year != start.year:
        last = f"{end.year}年{last}"
    return f"{first}{words(lang)['stats_period_to']}{last}"


def signed_points(change: Decimal) -> str:
    """A rate's change in percentage points with its sign, one decimal: +3.2, −1.0, 0.0."""
    if change > 0:
        return f"+{change:.1f}"
    if change < 0:
        return f"−{-change:.1f}"
    return f"{change:.1f}"
