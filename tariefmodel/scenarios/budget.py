"""Budget impact: volumes times tariffs, per contract, municipality, law, scenario and year.

A volume line gives the units of one product per municipality and year, delivered by one
provider (who gets its own tariff: its CAO or the basistarief, micro or not, its addendum)
or at one tariff variant. The tariffs are the year's book under the scenario, so later
contract years are indexed exactly as ``tariefmodel calculate --year`` prices them.

Units are spread over the months by the file's monthly profile (default 1/12 each). A
month's cost is its units times the tariff of each day of the month, day-weighted: a
tariff re-issued on 1 July (TAR-17) prices the second half of the year, an addendum that
starts on 1 February leaves January at the provider's regular tariff. Amounts are exact
(``Decimal``); they are rounded to cents only for display.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tariefmodel.data.money import ZERO
from tariefmodel.data.problems import Problem
from tariefmodel.data.region import Region
from tariefmodel.engine.book import price_book
from tariefmodel.engine.pricing import Book
from tariefmodel.engine.variants import BASIS
from tariefmodel.loader.inputs import VOLUMES
from tariefmodel.scenarios.overrides import Scenario, volume_factor

TWELFTH = Decimal(1) / Decimal(12)
Key = tuple[str, str, bool, str]  # product code, variant, micro, provider


@dataclass
class BudgetLine:
    """The cost of one product in one municipality and year (p*q), or a municipality's share of a lump sum."""

    scenario: str
    year: int
    municipality: str
    contract: str
    law: str
    product: str
    product_name: str
    unit: str
    provider: str
    variant: str
    micro: bool
    units: Decimal
    cost: Decimal
    months: tuple[Decimal, ...]  # cost per month, January first
    weights: tuple[tuple[int, Decimal], ...] = ()  # (row in the year's book, units priced at it)
    kind: str = "p*q"  # p*q | lumpsum
    note: str = ""


@dataclass
class YearBudget:
    scenario: str
    year: int
    book: Book
    lines: list[BudgetLine]
    problems: list[Problem] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((ln.cost for ln in self.lines), ZERO)


def month_days(year: int) -> list[tuple[dt.date, dt.date, int]]:
    return [(dt.date(year, m, 1), dt.date(year, m, calendar.monthrange(year, m)[1]), calendar.monthrange(year, m)[1])
            for m in range(1, 13)]


def _overlap(a0: dt.date, a1: dt.date, b0: dt.date, b1: dt.date) -> tuple[dt.date, dt.date] | None:
    start, end = max(a0, b0), min(a1, b1)
    return (start, end) if start <= end else None


class RowIndex:
    """The rows of a year's book by (code, variant, micro, provider), all versions."""

    def __init__(self, book: Book):
        self.book = book
        self.rows: dict[Key, list[int]] = {}
        for i, t in enumerate(book.tariffs):
            self.rows.setdefault(t.key[:4], []).append(i)  # every version and addendum of the group
        self._cover: dict[tuple[Key, ...], list[list[tuple[int, int]]]] = {}

    def coverage(self, groups: tuple[Key, ...]) -> list[list[tuple[int, int]]]:
        """Per month, (row, days) pairs: each day priced by the first group with a row valid on it."""
        hit = self._cover.get(groups)
        if hit is not None:
            return hit
        year = self.book.year
        out: list[list[tuple[int, int]]] = []
        for m0, m1, _dim in month_days(year):
            free = [(m0, m1)]
            pairs: dict[int, int] = {}
            for g in groups:
                for r in self.rows.get(g, []):
                    t = self.book.tariffs[r]
                    v0, v1 = t.valid_from or dt.date(year, 1, 1), t.valid_to or dt.date(year, 12, 31)
                    rest = []
                    for f0, f1 in free:
                        ov = _overlap(f0, f1, v0, v1)
                        if ov is None:
                            rest.append((f0, f1))
                            continue
                        pairs[r] = pairs.get(r, 0) + (ov[1] - ov[0]).days + 1
                        if f0 < ov[0]:
                            rest.append((f0, ov[0] - dt.timedelta(days=1)))
                        if ov[1] < f1:
                            rest.append((ov[1] + dt.timedelta(days=1), f1))
                    free = rest
            out.append(sorted(pairs.items()))
        self._cover[groups] = out
        return out


def tariff_groups(region: Region, book: Book, index: RowIndex, line: Any, default_variant: str,
                  views: dict[str, dict[str, Any]]) -> tuple[tuple[Key, ...], str]:
    """The tariff rows a volume line is priced at, in priority order, and why."""
    from tariefmodel.engine.variants import provider_view

    code = line.product
    is_external = any(e.product.code == code for e in region.external)
    if line.provider is None:
        variant = "extern" if is_external else (line.variant or default_variant)
        return ((code, variant, False, ""),), f"variant {variant}"
    if line.provider not in views:
        per_code: dict[str, list[tuple[Any, str]]] = {}
        for t, why in provider_view(region, book, line.provider):
            per_code.setdefault(t.product.product.code, []).append((t, why))
        views[line.provider] = per_code
    pieces = views[line.provider].get(code)
    if not pieces:
        return (), f"aanbieder {line.provider} krijgt geen tarief voor {code} in {book.year}"
    # The provider's own tariffs (addendum, phase-in path) first; outside their dates its regular tariff holds.
    own = [t for t, _ in pieces if t.provider]
    general = [t for t, _ in pieces if not t.provider]
    groups: list[Key] = list(dict.fromkeys(t.key[:4] for t in [*own, *general]))
    if own and not general:
        prov = region.providers[line.provider]
        t = own[0]
        if is_external:
            groups.append((code, "extern", False, ""))
        else:
            groups.append((code, prov.cao if prov.cao in t.product.product.caos else BASIS, t.micro, ""))
    why = pieces[-1][1] if own else pieces[0][1]
    return tuple(groups), why


def year_budget(region: Region, scenario: Scenario, volumes: Any, year: int, book: Book | None = None) -> YearBudget:
    """The p*q lines of one scenario and year (region: the region under the scenario)."""
    book = book if book is not None else price_book(region, year)
    index = RowIndex(book)
    profile = [Decimal(x) for x in volumes.monthly_profile] if volumes.monthly_profile else [TWELFTH] * 12
    months = month_days(year)
    products = {bp.product.code: bp for bp in (*region.products, *region.external)}
    views: dict[str, dict[str, Any]] = {}
    lines: list[BudgetLine] = []
    problems: list[Problem] = []
    for i, vl in enumerate(volumes.volumes):
        per_muni = vl.units.get(year)
        if not per_muni:
            continue
        bp = products[vl.product]
        prod = bp.product
        groups, why = tariff_groups(region, book, index, vl, volumes.default_variant, views)
        cover = index.coverage(groups) if groups else [[] for _ in months]
        uncovered = [m0.strftime("%m") for (m0, _m1, dim), pairs in zip(months, cover, strict=True)
                     if sum(d for _, d in pairs) < dim]
        if uncovered:
            none = len(uncovered) == 12 and not any(cover)
            problems.append(Problem(VOLUMES, f"volumes.{i} ({vl.product})",
                                    f"geen tarief in tariefjaar {year} ({why}): de eenheden kunnen niet worden "
                                    "geprijsd" if none else
                                    f"geen tarief voor elke dag van maand(en) {', '.join(uncovered)} van {year} ({why}): "
                                    "die dagen worden niet geprijsd", severity="error" if none else "warning"))
        first = book.tariffs[index.rows[groups[0]][0]] if groups and index.rows.get(groups[0]) else None
        for muni, units in per_muni.items():
            units = Decimal(units) * volume_factor(scenario, vl.product, bp.contract, muni, year)
            month_cost = []
            weights: dict[int, Decimal] = {}
            for (_m0, _m1, dim), pairs, share in zip(months, cover, profile, strict=True):
                u_month = units * share
                cost = ZERO
                for r, days in pairs:
                    u = u_month * days / dim
                    cost += u * book.tariffs[r].tariff_eur
                    weights[r] = weights.get(r, ZERO) + u
                month_cost.append(cost)
            lines.append(BudgetLine(
                scenario=scenario.name, year=year, municipality=muni, contract=bp.contract, law=prod.law,
                product=prod.code, product_name=prod.name, unit=prod.unit, provider=vl.provider or "",
                variant=first.variant if first is not None else (vl.variant or volumes.default_variant),
                micro=first.micro if first is not None else False, units=units,
                cost=sum(month_cost, ZERO), months=tuple(month_cost), weights=tuple(sorted(weights.items())),
                note=why))
    return YearBudget(scenario.name, year, book, lines, problems)


# --------------------------------------------------------------------------- summaries

DIMENSIONS = {"contract": "contract", "gemeente": "municipality", "wet": "law", "product": "product",
              "aanbieder": "provider"}


def summarise(budgets: list[YearBudget], by: str) -> list[dict[str, Any]]:
    """Cost per scenario, year and one dimension (contract, gemeente, wet, product, aanbieder), exact."""
    attr = DIMENSIONS[by]
    totals: dict[tuple[str, int, str], Decimal] = {}
    for yb in budgets:
        for ln in yb.lines:
            k = (yb.scenario, yb.year, getattr(ln, attr) or "(geen)")
            totals[k] = totals.get(k, ZERO) + ln.cost
    return [{"scenario": s, "year": y, by: key, "cost": c} for (s, y, key), c in totals.items()]


def pivot(budgets: list[YearBudget], by: str) -> tuple[list[str], list[dict[str, Any]]]:
    """One row per key of the dimension, one column per scenario and year, then the difference with the first."""
    rows = summarise(budgets, by)
    cols = list(dict.fromkeys((yb.scenario, yb.year) for yb in budgets))
    keys = list(dict.fromkeys(r[by] for r in rows))
    cell = {(r[by], r["scenario"], r["year"]): r["cost"] for r in rows}
    names = [f"{s} {y}" for s, y in cols]
    out = []
    for key in [*keys, "TOTAAL"]:
        row: dict[str, Any] = {by: key}
        for (s, y), name in zip(cols, names, strict=True):
            if key == "TOTAAL":
                row[name] = sum((cell.get((k, s, y), ZERO) for k in keys), ZERO)
            else:
                row[name] = cell.get((key, s, y), ZERO)
        out.append(row)
    return [by, *names], out
