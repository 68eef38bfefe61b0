"""Amounts as the API prints them: a stored amount with the places it needs, at least two."""

from __future__ import annotations

from decimal import Decimal
from typing import overload

from scoring.engine import CENT


@overload
def amount(value: Decimal) -> Decimal: ...
@overload
def amount(value: None) -> None: ...
@overload
def amount(value: Decimal | None) -> Decimal | None: ...
def amount(value: Decimal | None) -> Decimal | None:
    """A stored amount (read back at 4 places) with the places it needs, at least 2."""
    if value is None:
        return None
    cents = value.quantize(CENT)
    return cents if cents == value else value.normalize()


def document_amount(raw: str | int | float) -> Decimal:
    """An amount kept in a JSON document (read as text, never through a float)."""
    return amount(Decimal(str(raw)))
