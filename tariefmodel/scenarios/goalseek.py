"""Goal seek: the value of one parameter that makes a tariff equal a given amount.

For example the productivity a provider's claimed tariff implies: which productivity makes
45A48 under the CAO Jeugdzorg cost EUR 80.00 instead of EUR 75.34?

The search runs on the exact ``Decimal`` path (the region with the parameter set to a trial
value, priced by the engine), with ``scipy.optimize.brentq`` between the ends of the
parameter's allowed range (or a narrower ``--min``/``--max``). It finds the value at which the
unrounded tariff equals the target, so the rounded tariff is the target to the cent; the
result is priced once more to confirm. If the tariff does not pass the target anywhere in the
range, there is no solution and the report says what the tariff is at both ends.

Parameters: a cost-model path (``overhead.rate``, ``productivity_norms.ambulant.breakdown.indirect.value``),
``cao.<key>.salary_factor``, ``productiviteit`` (the product's productivity: productive hours
over contract hours, replacing its norm's breakdown), ``groepsgrootte`` and ``uren_per_eenheid``
(the product's group size and staff hours per unit).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tariefmodel.data.money import excel_round
from tariefmodel.data.params import MissingValue, param_index, replace_at
from tariefmodel.data.problems import InputError
from tariefmodel.data.region import BookProduct, Region
from tariefmodel.engine.pricing import Pricer, product_active
from tariefmodel.scenarios.overrides import raise_cao, rewrite_dated
from tariefmodel.scenarios.paramspace import INF, SALARY, param_info, suggest

PRODUCT_PARAMS = {"groepsgrootte": "group_size", "uren_per_eenheid": "staff_hours_per_unit"}
PRODUCTIVITY = "productiviteit"
SEARCH_SPAN = Decimal(10)  # an unbounded parameter is searched up to 10 x its value (override with --max)


class NoSolution(Exception):
    """The target lies outside what the tariff reaches within the parameter's range."""


@dataclass(frozen=True)
class GoalSeek:
    code: str
    variant: str
    micro: bool
    year: int
    parameter: str
    label: str
    target: Decimal
    base_value: Decimal
    base_tariff: Decimal
    value: Decimal
    tariff: Decimal
    unrounded: Decimal
    low: Decimal
    high: Decimal
    iterations: int


_PROV = {"source": "doelzoeken (tariefmodel goalseek)", "source_date": None, "rationale": "proefwaarde",
         "decided_by": None, "decided_on": None, "status": "draft", "assumption": True}


class _Tariff:
    """The tariff of one product variant as a function of one parameter, on the exact path."""

    def __init__(self, region: Region, year: int, code: str, variant: str, micro: bool, parameter: str):
        self.region, self.year, self.variant, self.micro, self.parameter = region, year, variant, micro, parameter
        try:
            self.bp: BookProduct = region.product(code)
        except KeyError:
            raise ValueError(f"product {code!r} bestaat niet (of wordt niet uit kosten opgebouwd)") from None
        prod = self.bp.product
        if not product_active(self.bp, dt.date(year, 1, 1)):
            raise ValueError(f"product {code} is niet geldig in tariefjaar {year}")
        if variant != "basistarief" and variant not in prod.caos:
            raise ValueError(f"product {code} heeft geen variant {variant!r} (CAO's: {', '.join(prod.caos)}, of basistarief)")
        self.caos = list(prod.caos) if variant == "basistarief" else [variant]
        self.kind, self.path = self._kind(parameter)

    def _kind(self, parameter: str) -> tuple[str, str]:
        if parameter in PRODUCT_PARAMS:
            return "product", PRODUCT_PARAMS[parameter]
        if parameter == PRODUCTIVITY:
            return "productivity", self.bp.product.productivity_norm
        parts = parameter.split(".")
        if parts[0] == "cao" and len(parts) == 3 and parts[2] == SALARY:
            if parts[1] not in self.caos:
                raise ValueError(f"{parameter}: het tarief {self.variant} gebruikt CAO {parts[1]!r} niet")
            return "salary", parts[1]
        if parameter not in param_index(self.region.cost_model):
            raise ValueError(f"parameter {parameter!r} bestaat niet: {suggest(self.region, parameter)}; of "
                             f"{PRODUCTIVITY}, {', '.join(PRODUCT_PARAMS)}")
        if not param_info(self.region, parameter).numeric:
            raise ValueError(f"{parameter} is geen getal")
        return "path", parameter

    def label(self) -> str:
        if self.kind == "product":
            return {"group_size": "groepsgrootte", "staff_hours_per_unit": "personeelsuren per eenheid"}[self.path]
        if self.kind == "productivity":
            return f"productiviteit {self.path} (productieve uren / contracturen)"
        return param_info(self.region, self.parameter).label

    def base_value(self) -> Decimal:
        if self.kind == "product":
            t = self.price(None)[1]
            return t.group_size if self.path == "group_size" else t.staff_hours_per_unit
        if self.kind == "productivity":
            t = self.price(None)[1]
            return t.staff[0].cost.productivity
        if self.kind == "salary":
            return Decimal(1)
        pricer = Pricer(self.region, self.year)
        return Decimal(pricer.params.v(self.path))

    def allowed(self) -> tuple[Decimal, Decimal, bool]:
        """(low, high, open at high) of the values the engine accepts."""
        if self.kind == "product":
            return Decimal(0), INF, False
        if self.kind == "productivity":
            return Decimal(0), Decimal(1), False
        info = param_info(self.region, self.parameter)
        return info.low, info.high, info.open_high

    def region_at(self, x: Decimal) -> Region:
        r = self.region
        if self.kind == "path":
            new = rewrite_dated(param_index(r.cost_model)[self.path], None, lambda _v: x, _PROV)
            return dataclasses.replace(r, cost_model=replace_at(r.cost_model, self.path, new))
        if self.kind == "salary":
            caos = dict(r.caos)
            caos[self.path] = raise_cao(caos[self.path], x - 1, None, False, "doelzoeken")
            return dataclasses.replace(r, caos=caos)
        if self.kind == "productivity":
            cm = r.cost_model
            norm = cm.productivity_norms[self.path]
            template = cm.profit_risk_rate
            entry = template.values[0].model_copy(update={"valid_from": dt.date(1900, 1, 1), "valid_until": None,
                                                          "value": x, **_PROV})
            fraction = template.model_copy(update={"values": [entry]})
            new_norm = norm.model_copy(update={"method": "fraction", "fraction": fraction, "breakdown": {}})
            return dataclasses.replace(r, cost_model=replace_at(cm, f"productivity_norms.{self.path}", new_norm))
        return r

    def price(self, x: Decimal | None) -> tuple[Decimal, Any]:
        """(unrounded, tariff) at x (None: the base value); the basistarief is the lowest CAO tariff."""
        region = self.region_at(x) if x is not None and self.kind != "product" else self.region
        kwargs = {}
        if self.kind == "product" and x is not None:
            kwargs = {"group_size" if self.path == "group_size" else "staff_hours": x}
        pricer = Pricer(region, self.year)
        rows = [pricer.price(self.bp, c, micro=self.micro, **kwargs) for c in self.caos]
        best = min(rows, key=lambda t: t.tariff_eur)
        return best.unrounded, best


def goal_seek(region: Region, year: int, code: str, variant: str, target: Decimal, parameter: str, *,
              micro: bool = False, low: Decimal | None = None, high: Decimal | None = None) -> GoalSeek:
    """The value of ``parameter`` that makes the tariff equal ``target`` (raises NoSolution, ValueError)."""
    from scipy.optimize import brentq

    f = _Tariff(region, year, code, variant, micro, parameter)
    base_value = f.base_value()
    _, base_t = f.price(None)
    minute = f.bp.product.unit == "minuut"
    # A minute tariff is ROUND(hour tariff / 60): search the hour tariff that gives the target minute tariff.
    goal = target * 60 if minute else target
    lo_allowed, hi_allowed, open_high = f.allowed()
    if open_high and high is None:
        hi_allowed = hi_allowed - Decimal("1e-9")  # the engine divides by 1 - value: stay below 1
    lo = max(low, lo_allowed) if low is not None else lo_allowed
    if high is not None:
        hi = min(high, hi_allowed)
    elif hi_allowed == INF:
        hi = max(base_value * SEARCH_SPAN, Decimal(1))
    else:
        hi = hi_allowed
    if lo >= hi:
        raise ValueError(f"leeg bereik {lo}..{hi} voor {parameter}")

    def value(x: float) -> float:
        return float(f.price(Decimal(repr(x)))[0] - goal)

    lo_f, hi_f = _feasible(value, float(lo), float(hi), float(base_value))
    at_lo, at_hi = value(lo_f), value(hi_f)
    if at_lo == 0 or at_hi == 0:
        root = lo_f if at_lo == 0 else hi_f
        iterations = 0
    elif (at_lo > 0) == (at_hi > 0):
        t_lo, t_hi = _tariff_at(f, lo_f, minute), _tariff_at(f, hi_f, minute)
        raise NoSolution(
            f"geen oplossing: binnen het toegestane bereik van {f.label()} ({_fmt(lo_f)} tot {_fmt(hi_f)}) loopt het "
            f"tarief van {t_lo} tot {t_hi}; het doel {_eur(target)} ligt daarbuiten")
    else:
        root, info = brentq(value, lo_f, hi_f, xtol=1e-14, rtol=1e-15, maxiter=200, full_output=True)
        iterations = info.iterations
    x = Decimal(repr(root))
    unrounded, t = f.price(x)
    return GoalSeek(code, variant, micro, year, parameter, f.label(), target, base_value, base_t.tariff_eur, x,
                    t.tariff_eur, unrounded, Decimal(repr(lo_f)), Decimal(repr(hi_f)), iterations)


def curve(region: Region, year: int, code: str, variant: str, parameter: str, values: list[Decimal], *,
          micro: bool = False) -> list[Decimal]:
    """The (rounded) tariff at each value of the parameter, on the exact path: the line a goal seek searches."""
    f = _Tariff(region, year, code, variant, micro, parameter)
    return [f.price(Decimal(v))[1].tariff_eur for v in values]


def _feasible(fn: Any, lo: float, hi: float, base: float) -> tuple[float, float]:
    """The ends of the range, each moved inwards to the edge of where the engine can price (e.g. productive
    hours above zero): a bisection between the failing end and the base value, which prices."""
    def ok(x: float) -> bool:
        try:
            fn(x)
        except (MissingValue, InputError, ZeroDivisionError, ArithmeticError):
            return False
        return True

    ends = []
    for end in (lo, hi):
        if ok(end):
            ends.append(end)
            continue
        good, bad = base, end
        for _ in range(80):
            mid = (good + bad) / 2
            if mid in (good, bad):
                break
            good, bad = (mid, bad) if ok(mid) else (good, mid)
        ends.append(good)
    return ends[0], ends[1]


def _tariff_at(f: _Tariff, x: float, minute: bool) -> str:
    from tariefmodel.data.numbers import eur

    unrounded, t = f.price(Decimal(repr(x)))
    return eur(t.tariff_eur) + (f" (uur {eur(excel_round(unrounded, 2))})" if minute else "")


def _eur(x: Decimal) -> str:
    from tariefmodel.data.numbers import eur

    return eur(x)


def _fmt(x: float) -> str:
    return f"{x:.6g}"
