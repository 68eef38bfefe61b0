"""The demo's indicator templates as documents, from the template tables of redline/demo/data.

template_families.csv names each family: Zhejiang's county assessment (ZJ-COUNTY, its title
with ``{year}``, its settings, the first year its indicators and vetoes come from the ledgers)
and Jiaxing's local extension of it. template_items.csv holds each family's categories and
indicators in tree order (the Items sheet of the Excel layout; ``ledger_source`` is the figure an
indicator takes once the template is ledger-fed), template_clauses.csv and template_tiers.csv
their deduction clauses and tiers, veto_rules.csv the veto rules. A clause or veto rule of an
``edition`` (``self_entered``, ``ledger_fed``) belongs to that edition only; a blank one to both.
template_bands.csv holds a family's colour bands (the Bands sheet of the Excel layout: a blank
item is the whole template, a blank level every level); a family's trend thresholds sit in
template_families.csv (an extension's blank ones, like its bands, are its base's).
Tests share the provincial document through ``tests/template_samples.py``.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from redline.demo.tables import DemoDataError, Row, grouped, table, tree
from scoring.engine import ClauseKind, ClauseScope, Method
from scoring.engine.bands import BandRule, Thresholds
from scoring.engine.consequences import ConsequencePolicy, Trigger
from scoring.templates.document import (
    ClauseInput,
    ItemInput,
    TemplateContent,
    TierInput,
    VetoRuleInput,
)
from scoring.templates.models import (
    AccidentClass,
    AccidentMeasure,
    ItemKind,
    RuleSeverity,
    ValueSource,
    VetoKind,
)
from tenants.models import TenantLevel

I = ItemKind.INDICATOR  # noqa: E741 - the indicator kind, as tests write it beside C

PROVINCIAL = "ZJ-COUNTY"  # the province's family in template_families.csv
SELF_ENTERED, LEDGER_FED = "self_entered", "ledger_fed"
SETTINGS = ("total_points", "bonus_cap", "grade_excellent", "grade_good", "grade_qualified")
FAMILIES = (
    "family_code family_name owner_code base_family title total_points bonus_cap grade_excellent "
    "grade_good grade_qualified ledger_fed_since trend_min_points trend_min_ranks language "
    "commendation_quota criticise_on interview_on ineligible_months retroactive_years"
)
ITEMS = (
    "family_code code parent kind title max_points method target floor bonus local required "
    "ledger_source criteria"
)
CLAUSES = (
    "item key kind points threshold fact edition scope fact_scope cap repeat_factor "
    "accident_measure accident_class text"
)
TIERS = "item min_value points"
BANDS = "family_code item level green yellow"
VETOES = "family_code edition code kind severity threshold title text"


def families() -> dict[str, Row]:
    return {row.text("family_code"): row for row in table("template_families.csv", FAMILIES)}


def family(code: str) -> Row:
    known = families()
    if code not in known:
        raise DemoDataError(f"template_families.csv: no family {code!r}")
    return known[code]


def title_of(family_code: str, year: int) -> str:
    return family(family_code).text("title").replace("{year}", str(year))


def is_ledger_fed(family_code: str, year: int) -> bool:
    """Whether ``year``'s version of the family takes figures and vetoes from the ledgers."""
    row = family(family_code)
    since = row.maybe("ledger_fed_since", row.integer)
    return since is not None and year >= since


def provincial_template(year: int = 2026, *, ledger_fed: bool | None = None) -> TemplateContent:
    """Zhejiang's county work-safety assessment for ``year``: publishable as it is.

    ``ledger_fed`` (default: from the family's ``ledger_fed_since`` on) takes indicators and
    vetoes from the ledgers."""
    fed = is_ledger_fed(PROVINCIAL, year) if ledger_fed is None else ledger_fed
    return document(PROVINCIAL, year, ledger_fed=fed)


def document(family_code: str, year: int, *, ledger_fed: bool) -> TemplateContent:
    """A family's whole document for ``year`` in one edition (a family without a base)."""
    row = family(family_code)
    edition = LEDGER_FED if ledger_fed else SELF_ENTERED
    if row.given("base_family"):
        raise row.fail("base_family", "an extension has no document of its own: see extension()")
    settings = {name: row.decimal(name) for name in SETTINGS}
    _check_band_items()
    return TemplateContent(
        title=title_of(family_code, year),
        year=year,
        bands=bands_of(family_code, ""),
        trend_min_points=row.maybe("trend_min_points", row.decimal),
        trend_min_ranks=row.maybe("trend_min_ranks", row.integer),
        language=row.optional("language") or "en",
        consequences=consequences_of(row, ConsequencePolicy()),
        items=_tree(family_code, edition),
        veto_rules=tuple(
            VetoRuleInput(
                rule.text("code"),
                rule.text("title"),
                rule.optional("text"),
                rule.choice("kind", VetoKind),
                rule.choice("severity", RuleSeverity)
                if rule.given("severity")
                else RuleSeverity.VETO,
                rule.maybe("threshold", rule.integer),
            )
            for rule in table("veto_rules.csv", VETOES)
            if rule.text("family_code") == family_code and _edition(rule) in ("", edition)
        ),
        **settings,
    )


def extension(family_code: str, base: TemplateContent, year: int) -> TemplateContent:
    """A city's extension of ``base`` (its family's base for ``year``): its title, and its own
    items under the base's categories they name as parent."""
    edition = _edition_of(family(family_code).text("base_family"), year)
    added: dict[str, list[ItemInput]] = {}
    known = {item.code for item in _every(base.items)}
    for row, item in _items(family_code, edition):
        if row.optional("parent") not in known:
            raise row.fail("parent", f"no item {row.optional('parent')!r} in the base template")
        added.setdefault(row.optional("parent"), []).append(item)
    row = family(family_code)
    _check_band_items()
    return replace(
        base,
        title=title_of(family_code, year),
        items=_graft(base.items, added),
        bands=bands_of(family_code, "") or base.bands,
        trend_min_points=row.maybe("trend_min_points", row.decimal) or base.trend_min_points,
        trend_min_ranks=row.maybe("trend_min_ranks", row.integer) or base.trend_min_ranks,
        consequences=consequences_of(row, base.consequences),
    )


def consequences_of(row: Row, base: ConsequencePolicy) -> ConsequencePolicy:
    """The family's consequence policy: each blank column keeps ``base``'s."""

    def triggers(column: str, kept: frozenset[Trigger]) -> frozenset[Trigger]:
        if not row.given(column):
            return kept
        found = set()
        for word in row.words(column):
            try:
                found.add(Trigger(word))
            except ValueError:
                known = "; ".join(Trigger)
                raise row.fail(column, f"{word!r} is not a trigger: use {known}") from None
        return frozenset(found)

    return ConsequencePolicy(
        commendation_quota=row.maybe("commendation_quota", row.integer) or base.commendation_quota,
        criticise_on=triggers("criticise_on", base.criticise_on),
        interview_on=triggers("interview_on", base.interview_on),
        ineligible_months=(
            row.integer("ineligible_months")
            if row.given("ineligible_months")
            else base.ineligible_months
        ),
        retroactive_years=(
            row.integer("retroactive_years")
            if row.given("retroactive_years")
            else base.retroactive_years
        ),
    )


def bands_of(family_code: str, item: str) -> BandRule | None:
    """The colour bands template_bands.csv gives the family's ``item`` ("": the whole
    template): a row without a level is the default, the others override it per level."""
    rows = grouped(table("template_bands.csv", BANDS), "family_code", "item").get(
        (family_code, item), []
    )
    if not rows:
        return None
    default = None
    levels: dict[str, Thresholds] = {}
    seen: dict[str, Row] = {}
    for row in rows:
        level = row.choice("level", TenantLevel) if row.given("level") else None
        key = level.value if level else ""
        if key in seen:
            raise row.fail("level", f"given twice for this item (also row {seen[key].number})")
        seen[key] = row
        thresholds = Thresholds(row.decimal("green"), row.decimal("yellow"))
        if level is None:
            default = thresholds
        else:
            levels[level.value] = thresholds
    return BandRule(default, levels)


def _check_band_items() -> None:
    """Every row of template_bands.csv names a family and one of its items (or none)."""
    items = {(r.text("family_code"), r.text("code")) for r in table("template_items.csv", ITEMS)}
    known = families()
    for row in table("template_bands.csv", BANDS):
        row.pick("family_code", known, "family", "template_families.csv")
        if row.given("item") and (row.text("family_code"), row.text("item")) not in items:
            raise row.fail("item", f"no item {row.text('item')!r} of this family")


def _edition_of(family_code: str, year: int) -> str:
    return LEDGER_FED if is_ledger_fed(family_code, year) else SELF_ENTERED


def _every(items: tuple[ItemInput, ...]) -> list[ItemInput]:
    return [i for item in items for i in (item, *_every(item.children))]


def _graft(
    items: tuple[ItemInput, ...], added: dict[str, list[ItemInput]]
) -> tuple[ItemInput, ...]:
    return tuple(
        replace(item, children=(*_graft(item.children, added), *added.get(item.code, ())))
        for item in items
    )


def _tree(family_code: str, edition: str) -> tuple[ItemInput, ...]:
    """The family's items as a tree, in file order."""
    rows = _items(family_code, edition)
    children = tree(row for row, _ in rows)
    made = {row.number: item for row, item in rows}

    def built(row: Row) -> ItemInput:
        kids = tuple(built(child) for child in children[row.text("code")])
        return replace(made[row.number], children=kids)

    return tuple(built(row) for row in children[""])


def _items(family_code: str, edition: str) -> list[tuple[Row, ItemInput]]:
    """The family's item rows with the items they make in ``edition``."""
    every = table("template_items.csv", ITEMS)
    codes = {r.text("code") for r in every}
    clauses = _by_item(table("template_clauses.csv", CLAUSES), codes, edition)
    tiers = _by_item(table("template_tiers.csv", TIERS), codes, edition)
    return [
        (row, _item(row, edition, clauses, tiers))
        for row in every
        if row.text("family_code") == family_code
    ]


def _by_item(rows: tuple[Row, ...], codes: set[str], edition: str) -> dict[str, list[Row]]:
    """The rows of ``edition`` (or of both) by the item they belong to."""
    found: dict[str, list[Row]] = {}
    for row in rows:
        if row.text("item") not in codes:
            raise row.fail("item", f"no item {row.text('item')!r} in template_items.csv")
        if _edition(row) in ("", edition):
            found.setdefault(row.text("item"), []).append(row)
    return found


def _edition(row: Row) -> str:
    """The row's edition; rows of a table without the column belong to both."""
    edition = row.cells.get("edition", "")
    if edition not in ("", SELF_ENTERED, LEDGER_FED):
        raise row.fail("edition", f"{edition!r} is not {SELF_ENTERED}, {LEDGER_FED} or blank")
    return edition


def _item(
    row: Row, edition: str, clauses: dict[str, list[Row]], tiers: dict[str, list[Row]]
) -> ItemInput:
    code = row.text("code")
    ledger_source = row.maybe("ledger_source", lambda c: row.choice(c, ValueSource))
    return ItemInput(
        code,
        row.text("title"),
        row.choice("kind", ItemKind),
        row.decimal("max_points"),
        criteria=row.optional("criteria"),
        bonus=row.flag("bonus"),
        local=row.flag("local"),
        method=row.maybe("method", lambda c: row.choice(c, Method)),
        target=row.maybe("target", row.decimal),
        floor=row.maybe("floor", row.decimal),
        tiers=tuple(
            TierInput(tier.decimal("min_value"), tier.decimal("points"))
            for tier in tiers.get(code, ())
        ),
        clauses=tuple(_clause(clause) for clause in clauses.get(code, ())),
        required=row.flag("required"),
        source=ledger_source.value
        if edition == LEDGER_FED and ledger_source
        else ValueSource.SELF.value,
        bands=bands_of(row.text("family_code"), code),
    )


def _clause(row: Row) -> ClauseInput:
    return ClauseInput(
        row.text("key"),
        row.choice("kind", ClauseKind),
        row.text("text"),
        row.maybe("points", row.decimal) or Decimal(0),
        row.maybe("threshold", row.decimal),
        row.optional("fact") or None,
        row.maybe("scope", lambda c: row.choice(c, ClauseScope)) or ClauseScope.ITEM,
        row.maybe("fact_scope", lambda c: row.choice(c, ClauseScope)) or ClauseScope.ITEM,
        cap=row.maybe("cap", row.decimal),
        repeat_factor=row.maybe("repeat_factor", row.decimal),
        accident_measure=row.maybe("accident_measure", lambda c: row.choice(c, AccidentMeasure)),
        accident_class=row.maybe("accident_class", lambda c: row.choice(c, AccidentClass)),
    )


def _category(flag: str) -> str:
    """The code of the provincial family's one category flagged ``flag`` (local, bonus)."""
    rows = [r for r in table("template_items.csv", ITEMS) if r.text("family_code") == PROVINCIAL]
    found = [r.text("code") for r in rows if r.flag(flag)]
    if len(found) != 1:
        raise DemoDataError(
            f"template_items.csv: {PROVINCIAL} needs one {flag} category, not {len(found)}"
        )
    return found[0]


LOCAL_CATEGORY = _category("local")
BONUS_CATEGORY = _category("bonus")
