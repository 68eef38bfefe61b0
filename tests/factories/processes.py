"""Processes the tests start: a free port to serve on, waiting until something holds, and
whether a server answers a URL yet."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import TypeVar

import requests

T = TypeVar("T")


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check: Callable[[], T], what: str, timeout: float = 60.0) -> T:
    """What ``check`` returns once it is truthy, asked every 0.2 s; fails after ``timeout``
    seconds naming ``what`` was awaited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def answers_ok(url: str) -> bool:
    """Whether ``url`` answers 2xx now (a server still starting answers nothing, or late: its
    processes load the app after binding)."""
    try:
        return requests.get(url, timeout=10).ok
    except requests.RequestException:
        return False
