"""The demo's notifications: the morning reminders and the overdue sweep run once on the
demo's "today", 2026-11-28 at 08:30 China time, after its ledgers and assessments.

That morning the county cycle's self-assessments (due 11-20) of Nanhu (draft) and Jiashan
(returned) are overdue, Jiaxing's township cycle (due 11-30) reminds its draft and returned
townships, and every hazard and task element left past its deadline is flagged to its unit.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from redline.calendar import LOCAL_TZ
from redline.db import unit_of_work
from scoring.jobs.scheduled import run_overdue_sweep, run_reminders

DEMO_NOW = datetime(2026, 11, 28, 8, 30, tzinfo=LOCAL_TZ).astimezone(UTC)


def load_demo_notifications(session: Session, now: datetime = DEMO_NOW) -> dict[str, object]:
    """Run the reminders and the overdue sweep once, as the schedule would on ``now``;
    returns their counts by customer id."""
    with unit_of_work(session):
        reminded = run_reminders(session, now=now)
    with unit_of_work(session):
        swept = run_overdue_sweep(session, now=now)
    return {"reminders": reminded, "overdue": swept}
