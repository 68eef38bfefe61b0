"""Sign-in, sign-out, browser sessions, password changes and resets, the second factor and API
tokens; every one of them is recorded in the audit log.

Lookups here run on system sessions (no tenant scope yet: this is how the scope is found).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from redline import outbox
from redline.db import unit_of_work, utcnow, writer_sessions
from redline.errors import DomainError, ErrorCode, Problem, fail
from tenants import audit, second_factor
from tenants.access import Actor, load_actor
from tenants.audit import Who
from tenants.jobs import PURGE_SESSIONS_ACTOR
from tenants.models import ApiToken, Role, TenantNode, User, WebSession
from tenants.passwords import (
    hash_password,
    password_problems,
    temporary_password,
    verify_password,
)
from tenants.reading import api_tokens_of
from tenants.throttle import SignInThrottle

TOKEN_PREFIX = "rl_"  # noqa: S105 - a prefix, not a secret
SESSION_COOKIE = "redline_session"  # the browser session's cookie (httpOnly, SameSite=Lax)
WRONG_CREDENTIALS = "unknown username or wrong password"
SEEN_EVERY = timedelta(minutes=1)  # how often a session's last request is written down


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_user(session: Session, username: str) -> User | None:
    """The account with this username, whatever its case."""
    return session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))


@dataclass(frozen=True)
class Client:
    """Where a request comes from, as the audit log records it."""

    address: str = ""
    user_agent: str = ""
    request_id: str = ""

    def who(self, actor: Actor | None) -> Who:
        return Who.of(actor, self.address, self.request_id)

    def user(self, user: User) -> Who:
        return Who(user.id, user.username, self.address, self.request_id)


@dataclass(frozen=True)
class SignedIn:
    """A new browser session: the cookie token and its CSRF token (both shown once)."""

    token: str
    csrf_token: str
    expires_at: datetime
    authenticated: Authenticated
    user: User


@dataclass(frozen=True)
class Authenticated:
    """Who a request acts as, and how it proved it."""

    actor: Actor
    csrf_token: str | None  # None for API tokens, which need no CSRF check
    session_token: str | None = None
    # The browser session or the API token the request came with.
    session_id: int | None = None
    api_token: ApiToken | None = None
    # After an admin's reset: nothing but choosing a new password until it is chosen.
    must_change_password: bool = False


@dataclass(frozen=True)
class NewApiToken:
    """A freshly created API token: the secret is only ever shown here."""

    secret: str
    token: ApiToken


@dataclass(frozen=True)
class OpenSession:
    """One of a user's signed-in browsers."""

    session: WebSession
    current: bool


@dataclass(frozen=True)
class TotpSetup:
    """A second factor being set up: the secret for the authenticator app, once."""

    secret: str
    uri: str


class Authenticator:
    """The one place credentials are checked and changed; built once per app."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        throttle: SignInThrottle,
        session_hours: int,
        *,
        idle_minutes: int = 120,
        token_max_days: int = 365,
    ) -> None:
        self.sessions, self.throttle, self.session_hours = sessions, throttle, session_hours
        self.idle = timedelta(minutes=idle_minutes)
        self.token_max_days = token_max_days
        self.writers = writer_sessions(sessions)

    # Signing in and out

    def sign_in(
        self, username: str, password: str, client: Client, otp: str | None = None
    ) -> SignedIn:
        """Check the password (and the one-time code, when the account has a second factor)
        and open a browser session; the same answer for unknown users and wrong passwords.

        A throttled account is refused before anything is checked. A throttled address still
        lets the right password of an account that is not throttled through: a wrong one is
        refused as too many attempts."""
        wait = self.throttle.account_wait(username)
        if wait:
            raise _too_many(wait)
        # The password is checked (slowly, on purpose) before the write lock is taken.
        with self.sessions() as session:
            user = find_user(session, username)
            active = user if user is not None and user.is_active else None
            verified, rehashed = verify_password(active.password_hash if active else None, password)
            step = None
            if verified and active is not None and active.totp_secret:
                if not (otp or "").strip():
                    raise fail(
                        "otp", "enter the code from your authenticator app", ErrorCode.OTP_REQUIRED
                    )
                step = second_factor.accepted_step(
                    active.totp_secret, otp or "", active.totp_last_step
                )
                if step is None:  # the password was right (OTP_REQUIRED said as much)
                    self._failed(username, user, client, wrong_code=True)
                    raise fail(
                        "otp",
                        "is not the app's current code (or was used already)",
                        ErrorCode.INVALID_CREDENTIALS,
                    )
            if not verified:
                self._failed(username, user, client, wrong_code=False)
                wait = self.throttle.address_wait(client.address)
                if wait:
                    raise _too_many(wait)
                raise DomainError(Problem(None, WRONG_CREDENTIALS, ErrorCode.INVALID_CREDENTIALS))
            assert active is not None
            user = active
            actor = load_actor(session, user)
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        expires = utcnow() + timedelta(hours=self.session_hours)
        with self.writers() as session, unit_of_work(session):
            if rehashed:
                session.execute(
                    update(User).where(User.id == user.id).values(password_hash=rehashed)
                )
            if step is not None:  # the code is spent: a second sign-in racing with it fails
                spent = session.execute(
                    update(User)
                    .where(
                        User.id == user.id,
                        or_(User.totp_last_step.is_(None), User.totp_last_step < step),
                    )
                    .values(totp_last_step=step)
                )
                if spent.rowcount != 1:
                    raise fail(
                        "otp",
                        "is not the app's current code (or was used already)",
                        ErrorCode.INVALID_CREDENTIALS,
                    )
            web_session = WebSession(
                user_id=user.id,
                token_hash=_digest(token),
                csrf_token=csrf,
                expires_at=expires,
                user_agent=client.user_agent[:300],
                address=client.address[:64],
            )
            session.add(web_session)
            session.flush()
            _about_user(
                session,
                client.user(user),
                "signIn",
                user,
                details={"secondFactor": step is not None, "session": web_session.id},
            )
            # Through the outbox: a sign-in must not fail because Redis is away.
            outbox.enqueue(session, PURGE_SESSIONS_ACTOR, key=PURGE_SESSIONS_ACTOR)
        self.throttle.clear(username)
        authenticated = Authenticated(
            actor, csrf, token, web_session.id, must_change_password=user.must_change_password
        )
        return SignedIn(token, csrf, expires, authenticated, user)

    def _failed(
        self, username: str, user: User | None, client: Client, *, wrong_code: bool
    ) -> None:
        """Count and record a failed sign-in, and the lockouts it brings about."""
        throttled = self.throttle.record_failure(username, client.address)
        customer_id = user.customer_id if user is not None else None
        node_id = user.node_id if user is not None else None
        subject = f"User:{user.id}" if user is not None else ""
        who = Who(None, "anonymous", client.address, client.request_id)
        with self.writers() as session, unit_of_work(session):
            audit.record(
                session,
                who,
                "signInFailed",
                customer_id=customer_id,
                node_id=node_id,
                subject=subject,
                details={"username": username.strip()[:80], "wrongCode": wrong_code},
            )
            for lockout in throttled:
                audit.record(
                    session,
                    who,
                    "signInThrottled",
                    customer_id=customer_id if lockout.kind == "account" else None,
                    node_id=node_id if lockout.kind == "account" else None,
                    subject=subject if lockout.kind == "account" else f"address:{lockout.name}",
                    details={
                        "throttled": lockout.kind,
                        "name": lockout.name[:80],
                        "failures": lockout.failures,
                    },
                )

    def sign_out(self, authenticated: Authenticated, client: Client) -> None:
        """End the browser session the request came with."""
        if authenticated.session_id is None:
            return
        self._end_sessions(
            authenticated, client, WebSession.id == authenticated.session_id, "signOut"
        )

    def sign_out_everywhere(self, authenticated: Authenticated, client: Client) -> int:
        """End every browser session of the user, this one included; how many there were."""
        return self._end_sessions(
            authenticated,
            client,
            WebSession.user_id == authenticated.actor.user_id,
            "signOutEverywhere",
        )

    def end_session(self, authenticated: Authenticated, session_id: int, client: Client) -> None:
        """End one of the user's own browser sessions (another browser, say)."""
        ended = self._end_sessions(
            authenticated,
            client,
            (WebSession.id == session_id) & (WebSession.user_id == authenticated.actor.user_id),
            "endSession",
        )
        if not ended:
            raise fail("id", "no such session of yours", ErrorCode.NOT_FOUND)

    def _end_sessions(
        self, authenticated: Authenticated, client: Client, which: ColumnElement[bool], action: str
    ) -> int:
        actor = authenticated.actor
        with self.writers() as session, unit_of_work(session):
            ids = list(session.scalars(select(WebSession.id).where(which)))
            if not ids:
                return 0
            session.execute(delete(WebSession).where(WebSession.id.in_(ids)))
            _about_user(session, client.who(actor), action, actor, details={"sessions": ids})
        return len(ids)

    def open_sessions(self, authenticated: Authenticated) -> list[OpenSession]:
        """The user's browser sessions that have neither expired nor gone idle, newest first."""
        now = utcnow()
        with self.sessions() as session:
            rows = session.scalars(
                select(WebSession)
                .where(
                    WebSession.user_id == authenticated.actor.user_id,
                    WebSession.expires_at > now,
                    WebSession.last_seen_at > now - self.idle,
                )
                .order_by(WebSession.last_seen_at.desc(), WebSession.id.desc())
            ).all()
        return [OpenSession(r, r.id == authenticated.session_id) for r in rows]

    def user(self, user_id: int) -> User:
        """The signed-in user's own row (a system read: the user may not be cleared to read
        anything else yet)."""
        with self.sessions() as session:
            return session.get_one(User, user_id)

    # Recognising a request

    def from_session_cookie(self, token: str) -> Authenticated | None:
        """The actor behind a session cookie, if the session has neither expired nor been
        idle longer than the idle timeout (each request counts as use)."""
        with self.sessions() as session:
            row = session.execute(
                select(WebSession, User, TenantNode)  # the home node for load_actor
                .join(User, User.id == WebSession.user_id)
                .join(TenantNode, TenantNode.id == User.node_id)
                .where(WebSession.token_hash == _digest(token))
            ).first()
            if row is None:
                return None
            web_session, user, _home = row
            now = utcnow()
            if (
                web_session.expires_at <= now
                or web_session.last_seen_at <= now - self.idle
                or not user.is_active
            ):
                return None
            actor = load_actor(session, user)
        if now - web_session.last_seen_at > SEEN_EVERY:
            with self.writers() as session, unit_of_work(session):
                session.execute(
                    update(WebSession)
                    .where(WebSession.id == web_session.id)
                    .values(last_seen_at=now)
                )
        return Authenticated(
            actor,
            web_session.csrf_token,
            token,
            web_session.id,
            must_change_password=user.must_change_password,
        )

    def from_bearer(self, secret: str) -> Authenticated | None:
        """The actor behind an API token, if it is neither expired nor revoked."""
        with self.sessions() as session:
            row = session.execute(
                select(ApiToken, User, TenantNode)  # the home node for load_actor
                .join(User, User.id == ApiToken.user_id)
                .join(TenantNode, TenantNode.id == User.node_id)
                .where(ApiToken.token_hash == _digest(secret))
            ).first()
            if row is None:
                return None
            token, user, _home = row
            now = utcnow()
            if (
                token.revoked_at
                or (token.expires_at and token.expires_at <= now)
                or not user.is_active
                or user.must_change_password
            ):
                return None
            actor = load_actor(session, user)
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            with self.writers() as session, unit_of_work(session):
                session.execute(
                    update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
                )
        return Authenticated(actor, None, api_token=token)

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

    # Passwords

    def change_password(
        self, authenticated: Authenticated, current: str, new: str, client: Client
    ) -> Authenticated:
        """Replace the user's password, given the current one; every other browser session of
        the user ends. The request's own session goes on, cleared to do anything again."""
        actor = authenticated.actor
        with self.sessions() as session:
            user = session.get_one(User, actor.user_id)
            verified, _ = verify_password(user.password_hash, current)
        if not verified:
            self.throttle.record_failure(user.username, client.address)
            raise fail("currentPassword", "is not your password", ErrorCode.INVALID_CREDENTIALS)
        problems = password_problems(
            new, username=user.username, display_name=user.display_name, field="newPassword"
        )
        if not problems and new == current:
            problems = [
                Problem("newPassword", "must differ from the current one", ErrorCode.INVALID)
            ]
        if problems:
            raise DomainError(problems)
        with self.writers() as session, unit_of_work(session):
            session.execute(
                update(User)
                .where(User.id == user.id)
                .values(password_hash=hash_password(new), must_change_password=False)
            )
            others = WebSession.user_id == user.id
            if authenticated.session_id is not None:
                others &= WebSession.id != authenticated.session_id
            ended = session.execute(delete(WebSession).where(others)).rowcount
            _about_user(
                session,
                client.who(actor),
                "changePassword",
                user,
                details={"sessionsEnded": ended},
            )
        return replace(authenticated, must_change_password=False)

    def reset_password(
        self, actor: Actor, user_id: int, client: Client, *, remove_second_factor: bool = False
    ) -> str:
        """An admin's reset of another user's password: a temporary password, returned once,
        to be changed at the next sign-in; the user's browser sessions end."""
        with self.writers() as session, unit_of_work(session):
            user = self._administered_user(session, actor, user_id)
            if user.id == actor.user_id:
                raise fail(
                    "userId", "change your own password with your current one", ErrorCode.INVALID
                )
            password = temporary_password()
            removes_factor = remove_second_factor and user.totp_secret is not None
            changes: dict[str, object] = {
                "password_hash": hash_password(password),
                "must_change_password": True,
            }
            if remove_second_factor:
                changes |= {"totp_secret": None, "totp_pending_secret": None}
            session.execute(update(User).where(User.id == user.id).values(**changes))
            ended = session.execute(delete(WebSession).where(WebSession.user_id == user.id))
            _about_user(
                session,
                client.who(actor),
                "resetPassword",
                user,
                details={
                    "username": user.username,
                    "sessionsEnded": ended.rowcount,
                    "secondFactorRemoved": removes_factor,
                },
            )
        return password

    @staticmethod
    def _administered_user(session: Session, actor: Actor, user_id: int) -> User:
        """A user whose unit the actor administers; NOT_FOUND for one the actor cannot see (of
        another province, or of a unit outside the actor's scope: no hint that they exist)."""
        user = session.get(User, user_id)
        node = session.get(TenantNode, user.node_id) if user is not None else None
        # A node-owned row (a user) is seen where the scope could write it: never an ancestor's.
        if user is None or node is None or not actor.scope.node_writable(node):
            raise fail("userId", "no such user", ErrorCode.NOT_FOUND)
        actor.require(node, Role.ADMIN, field="userId")
        return user

    # The second factor

    def begin_totp(self, authenticated: Authenticated) -> TotpSetup:
        """A new secret for the user's authenticator app; it takes effect once a code made with
        it is confirmed (``confirm_totp``)."""
        actor = authenticated.actor
        secret = second_factor.new_secret()
        with self.writers() as session, unit_of_work(session):
            session.execute(
                update(User).where(User.id == actor.user_id).values(totp_pending_secret=secret)
            )
        return TotpSetup(secret, second_factor.provisioning_uri(secret, actor.username))

    def confirm_totp(self, authenticated: Authenticated, code: str, client: Client) -> None:
        """Turn the second factor on with the secret being set up, given a code it made."""
        actor = authenticated.actor
        with self.writers() as session, unit_of_work(session):
            user = session.get_one(User, actor.user_id)
            if not user.totp_pending_secret:
                raise fail("code", "set up the second factor first", ErrorCode.INVALID)
            step = second_factor.accepted_step(user.totp_pending_secret, code, None)
            if step is None:
                raise fail("code", "is not the app's current code", ErrorCode.INVALID)
            user.totp_secret, user.totp_pending_secret = user.totp_pending_secret, None
            user.totp_last_step = step
            _about_user(
                session,
                client.who(actor),
                "enableSecondFactor",
                user,
            )

    def disable_totp(
        self, authenticated: Authenticated, password: str, code: str, client: Client
    ) -> None:
        """Turn the second factor off, given the password and a current code."""
        actor = authenticated.actor
        with self.writers() as session, unit_of_work(session):
            user = session.get_one(User, actor.user_id)
            if not user.totp_secret:
                raise fail("code", "the second factor is not on", ErrorCode.INVALID)
            problems = []
            if not verify_password(user.password_hash, password)[0]:
                problems.append(
                    Problem("password", "is not your password", ErrorCode.INVALID_CREDENTIALS)
                )
            step = second_factor.accepted_step(user.totp_secret, code, user.totp_last_step)
            if step is None:
                problems.append(
                    Problem("code", "is not the app's current code", ErrorCode.INVALID_CREDENTIALS)
                )
            if problems:
                raise DomainError(problems)
            user.totp_secret, user.totp_last_step = None, None
            _about_user(
                session,
                client.who(actor),
                "disableSecondFactor",
                user,
            )

    # API tokens

    def create_api_token(
        self,
        authenticated: Authenticated,
        name: str,
        expires_in_days: int | None,
        client: Client,
    ) -> NewApiToken:
        """A new API token acting as the user; its secret is returned once and never stored.

        It lives at most ``token_max_days`` (left out: that long), and a token made with a
        token expires no later than the one that made it (and is revoked with it)."""
        actor = authenticated.actor
        name = name.strip()
        if not name:
            raise fail("name", "must not be empty", ErrorCode.REQUIRED)
        if len(name) > 100:
            raise fail("name", "is longer than 100 characters", ErrorCode.INVALID)
        days = self.token_max_days if expires_in_days is None else expires_in_days
        if not 1 <= days <= self.token_max_days:
            raise fail(
                "expiresInDays", f"must be between 1 and {self.token_max_days}", ErrorCode.INVALID
            )
        now = utcnow()
        expires = now + timedelta(days=days)
        maker = authenticated.api_token
        if maker is not None and maker.expires_at is not None and expires > maker.expires_at:
            if expires_in_days is not None:
                left = max(0, (maker.expires_at - now).days)
                raise fail(
                    "expiresInDays",
                    f"a token made with a token cannot outlive it: at most {left} days",
                    ErrorCode.INVALID,
                )
            expires = maker.expires_at
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.writers() as session, unit_of_work(session):
            token = ApiToken(
                customer_id=actor.customer_id,
                user_id=actor.user_id,
                name=name,
                prefix=secret[:10],
                token_hash=_digest(secret),
                expires_at=expires,
                created_by_token_id=maker.id if maker is not None else None,
            )
            session.add(token)
            session.flush()
            audit.record(
                session,
                client.who(actor),
                "createApiToken",
                customer_id=actor.customer_id,
                node_id=actor.node_id,
                subject=f"ApiToken:{token.id}",
                details={
                    "name": name,
                    "expiresAt": expires.isoformat(),
                    "madeWithToken": token.created_by_token_id,
                },
            )
        return NewApiToken(secret, token)

    def api_tokens(self, actor: Actor, user_id: int | None = None) -> list[ApiToken]:
        """The actor's own tokens, or (for an admin) those of a user they administer, newest
        first (secrets are not kept)."""
        with self.sessions() as session:
            if user_id is None or user_id == actor.user_id:
                query = api_tokens_of(actor)
            else:
                user = self._administered_user(session, actor, user_id)
                query = select(ApiToken).where(ApiToken.user_id == user.id)
            return list(session.scalars(query.order_by(ApiToken.id.desc())))

    def revoke_api_token(self, actor: Actor, token_id: int, client: Client) -> ApiToken:
        """Revoke one of the actor's own tokens, or one of a user the actor administers; the
        tokens made with it (and with those) are revoked too."""
        with self.writers() as session, unit_of_work(session):
            token = session.get(ApiToken, token_id)
            if token is None or token.customer_id != actor.customer_id:
                raise fail("id", "no such API token", ErrorCode.NOT_FOUND)
            if token.user_id != actor.user_id:
                try:
                    self._administered_user(session, actor, token.user_id)
                except DomainError:
                    raise fail("id", "no such API token", ErrorCode.NOT_FOUND) from None
            now = utcnow()
            revoked, frontier = [], [token.id]
            while frontier:
                revoked += frontier
                frontier = list(
                    session.scalars(
                        select(ApiToken.id).where(ApiToken.created_by_token_id.in_(frontier))
                    )
                )
            session.execute(
                update(ApiToken)
                .where(ApiToken.id.in_(revoked), ApiToken.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            audit.record(
                session,
                client.who(actor),
                "revokeApiToken",
                customer_id=token.customer_id,
                node_id=session.get_one(User, token.user_id).node_id,
                subject=f"ApiToken:{token.id}",
                details={"name": token.name, "revoked": revoked},
            )
            session.refresh(token)
        return token


def _about_user(
    session: Session,
    who: Who,
    action: str,
    user: User | Actor,
    details: dict[str, object] | None = None,
) -> None:
    """Record something done to (or by) a user's account, in their province's chain."""
    user_id = user.id if isinstance(user, User) else user.user_id
    audit.record(
        session,
        who,
        action,
        customer_id=user.customer_id,
        node_id=user.node_id,
        subject=f"User:{user_id}",
        details=details,
    )


def _too_many(wait: int) -> DomainError:
    return fail(
        None, f"too many failed sign-ins: try again in {wait} seconds", ErrorCode.TOO_MANY_ATTEMPTS
    )
