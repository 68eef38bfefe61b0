"""The warm renderer's own pieces: the reports' user-agent stylesheet is in effect (a WeasyPrint
upgrade that moves it fails here, not silently slower), built without a warning and keeping
the lists' markers, charts become SVG images, and a province's wording replaces Redline's
labels only within its block."""

from __future__ import annotations

import base64
import logging
import subprocess

from scoring.reports import render, words


def test_the_reports_user_agent_stylesheet_was_built_from_weasyprint_s():
    assert render._USER_AGENT is not None, (
        "WeasyPrint's html5_ua.css or HTML._ua_stylesheets moved: see scoring/reports/render.py"
    )
    assert render._ReportHTML(string="<p>x</p>")._ua_stylesheets() == [render._USER_AGENT]


def test_the_stylesheet_is_built_without_a_warning(caplog):
    """Every process that prints loads it at start: WeasyPrint warned there twice (disc and
    decimal may not be defined again) when the counter styles were parsed a second time."""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        built = render._user_agent_stylesheet()
    assert built is not None
    assert [r.getMessage() for r in caplog.records if r.name == "weasyprint"] == []


def test_lists_keep_their_markers(tmp_path):
    html = (
        "<ul><li>alpha</li></ul><ol><li>one</li><li>two</li></ol>"
        '<ol style="list-style-type: cjk-decimal"><li>x</li><li>y</li></ol>'
    )
    pdf = tmp_path / "lists.pdf"
    render._ReportHTML(string=html).write_pdf(pdf)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert text == ["•", "alpha", "1.", "one", "2.", "two", "一、x", "二、y"]


def test_a_chart_is_printed_as_an_svg_image():
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    image = str(render.svg_image(svg))
    assert image.startswith('<img class="chart" alt="" src="data:image/svg+xml;base64,')
    encoded = image.split("base64,", 1)[1].rstrip('">')
    assert base64.b64decode(encoded).decode() == svg
    assert str(render.svg_image(None)) == ""


def test_a_province_s_wording_applies_within_its_block_only():
    default = words.words("zh")["scorecard_title"]
    with words.said_as({"zh": {"scorecard_title": "评分通知书"}}):
        assert words.words("zh")["scorecard_title"] == "评分通知书"
        assert words.words("zh")["unit"] == words.default_words("zh")["unit"]
        assert words.words("en")["scorecard_title"] == words.default_words("en")["scorecard_title"]
    assert words.words("zh")["scorecard_title"] == default
