"""The questionnaire's layout: every sheet, cell, type and range, in one place.

The template writer (:mod:`tariefmodel.outputs.survey_template`) draws the workbook
from it and the reader (:mod:`tariefmodel.survey.reading`) reads the same cells back,
so the two cannot drift apart. The region-specific lists (its CAOs, its products,
its micro-enterprise rule) come in through a :class:`Catalogue`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

MARKER = "tariefmodel-kostprijsonderzoek/1"  # in cell A1 of the hidden list sheet: "this is our questionnaire"
NO_CAO = "geen"
MINUTE_DIVISOR = Decimal(60)  # minute products: staff hours are asked per hour of client time

Kind = Literal["text", "whole", "decimal", "list", "kvk"]

SHEET_INFO = "Toelichting"
SHEET_PROVIDER = "Aanbieder"
SHEET_STAFF = "Personeel"
SHEET_HOURS = "Uren"
SHEET_COSTS = "Kosten"
SHEET_PRODUCTS = "Producten"
SHEET_LISTS = "Lijsten"
INPUT_SHEETS = (SHEET_PROVIDER, SHEET_STAFF, SHEET_HOURS, SHEET_COSTS, SHEET_PRODUCTS)

BIG = Decimal(10) ** 10  # an upper bound no honest figure reaches, to catch typing slips like 1e13


@dataclass(frozen=True, slots=True)
class Field:
    """One input cell (or one column of a table): what it holds and what is allowed."""

    key: str
    label: str
    kind: Kind
    unit: str
    help: str
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    required: bool = True


@dataclass(frozen=True, slots=True)
class Placed:
    field: Field
    row: int  # 0-based, as xlsxwriter counts
    col: int = 1


def cell_name(row: int, col: int) -> str:
    """A1-style name of a 0-based cell."""
    letters = ""
    c = col + 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


D = Decimal

PROVIDER_FIELDS: tuple[Placed, ...] = (
    Placed(Field("name", "Naam van de organisatie", "text", "tekst", "De statutaire naam. Wordt nooit gepubliceerd.",
                 D(1), D(200)), 4),
    Placed(Field("kvk", "KvK-nummer", "kvk", "8 cijfers",
                 "Het KvK-nummer van 8 cijfers, zonder spaties. Alleen om een latere inzending als nieuwe versie te "
                 "herkennen; wordt nooit gepubliceerd.", D(8), D(8)), 5),
    Placed(Field("cao", "CAO", "list", "keuzelijst",
                 "De CAO die uw organisatie toepast. Kies 'geen' als u geen CAO volgt.", None, None), 6),
    Placed(Field("employees", "Aantal werknemers", "whole", "personen",
                 "Aantal werknemers in loondienst op 31 december van het verslagjaar (personen, geen fte).",
                 D(0), D(100000)), 7),
    Placed(Field("turnover", "Jaaromzet", "decimal", "euro", "Netto-omzet over het verslagjaar in euro's.",
                 D(0), BIG), 8),
    Placed(Field("balance", "Balanstotaal", "decimal", "euro", "Balanstotaal op 31 december van het verslagjaar in "
                 "euro's.", D(0), BIG), 9),
    Placed(Field("year", "Verslagjaar", "whole", "jaar",
                 "Het boekjaar waarover u de cijfers invult (heel jaar).", D(2000), D(2100)), 10),
)
MICRO_ROW = 12  # the formula that shows the micro-enterprise test

STAFF_FIRST_ROW = 5
STAFF_ROWS = 20
STAFF_COLUMNS: tuple[Field, ...] = (
    Field("function", "Functie", "text", "tekst", "Naam van de functie, bijvoorbeeld 'HBO-begeleider'.", D(1), D(80)),
    Field("scale", "CAO-schaal", "text", "tekst", "De schaal of functiegroep volgens uw CAO, bijvoorbeeld '8' of "
          "'FWG 45'.", D(1), D(20)),
    Field("step_low", "Laagste trede", "whole", "trede", "De laagste trede (periodiek) van de medewerkers in deze "
          "functie.", D(0), D(99)),
    Field("step_avg", "Gemiddelde trede", "decimal", "trede", "De gemiddelde trede, gewogen naar fte.", D(0), D(99)),
    Field("step_high", "Hoogste trede", "whole", "trede", "De hoogste trede van de medewerkers in deze functie.",
          D(0), D(99)),
    Field("fte", "Fte", "decimal", "fte", "Gemiddeld aantal fte in het verslagjaar (voltijd = 1).", D(0), D(100000)),
    Field("salary", "Bruto jaarsalaris voltijd", "decimal", "euro per fte per jaar",
          "Gemiddeld bruto jaarsalaris bij voltijd, inclusief vakantiegeld en eindejaarsuitkering.", D(0), D(1000000)),
    Field("wages", "Brutoloonkosten", "decimal", "euro per jaar",
          "Werkelijke brutoloonkosten van deze functie in het verslagjaar (alle medewerkers samen), zonder "
          "werkgeverslasten.", D(0), BIG),
    Field("charges", "Werkgeverslasten", "decimal", "euro per jaar",
          "Werkgeverslasten van deze functie: sociale verzekeringen en het werkgeversdeel pensioen.", D(0), BIG),
)

HOURS_FIELDS: tuple[Placed, ...] = tuple(Placed(f, r) for f, r in (
    (Field("contract", "Contracturen", "decimal", "uur per jaar",
           "Alle betaalde contracturen van het personeel in het primaire proces (fte x jaaruren).", D(1), BIG), 4),
    (Field("leave", "Verlof", "decimal", "uur per jaar", "Vakantieverlof en feestdagen.", D(0), BIG), 5),
    (Field("sickness", "Ziekteverzuim", "decimal", "uur per jaar", "Uren ziekteverzuim.", D(0), BIG), 6),
    (Field("training", "Scholing", "decimal", "uur per jaar", "Opleiding en scholing.", D(0), BIG), 7),
    (Field("indirect", "Indirecte tijd", "decimal", "uur per jaar",
           "Werkoverleg, verslaglegging, afstemming en andere tijd zonder client.", D(0), BIG), 8),
    (Field("direct", "Directe clienttijd", "decimal", "uur per jaar",
           "Uren in direct contact met clienten (face-to-face, beeldbellen, groepsbegeleiding).", D(0), BIG), 9),
))
HOURS_CHECK_ROW = 11

COSTS_FIELDS: tuple[Placed, ...] = tuple(Placed(f, r) for f, r in (
    (Field("total", "Totale kosten", "decimal", "euro per jaar",
           "Alle bedrijfslasten van het verslagjaar: personeel, overhead, huisvesting, reiskosten en overige kosten.",
           D(1), BIG), 4),
    (Field("overhead", "Overheadkosten", "decimal", "euro per jaar",
           "Indirecte kosten: management, administratie, ICT, ondersteunend personeel en kantoor.", D(0), BIG), 5),
    (Field("accommodation", "Huisvestingskosten clientlocaties", "decimal", "euro per jaar",
           "Huur, afschrijving en onderhoud van locaties waar clienten komen of wonen.", D(0), BIG), 6),
    (Field("travel", "Reiskosten", "decimal", "euro per jaar",
           "Kilometer- en reiskosten van medewerkers voor clientcontact.", D(0), BIG), 7),
))

PRODUCT_FIRST_ROW = 5
PRODUCT_COLUMNS: tuple[Field, ...] = (
    Field("volume", "Volume", "decimal", "eenheden per jaar",
          "Geleverde eenheden in het verslagjaar (in de eenheid van het product; bij minuutproducten minuten).",
          D(0), BIG, required=False),
    Field("group_size", "Groepsgrootte", "decimal", "clienten per begeleider",
          "Gemiddeld aantal clienten per begeleider (1 bij individuele begeleiding).", D("0.1"), D(100), required=False),
    Field("staff_hours", "Personele uren per eenheid", "decimal", "uur",
          "Directe personele uren per eenheid voor de hele groep (bij minuutproducten: per uur clienttijd, "
          "normaal 1).", D("0.001"), D(1000), required=False),
    Field("revenue", "Opbrengst", "decimal", "euro per jaar",
          "Opbrengst van dit product in het verslagjaar (alle gemeenten samen).", D(0), BIG, required=False),
)
PRODUCT_INPUT_COL = 4  # columns A-D: code, name, unit, law (locked); inputs from E


@dataclass(frozen=True, slots=True)
class ProductLine:
    code: str
    name: str
    unit: str
    law: str
    caos: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Catalogue:
    """What a questionnaire of one region and year offers: its CAOs, products and micro rule."""

    region: str
    year: int
    caos: tuple[tuple[str, str], ...]  # (key, label shown in the list)
    products: tuple[ProductLine, ...]
    micro_max_employees: int
    micro_threshold_eur: Decimal
    micro_financial_test: str  # either | both
    differentiation: Any  # the region's DifferentiationFile, for micro_status

    def cao_key(self, label: str) -> str | None:
        """The CAO key of a list entry (its label or key, in any case)."""
        wanted = label.strip().casefold()
        for key, shown in self.caos:
            if wanted in (shown.casefold(), key.casefold()):
                return key
        return None

    def product(self, code: str) -> ProductLine | None:
        for p in self.products:
            if p.code == code:
                return p
        return None


def catalogue(region: Any, year: int, *, active_only: bool = True) -> Catalogue:
    """The region's lists for a questionnaire of ``year`` (``active_only=False``: every product of the book)."""
    from tariefmodel.data.params import value_at
    from tariefmodel.engine.pricing import product_active
    from tariefmodel.engine.variants import DIFF_FILE

    caos = [(key, cao.meta.name) for key, cao in sorted(region.caos.items())]
    diff = region.differentiation
    if diff is not None:
        caos += sorted(diff.unmodelled_caos.items())
    caos.append((NO_CAO, "geen CAO"))
    day = dt.date(year, 1, 1)
    products = tuple(ProductLine(bp.product.code, bp.product.name, bp.product.unit, bp.product.law,
                                 tuple(bp.product.caos))
                     for bp in sorted(region.products, key=lambda bp: bp.product.code)
                     if not active_only or product_active(bp, day))
    if diff is None:  # a region without differentiation rules: no one is a micro-enterprise
        return Catalogue(region.info.name, year, tuple(caos), products, 0, Decimal(0), "both", None)
    return Catalogue(
        region.info.name, year, tuple(caos), products,
        int(value_at(diff.micro_max_employees, day, "micro_max_employees", DIFF_FILE).value),
        Decimal(value_at(diff.micro_threshold_eur, day, "micro_threshold_eur", DIFF_FILE).value),
        str(value_at(diff.micro_financial_test, day, "micro_financial_test", DIFF_FILE).value),
        diff,
    )
