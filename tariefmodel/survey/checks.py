"""Internal consistency of one response: warnings, never refusals.

The figures may be right and still look odd; the consultant follows up. Each
warning has a kind (counted in the report) and a Dutch message for the importer.
"""

from __future__ import annotations

from decimal import Decimal

from tariefmodel.data.money import excel_round
from tariefmodel.data.numbers import eur, pct
from tariefmodel.survey import layout as L
from tariefmodel.survey.models import ProductRow, Response

HOURS_TOLERANCE = Decimal("0.02")  # leave + sickness + training + indirect + direct within 2% of the contract hours
WAGE_TOLERANCE = Decimal("0.15")  # fte x full-time salary within 15% of the gross wage costs (brief: ±15%)
PRODUCT_HOURS_TOLERANCE = Decimal("0.25")  # the products' staff hours within 25% of the direct client hours

KINDS = {
    "uren": "uren tellen niet op tot de contracturen",
    "loonkosten": "fte x jaarsalaris wijkt meer dan 15% af van de brutoloonkosten",
    "aandeel": "een aandeel ligt niet tussen 0 en 1",
    "productenuren": "personele uren van de producten wijken af van de directe clienttijd",
}


def consistency(r: Response) -> list[tuple[str, str]]:
    """Warnings (kind, message) about one response; an empty list when it hangs together."""
    out: list[tuple[str, str]] = []
    h = r.hours
    parts = h.leave + h.sickness + h.training + h.indirect + h.direct
    if abs(parts - h.contract) > HOURS_TOLERANCE * h.contract:
        out.append(("uren", f"blad '{L.SHEET_HOURS}': verlof + ziekte + scholing + indirect + direct = {parts} uur, "
                            f"contracturen {h.contract} uur (verschil {pct((parts - h.contract) / h.contract, 1)}, meer "
                            f"dan {pct(HOURS_TOLERANCE, 1)})"))
    for i, s in enumerate(r.staff):
        expected = s.fte * s.salary
        if s.wages > 0 and abs(expected - s.wages) > WAGE_TOLERANCE * s.wages:
            out.append(("loonkosten", f"blad '{L.SHEET_STAFF}', rij {L.STAFF_FIRST_ROW + i + 1}: fte x jaarsalaris = "
                                      f"{eur(expected)} wijkt {pct((expected - s.wages) / s.wages, 1)} af van de "
                                      f"brutoloonkosten {eur(s.wages)}"))
    shares = [("directe clienttijd / contracturen", h.direct, h.contract),
              ("ziekteverzuim / contracturen", h.sickness, h.contract),
              ("overheadkosten / totale kosten", r.costs.overhead, r.costs.total),
              ("werkgeverslasten / brutoloonkosten", r.charges, r.wages)]
    for label, num, den in shares:
        if den > 0 and not (0 <= num / den <= 1):
            out.append(("aandeel", f"{label} = {pct(num / den, 1)}: een aandeel hoort tussen 0 en 1 te liggen"))
    product_hours = sum((staff_hours(p) for p in r.products), Decimal(0))
    if h.direct > 0 and abs(product_hours - h.direct) > PRODUCT_HOURS_TOLERANCE * h.direct:
        out.append(("productenuren", f"blad '{L.SHEET_PRODUCTS}': volume x personele uren / groepsgrootte = "
                                     f"{excel_round(product_hours, 0)} uur, directe clienttijd {h.direct} uur"))
    return out


def staff_hours(p: ProductRow) -> Decimal:
    """Direct staff hours behind a product's volume: volume x hours per unit / group size (/ 60 for minutes)."""
    hours = p.volume * p.staff_hours / p.group_size
    return hours / L.MINUTE_DIVISOR if p.unit == "minuut" else hours
