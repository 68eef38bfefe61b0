"""Prometheus metrics: GET /metrics behind its token, requests timed by GraphQL operation, jobs
timed by actor, and the backlog (queue depth, unsent outbox rows) counted when scraped."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from graphql_schema.core.persisted import AllowList
from redline import metrics
from redline.config import DEFAULT_PERSISTED_QUERIES_FILE
from redline.db import utcnow
from redline.outbox import OutboxMessage
from tenants.jobs import purge_expired_sessions
from tenants.models import User, WebSession
from tests.factories.jobs import run_queue

TOKEN = "scrape-token-1"


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of an exposition by (name, sorted labels)."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _scrape(client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200, answer.data
    assert answer.content_type.startswith("text/plain")
    return _samples(answer.get_data(as_text=True))


def _requests(samples, operation: str) -> float:
    return samples.get(
        ("redline_request_seconds_count", (("operation", operation), ("status", "2xx"))), 0.0
    )


def test_metrics_are_off_without_a_token_and_refused_without_the_right_one(app, runtime):
    client = app.test_client()
    assert client.get("/metrics").status_code == 404  # no token set: no /metrics
    runtime.settings = runtime.settings.with_(metrics_token=TOKEN)
    refused = client.get("/metrics")
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"] == "Bearer"
    assert client.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert "redline_outbox_unsent" in client.get(
        "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
    ).get_data(as_text=True)


def test_requests_are_timed_by_their_registered_operation(world, gql, runtime):
    runtime.settings = runtime.settings.with_(metrics_token=TOKEN)
    before = _scrape(gql.http)
    gql.sign_in("xjd-clerk")
    viewer = {
        "operationName": "Viewer",
        "extensions": {
            "persistedQuery": {
                "version": 1,
                "sha256Hash": AllowList.read(DEFAULT_PERSISTED_QUERIES_FILE).hash_of("Viewer"),
            }
        },
    }
    for _ in range(2):
        assert gql.http.post("/graphql", json=viewer).status_code == 200
    # A document sent as text, or a name a client makes up, is counted as unregistered.
    made_up = {"query": "query Whatever { __typename }", "operationName": "Whatever"}
    assert gql.http.post("/graphql", json=made_up).status_code == 200
    after = _scrape(gql.http)
    assert _requests(after, "Viewer") - _requests(before, "Viewer") == 2
    assert _requests(after, "unregistered") - _requests(before, "unregistered") >= 2  # signIn too
    assert not any(labels and ("operation", "Whatever") in labels for _, labels in after)
    assert _requests(after, "healthz") == _requests(before, "healthz")
    gql.http.get("/healthz")
    assert _requests(_scrape(gql.http), "healthz") == _requests(after, "healthz") + 1


def test_the_backlog_counts_waiting_jobs_and_unsent_outbox_rows(world, redis_broker, engine):
    backlog = metrics.Backlog(redis_broker, engine)
    purge_expired_sessions.send()
    world.add(OutboxMessage(actor_name="tenants.purge_expired_sessions", args=[]))
    world.add(
        OutboxMessage(
            actor_name="tenants.purge_expired_sessions",
            args=[],
            created_at=utcnow() - timedelta(minutes=5),
        )
    )
    world.commit()
    registry = CollectorRegistry()
    registry.register(backlog)
    samples = _samples(generate_latest(registry).decode())
    assert samples[("redline_queue_messages", (("queue", "maintenance"),))] == 1
    assert samples[("redline_outbox_unsent", ())] == 2
    assert 290 <= samples[("redline_outbox_oldest_unsent_seconds", ())] < 900


def test_jobs_are_timed_by_actor_and_outcome(world, redis_broker):
    def done(outcome: str) -> float:
        labels = {"actor": purge_expired_sessions.actor_name, "outcome": outcome}
        return next(
            (
                sample.value
                for family in metrics.JOB_SECONDS.collect()
                for sample in family.samples
                if sample.name == "redline_job_seconds_count" and sample.labels == labels
            ),
            0.0,
        )

    before = done("ok")
    user = world.scalar(select(User).where(User.username == "xjd-clerk"))
    world.add(
        WebSession(
            user_id=user.id,
            token_hash="c" * 64,
            csrf_token="z",
            expires_at=utcnow() - timedelta(minutes=1),
        )
    )
    world.commit()
    purge_expired_sessions.send()
    run_queue(redis_broker, "maintenance")
    assert done("ok") == before + 1
