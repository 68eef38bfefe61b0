"""Drawing spot-check targets and inspectors for a cycle (双随机), publishing the draw to the
subtree (一公开), and making it again from its seed to show it reproduces.

An assessor of the drawing unit (the cycle's owner, or an office below it) draws among the
cycle's units in its subtree: a number of units, or a number of each kind (streets, towns ...).
A unit graded unqualified (a veto among the reasons) in the final results of the previous cycle
of the template family (``scoring.assessments.previous``) weighs ``criticised_weight`` (2
unless said), every other unit 1. The draw and the
inputs it was made from are kept; the targets are the cycle's assessments, where the checks'
findings are recorded with ``add_spot_check`` as any spot check's are.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.db import utcnow
from redline.errors import DomainError, ErrorCode, Problem, fail
from scoring.assessments.models import Assessment, Cycle
from scoring.assessments.previous import previous_results
from scoring.assessments.workflow import require_open
from scoring.engine.draws import (
    ALL_UNITS,
    DrawInspector,
    DrawRefused,
    DrawResult,
    DrawUnit,
    draw,
)
from scoring.inputs import amount_problem
from scoring.spotchecks.models import SpotCheckDraw, SpotCheckDrawTarget
from tenants.access import Actor, user_id_of
from tenants.models import Role, TenantKind, TenantNode, User
from tenants.scope import in_subtree

DEFAULT_CRITICISED_WEIGHT = Decimal(2)
MAX_CRITICISED_WEIGHT = Decimal(100)
SEED_MAX = 100
MAX_INSPECTORS = 500
MAX_INSPECTORS_PER_TARGET = 10
MAX_TARGETS = 1_000
MAX_STRATA = len(TenantKind)


@dataclass(frozen=True)
class Candidate:
    """A unit that may be drawn: as the draw sees it, its node, its assessment in the cycle,
    and the previous cycle in which it was criticised (None: it was not)."""

    unit: DrawUnit
    node: TenantNode
    assessment_id: int
    criticised_in: str | None


@dataclass(frozen=True)
class Stratum:
    """How many units of one kind to draw."""

    kind: TenantKind
    count: int


def draw_spot_checks(
    session: Session,
    actor: Actor | None,
    cycle: Cycle,
    *,
    inspectors: Sequence[User],
    scope: TenantNode | None = None,
    seed: str | None = None,
    target_count: int | None = None,
    strata: Sequence[Stratum] = (),
    inspectors_per_target: int = 1,
    criticised_weight: Decimal = DEFAULT_CRITICISED_WEIGHT,
    now: datetime | None = None,
) -> SpotCheckDraw:
    """Draw ``target_count`` of the cycle's units under ``scope`` (the cycle's owner unless
    given), or ``strata``'s count of each kind, and ``inspectors_per_target`` of
    ``inspectors`` for each, nobody on their own unit; from ``seed``, or a new random one.
    The draw is kept unpublished: only the offices of ``scope`` and above read it."""
    now = now or utcnow()
    owner = session.get_one(TenantNode, cycle.owner_node_id)
    scope_field = "cycleId" if scope is None else "scopeId"
    scope = scope or owner
    if actor is not None:
        actor.require(scope, Role.ASSESSOR, field=scope_field)
    require_open(cycle, "cycleId")
    if not scope.path.startswith(owner.path) or scope.customer_id != cycle.customer_id:
        raise fail(
            "scopeId",
            f"{scope.code} is outside the cycle's units: draw under {owner.code} or an office "
            "below it",
            ErrorCode.INVALID,
        )
    problems: list[Problem] = []
    seed = _seed(seed, problems)
    if p := amount_problem(
        criticised_weight,
        "criticisedWeight",
        low=Decimal(1),
        high=MAX_CRITICISED_WEIGHT,
        what="the weight of a unit criticised in the last cycle",
    ):
        problems.append(p)
    if not 1 <= inspectors_per_target <= MAX_INSPECTORS_PER_TARGET:
        problems.append(
            Problem(
                "inspectorsPerTarget",
                f"between 1 and {MAX_INSPECTORS_PER_TARGET} inspectors per target",
                ErrorCode.INVALID,
            )
        )
    problems.extend(_inspector_problems(inspectors, cycle))
    quotas = _quotas(target_count, strata, problems)
    if problems:
        raise DomainError(problems)

    units = _candidates(session, cycle, scope, quotas, criticised_weight)
    pool = [_inspector(session, user) for user in inspectors]
    try:
        result = draw(
            [c.unit for c in units.values()],
            [DrawInspector(id=user.id, path=path) for user, path, _ in pool],
            quotas,
            inspectors_per_target=inspectors_per_target,
            seed=seed,
        )
    except DrawRefused as refused:
        raise DomainError([_problem(refused, strata)]) from None

    spot_check_draw = SpotCheckDraw(
        customer_id=cycle.customer_id,
        cycle_id=cycle.id,
        scope_node_id=scope.id,
        seed=seed,
        inspectors_per_target=inspectors_per_target,
        criticised_weight=Decimal(criticised_weight),
        inputs={
            "stratified_by": "none" if target_count is not None else "kind",
            "quotas": quotas,
            "units": [
                [
                    c.unit.id,
                    c.unit.code,
                    c.unit.path,
                    c.unit.stratum,
                    str(c.unit.weight),
                    c.unit.reason,
                ]
                for c in units.values()
            ],
            "inspectors": [[user.id, path] for user, path, _ in pool],
        },
        drawn_by_id=user_id_of(actor),
        drawn_at=now,
    )
    session.add(spot_check_draw)
    session.flush()
    named = {user.id: (user, unit) for user, _, unit in pool}
    for target in result.targets:
        candidate = units[target.unit.id]
        node = candidate.node
        session.add(
            SpotCheckDrawTarget(
                customer_id=cycle.customer_id,
                draw_id=spot_check_draw.id,
                unit_id=target.unit.id,
                assessment_id=candidate.assessment_id,
                unit_code=node.code,
                unit_name_zh=node.name_zh,
                unit_name_en=node.name_en,
                stratum=target.unit.stratum,
                position=target.position,
                weight=target.unit.weight,
                reason=target.unit.reason,
                criticised_in=candidate.criticised_in,
                inspectors=[
                    {
                        "user_id": inspector_id,
                        "name": named[inspector_id][0].display_name,
                        "unit_code": named[inspector_id][1].code,
                        "unit_name_zh": named[inspector_id][1].name_zh,
                    }
                    for inspector_id in target.inspector_ids
                ],
            )
        )
    session.flush()
    return spot_check_draw


def publish_draw(
    session: Session,
    actor: Actor | None,
    spot_check_draw: SpotCheckDraw,
    *,
    now: datetime | None = None,
) -> SpotCheckDraw:
    """Publish a draw (一公开): from now on every unit of the drawing unit's subtree reads it,
    its seed and the inputs it was made from. A published draw never changes."""
    scope = session.get_one(TenantNode, spot_check_draw.scope_node_id)
    if actor is not None:
        actor.require(scope, Role.ASSESSOR, field="drawId")
    if spot_check_draw.published_at is not None:
        raise fail("drawId", "the draw is already published", ErrorCode.INVALID_STATE)
    spot_check_draw.published_at = now or utcnow()
    spot_check_draw.published_by_id = user_id_of(actor)
    session.flush()
    return spot_check_draw


def redraw(spot_check_draw: SpotCheckDraw) -> DrawResult:
    """The draw made again from its seed and the inputs it kept."""
    inputs = spot_check_draw.inputs
    units = [
        DrawUnit(id=i, code=code, path=path, stratum=stratum, weight=Decimal(w), reason=why)
        for i, code, path, stratum, w, why in inputs["units"]
    ]
    inspectors = [DrawInspector(id=i, path=path) for i, path in inputs["inspectors"]]
    return draw(
        units,
        inspectors,
        inputs["quotas"],
        inspectors_per_target=spot_check_draw.inspectors_per_target,
        seed=spot_check_draw.seed,
    )


def reproduces(spot_check_draw: SpotCheckDraw, targets: Sequence[SpotCheckDrawTarget]) -> bool:
    """Whether drawing again from the seed gives the kept targets, places and inspectors."""
    again = redraw(spot_check_draw)
    expected = sorted((t.unit.id, t.position, t.inspector_ids) for t in again.targets)
    kept = sorted(
        (t.unit_id, t.position, tuple(i["user_id"] for i in t.inspectors)) for t in targets
    )
    return expected == kept


# --- the inputs --------------------------------------------------------------------------------


def _seed(seed: str | None, problems: list[Problem]) -> str:
    """The seed given (trimmed), or a new random one when none is."""
    if seed is None or not seed.strip():
        return secrets.token_hex(8)
    seed = seed.strip()
    if len(seed) > SEED_MAX:
        problems.append(
            Problem(
                "seed", f"is {len(seed)} characters long; at most {SEED_MAX}", ErrorCode.INVALID
            )
        )
    return seed


def _inspector_problems(inspectors: Sequence[User], cycle: Cycle) -> list[Problem]:
    if not inspectors:
        return [Problem("inspectorIds", "name the inspectors to draw from", ErrorCode.REQUIRED)]
    if len(inspectors) > MAX_INSPECTORS:
        return [Problem("inspectorIds", f"at most {MAX_INSPECTORS}", ErrorCode.TOO_LARGE)]
    problems = []
    seen: set[int] = set()
    for index, user in enumerate(inspectors):
        field = f"inspectorIds[{index}]"
        if user.id in seen:
            problems.append(Problem(field, f"{user.username} is named twice", ErrorCode.DUPLICATE))
        elif not user.is_active or user.customer_id != cycle.customer_id:
            problems.append(
                Problem(field, f"{user.username} cannot inspect (inactive)", ErrorCode.INVALID)
            )
        seen.add(user.id)
    return problems


def _quotas(
    target_count: int | None, strata: Sequence[Stratum], problems: list[Problem]
) -> dict[str, int]:
    """How many to draw of each stratum: ``target_count`` of all units, or per kind."""
    if target_count is not None and strata:
        problems.append(
            Problem("strata", "give targetCount or strata, not both", ErrorCode.INVALID)
        )
        return {}
    if target_count is None and not strata:
        problems.append(
            Problem("targetCount", "say how many units to draw (or strata)", ErrorCode.REQUIRED)
        )
        return {}
    if target_count is not None:
        if not 1 <= target_count <= MAX_TARGETS:
            problems.append(
                Problem("targetCount", f"between 1 and {MAX_TARGETS}", ErrorCode.INVALID)
            )
        return {ALL_UNITS: target_count}
    quotas: dict[str, int] = {}
    for index, stratum in enumerate(strata):
        if stratum.kind.value in quotas:
            problems.append(
                Problem(
                    f"strata[{index}].kind",
                    f"{stratum.kind.value} is given twice",
                    ErrorCode.DUPLICATE,
                )
            )
        elif not 1 <= stratum.count <= MAX_TARGETS:
            problems.append(
                Problem(f"strata[{index}].count", f"between 1 and {MAX_TARGETS}", ErrorCode.INVALID)
            )
        quotas[stratum.kind.value] = stratum.count
    return quotas


def _candidates(
    session: Session,
    cycle: Cycle,
    scope: TenantNode,
    quotas: dict[str, int],
    criticised_weight: Decimal,
) -> dict[int, Candidate]:
    """The cycle's units under ``scope`` (the scope itself left out) in the strata asked for,
    by node id, weighted: a unit graded unqualified in the previous cycle's final results (the
    criticism list's rule, see ``scoring.assessments.previous``) weighs ``criticised_weight``."""
    rows = session.execute(
        select(Assessment, TenantNode)
        .join(TenantNode, TenantNode.id == Assessment.node_id)
        .where(
            Assessment.cycle_id == cycle.id,
            in_subtree(TenantNode.path, scope.path),
            TenantNode.id != scope.id,
        )
        .order_by(TenantNode.path)
    ).all()
    stratified = ALL_UNITS not in quotas
    rows = [(a, n) for a, n in rows if not stratified or n.kind.value in quotas]
    before = previous_results(session, [a for a, _ in rows])
    found: dict[int, Candidate] = {}
    for assessment, node in rows:
        result = before.get(assessment.id)
        criticised_in = result.cycle_name if result is not None and result.criticised else None
        if criticised_in is not None:
            how = "vetoed" if result is not None and result.vetoed else "graded unqualified"
            weight, reason = Decimal(criticised_weight), f"{how} in {criticised_in}"
        else:
            weight, reason = Decimal(1), "not criticised in the previous cycle"
        unit = DrawUnit(
            id=node.id,
            code=node.code,
            path=node.path,
            stratum=node.kind.value if stratified else ALL_UNITS,
            weight=weight,
            reason=reason,
        )
        found[node.id] = Candidate(unit, node, assessment.id, criticised_in)
    return found


def _inspector(session: Session, user: User) -> tuple[User, str, TenantNode]:
    node = session.get_one(TenantNode, user.node_id)
    return user, node.path, node


def _problem(refused: DrawRefused, strata: Sequence[Stratum]) -> Problem:
    """The engine's refusal as a problem naming the input field at fault."""
    if refused.parameter == "quotas":
        index = next((i for i, s in enumerate(strata) if s.kind.value == refused.stratum), None)
        field = "targetCount" if index is None else f"strata[{index}].count"
        return Problem(field, refused.message, ErrorCode.INVALID)
    fields = {"inspectors": "inspectorIds", "inspectors_per_target": "inspectorsPerTarget"}
    return Problem(fields.get(refused.parameter), refused.message, ErrorCode.INVALID)
