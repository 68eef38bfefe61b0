"""GraphQL types of the rankings area: ranking entries and pages, aggregates, lists, compare."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

import strawberry

from scoring.rankings.changes import Change
from scoring.rankings.changes import RankingChanges as ChangesFound
from scoring.rankings.compare import Standing
from scoring.rankings.consequences import Decided, Register
from scoring.rankings.lists import Listed
from scoring.rankings.models import RankingRow, RankingSnapshot, RegionAggregate
from scoring.rankings.reading import TIE_BREAK

from ..assessments.types import Cycle
from ..core.amounts import amount
from ..core.bands import Band, Trend
from ..core.context import Info
from ..core.enums import AssessmentState, Consequence, Grade, TenantLevel
from ..core.nodes import LoadedTogether
from ..core.pagination import Connection
from ..templates.types import ConsequencePolicyType
from ..tenants.types import Tenant


@strawberry.type(
    name="RankingSnapshot",
    description="One published computation of a cycle's rankings; immutable once published.",
)
class RankingSnapshotInfo:
    version: int = strawberry.field(description="1, 2, ... per cycle.")
    computed_at: datetime = strawberry.field(description="When it was computed and published.")
    provisional: bool = strawberry.field(
        description="True until every assessment of the cycle is final."
    )
    tie_break: str = strawberry.field(description="How ranks and the listed order are decided.")
    rows_kept: bool = strawberry.field(
        description="Its rows are readable (compare it with rankingChanges): a provisional "
        "version keeps them while it is among the newest three, a final one for good."
    )

    @classmethod
    def from_model(cls, row: RankingSnapshot | None, tie_break: str) -> RankingSnapshotInfo | None:
        if row is None:
            return None
        return cls(
            version=row.version,
            computed_at=row.computed_at,
            provisional=row.provisional,
            tie_break=tie_break,
            rows_kept=not row.rows_pruned,
        )


@strawberry.type(description="A ranked unit's code and names, shown to all its ranking's readers.")
class RankedUnit:
    code: str = strawberry.field(description="Its code when the ranking was published.")
    name_zh: str = strawberry.field(description="Its Chinese name when the ranking was published.")
    name_en: str = strawberry.field(
        description="Its English name when the ranking was published (may be empty for a "
        "department or enterprise)."
    )
    level: TenantLevel = strawberry.field(description="The level it is ranked at.")


@strawberry.type(
    description="One veto or yellow card in force on a unit: its rule, the reason, the evidence."
)
class VetoReason:
    rule: str = strawberry.field(description="The rule's code in the cycle's template.")
    title: str = strawberry.field(description="The rule's title (its code when it has none).")
    reason: str = strawberry.field(description="Why it is in force, as raised or fired.")
    evidence: str = strawberry.field(description="What shows it; empty when none was given.")

    @classmethod
    def listed(cls, kept: list[dict[str, str]] | None) -> list[VetoReason]:
        """The reasons a ranking row keeps (a JSON list), as the API gives them."""
        return [
            cls(
                rule=v.get("rule", ""),
                title=v.get("title", ""),
                reason=v.get("reason", ""),
                evidence=v.get("evidence", ""),
            )
            for v in kept or ()
        ]


@strawberry.type(
    description="A unit's place in one ranking: regions above the cycle's level are ranked on "
    "their composite score when they have one, else on their ranked units' mean."
)
class RankingEntry:
    rank: int = strawberry.field(
        description="Competition rank: 1, 2, 2, 4 (within its group when the cycle has groups)."
    )
    previous_rank: int | None = strawberry.field(
        description="Its rank in the same ranking of the previous cycle of the template family "
        "(null when it was ranked in another group then)."
    )
    of: int = strawberry.field(description="How many are ranked in this ranking (its group).")
    position: int = strawberry.field(
        description="1.. in the listed order (tie-break applied; groups one after the other)."
    )
    group_code: str | None = strawberry.field(
        description="The assessment group (分类考核) it is ranked within; null: no groups."
    )
    group_name: str | None = strawberry.field(description="The group's name as published.")
    score: Decimal | None = strawberry.field(description="What the rank is computed on.")
    previous_score: Decimal | None = strawberry.field(
        description="Its score in the same ranking of the previous cycle of the template family."
    )
    percent_of_max: Decimal | None = strawberry.field(
        description="The score as a percent of the template's total (bonus can pass 100)."
    )
    band: Band | None = strawberry.field(
        description="The score's colour band at the row's level (the template's thresholds)."
    )
    score_trend: Trend | None = strawberry.field(
        description="UP/DOWN once the score moved by at least the template's trendMinPoints."
    )
    rank_trend: Trend | None = strawberry.field(
        description="UP/DOWN once the rank moved by at least the template's trendMinRanks."
    )
    self_total: Decimal | None = strawberry.field(description="The unit's own total (units only).")
    grade: Grade | None = strawberry.field(
        description="Its assessment's grade then (units only; null for a region)."
    )
    vetoed: bool = strawberry.field(
        description="A one-ticket veto (一票否决) was in force: ranked after every unit not "
        "vetoed. Always false for a region."
    )
    veto_reasons: list[VetoReason] = strawberry.field(
        description="The vetoes in force then (units only; empty when none)."
    )
    yellow_cards: list[VetoReason] = strawberry.field(
        description="Its yellow cards (黄牌警告) then: a warning that changes no score or rank "
        "but keeps the unit off the commendation candidates."
    )
    overdue_major_hazards: int = strawberry.field(
        description="Major hazards listed for supervision, open past their deadline, in its "
        "subtree when the snapshot was computed."
    )
    state: AssessmentState | None = strawberry.field(
        description="Its assessment's state then (units only)."
    )
    unit: RankedUnit = strawberry.field(
        description="The unit or region as published: readable by everyone who reads the ranking."
    )
    # Values, not resolvers: a page of 500 rows resolves each field 500 times.
    rank_change: int | None = strawberry.field(
        description="Previous rank - rank: positive moved up; null without one."
    )
    score_change: Decimal | None = strawberry.field(
        description="Score - previous score; null without both."
    )
    node_id: strawberry.Private[int]
    # The tenants of the list the entry was made in, read together (see ``many``).
    tenants: strawberry.Private[LoadedTogether[Tenant]]

    @strawberry.field(description="The unit as a tenant; null when out of your sight (siblings).")
    def tenant(self, info: Info) -> Tenant | None:
        return self.tenants.get(info, self.node_id)

    @classmethod
    def many(cls, rows: Iterable[RankingRow]) -> list[RankingEntry]:
        """The entries of a list's rows, their tenants read in one query."""
        found = list(rows)
        tenants = cls.tenants_of(found)
        return [cls.from_model(row, tenants) for row in found]

    @staticmethod
    def tenants_of(rows: Iterable[RankingRow | None]) -> LoadedTogether[Tenant]:
        """The tenants of a list's rows, to read in one query (None rows left out)."""
        return LoadedTogether(Tenant, (row.node_id for row in rows if row is not None))

    @classmethod
    def from_model(cls, row: RankingRow, tenants: LoadedTogether[Tenant]) -> RankingEntry:
        """The entry of one row; ``tenants``: those of the list it is in (``tenants_of``)."""
        score, previous_score = amount(row.score), amount(row.previous_score)
        return cls(
            rank=row.rank,
            previous_rank=row.previous_rank,
            rank_change=None if row.previous_rank is None else row.previous_rank - row.rank,
            of=row.of,
            position=row.position,
            group_code=row.group_code,
            group_name=row.group_name,
            score=score,
            previous_score=previous_score,
            score_change=(
                None if score is None or previous_score is None else score - previous_score
            ),
            percent_of_max=amount(row.percent),
            band=Band(row.band) if row.band else None,
            score_trend=Trend(row.score_trend) if row.score_trend else None,
            rank_trend=Trend(row.rank_trend) if row.rank_trend else None,
            self_total=amount(row.self_total),
            grade=row.grade,
            vetoed=row.vetoed,
            veto_reasons=VetoReason.listed(row.veto_reasons),
            yellow_cards=VetoReason.listed(row.yellow_cards),
            overdue_major_hazards=row.overdue_major_hazards,
            state=AssessmentState(row.state) if row.state else None,
            unit=RankedUnit(
                code=row.unit_code,
                name_zh=row.unit_name_zh,
                name_en=row.unit_name_en,
                level=TenantLevel(row.level),
            ),
            node_id=row.node_id,
            tenants=tenants,
        )


@strawberry.type(description="A page of a ranking with its size and the snapshot it is from.")
class RankingConnection(Connection[RankingEntry]):
    snapshot: RankingSnapshotInfo | None = strawberry.field(
        description="The snapshot read; null before the cycle's rankings are first published."
    )


@strawberry.type(description="How many ranked units got a grade.")
class GradeCount:
    grade: Grade = strawberry.field(description="The grade counted.")
    count: int = strawberry.field(description="Ranked units with it (1 or more).")


@strawberry.type(description="How many ranked units' totals fall in a colour band.")
class BandCount:
    band: Band = strawberry.field(description="The colour band counted.")
    count: int = strawberry.field(description="Ranked units in it; 0 when none.")


@strawberry.type(
    name="RankingAggregate",
    description="A region's figures in a snapshot, over its ranked units (reviewed totals).",
)
class RankingAggregate:
    assessed: int = strawberry.field(description="Units of the cycle under it.")
    ranked: int = strawberry.field(description="Of those, ranked (submitted and not returned).")
    mean: Decimal | None = strawberry.field(
        description="Mean of the ranked units' reviewed totals; null when none is ranked."
    )
    median: Decimal | None = strawberry.field(description="Even counts: mean of the middle two.")
    minimum: Decimal | None = strawberry.field(
        description="The lowest ranked total; null when none is ranked."
    )
    maximum: Decimal | None = strawberry.field(
        description="The highest ranked total; null when none is ranked."
    )
    grade_counts: list[GradeCount] = strawberry.field(
        description="Ranked units per grade, only the grades some unit got."
    )
    band_counts: list[BandCount] = strawberry.field(
        description="Ranked units per colour band of their total, GREEN to RED."
    )
    veto_count: int = strawberry.field(description="Ranked units vetoed.")
    mean_gap: Decimal | None = strawberry.field(
        description="Mean of self total - reviewed total: self-assessment inflation."
    )
    own_total: Decimal | None = strawberry.field(
        description="Its own reviewed total in another cycle of the same period."
    )
    composite: Decimal | None = strawberry.field(
        description="weight x own total + (1 - weight) x mean, with the weight of the template "
        "it is itself assessed under; null when that template has none."
    )
    snapshot: RankingSnapshotInfo = strawberry.field(description="The snapshot the figures are of.")
    node_id: strawberry.Private[int]

    @strawberry.field(description="The region; null when out of your sight.")
    async def tenant(self, info: Info) -> Tenant | None:
        return await Tenant.load(info, self.node_id)

    @classmethod
    def from_model(cls, row: RegionAggregate, snapshot: RankingSnapshotInfo) -> RankingAggregate:
        return cls(
            assessed=row.assessed,
            ranked=row.ranked,
            mean=amount(row.mean),
            median=amount(row.median),
            minimum=amount(row.minimum),
            maximum=amount(row.maximum),
            grade_counts=[
                GradeCount(grade=Grade(g), count=c) for g, c in (row.grade_counts or {}).items()
            ],
            band_counts=[
                BandCount(band=band, count=(row.band_counts or {}).get(band.value, 0))
                for band in Band
            ],
            veto_count=row.veto_count,
            mean_gap=amount(row.mean_gap),
            own_total=amount(row.own_total),
            composite=amount(row.composite),
            snapshot=snapshot,
            node_id=row.node_id,
        )


@strawberry.type(description="Why a unit is on a list: a kind to switch on and a sentence.")
class ListReason:
    kind: str = strawberry.field(
        description="rank, grade, veto, unqualified or overdue_major_hazards."
    )
    text: str = strawberry.field(description="The reason as a sentence, in English.")


@strawberry.type(description="A unit on a leaders' list, with its ranking entry and reasons.")
class ListedUnit:
    entry: RankingEntry = strawberry.field(description="Its entry in the ranking listed.")
    reasons: list[ListReason] = strawberry.field(description="Every reason it is on the list.")

    @classmethod
    def many(cls, listed: Sequence[Listed]) -> list[ListedUnit]:
        entries = RankingEntry.many(unit.row for unit in listed)
        return [
            cls(entry=entry, reasons=[ListReason(kind=r.kind, text=r.text) for r in unit.reasons])
            for unit, entry in zip(listed, entries, strict=True)
        ]


@strawberry.type(description="A leaders' list drawn from the current snapshot.")
class UnitList:
    snapshot: RankingSnapshotInfo | None = strawberry.field(
        description="The snapshot read; null before the cycle's rankings are first published."
    )
    units: list[ListedUnit] = strawberry.field(
        description="In rank order; empty when none qualifies or nothing is published."
    )


@strawberry.type(
    description="A unit whose standing differs between two versions of a ranking: where it was, "
    "where it is, and why (the vetoes and yellow cards that came or went; the score)."
)
class RankingChange:
    unit: RankedUnit = strawberry.field(
        description="The unit as the later version names it (the earlier one, if it left)."
    )
    before: RankingEntry | None = strawberry.field(
        description="Its entry in the earlier version (null: it was not in that ranking)."
    )
    after: RankingEntry | None = strawberry.field(
        description="Its entry in the later version (null: it left the ranking)."
    )
    rank_change: int | None = strawberry.field(
        description="Places moved up (negative: down); null unless ranked in both."
    )
    score_change: Decimal | None = strawberry.field(
        description="Later score - earlier score; null unless scored in both."
    )
    vetoes_added: list[VetoReason] = strawberry.field(
        description="Vetoes in force in the later version, not in the earlier one."
    )
    vetoes_removed: list[VetoReason] = strawberry.field(
        description="Vetoes in force in the earlier version, not in the later one."
    )
    yellow_cards_added: list[VetoReason] = strawberry.field(
        description="Yellow cards in force in the later version, not in the earlier one."
    )
    yellow_cards_removed: list[VetoReason] = strawberry.field(
        description="Yellow cards in force in the earlier version, not in the later one."
    )
    commendation_withdrawn: bool = strawberry.field(
        description="Commended by the earlier version's result and not by the later one: a "
        "commendation granted on the earlier version is to be withdrawn."
    )
    commendation_granted: bool = strawberry.field(
        description="Commended by the later version's result and not by the earlier one."
    )

    @classmethod
    def of(cls, change: Change, tenants: LoadedTogether[Tenant]) -> RankingChange:
        before = RankingEntry.from_model(change.before, tenants) if change.before else None
        after = RankingEntry.from_model(change.after, tenants) if change.after else None
        either = after or before
        assert either is not None  # a change has a row on one side at least
        return cls(
            unit=either.unit,
            before=before,
            after=after,
            rank_change=change.rank_change,
            score_change=amount(change.score_change),
            vetoes_added=VetoReason.listed(list(change.vetoes_added)),
            vetoes_removed=VetoReason.listed(list(change.vetoes_removed)),
            yellow_cards_added=VetoReason.listed(list(change.yellow_cards_added)),
            yellow_cards_removed=VetoReason.listed(list(change.yellow_cards_removed)),
            commendation_withdrawn=change.commendation_withdrawn,
            commendation_granted=change.commendation_granted,
        )


@strawberry.type(
    description="What changed in one ranking between two published versions of a cycle's "
    "rankings (republished after a late change such as a veto found afterwards)."
)
class RankingChanges:
    from_snapshot: RankingSnapshotInfo = strawberry.field(
        name="from", description="The earlier version compared."
    )
    to_snapshot: RankingSnapshotInfo = strawberry.field(
        name="to", description="The later version compared."
    )
    changes: list[RankingChange] = strawberry.field(
        description="Only the units whose rank, score, grade, vetoes, yellow cards or "
        "commendation differ, in the later version's order, then those that left."
    )

    @classmethod
    def of(cls, found: ChangesFound) -> RankingChanges:
        before = RankingSnapshotInfo.from_model(found.before, TIE_BREAK)
        after = RankingSnapshotInfo.from_model(found.after, TIE_BREAK)
        assert before is not None and after is not None
        tenants = RankingEntry.tenants_of(
            row for change in found.changes for row in (change.before, change.after)
        )
        return cls(
            from_snapshot=before,
            to_snapshot=after,
            changes=[RankingChange.of(change, tenants) for change in found.changes],
        )


@strawberry.type(description="One consequence of a cycle's result for a unit, with its grounds.")
class UnitConsequence:
    kind: Consequence = strawberry.field(
        description="COMMENDATION, CRITICISM, INTERVIEW (约谈) or INELIGIBILITY."
    )
    grounds: list[ListReason] = strawberry.field(
        description="The reasons it rests on: rank and grade for a commendation; the vetoes, "
        "yellow cards, total below the qualified threshold or overdue major hazards that the "
        "template's policy names for the others (each rule with its title and reason)."
    )
    ineligible_until: date | None = strawberry.field(
        description="INELIGIBILITY: the last day the unit's leaders may not be commended or "
        "promoted (null while the cycle is open: the period counts from its closing)."
    )

    @classmethod
    def of(cls, decided: Decided) -> UnitConsequence:
        return cls(
            kind=decided.consequence,
            grounds=[ListReason(kind=r.kind, text=r.text) for r in decided.grounds],
            ineligible_until=decided.until,
        )


@strawberry.type(description="A unit with at least one consequence in the register.")
class RegisteredUnit:
    entry: RankingEntry = strawberry.field(
        description="Its entry in the cycle's whole ranking the register is decided on."
    )
    consequences: list[UnitConsequence] = strawberry.field(
        description="In the order COMMENDATION, CRITICISM, INTERVIEW, INELIGIBILITY."
    )


@strawberry.type(
    description="A cycle's consequences register (奖惩登记) for the units under one scope, in rank "
    "order, decided on the cycle's whole ranking by its template's policy."
)
class ConsequenceRegister:
    snapshot: RankingSnapshotInfo | None = strawberry.field(
        description="The ranking it is decided on (null: nothing published yet)."
    )
    final: bool = strawberry.field(
        description="The cycle is closed and its ranking final: the register is decided. "
        "False: a preview of what the current ranking would bring."
    )
    decided_on: date | None = strawberry.field(
        description="The day the cycle closed, from which bars are counted (null: open)."
    )
    policy: ConsequencePolicyType = strawberry.field(
        description="The template's consequences policy it was decided by."
    )
    units: list[RegisteredUnit] = strawberry.field(
        description="The units with a consequence, in rank order; the others are left out."
    )

    @classmethod
    def of(cls, register: Register) -> ConsequenceRegister:
        return cls(
            snapshot=RankingSnapshotInfo.from_model(register.snapshot, TIE_BREAK),
            final=register.final,
            decided_on=register.decided_on,
            policy=ConsequencePolicyType.of(register.policy),
            units=[
                RegisteredUnit(
                    entry=entry, consequences=[UnitConsequence.of(d) for d in unit.consequences]
                )
                for unit, entry in zip(
                    register.units, RankingEntry.many(u.row for u in register.units), strict=True
                )
            ],
        )


@strawberry.type(description="A category's subtotal in a reviewed scorecard.")
class CategoryFigure:
    code: str = strawberry.field(description="The category's code in the template.")
    title: str = strawberry.field(description="The category's title in the template.")
    points: Decimal = strawberry.field(description="Its reviewed points, capped at maxPoints.")
    max_points: Decimal = strawberry.field(description="Its cap in the template.")


@strawberry.type(description="One unit in one cycle.")
class CycleStanding:
    cycle: Cycle = strawberry.field(description="The cycle it stands in.")
    state: AssessmentState | None = strawberry.field(description="Null: not assessed in the cycle.")
    total: Decimal | None = strawberry.field(description="The reviewed total, once ranked.")
    grade: Grade | None = strawberry.field(
        description="The reviewed grade, once ranked (submitted and not returned); else null."
    )
    vetoed: bool = strawberry.field(
        description="A one-ticket veto is in force on its reviewed scorecard (false until ranked)."
    )
    rank: int | None = strawberry.field(description="In the cycle's whole ranking.")
    of: int | None = strawberry.field(
        description="How many are ranked with it; null when it has no rank."
    )
    categories: list[CategoryFigure] = strawberry.field(
        description="Its reviewed category subtotals; empty until ranked."
    )

    @classmethod
    def from_standing(cls, standing: Standing) -> CycleStanding:
        return cls(
            cycle=Cycle.from_model(standing.cycle),
            state=AssessmentState(standing.state) if standing.state else None,
            total=amount(standing.total),
            grade=standing.grade,
            vetoed=standing.vetoed,
            rank=standing.rank,
            of=standing.of,
            categories=[
                CategoryFigure(
                    code=c.code,
                    title=c.title,
                    points=amount(c.points),
                    max_points=amount(c.max_points),
                )
                for c in standing.categories
            ],
        )


@strawberry.type(description="One unit compared: its standing in each cycle asked for.")
class ComparedUnit:
    tenant: Tenant = strawberry.field(description="The unit compared.")
    standings: list[CycleStanding] = strawberry.field(
        description="One per cycle, in the order the cycles were asked for."
    )


@strawberry.type(description="Units side by side per category and over cycles.")
class Comparison:
    cycles: list[Cycle] = strawberry.field(description="The cycles, in the order asked for.")
    units: list[ComparedUnit] = strawberry.field(description="The units, in the order asked for.")
