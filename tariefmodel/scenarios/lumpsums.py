"""Lump sums, availability funding and task budgets (LUMP-01/02, FUND-01/04, ALLOC-01..04).

Midden-Holland pays a fixed amount per year, not a unit tariff, for the non-case-bound
consultation function and for presence at the referral tables in Hoog specialistisch, and
availability funding for 3 crisis places [001:510-517, 001:842-846]. Each is priced here
from capacity and staffing with the engine's own figures:

* ``hours``: staff hours per year (count x hours of each item) x the staffing mix's cost per
  productive hour (the engine's function-profile costs), plus client costs per staff hour;
* ``availability``: staff hours per day to keep the places available x days per year, with
  the irregular-hours allowance of a 24/7 roster, plus housing per place per year;
* ``fixed``: an amount per year set elsewhere (a task budget per provider or area).

Then overhead and the profit and risk surcharge as for a tariff, rounded to cents once. The
first contract year is priced; later years follow the contract's indexation method, rounded
every year, as the tariffs do. The amount is paid to the recipients in equal parts and shared
between municipalities by an allocation key (inhabitants, youths, use or fixed shares)
[000:226]; parts are whole cents that add up to the amount exactly (largest remainder).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from tariefmodel.data.money import CENT, ONE, ZERO, excel_round
from tariefmodel.data.problems import InputError, Problem
from tariefmodel.data.region import Region
from tariefmodel.engine import buildup as b
from tariefmodel.engine.indexation import LATEST, assigned_method, method_rate
from tariefmodel.engine.pricing import Pricer, ProfileCost
from tariefmodel.loader.inputs import LUMP_SUMS


@dataclass(frozen=True)
class IndexStepLump:
    year: int
    method: str
    rate: Decimal
    before: Decimal
    after: Decimal


@dataclass
class LumpSumPrice:
    """One lump sum in one year: its build-up (first year), its indexation, its split."""

    key: str
    label: str
    contract: str
    law: str
    kind: str
    year: int
    base_year: int
    staff: tuple[tuple[str, Decimal, ProfileCost], ...] = ()
    hours: Decimal = ZERO  # staff hours per year
    cost_per_staff_hour: Decimal = ZERO
    direct_staff_cost: Decimal = ZERO
    travel_time_cost: Decimal = ZERO
    client_costs: Decimal = ZERO
    accommodation: Decimal = ZERO
    direct_cost: Decimal = ZERO
    overhead_rate: Decimal = ZERO
    overhead: Decimal = ZERO
    profit_risk: Decimal = ZERO
    unrounded: Decimal = ZERO
    base_amount: Decimal = ZERO  # rounded, first year
    amount: Decimal = ZERO  # rounded, this year (indexed)
    steps: tuple[IndexStepLump, ...] = ()
    per_recipient: dict[str, Decimal] = field(default_factory=dict)
    per_municipality: dict[str, Decimal] = field(default_factory=dict)
    allocation_key: str = ""
    spec: Any = None  # the LumpSum input, for the vectorised path
    client_lines: tuple[tuple[str, str, Decimal], ...] = ()  # (client cost key, kind, coefficient)


def allocate(amount: Decimal, weights: dict[str, Decimal]) -> dict[str, Decimal]:
    """Share an amount of whole cents by weights; the parts are whole cents and add up exactly.

    Largest remainder: every part is first rounded down to a cent, then the cents left over go
    one by one to the largest remainders (ties: the order of ``weights``).
    """
    total = sum(weights.values(), ZERO)
    if total <= 0:
        raise ValueError("allocation weights sum to zero")
    cents = int((amount / CENT).to_integral_value())
    raw = {k: amount * w / total for k, w in weights.items()}
    floor = {k: (v / CENT).to_integral_value(rounding=ROUND_FLOOR) for k, v in raw.items()}
    left = cents - int(sum(floor.values()))
    order = sorted(weights, key=lambda k: -(raw[k] / CENT - floor[k]))
    for k in order[:left]:
        floor[k] += 1
    return {k: floor[k] * CENT for k in weights}


def population_weights(municipalities: Any, basis: str, year: int, area: list[str] | None) -> dict[str, Decimal]:
    """Inhabitants or youths per municipality: the latest figure of the year or before (else the earliest)."""
    out = {}
    for m in municipalities.municipalities:
        if area is not None and m.key not in area:
            continue
        known = sorted(m.population, key=lambda p: p.year)
        fig = next((p for p in reversed(known) if p.year <= year), known[0])
        out[m.key] = Decimal(fig.inhabitants if basis == "inhabitants" else fig.youths)
    return out


def price_lump(region: Region, ls: Any, year: int) -> LumpSumPrice:
    """The build-up of a lump sum in its first contract year and its amount in ``year``."""
    contract = region.contracts[ls.contract]
    start = max(contract.start.year, ls.first_year or contract.start.year)
    base_year = min(start, year) if region.indexation is not None else year
    base = _build(region, ls, base_year)
    amount = base.base_amount
    steps: list[IndexStepLump] = []
    for y in range(base_year + 1, year + 1):
        new, rate, method = _index_year(region, ls, base, y, base_year, amount)
        steps.append(IndexStepLump(y, method, rate, amount, new))
        amount = new
    return dataclasses.replace(base, year=year, amount=amount, steps=tuple(steps))


def _build(region: Region, ls: Any, year: int, param_year: int | None = None) -> LumpSumPrice:
    contract = region.contracts[ls.contract]
    law = "Wmo" if contract.law == "Wmo" else "Jeugdwet"
    common = {"key": ls.key, "label": ls.label, "contract": ls.contract, "law": law, "kind": ls.kind, "year": year,
              "base_year": year, "spec": ls, "allocation_key": ls.allocation_key}
    if ls.kind == "fixed":
        amount = excel_round(Decimal(ls.amount_eur), 2)
        return LumpSumPrice(**common, unrounded=Decimal(ls.amount_eur), base_amount=amount, amount=amount)
    pricer = Pricer(region, year, param_year)
    p = pricer.params
    cao = region.caos[ls.cao]
    # ORT as the engine keys it: the slot profile as sorted pairs (each CAO's own slot rates apply).
    ort = tuple(sorted(ls.irregular_hours_profile.items())) if ls.irregular_hours_profile else ZERO
    staff = []
    c_mix = ZERO
    for profile, share in ls.staffing.items():
        pc = pricer.profile_cost_for(cao, profile, ort if region.profiles[profile].irregular_hours else ZERO,
                                     ls.productivity_norm)
        staff.append((profile, share, pc))
        c_mix += pc.cost_per_productive_hour * share
    if ls.kind == "hours":
        hours = sum((Decimal(i.count) * Decimal(i.hours) for i in ls.hours), ZERO)
    else:
        hours = Decimal(ls.staff_hours_per_day) * Decimal(ls.days_per_year)
    direct_staff = c_mix * hours
    travel = k_total = ZERO
    lines = []
    for key in ls.client_costs:
        cc = p.client_costs[key]
        if cc.kind == "staff_time_uplift":
            travel += direct_staff * cc.amount.value
            lines.append((key, cc.kind, ONE))
        else:  # per_staff_hour
            k_total += cc.amount.value * hours
            lines.append((key, cc.kind, hours))
    accommodation = ZERO
    if ls.accommodation is not None:
        accommodation = p.client_costs[ls.accommodation].amount.value * Decimal(ls.places)
        lines.append((ls.accommodation, "per_place_year", Decimal(ls.places)))
    direct = direct_staff + travel + k_total + accommodation
    incl = b.with_overhead(direct, pricer.overhead_rate, pricer.overhead_convention)
    unrounded = b.with_profit_risk(incl, pricer.profit_rate)
    amount = b.round_tariff(unrounded, pricer.decimals)
    return LumpSumPrice(**common, staff=tuple(staff), hours=hours, cost_per_staff_hour=c_mix,
                        direct_staff_cost=direct_staff, travel_time_cost=travel, client_costs=k_total,
                        accommodation=accommodation, direct_cost=direct, overhead_rate=pricer.overhead_rate,
                        overhead=incl - direct, profit_risk=unrounded - incl, unrounded=unrounded,
                        base_amount=amount, amount=amount, client_lines=tuple(lines))


def _index_year(region: Region, ls: Any, base: LumpSumPrice, year: int, base_year: int,
                amount: Decimal) -> tuple[Decimal, Decimal, str]:
    """(new amount, rate, method) for one later contract year, by the contract's indexation method."""
    from tariefmodel.data.params import MissingValue

    ix = region.indexation
    try:
        assignment = assigned_method(ix, ls.contract, "", year)
        method = ix.methods[assignment.method]
        derivation = method_rate(ix, assignment.method, year, LATEST, first_year=(year == base_year + 1))
    except MissingValue as exc:
        raise InputError([exc.problem]) from exc
    if method.kind == "follow_cao":
        new = _build(region, ls, year, param_year=base_year).base_amount
        return new, (new / amount - ONE) if amount else ZERO, assignment.method
    if method.kind == "components":
        share = (base.direct_staff_cost + base.travel_time_cost) / base.direct_cost if base.direct_cost else ONE
        rate = share * derivation.component_rates["ova"] + (ONE - share) * derivation.component_rates["ppc"]
    else:
        rate = derivation.rate
    return excel_round(amount * (ONE + rate), 2), rate, assignment.method


def lump_sums_for_year(region: Region, lumpfile: Any, municipalities: Any, year: int,
                       use: dict[str, dict[str, Decimal]] | None = None) -> list[LumpSumPrice]:
    """Every lump sum of the year, split over recipients and municipalities.

    ``use``: contract -> municipality -> p*q cost of the year (for the allocation key ``use``).
    """
    out = []
    problems = []
    for i, ls in enumerate(lumpfile.lump_sums):
        if ls.first_year is not None and year < ls.first_year:
            continue
        price = price_lump(region, ls, year)
        key = lumpfile.allocation_keys[ls.allocation_key]
        try:
            if key.basis in ("inhabitants", "youths"):
                weights = population_weights(municipalities, key.basis, year, ls.area)
            elif key.basis == "shares":
                weights = {m: Decimal(s) for m, s in key.shares.items() if ls.area is None or m in ls.area}
            else:
                per = (use or {}).get(ls.contract, {})
                weights = {m: c for m, c in per.items() if (ls.area is None or m in ls.area) and c > 0}
            price.per_municipality = allocate(price.amount, weights)
        except ValueError:
            problems.append(Problem(LUMP_SUMS, f"lump_sums.{i} ({ls.key}).allocation_key",
                                    f"verdeelsleutel {ls.allocation_key!r} geeft geen gewichten in {year} (geen {key.basis} "
                                    "voor de "
                                    "gemeenten van het gebied)"))
            continue
        if ls.recipients:
            price.per_recipient = allocate(price.amount, {p: ONE for p in ls.recipients})
        out.append(price)
    if problems:
        raise InputError(problems)
    return out
