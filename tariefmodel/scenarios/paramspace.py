"""The parameters a scenario, a tornado, a Monte Carlo run or a goal seek may move.

* every dated parameter of ``parameters/cost_model.yaml``, by its path as ``explain``
  prints it (``overhead.rate``, ``productivity_norms.ambulant.breakdown.ziekte.value``), as
  ``data.params.param_index`` lists them;
* ``cao.<key>.salary_factor``: every salary amount of one CAO times a factor (1 = as published);
* ``index.<year>.<method>``: the rate of an indexation method in a year (vectorised path only);
* ``productiviteit`` and the product fields ``groepsgrootte`` / ``uren_per_eenheid`` (goal seek only).

Each has a Dutch label and an allowed range: the values the engine accepts (a fraction in
[0, 1], below 1 where the engine divides by 1 - rate, hours within the contract hours).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass
from decimal import Decimal

from tariefmodel.data.params import MissingValue, param_index, value_at
from tariefmodel.data.problems import did_you_mean
from tariefmodel.data.records import Record
from tariefmodel.data.region import Region

INF = Decimal("Infinity")
NON_NUMERIC = ("cao_reference_day", "employer_charges.mode", "overhead.convention", "no_show.convention",
               "rounding.tariff_decimals", "rounding.minute_tariff", "rounding.cost_per_hour_decimals")
SALARY = "salary_factor"


@dataclass(frozen=True, slots=True)
class ParamInfo:
    path: str
    label: str
    numeric: bool
    low: Decimal  # allowed range, inclusive unless open_high
    high: Decimal
    open_high: bool = False  # the engine divides by (1 - value): the value must stay below high


def _label(region: Region, path: str, param: Record) -> str:
    cm = region.cost_model
    parts = path.split(".")
    if parts[0] == "productivity_norms" and len(parts) >= 4:
        norm = cm.productivity_norms[parts[1]]
        return f"{norm.label}: {norm.breakdown[parts[3]].label}" if parts[2] == "breakdown" else \
            f"{norm.label}: productiviteit"
    if parts[0] == "client_costs":
        return cm.client_costs[parts[1]].label
    if parts[0] == "employer_charges" and parts[1] == "items":
        item = cm.employer_charges.items[parts[2]]
        return item.label + (" (franchise)" if parts[3] == "franchise_eur" else "")
    return param.description or path


def _range(region: Region, path: str) -> tuple[Decimal, Decimal, bool]:
    """The values the engine accepts for a parameter."""
    cm = region.cost_model
    parts = path.split(".")
    conv = {"overhead": cm.overhead.convention, "no_show": cm.no_show.convention}.get(parts[0])
    if path in ("overhead.rate", "overhead.rate_micro"):
        share = any(v.value == "share" for v in conv.values)
        return Decimal(0), Decimal(1), share
    if path == "no_show.rate":
        divide = any(v.value == "divide" for v in conv.values)
        return Decimal(0), Decimal(1), divide
    if parts[0] == "productivity_norms" and parts[2] == "breakdown":
        item = cm.productivity_norms[parts[1]].breakdown[parts[3]]
        if item.kind == "share":
            return Decimal(0), Decimal(1), True
        return Decimal(0), _contract_hours(region), True
    if parts[0] == "productivity_norms" and parts[2] == "fraction":
        return Decimal(0), Decimal(1), False
    if parts[-1] in ("rate", "profit_risk_rate", "total_rate") or path == "profit_risk_rate":
        return Decimal(0), Decimal(1), False
    if parts[0] == "client_costs" and cm.client_costs[parts[1]].kind == "staff_time_uplift":
        return Decimal(0), Decimal(1), False
    return Decimal(0), INF, False


def _contract_hours(region: Region) -> Decimal:
    """The fewest contract hours of any CAO on 1 January of the region's default year (the entry valid then,
    not the file's last): hours off the contract hours must stay below them."""
    day = dt.date(region.info.default_year, 1, 1)
    hours = []
    for cao in region.caos.values():
        try:
            hours.append(value_at(cao.meta.annual_hours, day, "annual_hours", f"{cao.dir}/cao.yaml").value)
        except MissingValue:
            continue  # no contract hours that year: the engine names the gap when it prices
    return min(hours, default=INF)


def param_info(region: Region, path: str) -> ParamInfo:
    """Label and allowed range of a path (cost-model path, salary factor or index rate)."""
    parts = path.split(".")
    if parts[0] == "cao" and len(parts) == 3 and parts[2] == SALARY:
        name = region.caos[parts[1]].meta.name if parts[1] in region.caos else parts[1]
        return ParamInfo(path, f"Salarisniveau {name} (factor)", True, Decimal("0.01"),
                         Decimal(10))
    if parts[0] == "index" and len(parts) == 3:
        label = parts[2]
        if region.indexation is not None and parts[2] in region.indexation.methods:
            label = region.indexation.methods[parts[2]].label
        return ParamInfo(path, f"Indexatie {parts[1]}: {label}", True, Decimal("-0.49"), Decimal("0.49"))
    params = param_index(region.cost_model)
    if path not in params:
        raise KeyError(path)
    numeric = path not in NON_NUMERIC
    low, high, open_high = _range(region, path)
    return ParamInfo(path, _label(region, path, params[path]), numeric, low, high, open_high)


def match_paths(region: Region, pattern: str) -> list[str]:
    """Cost-model paths matching a path or a pattern with * (one or more parts)."""
    params = param_index(region.cost_model)
    if "*" not in pattern:
        return [pattern] if pattern in params else []
    return [p for p in params if fnmatch.fnmatchcase(p, pattern)]


def suggest(region: Region, path: str) -> str:
    """A 'did you mean' hint for an unknown path."""
    options = [*param_index(region.cost_model), *(f"cao.{k}.{SALARY}" for k in region.caos)]
    hint = did_you_mean(path, options)
    if hint:
        return hint
    return "bekende parameters zijn onder meer " + ", ".join(sorted(options)[:6]) + ", ... (zie tariefmodel explain)"


def is_known(region: Region, path: str) -> bool:
    try:
        param_info(region, path)
    except KeyError:
        return False
    return True
