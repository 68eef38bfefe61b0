"""Benchmark: the submission burst before a deadline, townships submitting their self-assessments
at once through gunicorn, on PostgreSQL and on the embedded SQLite default.

For each backend, a data set of one province (``generate.py``'s tree, template and entries):
``--townships`` townships under 3 cities and 15 counties, the province's published template of
``--indicators`` indicators (plus 2 bonus), one open township cycle whose self-assessment
deadline is an hour from now, and per township a draft assessment with every entry filled
(scored as a saved draft is: cached totals and item scores) and a submitter signed in (a browser
session row, one argon2 hash shared by every account). PostgreSQL: a scratch database
(``scratch.py``); SQLite: a file in a temporary directory; both migrated by the real migrations
and filled by the same SQLAlchemy Core inserts.

Then the production shape: ``gunicorn 'redline.wsgi:app'`` (``--workers 2 --threads 4``, gthread:
the docs name no worker settings, so two processes for two cores, four threads each) and one
``redline worker --threads 4`` (the README's command: ranking recomputes, the outbox relay) on
the real Redis, a database number of its own (claimed as the tests claim theirs, flushed), the
settings production sets (persisted queries only, no introspection, no GraphiQL). ``--clients``
threads with ``requests`` each take townships in turn and, all released together, send what the
browser sends: the frontend's registered ``SubmitSelfAssessment`` by its hash, with the session
cookie and the CSRF header. Measured: sustained submissions per second (done / the burst's wall
time), p50 and p99 latency, outcomes by error code, peak RSS of the gunicorn workers (sampled
during the burst, and each process's lifetime high-water mark). The baseline, in the same run
against the same server: as many requests of the frontend's ``Viewer`` query (every page load
sends it), same clients, same sessions, same concurrency.

Checked afterwards in the database: every assessment submitted exactly once (state, version,
submitter, one ``state -> submitted`` audit event, one ``submitAssessment`` audit-log entry),
the audit chain intact; then how long the worker took to publish a ranking holding every unit.
Exits non-zero if a submission is lost or duplicated.

    .venv/bin/python bench/submission_burst.py [--backend postgresql|sqlite|both]
        [--townships 300] [--clients 20] [--indicators 100] [--shape 2x4] [--pg URL]
        [--redis-server URL]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import psutil
import requests
from generate import (  # bench/: run as a script, bench/ is on the path
    ASSESSMENT_COPY,
    ENTRY_COPY,
    SERVER,
    Indicator,
    Province,
    Sizes,
    _assessment_row,
    _entry_rows,
    _tree_rows,
    write_template_and_cycle,
)
from redis import Redis
from scratch import scratch_database
from sqlalchemy import Engine, func, insert, select, text, update
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from graphql_schema.core.persisted import AllowList
from redline.config import DEFAULT_PERSISTED_QUERIES_FILE
from redline.db import make_engine, make_session_factory, unit_of_work, utcnow
from redline.migrations import upgrade
from redline.outbox import OutboxMessage
from scoring.assessments.item_scores import store_many
from scoring.assessments.models import Assessment, AssessmentState, AuditEvent, Cycle, Entry
from scoring.assessments.scorecards import (
    cached_scores,
    kept_item_scores,
    load_template_of,
    scorecards_many,
)
from scoring.engine import Method
from scoring.rankings.models import RankingRow
from scoring.rankings.reading import current_snapshot_id
from tenants import audit
from tenants.auth import SESSION_COOKIE
from tenants.models import Customer, Role, RoleGrant, TenantLevel, TenantNode, User, WebSession
from tenants.passwords import hash_password

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the virtualenv's scripts: gunicorn, redline


def gunicorn_shape(shape: str) -> tuple[str, ...]:
    """gunicorn's options for a shape "PxT": P processes of T threads each (gthread)."""
    processes, _, threads = shape.partition("x")
    return ("--workers", processes, "--threads", threads, "--worker-class", "gthread")


GUNICORN = gunicorn_shape("2x4")
JOB_THREADS = "4"
CITIES, COUNTIES = 3, 5  # per province, per city: 15 counties share the townships
PASSWORD = "bench-burst-password-1"  # noqa: S105 - a scratch database's accounts
TENANT_COLUMNS = (  # generate.write_tree's COPY: what _tree_rows yields
    "id", "customer_id", "parent_id", "code", "level", "kind", "path", "depth", "name_zh",
    "name_en", "created_at", "updated_at",
)  # fmt: skip
REQUEST_TIMEOUT = 120  # seconds: a request slower than this counts as failed
RANKING_WAIT = 180  # seconds to wait for the worker's ranking holding every unit
REDIS_CLAIM = "redline-tests:claim:{}"  # the tests' claims on Redis databases (tests/conftest.py)
# Alembic's reflection on SQLite, once per migration: noise here.
warnings.filterwarnings("ignore", "Skipped unsupported reflection")


def _columns(copy: str) -> list[str]:
    """The column names of one of ``generate.py``'s COPY statements."""
    return copy.split("(", 1)[1].split(")", 1)[0].split(", ")


# --- the data set ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Township:
    """One township's submitter as a client sees it: the assessment and the browser session."""

    node_id: int
    assessment_id: int
    version: int
    user_id: int
    cookie: str
    csrf: str


@dataclass
class DataSet:
    cycle_id: int
    province_node_id: int
    townships: list[Township]
    indicators: int
    seconds: float = 0.0


def build(url: str, townships: int, indicators: int, seed: int = 2026) -> DataSet:
    """Migrate the empty database at ``url`` and fill it (see the module's docstring)."""
    started = time.perf_counter()
    per_county = math.ceil(townships / (CITIES * COUNTIES))
    sizes = Sizes(1, CITIES, COUNTIES, per_county, indicators, 0)
    sizes.check()
    engine = make_engine(url)
    try:
        upgrade(engine)
        provinces: list[Province] = []
        nodes = [
            dict(zip(TENANT_COLUMNS, row, strict=True))
            for row in _tree_rows(sizes, seed, provinces)
        ]
        (province,) = provinces
        with engine.begin() as conn:
            now = nodes[0]["created_at"]
            conn.execute(
                insert(Customer.__table__),
                [
                    {
                        "id": 1,
                        "code": province.code,
                        "name": "Bench province",
                        "created_at": now,
                        "updated_at": now,
                    }
                ],
            )
            conn.execute(insert(TenantNode.__table__), nodes)
        sessions = make_session_factory(engine)
        with sessions() as session, unit_of_work(session):
            cycle_id = write_template_and_cycle(session, province, indicators)
            cycle = session.get_one(Cycle, cycle_id)
            cycle.self_due = utcnow() + timedelta(hours=1)  # the hour before the deadline
            loaded = load_template_of(session, cycle.template_id)
            items = [
                Indicator(i.id, i.code, Method(i.method), i.max_points) for i in loaded.indicators
            ]
        chosen = province.townships[:townships]
        _write_drafts(engine, province, cycle_id, chosen, items, seed)
        _score_drafts(engine, cycle_id)
        people = _write_submitters(engine, province, chosen)
        with sessions() as session:
            versions = dict(session.execute(select(Assessment.node_id, Assessment.version)).all())
            ids = dict(session.execute(select(Assessment.node_id, Assessment.id)).all())
        return DataSet(
            cycle_id,
            province.node_id,
            [
                Township(node_id, ids[node_id], versions[node_id], *people[node_id])
                for node_id, _code in chosen
            ],
            indicators,
            time.perf_counter() - started,
        )
    finally:
        engine.dispose()


def _write_drafts(
    engine: Engine,
    province: Province,
    cycle_id: int,
    chosen: list[tuple[int, str]],
    items: list[Indicator],
    seed: int,
) -> None:
    """A draft per township, every entry filled as a submitted one is (``generate.py``'s rows)."""
    rng = random.Random(f"{seed}/burst/{province.code}")
    customer = province.customer_id
    assessment_columns, entry_columns = _columns(ASSESSMENT_COPY), _columns(ENTRY_COPY)
    assessments, entries = [], []
    for number, (node_id, _code) in enumerate(chosen, start=1):
        row = _assessment_row(rng, number, cycle_id, node_id, customer, AssessmentState.DRAFT)
        assessments.append(dict(zip(assessment_columns, row, strict=True)))
        for entry in _entry_rows(rng, number, node_id, customer, AssessmentState.SUBMITTED, items):
            values = dict(zip(entry_columns, entry, strict=True))
            values["counts"] = json.loads(values["counts"])  # COPY text; the column is JSON
            entries.append(values)
    with engine.begin() as conn:
        conn.execute(insert(Assessment.__table__), assessments)
        conn.execute(insert(Entry.__table__), entries)
        if engine.dialect.name == "postgresql":  # ids given explicitly: sequences go on after
            for table in ("customer", "tenant_node", "assessment"):
                setval = f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"  # noqa: S608
                conn.execute(text(setval))


def _score_drafts(engine: Engine, cycle_id: int, batch: int = 100) -> None:
    """Cached totals and item scores, as saving the entries left them (version unchanged)."""
    sessions = make_session_factory(engine)
    with sessions() as session, unit_of_work(session):
        loaded = load_template_of(session, session.get_one(Cycle, cycle_id).template_id)
        drafts = list(session.scalars(select(Assessment).order_by(Assessment.id)))
        for start in range(0, len(drafts), batch):
            part = drafts[start : start + batch]
            cards = scorecards_many(session, part)
            for assessment in part:
                session.execute(
                    update(Assessment.__table__)
                    .where(Assessment.__table__.c.id == assessment.id)
                    .values(**cached_scores(cards[assessment.id]))
                )
            store_many(session, [(a, kept_item_scores(loaded, cards[a.id])) for a in part])


def _write_submitters(
    engine: Engine, province: Province, chosen: list[tuple[int, str]]
) -> dict[int, tuple[int, str, str]]:
    """A submitter per township, signed in: (user id, session cookie, CSRF token) by node."""
    password_hash = hash_password(PASSWORD)  # argon2 once; every account shares it
    sessions = make_session_factory(engine)
    with sessions() as session, unit_of_work(session):
        users = {
            node_id: User(
                customer_id=province.customer_id,
                node_id=node_id,
                username=f"submitter-{code}",
                display_name=f"{code} 填报员",
                password_hash=password_hash,
            )
            for node_id, code in chosen
        }
        session.add_all(users.values())
        session.flush()
        people = {}
        for node_id, user in users.items():
            session.add(
                RoleGrant(
                    customer_id=province.customer_id,
                    user_id=user.id,
                    node_id=node_id,
                    role=Role.SUBMITTER,
                )
            )
            people[node_id] = (user.id, *sign_in(session, user.id, "bench/submission_burst"))
    return people


def sign_in(session: Session, user_id: int, agent: str) -> tuple[str, str]:
    """A browser session of the user, kept as sign-in keeps it: its (cookie, CSRF token)."""
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        WebSession(
            user_id=user_id,
            token_hash=hashlib.sha256(cookie.encode()).hexdigest(),
            csrf_token=csrf,
            expires_at=now + timedelta(hours=12),
            last_seen_at=now,
            user_agent=agent,
            address="127.0.0.1",
        )
    )
    return cookie, csrf


# --- the servers -------------------------------------------------------------------------------


@contextmanager
def redis_database(server: str) -> Iterator[str]:
    """A Redis database (1-15) no test run or other bench holds, claimed as the tests claim
    theirs (a key in database 0 that expires), flushed before and after."""
    claims = Redis.from_url(f"{server}/0")
    token = uuid.uuid4().hex
    for number in range(1, 16):
        key = REDIS_CLAIM.format(number)
        if number != 13 and claims.set(key, token, nx=True, ex=3600):  # 13: ranking_page.py's
            break
    else:
        raise RuntimeError("every Redis database 1-15 is claimed: wait for the test runs")
    url = f"{server}/{number}"
    redis = Redis.from_url(url)
    try:
        redis.flushdb()
        yield url
    finally:
        redis.flushdb()
        redis.close()
        if claims.get(key) == token.encode():
            claims.delete(key)
        claims.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Servers:
    base: str
    gunicorn: subprocess.Popen[bytes]
    worker: subprocess.Popen[bytes]
    logs: Path

    def api_processes(self) -> list[psutil.Process]:
        """The gunicorn workers (the master's children)."""
        return psutil.Process(self.gunicorn.pid).children()


@contextmanager
def servers(
    database_url: str,
    redis_url: str,
    directory: Path,
    gunicorn_options: Sequence[str] = GUNICORN,
    settings: Mapping[str, str] | None = None,
) -> Iterator[Servers]:
    """gunicorn (``gunicorn_options``) and one job worker on ``database_url``, with production's
    settings and ``settings`` (environment variables), started and always stopped."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDLINE_INSTANCE": str(directory),
        "REDLINE_ATTACHMENT_DIR": str(directory / "attachments"),
        "REDLINE_PERSISTED_QUERIES_ONLY": "true",
        "REDLINE_INTROSPECTION": "false",
        "REDLINE_GRAPHIQL": "false",
        **(settings or {}),
    }
    port = _free_port()
    logs = directory / "logs"
    logs.mkdir(exist_ok=True)
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str, command: list[str]) -> subprocess.Popen[bytes]:
        with open(logs / f"{name}.log", "wb") as log:
            process = subprocess.Popen(  # noqa: S603 - our own commands
                command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches the bench, which stops them in order
            )  # fmt: skip
        started.append(process)
        return process

    try:
        gunicorn = start(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                *gunicorn_options,
                *("--bind", f"127.0.0.1:{port}", "redline.wsgi:app"),
            ],
        )
        worker = start("worker", [str(BIN / "redline"), "worker", "--threads", JOB_THREADS])
        base = f"http://127.0.0.1:{port}"
        _wait_healthy(base, started, logs)
        yield Servers(base, gunicorn, worker, logs)
    finally:
        for process in reversed(started):
            _stop(process)


def _wait_healthy(base: str, processes: list[subprocess.Popen[bytes]], logs: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(
                    f"a server exited ({process.args}); logs in {logs}:\n{_tails(logs)}"
                )
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{base}/healthz did not answer 200 in 90 s:\n{_tails(logs)}")


def _tails(logs: Path, lines: int = 15) -> str:
    return "\n".join(
        f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
        for log in sorted(logs.glob("*.log"))
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (gunicorn and the worker stop gracefully), SIGKILL after 30 s."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- the clients -------------------------------------------------------------------------------


@dataclass
class Round:
    """What one round of requests gave: each one's latency and outcome."""

    latencies: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0  # from the release of the clients to the last answer
    done: set[int] = field(default_factory=set)  # the assessments the answers say are submitted

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]

    @property
    def ok(self) -> int:
        return self.outcomes["ok"]

    def line(self, what: str) -> str:
        rate = self.ok / self.seconds if self.seconds else 0.0
        wrong = ", ".join(
            f"{code} {n}" for code, n in sorted(self.outcomes.items()) if code != "ok"
        )
        return (
            f"{what}: {self.ok}/{len(self.latencies)} ok in {self.seconds:.2f} s = {rate:.1f}/s;"
            f" p50 {self.quantile(0.5) * 1000:.0f} ms, p99 {self.quantile(0.99) * 1000:.0f} ms,"
            f" max {max(self.latencies) * 1000:.0f} ms"
            + (f"; errors: {wrong}" if wrong else "; no errors")
        )


Send = Callable[[requests.Session, Township], tuple[str, int | None]]


def run_round(base: str, townships: list[Township], clients: int, send: Send) -> Round:
    """``clients`` threads, released together, each sending for townships i, i + clients, ..."""
    result = Round()
    lock = threading.Lock()
    gate = threading.Barrier(clients + 1)
    finished: list[float] = []

    def client(index: int) -> None:
        mine = townships[index::clients]
        with requests.Session() as http:
            gate.wait()
            for township in mine:
                started = time.perf_counter()
                try:
                    outcome, submitted = send(http, township)
                except requests.RequestException as exc:
                    outcome, submitted = type(exc).__name__, None
                latency = time.perf_counter() - started
                with lock:
                    result.latencies.append(latency)
                    result.outcomes[outcome] += 1
                    if submitted is not None:
                        result.done.add(submitted)
        with lock:
            finished.append(time.perf_counter())

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    gate.wait()
    released = time.perf_counter()
    for thread in threads:
        thread.join()
    result.seconds = max(finished) - released
    return result


def _persisted(name: str, variables: dict[str, Any]) -> dict[str, Any]:
    sha256 = AllowList.read(DEFAULT_PERSISTED_QUERIES_FILE).hash_of(name)
    return {
        "operationName": name,
        "variables": variables,
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256}},
    }


def _post(http: requests.Session, base: str, township: Township, body: dict[str, Any]) -> dict:
    answer = http.post(
        f"{base}/graphql",
        json=body,
        headers={"Cookie": f"{SESSION_COOKIE}={township.cookie}", "X-CSRF-Token": township.csrf},
        timeout=REQUEST_TIMEOUT,
    )
    if answer.status_code != 200:
        raise _Refused(f"HTTP {answer.status_code}")
    return answer.json()


class _Refused(requests.RequestException):
    pass


def _top_error(answer: dict[str, Any]) -> str | None:
    if not answer.get("errors"):
        return None
    first = answer["errors"][0]
    return (first.get("extensions") or {}).get("code") or first.get("message", "?")[:60]


def submit_sender(base: str) -> Send:
    def send(http: requests.Session, township: Township) -> tuple[str, int | None]:
        variables = {
            "input": {
                "assessmentId": to_base64("Assessment", township.assessment_id),
                "expectedVersion": township.version,
            }
        }
        try:
            answer = _post(http, base, township, _persisted("SubmitSelfAssessment", variables))
        except _Refused as refused:
            return str(refused), None
        if error := _top_error(answer):
            return error, None
        payload = answer["data"]["submitAssessment"]
        if payload["errors"]:
            return payload["errors"][0]["code"], None
        if payload["assessment"]["state"] != "SUBMITTED":
            return f"state {payload['assessment']['state']}", None
        return "ok", township.assessment_id

    return send


def viewer_sender(base: str) -> Send:
    def send(http: requests.Session, township: Township) -> tuple[str, int | None]:
        try:
            answer = _post(http, base, township, _persisted("Viewer", {}))
        except _Refused as refused:
            return str(refused), None
        if error := _top_error(answer):
            return error, None
        return ("ok" if answer["data"]["viewer"]["user"] else "not signed in"), None

    return send


class RssSampler:
    """The largest resident set of each gunicorn worker and of all of them together, sampled
    every 20 ms while running."""

    def __init__(self, processes: list[psutil.Process]) -> None:
        self.processes = processes
        self.each: dict[int, int] = {p.pid: 0 for p in processes}
        self.total = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for process in self.processes:
                try:
                    rss = process.memory_info().rss
                except psutil.Error:
                    continue
                self.each[process.pid] = max(self.each[process.pid], rss)
                total += rss
            self.total = max(self.total, total)
            self._stop.wait(0.02)


def high_water_mark(pid: int) -> int:
    """The process's peak resident set so far (VmHWM), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


# --- the check ---------------------------------------------------------------------------------


def check(url: str, data: DataSet, answered: set[int]) -> list[str]:
    """What does not hold of "every assessment submitted exactly once" (empty: all holds), and
    prints what was counted."""
    problems: list[str] = []
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            expected = {t.assessment_id: t for t in data.townships}
            rows = {a.id: a for a in session.scalars(select(Assessment))}
            transitions = Counter(
                session.scalars(
                    select(AuditEvent.assessment_id).where(
                        AuditEvent.field == "state",
                        AuditEvent.new == AssessmentState.SUBMITTED.value,
                    )
                )
            )
            logged = Counter(
                session.scalars(
                    select(audit.AuditEntry.subject).where(
                        audit.AuditEntry.action == "submitAssessment"
                    )
                )
            )
            states = Counter(a.state.value for a in rows.values())
            for assessment_id, township in expected.items():
                row = rows.get(assessment_id)
                subject = f"Assessment:{assessment_id}"
                if row is None:
                    problems.append(f"assessment {assessment_id} is gone")
                    continue
                if row.state is not AssessmentState.SUBMITTED:
                    problems.append(f"assessment {assessment_id} is {row.state.value} (lost)")
                if row.version != township.version + 1:
                    problems.append(f"assessment {assessment_id} at version {row.version}")
                if row.submitted_by_id != township.user_id or row.submitted_at is None:
                    problems.append(f"assessment {assessment_id}: submitter not recorded")
                if transitions[assessment_id] != 1:
                    problems.append(
                        f"assessment {assessment_id}:"
                        f" {transitions[assessment_id]} submitted transitions"
                    )
                if logged[subject] != 1:
                    problems.append(f"{subject}: {logged[subject]} submitAssessment audit entries")
            unanswered = {
                i for i, a in rows.items() if a.state is AssessmentState.SUBMITTED
            } - answered
            verification = audit.verify(session)
            if not verification.intact:
                problems += [f"audit chain: {finding}" for finding in verification.findings[:10]]
            print(
                f"  check: states {dict(states)};"
                f" submitted transitions {sum(transitions.values())},"
                f" submitAssessment audit entries {sum(logged.values())} for {len(expected)}"
                f" assessments; {len(unanswered)} submitted without an ok answer;"
                f" audit chain{'' if verification.intact else ' NOT'} intact"
            )
    finally:
        engine.dispose()
    return problems


def wait_for_ranking(url: str, data: DataSet, since: float) -> str:
    """How long after ``since`` the worker's published ranking held every unit."""
    engine = make_engine(url)
    try:
        sessions = make_session_factory(engine)
        deadline = time.monotonic() + RANKING_WAIT
        while True:
            with sessions() as session:
                snapshot = current_snapshot_id(session, data.cycle_id)
                ranked = 0
                if snapshot is not None:
                    ranked = session.scalar(
                        select(func.count())
                        .select_from(RankingRow)
                        .where(
                            RankingRow.snapshot_id == snapshot,
                            RankingRow.scope_node_id == data.province_node_id,
                            RankingRow.level == TenantLevel.TOWNSHIP,
                        )
                    )
                unsent = session.scalar(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(OutboxMessage.sent_at.is_(None))
                )
            if ranked == len(data.townships):
                return (
                    f"ranking with all {ranked} townships published"
                    f" {time.perf_counter() - since:.1f} s after the burst ended"
                    f" ({unsent} outbox rows unsent)"
                )
            if time.monotonic() > deadline:
                return (
                    f"NO complete ranking {RANKING_WAIT} s after the burst: {ranked} townships in"
                    f" the current snapshot, {unsent} outbox rows unsent"
                )
            time.sleep(0.5)
    finally:
        engine.dispose()


# --- one backend -------------------------------------------------------------------------------


@contextmanager
def _database(backend: str, pg: str, directory: Path) -> Iterator[str]:
    if backend == "postgresql":
        with scratch_database(pg) as url:
            yield url
    else:
        yield f"sqlite:///{directory / 'redline.db'}"


def run_backend(backend: str, args: argparse.Namespace) -> bool:
    """Build, serve, burst, check one backend and print its block; whether the check held."""
    with tempfile.TemporaryDirectory(prefix="redline-burst-") as tmp:
        directory = Path(tmp)
        with _database(backend, args.pg, directory) as url:
            data = build(url, args.townships, args.indicators)
            print(
                f"{backend}: {len(data.townships)} townships x {data.indicators} indicators"
                f" (+2 bonus) built in {data.seconds:.1f} s",
                file=sys.stderr,
                flush=True,
            )
            with (
                redis_database(args.redis_server) as redis_url,
                servers(url, redis_url, directory, gunicorn_shape(args.shape)) as up,
            ):
                workers = up.api_processes()
                warm = run_round(up.base, data.townships, args.clients, viewer_sender(up.base))
                if warm.ok != len(data.townships):
                    raise RuntimeError(f"warm-up failed: {warm.line('viewer')}\n{_tails(up.logs)}")
                baseline = run_round(up.base, data.townships, args.clients, viewer_sender(up.base))
                with RssSampler(workers) as rss:
                    burst = run_round(up.base, data.townships, args.clients, submit_sender(up.base))
                ended = time.perf_counter()
                peaks = {p.pid: high_water_mark(p.pid) for p in workers}
                job_peak = high_water_mark(up.worker.pid)
                ranking = wait_for_ranking(url, data, ended)
            mib = 1024 * 1024
            print(
                f"\n== {backend}: {len(data.townships)} townships x {data.indicators} indicators"
                f" (+2 bonus), {args.clients} clients;"
                f" gunicorn {' '.join(gunicorn_shape(args.shape))},"
                f" 1 redline worker --threads {JOB_THREADS}"
            )
            print("  " + baseline.line("baseline (Viewer query)"))
            print("  " + burst.line("burst (submitAssessment)"))
            print(
                f"  ratio to baseline: p50 {burst.quantile(0.5) / baseline.quantile(0.5):.1f}x,"
                f" p99 {burst.quantile(0.99) / baseline.quantile(0.99):.1f}x, throughput"
                f" {(burst.ok / burst.seconds) / (baseline.ok / baseline.seconds):.2f}x"
            )
            print(
                "  peak RSS of the gunicorn workers during the burst: "
                + ", ".join(f"{v / mib:.0f} MiB" for v in rss.each.values())
                + f" (together {rss.total / mib:.0f} MiB); lifetime high-water marks "
                + ", ".join(f"{v / mib:.0f} MiB" for v in peaks.values())
                + f"; job worker {job_peak / mib:.0f} MiB"
            )
            print(f"  {ranking}")
            problems = check(url, data, burst.done)
            if problems:
                print(f"  CHECK FAILED: {len(problems)} problems, e.g.")
                for problem in problems[:20]:
                    print(f"    {problem}")
            else:
                print(f"  check held: all {len(data.townships)} submitted exactly once, none lost")
            return not problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("postgresql", "sqlite", "both"), default="both")
    parser.add_argument("--townships", type=int, default=300)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--shape", default="2x4", help="gunicorn processes x threads (gthread)")
    parser.add_argument("--pg", default=SERVER, help="the server (a scratch database is made)")
    parser.add_argument("--redis-server", default="redis://127.0.0.1:6379")
    args = parser.parse_args()
    if args.townships < 1 or args.clients < 1:
        parser.error("--townships and --clients must be at least 1")
    backends = ("postgresql", "sqlite") if args.backend == "both" else (args.backend,)
    held = [run_backend(backend, args) for backend in backends]
    if not all(held):
        sys.exit("submissions lost or duplicated: see CHECK FAILED above")


if __name__ == "__main__":
    main()
