"""Responsibility statements on both backends: Jiaxing issues its 2026 statements to its
counties and to enterprises, the counties sign, and the coverage figures follow; every refused
input, who may issue and sign, and conflicts between writers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode
from scoring.ledgers import statements as statements_module
from scoring.ledgers.figures.statements import statement_coverage, statement_tally
from scoring.ledgers.history import history
from scoring.ledgers.models import (
    LedgerEvent,
    LedgerSubject,
    ResponsibilityStatement,
    Sector,
    StatementParty,
    StatementState,
)
from scoring.ledgers.statements import ISSUE_MAX, EnterpriseInput, issue_statements, sign_statement
from tenants.models import TenantNode
from tests.factories.checks import count, problems_of
from tests.factories.tenants import actor, node, scoped_session

D = Decimal
# 10:00 on 2 March 2026 in China; still 1 March in UTC.
NOW = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
TITLE = "2026年度安全生产目标管理责任书"
JIAXING, NANHU, XJD, QIXING = "330400", "330402", "330402901", "330402015"
# Jiaxing's counties; its emergency management bureau (330400-YJJ) is directly below it too.
COUNTIES = ("330402", "330411", "330421", "330424", "330481", "330482", "330483")
PETROCHEMICAL = EnterpriseInput("嘉兴石化有限公司", Sector.HAZARDOUS_CHEMICALS.value)
PORT = EnterpriseInput("  Jiaxing Port Logistics Co., Ltd.  ", Sector.ROAD_TRANSPORT.value)


def issue(session: Session, who: str | None, code: str, **options) -> list:
    options.setdefault("year", 2026)
    options.setdefault("title", TITLE)
    someone = actor(session, who) if who else None
    return issue_statements(session, someone, node(session, code), now=NOW, **options)


def sign(session: Session, who: str | None, statement, signed_on=date(2026, 1, 20), **options):
    options.setdefault("expected_version", statement.version)
    someone = actor(session, who) if who else None
    return sign_statement(session, someone, statement, signed_on=signed_on, now=NOW, **options)


def issued_to(statements, counterparty: str, session: Session) -> ResponsibilityStatement:
    """The statement to the unit with this code, or to the enterprise of this name."""
    units = set(session.scalars(select(TenantNode.id).where(TenantNode.code == counterparty)))
    return next(
        s for s in statements if s.enterprise == counterparty or s.counterparty_node_id in units
    )


@pytest.fixture
def jiaxing_2026(world: Session) -> list[ResponsibilityStatement]:
    """Jiaxing's 2026 statements to its seven counties and two enterprises, all issued."""
    issued = issue(world, "jx-office", JIAXING, units=COUNTIES, enterprises=[PETROCHEMICAL, PORT])
    world.commit()
    return issued


# --- issuing ---------------------------------------------------------------------------------


def test_the_city_issues_to_its_counties_and_enterprises(world: Session, jiaxing_2026):
    jx_office = actor(world, "jx-office")
    jiaxing = node(world, JIAXING)
    assert [s.party for s in jiaxing_2026] == [StatementParty.UNIT] * 7 + [
        StatementParty.ENTERPRISE
    ] * 2
    assert [s.counterparty_node_id for s in jiaxing_2026[:7]] == [
        node(world, code).id for code in COUNTIES
    ]
    petrochemical, port = jiaxing_2026[7:]
    assert (petrochemical.enterprise, petrochemical.sector) == (
        "嘉兴石化有限公司",
        Sector.HAZARDOUS_CHEMICALS,
    )
    assert (port.enterprise, port.sector) == (
        "Jiaxing Port Logistics Co., Ltd.",
        Sector.ROAD_TRANSPORT,
    )
    for statement in jiaxing_2026:
        assert statement.node_id == jiaxing.id  # in the issuing unit's ledger
        assert (statement.year, statement.title) == (2026, TITLE)
        assert (statement.state, statement.signed_on, statement.version) == (
            StatementState.ISSUED,
            None,
            1,
        )
        assert statement.recorded_by_id == jx_office.user_id
        [event] = history(world, LedgerSubject.STATEMENT, statement.id)
        assert (event.action, event.actor_id, event.at) == ("recorded", jx_office.user_id, NOW)
        assert event.node_id == jiaxing.id
    assert all(s.counterparty_node_id is None for s in jiaxing_2026[7:])
    assert all(s.enterprise is None and s.sector is None for s in jiaxing_2026[:7])


def test_an_enterprise_needs_no_sector(world: Session):
    [statement] = issue(world, "jx-office", JIAXING, enterprises=[EnterpriseInput("海宁皮革城")])
    assert (statement.enterprise, statement.sector) == ("海宁皮革城", None)


def test_all_units_issues_to_every_unit_below_not_yet_holding_one(world: Session, jiaxing_2026):
    [bureau] = issue(world, "jx-office", JIAXING, all_units=True)
    assert bureau.counterparty_node_id == node(world, "330400-YJJ").id
    world.commit()
    with pytest.raises(DomainError) as error:
        issue(world, "jx-office", JIAXING, all_units=True)
    assert problems_of(error) == [("units", ErrorCode.REQUIRED)]
    assert "already holds a statement for 2026" in error.value.problems[0].message
    # Another year is another round of statements.
    assert len(issue(world, "jx-office", JIAXING, year=2027, all_units=True)) == 8


def test_all_units_with_enterprises_in_one_call(world: Session):
    issued = issue(world, "nanhu-office", NANHU, all_units=True, enterprises=[PETROCHEMICAL])
    assert len(issued) == 15  # 14 townships, then the enterprise
    assert issued[-1].party is StatementParty.ENTERPRISE
    codes = [node(world, c).id for c in ("330402007", "330402015", "330402901")]
    assert set(codes) <= {s.counterparty_node_id for s in issued}


def test_issuing_tells_the_assessments_above(world: Session, monkeypatch):
    changed = []
    monkeypatch.setattr(
        statements_module, "ledger_changed", lambda session, at: changed.append(at.code)
    )
    [statement] = issue(world, "jx-office", JIAXING, units=["330411"])
    sign(world, "jx-office", statement)
    assert changed == [JIAXING, JIAXING]


# --- refused input ---------------------------------------------------------------------------


def test_every_problem_at_once_and_nothing_saved(world: Session, jiaxing_2026):
    before = (count(world, ResponsibilityStatement), count(world, LedgerEvent))
    with pytest.raises(DomainError) as error:
        issue(
            world,
            "jx-office",
            JIAXING,
            title="  ",
            units=[QIXING, "330402", "330400-YJJ", " 330400-YJJ", "", "510800"],
            enterprises=[
                EnterpriseInput(" 嘉兴石化有限公司 "),
                EnterpriseInput("Haiyan Nuclear Services"),
                EnterpriseInput(" haiyan NUCLEAR services"),
                EnterpriseInput(""),
                EnterpriseInput("厂" * 301),
                EnterpriseInput("平湖矿业", "mining"),
                EnterpriseInput("JIAXING PORT LOGISTICS CO., LTD."),
            ],
        )
    assert problems_of(error) == [
        ("title", ErrorCode.REQUIRED),
        ("units.0", ErrorCode.INVALID),
        ("units.1", ErrorCode.CONFLICT),
        ("units.3", ErrorCode.DUPLICATE),
        ("units.4", ErrorCode.REQUIRED),
        ("units.5", ErrorCode.INVALID),
        ("enterprises.0.name", ErrorCode.CONFLICT),
        ("enterprises.2.name", ErrorCode.DUPLICATE),
        ("enterprises.3.name", ErrorCode.REQUIRED),
        ("enterprises.4.name", ErrorCode.INVALID),
        ("enterprises.5.sector", ErrorCode.INVALID),
        ("enterprises.6.name", ErrorCode.CONFLICT),
    ]
    messages = {p.field: p.message for p in error.value.problems}
    assert messages["units.0"] == "330402015 is not directly below 330400"
    assert messages["units.5"] == "510800 is not directly below 330400"
    assert "330402 already holds a statement for 2026 from 330400" in messages["units.1"]
    world.rollback()
    assert (count(world, ResponsibilityStatement), count(world, LedgerEvent)) == before


def test_case_folding_is_ascii_only(world: Session):
    issue(world, "jx-office", JIAXING, enterprises=[EnterpriseInput("ACME Safety")])
    # Full-width letters are other characters: another enterprise.
    [other] = issue(world, "jx-office", JIAXING, enterprises=[EnterpriseInput("ＡＣＭＥ Safety")])
    assert other.enterprise == "ＡＣＭＥ Safety"
    with pytest.raises(DomainError) as error:
        issue(world, "jx-office", JIAXING, enterprises=[EnterpriseInput("acme safety ")])
    assert problems_of(error) == [("enterprises.0.name", ErrorCode.CONFLICT)]


@pytest.mark.parametrize("year", [1999, 2101])
def test_the_year_is_checked(world: Session, year: int):
    with pytest.raises(DomainError) as error:
        issue(world, "jx-office", JIAXING, year=year, title="x" * 301, units=["330411"])
    assert problems_of(error) == [("year", ErrorCode.INVALID), ("title", ErrorCode.INVALID)]


@pytest.mark.parametrize("year", [2000, 2100])
def test_the_years_at_the_ends_are_taken(world: Session, year: int):
    assert len(issue(world, "jx-office", JIAXING, year=year, units=["330411"])) == 1


def test_nothing_to_issue(world: Session):
    with pytest.raises(DomainError) as error:
        issue(world, "jx-office", JIAXING)
    assert problems_of(error) == [("units", ErrorCode.REQUIRED)]
    # A township has no units below it.
    with pytest.raises(DomainError) as error:
        issue(world, "xjd-clerk", XJD, all_units=True)
    assert problems_of(error) == [("units", ErrorCode.REQUIRED)]


def test_all_units_and_named_units_do_not_go_together(world: Session):
    with pytest.raises(DomainError) as error:
        issue(world, "jx-office", JIAXING, all_units=True, units=["330411"])
    assert problems_of(error) == [("allUnits", ErrorCode.INVALID)]


def test_too_many_at_once(world: Session):
    many = [EnterpriseInput(f"企业{i}") for i in range(ISSUE_MAX + 1)]
    with pytest.raises(DomainError) as error:
        issue(world, "jx-office", JIAXING, enterprises=many)
    assert problems_of(error) == [("enterprises", ErrorCode.TOO_LARGE)]
    with pytest.raises(DomainError) as error:
        issue(world, "jx-office", JIAXING, units=["330411"] * (ISSUE_MAX + 1))
    assert problems_of(error) == [("units", ErrorCode.TOO_LARGE)]
    with pytest.raises(DomainError) as error:
        issue(world, "jx-office", JIAXING, units=["330411"], enterprises=many[:ISSUE_MAX])
    assert problems_of(error) == [("units", ErrorCode.TOO_LARGE)]


# --- signing ---------------------------------------------------------------------------------


def test_a_county_signs(world: Session, jiaxing_2026):
    nanhu = issued_to(jiaxing_2026, NANHU, world)
    signed = sign(world, "jx-office", nanhu, signed_on=date(2025, 12, 26))
    world.commit()
    assert signed is nanhu
    assert (nanhu.state, nanhu.signed_on, nanhu.version) == (
        StatementState.SIGNED,
        date(2025, 12, 26),
        2,
    )
    recorded, event = history(world, LedgerSubject.STATEMENT, nanhu.id)
    assert (recorded.action, event.action) == ("recorded", "signed")
    assert (event.field, event.old, event.new) == ("signed_on", None, "2025-12-26")
    assert (event.actor_id, event.at) == (actor(world, "jx-office").user_id, NOW)


@pytest.mark.parametrize("signed_on", [date(2025, 1, 1), TODAY])
def test_signed_from_the_year_before_up_to_today(world: Session, jiaxing_2026, signed_on):
    statement = sign(world, "jx-office", jiaxing_2026[0], signed_on=signed_on)
    assert statement.signed_on == signed_on


@pytest.mark.parametrize(
    ("signed_on", "code"),
    [
        (None, ErrorCode.REQUIRED),
        (date(2026, 3, 3), ErrorCode.INVALID),  # tomorrow in China
        (date(2024, 12, 31), ErrorCode.INVALID),
    ],
)
def test_the_day_of_signing_is_checked(world: Session, jiaxing_2026, signed_on, code):
    with pytest.raises(DomainError) as error:
        sign(world, "jx-office", jiaxing_2026[0], signed_on=signed_on)
    assert problems_of(error) == [("signedOn", code)]
    world.rollback()
    assert jiaxing_2026[0].state is StatementState.ISSUED


def test_a_signed_statement_is_not_signed_again(world: Session, jiaxing_2026):
    statement = sign(world, "jx-office", jiaxing_2026[0])
    world.commit()
    with pytest.raises(DomainError) as error:
        sign(world, "jx-office", statement)
    assert problems_of(error) == [("statementId", ErrorCode.INVALID_STATE)]


def test_signing_an_old_version_is_a_conflict(world: Session, jiaxing_2026):
    with pytest.raises(DomainError) as error:
        sign(world, "jx-office", jiaxing_2026[0], expected_version=2)
    assert problems_of(error) == [("expectedVersion", ErrorCode.CONFLICT)]


def test_two_offices_signing_at_once(world: Session, sessions, jiaxing_2026):
    statement_id = jiaxing_2026[0].id
    first, second = sessions(), sessions()
    mine = first.get_one(ResponsibilityStatement, statement_id)
    theirs = second.get_one(ResponsibilityStatement, statement_id)
    second.commit()  # keep the row as read, end the read (SQLite cannot write from an old snapshot)
    sign(first, "jx-office", mine, expected_version=1)
    first.commit()
    with pytest.raises(DomainError) as error:
        sign(second, "zj-office", theirs, signed_on=date(2026, 2, 1), expected_version=1)
    assert problems_of(error) == [("expectedVersion", ErrorCode.CONFLICT)]
    second.rollback()
    assert second.get_one(ResponsibilityStatement, statement_id).signed_on == date(2026, 1, 20)
    assert len(history(second, LedgerSubject.STATEMENT, statement_id)) == 2
    first.close()
    second.close()


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["jx-office", "zj-office"])
def test_the_city_office_and_the_province_issue_for_jiaxing(world: Session, who):
    assert len(issue(world, who, JIAXING, units=["330411"])) == 1


def test_a_clerk_keeps_the_statements_of_its_own_unit(world: Session):
    [statement] = issue(world, "xjd-clerk", XJD, enterprises=[EnterpriseInput("湘家荡游船公司")])
    assert sign(world, "xjd-clerk", statement).state is StatementState.SIGNED


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("xjd-clerk", NANHU),
        ("qixing-clerk", XJD),
        ("nanhu-office", JIAXING),
        ("zj-leader", JIAXING),
        ("sc-office", JIAXING),
        ("sc-office", "330000"),
    ],
)
def test_nobody_else_issues(world: Session, who, code):
    with pytest.raises(DomainError) as error:
        issue(world, who, code, enterprises=[PETROCHEMICAL])
    assert problems_of(error) == [("nodeId", ErrorCode.PERMISSION_DENIED)]
    world.rollback()
    assert count(world, ResponsibilityStatement) == 0


@pytest.mark.parametrize("who", ["nanhu-office", "xjd-clerk", "zj-leader", "sc-office"])
def test_nobody_else_signs(world: Session, jiaxing_2026, who):
    with pytest.raises(DomainError) as error:
        sign(world, who, issued_to(jiaxing_2026, NANHU, world))
    assert problems_of(error) == [("statementId", ErrorCode.PERMISSION_DENIED)]


def test_in_a_scoped_session_the_county_issues_to_its_townships(world: Session, sessions):
    nanhu_office = actor(world, "nanhu-office")
    db = scoped_session(sessions, nanhu_office)
    issued = issue_statements(
        db, nanhu_office, node(db, NANHU), year=2026, title=TITLE, units=[XJD, QIXING], now=NOW
    )
    sign_statement(db, nanhu_office, issued[0], signed_on=TODAY, expected_version=1, now=NOW)
    db.commit()
    assert [s.state for s in issued] == [StatementState.SIGNED, StatementState.ISSUED]
    db.close()


# --- tally and coverage ----------------------------------------------------------------------


@pytest.fixture
def signed_round(world: Session, jiaxing_2026) -> None:
    """Five of Jiaxing's counties and one enterprise signed; Nanhu issued to three townships
    (one signed); a 2025 statement that 2026 figures leave out."""
    for code in ("330402", "330411", "330421", "330424", "330481"):
        sign(world, "jx-office", issued_to(jiaxing_2026, code, world))
    sign(world, "jx-office", issued_to(jiaxing_2026, "嘉兴石化有限公司", world))
    nanhu = issue(world, "nanhu-office", NANHU, units=[XJD, QIXING, "330402007"])
    sign(world, "nanhu-office", nanhu[0], signed_on=date(2026, 2, 10))
    issue(world, "jx-office", JIAXING, year=2025, units=["330482"])
    world.commit()


def test_the_citys_coverage(world: Session, signed_round):
    coverage = statement_coverage(world, node(world, JIAXING), 2026)
    # Every unit directly below, the bureau first (by code); it was never issued one.
    assert [(u.node.code, u.state) for u in coverage.units] == [
        ("330400-YJJ", None),
        ("330402", StatementState.SIGNED),
        ("330411", StatementState.SIGNED),
        ("330421", StatementState.SIGNED),
        ("330424", StatementState.SIGNED),
        ("330481", StatementState.SIGNED),
        ("330482", StatementState.ISSUED),
        ("330483", StatementState.ISSUED),
    ]
    assert coverage.units[1].signed_on == date(2026, 1, 20)
    assert coverage.units[0].statement is None and coverage.units[0].signed_on is None
    assert (coverage.units_issued, coverage.units_signed, coverage.unit_coverage) == (
        7,
        5,
        D("62.5"),  # 5 of 8: the bureau counts as not covered
    )
    assert (
        coverage.enterprises_issued,
        coverage.enterprises_signed,
        coverage.enterprise_coverage,
    ) == (2, 1, D("50.0"))
    tally = coverage.tally  # the subtree: Jiaxing's 9 and Nanhu's 3
    assert (tally.issued, tally.signed, tally.coverage) == (12, 7, D("58.3"))
    assert (tally.units_issued, tally.units_signed) == (10, 6)
    assert (tally.enterprises_issued, tally.enterprises_signed) == (2, 1)
    assert {s.year for s in tally.statements} == {2026}
    by_unit = {u.node.code: u.tally for u in coverage.by_unit}
    assert list(by_unit) == [u.node.code for u in coverage.units]
    assert (by_unit[NANHU].issued, by_unit[NANHU].signed, by_unit[NANHU].coverage) == (
        3,
        1,
        D("33.3"),
    )
    assert (by_unit["330411"].issued, by_unit["330411"].coverage) == (0, D("0.0"))


def test_the_countys_coverage_of_its_townships(world: Session, signed_round):
    coverage = statement_coverage(world, node(world, NANHU), 2026)
    assert len(coverage.units) == 14
    assert (coverage.units_issued, coverage.units_signed, coverage.unit_coverage) == (
        3,
        1,
        D("7.1"),
    )
    assert coverage.enterprise_coverage == D("0.0")  # none issued
    # Jiaxing's statement to Nanhu is in Jiaxing's ledger, not Nanhu's.
    assert coverage.tally.issued == 3


def test_the_tally_of_many_units_in_one_query(world: Session, signed_round, engine):
    nodes = [node(world, c) for c in ("330000", JIAXING, NANHU, XJD, "510000")]
    statements_sent = []

    def counted(*args):
        statements_sent.append(args[2])

    event.listen(engine, "before_cursor_execute", counted)
    try:
        tallies = statement_tally(world, nodes, 2026)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    assert len(statements_sent) == 1
    province, city, county, township, sichuan = (tallies[n.id] for n in nodes)
    assert (province.issued, province.signed) == (city.issued, city.signed) == (12, 7)
    assert (county.issued, county.signed, county.coverage) == (3, 1, D("33.3"))
    assert (township.issued, township.coverage) == (0, D("0.0"))
    assert (sichuan.issued, sichuan.statements) == (0, ())
    assert [s.id for s in city.statements] == sorted(s.id for s in city.statements)
    assert statement_tally(world, [], 2026) == {}
    assert statement_tally(world, [node(world, JIAXING)], 2025)[nodes[1].id].issued == 1


def test_coverage_rounds_half_up(world: Session):
    # 1 of 16: 6.25% prints as 6.3.
    issued = issue(
        world,
        "nanhu-office",
        NANHU,
        all_units=True,
        enterprises=[EnterpriseInput("南湖游船公司"), EnterpriseInput("凤桥水蜜桃合作社")],
    )
    sign(world, "nanhu-office", issued[0])
    assert statement_tally(world, [node(world, NANHU)], 2026)[node(world, NANHU).id].coverage == D(
        "6.3"
    )


def test_a_viewer_reads_the_coverage_through_a_scoped_session(world, signed_round, sessions):
    leader = actor(world, "zj-leader")
    db = scoped_session(sessions, leader)
    coverage = statement_coverage(db, node(db, JIAXING), 2026)
    assert (coverage.tally.issued, coverage.unit_coverage) == (12, D("62.5"))
    db.close()
    # A township's clerk sees none of its county's ledger: no statement is in its sight.
    clerk = actor(world, "xjd-clerk")
    db = scoped_session(sessions, clerk)
    assert db.scalars(select(ResponsibilityStatement)).all() == []
    assert statement_tally(db, [node(db, XJD)], 2026)[node(db, XJD).id].issued == 0
    db.close()
