"""Accounts through the API: users created, disabled and enabled by admins, passwords changed
and reset (with a policy), usernames whatever their case, browser sessions (idle timeout, list,
sign out everywhere), the second factor, API token lifetimes and admins' token lists, and a
shared office address that cannot lock its colleagues out."""

from __future__ import annotations

import time
from datetime import timedelta

import pyotp
from sqlalchemy import update

from redline.db import utcnow
from tenants.models import WebSession
from tests.factories.api import signed_in

USERS_OF = """
query($node: ID!) { users(nodeId: $node, first: 50) { edges { node {
  id username isActive secondFactor mustChangePassword } } } }
"""
CREATE_USER = """
mutation($input: CreateUserInput!) { createUser(input: $input) {
  user { id username mustChangePassword node { code } roles { role } }
  temporaryPassword errors { field message code } } }
"""
CHANGE_PASSWORD = """
mutation($current: String!, $new: String!) {
  changePassword(input: {currentPassword: $current, newPassword: $new}) {
    viewer { mustChangePassword user { username } } errors { field message code } } }
"""
RESET_PASSWORD = """
mutation($user: ID!, $remove: Boolean) {
  resetPassword(input: {userId: $user, removeSecondFactor: $remove}) {
    temporaryPassword errors { field message code } } }
"""
VIEWER = "{ viewer { mustChangePassword user { username } } }"
TENANTS = "{ tenants(first: 1) { totalCount } }"
SESSIONS = "{ viewer { sessions { id current userAgent address lastSeenAt } } }"
STRONG = "copper kettle on a windy ridge"


def _unit_id(gql, code: str) -> str:
    return gql.execute("query($c: String!) { tenant(code: $c) { id } }", {"c": code})["data"][
        "tenant"
    ]["id"]


def _user_id(gql, code: str, username: str) -> str:
    edges = gql.execute(USERS_OF, {"node": _unit_id(gql, code)})["data"]["users"]["edges"]
    return next(e["node"]["id"] for e in edges if e["node"]["username"] == username)


def _create(gql, code: str, username: str, roles=("SUBMITTER",)) -> dict:
    return gql.execute(
        CREATE_USER,
        {
            "input": {
                "nodeId": _unit_id(gql, code),
                "username": username,
                "displayName": "新同事",
                "roles": list(roles),
            }
        },
    )["data"]["createUser"]


def test_an_admin_creates_a_user_who_must_choose_a_password_first(world, gql, make_gql):
    gql.sign_in("jx-office")
    made = _create(gql, "330402", "Nanhu-Newcomer")
    assert made["errors"] == []
    assert made["user"]["node"]["code"] == "330402"
    assert made["user"]["mustChangePassword"] is True
    assert [r["role"] for r in made["user"]["roles"]] == ["SUBMITTER"]
    temporary = made["temporaryPassword"]

    newcomer = make_gql()
    # Usernames are whatever-the-case: the name typed in lower case signs in.
    assert newcomer.sign_in("nanhu-newcomer", temporary)["errors"] == []
    assert newcomer.execute(VIEWER)["data"]["viewer"]["mustChangePassword"] is True
    home = newcomer.execute("{ viewer { user { node { code } roles { role } } } }")
    assert home["data"]["viewer"]["user"] == {
        "node": {"code": "330402"},
        "roles": [{"role": "SUBMITTER"}],
    }
    refused = newcomer.execute(TENANTS)
    assert refused["errors"][0]["extensions"]["code"] == "PASSWORD_CHANGE_REQUIRED"

    weak = newcomer.execute(CHANGE_PASSWORD, {"current": temporary, "new": "password123"})
    assert weak["data"]["changePassword"]["errors"][0]["field"] == "newPassword"
    assert "easy to guess" in weak["data"]["changePassword"]["errors"][0]["message"]
    named = newcomer.execute(CHANGE_PASSWORD, {"current": temporary, "new": "nanhu-newcomer1"})
    assert named["data"]["changePassword"]["errors"][0]["field"] == "newPassword"

    done = newcomer.execute(CHANGE_PASSWORD, {"current": temporary, "new": STRONG})
    assert done["data"]["changePassword"]["errors"] == []
    assert done["data"]["changePassword"]["viewer"]["mustChangePassword"] is False
    assert newcomer.execute(TENANTS)["data"]["tenants"]["totalCount"] >= 1
    assert make_gql().sign_in("NANHU-NEWCOMER", STRONG)["errors"] == []


def test_usernames_are_unique_whatever_their_case_across_provinces(world, gql):
    gql.sign_in("jx-office")
    taken = _create(gql, "330402", "GY-OFFICE")  # Sichuan's Guangyuan office has it
    assert taken["user"] is None
    assert taken["errors"] == [
        {"field": "username", "message": "GY-OFFICE is taken", "code": "DUPLICATE"}
    ]


def test_creating_users_is_for_admins_of_the_unit(world, gql, make_gql):
    gql.sign_in("nanhu-office")
    above = _create(gql, "330400", "jx-newcomer")  # the city above Nanhu
    assert above["errors"][0]["code"] in {"PERMISSION_DENIED", "NOT_FOUND"}
    clerk = signed_in(make_gql, "xjd-clerk")
    refused = clerk.execute(
        CREATE_USER,
        {
            "input": {
                "nodeId": _unit_id(clerk, "330402901"),
                "username": "xjd-second",
                "displayName": "x",
            }
        },
    )["data"]["createUser"]
    assert refused["errors"][0]["code"] == "PERMISSION_DENIED"
    # Another province's unit is not found at all.
    other = signed_in(make_gql, "sc-office")
    sichuan_unit = _unit_id(other, "510000")
    foreign = gql.execute(
        CREATE_USER,
        {"input": {"nodeId": sichuan_unit, "username": "sneaky", "displayName": "x"}},
    )["data"]["createUser"]
    assert foreign["errors"][0] == {
        "field": "nodeId",
        "message": "no Tenant with this id that you can see",
        "code": "NOT_FOUND",
    }


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(world, make_gql):
    here, elsewhere = signed_in(make_gql, "nanhu-office"), signed_in(make_gql, "nanhu-office")
    wrong = here.execute(CHANGE_PASSWORD, {"current": "not-it-at-all", "new": STRONG})
    assert wrong["data"]["changePassword"]["errors"] == [
        {
            "field": "currentPassword",
            "message": "is not your password",
            "code": "INVALID_CREDENTIALS",
        }
    ]
    done = here.execute(CHANGE_PASSWORD, {"current": "redline-demo", "new": STRONG})
    assert done["data"]["changePassword"]["errors"] == []
    assert here.execute(VIEWER)["data"]["viewer"]["user"]["username"] == "nanhu-office"
    assert elsewhere.execute(VIEWER)["data"]["viewer"] is None
    assert make_gql().sign_in("nanhu-office")["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert make_gql().sign_in("nanhu-office", STRONG)["errors"] == []


def test_an_admin_resets_a_password_the_user_then_replaces(world, gql, make_gql):
    clerk = signed_in(make_gql, "xjd-clerk")
    gql.sign_in("jx-office")
    clerk_id = _user_id(gql, "330402901", "xjd-clerk")
    reset = gql.execute(RESET_PASSWORD, {"user": clerk_id})["data"]["resetPassword"]
    assert reset["errors"] == [] and len(reset["temporaryPassword"]) == 19
    assert clerk.execute(VIEWER)["data"]["viewer"] is None  # the clerk's session ended
    again = make_gql()
    assert again.sign_in("xjd-clerk")["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert again.sign_in("xjd-clerk", reset["temporaryPassword"])["errors"] == []
    assert again.execute(VIEWER)["data"]["viewer"]["mustChangePassword"] is True
    # Files are refused too until the password is chosen.
    assert again.http.get("/files/ledgers/accidents.xlsx").status_code == 401

    own = gql.execute(RESET_PASSWORD, {"user": _user_id(gql, "330400", "jx-office")})
    assert own["data"]["resetPassword"]["errors"][0]["field"] == "userId"


def test_resets_reach_only_users_an_admin_administers(world, gql, make_gql):
    sichuan = signed_in(make_gql, "sc-office")
    gy_office = _user_id(sichuan, "510800", "gy-office")
    gql.sign_in("jx-office")
    foreign = gql.execute(RESET_PASSWORD, {"user": gy_office})["data"]["resetPassword"]
    assert foreign == {
        "temporaryPassword": None,
        "errors": [{"field": "userId", "message": "no such user", "code": "NOT_FOUND"}],
    }
    nanhu = signed_in(make_gql, "nanhu-office")
    above = nanhu.execute(RESET_PASSWORD, {"user": _user_id(gql, "330400", "jx-office")})
    assert above["data"]["resetPassword"]["errors"][0]["code"] in {"NOT_FOUND", "PERMISSION_DENIED"}


def test_a_disabled_user_is_out_at_once_and_back_when_enabled(world, gql, make_gql):
    clerk = signed_in(make_gql, "xjd-clerk")
    token = clerk.execute('mutation { createApiToken(input: {name: "script"}) { secret } }')[
        "data"
    ]["createApiToken"]["secret"]
    gql.sign_in("jx-office")
    clerk_id = _user_id(gql, "330402901", "xjd-clerk")
    toggle = "mutation($id: ID!) { %s(input: {id: $id}) { user { isActive } errors { code } } }"
    off = gql.execute(toggle % "disableUser", {"id": clerk_id})["data"]["disableUser"]
    assert off == {"user": {"isActive": False}, "errors": []}
    assert clerk.execute(VIEWER)["data"]["viewer"] is None
    script = make_gql()
    script.bearer = token
    assert script.execute(TENANTS)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert make_gql().sign_in("xjd-clerk")["errors"][0]["code"] == "INVALID_CREDENTIALS"

    on = gql.execute(toggle % "enableUser", {"id": clerk_id})["data"]["enableUser"]
    assert on == {"user": {"isActive": True}, "errors": []}
    assert make_gql().sign_in("xjd-clerk")["errors"] == []
    assert script.execute(TENANTS)["data"]["tenants"]["totalCount"] >= 1

    self_off = gql.execute(toggle % "disableUser", {"id": _user_id(gql, "330400", "jx-office")})
    assert self_off["data"]["disableUser"]["errors"] == [{"code": "INVALID"}]


def test_sessions_are_listed_ended_one_by_one_and_everywhere(world, make_gql):
    laptop, phone = signed_in(make_gql, "jx-office"), signed_in(make_gql, "jx-office")
    sessions = laptop.execute(SESSIONS)["data"]["viewer"]["sessions"]
    assert len(sessions) == 2
    assert sum(s["current"] for s in sessions) == 1
    other = next(s for s in sessions if not s["current"])
    ended = laptop.execute(
        "mutation($id: ID!) { endSession(input: {id: $id}) { ended errors { code } } }",
        {"id": other["id"]},
    )["data"]["endSession"]
    assert ended == {"ended": 1, "errors": []}
    assert phone.execute(VIEWER)["data"]["viewer"] is None
    # Someone else's session is not found.
    stranger = signed_in(make_gql, "nanhu-office")
    mine = laptop.execute(SESSIONS)["data"]["viewer"]["sessions"][0]["id"]
    foreign = stranger.execute(
        "mutation($id: ID!) { endSession(input: {id: $id}) { ended errors { code } } }",
        {"id": mine},
    )["data"]["endSession"]
    assert foreign == {"ended": None, "errors": [{"code": "NOT_FOUND"}]}

    tablet = signed_in(make_gql, "jx-office")
    everywhere = laptop.execute("mutation { signOutEverywhere { ended errors { code } } }")
    assert everywhere["data"]["signOutEverywhere"] == {"ended": 2, "errors": []}
    assert laptop.execute(VIEWER)["data"]["viewer"] is None
    assert tablet.execute(VIEWER)["data"]["viewer"] is None


def test_an_idle_session_ends(world, make_gql, runtime, session):
    browser = signed_in(make_gql, "jx-office")
    idle = timedelta(minutes=runtime.settings.session_idle_minutes, seconds=1)
    session.execute(update(WebSession).values(last_seen_at=utcnow() - idle))
    session.commit()
    answer = browser.execute(TENANTS)
    assert answer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "session has ended" in answer["errors"][0]["message"]


def test_the_second_factor_is_set_up_asked_for_and_turned_off(world, make_gql):
    browser = signed_in(make_gql, "jx-office")
    setup = browser.execute("mutation { beginSecondFactor { secret otpauthUri errors { code } } }")[
        "data"
    ]["beginSecondFactor"]
    assert setup["otpauthUri"].startswith("otpauth://totp/Redline:jx-office?")
    totp = pyotp.TOTP(setup["secret"])
    confirm = """mutation($c: String!) { confirmSecondFactor(input: {code: $c}) {
      viewer { user { secondFactor } } errors { field code } } }"""
    wrong = browser.execute(confirm, {"c": "000000" if totp.now() != "000000" else "111111"})
    assert wrong["data"]["confirmSecondFactor"]["errors"] == [{"field": "code", "code": "INVALID"}]
    # The step before this one (a code just gone stale is still taken): the current and the
    # next are left for the sign-in and the switch-off below. The three are worked out from
    # the clock the server reads too, so they must all fall within one 30-second step: begun
    # near its end, the step before had gone two steps stale by the server's clock (seen once).
    left = 30 - time.time() % 30
    if left < 10:
        time.sleep(left + 0.1)
    on = browser.execute(confirm, {"c": totp.at(time.time() - 30)})["data"]["confirmSecondFactor"]
    assert on == {"viewer": {"user": {"secondFactor": True}}, "errors": []}

    sign_in = """mutation($u: String!, $p: String!, $o: String) {
      signIn(input: {username: $u, password: $p, otp: $o}) { viewer { user { username } }
      errors { field code } } }"""
    client = make_gql()
    asked = client.execute(sign_in, {"u": "jx-office", "p": "redline-demo"})["data"]["signIn"]
    assert asked == {"viewer": None, "errors": [{"field": "otp", "code": "OTP_REQUIRED"}]}
    # A wrong password is refused as ever, without asking for the code (no hint).
    wrong_password = client.execute(sign_in, {"u": "jx-office", "p": "nope-nope"})
    assert wrong_password["data"]["signIn"]["errors"] == [
        {"field": None, "code": "INVALID_CREDENTIALS"}
    ]
    later = totp.now()
    good = client.execute(sign_in, {"u": "jx-office", "p": "redline-demo", "o": later})
    assert good["data"]["signIn"]["errors"] == []
    replayed = make_gql().execute(sign_in, {"u": "jx-office", "p": "redline-demo", "o": later})
    assert replayed["data"]["signIn"]["errors"] == [{"field": "otp", "code": "INVALID_CREDENTIALS"}]

    disable = """mutation($p: String!, $c: String!) { disableSecondFactor(input: {password: $p,
      code: $c}) { viewer { user { secondFactor } } errors { field code } } }"""
    refused = browser.execute(disable, {"p": "wrong-password", "c": "123456"})
    assert {e["field"] for e in refused["data"]["disableSecondFactor"]["errors"]} == {
        "password",
        "code",
    }
    # The step after the one used to sign in.
    off = browser.execute(disable, {"p": "redline-demo", "c": totp.at(time.time() + 30)})
    assert off["data"]["disableSecondFactor"] == {
        "viewer": {"user": {"secondFactor": False}},
        "errors": [],
    }
    assert make_gql().sign_in("jx-office")["errors"] == []


CREATE_TOKEN = """
mutation($days: Int) { createApiToken(input: {name: "job", expiresInDays: $days}) {
  secret apiToken { id expiresAt madeWithToken revokedAt } errors { field message code } } }
"""


def _days_left(token: dict) -> float:
    from datetime import datetime

    return (datetime.fromisoformat(token["expiresAt"]) - utcnow()).total_seconds() / 86400


def test_tokens_live_at_most_the_maximum_and_never_outlive_the_token_that_made_them(
    world, gql, make_gql, runtime
):
    gql.sign_in("jx-office")
    longest = runtime.settings.api_token_max_days
    too_long = gql.execute(CREATE_TOKEN, {"days": longest + 1})["data"]["createApiToken"]
    assert too_long["errors"] == [
        {
            "field": "expiresInDays",
            "message": f"must be between 1 and {longest}",
            "code": "INVALID",
        }
    ]
    unbounded = gql.execute(CREATE_TOKEN, {"days": None})["data"]["createApiToken"]
    assert longest - 1 < _days_left(unbounded["apiToken"]) <= longest

    one_day = gql.execute(CREATE_TOKEN, {"days": 1})["data"]["createApiToken"]
    script = make_gql()
    script.bearer = one_day["secret"]
    refused = script.execute(CREATE_TOKEN, {"days": 30})["data"]["createApiToken"]
    assert refused["errors"][0]["field"] == "expiresInDays"
    assert "cannot outlive" in refused["errors"][0]["message"]
    child = script.execute(CREATE_TOKEN, {"days": None})["data"]["createApiToken"]
    assert child["errors"] == [] and child["apiToken"]["madeWithToken"] is True
    assert child["apiToken"]["expiresAt"] == one_day["apiToken"]["expiresAt"]

    grandchild_script = make_gql()
    grandchild_script.bearer = child["secret"]
    assert grandchild_script.execute(TENANTS)["data"]["tenants"]["totalCount"] >= 1
    revoke = "mutation($id: ID!) { revokeApiToken(input: {id: $id}) { errors { code } } }"
    assert gql.execute(revoke, {"id": one_day["apiToken"]["id"]})["data"]["revokeApiToken"] == {
        "errors": []
    }
    # Revoking the token revoked the one it made.
    assert grandchild_script.execute(TENANTS)["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )


def test_admins_list_the_tokens_of_users_they_administer(world, make_gql):
    clerk = signed_in(make_gql, "xjd-clerk")
    clerk.execute('mutation { createApiToken(input: {name: "clerk script"}) { secret } }')
    admin = signed_in(make_gql, "jx-office")
    listing = "query($u: ID!) { apiTokens(userId: $u) { name revokedAt } }"
    clerk_id = _user_id(admin, "330402901", "xjd-clerk")
    assert admin.execute(listing, {"u": clerk_id})["data"]["apiTokens"] == [
        {"name": "clerk script", "revokedAt": None}
    ]
    foreign = signed_in(make_gql, "sc-office")
    refused = foreign.execute(listing, {"u": clerk_id})
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    not_admin = clerk.execute(listing, {"u": _user_id(admin, "330400", "jx-office")})
    assert not_admin["errors"][0]["extensions"]["code"] in {"NOT_FOUND", "PERMISSION_DENIED"}


def _from(make_gql, address: str):
    client = make_gql()
    client.http.environ_base["REMOTE_ADDR"] = address
    return client


def test_failures_from_a_shared_address_do_not_lock_out_the_right_password(
    world, make_gql, runtime
):
    """52 failures from one office address (52 usernames) slow down that address's wrong
    guesses, but a colleague whose own account is not throttled still gets in."""
    office = "10.20.30.40"
    prankster = _from(make_gql, office)
    for n in range(runtime.settings.signin_free_failures_per_address + 2):
        prankster.sign_in(f"nobody-{n}", "wrong-password")
    colleague = _from(make_gql, office)
    assert colleague.sign_in("xjd-clerk", "wrong-password")["errors"][0]["code"] == (
        "TOO_MANY_ATTEMPTS"
    )
    assert colleague.sign_in("nanhu-office")["errors"] == []
    # The account the wrong guess was for is not throttled by one failure either.
    assert _from(make_gql, office).sign_in("xjd-clerk")["errors"] == []


def test_passwords_never_reach_the_audit_log(world, make_gql, session):
    from sqlalchemy import select

    from tenants.audit import AuditEntry

    browser = signed_in(make_gql, "nanhu-office")
    browser.execute(CHANGE_PASSWORD, {"current": "redline-demo", "new": STRONG})
    make_gql().sign_in("nanhu-office", "a-wrong-guess-123")
    details = " ".join(session.scalars(select(AuditEntry.details)))
    for secret in ("redline-demo", STRONG, "a-wrong-guess-123"):
        assert secret not in details
