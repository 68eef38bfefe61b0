"""/files/assessments/<id>/scorecard.pdf and /files/rankings/report.pdf, rendered from the demo:
the text layer (pdftotext) names the units, totals, grades, veto reasons and ranks; the CJK font
is embedded; page 1 is drawn as a PNG under tests/output/reports/ for a person to look at; and
the errors: signed out, unknown, not yours, a bad parameter."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.app import create_app
from redline.db import make_session_factory
from redline.demo.assessments import publish_demo_rankings
from scoring.assessments.models import Assessment, Cycle, Entry
from scoring.rankings.models import RankingRow
from scoring.rankings.reading import current_snapshot
from scoring.reports.words import GRADES
from tenants.models import TenantLevel, TenantNode
from tests.factories.api import GraphQLClient, app_runtime, gid, signed_in

PDF = "application/pdf"
# Where the tests leave page 1 of every report they render (git-ignored; see the README).
OUTPUT = Path(__file__).resolve().parents[1] / "output" / "reports"
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
    engine = demo.get_bind()
    runtime = app_runtime(
        engine,
        engine.url.render_as_string(hide_password=False),
        redis_client,
        redis_test_url,
        tmp_path / "attachments",
    )
    app = create_app(runtime)
    app.config["TESTING"] = True
    yield lambda: GraphQLClient(app.test_client())
    runtime.broker.close()
    demo.rollback()


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


def _text(pdf: bytes) -> str:
    """The PDF's text layer with every space and line break taken out (cells wrap anywhere)."""
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", done.stdout.decode("utf-8"))


def _table_lines(pdf: bytes) -> list[str]:
    """The text layer line by line as laid out (a table row's first line is one line), spaces
    taken out."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return [re.sub(r"\s+", "", line) for line in done.stdout.decode("utf-8").splitlines()]


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _fonts(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, text=True
    ).stdout


def _page_one(pdf: bytes, name: str) -> Path:
    """Page 1 as a PNG at 60 dpi under tests/output/reports/."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    stem = OUTPUT / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", "-", str(stem)],
        input=pdf,
        check=True,
    )
    png = stem.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return png


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
    demo, clients, tmp_path
):
    assessment = _assessment(demo, COUNTY_2026, "330483")  # 桐乡市: a larger accident, vetoed
    tongxiang, jiaxing = _node(demo, "330483"), _node(demo, "330400")
    cycle = _cycle(demo, COUNTY_2026)
    row = next(
        r for r in _rows(demo, cycle, jiaxing, TenantLevel.COUNTY) if r.unit_code == "330483"
    )
    client = signed_in(clients, "jx-office")
    response = client.http.get(
        f"/files/assessments/{gid('Assessment', assessment.id)}/scorecard.pdf"
    )
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


def test_a_reviewer_s_reason_and_the_gap_are_printed(demo, clients):
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
        _pdf(
            client.http.get(f"/files/assessments/{gid('Assessment', assessment.id)}/scorecard.pdf")
        )
    )
    assert f"考核意见：{_squeezed(entry.review_reason)}" in text
    assert "考核调整" in text
    gap = assessment.reviewed_total - assessment.self_total
    assert f"自评与考核差异{'+' if gap > 0 else '−' if gap < 0 else ''}{abs(gap):.2f}" in text


def test_the_scorecard_in_english(demo, clients, tmp_path):
    assessment = _assessment(demo, COUNTY_2026, "330483")
    client = signed_in(clients, "jx-office")
    response = client.http.get(
        f"/files/assessments/{gid('Assessment', assessment.id)}/scorecard.pdf",
        query_string={"lang": "EN"},
    )
    pdf = _pdf(response)
    text = _text(pdf)
    assert "Work-safetyassessmentscorecard" in text
    assert _squeezed(_node(demo, "330483").name_en) in text
    assert "Unqualified(Vetoed)" in text.replace("（", "(").replace("）", ")")
    assert "Page1of" in text
    _embedded_cjk_font(pdf, tmp_path)
    _page_one(pdf, f"scorecard-330483-en-{_backend(demo)}")


def test_a_unit_reads_its_own_scorecard_but_not_its_sibling_s(demo, clients):
    own = _assessment(demo, TOWNSHIP_2026, "330402901")
    sibling = _assessment(demo, TOWNSHIP_2026, "330402015")
    client = signed_in(clients, "xjd-clerk")
    text = _text(
        _pdf(client.http.get(f"/files/assessments/{gid('Assessment', own.id)}/scorecard.pdf"))
    )
    assert _node(demo, "330402901").name_zh in text
    response = client.http.get(f"/files/assessments/{gid('Assessment', sibling.id)}/scorecard.pdf")
    assert response.status_code == 404


def test_the_ranking_report_lists_every_unit_with_charts_and_the_lists(demo, clients, tmp_path):
    cycle, jiaxing = _cycle(demo, COUNTY_2026), _node(demo, "330400")
    rows = _rows(demo, cycle, jiaxing, TenantLevel.COUNTY)
    assert len(rows) >= 5
    client = signed_in(clients, "jx-office")
    response = client.http.get(
        "/files/rankings/report.pdf",
        query_string={
            "cycle": gid("Cycle", cycle.id),
            "scope": gid("Tenant", jiaxing.id),
            "level": "county",
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
    assert any(row.vetoed for row in rows)
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


def test_the_township_ranking_report_in_english(demo, clients, tmp_path):
    cycle, nanhu = _cycle(demo, TOWNSHIP_2026), _node(demo, "330402")
    rows = _rows(demo, cycle, nanhu, TenantLevel.TOWNSHIP)
    client = signed_in(clients, "nanhu-office")
    pdf = _pdf(
        client.http.get(
            "/files/rankings/report.pdf",
            query_string={
                "cycle": gid("Cycle", cycle.id),
                "scope": gid("Tenant", nanhu.id),
                "level": "TOWNSHIP",
                "lang": "en",
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


def test_signed_out_is_401(demo, clients):
    client = clients()
    assessment = _assessment(demo, COUNTY_2026, "330483")
    assert (
        client.http.get(
            f"/files/assessments/{gid('Assessment', assessment.id)}/scorecard.pdf"
        ).status_code
        == 401
    )
    assert client.http.get("/files/rankings/report.pdf").status_code == 401


@pytest.mark.parametrize(
    "global_id",
    [gid("Assessment", 999_999), gid("Cycle", 1), "not-an-id", gid("Assessment", 0)],
)
def test_an_unknown_assessment_is_404(demo, clients, global_id):
    client = signed_in(clients, "jx-office")
    assert client.http.get(f"/files/assessments/{global_id}/scorecard.pdf").status_code == 404


def _error(response, status: int, field: str) -> str:
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["errors"][0]
    assert error["extensions"]["field"] == field, error
    return error["message"]


def test_bad_parameters_are_400_naming_them(demo, clients):
    cycle, jiaxing = _cycle(demo, COUNTY_2026), _node(demo, "330400")
    good = {"cycle": gid("Cycle", cycle.id), "scope": gid("Tenant", jiaxing.id), "level": "county"}
    client = signed_in(clients, "jx-office")
    report = "/files/rankings/report.pdf"
    assert _error(client.http.get(report, query_string={**good, "lang": "fr"}), 400, "lang")
    assert _error(client.http.get(report, query_string={**good, "level": "province"}), 400, "level")
    missing = {k: v for k, v in good.items() if k != "cycle"}
    assert "required" in _error(client.http.get(report, query_string=missing), 400, "cycle")
    wrong_type = {**good, "scope": gid("Cycle", cycle.id)}
    assert _error(client.http.get(report, query_string=wrong_type), 400, "scope")
    assert _error(client.http.get(report, query_string={**good, "sort": "rank"}), 400, "sort")
    assessment = _assessment(demo, COUNTY_2026, "330483")
    scorecard = f"/files/assessments/{gid('Assessment', assessment.id)}/scorecard.pdf"
    assert _error(client.http.get(scorecard, query_string={"lang": "de"}), 400, "lang")
    assert _error(client.http.get(scorecard, query_string={"page": "2"}), 400, "page")


def test_a_ranking_that_is_not_yours_is_refused_as_the_services_refuse(demo, clients):
    cycle, jiaxing = _cycle(demo, COUNTY_2026), _node(demo, "330400")
    query = {"cycle": gid("Cycle", cycle.id), "scope": gid("Tenant", jiaxing.id), "level": "county"}
    client = signed_in(clients, "xjd-clerk")
    response = client.http.get("/files/rankings/report.pdf", query_string=query)
    assert response.status_code in (403, 404), response.get_data(as_text=True)
    assert response.get_json()["errors"][0]["extensions"]["field"] == "scope"
    unknown = {**query, "cycle": gid("Cycle", 999_999)}
    response = signed_in(clients, "jx-office").http.get(
        "/files/rankings/report.pdf", query_string=unknown
    )
    assert _error(response, 404, "cycle")
