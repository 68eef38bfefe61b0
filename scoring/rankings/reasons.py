"""Why a unit is commended, criticised or interviewed, in Chinese or English: the one wording of
the leaders' lists, the consequences register and the printed reports (a report passes its
province's labels where the province says them its own way)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring.engine.consequences import Trigger
from scoring.rankings.models import RankingRow


@dataclass(frozen=True)
class Reason:
    """One reason a unit is on a list: a kind programs switch on, and a sentence."""

    kind: str  # rank, grade, veto, yellow_card, unqualified, overdue_major_hazards
    text: str


# The labels the reasons are said with; the reports' words include them (and a province may
# say them its own way there).
LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "sep": "；",
        "colon": "：",
        "vetoed": "一票否决",
        "yellow_card": "黄牌警告",
        "overdue_hazard": "重大隐患逾期未整改 1 项",
        "overdue_hazards": "重大隐患逾期未整改 {count} 项",
        "below_qualified": "{score} 分，低于合格线 {qualified} 分",
        "excellent_at": "{score} 分，优秀",
        "rank_in_scope": "在{scope}内排名第 {rank} 名（共 {of} 名）",
    },
    "en": {
        "sep": "; ",
        "colon": ": ",
        "vetoed": "Vetoed",
        "yellow_card": "Yellow card",
        "overdue_hazard": "1 listed major hazard overdue",
        "overdue_hazards": "{count} listed major hazards overdue",
        "below_qualified": "{score} points, below the qualified {qualified}",
        "excellent_at": "{score} points, excellent",
        "rank_in_scope": "rank {rank} of {of} in {scope}",
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


def points(number: Decimal | None) -> str:
    """Points with two decimals ("—" when there are none)."""
    return "—" if number is None else f"{number:.2f}"


def name_in(lang: str, name_zh: str, name_en: str) -> str:
    """A unit's name in the language; its Chinese name where it has no English one (a
    department, an affiliated unit)."""
    return name_zh if lang == "zh" else (name_en or name_zh)


def grade_word(lang: str, grade: str | None, names: Mapping[str, str] | None = None) -> str:
    """A grade as printed: the template's own name for it (一级) where it gives one."""
    if grade and names and names.get(grade):
        return names[grade]
    return GRADES[lang].get(grade or "", grade or "—")


def rule_text(fired: Mapping[str, str], labels: Mapping[str, str]) -> str:
    """A veto or yellow card said: its rule's title (its code without one) and its reason."""
    title = fired.get("title") or fired.get("rule") or ""
    return title + (f"{labels['colon']}{fired['reason']}" if fired.get("reason") else "")


def rules_text(fired: Sequence[Mapping[str, str]] | None, labels: Mapping[str, str]) -> str:
    """Vetoes or yellow cards said one after the other."""
    return labels["sep"].join(rule_text(one, labels) for one in fired or ())


def praise_said(row: RankingRow, scope_name: str, labels: Mapping[str, str]) -> tuple[Reason, ...]:
    """Why a commended unit is commended: its rank in the ranking's scope (named
    ``scope_name``; within its group, when ranked in one) and its excellent total."""
    scope = f"{scope_name} · {row.group_name}" if row.group_name else scope_name
    return (
        Reason("rank", labels["rank_in_scope"].format(scope=scope, rank=row.rank, of=row.of)),
        Reason("grade", labels["excellent_at"].format(score=points(row.score))),
    )


def blame_said(
    row: RankingRow, qualified: Decimal | None, labels: Mapping[str, str]
) -> tuple[Reason, ...]:
    """Why a unit is to be criticised or interviewed, in the order and kinds of
    ``scoring.rankings.lists.blame``: each veto and yellow card with its rule and reason, a
    total below the qualified threshold, the count of overdue listed major hazards."""

    def each(kind: str, label: str, fired: Sequence[Mapping[str, str]] | None) -> list[Reason]:
        return [
            Reason(kind, f"{label}{labels['colon']}{rule_text(one, labels)}") for one in fired or ()
        ]

    said = each(Trigger.VETO, labels["vetoed"], row.veto_reasons)
    if row.vetoed and not row.veto_reasons:
        said.append(Reason(Trigger.VETO, labels["vetoed"]))
    said += each(Trigger.YELLOW_CARD, labels["yellow_card"], row.yellow_cards)
    if qualified is not None and row.score is not None and row.score < qualified:
        below = labels["below_qualified"].format(
            score=points(row.score), qualified=points(qualified)
        )
        said.append(Reason(Trigger.UNQUALIFIED, below))
    if count := row.overdue_major_hazards:
        said.append(
            Reason(
                Trigger.OVERDUE_MAJOR_HAZARDS,
                labels["overdue_hazard" if count == 1 else "overdue_hazards"].format(count=count),
            )
        )
    return tuple(said)
