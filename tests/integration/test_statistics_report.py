"""The accident and hazard statistics report, rendered from the demo's ledgers: the text layer
(pdftotext) names the unit, the period, every unit below with its accidents and deaths this
period and last year, the totals with the change in count and percent, and the hazards; an
empty period says so; English; page 1 is drawn as a PNG under tests/output/reports/."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.ledgers.figures.hazards import hazard_statistics
from scoring.ledgers.models import Accident
from scoring.reports import words
from scoring.reports.charts import count_ticks
from scoring.reports.statistics import render_statistics, statistics_report
from tenants.models import TenantNode
from tenants.scope import in_subtree
from tests.factories.pdf import page_image, pdf_lines, pdf_text

NOW = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)  # 12:00 in China
START, END = date(2026, 1, 1), date(2026, 11, 30)
PREVIOUS_START, PREVIOUS_END = date(2025, 1, 1), date(2025, 11, 30)


def _node(session: Session, code: str) -> TenantNode:
    return session.scalars(select(TenantNode).where(TenantNode.code == code)).one()


def _children(session: Session, node: TenantNode) -> list[TenantNode]:
    return list(
        session.scalars(
            select(TenantNode).where(TenantNode.parent_id == node.id).order_by(TenantNode.code)
        )
    )


def _accidents(session: Session, node: TenantNode, start: date, end: date) -> tuple[int, int]:
    """How many accidents, and deaths, the ledger holds for ``node``'s subtree: counted here
    from the rows, not by the service the report uses."""
    rows = session.scalars(
        select(Accident)
        .join(TenantNode, TenantNode.id == Accident.node_id)
        .where(
            in_subtree(TenantNode.path, node.path),
            Accident.occurred_on >= start,
            Accident.occurred_on <= end,
        )
    ).all()
    return len(rows), sum(row.deaths for row in rows)


_text, _lines, _page_one = pdf_text, pdf_lines, page_image


def _backend(session: Session) -> str:
    return session.get_bind().dialect.name


def _pdf(session: Session, code: str, start: date, end: date, lang: str) -> bytes:
    report = statistics_report(session, _node(session, code), start, end, lang, now=NOW)
    pdf = render_statistics(report, lang)
    assert pdf[:5] == b"%PDF-"
    return pdf


def _yoy(now: int, before: int) -> str:
    """The year-on-year word as the Chinese tables print it, spaces taken out."""
    if now == before:
        return "持平"
    if before == 0:
        return "不可比"
    change = (Decimal(now - before) * 100 / before).quantize(Decimal("0.1"), "ROUND_HALF_UP")
    return f"{'上升' if now > before else '下降'}{abs(change)}%"


def _signed(number: int) -> str:
    return f"+{number}" if number > 0 else f"−{-number}" if number < 0 else "0"


def test_a_city_s_statistics_print_totals_last_year_the_change_and_every_unit(read_only_demo):
    demo = read_only_demo
    jiaxing = _node(demo, "330400")
    pdf = _pdf(demo, "330400", START, END, "zh")
    text, lines = _text(pdf), _lines(pdf)
    assert "生产安全事故和隐患排查治理统计报告" in text
    assert "统计单位嘉兴市（330400）" in text
    assert "统计期间2026年1月1日至11月30日" in text
    assert "上年同期2025年1月1日至11月30日" in text
    assert "统计截至（北京时间）2026-12-0312:00" in text

    count, deaths = _accidents(demo, jiaxing, START, END)
    before_count, before_deaths = _accidents(demo, jiaxing, PREVIOUS_START, PREVIOUS_END)
    assert count and before_count and count != before_count  # the demo has both years
    # The totals: this period, last year, the change and the year-on-year word.
    assert any(
        line.startswith(f"事故起数{count}{before_count}{_signed(count - before_count)}")
        and line.endswith(_yoy(count, before_count))
        for line in lines
    ), lines
    assert any(
        line.startswith(f"死亡人数{deaths}{before_deaths}{_signed(deaths - before_deaths)}")
        for line in lines
    )
    # The opening sentences say it as the Guangyuan report does.
    assert f"嘉兴市共发生生产安全事故{count}起，死亡{deaths}人" in text
    fewer = before_count - count
    percent = (Decimal(fewer) * 100 / before_count).quantize(Decimal("0.1"), "ROUND_HALF_UP")
    assert f"事故起数减少{fewer}起、下降{percent}%" in text
    assert "其中较大及以上事故1起，死亡3人。" in text  # 桐乡市's steel-structure collapse

    # Every unit directly below, its accidents and deaths year on year, and the sum.
    children = _children(demo, jiaxing)
    assert len(children) >= 7
    for child in children:
        now_count, now_deaths = _accidents(demo, child, START, END)
        was_count, was_deaths = _accidents(demo, child, PREVIOUS_START, PREVIOUS_END)
        row = (
            f"{child.name_zh}{now_count}{was_count}{_signed(now_count - was_count)}"
            f"{_yoy(now_count, was_count)}"
            f"{now_deaths}{was_deaths}{_signed(now_deaths - was_deaths)}"
            f"{_yoy(now_deaths, was_deaths)}"
        )
        assert row in lines, row
    assert any(line.startswith(f"合计{count}{before_count}") for line in lines)
    assert "按事故等级" in text and "一般事故" in text and "较大事故" in text
    assert "按行业领域" in text and "道路运输" in text and "建筑施工" in text
    assert "各下级单位事故起数（本期与上年同期）" in text  # the chart's heading

    # The hazards, year on year, as the ledger's service counts them.
    hazards = hazard_statistics(demo, jiaxing, START, END, now=NOW).tally
    earlier = hazard_statistics(demo, jiaxing, PREVIOUS_START, PREVIOUS_END, now=NOW).tally
    assert hazards.found
    assert any(line.startswith(f"排查发现隐患{hazards.found}{earlier.found}") for line in lines), (
        lines
    )
    assert f"整改率{hazards.rectification_rate}%" in text
    assert any(line.startswith(f"逾期未整改{hazards.overdue}{earlier.overdue}") for line in lines)
    assert "各下级单位隐患排查治理情况" in text
    pages = int(re.search(r"第1页/共(\d+)页", text).group(1))
    assert f"第{pages}页/共{pages}页" in text
    _page_one(pdf, f"statistics-330400-zh-{_backend(demo)}")


def test_an_empty_period_says_so(read_only_demo):
    demo = read_only_demo
    # Nothing yet in 2027; last year's first quarter had accidents.
    text = _text(_pdf(demo, "330400", date(2027, 1, 1), date(2027, 3, 31), "zh"))
    assert "2027年1月1日至3月31日，嘉兴市未发生生产安全事故。" in text
    assert "本期无事故。" in text
    count, _ = _accidents(demo, _node(demo, "330400"), date(2026, 1, 1), date(2026, 3, 31))
    assert count and f"事故起数减少{count}起、下降100.0%" in text
    # Nothing in either year: the report still prints, and says it plainly.
    pdf = _pdf(demo, "330400", date(2031, 1, 1), date(2031, 3, 31), "zh")
    text = _text(pdf)
    assert "本期及上年同期均无事故。" in text and "本期未排查发现隐患。" in text
    assert "按事故等级" not in text  # no table of zeros
    assert "第1页/共" in text
    # A township has no units below.
    fengqiao = _node(demo, "330402100")
    text = _text(_pdf(demo, "330402100", START, END, "zh"))
    assert f"统计单位{fengqiao.name_zh}（330402100）" in text
    assert "本单位无下级单位。" in text
    _page_one(pdf, f"statistics-empty-zh-{_backend(demo)}")


def test_the_statistics_in_english(read_only_demo):
    demo = read_only_demo
    jiaxing = _node(demo, "330400")
    pdf = render_statistics(statistics_report(demo, jiaxing, START, END, "en"), "en")
    text = _text(pdf)
    assert "Work-safetyaccidentandhazardstatistics" in text
    assert "JiaxingCity(330400)" in text.replace("（", "(").replace("）", ")")
    assert "2026-01-01to2026-11-30" in text
    for child in _children(demo, jiaxing):
        assert re.sub(r"\s+", "", child.name_en) in text
    count, _ = _accidents(demo, jiaxing, START, END)
    before, _ = _accidents(demo, jiaxing, PREVIOUS_START, PREVIOUS_END)
    assert f"accidents{count}," in text
    assert f"accidentsdown{before - count}(" in text
    assert "Page1of" in text
    assert not re.search(r"[\u4e00-\u9fff]", text), "Chinese left in the English report"
    _page_one(pdf, f"statistics-330400-en-{_backend(demo)}")


def test_how_the_figures_are_worded():
    assert words.year_on_year_word("zh", Decimal(-22), Decimal("-41.5")) == "下降 41.5%"
    assert words.year_on_year_word("zh", Decimal(3), None) == "不可比"
    assert words.year_on_year_word("en", Decimal(0), None) == "unchanged"
    assert words.change_phrase("zh", Decimal(-22), Decimal("-41.5"), "起") == "减少22起、下降41.5%"
    assert words.change_phrase("zh", Decimal(3), None, "人") == "增加3人（上年同期为零）"
    assert words.change_phrase("en", Decimal(-25), Decimal("-45.5"), "") == "down 25 (−45.5%)"
    assert words.signed_wan_yuan(Decimal(-10_160_000)) == "−1,016.00"
    assert words.points_change_word("zh", Decimal("-10.1")) == "降低 10.1个百分点"
    assert words.period_text("zh", date(2025, 12, 1), date(2026, 2, 28)) == (
        "2025年12月1日至2026年2月28日"
    )
    assert count_ticks(Decimal(0)) == [0, 1]
    assert count_ticks(Decimal(7)) == [0, 2, 4, 6, 8]
    assert count_ticks(Decimal(48)) == [0, 10, 20, 30, 40, 50]
