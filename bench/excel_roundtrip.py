"""Benchmark: exporting a template to Excel against importing the same workbook.

Builds templates of 200 and 2,000 items (2,000 is the most a template holds) from the demo's
provincial template: categories of 19 indicators each, the indicators copied in turn from the
provincial ones (every method, their deduction clauses and tiers), so the workbook's five sheets
fill as a real template's do. Times `export_template` and `import_template` of its workbook
(which parses, checks every cell and the template's rules) and prints both and the ratio: the
import is the baseline, the export should cost about the same.

    .venv/bin/python bench/excel_roundtrip.py [--items 200 2000] [--repeat 5]
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from timing import timed

from redline.demo.templates import provincial_template
from scoring.templates.document import ItemInput, TemplateContent, walk_items
from scoring.templates.excel import export_template, import_template
from scoring.templates.models import ItemKind
from scoring.templates.validation import content_problems

PER_CATEGORY = 19  # indicators under each category


def template_of(items: int) -> TemplateContent:
    """A valid template of exactly ``items`` items (categories and indicators)."""
    sample = provincial_template(2026, ledger_fed=False)
    indicators = [
        item
        for _, item, parent in walk_items(sample.items)
        if item.kind is ItemKind.INDICATOR and parent is not None and not parent.bonus
    ]
    categories: list[ItemInput] = []
    made = 0
    while made < items:
        number = len(categories) + 1
        count = min(PER_CATEGORY, items - made - 1)
        children = tuple(
            replace(indicators[(made + n) % len(indicators)], code=f"{number}.{n + 1}")
            for n in range(count)
        )
        categories.append(
            ItemInput(
                str(number),
                f"考核类别 {number}",
                ItemKind.CATEGORY,
                sample.items[0].max_points,
                criteria="按所列指标逐项考核",
                children=children,
            )
        )
        made += 1 + count
    return replace(sample, items=tuple(categories))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[200, 2_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    print(f"median of {args.repeat} runs")
    for items in args.items:
        content = template_of(items)
        assert content_problems(content) == [], content_problems(content)[:3]
        data = export_template(content)
        assert import_template(data) == content  # the round trip holds before it is timed
        export = timed(args.repeat, lambda content=content: export_template(content))
        baseline = timed(args.repeat, lambda data=data: import_template(data))
        print(
            f"  {items:,} items ({len(data) / 1024:,.0f} KB workbook): "
            f"import (baseline) {baseline * 1000:,.0f} ms, export {export * 1000:,.0f} ms, "
            f"export/import {export / baseline:.2f}x"
        )


if __name__ == "__main__":
    main()
