"""Workbook commands: ``tariefmodel export review|parameters|annex|providers|provider`` and ``import parameters``.

xlsxwriter, openpyxl and pydantic are imported inside the commands, keeping ``tariefmodel --help`` fast.
Exit codes as everywhere: 0 success, 2 invalid input (nothing written), 1 other.
"""

from __future__ import annotations

from pathlib import Path

import click

from tariefmodel.cli.common import DATA, WORKBOOK, YEAR, data_root, guard, load_region_or_fail, out_option
from tariefmodel.cli.errors import CommandFailure, InputFailure

OUT = out_option(WORKBOOK, "The workbook to write (.xlsx), atomically.", required=True)
OUT_PRINTABLE = out_option((".xlsx", ".pdf"), "De werkmap (.xlsx) of het afdrukbare document (.pdf, A4) om te "
                           "schrijven, atomair.", required=True)


@click.group(name="export")
def export_group() -> None:
    """Write workbooks: review, parameters, contract annex, provider tariff sheets."""


@export_group.command("review")
@DATA
@YEAR
@OUT
def export_review(data: Path | None, year: int | None, out: Path) -> None:
    """Every tariff of a year rebuilt as live formulas (Tarieven, Producten, Functieprofielen, CAO, Parameters)."""
    from tariefmodel.outputs.workbooks.review import Mismatch, write_review
    from tariefmodel.trail import manifest as mf

    region = load_region_or_fail(data)
    y = year or region.info.default_year
    try:
        result = guard(write_review, out, region, y, mf.build(region, ["export", "review", "--year", str(y)], out))
    except Mismatch as exc:  # the workbook would disagree with the engine: never write that
        raise CommandFailure(f"FOUT (intern): {exc}; er is niets geschreven.") from exc
    for s in result.skipped:
        t = s.tariff
        click.echo(f"WAARSCHUWING: {t.product.product.code} / {t.variant}{' (micro)' if t.micro else ''}: "
                   f"niet in de werkmap: {s.reason}", err=True)
    click.echo(f"{result.tariffs} tarieven ({y}) geschreven naar {out}. {result.summary()}", err=True)


@export_group.command("parameters")
@DATA
@OUT
def export_parameters(data: Path | None, out: Path) -> None:
    """Every dated value of parameters/cost_model.yaml, one row each, editable (see: import parameters)."""
    # An input to edit, not a result of the engine: it carries no run manifest (import parameters checks it).
    from tariefmodel.data.problems import Problem
    from tariefmodel.data.yamlio import YamlError
    from tariefmodel.outputs.workbooks import paramimport, paramsource
    from tariefmodel.outputs.workbooks.parambook import write_parameter_book

    path = data_root(data) / paramsource.COST_MODEL
    try:
        source = paramsource.parse(path.read_bytes())
    except OSError as exc:
        raise InputFailure([Problem(paramsource.COST_MODEL, "", f"cannot read: {exc}")]) from exc
    except YamlError as exc:
        raise InputFailure([Problem(paramsource.COST_MODEL, "", str(exc), line=exc.line)]) from exc
    model, problems = paramimport.validation_problems(source.data, source)
    if problems:
        raise InputFailure(problems)
    n = guard(write_parameter_book, out, source, model)
    click.echo(f"{n} parameterwaarden geschreven naar {out}", err=True)


@export_group.command("annex")
@click.option("--contract", required=True, help="The contract (perceel) key, e.g. ambulant-jeugd.")
@DATA
@YEAR
@OUT_PRINTABLE
def export_annex(contract: str, data: Path | None, year: int | None, out: Path) -> None:
    """A contract's tariffs of a year as a read-only annex (bijlage bij de overeenkomst): values only."""
    from tariefmodel.engine.book import price_book
    from tariefmodel.trail import manifest as mf

    region = load_region_or_fail(data)
    if contract not in region.contracts:
        raise InputFailure.of(f"unknown contract {contract!r} (known: {', '.join(region.contracts)})")
    from tariefmodel.outputs.workbooks.annex import write_annex

    book = guard(price_book, region, year or region.info.default_year)
    man = mf.build(region, ["export", "annex", "--contract", contract, "--year", str(book.year)], out)
    result = write_annex(out, region, book, contract, man)
    click.echo(f"bijlage {contract} ({book.year}): {result.products} producten, {result.tariffs} tarieven "
               f"geschreven naar {out}", err=True)


@export_group.command("providers")
@DATA
@YEAR
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="The folder for the workbooks (<provider-key>.xlsx); all are written, or none.")
@click.option("--provider", "providers", multiple=True, metavar="KEY",
              help="Only this provider (repeatable). Default: every provider of the register.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "pdf"]), default="xlsx", show_default=True,
              help="Werkmappen (xlsx) of afdrukbare tarievenbladen (pdf, A4), één bestand per aanbieder.")
def export_providers(data: Path | None, year: int | None, out: Path, providers: tuple[str, ...], fmt: str) -> None:
    """Per provider a read-only workbook with exactly the tariffs it gets and why (its registration too)."""
    from tariefmodel.engine.book import price_book
    from tariefmodel.outputs.workbooks.providers import UnknownProvider, check_keys, write_provider_books
    from tariefmodel.trail import manifest as mf

    region = load_region_or_fail(data)
    try:
        check_keys(region, list(providers))
    except UnknownProvider as exc:
        raise InputFailure.of(str(exc)) from exc
    if out.exists() and not out.is_dir():
        raise InputFailure.of(f"{out} is not a folder")
    book = guard(price_book, region, year or region.info.default_year)
    # Each workbook records `export provider KEY` (what verify reruns); the data folder as seen from DIR.
    man = mf.build(region, ["export", "providers", "--year", str(book.year)], out / f"x.{fmt}")
    keys = list(dict.fromkeys(providers)) or list(region.providers)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("tarievenbladen", total=len(keys))
        result = guard(write_provider_books, out, region, book, keys, man, on_done=lambda _key: progress.advance(task),
                       suffix=f".{fmt}")
    click.echo(f"{len(result.files)} tarievenbladen ({book.year}, {result.rows} tarieven) geschreven naar {out}",
               err=True)


@export_group.command("provider")
@click.argument("provider_key", metavar="PROVIDER")
@DATA
@YEAR
@OUT_PRINTABLE
def export_provider(provider_key: str, data: Path | None, year: int | None, out: Path) -> None:
    """One provider's tariff workbook (what each workbook of export providers records, for verify)."""
    from tariefmodel.engine.book import price_book
    from tariefmodel.outputs.workbooks.providers import UnknownProvider, check_keys, write_provider_book
    from tariefmodel.trail import manifest as mf

    region = load_region_or_fail(data)
    try:
        check_keys(region, [provider_key])
    except UnknownProvider as exc:
        raise InputFailure.of(str(exc)) from exc
    book = guard(price_book, region, year or region.info.default_year)
    man = mf.build(region, ["export", "provider", provider_key, "--year", str(book.year)], out)
    n = guard(write_provider_book, out, region, book, provider_key, man)
    click.echo(f"tarievenblad {provider_key} ({book.year}, {n} tarieven) geschreven naar {out}", err=True)


@click.group(name="import")
def import_group() -> None:
    """Read edited workbooks back into the data folder (checked; nothing written on any error)."""


@import_group.command("parameters")
@click.argument("workbook", type=click.Path(path_type=Path, dir_okay=False))
@DATA
@click.option("--dry-run", is_flag=True, help="List the changes and check them; write nothing.")
@click.option("--correctie", "correction", metavar="REDEN",
              help="Allow changing a value that priced a past year; the correction is recorded with this reason.")
def import_parameters(workbook: Path, data: Path | None, dry_run: bool, correction: str | None) -> None:
    """Apply the changed values of a parameter workbook to parameters/cost_model.yaml."""
    from tariefmodel.outputs.workbooks.paramimport import import_parameters as run

    root = data_root(data)
    result = guard(run, workbook, root, dry_run=dry_run, correction=correction)
    if not result.changes:
        click.echo("Geen wijzigingen; er is niets geschreven.")
        return
    for ch in result.changes:
        click.echo(ch.describe())
    n = len(result.changes)
    if result.written:
        click.echo(f"{n} wijziging(en) geschreven naar {root / 'parameters' / 'cost_model.yaml'}")
    else:
        click.echo(f"{n} wijziging(en) gecontroleerd (--dry-run); er is niets geschreven.")


COMMANDS = (export_group, import_group)
