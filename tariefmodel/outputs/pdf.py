"""PDF documents with ReportLab: A4, Dutch hyphenation, page numbers, the manifest in the metadata.

Every PDF of tariefmodel is built here from a story of flowables (see :mod:`pdf_documents`):

* A4, portrait; a document may switch to landscape pages for a wide appendix (``LANDSCAPE``);
* a footer on every page with what the document is and "pagina N van M" (a two-pass canvas);
* Dutch hyphenation (pyphen's ``nl_NL`` patterns through ReportLab's ``hyphenationLang``): a word is
  hyphenated at a syllable, never cut mid-word; only what no syllable fits (codes, hashes, web
  addresses wider than their table column) is broken at the column's edge;
* tables repeat their header row on every page;
* the run manifest as JSON in the Keywords field of the document information
  (``tariefmodel-manifest:{...}``), read back by ``verify``; the pages only carry a short note;
* ``invariant=1``: a fixed creation date and document ID, so identical inputs give identical bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as wide
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

MANIFEST_MARK = "tariefmodel-manifest:"
MARGIN = 15 * mm
PORTRAIT, LANDSCAPE = "staand", "liggend"
HEAD_BG = colors.HexColor("#DDEBF7")
BAND_BG = colors.HexColor("#F5F7FA")
RULE = colors.HexColor("#1F4E79")


def _style(name: str, size: float, **kw: Any) -> ParagraphStyle:
    base: dict[str, Any] = {"fontName": "Helvetica", "fontSize": size, "leading": size * 1.25,
                            "hyphenationLang": "nl_NL", "embeddedHyphenation": 1, "splitLongWords": 0}
    base.update(kw)
    return ParagraphStyle(name, **base)


STYLES: dict[str, ParagraphStyle] = {
    "title": _style("title", 17, fontName="Helvetica-Bold", leading=21, spaceAfter=4, textColor=RULE),
    "h2": _style("h2", 12.5, fontName="Helvetica-Bold", leading=16, spaceBefore=10, spaceAfter=4, textColor=RULE),
    "h3": _style("h3", 10.5, fontName="Helvetica-Bold", leading=13, spaceBefore=6, spaceAfter=2),
    "body": _style("body", 9.5, spaceAfter=3),
    "small": _style("small", 8, splitLongWords=1),
    "note": _style("note", 7.5, textColor=colors.HexColor("#555555")),
    # Table cells: hyphenated first; a word still wider than its column (a web address) breaks at the edge
    # rather than running into the next column.
    "cell": _style("cell", 8, splitLongWords=1),
    "cellb": _style("cellb", 8, fontName="Helvetica-Bold"),
    "num": _style("num", 8, alignment=TA_RIGHT),
    "head": _style("head", 8, fontName="Helvetica-Bold"),
    "tiny": _style("tiny", 6.5, splitLongWords=1),
    "tinyhead": _style("tinyhead", 6.5, fontName="Helvetica-Bold"),
    # Codes, paths and hashes have no syllables: these alone may break anywhere.
    "code": _style("code", 7, fontName="Courier", splitLongWords=1, hyphenationLang=""),
    "mono": _style("mono", 7, fontName="Courier", leading=8.6, hyphenationLang=""),
    "tinycode": _style("tinycode", 6, fontName="Courier", splitLongWords=1, hyphenationLang=""),
}


def esc(text: object) -> str:
    """Text for a Paragraph (which reads a small markup language)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def p(text: object, style: str = "body") -> Paragraph:
    return Paragraph(esc(text), STYLES[style])


def markup(text: str, style: str = "body") -> Paragraph:
    """A paragraph whose text already is markup (bold labels); callers escape the values."""
    return Paragraph(text, STYLES[style])


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float], *,
          styles: Sequence[str] | None = None, size: str = "cell", shade: bool = True,
          row_backgrounds: dict[int, Any] | None = None, spans: Sequence[int] = ()) -> Table:
    """A table whose header repeats on every page; cells wrap (hyphenated), rows never split over pages.

    ``styles`` names a paragraph style per column ("num" right-aligns amounts, "code" lets codes break);
    a cell that already is a Flowable is used as it is.
    """
    head_style = "tinyhead" if size == "tiny" else "head"
    col_styles = list(styles) if styles is not None else [size] * len(header)
    data: list[list[Any]] = [[p(h, head_style) for h in header]]
    for row in rows:
        data.append([c if isinstance(c, Flowable) else p("" if c is None else c, col_styles[i])
                     for i, c in enumerate(row)])
    t = Table(data, colWidths=list(widths), repeatRows=1, splitInRow=0)
    cmds: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#C8CCD4")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if shade:
        cmds.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, BAND_BG]))
    for i in spans:  # a heading row inside the table, over its whole width
        cmds += [("SPAN", (0, i + 1), (-1, i + 1)), ("BACKGROUND", (0, i + 1), (-1, i + 1), colors.HexColor("#E2EFDA"))]
    for i, bg in (row_backgrounds or {}).items():
        cmds.append(("BACKGROUND", (0, i + 1), (-1, i + 1), bg))
    t.setStyle(TableStyle(cmds))
    return t


def revision_date(root: Path) -> str:
    """The date of the last commit that changed the inputs, in Dutch (dd-mm-jjjj); never the clock.

    The inputs, not the repository: a later commit that changes no input changes no document.
    """
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%cs", "--", "parameters", "cao_tables",
                              "benchmarks"], capture_output=True, text=True, check=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    if len(out) != 10:
        return ""
    y, m, d = out.split("-")
    return f"{d}-{m}-{y}"


def revision_text(manifest: dict[str, Any], date: str) -> str:
    rev = manifest.get("data_revision") or {}
    commit = rev.get("git_commit")
    if not commit:
        return "onbekend (de gegevensmap is geen git-repository)"
    text = f"{commit[:12]}" + (f" van {date}" if date else "")
    if rev.get("uncommitted_input_changes"):
        text += ", met niet-vastgelegde wijzigingen in de invoer"
    return text


def title_block(what: str, region: str, year: object, manifest: dict[str, Any], date: str,
                extra: Sequence[tuple[str, str]] = ()) -> list[Flowable]:
    """The opening of every document: what it is, for which region and year, from which data revision."""
    rows = [("Regio", region), ("Tariefjaar", str(year)), *extra,
            ("Gegevens", f"data-revisie {revision_text(manifest, date)}")]
    out: list[Flowable] = [p(what, "title")]
    out.append(_labels(rows))
    out.append(Spacer(1, 4 * mm))
    return out


def _labels(rows: Sequence[tuple[str, str]]) -> Table:
    data = [[p(k, "cellb"), p(v, "body")] for k, v in rows]
    t = Table(data, colWidths=[32 * mm, 140 * mm], hAlign="LEFT")
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 0.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)]))
    return t


def inputs_summary(manifest: dict[str, Any]) -> str:
    """One short hash over all recorded input hashes: enough to tell two data states apart on paper."""
    inputs = manifest.get("inputs", {})
    joined = "\n".join(f"{k} {v}" for k, v in sorted(inputs.items()))
    return f"{len(inputs)} invoerbestanden, samen SHA-256 {hashlib.sha256(joined.encode('utf-8')).hexdigest()[:16]}"


def closing_note(manifest: dict[str, Any]) -> list[Flowable]:
    """The small note on the last page: engine, inputs in one hash, how to check. Not a page of hashes."""
    text = (f"Gemaakt met tariefmodel {esc(manifest.get('engine_version', ''))}; "
            f"{esc(inputs_summary(manifest))}. Het volledige manifest (opdracht, data-revisie, SHA-256 per "
            f"invoerbestand) staat in de documenteigenschappen van dit bestand. Controleer met "
            f"<font name='Courier'>tariefmodel verify &lt;dit bestand&gt;</font>.")
    return [Spacer(1, 6 * mm), markup(text, "note")]


def manifest_keywords(manifest: dict[str, Any]) -> str:
    return MANIFEST_MARK + json.dumps(manifest, ensure_ascii=True, sort_keys=True, separators=(",", ":"))


def _numbered_canvas(footer: str) -> type[Canvas]:
    """A canvas that holds its pages until the end, so each can say 'pagina N van M'."""

    class Numbered(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for n, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                width, _ = self._pagesize
                self.saveState()
                self.setFont("Helvetica", 7.5)
                self.setFillColor(colors.HexColor("#555555"))
                self.drawString(MARGIN, 9 * mm, footer[:120])
                self.drawRightString(width - MARGIN, 9 * mm, f"pagina {n} van {total}")
                self.restoreState()
                Canvas.showPage(self)
            Canvas.save(self)

    return Numbered


def render(story: list[Flowable], manifest: dict[str, Any], *, title: str, subject: str, footer: str,
           landscape: bool = False) -> bytes:
    """The PDF of ``story`` as bytes: A4, portrait (or ``landscape`` from the first page), switching where asked."""
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=MARGIN + 4 * mm, title=title, author="tariefmodel", subject=subject,
                          creator="tariefmodel", keywords=manifest_keywords(manifest), invariant=1, lang="nl-NL")
    templates = []
    sizes = [(PORTRAIT, A4), (LANDSCAPE, wide(A4))]
    for name, size in (sizes[::-1] if landscape else sizes):  # the first template opens the document
        w, h = size
        frame = Frame(MARGIN, MARGIN + 4 * mm, w - 2 * MARGIN, h - 2 * MARGIN - 4 * mm, id=name,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        templates.append(PageTemplate(id=name, frames=[frame], pagesize=size))
    doc.addPageTemplates(templates)
    doc.build([*story, *closing_note(manifest)], canvasmaker=_numbered_canvas(footer))
    return buf.getvalue()


def to_landscape() -> list[Flowable]:
    """The flowables that start landscape pages from here on."""
    return [NextPageTemplate(LANDSCAPE), PageBreak()]


def to_portrait() -> list[Flowable]:
    return [NextPageTemplate(PORTRAIT), PageBreak()]


PORTRAIT_WIDTH = A4[0] - 2 * MARGIN
LANDSCAPE_WIDTH = A4[1] - 2 * MARGIN
StoryBuilder = Callable[[dict[str, Any]], list[Flowable]]
__all__ = ["KeepTogether", "PageBreak", "Paragraph", "ParagraphStyle", "Spacer", "StoryBuilder"]
