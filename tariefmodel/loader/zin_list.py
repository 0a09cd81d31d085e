"""A region's ZIN tariff list: decided amounts per product, read from ``parameters/zin_tarieven.csv``.

Many municipalities do not compute every tariff: they take another region's list, a negotiated amount
or a national tariff, and derive their pgb tariffs from it. Each row of the list becomes a decided amount
(``vast`` bedrag) of a product in the product book, exactly as if it were written under ``vast:`` in the
product file, so it joins the book the same way: every CAO variant, basistarief and micro at the amount,
pgb rows derived from it, indexation in later contract years, annexes, budgets and the audit (which names
this file and row as where the value comes from).

The file is optional. Its layout (one header row; lines starting with ``#`` before it are comments)::

    code,eenheid,bedrag,geldig_vanaf,geldig_tot,bron[,besluit][,toelichting]
    45A60,dagdeel,61.37,2025-01-01,2025-12-31,"Tarievenlijst ... 2025, https://..."

What Excel saves in Dutch is read as well: ``;`` as separator, a decimal comma (``61,37``), dates as
``01-01-2025``, a byte-order mark. The English column names (code, unit, amount, valid_from,
valid_until, source, decision, rationale) are accepted too.

A tariff holds per calendar year, so a period starts on 1 January and ends on 31 December (or is
open-ended); a product is decided in one place only (the list or its product file); periods of one
product do not overlap (an empty ``geldig_tot`` holds until the product's next row); the unit is the
product's own. Every problem names the file and the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from tariefmodel.data.numbers import date
from tariefmodel.data.problems import Problems, did_you_mean
from tariefmodel.data.region import BookProduct
from tariefmodel.loader.reader import Reader, csv_lines

FILE = "parameters/zin_tarieven.csv"

# Dutch column name -> the same column in English; the value is the FixedAmount field it fills.
COLUMNS = {"code": "code", "eenheid": "unit", "bedrag": "amount", "geldig_vanaf": "valid_from",
           "geldig_tot": "valid_until", "bron": "source", "besluit": "decision", "toelichting": "rationale"}
REQUIRED = ("code", "eenheid", "bedrag", "geldig_vanaf", "geldig_tot", "bron")
_ENGLISH = {english: dutch for dutch, english in COLUMNS.items()}

# 61.37 or 61,37 (at most two decimals); an optional euro sign. No thousands separator: 1.234,56 is refused
# because "1.234" is also a valid amount with a decimal point, the typo the salary tables guard against too.
_AMOUNT = re.compile(r"^(?:€\s*)?([0-9]+)(?:[.,]([0-9]{1,2}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DUTCH = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


def _amount(text: str) -> Decimal | None:
    m = _AMOUNT.match(text.strip())
    if m is None:
        return None
    return Decimal(f"{m.group(1)}.{m.group(2) or '0'}")


def _date(text: str) -> dt.date | None:
    s = text.strip()
    m = _ISO.match(s)
    parts = (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    if parts is None and (m := _DUTCH.match(s)):
        parts = (int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if parts is None:
        return None
    try:
        return dt.date(*parts)
    except ValueError:
        return None


def _header(row: list[str]) -> tuple[list[str], str | None]:
    """The columns in Dutch, or a message saying what is wrong with the header."""
    names = [c.strip().lower() for c in row]
    dutch = [_ENGLISH.get(n, n) for n in names]
    unknown = [n for n in names if _ENGLISH.get(n, n) not in COLUMNS]
    missing = [c for c in REQUIRED if c not in dutch]
    twice = sorted({c for c in dutch if dutch.count(c) > 1})
    if unknown or missing or twice:
        parts = []
        if missing:
            parts.append("ontbrekend: " + ", ".join(missing))
        if unknown:
            parts.append("onbekend: " + ", ".join(f"{n!r}" + (f" ({h})" if (h := did_you_mean(n, COLUMNS)) else "")
                                                  for n in unknown))
        if twice:
            parts.append("dubbel: " + ", ".join(twice))
        return dutch, (f"kolommen {'; '.join(parts)}. De kopregel hoort te zijn: {','.join(REQUIRED)} "
                       "(en eventueel besluit, toelichting)")
    return dutch, None


def read_zin_list(reader: Reader, root: Path, products: dict[str, BookProduct], external: set[str],
                  problems: Problems) -> dict[str, list[dict[str, Any]]]:
    """Product code -> its rows of the region's ZIN list; empty when the region has none."""
    path = root / FILE
    if not path.exists() and not path.is_symlink():
        return {}
    raw = reader.open(path)
    if raw is None:
        return {}
    return parse_zin_list(raw, FILE, products, external, problems)


def parse_zin_list(raw: bytes, file: str, products: dict[str, BookProduct], external: set[str],
                   problems: Problems) -> dict[str, list[dict[str, Any]]]:
    """Product code -> its rows of a ZIN list, each as the fields of a FixedAmount (validated here, so the
    caller only has to build the records). ``file`` names the list in every problem."""
    from tariefmodel.data.schema import is_placeholder

    lines = csv_lines(raw, file, problems)
    if lines is None:
        return {}
    start = 0
    while start < len(lines) and (lines[start].startswith("#") or not lines[start].strip()):
        start += 1
    if start == len(lines):
        problems.add(file, "kopregel", f"geen kopregel; schrijf: {','.join(REQUIRED)}")
        return {}
    # Excel in Dutch separates with ';' (the comma is the decimal sign there).
    sep = ";" if lines[start].count(";") > lines[start].count(",") else ","
    rows = list(csv.reader(lines[start:], delimiter=sep))
    names, wrong = _header(rows[0])
    if wrong:
        problems.add(file, "kopregel", wrong, line=start + 1)
        return {}

    out: dict[str, list[dict[str, Any]]] = {}
    first_row: dict[tuple[str, dt.date], int] = {}
    for i, row in enumerate(rows[1:], start=start + 2):
        if not row or all(not c.strip() for c in row):
            continue
        where = f"rij {i}"
        if len(row) != len(names):
            problems.add(file, where, f"{len(row)} kolommen in plaats van {len(names)} (is de regel afgebroken, "
                         f"of staat er een {'puntkomma' if sep == ';' else 'komma'} te veel?)", line=i)
            continue
        cell = {name: value.strip() for name, value in zip(names, row, strict=True)}
        code = cell["code"].upper()
        errors: list[str] = []
        bp = products.get(code)
        if bp is None:
            if code in external:
                errors.append(f"{code} is een extern tarief: zet het in parameters/external_tariffs.yaml")
            else:
                hint = did_you_mean(code, products)
                errors.append(f"productcode {cell['code']!r} staat niet in het productenboek"
                              + (f"; {hint}" if hint else ""))
        amount = _amount(cell["bedrag"])
        if amount is None or amount <= 0:
            errors.append(f"bedrag {cell['bedrag']!r} is geen bedrag (schrijf 61,37 of 61.37: groter dan nul, "
                          "hoogstens twee decimalen, geen duizendtalscheiding)")
        start_day = _date(cell["geldig_vanaf"])
        end_day = _date(cell["geldig_tot"]) if cell["geldig_tot"] else None
        if start_day is None:
            errors.append(f"geldig_vanaf {cell['geldig_vanaf']!r} is geen datum (schrijf 2025-01-01 of 01-01-2025)")
        elif (start_day.month, start_day.day) != (1, 1):
            errors.append(f"geldig_vanaf {cell['geldig_vanaf']} is geen 1 januari: een tarief geldt per "
                          "kalenderjaar")
        if cell["geldig_tot"] and end_day is None:
            errors.append(f"geldig_tot {cell['geldig_tot']!r} is geen datum (schrijf 2025-12-31 of 31-12-2025, "
                          "of laat het leeg)")
        elif end_day is not None and (end_day.month, end_day.day) != (12, 31):
            errors.append(f"geldig_tot {cell['geldig_tot']} is geen 31 december: een tarief geldt per kalenderjaar")
        elif end_day is not None and start_day is not None and end_day < start_day:
            errors.append(f"geldig_tot {cell['geldig_tot']} ligt vóór geldig_vanaf {cell['geldig_vanaf']}")
        if len(cell["bron"]) < 3 or is_placeholder(cell["bron"]):
            errors.append(f"bron {cell['bron']!r} noemt geen openbaar document: geef de tarievenlijst of het "
                          "besluit met het adres")
        if bp is not None:
            prod = bp.product
            if cell["eenheid"] != prod.unit:
                errors.append(f"eenheid {cell['eenheid']!r} verschilt van die van {code} in het productenboek "
                              f"({prod.unit})")
            if prod.unit == "minuut":
                errors.append(f"{code} is een minuutproduct: een vast bedrag per minuut kan niet (neem het "
                              "uurproduct op)")
            if any(not getattr(v, "listed_in", None) for v in prod.vast):  # decided in its product file
                errors.append(f"{code} heeft al een vast bedrag in {bp.file}: leg het op één plek vast")
        if errors:
            for message in errors:
                problems.add(file, f"{where} ({code})" if code else where, message, line=i)
            continue
        assert start_day is not None and amount is not None
        if (code, start_day) in first_row:
            problems.add(file, f"{where} ({code})", f"{code} per {date(start_day)} staat er al in (rij "
                         f"{first_row[(code, start_day)]})", line=i)
            continue
        first_row[(code, start_day)] = i
        out.setdefault(code, []).append({
            "from": start_day, "until": end_day, "amount": amount, "source": cell["bron"],
            "decision": cell.get("besluit") or None,
            "rationale": cell.get("toelichting") or None, "status": "adopted", "listed_in": file, "listed_row": i})
    for code, entries in out.items():
        entries.sort(key=lambda e: e["from"])
        for before, after in itertools.pairwise(entries):
            # An open-ended row holds until the next row of its product, as a ``vast`` entry does.
            if before["until"] is not None and before["until"] >= after["from"]:
                problems.add(file, f"rij {after['listed_row']} ({code})",
                             f"de periode van {code} vanaf {date(after['from'])} overlapt die van rij "
                             f"{before['listed_row']} ({date(before['from'])} tot en met {date(before['until'])})",
                             line=after["listed_row"])
    return out


def with_zin_list(products: list[BookProduct], rows: dict[str, list[dict[str, Any]]]) -> list[BookProduct]:
    """The product book with each listed product's ZIN rows as its decided amounts (``vast``)."""
    import dataclasses

    from tariefmodel.data.schema import FixedAmount

    if not rows:
        return products
    out = []
    for bp in products:
        entries = rows.get(bp.product.code)
        if entries:
            vast = [FixedAmount.model_validate(
                {**e, "rationale": e["rationale"] or f"Overgenomen uit de ZIN-tarievenlijst ({FILE}), niet berekend."})
                for e in entries]
            bp = dataclasses.replace(bp, product=bp.product.model_copy(update={"vast": vast}))
        out.append(bp)
    return out
