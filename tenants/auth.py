"""Sign-in, sign-out, browser sessions and API tokens; passwords hashed with argon2.

Lookups here run on system sessions (no tenant scope yet: this is how the scope is found).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from redline import outbox
from redline.db import unit_of_work, utcnow, writer_sessions
from redline.errors import DomainError, ErrorCode, Problem, fail
from tenants.access import Actor, load_actor
from tenants.jobs import PURGE_SESSIONS_ACTOR
from tenants.models import ApiToken, User, WebSession
from tenants.reading import api_tokens_of

log = logging.getLogger(__name__)

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both answers take the same time.
_DUMMY_HASH = _hasher.hash("redline: no such user")
MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "rl_"  # noqa: S105 - a prefix, not a secret
SESSION_COOKIE = "redline_session"  # the browser session's cookie (httpOnly, SameSite=Lax)
WRONG_CREDENTIALS = "unknown username or wrong password"
REDIS_RETRY_SECONDS = 10  # how long the throttle leaves Redis alone after it failed
LOCAL_PRUNE_AT = 10_000  # failures counted in memory (Redis away) before old ones are dropped


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` after checking the password policy."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise fail(
            "password", f"must be at least {MIN_PASSWORD_LENGTH} characters", ErrorCode.INVALID
        )
    return _hasher.hash(password)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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


class SignInThrottle:
    """Slows down repeated failures per account and per client address, counted in Redis.

    After ``free`` failures of an account (``free_per_address`` from one address) within
    ``window`` seconds, each further attempt must wait ``first_delay`` seconds, then twice as
    long after each further failure (at most ``max_delay``), whatever the password.

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

    def _keys(self, username: str, address: str) -> list[tuple[str, int]]:
        return [
            (f"redline:signin:user:{username.strip().lower()}", self.free),
            (f"redline:signin:ip:{address}", self.free_per_address),
        ]

    def retry_after(self, username: str, address: str, now: float | None = None) -> int:
        """Seconds to wait before another attempt is considered (0: go ahead)."""
        now = time.time() if now is None else now
        wait = 0.0
        for key, free in self._keys(username, address):
            count, last = self._failures(key, now)
            if count < free:
                continue
            delay = min(self.first_delay * 2 ** (count - free), self.max_delay)
            wait = max(wait, last + delay - now)
        return max(0, int(wait + 0.999))

    def record_failure(self, username: str, address: str) -> None:
        """Count one failed attempt for the account and the address."""
        now = time.time()
        keys = [key for key, _free in self._keys(username, address)]
        try:
            self._outage.check()
            pipe = self.redis.pipeline()
            for key in keys:
                pipe.hincrby(key, "count", 1)
                pipe.hset(key, "last", repr(now))
                pipe.expire(key, self.window)
            pipe.execute()
        except RedisError as exc:
            self._outage.failed(exc)
            with self._lock:
                if len(self._local) > LOCAL_PRUNE_AT:  # drop what the window has let go
                    self._local = {
                        k: v for k, v in self._local.items() if now - v[1] <= self.window
                    }
                for key in keys:
                    count, _last = self._local_failures(key, now)
                    self._local[key] = (count + 1, now)

    def clear(self, username: str) -> None:
        """Forget the account's failures after a successful sign-in."""
        key = self._keys(username, "-")[0][0]
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


@dataclass(frozen=True)
class SignedIn:
    """A new browser session: the cookie token and its CSRF token (both shown once)."""

    token: str
    csrf_token: str
    expires_at: datetime
    actor: Actor
    user: User


@dataclass(frozen=True)
class Authenticated:
    """Who a request acts as, and how it proved it."""

    actor: Actor
    csrf_token: str | None  # None for API tokens, which need no CSRF check
    session_token: str | None = None


@dataclass(frozen=True)
class NewApiToken:
    """A freshly created API token: the secret is only ever shown here."""

    secret: str
    token: ApiToken


class Authenticator:
    """The one place credentials are checked; built once per app."""

    def __init__(
        self, sessions: sessionmaker[Session], throttle: SignInThrottle, session_hours: int
    ) -> None:
        self.sessions, self.throttle, self.session_hours = sessions, throttle, session_hours
        self.writers = writer_sessions(sessions)

    def sign_in(self, username: str, password: str, address: str) -> SignedIn:
        """Check the password and open a browser session; the same answer for unknown users."""
        wait = self.throttle.retry_after(username, address)
        if wait:
            raise fail(
                None,
                f"too many failed sign-ins: try again in {wait} seconds",
                ErrorCode.TOO_MANY_ATTEMPTS,
            )
        # The password is checked (slowly, on purpose) before the write lock is taken.
        with self.sessions() as session:
            user = session.scalar(select(User).where(User.username == username.strip()))
            verified, rehashed = self._verify(user, password)
            if not verified:
                self.throttle.record_failure(username, address)
                raise DomainError(Problem(None, WRONG_CREDENTIALS, ErrorCode.INVALID_CREDENTIALS))
            assert user is not None
            actor = load_actor(session, user)
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        expires = utcnow() + timedelta(hours=self.session_hours)
        with self.writers() as session, unit_of_work(session):
            if rehashed:
                session.execute(
                    update(User).where(User.id == user.id).values(password_hash=rehashed)
                )
            session.add(
                WebSession(
                    user_id=user.id, token_hash=_digest(token), csrf_token=csrf, expires_at=expires
                )
            )
            # Through the outbox: a sign-in must not fail because Redis is away.
            outbox.enqueue(session, PURGE_SESSIONS_ACTOR, key=PURGE_SESSIONS_ACTOR)
        self.throttle.clear(username)
        return SignedIn(token, csrf, expires, actor, user)

    @staticmethod
    def _verify(user: User | None, password: str) -> tuple[bool, str | None]:
        """Whether the password is the user's, and its new hash if the stored one is outdated."""
        if user is None or not user.is_active:
            with contextlib.suppress(VerificationError):
                _hasher.verify(_DUMMY_HASH, password)
            return False, None
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False, None
        if _hasher.check_needs_rehash(user.password_hash):
            return True, _hasher.hash(password)
        return True, None

    def sign_out(self, session_token: str) -> None:
        """End the browser session the token belongs to."""
        with self.writers() as session, unit_of_work(session):
            session.execute(
                delete(WebSession).where(WebSession.token_hash == _digest(session_token))
            )

    def from_session_cookie(self, token: str) -> Authenticated | None:
        """The actor behind a session cookie, if the session is still open."""
        with self.sessions() as session:
            row = session.execute(
                select(WebSession, User)
                .join(User, User.id == WebSession.user_id)
                .where(WebSession.token_hash == _digest(token))
            ).first()
            if row is None:
                return None
            web_session, user = row
            if web_session.expires_at <= utcnow() or not user.is_active:
                return None
            return Authenticated(load_actor(session, user), web_session.csrf_token, token)

    def from_bearer(self, secret: str) -> Authenticated | None:
        """The actor behind an API token, if it is neither expired nor revoked."""
        with self.sessions() as session:
            row = session.execute(
                select(ApiToken, User)
                .join(User, User.id == ApiToken.user_id)
                .where(ApiToken.token_hash == _digest(secret))
            ).first()
            if row is None:
                return None
            token, user = row
            now = utcnow()
            if (
                token.revoked_at
                or (token.expires_at and token.expires_at <= now)
                or not user.is_active
            ):
                return None
            actor = load_actor(session, user)
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            with self.writers() as session, unit_of_work(session):
                session.execute(
                    update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
                )
        return Authenticated(actor, None)

    def from_request(
        self, authorization: str, session_token: str | None
    ) -> tuple[Authenticated | None, str | None]:
        """Who a request acts as (its bearer token, else its session cookie), or why the
        credentials it presented were refused. Every entry point serving signed-in users
        (the GraphQL view, the file downloads) authenticates through this."""
        if authorization.lower().startswith("bearer "):
            found = self.from_bearer(authorization[7:].strip())
            return found, None if found else "the API token is unknown, expired or revoked"
        if not session_token:
            return None, None
        found = self.from_session_cookie(session_token)
        return found, None if found else "your session has ended: sign in again"

    def create_api_token(self, actor: Actor, name: str, expires_in_days: int | None) -> NewApiToken:
        """A new API token acting as ``actor``; its secret is returned once and never stored."""
        name = name.strip()
        if not name:
            raise fail("name", "must not be empty", ErrorCode.REQUIRED)
        if len(name) > 100:
            raise fail("name", "is longer than 100 characters", ErrorCode.INVALID)
        if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
            raise fail("expiresInDays", "must be between 1 and 3650", ErrorCode.INVALID)
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.writers() as session, unit_of_work(session):
            token = ApiToken(
                customer_id=actor.customer_id,
                user_id=actor.user_id,
                name=name,
                prefix=secret[:10],
                token_hash=_digest(secret),
                expires_at=utcnow() + timedelta(days=expires_in_days) if expires_in_days else None,
            )
            session.add(token)
        return NewApiToken(secret, token)

    def api_tokens(self, actor: Actor) -> list[ApiToken]:
        """The actor's own tokens, newest first (secrets are not kept)."""
        with self.sessions() as session:
            return list(session.scalars(api_tokens_of(actor).order_by(ApiToken.id.desc())))

    def revoke_api_token(self, actor: Actor, token_id: int) -> ApiToken:
        """Revoke one of the actor's own tokens."""
        with self.writers() as session, unit_of_work(session):
            token = session.get(ApiToken, token_id)
            if token is None or token.user_id != actor.user_id:
                raise fail("id", "no such API token of yours", ErrorCode.NOT_FOUND)
            token.revoked_at = token.revoked_at or utcnow()
        return token
