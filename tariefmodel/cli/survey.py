"""Commands of the cost-price survey (kostprijsonderzoek), registered on the main ``tariefmodel`` group.

    tariefmodel survey template --out vragenlijst.xlsx [--jaar J]
    tariefmodel survey import MAP|F.xlsx ... [--data DIR]
    tariefmodel survey report [--jaar J] --out rapport.html|rapport.xlsx
    tariefmodel survey benchmarks --jaar J

This module imports nothing from the other cli modules (no import cycle): it has its
own options and its own error type. Exit codes: 0 success, 2 invalid input. ``import``
is the one exception to "nothing written on bad input": every valid questionnaire is
stored even when others are refused, and the exit code is then 2.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from tariefmodel.data.problems import Problem
    from tariefmodel.data.region import Region

EXIT_INPUT = 2


class SurveyError(click.ClickException):
    """Invalid input of a survey command: a Dutch message on stderr, exit 2."""

    exit_code = EXIT_INPUT

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"FOUT: {self.format_message()}", err=True)


class SurveyInputError(SurveyError):
    """Invalid input files: every problem on its own line, then how many, and that nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} fout(en); er is niets geschreven.")

    def show(self, file: IO[Any] | None = None) -> None:
        for p in self.problems:
            click.echo(str(p), err=True)
        click.echo(self.format_message(), err=True)


DATA = click.option("--data", "data", type=click.Path(path_type=Path, file_okay=False),
                    help="Gegevensmap van de regio (parameters/, cao_tables/, survey/). Standaard: de meegeleverde "
                         "voorbeeldregio.")
JAAR = click.option("--jaar", "jaar", type=int, help="Het jaar van het onderzoek. Standaard: het standaardjaar van "
                                                     "de regio.")


def _region(data: Path | None) -> Region:
    from tariefmodel.data.bundled import bundled_region
    from tariefmodel.data.problems import InputError
    from tariefmodel.loader.load import load_region

    try:
        return load_region(data if data is not None else bundled_region())
    except InputError as exc:
        raise SurveyInputError(exc.problems) from exc


def _guard(fn: Any, *args: Any, **kwargs: Any) -> Any:
    from tariefmodel.data.problems import InputError

    try:
        return fn(*args, **kwargs)
    except InputError as exc:
        raise SurveyInputError(exc.problems) from exc


@click.group(name="survey")
def survey_group() -> None:
    """Kostprijsonderzoek: vragenlijst, import van ingevulde vragenlijsten, rapport en benchmarks."""


@survey_group.command("template")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="De vragenlijst (.xlsx).")
@JAAR
@DATA
def template(out: Path, jaar: int | None, data: Path | None) -> None:
    """De vragenlijst voor een aanbieder: een beveiligd werkboek waarin alleen de invoercellen open staan."""
    if out.suffix.lower() != ".xlsx":
        raise SurveyError(f"{out}: de vragenlijst is een .xlsx-bestand")
    from tariefmodel.outputs.survey_template import template_bytes, write_template
    from tariefmodel.survey.layout import catalogue
    from tariefmodel.survey.settings import load_settings

    region = _region(data)
    year = jaar or region.info.default_year
    settings = _guard(load_settings, region.root, year)
    cat = _guard(catalogue, region, year)
    write_template(out, template_bytes(cat, settings.min_respondents))
    click.echo(f"vragenlijst {year} ({len(cat.products)} producten, {len(cat.caos)} CAO-keuzes) geschreven naar {out}",
               err=True)


def _paths(args: tuple[Path, ...]) -> list[Path]:
    out: list[Path] = []
    for a in args:
        if a.is_dir():
            out += sorted(p for p in a.iterdir() if p.is_file() and p.suffix.lower() == ".xlsx"
                          and not p.name.startswith("~$"))  # Excel's lock files
        else:
            out.append(a)
    return out


@survey_group.command("import")
@click.argument("paths", metavar="PAD...", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@DATA
def import_(paths: tuple[Path, ...], data: Path | None) -> None:
    """Lees ingevulde vragenlijsten (bestanden of mappen met .xlsx) in de map survey/<jaar>/ van de regio.

    Elke geldige vragenlijst wordt opgeslagen, ook als andere worden geweigerd; een nieuwe inzending van
    dezelfde aanbieder (zelfde KvK-nummer) wordt een nieuwe versie, niets wordt overschreven. Afsluitcode 2 als
    er een ongeldige vragenlijst bij was (de geldige zijn dan wel opgeslagen).
    """
    from tariefmodel.data.fileio import sha256_of
    from tariefmodel.survey.checks import consistency
    from tariefmodel.survey.layout import catalogue
    from tariefmodel.survey.reading import read_many
    from tariefmodel.survey.store import store, versions

    region = _region(data)
    cat = _guard(catalogue, region, region.info.default_year, active_only=False)
    files = _paths(paths)
    if not files:
        raise SurveyError("geen .xlsx-bestanden gevonden in " + ", ".join(str(p) for p in paths))
    known: dict[int, dict[str, list[tuple[int, Path]]]] = {}
    counts = {"nieuw": 0, "nieuwe-versie": 0, "ongewijzigd": 0, "ongeldig": 0}
    n_warnings = 0
    for path, response, problems in read_many(files, cat):
        if response is None:
            counts["ongeldig"] += 1
            for p in problems:
                click.echo(str(p), err=True)
            continue
        warnings = consistency(response)
        n_warnings += bool(warnings)
        for _, message in warnings:
            click.echo(f"WAARSCHUWING {path}: {message}", err=True)
        year_versions = known.setdefault(response.year, versions(region.root, response.year))
        outcome = store(region.root, response, warnings, sha256_of(path), year_versions)
        counts[outcome.status] += 1
        click.echo(f"{path}: {outcome.status.replace('-', ' ')} (versie {outcome.version}, survey/{response.year}/)")
    valid = counts["nieuw"] + counts["nieuwe-versie"] + counts["ongewijzigd"]
    click.echo(f"{len(files)} vragenlijsten gelezen: {valid} geldig ({counts['nieuw']} nieuw, {counts['nieuwe-versie']} "
               f"nieuwe versie, {counts['ongewijzigd']} ongewijzigd), {counts['ongeldig']} ongeldig; "
               f"{n_warnings} met waarschuwingen. Geldige vragenlijsten zijn opgeslagen in survey/<jaar>/ van "
               f"{region.root}; ongeldige niet.")
    if counts["ongeldig"]:
        raise click.exceptions.Exit(EXIT_INPUT)


def _margin(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        margin = Decimal(value.replace(",", "."))
    except InvalidOperation as exc:
        raise SurveyError(f"--marge {value!r} is geen getal (schrijf 15% als 0.15)") from exc
    if not Decimal(0) <= margin <= Decimal(1):
        raise SurveyError(f"--marge {value} ligt niet tussen 0 en 1 (schrijf 15% als 0.15)")
    return margin


def _summary(region: Region, year: int, margin: Decimal | None) -> Any:
    from tariefmodel.engine.book import price_book
    from tariefmodel.survey.aggregate import summarise
    from tariefmodel.survey.settings import load_settings
    from tariefmodel.survey.store import load_latest, year_dir

    settings = _guard(load_settings, region.root, year)
    stored = _guard(load_latest, region.root, year)
    if not stored:
        raise SurveyError(f"geen antwoorden voor {year} in {year_dir(region.root, year)}: importeer eerst vragenlijsten "
                          f"met 'tariefmodel survey import'")
    book = _guard(price_book, region, year)
    return _guard(summarise, region, year, stored, settings, book, margin), stored


@survey_group.command("report")
@JAAR
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Het rapport: .html (een zelfstandige pagina, afdrukbaar op A4), .xlsx of .pdf (A4).")
@click.option("--marge", "marge", help="Grens voor 'onbedoelde ruimte' als fractie (0.15 = 15%). Standaard: "
                                       "surplus_margin in parameters/survey.yaml.")
@DATA
def report(jaar: int | None, out: Path, marge: str | None, data: Path | None) -> None:
    """Het rapport van het kostprijsonderzoek: per parameter n, gewogen mediaan, P25-P75, naast de modelwaarde."""
    suffix = out.suffix.lower()
    if suffix not in (".html", ".xlsx", ".pdf"):
        raise SurveyError(f"onbekend rapportformaat {out.suffix!r} voor {out}: gebruik .html, .xlsx of .pdf")
    from tariefmodel.data.fileio import sha256_of
    from tariefmodel.outputs import survey_report
    from tariefmodel.outputs.writers import Text, Workbook, write_output
    from tariefmodel.trail import manifest as mf

    margin = _margin(marge)
    region = _region(data)
    year = jaar or region.info.default_year
    result, stored = _summary(region, year, margin)
    command = ["survey", "report", "--jaar", str(year)] + (["--marge", str(margin)] if margin is not None else [])
    man = mf.build(region, command, out)
    # Beside the region's inputs: the answer files behind the figures (verify recomputes from them).
    man["survey_inputs"] = {s.file: sha256_of(region.root / s.file) for s in stored}
    content = Text(lambda m: survey_report.to_html(result, m)) if suffix == ".html" else \
        Workbook(lambda tmp, m: tmp.write_bytes(survey_report.xlsx_bytes(result, m)))
    if suffix == ".pdf":
        content = survey_report.pdf(result, region, year)
    write_output(out, content, man)
    click.echo(f"kostprijsonderzoek {year}: {result.n} respondenten, {len(result.findings)} bevindingen; geschreven "
               f"naar {out}", err=True)


@survey_group.command("benchmarks")
@click.option("--jaar", "jaar", type=int, required=True, help="Het jaar van het onderzoek.")
@DATA
def benchmarks(jaar: int, data: Path | None) -> None:
    """Schrijf de uitkomsten als benchmarks naar benchmarks/kostprijsonderzoek_<jaar>.yaml (voor de audit)."""
    from tariefmodel.data.fileio import atomic_write_bytes
    from tariefmodel.engine.pricing import YearParameters
    from tariefmodel.survey.benchmarks import benchmarks_file, checked, entries, yaml_bytes

    region = _region(data)
    result, _ = _summary(region, jaar, None)
    items = entries(result, str(_guard(YearParameters.of, region, jaar).v("overhead.convention")))
    if not items:
        raise SurveyError(f"elk cijfer van {jaar} steunt op minder dan {result.settings.min_respondents} respondenten: "
                          f"geen benchmarks geschreven")
    body = yaml_bytes(result, items)
    _guard(checked, body, region)
    target = region.root / benchmarks_file(jaar)
    atomic_write_bytes(target, body)
    click.echo(f"{len(items)} benchmarks (kostprijsonderzoek {jaar}, n = {result.n}) geschreven naar {target}", err=True)


COMMANDS = [survey_group]

__all__ = ["COMMANDS", "SurveyError", "SurveyInputError", "survey_group"]
