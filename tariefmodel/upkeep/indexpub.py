"""A new OVA or PPC publication in parameters/indexation.yaml: appended, never an earlier one changed.

A correction is its own publication that names the one it corrects (``corrects``:
the publication date of the figure it replaces), so a run 'known on' an earlier
day still sees what was published then.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path

from tariefmodel.data.numbers import date
from tariefmodel.data.problems import InputError, Problem
from tariefmodel.data.schema import is_placeholder
from tariefmodel.upkeep import yamltext
from tariefmodel.upkeep.stage import Change, read_text

INDEXATION = "parameters/indexation.yaml"
KINDS = ("voorlopig", "definitief", "correctie")


def add_publication(root: Path, series: str, year: int, kind: str, percentage: Decimal, published: dt.date,
                    source: str, note: str | None = None) -> Change:
    """The change that appends one publication (``percentage`` in percent: 4,94 -> 0.0494)."""
    text = read_text(root, INDEXATION)
    node, data = yamltext.compose(text)
    where = f"series.{series}"
    problems = []
    if is_placeholder(source):
        problems.append(Problem(INDEXATION, where, f"{source!r} is geen bron: noem de publicatie (CPB, VNG)"))
    if kind not in KINDS:
        problems.append(Problem(INDEXATION, where, f"onbekende soort {kind!r}: kies {', '.join(KINDS)}"))
    pubs = data.get("series", {}).get(series, {}).get("publications") if isinstance(data, dict) else None
    seq = yamltext.node_at(node, ["series", series, "publications"])
    if not isinstance(pubs, list) or not isinstance(seq, yamltext.yaml.SequenceNode):
        known = ", ".join(data.get("series", {})) if isinstance(data, dict) else ""
        problems.append(Problem(INDEXATION, where, f"onbekende reeks {series!r} (bekend: {known})"))
    if problems:
        raise InputError(problems)
    entry: dict = {"year": year, "kind": kind, "value": percentage / 100, "published": published}
    if kind == "correctie":
        earlier = [p for p in pubs if p.get("year") == year and p.get("published") and p["published"] < published]
        if not earlier:
            raise InputError([Problem(INDEXATION, where, f"geen eerdere publicatie van {series.upper()} {year} "
                                      f"voor {date(published)} om te corrigeren")])
        last = max(earlier, key=lambda p: p["published"])
        entry = {**entry, "kind": last["kind"], "corrects": last["published"]}
    for p in pubs:
        if (p.get("year"), p.get("kind"), p.get("published")) == (year, entry["kind"], published):
            raise InputError([Problem(INDEXATION, where, f"{series.upper()} {year} {entry['kind']} is al "
                                      f"gepubliceerd op {date(published)}: een publicatie wordt nooit "
                                      "overschreven; een correctie is --soort correctie")])
    entry["source"] = source
    if note:
        entry["note"] = note
    expected = copy.deepcopy(data)
    expected["series"][series]["publications"].append(entry)
    try:
        new = yamltext.checked(text, [yamltext.insert_item(text, seq, len(seq.value), entry)], expected)
    except yamltext.EditError as exc:
        raise InputError([Problem(INDEXATION, where, str(exc))]) from exc
    change = Change()
    change.put(root, INDEXATION, new.encode("utf-8"))
    shown = format(percentage.normalize(), "f").replace(".", ",")
    change.summary.append(f"{INDEXATION}: {series.upper()} {year} {kind} {shown}% gepubliceerd op "
                          f"{date(published)}" + (f" (corrigeert {date(entry['corrects'])})" if "corrects" in entry else ""))
    return change
