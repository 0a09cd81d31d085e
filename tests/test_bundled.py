"""The bundled example region: it loads, every product prices in every year, and the book is plausible."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tariefmodel.data.region import Region
from tariefmodel.engine.book import price_book
from tariefmodel.engine.pricing import Book, Tariff, product_active
from tariefmodel.loader.load import load_region

YEARS = (2024, 2025, 2026)


@pytest.fixture(scope="module")
def region() -> Region:
    from tariefmodel.data.bundled import bundled_region

    return load_region(bundled_region())  # raises InputError, listing every problem, if anything is wrong


@pytest.fixture(scope="module")
def books(region) -> dict[int, Book]:
    return {year: price_book(region, year) for year in YEARS}  # raises InputError on any gap


def test_bundled_region_loads_without_errors(region) -> None:
    assert region.products
    assert not [w for w in region.warnings if w.severity == "error"]
    assert region.info.default_year == 2025


@pytest.mark.parametrize("year", YEARS)
def test_every_product_prices_under_every_cao(region, books, year) -> None:
    day = dt.date(year, 1, 1)
    expected = {(bp.product.code, cao) for bp in region.products if product_active(bp, day) for cao in bp.product.caos}
    got = [(t.product.product.code, t.variant, t.version) for t in books[year].tariffs if t.kind == "cao" and not t.micro]
    assert len(got) == len(set(got))  # one row per product, CAO and version (a re-issue splits the year)
    assert {(code, variant) for code, variant, _ in got} == expected
    assert expected


def test_book_size_2025(region, books) -> None:
    day = dt.date(2025, 1, 1)
    products = {bp.product.code for bp in region.products if product_active(bp, day)}
    caos = {t.cao for t in books[2025].tariffs if t.kind == "cao"}
    assert len(products) >= 30
    assert len(caos) >= 4


@pytest.mark.parametrize("year", YEARS)
def test_tariffs_are_positive_whole_cents(books, year) -> None:
    for t in books[year].tariffs:
        code = f"{t.product.product.code}/{t.variant}/{year}"
        assert isinstance(t.tariff_eur, Decimal), code
        assert t.tariff_eur > 0, code
        assert t.tariff_eur == t.tariff_eur.quantize(Decimal("0.01")), code
        assert t.eurocent == t.tariff_eur * 100, code
        assert t.year == year


def _twins(region: Region) -> list[tuple[str, str]]:
    """(specialist code, regular code) pairs in the same contract whose names differ only in that word."""
    by_name = {(bp.contract, bp.product.name): bp.product.code for bp in region.products}
    pairs = []
    for bp in region.products:
        name = bp.product.name
        if "specialistisch" in name:
            twin = by_name.get((bp.contract, name.replace("specialistisch", "regulier")))
            if twin is not None:
                pairs.append((bp.product.code, twin))
    return pairs


@pytest.mark.parametrize("year", YEARS)
def test_specialist_dearer_than_regular_twin(region, books, year) -> None:
    pairs = _twins(region)
    assert pairs, "the bundled book has at least one specialistisch/regulier pair"
    tariffs = {(t.product.product.code, t.variant): t.tariff_eur for t in books[year].tariffs}
    compared = 0
    for spec, reg in pairs:
        for cao in {v for c, v in tariffs if c == spec}:
            if (reg, cao) in tariffs:
                assert tariffs[(spec, cao)] > tariffs[(reg, cao)], (spec, reg, cao, year)
                compared += 1
    assert compared >= len(pairs)


def test_later_years_not_cheaper_per_cao(books) -> None:
    # CAO tables only rise and no cost parameter falls in the bundled data: a tariff of 2026 is not below 2024
    t24 = {(t.product.product.code, t.variant): t.tariff_eur for t in books[2024].tariffs}
    t26 = {(t.product.product.code, t.variant): t.tariff_eur for t in books[2026].tariffs}
    for key in t24.keys() & t26.keys():
        assert t26[key] >= t24[key], key


def test_every_tariff_has_a_sourced_trail(books) -> None:
    for t in books[2025].tariffs:
        if not isinstance(t, Tariff):  # pgb and external tariffs: checked in test_differentiation.py
            continue
        assert t.parameters, t.product.product.code
        for use in t.parameters:
            assert use.entry.source and use.entry.rationale
        assert t.product.product.provenance.source
        for s in t.staff:
            assert s.cost.steps and all(st.lookup.table_file.startswith("cao_tables/") for st in s.cost.steps)
