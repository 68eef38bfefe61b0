"""What a final result does to a unit, pure: the template's consequence policy decides, from why a
unit is on the leaders' lists, its commendation, criticism, interview of leaders (约谈) and, for a
vetoed unit, how long its leaders are not eligible for commendation or promotion."""

from __future__ import annotations

import calendar
import enum
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

# The longest period a template may bar a vetoed unit's leaders for (ten years).
MAX_INELIGIBLE_MONTHS = 120
# The most units one ranking may commend.
MAX_COMMENDATION_QUOTA = 1000
# How long after its period a final result may still take a veto found late (a concealed
# accident discovered up to three years later).
MAX_RETROACTIVE_YEARS = 3


class Consequence(enum.StrEnum):
    """What the result of a cycle does to a unit (or its leaders)."""

    COMMENDATION = "commendation"  # 通报表扬
    CRITICISM = "criticism"  # 通报批评
    INTERVIEW = "interview"  # 约谈主要负责人
    INELIGIBILITY = "ineligibility"  # 主要负责人取消评优评先、提拔资格


class Trigger(enum.StrEnum):
    """Why a unit is on the criticism list (the ``kind`` of its reasons there)."""

    VETO = "veto"
    YELLOW_CARD = "yellow_card"
    UNQUALIFIED = "unqualified"
    OVERDUE_MAJOR_HAZARDS = "overdue_major_hazards"


def _triggers(raw: Collection[str] | None, default: frozenset[Trigger]) -> frozenset[Trigger]:
    return default if raw is None else frozenset(Trigger(value) for value in raw)


@dataclass(frozen=True)
class ConsequencePolicy:
    """A template's consequences. The defaults are Hunan's measures: excellent units commended,
    vetoed and unqualified units criticised, the leaders of vetoed and yellow-carded units
    interviewed, a vetoed unit's leaders ineligible for a year."""

    # How many excellent, eligible units of one ranking are commended, best first (None: all).
    commendation_quota: int | None = None
    criticise_on: frozenset[Trigger] = frozenset({Trigger.VETO, Trigger.UNQUALIFIED})
    interview_on: frozenset[Trigger] = frozenset({Trigger.VETO, Trigger.YELLOW_CARD})
    # How long a vetoed unit's leaders may not be commended or promoted (0: no such bar).
    ineligible_months: int = 12
    # For how many years after its period a final result may still be vetoed by what comes to
    # light later (a concealed accident), its rankings republished (0: a final result stands).
    retroactive_years: int = 0

    @classmethod
    def from_document(cls, document: Mapping[str, Any] | None) -> ConsequencePolicy:
        """The policy a template's ``consequences`` column keeps (empty: the defaults)."""
        document = document or {}
        default = cls()
        return cls(
            commendation_quota=document.get("commendation_quota", default.commendation_quota),
            criticise_on=_triggers(document.get("criticise_on"), default.criticise_on),
            interview_on=_triggers(document.get("interview_on"), default.interview_on),
            ineligible_months=int(document.get("ineligible_months", default.ineligible_months)),
            retroactive_years=int(document.get("retroactive_years", default.retroactive_years)),
        )

    def document(self) -> dict[str, Any]:
        """The policy as the ``consequences`` column keeps it (triggers in a stable order)."""
        return {
            "commendation_quota": self.commendation_quota,
            "criticise_on": [t.value for t in Trigger if t in self.criticise_on],
            "interview_on": [t.value for t in Trigger if t in self.interview_on],
            "ineligible_months": self.ineligible_months,
            "retroactive_years": self.retroactive_years,
        }

    def problems(self) -> list[tuple[str, str]]:
        """What is wrong with the policy, as (field, reason) pairs; empty when it is sound."""
        found = []
        quota = self.commendation_quota
        if quota is not None and not 1 <= quota <= MAX_COMMENDATION_QUOTA:
            found.append(
                (
                    "commendationQuota",
                    f"the commendation quota is between 1 and {MAX_COMMENDATION_QUOTA} units"
                    f" (or empty: every eligible excellent unit), got {quota}",
                )
            )
        months = self.ineligible_months
        if not 0 <= months <= MAX_INELIGIBLE_MONTHS:
            found.append(
                (
                    "ineligibleMonths",
                    f"a vetoed unit's leaders are barred for 0 to {MAX_INELIGIBLE_MONTHS} months"
                    f" (0: not barred), got {months}",
                )
            )
        years = self.retroactive_years
        if not 0 <= years <= MAX_RETROACTIVE_YEARS:
            found.append(
                (
                    "retroactiveYears",
                    f"a final result may take a late veto for 0 to {MAX_RETROACTIVE_YEARS} years"
                    f" after its period (0: never), got {years}",
                )
            )
        return found

    def retroactive_until(self, period_end: date) -> date | None:
        """The last day a final result of a period ending ``period_end`` may take a late veto
        (None: never)."""
        if self.retroactive_years == 0:
            return None
        return add_months(period_end, 12 * self.retroactive_years)


@dataclass(frozen=True)
class Decision:
    """One consequence for one unit and the reasons (by trigger) that brought it about."""

    consequence: Consequence
    triggers: tuple[Trigger, ...] = field(default=())
    # Until when the leaders are ineligible (an INELIGIBILITY only).
    until: date | None = None


def decide(
    triggers: Collection[Trigger], policy: ConsequencePolicy, decided_on: date | None
) -> list[Decision]:
    """The consequences of a unit on the criticism list for the reasons ``triggers``, in the
    order criticism, interview, ineligibility; each names the triggers that caused it. A bar's
    end counts from ``decided_on`` (None: not decided yet, so no end either)."""
    found = [t for t in Trigger if t in triggers]
    decisions = []
    for consequence, on in (
        (Consequence.CRITICISM, policy.criticise_on),
        (Consequence.INTERVIEW, policy.interview_on),
    ):
        if causes := tuple(t for t in found if t in on):
            decisions.append(Decision(consequence, causes))
    if Trigger.VETO in triggers and policy.ineligible_months > 0:
        decisions.append(
            Decision(
                Consequence.INELIGIBILITY,
                (Trigger.VETO,),
                (
                    ineligible_until(decided_on, policy.ineligible_months)
                    if decided_on is not None
                    else None
                ),
            )
        )
    return decisions


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later, or the month's last day where it is
    shorter (a month from 2027-01-31 is 2027-02-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def ineligible_until(decided_on: date, months: int) -> date:
    """The last day of a bar of ``months`` calendar months from ``decided_on``: the day before
    the same day ``months`` later (a year from 2026-03-31 ends on 2027-03-30; a month from
    2027-01-31 ends on 2027-02-27)."""
    return add_months(decided_on, months) - timedelta(days=1)
