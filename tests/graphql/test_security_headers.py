"""Every answer carries the security headers: the page, the API, a file, an error; HSTS only
behind HTTPS."""

from __future__ import annotations

import pytest

from redline.app import create_app
from redline.headers import CONTENT_SECURITY_POLICY, STRICT_TRANSPORT_SECURITY


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
