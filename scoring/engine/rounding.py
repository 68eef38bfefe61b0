"""The engine's one rounding rule, and the conversion of inputs to Decimal.

Rule: every indicator's points (each line of its explanation) are quantized to 0.01 with
ROUND_HALF_UP once computed; category subtotals, the bonus and the totals are sums of those
quantized figures, so they need no rounding; the normalised score (earned / attainable x the
template total) is quantized to 0.01 with ROUND_HALF_UP.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

CENT = Decimal("0.01")
ROUNDING = ROUND_HALF_UP
ZERO = Decimal("0.00")
# The rule above in one sentence, for reports and the API's documentation.
ROUNDING_RULE = (
    "Each indicator's points are rounded to 0.01 (half up) once computed; subtotals, bonus and "
    "totals add those rounded figures; the normalised score is rounded to 0.01 (half up)."
)

# Scoring runs inside this context whatever the caller's thread context is, so results never
# depend on someone else's precision or rounding settings. 34 digits keep sums of cents exact.
CONTEXT = Context(prec=34, rounding=ROUNDING, Emin=-999_999, Emax=999_999)


def quantize(amount: Decimal) -> Decimal:
    """Round to cents, half up: the only rounding the engine does."""
    return amount.quantize(CENT, rounding=ROUNDING, context=CONTEXT)


def to_decimal(raw: object) -> Decimal:
    """A Decimal from a Decimal, int or str (via str, never through binary floating point).

    Raises ValueError for anything else, for text that is not a number, and for NaN or
    infinity, none of which can be scored.
    """
    if isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, bool) or not isinstance(raw, int | str):
        # bool is an int, but True points are a bug, not a number.
        raise ValueError(f"{raw!r} is not a number")
    else:
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            raise ValueError(f"{raw!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{raw!r} is not a finite number")
    return number
