"""The app served over real HTTP with real job workers: for tests of several writers at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import dramatiq
import requests
from redis import Redis
from sqlalchemy import Engine
from werkzeug.serving import make_server

from redline import jobs, outbox
from redline.app import build_runtime, create_app
from redline.config import Settings


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
    server = make_server("127.0.0.1", 0, create_app(runtime), threaded=True)
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


class HttpClient:
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
        from tests.conftest import SIGN_IN

        result = self.execute(SIGN_IN, {"username": username, "password": password})
        payload = (result.get("data") or {}).get("signIn") or {}
        if payload.get("viewer"):
            self.csrf_token = payload["viewer"]["csrfToken"]
        return result
