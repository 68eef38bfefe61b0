"""Sign-in throttling: repeated failures per account and per client address, counted in Redis
(in this process's memory while Redis is away)."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from redis import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

REDIS_RETRY_SECONDS = 10  # how long the throttle leaves Redis alone after it failed
LOCAL_PRUNE_AT = 10_000  # failures counted in memory (Redis away) before old ones are dropped


class RedisOutage:
    """Whether a counter kept in Redis may ask Redis now. After a failure Redis is left alone
    ``REDIS_RETRY_SECONDS`` (no wait for a timeout on each try) while the counter counts in
    this process's memory; the log says so at most once a minute."""

    def __init__(self, counter: str, meanwhile: str) -> None:
        self.counter, self.meanwhile = counter, meanwhile
        self._away_until = 0.0
        self._warned_at = 0.0

    def check(self) -> None:
        """Raise RedisError while Redis failed a moment ago."""
        if time.monotonic() < self._away_until:
            raise RedisError("failed a moment ago")

    def failed(self, exc: Exception) -> None:
        """Leave Redis alone a while, and warn (once a minute, not once a request)."""
        now = time.monotonic()
        self._away_until = max(self._away_until, now + REDIS_RETRY_SECONDS)
        if now - self._warned_at > 60:
            self._warned_at = now
            log.warning("%s: Redis unreachable (%s); %s", self.counter, exc, self.meanwhile)


@dataclass(frozen=True)
class Throttled:
    """An account or an address that has just failed often enough to be slowed down."""

    kind: str  # "account" or "address"
    name: str  # the username tried, or the client address
    failures: int


class SignInThrottle:
    """Slows down repeated failures per account and per client address, counted in Redis.

    After ``free`` failures of an account (``free_per_address`` from one address) within
    ``window`` seconds, each further attempt must wait ``first_delay`` seconds, then twice as
    long after each further failure (at most ``max_delay``). An account's throttle holds
    whatever the password; an address's lets the right password of an account that is not
    throttled itself through, so that nobody behind a shared office address can lock out the
    others by failing on purpose.

    While Redis cannot be reached, sign-in goes on: failures are counted in this process's
    memory instead (each API process throttles on its own until Redis is back), with a warning
    in the log. Refusing every sign-in would lock everyone out; not counting would let a
    guesser who can bring Redis down guess unhindered.
    """

    def __init__(
        self,
        redis: Redis,
        *,
        free: int,
        free_per_address: int,
        window: int,
        first_delay: int,
        max_delay: int,
    ) -> None:
        self.redis, self.window, self.max_delay = redis, window, max_delay
        self.first_delay = first_delay
        self.free, self.free_per_address = free, free_per_address
        self._local: dict[str, tuple[int, float]] = {}  # key -> (count, last failure)
        self._lock = threading.Lock()
        self._outage = RedisOutage(
            "sign-in throttle", "counting failures in this process until it is back"
        )

    def _account(self, username: str) -> tuple[str, int]:
        return f"redline:signin:user:{username.strip().lower()}", self.free

    def _address(self, address: str) -> tuple[str, int]:
        return f"redline:signin:ip:{address}", self.free_per_address

    def retry_after(self, username: str, address: str, now: float | None = None) -> int:
        """Seconds to wait before a failure of the account or the address counts for nothing
        more (0: neither is throttled)."""
        return max(self.account_wait(username, now), self.address_wait(address, now))

    def account_wait(self, username: str, now: float | None = None) -> int:
        """Seconds the account must wait before its password is checked again (0: none)."""
        return self._wait(*self._account(username), now)

    def address_wait(self, address: str, now: float | None = None) -> int:
        """Seconds the address must wait before a wrong password counts as an answer again."""
        return self._wait(*self._address(address), now)

    def _wait(self, key: str, free: int, now: float | None) -> int:
        now = time.time() if now is None else now
        count, last = self._failures(key, now)
        if count < free:
            return 0
        delay = min(self.first_delay * 2 ** (count - free), self.max_delay)
        return max(0, int(last + delay - now + 0.999))

    def record_failure(self, username: str, address: str) -> list[Throttled]:
        """Count one failed attempt for the account and the address; what this failure has
        just throttled (each at most once a window, to be recorded as a lockout)."""
        now = time.time()
        keys = [self._account(username), self._address(address)]
        try:
            self._outage.check()
            pipe = self.redis.pipeline()
            for key, _free in keys:
                pipe.hincrby(key, "count", 1)
                pipe.hset(key, "last", repr(now))
                pipe.expire(key, self.window)
            counts = pipe.execute()[::3]
        except RedisError as exc:
            self._outage.failed(exc)
            counts = []
            with self._lock:
                if len(self._local) > LOCAL_PRUNE_AT:  # drop what the window has let go
                    self._local = {
                        k: v for k, v in self._local.items() if now - v[1] <= self.window
                    }
                for key, _free in keys:
                    count, _last = self._local_failures(key, now)
                    self._local[key] = (count + 1, now)
                    counts.append(count + 1)
        names = (("account", username.strip()), ("address", address))
        return [
            Throttled(kind, name, count)
            for (kind, name), (_key, free), count in zip(names, keys, counts, strict=True)
            if count == free
        ]

    def clear(self, username: str) -> None:
        """Forget the account's failures after a successful sign-in."""
        key = self._account(username)[0]
        with self._lock:
            self._local.pop(key, None)
        try:
            self._outage.check()
            self.redis.delete(key)
        except RedisError as exc:
            self._outage.failed(exc)

    def _failures(self, key: str, now: float) -> tuple[int, float]:
        """How many failures ``key`` has within the window, and when the last was."""
        try:
            self._outage.check()
            count, last = self.redis.hmget(key, "count", "last")
        except RedisError as exc:
            self._outage.failed(exc)
            with self._lock:
                return self._local_failures(key, now)
        return (0, 0.0) if count is None else (int(count), float(last or 0))

    def _local_failures(self, key: str, now: float) -> tuple[int, float]:
        count, last = self._local.get(key, (0, 0.0))
        if now - last > self.window:  # expired, as Redis would have let it
            self._local.pop(key, None)
            return 0, 0.0
        return count, last
