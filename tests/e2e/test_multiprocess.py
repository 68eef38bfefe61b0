"""Two API processes and two job workers on loopback, against one PostgreSQL and one Redis:
townships submit at once through both APIs, the worker holding their jobs is killed mid-job,
the other finishes the work, and the rankings published are those one process computes from
the same data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from sqlalchemy import select, text
from strawberry.relay import to_base64

from redline.db import unit_of_work
from scoring.assessments.entries import EntryInput, save_entries
from scoring.assessments.models import Assessment, AssessmentState
from scoring.rankings.models import RankingRow, RankingStatus
from scoring.rankings.status import publish_rankings
from tenants import audit
from tenants.models import Role, TenantLevel, TenantNode
from tests.factories.assessments import full_entries, jiaxing_townships
from tests.factories.processes import answers_ok, free_port, wait_for
from tests.factories.templates import published_template
from tests.factories.tenants import add_user, node

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "multi-process-1"
SIGN_IN = """mutation ($u: String!, $p: String!) {
  signIn(input: {username: $u, password: $p}) { viewer { csrfToken } errors { code } } }"""
SUBMIT = """mutation ($id: ID!, $v: Int!) {
  submitAssessment(input: {assessmentId: $id, expectedVersion: $v}) {
    assessment { state version } errors { code message } } }"""


@contextmanager
def _process(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=out)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _graphql(http: requests.Session, base: str, query: str, variables: dict, csrf: str = ""):
    answer = http.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables},
        headers={"X-CSRF-Token": csrf},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "errors" not in body, body
    return body["data"]


def _server_errors(logs: Path) -> str:
    """What the API processes logged from their first error on (an answer's "Unexpected
    error." is only the request id: the traceback is in the server's log)."""
    found = []
    for log in sorted(logs.glob("api-*.log")):
        logged = log.read_text(errors="replace")
        start = logged.find(" ERROR ")
        if start >= 0:
            found.append(f"--- {log.name}\n{logged[logged.rfind(chr(10), 0, start) + 1 :][:6000]}")
    return "\n".join(found) or "(no error in the API logs)"


def _waiting_on_locks(connection) -> int:
    """Backends of the database waiting for a lock (the test's own connection holds it)."""
    return connection.execute(
        text(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
    ).scalar_one()


def _standings(session, cycle_id: int) -> list[tuple]:
    """The cycle's current published rows, as a reader compares them."""
    session.rollback()
    snapshot_id = session.scalar(
        select(RankingStatus.snapshot_id).where(RankingStatus.cycle_id == cycle_id)
    )
    rows = session.scalars(select(RankingRow).where(RankingRow.snapshot_id == snapshot_id))
    return sorted(
        (r.scope_node_id, r.level.value, r.node_id, r.position, r.rank, r.of, r.score, r.vetoed)
        for r in rows
    )


def test_two_apis_and_two_workers_one_killed_publish_what_one_process_does(
    backend, world, sessions, engine, database_urls, redis_test_url, tmp_path
):
    if backend != "postgresql":
        pytest.skip("several processes on one database: the deployment shape is PostgreSQL")
    province = node(world, "330000")
    townships = list(
        world.scalars(
            select(TenantNode.code)
            .where(
                TenantNode.level == TenantLevel.TOWNSHIP,
                TenantNode.path.startswith(node(world, "330400").path),
            )
            .order_by(TenantNode.code)
        )
    )
    assert len(townships) >= 6
    template = published_template(world, province)
    cycle = jiaxing_townships(world, template, townships)
    assessments = list(world.scalars(select(Assessment).where(Assessment.cycle_id == cycle.id)))
    clerks: dict[int, str] = {}
    for index, assessment in enumerate(assessments):
        entries = full_entries(e1_1=EntryInput("1.1", points=Decimal(index % 10)))
        with unit_of_work(world):
            save_entries(world, None, assessment, entries, expected_version=assessment.version)
            unit = world.get(TenantNode, assessment.node_id)
            clerks[assessment.id] = f"mp-{unit.code}"
            add_user(world, unit, clerks[assessment.id], Role.SUBMITTER, password=PASSWORD)
    versions = {a.id: a.version for a in assessments}
    cycle_id = cycle.id
    world.commit()
    publish_rankings(sessions, cycle_id, force=True)  # the status row the jobs will lock

    env = {
        **os.environ,
        "DATABASE_URL": database_urls["postgresql"],
        "REDIS_URL": redis_test_url,
        "REDLINE_ATTACHMENT_DIR": str(tmp_path / "attachments"),
        "REDLINE_WEB_PROCESSES": "1",
        "REDLINE_WEB_THREADS": "4",
        # A killed worker's unfinished jobs go to the other one after 3 s of silence.
        "REDLINE_JOB_HEARTBEAT_MS": "3000",
        "REDLINE_OUTBOX_RELAY_SECONDS": "0.5",
    }
    ports = [free_port(), free_port()]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    with ExitStack() as running, engine.connect() as locker:
        # The cycle's ranking status locked: the first worker's jobs wait on it, mid-job.
        held = locker.begin()
        locker.execute(
            select(RankingStatus.id).where(RankingStatus.cycle_id == cycle_id).with_for_update()
        )
        for number, port in enumerate(ports):
            running.enter_context(
                _process(
                    [str(BIN / "gunicorn"), "-c", "platform/gunicorn.conf.py", "redline.wsgi:app"],
                    {**env, "REDLINE_BIND": f"127.0.0.1:{port}"},
                    tmp_path / f"api-{number}.log",
                )
            )

        def worker(number: int) -> subprocess.Popen:
            command = [str(BIN / "redline"), "worker", "--threads", "2"]
            log = tmp_path / f"worker-{number}.log"
            return running.enter_context(_process(command, env, log))

        first = worker(0)
        for base in bases:
            wait_for(lambda base=base: answers_ok(f"{base}/readyz"), f"{base} to be ready", 90)

        def submit(item: tuple[int, Assessment]) -> str:
            index, assessment = item
            base = bases[index % 2]  # half the townships through each API
            with requests.Session() as http:
                signed = _graphql(http, base, SIGN_IN, {"u": clerks[assessment.id], "p": PASSWORD})[
                    "signIn"
                ]
                csrf = signed["viewer"]["csrfToken"]
                answer = _graphql(
                    http,
                    base,
                    SUBMIT,
                    {"id": _gid(assessment.id), "v": versions[assessment.id]},
                    csrf,
                )["submitAssessment"]
            if answer["errors"]:
                return answer["errors"][0]["code"]
            return answer["assessment"]["state"]

        with ThreadPoolExecutor(8) as pool:
            try:
                outcomes = list(pool.map(submit, enumerate(assessments)))
            except AssertionError as failed:
                raise AssertionError(f"{failed}\n{_server_errors(tmp_path)}") from None
        assert outcomes == ["SUBMITTED"] * len(assessments)
        # Both of the first worker's threads wait on the lock, in jobs it has not finished.
        wait_for(lambda: _waiting_on_locks(locker) >= 2, "the first worker's jobs to block")
        first.kill()
        worker(1)
        held.rollback()

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            world.rollback()
            status = world.scalar(select(RankingStatus).where(RankingStatus.cycle_id == cycle_id))
            if status is not None and status.snapshot_id and not status.pending:
                ranked = world.scalar(
                    select(RankingRow.of).where(
                        RankingRow.snapshot_id == status.snapshot_id,
                        RankingRow.level == TenantLevel.TOWNSHIP,
                        RankingRow.scope_node_id == node(world, "330400").id,
                    )
                )
                if ranked == len(assessments):
                    break
            time.sleep(0.5)
        else:
            raise AssertionError(
                "the surviving worker did not publish every township:\n"
                + (tmp_path / "worker-1.log").read_text()[-3000:]
            )
        published = _standings(world, cycle_id)

    # Every assessment submitted exactly once, the audit log's chains intact.
    world.rollback()
    states = world.execute(
        select(Assessment.id, Assessment.state, Assessment.version).where(
            Assessment.cycle_id == cycle_id
        )
    ).all()
    assert {(i, s, v) for i, s, v in states} == {
        (i, AssessmentState.SUBMITTED, versions[i] + 1) for i in versions
    }
    assert audit.verify(world).intact
    # One process computing the same data publishes the same rankings.
    publish_rankings(sessions, cycle_id, force=True)
    assert _standings(world, cycle_id) == published


def _gid(assessment_id: int) -> str:
    return to_base64("Assessment", assessment_id)
