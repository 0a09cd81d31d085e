"""Exact money: Decimal arithmetic and Excel-compatible rounding.

Tariffs are rounded half away from zero, as Excel's ROUND does. Python's
built-in rounding function rounds half to even and must never touch money.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

# ROUND_HALF_UP in the decimal module rounds ties away from zero for negative
# numbers too (-0.005 -> -0.01), which is exactly Excel's ROUND.
_CONTEXT = Context(prec=34, rounding=ROUND_HALF_UP)

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")
_QUANTA = {d: Decimal(1).scaleb(-d) for d in range(7)}


def to_decimal(value: object) -> Decimal:
    """Convert a number from an input file to Decimal without binary float noise."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # YAML floats: go through repr so 0.1 stays 0.1, not 0.1000000000000000055...
        return Decimal(repr(value))
    if isinstance(value, str):
        return Decimal(value.strip())
    raise TypeError(f"not a number: {value!r}")


def excel_round(value: Decimal, decimals: int = 2) -> Decimal:
    """Round half away from zero to ``decimals`` places, like Excel's ROUND."""
    return value.quantize(_QUANTA[decimals] if decimals in _QUANTA else Decimal(1).scaleb(-decimals),
                          rounding=ROUND_HALF_UP)


def round_to_multiple(value: Decimal, step: Decimal) -> Decimal:
    """Round to the nearest multiple of ``step``, ties away from zero (Excel MROUND)."""
    with localcontext(_CONTEXT):
        units = (value / step).quantize(ONE, rounding=ROUND_HALF_UP)
        return units * step


def eurocent(amount: Decimal) -> int:
    """An amount in euros, already rounded to cents, as integer eurocent (iJw/iWmo)."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{amount} is not rounded to whole cents")
    return int(cents)
