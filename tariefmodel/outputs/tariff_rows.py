"""The tariff book as rows: one row per product x variant, with its cost components.

The required columns come first, in the order the issue tracker and the
regions' spreadsheets use; the cost components follow. Tariffs are rounded
(two decimals, and integer eurocent); the components are the unrounded
intermediates of the build-up, shown to four decimals for reading only.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from tariefmodel.data.money import excel_round
from tariefmodel.engine.pricing import UNIT_CODES, Tariff
from tariefmodel.engine.rows import TariffRow

REQUIRED_COLUMNS = [
    "product_code", "product_name", "law", "contract", "unit", "unit_code", "variant", "micro",
    "provider", "year", "tariff_eur", "tariff_eurocent",
]
COMPONENT_COLUMNS = [
    "product_category", "kind", "hour_tariff_eur", "cost_per_staff_hour", "staff_hours_per_unit", "group_size",
    "direct_staff_cost", "travel_time_cost", "client_costs", "direct_cost", "overhead_rate", "overhead",
    "no_show_rate", "no_show", "cost_price", "profit_risk", "tariff_unrounded",
    "version", "valid_from", "valid_to", "index_method", "index_rate", "reason",
]
COLUMNS = REQUIRED_COLUMNS + COMPONENT_COLUMNS
BUILDUP_COLUMNS = COMPONENT_COLUMNS[3:-6]  # empty for tariffs that are not built up from costs

FOUR = 4


def _c(value: Decimal) -> str:
    """An intermediate for display: four decimals, half away from zero."""
    return f"{excel_round(value, FOUR):.4f}"


def _head(t: TariffRow) -> dict[str, object]:
    """The columns every row has, whatever kind of tariff it is."""
    prod = t.product.product
    hour = t.hour_tariff
    return {
        "product_code": prod.code,
        "product_name": prod.name,
        "law": prod.law,
        "contract": t.product.contract,
        "unit": prod.unit,
        "unit_code": UNIT_CODES[prod.unit],
        "variant": t.variant,
        "micro": t.micro,
        "provider": t.provider,
        "year": t.year,
        "tariff_eur": f"{t.tariff_eur:.2f}",
        "tariff_eurocent": t.eurocent,
        "product_category": prod.category,
        "kind": t.kind,
        "hour_tariff_eur": f"{hour:.2f}" if hour is not None else "",
    }


def tariff_row(t: TariffRow) -> dict[str, object]:
    """One output row. Money as strings keeps it exact; eurocent as int."""
    if not isinstance(t, Tariff):
        return _derived_row(t)
    per = t.per_unit_divisor  # build-up is per hour for minute products
    return {
        **_head(t),
        "cost_per_staff_hour": _c(t.cost_per_staff_hour),
        "staff_hours_per_unit": _c(t.staff_hours_per_unit / per),
        "group_size": _c(t.group_size),
        "direct_staff_cost": _c(t.direct_staff_cost / per),
        "travel_time_cost": _c(t.travel_time_cost / per),
        "client_costs": _c(t.client_costs_total / per),
        "direct_cost": _c(t.direct_cost / per),
        "overhead_rate": _c(t.overhead_rate),
        "overhead": _c(t.overhead / per),
        "no_show_rate": _c(t.no_show_rate),
        "no_show": _c(t.no_show / per),
        "cost_price": _c(t.cost_price / per),
        "profit_risk": _c(t.profit_risk / per),
        "tariff_unrounded": _c(t.unrounded / per),
        "version": t.version,
        "valid_from": _date(t.valid_from),
        "valid_to": _date(t.valid_to),
        "index_method": "",
        "index_rate": "",
        "reason": t.reason,
    }


def _date(d: Any) -> str:
    return d.isoformat() if d is not None else ""


def _derived_row(t: TariffRow) -> dict[str, object]:
    """pgb, external and indexed tariffs: no build-up of their own in this year."""
    row = _head(t)
    row.update(dict.fromkeys(BUILDUP_COLUMNS, ""))
    row["version"] = t.version
    row["valid_from"] = _date(t.valid_from)
    row["valid_to"] = _date(t.valid_to)
    row["index_method"] = t.index_method
    row["index_rate"] = f"{t.index_rate:.6f}" if t.index_rate is not None else ""
    row["reason"] = t.reason + (f" [bron: {t.source}]" if t.source else "")
    return row


def rows(tariffs: Iterable[TariffRow]) -> list[dict[str, object]]:
    return [tariff_row(t) for t in tariffs]
