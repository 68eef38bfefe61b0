"""Sign-in, sign-out, browser sessions and API tokens; passwords hashed with argon2.

Lookups here run on system sessions (no tenant scope yet: this is how the scope is found).
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from redis import Redis
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from redline.db import unit_of_work, utcnow
from tenants.access import Actor, load_actor
from tenants.errors import DomainError, ErrorCode, Problem, fail
from tenants.jobs import purge_expired_sessions
from tenants.models import ApiToken, User, WebSession

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both answers take the same time.
_DUMMY_HASH = _hasher.hash("redline: no such user")
MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "rl_"  # noqa: S105 - a prefix, not a secret
SESSION_COOKIE = "redline_session"  # the browser session's cookie (httpOnly, SameSite=Lax)
WRONG_CREDENTIALS = "unknown username or wrong password"


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` after checking the password policy."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise fail(
            "password", f"must be at least {MIN_PASSWORD_LENGTH} characters", ErrorCode.INVALID
        )
    return _hasher.hash(password)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SignInThrottle:
    """Slows down repeated failures per account and per client address, in Redis.

    After ``free`` failures of an account (``free_per_address`` from one address) within
    ``window`` seconds, each further attempt must wait ``first_delay`` seconds, then twice as
    long after each further failure (at most ``max_delay``), whatever the password.
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
            count, last = self.redis.hmget(key, "count", "last")
            if count is None or int(count) < free:
                continue
            delay = min(self.first_delay * 2 ** (int(count) - free), self.max_delay)
            wait = max(wait, float(last) + delay - now)
        return max(0, int(wait + 0.999))

    def record_failure(self, username: str, address: str) -> None:
        """Count one failed attempt for the account and the address."""
        pipe = self.redis.pipeline()
        for key, _free in self._keys(username, address):
            pipe.hincrby(key, "count", 1)
            pipe.hset(key, "last", repr(time.time()))
            pipe.expire(key, self.window)
        pipe.execute()

    def clear(self, username: str) -> None:
        """Forget the account's failures after a successful sign-in."""
        self.redis.delete(self._keys(username, "-")[0][0])


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

    def sign_in(self, username: str, password: str, address: str) -> SignedIn:
        """Check the password and open a browser session; the same answer for unknown users."""
        wait = self.throttle.retry_after(username, address)
        if wait:
            raise fail(
                None,
                f"too many failed sign-ins: try again in {wait} seconds",
                ErrorCode.TOO_MANY_ATTEMPTS,
            )
        with self.sessions() as session, unit_of_work(session):
            user = session.scalar(select(User).where(User.username == username.strip()))
            if not self._verify(session, user, password):
                self.throttle.record_failure(username, address)
                raise DomainError(Problem(None, WRONG_CREDENTIALS, ErrorCode.INVALID_CREDENTIALS))
            assert user is not None
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            expires = utcnow() + timedelta(hours=self.session_hours)
            session.add(
                WebSession(
                    user_id=user.id, token_hash=_digest(token), csrf_token=csrf, expires_at=expires
                )
            )
            actor = load_actor(session, user)
        self.throttle.clear(username)
        purge_expired_sessions.send()
        return SignedIn(token, csrf, expires, actor, user)

    @staticmethod
    def _verify(session: Session, user: User | None, password: str) -> bool:
        if user is None or not user.is_active:
            with contextlib.suppress(VerificationError):
                _hasher.verify(_DUMMY_HASH, password)
            return False
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        return True

    def sign_out(self, session_token: str) -> None:
        """End the browser session the token belongs to."""
        with self.sessions() as session, unit_of_work(session):
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
            if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
                with unit_of_work(session):
                    session.execute(
                        update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
                    )
            return Authenticated(load_actor(session, user), None)

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
        with self.sessions() as session, unit_of_work(session):
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
            return list(
                session.scalars(
                    select(ApiToken)
                    .where(ApiToken.user_id == actor.user_id)
                    .order_by(ApiToken.id.desc())
                )
            )

    def revoke_api_token(self, actor: Actor, token_id: int) -> ApiToken:
        """Revoke one of the actor's own tokens."""
        with self.sessions() as session, unit_of_work(session):
            token = session.get(ApiToken, token_id)
            if token is None or token.user_id != actor.user_id:
                raise fail("id", "no such API token of yours", ErrorCode.NOT_FOUND)
            token.revoked_at = token.revoked_at or utcnow()
        return token
