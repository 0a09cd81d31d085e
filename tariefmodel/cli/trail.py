"""The audit trail: ``tariefmodel audit | diff | verify``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from tariefmodel.cli.common import (
    DATA,
    KNOWN_ON,
    YEAR,
    data_root,
    esc,
    guard,
    known_on_args,
    known_on_date,
    load_region_or_fail,
    out_option,
)
from tariefmodel.cli.errors import InputFailure


@click.command()
@DATA
@YEAR
@KNOWN_ON
@click.option("--max-age", type=int, metavar="JAREN",
              help="Markeer bronnen ouder dan dit aantal jaren. Standaard: de instelling van de regio.")
@out_option((".html", ".md", ".xlsx", ".pdf"), "Het rapport: .html (één zelfstandige pagina), .md, .xlsx of .pdf (A4).",
            required=True)
def audit(data: Path | None, year: int | None, known_on: dt.datetime | None, max_age: int | None, out: Path) -> None:
    """Het auditrapport voor de procesbewaker: parameterregister, bevindingen, samenvatting per perceel."""
    from tariefmodel.outputs import audit_report
    from tariefmodel.outputs.writers import write_output
    from tariefmodel.trail import manifest as mf
    from tariefmodel.trail.audit import build_audit

    region = load_region_or_fail(data)
    y = year or region.info.default_year
    report = guard(build_audit, region, y, known_on_date(known_on), max_age)
    command = ["audit", "--year", str(y), *known_on_args(known_on),
               *(["--max-age", str(max_age)] if max_age is not None else [])]
    suffix = out.suffix.lower()
    bench = guard(audit_report.benchmarks, region, y, known_on_date(known_on)) if suffix in (".html", ".pdf") else []
    write_output(out, audit_report.content(report, suffix, region, bench), mf.build(region, command, out))
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in ("fout", "waarschuwing", "info")}
    click.echo(f"audit {y}: {counts['fout']} fouten, {counts['waarschuwing']} waarschuwingen, {counts['info']} "
               f"meldingen; {len(report.register)} registerwaarden; geschreven naar {out}", err=True)


@click.command()
@click.argument("old", metavar="OUD")
@click.argument("new", metavar="NIEUW")
@DATA
@YEAR
@out_option((".xlsx", ".json", ".md"), "Schrijf naar .xlsx, .json of .md. Standaard: tabellen in de terminal.")
@click.option("--sorteer", "sort_by", type=click.Choice(["euro", "pct"]), default="euro", show_default=True,
              help="Volgorde van de tarieven in de terminal: grootste verschil in euro's of in procenten eerst.")
def diff(old: str, new: str, data: Path | None, year: int | None, out: Path | None, sort_by: str) -> None:
    """Wat er veranderde tussen twee gegevensmappen of git-revisies, en het effect op elk tarief."""
    import tempfile

    from tariefmodel.engine.book import price_book
    from tariefmodel.loader.load import load_region
    from tariefmodel.trail import diff as compare

    root = data_root(data)
    with tempfile.TemporaryDirectory() as tmp:
        def effects_and_changes() -> tuple[Any, ...]:
            old_dir, old_label = compare.materialise(old, root, Path(tmp))
            new_dir, new_label = compare.materialise(new, root, Path(tmp))
            new_region = load_region(new_dir)
            y = year or new_region.info.default_year
            effects = compare.tariff_effects(price_book(load_region(old_dir), y), price_book(new_region, y))
            return old_label, new_label, new_dir, new_region, y, effects, compare.input_changes(old_dir, new_dir)

        old_label, new_label, new_dir, new_region, y, effects, changes = guard(effects_and_changes)
        man = None
        if out is not None:
            from tariefmodel.trail import manifest as mf

            # folders by their path from the data folder (never absolute): verify finds them from there
            old_arg, new_arg = compare.folder_arg(old, root), compare.folder_arg(new, root)
            old_label = old_arg if Path(old).is_dir() else old_label  # a revision keeps its label (with commit)
            new_label = new_arg if Path(new).is_dir() else new_label
            man = mf.build(new_region, ["diff", old_arg, new_arg, "--year", str(y)], out)
            man["data_folder"] = mf.data_folder(root, out.parent)  # the --data folder, not a materialised revision
            commit = compare.REVISIONS.get(str(new_dir))
            if commit is not None:
                man["data_revision"] = {"git_commit": commit, "uncommitted_input_changes": False, "revision": new}
            man["compared"] = {"old": old_label, "new": new_label}
    moved = [e for e in effects if e.diff]
    if out is None or man is None:
        _print_diff(old_label, new_label, changes, effects, moved, y, sort_by)
        return
    from tariefmodel.outputs.writers import write_output

    write_output(out, _diff_content(out, changes, effects, old_label, new_label, y), man)
    click.echo(f"{len(changes)} wijzigingen, {len(moved)} tarieven anders; geschreven naar {out}", err=True)


SHOWN = 40  # rows per terminal table; --out writes them all


def _impact(e: Any, sort_by: str) -> tuple[int, Decimal]:
    """Sort key: the largest absolute change first (a new or dropped tariff counts with its whole amount)."""
    if sort_by == "pct":
        return (0, -abs(e.pct)) if e.pct is not None else (1, -abs(e.new if e.new is not None else e.old or 0))
    change = e.diff if e.diff is not None else (e.new if e.new is not None else e.old)
    return (0, -abs(change or 0))


def _readable(value: str) -> str:
    """An input value for people: a number Dutch (0.12 -> 0,12, 3100.00 -> 3.100,00), a date too (2024-07-01 ->
    01-07-2024), anything else as it is."""
    import re
    from decimal import InvalidOperation

    from tariefmodel.data.numbers import date, num

    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    try:
        d = Decimal(value)
    except (InvalidOperation, ValueError):
        return value
    return num(d) if d.is_finite() and value.strip() == value and not value.startswith("+") else value


def _money(x: Decimal | None, *, signed: bool = False) -> str:
    from tariefmodel.data.numbers import eur

    return "" if x is None else ("+" if signed and x > 0 else "") + eur(x)


def _rest(n: int) -> str | None:
    return f"… en nog {n} wijzigingen; gebruik --out voor alles" if n > 0 else None


def _print_diff(old_label: str, new_label: str, changes: list, effects: list, moved: list, y: int,
                sort_by: str = "euro") -> None:
    from rich.console import Console
    from rich.table import Table

    from tariefmodel.data.numbers import eur, pct

    console = Console(width=160)
    console.print(f"[bold]Wijzigingen[/bold] {esc(old_label)[0]} → {esc(new_label)[0]}: {len(changes)} in de invoer, "
                  f"{len(moved)} van {len(effects)} tarieven ({y}) veranderen")
    t1 = Table(title="Invoer")
    t1.add_column("bestand", no_wrap=True)
    t1.add_column("waarde", overflow="fold")  # the key: folded onto more lines, never cut
    t1.add_column("oud → nieuw", overflow="fold", max_width=40)
    t1.add_column("bron", overflow="fold", max_width=50)
    for c in changes[:SHOWN]:
        old_new = f"{_readable(c.old) or '(geen)'} → {_readable(c.new) or '(geen)'}"
        t1.add_row(*esc(c.file, c.path, old_new, c.source))
    console.print(t1)
    if (rest := _rest(len(changes) - SHOWN)) is not None:
        console.print(rest)
    order = "euro's" if sort_by == "euro" else "procenten"
    t2 = Table(title=f"Effect op de tarieven (grootste verschil in {order} eerst)")
    for col, just in (("code", "left"), ("variant", "left"), ("micro", "left"), ("aanbieder", "left"),
                      ("product", "left"), ("oud → nieuw", "right"), ("verschil", "right"), ("%", "right")):
        t2.add_column(col, justify=just, no_wrap=col != "product",  # type: ignore[arg-type]
                      overflow="ellipsis" if col == "product" else "fold", max_width=36 if col == "product" else None)
    changed = sorted((e for e in effects if e.diff != 0), key=lambda e: _impact(e, sort_by))
    for e in changed[:SHOWN]:
        old_new = f"{'(geen)' if e.old is None else eur(e.old)} → {'vervallen' if e.new is None else eur(e.new)}"
        t2.add_row(*esc(e.code, e.variant, "ja" if e.micro else "", e.provider, e.name, old_new,
                        "" if e.diff is None else ("+" if e.diff > 0 else "") + eur(e.diff),
                        "" if e.pct is None else ("+" if e.pct > 0 else "") + pct(e.pct / 100, 2)))
    console.print(t2)
    if (rest := _rest(len(changed) - SHOWN)) is not None:
        console.print(rest)


def _diff_content(out: Path, changes: list, effects: list, old_label: str, new_label: str, year: int) -> Any:
    """The diff as content for the one writer: two tables (.xlsx, .json) or a Markdown page."""
    from tariefmodel.outputs.writers import Table, Tables, Text

    change_rows = [{"bestand": c.file, "waarde": c.path, "oud": c.old, "nieuw": c.new, "bron": c.source}
                   for c in changes]
    effect_rows = [{"product_code": e.code, "product_name": e.name, "variant": e.variant, "micro": e.micro,
                    "provider": e.provider, "version": e.version,
                    "old_eur": "" if e.old is None else f"{e.old:.2f}", "new_eur": "" if e.new is None else f"{e.new:.2f}",
                    "difference_eur": "" if e.diff is None else f"{e.diff:.2f}",
                    "difference_pct": "" if e.pct is None else f"{e.pct:.2f}"} for e in effects]
    if out.suffix.lower() == ".md":  # a page people read: Dutch amounts; the tables keep exact dot decimals
        from tariefmodel.data.numbers import pct

        def md(x: object) -> str:
            return str(x).replace("|", "\\|").replace("\n", " ")

        def render(man: dict[str, Any]) -> str:
            from tariefmodel.trail import manifest as mf

            lines = [f"# Wijzigingen {old_label} -> {new_label} (tarieven {year})", "", "## Invoer", "",
                     "| bestand | waarde | oud | nieuw | bron |", "|---|---|---|---|---|"]
            lines += [f"| {md(c.file)} | {md(c.path)} | {md(_readable(c.old))} | {md(_readable(c.new))} | {md(c.source)} |"
                      for c in changes]
            lines += ["", "## Effect op de tarieven", "",
                      "| code | product | variant | micro | aanbieder | oud | nieuw | € | % |",
                      "|---|---|---|---|---|---|---|---|---|"]
            lines += [f"| {e.code} | {md(e.name)} | {e.variant} | {'ja' if e.micro else ''} | {e.provider} | "
                      f"{_money(e.old)} | {_money(e.new)} | {_money(e.diff, signed=True)} | "
                      f"{'' if e.pct is None else ('+' if e.pct > 0 else '') + pct(e.pct / 100, 2)} |" for e in effects]
            return "\n".join([*lines, "", mf.html_comment(man)]) + "\n"

        return Text(render)
    effect_cols = list(effect_rows[0]) if effect_rows else ["(geen)"]
    change_cols = ["bestand", "waarde", "oud", "nieuw", "bron"] if change_rows else ["(geen)"]
    return Tables([Table("Effect op tarieven", effect_cols, effect_rows),
                   Table("Wijzigingen invoer", change_cols, change_rows)],
                  json={"old": old_label, "new": new_label, "year": year, "input_changes": change_rows,
                        "tariffs": effect_rows, "columns": list(effect_rows[0]) if effect_rows else []})


@click.command()
@click.argument("output", metavar="UITVOER", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@DATA
def verify(output: Path, data: Path | None) -> None:
    """Bevestig dat een uitvoerbestand nog overeenkomt met zijn invoer: controleer de SHA-256 en bereken opnieuw.

    Afsluitcode 0 als het overeenkomt, 1 als invoer of uitkomst veranderde (elke wijziging genoemd), 2 bij
    ongeldige invoer.
    """
    from tariefmodel.data.problems import InputError
    from tariefmodel.trail.verify import Refused
    from tariefmodel.trail.verify import verify as check

    root = click.get_current_context().find_root().command
    try:
        verdict = check(output, data, lambda args: _rerun(root, args))
    except Refused as exc:
        raise InputFailure.of(str(exc)) from exc
    except InputError as exc:
        raise InputFailure(exc.problems) from exc
    from tariefmodel.loader.locate import version_note

    note = version_note(str(verdict.manifest.get("engine_version", ""))) if verdict.manifest else None
    if note:
        click.echo(note, err=True)
    if verdict.findings:
        click.echo(f"AFWIJKING: {output} komt niet meer overeen met de invoer of de engine:")
        for f in verdict.findings:
            click.echo(f"  {f}")
        click.get_current_context().exit(1)
    click.echo(f"OK: {output} komt overeen met de invoer ({verdict.inputs} bestanden) en is opnieuw berekend "
               f"met hetzelfde resultaat ({' '.join(verdict.command)})")


def _rerun(root: click.Command, args: list[str]) -> str | None:
    """Run the command line once more, inside this process; None when it succeeded, else why not."""
    import contextlib
    import io

    try:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            root.main(args=args, prog_name="tariefmodel", standalone_mode=False)
    except click.ClickException as exc:
        return f"exit {exc.exit_code}: {exc.format_message()}"[:300]
    except click.exceptions.Exit as exc:
        return None if exc.exit_code == 0 else f"exit {exc.exit_code}"
    except SystemExit as exc:
        return None if exc.code in (0, None) else f"exit {exc.code}"
    except Exception as exc:  # an engine bug must read as a failed recomputation, not pass
        return f"{type(exc).__name__}: {exc}"[:300]
    return None


COMMANDS = (audit, diff, verify)
