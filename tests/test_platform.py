"""The deployment files of platform/ hold together with the code: the Dockerfile passes hadolint,
the compose file's commands are the CLI's, its settings are ones the app reads, the API waits
for the migrations and reports ready at /readyz. (No container engine runs on the development
machine: what is checked here is what can be without one.)"""

from __future__ import annotations

import re
import subprocess
import sys
from itertools import takewhile
from pathlib import Path

import yaml
from click.testing import CliRunner

from redline import config
from redline.cli import main as cli

REPO = Path(__file__).resolve().parents[1]
PLATFORM = REPO / "platform"
# Settings read by something other than redline.config (the worker's option, gunicorn's
# configuration, prometheus_client).
READ_ELSEWHERE = {
    "REDLINE_METRICS_PORT",
    "REDLINE_WEB_PROCESSES",
    "REDLINE_WEB_THREADS",
    "REDLINE_BIND",
    "REDLINE_LOG_FORMAT",
    "PROMETHEUS_MULTIPROC_DIR",
}


def _compose() -> dict:
    return yaml.safe_load((PLATFORM / "compose.yaml").read_text(encoding="utf-8"))


def test_the_dockerfile_passes_hadolint():
    hadolint = Path(sys.executable).with_name("hadolint")
    result = subprocess.run(
        [str(hadolint), str(PLATFORM / "Dockerfile")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_images_commands_are_the_clis():
    """Every `redline ...` command the compose file runs exists with its options."""
    services = _compose()["services"]
    runner = CliRunner()
    for name in ("migrate", "worker", "scheduler"):
        command = services[name]["command"]
        assert command[0] == "redline", name
        words = command[1:]
        subcommands = list(takewhile(lambda word: not word.startswith("-"), words))
        options = [w for w in words if w.startswith("--")]
        helped = runner.invoke(cli, [*subcommands, "--help"])
        assert helped.exit_code == 0, (name, helped.output)
        for option in options:
            assert option in helped.output, (name, option)
    assert services["api"]["command"][:3] == ["gunicorn", "-c", "platform/gunicorn.conf.py"]
    assert (REPO / services["api"]["command"][2]).is_file()


def test_the_settings_given_are_ones_the_app_reads():
    read = (Path(config.__file__).read_text(encoding="utf-8")) + "".join(
        p.read_text(encoding="utf-8")
        for p in (REPO / "redline" / "cli.py", REPO / "redline" / "logs.py")
    )
    given = set(_compose()["x-redline"]["environment"])
    given |= set(re.findall(r"\b(REDLINE_[A-Z_]+|PROMETHEUS_[A-Z_]+)=", _dockerfile()))
    unread = sorted(
        name
        for name in given
        if name.startswith(("REDLINE_", "PROMETHEUS_"))
        and name not in READ_ELSEWHERE
        and f'"{name}"' not in read
        and f'"{name.removeprefix("REDLINE_")}"' not in read
    )
    assert unread == []
    assert "DATABASE_URL" in given and "REDIS_URL" in given


def test_the_api_starts_after_the_migrations_and_reports_ready():
    services = _compose()["services"]
    assert services["migrate"]["restart"] == "no"
    for name in ("api", "worker", "scheduler"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
    probe = " ".join(services["api"]["healthcheck"]["test"])
    assert "/readyz" in probe
    assert "/livez" in _dockerfile()  # the image's own check: alive, whatever the database


def _dockerfile() -> str:
    return (PLATFORM / "Dockerfile").read_text(encoding="utf-8")
