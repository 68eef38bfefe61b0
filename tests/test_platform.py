"""The deployment files of platform/ hold together with the code: the Dockerfile passes hadolint,
the compose file's and the Kubernetes manifests' commands are the CLI's, their settings are ones
the app reads, the API waits for the migrations and reports ready at /readyz; the manifests
render (kubectl's kustomize) into objects the Kubernetes API's schema accepts. (No container
engine or cluster runs on the development machine: what is checked here is what can be
without one.)"""

from __future__ import annotations

import re
import runpy
import shutil
import subprocess
import sys
from itertools import takewhile
from pathlib import Path

import kubernetes_validate
import pytest
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


def _assert_the_clis(command: list[str], name: str) -> None:
    """``command`` is a `redline ...` command of the CLI, with options it has."""
    assert command[0] == "redline", name
    words = command[1:]
    subcommands = list(takewhile(lambda word: not word.startswith("-"), words))
    options = [w for w in words if w.startswith("--")]
    helped = CliRunner().invoke(cli, [*subcommands, "--help"])
    assert helped.exit_code == 0, (name, helped.output)
    for option in options:
        assert option in helped.output, (name, option)


def _assert_the_apis(command: list[str]) -> None:
    assert command[:3] == ["gunicorn", "-c", "platform/gunicorn.conf.py"]
    assert command[3] == "redline.wsgi:app"
    assert (REPO / command[2]).is_file()


def _unread(given: set[str]) -> list[str]:
    """The settings of ``given`` that nothing in the app reads."""
    read = (Path(config.__file__).read_text(encoding="utf-8")) + "".join(
        p.read_text(encoding="utf-8")
        for p in (REPO / "redline" / "cli.py", REPO / "redline" / "logs.py")
    )
    return sorted(
        name
        for name in given
        if name.startswith(("REDLINE_", "PROMETHEUS_"))
        and name not in READ_ELSEWHERE
        and f'"{name}"' not in read
        and f'"{name.removeprefix("REDLINE_")}"' not in read
    )


def test_the_images_commands_are_the_clis():
    """Every `redline ...` command the compose file runs exists with its options."""
    services = _compose()["services"]
    for name in ("migrate", "worker", "scheduler"):
        _assert_the_clis(services[name]["command"], name)
    _assert_the_apis(services["api"]["command"])


def test_the_settings_given_are_ones_the_app_reads():
    given = set(_compose()["x-redline"]["environment"])
    given |= set(re.findall(r"\b(REDLINE_[A-Z_]+|PROMETHEUS_[A-Z_]+)=", _dockerfile()))
    assert _unread(given) == []
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


# Kubernetes: platform/kubernetes/base, and the example overlay that deploys it.
KUBERNETES = PLATFORM / "kubernetes"
KUBERNETES_VERSION = "1.30"  # the oldest release the manifests are checked against


def _rendered(directory: str) -> list[dict]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl (its kustomize renders the manifests) is not on this machine")
    result = subprocess.run(
        [kubectl, "kustomize", str(KUBERNETES / directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def _of_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def _containers(docs: list[dict]) -> dict[str, dict]:
    """Every container of the Deployments and Jobs, by its workload's name."""
    return {
        name: container
        for kind in ("Deployment", "Job")
        for name, workload in _of_kind(docs, kind).items()
        for container in workload["spec"]["template"]["spec"]["containers"]
    }


@pytest.mark.parametrize("directory", ["base", "example"])
def test_the_kubernetes_manifests_render_and_are_valid_kubernetes(directory):
    """Each object passes the Kubernetes API's own schema, unknown fields refused."""
    docs = _rendered(directory)
    assert {doc["kind"] for doc in docs} >= {
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "Job",
        "ConfigMap",
        "PersistentVolumeClaim",
    }
    for doc in docs:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_the_kubernetes_commands_are_the_clis_and_the_image_is_one():
    docs = _rendered("example")
    containers = _containers(docs)
    assert set(containers) == {
        "redline-api",
        "redline-worker",
        "redline-scheduler",
        "redline-migrate",
    }
    _assert_the_apis(containers.pop("redline-api")["command"])
    for name, container in containers.items():
        _assert_the_clis(container["command"], name)
    assert containers["redline-migrate"]["command"] == ["redline", "db", "upgrade"]
    images = {c["image"] for c in _containers(docs).values()}
    assert images == {"registry.example.org/redline:2026.12.05"}  # the overlay's, everywhere


def test_the_kubernetes_settings_are_ones_the_app_reads():
    docs = _rendered("base")
    (settings,) = _of_kind(docs, "ConfigMap").values()
    given = set(settings["data"])
    for container in _containers(docs).values():
        given |= {variable["name"] for variable in container.get("env", [])}
    assert _unread(given - {"XDG_CACHE_HOME"}) == []
    # The migrations connect as the tables' owner, the processes as the application's role.
    migrate = _containers(docs)["redline-migrate"]
    (url,) = migrate["env"]
    assert url["name"] == "DATABASE_URL"
    assert url["valueFrom"]["secretKeyRef"] == {"name": "redline", "key": "OWNER_DATABASE_URL"}
    for name, container in _containers(docs).items():
        sources = container["envFrom"]
        assert {"configMapRef": {"name": settings["metadata"]["name"]}} in sources, name
        if name != "redline-migrate":
            assert {"secretRef": {"name": "redline"}} in sources, name


def test_the_api_is_probed_on_its_routes_and_drains_before_it_is_killed():
    docs = _rendered("base")
    api = _of_kind(docs, "Deployment")["redline-api"]
    pod = api["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    routes = (REPO / "redline" / "app.py").read_text(encoding="utf-8")
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/livez"
    for probe in ("/readyz", "/livez"):
        assert f'@app.get("{probe}")' in routes
    gunicorn = runpy.run_path(str(PLATFORM / "gunicorn.conf.py"))
    (port,) = container["ports"]
    assert gunicorn["bind"].endswith(f":{port['containerPort']}")
    pause = int(container["lifecycle"]["preStop"]["exec"]["command"][1])
    assert pod["terminationGracePeriodSeconds"] > gunicorn["graceful_timeout"] + pause
    # Two processes of two threads per CPU asked for (gunicorn sees the node's CPUs, not the
    # pod's): the measured shape.
    env = {variable["name"]: variable["value"] for variable in container["env"]}
    cpus = float(container["resources"]["requests"]["cpu"])
    assert int(env["REDLINE_WEB_PROCESSES"]) == 2 * cpus
    assert env["REDLINE_WEB_THREADS"] == "2"
    service = _of_kind(docs, "Service")["redline-api"]
    assert service["spec"]["selector"] == api["spec"]["selector"]["matchLabels"]


def test_one_scheduler_and_the_processes_scale_unprivileged_on_a_read_only_root():
    docs = _rendered("base")
    deployments = _of_kind(docs, "Deployment")
    scheduler = deployments["redline-scheduler"]["spec"]
    assert scheduler["replicas"] == 1 and scheduler["strategy"]["type"] == "Recreate"
    scaled = {
        hpa["spec"]["scaleTargetRef"]["name"]
        for hpa in _of_kind(docs, "HorizontalPodAutoscaler").values()
    }
    assert scaled == {"redline-api", "redline-worker"}
    user = int(re.search(r"^USER (\d+)$", _dockerfile(), re.MULTILINE).group(1))
    metrics_dir = re.search(r"PROMETHEUS_MULTIPROC_DIR=(\S+)", _dockerfile()).group(1)
    for name, workload in {**deployments, **_of_kind(docs, "Job")}.items():
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsUser"] == user, name
        (container,) = pod["containers"]
        assert container["securityContext"]["readOnlyRootFilesystem"] is True, name
        mounts = {mount["mountPath"] for mount in container["volumeMounts"]}
        assert "/tmp" in mounts and metrics_dir.startswith("/tmp/"), name
    # The uploads are shared by the pods that write and read them.
    (claim,) = _of_kind(docs, "PersistentVolumeClaim").values()
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    for name in ("redline-api", "redline-worker"):
        volumes = deployments[name]["spec"]["template"]["spec"]["volumes"]
        claims = {
            v["persistentVolumeClaim"]["claimName"] for v in volumes if "persistentVolumeClaim" in v
        }
        assert claims == {claim["metadata"]["name"]}, name
