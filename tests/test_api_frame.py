"""``tm.tariff_book``: float money for analysis and charts, the exact Decimals with ``exact=True``.

Both are checked against the engine's own rows (``price_book``), not against a round trip through strings.
"""

from __future__ import annotations

import statistics
from decimal import Decimal

import pandas as pd
import pytest

import tariefmodel as tm
from tariefmodel.api import MONEY_COLUMNS
from tariefmodel.engine.book import price_book
from tariefmodel.engine.pricing import Tariff

CENT = Decimal("0.005")  # "to the cent": closer than half a cent
YEARS = (2025, 2026)  # 2026: an indexed contract year, whose rows have no build-up of their own


@pytest.fixture(scope="module")
def region():
    return tm.load()


def engine_money(t) -> dict[str, Decimal | None]:
    """The engine's figures per unit for each money column, straight from the row (build-up per hour for minutes)."""
    out: dict[str, Decimal | None] = dict.fromkeys(MONEY_COLUMNS)
    out["tariff_eur"] = t.tariff_eur
    out["hour_tariff_eur"] = t.hour_tariff
    if isinstance(t, Tariff):
        per = t.per_unit_divisor
        out.update(cost_per_staff_hour=t.cost_per_staff_hour, direct_staff_cost=t.direct_staff_cost / per,
                   travel_time_cost=t.travel_time_cost / per, client_costs=t.client_costs_total / per,
                   direct_cost=t.direct_cost / per, overhead=t.overhead / per, no_show=t.no_show / per,
                   cost_price=t.cost_price / per, profit_risk=t.profit_risk / per, tariff_unrounded=t.unrounded / per)
    return out


def test_money_columns_are_the_twelve_of_calculate() -> None:
    from tariefmodel.outputs.tariff_rows import COLUMNS

    assert set(MONEY_COLUMNS) <= set(COLUMNS) and len(MONEY_COLUMNS) == 12


@pytest.mark.parametrize("year", YEARS)
def test_money_columns_are_float64(region, year) -> None:
    book = tm.tariff_book(region, year)
    assert {c: str(book[c].dtype) for c in MONEY_COLUMNS} == dict.fromkeys(MONEY_COLUMNS, "float64")


def test_describe_includes_every_money_column(region) -> None:
    book = tm.tariff_book(region, 2025)
    summary = book.describe()
    assert set(MONEY_COLUMNS) <= set(summary.columns)
    assert summary.loc["count", "tariff_eur"] == len(book) == 412  # every row has a tariff
    # Only the 303 rows built up from costs have components; pgb and extern rows are NaN, not 0.
    assert summary.loc["count", "overhead"] == 303
    assert book.overhead.isna().sum() == 412 - 303


def test_quantile_is_the_median_of_the_engine_tariffs(region) -> None:
    book = tm.tariff_book(region, 2025)
    tariffs = [t.tariff_eur for t in price_book(region, 2025).tariffs]
    # 412 rows: the median is the mean of the 206th and 207th smallest tariff (statistics.median does that).
    want = statistics.median(tariffs)
    assert want == Decimal("73.765")  # (€ 73,68 + € 73,85) / 2: the middle of the 2025 book
    assert abs(Decimal(book.tariff_eur.quantile(0.5)) - want) < Decimal("0.0001")


@pytest.mark.parametrize("year", YEARS)
def test_exact_and_float_agree_with_the_engine_to_the_cent(region, year) -> None:
    floats = tm.tariff_book(region, year)
    exact = tm.tariff_book(region, year, exact=True)
    engine = price_book(region, year).tariffs
    assert len(floats) == len(exact) == len(engine) > 390
    built = 0
    for i, t in enumerate(engine):
        assert (exact.product_code[i], exact.variant[i], exact.provider[i]) == (
            t.product.product.code, t.variant, t.provider)
        assert exact.tariff_eur[i] == t.tariff_eur and isinstance(exact.tariff_eur[i], Decimal)  # the tariff: exact
        for col, want in engine_money(t).items():
            got, approx = exact[col][i], floats[col][i]
            if want is None:
                assert got is None and pd.isna(approx), (col, t.key)
                continue
            assert isinstance(got, Decimal) and abs(got - want) < CENT, (col, t.key, got, want)
            assert abs(Decimal(approx) - want) < CENT, (col, t.key, approx, want)
        built += isinstance(t, Tariff)
    assert built == (303 if year == 2025 else 0)  # 2026 is indexed from 2025: no row is built up anew


def test_a_known_row_float_and_exact(region) -> None:
    # 45A48 jeugdzorg 2025: € 75,34 in the book.
    t = tm.tariff(region, "45A48", "jeugdzorg", 2025)
    floats = tm.tariff_book(region, 2025)
    exact = tm.tariff_book(region, 2025, exact=True)
    pick = (floats.product_code == "45A48") & (floats.variant == "jeugdzorg") & ~floats.micro & (floats.provider == "")
    assert pick.sum() == 1
    assert exact[pick].tariff_eur.item() == t.tariff_eur == Decimal("75.34")
    assert floats[pick].tariff_eur.item() == float(t.tariff_eur)
    # The build-up adds up: cost price + profit and risk = the unrounded tariff (to the display's 4 decimals).
    row = exact[pick].iloc[0]
    assert abs(row.cost_price + row.profit_risk - row.tariff_unrounded) <= Decimal("0.0001")
