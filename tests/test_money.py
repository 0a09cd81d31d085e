"""money.py: Excel-compatible rounding, eurocent, exact conversion from input numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tariefmodel.data.money import eurocent, excel_round, round_to_multiple, to_decimal

D = Decimal


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("0.005", 2, "0.01"),  # tie: away from zero (Python's round() gives 0.0)
        ("0.015", 2, "0.02"),  # tie after an odd digit
        ("0.025", 2, "0.03"),  # tie after an even digit: half-even would give 0.02
        ("2.675", 2, "2.68"),  # as Decimal 2.675 is exact: a tie, away from zero (float round(2.675, 2) = 2.67)
        ("-0.005", 2, "-0.01"),  # negative tie: away from zero, like Excel ROUND(-0.005; 2)
        ("-2.675", 2, "-2.68"),
        ("1.004999", 2, "1.00"),  # just below the tie
        ("1.005000", 2, "1.01"),  # exactly the tie
        ("0.0049999999", 2, "0.00"),
        ("75.2114", 2, "75.21"),
        ("12.5", 0, "13"),  # ROUND(12,5; 0) = 13
        ("13.5", 0, "14"),
        ("-12.5", 0, "-13"),
        ("1.23456", 4, "1.2346"),
    ],
)
def test_excel_round(value: str, decimals: int, expected: str) -> None:
    got = excel_round(D(value), decimals)
    assert got == D(expected)
    # and the exponent is exactly the requested number of places (so str() shows the cents)
    assert str(got) == expected


def test_excel_round_differs_from_python_round() -> None:
    # Python's round() is half-even: the reason it must never touch money.
    assert round(D("0.125"), 2) == D("0.12")
    assert excel_round(D("0.125"), 2) == D("0.13")


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [
        ("75.21", "0.60", "75.00"),  # 75.21 / 0.60 = 125.35 -> 125 x 0.60 = 75.00
        ("75.30", "0.60", "75.60"),  # 75.30 / 0.60 = 125.5 (a tie) -> 126 x 0.60 = 75.60
        ("75.29", "0.60", "75.00"),  # 125.48... -> 125
        ("64.96", "0.60", "64.80"),  # 108.266... -> 108 x 0.60 = 64.80
        ("-0.30", "0.60", "-0.60"),  # -0.5 is a tie: away from zero -> -1 x 0.60
        ("7", "5", "5"),  # 1.4 -> 1
        ("7.5", "5", "10"),  # 1.5 -> 2
    ],
)
def test_round_to_multiple(value: str, step: str, expected: str) -> None:
    assert round_to_multiple(D(value), D(step)) == D(expected)


def test_eurocent() -> None:
    assert eurocent(D("75.21")) == 7521
    assert eurocent(D("0.01")) == 1
    assert eurocent(D("1234.50")) == 123450
    assert eurocent(D("-0.05")) == -5
    assert eurocent(D("12")) == 1200
    assert isinstance(eurocent(D("75.21")), int)


@pytest.mark.parametrize("amount", ["75.215", "0.001", "1.0000001", "-0.005"])
def test_eurocent_refuses_unrounded_amounts(amount: str) -> None:
    with pytest.raises(ValueError, match="not rounded"):
        eurocent(D(amount))


def test_eurocent_accepts_trailing_zeros() -> None:
    # 75.2100 is a whole number of cents, written with more places
    assert eurocent(D("75.2100")) == 7521


def test_to_decimal_from_float_keeps_short_repr() -> None:
    assert to_decimal(0.1) == D("0.1")
    assert to_decimal(0.1) != D(0.1)  # the binary float is 0.1000000000000000055511...
    assert to_decimal(2.675) == D("2.675")
    assert excel_round(to_decimal(2.675), 2) == D("2.68")
    assert to_decimal(0.1) + to_decimal(0.2) == D("0.3")


def test_to_decimal_other_types() -> None:
    assert to_decimal(3) == D(3)
    assert to_decimal(" 12.50 ") == D("12.50")
    d = D("1.5")
    assert to_decimal(d) is d
    with pytest.raises(TypeError):
        to_decimal(True)
    with pytest.raises(TypeError):
        to_decimal(None)
