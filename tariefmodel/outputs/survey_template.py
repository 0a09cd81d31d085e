"""The questionnaire workbook of the cost-price survey (kostprijsonderzoek), for one provider.

Drawn from :mod:`tariefmodel.survey.layout`, the same cells the reader reads back.
Every input cell is unlocked, yellow, and has a data validation (type, range or list)
with an input message giving its meaning and unit; everything else is locked and every
sheet is protected (no password: it guards against slips, not against intent).
Identical inputs give identical bytes (fixed document time).
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from tariefmodel.data.numbers import eur
from tariefmodel.survey import layout as L

INPUT_COLOUR = "#FFF2CC"
PROTECT_OPTIONS = {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True}


def template_bytes(cat: L.Catalogue, min_respondents: int) -> bytes:
    """The questionnaire for the region and year of ``cat``, as xlsx bytes."""
    import xlsxwriter

    from tariefmodel.outputs.writers import FIXED_TIME

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": FIXED_TIME, "author": "tariefmodel", "title": f"Kostprijsonderzoek {cat.year}"})
    f = _Formats(wb)
    _info(wb, f, cat, min_respondents)
    _provider(wb, f, cat)
    _staff(wb, f)
    _block(wb, f, L.SHEET_HOURS, "Uren in het verslagjaar",
           "Alle uren van het personeel in het primaire proces (de medewerkers op het blad Personeel), over het hele "
           "jaar opgeteld.", L.HOURS_FIELDS)
    _block(wb, f, L.SHEET_COSTS, "Kosten in het verslagjaar",
           "Bedragen in euro's over het hele verslagjaar, zoals in de jaarrekening.", L.COSTS_FIELDS)
    _products(wb, f, cat)
    _lists(wb, f, cat)
    wb.close()
    return buf.getvalue()


def write_template(path: Path, data: bytes) -> None:
    """The one place a questionnaire is written (atomically)."""
    from tariefmodel.data.fileio import atomic_write_bytes

    atomic_write_bytes(path, data)


class _Formats:
    def __init__(self, wb: Any):
        base = {"valign": "top", "font_size": 10}
        self.title = wb.add_format({**base, "bold": True, "font_size": 14})
        self.text = wb.add_format({**base, "text_wrap": True})
        self.label = wb.add_format({**base, "bold": True, "text_wrap": True})
        self.head = wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        self.unit = wb.add_format({**base, "italic": True, "font_color": "#555555", "text_wrap": True})
        self.locked = wb.add_format({**base, "border": 1, "text_wrap": True})
        inp = {**base, "locked": False, "bg_color": INPUT_COLOUR, "border": 1}
        self.input_text = wb.add_format({**inp, "num_format": "@"})
        self.input_whole = wb.add_format({**inp, "num_format": "0"})
        self.input_decimal = wb.add_format({**inp, "num_format": "#,##0.00"})
        self.input_eur = wb.add_format({**inp, "num_format": "€ #,##0.00"})
        self.formula = wb.add_format({**base, "bold": True, "border": 1, "bg_color": "#E2EFDA"})

    def input(self, field: L.Field) -> Any:
        if field.kind in ("text", "kvk", "list"):
            return self.input_text
        if field.kind == "whole":
            return self.input_whole
        return self.input_eur if field.unit.startswith("euro") else self.input_decimal


def _sheet(wb: Any, name: str, widths: list[float]) -> Any:
    ws = wb.add_worksheet(name)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.protect("", PROTECT_OPTIONS)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    return ws


def _num(x: Decimal | None) -> float | None:
    return None if x is None else float(x)


def _range_text(field: L.Field) -> str:
    if field.kind == "list":
        return "Kies uit de lijst."
    if field.kind == "kvk":
        return "Precies 8 cijfers."
    if field.kind == "text":
        return f"Tekst van {field.minimum} tot {field.maximum} tekens."
    assert field.minimum is not None and field.maximum is not None
    if field.unit.startswith("euro"):
        low, high = eur(field.minimum), eur(field.maximum)
    else:
        low, high = f"{field.minimum}".replace(".", ","), f"{field.maximum}".replace(".", ",")
    whole = "Een geheel getal" if field.kind == "whole" else "Een getal"
    return f"{whole} van {low} tot en met {high}."


def validation(field: L.Field, list_source: str = "") -> dict[str, Any]:
    """The data validation of an input cell: type and range (or list), with an input message and its unit."""
    message = f"{field.help} Eenheid: {field.unit}. {_range_text(field)}"
    rule: dict[str, Any]
    if field.kind == "list":
        rule = {"validate": "list", "source": list_source}
    elif field.kind == "kvk":
        rule = {"validate": "length", "criteria": "==", "value": 8}
    elif field.kind == "text":
        rule = {"validate": "length", "criteria": "between", "minimum": int(field.minimum or 0),
                "maximum": int(field.maximum or 255)}
    else:
        whole = field.kind == "whole"
        low, high = (int(field.minimum or 0), int(field.maximum or 0)) if whole else (_num(field.minimum), _num(field.maximum))
        rule = {"validate": "integer" if whole else "decimal", "criteria": "between", "minimum": low, "maximum": high}
    rule.update({"input_title": field.label[:32], "input_message": message[:255], "error_type": "stop",
                 "error_title": "Ongeldige invoer"[:32], "error_message": f"{field.label}: {_range_text(field)}"[:255],
                 "ignore_blank": True})
    return rule


def _info(wb: Any, f: _Formats, cat: L.Catalogue, min_respondents: int) -> None:
    ws = _sheet(wb, L.SHEET_INFO, [110])
    ws.activate()
    lines = [
        (f"Kostprijsonderzoek {cat.year} - {cat.region}", f.title),
        ("Waarom deze vragenlijst", f.label),
        ("De regio stelt reële tarieven vast die de kosten dekken van een normaal opererende aanbieder met een normale "
         "bedrijfsvoering, zoveel mogelijk op basis van objectieve benchmarkcijfers. Met uw kostengegevens toetst de "
         "regio de parameters van het tariefmodel (productiviteit, overhead, werkgeverslasten, verzuim, reiskosten, "
         "groepsgrootte en personele inzet) en of de tarieven uw kosten per eenheid dekken.", f.text),
        ("Hoe uw gegevens worden gebruikt", f.label),
        ("Uw antwoorden worden alleen samengevoegd met die van andere aanbieders gebruikt: per parameter het aantal "
         "respondenten, de gewogen mediaan, het 25e en 75e percentiel en de bandbreedte. Er worden nooit individuele "
         "cijfers gepubliceerd, en nooit uw naam of KvK-nummer. Een cijfer dat op minder dan "
         f"{min_respondents} respondenten steunt, wordt niet getoond ('te weinig respondenten'). Naam en KvK-nummer "
         "dienen alleen om vragen over uw inzending te kunnen stellen en om een nieuwe inzending als nieuwe versie van "
         "dezelfde respondent te herkennen; eerdere versies blijven bewaard.", f.text),
        ("Invullen", f.label),
        ("Vul alleen de gele cellen in; de andere cellen zijn beveiligd. Elke gele cel toont bij selecteren wat er "
         "wordt gevraagd en in welke eenheid, en weigert waarden van het verkeerde type of buiten het bereik. Bedragen "
         "in euro's, uren per jaar, alle cijfers over het hele verslagjaar. Verwijder of hernoem geen bladen.", f.text),
        ("Bladen: Aanbieder (wie u bent en de micro-ondernemingstoets), Personeel (per functie: fte, CAO-schaal en "
         "treden, loonkosten en werkgeverslasten), Uren (contracturen en hoe ze zijn besteed), Kosten (totale kosten, "
         "overhead, huisvesting, reiskosten) en Producten (per geleverd product: volume, groepsgrootte, personele uren "
         "per eenheid en opbrengst; laat producten die u niet levert leeg).", f.text),
        (f"Lever het ingevulde bestand in als .xlsx. Vragenlijst gemaakt met tariefmodel voor {cat.region}, "
         f"verslagjaar {cat.year}.", f.unit),
    ]
    for r, (text, fmt) in enumerate(lines):
        ws.write_string(r, 0, text, fmt)
    ws.set_row(2, 60)
    ws.set_row(4, 90)
    ws.set_row(6, 60)
    ws.set_row(7, 60)


def _inputs(ws: Any, f: _Formats, placed: tuple[L.Placed, ...], list_source: str = "",
            defaults: dict[str, Any] | None = None) -> None:
    for p in placed:
        ws.write_string(p.row, 0, p.field.label, f.label)
        default = (defaults or {}).get(p.field.key)
        if default is None:
            ws.write_blank(p.row, p.col, None, f.input(p.field))
        else:
            ws.write_number(p.row, p.col, default, f.input(p.field))
        ws.data_validation(p.row, p.col, p.row, p.col, validation(p.field, list_source))
        ws.write_string(p.row, p.col + 1, f"{p.field.unit}: {p.field.help}", f.unit)


def _provider(wb: Any, f: _Formats, cat: L.Catalogue) -> None:
    ws = _sheet(wb, L.SHEET_PROVIDER, [32, 30, 80])
    ws.write_string(0, 0, "Wie u bent", f.title)
    ws.write_string(2, 0, "Vul de gele cellen in. Naam en KvK-nummer worden nooit gepubliceerd.", f.text)
    _inputs(ws, f, L.PROVIDER_FIELDS, f"={L.SHEET_LISTS}!$A$2:$A${len(cat.caos) + 1}", {"year": cat.year})
    cells = {p.field.key: L.cell_name(p.row, p.col) for p in L.PROVIDER_FIELDS}
    emp, turn, bal = cells["employees"], cells["turnover"], cells["balance"]
    money = f"OR({turn}<{cat.micro_threshold_eur},{bal}<{cat.micro_threshold_eur})" \
        if cat.micro_financial_test == "either" else f"AND({turn}<{cat.micro_threshold_eur},{bal}<{cat.micro_threshold_eur})"
    joint = "of" if cat.micro_financial_test == "either" else "en"
    ws.write_string(L.MICRO_ROW, 0, "Micro-onderneming?", f.label)
    ws.write_formula(L.MICRO_ROW, 1, f'=IF(OR({emp}="",{turn}="",{bal}=""),"",IF(AND({emp}<{cat.micro_max_employees},'
                                     f'{money}),"ja","nee"))', f.formula, "")
    ws.write_string(L.MICRO_ROW, 2, f"Volgens de regel van de regio: minder dan {cat.micro_max_employees} werknemers en "
                                    f"een jaaromzet {joint} balanstotaal onder {eur(cat.micro_threshold_eur)}. "
                                    "Wordt berekend; bij de verwerking toetst de regio opnieuw.", f.unit)


def _staff(wb: Any, f: _Formats) -> None:
    ws = _sheet(wb, L.SHEET_STAFF, [26, 12, 10, 11, 10, 10, 16, 18, 18])
    ws.write_string(0, 0, "Personeel in het primaire proces, per functie", f.title)
    ws.write_string(2, 0, "Een rij per functie (medewerkers die clienten begeleiden of behandelen). Bedragen over het "
                          "hele verslagjaar, alle medewerkers in de functie samen.", f.text)
    hr = L.STAFF_FIRST_ROW - 1
    ws.set_row(hr, 42)
    for c, field in enumerate(L.STAFF_COLUMNS):
        ws.write_string(hr, c, f"{field.label} ({field.unit})", f.head)
        for r in range(L.STAFF_FIRST_ROW, L.STAFF_FIRST_ROW + L.STAFF_ROWS):
            ws.write_blank(r, c, None, f.input(field))
        ws.data_validation(L.STAFF_FIRST_ROW, c, L.STAFF_FIRST_ROW + L.STAFF_ROWS - 1, c, validation(field))
    ws.freeze_panes(L.STAFF_FIRST_ROW, 1)


def _block(wb: Any, f: _Formats, name: str, title: str, intro: str, placed: tuple[L.Placed, ...]) -> None:
    ws = _sheet(wb, name, [34, 20, 80])
    ws.write_string(0, 0, title, f.title)
    ws.write_string(2, 0, intro, f.text)
    _inputs(ws, f, placed)
    if name == L.SHEET_HOURS:
        cells = {p.field.key: L.cell_name(p.row, p.col) for p in placed}
        parts = "+".join(cells[k] for k in ("leave", "sickness", "training", "indirect", "direct"))
        ws.write_string(L.HOURS_CHECK_ROW, 0, "Controle: som van de posten min contracturen", f.label)
        ws.write_formula(L.HOURS_CHECK_ROW, 1, f'=IF({cells["contract"]}="","",{parts}-{cells["contract"]})',
                         f.formula, "")
        ws.write_string(L.HOURS_CHECK_ROW, 2, "uur: hoort ongeveer 0 te zijn (de posten verdelen de contracturen).",
                        f.unit)


def _products(wb: Any, f: _Formats, cat: L.Catalogue) -> None:
    ws = _sheet(wb, L.SHEET_PRODUCTS, [9, 48, 10, 10, 14, 14, 16, 18])
    ws.write_string(0, 0, "Geleverde producten", f.title)
    ws.write_string(2, 0, "Vul per product dat u in het verslagjaar leverde de gele cellen in; laat de rij leeg als u "
                          "het product niet levert.", f.text)
    hr = L.PRODUCT_FIRST_ROW - 1
    ws.set_row(hr, 42)
    for c, head in enumerate(("Code", "Product", "Eenheid", "Wet")):
        ws.write_string(hr, c, head, f.head)
    for j, field in enumerate(L.PRODUCT_COLUMNS):
        ws.write_string(hr, L.PRODUCT_INPUT_COL + j, f"{field.label} ({field.unit})", f.head)
    last = L.PRODUCT_FIRST_ROW + len(cat.products) - 1
    for i, line in enumerate(cat.products):
        r = L.PRODUCT_FIRST_ROW + i
        for c, text in enumerate((line.code, line.name, line.unit, line.law)):
            ws.write_string(r, c, text, f.locked)
        for j, field in enumerate(L.PRODUCT_COLUMNS):
            ws.write_blank(r, L.PRODUCT_INPUT_COL + j, None, f.input(field))
    if cat.products:
        for j, field in enumerate(L.PRODUCT_COLUMNS):
            c = L.PRODUCT_INPUT_COL + j
            ws.data_validation(L.PRODUCT_FIRST_ROW, c, last, c, validation(field))
    ws.freeze_panes(L.PRODUCT_FIRST_ROW, 2)


def _lists(wb: Any, f: _Formats, cat: L.Catalogue) -> None:
    ws = _sheet(wb, L.SHEET_LISTS, [40, 20])
    ws.write_string(0, 0, L.MARKER)
    for i, (key, label) in enumerate(cat.caos, start=1):
        ws.write_string(i, 0, label)
        ws.write_string(i, 1, key)
    ws.hide()
