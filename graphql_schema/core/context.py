"""The per-request context: who is asking, their scoped session, and per-request DataLoaders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from flask import Request, Response, current_app, has_app_context
from sqlalchemy.orm import Session
from strawberry.types import Info as StrawberryInfo

from redline.config import Settings
from tenants.access import Actor
from tenants.auth import Authenticated, Authenticator, Client
from tenants.scope import TenantScope, scoped

from .dataloaders import Loaders
from .enums import ErrorCode
from .errors import ApiError


def running_settings() -> Settings:
    """The running app's settings; the defaults where no app runs (a script or a benchmark
    executing the schema directly)."""
    return current_app.extensions["redline"].settings if has_app_context() else Settings()


@dataclass
class Context:
    """Built once per request by the view; resolvers reach everything through it."""

    request: Request
    response: Response
    request_id: str
    authenticator: Authenticator
    session_factory: Callable[[], Session]  # unscoped: only ``db`` below may use it
    # The same, with transactions that take the write lock when they begin (SQLite).
    write_session_factory: Callable[[], Session]
    authenticated: Authenticated | None
    cookie_secure: bool = False
    # Why presented credentials were not accepted (an unknown, expired or revoked API token).
    credentials_problem: str | None = None
    # Set before any resolver runs when the operation is a mutation: its transactions write.
    writes: bool = False
    _sessions: list[Session] = field(default_factory=list)

    @property
    def actor(self) -> Actor | None:
        return self.authenticated.actor if self.authenticated else None

    def require_actor(self) -> Actor:
        """The signed-in actor, or an UNAUTHENTICATED error."""
        if self.actor is None:
            raise ApiError(self.credentials_problem or "sign in first", ErrorCode.UNAUTHENTICATED)
        return self.actor

    @property
    def client(self) -> Client:
        """Where the request comes from, for the audit log."""
        return Client(
            address=self.request.remote_addr or "",
            user_agent=self.request.user_agent.string or "",
            request_id=self.request_id,
        )

    @property
    def scope(self) -> TenantScope:
        return self.actor.scope if self.actor else TenantScope.nothing()

    @cached_property
    def db(self) -> Session:
        """The request's session, narrowed to the actor's tenant scope on every query.

        A mutation's session begins each transaction with the write lock on SQLite: one that
        read first could not take it later once another writer committed (it would fail at
        once with "database is locked" instead of waiting its turn).
        """
        factory = self.write_session_factory if self.writes else self.session_factory
        session = scoped(factory(), self.scope)
        self._sessions.append(session)
        return session

    @cached_property
    def loaders(self) -> Loaders:
        """The request's DataLoaders, on the scoped session."""
        return Loaders(self.db, self.actor)

    @property
    def settings(self) -> Settings:
        """The running app's settings (upload limits, where evidence files live)."""
        return running_settings()

    def become(self, authenticated: Authenticated) -> None:
        """Act as a user who just signed in, for the rest of this request."""
        self.authenticated = authenticated
        self.credentials_problem = None
        for name in ("db", "loaders"):
            self.__dict__.pop(name, None)

    def close(self) -> None:
        for session in self._sessions:
            session.close()


Info = StrawberryInfo[Context, None]
