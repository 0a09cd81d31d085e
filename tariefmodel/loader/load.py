"""Load and validate a region's data folder into one immutable ``Region``.

Data flows one way: this module reads files and checks them; it computes no
tariff. Every problem is collected with its file, key and line, and loading
fails only after the whole folder has been read, so one run lists them all.

Layout of a data folder::

    parameters/region.yaml            the region and its default tariff year
    parameters/contracts.yaml         the contracts (percelen)
    parameters/function_profiles.yaml function profiles (HBO-begeleider, ...)
    parameters/cost_model.yaml        dated model parameters with provenance
    parameters/products/*.yaml        the product book, one file per contract
    cao_tables/<cao>/cao.yaml         hours and allowance rules of one CAO
    cao_tables/<cao>/tables.yaml      its salary tables (CSV) by effective date
    cao_tables/<cao>/function_map.yaml  scale and step per function profile
    benchmarks/*.yaml                 benchmark figures behind the choices
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tariefmodel.data.cao import Cao, SalaryTable
from tariefmodel.data.numbers import date
from tariefmodel.data.problems import InputError, Problem, Problems
from tariefmodel.data.region import BookProduct, ProductVersion, Region, periods_overlap
from tariefmodel.data.steps import step_weights
from tariefmodel.loader.reader import Reader, csv_lines
from tariefmodel.loader.salary_checks import check_salary_tables
from tariefmodel.loader.wml_floor import apply_wml_floor

if TYPE_CHECKING:  # validation only: a cached region is loaded without pydantic

    from tariefmodel.data.schema import Benchmark, Contract, FunctionProfile

_AMOUNT = re.compile(r"^[0-9]+(\.[0-9]+)?$")  # 3305.00: digits and a decimal point, nothing else
_NUMBER = re.compile(r"^[0-9]+$")


def _read_csv_table(reader: Reader, path: Path, kind: str) -> tuple[str, dict, dict] | None:
    """(source line, cells, line of each cell) of one salary table; None when it cannot be read at all."""
    rel = reader.rel(path)
    raw = reader.open(path)
    if raw is None:
        return None
    lines = csv_lines(raw, rel, reader.problems)
    if lines is None:
        return None
    source = ""
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        source += lines[start].lstrip("# ").strip() + " "
        start += 1
    expected = {
        "series": ["number", "monthly_eur"],
        "scales": ["scale", "step", "monthly_eur"],
        "scale_map": ["scale", "step", "number"],
    }[kind]
    rows = list(csv.reader(lines[start:]))
    if not rows or [h.strip() for h in rows[0]] != expected:
        reader.problems.add(rel, "kopregel", f"de kolommen horen te zijn: {','.join(expected)}", line=start + 1)
        return None
    from tariefmodel.data.schema import is_placeholder

    if not source.strip():
        reader.problems.add(rel, "", "een salaristabel begint met een regel '# source: ...' (de bron)")
    elif is_placeholder(source.split(":", 1)[1] if source.lower().startswith("source:") else source):
        reader.problems.add(rel, "", f"de bronregel is een plaatshouder ({source.strip()!r}): noem de publicatie")
    cells: dict = {}
    at: dict = {}
    for i, row in enumerate(rows[1:], start=start + 2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != len(expected):
            reader.problems.add(rel, f"rij {i}", f"{len(row)} kolommen in plaats van {len(expected)}"
                                f" (rij {','.join(row)!r} is afgebroken of heeft een komma te veel)", line=i)
            continue
        row = [c.strip() for c in row]
        number_cols = {"series": (0, 1), "scales": (2,), "scale_map": (2,)}[kind]
        wrong = [row[c] for c in number_cols
                 if not (_AMOUNT if expected[c] == "monthly_eur" else _NUMBER).match(row[c])]
        if wrong:
            what = ", ".join(repr(w) for w in wrong)
            reader.problems.add(rel, f"rij {i}", f"geen getal in {row!r}: {what} is geen bedrag of nummer "
                                "(schrijf 3305.00: cijfers en een decimale punt, geen NaN, oneindig, exponent, "
                                "minteken of duizendtalscheiding)", line=i)
            continue
        key: Any
        if kind == "series":
            key, val = int(row[0]), Decimal(row[1])
        elif kind == "scales":
            key, val = (row[0], row[1]), Decimal(row[2])
        else:
            key, val = (row[0], row[1]), int(row[2])
        if key in cells:
            reader.problems.add(rel, f"rij {i}", f"{key!r} staat er twee keer in", line=i)
            continue
        cells[key] = val
        at[key] = i
    return source.strip(), cells, at


def _load_cao(reader: Reader, cao_dir: Path, minimum_wage: Any) -> Cao | None:
    from tariefmodel.data.schema import CaoFile, FunctionMapFile, TablesFile
    from tariefmodel.data.yamlio import line_of

    meta, _ = reader.model(cao_dir / "cao.yaml", CaoFile)
    tables_file, _ = reader.model(cao_dir / "tables.yaml", TablesFile)
    fmap, fmap_raw = reader.model(cao_dir / "function_map.yaml", FunctionMapFile)
    if meta is None or tables_file is None or fmap is None:
        return None
    if meta.key != cao_dir.name:
        reader.problems.add(reader.rel(cao_dir / "cao.yaml"), "key",
                            f"sleutel {meta.key!r} verschilt van de mapnaam {cao_dir.name!r}")
    tables = []
    cell_lines: dict[str, dict] = {}
    seen: set[tuple[str, str]] = set()
    for i, entry in enumerate(tables_file.tables):
        if (entry.kind, entry.file) in seen:
            reader.problems.add(reader.rel(cao_dir / "tables.yaml"), f"tables.{i}", f"{entry.file} staat er twee keer in")
            continue
        seen.add((entry.kind, entry.file))
        loaded = _read_csv_table(reader, cao_dir / entry.file, entry.kind)
        if loaded is None:
            continue
        source, cells, at = loaded
        cell_lines[reader.rel(cao_dir / entry.file)] = at
        if entry.derived and "DERIVED" not in source:
            reader.problems.add(reader.rel(cao_dir / entry.file), "",
                                "een afgeleide tabel vermeldt DERIVED in de bronregel")
        tables.append(SalaryTable(entry.kind, entry.effective, reader.rel(cao_dir / entry.file),
                                  entry.derived, source, cells))
    cao = Cao(meta, tuple(tables), fmap, reader.rel(cao_dir))
    # Without a valid minimum_wage.yaml (its own error) the WML floor is skipped; the other checks still run.
    check_salary_tables(cao, cell_lines, minimum_wage, reader.problems,
                        {reader.rel(cao_dir / e.file): e.cells_dropped for e in tables_file.tables if e.cells_dropped})
    # The law prevails over the CAO: cells below a later WML are lifted to it (derived tables, a warning each).
    cao = apply_wml_floor(cao, cell_lines, minimum_wage, reader.problems)
    # Every mapped scale and step must exist in some table of this CAO.
    fm_rel = reader.rel(cao_dir / "function_map.yaml")
    scales = cao.known_scales()
    for prof, param in fmap.profiles.items():
        for j, dated in enumerate(param.values):
            spec = dated.value
            where = f"profiles.{prof}.values.{j}"
            line = line_of(fmap_raw, ("profiles", prof, "values", j))
            if spec.scale not in scales:
                reader.problems.add(fm_rel, where, f"schaal {spec.scale!r} bestaat niet in CAO {meta.key}", line=line)
                continue
            steps = cao.known_steps(spec.scale)
            for step in step_weights(spec):
                if step not in steps:
                    reader.problems.add(fm_rel, where, f"trede {step!r} bestaat niet in schaal {spec.scale!r}", line=line)
    return cao


def load_region(root: Path | str, *, use_cache: bool = True) -> Region:
    """Read and validate a data folder; raise InputError listing every problem.

    With ``use_cache``, input bytes that this engine validated before are loaded
    from the validated-input cache (inputcache.py) instead of validated again.
    """
    import dataclasses

    from tariefmodel.loader import cache as inputcache

    root = Path(root)
    key = inputcache.fingerprint(root) if root.is_dir() and inputcache.enabled() else None
    if use_cache and key is not None:
        cached = inputcache.read(key, root)
        if cached is not None:
            return dataclasses.replace(cached, root=root)
    region, hashes = _validate_region(root)
    if key is not None:
        inputcache.write(key, region, hashes)
    return region


def check_folder(root: Path | str) -> list[Problem]:
    """Every problem of the data folder ``root``, region and scenario/budget files alike, read afresh (no cache).

    Returns errors and warnings; no error means the folder is valid. ``tariefmodel validate`` calls this.
    """
    try:
        region = load_region(root, use_cache=False)
    except InputError as exc:
        return list(exc.problems)
    return list(region.warnings)


def _validate_region(root: Path) -> tuple[Region, dict[str, str]]:
    import dataclasses

    from tariefmodel.data.records import to_record
    from tariefmodel.data.schema import (
        BenchmarksFile,
        ContractsFile,
        CostModelFile,
        FunctionProfilesFile,
        MinimumWageFile,
        ProductsFile,
        RegionFile,
    )
    from tariefmodel.data.yamlio import line_of

    problems = Problems()
    reader = Reader(root, problems)
    if not root.is_dir():
        problems.add(str(root), "", "de gegevensmap bestaat niet")
        raise InputError(problems.items)
    params = root / "parameters"

    info, _ = reader.model(params / "region.yaml", RegionFile)
    contracts_file, contracts_raw = reader.model(params / "contracts.yaml", ContractsFile)
    profiles_file, profiles_raw = reader.model(params / "function_profiles.yaml", FunctionProfilesFile)
    cost_model, cost_raw = reader.model(params / "cost_model.yaml", CostModelFile)
    minimum_wage, _ = reader.model(params / "minimum_wage.yaml", MinimumWageFile)

    contracts: dict[str, Contract] = {}
    if contracts_file:
        for i, c in enumerate(contracts_file.contracts):
            if c.key in contracts:
                problems.add("parameters/contracts.yaml", f"contracts.{i}.key", f"contract {c.key!r} staat er twee keer in",
                             line=line_of(contracts_raw, ("contracts", i)))
            contracts[c.key] = c
    profiles: dict[str, FunctionProfile] = {}
    if profiles_file:
        for i, p in enumerate(profiles_file.profiles):
            if p.key in profiles:
                problems.add("parameters/function_profiles.yaml", f"profiles.{i}.key",
                             f"functieprofiel {p.key!r} staat er twee keer in", line=line_of(profiles_raw, ("profiles", i)))
            profiles[p.key] = p

    # CAOs
    caos: dict[str, Cao] = {}
    cao_root = root / "cao_tables"
    if not cao_root.is_dir():
        problems.add("cao_tables", "", "map ontbreekt")
    else:
        for d in sorted(p for p in cao_root.iterdir() if p.is_dir()):
            cao = _load_cao(reader, d, minimum_wage)
            if cao is not None:
                caos[cao.key] = cao
                for prof in cao.function_map.profiles:
                    if profiles and prof not in profiles:
                        problems.add(reader.rel(d / "function_map.yaml"), f"profiles.{prof}",
                                     f"functieprofiel {prof!r} bestaat niet (in parameters/function_profiles.yaml)")

    # Products
    products: list[BookProduct] = []
    prod_dir = params / "products"
    prod_files = sorted(prod_dir.glob("*.yaml")) if prod_dir.is_dir() else []
    if not prod_files:
        problems.add("parameters/products", "", "geen productbestanden (*.yaml) gevonden")
    seen_codes: dict[str, str] = {}
    for pf in prod_files:
        book, raw = reader.model(pf, ProductsFile)
        if book is None:
            continue
        rel = reader.rel(pf)
        if contracts and book.contract not in contracts:
            problems.add(rel, "contract", f"contract {book.contract!r} bestaat niet (in "
                                          "parameters/contracts.yaml)", line=line_of(raw, ("contract",)))
        contract_allows = contracts[book.contract].provider_specific_allowed if book.contract in contracts else True
        for i, prod in enumerate(book.products):
            line = line_of(raw, ("products", i))
            where = f"products.{i} ({prod.code})"
            if prod.code in seen_codes:
                problems.add(rel, where, f"productcode {prod.code!r} staat er twee keer in (ook in {seen_codes[prod.code]})",
                             line=line)
            seen_codes.setdefault(prod.code, rel)
            if prod.provider_specific_allowed and not contract_allows:
                problems.add(rel, f"{where}.provider_specific_allowed",
                             f"contract {book.contract!r} staat geen aanbiederspecifieke tarieven toe "
                             f"(provider_specific_allowed is false in parameters/contracts.yaml)", line=line)
            for prof in prod.staffing:
                if profiles and prof not in profiles:
                    problems.add(rel, f"{where}.staffing", f"functieprofiel {prof!r} bestaat niet (in "
                                                           "parameters/function_profiles.yaml)", line=line)
            if cost_model is not None:
                if prod.productivity_norm not in cost_model.productivity_norms:
                    problems.add(rel, f"{where}.productivity_norm",
                                 f"productiviteitsnorm {prod.productivity_norm!r} bestaat niet (in "
                                 "parameters/cost_model.yaml)", line=line)
                for cc in prod.client_costs:
                    if cc not in cost_model.client_costs:
                        problems.add(rel, f"{where}.client_costs", f"cliëntgebonden kosten {cc!r} bestaan niet (in "
                                                                   "parameters/cost_model.yaml)", line=line)
            for cao_key in prod.caos:
                cao = caos.get(cao_key)
                if cao is None:
                    if cao_root.is_dir() and not (cao_root / cao_key).is_dir():
                        problems.add(rel, f"{where}.caos", f"CAO {cao_key!r} bestaat niet (geen map in cao_tables/)", line=line)
                    continue
                for prof in prod.staffing:
                    if prof not in cao.function_map.profiles:
                        problems.add(rel, f"{where}.caos",
                                     f"CAO {cao_key!r} koppelt geen schaal aan functieprofiel {prof!r} "
                                     f"(voeg het toe aan {cao.dir}/function_map.yaml)", line=line)
            products.append(BookProduct(prod, book.contract, rel, line))

    codes_in_book = {bp.product.code for bp in products}
    for bp in products:
        twin = bp.product.lighter_twin
        if twin is not None and twin not in codes_in_book:
            problems.add(bp.file, f"{bp.product.code}.lighter_twin", f"product {twin!r} bestaat niet", line=bp.line)

    # Benchmarks
    benchmarks: list[Benchmark] = []
    bench_dir = root / "benchmarks"
    for bf in sorted(bench_dir.glob("*.yaml")) if bench_dir.is_dir() else []:
        bfile, _ = reader.model(bf, BenchmarksFile)
        if bfile:
            benchmarks.extend(bfile.benchmarks)

    if cost_model is not None:
        from tariefmodel.data.params import param_index

        known = param_index(cost_model)
        for b in benchmarks:
            for path in b.informs:
                norm = path.removeprefix("productivity_norms.")
                if path not in known and norm not in cost_model.productivity_norms:
                    problems.add("benchmarks", f"{b.key}.informs", f"{path!r} is geen parameter in "
                                 f"parameters/cost_model.yaml (de benchmark zou nooit worden getoetst)")

    diff, providers, addenda, external = _load_differentiation(
        reader, root, problems, contracts, caos, {bp.product.code: bp for bp in products})

    # The ZIN tariff list (optional): its rows become the decided amounts of their products, before the
    # re-issues copy the products into versions.
    from tariefmodel.loader.zin_list import read_zin_list, with_zin_list

    products = with_zin_list(products, read_zin_list(reader, root, {bp.product.code: bp for bp in products},
                                                     {bp.product.code for bp in external}, problems))
    indexation = _load_indexation(reader, root, problems, contracts, {bp.product.code for bp in products})
    amvb = None
    if (root / "parameters" / "amvb_factors.yaml").exists():  # optional: the audit's AMvB check
        from tariefmodel.data.schema import AmvbFactorsFile

        amvb, _ = reader.model(root / "parameters" / "amvb_factors.yaml", AmvbFactorsFile)
    versions = _load_reissues(reader, root, problems, {bp.product.code: bp for bp in products}, caos,
                              cost_model, profiles)

    if cost_model is not None and cost_model.employer_charges is not None:
        ec = cost_model.employer_charges
        modes = {v.value for v in ec.mode.values}
        if "total" in modes and ec.total_rate is None:
            problems.add("parameters/cost_model.yaml", "employer_charges.total_rate",
                         "modus total heeft total_rate nodig", line=line_of(cost_raw, ("employer_charges",)))
        if "itemised" in modes and not ec.items:
            problems.add("parameters/cost_model.yaml", "employer_charges.items",
                         "modus itemised heeft items nodig", line=line_of(cost_raw, ("employer_charges",)))

    problems.items[:0] = reader.todo
    if problems.errors:
        from tariefmodel.loader.folder import check_formats

        check_formats(root, reader, problems)  # all problems at once: the scenario and budget files too
    problems.raise_if_errors()
    assert info and cost_model  # guaranteed by raise_if_errors
    # From here on the engine works on plain records, whether validated now or cached.
    region = Region(
        root=root,
        info=to_record(info),
        contracts=to_record(contracts),
        profiles=to_record(profiles),
        cost_model=to_record(cost_model),
        products=tuple(dataclasses.replace(bp, product=to_record(bp.product)) for bp in products),
        caos={k: Cao(to_record(c.meta), c.tables, to_record(c.function_map), c.dir) for k, c in caos.items()},
        benchmarks=tuple(to_record(b) for b in benchmarks),
        files=tuple(sorted(set(reader.files))),
        warnings=tuple(problems.warnings),
        differentiation=to_record(diff),
        providers={k: to_record(v) for k, v in providers.items()},
        addenda=tuple(to_record(a) for a in addenda),
        external=tuple(dataclasses.replace(bp, product=to_record(bp.product)) for bp in external),
        indexation=to_record(indexation),
        amvb_factors=to_record(amvb),
        versions={code: tuple(dataclasses.replace(v, product=dataclasses.replace(
            v.product, product=to_record(v.product.product))) for v in vs) for code, vs in versions.items()},
    )
    # The scenario and budget files are part of the folder: a broken one refuses every command.
    from tariefmodel.loader.folder import run_folder_checks

    run_folder_checks(region, reader, problems)
    problems.raise_if_errors()
    region = dataclasses.replace(region, files=tuple(sorted(set(reader.files))), warnings=tuple(problems.warnings))
    return region, dict(reader.hashes)


def _load_differentiation(reader: Reader, root: Path, problems: Problems, contracts: dict[str, Any],
                          caos: dict[str, Cao], products: dict[str, BookProduct]) -> tuple[Any, dict, list, list]:
    """The optional variant files: differentiation rules, providers, addenda, external tariffs."""
    from tariefmodel.data.schema import NO_CAO, AddendaFile, DifferentiationFile, ExternalFile, ProvidersFile
    from tariefmodel.data.yamlio import line_of

    params = root / "parameters"
    diff = providers_file = addenda_file = external_file = None
    diff_raw = prov_raw = add_raw = ext_raw = None
    if (params / "differentiation.yaml").exists():
        diff, diff_raw = reader.model(params / "differentiation.yaml", DifferentiationFile)
    if (params / "providers.yaml").exists():
        providers_file, prov_raw = reader.model(params / "providers.yaml", ProvidersFile)
    if (params / "addenda.yaml").exists():
        addenda_file, add_raw = reader.model(params / "addenda.yaml", AddendaFile)
    if (params / "external_tariffs.yaml").exists():
        external_file, ext_raw = reader.model(params / "external_tariffs.yaml", ExternalFile)

    # Providers: a declared CAO must be one the region models, one it knows it does not, or 'geen'.
    pf = "parameters/providers.yaml"
    providers: dict[str, Any] = {}
    unmodelled = diff.unmodelled_caos if diff is not None else {}
    if providers_file is not None:
        if diff is None and not (params / "differentiation.yaml").exists():
            problems.add(pf, "", "aanbieders hebben de regels voor micro-ondernemingen in parameters/differentiation.yaml nodig")
        for i, prov in enumerate(providers_file.providers):
            where = f"providers.{i} ({prov.key})"
            line = line_of(prov_raw, ("providers", i))
            if prov.key in providers:
                problems.add(pf, where, f"aanbieder {prov.key!r} staat er twee keer in", line=line)
            providers[prov.key] = prov
            if prov.cao != NO_CAO and prov.cao not in caos and prov.cao not in unmodelled:
                known = ", ".join(sorted([*caos, *unmodelled]))
                problems.add(pf, f"{where}.cao", f"onbekende opgegeven CAO {prov.cao!r}: kies uit {known}, of "
                             f"'{NO_CAO}' voor geen CAO (een CAO die de regio niet modelleert hoort in unmodelled_caos)",
                             line=line)
            for c in prov.contracts:
                if contracts and c not in contracts:
                    problems.add(pf, f"{where}.contracts", f"contract {c!r} bestaat niet (in "
                                                           "parameters/contracts.yaml)", line=line)

    # Addenda: on an eligible product, for a provider with that contract, overriding whitelisted fields only.
    af = "parameters/addenda.yaml"
    addenda = list(addenda_file.addenda) if addenda_file is not None else []
    if addenda and diff is None:
        problems.add(af, "", "addenda hebben de lijst addendum_overridable in parameters/differentiation.yaml nodig")
    allowed: set[str] = set()
    if diff is not None:
        for v in diff.addendum_overridable.values:
            allowed.update(v.value)
    seen_ids: set[str] = set()
    for i, add in enumerate(addenda):
        where = f"addenda.{i} ({add.id})"
        line = line_of(add_raw, ("addenda", i))
        if add.id in seen_ids:
            problems.add(af, where, f"addendum-id {add.id!r} staat er twee keer in", line=line)
        seen_ids.add(add.id)
        prov = providers.get(add.provider)
        if prov is None:
            problems.add(af, f"{where}.provider", f"aanbieder {add.provider!r} bestaat niet (in "
                                                  "parameters/providers.yaml)", line=line)
        bp = products.get(add.product)
        if bp is None:
            problems.add(af, f"{where}.product", f"product {add.product!r} bestaat niet (of is geen berekend product)",
                         line=line)
            continue
        if not bp.product.provider_specific_allowed:
            problems.add(af, f"{where}.product", f"product {add.product} staat geen aanbiederspecifieke tarieven toe "
                         f"(provider_specific_allowed is false in {bp.file})", line=line)
        if prov is not None and bp.contract not in prov.contracts:
            problems.add(af, f"{where}.provider", f"aanbieder {prov.key!r} heeft geen contract {bp.contract!r} "
                         f"voor product {add.product}", line=line)
        for key in add.overrides:
            if diff is not None and key not in allowed:
                problems.add(af, f"{where}.overrides.{key}", f"{key!r} staat niet in addendum_overridable", line=line)
    approved = [(i, a) for i, a in enumerate(addenda) if a.decision.status == "approved"]
    for x, (_, a) in enumerate(approved):
        for j, b in approved[x + 1:]:
            if (a.provider, a.product) != (b.provider, b.product):
                continue
            if periods_overlap(a.valid_from, a.valid_until, b.valid_from, b.valid_until):
                problems.add(af, f"addenda.{j} ({b.id})", f"overlapt met goedgekeurd addendum {a.id} voor "
                             f"{a.provider} / {a.product}", line=line_of(add_raw, ("addenda", j)))

    # External tariffs: their own codes, an existing contract, known providers in the phase-in path.
    ef = "parameters/external_tariffs.yaml"
    external: list[BookProduct] = []
    if external_file is not None:
        for i, ext in enumerate(external_file.products):
            where = f"products.{i} ({ext.code})"
            line = line_of(ext_raw, ("products", i))
            if ext.code in products or any(e.product.code == ext.code for e in external):
                problems.add(ef, where, f"productcode {ext.code!r} staat er twee keer in", line=line)
            if contracts and ext.contract not in contracts:
                problems.add(ef, f"{where}.contract", f"contract {ext.contract!r} bestaat niet (in "
                                                      "parameters/contracts.yaml)", line=line)
            for ph in ext.phase_in:
                if ph.provider not in providers:
                    problems.add(ef, f"{where}.phase_in", f"aanbieder {ph.provider!r} bestaat niet (in "
                                                          "parameters/providers.yaml)", line=line)
                elif ext.contract not in providers[ph.provider].contracts:
                    problems.add(ef, f"{where}.phase_in", f"aanbieder {ph.provider!r} heeft geen contract "
                                 f"{ext.contract!r} voor product {ext.code}", line=line)
            external.append(BookProduct(ext, ext.contract, ef, line))

    if diff is not None and diff.pgb_exempt_products is not None:
        codes = set(products) | {e.product.code for e in external}
        for v in diff.pgb_exempt_products.values:
            for code in v.value:
                if code not in codes:
                    problems.add("parameters/differentiation.yaml", "pgb_exempt_products",
                                 f"product {code!r} bestaat niet", line=line_of(diff_raw, ("pgb_exempt_products",)))
    if diff is not None and diff.pgb_external_products is not None:
        ext_codes = {e.product.code for e in external}
        for v in diff.pgb_external_products.values:
            for code in v.value:
                if code not in ext_codes:
                    why = ("is geen extern tarief (een berekend product krijgt zijn pgb-tarieven al)" if code in products
                           else "bestaat niet in parameters/external_tariffs.yaml")
                    problems.add("parameters/differentiation.yaml", "pgb_external_products", f"product {code!r} {why}",
                                 line=line_of(diff_raw, ("pgb_external_products",)))
    return diff, providers, addenda, external


def _load_reissues(reader: Reader, root: Path, problems: Problems, products: dict[str, BookProduct],
                   caos: dict[str, Cao], cost_model: Any, profiles: dict[str, Any]) -> dict[str, list[ProductVersion]]:
    """parameters/reissues.yaml (optional): product tariffs re-issued from a date."""
    from pydantic import ValidationError

    from tariefmodel.data.pydantic_nl import dutch_message
    from tariefmodel.data.schema import Product, ReissuesFile
    from tariefmodel.data.yamlio import line_of

    path = root / "parameters" / "reissues.yaml"
    if not path.exists():
        return {}
    rf, raw = reader.model(path, ReissuesFile)
    if rf is None:
        return {}
    rel = "parameters/reissues.yaml"
    out: dict[str, list[ProductVersion]] = {}
    ids: set[str] = set()
    for i, r in enumerate(rf.reissues):
        where = f"reissues.{i} ({r.id})"
        line = line_of(raw, ("reissues", i))
        if r.id in ids:
            problems.add(rel, where, f"heruitgifte-id {r.id!r} staat er twee keer in", line=line)
        ids.add(r.id)
        bp = products.get(r.product)
        if bp is None:
            problems.add(rel, f"{where}.product", f"product {r.product!r} bestaat niet", line=line)
            continue
        merged = {**bp.product.model_dump(by_alias=True), **r.changes}
        try:
            changed = Product.model_validate(merged)
        except ValidationError as exc:
            for err in exc.errors():
                msg = dutch_message(err)
                problems.add(rel, f"{where}.changes.{'.'.join(str(x) for x in err['loc'])}", msg, line=line)
            continue
        for prof in changed.staffing:
            if profiles and prof not in profiles:
                problems.add(rel, f"{where}.changes.staffing", f"functieprofiel {prof!r} bestaat niet (in "
                                                               "parameters/function_profiles.yaml)", line=line)
            for cao_key in changed.caos:
                if cao_key in caos and prof not in caos[cao_key].function_map.profiles:
                    problems.add(rel, f"{where}.changes.staffing", f"CAO {cao_key!r} koppelt geen schaal aan functieprofiel "
                                                                   f"{prof!r}",
                                 line=line)
        if cost_model is not None:
            if changed.productivity_norm not in cost_model.productivity_norms:
                problems.add(rel, f"{where}.changes", f"productiviteitsnorm {changed.productivity_norm!r} bestaat niet",
                             line=line)
            for cc in changed.client_costs:
                if cc not in cost_model.client_costs:
                    problems.add(rel, f"{where}.changes", f"cliëntgebonden kosten {cc!r} bestaan niet (in "
                                                          "parameters/cost_model.yaml)", line=line)
        same_day = [v for v in out.get(r.product, []) if v.valid_from == r.valid_from]
        if same_day:
            problems.add(rel, where, f"{r.product} is op {date(r.valid_from)} al opnieuw uitgegeven ({same_day[0].id})",
                         line=line)
        out.setdefault(r.product, []).append(ProductVersion(
            r.id, r.product, r.valid_from, r.reason, r.decided_by, r.decided_on, r.source,
            BookProduct(changed, bp.contract, bp.file, bp.line)))
    return {code: sorted(vs, key=lambda v: v.valid_from) for code, vs in out.items()}


def _load_indexation(reader: Reader, root: Path, problems: Problems, contracts: dict[str, Any],
                     codes: set[str]) -> Any:
    """parameters/indexation.yaml (optional): index publications, methods and their assignments."""
    from tariefmodel.data.schema import IndexationFile
    from tariefmodel.data.yamlio import line_of

    path = root / "parameters" / "indexation.yaml"
    if not path.exists():
        return None
    ix, raw = reader.model(path, IndexationFile)
    if ix is None:
        return None
    rel = "parameters/indexation.yaml"
    for i, a in enumerate(ix.assignments):
        where = f"assignments.{i}"
        line = line_of(raw, ("assignments", i))
        if contracts and a.contract not in contracts:
            problems.add(rel, f"{where}.contract", f"contract {a.contract!r} bestaat niet", line=line)
        if a.method not in ix.methods:
            problems.add(rel, f"{where}.method", f"indexatiemethode {a.method!r} bestaat niet", line=line)
        for code in a.products or []:
            if code not in codes:
                problems.add(rel, f"{where}.products", f"product {code!r} bestaat niet", line=line)
        if a.valid_until is not None and a.valid_until < a.valid_from:
            problems.add(rel, where, f"until {date(a.valid_until)} ligt vóór from {date(a.valid_from)}", line=line)
        for j, b in enumerate(ix.assignments[:i]):
            same_scope = a.contract == b.contract and (a.products is None) == (b.products is None) and (
                a.products is None or set(a.products) & set(b.products or []))
            if same_scope and periods_overlap(a.valid_from, a.valid_until, b.valid_from, b.valid_until):
                problems.add(rel, where, f"overlapt met assignments.{j} voor contract {a.contract!r}", line=line)
    for series, s in ix.series.items():
        seen: set[tuple] = set()
        for k, pub in enumerate(s.publications):
            key = (pub.year, pub.kind, pub.published)
            if key in seen:
                problems.add(rel, f"series.{series}.publications.{k}",
                             f"{series.upper()} {pub.year} {pub.kind} staat twee keer gepubliceerd op {date(pub.published)}",
                             line=line_of(raw, ("series", series, "publications", k)))
            seen.add(key)
    seen_vng: set[tuple] = set()
    for k, pub in enumerate(ix.vng_publications):
        if (pub.index_year, pub.published) in seen_vng:
            problems.add(rel, f"vng_publications.{k}", f"het VNG-advies voor {pub.index_year} staat er twee keer in op "
                         f"{date(pub.published)}", line=line_of(raw, ("vng_publications", k)))
        seen_vng.add((pub.index_year, pub.published))
    # Every VNG publication must be reproduced by the engine from the figures known on its date.
    from tariefmodel.data.params import MissingValue
    from tariefmodel.engine.indexation import vng_rate

    for k, pub in enumerate(ix.vng_publications):
        where = f"vng_publications.{k} ({pub.index_year}, {pub.published})"
        line = line_of(raw, ("vng_publications", k))
        if any(c not in ix.series for c in pub.weights):
            problems.add(rel, where, "weights noemt een reeks die niet in 'series' staat", line=line)
            continue
        try:
            got = vng_rate(ix, "vng", pub.index_year, pub.published).rate
        except MissingValue as exc:
            problems.add(rel, where, exc.problem.message, line=line)
            continue
        if got != pub.provider_rate:
            from tariefmodel.data.numbers import pct

            problems.add(rel, where, f"de gepubliceerde cijfers geven {pct(got)}, niet het gepubliceerde "
                         f"{pct(pub.provider_rate)}: controleer de cijfers, gewichten, correctie en decimalen", line=line)
    return ix
