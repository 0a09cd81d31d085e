"""Indexation: ``tariefmodel index rate | apply`` and ``tariefmodel recalibrate``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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
    """Indexation: the provider index of a year, and tariff books indexed over several years."""


@index.command("rate")
@click.option("--year", type=int, required=True, help="The year of the index.")
@click.option("--method", help="An indexation method from parameters/indexation.yaml (default: vng).")
@click.option("--first-year", is_flag=True, help="The first year of a new contract: no correction for the year before.")
@KNOWN_ON
@DATA
def index_rate(year: int, method: str | None, first_year: bool, known_on: dt.datetime | None,
               data: Path | None) -> None:
    """Print the provider index percentage for a year with its derivation."""
    from tariefmodel.engine.indexation import LATEST, fmt_pct, method_rate

    region = load_region_or_fail(data)
    ix = region.indexation
    if ix is None:
        raise InputFailure.of("this region has no parameters/indexation.yaml")
    m = method or ("vng" if "vng" in ix.methods else next(iter(ix.methods)))
    if m not in ix.methods:
        raise InputFailure.of(f"unknown method {m!r} (methods: {', '.join(ix.methods)})")
    d = guard(method_rate, ix, m, year, known_on_date(known_on) or LATEST, first_year=first_year)
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
@KNOWN_ON
@DATA
@out_option(TABLES, "Write the tariff books of all years to one .csv, .json or .xlsx. Default: a summary.")
def index_apply(year_from: int, year_to: int, known_on: dt.datetime | None, data: Path | None,
                out: Path | None) -> None:
    """The tariff book of every year from --from to --to, each later contract year indexed."""
    if year_to < year_from:
        raise InputFailure.of(f"--to {year_to} lies before --from {year_from}")
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
        for y, n, methods in summary:
            used = "; ".join(f"{m}: {', '.join(sorted(r))}" for m, r in sorted(methods.items())) or "kostprijsmodel"
            click.echo(f"{y}: {n} tarieven; {used}")
        return
    command = ["index", "apply", "--from", str(year_from), "--to", str(year_to), *known_on_args(known_on)]
    write_tariff_table(out, table, f"Tarieven {year_from}-{year_to}", region, command)
    click.echo(f"{len(table)} tarieven ({year_from}-{year_to}) geschreven naar {out}", err=True)


@click.command()
@click.option("--year", type=int, required=True, help="The year to rebuild.")
@click.option("--threshold", type=float, help="Flag differences beyond this fraction (default: the parameter).")
@KNOWN_ON
@DATA
@out_option(TABLES, "Write .csv, .json or .xlsx.")
def recalibrate(year: int, threshold: float | None, known_on: dt.datetime | None, data: Path | None,
                out: Path | None) -> None:
    """Rebuild every tariff from the year's parameters and CAO tables; compare with the indexed tariff."""
    if threshold is not None and not 0 <= threshold < 1:
        raise InputFailure.of(f"--threshold {threshold} is not a fraction: write 2% as 0.02")
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

        tab = Table(title=f"Herijking {year}: geindexeerd tegen herberekend (grens {limit * 100:.1f}%)")
        for col in ("code", "product", "variant", "micro", "aanbieder", "geindexeerd", "herberekend", "verschil",
                    "%", ""):
            tab.add_column(col)
        for r in table:
            tab.add_row(*esc(str(r["product_code"]), str(r["product_name"])[:40], str(r["variant"]),
                        "ja" if r["micro"] else "", str(r["provider"]), str(r["indexed_eur"]),
                        str(r["recalibrated_eur"]), str(r["difference_eur"]), str(r["difference_pct"]), str(r["flag"])))
        Console(width=160).print(tab)
        click.echo(f"{flagged} van {len(table)} tarieven wijken meer dan {limit * 100:.1f}% af")
        return
    command = ["recalibrate", "--year", str(year), *(["--threshold", str(threshold)] if threshold is not None else []),
               *known_on_args(known_on)]
    write_tariff_table(out, table, f"Herijking {year}", region, command, columns=columns, numeric={"difference_pct"},
                       money={"indexed_eur", "recalibrated_eur", "difference_eur"}, meta={"threshold": str(limit)})
    click.echo(f"{len(table)} tarieven vergeleken, {flagged} boven de grens; geschreven naar {out}", err=True)


COMMANDS = (index, recalibrate)
