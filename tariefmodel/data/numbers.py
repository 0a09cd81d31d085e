"""Dutch display of numbers, money, percentages and dates: the one place every user-facing text formats them.

``eur(Decimal("1234.565"))`` -> ``€ 1.234,57``; ``pct(Decimal("0.0496"), 2)`` -> ``4,96%``;
``num(Decimal("3304.5775"))`` -> ``3.304,5775``; ``date(dt.date(2025, 1, 1))`` -> ``01-01-2025``.

Exact from ``Decimal``: nothing goes through float. Babel (CLDR data for nl_NL) supplies the
grouping and decimal symbols; it rounds half to even, so a value is rounded half away from zero
with :func:`excel_round` first (as the model rounds money) and Babel only formats digits it is
given in full. The sign is written by us for the same reason: Babel keeps the sign of a negative
zero (``-0,00``) and puts it after the euro sign. Machine formats (CSV, JSON cells) keep their
exact dot decimals and never come here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from tariefmodel.data.money import excel_round

_HUNDRED = Decimal(100)


@lru_cache(maxsize=1)
def _locale() -> object:
    from babel import Locale  # imported on first use: --help and commands that print no number never load CLDR

    return Locale.parse("nl_NL")


@lru_cache(maxsize=16)
def _pattern(places: int) -> object:
    """The parsed Babel number pattern for ``places`` decimals (parsing it each call cost more than formatting)."""
    from babel.numbers import parse_pattern

    return parse_pattern("#,##0" + ("." + "0" * places if places else ""))


def _digits(value: Decimal, decimals: int | None, at_least: int = 0) -> str:
    """``abs(value)`` with Dutch grouping: exactly ``decimals`` places (rounded half away from zero), or all of
    its digits (at least ``at_least``) when ``decimals`` is None."""
    if decimals is not None:
        value = excel_round(value, decimals)
        places = decimals
    else:
        exponent = value.as_tuple().exponent
        shown = max(0, -exponent) if isinstance(exponent, int) else 0
        places = max(at_least, shown)
    return _pattern(places).apply(abs(value), _locale())  # type: ignore[attr-defined]


def _sign(value: Decimal, decimals: int | None) -> str:
    shown = excel_round(value, decimals) if decimals is not None else value
    return "-" if shown < 0 else ""


def eur(amount: Decimal) -> str:
    """A euro amount rounded half away from zero to cents: ``€ 1.234,56``, ``-€ 0,01``."""
    return f"{_sign(amount, 2)}€ {_digits(amount, 2)}"


def pct(fraction: Decimal, decimals: int | None = None) -> str:
    """A fraction as a percentage: ``pct(Decimal("0.0496"), 2)`` -> ``4,96%``.

    ``decimals`` None: every digit the value has, at least two, as VNG prints index figures (6,30%; 2,5163%).
    """
    value = fraction * _HUNDRED
    if decimals is None:
        value = value.normalize()
    return f"{_sign(value, decimals)}{_digits(value, decimals, at_least=2)}%"


def num(value: Decimal | int | float, decimals: int | None = None, *, significant: int | None = None) -> str:
    """A number with Dutch grouping and decimal comma: ``3.304,5775``; ``decimals`` None keeps every digit.

    ``significant``: that many significant digits (rounded half away from zero) for a searched or drawn value;
    below 0,000001 in scientific notation (``5,3892491E-25``) rather than a row of zeros. A float (a search
    result) is taken at its shortest repr, never its binary expansion.
    """
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if significant is not None and d == 0:
        d = Decimal(0)  # 0.0 from a search bound: shown as 0
    elif significant is not None:
        d = excel_round(d, significant - 1 - d.adjusted()).normalize()
        if d.adjusted() < -6:
            from babel.numbers import format_scientific

            return format_scientific(d, format="0." + "#" * (significant - 1) + "E0", locale=_locale())  # type: ignore[arg-type]
        if d.as_tuple().exponent > 0:  # type: ignore[operator]
            d = d.quantize(Decimal(1))  # 1.2E+3 -> 1200
    return f"{_sign(d, decimals)}{_digits(d, decimals)}"


def date(day: dt.date) -> str:
    """A date as Dutch documents write it: ``01-01-2025``."""
    return day.strftime("%d-%m-%Y")


def parse(text: str) -> Decimal:
    """A number as a person types it: ``3,5`` or ``3.5`` (one decimal comma is read as the point).

    The one reading of typed numbers (command-line options, workbook cells). Raises ValueError, in Dutch,
    for anything that is not a finite number.
    """
    s = text.strip()
    if s.count(",") == 1 and "." not in s:
        s = s.replace(",", ".")
    try:
        d = Decimal(s)
    except InvalidOperation as exc:
        raise ValueError(f"{text!r} is geen getal") from exc
    if not d.is_finite():
        raise ValueError(f"{text!r} is geen getal")
    return d
