"""The Flask view serving the schema: authenticates the request and builds its context."""

from __future__ import annotations

import uuid

from flask import Request, Response, g
from sqlalchemy.orm import Session, sessionmaker
from strawberry.flask.views import AsyncGraphQLView

from tenants.auth import Authenticated, Authenticator

from .context import Context
from .tenants.mutations import SESSION_COOKIE


class RedlineGraphQLView(AsyncGraphQLView):
    """GraphQL over HTTP at /graphql; GraphiQL in a browser."""

    def __init__(
        self,
        *,
        authenticator: Authenticator,
        session_factory: sessionmaker[Session],
        cookie_secure: bool,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.authenticator = authenticator
        self.session_factory = session_factory
        self.cookie_secure = cookie_secure

    def _authenticate(self, request: Request) -> tuple[Authenticated | None, str | None]:
        """Who the request acts as, or why the credentials it presented were refused."""
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            found = self.authenticator.from_bearer(header[7:].strip())
            return found, None if found else "the API token is unknown, expired or revoked"
        token = request.cookies.get(SESSION_COOKIE)
        found = self.authenticator.from_session_cookie(token) if token else None
        return found, "your session has ended: sign in again" if token and not found else None

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        response.headers["X-Request-ID"] = request_id
        authenticated, problem = self._authenticate(request)
        context = Context(
            request=request,
            response=response,
            request_id=request_id,
            authenticator=self.authenticator,
            session_factory=self.session_factory,
            authenticated=authenticated,
            cookie_secure=self.cookie_secure,
            credentials_problem=problem,
        )
        g.graphql_context = context
        return context
