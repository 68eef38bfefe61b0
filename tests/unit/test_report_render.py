"""The warm renderer's own pieces: the reports' user-agent stylesheet is in effect (a WeasyPrint
upgrade that moves it fails here, not silently slower), charts become SVG images, and a
province's wording replaces Redline's labels only within its block."""

from __future__ import annotations

import base64

from scoring.reports import render, words


def test_the_reports_user_agent_stylesheet_was_built_from_weasyprint_s():
    assert render._USER_AGENT is not None, (
        "WeasyPrint's html5_ua.css or HTML._ua_stylesheets moved: see scoring/reports/render.py"
    )
    assert render._ReportHTML(string="<p>x</p>")._ua_stylesheets() == [render._USER_AGENT]


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
