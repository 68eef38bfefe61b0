"""The jobs API: notifications (the viewer's units only, newest first, pages, unread count),
marking them read (unknown ids named), job runs (who sees which, pages, progress) as nodes and
a list, and starting a full recompute (province admins only; queued after the commit)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import scoring.jobs.scheduled  # noqa: F401 - declares scoring.full_recompute on the test broker
from redline.db import unit_of_work
from scoring.followup.notifications import Notification, NotificationKind, notify
from scoring.jobs.runs import JobKind, JobRun, JobState
from tenants.models import TenantNode
from tests.factories.api import ERRORS, fields_of, gid, ok, signed_in
from tests.factories.tenants import node

XJD, QIXING, NANHU = "330402901", "330402015", "330402"
NOTIFICATIONS = """
query($unread: Boolean, $first: Int, $after: String) {
  notifications(unread: $unread, first: $first, after: $after) {
    totalCount unreadCount pageInfo { hasNextPage endCursor }
    edges { node { id kind title body subject due read readAt unit { code } } }
  }
}
"""
MARK = f"""
mutation($ids: [ID!]!) {{
  markNotificationsRead(ids: $ids) {{
    notifications {{ id read readBy {{ username }} }} unreadCount {ERRORS}
  }}
}}
"""
RUNS = """
query($kind: JobKind, $first: Int, $after: String) {
  jobRuns(kind: $kind, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id kind state progress { done total percent } queuedAt startedAt
                   finishedAt attempts result error unit { code } requestedBy { username } } }
  }
}
"""
START = f"""
mutation {{
  startFullRecompute {{ jobRun {{ id kind state progress {{ done total percent }}
                                  requestedBy {{ username }} unit {{ code }} }} {ERRORS} }}
}}
"""
NODE = """
query($id: ID!) { node(id: $id) { id ... on JobRun { kind } ... on Notification { title } } }
"""


def seed_notifications(session: Session) -> dict[str, list[int]]:
    """Three for Xiangjiadang, one for Qixing, one for Nanhu (oldest first)."""
    ids: dict[str, list[int]] = {}
    with unit_of_work(session):
        for code, count in ((XJD, 3), (QIXING, 1), (NANHU, 1)):
            unit = node(session, code)
            for n in range(count):
                notify(
                    session,
                    unit,
                    NotificationKind.TASK_DUE,
                    f"task_due:task_element:{n}:{code}",
                    f"Task {n} due",
                    "Complete it with evidence.",
                    f"task_element:{n}",
                )
    for row in session.scalars(select(Notification).order_by(Notification.id)):
        ids.setdefault(session.get_one(TenantNode, row.node_id).code, []).append(row.id)
    return ids


def seed_runs(session: Session) -> dict[str, int]:
    """A province-wide recompute (done), a sweep, and a run about Nanhu (running)."""
    province, nanhu = node(session, "330000"), node(session, NANHU)
    rows = {
        "recompute": JobRun(
            customer_id=province.customer_id,
            kind=JobKind.FULL_RECOMPUTE,
            state=JobState.SUCCEEDED,
            node_id=province.id,
            attempts=1,
            progress_done=40,
            progress_total=40,
            result={"assessments": 40, "drifted": 1, "cycles": 2, "drift": {"self_total": 1}},
        ),
        "sweep": JobRun(
            customer_id=province.customer_id,
            kind=JobKind.OVERDUE_SWEEP,
            state=JobState.SUCCEEDED,
            node_id=province.id,
            result={"hazards_overdue": 2},
        ),
        "nanhu": JobRun(
            customer_id=province.customer_id,
            kind=JobKind.FULL_RECOMPUTE,
            state=JobState.RUNNING,
            node_id=nanhu.id,
            attempts=1,
            progress_done=1,
            progress_total=3,
            result={"resume_after": 17},
        ),
    }
    with unit_of_work(session):
        session.add_all(rows.values())
    return {name: row.id for name, row in rows.items()}


def page(gql, query: str, **variables: Any) -> dict[str, Any]:
    data = ok(gql.execute(query, variables))
    return next(iter(data.values()))


# --- notifications ---------------------------------------------------------------------------


def test_notifications_of_your_units_newest_first_in_pages(world: Session, gql):
    ids = seed_notifications(world)
    gql.sign_in("xjd-clerk")
    first = page(gql, NOTIFICATIONS, first=2)
    assert (first["totalCount"], first["unreadCount"]) == (3, 3)
    got = [e["node"] for e in first["edges"]]
    assert [n["id"] for n in got] == [gid("Notification", i) for i in reversed(ids[XJD][1:])]
    assert got[0] == {
        "id": gid("Notification", ids[XJD][2]),
        "kind": "TASK_DUE",
        "title": "Task 2 due",
        "body": "Complete it with evidence.",
        "subject": "task_element:2",
        "due": None,
        "read": False,
        "readAt": None,
        "unit": {"code": XJD},
    }
    assert first["pageInfo"]["hasNextPage"] is True
    rest = page(gql, NOTIFICATIONS, first=2, after=first["pageInfo"]["endCursor"])
    assert [e["node"]["id"] for e in rest["edges"]] == [gid("Notification", ids[XJD][0])]
    assert rest["pageInfo"]["hasNextPage"] is False


def test_a_district_office_does_not_read_its_townships_notifications(world: Session, gql):
    ids = seed_notifications(world)
    gql.sign_in("nanhu-office")
    listed = page(gql, NOTIFICATIONS)
    assert [e["node"]["unit"]["code"] for e in listed["edges"]] == [NANHU]
    township = gid("Notification", ids[XJD][0])
    assert ok(gql.execute(NODE, {"id": township})) == {"node": None}
    own = gid("Notification", ids[NANHU][0])
    assert ok(gql.execute(NODE, {"id": own}))["node"]["id"] == own


def test_marking_read(world: Session, gql):
    ids = seed_notifications(world)
    gql.sign_in("xjd-clerk")
    mine = [gid("Notification", i) for i in ids[XJD][:2]]
    payload = ok(gql.execute(MARK, {"ids": mine}))["markNotificationsRead"]
    assert payload == {
        "notifications": [
            {"id": mine[0], "read": True, "readBy": {"username": "xjd-clerk"}},
            {"id": mine[1], "read": True, "readBy": {"username": "xjd-clerk"}},
        ],
        "unreadCount": 1,
        "errors": [],
    }
    unread = page(gql, NOTIFICATIONS, unread=True)
    assert (unread["totalCount"], unread["unreadCount"]) == (1, 1)
    read = page(gql, NOTIFICATIONS, unread=False)
    assert {e["node"]["id"] for e in read["edges"]} == set(mine)


def test_marking_unknown_ids_names_them_and_marks_nothing(world: Session, gql):
    ids = seed_notifications(world)
    gql.sign_in("xjd-clerk")
    mine = gid("Notification", ids[XJD][0])
    siblings = gid("Notification", ids[QIXING][0])
    payload = ok(gql.execute(MARK, {"ids": [mine, siblings]}))["markNotificationsRead"]
    assert payload["notifications"] == [] and payload["unreadCount"] is None
    assert payload["errors"] == [
        {
            "field": "ids",
            "message": f"{siblings} is not a notification of your units",
            "code": "NOT_FOUND",
        }
    ]
    assert page(gql, NOTIFICATIONS)["unreadCount"] == 3  # nothing marked
    world.rollback()
    wrong_type = gid("Tenant", node(world, XJD).id)
    payload = ok(gql.execute(MARK, {"ids": [wrong_type]}))["markNotificationsRead"]
    assert fields_of(payload) == [("ids", "INVALID")]


def test_anonymous_requests_get_no_notifications_or_runs(world: Session, gql):
    for query in (NOTIFICATIONS, RUNS):
        result = gql.execute(query)
        assert result["data"] is None
        assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    payload = ok(gql.execute(MARK, {"ids": []}))["markNotificationsRead"]
    assert [e["code"] for e in payload["errors"]] == ["UNAUTHENTICATED"]


# --- job runs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("zj-office", ["nanhu", "sweep", "recompute"]),  # admin and assessor of the province
        ("zj-leader", ["nanhu", "sweep", "recompute"]),  # reads the whole province
        ("jx-office", ["nanhu"]),  # the city: runs about its units only
        ("nanhu-office", ["nanhu"]),
        ("xjd-clerk", []),
        ("gy-office", []),  # another province
    ],
)
def test_who_sees_which_runs(world: Session, make_gql, username: str, sees: list[str]):
    runs = seed_runs(world)
    gql = signed_in(make_gql, username)
    listed = page(gql, RUNS)
    assert [e["node"]["id"] for e in listed["edges"]] == [gid("JobRun", runs[n]) for n in sees]
    for name, run_id in runs.items():
        found = ok(gql.execute(NODE, {"id": gid("JobRun", run_id)}))["node"]
        assert (found is not None) == (name in sees), name


def test_runs_show_state_progress_and_result_in_pages(world: Session, gql):
    runs = seed_runs(world)
    gql.sign_in("zj-office")
    first = page(gql, RUNS, first=1)
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"]
    nanhu = first["edges"][0]["node"]
    assert nanhu["state"] == "RUNNING"
    assert nanhu["progress"] == {"done": 1, "total": 3, "percent": 33}
    assert nanhu["result"] == {}  # the retry's bookmark is not shown
    assert nanhu["unit"] == {"code": NANHU}
    rest = page(gql, RUNS, first=5, after=first["pageInfo"]["endCursor"])
    assert [e["node"]["id"] for e in rest["edges"]] == [
        gid("JobRun", runs["sweep"]),
        gid("JobRun", runs["recompute"]),
    ]
    recompute = rest["edges"][1]["node"]
    assert recompute["result"] == {
        "assessments": 40,
        "drifted": 1,
        "cycles": 2,
        "drift": {"self_total": 1},
    }
    assert recompute["progress"]["percent"] == 100
    only = page(gql, RUNS, kind="OVERDUE_SWEEP")
    assert [e["node"]["kind"] for e in only["edges"]] == ["OVERDUE_SWEEP"]


# --- starting a full recompute ---------------------------------------------------------------


def test_a_province_admin_starts_a_full_recompute(world: Session, gql, runtime):
    gql.sign_in("zj-office")
    payload = ok(gql.execute(START))["startFullRecompute"]
    assert payload["errors"] == []
    run = payload["jobRun"]
    assert run["kind"] == "FULL_RECOMPUTE" and run["state"] == "QUEUED"
    assert run["progress"] == {"done": 0, "total": None, "percent": None}
    assert run["requestedBy"] == {"username": "zj-office"}
    assert run["unit"] == {"code": "330000"}
    # Sent to the broker after the commit.
    queued = runtime.broker.queues["recompute"]
    assert queued.qsize() == 1
    # A second click while it waits: the same run, nothing more queued.
    again = ok(gql.execute(START))["startFullRecompute"]
    assert again["jobRun"]["id"] == run["id"]
    assert queued.qsize() == 1


@pytest.mark.parametrize("username", ["jx-office", "zj-leader", "nanhu-office"])
def test_only_a_province_admin_may_start_one(world: Session, make_gql, runtime, username):
    gql = signed_in(make_gql, username)
    payload = ok(gql.execute(START))["startFullRecompute"]
    assert payload["jobRun"] is None
    assert fields_of(payload) == [(None, "PERMISSION_DENIED")]
    world.rollback()
    assert world.scalars(select(JobRun)).all() == []
