"""The tariff book: ``tariefmodel calculate | explain | provider | validate | schema``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tariefmodel.cli.common import (
    DATA,
    KNOWN_ON,
    TABLES,
    YEAR,
    esc,
    guard,
    known_on_args,
    known_on_date,
    load_region_or_fail,
    out_option,
    write_tariff_table,
)
from tariefmodel.cli.errors import InputFailure

if TYPE_CHECKING:
    from tariefmodel.data.region import Region


@click.command()
@DATA
@YEAR
@KNOWN_ON
@out_option(TABLES, "Schrijf het tarievenboek naar .csv, .json of .xlsx (atomair). Standaard: een tabel in de terminal.")
def calculate(data: Path | None, year: int | None, known_on: dt.datetime | None, out: Path | None) -> None:
    """Bereken het hele productenboek voor een tariefjaar: een rij per product, cao-variant, micro en aanbieder."""
    from tariefmodel.engine.book import price_book
    from tariefmodel.outputs.tariff_rows import rows

    region = load_region_or_fail(data)
    y = year or region.info.default_year
    book = guard(price_book, region, y, known_on_date(known_on))
    table = rows(book.tariffs)
    _warn_lost(region, book, y)
    if out is None:
        _print_table(table, region, y)
        return
    command = ["calculate", "--year", str(y), *known_on_args(known_on)]
    write_tariff_table(out, table, f"Tarieven {y}", region, command, meta=_meta(region, y))
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
    """Every row of the book, told apart: a row is a product, variant, micro or not, provider and version."""
    from decimal import Decimal

    from rich.console import Console
    from rich.table import Table

    from tariefmodel.data.numbers import eur

    t = Table(title=f"{region.info.name}: tarieven {year}", show_lines=False)
    for col, just in (("code", "left"), ("product", "left"), ("eenheid", "left"), ("variant", "left"),
                      ("micro", "left"), ("aanbieder", "left"), ("versie", "left"), ("tarief", "right")):
        t.add_column(col, justify=just, no_wrap=col != "product")  # type: ignore[arg-type]
    for r in table:
        t.add_row(*esc(r["product_code"], r["product_name"], r["unit"], r["variant"], "ja" if r["micro"] else "",
                       r["provider"], r["version"], eur(Decimal(str(r["tariff_eur"])))))
    Console(width=160).print(t)


def _warn_lost(region: Region, book: object, year: int) -> None:
    """A product of the region without any tariff this year (an external tariff with no value for the year)."""
    priced = {t.product.product.code for t in book.tariffs}  # type: ignore[attr-defined]
    day = dt.date(year, 1, 1)
    lost = [b.product for b in (*region.products, *region.external) if b.product.code not in priced
            and (getattr(b.product, "valid_from", None) or day) <= dt.date(year, 12, 31)
            and (getattr(b.product, "valid_until", None) or day) >= day]
    if lost:
        names = ", ".join(f"{p.code} {p.name}" for p in lost)
        click.echo(f"WAARSCHUWING: {len(lost)} product(en) zonder tarief in {year}, niet in het boek: {names}. "
                   f"Een extern tarief zonder waarde voor {year} (parameters/external_tariffs.yaml) of een "
                   f"ontbrekende opbouw; zie tariefmodel validate --year {year}.", err=True)


@click.command()
@click.argument("product_code", metavar="PRODUCTCODE")
@click.option("--variant", help="Een cao-sleutel, 'basistarief', 'pgb-<categorie>' of 'extern' (standaard: de eerste cao).")
@click.option("--micro", is_flag=True, help="Het micro-ondernemingstarief van die variant.")
@click.option("--provider", "provider", default="", help="Een tarief voor één aanbieder (addendum of ingroeipad).")
@DATA
@YEAR
@click.option("--json", "as_json", is_flag=True, help="De opbouw als JSON.")
@out_option((".pdf", ".json", ".md"), "Schrijf de opbouw naar een bestand: .pdf (met watervalgrafiek, A4), .json of "
            ".md; met het runmanifest, te controleren met tariefmodel verify.")
def explain(product_code: str, variant: str | None, micro: bool, provider: str, data: Path | None,
            year: int | None, as_json: bool, out: Path | None) -> None:
    """Toon de opbouw van één tarief, stap voor stap, met elke parameter en zijn bron."""
    from tariefmodel.engine.book import price_book

    region = load_region_or_fail(data)
    y = year or region.info.default_year
    codes = [b.product.code for b in (*region.products, *region.external)]
    if product_code not in codes:
        raise InputFailure.of(f"onbekende productcode {product_code!r} (bekende codes zijn onder meer "
                              f"{', '.join(codes[:8])}, ...)")
    book = guard(price_book, region, y)
    rows = [t for t in book.tariffs if t.product.product.code == product_code]
    if not rows:
        raise InputFailure.of(f"product {product_code} is niet geldig in {y}: het heeft dat tariefjaar geen tarief")
    v = variant or rows[0].variant
    chosen = [t for t in rows if t.variant == v and t.micro == micro and t.provider == provider]
    if not chosen:
        options = sorted({f"--variant {t.variant}" + (" --micro" if t.micro else "")
                          + (f" --provider {t.provider}" if t.provider else "") for t in rows})
        raise InputFailure.of(f"product {product_code} heeft geen variant {v!r}" + (" (micro)" if micro else "")
                              + (f" voor aanbieder {provider!r}" if provider else "") + f" in {y}; kies uit: "
                              + "; ".join(options))
    from tariefmodel.trail import explain as ex

    t = chosen[0]
    if out is not None:
        _write_explain(out, t, region, y, [product_code, "--variant", v, *(["--micro"] if micro else []),
                                          *(["--provider", provider] if provider else [])])
        return
    if as_json:
        from tariefmodel.outputs.writers import json_bytes

        click.echo(json_bytes(ex.to_dict(t)).decode("utf-8"), nl=False)
    else:
        click.echo(ex.to_text(t, {k: c.meta.name for k, c in region.caos.items()}), nl=False)


def _write_explain(out: Path, t: object, region: Region, year: int, args: list[str]) -> None:
    """explain --out: the build-up as PDF, JSON or Markdown, through the one writer with its manifest."""
    from tariefmodel.outputs.writers import Tables, Text, write_output
    from tariefmodel.trail import explain as ex
    from tariefmodel.trail import manifest as mf

    text = ex.to_text(t, {k: c.meta.name for k, c in region.caos.items()})
    suffix = out.suffix.lower()
    if suffix == ".pdf":
        from tariefmodel.outputs.pdf_documents import explain_pdf

        content: object = explain_pdf(t, text, region)
    elif suffix == ".json":
        content = Tables([], json=ex.to_dict(t))
    else:
        content = Text(lambda man: f"# Opbouw van het tarief\n\n```\n{text.rstrip()}\n```\n\n{mf.html_comment(man)}\n")
    write_output(out, content, mf.build(region, ["explain", *args, "--year", str(year)], out))  # type: ignore[arg-type]
    click.echo(f"opbouw van {args[0]} ({year}) geschreven naar {out}", err=True)


@click.command()
@click.argument("provider_key", metavar="AANBIEDER")
@DATA
@YEAR
@click.option("--json", "as_json", is_flag=True, help="De tarieven en redenen als JSON.")
def provider(provider_key: str, data: Path | None, year: int | None, as_json: bool) -> None:
    """Alle tarieven die een aanbieder krijgt (opgegeven cao of basistarief, micro of niet, addenda) en waarom."""
    from tariefmodel.engine.book import price_book
    from tariefmodel.engine.variants import micro_status, provider_view

    region = load_region_or_fail(data)
    if provider_key not in region.providers:
        known = ", ".join(sorted(region.providers)) or "geen: de regio heeft geen parameters/providers.yaml"
        raise InputFailure.of(f"onbekende aanbieder {provider_key!r} (bekend: {known})")
    y = year or region.info.default_year
    book = guard(price_book, region, y)
    prov = region.providers[provider_key]
    status = guard(micro_status, prov, region.differentiation, dt.date(y, 1, 1))
    view = guard(provider_view, region, book, provider_key)
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

    from tariefmodel.data.numbers import eur

    console = Console(width=160)
    name, key, ident, cao, reason, contracts = esc(prov.name, prov.key, prov.identifier, prov.cao, status.reason,
                                                    ", ".join(prov.contracts))
    console.print(f"[bold]{name}[/bold] ({key}, {ident}), tariefjaar {y}")
    console.print(f"  CAO bij inschrijving: {cao}; {reason}")
    console.print(f"  contracten: {contracts}")
    table = Table(show_lines=False)
    for col, just in (("code", "left"), ("product", "left"), ("variant", "left"), ("micro", "left"),
                      ("tarief", "right"), ("reden", "left")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for t, why in view:
        table.add_row(*esc(t.product.product.code, t.product.product.name, t.variant, "ja" if t.micro else "",
                      eur(t.tariff_eur), why))
    console.print(table)


@click.command()
@DATA
@click.option("--year", "years", type=int, multiple=True,
              help="Bereken het boek ook voor dit tariefjaar (herhaalbaar). Standaard: het standaardjaar van de regio.")
def validate(data: Path | None, years: tuple[int, ...]) -> None:
    """Controleer elk invoerbestand en bereken het boek; meldt alle problemen, niet alleen het eerste."""
    from tariefmodel.data.problems import InputError
    from tariefmodel.engine.book import price_book

    region = load_region_or_fail(data, use_cache=False)  # validate always checks every file afresh
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
        raise InputFailure(problems)
    for p in problems:
        click.echo(str(p), err=True)
    priced = ", ".join(f"{y}: {n} tarieven" for y, n in counts)
    click.echo(f"OK: {len(region.files)} bestanden, {len(region.products)} producten, "
               f"{len(region.caos)} CAO's, {len(region.benchmarks)} benchmarks; {priced}")


@click.command()
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("schemas"),
              show_default=True, help="Map voor de JSON Schema-bestanden.")
def schema(out: Path) -> None:
    """Publiceer het JSON Schema van elk invoerformaat."""
    # Definitions of the input formats, not results of a run: they carry no manifest.
    from tariefmodel.data.fileio import atomic_write_bytes
    from tariefmodel.data.formats import INPUT_FORMATS
    from tariefmodel.outputs.writers import json_bytes

    for name, model in INPUT_FORMATS.items():
        atomic_write_bytes(out / f"{name}.schema.json", json_bytes(model.model_json_schema()))
    click.echo(f"{len(INPUT_FORMATS)} schema's geschreven naar {out}", err=True)


COMMANDS = (calculate, explain, provider, validate, schema)
