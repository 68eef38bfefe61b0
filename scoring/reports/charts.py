"""The ranking report's charts as inline SVG, drawn here (no chart library): vectors stay
crisp in print and the text in them stays text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

BAND_COLOURS = {"green": "#2e9d5b", "yellow": "#e0a91b", "red": "#d2453b"}
NO_BAND = "#8c8c8c"
GRADE_COLOURS = {
    "excellent": "#2e9d5b",
    "good": "#5b8ff9",
    "qualified": "#e0a91b",
    "unqualified": "#d2453b",
}
FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"
WIDTH = 680  # the chart's user units: the printable width of A4 at 96 px per inch, less a bit
MAX_HEIGHT = 860  # one page
VALUES_UP_TO = 40


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value (None: no score) and band."""

    label: str
    value: Decimal | None
    band: str | None


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def ticks(maximum: Decimal) -> list[int]:
    """Round grid values from 0 up to ``maximum``: every 20 points (every 10 below 50, every
    5 below 20, every point below 5)."""
    top = int(maximum)
    step = 20 if top >= 50 else 10 if top >= 20 else 5 if top >= 5 else 1
    return list(range(0, top + 1, step))


def bar_chart(bars: Sequence[Bar], maximum: Decimal) -> Markup:
    """Horizontal bars of totals on a 0..``maximum`` axis, one per unit, coloured by band; each
    bar's value at its end up to ``VALUES_UP_TO`` bars (beyond, the bars are too thin to carry a
    legible number, and the table beside lists every total)."""
    label_width, value_width, top, bottom = 170, 48, 18, 6
    step = max(7.0, min(18.0, (MAX_HEIGHT - top - bottom) / max(len(bars), 1)))
    bar_height = step * 0.72
    plot = WIDTH - label_width - value_width
    height = top + bottom + step * len(bars)
    scale = plot / float(maximum) if maximum > 0 else 0.0
    font_size = min(11.0, step * 0.7)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" '
        f'height="{_number(height)}" viewBox="0 0 {WIDTH} {_number(height)}" '
        f'font-family="{FONT}" font-size="{_number(font_size)}">'
    ]
    for tick in ticks(maximum):
        x = label_width + float(tick) * scale
        parts.append(
            f'<line x1="{_number(x)}" y1="{top - 4}" x2="{_number(x)}" '
            f'y2="{_number(height - bottom)}" stroke="#d9d9d9" stroke-width="0.6"/>'
            f'<text x="{_number(x)}" y="{top - 7}" text-anchor="middle" fill="#555" '
            f'font-size="9">{tick}</text>'
        )
    for index, bar in enumerate(bars):
        y = top + step * index
        middle = y + step / 2
        parts.append(
            f'<text x="{label_width - 6}" y="{_number(middle + font_size * 0.35)}" '
            f'text-anchor="end" fill="#222">{escape(bar.label)}</text>'
        )
        if bar.value is None:
            continue
        length = max(float(bar.value), 0.0) * scale
        colour = BAND_COLOURS.get(bar.band or "", NO_BAND)
        parts.append(
            f'<rect x="{label_width}" y="{_number(middle - bar_height / 2)}" '
            f'width="{_number(length)}" height="{_number(bar_height)}" fill="{colour}"/>'
        )
        if len(bars) <= VALUES_UP_TO:
            parts.append(
                f'<text x="{_number(label_width + length + 4)}" '
                f'y="{_number(middle + font_size * 0.35)}" fill="#222">{bar.value:.2f}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped or a number


def grade_chart(counts: Sequence[tuple[str, str, int]]) -> Markup:
    """Columns of units per grade: (grade key, its word, how many), in grade order."""
    width, height, top, bottom, left = 360, 170, 16, 30, 30
    plot_height = height - top - bottom
    most = max((count for _, _, count in counts), default=0) or 1
    column = (width - left) / max(len(counts), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}" '
        'font-size="11">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        'stroke="#888" stroke-width="0.8"/>',
    ]
    for index, (key, word, count) in enumerate(counts):
        x = left + column * index
        bar_height = plot_height * count / most
        y = height - bottom - bar_height
        centre = x + column / 2
        parts.append(
            f'<rect x="{_number(x + column * 0.2)}" y="{_number(y)}" '
            f'width="{_number(column * 0.6)}" height="{_number(bar_height)}" '
            f'fill="{GRADE_COLOURS.get(key, NO_BAND)}"/>'
            f'<text x="{_number(centre)}" y="{_number(y - 3)}" text-anchor="middle" '
            f'fill="#222">{count}</text>'
            f'<text x="{_number(centre)}" y="{height - bottom + 15}" text-anchor="middle" '
            f'fill="#222">{escape(word)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped or a number


# --- the statistics report: this period against last year ------------------------------------

CURRENT_COLOUR = "#a8071a"  # the reports' red: this period
PREVIOUS_COLOUR = "#bfbfbf"  # last year, in grey


@dataclass(frozen=True)
class Pair:
    """One unit's figure in this period and in the same period last year."""

    label: str
    current: Decimal
    previous: Decimal


def count_ticks(maximum: Decimal) -> list[int]:
    """Whole-number grid values from 0 past ``maximum``, at most six: every 1, 2, 5, 10, 20,
    50... (at least 0 and 1)."""
    top = max(int(maximum), 1)
    step = 1
    while top / step > 5:
        for factor in (2, 5 / 2, 2):  # 1 → 2 → 5 → 10 → 20 → 50 → 100...
            step = int(step * factor)
            if top / step <= 5:
                break
    last = -(-top // step) * step
    return list(range(0, last + 1, step))


def paired_bar_chart(pairs: Sequence[Pair], legend: tuple[str, str]) -> Markup:
    """Horizontal bars two by two, one pair per unit: this period's (red) above last year's
    (grey), each with its value at its end, on a whole-number axis; ``legend`` names the two."""
    label_width, value_width, top, bottom = 150, 30, 40, 6
    step = max(12.0, min(30.0, (MAX_HEIGHT - top - bottom) / max(len(pairs), 1)))
    bar_height = step * 0.36
    plot = WIDTH - label_width - value_width
    height = top + bottom + step * len(pairs)
    grid = count_ticks(max((max(p.current, p.previous) for p in pairs), default=Decimal(0)))
    scale = plot / grid[-1]
    font_size = min(11.0, step * 0.42)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" '
        f'height="{_number(height)}" viewBox="0 0 {WIDTH} {_number(height)}" '
        f'font-family="{FONT}" font-size="{_number(font_size)}">'
    ]
    for index, (word, colour) in enumerate(
        zip(legend, (CURRENT_COLOUR, PREVIOUS_COLOUR), strict=True)
    ):
        x = label_width + index * 150
        parts.append(
            f'<rect x="{x}" y="4" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="13" fill="#222" font-size="10">{escape(word)}</text>'
        )
    for tick in grid:
        x = label_width + tick * scale
        parts.append(
            f'<line x1="{_number(x)}" y1="{top - 4}" x2="{_number(x)}" '
            f'y2="{_number(height - bottom)}" stroke="#d9d9d9" stroke-width="0.6"/>'
            f'<text x="{_number(x)}" y="{top - 7}" text-anchor="middle" fill="#555" '
            f'font-size="9">{tick}</text>'
        )
    for index, pair in enumerate(pairs):
        y = top + step * index
        parts.append(
            f'<text x="{label_width - 6}" y="{_number(y + step / 2 + font_size * 0.35)}" '
            f'text-anchor="end" fill="#222">{escape(pair.label)}</text>'
        )
        for offset, value, colour in (
            (step * 0.12, pair.current, CURRENT_COLOUR),
            (step * 0.12 + bar_height, pair.previous, PREVIOUS_COLOUR),
        ):
            length = max(float(value), 0.0) * scale
            parts.append(
                f'<rect x="{label_width}" y="{_number(y + offset)}" width="{_number(length)}" '
                f'height="{_number(bar_height)}" fill="{colour}"/>'
                f'<text x="{_number(label_width + length + 3)}" '
                f'y="{_number(y + offset + bar_height * 0.85)}" fill="#222" '
                f'font-size="{_number(min(9.0, bar_height * 1.1))}">{value:.0f}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped or a number
