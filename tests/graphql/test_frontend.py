"""The built frontend served by the app: files as built, the app for every screen's path,
GraphiQL at /graphiql in development only, the API's own paths never shadowed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from redline.app import create_app

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


# What a browser sends when it navigates to a page.
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A build as `npm run build` lays it out."""
    folder = tmp_path / "dist"
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text("<!doctype html><title>Redline app</title>")
    (folder / "graphiql.html").write_text("<!doctype html><title>Redline GraphiQL</title>")
    (folder / "assets" / "app-1a2b3c.js").write_text("console.log('app')")
    (folder / "favicon.svg").write_text("<svg/>")
    return folder


def client_for(runtime, **settings):
    return create_app(replace(runtime, settings=runtime.settings.with_(**settings))).test_client()


def test_every_screen_path_gets_the_app(runtime, dist):
    http = client_for(runtime, frontend_dir=dist)
    for path in ("/", "/rankings", "/assessments/QXNzZXNzbWVudDox", "/sign-in"):
        page = http.get(path, headers=BROWSER)
        assert page.status_code == 200, path
        assert b"Redline app" in page.data
        assert page.headers["Cache-Control"] == "no-cache"
    # A script (no text/html in Accept) asking for a wrong path gets the API's JSON 404.
    assert http.get("/").status_code == 200
    missing = http.get("/no/such/page", headers={"Accept": "application/json"})
    assert missing.status_code == 404 and missing.is_json


def test_built_files_are_served_and_hashed_assets_kept_long(runtime, dist):
    http = client_for(runtime, frontend_dir=dist)
    asset = http.get("/assets/app-1a2b3c.js")
    assert asset.status_code == 200
    assert "max-age=31536000" in asset.headers["Cache-Control"]
    assert http.get("/favicon.svg").data == b"<svg/>"
    assert http.get("/assets/missing.js").status_code == 404


def test_the_api_paths_are_never_the_app(runtime, dist):
    http = client_for(runtime, frontend_dir=dist)
    assert http.get("/healthz").is_json
    assert http.get("/files/nothing-here").status_code == 404
    assert b"Redline app" not in http.get("/files/nothing-here").data
    answer = http.post("/graphql", json={"query": "{ viewer { csrfToken } }"})
    assert answer.get_json()["data"] == {"viewer": None}
    assert "errors" not in answer.get_json()


def test_graphiql_is_the_bundled_one_and_only_in_development(runtime, dist):
    http = client_for(runtime, frontend_dir=dist)
    assert b"Redline GraphiQL" in http.get("/graphiql").data
    # /graphql no longer offers the CDN-loaded GraphiQL page.
    assert b"unpkg" not in http.get("/graphql", headers={"Accept": "text/html"}).data
    closed = client_for(runtime, frontend_dir=dist, graphiql=False)
    assert closed.get("/graphiql").status_code == 404


def test_an_unbuilt_frontend_says_how_to_build_it(runtime, tmp_path):
    http = client_for(runtime, frontend_dir=tmp_path / "not-built")
    page = http.get("/", headers=BROWSER)
    assert page.status_code == 503
    assert b"make demo" in page.data and b"npm" in page.data
    assert http.get("/graphiql").status_code == 503
