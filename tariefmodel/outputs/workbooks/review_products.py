"""Sheet Producten: one block per tariff of the book, the whole build-up as live formulas.

A built-up tariff (cao, basistarief, micro, addendum, re-issued version): staffing
mix -> direct staff cost per unit -> client-bound costs by kind ->
overhead (markup or share, chosen by the parameter) -> no-show (divide or
markup, only for products with no-show) -> profit and risk -> ROUND exactly
where the engine rounds (the tariff; for minute products the method of
buildup.minute_tariff chosen by the parameter). Each block is checked against
the engine's own figures before it is written; a block that differs is left
out and reported (a tariff variant this workbook does not know how to build).
An indexed tariff adds its chain of index steps below its first year's block
(review_indexed); pgb and external tariffs get blocks of their own (review_derived).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tariefmodel.data.region import Region
from tariefmodel.engine.pricing import UNIT_CODES, Tariff, YearParameters
from tariefmodel.outputs.workbooks import xlsx
from tariefmodel.outputs.workbooks.formula import IF, NA, ROUND, SUM, Cell, X, a1, lit
from tariefmodel.outputs.workbooks.review_profiles import ProfileKey, close, ort_spec

SHEET = "Producten"
COLUMNS = ["Onderdeel", "Sleutel", "Aandeel / percentage / hoeveelheid", "Kosten per productief uur", "Bedrag",
           "Berekening"]
WIDTHS = {0: (30, 46), 1: (14, 24), 2: (14, 16), 3: (14, 16), 4: (15, 17), 5: (30, 80)}
A, KEY, QTY, RATE, AMOUNT, HOW = range(6)

KIND_TEXT = {
    "per_unit": "bedrag per eenheid",
    "per_staff_hour": "bedrag x personeelsuren / groepsgrootte",
    "staff_time_uplift": "opslag x directe personeelskosten (D)",
    "per_place_year": "bedrag per plaats per jaar / eenheden per plaats per jaar",
}


@dataclass(frozen=True, slots=True)
class Block:
    tariff: Any  # the book's row (engine.rows.TariffRow)
    title: Cell
    tariff_cell: Cell
    hour_cell: Cell | None


@dataclass(frozen=True, slots=True)
class Skipped:
    tariff: Any  # the book's row
    reason: str


class Formats:
    def __init__(self, book: xlsx.Book):
        b = book
        self.title = b.fmt(**xlsx.TITLE)
        self.info = b.fmt(italic=True, font_color="#404040", valign="top")
        self.info_wrap = b.fmt(italic=True, font_color="#404040", text_wrap=True, valign="top")
        self.top = b.fmt(valign="top")
        self.how = b.fmt(valign="top", text_wrap=True, indent=1)
        self.in_pct = b.fmt(num_format=xlsx.PCT, bg_color=xlsx.INPUT_FILL)
        self.in_num = b.fmt(num_format=xlsx.GENERAL, bg_color=xlsx.INPUT_FILL)
        self.in_eur = b.fmt(num_format=xlsx.EUR, bg_color=xlsx.INPUT_FILL)
        self.pct = b.fmt(num_format=xlsx.PCT)
        self.num = b.fmt(num_format=xlsx.GENERAL)
        self.eur4 = b.fmt(num_format=xlsx.EUR4)
        self.eur4b = b.fmt(num_format=xlsx.EUR4, bold=True)
        self.eur = b.fmt(num_format=xlsx.EUR)
        self.tariff = b.fmt(num_format=xlsx.EUR, bold=True, bg_color="#E2EFDA", border=1)
        self.tariff_input = b.fmt(num_format=xlsx.EUR, bold=True, bg_color=xlsx.INPUT_FILL, border=1)
        self.bold = b.fmt(bold=True)
        self.subtitle = b.fmt(bold=True, italic=True)


BlockWriter = Callable[[xlsx.Recorder, Formats, int], tuple[Block, int]]


class Producten:
    """The sheet, filled block by block; a block whose figures differ from the engine's is left out."""

    def __init__(self, book: xlsx.Book):
        self.sh = sh = book.sheet(SHEET)
        sh.header(0, COLUMNS)
        sh.widths(WIDTHS)
        sh.ws.freeze_panes(1, 1)
        sh.print_setup()
        self.f = Formats(book)
        self.row = 1
        self.blocks: list[Block] = []
        self.skipped: list[Skipped] = []

    def add(self, t: Any, write_block: BlockWriter) -> Block | None:
        rec = xlsx.Recorder(self.sh)
        try:
            block, end = write_block(rec, self.f, self.row)
        except Differs as exc:
            self.skipped.append(Skipped(t, str(exc)))
            return None
        rec.replay()
        self.blocks.append(block)
        self.row = end + 2  # one empty row between blocks
        return block

    def skip(self, t: Any, reason: str) -> None:
        self.skipped.append(Skipped(t, reason))


class Differs(Exception):
    """A block's figure differs from the engine's (or cannot be compared): the block is left out."""


def check(label: str, cell: Cell, engine: Decimal | None, exact: bool = False) -> None:
    """The cell's exact value equals the engine's (``exact``; else up to the last of 28 digits)."""
    v = cell.value
    if engine is None or not isinstance(v, Decimal | int):
        raise Differs(f"{label}: geen vergelijkbare waarde (werkmap {v!r}, rekenkern {engine!r})")
    ok = Decimal(v) == engine if exact else close(Decimal(v), engine)
    if not ok:
        raise Differs(f"{label} is {v} in de werkmap maar {engine} in de rekenkern")


def title_rows(sh: xlsx.Recorder, f: Formats, t: Any, row: int, info: str, how: str) -> Cell:
    """The block's title (code, name) and its line of what, which year, which contract."""
    prod = t.product.product
    title = sh.text(row, A, prod.code, f.title)
    sh.text(row, KEY, prod.name, f.title)
    for col in range(QTY, HOW + 1):
        sh.blank(row, col, f.title)
    sh.text(row + 1, A, info, f.info)
    sh.text(row + 1, HOW, f"{prod.law}, contract {t.product.contract}, eenheid {prod.unit} "
                          f"(iJw/iWmo-code {UNIT_CODES.get(prod.unit, '')})" + how, f.info_wrap)
    return title


def buildup(sh: xlsx.Recorder, f: Formats, region: Region, params: YearParameters, names: dict[str, X],
            profile_cells: dict[ProfileKey, Cell], t: Tariff, row: int, *, first_year_of: int | None = None
            ) -> tuple[Block, int]:
    """The build-up block of a tariff. ``first_year_of``: the tariff is the first year's of an indexed tariff
    of that year (its rounded rows then carry their year)."""
    prod = t.product.product
    cao = region.caos[t.cao]
    minute = prod.unit == "minuut"
    build_unit = "uur" if minute else prod.unit
    extra = []
    if t.micro:
        extra.append("micro-onderneming")
    if t.provider:
        extra.append(f"aanbieder {t.provider}")
    if t.reason and t.reason != f"CAO {t.cao}":
        extra.append(t.reason)
    info = f"variant {t.variant} ({cao.meta.name}), tariefjaar {t.year}"
    if first_year_of is not None:
        info = f"variant {t.variant} ({cao.meta.name}): opbouw {t.year}, geïndexeerd naar {first_year_of}"
    title = title_rows(sh, f, t, row, info, "".join(f"; {e}" for e in extra))
    r = row + 2
    suffix = f" {t.year}" if first_year_of is not None else ""
    # 1. staffing mix
    contributions = []
    for s in t.staff:
        key = ProfileKey(t.cao, s.profile, prod.productivity_norm,
                         ort_spec(prod, region.profiles[s.profile].irregular_hours))
        c_cell = profile_cells.get(key)
        if c_cell is None:
            raise Differs(f"geen rij in Functieprofielen voor {key}")
        sh.text(r, A, "Functieprofiel", f.how)
        sh.text(r, KEY, s.profile, f.top)
        share = sh.number(r, QTY, s.share, f.in_pct)
        cost = sh.formula(r, RATE, c_cell.ref, f.eur4)
        contributions.append(sh.formula(r, AMOUNT, cost.local * share.local, f.eur4))
        sh.text(r, HOW, "aandeel x kosten per productief uur (Functieprofielen)", f.how)
        r += 1
    sh.text(r, A, "Kosten per direct personeelsuur (Cmix)", f.bold)
    cmix = sh.formula(r, AMOUNT, SUM([c.local for c in contributions],
                                     f"{a1(contributions[0].row, AMOUNT)}:{a1(contributions[-1].row, AMOUNT)}"),
                      f.eur4b)
    sh.text(r, HOW, "som van de bijdragen", f.how)
    check("Cmix", cmix, t.cost_per_staff_hour)
    r += 1
    # 2. per unit
    sh.text(r, A, f"Personeelsuren per {build_unit} (voor de hele groep)", f.top)
    if prod.staff_hours_per_unit is None and prod.unit == "dagdeel" and \
            t.staff_hours_per_unit == params.v("hours_per_dagdeel"):
        hours = sh.formula(r, QTY, names["hours_per_dagdeel"], f.num)
        sh.text(r, HOW, "uren per dagdeel (Parameters)", f.how)
    else:
        hours = sh.number(r, QTY, t.staff_hours_per_unit, f.in_num)
        if prod.staff_hours_per_unit is not None and prod.staff_hours_per_unit == t.staff_hours_per_unit:
            how = "uit het product"
        elif prod.staff_hours_per_unit is None and t.staff_hours_per_unit == 1:
            how = "1 uur per uur (minuutproducten worden per uur opgebouwd)" if minute else "1 uur per eenheid"
        else:
            how = "van deze variant"
        sh.text(r, HOW, how, f.how)
    r += 1
    sh.text(r, A, "Groepsgrootte (cliënten per medewerker)", f.top)
    group = sh.number(r, QTY, t.group_size, f.in_num)
    sh.text(r, HOW, "uit het product" if t.group_size == prod.group_size else "van deze variant", f.how)
    r += 1
    sh.text(r, A, "Directe personeelskosten (D)", f.bold)
    direct_staff = sh.formula(r, AMOUNT, cmix.local * hours.local / group.local, f.eur4b)
    sh.text(r, HOW, "Cmix x personeelsuren / groepsgrootte", f.how)
    check("D", direct_staff, t.direct_staff_cost)
    r += 1
    # 3. client-bound costs
    uplifts, others = [], []
    for key in prod.client_costs:
        cc = params.client_costs[key]
        amount = names[f"client_costs.{key}.amount"]
        sh.text(r, A, cc.label, f.top)
        sh.text(r, KEY, key, f.top)
        sh.formula(r, QTY, amount, f.pct if cc.kind == "staff_time_uplift" else f.eur)
        if cc.kind == "per_unit":
            x = amount
        elif cc.kind == "per_staff_hour":
            x = amount * hours.local / group.local
        elif cc.kind == "staff_time_uplift":
            x = direct_staff.local * amount
        elif cc.kind == "per_place_year":
            x = amount / names[f"client_costs.{key}.units_per_place_year"]
        else:
            raise Differs(f"soort cliëntgebonden kosten {cc.kind!r} bestaat niet")
        cell = sh.formula(r, AMOUNT, x, f.eur4)
        (uplifts if cc.kind == "staff_time_uplift" else others).append(cell.local)
        sh.text(r, HOW, KIND_TEXT[cc.kind], f.how)
        r += 1
    direct_x = direct_staff.local
    if uplifts:
        direct_x = direct_x + SUM(uplifts)
    if others:
        direct_x = direct_x + SUM(others)
    sh.text(r, A, "Directe kosten (D + K)", f.bold)
    direct = sh.formula(r, AMOUNT, direct_x, f.eur4b)
    sh.text(r, HOW, "directe personeelskosten + cliëntgebonden kosten", f.how)
    check("directe kosten", direct, t.direct_cost)
    r += 1
    # 4. overhead
    o = names["overhead.rate_micro" if t.micro else "overhead.rate"]
    conv = names["overhead.convention"]
    if o.v != t.overhead_rate:
        raise Differs(f"overheadpercentage {t.overhead_rate} is niet {o.f} ({o.v})")
    sh.text(r, A, "Overhead" + (" (micro-onderneming)" if t.micro else ""), f.top)
    sh.formula(r, QTY, o, f.pct)
    overhead_row = r
    sh.text(r, HOW, "markup: (D + K) x (1 + o); share: (D + K) / (1 - o); keuze in Parameters", f.how)
    r += 1
    sh.text(r, A, "Kosten inclusief overhead", f.bold)
    one = lit(1)
    incl = sh.formula(r, AMOUNT, IF(conv.eq("markup"), direct.local * (one + o),
                                    IF(conv.eq("share"), direct.local / (one - o), NA())), f.eur4b)
    sh.formula(overhead_row, AMOUNT, incl.local - direct.local, f.eur4)
    check("kosten inclusief overhead", incl, t.cost_incl_overhead)
    r += 1
    # 5. no-show
    if prod.no_show:
        n = names["no_show.rate"]
        nconv = names["no_show.convention"]
        if n.v != t.no_show_rate:
            raise Differs(f"no-showpercentage {t.no_show_rate} is niet no_show_rate ({n.v})")
        sh.text(r, A, "No-show (ingeprijsd, niet declarabel)", f.top)
        sh.formula(r, QTY, n, f.pct)
        no_show_row = r
        sh.text(r, HOW, "divide: / (1 - n); markup: x (1 + n); keuze in Parameters", f.how)
        r += 1
        sh.text(r, A, "Kostprijs", f.bold)
        cost_price = sh.formula(r, AMOUNT, IF(nconv.eq("divide"), incl.local / (one - n),
                                              IF(nconv.eq("markup"), incl.local * (one + n), NA())), f.eur4b)
        sh.formula(no_show_row, AMOUNT, cost_price.local - incl.local, f.eur4)
    else:
        sh.text(r, A, "Kostprijs", f.bold)
        cost_price = sh.formula(r, AMOUNT, incl.local, f.eur4b)
        sh.text(r, HOW, "geen no-show bij dit product", f.how)
    check("kostprijs", cost_price, t.cost_price)
    r += 1
    # 6. profit and risk
    pr = names["profit_risk_rate"]
    sh.text(r, A, "Winst en risico", f.top)
    sh.formula(r, QTY, pr, f.pct)
    profit_row = r
    sh.text(r, HOW, "kostprijs x (1 + r)", f.how)
    r += 1
    sh.text(r, A, f"Tarief onafgerond (per {build_unit})", f.bold)
    unrounded = sh.formula(r, AMOUNT, cost_price.local * (one + pr), f.eur4b)
    sh.formula(profit_row, AMOUNT, unrounded.local - cost_price.local, f.eur4)
    check("tarief onafgerond", unrounded, t.unrounded)
    r += 1
    # 7. rounding, exactly where the engine rounds
    dec = names["rounding.tariff_decimals"]
    u = unrounded.local
    hour_cell = None
    if minute:
        method = names["rounding.minute_tariff"]
        step = names["engine.minute_multiple_eur"]
        sh.text(r, A, "Uurtarief" + suffix, f.bold)
        hour_cell = sh.formula(r, AMOUNT, hour_x(u, method, step, dec), f.eur)
        sh.text(r, HOW, "ROUND(onafgerond; decimalen), of een veelvoud van € 0,60 (keuze in Parameters)", f.how)
        check("uurtarief", hour_cell, t.hour_tariff, exact=True)
        r += 1
        h = hour_cell.local
        sh.text(r, A, "TARIEF per minuut" + suffix, f.bold)
        tariff_cell = sh.formula(r, AMOUNT, minute_x(u, h, method, dec), f.tariff)
        sh.text(r, HOW, "from_hour: ROUND(uurtarief / 60); direct: ROUND(onafgerond / 60); "
                        "hour_multiple_of_60_cents: uurtarief / 60", f.how)
    else:
        sh.text(r, A, f"TARIEF per {prod.unit}{suffix}", f.bold)
        tariff_cell = sh.formula(r, AMOUNT, ROUND(u, dec), f.tariff)
        sh.text(r, HOW, "ROUND(tarief onafgerond; decimalen), halverwege van nul af", f.how)
    check("tarief", tariff_cell, t.tariff_eur, exact=True)
    return Block(t, title, tariff_cell, hour_cell), r


def hour_x(u: X, method: X, step: X, dec: X) -> X:
    """The hour tariff of a minute product (buildup.minute_tariff): a multiple of € 0,60, or rounded."""
    return IF(method.eq("hour_multiple_of_60_cents"), ROUND(u / step, lit(0)) * step, ROUND(u, dec))


def minute_x(u: X, h: X, method: X, dec: X) -> X:
    """The minute tariff from the unrounded hour tariff ``u`` and the hour tariff cell ``h``, by method."""
    sixty = lit(60)
    return IF(method.eq("from_hour"), ROUND(h / sixty, dec),
              IF(method.eq("direct"), ROUND(u / sixty, dec),
                 IF(method.eq("hour_multiple_of_60_cents"), h / sixty, NA())))

