"""Blocks of tariffs without a build-up of their own: pgb (a formula on the basistarief) and extern (a sourced value).

A pgb tariff is ROUND(basistarief x pgb percentage; decimals) (engine.variants._pgb_rows;
in an indexed year the indexed basistarief, engine.indexed._pgb_again); the percentage is
the named cell of its category on sheet Parameters, or 100% for a product exempt from
the pgb discount. An external tariff is imported as set elsewhere: its value and source.
"""

from __future__ import annotations

from typing import Any

from tariefmodel.engine.pricing import fixed_terms
from tariefmodel.outputs.workbooks import xlsx
from tariefmodel.outputs.workbooks.formula import ROUND, X
from tariefmodel.outputs.workbooks.review_products import (
    AMOUNT,
    HOW,
    QTY,
    A,
    Block,
    Differs,
    Formats,
    check,
    title_rows,
)

EXEMPT_RATE = X("1", 1)  # 100%: a structural constant, the rule of pgb_exempt_products


def pgb_block(sh: xlsx.Recorder, f: Formats, t: Any, row: int, base: Block, rate: X | None, label: str,
              decimals: X) -> tuple[Block, int]:
    """``rate``: the category's named percentage, or None for a product exempt from the pgb discount."""
    prod = t.product.product
    base_row = base.tariff
    title = title_rows(sh, f, t, row, f"variant {t.variant} (pgb {label}), tariefjaar {t.year}", f"; {t.reason}")
    r = row + 2
    external = base_row.kind == "extern"  # the region's pgb rule for external tariffs (pgb_external_products)
    sh.text(r, A, "Extern tarief" if external else "Laagste ZIN-tarief (basistarief)", f.top)
    base_cell = sh.formula(r, AMOUNT, base.tariff_cell.local, f.eur)
    sh.text(r, HOW, f"het {'externe tarief' if external else 'basistarief'} van {prod.code} in {base_row.year}: "
                    f"het blok in rij {base.title.row + 1}" + (" (geïndexeerd)" if base_row.steps else ""), f.how)
    check("basistarief", base_cell, base_row.tariff_eur, exact=True)
    r += 1
    sh.text(r, A, f"Pgb-percentage {label}", f.top)
    if rate is None:
        pct = sh.formula(r, QTY, EXEMPT_RATE, f.pct)
        sh.text(r, HOW, "vrijgesteld (pgb_exempt_products, Parameters): 100% van het laagste ZIN-tarief", f.how)
    else:
        pct = sh.formula(r, QTY, rate, f.pct)
        sh.text(r, HOW, f"{rate.f} (Parameters, met bron)", f.how)
    if pct.value != t.rate:
        raise Differs(f"pgb percentage {t.rate} is not {pct.value}")
    r += 1
    sh.text(r, A, f"TARIEF per {prod.unit}", f.bold)
    tariff = sh.formula(r, AMOUNT, ROUND(base_cell.local * pct.local, decimals), f.tariff)
    sh.text(r, HOW, f"ROUND(basistarief x pgb-percentage; {decimals.f}), halverwege van nul af", f.how)
    check("pgb-tarief", tariff, t.tariff_eur, exact=True)
    if t.source:
        r += 1
        sh.text(r, A, "Bron pgb-percentage", f.top)
        sh.text(r, HOW, t.source, f.how)
    return Block(t, title, tariff, None), r


def extern_block(sh: xlsx.Recorder, f: Formats, t: Any, row: int) -> tuple[Block, int]:
    prod = t.product.product
    who = f", aanbieder {t.provider}" if t.provider else ""
    title = title_rows(sh, f, t, row, f"extern vastgesteld{who}, tariefjaar {t.year}", f"; {t.reason}")
    r = row + 2
    sh.text(r, A, f"TARIEF per {prod.unit} (extern vastgesteld)", f.bold)
    tariff = sh.number(r, AMOUNT, t.tariff_eur, f.tariff_input)
    sh.text(r, HOW, "niet berekend: overgenomen zoals elders vastgesteld", f.how)
    check("extern tarief", tariff, t.tariff_eur, exact=True)
    r += 1
    sh.text(r, A, "Bron", f.top)
    sh.text(r, HOW, t.source, f.how)
    return Block(t, title, tariff, None), r


def fixed_block(sh: xlsx.Recorder, f: Formats, t: Any, row: int) -> tuple[Block, int]:
    """A decided amount (vast bedrag, from the product file or the ZIN tariff list): its value and decision.

    ``t`` is the FixedTariff of the block's year; an indexed year chains its index steps below this block."""
    prod = t.product.product
    entry = t.entry
    micro = " (micro-onderneming)" if t.micro else ""
    title = title_rows(sh, f, t, row, f"variant {t.variant}{micro}: vast bedrag, tariefjaar {t.year}", f"; {t.reason}")
    r = row + 2
    sh.text(r, A, f"TARIEF per {prod.unit} (vast bedrag)", f.bold)
    tariff = sh.number(r, AMOUNT, t.tariff_eur, f.tariff_input)
    sh.text(r, HOW, "niet berekend: besloten bedrag, voor elke variant van het product hetzelfde", f.how)
    check("vast bedrag", tariff, t.tariff_eur, exact=True)
    r += 1
    terms = fixed_terms(entry, t.product.file, prod.code)
    for label, text in (("Geldig", terms.period), ("Besluit", terms.decided or "(niet vermeld)"),
                        ("Vastgelegd in", terms.recorded_in), ("Bron", t.source)):
        sh.text(r, A, label, f.top)
        sh.text(r, HOW, text, f.how)
        r += 1
    return Block(t, title, tariff, None), r - 1
