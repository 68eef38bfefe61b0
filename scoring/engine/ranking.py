"""Ranking arithmetic, pure: competition ranks with vetoed units last, within groups, statistics,
composites."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from scoring.engine.rounding import CONTEXT, quantize

T = TypeVar("T")
G = TypeVar("G")

# The rule that orders a ranking, in one sentence for the API and the README.
TIE_BREAK = (
    "Higher score ranks first; equal scores share a rank (1, 2, 2, 4) and are listed by unit "
    "code, ascending; vetoed units come after all others, ranked among themselves by score, "
    "the numbering continuing."
)


@dataclass(frozen=True)
class Contender(Generic[T]):
    """One entry of a ranking: ``key`` is the unit code (the tie-break), ``item`` rides along."""

    key: str
    score: Decimal
    vetoed: bool = False
    item: T | None = None


@dataclass(frozen=True)
class Placed(Generic[T]):
    """A contender's place: ``position`` in the listed order, competition ``rank``, ``of``."""

    contender: Contender[T]
    position: int
    rank: int
    of: int


def rank(contenders: Iterable[Contender[T]], *, after: int = 0) -> list[Placed[T]]:
    """Competition-rank the contenders by score, highest first; vetoed ones after all others,
    ranked among themselves by score with the numbering continuing; equal scores share a rank
    and are listed by key ascending (see :data:`TIE_BREAK`). Positions are listed from
    ``after`` + 1 (ranks from 1 whatever ``after``)."""
    entries = sorted(contenders, key=lambda c: (c.vetoed, -c.score, c.key))
    placed: list[Placed[T]] = []
    previous: tuple[bool, Decimal] | None = None
    current_rank = 0
    of = len(entries)
    for position, contender in enumerate(entries, start=1):
        group = (contender.vetoed, contender.score)
        if group != previous:
            current_rank = position
            previous = group
        placed.append(Placed(contender, after + position, current_rank, of))
    return placed


def rank_in_groups(groups: Iterable[tuple[G, Iterable[Contender[T]]]]) -> list[tuple[G, Placed[T]]]:
    """Rank each group's contenders on their own (分类考核: ranks and ``of`` within the group),
    listing the groups one after the other in the order given (positions continue)."""
    placed: list[tuple[G, Placed[T]]] = []
    for group, contenders in groups:
        placed.extend((group, one) for one in rank(contenders, after=len(placed)))
    return placed


@dataclass(frozen=True)
class Statistics:
    """Count, mean, median, minimum and maximum of some totals, rounded as the engine rounds."""

    count: int
    mean: Decimal | None
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None


def mean(values: Sequence[Decimal]) -> Decimal | None:
    """The mean to 0.01, half up (None for no values)."""
    if not values:
        return None
    total = sum(values, start=Decimal(0))
    return quantize(CONTEXT.divide(total, Decimal(len(values))))


def median(values: Sequence[Decimal]) -> Decimal | None:
    """The median to 0.01, half up: the middle value, or the mean of the two middle ones."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return quantize(ordered[middle])
    return quantize(CONTEXT.divide(ordered[middle - 1] + ordered[middle], Decimal(2)))


def statistics(values: Iterable[Decimal]) -> Statistics:
    """The statistics of ``values`` (None figures for none)."""
    items = list(values)
    return Statistics(
        count=len(items),
        mean=mean(items),
        median=median(items),
        minimum=quantize(min(items)) if items else None,
        maximum=quantize(max(items)) if items else None,
    )


def composite(weight: Decimal, own: Decimal, units_mean: Decimal) -> Decimal:
    """weight x the region's own total + (1 - weight) x the mean of its units' totals, to 0.01."""
    if not Decimal(0) < weight < Decimal(1):
        raise ValueError(f"a composite weight is between 0 and 1, got {weight}")
    return quantize(
        CONTEXT.add(
            CONTEXT.multiply(weight, own),
            CONTEXT.multiply(CONTEXT.subtract(Decimal(1), weight), units_mean),
        )
    )
