"""GraphQL types of the scorecards area: scorecards and indicator scores with their explanation
lines, and the ledger figures and vetoes they were scored on."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry import relay

from scoring import engine
from scoring.assessments.scorecards import Scorecards
from scoring.ledgers.figures.indicators import Figure, LedgerRef
from scoring.ledgers.figures.vetoes import LedgerVeto
from scoring.ledgers.models import LedgerSubject

from ..core.amounts import amount
from ..core.enums import Grade, RuleSeverity
from ..templates.types import ItemTree


@strawberry.enum(description="Which scorecard: the unit's own inputs, or after the review.")
class ScorecardKind(enum.Enum):
    SELF = strawberry.enum_value(
        "self",
        description="The unit's own inputs as entered (ledger figures included): no review, "
        "spot checks or vetoes.",
    )
    REVIEWED = strawberry.enum_value(
        "reviewed",
        description="After the review: the reviewer's adjustments, spot-check deductions, "
        "vetoes and yellow cards applied.",
    )


def card_of(cards: Scorecards | None, kind: ScorecardKind) -> engine.Scorecard | None:
    """The scorecard of that kind among an assessment's (None before it can be scored)."""
    if cards is None:
        return None
    return cards.self_card if kind is ScorecardKind.SELF else cards.reviewed_card


@strawberry.type(
    description="One step of an explanation: the rule applied, to which input, with what "
    "result, and the signed points; a scorecard's lines add up to its total."
)
class ExplanationLine:
    rule: str = strawberry.field(
        description="The rule applied, in the template's language: manual, clause a, "
        "category cap, normalisation, veto..."
    )
    input: str = strawberry.field(
        description="What it was applied to: the figure, count or points read (value 96 / "
        "target 100)."
    )
    text: str = strawberry.field(
        description="What happened, in words: the criteria text quoted, the reviewer's reason, "
        "the finding."
    )
    points: Decimal = strawberry.field(
        description="Signed points this step adds (negative: deducted; 0: a veto or a note)."
    )
    code: str = strawberry.field(description="The indicator or category; empty for the card.")

    @classmethod
    def from_line(cls, line: engine.Line) -> ExplanationLine:
        return cls(
            rule=line.rule, input=line.input, text=line.text, points=line.points, code=line.code
        )


@strawberry.type(description="An indicator's points, explained.")
class IndicatorScore:
    points: Decimal = strawberry.field(
        description="Its points, 0 to maxPoints (0 when not applicable)."
    )
    max_points: Decimal = strawberry.field(description="The indicator's maximum in the template.")
    not_applicable: bool = strawberry.field(
        description="Out of the attainable total (缺项): on a SELF card as the unit claims, on "
        "a REVIEWED card once the reviewer accepted the claim."
    )
    missing: bool = strawberry.field(description="No input yet: scored 0.")
    adjusted: bool = strawberry.field(description="The reviewer set the points, with a reason.")
    explanation: list[ExplanationLine] = strawberry.field(
        description="Its steps in order; their points add up to `points`."
    )

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
    code: str = strawberry.field(description="The category's code in the template.")
    title: str = strawberry.field(description="The category's title in the template.")
    max_points: Decimal = strawberry.field(description="Its cap in the template.")
    attainable: Decimal = strawberry.field(description="Its points less not-applicable items.")
    points: Decimal = strawberry.field(description="Its items' points, capped at maxPoints.")
    bonus: bool = strawberry.field(
        description="The bonus category (加分项): its points count up to the template's bonus "
        "cap, outside `earned`."
    )


@strawberry.type(description="A template rule in force on a scorecard: its code, why, evidence.")
class ScorecardRule:
    rule: str = strawberry.field(description="The rule's code in the template.")
    reason: str = strawberry.field(description="Why it is in force.")
    evidence: str = strawberry.field(description="What shows it; empty when none was given.")


@strawberry.type(description="A unit's scored assessment, every point explained.")
class Scorecard:
    kind: ScorecardKind = strawberry.field(description="SELF or REVIEWED.")
    earned: Decimal = strawberry.field(description="Points of the non-bonus categories.")
    attainable: Decimal = strawberry.field(description="The total less not-applicable items.")
    normalised: Decimal = strawberry.field(description="earned / attainable x the total.")
    bonus: Decimal = strawberry.field(description="Bonus points after the cap.")
    total: Decimal = strawberry.field(
        description="normalised, less extra clauses' deductions (加扣), plus bonus: the score "
        "that is graded and ranked (a veto takes no points)."
    )
    grade: Grade = strawberry.field(
        description="By the template's (or the group's) thresholds; UNQUALIFIED when vetoed."
    )
    grade_name: str | None = strawberry.field(
        description="What the template calls the grade (一级); null: the usual word for `grade`."
    )
    vetoed: bool = strawberry.field(
        description="A one-ticket veto (一票否决) is in force: graded UNQUALIFIED, ranked last. "
        "Always false on a SELF card."
    )
    yellow_cards: list[ScorecardRule] = strawberry.field(
        description="Yellow cards (黄牌警告) in force: warnings that take no points and change "
        "no grade, each explained among the card's lines too."
    )
    categories: list[CategoryScore] = strawberry.field(
        description="Every category, subcategories included; a subcategory comes before the "
        "category holding it."
    )
    explanation: list[ExplanationLine] = strawberry.field(
        description="Every indicator's lines, then the card's (caps, normalisation, bonus cap, "
        "vetoes); their points add up to `total`."
    )

    @classmethod
    def from_card(
        cls,
        kind: ScorecardKind,
        card: engine.Scorecard,
        tree: ItemTree,
        grade_names: Mapping[str, str],
    ) -> Scorecard:
        return cls(
            kind=kind,
            earned=card.earned,
            attainable=card.attainable,
            normalised=card.normalised,
            bonus=card.bonus,
            total=card.total,
            grade=card.grade,
            grade_name=grade_names.get(card.grade.value) or None,
            vetoed=card.vetoed,
            yellow_cards=[
                ScorecardRule(rule=v.rule, reason=v.reason, evidence=v.evidence)
                for v in card.yellow_cards
            ],
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
    source: str = strawberry.field(
        description="The indicator's source: hazard_rectification_rate, overdue_hazards, "
        "task_completion_rate, accidents, statement_coverage..."
    )
    value: Decimal = strawberry.field(
        description="The figure over the cycle's period: a rate in percent, or a count."
    )
    basis: str = strawberry.field(description="How it was counted, in words.")
    as_of: datetime = strawberry.field(description="The moment the ledgers were read.")
    live: bool = strawberry.field(
        description="True while the unit can still edit (read from the ledgers now); false once "
        "kept in the entry at submission."
    )
    rows: list[LedgerRow] = strawberry.field(description="The ledger rows it was counted from.")

    @classmethod
    def from_figure(cls, figure: Figure, *, live: bool) -> LedgerFigure:
        return cls(
            source=figure.source.value,
            value=amount(figure.value),
            basis=figure.basis,
            as_of=figure.as_of,
            live=live,
            rows=[LedgerRow.from_ref(r) for r in figure.rows],
        )


@strawberry.type(
    description="A template rule (veto or yellow card) firing by itself now: from a ledger fact, "
    "or from the unit's result in the previous cycle."
)
class LedgerVetoFiring:
    reason: str = strawberry.field(description="Why it fires, in words.")
    evidence: str = strawberry.field(description="What shows it (the ledger fact, quoted).")
    fact: LedgerRow | None = strawberry.field(
        description="The ledger row it fired from; null for a rule fired by the previous cycle."
    )
    rule_code: str = strawberry.field(description="The rule's code in the cycle's template.")
    severity: RuleSeverity = strawberry.field(description="VETO or YELLOW_CARD.")

    @classmethod
    def from_veto(cls, veto: LedgerVeto) -> LedgerVetoFiring:
        return cls(
            reason=veto.reason,
            evidence=veto.evidence,
            fact=LedgerRow.from_ref(veto.ref) if veto.ref is not None else None,
            rule_code=veto.rule_code,
            severity=veto.severity,
        )
