"""The ranking report's changes since an earlier version of the cycle's rankings, printed on both
backends: none for the first version (a line says so), "no change" for a cycle published twice
unchanged, and for a unit vetoed between two publications the unit with the veto's rule and
reason, its commendation withdrawn, the units that moved past it and the one commended instead;
an earlier version chosen by compareWithVersion (another report than the default's), and one
that is not an earlier version with rows refused naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.relay import GlobalID

from redline.db import writer_sessions
from scoring.assessments.entries import EntryInput, save_entries, submit
from scoring.assessments.models import Cycle
from scoring.assessments.review import ReviewInput, complete_review, raise_veto, review_entries
from scoring.engine.consequences import ConsequencePolicy, Trigger
from scoring.evidence import FolderStore
from scoring.jobs.printing import run_report
from scoring.rankings.models import RankingSnapshot
from scoring.rankings.status import publish_rankings
from scoring.templates.models import RuleSeverity, VetoKind
from tests.factories.api import ERRORS, GraphQLClient, gid, ok, signed_in
from tests.factories.assessments import assessment_of, full_entries, open_sample_cycle
from tests.factories.pdf import page_image, pdf_lines, pdf_text
from tests.factories.templates import INDICATOR_CODES, VETO_RULES, published_template
from tests.factories.tenants import actor, node

XJD, QIXING, JIANSHE = "330402901", "330402015", "330402007"
WANGJIANGJING = "330411101"
UNITS = (XJD, QIXING, JIANSHE, WANGJIANGJING)
POLICY = ConsequencePolicy(
    commendation_quota=1,
    criticise_on=frozenset({Trigger.VETO, Trigger.UNQUALIFIED}),
    interview_on=frozenset({Trigger.VETO, Trigger.YELLOW_CARD}),
    ineligible_months=12,
)
FLAGGED = {XJD: [("Y1", "台账造假")], JIANSHE: [("V1", "3人死亡")]}
RULES = (*VETO_RULES, ("Y1", "通报批评 Criticised", VetoKind.MANUAL, RuleSeverity.YELLOW_CARD))
PRINT = f"""
mutation($input: PrintRankingReportInput!) {{
  printRankingReport(input: $input) {{
    report {{ id filename downloadUrl compareWithVersion jobRun {{ id state }} }} {ERRORS}
  }}
}}
"""
REPORT = """
query($id: ID!) {
  node(id: $id) { ... on Report { id filename downloadUrl jobRun { state error } } }
}
"""


@pytest.fixture
def cycle(world: Session, sessions) -> Cycle:
    """Jiaxing's township cycle over four towns, every one reviewed and ranked (v1): 王江泾 92
    (the best, commended: the quota is one), the others 91; 湘家荡 yellow-carded, 建设 vetoed."""
    template = published_template(world, node(world, "330000"), veto_rules=RULES)
    template.consequences = POLICY.document()
    cycle = open_sample_cycle(world, owner_code="330400", template=template, units=UNITS)
    world.commit()
    office = actor(world, "jx-office")
    for code in UNITS:
        assessment = assessment_of(world, cycle, code)
        more = {"eB_1": EntryInput("B.1", points=Decimal(3))} if code == WANGJIANGJING else {}
        save_entries(world, None, assessment, full_entries(**more), expected_version=1)
        submit(world, None, assessment, expected_version=assessment.version)
        reviewed = [ReviewInput(indicator) for indicator in INDICATOR_CODES]
        review_entries(world, office, assessment, reviewed, expected_version=assessment.version)
        for rule, reason in FLAGGED.get(code, ()):
            raise_veto(world, office, assessment, rule_code=rule, reason=reason)
        complete_review(world, office, assessment, expected_version=assessment.version)
        world.commit()
    _publish(world, sessions, cycle)
    return cycle


def _publish(world: Session, sessions, cycle: Cycle) -> int:
    version = publish_rankings(sessions, cycle.id, force=True).version
    world.rollback()
    return version


def _prune(world: Session, cycle: Cycle, version: int) -> None:
    """The version's rows dropped, as for a provisional version past the newest three."""
    snapshot = world.scalars(
        select(RankingSnapshot).where(
            RankingSnapshot.cycle_id == cycle.id, RankingSnapshot.version == version
        )
    ).one()
    snapshot.rows_pruned = True
    world.commit()


def _ask(client: GraphQLClient, cycle: Cycle, **more) -> dict:
    input_ = {
        "cycleId": gid("Cycle", cycle.id),
        "scopeId": gid("Tenant", cycle.owner_node_id),
        "level": "TOWNSHIP",
        **more,
    }
    return ok(client.execute(PRINT, {"input": input_}))["printRankingReport"]


def _printed(client: GraphQLClient, payload: dict, sessions, runtime) -> tuple[str, bytes]:
    """Run the payload's REPORT job as the worker would; the file's name and bytes."""
    assert payload["errors"] == [], payload
    report = payload["report"]
    store = FolderStore(runtime.settings.attachment_dir)
    run_report(
        writer_sessions(sessions), int(GlobalID.from_id(report["jobRun"]["id"]).node_id), store
    )
    node_ = ok(client.execute(REPORT, {"id": report["id"]}))["node"]
    assert node_["jobRun"]["state"] == "SUCCEEDED", node_
    response = client.http.get(node_["downloadUrl"])
    assert response.status_code == 200 and response.data[:5] == b"%PDF-"
    return node_["filename"], response.data


def _print(client: GraphQLClient, cycle: Cycle, sessions, runtime, **more) -> tuple[str, bytes]:
    return _printed(client, _ask(client, cycle, **more), sessions, runtime)


def _line_of(lines: list[str], code: str) -> str:
    [line] = [line for line in lines if line.startswith(code)]
    return line


def test_the_first_version_has_nothing_to_compare_with_and_says_so(
    world: Session, cycle: Cycle, make_gql, sessions, runtime
):
    client = signed_in(make_gql, "jx-office")
    _, pdf = _print(client, cycle, sessions, runtime)
    text = pdf_text(pdf)
    assert "这是本周期排名的第一个版本，没有可比较的上一版本。" in text
    assert "相比的变化" not in text and "比较版本" not in text
    _, pdf = _print(client, cycle, sessions, runtime, language="EN")
    assert "first version of the rankings".replace(" ", "") in pdf_text(pdf)


def test_a_cycle_published_twice_unchanged_reports_no_change(
    world: Session, cycle: Cycle, make_gql, sessions, runtime
):
    assert _publish(world, sessions, cycle) == 2
    client = signed_in(make_gql, "jx-office")
    _, pdf = _print(client, cycle, sessions, runtime)
    text = pdf_text(pdf)
    assert "比较版本v2与v1相比" in text
    assert "与上一版本（v1）相比的变化" in text and "与上一版本相比没有变化。" in text
    assert "变化原因" not in text  # no table
    _, pdf = _print(client, cycle, sessions, runtime, language="EN")
    text = pdf_text(pdf)
    assert "Comparedv2withv1" in text
    assert "Changessinceversion1" in text and "Nochangesincethepreviousversion." in text


def test_a_unit_vetoed_between_publications_is_listed_with_the_veto_and_who_moved(
    world: Session, cycle: Cycle, make_gql, sessions, runtime
):
    office = actor(world, "jx-office")
    best = assessment_of(world, cycle, WANGJIANGJING)
    raise_veto(world, office, best, rule_code="V2", reason="7月瞒报事故一起")
    world.commit()
    assert _publish(world, sessions, cycle) == 2
    client = signed_in(make_gql, "jx-office")
    filename, pdf = _print(client, cycle, sessions, runtime)
    assert filename == f"ranking-report-{cycle.id}-330400-township-zh.pdf"
    text, lines = pdf_text(pdf), pdf_lines(pdf)
    assert "与上一版本（v1）相比的变化" in text and "没有变化" not in text
    # The best town, vetoed, falls behind the two towns tied at 91 that move up a place; 建设
    # (vetoed before, 91) stays fourth: not listed.
    vetoed = _line_of(lines, WANGJIANGJING)
    assert "王江泾镇" in vetoed and "1→3↓2" in vetoed and "92.00→92.00" in vetoed
    assert "优秀→不合格" in vetoed and vetoed.endswith("撤销表扬")
    assert "新增一票否决：瞒报事故Aconcealedorlate-reportedaccident：7月瞒报事故一起" in text
    assert "2→1↑1" in _line_of(lines, QIXING) and _line_of(lines, QIXING).endswith("新增表扬")
    assert "2→1↑1" in _line_of(lines, XJD)  # tied with 七星 at 91
    assert text.count("因其他单位变化") == 2
    assert not any(line.startswith(JIANSHE) for line in lines[lines.index(vetoed) :])
    # The section follows the league table, on the second page.
    page_image(pdf, f"ranking-changes-zh-{world.get_bind().dialect.name}", page=2)

    _, pdf = _print(client, cycle, sessions, runtime, language="EN")
    text = pdf_text(pdf)
    assert "Changessinceversion1" in text and "Comparedv2withv1" in text
    assert "Vetoed:瞒报事故Aconcealedorlate-reportedaccident:7月瞒报事故一起" in text
    assert "Withdrawn" in text and "Granted" in text and "othersmoved" in text


def test_an_earlier_version_is_chosen_by_compare_with_version_and_is_another_report(
    world: Session, cycle: Cycle, make_gql, sessions, runtime
):
    raise_veto(
        world,
        actor(world, "jx-office"),
        assessment_of(world, cycle, WANGJIANGJING),
        rule_code="V2",
        reason="7月瞒报事故一起",
    )
    world.commit()
    _publish(world, sessions, cycle)
    assert _publish(world, sessions, cycle) == 3
    client = signed_in(make_gql, "jx-office")
    # By default v3 against v2: nothing changed.
    default = _ask(client, cycle)
    against_v1 = _ask(client, cycle, compareWithVersion=1)
    assert against_v1["report"]["id"] != default["report"]["id"]
    assert (
        against_v1["report"]["compareWithVersion"],
        default["report"]["compareWithVersion"],
    ) == (
        1,
        None,
    )
    # Asked again while printing: the same report, each of them.
    assert _ask(client, cycle, compareWithVersion=1)["report"]["id"] == against_v1["report"]["id"]
    assert _ask(client, cycle)["report"]["id"] == default["report"]["id"]
    assert "与上一版本相比没有变化。" in pdf_text(_printed(client, default, sessions, runtime)[1])
    filename, pdf = _printed(client, against_v1, sessions, runtime)
    assert filename == f"ranking-report-{cycle.id}-330400-township-since-v1-zh.pdf"
    text = pdf_text(pdf)
    assert "比较版本v3与v1相比" in text and "与v1相比的变化" in text
    assert "1→3↓2" in _line_of(pdf_lines(pdf), WANGJIANGJING)


def test_compare_with_version_is_refused_unless_an_earlier_version_with_rows(
    world: Session, cycle: Cycle, make_gql, sessions
):
    client = signed_in(make_gql, "jx-office")

    def refused(version: int) -> list[tuple[str, str]]:
        payload = _ask(client, cycle, compareWithVersion=version)
        assert payload["report"] is None
        return [(e["field"], e["code"]) for e in payload["errors"]]

    assert refused(9) == [("compareWithVersion", "NOT_FOUND")]
    assert refused(1) == [("compareWithVersion", "INVALID")]  # the current version itself
    _publish(world, sessions, cycle)
    _prune(world, cycle, 1)
    assert refused(1) == [("compareWithVersion", "INVALID")]  # its rows are gone
    assert refused(2) == [("compareWithVersion", "INVALID")]


def test_a_default_report_skips_a_previous_version_whose_rows_are_gone(
    world: Session, cycle: Cycle, make_gql, sessions, runtime
):
    _publish(world, sessions, cycle)
    _prune(world, cycle, 1)
    _, pdf = _print(signed_in(make_gql, "jx-office"), cycle, sessions, runtime)
    text = pdf_text(pdf)
    assert "明细已不再保留" in text and "相比的变化" not in text
