"""Price the product book: every product x CAO for a tariff year, every figure kept.

``YearParameters`` takes the dated parameters of a year from the parameter view
(``data.params``), with their provenance, for ``explain``. Function-profile costs are computed once per
(CAO, profile, ORT rate) and shared across all products that use them: that
is what makes 100,000 product-variant-years price in about a second.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tariefmodel.data.cao import Cao, SalaryLookup, SalaryLookupError
from tariefmodel.data.money import ONE, ZERO
from tariefmodel.data.numbers import date
from tariefmodel.data.params import COST_MODEL_FILE, MissingValue, ParamUse, params, value_at
from tariefmodel.data.problems import InputError, Problem
from tariefmodel.data.region import BookProduct, Region
from tariefmodel.data.steps import step_weights
from tariefmodel.engine import buildup as b
from tariefmodel.engine.rows import TariffRow

UNIT_CODES = {"minuut": "01", "uur": "04", "etmaal": "14", "dagdeel": "16", "stuks": "84"}


@dataclass(frozen=True, slots=True)
class NormResolved:
    key: str
    label: str
    method: str
    fraction: ParamUse | None
    items: tuple[tuple[str, str, str, ParamUse], ...]  # (key, label, kind, use)


@dataclass(frozen=True, slots=True)
class ClientCostResolved:
    key: str
    label: str
    kind: str
    units_per_place_year: Decimal | None
    amount: ParamUse


@dataclass(frozen=True)
class YearParameters:
    """The parameters a tariff year is priced with: read from the parameter view on 1 January.

    Which parameters count depends on the model itself (itemised or total employer charges,
    a norm's method), so the selection lives here; the values and their entries come from the view.
    """

    year: int
    day: dt.date  # parameters are taken as valid on 1 January of the tariff year
    cao_reference_date: dt.date
    uses: dict[str, ParamUse]
    charge_items: tuple[tuple[str, str, ParamUse, ParamUse | None], ...]  # key, label, rate, franchise
    norms: dict[str, NormResolved]
    client_costs: dict[str, ClientCostResolved]

    def v(self, path: str) -> Any:
        return self.uses[path].value

    @classmethod
    def of(cls, region: Region, year: int, cao_year: int | None = None) -> YearParameters:
        """The parameters of one tariff year; InputError with every gap at once.

        ``cao_year``: read the CAO tables of another year (indexation that follows the CAO
        keeps the base year's parameters but takes the new year's salary tables).
        """
        cm = region.cost_model
        day = dt.date(year, 1, 1)
        view = params(cm, day)
        uses: dict[str, ParamUse] = {}
        problems: list[Problem] = []

        def take(path: str) -> ParamUse | None:
            if path not in view:  # an optional parameter the file leaves out
                return None
            try:
                use = view.get(path)
            except MissingValue as exc:
                problems.append(exc.problem)
                return None
            uses[path] = use
            return use

        ref_day = take("cao_reference_day")
        mode = take("employer_charges.mode")
        charge_items: list[tuple[str, str, ParamUse, ParamUse | None]] = []
        if mode is not None and mode.value == "total":
            take("employer_charges.total_rate")
        elif mode is not None:
            for key, item in cm.employer_charges.items.items():
                rate = take(f"employer_charges.items.{key}.rate")
                franchise = (take(f"employer_charges.items.{key}.franchise_eur")
                             if item.base == "wage_above_franchise" else None)
                if rate is not None:
                    charge_items.append((key, item.label, rate, franchise))
        for path in ("overhead.rate", "overhead.rate_micro", "overhead.convention", "no_show.rate",
                     "no_show.convention", "profit_risk_rate", "hours_per_dagdeel", "rounding.tariff_decimals",
                     "rounding.minute_tariff", "rounding.cost_per_hour_decimals"):
            take(path)
        norms: dict[str, NormResolved] = {}
        for key, norm in cm.productivity_norms.items():
            base = f"productivity_norms.{key}"
            frac = take(f"{base}.fraction") if norm.method == "fraction" else None
            items = []
            if norm.method == "breakdown":
                for ikey, item in norm.breakdown.items():
                    use = take(f"{base}.breakdown.{ikey}.value")
                    if use is not None:
                        items.append((ikey, item.label, item.kind, use))
            norms[key] = NormResolved(key, norm.label, norm.method, frac, tuple(items))
        client_costs: dict[str, ClientCostResolved] = {}
        for key, cc in cm.client_costs.items():
            use = take(f"client_costs.{key}.amount")
            if use is not None:
                client_costs[key] = ClientCostResolved(key, cc.label, cc.kind, cc.units_per_place_year, use)
        # A divide convention at a rate of 1 (100%) divides by zero: refuse it by name.
        for rate_path, conv_path, conv in (("overhead.rate", "overhead.convention", "share"),
                                           ("overhead.rate_micro", "overhead.convention", "share"),
                                           ("no_show.rate", "no_show.convention", "divide")):
            if rate_path in uses and conv_path in uses and uses[conv_path].value == conv and uses[rate_path].value >= 1:
                problems.append(Problem(COST_MODEL_FILE, rate_path,
                                        f"{uses[rate_path].value} moet onder 1 liggen bij conventie {conv!r} "
                                        f"(er wordt gedeeld door 1 - percentage)"))
        if problems:
            raise InputError(problems)
        assert ref_day is not None
        month, dom = (int(x) for x in str(ref_day.value).split("-"))
        return cls(year, day, dt.date(cao_year or year, month, dom), uses, tuple(charge_items), norms, client_costs)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class StepSalary:
    step: str
    weight: Decimal
    lookup: SalaryLookup


@dataclass(frozen=True, slots=True)
class OrtCapApplied:
    """The CAO's ORT cap on the reference date: the capping scale/step, its salary and hourly wage."""

    scale: str | None
    step: str | None
    number: int | None  # inpassingsnummer (FWG CAOs)
    monthly_eur: Decimal
    monthly_hours: Decimal  # the CAO's divisor from monthly salary to hourly wage
    table_file: str
    use: ParamUse  # the dated ort_cap entry, with its source
    binds: bool  # some step of the profile earns more than the cap (and the profile earns ORT)

    @property
    def hourly_eur(self) -> Decimal:
        return self.monthly_eur / self.monthly_hours


@dataclass(frozen=True, slots=True)
class ProfileCost:
    """Cost per productive hour of one function profile under one CAO, with every figure."""

    cao: str
    profile: str
    scale: str
    steps: tuple[StepSalary, ...]
    map_use: ParamUse
    monthly_salary: Decimal
    annual_salary: Decimal
    holiday_allowance: Decimal
    holiday_minimum: Decimal
    year_end_bonus: Decimal
    other_allowances: Decimal
    irregular_hours_rate: Decimal
    irregular_hours: Decimal
    wage_cost: Decimal
    charges: tuple[tuple[str, Decimal], ...]
    employer_cost: Decimal
    contract_hours: Decimal
    productivity_norm: str
    deductions: tuple[tuple[str, Decimal], ...]
    productive_hours: Decimal
    productivity: Decimal
    cost_per_productive_hour: Decimal
    allowance_use: ParamUse
    hours_use: ParamUse
    ort_cap: OrtCapApplied | None = None  # None: the CAO has no ORT cap on the reference date


@dataclass(slots=True)
class StaffLine:
    profile: str
    share: Decimal
    cost: ProfileCost
    contribution: Decimal


@dataclass(slots=True)
class ClientCostLine:
    key: str
    label: str
    kind: str
    amount_per_unit: Decimal


@dataclass(slots=True, kw_only=True)
class Tariff(TariffRow):
    """One tariff built up from costs (product x variant x year), with every figure of the build-up.

    Kinds cao, basistarief and addendum, micro or not, of the product as first issued or of a
    re-issued version. Not frozen (see ``TariffRow``). Treat it as immutable.
    """

    staff: tuple[StaffLine, ...]
    cost_per_staff_hour: Decimal
    staff_hours_per_unit: Decimal
    group_size: Decimal
    direct_staff_cost: Decimal
    travel_time_cost: Decimal
    client_costs: tuple[ClientCostLine, ...]
    client_costs_total: Decimal
    direct_cost: Decimal
    overhead_rate: Decimal
    overhead: Decimal
    cost_incl_overhead: Decimal
    no_show_rate: Decimal
    no_show: Decimal
    cost_price: Decimal
    profit_risk: Decimal
    unrounded: Decimal  # per build unit (per hour for minute products)
    parameters: tuple[ParamUse, ...] = field(default=())
    kind: str = "cao"  # cao | basistarief | addendum

    @property
    def built(self) -> Tariff:
        return self

    @property
    def per_unit_divisor(self) -> Decimal:
        """Build-up figures are per hour for minute products; divide by this for per unit."""
        return b.SIXTY if self.product.product.unit == "minuut" else Decimal(1)


@dataclass
class Book:
    year: int
    tariffs: list[TariffRow]  # Tariff, DerivedTariff, or IndexedTariff in a later contract year
    problems: list[Problem]  # warnings and notes (errors raise InputError instead)


# --------------------------------------------------------------------------- engine


class Pricer:
    """Prices products for one region and year, caching function-profile costs."""

    def __init__(self, region: Region, year: int, param_year: int | None = None):
        self.region = region
        self.year = year
        # param_year: price with another year's parameters but this year's CAO tables (follow_cao).
        self.params = YearParameters.of(region, param_year or year, cao_year=year)
        self._profile_cache: dict[tuple, ProfileCost] = {}
        self._uses_cache: dict[tuple, tuple[ParamUse, ...]] = {}
        p = self.params
        self.overhead_convention = p.v("overhead.convention")
        self.overhead_rate = p.v("overhead.rate")
        self.overhead_rate_micro = p.v("overhead.rate_micro")
        self.hours_per_dagdeel = p.v("hours_per_dagdeel")
        self.no_show_rate = p.v("no_show.rate")
        self.no_show_convention = p.v("no_show.convention")
        self.profit_rate = p.v("profit_risk_rate")
        self.decimals = p.v("rounding.tariff_decimals")
        self.minute_method = p.v("rounding.minute_tariff")
        cph = p.uses.get("rounding.cost_per_hour_decimals")
        self.cost_per_hour_decimals = cph.value if cph is not None else None
        self.common_uses = tuple(p.uses[k] for k in (
            "overhead.convention", "profit_risk_rate", "rounding.tariff_decimals") if k in p.uses)

    # ---- function profiles

    def profile_cost(self, cao: Cao, profile: str, irregular: OrtSpec) -> ProfileCost:
        key = (cao.key, profile, irregular)
        hit = self._profile_cache.get(key)
        if hit is None:
            hit = self._profile_cost(cao, profile, irregular)
            self._profile_cache[key] = hit
        return hit

    def _profile_cost(self, cao: Cao, profile: str, irregular_spec: OrtSpec) -> ProfileCost:
        p = self.params
        ref = p.cao_reference_date
        fm_file = f"{cao.dir}/function_map.yaml"
        cao_file = f"{cao.dir}/cao.yaml"
        map_use = value_at(cao.function_map.profiles[profile], ref, f"profiles.{profile}", fm_file)
        spec = map_use.value
        try:
            steps = tuple(StepSalary(step, w, cao.salary(spec.scale, step, ref)) for step, w in step_weights(spec).items())
        except SalaryLookupError as exc:
            raise MissingValue(Problem(fm_file, f"profiles.{profile}", str(exc))) from exc
        allowance_use = value_at(cao.meta.allowances, ref, "allowances", cao_file)
        hours_use = value_at(cao.meta.annual_hours, ref, "annual_hours", cao_file)
        rules = allowance_use.value
        monthly = b.weighted_monthly_salary((s.lookup.monthly_eur, s.weight) for s in steps)
        annual = b.annual_salary(monthly)
        if rules.holiday_min_month_eur is not None:
            hol_min = rules.holiday_min_month_eur * b.TWELVE
        elif rules.holiday_min_year_eur is not None:
            hol_min = rules.holiday_min_year_eur
        elif rules.holiday_min_number is not None:
            try:
                amount, _ = cao.series_amount(rules.holiday_min_number, ref)
            except SalaryLookupError as exc:
                raise MissingValue(Problem(cao_file, "allowances.holiday_min_number", str(exc))) from exc
            hol_min = rules.holiday_rate * b.annual_salary(amount)
        else:
            hol_min = ZERO
        # CAO minima hold per employee, so apply them per step and weight the results:
        # a minimum that binds on the lowest step must not vanish into the average.
        holiday = ZERO
        year_end = ZERO
        for st in steps:
            g_step = b.annual_salary(st.lookup.monthly_eur)
            hol_step = b.holiday_allowance(g_step, rules.holiday_rate, hol_min)
            holiday += st.weight * hol_step
            year_end += st.weight * b.year_end_bonus(g_step, hol_step, rules.year_end_rate,
                                                     rules.year_end_base == "salary_plus_holiday",
                                                     rules.year_end_min_year_eur or ZERO)
        other = annual * rules.other_rate
        if isinstance(irregular_spec, Decimal):
            irregular_rate = irregular_spec
        else:
            missing = [slot for slot, _ in irregular_spec if slot not in rules.ort_rates]
            if missing:
                raise MissingValue(Problem(cao_file, "allowances.ort_rates",
                                           f"geen ORT-percentage voor tijdvak(ken) {', '.join(missing)} op {date(ref)}"))
            irregular_rate = b.irregular_hours_rate((share, rules.ort_rates[slot]) for slot, share in irregular_spec)
        cap = _ort_cap(cao, spec.scale, ref)
        step_amounts = [(s.lookup.monthly_eur, s.weight) for s in steps]
        if cap is not None:
            binds = irregular_rate != 0 and any(m > cap.monthly_eur for m, _ in step_amounts)
            cap = OrtCapApplied(cap.scale, cap.step, cap.number, cap.monthly_eur, cap.monthly_hours,
                                cap.table_file, cap.use, binds)
        irregular = b.irregular_hours_pay(annual, irregular_rate, step_amounts,
                                          cap.monthly_eur if cap is not None else None)
        wage = b.wage_cost(annual, holiday, year_end, other, irregular)
        if p.v("employer_charges.mode") == "total":
            charges = (("Werkgeverslasten", b.charge(wage, p.v("employer_charges.total_rate"), None)),)
        else:
            charges = tuple(
                (label, b.charge(wage, rate.value, franchise.value if franchise else None))
                for _key, label, rate, franchise in p.charge_items
            )
        employer = wage + sum((c for _, c in charges), ZERO)
        contract_hours = hours_use.value
        return ProfileCost(
            cao=cao.key, profile=profile, scale=spec.scale, steps=steps, map_use=map_use,
            monthly_salary=monthly, annual_salary=annual, holiday_allowance=holiday, holiday_minimum=hol_min,
            year_end_bonus=year_end, other_allowances=other, irregular_hours_rate=irregular_rate,
            irregular_hours=irregular, wage_cost=wage, charges=charges, employer_cost=employer,
            contract_hours=contract_hours, productivity_norm="", deductions=(), productive_hours=ZERO,
            productivity=ZERO, cost_per_productive_hour=ZERO, allowance_use=allowance_use, hours_use=hours_use,
            ort_cap=cap,
        )

    def _with_norm(self, pc: ProfileCost, norm_key: str) -> ProfileCost:
        norm = self.params.norms[norm_key]
        if norm.method == "fraction":
            assert norm.fraction is not None
            productive = b.productive_hours_from_fraction(pc.contract_hours, norm.fraction.value)
            deductions: tuple[tuple[str, Decimal], ...] = ()
        else:
            productive, amounts = b.productive_hours_from_breakdown(
                pc.contract_hours, [(kind, use.value) for _, _, kind, use in norm.items])
            deductions = tuple((label, amt) for (_, label, _, _), amt in zip(norm.items, amounts, strict=True))
        if productive <= 0:
            raise MissingValue(Problem(COST_MODEL_FILE, f"productivity_norms.{norm_key}",
                                       f"laat {productive} productieve uren over van {pc.contract_hours}"))
        cost = b.cost_per_productive_hour(pc.employer_cost, productive)
        if self.cost_per_hour_decimals is not None:
            cost = b.round_tariff(cost, self.cost_per_hour_decimals)
        from dataclasses import replace
        return replace(pc, productivity_norm=norm_key, deductions=deductions, productive_hours=productive,
                       productivity=productive / pc.contract_hours, cost_per_productive_hour=cost)

    def profile_cost_for(self, cao: Cao, profile: str, irregular: OrtSpec, norm: str) -> ProfileCost:
        key = (cao.key, profile, irregular, norm)
        hit = self._profile_cache.get(key)  # type: ignore[arg-type]
        if hit is None:
            hit = self._with_norm(self.profile_cost(cao, profile, irregular), norm)
            self._profile_cache[key] = hit  # type: ignore[index]
        return hit

    # ---- products

    def price(self, bp: BookProduct, cao_key: str, *, micro: bool = False,
              group_size: Decimal | None = None, staff_hours: Decimal | None = None, variant: str | None = None,
              provider: str = "", kind: str = "cao", reason: str = "") -> Tariff:
        prod = bp.product
        cao = self.region.caos[cao_key]
        p = self.params
        staff = []
        ort = _ort_spec(prod)
        profiles = self.region.profiles
        c_mix = ZERO  # C_mix = sum of share x C (buildup.staffing_mix), summed as the lines are built
        for profile, share in prod.staffing.items():
            # Daytime functions (behandelaars) earn no ORT even on a 24/7 product.
            pc = self.profile_cost_for(cao, profile, ort if profiles[profile].irregular_hours else ZERO,
                                       prod.productivity_norm)
            contribution = pc.cost_per_productive_hour * share
            c_mix += contribution
            staff.append(StaffLine(profile, share, pc, contribution))
        if staff_hours is not None:
            hours = staff_hours
        elif prod.staff_hours_per_unit is not None:
            hours = prod.staff_hours_per_unit
        elif prod.unit == "dagdeel":
            hours = self.hours_per_dagdeel
        else:
            hours = ONE  # uur, and minute products built per hour
        gsize = group_size if group_size is not None else prod.group_size
        direct_staff = b.direct_staff_cost(c_mix, hours, gsize)
        travel = ZERO
        k_total = ZERO
        lines = []
        for key in prod.client_costs:
            cc = p.client_costs[key]
            amount = b.client_cost_per_unit(cc.kind, cc.amount.value, direct_staff=direct_staff,
                                            staff_hours_per_unit=hours, group_size=gsize,
                                            units_per_place_year=cc.units_per_place_year)
            if cc.kind == "staff_time_uplift":
                travel += amount
            else:
                k_total += amount
            lines.append(ClientCostLine(key, cc.label, cc.kind, amount))
        direct = direct_staff + travel + k_total
        o_rate = self.overhead_rate_micro if micro else self.overhead_rate
        incl_overhead = b.with_overhead(direct, o_rate, self.overhead_convention)
        n_rate = self.no_show_rate if prod.no_show else ZERO
        cost_price = b.with_no_show(incl_overhead, n_rate, self.no_show_convention) if prod.no_show else incl_overhead
        unrounded = b.with_profit_risk(cost_price, self.profit_rate)
        if prod.unit == "minuut":
            hour_tariff, tariff = b.minute_tariff(unrounded, self.minute_method, self.decimals)
        else:
            hour_tariff, tariff = None, b.round_tariff(unrounded, self.decimals)
        return Tariff(
            product=bp, variant=variant or cao_key, cao=cao_key, year=self.year, micro=micro,
            staff=tuple(staff), cost_per_staff_hour=c_mix, staff_hours_per_unit=hours, group_size=gsize,
            direct_staff_cost=direct_staff, travel_time_cost=travel, client_costs=tuple(lines),
            client_costs_total=k_total, direct_cost=direct, overhead_rate=o_rate,
            overhead=incl_overhead - direct, cost_incl_overhead=incl_overhead, no_show_rate=n_rate,
            no_show=cost_price - incl_overhead, cost_price=cost_price, profit_risk=unrounded - cost_price,
            unrounded=unrounded, hour_tariff=hour_tariff, tariff_eur=tariff, provider=provider,
            parameters=self._uses_for(prod, micro), kind=kind, reason=reason,
        )

    def _uses_for(self, prod: Any, micro: bool) -> tuple[ParamUse, ...]:
        """The parameters behind a product's tariff (cached: the same for every CAO)."""
        # The trail depends on these attributes only, not on the product code.
        key = (prod.productivity_norm, tuple(prod.client_costs), prod.no_show, prod.unit,
               prod.staff_hours_per_unit is None, micro)
        hit = self._uses_cache.get(key)
        if hit is None:
            hit = self._uses_cache[key] = self._collect_uses(prod, micro)
        return hit

    def _collect_uses(self, prod: Any, micro: bool) -> tuple[ParamUse, ...]:
        u = self.params.uses
        keys = ["cao_reference_day", "employer_charges.mode"]
        keys += [k for k in u if k.startswith("employer_charges.") and k != "employer_charges.mode"]
        keys += [f"productivity_norms.{prod.productivity_norm}.fraction"]
        keys += [k for k in u if k.startswith(f"productivity_norms.{prod.productivity_norm}.breakdown.")]
        keys += [f"client_costs.{c}.amount" for c in prod.client_costs]
        keys += ["overhead.rate_micro" if micro else "overhead.rate", "overhead.convention"]
        if prod.no_show:
            keys += ["no_show.rate", "no_show.convention"]
        keys += ["profit_risk_rate"]
        if prod.unit == "dagdeel" and prod.staff_hours_per_unit is None:
            keys += ["hours_per_dagdeel"]
        keys += ["rounding.tariff_decimals"]
        if prod.unit == "minuut":
            keys += ["rounding.minute_tariff"]
        if "rounding.cost_per_hour_decimals" in u and u["rounding.cost_per_hour_decimals"].value is not None:
            keys += ["rounding.cost_per_hour_decimals"]
        return tuple(u[k] for k in keys if k in u)


OrtSpec = Decimal | tuple[tuple[str, Decimal], ...]


def _ort_cap(cao: Cao, scale: str, ref: dt.date) -> OrtCapApplied | None:
    """The CAO's ORT cap valid on ``ref`` for a profile in ``scale`` (binds is decided by the caller)."""
    param = getattr(cao.meta, "ort_cap", None)
    if param is None:
        return None
    cao_file = f"{cao.dir}/cao.yaml"
    use = value_at(param, ref, "ort_cap", cao_file)
    spec = use.value
    if spec is None:
        return None
    try:
        if spec.number is not None:
            amount, table = cao.series_amount(spec.number, ref)
            cap_scale, step = None, None
        else:
            # A CAO with two tables (Sociaal Werk art. 6.4 and 6.6) caps at the scale of the employee's table.
            cap_scale = next((s for prefix, s in sorted(spec.scale_for_prefix.items(), key=lambda kv: -len(kv[0]))
                              if scale.startswith(prefix)), spec.scale)
            step = spec.step
            lookup = cao.salary(cap_scale, step, ref)
            amount, table = lookup.monthly_eur, lookup.table_file
    except SalaryLookupError as exc:
        raise MissingValue(Problem(cao_file, "ort_cap", str(exc))) from exc
    return OrtCapApplied(cap_scale, step, spec.number, amount, spec.monthly_hours, table, use, False)


def _ort_spec(prod: Any) -> OrtSpec:
    """A product's ORT as a hashable cache key: a flat rate, or its slot profile."""
    if prod.irregular_hours_profile is not None:
        return tuple(sorted(prod.irregular_hours_profile.items()))
    return prod.irregular_hours_rate


@dataclass(slots=True, kw_only=True)
class DerivedTariff(TariffRow):
    """A tariff not built up from costs: derived from another tariff (pgb) or imported (extern)."""

    rate: Decimal | None = None  # pgb: the share of the base tariff

    @property
    def built(self) -> Tariff | None:
        # A pgb tariff of a calibrated year derives from that year's built-up basistarief; in an
        # indexed year it derives from an indexed tariff, which has no build-up of its own year.
        return self.base if isinstance(self.base, Tariff) else None


@dataclass(slots=True, kw_only=True)
class FixedTariff(DerivedTariff):
    """A decided amount (vast bedrag) instead of a build-up: the same for every variant of the product."""

    entry: Any = None  # the FixedAmount record: amount, from, source, decided_by, decided_on


@dataclass(frozen=True, slots=True)
class FixedTerms:
    """How a decided amount is told to a reader (the book's reason, explain, the review workbook)."""

    decided: str  # who decided and when, and the decision; '' when the data does not say
    period: str  # 'vanaf 01-01-2025 tot en met 31-12-2025'
    recorded_in: str  # the file (and row) that holds the amount


def fixed_terms(entry: Any, product_file: str, code: str) -> FixedTerms:
    """The reader's words for a decided amount from a product file (``vast``) or the ZIN tariff list."""
    who = " ".join(x for x in (entry.decided_by or "", date(entry.decided_on) if entry.decided_on else "") if x)
    decided = "; ".join(x for x in (who, entry.decision or "") if x)
    period = f"vanaf {date(entry.valid_from)}" + (f" tot en met {date(entry.valid_until)}" if entry.valid_until else "")
    recorded = (f"ZIN-tarievenlijst {entry.listed_in}, rij {entry.listed_row}" if entry.listed_in
                else f"{product_file}, {code} vast")
    return FixedTerms(decided, period, recorded)


def fixed_amount(bp: BookProduct, day: dt.date) -> Any:
    """The product's decided amount valid on ``day``, or None.

    The entry with the latest ``from`` on or before the day holds, unless it ended (``until``) before the day:
    then no amount is decided and the build-up holds again (an earlier entry does not come back)."""
    valid = [v for v in bp.product.vast if v.valid_from <= day] if getattr(bp.product, "vast", None) else []
    if not valid:
        return None
    latest = max(valid, key=lambda v: v.valid_from)
    return None if latest.valid_until is not None and latest.valid_until < day else latest


def product_active(bp: BookProduct, day: dt.date) -> bool:
    prod = bp.product
    if prod.valid_from is not None and prod.valid_from > day:
        return False
    return not (prod.valid_until is not None and prod.valid_until < day)


def _once_per_cause(problems: list[tuple[Problem, str]], year: int) -> list[Problem]:
    """One gap usually blocks many tariffs: report each cause once, with what it blocks."""
    grouped: dict[Problem, list[str]] = {}
    for prob, tariff in problems:
        grouped.setdefault(prob, []).append(tariff)
    out = []
    for prob, blocked in grouped.items():
        example = ", ".join(blocked[:3]) + (", ..." if len(blocked) > 3 else "")
        out.append(Problem(prob.file, prob.where,
                           f"{prob.message} (blokkeert {len(blocked)} "
                           f"{'tarief' if len(blocked) == 1 else 'tarieven'} in {year}: {example})",
                           prob.severity, prob.line))
    return out


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the year in which one version of a product holds."""

    product: BookProduct
    version: str
    start: dt.date
    end: dt.date
    note: str


def product_segments(region: Region, bp: BookProduct, year: int, force: str | None = None) -> list[Segment]:
    """The versions of a product in a year: a re-issue mid-year splits the year (TAR-17).

    ``force``: price one version for the whole year (indexing a version re-issued after the base year).
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    versions = region.versions.get(bp.product.code, ())
    if force is not None:
        v = next(v for v in versions if v.id == force)
        return [Segment(v.product, v.id, start, end, f"heruitgifte {v.id} per {date(v.valid_from)}: {v.reason}")]
    current = Segment(bp, "", start, end, "")
    for v in versions:
        if v.valid_from <= start:
            current = Segment(v.product, v.id, start, end, f"heruitgifte {v.id} per {date(v.valid_from)}: {v.reason}")
    segments = []
    cursor = start
    for v in versions:
        if start < v.valid_from <= end:
            segments.append(Segment(current.product, current.version, cursor, v.valid_from - dt.timedelta(days=1),
                                    current.note))
            current = Segment(v.product, v.id, v.valid_from, end, f"heruitgifte {v.id} per {date(v.valid_from)}: {v.reason}")
            cursor = v.valid_from
    segments.append(Segment(current.product, current.version, cursor, end, current.note))
    return segments


def price_sector_tariffs(region: Region, year: int, param_year: int | None = None,
                         force: dict[str, str] | None = None) -> tuple[Pricer, list[Tariff]]:
    """Every active product x applicable CAO (regular overhead); raise InputError on any gap."""
    pricer = Pricer(region, year, param_year)
    tariffs: list[Tariff] = []
    problems: list[tuple[Problem, str]] = []
    for bp in region.products:
        if not product_active(bp, pricer.params.day):
            continue
        for seg in product_segments(region, bp, year, (force or {}).get(bp.product.code)):
            for cao_key in seg.product.product.caos:
                try:
                    t = pricer.price(seg.product, cao_key, reason=f"CAO {cao_key}" + (f"; {seg.note}" if seg.note else ""))
                except MissingValue as exc:
                    problems.append((exc.problem, f"{bp.product.code}/{cao_key}"))
                    continue
                t.version, t.valid_from, t.valid_to = seg.version, seg.start, seg.end
                tariffs.append(t)
    if problems:
        raise InputError(_once_per_cause(problems, year))
    return pricer, tariffs
