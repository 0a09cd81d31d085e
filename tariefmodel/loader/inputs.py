"""Reading the scenario and budget files, in the engine's error style.

Every problem names its file, its key and its line; all problems of a file (and of
the files read together) are collected before :class:`~tariefmodel.problems.InputError`
is raised, so a user fixes them in one pass. The files are optional for the engine, but
a file that is there is part of the data folder: :mod:`tariefmodel.loader.folder` checks
every one of them whenever the folder is loaded (so ``calculate`` refuses a broken
volumes file too); a command that needs a missing one says which.

These readers live in the loader, below the scenarios layer, because they need only the
pydantic models (:mod:`tariefmodel.data.scenario_schema`) and the region. Checks that need
the scenarios layer (parameter paths of the sensitivity file) are passed in as a callable.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tariefmodel.data.problems import InputError, Problems
from tariefmodel.data.pydantic_nl import add_validation_errors
from tariefmodel.data.region import Region
from tariefmodel.loader.reader import Reader, kind_of

SCENARIO_DIR = "scenarios"
MUNICIPALITIES = "parameters/municipalities.yaml"
VOLUMES = "parameters/volumes.yaml"
CEILINGS = "parameters/budget_ceilings.yaml"
ARRANGEMENTS = "parameters/arrangements.yaml"
LUMP_SUMS = "parameters/lump_sums.yaml"
SENSITIVITY = "parameters/sensitivity.yaml"


def read_yaml(root: Path, rel: str, problems: Problems, reader: Reader | None = None) -> Any:
    """Parse one file; a problem (and None) when it is missing, outside the folder, too large, malformed or empty.

    ``reader``: the loader's reader of the whole folder, which then records (and the cache hashes) the file.
    """
    own = Reader(root, problems)
    data = own.yaml(root / rel)
    if reader is not None:
        reader.files.extend(own.files)
        reader.hashes.update(own.hashes)
    if data is not None and not isinstance(data, dict):
        problems.add(rel, "", f"bovenaan het bestand hoort een mapping (sleutel: waarde), gevonden: {kind_of(data)}")
        return None
    return data


def read_model(root: Path, rel: str, model: type, problems: Problems,
               reader: Reader | None = None) -> tuple[Any, Any]:
    """(validated model or None, raw data) of one file."""
    from pydantic import ValidationError

    raw = read_yaml(root, rel, problems, reader)
    if raw is None:
        return None, None
    try:
        return model.model_validate(raw), raw
    except ValidationError as exc:
        add_validation_errors(problems, rel, exc, raw)
        return None, raw


def _line(raw: Any, *loc: Any) -> int | None:
    from tariefmodel.data.yamlio import line_of

    return line_of(raw, tuple(loc))


# --------------------------------------------------------------------------- municipalities


def load_municipalities(region: Region, reader: Reader | None = None) -> Any:
    from tariefmodel.data.scenario_schema import MunicipalitiesFile

    problems = Problems()
    mf, raw = read_model(region.root, MUNICIPALITIES, MunicipalitiesFile, problems, reader)
    if mf is not None:
        seen: set[str] = set()
        for i, m in enumerate(mf.municipalities):
            if m.key in seen:
                problems.add(MUNICIPALITIES, f"municipalities.{i}.key", f"gemeente {m.key!r} staat er twee keer in",
                             line=_line(raw, "municipalities", i))
            seen.add(m.key)
            years = [p.year for p in m.population]
            if len(set(years)) != len(years):
                problems.add(MUNICIPALITIES, f"municipalities.{i}.population", "een jaar staat er twee keer in",
                             line=_line(raw, "municipalities", i, "population"))
    problems.raise_if_errors()
    return mf


# --------------------------------------------------------------------------- volumes


def load_volumes(region: Region, municipalities: Any, reader: Reader | None = None) -> Any:
    """parameters/volumes.yaml, checked against the products, providers and municipalities."""
    from tariefmodel.data.scenario_schema import VolumesFile

    problems = Problems()
    vf, raw = read_model(region.root, VOLUMES, VolumesFile, problems, reader)
    if vf is not None:
        codes = {bp.product.code: bp for bp in (*region.products, *region.external)}
        munis = {m.key for m in municipalities.municipalities}
        caos = set(region.caos)
        if vf.default_variant not in caos | {"basistarief"}:
            problems.add(VOLUMES, "default_variant", f"variant {vf.default_variant!r} bestaat niet: een CAO-sleutel of "
                                                     "basistarief",
                         line=_line(raw, "default_variant"))
        seen: set[tuple] = set()
        for i, line in enumerate(vf.volumes):
            where = f"volumes.{i} ({line.product})"
            at = _line(raw, "volumes", i)
            bp = codes.get(line.product)
            if bp is None:
                problems.add(VOLUMES, f"{where}.product", f"product {line.product!r} bestaat niet", line=at)
                continue
            key = (line.product, line.provider, line.variant)
            if key in seen:
                problems.add(VOLUMES, where, "hetzelfde product, dezelfde aanbieder en variant staan er twee keer in: tel de "
                                             "eenheden op", line=at)
            seen.add(key)
            if line.provider is not None:
                prov = region.providers.get(line.provider)
                if prov is None:
                    problems.add(VOLUMES, f"{where}.provider", f"aanbieder {line.provider!r} bestaat niet", line=at)
                elif bp.contract not in prov.contracts:
                    problems.add(VOLUMES, f"{where}.provider", f"aanbieder {line.provider!r} heeft geen contract "
                                 f"{bp.contract!r} voor product {line.product}", line=at)
            variant = line.variant or vf.default_variant
            is_external = bp in region.external
            if line.variant is not None and is_external and variant != "extern":
                problems.add(VOLUMES, f"{where}.variant", "een extern product heeft de variant extern", line=at)
            elif line.variant is not None and not is_external and variant not in [*bp.product.caos, "basistarief"]:
                problems.add(VOLUMES, f"{where}.variant", f"product {line.product} heeft geen variant {variant!r} "
                             f"(CAO's: {', '.join(bp.product.caos)}, of basistarief)", line=at)
            for year, per_muni in line.units.items():
                for m in per_muni:
                    if m not in munis:
                        problems.add(VOLUMES, f"{where}.units.{year}.{m}", f"gemeente {m!r} bestaat niet "
                                     f"(zie {MUNICIPALITIES})", line=_line(raw, "volumes", i, "units", year, m))
    problems.raise_if_errors()
    return vf


# --------------------------------------------------------------------------- budget ceilings


def load_ceilings(region: Region, reader: Reader | None = None) -> Any:
    """parameters/budget_ceilings.yaml: the rules [001:575-590] and the ceilings per provider and year."""
    from tariefmodel.data.scenario_schema import CeilingsFile

    problems = Problems()
    cf, raw = read_model(region.root, CEILINGS, CeilingsFile, problems, reader)
    if cf is not None:
        allowed = list(cf.rules.contracts.value)
        for c in allowed:
            if c not in region.contracts:
                problems.add(CEILINGS, "rules.contracts", f"contract {c!r} bestaat niet", line=_line(raw, "rules", "contracts"))
        seen: set[tuple[str, int]] = set()
        for i, c in enumerate(cf.ceilings):
            where = f"ceilings.{i} ({c.provider} {c.year})"
            at = _line(raw, "ceilings", i)
            if (c.provider, c.year) in seen:
                problems.add(CEILINGS, where, f"een tweede plafond voor {c.provider} in {c.year}", line=at)
            seen.add((c.provider, c.year))
            prov = region.providers.get(c.provider)
            if prov is None:
                problems.add(CEILINGS, f"{where}.provider", f"aanbieder {c.provider!r} bestaat niet", line=at)
                continue
            eligible = [k for k in prov.contracts if k in allowed]
            if not eligible:
                problems.add(CEILINGS, f"{where}.provider", f"aanbieder {c.provider!r} heeft geen van de contracten "
                             f"waarin een plafond kan gelden ({', '.join(allowed)}) [001:577]", line=at)
            for k in c.contracts or []:
                if k not in allowed:
                    problems.add(CEILINGS, f"{where}.contracts", f"{k!r} is geen contract waarin een plafond kan "
                                 f"gelden ({', '.join(allowed)}) [001:577]", line=at)
                elif k not in prov.contracts:
                    problems.add(CEILINGS, f"{where}.contracts", f"aanbieder {c.provider!r} heeft geen contract {k!r}",
                                 line=at)
    problems.raise_if_errors()
    return cf


# --------------------------------------------------------------------------- arrangements


def load_arrangements(region: Region, reader: Reader | None = None) -> Any:
    from tariefmodel.data.scenario_schema import ArrangementsFile

    problems = Problems()
    af, raw = read_model(region.root, ARRANGEMENTS, ArrangementsFile, problems, reader)
    if af is not None:
        cm = region.cost_model
        for g, group in enumerate(af.groups):
            gwhere = f"groups.{g} ({group.key})"
            at = _line(raw, "groups", g)
            cao = region.caos.get(group.cao)
            if cao is None:
                problems.add(ARRANGEMENTS, f"{gwhere}.cao", f"CAO {group.cao!r} bestaat niet", line=at)
            if group.productivity_norm not in cm.productivity_norms:
                problems.add(ARRANGEMENTS, f"{gwhere}.productivity_norm",
                             f"productiviteitsnorm {group.productivity_norm!r} bestaat niet", line=at)
            for cc in group.client_costs:
                if cc not in cm.client_costs:
                    problems.add(ARRANGEMENTS, f"{gwhere}.client_costs", f"cliëntgebonden kosten {cc!r} bestaan niet", line=at)
                elif cm.client_costs[cc].kind not in ("staff_time_uplift", "per_staff_hour"):
                    problems.add(ARRANGEMENTS, f"{gwhere}.client_costs", f"cliëntgebonden kosten {cc!r} zijn van soort "
                                 f"{cm.client_costs[cc].kind}: een arrangement neemt alleen kosten per personeelsuur", line=at)
            intensities = [i.key for i in group.intensities]
            for p, prof in enumerate(group.profiles):
                pwhere = f"{gwhere}.profiles.{p} ({prof.key})"
                pat = _line(raw, "groups", g, "profiles", p)
                for f in prof.staffing:
                    if f not in region.profiles:
                        problems.add(ARRANGEMENTS, f"{pwhere}.staffing", f"functieprofiel {f!r} bestaat niet", line=pat)
                    elif cao is not None and f not in cao.function_map.profiles:
                        problems.add(ARRANGEMENTS, f"{pwhere}.staffing", f"CAO {group.cao!r} koppelt geen schaal aan "
                                     f"{f!r}", line=pat)
                missing = [i for i in intensities if i not in prof.hours]
                unknown = [i for i in prof.hours if i not in intensities]
                if missing:
                    problems.add(ARRANGEMENTS, f"{pwhere}.hours", f"geen uren voor intensiteit {', '.join(missing)}: "
                                 "elk profiel heeft elke intensiteit nodig", line=pat)
                if unknown:
                    problems.add(ARRANGEMENTS, f"{pwhere}.hours", f"intensiteit {', '.join(unknown)} bestaat niet", line=pat)
    problems.raise_if_errors()
    return af


# --------------------------------------------------------------------------- lump sums


def load_lump_sums(region: Region, municipalities: Any, reader: Reader | None = None) -> Any:
    from tariefmodel.data.scenario_schema import LumpSumsFile

    problems = Problems()
    lf, raw = read_model(region.root, LUMP_SUMS, LumpSumsFile, problems, reader)
    if lf is not None:
        cm = region.cost_model
        munis = {m.key for m in municipalities.municipalities}
        for k, key in lf.allocation_keys.items():
            for m in key.shares or {}:
                if m not in munis:
                    problems.add(LUMP_SUMS, f"allocation_keys.{k}.shares", f"gemeente {m!r} bestaat niet",
                                 line=_line(raw, "allocation_keys", k))
        seen: set[str] = set()
        for i, ls in enumerate(lf.lump_sums):
            where = f"lump_sums.{i} ({ls.key})"
            at = _line(raw, "lump_sums", i)
            if ls.key in seen:
                problems.add(LUMP_SUMS, where, f"lumpsum {ls.key!r} staat er twee keer in", line=at)
            seen.add(ls.key)
            if ls.contract not in region.contracts:
                problems.add(LUMP_SUMS, f"{where}.contract", f"contract {ls.contract!r} bestaat niet", line=at)
            if ls.allocation_key not in lf.allocation_keys:
                problems.add(LUMP_SUMS, f"{where}.allocation_key", f"verdeelsleutel {ls.allocation_key!r} bestaat niet "
                             f"(sleutels: {', '.join(lf.allocation_keys)})", line=at)
            for m in ls.area or []:
                if m not in munis:
                    problems.add(LUMP_SUMS, f"{where}.area", f"gemeente {m!r} bestaat niet", line=at)
            for p in ls.recipients:
                if p not in region.providers:
                    problems.add(LUMP_SUMS, f"{where}.recipients", f"aanbieder {p!r} bestaat niet", line=at)
                elif ls.contract in region.contracts and ls.contract not in region.providers[p].contracts:
                    problems.add(LUMP_SUMS, f"{where}.recipients", f"aanbieder {p!r} heeft geen contract {ls.contract!r}",
                                 line=at)
            if ls.kind == "fixed":
                continue
            cao = region.caos.get(ls.cao or "")
            if cao is None:
                problems.add(LUMP_SUMS, f"{where}.cao", f"CAO {ls.cao!r} bestaat niet", line=at)
            for f in ls.staffing or {}:
                if f not in region.profiles:
                    problems.add(LUMP_SUMS, f"{where}.staffing", f"functieprofiel {f!r} bestaat niet", line=at)
                elif cao is not None and f not in cao.function_map.profiles:
                    problems.add(LUMP_SUMS, f"{where}.staffing", f"CAO {ls.cao!r} koppelt geen schaal aan {f!r}", line=at)
            if ls.productivity_norm not in cm.productivity_norms:
                problems.add(LUMP_SUMS, f"{where}.productivity_norm",
                             f"productiviteitsnorm {ls.productivity_norm!r} bestaat niet", line=at)
            for cc in ls.client_costs:
                if cc not in cm.client_costs:
                    problems.add(LUMP_SUMS, f"{where}.client_costs", f"cliëntgebonden kosten {cc!r} bestaan niet", line=at)
                elif cm.client_costs[cc].kind not in ("staff_time_uplift", "per_staff_hour"):
                    problems.add(LUMP_SUMS, f"{where}.client_costs", f"{cc!r} is van soort {cm.client_costs[cc].kind}: een "
                                 "lumpsum neemt hier kosten per personeelsuur; huisvesting hoort in accommodation", line=at)
            if ls.accommodation is not None:
                cc = cm.client_costs.get(ls.accommodation)
                if cc is None or cc.kind != "per_place_year":
                    problems.add(LUMP_SUMS, f"{where}.accommodation", f"{ls.accommodation!r} zijn geen cliëntgebonden kosten "
                                 "van soort per_place_year", line=at)
                if ls.kind != "availability":
                    problems.add(LUMP_SUMS, f"{where}.accommodation", "accommodation belongs to availability funding",
                                 line=at)
    problems.raise_if_errors()
    return lf


# --------------------------------------------------------------------------- sensitivity


def load_sensitivity(region: Region, reader: Reader | None = None,
                     check_paths: Callable[[Problems, str, Any, int | None], None] | None = None) -> Any:
    """parameters/sensitivity.yaml; ``check_paths(problems, where, parameter, line)`` adds the scenarios
    layer's check of each parameter's paths (see :func:`tariefmodel.scenarios.inputs.load_sensitivity`)."""
    from tariefmodel.data.scenario_schema import SensitivityFile

    problems = Problems()
    sf, raw = read_model(region.root, SENSITIVITY, SensitivityFile, problems, reader)
    if sf is not None:
        keys: set[str] = set()
        for i, p in enumerate(sf.parameters):
            where = f"parameters.{i} ({p.key})"
            at = _line(raw, "parameters", i)
            if p.key in keys:
                problems.add(SENSITIVITY, where, f"sleutel {p.key!r} staat er twee keer in", line=at)
            keys.add(p.key)
            if check_paths is not None:
                check_paths(problems, where, p, at)
    problems.raise_if_errors()
    return sf


def scenario_files(root: Path) -> list[Path]:
    folder = root / SCENARIO_DIR
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def scenario_overrides(rel: str, doc: Any, raw: Any, problems: Problems) -> list[tuple[str, str, Any, int | None]]:
    """The overrides of a scenario file, each checked against its kind's format: (kind, where, spec, line).

    The one reading of an override's format; an override that fails is reported on ``problems`` and left out.
    """
    from pydantic import ValidationError

    from tariefmodel.data.scenario_schema import OVERRIDE_KINDS

    kinds = list(OVERRIDE_KINDS)
    out: list[tuple[str, str, Any, int | None]] = []
    for i, item in enumerate(doc.overrides):
        where, line = f"overrides.{i}", _line(raw, "overrides", i)
        present = [k for k in kinds if k in item]
        if len(present) != 1:
            what = "geen" if not present else " en ".join(present)
            problems.add(rel, where, f"een override heeft precies één van {', '.join(kinds)} (gevonden: {what})",
                         line=line)
            continue
        try:
            spec = OVERRIDE_KINDS[present[0]].model_validate(item)
        except ValidationError as exc:
            add_validation_errors(problems, rel, exc, raw, ("overrides", i))
            continue
        out.append((present[0], where, spec, line))
    return out


def load_scenario_file(region: Region, path: Path, reader: Reader | None = None) -> Any:
    """One scenarios/*.yaml on its own: its format and the format of each override (not yet applied).

    Applying it to the region (does each override fit?) is the scenarios layer's job
    (:func:`tariefmodel.scenarios.overrides.load_scenario`).
    """
    from tariefmodel.data.scenario_schema import ScenarioFile

    problems = Problems()
    rel = f"{SCENARIO_DIR}/{path.name}"
    doc, raw = read_model(region.root, rel, ScenarioFile, problems, reader)
    if doc is not None:
        scenario_overrides(rel, doc, raw, problems)
    problems.raise_if_errors()
    return doc


__all__ = [
    "InputError",
    "load_arrangements",
    "load_ceilings",
    "load_lump_sums",
    "load_municipalities",
    "load_scenario_file",
    "load_sensitivity",
    "load_volumes",
    "read_model",
    "read_yaml",
    "scenario_files",
    "scenario_overrides",
]
