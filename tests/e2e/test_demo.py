"""`redline demo` as a new user runs it: serves the API, and Ctrl-C stops everything."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.factories.processes import free_port

REDLINE = Path(sys.executable).with_name("redline")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


@pytest.fixture
def demo(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [str(REDLINE), "demo", "--port", str(port), "--instance", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    output: list[str] = []
    deadline = time.time() + 90
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        output.append(line)
        if "Press Ctrl-C to stop" in line:
            break
    text = "".join(output)
    match = re.search(r"Embedded Redis pid (\d+)", text)
    assert match, text
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if requests.get(f"{base}/healthz", timeout=1).ok:
                break
        except requests.ConnectionError:
            time.sleep(0.1)
    yield process, base, int(match.group(1)), text
    if process.poll() is None:
        process.kill()
        process.wait()


def _stop(process, sig) -> str:
    process.send_signal(sig)
    rest, _ = process.communicate(timeout=30)
    return rest


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_demo_serves_and_stops_cleanly(demo, sig):
    process, base, redis_pid, banner = demo
    assert "xjd-clerk" in banner and "redline-demo" in banner
    assert _alive(redis_pid)

    http = requests.Session()
    signed_in = http.post(
        f"{base}/graphql",
        json={
            "query": (
                'mutation { signIn(input: {username: "xjd-clerk", password: "redline-demo"}) {'
                " viewer { user { node { nameEn ancestors { code } } } } errors { code } } }"
            )
        },
        timeout=10,
    ).json()
    viewer = signed_in["data"]["signIn"]["viewer"]
    assert viewer["user"]["node"]["nameEn"] == "Xiangjiadang Region"
    assert [a["code"] for a in viewer["user"]["node"]["ancestors"]] == [
        "330000",
        "330400",
        "330402",
    ]
    # The app (or, before `make frontend`, the page saying how to build it) at /, any screen's path.
    for path in ("/", "/rankings"):
        page = http.get(f"{base}{path}", headers={"Accept": "text/html"}, timeout=10)
        assert page.headers["Content-Type"].startswith("text/html")
        assert "Redline" in page.text
        # No version banner (Werkzeug's default names itself and Python, with versions).
        assert page.headers["Server"] == "Redline"
    assert http.get(f"{base}/healthz", timeout=10).headers["Server"] == "Redline"

    rest = _stop(process, sig)
    assert process.returncode in (0, -sig, 130), rest
    assert "Stopped." in rest
    for _ in range(50):
        if not _alive(redis_pid):
            break
        time.sleep(0.1)
    assert not _alive(redis_pid), "the embedded redis-server outlived the demo"
