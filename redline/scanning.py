"""A virus scan of every uploaded file before anything is kept of it: the command the deployment
configures (REDLINE_UPLOAD_SCAN_COMMAND), run without a shell on the file's bytes.

The command reads the file on its standard input (``clamdscan --no-summary --fdpass -``), or
from a temporary file where its arguments hold ``{path}`` (``clamdscan --no-summary --fdpass
{path}``).
Exit status 0 means clean and 1 infected (the convention of ClamAV and most scanners); any other
status, a command that cannot be started, or one still running after
REDLINE_UPLOAD_SCAN_TIMEOUT_SECONDS, means the file could not be scanned: it is refused too and
the failure logged. No command configured (the demo): nothing is scanned.
"""

from __future__ import annotations

import logging
import os
import re
import shlex
import signal
import subprocess
import tempfile
from pathlib import Path

from redline.config import Settings
from redline.errors import DomainError, ErrorCode, Problem

log = logging.getLogger("redline.scanning")

PATH_PLACEHOLDER = "{path}"
# What ClamAV names on its "<source>: <signature> FOUND" line.
_FOUND = re.compile(r":\s*(\S[^\n]*?)\s+FOUND\s*$", re.MULTILINE)
_NAME_MAX = 100
COULD_NOT_SCAN = "the upload could not be scanned, try again later"


def scan_problem(
    data: bytes, filename: str, field: str | None, settings: Settings
) -> Problem | None:
    """Why ``data`` (uploaded as ``filename`` in the input's ``field``) is refused by the
    virus scan, or None when it is clean or no scanner is configured."""
    command = settings.upload_scan_command
    if not command:
        return None
    name = filename or "the file"
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        argv, reason = [], str(exc)
    else:
        reason = "no command"
    if not argv:
        log.error("upload scan command %r cannot be read: %s", command, reason)
        return Problem(field, COULD_NOT_SCAN, ErrorCode.SCAN_FAILED)
    try:
        if any(PATH_PLACEHOLDER in arg for arg in argv):
            with tempfile.TemporaryDirectory(prefix="redline-scan-") as folder:
                path = Path(folder) / "upload"
                # In a folder only this process's user may read: a scanner daemon running as
                # another user is given the file with clamdscan's --fdpass or --stream.
                path.write_bytes(data)
                done = _run([a.replace(PATH_PLACEHOLDER, str(path)) for a in argv], None, settings)
        else:
            done = _run(argv, data, settings)
    except subprocess.TimeoutExpired:
        log.error(
            "upload scan of %r timed out after %s seconds (%s)",
            name,
            settings.upload_scan_timeout_seconds,
            argv[0] if argv else command,
        )
        return Problem(field, COULD_NOT_SCAN, ErrorCode.SCAN_FAILED)
    except OSError as exc:
        log.error("upload scan of %r could not start %r: %s", name, command, exc)
        return Problem(field, COULD_NOT_SCAN, ErrorCode.SCAN_FAILED)
    if done.returncode == 0:
        return None
    output = done.stdout.decode("utf-8", "replace")
    if done.returncode == 1:
        found = _FOUND.search(output)
        what = found.group(1)[:_NAME_MAX] if found else "malware"
        log.warning("upload %r refused: the virus scanner found %s", name, what)
        return Problem(field, f"the virus scanner found {what} in {name}", ErrorCode.INFECTED)
    log.error(
        "upload scan of %r failed with exit status %s: %s",
        name,
        done.returncode,
        (done.stderr.decode("utf-8", "replace") or output).strip()[:500],
    )
    return Problem(field, COULD_NOT_SCAN, ErrorCode.SCAN_FAILED)


def require_clean(data: bytes | None, filename: str, field: str, settings: Settings) -> None:
    """Raise the scan's refusal of an upload (nothing is done with it then); None: no file."""
    if data is not None and (problem := scan_problem(data, filename, field, settings)):
        raise DomainError(problem)


def _run(argv: list[str], data: bytes | None, settings: Settings) -> subprocess.CompletedProcess:
    """Run the scanner in a session of its own, so that a timeout kills whatever it started."""
    with subprocess.Popen(  # noqa: S603 - the deployment's own command, split without a shell
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(
                data if data is not None else b"", timeout=settings.upload_scan_timeout_seconds
            )
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
    return subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)
