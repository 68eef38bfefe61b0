"""GraphQL types of the assessments area: Cycle, Assessment and its entries, evidence files,
spot-check findings, vetoes, appeals and audit events."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import relay

from scoring.assessments import models
from scoring.templates.models import TemplateItem
from scoring.templates.models import VetoRule as VetoRuleModel

from ..core.amounts import amount
from ..core.context import Info
from ..core.enums import AppealState, AssessmentState, CycleState, Grade, TenantLevel
from ..core.nodes import ModelNode
from ..core.pagination import After, Before, Connection, First, Last
from ..evidence.types import EvidenceFileType
from ..scorecards.dataloaders import scorecards
from ..scorecards.types import (
    IndicatorScore,
    LedgerFigure,
    LedgerVetoFiring,
    Scorecard,
    ScorecardKind,
    card_of,
)
from ..templates.types import Indicator, ItemTree, Template, VetoRule, item_tree
from ..tenants.types import Tenant, User
from .dataloaders import (
    APPEALS,
    ASSESSMENTS_OF_CYCLE,
    ENTRIES,
    HISTORY,
    SPOT_CHECKS,
    STATE_COUNTS,
    VETOES,
    attachments,
    groups_by_cycle,
    ranking_statuses,
)
from .filters import CycleAssessmentFilter, assessment_conditions

# --- cycles ----------------------------------------------------------------------------------


@strawberry.type(description="How many assessments of a cycle (that you can see) are in a state.")
class StateCount:
    state: AssessmentState = strawberry.field(description="The workflow state counted.")
    count: int = strawberry.field(description="Assessments in it; 0 when none.")


@strawberry.type(
    name="RankingStatus",
    description="When a cycle's rankings were last computed, whether a change waits to be "
    "ranked, and which snapshot is current.",
)
class RankingStatusInfo:
    computed_at: datetime | None = strawberry.field(description="When the current one was made.")
    pending: bool = strawberry.field(description="A change since then is still to be ranked.")
    queued: bool = strawberry.field(description="A recompute is waiting to run.")
    snapshot_version: int | None = strawberry.field(description="The current snapshot's number.")
    last_error: str | None = strawberry.field(
        description="Why the last recompute failed; null after a success."
    )


@strawberry.type(
    name="AssessmentGroup",
    description="A group of a cycle's units (分类考核, by economic size or risk): ranked and "
    "commended within itself, and graded by its own thresholds where it sets them (null: the "
    "template's).",
)
class AssessmentGroup:
    code: str = strawberry.field(
        description="Unique in the cycle; the group argument of rankings and lists takes it."
    )
    name: str = strawberry.field(description="As the office named it (一类, 经济发达地区).")
    grade_excellent: Decimal | None = strawberry.field(
        description="The group's own points threshold for EXCELLENT; null: the template's."
    )
    grade_good: Decimal | None = strawberry.field(
        description="The group's own points threshold for GOOD; null: the template's."
    )
    grade_qualified: Decimal | None = strawberry.field(
        description="The group's own points threshold for QUALIFIED; null: the template's."
    )
    commendation_quota: int | None = strawberry.field(
        description="How many of its units may be commended; null: the template's quota, "
        "counted within the group."
    )
    unit_ids: strawberry.Private[list[int]]

    @classmethod
    def from_model(cls, row: models.AssessmentGroup, unit_ids: list[int]) -> AssessmentGroup:
        return cls(
            code=row.code,
            name=row.name,
            grade_excellent=amount(row.grade_excellent),
            grade_good=amount(row.grade_good),
            grade_qualified=amount(row.grade_qualified),
            commendation_quota=row.commendation_quota,
            unit_ids=unit_ids,
        )

    @strawberry.field(description="Its units that you can see, by code.")
    async def units(self, info: Info) -> list[Tenant]:
        found = await asyncio.gather(*(Tenant.load(info, unit_id) for unit_id in self.unit_ids))
        return sorted((t for t in found if t is not None), key=lambda t: t.code)


@strawberry.type(
    name="Cycle",
    description="A published template applied to the units of one level within a subtree, "
    "over a period, with deadlines; one assessment per unit.",
)
class Cycle(ModelNode):
    model = models.Cycle
    id: relay.NodeID[int]
    name: str = strawberry.field(description="As the office named it; up to 200 characters.")
    level: TenantLevel = strawberry.field(description="The level of the units assessed.")
    period_start: date = strawberry.field(description="The first day of the period assessed.")
    period_end: date = strawberry.field(
        description="The last day of the period assessed (included)."
    )
    self_due: datetime = strawberry.field(description="Self-assessments submitted later are late.")
    review_due: datetime = strawberry.field(description="Reviews completed later are late.")
    appeal_due: datetime | None = strawberry.field(
        description="Until when reviewed units may appeal (申诉); null: the cycle takes no "
        "appeals. No result is final before it has passed."
    )
    state: CycleState = strawberry.field(
        description="OPEN takes submissions and reviews; CLOSED (every result final) is read only."
    )
    created_at: datetime = strawberry.field(description="When it was opened.")
    template_id: strawberry.Private[int]
    owner_node_id: strawberry.Private[int]
    opened_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: models.Cycle) -> Cycle:
        return cls(
            id=row.id,
            name=row.name,
            level=row.level,
            period_start=row.period_start,
            period_end=row.period_end,
            self_due=row.self_due,
            review_due=row.review_due,
            appeal_due=row.appeal_due,
            state=row.state,
            created_at=row.created_at,
            template_id=row.template_id,
            owner_node_id=row.owner_node_id,
            opened_by_id=row.opened_by_id,
        )

    @strawberry.field(description="The published template version its units are scored by.")
    async def template(self, info: Info) -> Template:
        return await Template.load_seen(info, self.template_id)

    @strawberry.field(description="The unit that opened it; participants are below it.")
    async def owner(self, info: Info) -> Tenant | None:
        return await Tenant.load(info, self.owner_node_id)

    @strawberry.field(description="Who opened it; null when out of your sight.")
    async def opened_by(self, info: Info) -> User | None:
        return await User.load(info, self.opened_by_id)

    @strawberry.field(description="The assessments of the cycle you can see, in opening order.")
    async def assessments(
        self,
        info: Info,
        filter: Annotated[
            CycleAssessmentFilter | None,
            strawberry.argument(description="Only the assessments it matches; null: all."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Assessment]:
        return await ASSESSMENTS_OF_CYCLE.connection(
            info,
            self.id,
            Assessment.from_model,
            first=first,
            after=after,
            last=last,
            before=before,
            conditions=assessment_conditions(filter),
        )

    @strawberry.field(description="Assessments you can see, counted per state (every state).")
    async def state_counts(self, info: Info) -> list[StateCount]:
        counts = await info.context.loaders.get(STATE_COUNTS).load(self.id)
        return [StateCount(state=s, count=counts.get(s, 0)) for s in AssessmentState]

    @strawberry.field(
        description="Its assessment groups (分类考核) in ranking order; empty: one ranking."
    )
    async def groups(self, info: Info) -> list[AssessmentGroup]:
        found = await info.context.loaders.get(groups_by_cycle).load(self.id)
        return [AssessmentGroup.from_model(g.group, g.node_ids) for g in found]

    @strawberry.field(description="Its rankings' recompute status; null before ever asked for.")
    async def ranking_status(self, info: Info) -> RankingStatusInfo | None:
        found = await info.context.loaders.get(ranking_statuses).load(self.id)
        if found is None:
            return None
        status, version = found
        return RankingStatusInfo(
            computed_at=status.computed_at,
            pending=status.pending,
            queued=bool(status.queued),
            snapshot_version=version,
            last_error=status.last_error,
        )


# --- assessments -----------------------------------------------------------------------------


@strawberry.type(
    name="Attachment",
    description="An evidence file of an entry, stored outside the database by its checksum.",
)
class Attachment(EvidenceFileType):
    model = models.Attachment
    download_folder = "evidence"


@strawberry.type(description="A count the unit entered against a deduction clause.")
class ClauseCount:
    key: str = strawberry.field(description="The clause's key in the indicator's criteria.")
    count: int = strawberry.field(
        description="Occurrences of its fact (1 or more); a judgement clause: points deducted."
    )


@strawberry.type(
    description="One indicator of an assessment: the unit's input and evidence, the "
    "reviewer's word, and both scores. Every indicator of the template has one."
)
class Entry:
    indicator: Indicator = strawberry.field(description="The template's indicator it is for.")
    value: Decimal | None = strawberry.field(description="RATIO, TIERS.")
    done: bool | None = strawberry.field(description="BOOLEAN.")
    points: Decimal | None = strawberry.field(description="MANUAL, BONUS: points claimed.")
    counts: list[ClauseCount] = strawberry.field(description="DEDUCTION: counts per clause.")
    not_applicable: bool = strawberry.field(
        description="The unit claims the indicator does not apply to it (缺项)."
    )
    not_applicable_reason: str | None = strawberry.field(
        description="Why it does not apply; null unless notApplicable."
    )
    note: str = strawberry.field(
        description="The unit's note (its evidence in words); empty when none."
    )
    attachments: list[Attachment] = strawberry.field(
        description="The unit's evidence files for it, oldest first (an appeal's are the appeal's)."
    )
    reviewed: bool = strawberry.field(
        description="The reviewer confirmed or adjusted it; false again once the unit changes it."
    )
    review_points: Decimal | None = strawberry.field(description="Set when adjusted.")
    review_reason: str | None = strawberry.field(
        description="The reviewer's reason: for an adjustment, or for refusing a claimed N/A."
    )
    not_applicable_confirmed: bool | None = strawberry.field(
        description="The reviewer's answer to a claimed N/A; null until reviewed."
    )
    assessment_id: strawberry.Private[int]

    @classmethod
    def build(
        cls,
        assessment_id: int,
        indicator: Indicator,
        row: models.Entry | None,
        files: list[models.Attachment],
    ) -> Entry:
        """The entry of one indicator: the unit's row, or an empty one before it entered any."""
        return cls(
            indicator=indicator,
            value=amount(row.value) if row else None,
            done=row.done if row else None,
            points=amount(row.points) if row else None,
            counts=[ClauseCount(key=k, count=v) for k, v in (row.counts or {}).items()]
            if row
            else [],
            not_applicable=row.not_applicable if row else False,
            not_applicable_reason=row.not_applicable_reason if row else None,
            note=row.note if row else "",
            attachments=[Attachment.from_model(a) for a in files],
            reviewed=row.reviewed if row else False,
            review_points=amount(row.review_points) if row else None,
            review_reason=row.review_reason if row else None,
            not_applicable_confirmed=row.not_applicable_confirmed if row else None,
            assessment_id=assessment_id,
        )

    @strawberry.field(
        description="For an indicator fed by a ledger figure: the figure, how it was counted "
        "and the ledger rows it came from; null for indicators the unit enters."
    )
    async def ledger_figure(self, info: Info) -> LedgerFigure | None:
        cards = await info.context.loaders.get(scorecards).load(self.assessment_id)
        figure = cards.figures.get(self.indicator.code) if cards else None
        return LedgerFigure.from_figure(figure, live=cards.figures_live) if figure else None

    @strawberry.field(description="Points from the unit's own inputs.")
    async def self_score(self, info: Info) -> IndicatorScore | None:
        return await self._score(info, ScorecardKind.SELF)

    @strawberry.field(description="Points after the review (adjustments, spot checks).")
    async def reviewed_score(self, info: Info) -> IndicatorScore | None:
        return await self._score(info, ScorecardKind.REVIEWED)

    async def _score(self, info: Info, kind: ScorecardKind) -> IndicatorScore | None:
        card = card_of(await info.context.loaders.get(scorecards).load(self.assessment_id), kind)
        score = card.indicators.get(self.indicator.code) if card else None
        return IndicatorScore.from_score(score) if score else None


@strawberry.type(
    name="SpotCheck",
    description="A finding of an unannounced spot check (四不两直) deducting from an indicator.",
)
class SpotCheck(ModelNode):
    model = models.SpotCheckFinding
    id: relay.NodeID[int]
    points: Decimal = strawberry.field(description="Deducted from the indicator.")
    finding: str = strawberry.field(description="What the check found, as recorded.")
    checked_on: date = strawberry.field(description="The day of the check.")
    created_at: datetime = strawberry.field(description="When the finding was recorded.")
    item_id: strawberry.Private[int]
    raised_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: models.SpotCheckFinding) -> SpotCheck:
        return cls(
            id=row.id,
            points=amount(row.points),
            finding=row.finding,
            checked_on=row.checked_on,
            created_at=row.created_at,
            item_id=row.item_id,
            raised_by_id=row.raised_by_id,
        )

    @strawberry.field(description="The indicator it deducts from.")
    async def item_code(self, info: Info) -> str:
        item = await info.context.loaders.by_id(TemplateItem).load(self.item_id)
        assert item is not None  # the template of a finding's assessment is the customer's
        return item.code

    @strawberry.field(description="Who raised it; null when out of your sight.")
    async def raised_by(self, info: Info) -> User | None:
        return await User.load(info, self.raised_by_id)


@strawberry.type(
    name="VetoFlag",
    description="A one-ticket veto or yellow card (by its rule's severity) raised on an "
    "assessment, with its reason and evidence.",
)
class VetoFlag(ModelNode):
    model = models.VetoFlag
    id: relay.NodeID[int]
    reason: str = strawberry.field(description="Why the unit is vetoed or warned.")
    evidence: str = strawberry.field(description="What shows it; empty when none was given.")
    raised_at: datetime = strawberry.field(description="When it was raised.")
    withdrawn_at: datetime | None = strawberry.field(
        description="When it was withdrawn; null while in force."
    )
    withdrawn_reason: str | None = strawberry.field(
        description="Why it was withdrawn; null while in force."
    )
    fact: str | None = strawberry.field(
        description="For a ledger veto kept at finalisation: the ledger fact (accident:12)."
    )
    rule_id: strawberry.Private[int]
    raised_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: models.VetoFlag) -> VetoFlag:
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

    @strawberry.field(description="A withdrawn veto no longer fails the unit.")
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @strawberry.field(
        description="The template's rule raised: its code, title and severity (veto or yellow "
        "card)."
    )
    async def rule(self, info: Info) -> VetoRule:
        rule = await info.context.loaders.by_id(VetoRuleModel).load(self.rule_id)
        assert rule is not None  # the template of a flag's assessment is the customer's
        return VetoRule.from_model(rule)

    @strawberry.field(description="Who raised it; null when out of your sight.")
    async def raised_by(self, info: Info) -> User | None:
        return await User.load(info, self.raised_by_id)


@strawberry.type(
    name="Appeal",
    description="A reviewed unit's objection (申诉) to its points on one indicator, with its "
    "reason and evidence, and the assessor's decision.",
)
class Appeal(ModelNode):
    model = models.Appeal
    id: relay.NodeID[int]
    state: AppealState = strawberry.field(
        description="OPEN waits for the assessor; ACCEPTED or REJECTED once decided."
    )
    reason: str = strawberry.field(description="Why the unit appeals.")
    points_before: Decimal | None = strawberry.field(
        description="The indicator's reviewed points when the appeal was filed."
    )
    points_after: Decimal | None = strawberry.field(
        description="The points the assessor set on accepting it; null otherwise."
    )
    filed_at: datetime = strawberry.field(description="When the unit filed it.")
    decided_at: datetime | None = strawberry.field(description="When it was decided; null: open.")
    decision_reason: str | None = strawberry.field(description="Why it was accepted or rejected.")
    assessment_id: strawberry.Private[int]
    item_id: strawberry.Private[int]
    filed_by_id: strawberry.Private[int | None]
    decided_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: models.Appeal) -> Appeal:
        return cls(
            id=row.id,
            state=row.state,
            reason=row.reason,
            points_before=amount(row.points_before),
            points_after=amount(row.points_after),
            filed_at=row.filed_at,
            decided_at=row.decided_at,
            decision_reason=row.decision_reason,
            assessment_id=row.assessment_id,
            item_id=row.item_id,
            filed_by_id=row.filed_by_id,
            decided_by_id=row.decided_by_id,
        )

    @strawberry.field(description="The indicator appealed.")
    async def item_code(self, info: Info) -> str:
        item = await info.context.loaders.by_id(TemplateItem).load(self.item_id)
        assert item is not None  # the template of an appeal's assessment is the customer's
        return item.code

    @strawberry.field(description="Evidence files the unit gave with the appeal.")
    async def evidence(self, info: Info) -> list[Attachment]:
        files = await info.context.loaders.get(attachments).load(self.assessment_id)
        return [Attachment.from_model(f) for f in files if f.appeal_id == self.id]

    @strawberry.field(description="Who filed it; null when out of your sight.")
    async def filed_by(self, info: Info) -> User | None:
        return await User.load(info, self.filed_by_id)

    @strawberry.field(description="Who decided it; null while open or when out of your sight.")
    async def decided_by(self, info: Info) -> User | None:
        return await User.load(info, self.decided_by_id)


@strawberry.type(description="One recorded change: who, when, what, from what to what, and why.")
class AuditEvent:
    at: datetime = strawberry.field(description="When the change was made.")
    action: str = strawberry.field(
        description="What changed: state, entry, review, attachment, spot_check, veto..."
    )
    item_code: str | None = strawberry.field(description="The indicator, where there is one.")
    field: str | None = strawberry.field(
        description="What was changed, as stored: state, value, review_points, rule, file..."
    )
    old: str | None = strawberry.field(description="The value before, as text; null: none.")
    new: str | None = strawberry.field(description="The value after, as text; null: none.")
    reason: str | None = strawberry.field(description="Why, when a reason was given.")
    actor_id: strawberry.Private[int | None]

    @strawberry.field(description="Who made it; null for the system or when out of your sight.")
    async def actor(self, info: Info) -> User | None:
        return await User.load(info, self.actor_id)

    @classmethod
    def from_model(cls, row: models.AuditEvent) -> AuditEvent:
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
class Assessment(ModelNode):
    model = models.Assessment
    id: relay.NodeID[int]
    state: AssessmentState = strawberry.field(
        description="Where it is in draft -> submitted -> (returned -> resubmitted)* -> "
        "reviewed -> final."
    )
    version: int = strawberry.field(
        description="Send it back as expectedVersion with every change."
    )
    late: bool = strawberry.field(description="Submitted after the cycle's selfDue.")
    review_late: bool = strawberry.field(description="Reviewed after the cycle's reviewDue.")
    submitted_at: datetime | None = strawberry.field(
        description="When it was last submitted (or resubmitted); null: never."
    )
    returned_reason: str | None = strawberry.field(
        description="Why the reviewer last returned it (kept after resubmission); null: never "
        "returned."
    )
    reviewed_at: datetime | None = strawberry.field(
        description="When the review was completed; null before."
    )
    finalised_at: datetime | None = strawberry.field(
        description="When its result was published as final; null before."
    )
    self_total: Decimal | None = strawberry.field(description="From the unit's own inputs.")
    reviewed_total: Decimal | None = strawberry.field(
        description="The total after the review (adjustments, spot checks), as last scored; "
        "null before it was first scored."
    )
    grade: Grade | None = strawberry.field(
        description="The grade of the reviewed total (UNQUALIFIED when vetoed); null before it "
        "was first scored."
    )
    vetoed: bool = strawberry.field(
        description="A one-ticket veto (一票否决) is in force on the reviewed scorecard."
    )
    yellow_cards: int = strawberry.field(
        description="Yellow cards (黄牌警告) in force on the reviewed scorecard."
    )
    node_id: strawberry.Private[int]
    cycle_id: strawberry.Private[int]
    submitted_by_id: strawberry.Private[int | None]
    reviewed_by_id: strawberry.Private[int | None]
    group_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: models.Assessment) -> Assessment:
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
            yellow_cards=row.yellow_cards or 0,
            node_id=row.node_id,
            cycle_id=row.cycle_id,
            submitted_by_id=row.submitted_by_id,
            reviewed_by_id=row.reviewed_by_id,
            group_id=row.group_id,
        )

    @strawberry.field(
        description="The group (分类考核) it is assessed in: its ranking, quota and thresholds; "
        "null when the cycle has no groups."
    )
    async def group(self, info: Info) -> AssessmentGroup | None:
        if self.group_id is None:
            return None
        found = await info.context.loaders.get(groups_by_cycle).load(self.cycle_id)
        return next(
            (
                AssessmentGroup.from_model(g.group, g.node_ids)
                for g in found
                if g.group.id == self.group_id
            ),
            None,
        )

    @strawberry.field(
        description="What the cycle's template calls the grade (一级); null: the usual word."
    )
    async def grade_name(self, info: Info) -> str | None:
        if self.grade is None:
            return None
        return (await self._grade_names(info)).get(self.grade.value) or None

    async def _grade_names(self, info: Info) -> dict[str, str]:
        cycle = await Cycle.load_seen(info, self.cycle_id)
        template = await Template.rows(info).load(cycle.template_id)
        return template.grade_names or {}

    @strawberry.field(description="Reviewed minus self total (self-assessment inflation < 0).")
    def gap(self) -> Decimal | None:
        if self.self_total is None or self.reviewed_total is None:
            return None
        return self.reviewed_total - self.self_total

    @strawberry.field(description="The assessed unit.")
    async def unit(self, info: Info) -> Tenant:
        return await Tenant.load_seen(info, self.node_id)

    @strawberry.field(description="The cycle it belongs to.")
    async def cycle(self, info: Info) -> Cycle:
        return await Cycle.load_seen(info, self.cycle_id)

    @strawberry.field(description="Who submitted it; null when out of your sight.")
    async def submitted_by(self, info: Info) -> User | None:
        return await User.load(info, self.submitted_by_id)

    @strawberry.field(description="Who completed the review; null when out of your sight.")
    async def reviewed_by(self, info: Info) -> User | None:
        return await User.load(info, self.reviewed_by_id)

    async def _tree(self, info: Info) -> ItemTree:
        cycle = await Cycle.load_seen(info, self.cycle_id)
        return await item_tree(info, cycle.template_id)

    @strawberry.field(description="Every indicator of the template, in template order.")
    async def entries(self, info: Info) -> list[Entry]:
        loaders = info.context.loaders
        tree = await self._tree(info)
        by_item = {r.item_id: r for r in await loaders.get(ENTRIES).load(self.id)}
        files: dict[int, list[models.Attachment]] = defaultdict(list)
        for attachment in await loaders.get(attachments).load(self.id):
            if attachment.appeal_id is None:  # an appeal's evidence is the appeal's
                files[attachment.entry_id].append(attachment)
        out = []
        for indicator in tree.indicators:
            row = by_item.get(indicator.item_id)
            out.append(Entry.build(self.id, indicator, row, files[row.id] if row else []))
        return out

    @strawberry.field(description="The scorecard from the unit's own inputs, or after review.")
    async def scorecard(
        self,
        info: Info,
        kind: Annotated[
            ScorecardKind,
            strawberry.argument(description="SELF or REVIEWED (the default)."),
        ] = ScorecardKind.REVIEWED,
    ) -> Scorecard | None:
        card = card_of(await info.context.loaders.get(scorecards).load(self.id), kind)
        if card is None:
            return None
        names = await self._grade_names(info)
        return Scorecard.from_card(kind, card, await self._tree(info), names)

    @strawberry.field(description="Spot-check findings, oldest first.")
    async def spot_checks(self, info: Info) -> list[SpotCheck]:
        rows = await info.context.loaders.get(SPOT_CHECKS).load(self.id)
        return [SpotCheck.from_model(r) for r in rows]

    @strawberry.field(
        description="Ledger veto rules firing now from the unit's ledgers (before the "
        "assessment is final; on finalisation they are kept among `vetoes`)."
    )
    async def ledger_vetoes(self, info: Info) -> list[LedgerVetoFiring]:
        cards = await info.context.loaders.get(scorecards).load(self.id)
        return [LedgerVetoFiring.from_veto(v) for v in cards.ledger_vetoes] if cards else []

    @strawberry.field(description="Vetoes raised, withdrawn ones included, oldest first.")
    async def vetoes(self, info: Info) -> list[VetoFlag]:
        return [
            VetoFlag.from_model(r) for r in await info.context.loaders.get(VETOES).load(self.id)
        ]

    @strawberry.field(description="Appeals of the unit against its reviewed points, oldest first.")
    async def appeals(self, info: Info) -> list[Appeal]:
        rows = await info.context.loaders.get(APPEALS).load(self.id)
        return [Appeal.from_model(r) for r in rows]

    @strawberry.field(description="Every recorded change, oldest first.")
    async def history(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AuditEvent]:
        return await HISTORY.connection(
            info, self.id, AuditEvent.from_model, first=first, after=after, last=last, before=before
        )
