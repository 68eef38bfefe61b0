"""The built frontend at /: its files as they are, index.html for every screen's path (the app
routes in the browser), and the bundled GraphiQL at /graphiql."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, request, send_from_directory

blueprint = Blueprint("frontend", __name__)

# Paths the app's own routes answer; the frontend's fallback never shadows them.
RESERVED = ("graphql", "files/", "healthz", "livez", "readyz", "metrics")

NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Redline</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>Redline</h1>
<p>The frontend is not built. <code>make demo</code> builds it (it needs Node.js 20.19 or newer
and npm: <code>apt-get install nodejs npm</code>), or by hand:
<code>npm --prefix frontend_build ci &amp;&amp; npm --prefix frontend_build run build</code>.</p>
<p>The API answers at <a href="/graphql">/graphql</a> meanwhile.</p>
</body></html>"""


def _dist() -> Path:
    return current_app.extensions["redline"].settings.frontend_dir


def _page(name: str) -> Response:
    dist = _dist()
    if not (dist / name).is_file():
        return Response(NOT_BUILT, status=503, mimetype="text/html")
    response = send_from_directory(dist, name, max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@blueprint.get("/graphiql")
def graphiql() -> Response:
    """GraphiQL, bundled into the build (no CDN); development only (REDLINE_GRAPHIQL)."""
    if not current_app.extensions["redline"].settings.graphiql:
        abort(404)
    return _page("graphiql.html")


@blueprint.get("/assets/<path:name>")
def asset(name: str) -> Response:
    """A built file: its name carries its content hash, so browsers may keep it for a year."""
    return send_from_directory(_dist() / "assets", name, max_age=365 * 24 * 3600)


@blueprint.get("/", defaults={"path": ""})
@blueprint.get("/<path:path>")
def screen(path: str) -> Response:
    """A file of the build's top folder (favicon), else the app for one of its screens: a
    browser's page request (it asks for text/html); a script asking for a wrong path gets the
    JSON 404 every other wrong path gets."""
    if path.startswith(RESERVED):
        abort(404)
    if path and "/" not in path and (_dist() / path).is_file():
        return send_from_directory(_dist(), path, max_age=3600)
    if path and "text/html" not in request.headers.get("Accept", ""):
        abort(404)
    return _page("index.html")


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
