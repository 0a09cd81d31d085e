"""Plausibility of CAO salary tables: catch the typo that would silently price a tariff 26% too low.

A salary table is read cell by cell, so a mistyped amount passes every format check: ``3.305``
(a Dutch thousands dot) is a valid number, ``0`` too, and a table cut off after half its rows
still parses. These checks compare each table with the law and with its own predecessor:

* no monthly amount below EUR 100 (a thousands dot) or above EUR 100.000;
* no amount below the statutory minimum wage (WML, ``parameters/minimum_wage.yaml``) that was already in
  force the day before the table's effective date, for the CAO's own full-time week (an hourly WML x
  weekly_hours x 52 / 12): parties cannot have agreed such an amount, so it is a typo. A cell that only
  falls below a WML of the table's own date or later is no typo; loader.wml_floor lifts it (a warning);
* within a scale, no step below the step before it (series: no number below the number before it);
* no table with cells missing that the previous table of the same kind and name (same file name
  without its date and DERIVED_ prefix) had: a truncated file.

Each problem names the file and the row.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal
from typing import Any

from tariefmodel.data.cao import Cao, SalaryTable
from tariefmodel.data.numbers import date, eur
from tariefmodel.data.problems import Problems

MIN_PLAUSIBLE = Decimal(100)  # below this a monthly amount is a typo (3.305 for 3305)
MAX_PLAUSIBLE = Decimal(100_000)
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
_DATE = re.compile(r"_?\d{4}-\d{2}-\d{2}$")


def family(table: SalaryTable) -> tuple[str, str]:
    """The kind and the file name without date and DERIVED_: tables of one family replace each other."""
    stem = table.file.rsplit("/", 1)[-1].rsplit(".", 1)[0].removeprefix("DERIVED_")
    return table.kind, _DATE.sub("", stem)


def monthly_minimum_wage(minimum_wage: Any, cao: Cao, on: dt.date) -> tuple[Decimal, str] | None:
    """(monthly WML for the CAO's full-time week in force on ``on``, how it was derived), or None before the first.

    The amount is exact (an hourly WML x 38 hours x 52 / 12 has no end); loader.wml_floor rounds it up to cents.
    """
    valid = [v for v in minimum_wage.values if v.valid_from <= on]
    if not valid:
        return None
    wml = max(valid, key=lambda v: v.valid_from)
    if wml.per == "month":
        return wml.value, f"WML per {date(wml.valid_from)}: {eur(wml.value)} per maand"
    hours = cao.meta.weekly_hours
    monthly = wml.value * hours * WEEKS_PER_MONTH
    return monthly, (f"WML per {date(wml.valid_from)}: {eur(wml.value)} per uur x {hours} uur x 52 / 12 = "
                     f"{eur(monthly)} per maand")


def used_cells(cao: Cao) -> set[Any]:
    """The (scale, step) cells and series numbers the function map reaches on any date."""
    from tariefmodel.data.steps import step_weights

    used: set[Any] = set()
    for param in cao.function_map.profiles.values():
        for dated in param.values:
            used.update((dated.value.scale, step) for step in step_weights(dated.value))
    for t in cao.tables:
        if t.kind == "scale_map":
            used.update(number for key, number in t.cells.items() if key in used)
    return used


def check_salary_tables(cao: Cao, lines: dict[str, dict], minimum_wage: Any, problems: Problems,
                        dropped: dict[str, str] | None = None) -> None:
    """Add an error for every implausible cell of the CAO's salary tables (see the module docstring).

    ``dropped``: table file -> the reason its tables.yaml entry gives for cells it lacks (then a warning).
    """
    used = used_cells(cao)
    maps = sorted((t for t in cao.tables if t.kind == "scale_map"), key=lambda t: t.effective)
    previous: dict[tuple[str, str], SalaryTable] = {}
    for table in sorted(cao.tables, key=lambda t: (t.effective, t.file)):
        at = lines.get(table.file, {})
        if table.kind != "scale_map":
            _amounts(cao, table, at, minimum_wage, used, problems)
        if table.kind == "scales":
            _order(table, at, problems)
        elif table.kind == "series" and maps:
            smap = ([m for m in maps if m.effective <= table.effective] or maps[:1])[-1]
            _series_order(table, smap, at, lines.get(smap.file, {}), problems)
        before = previous.get(family(table))
        if before is not None:
            missing = [k for k in before.cells if k not in table.cells]
            if missing:
                shown = ", ".join(_cell(table.kind, k) for k in missing[:5]) + (" ..." if len(missing) > 5 else "")
                last = max(at.values(), default=None)
                why = (dropped or {}).get(table.file)
                message = (f"de tabel mist {len(missing)} cel(len) die de vorige tabel {before.file} wel had "
                           f"({shown})")
                if why:
                    problems.add(table.file, "", f"{message}; volgens tables.yaml (cells_dropped): {why}",
                                 severity="warning")
                else:
                    problems.add(table.file, f"rij {last}" if last else "", f"{message}: is het bestand afgebroken? "
                                 "(een bewuste wijziging krijgt in tables.yaml een cells_dropped met de reden)",
                                 line=last)
        previous[family(table)] = table


def _cell(kind: str, key: Any) -> str:
    return f"nummer {key}" if kind == "series" else f"schaal {key[0]} trede {key[1]}"


def _amounts(cao: Cao, table: SalaryTable, at: dict, minimum_wage: Any, used: set[Any], problems: Problems) -> None:
    # The WML in force the day before the table starts: known when the amounts were agreed.
    before = table.effective - dt.timedelta(days=1)
    floor = monthly_minimum_wage(minimum_wage, cao, before) if minimum_wage is not None else None
    for key, amount in table.cells.items():
        row = at.get(key)
        where = f"rij {row}" if row else _cell(table.kind, key)
        if amount < MIN_PLAUSIBLE:
            problems.add(table.file, where, f"{_cell(table.kind, key)}: maandbedrag {amount} is onwaarschijnlijk "
                         f"laag (onder {eur(MIN_PLAUSIBLE)}): een punt als duizendtalscheiding (3.305 voor 3305)? "
                         "Schrijf bedragen als 3305.00", line=row)
        elif amount > MAX_PLAUSIBLE:
            problems.add(table.file, where, f"{_cell(table.kind, key)}: maandbedrag {amount} is onwaarschijnlijk "
                         f"hoog (boven {eur(MAX_PLAUSIBLE)})", line=row)
        elif floor is not None and amount < floor[0] and key in used:
            # Only cells the function map uses: published series keep legacy rows below the WML that the
            # CAO tops up by rule (e.g. GGZ inpassingsnummers 1-6); a tariff never rests on those.
            problems.add(table.file, where, f"{_cell(table.kind, key)}: maandbedrag {eur(amount)} ligt onder het "
                         f"wettelijk minimumloon dat al gold vóór de ingangsdatum {date(table.effective)} "
                         f"({floor[1]}; parameters/minimum_wage.yaml): zo'n bedrag kan niet zijn afgesproken, "
                         "een tikfout?", line=row)


def _series_order(series: SalaryTable, smap: SalaryTable, at: dict, map_at: dict, problems: Problems) -> None:
    """A scale's steps (in the scale map's file order) must not earn less than the step before them."""
    by_scale: dict[str, list[Any]] = {}
    for key in sorted(smap.cells, key=lambda k: map_at.get(k, 0)):
        by_scale.setdefault(key[0], []).append(key)
    for scale, keys in by_scale.items():
        steps = [(k, smap.cells[k]) for k in keys if smap.cells[k] in series.cells]
        for (ka, a), (kb, b) in itertools.pairwise(steps):
            if series.cells[b] < series.cells[a]:
                row = at.get(b)
                problems.add(series.file, f"rij {row}" if row else f"nummer {b}",
                             f"schaal {scale} trede {kb[1]} (nummer {b}: {eur(series.cells[b])}) ligt onder de "
                             f"vorige trede {ka[1]} (nummer {a}: {eur(series.cells[a])}; {smap.file}): een tikfout?",
                             line=row)


def _order(table: SalaryTable, at: dict, problems: Problems) -> None:
    by_scale: dict[str, list[Any]] = {}
    for key in sorted(table.cells, key=lambda k: at.get(k, 0)):  # file order: steps as published
        by_scale.setdefault(key[0], []).append(key)
    pairs = [(a, b) for keys in by_scale.values() for a, b in itertools.pairwise(keys)]
    for a, b in pairs:
        if table.cells[b] < table.cells[a]:
            row = at.get(b)
            problems.add(table.file, f"rij {row}" if row else _cell(table.kind, b),
                         f"{_cell(table.kind, b)}: {eur(table.cells[b])} ligt onder de vorige trede "
                         f"({_cell(table.kind, a)}: {eur(table.cells[a])}): een tikfout?", line=row)
