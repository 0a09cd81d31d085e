"""Workbook commands: ``tariefmodel export review|parameters`` and ``tariefmodel import parameters``.

Registered on the main group at the end of cli.py. The helpers of cli.py are
imported inside the commands (cli.py imports this module), and so are
xlsxwriter, openpyxl and pydantic, keeping ``tariefmodel --help`` fast.
Exit codes as everywhere: 0 success, 2 invalid input (nothing written), 1 other.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

_DATA = click.option(
    "--data", "data", type=click.Path(path_type=Path, file_okay=False),
    help="Data folder (parameters/, cao_tables/, benchmarks/). Default: the bundled example region.",
)
_YEAR = click.option("--year", type=int, help="Tariff year. Default: the region's default year.")
_OUT = click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False),
                    help="The workbook to write (.xlsx), atomically.")


def _xlsx_out(out: Path) -> None:
    from .cli import _usage

    if out.suffix.lower() != ".xlsx":
        _usage(f"{out}: a workbook is written as .xlsx")


@click.group(name="export")
def export_group() -> None:
    """Write workbooks: the review workbook, the editable parameter workbook."""


@export_group.command("review")
@_DATA
@_YEAR
@_OUT
def export_review(data: Path | None, year: int | None, out: Path) -> None:
    """Every tariff of a year rebuilt as live formulas (Tarieven, Producten, Functieprofielen, CAO, Parameters)."""
    _xlsx_out(out)
    from .cli import _fail, _load
    from .problems import InputError
    from .workbooks.review import Mismatch, write_review

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
    from .bundled import bundled_region
    from .cli import _fail
    from .problems import InputError, Problem
    from .workbooks import paramimport, paramsource
    from .workbooks.parambook import write_parameter_book
    from .yamlio import YamlError

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


@click.group(name="import")
def import_group() -> None:
    """Read edited workbooks back into the data folder (checked; nothing written on any error)."""


@import_group.command("parameters")
@click.argument("workbook", type=click.Path(path_type=Path, dir_okay=False))
@_DATA
@click.option("--dry-run", is_flag=True, help="List the changes and check them; write nothing.")
def import_parameters(workbook: Path, data: Path | None, dry_run: bool) -> None:
    """Apply the changed values of a parameter workbook to parameters/cost_model.yaml."""
    from .bundled import bundled_region
    from .cli import _fail
    from .problems import InputError
    from .workbooks.paramimport import import_parameters as run

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
