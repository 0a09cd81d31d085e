"""The Python interface for notebooks: load a data folder, get the tariff book as a DataFrame.

    >>> import tariefmodel as tm
    >>> region = tm.load()                 # the bundled example region
    >>> book = tm.tariff_book(region, 2025)  # pandas DataFrame, one row per product x variant; money as float
    >>> book.tariff_eur.describe()           # for analysis and charts
    >>> exact = tm.tariff_book(region, 2025, exact=True)  # the same columns as exact Decimals
    >>> t = tm.tariff(region, "45A48", "jeugdzorg", 2025)
    >>> print(tm.explain_text(t))
"""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from tariefmodel.data.bundled import bundled_region
from tariefmodel.data.problems import did_you_mean
from tariefmodel.data.region import Region
from tariefmodel.engine.book import price_book
from tariefmodel.engine.pricing import Book
from tariefmodel.engine.rows import TariffRow
from tariefmodel.loader.load import load_region

if TYPE_CHECKING:  # pandas is heavy; only imported when a DataFrame is asked for
    import pandas as pd


def load(data: Path | str | None = None) -> Region:
    """Load and validate a data folder (default: the bundled example region)."""
    return load_region(Path(data) if data is not None else bundled_region())


def tariffs(region: Region, year: int | None = None) -> list[TariffRow]:
    """Every row of the book for ``year`` (default: the region's default year), as ``calculate`` gives them."""
    return list(_book(region, year or region.info.default_year).tariffs)  # a copy: the book is shared


# Money per unit (the tariff, the hour tariff behind a minute tariff, each cost component) ...
MONEY_COLUMNS = ("tariff_eur", "hour_tariff_eur", "cost_per_staff_hour", "direct_staff_cost", "travel_time_cost",
                 "client_costs", "direct_cost", "overhead", "no_show", "cost_price", "profit_risk", "tariff_unrounded")
# ... and the other figures of the build-up: hours, group size, rates.
NUMBER_COLUMNS = ("staff_hours_per_unit", "group_size", "overhead_rate", "no_show_rate", "index_rate")


def tariff_book(region: Region, year: int | None = None, *, exact: bool = False) -> pd.DataFrame:
    """The tariff book as a DataFrame: the rows and columns of ``tariefmodel calculate``.

    By default the money columns (``MONEY_COLUMNS``) and the other figures of the build-up
    (``NUMBER_COLUMNS``) are ``float64``, so that ``describe()``, ``quantile()`` and ``.plot``
    work on them; a cell without a figure (pgb, extern and indexed rows have no build-up of
    their own) is NaN. Floats are for analysis and charts only: they are the nearest binary
    fraction of the exact amount (within a hundredth of a cent).

    ``exact=True`` gives the same columns as exact ``Decimal`` values (None where there is no
    figure): the tariff exactly as the book holds it, the components as ``calculate`` gives
    them (unrounded intermediates to four decimals). Use it wherever money is summed, compared
    or published.
    """
    import pandas as pd

    from tariefmodel.outputs.tariff_rows import COLUMNS, rows

    df = pd.DataFrame(rows(tariffs(region, year)), columns=COLUMNS)
    for col in (*MONEY_COLUMNS, *NUMBER_COLUMNS):
        # Empty cells: pgb and extern have no build-up, indexed rows no build-up of their own year.
        exact_values = [Decimal(v) if v != "" else None for v in df[col]]
        if exact:
            df[col] = pd.Series(exact_values, index=df.index, dtype=object)
        else:
            df[col] = pd.Series([float(v) if v is not None else float("nan") for v in exact_values], index=df.index,
                                dtype="float64")
    return df


class UnknownTariff(KeyError):
    """No tariff in the book answers the question; the message (Dutch) says what there is instead."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0])


def _suggest(given: str, known: list[str]) -> str:
    hint = did_you_mean(given, known, cutoff=0.5)
    return f"; {hint}" if hint else ""


def _describe(t: TariffRow) -> str:
    return (f"variant={t.variant!r}" + (", micro=True" if t.micro else "")
            + (f", provider={t.provider!r}" if t.provider else "") + (f", version={t.version!r}" if t.version else "")
            + (f", addendum={t.addendum!r}" if t.addendum else ""))


def tariff(region: Region, product_code: str, variant: str, year: int | None = None, *, micro: bool = False,
           provider: str = "", version: str | None = None, addendum: str | None = None) -> TariffRow:
    """One row of the year's tariff book, exactly as ``tariefmodel calculate`` gives it.

    Built up from costs, derived (pgb), set elsewhere (extern) or, in a later contract year, indexed:
    whatever the book holds. ``version`` and ``addendum`` pick among a re-issued product's versions
    and a provider's successive addenda (None: any, if only one row answers). The product code and
    variant are case-insensitive. Raises ``UnknownTariff`` (a ``KeyError``) naming what there is.
    """
    y = year or region.info.default_year
    codes = [bp.product.code for bp in (*region.products, *region.external)]
    code = next((c for c in codes if c.casefold() == product_code.casefold()), None)
    if code is None:
        raise UnknownTariff(f"onbekende productcode {product_code!r}" + _suggest(product_code.upper(), codes))
    rows = [t for t in _book(region, y).tariffs if t.product.product.code == code]
    if not rows:
        raise UnknownTariff(f"product {code} heeft geen tarief in {y}: het is dat jaar niet geldig")
    variants = list(dict.fromkeys(t.variant for t in rows))
    chosen = [t for t in rows if t.variant.casefold() == variant.casefold()]
    if not chosen:
        raise UnknownTariff(f"product {code} heeft geen variant {variant!r} in {y}"
                            + _suggest(variant.casefold(), variants) + f" (varianten: {', '.join(variants)})")
    picked = [t for t in chosen if t.micro == micro and t.provider == provider
              and (version is None or t.version == version) and (addendum is None or t.addendum == addendum)]
    if len(picked) == 1:
        return picked[0]
    options = "; ".join(_describe(t) for t in chosen)
    if not picked:
        raise UnknownTariff(f"product {code}, variant {chosen[0].variant} heeft in {y} geen tarief"
                            + (" voor een micro-onderneming" if micro else "")
                            + (f" voor aanbieder {provider!r}" if provider else "")
                            + (f" in versie {version!r}" if version is not None else "")
                            + (f" van addendum {addendum!r}" if addendum is not None else "")
                            + f"; wel: {options}")
    raise UnknownTariff(f"product {code}, variant {chosen[0].variant} heeft in {y} {len(picked)} tarieven; "
                        f"kies met version= of addendum=: " + "; ".join(_describe(t) for t in picked))


# The last few books priced, so that asking for many tariffs of a year prices its book once.
_BOOKS: OrderedDict[tuple[int, int], tuple[Region, Book]] = OrderedDict()
_KEEP = 4


def _book(region: Region, year: int) -> Book:
    key = (id(region), year)
    hit = _BOOKS.get(key)
    if hit is not None and hit[0] is region:  # the same region object, not a new one at a reused address
        _BOOKS.move_to_end(key)
        return hit[1]
    book = price_book(region, year)
    _BOOKS[key] = (region, book)
    while len(_BOOKS) > _KEEP:
        _BOOKS.popitem(last=False)
    return book


def explain_text(t: TariffRow, region: Region | None = None) -> str:
    """The build-up of any row: its cost build-up, its derivation (pgb, extern) or its base and index steps."""
    from tariefmodel.trail.explain import to_text

    names = {k: c.meta.name for k, c in region.caos.items()} if region else {}
    return to_text(t, names)
