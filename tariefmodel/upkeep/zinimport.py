"""``tariefmodel import zin-tarieven LIJST``: merge a ZIN tariff list into ``parameters/zin_tarieven.csv``.

The list a region receives (another region's tariffs, a negotiated or national list) is read as Excel saves
it in Dutch, checked row by row against the product book, and merged into the region's own list, which is
written in one canonical form (',' and a decimal point, ISO dates, sorted by code and date) so git shows
each change as one line. The merge keeps history as ``param set`` does:

* a row of the region's list that the new list does not name stays (an import never deletes);
* a new period is added; an open-ended row before it then ends where the new one starts;
* an existing period with the same amount, end and source is unchanged;
* an existing period with another amount, end or source is a correction: refused for a period that started
  in a past year (its tariffs were priced with the old amount) unless ``--correctie REDEN`` is given, which
  records the reason, the day and the previous amount in the row's ``toelichting``.

The whole folder is checked on a copy first (``upkeep.stage``); on any problem nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tariefmodel.data.numbers import date, eur
from tariefmodel.data.problems import InputError, Problem, Problems
from tariefmodel.data.schema import is_placeholder
from tariefmodel.loader.zin_list import FILE, parse_zin_list
from tariefmodel.upkeep.dated import first_open_day
from tariefmodel.upkeep.stage import Change, write

HEADER = ["code", "eenheid", "bedrag", "geldig_vanaf", "geldig_tot", "bron", "besluit", "toelichting"]
COMMENT = ("# ZIN-tarievenlijst van de regio: vaste bedragen per product en kalenderjaar (tariefmodel import "
           "zin-tarieven; zie README, 'ZIN tariff list').")


@dataclass
class ZinImport:
    added: list[str] = field(default_factory=list)  # Dutch lines, one per change
    corrected: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: int = 0  # rows of the region's list the new list does not name
    change: Change | None = None

    def lines(self) -> list[str]:
        out = [*self.added, *self.corrected]
        if self.unchanged:
            out.append(f"{self.unchanged} regel(s) ongewijzigd.")
        if self.kept:
            out.append(f"{self.kept} regel(s) van de bestaande lijst staan niet in de nieuwe lijst en blijven staan.")
        return out


def _row(e: dict[str, Any], unit: str) -> list[str]:
    return [e["code"], unit, f"{e['amount']:.2f}", e["from"].isoformat(), e["until"].isoformat() if e["until"] else "",
            e["source"], e["decision"] or "", e["rationale"] or ""]


def _text(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    return (COMMENT + "\n" + buf.getvalue()).encode("utf-8")


def import_zin_list(source: Path, root: Path, *, dry_run: bool = False, correction: str | None = None,
                    today: dt.date | None = None) -> ZinImport:
    """Merge the list at ``source`` into the region's list; InputError (nothing written) on any problem."""
    from tariefmodel.loader.load import load_region

    today = today or dt.date.today()
    label = source.name
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise InputError([Problem(label, "", f"niet leesbaar: {exc.strerror}")]) from exc
    if correction is not None and is_placeholder(correction):
        raise InputError([Problem(label, "", f"de reden van de correctie ({correction!r}) is geen reden")])
    region = load_region(root, use_cache=False)
    products = {bp.product.code: bp for bp in region.products}
    external = {bp.product.code for bp in region.external}
    problems = Problems()
    new = parse_zin_list(raw, label, products, external, problems)
    existing: dict[str, list[dict[str, Any]]] = {}
    if (root / FILE).exists():
        existing = parse_zin_list((root / FILE).read_bytes(), FILE, products, external, problems)
    problems.raise_if_errors()

    result = ZinImport()
    merged: dict[tuple[str, dt.date], dict[str, Any]] = {
        (code, e["from"]): {**e, "code": code} for code, es in existing.items() for e in es}
    refused: list[Problem] = []
    named: set[tuple[str, dt.date]] = set()
    for code, entries in new.items():
        for e in entries:
            key = (code, e["from"])
            named.add(key)
            old = merged.get(key)
            row = {**e, "code": code}
            if old is None:
                merged[key] = row
                until = f" tot en met {date(e['until'])}" if e["until"] else ""
                result.added.append(f"nieuw: {code} vanaf {date(e['from'])}{until}: {eur(e['amount'])}")
                continue
            same = (old["amount"], old["until"], old["source"]) == (e["amount"], e["until"], e["source"])
            if same:
                result.unchanged += 1
                continue
            what = f"{code} vanaf {date(e['from'])}: {eur(old['amount'])} -> {eur(e['amount'])}"
            if e["from"] < first_open_day(today) and not correction:
                refused.append(Problem(label, f"rij {e['listed_row']} ({code})",
                                       f"{what}: {date(e['from'])} ligt in een afgelopen jaar, de tarieven van toen "
                                       "zijn met het oude bedrag berekend; een eerder bedrag wordt nooit "
                                       "overschreven. Geef --correctie REDEN als het oude bedrag fout was",
                                       line=e["listed_row"]))
                continue
            if e["from"] < first_open_day(today):
                note = (f"Gecorrigeerd op {date(today)}: {correction} (was {eur(old['amount'])}, bron "
                        f"{old['source']})")
                row["rationale"] = "; ".join(x for x in (e["rationale"], note) if x)
            merged[key] = row
            result.corrected.append(f"gewijzigd: {what}")
    if refused:
        raise InputError(refused)
    result.kept = sum(1 for key in merged if key not in named)
    units = {code: bp.product.unit for code, bp in products.items()}
    rows = [_row(e, units[e["code"]]) for _, e in sorted(merged.items())]
    data = _text(rows)
    change = Change()
    if (root / FILE).exists() and (root / FILE).read_bytes() == data:
        result.change = change
        return result
    change.put(root, FILE, data)
    change.summary = result.lines()
    write(root, change, dry_run=dry_run)
    result.change = change
    return result

