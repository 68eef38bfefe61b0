"""Double-random spot-check draws (双随机): targets drawn from units by weight within strata, and
inspectors drawn for each target, reproducibly from a published seed, nobody on their own unit.

The draw is a pure function of its inputs and the seed:

- Each stratum (a kind of unit: streets, towns ...) is drawn with its own generator,
  ``random.Random(f"{seed}/targets/{stratum}")``, over its units in code order, so neither the
  order units are given in nor another stratum's count changes what it draws. Units are drawn
  without replacement by weight (Efraimidis and Spirakis: each unit gets the key ln(u) / weight
  for a uniform u in (0, 1], the largest keys win), so a unit of weight 2 is about twice as
  likely as one of weight 1 to be first drawn.
- Inspectors are then drawn target by target (strata in sorted order, targets in the order
  drawn) with ``random.Random(f"{seed}/inspectors")``: among those allowed on the target, the
  least loaded first, ties broken at random.
- An inspector's own unit is the unit they belong to and every unit containing it: nobody
  checks the unit whose subtree holds their own node (a township clerk never checks their
  township or its county). Offices above the targets (the drawing office's own staff) may
  check any of them.

``random.Random`` seeded with a string hashes it with SHA-512, so the same seed draws the same
on every machine and Python process.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

# The stratum of a draw that is not stratified: every candidate unit is in it.
ALL_UNITS = "all"


@dataclass(frozen=True)
class DrawUnit:
    """A unit that may be drawn: its stratum, its weight (above 0) and why it has it."""

    id: int
    code: str
    path: str
    stratum: str
    weight: Decimal = Decimal(1)
    reason: str = ""


@dataclass(frozen=True)
class DrawInspector:
    """A person who may be drawn to inspect, with the path of the unit they belong to."""

    id: int
    path: str


@dataclass(frozen=True)
class DrawnTarget:
    """A unit drawn: its stratum, its place in the stratum's draw (1 first) and its inspectors
    (in the order drawn; the first leads the check)."""

    unit: DrawUnit
    position: int
    inspector_ids: tuple[int, ...]


@dataclass(frozen=True)
class DrawResult:
    """What a seed drew: the targets, stratum by stratum in sorted order, each in draw order."""

    seed: str
    targets: tuple[DrawnTarget, ...]


class DrawRefused(ValueError):
    """The draw cannot be made as asked; ``parameter`` names the input at fault
    (``quotas``, ``inspectors``, ``inspectors_per_target``, ``units``)."""

    def __init__(self, parameter: str, message: str, stratum: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.stratum = stratum


def checks_own_unit(inspector: DrawInspector, unit: DrawUnit) -> bool:
    """Whether inspecting ``unit`` would be checking the inspector's own unit: they belong to
    it or to a unit below it."""
    return inspector.path.startswith(unit.path)


def draw(
    units: Sequence[DrawUnit],
    inspectors: Sequence[DrawInspector],
    quotas: Mapping[str, int],
    *,
    inspectors_per_target: int,
    seed: str,
) -> DrawResult:
    """Draw ``quotas[stratum]`` units of each stratum by weight, then ``inspectors_per_target``
    inspectors for each of them, none on their own unit; the same inputs and seed always give
    the same result. :class:`DrawRefused` says why a draw cannot be made."""
    members = _strata(units)
    _check_quotas(members, quotas)
    drawn = [
        (unit, position)
        for stratum in sorted(quotas)
        for position, unit in enumerate(
            _weighted_sample(members[stratum], quotas[stratum], seed, stratum), 1
        )
    ]
    assigned = _assign(inspectors, [unit for unit, _ in drawn], inspectors_per_target, seed)
    return DrawResult(
        seed=seed,
        targets=tuple(
            DrawnTarget(unit=unit, position=position, inspector_ids=ids)
            for (unit, position), ids in zip(drawn, assigned, strict=True)
        ),
    )


def _strata(units: Sequence[DrawUnit]) -> dict[str, list[DrawUnit]]:
    """The units of each stratum in code order (the order a stratum's generator reads them)."""
    members: dict[str, list[DrawUnit]] = defaultdict(list)
    seen: set[int] = set()
    for unit in units:
        if unit.id in seen:
            raise DrawRefused("units", f"{unit.code} is a candidate twice")
        if not unit.weight > 0:
            raise DrawRefused("units", f"{unit.code} has weight {unit.weight}: weights are above 0")
        seen.add(unit.id)
        members[unit.stratum].append(unit)
    for listed in members.values():
        listed.sort(key=lambda u: (u.code, u.id))
    return members


def _check_quotas(members: Mapping[str, list[DrawUnit]], quotas: Mapping[str, int]) -> None:
    if not quotas:
        raise DrawRefused("quotas", "say how many units to draw")
    for stratum in sorted(quotas):
        count, available = quotas[stratum], len(members.get(stratum, ()))
        if count < 1:
            raise DrawRefused("quotas", "draw at least 1 unit", stratum)
        if count > available:
            raise DrawRefused(
                "quotas",
                f"{count} cannot be drawn from {available} unit{'s' if available != 1 else ''}"
                f" of {stratum}",
                stratum,
            )


def _weighted_sample(
    members: Sequence[DrawUnit], count: int, seed: str, stratum: str
) -> list[DrawUnit]:
    """``count`` of ``members`` drawn without replacement by weight (Efraimidis-Spirakis)."""
    # Reproducible on purpose: the seed is published and anyone may draw again.
    rng = random.Random(f"{seed}/targets/{stratum}")  # noqa: S311
    keyed = []
    for unit in members:
        u = 1.0 - rng.random()  # in (0, 1]: ln(u) is finite
        keyed.append((math.log(u) / float(unit.weight), unit))
    keyed.sort(key=lambda pair: (-pair[0], pair[1].code, pair[1].id))
    return [unit for _, unit in keyed[:count]]


def _assign(
    inspectors: Sequence[DrawInspector],
    targets: Sequence[DrawUnit],
    per_target: int,
    seed: str,
) -> list[tuple[int, ...]]:
    """The inspectors of each target: the least loaded of those allowed on it, ties at random."""
    pool = sorted({i.id: i for i in inspectors}.values(), key=lambda i: i.id)
    if len(pool) != len(inspectors):
        raise DrawRefused("inspectors", "an inspector is named twice")
    if per_target < 1:
        raise DrawRefused("inspectors_per_target", "each target needs at least 1 inspector")
    if per_target > len(pool):
        raise DrawRefused(
            "inspectors_per_target",
            f"{per_target} inspectors per target need at least {per_target} inspectors, "
            f"not {len(pool)}",
        )
    short = [
        (unit, sum(1 for i in pool if checks_own_unit(i, unit)))
        for unit in targets
        if sum(1 for i in pool if not checks_own_unit(i, unit)) < per_target
    ]
    if short:
        named = ", ".join(f"{unit.code} ({own} belong to it)" for unit, own in short[:5])
        more = f" and {len(short) - 5} more" if len(short) > 5 else ""
        raise DrawRefused(
            "inspectors",
            f"{len(pool)} inspectors cannot cover {len(targets)} targets with {per_target} each"
            f" without checking their own unit: {named}{more}",
        )
    rng = random.Random(f"{seed}/inspectors")  # noqa: S311 - reproducible on purpose
    load = {i.id: 0 for i in pool}
    assigned = []
    for unit in targets:
        allowed = [i for i in pool if not checks_own_unit(i, unit)]
        rng.shuffle(allowed)
        allowed.sort(key=lambda i: load[i.id])  # stable: the shuffle breaks ties
        picked = tuple(i.id for i in allowed[:per_target])
        for inspector_id in picked:
            load[inspector_id] += 1
        assigned.append(picked)
    return assigned
