"""Aggregating the survey per parameter, next to the model's own value.

Every parameter is a ratio per respondent (productivity = direct client hours /
contract hours, ...) weighted by its own denominator, so the weighted median is the
median over the hours or euros behind it rather than over providers of any size
("volume-weighted"); product parameters are weighted by the product's volume.
Figures based on fewer respondents than the region's ``min_respondents`` are
suppressed; min and max are reported only as a range and only when not suppressed.
No name, KvK number or respondent id ever leaves this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tariefmodel.survey.checks import KINDS
from tariefmodel.survey.coverage import Coverage, coverage
from tariefmodel.survey.models import Response, Stored
from tariefmodel.survey.percentiles import weighted_percentile
from tariefmodel.survey.settings import SurveySettings

Q25, Q50, Q75 = Decimal("0.25"), Decimal("0.5"), Decimal("0.75")
ALL = "alle"


@dataclass(frozen=True, slots=True)
class Figure:
    """One parameter for one group of respondents; numbers are None when suppressed."""

    group: str
    label: str
    n: int
    suppressed: bool
    median: Decimal | None = None
    p25: Decimal | None = None
    p75: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ModelValue:
    label: str
    path: str  # the cost-model parameter it is (for benchmarks' informs), or "" when none
    value: Decimal
    group: str  # the group whose figure it is compared with
    finding: str | None  # set when the value lies outside P25-P75 of that group


@dataclass(frozen=True, slots=True)
class Parameter:
    key: str
    label: str
    unit: str  # fractie | EUR/uur | clienten | uur
    definition: str
    weight: str
    figures: tuple[Figure, ...]  # the first is all respondents
    model: tuple[ModelValue, ...]
    product: str = ""  # product code for per-product parameters

    @property
    def overall(self) -> Figure:
        return self.figures[0]

    def figure(self, group: str) -> Figure | None:
        return next((f for f in self.figures if f.group == group), None)


@dataclass(frozen=True)
class SurveyResult:
    region: str
    year: int
    n: int
    settings: SurveySettings
    parameters: tuple[Parameter, ...]
    coverage: tuple[Coverage, ...]
    warnings: tuple[tuple[str, int], ...]  # (description, respondents with that warning)
    findings: tuple[str, ...]
    margin: Decimal  # the surplus margin used for "onbedoelde ruimte"


Metric = Callable[[Response], tuple[Decimal, Decimal] | None]  # (value, weight) or None


def _share(num: Decimal, den: Decimal) -> tuple[Decimal, Decimal] | None:
    """A share weighted by its denominator; None when it cannot be a share (warned about at import)."""
    if den <= 0:
        return None
    v = num / den
    return (v, den) if 0 <= v <= 1 else None


METRICS: tuple[tuple[str, str, str, str, str, Metric], ...] = (
    ("productiviteit", "Productiviteit", "fractie", "directe clienttijd / contracturen", "contracturen",
     lambda r: _share(r.hours.direct, r.hours.contract)),
    ("overhead", "Overhead", "fractie", "overheadkosten / totale kosten", "totale kosten",
     lambda r: _share(r.costs.overhead, r.costs.total)),
    ("werkgeverslasten", "Werkgeverslasten", "fractie", "werkgeverslasten / brutoloonkosten", "brutoloonkosten",
     lambda r: _share(r.charges, r.wages)),
    ("verzuim", "Ziekteverzuim", "fractie", "uren ziekteverzuim / contracturen", "contracturen",
     lambda r: _share(r.hours.sickness, r.hours.contract)),
    ("reiskosten", "Reiskosten", "EUR/uur", "reiskosten / directe clienttijd (euro per direct uur)",
     "directe clienttijd", lambda r: (r.costs.travel / r.hours.direct, r.hours.direct) if r.hours.direct > 0 else None),
)


def groups(responses: list[Response], cao_names: dict[str, str]) -> list[tuple[str, str, list[Response]]]:
    """All respondents, then per CAO, then micro-enterprises and regular providers."""
    out = [(ALL, "alle respondenten", responses)]
    for cao in sorted({r.cao for r in responses}):
        name = cao_names.get(cao, cao)  # names read "CAO Jeugdzorg", "Cao Sociaal Werk", "geen CAO"
        out.append((f"cao:{cao}", name if "cao" in name.casefold() else f"CAO {name}",
                    [r for r in responses if r.cao == cao]))
    out.append(("micro", "micro-ondernemingen", [r for r in responses if r.micro]))
    out.append(("regulier", "reguliere aanbieders", [r for r in responses if not r.micro]))
    return out


def figure(group: str, label: str, pairs: list[tuple[Decimal, Decimal]], min_n: int) -> Figure:
    """The aggregate of (value, weight) pairs, one per respondent; suppressed below ``min_n`` respondents."""
    n = len(pairs)
    if n < min_n:
        return Figure(group, label, n, True)
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    return Figure(group, label, n, False, weighted_percentile(values, weights, Q50),
                  weighted_percentile(values, weights, Q25), weighted_percentile(values, weights, Q75),
                  min(values), max(values))


def summarise(region: Any, year: int, stored: list[Stored], settings: SurveySettings, book: Any,
              margin: Decimal | None = None) -> SurveyResult:
    """The whole survey of a year: every parameter, the coverage per product and the findings."""
    from tariefmodel.engine.pricing import YearParameters

    responses = [s.response for s in stored]
    cao_names = {k: c.meta.name for k, c in region.caos.items()}
    if region.differentiation is not None:
        cao_names.update(region.differentiation.unmodelled_caos)
    cao_names["geen"] = "geen CAO"
    min_n = settings.min_respondents
    grouped = groups(responses, cao_names)
    params = YearParameters.of(region, year)
    models = _model_values(region, params, book)
    out: list[Parameter] = []
    for key, label, unit, definition, weight, metric in METRICS:
        figs = tuple(figure(g, gl, [p for p in (metric(r) for r in rs) if p is not None], min_n) for g, gl, rs in grouped)
        out.append(Parameter(key, label, unit, definition, weight, figs, _judge(models.get(key, []), figs, unit)))
    for line in _products_delivered(region, responses):
        code = line.product.code
        for key, label, unit, attr, model in (
            ("groepsgrootte", "Groepsgrootte", "clienten", "group_size", line.product.group_size),
            ("personele-uren", "Personele uren per eenheid", "uur", "staff_hours", _staff_hours(line.product, params)),
        ):
            figs = tuple(figure(g, gl, [(getattr(p, attr), p.volume) for r in rs for p in r.products if p.code == code],
                                min_n) for g, gl, rs in grouped)
            mv = [ModelValue(f"product {code}", "", Decimal(model), ALL, None)]
            out.append(Parameter(f"{key}-{code.lower()}", f"{label} {code} {line.product.name}", unit,
                                 "gemiddeld aantal clienten per begeleider" if attr == "group_size" else
                                 "directe personele uren per eenheid voor de hele groep", f"volume {code}", figs,
                                 _judge(mv, figs, unit), code))
    margin = settings.surplus_margin if margin is None else margin
    cov = coverage(region, responses, book, min_n, margin)
    counts: dict[str, int] = {}
    for s in stored:
        for kind in {k for k, _ in s.warnings}:
            counts[kind] = counts.get(kind, 0) + 1
    warnings = tuple((KINDS.get(k, k), counts[k]) for k in KINDS if k in counts)
    findings = tuple(m.finding for p in out for m in p.model if m.finding)
    return SurveyResult(region.info.name, year, len(stored), settings, tuple(out), cov, warnings, findings, margin)


def _products_delivered(region: Any, responses: list[Response]) -> list[Any]:
    codes = {p.code for r in responses for p in r.products}
    return [bp for bp in sorted(region.products, key=lambda bp: bp.product.code) if bp.product.code in codes]


def _staff_hours(product: Any, params: Any) -> Decimal:
    """The staff hours per unit the engine uses: the product's own, a dagdeel's hours, or 1 (hour and minute)."""
    if product.staff_hours_per_unit is not None:
        return Decimal(product.staff_hours_per_unit)
    if product.unit == "dagdeel":
        return Decimal(params.v("hours_per_dagdeel"))
    return Decimal(1)


def _judge(models: list[ModelValue], figs: tuple[Figure, ...], unit: str) -> tuple[ModelValue, ...]:
    from tariefmodel.survey.format import number

    out = []
    for m in models:
        fig = next((f for f in figs if f.group == m.group), None)
        finding = None
        if fig is not None and not fig.suppressed and fig.p25 is not None and fig.p75 is not None \
                and not fig.p25 <= m.value <= fig.p75:
            side = "onder" if m.value < fig.p25 else "boven"
            finding = (f"{m.label} = {number(m.value, unit)} ligt {side} P25-P75 van het kostprijsonderzoek "
                       f"({fig.label}: {number(fig.p25, unit)} - {number(fig.p75, unit)}, n = {fig.n})")
        out.append(ModelValue(m.label, m.path, m.value, m.group, finding))
    return tuple(out)


def _built(t: Any) -> Any:
    """The built-up tariff behind a row: itself, or the calibrated base of an indexed tariff."""
    return t.built


def _model_values(region: Any, params: Any, book: Any) -> dict[str, list[ModelValue]]:
    """The model's own value of each surveyed parameter in this year, labelled with where it comes from."""
    from tariefmodel.survey.format import number

    out: dict[str, list[ModelValue]] = {}
    norms: dict[str, tuple[Decimal, str]] = {}
    rates: dict[tuple[str, str], Decimal] = {}
    for t in book.tariffs:
        b = _built(t)
        if b is None or t.kind != "cao" or t.micro:
            continue
        for s in b.staff:
            norms.setdefault(s.cost.productivity_norm, (s.cost.productivity, b.cao))
            if s.cost.wage_cost > 0:
                rates.setdefault((b.cao, s.profile), (s.cost.employer_cost - s.cost.wage_cost) / s.cost.wage_cost)
    out["productiviteit"] = [ModelValue(f"productivity_norms.{k} (CAO {cao})", f"productivity_norms.{k}", v, ALL, None)
                             for k, (v, cao) in sorted(norms.items())]
    conv = params.v("overhead.convention")
    for path, group in (("overhead.rate", "regulier"), ("overhead.rate_micro", "micro")):
        rate = Decimal(params.v(path))
        share = rate / (1 + rate) if conv == "markup" else rate
        label = f"{path} ({number(rate, 'fractie')} opslag, als aandeel van de totale kosten)" if conv == "markup" \
            else path
        out.setdefault("overhead", []).append(ModelValue(label, path, share, group, None))
    if params.uses.get("employer_charges.mode") and params.v("employer_charges.mode") == "total":
        out["werkgeverslasten"] = [ModelValue("employer_charges.total_rate", "employer_charges.total_rate",
                                              Decimal(params.v("employer_charges.total_rate")), ALL, None)]
    elif rates:
        values = list(rates.values())
        med = weighted_percentile(values, [Decimal(1)] * len(values), Q50)
        out["werkgeverslasten"] = [ModelValue(f"employer_charges (effectief, mediaan over {len(values)} functieprofielen "
                                              f"x CAO's)", "", med, ALL, None)]
    sick: dict[Decimal, list[str]] = {}
    for key, norm in params.norms.items():
        for ikey, _label, kind, use in norm.items:
            if ikey == "ziekte" and kind == "share":
                sick.setdefault(Decimal(use.value), []).append(key)
    out["verzuim"] = [ModelValue(f"ziekte in de normen {', '.join(keys)}",
                                 ";".join(f"productivity_norms.{k}.breakdown.ziekte.value" for k in keys), v, ALL, None)
                      for v, keys in sorted(sick.items())]
    out["reiskosten"] = [ModelValue(f"client_costs.{k}.amount ({cc.label})", f"client_costs.{k}.amount",
                                    Decimal(cc.amount.value), ALL, None)
                         for k, cc in sorted(params.client_costs.items()) if cc.kind == "per_staff_hour"]
    return out
