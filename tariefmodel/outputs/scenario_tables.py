"""Scenario and budget outputs as tables for ``writers.write_output``: CSV, JSON or a workbook of several sheets.

The engine's conventions hold (``tariefmodel.outputs.writers``): atomic writes with the run
manifest, no clock in the file, text that looks like a formula neutralised, money as exact
decimal strings in CSV and JSON and as numbers with a euro format in a workbook.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tariefmodel.data.money import excel_round
from tariefmodel.outputs.writers import TABLE_FORMATS, Table, Tables

FORMATS = TABLE_FORMATS

Sheet = tuple[str, list[str], list[dict[str, Any]]]


def eur(x: Decimal | float) -> str:
    """An amount for a table cell: two decimals, half away from zero."""
    return f"{excel_round(x if isinstance(x, Decimal) else Decimal(repr(x)), 2):.2f}"


def tables(sheets: list[Sheet], *, money: set[str] | None = None, numeric: set[str] | None = None,
           meta: dict[str, Any] | None = None) -> Tables:
    """CSV: the first sheet; JSON: ``meta`` and every sheet as a block; XLSX: one worksheet per sheet."""
    money = money or set()
    numeric = numeric or set()
    return Tables([Table(name, columns, rows, money=frozenset(c for c in columns if c in money or _is_money(c)),
                         numeric=frozenset(c for c in columns if c in numeric), number_format="0.00")
                   for name, columns, rows in sheets], meta=meta or {})


def _is_money(col: str) -> bool:
    return col.startswith(("tarief ", "kosten ")) or col.endswith((" EUR", "_eur"))
