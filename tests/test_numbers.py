"""The one Dutch display of numbers: exact from Decimal, rounded half away from zero, Babel's nl_NL symbols."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from tariefmodel.data.numbers import date, eur, num, pct


@pytest.mark.parametrize(("value", "text"), [
    ("1234.565", "€ 1.234,57"),  # tie: away from zero (Babel alone would give half-even 1.234,56)
    ("1234.575", "€ 1.234,58"),  # tie on an odd cent: 1.234,58 either way
    ("0.025", "€ 0,03"),  # half-even would give 0,02
    ("-0.005", "-€ 0,01"),  # away from zero for negatives too; sign before the euro sign
    ("-0.004", "€ 0,00"),  # rounds to zero: no '-€ 0,00'
    ("0", "€ 0,00"),
    ("75.2", "€ 75,20"),
    ("1234567.8", "€ 1.234.567,80"),
    ("987654321012.349", "€ 987.654.321.012,35"),
    ("-1234.5", "-€ 1.234,50"),
])
def test_eur(value: str, text: str) -> None:
    assert eur(D(value)) == text


@pytest.mark.parametrize(("fraction", "decimals", "text"), [
    ("0.0496", 2, "4,96%"),
    ("0.04957", 2, "4,96%"),  # 4.957% -> 4,96%
    ("0.000125", 2, "0,01%"),  # 0.0125% -> 0,01%; 0.00125 ... tie below
    ("0.00005", 2, "0,01%"),  # 0.005% is a tie: away from zero (half-even: 0,00%)
    ("-0.00005", 2, "-0,01%"),
    ("0.02", 1, "2,0%"),
    ("0.063", None, "6,30%"),  # VNG style: at least two decimals ...
    ("0.025163", None, "2,5163%"),  # ... and every digit the figure has
    ("12.5", 0, "1.250%"),
    ("0", 2, "0,00%"),
])
def test_pct(fraction: str, decimals: int | None, text: str) -> None:
    assert pct(D(fraction), decimals) == text


@pytest.mark.parametrize(("value", "decimals", "text"), [
    ("3304.5775", None, "3.304,5775"),  # every digit, none through float
    ("3304.5775", 2, "3.304,58"),  # ,5775 -> ,58
    ("3304.565", 2, "3.304,57"),  # tie away from zero
    ("1.20", None, "1,20"),  # trailing zeros of the Decimal kept
    ("1234567", None, "1.234.567"),
    ("-1234.5", 0, "-1.235"),  # -1234.5 is a tie: away from zero
    ("0.1", None, "0,1"),
    ("5.3892491E-25", None, "0,00000000000000000000000053892491"),  # exact, never 5.389e-25
])
def test_num(value: str, decimals: int | None, text: str) -> None:
    assert num(D(value), decimals) == text


def test_num_int() -> None:
    assert num(1234) == "1.234"


def test_date() -> None:
    assert date(dt.date(2025, 1, 1)) == "01-01-2025"
    assert date(dt.date(2027, 12, 31)) == "31-12-2027"


def test_parse_reads_numbers_as_people_type_them() -> None:
    from decimal import Decimal

    import pytest

    from tariefmodel.data.numbers import parse

    assert parse("3,5") == Decimal("3.5")  # one decimal comma is the decimal sign
    assert parse(" 0.12 ") == Decimal("0.12")
    assert parse("-2") == Decimal(-2)
    for bad in ("1.234,5", "drie", "NaN", "inf", "1,2,3", ""):
        with pytest.raises(ValueError, match="geen getal"):
            parse(bad)
