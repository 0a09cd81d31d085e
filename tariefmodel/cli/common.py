"""What every command group shares: the options (declared once), loading the region, turning bad input into exit 2.

Nothing heavy is imported here: pydantic, rich and the engine are imported inside the
functions, so registering the commands costs nothing at start-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tariefmodel.cli.errors import InputFailure

if TYPE_CHECKING:
    from tariefmodel.data.region import Region

T = TypeVar("T")

DATA = click.option(
    "--data", "data", type=click.Path(path_type=Path, file_okay=False),
    metavar="MAP",
    help="Gegevensmap (parameters/, cao_tables/, benchmarks/, scenarios/). Standaard: $TARIEFMODEL_DATA, anders de "
         "dichtstbijzijnde map hogerop met tariefmodel.toml, anders de meegeleverde voorbeeldregio.",
)
# Years no data can price: refused before anything is loaded (``--year 0`` used to price the default year).
# Within these, load_region_or_fail bounds the year by the data (see supported_years).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _check_year(_ctx: click.Context, _param: click.Parameter, value: int | None) -> int | None:
    if value is not None and not FIRST_YEAR <= value <= LAST_YEAR:
        raise InputFailure.of(f"--year {value} is geen tariefjaar: kies een jaar van {FIRST_YEAR} tot en met {LAST_YEAR}")
    return value


YEAR = click.option("--year", type=int, metavar="JAAR", callback=_check_year,
                    help="Tariefjaar. Standaard: het standaardjaar van de regio.")
KNOWN_ON = click.option(
    "--known-on", "known_on", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="PEILDATUM",
    help="Gebruik alleen de indexcijfers die op deze peildatum gepubliceerd waren (JJJJ-MM-DD). Standaard: de "
         "laatste.")
SCENARIO = click.option("--scenario", default="basis", show_default=True,
                        metavar="NAAM", help="Een scenario uit scenarios/ (basis: de gegevens zonder wijzigingen).")

TABLES = (".csv", ".json", ".xlsx")
WORKBOOK = (".xlsx",)


def check_format(out: Path | None, suffixes: tuple[str, ...]) -> None:
    """The one output-format check: ``out`` must end in one of ``suffixes``."""
    if out is not None and out.suffix.lower() not in suffixes:
        names = [s for s in suffixes]
        allowed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " of " + names[-1]
        raise InputFailure.of(f"onbekend uitvoerformaat {out.suffix!r} voor {out}: gebruik {allowed}")


def out_option(suffixes: tuple[str, ...], help: str, *, required: bool = False) -> Callable[[T], T]:
    """``--out FILE`` accepting only ``suffixes`` (checked before anything is computed); with .csv also ``--excel-nl``."""

    def check(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
        check_format(value, suffixes)
        return value

    out = click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=required,
                       callback=check, metavar="BESTAND", help=help)
    if ".csv" not in suffixes:
        return out
    return lambda f: out(EXCEL_NL(f))


CSV_DIALECT = "tariefmodel.csv_dialect"  # where --excel-nl leaves its choice (click's ctx.meta)


def _remember_dialect(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[CSV_DIALECT] = "excel-nl"


EXCEL_NL = click.option(
    "--excel-nl", is_flag=True, expose_value=False, callback=_remember_dialect,
    help="Een .csv voor Nederlandse Excel: puntkomma als scheidingsteken, decimale komma, UTF-8 met BOM. "
         "Standaard: RFC 4180 (komma, decimale punt) voor programma's.")


def csv_dialect(out: Path) -> str:
    """The CSV dialect of this run: 'excel-nl' with --excel-nl (only for a .csv), else 'rfc4180'."""
    dialect = click.get_current_context().meta.get(CSV_DIALECT, "rfc4180")
    if dialect != "rfc4180" and out.suffix.lower() != ".csv":
        raise InputFailure.of(f"--excel-nl geldt alleen voor een .csv-bestand, niet voor {out}")
    return str(dialect)


def dialect_args(dialect: str) -> list[str]:
    """The ``--excel-nl`` part of the command a manifest records, so that verify recomputes the same bytes."""
    return ["--excel-nl"] if dialect == "excel-nl" else []


def known_on_date(known_on: dt.datetime | None) -> dt.date | None:
    return known_on.date() if known_on else None


def known_on_args(known_on: dt.datetime | None) -> list[str]:
    """The ``--known-on`` part of the command a manifest records."""
    return ["--known-on", known_on.date().isoformat()] if known_on else []


def data_root(data: Path | None) -> Path:
    """The data folder, found as git finds its repository (see :mod:`tariefmodel.loader.locate`)."""
    from tariefmodel.loader.locate import locate_data

    return locate_data(data).path


def editable_root(data: Path | None) -> Path:
    """The data folder a command may change (located as git finds a repository); never the bundled example."""
    from tariefmodel.loader.locate import BY_DEFAULT, locate_data

    located = locate_data(data)
    if located.how == BY_DEFAULT:
        raise InputFailure.of("geen gegevensmap gevonden (geen --data, geen TARIEFMODEL_DATA, geen tariefmodel.toml "
                   "in deze map of erboven); het meegeleverde voorbeeld wordt niet gewijzigd. Maak een eigen "
                   "regio met 'tariefmodel init MAP'.")
    click.echo(f"Gegevensmap: {located.path}", err=True)
    return located.path


def load_region_or_fail(data: Path | None, *, use_cache: bool = True) -> Region:
    """The region of the located data folder; says on stderr which one; invalid input ends with exit 2."""
    from tariefmodel.loader.load import load_region
    from tariefmodel.loader.locate import describe, locate_data

    located = locate_data(data)
    region = guard(load_region, located.path, use_cache=use_cache)
    click.echo(describe(located, region), err=True)
    ctx = click.get_current_context(silent=True)
    year = ctx.params.get("year") if ctx is not None else None
    if isinstance(year, int):
        first, last = supported_years(region)
        if not first <= year <= last:
            raise InputFailure.of(f"--year {year} ligt buiten de jaren die deze gegevens kunnen prijzen: "
                                  f"{first} tot en met {last} (tot het einde van de langste contractlooptijd)")
    return region


def supported_years(region: Region) -> tuple[int, int]:
    """The tariff years the data can price: FIRST_YEAR up to the last year of the longest contract term.

    Later years have no contract to price for (the engine would index on without end). Earlier years are
    bounded by FIRST_YEAR only: there a missing dated value names the exact parameter, which says more.
    """
    ends = [c.start.year + sum(c.term_years) - 1 for c in region.contracts.values()]
    cao_years = [t.effective.year for cao in region.caos.values() for t in cao.tables]
    last = max([*ends, *cao_years, region.info.default_year]) if ends else LAST_YEAR
    return FIRST_YEAR, min(last, LAST_YEAR)


def guard(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn``; invalid input (InputError, a missing parameter value) ends the command with exit 2."""
    from tariefmodel.data.params import MissingValue
    from tariefmodel.data.problems import InputError

    try:
        return fn(*args, **kwargs)
    except InputError as exc:
        raise InputFailure(exc.problems) from exc
    except MissingValue as exc:
        raise InputFailure([exc.problem]) from exc


def esc(*cells: object) -> list[str]:
    """Table cells as literal text: rich would take '[001:483]' or '[key=...]' for markup and drop it, and a
    control character from the data (an ANSI escape, NUL, CR) is shown as ``\\x1b`` rather than obeyed."""
    from rich.markup import escape

    from tariefmodel.data.problems import visible

    return [escape(visible(c)) for c in cells]


def write_tariff_table(out: Path, rows: list[dict[str, object]], sheet: str, region: Region, command: list[str], *,
                       columns: list[str] | None = None, numeric: set[str] | None = None,
                       money: set[str] | None = None, meta: dict[str, object] | None = None) -> None:
    """A tariff table (calculate, index apply, recalibrate) through the one writer, with its manifest."""
    from tariefmodel.outputs.tariff_rows import BUILDUP_COLUMNS, COLUMNS
    from tariefmodel.outputs.writers import Table, Tables, write_output
    from tariefmodel.trail import manifest as mf

    dialect = csv_dialect(out)
    cols = columns or COLUMNS
    table = Table(sheet, cols, rows, money=frozenset(money if money is not None else {"tariff_eur", "hour_tariff_eur"}),
                  numeric=frozenset(numeric if numeric is not None else BUILDUP_COLUMNS))
    body: dict[str, object] = {} if meta is None else {"meta": meta}
    body.update({"columns": cols, "tariffs": rows})
    write_output(out, Tables([table], json=body), mf.build(region, [*command, *dialect_args(dialect)], out),
                 csv_dialect=dialect)


def invoked_command(skip: tuple[str, ...] = ("data", "out")) -> list[str]:
    """The running command as the manifest records it: its words, arguments and options, without --data and --out.

    Rebuilt from what click parsed (the raw arguments are gone by now), so a rerun by
    ``verify`` gives the command exactly the values this run had.
    """
    ctx = click.get_current_context()
    words: list[str] = []
    c: click.Context | None = ctx
    while c is not None and c.parent is not None:
        words.insert(0, str(c.info_name))
        c = c.parent
    args: list[str] = []
    opts: list[str] = []
    for p in ctx.command.params:
        if p.name in skip or p.name is None:
            continue
        value = ctx.params.get(p.name)
        if isinstance(p, click.Argument):
            args += [_arg(v) for v in (value if isinstance(value, tuple | list) else [value]) if v is not None]
        elif isinstance(p, click.Option):
            name = max(p.opts, key=len)
            if p.is_flag:
                opts += [name] if value else []
            elif p.multiple:
                for v in value or ():
                    opts += [name, _arg(v)]
            elif value is not None:
                opts += [name, _arg(value)]
    return words + args + opts + dialect_args(ctx.meta.get(CSV_DIALECT, "rfc4180"))


def _arg(value: object) -> str:
    return value.date().isoformat() if isinstance(value, dt.datetime) else str(value)


def write_tables(out: Path, region: Region, sheets: list[tuple[str, list[str], list[dict[str, Any]]]], *,
                 money: set[str] | None = None, numeric: set[str] | None = None,
                 meta: dict[str, Any] | None = None) -> None:
    """Scenario and budget tables through the one writer, with the manifest of the running command."""
    from tariefmodel.outputs.scenario_tables import tables
    from tariefmodel.outputs.writers import write_output
    from tariefmodel.trail import manifest as mf

    write_output(out, tables(sheets, money=money, numeric=numeric, meta=meta), mf.build(region, invoked_command(), out),
                 csv_dialect=csv_dialect(out))


def written(out: Path, what: str) -> None:
    click.echo(f"{what} geschreven naar {out}", err=True)
