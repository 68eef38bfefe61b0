"""The cycle before a cycle, and what each unit's result there says now: the rules that fire
from the previous cycle (criticised then, a yellow card then and again now)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.assessments.models import Assessment, AssessmentState, Cycle, VetoFlag
from scoring.engine import Grade
from scoring.ledgers.figures.vetoes import FiringRule, LedgerVeto
from scoring.templates.models import RuleSeverity, Template, VetoKind, VetoRule

# The rules that fire from the unit's result in the previous cycle.
CYCLE_RULE_KINDS = frozenset({VetoKind.PREVIOUS_CRITICISM, VetoKind.REPEATED_YELLOW_CARD})


def next_cycles(session: Session, cycle: Cycle) -> list[Cycle]:
    """The cycles whose previous cycle is this one (one, unless two share a period)."""
    family_id = select(Template.family_id).where(Template.id == cycle.template_id)
    later = session.scalars(
        select(Cycle)
        .join(Template, Template.id == Cycle.template_id)
        .where(
            Template.family_id == family_id.scalar_subquery(),
            Cycle.owner_node_id == cycle.owner_node_id,
            Cycle.level == cycle.level,
            Cycle.period_start > cycle.period_end,
        )
        .order_by(Cycle.period_start, Cycle.id)
    ).all()
    return [c for c in later if (before := previous_cycle(session, c)) and before.id == cycle.id]


def following_open(session: Session, assessment: Assessment) -> list[Assessment]:
    """The unit's assessments not yet final in the cycles after the assessment's: the ones whose
    previous-cycle rules read its result."""
    cycle = session.get_one(Cycle, assessment.cycle_id)
    ids = [c.id for c in next_cycles(session, cycle)]
    if not ids:
        return []
    return list(
        session.scalars(
            select(Assessment)
            .where(
                Assessment.cycle_id.in_(ids),
                Assessment.node_id == assessment.node_id,
                Assessment.state != AssessmentState.FINAL,
            )
            .order_by(Assessment.id)
        )
    )


def previous_cycle(session: Session, cycle: Cycle) -> Cycle | None:
    """The cycle before this one: same template family, owner and level, the latest whose
    period ends before this one starts."""
    family_id = select(Template.family_id).where(Template.id == cycle.template_id)
    return session.scalar(
        select(Cycle)
        .join(Template, Template.id == Cycle.template_id)
        .where(
            Template.family_id == family_id.scalar_subquery(),
            Cycle.owner_node_id == cycle.owner_node_id,
            Cycle.level == cycle.level,
            Cycle.period_end < cycle.period_start,
        )
        .order_by(Cycle.period_end.desc(), Cycle.id.desc())
        .limit(1)
    )


@dataclass(frozen=True, slots=True)
class PreviousResult:
    """A unit's final result in the previous cycle."""

    cycle_name: str
    assessment_id: int
    grade: str | None
    vetoed: bool
    yellow_cards: int

    @property
    def criticised(self) -> bool:
        """Graded unqualified: vetoed or below the qualified mark (what puts a unit on the
        criticism list)."""
        return self.grade == Grade.UNQUALIFIED.value


def previous_results(
    session: Session, assessments: Sequence[Assessment]
) -> dict[int, PreviousResult]:
    """Each assessment's unit's final result in its cycle's previous cycle (by assessment id;
    absent where there is no previous cycle or the unit had no final result in it)."""
    found: dict[int, PreviousResult] = {}
    by_cycle: dict[int, list[Assessment]] = {}
    for assessment in assessments:
        by_cycle.setdefault(assessment.cycle_id, []).append(assessment)
    for cycle_id, members in by_cycle.items():
        before = previous_cycle(session, session.get_one(Cycle, cycle_id))
        if before is None:
            continue
        rows = session.execute(
            select(
                Assessment.id,
                Assessment.node_id,
                Assessment.grade,
                Assessment.vetoed,
                Assessment.yellow_cards,
            ).where(
                Assessment.cycle_id == before.id,
                Assessment.node_id.in_([a.node_id for a in members]),
                Assessment.state == AssessmentState.FINAL,
            )
        ).all()
        by_node = {r.node_id: r for r in rows}
        for assessment in members:
            if (row := by_node.get(assessment.node_id)) is not None:
                found[assessment.id] = PreviousResult(
                    before.name, row.id, row.grade, bool(row.vetoed), row.yellow_cards or 0
                )
    return found


def _yellow_flagged(session: Session, assessment_ids: Sequence[int]) -> set[int]:
    """The assessments with a yellow card raised by an assessor and not withdrawn."""
    return set(
        session.scalars(
            select(VetoFlag.assessment_id)
            .join(VetoRule, VetoRule.id == VetoFlag.rule_id)
            .where(
                VetoFlag.assessment_id.in_(assessment_ids),
                VetoFlag.withdrawn_at.is_(None),
                VetoRule.severity == RuleSeverity.YELLOW_CARD,
            )
        )
    )


def _firing(rule: FiringRule, before: PreviousResult, reason: str, evidence: str) -> LedgerVeto:
    return LedgerVeto(
        rule_code=rule.code,
        kind=rule.kind,
        reason=reason,
        evidence=evidence,
        fact=f"assessment:{before.assessment_id}",
        ref=None,
        severity=rule.severity,
    )


def previous_cycle_firings(
    session: Session,
    assessments: Sequence[Assessment],
    rules: Mapping[int, Sequence[FiringRule]],
    fired: Mapping[int, Sequence[LedgerVeto]],
) -> dict[int, tuple[LedgerVeto, ...]]:
    """The previous-cycle rules (``rules``, by assessment id) firing for each assessment:

    - ``previous_criticism``: the unit was graded unqualified in the previous cycle;
    - ``repeated_yellow_card``: it had a yellow card there and has one now: raised by an
      assessor, or fired (``fired``: the ledger rules firing now, by assessment id; a
      previous-criticism yellow card counts too).
    """
    results = previous_results(session, assessments)
    flagged = _yellow_flagged(session, [a.id for a in assessments])
    found: dict[int, tuple[LedgerVeto, ...]] = {}
    for assessment in assessments:
        before = results.get(assessment.id)
        if before is None:
            continue
        firings: list[LedgerVeto] = []
        ordered = sorted(
            rules.get(assessment.id, ()), key=lambda r: r.kind is VetoKind.REPEATED_YELLOW_CARD
        )
        for rule in ordered:
            if rule.kind is VetoKind.PREVIOUS_CRITICISM and before.criticised:
                how = "vetoed" if before.vetoed else "graded unqualified"
                firings.append(
                    _firing(
                        rule,
                        before,
                        f"{how} in the previous cycle, {before.cycle_name} (上一周期考核不合格)",
                        f"the final result of {before.cycle_name}",
                    )
                )
            elif rule.kind is VetoKind.REPEATED_YELLOW_CARD and before.yellow_cards:
                now_yellow = assessment.id in flagged or any(
                    f.yellow_card for f in (*fired.get(assessment.id, ()), *firings)
                )
                if now_yellow:
                    firings.append(
                        _firing(
                            rule,
                            before,
                            f"a yellow card in {before.cycle_name} and again in this cycle "
                            "(连续两个周期黄牌警告)",
                            f"{before.yellow_cards} yellow card(s) in the final result of "
                            f"{before.cycle_name}",
                        )
                    )
        if firings:
            found[assessment.id] = tuple(firings)
    return found
