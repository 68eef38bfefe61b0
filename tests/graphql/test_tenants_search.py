"""tenants(filter: {search}): by code prefix or part of a name, any case, within what one sees."""

from __future__ import annotations

from tests.factories.api import ok, tenant_id


def codes(gql, **filter_) -> list[str]:
    data = ok(
        gql.execute(
            "query($filter: TenantFilter) { tenants(filter: $filter, first: 100) {"
            " totalCount edges { node { code } } } }",
            {"filter": filter_},
        )
    )["tenants"]
    found = [edge["node"]["code"] for edge in data["edges"]]
    assert data["totalCount"] == len(found)
    return found


def test_a_part_of_the_chinese_name(world, gql):
    gql.sign_in("zj-office")
    assert codes(gql, search="湘家") == ["330402901"]
    assert codes(gql, search="  湘家荡区域 ") == ["330402901"]


def test_a_part_of_the_english_name_in_any_case(world, gql):
    gql.sign_in("zj-office")
    assert codes(gql, search="xiangJIADANG") == ["330402901"]
    assert codes(gql, search="qixing subdistrict") == ["330402015"]


def test_a_code_prefix_but_not_a_code_infix(world, gql):
    gql.sign_in("zj-office")
    found = codes(gql, search="3304021")
    assert found == ["330402100", "330402101", "330402103", "330402105"]
    assert codes(gql, search="402901") == []


def test_combined_with_the_other_conditions(world, gql):
    gql.sign_in("zj-office")
    towns = codes(gql, search="town", level="TOWNSHIP", subtreeOf=tenant_id(world, "330402"))
    assert towns == ["330402100", "330402101", "330402103", "330402105"]
    assert codes(gql, search="Nanhu", level="COUNTY") == ["330402"]


def test_wildcards_match_themselves_and_blank_matches_everything(world, gql):
    gql.sign_in("zj-office")
    assert codes(gql, search="%") == []
    assert codes(gql, search="_") == []
    assert codes(gql, search="  ") == codes(gql)


def test_only_units_the_viewer_can_see(world, gql):
    gql.sign_in("qixing-clerk")
    assert codes(gql, search="湘家荡") == []
    assert codes(gql, search="330402") == ["330402", "330402015"]
    gql.sign_in("sc-office")
    assert codes(gql, search="Xiangjiadang") == []
