"""createTenant, updateTenant, grantRole, revokeRole: permissions, typed errors, all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import NoResultFound

from tenants.models import RoleGrant, TenantNode
from tests.factories.api import ERRORS, gid, tenant_id
from tests.factories.tenants import node, user


def create(gql, parent: str, **fields):
    values = {
        "code": "330402951",
        "nameZh": "新镇",
        "nameEn": "New Town",
        "level": "TOWNSHIP",
        "kind": "TOWN",
        **fields,
    }
    return gql.execute(
        "mutation($input: CreateTenantInput!) { createTenant(input: $input) {"
        f" tenant {{ id code depth parent {{ code }} }} {ERRORS} }} }}",
        {"input": {"parentId": parent, **values}},
    )["data"]["createTenant"]


def update(gql, **input_):
    return gql.execute(
        "mutation($input: UpdateTenantInput!) { updateTenant(input: $input) {"
        f" tenant {{ code nameEn parent {{ code }} depth }} {ERRORS} }} }}",
        {"input": input_},
    )["data"]["updateTenant"]


def grant(gql, world, username: str, code: str, role: str, selection: str = "id"):
    return gql.execute(
        "mutation($input: GrantRoleInput!) { grantRole(input: $input) {"
        f" roleGrant {{ {selection} }} {ERRORS} }} }}",
        {
            "input": {
                "userId": gid("User", user(world, username, fresh=True).id),
                "nodeId": tenant_id(world, code),
                "role": role,
            }
        },
    )["data"]["grantRole"]


def test_admin_creates_a_township_under_a_district(world, gql):
    gql.sign_in("jx-office")
    result = create(gql, tenant_id(world, "330402"))
    assert result["errors"] == []
    assert result["tenant"]["code"] == "330402951"
    assert result["tenant"]["depth"] == 3
    assert result["tenant"]["parent"] == {"code": "330402"}
    assert node(world, "330402951", fresh=True).path == "/330000/330400/330402/330402951/"


def test_every_bad_field_is_named_and_nothing_is_saved(world, gql):
    gql.sign_in("jx-office")
    before = world.scalar(select(func.count()).select_from(TenantNode))
    result = create(
        gql,
        tenant_id(world, "330402"),
        code="",
        nameZh=" ",
        nameEn="x" * 201,
        kind="DISTRICT",
    )
    assert result["tenant"] is None
    assert {(e["field"], e["code"]) for e in result["errors"]} == {
        ("code", "REQUIRED"),
        ("nameZh", "REQUIRED"),
        ("nameEn", "INVALID"),
        ("kind", "INVALID"),
    }
    assert world.scalar(select(func.count()).select_from(TenantNode)) == before


def test_level_order_duplicate_code_and_wrong_id_type(world, gql):
    gql.sign_in("zj-office")
    province = tenant_id(world, "330000")
    wrong_level = create(gql, province, code="339999001")
    assert wrong_level["errors"][0]["field"] == "parentId"
    assert wrong_level["errors"][0]["code"] == "LEVEL_ORDER"
    assert "township cannot sit directly under a province" in wrong_level["errors"][0]["message"]
    duplicate = create(gql, tenant_id(world, "330402"), code="330402012")
    assert duplicate["errors"] == [
        {
            "field": "code",
            "code": "DUPLICATE",
            "message": "330402012 is already used by another unit",
        }
    ]
    not_a_tenant = create(gql, gid("User", user(world, "zj-office", fresh=True).id))
    assert not_a_tenant["errors"][0]["field"] == "parentId"
    assert not_a_tenant["errors"][0]["code"] == "INVALID"


def test_another_provinces_codes_get_one_answer_whether_used_or_not(world, gql):
    """Codes are unique across provinces, but a province's units take codes of its own code
    space only: another province's code is invalid whatever that province holds, so no answer
    tells whether it exists."""
    gql.sign_in("zj-office")
    nanhu, qixing = tenant_id(world, "330402"), tenant_id(world, "330402015")
    used, unused = "510802001", "510802999"
    assert node(world, used).code == used
    nodes = world.scalar(select(func.count()).select_from(TenantNode))

    def answer(payload, code):
        # The code is named in the message, so compare with it replaced.
        return [{**e, "message": e["message"].replace(code, "<code>")} for e in payload["errors"]]

    created = {code: create(gql, nanhu, code=code) for code in (used, unused)}
    updated = {code: update(gql, id=qixing, code=code) for code in (used, unused)}
    for payloads in (created, updated):
        assert answer(payloads[used], used) == answer(payloads[unused], unused)
        assert payloads[used]["tenant"] is None and payloads[unused]["tenant"] is None
        assert payloads[used]["errors"] == [
            {
                "field": "code",
                "message": f"'{used}' is not a code of this province: its units' codes begin"
                " with '33'",
                "code": "INVALID",
            }
        ]
    # Inside the province's own space a used code is still a duplicate.
    assert create(gql, nanhu, code="330402015")["errors"][0]["code"] == "DUPLICATE"
    assert world.scalar(select(func.count()).select_from(TenantNode)) == nodes
    assert node(world, "330402015", fresh=True).name_en == "Qixing Subdistrict"


def test_only_admins_over_the_parent_may_create(world, gql):
    gql.sign_in("nanhu-office")  # assessor and submitter, not admin
    result = create(gql, tenant_id(world, "330402"))
    assert result["errors"][0]["code"] == "PERMISSION_DENIED"
    with pytest.raises(NoResultFound):
        node(world, "330402951", fresh=True)


def test_rename_and_move_a_unit_with_its_subtree(world, gql):
    gql.sign_in("zj-office")
    renamed = update(gql, id=tenant_id(world, "330402012"), nameEn="Qixing Street")
    assert renamed == {
        "tenant": {
            "code": "330402012",
            "nameEn": "Qixing Street",
            "parent": {"code": "330402"},
            "depth": 3,
        },
        "errors": [],
    }
    moved = update(
        gql,
        id=tenant_id(world, "330402012"),
        parentId=tenant_id(world, "330411"),
    )
    assert moved["errors"] == []
    assert moved["tenant"]["parent"] == {"code": "330411"}
    assert node(world, "330402012", fresh=True).path == "/330000/330400/330411/330402012/"


def test_moving_a_unit_under_itself_or_across_levels_is_refused(world, gql):
    gql.sign_in("zj-office")
    cycle = update(
        gql,
        id=tenant_id(world, "330400"),
        parentId=tenant_id(world, "330402"),
    )
    assert cycle["errors"][0]["code"] == "CYCLE"
    across = update(
        gql,
        id=tenant_id(world, "330402012"),
        parentId=tenant_id(world, "330400"),
    )
    assert across["errors"][0]["code"] == "LEVEL_ORDER"
    assert node(world, "330402012", fresh=True).parent_id == node(world, "330402", fresh=True).id


def test_grant_and_revoke_a_role(world, gql):
    gql.sign_in("jx-office")
    clerk = user(world, "xjd-clerk", fresh=True)
    granted = grant(
        gql, world, "xjd-clerk", "330402901", "VIEWER", "id role node { code } user { username }"
    )
    assert granted["errors"] == []
    assert granted["roleGrant"]["role"] == "VIEWER"
    again = grant(gql, world, "xjd-clerk", "330402901", "VIEWER")
    assert again["errors"][0]["code"] == "DUPLICATE"
    revoked = gql.execute(
        f"mutation($id: ID!) {{ revokeRole(input: {{id: $id}}) {{ revokedId {ERRORS} }} }}",
        {"id": granted["roleGrant"]["id"]},
    )["data"]["revokeRole"]
    assert revoked == {"revokedId": granted["roleGrant"]["id"], "errors": []}
    world.rollback()
    roles = world.scalars(select(RoleGrant.role).where(RoleGrant.user_id == clerk.id)).all()
    assert [r.value for r in roles] == ["submitter"]


def test_roles_only_on_the_users_own_unit_or_below(world, gql):
    gql.sign_in("jx-office")
    result = grant(gql, world, "xjd-clerk", "330402", "ASSESSOR")
    assert result["errors"][0]["field"] == "nodeId"
    assert result["errors"][0]["code"] == "INVALID"


def test_admins_cannot_revoke_their_own_admin_role(world, gql):
    gql.sign_in("jx-office")
    me = user(world, "jx-office", fresh=True)
    grant = world.scalar(
        select(RoleGrant).where(RoleGrant.user_id == me.id, RoleGrant.role == "admin")
    )
    result = gql.execute(
        f"mutation($id: ID!) {{ revokeRole(input: {{id: $id}}) {{ revokedId {ERRORS} }} }}",
        {"id": gid("RoleGrant", grant.id)},
    )["data"]["revokeRole"]
    assert result["errors"][0]["code"] == "PERMISSION_DENIED"


def test_a_revoked_role_takes_effect_on_the_next_request(world, gql, make_gql):
    leader = make_gql()
    leader.sign_in("gy-office")
    assert leader.execute('{ tenant(code: "510802") { code } }')["data"]["tenant"]
    gql.sign_in("sc-office")
    office = user(world, "gy-office", fresh=True)
    for grant in world.scalars(select(RoleGrant).where(RoleGrant.user_id == office.id)).all():
        result = gql.execute(
            f"mutation($id: ID!) {{ revokeRole(input: {{id: $id}}) {{ {ERRORS} }} }}",
            {"id": gid("RoleGrant", grant.id)},
        )
        assert result["data"]["revokeRole"]["errors"] == []
    assert leader.execute('{ tenant(code: "510802") { code } }')["data"]["tenant"] is None


def test_a_grant_to_someone_from_above_shows_without_its_holder(world, make_gql):
    office, clerk = make_gql(), make_gql()
    office.sign_in("jx-office")
    clerk.sign_in("xjd-clerk")
    granted = grant(office, world, "jx-office", "330402901", "ASSESSOR", "id user { username }")
    assert granted["roleGrant"]["user"] == {"username": "jx-office"}
    seen = clerk.execute(
        "query($id: ID!) { node(id: $id) { ... on RoleGrant { role node { code } user { id } } } }",
        {"id": granted["roleGrant"]["id"]},
    )
    assert "errors" not in seen
    assert seen["data"]["node"] == {"role": "ASSESSOR", "node": {"code": "330402901"}, "user": None}
