"""Reading a filled questionnaire (openpyxl) into a :class:`Response`, or saying what is wrong.

Every problem names the file, the sheet and the cell, in Dutch, and all problems of a
workbook are collected before it is refused. A workbook is read once, row by row
(``read_only``), so reading a thousand of them stays fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tariefmodel.data.money import to_decimal
from tariefmodel.data.numbers import eur
from tariefmodel.data.problems import Problem
from tariefmodel.survey import layout as L
from tariefmodel.survey.models import Costs, Hours, ProductRow, Response, StaffRow

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024  # a questionnaire is small; refuse runaway inputs


class _Sheet:
    """A sheet's values as a grid (0-based), read once."""

    def __init__(self, rows: list[tuple[Any, ...]]):
        self.rows = rows

    def get(self, row: int, col: int) -> Any:
        if row >= len(self.rows) or col >= len(self.rows[row]):
            return None
        v = self.rows[row][col]
        return None if isinstance(v, str) and not v.strip() else v


def read_workbook(path: Path, cat: L.Catalogue, label: str | None = None) -> tuple[Response | None, list[Problem]]:
    """Read one questionnaire; return the response (None when it has errors) and every problem found."""
    name = label or path.name
    problems: list[Problem] = []
    sheets = _open(path, name, problems)
    if sheets is None:
        return None, problems
    r = _Reader(name, cat, sheets, problems)
    response = r.response()
    return (None if problems else response), problems


PARALLEL_FROM = 40  # below this many workbooks, starting worker processes costs more than it saves


def read_many(paths: list[Path], cat: L.Catalogue) -> Iterator[tuple[Path, Response | None, list[Problem]]]:
    """Read many questionnaires, in their order; on several cores when there are many (openpyxl is the cost)."""
    import os

    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_FROM or workers < 2:
        for path in paths:
            yield (path, *read_workbook(path, cat, label=str(path)))
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = pool.map(_read_labelled, paths, [cat] * len(paths), chunksize=16)
        for path, (response, problems) in zip(paths, results, strict=True):
            yield path, response, problems


def _read_labelled(path: Path, cat: L.Catalogue) -> tuple[Response | None, list[Problem]]:
    return read_workbook(path, cat, label=str(path))


def _open(path: Path, name: str, problems: list[Problem]) -> dict[str, _Sheet] | None:
    import zipfile

    from openpyxl import load_workbook

    if path.suffix.lower() != ".xlsx":
        problems.append(Problem(name, "", "geen Excel-werkboek (.xlsx); lever de vragenlijst in als .xlsx"))
        return None
    if path.stat().st_size > MAX_WORKBOOK_BYTES:
        problems.append(Problem(name, "", f"bestand is groter dan {MAX_WORKBOOK_BYTES // (1024 * 1024)} MB"))
        return None
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        problems.append(Problem(name, "", f"geen leesbaar Excel-werkboek (.xlsx): {type(exc).__name__}"))
        return None
    except Exception as exc:  # openpyxl raises its own exception types for damaged files
        problems.append(Problem(name, "", f"geen leesbaar Excel-werkboek (.xlsx): {type(exc).__name__}"))
        return None
    try:
        names = wb.sheetnames
        marker = None
        if L.SHEET_LISTS in names:
            first = next(wb[L.SHEET_LISTS].iter_rows(min_row=1, max_row=1, values_only=True), ())
            marker = first[0] if first else None
        if marker != L.MARKER:
            problems.append(Problem(name, "", "dit is geen vragenlijst van het kostprijsonderzoek (het blad 'Lijsten' "
                                              "met de kenmerking ontbreekt); gebruik de vragenlijst van de regio"))
            return None
        missing = [s for s in L.INPUT_SHEETS if s not in names]
        for s in missing:
            problems.append(Problem(name, f"blad '{s}'", "blad ontbreekt; gebruik de vragenlijst van de regio zonder "
                                                         "bladen te verwijderen of te hernoemen"))
        if missing:
            return None
        return {s: _Sheet(list(wb[s].iter_rows(values_only=True))) for s in L.INPUT_SHEETS}
    finally:
        wb.close()


class _Reader:
    def __init__(self, name: str, cat: L.Catalogue, sheets: dict[str, _Sheet], problems: list[Problem]):
        self.name, self.cat, self.sheets, self.problems = name, cat, sheets, problems

    def err(self, sheet: str, row: int, col: int, message: str) -> None:
        self.problems.append(Problem(self.name, f"blad '{sheet}', cel {L.cell_name(row, col)}", message))

    def value(self, sheet: str, row: int, col: int, f: L.Field, required: bool | None = None) -> Any:
        """The cell's value converted to the field's type, or None (with a problem when it is wrong)."""
        raw = self.sheets[sheet].get(row, col)
        if raw is None:
            if f.required if required is None else required:
                self.err(sheet, row, col, f"{f.label} is leeg; vul dit in ({f.unit})")
            return None
        out: Any
        if isinstance(raw, bool):
            self.err(sheet, row, col, f"{f.label}: {raw!r} is geen {_kind_word(f.kind)}")
            return None
        if f.kind == "text":
            out = str(raw).strip()
            if f.minimum is not None and f.maximum is not None and not (f.minimum <= len(out) <= f.maximum):
                self.err(sheet, row, col, f"{f.label} heeft {len(out)} tekens; toegestaan {f.minimum} tot en met "
                                          f"{f.maximum}")
                return None
            return out
        if f.kind == "kvk":
            text = str(raw).strip().replace(" ", "") if not isinstance(raw, int | float) else _int_text(raw)
            if text is not None and text.isdigit() and len(text) < 8 and not isinstance(raw, str):
                text = text.zfill(8)  # a KvK number typed as a number loses its leading zeros
            if text is None or not (text.isdigit() and len(text) == 8):
                self.err(sheet, row, col, f"{f.label} moet uit precies 8 cijfers bestaan")
                return None
            return text
        if f.kind == "list":
            key = self.cat.cao_key(str(raw).strip())
            if key is None:
                self.err(sheet, row, col, f"{f.label}: {str(raw)[:60]!r} staat niet in de keuzelijst")
            return key
        if isinstance(raw, dt.datetime | dt.date | dt.time) or not isinstance(raw, int | float | Decimal):
            self.err(sheet, row, col, f"{f.label}: {str(raw)[:60]!r} is geen {_kind_word(f.kind)} ({f.unit})")
            return None
        try:
            num = to_decimal(raw)
        except (InvalidOperation, TypeError, ValueError):
            self.err(sheet, row, col, f"{f.label}: {raw!r} is geen getal")
            return None
        if not num.is_finite():
            self.err(sheet, row, col, f"{f.label}: {raw!r} is geen getal")
            return None
        if f.kind == "whole":
            if num != num.to_integral_value():
                self.err(sheet, row, col, f"{f.label}: {_show(num)} is geen geheel getal")
                return None
            num = num.to_integral_value()
        if (f.minimum is not None and num < f.minimum) or (f.maximum is not None and num > f.maximum):
            self.err(sheet, row, col, f"{f.label}: {_show(num, f.unit)} ligt buiten het toegestane bereik "
                                      f"{_show(f.minimum, f.unit)} tot en met {_show(f.maximum, f.unit)} ({f.unit})")
            return None
        return int(num) if f.kind == "whole" else num

    def response(self) -> Response | None:
        got: dict[str, Any] = {}
        for p in L.PROVIDER_FIELDS:
            got[p.field.key] = self.value(L.SHEET_PROVIDER, p.row, p.col, p.field)
        hours = {p.field.key: self.value(L.SHEET_HOURS, p.row, p.col, p.field) for p in L.HOURS_FIELDS}
        costs = {p.field.key: self.value(L.SHEET_COSTS, p.row, p.col, p.field) for p in L.COSTS_FIELDS}
        staff = self.staff()
        products = self.products()
        if self.problems:
            return None
        micro = False
        if self.cat.differentiation is not None:
            from tariefmodel.engine.variants import micro_status

            who = SimpleNamespace(employees=got["employees"], annual_turnover_eur=got["turnover"],
                                  balance_total_eur=got["balance"])
            micro = micro_status(who, self.cat.differentiation, dt.date(got["year"], 1, 1)).micro
        return Response(name=got["name"], kvk=got["kvk"], cao=got["cao"], employees=got["employees"],
                        turnover=got["turnover"], balance=got["balance"], micro=micro, year=got["year"],
                        staff=tuple(staff), hours=Hours(**hours), costs=Costs(**costs), products=tuple(products))

    def staff(self) -> list[StaffRow]:
        sheet = self.sheets[L.SHEET_STAFF]
        out = []
        for row in range(L.STAFF_FIRST_ROW, L.STAFF_FIRST_ROW + L.STAFF_ROWS):
            if all(sheet.get(row, c) is None for c in range(len(L.STAFF_COLUMNS))):
                continue
            vals = {f.key: self.value(L.SHEET_STAFF, row, c, f, required=True) for c, f in enumerate(L.STAFF_COLUMNS)}
            if any(v is None for v in vals.values()):
                continue
            if not vals["step_low"] <= vals["step_avg"] <= vals["step_high"]:
                self.err(L.SHEET_STAFF, row, 3, "de gemiddelde trede ligt niet tussen de laagste en de hoogste trede")
                continue
            out.append(StaffRow(**vals))
        if not out and not any(p.where.startswith(f"blad '{L.SHEET_STAFF}'") for p in self.problems):
            self.err(L.SHEET_STAFF, L.STAFF_FIRST_ROW, 0, "geen enkele functie ingevuld; vul ten minste een rij in")
        return out

    def products(self) -> list[ProductRow]:
        sheet = self.sheets[L.SHEET_PRODUCTS]
        out = []
        row = L.PRODUCT_FIRST_ROW
        seen: set[str] = set()
        while row < len(sheet.rows) and sheet.get(row, 0) is not None:
            code = str(sheet.get(row, 0)).strip()
            cols = range(L.PRODUCT_INPUT_COL, L.PRODUCT_INPUT_COL + len(L.PRODUCT_COLUMNS))
            if all(sheet.get(row, c) is None for c in cols):
                row += 1
                continue
            line = self.cat.product(code)
            if line is None or code in seen:
                self.err(L.SHEET_PRODUCTS, row, 0, f"productcode {code[:10]!r} is geen product van de regio"
                         + (" of staat er twee keer in" if line is not None else ""))
                row += 1
                continue
            seen.add(code)
            vals = {f.key: self.value(L.SHEET_PRODUCTS, row, c, f, required=True)
                    for c, f in zip(cols, L.PRODUCT_COLUMNS, strict=True)}
            if vals["volume"] is not None and vals["volume"] == 0:
                self.err(L.SHEET_PRODUCTS, row, L.PRODUCT_INPUT_COL, "volume is 0: laat de rij leeg als u dit product "
                                                                     "niet levert")
                vals["volume"] = None
            if all(v is not None for v in vals.values()):
                out.append(ProductRow(code=code, unit=line.unit, **vals))
            row += 1
        if not out and not any(p.where.startswith(f"blad '{L.SHEET_PRODUCTS}'") for p in self.problems):
            self.err(L.SHEET_PRODUCTS, L.PRODUCT_FIRST_ROW, L.PRODUCT_INPUT_COL,
                     "geen enkel product ingevuld; vul ten minste een product in")
        return out


def _int_text(raw: float | int) -> str | None:
    if isinstance(raw, float) and not raw.is_integer():
        return None
    return str(int(raw))


def _kind_word(kind: str) -> str:
    return {"whole": "geheel getal", "decimal": "getal", "text": "tekst", "list": "keuze", "kvk": "KvK-nummer"}[kind]


def _show(x: Decimal | None, unit: str = "") -> str:
    if x is None:
        return ""
    if unit.startswith("euro"):
        return eur(x)
    text = f"{x:,f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return text
