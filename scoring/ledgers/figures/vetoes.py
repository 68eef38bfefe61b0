"""Template rules (one-ticket vetoes and yellow cards) that fire from ledger facts in a cycle's
period, each with its reason.

- ``larger_accident``: an accident of class larger (较大) or worse happened in the period;
- ``concealed_accident``: a concealed accident (瞒报) came to light in the period (the day it was
  discovered counts; one never discovered separately counts on the day it happened);
- ``late_reported_accident``: an accident reported late (迟报) happened in the period;
- ``overdue_major_hazard``: a major hazard listed for supervision is overdue in the period;
- ``accident_deaths``: an accident with at least the rule's threshold of deaths happened;
- ``overdue_tasks``: at least the rule's threshold of task elements due in the period are
  overdue (one firing for them all).

Facts count over the unit's whole subtree, like the figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from redline.calendar import period_as_of
from scoring.ledgers.figures.accidents import accident_tally
from scoring.ledgers.figures.hazards import hazard_tally
from scoring.ledgers.figures.indicators import LedgerRef, accident_ref, hazard_ref, task_ref
from scoring.ledgers.figures.tasks import task_tally
from scoring.ledgers.models import Accident, AccidentClass, ReportStatus
from scoring.ledgers.subtrees import by_subtree, in_subtrees
from scoring.templates.models import RuleSeverity, VetoKind
from tenants.models import TenantNode

LEDGER_VETO_KINDS = frozenset(
    {
        VetoKind.LARGER_ACCIDENT,
        VetoKind.CONCEALED_ACCIDENT,
        VetoKind.LATE_REPORTED_ACCIDENT,
        VetoKind.OVERDUE_MAJOR_HAZARD,
        VetoKind.ACCIDENT_DEATHS,
        VetoKind.OVERDUE_TASKS,
    }
)


@dataclass(frozen=True, slots=True)
class FiringRule:
    """A template rule that fires by itself: its code, kind, severity and threshold."""

    code: str
    kind: VetoKind
    severity: RuleSeverity = RuleSeverity.VETO
    threshold: int | None = None


@dataclass(frozen=True, slots=True)
class LedgerVeto:
    """A rule fired by one fact: a ledger row, or (``ref`` None) the previous cycle."""

    rule_code: str
    kind: VetoKind
    reason: str
    evidence: str
    fact: str  # "accident:12", "hazard:7", "tasks:overdue": one firing per rule and fact
    ref: LedgerRef | None
    severity: RuleSeverity = RuleSeverity.VETO

    @property
    def yellow_card(self) -> bool:
        return self.severity is RuleSeverity.YELLOW_CARD


@dataclass(frozen=True, slots=True)
class VetoRequest:
    """The ledger rules of one unit's template, over one period."""

    node: TenantNode
    start: date
    end: date
    rules: tuple[FiringRule, ...]


def _concealed(
    session: Session, nodes: Sequence[TenantNode], start: date, end: date
) -> dict[int, list[Accident]]:
    """Concealed accidents that came to light in the period, for each node's subtree."""
    counted_on = func.coalesce(Accident.discovered_on, Accident.occurred_on)
    rows = session.execute(
        select(Accident, TenantNode.path)
        .join(TenantNode, TenantNode.id == Accident.node_id)
        .where(
            in_subtrees(Accident.customer_id, nodes),
            Accident.report_status == ReportStatus.CONCEALED,
            counted_on >= start,
            counted_on <= end,
        )
        .order_by(Accident.occurred_on, Accident.id)
    ).all()
    return by_subtree(rows, nodes)


def _accident_veto(rule: FiringRule, accident: Accident, why: str) -> LedgerVeto:
    ref = accident_ref(accident)
    return LedgerVeto(
        rule_code=rule.code,
        kind=rule.kind,
        reason=f"{why}: {ref.label}",
        evidence=f"accident ledger, {ref.label}",
        fact=f"accident:{accident.id}",
        ref=ref,
        severity=rule.severity,
    )


def ledger_vetoes(
    session: Session, requests: Sequence[VetoRequest], *, now: datetime
) -> dict[VetoRequest, list[LedgerVeto]]:
    """The ledger vetoes firing for each request, in rule order."""
    by_period: dict[tuple[date, date], dict[int, TenantNode]] = defaultdict(dict)
    for request in requests:
        if request.rules:
            by_period[(request.start, request.end)][request.node.id] = request.node
    fired: dict[VetoRequest, list[LedgerVeto]] = {request: [] for request in requests}
    for (start, end), nodes_by_id in by_period.items():
        nodes = list(nodes_by_id.values())
        kinds = {rule.kind for r in requests for rule in r.rules if r.node.id in nodes_by_id}
        accidents = accident_tally(session, nodes, start, end) if kinds & _ACCIDENT_KINDS else {}
        concealed = (
            _concealed(session, nodes, start, end) if VetoKind.CONCEALED_ACCIDENT in kinds else {}
        )
        as_of = period_as_of(end, now)
        hazards = (
            hazard_tally(session, nodes, start, end, as_of=as_of)
            if VetoKind.OVERDUE_MAJOR_HAZARD in kinds
            else {}
        )
        tasks = (
            task_tally(session, nodes, start, end, as_of=as_of)
            if VetoKind.OVERDUE_TASKS in kinds
            else {}
        )
        for request in requests:
            if (request.start, request.end) != (start, end):
                continue
            node_id = request.node.id
            found = fired[request]
            for rule in request.rules:
                if rule.kind is VetoKind.LARGER_ACCIDENT:
                    found.extend(
                        _accident_veto(rule, a, "a larger or worse accident (较大及以上事故)")
                        for a in accidents[node_id].accidents
                        if a.accident_class.severity >= AccidentClass.LARGER.severity
                    )
                elif rule.kind is VetoKind.ACCIDENT_DEATHS:
                    deaths = rule.threshold or 1
                    found.extend(
                        _accident_veto(
                            rule, a, f"an accident with {deaths} or more deaths ({a.deaths})"
                        )
                        for a in accidents[node_id].accidents
                        if a.deaths >= deaths
                    )
                elif rule.kind is VetoKind.LATE_REPORTED_ACCIDENT:
                    found.extend(
                        _accident_veto(rule, a, "an accident reported late (迟报)")
                        for a in accidents[node_id].accidents
                        if a.report_status is ReportStatus.LATE
                    )
                elif rule.kind is VetoKind.CONCEALED_ACCIDENT:
                    found.extend(
                        _accident_veto(rule, a, "a concealed accident (瞒报)")
                        for a in concealed.get(node_id, ())
                    )
                elif rule.kind is VetoKind.OVERDUE_MAJOR_HAZARD:
                    for hazard in hazards[node_id].listed_overdue:
                        ref = hazard_ref(hazard)
                        found.append(
                            LedgerVeto(
                                rule_code=rule.code,
                                kind=rule.kind,
                                reason="a major hazard listed for supervision left unrectified "
                                f"past its deadline (挂牌督办重大隐患逾期未整改): {ref.label}",
                                evidence=f"hazard ledger, {ref.label}",
                                fact=f"hazard:{hazard.id}",
                                ref=ref,
                                severity=rule.severity,
                            )
                        )
                elif rule.kind is VetoKind.OVERDUE_TASKS:
                    found.extend(_overdue_tasks(rule, tasks[node_id].elements_overdue))
    return fired


def _overdue_tasks(rule: FiringRule, overdue: Sequence[Any]) -> list[LedgerVeto]:
    """A firing when at least the rule's threshold of task elements are overdue; it names
    the element that reached the threshold (the earliest deadlines count first)."""
    count, threshold = len(overdue), rule.threshold or 1
    if count < threshold:
        return []
    ref = task_ref(overdue[threshold - 1])
    codes = ", ".join(e.code for e in overdue[:10]) + (", ..." if count > 10 else "")
    firing = LedgerVeto(
        rule_code=rule.code,
        kind=rule.kind,
        reason=f"{count} task elements overdue (逾期未完成工作任务{count}项), "
        f"{threshold} or more count",
        evidence=f"task lists: {codes}",
        fact="tasks:overdue",
        ref=ref,
        severity=rule.severity,
    )
    return [firing]


_ACCIDENT_KINDS = {
    VetoKind.LARGER_ACCIDENT,
    VetoKind.LATE_REPORTED_ACCIDENT,
    VetoKind.ACCIDENT_DEATHS,
}
