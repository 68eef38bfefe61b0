"""Appeals through the API: the window set by the cycle's office, an appeal filed with evidence
by the unit, decided by its assessor; finalising refused while it waits; out of sight for
another province."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from redline.db import unit_of_work
from redline.outbox import OutboxMessage
from scoring.assessments.entries import save_entries, submit
from scoring.assessments.review import ReviewInput, complete_review, review_entries
from scoring.followup.appeal_notices import APPEAL_NOTICE_ACTOR, AppealEvent, write_notice
from scoring.templates.models import ItemKind, TemplateItem
from tests.factories.api import (
    FULL_ENTRIES,
    PDF,
    fields_of,
    gid,
    mutate,
    ok,
    open_cycle,
    signed_in,
    upload,
)
from tests.factories.assessments import assessment_of, entry_inputs
from tests.factories.templates import published_sample
from tests.factories.tenants import actor, node

APPEAL = """
id state reason itemCode pointsBefore pointsAfter decisionReason
filedBy { username } decidedBy { username } evidence { filename }
"""
FILE_APPEAL = f"appeal {{ {APPEAL} }} assessment {{ state reviewedTotal }}"
UPLOAD = """
mutation($input: UploadAppealEvidenceInput!) {
  uploadAppealEvidence(input: $input) { attachment { filename } errors { field message code } }
}
"""
SOON = datetime.now(UTC) + timedelta(days=7)


@pytest.fixture
def people(world, make_gql):
    return {
        name: signed_in(make_gql, name)
        for name in ("jx-office", "xjd-clerk", "nanhu-office", "sc-office")
    }


@pytest.fixture
def reviewed(world, people) -> dict[str, Any]:
    """A Jiaxing township cycle taking appeals for a week; Xiangjiadang reviewed in it, 6.1
    (4 points) cut to 0."""
    template = published_sample(world)
    opened = open_cycle(
        people["jx-office"],
        template,
        node(world, "330400", fresh=True),
        appealDue=SOON.isoformat(),
    )
    assert opened["errors"] == []
    xjd = assessment_of(world, opened["cycle"]["id"], "330402901")
    with unit_of_work(world):
        clerk, office = actor(world, "xjd-clerk"), actor(world, "nanhu-office")
        save_entries(world, clerk, xjd, entry_inputs(FULL_ENTRIES), expected_version=1)
        submit(world, clerk, xjd, expected_version=xjd.version)
        codes = world.scalars(
            select(TemplateItem.code)
            .where(TemplateItem.template_id == template.id, TemplateItem.kind == ItemKind.INDICATOR)
            .order_by(TemplateItem.position)
        )
        reviews = [
            ReviewInput(c, points=Decimal(0), reason="no photos") if c == "6.1" else ReviewInput(c)
            for c in codes
        ]
        review_entries(world, office, xjd, reviews, expected_version=xjd.version)
        complete_review(world, office, xjd, expected_version=xjd.version)
    return {"cycle": opened["cycle"]["id"], "assessment": gid("Assessment", xjd.id)}


def _notices(client, sessions) -> list[tuple[str, str]]:
    """The kinds and the start of the titles of the client's appeal notices, once the job of
    each notice the requests asked for has run (no worker runs here: it is run in place)."""
    with sessions() as system, unit_of_work(system):
        asked = system.scalars(
            select(OutboxMessage).where(OutboxMessage.actor_name == APPEAL_NOTICE_ACTOR)
        )
        for message in asked:
            write_notice(system, message.args[0], AppealEvent(message.args[1]))
    data = ok(client.execute("{ notifications(first: 20) { edges { node { kind title } } } }"))
    return [
        (n["node"]["kind"], n["node"]["title"][: len("Appeal to decide: 湘家荡区域 on 6.1")])
        for n in data["notifications"]["edges"]
        if n["node"]["kind"].startswith("APPEAL")
    ]


def test_an_appeal_from_filing_to_decision(world, people, reviewed, sessions):
    aid = reviewed["assessment"]
    clerk, office, city = people["xjd-clerk"], people["nanhu-office"], people["jx-office"]
    cycle = ok(
        city.execute(
            "query($id: ID!) { node(id: $id) { ... on Cycle { appealDue } } }",
            {"id": reviewed["cycle"]},
        )
    )["node"]
    assert cycle["appealDue"] is not None
    filed = mutate(
        clerk,
        "fileAppeal",
        "FileAppealInput",
        FILE_APPEAL,
        {"assessmentId": aid, "itemCode": "6.1", "reason": "signed on 3 Nov: see the scan"},
    )
    assert filed["errors"] == []
    appeal = filed["appeal"]
    assert (appeal["state"], appeal["pointsBefore"], appeal["filedBy"]) == (
        "OPEN",
        "0.00",
        {"username": "xjd-clerk"},
    )
    sent = upload(
        clerk,
        UPLOAD,
        {"input": {"appealId": appeal["id"], "file": None}},
        "input.file",
        PDF,
        "签字页.pdf",
        "application/pdf",
    ).get_json()["data"]["uploadAppealEvidence"]
    assert sent["errors"] == [] and sent["attachment"]["filename"] == "签字页.pdf"

    # The reviewing unit is told it has an appeal to decide.
    assert _notices(office, sessions) == [("APPEAL_FILED", "Appeal to decide: 湘家荡区域 on 6.1")]

    # The office cannot finalise while it waits; the reason says so.
    refused = mutate(
        city,
        "finaliseAssessment",
        "FinaliseAssessmentInput",
        "assessment { state }",
        {"assessmentId": aid},
    )
    assert fields_of(refused) == [("assessmentId", "INVALID_STATE")]
    assert "waits for a decision" in refused["errors"][0]["message"]

    # The unit's evidence of the appeal is the appeal's, not the entry's.
    read = ok(
        office.execute(
            "query($id: ID!) { node(id: $id) { ... on Assessment { "
            f"appeals {{ {APPEAL} }} entries {{ indicator {{ code }} attachments {{ filename }} }}"
            " } } }",
            {"id": aid},
        )
    )["node"]
    assert [e["filename"] for e in read["appeals"][0]["evidence"]] == ["签字页.pdf"]
    assert all(e["attachments"] == [] for e in read["entries"] if e["indicator"]["code"] == "6.1")

    missing = mutate(
        office,
        "decideAppeal",
        "DecideAppealInput",
        f"appeal {{ {APPEAL} }}",
        {"appealId": appeal["id"], "accept": True, "reason": "signed lists seen"},
    )
    assert fields_of(missing) == [("points", "REQUIRED")]
    decided = mutate(
        office,
        "decideAppeal",
        "DecideAppealInput",
        f"appeal {{ {APPEAL} }} assessment {{ reviewedTotal }}",
        {"appealId": appeal["id"], "accept": True, "points": "4", "reason": "photos seen"},
    )
    assert decided["errors"] == []
    assert (decided["appeal"]["state"], decided["appeal"]["pointsAfter"]) == ("ACCEPTED", "4.00")
    assert decided["appeal"]["decidedBy"] == {"username": "nanhu-office"}
    before = filed["assessment"]["reviewedTotal"]
    # 6.1's 4 points back (scaled, as some indicators are not applicable to the unit).
    assert Decimal(decided["assessment"]["reviewedTotal"]) > Decimal(before)

    assert _notices(clerk, sessions)[0][0] == "APPEAL_DECIDED"

    # Still the window: the office may close it early (nothing waits any more), then finalise.
    closed = mutate(
        city,
        "setAppealWindow",
        "SetAppealWindowInput",
        "cycle { appealDue }",
        {"cycleId": reviewed["cycle"], "appealDue": None},
    )
    assert closed["errors"] == [] and closed["cycle"]["appealDue"] is None
    final = mutate(
        city,
        "finaliseAssessment",
        "FinaliseAssessmentInput",
        "assessment { state }",
        {"assessmentId": aid},
    )
    assert final["errors"] == [] and final["assessment"]["state"] == "FINAL"


def test_refusals_name_their_field(world, people, reviewed):
    aid = reviewed["assessment"]
    clerk, office = people["xjd-clerk"], people["nanhu-office"]
    blank = mutate(
        clerk,
        "fileAppeal",
        "FileAppealInput",
        FILE_APPEAL,
        {"assessmentId": aid, "itemCode": "9.9", "reason": " "},
    )
    assert fields_of(blank) == [("itemCode", "NOT_FOUND"), ("reason", "REQUIRED")]
    by_reviewer = mutate(
        office,
        "fileAppeal",
        "FileAppealInput",
        FILE_APPEAL,
        {"assessmentId": aid, "itemCode": "6.1", "reason": "x"},
    )
    assert fields_of(by_reviewer) == [("assessmentId", "PERMISSION_DENIED")]
    naive = mutate(
        people["jx-office"],
        "setAppealWindow",
        "SetAppealWindowInput",
        "cycle { appealDue }",
        {"cycleId": reviewed["cycle"], "appealDue": "2027-01-01T00:00:00"},
    )
    assert fields_of(naive) == [("appealDue", "INVALID")]


def test_another_province_sees_no_appeal(world, people, reviewed):
    filed = mutate(
        people["xjd-clerk"],
        "fileAppeal",
        "FileAppealInput",
        FILE_APPEAL,
        {"assessmentId": reviewed["assessment"], "itemCode": "6.1", "reason": "signed"},
    )
    outsider = people["sc-office"]
    seen = ok(
        outsider.execute("query($id: ID!) { node(id: $id) { id } }", {"id": filed["appeal"]["id"]})
    )
    assert seen["node"] is None
    decided = mutate(
        outsider,
        "decideAppeal",
        "DecideAppealInput",
        "appeal { id }",
        {"appealId": filed["appeal"]["id"], "accept": False, "reason": "no"},
    )
    assert fields_of(decided) == [("appealId", "NOT_FOUND")]
