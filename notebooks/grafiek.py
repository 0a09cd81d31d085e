"""Dutch number formats for the notebooks' charts: € 1.234, € 75,50, € 12,5 mln, 4,96%.

Kept beside the notebooks (each imports it with ``from grafiek import ...``) so that the
tariefmodel package itself never depends on matplotlib.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter


def getal(x: float, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (thousands with a dot, decimals with a comma)."""
    text = f"{abs(x):,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return ("-" if round(x, decimals) < 0 else "") + text


def euro(x: float, decimals: int = 0) -> str:
    """1234 -> '€ 1.234'; -2.5 -> '-€ 2,50' with decimals=2 (the sign as in tariefmodel's fmt_eur)."""
    text = f"€ {getal(abs(x), decimals)}"
    return ("-" if round(x, decimals) < 0 else "") + text


def miljoen(x: float, decimals: int = 1) -> str:
    """12_500_000 -> '€ 12,5 mln'."""
    return euro(x / 1e6, decimals) + " mln"


def procent(x: float, decimals: int = 0) -> str:
    """0.0496 -> '5%' (decimals=0) or '4,96%' (decimals=2): x is a fraction."""
    return getal(x * 100, decimals) + "%"


def _axis(ax: Axes, axis: str):
    return ax.xaxis if axis == "x" else ax.yaxis


def as_euro(ax: Axes, axis: str = "y", decimals: int = 0) -> None:
    _axis(ax, axis).set_major_formatter(FuncFormatter(lambda v, _pos: euro(v, decimals)))


def as_million(ax: Axes, axis: str = "y", decimals: int = 1) -> None:
    _axis(ax, axis).set_major_formatter(FuncFormatter(lambda v, _pos: miljoen(v, decimals)))


def as_percent(ax: Axes, axis: str = "y", decimals: int = 0) -> None:
    """Tick labels for an axis that holds fractions (0.05 -> 5%)."""
    _axis(ax, axis).set_major_formatter(FuncFormatter(lambda v, _pos: procent(v, decimals)))
