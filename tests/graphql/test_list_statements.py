"""Every list of the API costs the same SQL statements for a small page as for a larger one: each
connection field of Query is asked for with every scalar of its items two levels deep (nested
lists included), on the demo as the province's office, at two page sizes, and the statements
counted. A list added tomorrow is walked too.

A relation that first shows up in the larger page (a template that extends another, a listed
hazard's lister) costs its one batched statement there, so the larger page may send a few more
(``ROOM``); a statement per row would send at least ``LARGE - SMALL`` more. Lists the demo holds
too few rows of for that difference are skipped, saying so.

Left out, and said so (``COMPUTED_PER_OBJECT``): the fields that compute per object (scoring
reads the unit's ledgers, validation reads the template whole), so their statements grow with
the page (known; the performance issue)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from graphql import GraphQLObjectType, get_named_type
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from graphql_schema.schema import schema
from scoring.assessments.models import Cycle
from tenants.models import TenantNode
from tests.factories.api import clients_of, gid, ok, signed_in
from tests.factories.walk import selection

TOWNSHIP_2026 = "2026年度嘉兴市乡镇（街道）安全生产工作考核"
SMALL, LARGE = 2, 12
ROOM = 3
# Scoring an assessment (its scorecard, each entry's points and ledger figure, the vetoes its
# ledgers fire) reads that unit's ledger figures, and a plan's statistics count its own
# elements: a few statements per object.
COMPUTED_PER_OBJECT = frozenset(
    {
        ("Assessment", "scorecard"),
        ("Assessment", "ledgerVetoes"),
        ("Entry", "ledgerFigure"),
        ("Entry", "selfScore"),
        ("Entry", "reviewedScore"),
        ("ActionPlan", "statistics"),
        ("Template", "problems"),
    }
)
SCHEMA = schema._schema


def connection_fields() -> list[str]:
    """The fields of Query answering a page of a list (a Relay connection)."""
    return [
        name
        for name, f in SCHEMA.query_type.fields.items()
        if isinstance(get_named_type(f.type), GraphQLObjectType)
        and "edges" in get_named_type(f.type).fields
        and "first" in f.args
    ]


@pytest.fixture
def office(served_demo, redis_client, redis_test_url, tmp_path) -> Iterator:
    with clients_of(
        served_demo.get_bind(), redis_client, redis_test_url, tmp_path / "files"
    ) as new:
        yield signed_in(new, "zj-office")
    served_demo.rollback()


def _arguments(served_demo: Session, name: str) -> dict[str, Any]:
    """The required arguments of the lists that take some (the township cycle of Jiaxing)."""
    cycle = served_demo.scalars(select(Cycle).where(Cycle.name == TOWNSHIP_2026)).one()
    city = served_demo.scalars(select(TenantNode).where(TenantNode.code == "330400")).one()
    return {
        "spotCheckDraws": {"cycleId": gid("Cycle", cycle.id)},
        "rankings": {"cycle": gid("Cycle", cycle.id), "scope": gid("Tenant", city.id)},
        "scorecardMatrix": {"cycle": gid("Cycle", cycle.id), "scope": gid("Tenant", city.id)},
    }.get(name, {})


def _query(name: str, arguments: dict[str, Any], end: str) -> str:
    f = SCHEMA.query_type.fields[name]
    declared = "".join(f", ${a}: ID!" for a in arguments)
    passed = "".join(f", {a}: ${a}" for a in arguments)
    if "level" in f.args:
        passed += ", level: TOWNSHIP"
    node = get_named_type(get_named_type(f.type).fields["edges"].type).fields["node"].type
    fields = selection(SCHEMA, node, 2, skip=COMPUTED_PER_OBJECT)
    return (
        f"query(${end}: Int{declared}) {{ {name}({end}: ${end}{passed}) "
        f"{{ totalCount edges {{ node {{ {fields} }} }} }} }}"
    )


def _statements(
    office, served_demo: Session, query: str, variables: dict[str, Any]
) -> tuple[int, Any]:
    counted: list[str] = []

    def count(*_: Any) -> None:
        counted.append("")

    engine = served_demo.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        answer = ok(office.execute(query, variables))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(counted), answer


def test_the_walk_finds_the_lists():
    assert {"tenants", "assessments", "hazards", "rankings", "notifications"} <= set(
        connection_fields()
    )


@pytest.mark.parametrize("name", connection_fields())
def test_a_list_costs_the_same_statements_whatever_its_page_size(served_demo, office, name):
    """From the start of the list and, where it pages backwards, from its end (the rows of a
    list's two ends differ: the demo's first assessments are in no group, its last are)."""
    arguments = _arguments(served_demo, name)
    ends = ["first", "last"] if "last" in SCHEMA.query_type.fields[name].args else ["first"]
    for end in ends:
        query = _query(name, arguments, end)
        few, small = _statements(office, served_demo, query, {**arguments, end: SMALL})
        total = small[name]["totalCount"]
        if total < LARGE:
            pytest.skip(f"{name}: the demo holds {total} for the province's office")
        many, large = _statements(office, served_demo, query, {**arguments, end: LARGE})
        assert len(large[name]["edges"]) == LARGE
        assert many - few <= ROOM, (
            f"{name} ({end}): {few} statements for {SMALL}, {many} for {LARGE}"
        )
