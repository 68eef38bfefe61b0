"""An assessment through the API: open a cycle, fill, evidence, submit, return, review, final."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from tests.factories.api import (
    ERRORS,
    FULL_ENTRIES,
    PDF,
    REQUIRED_CODES,
    fields_of,
    gid,
    mutate,
    ok,
    open_cycle,
    signed_in,
    tenant_id,
    upload_evidence,
)
from tests.factories.assessments import assessment_of
from tests.factories.templates import published_sample
from tests.factories.tenants import node

ASSESSMENT = """
id state version late submittedAt returnedReason selfTotal reviewedTotal gap grade vetoed
unit { code } cycle { id name }
"""
ENTRIES = """
entries {
  indicator { code method maxPoints required }
  value done points counts { key count } notApplicable notApplicableReason note
  attachments { id filename contentType size sha256 downloadUrl uploadedBy { username } }
  reviewed reviewPoints reviewReason notApplicableConfirmed
  selfScore { points maxPoints notApplicable missing adjusted
              explanation { rule input text points code } }
  reviewedScore { points adjusted explanation { rule input text points code } }
}
"""
SCORECARD = """
kind earned attainable normalised bonus total grade vetoed
categories { code title maxPoints attainable points bonus }
explanation { rule input text points code }
"""


def read(gql, assessment_id: str, selection: str = ASSESSMENT) -> dict[str, Any]:
    query = f"query($id: ID!) {{ node(id: $id) {{ ... on Assessment {{ {selection} }} }} }}"
    return ok(gql.execute(query, {"id": assessment_id}))["node"]


def save(gql, assessment_id: str, version: int, entries: list[dict[str, Any]]) -> dict:
    return mutate(
        gql,
        "saveEntries",
        "SaveEntriesInput",
        f"assessment {{ {ASSESSMENT} }}",
        {"assessmentId": assessment_id, "expectedVersion": version, "entries": entries},
    )


def act(gql, name: str, input_type: str, input_: dict[str, Any], selection: str = "") -> dict:
    return mutate(gql, name, input_type, selection or f"assessment {{ {ASSESSMENT} }}", input_)


def total_of(lines: list[dict[str, Any]]) -> Decimal:
    return sum((Decimal(line["points"]) for line in lines), start=Decimal(0))


@pytest.fixture(autouse=True)
def evidence_dir(runtime, tmp_path):
    """Evidence files of the test in its own folder."""
    runtime.settings = runtime.settings.with_(attachment_dir=tmp_path / "evidence")
    return tmp_path / "evidence"


@pytest.fixture
def people(world, make_gql):
    return {
        name: signed_in(make_gql, name)
        for name in ("jx-office", "xjd-clerk", "nanhu-office", "qixing-clerk", "sc-office")
    }


@pytest.fixture
def cycle(world, people) -> dict[str, Any]:
    """A township cycle over Jiaxing, opened by the city's admin on the sample template."""
    template = published_sample(world)
    opened = open_cycle(people["jx-office"], template, node(world, "330400", fresh=True))
    assert opened["errors"] == []
    return opened["cycle"]


def test_a_cycle_over_chosen_townships_or_kinds(world, people):
    template = published_sample(world)
    office = people["jx-office"]
    owner = node(world, "330400", fresh=True)
    chosen = [gid("Tenant", node(world, code).id) for code in ("330402901", "330402007")]
    opened = open_cycle(office, template, owner, unitIds=chosen)
    assert opened["errors"] == []
    counts = ok(
        office.execute(
            "query($id: ID!) { node(id: $id) { ... on Cycle { assessments(first: 50) { "
            "totalCount } } } }",
            {"id": opened["cycle"]["id"]},
        )
    )
    assert counts["node"]["assessments"]["totalCount"] == 2
    streets = open_cycle(office, template, owner, kinds=["STREET"], name="只考核街道")
    assert streets["errors"] == []
    # A unit out of the office's sight is not found, by its place in the list.
    hangzhou = gid("Tenant", node(world, "330102").id)
    refused = open_cycle(office, template, owner, unitIds=[chosen[0], hangzhou], name="x")
    assert fields_of(refused) == [("unitIds[1]", "NOT_FOUND")]


def test_a_city_assesses_the_enterprises_attached_to_it_at_its_own_level(world, people):
    """An enterprise is a kind of unit of its own (no English name needed); a cycle at the
    owner's own level takes the units attached to it, here only its enterprises."""
    office = people["jx-office"]
    created = mutate(
        office,
        "createTenant",
        "CreateTenantInput",
        "tenant { code kind nameEn }",
        {
            "parentId": gid("Tenant", node(world, "330400").id),
            "code": "330400-QY-1",
            "nameZh": "嘉兴某危险化学品有限公司",
            "level": "CITY",
            "kind": "ENTERPRISE",
        },
    )
    assert created["errors"] == []
    assert created["tenant"]["kind"] == "ENTERPRISE"
    region = mutate(
        office,
        "createTenant",
        "CreateTenantInput",
        "tenant { code }",
        {
            "parentId": gid("Tenant", node(world, "330400").id),
            "code": "330499",
            "nameZh": "某区",
            "level": "COUNTY",
            "kind": "DISTRICT",
        },
    )
    assert fields_of(region) == [("nameEn", "REQUIRED")]  # a region needs its English name
    template = published_sample(world)
    owner = node(world, "330400", fresh=True)
    opened = open_cycle(
        office, template, owner, level="CITY", kinds=["ENTERPRISE"], name="企业考评"
    )
    assert opened["errors"] == []
    units = ok(
        office.execute(
            "query($id: ID!) { node(id: $id) { ... on Cycle { level assessments(first: 50) { "
            "edges { node { unit { code } } } } } } }",
            {"id": opened["cycle"]["id"]},
        )
    )["node"]
    assert units["level"] == "CITY"
    assert [e["node"]["unit"]["code"] for e in units["assessments"]["edges"]] == ["330400-QY-1"]
    # A region kind at the owner's own level is the owner itself, never assessed by its cycle.
    refused = open_cycle(office, template, owner, level="CITY", kinds=["CITY"], name="x")
    assert fields_of(refused) == [("kinds", "INVALID")]
    refused = open_cycle(office, template, owner, level="PROVINCE", name="x")
    assert fields_of(refused) == [("level", "INVALID")]


def test_an_admin_opens_a_cycle_with_one_assessment_per_township(world, people, cycle):
    office = people["jx-office"]
    assert cycle["state"] == "OPEN"
    assert cycle["level"] == "TOWNSHIP"
    assert cycle["owner"] == {"code": "330400"}
    data = ok(
        office.execute(
            "query($id: ID!) { node(id: $id) { ... on Cycle { "
            "stateCounts { state count } openedBy { username } "
            "assessments(first: 3) { totalCount pageInfo { hasNextPage } "
            "edges { node { state unit { code } } } } } } }",
            {"id": cycle["id"]},
        )
    )["node"]
    townships = [n for n in world.scalars(_townships_of("/330000/330400/"))]
    assert data["assessments"]["totalCount"] == len(townships) > 3
    assert data["assessments"]["pageInfo"] == {"hasNextPage": True}
    assert {"state": "DRAFT", "count": len(townships)} in data["stateCounts"]
    assert data["openedBy"] == {"username": "jx-office"}
    # Only admins open cycles, and only over their own subtree.
    template_id = cycle["template"]["id"]
    refused = mutate(
        people["nanhu-office"],
        "openCycle",
        "OpenCycleInput",
        "cycle { id }",
        _cycle_input(template_id, node(world, "330402", fresh=True).id),
    )
    assert fields_of(refused) == [("ownerNodeId", "PERMISSION_DENIED")]
    sichuan = mutate(
        people["sc-office"],
        "openCycle",
        "OpenCycleInput",
        "cycle { id }",
        _cycle_input(template_id, node(world, "510000", fresh=True).id),
    )
    assert fields_of(sichuan) == [("templateId", "NOT_FOUND")]
    listed = ok(people["sc-office"].execute("{ cycles { totalCount } }"))
    assert listed == {"cycles": {"totalCount": 0}}


def _townships_of(path: str):
    from sqlalchemy import select

    from tenants.models import TenantLevel, TenantNode

    return select(TenantNode.id).where(
        TenantNode.path.startswith(path), TenantNode.level == TenantLevel.TOWNSHIP
    )


def _cycle_input(template_id: str, owner_id: int) -> dict[str, Any]:
    return {
        "templateId": template_id,
        "ownerNodeId": gid("Tenant", owner_id),
        "name": "x",
        "level": "TOWNSHIP",
        "periodStart": "2026-01-01",
        "periodEnd": "2026-12-31",
        "selfDue": "2099-01-31T16:00:00+00:00",
        "reviewDue": "2099-02-28T16:00:00+00:00",
    }


def test_the_whole_workflow_from_draft_to_final(world, people, cycle, evidence_dir):
    clerk, assessor, city = people["xjd-clerk"], people["nanhu-office"], people["jx-office"]

    # The clerk sees its own assessment of the cycle, and no other.
    mine = ok(
        clerk.execute(
            "query($c: ID!) { assessments(filter: {cycleId: $c}) { totalCount "
            "edges { node { id state unit { code } } } } }",
            {"c": cycle["id"]},
        )
    )["assessments"]
    assert mine["totalCount"] == 1
    assessment = mine["edges"][0]["node"]
    assert assessment["unit"] == {"code": "330402901"}
    aid = assessment["id"]

    # Save a draft; a stale version is a conflict.
    first = save(clerk, aid, 1, FULL_ENTRIES[:3])
    assert first["errors"] == []
    assert first["assessment"]["version"] == 2
    assert first["assessment"]["state"] == "DRAFT"
    stale = save(clerk, aid, 1, [{"itemCode": "1.2", "value": "90"}])
    assert stale["assessment"] is None
    assert fields_of(stale) == [("expectedVersion", "CONFLICT")]
    wrong = save(
        clerk, aid, 2, [{"itemCode": "1.3", "value": "5"}, {"itemCode": "9.9", "points": "1"}]
    )
    assert fields_of(wrong) == [
        ("entries[0].value", "INVALID"),
        ("entries[1].itemCode", "NOT_FOUND"),
    ]

    # Evidence for 1.3, through a multipart upload.
    reply = upload_evidence(clerk, aid, PDF, "安委会会议纪要.pdf", "application/pdf")
    assert reply.status_code == 200, reply.data
    uploaded = reply.get_json()["data"]["uploadEvidence"]
    assert uploaded["errors"] == []
    attachment = uploaded["attachment"]
    assert attachment["filename"] == "安委会会议纪要.pdf"
    assert attachment["size"] == len(PDF)
    assert len(attachment["sha256"]) == 64
    download = clerk.http.get(attachment["downloadUrl"])
    assert download.status_code == 200
    assert download.data == PDF
    assert download.mimetype == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment")
    # An executable in disguise is refused, and so is an upload without the CSRF token.
    fake = upload_evidence(
        clerk, aid, b"MZ\x90\x00not a pdf", "scan.pdf", "application/pdf"
    ).get_json()["data"]["uploadEvidence"]
    assert fields_of(fake) == [("file", "INVALID")]
    forged = upload_evidence(clerk, aid, PDF, "x.pdf", "application/pdf", csrf=False).get_json()
    assert forged["data"] is None
    assert forged["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"

    # Submitting with required indicators empty lists each of them.
    refused = act(clerk, "submitAssessment", "SubmitAssessmentInput", _v(aid, 2))
    missing = [e for e in refused["errors"] if e["field"] == "entries"]
    assert {e["code"] for e in missing} == {"REQUIRED"}
    assert sorted(e["message"].split(" ")[0] for e in missing) == sorted(
        set(REQUIRED_CODES) - {"1.2", "1.3", "2.1"}
    )
    filled = save(clerk, aid, 2, FULL_ENTRIES)
    assert filled["errors"] == []
    submitted = act(clerk, "submitAssessment", "SubmitAssessmentInput", _v(aid, 3))
    assert submitted["errors"] == []
    assert submitted["assessment"]["state"] == "SUBMITTED"
    assert submitted["assessment"]["late"] is False
    self_total = submitted["assessment"]["selfTotal"]
    # Nothing changes after submission, unless returned.
    frozen = save(clerk, aid, 4, FULL_ENTRIES[:1])
    assert fields_of(frozen) == [("assessmentId", "INVALID_STATE")]

    # The county assessor returns it, with a reason (needed).
    no_reason = act(
        assessor, "returnAssessment", "ReturnAssessmentInput", {**_v(aid, 4), "reason": " "}
    )
    assert fields_of(no_reason) == [("reason", "REQUIRED")]
    returned = act(
        assessor,
        "returnAssessment",
        "ReturnAssessmentInput",
        {**_v(aid, 4), "reason": "1.3 的会议纪要缺少第四季度"},
    )
    assert returned["errors"] == []
    seen = read(clerk, aid)
    assert seen["state"] == "RETURNED"
    assert seen["returnedReason"] == "1.3 的会议纪要缺少第四季度"
    # The clerk cannot review its own unit.
    own = act(clerk, "completeReview", "CompleteReviewInput", _v(aid, 5))
    assert fields_of(own) == [("assessmentId", "PERMISSION_DENIED")]

    resaved = save(clerk, aid, 5, [{"itemCode": "1.3", "done": True, "note": "4 meetings, Q4 too"}])
    assert resaved["errors"] == []
    resubmitted = act(clerk, "submitAssessment", "SubmitAssessmentInput", _v(aid, 6))
    assert resubmitted["assessment"]["state"] == "RESUBMITTED"

    # The assessor confirms everything and adjusts 3.2.1 (a reason is required to adjust).
    confirmed = [
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
        "3.1.1",
        "4.1",
        "4.2",
        "5.1",
        "6.1",
        "6.2",
        "8.1",
        "8.2",
    ]
    reviews: list[dict[str, Any]] = [{"itemCode": code} for code in confirmed]
    unexplained = act(
        assessor,
        "reviewEntries",
        "ReviewEntriesInput",
        {**_v(aid, 7), "reviews": [*reviews, {"itemCode": "3.2.1", "points": "4"}]},
    )
    assert fields_of(unexplained) == [("reviews[13].reason", "REQUIRED")]
    adjusted = act(
        assessor,
        "reviewEntries",
        "ReviewEntriesInput",
        {
            **_v(aid, 7),
            "reviews": [
                *reviews,
                {"itemCode": "3.2.1", "points": "4", "reason": "暗访记录只有2次"},
            ],
        },
    )
    assert adjusted["errors"] == []
    spot = mutate(
        assessor,
        "addSpotCheck",
        "AddSpotCheckInput",
        "spotCheck { id itemCode points finding checkedOn raisedBy { username } } "
        "assessment { version reviewedTotal }",
        {
            "assessmentId": aid,
            "itemCode": "6.1",
            "points": "1.5",
            "finding": "四不两直抽查：宣传栏未更新",
            "checkedOn": "2026-11-03",
        },
    )
    assert spot["errors"] == []
    assert spot["spotCheck"]["itemCode"] == "6.1"
    assert spot["spotCheck"]["points"] == "1.50"
    assert spot["spotCheck"]["raisedBy"] == {"username": "nanhu-office"}
    veto = mutate(
        assessor,
        "raiseVeto",
        "RaiseVetoInput",
        "vetoFlag { id withdrawn reason evidence rule { code } } assessment { vetoed grade }",
        {"assessmentId": aid, "ruleCode": "V2", "reason": "迟报事故", "evidence": "事故报告"},
    )
    assert veto["errors"] == []
    assert veto["assessment"] == {"vetoed": True, "grade": "UNQUALIFIED"}
    withdrawn = mutate(
        assessor,
        "withdrawVeto",
        "WithdrawVetoInput",
        "vetoFlag { withdrawn withdrawnReason } assessment { vetoed version }",
        {"vetoFlagId": veto["vetoFlag"]["id"], "reason": "核实为按时报告"},
    )
    assert withdrawn["errors"] == []
    assert withdrawn["vetoFlag"] == {"withdrawn": True, "withdrawnReason": "核实为按时报告"}
    assert withdrawn["assessment"]["vetoed"] is False
    version = withdrawn["assessment"]["version"]
    completed = act(assessor, "completeReview", "CompleteReviewInput", _v(aid, version))
    assert completed["errors"] == []
    reviewed = completed["assessment"]
    assert reviewed["state"] == "REVIEWED"
    assert reviewed["selfTotal"] == self_total
    assert Decimal(reviewed["gap"]) == Decimal(reviewed["reviewedTotal"]) - Decimal(self_total)
    assert Decimal(reviewed["gap"]) < 0

    # Only the office that opened the cycle publishes the final result.
    not_mine = act(assessor, "finaliseAssessment", "FinaliseAssessmentInput", {"assessmentId": aid})
    assert fields_of(not_mine) == [("assessmentId", "PERMISSION_DENIED")]
    final = act(city, "finaliseAssessment", "FinaliseAssessmentInput", {"assessmentId": aid})
    assert final["errors"] == []
    assert final["assessment"]["state"] == "FINAL"

    # Scorecards: every line explained, the lines add up to the total.
    data = read(
        clerk,
        aid,
        f"{ASSESSMENT} {ENTRIES} self: scorecard(kind: SELF) {{ {SCORECARD} }} "
        f"reviewed: scorecard(kind: REVIEWED) {{ {SCORECARD} }} "
        "spotChecks { itemCode points } vetoes { withdrawn rule { code } }",
    )
    cards = ((data["self"], data["selfTotal"]), (data["reviewed"], data["reviewedTotal"]))
    for card, total in cards:
        assert card["total"] == total
        assert total_of(card["explanation"]) == Decimal(card["total"])
    assert data["reviewed"]["kind"] == "REVIEWED"
    # 3.2.1 adjusted from 6 to 4, 1.5 deducted by the spot check on 6.1.
    earned = Decimal(data["self"]["earned"]) - Decimal(data["reviewed"]["earned"])
    assert earned == Decimal("3.50")
    assert data["grade"] == data["reviewed"]["grade"]
    categories = {c["code"]: c for c in data["reviewed"]["categories"]}
    assert categories["1"]["title"] == "安全生产责任体系"
    entries = {e["indicator"]["code"]: e for e in data["entries"]}
    assert len(entries) == 14
    adjusted_entry = entries["3.2.1"]
    assert adjusted_entry["points"] == "6.00"
    assert adjusted_entry["reviewPoints"] == "4.00"
    assert adjusted_entry["reviewReason"] == "暗访记录只有2次"
    assert adjusted_entry["selfScore"]["points"] == "6.00"
    assert adjusted_entry["reviewedScore"] == {
        "points": "4.00",
        "adjusted": True,
        "explanation": adjusted_entry["reviewedScore"]["explanation"],
    }
    assert any(
        line["text"] == "暗访记录只有2次" for line in adjusted_entry["reviewedScore"]["explanation"]
    )
    for entry in data["entries"]:
        for score in (entry["selfScore"], entry["reviewedScore"]):
            assert total_of(score["explanation"]) == Decimal(score["points"])
    assert entries["2.2"]["counts"] == [{"key": "a", "count": 1}]
    assert entries["1.3"]["attachments"][0]["uploadedBy"] == {"username": "xjd-clerk"}
    assert entries["5.1"]["value"] is None  # no row yet: shown empty, scored in full
    assert data["spotChecks"] == [{"itemCode": "6.1", "points": "1.50"}]
    assert data["vetoes"] == [{"withdrawn": True, "rule": {"code": "V2"}}]

    # The cycle stays open while other units are not final.
    close = mutate(
        city, "closeCycle", "CloseCycleInput", "cycle { state }", {"cycleId": cycle["id"]}
    )
    assert fields_of(close) == [("cycleId", "INVALID_STATE")]

    # A sibling township and another province see nothing of it.
    evidence = entries["1.3"]["attachments"][0]
    for outsider in (people["qixing-clerk"], people["sc-office"]):
        seen = ok(
            outsider.execute(
                "query($a: ID!, $f: ID!, $c: ID!) { a: node(id: $a) { id } f: node(id: $f) { id } "
                "assessments(filter: {cycleId: $c, state: FINAL}) { totalCount } }",
                {"a": aid, "f": evidence["id"], "c": cycle["id"]},
            )
        )
        assert seen == {"a": None, "f": None, "assessments": {"totalCount": 0}}
        assert outsider.http.get(evidence["downloadUrl"]).status_code == 404


def _v(assessment_id: str, version: int) -> dict[str, Any]:
    return {"assessmentId": assessment_id, "expectedVersion": version}


def test_history_says_who_changed_what_from_what_to_what_and_why(world, people, cycle):
    clerk, assessor = people["xjd-clerk"], people["nanhu-office"]
    aid = gid("Assessment", assessment_of(world, cycle["id"], "330402901").id)
    assert save(clerk, aid, 1, FULL_ENTRIES)["errors"] == []
    assert (
        save(clerk, aid, 2, [*FULL_ENTRIES[:4], {"itemCode": "3.2.1", "points": "5"}])["errors"]
        == []
    )
    assert act(clerk, "submitAssessment", "SubmitAssessmentInput", _v(aid, 3))["errors"] == []
    reviewed = act(
        assessor,
        "reviewEntries",
        "ReviewEntriesInput",
        {**_v(aid, 4), "reviews": [{"itemCode": "3.2.1", "points": "3", "reason": "证据不足"}]},
    )
    assert reviewed["errors"] == []
    history = (
        "history(first: 100) { totalCount edges { node { "
        "at actor { username } action itemCode field old new reason } } }"
    )
    events = [e["node"] for e in read(assessor, aid, history)["history"]["edges"]]
    points = [e for e in events if e["itemCode"] == "3.2.1" and e["field"] == "points"]
    assert [(e["actor"], e["old"], e["new"]) for e in points] == [
        ({"username": "xjd-clerk"}, None, "6"),
        ({"username": "xjd-clerk"}, "6", "5"),
    ]
    review = next(e for e in events if e["field"] == "review_points")
    assert (review["actor"], review["old"], review["new"], review["reason"]) == (
        {"username": "nanhu-office"},
        None,
        "3",
        "证据不足",
    )
    states = [(e["old"], e["new"]) for e in events if e["field"] == "state"]
    assert states == [("draft", "submitted")]
    # The clerk reads the same history; the reviewer above it is out of its sight (null).
    seen = [e["node"] for e in read(clerk, aid, history)["history"]["edges"]]
    assert len(seen) == len(events)
    assert next(e for e in seen if e["field"] == "review_points")["actor"] is None
    # Paged forward by cursor.
    first_page = (
        "history(first: 2) { totalCount pageInfo { hasNextPage endCursor } "
        "edges { node { field } } }"
    )
    page = read(assessor, aid, first_page)["history"]
    assert page["totalCount"] == len(events)
    assert page["pageInfo"]["hasNextPage"] is True
    after = page["pageInfo"]["endCursor"]
    next_page = f'history(first: 100, after: "{after}") {{ edges {{ node {{ field }} }} }}'
    rest = read(assessor, aid, next_page)["history"]["edges"]
    assert len(rest) == len(events) - 2


def test_late_submissions_are_marked_and_filterable(world, people):
    template = published_sample(world)
    past = datetime(2020, 1, 31, 16, 0, tzinfo=UTC)
    opened = open_cycle(
        people["jx-office"], template, node(world, "330400", fresh=True), self_due=past
    )
    clerk = people["xjd-clerk"]
    aid = gid("Assessment", assessment_of(world, opened["cycle"]["id"], "330402901").id)
    assert save(clerk, aid, 1, FULL_ENTRIES)["errors"] == []
    submitted = act(clerk, "submitAssessment", "SubmitAssessmentInput", _v(aid, 2))
    assert submitted["assessment"]["late"] is True
    data = ok(
        people["jx-office"].execute(
            "query($c: ID!) { node(id: $c) { ... on Cycle { "
            "late: assessments(filter: {late: true}) "
            "{ totalCount edges { node { unit { code } } } } "
            "submitted: assessments(filter: {state: SUBMITTED}) { totalCount } "
            "stateCounts { state count } } } "
            "top: assessments(filter: {cycleId: $c, late: true, state: SUBMITTED}) "
            "{ totalCount } }",
            {"c": opened["cycle"]["id"]},
        )
    )
    cycle_data = data["node"]
    assert cycle_data["late"]["totalCount"] == 1
    assert cycle_data["late"]["edges"][0]["node"]["unit"] == {"code": "330402901"}
    assert cycle_data["submitted"]["totalCount"] == 1
    assert {"state": "SUBMITTED", "count": 1} in cycle_data["stateCounts"]
    assert data["top"] == {"totalCount": 1}


def test_not_applicable_needs_a_reason_and_the_reviewers_word(world, people, cycle):
    clerk, assessor = people["xjd-clerk"], people["nanhu-office"]
    aid = gid("Assessment", assessment_of(world, cycle["id"], "330402901").id)
    claim = {"itemCode": "4.1", "notApplicable": True}
    assert fields_of(save(clerk, aid, 1, [claim])) == [
        ("entries[0].notApplicableReason", "REQUIRED")
    ]
    claim["notApplicableReason"] = "辖区无专项整治任务"
    entries = [e for e in FULL_ENTRIES if e["itemCode"] != "4.1"] + [claim]
    saved = save(clerk, aid, 1, entries)
    assert saved["errors"] == []
    assert act(clerk, "submitAssessment", "SubmitAssessmentInput", _v(aid, 2))["errors"] == []
    refused = act(
        assessor,
        "reviewEntries",
        "ReviewEntriesInput",
        {**_v(aid, 3), "reviews": [{"itemCode": "4.1", "notApplicableConfirmed": False}]},
    )
    assert fields_of(refused) == [("reviews[0].reason", "REQUIRED")]
    accepted = act(
        assessor,
        "reviewEntries",
        "ReviewEntriesInput",
        {**_v(aid, 3), "reviews": [{"itemCode": "4.1", "notApplicableConfirmed": True}]},
    )
    assert accepted["errors"] == []
    data = read(
        clerk,
        aid,
        "entries { indicator { code } notApplicable notApplicableReason notApplicableConfirmed "
        "reviewedScore { notApplicable points } } "
        "scorecard(kind: REVIEWED) { attainable total normalised }",
    )
    entry = next(e for e in data["entries"] if e["indicator"]["code"] == "4.1")
    assert entry == {
        "indicator": {"code": "4.1"},
        "notApplicable": True,
        "notApplicableReason": "辖区无专项整治任务",
        "notApplicableConfirmed": True,
        "reviewedScore": {"notApplicable": True, "points": "0.00"},
    }
    # 4.1's 10 points leave the attainable total (and the local category's 5, nobody filled).
    assert Decimal(data["scorecard"]["attainable"]) == Decimal(85)


def test_evidence_can_be_removed_by_the_unit_only(world, people, cycle, evidence_dir):
    clerk, assessor = people["xjd-clerk"], people["nanhu-office"]
    aid = gid("Assessment", assessment_of(world, cycle["id"], "330402901").id)
    reply = upload_evidence(clerk, aid, b"minutes", "m.txt", "text/plain")
    attachment = reply.get_json()["data"]["uploadEvidence"]["attachment"]
    remove = ("removeEvidence", "RemoveEvidenceInput", "removedId assessment { id }")
    denied = mutate(assessor, *remove, {"attachmentId": attachment["id"]})
    assert fields_of(denied) == [("attachmentId", "PERMISSION_DENIED")]
    sibling = mutate(people["qixing-clerk"], *remove, {"attachmentId": attachment["id"]})
    assert fields_of(sibling) == [("attachmentId", "NOT_FOUND")]
    removed = mutate(clerk, *remove, {"attachmentId": attachment["id"]})
    assert removed == {"removedId": attachment["id"], "assessment": {"id": aid}, "errors": []}
    assert clerk.http.get(attachment["downloadUrl"]).status_code == 404
    stored = list(evidence_dir.rglob("*"))
    assert not [p for p in stored if p.is_file()]  # the file went with its last row


def test_evidence_is_limited_in_size(world, people, cycle, runtime):
    runtime.settings = runtime.settings.with_(attachment_max_bytes=100)
    clerk = people["xjd-clerk"]
    aid = gid("Assessment", assessment_of(world, cycle["id"], "330402901").id)
    reply = upload_evidence(clerk, aid, b"x" * 101, "m.txt", "text/plain")
    assert fields_of(reply.get_json()["data"]["uploadEvidence"]) == [("file", "TOO_LARGE")]
    # A body far beyond the limit is refused before it is read.
    huge = upload_evidence(clerk, aid, b"x" * (2 * 2**20), "m.txt", "text/plain")
    assert huge.status_code == 413


def test_input_lists_are_capped(world, people, cycle):
    aid = gid("Assessment", assessment_of(world, cycle["id"], "330402901").id)
    entries = [{"itemCode": "1.2", "value": "1"}] * 501
    assert fields_of(save(people["xjd-clerk"], aid, 1, entries)) == [("entries", "TOO_LARGE")]


def test_mutations_without_the_csrf_token_are_refused(world, people, cycle):
    clerk = people["xjd-clerk"]
    aid = gid("Assessment", assessment_of(world, cycle["id"], "330402901").id)
    clerk.csrf_token = None
    result = clerk.execute(
        "mutation($input: SaveEntriesInput!) { saveEntries(input: $input) { "
        f"assessment {{ version }} {ERRORS} }} }}",
        {"input": {"assessmentId": aid, "expectedVersion": 1, "entries": FULL_ENTRIES}},
    )
    assert result["data"] is None
    assert result["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert assessment_of(world, cycle["id"], "330402901").version == 1


def _readme_operations() -> list[str]:
    """The GraphQL of the README's "Assessments API" section: its graphql blocks, and the
    queries inside its curl examples."""
    import json
    import re

    from tests.conftest import REPO

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Assessments API", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```graphql\n(.*?)```", section, flags=re.S)
    blocks += [json.loads(raw)["query"] for raw in re.findall(r"-F operations='(.*?)'", section)]
    return blocks


def test_the_readme_examples_are_valid_against_the_schema():
    from graphql import parse, validate

    from graphql_schema.schema import schema

    operations = _readme_operations()
    assert len(operations) >= 12
    for operation in operations:
        assert validate(schema._schema, parse(operation)) == [], operation


def test_the_readme_template_is_publishable(world, make_gql):
    author = signed_in(make_gql, "zj-office")
    create = next(op for op in _readme_operations() if "createTemplate" in op)
    province = tenant_id(world, "330000")
    created = ok(author.execute(create.replace('"VGVuYW50OjE="', f'"{province}"')))
    payload = created["createTemplate"]
    assert payload["errors"] == []
    assert payload["template"]["problems"] == []
    published = mutate(
        author,
        "publishTemplate",
        "PublishTemplateInput",
        "template { state }",
        {"id": payload["template"]["id"], "expectedVersion": payload["template"]["lockVersion"]},
    )
    assert published == {"template": {"state": "PUBLISHED"}, "errors": []}


def test_a_spot_check_finding_becomes_a_hazard_of_the_unit(world, people, cycle):
    clerk, assessor = people["xjd-clerk"], people["nanhu-office"]
    aid = ok(clerk.execute("{ assessments { edges { node { id } } } }"))["assessments"]["edges"][0][
        "node"
    ]["id"]
    finding = {
        "assessmentId": aid,
        "itemCode": "6.1",
        "points": "1",
        "finding": "四不两直：某仓储企业消防通道堵塞",
        "checkedOn": "2026-11-03",
    }
    selection = "spotCheck { id } assessment { version }"
    bad = mutate(
        assessor,
        "addSpotCheck",
        "AddSpotCheckInput",
        selection,
        {**finding, "hazard": {"sector": "FIRE", "severity": "GENERAL", "deadline": "2026-10-01"}},
    )
    assert fields_of(bad) == [("hazard.deadline", "INVALID")]
    done = mutate(
        assessor,
        "addSpotCheck",
        "AddSpotCheckInput",
        selection,
        {
            **finding,
            "hazard": {
                "sector": "FIRE",
                "severity": "GENERAL",
                "deadline": "2026-11-30",
                "place": "某仓储企业",
            },
        },
    )
    assert done["errors"] == []
    hazards = ok(
        clerk.execute(
            "{ hazards(filter: {source: SPOT_CHECK}) { totalCount edges { node { title place "
            "foundOn deadline state unit { code } spotCheck { id } recordedBy { username } } } } }"
        )
    )["hazards"]
    assert hazards["totalCount"] == 1
    assert hazards["edges"][0]["node"] == {
        "title": "四不两直：某仓储企业消防通道堵塞",
        "place": "某仓储企业",
        "foundOn": "2026-11-03",
        "deadline": "2026-11-30",
        "state": "OPEN",
        "unit": {"code": "330402901"},
        "spotCheck": {"id": done["spotCheck"]["id"]},
        "recordedBy": None,  # the district's assessor is out of a township clerk's sight
    }
    # The refused one saved nothing, its finding neither.
    assert len(read(assessor, aid, "spotChecks { id }")["spotChecks"]) == 1
