"""Scenarios: the base data plus named overrides, applied to a copy of the region.

A scenario never changes the base data: :func:`apply` returns a new ``Region`` made of
new records (``model_copy``), and the base region stays as it was.

Precedence, from weakest to strongest:

1. the base data;
2. the scenarios a scenario ``extends``, outermost first (a chain ``a <- b <- c`` applies
   a, then b, then c: a later layer replaces what an earlier one set);
3. within one scenario, a product's own setting beats its contract's setting, whatever
   their order in the file;
4. the same parameter, product field or contract field set twice in one scenario is an
   error (naming both places): nothing is silently overwritten.

Volume factors stack: every matching factor of every layer multiplies the volume.

Overrides are validated through the engine's own input models (a fraction stays a
fraction, staffing shares still sum to 1), and a problem names the scenario file, the
override's key and its line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from tariefmodel.data.cao import Cao, SalaryTable
from tariefmodel.data.money import excel_round
from tariefmodel.data.params import param_index, replace_at
from tariefmodel.data.problems import InputError, Problems
from tariefmodel.data.pydantic_nl import dutch_message, error_path
from tariefmodel.data.records import Record
from tariefmodel.data.region import BookProduct, Region
from tariefmodel.loader.inputs import SCENARIO_DIR, read_model, scenario_files, scenario_overrides
from tariefmodel.scenarios.paramspace import NON_NUMERIC, match_paths, suggest

BASE = "basis"  # the base data, without overrides
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Override:
    kind: str  # a key of models.OVERRIDE_KINDS
    spec: Any  # the validated model
    file: str
    where: str  # e.g. "overrides.2"
    line: int | None


@dataclass(frozen=True)
class Layer:
    """One scenario file's overrides."""

    name: str
    label: str
    file: str
    provenance: Any
    overrides: tuple[Override, ...]


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    description: str
    layers: tuple[Layer, ...] = ()  # outermost (extended) first, this scenario last
    provenance: Any = None

    @property
    def chain(self) -> tuple[str, ...]:
        return tuple(layer.name for layer in self.layers)

    @property
    def volume_overrides(self) -> tuple[Override, ...]:
        return tuple(o for layer in self.layers for o in layer.overrides if o.kind == "volume_factor")


BASE_SCENARIO = Scenario(BASE, "Basis (invoer zonder wijzigingen)", "De invoer zoals vastgelegd, zonder overrides.")


# --------------------------------------------------------------------------- reading


def scenario_names(root: Path) -> list[str]:
    return [p.stem for p in scenario_files(root)]


def load_scenario(region: Region, name: str) -> Scenario:
    """Read a scenario and the ones it extends; validate it by applying it to ``region``."""
    if name == BASE:
        return BASE_SCENARIO
    problems = Problems()
    layers: list[Layer] = []
    seen: list[str] = []
    current: str | None = name
    top = None
    while current is not None:
        if current in seen:
            problems.add(f"{SCENARIO_DIR}/{seen[-1]}.yaml", "extends",
                         f"scenario's breiden elkaar in een kring uit: {' <- '.join([*seen, current])}")
            break
        seen.append(current)
        layer, doc = _read_layer(region, current, problems, referenced_by=seen[-2] if len(seen) > 1 else None)
        if layer is None:
            break
        layers.insert(0, layer)
        top = top or doc
        current = doc.extends
    problems.raise_if_errors()
    scenario = Scenario(name, top.label, top.description, tuple(layers), top.provenance)
    apply(region, scenario)  # raises InputError naming the override that does not fit
    return scenario


def _read_layer(region: Region, name: str, problems: Problems, referenced_by: str | None) -> tuple[Layer | None, Any]:
    from tariefmodel.data.scenario_schema import ScenarioFile

    rel = f"{SCENARIO_DIR}/{name}.yaml"
    if not (region.root / rel).is_file():
        known = ", ".join(scenario_names(region.root)) or "none"
        if referenced_by is not None:
            problems.add(f"{SCENARIO_DIR}/{referenced_by}.yaml", "extends",
                         f"scenario {name!r} bestaat niet (scenarios: {known})")
        else:
            problems.add(rel, "", f"scenario {name!r} bestaat niet (scenarios: {BASE}, {known})")
        return None, None
    doc, raw = read_model(region.root, rel, ScenarioFile, problems)
    if doc is None:
        return None, None
    overrides = [Override(kind, spec, rel, where, line)
                 for kind, where, spec, line in scenario_overrides(rel, doc, raw, problems)]
    _check_duplicates(overrides, region, problems)
    return Layer(name, doc.label, rel, doc.provenance, tuple(overrides)), doc


def _check_duplicates(overrides: list[Override], region: Region, problems: Problems) -> None:
    """The same target twice in one scenario is ambiguous: an error naming both places."""
    seen: dict[tuple, Override] = {}
    for o in overrides:
        targets: list[tuple] = []
        if o.kind == "param":
            targets = [("param", p) for p in (match_paths(region, o.spec.param) or [o.spec.param])]
        elif o.kind == "productivity":
            targets = [("productivity", o.spec.productivity)]
        elif o.kind in ("product", "contract"):
            owner = o.spec.product if o.kind == "product" else o.spec.contract
            targets = [(o.kind, owner, f) for f in o.spec.changes()]
        elif o.kind == "cao_raise":
            targets = [("cao_raise", o.spec.cao_raise, o.spec.valid_from)]
        elif o.kind == "index_rate":
            targets = [("index", y, c) for y in o.spec.years for c in (o.spec.contracts or ["*"])]
        for t in targets:
            if t in seen:
                first = seen[t]
                what = " ".join(str(x) for x in t[1:] if x is not None)
                problems.add(o.file, o.where, f"{t[0]} {what} is al gezet in {first.where} (regel {first.line}): "
                             "zet het één keer per scenario", line=o.line)
            else:
                seen[t] = o


# --------------------------------------------------------------------------- applying


def apply(region: Region, scenario: Scenario) -> Region:
    """The region under a scenario: a new Region; ``region`` is not changed."""
    for layer in scenario.layers:
        region = _apply_layer(region, layer, scenario.name)
    return region


def _provenance(layer: Layer, scenario: str, note: str | None) -> dict[str, Any]:
    p = layer.provenance
    return {"source": f"scenario {scenario} ({layer.file}): {p.source}", "source_date": p.source_date,
            "rationale": note or layer.label, "decided_by": p.decided_by, "decided_on": p.decided_on,
            "status": "draft", "assumption": p.assumption}


def _apply_layer(region: Region, layer: Layer, scenario: str) -> Region:
    problems = Problems()
    by_kind: dict[str, list[Override]] = {}
    for o in layer.overrides:
        by_kind.setdefault(o.kind, []).append(o)
    cm = region.cost_model
    touched: list[tuple[str, Override]] = []
    for o in by_kind.get("param", []):
        cm = _param(region, cm, o, layer, scenario, problems, touched)
    for o in by_kind.get("productivity", []):
        cm = _productivity(cm, o, layer, scenario, problems, touched)
    cm = _validate_cost_model(cm, touched, problems)
    region = dataclasses.replace(region, cost_model=cm) if cm is not None else region
    if cm is not None:
        _check_year(region, touched, problems)
    caos = dict(region.caos)
    for o in sorted(by_kind.get("cao_raise", []), key=lambda o: o.spec.valid_from or dt.date.min):
        if o.spec.cao_raise not in caos:
            problems.add(o.file, f"{o.where}.cao_raise", f"CAO {o.spec.cao_raise!r} bestaat niet "
                         f"(CAOs: {', '.join(caos)})", line=o.line)
            continue
        caos[o.spec.cao_raise] = raise_cao(caos[o.spec.cao_raise], o.spec.rate, o.spec.valid_from,
                                           o.spec.round_cells, f"scenario {scenario}")
    region = dataclasses.replace(region, caos=caos)
    if by_kind.get("index_rate"):
        region = _index(region, by_kind["index_rate"], layer, scenario, problems)
    region = _products(region, by_kind.get("contract", []), by_kind.get("product", []), problems)
    for o in by_kind.get("volume_factor", []):
        _check_volume_targets(region, o, problems)
    problems.raise_if_errors()
    return region


# ---- cost-model parameters


def _param(region: Region, cm: Record, o: Override, layer: Layer, scenario: str, problems: Problems,
           touched: list[tuple[str, Override]]) -> Record:
    spec = o.spec
    params = param_index(cm)
    paths = match_paths(region, spec.param)
    if not paths:
        hint = "past op geen enkele parameter" if "*" in spec.param else f"is geen parameter: {suggest(region, spec.param)}"
        problems.add(o.file, f"{o.where}.param", f"{spec.param!r} {hint}", line=o.line)
        return cm
    for path in paths:
        if spec.value is None and path in NON_NUMERIC:
            problems.add(o.file, f"{o.where}.param", f"{path} is geen getal: geef value, geen factor of delta",
                         line=o.line)
            return cm
        if spec.value is not None:
            new_value = spec.value
            fn: Callable[[Any], Any] = lambda _v, nv=new_value: nv  # noqa: E731
        elif spec.factor is not None:
            fn = lambda v, f=spec.factor: v * f  # noqa: E731
        else:
            fn = lambda v, d=spec.delta: v + d  # noqa: E731
        new = rewrite_dated(params[path], spec.valid_from, fn, _provenance(layer, scenario, spec.note))
        cm = replace_at(cm, path, new)
        touched.append((path, o))
    return cm


def rewrite_dated(param: Record, start: dt.date | None, fn: Callable[[Any], Any], prov: dict[str, Any]) -> Record:
    """A parameter whose values from ``start`` (default: all) are ``fn(value)``, with the scenario as source.

    An entry that starts before ``start`` and runs past it is split at ``start``.
    """
    values = []
    for e in param.values:
        if start is None or e.valid_from >= start:
            values.append(e.model_copy(update={"value": fn(e.value), **prov}))
        elif e.valid_until is not None and e.valid_until < start:
            values.append(e)
        else:
            values.append(e.model_copy(update={"valid_until": start - ONE_DAY}))
            values.append(e.model_copy(update={"valid_from": start, "value": fn(e.value), **prov}))
    return param.model_copy(update={"values": values})


def _productivity(cm: Record, o: Override, layer: Layer, scenario: str, problems: Problems,
                  touched: list[tuple[str, Override]]) -> Record:
    spec = o.spec
    if spec.productivity not in cm.productivity_norms:
        problems.add(o.file, f"{o.where}.productivity", f"productiviteitsnorm {spec.productivity!r} bestaat niet "
                     f"(norms: {', '.join(cm.productivity_norms)})", line=o.line)
        return cm
    norm = cm.productivity_norms[spec.productivity]
    template = cm.profit_risk_rate  # any dated parameter: the shape of a Param record
    entry = template.values[0].model_copy(update={"valid_from": dt.date(1900, 1, 1), "valid_until": None,
                                                  "value": spec.fraction, **_provenance(layer, scenario, spec.note)})
    fraction = template.model_copy(update={"description": f"Productiviteit {norm.label} (scenario {scenario})",
                                           "unit": None, "values": [entry]})
    new_norm = norm.model_copy(update={"method": "fraction", "fraction": fraction, "breakdown": {}})
    touched.append((f"productivity_norms.{spec.productivity}", o))
    return replace_at(cm, f"productivity_norms.{spec.productivity}", new_norm)


def _validate_cost_model(cm: Record, touched: list[tuple[str, Override]], problems: Problems) -> Record | None:
    """Check the changed cost model with the engine's own model; name the override behind each error."""
    if not touched:
        return cm
    from pydantic import ValidationError

    from tariefmodel.data.records import to_record
    from tariefmodel.data.schema import CostModelFile

    try:
        return to_record(CostModelFile.model_validate(cm.model_dump()))
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in error_path(err))
            msg = dutch_message(err)
            owner = next((o for path, o in touched if loc.startswith(path)), None) or touched[0][1]
            key = "value" if owner.kind == "param" and owner.spec.value is not None else \
                "factor" if owner.kind == "param" and owner.spec.factor is not None else \
                "delta" if owner.kind == "param" else "fraction"
            problems.add(owner.file, f"{owner.where}.{key}", f"{loc}: {msg}", line=owner.line)
        return None


def _check_year(region: Region, touched: list[tuple[str, Override]], problems: Problems) -> None:
    """The engine's own refusal (a rate of 1 with a divide convention), named at the override."""
    from tariefmodel.engine.pricing import YearParameters

    try:
        YearParameters.of(region, region.info.default_year)
    except InputError as exc:
        for p in exc.problems:
            owner = next((o for path, o in touched if path.startswith(p.where) or p.where.startswith(path)), None)
            if owner is not None:
                problems.add(owner.file, owner.where, p.message, line=owner.line)
            else:
                problems.add(p.file, p.where, p.message, line=p.line)


# ---- CAO raises


def raise_cao(cao: Cao, rate: Decimal, start: dt.date | None, round_cells: bool, why: str) -> Cao:
    """Every salary amount of the CAO from ``start`` (default: every table) times (1 + rate).

    With a start date, the table in force on that date is copied to start on it, raised, so the
    raise holds from that day; tables effective later are raised as well (the raise carries on).
    Inpassing tables (scale -> number) hold no amounts and stay as they are.
    """
    factor = Decimal(1) + rate

    def up(v: Decimal) -> Decimal:
        return excel_round(v * factor, 2) if round_cells else v * factor

    def scaled(t: SalaryTable, effective: dt.date) -> SalaryTable:
        # A cell the minimum wage lifted (loader.wml_floor) is raised from the CAO's own amount; the
        # minimum wage stays its floor (raising the floor itself would price a wage nobody agreed).
        cells, lifted = {}, {}
        for k, v in t.cells.items():
            own = t.lifted.get(k)
            if own is None:
                cells[k] = up(v)
            elif up(own) >= v:
                cells[k] = up(own)
            else:
                cells[k], lifted[k] = v, up(own)
        return dataclasses.replace(t, effective=effective, cells=cells, lifted=lifted,
                                   source=f"{t.source} ({why}: {rate * 100:+f}%)")

    tables: list[SalaryTable] = []
    for t in cao.tables:
        if t.kind == "scale_map" or (start is not None and t.effective < start):
            tables.append(t)
        else:
            tables.append(scaled(t, t.effective))
    if start is not None:
        for kind in ("series", "scales"):
            own = sorted((t for t in cao.tables if t.kind == kind), key=lambda t: t.effective)
            if any(t.effective == start for t in own):
                continue
            before = [t for t in own if t.effective < start]
            if not before:
                continue
            # Several scale tables may share a date (regular and primary process): copy each of the latest.
            latest = before[-1].effective
            tables.extend(scaled(t, start) for t in before if t.effective == latest)
    return Cao(cao.meta, tuple(tables), cao.function_map, cao.dir)


# ---- indexation


def _index(region: Region, overrides: list[Override], layer: Layer, scenario: str, problems: Problems) -> Region:
    ix = region.indexation
    if ix is None:
        o = overrides[0]
        problems.add(o.file, f"{o.where}.index_rate", "deze regio heeft geen parameters/indexation.yaml", line=o.line)
        return region
    methods = dict(ix.methods)
    assignments = list(ix.assignments)
    template_method = next(iter(ix.methods.values()))
    with_method = sorted({a.contract for a in ix.assignments})
    for n, o in enumerate(overrides):
        spec = o.spec
        unknown = [c for c in spec.contracts or [] if c not in region.contracts]
        if unknown:
            problems.add(o.file, f"{o.where}.contracts", f"contract {', '.join(unknown)} bestaat niet", line=o.line)
            continue
        key = f"scenario-{scenario}-{n + 1}"[:60]
        methods[key] = template_method.model_copy(update={
            "label": f"Vast {spec.index_rate * 100:f}% (scenario {scenario})", "kind": "fixed",
            "weights": None, "rate": spec.index_rate, "source": f"scenario {scenario} ({layer.file})"})
        prov = _provenance(layer, scenario, spec.note)
        for contract in spec.contracts or with_method:
            template = next((a for a in ix.assignments if a.contract == contract), ix.assignments[0])
            for year in sorted(set(spec.years)):
                start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
                assignments = _carve(assignments, contract, start, end)
                assignments.append(template.model_copy(update={
                    "contract": contract, "products": None, "method": key, "valid_from": start, "valid_until": end,
                    **prov}))
    new_ix = ix.model_copy(update={"methods": methods, "assignments": assignments})
    return dataclasses.replace(region, indexation=new_ix)


def _carve(assignments: list[Any], contract: str, start: dt.date, end: dt.date) -> list[Any]:
    """Assignments of a contract with the period start..end cut out (what lies around it stays)."""
    out = []
    for a in assignments:
        a_end = a.valid_until or dt.date.max
        if a.contract != contract or a_end < start or a.valid_from > end:
            out.append(a)
            continue
        if a.valid_from < start:
            out.append(a.model_copy(update={"valid_until": start - ONE_DAY}))
        if a_end > end:
            out.append(a.model_copy(update={"valid_from": end + ONE_DAY}))
    return out


# ---- products


def _products(region: Region, contract_ovs: list[Override], product_ovs: list[Override],
              problems: Problems) -> Region:
    if not contract_ovs and not product_ovs:
        return region
    codes = {bp.product.code for bp in region.products}
    changes: dict[str, dict[str, tuple[Any, Override]]] = {}
    for o in contract_ovs:
        if o.spec.contract not in region.contracts:
            problems.add(o.file, f"{o.where}.contract", f"contract {o.spec.contract!r} bestaat niet", line=o.line)
            continue
        members = [bp.product.code for bp in region.products if bp.contract == o.spec.contract]
        if not members:
            problems.add(o.file, f"{o.where}.contract", f"contract {o.spec.contract!r} heeft geen berekende producten",
                         line=o.line)
        for code in members:
            for f, v in o.spec.changes().items():
                changes.setdefault(code, {})[f] = (v, o)
    for o in product_ovs:  # after the contract's: a product's own setting wins
        if o.spec.product not in codes:
            ext = any(e.product.code == o.spec.product for e in region.external)
            why = "een extern tarief wordt niet uit kosten opgebouwd" if ext else "onbekend product"
            problems.add(o.file, f"{o.where}.product", f"{why}: {o.spec.product!r}", line=o.line)
            continue
        for f, v in o.spec.changes().items():
            changes.setdefault(o.spec.product, {})[f] = (v, o)
    products = tuple(_changed(region, bp, changes.get(bp.product.code), problems) for bp in region.products)
    versions = {code: tuple(dataclasses.replace(v, product=_changed(region, v.product, changes.get(code), problems))
                            for v in vs) for code, vs in region.versions.items()}
    return dataclasses.replace(region, products=products, versions=versions)


def _changed(region: Region, bp: BookProduct, change: dict[str, tuple[Any, Override]] | None,
             problems: Problems) -> BookProduct:
    if not change:
        return bp
    from pydantic import ValidationError

    from tariefmodel.data.records import to_record
    from tariefmodel.data.schema import Product

    merged = {**bp.product.model_dump(), **{f: v for f, (v, _) in change.items()}}
    owners = {f: o for f, (_, o) in change.items()}
    first = next(iter(owners.values()))
    try:
        new = to_record(Product.model_validate(merged))
    except ValidationError as exc:
        for err in exc.errors():
            f = str(err["loc"][0]) if err["loc"] else ""
            o = owners.get(f, first)
            msg = dutch_message(err)
            problems.add(o.file, f"{o.where}.{f}" if f in owners else o.where,
                         f"product {bp.product.code}: {msg}", line=o.line)
        return bp
    cm = region.cost_model
    for f, o in owners.items():
        if f == "staffing":
            for prof in new.staffing:
                if prof not in region.profiles:
                    problems.add(o.file, f"{o.where}.staffing", f"functieprofiel {prof!r} bestaat niet", line=o.line)
                    continue
                for cao_key in new.caos:
                    if prof not in region.caos[cao_key].function_map.profiles:
                        problems.add(o.file, f"{o.where}.staffing", f"product {new.code}: CAO {cao_key!r} koppelt geen "
                                     f"schaal aan {prof!r}", line=o.line)
        elif f == "productivity_norm" and new.productivity_norm not in cm.productivity_norms:
            problems.add(o.file, f"{o.where}.productivity_norm",
                         f"productiviteitsnorm {new.productivity_norm!r} bestaat niet", line=o.line)
        elif f == "client_costs":
            for cc in new.client_costs:
                if cc not in cm.client_costs:
                    problems.add(o.file, f"{o.where}.client_costs", f"cliëntgebonden kosten {cc!r} bestaan niet", line=o.line)
    return dataclasses.replace(bp, product=new)


def _check_volume_targets(region: Region, o: Override, problems: Problems) -> None:
    spec = o.spec
    codes = {bp.product.code for bp in (*region.products, *region.external)}
    for code in spec.products or []:
        if code not in codes:
            problems.add(o.file, f"{o.where}.products", f"product {code!r} bestaat niet", line=o.line)
    for c in spec.contracts or []:
        if c not in region.contracts:
            problems.add(o.file, f"{o.where}.contracts", f"contract {c!r} bestaat niet", line=o.line)


def volume_factor(scenario: Scenario, product: str, contract: str, municipality: str, year: int) -> Decimal:
    """The product of every volume factor of the scenario that matches this volume."""
    f = Decimal(1)
    for o in scenario.volume_overrides:
        s = o.spec
        if ((s.products is None or product in s.products) and (s.contracts is None or contract in s.contracts)
                and (s.municipalities is None or municipality in s.municipalities)
                and (s.years is None or year in s.years)):
            f *= s.volume_factor
    return f


@dataclass
class ScenarioSet:
    """Scenarios by name, each with its region, loaded once."""

    base: Region
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)

    def get(self, name: str) -> tuple[Scenario, Region]:
        if name not in self.scenarios:
            s = load_scenario(self.base, name)
            self.scenarios[name] = s
            self.regions[name] = apply(self.base, s)
        return self.scenarios[name], self.regions[name]
