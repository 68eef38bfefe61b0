"""Several people writing at once while the worker re-scores and publishes rankings: every
request answers (a write waits its turn, never fails), on SQLite as on PostgreSQL.

The app runs as `redline serve` does (threaded HTTP) with two worker threads and the outbox
relay on the real Redis; the writers are threads posting over HTTP. With REDLINE_LONG_TESTS=1
(make test-long) it is a soak of ten times the rounds.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from redline.config import Settings
from redline.db import unit_of_work
from scoring.assessments.appeals import set_appeal_window
from scoring.assessments.entries import submit
from scoring.assessments.groups import cycle_groups
from scoring.assessments.models import Appeal, AppealState, Assessment, AssessmentState, Cycle
from scoring.assessments.review import ReviewInput, complete_review, review_entries
from scoring.followup.notifications import Notification, NotificationKind
from scoring.jobs.runs import JobRun, JobState
from scoring.ledgers.models import Hazard
from scoring.reports.archive import Report
from tenants.models import Role, TenantNode
from tests.factories.api import HttpClient, gid, live_server
from tests.factories.assessments import filled_cycle
from tests.factories.rankings import current_ranking
from tests.factories.templates import INDICATOR_CODES
from tests.factories.tenants import actor, add_user, node

SAVE = """
mutation($input: SaveEntriesInput!) {
  saveEntries(input: $input) { assessment { version } errors { field message code } } }
"""
SUBMIT = """
mutation($input: SubmitAssessmentInput!) {
  submitAssessment(input: $input) { assessment { version state } errors { field message code } } }
"""
RECORD_HAZARD = """
mutation($input: RecordHazardInput!) {
  recordHazard(input: $input) { hazard { id } errors { field message code } } }
"""
RECOMPUTE = "mutation { startFullRecompute { jobRun { id state } errors { field message code } } }"
PRINT_STATISTICS = """
mutation($input: PrintStatisticsReportInput!) {
  printStatisticsReport(input: $input) { report { id } errors { field message code } } }
"""
READ = "{ viewer { user { username } } notifications(first: 5) { totalCount } }"

WRITERS = 8
# make test-long soaks: ten times the rounds (about a thousand writes per backend).
ROUNDS = 40 if os.environ.get("REDLINE_LONG_TESTS") == "1" else 4


class Outcomes:
    """Every answer of every thread, counted; anything but a clean success is kept whole."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.failures: list[tuple[str, Any]] = []

    def record(self, what: str, result: dict[str, Any], field: str | None) -> dict[str, Any]:
        payload = (result.get("data") or {}).get(field) if field else result.get("data")
        clean = "errors" not in result and payload is not None
        if clean and field and payload.get("errors"):
            clean = False
        with self.lock:
            self.counts[what if clean else f"{what} FAILED"] += 1
            if not clean:
                self.failures.append((what, result))
        return payload or {}


def _entries(points: int) -> list[dict[str, Any]]:
    """The sample template's self-assessment as GraphQL input, 1.1 scoring ``points``."""
    return [
        {"itemCode": "1.1", "points": str(points)},
        {"itemCode": "1.2", "done": True},
        {"itemCode": "1.3", "counts": [{"key": "b", "count": 1}]},
        {"itemCode": "2.1", "value": "90"},
        {"itemCode": "2.2", "value": "92"},
        {"itemCode": "3.1", "points": "12"},
        {"itemCode": "3.2", "done": True},
        {"itemCode": "B.1", "points": "2"},
    ]


def _race_answers() -> tuple[dict[str, list[dict[str, Any]]], Callable[[str, dict, str], None]]:
    """The typed payloads of each race, and the function keeping one (from any thread); a
    top-level error, where nothing typed came back, fails the test."""
    answers: dict[str, list[dict[str, Any]]] = {}
    lock = threading.Lock()

    def keep(race: str, result: dict[str, Any], field: str) -> None:
        assert "errors" not in result, result
        with lock:
            answers.setdefault(race, []).append(result["data"][field])

    return answers, keep


def _run_together(work: list[Callable[[], None]]) -> None:
    """Start every piece of work at the same moment; re-raise the first assertion of any."""
    barrier = threading.Barrier(len(work))
    raised: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as exc:  # the test thread reports it
            raised.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    if raised:
        raise raised[0]


@pytest.fixture
def clerks(world, engine) -> list[tuple[str, int, int, int]]:
    """A drafting township cycle of Nanhu; a clerk for each of its first WRITERS townships:
    (username, assessment id, its version, node id)."""
    session = world
    cycle, assessments = filled_cycle(session)
    out = []
    with unit_of_work(session):
        for assessment in assessments[:WRITERS]:
            node = session.get(TenantNode, assessment.node_id)
            add_user(
                session,
                node,
                f"{node.code}-writer",
                Role.SUBMITTER,
                display_name=f"{node.name_zh} clerk",
            )
            out.append((f"{node.code}-writer", assessment.id, assessment.version, node.id))
    session.info["cycle"] = cycle
    return out


def test_eight_writers_and_a_busy_worker_all_get_answers(
    clerks, world, engine, database_urls, backend, redis_client, tmp_path
):
    outcomes = Outcomes()
    nanhu = node(world, "330402")
    settings = Settings(attachment_dir=tmp_path / "files")
    with live_server(engine, database_urls[backend], redis_client, settings) as server:
        people = {username: HttpClient(server.url) for username, *_ in clerks}
        office = HttpClient(server.url)

        # Everyone signs in at the same moment (sign-in writes a session row).
        def sign_in(username: str, client: HttpClient) -> Callable[[], None]:
            return lambda: outcomes.record("signIn", client.sign_in(username), "signIn")

        _run_together([sign_in(u, c) for u, c in people.items()] + [sign_in("zj-office", office)])

        def clerk(username: str, assessment_id: int, version: int, node_id: int):
            client = people[username]

            def work() -> None:
                nonlocal version
                for round_ in range(ROUNDS):
                    payload = outcomes.record(
                        "saveEntries",
                        client.execute(
                            SAVE,
                            {
                                "input": {
                                    "assessmentId": gid("Assessment", assessment_id),
                                    "expectedVersion": version,
                                    "entries": _entries(round_ % 10),
                                }
                            },
                        ),
                        "saveEntries",
                    )
                    version = (payload.get("assessment") or {}).get("version", version)
                    outcomes.record(
                        "recordHazard",
                        client.execute(
                            RECORD_HAZARD,
                            {
                                "input": {
                                    "nodeId": gid("Tenant", node_id),
                                    "title": f"{username} round {round_}",
                                    "sector": "ROAD_TRANSPORT",
                                    "source": "SELF_INSPECTION",
                                    "severity": "GENERAL",
                                    "foundOn": "2026-11-20",
                                    "deadline": "2026-12-20",
                                }
                            },
                        ),
                        "recordHazard",
                    )
                    outcomes.record("read", client.execute(READ), None)
                outcomes.record(
                    "submitAssessment",
                    client.execute(
                        SUBMIT,
                        {
                            "input": {
                                "assessmentId": gid("Assessment", assessment_id),
                                "expectedVersion": version,
                            }
                        },
                    ),
                    "submitAssessment",
                )

            return work

        def busy_worker() -> None:
            # Keeps the worker re-scoring every open assessment and publishing rankings, and
            # printing reports (reading the ledgers being written) beside them.
            for round_ in range(ROUNDS):
                result = office.execute(RECOMPUTE)
                outcomes.record("startFullRecompute", result, "startFullRecompute")
                period = {"start": f"2026-{round_ % 9 + 1:02d}-01", "end": "2026-11-30"}
                result = office.execute(
                    PRINT_STATISTICS,
                    {"input": {"nodeId": gid("Tenant", nanhu.id), "period": period}},
                )
                outcomes.record("printStatisticsReport", result, "printStatisticsReport")

        _run_together([clerk(*c) for c in clerks] + [busy_worker])
        server.drain()

    assert outcomes.failures == [], outcomes.failures[:3]
    assert outcomes.counts["signIn"] == WRITERS + 1
    assert outcomes.counts["saveEntries"] == WRITERS * ROUNDS
    assert outcomes.counts["submitAssessment"] == WRITERS
    assert outcomes.counts["printStatisticsReport"] == ROUNDS

    # Everything the answers said was saved is there, and the rankings caught up with it.
    session = world
    session.rollback()
    ids = [assessment_id for _, assessment_id, _, _ in clerks]
    states = session.scalars(select(Assessment.state).where(Assessment.id.in_(ids))).all()
    assert set(states) == {AssessmentState.SUBMITTED}
    assert session.scalar(select(func.count()).select_from(Hazard)) == WRITERS * ROUNDS
    ranked = {node_id for node_id, _, _ in current_ranking(session, session.info["cycle"])}
    assert {node_id for *_, node_id in clerks} <= ranked
    # Every report asked for was printed and kept, none lost to a writer.
    printed = session.execute(
        select(JobRun.state, Report.sha256).join(Report, Report.job_run_id == JobRun.id)
    ).all()
    assert len(printed) == ROUNDS
    assert all(state is JobState.SUCCEEDED and sha256 for state, sha256 in printed), printed


CREATE_TENANT = """
mutation($input: CreateTenantInput!) {
  createTenant(input: $input) { tenant { code } errors { field message code } } }
"""
GRANT_ROLE = """
mutation($input: GrantRoleInput!) {
  grantRole(input: $input) { errors { field message code } } }
"""
PAIRS = 3  # each race is run this many times over, every pair released at once


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload.get("errors") or []]


def test_two_writers_of_the_same_thing_get_one_success_and_one_typed_refusal(
    clerks, world, engine, database_urls, backend, redis_client
):
    """Two people press the same button at the same moment: one wins, the other is told why
    (CONFLICT, DUPLICATE, INVALID_STATE), never "Unexpected error."; the worker is busy too."""
    username, assessment_id, version, township_id = clerks[0]
    answers, keep = _race_answers()

    with live_server(engine, database_urls[backend], redis_client) as server:
        signed_in = {}
        for name, who in (
            ("clerk_a", username),
            ("clerk_b", username),
            ("office_a", "jx-office"),
            ("office_b", "jx-office"),
            ("admin_a", "zj-office"),
            ("admin_b", "zj-office"),
        ):
            signed_in[name] = HttpClient(server.url)
            assert signed_in[name].sign_in(who)["data"]["signIn"]["viewer"], who
        clerk_a, clerk_b = signed_in["clerk_a"], signed_in["clerk_b"]
        office_a, office_b = signed_in["office_a"], signed_in["office_b"]
        jiaxing = gid("Tenant", _jiaxing(world))
        clerk_user = _user_id(world, username)

        def save(client: HttpClient, points: int) -> Callable[[], None]:
            variables = {
                "input": {
                    "assessmentId": gid("Assessment", assessment_id),
                    "expectedVersion": version,
                    "entries": _entries(points),
                }
            }
            return lambda: keep("save", client.execute(SAVE, variables), "saveEntries")

        def create(client: HttpClient, code: str) -> Callable[[], None]:
            variables = {
                "input": {
                    "parentId": jiaxing,
                    "code": code,
                    "nameZh": "测试区",
                    "nameEn": "Test District",
                    "level": "COUNTY",
                    "kind": "DISTRICT",
                }
            }
            return lambda: keep("create", client.execute(CREATE_TENANT, variables), "createTenant")

        def grant(client: HttpClient, role: str) -> Callable[[], None]:
            township = gid("Tenant", township_id)
            variables = {"input": {"userId": clerk_user, "nodeId": township, "role": role}}
            return lambda: keep("grant", client.execute(GRANT_ROLE, variables), "grantRole")

        def recompute(client: HttpClient) -> Callable[[], None]:
            return lambda: keep("recompute", client.execute(RECOMPUTE), "startFullRecompute")

        for round_ in range(PAIRS):
            _run_together(
                [
                    save(clerk_a, 1),
                    save(clerk_b, 2),
                    create(office_a, f"33049{round_}"),
                    create(office_b, f"33049{round_}"),
                    grant(office_a, ("VIEWER", "ASSESSOR", "TEMPLATE_AUTHOR")[round_]),
                    grant(office_b, ("VIEWER", "ASSESSOR", "TEMPLATE_AUTHOR")[round_]),
                    recompute(signed_in["admin_a"]),
                    recompute(signed_in["admin_b"]),
                ]
            )
            version += 1  # the save that won
        server.drain()

    saves = answers["save"]
    # Round one: one of the two saves wins, the other was too late; later rounds both are late
    # or one wins (each round asks for the version the previous winner left).
    assert [_codes(p) for p in saves].count([]) == PAIRS
    assert all(_codes(p) in ([], ["CONFLICT"]) for p in saves)
    creates = answers["create"]
    assert sorted(tuple(_codes(p)) for p in creates) == [()] * PAIRS + [("DUPLICATE",)] * PAIRS
    grants = answers["grant"]
    assert sorted(tuple(_codes(p)) for p in grants) == [()] * PAIRS + [("DUPLICATE",)] * PAIRS
    assert all(_codes(p) == [] for p in answers["recompute"])


def _jiaxing(session) -> int:
    session.rollback()
    return session.scalar(select(TenantNode.id).where(TenantNode.code == "330400"))


def _user_id(session, username: str) -> str:
    from tenants.models import User

    session.rollback()
    return gid("User", session.scalar(select(User.id).where(User.username == username)))


FILE_APPEAL = """
mutation($input: FileAppealInput!) {
  fileAppeal(input: $input) { appeal { id } errors { field message code } } }
"""
DECIDE_APPEAL = """
mutation($input: DecideAppealInput!) {
  decideAppeal(input: $input) { appeal { state } errors { field message code } } }
"""


def test_two_appeals_and_two_decisions_at_once_leave_one_each(
    clerks, world, engine, database_urls, backend, redis_client
):
    """A unit's two clerks file the same appeal at the same moment, then two assessors decide
    it at the same moment, while the worker re-scores: one filing and one decision are kept,
    the others are told why (DUPLICATE, CONFLICT, INVALID_STATE), never "Unexpected error."."""
    username, assessment_id, _, _ = clerks[0]
    session = world
    nanhu = node(session, "330402")
    with unit_of_work(session):
        assessment = session.get_one(Assessment, assessment_id)
        office = actor(session, "nanhu-office")
        submit(session, None, assessment, expected_version=assessment.version)
        reviews = [ReviewInput(code) for code in INDICATOR_CODES]
        review_entries(session, office, assessment, reviews, expected_version=assessment.version)
        complete_review(session, office, assessment, expected_version=assessment.version)
        cycle = session.get_one(Cycle, assessment.cycle_id)
        set_appeal_window(session, None, cycle, datetime.now(UTC) + timedelta(days=3))
        add_user(session, "330400", "jx-assessor", Role.ASSESSOR)
    aid = gid("Assessment", assessment_id)
    answers, keep = _race_answers()

    with live_server(engine, database_urls[backend], redis_client) as server:
        people = {}
        for name, who in (
            ("clerk_a", username),
            ("clerk_b", username),
            ("county", "nanhu-office"),
            ("city", "jx-assessor"),
            ("admin", "zj-office"),
        ):
            people[name] = HttpClient(server.url)
            assert people[name].sign_in(who)["data"]["signIn"]["viewer"], who

        def file(client: HttpClient) -> Callable[[], None]:
            variables = {"input": {"assessmentId": aid, "itemCode": "1.1", "reason": "signed"}}
            return lambda: keep("file", client.execute(FILE_APPEAL, variables), "fileAppeal")

        def recompute() -> None:
            keep("recompute", people["admin"].execute(RECOMPUTE), "startFullRecompute")

        _run_together([file(people["clerk_a"]), file(people["clerk_b"]), recompute])
        filed = [p["appeal"]["id"] for p in answers["file"] if p["appeal"]]
        assert len(filed) == 1, answers["file"]
        assert sorted(tuple(_codes(p)) for p in answers["file"]) in (
            [(), ("DUPLICATE",)],
            [(), ("CONFLICT",)],
        )

        def decide(client: HttpClient, accept: bool) -> Callable[[], None]:
            variables = {
                "input": {
                    "appealId": filed[0],
                    "accept": accept,
                    "reason": "seen",
                    **({"points": "8"} if accept else {}),
                }
            }
            return lambda: keep("decide", client.execute(DECIDE_APPEAL, variables), "decideAppeal")

        _run_together([decide(people["county"], True), decide(people["city"], False), recompute])
        server.drain()

    decisions = answers["decide"]
    assert [_codes(p) for p in decisions].count([]) == 1, decisions
    assert all(_codes(p) in ([], ["CONFLICT"], ["INVALID_STATE"]) for p in decisions)
    session.rollback()
    kept = session.scalars(select(Appeal).where(Appeal.assessment_id == assessment_id)).all()
    assert len(kept) == 1 and kept[0].state in (AppealState.ACCEPTED, AppealState.REJECTED)
    # The worker told the reviewing district of the appeal, and the township of the decision.
    told = session.execute(select(Notification.node_id, Notification.kind)).all()
    assert (nanhu.id, NotificationKind.APPEAL_FILED) in told
    assert (kept[0].node_id, NotificationKind.APPEAL_DECIDED) in told


SET_GROUPS = """
mutation($input: SetCycleGroupsInput!) {
  setCycleGroups(input: $input) { cycle { id } errors { field message code } } }
"""


def test_two_offices_grouping_a_cycle_at_once_leave_one_split_whole(
    clerks, world, engine, database_urls, backend, redis_client
):
    """Two of Jiaxing's officers split Nanhu's township cycle into groups (分类考核) at once,
    differently and with a code in common, while the worker re-scores: each is answered (the
    later replacing the earlier, or told CONFLICT), never "Unexpected error.", and the cycle
    ends with one of the two splits whole, every unit in one group."""
    session = world
    cycle: Cycle = session.info["cycle"]
    units = session.execute(
        select(Assessment.node_id, TenantNode.code)
        .join(TenantNode, TenantNode.id == Assessment.node_id)
        .where(Assessment.cycle_id == cycle.id)
        .order_by(TenantNode.code)
    ).all()
    ids = [gid("Tenant", node_id) for node_id, _ in units]
    half = len(ids) // 2
    splits = {
        "halves": [
            {"code": "streets", "name": "街道", "unitIds": ids[:half]},
            {"code": "towns", "name": "乡镇", "unitIds": ids[half:]},
        ],
        "one apart": [
            {"code": "streets", "name": "城区", "unitIds": ids[:-1]},
            {"code": "area", "name": "区域", "unitIds": ids[-1:], "gradeQualified": "50",
             "gradeGood": "70", "gradeExcellent": "85"},
        ],
    }  # fmt: skip
    answers, keep = _race_answers()

    with live_server(engine, database_urls[backend], redis_client) as server:
        officers = {name: HttpClient(server.url) for name in splits}
        for client in officers.values():
            assert client.sign_in("jx-office")["data"]["signIn"]["viewer"]
        admin = HttpClient(server.url)
        assert admin.sign_in("zj-office")["data"]["signIn"]["viewer"]

        def group(name: str) -> Callable[[], None]:
            variables = {"input": {"cycleId": gid("Cycle", cycle.id), "groups": splits[name]}}
            return lambda: keep(
                "group", officers[name].execute(SET_GROUPS, variables), "setCycleGroups"
            )

        def recompute() -> None:
            keep("recompute", admin.execute(RECOMPUTE), "startFullRecompute")

        _run_together([group("halves"), group("one apart"), recompute])
        server.drain()

    grouped = answers["group"]
    assert all(_codes(p) in ([], ["CONFLICT"]) for p in grouped), grouped
    assert [_codes(p) for p in grouped].count([]) >= 1, grouped
    session.rollback()
    kept = {
        group.code: {a for a, g in session.execute(
            select(Assessment.node_id, Assessment.group_id).where(Assessment.cycle_id == cycle.id)
        ) if g == group.id}
        for group in cycle_groups(session, cycle.id)
    }  # fmt: skip
    node_of = {gid("Tenant", node_id): node_id for node_id, _ in units}
    wanted = {
        name: {g["code"]: {node_of[unit] for unit in g["unitIds"]} for g in split}
        for name, split in splits.items()
    }
    assert kept in wanted.values(), kept
