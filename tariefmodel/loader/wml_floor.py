"""The statutory minimum wage (WML) as a floor under the CAO salary cells the tariffs use.

A CAO table is published months before the WML it will meet is known: the CAO VVT table
Hulp bij het Huishouden of 1-1-2026 (April 2025) has step 0 at EUR 2.279,18, below the WML of
1-1-2026 for its 36-hour week (EUR 14,71 x 156 = EUR 2.294,76). The law prevails over the CAO
(Wet minimumloon en minimumvakantiebijslag art. 7 and 8): the employer pays at least the WML,
so a reële prijs must too.

For every money table family (kind + file name without date, ``salary_checks.family``) and every
date d on which a WML or a table of the family starts, the published table in force on d is
compared with the monthly WML in force on d for the CAO's own week. Used cells below it get the
WML, rounded UP to cents (at least the WML), in a derived table effective d; when the published
table itself starts on d, the lifted table replaces it. Each derived table is built from the
published one, never from an earlier lift, and records it (``SalaryTable.lifted_from``) and the
CAO's own amount of each lifted cell (``SalaryTable.lifted``) so every output can say why.

The WML only rises (twice a year), so a lift stays right until the next date of the family.
A cell below a WML already in force the day before the table started is a typo, not a lift:
salary_checks refuses it (an error), and it gets no warning here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import ROUND_CEILING, Decimal
from typing import Any

from tariefmodel.data.cao import Cao, SalaryTable
from tariefmodel.data.numbers import date, eur
from tariefmodel.data.problems import Problems
from tariefmodel.loader.salary_checks import family, monthly_minimum_wage, used_cells

MONEY_KINDS = ("series", "scales")
CENT = Decimal("0.01")
LAW = "Wet minimumloon en minimumvakantiebijslag art. 7 en 8"


def _cell(kind: str, key: Any) -> str:
    return f"nummer {key}" if kind == "series" else f"schaal {key[0]} trede {key[1]}"


def lifted_file(table: SalaryTable, day: dt.date) -> str:
    """The name a lifted table goes by: the published file and the WML date (no such file exists)."""
    return f"{table.file} (WML-bodem per {date(day)})"


def published_tables(cao: Cao) -> list[SalaryTable]:
    """The CAO's tables as read from their files, without the WML floor (for upkeep: build on the published)."""
    out: dict[str, SalaryTable] = {}
    for t in cao.tables:
        own = t.lifted_from or t
        out.setdefault(own.file, own)
    return sorted(out.values(), key=lambda t: (t.effective, t.file))


def apply_wml_floor(cao: Cao, lines: dict[str, dict], minimum_wage: Any, problems: Problems) -> Cao:
    """The CAO with every used cell lifted to the WML in force from the WML's (or table's) date on.

    ``lines``: table file -> cell -> CSV line (for the warnings). Without a minimum wage file nothing changes.
    """
    if minimum_wage is None:
        return cao
    used = used_cells(cao)
    wml_dates = sorted(v.valid_from for v in minimum_wage.values)
    families: dict[tuple[str, str], list[SalaryTable]] = {}
    for t in sorted(cao.tables, key=lambda t: (t.effective, t.file)):
        if t.kind in MONEY_KINDS:
            families.setdefault(family(t), []).append(t)
    replaced: dict[str, SalaryTable] = {}  # published file -> its lifted version on its own date
    added: list[SalaryTable] = []
    for own in families.values():
        days = sorted({t.effective for t in own} | {d for d in wml_dates if d >= own[0].effective})
        for day in days:
            table = [t for t in own if t.effective <= day][-1]
            lifted = _lifted(cao, table, day, minimum_wage, used, lines.get(table.file, {}), problems)
            if lifted is None:
                continue
            if table.effective == day:
                replaced[table.file] = lifted
            else:
                added.append(lifted)
    if not replaced and not added:
        return cao
    tables = tuple(replaced.get(t.file, t) for t in cao.tables) + tuple(added)
    return Cao(cao.meta, tables, cao.function_map, cao.dir)


def _lifted(cao: Cao, table: SalaryTable, day: dt.date, minimum_wage: Any, used: set[Any], at: dict,
            problems: Problems) -> SalaryTable | None:
    wml = monthly_minimum_wage(minimum_wage, cao, day)
    if wml is None:
        return None
    floor, how = wml
    low = {k: v for k, v in table.cells.items() if k in used and v < floor}
    if not low:
        return None
    lifted_amount = floor.quantize(CENT, rounding=ROUND_CEILING)  # at least the WML: never a cent below
    before = monthly_minimum_wage(minimum_wage, cao, table.effective - dt.timedelta(days=1))
    for key, amount in low.items():
        if before is not None and amount < before[0]:
            continue  # below a WML known when the table was agreed: salary_checks' error, no lift to report
        row = at.get(key)
        problems.add(table.file, f"rij {row}" if row else _cell(table.kind, key),
                     f"{_cell(table.kind, key)}: maandbedrag {eur(amount)} ligt onder het wettelijk minimumloon "
                     f"({how}; parameters/minimum_wage.yaml). De wet gaat voor de CAO "
                     f"({LAW}): vanaf {date(day)} rekent het model met {eur(lifted_amount)}. "
                     "Vervang de tabel door een herziene CAO-tabel zodra die er is.",
                     line=row, severity="warning")
    source = (f"afgeleid: cellen onder het wettelijk minimumloon per {date(day)} opgetrokken tot "
              f"{eur(lifted_amount)} ({LAW}; {how}; {', '.join(_cell(table.kind, k) for k in low)}) | "
              f"gepubliceerde tabel {table.file}: {table.source}")
    return dataclasses.replace(table, effective=day, file=lifted_file(table, day), derived=True, source=source,
                               cells={**table.cells, **dict.fromkeys(low, lifted_amount)}, lifted_from=table,
                               lifted=low)
