"""The accident ledger through the API: recording and correcting, errors as payload data, the
list with filters and pages, statistics year on year, isolation, and the SQL of a page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from redline.calendar import local_date
from redline.db import utcnow
from scoring.ledgers.accidents import AccidentInput, correct_accident, record_accident
from scoring.ledgers.models import Accident
from tests.factories.api import (
    ERRORS,
    fields_of,
    gid,
    mutate,
    ok,
    signed_in,
    statements_for,
    tenant_id,
)
from tests.factories.checks import count
from tests.factories.tenants import actor, node

D = Decimal
XJD, QIXING, NANHU, JIAXING, WANGDIAN = "330402901", "330402015", "330402", "330400", "330411105"

ACCIDENT = """
id occurredOn occurredTime title description sector sectorNameZh deaths seriousInjuries directLoss
accidentClass reportStatus reportedAt discoveredOn lateReportHours recordedAt version
unit { code } recordedBy { username }
history { at action field old new note actor { username } files { filename } }
"""
READ = f"query($id: ID!) {{ node(id: $id) {{ ... on Accident {{ {ACCIDENT} }} }} }}"
LIST = """
query($filter: AccidentFilter, $first: Int, $after: String) {
  accidents(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { title unit { code } } }
  }
}
"""
CHANGE = "current previous change percent"
STATISTICS = f"""
query($nodeId: ID!, $period: PeriodInput!) {{
  accidentStatistics(nodeId: $nodeId, period: $period) {{
    unit {{ code }} start end previousStart previousEnd
    totals {{
      count {{ {CHANGE} }} deaths {{ {CHANGE} }}
      seriousInjuries {{ {CHANGE} }} directLoss {{ {CHANGE} }}
    }}
    byClass {{ accidentClass count {{ {CHANGE} }} deaths {{ {CHANGE} }} }}
    bySector {{ sector nameZh count {{ {CHANGE} }} deaths {{ {CHANGE} }} }}
    byUnit {{ unit {{ code }} count {{ {CHANGE} }} deaths {{ {CHANGE} }} }}
  }}
}}
"""


@pytest.fixture
def people(world, make_gql):
    return {
        name: signed_in(make_gql, name)
        for name in (
            "xjd-clerk",
            "qixing-clerk",
            "nanhu-office",
            "jx-office",
            "zj-leader",
            "sc-office",
        )
    }


def fields(**changes) -> dict[str, Any]:
    """The accident form as input: a general road accident in March 2026."""
    return {
        "occurredOn": "2026-03-02",
        "title": "两车追尾 Two cars collided on the ring road",
        "sector": "ROAD_TRANSPORT",
        "deaths": 1,
        "seriousInjuries": 2,
        "directLoss": "350000",
        "reportStatus": "ON_TIME",
        "reportedAt": "2026-03-02T10:15:00+08:00",
        "description": "A lorry ran into a stopped car in fog.",
        **changes,
    }


def record(gql, node_id: str, **changes) -> dict[str, Any]:
    return mutate(
        gql,
        "recordAccident",
        "RecordAccidentInput",
        f"accident {{ {ACCIDENT} }}",
        {"nodeId": node_id, **fields(**changes)},
    )


def correct(gql, accident_id: str, version: int, reason: str, **changes) -> dict[str, Any]:
    return mutate(
        gql,
        "correctAccident",
        "CorrectAccidentInput",
        f"accident {{ {ACCIDENT} }}",
        {
            "accidentId": accident_id,
            "expectedVersion": version,
            "reason": reason,
            **fields(**changes),
        },
    )


def error_code(result: dict[str, Any]) -> str:
    assert result.get("data") is None or not any(result["data"].values()), result
    return result["errors"][0]["extensions"]["code"]


# --- recording and correcting ----------------------------------------------------------------


def test_a_clerk_records_and_the_office_above_corrects(world, people):
    clerk, office = people["xjd-clerk"], people["nanhu-office"]
    recorded = record(clerk, tenant_id(world, XJD))
    assert recorded["errors"] == []
    row = recorded["accident"]
    assert {k: row[k] for k in ("occurredOn", "sector", "sectorNameZh", "deaths")} == {
        "occurredOn": "2026-03-02",
        "sector": "ROAD_TRANSPORT",
        "sectorNameZh": "道路运输",
        "deaths": 1,
    }
    assert (row["directLoss"], row["accidentClass"], row["reportStatus"]) == (
        "350000.00",
        "GENERAL",
        "ON_TIME",
    )
    reported = datetime.fromisoformat(row["reportedAt"])
    assert reported == datetime(2026, 3, 2, 2, 15, tzinfo=UTC)
    assert (row["unit"], row["recordedBy"], row["version"]) == (
        {"code": XJD},
        {"username": "xjd-clerk"},
        1,
    )
    assert [(e["action"], e["actor"]) for e in row["history"]] == [
        ("recorded", {"username": "xjd-clerk"})
    ]

    reason = "两名重伤者经抢救无效死亡 Two of the injured died"
    corrected = correct(office, row["id"], 1, reason, deaths=3, seriousInjuries=0)
    assert corrected["errors"] == []
    after = corrected["accident"]
    assert (after["deaths"], after["accidentClass"], after["version"]) == (3, "LARGER", 2)
    changes = [(e["field"], e["old"], e["new"], e["note"]) for e in after["history"][1:]]
    assert changes == [
        ("deaths", "1", "3", reason),
        ("serious_injuries", "2", "0", reason),
        ("accident_class", "general", "larger", reason),
    ]
    assert {e["actor"]["username"] for e in after["history"][1:]} == {"nanhu-office"}
    # The clerk reads the same history; the district's user is out of its sight.
    seen = ok(clerk.execute(READ, {"id": row["id"]}))["node"]
    assert [e["actor"] for e in seen["history"]] == [{"username": "xjd-clerk"}] + [None] * 3
    # A concealment found out later: the clerk restates it with the day it came to light.
    found = correct(
        clerk,
        row["id"],
        2,
        "暗访发现 found by a spot check",
        deaths=3,
        seriousInjuries=0,
        reportStatus="CONCEALED",
        discoveredOn="2026-04-01",
    )
    assert found["errors"] == []
    assert (found["accident"]["reportStatus"], found["accident"]["discoveredOn"]) == (
        "CONCEALED",
        "2026-04-01",
    )


def test_the_time_of_day_says_whether_and_how_late_a_report_was(world, people):
    clerk = people["xjd-clerk"]
    # 09:40 to 10:15 is within the hour: on time, and no late hours.
    on_time = record(clerk, tenant_id(world, XJD), occurredTime="09:40:00")["accident"]
    assert (on_time["occurredTime"], on_time["lateReportHours"]) == ("09:40:00", None)
    # 06:30 to 10:15: 2 h 45 min past the hour allowed, 3 hours; marked late it counts them.
    early = record(clerk, tenant_id(world, XJD), occurredTime="06:30:00")
    assert [(e["field"], e["code"]) for e in early["errors"]] == [("reportStatus", "INVALID")]
    assert "a report that late is late" in early["errors"][0]["message"]
    late = record(clerk, tenant_id(world, XJD), occurredTime="06:30:00", reportStatus="LATE")
    assert (late["accident"]["reportStatus"], late["accident"]["lateReportHours"]) == ("LATE", 3)
    # Without the time of day, a late report counts as one hour.
    untimed = record(clerk, tenant_id(world, XJD), reportStatus="LATE")["accident"]
    assert (untimed["occurredTime"], untimed["lateReportHours"]) == (None, 1)
    corrected = correct(
        clerk,
        untimed["id"],
        1,
        "补录事故发生时间 the time it happened, from the police report",
        occurredTime="07:00:00",
        reportStatus="LATE",
    )["accident"]
    assert corrected["lateReportHours"] == 3
    assert ("occurred_time", None, "07:00:00") in [
        (e["field"], e["old"], e["new"]) for e in corrected["history"]
    ]


def test_bad_input_comes_back_as_errors_naming_each_field(world, people):
    clerk = people["xjd-clerk"]
    tomorrow = local_date(utcnow()) + timedelta(days=2)
    refused = record(
        clerk,
        tenant_id(world, XJD),
        occurredOn=tomorrow.isoformat(),
        title=" ",
        deaths=-1,
        seriousInjuries=100_001,
        directLoss="-5",
        discoveredOn="2026-03-05",
        reportedAt="2026-03-02T10:15:00",
    )
    assert refused["accident"] is None
    assert sorted(fields_of(refused)) == [
        ("deaths", "INVALID"),
        ("directLoss", "INVALID"),
        ("discoveredOn", "INVALID"),
        ("occurredOn", "INVALID"),
        ("reportedAt", "INVALID"),
        ("seriousInjuries", "INVALID"),
        ("title", "REQUIRED"),
    ]
    assert all(e["message"] for e in refused["errors"])
    missing = record(clerk, tenant_id(world, XJD), occurredOn=None, directLoss="1.00001")
    assert sorted(fields_of(missing)) == [("directLoss", "INVALID"), ("occurredOn", "REQUIRED")]
    # Units out of reach: a sibling and another province are not found, the unit above is
    # visible by name but not the clerk's to keep.
    assert fields_of(record(clerk, tenant_id(world, QIXING))) == [("nodeId", "NOT_FOUND")]
    assert fields_of(record(clerk, tenant_id(world, "510800"))) == [("nodeId", "NOT_FOUND")]
    assert fields_of(record(clerk, tenant_id(world, NANHU))) == [("nodeId", "PERMISSION_DENIED")]
    assert fields_of(record(people["zj-leader"], tenant_id(world, XJD))) == [
        ("nodeId", "PERMISSION_DENIED")
    ]
    assert fields_of(record(clerk, gid("Accident", 1))) == [("nodeId", "INVALID")]
    world.rollback()
    assert count(world, Accident) == 0

    row = record(clerk, tenant_id(world, XJD))["accident"]
    assert fields_of(correct(clerk, row["id"], 1, "  ", deaths=2)) == [("reason", "REQUIRED")]
    assert fields_of(correct(clerk, row["id"], 1, "no change")) == [(None, "INVALID")]
    assert correct(clerk, row["id"], 1, "one died", deaths=2)["errors"] == []
    stale = correct(people["jx-office"], row["id"], 1, "the insurer's figure", directLoss="400000")
    assert fields_of(stale) == [("expectedVersion", "CONFLICT")]
    assert fields_of(correct(people["qixing-clerk"], row["id"], 2, "mine", deaths=5)) == [
        ("accidentId", "NOT_FOUND")
    ]
    assert fields_of(correct(clerk, tenant_id(world, XJD), 2, "wrong id", deaths=5)) == [
        ("accidentId", "INVALID")
    ]
    # Enums refuse an unknown sector before the service sees it.
    unknown = people["xjd-clerk"].execute(
        "mutation($input: RecordAccidentInput!) { recordAccident(input: $input) "
        f"{{ accident {{ id }} {ERRORS} }} }}",
        {"input": {"nodeId": tenant_id(world, XJD), **fields(sector="MINING")}},
    )
    assert "MINING" in unknown["errors"][0]["message"]


# --- the list --------------------------------------------------------------------------------


def _ledger(world: Session) -> dict[str, Accident]:
    """Accidents written through the service, as the system, in recording order."""
    rows = {
        "xjd-road": (XJD, date(2026, 3, 2), "road_transport", 1, "on_time"),
        "xjd-fire": (XJD, date(2026, 5, 20), "fire", 3, "late"),
        "qixing-road": (QIXING, date(2026, 4, 1), "road_transport", 0, "on_time"),
        "qixing-old": (QIXING, date(2025, 4, 1), "road_transport", 2, "on_time"),
        "wangdian-gas": (WANGDIAN, date(2026, 2, 14), "gas", 10, "concealed"),
        "guangyuan": ("510800", date(2026, 3, 2), "coal_mines", 1, "on_time"),
    }
    units = {code: node(world, code, fresh=True) for code, *_ in rows.values()}
    found = {}
    for title, (code, day, sector, deaths, status) in rows.items():
        found[title] = record_accident(
            world,
            None,
            units[code],
            AccidentInput(
                occurred_on=day,
                title=title,
                sector=sector,
                deaths=deaths,
                serious_injuries=0,
                direct_loss=D("120000.5"),
                report_status=status,
            ),
        )
    world.commit()
    return found


def _titles(gql, **variables) -> list[str]:
    page = ok(gql.execute(LIST, variables))["accidents"]
    assert page["totalCount"] == len(page["edges"]), page
    return [e["node"]["title"] for e in page["edges"]]


def test_the_list_filters_by_subtree_period_sector_class_and_reporting(world, people):
    _ledger(world)
    office = people["jx-office"]
    everything = ["xjd-road", "xjd-fire", "qixing-road", "qixing-old", "wangdian-gas"]
    assert _titles(office) == everything
    assert _titles(office, filter={"nodeId": tenant_id(world, NANHU)}) == everything[:4]
    assert _titles(office, filter={"nodeId": tenant_id(world, XJD)}) == ["xjd-road", "xjd-fire"]
    in_2026 = {"start": "2026-01-01", "end": "2026-04-01"}
    assert _titles(office, filter={"period": in_2026}) == [
        "xjd-road",
        "qixing-road",
        "wangdian-gas",
    ]
    assert _titles(office, filter={"sector": "ROAD_TRANSPORT", "period": in_2026}) == [
        "xjd-road",
        "qixing-road",
    ]
    assert _titles(office, filter={"accidentClass": "LARGER"}) == ["xjd-fire"]
    assert _titles(office, filter={"accidentClass": "MAJOR"}) == ["wangdian-gas"]
    assert _titles(office, filter={"reportStatus": "CONCEALED"}) == ["wangdian-gas"]
    assert (
        _titles(office, filter={"reportStatus": "LATE", "nodeId": tenant_id(world, QIXING)}) == []
    )
    inverted = office.execute(
        LIST, {"filter": {"period": {"start": "2026-02-01", "end": "2026-01-01"}}}
    )
    assert error_code(inverted) == "INVALID"
    assert "filter.period.end" in inverted["errors"][0]["message"]


def test_the_list_pages_by_cursor(world, people):
    _ledger(world)
    office = people["jx-office"]
    first = ok(office.execute(LIST, {"first": 2}))["accidents"]
    assert first["totalCount"] == 5
    assert first["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["title"] for e in first["edges"]] == ["xjd-road", "xjd-fire"]
    rest = ok(office.execute(LIST, {"first": 10, "after": first["pageInfo"]["endCursor"]}))
    page = rest["accidents"]
    assert [e["node"]["title"] for e in page["edges"]] == [
        "qixing-road",
        "qixing-old",
        "wangdian-gas",
    ]
    assert page["pageInfo"]["hasNextPage"] is False


# --- statistics ------------------------------------------------------------------------------


def _change(current, previous, change, percent) -> dict[str, Any]:
    return {"current": current, "previous": previous, "change": change, "percent": percent}


def test_statistics_year_on_year(world, people):
    _ledger(world)
    period = {"start": "2026-01-01", "end": "2026-06-30"}
    stats = ok(
        people["nanhu-office"].execute(
            STATISTICS, {"nodeId": tenant_id(world, NANHU), "period": period}
        )
    )["accidentStatistics"]
    assert (stats["unit"], stats["start"], stats["end"]) == (
        {"code": NANHU},
        "2026-01-01",
        "2026-06-30",
    )
    assert (stats["previousStart"], stats["previousEnd"]) == ("2025-01-01", "2025-06-30")
    totals = stats["totals"]
    assert totals["count"] == _change("3", "1", "2", "200.0")
    assert totals["deaths"] == _change("4", "2", "2", "100.0")
    assert totals["seriousInjuries"] == _change("0", "0", "0", None)
    assert totals["directLoss"] == _change("360001.50", "120000.50", "240001.00", "200.0")
    assert [
        (c["accidentClass"], c["count"]["current"], c["count"]["percent"]) for c in stats["byClass"]
    ] == [
        ("GENERAL", "2", "100.0"),
        ("LARGER", "1", None),
        ("MAJOR", "0", None),
        ("ESPECIALLY_SERIOUS", "0", None),
    ]
    assert [
        (s["sector"], s["nameZh"], s["count"]["current"], s["count"]["previous"])
        for s in stats["bySector"]
    ] == [
        ("ROAD_TRANSPORT", "道路运输", "2", "1"),
        ("FIRE", "消防", "1", "0"),
    ]
    units = {u["unit"]["code"]: u for u in stats["byUnit"]}
    assert list(units) == sorted(units) and len(units) == 14
    assert units[XJD]["count"] == _change("2", "0", "2", None)
    assert units[QIXING]["deaths"] == _change("0", "2", "-2", "-100.0")
    # The city sees the gas explosion in Xiuzhou too, under Xiuzhou.
    city = ok(
        people["jx-office"].execute(
            STATISTICS, {"nodeId": tenant_id(world, JIAXING), "period": period}
        )
    )["accidentStatistics"]
    assert city["totals"]["count"]["current"] == "4"
    xiuzhou = next(u for u in city["byUnit"] if u["unit"]["code"] == "330411")
    assert xiuzhou["deaths"] == _change("10", "0", "10", None)
    inverted = people["jx-office"].execute(
        STATISTICS,
        {
            "nodeId": tenant_id(world, JIAXING),
            "period": {"start": "2026-02-01", "end": "2026-01-01"},
        },
    )
    assert error_code(inverted) == "INVALID"


# --- isolation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("xjd-clerk", ["xjd-road", "xjd-fire"]),
        ("qixing-clerk", ["qixing-road", "qixing-old"]),
        ("nanhu-office", ["xjd-road", "xjd-fire", "qixing-road", "qixing-old"]),
        ("zj-leader", ["xjd-road", "xjd-fire", "qixing-road", "qixing-old", "wangdian-gas"]),
        ("sc-office", ["guangyuan"]),
    ],
)
def test_each_viewer_sees_only_its_own_subtree(world, people, who: str, visible: list[str]):
    rows = _ledger(world)
    gql = people[who]
    assert _titles(gql) == visible
    for title, row in rows.items():
        found = ok(gql.execute(READ, {"id": gid("Accident", row.id)}))["node"]
        assert (found is not None) is (title in visible), (who, title)
    # A filter naming a unit out of sight finds nothing.
    out_of_sight = QIXING if who != "qixing-clerk" else XJD
    if who not in ("nanhu-office", "zj-leader"):
        assert _titles(gql, filter={"nodeId": tenant_id(world, out_of_sight)}) == []


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("xjd-clerk", QIXING),  # a sibling
        ("xjd-clerk", NANHU),  # the unit above: its name is visible, its ledgers are not
        ("qixing-clerk", XJD),
        ("nanhu-office", "330411"),  # Xiuzhou, a sibling district
        ("sc-office", JIAXING),  # another province
        ("jx-office", "510800"),
    ],
)
def test_statistics_of_a_unit_out_of_sight_are_not_found(world, people, who: str, code: str):
    _ledger(world)
    result = people[who].execute(
        STATISTICS,
        {"nodeId": tenant_id(world, code), "period": {"start": "2026-01-01", "end": "2026-12-31"}},
    )
    assert error_code(result) == "NOT_FOUND"


def test_a_township_clerk_reads_its_own_statistics(world, people):
    _ledger(world)
    stats = ok(
        people["xjd-clerk"].execute(
            STATISTICS,
            {
                "nodeId": tenant_id(world, XJD),
                "period": {"start": "2026-01-01", "end": "2026-12-31"},
            },
        )
    )["accidentStatistics"]
    assert stats["totals"]["count"] == _change("2", "0", "2", None)
    assert stats["byUnit"] == []


# --- SQL per page ----------------------------------------------------------------------------

PAGE = f"""
query($first: Int) {{
  accidents(first: $first) {{ totalCount edges {{ node {{
    {ACCIDENT} unit {{ parent {{ code }} }}
  }} }} }}
}}
"""


def test_a_page_costs_the_same_statements_whatever_its_size(world, people, statement_counter):
    units = [node(world, code, fresh=True) for code in (XJD, QIXING, WANGDIAN, NANHU)]
    keepers = {XJD: "xjd-clerk", QIXING: "jx-office", WANGDIAN: "jx-office", NANHU: "nanhu-office"}
    for index in range(24):
        unit = units[index % len(units)]
        who = actor(world, keepers[unit.code])
        row = record_accident(
            world,
            who,
            unit,
            AccidentInput(
                occurred_on=date(2026, 1, 1) + timedelta(days=index),
                title=f"accident {index}",
                sector="road_transport",
                deaths=index % 4,
                serious_injuries=0,
                direct_loss=D(index * 1000),
                report_status="on_time",
            ),
        )
        if index % 3 == 0:
            correct_accident(
                world,
                who,
                row,
                AccidentInput(
                    occurred_on=row.occurred_on,
                    title=row.title,
                    sector="fire",
                    deaths=row.deaths + 1,
                    serious_injuries=0,
                    direct_loss=row.direct_loss,
                    report_status="late",
                ),
                expected_version=1,
                reason="restated",
            )
    world.commit()
    office = people["jx-office"]

    def statements(first: int) -> int:
        count, data = statements_for(office, statement_counter, PAGE, {"first": first})
        assert len(data["accidents"]["edges"]) == first
        return count

    assert statements(2) == statements(24)
