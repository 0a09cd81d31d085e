"""Per product: is a respondent's own cost price covered by the region's tariff, and is there unintended room?

A respondent's own cost price per unit is its integral cost per direct client hour
(total costs / direct client hours) times the staff hours per unit, divided by the
group size (and by 60 for a minute product, whose staff hours are asked per hour).
It is compared with the tariff the region pays that respondent: the tariff of its
CAO, or the basistarief when the product is not priced for its CAO, micro or regular
as the respondent is (the "normaal opererende aanbieder" test). Revenue per unit
(revenue / volume) more than ``margin`` above the own cost price counts as
"onbedoelde ruimte"; only the number of respondents is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tariefmodel.survey import layout as L
from tariefmodel.survey.models import ProductRow, Response
from tariefmodel.survey.percentiles import weighted_percentile

BASIS = "basistarief"


@dataclass(frozen=True, slots=True)
class Coverage:
    code: str
    name: str
    unit: str
    n: int
    suppressed: bool
    covered: int | None = None
    share_covered: Decimal | None = None
    short: int | None = None  # respondents not covered
    shortfall_median_eur: Decimal | None = None  # None: none short, or too few to show
    shortfall_median_pct: Decimal | None = None
    surplus: int | None = None  # respondents with revenue per unit more than margin above their cost
    tariff_low: Decimal | None = None
    tariff_high: Decimal | None = None


def unit_cost(r: Response, p: ProductRow) -> Decimal | None:
    """The respondent's own cost price per unit of product ``p`` (see the module docstring)."""
    if r.hours.direct <= 0:
        return None
    per_hour = r.costs.total / r.hours.direct
    cost = per_hour * p.staff_hours / p.group_size
    return cost / L.MINUTE_DIVISOR if p.unit == "minuut" else cost


def tariff_index(book: Any) -> dict[tuple[str, str, bool], Decimal]:
    """(product code, CAO key or 'basistarief', micro) -> the region's tariff, first row of the book."""
    out: dict[tuple[str, str, bool], Decimal] = {}
    for t in book.tariffs:
        if t.provider or t.kind not in ("cao", BASIS):
            continue
        key = (t.product.product.code, t.cao if t.kind == "cao" else BASIS, bool(t.micro))
        out.setdefault(key, t.tariff_eur)
    return out


def tariff_for(index: dict[tuple[str, str, bool], Decimal], code: str, cao: str, micro: bool) -> Decimal | None:
    return index.get((code, cao, micro)) or index.get((code, BASIS, micro))


def coverage(region: Any, responses: list[Response], book: Any, min_n: int, margin: Decimal) -> tuple[Coverage, ...]:
    index = tariff_index(book)
    out = []
    codes = sorted({p.code for r in responses for p in r.products})
    for code in codes:
        try:
            prod = region.product(code).product
        except KeyError:
            continue
        rows = []  # (cost, tariff, revenue per unit, volume)
        for r in responses:
            for p in r.products:
                if p.code != code:
                    continue
                cost = unit_cost(r, p)
                tariff = tariff_for(index, code, r.cao, r.micro)
                if cost is not None and tariff is not None:
                    rows.append((cost, tariff, p.revenue / p.volume, p.volume))
        n = len(rows)
        if n < min_n:
            out.append(Coverage(code, prod.name, prod.unit, n, True))
            continue
        short = [(cost - tariff, (cost - tariff) / tariff, vol) for cost, tariff, _, vol in rows if cost > tariff]
        covered = n - len(short)
        med_eur = med_pct = None
        if len(short) >= min_n:  # a median of fewer shortfalls would show a provider's own figure
            weights = [v for _, _, v in short]
            med_eur = weighted_percentile([e for e, _, _ in short], weights, Decimal("0.5"))
            med_pct = weighted_percentile([p for _, p, _ in short], weights, Decimal("0.5"))
        surplus = sum(1 for cost, _, rev, _ in rows if rev > cost * (1 + margin))
        tariffs = [t for _, t, _, _ in rows]
        out.append(Coverage(code, prod.name, prod.unit, n, False, covered, Decimal(covered) / n, len(short), med_eur,
                            med_pct, surplus, min(tariffs), max(tariffs)))
    return tuple(out)
