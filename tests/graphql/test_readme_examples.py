"""Every GraphQL example of the README is valid against the schema (a renamed field or
argument breaks this test before it breaks a reader)."""

from __future__ import annotations

import re

import pytest
from graphql import parse, validate

from graphql_schema.schema import schema
from tests.conftest import REPO

BLOCKS = re.findall(r"```graphql\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)


def test_the_readme_has_examples_of_rankings_and_jobs():
    text = "\n".join(BLOCKS)
    for operation in (
        "rankings(",
        "rankingAggregate(",
        "compare(",
        "scorecardMatrix(",
        "rankingHistory(",
        "rankingTrend(",
        "notifications(",
        "jobRuns(",
    ):
        assert operation in text


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_a_readme_example_is_valid(block: str):
    assert validate(schema._schema, parse(block)) == []
