"""Workbook commands: ``tariefmodel export review|parameters|annex|providers|provider`` and ``import parameters``.

xlsxwriter, openpyxl and pydantic are imported inside the commands, keeping ``tariefmodel --help`` fast.
Exit codes as everywhere: 0 success, 2 invalid input (nothing written), 1 other.
"""

from __future__ import annotations

from pathlib import Path

import click

from tariefmodel.cli.common import (
    DATA,
    WORKBOOK,
    YEAR,
    data_root,
    editable_root,
    guard,
    load_region_or_fail,
    out_option,
)
from tariefmodel.cli.errors import CommandFailure, InputFailure

OUT = out_option(WORKBOOK, "Het werkboek dat geschreven wordt (.xlsx), atomair.", required=True)
OUT_PRINTABLE = out_option((".xlsx", ".pdf"), "De werkmap (.xlsx) of het afdrukbare document (.pdf, A4) om te "
                           "schrijven, atomair.", required=True)


@click.group(name="export")
def export_group() -> None:
    """Schrijf werkboeken: review, parameters, contractbijlage, tariefbladen per aanbieder."""


@export_group.command("review")
@DATA
@YEAR
@OUT
def export_review(data: Path | None, year: int | None, out: Path) -> None:
    """Elk tarief van een tariefjaar opnieuw opgebouwd in formules (Tarieven, Producten, Functieprofielen, CAO, Parameters)."""
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
    """Elke gedateerde waarde van parameters/cost_model.yaml, een rij per waarde, te bewerken (zie: import parameters)."""
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
@click.option("--contract", required=True, help="De sleutel van het perceel, bijvoorbeeld ambulant-jeugd.")
@DATA
@YEAR
@OUT_PRINTABLE
def export_annex(contract: str, data: Path | None, year: int | None, out: Path) -> None:
    """De tarieven van een perceel in een tariefjaar als alleen-lezen bijlage bij de overeenkomst: alleen waarden."""
    from tariefmodel.engine.book import price_book
    from tariefmodel.trail import manifest as mf

    region = load_region_or_fail(data)
    if contract not in region.contracts:
        raise InputFailure.of(f"onbekend perceel {contract!r} (bekend: {', '.join(region.contracts)})")
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
              help="De map voor de werkboeken (<aanbieder>.xlsx); ze worden allemaal geschreven, of geen.")
@click.option("--provider", "providers", multiple=True, metavar="AANBIEDER",
              help="Alleen deze aanbieder (herhaalbaar). Standaard: elke aanbieder in het register.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "pdf"]), default="xlsx", show_default=True,
              help="Werkmappen (xlsx) of afdrukbare tarievenbladen (pdf, A4), één bestand per aanbieder.")
def export_providers(data: Path | None, year: int | None, out: Path, providers: tuple[str, ...], fmt: str) -> None:
    """Per aanbieder een alleen-lezen werkboek met precies de tarieven die hij krijgt en waarom (met zijn inschrijving)."""
    from tariefmodel.engine.book import price_book
    from tariefmodel.outputs.workbooks.providers import UnknownProvider, check_keys, write_provider_books
    from tariefmodel.trail import manifest as mf

    region = load_region_or_fail(data)
    try:
        check_keys(region, list(providers))
    except UnknownProvider as exc:
        raise InputFailure.of(str(exc)) from exc
    if out.exists() and not out.is_dir():
        raise InputFailure.of(f"{out} is geen map")
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
@click.argument("provider_key", metavar="AANBIEDER")
@DATA
@YEAR
@OUT_PRINTABLE
def export_provider(provider_key: str, data: Path | None, year: int | None, out: Path) -> None:
    """Het tariefwerkboek van één aanbieder (wat elk werkboek van export providers vastlegt, voor verify)."""
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
    """Lees bewerkte werkboeken terug in de gegevensmap (gecontroleerd; bij een fout wordt niets geschreven)."""


@import_group.command("parameters")
@click.argument("workbook", metavar="WERKBOEK", type=click.Path(path_type=Path, dir_okay=False))
@DATA
@click.option("--dry-run", is_flag=True, help="Toon en controleer de wijzigingen; schrijf niets.")
@click.option("--correctie", "correction", metavar="REDEN",
              help="Sta toe dat een waarde wijzigt die al tarieven van een afgelopen jaar bepaalde; de correctie "
                   "wordt met deze reden vastgelegd.")
def import_parameters(workbook: Path, data: Path | None, dry_run: bool, correction: str | None) -> None:
    """Neem de gewijzigde waarden van een parameterwerkboek over in parameters/cost_model.yaml."""
    from tariefmodel.outputs.workbooks.paramimport import import_parameters as run

    root = editable_root(data)
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


@import_group.command("zin-tarieven")
@click.argument("source", metavar="LIJST", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@DATA
@click.option("--dry-run", is_flag=True, help="Toon en controleer de wijzigingen; schrijf niets.")
@click.option("--correctie", "correction", metavar="REDEN",
              help="Sta toe dat een bedrag wijzigt dat al tarieven van een afgelopen jaar bepaalde; de correctie "
                   "wordt met deze reden, de datum en het vorige bedrag vastgelegd.")
def import_zin(source: Path, data: Path | None, dry_run: bool, correction: str | None) -> None:
    """Neem een ZIN-tarievenlijst (CSV, ook zoals Excel die in het Nederlands opslaat) over in
    parameters/zin_tarieven.csv: nieuwe perioden erbij, bestaande regels blijven staan."""
    from tariefmodel.upkeep.zinimport import import_zin_list

    root = editable_root(data)
    result = guard(import_zin_list, source, root, dry_run=dry_run, correction=correction)
    for line in result.lines():
        click.echo(line)
    if result.change is None or not result.change.files:
        click.echo("Geen wijzigingen; er is niets geschreven.")
    elif dry_run:
        click.echo("Gecontroleerd (--dry-run); er is niets geschreven.")
    else:
        click.echo(f"Gecontroleerd en geschreven naar {root / 'parameters' / 'zin_tarieven.csv'}. Leg vast met: "
                   f"git -C {root} add -A && git -C {root} commit -m \"...\"")


COMMANDS = (export_group, import_group)
