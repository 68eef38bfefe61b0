"""Security headers on every answer: a content security policy the frontend and GraphiQL keep
to, no framing, no MIME sniffing, referrers kept on this site, HSTS behind HTTPS; and a Server
header that names no versions when Werkzeug serves (`redline serve`, `redline demo`)."""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.serving import WSGIRequestHandler

# The built frontend loads its scripts, styles, fonts and workers from /assets; antd and the
# editor of GraphiQL inject <style> elements (hence 'unsafe-inline' for styles only); the
# letterhead preview shows a chosen file as a blob: image; nothing is loaded from elsewhere.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# What the Server header says when Werkzeug serves: no product or Python versions to look up
# vulnerabilities by. (Werkzeug writes the header itself, before the app's headers, so an
# after_request hook cannot replace it: serve with ServerHandler instead.)
SERVER = "Redline"


class ServerHandler(WSGIRequestHandler):
    """Werkzeug's request handler answering ``Server: Redline`` rather than
    ``Werkzeug/3.1.3 Python/3.11.7``: pass it as ``request_handler`` to ``app.run`` or
    ``make_server``."""

    server_version = SERVER  # also the WSGI SERVER_SOFTWARE
    sys_version = ""

    def version_string(self) -> str:
        return SERVER


# Only behind HTTPS (REDLINE_COOKIE_SECURE): a year, subdomains included.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def init_app(app: Flask, *, https: bool) -> None:
    """Put the headers on every answer (a view's own value of one is kept)."""
    headers = dict(HEADERS)
    if https:
        headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY

    @app.after_request
    def _secure(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
