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
    from .loader import Region
    from .problems import Problem

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


def _load(data: Path | None, *, use_cache: bool = True) -> Region:
    from .bundled import bundled_region
    from .loader import load_region
    from .problems import InputError

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
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the tariff book to .csv, .json or .xlsx (atomically). Default: a table on the terminal.")
def calculate(data: Path | None, year: int | None, out: Path | None) -> None:
    """Price the whole product book for a year: one row per product and CAO variant."""
    if out is not None and out.suffix.lower() not in (".csv", ".json", ".xlsx"):
        _usage(f"unknown output format {out.suffix!r} for {out}: use .csv, .json or .xlsx")
    from .pricing import price_book
    from .problems import InputError

    region = _load(data)
    y = year or region.info.default_year
    try:
        book = price_book(region, y)
    except InputError as exc:
        _fail(exc.problems)
    from .tables import COLUMNS, rows

    table = rows(book.tariffs)
    if out is None:
        _print_table(table, region, y)
        return
    suffix = out.suffix.lower()
    from . import writers

    if suffix == ".csv":
        writers.atomic_write_bytes(out, writers.csv_bytes(COLUMNS, table))
    elif suffix == ".json":
        doc = {"meta": _meta(region, y), "columns": COLUMNS, "tariffs": table}
        writers.atomic_write_bytes(out, writers.json_bytes(doc))
    else:
        from .tables import BUILDUP_COLUMNS

        numeric = set(BUILDUP_COLUMNS)
        writers.write_xlsx_table(out, f"Tarieven {y}", COLUMNS, table, numeric=numeric,
                                 money={"tariff_eur", "hour_tariff_eur"})
    click.echo(f"{len(table)} tarieven ({y}) geschreven naar {out}", err=True)


def _meta(region: Region, year: int) -> dict[str, object]:
    from . import __version__
    from .writers import sha256_of

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
        t.add_row(str(r["product_code"]), str(r["product_name"]), str(r["unit"]), str(r["variant"]), f"€ {tariff}")
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
    from .pricing import price_book
    from .problems import InputError

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
    from . import explain as ex

    t = chosen[0]
    if as_json:
        from .writers import json_bytes

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
    from .book import micro_status, provider_view
    from .pricing import price_book
    from .problems import InputError

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
    status = micro_status(prov, region.differentiation, _jan1(y))  # providers require differentiation rules
    view = provider_view(region, book, provider_key)
    from .tables import tariff_row

    if as_json:
        from .writers import json_bytes

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
        table.add_row(t.product.product.code, t.product.product.name, t.variant, "ja" if t.micro else "",
                      f"€ {t.tariff_eur:.2f}".replace(".", ","), why)
    console.print(table)


def _jan1(year: int) -> dt.date:
    return dt.date(year, 1, 1)


@main.command()
@DATA_OPTION
@click.option("--year", "years", type=int, multiple=True,
              help="Also price the book for this year (repeatable). Default: the region's default year.")
def validate(data: Path | None, years: tuple[int, ...]) -> None:
    """Check every input file and price the book; report every problem, not just the first."""
    from .pricing import price_book
    from .problems import InputError

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


def _write_table(out: Path, rows: list[dict[str, object]], sheet: str) -> None:
    from . import writers
    from .tables import BUILDUP_COLUMNS, COLUMNS

    suffix = out.suffix.lower()
    if suffix == ".csv":
        writers.atomic_write_bytes(out, writers.csv_bytes(COLUMNS, rows))
    elif suffix == ".json":
        writers.atomic_write_bytes(out, writers.json_bytes({"columns": COLUMNS, "tariffs": rows}))
    else:
        writers.write_xlsx_table(out, sheet, COLUMNS, rows, numeric=set(BUILDUP_COLUMNS),
                                 money={"tariff_eur", "hour_tariff_eur"})


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
    from .indexation import LATEST, fmt_pct, method_rate
    from .pricing import MissingValue

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
    from .pricing import price_book
    from .problems import InputError
    from .tables import rows

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
    _write_table(out, table, f"Tarieven {year_from}-{year_to}")
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
    from decimal import Decimal

    from .book import calibrated_book
    from .pricing import price_book
    from .problems import InputError

    region = _load(data)
    try:
        indexed = price_book(region, year, known_on.date() if known_on else None)
        rebuilt = calibrated_book(region, year)
    except InputError as exc:
        _fail(exc.problems)
    limit = Decimal(str(threshold)) if threshold is not None else (
        region.indexation.recalibration_threshold if region.indexation is not None else Decimal("0.02"))

    def key(t: object) -> tuple:
        return (t.product.product.code, t.variant, t.micro, t.provider)  # type: ignore[attr-defined]

    new = {key(t): t for t in rebuilt.tariffs}
    columns = ["product_code", "product_name", "variant", "micro", "provider", "year", "indexed_eur",
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
            "micro": t.micro, "provider": t.provider, "year": year, "indexed_eur": f"{t.tariff_eur:.2f}",
            "recalibrated_eur": f"{r.tariff_eur:.2f}", "difference_eur": f"{diff:.2f}",
            "difference_pct": f"{pct * 100:.2f}", "flag": "AFWIJKING" if abs(pct) > limit else "",
            "index_method": steps[-1].method if steps else "kostprijsmodel",
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
            tab.add_row(str(r["product_code"]), str(r["product_name"])[:40], str(r["variant"]),
                        "ja" if r["micro"] else "", str(r["provider"]), str(r["indexed_eur"]),
                        str(r["recalibrated_eur"]), str(r["difference_eur"]), str(r["difference_pct"]), str(r["flag"]))
        Console(width=160).print(tab)
        click.echo(f"{flagged} van {len(table)} tarieven wijken meer dan {limit * 100:.1f}% af")
        return
    from . import writers

    suffix = out.suffix.lower()
    if suffix == ".csv":
        writers.atomic_write_bytes(out, writers.csv_bytes(columns, table))
    elif suffix == ".json":
        writers.atomic_write_bytes(out, writers.json_bytes({"threshold": str(limit), "rows": table}))
    else:
        writers.write_xlsx_table(out, f"Herijking {year}", columns, table,
                                 numeric={"difference_pct"}, money={"indexed_eur", "recalibrated_eur", "difference_eur"})
    click.echo(f"{len(table)} tarieven vergeleken, {flagged} boven de grens; geschreven naar {out}", err=True)


@main.command()
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("schemas"),
              show_default=True, help="Folder for the JSON Schema files.")
def schema(out: Path) -> None:
    """Publish the JSON Schema of every input file format."""
    from .schema import SCHEMAS
    from .writers import atomic_write_bytes, json_bytes

    for name, model in SCHEMAS.items():
        atomic_write_bytes(out / f"{name}.schema.json", json_bytes(model.model_json_schema()))
    click.echo(f"{len(SCHEMAS)} schema's geschreven naar {out}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
