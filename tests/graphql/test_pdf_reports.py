"""Scorecards and ranking reports printed from the demo as the API gives them: asked for with
printScorecard / printRankingReport, printed by their REPORT job run, fetched from
/files/reports/<id>. The text layer (pdftotext) names the units, totals, grades, veto reasons
and ranks; the CJK font is embedded; page 1 is drawn as a PNG under tests/output/reports/ for
a person to look at; and the refusals: signed out, unknown, not yours, a bad argument."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.relay import GlobalID

from redline.db import make_session_factory, writer_sessions
from redline.demo.assessments import publish_demo_rankings
from scoring.assessments.models import Assessment, Cycle, Entry
from scoring.evidence import FolderStore
from scoring.jobs.printing import run_report
from scoring.jobs.runs import JobRun, JobState
from scoring.rankings.models import RankingRow
from scoring.rankings.reading import current_snapshot
from scoring.reports.words import GRADES
from tenants.models import TenantLevel, TenantNode, User
from tests.factories.api import ERRORS, GraphQLClient, clients_of, gid, ok, signed_in, upload
from tests.factories.pdf import page_image, pdf_lines, pdf_text

PDF = "application/pdf"
# Where the tests leave page 1 of every report they render (git-ignored; see the README).
COUNTY_2026 = "2026年度县（市、区）安全生产工作考核"
TOWNSHIP_2026 = "2026年度嘉兴市乡镇（街道）安全生产工作考核"


@pytest.fixture(scope="module")
def demo(whole_demo: Session) -> Session:
    """The module's demo with every cycle's rankings published, as `redline demo` starts."""
    whole_demo.rollback()  # a read begun before would not see them
    publish_demo_rankings(make_session_factory(whole_demo.get_bind()))
    return whole_demo


def _backend(session: Session) -> str:
    return session.get_bind().dialect.name


@pytest.fixture
def clients(demo: Session, redis_client, redis_test_url, tmp_path) -> Iterator:
    """New HTTP clients of an app on the demo's database."""
    with clients_of(demo.get_bind(), redis_client, redis_test_url, tmp_path / "attachments") as new:
        yield new
    demo.rollback()


INPUT_TYPES = {
    "printScorecard": "PrintScorecardInput",
    "printRankingReport": "PrintRankingReportInput",
    "printStatisticsReport": "PrintStatisticsReportInput",
}
REPORT = """
query($id: ID!) {
  node(id: $id) {
    ... on Report { id kind language filename sha256 size printedAt downloadUrl
                    unit { code } requestedBy { username }
                    jobRun { id kind state progress { done total percent } error result } }
  }
}
"""


def ask(client: GraphQLClient, mutation: str, input_: dict) -> dict:
    """The payload of a print mutation."""
    query = (
        f"mutation($input: {INPUT_TYPES[mutation]}!) {{ {mutation}(input: $input) "
        f"{{ report {{ id filename downloadUrl jobRun {{ id state }} }} {ERRORS} }} }}"
    )
    return ok(client.execute(query, {"input": input_}))[mutation]


def database_id(global_id: str) -> int:
    return int(GlobalID.from_id(global_id).node_id)


@pytest.fixture
def printer(demo: Session, tmp_path):
    """Print as the API and its worker do: ask, run the REPORT job, read the report back, GET
    its download (the response)."""
    sessions = writer_sessions(make_session_factory(demo.get_bind()))
    store = FolderStore(tmp_path / "attachments")

    def print_(client: GraphQLClient, mutation: str, input_: dict):
        payload = ask(client, mutation, input_)
        assert payload["errors"] == [], payload
        report = payload["report"]
        run_report(sessions, database_id(report["jobRun"]["id"]), store)
        printed = ok(client.execute(REPORT, {"id": report["id"]}))["node"]
        assert printed["jobRun"]["state"] == "SUCCEEDED", printed
        assert printed["jobRun"]["progress"] == {"done": 3, "total": 3, "percent": 100}
        return client.http.get(printed["downloadUrl"])

    return print_


def _node(session: Session, code: str) -> TenantNode:
    return session.scalars(select(TenantNode).where(TenantNode.code == code)).one()


def _cycle(session: Session, name: str) -> Cycle:
    return session.scalars(select(Cycle).where(Cycle.name == name)).one()


def _assessment(session: Session, cycle_name: str, code: str) -> Assessment:
    return session.scalars(
        select(Assessment).where(
            Assessment.cycle_id == _cycle(session, cycle_name).id,
            Assessment.node_id == _node(session, code).id,
        )
    ).one()


def _rows(session: Session, cycle: Cycle, scope: TenantNode, level: TenantLevel):
    snapshot = current_snapshot(session, cycle.id)
    assert snapshot is not None
    return session.scalars(
        select(RankingRow)
        .where(
            RankingRow.snapshot_id == snapshot.id,
            RankingRow.scope_node_id == scope.id,
            RankingRow.level == level,
        )
        .order_by(RankingRow.position)
    ).all()


_text = pdf_text
_table_lines = pdf_lines


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _fonts(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, text=True
    ).stdout


_page_one = page_image


def _pdf(response) -> bytes:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == PDF
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.data[:5] == b"%PDF-"
    return response.data


def _embedded_cjk_font(pdf: bytes, tmp_path: Path) -> None:
    fonts = [line.split() for line in _fonts(pdf, tmp_path).splitlines()[2:]]
    assert fonts, "no font in the PDF"
    for font in fonts:
        # name, type..., emb, sub, uni, object, generation: every font embedded, as a subset.
        assert "WenQuanYi" in font[0] or "Noto" in font[0], font
        assert font[-5:-2] == ["yes", "yes", "yes"], font


def test_a_vetoed_county_s_scorecard_prints_totals_veto_reasons_rank_and_every_indicator(
    demo, clients, printer, tmp_path
):
    assessment = _assessment(demo, COUNTY_2026, "330483")  # 桐乡市: a larger accident, vetoed
    tongxiang, jiaxing = _node(demo, "330483"), _node(demo, "330400")
    cycle = _cycle(demo, COUNTY_2026)
    row = next(
        r for r in _rows(demo, cycle, jiaxing, TenantLevel.COUNTY) if r.unit_code == "330483"
    )
    client = signed_in(clients, "jx-office")
    response = printer(client, "printScorecard", {"assessmentId": gid("Assessment", assessment.id)})
    pdf = _pdf(response)
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=scorecard-{cycle.id}-330483-zh.pdf"
    )
    text = _text(pdf)
    assert "安全生产工作考核评分表" in text
    assert f"{tongxiang.name_zh}（330483）" in text
    assert _squeezed(COUNTY_2026) in text
    assert f"考核得分{assessment.reviewed_total:.2f}" in text
    assert f"自评得分{assessment.self_total:.2f}" in text
    assert assessment.vetoed and "不合格（一票否决）" in text
    assert "一票否决：本单位考核等级为不合格" in text
    assert "桐乡市某在建厂房钢结构坍塌较大事故" in text  # the accident behind the veto
    # Its three deaths are a yellow card too: printed apart, as taking no points.
    assert "不合格（一票否决）（黄牌警告）" in text
    assert "黄牌警告：不扣分，本周期不列为表彰候选" in text
    assert "Y2发生一次死亡2人及以上的生产安全事故" in text
    assert f"第{row.rank}名/共{row.of}名在{jiaxing.name_zh}内" in text
    assert f"上期排名{row.previous_rank}" in text
    # Every indicator, with the engine's explanation lines.
    items = demo.scalars(select(Entry).where(Entry.assessment_id == assessment.id)).all()
    assert len(items) > 10
    assert "计分依据" in text and "考核分" in text and "自评分" in text
    assert "1.1安全生产责任制建立和落实" in text
    pages = int(re.search(r"第1页/共(\d+)页", text).group(1))
    assert pages >= 2 and f"第{pages}页/共{pages}页" in text
    _embedded_cjk_font(pdf, tmp_path)
    _page_one(pdf, f"scorecard-330483-zh-{_backend(demo)}")


def test_a_reviewer_s_reason_and_the_gap_are_printed(demo, clients, printer):
    reasoned = demo.execute(
        select(Assessment, Entry)
        .join(Entry, Entry.assessment_id == Assessment.id)
        .where(
            Assessment.cycle_id == _cycle(demo, COUNTY_2026).id,
            Entry.review_reason.is_not(None),
            Entry.review_points.is_not(None),
        )
    ).first()
    assert reasoned is not None, "the demo has a reviewer's adjustment with a reason"
    assessment, entry = reasoned
    client = signed_in(clients, "jx-office")
    text = _text(
        _pdf(printer(client, "printScorecard", {"assessmentId": gid("Assessment", assessment.id)}))
    )
    assert f"考核意见：{_squeezed(entry.review_reason)}" in text
    assert "考核调整" in text
    gap = assessment.reviewed_total - assessment.self_total
    assert f"自评与考核差异{'+' if gap > 0 else '−' if gap < 0 else ''}{abs(gap):.2f}" in text


def test_a_unit_s_appeal_and_where_it_stands_are_printed(demo, clients, printer):
    """南湖街道 appealed the 6.1 its reviewer zeroed; the appeal waits for a decision."""
    assessment = _assessment(demo, TOWNSHIP_2026, "330402010")
    client = signed_in(clients, "nanhu-office")
    text = _text(
        _pdf(printer(client, "printScorecard", {"assessmentId": gid("Assessment", assessment.id)}))
    )
    assert "申诉理由" in text
    assert "处理意见" in text and "待处理" in text
    assert _squeezed("“安全生产月”活动的影像资料和总结报告已于11月13日补充上传") in text
    assert "6.1" in text and "0.00" in text


def test_the_scorecard_in_english(demo, clients, printer, tmp_path):
    assessment = _assessment(demo, COUNTY_2026, "330483")
    client = signed_in(clients, "jx-office")
    response = printer(
        client,
        "printScorecard",
        {"assessmentId": gid("Assessment", assessment.id), "language": "EN"},
    )
    assert response.headers["Content-Disposition"].endswith("-330483-en.pdf")
    pdf = _pdf(response)
    text = _text(pdf)
    assert "Work-safetyassessmentscorecard" in text
    assert _squeezed(_node(demo, "330483").name_en) in text
    assert "Unqualified(Vetoed)" in text.replace("（", "(").replace("）", ")")
    assert "Page1of" in text
    _embedded_cjk_font(pdf, tmp_path)
    _page_one(pdf, f"scorecard-330483-en-{_backend(demo)}")


def test_a_unit_prints_its_own_scorecard_but_neither_asks_for_nor_fetches_its_sibling_s(
    demo, clients, printer
):
    own = _assessment(demo, TOWNSHIP_2026, "330402901")
    sibling = _assessment(demo, TOWNSHIP_2026, "330402015")
    client = signed_in(clients, "xjd-clerk")
    response = printer(client, "printScorecard", {"assessmentId": gid("Assessment", own.id)})
    assert _node(demo, "330402901").name_zh in _text(_pdf(response))
    refused = ask(client, "printScorecard", {"assessmentId": gid("Assessment", sibling.id)})
    assert refused["report"] is None
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("assessmentId", "NOT_FOUND")]
    # The sibling's own print of its scorecard is not the clerk's to fetch, by id or URL.
    theirs = printer(
        signed_in(clients, "qixing-clerk"),
        "printScorecard",
        {"assessmentId": gid("Assessment", sibling.id)},
    )
    assert theirs.status_code == 200
    url = theirs.request.path
    assert client.http.get(url).status_code == 404
    assert ok(client.execute(REPORT, {"id": url.rsplit("/", 1)[1]}))["node"] is None


def test_the_ranking_report_lists_every_unit_with_charts_and_the_lists(
    demo, clients, printer, tmp_path
):
    cycle, jiaxing = _cycle(demo, COUNTY_2026), _node(demo, "330400")
    rows = _rows(demo, cycle, jiaxing, TenantLevel.COUNTY)
    assert len(rows) >= 5
    client = signed_in(clients, "jx-office")
    response = printer(
        client,
        "printRankingReport",
        {
            "cycleId": gid("Cycle", cycle.id),
            "scopeId": gid("Tenant", jiaxing.id),
            "level": "COUNTY",
        },
    )
    pdf = _pdf(response)
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=ranking-report-{cycle.id}-330400-county-zh.pdf"
    )
    text, lines = _text(pdf), _table_lines(pdf)
    assert "安全生产工作考核排名报告" in text and f"{jiaxing.name_zh}（330400）" in text
    for row in rows:
        grade = GRADES["zh"][row.grade]
        line = f"{row.rank}{row.unit_code}{row.unit_name_zh}{row.score:.2f}{grade}"
        assert any(line in printed for printed in lines), line
        for veto in row.veto_reasons:
            assert _squeezed(veto["reason"]) in text
        for card in row.yellow_cards or ():
            assert _squeezed(f"黄牌警告：{card['title']}") in text
    assert any(row.vetoed for row in rows)
    assert any(row.yellow_cards for row in rows) and "否决/警告" in text
    # A rank change: the arrow and how many places.
    moved = next(r for r in rows if r.previous_rank is not None and r.previous_rank != r.rank)
    change = moved.previous_rank - moved.rank
    arrow = f"↑{change}" if change > 0 else f"↓{-change}"
    assert any(
        f"{moved.unit_code}{moved.unit_name_zh}" in line
        and line.endswith(f"{moved.previous_rank}{arrow}")
        for line in lines
    )
    assert "等级分布" in text and "各单位总分" in text
    assert "拟表扬单位" in text and "拟通报批评或约谈单位" in text
    commended = [r for r in rows if r.grade == "excellent" and not r.vetoed]
    for row in commended:
        assert f"在{jiaxing.name_zh}内排名第{row.rank}名" in text
    assert "第1页/共" in text
    _embedded_cjk_font(pdf, tmp_path)
    _page_one(pdf, f"ranking-330400-county-zh-{_backend(demo)}")


def test_the_township_ranking_report_in_english(demo, clients, printer, tmp_path):
    cycle, nanhu = _cycle(demo, TOWNSHIP_2026), _node(demo, "330402")
    rows = _rows(demo, cycle, nanhu, TenantLevel.TOWNSHIP)
    client = signed_in(clients, "nanhu-office")
    pdf = _pdf(
        printer(
            client,
            "printRankingReport",
            {
                "cycleId": gid("Cycle", cycle.id),
                "scopeId": gid("Tenant", nanhu.id),
                "level": "TOWNSHIP",
                "language": "EN",
            },
        )
    )
    text = _text(pdf)
    assert "Work-safetyassessmentrankingreport" in text and "Page1of" in text
    for row in rows:
        assert _squeezed(row.unit_name_en) in text
        if row.score is not None:
            assert f"{row.score:.2f}" in text
    _page_one(pdf, f"ranking-330402-township-en-{_backend(demo)}")


def test_signed_out_is_401_and_an_unknown_report_is_404(demo, clients):
    assert clients().http.get(f"/files/reports/{gid('Report', 1)}").status_code == 401
    client = signed_in(clients, "jx-office")
    for global_id in (gid("Report", 999_999), gid("Cycle", 1), "not-an-id", gid("Report", 0)):
        assert client.http.get(f"/files/reports/{global_id}").status_code == 404, global_id


def test_a_report_still_printing_has_no_download_yet_and_a_second_ask_is_the_same_report(
    demo, clients, printer
):
    assessment = _assessment(demo, COUNTY_2026, "330482")
    client = signed_in(clients, "jx-office")
    asked = {"assessmentId": gid("Assessment", assessment.id), "language": "EN"}
    first = ask(client, "printScorecard", asked)["report"]
    assert first["downloadUrl"] is None and first["jobRun"]["state"] == "QUEUED"
    assert client.http.get(f"/files/reports/{first['id']}").status_code == 404
    again = ask(client, "printScorecard", asked)["report"]
    assert again["id"] == first["id"]  # a second click while it prints
    chinese = ask(client, "printScorecard", {**asked, "language": "ZH"})["report"]
    assert chinese["id"] != first["id"]
    runs = ok(client.execute("{ jobRuns(kind: REPORT) { edges { node { id report { id } } } } }"))
    listed = {e["node"]["report"]["id"] for e in runs["jobRuns"]["edges"]}
    assert {first["id"], chinese["id"]} <= listed
    reports = ok(
        client.execute("{ reports(kind: SCORECARD, first: 50) { edges { node { id } } } }")
    )
    assert first["id"] in {e["node"]["id"] for e in reports["reports"]["edges"]}


def test_the_kept_file_is_checked_against_its_checksum(demo, clients, printer, tmp_path):
    assessment = _assessment(demo, COUNTY_2026, "330481")
    client = signed_in(clients, "jx-office")
    response = printer(client, "printScorecard", {"assessmentId": gid("Assessment", assessment.id)})
    data = _pdf(response)
    report = ok(client.execute(REPORT, {"id": response.request.path.rsplit("/", 1)[1]}))["node"]
    assert report["sha256"] == hashlib.sha256(data).hexdigest()
    assert report["size"] == len(data)
    assert report["jobRun"]["result"]["sha256"] == report["sha256"]
    assert response.headers["ETag"].strip('"') == report["sha256"]
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert response.headers["Repr-Digest"] == f"sha-256=:{digest}:"
    # Someone edits the kept file on disk: it is refused, not served.
    path = FolderStore(tmp_path / "attachments").path(report["sha256"])
    path.write_bytes(data.replace(b"%PDF-", b"%PDF+", 1))
    refused = client.http.get(response.request.path)
    assert refused.status_code == 409
    assert "checksum" in refused.get_json()["errors"][0]["message"]


def test_a_township_prints_its_county_s_ranking_it_may_read_and_fetches_it(demo, clients, printer):
    cycle, nanhu = _cycle(demo, TOWNSHIP_2026), _node(demo, "330402")
    client = signed_in(clients, "xjd-clerk")
    response = printer(
        client,
        "printRankingReport",
        {
            "cycleId": gid("Cycle", cycle.id),
            "scopeId": gid("Tenant", nanhu.id),
            "level": "TOWNSHIP",
        },
    )
    text = _text(_pdf(response))
    for row in _rows(demo, cycle, nanhu, TenantLevel.TOWNSHIP):
        assert row.unit_name_zh in text
    # Its sibling reads the same ranking, but not the clerk's report about a unit above both.
    assert signed_in(clients, "qixing-clerk").http.get(response.request.path).status_code == 404


def test_bad_arguments_are_named(demo, clients):
    cycle, jiaxing = _cycle(demo, COUNTY_2026), _node(demo, "330400")
    good = {
        "cycleId": gid("Cycle", cycle.id),
        "scopeId": gid("Tenant", jiaxing.id),
        "level": "COUNTY",
    }
    client = signed_in(clients, "jx-office")

    def refused(mutation: str, input_: dict) -> list[tuple[str, str]]:
        payload = ask(client, mutation, input_)
        assert payload["report"] is None
        return [(e["field"], e["code"]) for e in payload["errors"]]

    assert refused("printRankingReport", {**good, "level": "PROVINCE"}) == [("level", "INVALID")]
    assert refused("printRankingReport", {**good, "scopeId": gid("Cycle", cycle.id)}) == [
        ("scopeId", "INVALID")
    ]
    assert refused("printRankingReport", {**good, "cycleId": gid("Cycle", 999_999)}) == [
        ("cycleId", "NOT_FOUND")
    ]
    assert refused("printScorecard", {"assessmentId": gid("Assessment", 999_999)}) == [
        ("assessmentId", "NOT_FOUND")
    ]
    period = {"start": "2026-06-30", "end": "2026-01-01"}
    statistics = {"nodeId": gid("Tenant", jiaxing.id), "period": period}
    assert refused("printStatisticsReport", statistics) == [("period.end", "INVALID")]
    long = {"start": "2020-01-01", "end": "2026-01-01"}
    assert refused("printStatisticsReport", {**statistics, "period": long}) == [
        ("period", "INVALID")
    ]
    beyond = {
        "nodeId": gid("Tenant", _node(demo, "510000").id),
        "period": {"start": "2026-01-01", "end": "2026-06-30"},
    }
    assert refused("printStatisticsReport", beyond) == [("nodeId", "NOT_FOUND")]
    # A language that is not one is the schema's refusal.
    answer = client.execute(
        'mutation { printScorecard(input: {assessmentId: "x", language: FR}) { report { id } } }'
    )
    assert answer["errors"] and "FR" in answer["errors"][0]["message"]


def test_a_ranking_that_is_not_yours_is_refused_as_the_services_refuse(demo, clients):
    cycle, jiaxing = _cycle(demo, COUNTY_2026), _node(demo, "330400")
    asked = {
        "cycleId": gid("Cycle", cycle.id),
        "scopeId": gid("Tenant", jiaxing.id),
        "level": "COUNTY",
    }
    payload = ask(signed_in(clients, "xjd-clerk"), "printRankingReport", asked)
    assert payload["report"] is None
    assert [e["field"] for e in payload["errors"]] == ["scopeId"]
    assert payload["errors"][0]["code"] in ("NOT_FOUND", "PERMISSION_DENIED")


def test_a_report_whose_asker_was_disabled_before_it_printed_fails_with_the_reason(
    demo, clients, tmp_path
):
    assessment = _assessment(demo, TOWNSHIP_2026, "330402100")
    client = signed_in(clients, "nanhu-office")
    report = ask(client, "printScorecard", {"assessmentId": gid("Assessment", assessment.id)})[
        "report"
    ]
    sessions = writer_sessions(make_session_factory(demo.get_bind()))
    with sessions() as session:
        user = session.scalars(select(User).where(User.username == "nanhu-office")).one()
        user.is_active = False
        session.commit()
    try:
        run_id = database_id(report["jobRun"]["id"])
        assert run_report(sessions, run_id, FolderStore(tmp_path / "attachments")) is None
        with sessions() as session:
            run = session.get_one(JobRun, run_id)
            assert run.state is JobState.FAILED
            assert "disabled" in (run.error or "")
    finally:
        with sessions() as session:
            session.scalars(
                select(User).where(User.username == "nanhu-office")
            ).one().is_active = True
            session.commit()


# --- the province's letterhead ----------------------------------------------------------------

LETTERHEAD = (
    "issuer footer note version logoType logoUrl savedBy { username } wording { language key text }"
)
SAVE_LETTERHEAD = f"""
mutation($input: SaveReportLetterheadInput!) {{
  saveReportLetterhead(input: $input) {{ letterhead {{ {LETTERHEAD} }} {ERRORS} }}
}}
"""


def _logo(color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (160, 60), color).save(out, format="PNG")
    return out.getvalue()


def _save(client: GraphQLClient, input_: dict, logo: bytes | None = None) -> dict:
    if logo is None:
        return ok(client.execute(SAVE_LETTERHEAD, {"input": input_}))["saveReportLetterhead"]
    response = upload(
        client,
        SAVE_LETTERHEAD,
        {"input": {**input_, "logo": None}},
        "input.logo",
        logo,
        "logo.png",
        "image/png",
    )
    assert response.status_code == 200, response.data
    return ok(response.get_json())["saveReportLetterhead"]


def _current_version(client: GraphQLClient) -> int:
    found = ok(client.execute("{ reportLetterhead { version } }"))["reportLetterhead"]
    return 0 if found is None else found["version"]


def test_a_province_s_letterhead_is_printed_on_its_reports_and_kept_by_version(
    demo, clients, printer, tmp_path
):
    office = signed_in(clients, "zj-office")
    start = _current_version(office)
    saved = _save(
        office,
        {
            "expectedVersion": start,
            "issuer": "浙江省安全生产委员会办公室",
            "footer": "内部资料 注意保存",
            "note": "the committee's letterhead",
            "wording": [
                {"language": "ZH", "key": "scorecard_title", "text": "年度安全生产考核评分通知书"},
                {"language": "EN", "key": "rank_of", "text": "No. {rank} among {of}"},
            ],
        },
        logo=_logo(),
    )
    assert saved["errors"] == [], saved
    head = saved["letterhead"]
    assert head["version"] == start + 1 and head["logoType"] == "image/png"
    assert head["savedBy"] == {"username": "zj-office"}
    logo = office.http.get(head["logoUrl"])
    assert logo.status_code == 200 and logo.mimetype == "image/png"
    assert signed_in(clients, "sc-office").http.get(head["logoUrl"]).status_code == 404

    # A county office of the province prints a scorecard: the letterhead is on it.
    assessment = _assessment(demo, COUNTY_2026, "330421")
    client = signed_in(clients, "jx-office")
    response = printer(client, "printScorecard", {"assessmentId": gid("Assessment", assessment.id)})
    pdf = _pdf(response)
    text = _text(pdf)
    assert "浙江省安全生产委员会办公室" in text
    assert "年度安全生产考核评分通知书" in text and "安全生产工作考核评分表" not in text
    assert "内部资料注意保存" in text
    pages = int(re.search(r"第1页/共(\d+)页", text).group(1))
    assert text.count("内部资料注意保存") == pages  # at the foot of every page
    images = _images(pdf, tmp_path)
    assert images and images[0][:2] == ["1", "0"]  # page 1 carries the logo
    report = ok(client.execute(REPORT, {"id": response.request.path.rsplit("/", 1)[1]}))["node"]
    _page_one(pdf, f"scorecard-letterhead-330421-zh-{_backend(demo)}")
    english = _text(
        _pdf(
            printer(
                client,
                "printRankingReport",
                {
                    "cycleId": gid("Cycle", _cycle(demo, COUNTY_2026).id),
                    "scopeId": gid("Tenant", _node(demo, "330400").id),
                    "level": "COUNTY",
                    "language": "EN",
                },
            )
        )
    )
    assert "浙江省安全生产委员会办公室" in english

    # The next version removes the logo and the wording; the history keeps both versions.
    plain = _save(
        office,
        {"expectedVersion": start + 1, "issuer": "", "footer": "", "removeLogo": True},
    )
    assert plain["errors"] == [] and plain["letterhead"]["logoUrl"] is None
    versions = ok(client.execute("{ reportLetterheadVersions { version issuer logoUrl } }"))
    listed = versions["reportLetterheadVersions"]
    assert [v["version"] for v in listed[:2]] == [start + 2, start + 1]
    assert listed[1]["issuer"] == "浙江省安全生产委员会办公室" and listed[1]["logoUrl"]
    old = ok(
        client.execute(
            "query($v: Int) { reportLetterhead(version: $v) { footer } }", {"v": start + 1}
        )
    )
    assert old["reportLetterhead"]["footer"] == "内部资料 注意保存"
    again = _text(
        _pdf(printer(client, "printScorecard", {"assessmentId": gid("Assessment", assessment.id)}))
    )
    assert "安全生产工作考核评分表" in again and "浙江省安全生产委员会办公室" not in again
    assert report["jobRun"]["result"]["filename"].startswith("scorecard-")


def _images(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "images.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, check=True, text=True
    ).stdout
    return [line.split() for line in listing.splitlines()[2:]]


def test_a_letterhead_is_refused_with_every_field_named_and_nothing_saved(demo, clients):
    office = signed_in(clients, "zj-office")
    start = _current_version(office)
    bad = _save(
        office,
        {
            "expectedVersion": start,
            "issuer": "办" * 201,
            "footer": "ok",
            "wording": [
                {"language": "ZH", "key": "no_such_label", "text": "x"},
                {"language": "ZH", "key": "rank_of", "text": "第 {rank} 名"},
                {"language": "EN", "key": "unit", "text": "  "},
                {"language": "ZH", "key": "unit", "text": "单位"},
                {"language": "ZH", "key": "unit", "text": "被考核单位名称"},
            ],
        },
    )
    assert bad["letterhead"] is None
    assert {(e["field"], e["code"]) for e in bad["errors"]} == {
        ("issuer", "INVALID"),
        ("wording[0].key", "INVALID"),
        ("wording[1].text", "INVALID"),
        ("wording[2].text", "REQUIRED"),
        ("wording[4].key", "DUPLICATE"),
    }
    assert "201 characters" in next(e["message"] for e in bad["errors"] if e["field"] == "issuer")
    assert "{of}" in next(e["message"] for e in bad["errors"] if e["field"] == "wording[1].text")
    not_an_image = _save(office, {"expectedVersion": start, "issuer": "x"}, logo=b"%PDF-1.4 no")
    assert [(e["field"], e["code"]) for e in not_an_image["errors"]] == [("logo", "INVALID")]
    stale = _save(office, {"expectedVersion": start + 5, "issuer": "x"})
    assert [(e["field"], e["code"]) for e in stale["errors"]] == [("expectedVersion", "CONFLICT")]
    city = _save(signed_in(clients, "jx-office"), {"expectedVersion": start, "issuer": "x"})
    assert [e["code"] for e in city["errors"]] == ["PERMISSION_DENIED"]
    assert _current_version(office) == start
    labels = ok(office.execute("{ reportLabels(language: ZH) { key defaultText } }"))
    assert {"key": "scorecard_title", "defaultText": "安全生产工作考核评分表"} in labels[
        "reportLabels"
    ]


def test_two_admins_saving_the_same_version_at_once_one_wins_the_other_is_told(demo, clients):
    import threading

    start = _current_version(signed_in(clients, "zj-office"))
    admins = [signed_in(clients, "zj-office") for _ in range(2)]
    barrier = threading.Barrier(2)
    answers: list[dict] = []

    def save(client: GraphQLClient, issuer: str) -> None:
        barrier.wait()
        answers.append(_save(client, {"expectedVersion": start, "issuer": issuer}))

    threads = [
        threading.Thread(target=save, args=(client, f"office {n}"))
        for n, client in enumerate(admins)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [a for a in answers if a["errors"] == []]
    lost = [a for a in answers if a["errors"]]
    assert len(won) == 1 and len(lost) == 1, answers
    assert [e["code"] for e in lost[0]["errors"]] == ["CONFLICT"]
    assert _current_version(admins[0]) == start + 1
    # Back to the defaults for whatever prints after.
    assert _save(admins[0], {"expectedVersion": start + 1, "issuer": ""})["errors"] == []


def test_a_city_prints_its_accident_and_hazard_statistics_year_on_year(
    demo, clients, printer, tmp_path
):
    jiaxing = _node(demo, "330400")
    client = signed_in(clients, "jx-office")
    response = printer(
        client,
        "printStatisticsReport",
        {
            "nodeId": gid("Tenant", jiaxing.id),
            "period": {"start": "2026-01-01", "end": "2026-11-30"},
        },
    )
    pdf = _pdf(response)
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=statistics-330400-20260101-20261130-zh.pdf"
    )
    text = _text(pdf)
    assert "生产安全事故和隐患排查治理统计报告" in text and jiaxing.name_zh in text
    assert "上年同期" in text and "2025年1月1日" in text
    for child in demo.scalars(select(TenantNode).where(TenantNode.parent_id == jiaxing.id)):
        assert child.name_zh in text
    _embedded_cjk_font(pdf, tmp_path)
    _page_one(pdf, f"statistics-job-330400-zh-{_backend(demo)}")
    # A township clerk may not count the city's ledgers.
    refused = ask(
        signed_in(clients, "xjd-clerk"),
        "printStatisticsReport",
        {
            "nodeId": gid("Tenant", jiaxing.id),
            "period": {"start": "2026-01-01", "end": "2026-11-30"},
        },
    )
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("nodeId", "NOT_FOUND")]
