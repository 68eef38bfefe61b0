"""The consequences register said line by line, in Chinese or English: its state, its policy and
each unit's consequences with their grounds, as the workbook and the printed register show
them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from scoring.engine.consequences import Consequence, ConsequencePolicy, Trigger
from scoring.rankings.consequences import Decided, Register
from scoring.rankings.lists import qualified_marks
from scoring.rankings.models import RankingRow
from scoring.rankings.reasons import LABELS, blame_said, grade_word, name_in, praise_said
from scoring.templates.models import Template
from tenants.models import TenantNode

CONSEQUENCES = {
    "zh": {
        Consequence.COMMENDATION: "通报表扬",
        Consequence.CRITICISM: "通报批评",
        Consequence.INTERVIEW: "约谈主要负责人",
        Consequence.INELIGIBILITY: "取消评优评先及提拔资格",
    },
    "en": {
        Consequence.COMMENDATION: "Commendation",
        Consequence.CRITICISM: "Criticism",
        Consequence.INTERVIEW: "Interview of the leaders",
        Consequence.INELIGIBILITY: "Leaders barred from commendation and promotion",
    },
}
TRIGGERS = {
    "zh": {
        Trigger.VETO: "一票否决",
        Trigger.YELLOW_CARD: "黄牌警告",
        Trigger.UNQUALIFIED: "考核不合格",
        Trigger.OVERDUE_MAJOR_HAZARDS: "挂牌重大隐患逾期未整改",
    },
    "en": {
        Trigger.VETO: "vetoed",
        Trigger.YELLOW_CARD: "yellow-carded",
        Trigger.UNQUALIFIED: "below the qualified threshold",
        Trigger.OVERDUE_MAJOR_HAZARDS: "with listed major hazards overdue",
    },
}
# The policy as a sentence each: (label, text with {placeholders}).
POLICY = {
    "zh": {
        "commended": "通报表扬",
        "commended_all": "全部优秀且未被一票否决、未受黄牌警告的单位",
        "commended_top": "按名次前 {quota} 个优秀且未被一票否决、未受黄牌警告的单位",
        "criticised": "通报批评",
        "interviewed": "约谈主要负责人",
        "barred": "取消评优评先及提拔资格",
        "barred_months": "一票否决单位的主要负责人，自周期关闭之日起 {months} 个月",
        "late": "事后追溯否决",
        "late_years": "考核期结束后 {years} 年内查实的瞒报事故等，可追溯否决定稿结果并重新发布排名",
        "nobody": "无",
        "and": "、",
    },
    "en": {
        "commended": "Commended",
        "commended_all": "every excellent unit neither vetoed nor yellow-carded",
        "commended_top": "the {quota} best-ranked excellent units neither vetoed nor yellow-carded",
        "criticised": "Criticised",
        "interviewed": "Leaders interviewed",
        "barred": "Barred from commendation and promotion",
        "barred_months": "the leaders of a vetoed unit, for {months} months from the cycle's "
        "closing",
        "late": "Late vetoes",
        "late_years": "a veto found within {years} years after the period (a concealed accident) "
        "may reopen a final result, the rankings republished",
        "nobody": "none",
        "and": ", ",
    },
}
# Whether a register is decided, as its heading says.
STATES = {
    "zh": {
        "final": "最终（周期于 {day} 关闭）",
        "preview": "预览（周期未关闭）",
        "provisional": "预览（周期已关闭，排名仍为临时排名）",
    },
    "en": {
        "final": "final (the cycle closed on {day})",
        "preview": "preview (the cycle is open)",
        "provisional": "preview (the cycle is closed, its ranking still provisional)",
    },
}


def policy_said(policy: ConsequencePolicy, lang: str) -> tuple[tuple[str, str], ...]:
    """The consequence policy, what it does and to whom, as (label, text) pairs."""
    w = POLICY[lang]

    def triggers(which: frozenset[Trigger]) -> str:
        named = [TRIGGERS[lang][t] for t in Trigger if t in which]
        return w["and"].join(named) or w["nobody"]

    quota = policy.commendation_quota
    months = policy.ineligible_months
    return (
        (
            w["commended"],
            w["commended_all"] if quota is None else w["commended_top"].format(quota=quota),
        ),
        (w["criticised"], triggers(policy.criticise_on)),
        (w["interviewed"], triggers(policy.interview_on)),
        (w["barred"], w["barred_months"].format(months=months) if months else w["nobody"]),
        (
            w["late"],
            w["late_years"].format(years=years)
            if (years := policy.retroactive_years)
            else w["nobody"],
        ),
    )


def register_state(register: Register, lang: str) -> str:
    """Final, with the day it counts from, or a preview and why."""
    said = STATES[lang]
    if register.decided_on is None:
        return said["preview"]
    if not register.final:
        return said["provisional"]
    return said["final"].format(day=register.decided_on.isoformat())


@dataclass(frozen=True)
class RegisterLine:
    """One consequence of one unit, as the register prints it."""

    rank: int | None
    code: str
    name: str
    total: Decimal | None
    grade: str
    consequence: Consequence
    grounds: tuple[str, ...]
    until: date | None
    group: str = ""  # the assessment group (分类考核) its rank is within; "" without groups


def register_lines(
    session: Session, register: Register, lang: str, labels: Mapping[str, str] | None = None
) -> list[RegisterLine]:
    """The register's units and consequences, in rank order and then commendation, criticism,
    interview, ineligibility, their grounds said in ``lang`` (with ``labels``, by default
    Redline's own)."""
    labels = labels or LABELS[lang]
    template = session.get_one(Template, register.cycle.template_id)
    qualified = qualified_marks(session, register.cycle)
    owner = session.get_one(TenantNode, register.cycle.owner_node_id)
    owner_name = name_in(lang, owner.name_zh, owner.name_en)

    def grounds(decided: Decided, row: RankingRow) -> tuple[str, ...]:
        if decided.consequence is Consequence.COMMENDATION:
            return tuple(r.text for r in praise_said(row, owner_name, labels))
        kinds = {reason.kind for reason in decided.grounds}
        return tuple(r.text for r in blame_said(row, qualified(row), labels) if r.kind in kinds)

    return [
        RegisterLine(
            rank=unit.row.rank if unit.row.score is not None else None,
            code=unit.row.unit_code,
            name=name_in(lang, unit.row.unit_name_zh, unit.row.unit_name_en),
            total=unit.row.score,
            grade=grade_word(lang, unit.row.grade, template.grade_names),
            consequence=decided.consequence,
            grounds=grounds(decided, unit.row),
            until=decided.until,
            group=unit.row.group_name or "",
        )
        for unit in register.units
        for decided in unit.consequences
    ]
