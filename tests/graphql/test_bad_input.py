"""Every input a user (or a careless script) can send gets a typed answer, never `Unexpected
error.`, and leaves the database as it was: texts with NUL bytes or lone surrogates, numbers
that are not plain decimals, dates out of range, ids no row can have, malformed HTTP bodies."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from sqlalchemy import func, select

from scoring.assessments.models import Cycle, Entry
from scoring.ledgers.models import Accident
from tests.graphql.scoring_api import assessment_of, gid, node, open_cycle, published_sample

RECORD_ACCIDENT = """
mutation($input: RecordAccidentInput!) {
  recordAccident(input: $input) { accident { id directLoss } errors { field message code } } }
"""
SAVE = """
mutation($input: SaveEntriesInput!) {
  saveEntries(input: $input) {
    assessment { version entries { indicator { code } points } }
    errors { field message code } } }
"""
OPEN_CYCLE = """
mutation($input: OpenCycleInput!) {
  openCycle(input: $input) { cycle { id } errors { field message code } } }
"""


def _accident(**changes: Any) -> dict[str, Any]:
    return {
        "occurredOn": "2026-11-01",
        "title": "货车侧翻 A lorry overturned",
        "sector": "ROAD_TRANSPORT",
        "deaths": 0,
        "seriousInjuries": 0,
        "directLoss": "12000",
        "reportStatus": "ON_TIME",
        "reportedAt": "2026-11-01T10:00:00+08:00",
        **changes,
    }


def _refused(result: dict[str, Any]) -> str:
    """The one error of a request refused before anything ran: typed INVALID, no data."""
    assert result.get("data") is None, result
    [error] = result["errors"]
    assert error["extensions"]["code"] == "INVALID", error
    return error["message"]


@pytest.fixture
def office(world, gql):
    assert gql.sign_in("jx-office")["errors"] == []
    return gql


def _accidents(session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(Accident))


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"title": "a\x00b"}, "NUL byte"),
        ({"title": "a\ud800b"}, "unpaired surrogate"),
        ({"title": "a\x07b"}, "control character (U+0007)"),
        ({"description": "line\x1b[31m"}, "control character (U+001B)"),
        ({"directLoss": "1E+1000000"}, "plain decimal"),
        ({"directLoss": "١٠"}, "plain decimal"),  # Arabic-Indic digits
        ({"directLoss": "１０"}, "plain decimal"),  # fullwidth digits
        ({"directLoss": "1_0"}, "plain decimal"),
        ({"directLoss": "NaN"}, "plain decimal"),
        ({"directLoss": "99999999999"}, "below 10,000,000,000"),
        ({"occurredOn": "20261101"}, "YYYY-MM-DD"),
        ({"occurredOn": "0001-01-01"}, "between 1900-01-01 and 2199-12-31"),
        ({"occurredOn": "2026-02-30"}, "not a day of the calendar"),
        ({"reportedAt": "9999-12-31T23:59:59-14:00"}, "between 1900-01-01 and 2199-12-31"),
        ({"reportedAt": "2026-11-01T10:00:00+23:00"}, "offset"),
    ],
)
def test_values_no_field_accepts_are_refused_before_anything_runs(office, world, change, said):
    before = _accidents(world)
    variables = {
        "input": {"nodeId": gid("Tenant", node(world, "330400").id), **_accident(**change)}
    }
    message = _refused(office.execute(RECORD_ACCIDENT, variables))
    assert said in message
    assert "input" in message  # names the variable and the path of the value
    assert _accidents(world) == before


def test_plain_numbers_are_taken_and_minus_zero_is_zero(office, world):
    nanhu = gid("Tenant", node(world, "330400").id)
    for sent, stored in (("-0", "0.00"), ("+12.5", "12.50"), ("  7 ", "7.00"), (12.25, "12.25")):
        payload = office.execute(
            RECORD_ACCIDENT, {"input": {"nodeId": nanhu, **_accident(directLoss=sent)}}
        )["data"]["recordAccident"]
        assert payload["errors"] == [], sent
        assert payload["accident"]["directLoss"] == stored, sent


def test_texts_written_in_the_query_itself_are_checked_too(office, world):
    before = _accidents(world)
    nanhu = gid("Tenant", node(world, "330400").id)
    query = (
        f'mutation {{ recordAccident(input: {{nodeId: "{nanhu}", occurredOn: "2026-11-01", '
        'title: "a\\u0000b", sector: ROAD_TRANSPORT, deaths: 0, seriousInjuries: 0, '
        'directLoss: "1", reportStatus: ON_TIME, reportedAt: "2026-11-01T10:00:00+08:00"}) '
        "{ errors { code } } }"
    )
    assert "NUL byte" in _refused(office.execute(query))
    statistics = (
        f'{{ accidentStatistics(nodeId: "{nanhu}", '
        'period: {start: "0001-01-01", end: "2026-12-31"}) { __typename } }'
    )
    assert "between 1900" in _refused(office.execute(statistics))
    assert _accidents(world) == before


def test_filters_are_texts_like_any_other(office):
    assert "NUL byte" in _refused(
        office.execute("query($c: String!) { tenant(code: $c) { id } }", {"c": "330\x00400"})
    )


def test_a_cycle_far_in_time_is_refused_and_not_opened(world, office):
    template = published_sample(world)
    jiaxing = node(world, "330400")
    base = {
        "templateId": gid("Template", template.id),
        "ownerNodeId": gid("Tenant", jiaxing.id),
        "name": "2026年度乡镇考核",
        "level": "TOWNSHIP",
        "periodStart": "2026-01-01",
        "periodEnd": "2026-12-31",
        "selfDue": "2027-01-31T16:00:00+08:00",
        "reviewDue": "2027-02-28T16:00:00+08:00",
    }
    for change in (
        {"selfDue": "9999-12-31T23:59:59-14:00"},
        {"periodStart": "0001-01-01"},
        {"periodEnd": "10000-01-01"},
    ):
        _refused(office.execute(OPEN_CYCLE, {"input": {**base, **change}}))
    world.rollback()
    assert world.scalar(select(func.count()).select_from(Cycle)) == 0


def test_points_beyond_any_number_leave_the_entries_as_they_were(world, make_gql):
    template = published_sample(world)
    office = make_gql()
    office.sign_in("jx-office")
    cycle = open_cycle(office, template, node(world, "330400"))["cycle"]
    clerk = make_gql()
    clerk.sign_in("xjd-clerk")
    assessment = assessment_of(world, cycle["id"], "330402901")
    for points in ("1E+1000000", "Infinity", "0x10", "1e2"):
        _refused(
            clerk.execute(
                SAVE,
                {
                    "input": {
                        "assessmentId": gid("Assessment", assessment.id),
                        "expectedVersion": assessment.version,
                        "entries": [{"itemCode": "3.2.1", "points": points}],
                    }
                },
            )
        )
    saved = clerk.execute(
        SAVE,
        {
            "input": {
                "assessmentId": gid("Assessment", assessment.id),
                "expectedVersion": assessment.version,
                "entries": [{"itemCode": "3.2.1", "points": "-0"}],
            }
        },
    )["data"]["saveEntries"]
    assert saved["errors"] == []
    [entry] = [e for e in saved["assessment"]["entries"] if e["indicator"]["code"] == "3.2.1"]
    assert entry["points"] == "0.00"  # not -0.00
    world.rollback()
    assert world.scalar(select(func.count()).select_from(Entry)) == 1


@pytest.mark.parametrize("number", ["abc", "99999999999999999999", "0", "-1", "1.5", " 1"])
def test_ids_no_row_can_have_find_nothing(office, world, number):
    before = _accidents(world)
    bad = gid("Tenant", number)
    found = office.execute("query($id: ID!) { node(id: $id) { id } }", {"id": bad})
    assert found["data"] == {"node": None} and "errors" not in found
    payload = office.execute(RECORD_ACCIDENT, {"input": {"nodeId": bad, **_accident()}})
    assert payload["data"]["recordAccident"]["errors"] == [
        {"field": "nodeId", "message": "is not a valid id", "code": "INVALID"}
    ]
    assert _accidents(world) == before


def test_ids_that_are_not_ids_of_this_api(office):
    found = office.execute('{ node(id: "Rm9vOjE=") { id } }')  # Foo:1
    assert found["data"] == {"node": None} and "errors" not in found
    result = office.execute('{ node(id: "!!!") { id } }')
    assert result["errors"][0]["extensions"]["code"] == "INVALID"
    assert "GlobalID" in result["errors"][0]["message"]


def test_a_download_of_an_impossible_id_is_not_found(office):
    for number in ("99999999999999999999", "abc"):
        response = office.http.get(f"/files/evidence/{gid('Attachment', number)}")
        assert response.status_code == 404
        body = response.get_json()
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert body["errors"][0]["extensions"]["requestId"] == response.headers["X-Request-ID"]


def _bad_request(response) -> str:
    assert response.status_code == 400, response.data
    assert response.content_type == "application/json"
    [error] = response.get_json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["extensions"]["requestId"] == response.headers["X-Request-ID"]
    return error["message"]


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"null", "JSON object"),
        (b'"x"', "JSON object"),
        (b"5", "JSON object"),
        (b'{"query": "{ viewer { csrfToken } }"}\xff', "not UTF-8"),
        (
            b'{"query": "{ viewer { csrfToken } }", "variables": {"a": '
            # Deep, yet within the 64 KiB a request without credentials may send.
            + b"[" * 30_000
            + b"]" * 30_000
            + b"}}",
            "nests too deeply",
        ),
        (b'{"query": 5}', "must be a string"),
        (b'{"query": "{ viewer { csrfToken } }", "variables": [1]}', "must be an object"),
        (b"{not json", "Unable to parse"),
    ],
)
def test_malformed_bodies_are_bad_requests_with_a_request_id(app, body, said):
    response = app.test_client().post("/graphql", data=body, content_type="application/json")
    assert said in _bad_request(response)


@pytest.mark.parametrize(
    ("operations", "files_map", "said"),
    [
        ({"variables": {"f": None}}, ["variables.f"], "'map' must be a JSON object"),
        ({"variables": {"f": [None]}}, {"0": ["variables.f.999999999"]}, "leads nowhere"),
        ({"variables": {"f": None}}, {"1": ["variables.f"]}, "no file '1'"),
        ({"variables": {"f": None}}, {"0": ["variables.g.h"]}, "leads nowhere"),
        ({"query": "{ x }", "variables": {}}, {"0": ["query"]}, "not a null placeholder"),
        ([{"variables": {"f": None}}], {"0": ["0.variables.f"]}, "'operations' must be"),
        ({"variables": {"f": None}}, {"0": "variables.f"}, "'map' must be a JSON object"),
    ],
)
def test_malformed_multipart_requests_are_bad_requests(office, operations, files_map, said):
    form = {
        "operations": json.dumps(operations),
        "map": json.dumps(files_map),
        "0": (io.BytesIO(b"%PDF-1.4\n"), "a.pdf", "application/pdf"),
    }
    response = office.http.post(
        "/graphql",
        data=form,
        content_type="multipart/form-data",
        headers={"X-CSRF-Token": office.csrf_token},
    )
    assert said in _bad_request(response)


def test_a_wrong_url_and_a_bug_answer_json_with_the_request_id(app, monkeypatch, caplog):
    missing = app.test_client().get("/no/such/page", headers={"X-Request-ID": "trace-42"})
    assert missing.status_code == 404
    assert missing.headers["X-Request-ID"] == "trace-42"
    assert missing.get_json()["errors"][0]["extensions"] == {
        "code": "NOT_FOUND",
        "requestId": "trace-42",
    }
    # A request id that is not a plain token is replaced, not echoed into logs and headers.
    odd = app.test_client().get("/no/such/page", headers={"X-Request-ID": "a b<script>"})
    assert odd.headers["X-Request-ID"] != "a b<script>"

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(app.view_functions["graphql"].view_class, "run", broken)
    with caplog.at_level(logging.INFO):
        response = app.test_client().post("/graphql", json={"query": "{ viewer { csrfToken } }"})
    assert response.status_code == 500
    body = response.get_json()
    assert body["errors"][0]["message"] == "Unexpected error."
    assert body["errors"][0]["extensions"]["requestId"] == response.headers["X-Request-ID"]
    assert caplog.text.count("Traceback") == 1 and "RuntimeError: a bug" in caplog.text


def test_a_refused_request_is_one_line_in_the_log_and_a_bug_one_traceback(
    office, world, monkeypatch, caplog
):
    with caplog.at_level(logging.INFO):
        for _ in range(3):
            office.execute("{ tenant(code: 5) { id } }")  # a validation error
            office.execute('{ node(id: "!!!") { id } }')  # a coercion error
    refused = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 6
    assert all(r.exc_info is None and r.levelno == logging.INFO for r in refused)
    assert "Traceback" not in caplog.text

    caplog.clear()

    def broken(*_args):
        raise RuntimeError("a bug in a resolver")

    monkeypatch.setattr("graphql_schema.core.nodes.node_type", broken)
    with caplog.at_level(logging.INFO):
        result = office.execute('{ node(id: "VGVuYW50OjE=") { id } }')
    assert result["errors"][0]["extensions"]["code"] == "INTERNAL"
    assert caplog.text.count("Traceback") == 1
