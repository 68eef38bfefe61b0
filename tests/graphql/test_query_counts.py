"""The tenant tree query sends the same number of SQL statements whatever the page size."""

from __future__ import annotations

import pytest

from tenants.importer import import_rows

TREE = """
query($first: Int) {
  tenants(first: $first) {
    totalCount
    edges { node {
      code nameEn level kind
      parent { code nameEn }
      ancestors { code }
      children(first: 5) { totalCount edges { node { code parent { code } } } }
    } }
  }
}
"""

USERS = """
query($first: Int) {
  users(first: $first) { totalCount edges { node {
    username node { code parent { code } } roles { role node { code } user { username } }
  } } }
}
"""


@pytest.fixture
def big_world(world):
    """Add 120 more townships under Nanhu so pages of very different sizes exist."""
    rows = [
        {
            "code": f"330402{500 + i}",
            "parent_code": "330402",
            "name_zh": f"测试镇{i}",
            "name_en": f"Test Town {i}",
            "level": "township",
            "kind": "town",
        }
        for i in range(120)
    ]
    import_rows(world, rows)
    return world


def _count(gql, statement_counter, query, first):
    statement_counter.clear()
    result = gql.execute(query, {"first": first})
    assert "errors" not in result, result
    return len(statement_counter), result


def test_tenant_tree_query_count_does_not_grow_with_nodes(big_world, gql, statement_counter):
    gql.sign_in("zj-office")
    small, small_result = _count(gql, statement_counter, TREE, 2)
    large, large_result = _count(gql, statement_counter, TREE, 150)
    assert len(small_result["data"]["tenants"]["edges"]) == 2
    assert len(large_result["data"]["tenants"]["edges"]) == 150
    assert large == small, f"{small} statements for 2 nodes, {large} for 150"


def test_users_query_count_does_not_grow_with_users(world, gql, statement_counter):
    gql.sign_in("zj-office")
    small, _ = _count(gql, statement_counter, USERS, 1)
    large, result = _count(gql, statement_counter, USERS, 50)
    assert len(result["data"]["users"]["edges"]) == 6  # the Zhejiang demo users
    assert large == small
