"""GraphQL types of the scoring API: templates, cycles, assessments, entries, scores, history."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from redline.errors import ErrorCode
from scoring import engine
from scoring.assessments import models as assessment_models
from scoring.assessments.models import AssessmentState, CycleState
from scoring.assessments.scorecards import Scorecards
from scoring.engine import CENT, ClauseKind, Grade, Method
from scoring.ledgers.figures.indicators import Figure, LedgerRef
from scoring.ledgers.figures.vetoes import LedgerVeto
from scoring.ledgers.models import LedgerSubject
from scoring.templates import models as template_models
from scoring.templates.models import ItemKind, TemplateState, VetoKind
from scoring.templates.validation import template_problems

from ..context import Info
from ..errors import ApiError, UserError
from ..pagination import Connection, build_connection, check_first, decode_cursor
from ..rankings.status_type import RankingStatusInfo, ranking_status_of
from ..tenants.types import Tenant, TenantLevelEnum, User, tenant_of, user_of
from .dataloaders import AssessmentCountKey, AssessmentPageKey, HistoryPageKey

TemplateStateEnum = strawberry.enum(
    TemplateState,
    name="TemplateState",
    description="DRAFT is edited; PUBLISHED is immutable and can be assessed with; "
    "ARCHIVED is only read.",
)
CycleStateEnum = strawberry.enum(
    CycleState,
    name="CycleState",
    description="OPEN takes submissions and reviews; CLOSED is read only.",
)
AssessmentStateEnum = strawberry.enum(
    AssessmentState,
    name="AssessmentState",
    description="DRAFT -> SUBMITTED -> (RETURNED -> RESUBMITTED)* -> REVIEWED -> FINAL.",
)
MethodEnum = strawberry.enum(
    Method, name="ScoringMethod", description="How an indicator turns its input into points."
)
ClauseKindEnum = strawberry.enum(
    ClauseKind,
    name="ClauseKind",
    description="ZERO zeroes the item; FIXED deducts once; PER_OCCURRENCE deducts per count; "
    "CASCADE deducts more once the other clauses have taken `threshold` points.",
)
GradeEnum = strawberry.enum(
    Grade, name="Grade", description="By the template's thresholds; a veto makes UNQUALIFIED."
)
VetoKindEnum = strawberry.enum(
    VetoKind,
    name="VetoKind",
    description="How a veto rule fires: MANUAL is raised by an assessor; the others fire by "
    "themselves from ledger facts in the cycle's period (LARGER_ACCIDENT: an accident of class "
    "larger or worse; CONCEALED_ACCIDENT: a concealed accident came to light; "
    "LATE_REPORTED_ACCIDENT: an accident reported late; OVERDUE_MAJOR_HAZARD: a major hazard "
    "listed for supervision is overdue).",
)


@strawberry.enum(description="Which scorecard: the unit's own inputs, or after the review.")
class ScorecardKind(enum.Enum):
    SELF = "self"
    REVIEWED = "reviewed"


def amount(value: Decimal | None) -> Decimal | None:
    """A stored amount (read back at 4 places) with the places it needs, at least 2."""
    if value is None:
        return None
    cents = value.quantize(CENT)
    return cents if cents == value else value.normalize()


def _decimal(raw: Any) -> Decimal | None:
    """An amount kept in a JSON document (as text, never through a float)."""
    return None if raw is None else amount(Decimal(str(raw)))


def global_id(type_name: str, db_id: int) -> str:
    return relay.to_base64(type_name, db_id)


async def _template(info: Info, template_id: int | None) -> Template | None:
    if template_id is None:
        return None
    row = await info.context.loaders.template.load(template_id)
    return Template.from_model(row) if row else None


async def _load_many(info: Info, loader_name: str, ids: Iterable[str]) -> list[Any]:
    loader = getattr(info.context.loaders, loader_name)
    return await loader.load_many([int(i) for i in ids])


# --- templates -------------------------------------------------------------------------------


@strawberry.type(description="Grade thresholds on the total: at least `excellent` is EXCELLENT...")
class Grades:
    excellent: Decimal
    good: Decimal
    qualified: Decimal


@strawberry.type(description="A value threshold: a value of at least `minValue` earns `points`.")
class Tier:
    min_value: Decimal
    points: Decimal


@strawberry.type(description="A deduction clause, structured, beside its original wording.")
class Clause:
    key: str = strawberry.field(description="What the unit counts against (counts[].key).")
    kind: ClauseKindEnum  # type: ignore[valid-type]
    text: str = strawberry.field(description="The criteria's own words, quoted in explanations.")
    points: Decimal
    threshold: Decimal | None = strawberry.field(description="CASCADE: points lost before it.")
    fact: str | None = strawberry.field(
        description="Clauses sharing a fact deduct once (the largest): no double deduction."
    )


@strawberry.type(description="A scored item of a template, with its method's parameters.")
class Indicator:
    code: str
    title: str
    criteria: str
    max_points: Decimal
    method: MethodEnum  # type: ignore[valid-type]
    target: Decimal | None = strawberry.field(description="RATIO: the value earning full points.")
    floor: Decimal | None = strawberry.field(description="RATIO: a value below earns 0.")
    tiers: list[Tier]
    clauses: list[Clause]
    required: bool = strawberry.field(description="A submission needs it filled (or N/A).")
    source: str = strawberry.field(
        description="Where the input comes from: `self` (the unit enters it) or a ledger figure "
        "over the cycle's period (hazard_rectification_rate, major_hazard_rectification_rate, "
        "overdue_hazards, overdue_major_hazards, task_completion_rate, overdue_task_elements, "
        "accidents, accident_deaths, statement_coverage; rates in percent): then the value "
        "(RATIO, TIERS) or every clause's count (DEDUCTION) is the figure, read only."
    )
    category_code: str | None
    item_id: strawberry.Private[int]
    added_by_id: strawberry.Private[int | None]

    @strawberry.field(description="The city that added it to a local category; null otherwise.")
    async def added_by(self, info: Info) -> Tenant | None:
        return await tenant_of(info, self.added_by_id)

    @classmethod
    def from_model(cls, item: template_models.TemplateItem, category_code: str | None) -> Indicator:
        return cls(
            code=item.code,
            title=item.title,
            criteria=item.criteria,
            max_points=amount(item.max_points),  # type: ignore[arg-type]
            method=item.method,
            target=amount(item.target),
            floor=amount(item.floor),
            tiers=[
                Tier(min_value=_decimal(t["min_value"]), points=_decimal(t["points"]))  # type: ignore[arg-type]
                for t in item.tiers or []
            ],
            clauses=[
                Clause(
                    key=c["key"],
                    kind=ClauseKind(c["kind"]),
                    text=c.get("text", ""),
                    points=_decimal(c.get("points", 0)),  # type: ignore[arg-type]
                    threshold=_decimal(c.get("threshold")),
                    fact=c.get("fact"),
                )
                for c in item.clauses or []
            ],
            required=item.required,
            source=item.source,
            category_code=category_code,
            item_id=item.id,
            added_by_id=item.added_by_node_id,
        )


@strawberry.type(description="A group of indicators and subcategories, capped at its points.")
class TemplateCategory:
    code: str
    title: str
    criteria: str
    max_points: Decimal
    bonus: bool = strawberry.field(description="Holds bonus indicators, outside the total.")
    local: bool = strawberry.field(description="Left open for cities to add local indicators.")
    categories: list[TemplateCategory]
    indicators: list[Indicator]


class ItemTree:
    """A template's items as a tree: top categories, and every indicator in template order."""

    def __init__(self, items: Sequence[template_models.TemplateItem]) -> None:
        children: dict[int | None, list[template_models.TemplateItem]] = defaultdict(list)
        for item in sorted(items, key=lambda i: (i.position, i.id)):
            children[item.parent_id].append(item)
        self.indicators: list[Indicator] = []
        self.titles: dict[str, str] = {}

        def category(item: template_models.TemplateItem) -> TemplateCategory:
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
                max_points=amount(item.max_points),  # type: ignore[arg-type]
                bonus=item.bonus,
                local=item.local,
                indicators=indicators,
                categories=[category(c) for c in children[item.id] if c.kind is ItemKind.CATEGORY],
            )

        self.categories = [category(c) for c in children[None] if c.kind is ItemKind.CATEGORY]
        self.by_code = {i.code: i for i in self.indicators}


async def item_tree(info: Info, template_id: int) -> ItemTree:
    return ItemTree(await info.context.loaders.template_items.load(template_id))


@strawberry.type(description="A one-ticket-veto rule: whatever the score, the unit fails.")
class VetoRule:
    code: str
    title: str
    text: str
    kind: VetoKindEnum  # type: ignore[valid-type]

    @classmethod
    def from_model(cls, rule: template_models.VetoRule) -> VetoRule:
        return cls(code=rule.code, title=rule.title, text=rule.text, kind=rule.kind)


@strawberry.type(description="An assessment scheme over the years; its versions are templates.")
class TemplateFamily:
    code: str
    name: str
    owner_node_id: strawberry.Private[int]

    @strawberry.field(description="The unit whose template authors own the family.")
    async def owner(self, info: Info) -> Tenant | None:
        return await tenant_of(info, self.owner_node_id)


@strawberry.type(
    name="Template",
    description="One version of an indicator template: categories of indicators, grades, a "
    "bonus cap and veto rules. Published versions never change; a change is a new version.",
)
class Template(relay.Node):
    id: relay.NodeID[int]
    version: int
    state: TemplateStateEnum  # type: ignore[valid-type]
    title: str
    year: int
    total_points: Decimal
    bonus_cap: Decimal
    grades: Grades
    composite_weight: Decimal | None = strawberry.field(
        description="A region's composite score: weight x its own total + (1 - weight) x its "
        "units' mean (null: no composite)."
    )
    lock_version: int = strawberry.field(
        description="Send it back as expectedVersion when editing the draft."
    )
    created_at: datetime
    published_at: datetime | None
    archived_at: datetime | None
    family_id: strawberry.Private[int]
    owner_node_id: strawberry.Private[int]
    extends_id: strawberry.Private[int | None]
    copied_from_id: strawberry.Private[int | None]
    published_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: template_models.Template) -> Template:
        return cls(
            id=row.id,
            version=row.version,
            state=row.state,
            title=row.title,
            year=row.year,
            total_points=amount(row.total_points),  # type: ignore[arg-type]
            bonus_cap=amount(row.bonus_cap),  # type: ignore[arg-type]
            grades=Grades(
                excellent=amount(row.grade_excellent),  # type: ignore[arg-type]
                good=amount(row.grade_good),  # type: ignore[arg-type]
                qualified=amount(row.grade_qualified),  # type: ignore[arg-type]
            ),
            composite_weight=amount(row.composite_weight),
            lock_version=row.lock_version,
            created_at=row.created_at,
            published_at=row.published_at,
            archived_at=row.archived_at,
            family_id=row.family_id,
            owner_node_id=row.owner_node_id,
            extends_id=row.extends_id,
            copied_from_id=row.copied_from_id,
            published_by_id=row.published_by_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await _load_many(info, "template", node_ids)
        return [cls.from_model(r) if r else None for r in rows]

    @strawberry.field
    async def family(self, info: Info) -> TemplateFamily:
        row = await info.context.loaders.family.load(self.family_id)
        return TemplateFamily(code=row.code, name=row.name, owner_node_id=row.owner_node_id)

    @strawberry.field(description="The unit that wrote it (a province; a city for a local one).")
    async def owner(self, info: Info) -> Tenant | None:
        return await tenant_of(info, self.owner_node_id)

    @strawberry.field(description="The provincial version a city's local template extends.")
    async def extends(self, info: Info) -> Template | None:
        return await _template(info, self.extends_id)

    @strawberry.field(description="The version this one was copied from (last year's).")
    async def copied_from(self, info: Info) -> Template | None:
        return await _template(info, self.copied_from_id)

    @strawberry.field(description="Who published it; null when out of your sight.")
    async def published_by(self, info: Info) -> User | None:
        return await user_of(info, self.published_by_id)

    @strawberry.field(description="The top categories, each with its indicators and subcategories.")
    async def categories(self, info: Info) -> list[TemplateCategory]:
        return (await item_tree(info, self.id)).categories

    @strawberry.field(description="Every indicator, in template order.")
    async def indicators(self, info: Info) -> list[Indicator]:
        return (await item_tree(info, self.id)).indicators

    @strawberry.field
    async def veto_rules(self, info: Info) -> list[VetoRule]:
        rules = await info.context.loaders.veto_rules.load(self.id)
        return [VetoRule.from_model(r) for r in rules]

    @strawberry.field(
        description="What stops publication, each naming its field as the editor's input does; "
        "empty when the template can be published."
    )
    async def problems(self, info: Info) -> list[UserError]:
        row = await info.context.loaders.template.load(self.id)
        problems = template_problems(info.context.db, row)
        return [UserError(field=p.field, message=p.message, code=p.code) for p in problems]

    @strawberry.field(description="Download as Excel (GET, same sign-in as /graphql).")
    def excel_url(self) -> str:
        return f"/files/templates/{global_id('Template', self.id)}.xlsx"


@strawberry.input(description="Narrow a list of templates; all given conditions apply.")
class TemplateFilter:
    state: TemplateStateEnum | None = None  # type: ignore[valid-type]
    family_code: str | None = None
    owner_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Templates written by this unit."
    )


# --- cycles ----------------------------------------------------------------------------------


@strawberry.type(description="How many assessments of a cycle (that you can see) are in a state.")
class StateCount:
    state: AssessmentStateEnum  # type: ignore[valid-type]
    count: int


@strawberry.input(description="Narrow a cycle's assessments; all given conditions apply.")
class CycleAssessmentFilter:
    state: AssessmentStateEnum | None = None  # type: ignore[valid-type]
    late: bool | None = None


@strawberry.type(
    name="Cycle",
    description="A published template applied to the units of one level within a subtree, "
    "over a period, with deadlines; one assessment per unit.",
)
class Cycle(relay.Node):
    id: relay.NodeID[int]
    name: str
    level: TenantLevelEnum  # type: ignore[valid-type]
    period_start: date
    period_end: date
    self_due: datetime = strawberry.field(description="Self-assessments submitted later are late.")
    review_due: datetime = strawberry.field(description="Reviews completed later are late.")
    state: CycleStateEnum  # type: ignore[valid-type]
    created_at: datetime
    template_id: strawberry.Private[int]
    owner_node_id: strawberry.Private[int]
    opened_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: assessment_models.Cycle) -> Cycle:
        return cls(
            id=row.id,
            name=row.name,
            level=row.level,
            period_start=row.period_start,
            period_end=row.period_end,
            self_due=row.self_due,
            review_due=row.review_due,
            state=row.state,
            created_at=row.created_at,
            template_id=row.template_id,
            owner_node_id=row.owner_node_id,
            opened_by_id=row.opened_by_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await _load_many(info, "cycle", node_ids)
        return [cls.from_model(r) if r else None for r in rows]

    @strawberry.field
    async def template(self, info: Info) -> Template:
        return await _template(info, self.template_id)  # type: ignore[return-value]

    @strawberry.field(description="The unit that opened it; participants are below it.")
    async def owner(self, info: Info) -> Tenant | None:
        return await tenant_of(info, self.owner_node_id)

    @strawberry.field(description="Who opened it; null when out of your sight.")
    async def opened_by(self, info: Info) -> User | None:
        return await user_of(info, self.opened_by_id)

    @strawberry.field(description="The assessments of the cycle you can see, in opening order.")
    async def assessments(
        self,
        info: Info,
        filter: CycleAssessmentFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Assessment]:
        size = check_first(first)
        after_id = _int_cursor(after)
        state = filter.state if filter else None
        late = filter.late if filter else None
        loaders = info.context.loaders
        rows = await loaders.assessment_page.load(
            AssessmentPageKey(self.id, state, late, size + 1, after_id)
        )
        total = await loaders.assessment_count.load(AssessmentCountKey(self.id, state, late))
        return build_connection(
            rows, size, total, Assessment.from_model, lambda a: a.id, has_previous=after is not None
        )

    @strawberry.field(description="Assessments you can see, counted per state (every state).")
    async def state_counts(self, info: Info) -> list[StateCount]:
        counts = await info.context.loaders.state_counts.load(self.id)
        return [StateCount(state=s, count=counts.get(s, 0)) for s in AssessmentState]

    @strawberry.field(description="Its rankings' recompute status; null before ever asked for.")
    async def ranking_status(self, info: Info) -> RankingStatusInfo | None:
        return await ranking_status_of(info, self.id)


def _int_cursor(after: str | None) -> int | None:
    if after is None:
        return None
    raw = decode_cursor(after)
    try:
        return int(raw)
    except ValueError:
        raise ApiError("after: not a cursor of this list", ErrorCode.INVALID) from None


@strawberry.input(description="Narrow a list of cycles; all given conditions apply.")
class CycleFilter:
    state: CycleStateEnum | None = None  # type: ignore[valid-type]
    template_id: relay.GlobalID | None = None


# --- scores ----------------------------------------------------------------------------------


@strawberry.type(
    description="One step of an explanation: the rule applied, to which input, with what "
    "result, and the signed points; a scorecard's lines add up to its total."
)
class ExplanationLine:
    rule: str
    input: str
    text: str
    points: Decimal
    code: str = strawberry.field(description="The indicator or category; empty for the card.")

    @classmethod
    def from_line(cls, line: engine.Line) -> ExplanationLine:
        return cls(
            rule=line.rule, input=line.input, text=line.text, points=line.points, code=line.code
        )


@strawberry.type(description="An indicator's points, explained.")
class IndicatorScore:
    points: Decimal
    max_points: Decimal
    not_applicable: bool
    missing: bool = strawberry.field(description="No input yet: scored 0.")
    adjusted: bool = strawberry.field(description="The reviewer set the points, with a reason.")
    explanation: list[ExplanationLine]

    @classmethod
    def from_score(cls, score: engine.IndicatorScore) -> IndicatorScore:
        return cls(
            points=score.points,
            max_points=score.max_points,
            not_applicable=score.not_applicable,
            missing=score.missing,
            adjusted=score.adjusted,
            explanation=[ExplanationLine.from_line(line) for line in score.lines],
        )


@strawberry.type(description="A category's points: its items' points capped at its max.")
class CategoryScore:
    code: str
    title: str
    max_points: Decimal
    attainable: Decimal = strawberry.field(description="Its points less not-applicable items.")
    points: Decimal
    bonus: bool


@strawberry.type(description="A unit's scored assessment, every point explained.")
class Scorecard:
    kind: ScorecardKind
    earned: Decimal = strawberry.field(description="Points of the non-bonus categories.")
    attainable: Decimal = strawberry.field(description="The total less not-applicable items.")
    normalised: Decimal = strawberry.field(description="earned / attainable x the total.")
    bonus: Decimal = strawberry.field(description="Bonus points after the cap.")
    total: Decimal
    grade: GradeEnum  # type: ignore[valid-type]
    vetoed: bool
    categories: list[CategoryScore]
    explanation: list[ExplanationLine] = strawberry.field(
        description="Every indicator's lines, then the card's (caps, normalisation, bonus cap, "
        "vetoes); their points add up to `total`."
    )

    @classmethod
    def from_card(cls, kind: ScorecardKind, card: engine.Scorecard, tree: ItemTree) -> Scorecard:
        return cls(
            kind=kind,
            earned=card.earned,
            attainable=card.attainable,
            normalised=card.normalised,
            bonus=card.bonus,
            total=card.total,
            grade=card.grade,
            vetoed=card.vetoed,
            categories=[
                CategoryScore(
                    code=c.code,
                    title=tree.titles.get(c.code, ""),
                    max_points=c.max_points,
                    attainable=c.attainable,
                    points=c.points,
                    bonus=c.bonus,
                )
                for c in card.categories.values()
            ],
            explanation=[ExplanationLine.from_line(line) for line in card.explain()],
        )


def _card(cards: Scorecards | None, kind: ScorecardKind) -> engine.Scorecard | None:
    if cards is None:
        return None
    return cards.self_card if kind is ScorecardKind.SELF else cards.reviewed_card


# --- assessments -----------------------------------------------------------------------------


@strawberry.type(
    name="Attachment",
    description="An evidence file of an entry, stored outside the database by its checksum.",
)
class Attachment(relay.Node):
    id: relay.NodeID[int]
    filename: str
    content_type: str
    size: int = strawberry.field(description="Bytes.")
    sha256: str
    uploaded_at: datetime
    uploaded_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: assessment_models.Attachment) -> Attachment:
        return cls(
            id=row.id,
            filename=row.filename,
            content_type=row.content_type,
            size=row.size,
            sha256=row.sha256,
            uploaded_at=row.created_at,
            uploaded_by_id=row.uploaded_by_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await _load_many(info, "attachment", node_ids)
        return [cls.from_model(r) if r else None for r in rows]

    @strawberry.field(description="Who uploaded it; null when out of your sight.")
    async def uploaded_by(self, info: Info) -> User | None:
        return await user_of(info, self.uploaded_by_id)

    @strawberry.field(description="Download it (GET, same sign-in as /graphql).")
    def download_url(self) -> str:
        return f"/files/evidence/{global_id('Attachment', self.id)}"


@strawberry.type(description="A count the unit entered against a deduction clause.")
class ClauseCount:
    key: str
    count: int


@strawberry.type(
    description="One indicator of an assessment: the unit's input and evidence, the "
    "reviewer's word, and both scores. Every indicator of the template has one."
)
class Entry:
    indicator: Indicator
    value: Decimal | None = strawberry.field(description="RATIO, TIERS.")
    done: bool | None = strawberry.field(description="BOOLEAN.")
    points: Decimal | None = strawberry.field(description="MANUAL, BONUS: points claimed.")
    counts: list[ClauseCount] = strawberry.field(description="DEDUCTION: counts per clause.")
    not_applicable: bool
    not_applicable_reason: str | None
    note: str
    attachments: list[Attachment]
    reviewed: bool
    review_points: Decimal | None = strawberry.field(description="Set when adjusted.")
    review_reason: str | None
    not_applicable_confirmed: bool | None = strawberry.field(
        description="The reviewer's answer to a claimed N/A; null until reviewed."
    )
    assessment_id: strawberry.Private[int]

    @strawberry.field(
        description="For an indicator fed by a ledger figure: the figure, how it was counted "
        "and the ledger rows it came from; null for indicators the unit enters."
    )
    async def ledger_figure(self, info: Info) -> LedgerFigure | None:
        cards = await info.context.loaders.scorecards.load(self.assessment_id)
        figure = cards.figures.get(self.indicator.code) if cards else None
        return LedgerFigure.from_figure(figure, live=cards.figures_live) if figure else None

    @strawberry.field(description="Points from the unit's own inputs.")
    async def self_score(self, info: Info) -> IndicatorScore | None:
        return await self._score(info, ScorecardKind.SELF)

    @strawberry.field(description="Points after the review (adjustments, spot checks).")
    async def reviewed_score(self, info: Info) -> IndicatorScore | None:
        return await self._score(info, ScorecardKind.REVIEWED)

    async def _score(self, info: Info, kind: ScorecardKind) -> IndicatorScore | None:
        card = _card(await info.context.loaders.scorecards.load(self.assessment_id), kind)
        score = card.indicators.get(self.indicator.code) if card else None
        return IndicatorScore.from_score(score) if score else None


# The node type of each ledger subject, for the global ids of the rows a figure came from.
LEDGER_NODE_TYPES = {
    LedgerSubject.ACCIDENT: "Accident",
    LedgerSubject.HAZARD: "Hazard",
    LedgerSubject.TASK_ELEMENT: "TaskElement",
    LedgerSubject.STATEMENT: "ResponsibilityStatement",
}


@strawberry.type(description="A ledger row a figure or a veto came from.")
class LedgerRow:
    subject: str = strawberry.field(description="accident, hazard, task_element or statement.")
    id: relay.GlobalID = strawberry.field(
        description="Its id (node(id:) gives it if you may see the row)."
    )
    label: str = strawberry.field(description="The row as the figure names it.")

    @classmethod
    def from_ref(cls, ref: LedgerRef) -> LedgerRow:
        return cls(
            subject=ref.subject.value,
            id=relay.GlobalID(LEDGER_NODE_TYPES[ref.subject], str(ref.id)),
            label=ref.label,
        )


@strawberry.type(description="A ledger figure feeding an indicator, read only for the unit.")
class LedgerFigure:
    source: str
    value: Decimal
    basis: str = strawberry.field(description="How it was counted, in words.")
    as_of: datetime = strawberry.field(description="The moment the ledgers were read.")
    live: bool = strawberry.field(
        description="True while the unit can still edit (read from the ledgers now); false once "
        "kept in the entry at submission."
    )
    rows: list[LedgerRow]

    @classmethod
    def from_figure(cls, figure: Figure, *, live: bool) -> LedgerFigure:
        return cls(
            source=figure.source.value,
            value=amount(figure.value),  # type: ignore[arg-type]
            basis=figure.basis,
            as_of=figure.as_of,
            live=live,
            rows=[LedgerRow.from_ref(r) for r in figure.rows],
        )


@strawberry.type(description="A ledger veto rule firing now from a ledger fact.")
class LedgerVetoFiring:
    reason: str
    evidence: str
    fact: LedgerRow
    rule_code: str

    @classmethod
    def from_veto(cls, veto: LedgerVeto) -> LedgerVetoFiring:
        return cls(
            reason=veto.reason,
            evidence=veto.evidence,
            fact=LedgerRow.from_ref(veto.ref),
            rule_code=veto.rule_code,
        )


def build_entry(
    assessment_id: int,
    indicator: Indicator,
    row: assessment_models.Entry | None,
    attachments: list[assessment_models.Attachment],
) -> Entry:
    return Entry(
        indicator=indicator,
        value=amount(row.value) if row else None,
        done=row.done if row else None,
        points=amount(row.points) if row else None,
        counts=[ClauseCount(key=k, count=v) for k, v in (row.counts or {}).items()] if row else [],
        not_applicable=row.not_applicable if row else False,
        not_applicable_reason=row.not_applicable_reason if row else None,
        note=row.note if row else "",
        attachments=[Attachment.from_model(a) for a in attachments],
        reviewed=row.reviewed if row else False,
        review_points=amount(row.review_points) if row else None,
        review_reason=row.review_reason if row else None,
        not_applicable_confirmed=row.not_applicable_confirmed if row else None,
        assessment_id=assessment_id,
    )


@strawberry.type(
    name="SpotCheck",
    description="A finding of an unannounced spot check (四不两直) deducting from an indicator.",
)
class SpotCheck(relay.Node):
    id: relay.NodeID[int]
    points: Decimal = strawberry.field(description="Deducted from the indicator.")
    finding: str
    checked_on: date
    created_at: datetime
    item_id: strawberry.Private[int]
    raised_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: assessment_models.SpotCheckFinding) -> SpotCheck:
        return cls(
            id=row.id,
            points=amount(row.points),  # type: ignore[arg-type]
            finding=row.finding,
            checked_on=row.checked_on,
            created_at=row.created_at,
            item_id=row.item_id,
            raised_by_id=row.raised_by_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await _load_many(info, "spot_check", node_ids)
        return [cls.from_model(r) if r else None for r in rows]

    @strawberry.field(description="The indicator it deducts from.")
    async def item_code(self, info: Info) -> str:
        item = await info.context.loaders.template_item.load(self.item_id)
        return item.code

    @strawberry.field(description="Who raised it; null when out of your sight.")
    async def raised_by(self, info: Info) -> User | None:
        return await user_of(info, self.raised_by_id)


@strawberry.type(
    name="VetoFlag",
    description="A one-ticket veto raised on an assessment, with its reason and evidence.",
)
class VetoFlag(relay.Node):
    id: relay.NodeID[int]
    reason: str
    evidence: str
    raised_at: datetime
    withdrawn_at: datetime | None
    withdrawn_reason: str | None
    fact: str | None = strawberry.field(
        description="For a ledger veto kept at finalisation: the ledger fact (accident:12)."
    )
    rule_id: strawberry.Private[int]
    raised_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: assessment_models.VetoFlag) -> VetoFlag:
        return cls(
            id=row.id,
            reason=row.reason,
            evidence=row.evidence,
            raised_at=row.created_at,
            withdrawn_at=row.withdrawn_at,
            withdrawn_reason=row.withdrawn_reason,
            fact=row.fact,
            rule_id=row.rule_id,
            raised_by_id=row.raised_by_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await _load_many(info, "veto_flag", node_ids)
        return [cls.from_model(r) if r else None for r in rows]

    @strawberry.field(description="A withdrawn veto no longer fails the unit.")
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @strawberry.field
    async def rule(self, info: Info) -> VetoRule:
        return VetoRule.from_model(await info.context.loaders.veto_rule.load(self.rule_id))

    @strawberry.field(description="Who raised it; null when out of your sight.")
    async def raised_by(self, info: Info) -> User | None:
        return await user_of(info, self.raised_by_id)


@strawberry.type(description="One recorded change: who, when, what, from what to what, and why.")
class AuditEvent:
    at: datetime
    action: str = strawberry.field(
        description="What changed: state, entry, review, attachment, spot_check, veto..."
    )
    item_code: str | None = strawberry.field(description="The indicator, where there is one.")
    field: str | None
    old: str | None
    new: str | None
    reason: str | None
    actor_id: strawberry.Private[int | None]

    @strawberry.field(description="Who made it; null for the system or when out of your sight.")
    async def actor(self, info: Info) -> User | None:
        return await user_of(info, self.actor_id)

    @classmethod
    def from_model(cls, row: assessment_models.AuditEvent) -> AuditEvent:
        return cls(
            at=row.at,
            action=row.action,
            item_code=row.item_code,
            field=row.field,
            old=row.old,
            new=row.new,
            reason=row.reason,
            actor_id=row.actor_id,
        )


@strawberry.type(
    name="Assessment",
    description="One unit's assessment in one cycle: its self-assessment, the review, the scores.",
)
class Assessment(relay.Node):
    id: relay.NodeID[int]
    state: AssessmentStateEnum  # type: ignore[valid-type]
    version: int = strawberry.field(
        description="Send it back as expectedVersion with every change."
    )
    late: bool = strawberry.field(description="Submitted after the cycle's selfDue.")
    review_late: bool = strawberry.field(description="Reviewed after the cycle's reviewDue.")
    submitted_at: datetime | None
    returned_reason: str | None
    reviewed_at: datetime | None
    finalised_at: datetime | None
    self_total: Decimal | None = strawberry.field(description="From the unit's own inputs.")
    reviewed_total: Decimal | None
    grade: GradeEnum | None  # type: ignore[valid-type]
    vetoed: bool
    node_id: strawberry.Private[int]
    cycle_id: strawberry.Private[int]
    submitted_by_id: strawberry.Private[int | None]
    reviewed_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: assessment_models.Assessment) -> Assessment:
        return cls(
            id=row.id,
            state=row.state,
            version=row.version,
            late=row.late,
            review_late=row.review_late,
            submitted_at=row.submitted_at,
            returned_reason=row.returned_reason,
            reviewed_at=row.reviewed_at,
            finalised_at=row.finalised_at,
            self_total=amount(row.self_total),
            reviewed_total=amount(row.reviewed_total),
            grade=Grade(row.grade) if row.grade else None,
            vetoed=row.vetoed,
            node_id=row.node_id,
            cycle_id=row.cycle_id,
            submitted_by_id=row.submitted_by_id,
            reviewed_by_id=row.reviewed_by_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await _load_many(info, "assessment", node_ids)
        return [cls.from_model(r) if r else None for r in rows]

    @strawberry.field(description="Reviewed minus self total (self-assessment inflation < 0).")
    def gap(self) -> Decimal | None:
        if self.self_total is None or self.reviewed_total is None:
            return None
        return self.reviewed_total - self.self_total

    @strawberry.field(description="The assessed unit.")
    async def unit(self, info: Info) -> Tenant:
        return await tenant_of(info, self.node_id)  # type: ignore[return-value]

    @strawberry.field
    async def cycle(self, info: Info) -> Cycle:
        return Cycle.from_model(await info.context.loaders.cycle.load(self.cycle_id))

    @strawberry.field(description="Who submitted it; null when out of your sight.")
    async def submitted_by(self, info: Info) -> User | None:
        return await user_of(info, self.submitted_by_id)

    @strawberry.field(description="Who completed the review; null when out of your sight.")
    async def reviewed_by(self, info: Info) -> User | None:
        return await user_of(info, self.reviewed_by_id)

    async def _tree(self, info: Info) -> ItemTree:
        cycle = await info.context.loaders.cycle.load(self.cycle_id)
        return await item_tree(info, cycle.template_id)

    @strawberry.field(description="Every indicator of the template, in template order.")
    async def entries(self, info: Info) -> list[Entry]:
        loaders = info.context.loaders
        tree = await self._tree(info)
        by_item = {r.item_id: r for r in await loaders.entries.load(self.id)}
        files: dict[int, list[assessment_models.Attachment]] = defaultdict(list)
        for attachment in await loaders.attachments.load(self.id):
            files[attachment.entry_id].append(attachment)
        out = []
        for indicator in tree.indicators:
            row = by_item.get(indicator.item_id)
            out.append(build_entry(self.id, indicator, row, files[row.id] if row else []))
        return out

    @strawberry.field(description="The scorecard from the unit's own inputs, or after review.")
    async def scorecard(
        self, info: Info, kind: ScorecardKind = ScorecardKind.REVIEWED
    ) -> Scorecard | None:
        card = _card(await info.context.loaders.scorecards.load(self.id), kind)
        if card is None:
            return None
        return Scorecard.from_card(kind, card, await self._tree(info))

    @strawberry.field(description="Spot-check findings, oldest first.")
    async def spot_checks(self, info: Info) -> list[SpotCheck]:
        return [
            SpotCheck.from_model(r) for r in await info.context.loaders.spot_checks.load(self.id)
        ]

    @strawberry.field(
        description="Ledger veto rules firing now from the unit's ledgers (before the "
        "assessment is final; on finalisation they are kept among `vetoes`)."
    )
    async def ledger_vetoes(self, info: Info) -> list[LedgerVetoFiring]:
        cards = await info.context.loaders.scorecards.load(self.id)
        return [LedgerVetoFiring.from_veto(v) for v in cards.ledger_vetoes] if cards else []

    @strawberry.field(description="Vetoes raised, withdrawn ones included, oldest first.")
    async def vetoes(self, info: Info) -> list[VetoFlag]:
        return [VetoFlag.from_model(r) for r in await info.context.loaders.vetoes.load(self.id)]

    @strawberry.field(description="Every recorded change, oldest first.")
    async def history(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[AuditEvent]:
        size = check_first(first)
        after_id = _int_cursor(after)
        loaders = info.context.loaders
        events = await loaders.history_page.load(HistoryPageKey(self.id, size + 1, after_id))
        total = await loaders.history_count.load(self.id)
        return build_connection(
            events,
            size,
            total,
            AuditEvent.from_model,
            lambda e: e.id,
            has_previous=after is not None,
        )


@strawberry.input(description="Narrow a list of assessments; all given conditions apply.")
class AssessmentFilter:
    cycle_id: relay.GlobalID | None = None
    state: AssessmentStateEnum | None = None  # type: ignore[valid-type]
    late: bool | None = None
    subtree_of: relay.GlobalID | None = strawberry.field(
        default=None, description="Assessments of this unit and every unit below it."
    )
