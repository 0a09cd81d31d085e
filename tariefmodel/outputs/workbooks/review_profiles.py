"""Sheet Functieprofielen: cost per productive hour per CAO x function profile x norm x ORT.

One row per combination the tariffs use, every figure a formula on the CAO and
Parameters sheets, in the engine's order (pricing.Pricer._profile_cost and
_with_norm): M, G, allowances, ORT, L, each employer charge, A, productive
hours, C. ORT is the product's slot shares x the CAO's slot rates (or a flat
product rate), and only for function profiles that work rostered shifts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tariefmodel.data.money import ZERO
from tariefmodel.engine.pricing import ProfileCost, YearParameters
from tariefmodel.outputs.workbooks import xlsx
from tariefmodel.outputs.workbooks.formula import IF, MAX, MIN, ROUND, SUM, SUMPRODUCT, Cell, X, lit, range_ref
from tariefmodel.outputs.workbooks.review_cao import SLOTS, CaoCells, ort_cap_label

SHEET = "Functieprofielen"

# An ORT specification as the engine keys it: a flat rate, or (slot, share) pairs sorted by slot.
OrtSpec = Decimal | tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True, slots=True)
class ProfileKey:
    cao: str
    profile: str
    norm: str
    ort: OrtSpec


def ort_spec(prod: Any, shift_worker: bool) -> OrtSpec:
    """The ORT a product gives one of its function profiles (as pricing._ort_spec, and none for day work)."""
    if not shift_worker:
        return ZERO
    if prod.irregular_hours_profile is not None:
        return tuple(sorted(prod.irregular_hours_profile.items()))
    return prod.irregular_hours_rate


class Mismatch(AssertionError):
    """A workbook figure differs from the engine's: the workbook would be wrong."""


def close(a: Decimal, b: Decimal) -> bool:
    """Equal up to the last digits of a 28-digit Decimal (operation order may differ there)."""
    return abs(a - b) <= Decimal("1e-18") * max(Decimal(1), abs(a), abs(b))


def write(book: xlsx.Book, params: YearParameters, names: dict[str, X], cao: CaoCells,
          rows: list[tuple[ProfileKey, ProfileCost]]) -> dict[ProfileKey, Cell]:
    """Write one row per key; return the cell of C (cost per productive hour) per key."""
    sh = book.sheet(SHEET)
    ws = sh.ws
    total_mode = params.v("employer_charges.mode") == "total"
    if total_mode:
        charges: list[tuple[str, Callable[[X], X]]] = [
            ("Werkgeverslasten", lambda wage: wage * names["employer_charges.total_rate"])]
    else:
        charges = []
        for key, label, _rate, franchise in params.charge_items:
            rate = names[f"employer_charges.items.{key}.rate"]
            if franchise is None:
                charges.append((label, lambda wage, rate=rate: wage * rate))
            else:
                fr = names[f"employer_charges.items.{key}.franchise_eur"]
                charges.append((label, lambda wage, rate=rate, fr=fr: MAX(wage - fr, lit(0)) * rate))
    columns = ["CAO", "Functieprofiel", "Schaal", "Productiviteitsnorm", "ORT-grondslag",
               *(f"ORT-aandeel {s}" for s in SLOTS), "ORT vast (fractie)", "ORT-percentage",
               "Maandsalaris (M)", "Jaarsalaris (G = 12 x M)", "Vakantietoeslag", "Eindejaarsuitkering",
               "Overige CAO-budgetten", "ORT", "Loonkosten (L)", *(c[0] for c in charges), "Werkgeverskosten (A)",
               "Contracturen (H)", "Niet-productieve uren", "Productieve uren", "Productiviteit",
               "Kosten per productief uur (C)"]
    sh.header(0, columns)
    ws.set_row(0, 45)
    ws.freeze_panes(1, 2)
    sh.print_setup(pages_wide=2, title_columns=2)
    n_charges = len(charges)
    c_slot0 = 5
    c_flat = c_slot0 + len(SLOTS)
    c_ort_rate = c_flat + 1
    c_m = c_ort_rate + 1
    c_charge0 = c_m + 7
    c_a = c_charge0 + n_charges
    widths = {0: (12, 20), 1: (16, 26), 2: (6, 8), 3: (12, 26), 4: (14, 26)}
    for c in range(c_slot0, len(columns)):
        widths[c] = (13, 16)
    sh.widths(widths)
    b = book
    f_top = b.fmt(valign="top")
    f_in_pct = b.fmt(num_format=xlsx.PCT, bg_color=xlsx.INPUT_FILL)
    f_pct = b.fmt(num_format=xlsx.PCT)
    f_eur = b.fmt(num_format=xlsx.EUR4)
    f_hours = b.fmt(num_format=xlsx.HOURS)
    f_c = b.fmt(num_format=xlsx.EUR4, bold=True)
    out: dict[ProfileKey, Cell] = {}
    for r, (key, pc) in enumerate(rows, start=1):
        rules = cao.rules[key.cao]
        steps = cao.steps[(key.cao, key.profile)]
        sh.text(r, 0, key.cao, f_top)
        sh.text(r, 1, key.profile, f_top)
        sh.text(r, 2, pc.scale, f_top)
        sh.text(r, 3, key.norm, f_top)
        # ORT: product inputs (slot shares or a flat rate) and the resulting fraction of G.
        if isinstance(key.ort, tuple):
            sh.text(r, 4, "tijdvakken van het product", f_top)
            terms = []
            for slot, share in key.ort:
                cell = sh.number(r, c_slot0 + SLOTS.index(slot), share, f_in_pct)
                terms.append(cell.local * rules.ort[slot])
            ort_rate = sh.formula(r, c_ort_rate, SUM(terms) if terms else lit(0), f_pct)
        else:
            sh.text(r, 4, "vast percentage van het product" if key.ort else "geen ORT", f_top)
            flat = sh.number(r, c_flat, key.ort, f_in_pct)
            ort_rate = sh.formula(r, c_ort_rate, flat.local, f_pct)
        weights = [s.weight.ref for s in steps]
        m = sh.formula(r, c_m, SUMPRODUCT(weights, [s.amount.ref for s in steps],
                                           range_ref([s.weight for s in steps], SHEET),
                                           range_ref([s.amount for s in steps], SHEET)), f_eur)
        g = sh.formula(r, c_m + 1, m.local * lit(12), f_eur)
        hol = sh.formula(r, c_m + 2, SUMPRODUCT(weights, [s.holiday.ref for s in steps],
                                                 range_ref([s.weight for s in steps], SHEET),
                                                 range_ref([s.holiday for s in steps], SHEET)), f_eur)
        ye = sh.formula(r, c_m + 3, SUMPRODUCT(weights, [s.year_end.ref for s in steps],
                                                range_ref([s.weight for s in steps], SHEET),
                                                range_ref([s.year_end for s in steps], SHEET)), f_eur)
        other = sh.formula(r, c_m + 4, g.local * rules.other_rate, f_eur)
        cap = pc.ort_cap
        if cap is not None and cap.binds:
            # The CAO caps the hourly wage ORT is paid over, per step: 12 x sum(weight x MIN(amount; cap)).
            cap_x = rules.ort_cap[ort_cap_label(cap)]
            capped = SUM([s.weight.ref * MIN(s.amount.ref, cap_x) for s in steps])
            ort = sh.formula(r, c_m + 5, capped * lit(12) * ort_rate.local, f_eur)
        else:
            ort = sh.formula(r, c_m + 5, g.local * ort_rate.local, f_eur)
        wage = sh.formula(r, c_m + 6, g.local + hol.local + ye.local + other.local + ort.local, f_eur)
        charge_cells = [sh.formula(r, c_charge0 + j, fn(wage.local), f_eur) for j, (_, fn) in enumerate(charges)]
        employer = sh.formula(r, c_a, wage.local + SUM([c.local for c in charge_cells]), f_eur)
        hours = sh.formula(r, c_a + 1, rules.annual_hours, f_hours)
        norm = params.norms[key.norm]
        if norm.method == "fraction":
            productive_x = hours.local * names[f"productivity_norms.{key.norm}.fraction"]
        else:
            deductions = []
            for ikey, _label, kind, _use in norm.items:
                item = names[f"productivity_norms.{key.norm}.breakdown.{ikey}.value"]
                deductions.append(item if kind == "hours" else hours.local * item)
            productive_x = hours.local - SUM(deductions)
        productive = sh.formula(r, c_a + 3, productive_x, f_hours)
        sh.formula(r, c_a + 2, hours.local - productive.local, f_hours)
        sh.formula(r, c_a + 4, productive.local / hours.local, f_pct)
        cph = names["rounding.cost_per_hour_decimals"]
        per_hour = employer.local / productive.local
        c = sh.formula(r, c_a + 5, IF(cph.is_blank(), per_hour, ROUND(per_hour, cph)), f_c)
        _check(key, pc, {"ORT-percentage": (ort_rate, pc.irregular_hours_rate), "M": (m, pc.monthly_salary),
                         "vakantietoeslag": (hol, pc.holiday_allowance), "eindejaarsuitkering": (ye, pc.year_end_bonus),
                         "ORT": (ort, pc.irregular_hours),
                         "L": (wage, pc.wage_cost), "A": (employer, pc.employer_cost),
                         "productieve uren": (productive, pc.productive_hours), "C": (c, pc.cost_per_productive_hour)})
        out[key] = c
    ws.autofilter(0, 0, len(rows), len(columns) - 1)
    return out


def _check(key: ProfileKey, pc: ProfileCost, figures: dict[str, tuple[Cell, Decimal]]) -> None:
    for label, (cell, engine) in figures.items():
        if not isinstance(cell.value, Decimal | int) or not close(Decimal(cell.value), engine):
            raise Mismatch(f"Functieprofielen {key.cao}/{key.profile}/{key.norm}: {label} is {cell.value} in de "
                           f"werkmap maar {engine} in de rekenkern")
