"""Formula text and its exact value, built in lockstep.

An ``X`` is a spreadsheet expression (without the leading ``=``) together with
the exact ``Decimal`` value of that expression, computed with the same
operations in the same order. Building the review workbook's formulas from
``X`` objects means that the cached value written beside every formula is the
value of *that* formula, and that this value can be compared with the engine's
own figure before anything is written.

Operands are parenthesised whenever evaluation order could otherwise differ
from the order in which the value was computed (``a*(b/c)`` is not rewritten
as ``a*b/c``), so Excel and LibreOffice evaluate in the engine's order too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tariefmodel.data.money import ZERO, excel_round

ATOM, MUL, ADD, CMP = 3, 2, 1, 0

Value = Decimal | int | str | bool | None


class NotAvailable(ValueError):
    """The value of NA(): a branch that the parameters make impossible."""


@dataclass(frozen=True, slots=True)
class X:
    f: str  # formula text, no leading '='
    v: Value  # exact value
    prec: int = ATOM

    def _bin(self, other: X, op: str, prec: int, value: Value) -> X:
        left = self.f if self.prec >= prec else f"({self.f})"
        right = other.f if other.prec > prec else f"({other.f})"
        return X(f"{left}{op}{right}", value, prec)

    def __add__(self, other: X) -> X:
        return self._bin(other, "+", ADD, _num(self) + _num(other))

    def __sub__(self, other: X) -> X:
        return self._bin(other, "-", ADD, _num(self) - _num(other))

    def __mul__(self, other: X) -> X:
        return self._bin(other, "*", MUL, _num(self) * _num(other))

    def __truediv__(self, other: X) -> X:
        return self._bin(other, "/", MUL, _num(self) / _num(other))

    def eq(self, text: str) -> X:
        """Comparison with a text constant (a convention or method name)."""
        return X(f'{self.f}="{text}"', self.v == text, CMP)

    def is_blank(self) -> X:
        return X(f'{self.f}=""', self.v is None or self.v == "", CMP)


def _num(x: X) -> Decimal:
    if isinstance(x.v, bool) or not isinstance(x.v, Decimal | int):
        raise TypeError(f"{x.f} is not a number: {x.v!r}")
    return Decimal(x.v)


def lit(n: int) -> X:
    """A structural constant (12 months, 60 minutes, 1 in 1 + x, 0, 100 cents)."""
    return X(str(n), Decimal(n))


def name(defined_name: str, value: Value) -> X:
    return X(defined_name, value)


def ROUND(x: X, decimals: X) -> X:
    d = decimals.v
    if d is None:  # an untaken IF branch (a blank optional parameter): no value
        return X(f"ROUND({x.f},{decimals.f})", None)
    if isinstance(d, bool) or not isinstance(d, int | Decimal):
        raise TypeError(f"ROUND decimals {decimals.f} is not a number")
    return X(f"ROUND({x.f},{decimals.f})", excel_round(_num(x), int(d)))


def MAX(a: X, b: X) -> X:
    return X(f"MAX({a.f},{b.f})", max(_num(a), _num(b)))


def MIN(a: X, b: X) -> X:
    return X(f"MIN({a.f},{b.f})", min(_num(a), _num(b)))


def IF(cond: X, then: X, other: X) -> X:
    return X(f"IF({cond.f},{then.f},{other.f})", then.v if cond.v else other.v)


def NA() -> X:
    return X("NA()", None)


def SUM(terms: Sequence[X], range_text: str | None = None) -> X:
    """A sum of terms, valued left to right from zero; shown as SUM(range) when one is given."""
    value = ZERO
    for t in terms:
        value = value + _num(t)
    if range_text is not None:
        return X(f"SUM({range_text})", value)
    if len(terms) == 1:
        return X(terms[0].f, value, terms[0].prec)
    out = terms[0]
    for t in terms[1:]:
        out = out + t
    return X(out.f, value, out.prec)


def SUMPRODUCT(a: Sequence[X], b: Sequence[X], a_range: str, b_range: str) -> X:
    """Σ a_i x b_i, valued left to right from zero like the engine's weighted sums."""
    value = ZERO
    for x, y in zip(a, b, strict=True):
        value = value + _num(x) * _num(y)
    return X(f"SUMPRODUCT({a_range},{b_range})", value)


# --------------------------------------------------------------------------- cell addresses


def col_letter(col: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    s = ""
    n = col + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def a1(row: int, col: int, absolute: bool = False) -> str:
    if absolute:
        return f"${col_letter(col)}${row + 1}"
    return f"{col_letter(col)}{row + 1}"


@dataclass(frozen=True, slots=True)
class Cell:
    """A written cell: where it is and the exact value it holds."""

    sheet: str
    row: int
    col: int
    value: Value

    @property
    def local(self) -> X:
        """A relative reference from the same sheet (M5)."""
        return X(a1(self.row, self.col), self.value)

    @property
    def ref(self) -> X:
        """An absolute reference from another sheet (CAO!$G$12)."""
        return X(f"{quote_sheet(self.sheet)}!{a1(self.row, self.col, True)}", self.value)

    def on(self, sheet: str) -> X:
        return self.local if sheet == self.sheet else self.ref


def quote_sheet(sheet: str) -> str:
    return sheet if sheet.isalnum() else "'" + sheet.replace("'", "''") + "'"


def range_ref(cells: Sequence[Cell], from_sheet: str) -> str:
    """A contiguous column range of cells (first:last), qualified when on another sheet."""
    first, last = cells[0], cells[-1]
    if any(c.col != first.col or c.sheet != first.sheet for c in cells) or \
            [c.row for c in cells] != list(range(first.row, last.row + 1)):
        raise ValueError("cells do not form one contiguous column")
    if first.sheet == from_sheet:
        return f"{a1(first.row, first.col)}:{a1(last.row, last.col)}"
    return f"{quote_sheet(first.sheet)}!{a1(first.row, first.col, True)}:{a1(last.row, last.col, True)}"
