"""docs/api.md's examples work as written: each is valid against the schema, and each runs against
the demo (rankings published) as the user the text names, with no error, the variables a
reader would look up filled in here."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.assessments.models import Assessment, Cycle
from tenants.models import TenantNode
from tests.conftest import REPO
from tests.factories.api import clients_of, gid, signed_in

DOC = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
# Each example, with the user the text before it names ("as `jx-office`"; else the city office).
EXAMPLES = [
    (re.search(r"(?:query|mutation) (\w+)", block).group(1), block, users[-1] if users else None)
    for before, block in re.findall(r"(?s)((?:(?!```).)*)```graphql\n(.*?)```", DOC)
    for users in [re.findall(r"as `([a-z]+-[a-z-]+)`", before)]
]
TOWNSHIP_2026 = "2026年度嘉兴市乡镇（街道）安全生产工作考核"


def test_the_guide_has_an_example_for_each_area():
    names = {name for name, _, _ in EXAMPLES}
    assert {"SignIn", "Units", "Templates", "Cycles", "Scorecard", "Accidents", "Ranking"} <= names
    assert {"Matrix", "Background", "SaveEntries", "LatestHazards"} <= names


@pytest.fixture
def clients(served_demo: Session, redis_client, redis_test_url, tmp_path) -> Iterator:
    with clients_of(
        served_demo.get_bind(), redis_client, redis_test_url, tmp_path / "attachments"
    ) as new:
        yield new
    served_demo.rollback()


def _variables(session: Session) -> dict[str, object]:
    """What a reader looks up before running the examples."""
    city = session.scalars(select(TenantNode).where(TenantNode.code == "330400")).one()
    cycle = session.scalars(select(Cycle).where(Cycle.name == TOWNSHIP_2026)).one()
    clerk_s = session.scalars(
        select(Assessment)
        .join(TenantNode, TenantNode.id == Assessment.node_id)
        .where(Assessment.cycle_id == cycle.id, TenantNode.code == "330402901")
    ).one()
    return {
        "city": gid("Tenant", city.id),
        "cycle": gid("Cycle", cycle.id),
        "assessment": gid("Assessment", clerk_s.id),
        "version": clerk_s.version,
    }


@pytest.mark.parametrize(("name", "block", "user"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_an_example_runs_as_written(served_demo, clients, name, block, user):
    client = clients() if name == "SignIn" else signed_in(clients, user or "jx-office")
    # The variables declared without a default value.
    declared = re.findall(r"\$(\w+):\s*[\w!\[\]]+(\s*=)?", block)
    wanted = {name for name, default in declared if not default}
    variables = {k: v for k, v in _variables(served_demo).items() if k in wanted}
    assert set(variables) == wanted
    answer = client.execute(block, variables)
    assert "errors" not in answer, answer["errors"]
    for field, value in answer["data"].items():
        # Something to see: no root field null, no list of the example empty.
        assert value not in (None, []), field
        if isinstance(value, dict):
            assert value.get("errors", []) == [], value
            assert value.get("edges", [None]) != [], field


def test_the_cost_example_costs_what_the_guide_says(served_demo, clients):
    (block,) = (block for name, block, _ in EXAMPLES if name == "CycleScores")
    stated = re.search(r"Its cost is \*\*([\d,]+)\*\*", DOC).group(1)
    office = signed_in(clients, "jx-office")
    answer = office.execute(block, {"cycle": _variables(served_demo)["cycle"]})
    assert answer["extensions"]["cost"]["requested"] == int(stated.replace(",", ""))
