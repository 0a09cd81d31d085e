"""Writing outputs: ONE entry point, atomically, byte-identically, with the run manifest, never as formulas.

``write_output(out, content, manifest)`` is the only way a command writes a result. The
format follows the extension, and the run manifest always goes along: CSV in a sidecar
``<name>.manifest.json`` (written as a pair, see ``fileio.atomic_write_pair``), JSON in a
``manifest`` block, a workbook on a ``Manifest`` sheet, HTML and Markdown in a closing
comment, a PDF in its document information (Keywords). The content is a list of
:class:`Table` (csv/json/xlsx), a :class:`Text` renderer (.html/.md), a :class:`Workbook`
renderer (a workbook with its own layout) or a :class:`Pdf` renderer.

Every output is first written to a temporary file beside its target and then
moved into place with ``os.replace``, so a failed run leaves the old file (or
no file) untouched. Nothing depends on the clock: identical inputs give
identical bytes. Text from inputs that starts like a formula (``=``, ``+``,
``-``, ``@``) is neutralised with a leading apostrophe, the usual guard against
spreadsheet formula injection.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tariefmodel.data.fileio import atomic_write, atomic_write_bytes, atomic_write_pair

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


# CSV dialects. rfc4180 (the default): comma, dot decimals, true/false, UTF-8 without BOM, LF: what machine
# readers expect. excel-nl: what Dutch Excel opens on a double click: semicolon (the Dutch list separator), decimal
# commas, ja/nee (the regions' words, as in the terminal tables and workbooks), UTF-8 with a BOM (without it Excel
# reads the file as Windows-1252 and mangles the euro sign and accents), CRLF.
CSV_DIALECTS = ("rfc4180", "excel-nl")
_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]+")


def csv_bytes(columns: list[str], rows: Iterable[dict[str, Any]], dialect: str = "rfc4180") -> bytes:
    """RFC 4180 quoting in either dialect: a cell holding the separator, a quote, LF or CR is quoted, quotes doubled.

    Not ``csv.writer(lineterminator="\\n")``: that quotes only the characters of its own line terminator, so a
    carriage return in a name went out bare and ended the row in every reader that splits on CR.
    """
    if dialect not in CSV_DIALECTS:
        raise ValueError(f"onbekend CSV-dialect {dialect!r}")
    excel = dialect == "excel-nl"
    sep, end = (";", "\r\n") if excel else (",", "\n")

    def line(cells: Iterable[object]) -> str:
        return sep.join(_csv_field(_decimal_comma(c) if excel else c, sep) for c in cells)

    lines = [line(columns)] + [line(_csv_cell(row[c], excel) for c in columns) for row in rows]
    return ("\ufeff" if excel else "").encode("utf-8") + (end.join(lines) + end).encode("utf-8")


_NEEDS_QUOTES = {",": re.compile('[,"\r\n]'), ";": re.compile('[;"\r\n]')}


def _csv_field(value: object, sep: str = ",") -> str:
    text = "" if value is None else str(value)
    if _NEEDS_QUOTES[sep].search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _decimal_comma(cell: object) -> object:
    """A decimal number as Dutch Excel reads one (526.95 -> 526,95); codes, dates and text stay as they are."""
    return cell.replace(".", ",") if isinstance(cell, str) and _DECIMAL.fullmatch(cell) else cell


def _csv_cell(value: object, excel: bool = False) -> object:
    if isinstance(value, bool):
        return ("ja" if value else "nee") if excel else ("true" if value else "false")
    return safe_text(value)


def json_bytes(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False, default=str) + "\n").encode("utf-8")


def write_manifest_sheet(wb: Any, manifest: dict[str, Any]) -> None:
    """A 'Manifest' sheet: engine, data revision and input hashes, readable and machine-readable."""
    from tariefmodel.trail.manifest import sheet_rows

    ws = wb.add_worksheet("Manifest")
    bold = wb.add_format({"bold": True})
    ws.set_column(0, 0, 40)
    ws.set_column(1, 1, 80)
    for r, row in enumerate(sheet_rows(manifest)):
        heading = r == 0 or row == ["invoerbestand", "SHA-256"]
        for c, text in enumerate(row):
            ws.write_string(r, c, text, bold if heading else None)


@dataclass(frozen=True)
class Table:
    """One table of an output: a worksheet in a workbook, a block in JSON, the file itself in CSV."""

    name: str
    columns: list[str]
    rows: list[dict[str, Any]]
    money: frozenset[str] = frozenset()  # written as numbers with a euro format in a workbook
    numeric: frozenset[str] = frozenset()  # written as numbers in a workbook
    number_format: str = "0.0000"


@dataclass(frozen=True)
class Tables:
    """Tables with their JSON layout: ``json`` (the document without the manifest) or one block per table."""

    tables: list[Table]
    meta: dict[str, Any] | None = None
    json: dict[str, Any] | None = None
    csv_table: int = 0  # the table a CSV holds (a CSV has room for one)


@dataclass(frozen=True)
class Text:
    """A text document (.html or .md) rendered with its manifest; the manifest comment is added if it lacks one."""

    render: Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class Workbook:
    """A workbook with its own layout: ``render(tmp, manifest)`` writes it, its Manifest sheet included."""

    render: Callable[[Path, dict[str, Any]], None]
    suffixes: tuple[str, ...] = field(default=(".xlsx",))


@dataclass(frozen=True)
class Pdf:
    """A PDF document: ``render(manifest)`` gives its bytes, the manifest in its metadata (see outputs.pdf)."""

    render: Callable[[dict[str, Any]], bytes]


Content = Tables | Text | Workbook | Pdf
TABLE_FORMATS = (".csv", ".json", ".xlsx")


def write_output(out: Path, content: Content | list[Table], manifest: dict[str, Any], *,
                 csv_dialect: str = "rfc4180") -> None:
    """Write ``content`` to ``out`` in the format its extension names, always with ``manifest``.

    ``csv_dialect``: see :data:`CSV_DIALECTS`; the command in the manifest must name it (``--excel-nl``).
    """
    from tariefmodel.trail import manifest as mf

    if isinstance(content, list):
        content = Tables(content)
    suffix = out.suffix.lower()
    if isinstance(content, Text):
        if suffix not in (".html", ".md"):
            raise ValueError(f"een tekstdocument wordt geschreven als .html of .md, niet als {suffix}")
        text = content.render(manifest)
        if "tariefmodel-manifest:" not in text:
            text = text.rstrip("\n") + "\n\n" + mf.html_comment(manifest) + "\n"
        atomic_write_bytes(out, text.encode("utf-8"))
    elif isinstance(content, Pdf):
        if suffix != ".pdf":
            raise ValueError(f"a PDF document is written as .pdf, not {suffix}")
        data = content.render(manifest)
        if b"tariefmodel-manifest:" not in data:
            raise RuntimeError(f"internal: the PDF {out.name} carries no manifest in its metadata")
        atomic_write_bytes(out, data)
    elif isinstance(content, Workbook):
        if suffix not in content.suffixes:
            raise ValueError(f"deze werkmap wordt geschreven als .xlsx, niet als {suffix}")

        def render(tmp: Path) -> None:
            content.render(tmp, manifest)
            _require_manifest_sheet(tmp)

        atomic_write(out, render)
    elif suffix == ".csv":
        table = content.tables[content.csv_table]
        data = csv_bytes(table.columns, table.rows, csv_dialect)
        atomic_write_pair(out, data, mf.sidecar_path(out), mf.sidecar_bytes(manifest, data))
    elif suffix == ".json":
        body = content.json if content.json is not None else {
            **({"meta": content.meta} if content.meta is not None else {}),
            **{t.name: {"columns": t.columns, "rows": t.rows} for t in content.tables}}
        atomic_write_bytes(out, json_bytes({**body, "manifest": manifest}))
    elif suffix == ".xlsx":
        tables = content.tables

        def render_tables(tmp: Path) -> None:
            wb = new_workbook(tmp)
            for t in tables:
                _xlsx_sheet(wb, t)
            write_manifest_sheet(wb, manifest)
            wb.close()

        atomic_write(out, render_tables)
    else:
        raise ValueError(f"uitvoerformaat {suffix!r} bestaat niet")


def new_workbook(path: Path) -> Any:
    """An xlsxwriter workbook without the clock in it, writing every text as text."""
    import xlsxwriter  # heavy: only when a workbook is asked for

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": FIXED_TIME, "author": "tariefmodel"})
    return wb


def _require_manifest_sheet(path: Path) -> None:
    """Refuse a workbook without a Manifest sheet (read from the file's index, without parsing the sheets)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        index = z.read("xl/workbook.xml").decode("utf-8")
    if 'name="Manifest"' not in index:
        raise RuntimeError(f"internal: the workbook {path.name} has no Manifest sheet")


def _xlsx_sheet(wb: Any, table: Table) -> None:
    """A plain table: frozen header, filters, euro format; every text cell written as text."""
    ws = wb.add_worksheet(table.name[:31])
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    eur = wb.add_format({"num_format": "€ #,##0.00"})
    num = wb.add_format({"num_format": table.number_format})
    columns, rows = table.columns, table.rows
    for j, col in enumerate(columns):
        ws.write_string(0, j, col, head)
        width = max(len(col), *(len(str(r.get(col, ""))) for r in rows)) if rows else len(col)
        ws.set_column(j, j, min(max(width + 2, 8), 48))
    for i, row in enumerate(rows, start=1):
        for j, col in enumerate(columns):
            v = row.get(col, "")
            if isinstance(v, bool):
                ws.write_boolean(i, j, v)
            elif col in table.money and v not in ("", None):
                ws.write_number(i, j, float(v), eur)
            elif col in table.numeric and v not in ("", None):
                ws.write_number(i, j, float(v), num if isinstance(v, str) else None)
            elif isinstance(v, int):
                ws.write_number(i, j, v)
            else:
                ws.write_string(i, j, str(safe_text(v)))
    ws.freeze_panes(1, 0)
    if rows:
        ws.autofilter(0, 0, len(rows), len(columns) - 1)
