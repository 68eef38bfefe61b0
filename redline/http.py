"""Every answer of the app carries a request id, and every error is JSON in GraphQL's error shape
(``{"errors": [{"message", "extensions": {"code", "requestId"}}]}``), whatever failed: a
malformed body, a wrong URL, a body too large, or a bug (logged with its traceback)."""

from __future__ import annotations

import logging
import re
import uuid

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger("redline.http")

REQUEST_ID_HEADER = "X-Request-ID"
# A client's own request id is kept when it is a plain token (it lands in logs and headers).
_CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def request_id() -> str:
    """The current request's id: the client's X-Request-ID if sensible, else a new one."""
    if "request_id" not in g:
        sent = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = sent if _CLIENT_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
    return g.request_id


def error_response(status: int, message: str, code: str, field: str | None = None) -> Response:
    """A JSON error answer in GraphQL's shape, with the request id (and the request parameter
    at fault as ``extensions.field``, when one is)."""
    extensions = {"code": code, "requestId": request_id()}
    if field is not None:
        extensions["field"] = field
    response = jsonify(errors=[{"message": message, "extensions": extensions}])
    response.status_code = status
    return response


# HTTP statuses as error codes a program can switch on.
_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


def init_app(app: Flask) -> None:
    """Give every answer its request id and every error its JSON body."""

    @app.after_request
    def _tag(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = request_id()
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        if error.response is not None:  # a view chose its own answer
            return error.response
        status = error.code or 500
        return error_response(status, error.description or error.name, _CODES.get(status, "ERROR"))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.error("unexpected error in request %s", request_id(), exc_info=error)
        return error_response(500, "Unexpected error.", "INTERNAL")
