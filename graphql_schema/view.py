"""The Flask view serving the schema: authenticates the request and builds its context."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from cross_web import HTTPException
from flask import Request, Response, current_app, g
from flask import request as flask_request
from graphql import ExecutionResult
from sqlalchemy.orm import Session, sessionmaker
from strawberry.flask.views import AsyncGraphQLView
from strawberry.http import GraphQLHTTPResponse
from werkzeug.exceptions import RequestEntityTooLarge

from redline.db import writer_sessions
from redline.http import error_response
from redline.http import request_id as current_request_id
from redline.metrics import OPERATION_KEY, UNREGISTERED
from tenants.auth import SESSION_COOKIE, Authenticator
from tenants.scope import scoped

from .core.context import Context
from .core.persisted import RegisteredOperation, registered_operation
from .core.response_cache import ResponseCache

# Room for the multipart envelope (operations, map, part headers) around an uploaded file.
UPLOAD_ENVELOPE_BYTES = 1024 * 1024

# GraphQL over HTTP's own media type: a request error (no data) answers 4xx with it.
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


class RedlineGraphQLView(AsyncGraphQLView):
    """GraphQL over HTTP at /graphql; GraphiQL in a browser; file uploads as multipart requests
    (the GraphQL multipart request spec). Mutations sent with the session cookie need the
    X-CSRF-Token header whatever the content type, so a cross-site form cannot upload.

    Answers are ``application/json`` (200 whatever the errors) unless the client asks for
    ``application/graphql-response+json`` (GraphQL over HTTP): then a request that fails before
    execution (unparsable, invalid, variables of the wrong type, refused as a whole) answers
    400 without ``data``."""

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
        self.write_session_factory = writer_sessions(session_factory)
        self.cookie_secure = cookie_secure

    async def dispatch_request(self):  # type: ignore[override]
        # Who asks, before the body is read: its size limit depends on it (parsing a huge query
        # costs seconds of CPU before any resolver could refuse it).
        g.redline_authenticated = self.authenticator.from_request(
            flask_request.headers.get("Authorization", ""),
            flask_request.cookies.get(SESSION_COOKIE),
        )
        signed_in = g.redline_authenticated[0] is not None
        limit, what = self.body_limit(signed_in)
        flask_request.max_content_length = limit
        refused = self.cross_site_refusal(signed_in)
        if refused is not None:
            return refused
        runtime = current_app.extensions["redline"]
        cache = ResponseCache(runtime.redis, runtime.settings.response_cache_seconds)
        try:
            operation = registered_operation(
                _json_body(flask_request), runtime.settings.persisted_queries_file
            )
            g.setdefault(OPERATION_KEY, (operation and operation.name) or UNREGISTERED)
            key, cached = self.cached_answer(cache, operation)
            if cached is not None:
                content_type = (
                    GRAPHQL_RESPONSE_JSON
                    if wants_graphql_response(flask_request)
                    else "application/json"
                )
                return Response(cached, status=200, content_type=content_type)
            response = await self.run(request=flask_request)
            if key is not None and g.pop("graphql_answer_clean", False):
                cache.put(key, response.get_data())
            return response
        except RequestEntityTooLarge:
            return error_response(
                413, f"The request is larger than {limit:,} bytes, the limit of {what}", "TOO_LARGE"
            )
        except HTTPException as exc:  # a malformed request: JSON, with the request id
            return error_response(exc.status_code, exc.reason, "BAD_REQUEST")

    def cross_site_refusal(self, signed_in: bool) -> Response | None:
        """Login CSRF: a request without credentials (sign-in's) may not come from another
        site's page, which a browser says in ``Origin`` (or ``Referer``), nor as a multipart
        form, the one body a plain cross-site form can send here (there is nothing to upload
        before signing in). Scripts send no Origin and are let through."""
        if signed_in or flask_request.method != "POST":
            return None
        if flask_request.mimetype == "multipart/form-data":
            return error_response(
                401,
                "Sign in before uploading: a request with files needs credentials",
                "UNAUTHENTICATED",
            )
        sent = flask_request.headers.get("Origin") or _origin_of(
            flask_request.headers.get("Referer", "")
        )
        # The host alone: behind a proxy ending TLS the app may see http where the page had
        # https (a page of this host over either scheme is this site's).
        if sent and urlsplit(sent).netloc != flask_request.host:
            return error_response(
                403, f"A page of another site ({sent}) may not sign in here", "PERMISSION_DENIED"
            )
        return None

    def cached_answer(
        self, cache: ResponseCache, operation: RegisteredOperation | None
    ) -> tuple[str | None, bytes | None]:
        """The cache key of a signed-in request for a registered operation (``operation``) that
        reads only published snapshots, and its answer when the cache holds it (else None,
        None)."""
        authenticated = g.redline_authenticated[0]
        if authenticated is None or authenticated.must_change_password or operation is None:
            return None, None
        with scoped(self.session_factory(), authenticated.actor.scope) as session:
            key = cache.key(session, authenticated.actor, operation)
        return (key, cache.get(key)) if key is not None else (None, None)

    def body_limit(self, signed_in: bool) -> tuple[int, str]:
        """The most a request's body may hold, and whose limit it is (refused with 413 before
        werkzeug reads it): one upload for a signed-in multipart request, a JSON body for a
        signed-in one without files, a sign-in's for a request without valid credentials."""
        settings = current_app.extensions["redline"].settings
        if not signed_in:
            return settings.anonymous_request_max_bytes, "a request without valid credentials"
        if flask_request.mimetype == "multipart/form-data":
            return settings.attachment_max_bytes + UPLOAD_ENVELOPE_BYTES, "an upload"
        return (
            settings.request_max_bytes,
            "a request without files (send large content as an upload)",
        )

    async def process_result(  # type: ignore[override]
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        """The JSON of a result; with the GraphQL response media type, a request error (no data,
        no error at a field's path) leaves out ``data`` and sets the status to 400."""
        processed = await super().process_result(request, result)
        g.graphql_answer_clean = not result.errors
        if wants_graphql_response(request):
            g.graphql_response_status = 200
            if result.data is None and result.errors and all(not e.path for e in result.errors):
                processed.pop("data", None)
                g.graphql_response_status = 400
        return processed

    def create_response(self, response_data, sub_response: Response) -> Response:  # type: ignore[no-untyped-def, override]
        response = super().create_response(response_data, sub_response)
        status = g.pop("graphql_response_status", None)
        if status is not None:
            response.status_code = status
            response.content_type = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
        return response

    def decode_json(self, data: str | bytes) -> object:
        """A JSON object (or a list: strawberry refuses batches itself) from the body, a form
        part or a query parameter; anything else, text that is not UTF-8, or JSON nested deeper
        than the parser follows is a bad request (not the parser's server error)."""
        try:
            value = json.loads(data)
        except UnicodeDecodeError:
            raise HTTPException(400, "The request is not UTF-8 text") from None
        except RecursionError:
            raise HTTPException(400, "The request's JSON nests too deeply") from None
        if not isinstance(value, dict | list):
            raise HTTPException(
                400, 'Expected a JSON object such as {"query": "...", "variables": {}}'
            )
        return value

    async def parse_multipart(self, request) -> dict[str, object]:  # type: ignore[no-untyped-def]
        """The operations of a multipart request with its files put where its map says
        (the GraphQL multipart request spec), after checking that the map can say so."""
        try:
            form = await request.get_form_data()
        except ValueError:
            raise HTTPException(400, "Unable to parse the multipart body") from None
        operations = self.parse_json(form.form.get("operations", "{}"))
        files_map = self.parse_json(form.form.get("map", "{}"))
        return place_files(operations, files_map, form.files)

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        request_id = current_request_id()
        authenticated, problem = g.redline_authenticated
        context = Context(
            request=request,
            response=response,
            request_id=request_id,
            authenticator=self.authenticator,
            session_factory=self.session_factory,
            write_session_factory=self.write_session_factory,
            authenticated=authenticated,
            cookie_secure=self.cookie_secure,
            credentials_problem=problem,
        )
        g.graphql_context = context
        return context


def _json_body(request: Request) -> object:
    """The JSON body of a POST, or None when there is none or it cannot be read (the request
    is refused as it should be when the GraphQL view reads it: ``decode_json``)."""
    if request.method != "POST" or not request.is_json:
        return None
    try:
        return request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser follows
        return None


def _origin_of(url: str) -> str:
    """The scheme, host and port of a URL (empty for anything else)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def wants_graphql_response(request: Request) -> bool:
    """Whether the client names the GraphQL response media type in Accept, at least as
    preferred as plain JSON (a wildcard or no Accept header means plain JSON, as before)."""
    accept = request.accept_mimetypes
    named = {value for value, _ in accept}
    if GRAPHQL_RESPONSE_JSON not in named:
        return False
    quality = accept[GRAPHQL_RESPONSE_JSON]
    return quality > 0 and quality >= (
        accept["application/json"] if "application/json" in named else 0
    )


def place_files(operations: object, files_map: object, files: Mapping[str, Any]) -> dict:
    """Put each uploaded file where the map points: at a null placeholder under ``variables``
    of the operations. Anything else (a map that is not an object of lists of paths, a path to
    nowhere, a file the form lacks) is a bad request, said plainly."""
    if not isinstance(operations, dict):
        raise HTTPException(400, "The multipart 'operations' must be a JSON object")
    if not isinstance(files_map, dict) or not all(
        isinstance(paths, list) and all(isinstance(p, str) for p in paths)
        for paths in files_map.values()
    ):
        raise HTTPException(
            400, 'The multipart \'map\' must be a JSON object such as {"0": ["variables.file"]}'
        )
    for name, paths in files_map.items():
        if name not in files:
            raise HTTPException(400, f"The multipart form has no file '{name}' the map names")
        for path in paths:
            *parents, last = path.split(".")
            target: Any = operations
            for key in parents:
                target = _step(target, key, path)
            if _step(target, last, path) is not None:
                raise HTTPException(400, f"The map's path '{path}' is not a null placeholder")
            if isinstance(target, list):
                target[int(last)] = files[name]
            else:
                target[last] = files[name]
    return operations


def _step(value: object, key: str, path: str) -> Any:
    """``value[key]`` on the way along a map path; a bad request if there is no such place."""
    if isinstance(value, dict) and key in value:
        return value[key]
    if isinstance(value, list) and key.isascii() and key.isdigit() and int(key) < len(value):
        return value[int(key)]
    raise HTTPException(400, f"The map's path '{path}' leads nowhere in the operations")
