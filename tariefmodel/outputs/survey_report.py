"""Rendering the cost-price survey report: one self-contained HTML page (A4 print stylesheet) or a workbook.

Both carry the run manifest (HTML in a closing comment plus a visible section, the
workbook on its Manifest sheet), with the survey files' hashes under ``survey_inputs``.
Every text is escaped; numbers in Dutch format. Suppressed figures read
"te weinig respondenten"; the report names no respondent.
"""

from __future__ import annotations

import html
import io
from decimal import Decimal
from typing import Any

from tariefmodel.survey.aggregate import Figure, Parameter, SurveyResult
from tariefmodel.survey.coverage import Coverage
from tariefmodel.survey.format import number, pct

SUPPRESSED = "te weinig respondenten"


def _n(fig: Figure | Coverage, min_n: int) -> str:
    return f"< {min_n}" if fig.suppressed else str(fig.n)


def _range(fig: Figure, unit: str) -> str:
    return "" if fig.suppressed else f"{number(fig.low, unit)} – {number(fig.high, unit)}"


CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1100px;color:#1b1b1b;
line-height:1.4;padding:0 1rem;font-size:15px}h1{font-size:1.5rem;margin-bottom:.2rem}
h2{margin-top:2rem;border-bottom:2px solid #1f4e79;color:#1f4e79;font-size:1.2rem}h3{font-size:1rem;margin:1.2rem 0 .2rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.4rem 0 .8rem}
th,td{border:1px solid #ccd;padding:.25rem .45rem;vertical-align:top;text-align:left}
th{background:#ddebf7}tbody tr:nth-child(even){background:#f7f9fc}
.num{text-align:right;white-space:nowrap}.sup{color:#777;font-style:italic}
.finding{background:#fff4d6}.ok{color:#2e6b2e}.out{color:#9c2a00;font-weight:600}
.box{border:1px solid #ccd;background:#f7f9fc;padding:.6rem .9rem;margin:.8rem 0}
.small{color:#555;font-size:.8rem}
.products{table-layout:fixed}.products td.num,.products th.num{white-space:normal}
.def{color:#444;font-size:.85rem;margin:.1rem 0 .3rem}
@page{size:A4;margin:14mm 12mm}
@media print{body{max-width:none;margin:0;padding:0;font-size:9.5pt}h2{break-after:avoid;page-break-after:avoid}
h3{break-after:avoid;page-break-after:avoid}table{font-size:8pt}tr,.box{break-inside:avoid;page-break-inside:avoid}
a{color:inherit;text-decoration:none}}
"""


def _cells(fig: Figure, unit: str, min_n: int) -> str:
    e = html.escape
    if fig.suppressed:
        return (f"<td>{e(fig.label)}</td><td class=num>{e(_n(fig, min_n))}</td>"
                f"<td class=sup colspan=4>{SUPPRESSED}</td>")
    return (f"<td>{e(fig.label)}</td><td class=num>{fig.n}</td><td class=num>{e(number(fig.median, unit))}</td>"
            f"<td class=num>{e(number(fig.p25, unit))}</td><td class=num>{e(number(fig.p75, unit))}</td>"
            f"<td class=num>{e(_range(fig, unit))}</td>")


def _model_line(p: Parameter) -> str:
    e = html.escape
    items = []
    for m in p.model:
        fig = p.figure(m.group)
        if m.finding:
            verdict = '<span class="out">buiten P25–P75</span>'
        elif fig is None or fig.suppressed:
            verdict = '<span class="sup">niet te toetsen (te weinig respondenten)</span>'
        else:
            verdict = '<span class="ok">binnen P25–P75</span>'
        group = "" if m.group == "alle" else f" (vergeleken met {e(fig.label if fig else m.group)})"
        items.append(f"<li>{e(m.label)}: <b>{e(number(m.value, p.unit))}</b>{group} – {verdict}</li>")
    if not items:
        return "<p class=def>Geen modelwaarde voor deze parameter.</p>"
    return "<p class=def>Modelwaarde " + "</p><ul class=def>" + "".join(items) + "</ul>"


def _product_cell(p: Parameter) -> str:
    """Median (P25-P75) of a product parameter, and the model's value beneath it."""
    e = html.escape
    f = p.overall
    figure = f'<span class="sup">{SUPPRESSED}</span>' if f.suppressed else \
        e(f"{number(f.median, p.unit)} ({number(f.p25, p.unit)}–{number(f.p75, p.unit)})")
    if not p.model:
        return figure
    m = p.model[0]
    model = e(f"model {number(m.value, p.unit)}")
    return f"{figure}<br><span class='{'out' if m.finding else 'small'}'>{model}</span>"


def to_html(result: SurveyResult, manifest: dict[str, Any]) -> str:
    from tariefmodel.trail.manifest import html_comment

    e = html.escape
    s = result.settings
    min_n = s.min_respondents
    out = ["<!DOCTYPE html>", '<html lang="nl"><head><meta charset="utf-8">',
           f"<title>Kostprijsonderzoek {result.year} {e(result.region)}</title>",
           f"<style>{CSS}</style></head><body>",
           f"<h1>Kostprijsonderzoek {result.year}</h1><p class=small>{e(result.region)}</p>",
           "<div class=box>",
           f"<p><b>{result.n} respondenten</b> (de laatste versie van elke inzending). Cijfers per parameter: het aantal "
           f"respondenten (n), de gewogen mediaan, het 25e en 75e percentiel (P25, P75) en de bandbreedte (laagste – "
           f"hoogste waarde).</p>",
           f"<p><b>Vertrouwelijkheid.</b> Dit rapport noemt geen aanbieder en geen individueel cijfer. Een cijfer dat op "
           f"minder dan {min_n} respondenten steunt, wordt niet getoond: '{SUPPRESSED}'. Bron van deze drempel: "
           f"{e(s.min_respondents_source)}{' (aanname)' if s.min_respondents_assumption else ''}.</p>",
           "<p><b>Gewogen percentiel.</b> Elke verhouding telt mee met het gewicht van haar noemer (bijvoorbeeld "
           "productiviteit met de contracturen, groepsgrootte met het volume van het product): de gewogen mediaan is "
           "de mediaan over de uren of euro's, niet over de aanbieders. Valt een percentiel precies op de grens tussen "
           "twee waarden, dan geldt het midden daarvan (zoals bij de gewone mediaan van een even aantal).</p>",
           "</div>"]

    out.append("<h2>Bevindingen</h2>")
    if result.findings:
        out.append("<p>Modelwaarden die buiten P25–P75 van het kostprijsonderzoek liggen:</p><ul>")
        out += [f'<li class="finding">{e(f)}</li>' for f in result.findings]
        out.append("</ul>")
    else:
        out.append("<p>Geen modelwaarde ligt buiten P25–P75 (voor zover te toetsen).</p>")

    out.append("<h2>Parameters</h2>")
    head = ("<table><thead><tr><th style='width:34%'>groep</th><th class=num>n</th><th class=num>gewogen mediaan</th>"
            "<th class=num>P25</th><th class=num>P75</th><th class=num>bandbreedte</th></tr></thead><tbody>")
    for p in result.parameters:
        if p.product:
            continue
        out.append(f"<h3>{e(p.label)}</h3><p class=def>{e(p.definition)}; gewogen naar {e(p.weight)}.</p>")
        out.append(head + "".join(f"<tr>{_cells(f, p.unit, min_n)}</tr>" for f in p.figures) + "</tbody></table>")
        out.append(_model_line(p))

    out.append("<h2>Per product</h2>")
    out.append("<p class=def>Eigen kostprijs per eenheid = totale kosten / directe clienturen × personele uren per "
               "eenheid / groepsgrootte (minuutproducten: / 60), vergeleken met het tarief van de regio voor de CAO van "
               "de respondent (of het basistarief), micro of regulier. 'Gedekt': de eigen kostprijs is niet hoger dan "
               f"het tarief. 'Onbedoelde ruimte': opbrengst per eenheid meer dan {e(pct(result.margin, 0))} "
               "boven de eigen kostprijs (alleen aantallen).</p>")
    out.append("<table class=products><thead><tr><th style='width:6%'>code</th><th style='width:25%'>product</th>"
               "<th class=num style='width:6%'>n</th><th class=num>groepsgrootte<br>mediaan (P25–P75)</th>"
               "<th class=num>personele uren per eenheid<br>mediaan (P25–P75)</th><th class=num>kosten gedekt</th>"
               "<th class=num>mediaan tekort</th><th class=num style='width:9%'>onbedoelde ruimte</th></tr></thead><tbody>")
    by_code: dict[str, list[Parameter]] = {}
    for p in result.parameters:
        if p.product:
            by_code.setdefault(p.product, []).append(p)
    for c in result.coverage:
        out.append(f"<tr><td>{e(c.code)}</td><td>{e(c.name)}<br><span class=small>per {e(c.unit)}</span></td>"
                   f"<td class=num>{e(_n(c, min_n))}</td>")
        for p in by_code.get(c.code, []):
            out.append(f"<td class=num>{_product_cell(p)}</td>")
        if c.suppressed:
            out.append(f"<td class=sup colspan=3>{SUPPRESSED}</td></tr>")
            continue
        assert c.share_covered is not None
        short = "geen tekort" if not c.short else (
            f"{number(c.shortfall_median_eur, 'EUR')} ({pct(c.shortfall_median_pct or Decimal(0), 1)})"
            if c.shortfall_median_eur is not None else f"{SUPPRESSED} ({c.short} met tekort)")
        out.append(f"<td class=num>{c.covered} van {c.n}<br>({e(pct(c.share_covered, 0))})</td>"
                   f"<td class=num>{e(short)}</td><td class=num>{c.surplus}</td></tr>")
    out.append("</tbody></table>")

    out.append("<h2>Interne consistentie</h2>")
    if result.warnings:
        out.append("<p>Bij de import gesignaleerd (aantal respondenten; de laatste versie telt):</p><ul>")
        out += [f"<li>{e(kind)}: {count}</li>" for kind, count in result.warnings]
        out.append("</ul>")
    else:
        out.append("<p>Geen waarschuwingen bij de import.</p>")

    rev = (manifest.get("data_revision") or {}).get("git_commit", "geen git")
    out.append(f"<h2>Herkomst</h2><p class=small><!-- herkomst -->engine {e(str(manifest.get('engine_version')))}, "
               f"data {e(str(rev))}, {len(manifest.get('inputs', {}))} invoerbestanden en "
               f"{len(manifest.get('survey_inputs', {}))} antwoordbestanden met hun SHA-256 in het manifest van dit "
               f"bestand.</p>")
    out.append(html_comment(manifest))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def xlsx_bytes(result: SurveyResult, manifest: dict[str, Any]) -> bytes:
    import xlsxwriter

    from tariefmodel.outputs import writers

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": writers.FIXED_TIME, "author": "tariefmodel"})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    fmts = {"fractie": wb.add_format({"num_format": "0.00%"}), "EUR": wb.add_format({"num_format": "€ #,##0.00"}),
            "": wb.add_format({"num_format": "0.00"})}
    min_n = result.settings.min_respondents

    def fmt(unit: str) -> Any:
        return fmts["fractie"] if unit == "fractie" else fmts["EUR"] if unit.startswith("EUR") else fmts[""]

    def sheet(name: str, cols: list[str], widths: list[int]) -> Any:
        ws = wb.add_worksheet(name)
        for j, (col, w) in enumerate(zip(cols, widths, strict=True)):
            ws.write_string(0, j, col, head)
            ws.set_column(j, j, w)
        ws.freeze_panes(1, 0)
        return ws

    ws = sheet("Parameters", ["parameter", "eenheid", "groep", "n", "gewogen mediaan", "P25", "P75", "laagste",
                              "hoogste"], [44, 12, 34, 8, 16, 12, 12, 12, 12])
    r = 1
    for p in result.parameters:
        for f in p.figures:
            ws.write_string(r, 0, p.label)
            ws.write_string(r, 1, p.unit)
            ws.write_string(r, 2, f.label)
            ws.write_string(r, 3, _n(f, min_n))
            if f.suppressed:
                ws.write_string(r, 4, SUPPRESSED)
            else:
                for j, v in enumerate((f.median, f.p25, f.p75, f.low, f.high), start=4):
                    ws.write_number(r, j, float(v), fmt(p.unit))  # type: ignore[arg-type]
            r += 1
    ws = sheet("Modelwaarden", ["parameter", "modelwaarde", "waarde", "bevinding"], [40, 60, 14, 90])
    r = 1
    for p in result.parameters:
        for m in p.model:
            ws.write_string(r, 0, p.label)
            ws.write_string(r, 1, m.label)
            ws.write_number(r, 2, float(m.value), fmt(p.unit))
            ws.write_string(r, 3, m.finding or "")
            r += 1
    ws = sheet("Producten", ["code", "product", "eenheid", "n", "gedekt", "aandeel gedekt", "met tekort",
                             "mediaan tekort", "mediaan tekort %", "onbedoelde ruimte"],
               [8, 44, 10, 8, 10, 14, 12, 14, 14, 16])
    for r, c in enumerate(result.coverage, start=1):
        for j, v in enumerate((c.code, c.name, c.unit, _n(c, min_n))):
            ws.write_string(r, j, v)
        if c.suppressed:
            ws.write_string(r, 4, SUPPRESSED)
            continue
        ws.write_number(r, 4, c.covered or 0)
        ws.write_number(r, 5, float(c.share_covered or 0), fmts["fractie"])
        ws.write_number(r, 6, c.short or 0)
        if c.shortfall_median_eur is not None:
            ws.write_number(r, 7, float(c.shortfall_median_eur), fmts["EUR"])
            ws.write_number(r, 8, float(c.shortfall_median_pct or 0), fmts["fractie"])
        elif c.short:
            ws.write_string(r, 7, SUPPRESSED)
        ws.write_number(r, 9, c.surplus or 0)
    ws = sheet("Toelichting", ["toelichting"], [120])
    notes = [f"Kostprijsonderzoek {result.year}, {result.region}: {result.n} respondenten (laatste versie per respondent).",
             f"Cijfers op minder dan {min_n} respondenten zijn onderdrukt ('{SUPPRESSED}'). Bron: "
             f"{result.settings.min_respondents_source}.",
             "Gewogen mediaan en percentielen: elke verhouding weegt met haar noemer; op de grens tussen twee waarden "
             "geldt het midden.", *(f"Bevinding: {f}" for f in result.findings),
             *(f"Waarschuwing bij import: {k}: {n} respondenten" for k, n in result.warnings)]
    for r, text in enumerate(notes, start=1):
        ws.write_string(r, 0, str(writers.safe_text(text)))
    writers.write_manifest_sheet(wb, manifest)
    wb.close()
    return buf.getvalue()


def pdf(result: SurveyResult, region: Any, year: int) -> Any:
    """The report as an A4 PDF: the sheets of its workbook, printed (see pdf_documents.workbook_pdf)."""
    from tariefmodel.outputs.pdf_documents import workbook_pdf

    return workbook_pdf(lambda tmp, man: tmp.write_bytes(xlsx_bytes(result, man)),
                        f"Kostprijsonderzoek {year}", region, year,
                        [("Document", "rapport van het kostprijsonderzoek: per parameter n, gewogen mediaan, P25-P75, "
                          "naast de modelwaarde")])
