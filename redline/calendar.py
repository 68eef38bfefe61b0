"""Dates as the offices count them: deadlines and periods are days in China Standard Time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def local_date(moment: datetime) -> date:
    """The calendar day (in China) of an aware timestamp: 2026-05-31 20:00 UTC is 2026-06-01."""
    return moment.astimezone(LOCAL_TZ).date()


def end_of_day(day: date) -> datetime:
    """The last moment of ``day`` in China, aware (what "by the deadline" means)."""
    return datetime(day.year, day.month, day.day, 23, 59, 59, 999999, tzinfo=LOCAL_TZ)


def period_as_of(end: date, now: datetime) -> datetime:
    """The moment a period's ledger figures are read: its last instant, or now while it runs."""
    return min(now, end_of_day(end)).astimezone(UTC)
