"""Indexation: ``tariefmodel index rate | apply`` and ``tariefmodel recalibrate``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from tariefmodel.cli.common import (
    DATA,
    KNOWN_ON,
    TABLES,
    esc,
    guard,
    known_on_args,
    known_on_date,
    load_region_or_fail,
    out_option,
    write_tariff_table,
)
from tariefmodel.cli.errors import InputFailure


@click.group()
def index() -> None:
    """Indexatie: het indexpercentage voor aanbieders van een jaar, en tarievenboeken geïndexeerd over meerdere jaren."""


@index.command("rate")
@click.option("--year", type=int, required=True, metavar="JAAR", help="Het jaar van de indexatie.")
@click.option("--method", metavar="METHODE",
              help="Een indexatiemethode uit parameters/indexation.yaml. Standaard: de methode die de regio voor "
                   "dat jaar toewijst.")
@click.option("--first-year", is_flag=True, help="Het eerste jaar van een nieuw contract: geen correctie over het jaar ervoor.")
@KNOWN_ON
@DATA
def index_rate(year: int, method: str | None, first_year: bool, known_on: dt.datetime | None,
               data: Path | None) -> None:
    """Toon het indexpercentage voor aanbieders van een jaar met de afleiding."""
    from tariefmodel.data.numbers import date, pct
    from tariefmodel.engine.indexation import LATEST, method_rate

    region = load_region_or_fail(data)
    ix = region.indexation
    if ix is None:
        raise InputFailure.of("deze regio heeft geen parameters/indexation.yaml")
    assigned = _assigned_methods(ix, year)
    m = method or (next(iter(assigned)) if assigned else "vng" if "vng" in ix.methods else next(iter(ix.methods)))
    if m not in ix.methods:
        raise InputFailure.of(f"onbekende methode {m!r} (methoden: {', '.join(ix.methods)})")
    d = guard(method_rate, ix, m, year, known_on_date(known_on) or LATEST, first_year=first_year)
    label = ix.methods[m].label
    click.echo(f"Indexatie {year}, methode {m}: {label}" + (f" (bekend op {date(known_on.date())})" if known_on else ""))
    for what, value in d.lines:
        click.echo(f"  {what}: {value}")
    if d.kind == "components":
        click.echo("  per product: loonaandeel x OVA + materieel aandeel x PPC (zie index apply)")
    elif d.kind == "follow_cao":
        click.echo("  per tarief: herberekening met de CAO-tabellen van het jaar (zie index apply)")
    else:
        click.echo(f"INDEXATIE {year}: {pct(d.rate)}")
    if method is None and assigned:
        click.echo(f"methode {m}: toegewezen aan {', '.join(assigned[m])} in {year}")
        others = [f"{k} ({', '.join(v)})" for k, v in assigned.items() if k != m]
        if others:
            click.echo(f"ook toegewezen in {year}: {'; '.join(others)}; kies met --method")


def _assigned_methods(ix: Any, year: int) -> dict[str, list[str]]:
    """The methods the region assigns on 1 January of ``year``, each with its contracts.

    First the VNG contract standard ('vng') when the region assigns it that year, then the others by the
    number of contracts that use them: the first is what ``index rate`` shows without --method.
    """
    from tariefmodel.data.params import MissingValue
    from tariefmodel.engine.indexation import assigned_method

    found: dict[str, list[str]] = {}
    for a in ix.assignments:
        for product in a.products or [""]:
            try:
                chosen = assigned_method(ix, a.contract, product, year)
            except MissingValue:
                continue
            where = a.contract + (f" ({product})" if product else "")
            if where not in found.setdefault(chosen.method, []):
                found[chosen.method].append(where)
    return dict(sorted(found.items(), key=lambda kv: (kv[0] != "vng", -len(kv[1]))))  # ties: the file's order


@index.command("apply")
@click.option("--from", "year_from", type=int, required=True, metavar="JAAR", help="Eerste tariefjaar.")
@click.option("--to", "year_to", type=int, required=True, metavar="JAAR", help="Laatste tariefjaar.")
@KNOWN_ON
@DATA
@out_option(TABLES, "Schrijf de tarievenboeken van alle jaren naar één .csv, .json of .xlsx. Standaard: een samenvatting.")
def index_apply(year_from: int, year_to: int, known_on: dt.datetime | None, data: Path | None,
                out: Path | None) -> None:
    """Het tarievenboek van elk jaar van --from tot en met --to, elk later contractjaar geïndexeerd."""
    if year_to < year_from:
        raise InputFailure.of(f"--to {year_to} ligt voor --from {year_from}")
    from tariefmodel.data.problems import InputError
    from tariefmodel.engine.book import price_book
    from tariefmodel.outputs.tariff_rows import rows

    region = load_region_or_fail(data)
    table: list[dict[str, object]] = []
    summary = []
    problems = []
    for y in range(year_from, year_to + 1):
        try:
            book = price_book(region, y, known_on_date(known_on))
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
        raise InputFailure(problems)
    if out is None:
        from decimal import Decimal

        from tariefmodel.data.numbers import pct

        for y, n, methods in summary:
            used = "; ".join(f"{m}: {', '.join(pct(Decimal(x)) for x in sorted(r))}"
                             for m, r in sorted(methods.items())) or "kostprijsmodel"
            click.echo(f"{y}: {n} tarieven; {used}")
        return
    command = ["index", "apply", "--from", str(year_from), "--to", str(year_to), *known_on_args(known_on)]
    write_tariff_table(out, table, f"Tarieven {year_from}-{year_to}", region, command)
    click.echo(f"{len(table)} tarieven ({year_from}-{year_to}) geschreven naar {out}", err=True)


@click.command()
@click.option("--year", type=int, required=True, metavar="JAAR", help="Het tariefjaar dat opnieuw wordt opgebouwd.")
@click.option("--threshold", type=float, metavar="FRACTIE",
              help="Markeer verschillen groter dan deze fractie (0.02 = 2%). Standaard: de parameter.")
@KNOWN_ON
@DATA
@out_option(TABLES, "Schrijf naar .csv, .json of .xlsx.")
def recalibrate(year: int, threshold: float | None, known_on: dt.datetime | None, data: Path | None,
                out: Path | None) -> None:
    """Bouw elk tarief opnieuw op uit de parameters en cao-tabellen van het jaar; vergelijk met het geïndexeerde tarief."""
    if threshold is not None and not 0 <= threshold < 1:
        raise InputFailure.of(f"--threshold {threshold} is geen fractie: schrijf 2% als 0.02")
    from decimal import Decimal

    from tariefmodel.engine.book import price_book
    from tariefmodel.engine.variants import calibrated_book

    region = load_region_or_fail(data)
    indexed = guard(price_book, region, year, known_on_date(known_on))
    rebuilt = guard(calibrated_book, region, year)
    from tariefmodel.engine.checks import recalibration_threshold

    limit = Decimal(str(threshold)) if threshold is not None else recalibration_threshold(region, year)
    if limit is None:
        raise InputFailure.of("geen drempel: geef --threshold of checks.recalibration_threshold in "
                              "parameters/cost_model.yaml")

    new = {t.key: t for t in rebuilt.tariffs}
    columns = ["product_code", "product_name", "variant", "micro", "provider", "version", "year", "indexed_eur",
               "recalibrated_eur", "difference_eur", "difference_pct", "flag", "index_method"]
    table = []
    for t in indexed.tariffs:
        if t.kind == "extern" or t.key not in new:
            continue
        r = new[t.key]
        diff = r.tariff_eur - t.tariff_eur
        pct = diff / t.tariff_eur if t.tariff_eur else Decimal(0)
        table.append({
            "product_code": t.product.product.code, "product_name": t.product.product.name, "variant": t.variant,
            "micro": t.micro, "provider": t.provider, "version": t.version, "year": year,
            "indexed_eur": f"{t.tariff_eur:.2f}",
            "recalibrated_eur": f"{r.tariff_eur:.2f}", "difference_eur": f"{diff:.2f}",
            "difference_pct": f"{pct * 100:.2f}", "flag": "AFWIJKING" if abs(pct) > limit else "",
            "index_method": t.index_method or (
                "afgeleid van het basistarief" if t.kind == "pgb" else "kostprijsmodel"),
        })
    flagged = sum(1 for r in table if r["flag"])
    if out is None:
        from rich.console import Console
        from rich.table import Table

        from tariefmodel.data.numbers import eur, pct

        tab = Table(title=f"Herijking {year}: geïndexeerd tegen herberekend (grens {pct(limit, 1)})")
        for col in ("code", "product", "variant", "micro", "aanbieder", "versie", "geïndexeerd", "herberekend",
                    "verschil", "%", ""):
            tab.add_column(col, justify="right" if col in ("geïndexeerd", "herberekend", "verschil", "%") else "left",
                           no_wrap=col != "product")
        for r in table:
            diff_eur, diff_pct = Decimal(str(r["difference_eur"])), Decimal(str(r["difference_pct"]))
            tab.add_row(*esc(r["product_code"], str(r["product_name"])[:40], r["variant"], "ja" if r["micro"] else "",
                             r["provider"], r["version"], eur(Decimal(str(r["indexed_eur"]))),
                             eur(Decimal(str(r["recalibrated_eur"]))), ("+" if diff_eur > 0 else "") + eur(diff_eur),
                             ("+" if diff_pct > 0 else "") + pct(diff_pct / 100, 2), r["flag"]))
        Console(width=160).print(tab)
        click.echo(f"{flagged} van {len(table)} tarieven wijken meer dan {pct(limit, 1)} af")
        return
    command = ["recalibrate", "--year", str(year), *(["--threshold", str(threshold)] if threshold is not None else []),
               *known_on_args(known_on)]
    write_tariff_table(out, table, f"Herijking {year}", region, command, columns=columns, numeric={"difference_pct"},
                       money={"indexed_eur", "recalibrated_eur", "difference_eur"}, meta={"threshold": str(limit)})
    click.echo(f"{len(table)} tarieven vergeleken, {flagged} boven de grens; geschreven naar {out}", err=True)


COMMANDS = (index, recalibrate)
