"""The API under gunicorn as ``platform/gunicorn.conf.py`` runs it: several processes, some
replaced, whose metrics add up at /metrics; a SIGTERM that lets them finish and stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from prometheus_client.parser import text_string_to_metric_families

from redline.db import make_engine
from redline.migrations import upgrade
from tests.factories.processes import answers_ok, free_port, wait_for

REPO = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
TOKEN = "scrape-token-2"


def _healthz_count(base: str) -> float:
    answer = requests.get(
        f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    return sum(
        sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
        if sample.name == "redline_request_seconds_count"
        and sample.labels == {"operation": "healthz", "status": "2xx"}
    )


def test_processes_metrics_add_up_and_sigterm_stops_them(tmp_path, redis_test_url):
    database = f"sqlite:///{tmp_path / 'redline.db'}"
    engine = make_engine(database)
    upgrade(engine)
    engine.dispose()
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "histogram_1.db").write_bytes(b"")  # an earlier run's: emptied at start
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "REDIS_URL": redis_test_url,
        "REDLINE_BIND": f"127.0.0.1:{port}",
        "REDLINE_WEB_PROCESSES": "2",
        "REDLINE_WEB_THREADS": "2",
        "REDLINE_METRICS_TOKEN": TOKEN,
        "REDLINE_ATTACHMENT_DIR": str(tmp_path / "attachments"),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        # A process is replaced after 10 requests: of 30, one of the two answers 15 at least,
        # so the figures come from three processes or more, one of them gone.
        "GUNICORN_CMD_ARGS": "--max-requests 10 --max-requests-jitter 0",
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "platform/gunicorn.conf.py", "redline.wsgi:app"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: answers_ok(f"{base}/healthz"), "gunicorn to answer")
        answered_before = _healthz_count(base)

        def health(_: int) -> int:
            with requests.Session() as http:  # a connection of its own each time
                return http.get(f"{base}/healthz", timeout=30).status_code

        with ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(health, range(30)))
        assert statuses == [200] * 30
        # Each process keeps its own file; /metrics adds them up, whichever process answers,
        # a process that has exited included.
        assert len({p.name for p in metrics_dir.glob("histogram_*.db")}) >= 3
        assert _healthz_count(base) == answered_before + 30
        assert not (metrics_dir / "histogram_1.db").exists()
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=45) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        log.close()
