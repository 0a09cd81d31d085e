"""The cost build-up of a reële prijs, as small pure functions on Decimal.

Each function is one named step of the handreiking "Inzicht in tarieven" /
Berenschot's five steps: salary -> annual wage cost -> employer cost -> cost
per productive hour -> staffing mix -> per unit -> client-bound costs ->
overhead -> no-show -> profit and risk -> rounding. No function rounds unless
its name says so; rounding happens only where the parameters declare it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from tariefmodel.data.money import ONE, ZERO, excel_round, round_to_multiple

TWELVE = Decimal(12)
SIXTY = Decimal(60)
CENT = Decimal("0.01")  # iStandaarden amounts are whole eurocents (structural, not a policy choice)
# An hour tariff that is a multiple of 60 x 1 cent gives a minute tariff of whole cents: arithmetic, not policy
# (the choice is the method, the dated parameter rounding.minute_tariff).
SIXTY_CENTS = SIXTY * CENT


# --------------------------------------------------------------- per function profile


def weighted_monthly_salary(amounts_and_weights: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """M: the monthly salary of a step, or the weighted mean over a step distribution."""
    return sum((amount * weight for amount, weight in amounts_and_weights), ZERO)


def annual_salary(monthly: Decimal) -> Decimal:
    """G = 12 x M."""
    return monthly * TWELVE


def holiday_allowance(annual: Decimal, rate: Decimal, minimum_per_year: Decimal) -> Decimal:
    """Holiday allowance: rate x G, but never below the CAO minimum (per year)."""
    return max(annual * rate, minimum_per_year)


def year_end_bonus(annual: Decimal, holiday: Decimal, rate: Decimal, on_holiday_too: bool,
                   minimum_per_year: Decimal) -> Decimal:
    """Year-end bonus: rate x G (or x (G + holiday allowance) where the CAO says so), with a minimum."""
    base = annual + holiday if on_holiday_too else annual
    return max(base * rate, minimum_per_year)


def irregular_hours_rate(shares_and_rates: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """ORT as a fraction of salary: sum over time slots of (share of hours x CAO slot rate)."""
    return sum((share * rate for share, rate in shares_and_rates), ZERO)


def irregular_hours_pay(annual: Decimal, rate: Decimal, steps: Sequence[tuple[Decimal, Decimal]],
                       cap_monthly: Decimal | None) -> Decimal:
    """ORT per year: rate x 12 x sum over steps of weight x min(monthly salary of the step, cap).

    The CAO caps the *hourly* wage ORT is paid over (e.g. Jeugdzorg art. 8.1: at most the hourly wage of
    schaal 5 periodiek 11). Hourly wage = monthly / the CAO's monthly hours, for the step and the cap alike,
    so min(hourly step, hourly cap) x hours = min(monthly step, monthly cap) x 12: the divisor cancels and
    nothing is rounded. Applied per step, because the CAO caps per employee. ``steps``: (monthly, weight).
    Without a cap, or where it binds on no step, this is rate x G, as before.
    """
    if cap_monthly is None or all(monthly <= cap_monthly for monthly, _ in steps):
        return annual * rate
    return sum((weight * annual_salary(min(monthly, cap_monthly)) for monthly, weight in steps), ZERO) * rate


def wage_cost(annual: Decimal, holiday: Decimal, year_end: Decimal, other: Decimal,
              irregular: Decimal) -> Decimal:
    """L = G + holiday allowance + year-end bonus + other CAO budgets + ORT."""
    return annual + holiday + year_end + other + irregular


def charge(wage: Decimal, rate: Decimal, franchise: Decimal | None) -> Decimal:
    """One employer charge: rate x L, or rate x (L - franchise) for pension-like premiums."""
    if franchise is None:
        return wage * rate
    return max(wage - franchise, ZERO) * rate


def productive_hours_from_fraction(contract_hours: Decimal, productivity: Decimal) -> Decimal:
    """H x productivity."""
    return contract_hours * productivity


def productive_hours_from_breakdown(contract_hours: Decimal,
                                    items: Sequence[tuple[str, Decimal]]) -> tuple[Decimal, list[Decimal]]:
    """H minus each non-productive item; an item is ('hours', h) or ('share', fraction of H)."""
    deductions = [value if kind == "hours" else contract_hours * value for kind, value in items]
    return contract_hours - sum(deductions, ZERO), deductions


def cost_per_productive_hour(employer_cost: Decimal, productive_hours: Decimal) -> Decimal:
    """C = A / productive hours."""
    return employer_cost / productive_hours


# --------------------------------------------------------------- per product


def staffing_mix(costs_and_shares: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """C_mix = sum of share_f x C_f over the function profiles of the product."""
    return sum((cost * share for cost, share in costs_and_shares), ZERO)


def direct_staff_cost(cost_per_staff_hour: Decimal, staff_hours_per_unit: Decimal,
                      group_size: Decimal) -> Decimal:
    """D = C_mix x staff hours per unit / group size."""
    return cost_per_staff_hour * staff_hours_per_unit / group_size


def client_cost_per_unit(kind: str, amount: Decimal, *, direct_staff: Decimal, staff_hours_per_unit: Decimal,
                         group_size: Decimal, units_per_place_year: Decimal | None) -> Decimal:
    """One client-bound cost per unit, by its kind (see schema.ClientCost)."""
    if kind == "per_unit":
        return amount
    if kind == "per_staff_hour":
        return amount * staff_hours_per_unit / group_size
    if kind == "staff_time_uplift":
        return direct_staff * amount
    if kind == "per_place_year":
        assert units_per_place_year is not None
        return amount / units_per_place_year
    raise ValueError(f"soort cliëntgebonden kosten {kind!r} bestaat niet")


def with_overhead(direct: Decimal, rate: Decimal, convention: str) -> Decimal:
    """Overhead as a mark-up, (D + K) x (1 + o), or as a share of the cost price, (D + K) / (1 - o)."""
    if convention == "markup":
        return direct * (ONE + rate)
    if convention == "share":
        return direct / (ONE - rate)
    raise ValueError(f"overheadconventie {convention!r} bestaat niet")


def with_no_show(cost: Decimal, rate: Decimal, convention: str) -> Decimal:
    """No-show priced in: / (1 - n), or x (1 + n)."""
    if convention == "divide":
        return cost / (ONE - rate)
    if convention == "markup":
        return cost * (ONE + rate)
    raise ValueError(f"no-showconventie {convention!r} bestaat niet")


def with_profit_risk(cost_price: Decimal, rate: Decimal) -> Decimal:
    """Profit and risk surcharge: cost price x (1 + r)."""
    return cost_price * (ONE + rate)


def round_tariff(unrounded: Decimal, decimals: int) -> Decimal:
    """The unit price, rounded half away from zero (Excel ROUND)."""
    return excel_round(unrounded, decimals)


def minute_tariff(hourly_unrounded: Decimal, method: str, decimals: int) -> tuple[Decimal, Decimal]:
    """(hour tariff, minute tariff) for a minute product built per hour.

    * from_hour: round the hour tariff, then minute = ROUND(hour / 60)
    * direct: minute = ROUND(unrounded hour / 60); the hour figure is informative
    * hour_multiple_of_60_cents: hour tariff to the nearest multiple of EUR 0.60, so that
      the minute tariff is a whole number of cents
    """
    if method == "from_hour":
        hour = excel_round(hourly_unrounded, decimals)
        return hour, excel_round(hour / SIXTY, decimals)
    if method == "direct":
        return excel_round(hourly_unrounded, decimals), excel_round(hourly_unrounded / SIXTY, decimals)
    if method == "hour_multiple_of_60_cents":
        hour = round_to_multiple(hourly_unrounded, SIXTY_CENTS)
        return hour, hour / SIXTY
    raise ValueError(f"methode voor minuuttarieven {method!r} bestaat niet")
