def test_sign_in_and_list(world, gql):
    payload = gql.sign_in("jx-office")
    assert payload["errors"] == []
    assert payload["viewer"]["user"]["node"]["code"] == "330400"
    data = gql.execute("{ tenants(first: 3) { totalCount edges { node { code } } } }")
    assert data["data"]["tenants"]["edges"][0]["node"]["code"] == "330000"
