"""The demo's provincial template and small variations of it, for tests to share."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

from redline.demo.templates import BONUS_CATEGORY, LOCAL_CATEGORY, I, provincial_template
from scoring.engine import Method
from scoring.templates.document import ItemInput, TemplateContent

__all__ = [
    "BONUS_CATEGORY",
    "LOCAL_CATEGORY",
    "ledger_fed_content",
    "local_indicator",
    "sample_content",
    "with_local",
]


def sample_content(year: int = 2026) -> TemplateContent:
    """The provincial template with every indicator self-entered and manual veto rules."""
    return provincial_template(year, ledger_fed=False)


def ledger_fed_content(year: int = 2026) -> TemplateContent:
    """The provincial template as the demo publishes it from 2026: ledger-fed indicators and
    ledger veto rules."""
    return provincial_template(year, ledger_fed=True)


def local_indicator(code: str = "7.1", points: str = "5") -> ItemInput:
    """An indicator a city adds under the local category (a Jiaxing-style local priority)."""
    return ItemInput(
        code,
        "内河船舶和渡口渡船安全管理",
        I,
        D(points),
        criteria="辖区渡口渡船安全检查全覆盖",
        method=Method.BOOLEAN,
    )


def with_local(content: TemplateContent, *indicators: ItemInput) -> TemplateContent:
    """``content`` with ``indicators`` added under its local category."""
    items = tuple(
        replace(item, children=(*item.children, *indicators))
        if item.code == LOCAL_CATEGORY
        else item
        for item in content.items
    )
    return replace(content, items=items)
