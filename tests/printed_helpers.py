"""Reading the printed, read-only workbooks back (contract annex, provider sheets) for the tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl

FIRST_HEADER = "Cate-gorie"
CENT = Decimal("0.01")


def load(path: Path, *, formulas: bool = False) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path, data_only=not formulas)


def table(ws: Any) -> list[dict[str, Any]]:
    """The rows of the sheet's table as dicts by header; section rows (contract headings) carry ``_section``."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] == FIRST_HEADER)
    header = [h for h in rows[start] if h is not None]
    out: list[dict[str, Any]] = []
    section = ""
    for r in rows[start + 1:]:
        cells = list(r[:len(header)])
        if all(c is None for c in cells):
            break
        if cells[0] is not None and all(c is None for c in cells[1:]):
            section = cells[0]  # a heading row merged over the table
            continue
        row = dict(zip(header, cells, strict=True))
        row["_section"] = section
        out.append(row)
    return out


def texts(ws: Any) -> list[str]:
    """Every text cell of a sheet, in reading order."""
    return [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]


def title_value(ws: Any, label: str) -> str:
    """The text after '<label>: ' in the title block."""
    for t in texts(ws):
        if t.startswith(label + ": "):
            return t[len(label) + 2:]
    raise AssertionError(f"no title line {label!r} on {ws.title}")


def eur(value: Any) -> Decimal:
    """A money cell back as Decimal cents (written as a float)."""
    assert isinstance(value, int | float), value
    return Decimal(str(value)).quantize(CENT)


def day(value: Any) -> dt.date:
    assert isinstance(value, dt.datetime), value
    return value.date()


def formula_cells(path: Path) -> list[str]:
    wb = load(path, formulas=True)
    return [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"]
