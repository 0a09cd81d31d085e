"""Sheet Parameters: every cost-model parameter value of the tariff year, with its provenance.

Each value cell gets a workbook name (``overhead_rate``, ``charge_pensioen_rate``,
``norm_ambulant_ziekte``, ``client_reistijd_ambulant`` ...), so the formulas on the
other sheets read like the model. The cells are inputs: change one and every
tariff that uses it recomputes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tariefmodel.data.params import ParamUse, value_at
from tariefmodel.data.region import Region
from tariefmodel.engine.buildup import SIXTY_CENTS
from tariefmodel.engine.pricing import YearParameters
from tariefmodel.engine.variants import DIFF_FILE
from tariefmodel.outputs.workbooks import param_kinds as kinds
from tariefmodel.outputs.workbooks import xlsx
from tariefmodel.outputs.workbooks.formula import X

SHEET = "Parameters"
COLUMNS = ["Parameter", "Omschrijving", "Waarde", "Eenheid", "Naam in formules", "Geldig vanaf", "Geldig tot",
           "Bron", "Datum bron", "Afweging", "Besloten door", "Besloten op", "Status", "Aanname", "Bestand"]
WIDTHS = {0: (24, 70), 1: (24, 46), 2: (11, 14), 3: (10, 26), 4: (18, 40), 5: (11, 11), 6: (11, 11), 7: (30, 60),
          8: (11, 11), 9: (30, 70), 10: (12, 24), 11: (11, 11), 12: (8, 9), 13: (8, 9), 14: (18, 32)}

MINUTE_MULTIPLE = "engine.minute_multiple_eur"
CPH_DECIMALS = "rounding.cost_per_hour_decimals"


@dataclass(frozen=True, slots=True)
class Row:
    path: str
    description: str
    value: Any
    unit: str
    kind: kinds.Kind | None
    use: ParamUse | None
    note: str = ""  # provenance text for rows that are no dated parameter
    name: str = ""  # the workbook name, where it is not kinds.formula_name(path)


def rows_for(region: Region, params: YearParameters, *, minute_products: bool) -> list[Row]:
    cm = region.cost_model
    out = [Row(path, kinds.description_of(cm, path), use.value, kinds.unit_of(cm, path), kinds.kind_of(path, cm), use)
           for path, use in params.uses.items()]
    if CPH_DECIMALS not in params.uses:
        out.append(Row(CPH_DECIMALS, "Optionele afronding van de kosten per productief uur (leeg = niet afronden)",
                       None, "decimalen", kinds.kind_of(CPH_DECIMALS, cm), None,
                       "niet opgegeven in parameters/cost_model.yaml: niet afronden"))
    for key, cc in params.client_costs.items():
        if cc.kind == "per_place_year" and cc.units_per_place_year is not None:
            out.append(Row(f"client_costs.{key}.units_per_place_year", f"{cc.label}: eenheden per plaats per jaar",
                           cc.units_per_place_year, "eenheden per plaats per jaar", kinds.Kind("positive", "eenheden"),
                           None, "kenmerk van de kostenpost in parameters/cost_model.yaml (niet gedateerd)"))
    if minute_products:
        out.append(Row(MINUTE_MULTIPLE, "Stap van het uurtarief bij minuutmethode hour_multiple_of_60_cents",
                       SIXTY_CENTS, "€ (1 cent per minuut x 60)", kinds.Kind("amount", "€"), None,
                       "vaste waarde van tariefmodel (buildup.SIXTY_CENTS): uurtarief in veelvouden van € 0,60"))
    return out


def pgb_rows(region: Region, year: int) -> list[Row]:
    """The pgb percentage of each category in ``year`` (differentiation.yaml), and the exempt products."""
    diff = region.differentiation
    if diff is None or not diff.pgb_categories:
        return []
    day = dt.date(year, 1, 1)
    out = []
    for key, cat in diff.pgb_categories.items():
        path = f"pgb_categories.{key}.rate"
        use = value_at(cat.rate, day, path, DIFF_FILE)
        out.append(Row(path, f"Pgb {cat.label}: percentage van het laagste ZIN-tarief (basistarief), tariefjaar "
                             f"{year}", use.value, "fractie", kinds.Kind("fraction", "fractie"), use,
                       name=f"pgb_{key}_rate"))
    if diff.pgb_exempt_products is not None:
        use = value_at(diff.pgb_exempt_products, day, "pgb_exempt_products", DIFF_FILE)
        out.append(Row("pgb_exempt_products", "Producten waarvan het pgb-tarief 100% van het basistarief blijft",
                       ", ".join(use.value) or "geen", "productcodes", None, use, name="pgb_exempt_products"))
    return out


def write(book: xlsx.Book, region: Region, params: YearParameters, *, minute_products: bool,
          extra: list[Row] | None = None) -> dict[str, X]:
    """Write the sheet; return, per parameter path, the named reference to its value.

    ``extra``: rows from other files (the pgb percentages of the tariff year), after the cost model's."""
    sh = book.sheet(SHEET)
    ws = sh.ws
    sh.header(0, COLUMNS)
    sh.widths(WIDTHS)
    ws.freeze_panes(1, 1)
    sh.print_setup(pages_wide=2, title_columns=1)
    wrap = book.fmt(text_wrap=True, valign="top")
    top = book.fmt(valign="top")
    date = book.fmt(num_format=xlsx.DATE, valign="top")
    names: dict[str, X] = {}
    rows = rows_for(region, params, minute_products=minute_products) + (extra or [])
    for i, r in enumerate(rows, start=1):
        sh.text(i, 0, r.path, top)
        sh.text(i, 1, r.description, wrap)
        fmt_props: dict[str, Any] = {"bg_color": xlsx.INPUT_FILL, "valign": "top", "border": 1, "border_color": "#BFBFBF"}
        nf = r.kind.num_format() if r.kind else None
        if nf:
            fmt_props["num_format"] = nf
        value = r.value if isinstance(r.value, Decimal | int | str) or r.value is None else str(r.value)
        cell = sh.value(i, 2, value, book.fmt(**fmt_props))
        if r.kind is not None:
            rule = r.kind.validation()
            if rule is not None:
                ws.data_validation(i, 2, i, 2, rule)
        sh.text(i, 3, r.unit, top)
        name = book.unique_name(r.name or (kinds.formula_name(r.path) if r.path != MINUTE_MULTIPLE
                                           else "minute_multiple_eur"))
        book.define(name, cell)
        names[r.path] = X(name, cell.value)
        sh.text(i, 4, name, top)
        if r.use is not None:
            e = r.use.entry
            sh.date(i, 5, e.valid_from, date)
            sh.date(i, 6, e.valid_until, date)
            sh.text(i, 7, e.source, wrap)
            sh.date(i, 8, e.source_date, date)
            sh.text(i, 9, e.rationale, wrap)
            sh.text(i, 10, e.decided_by or "", wrap)
            sh.date(i, 11, e.decided_on, date)
            sh.text(i, 12, e.status, top)
            sh.text(i, 13, "ja" if e.assumption else "nee", top)
            sh.text(i, 14, r.use.file, top)
        else:
            sh.text(i, 7, r.note, wrap)
    ws.autofilter(0, 0, len(rows), len(COLUMNS) - 1)
    return names
