"""PDF report rendering: the naive setup (a fresh process, WeasyPrint's defaults, tables laid
out automatically) against ours (the warm renderer of scoring.reports, fixed table layout), in
the same run, on three documents built in memory: a unit's scorecard (44 indicators), a
100-unit ranking report, and a 6-page Chinese table (300 rows). Then where the naive time goes:
layout (automatic vs fixed table columns) and the font (subset by HarfBuzz, subset by fontTools,
or embedded whole). And, in the warm process, what the reports' user-agent stylesheet saves
(WeasyPrint's own gives every element six pseudo-element styles: scoring.reports.render).

    .venv/bin/python bench/report_render.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import platform
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from timing import timed
from weasyprint import HTML

from scoring.rankings.models import RankingRow
from scoring.reports import render, scorecard
from scoring.reports.ranking import RankingReport, Summary, charts, unit_line
from scoring.reports.render import renderer
from scoring.reports.scorecard import (
    CategorySection,
    ExplainedLine,
    IndicatorRow,
    RankLine,
    ScorecardReport,
    VetoLine,
)
from scoring.templates.models import Template

D = Decimal
TOWNS = [
    "湘家荡区域",
    "七星街道",
    "建设街道",
    "解放街道",
    "新嘉街道",
    "南湖街道",
    "新兴街道",
    "凤桥镇",
]

# The naive setup, run in a fresh interpreter: import, default font configuration, WeasyPrint's
# default options; it prints its seconds (import included) and the PDF's size.
NAIVE = """
import json, sys, time
start, cpu = time.perf_counter(), time.process_time()
if sys.argv[3] == "fonttools":  # as on a machine without libharfbuzz-subset
    import weasyprint.pdf.fonts
    weasyprint.pdf.fonts.harfbuzz_subset = None
from weasyprint import CSS, HTML
html = open(sys.argv[1], encoding="utf-8").read()
css = open(sys.argv[2], encoding="utf-8").read()
document = HTML(string=html).render(stylesheets=[CSS(string=css)])
laid_out = time.perf_counter()
options = {"full_fonts": True} if sys.argv[3] == "full" else {}
pdf = document.write_pdf(**options)
end = time.perf_counter()
print(json.dumps({"seconds": end - start, "cpu": time.process_time() - cpu,
                  "layout": laid_out - start, "write": end - laid_out,
                  "bytes": len(pdf), "pages": len(document.pages)}))
"""


def scorecard_report() -> ScorecardReport:
    """A 100-point scorecard: 8 categories of 5-6 indicators, every one explained twice."""
    rng = random.Random(7)
    sections = []
    for category in range(1, 9):
        rows = []
        for number in range(1, 6 + category % 2):
            code = f"{category}.{number}"
            lines = (
                ExplainedLine(
                    "比例计分", f"value {rng.randint(60, 100)}", "隐患整改率按比例计分", "+3.20"
                ),
                ExplainedLine("扣分", "count 2", "每发现一处问题扣0.5分，扣完为止", "−1.00"),
            )
            rows.append(
                IndicatorRow(
                    code=code,
                    title=f"重大事故隐患排查整治和闭环管理情况第{code}项",
                    max_points="5.00",
                    self_points="4.20",
                    reviewed_points="3.80",
                    gap="−0.40",
                    notes=("考核调整",) if number == 2 else (),
                    self_lines=lines,
                    reviewed_lines=lines[:1],
                    review_reason="台账资料不完整，抽查两处整改未闭环" if number == 2 else "",
                )
            )
        sections.append(
            CategorySection(
                str(category), f"安全生产责任体系{category}", "12.50", "10.00", "9.50", tuple(rows)
            )
        )
    return ScorecardReport(
        unit_code="330483",
        unit_name="桐乡市",
        cycle_name="2026年度县（市、区）安全生产工作考核",
        period="2026-01-01 — 2026-12-31",
        state="已确认",
        self_total="82.40",
        reviewed_total="77.00",
        gap_total="−5.40",
        grade="不合格",
        vetoed=True,
        vetoes=(
            VetoLine(
                "V1",
                "发生较大及以上生产安全责任事故",
                "某在建厂房钢结构坍塌较大事故",
                "事故台账 #35",
            ),
        ),
        yellow_cards=(
            VetoLine("Y1", "挂牌督办重大事故隐患逾期未整改", "逾期未整改 1 项", "隐患台账 #12"),
        ),
        rank=RankLine(4, 5, "5", "↑1", "红", "嘉兴市"),
        sections=tuple(sections),
        card_lines=(ExplainedLine("一票否决", "V1", "考核等级为不合格", "+0.00"),),
    )


def ranking_rows(count: int) -> list[RankingRow]:
    rng = random.Random(11)
    scores = sorted((D(rng.randint(5500, 9900)) / 100 for _ in range(count)), reverse=True)
    rows = []
    for position, score in enumerate(scores, start=1):
        vetoed = position % 17 == 0
        grade = (
            "unqualified"
            if vetoed or score < 60
            else "excellent"
            if score >= 90
            else "good"
            if score >= 80
            else "qualified"
        )
        rows.append(
            RankingRow(
                unit_code=f"3304{position:05d}",
                unit_name_zh=f"{TOWNS[position % len(TOWNS)]}{position}",
                unit_name_en=f"Town {position}",
                rank=position,
                of=count,
                previous_rank=rng.randint(1, count),
                score=score,
                band="green" if score >= 90 else "yellow" if score >= 75 else "red",
                grade=grade,
                vetoed=vetoed,
                veto_reasons=[{"rule": "V1", "title": "发生较大事故", "reason": "钢结构坍塌"}]
                if vetoed
                else [],
            )
        )
    return rows


def ranking_report(count: int) -> RankingReport:
    rows = ranking_rows(count)
    template = Template(grade_excellent=D(90), grade_good=D(80), grade_qualified=D(60))
    totals, note, grades = charts(rows, D(105), "zh", template)
    return RankingReport(
        cycle_name="2026年度嘉兴市乡镇（街道）安全生产工作考核",
        scope_code="330400",
        scope_name="嘉兴市",
        level="乡镇（街道）",
        snapshot="v3",
        computed_at="2026-12-03 09:00",
        units=tuple(unit_line(row, "zh") for row in rows),
        summary=Summary(count, count, "78.20", "77.95", "55.10 — 99.00", count // 17),
        totals_chart=totals,
        chart_note=note,
        grades_chart=grades,
        lists=True,
        commendation=(),
        criticism=(),
    )


def cjk_table() -> str:
    """The STACK-NOTES document: a 300-row Chinese table, six pages or so."""
    rows = "".join(
        f"<tr><td>{n}</td><td>浙江省嘉兴市南湖区第{n}街道办事处</td><td>{90 - n * 0.1:.2f}</td>"
        "<td>优秀</td><td>隐患排查治理闭环率达到百分之九十五</td></tr>"
        for n in range(1, 301)
    )
    return (
        '<!DOCTYPE html><html lang="zh-CN"><body><h1>排名报告</h1><table><colgroup>'
        '<col style="width:8%"><col style="width:37%"><col style="width:10%">'
        '<col style="width:10%"><col style="width:35%"></colgroup><thead><tr><th>名次</th>'
        "<th>单位</th><th>总分</th><th>等级</th><th>说明</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></body></html>"
    )


def stylesheet(fixed: bool) -> str:
    """Our stylesheet as one text (the naive run parses it afresh); ``fixed=False``: tables
    laid out automatically, as a first template would have them."""
    css = (
        Path(scoring_reports_dir(), "templates", "report.css")
        .read_text(encoding="utf-8")
        .replace("$FONT", render.FONT_FAMILY)
    )
    css += "\n" + render._page_css("zh")
    return css if fixed else css.replace("table-layout: fixed;", "table-layout: auto;")


def scoring_reports_dir() -> Path:
    return Path(scorecard.__file__).parent


def cpu_timed(repeat: int, work) -> float:
    """The median CPU seconds of ``repeat`` runs of ``work`` (this process only: what a render
    costs whatever else the shared machine runs)."""
    runs = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        runs.append(time.process_time() - start)
    return statistics.median(runs)


def calls(work) -> int:
    """The Python function calls of one run of ``work`` (a measure no other process changes)."""
    profile = cProfile.Profile()
    profile.runcall(work)
    return pstats.Stats(profile).total_calls


def naive(html: str, css: str, fonts: str = "harfbuzz") -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        html_file, css_file = Path(folder, "doc.html"), Path(folder, "doc.css")
        html_file.write_text(html, encoding="utf-8")
        css_file.write_text(css, encoding="utf-8")
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", NAIVE, str(html_file), str(css_file), fonts],
            capture_output=True,
            check=True,
            text=True,
        )
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    warm = renderer()
    documents = {
        "scorecard (44 indicators)": warm.html(
            "scorecard.html", "zh", {"r": scorecard_report(), "letterhead": None}
        ),
        "ranking report (100 units)": warm.html(
            "ranking.html", "zh", {"r": ranking_report(100), "letterhead": None}
        ),
        "CJK table (300 rows)": cjk_table(),
    }
    print(f"Python {platform.python_version()}, {platform.machine()}; --repeat {args.repeat}")
    print(
        "| document | pages | naive (fresh process, auto tables) | ours (warm, fixed tables) "
        "| ratio | PDF size naive / ours |"
    )
    print("|---|---|---|---|---|---|")
    for name, html in documents.items():
        naive_runs = [naive(html, stylesheet(fixed=False)) for _ in range(args.repeat)]
        first = sorted(naive_runs, key=lambda run: run["seconds"])[len(naive_runs) // 2]
        warm.print(html, "zh")  # the first render of a process loads the font
        ours = timed(args.repeat, lambda html=html: warm.print(html, "zh"))
        ours_cpu = cpu_timed(args.repeat, lambda html=html: warm.print(html, "zh"))
        size = len(warm.print(html, "zh"))
        print(
            f"| {name} | {first['pages']} | {first['seconds']:.2f} s, CPU {first['cpu']:.2f} s "
            f"(layout {first['layout']:.2f} s, write {first['write']:.2f} s) | {ours:.2f} s, "
            f"CPU {ours_cpu:.2f} s | {ours / first['seconds']:.2f}x, CPU "
            f"{ours_cpu / first['cpu']:.2f}x | {first['bytes'] // 1024} / {size // 1024} KiB |"
        )
    print()
    print(
        "Warm, CPU: the reports' user-agent stylesheet vs WeasyPrint's own (same HTML and CSS; "
        f"{max(args.repeat, 7)} runs each, interleaved; Python calls of one run):"
    )
    print(
        "| document | reports' UA: median / min | WeasyPrint's UA: median / min | ratio | calls |"
    )
    print("|---|---|---|---|---|")
    for name, html in list(documents.items())[:2]:
        ours, stock = (
            lambda html=html: warm.print(html, "zh"),
            lambda html=html: HTML(string=html).write_pdf(
                stylesheets=warm._stylesheets["zh"], font_config=warm.font_config
            ),
        )
        runs = {ours: [], stock: []}
        for _ in range(max(args.repeat, 7)):
            for work, times in runs.items():
                times.append(cpu_timed(1, work))
        (ours_cpu, ours_min), (stock_cpu, stock_min) = (
            (statistics.median(times), min(times)) for times in runs.values()
        )
        ours_calls, stock_calls = calls(ours) / 1e6, calls(stock) / 1e6
        print(
            f"| {name} | {ours_cpu:.2f} / {ours_min:.2f} s | {stock_cpu:.2f} / {stock_min:.2f} s "
            f"| {ours_cpu / stock_cpu:.2f}x | {ours_calls:.2f}M / {stock_calls:.2f}M |"
        )
    print()
    print("Where the naive time goes, on the CJK table (median of the runs, one process each):")
    print("| setup | seconds | CPU | layout | write | PDF size |")
    print("|---|---|---|---|---|---|")
    table = documents["CJK table (300 rows)"]
    for label, css, fonts in (
        ("auto tables, HarfBuzz subset", stylesheet(False), "harfbuzz"),
        ("auto tables, fontTools subset", stylesheet(False), "fonttools"),
        ("auto tables, whole font (full_fonts)", stylesheet(False), "full"),
        ("fixed tables, HarfBuzz subset", stylesheet(True), "harfbuzz"),
        ("fixed tables, fontTools subset", stylesheet(True), "fonttools"),
    ):
        runs = sorted(
            (naive(table, css, fonts) for _ in range(args.repeat)), key=lambda r: r["seconds"]
        )
        run = runs[len(runs) // 2]
        print(
            f"| {label} | {run['seconds']:.2f} s | {run['cpu']:.2f} s | {run['layout']:.2f} s "
            f"| {run['write']:.2f} s "
            f"| {run['bytes'] // 1024} KiB |"
        )
    start = time.perf_counter()
    import_cost = naive("<p>x</p>", "")
    print(
        f"\nA one-line page in a fresh process: {import_cost['seconds']:.2f} s "
        f"(bench wall {time.perf_counter() - start:.2f} s)"
    )


if __name__ == "__main__":
    main()
