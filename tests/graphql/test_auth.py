"""Sign-in, sign-out, the session cookie, CSRF, throttling and API tokens, over HTTP."""

from __future__ import annotations

import json

import pytest

from tenants.auth import Client
from tenants.models import WebSession

VIEWER = "{ viewer { user { username } csrfToken } }"
CREATE_TENANT = """
mutation($parent: ID!) {
  createTenant(input: {parentId: $parent, code: "330402950", nameZh: "测试镇",
                       nameEn: "Test Town", level: TOWNSHIP, kind: TOWN}) {
    tenant { code } errors { field message code }
  }
}
"""


def _nanhu_id(gql) -> str:
    data = gql.execute('{ tenant(code: "330402") { id } }')
    return data["data"]["tenant"]["id"]


def test_sign_in_sets_an_http_only_same_site_cookie(world, gql):
    payload = gql.sign_in("jx-office")
    assert payload["errors"] == []
    cookie = gql.last_response.headers["Set-Cookie"]
    assert cookie.startswith("redline_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert gql.execute(VIEWER)["data"]["viewer"]["user"]["username"] == "jx-office"


def test_wrong_password_and_unknown_user_get_the_same_answer(world, gql):
    wrong = gql.sign_in("jx-office", "not-the-password")
    unknown = gql.sign_in("nobody-at-all", "not-the-password")
    assert wrong == unknown
    assert wrong["viewer"] is None
    assert wrong["errors"] == [
        {
            "field": None,
            "message": "unknown username or wrong password",
            "code": "INVALID_CREDENTIALS",
        }
    ]
    assert "Set-Cookie" not in gql.last_response.headers


def test_repeated_failures_are_slowed_down_even_for_the_right_password(world, gql, runtime):
    free = runtime.settings.signin_free_failures
    for _ in range(free):
        assert gql.sign_in("xjd-clerk", "wrong-password")["errors"][0]["code"] == (
            "INVALID_CREDENTIALS"
        )
    blocked = gql.sign_in("xjd-clerk")  # the right password, but too soon
    assert blocked["viewer"] is None
    assert blocked["errors"][0]["code"] == "TOO_MANY_ATTEMPTS"
    assert "try again in" in blocked["errors"][0]["message"]
    # An unknown user is slowed down the same way (nothing tells the two apart).
    for _ in range(free):
        gql.sign_in("no-such-user", "wrong-password")
    assert gql.sign_in("no-such-user", "x")["errors"][0]["code"] == "TOO_MANY_ATTEMPTS"


def test_the_delay_ends_and_success_clears_the_account(world, gql, runtime, redis_client):
    throttle = runtime.authenticator.throttle
    for _ in range(runtime.settings.signin_free_failures):
        throttle.record_failure("xjd-clerk", "10.0.0.1")
    assert throttle.retry_after("xjd-clerk", "10.0.0.1") > 0
    import time

    first = runtime.settings.signin_first_delay_seconds
    assert throttle.retry_after("xjd-clerk", "10.0.0.1", now=time.time() + first + 1) == 0
    # Each further failure doubles the wait.
    throttle.record_failure("xjd-clerk", "10.0.0.1")
    assert throttle.retry_after("xjd-clerk", "10.0.0.1", now=time.time() + first + 1) > 0
    assert throttle.retry_after("xjd-clerk", "10.0.0.1", now=time.time() + 2 * first + 1) == 0
    throttle.clear("xjd-clerk")
    assert not redis_client.exists("redline:signin:user:xjd-clerk")


@pytest.mark.parametrize(
    ("username", "statements"),
    [("zj-office", 2), ("jx-office", 3)],  # the province's office has no units above it
)
def test_a_session_cookie_is_recognised_in_few_statements(
    world, runtime, statement_counter, username, statements
):
    """Every signed-in request pays it: the session with its user and home unit, the grants,
    and the units above (none to find for a province's office, so not asked for). The actor
    is the one signing in made."""
    signed = runtime.authenticator.sign_in(username, "redline-demo", Client())
    statement_counter.clear()
    found = runtime.authenticator.from_session_cookie(signed.token)
    assert found is not None
    assert found.actor == signed.authenticated.actor
    reads = [s for s in statement_counter if s.lstrip().startswith("SELECT")]  # no BEGIN
    assert len(reads) == statements, reads


def test_sign_out_ends_the_session_on_the_server(world, gql, session):
    gql.sign_in("jx-office")
    cookie = gql.http.get_cookie("redline_session").value
    result = gql.execute("mutation { signOut { errors { code } } }")
    assert result["data"]["signOut"]["errors"] == []
    assert session.query(WebSession).count() == 0
    assert gql.execute(VIEWER)["data"]["viewer"] is None
    # Replaying the old cookie does not bring the session back.
    gql.http.set_cookie("redline_session", cookie)
    assert gql.execute(VIEWER)["data"]["viewer"] is None
    data = gql.execute("{ tenants { totalCount } }")
    assert data["errors"][0]["message"] == "your session has ended: sign in again"
    assert data["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_mutations_with_the_cookie_need_the_csrf_token(world, gql):
    gql.sign_in("nanhu-office")
    gql.execute("mutation { signOut { errors { code } } }")  # leaves no session behind
    gql.sign_in("jx-office")
    parent = _nanhu_id(gql)
    token, gql.csrf_token = gql.csrf_token, None
    refused = gql.execute(CREATE_TENANT, {"parent": parent})
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert "X-CSRF-Token" in refused["errors"][0]["message"]
    gql.csrf_token = "forged"
    assert gql.execute(CREATE_TENANT, {"parent": parent})["data"] is None
    gql.csrf_token = token
    created = gql.execute(CREATE_TENANT, {"parent": parent})
    assert created["data"]["createTenant"] == {"tenant": {"code": "330402950"}, "errors": []}


def test_queries_need_no_csrf_token(world, gql):
    gql.sign_in("jx-office")
    gql.csrf_token = None
    assert gql.execute("{ tenants { totalCount } }")["data"]["tenants"]["totalCount"] > 0


def test_form_posts_are_refused(world, app):
    """A cross-site form cannot post JSON, so it cannot reach the API at all."""
    response = app.test_client().post(
        "/graphql", data={"query": "mutation { signOut { errors { code } } }"}
    )
    assert response.status_code == 400


SIGN_IN = (
    'mutation { signIn(input: {username: "jx-office", password: "redline-demo"}) '
    "{ viewer { csrfToken } errors { code } } }"
)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Referer": "https://evil.example/attack.html"},
        {"Origin": "null"},
    ],
)
def test_another_site_cannot_sign_the_browser_in(world, app, headers):
    """Login CSRF: a page elsewhere posting the attacker's credentials would sign the victim's
    browser in as the attacker (and what they then enter would be the attacker's to read)."""
    client = app.test_client()
    answer = client.post("/graphql", json={"query": SIGN_IN}, headers=headers)
    assert answer.status_code == 403
    assert answer.json["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert "Set-Cookie" not in answer.headers
    assert client.get_cookie("redline_session") is None


def test_a_form_cannot_sign_in_as_a_multipart_upload(world, app):
    """The one body a plain cross-site form can send here is multipart: refused without
    credentials, whatever the Origin (older browsers send none)."""
    client = app.test_client()
    answer = client.post(
        "/graphql",
        data={"operations": json.dumps({"query": SIGN_IN}), "map": "{}"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 401
    assert answer.json["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert client.get_cookie("redline_session") is None


@pytest.mark.parametrize("headers", [{}, {"Origin": "http://localhost"}])
def test_the_app_itself_and_scripts_sign_in(world, app, headers):
    """The app's own pages send their own origin (the test client's host is localhost);
    scripts send none."""
    answer = app.test_client().post("/graphql", json={"query": SIGN_IN}, headers=headers)
    assert answer.status_code == 200
    assert answer.json["data"]["signIn"]["viewer"]["csrfToken"]


def test_mutations_over_get_are_refused(world, app):
    response = app.test_client().get(
        "/graphql", query_string={"query": "mutation { signOut { errors { code } } }"}
    )
    # The GraphQL-over-HTTP spec prefers 405; the API issue's audit settles which.
    assert response.status_code in (400, 405)
    assert b"not allowed" in response.data.lower()


def test_api_token_lifecycle(world, gql, make_gql):
    gql.sign_in("gy-office")
    created = gql.execute(
        'mutation { createApiToken(input: {name: "nightly export", expiresInDays: 30}) {'
        " secret apiToken { id name prefix expiresAt revokedAt } errors { field code } } }"
    )["data"]["createApiToken"]
    assert created["errors"] == []
    secret = created["secret"]
    assert secret.startswith("rl_") and created["apiToken"]["prefix"] == secret[:10]

    script = make_gql()
    script.bearer = secret
    data = script.execute('{ viewer { user { username } } tenant(code: "510800") { nameEn } }')
    assert data["data"]["viewer"]["user"]["username"] == "gy-office"
    assert data["data"]["tenant"]["nameEn"] == "Guangyuan City"
    # Bearer requests need no CSRF token for mutations.
    token_id = created["apiToken"]["id"]
    tokens = gql.execute("{ viewer { apiTokens { id name lastUsedAt } } }")
    assert tokens["data"]["viewer"]["apiTokens"][0]["lastUsedAt"] is not None

    revoked = gql.execute(
        "mutation($id: ID!) { revokeApiToken(input: {id: $id}) { apiToken { revokedAt } "
        "errors { code } } }",
        {"id": token_id},
    )["data"]["revokeApiToken"]
    assert revoked["errors"] == [] and revoked["apiToken"]["revokedAt"]
    refused = script.execute("{ tenants { totalCount } }")
    assert refused["errors"][0]["message"] == "the API token is unknown, expired or revoked"


def test_api_token_input_errors_name_the_field(world, gql):
    gql.sign_in("gy-office")
    result = gql.execute(
        'mutation { createApiToken(input: {name: "  ", expiresInDays: 0}) {'
        " secret errors { field code } } }"
    )["data"]["createApiToken"]
    assert result["secret"] is None
    assert result["errors"] == [{"field": "name", "code": "REQUIRED"}]


def test_a_token_is_revoked_by_its_owner_or_an_admin_above_and_by_nobody_else(world, gql, make_gql):
    gql.sign_in("gy-office")
    token_id = gql.execute(
        'mutation { createApiToken(input: {name: "mine"}) { apiToken { id } } }'
    )["data"]["createApiToken"]["apiToken"]["id"]
    revoke = """mutation($id: ID!) { revokeApiToken(input: {id: $id}) {
      apiToken { revokedAt } errors { field code } } }"""
    above, own_token = make_gql(), None
    above.sign_in("sc-office")
    own_token = above.execute(
        'mutation { createApiToken(input: {name: "the province\'s"}) { apiToken { id } } }'
    )["data"]["createApiToken"]["apiToken"]["id"]
    # The city's office does not administer the province's users: not even told it exists.
    refused = gql.execute(revoke, {"id": own_token})["data"]["revokeApiToken"]
    assert refused["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    # The province's admin administers the city's users.
    done = above.execute(revoke, {"id": token_id})["data"]["revokeApiToken"]
    assert done["errors"] == [] and done["apiToken"]["revokedAt"]


@pytest.mark.parametrize(
    "query",
    [
        "{ tenants { totalCount } }",
        '{ tenant(code: "330000") { code } }',
        "{ users { totalCount } }",
    ],
)
def test_anonymous_queries_are_refused(world, gql, query):
    data = gql.execute(query)
    assert data["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_anonymous_mutations_get_a_payload_error(world, gql):
    result = gql.execute(CREATE_TENANT, {"parent": "VGVuYW50OjE="})
    assert result["data"]["createTenant"]["errors"] == [
        {"field": None, "message": "sign in first", "code": "UNAUTHENTICATED"}
    ]


def test_one_address_may_fail_more_often_than_one_account(world, gql, runtime):
    """A township office behind one address is not locked out by one colleague's typos."""
    throttle = runtime.authenticator.throttle
    for _ in range(runtime.settings.signin_free_failures):
        throttle.record_failure("xjd-clerk", "10.1.1.1")
    assert throttle.retry_after("xjd-clerk", "10.1.1.1") > 0
    assert throttle.retry_after("qixing-clerk", "10.1.1.1") == 0
    for _ in range(runtime.settings.signin_free_failures_per_address):
        throttle.record_failure("someone-else", "10.1.1.1")
    assert throttle.retry_after("qixing-clerk", "10.1.1.1") > 0
    assert throttle.retry_after("qixing-clerk", "10.9.9.9") == 0


@pytest.fixture
def redis_down(engine, database_urls, backend, tmp_path):
    """The app with its Redis gone (a port nobody listens on): jobs wait in the outbox."""
    from redline.app import create_app
    from redline.redis_conn import connect
    from tests.factories.api import GraphQLClient, app_runtime

    dead_url = "redis://127.0.0.1:1/0"
    runtime = app_runtime(
        engine, database_urls[backend], connect(dead_url), dead_url, tmp_path / "attachments"
    )
    return GraphQLClient(create_app(runtime).test_client()), runtime


def test_sign_in_works_while_redis_is_down_and_failures_are_still_throttled(
    world, redis_down, caplog
):
    gql, runtime = redis_down
    assert gql.sign_in("jx-office")["errors"] == []
    assert gql.execute(VIEWER)["data"]["viewer"]["user"]["username"] == "jx-office"
    assert "Redis unreachable" in caplog.text  # said in the log, once

    # Failures are counted in the process meanwhile: guessing is still slowed down.
    other = type(gql)(gql.http.application.test_client())
    for _ in range(runtime.settings.signin_free_failures):
        assert other.sign_in("xjd-clerk", "wrong-password")["errors"][0]["code"] == (
            "INVALID_CREDENTIALS"
        )
    assert other.sign_in("xjd-clerk")["errors"][0]["code"] == "TOO_MANY_ATTEMPTS"
    assert caplog.text.count("Redis unreachable") == 1
