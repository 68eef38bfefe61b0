"""Inputs of the templates area's mutations: a whole template as one document (capped before
the service reads it), and what each mutation names."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from redline.errors import DomainError, ErrorCode, Problem, fail
from scoring.engine.bands import BandRule, Thresholds
from scoring.engine.consequences import ConsequencePolicy
from scoring.templates.document import (
    MAX_ITEMS,
    MAX_VETO_RULES,
    ClauseInput,
    GradeNames,
    ItemInput,
    TemplateContent,
    TierInput,
    VetoRuleInput,
)
from scoring.templates.validation import level_problems

from ..core.enums import (
    AccidentClass,
    AccidentMeasure,
    ClauseKind,
    ClauseScope,
    ExplanationLanguage,
    ItemKind,
    Method,
    RuleSeverity,
    TenantLevel,
    Trigger,
    VetoKind,
)

# Caps on what one request may send, before the service looks at it (it caps items and veto
# rules itself); deeper trees than this are no real template.
MAX_TIERS = 50
MAX_CLAUSES = 100
MAX_DEPTH = 8
READ_LIMIT = 20 * 1024 * 1024  # an import is refused above 10 MB: read no more than that


@strawberry.input(name="TierInput", description="A value of at least minValue earns points.")
class TierInputType:
    min_value: Decimal = strawberry.field(
        description="The least value of the tier; tiers go from the highest value down."
    )
    points: Decimal = strawberry.field(
        description="The points it earns: at most the indicator's, and no more than the tier above."
    )


@strawberry.input(name="ClauseInput", description="A deduction clause beside its wording.")
class ClauseInputType:
    key: str = strawberry.field(
        description="What the unit counts against, unique within the item (counts[].key)."
    )
    kind: ClauseKind = strawberry.field(description="How the clause deducts.")
    text: str = strawberry.field(description="The criteria's own words, quoted in explanations.")
    points: Decimal = strawberry.field(
        default=Decimal(0),
        description="The points it deducts (per occurrence, more, or at most, by its kind).",
    )
    threshold: Decimal | None = strawberry.field(default=None, description="CASCADE only.")
    fact: str | None = strawberry.field(
        default=None, description="Clauses naming the same fact deduct once."
    )
    scope: ClauseScope = strawberry.field(
        default=ClauseScope.ITEM,
        description="EXTRA only: where the extra points come off, CATEGORY or TEMPLATE.",
    )
    fact_scope: ClauseScope = strawberry.field(
        default=ClauseScope.ITEM,
        description="How far `fact` is one fact: ITEM, CATEGORY (the items of this item's "
        "category) or TEMPLATE (其他考评内容中已有的不重复扣分).",
    )
    cap: Decimal | None = strawberry.field(
        default=None, description="PER_OCCURRENCE only: the most it deducts (最多扣N分)."
    )
    repeat_factor: Decimal | None = strawberry.field(
        default=None,
        description="PER_OCCURRENCE only: each repeat deducts `points` times this, above 1 "
        "(2: 重复发生的加倍扣分).",
    )
    accident_measure: AccidentMeasure | None = strawberry.field(
        default=None,
        description="Source ACCIDENTS only: count ACCIDENTS (the default), DEATHS or "
        "LATE_REPORT_HOURS.",
    )
    accident_class: AccidentClass | None = strawberry.field(
        default=None,
        description="Source ACCIDENTS only: count accidents of this class and the classes above "
        "up to the next clause's, so each accident counts once, at its most severe class.",
    )


@strawberry.input(name="LevelBandsInput", description="Thresholds for units of one level.")
class LevelBandsInputType:
    level: TenantLevel = strawberry.field(description="The level of the units these apply to.")
    green: Decimal = strawberry.field(description="GREEN from this percent of the maximum.")
    yellow: Decimal = strawberry.field(
        description="YELLOW from this percent of the maximum (at most green); RED below."
    )


@strawberry.input(
    name="BandsInput",
    description="Colour bands as percents of the maximum (0 to 100, at most 2 decimals): green "
    "from `green`, yellow from `yellow` (at most green), red below. `green` and `yellow` "
    "(both or neither) apply at every level; `levels` override them for units of one level, "
    "each level once.",
)
class BandsInputType:
    green: Decimal | None = strawberry.field(
        default=None, description="GREEN from this percent, at every level (with `yellow`)."
    )
    yellow: Decimal | None = strawberry.field(
        default=None, description="YELLOW from this percent, at every level (with `green`)."
    )
    levels: list[LevelBandsInputType] | None = strawberry.field(
        default=None, description="Overrides for units of one level, each level once."
    )


@strawberry.input(
    name="TemplateItemInput",
    description="A category (with children) or an indicator (with a method and its "
    "parameters: target/floor for RATIO, tiers for TIERS, clauses for DEDUCTION).",
)
class ItemInputType:
    code: str = strawberry.field(description='Its code, unique in the template ("2.3").')
    title: str = strawberry.field(description="Its (short) title.")
    kind: ItemKind = strawberry.field(description="CATEGORY or INDICATOR.")
    max_points: Decimal = strawberry.field(
        description="The most points it earns (a category caps its items at this)."
    )
    criteria: str = strawberry.field(
        default="", description="The scoring criteria as written (评分标准)."
    )
    requirement: str = strawberry.field(
        default="", description="What the standard requires (考评内容), beside the short title."
    )
    bonus: bool = strawberry.field(
        default=False, description="A category of bonus indicators (加分项), outside the total."
    )
    local: bool = strawberry.field(
        default=False, description="A category left open for cities' local indicators."
    )
    method: Method | None = strawberry.field(
        default=None, description="An indicator's scoring method; null for a category."
    )
    target: Decimal | None = strawberry.field(
        default=None, description="RATIO only: the value earning full points."
    )
    floor: Decimal | None = strawberry.field(
        default=None, description="RATIO only: a value below it earns 0."
    )
    tiers: list[TierInputType] = strawberry.field(
        default_factory=list,
        description=f"TIERS only: highest value first; at most {MAX_TIERS}.",
    )
    clauses: list[ClauseInputType] = strawberry.field(
        default_factory=list, description=f"DEDUCTION only: at most {MAX_CLAUSES} clauses."
    )
    required: bool = strawberry.field(
        default=True,
        description="An indicator a submission needs filled (or marked not applicable).",
    )
    source: str = strawberry.field(
        default="self",
        description="Where an indicator's input comes from: `self` (the unit enters it) or a "
        "ledger figure (see Indicator.source).",
    )
    children: list[ItemInputType] = strawberry.field(
        default_factory=list,
        description=f"A category's items, in order; at most {MAX_DEPTH} levels deep.",
    )
    bands: BandsInputType | None = strawberry.field(
        default=None,
        description="The item's own colour bands, before the template's (null: the template's).",
    )


@strawberry.input(
    name="VetoRuleInput",
    description="A veto (一票否决) or yellow-card (黄牌警告) rule of the template.",
)
class VetoRuleInputType:
    code: str = strawberry.field(description="Its code, unique in the template.")
    title: str = strawberry.field(description="Its short title.")
    text: str = strawberry.field(
        default="", description="The rule as the assessment measures word it."
    )
    kind: VetoKind = strawberry.field(
        default=VetoKind.MANUAL, description="How it fires; MANUAL by default."
    )
    severity: RuleSeverity = strawberry.field(
        default=RuleSeverity.VETO,
        description="VETO (the default) or YELLOW_CARD: a warning instead of a veto.",
    )
    threshold: int | None = strawberry.field(
        default=None,
        description="The deaths (ACCIDENT_DEATHS) or overdue task elements (OVERDUE_TASKS) the "
        "rule fires at; null for the other kinds.",
    )


@strawberry.input(description="A template's names of its grades; blank keeps the usual word.")
class GradeNamesInput:
    excellent: str = strawberry.field(default="", description="The name of EXCELLENT.")
    good: str = strawberry.field(default="", description="The name of GOOD.")
    qualified: str = strawberry.field(default="", description="The name of QUALIFIED.")
    unqualified: str = strawberry.field(default="", description="The name of UNQUALIFIED.")


@strawberry.input(
    name="ConsequencePolicyInput",
    description="What a cycle's final result does to a unit; a field left out keeps the "
    "default (Hunan's measures: all excellent units commended, VETO and UNQUALIFIED criticised, "
    "VETO and YELLOW_CARD interviewed, a vetoed unit's leaders barred for 12 months).",
)
class ConsequencePolicyInput:
    commendation_quota: int | None = strawberry.field(
        default=None,
        description="How many units of a cycle's ranking are commended, best first, 1-1000 "
        "(null: every excellent unit neither vetoed nor yellow-carded).",
    )
    criticise_on: list[Trigger] | None = strawberry.field(
        default=None, description="What gets a unit criticised (通报批评)."
    )
    interview_on: list[Trigger] | None = strawberry.field(
        default=None, description="What gets a unit's leaders interviewed (约谈)."
    )
    ineligible_months: int | None = strawberry.field(
        default=None,
        description="How long a vetoed unit's leaders may not be commended or promoted, 0-120 "
        "months from the day the cycle closes (0: not barred).",
    )
    retroactive_years: int | None = strawberry.field(
        default=None,
        description="For how many years (0-3) after its period a final result may still take a "
        "veto found later (0, the default: a final result stands).",
    )


def _consequences(given: ConsequencePolicyInput | None) -> ConsequencePolicy:
    default = ConsequencePolicy()
    if given is None:
        return default
    return ConsequencePolicy(
        commendation_quota=given.commendation_quota,
        criticise_on=(
            frozenset(given.criticise_on)
            if given.criticise_on is not None
            else default.criticise_on
        ),
        interview_on=(
            frozenset(given.interview_on)
            if given.interview_on is not None
            else default.interview_on
        ),
        ineligible_months=(
            given.ineligible_months
            if given.ineligible_months is not None
            else default.ineligible_months
        ),
        retroactive_years=(
            given.retroactive_years
            if given.retroactive_years is not None
            else default.retroactive_years
        ),
    )


def _grade_names(given: GradeNamesInput | None) -> GradeNames:
    if given is None:
        return GradeNames()
    return GradeNames(given.excellent, given.good, given.qualified, given.unqualified)


@strawberry.input(
    name="TemplateContentInput",
    description="A whole template as one document: settings, the item tree, the veto rules. "
    "Errors name its fields as paths: content.items[1].children[0].maxPoints.",
)
class ContentInput:
    title: str = strawberry.field(description="The template's title.")
    year: int = strawberry.field(description="The year it assesses.")
    total_points: Decimal = strawberry.field(
        description="The points of the whole, without bonus: the top categories' points, "
        "bonus categories aside, add up to it."
    )
    bonus_cap: Decimal = strawberry.field(
        description="The most bonus points a unit earns in all (0: none)."
    )
    grade_excellent: Decimal | None = strawberry.field(
        description="At least this is EXCELLENT; null: the template has no excellent grade."
    )
    grade_good: Decimal | None = strawberry.field(
        description="At least this is GOOD; null: no good grade (nor an excellent one)."
    )
    grade_qualified: Decimal = strawberry.field(
        description="At least this is QUALIFIED; below it, UNQUALIFIED."
    )
    items: list[ItemInputType] = strawberry.field(
        description=f"The top categories with their items; at most {MAX_ITEMS} items in all."
    )
    grade_names: GradeNamesInput | None = strawberry.field(
        default=None,
        description="What the template calls its grades (一级 / 二级 / 三级 / 不达标); null or "
        "a blank name keeps the usual word.",
    )
    veto_rules: list[VetoRuleInputType] = strawberry.field(
        default_factory=list,
        description=f"Its veto and yellow-card rules; at most {MAX_VETO_RULES}.",
    )
    language: ExplanationLanguage = strawberry.field(
        default=ExplanationLanguage.EN,
        description="The language scorecards of this template are explained in: ZH for a "
        "standard written in Chinese (条款a, 扣完为止), EN (the default).",
    )
    composite_weight: Decimal | None = strawberry.field(
        default=None,
        description="A region assessed itself and through its units is ranked on weight x its "
        "own total + (1 - weight) x its units' mean; strictly between 0 and 1, or null (none).",
    )
    bands: BandsInputType | None = strawberry.field(
        default=None,
        description="Colour bands of the leaders' matrix and league table (null: from the "
        "grade thresholds as percents of the total).",
    )
    trend_min_points: Decimal | None = strawberry.field(
        default=None,
        description="The least change of score (points, 0 or more) that earns a trend arrow "
        "against the previous cycle; null: any change.",
    )
    trend_min_ranks: int | None = strawberry.field(
        default=None,
        description="The least change of rank (1 or more places) that earns a rank arrow; "
        "null: any change (1).",
    )
    consequences: ConsequencePolicyInput | None = strawberry.field(
        default=None,
        description="What a cycle's final result does to a unit (null: the defaults).",
    )


def _bands(data: BandsInputType | None, path: str, problems: list[Problem]) -> BandRule | None:
    """The document's bands from the input: green and yellow both or neither, each level
    once (the numbers are the service's to check)."""
    if data is None:
        return None
    default = None
    if data.green is not None and data.yellow is not None:
        default = Thresholds(data.green, data.yellow)
    elif data.green is not None or data.yellow is not None:
        given, missing = ("green", "yellow") if data.green is not None else ("yellow", "green")
        problems.append(
            Problem(
                f"{path}.{missing}",
                f"give the {missing} threshold with the {given} one (both or neither)",
                ErrorCode.REQUIRED,
            )
        )
    levels = data.levels or []
    problems.extend(level_problems(f"{path}.levels", [entry.level for entry in levels]))
    if default is None and not levels:
        return None
    return BandRule(
        default, {entry.level.value: Thresholds(entry.green, entry.yellow) for entry in levels}
    )


def _item(data: ItemInputType, path: str, depth: int, problems: list[Problem]) -> ItemInput:
    if len(data.tiers) > MAX_TIERS:
        problems.append(Problem(f"{path}.tiers", f"at most {MAX_TIERS} tiers", ErrorCode.TOO_LARGE))
    if len(data.clauses) > MAX_CLAUSES:
        problems.append(
            Problem(f"{path}.clauses", f"at most {MAX_CLAUSES} clauses", ErrorCode.TOO_LARGE)
        )
    children: tuple[ItemInput, ...] = ()
    if data.children and depth >= MAX_DEPTH:
        problems.append(
            Problem(f"{path}.children", f"at most {MAX_DEPTH} levels", ErrorCode.TOO_LARGE)
        )
    else:
        children = tuple(
            _item(child, f"{path}.children[{i}]", depth + 1, problems)
            for i, child in enumerate(data.children)
        )
    return ItemInput(
        code=data.code,
        title=data.title,
        kind=data.kind,
        max_points=data.max_points,
        criteria=data.criteria,
        requirement=data.requirement,
        bonus=data.bonus,
        local=data.local,
        method=data.method,
        target=data.target,
        floor=data.floor,
        tiers=tuple(TierInput(t.min_value, t.points) for t in data.tiers[:MAX_TIERS]),
        clauses=tuple(
            ClauseInput(
                c.key,
                c.kind,
                c.text,
                c.points,
                c.threshold,
                c.fact,
                c.scope,
                c.fact_scope,
                cap=c.cap,
                repeat_factor=c.repeat_factor,
                accident_measure=c.accident_measure,
                accident_class=c.accident_class,
            )
            for c in data.clauses[:MAX_CLAUSES]
        ),
        required=data.required,
        source=data.source,
        children=children,
        bands=_bands(data.bands, f"{path}.bands", problems),
    )


def _count(items: Sequence[ItemInputType]) -> int:
    return sum(1 + _count(i.children) for i in items)


def content_of(data: ContentInput, field: str = "content") -> TemplateContent:
    """The service's document from the input; caps checked first (one error per field)."""
    if _count(data.items) > MAX_ITEMS:
        raise fail(f"{field}.items", f"at most {MAX_ITEMS} items", ErrorCode.TOO_LARGE)
    if len(data.veto_rules) > MAX_VETO_RULES:
        raise fail(
            f"{field}.vetoRules",
            f"at most {MAX_VETO_RULES} veto rules",
            ErrorCode.TOO_LARGE,
        )
    problems: list[Problem] = []
    bands = _bands(data.bands, f"{field}.bands", problems)
    items = tuple(
        _item(item, f"{field}.items[{i}]", 1, problems) for i, item in enumerate(data.items)
    )
    if problems:
        raise DomainError(problems)
    return TemplateContent(
        title=data.title,
        year=data.year,
        total_points=data.total_points,
        bonus_cap=data.bonus_cap,
        grade_excellent=data.grade_excellent,
        grade_good=data.grade_good,
        grade_qualified=data.grade_qualified,
        composite_weight=data.composite_weight,
        language=ExplanationLanguage(data.language).value,
        grade_names=_grade_names(data.grade_names),
        bands=bands,
        trend_min_points=data.trend_min_points,
        trend_min_ranks=data.trend_min_ranks,
        consequences=_consequences(data.consequences),
        items=items,
        veto_rules=tuple(
            VetoRuleInput(r.code, r.title, r.text, r.kind, r.severity, r.threshold)
            for r in data.veto_rules
        ),
    )


@strawberry.input(description="A new template family and its first draft version.")
class CreateTemplateInput:
    owner_node_id: relay.GlobalID = strawberry.field(description="The province writing it.")
    family_code: str = strawberry.field(description="A short code for the scheme, e.g. zj-county.")
    family_name: str = strawberry.field(description="The scheme's name.")
    content: ContentInput = strawberry.field(description="The first draft's content.")


@strawberry.input(description="Replace a draft's whole content.")
class UpdateTemplateDraftInput:
    id: relay.GlobalID = strawberry.field(description="The draft template.")
    expected_version: int = strawberry.field(description="The lockVersion you read.")
    content: ContentInput = strawberry.field(description="Its new content, whole.")


@strawberry.input(description="A draft to publish.")
class PublishTemplateInput:
    id: relay.GlobalID = strawberry.field(description="The draft template.")
    expected_version: int = strawberry.field(description="The lockVersion you read.")


@strawberry.input(description="A published template to archive.")
class ArchiveTemplateInput:
    id: relay.GlobalID = strawberry.field(description="The template.")


@strawberry.input(
    description="Copy a template into a new draft version of its family; give year and title "
    "to make last year's template this year's."
)
class NewTemplateVersionInput:
    id: relay.GlobalID = strawberry.field(description="The template to copy.")
    year: int | None = strawberry.field(
        default=None, description="The new version's year; null: the copied one's."
    )
    title: str | None = strawberry.field(
        default=None, description="The new version's title; null: the copied one's."
    )


@strawberry.input(description="Start a city's local template on the province's published one.")
class ExtendTemplateInput:
    base_id: relay.GlobalID = strawberry.field(
        description="The province's published template to extend."
    )
    owner_node_id: relay.GlobalID = strawberry.field(description="The city writing it.")
    content: ContentInput | None = strawberry.field(
        default=None, description="Null: start from a copy of the base."
    )


@strawberry.input(
    description="An .xlsx workbook (as exported) becomes: with id, that draft's new content "
    "(expectedVersion needed); else, with the familyCode of an existing family, its draft's "
    "new content when its newest version is a draft (expectedVersion checked when given), "
    "else its next draft version; else a new family (ownerNodeId, familyCode, familyName). "
    'Errors name the cell ("Items!E7", "指标!E7") as their field.'
)
class ImportTemplateInput:
    file: Upload = strawberry.field(description="The .xlsx workbook (multipart upload).")
    id: relay.GlobalID | None = strawberry.field(
        default=None, description="A draft template to replace the content of."
    )
    expected_version: int | None = strawberry.field(
        default=None, description="The draft's lockVersion as you read it."
    )
    family_code: str | None = strawberry.field(
        default=None, description="An existing family's code, or a new family's."
    )
    family_name: str | None = strawberry.field(default=None, description="A new family's name.")
    owner_node_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The unit that owns a new family."
    )
