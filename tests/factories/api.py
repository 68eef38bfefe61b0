"""The API over HTTP: GraphQL documents and inputs, signed-in clients, the app and a live server."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import dramatiq
import requests
from redis import Redis
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from strawberry.relay import GlobalID
from werkzeug.serving import make_server

from redline import jobs, outbox
from redline.app import Runtime, build_runtime, create_app
from redline.config import Settings
from redline.headers import ServerHandler
from scoring.engine import ClauseScope
from scoring.engine.consequences import Trigger
from scoring.engine.words import Language
from scoring.templates.document import ItemInput, TemplateContent
from scoring.templates.models import Template
from tenants.models import TenantNode
from tests.factories.tenants import node

ERRORS = "errors { field message code }"
PDF = b"%PDF-1.4\n% evidence of the quarterly safety committee meeting\n%%EOF\n"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CATEGORY = """
code title criteria requirement maxPoints bonus local
indicators {
  code title criteria requirement maxPoints method target floor required source categoryCode
  tiers { minValue points }
  clauses { key kind text points threshold fact }
}
"""
TEMPLATE = f"""
id version state title year totalPoints bonusCap lockVersion publishedAt excelUrl
grades {{ excellent good qualified }}
family {{ code name owner {{ code }} }}
owner {{ code }}
extends {{ id version }}
copiedFrom {{ id version }}
categories {{ {CATEGORY} categories {{ {CATEGORY} categories {{ {CATEGORY} }} }} }}
vetoRules {{ code title text kind severity threshold }}
problems {{ field message code }}
"""


def gid(type_name: str, db_id: int) -> str:
    """The global id of a row, as the API gives it."""
    return str(GlobalID(type_name, str(db_id)))


def tenant_id(session: Session, code: str) -> str:
    """The global id of the unit with this code (read fresh: as requests committed it)."""
    return gid("Tenant", node(session, code, fresh=True).id)


def ok(result: dict[str, Any]) -> dict[str, Any]:
    """The data of an answer without errors."""
    assert "errors" not in result, result["errors"]
    return result["data"]


def mutate(gql, name: str, input_type: str, selection: str, input_: dict[str, Any]) -> dict:
    """Run ``name(input: ...)`` and return its payload."""
    query = (
        f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {selection} {ERRORS} }} }}"
    )
    return ok(gql.execute(query, {"input": input_}))[name]


def fields_of(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    """(field, code) of every error of a payload."""
    return [(e["field"], e["code"]) for e in payload["errors"]]


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def item_input(item: ItemInput) -> dict[str, Any]:
    """One item of a document as GraphQL input (enums by name, amounts as strings)."""
    return {
        "code": item.code,
        "title": item.title,
        "kind": item.kind.name,
        "maxPoints": str(item.max_points),
        "criteria": item.criteria,
        "requirement": item.requirement,
        "bonus": item.bonus,
        "local": item.local,
        "method": item.method.name if item.method else None,
        "target": _decimal(item.target),
        "floor": _decimal(item.floor),
        "tiers": [{"minValue": str(t.min_value), "points": str(t.points)} for t in item.tiers],
        "clauses": [
            {
                "key": c.key,
                "kind": c.kind.name,
                "text": c.text,
                "points": str(c.points),
                "threshold": _decimal(c.threshold),
                "fact": c.fact,
                "scope": ClauseScope(c.scope).name,
                "factScope": ClauseScope(c.fact_scope).name,
            }
            for c in item.clauses
        ],
        "required": item.required,
        "source": item.source,
        "children": [item_input(child) for child in item.children],
    }


def content_input(content: TemplateContent) -> dict[str, Any]:
    """A whole document as the TemplateContentInput of the API."""
    return {
        "title": content.title,
        "year": content.year,
        "totalPoints": str(content.total_points),
        "bonusCap": str(content.bonus_cap),
        "gradeExcellent": str(content.grade_excellent),
        "gradeGood": str(content.grade_good),
        "gradeQualified": str(content.grade_qualified),
        "language": Language(content.language).name,
        "items": [item_input(item) for item in content.items],
        "vetoRules": [
            {
                "code": r.code,
                "title": r.title,
                "text": r.text,
                "kind": r.kind.name,
                "severity": r.severity.name,
                "threshold": r.threshold,
            }
            for r in content.veto_rules
        ],
        "consequences": {
            "commendationQuota": content.consequences.commendation_quota,
            "criticiseOn": [t.name for t in Trigger if t in content.consequences.criticise_on],
            "interviewOn": [t.name for t in Trigger if t in content.consequences.interview_on],
            "ineligibleMonths": content.consequences.ineligible_months,
            "retroactiveYears": content.consequences.retroactive_years,
        },
    }


UPLOAD_EVIDENCE = f"""
mutation($input: UploadEvidenceInput!) {{
  uploadEvidence(input: $input) {{
    attachment {{ id filename contentType size sha256 downloadUrl }}
    assessment {{ version }}
    {ERRORS}
  }}
}}
"""


def upload_evidence(
    gql,
    assessment_id: str,
    data: bytes,
    filename: str,
    content_type: str,
    *,
    item_code: str = "1.3",
    csrf: bool = True,
):
    """Upload one evidence file to an indicator of an assessment (a global id); the raw
    response."""
    variables = {"input": {"assessmentId": assessment_id, "itemCode": item_code, "file": None}}
    return upload(
        gql, UPLOAD_EVIDENCE, variables, "input.file", data, filename, content_type, csrf=csrf
    )


def upload(
    gql,
    query: str,
    variables: dict[str, Any],
    path: str,
    data: bytes,
    filename: str,
    content_type: str,
    *,
    csrf: bool = True,
):
    """Post an operation with one file as a GraphQL multipart request; the raw response."""
    form = {
        "operations": json.dumps({"query": query, "variables": variables}),
        "map": json.dumps({"0": [f"variables.{path}"]}),
        "0": (io.BytesIO(data), filename, content_type),
    }
    headers = {"X-CSRF-Token": gql.csrf_token} if csrf and gql.csrf_token else {}
    response = gql.http.post(
        "/graphql", data=form, content_type="multipart/form-data", headers=headers
    )
    gql.last_response = response
    return response


OPEN_CYCLE = "cycle { id name state level template { id } owner { code } }"


def open_cycle(
    gql,
    template: Template,
    owner: TenantNode,
    *,
    self_due: datetime = datetime(2099, 1, 31, 16, 0, tzinfo=UTC),
    name: str = "2026年度乡镇安全生产工作考核",
    **choice: Any,
) -> dict[str, Any]:
    """Open a township cycle through the API (as whoever ``gql`` is signed in as); ``choice``
    adds `kinds` or `unitIds`, or another `level`."""
    return mutate(
        gql,
        "openCycle",
        "OpenCycleInput",
        OPEN_CYCLE,
        {
            "templateId": gid("Template", template.id),
            "ownerNodeId": gid("Tenant", owner.id),
            "name": name,
            "level": "TOWNSHIP",
            "periodStart": "2026-01-01",
            "periodEnd": "2026-12-31",
            "selfDue": self_due.isoformat(),
            "reviewDue": datetime(2099, 2, 28, 16, 0, tzinfo=UTC).isoformat(),
            **choice,
        },
    )


# Every required indicator of the sample provincial template (``sample_content``) filled, as
# SaveEntriesInput entries (deductions need no input: none happened); and those indicators.
FULL_ENTRIES = [
    {"itemCode": "1.2", "value": "95"},
    {"itemCode": "1.3", "done": True, "note": "4 meetings: minutes attached"},
    {"itemCode": "2.1", "value": "96"},
    {"itemCode": "3.1.1", "value": "100"},
    {"itemCode": "3.2.1", "points": "6"},
    {"itemCode": "4.1", "value": "100"},
    {"itemCode": "6.1", "done": True},
    {"itemCode": "8.1", "points": "0"},
    {"itemCode": "8.2", "points": "2"},
    {"itemCode": "2.2", "counts": [{"key": "a", "count": 1}]},
]
REQUIRED_CODES = ["1.2", "1.3", "2.1", "3.1.1", "3.2.1", "4.1", "6.1", "8.1", "8.2"]


SIGN_IN = """
mutation SignIn($username: String!, $password: String!) {
  signIn(input: {username: $username, password: $password}) {
    viewer { csrfToken user { id username node { code } } }
    errors { field message code }
  }
}
"""


class _Browser:
    """A person at a browser: signed in, the session's CSRF token goes with every operation."""

    csrf_token: str | None

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        raise NotImplementedError

    def _sign_in(self, username: str, password: str) -> dict[str, Any]:
        """The whole answer to signIn; the CSRF token kept when it let the person in."""
        result = self.execute(SIGN_IN, {"username": username, "password": password})
        payload = (result.get("data") or {}).get("signIn") or {}
        if payload.get("viewer"):
            self.csrf_token = payload["viewer"]["csrfToken"]
        return result


class GraphQLClient(_Browser):
    """Posts GraphQL operations like a browser would, through Flask's test client: cookie
    session plus the CSRF header (or a bearer token)."""

    def __init__(self, flask_client: Any) -> None:
        self.http = flask_client
        self.csrf_token: str | None = None
        self.bearer: str | None = None
        self.last_response: Any = None

    def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        all_headers = {}
        if self.csrf_token:
            all_headers["X-CSRF-Token"] = self.csrf_token
        if self.bearer:
            all_headers["Authorization"] = f"Bearer {self.bearer}"
        all_headers.update(headers or {})
        response = self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=all_headers
        )
        self.last_response = response
        assert response.status_code == 200, response.data
        return response.get_json()

    def sign_in(self, username: str, password: str = "redline-demo") -> dict[str, Any]:
        """The signIn payload (viewer and errors)."""
        return self._sign_in(username, password)["data"]["signIn"]


def signed_in(make_gql, username: str) -> GraphQLClient:
    """A new client, signed in as ``username`` (it must get in)."""
    client = make_gql()
    payload = client.sign_in(username)
    assert payload["errors"] == [] and payload["viewer"], (username, payload)
    return client


def statements_for(
    gql, statement_counter: list[str], query: str, variables: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    """How many SQL statements answering ``query`` took, and the data of its (error-free)
    answer."""
    statement_counter.clear()
    result = gql.execute(query, variables)
    assert "errors" not in result, result
    return len(statement_counter), result["data"]


# --- the app ---------------------------------------------------------------------------------


def app_runtime(
    engine: Engine, database_url: str, redis: Redis, redis_url: str, attachment_dir: Path
) -> Runtime:
    """The app's runtime as the tests run it: jobs on a stub broker, a long first sign-in delay
    (so throttling tests cannot outlast it on a slow machine), evidence files in
    ``attachment_dir`` (the test's own folder, never the checkout's instance/)."""
    settings = Settings(
        database_url=database_url,
        redis_url=redis_url,
        signin_first_delay_seconds=60,
        attachment_dir=attachment_dir,
    )
    return build_runtime(settings, redis=redis, broker=jobs.stub_broker(), engine=engine)


@contextmanager
def clients_of(
    engine: Engine, redis: Redis, redis_url: str, attachment_dir: Path
) -> Iterator[Callable[[], GraphQLClient]]:
    """New clients of an app on ``engine``'s database (one the tests share, such as the whole
    demo's), until the block ends."""
    runtime = app_runtime(
        engine, engine.url.render_as_string(hide_password=False), redis, redis_url, attachment_dir
    )
    app = create_app(runtime)
    app.config["TESTING"] = True
    try:
        yield lambda: GraphQLClient(app.test_client())
    finally:
        runtime.broker.close()


@dataclass
class LiveServer:
    """A running app: its URL, broker and worker."""

    url: str
    engine: Engine
    broker: dramatiq.Broker
    worker: dramatiq.Worker

    def drain(self, timeout_ms: int = 60_000) -> None:
        """Wait until every queue is empty and the worker idle, jobs queued by jobs included."""
        for _ in range(4):  # a job may queue another: rescore -> rankings
            outbox.relay(self.engine, self.broker)
            for queue in sorted(self.broker.get_declared_queues()):
                self.broker.join(queue, timeout=timeout_ms)
            self.worker.join()


@contextmanager
def live_server(
    engine: Engine, database_url: str, redis_client: Redis, settings: Settings | None = None
) -> Iterator[LiveServer]:
    """Serve the app on a free port of 127.0.0.1 (threaded, as `redline serve` is) with two
    worker threads and an outbox relay on the real Redis, until the block ends."""
    settings = (settings or Settings()).with_(
        database_url=database_url, redis_url="redis://unused", signin_first_delay_seconds=60
    )
    broker = jobs.redis_broker(redis_client)
    broker.flush_all()
    runtime = build_runtime(settings, redis=redis_client, broker=broker, engine=engine)
    worker = jobs.start_worker(runtime.broker, threads=2)
    relay = outbox.Relay(engine, runtime.broker, interval=0.5).start()
    server = make_server(
        "127.0.0.1", 0, create_app(runtime), threaded=True, request_handler=ServerHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", engine, broker, worker)
    finally:
        server.shutdown()
        thread.join(10)
        relay.stop()
        worker.stop(timeout=10_000)
        broker.flush_all()
        broker.close()


class HttpClient(_Browser):
    """A person at a browser: cookie session, the CSRF header on mutations, JSON over HTTP."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = requests.Session()
        self.csrf_token: str | None = None

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        headers = {"X-CSRF-Token": self.csrf_token} if self.csrf_token else {}
        response = self.http.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers=headers,
            timeout=120,
        )
        assert response.status_code == 200, (response.status_code, response.text[:500])
        return response.json()

    def sign_in(self, username: str, password: str = "redline-demo") -> dict[str, Any]:
        """The whole answer to signIn (whatever it is: the writers' tests count them)."""
        return self._sign_in(username, password)
