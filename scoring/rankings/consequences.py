"""The consequences register (奖惩登记): when a cycle is closed, what its result does to each unit
(commendation, criticism, interview of leaders, a vetoed unit's leaders barred for a period),
each with the reasons that brought it about, decided by the template's consequence policy on
the cycle's whole ranking; before the cycle closes the same register is a preview."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.calendar import local_date
from scoring.assessments.groups import cycle_groups
from scoring.assessments.models import AssessmentGroup, Cycle, CycleState
from scoring.engine.consequences import Consequence, ConsequencePolicy, Trigger, decide
from scoring.rankings.access import readable_cycle, readable_scope
from scoring.rankings.lists import Reason, blame, commendable, group_qualified, praise
from scoring.rankings.models import RankingRow, RankingSnapshot
from scoring.rankings.reading import current_snapshot
from scoring.templates.models import Template
from tenants.access import Actor
from tenants.models import TenantLevel, TenantNode
from tenants.scope import in_subtree


@dataclass(frozen=True)
class Decided:
    """One consequence of one unit, with the reasons it rests on."""

    consequence: Consequence
    grounds: tuple[Reason, ...]
    until: date | None = None  # the last day a vetoed unit's leaders are barred


@dataclass(frozen=True)
class Registered:
    """A unit with at least one consequence: its ranking row and its consequences in the order
    commendation, criticism, interview, ineligibility."""

    row: RankingRow
    consequences: tuple[Decided, ...]


@dataclass(frozen=True)
class Register:
    """A cycle's consequences for the units under one scope."""

    cycle: Cycle
    scope: TenantNode
    snapshot: RankingSnapshot | None  # None: nothing published yet
    policy: ConsequencePolicy
    # The day the consequences count from (the cycle's closing); None while it is open.
    decided_on: date | None
    units: list[Registered]

    @property
    def final(self) -> bool:
        """Decided: the cycle is closed and its ranking is not provisional."""
        return (
            self.decided_on is not None
            and self.snapshot is not None
            and not self.snapshot.provisional
        )


def consequence_register(
    session: Session, actor: Actor, cycle_id: int, scope_id: int, *, group: str | None = None
) -> Register:
    """The register of a cycle for the units under ``scope_id`` (a ranking of the cycle the
    actor may read), in rank order. Consequences are decided on the cycle's whole ranking (the
    commendation quota counts from its top, or its groups'), then the units under the scope
    (of ``group`` alone, 分类考核, when one is named) are kept."""
    cycle = readable_cycle(session, cycle_id)
    scope = readable_scope(session, actor, cycle, scope_id)
    template = session.get_one(Template, cycle.template_id)
    policy = template.consequence_policy()
    decided_on = (
        local_date(cycle.closed_at)
        if cycle.state is CycleState.CLOSED and cycle.closed_at is not None
        else None
    )
    snapshot = current_snapshot(session, cycle.id)
    if snapshot is None:
        return Register(cycle, scope, None, policy, decided_on, [])
    decided = decide_snapshot(session, cycle, snapshot, decided_on)
    if group is not None:
        decided = [entry for entry in decided if entry.row.group_code == group]
    if scope.id != cycle.owner_node_id:
        under = set(
            session.scalars(
                select(TenantNode.id).where(
                    TenantNode.customer_id == scope.customer_id,
                    in_subtree(TenantNode.path, scope.path),
                    TenantNode.id.in_([entry.row.node_id for entry in decided]),
                )
            )
        )
        decided = [entry for entry in decided if entry.row.node_id in under]
    return Register(cycle, scope, snapshot, policy, decided_on, decided)


def ranking_rows(
    session: Session, snapshot: RankingSnapshot, scope_id: int, level: TenantLevel
) -> list[RankingRow]:
    """One ranking of a snapshot (``level`` units within ``scope_id``), in rank order."""
    return list(
        session.scalars(
            select(RankingRow)
            .where(
                RankingRow.snapshot_id == snapshot.id,
                RankingRow.scope_node_id == scope_id,
                RankingRow.level == level,
            )
            .order_by(RankingRow.position)
        )
    )


def decide_snapshot(
    session: Session, cycle: Cycle, snapshot: RankingSnapshot, decided_on: date | None
) -> list[Registered]:
    """The consequences a version of the cycle's rankings brings, on its whole ranking (the
    cycle's units within its owner) by the template's policy."""
    template = session.get_one(Template, cycle.template_id)
    owner = session.get_one(TenantNode, cycle.owner_node_id)
    return decide_all(
        ranking_rows(session, snapshot, owner.id, TenantLevel(cycle.level)),
        owner,
        template.grade_qualified,
        template.consequence_policy(),
        decided_on,
        {group.code: group for group in cycle_groups(session, cycle.id)},
    )


def decide_all(
    rows: list[RankingRow],
    owner: TenantNode,
    qualified: Decimal | None,
    policy: ConsequencePolicy,
    decided_on: date | None,
    groups: Mapping[str, AssessmentGroup] | None = None,
) -> list[Registered]:
    """The consequences of a whole ranking (rows in rank order): the first ``quota``
    commendable units of each group (of the whole ranking when it has none) commended, a group's
    own quota and qualified mark before the template's, and what the policy does to each unit
    on the criticism list."""
    groups = groups or {}
    commended: Counter[str | None] = Counter()
    registered = []
    for row in rows:
        group = groups.get(row.group_code) if row.group_code is not None else None
        quota = policy.commendation_quota
        if group is not None and group.commendation_quota is not None:
            quota = group.commendation_quota
        consequences: list[Decided] = []
        if commendable(row) and (quota is None or commended[row.group_code] < quota):
            commended[row.group_code] += 1
            consequences.append(Decided(Consequence.COMMENDATION, praise(row, owner)))
        reasons = blame(row, group_qualified(group, qualified))
        triggers = {Trigger(reason.kind) for reason in reasons}
        for decision in decide(triggers, policy, decided_on):
            grounds = tuple(r for r in reasons if Trigger(r.kind) in decision.triggers)
            consequences.append(Decided(decision.consequence, grounds, decision.until))
        if consequences:
            registered.append(Registered(row, tuple(consequences)))
    return registered
