"""The PDF documents: audit report, explain of one tariff, the printed workbooks (annex, provider sheet), survey.

Each function returns a :class:`writers.Pdf` for ``write_output``; the page furniture (A4, footer with
"pagina N van M", title block, closing note, manifest in the metadata) is :mod:`tariefmodel.outputs.pdf`'s.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from tariefmodel.data.money import excel_round
from tariefmodel.data.numbers import eur
from tariefmodel.outputs import pdf
from tariefmodel.outputs.writers import Pdf

mm = 72 / 25.4
SEVERITY = {"fout": "Fout", "waarschuwing": "Waarschuwing", "info": "Melding"}
SEVERITY_BG = {"fout": "#FDE2E1", "waarschuwing": "#FFF4D6", "info": "#EEF5FF"}


def audit_pdf(report: Any, groups: list[list[Any]], root: Path, bench: list[Any]) -> Pdf:
    """The audit: summary, findings (repeated ones grouped), the benchmark chart, the register as a landscape appendix."""
    from reportlab.lib import colors

    from tariefmodel.outputs import charts

    def story(man: dict[str, Any]) -> list[Any]:
        counts = {s: sum(1 for f in report.findings if f.severity == s) for s in SEVERITY}
        out: list[Any] = pdf.title_block(f"Auditrapport tariefjaar {report.year}", report.region, report.year, man,
                                         pdf.revision_date(root), [("Document", "auditrapport voor de procesmonitor: "
                                                                    "samenvatting, bevindingen, parameterregister")])
        out.append(pdf.p(f"{counts['fout']} fouten, {counts['waarschuwing']} waarschuwingen, {counts['info']} "
                         f"meldingen. Gecontroleerd: " + ", ".join(f"{n} {k}" for k, n in report.checked.items())
                         + "."))
        out.append(pdf.p("Samenvatting per contract", "h2"))
        rows = [[s.name, s.law, s.products, s.tariffs, _eur(s.lowest), _eur(s.highest), s.findings, s.assumptions]
                for s in report.contracts]
        out.append(pdf.table(["contract", "wet", "producten", "tarieven", "laagste", "hoogste", "bevin\u00addingen",
                              "met aanname"], rows, [58 * mm, 18 * mm, 17 * mm, 16 * mm, 20 * mm, 20 * mm, 16 * mm,
                                                     15 * mm],
                             styles=["cell", "cell", "num", "num", "num", "num", "num", "num"]))
        out.append(pdf.p("Bevindingen", "h2"))
        frows, bgs = [], {}
        for items in groups:  # a repeated finding once, its subjects condensed (audit_report.grouped)
            f = items[0]
            if len(items) > 1:
                frows.append([SEVERITY[f.severity], f"{len(items)}× {f.kind}", f"bijvoorbeeld {f.subject}: {f.message}",
                              pdf.p("Onderwerpen: " + ", ".join(x.subject for x in items), "small")])
            else:
                frows.append([SEVERITY[f.severity], f.kind, f"{f.subject}: {f.message}",
                              "; ".join(f"{k}: {v}" for k, v in f.figures)])
            bgs[len(frows) - 1] = colors.HexColor(SEVERITY_BG[f.severity])
        if frows:
            out.append(pdf.table(["ernst", "soort", "bevinding", "cijfers / onderwerpen"], frows,
                                 [22 * mm, 32 * mm, 76 * mm, 50 * mm], shade=False, row_backgrounds=bgs,
                                 styles=["cell", "cell", "cell", "small"]))
        else:
            out.append(pdf.p("Geen bevindingen."))
        if bench:
            out.append(pdf.KeepTogether([pdf.p("Tarieven tegen benchmarks", "h2"),
                                         charts.benchmark_chart(bench, width=pdf.PORTRAIT_WIDTH)]))
        out += pdf.to_landscape()
        out.append(pdf.p("Bijlage: parameterregister", "h2"))
        out.append(pdf.p(f"{len(report.register)} waarden die de tarieven van {report.year} voeden, met bron, "
                         f"afweging en besluit. 'Voedt' telt de tarieven die de waarde gebruiken.", "small"))
        reg = [[r.file, r.path, r.value, _nl_date(r.valid_from), r.source, _nl_date(r.source_date), r.rationale,
                " ".join(x for x in (r.decided_by, _nl_date(r.decided_on)) if x), r.status, "ja" if r.assumption else "",
                str(len(r.feeds))] for r in report.register]
        out.append(pdf.table(["bestand", "parameter", "waarde", "geldig vanaf", "bron", "brondatum", "afweging",
                              "besluit", "status", "aanname", "voedt"], reg,
                             [28 * mm, 32 * mm, 30 * mm, 15 * mm, 50 * mm, 15 * mm, 53 * mm, 13 * mm, 12 * mm,
                              10 * mm, 9 * mm], size="tiny",  # 267 mm: the width of a landscape A4 page
                             styles=["tinycode", "tinycode", "tinycode", "tiny", "tiny", "tiny", "tiny", "tiny", "tiny",
                                     "tiny", "tiny"]))
        return out

    return _document(story, f"Auditrapport {report.region} {report.year}", "Auditrapport",
                     f"Auditrapport {report.year} - {report.region}")


def explain_pdf(t: Any, text: str, region: Any) -> Pdf:
    """One tariff's build-up: the waterfall chart, then the explanation step by step with its sources."""
    from tariefmodel.outputs import charts

    prod = t.product.product
    variant = t.variant + (" (micro-onderneming)" if t.micro else "") + (f", aanbieder {t.provider}"
                                                                          if t.provider else "")

    def story(man: dict[str, Any]) -> list[Any]:
        out: list[Any] = pdf.title_block(f"Opbouw van het tarief {prod.code} {prod.name}", region.info.name, t.year,
                                         man, pdf.revision_date(Path(region.root)),
                                         [("Document", "toelichting op één tarief, stap voor stap met bronnen"),
                                          ("Variant", variant),
                                          ("Tarief", f"{eur(t.tariff_eur)} per {prod.unit}")])
        chart = charts.waterfall(t, width=pdf.PORTRAIT_WIDTH)
        if chart is not None:
            out.append(chart)
        out.append(pdf.p("Toelichting", "h2"))
        for line in text.splitlines():
            if not line.strip():
                out.append(pdf.Spacer(1, 2.5))
                continue
            indent = len(line) - len(line.lstrip(" "))
            style = pdf.ParagraphStyle(f"mono{indent}", parent=pdf.STYLES["mono"], leftIndent=indent * 4.2)
            # Runs of spaces align the figures in columns: kept (non-breaking); single spaces may wrap.
            body = re.sub(r" {2,}", lambda m: "\u00a0" * len(m.group()), pdf.esc(line.strip()))
            out.append(pdf.Paragraph(body, style))
        return out

    return _document(story, f"Tarief {prod.code} {t.year}", "Opbouw van een tarief",
                     f"Opbouw tarief {prod.code} {t.year} - {region.info.name}")


def workbook_pdf(write_workbook: Any, what: str, region: Any, year: int, extra: list[tuple[str, str]]) -> Pdf:
    """A printed workbook (contract annex, provider sheet) as a PDF: its sheets as they print, without Manifest.

    ``write_workbook(path, manifest)`` writes the workbook as ``export`` does; its printed sheets are read back
    (merged full-width rows are text lines, the repeated print-title row is the table header) so that the
    PDF shows exactly what the workbook shows, laid out once.
    """
    import tempfile

    def story(man: dict[str, Any]) -> list[Any]:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "werkmap.xlsx"
            write_workbook(path, man)
            sheets = _read_printed(path)
        out: list[Any] = pdf.title_block(what, region.info.name, year, man, pdf.revision_date(Path(region.root)),
                                         extra)
        for n, (name, blocks) in enumerate(sheets):
            if n:
                out.append(pdf.PageBreak())
            if len(sheets) > 1:
                out.append(pdf.p(name, "h2"))
            out += blocks
        return out

    return _document(story, what, what, f"{what} - {region.info.name}", landscape=True)


def _read_printed(path: Path) -> list[tuple[str, list[Any]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out = []
    for ws in wb.worksheets:
        if ws.title == "Manifest" or ws.sheet_state != "visible":
            continue
        out.append((ws.title, _sheet_blocks(ws)))
    return out


def _sheet_blocks(ws: Any) -> list[Any]:
    """One printed sheet as flowables: text lines, and its table with the header repeated."""
    merged = {r.min_row: r for r in ws.merged_cells.ranges if r.min_col == 1}
    header_row = None
    if ws.print_title_rows:
        header_row = int(ws.print_title_rows.split(":")[0].lstrip("$"))
    elif not merged:
        header_row = 1  # a plain table: its first row is the header
    ncols = ws.max_column
    widths = [ws.column_dimensions[_col(i)].width or 10 for i in range(1, ncols + 1)]
    scale = pdf.LANDSCAPE_WIDTH / sum(widths) if sum(widths) else 1
    blocks: list[Any] = []
    table_rows: list[list[Any]] = []
    header: list[str] = []
    skipped_title = False

    def flush() -> None:
        if header and table_rows:
            sections = [i for i, row in enumerate(table_rows) if not isinstance(row[0], str)]
            blocks.append(pdf.table(header, list(table_rows), [w * scale for w in widths],
                                    styles=[_col_style(table_rows, i) for i in range(ncols)], spans=sections))
        table_rows.clear()

    for r in range(1, ws.max_row + 1):
        cells = [ws.cell(r, c) for c in range(1, ncols + 1)]
        values = [_show(c.value, c.number_format) for c in cells]
        if r == header_row:
            header = values
            continue
        if r in merged and merged[r].max_col >= ncols:
            text = values[0]
            if header and header_row is not None and r > header_row and cells[0].font.b \
                    and cells[0].fill.fgColor.rgb not in (None, "00000000"):
                table_rows.append([pdf.p(text, "cellb"), *[""] * (ncols - 1)])  # a section row in the table
                continue
            if header_row is not None and r > header_row:
                flush()
            if not skipped_title and r == 1:
                skipped_title = True  # the sheet's own title: the document's title block says it
                continue
            if text and not text.startswith("Bron: tariefmodel"):  # the closing note says it, without 'Manifest'
                blocks.append(pdf.p(text, "cellb" if cells[0].font.b else "body"))
            continue
        if header_row is not None and r > header_row and any(values):
            table_rows.append(values)
        elif any(values):
            blocks.append(pdf.p("  ".join(v for v in values if v), "body"))
    flush()
    return blocks


def _col(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


def _col_style(rows: list[list[Any]], i: int) -> str:
    cells = [r[i] for r in rows if isinstance(r[i], str) and r[i]]
    return "num" if cells and all(c.startswith("€") for c in cells) else "cell"


def _show(v: Any, number_format: str) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%d-%m-%Y")
    if isinstance(v, int | float) and not isinstance(v, bool):
        d = Decimal(str(v))
        places = _places(number_format, d)
        if "€" in number_format:
            return eur(d)
        if "%" in number_format:
            return _nl(excel_round(d * 100, max(places, 0))) + "%"
        return _nl(excel_round(d, places))
    return str(v)


def _places(number_format: str, d: Decimal) -> int:
    """The decimals a cell's number format shows (two for a General number with a fraction)."""
    if "." in number_format:
        return sum(1 for ch in number_format.split(".", 1)[1] if ch in "0#")
    if number_format in ("General", ""):
        return 0 if d == d.to_integral_value() else 2
    return 0


def _nl(d: Decimal) -> str:
    """A number in Dutch: decimal comma, thousands with a point."""
    text = f"{d:,f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _document(story: Any, title: str, subject: str, footer: str, *, landscape: bool = False) -> Pdf:
    return Pdf(lambda man: pdf.render(story(man), man, title=title, subject=subject, footer=footer,
                                      landscape=landscape))


def _nl_date(iso: str) -> str:
    """An ISO date (2024-07-01) as the Dutch read it (01-07-2024); anything else as it is."""
    return f"{iso[8:10]}-{iso[5:7]}-{iso[:4]}" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso or "") else iso


def _eur(x: Any) -> str:
    return "" if x is None else eur(x)
