"""Responsibility statements through the API: issuing and signing, refused inputs by field, the
list with its filters and pages, the coverage query, who sees what, and query counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.ledgers.models import ResponsibilityStatement as Statement
from scoring.ledgers.statements import EnterpriseInput, issue_statements, sign_statement
from tenants.models import TenantNode
from tests.factories.api import fields_of, gid, mutate, ok, signed_in, statements_for, tenant_id
from tests.factories.tenants import actor, node

NOW = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)
TITLE = "2026年度安全生产目标管理责任书"
JIAXING, NANHU, XJD, QIXING = "330400", "330402", "330402901", "330402015"
COUNTIES = ["330402", "330411", "330421", "330424", "330481", "330482", "330483"]

STATEMENT = """
id year title party enterprise sector state signedOn version
issuer { code } counterparty { code } recordedBy { username }
history { action field old new actor { username } files { id } }
"""
PAGE = f"""
query($filter: StatementFilter, $first: Int, $after: String) {{
  responsibilityStatements(filter: $filter, first: $first, after: $after) {{
    totalCount
    pageInfo {{ hasNextPage hasPreviousPage endCursor }}
    edges {{ cursor node {{ {STATEMENT} }} }}
  }}
}}
"""
READ = f"query($id: ID!) {{ node(id: $id) {{ ... on ResponsibilityStatement {{ {STATEMENT} }} }} }}"
TALLY = "issued signed unitsIssued unitsSigned enterprisesIssued enterprisesSigned coverage"
COVERAGE = f"""
query($nodeId: ID!, $year: Int!) {{
  statementCoverage(nodeId: $nodeId, year: $year) {{
    unit {{ code }} year
    tally {{ {TALLY} }}
    units {{ unit {{ code }} state signedOn statement {{ id version }} }}
    unitsTotal unitsIssued unitsSigned unitCoverage
    enterprisesIssued enterprisesSigned enterpriseCoverage
    byUnit {{ unit {{ code }} tally {{ {TALLY} }} }}
  }}
}}
"""


def issue(gql, input_: dict[str, Any]) -> dict[str, Any]:
    return mutate(
        gql,
        "issueResponsibilityStatements",
        "IssueResponsibilityStatementsInput",
        f"statements {{ {STATEMENT} }}",
        input_,
    )


def sign(gql, statement_id: str, version: int, signed_on: str | None) -> dict[str, Any]:
    return mutate(
        gql,
        "signResponsibilityStatement",
        "SignResponsibilityStatementInput",
        f"statement {{ {STATEMENT} }}",
        {"statementId": statement_id, "expectedVersion": version, "signedOn": signed_on},
    )


def page(gql, filter_: dict[str, Any] | None = None, **variables) -> dict[str, Any]:
    return ok(gql.execute(PAGE, {"filter": filter_, **variables}))["responsibilityStatements"]


def statement_id(statement: Statement) -> str:
    return gid("ResponsibilityStatement", statement.id)


def coverage(gql, session: Session, code: str, year: int = 2026) -> dict[str, Any] | None:
    variables = {"nodeId": tenant_id(session, code), "year": year}
    return ok(gql.execute(COVERAGE, variables))["statementCoverage"]


class Ledger:
    """The statements of the set-up, by counterparty (unit code or enterprise name)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_issuer: dict[str, dict[str, Statement]] = {}

    def issue(self, who: str, code: str, year: int = 2026, **options) -> list[Statement]:
        someone = actor(self.session, who)
        issued = issue_statements(
            self.session,
            someone,
            node(self.session, code, fresh=True),
            year=year,
            title=TITLE,
            now=NOW,
            **options,
        )
        self.session.commit()
        codes = {n.id: n.code for n in self.session.scalars(select(TenantNode))}
        mine = self.by_issuer.setdefault(f"{code}/{year}", {})
        for s in issued:
            mine[s.enterprise or codes[s.counterparty_node_id]] = s
        return issued

    def sign(self, who: str, issuer: str, counterparty: str, signed_on=date(2026, 1, 20)) -> None:
        statement = self.by_issuer[f"{issuer}/2026"][counterparty]
        sign_statement(
            self.session,
            actor(self.session, who),
            statement,
            signed_on=signed_on,
            expected_version=statement.version,
            now=NOW,
        )
        self.session.commit()

    def of(self, issuer: str, counterparty: str, year: int = 2026) -> Statement:
        return self.by_issuer[f"{issuer}/{year}"][counterparty]


@pytest.fixture
def ledger(world: Session) -> Ledger:
    """Jiaxing's 2026 statements to its 7 counties (5 signed) and 2 enterprises (1 signed);
    Nanhu's to 3 townships (1 signed); Jiaxing's 2025 one to Pinghu."""
    ledger = Ledger(world)
    ledger.issue(
        "jx-office",
        JIAXING,
        units=COUNTIES,
        enterprises=[
            EnterpriseInput("嘉兴石化有限公司", "hazardous_chemicals"),
            EnterpriseInput("嘉兴港务"),
        ],
    )
    for code in COUNTIES[:5]:
        ledger.sign("jx-office", JIAXING, code)
    ledger.sign("jx-office", JIAXING, "嘉兴石化有限公司")
    ledger.issue("nanhu-office", NANHU, units=[XJD, QIXING, "330402007"])
    ledger.sign("nanhu-office", NANHU, XJD, signed_on=date(2026, 2, 10))
    ledger.issue("jx-office", JIAXING, year=2025, units=["330482"])
    return ledger


# --- issuing and signing ---------------------------------------------------------------------


def test_the_city_issues_and_a_county_signs(world: Session, make_gql):
    gql = signed_in(make_gql, "jx-office")
    payload = issue(
        gql,
        {
            "nodeId": tenant_id(world, JIAXING),
            "year": 2026,
            "title": f"  {TITLE} ",
            "units": COUNTIES,
            "enterprises": [
                {"name": "嘉兴石化有限公司", "sector": "HAZARDOUS_CHEMICALS"},
                {"name": " 嘉兴港务 "},
            ],
        },
    )
    assert payload["errors"] == []
    issued = payload["statements"]
    assert [s["counterparty"] and s["counterparty"]["code"] for s in issued] == [
        *COUNTIES,
        None,
        None,
    ]
    assert [(s["party"], s["enterprise"], s["sector"]) for s in issued[6:]] == [
        ("UNIT", None, None),
        ("ENTERPRISE", "嘉兴石化有限公司", "HAZARDOUS_CHEMICALS"),
        ("ENTERPRISE", "嘉兴港务", None),
    ]
    nanhu = issued[0]
    assert nanhu["issuer"] == {"code": JIAXING}
    assert (nanhu["year"], nanhu["title"], nanhu["state"], nanhu["version"]) == (
        2026,
        TITLE,
        "ISSUED",
        1,
    )
    assert nanhu["recordedBy"] == {"username": "jx-office"}
    assert [(e["action"], e["actor"]["username"]) for e in nanhu["history"]] == [
        ("recorded", "jx-office")
    ]

    signed = sign(gql, nanhu["id"], 1, "2025-12-26")
    assert signed["errors"] == []
    statement = signed["statement"]
    assert (statement["state"], statement["signedOn"], statement["version"]) == (
        "SIGNED",
        "2025-12-26",
        2,
    )
    assert [(e["action"], e["field"], e["new"]) for e in statement["history"]] == [
        ("recorded", None, None),
        ("signed", "signed_on", "2025-12-26"),
    ]
    assert ok(gql.execute(READ, {"id": nanhu["id"]}))["node"]["state"] == "SIGNED"


def test_signing_refuses_by_field(ledger: Ledger, make_gql):
    gql = signed_in(make_gql, "jx-office")
    signed = statement_id(ledger.of(JIAXING, "330402"))
    issued = statement_id(ledger.of(JIAXING, "330483"))
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    cases = [
        (signed, 2, "2026-01-20", ("statementId", "INVALID_STATE")),
        (issued, 7, "2026-01-20", ("expectedVersion", "CONFLICT")),
        (issued, 1, None, ("signedOn", "REQUIRED")),
        (issued, 1, tomorrow, ("signedOn", "INVALID")),
        (issued, 1, "2024-12-31", ("signedOn", "INVALID")),
        (tenant_id(ledger.session, NANHU), 1, "2026-01-20", ("statementId", "INVALID")),
    ]
    for statement, version, signed_on, problem in cases:
        payload = sign(gql, statement, version, signed_on)
        assert (payload["statement"], fields_of(payload)) == (None, [problem]), problem
    assert ok(gql.execute(READ, {"id": issued}))["node"]["state"] == "ISSUED"


def test_issuing_refuses_by_field(ledger: Ledger, make_gql):
    gql = signed_in(make_gql, "jx-office")
    jiaxing = tenant_id(ledger.session, JIAXING)
    payload = issue(
        gql,
        {
            "nodeId": jiaxing,
            "year": 1999,
            "title": "",
            "units": [QIXING, "330400-YJJ", "330400-YJJ"],
            "enterprises": [{"name": ""}, {"name": "厂" * 301}],
        },
    )
    assert (payload["statements"], fields_of(payload)) == (
        [],
        [
            ("year", "INVALID"),
            ("title", "REQUIRED"),
            ("units.0", "INVALID"),
            ("units.2", "DUPLICATE"),
            ("enterprises.0.name", "REQUIRED"),
            ("enterprises.1.name", "INVALID"),
        ],
    )
    assert payload["errors"][2]["message"] == "330402015 is not directly below 330400"
    payload = issue(
        gql,
        {
            "nodeId": jiaxing,
            "year": 2026,
            "title": TITLE,
            "units": ["330411"],
            "enterprises": [{"name": "  嘉兴港务"}],
        },
    )
    assert fields_of(payload) == [("units.0", "CONFLICT"), ("enterprises.0.name", "CONFLICT")]
    refusals = [
        ({"units": []}, ("units", "REQUIRED")),
        ({"allUnits": True, "units": ["330400-YJJ"]}, ("allUnits", "INVALID")),
        ({"units": ["330400-YJJ"] * 2001}, ("units", "TOO_LARGE")),
        (
            {"enterprises": [{"name": f"企业{i}"} for i in range(2001)]},
            ("enterprises", "TOO_LARGE"),
        ),
        ({"nodeId": statement_id(ledger.of(JIAXING, "330402"))}, ("nodeId", "INVALID")),
    ]
    for changes, problem in refusals:
        payload = issue(gql, {"nodeId": jiaxing, "year": 2026, "title": TITLE, **changes})
        assert fields_of(payload) == [problem]
    assert page(gql)["totalCount"] == 13  # nothing more issued


def test_all_units_through_the_api(ledger: Ledger, make_gql):
    gql = signed_in(make_gql, "jx-office")
    payload = issue(
        gql,
        {
            "nodeId": tenant_id(ledger.session, JIAXING),
            "year": 2026,
            "title": TITLE,
            "allUnits": True,
        },
    )
    assert [s["counterparty"]["code"] for s in payload["statements"]] == ["330400-YJJ"]


# --- the list --------------------------------------------------------------------------------


def test_the_list_filters(ledger: Ledger, make_gql):
    gql = signed_in(make_gql, "jx-office")
    session = ledger.session

    def total(**filter_) -> int:
        return page(gql, filter_)["totalCount"]

    assert total() == 13
    assert total(nodeId=tenant_id(session, JIAXING)) == 13  # Nanhu's three are in its subtree
    assert total(nodeId=tenant_id(session, NANHU)) == 3
    assert total(nodeId=tenant_id(session, XJD)) == 0
    assert total(year=2026) == 12
    assert total(year=2025) == 1
    assert total(party="ENTERPRISE") == 2
    assert total(state="SIGNED") == 7
    issued_to_units = page(
        gql,
        {"nodeId": tenant_id(session, JIAXING), "year": 2026, "party": "UNIT", "state": "ISSUED"},
    )
    assert sorted(e["node"]["counterparty"]["code"] for e in issued_to_units["edges"]) == [
        "330402007",
        "330402015",
        "330482",
        "330483",
    ]
    with_bad_id = gql.execute(PAGE, {"filter": {"nodeId": statement_id(ledger.of(NANHU, XJD))}})
    assert with_bad_id["errors"][0]["extensions"]["code"] == "INVALID"


def test_the_list_pages(ledger: Ledger, make_gql):
    gql = signed_in(make_gql, "zj-leader")
    seen: list[str] = []
    after = None
    pages = []
    while True:
        result = page(gql, None, first=5, after=after)
        assert result["totalCount"] == 13
        pages.append(len(result["edges"]))
        seen += [e["node"]["id"] for e in result["edges"]]
        assert result["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not result["pageInfo"]["hasNextPage"]:
            break
        after = result["pageInfo"]["endCursor"]
    assert pages == [5, 5, 3]
    expected = sorted(s.id for issued in ledger.by_issuer.values() for s in issued.values())
    assert seen == [gid("ResponsibilityStatement", i) for i in expected]
    too_many = gql.execute(PAGE, {"first": 501})
    assert too_many["errors"][0]["extensions"]["code"] == "INVALID"


# --- coverage --------------------------------------------------------------------------------


def test_the_coverage_query(ledger: Ledger, make_gql):
    gql = signed_in(make_gql, "jx-office")
    figures = coverage(gql, ledger.session, JIAXING)
    assert (figures["unit"], figures["year"]) == ({"code": JIAXING}, 2026)
    assert figures["tally"] == {
        "issued": 12,
        "signed": 7,
        "unitsIssued": 10,
        "unitsSigned": 6,
        "enterprisesIssued": 2,
        "enterprisesSigned": 1,
        "coverage": "58.3",
    }
    units = {u["unit"]["code"]: u for u in figures["units"]}
    assert list(units) == ["330400-YJJ", *COUNTIES]
    assert units["330400-YJJ"] == {
        "unit": {"code": "330400-YJJ"},
        "state": None,
        "signedOn": None,
        "statement": None,
    }
    assert (units[NANHU]["state"], units[NANHU]["signedOn"]) == ("SIGNED", "2026-01-20")
    assert units["330483"]["state"] == "ISSUED"
    assert units["330483"]["statement"]["id"] == statement_id(ledger.of(JIAXING, "330483"))
    assert [figures[k] for k in ("unitsTotal", "unitsIssued", "unitsSigned", "unitCoverage")] == [
        8,
        7,
        5,
        "62.5",
    ]
    assert [
        figures[k] for k in ("enterprisesIssued", "enterprisesSigned", "enterpriseCoverage")
    ] == [2, 1, "50.0"]
    by_unit = {u["unit"]["code"]: u["tally"] for u in figures["byUnit"]}
    assert (by_unit[NANHU]["issued"], by_unit[NANHU]["coverage"]) == (3, "33.3")
    assert (by_unit["330411"]["issued"], by_unit["330411"]["coverage"]) == (0, "0.0")
    assert coverage(gql, ledger.session, JIAXING, 2027)["tally"]["coverage"] == "0.0"


# --- who sees what ---------------------------------------------------------------------------


def test_a_township_sees_nothing_of_its_countys_ledger(ledger: Ledger, make_gql):
    """Nanhu's statement to Xiangjiadang belongs to Nanhu: the township's clerk does not see it."""
    session = ledger.session
    gql = signed_in(make_gql, "xjd-clerk")
    to_xjd = statement_id(ledger.of(NANHU, XJD))
    assert page(gql)["totalCount"] == 0
    assert page(gql, {"nodeId": tenant_id(session, NANHU)})["totalCount"] == 0
    assert ok(gql.execute(READ, {"id": to_xjd}))["node"] is None
    assert coverage(gql, session, NANHU) is None  # an ancestor: its name, not its ledgers
    own = coverage(gql, session, XJD)
    assert (own["unitsTotal"], own["tally"]["issued"], own["unitCoverage"]) == (0, 0, "0.0")
    assert fields_of(sign(gql, to_xjd, 2, "2026-01-20")) == [("statementId", "NOT_FOUND")]
    refused = issue(
        gql, {"nodeId": tenant_id(session, NANHU), "year": 2026, "title": TITLE, "allUnits": True}
    )
    assert fields_of(refused) == [("nodeId", "PERMISSION_DENIED")]


def test_a_county_sees_its_own_ledger_not_the_citys(ledger: Ledger, make_gql):
    session = ledger.session
    gql = signed_in(make_gql, "nanhu-office")
    result = page(gql)
    assert result["totalCount"] == 3
    assert {e["node"]["issuer"]["code"] for e in result["edges"]} == {NANHU}
    # Jiaxing's statement to Nanhu is in Jiaxing's ledger.
    to_nanhu = statement_id(ledger.of(JIAXING, NANHU))
    assert ok(gql.execute(READ, {"id": to_nanhu}))["node"] is None
    assert coverage(gql, session, JIAXING) is None
    assert coverage(gql, session, NANHU)["unitsSigned"] == 1
    assert coverage(gql, session, "330411") is None  # a sibling district


def test_sibling_townships_see_nothing_of_each_other(ledger: Ledger, make_gql):
    ledger.issue("xjd-clerk", XJD, enterprises=[EnterpriseInput("湘家荡游船公司")])
    ledger.issue("qixing-clerk", QIXING, enterprises=[EnterpriseInput("七星物流园")])
    boat = statement_id(ledger.of(XJD, "湘家荡游船公司"))
    xjd, qixing = signed_in(make_gql, "xjd-clerk"), signed_in(make_gql, "qixing-clerk")
    assert [e["node"]["enterprise"] for e in page(xjd)["edges"]] == ["湘家荡游船公司"]
    assert [e["node"]["enterprise"] for e in page(qixing)["edges"]] == ["七星物流园"]
    assert ok(qixing.execute(READ, {"id": boat}))["node"] is None
    assert coverage(qixing, ledger.session, XJD) is None
    assert fields_of(sign(qixing, boat, 1, "2026-01-20")) == [("statementId", "NOT_FOUND")]
    assert coverage(xjd, ledger.session, XJD)["enterprisesIssued"] == 1


def test_another_province_sees_nothing(ledger: Ledger, make_gql):
    session = ledger.session
    gql = signed_in(make_gql, "sc-office")
    to_nanhu = statement_id(ledger.of(JIAXING, NANHU))
    assert page(gql)["totalCount"] == 0
    assert ok(gql.execute(READ, {"id": to_nanhu}))["node"] is None
    assert coverage(gql, session, JIAXING) is None
    assert fields_of(sign(gql, to_nanhu, 2, "2026-01-20")) == [("statementId", "NOT_FOUND")]
    refused = issue(
        gql, {"nodeId": tenant_id(session, JIAXING), "year": 2026, "title": TITLE, "allUnits": True}
    )
    assert fields_of(refused) == [("nodeId", "NOT_FOUND")]
    own = coverage(gql, session, "510000")
    assert own["tally"]["issued"] == 0


def test_signed_out_nobody_reads_statements(ledger: Ledger, make_gql):
    gql = make_gql()
    for query, variables in (
        (PAGE, {}),
        (COVERAGE, {"nodeId": tenant_id(ledger.session, JIAXING), "year": 2026}),
    ):
        result = gql.execute(query, variables)
        assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# --- query counts ----------------------------------------------------------------------------


def test_a_page_costs_the_same_whatever_its_size(ledger: Ledger, make_gql, statement_counter):
    ledger.issue(
        "jx-office", JIAXING, enterprises=[EnterpriseInput(f"嘉兴企业{i}") for i in range(40)]
    )
    ledger.issue("nanhu-office", NANHU, all_units=True)
    for name in ("嘉兴企业1", "嘉兴企业2"):
        ledger.sign("jx-office", JIAXING, name)
    gql = signed_in(make_gql, "zj-office")
    small, small_data = statements_for(gql, statement_counter, PAGE, {"first": 2})
    large, large_data = statements_for(gql, statement_counter, PAGE, {"first": 60})
    assert len(small_data["responsibilityStatements"]["edges"]) == 2
    assert len(large_data["responsibilityStatements"]["edges"]) == 60
    assert large == small, f"{small} statements for 2 rows, {large} for 60"


def test_the_coverage_costs_the_same_whatever_the_statements(
    ledger: Ledger, make_gql, statement_counter
):
    gql = signed_in(make_gql, "jx-office")
    variables = {"nodeId": tenant_id(ledger.session, JIAXING), "year": 2026}
    before, _ = statements_for(gql, statement_counter, COVERAGE, variables)
    ledger.issue(
        "jx-office", JIAXING, enterprises=[EnterpriseInput(f"嘉兴企业{i}") for i in range(30)]
    )
    ledger.issue("nanhu-office", NANHU, all_units=True)
    after, data = statements_for(gql, statement_counter, COVERAGE, variables)
    assert data["statementCoverage"]["tally"]["issued"] == 12 + 30 + 11
    assert after == before
