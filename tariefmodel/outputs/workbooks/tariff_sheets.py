"""Shared by the printed, read-only tariff workbooks: the contract annex and the provider sheets.

Values only, never formulas: these go to providers as part of a contract. Every
sheet is protected (no password: read-only by intent, not by secrecy), printed
A4 landscape fitted to the page width with the table header repeated, and every
text from the inputs goes through ``safe_text`` and ``write_string``.

Column widths are fixed per table (``Col``), so the heights of wrapped rows,
merged title lines included, can be estimated when they are written: neither
Excel nor LibreOffice sizes them reliably on load.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tariefmodel.data.numbers import date, eur, num, pct
from tariefmodel.data.params import params
from tariefmodel.data.region import Region
from tariefmodel.engine.pricing import UNIT_CODES
from tariefmodel.outputs.workbooks import xlsx
from tariefmodel.outputs.writers import safe_text, write_manifest_sheet


# NS-03/NS-04 (Inkoopplan 2025 [001:555]): no-show is priced into the tariff and never billable; the provider
# may send the client a modest bill. Printed on every product with no_show: true, never part of the tariff.
def no_show_note(region: Region, year: int) -> str:
    """The no-show note of the tariff sheets, with the client-bill maximum valid on 1 January (no_show.client_bill_max_eur)."""
    base = "No-show is in het tarief verwerkt en niet declarabel"
    if getattr(region.cost_model.no_show, "client_bill_max_eur", None) is None:
        return base
    cap = params(region.cost_model, dt.date(year, 1, 1)).value("no_show.client_bill_max_eur")
    return f"{base}; de aanbieder mag de cliënt een rekening van ten hoogste {eur_whole(cap)} sturen"


def eur_whole(amount: Decimal) -> str:
    """€ 25 for a whole amount, € 25,50 otherwise (a note, not a tariff column)."""
    return f"€ {num(amount, 0)}" if amount == amount.to_integral_value() else eur(amount)
NO_SHOW_MARK = "in het tarief (noot {n})"

DATE = "dd-mm-yyyy"  # Dutch dates in documents for providers
FONT = 10
LINE_HEIGHT = 13.5  # points per line of 10-point text
WRAP_FACTOR = 1.3  # characters of 10-point text per width unit (an 11-point digit); measured on LibreOffice's PDF


@dataclass(frozen=True, slots=True)
class Col:
    header: str
    width: float
    kind: str = "text"  # text | wrap | eur | pct | date | int | center
    key: str = ""  # for rows given as a dict


def count_lines(text: str, per_line: int) -> int:
    """Lines a wrapped cell needs: words fill a line; a word longer than a line starts one and runs over."""
    total = 0
    for part in text.split("\n"):
        lines, used = 1, 0
        for word in part.split():
            n = len(word)
            if used and used + 1 + n <= per_line:
                used += 1 + n
                continue
            if used:
                lines += 1
            lines += (n - 1) // per_line
            used = n - (n - 1) // per_line * per_line
        total += lines
    return total


def header_width(text: str, minimum: float) -> float:
    """Wide enough that no word of a (bold) header is split."""
    return max(minimum, max(len(w) for w in text.split()) * 1.05 + 1.5)


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def nl_date(day: dt.date | None) -> str:
    return date(day) if day is not None else ""


def unit_code(unit: str) -> str:
    return UNIT_CODES.get(unit, "")


def cao_name(region: Region, key: str) -> str:
    cao = region.caos.get(key)
    return cao.meta.name if cao is not None else key


def contract_end(contract: Any) -> dt.date:
    from tariefmodel.engine.book import _contract_end

    return _contract_end(contract)


def contract_label(region: Region, key: str) -> str:
    c = region.contracts.get(key)
    return f"{c.name} (perceel {c.number})" if c is not None else key


# --------------------------------------------------------------------------- indexation


@dataclass(frozen=True, slots=True)
class IndexInfo:
    method: str  # method key, "" when not indexed
    text: str  # for people: the method or how the tariff came about
    rate: Decimal | None  # the rate of the year (None when not indexed)


def index_info(region: Region, t: Any) -> IndexInfo:
    """How a tariff of its year came about: the index method and rate of the year, or its build-up."""
    if t.steps:
        last = t.steps[-1]
        label = region.indexation.methods[last.method].label if region.indexation is not None else last.method
        return IndexInfo(last.method, f"{label} ({last.method})", last.rate)
    if t.kind == "extern":
        return IndexInfo("", "extern vastgesteld, niet geïndexeerd", None)
    if t.kind == "pgb":
        indexed = t.base is not None and t.base.steps
        of = "externe tarief" if t.base is not None and t.base.kind == "extern" else "basistarief"
        return IndexInfo("", "afgeleid van het " + ("geïndexeerde " if indexed else "") + of, None)
    entry = getattr(t, "entry", None)
    if entry is not None:  # a decided amount (vast bedrag), from the product file or the ZIN tariff list
        return IndexInfo("", "vast bedrag" + (" (ZIN-tarievenlijst)" if entry.listed_in else " (besluit)"), None)
    return IndexInfo("", f"kostprijsopbouw {t.year}", None)


def contract_basis(region: Region, contract_key: str, year: int, tariffs: list[Any]) -> str:
    """One line on how a contract's tariffs of a year came about: the cost build-up, or the index in force."""
    contract = region.contracts.get(contract_key)
    indexed = [t for t in tariffs if t.steps]
    if not indexed:
        if contract is not None and region.indexation is not None and year == contract.start.year:
            return (f"kostprijsopbouw {year}, het eerste contractjaar (parameters en CAO-tabellen van {year}); "
                    f"latere contractjaren worden geïndexeerd")
        if contract is not None and year < contract.start.year:
            return f"kostprijsopbouw {year} (vóór de ingangsdatum van de overeenkomst)"
        return f"kostprijsopbouw {year} (parameters en CAO-tabellen van {year})"
    groups: dict[str, list[Any]] = {}
    for t in indexed:
        groups.setdefault(t.steps[-1].method, []).append(t)
    base_year = min(t.base.year for t in indexed)
    parts = []
    for method, rows in groups.items():
        info = index_info(region, rows[0])
        rates = sorted({r.steps[-1].rate for r in rows})
        if len(rates) == 1:
            what = f"{info.text}: {pct(rates[0])}"
        else:  # follow_cao and components: each tariff its own rate
            what = f"{info.text}: {pct(rates[0])} tot {pct(rates[-1])}, per tarief"
        source = _assignment_source(region, contract_key, year, method)
        parts.append(what + (f" [{source}]" if source else ""))
    return f"indexatie {year} op de tarieven van {year - 1} (basisjaar {base_year}): " + "; ".join(parts)


def _assignment_source(region: Region, contract: str, year: int, method: str) -> str:
    ix = region.indexation
    if ix is None:
        return ""
    day = dt.date(year, 1, 1)
    for a in ix.assignments:
        if a.contract == contract and a.method == method and a.valid_from <= day \
                and (a.valid_until is None or a.valid_until >= day):
            return a.source
    return ""


# --------------------------------------------------------------------------- micro rule


def micro_rule(region: Region, year: int) -> str:
    """The micro-enterprise rule of the year in words (DIFF-07)."""
    from tariefmodel.data.numbers import eur
    from tariefmodel.data.params import value_at
    from tariefmodel.engine.variants import DIFF_FILE

    diff = region.differentiation
    if diff is None:
        return "een lagere opslag voor overhead; de regio heeft geen criteria vastgelegd (parameters/differentiation.yaml)"
    day = dt.date(year, 1, 1)
    emp = value_at(diff.micro_max_employees, day, "micro_max_employees", DIFF_FILE).value
    thr = value_at(diff.micro_threshold_eur, day, "micro_threshold_eur", DIFF_FILE).value
    test = value_at(diff.micro_financial_test, day, "micro_financial_test", DIFF_FILE).value
    joint = "en/of" if test == "either" else "en"
    return (f"minder dan {emp} werknemers en een jaaromzet {joint} balanstotaal onder {eur(thr)}; "
            f"een lagere opslag voor overhead")


# --------------------------------------------------------------------------- sheets


class Printed:
    """A protected, printable sheet of an ``xlsx.Book`` with fixed column widths."""

    def __init__(self, book: xlsx.Book, name: str, cols: list[Col]):
        self.book = book
        self.sheet = book.sheet(name)
        self.ws = self.sheet.ws
        self.cols = cols
        self.last = len(cols) - 1
        for i, c in enumerate(cols):
            self.ws.set_column(i, i, c.width)
        self.ws.set_default_row(LINE_HEIGHT + 1.5)
        self.f = {
            "text": self.fmt(),
            "wrap": self.fmt(text_wrap=True),
            "center": self.fmt(align="center"),
            "eur": self.fmt(num_format=xlsx.EUR),
            "pct": self.fmt(num_format=xlsx.PCT, align="center"),
            "date": self.fmt(num_format=DATE, align="center"),
            "int": self.fmt(num_format="0"),
            "na": self.fmt(align="center", font_color="#808080"),
        }
        self._band: dict[str, Any] = {}
        self.row = 0

    def fmt(self, **props: Any) -> Any:
        props.setdefault("font_size", FONT)
        return self.book.fmt(**props)

    def band(self, kind: str) -> Any:
        """The format of a column kind on a shaded (alternate) row."""
        if kind not in self._band:
            base = {"text": {}, "wrap": {"text_wrap": True}, "center": {"align": "center"},
                    "eur": {"num_format": xlsx.EUR}, "pct": {"num_format": xlsx.PCT, "align": "center"},
                    "date": {"num_format": DATE, "align": "center"}, "int": {"num_format": "0"},
                    "na": {"align": "center", "font_color": "#808080"}}[kind]
            self._band[kind] = self.fmt(bg_color="#F2F2F2", **base)
        return self._band[kind]

    def width(self, c1: int, c2: int) -> float:
        return sum(c.width for c in self.cols[c1:c2 + 1])

    @staticmethod
    def lines(text: str, width: float, factor: float = WRAP_FACTOR) -> int:
        return count_lines(text, max(int(width * factor), 1))

    # ---- title block and notes: text over the whole width (or from a column on)

    def line(self, text: str, *, bold: bool = False, size: int = FONT, label: str = "",
             color: str | None = None) -> None:
        """One line of text over the whole width, wrapped, its row sized; ``label`` goes before it in bold."""
        props: dict[str, Any] = {"text_wrap": True, "font_size": size, "bold": bold}
        if color:
            props["font_color"] = color
        f = self.fmt(**props)
        r = self.row
        s = str(safe_text(text))
        self.ws.merge_range(r, 0, r, self.last, "", f)
        if label and s:  # a rich string: never a formula, whatever it starts with
            self.ws.write_rich_string(r, 0, self.fmt(bold=True), f"{label}: ", self.fmt(), s, f)
            s = f"{label}: {s}"
        else:
            self.ws.write_string(r, 0, s, f)
        n = self.lines(s, self.width(0, self.last), WRAP_FACTOR * FONT / size)
        height = (size + 3.5) * n
        if height > LINE_HEIGHT + 1.5:
            self.ws.set_row(r, height)
        self.row += 1

    def skip(self, n: int = 1) -> None:
        self.row += n

    # ---- the table

    def header(self) -> int:
        f = self.fmt(bold=True, bg_color="#DDEBF7", border=1, text_wrap=True)
        r = self.row
        n = 1
        for i, c in enumerate(self.cols):
            self.ws.write_string(r, i, c.header, f)
            n = max(n, self.lines(c.header, c.width, 1.15))
        self.ws.set_row(r, LINE_HEIGHT * n + 2)
        self.row += 1
        return r

    def section(self, text: str) -> int:
        """A heading row inside the table (e.g. a contract), over the whole width."""
        r = self.row
        f = self.fmt(bold=True, bg_color="#E2EFDA", top=1)
        self.ws.merge_range(r, 0, r, self.last, "", f)
        self.ws.write_string(r, 0, str(safe_text(text)), f)
        self.row += 1
        return r

    def row_of(self, values: dict[str, Any], *, shade: bool = False) -> int:
        """One table row given by column key; columns without a value stay blank."""
        return self.cells([values.get(c.key) for c in self.cols], shade=shade)

    def cells(self, values: list[Any], *, shade: bool = False) -> int:
        """One table row: text, numbers, dates by column kind; ``None`` blank; ``NA`` greyed 'n.v.t.'."""
        r = self.row
        n = 1
        for i, (c, v) in enumerate(zip(self.cols, values, strict=True)):
            kind = c.kind
            if v is NA:
                f = self.band("na") if shade else self.f["na"]
                self.ws.write_string(r, i, "n.v.t.", f)
                continue
            f = self.band(kind) if shade else self.f[kind]
            if v is None or v == "":
                self.ws.write_blank(r, i, None, f)
            elif kind in ("eur", "pct", "int"):
                self.ws.write_number(r, i, float(v), f)
            elif kind == "date":
                self.ws.write_datetime(r, i, dt.datetime(v.year, v.month, v.day), f)
            else:
                s = str(safe_text(str(v)))
                self.ws.write_string(r, i, s, f)
                if kind == "wrap":
                    n = max(n, self.lines(s, c.width))
        if n > 1:
            self.ws.set_row(r, LINE_HEIGHT * n + 1.5)
        self.row += 1
        return r

    # ---- print

    def print_setup(self, header_row: int | None, footer: str) -> None:
        ws = self.ws
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        if header_row is not None:
            ws.repeat_rows(header_row)
        ws.set_footer(f"&L&8{_hf(footer)}&R&8&P / &N")
        ws.hide_gridlines(2)


class _NotApplicable:
    def __repr__(self) -> str:
        return "NA"


NA = _NotApplicable()


def _hf(text: str) -> str:
    """Text for a page header or footer: '&' starts a control code there."""
    return text.replace("&", "&&")[:200]


def finish(book: xlsx.Book, manifest: dict[str, Any]) -> None:
    """The Manifest sheet, every sheet protected (read-only), the first sheet active; then write."""
    write_manifest_sheet(book.wb, manifest)
    ms = book.wb.get_worksheet_by_name("Manifest")
    inputs = manifest.get("inputs", {})
    ms.set_column(0, 0, max([40, *(len(f) + 2 for f in inputs)]))  # whole file names on screen and paper
    # Hidden, without a print area (LibreOffice prints a hidden sheet that has one): verify reads every sheet,
    # paper never shows the hashes.
    ms.hide()
    for ws in book.wb.worksheets():
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    book.wb.worksheets()[0].activate()
    # Assemble the parts in memory rather than in a temporary file each (a quarter of the time of a small
    # workbook, which counts when 500 provider sheets are written), and the zip in a buffer written with one
    # call rather than a file the zip module seeks back and forth in; the bytes are the same.
    book.wb.in_memory = True
    book.wb.filename = buf = io.BytesIO()
    book.wb.close()
    with open(book.path, "wb") as fh:
        fh.write(buf.getbuffer())


def source_line(manifest: dict[str, Any]) -> str:
    """The footnote naming the source: engine version and data revision; the input hashes are on Manifest."""
    rev = manifest.get("data_revision") or {}
    if rev.get("git_commit"):
        data = f"data-revisie {rev['git_commit'][:12]}"
        if rev.get("repository"):
            data += f" ({rev['repository']})"
        if rev.get("uncommitted_input_changes"):
            data += ", met niet-vastgelegde wijzigingen in de invoer"
    else:
        data = "data-revisie onbekend (geen git)"
    n = len(manifest.get("inputs", {}))
    return (f"Bron: tariefmodel {manifest.get('engine_version', '')}, {data}; {n} invoerbestanden met hun SHA-256 "
            f"op het verborgen tabblad Manifest. Dezelfde invoer geeft exact hetzelfde bestand.")
