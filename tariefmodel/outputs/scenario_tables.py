"""Writing scenario and budget outputs: CSV, JSON or an Excel workbook with several sheets.

The engine's conventions hold (``tariefmodel.writers``): atomic writes, no clock in the file,
text that looks like a formula neutralised, money as exact decimal strings in CSV and JSON and
as numbers with a euro format in Excel.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from tariefmodel.data.fileio import atomic_write, atomic_write_bytes
from tariefmodel.data.money import excel_round
from tariefmodel.outputs.writers import FIXED_TIME, csv_bytes, json_bytes, safe_text

FORMATS = (".csv", ".json", ".xlsx")


def eur(x: Decimal | float) -> str:
    """An amount for a table cell: two decimals, half away from zero."""
    return f"{excel_round(x if isinstance(x, Decimal) else Decimal(repr(x)), 2):.2f}"


Sheet = tuple[str, list[str], list[dict[str, Any]]]


def write(out: Path, sheets: list[Sheet], *, money: set[str] | None = None, numeric: set[str] | None = None,
          meta: dict[str, Any] | None = None) -> None:
    """CSV: the first sheet; JSON: every sheet (and meta); XLSX: one worksheet per sheet."""
    suffix = out.suffix.lower()
    money = money or set()
    numeric = numeric or set()
    if suffix == ".csv":
        _, columns, rows = sheets[0]
        atomic_write_bytes(out, csv_bytes(columns, rows))
    elif suffix == ".json":
        doc: dict[str, Any] = {"meta": meta or {}}
        for name, columns, rows in sheets:
            doc[name] = {"columns": columns, "rows": rows}
        atomic_write_bytes(out, json_bytes(doc))
    else:
        _xlsx(out, sheets, money, numeric)


def _xlsx(path: Path, sheets: list[Sheet], money: set[str], numeric: set[str]) -> None:
    import xlsxwriter

    def write_book(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        wb.set_properties({"created": FIXED_TIME, "author": "tariefmodel"})
        head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        euro = wb.add_format({"num_format": "€ #,##0.00"})
        num = wb.add_format({"num_format": "0.00"})
        for name, columns, rows in sheets:
            ws = wb.add_worksheet(name[:31])
            for j, col in enumerate(columns):
                ws.write_string(0, j, col, head)
                width = max([len(col), *(len(str(r.get(col, ""))) for r in rows)]) if rows else len(col)
                ws.set_column(j, j, min(max(width + 2, 8), 48))
            for i, row in enumerate(rows, start=1):
                for j, col in enumerate(columns):
                    v = row.get(col, "")
                    if isinstance(v, bool):
                        ws.write_boolean(i, j, v)
                    elif (col in money or _is_money(col)) and v not in ("", None):
                        ws.write_number(i, j, float(v), euro)
                    elif col in numeric and v not in ("", None):
                        ws.write_number(i, j, float(v), num)
                    elif isinstance(v, int):
                        ws.write_number(i, j, v)
                    else:
                        ws.write_string(i, j, str(safe_text(v)))
            ws.freeze_panes(1, 0)
            if rows:
                ws.autofilter(0, 0, len(rows), len(columns) - 1)
        wb.close()

    atomic_write(path, write_book)


def _is_money(col: str) -> bool:
    return col.startswith(("tarief ", "kosten ")) or col.endswith((" EUR", "_eur"))
