"""Sheet Tarieven: every tariff of the workbook, each a formula on its build-up block."""

from __future__ import annotations

from tariefmodel.engine.pricing import UNIT_CODES
from tariefmodel.outputs.workbooks import xlsx
from tariefmodel.outputs.workbooks.formula import ROUND, lit
from tariefmodel.outputs.workbooks.review_products import Block, Skipped

SHEET = "Tarieven"
COLUMNS = ["Productcode", "Product", "Wet", "Contract", "Eenheid", "Code eenheid", "Variant", "Soort", "CAO",
           "Micro", "Aanbieder", "Jaar", "Tarief (€)", "Tarief (eurocent)", "Uurtarief (€)", "Opbouw"]
WIDTHS = {0: (10, 12), 1: (30, 52), 2: (8, 9), 3: (14, 26), 4: (8, 9), 5: (7, 8), 6: (12, 20), 7: (8, 24),
          8: (12, 20), 9: (7, 7), 10: (10, 20), 11: (7, 7), 12: (11, 13), 13: (11, 12), 14: (11, 13), 15: (10, 12)}
C_TARIFF, C_CENT = 12, 13


def write(book: xlsx.Book, blocks: list[Block], skipped: list[Skipped]) -> None:
    sh = book.sheet(SHEET)
    sh.header(0, COLUMNS)
    sh.widths(WIDTHS)
    sh.ws.freeze_panes(1, 2)
    sh.print_setup()
    top = book.fmt(valign="top")
    eur = book.fmt(num_format=xlsx.EUR, bold=True)
    eur_plain = book.fmt(num_format=xlsx.EUR)
    cent = book.fmt(num_format=xlsx.INT)
    link = book.fmt(font_color="blue", underline=1)
    for r, b in enumerate(blocks, start=1):
        t = b.tariff
        prod = t.product.product
        for col, value in enumerate([prod.code, prod.name, prod.law, t.product.contract, prod.unit,
                                     UNIT_CODES.get(prod.unit, ""), t.variant,
                                     f"{t.kind}, geïndexeerd" if t.steps else t.kind, t.cao,
                                     "ja" if t.micro else "nee", t.provider]):
            sh.text(r, col, value, top)
        sh.number(r, 11, t.year, top)
        tariff = sh.formula(r, C_TARIFF, b.tariff_cell.ref, eur)
        sh.formula(r, C_CENT, ROUND(tariff.local * lit(100), lit(0)), cent)
        if b.hour_cell is not None:
            sh.formula(r, 14, b.hour_cell.ref, eur_plain)
        sh.link(r, 15, b.title, "naar opbouw", link)
    last = len(blocks)
    sh.ws.autofilter(0, 0, last, len(COLUMNS) - 1)
    if skipped:
        r = last + 2
        sh.text(r, 0, "Niet in deze werkmap: de opbouw in formules wijkt af van de engine", book.fmt(bold=True),
                track=False)
        for i, s in enumerate(skipped, start=r + 1):
            t = s.tariff
            sh.text(i, 0, t.product.product.code, top)
            sh.text(i, 1, f"variant {t.variant}{' (micro)' if t.micro else ''}{' ' + t.provider if t.provider else ''}: "
                          f"{s.reason}", top, track=False)
