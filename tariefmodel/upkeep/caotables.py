"""New salary tables for a CAO: raised from the table valid the day before, or an official one added.

A table is never replaced: each is a new CSV from its effective date, registered
in the CAO's ``tables.yaml`` (a raised one as ``derived: true`` with DERIVED in
its source line, as the loader demands). The loader then checks the columns,
steps and amounts of the whole CAO on a temporary copy (stage.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from tariefmodel.data.money import excel_round
from tariefmodel.data.numbers import date
from tariefmodel.data.problems import InputError, Problem
from tariefmodel.data.schema import is_placeholder
from tariefmodel.upkeep import yamltext
from tariefmodel.upkeep.stage import Change, read_text

HEADERS = {
    ("number", "monthly_eur"): "series",
    ("scale", "step", "monthly_eur"): "scales",
    ("scale", "step", "number"): "scale_map",
}
_DATED_NAME = re.compile(r"^(?:DERIVED_)?(?P<family>.+?)_(?P<date>\d{4}-\d{2}-\d{2})\.csv$")
MONEY_KINDS = ("series", "scales")


def raised(amount: Decimal, fraction: Decimal, minimum: Decimal | None) -> Decimal:
    """amount x (1 + fraction), at least amount + minimum, rounded to cents half away from zero."""
    up = amount * (1 + fraction)
    if minimum is not None:
        up = max(up, amount + minimum)
    return excel_round(up, 2)


def family(file: str) -> str:
    """The table's name without its date (and without DERIVED_): the tables that succeed one another."""
    m = _DATED_NAME.match(Path(file).name)
    return m.group("family") if m else Path(file).stem


def csv_text(kind: str, cells: dict[Any, Any], source_line: str) -> str:
    """A salary table CSV as the loader reads it: the source line, the header, one row per cell."""
    header = next(h for h, k in HEADERS.items() if k == kind)
    out = io.StringIO()
    out.write("# " + " ".join(source_line.split()) + "\n")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for key, value in cells.items():
        keys = list(key) if isinstance(key, tuple) else [key]
        w.writerow([*keys, f"{value:.2f}" if isinstance(value, Decimal) else value])
    return out.getvalue()


def _cao_dir(root: Path, cao: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", cao) or not (root / "cao_tables" / cao / "tables.yaml").is_file():
        known = sorted(p.name for p in (root / "cao_tables").iterdir() if (p / "tables.yaml").is_file()) \
            if (root / "cao_tables").is_dir() else []
        raise InputError([Problem("cao_tables", cao, f"onbekende CAO {cao!r} (bekend: {', '.join(known) or 'geen'})")])
    return f"cao_tables/{cao}"


def _register(root: Path, rel_dir: str, entries: list[dict[str, Any]], change: Change) -> None:
    """Append table entries to the CAO's tables.yaml (keeping its comments and layout)."""
    rel = f"{rel_dir}/tables.yaml"
    text = read_text(root, rel)
    node, data = yamltext.compose(text)
    seq = yamltext.node_at(node, ["tables"])
    if not isinstance(seq, yamltext.yaml.SequenceNode) or not isinstance(data, dict):
        raise InputError([Problem(rel, "tables", "geen lijst 'tables'")])
    edits = []
    expected = {**data, "tables": [*data["tables"], *entries]}
    for e in entries:
        edits.append(yamltext.insert_item(text, seq, len(seq.value), e))
    try:
        new = yamltext.checked(text, edits, expected)
    except yamltext.EditError as exc:
        raise InputError([Problem(rel, "tables", str(exc))]) from exc
    change.put(root, rel, new.encode("utf-8"))


def raise_tables(root: Path, cao: str, percentage: Decimal, start: dt.date, source: str,
                 minimum: Decimal | None = None) -> Change:
    """A derived table per money table family of the CAO, raised from the table valid on the day before ``start``."""
    from tariefmodel.loader.load import load_region
    from tariefmodel.loader.wml_floor import published_tables

    rel_dir = _cao_dir(root, cao)
    problems = []
    if is_placeholder(source):
        problems.append(Problem(rel_dir, "--source", f"{source!r} is geen bron: noem het CAO-akkoord of de publicatie"))
    if not percentage.is_finite() or percentage <= 0 or percentage >= 50:
        problems.append(Problem(rel_dir, "--percentage", f"{percentage} is geen verhoging in procenten (0 tot 50)"))
    if minimum is not None and (not minimum.is_finite() or minimum < 0):
        problems.append(Problem(rel_dir, "--minimum-bedrag", f"{minimum} is geen bedrag van 0 of meer"))
    if problems:
        raise InputError(problems)
    region = load_region(root)
    # A raise builds on the published tables, never on a table the WML floor lifted: the floor is
    # applied again, on the raised amounts, when the new table is loaded.
    tables = published_tables(region.caos[cao])
    day_before = start - dt.timedelta(days=1)
    latest: dict[tuple[str, str], Any] = {}
    for t in sorted(tables, key=lambda t: (t.effective, t.file)):
        fam = (t.kind, family(t.file))
        if t.kind not in MONEY_KINDS:
            continue
        if t.effective >= start:
            problems.append(Problem(t.file, "", f"er is al een tabel vanaf {date(t.effective)} (op of na "
                                    f"{date(start)}): een bestaande tabel wordt nooit vervangen"))
        elif t.effective <= day_before:
            latest[fam] = t
    if not latest and not problems:
        problems.append(Problem(rel_dir, "", f"geen salaristabel geldig op {date(day_before)} om te verhogen"))
    if problems:
        raise InputError(problems)
    fraction = percentage / 100
    factor = format((1 + fraction).normalize(), "f").replace(".", ",")
    change = Change()
    entries = []
    for (kind, fam), t in latest.items():
        name = f"DERIVED_{fam}_{start.isoformat()}.csv"
        cells = {k: raised(v, fraction, minimum) for k, v in t.cells.items()}
        how = f"elk bedrag x {factor}" + (f", minstens + EUR {minimum} per cel" if minimum is not None else "") + \
            ", afgerond op centen (half van nul af)"
        line = (f"DERIVED (afgeleid, geen gepubliceerde tabel) | source: {source} | afgeleid van "
                f"{Path(t.file).name} (geldig op {day_before.isoformat()}): {how} | effective: {start.isoformat()}")
        change.put(root, f"{rel_dir}/{name}", csv_text(kind, cells, line).encode("utf-8"))
        entries.append({"kind": kind, "effective": start, "file": name, "derived": True})
        change.summary.append(f"{rel_dir}/{name}: {len(cells)} bedragen uit {Path(t.file).name} verhoogd met "
                              f"{format(percentage.normalize(), 'f').replace('.', ',')}%")
    _register(root, rel_dir, entries, change)
    return change


def add_table(root: Path, cao: str, start: dt.date, csv_path: Path, source: str) -> Change:
    """An official table from ``start``: its kind from its columns, its source line written on top."""
    rel_dir = _cao_dir(root, cao)
    shown = str(csv_path)
    if is_placeholder(source):
        raise InputError([Problem(shown, "--source", f"{source!r} is geen bron: noem de publicatie (CAO, bijlage)")])
    try:
        raw = csv_path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError([Problem(shown, "", "bestand ontbreekt")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(shown, "", f"niet leesbaar als UTF-8-tekst: {exc}")]) from exc
    lines = [ln for ln in raw.splitlines() if not ln.startswith("#")]
    body = "\n".join(lines).strip("\n") + "\n"
    header = tuple(h.strip() for h in next(csv.reader([lines[0]]), [])) if lines else ()
    kind = HEADERS.get(header)
    if kind is None:
        raise InputError([Problem(shown, "header", "verwacht de kolommen " + " of ".join(
            ",".join(h) for h in HEADERS) + f"; gevonden: {','.join(header) or '(leeg)'}")])
    fam = family(csv_path.name) if _DATED_NAME.match(csv_path.name) else csv_path.stem
    name = f"{fam}_{start.isoformat()}.csv"
    target = root / rel_dir / name
    if target.exists():
        raise InputError([Problem(f"{rel_dir}/{name}", "", "bestaat al: een bestaande tabel wordt nooit vervangen")])
    from tariefmodel.loader.load import load_region
    from tariefmodel.loader.wml_floor import published_tables

    for t in published_tables(load_region(root).caos[cao]):
        if t.kind == kind and family(t.file) == fam and t.effective == start:
            raise InputError([Problem(t.file, "", f"er is al een tabel {fam} vanaf {date(start)}")])
    line = f"source: {source} | effective: {start.isoformat()}"
    change = Change()
    change.put(root, f"{rel_dir}/{name}", ("# " + " ".join(line.split()) + "\n" + body).encode("utf-8"))
    _register(root, rel_dir, [{"kind": kind, "effective": start, "file": name, "derived": False}], change)
    change.summary.append(f"{rel_dir}/{name}: officiele tabel ({kind}) vanaf {date(start)}")
    return change
