"""Index rates: which OVA/PPC figures were known on a date, and the provider percentage they give.

Index figures are published provisionally and made definitive later, and a
published table can be corrected after the fact. Every publication is stored
with its date, so a run "known on" a date sees exactly what was public then and
a past tariff decision is reproduced to the cent.

The VNG contract standard (Contractstandaarden Jeugd; CS Wmo art. 3.2.1): the
provider index for year t is the weighted provisional index for t plus a
correction for t-1 (definitive against provisional). VNG has published that
correction both as a ratio, (1 + definitive) / (1 + provisional) - 1 per
component (2024 advice; original 2025 advice), and as a difference of the
weighted figures in percentage points (2025 advice as corrected on 2 October
2024), rounding intermediate percentages as published. Those rules are data
(``vng_publications``), so each year is computed the way VNG did it. In the
first year of a new contract there is no correction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tariefmodel.data.money import ONE, ZERO, excel_round
from tariefmodel.data.numbers import date, pct
from tariefmodel.data.params import MissingValue, valid_entry
from tariefmodel.data.problems import Problem

INDEX_FILE = "parameters/indexation.yaml"
HUNDRED = Decimal(100)
LATEST = dt.date.max


def pct_round(fraction: Decimal, decimals: int) -> Decimal:
    """Round a fraction to ``decimals`` decimals of its percentage (4.957% -> 4.96% at 2)."""
    return excel_round(fraction * HUNDRED, decimals) / HUNDRED


@dataclass(frozen=True, slots=True)
class Figure:
    series: str
    year: int
    kind: str
    value: Decimal
    published: dt.date
    source: str


@dataclass(frozen=True)
class Derivation:
    """An index rate with every input, weight, correction and rounding that produced it."""

    method: str
    kind: str
    year: int
    known_on: dt.date
    rate: Decimal
    lines: tuple[tuple[str, str], ...]  # (what, value with its source) for people
    figures: tuple[Figure, ...] = ()
    component_rates: dict[str, Decimal] = field(default_factory=dict)  # per series, for the components method
    published_rate: Decimal | None = None  # what VNG published for this year, when the rules are VNG's own


def figure(ix: Any, series: str, year: int, kind: str, known_on: dt.date) -> Figure:
    """The latest publication of a series figure on or before ``known_on`` (corrections replace)."""
    pubs = [p for p in ix.series[series].publications
            if p.year == year and p.kind == kind and p.published <= known_on]
    if not pubs:
        when = "" if known_on == LATEST else f" op of vóór peildatum {date(known_on)}"
        raise MissingValue(Problem(INDEX_FILE, f"series.{series}",
                                   f"geen {kind} cijfer van {series.upper()} voor {year} gepubliceerd{when}"))
    best = max(pubs, key=lambda p: p.published)
    return Figure(series, year, kind, best.value, best.published, best.source)


def vng_publication(ix: Any, year: int, known_on: dt.date) -> Any:
    pubs = [p for p in ix.vng_publications if p.index_year == year and p.published <= known_on]
    if not pubs:
        when = "" if known_on == LATEST else f" op of vóór peildatum {date(known_on)}"
        raise MissingValue(Problem(INDEX_FILE, "vng_publications",
                                   f"geen VNG-indexatieadvies voor {year} gepubliceerd{when}"))
    return max(pubs, key=lambda p: p.published)


def vng_rate(ix: Any, method_key: str, year: int, known_on: dt.date, *, weights: dict[str, Decimal] | None = None,
             first_year: bool = False) -> Derivation:
    """The VNG provider index for ``year`` under the rules VNG published for that year."""
    pub = vng_publication(ix, year, known_on)
    w = weights or pub.weights
    d = pub.decimals
    lines: list[tuple[str, str]] = [
        ("regels", f"VNG-advies {year} ({pub.kind}, gepubliceerd {date(pub.published)}): correctie als "
                   f"{'verhouding' if pub.correction == 'ratio' else 'verschil in procentpunten'}, "
                   f"afronding {d.weighted} decimalen (gewogen), {d.provider} (aanbieder) [{pub.source}]"),
        ("weging", ", ".join(f"{k.upper()} {pct(v)}" for k, v in w.items())
         + ("" if weights is None else " (eigen weging van de methode)")),
    ]
    figs: list[Figure] = []
    prov_t = {}
    for c in w:
        f = figure(ix, c, year, "voorlopig", known_on)
        figs.append(f)
        prov_t[c] = f.value
        lines.append((f"{c.upper()} {year} voorlopig", f"{pct(f.value)} [{f.source}; {date(f.published)}]"))
    weighted_prov = pct_round(sum((w[c] * prov_t[c] for c in w), ZERO), d.weighted)
    lines.append((f"gewogen voorlopig {year}", f"{pct(weighted_prov)} (afgerond op {d.weighted} decimalen)"))
    if first_year:
        correction = ZERO
        lines.append((f"correctie {year - 1}", "geen: eerste jaar van een nieuw contract"))
    else:
        prov_prev, def_prev = {}, {}
        for c in w:
            fp = figure(ix, c, year - 1, "voorlopig", known_on)
            fd = figure(ix, c, year - 1, "definitief", known_on)
            figs += [fp, fd]
            prov_prev[c], def_prev[c] = fp.value, fd.value
            lines.append((f"{c.upper()} {year - 1} voorlopig / definitief",
                          f"{pct(fp.value)} / {pct(fd.value)} [{fd.source}; {date(fd.published)}]"))
        if pub.correction == "ratio":
            comps = {c: pct_round((ONE + def_prev[c]) / (ONE + prov_prev[c]) - ONE, d.component) for c in w}
            for c, v in comps.items():
                lines.append((f"correctie {c.upper()}", f"(1 + definitief) / (1 + voorlopig) - 1 = {pct(v)}"))
            correction = pct_round(sum((w[c] * comps[c] for c in w), ZERO), d.weighted)
        else:
            correction = ZERO
            for c in w:
                wp = pct_round(w[c] * prov_prev[c], d.weighted)
                wd = pct_round(w[c] * def_prev[c], d.weighted)
                correction += wd - wp
                lines.append((f"correctie {c.upper()}", f"gewogen definitief {pct(wd)} - gewogen voorlopig "
                                                         f"{pct(wp)} = {pct(wd - wp)}"))
        lines.append((f"correctie {year - 1} gewogen", pct(correction)))
    rate = pct_round(weighted_prov + correction, d.provider)
    lines.append(("indexatie aanbieder", f"{pct(weighted_prov)} + {pct(correction)} = {pct(rate)} "
                                         f"(afgerond op {d.provider} decimalen)"))
    published = pub.provider_rate if (weights is None and not first_year) else None
    if published is not None:
        check = "gelijk" if published == rate else "WIJKT AF"
        lines.append(("gepubliceerd door VNG", f"{pct(published)} ({check})"))
    return Derivation(method_key, "vng", year, known_on, rate, tuple(lines), tuple(figs), published_rate=published)


def component_rates(ix: Any, method_key: str, year: int, known_on: dt.date, *, first_year: bool) -> Derivation:
    """Per series: its own provisional index plus its own correction, under that year's VNG rules."""
    pub = vng_publication(ix, year, known_on)
    d = pub.decimals
    rates: dict[str, Decimal] = {}
    lines: list[tuple[str, str]] = [("regels", f"per component, correctie als in VNG-advies {year} ({pub.correction})")]
    figs: list[Figure] = []
    for c in ix.series:
        f = figure(ix, c, year, "voorlopig", known_on)
        figs.append(f)
        corr = ZERO
        if not first_year:
            fp = figure(ix, c, year - 1, "voorlopig", known_on)
            fd = figure(ix, c, year - 1, "definitief", known_on)
            figs += [fp, fd]
            corr = (pct_round((ONE + fd.value) / (ONE + fp.value) - ONE, d.component) if pub.correction == "ratio"
                    else fd.value - fp.value)
        rates[c] = pct_round(f.value + corr, d.provider)
        lines.append((f"{c.upper()} {year}", f"{pct(f.value)} + correctie {pct(corr)} = {pct(rates[c])}"))
    return Derivation(method_key, "components", year, known_on, ZERO, tuple(lines), tuple(figs), rates)


def method_rate(ix: Any, method_key: str, year: int, known_on: dt.date, *, first_year: bool) -> Derivation:
    """The rate of a method for a year (for components and follow_cao the tariff decides; see indexbook)."""
    m = ix.methods[method_key]
    if m.kind == "vng":
        return vng_rate(ix, method_key, year, known_on, weights=m.weights, first_year=first_year)
    if m.kind == "fixed":
        return Derivation(method_key, "fixed", year, known_on, m.rate,
                          (("vast percentage", f"{pct(m.rate)} [{m.source}]"),))
    if m.kind == "none":
        return Derivation(method_key, "none", year, known_on, ZERO, (("geen indexatie", f"[{m.source}]"),))
    if m.kind == "components":
        return component_rates(ix, method_key, year, known_on, first_year=first_year)
    return Derivation(method_key, "follow_cao", year, known_on, ZERO,
                      (("volgt de CAO", f"herberekend met de CAO-tabellen van {year}, overige parameters van het "
                                        f"basisjaar [{m.source}]"),))


def assigned_method(ix: Any, contract: str, product: str, year: int) -> Any:
    """The method assignment in force for a product on 1 January of ``year`` (product-specific first)."""
    day = dt.date(year, 1, 1)
    mine = [a for a in ix.assignments if a.contract == contract and (a.products is None or product in a.products)]
    found = valid_entry((a for a in mine if a.products is not None), day) or valid_entry(mine, day)
    if found is None:
        raise MissingValue(Problem(INDEX_FILE, "assignments",
                                   f"geen indexatiemethode toegewezen aan contract {contract!r} (product {product}) "
                                   f"in {year}: een later contractjaar wordt geïndexeerd, nooit stil herberekend"))
    return found
