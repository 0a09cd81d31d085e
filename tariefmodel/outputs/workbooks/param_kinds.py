"""What each cost-model parameter holds: its kind, unit, number format and workbook validation.

Derived from the parameter path and the kind of its parent (a client cost's
``kind``, a productivity item's ``kind``), mirroring schema.CostModelFile without
importing pydantic (the review workbook must start fast). A test checks these
rules against the schema, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tariefmodel.outputs.workbooks import xlsx

ENUMS: dict[str, tuple[str, ...]] = {
    "employer_charges.mode": ("total", "itemised"),
    "overhead.convention": ("markup", "share"),
    "no_show.convention": ("divide", "markup"),
    "rounding.minute_tariff": ("from_hour", "direct", "hour_multiple_of_60_cents"),
}
INT_RANGES: dict[str, tuple[int, int]] = {
    "rounding.tariff_decimals": (0, 4),
    "rounding.cost_per_hour_decimals": (0, 6),
}
NULLABLE = {"rounding.cost_per_hour_decimals"}

# Dutch descriptions for parameters that carry no description of their own.
DESCRIPTIONS = {
    "no_show.convention": "No-show-conventie: divide = / (1 - n), markup = x (1 + n)",
    "employer_charges.total_rate": "Werkgeverslasten als één percentage van de loonkosten",
}


@dataclass(frozen=True, slots=True)
class Kind:
    kind: str  # fraction | amount | hours | positive | int | enum | month_day
    unit: str
    choices: tuple[str, ...] = ()
    lo: int | None = None
    hi: int | None = None
    nullable: bool = False

    @property
    def numeric(self) -> bool:
        return self.kind in ("fraction", "amount", "hours", "positive", "int")

    def num_format(self) -> str | None:
        return {"fraction": xlsx.PCT, "amount": xlsx.EUR, "hours": xlsx.HOURS, "positive": xlsx.HOURS,
                "int": xlsx.INT}.get(self.kind)

    def validation(self) -> dict[str, Any] | None:
        """xlsxwriter data_validation options for a value cell of this kind."""
        if self.kind == "fraction":
            return {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1,
                    "error_title": "Fractie", "error_message": "Een fractie tussen 0 en 1 (2% = 0,02)."}
        if self.kind in ("amount", "hours"):
            return {"validate": "decimal", "criteria": ">=", "value": 0,
                    "error_title": "Bedrag of aantal", "error_message": "Een getal van 0 of meer."}
        if self.kind == "positive":
            return {"validate": "decimal", "criteria": ">", "value": 0,
                    "error_title": "Positief getal", "error_message": "Een getal groter dan 0."}
        if self.kind == "int":
            return {"validate": "integer", "criteria": "between", "minimum": self.lo, "maximum": self.hi,
                    "ignore_blank": self.nullable, "error_title": "Geheel getal",
                    "error_message": f"Een geheel getal van {self.lo} tot en met {self.hi}"
                                     + (" (leeg = niet afronden)." if self.nullable else ".")}
        if self.kind == "enum":
            return {"validate": "list", "source": list(self.choices),
                    "error_title": "Keuze", "error_message": "Kies een van: " + ", ".join(self.choices)}
        if self.kind == "month_day":
            return {"validate": "length", "criteria": "==", "value": 5,
                    "error_title": "Maand-dag", "error_message": "Maand-dag als tekst, bijvoorbeeld 01-01."}
        return None


_ITEM = re.compile(r"^employer_charges\.items\.([^.]+)\.(rate|franchise_eur)$")
_NORM_FRACTION = re.compile(r"^productivity_norms\.([^.]+)\.fraction$")
_NORM_ITEM = re.compile(r"^productivity_norms\.([^.]+)\.breakdown\.([^.]+)\.value$")
_CLIENT = re.compile(r"^client_costs\.([^.]+)\.amount$")
_CLIENT_UNITS = re.compile(r"^client_costs\.([^.]+)\.units_per_place_year$")

CLIENT_UNITS = {
    "per_unit": ("amount", "€ per eenheid"),
    "per_staff_hour": ("amount", "€ per direct personeelsuur"),
    "staff_time_uplift": ("fraction", "fractie van de directe personeelskosten"),
    "per_place_year": ("amount", "€ per plaats per jaar"),
}


def kind_of(path: str, cost_model: Any) -> Kind:
    """The kind of the parameter at ``path`` (dotted, as in YearParameters.uses)."""
    if path in ENUMS:
        return Kind("enum", "keuze", ENUMS[path])
    if path in INT_RANGES:
        lo, hi = INT_RANGES[path]
        return Kind("int", "decimalen", lo=lo, hi=hi, nullable=path in NULLABLE)
    if path == "cao_reference_day":
        return Kind("month_day", "MM-DD")
    if path == "hours_per_dagdeel":
        return Kind("positive", "uur")
    if path in ("overhead.rate", "overhead.rate_micro", "no_show.rate", "profit_risk_rate",
                "employer_charges.total_rate", "checks.wage_floor_fraction", "checks.recalibration_threshold"):
        return Kind("fraction", "fractie")
    if path == "no_show.client_bill_max_eur":
        return Kind("amount", "€ per no-show")
    m = _ITEM.match(path)
    if m:
        return Kind("fraction", "fractie van de loonkosten") if m.group(2) == "rate" else Kind("amount", "€ per jaar")
    if _NORM_FRACTION.match(path):
        return Kind("fraction", "fractie van de contracturen")
    m = _NORM_ITEM.match(path)
    if m:
        item = _attr(_attr(cost_model, "productivity_norms")[m.group(1)], "breakdown")[m.group(2)]
        if _attr(item, "kind") == "hours":
            return Kind("hours", "uur per jaar")
        return Kind("fraction", "fractie van de contracturen")
    m = _CLIENT.match(path)
    if m:
        kind, unit = CLIENT_UNITS[_attr(_attr(cost_model, "client_costs")[m.group(1)], "kind")]
        return Kind(kind, unit)
    raise KeyError(f"no kind known for parameter {path!r}")


def _attr(node: Any, name: str) -> Any:
    return node.get(name) if isinstance(node, dict) else getattr(node, name, None)


def param_at(cost_model: Any, path: str) -> tuple[Any, str]:
    """The parameter at ``path`` (record, model or plain mapping) and the nearest label on the way."""
    node = cost_model
    label = ""
    for part in path.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
        lab = _attr(node, "label")
        if isinstance(lab, str):
            label = lab
    return node, label


SUFFIX = {"rate": "premie", "franchise_eur": "franchise", "fraction": "productiviteit", "value": "", "amount": ""}


def description_of(cost_model: Any, path: str) -> str:
    param, label = param_at(cost_model, path)
    desc = _attr(param, "description")
    if desc:
        return str(desc)
    if path in DESCRIPTIONS:
        return DESCRIPTIONS[path]
    m = _NORM_ITEM.match(path) or _NORM_FRACTION.match(path)
    if m:
        return f"{label} (norm {m.group(1)})"
    suffix = SUFFIX.get(path.rsplit(".", 1)[-1], "")
    if label:
        return f"{label}: {suffix}" if suffix else label
    return path


def unit_of(cost_model: Any, path: str) -> str:
    param, _ = param_at(cost_model, path)
    return _attr(param, "unit") or kind_of(path, cost_model).unit


def formula_name(path: str) -> str:
    """The workbook name of a parameter value, so formulas read like the model."""
    m = _ITEM.match(path)
    if m:
        return f"charge_{m.group(1)}_{'rate' if m.group(2) == 'rate' else 'franchise'}"
    m = _NORM_FRACTION.match(path)
    if m:
        return f"productivity_{m.group(1)}"
    m = _NORM_ITEM.match(path)
    if m:
        return f"norm_{m.group(1)}_{m.group(2)}"
    m = _CLIENT.match(path)
    if m:
        return f"client_{m.group(1)}"
    m = _CLIENT_UNITS.match(path)
    if m:
        return f"client_{m.group(1)}_units"
    special = {"rounding.tariff_decimals": "tariff_decimals", "rounding.minute_tariff": "minute_tariff_method",
               "rounding.cost_per_hour_decimals": "cost_per_hour_decimals"}
    return special.get(path, path.replace(".", "_"))
