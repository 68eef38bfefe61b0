"""Yellow cards through the API: a template's yellow card rules written, refused by the field
at fault, round-tripped through Excel; raised on an assessment, on its scorecard, flagged in the
ranking and left off the commendation candidates."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.orm import Session

from scoring.assessments.entries import save_entries, submit
from scoring.rankings.status import publish_rankings
from scoring.templates.document import VetoRuleInput
from scoring.templates.excel import import_template
from scoring.templates.models import RuleSeverity, VetoKind
from tests.factories.api import (
    TEMPLATE,
    XLSX,
    content_input,
    fields_of,
    gid,
    mutate,
    ok,
    signed_in,
    tenant_id,
)
from tests.factories.assessments import assessment_of, full_entries, open_sample_cycle
from tests.factories.templates import VETO_RULES, published_template, sample_content
from tests.factories.tenants import node

YELLOW_RULES = (
    VetoRuleInput("Y5", "通报批评", "省安委会通报批评", VetoKind.MANUAL, RuleSeverity.YELLOW_CARD),
    VetoRuleInput(
        "Y6", "死亡2人以上一般事故", "", VetoKind.ACCIDENT_DEATHS, RuleSeverity.YELLOW_CARD, 2
    ),
    VetoRuleInput("V9", "连续两年黄牌", "", VetoKind.REPEATED_YELLOW_CARD),
)
CREATE = ("createTemplate", "CreateTemplateInput", f"template {{ {TEMPLATE} }}")


def _content(*rules: VetoRuleInput) -> dict:
    content = sample_content()
    return content_input(replace(content, veto_rules=content.veto_rules + rules))


def _create(gql, world: Session, content: dict) -> dict:
    return mutate(
        gql,
        *CREATE,
        {
            "ownerNodeId": tenant_id(world, "330000"),
            "familyCode": "zj-yellow",
            "familyName": "黄牌警告考核",
            "content": content,
        },
    )


@pytest.fixture
def author(world, make_gql):
    return signed_in(make_gql, "zj-office")


def test_yellow_card_rules_are_written_read_and_kept_through_excel(world, author):
    created = _create(author, world, _content(*YELLOW_RULES))
    assert created["errors"] == []
    rules = created["template"]["vetoRules"]
    assert [(r["code"], r["kind"], r["severity"], r["threshold"]) for r in rules[-3:]] == [
        ("Y5", "MANUAL", "YELLOW_CARD", None),
        ("Y6", "ACCIDENT_DEATHS", "YELLOW_CARD", 2),
        ("V9", "REPEATED_YELLOW_CARD", "VETO", None),
    ]
    exported = author.http.get(created["template"]["excelUrl"])
    assert exported.status_code == 200 and exported.mimetype == XLSX
    kept = import_template(exported.data).veto_rules
    assert kept == sample_content().veto_rules + YELLOW_RULES


def test_a_bad_yellow_card_rule_is_refused_by_its_field(world, author):
    content = _content(
        VetoRuleInput("Y2", "死亡事故", "", VetoKind.ACCIDENT_DEATHS, RuleSeverity.YELLOW_CARD),
        VetoRuleInput("Y3", "通报", "", VetoKind.MANUAL, RuleSeverity.YELLOW_CARD, 3),
        VetoRuleInput(
            "V9", "连续黄牌", "", VetoKind.REPEATED_YELLOW_CARD, RuleSeverity.YELLOW_CARD
        ),
        VetoRuleInput("Y4", "逾期任务", "", VetoKind.OVERDUE_TASKS, RuleSeverity.YELLOW_CARD, 0),
    )
    first = len(sample_content().veto_rules)
    result = _create(author, world, content)
    assert result["template"] is None
    assert set(fields_of(result)) == {
        (f"content.vetoRules[{first}].threshold", "REQUIRED"),
        (f"content.vetoRules[{first + 1}].threshold", "INVALID"),
        (f"content.vetoRules[{first + 2}].severity", "INVALID"),
        (f"content.vetoRules[{first + 3}].threshold", "INVALID"),
    }
    messages = {e["field"]: e["message"] for e in result["errors"]}
    assert "give the threshold" in messages[f"content.vetoRules[{first}].threshold"]
    assert "make the rule a veto" in messages[f"content.vetoRules[{first + 2}].severity"]


RANKED = """
query($cycle: ID!, $scope: ID!) {
  rankings(cycle: $cycle, scope: $scope, level: TOWNSHIP, first: 10) {
    edges { node { rank vetoed unit { code } yellowCards { rule title reason evidence } } }
  }
  commendationCandidates(cycle: $cycle, scope: $scope, level: TOWNSHIP) {
    units { entry { unit { code } } }
  }
  criticismList(cycle: $cycle, scope: $scope, level: TOWNSHIP) {
    units { entry { unit { code } } reasons { kind text } }
  }
}
"""


def test_a_raised_yellow_card_shows_on_the_scorecard_and_in_the_ranking(
    world: Session, sessions, app, make_gql
):
    rules = (*VETO_RULES, ("Y1", "通报批评", VetoKind.MANUAL, RuleSeverity.YELLOW_CARD))
    template = published_template(world, node(world, "330000"), veto_rules=rules)
    cycle = open_sample_cycle(world, template=template)
    world.commit()
    xjd = assessment_of(world, cycle, "330402901")
    for code in ("330402901", "330402015"):
        unit = assessment_of(world, cycle, code)
        save_entries(world, None, unit, full_entries(), expected_version=1)
        submit(world, None, unit, expected_version=unit.version)
    world.commit()
    office = signed_in(make_gql, "nanhu-office")
    raised = mutate(
        office,
        "raiseVeto",
        "RaiseVetoInput",
        "vetoFlag { rule { code severity } } assessment { vetoed grade yellowCards "
        "scorecard(kind: REVIEWED) { total yellowCards { rule reason evidence } "
        "explanation { rule text points } } }",
        {
            "assessmentId": gid("Assessment", xjd.id),
            "ruleCode": "Y1",
            "reason": "通报批评",
            "evidence": "省安委办通报第3号",
        },
    )
    assert raised["errors"] == []
    assert raised["vetoFlag"]["rule"] == {"code": "Y1", "severity": "YELLOW_CARD"}
    assessment = raised["assessment"]
    assert (assessment["vetoed"], assessment["grade"], assessment["yellowCards"]) == (
        False,
        "EXCELLENT",
        1,
    )
    card = assessment["scorecard"]
    assert card["yellowCards"] == [
        {"rule": "Y1", "reason": "通报批评", "evidence": "省安委办通报第3号"}
    ]
    [line] = [line for line in card["explanation"] if line["rule"] == "yellow card"]
    assert line["points"] == "0.00" and "通报批评" in line["text"]

    publish_rankings(sessions, cycle.id, force=True)
    data = ok(
        office.execute(
            RANKED,
            {"cycle": gid("Cycle", cycle.id), "scope": gid("Tenant", node(world, "330402").id)},
        )
    )
    entries = {e["node"]["unit"]["code"]: e["node"] for e in data["rankings"]["edges"]}
    # Equal totals share rank 1: the yellow card moved nobody.
    assert (entries["330402901"]["rank"], entries["330402015"]["rank"]) == (1, 1)
    assert entries["330402901"]["yellowCards"] == [
        {"rule": "Y1", "title": "通报批评", "reason": "通报批评", "evidence": "省安委办通报第3号"}
    ]
    assert entries["330402015"]["yellowCards"] == []
    candidates = data["commendationCandidates"]["units"]
    assert [u["entry"]["unit"]["code"] for u in candidates] == ["330402015"]
    criticised = {u["entry"]["unit"]["code"]: u["reasons"] for u in data["criticismList"]["units"]}
    assert criticised["330402901"] == [
        {"kind": "yellow_card", "text": "Yellow card: 通报批评: 通报批评"}
    ]
