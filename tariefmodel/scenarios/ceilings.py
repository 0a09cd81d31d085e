"""Budget ceilings per provider (BUD-01..07) and the 70% signal.

The rules, each with its source in ``parameters/budget_ceilings.yaml``:

* a ceiling applies only to youth-care providers with a turnover above EUR 150,000
  [001:575], and only in the youth contracts Ambulant, Wonen and Dagbesteding [001:577];
* the municipality informs the provider when utilisation reaches 70% [001:587]: the
  signal fires in the first month in which the cumulative paid amount reaches 70% of the
  ceiling, on the day it does (the month's amount spread evenly over its days);
* ongoing care is always paid, also above the ceiling [001:588]. Only new intake can be
  stopped (``client_stop_at_ceiling``): then new intake is paid up to the ceiling and not
  beyond, while ongoing care keeps being paid;
* which products have a ceiling is announced at least 6 months before the year, the amount
  by 30 September of the year before [001:589-590]: late or missing dates are reported.

Which turnover counts is not in the sources (BUD-01..07): ``turnover_basis`` chooses the
provider's Jeugdwet spend in the region that year (``budget``) or its registered turnover
(``register``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Any

from tariefmodel.data.money import ZERO
from tariefmodel.data.numbers import date, eur
from tariefmodel.data.region import Region
from tariefmodel.scenarios.budget import YearBudget


@dataclass(frozen=True)
class MonthRow:
    month: int
    spend: Decimal  # the month's cost of the provider's care under the ceiling
    ongoing: Decimal
    new_intake: Decimal
    paid: Decimal
    not_paid: Decimal  # new intake not paid (client stop at the ceiling)
    cumulative: Decimal  # paid so far this year
    utilisation: Decimal  # cumulative / ceiling
    above_ceiling: Decimal  # paid this month beyond the ceiling (ongoing care)
    signal: bool  # the 70% signal fires in this month
    reached: bool  # the ceiling is reached in this month
    signal_date: dt.date | None = None


@dataclass
class CeilingStatus:
    provider: str
    name: str
    year: int
    turnover: Decimal
    eligible: bool
    applies: bool  # eligible and a ceiling is set
    reason: str
    ceiling: Decimal | None = None
    contracts: tuple[str, ...] = ()
    spend: Decimal = ZERO
    paid: Decimal = ZERO
    above_ceiling: Decimal = ZERO
    not_paid: Decimal = ZERO
    signal_month: int | None = None
    signal_date: dt.date | None = None
    reached_month: int | None = None
    months: list[MonthRow] = field(default_factory=list)
    deadlines: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        """Short Dutch status for tables."""
        if self.applies:
            return "van toepassing"
        if self.ceiling is not None:
            return "niet van toepassing (omzet niet boven de drempel)"
        return "geen plafond vastgesteld" + ("" if self.eligible else " (omzet niet boven de drempel)")

    @property
    def utilisation(self) -> Decimal | None:
        return self.paid / self.ceiling if self.ceiling else None


def track(monthly_spend: list[Decimal], ceiling: Decimal, year: int, signal_share: Decimal, new_share: Decimal,
          client_stop: bool) -> list[MonthRow]:
    """Month by month: what is paid, the cumulative utilisation, the 70% signal and the ceiling.

    Ongoing care (1 - new_share of each month) is always paid [001:588]. With a client stop,
    new intake is paid only while the cumulative amount stays within the ceiling.
    """
    target = signal_share * ceiling
    cum = ZERO
    signalled = reached = False
    rows = []
    for m, spend in enumerate(monthly_spend, start=1):
        new = spend * new_share
        ongoing = spend - new
        paid_new = min(new, max(ZERO, ceiling - cum - ongoing)) if client_stop else new
        paid = ongoing + paid_new
        before, cum = cum, cum + paid
        above = max(ZERO, cum - ceiling) - max(ZERO, before - ceiling)
        fire = not signalled and cum >= target
        hit = not reached and cum >= ceiling
        day = None
        if fire:
            dim = calendar.monthrange(year, m)[1]
            part = (target - before) / paid if paid else Decimal(1)
            n = int((part * dim).to_integral_value(rounding=ROUND_CEILING))
            day = dt.date(year, m, min(max(n, 1), dim))
        rows.append(MonthRow(m, spend, ongoing, new, paid, new - paid_new, cum, cum / ceiling, above, fire, hit, day))
        signalled, reached = signalled or fire, reached or hit
    return rows


def _deadlines(rules: Any, c: Any) -> list[str]:
    """BUD-03 4-5: products announced 6 months before the year, amounts known by 30 September."""
    months = int(rules.announce_months_before.value)
    start = dt.date(c.year, 1, 1)
    y, m = divmod(start.month - 1 - months, 12)
    announce_by = dt.date(start.year + y, m + 1, 1)
    mm, dd = (int(x) for x in str(rules.amounts_known_by.value).split("-"))
    known_by = dt.date(c.year - 1, mm, dd)
    out = []
    if c.announced_on is None:
        out.append(f"aankondiging producten niet vastgelegd (uiterlijk {date(announce_by)})")
    elif c.announced_on > announce_by:
        out.append(f"producten aangekondigd op {date(c.announced_on)}, na de termijn {date(announce_by)} [001:589]")
    if c.amount_known_on is None:
        out.append(f"bekendmaking plafondbedrag niet vastgelegd (uiterlijk {date(known_by)})")
    elif c.amount_known_on > known_by:
        out.append(f"plafondbedrag bekend op {date(c.amount_known_on)}, na de termijn {date(known_by)} [001:590]")
    return out


def ceiling_report(region: Region, ceilings: Any, budget: YearBudget) -> list[CeilingStatus]:
    """The status of every youth-care provider in the ceiling contracts for the budget's year."""
    rules = ceilings.rules
    year = budget.year
    allowed = list(rules.contracts.value)
    law = rules.law.value
    threshold = Decimal(rules.turnover_threshold_eur.value)
    share = Decimal(rules.signal_share.value)
    new_share = Decimal(rules.new_intake_share.value)
    client_stop = bool(rules.client_stop_at_ceiling.value)
    set_for = {c.provider: c for c in ceilings.ceilings if c.year == year}
    out = []
    for key, prov in region.providers.items():
        own = [c for c in prov.contracts if c in allowed]
        if not own:
            continue  # not a provider in a contract where ceilings may apply
        c = set_for.get(key)
        youth = [ln for ln in budget.lines if ln.provider == key and ln.law == law and ln.kind == "p*q"]
        if rules.turnover_basis.value == "budget":
            turnover = sum((ln.cost for ln in youth), ZERO)
            basis = f"omzet {law} in de regio {year} (volumes x tarieven)"
        else:
            turnover = Decimal(c.turnover_eur if c is not None and c.turnover_eur is not None
                               else prov.annual_turnover_eur)
            basis = "omzet volgens " + ("het plafondbesluit" if c is not None and c.turnover_eur is not None
                                        else "het aanbiedersregister")
        eligible = turnover > threshold
        test = f"{basis} {eur(turnover)} {'boven' if eligible else 'niet boven'} {eur(threshold)} [001:575]"
        if c is None:
            out.append(CeilingStatus(key, prov.name, year, turnover, eligible, False,
                                     f"geen plafond vastgesteld; {test}"))
            continue
        scope = tuple(c.contracts or own)
        if not eligible:
            out.append(CeilingStatus(key, prov.name, year, turnover, False, False,
                                     f"plafond niet van toepassing: {test}", ceiling=c.amount_eur, contracts=scope,
                                     deadlines=_deadlines(rules, c)))
            continue
        lines = [ln for ln in youth if ln.contract in scope]
        monthly = [sum((ln.months[m] for ln in lines), ZERO) for m in range(12)]
        rows = track(monthly, c.amount_eur, year, share, new_share, client_stop)
        sig = next((r for r in rows if r.signal), None)
        hit = next((r for r in rows if r.reached), None)
        out.append(CeilingStatus(
            key, prov.name, year, turnover, True, True, f"plafond van toepassing: {test}", ceiling=c.amount_eur,
            contracts=scope, spend=sum(monthly, ZERO), paid=rows[-1].cumulative,
            above_ceiling=sum((r.above_ceiling for r in rows), ZERO), not_paid=sum((r.not_paid for r in rows), ZERO),
            signal_month=sig.month if sig else None, signal_date=sig.signal_date if sig else None,
            reached_month=hit.month if hit else None, months=rows, deadlines=_deadlines(rules, c)))
    return out
