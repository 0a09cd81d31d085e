"""Indexed contract years: sheet Indexatie (each index rate a named cell) and the chain below a build-up block.

A later contract year's tariff is its first year's tariff indexed year by year
(engine.indexed): per year ROUND(previous x (1 + rate); decimals), with that
year's rounding rules; a minute tariff follows its indexed hour tariff
(buildup.minute_tariff). The chain is written from the engine's own steps
(IndexedTariff.steps), every figure checked against them. A year whose method
follows the CAO is a recalculation with that year's CAO tables: its tariff is a
sourced value, and the rate it implies a formula on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tariefmodel.data.numbers import date, eur
from tariefmodel.data.params import params
from tariefmodel.data.region import Region
from tariefmodel.outputs.workbooks import xlsx
from tariefmodel.outputs.workbooks.formula import ROUND, Cell, X, lit
from tariefmodel.outputs.workbooks.review_products import (
    AMOUNT,
    HOW,
    KEY,
    QTY,
    A,
    Block,
    Differs,
    Formats,
    check,
    hour_x,
    minute_x,
)

SHEET = "Indexatie"
COLUMNS = ["Jaar", "Onderdeel", "Methode of parameter", "Waarde", "Naam in formules", "Bron en afleiding"]
WIDTHS = {0: (7, 7), 1: (30, 44), 2: (16, 26), 3: (12, 13), 4: (22, 30), 5: (60, 90)}
OWN_LINES = ("vng", "components")  # methods whose derivation lines add figures (the others repeat the source)


@dataclass
class IndexNames:
    """The named cells of sheet Indexatie."""

    decimals: dict[int, X] = field(default_factory=dict)  # year -> tariff decimals of that year
    minute: dict[int, X] = field(default_factory=dict)  # year -> minute-tariff method of that year
    rates: dict[tuple[Any, ...], X] = field(default_factory=dict)  # rate_key(step) -> the rate (per series)


def rate_key(step: Any, series: str = "") -> tuple[Any, ...]:
    d = step.derivation
    return (step.method, step.year, d.rate, tuple(sorted(d.component_rates.items())), series)


def write(book: xlsx.Book, region: Region, rows: list[Any], build_year: int, year: int, *,
          minute: bool) -> IndexNames:
    """The rounding rules of each later year and every index rate the indexed ``rows`` use."""
    sh = book.sheet(SHEET)
    sh.header(0, COLUMNS)
    sh.widths(WIDTHS)
    sh.ws.freeze_panes(1, 0)
    sh.print_setup()
    top = book.fmt(valign="top")
    wrap = book.fmt(text_wrap=True, valign="top")
    bold = book.fmt(bold=True)
    note = book.fmt(italic=True, font_color="#404040", text_wrap=True, valign="top")
    inp = {"bg_color": xlsx.INPUT_FILL, "border": 1, "border_color": "#BFBFBF"}
    pct = book.fmt(num_format=xlsx.PCT, **inp)
    num = book.fmt(num_format=xlsx.INT, **inp)
    text = book.fmt(**inp)
    names = IndexNames()
    r = 1
    sh.ws.merge_range(r, 1, r, 5, f"Het eerste contractjaar {build_year} is opgebouwd (Producten); elk later jaar: "
                      "vorig tarief x (1 + indexpercentage), afgerond met de regels van dat jaar.", note)
    sh.ws.set_row(r, 30)  # merged cells do not grow with their text
    r += 2
    sh.text(r, 0, "Afronding per jaar", bold, track=False)
    r += 1
    for y in range(build_year + 1, year + 1):
        view = params(region.cost_model, dt.date(y, 1, 1))
        wanted = [("rounding.tariff_decimals", "Decimalen van het tarief", f"tariff_decimals_{y}", num,
                   names.decimals)]
        if minute:
            wanted.append(("rounding.minute_tariff", "Minuutmethode", f"minute_tariff_method_{y}", text, names.minute))
        for path, label, wanted_name, fmt, into in wanted:
            use = view.get(path)
            sh.number(r, 0, y, top)
            sh.text(r, 1, label, top)
            sh.text(r, 2, path, top)
            cell = sh.value(r, 3, use.value, fmt)
            nm = book.unique_name(wanted_name)
            book.define(nm, cell)
            into[y] = X(nm, cell.value)
            sh.text(r, 4, nm, top)
            e = use.entry
            sh.text(r, 5, f"{use.file}, geldig vanaf {date(e.valid_from)}: {e.source}", wrap)
            r += 1
    r += 1
    sh.text(r, 0, "Indexpercentages", bold, track=False)
    r += 1
    seen: dict[tuple[Any, ...], Any] = {}
    for t in rows:
        for s in t.steps:
            seen.setdefault(rate_key(s), s)
    ix = region.indexation
    for key in sorted(seen, key=lambda k: (k[1], k[0], k[2], k[3])):
        s = seen[key]
        d = s.derivation
        method = ix.methods[s.method] if ix is not None and s.method in ix.methods else None
        label = method.label if method is not None else s.method
        sh.number(r, 0, s.year, top)
        sh.text(r, 1, label, wrap)
        sh.text(r, 2, s.method, top)
        source = f"[{method.source}]" if method is not None else ""
        if s.kind == "follow_cao":
            sh.text(r, 3, "herberekening", top)
            sh.text(r, 5, f"Per tarief herberekend met de CAO-tabellen van {s.year} en de overige parameters van "
                          f"{build_year} (zie het blok in Producten). {source}", wrap)
        elif s.kind == "components":
            sh.text(r, 5, f"Het aandeel loonkosten van het tarief met de loonindex, de rest met de prijsindex. "
                          f"{source}", wrap)
            for series, value in sorted(d.component_rates.items()):
                r += 1
                sh.number(r, 0, s.year, top)
                sh.text(r, 1, f"indexpercentage {series.upper()}", top)
                sh.text(r, 2, s.method, top)
                cell = sh.number(r, 3, value, pct)
                nm = book.unique_name(f"index_{s.method}_{s.year}_{series}")
                book.define(nm, cell)
                names.rates[rate_key(s, series)] = X(nm, cell.value)
                sh.text(r, 4, nm, top)
        else:
            cell = sh.number(r, 3, d.rate, pct)
            nm = book.unique_name(f"index_{s.method}_{s.year}")
            book.define(nm, cell)
            names.rates[key] = X(nm, cell.value)
            sh.text(r, 4, nm, top)
            sh.text(r, 5, source, wrap)
        r += 1
        for what, value in d.lines if s.kind in OWN_LINES else ():  # the derivation: each figure, its publication
            sh.text(r, 1, what, note)
            sh.text(r, 5, value, note)
            r += 1
    sh.ws.hide_gridlines(2)
    return names


def chain(sh: xlsx.Recorder, f: Formats, t: Any, block: Block, r: int, names: IndexNames,
          base_names: dict[str, X]) -> tuple[Block, int]:
    """Below ``block`` (the first year's build-up, or its decided amount): one index step per later year, up
    to ``t``'s tariff."""
    minute = t.hour_tariff is not None
    if minute != (block.hour_cell is not None):
        raise Differs("minute tariff without an hour tariff in the first year")
    sh.text(r, A, f"Indexatie {t.base.year} naar {t.year}", f.subtitle)
    sh.text(r, HOW, t.reason, f.info_wrap)
    r += 1
    prev = block.hour_cell if minute else block.tariff_cell
    assert prev is not None
    hour_cell: Cell | None = block.hour_cell
    tariff_cell = block.tariff_cell
    unit = t.product.product.unit
    for i, s in enumerate(t.steps):
        last = i == len(t.steps) - 1
        check(f"vorig tarief {s.year}", prev, s.before, exact=True)
        dec = names.decimals[s.year]
        if s.kind == "follow_cao":
            sh.text(r, A, f"Herberekend tarief {s.year}" + (" (per uur)" if minute else ""), f.top)
            sh.text(r, KEY, s.method, f.top)
            new = sh.number(r, AMOUNT, s.after, f.in_eur)
            sh.formula(r, QTY, new.local / prev.local - lit(1), f.pct)
            built = getattr(s.rebuilt, "built", None)  # a salary cell the WML lifted: say so (loader.wml_floor)
            lifted = [f"; salaris {pc.scale} trede {x.step} {eur(x.lookup.monthly_eur)}: {x.lookup.note} "
                      f"[{x.lookup.table_file}]" for pc in (st.cost for st in (built.staff if built else ()))
                      for x in pc.steps if x.lookup.note]
            sh.text(r, HOW, f"volgt de CAO: herberekend met de CAO-tabellen van {s.year} en de overige parameters "
                            f"van {t.base.year}; percentage = nieuw / vorig - 1" + "".join(dict.fromkeys(lifted)),
                    f.how)
            r += 1
            if minute:
                hour_cell = new
                if last:
                    sh.text(r, A, f"TARIEF per minuut {s.year}", f.bold)
                    tariff_cell = sh.number(r, AMOUNT, t.tariff_eur, f.tariff)
                    sh.text(r, HOW, "herberekend minuuttarief van dit jaar", f.how)
                    r += 1
            else:
                tariff_cell = new
            check(f"tarief {s.year}", new, s.after, exact=True)
            prev = new
            continue
        rate, r = _rate(sh, f, s, r, names, t)
        sh.text(r, A, f"Indexatie {s.year}", f.top)
        sh.text(r, KEY, s.method, f.top)
        rate_cell = sh.formula(r, QTY, rate, f.pct)
        if not isinstance(rate_cell.value, Decimal) or rate_cell.value != s.rate:
            raise Differs(f"index rate {s.year} is {rate_cell.value} in the workbook but {s.rate} in the engine")
        u_cell = sh.formula(r, AMOUNT, prev.local * (lit(1) + rate_cell.local), f.eur4)
        sh.text(r, HOW, f"vorig {'uurtarief' if minute else 'tarief'} x (1 + indexpercentage "
                        f"{rate.f if rate.prec == 3 else 'van hierboven'})", f.how)
        r += 1
        u = u_cell.local
        if minute:
            method = names.minute[s.year]
            step = base_names["engine.minute_multiple_eur"]
            sh.text(r, A, f"Uurtarief {s.year}", f.bold)
            hour_cell = sh.formula(r, AMOUNT, hour_x(u, method, step, dec), f.eur)
            sh.text(r, HOW, f"ROUND(geïndexeerd; {dec.f}), of een veelvoud van € 0,60 ({method.f})", f.how)
            check(f"uurtarief {s.year}", hour_cell, s.after, exact=True)
            r += 1
            sh.text(r, A, f"TARIEF per minuut {s.year}", f.bold)
            tariff_cell = sh.formula(r, AMOUNT, minute_x(u, hour_cell.local, method, dec), f.tariff)
            sh.text(r, HOW, f"volgt het uurtarief ({method.f}): from_hour ROUND(uurtarief / 60); direct "
                            "ROUND(geïndexeerd / 60); hour_multiple_of_60_cents uurtarief / 60", f.how)
            prev = hour_cell
        else:
            sh.text(r, A, f"TARIEF per {unit} {s.year}", f.bold)
            tariff_cell = sh.formula(r, AMOUNT, ROUND(u, dec), f.tariff)
            sh.text(r, HOW, f"ROUND(geïndexeerd; {dec.f}), halverwege van nul af", f.how)
            check(f"tarief {s.year}", tariff_cell, s.after, exact=True)
            prev = tariff_cell
        r += 1
    check("tarief", tariff_cell, t.tariff_eur, exact=True)
    if minute:
        assert hour_cell is not None
        check("uurtarief", hour_cell, t.hour_tariff, exact=True)
    return Block(t, block.title, tariff_cell, hour_cell if minute else None), r - 1


def _rate(sh: xlsx.Recorder, f: Formats, s: Any, r: int, names: IndexNames, t: Any) -> tuple[X, int]:
    """The rate of a step: its named cell; for the components method the tariff's own blend (one row more)."""
    if s.kind != "components":
        rate = names.rates.get(rate_key(s))
        if rate is None:
            raise Differs(f"no index rate cell for {s.method} {s.year}")
        return rate, r
    base = t.built  # engine.indexed._wage_share: wage cost (staff and travel time) over the direct cost
    share = (base.direct_staff_cost + base.travel_time_cost) / base.direct_cost if base.direct_cost else Decimal(1)
    sh.text(r, A, f"Aandeel loonkosten {s.year}", f.top)
    sh.text(r, KEY, s.method, f.top)
    share_cell = sh.number(r, QTY, share, f.in_pct)
    sh.text(r, HOW, f"(directe personeelskosten + reistijd) / directe kosten van {base.year}; de rest is materieel",
            f.how)
    ova, ppc = names.rates[rate_key(s, "ova")], names.rates[rate_key(s, "ppc")]
    return share_cell.local * ova + (lit(1) - share_cell.local) * ppc, r + 1
