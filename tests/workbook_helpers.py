"""Helpers for the workbook tests: data copies, parameter edits, and reading the Tarieven sheet."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from tariefmodel.engine.book import price_book
from tariefmodel.engine.pricing import Tariff
from tariefmodel.loader.load import load_region
from tariefmodel.outputs.workbooks import paramsource
from tariefmodel.outputs.workbooks.review import buildup_tariffs
from tariefmodel.upkeep import yamltext as yamledit

ERRORS = ("#VALUE!", "#REF!", "#NAME?", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")
CENT = Decimal("0.01")


def data_copy(src: Path, dest: Path) -> Path:
    """A writable copy of a data folder (parameters/, cao_tables/, benchmarks/)."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in ("parameters", "cao_tables", "benchmarks"):
        if (src / part).is_dir():
            shutil.copytree(src / part, dest / part)
    return dest


def set_param(root: Path, path: str, year: int, value: Any) -> None:
    """Set the value of parameter ``path`` valid on 1 January of ``year`` in cost_model.yaml, in place."""
    target = root / paramsource.COST_MODEL
    source = paramsource.parse(target.read_bytes())
    entry = source.valid_on(path, dt.date(year, 1, 1))
    assert entry is not None, f"no entry of {path} valid in {year}"
    edit = yamledit.set_field(source.text, entry.node, "value", value)
    target.write_text(yamledit.apply(source.text, [edit]), encoding="utf-8")


def engine_tariffs(root: Path, year: int) -> list[Tariff]:
    region = load_region(root, use_cache=False)
    return buildup_tariffs(region, price_book(region, year).tariffs)


def book_tariffs(root: Path, year: int) -> list[Any]:
    """Every row of the book of ``year``: the review workbook holds them all, in this order."""
    return price_book(load_region(root, use_cache=False), year).tariffs


def tarieven(path: Path) -> list[dict[str, Any]]:
    """The rows of sheet Tarieven as read with data_only=True (cached or recalculated values)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb["Tarieven"]
    header = [c.value for c in ws[1]]
    rows = []
    for r in ws.iter_rows(min_row=2, values_only=True):
        if r[0] is None:
            break
        rows.append(dict(zip(header, r, strict=False)))
    return rows


def error_cells(path: Path) -> list[str]:
    """Every cell holding a spreadsheet error value."""
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    bad = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "e" or (isinstance(c.value, str) and c.value.startswith(ERRORS)):
                    bad.append(f"{ws.title}!{c.coordinate}={c.value}")
    return bad


def assert_same_tariffs(rows: list[dict[str, Any]], tariffs: list[Tariff]) -> None:
    """Each workbook row equals the engine's tariff to the cent, in the same order, and in eurocent exactly."""
    assert len(rows) == len(tariffs), (len(rows), len(tariffs))
    for row, t in zip(rows, tariffs, strict=True):
        what = f"{t.product.product.code}/{t.variant}/micro={t.micro}/{t.provider}"
        assert (row["Productcode"], row["Variant"]) == (t.product.product.code, t.variant), what
        value = row["Tarief (€)"]
        assert isinstance(value, int | float), (what, value)
        assert abs(Decimal(repr(value)) - t.tariff_eur) < CENT / 2, (what, value, t.tariff_eur)
        assert row["Tarief (eurocent)"] == t.eurocent, (what, row["Tarief (eurocent)"], t.eurocent)
