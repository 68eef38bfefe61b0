"""The audit log through the API: what sign-ins and mutations record, and who reads it (the
admins of the units the entries concern)."""

from __future__ import annotations

import json

from tests.factories.api import signed_in

AUDIT = """
query($filter: AuditFilter, $first: Int) { auditEntries(filter: $filter, first: $first) {
  totalCount edges { node { seq action subject details actorName address
    node { code } actor { username } } } } }
"""
CREATE_TOWN = """
mutation($parent: ID!) {
  createTenant(input: {parentId: $parent, code: "330402950", nameZh: "测试镇",
                       nameEn: "Test Town", level: TOWNSHIP, kind: TOWN}) {
    tenant { id code } errors { field message code }
  }
}
"""


def _entries(gql, **filter_) -> list[dict]:
    answer = gql.execute(AUDIT, {"filter": filter_ or None, "first": 100})
    assert "errors" not in answer, answer
    return [e["node"] for e in answer["data"]["auditEntries"]["edges"]]


def _unit_id(gql, code: str) -> str:
    return gql.execute("query($c: String!) { tenant(code: $c) { id } }", {"c": code})["data"][
        "tenant"
    ]["id"]


def test_a_mutation_is_recorded_with_its_input_and_what_it_changed(world, make_gql):
    office = signed_in(make_gql, "jx-office")
    made = office.execute(CREATE_TOWN, {"parent": _unit_id(office, "330402")})
    assert made["data"]["createTenant"]["errors"] == []
    entry = _entries(office, action="createTenant")[0]
    assert entry["actorName"] == "jx-office" and entry["actor"]["username"] == "jx-office"
    assert entry["node"]["code"] == "330402950"
    assert entry["subject"].startswith("TenantNode:")
    assert entry["address"] == "127.0.0.1"
    assert json.loads(entry["details"])["input"]["code"] == "330402950"


def test_sign_ins_failures_and_lockouts_are_recorded(world, make_gql, runtime):
    for _ in range(runtime.settings.signin_free_failures):
        make_gql().sign_in("xjd-clerk", "wrong-password")
    office = signed_in(make_gql, "jx-office")
    actions = [e["action"] for e in _entries(office, nodeId=_unit_id(office, "330402901"))]
    assert actions.count("signInFailed") == runtime.settings.signin_free_failures
    assert actions.count("signInThrottled") == 1
    throttled = _entries(office, action="signInThrottled")[0]
    assert json.loads(throttled["details"]) == {
        "failures": runtime.settings.signin_free_failures,
        "name": "xjd-clerk",
        "throttled": "account",
    }
    assert _entries(office, action="signIn")[0]["actorName"] == "jx-office"


def test_a_revoked_role_leaves_what_it_was_in_the_log(world, make_gql):
    office = signed_in(make_gql, "jx-office")
    users = office.execute(
        "query($n: ID!) { users(nodeId: $n, first: 20) { edges { node { username"
        " roles { id role } } } } }",
        {"n": _unit_id(office, "330402901")},
    )["data"]["users"]["edges"]
    grant = next(u for u in users if u["node"]["username"] == "xjd-clerk")["node"]["roles"][0]
    revoked = office.execute(
        "mutation($id: ID!) { revokeRole(input: {id: $id}) { revokedId errors { code } } }",
        {"id": grant["id"]},
    )["data"]["revokeRole"]
    assert revoked["errors"] == []
    entry = _entries(office, action="revokeRole")[0]
    assert json.loads(entry["details"])["revoked"] == {
        "node": "330402901",
        "role": "submitter",
        "user": "xjd-clerk",
    }
    assert entry["node"]["code"] == "330402901"


def test_admins_read_their_subtree_and_nobody_else_reads_anything(world, make_gql):
    signed_in(make_gql, "zj-office")  # the province's office signs in: the province's entry
    city = signed_in(make_gql, "jx-office")
    city.execute(CREATE_TOWN, {"parent": _unit_id(city, "330402")})
    signed_in(make_gql, "gy-office")  # Sichuan: a sign-in in another chain
    signed_in(make_gql, "xjd-clerk")

    seen = {e["node"]["code"] for e in _entries(city)}
    assert {"330400", "330402950", "330402901"} <= seen
    assert all(code.startswith("3304") for code in seen)  # not the province's, not Sichuan's
    province = {e["node"]["code"] for e in _entries(signed_in(make_gql, "zj-office"))}
    assert {"330000", "330400", "330402901"} <= province
    sichuan = {e["node"]["code"] for e in _entries(signed_in(make_gql, "sc-office"))}
    assert "510800" in sichuan and all(code.startswith("51") for code in sichuan)

    for username in ("xjd-clerk", "nanhu-office", "gy-office"):  # no ADMIN role anywhere
        refused = signed_in(make_gql, username).execute(AUDIT, {"first": 5})
        assert refused["data"] is None
        assert refused["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert make_gql().execute(AUDIT, {"first": 5})["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )


def test_filters_by_unit_action_and_time(world, make_gql):
    office = signed_in(make_gql, "jx-office")
    office.execute(CREATE_TOWN, {"parent": _unit_id(office, "330402")})
    assert {e["action"] for e in _entries(office, action="createTenant")} == {"createTenant"}
    assert _entries(office, since="2199-01-01T00:00:00+08:00") == []
    assert len(_entries(office, until="2199-01-01T00:00:00")) >= 2  # no offset: China time
    town = _entries(office, nodeId=_unit_id(office, "330402950"))
    assert [e["action"] for e in town] == ["createTenant"]
