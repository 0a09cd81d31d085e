"""Deterministic xlsxwriter workbooks: formats, safe text, column widths and defined names.

Same calls give the same bytes: document properties carry a fixed date
(writers.FIXED_TIME) and xlsxwriter stores its parts with fixed timestamps.
Text from inputs goes through ``writers.safe_text`` and ``write_string``, so it is
never taken as a formula; formulas are written only by ``formula()``, from
``formula.X`` objects built by this package, each with its cached value.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

from tariefmodel.outputs.workbooks.formula import Cell, Value, X, a1
from tariefmodel.outputs.writers import FIXED_TIME, safe_text

# Number formats. Intermediates show four decimals (as `tariefmodel explain` does); tariffs two.
EUR = "€ #,##0.00"
EUR4 = "€ #,##0.0000"
PCT = "0.00%"
HOURS = "#,##0.00"
NUM4 = "#,##0.0000"
GENERAL = "General"
INT = "0"
DATE = "yyyy-mm-dd"

HEADER = {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
TITLE = {"bold": True, "bg_color": "#FFF2CC", "top": 1}
INPUT_FILL = "#FFFFE0"  # cells a reviewer may change to see the effect: parameters and product inputs

_CELLREF = re.compile(r"^[A-Za-z]{1,3}[0-9]+$|^[RrCc][0-9]*$|^[Rr][0-9]*[Cc][0-9]*$")


def defined_name(text: str) -> str:
    """A valid, readable workbook name: letters, digits and underscores; never a cell address."""
    out = re.sub(r"[^A-Za-z0-9_]", "_", text)
    if not out or out[0].isdigit() or _CELLREF.match(out) or out.upper() in ("TRUE", "FALSE"):
        out = "p_" + out
    return out[:255]


class Book:
    """An xlsxwriter workbook with cached formats, tracked column widths and unique names."""

    def __init__(self, path: Path, *, title: str = "", subject: str = ""):
        import xlsxwriter  # heavy: only when a workbook is written

        self.path = path
        self.wb = xlsxwriter.Workbook(str(path), {
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        })
        self.wb.set_properties({"created": FIXED_TIME, "author": "tariefmodel", "title": title, "subject": subject})
        self._formats: dict[tuple, Any] = {}
        self.sheets: list[Sheet] = []
        self.names: dict[str, str] = {}  # lower-case name -> name

    def fmt(self, **props: Any) -> Any:
        props.setdefault("valign", "top")  # rows grow with wrapped text; keep every cell at the top
        key = tuple(sorted(props.items()))
        f = self._formats.get(key)
        if f is None:
            f = self._formats[key] = self.wb.add_format(props)
        return f

    def add_sheets(self, names: list[str]) -> None:
        """Create sheets in display order up front; they can then be filled in any order."""
        for name in names:
            self.sheet(name)

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        s = Sheet(self, self.wb.add_worksheet(name, worksheet_class=_plain_formula_worksheet()), name)
        self.sheets.append(s)
        return s

    def unique_name(self, wanted: str) -> str:
        base = defined_name(wanted)
        name, i = base, 2
        while name.lower() in self.names:
            name, i = f"{base}_{i}", i + 1
        self.names[name.lower()] = name
        return name

    def define(self, name: str, cell: Cell) -> None:
        self.wb.define_name(name, f"={cell.ref.f}")

    def close(self) -> None:
        for s in self.sheets:
            s.apply_widths()
        self.wb.close()


def _plain_formula_worksheet() -> type:
    """A worksheet that writes formulas as given.

    xlsxwriter rewrites every formula with some thirty regular expressions to prefix newer Excel
    functions (_xlfn.); the formulas of this package use only IF, ROUND, MAX, SUM, SUMPRODUCT and
    NA, which need none, and skipping it halves the time to write the review workbook.
    """
    global _PLAIN
    if _PLAIN is None:
        from xlsxwriter.worksheet import Worksheet

        class PlainFormulaWorksheet(Worksheet):  # type: ignore[misc]
            def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
                return formula[1:] if formula.startswith("=") else formula

        _PLAIN = PlainFormulaWorksheet
    return _PLAIN


_PLAIN: type | None = None


class Sheet:
    def __init__(self, book: Book, ws: Any, name: str):
        self.book = book
        self.ws = ws
        self.name = name
        self._widths: dict[int, float] = {}
        self._wrapped: list[tuple[int, int, str, float]] = []  # (row, col, text, chars per width unit)
        self.min_width: dict[int, float] = {}
        self.max_width: dict[int, float] = {}

    def print_setup(self, *, landscape: bool = True, pages_wide: int = 1, header_rows: int = 1,
                    title_columns: int = 0) -> None:
        """A4, fitted to the page width, the header row repeated on every page."""
        ws = self.ws
        ws.set_paper(9)
        if landscape:
            ws.set_landscape()
        ws.fit_to_pages(pages_wide, 0)
        if header_rows:
            ws.repeat_rows(0, header_rows - 1)
        if title_columns:
            ws.repeat_columns(0, title_columns - 1)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        ws.set_footer("&L&A&R&P / &N")

    # ---- widths

    def _track(self, col: int, chars: float) -> None:
        if chars > self._widths.get(col, 0):
            self._widths[col] = chars

    def widths(self, spec: dict[int, tuple[float, float]]) -> None:
        """Per column (min, max) width in characters; content decides in between."""
        for col, (lo, hi) in spec.items():
            self.min_width[col] = lo
            self.max_width[col] = hi

    def apply_widths(self) -> None:
        widths = {}
        for col in sorted(set(self._widths) | set(self.min_width)):
            w = max(self._widths.get(col, 0) + 2, self.min_width.get(col, 8))
            w = min(w, self.max_width.get(col, 60))
            widths[col] = w
            self.ws.set_column(col, col, w)
        # Wrapped text needs taller rows; spreadsheets do not always fit them on load (LibreOffice does not).
        lines: dict[int, int] = {}
        for row, col, text, factor in self._wrapped:
            per_line = max(int(widths.get(col, 8.43) * factor) - 1, 1)
            n = sum(len(textwrap.wrap(part, per_line, break_on_hyphens=False)) or 1 for part in text.split("\n"))
            lines[row] = max(lines.get(row, 1), n)
        for row in sorted(lines):
            if lines[row] > 1:
                self.ws.set_row(row, 15 * lines[row])

    # ---- cells

    def header(self, row: int, labels: list[str], fmt: Any = None) -> None:
        f = fmt or self.book.fmt(**HEADER)
        for col, label in enumerate(labels):
            self.ws.write_string(row, col, label, f)
            self._track(col, min(len(label), 18))  # long headers wrap
            self._wrapped.append((row, col, label, 1.0))  # bold: about one character per width unit

    def text(self, row: int, col: int, value: object, fmt: Any = None, *, track: bool = True) -> Cell:
        """Input text, neutralised: never a formula, never a link."""
        s = "" if value is None else str(safe_text(str(value)))
        if s:
            self.ws.write_string(row, col, s, fmt)
        elif fmt is not None:
            self.ws.write_blank(row, col, None, fmt)
        if fmt is not None and getattr(fmt, "text_wrap", 0):
            self._wrapped.append((row, col, s, 1.15))  # proportional text is narrower than the digit unit
        if track:
            self._track(col, max((len(line) for line in s.splitlines()), default=0))
        return Cell(self.name, row, col, s)

    def number(self, row: int, col: int, value: Decimal | int | None, fmt: Any = None) -> Cell:
        if value is None:
            self.ws.write_blank(row, col, None, fmt)
            return Cell(self.name, row, col, None)
        self.ws.write_number(row, col, float(value), fmt)
        self._track(col, len(f"{float(value):,.2f}") + 2)
        return Cell(self.name, row, col, value)

    def date(self, row: int, col: int, value: dt.date | None, fmt: Any) -> None:
        if value is None:
            self.ws.write_blank(row, col, None, fmt)
        else:
            self.ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt)
            self._track(col, 10)

    def value(self, row: int, col: int, value: Value, fmt: Any = None) -> Cell:
        """A parameter or input value: a number as a number, anything else as text."""
        if isinstance(value, bool):
            return self.text(row, col, "ja" if value else "nee", fmt)
        if value is None or isinstance(value, Decimal | int):
            return self.number(row, col, value, fmt)
        return self.text(row, col, value, fmt)

    def formula(self, row: int, col: int, x: X, fmt: Any = None) -> Cell:
        """A live formula with its exact value cached (shown by viewers that do not recalculate)."""
        v = x.v
        cached: Any
        if isinstance(v, bool):
            cached = v
        elif isinstance(v, Decimal | int):
            cached = float(v)
        elif v is None:
            cached = "#N/A"
        else:
            cached = str(v)
        self.ws.write_formula(row, col, "=" + x.f, fmt, cached)
        self._track(col, 14)
        return Cell(self.name, row, col, v)

    def link(self, row: int, col: int, target: Cell, label: str, fmt: Any = None) -> None:
        """An internal hyperlink to a cell of this workbook."""
        self.ws.write_url(row, col, f"internal:{target.ref.f.replace('$', '')}", fmt, label)
        self._track(col, len(label))

    def address(self, row: int, col: int) -> str:
        return a1(row, col)


class Recorder:
    """Records the writes of one block of cells, to replay them on its sheet once the block checks out.

    Returns the same ``Cell`` objects the sheet would, so formulas can refer to them.
    """

    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.name = sheet.name
        self.ops: list[tuple[str, tuple[Any, ...]]] = []

    def text(self, row: int, col: int, value: object, fmt: Any = None) -> Cell:
        self.ops.append(("text", (row, col, value, fmt)))
        return Cell(self.name, row, col, "" if value is None else str(safe_text(str(value))))

    def number(self, row: int, col: int, value: Decimal | int | None, fmt: Any = None) -> Cell:
        self.ops.append(("number", (row, col, value, fmt)))
        return Cell(self.name, row, col, value)

    def formula(self, row: int, col: int, x: X, fmt: Any = None) -> Cell:
        self.ops.append(("formula", (row, col, x, fmt)))
        return Cell(self.name, row, col, x.v)

    def blank(self, row: int, col: int, fmt: Any) -> None:
        self.ops.append(("blank", (row, col, fmt)))

    def replay(self) -> None:
        for method, args in self.ops:
            if method == "blank":
                self.sheet.ws.write_blank(*args[:2], None, args[2])
            else:
                getattr(self.sheet, method)(*args)
