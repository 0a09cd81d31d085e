"""The audit trail: ``tariefmodel audit | diff | verify``."""

from __future__ import annotations

import datetime as dt
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
@out_option((".html", ".md", ".xlsx"), "Het rapport: .html (één zelfstandige pagina), .md of .xlsx.", required=True)
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
    write_output(out, audit_report.content(report, out.suffix.lower()), mf.build(region, command, out))
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in ("fout", "waarschuwing", "info")}
    click.echo(f"audit {y}: {counts['fout']} fouten, {counts['waarschuwing']} waarschuwingen, {counts['info']} "
               f"meldingen; {len(report.register)} registerwaarden; geschreven naar {out}", err=True)


@click.command()
@click.argument("old", metavar="OUD")
@click.argument("new", metavar="NIEUW")
@DATA
@YEAR
@out_option((".xlsx", ".json", ".md"), "Schrijf naar .xlsx, .json of .md. Standaard: tabellen in de terminal.")
def diff(old: str, new: str, data: Path | None, year: int | None, out: Path | None) -> None:
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

            def arg(x: str) -> str:  # folders absolute, so that verify can recompute from anywhere
                return str(Path(x).resolve()) if Path(x).is_dir() else x

            man = mf.build(new_region, ["diff", arg(old), arg(new), "--year", str(y)], out)
            man["data_folder"] = mf.data_folder(root, out.parent)  # the --data folder, not a materialised revision
            commit = compare.REVISIONS.get(str(new_dir))
            if commit is not None:
                man["data_revision"] = {"git_commit": commit, "uncommitted_input_changes": False, "revision": new}
            man["compared"] = {"old": old_label, "new": new_label}
    moved = [e for e in effects if e.diff]
    if out is None or man is None:
        _print_diff(old_label, new_label, changes, effects, moved, y)
        return
    from tariefmodel.outputs.writers import write_output

    write_output(out, _diff_content(out, changes, effects, old_label, new_label, y), man)
    click.echo(f"{len(changes)} wijzigingen, {len(moved)} tarieven anders; geschreven naar {out}", err=True)


def _print_diff(old_label: str, new_label: str, changes: list, effects: list, moved: list, y: int) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=160)
    console.print(f"[bold]Wijzigingen[/bold] {old_label} -> {new_label}: {len(changes)} in de invoer, "
                  f"{len(moved)} van {len(effects)} tarieven ({y}) veranderen")
    t1 = Table(title="Invoer")
    for col in ("bestand", "waarde", "oud", "nieuw", "bron"):
        t1.add_column(col)
    for c in changes[:60]:
        t1.add_row(*esc(c.file, c.path[-60:], c.old[:30], c.new[:30], c.source[:60]))
    console.print(t1)
    t2 = Table(title="Effect op de tarieven (grootste eerst)")
    for col in ("code", "product", "variant", "micro", "aanbieder", "oud", "nieuw", "verschil", "%"):
        t2.add_column(col)
    for e in [e for e in effects if e.diff != 0][:60]:
        t2.add_row(*esc(e.code, e.name[:40], e.variant, "ja" if e.micro else "", e.provider,
                   "" if e.old is None else f"{e.old:.2f}", "" if e.new is None else f"{e.new:.2f}",
                   "" if e.diff is None else f"{e.diff:.2f}", "" if e.pct is None else f"{e.pct:.2f}"))
    console.print(t2)


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
    if out.suffix.lower() == ".md":
        def md(x: object) -> str:
            return str(x).replace("|", "\\|").replace("\n", " ")

        def render(man: dict[str, Any]) -> str:
            from tariefmodel.trail import manifest as mf

            lines = [f"# Wijzigingen {old_label} -> {new_label} (tarieven {year})", "", "## Invoer", "",
                     "| bestand | waarde | oud | nieuw | bron |", "|---|---|---|---|---|"]
            lines += [f"| {md(c.file)} | {md(c.path)} | {md(c.old)} | {md(c.new)} | {md(c.source)} |" for c in changes]
            lines += ["", "## Effect op de tarieven", "",
                      "| code | product | variant | micro | aanbieder | oud | nieuw | € | % |",
                      "|---|---|---|---|---|---|---|---|---|"]
            lines += [f"| {r['product_code']} | {r['product_name']} | {r['variant']} | {'ja' if r['micro'] else ''} | "
                      f"{r['provider']} | {r['old_eur']} | {r['new_eur']} | {r['difference_eur']} | "
                      f"{r['difference_pct']} |" for r in effect_rows]
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
