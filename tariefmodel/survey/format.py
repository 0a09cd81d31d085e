"""Dutch display of survey figures: € 1.234,56, 4,96%, 6,5 uur."""

from __future__ import annotations

from decimal import Decimal

from tariefmodel.data.money import excel_round, fmt_eur


def grouped(x: Decimal, decimals: int) -> str:
    """1234.5 -> '1.234,50' (with ``decimals`` places, rounded half away from zero)."""
    q = excel_round(x, decimals)
    sign = "-" if q < 0 else ""
    text = f"{abs(q):,.{decimals}f}"
    return sign + text.replace(",", "_").replace(".", ",").replace("_", ".")


def pct(x: Decimal, decimals: int = 2) -> str:
    return grouped(x * 100, decimals) + "%"


def number(x: Decimal | None, unit: str) -> str:
    """A figure in its unit: fractions as percentages, euros as € 1.234,56, others with up to 2 decimals."""
    if x is None:
        return ""
    if unit == "fractie":
        return pct(x)
    if unit.startswith("EUR"):
        return fmt_eur(x)
    text = grouped(x, 2)
    return text.rstrip("0").rstrip(",") if "," in text else text
