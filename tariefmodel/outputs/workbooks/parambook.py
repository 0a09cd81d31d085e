"""The editable parameter workbook: every dated entry of parameters/cost_model.yaml, one row each.

``tariefmodel export parameters --out F.xlsx``; edited, it goes back with
``tariefmodel import parameters F.xlsx`` (paramimport.py). White columns are
editable (until, value, provenance), grey ones identify the row or describe
it and must stay as they are. Value cells carry data validation by kind:
fractions between 0 and 1, amounts at least 0, lists for conventions, status
and assumption.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from tariefmodel.data.fileio import atomic_write
from tariefmodel.outputs.workbooks import param_kinds as kinds
from tariefmodel.outputs.workbooks import xlsx
from tariefmodel.outputs.workbooks.paramsource import COST_MODEL, Entry, Source

SHEET = "Parameters"
HELP_SHEET = "Toelichting"


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    field: str  # entry field, or a derived column: path, description, unit, aliases, line
    editable: bool
    width: tuple[float, float]


COLUMNS = [
    Column("Parameter", "path", False, (30, 70)),
    Column("Omschrijving", "description", False, (24, 46)),
    Column("Geldig vanaf", "from", False, (11, 11)),
    Column("Geldig tot", "until", True, (11, 11)),
    Column("Waarde", "value", True, (11, 16)),
    Column("Eenheid", "unit", False, (10, 26)),
    Column("Bron", "source", True, (30, 60)),
    Column("Datum bron", "source_date", True, (11, 11)),
    Column("Afweging", "rationale", True, (30, 70)),
    Column("Besloten door", "decided_by", True, (12, 26)),
    Column("Besloten op", "decided_on", True, (11, 11)),
    Column("Status", "status", True, (8, 9)),
    Column("Aanname", "assumption", True, (8, 9)),
    Column("Gedeeld met (YAML-anker)", "aliases", False, (12, 60)),
    Column("Regel in cost_model.yaml", "line", False, (9, 10)),  # informative: not checked on import
]
HEADERS = [c.header for c in COLUMNS]
COL = {c.field: i for i, c in enumerate(COLUMNS)}
DATE_FIELDS = ("from", "until", "source_date", "decided_on")
STATUS = ("draft", "adopted")
YES_NO = ("ja", "nee")

HELP = [
    "Parameterwerkmap van parameters/cost_model.yaml: elke gedateerde waarde op een eigen regel.",
    "",
    "Wijzigen: alleen de witte kolommen (Geldig tot, Waarde, Bron, Datum bron, Afweging, Besloten door, Besloten op, "
    "Status, Aanname). De grijze kolommen benoemen de regel en blijven zoals ze zijn.",
    "Een gewijzigde waarde vraagt een bron en een afweging die bij de nieuwe waarde horen.",
    "Percentages zijn fracties: 2% is 0,02 (de cel toont 2,00%).",
    "Een nieuwe waarde vanaf een datum: kopieer de regel naar een lege rij onderaan en zet de ingangsdatum in "
    "'Geldig vanaf'; de vorige waarde krijgt bij het terugzetten vanzelf een einddatum (waarden worden nooit "
    "overschreven). Een waarde die al tarieven van een afgelopen jaar bepaalde, wijzigt alleen met --correctie REDEN. "
    "Regels verwijderen kan niet.",
    "Een regel met 'Gedeeld met' staat via een YAML-anker op meerdere plaatsen: een wijziging geldt overal.",
    "",
    "Terugzetten: tariefmodel import parameters <dit bestand> [--data MAP] [--dry-run]. Het commando toont elke "
    "wijziging (oud -> nieuw), controleert alles en schrijft niets als er iets niet klopt.",
]


def cell_value(entry: Entry, fld: str, cost_model: Any) -> Any:
    """The workbook value of one column of one entry (also what the import compares against)."""
    if fld == "path":
        return entry.path
    if fld == "description":
        return kinds.description_of(cost_model, entry.path)
    if fld == "unit":
        return kinds.unit_of(cost_model, entry.path)
    if fld == "aliases":
        return ", ".join(entry.aliases)
    if fld == "line":
        return entry.line
    v = entry.data.get(fld)
    if fld == "assumption":
        return "ja" if v else "nee"
    if fld == "status":
        return v or "draft"
    return v


def write_parameter_book(path: Path, source: Source, cost_model: Any) -> int:
    """Write the workbook atomically; return the number of rows."""

    def write(tmp: Path) -> None:
        book = xlsx.Book(tmp, title="Parameters kostprijsmodel", subject=COST_MODEL)
        book.add_sheets([SHEET, HELP_SHEET])
        sh = book.sheet(SHEET)
        ws = sh.ws
        sh.header(0, HEADERS)
        sh.widths({i: c.width for i, c in enumerate(COLUMNS)})
        ws.freeze_panes(1, 1)
        sh.print_setup(pages_wide=2, title_columns=1)
        grey = "#EDEDED"
        f_ro = book.fmt(bg_color=grey, text_wrap=True)
        f_ro_date = book.fmt(bg_color=grey, num_format=xlsx.DATE)
        f_ro_int = book.fmt(bg_color=grey, num_format=xlsx.INT)
        f_text = book.fmt(text_wrap=True, locked=False)
        f_plain = book.fmt(locked=False, num_format="@")
        f_date = book.fmt(num_format=xlsx.DATE, locked=False)
        for r, entry in enumerate(source.entries, start=1):
            kind = kinds.kind_of(entry.path, cost_model)
            for c, col in enumerate(COLUMNS):
                v = cell_value(entry, col.field, cost_model)
                if col.field == "line":
                    sh.number(r, c, v, f_ro_int)
                elif col.field in DATE_FIELDS:
                    sh.date(r, c, v if isinstance(v, dt.date) else None, f_date if col.editable else f_ro_date)
                elif col.field == "value":
                    _value_cell(book, sh, r, c, v, kind)
                elif not col.editable:
                    sh.text(r, c, v, f_ro)
                elif col.field in ("status", "assumption"):
                    sh.text(r, c, v, f_plain)
                    choices = STATUS if col.field == "status" else YES_NO
                    ws.data_validation(r, c, r, c, {"validate": "list", "source": list(choices),
                                                    "error_message": "Kies een van: " + ", ".join(choices)})
                else:
                    sh.text(r, c, v, f_text)
            for fld in ("until", "source_date", "decided_on"):
                c = COL[fld]
                ws.data_validation(r, c, r, c, {"validate": "date", "criteria": ">=", "value": dt.date(1990, 1, 1),
                                                "ignore_blank": True, "error_message": "Een datum (jjjj-mm-dd)."})
        ws.autofilter(0, 0, len(source.entries), len(COLUMNS) - 1)
        help_sheet = book.sheet(HELP_SHEET)
        help_sheet.widths({0: (110, 110)})
        wrap = book.fmt(text_wrap=True)
        for i, line in enumerate(HELP):
            help_sheet.text(i, 0, line, wrap)
        book.close()

    atomic_write(path, write)
    return len(source.entries)


def _value_cell(book: xlsx.Book, sh: xlsx.Sheet, r: int, c: int, v: Any, kind: kinds.Kind) -> None:
    props: dict[str, Any] = {"locked": False, "bg_color": xlsx.INPUT_FILL}
    nf = kind.num_format()
    if kind.kind in ("fraction",):
        nf = "0.00##%"  # up to four decimals of a percent, so 7.75% and 0.5% both show as written
    if nf:
        props["num_format"] = nf
    if not kind.numeric:
        props["num_format"] = "@"  # text stays text (01-01 must not become a date)
    fmt = book.fmt(**props)
    if isinstance(v, Decimal | int) and not isinstance(v, bool):
        sh.number(r, c, v, fmt)
    elif v is None:
        sh.ws.write_blank(r, c, None, fmt)
    else:
        sh.text(r, c, v, fmt)
    rule = kind.validation()
    if rule is not None:
        sh.ws.data_validation(r, c, r, c, rule)
