"""Charts drawn with ReportLab's own graphics: in a PDF as a drawing, in HTML as inline SVG.

No plotting library at run time: a ``Drawing`` goes into a PDF story as it is and
``reportlab.graphics.renderSVG`` turns the same drawing into the SVG of the HTML report.
Two charts, labels in Dutch:

* ``waterfall``: the build-up of one tariff (direct personnel cost, + client costs,
  + overhead, + no-show, + winst en risico = tarief);
* ``benchmark_chart``: the tariffs of a product (lowest to highest over its CAO variants)
  beside the tariffs other regions publish for a comparable product (benchmarks/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from tariefmodel.data.money import excel_round
from tariefmodel.data.numbers import eur

BLUE = colors.HexColor("#1F4E79")
LIGHT = colors.HexColor("#9DC3E6")
GREY = colors.HexColor("#BFBFBF")
ORANGE = colors.HexColor("#C55A11")
TEXT = colors.HexColor("#1B1B1B")


def waterfall(t: Any, width: float = 480, height: float = 210) -> Drawing | None:
    """The build-up of a priced tariff as a waterfall; None for a tariff without a cost build-up."""
    needed = ("direct_staff_cost", "client_costs_total", "overhead", "no_show", "profit_risk", "tariff_eur")
    if not all(hasattr(t, a) for a in needed) or getattr(t, "direct_staff_cost", None) is None:
        return None
    travel = getattr(t, "travel_time_cost", Decimal(0)) or Decimal(0)
    steps: list[tuple[str, Decimal]] = [("directe\npersoneelskosten", Decimal(t.direct_staff_cost) + travel),
                                        ("+ cliëntgebonden\nkosten", Decimal(t.client_costs_total)),
                                        ("+ overhead", Decimal(t.overhead)),
                                        ("+ no-show", Decimal(t.no_show)),
                                        ("+ winst en\nrisico", Decimal(t.profit_risk))]
    total = Decimal(t.tariff_eur)
    rounding = total - sum(v for _, v in steps)  # the tariff is rounded to cents: the last cent shows in 'tarief'
    d = Drawing(width, height)
    left, bottom, top = 10, 38, height - 18
    n = len(steps) + 1
    slot = (width - left) / n
    bar = slot * 0.62
    scale = (top - bottom) / float(max(total, Decimal("0.01")))
    level = Decimal(0)
    for i, (label, value) in enumerate([*steps, ("tarief", total)]):
        x = left + i * slot + (slot - bar) / 2
        last = i == n - 1
        y0 = 0 if last else level
        h = total if last else value
        colour = BLUE if last else (LIGHT if i == 0 else colors.HexColor("#5B9BD5"))
        d.add(Rect(x, bottom + float(y0) * scale, bar, max(float(h) * scale, 0.6), fillColor=colour,
                   strokeColor=None))
        shown = eur(excel_round(total if last else value, 2))
        d.add(String(x + bar / 2, bottom + float(y0 + h) * scale + 3, shown, fontName="Helvetica-Bold" if last
                     else "Helvetica", fontSize=7.5, textAnchor="middle", fillColor=TEXT))
        for k, part in enumerate(label.split("\n")):
            d.add(String(x + bar / 2, bottom - 10 - 8.5 * k, part, fontName="Helvetica", fontSize=7,
                         textAnchor="middle", fillColor=TEXT))
        if not last:
            nxt = level + value
            d.add(Line(x + bar, bottom + float(nxt) * scale, x + slot, bottom + float(nxt) * scale,
                       strokeColor=GREY, strokeWidth=0.5, strokeDashArray=[2, 2]))
            level = nxt
    d.add(Line(left, bottom, width, bottom, strokeColor=TEXT, strokeWidth=0.6))
    unit = t.product.product.unit
    note = f"Opbouw van het tarief per {unit} (euro)"
    if excel_round(rounding, 2):
        note += f"; afronding op centen {eur(excel_round(rounding, 2))}"
    d.add(String(left, height - 8, note, fontName="Helvetica-Bold", fontSize=8, fillColor=TEXT))
    return d


@dataclass(frozen=True)
class BenchRow:
    code: str
    name: str
    unit: str  # the unit compared, e.g. 'uur'
    low: Decimal  # our tariffs of the product over its CAO variants
    high: Decimal
    bench_low: Decimal
    bench_high: Decimal
    bench: str  # the benchmark's label


CODE = re.compile(r"\b[0-9]{2}[A-Z0-9][0-9]{2,3}\b")
UNITS = {"EUR/uur": ("uur", "minuut"), "EUR/dagdeel": ("dagdeel",), "EUR/dag": ("etmaal",), "EUR/etmaal": ("etmaal",)}


def tariff_benchmarks(region: Any, book: Any) -> list[BenchRow]:
    """Each product a tariff benchmark names (in its label or note), in a unit both share, against that benchmark.

    A minute product is compared by its hour tariff; products without a common unit are left out.
    """
    general = [t for t in book.tariffs if not t.micro and not t.provider and t.kind not in ("pgb", "extern")]
    by_code: dict[str, list[Any]] = {}
    for t in general:
        by_code.setdefault(t.product.product.code, []).append(t)
    out: list[BenchRow] = []
    for b in region.benchmarks:
        units = UNITS.get(b.unit)
        low = b.low if b.low is not None else b.value
        high = b.high if b.high is not None else b.value
        if units is None or low is None or high is None:
            continue
        for code in dict.fromkeys(CODE.findall(f"{b.label} {b.note or ''}")):
            rows = [t for t in by_code.get(code, []) if t.product.product.unit in units]
            if not rows:
                continue
            values = [_per_unit(t, b.unit) for t in rows]
            out.append(BenchRow(code, rows[0].product.product.name, b.unit.removeprefix("EUR/"), min(values),
                                max(values), Decimal(low), Decimal(high), b.label))
    return out


def _per_unit(t: Any, unit: str) -> Decimal:
    if unit == "EUR/uur" and t.product.product.unit == "minuut":
        return Decimal(t.tariff_eur) * 60
    return Decimal(t.tariff_eur)


def benchmark_chart(rows: list[BenchRow], width: float = 500) -> Drawing:
    """One line per product: our tariffs (blue bar, lowest to highest) and the benchmark (orange)."""
    row_h, top_pad, label_w, text_w = 22, 26, 175, 150
    height = top_pad + row_h * len(rows) + 14
    d = Drawing(width, height)
    d.add(String(0, height - 10, "Tarieven tegen de benchmarks van andere regio's (per eenheid, euro)",
                 fontName="Helvetica-Bold", fontSize=8, fillColor=TEXT))
    x0, x1 = label_w, width - text_w - 6
    for i, r in enumerate(rows):
        y = height - top_pad - i * row_h - 8
        peak = float(max(r.high, r.bench_high)) * 1.15 or 1.0

        def x(v: Decimal, peak: float = peak) -> float:
            return x0 + (x1 - x0) * float(v) / peak

        d.add(String(0, y + 2, f"{r.code} {r.name}"[:40], fontName="Helvetica", fontSize=7, fillColor=TEXT))
        d.add(String(0, y - 7, f"per {r.unit}: {r.bench}"[:48], fontName="Helvetica", fontSize=5.5,
                     fillColor=colors.HexColor("#595959")))
        d.add(Line(x0, y - 6, x1, y - 6, strokeColor=GREY, strokeWidth=0.4))
        d.add(Rect(x(r.low), y, max(x(r.high) - x(r.low), 2), 6, fillColor=BLUE, strokeColor=None))
        d.add(Rect(x(r.bench_low), y - 5, max(x(r.bench_high) - x(r.bench_low), 2), 4, fillColor=ORANGE,
                   strokeColor=None))
        ours = eur(excel_round(r.low, 2)) + ("" if r.low == r.high else " – " + eur(excel_round(r.high, 2)))
        theirs = eur(excel_round(r.bench_low, 2)) + ("" if r.bench_low == r.bench_high
                                                         else " – " + eur(excel_round(r.bench_high, 2)))
        d.add(String(width - text_w, y + 1, f"model {ours}", fontName="Helvetica", fontSize=6.5, fillColor=BLUE))
        d.add(String(width - text_w, y - 7, f"benchmark {theirs}", fontName="Helvetica", fontSize=6.5,
                     fillColor=ORANGE))
    y = 4
    d.add(Rect(x0, y, 10, 5, fillColor=BLUE, strokeColor=None))
    d.add(String(x0 + 13, y, "tarieven in dit model (laagste tot hoogste CAO-variant)", fontName="Helvetica",
                 fontSize=6.5, fillColor=TEXT))
    d.add(Rect(x0 + 200, y, 10, 5, fillColor=ORANGE, strokeColor=None))
    d.add(String(x0 + 213, y, "benchmark", fontName="Helvetica", fontSize=6.5, fillColor=TEXT))
    return d


def svg(d: Drawing) -> str:
    """The drawing as inline SVG for an HTML page (no XML declaration)."""
    from reportlab.graphics import renderSVG

    text = renderSVG.drawToString(d)
    start = text.find("<svg")
    return text[start:] if start >= 0 else text
