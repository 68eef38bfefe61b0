"""Assessment groups (分类考核) through the API: setCycleGroups with its errors as payload data
naming each field, Cycle.groups and Assessment.group, the rankings read group by group, and who
may set them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from redline.db import unit_of_work
from scoring.assessments.models import AssessmentState as S
from scoring.rankings.status import publish_rankings
from tenants.models import TenantLevel
from tests.factories.api import fields_of, gid, mutate, ok, signed_in, tenant_id
from tests.factories.assessments import assessment_of
from tests.factories.rankings import ranking_cycle, set_assessment
from tests.factories.templates import published_template
from tests.factories.tenants import node

STREETS = tuple(f"3304020{n:02d}" for n in range(7, 16))  # 建设街道 .. 七星街道
TOWNS = ("330402100", "330402101", "330402103", "330402105", "330402901")
TOWNS += ("330411101", "330411104", "330411105")
GROUP = "code name gradeExcellent gradeGood gradeQualified commendationQuota units { code }"
CYCLE = f"""
query($id: ID!) {{ node(id: $id) {{ ... on Cycle {{ groups {{ {GROUP} }} }} }} }}
"""
ASSESSMENT = """
query($id: ID!) { node(id: $id) { ... on Assessment { group { code name units { code } } } } }
"""
RANKINGS = """
query($cycle: ID!, $scope: ID!, $group: String) {
  rankings(cycle: $cycle, scope: $scope, level: TOWNSHIP, group: $group) {
    totalCount edges { node { unit { code } rank of position groupCode groupName } }
  }
}
"""


@pytest.fixture
def cycle(world: Session):
    """Jiaxing's township cycle of the sample template, opened, nothing entered yet."""
    with unit_of_work(world):
        template = published_template(world, node(world, "330000"))
        return ranking_cycle(world, template, "330400", TenantLevel.TOWNSHIP)


def _groups(world: Session, **towns: Any) -> list[dict[str, Any]]:
    return [
        {"code": "streets", "name": "城区街道", "unitIds": [tenant_id(world, c) for c in STREETS]},
        {
            "code": "towns",
            "name": "乡镇",
            "unitIds": [tenant_id(world, c) for c in TOWNS],
            "gradeExcellent": "85",
            "gradeGood": "75",
            "gradeQualified": "60",
            "commendationQuota": 1,
        }
        | towns,
    ]


def _set(gql, cycle_id: str, groups: list[dict[str, Any]]) -> dict[str, Any]:
    return mutate(
        gql,
        "setCycleGroups",
        "SetCycleGroupsInput",
        f"cycle {{ groups {{ {GROUP} }} }}",
        {"cycleId": cycle_id, "groups": groups},
    )


def test_the_office_sets_groups_and_the_rankings_read_them(world, sessions, cycle, make_gql):
    office = signed_in(make_gql, "jx-office")
    cycle_id = gid("Cycle", cycle.id)
    done = _set(office, cycle_id, _groups(world))
    assert done["errors"] == []
    groups = done["cycle"]["groups"]
    assert [(g["code"], g["gradeExcellent"], g["commendationQuota"]) for g in groups] == [
        ("streets", None, None),
        ("towns", "85.00", 1),
    ]
    assert [u["code"] for u in groups[1]["units"]] == sorted(TOWNS)
    assert ok(office.execute(CYCLE, {"id": cycle_id}))["node"]["groups"] == groups
    fengqiao = gid("Assessment", assessment_of(world, cycle, "330402100").id)
    group = ok(office.execute(ASSESSMENT, {"id": fengqiao}))["node"]["group"]
    assert (group["code"], len(group["units"])) == ("towns", 8)
    world.rollback()  # the read began before the API's write: start afresh to write

    with unit_of_work(world):
        for code, total in (("330402007", "91"), ("330402008", "88"), ("330402100", "87")):
            set_assessment(world, cycle, code, S.REVIEWED, total, total, "good")
        set_assessment(world, cycle, "330402901", S.REVIEWED, "89", "89", "excellent")
    publish_rankings(sessions, cycle.id, force=True)
    variables = {"cycle": cycle_id, "scope": tenant_id(world, "330400")}
    every = ok(office.execute(RANKINGS, variables))["rankings"]
    assert [
        (e["node"]["unit"]["code"], e["node"]["groupCode"], e["node"]["rank"], e["node"]["of"])
        for e in every["edges"]
    ] == [
        ("330402007", "streets", 1, 2),
        ("330402008", "streets", 2, 2),
        ("330402901", "towns", 1, 2),
        ("330402100", "towns", 2, 2),
    ]
    towns = ok(office.execute(RANKINGS, variables | {"group": "towns"}))["rankings"]
    assert towns["totalCount"] == 2
    assert [e["node"]["groupName"] for e in towns["edges"]] == ["乡镇", "乡镇"]
    assert [e["node"]["position"] for e in towns["edges"]] == [3, 4]


def test_a_bad_split_comes_back_as_errors_naming_each_field(world, cycle, make_gql):
    office = signed_in(make_gql, "jx-office")
    cycle_id = gid("Cycle", cycle.id)
    short = _groups(world)
    short[0]["unitIds"] = short[0]["unitIds"][1:]
    assert fields_of(_set(office, cycle_id, short)) == [("groups", "INVALID")]
    thresholds = _groups(world, gradeGood=None, commendationQuota=-1)
    assert fields_of(_set(office, cycle_id, thresholds)) == [
        ("groups[1].gradeGood", "REQUIRED"),
        ("groups[1].commendationQuota", "INVALID"),
    ]
    foreign = _groups(world)
    foreign[1]["unitIds"] = [*foreign[1]["unitIds"], gid("Tenant", 999_999)]
    assert fields_of(_set(office, cycle_id, foreign)) == [("groups[1].unitIds", "INVALID")]
    assert ok(office.execute(CYCLE, {"id": cycle_id}))["node"]["groups"] == []


def test_only_the_office_running_the_cycle_sets_groups(world, cycle, make_gql):
    district = signed_in(make_gql, "nanhu-office")
    result = _set(district, gid("Cycle", cycle.id), _groups(world))
    assert fields_of(result) == [("cycleId", "PERMISSION_DENIED")]
