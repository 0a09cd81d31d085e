"""Sheet CAO: the CAO figures behind the tariffs.

Per CAO its rules on the reference date (contract hours, holiday allowance and
its minimum, year-end bonus and its base, other budgets, ORT slot rates), each
cell named (``cao_jeugdzorg_holiday_rate``); then per function profile its scale
and steps: weight, monthly amount and the table it comes from. Beside each step
its annual salary, holiday allowance and year-end bonus, because CAO minima hold
per employee: pricing.py applies them per step and weights the results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tariefmodel.data.cao import SalaryLookupError
from tariefmodel.data.money import ZERO
from tariefmodel.data.numbers import date
from tariefmodel.data.region import Region
from tariefmodel.engine.pricing import ProfileCost, YearParameters
from tariefmodel.outputs.workbooks import xlsx
from tariefmodel.outputs.workbooks.formula import MAX, Cell, X, lit

SHEET = "CAO"
COLUMNS = ["CAO", "Onderdeel", "Functieprofiel", "Schaal", "Trede", "Gewicht", "Waarde / maandbedrag", "Eenheid",
           "Jaarsalaris trede (12 x bedrag)", "Vakantietoeslag trede", "Eindejaarsuitkering trede",
           "Naam in formules", "Bron / salaristabel", "Geldig vanaf", "Inpassingsnummer", "Afgeleide tabel"]
WIDTHS = {0: (12, 20), 1: (22, 40), 2: (14, 24), 3: (7, 8), 4: (6, 8), 5: (8, 9), 6: (13, 15), 7: (10, 22),
          8: (14, 15), 9: (13, 15), 10: (13, 15), 11: (18, 34), 12: (30, 80), 13: (11, 11), 14: (10, 12), 15: (9, 10)}
C_VALUE, C_ANNUAL, C_HOLIDAY, C_YEAR_END = 6, 8, 9, 10
SLOTS = ("avond", "nacht", "zaterdag", "zondag")
SLOT_LABEL = {"avond": "ORT avond", "nacht": "ORT nacht", "zaterdag": "ORT zaterdag", "zondag": "ORT zon- en feestdagen"}


@dataclass
class CaoRules:
    key: str
    annual_hours: X
    holiday_rate: X
    holiday_min: X  # per year
    year_end_rate: X
    year_end_min: X
    year_end_plus_holiday: bool
    other_rate: X
    ort: dict[str, X] = field(default_factory=dict)
    ort_cap: dict[str, X] = field(default_factory=dict)  # cap label (e.g. "schaal 5 periodiek 11") -> monthly cap


@dataclass(frozen=True, slots=True)
class StepCells:
    weight: Cell
    amount: Cell
    holiday: Cell
    year_end: Cell


@dataclass
class CaoCells:
    rules: dict[str, CaoRules]
    steps: dict[tuple[str, str], list[StepCells]]  # (cao, profile) -> its steps


class _Writer:
    def __init__(self, book: xlsx.Book):
        self.book = book
        self.sh = book.sheet(SHEET)
        self.row = 1
        b = book
        self.f_top = b.fmt(valign="top")
        self.f_wrap = b.fmt(text_wrap=True, valign="top")
        self.f_date = b.fmt(num_format=xlsx.DATE, valign="top")
        self.f_title = b.fmt(**xlsx.TITLE)
        self.f_title_wrap = b.fmt(**xlsx.TITLE, text_wrap=True)
        self.f_title_date = b.fmt(**xlsx.TITLE, num_format=xlsx.DATE)
        self.f_in = {k: b.fmt(num_format=nf, bg_color=xlsx.INPUT_FILL) for k, nf in
                     (("pct", xlsx.PCT), ("eur", xlsx.EUR), ("hours", xlsx.HOURS), ("int", xlsx.INT))}
        self.f_out = {k: b.fmt(num_format=nf) for k, nf in (("eur", xlsx.EUR), ("eur4", xlsx.EUR4))}

    def rule(self, cao: str, label: str, value: Any, unit: str, fmt: Any, name: str | None, source: str = "",
             since: Any = None, formula: X | None = None) -> X:
        sh, r = self.sh, self.row
        sh.text(r, 0, cao, self.f_top)
        sh.text(r, 1, label, self.f_top)
        cell = sh.formula(r, C_VALUE, formula, fmt) if formula is not None else sh.value(r, C_VALUE, value, fmt)
        sh.text(r, 7, unit, self.f_top)
        ref = cell.ref
        if name is not None:
            full = self.book.unique_name(name)
            self.book.define(full, cell)
            sh.text(r, 11, full, self.f_top)
            ref = X(full, cell.value)
        if source:
            sh.text(r, 12, source, self.f_wrap)
        if since is not None:
            sh.date(r, 13, since, self.f_date)
        self.row += 1
        return ref


def write(book: xlsx.Book, region: Region, params: YearParameters, used: dict[str, list[ProfileCost]]) -> CaoCells:
    """``used``: per CAO key (in region order), one ProfileCost per function profile used."""
    w = _Writer(book)
    sh = w.sh
    sh.header(0, COLUMNS)
    sh.widths(WIDTHS)
    sh.ws.freeze_panes(1, 2)
    sh.print_setup()
    out = CaoCells({}, {})
    ref_day = params.cao_reference_date
    for cao_key, profiles in used.items():
        cao = region.caos[cao_key]
        first = profiles[0]
        rules = first.allowance_use.value
        a_src = first.allowance_use.entry.source
        a_from = first.allowance_use.entry.valid_from
        p = f"cao_{cao_key}_"
        sh.text(w.row, 0, cao_key, w.f_title)
        sh.text(w.row, 1, f"{cao.meta.name}: regels op de peildatum {date(ref_day)}", w.f_title)
        for col in range(2, len(COLUMNS)):
            sh.ws.write_blank(w.row, col, None, w.f_title)
        sh.text(w.row, 12, f"toeslagen en ORT: {a_src}", w.f_title_wrap)
        sh.date(w.row, 13, a_from, w.f_title_date)
        w.row += 1
        hours = w.rule(cao_key, "Contracturen per jaar (voltijd)", first.hours_use.value, "uur per jaar",
                       w.f_in["hours"], p + "annual_hours", first.hours_use.entry.source,
                       first.hours_use.entry.valid_from)
        hol_rate = w.rule(cao_key, "Vakantietoeslag", rules.holiday_rate, "fractie van het jaarsalaris",
                          w.f_in["pct"], p + "holiday_rate")
        if rules.holiday_min_month_eur is not None:
            month = w.rule(cao_key, "Minimum vakantietoeslag per maand", rules.holiday_min_month_eur, "€ per maand",
                           w.f_in["eur"], None)
            hol_min = w.rule(cao_key, "Minimum vakantietoeslag per jaar", None, "€ per jaar (12 x per maand)",
                             w.f_out["eur"], p + "holiday_min", formula=month * lit(12))
        elif rules.holiday_min_year_eur is not None:
            hol_min = w.rule(cao_key, "Minimum vakantietoeslag per jaar", rules.holiday_min_year_eur, "€ per jaar",
                             w.f_in["eur"], p + "holiday_min")
        elif rules.holiday_min_number is not None:
            try:
                amount, table = cao.series_amount(rules.holiday_min_number, ref_day)
            except SalaryLookupError as exc:  # the engine refused this CAO too; nothing to show
                raise ValueError(str(exc)) from exc
            w.rule(cao_key, "Minimum vakantietoeslag: over het salaris van inpassingsnummer",
                   rules.holiday_min_number, "inpassingsnummer", w.f_in["int"], None)
            number_salary = w.rule(cao_key, "Maandsalaris van dat inpassingsnummer", amount, "€ per maand",
                                   w.f_in["eur"], None, table)
            hol_min = w.rule(cao_key, "Minimum vakantietoeslag per jaar", None,
                             "€ per jaar (vakantietoeslag x 12 x maandsalaris)", w.f_out["eur"], p + "holiday_min",
                             formula=hol_rate * (number_salary * lit(12)))
        else:
            hol_min = w.rule(cao_key, "Minimum vakantietoeslag per jaar (geen minimum)", ZERO, "€ per jaar",
                             w.f_in["eur"], p + "holiday_min")
        ye_rate = w.rule(cao_key, "Eindejaarsuitkering", rules.year_end_rate, "fractie", w.f_in["pct"],
                         p + "year_end_rate")
        plus = rules.year_end_base == "salary_plus_holiday"
        w.rule(cao_key, "Grondslag eindejaarsuitkering", "salaris + vakantietoeslag" if plus else "salaris", "",
               w.f_top, None)
        ye_min = w.rule(cao_key, "Minimum eindejaarsuitkering per jaar", rules.year_end_min_year_eur or ZERO,
                        "€ per jaar", w.f_in["eur"], p + "year_end_min")
        other = w.rule(cao_key, "Overige CAO-budgetten (bijv. IKB)", rules.other_rate, "fractie van het jaarsalaris",
                       w.f_in["pct"], p + "other_rate")
        ort = {}
        for slot in SLOTS:
            if slot in rules.ort_rates:
                ort[slot] = w.rule(cao_key, SLOT_LABEL[slot], rules.ort_rates[slot], "fractie van het uurloon",
                                   w.f_in["pct"], p + f"ort_{slot}")
        cr = CaoRules(cao_key, hours, hol_rate, hol_min, ye_rate, ye_min, plus, other, ort)
        for pc in profiles:  # the ORT cap (per capping scale), only where it binds on a step
            cap = pc.ort_cap
            label = ort_cap_label(cap) if cap is not None and cap.binds else None
            if label is None or label in cr.ort_cap:
                continue
            cr.ort_cap[label] = w.rule(cao_key, f"ORT-maximum: maandsalaris van {label}", cap.monthly_eur,
                                       f"€ per maand (uurloon = / {cap.monthly_hours})", w.f_in["eur"],
                                       p + "ort_cap", f"{cap.use.entry.source}; {cap.table_file}",
                                       cap.use.entry.valid_from)
        out.rules[cao_key] = cr
        for pc in profiles:
            out.steps[(cao_key, pc.profile)] = _profile_steps(w, cao_key, pc, cr)
    sh.ws.autofilter(0, 0, w.row - 1, len(COLUMNS) - 1)
    return out


def _profile_steps(w: _Writer, cao_key: str, pc: ProfileCost, cr: CaoRules) -> list[StepCells]:
    sh = w.sh
    cells = []
    src = pc.map_use.entry
    flag = " (AANNAME)" if src.assumption else ""
    for st in pc.steps:
        r = w.row
        lk = st.lookup
        sh.text(r, 0, cao_key, w.f_top)
        sh.text(r, 1, "Salaris trede", w.f_top)
        sh.text(r, 2, pc.profile, w.f_top)
        sh.text(r, 3, pc.scale, w.f_top)
        sh.text(r, 4, st.step, w.f_top)
        weight = sh.number(r, 5, st.weight, w.f_in["pct"])
        amount = sh.number(r, C_VALUE, lk.monthly_eur, w.f_in["eur"])
        sh.text(r, 7, "€ per maand", w.f_top)
        annual = sh.formula(r, C_ANNUAL, amount.local * lit(12), w.f_out["eur"])
        holiday = sh.formula(r, C_HOLIDAY, MAX(annual.local * cr.holiday_rate, cr.holiday_min), w.f_out["eur4"])
        base = annual.local + holiday.local if cr.year_end_plus_holiday else annual.local
        year_end = sh.formula(r, C_YEAR_END, MAX(base * cr.year_end_rate, cr.year_end_min), w.f_out["eur4"])
        note = f": {lk.note}" if lk.note else ""
        sh.text(r, 12, f"{lk.table_file}{note}; functiekoppeling: {src.source}{flag}", w.f_wrap)
        sh.date(r, 13, lk.table_effective, w.f_date)
        if lk.number is not None:
            sh.number(r, 14, lk.number, w.f_top)
        sh.text(r, 15, "ja" if lk.derived else "nee", w.f_top)
        cells.append(StepCells(weight, amount, holiday, year_end))
        w.row += 1
    return cells


def ort_cap_label(cap: Any) -> str:
    """The capping step as the CAO names it."""
    return f"inpassingsnummer {cap.number}" if cap.number is not None else f"schaal {cap.scale} periodiek {cap.step}"
