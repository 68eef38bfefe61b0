"""The tenant tree query sends the same number of SQL statements whatever the page size."""

from __future__ import annotations

from datetime import date

import pytest

from tenants.importer import import_rows
from tests.factories.api import gid, statements_for
from tests.factories.rankings import publish_sample_rankings
from tests.factories.tenants import node

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


def test_tenant_tree_query_count_does_not_grow_with_nodes(big_world, gql, statement_counter):
    gql.sign_in("zj-office")
    small, small_data = statements_for(gql, statement_counter, TREE, {"first": 2})
    large, large_data = statements_for(gql, statement_counter, TREE, {"first": 150})
    assert len(small_data["tenants"]["edges"]) == 2
    assert len(large_data["tenants"]["edges"]) == 150
    assert large == small, f"{small} statements for 2 nodes, {large} for 150"


def test_users_query_count_does_not_grow_with_users(world, gql, statement_counter):
    gql.sign_in("zj-office")
    small, _ = statements_for(gql, statement_counter, USERS, {"first": 1})
    large, data = statements_for(gql, statement_counter, USERS, {"first": 50})
    assert len(data["users"]["edges"]) == 7  # the Zhejiang demo users
    assert large == small


# --- scoring ----------------------------------------------------------------------------------

CYCLE_PAGE = """
query($cycle: ID!, $first: Int) {
  node(id: $cycle) { ... on Cycle {
    name template { title owner { code } } stateCounts { state count }
    assessments(first: $first) { totalCount edges { node {
      state version late selfTotal reviewedTotal gap grade vetoed
      unit { code parent { code } } cycle { name template { title } }
      submittedBy { username } reviewedBy { username }
    } } }
  } }
}
"""

SCORED = """
unit { code }
entries {
  indicator { code maxPoints tiers { minValue } clauses { key } }
  value points done counts { key count } note
  attachments { filename size downloadUrl uploadedBy { username } }
  selfScore { points explanation { rule points } }
  reviewedScore { points adjusted }
}
scorecard(kind: SELF) { total categories { code title points } explanation { points } }
spotChecks { itemCode points raisedBy { username } }
vetoes { rule { code title } withdrawn raisedBy { username } }
history(first: 50) { totalCount edges { node { actor { username } field } } }
"""
SCORED_PAGE = f"""
query($cycle: ID!, $first: Int) {{
  assessments(filter: {{cycleId: $cycle, state: SUBMITTED}}, first: $first) {{
    totalCount edges {{ node {{ {SCORED} }} }}
  }}
}}
"""
SCORED_ONE = f"query($id: ID!) {{ node(id: $id) {{ ... on Assessment {{ {SCORED} }} }} }}"


def _scoring_cycle(session):
    """The sample template published, and a township cycle over Nanhu (its 134 townships)."""
    from scoring.templates.models import Template
    from tests.factories.assessments import open_sample_cycle
    from tests.factories.templates import published_sample

    template: Template = published_sample(session)
    cycle = open_sample_cycle(session, owner_code="330402", template=template)
    session.commit()
    return cycle


def _fill(session, cycle, codes, *, entries: int, evidence_dir, submit: bool = True) -> None:
    """For the units ``codes``: the first ``entries`` of a full set of entries; with ``submit``,
    evidence on two indicators, the submission and a spot check too."""
    from decimal import Decimal

    from redline.config import Settings
    from scoring.assessments import attachments, review
    from scoring.assessments import entries as entry_service
    from scoring.evidence import FolderStore
    from tests.factories.api import FULL_ENTRIES, PDF
    from tests.factories.assessments import assessment_of, entry_inputs

    inputs = entry_inputs(FULL_ENTRIES[:entries], note="evidence attached")
    store, settings = FolderStore(evidence_dir), Settings(attachment_dir=evidence_dir)
    for code in codes:
        assessment = assessment_of(session, cycle, code)
        entry_service.save_entries(session, None, assessment, inputs, expected_version=1)
        if not submit:
            continue
        for item_code in ("1.3", "6.1"):
            attachments.add_attachment(
                session, None, assessment, item_code, filename=f"{item_code}.pdf",
                content_type="application/pdf", data=PDF, store=store, settings=settings,
            )  # fmt: skip
        entry_service.submit(session, None, assessment, expected_version=2)
        review.add_spot_check(
            session, None, assessment, item_code="6.1", points=Decimal(1),
            finding="宣传栏未更新", checked_on=date(2026, 11, 3),
        )  # fmt: skip
    session.commit()


def test_a_cycles_assessments_page_does_not_grow_with_its_rows(big_world, gql, statement_counter):
    from tests.factories.api import gid

    cycle = _scoring_cycle(big_world)
    gql.sign_in("nanhu-office")
    variables = {"cycle": gid("Cycle", cycle.id)}
    small, small_data = statements_for(
        gql, statement_counter, CYCLE_PAGE, {**variables, "first": 2}
    )
    large, large_data = statements_for(
        gql, statement_counter, CYCLE_PAGE, {**variables, "first": 130}
    )
    assert len(small_data["node"]["assessments"]["edges"]) == 2
    assert len(large_data["node"]["assessments"]["edges"]) == 130
    assert large == small, f"{small} statements for 2 assessments, {large} for 130"


def test_a_page_of_scored_assessments_does_not_grow_with_its_rows(
    big_world, gql, statement_counter, tmp_path
):
    from tests.factories.api import gid

    cycle = _scoring_cycle(big_world)
    townships = [f"330402{500 + i}" for i in range(12)]
    _fill(big_world, cycle, townships, entries=10, evidence_dir=tmp_path)
    gql.sign_in("nanhu-office")
    variables = {"cycle": gid("Cycle", cycle.id)}
    one, one_data = statements_for(gql, statement_counter, SCORED_PAGE, {**variables, "first": 1})
    many, many_data = statements_for(
        gql, statement_counter, SCORED_PAGE, {**variables, "first": 12}
    )
    assert len(one_data["assessments"]["edges"]) == 1
    scored = many_data["assessments"]["edges"]
    assert len(scored) == 12
    assert all(len(e["node"]["entries"]) == 14 for e in scored)
    assert sum(len(x["attachments"]) for e in scored for x in e["node"]["entries"]) == 24
    assert many == one, f"{one} statements for 1 assessment, {many} for 12"


def test_an_assessments_entries_and_scores_do_not_grow_with_its_rows(
    big_world, gql, statement_counter, tmp_path
):
    from tests.factories.api import gid
    from tests.factories.assessments import assessment_of

    cycle = _scoring_cycle(big_world)
    _fill(big_world, cycle, ["330402500"], entries=1, evidence_dir=tmp_path, submit=False)
    _fill(big_world, cycle, ["330402501"], entries=10, evidence_dir=tmp_path)
    sparse, full = (assessment_of(big_world, cycle, c) for c in ("330402500", "330402501"))
    query = SCORED_ONE
    gql.sign_in("nanhu-office")
    few, few_data = statements_for(
        gql, statement_counter, query, {"id": gid("Assessment", sparse.id)}
    )
    lots, lots_data = statements_for(
        gql, statement_counter, query, {"id": gid("Assessment", full.id)}
    )
    entered = [e for e in lots_data["node"]["entries"] if e["note"]]
    assert len(entered) == 10
    assert len([e for e in few_data["node"]["entries"] if e["note"]]) == 1
    assert lots_data["node"]["history"]["totalCount"] > few_data["node"]["history"]["totalCount"]
    assert lots == few, f"{few} statements for 1 entry row, {lots} for 10 with evidence"


RANKING_PAGE = """
query($cycle: ID!, $scope: ID!, $first: Int) {
  rankings(cycle: $cycle, scope: $scope, level: TOWNSHIP, first: $first) {
    edges { node { rank rankChange scoreChange unit { code } tenant { id code parent { code } } } }
  }
}
"""


def test_a_ranking_pages_tenants_are_read_together(world, sessions, gql, statement_counter):
    """Each row's ``tenant`` comes from one read of the page's tenants, whatever its rows."""
    session, cycle, _ = publish_sample_rankings(world, sessions)
    variables = {
        "cycle": gid("Cycle", cycle.id),
        "scope": gid("Tenant", node(session, "330402").id),
    }
    gql.sign_in("jx-office")
    small, small_data = statements_for(
        gql, statement_counter, RANKING_PAGE, variables | {"first": 1}
    )
    large, large_data = statements_for(
        gql, statement_counter, RANKING_PAGE, variables | {"first": 6}
    )
    rows = [edge["node"] for edge in large_data["rankings"]["edges"]]
    assert len(rows) == 6 and len(small_data["rankings"]["edges"]) == 1
    assert all(row["tenant"]["code"] == row["unit"]["code"] for row in rows)
    assert {row["tenant"]["parent"]["code"] for row in rows} == {"330402"}
    assert large == small, f"{small} statements for 1 row, {large} for 6"


def test_a_ranking_pages_tenants_are_read_without_columns_a_tenant_never_shows(
    world, sessions, gql, statement_counter
):
    """The page's tenants are read with the columns a tenant is made of (its code, names,
    place in the tree), not its timestamps, which a page of 500 decoded for nothing."""
    session, cycle, _ = publish_sample_rankings(world, sessions)
    variables = {
        "cycle": gid("Cycle", cycle.id),
        "scope": gid("Tenant", node(session, "330402").id),
        "first": 6,
    }
    gql.sign_in("jx-office")
    statements_for(gql, statement_counter, RANKING_PAGE, variables)
    tenants_read = [s for s in statement_counter if "tenant_node.name_zh" in s]
    assert tenants_read, statement_counter
    assert any("created_at" not in s and "tenant_node.path" in s for s in tenants_read), (
        tenants_read
    )
