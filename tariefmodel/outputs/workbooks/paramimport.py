"""Read an edited parameter workbook back into parameters/cost_model.yaml.

``tariefmodel import parameters F.xlsx [--data DIR] [--dry-run]``. Order of work,
and nothing is written unless every step passes:

1. the file must be a plain, small, self-contained xlsx (xlsxguard.py);
2. its sheet, headers and rows must match the cost model: one row per dated
   entry, found by parameter and 'from' date; no row dropped or doubled;
   read-only columns unchanged; no formulas; each cell of the right kind;
   a row added for a known parameter with a new 'Geldig vanaf' is a new dated
   entry (upkeep/dated.py, the rule of ``param set``: the open entry before it
   gets 'until' = the day before);
3. every changed value needs a source and a rationale on its row, and at least
   one of them must be new (the old ones describe the old value); a value (or
   'until') that priced a past year is never changed, unless a correction reason
   is given, which the entry then records;
4. the changes are made in the YAML text in place (upkeep/yamltext.py), the result is
   read back and must equal the old data with exactly these changes, it must
   pass schema.CostModelFile, and the region must still price its default year;
5. the file is replaced atomically, only if it did not change meanwhile.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from tariefmodel.data.fileio import atomic_write_bytes
from tariefmodel.data.numbers import date
from tariefmodel.data.numbers import parse as parse_number
from tariefmodel.data.params import param_index
from tariefmodel.data.problems import InputError, Problem
from tariefmodel.data.schema import is_placeholder
from tariefmodel.outputs.workbooks import param_kinds as kinds
from tariefmodel.outputs.workbooks import paramsource, xlsxguard
from tariefmodel.outputs.workbooks.formula import col_letter
from tariefmodel.outputs.workbooks.parambook import COL, COLUMNS, DATE_FIELDS, HEADERS, SHEET, STATUS, YES_NO, cell_value
from tariefmodel.outputs.workbooks.paramsource import COST_MODEL, FIELDS, Entry, Source
from tariefmodel.outputs.writers import FORMULA_STARTS, safe_text
from tariefmodel.upkeep import dated
from tariefmodel.upkeep import yamltext as yamledit
from tariefmodel.upkeep.dated import first_open_day

REQUIRED_WITH_NEW_VALUE = ("source", "rationale")
OPTIONAL = ("until", "source_date", "decided_by", "decided_on")


@dataclass(frozen=True, slots=True)
class Change:
    entry: Entry
    field: str
    old: Any
    new: Any
    row: int

    def describe(self) -> str:
        header = COLUMNS[COL[self.field]].header if self.field in COL else "Correctie"
        also = f" (ook {', '.join(self.entry.aliases)})" if self.entry.aliases else ""
        return (f"{self.entry.path} (vanaf {_day(self.entry.valid_from)}){also}, {header}: "
                f"{_show(self.old)} -> {_show(self.new)}")


@dataclass(frozen=True, slots=True)
class NewEntry:
    """A row added to the workbook: a new dated value of a known parameter."""

    path: str
    data: dict[str, Any]  # from, value and provenance, as entry fields
    row: int

    def describe(self) -> str:
        return f"{self.path}: nieuwe waarde {_show(self.data['value'])} vanaf {_day(self.data['from'])} (rij {self.row})"


@dataclass
class ImportResult:
    changes: list[Change | NewEntry]
    written: bool


def _day(v: Any) -> str:
    """A 'from' as read from YAML (a date, or text a person typed) in Dutch."""
    return date(v) if isinstance(v, dt.date) else str(v)


def _show(v: Any) -> str:
    if v is None or v == "":
        return "(leeg)"
    if isinstance(v, bool):
        return "ja" if v else "nee"
    if isinstance(v, Decimal | int):
        return format(v, "f") if isinstance(v, Decimal) else str(v)
    if isinstance(v, dt.date):
        return date(v)
    s = str(v)
    return repr(s if len(s) <= 80 else s[:77] + "...")


class _Rows:
    """Problems located by sheet, row and column."""

    def __init__(self, shown: str):
        self.shown = shown
        self.problems: list[Problem] = []

    def add(self, row: int, col: int | None, message: str) -> None:
        where = f"blad {SHEET}, rij {row}"
        if col is not None:
            where += f", kolom {col_letter(col)} ({HEADERS[col]})"
        self.problems.append(Problem(self.shown, where, message))


# --------------------------------------------------------------------------- cell values


class _Bad(ValueError):
    pass


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime | dt.date):
        raise _Bad("een datum waar tekst hoort")
    s = yamledit.number_text(Decimal(repr(v))) if isinstance(v, float) else str(v).strip()
    return s or None


def _unneutralise(s: str) -> str:
    """Undo writers.safe_text: the apostrophe it put before text that looks like a formula."""
    if s.startswith("'") and s[1:].startswith(FORMULA_STARTS):
        return s[1:]
    return s


def _date(v: Any) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        if v.time() != dt.time(0):
            raise _Bad("een datum zonder tijd")
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v.strip())
        except ValueError as exc:
            raise _Bad(f"{v!r} is geen datum (jjjj-mm-dd)") from exc
    raise _Bad(f"{v!r} is geen datum (jjjj-mm-dd)")


def _number(v: Any) -> Decimal:
    if isinstance(v, bool):
        raise _Bad("een getal, geen waar/onwaar")
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v))
    if isinstance(v, str):
        try:
            return parse_number(v)
        except ValueError as exc:
            raise _Bad(str(exc)) from exc
    raise _Bad(f"{v!r} is geen getal")


def _value(v: Any, kind: kinds.Kind) -> Any:
    if v is None or v == "":
        if kind.nullable:
            return None
        raise _Bad("de waarde ontbreekt")
    if kind.kind == "int":
        d = _number(v)
        if d != d.to_integral_value():
            raise _Bad(f"{v!r} is geen geheel getal")
        return int(d)
    if kind.numeric:
        return _number(v)
    if kind.kind == "month_day" and isinstance(v, dt.date):
        raise _Bad("maand-dag als tekst, bijvoorbeeld 01-01 (de cel is een datum geworden)")
    s = _text(v)
    if kind.kind == "enum" and s not in kind.choices:
        raise _Bad(f"{s!r} is geen keuze; kies een van: {', '.join(kind.choices)}")
    return s


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal | int) and not isinstance(old, bool) and isinstance(new, Decimal | int):
        return Decimal(old) == Decimal(new)
    return old == new


# --------------------------------------------------------------------------- reading


def read_changes(path: Path, shown: str, source: Source, cost_model: Any) -> tuple[list[Change | NewEntry], list[Problem]]:
    """Compare the workbook with the cost model: every change, or the problems that stop the import."""
    problems = xlsxguard.check(path, shown)
    if problems:
        return [], problems
    import openpyxl  # heavy: only when a workbook is read

    try:
        wb = openpyxl.load_workbook(path, data_only=False, keep_links=False, keep_vba=False)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        return [], [Problem(shown, "", f"geen leesbaar xlsx-bestand: {type(exc).__name__}: {exc}")]
    if SHEET not in wb.sheetnames:
        return [], [Problem(shown, "", f"blad {SHEET!r} ontbreekt (bladen: {', '.join(wb.sheetnames)})")]
    ws = wb[SHEET]
    rows = _Rows(shown)
    header = [ws.cell(1, c + 1).value for c in range(len(HEADERS))]
    for c, (got, want) in enumerate(zip(header, HEADERS, strict=True)):
        if got != want:
            rows.add(1, c, f"kopje {got!r}, verwacht {want!r} (kolommen niet verplaatsen of hernoemen)")
    if ws.max_column > len(HEADERS):
        for c in range(len(HEADERS), ws.max_column):
            if any(ws.cell(r, c + 1).value not in (None, "") for r in range(1, ws.max_row + 1)):
                rows.add(1, None, f"kolom {col_letter(c)} hoort niet bij de werkmap: laat hem leeg")
                break
    if rows.problems:
        return [], rows.problems
    by_key = {(e.path, e.valid_from): e for e in source.entries}
    seen: dict[tuple[str, Any], int] = {}
    changes: list[Change | NewEntry] = []
    known_paths = {p for e in source.entries for p in (e.path, *e.aliases)}
    for r in range(2, ws.max_row + 1):
        cells = [ws.cell(r, c + 1) for c in range(len(HEADERS))]
        if all(cell.value in (None, "") for cell in cells):
            continue
        formulas = [c for c, cell in enumerate(cells) if cell.data_type == "f"]
        for c in formulas:
            rows.add(r, c, "bevat een formule; typ een waarde")
        if formulas:
            continue
        path = cells[COL["path"]].value
        try:
            start = _date(cells[COL["from"]].value)
        except _Bad as exc:
            rows.add(r, COL["from"], str(exc))
            continue
        entry = by_key.get((path, start))
        if (path, start) in seen:
            rows.add(r, COL["path"], f"dubbele regel (ook rij {seen[(path, start)]})")
            continue
        seen[(path, start)] = r
        if entry is None:
            if path in known_paths and start is not None:
                new_entry = _new_entry(rows, r, cells, str(path), start, cost_model)
                if new_entry is not None:
                    changes.append(new_entry)
                continue
            rows.add(r, COL["path"], f"geen parameter {path!r}: een nieuwe regel hoort bij een bestaande parameter "
                                     "en heeft een eigen 'Geldig vanaf' (nieuwe parameters toevoegen kan niet via "
                                     "de werkmap)")
            continue
        changes.extend(_row_changes(rows, r, cells, entry, cost_model))
    for e in source.entries:
        if (e.path, e.valid_from) not in seen:
            rows.problems.append(Problem(shown, f"blad {SHEET}",
                                         f"regel ontbreekt: {e.path} vanaf {_day(e.valid_from)} (regel {e.line} van "
                                         f"{COST_MODEL}); verwijderen kan niet via de werkmap"))
    return changes, rows.problems


def _new_entry(rows: _Rows, r: int, cells: list[Any], path: str, start: dt.date, cost_model: Any) -> NewEntry | None:
    """An added row: its editable cells become the fields of a new dated entry (source and rationale required)."""
    kind = kinds.kind_of(path, cost_model)
    data: dict[str, Any] = {"from": start}
    ok = True
    for c, col in enumerate(COLUMNS):
        if not col.editable:
            continue
        raw = cells[c].value
        try:
            value: Any = _cell(col.field, raw, kind)
            if col.field == "assumption":
                value = value or None  # a new entry states only a true assumption
        except _Bad as exc:
            rows.add(r, c, str(exc))
            ok = False
            continue
        if value is not None:
            data[col.field] = value
    for fld in REQUIRED_WITH_NEW_VALUE:
        if not data.get(fld):
            rows.add(r, COL[fld], f"nieuwe regel {path} vanaf {date(start)}: de {COLUMNS[COL[fld]].header.lower()} ontbreekt")
            ok = False
    return NewEntry(path, data, r) if ok else None


def _cell(field: str, raw: Any, kind: Any, old: dict[str, Any] | None = None) -> Any:
    """One editable cell as the value of ``field`` (the one reading for changed and added rows); _Bad if wrong.

    ``old``: the entry the row shows; a text cell that still shows its old text keeps the old value (the sheet
    shows a text starting with =, +, - or @ neutralised, see safe_text)."""
    if field in DATE_FIELDS:
        return _date(raw)
    if field == "value":
        return _value(raw, kind)
    if field == "status":
        value = _text(raw) or "draft"
        if value not in STATUS:
            raise _Bad(f"{value!r}: kies draft of adopted")
        return value
    if field == "assumption":
        if isinstance(raw, bool):
            return raw
        t = (_text(raw) or "nee").lower()
        if t not in YES_NO:
            raise _Bad(f"{t!r}: kies ja of nee")
        return t == "ja"
    text = _text(raw)
    if old is not None and text == safe_text(old.get(field)):
        return old.get(field)
    return _unneutralise(text) if text is not None else None


def _row_changes(rows: _Rows, r: int, cells: list[Any], entry: Entry, cost_model: Any) -> list[Change]:
    kind = kinds.kind_of(entry.path, cost_model)
    out: list[Change] = []
    new: dict[str, Any] = {}
    for c, col in enumerate(COLUMNS):
        raw = cells[c].value
        expected = cell_value(entry, col.field, cost_model)
        if not col.editable:
            if col.field in ("path", "from", "line"):  # the key, and a line number that moves with any edit
                continue
            ok = (raw or "") == (safe_text(expected) or "")
            if not ok:
                rows.add(r, c, f"alleen-lezen kolom gewijzigd ({_show(raw)}, was {_show(expected)}); "
                               f"pas dit aan in {COST_MODEL}")
            continue
        try:
            value: Any = _cell(col.field, raw, kind, entry.data)
        except _Bad as exc:
            rows.add(r, c, str(exc))
            continue
        new[col.field] = value
        old = entry.data.get(col.field)
        if col.field == "status":
            old = old or "draft"
        elif col.field == "assumption":
            old = bool(old)
        if not _same(old, value):
            out.append(Change(entry, col.field, entry.data.get(col.field), value, r))
    changed = {ch.field for ch in out}
    if "value" in changed:
        for fld in REQUIRED_WITH_NEW_VALUE:
            if not new.get(fld):
                rows.add(r, COL[fld], f"de waarde is gewijzigd ({_show(entry.data.get('value'))} -> "
                                      f"{_show(new.get('value'))}) maar de {COLUMNS[COL[fld]].header.lower()} "
                                      "ontbreekt: geef de bron en de afweging van de nieuwe waarde")
        if new.get("source") and new.get("rationale") and not changed & set(REQUIRED_WITH_NEW_VALUE):
            rows.add(r, COL["value"], f"de waarde is gewijzigd ({_show(entry.data.get('value'))} -> "
                                      f"{_show(new.get('value'))}) maar bron en afweging niet: die horen bij de "
                                      "oude waarde; geef de bron en de afweging van de nieuwe waarde")
    return out


# --------------------------------------------------------------------------- applying


def apply_changes(source: Source, changes: list[Change]) -> tuple[str, Any]:
    """The new YAML text and its parsed data; raises yamledit.EditError if the result is not exactly right."""
    edits = []
    order = (*FIELDS, "correction")
    for ch in sorted(changes, key=lambda c: (c.entry.line, order.index(c.field))):
        remove = ch.new is None and ch.field in OPTIONAL
        edits.append(yamledit.set_field(source.text, ch.entry.node, ch.field, ch.new, remove=remove, order=order))
    text = yamledit.apply(source.text, edits)
    # The result must read back as the old data with exactly these changes, nothing else.
    expected = copy.deepcopy({"data": source.data, "entries": [e.data for e in source.entries]})
    for ch in changes:
        target = expected["entries"][source.entries.index(ch.entry)]
        if ch.new is None and ch.field in OPTIONAL:
            target.pop(ch.field, None)
        else:
            target[ch.field] = ch.new
    new_source = paramsource.parse(text.encode("utf-8"))
    if new_source.data != expected["data"]:
        raise yamledit.EditError("de gewijzigde YAML leest niet terug zoals bedoeld; er is niets geschreven")
    return text, new_source.data


def validation_problems(data: Any, source: Source) -> tuple[Any, list[Problem]]:
    """Validate with schema.CostModelFile; problems name the entry's YAML line and its workbook row key."""
    from pydantic import ValidationError

    from tariefmodel.data.pydantic_nl import dutch_message, error_path
    from tariefmodel.data.schema import CostModelFile

    try:
        return CostModelFile.model_validate(data), []
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            loc = list(error_path(err))
            msg = dutch_message(err)
            where = ".".join(str(p) for p in loc)
            if "values" in loc:
                i = loc.index("values")
                path, index = ".".join(str(p) for p in loc[:i]), loc[i + 1] if len(loc) > i + 1 else None
                for e in source.entries:
                    if (e.path == path or path in e.aliases) and e.index == index:
                        where = f"{e.path} vanaf {_day(e.valid_from)}" + (f", {loc[i + 2]}" if len(loc) > i + 2 else "")
            out.append(Problem(COST_MODEL, where, f"na de wijziging: {msg}"))
        return None, out


def _today() -> dt.date:
    return dt.date.today()


def _rewrites_the_past(ch: Change, today: dt.date) -> bool:
    """A change of value or 'until' that alters what a day before this year was priced with."""
    opened = first_open_day(today)
    if ch.field == "value":
        return ch.entry.valid_from < opened
    if ch.field == "until":
        far = dt.date.max - dt.timedelta(days=1)
        return ch.entry.valid_from < opened and min(ch.old or far, ch.new or far) + dt.timedelta(days=1) < opened
    return False


def _history(changes: list[Change | NewEntry], shown: str, correction: str | None,
             today: dt.date) -> tuple[list[Change | NewEntry], list[Problem]]:
    """Refuse edits of values that priced a past year, or (with a reason) record them as corrections."""
    out: list[Change | NewEntry] = list(changes)
    problems: list[Problem] = []
    corrected: set[int] = set()
    for ch in changes:
        if not isinstance(ch, Change) or not _rewrites_the_past(ch, today):
            continue
        if correction is None:
            problems.append(Problem(shown, f"blad {SHEET}, rij {ch.row}", f"{ch.describe()}: deze waarde bepaalde "
                                    f"al tarieven van een afgelopen jaar en wordt niet overschreven. Een nieuwe waarde: "
                                    f"kopieer de regel naar een nieuwe rij met de ingangsdatum in 'Geldig vanaf'. "
                                    f"Was de oude waarde fout: importeer met --correctie REDEN"))
        elif id(ch.entry) not in corrected:
            corrected.add(id(ch.entry))
            record = {"reason": correction, "recorded_on": today}
            if "value" in ch.entry.data:
                record["previous_value"] = ch.entry.data["value"]
            out.append(Change(ch.entry, "correction", ch.entry.data.get("correction"), record, ch.row))
    return out, problems


def import_parameters(workbook: Path, root: Path, *, dry_run: bool = False, correction: str | None = None,
                      today: dt.date | None = None) -> ImportResult:
    """Check the workbook against ``root``/parameters/cost_model.yaml and apply its changes; InputError if any check fails.

    ``correction`` (the CLI's ``--correctie REDEN``) allows changing a value that priced a past year and is
    recorded on each such entry; without it those edits are refused. Added rows become new dated entries.
    """
    from tariefmodel.data.records import to_record
    from tariefmodel.data.yamlio import YamlError
    from tariefmodel.engine.book import price_book
    from tariefmodel.loader.load import load_region

    target = root / COST_MODEL
    try:
        raw = target.read_bytes()
    except OSError as exc:
        raise InputError([Problem(COST_MODEL, "", f"kan het bestand niet lezen: {exc.strerror}")]) from exc
    try:
        source = paramsource.parse(raw)
    except YamlError as exc:
        raise InputError([Problem(COST_MODEL, "", str(exc), line=exc.line)]) from exc
    model, problems = validation_problems(source.data, source)
    if problems:
        raise InputError(problems)
    changes, problems = read_changes(workbook, str(workbook), source, model)
    if problems:
        raise InputError(problems)
    if not changes:
        return ImportResult([], False)
    today = today or _today()
    if correction is not None and is_placeholder(correction):
        raise InputError([Problem(str(workbook), "--correctie", f"{correction!r} is geen reden")])
    changes, problems = _history(changes, str(workbook), correction, today)
    if problems:
        raise InputError(problems)
    edits = [ch for ch in changes if isinstance(ch, Change)]
    try:
        text, data = apply_changes(source, edits) if edits else (source.text, source.data)
        for new in (ch for ch in changes if isinstance(ch, NewEntry)):
            # The one rule for a new dated value, shared with 'param set'.
            _, current = yamledit.compose(text)
            entries = param_index(current)[new.path]["values"]
            plan = dated.plan(entries, new.data, path=new.path, correction=correction, today=today)
            text = dated.apply_to_text(text, new.path.split("."), plan)
        if any(isinstance(ch, NewEntry) for ch in changes):
            _, data = yamledit.compose(text)
    except yamledit.EditError as exc:
        raise InputError([Problem(COST_MODEL, "", str(exc))]) from exc
    new_model, problems = validation_problems(data, source)
    if problems:
        raise InputError(problems)
    # The region must still price: conventions and rates are checked together there (e.g. share < 1).
    region = load_region(root)
    region = dataclasses.replace(region, cost_model=to_record(new_model))
    price_book(region, region.info.default_year)  # raises InputError naming what no longer works
    if dry_run:
        return ImportResult(changes, False)
    if target.read_bytes() != raw:
        raise InputError([Problem(COST_MODEL, "", "het bestand is tijdens het importeren gewijzigd; importeer opnieuw")])
    atomic_write_bytes(target, (("\ufeff" if source.bom else "") + text).encode("utf-8"))
    return ImportResult(changes, True)
