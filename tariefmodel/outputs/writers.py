"""Writing outputs: atomically, byte-identically, and never as formulas.

Every output is first written to a temporary file beside its target and then
moved into place with ``os.replace``, so a failed run leaves the old file (or
no file) untouched. Nothing depends on the clock: identical inputs give
identical bytes. Text from inputs that starts like a formula (``=``, ``+``,
``-``, ``@``) is neutralised with a leading apostrophe, the usual guard against
spreadsheet formula injection.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tariefmodel.data.fileio import atomic_write, atomic_write_bytes, sha256_of  # noqa: F401 - used below

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)  # document timestamps in workbooks


def safe_text(value: object) -> object:
    """Neutralise text that a spreadsheet would take as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # A negative number written as text is not a formula risk worth mangling.
        try:
            float(value)
            return value
        except ValueError:
            return "'" + value
    return value


def csv_bytes(columns: list[str], rows: Iterable[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([_csv_cell(row[c]) for c in columns])
    return buf.getvalue().encode("utf-8")


def _csv_cell(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe_text(value)


def json_bytes(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False, default=str) + "\n").encode("utf-8")


def write_manifest_sheet(wb: Any, manifest: dict[str, Any]) -> None:
    """A 'Manifest' sheet: engine, data revision and input hashes, readable and machine-readable."""
    ws = wb.add_worksheet("Manifest")
    bold = wb.add_format({"bold": True})
    ws.set_column(0, 0, 40)
    ws.set_column(1, 1, 80)
    ws.write_string(0, 0, "Herkomst van dit bestand (run manifest)", bold)
    r = 2
    for key in ("engine", "engine_version", "engine_source_sha256"):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, str(manifest.get(key, "")))
        r += 1
    ws.write_string(r, 0, "command")
    ws.write_string(r, 1, " ".join(manifest.get("command", [])))
    r += 1
    ws.write_string(r, 0, "data_revision")
    ws.write_string(r, 1, json.dumps(manifest.get("data_revision"), ensure_ascii=False))
    r += 2
    ws.write_string(r, 0, "invoerbestand", bold)
    ws.write_string(r, 1, "SHA-256", bold)
    r += 1
    for name, digest in manifest.get("inputs", {}).items():
        ws.write_string(r, 0, name)
        ws.write_string(r, 1, digest)
        r += 1
    r += 1
    ws.write_string(r, 0, "manifest_json")
    ws.write_string(r, 1, json.dumps(manifest, ensure_ascii=False, sort_keys=True))


def write_xlsx_table(path: Path, sheet: str, columns: list[str], rows: list[dict[str, Any]],
                     numeric: set[str], money: set[str], manifest: dict[str, Any] | None = None) -> None:
    """A plain Excel table: frozen header, filters, euro format; every text cell written as text."""
    import xlsxwriter  # heavy: only when an xlsx is asked for

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        wb.set_properties({"created": FIXED_TIME, "author": "tariefmodel"})
        ws = wb.add_worksheet(sheet)
        head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        eur = wb.add_format({"num_format": "€ #,##0.00"})
        num = wb.add_format({"num_format": "0.0000"})
        for j, col in enumerate(columns):
            ws.write_string(0, j, col, head)
            width = max(len(col), *(len(str(r[col])) for r in rows)) if rows else len(col)
            ws.set_column(j, j, min(max(width + 2, 8), 48))
        for i, row in enumerate(rows, start=1):
            for j, col in enumerate(columns):
                v = row[col]
                if isinstance(v, bool):
                    ws.write_boolean(i, j, v)
                elif col in money and v != "":
                    ws.write_number(i, j, float(v), eur)
                elif col in numeric and v != "":
                    ws.write_number(i, j, float(v), num if isinstance(v, str) else None)
                elif isinstance(v, int):
                    ws.write_number(i, j, v)
                else:
                    ws.write_string(i, j, str(safe_text(v)))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(rows), len(columns) - 1)
        if manifest is not None:
            write_manifest_sheet(wb, manifest)
        wb.close()

    atomic_write(path, write)
