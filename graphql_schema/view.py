"""The Flask view serving the schema: authenticates the request and builds its context."""

from __future__ import annotations

import uuid

from flask import Request, Response, current_app, g
from flask import request as flask_request
from sqlalchemy.orm import Session, sessionmaker
from strawberry.flask.views import AsyncGraphQLView

from tenants.auth import SESSION_COOKIE, Authenticator

from .context import Context

# Room for the multipart envelope (operations, map, part headers) around an uploaded file.
UPLOAD_ENVELOPE_BYTES = 1024 * 1024


class RedlineGraphQLView(AsyncGraphQLView):
    """GraphQL over HTTP at /graphql; GraphiQL in a browser; file uploads as multipart requests
    (the GraphQL multipart request spec). Mutations sent with the session cookie need the
    X-CSRF-Token header whatever the content type, so a cross-site form cannot upload."""

    def __init__(
        self,
        *,
        authenticator: Authenticator,
        session_factory: sessionmaker[Session],
        cookie_secure: bool,
        **kwargs,
    ) -> None:
        kwargs.setdefault("multipart_uploads_enabled", True)
        super().__init__(**kwargs)
        self.authenticator = authenticator
        self.session_factory = session_factory
        self.cookie_secure = cookie_secure

    async def dispatch_request(self):  # type: ignore[override]
        # Refuse a body larger than one upload before werkzeug reads it (413).
        settings = current_app.extensions["redline"].settings
        flask_request.max_content_length = settings.attachment_max_bytes + UPLOAD_ENVELOPE_BYTES
        return await super().dispatch_request()

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        response.headers["X-Request-ID"] = request_id
        authenticated, problem = self.authenticator.from_request(
            request.headers.get("Authorization", ""), request.cookies.get(SESSION_COOKIE)
        )
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
