"""Notifications to units: idempotent per (unit, key) even under a concurrent double run, read
by the unit's people only (not a whole subtree's), marked read; the overdue sweep and the
deadline reminders with their China-time rules, their reruns and their job runs."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from redline.db import unit_of_work
from redline.demo.notifications import DEMO_NOW, load_demo_notifications
from redline.errors import DomainError, ErrorCode
from redline.outbox import OutboxMessage
from scoring.assessments.models import Assessment, AssessmentState
from scoring.followup import notifications
from scoring.followup.notifications import Notification, NotificationKind, mark_read, notify
from scoring.jobs.runs import JobKind, JobRun, JobState
from scoring.jobs.scheduled import run_overdue_sweep, run_reminders
from scoring.ledgers.models import (
    Hazard,
    HazardState,
    TaskElement,
    TaskState,
)
from tests.factories.assessments import assessment_of, open_sample_cycle
from tests.factories.ledgers import hazard_row, task_row
from tests.factories.tenants import actor, node

XJD, QIXING, NANHU, JIAXING = "330402901", "330402015", "330402", "330400"
# 2026-11-20 23:30 and 2026-11-21 00:30 in China.
LATE_EVENING = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
AFTER_MIDNIGHT = datetime(2026, 11, 20, 16, 30, tzinfo=UTC)


def say(session: Session, code: str, key: str, kind=NotificationKind.HAZARD_DUE) -> bool:
    return notify(session, node(session, code), kind, key, f"title {key}", "body", "hazard:1")


def keys_of(session: Session, code: str) -> list[tuple[str, str]]:
    session.expire_all()
    unit = node(session, code)
    return [
        (n.kind.value, n.key)
        for n in session.scalars(
            select(Notification).where(Notification.node_id == unit.id).order_by(Notification.id)
        )
    ]


def hazard(session: Session, unit_code: str, deadline: date, **kw) -> Hazard:
    return hazard_row(
        session, unit_code, found_on=deadline - timedelta(days=30), deadline=deadline, **kw
    )


def element(session: Session, unit_code: str, deadline: date, **kw) -> TaskElement:
    return task_row(
        session,
        unit_code,
        deadline,
        plan_owner=NANHU,
        plan_title="2026 special rectification plan",
        element_code=kw.pop("code", "1.1.1"),
        title="开展有限空间作业专项检查",
        **kw,
    )


# --- notify ----------------------------------------------------------------------------------


def test_notify_is_once_per_unit_and_key(world: Session):
    with unit_of_work(world):
        assert say(world, XJD, "hazard_due:hazard:1:2026-11-30") is True
        assert say(world, XJD, "hazard_due:hazard:1:2026-11-30") is False
        assert say(world, QIXING, "hazard_due:hazard:1:2026-11-30") is True  # another unit
    with unit_of_work(world):
        assert say(world, XJD, "hazard_due:hazard:1:2026-11-30") is False  # committed too
        assert say(world, XJD, "hazard_due:hazard:1:2026-12-02") is True  # a new deadline
    assert len(keys_of(world, XJD)) == 2 and len(keys_of(world, QIXING)) == 1


def test_two_runs_at_once_notify_once(world: Session, sessions):
    """The second insert waits for the first's commit, then adds nothing: no error, no twin."""
    results: list[bool] = []
    errors: list[BaseException] = []
    first_inserted = threading.Event()
    unit = node(world, XJD)

    def run(hold: float) -> None:
        try:
            with sessions() as session, unit_of_work(session):
                added = notify(
                    session,
                    unit,
                    NotificationKind.HAZARD_OVERDUE,
                    "hazard_overdue:hazard:7",
                    "Hazard overdue",
                    "",
                    "hazard:7",
                )
                results.append(added)
                if hold:
                    first_inserted.set()
                    time.sleep(hold)  # the other run tries while this one has not committed
        except BaseException as exc:
            errors.append(exc)

    world.commit()
    slow = threading.Thread(target=run, args=(0.5,))
    slow.start()
    first_inserted.wait(5)
    fast = threading.Thread(target=run, args=(0,))
    fast.start()
    slow.join(10)
    fast.join(10)
    assert errors == []
    assert sorted(results) == [False, True]
    assert keys_of(world, XJD) == [("hazard_overdue", "hazard_overdue:hazard:7")]


# --- reading and marking ---------------------------------------------------------------------


def test_people_read_their_units_notifications_not_their_subtrees(world: Session):
    with unit_of_work(world):
        for code in (XJD, QIXING, NANHU, JIAXING, "330000"):
            say(world, code, f"k:{code}")
    seen = {}
    for username in ("xjd-clerk", "nanhu-office", "jx-office", "zj-office", "zj-leader"):
        who = actor(world, username)
        rows = world.scalars(notifications.notifications_of(who).order_by(Notification.id))
        seen[username] = [r.key for r in rows]
    assert seen == {
        "xjd-clerk": [f"k:{XJD}"],
        "nanhu-office": [f"k:{NANHU}"],  # not its townships'
        "jx-office": [f"k:{JIAXING}"],
        "zj-office": ["k:330000"],
        "zj-leader": ["k:330000"],
    }


def test_mark_read_keeps_the_first_reader_and_counts_unread(world: Session):
    with unit_of_work(world):
        for key in ("a", "b", "c"):
            say(world, NANHU, key)
    office = actor(world, "nanhu-office")
    ids = [n.id for n in world.scalars(notifications.notifications_of(office))]
    assert notifications.unread_count(world, office) == 3
    first = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
    with unit_of_work(world):
        marked = mark_read(world, office, [ids[0], ids[1], ids[0]], now=first)
    assert [n.id for n in marked] == ids[:2]
    assert all(n.read_at == first and n.read_by_id == office.user_id for n in marked)
    with unit_of_work(world):
        again = mark_read(world, office, [ids[1], ids[2]], now=first + timedelta(hours=1))
    assert again[0].read_at == first  # already read: who and when stay
    assert again[1].read_at == first + timedelta(hours=1)
    assert notifications.unread_count(world, office) == 0
    unread = world.scalars(notifications.notifications_of(office, unread=True)).all()
    assert unread == []


def test_mark_read_names_every_unknown_id_and_marks_nothing(world: Session):
    with unit_of_work(world):
        say(world, NANHU, "mine")
        say(world, XJD, "a township's")
    office = actor(world, "nanhu-office")
    mine = world.scalar(select(Notification.id).where(Notification.key == "mine"))
    theirs = world.scalar(select(Notification.id).where(Notification.key == "a township's"))
    with pytest.raises(DomainError) as refused:
        mark_read(world, office, [mine, theirs, 999_999], label=lambda i: f"N{i}")
    problems = [(p.field, p.code, p.message) for p in refused.value.problems]
    assert problems == [
        ("ids", ErrorCode.NOT_FOUND, f"N{theirs} is not a notification of your units"),
        ("ids", ErrorCode.NOT_FOUND, "N999999 is not a notification of your units"),
    ]
    world.rollback()
    assert notifications.unread_count(world, office) == 1


# --- the overdue sweep -----------------------------------------------------------------------


def test_the_sweep_flags_each_overdue_row_once_and_rescoring_each_unit(world: Session):
    due = date(2026, 11, 20)
    with unit_of_work(world):
        late = hazard(world, XJD, due)
        hazard(world, XJD, due, state=HazardState.RECTIFIED)  # done: not overdue
        hazard(world, QIXING, due + timedelta(days=1))  # due tomorrow
        task = element(world, XJD, due)
        element(world, NANHU, due, code="1.1.2", state=TaskState.DONE)

    with unit_of_work(world):
        assert run_overdue_sweep(world, now=LATE_EVENING)[late.customer_id] == {
            "hazards_overdue": 0,
            "tasks_overdue": 0,
            "units": 0,
        }
    assert keys_of(world, XJD) == []

    with unit_of_work(world):
        counts = run_overdue_sweep(world, now=AFTER_MIDNIGHT)  # 11-21 in China: past the 20th
    assert counts[late.customer_id] == {"hazards_overdue": 1, "tasks_overdue": 1, "units": 1}
    assert keys_of(world, XJD) == [
        ("hazard_overdue", f"hazard_overdue:hazard:{late.id}"),
        ("task_overdue", f"task_overdue:task_element:{task.id}"),
    ]
    assert keys_of(world, QIXING) == [] and keys_of(world, NANHU) == []
    xjd = node(world, XJD)
    messages = world.scalars(
        select(OutboxMessage).where(OutboxMessage.actor_name == "scoring.ledger_changed")
    ).all()
    assert [(m.args, m.key, m.customer_id) for m in messages] == [
        ([xjd.id], f"ledger_changed:{xjd.id}", xjd.customer_id)
    ]
    overdue = world.scalars(
        select(Notification).where(Notification.kind == NotificationKind.HAZARD_OVERDUE)
    ).one()
    assert overdue.due == due and overdue.subject == f"hazard:{late.id}"

    # An hour later: nothing new, nothing asked again; the run says so.
    with unit_of_work(world):
        counts = run_overdue_sweep(world, now=AFTER_MIDNIGHT + timedelta(hours=1))
    assert counts[late.customer_id] == {"hazards_overdue": 0, "tasks_overdue": 0, "units": 0}
    assert len(keys_of(world, XJD)) == 2
    runs = world.scalars(
        select(JobRun)
        .where(JobRun.kind == JobKind.OVERDUE_SWEEP, JobRun.customer_id == late.customer_id)
        .order_by(JobRun.id)
    ).all()
    assert [r.result["hazards_overdue"] for r in runs] == [0, 1, 0]
    assert {r.state for r in runs} == {JobState.SUCCEEDED}
    assert runs[1].finished_at == AFTER_MIDNIGHT and runs[1].node_id == node(world, "330000").id
    # Every province gets its run, with zeros where nothing went overdue.
    provinces = world.scalar(
        select(func.count(func.distinct(JobRun.customer_id))).where(
            JobRun.kind == JobKind.OVERDUE_SWEEP
        )
    )
    assert provinces == 3


# --- the reminders ---------------------------------------------------------------------------


def test_reminders_of_the_next_three_days_once_each(world: Session):
    # Self-assessments due at the end of 11-30 (China), reviews at the end of 12-02.
    with unit_of_work(world):
        cycle = open_sample_cycle(
            world,
            self_due=datetime(2026, 11, 30, 16, 0, tzinfo=UTC),
            review_due=datetime(2026, 12, 2, 16, 0, tzinfo=UTC),
        )
    qixing = assessment_of(world, cycle, QIXING)
    with unit_of_work(world):
        qixing.state = AssessmentState.SUBMITTED  # submitted: no reminder, but a review
        hazard(world, XJD, date(2026, 11, 30))
        hazard(world, XJD, date(2026, 12, 2))  # four days off on 11-28: not yet
        element(world, XJD, date(2026, 11, 28))  # due today
    xjd_assessment = assessment_of(world, cycle, XJD)

    morning = datetime(2026, 11, 28, 0, 30, tzinfo=UTC)  # 11-28 08:30 China
    with unit_of_work(world):
        run_reminders(world, now=morning - timedelta(days=4))  # everything 4+ days off
    assert keys_of(world, XJD) == []

    with unit_of_work(world):
        counts = run_reminders(world, now=morning)
    kinds = [kind for kind, _ in keys_of(world, XJD)]
    assert kinds == ["self_assessment_due", "hazard_due", "task_due"]
    assert keys_of(world, QIXING) == []
    # Every township but Qixing (submitted) is still drafting.
    townships = (
        world.scalar(
            select(func.count()).select_from(Assessment).where(Assessment.cycle_id == cycle.id)
        )
        - 1
    )
    assert counts[cycle.customer_id] == {
        "self_assessment_due": townships,
        "self_assessment_overdue": 0,
        "review_due": 0,  # 12-02 is four days off on 11-28
        "hazard_due": 1,
        "task_due": 1,
    }
    reminder = world.scalars(
        select(Notification).where(
            Notification.kind == NotificationKind.SELF_ASSESSMENT_DUE,
            Notification.node_id == xjd_assessment.node_id,
        )
    ).one()
    assert reminder.due == date(2026, 11, 30)
    assert reminder.subject == f"assessment:{xjd_assessment.id}"
    assert reminder.key == f"self_assessment_due:assessment:{xjd_assessment.id}:2026-11-30"

    # The same morning again: nothing new.
    with unit_of_work(world):
        again = run_reminders(world, now=morning + timedelta(minutes=5))
    assert set(again[cycle.customer_id].values()) == {0}

    # 11-30: the reviews (due 12-02) for Nanhu, one for the cycle; on 12-01 the self-
    # assessments still in draft are overdue.
    with unit_of_work(world):
        counts = run_reminders(world, now=morning + timedelta(days=2))
    assert counts[cycle.customer_id]["review_due"] == 1
    assert keys_of(world, NANHU) == [("review_due", f"review_due:cycle:{cycle.id}:2026-12-02")]
    review = world.scalars(
        select(Notification).where(Notification.kind == NotificationKind.REVIEW_DUE)
    ).one()
    assert review.body.startswith("1 assessment(s)")
    with unit_of_work(world):
        counts = run_reminders(world, now=morning + timedelta(days=3))
    assert counts[cycle.customer_id]["self_assessment_overdue"] == townships
    assert (
        "self_assessment_overdue",
        f"self_assessment_overdue:assessment:{xjd_assessment.id}:2026-11-30",
    ) in keys_of(world, XJD)
    runs = world.scalars(
        select(JobRun).where(
            JobRun.kind == JobKind.DEADLINE_REMINDERS, JobRun.customer_id == cycle.customer_id
        )
    ).all()
    assert len(runs) == 5  # one a morning (and one for the rerun)


# --- the demo --------------------------------------------------------------------------------


def test_the_demo_morning(whole_demo: Session):
    """The demo's 2026-11-28: Nanhu and Jiashan's county self-assessments overdue, the Jiaxing
    townships still drafting reminded, Jiashan's listed major hazard overdue; a rerun adds
    nothing. (The demo database is this module's own: writing to it here is safe.)"""
    session = whole_demo
    first = load_demo_notifications(session)
    zhejiang = node(session, "330000").customer_id
    assert first["reminders"][zhejiang]["self_assessment_overdue"] >= 2
    assert first["reminders"][zhejiang]["self_assessment_due"] >= 2
    assert first["overdue"][zhejiang]["hazards_overdue"] >= 1
    for code, kind in (
        (NANHU, "self_assessment_overdue"),
        ("330421", "self_assessment_overdue"),
        ("330421", "hazard_overdue"),
        (XJD, "self_assessment_due"),
        (QIXING, "self_assessment_due"),
    ):
        assert kind in [k for k, _ in keys_of(session, code)], (code, kind)
    # Written that morning; the story's own notices (an appeal filed) keep their moments.
    made = session.scalars(
        select(Notification.created_at)
        .where(Notification.kind != NotificationKind.APPEAL_FILED)
        .distinct()
    ).all()
    assert made == [DEMO_NOW]
    again = load_demo_notifications(session)
    assert all(set(c.values()) == {0} for part in again.values() for c in part.values())
