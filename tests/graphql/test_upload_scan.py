"""The virus scan of uploads (REDLINE_UPLOAD_SCAN_COMMAND): a clean file is kept; an infected
one, or one the scanner could not scan (it failed, or took too long), is refused with the field
and the reason, and nothing of it is kept."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from redline.config import Settings
from scoring.assessments.models import Attachment
from tests.factories.api import PDF, XLSX, gid, open_cycle, signed_in, upload, upload_evidence
from tests.factories.assessments import assessment_of
from tests.factories.templates import published_sample
from tests.factories.tenants import node

# The EICAR test file: every scanner reports it, and it harms nothing.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
# A stand-in for `clamdscan --no-summary --fdpass -`: the file on stdin (or at "$1"), exit 1
# and ClamAV's "FOUND" line for the EICAR string, else 0.
SCANNER = """#!/bin/sh
if [ -n "$1" ]; then data=$(cat "$1"); else data=$(cat); fi
case "$data" in
  *EICAR-STANDARD-ANTIVIRUS-TEST-FILE*) echo "stream: Eicar-Test-Signature FOUND"; exit 1 ;;
esac
exit 0
"""
BROKEN = """#!/bin/sh
cat > /dev/null
echo "ERROR: Could not connect to clamd on LocalSocket /run/clamav/clamd.ctl" >&2
exit 2
"""
SLOW = """#!/bin/sh
sleep 30
exit 0
"""
IMPORT_TEMPLATE = """
mutation($input: ImportTemplateInput!) {
  importTemplate(input: $input) { template { title } errors { field message code } }
}
"""
COULD_NOT_SCAN = "the upload could not be scanned, try again later"


def _script(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    path.chmod(0o755)
    return path


@pytest.fixture
def evidence_dir(runtime, tmp_path) -> Path:
    runtime.settings = runtime.settings.with_(attachment_dir=tmp_path / "evidence")
    return tmp_path / "evidence"


@pytest.fixture
def scanning(runtime, tmp_path, evidence_dir):
    """Set the scan command (a script of this module, with arguments) for the app."""

    def use(script: str, *args: str, timeout: float = 10.0) -> None:
        command = " ".join([str(_script(tmp_path, "scanner", script)), *args])
        runtime.settings = runtime.settings.with_(
            upload_scan_command=command, upload_scan_timeout_seconds=timeout
        )

    return use


@pytest.fixture
def clerk(world, make_gql):
    return signed_in(make_gql, "xjd-clerk")


@pytest.fixture
def assessment(world, make_gql, clerk) -> str:
    """A township assessment of Xiangjiadang its clerk may attach evidence to."""
    office = signed_in(make_gql, "jx-office")
    opened = open_cycle(office, published_sample(world), node(world, "330400", fresh=True))
    assert opened["errors"] == []
    return gid("Assessment", assessment_of(world, opened["cycle"]["id"], "330402901").id)


def _evidence(clerk, assessment: str, data: bytes, filename: str) -> dict[str, Any]:
    content_type = "application/pdf" if filename.endswith(".pdf") else "text/plain"
    reply = upload_evidence(clerk, assessment, data, filename, content_type)
    assert reply.status_code == 200, reply.data
    payload = reply.get_json()["data"]["uploadEvidence"]
    kept = payload["attachment"]
    return {
        "attachment": kept and {"filename": kept["filename"], "size": kept["size"]},
        "errors": payload["errors"],
    }


def _nothing_kept(world, evidence_dir: Path) -> None:
    world.rollback()
    assert world.scalar(select(func.count()).select_from(Attachment)) == 0
    assert not [p for p in evidence_dir.rglob("*") if p.is_file()]


def test_a_clean_file_is_kept(scanning, clerk, assessment, world, evidence_dir):
    scanning(SCANNER)
    uploaded = _evidence(clerk, assessment, PDF, "纪要.pdf")
    assert uploaded == {"attachment": {"filename": "纪要.pdf", "size": len(PDF)}, "errors": []}
    assert [p for p in evidence_dir.rglob("*") if p.is_file()]


@pytest.mark.parametrize("args", ["", "{path}"], ids=["stdin", "path"])
def test_an_infected_file_is_refused_naming_the_field_and_the_finding(
    scanning, clerk, assessment, world, evidence_dir, caplog, args
):
    scanning(SCANNER, args)
    with caplog.at_level(logging.WARNING, logger="redline.scanning"):
        refused = _evidence(clerk, assessment, b"minutes\n" + EICAR + b"\n", "minutes.txt")
    assert refused == {
        "attachment": None,
        "errors": [
            {
                "field": "file",
                "message": "the virus scanner found Eicar-Test-Signature in minutes.txt",
                "code": "INFECTED",
            }
        ],
    }
    assert "Eicar-Test-Signature" in caplog.text
    _nothing_kept(world, evidence_dir)


def test_a_scanner_failure_refuses_the_file_and_is_logged(
    scanning, clerk, assessment, world, evidence_dir, caplog
):
    scanning(BROKEN)
    with caplog.at_level(logging.ERROR, logger="redline.scanning"):
        refused = _evidence(clerk, assessment, PDF, "纪要.pdf")
    assert refused == {
        "attachment": None,
        "errors": [{"field": "file", "message": COULD_NOT_SCAN, "code": "SCAN_FAILED"}],
    }
    assert "exit status 2" in caplog.text and "Could not connect to clamd" in caplog.text
    _nothing_kept(world, evidence_dir)


def test_a_scanner_past_its_timeout_refuses_the_file_and_is_logged(
    scanning, clerk, assessment, world, evidence_dir, caplog
):
    scanning(SLOW, timeout=0.5)
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="redline.scanning"):
        refused = _evidence(clerk, assessment, PDF, "纪要.pdf")
    assert time.monotonic() - started < 10  # the scanner (and its sleep) was killed
    assert refused["errors"] == [
        {"field": "file", "message": COULD_NOT_SCAN, "code": "SCAN_FAILED"}
    ]
    assert "timed out after 0.5 seconds" in caplog.text
    _nothing_kept(world, evidence_dir)


def test_a_scanner_that_cannot_start_refuses_the_file(
    runtime, clerk, assessment, world, evidence_dir, tmp_path
):
    runtime.settings = runtime.settings.with_(upload_scan_command=str(tmp_path / "no-such-scanner"))
    refused = _evidence(clerk, assessment, PDF, "纪要.pdf")
    assert refused["errors"] == [
        {"field": "file", "message": COULD_NOT_SCAN, "code": "SCAN_FAILED"}
    ]
    _nothing_kept(world, evidence_dir)


def test_an_excel_import_is_scanned_too(scanning, world, make_gql):
    scanning(SCANNER)
    author = signed_in(make_gql, "zj-office")
    variables = {"input": {"file": None, "familyCode": "zj-township"}}
    reply = upload(author, IMPORT_TEMPLATE, variables, "input.file", EICAR, "细则.xlsx", XLSX)
    assert reply.get_json()["data"]["importTemplate"] == {
        "template": None,
        "errors": [
            {
                "field": "file",
                "message": "the virus scanner found Eicar-Test-Signature in 细则.xlsx",
                "code": "INFECTED",
            }
        ],
    }


def test_the_scan_is_configured_from_the_environment(monkeypatch):
    monkeypatch.delenv("REDLINE_UPLOAD_SCAN_COMMAND", raising=False)
    assert Settings.from_env().upload_scan_command is None  # unset: no scanning (the demo)
    monkeypatch.setenv("REDLINE_UPLOAD_SCAN_COMMAND", "clamdscan --no-summary --fdpass -")
    monkeypatch.setenv("REDLINE_UPLOAD_SCAN_TIMEOUT_SECONDS", "12.5")
    settings = Settings.from_env()
    assert settings.upload_scan_command == "clamdscan --no-summary --fdpass -"
    assert settings.upload_scan_timeout_seconds == 12.5
