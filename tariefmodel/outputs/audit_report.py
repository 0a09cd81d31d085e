"""Rendering the audit report: Markdown, one self-contained HTML page, or a workbook.

Every rendering carries the run manifest (engine, data revision, input hashes):
Markdown and HTML in a closing comment plus a visible section, the workbook on
its Manifest sheet. Labels are Dutch: the process monitor and the colleges read it.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from tariefmodel.data.numbers import date, eur
from tariefmodel.trail.audit import AuditReport

SEVERITY_LABEL = {"fout": "Fout", "waarschuwing": "Waarschuwing", "info": "Info"}
GROUP_FROM = 3  # a finding of one kind and severity repeated this often is shown once, its subjects folded


def grouped(report: AuditReport) -> list[list[Any]]:
    """The findings by kind and severity, in the order they first appear."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for f in report.findings:
        groups.setdefault((f.kind, f.severity), []).append(f)
    return [g for items in groups.values() for g in ([items] if len(items) >= GROUP_FROM else [[f] for f in items])]


def _eur(x: Any) -> str:
    return "" if x is None else eur(x)


def _counts(report: AuditReport) -> dict[str, int]:
    return {s: sum(1 for f in report.findings if f.severity == s) for s in ("fout", "waarschuwing", "info")}


def _day(iso: str) -> str:
    """A register date (ISO text, sortable) as the reader reads it: 01-07-2024; empty stays empty."""
    return date(dt.date.fromisoformat(iso)) if iso else ""


def _md(x: Any) -> str:
    """Text from the data in Markdown: HTML escaped (a renderer passes raw HTML on), pipes escaped, one line."""
    text = html.escape(str(x), quote=False).replace("|", "\\|")
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def to_markdown(report: AuditReport, manifest: dict[str, Any]) -> str:
    from tariefmodel.trail.manifest import html_comment

    c = _counts(report)
    lines = [f"# Auditrapport {_md(report.region)}, tariefjaar {report.year}", "",
             f"{c['fout']} fouten, {c['waarschuwing']} waarschuwingen, {c['info']} meldingen. Gecontroleerd: "
             + _md(", ".join(f"{n} {k}" for k, n in report.checked.items())) + ".", "",
             "## Samenvatting per contract", "",
             "| contract | wet | producten | tarieven | laagste | hoogste | bevindingen | waarden met aanname |",
             "|---|---|---|---|---|---|---|---|"]
    for s in report.contracts:
        lines.append(f"| {_md(s.name)} | {_md(s.law)} | {s.products} | {s.tariffs} | {_eur(s.lowest)} | "
                     f"{_eur(s.highest)} | {s.findings} | {s.assumptions} |")
    lines += ["", "## Bevindingen", "", "| ernst | soort | onderwerp | bevinding | cijfers |", "|---|---|---|---|---|"]
    for f in report.findings:
        figs = "; ".join(f"{k}: {v}" for k, v in f.figures)
        lines.append(f"| {SEVERITY_LABEL[f.severity]} | {_md(f.kind)} | {_md(f.subject)} | {_md(f.message)} | {_md(figs)} |")
    lines += amvb_markdown(report)
    lines += ["", "## Parameterregister", "",
              "| bestand | parameter | waarde | geldig vanaf | bron | brondatum | afweging | besluit | status | aanname "
              "| voedt |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in report.register:
        feeds = f"{len(r.feeds)} tarieven"
        decision = " ".join(x for x in (r.decided_by, _day(r.decided_on)) if x)
        lines.append(f"| {_md(r.file)} | {_md(r.path)} | {_md(r.value)} | {_md(_day(r.valid_from))} | {_md(r.source)} | "
                     f"{_md(_day(r.source_date))} | {_md(r.rationale)} | {_md(decision)} | {_md(r.status)} | "
                     f"{'ja' if r.assumption else ''} | {feeds} |")
    lines += ["", "## Herkomst", "", f"<!-- herkomst --> engine {manifest.get('engine_version')}, data "
              f"{(manifest.get('data_revision') or {}).get('git_commit', 'geen git')}, "
              f"{len(manifest.get('inputs', {}))} invoerbestanden (SHA-256 in het manifest hieronder).", "",
              html_comment(manifest), ""]
    return "\n".join(ln.replace("\n", " ") for ln in lines)


CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1200px;color:#1b1b1b;
line-height:1.4;padding:0 1rem}h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:2px solid #1f4e79;color:#1f4e79}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0;table-layout:fixed}
th,td{border:1px solid #ccd;padding:.3rem .45rem;vertical-align:top;text-align:left;overflow-wrap:break-word;
word-break:normal;hyphens:auto;-webkit-hyphens:auto}td.code{overflow-wrap:anywhere;hyphens:none}
.register td:nth-child(-n+3),.register td:nth-child(5),.register td:nth-child(11),td.small{overflow-wrap:anywhere}
th{background:#ddebf7;position:sticky;top:0}tbody tr:nth-child(even){background:#f7f9fc}
.num{text-align:right;white-space:nowrap}.fout,tbody tr.fout{background:#fde2e1}
.waarschuwing,tbody tr.waarschuwing{background:#fff4d6}.info,tbody tr.info{background:#eef5ff}
.badges span{display:inline-block;margin-right:.6rem;padding:.2rem .6rem;border-radius:1rem;font-weight:600}
.small{color:#555;font-size:.8rem}details summary{cursor:pointer;color:#1f4e79}
.register{font-size:.75rem}.print-only{display:none}.chart svg{width:100%;max-width:1100px;height:auto;font-family:sans-serif}
@media screen{col.w10{width:10%}col.w13{width:13%}col.w15{width:15%}col.w17{width:17%}col.w20{width:20%}
col.w24{width:24%}col.w38{width:38%}}
@page{size:A4;margin:12mm 10mm 14mm}
@page register{size:A4 landscape}
@media print{html{font-size:9pt}body{margin:0;max-width:none;padding:0}h2{break-after:avoid}
table{table-layout:auto}.register .feeds{display:none}
th{position:static}thead{display:table-header-group}tr{break-inside:avoid}
details{display:block}details>summary{display:none}details[open] .fold,details .fold{display:block}
.register-section{page:register}.register{font-size:6.5pt;table-layout:auto}.register td,.register th{padding:.1rem .2rem}
.badges span{border:1px solid #999}.register .print-only{display:table-cell}col.print-only{display:table-column}}
"""


def to_html(report: AuditReport, manifest: dict[str, Any], bench: list[Any] | None = None) -> str:
    from tariefmodel.trail.manifest import html_comment

    e = html.escape
    c = _counts(report)
    out = ["<!DOCTYPE html>", '<html lang="nl"><head><meta charset="utf-8">',
           f"<title>Auditrapport {e(report.region)} {report.year}</title>",
           f"<style>{CSS}</style></head><body>",
           f"<h1>Auditrapport {e(report.region)}, tariefjaar {report.year}</h1>",
           '<p class="badges">'
           f'<span class="fout">{c["fout"]} fouten</span><span class="waarschuwing">{c["waarschuwing"]} '
           f'waarschuwingen</span><span class="info">{c["info"]} meldingen</span></p>',
           "<p>Gecontroleerd: " + e(", ".join(f"{n} {k}" for k, n in report.checked.items())) + ".</p>",
           "<h2>Samenvatting per contract</h2><table class=summary><colgroup><col class=w24><col class=w13>"
           + "<col>" * 6 + "</colgroup><thead><tr><th>contract</th><th>wet</th><th>producten</th>"
           "<th>tarieven</th><th>laagste</th><th>hoogste</th><th>bevindingen</th><th>waarden met aanname</th></tr>"
           "</thead><tbody>"]
    for s in report.contracts:
        out.append(f"<tr><td>{e(s.name)}</td><td>{e(s.law)}</td><td class=num>{s.products}</td><td class=num>"
                   f"{s.tariffs}</td><td class=num>{e(_eur(s.lowest))}</td><td class=num>{e(_eur(s.highest))}</td>"
                   f"<td class=num>{s.findings}</td><td class=num>{s.assumptions}</td></tr>")
    # the finding itself gets the room; severity and kind are short
    out.append("</tbody></table><h2>Bevindingen</h2><table><colgroup><col class=w10><col class=w15>"
               "<col class=w17><col class=w38><col class=w20></colgroup>"
               "<thead><tr><th>ernst</th><th>soort</th><th>onderwerp</th>"
               "<th>bevinding</th><th>cijfers</th></tr></thead><tbody>")
    for items in grouped(report):
        f = items[0]
        if len(items) >= GROUP_FROM:  # a repeated finding once, its subjects folded
            subjects = ", ".join(e(x.subject) for x in items)
            out.append(f'<tr class="{f.severity}"><td>{SEVERITY_LABEL[f.severity]}</td><td>{len(items)}&times; '
                       f"{e(f.kind)}</td><td>{len(items)} onderwerpen</td><td>bijvoorbeeld {e(f.subject)}: {e(f.message)}</td>"
                       f"<td class=small>"
                       f"<details><summary>toon de {len(items)} onderwerpen</summary><div class=fold>{subjects}"
                       f"</div></details></td></tr>")
            continue
        figs = "<br>".join(f"{e(k)}: {e(v)}" for k, v in f.figures)
        out.append(f'<tr class="{f.severity}"><td>{SEVERITY_LABEL[f.severity]}</td><td>{e(f.kind)}</td>'
                   f"<td>{e(f.subject)}</td><td>{e(f.message)}</td><td class=small>{figs}</td></tr>")
    out.append("</tbody></table>" + amvb_html(report))
    if bench:
        from tariefmodel.outputs.charts import benchmark_chart, svg

        out.append("<h2>Tarieven tegen benchmarks</h2><div class=chart>" + svg(benchmark_chart(bench, 760)) + "</div>")
    out.append("<section class=register-section><h2>Parameterregister</h2><table class=register><colgroup>"
               "<col style=width:11%><col style=width:14%><col style=width:8%><col style=width:6%>"
               "<col style=width:17%><col style=width:6%><col style=width:17%><col style=width:6%>"
               "<col style=width:5%><col style=width:4%><col style=width:6%><col class=print-only></colgroup>"
               "<thead><tr><th>bestand</th><th>parameter</th>"
               "<th>waarde</th><th>geldig vanaf</th><th>bron</th><th>brondatum</th><th>afweging</th><th>besluit</th>"
               "<th>status</th><th>aanname</th><th class=feeds>voedt</th><th class=print-only>voedt</th></tr>"
               "</thead><tbody>")
    for r in report.register:
        decision = " ".join(x for x in (r.decided_by, _day(r.decided_on)) if x)
        feeds = ", ".join(sorted(r.feeds)[:6]) + (f" en {len(r.feeds) - 6} meer" if len(r.feeds) > 6 else "")
        out.append(f"<tr><td class=small>{e(r.file)}</td><td>{e(r.path)}</td><td>{e(r.value)}</td>"
                   f"<td>{e(_day(r.valid_from))}</td><td class=small>{e(r.source)}</td><td>{e(_day(r.source_date))}</td>"
                   f"<td class=small>{e(r.rationale)}</td><td>{e(decision)}</td><td>{e(r.status)}</td>"
                   f"<td>{'ja' if r.assumption else ''}</td><td class='small feeds'>{len(r.feeds)}: {e(feeds)}</td>"
                   f"<td class='num print-only'>{len(r.feeds)}</td></tr>")
    rev = (manifest.get("data_revision") or {}).get("git_commit", "geen git")
    version = e(str(manifest.get("engine_version")))
    out.append(f"</tbody></table></section><h2>Herkomst</h2><p class=small><!-- herkomst -->engine {version}, "
               f"data {e(str(rev))}, {len(manifest.get('inputs', {}))} invoerbestanden met hun SHA-256 in het "
               f"manifest van dit bestand.</p>")
    out.append(html_comment(manifest))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- the AMvB check


AMVB_TITLE = "AMvB reële prijs: kostprijselementen en de parameters die ze dekken"


AMVB_SHOWN = 4  # parameters named per file; the register lists them all


def _amvb_parameters(params: tuple[str, ...]) -> list[str]:
    """The matching parameters grouped per file (per CAO folder for CAO data): 'file: a, b, c en 5 meer'."""
    by_file: dict[str, list[str]] = {}
    for p in params:
        file, _, path = p.partition(": ")
        if file.startswith("cao_tables/"):  # one line per CAO: its tables, function map and rules
            file, _, name = file.rpartition("/")
            path = "salaristabellen" if name.endswith(".csv") else f"{name.removesuffix('.yaml')} {path}".strip()
        paths = by_file.setdefault(file, [])
        if path and path not in paths:
            paths.append(path)
    out = []
    for f, paths in by_file.items():
        if not paths:
            out.append(f)
            continue
        more = f" en {len(paths) - AMVB_SHOWN} meer" if len(paths) > AMVB_SHOWN else ""
        out.append(f"{f}: {', '.join(paths[:AMVB_SHOWN])}{more}")
    return out


def amvb_markdown(report: AuditReport) -> list[str]:
    """The AMvB section as Markdown lines (none when the report has no AMvB check)."""
    if not report.amvb:
        return []
    lines = ["", f"## {AMVB_TITLE}", "", "| wet | artikel | kostprijselement | parameters | toelichting |",
             "|---|---|---|---|---|"]
    for r in report.amvb:
        found = "; ".join(_amvb_parameters(r.parameters)) or "**geen parameter**"
        lines.append(f"| {r.law} | [{_md(r.article)}]({r.address}) | {_md(r.text)} | {_md(found)} | {_md(r.note)} |")
    return lines


def amvb_html(report: AuditReport) -> str:
    """The AMvB section as an HTML fragment ("" when the report has no AMvB check)."""
    if not report.amvb:
        return ""
    e = html.escape
    out = [f"<h2>{e(AMVB_TITLE)}</h2><table><thead><tr><th style='width:7%'>wet</th><th style='width:18%'>artikel"
           "</th><th style='width:22%'>kostprijselement</th><th>parameters</th><th style='width:22%'>toelichting</th>"
           "</tr></thead><tbody>"]
    for r in report.amvb:
        found = "<br>".join(e(x) for x in _amvb_parameters(r.parameters))
        cls = "" if r.parameters else ' class="waarschuwing"'
        out.append(f"<tr{cls}><td>{e(r.law)}</td><td><a href=\"{e(r.address)}\">{e(r.article)}</a></td>"
                   f"<td>{e(r.text)}</td><td class=small>{found or '<b>geen parameter</b>'}</td>"
                   f"<td class=small>{e(r.note)}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def benchmarks(region: Any, year: int, known_on: Any = None) -> list[Any]:
    """The tariffs that a benchmark names, against that benchmark (for the chart of the HTML and PDF report)."""
    from tariefmodel.engine.book import price_book
    from tariefmodel.outputs.charts import tariff_benchmarks

    return tariff_benchmarks(region, price_book(region, year, known_on))


def content(report: AuditReport, suffix: str, region: Any = None, bench: list[Any] | None = None) -> Any:
    """The report as content for ``writers.write_output``: Markdown, HTML, PDF or a workbook."""
    from tariefmodel.outputs import writers

    if suffix == ".md":
        return writers.Text(lambda man: to_markdown(report, man))
    if suffix == ".html":
        return writers.Text(lambda man: to_html(report, man, bench or []))
    if suffix == ".pdf":
        from tariefmodel.outputs.pdf_documents import audit_pdf

        return audit_pdf(report, grouped(report), Path(region.root), bench or [])
    return writers.Workbook(lambda tmp, man: render_xlsx(tmp, report, man))


def render_xlsx(path: Path, report: AuditReport, manifest: dict[str, Any]) -> None:
    """The report as a workbook at ``path`` (write_output makes it atomic)."""
    from tariefmodel.outputs import writers
    from tariefmodel.outputs.workbooks.tariff_sheets import count_lines

    wb = writers.new_workbook(path)
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    sheets = [
        ("Samenvatting", ["contract", "wet", "producten", "tarieven", "laagste", "hoogste", "bevindingen",
                          "waarden met aanname"],
         [[s.name, s.law, s.products, s.tariffs, _eur(s.lowest), _eur(s.highest), s.findings, s.assumptions]
          for s in report.contracts]),
        ("Bevindingen", ["ernst", "soort", "onderwerp", "bevinding", "cijfers"],
         [[SEVERITY_LABEL[f.severity], f.kind, f.subject, f.message, "; ".join(f"{k}: {v}" for k, v in f.figures)]
          for f in report.findings]),
        ("Parameterregister", ["bestand", "parameter", "waarde", "geldig vanaf", "bron", "brondatum", "afweging",
                               "besloten door", "besloten op", "status", "aanname", "aantal tarieven", "voedt"],
         [[r.file, r.path, r.value, r.valid_from, r.source, r.source_date, r.rationale, r.decided_by, r.decided_on,
           r.status, "ja" if r.assumption else "", len(r.feeds), ", ".join(sorted(r.feeds))]
          for r in report.register]),
    ]
    # Narrow enough that the register fits an A4 landscape page at a readable scale; cells wrap.
    widths = {"bevinding": 70, "afweging": 44, "bron": 36, "voedt": 60, "parameter": 30, "contract": 40,
              "cijfers": 50, "bestand": 26, "waarde": 16, "geldig vanaf": 11, "brondatum": 11, "besloten door": 12,
              "besloten op": 11, "status": 9, "aanname": 9, "aantal tarieven": 9}
    for name, cols, rows in sheets:
        ws = wb.add_worksheet(name)
        for j, col in enumerate(cols):
            ws.write_string(0, j, col, head)
            ws.set_column(j, j, widths.get(col, 14), wrap)
        for i, row in enumerate(rows, start=1):
            for j, v in enumerate(row):
                if isinstance(v, int):
                    ws.write_number(i, j, v)
                else:
                    ws.write_string(i, j, str(writers.safe_text(v)))
            # Rows as high as their wrapped text (a spreadsheet does not grow them on opening); 'voedt'
            # (hundreds of codes) does not count: it is read with the filter, not on paper.
            n = max(count_lines(str(v), int(widths.get(c, 14) * 1.15)) for c, v in zip(cols, row, strict=True)
                    if c != "voedt")
            if n > 1:
                ws.set_row(i, 15 * n)
        ws.set_row(0, 30)  # two lines for a wrapped header ('aantal tarieven')
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), len(cols) - 1)
        _print_setup(ws, name, cols, len(rows), report)
    writers.write_manifest_sheet(wb, manifest)
    wb.get_worksheet_by_name("Manifest").hide()  # read by verify, not printed
    wb.close()


def _print_setup(ws: Any, name: str, cols: list[str], n_rows: int, report: AuditReport) -> None:
    """A4, landscape where wide, fitted to the page width, the header row on every page, numbered pages.

    The register prints without its last column (every tariff a value feeds: hundreds of codes per row,
    readable on screen with the filter, not on paper): the count beside it says how many.
    """
    ws.set_paper(9)
    if name != "Samenvatting":
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.3, right=0.3, top=0.5, bottom=0.6)
    ws.repeat_rows(0)
    last = len(cols) - 1 - (1 if name == "Parameterregister" else 0)
    ws.print_area(0, 0, max(n_rows, 1), last)
    title = f"Auditrapport {report.region}, tariefjaar {report.year} - {name}".replace("&", "&&")[:180]
    ws.set_header(f"&L&8{title}")
    ws.set_footer("&R&8pagina &P van &N")
