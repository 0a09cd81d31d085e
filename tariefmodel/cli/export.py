"""Workbook commands: ``tariefmodel export review|parameters|annex|providers|provider`` and ``import parameters``.

Registered on the main group at the end of cli.py. The helpers of cli.py are
imported inside the commands (cli.py imports this module), and so are
xlsxwriter, openpyxl and pydantic, keeping ``tariefmodel --help`` fast.
Exit codes as everywhere: 0 success, 2 invalid input (nothing written), 1 other.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from tariefmodel.data.region import Region
    from tariefmodel.engine.pricing import Book

_DATA = click.option(
    "--data", "data", type=click.Path(path_type=Path, file_okay=False),
    help="Data folder (parameters/, cao_tables/, benchmarks/). Default: the bundled example region.",
)
_YEAR = click.option("--year", type=int, help="Tariff year. Default: the region's default year.")
_OUT = click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False),
                    help="The workbook to write (.xlsx), atomically.")


def _xlsx_out(out: Path) -> None:
    from tariefmodel.cli.main import _usage

    if out.suffix.lower() != ".xlsx":
        _usage(f"{out}: a workbook is written as .xlsx")


@click.group(name="export")
def export_group() -> None:
    """Write workbooks: review, parameters, contract annex, provider tariff sheets."""


@export_group.command("review")
@_DATA
@_YEAR
@_OUT
def export_review(data: Path | None, year: int | None, out: Path) -> None:
    """Every tariff of a year rebuilt as live formulas (Tarieven, Producten, Functieprofielen, CAO, Parameters)."""
    _xlsx_out(out)
    from tariefmodel.cli.main import _fail, _load
    from tariefmodel.data.problems import InputError
    from tariefmodel.outputs.workbooks.review import Mismatch, write_review

    region = _load(data)
    y = year or region.info.default_year
    try:
        result = write_review(out, region, y)
    except InputError as exc:
        _fail(exc.problems)
    except Mismatch as exc:  # the workbook would disagree with the engine: never write that
        click.echo(f"FOUT (intern): {exc}; er is niets geschreven.", err=True)
        sys.exit(1)
    for s in result.skipped:
        t = s.tariff
        click.echo(f"WAARSCHUWING: {t.product.product.code} / {t.variant}{' (micro)' if t.micro else ''}: "
                   f"niet in de werkmap: {s.reason}", err=True)
    if result.without_buildup:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(result.without_buildup.items()))
        click.echo(f"Zonder kostprijsopbouw van {y}, niet in de werkmap: {kinds}", err=True)
    if not result.tariffs:
        click.echo(f"WAARSCHUWING: geen enkel tarief van {y} heeft een kostprijsopbouw van dat jaar "
                   "(in een later contractjaar zijn de tarieven geïndexeerd); de werkmap bevat alleen parameters.",
                   err=True)
    click.echo(f"{result.tariffs} tarieven ({y}) met hun opbouw geschreven naar {out}", err=True)


@export_group.command("parameters")
@_DATA
@_OUT
def export_parameters(data: Path | None, out: Path) -> None:
    """Every dated value of parameters/cost_model.yaml, one row each, editable (see: import parameters)."""
    _xlsx_out(out)
    from tariefmodel.cli.main import _fail
    from tariefmodel.data.bundled import bundled_region
    from tariefmodel.data.problems import InputError, Problem
    from tariefmodel.data.yamlio import YamlError
    from tariefmodel.outputs.workbooks import paramimport, paramsource
    from tariefmodel.outputs.workbooks.parambook import write_parameter_book

    root = data if data is not None else bundled_region()
    path = root / paramsource.COST_MODEL
    try:
        source = paramsource.parse(path.read_bytes())
    except OSError as exc:
        _fail([Problem(paramsource.COST_MODEL, "", f"cannot read: {exc}")])
    except YamlError as exc:
        _fail([Problem(paramsource.COST_MODEL, "", str(exc), line=exc.line)])
    model, problems = paramimport.validation_problems(source.data, source)
    if problems:
        _fail(problems)
    try:
        n = write_parameter_book(out, source, model)
    except InputError as exc:  # pragma: no cover - the model was validated above
        _fail(exc.problems)
    click.echo(f"{n} parameterwaarden geschreven naar {out}", err=True)


def _book_for(region: Region, year: int | None) -> Book:
    from tariefmodel.cli.main import _fail
    from tariefmodel.data.problems import InputError
    from tariefmodel.engine.book import price_book

    try:
        return price_book(region, year or region.info.default_year)
    except InputError as exc:
        _fail(exc.problems)


@export_group.command("annex")
@click.option("--contract", required=True, help="The contract (perceel) key, e.g. ambulant-jeugd.")
@_DATA
@_YEAR
@_OUT
def export_annex(contract: str, data: Path | None, year: int | None, out: Path) -> None:
    """A contract's tariffs of a year as a read-only annex (bijlage bij de overeenkomst): values only."""
    _xlsx_out(out)
    from tariefmodel.cli.main import _load, _usage
    from tariefmodel.trail import manifest as mf

    region = _load(data)
    if contract not in region.contracts:
        _usage(f"unknown contract {contract!r} (known: {', '.join(region.contracts)})")
    from tariefmodel.outputs.workbooks.annex import write_annex

    book = _book_for(region, year)
    man = mf.build(region, ["export", "annex", "--contract", contract, "--year", str(book.year)])
    result = write_annex(out, region, book, contract, man)
    click.echo(f"bijlage {contract} ({book.year}): {result.products} producten, {result.tariffs} tarieven "
               f"geschreven naar {out}", err=True)


@export_group.command("providers")
@_DATA
@_YEAR
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="The folder for the workbooks (<provider-key>.xlsx); all are written, or none.")
@click.option("--provider", "providers", multiple=True, metavar="KEY",
              help="Only this provider (repeatable). Default: every provider of the register.")
def export_providers(data: Path | None, year: int | None, out: Path, providers: tuple[str, ...]) -> None:
    """Per provider a read-only workbook with exactly the tariffs it gets and why (its registration too)."""
    from tariefmodel.cli.main import _fail, _load, _usage
    from tariefmodel.engine.pricing import MissingValue
    from tariefmodel.outputs.workbooks.providers import UnknownProvider, check_keys, write_provider_books
    from tariefmodel.trail import manifest as mf

    region = _load(data)
    try:
        check_keys(region, list(providers))
    except UnknownProvider as exc:
        _usage(str(exc))
    if out.exists() and not out.is_dir():
        _usage(f"{out} is not a folder")
    book = _book_for(region, year)
    man = mf.build(region, ["export", "providers", "--year", str(book.year)])
    keys = list(dict.fromkeys(providers)) or list(region.providers)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("tarievenbladen", total=len(keys))
        try:
            result = write_provider_books(out, region, book, keys, man,
                                          on_done=lambda _key: progress.advance(task))
        except MissingValue as exc:
            _fail([exc.problem])
    click.echo(f"{len(result.files)} tarievenbladen ({book.year}, {result.rows} tarieven) geschreven naar {out}",
               err=True)


@export_group.command("provider")
@click.argument("provider_key", metavar="PROVIDER")
@_DATA
@_YEAR
@_OUT
def export_provider(provider_key: str, data: Path | None, year: int | None, out: Path) -> None:
    """One provider's tariff workbook (what each workbook of export providers records, for verify)."""
    _xlsx_out(out)
    from tariefmodel.cli.main import _fail, _load, _usage
    from tariefmodel.engine.pricing import MissingValue
    from tariefmodel.outputs.workbooks.providers import UnknownProvider, check_keys, write_provider_book
    from tariefmodel.trail import manifest as mf

    region = _load(data)
    try:
        check_keys(region, [provider_key])
    except UnknownProvider as exc:
        _usage(str(exc))
    book = _book_for(region, year)
    man = mf.build(region, ["export", "provider", provider_key, "--year", str(book.year)])
    try:
        n = write_provider_book(out, region, book, provider_key, man)
    except MissingValue as exc:
        _fail([exc.problem])
    click.echo(f"tarievenblad {provider_key} ({book.year}, {n} tarieven) geschreven naar {out}", err=True)


@click.group(name="import")
def import_group() -> None:
    """Read edited workbooks back into the data folder (checked; nothing written on any error)."""


@import_group.command("parameters")
@click.argument("workbook", type=click.Path(path_type=Path, dir_okay=False))
@_DATA
@click.option("--dry-run", is_flag=True, help="List the changes and check them; write nothing.")
def import_parameters(workbook: Path, data: Path | None, dry_run: bool) -> None:
    """Apply the changed values of a parameter workbook to parameters/cost_model.yaml."""
    from tariefmodel.cli.main import _fail
    from tariefmodel.data.bundled import bundled_region
    from tariefmodel.data.problems import InputError
    from tariefmodel.outputs.workbooks.paramimport import import_parameters as run

    root = data if data is not None else bundled_region()
    try:
        result = run(workbook, root, dry_run=dry_run)
    except InputError as exc:
        _fail(exc.problems)
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
