"""The Python interface for notebooks: load a data folder, get the tariff book as a DataFrame.

    >>> import tariefmodel as tm
    >>> region = tm.load()                 # the bundled example region
    >>> book = tm.tariff_book(region, 2025)  # pandas DataFrame, one row per product x variant
    >>> t = tm.tariff(region, "45A48", "jeugdzorg", 2025)
    >>> print(tm.explain_text(t))
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tariefmodel.data.bundled import bundled_region
from tariefmodel.data.region import Region
from tariefmodel.engine.book import price_book
from tariefmodel.engine.pricing import Pricer, Tariff, product_active
from tariefmodel.loader.load import load_region

if TYPE_CHECKING:  # pandas is heavy; only imported when a DataFrame is asked for
    import pandas as pd


def load(data: Path | str | None = None) -> Region:
    """Load and validate a data folder (default: the bundled example region)."""
    return load_region(Path(data) if data is not None else bundled_region())


def tariffs(region: Region, year: int | None = None) -> list[Tariff]:
    """Every tariff of the book for ``year`` (default: the region's default year), with build-ups."""
    return price_book(region, year or region.info.default_year).tariffs


def tariff_book(region: Region, year: int | None = None) -> pd.DataFrame:
    """The tariff book as a DataFrame; money columns hold exact ``Decimal`` values."""
    from decimal import Decimal

    import pandas as pd

    from tariefmodel.outputs.tariff_rows import COLUMNS, rows

    df = pd.DataFrame(rows(tariffs(region, year)), columns=COLUMNS)
    money = ["tariff_eur", "cost_per_staff_hour", "direct_staff_cost", "travel_time_cost", "client_costs",
             "direct_cost", "overhead", "no_show", "cost_price", "profit_risk", "tariff_unrounded"]
    for col in money:
        # pgb and external tariffs have no build-up: their component cells are empty (None here).
        df[col] = df[col].map(lambda v: Decimal(v) if v != "" else None)
    return df


def tariff(region: Region, product_code: str, variant: str, year: int | None = None) -> Tariff:
    """The build-up of one tariff (product x CAO variant)."""
    y = year or region.info.default_year
    bp = region.product(product_code)
    pricer = Pricer(region, y)
    if not product_active(bp, pricer.params.day):
        raise KeyError(f"product {product_code} is not valid in {y}")
    if variant not in bp.product.caos:
        raise KeyError(f"product {product_code} has no variant {variant!r} (CAOs: {', '.join(bp.product.caos)})")
    return pricer.price(bp, variant)


def explain_text(t: Tariff, region: Region | None = None) -> str:
    from tariefmodel.trail.explain import to_text

    names = {k: c.meta.name for k, c in region.caos.items()} if region else {}
    return to_text(t, names)
