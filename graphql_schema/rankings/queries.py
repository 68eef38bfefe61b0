"""Queries of the rankings area: thin edges over ``scoring.rankings``."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from scoring.rankings import changes, consequences, lists
from scoring.rankings import compare as comparing
from scoring.rankings.reading import (
    TIE_BREAK,
    aggregate_of,
    encode_position,
    ranking_page,
)

from ..assessments.types import Cycle
from ..core.context import Info
from ..core.enums import TenantLevel
from ..core.errors import query_result
from ..core.ids import argument_id
from ..core.pagination import After, Edge, First, check_first, decode_cursor, encode_cursor
from ..tenants.types import Tenant
from .types import (
    ComparedUnit,
    Comparison,
    ConsequenceRegister,
    CycleStanding,
    ListedUnit,
    RankingAggregate,
    RankingChanges,
    RankingConnection,
    RankingEntry,
    RankingSnapshotInfo,
    UnitList,
)


def _unit_list(result: lists.UnitList) -> UnitList:
    return UnitList(
        snapshot=RankingSnapshotInfo.from_model(result.snapshot, TIE_BREAK),
        units=ListedUnit.many(result.units),
    )


# The arguments naming a ranking: the cycle, the region ranked within, the level ranked.
CycleArgument = Annotated[relay.GlobalID, strawberry.argument(description="The Cycle ranked.")]
ScopeArgument = Annotated[
    relay.GlobalID,
    strawberry.argument(
        description="The region ranked within (a Tenant): the cycle's owner or a region under "
        "it; read by the units ranked in it and the offices above."
    ),
]
LevelArgument = Annotated[
    TenantLevel,
    strawberry.argument(
        description="The level of the units ranked: below the scope's, down to the cycle's "
        "(the owner's own level for the units attached to it). Regions above the cycle's "
        "level are ranked on their composite or their units' mean."
    ),
]

# Assessment groups (分类考核): a ranking, a list or the register of one group.
GroupArgument = Annotated[
    str | None,
    strawberry.argument(
        description="Only the units ranked in this assessment group (its code; see "
        "Cycle.groups): in groups (分类考核) each is ranked, commended and held to its qualified "
        "mark on its own."
    ),
]


@strawberry.type
class RankingQueries:
    @strawberry.field(
        description="A cycle's published ranking of `level` units within `scope` (siblings: "
        "the scope is their parent), in rank order. Read by the units ranked in it and the "
        "offices above. A cursor stays in its snapshot; one of a pruned snapshot fails with "
        "'the ranking was republished; start again'."
    )
    def rankings(
        self,
        info: Info,
        cycle: CycleArgument,
        scope: ScopeArgument,
        level: LevelArgument,
        first: First = None,
        after: After = None,
        group: GroupArgument = None,
    ) -> RankingConnection:
        ctx = info.context
        actor = ctx.require_actor()
        cycle_id = argument_id(cycle, "Cycle", "cycle")
        scope_id = argument_id(scope, "Tenant", "scope")
        size = check_first(first)
        key = decode_cursor(after) if after is not None else None
        page = query_result(
            lambda: ranking_page(
                ctx.db, actor, cycle_id, scope_id, level, first=size, after=key, group=group
            )
        )
        snapshot = page.snapshot
        edges = [
            Edge(cursor=encode_cursor(encode_position(row.snapshot_id, row.position)), node=entry)
            for row, entry in zip(page.rows, RankingEntry.many(page.rows), strict=True)
        ]
        return RankingConnection(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.has_previous,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
            snapshot=RankingSnapshotInfo.from_model(snapshot, page.tie_break),
        )

    @strawberry.field(
        description="A region's figures in the cycle's current snapshot; null before one is "
        "published or when the cycle has no units under it."
    )
    def ranking_aggregate(
        self,
        info: Info,
        cycle: CycleArgument,
        node: Annotated[
            relay.GlobalID,
            strawberry.argument(
                description="The region (a Tenant) whose figures are read: one whose rankings "
                "you read."
            ),
        ],
    ) -> RankingAggregate | None:
        ctx = info.context
        actor = ctx.require_actor()
        cycle_id = argument_id(cycle, "Cycle", "cycle")
        node_id = argument_id(node, "Tenant", "node")
        snapshot, row = query_result(lambda: aggregate_of(ctx.db, actor, cycle_id, node_id))
        if snapshot is None or row is None:
            return None
        info_ = RankingSnapshotInfo.from_model(snapshot, TIE_BREAK)
        assert info_ is not None
        return RankingAggregate.from_model(row, info_)

    @strawberry.field(
        description="Units to commend in rank order: ranked, graded excellent, no veto in force "
        "(a withdrawn veto does not count), each with its reasons."
    )
    def commendation_candidates(
        self,
        info: Info,
        cycle: CycleArgument,
        scope: ScopeArgument,
        level: LevelArgument,
        limit: Annotated[
            int,
            strawberry.argument(
                description="At most this many, 1 to 100 (of each group when the cycle has "
                "groups and none is named)."
            ),
        ] = 10,
        group: GroupArgument = None,
    ) -> UnitList:
        ctx = info.context
        actor = ctx.require_actor()
        cycle_id = argument_id(cycle, "Cycle", "cycle")
        scope_id = argument_id(scope, "Tenant", "scope")
        result = query_result(
            lambda: lists.commendation_candidates(
                ctx.db, actor, cycle_id, scope_id, level, limit=limit, group=group
            )
        )
        return _unit_list(result)

    @strawberry.field(
        description="Units to criticise or interview, in rank order, each once with every "
        "reason: its vetoes, a total below the qualified threshold, overdue listed major hazards."
    )
    def criticism_list(
        self,
        info: Info,
        cycle: CycleArgument,
        scope: ScopeArgument,
        level: LevelArgument,
        group: GroupArgument = None,
    ) -> UnitList:
        ctx = info.context
        actor = ctx.require_actor()
        cycle_id = argument_id(cycle, "Cycle", "cycle")
        scope_id = argument_id(scope, "Tenant", "scope")
        result = query_result(
            lambda: lists.criticism_list(ctx.db, actor, cycle_id, scope_id, level, group=group)
        )
        return _unit_list(result)

    @strawberry.field(
        description="Every published version of the cycle's rankings, the newest first (a "
        "republished cycle keeps its earlier versions readable)."
    )
    def ranking_versions(self, info: Info, cycle: CycleArgument) -> list[RankingSnapshotInfo]:
        ctx = info.context
        actor = ctx.require_actor()
        cycle_id = argument_id(cycle, "Cycle", "cycle")
        found = query_result(lambda: changes.versions(ctx.db, actor, cycle_id))
        return [s for s in (RankingSnapshotInfo.from_model(v, TIE_BREAK) for v in found) if s]

    @strawberry.field(
        description="What changed in the ranking of `level` units within `scope` from version "
        "`fromVersion` to `toVersion` (default: the current one): who moved, by how much and "
        "why, and whose commendation the later result withdraws or grants. Read as the ranking "
        "is read; a provisional version past the newest three has no rows to compare."
    )
    def ranking_changes(
        self,
        info: Info,
        cycle: CycleArgument,
        scope: ScopeArgument,
        level: LevelArgument,
        from_version: Annotated[
            int, strawberry.argument(description="The earlier version (see rankingVersions).")
        ],
        to_version: Annotated[
            int | None,
            strawberry.argument(description="The later version; null: the current one."),
        ] = None,
    ) -> RankingChanges:
        ctx = info.context
        actor = ctx.require_actor()
        cycle_id = argument_id(cycle, "Cycle", "cycle")
        scope_id = argument_id(scope, "Tenant", "scope")
        found = query_result(
            lambda: changes.ranking_changes(
                ctx.db, actor, cycle_id, scope_id, level, from_version, to_version
            )
        )
        return RankingChanges.of(found)

    @strawberry.field(
        description="The cycle's consequences register (奖惩登记) for the units under `scope`, in "
        "rank order: commendations, criticisms, interviews of leaders and vetoed units' leaders "
        "barred, each with its grounds, decided by the template's policy on the cycle's whole "
        "ranking. Final once the cycle is closed; a preview before. Read as the rankings are; "
        "Excel at /files/rankings/consequences.xlsx?cycle=…&scope=…, PDF through "
        "printConsequenceRegister."
    )
    def consequence_register(
        self,
        info: Info,
        cycle: CycleArgument,
        scope: ScopeArgument,
        group: GroupArgument = None,
    ) -> ConsequenceRegister:
        ctx = info.context
        actor = ctx.require_actor()
        cycle_id = argument_id(cycle, "Cycle", "cycle")
        scope_id = argument_id(scope, "Tenant", "scope")
        register = query_result(
            lambda: consequences.consequence_register(
                ctx.db, actor, cycle_id, scope_id, group=group
            )
        )
        return ConsequenceRegister.of(register)

    @strawberry.field(
        description="Units side by side per category and over cycles (at most 20 units and 6 "
        "cycles; only units whose assessments you see)."
    )
    def compare(
        self,
        info: Info,
        cycles: Annotated[
            list[relay.GlobalID],
            strawberry.argument(description="1 to 6 Cycles, each once, in the order to show."),
        ],
        units: Annotated[
            list[relay.GlobalID],
            strawberry.argument(
                description="1 to 20 units (Tenants), each once, whose assessments you see: "
                "your own or under a subtree you read."
            ),
        ],
    ) -> Comparison:
        ctx = info.context
        actor = ctx.require_actor()
        cycle_ids = [argument_id(c, "Cycle", f"cycles[{i}]") for i, c in enumerate(cycles)]
        unit_ids = [argument_id(u, "Tenant", f"units[{i}]") for i, u in enumerate(units)]
        result = query_result(lambda: comparing.compare(ctx.db, actor, cycle_ids, unit_ids))
        return Comparison(
            cycles=[Cycle.from_model(c) for c in result.cycles],
            units=[
                ComparedUnit(
                    tenant=Tenant.from_model(node),
                    standings=[CycleStanding.from_standing(s) for s in result.of(node.id)],
                )
                for node in result.units
            ],
        )
