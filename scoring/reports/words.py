"""The reports' words in Chinese (the default) and English, and how they print numbers."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from decimal import Decimal


class Language(enum.StrEnum):
    """A report's language: Chinese (the default) or English."""

    ZH = "zh"
    EN = "en"


LANGUAGES = tuple(language.value for language in Language)

_WORDS: dict[str, dict[str, str]] = {
    "zh": {
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
        "sep": "；",
        "colon": "：",
        "open": "（",
        "close": "）",
        "rank": "排名",
        "rank_of": "第 {rank} 名 / 共 {of} 名",
        "rank_in": "在{scope}内",
        "previous_rank": "上期排名",
        "rank_change": "名次变化",
        "band": "色标",
        "not_ranked": "本周期尚未发布排名",
        "vetoed": "一票否决",
        "veto_banner": "一票否决：本单位考核等级为不合格",
        "veto_rule": "否决事项",
        "veto_reason": "原因",
        "veto_evidence": "依据",
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
        "overdue_hazards": "重大隐患逾期未整改 {count} 项",
        "below_qualified": "{score} 分，低于合格线 {qualified} 分",
        "excellent_at": "{score} 分，优秀",
        "rank_in_scope": "在{scope}内排名第 {rank} 名（共 {of} 名）",
        "new": "新",
        "points_unit": "分",
    },
    "en": {
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
        "sep": "; ",
        "colon": ": ",
        "open": " (",
        "close": ")",
        "rank": "Rank",
        "rank_of": "{rank} of {of}",
        "rank_in": "in {scope}",
        "previous_rank": "Prev.",
        "rank_change": "Change",
        "band": "Band",
        "not_ranked": "No ranking published for this cycle yet",
        "vetoed": "Vetoed",
        "veto_banner": "One-ticket veto: this unit is graded unqualified",
        "veto_rule": "Veto",
        "veto_reason": "Reason",
        "veto_evidence": "Evidence",
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
        "overdue_hazards": "{count} listed major hazard(s) overdue",
        "below_qualified": "{score} points, below the qualified {qualified}",
        "excellent_at": "{score} points, excellent",
        "rank_in_scope": "rank {rank} of {of} in {scope}",
        "new": "new",
        "points_unit": "",
    },
}

GRADES = {
    "zh": {"excellent": "优秀", "good": "良好", "qualified": "合格", "unqualified": "不合格"},
    "en": {
        "excellent": "Excellent",
        "good": "Good",
        "qualified": "Qualified",
        "unqualified": "Unqualified",
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


def words(lang: str) -> Mapping[str, str]:
    """The labels of ``lang`` (zh or en)."""
    return _WORDS[lang]


def grade_word(lang: str, grade: str | None) -> str:
    return GRADES[lang].get(grade or "", grade or "—")


def band_word(lang: str, band: str | None) -> str:
    return BANDS[lang].get(band or "", "—")


def level_word(lang: str, level: str) -> str:
    return LEVELS[lang].get(level, level)


def state_word(lang: str, state: str | None) -> str:
    return STATES[lang].get(state or "", state or "—")


def points(number: Decimal | None) -> str:
    """Points with two decimals ("—" when there are none)."""
    return "—" if number is None else f"{number:.2f}"


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
        return _WORDS[lang]["new"]
    moved = previous - rank
    if moved > 0:
        return f"↑{moved}"
    if moved < 0:
        return f"↓{-moved}"
    return "="
