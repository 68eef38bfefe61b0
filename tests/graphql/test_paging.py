"""Paging both ways: `first`/`after` forwards and `last`/`before` backwards give the same items in
the list's order, with page info saying what lies beyond, for a list query and for the rows of
many parents at once; wrong combinations and cursors name the argument."""

from __future__ import annotations

from typing import Any

from tests.factories.api import gid, ok, signed_in
from tests.factories.tenants import node

TENANTS = """
query($subtree: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  tenants(filter: {subtreeOf: $subtree}, first: $first, after: $after, last: $last,
          before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { code } }
  }
}
"""


def _page(gql, subtree: str, **paging: Any) -> dict[str, Any]:
    return ok(gql.execute(TENANTS, {"subtree": subtree, **paging}))["tenants"]


def _codes(page: dict[str, Any]) -> list[str]:
    return [e["node"]["code"] for e in page["edges"]]


def test_a_list_pages_backwards_as_it_pages_forwards(world, make_gql):
    gql = signed_in(make_gql, "jx-office")
    jiaxing = gid("Tenant", node(world, "330400").id)
    everything = _codes(_page(gql, jiaxing, first=500))
    assert len(everything) > 8

    last = _page(gql, jiaxing, last=3)
    assert _codes(last) == everything[-3:]
    assert last["totalCount"] == len(everything)
    assert last["pageInfo"]["hasPreviousPage"] is True
    assert last["pageInfo"]["hasNextPage"] is False
    assert last["pageInfo"]["startCursor"] == last["edges"][0]["cursor"]

    before = _page(gql, jiaxing, last=3, before=last["pageInfo"]["startCursor"])
    assert _codes(before) == everything[-6:-3]
    assert before["pageInfo"]["hasNextPage"] is True

    # Back to the start: the first page has nothing before it.
    rest = _page(gql, jiaxing, last=500, before=before["pageInfo"]["startCursor"])
    assert _codes(rest) == everything[:-6]
    assert rest["pageInfo"]["hasPreviousPage"] is False

    # Between two cursors, from either end.
    between = {"after": rest["edges"][0]["cursor"], "before": rest["edges"][4]["cursor"]}
    assert _codes(_page(gql, jiaxing, first=2, **between)) == everything[1:3]
    assert _codes(_page(gql, jiaxing, last=2, **between)) == everything[2:4]


def test_wrong_paging_arguments_name_the_argument(world, make_gql):
    gql = signed_in(make_gql, "jx-office")
    jiaxing = gid("Tenant", node(world, "330400").id)
    for paging, message in (
        ({"first": 2, "last": 2}, "last: give first or last, not both"),
        ({"last": 501}, "last: must be between 0 and 500"),
        ({"last": 2, "before": "nonsense"}, "before: 'nonsense' is not a cursor of this list"),
    ):
        answer = gql.execute(TENANTS, {"subtree": jiaxing, **paging})
        assert answer["errors"][0]["message"] == message, paging
        assert answer["errors"][0]["extensions"]["code"] == "INVALID"


CHILDREN = """
{
  a: tenant(code: "330400") { children(last: 2) { ...page } }
  b: tenant(code: "330402") { children(last: 2) { ...page } }
  c: tenant(code: "330400") { children(first: 500) { ...page } }
  d: tenant(code: "330402") { children(first: 500) { ...page } }
}
fragment page on TenantConnection {
  totalCount pageInfo { hasNextPage hasPreviousPage } edges { node { code } }
}
"""


def test_the_rows_of_many_parents_page_backwards(world, make_gql):
    gql = signed_in(make_gql, "jx-office")
    data = ok(gql.execute(CHILDREN))
    for backwards, forwards in (("a", "c"), ("b", "d")):
        every = [e["node"]["code"] for e in data[forwards]["children"]["edges"]]
        tail = data[backwards]["children"]
        assert [e["node"]["code"] for e in tail["edges"]] == every[-2:]
        assert tail["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": len(every) > 2}
        assert tail["totalCount"] == len(every)
