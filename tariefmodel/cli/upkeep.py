"""Commands that start and keep a region's data folder: ``init``, ``cao raise|add``, ``index add``, ``param set``.

Each upkeep command writes a new dated entry (never a past value), checks the
whole changed folder on a temporary copy first, and on any problem exits 2
with every problem named and nothing written. Registered on ``main`` by
``register(main)`` (one line at the end of cli/main.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tariefmodel.cli.common import editable_root
from tariefmodel.cli.errors import InputFailure

if TYPE_CHECKING:
    from tariefmodel.upkeep.stage import Change

_DATE = click.DateTime(formats=["%Y-%m-%d"])
_DATA = click.option("--data", "data", type=click.Path(path_type=Path, file_okay=False),
                     help="Gegevensmap. Standaard: $TARIEFMODEL_DATA, anders de dichtstbijzijnde map met "
                          "tariefmodel.toml vanaf de werkmap.")
_DRY = click.option("--dry-run", is_flag=True, help="Alles controleren en tonen; niets schrijven.")
_SOURCE = click.option("--source", required=True, help="De bron: document en pagina, of adres.")


def _decimal(text: str, option: str) -> Decimal:
    from tariefmodel.data.numbers import parse

    try:
        return parse(text.strip().rstrip("%"))
    except ValueError:
        raise InputFailure.of(f"{option} {text!r} is geen getal (bijvoorbeeld 3,5)") from None


def _root(data: Path | None) -> Path:
    return editable_root(data)


def _write(root: Path, change: Change, dry_run: bool) -> None:
    from tariefmodel.data.problems import InputError
    from tariefmodel.upkeep.stage import write

    try:
        write(root, change, dry_run=dry_run)
    except InputError as exc:
        raise InputFailure(exc.problems) from exc
    for line in change.summary:
        click.echo(line)
    if dry_run:
        click.echo("Gecontroleerd (--dry-run); er is niets geschreven.")
    else:
        click.echo(f"Gecontroleerd en geschreven ({len(change.files)} bestand(en)). Leg vast met: "
                   f"git -C {root} add -A && git -C {root} commit -m \"...\"")


# --------------------------------------------------------------------------- init


@click.command("init")
@click.argument("folder", metavar="MAP", type=click.Path(path_type=Path))
@click.option("--leeg", is_flag=True, help="Een minimaal skelet met TODO-bronnen in plaats van het voorbeeld.")
@click.option("--naam", help="Naam van de regio (in parameters/region.yaml en tariefmodel.toml).")
def init_command(folder: Path, leeg: bool, naam: str | None) -> None:
    """Maak de gegevensmap van een eigen regio (een git-repository met een eerste commit)."""
    from tariefmodel.data.problems import InputError
    from tariefmodel.upkeep.newregion import init_region

    try:
        created = init_region(folder, empty=leeg, name=naam)
    except InputError as exc:
        raise InputFailure(exc.problems) from exc
    for w in created.warnings:
        click.echo(f"WAARSCHUWING: {w}", err=True)
    commit = f", eerste commit {created.committed}" if created.committed else ""
    click.echo(f"Regio {created.name!r} aangemaakt in {created.path}{commit}.")
    click.echo(f"Volgende stap: cd {folder} && tariefmodel validate --data .   (zie LEESMIJ.md)")


# --------------------------------------------------------------------------- cao


@click.group("cao")
def cao_group() -> None:
    """Salaristabellen van een CAO: een afgeleide verhoging of een officiele tabel toevoegen."""


@cao_group.command("raise")
@click.argument("cao")
@click.option("--percentage", required=True, help="De verhoging in procenten, bijvoorbeeld 3 of 2,5.")
@click.option("--from", "start", required=True, type=_DATE, help="Ingangsdatum van de nieuwe tabel (JJJJ-MM-DD).")
@_SOURCE
@click.option("--minimum-bedrag", "minimum", help="Een vaste minimale verhoging per cel in euro's.")
@_DATA
@_DRY
def cao_raise(cao: str, percentage: str, start: dt.datetime, source: str, minimum: str | None, data: Path | None,
              dry_run: bool) -> None:
    """Een afgeleide tabel: elk bedrag van de tabel die de dag ervoor gold, verhoogd en op centen afgerond."""
    from tariefmodel.data.problems import InputError
    from tariefmodel.upkeep.caotables import raise_tables

    root = _root(data)
    try:
        change = raise_tables(root, cao, _decimal(percentage, "--percentage"), start.date(), source,
                              _decimal(minimum, "--minimum-bedrag") if minimum is not None else None)
    except InputError as exc:
        raise InputFailure(exc.problems) from exc
    _write(root, change, dry_run)


@cao_group.command("add")
@click.argument("cao")
@click.argument("table", metavar="TABEL.csv", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--from", "start", required=True, type=_DATE, help="Ingangsdatum van de tabel (JJJJ-MM-DD).")
@_SOURCE
@_DATA
@_DRY
def cao_add(cao: str, table: Path, start: dt.datetime, source: str, data: Path | None, dry_run: bool) -> None:
    """Een officiele salaristabel (CSV: scale,step,monthly_eur of number,monthly_eur of scale,step,number)."""
    from tariefmodel.data.problems import InputError
    from tariefmodel.upkeep.caotables import add_table

    root = _root(data)
    try:
        change = add_table(root, cao, start.date(), table, source)
    except InputError as exc:
        raise InputFailure(exc.problems) from exc
    _write(root, change, dry_run)


# --------------------------------------------------------------------------- index add


@click.command("add")
@click.argument("series", type=click.Choice(["ova", "ppc"]))
@click.option("--jaar", "year", required=True, type=int, help="Het jaar waarvoor het indexcijfer geldt.")
@click.option("--soort", "kind", required=True, type=click.Choice(["voorlopig", "definitief", "correctie"]),
              help="correctie: vervangt de laatste eerdere publicatie van dat jaar (die blijft staan).")
@click.option("--waarde", "value", required=True, help="Het indexcijfer in procenten, bijvoorbeeld 4,94.")
@click.option("--gepubliceerd", "published", required=True, type=_DATE, help="Publicatiedatum (JJJJ-MM-DD).")
@_SOURCE
@click.option("--notitie", "note", help="Een toelichting bij de publicatie.")
@_DATA
@_DRY
def index_add(series: str, year: int, kind: str, value: str, published: dt.datetime, source: str, note: str | None,
              data: Path | None, dry_run: bool) -> None:
    """Een nieuwe publicatie van OVA of PPC in parameters/indexation.yaml."""
    from tariefmodel.data.problems import InputError
    from tariefmodel.upkeep.indexpub import add_publication

    root = _root(data)
    try:
        change = add_publication(root, series, year, kind, _decimal(value, "--waarde"), published.date(), source, note)
    except InputError as exc:
        raise InputFailure(exc.problems) from exc
    _write(root, change, dry_run)


# --------------------------------------------------------------------------- param set


@click.group("param")
def param_group() -> None:
    """Gedateerde parameters van parameters/cost_model.yaml."""


@param_group.command("set")
@click.argument("path", metavar="PAD")
@click.argument("value", metavar="WAARDE")
@click.option("--from", "start", required=True, type=_DATE, help="Vanaf wanneer de waarde geldt (JJJJ-MM-DD).")
@_SOURCE
@click.option("--afweging", help="Waarom deze waarde (standaard: de tekst van --besluit).")
@click.option("--besluit", help="Het besluit dat de waarde vaststelt, bijvoorbeeld 'Collegebesluit 2026/123'.")
@click.option("--besloten-door", "decided_by", help="Wie besloot (met --besloten-op: status adopted).")
@click.option("--besloten-op", "decided_on", type=_DATE, help="Wanneer besloten (JJJJ-MM-DD).")
@click.option("--aanname", is_flag=True, help="De waarde is een aanname, geen gevonden cijfer.")
@click.option("--correctie", "correction", metavar="REDEN",
              help="Herschrijft een waarde die al tarieven bepaalde; de reden wordt vastgelegd.")
@_DATA
@_DRY
def param_set(path: str, value: str, start: dt.datetime, source: str, afweging: str | None, besluit: str | None,
              decided_by: str | None, decided_on: dt.datetime | None, aanname: bool, correction: str | None,
              data: Path | None, dry_run: bool) -> None:
    """Een nieuwe gedateerde waarde; de vorige blijft staan en krijgt een einddatum."""
    from tariefmodel.data.problems import InputError, Problem
    from tariefmodel.data.schema import is_placeholder
    from tariefmodel.upkeep.dated import set_parameter
    from tariefmodel.upkeep.stage import Change, read_text

    rel = "parameters/cost_model.yaml"
    root = _root(data)
    problems = []
    rationale = afweging or besluit
    if not rationale:
        problems.append(Problem(rel, path, "geef --afweging (waarom deze waarde) of --besluit"))
    if (decided_by is None) != (decided_on is None):
        problems.append(Problem(rel, path, "--besloten-door en --besloten-op horen bij elkaar"))
    if is_placeholder(source):
        problems.append(Problem(rel, path, f"{source!r} is geen bron: noem het document en de pagina of het adres"))
    if problems:
        raise InputFailure(problems)
    entry = {"from": start.date(), "source": source, "rationale": rationale,
             "decided_by": decided_by, "decided_on": decided_on.date() if decided_on else None,
             "status": "adopted" if decided_by else "draft", "assumption": True if aanname else None,
             "decision": besluit}
    try:
        text, plan = set_parameter(read_text(root, rel), path, value, entry, correction=correction)
    except InputError as exc:
        raise InputFailure(exc.problems) from exc
    change = Change()
    change.put(root, rel, text.encode("utf-8"))
    change.summary.extend(plan.describe(path))
    _write(root, change, dry_run)


COMMANDS = [init_command, cao_group, param_group]  # and index_add, on the index group (cli/main.py)
