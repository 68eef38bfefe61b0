"""When an accident must be reported and how late a report was: the State Council regulation on
accident reporting (2007, No. 493, art. 9) gives the unit one hour after the accident."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from redline.calendar import LOCAL_TZ
from scoring.ledgers.models import Accident, ReportStatus

# 单位负责人接到报告后，应当于1小时内……报告: the time a report is on time within.
REPORT_WITHIN = timedelta(hours=1)
HOUR = timedelta(hours=1)


def occurred_moment(occurred_on: date, occurred_time: time | None) -> datetime | None:
    """When the accident happened, local time; None when the time of day is not recorded."""
    if occurred_time is None:
        return None
    return datetime.combine(occurred_on, occurred_time, tzinfo=LOCAL_TZ)


@dataclass(frozen=True)
class Lateness:
    """How late one accident's report was: whole hours past the hour allowed (a part hour
    counts as one), at least one for a report marked late; ``known`` is False when the times
    are not both recorded and the late report counts as one hour."""

    hours: int
    known: bool


def hours_late(reported_at: datetime, moment: datetime) -> int:
    """Whole hours past ``REPORT_WITHIN`` (a part hour counts as one; 0 when on time)."""
    past = reported_at - moment - REPORT_WITHIN
    return max(0, math.ceil(past / HOUR))


def lateness(
    occurred_on: date, occurred_time: time | None, reported_at: datetime | None
) -> Lateness:
    """The lateness of a report marked late (迟报)."""
    moment = occurred_moment(occurred_on, occurred_time)
    if moment is None or reported_at is None:
        return Lateness(1, known=False)
    return Lateness(max(1, hours_late(reported_at, moment)), known=True)


def late_report_hours(accident: Accident) -> int | None:
    """The hours a report marked late counts (see ``lateness``); None for any other report."""
    if accident.report_status is not ReportStatus.LATE:
        return None
    return lateness(accident.occurred_on, accident.occurred_time, accident.reported_at).hours
