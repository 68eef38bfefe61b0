"""The consequences register through the API: a template's policy written, read back and refused
by the field at fault; the register of a closed cycle with its grounds and the day a vetoed
unit's leaders are barred until; nothing for another province."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.assessments.cycles import close_cycle
from scoring.assessments.entries import save_entries, submit
from scoring.assessments.models import Assessment, Cycle
from scoring.assessments.review import (
    ReviewInput,
    complete_review,
    finalise,
    raise_veto,
    review_entries,
)
from scoring.rankings.status import publish_rankings
from scoring.templates.models import RuleSeverity, VetoKind
from tenants.models import TenantNode
from tests.factories.api import (
    TEMPLATE,
    content_input,
    fields_of,
    gid,
    mutate,
    ok,
    signed_in,
    tenant_id,
)
from tests.factories.assessments import full_entries, open_sample_cycle
from tests.factories.templates import (
    INDICATOR_CODES,
    VETO_RULES,
    published_template,
    sample_content,
)
from tests.factories.tenants import actor, node

POLICY = "consequences { commendationQuota criticiseOn interviewOn ineligibleMonths }"
CREATE = ("createTemplate", "CreateTemplateInput", f"template {{ {TEMPLATE} {POLICY} }}")


def _create(gql, world: Session, consequences: dict | None) -> dict:
    content = content_input(sample_content())
    content.pop("consequences")
    if consequences is not None:
        content["consequences"] = consequences
    return mutate(
        gql,
        *CREATE,
        {
            "ownerNodeId": tenant_id(world, "330000"),
            "familyCode": "zj-consequences",
            "familyName": "奖惩规则考核",
            "content": content,
        },
    )


@pytest.fixture
def author(world, make_gql):
    return signed_in(make_gql, "zj-office")


def test_a_template_s_policy_is_written_and_read_back(world, author):
    given = {
        "commendationQuota": 3,
        "criticiseOn": ["VETO", "YELLOW_CARD", "UNQUALIFIED"],
        "interviewOn": ["VETO"],
        "ineligibleMonths": 24,
    }
    created = _create(author, world, given)
    assert created["errors"] == []
    assert created["template"]["consequences"] == given


def test_a_template_without_a_policy_has_the_defaults(world, author):
    created = _create(author, world, None)
    assert created["template"]["consequences"] == {
        "commendationQuota": None,
        "criticiseOn": ["VETO", "UNQUALIFIED"],
        "interviewOn": ["VETO", "YELLOW_CARD"],
        "ineligibleMonths": 12,
    }


def test_a_bad_policy_is_refused_by_its_fields(world, author):
    result = _create(author, world, {"commendationQuota": 0, "ineligibleMonths": 121})
    assert result["template"] is None
    assert set(fields_of(result)) == {
        ("content.consequences.commendationQuota", "INVALID"),
        ("content.consequences.ineligibleMonths", "INVALID"),
    }


REGISTER = """
query($cycle: ID!, $scope: ID!) {
  consequenceRegister(cycle: $cycle, scope: $scope) {
    final decidedOn snapshot { version provisional }
    policy { commendationQuota interviewOn ineligibleMonths }
    units {
      entry { rank unit { code } }
      consequences { kind ineligibleUntil grounds { kind text } }
    }
  }
}
"""


@pytest.fixture
def closed(world: Session, sessions) -> Cycle:
    """Nanhu's township cycle, every town final at 91 (excellent) but 湘家荡 (vetoed) and 七星
    (yellow-carded), ranked and closed; its template lets a late veto reopen it for 3 years."""
    rules = (*VETO_RULES, ("Y1", "通报批评", VetoKind.MANUAL, RuleSeverity.YELLOW_CARD))
    template = published_template(world, node(world, "330000"), veto_rules=rules)
    template.consequences = {"retroactive_years": 3}
    cycle = open_sample_cycle(world, template=template)
    world.commit()
    office = actor(world, "nanhu-office")
    units = world.execute(
        select(Assessment, TenantNode.code)
        .join(TenantNode, TenantNode.id == Assessment.node_id)
        .where(Assessment.cycle_id == cycle.id)
    ).all()
    for unit, code in units:
        save_entries(world, None, unit, full_entries(), expected_version=1)
        submit(world, None, unit, expected_version=unit.version)
        review_entries(
            world,
            office,
            unit,
            [ReviewInput(c) for c in INDICATOR_CODES],
            expected_version=unit.version,
        )
        if code == "330402901":
            raise_veto(world, office, unit, rule_code="V1", reason="较大事故")
        if code == "330402015":
            raise_veto(world, office, unit, rule_code="Y1", reason="通报批评")
        complete_review(world, office, unit, expected_version=unit.version)
        finalise(world, None, unit, now=datetime(2027, 3, 1, tzinfo=UTC))
    world.commit()
    publish_rankings(sessions, cycle.id, force=True)
    close_cycle(world, None, cycle, now=datetime(2027, 3, 31, 2, 0, tzinfo=UTC))
    world.commit()
    return cycle


def test_a_closed_cycle_s_register_through_the_api(world: Session, closed: Cycle, make_gql):
    cycle = closed
    units = world.scalars(select(Assessment).where(Assessment.cycle_id == cycle.id)).all()
    asked = {"cycle": gid("Cycle", cycle.id), "scope": tenant_id(world, "330402")}
    register = ok(signed_in(make_gql, "nanhu-office").execute(REGISTER, asked))
    found = register["consequenceRegister"]
    assert found["final"] and found["decidedOn"] == "2027-03-31"
    assert found["policy"] == {
        "commendationQuota": None,
        "interviewOn": ["VETO", "YELLOW_CARD"],
        "ineligibleMonths": 12,
    }
    by_unit = {u["entry"]["unit"]["code"]: u["consequences"] for u in found["units"]}
    vetoed = by_unit["330402901"]
    assert [c["kind"] for c in vetoed] == ["CRITICISM", "INTERVIEW", "INELIGIBILITY"]
    assert vetoed[-1]["ineligibleUntil"] == "2028-03-30"
    [ground] = vetoed[0]["grounds"]
    assert ground["kind"] == "veto" and "较大事故" in ground["text"]
    assert [c["kind"] for c in by_unit["330402015"]] == ["INTERVIEW"]
    # Every other town scored 91 (excellent) and is commended: the default has no quota.
    commended = {code for code, found in by_unit.items() if found[0]["kind"] == "COMMENDATION"}
    assert len(commended) == len(units) - 2

    # Another province sees no such cycle.
    other = signed_in(make_gql, "sc-office").execute(REGISTER, asked)
    assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND"


LATE_VETO = """
mutation($input: RaiseVetoInput!) {
  raiseRetroactiveVeto(input: $input) {
    vetoFlag { rule { code } reason }
    assessment { state vetoed grade }
    errors { field message code }
  }
}
"""
CHANGES = """
query($cycle: ID!, $scope: ID!, $from: Int!) {
  rankingVersions(cycle: $cycle) { version provisional rowsKept }
  rankingChanges(cycle: $cycle, scope: $scope, level: TOWNSHIP, fromVersion: $from) {
    from { version } to { version }
    changes { unit { code } before { rank } after { rank vetoed } rankChange
              vetoesAdded { rule reason } commendationWithdrawn commendationGranted }
  }
}
"""


def test_a_late_veto_through_the_api_and_what_it_changed(
    world: Session, sessions, closed: Cycle, make_gql
):
    # 建设街道 (330402007) is commended: every excellent unit is, the default has no quota.
    target = world.scalars(
        select(Assessment)
        .join(TenantNode, TenantNode.id == Assessment.node_id)
        .where(Assessment.cycle_id == closed.id, TenantNode.code == "330402007")
    ).one()
    asked = {
        "assessmentId": gid("Assessment", target.id),
        "ruleCode": "V2",
        "reason": "查实瞒报事故一起",
        "evidence": "事故调查报告",
    }
    # A neighbouring town's clerk does not even see the assessment; Nanhu's office ran the cycle.
    refused = signed_in(make_gql, "xjd-clerk").execute(LATE_VETO, {"input": asked})
    assert fields_of(refused["data"]["raiseRetroactiveVeto"]) == [("assessmentId", "NOT_FOUND")]
    done = ok(signed_in(make_gql, "nanhu-office").execute(LATE_VETO, {"input": asked}))
    payload = done["raiseRetroactiveVeto"]
    assert payload["errors"] == [] and payload["vetoFlag"]["rule"]["code"] == "V2"
    assert payload["assessment"] == {"state": "FINAL", "vetoed": True, "grade": "UNQUALIFIED"}
    publish_rankings(sessions, closed.id, force=True)

    reader = signed_in(make_gql, "nanhu-office")
    variables = {"cycle": gid("Cycle", closed.id), "scope": tenant_id(world, "330402"), "from": 1}
    found = ok(reader.execute(CHANGES, variables))
    assert [v["version"] for v in found["rankingVersions"]] == [2, 1]
    changes = found["rankingChanges"]
    assert (changes["from"]["version"], changes["to"]["version"]) == (1, 2)
    [jianshe] = [c for c in changes["changes"] if c["unit"]["code"] == "330402007"]
    assert jianshe["after"]["vetoed"] and jianshe["commendationWithdrawn"]
    assert jianshe["vetoesAdded"] == [{"rule": "V2", "reason": "查实瞒报事故一起"}]
    assert jianshe["rankChange"] < 0
    unknown = reader.execute(CHANGES, {**variables, "from": 7})
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"
