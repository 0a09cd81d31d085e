"""Dutch display of survey figures: € 1.234,56, 4,96%, 6,5 uur."""

from __future__ import annotations

from decimal import Decimal

from tariefmodel.data.numbers import eur, num, pct


def number(x: Decimal | None, unit: str) -> str:
    """A figure in its unit: fractions as percentages, euros as € 1.234,56, others with up to 2 decimals."""
    if x is None:
        return ""
    if unit == "fractie":
        return pct(x, 2)
    if unit.startswith("EUR"):
        return eur(x)
    text = num(x, 2)
    return text.rstrip("0").rstrip(",") if "," in text else text
