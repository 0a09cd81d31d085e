"""Add a dated entry to a parameter: the one rule for ``param set`` and the parameter-workbook import.

A value is never overwritten. A new value is a new entry ``from`` a date; the
entry that was open then gets ``until`` = the day before (its value stays). A
``from`` on or before an existing entry's ``from``, or in a year before the
current one (whose tariffs were already priced with the old value), rewrites
history: it is refused unless a correction reason is given, and then the entry
records the correction (reason, day, the value it replaces).
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tariefmodel.data.numbers import date as fmt_day
from tariefmodel.data.numbers import parse as parse_number
from tariefmodel.data.params import COST_MODEL_FILE, param_index, valid_entry
from tariefmodel.data.problems import InputError, Problem
from tariefmodel.data.schema import is_placeholder
from tariefmodel.upkeep import yamltext

# The order of an entry's keys, as the hand-written files have them.
ORDER = ("from", "until", "value", "source", "source_date", "rationale", "decided_by", "decided_on", "status",
         "assumption", "decision", "correction")
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Plan:
    """How a new entry goes into a parameter's list of entries."""

    entry: dict[str, Any]  # the new entry, keys in ORDER
    index: int  # where it goes in the list
    replaces: bool  # True: it takes the place of the entry at ``index`` (a correction on the same day)
    until: dict[int, dt.date]  # existing entries whose ``until`` is set (index -> day)

    def describe(self, path: str) -> list[str]:
        e = self.entry
        lines = [f"{path}: nieuwe waarde {_show(e['value'])} vanaf {fmt_day(e['from'])}"
                 + (f" tot en met {fmt_day(e['until'])}" if e.get("until") else "")]
        lines += [f"{path}: de waarde vanaf eerder geldt nu tot en met {fmt_day(d)}" for d in self.until.values()]
        if "correction" in e:
            lines.append(f"{path}: correctie vastgelegd ({e['correction']['reason']})")
        return lines


def _show(v: Any) -> str:
    return format(v, "f") if isinstance(v, Decimal) else str(v)


def first_open_day(today: dt.date) -> dt.date:
    """The first day whose tariffs are not of a past year: 1 January of the current year."""
    return dt.date(today.year, 1, 1)


def plan(entries: list[dict[str, Any]], entry: dict[str, Any], *, path: str, file: str = COST_MODEL_FILE,
         correction: str | None = None, today: dt.date | None = None) -> Plan:
    """Where ``entry`` goes among ``entries`` and what else changes; InputError if it would rewrite history."""
    today = today or dt.date.today()
    start: dt.date = entry["from"]
    same = [i for i, e in enumerate(entries) if e.get("from") == start]
    later = sorted((e["from"], i) for i, e in enumerate(entries) if e.get("from") and e["from"] > start)
    reasons = []
    if same:
        reasons.append(f"er is al een waarde vanaf {fmt_day(start)}")
    elif later:
        reasons.append(f"{fmt_day(start)} ligt voor de bestaande waarde vanaf {fmt_day(later[0][0])}")
    if start < first_open_day(today):
        reasons.append(f"{fmt_day(start)} ligt in een afgelopen jaar: de tarieven van toen zijn met de oude "
                       "waarde berekend")
    if reasons and not correction:
        raise InputError([Problem(file, path, "; ".join(reasons) + ": een eerdere waarde wordt nooit overschreven. "
                                  "Kies een latere ingangsdatum, of geef --correctie REDEN als de oude waarde "
                                  "fout was (de correctie wordt met reden vastgelegd)")])
    if correction is not None and is_placeholder(correction):
        raise InputError([Problem(file, path, f"de reden van de correctie ({correction!r}) is geen reden")])
    new = {k: entry[k] for k in ORDER if entry.get(k) is not None}
    if reasons:
        before = valid_entry(entries, start, start=lambda e: e["from"], end=lambda e: e.get("until"))
        new["correction"] = {"reason": correction, "recorded_on": today,
                             **({"previous_value": before["value"]} if before is not None else {})}
    until: dict[int, dt.date] = {}
    if same:
        i = same[0]
        if "until" not in new and entries[i].get("until") is not None:
            new["until"] = entries[i]["until"]  # a correction changes the value, not the period
        return Plan({k: new[k] for k in ORDER if k in new}, i, True, until)
    if later and "until" not in new:
        new["until"] = later[0][0] - ONE_DAY  # it holds until the next existing value starts
        new = {k: new[k] for k in ORDER if k in new}
    earlier = [(e["from"], i) for i, e in enumerate(entries) if e.get("from") and e["from"] < start]
    if earlier:
        _, p = max(earlier)
        u = entries[p].get("until")
        if u is None or u >= start:
            until[p] = start - ONE_DAY
    index = later[0][1] if later else len(entries)
    return Plan(new, index, False, until)


def apply_to_text(text: str, keys: list[str], p: Plan) -> str:
    """The YAML text with the plan applied to the ``values`` list at ``keys``; checked by reading it back."""
    root, data = yamltext.compose(text)
    seq = yamltext.node_at(root, [*keys, "values"])
    if not isinstance(seq, yamltext.yaml.SequenceNode):
        raise yamltext.EditError(f"{'.'.join(keys)} heeft geen lijst met waarden (values)")
    edits = [yamltext.set_field(text, seq.value[i], "until", day, order=ORDER) for i, day in p.until.items()]
    expected = copy.deepcopy(data)
    values = expected
    for k in [*keys, "values"]:
        values = values[k]
    for i, day in p.until.items():
        values[i]["until"] = day
    if p.replaces:
        node = seq.value[p.index]
        old = values[p.index]
        for k in ORDER:
            if k in p.entry:
                edits.append(yamltext.set_field(text, node, k, p.entry[k], order=ORDER))
            elif k in old and k != "from":
                edits.append(yamltext.set_field(text, node, k, None, remove=True, order=ORDER))
        values[p.index] = dict(p.entry)
    else:
        edits.append(yamltext.insert_item(text, seq, p.index, p.entry))
        values.insert(p.index, dict(p.entry))
    return yamltext.checked(text, edits, expected)


# --------------------------------------------------------------------------- param set


def parse_value(text: str, like: Any) -> Any:
    """A value typed on the command line, read as the kind of value the parameter already holds."""
    s = text.strip()
    if isinstance(like, bool):
        raise ValueError("een ja/nee-parameter zet u in het bestand zelf")
    if isinstance(like, int | Decimal):
        percent = s.endswith("%")
        d = parse_number(s.rstrip("%"))
        if percent:
            d = d / 100
        if isinstance(like, int) and not percent:
            if d != d.to_integral_value():
                raise ValueError(f"{text!r} is geen geheel getal")
            return int(d)
        return d
    return s


def set_parameter(text: str, path: str, value: str, entry: dict[str, Any], *, correction: str | None = None,
                  today: dt.date | None = None) -> tuple[str, Plan]:
    """parameters/cost_model.yaml with a new dated value of ``path``; InputError naming what is wrong."""
    try:
        _, data = yamltext.compose(text)
    except Exception as exc:  # yamlio.YamlError
        raise InputError([Problem(COST_MODEL_FILE, "", str(exc))]) from exc
    index = param_index(data) if isinstance(data, dict) else {}
    if path not in index:
        close = difflib.get_close_matches(path, list(index), n=3, cutoff=0.6)
        hint = f"; bedoelde u {' of '.join(close)}?" if close else ""
        raise InputError([Problem(COST_MODEL_FILE, path, f"onbekende parameter{hint}")])
    entries = index[path]["values"]
    like = entries[-1].get("value")
    try:
        parsed = parse_value(value, like)
    except ValueError as exc:
        raise InputError([Problem(COST_MODEL_FILE, path, str(exc))]) from exc
    p = plan(entries, {**entry, "value": parsed}, path=path, correction=correction, today=today)
    try:
        new_text = apply_to_text(text, path.split("."), p)
    except yamltext.EditError as exc:
        raise InputError([Problem(COST_MODEL_FILE, path, str(exc))]) from exc
    return new_text, p
