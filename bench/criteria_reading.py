"""Benchmark: reading a national-layout standard's free-text criteria (评分标准) into clauses.

Reads tests/fixtures/national_criteria.tsv (the team's own items in the AQ/T 9006 layout: 13
elements, each item's max points and criteria text), parses every item with `read_criteria`
and prints how much of the text it read: fragments read as clauses, as notes only (扣完为止,
同一问题不重复扣分), partly read (a clause, and a note a person must act on) and left unread,
the share read, and the unread pieces by reason. Then times the reading per item against a
same-run baseline, cutting the same texts into fragments only (`fragments`), the floor any
reader pays, and prints both and the ratio.

    .venv/bin/python bench/criteria_reading.py [--repeat 7] [--rounds 20]
"""

from __future__ import annotations

import argparse
from collections import Counter
from decimal import Decimal
from pathlib import Path

from timing import timed

from scoring.templates.criteria_text import ReadCriteria, fragments, read_criteria

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "national_criteria.tsv"


def load_items(path: Path = CORPUS) -> list[tuple[str, str, Decimal, str]]:
    """(element, code, max points, criteria) per row of the corpus."""
    rows = path.read_text(encoding="utf-8").splitlines()
    items = []
    for row in rows[1:]:
        element, code, max_points, criteria = row.split("\t")
        items.append((element, code, Decimal(max_points), criteria))
    return items


def outcome(reading: ReadCriteria) -> str:
    """How far one fragment was read: clause, note, partly or unread."""
    if reading.clauses and reading.unread:
        return "partly"
    if reading.clauses:
        return "clause"
    return "unread" if reading.unread else "note"


def tally(items: list[tuple[str, str, Decimal, str]]) -> tuple[Counter[str], Counter[str]]:
    """Fragments by outcome (each read on its own), and unread pieces by reason (per item)."""
    outcomes: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for _, _, max_points, criteria in items:
        for fragment in fragments(criteria):
            outcomes[outcome(read_criteria(fragment, max_points))] += 1
        reasons.update(unread.reason for unread in read_criteria(criteria, max_points).unread)
    return outcomes, reasons


def read_all(items: list[tuple[str, str, Decimal, str]], rounds: int) -> None:
    for _ in range(rounds):
        for _, _, max_points, criteria in items:
            read_criteria(criteria, max_points)


def split_all(items: list[tuple[str, str, Decimal, str]], rounds: int) -> None:
    for _ in range(rounds):
        for _, _, _, criteria in items:
            fragments(criteria)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=20, help="passes over the corpus per run")
    args = parser.parse_args()

    items = load_items()
    outcomes, reasons = tally(items)
    total = sum(outcomes.values())
    clauses = sum(len(read_criteria(text, points).clauses) for _, _, points, text in items)
    read = outcomes["clause"] + outcomes["note"]
    print(f"items {len(items)}, elements {len({element for element, *_ in items})}")
    print(f"fragments {total}, clauses {clauses}")
    for label in ("clause", "note", "partly", "unread"):
        print(f"  {label:<7} {outcomes[label]:>4}  {outcomes[label] / total:6.1%}")
    as_clauses = outcomes["clause"] + outcomes["partly"]
    print(f"share read (clause or note, nothing left): {read / total:.1%}")
    print(f"share read as clauses (clause or partly): {as_clauses / total:.1%}")
    print("unread by reason:")
    for reason, count in reasons.most_common():
        print(f"  {count:>3}  {reason}")

    passes = len(items) * args.rounds
    ours = timed(args.repeat, lambda: read_all(items, args.rounds))
    base = timed(args.repeat, lambda: split_all(items, args.rounds))
    print(f"median of {args.repeat} runs, {args.rounds} passes over {len(items)} items each")
    print(f"  baseline, fragments only: {base / passes * 1e6:,.1f} µs/item")
    print(f"  read_criteria: {ours / passes * 1e6:,.1f} µs/item, {ours / base:.1f}x the baseline")


if __name__ == "__main__":
    main()
