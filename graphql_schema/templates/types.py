"""GraphQL types of the templates area: Template, its family, categories, indicators and veto
rules, and the item tree assessments and scorecards are read against."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import relay

from scoring import engine
from scoring.engine import ClauseKind, ClauseScope
from scoring.engine.bands import BandRule, grade_thresholds, resolve
from scoring.engine.consequences import ConsequencePolicy
from scoring.templates import models
from scoring.templates.document import ClauseInput
from scoring.templates.storage import stored_bands, stored_clause
from scoring.templates.validation import template_problems

from ..core.amounts import amount, document_amount
from ..core.bands import Bands, BandThresholds
from ..core.context import Info
from ..core.enums import (
    AccidentClass,
    AccidentMeasure,
    ErrorCode,
    ExplanationLanguage,
    Grade,
    ItemKind,
    Method,
    RuleSeverity,
    TemplateState,
    TenantLevel,
    Trigger,
    VetoKind,
)
from ..core.errors import ApiError, UserError, user_errors
from ..core.nodes import ModelNode
from ..tenants.types import Tenant, User
from .dataloaders import ITEMS, VETO_RULES


@strawberry.type(description="What a template calls its grades; null keeps the usual word.")
class GradeNames:
    excellent: str | None = strawberry.field(description="The name of EXCELLENT (优秀).")
    good: str | None = strawberry.field(description="The name of GOOD (良好).")
    qualified: str | None = strawberry.field(description="The name of QUALIFIED (合格).")
    unqualified: str | None = strawberry.field(description="The name of UNQUALIFIED (不合格).")


@strawberry.type(description="A grade a template has: its name there and its threshold.")
class GradeLevel:
    grade: Grade = strawberry.field(description="The grade.")
    name: str | None = strawberry.field(
        description="The template's name for it (一级); null: the usual word for `grade`."
    )
    min_points: Decimal | None = strawberry.field(
        description="The least total that earns it; null for UNQUALIFIED (below the others)."
    )


@strawberry.type(
    name="ConsequencePolicy",
    description="What a cycle's final result does to a unit under this template: its best "
    "`commendationQuota` excellent units that are neither vetoed nor yellow-carded commended, "
    "units criticised and their leaders interviewed for the triggers named, and a vetoed "
    "unit's leaders ineligible for commendation or promotion for `ineligibleMonths`.",
)
class ConsequencePolicyType:
    commendation_quota: int | None = strawberry.field(
        description="How many units of the cycle's ranking are commended, best first (null: "
        "every eligible excellent unit)."
    )
    criticise_on: list[Trigger] = strawberry.field(
        description="What puts a unit on the criticism list (通报批评)."
    )
    interview_on: list[Trigger] = strawberry.field(
        description="What brings an interview of the unit's leaders (约谈)."
    )
    ineligible_months: int = strawberry.field(
        description="How long a vetoed unit's leaders may not be commended or promoted, from "
        "the day the cycle closes (0: not barred)."
    )
    retroactive_years: int = strawberry.field(
        description="For how many years after its period a final result may still take a veto "
        "found later (raiseRetroactiveVeto: a concealed accident come to light), its rankings "
        "republished as a new version (0: a final result stands)."
    )

    @classmethod
    def of(cls, policy: ConsequencePolicy) -> ConsequencePolicyType:
        return cls(
            commendation_quota=policy.commendation_quota,
            criticise_on=[t for t in Trigger if t in policy.criticise_on],
            interview_on=[t for t in Trigger if t in policy.interview_on],
            ineligible_months=policy.ineligible_months,
            retroactive_years=policy.retroactive_years,
        )


@strawberry.type(
    description="Grade thresholds on the total: at least `excellent` is EXCELLENT, and so on "
    "down; a template with fewer grades has no excellent (null), or no excellent and no good."
)
class Grades:
    excellent: Decimal | None = strawberry.field(
        description="The least total that is EXCELLENT; null when the template has no such grade."
    )
    good: Decimal | None = strawberry.field(
        description="The least total that is GOOD; null when the template has no such grade."
    )
    qualified: Decimal = strawberry.field(
        description="The least total that is QUALIFIED; below it, UNQUALIFIED."
    )
    names: GradeNames = strawberry.field(description="What the template calls its grades.")
    levels: list[GradeLevel] = strawberry.field(
        description="The grades the template has, the best first, with their names."
    )

    @classmethod
    def of(cls, row: models.Template) -> Grades:
        names = row.grade_names or {}
        thresholds = {grade: amount(low) for grade, low in row.grade_thresholds().items()}
        levels = [
            GradeLevel(grade=grade, name=names.get(grade.value) or None, min_points=low)
            for grade, low in (*thresholds.items(), (Grade.UNQUALIFIED, None))
        ]
        return cls(
            excellent=thresholds.get(Grade.EXCELLENT),
            good=thresholds.get(Grade.GOOD),
            qualified=thresholds[Grade.QUALIFIED],
            names=GradeNames(**{g.value: names.get(g.value) or None for g in Grade}),
            levels=levels,
        )


@strawberry.type(description="A value threshold: a value of at least `minValue` earns `points`.")
class Tier:
    min_value: Decimal = strawberry.field(description="The least value of the tier.")
    points: Decimal = strawberry.field(description="The points the tier earns.")


@strawberry.type(description="A deduction clause, structured, beside its original wording.")
class Clause:
    key: str = strawberry.field(description="What the unit counts against (counts[].key).")
    kind: ClauseKind = strawberry.field(description="How the clause deducts.")
    text: str = strawberry.field(description="The criteria's own words, quoted in explanations.")
    points: Decimal = strawberry.field(
        description="The points it deducts (per occurrence, more, or at most, by its kind)."
    )
    threshold: Decimal | None = strawberry.field(description="CASCADE: points lost before it.")
    fact: str | None = strawberry.field(
        description="Clauses sharing a fact deduct once (the largest): no double deduction."
    )
    scope: ClauseScope = strawberry.field(
        description="EXTRA: where the extra points come off (CATEGORY or TEMPLATE); else ITEM."
    )
    fact_scope: ClauseScope = strawberry.field(
        description="How far `fact` is one fact: ITEM, CATEGORY or TEMPLATE."
    )
    cap: Decimal | None = strawberry.field(
        description="PER_OCCURRENCE: the most the clause deducts (最多扣N分); null: no cap."
    )
    repeat_factor: Decimal | None = strawberry.field(
        description="PER_OCCURRENCE: each occurrence after the first deducts `points` times "
        "this (2: a repeat offence counts double); null: every occurrence the same."
    )
    accident_measure: AccidentMeasure | None = strawberry.field(
        description="Fed by the accident ledger: what the clause counts (null: accidents)."
    )
    accident_class: AccidentClass | None = strawberry.field(
        description="Fed by the accident ledger: the class it counts; each accident counts "
        "once, in the clause of the most severe class it reaches (null: every class)."
    )


def clause_of(clause: ClauseInput) -> Clause:
    """A clause of a template document as the API shows it."""
    return Clause(
        key=clause.key,
        kind=ClauseKind(clause.kind),
        text=clause.text,
        points=amount(clause.points),
        threshold=amount(clause.threshold),
        fact=clause.fact,
        scope=ClauseScope(clause.scope),
        fact_scope=ClauseScope(clause.fact_scope),
        cap=amount(clause.cap),
        repeat_factor=clause.repeat_factor,
        accident_measure=clause.accident_measure,
        accident_class=clause.accident_class,
    )


@strawberry.type(description="A scored item of a template, with its method's parameters.")
class Indicator:
    code: str = strawberry.field(description='Its code in the template ("2.3").')
    title: str = strawberry.field(description="Its title.")
    criteria: str = strawberry.field(description="The scoring criteria as written (评分标准).")
    requirement: str = strawberry.field(description="What the standard requires (考评内容).")
    max_points: Decimal = strawberry.field(description="The most points it earns.")
    method: Method = strawberry.field(description="How its input becomes points.")
    target: Decimal | None = strawberry.field(description="RATIO: the value earning full points.")
    floor: Decimal | None = strawberry.field(description="RATIO: a value below earns 0.")
    tiers: list[Tier] = strawberry.field(
        description="TIERS: the value thresholds, highest first; empty for other methods."
    )
    clauses: list[Clause] = strawberry.field(
        description="DEDUCTION: the deduction clauses, in order; empty for other methods."
    )
    required: bool = strawberry.field(description="A submission needs it filled (or N/A).")
    source: str = strawberry.field(
        description="Where the input comes from: `self` (the unit enters it) or a ledger figure "
        "over the cycle's period (hazard_rectification_rate, major_hazard_rectification_rate, "
        "overdue_hazards, overdue_major_hazards, task_completion_rate, overdue_task_elements, "
        "accidents, accident_deaths, statement_coverage; rates in percent): then the value "
        "(RATIO, TIERS) or every clause's count (DEDUCTION) is the figure, read only."
    )
    bands: Bands | None = strawberry.field(
        description="Its own colour bands, before the template's (null: the template's)."
    )
    category_code: str | None = strawberry.field(
        description="The code of the category it sits in directly."
    )
    item_id: strawberry.Private[int]
    added_by_id: strawberry.Private[int | None]

    @strawberry.field(description="The city that added it to a local category; null otherwise.")
    async def added_by(self, info: Info) -> Tenant | None:
        return await Tenant.load(info, self.added_by_id)

    @classmethod
    def from_model(cls, item: models.TemplateItem, category_code: str | None) -> Indicator:
        return cls(
            code=item.code,
            title=item.title,
            criteria=item.criteria,
            requirement=item.requirement,
            max_points=amount(item.max_points),
            method=item.method,
            target=amount(item.target),
            floor=amount(item.floor),
            tiers=[
                Tier(min_value=document_amount(t["min_value"]), points=document_amount(t["points"]))
                for t in item.tiers or []
            ],
            clauses=[clause_of(stored_clause(c)) for c in item.clauses or []],
            required=item.required,
            source=item.source,
            bands=Bands.of_document(item.bands),
            category_code=category_code,
            item_id=item.id,
            added_by_id=item.added_by_node_id,
        )


@strawberry.type(description="A group of indicators and subcategories, capped at its points.")
class TemplateCategory:
    code: str = strawberry.field(description='Its code in the template ("2").')
    title: str = strawberry.field(description="Its title.")
    criteria: str = strawberry.field(description="Scoring criteria written on the category.")
    requirement: str = strawberry.field(description="What the standard requires (考评内容).")
    max_points: Decimal = strawberry.field(
        description="Its points: what its items earn is capped at this."
    )
    bonus: bool = strawberry.field(description="Holds bonus indicators, outside the total.")
    local: bool = strawberry.field(description="Left open for cities to add local indicators.")
    bands: Bands | None = strawberry.field(
        description="Its own colour bands, before the template's (null: the template's)."
    )
    categories: list[TemplateCategory] = strawberry.field(
        description="Its subcategories, in template order."
    )
    indicators: list[Indicator] = strawberry.field(
        description="Its own indicators (not its subcategories'), in template order."
    )


class ItemTree:
    """A template's items as a tree: top categories, and every indicator in template order."""

    def __init__(self, items: Sequence[models.TemplateItem]) -> None:
        children: dict[int | None, list[models.TemplateItem]] = defaultdict(list)
        for item in sorted(items, key=lambda i: (i.position, i.id)):
            children[item.parent_id].append(item)
        self.indicators: list[Indicator] = []
        self.titles: dict[str, str] = {}
        # Every category's and indicator's own colour bands, by code.
        self.bands: dict[str, BandRule] = {
            item.code: stored_bands(item.bands) or BandRule() for item in items
        }

        def category(item: models.TemplateItem) -> TemplateCategory:
            self.titles[item.code] = item.title
            indicators = []
            for child in children[item.id]:
                if child.kind is ItemKind.INDICATOR:
                    indicator = Indicator.from_model(child, item.code)
                    indicators.append(indicator)
                    self.indicators.append(indicator)
            return TemplateCategory(
                code=item.code,
                title=item.title,
                criteria=item.criteria,
                requirement=item.requirement,
                max_points=amount(item.max_points),
                bonus=item.bonus,
                local=item.local,
                bands=Bands.of_document(item.bands),
                indicators=indicators,
                categories=[category(c) for c in children[item.id] if c.kind is ItemKind.CATEGORY],
            )

        self.categories = [category(c) for c in children[None] if c.kind is ItemKind.CATEGORY]
        self.by_code = {i.code: i for i in self.indicators}


async def item_tree(info: Info, template_id: int) -> ItemTree:
    """The items of a template as a tree (batched across the templates of a page)."""
    return ItemTree(await info.context.loaders.get(ITEMS).load(template_id))


@strawberry.type(
    description="A template's rule of consequence: a one-ticket veto (whatever the score, the "
    "unit fails) or, by its severity, a yellow card (a warning; no commendation)."
)
class VetoRule:
    code: str = strawberry.field(description="Its code in the template.")
    title: str = strawberry.field(description="Its short title.")
    text: str = strawberry.field(description="The rule as the assessment measures word it.")
    kind: VetoKind = strawberry.field(description="How it fires.")
    severity: RuleSeverity = strawberry.field(
        description="VETO (一票否决) or YELLOW_CARD (黄牌警告)."
    )
    threshold: int | None = strawberry.field(
        description="The deaths or overdue task elements a threshold kind fires at."
    )

    @classmethod
    def from_model(cls, rule: models.VetoRule) -> VetoRule:
        return cls(
            code=rule.code,
            title=rule.title,
            text=rule.text,
            kind=rule.kind,
            severity=rule.severity,
            threshold=rule.threshold,
        )


@strawberry.type(description="An assessment scheme over the years; its versions are templates.")
class TemplateFamily:
    code: str = strawberry.field(description="The family's code, unique in the province.")
    name: str = strawberry.field(description="The family's name.")
    owner_node_id: strawberry.Private[int]

    @strawberry.field(description="The unit whose template authors own the family.")
    async def owner(self, info: Info) -> Tenant | None:
        return await Tenant.load(info, self.owner_node_id)


@strawberry.type(
    name="Template",
    description="One version of an indicator template: categories of indicators, grades, a "
    "bonus cap and veto rules. Published versions never change; a change is a new version.",
)
class Template(ModelNode):
    model = models.Template
    id: relay.NodeID[int]
    version: int = strawberry.field(description="Its version number in its family: 1, 2, ...")
    state: TemplateState = strawberry.field(description="DRAFT, PUBLISHED or ARCHIVED.")
    title: str = strawberry.field(description="Its title.")
    year: int = strawberry.field(description="The year it assesses.")
    total_points: Decimal = strawberry.field(
        description="The points of the whole, without bonus (100, or 1,000 for a grading "
        "standard): normalised scores are out of this."
    )
    bonus_cap: Decimal = strawberry.field(
        description="The most bonus points (加分项) a unit earns in all (0: none)."
    )
    grades: Grades = strawberry.field(description="The grade thresholds and names.")
    language: ExplanationLanguage = strawberry.field(
        description="The language its scorecards are explained in."
    )
    composite_weight: Decimal | None = strawberry.field(
        description="A region's composite score: weight x its own total + (1 - weight) x its "
        "units' mean (null: no composite)."
    )
    bands: Bands | None = strawberry.field(
        description="Colour bands of the leaders' matrix and league table, as set (null: "
        "none set; bandsAt gives the thresholds that apply)."
    )
    trend_min_points: Decimal | None = strawberry.field(
        description="The least change of score (points) that earns a trend arrow against the "
        "previous cycle (null: any change)."
    )
    trend_min_ranks: int | None = strawberry.field(
        description="The least change of rank (places) that earns a rank arrow (null: any change)."
    )
    consequences: ConsequencePolicyType = strawberry.field(
        description="What a cycle's final result does to a unit (the defaults when the template "
        "says nothing: Hunan's measures)."
    )
    lock_version: int = strawberry.field(
        description="Send it back as expectedVersion when editing the draft."
    )
    created_at: datetime = strawberry.field(description="When the version was created.")
    published_at: datetime | None = strawberry.field(
        description="When it was published; null while a draft."
    )
    archived_at: datetime | None = strawberry.field(
        description="When it was archived; null unless archived."
    )
    family_id: strawberry.Private[int]
    owner_node_id: strawberry.Private[int]
    extends_id: strawberry.Private[int | None]
    copied_from_id: strawberry.Private[int | None]
    published_by_id: strawberry.Private[int | None]
    band_rule: strawberry.Private[BandRule]

    @classmethod
    def from_model(cls, row: models.Template) -> Template:
        rule = stored_bands(row.bands)
        return cls(
            id=row.id,
            version=row.version,
            state=row.state,
            title=row.title,
            year=row.year,
            total_points=amount(row.total_points),
            bonus_cap=amount(row.bonus_cap),
            grades=Grades.of(row),
            composite_weight=amount(row.composite_weight),
            language=ExplanationLanguage(row.language),
            bands=Bands.of(rule),
            trend_min_points=amount(row.trend_min_points),
            trend_min_ranks=row.trend_min_ranks,
            consequences=ConsequencePolicyType.of(row.consequence_policy()),
            lock_version=row.lock_version,
            created_at=row.created_at,
            published_at=row.published_at,
            archived_at=row.archived_at,
            family_id=row.family_id,
            owner_node_id=row.owner_node_id,
            extends_id=row.extends_id,
            copied_from_id=row.copied_from_id,
            published_by_id=row.published_by_id,
            band_rule=rule or BandRule(),
        )

    @strawberry.field(description="The family this version belongs to.")
    async def family(self, info: Info) -> TemplateFamily:
        row = await info.context.loaders.by_id(models.TemplateFamily).load(self.family_id)
        assert row is not None  # a template's family is its customer's, as the template is
        return TemplateFamily(code=row.code, name=row.name, owner_node_id=row.owner_node_id)

    @strawberry.field(description="The unit that wrote it (a province; a city for a local one).")
    async def owner(self, info: Info) -> Tenant | None:
        return await Tenant.load(info, self.owner_node_id)

    @strawberry.field(description="The provincial version a city's local template extends.")
    async def extends(self, info: Info) -> Template | None:
        return await Template.load(info, self.extends_id)

    @strawberry.field(description="The version this one was copied from (last year's).")
    async def copied_from(self, info: Info) -> Template | None:
        return await Template.load(info, self.copied_from_id)

    @strawberry.field(description="Who published it; null when out of your sight.")
    async def published_by(self, info: Info) -> User | None:
        return await User.load(info, self.published_by_id)

    @strawberry.field(description="The top categories, each with its indicators and subcategories.")
    async def categories(self, info: Info) -> list[TemplateCategory]:
        return (await item_tree(info, self.id)).categories

    @strawberry.field(description="Every indicator, in template order.")
    async def indicators(self, info: Info) -> list[Indicator]:
        return (await item_tree(info, self.id)).indicators

    @strawberry.field(
        description="The colour-band thresholds that apply to units of `level`, for `item` (a "
        "category's or indicator's code) or, without it, for the total: the item's own "
        "override for the level, then its own default, then the template's override for the "
        "level, then its default, else the grade thresholds as percents of the total "
        "(excellent: green, qualified: yellow)."
    )
    async def bands_at(
        self,
        info: Info,
        level: Annotated[
            TenantLevel, strawberry.argument(description="The level of the units coloured.")
        ],
        item: Annotated[
            str | None,
            strawberry.argument(
                description="A category's or indicator's code; left out: the total."
            ),
        ] = None,
    ) -> BandThresholds:
        rules = [self.band_rule]
        if item is not None:
            own = (await item_tree(info, self.id)).bands.get(item)
            if own is None:
                raise ApiError(
                    f"template “{self.title}” version {self.version} has no item {item!r}",
                    ErrorCode.NOT_FOUND,
                )
            rules.insert(0, own)
        grades = engine.Grades(self.grades.excellent, self.grades.good, self.grades.qualified)
        fallback = grade_thresholds(grades, self.total_points)
        return BandThresholds.of(resolve(level.value, fallback, *rules))

    @strawberry.field(description="Its veto and yellow-card rules, in template order.")
    async def veto_rules(self, info: Info) -> list[VetoRule]:
        rules = await info.context.loaders.get(VETO_RULES).load(self.id)
        return [VetoRule.from_model(r) for r in rules]

    @strawberry.field(
        description="What stops publication, each naming its field as the editor's input does; "
        "empty when the template can be published."
    )
    async def problems(self, info: Info) -> list[UserError]:
        row = await Template.rows(info).load(self.id)
        return user_errors(template_problems(info.context.db, row))

    @strawberry.field(description="Download as Excel (GET, same sign-in as /graphql).")
    def excel_url(self) -> str:
        return f"/files/templates/{relay.to_base64('Template', self.id)}.xlsx"
