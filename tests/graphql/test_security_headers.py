"""Every answer carries the security headers: the page, the API, a file, an error; HSTS only
behind HTTPS; and over real HTTP, no Server header naming versions."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from redline.app import create_app
from redline.headers import (
    CONTENT_SECURITY_POLICY,
    SERVER,
    STRICT_TRANSPORT_SECURITY,
)
from tests.factories.processes import free_port


def _answers(client):
    return {
        "page": client.get("/"),
        "api": client.post("/graphql", json={"query": "{ __typename }"}),
        "refused": client.post("/graphql", data=b"{", content_type="application/json"),
        "no such file": client.get("/files/evidence/QXR0YWNobWVudDox"),
        "health": client.get("/healthz"),
    }


def test_every_answer_carries_the_security_headers(app):
    for what, answer in _answers(app.test_client()).items():
        headers = answer.headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, what
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY", what
        assert headers["X-Content-Type-Options"] == "nosniff", what
        assert headers["Referrer-Policy"] == "same-origin", what
        assert "Strict-Transport-Security" not in headers, what


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_https_deployments_add_hsts(runtime):
    runtime.settings = runtime.settings.with_(cookie_secure=True)
    app = create_app(runtime)
    for what, answer in _answers(app.test_client()).items():
        assert answer.headers["Strict-Transport-Security"] == STRICT_TRANSPORT_SECURITY, what


# --- the Server header over real HTTP -----------------------------------------------------------


def assert_no_version_banner(answer: requests.Response, what: str) -> None:
    """The Server header, if any, names no product version or Python (Werkzeug's default is
    ``Werkzeug/3.1.3 Python/3.11.7``)."""
    server = answer.headers.get("Server", "")
    assert not re.search(r"\d|werkzeug|python", server, re.IGNORECASE), (what, server)
    assert server in ("", SERVER), (what, server)


def test_redline_serve_names_no_versions(tmp_path, redis_test_url):
    """`redline serve` as deployed without gunicorn: every answer, a page, the API, an error, a
    refused body, says ``Server: Redline``."""
    redline = Path(sys.executable).with_name("redline")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "REDIS_URL": redis_test_url,
        "REDLINE_ATTACHMENT_DIR": str(tmp_path / "files"),
        "PYTHONUNBUFFERED": "1",
    }
    subprocess.run([str(redline), "db", "upgrade"], env=env, check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen(
        [str(redline), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                requests.get(f"{base}/healthz", timeout=1)
                break
            except requests.ConnectionError:
                assert process.poll() is None, "redline serve stopped"
                time.sleep(0.1)
        answers = {
            "page": requests.get(f"{base}/", headers={"Accept": "text/html"}, timeout=10),
            "api": requests.post(f"{base}/graphql", json={"query": "{ __typename }"}, timeout=10),
            "refused": requests.post(
                f"{base}/graphql",
                data=b"{",
                headers={"Content-Type": "application/json"},
                timeout=10,
            ),
            "no such file": requests.get(f"{base}/files/evidence/QXR0YWNobWVudDox", timeout=10),
            "health": requests.get(f"{base}/healthz", timeout=10),
            "head": requests.head(f"{base}/healthz", timeout=10),
        }
        assert answers["api"].json()["data"] == {"__typename": "Query"}
        for what, answer in answers.items():
            assert_no_version_banner(answer, what)
            assert answer.headers["Server"] == SERVER, what
    finally:
        process.terminate()
        process.wait(timeout=30)
