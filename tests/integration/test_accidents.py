"""The accident ledger on both backends: who records and corrects, every bad input named at
once, classes from the figures, the correction history, conflicts, the tally and the statistics
year on year."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from redline.errors import DomainError, ErrorCode
from scoring.ledgers.accidents import AccidentInput, correct_accident, record_accident
from scoring.ledgers.figures.accidents import accident_statistics, accident_tally
from scoring.ledgers.history import history
from scoring.ledgers.models import (
    Accident,
    AccidentClass,
    LedgerEvent,
    LedgerSubject,
    ReportStatus,
    Sector,
)
from tests.factories.checks import count
from tests.factories.tenants import actor, node, scoped_session

D = Decimal
XJD, QIXING, NANHU, JIAXING = "330402901", "330402015", "330402", "330400"
XIUZHOU, WANGDIAN = "330411", "330411105"
# 12:00 in China on 15 June 2026.
NOW = datetime(2026, 6, 15, 4, 0, tzinfo=UTC)
TODAY = date(2026, 6, 15)


def accident(**changes) -> AccidentInput:
    """A general road accident a month ago, reported on time; ``changes`` replace fields."""
    base = AccidentInput(
        occurred_on=date(2026, 5, 14),
        title="两车追尾 Two cars collided on the Jiaxing ring road",
        sector="road_transport",
        deaths=1,
        serious_injuries=2,
        direct_loss=D("350000"),
        report_status="on_time",
        description="A lorry ran into a stopped car in fog.",
    )
    return replace(base, **changes)


def problems_of(error: pytest.ExceptionInfo[DomainError]) -> dict[str | None, ErrorCode]:
    return {p.field: p.code for p in error.value.problems}


def messages_of(error: pytest.ExceptionInfo[DomainError]) -> dict[str | None, str]:
    return {p.field: p.message for p in error.value.problems}


def record(session: Session, who: str | None, code: str, data: AccidentInput) -> Accident:
    """Record as ``who`` (None: the system) and commit."""
    row = record_accident(
        session, actor(session, who) if who else None, node(session, code), data, now=NOW
    )
    session.commit()
    return row


# --- recording -------------------------------------------------------------------------------


def test_a_clerk_records_an_accident_of_its_own_unit(world: Session, sessions):
    clerk = actor(world, "xjd-clerk")
    with scoped_session(sessions, clerk) as session:
        reported = datetime(2026, 5, 14, 9, 30, tzinfo=UTC)
        data = accident(reported_at=reported)
        row = record_accident(session, clerk, node(session, XJD), data, now=NOW)
        session.commit()
        assert (row.node_id, row.customer_id) == (node(world, XJD).id, node(world, XJD).customer_id)
        assert row.accident_class is AccidentClass.GENERAL
        assert row.sector is Sector.ROAD_TRANSPORT
        assert row.report_status is ReportStatus.ON_TIME
        assert (row.direct_loss, row.reported_at) == (D("350000"), reported)
        assert (row.recorded_by_id, row.version, row.created_at) == (clerk.user_id, 1, NOW)
        events = history(session, LedgerSubject.ACCIDENT, row.id)
        assert [(e.action, e.actor_id, e.at, e.node_id) for e in events] == [
            ("recorded", clerk.user_id, NOW, row.node_id)
        ]


def test_every_bad_input_is_named_at_once_and_nothing_is_saved(world: Session):
    with pytest.raises(DomainError) as error:
        record_accident(
            world,
            None,
            node(world, XJD),
            accident(
                occurred_on=TODAY + timedelta(days=1),
                title="   ",
                sector="mining",
                report_status="hidden",
                deaths=-1,
                serious_injuries=100_001,
                direct_loss=D("-0.5"),
                description="x" * 4001,
            ),
            now=NOW,
        )
    assert problems_of(error) == {
        "occurredOn": ErrorCode.INVALID,
        "title": ErrorCode.REQUIRED,
        "sector": ErrorCode.INVALID,
        "reportStatus": ErrorCode.INVALID,
        "deaths": ErrorCode.INVALID,
        "seriousInjuries": ErrorCode.INVALID,
        "directLoss": ErrorCode.INVALID,
        "description": ErrorCode.INVALID,
    }
    messages = messages_of(error)
    assert messages["sector"].startswith("unknown sector 'mining': use one of hazardous_chemicals,")
    assert "road_transport" in messages["sector"]
    assert messages["reportStatus"] == (
        "unknown report status 'hidden': use one of on_time, late, concealed"
    )
    assert messages["occurredOn"] == "is after today (2026-06-15)"
    assert messages["deaths"] == "must not be negative"
    assert count(world, Accident) == count(world, LedgerEvent) == 0


def test_dates_and_amounts_are_checked_against_each_other(world: Session):
    xjd = node(world, XJD)
    cases = [
        (
            accident(
                occurred_on=None,
                title="t" * 301,
                sector="",
                direct_loss=D("1.00001"),
                report_status="concealed",
                discovered_on=TODAY + timedelta(days=1),
                reported_at=NOW + timedelta(minutes=1),
            ),
            {
                "occurredOn": ErrorCode.REQUIRED,
                "title": ErrorCode.INVALID,
                "sector": ErrorCode.REQUIRED,
                "directLoss": ErrorCode.INVALID,
                "discoveredOn": ErrorCode.INVALID,
                "reportedAt": ErrorCode.INVALID,
            },
        ),
        (
            accident(
                direct_loss=D(10) ** 10,
                report_status="concealed",
                discovered_on=date(2026, 5, 13),
                # 23:59 on 13 May in China: before the day it happened.
                reported_at=datetime(2026, 5, 13, 15, 59, tzinfo=UTC),
            ),
            {
                "directLoss": ErrorCode.INVALID,
                "discoveredOn": ErrorCode.INVALID,
                "reportedAt": ErrorCode.INVALID,
            },
        ),
        (
            accident(
                report_status="late",
                discovered_on=date(2026, 6, 1),
                reported_at=datetime(2026, 5, 14, 9, 30),  # no time zone
                deaths=True,
                serious_injuries=2.5,
                direct_loss=1.5,
            ),
            {
                "discoveredOn": ErrorCode.INVALID,
                "reportedAt": ErrorCode.INVALID,
                "deaths": ErrorCode.INVALID,
                "seriousInjuries": ErrorCode.INVALID,
                "directLoss": ErrorCode.INVALID,
            },
        ),
    ]
    for data, expected in cases:
        with pytest.raises(DomainError) as error:
            record_accident(world, None, xjd, data, now=NOW)
        assert problems_of(error) == expected
    assert count(world, Accident) == 0


def test_the_edges_of_what_is_accepted(world: Session):
    # 01:00 on 15 June in China (still 14 June in UTC): today is the 15th.
    early = datetime(2026, 6, 14, 17, 0, tzinfo=UTC)
    row = record_accident(
        world,
        None,
        node(world, XJD),
        accident(
            occurred_on=date(2026, 6, 15),
            title="t" * 300,
            deaths=0,
            serious_injuries=100_000,
            direct_loss=D("9999999999.9999"),
            report_status="concealed",
            discovered_on=date(2026, 6, 15),
            # 00:00 on 15 June in China: the start of the day it happened.
            reported_at=datetime(2026, 6, 14, 16, 0, tzinfo=UTC),
            description="d" * 4000,
        ),
        now=early,
    )
    world.commit()
    world.expire_all()  # read back from the database
    assert row.accident_class is AccidentClass.ESPECIALLY_SERIOUS
    assert row.direct_loss == D("9999999999.9999")
    assert row.discovered_on == date(2026, 6, 15)


@pytest.mark.parametrize(
    ("deaths", "injuries", "loss", "expected"),
    [
        (0, 0, "0", AccidentClass.GENERAL),
        (2, 9, "9999999.99", AccidentClass.GENERAL),
        (3, 0, "0", AccidentClass.LARGER),
        (0, 10, "0", AccidentClass.LARGER),
        (0, 0, "10000000", AccidentClass.LARGER),
        (1, 50, "0", AccidentClass.MAJOR),
        (10, 0, "0", AccidentClass.MAJOR),
        (0, 0, "50000000", AccidentClass.MAJOR),
        (30, 0, "0", AccidentClass.ESPECIALLY_SERIOUS),
        (0, 100, "0", AccidentClass.ESPECIALLY_SERIOUS),
        (4, 12, "100000000", AccidentClass.ESPECIALLY_SERIOUS),
    ],
)
def test_the_class_follows_from_the_figures(world: Session, deaths, injuries, loss, expected):
    data = accident(deaths=deaths, serious_injuries=injuries, direct_loss=D(loss))
    assert record(world, None, XJD, data).accident_class is expected


# --- correcting ------------------------------------------------------------------------------


def test_a_correction_records_each_changed_field_with_its_reason(world: Session):
    row = record(world, "xjd-clerk", XJD, accident(deaths=2, serious_injuries=5))
    clerk = actor(world, "xjd-clerk")
    later = NOW + timedelta(days=3)
    reason = "两名重伤者经抢救无效死亡 Two of the injured died in hospital"
    correct_accident(
        world,
        clerk,
        row,
        accident(deaths=4, serious_injuries=3),
        expected_version=1,
        reason=f"  {reason} ",
        now=later,
    )
    world.commit()
    assert (row.deaths, row.serious_injuries, row.version) == (4, 3, 2)
    assert row.accident_class is AccidentClass.LARGER
    assert row.updated_at == later
    events = history(world, LedgerSubject.ACCIDENT, row.id)
    assert [(e.action, e.field, e.old, e.new, e.note) for e in events] == [
        ("recorded", None, None, None, None),
        ("correction", "deaths", "2", "4", reason),
        ("correction", "serious_injuries", "5", "3", reason),
        ("correction", "accident_class", "general", "larger", reason),
    ]
    assert {e.actor_id for e in events} == {clerk.user_id}
    assert [e.at for e in events[1:]] == [later] * 3


def test_a_concealment_found_out_later_is_a_correction(world: Session):
    row = record(world, "xjd-clerk", XJD, accident())
    found = accident(report_status="concealed", discovered_on=date(2026, 6, 10))
    office = actor(world, "nanhu-office")
    correct_accident(
        world,
        office,
        row,
        found,
        expected_version=1,
        reason="暗访发现 Found by a spot check",
        now=NOW,
    )
    world.commit()
    assert row.report_status is ReportStatus.CONCEALED
    changes = [(e.field, e.old, e.new) for e in history(world, LedgerSubject.ACCIDENT, row.id)]
    assert changes[1:] == [
        ("report_status", "on_time", "concealed"),
        ("discovered_on", None, "2026-06-10"),
    ]


def test_a_correction_needs_a_reason_and_a_change(world: Session):
    row = record(world, None, XJD, accident())
    with pytest.raises(DomainError) as error:
        correct_accident(
            world, None, row, accident(deaths=-2), expected_version=1, reason="  ", now=NOW
        )
    assert problems_of(error) == {"reason": ErrorCode.REQUIRED, "deaths": ErrorCode.INVALID}
    with pytest.raises(DomainError) as error:
        correct_accident(
            world, None, row, accident(deaths=2), expected_version=1, reason="r" * 4001, now=NOW
        )
    assert problems_of(error) == {"reason": ErrorCode.INVALID}
    # The same figures again (the loss as read back at 4 places): nothing to correct.
    same = accident(direct_loss=D("350000.0000"), title=" " + accident().title)
    with pytest.raises(DomainError) as error:
        correct_accident(world, None, row, same, expected_version=1, reason="recheck", now=NOW)
    assert problems_of(error) == {None: ErrorCode.INVALID}
    world.rollback()
    assert row.version == 1
    assert count(world, LedgerEvent) == 1


def test_a_stale_version_is_a_conflict(world: Session):
    row = record(world, None, XJD, accident())
    correct_accident(
        world, None, row, accident(deaths=2), expected_version=1, reason="one more", now=NOW
    )
    world.commit()
    with pytest.raises(DomainError) as error:
        correct_accident(
            world, None, row, accident(deaths=3), expected_version=1, reason="two more", now=NOW
        )
    assert problems_of(error) == {"expectedVersion": ErrorCode.CONFLICT}
    assert "version 2" in error.value.problems[0].message


def test_two_keepers_cannot_overwrite_each_other(world: Session, sessions):
    """Both read version 1; the one who writes second gets a conflict, nothing saved."""
    row_id = record(world, None, XJD, accident()).id
    clerk_session, office_session = sessions(), sessions()
    by_clerk = clerk_session.get_one(Accident, row_id)
    by_office = office_session.get_one(Accident, row_id)
    office_session.commit()  # keep the row as read, end the read (SQLite: no old snapshots)
    correct_accident(
        clerk_session,
        actor(clerk_session, "xjd-clerk"),
        by_clerk,
        accident(deaths=2),
        expected_version=1,
        reason="one of the injured died",
        now=NOW,
    )
    clerk_session.commit()
    with pytest.raises(DomainError) as error:
        correct_accident(
            office_session,
            actor(office_session, "jx-office"),
            by_office,
            accident(direct_loss=D("400000")),
            expected_version=1,
            reason="the insurer's assessment",
            now=NOW,
        )
    assert problems_of(error) == {"expectedVersion": ErrorCode.CONFLICT}
    office_session.rollback()
    fresh = office_session.get_one(Accident, row_id)
    assert (fresh.version, fresh.deaths, fresh.direct_loss) == (2, 2, D("350000"))
    assert count(office_session, LedgerEvent) == 2
    clerk_session.close()
    office_session.close()


# --- who may write ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "code", "allowed"),
    [
        ("xjd-clerk", XJD, True),
        ("xjd-clerk", QIXING, False),  # a sibling
        ("xjd-clerk", NANHU, False),  # the unit above
        ("qixing-clerk", XJD, False),
        ("nanhu-office", XJD, True),
        ("nanhu-office", NANHU, True),
        ("nanhu-office", XIUZHOU, False),
        ("jx-office", XJD, True),
        ("jx-office", QIXING, True),
        ("jx-office", WANGDIAN, True),
        ("jx-office", JIAXING, True),
        ("jx-office", "330100", False),  # Hangzhou
        ("zj-leader", XJD, False),  # a viewer reads, never writes
        ("sc-office", XJD, False),  # another province
        ("sc-office", "510800", True),
    ],
)
def test_who_records_for_which_unit(world: Session, who: str, code: str, allowed: bool):
    if allowed:
        assert record(world, who, code, accident()).node_id == node(world, code).id
        return
    with pytest.raises(DomainError) as error:
        record_accident(world, actor(world, who), node(world, code), accident(), now=NOW)
    assert problems_of(error) == {"nodeId": ErrorCode.PERMISSION_DENIED}
    assert count(world, Accident) == 0


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("xjd-clerk", True),
        ("nanhu-office", True),
        ("jx-office", True),
        ("zj-office", True),
        ("qixing-clerk", False),
        ("zj-leader", False),
        ("sc-office", False),
        ("zhuanghe-office", False),
    ],
)
def test_who_corrects_a_townships_accident(world: Session, who: str, allowed: bool):
    row = record(world, None, XJD, accident())
    change = accident(deaths=3)
    if allowed:
        correct_accident(
            world, actor(world, who), row, change, expected_version=1, reason="r", now=NOW
        )
        assert row.deaths == 3
        return
    with pytest.raises(DomainError) as error:
        correct_accident(
            world, actor(world, who), row, change, expected_version=1, reason="r", now=NOW
        )
    assert problems_of(error) == {"accidentId": ErrorCode.PERMISSION_DENIED}


def test_siblings_and_other_provinces_do_not_even_see_the_accident(world: Session, sessions):
    row = record(world, "xjd-clerk", XJD, accident())
    for who, sees in (
        ("xjd-clerk", True),
        ("nanhu-office", True),
        ("zj-leader", True),
        ("qixing-clerk", False),
        ("sc-office", False),
    ):
        with scoped_session(sessions, actor(world, who)) as session:
            assert (session.get(Accident, row.id) is not None) is sees, who
            assert count(session, LedgerEvent) == (1 if sees else 0), who


# --- tally and statistics --------------------------------------------------------------------


def test_the_tally_counts_each_subtree_over_the_period(world: Session):
    late_may = record(world, None, QIXING, accident(occurred_on=date(2026, 5, 31), deaths=2))
    first = record(world, None, XJD, accident(occurred_on=date(2026, 1, 1), deaths=0))
    last = record(
        world,
        None,
        XJD,
        accident(occurred_on=date(2026, 6, 15), deaths=3, direct_loss=D("12.5")),
    )
    xiuzhou = record(world, None, WANGDIAN, accident(occurred_on=date(2026, 3, 8)))
    record(world, None, XJD, accident(occurred_on=date(2025, 12, 31)))  # before the period
    record(world, None, "510800", accident(occurred_on=date(2026, 3, 8)))  # Sichuan
    nodes = [node(world, c) for c in (JIAXING, NANHU, XJD, QIXING, WANGDIAN, "330402100")]
    tallies = accident_tally(world, nodes, date(2026, 1, 1), date(2026, 6, 15))
    assert set(tallies) == {n.id for n in nodes}
    by_code = {n.code: tallies[n.id] for n in nodes}
    assert by_code[JIAXING].accidents == (first, xiuzhou, late_may, last)
    assert by_code[NANHU].accidents == (first, late_may, last)
    assert by_code[XJD].accidents == (first, last)
    assert by_code[QIXING].accidents == (late_may,)
    assert by_code[WANGDIAN].accidents == (xiuzhou,)
    assert by_code["330402100"].count == 0
    assert by_code["330402100"].direct_loss == 0
    jiaxing = by_code[JIAXING]
    assert (jiaxing.count, jiaxing.deaths, jiaxing.serious_injuries) == (4, 6, 8)
    assert jiaxing.direct_loss == D("1050012.5")
    assert accident_tally(world, [], date(2026, 1, 1), date(2026, 12, 31)) == {}


def _statistics_world(world: Session) -> None:
    """This year (to 15 June): XJD a larger accident (3 dead) in building construction and a
    general one (0 dead) on the road; Qixing a general one (1 dead) on the road. The same
    period last year: XJD one general road accident (1 dead); one on 16 June 2025 is outside."""
    rows = [
        (XJD, date(2026, 3, 2), 3, 4, "2000000", "building_construction"),
        (XJD, date(2026, 6, 15), 0, 1, "50000", "road_transport"),
        (QIXING, date(2026, 1, 1), 1, 0, "80000.5", "road_transport"),
        (XJD, date(2025, 2, 10), 1, 3, "1000000", "road_transport"),
        (QIXING, date(2025, 6, 16), 2, 0, "10", "fire"),
    ]
    for code, day, deaths, injuries, loss, sector in rows:
        record(
            world,
            None,
            code,
            accident(
                occurred_on=day,
                deaths=deaths,
                serious_injuries=injuries,
                direct_loss=D(loss),
                sector=sector,
            ),
        )


def test_statistics_year_on_year_by_class_sector_and_unit(world: Session):
    _statistics_world(world)
    nanhu = node(world, NANHU)
    stats = accident_statistics(world, nanhu, date(2026, 1, 1), date(2026, 6, 15))
    assert (stats.node, stats.previous_start, stats.previous_end) == (
        nanhu,
        date(2025, 1, 1),
        date(2025, 6, 15),
    )
    totals = stats.totals
    assert (totals.count.current, totals.count.previous, totals.count.change) == (3, 1, 2)
    assert totals.count.percent == D("200.0")
    assert (totals.deaths.current, totals.deaths.previous, totals.deaths.percent) == (
        4,
        1,
        D("300.0"),
    )
    assert (totals.serious_injuries.change, totals.serious_injuries.percent) == (2, D("66.7"))
    assert totals.direct_loss.current == D("2130000.5")
    assert totals.direct_loss.change == D("1130000.5")
    assert totals.direct_loss.percent == D("113.0")  # 113.00005
    assert [
        (c.accident_class, c.count.current, c.count.previous, c.count.percent, c.deaths.current)
        for c in stats.by_class
    ] == [
        (AccidentClass.GENERAL, 2, 1, D("100.0"), 1),
        (AccidentClass.LARGER, 1, 0, None, 3),  # from nothing: no percentage
        (AccidentClass.MAJOR, 0, 0, None, 0),
        (AccidentClass.ESPECIALLY_SERIOUS, 0, 0, None, 0),
    ]
    assert [
        (s.sector, s.count.current, s.count.previous, s.deaths.change) for s in stats.by_sector
    ] == [
        (Sector.ROAD_TRANSPORT, 2, 1, 0),
        (Sector.BUILDING_CONSTRUCTION, 1, 0, 3),
    ]
    units = {u.node.code: u for u in stats.by_unit}
    assert [u.node.code for u in stats.by_unit] == sorted(units)
    assert len(units) == 14 and XJD in units and QIXING in units
    xjd, qixing = units[XJD], units[QIXING]
    assert (xjd.count.current, xjd.count.previous, xjd.count.percent) == (2, 1, D("100.0"))
    assert (xjd.deaths.current, xjd.deaths.previous, xjd.deaths.percent) == (3, 1, D("200.0"))
    assert (qixing.count.current, qixing.count.previous, qixing.count.percent) == (1, 0, None)
    quiet = units["330402100"]
    assert (quiet.count.current, quiet.count.previous, quiet.count.percent) == (0, 0, None)


def test_statistics_agree_with_the_tally(world: Session):
    _statistics_world(world)
    nanhu = node(world, NANHU)
    start, end = date(2026, 1, 1), date(2026, 6, 15)
    tally = accident_tally(world, [nanhu], start, end)[nanhu.id]
    totals = accident_statistics(world, nanhu, start, end).totals
    assert (totals.count.current, totals.deaths.current) == (tally.count, tally.deaths)
    assert totals.direct_loss.current == tally.direct_loss


def test_a_leap_day_period_compares_with_february_of_a_common_year(world: Session):
    for day in (date(2024, 2, 29), date(2024, 2, 1), date(2023, 2, 28), date(2023, 3, 1)):
        record(world, None, XJD, accident(occurred_on=day))
    stats = accident_statistics(world, node(world, XJD), date(2024, 2, 1), date(2024, 2, 29))
    assert (stats.previous_start, stats.previous_end) == (date(2023, 2, 1), date(2023, 2, 28))
    assert (stats.totals.count.current, stats.totals.count.previous) == (2, 1)
    assert stats.totals.count.percent == D("100.0")
    assert stats.by_unit == ()  # a township has no units below
    from_leap_day = accident_statistics(
        world, node(world, XJD), date(2024, 2, 29), date(2024, 3, 31)
    )
    assert (from_leap_day.previous_start, from_leap_day.previous_end) == (
        date(2023, 2, 28),
        date(2023, 3, 31),
    )
    assert from_leap_day.totals.count.previous == 2


def test_statistics_count_only_what_the_reader_sees(world: Session, sessions):
    _statistics_world(world)
    start, end = date(2026, 1, 1), date(2026, 6, 15)
    clerk = actor(world, "qixing-clerk")
    with scoped_session(sessions, clerk) as session:
        mine = accident_statistics(session, node(session, QIXING), start, end)
        assert (mine.totals.count.current, mine.totals.deaths.current) == (1, 1)
        # Its own node only: the clerk sees no XJD accident even asking about Nanhu.
        above = accident_tally(session, [node(session, NANHU)], start, end)
        assert [a.node_id for a in above[node(session, NANHU).id].accidents] == [
            node(world, QIXING).id
        ]
