"""The warm PDF renderer: one Jinja2 environment, one font configuration and the parsed
stylesheets kept for every render, so a report pays only for its own layout.

Where a naive render's time goes (bench/RESULTS.md): importing WeasyPrint and starting
fontconfig (once per process here), laying out tables whose column widths are computed from
every cell's shortest line (a Chinese cell breaks between any two characters, so that costs a
line break per character: the reports' tables are ``table-layout: fixed``), and subsetting the
CJK font with fontTools when HarfBuzz's subsetter is missing (platform/services.sh installs
``libharfbuzz-subset0``; the font is then subset in milliseconds and the file stays small).

What a warm render still paid for and does not any more: WeasyPrint's user-agent stylesheet
gives every element six pseudo-elements (``::marker`` and the five footnote/note ones), so the
cascade computed seven styles per element; the reports' own user-agent stylesheet is WeasyPrint's
with those rules kept only where they apply (``li::marker``; the reports have no footnotes).
Charts are printed as SVG images (``svg_image``), not inline ``<svg>`` markup, so their
elements are not parsed by the HTML parser nor given CSS styles as HTML elements first.
"""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Mapping
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from scoring.reports.words import LANGUAGES, words

# Debian's small CJK font first (fonts-wqy-microhei), the larger Noto CJK if that is what the
# machine has; both carry Latin letters, digits and the arrows the reports print.
FONT_FAMILY = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans CJK", sans-serif'

# The footer of every page, by language: "第 N 页 / 共 M 页" or "Page N of M".
PAGE_NUMBERS = {
    "zh": '"第 " counter(page) " 页 / 共 " counter(pages) " 页"',
    "en": '"Page " counter(page) " of " counter(pages)',
}


def _user_agent_stylesheet() -> CSS | None:
    """WeasyPrint's HTML user-agent stylesheet without the rules that give every element
    pseudo-elements the reports never show; None (WeasyPrint's own) if it is not where it was."""
    try:
        from weasyprint import css as weasyprint_css
        from weasyprint.html import UA_COUNTER_STYLE
    except ImportError:
        return None
    try:
        text = resources.files(weasyprint_css).joinpath("html5_ua.css").read_text(encoding="utf-8")
    except OSError:
        return None
    text, markers = re.subn(r"^::marker \{", "li::marker {", text, flags=re.MULTILINE)
    text, notes = re.subn(r"^::(?:footnote|note)-[a-z]+ \{[^}]*\}$", "", text, flags=re.MULTILINE)
    # The counter styles (disc, decimal, ...) are WeasyPrint's own, defined in UA_COUNTER_STYLE
    # when it loaded this stylesheet: defining them again warned at every start that disc and
    # decimal may not be redefined.
    text, counters = re.subn(r"^@counter-style [^\n]*\}$", "", text, flags=re.MULTILINE)
    if (
        (markers, notes) != (1, 5)
        or not counters
        or "@counter-style" in text
        or not hasattr(HTML, "_ua_stylesheets")
    ):
        return None
    return CSS(string=text, counter_style=UA_COUNTER_STYLE)


_USER_AGENT = _user_agent_stylesheet()


class _ReportHTML(HTML):
    """A report's HTML document, styled by the reports' user-agent stylesheet."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        if _USER_AGENT is None or forms:
            return super()._ua_stylesheets(forms)
        return [_USER_AGENT]


def svg_image(svg: str | None, css_class: str = "chart") -> Markup:
    """An SVG drawing (a chart's markup) as an ``<img>`` WeasyPrint draws as it would the inline
    ``<svg>``, without parsing it as HTML and styling each of its elements first."""
    if not svg:
        return Markup("")
    data = base64.b64encode(str(svg).encode("utf-8")).decode("ascii")
    return Markup('<img class="{}" alt="" src="data:image/svg+xml;base64,{}">').format(
        css_class, data
    )


class Renderer:
    """Renders the package's templates to PDF; build once per process (see ``renderer``)."""

    def __init__(self) -> None:
        self.environment = Environment(
            loader=PackageLoader("scoring.reports", "templates"),
            autoescape=select_autoescape(("html",), default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.environment.filters["svg_image"] = svg_image
        self.font_config = FontConfiguration()
        base = (
            resources.files("scoring.reports")
            .joinpath("templates", "report.css")
            .read_text(encoding="utf-8")
        )
        self._stylesheets = {
            lang: [
                CSS(string=base.replace("$FONT", FONT_FAMILY), font_config=self.font_config),
                CSS(string=_page_css(lang), font_config=self.font_config),
            ]
            for lang in LANGUAGES
        }
        # WeasyPrint's font configuration is not meant to be shared by two renders at once.
        self._lock = threading.Lock()

    def html(self, template: str, lang: str, context: Mapping[str, Any]) -> str:
        """The report's HTML (what is printed), in ``lang``."""
        return self.environment.get_template(template).render(**context, w=words(lang), lang=lang)

    def pdf(self, template: str, lang: str, context: Mapping[str, Any]) -> bytes:
        """The report printed: A4, page numbers in the footer, the CJK font embedded (subset)."""
        return self.print(self.html(template, lang, context), lang)

    def print(self, document: str, lang: str) -> bytes:
        """An HTML document printed with the reports' stylesheets."""
        with self._lock:
            return _ReportHTML(string=document).write_pdf(
                stylesheets=self._stylesheets[lang], font_config=self.font_config
            )


def _page_css(lang: str) -> str:
    return (
        "@page { @bottom-center { content: "
        + PAGE_NUMBERS[lang]
        + f"; font-family: {FONT_FAMILY}; font-size: 8pt; color: #555; }} }}"
    )


_renderer: Renderer | None = None
_renderer_lock = threading.Lock()


def renderer() -> Renderer:
    """The process's renderer, built on first use and kept warm."""
    global _renderer
    if _renderer is None:
        with _renderer_lock:
            if _renderer is None:
                _renderer = Renderer()
    return _renderer
