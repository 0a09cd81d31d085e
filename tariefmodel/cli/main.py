"""The command line: ``tariefmodel calculate | explain | validate | schema``.

Heavy libraries (pydantic, pandas, xlsxwriter, rich) are imported inside the
commands, so ``tariefmodel --help`` starts in a few tens of milliseconds.
Exit codes: 0 success, 2 invalid input (with every problem named), 1 other.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from tariefmodel.data.problems import Problem
    from tariefmodel.data.region import Region

EXIT_INPUT = 2

DATA_OPTION = click.option(
    "--data", "data", type=click.Path(path_type=Path, file_okay=False),
    help="Data folder (parameters/, cao_tables/, benchmarks/). Default: the bundled example region.",
)
YEAR_OPTION = click.option("--year", type=int, help="Tariff year. Default: the region's default year.")


def _fail(problems: list[Problem]) -> NoReturn:
    errors = [p for p in problems if p.severity == "error"]
    for p in problems:
        click.echo(str(p), err=True)
    click.echo(f"{len(errors)} fout(en); er is niets geschreven.", err=True)
    sys.exit(EXIT_INPUT)


def _usage(message: str) -> NoReturn:
    click.echo(f"FOUT: {message}", err=True)
    sys.exit(EXIT_INPUT)


def _esc(*cells: object) -> list[str]:
    """Table cells as literal text: rich would take '[001:483]' or '[key=...]' for markup and drop it."""
    from rich.markup import escape

    return [escape(str(c)) for c in cells]


def _load(data: Path | None, *, use_cache: bool = True) -> Region:
    from tariefmodel.data.bundled import bundled_region
    from tariefmodel.data.problems import InputError
    from tariefmodel.loader.load import load_region

    try:
        return load_region(data if data is not None else bundled_region(), use_cache=use_cache)
    except InputError as exc:
        _fail(exc.problems)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tariefmodel")
def main() -> None:
    """tariefmodel: reële prijzen for Jeugdwet and Wmo from dated, sourced parameters."""


@main.command()
@DATA_OPTION
@YEAR_OPTION
@click.option("--known-on", "known_on", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Index with the figures published on or before this date (YYYY-MM-DD). Default: the latest.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the tariff book to .csv, .json or .xlsx (atomically). Default: a table on the terminal.")
def calculate(data: Path | None, year: int | None, known_on: dt.datetime | None, out: Path | None) -> None:
    """Price the whole product book for a year: one row per product and CAO variant."""
    if out is not None and out.suffix.lower() not in (".csv", ".json", ".xlsx"):
        _usage(f"unknown output format {out.suffix!r} for {out}: use .csv, .json or .xlsx")
    from tariefmodel.data.problems import InputError
    from tariefmodel.engine.book import price_book

    region = _load(data)
    y = year or region.info.default_year
    try:
        book = price_book(region, y, known_on.date() if known_on else None)
    except InputError as exc:
        _fail(exc.problems)
    from tariefmodel.outputs.tariff_rows import rows

    table = rows(book.tariffs)
    if out is None:
        _print_table(table, region, y)
        return
    command = ["calculate", "--year", str(y)] + (["--known-on", known_on.date().isoformat()] if known_on else [])
    _write_table(out, table, f"Tarieven {y}", region, command, meta=_meta(region, y))
    click.echo(f"{len(table)} tarieven ({y}) geschreven naar {out}", err=True)


def _meta(region: Region, year: int) -> dict[str, object]:
    from tariefmodel._version import __version__
    from tariefmodel.data.fileio import sha256_of

    return {
        "engine": "tariefmodel",
        "engine_version": __version__,
        "region": region.info.name,
        "year": year,
        "inputs": {f: sha256_of(region.root / f) for f in region.files},
        "money": "tariff_eur and components are exact decimal strings; tariff_eurocent is an integer",
    }


def _print_table(table: list[dict[str, object]], region: Region, year: int) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"{region.info.name}: tarieven {year}", show_lines=False)
    for col, just in (("code", "left"), ("product", "left"), ("eenheid", "left"), ("variant", "left"),
                      ("tarief", "right")):
        t.add_column(col, justify=just)  # type: ignore[arg-type]
    for r in table:
        tariff = str(r["tariff_eur"]).replace(".", ",")
        t.add_row(*_esc(str(r["product_code"]), str(r["product_name"]), str(r["unit"]), str(r["variant"]), f"€ {tariff}"))
    Console(width=120).print(t)


@main.command()
@click.argument("product_code")
@click.option("--variant", help="A CAO key, 'basistarief', 'pgb-<category>' or 'extern' (default: the first CAO).")
@click.option("--micro", is_flag=True, help="The micro-enterprise tariff of that variant.")
@click.option("--provider", "provider", default="", help="A provider-specific tariff (addendum or phase-in path).")
@DATA_OPTION
@YEAR_OPTION
@click.option("--json", "as_json", is_flag=True, help="The build-up as JSON.")
def explain(product_code: str, variant: str | None, micro: bool, provider: str, data: Path | None,
            year: int | None, as_json: bool) -> None:
    """Show the build-up of one tariff, step by step, with every parameter and its source."""
    from tariefmodel.data.problems import InputError
    from tariefmodel.engine.book import price_book

    region = _load(data)
    y = year or region.info.default_year
    codes = [b.product.code for b in (*region.products, *region.external)]
    if product_code not in codes:
        _usage(f"unknown product code {product_code!r} (known codes include {', '.join(codes[:8])}, ...)")
    try:
        book = price_book(region, y)
    except InputError as exc:
        _fail(exc.problems)
    rows = [t for t in book.tariffs if t.product.product.code == product_code]
    if not rows:
        _usage(f"product {product_code} is not valid in {y}: it has no tariff that year")
    v = variant or rows[0].variant
    chosen = [t for t in rows if t.variant == v and t.micro == micro and t.provider == provider]
    if not chosen:
        options = sorted({f"--variant {t.variant}" + (" --micro" if t.micro else "")
                          + (f" --provider {t.provider}" if t.provider else "") for t in rows})
        _usage(f"product {product_code} has no variant {v!r}" + (" (micro)" if micro else "")
               + (f" for provider {provider!r}" if provider else "") + f" in {y}; choose from: " + "; ".join(options))
    from tariefmodel.trail import explain as ex

    t = chosen[0]
    if as_json:
        from tariefmodel.outputs.writers import json_bytes

        click.echo(json_bytes(ex.to_dict(t)).decode("utf-8"), nl=False)
    else:
        click.echo(ex.to_text(t, {k: c.meta.name for k, c in region.caos.items()}), nl=False)


@main.command()
@click.argument("provider_key", metavar="PROVIDER")
@DATA_OPTION
@YEAR_OPTION
@click.option("--json", "as_json", is_flag=True, help="The tariffs and reasons as JSON.")
def provider(provider_key: str, data: Path | None, year: int | None, as_json: bool) -> None:
    """List every tariff a provider gets (its CAO or the basistarief, micro or not, addenda) and why."""
    from tariefmodel.data.problems import InputError
    from tariefmodel.engine.book import price_book
    from tariefmodel.engine.variants import micro_status, provider_view

    region = _load(data)
    if provider_key not in region.providers:
        known = ", ".join(sorted(region.providers)) or "none: the region has no parameters/providers.yaml"
        _usage(f"unknown provider {provider_key!r} (known: {known})")
    y = year or region.info.default_year
    try:
        book = price_book(region, y)
    except InputError as exc:
        _fail(exc.problems)
    prov = region.providers[provider_key]
    from tariefmodel.engine.pricing import MissingValue

    try:
        status = micro_status(prov, region.differentiation, _jan1(y))
        view = provider_view(region, book, provider_key)
    except MissingValue as exc:
        _fail([exc.problem])
    from tariefmodel.outputs.tariff_rows import tariff_row

    if as_json:
        from tariefmodel.outputs.writers import json_bytes

        doc = {"provider": prov.model_dump(mode="json"), "year": y, "micro": status.micro,
               "micro_reason": status.reason,
               "tariffs": [{**tariff_row(t), "reason": why} for t, why in view]}
        click.echo(json_bytes(doc).decode("utf-8"), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(width=160)
    console.print(f"[bold]{prov.name}[/bold] ({prov.key}, {prov.identifier}), tariefjaar {y}")
    console.print(f"  CAO bij inschrijving: {prov.cao}; {status.reason}")
    console.print(f"  contracten: {', '.join(prov.contracts)}")
    table = Table(show_lines=False)
    for col, just in (("code", "left"), ("product", "left"), ("variant", "left"), ("micro", "left"),
                      ("tarief", "right"), ("reden", "left")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for t, why in view:
        table.add_row(*_esc(t.product.product.code, t.product.product.name, t.variant, "ja" if t.micro else "",
                      f"€ {t.tariff_eur:.2f}".replace(".", ","), why))
    console.print(table)


def _jan1(year: int) -> dt.date:
    return dt.date(year, 1, 1)


@main.command()
@DATA_OPTION
@click.option("--year", "years", type=int, multiple=True,
              help="Also price the book for this year (repeatable). Default: the region's default year.")
def validate(data: Path | None, years: tuple[int, ...]) -> None:
    """Check every input file and price the book; report every problem, not just the first."""
    from tariefmodel.data.problems import InputError
    from tariefmodel.engine.book import price_book

    region = _load(data, use_cache=False)  # validate always checks every file afresh
    problems = list(region.warnings)
    counts = []
    for y in years or (region.info.default_year,):
        try:
            book = price_book(region, y)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        counts.append((y, len(book.tariffs)))
        problems.extend(book.problems)  # requests without a tariff, perverse incentives (warnings)
    if any(p.severity == "error" for p in problems):
        _fail(problems)
    for p in problems:
        click.echo(str(p), err=True)
    priced = ", ".join(f"{y}: {n} tarieven" for y, n in counts)
    click.echo(f"OK: {len(region.files)} bestanden, {len(region.products)} producten, "
               f"{len(region.caos)} CAO's, {len(region.benchmarks)} benchmarks; {priced}")


KNOWN_ON_OPTION = click.option(
    "--known-on", "known_on", type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Use only the index figures published on or before this date (YYYY-MM-DD). Default: the latest.")


def _write_table(out: Path, rows: list[dict[str, object]], sheet: str, region: Region, command: list[str],
                 columns: list[str] | None = None, numeric: set[str] | None = None, money: set[str] | None = None,
                 meta: dict[str, object] | None = None) -> None:
    """Write a table as .csv (+ manifest sidecar), .json (with its manifest) or .xlsx (Manifest sheet)."""
    from tariefmodel.outputs import writers
    from tariefmodel.outputs.tariff_rows import BUILDUP_COLUMNS, COLUMNS
    from tariefmodel.trail import manifest as mf

    cols = columns or COLUMNS
    man = mf.build(region, command)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        data = writers.csv_bytes(cols, rows)
        # The sidecar first: an output is never left without its manifest.
        writers.atomic_write_bytes(mf.sidecar_path(out), mf.sidecar_bytes(man, data))
        writers.atomic_write_bytes(out, data)
    elif suffix == ".json":
        doc: dict[str, object] = {"manifest": man}
        if meta is not None:
            doc["meta"] = meta
        doc.update({"columns": cols, "tariffs": rows})
        writers.atomic_write_bytes(out, writers.json_bytes(doc))
    else:
        writers.write_xlsx_table(out, sheet, cols, rows,
                                 numeric=numeric if numeric is not None else set(BUILDUP_COLUMNS),
                                 money=money if money is not None else {"tariff_eur", "hour_tariff_eur"}, manifest=man)


def _check_out(out: Path | None) -> None:
    if out is not None and out.suffix.lower() not in (".csv", ".json", ".xlsx"):
        _usage(f"unknown output format {out.suffix!r} for {out}: use .csv, .json or .xlsx")


@main.group()
def index() -> None:
    """Indexation: the provider index of a year, and tariff books indexed over several years."""


@index.command("rate")
@click.option("--year", type=int, required=True, help="The year of the index.")
@click.option("--method", help="An indexation method from parameters/indexation.yaml (default: vng).")
@click.option("--first-year", is_flag=True, help="The first year of a new contract: no correction for the year before.")
@KNOWN_ON_OPTION
@DATA_OPTION
def index_rate(year: int, method: str | None, first_year: bool, known_on: dt.datetime | None,
               data: Path | None) -> None:
    """Print the provider index percentage for a year with its derivation."""
    from tariefmodel.engine.indexation import LATEST, fmt_pct, method_rate
    from tariefmodel.engine.pricing import MissingValue

    region = _load(data)
    ix = region.indexation
    if ix is None:
        _usage("this region has no parameters/indexation.yaml")
    m = method or ("vng" if "vng" in ix.methods else next(iter(ix.methods)))
    if m not in ix.methods:
        _usage(f"unknown method {m!r} (methods: {', '.join(ix.methods)})")
    try:
        d = method_rate(ix, m, year, known_on.date() if known_on else LATEST, first_year=first_year)
    except MissingValue as exc:
        _fail([exc.problem])
    label = ix.methods[m].label
    click.echo(f"Indexatie {year}, methode {m}: {label}" + (f" (bekend op {known_on.date()})" if known_on else ""))
    for what, value in d.lines:
        click.echo(f"  {what}: {value}")
    if d.kind == "components":
        click.echo("  per product: loonaandeel x OVA + materieel aandeel x PPC (zie index apply)")
    elif d.kind == "follow_cao":
        click.echo("  per tarief: herberekening met de CAO-tabellen van het jaar (zie index apply)")
    else:
        click.echo(f"INDEXATIE {year}: {fmt_pct(d.rate)}")


@index.command("apply")
@click.option("--from", "year_from", type=int, required=True, help="First year.")
@click.option("--to", "year_to", type=int, required=True, help="Last year.")
@KNOWN_ON_OPTION
@DATA_OPTION
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the tariff books of all years to one .csv, .json or .xlsx. Default: a summary.")
def index_apply(year_from: int, year_to: int, known_on: dt.datetime | None, data: Path | None,
                out: Path | None) -> None:
    """The tariff book of every year from --from to --to, each later contract year indexed."""
    _check_out(out)
    if year_to < year_from:
        _usage(f"--to {year_to} lies before --from {year_from}")
    from tariefmodel.data.problems import InputError
    from tariefmodel.engine.book import price_book
    from tariefmodel.outputs.tariff_rows import rows

    region = _load(data)
    table: list[dict[str, object]] = []
    summary = []
    problems = []
    for y in range(year_from, year_to + 1):
        try:
            book = price_book(region, y, known_on.date() if known_on else None)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        these = rows(book.tariffs)
        table.extend(these)
        methods: dict[str, set[str]] = {}
        for r in these:
            if r["index_method"]:
                methods.setdefault(str(r["index_method"]), set()).add(str(r["index_rate"]))
        summary.append((y, len(these), methods))
    if any(p.severity == "error" for p in problems):
        _fail(problems)
    if out is None:
        for y, n, methods in summary:
            used = "; ".join(f"{m}: {', '.join(sorted(r))}" for m, r in sorted(methods.items())) or "kostprijsmodel"
            click.echo(f"{y}: {n} tarieven; {used}")
        return
    command = ["index", "apply", "--from", str(year_from), "--to", str(year_to)] + (
        ["--known-on", known_on.date().isoformat()] if known_on else [])
    _write_table(out, table, f"Tarieven {year_from}-{year_to}", region, command)
    click.echo(f"{len(table)} tarieven ({year_from}-{year_to}) geschreven naar {out}", err=True)


@main.command()
@click.option("--year", type=int, required=True, help="The year to rebuild.")
@click.option("--threshold", type=float, help="Flag differences beyond this fraction (default: the parameter).")
@KNOWN_ON_OPTION
@DATA_OPTION
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write .csv, .json or .xlsx.")
def recalibrate(year: int, threshold: float | None, known_on: dt.datetime | None, data: Path | None,
                out: Path | None) -> None:
    """Rebuild every tariff from the year's parameters and CAO tables; compare with the indexed tariff."""
    if out is not None and out.suffix.lower() not in (".csv", ".json", ".xlsx"):
        _usage(f"unknown output format {out.suffix!r} for {out}: use .csv, .json or .xlsx")
    if threshold is not None and not 0 <= threshold < 1:
        _usage(f"--threshold {threshold} is not a fraction: write 2% as 0.02")
    from decimal import Decimal

    from tariefmodel.data.problems import InputError
    from tariefmodel.engine.book import price_book
    from tariefmodel.engine.variants import calibrated_book

    region = _load(data)
    try:
        indexed = price_book(region, year, known_on.date() if known_on else None)
        rebuilt = calibrated_book(region, year)
    except InputError as exc:
        _fail(exc.problems)
    limit = Decimal(str(threshold)) if threshold is not None else (
        region.indexation.recalibration_threshold if region.indexation is not None else Decimal("0.02"))

    def key(t: object) -> tuple:
        return (t.product.product.code, t.variant, t.micro, t.provider,  # type: ignore[attr-defined]
                getattr(t, "version", ""), getattr(t, "addendum", ""))

    new = {key(t): t for t in rebuilt.tariffs}
    columns = ["product_code", "product_name", "variant", "micro", "provider", "version", "year", "indexed_eur",
               "recalibrated_eur", "difference_eur", "difference_pct", "flag", "index_method"]
    table = []
    for t in indexed.tariffs:
        if t.kind == "extern" or key(t) not in new:
            continue
        r = new[key(t)]
        diff = r.tariff_eur - t.tariff_eur
        pct = diff / t.tariff_eur if t.tariff_eur else Decimal(0)
        steps = getattr(t, "steps", None)
        table.append({
            "product_code": t.product.product.code, "product_name": t.product.product.name, "variant": t.variant,
            "micro": t.micro, "provider": t.provider, "version": getattr(t, "version", ""), "year": year,
            "indexed_eur": f"{t.tariff_eur:.2f}",
            "recalibrated_eur": f"{r.tariff_eur:.2f}", "difference_eur": f"{diff:.2f}",
            "difference_pct": f"{pct * 100:.2f}", "flag": "AFWIJKING" if abs(pct) > limit else "",
            "index_method": steps[-1].method if steps else (
                "afgeleid van het basistarief" if t.kind == "pgb" else "kostprijsmodel"),
        })
    flagged = sum(1 for r in table if r["flag"])
    if out is None:
        from rich.console import Console
        from rich.table import Table

        tab = Table(title=f"Herijking {year}: geindexeerd tegen herberekend (grens {limit * 100:.1f}%)")
        for col in ("code", "product", "variant", "micro", "aanbieder", "geindexeerd", "herberekend", "verschil",
                    "%", ""):
            tab.add_column(col)
        for r in table:
            tab.add_row(*_esc(str(r["product_code"]), str(r["product_name"])[:40], str(r["variant"]),
                        "ja" if r["micro"] else "", str(r["provider"]), str(r["indexed_eur"]),
                        str(r["recalibrated_eur"]), str(r["difference_eur"]), str(r["difference_pct"]), str(r["flag"])))
        Console(width=160).print(tab)
        click.echo(f"{flagged} van {len(table)} tarieven wijken meer dan {limit * 100:.1f}% af")
        return
    command = ["recalibrate", "--year", str(year)] + (["--threshold", str(threshold)] if threshold is not None else []) \
        + (["--known-on", known_on.date().isoformat()] if known_on else [])
    _write_table(out, table, f"Herijking {year}", region, command, columns=columns, numeric={"difference_pct"},
                 money={"indexed_eur", "recalibrated_eur", "difference_eur"}, meta={"threshold": str(limit)})
    click.echo(f"{len(table)} tarieven vergeleken, {flagged} boven de grens; geschreven naar {out}", err=True)


def _read_rows(path: Path) -> list[list[str]]:
    """An output's table as rows of text, whatever its format, to compare a run with its recomputation."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        import csv

        with open(path, encoding="utf-8", newline="") as fh:
            return [list(r) for r in csv.reader(fh)]
    if suffix == ".json":
        import json

        doc = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(doc, dict):
            return [[json.dumps(doc, sort_keys=True)]]
        cols = doc.get("columns") or []
        rows = [cols] + [[str(r.get(c, "")) for c in cols] for r in doc.get("tariffs", [])]
        # Everything else but the manifest (and the meta block, which repeats the input hashes) is result too.
        for key in sorted(k for k in doc if k not in ("manifest", "meta", "columns", "tariffs")):
            rows.append([key, json.dumps(doc[key], ensure_ascii=False, sort_keys=True)])
        return rows
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        ws = wb[wb.sheetnames[0]]
        return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
    text = path.read_text(encoding="utf-8")
    # The manifest and the provenance line name the data revision, which a later commit changes
    # without changing the result.
    kept = [ln for ln in text.splitlines() if "<!-- tariefmodel-manifest:" not in ln and "<!-- herkomst -->" not in ln]
    return [[ln] for ln in kept]


@main.command()
@click.argument("output", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@DATA_OPTION
def verify(output: Path, data: Path | None) -> None:
    """Confirm that an output still matches its inputs: check their SHA-256 and recompute it.

    Exit 0 when it matches, 1 when inputs or results changed (each change listed), 2 on bad input.
    """
    import tempfile
    import zipfile

    from tariefmodel.data.fileio import sha256_of
    from tariefmodel.trail import manifest as mf

    try:
        man = mf.read(output)
    except (ValueError, OSError, KeyError, zipfile.BadZipFile) as exc:
        _usage(f"{output}: {exc}")
    if not isinstance(man, dict) or not isinstance(man.get("command", []), list):
        _usage(f"{output}: its manifest is not a tariefmodel manifest (expected a JSON object with a command)")
    region = _load(data)
    findings: list[str] = []
    side = mf.sidecar_path(output)
    if side.is_file() and "output_sha256" in man and mf.sha256_bytes(output.read_bytes()) != man["output_sha256"]:
        findings.append(f"{output.name} is changed after it was written (its SHA-256 differs from the manifest)")
    current = {f: sha256_of(region.root / f) for f in region.files}
    recorded = man.get("inputs", {})
    for f in sorted(recorded.keys() | current.keys()):
        if f not in current:
            findings.append(f"invoer verdwenen: {f}")
        elif f not in recorded:
            findings.append(f"invoer toegevoegd: {f}")
        elif current[f] != recorded[f]:
            findings.append(f"invoer gewijzigd: {f} (SHA-256 {recorded[f][:12]}... -> {current[f][:12]}...)")
    if man.get("engine_version") != mf.build(region, []).get("engine_version"):
        findings.append(f"andere engine-versie: {man.get('engine_version')}")
    command = list(man.get("command", []))
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / f"recomputed{output.suffix}"
        args = [*command, "--data", str(region.root), "--out", str(fresh)]
        import contextlib
        import io as _io

        try:
            with contextlib.redirect_stderr(_io.StringIO()):
                main.main(args=args, standalone_mode=False)
        except SystemExit as exc:
            if exc.code not in (0, None):
                findings.append(f"herberekening mislukt (exit {exc.code}): {' '.join(command)}")
        if fresh.exists():
            old_rows, new_rows = _read_rows(output), _read_rows(fresh)
            if old_rows != new_rows:
                changed = [(a, b) for a, b in zip(old_rows, new_rows, strict=False) if a != b]
                findings.append(f"uitkomst gewijzigd: {len(changed)} regel(s) verschillen"
                                + (f", {abs(len(old_rows) - len(new_rows))} regel(s) meer of minder"
                                   if len(old_rows) != len(new_rows) else ""))
                for a, b in changed[:5]:
                    findings.append(f"  was:  {','.join(a)[:150]}")
                    findings.append(f"  nu:   {','.join(b)[:150]}")
    if findings:
        click.echo(f"AFWIJKING: {output} komt niet meer overeen met de invoer of de engine:")
        for f in findings:
            click.echo(f"  {f}")
        sys.exit(1)
    click.echo(f"OK: {output} komt overeen met de invoer ({len(recorded)} bestanden) en is opnieuw berekend "
               f"met hetzelfde resultaat ({' '.join(command)})")


@main.command()
@DATA_OPTION
@YEAR_OPTION
@KNOWN_ON_OPTION
@click.option("--max-age", type=int, help="Flag sources older than this many years (default: the region's setting).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The report: .html (one self-contained page), .md or .xlsx.")
def audit(data: Path | None, year: int | None, known_on: dt.datetime | None, max_age: int | None, out: Path) -> None:
    """The audit report for the process monitor: parameter register, findings, summary per contract."""
    if out.suffix.lower() not in (".html", ".md", ".xlsx"):
        _usage(f"unknown report format {out.suffix!r} for {out}: use .html, .md or .xlsx")
    from tariefmodel.data.fileio import atomic_write_bytes
    from tariefmodel.data.problems import InputError
    from tariefmodel.outputs import audit_report
    from tariefmodel.trail import manifest as mf
    from tariefmodel.trail.audit import build_audit

    region = _load(data)
    y = year or region.info.default_year
    try:
        report = build_audit(region, y, known_on.date() if known_on else None, max_age)
    except InputError as exc:
        _fail(exc.problems)
    command = ["audit", "--year", str(y)] + (["--known-on", known_on.date().isoformat()] if known_on else []) + (
        ["--max-age", str(max_age)] if max_age is not None else [])
    man = mf.build(region, command)
    suffix = out.suffix.lower()
    if suffix == ".html":
        atomic_write_bytes(out, audit_report.to_html(report, man).encode("utf-8"))
    elif suffix == ".md":
        atomic_write_bytes(out, audit_report.to_markdown(report, man).encode("utf-8"))
    else:
        audit_report.write_xlsx(out, report, man)
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in ("fout", "waarschuwing", "info")}
    click.echo(f"audit {y}: {counts['fout']} fouten, {counts['waarschuwing']} waarschuwingen, {counts['info']} "
               f"meldingen; {len(report.register)} registerwaarden; geschreven naar {out}", err=True)


@main.command()
@click.argument("old")
@click.argument("new")
@DATA_OPTION
@YEAR_OPTION
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write .xlsx, .json or .md.")
def diff(old: str, new: str, data: Path | None, year: int | None, out: Path | None) -> None:
    """What changed between two data folders or git revisions, and the effect on every tariff."""
    if out is not None and out.suffix.lower() not in (".xlsx", ".json", ".md"):
        _usage(f"unknown output format {out.suffix!r} for {out}: use .xlsx, .json or .md")
    import tempfile

    from tariefmodel.data.bundled import bundled_region
    from tariefmodel.data.problems import InputError
    from tariefmodel.engine.book import price_book
    from tariefmodel.loader.load import load_region
    from tariefmodel.trail import diff as compare

    root = data if data is not None else bundled_region()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            old_dir, old_label = compare.materialise(old, root, Path(tmp))
            new_dir, new_label = compare.materialise(new, root, Path(tmp))
            old_region = load_region(old_dir)
            new_region = load_region(new_dir)
            y = year or new_region.info.default_year
            effects = compare.tariff_effects(price_book(old_region, y), price_book(new_region, y))
            changes = compare.input_changes(old_dir, new_dir)
        except InputError as exc:
            _fail(exc.problems)
        man = None
        if out is not None:
            from tariefmodel.trail import manifest as mf

            def arg(x: str) -> str:  # folders absolute, so that verify can recompute from anywhere
                return str(Path(x).resolve()) if Path(x).is_dir() else x

            man = mf.build(new_region, ["diff", arg(old), arg(new), "--year", str(y)])
            commit = compare.REVISIONS.get(str(new_dir))
            if commit is not None:
                man["data_revision"] = {"git_commit": commit, "uncommitted_input_changes": False,
                                        "revision": new}
            man["compared"] = {"old": old_label, "new": new_label}
    moved = [e for e in effects if e.diff]
    if out is None:
        from rich.console import Console
        from rich.table import Table

        console = Console(width=160)
        console.print(f"[bold]Wijzigingen[/bold] {old_label} -> {new_label}: {len(changes)} in de invoer, "
                      f"{len(moved)} van {len(effects)} tarieven ({y}) veranderen")
        t1 = Table(title="Invoer")
        for col in ("bestand", "waarde", "oud", "nieuw", "bron"):
            t1.add_column(col)
        for c in changes[:60]:
            t1.add_row(*_esc(c.file, c.path[-60:], c.old[:30], c.new[:30], c.source[:60]))
        console.print(t1)
        t2 = Table(title="Effect op de tarieven (grootste eerst)")
        for col in ("code", "product", "variant", "micro", "aanbieder", "oud", "nieuw", "verschil", "%"):
            t2.add_column(col)
        for e in [e for e in effects if e.diff != 0][:60]:
            t2.add_row(*_esc(e.code, e.name[:40], e.variant, "ja" if e.micro else "", e.provider,
                       "" if e.old is None else f"{e.old:.2f}", "" if e.new is None else f"{e.new:.2f}",
                       "" if e.diff is None else f"{e.diff:.2f}", "" if e.pct is None else f"{e.pct:.2f}"))
        console.print(t2)
        return
    _write_diff(out, changes, effects, man, old_label, new_label, y)
    click.echo(f"{len(changes)} wijzigingen, {len(moved)} tarieven anders; geschreven naar {out}", err=True)


def _write_diff(out: Path, changes: list, effects: list, man: dict | None, old_label: str, new_label: str,
                year: int) -> None:
    from tariefmodel.outputs import writers
    from tariefmodel.trail import manifest as mf

    change_rows = [{"bestand": c.file, "waarde": c.path, "oud": c.old, "nieuw": c.new, "bron": c.source}
                   for c in changes]
    effect_rows = [{"product_code": e.code, "product_name": e.name, "variant": e.variant, "micro": e.micro,
                    "provider": e.provider, "version": e.version,
                    "old_eur": "" if e.old is None else f"{e.old:.2f}", "new_eur": "" if e.new is None else f"{e.new:.2f}",
                    "difference_eur": "" if e.diff is None else f"{e.diff:.2f}",
                    "difference_pct": "" if e.pct is None else f"{e.pct:.2f}"} for e in effects]
    suffix = out.suffix.lower()
    if suffix == ".json":
        writers.atomic_write_bytes(out, writers.json_bytes({"manifest": man, "old": old_label, "new": new_label,
                                                            "year": year, "input_changes": change_rows,
                                                            "tariffs": effect_rows,
                                                            "columns": list(effect_rows[0]) if effect_rows else []}))
    elif suffix == ".md":
        lines = [f"# Wijzigingen {old_label} -> {new_label} (tarieven {year})", "", "## Invoer", "",
                 "| bestand | waarde | oud | nieuw | bron |", "|---|---|---|---|---|"]
        def md(x: object) -> str:
            return str(x).replace("|", "\\|").replace("\n", " ")

        lines += [f"| {md(c.file)} | {md(c.path)} | {md(c.old)} | {md(c.new)} | {md(c.source)} |" for c in changes]
        lines += ["", "## Effect op de tarieven", "", "| code | product | variant | micro | aanbieder | oud | nieuw | € | % |",
                  "|---|---|---|---|---|---|---|---|---|"]
        lines += [f"| {r['product_code']} | {r['product_name']} | {r['variant']} | {'ja' if r['micro'] else ''} | "
                  f"{r['provider']} | {r['old_eur']} | {r['new_eur']} | {r['difference_eur']} | {r['difference_pct']} |"
                  for r in effect_rows]
        lines += ["", mf.html_comment(man or {})]
        writers.atomic_write_bytes(out, ("\n".join(lines) + "\n").encode("utf-8"))
    else:
        import xlsxwriter

        def write(tmp: Path) -> None:
            wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
            wb.set_properties({"created": writers.FIXED_TIME, "author": "tariefmodel"})
            head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
            for name, table in (("Effect op tarieven", effect_rows), ("Wijzigingen invoer", change_rows)):
                ws = wb.add_worksheet(name)
                cols = list(table[0]) if table else ["(geen)"]
                for j, col in enumerate(cols):
                    ws.write_string(0, j, col, head)
                    ws.set_column(j, j, 18 if col not in ("waarde", "bron", "product_name") else 50)
                for i, row in enumerate(table, start=1):
                    for j, col in enumerate(cols):
                        ws.write_string(i, j, str(writers.safe_text(row[col])))
                ws.freeze_panes(1, 0)
            if man is not None:
                writers.write_manifest_sheet(wb, man)
            wb.close()

        writers.atomic_write(out, write)


@main.command()
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("schemas"),
              show_default=True, help="Folder for the JSON Schema files.")
def schema(out: Path) -> None:
    """Publish the JSON Schema of every input file format."""
    from tariefmodel.data.fileio import atomic_write_bytes
    from tariefmodel.data.schema import SCHEMAS
    from tariefmodel.outputs.writers import json_bytes

    for name, model in SCHEMAS.items():
        atomic_write_bytes(out / f"{name}.schema.json", json_bytes(model.model_json_schema()))
    click.echo(f"{len(SCHEMAS)} schema's geschreven naar {out}", err=True)


from tariefmodel.cli.export import export_group, import_group  # noqa: E402 - registered after main is defined

main.add_command(export_group)
main.add_command(import_group)


from tariefmodel.cli.scenario import register as _register_scenarios  # noqa: E402

_register_scenarios(main)
from tariefmodel.cli.upkeep import register as _register_upkeep; _register_upkeep(main)  # noqa: E402, E702, I001

if __name__ == "__main__":  # pragma: no cover
    main()
