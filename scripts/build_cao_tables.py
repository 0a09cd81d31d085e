"""Import the official CAO salary tables from ``shared/reference/cao`` into ``cao_tables/``.

One-off importer, kept so that anyone can see (and rerun) how every table in
``cao_tables/`` was obtained from the reference CSVs. It normalises the five
CAOs into two table kinds the engine understands:

* ``series``: one salary series by *inpassingsnummer* (FWG-style CAOs: GHZ, GGZ,
  VVT), plus a ``scale_map`` (scale, step -> number) that holds from a date;
* ``scales``: amounts per scale and step (Jeugdzorg, Sociaal Werk, VVT HbH).

Every written CSV keeps the reference file's ``# source: ...`` line verbatim,
so a table can be followed to its publication without this script. Amounts
are copied as published, never recomputed. Derived (not official) tables stay
marked ``derived: true``.

Usage: ``python scripts/build_cao_tables.py ../shared/reference/cao cao_tables``
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def read(path: Path) -> tuple[str, list[dict[str, str]]]:
    """Return the source comment line and the rows of a reference CSV."""
    lines = path.read_text(encoding="utf-8").splitlines()
    comment = lines[0] if lines[0].startswith("#") else ""
    body = [ln for ln in lines if not ln.startswith("#")]
    return comment, list(csv.DictReader(body))


def write(path: Path, comment: str, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(comment.rstrip() + "\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def date_of(name: str) -> str:
    m = DATE.search(name)
    assert m, name
    return m.group(1)


def main(ref: Path, out: Path) -> None:
    tables: dict[str, list[dict[str, object]]] = {}

    def add(cao: str, **entry: object) -> None:
        tables.setdefault(cao, []).append(entry)

    # --- Jeugdzorg: amounts per scale and periodiek -------------------------
    for f in sorted(ref.glob("cao_jeugdzorg_*.csv")):
        comment, rows = read(f)
        d = date_of(f.name)
        name = f"schalen_{d}.csv"
        write(out / "jeugdzorg" / name, comment, ["scale", "step", "monthly_eur"],
              [[r["scale"], r["periodiek"], r["monthly_eur"]] for r in rows])
        add("jeugdzorg", kind="scales", effective=d, file=name, derived=False)

    # --- Gehandicaptenzorg: inpassingsnummer series + FWG map ---------------
    for f in sorted(ref.glob("cao_gehandicaptenzorg_inpassingsnummers_*.csv")):
        comment, rows = read(f)
        d = date_of(f.name)
        name = f"inpassingsnummers_{d}.csv"
        write(out / "gehandicaptenzorg" / name, comment, ["number", "monthly_eur"],
              [[r["inpassingsnummer"], r["monthly_eur"]] for r in rows])
        add("gehandicaptenzorg", kind="series", effective=d, file=name, derived=False)
    # The scale->trede->number map is identical on every date from 2023 (checked
    # in the reference notes); keep the earliest complete table's map.
    comment, rows = read(ref / "cao_gehandicaptenzorg_fwg_2023-09-01.csv")
    write(out / "gehandicaptenzorg" / "schaalindeling_2023-09-01.csv", comment,
          ["scale", "step", "number"],
          [[r["fwg"], r["trede"], r["inpassingsnummer"]] for r in rows])
    add("gehandicaptenzorg", kind="scale_map", effective="2023-09-01",
        file="schaalindeling_2023-09-01.csv", derived=False)

    # --- GGZ: inpassingstabel series + functiegroep map ---------------------
    for f in sorted(ref.glob("cao_ggz_inpassingstabel_*.csv")):
        comment, rows = read(f)
        d = date_of(f.name)
        name = f"inpassingstabel_{d}.csv"
        write(out / "ggz" / name, comment, ["number", "monthly_eur"],
              [[r["inpassingsnummer"], r["monthly_eur"]] for r in rows])
        add("ggz", kind="series", effective=d, file=name, derived=False)
    comment, rows = read(ref / "cao_ggz_fwg_2023-11-01.csv")
    map_rows = []
    for r in rows:
        if not r["inpassingsnummer"]:
            continue  # FG10 aanloop trede 0 has no number in the source
        scale = f"FG{r['functiegroep']}"
        if r["schaaltype"] == "aanloop":
            scale += "-aanloop"
        map_rows.append([scale, r["trede"], r["inpassingsnummer"]])
    write(out / "ggz" / "schaalindeling_2023-11-01.csv",
          comment + " | normalised by scripts/build_cao_tables.py: scale = 'FG<functiegroep>'"
          " (functieschaal a and b form one trede range), 'FG<nn>-aanloop' for aanloopschalen;"
          " FG10 aanloop trede 0 omitted (no inpassingsnummer in source)",
          ["scale", "step", "number"], map_rows)
    add("ggz", kind="scale_map", effective="2023-11-01", file="schaalindeling_2023-11-01.csv",
        derived=False)
    for f in sorted(ref.glob("cao_ggz_medisch_specialisten_*.csv")):
        comment, rows = read(f)
        d = date_of(f.name)
        name = f"medisch_specialisten_{d}.csv"
        write(out / "ggz" / name, comment, ["scale", "step", "monthly_eur"],
              [["MS", r["trede"], r["monthly_eur"]] for r in rows])
        add("ggz", kind="scales", effective=d, file=name, derived=False)

    # --- Sociaal Werk: amounts per scale and periodiek ----------------------
    for f in sorted(list(ref.glob("cao_sociaal_werk_*.csv"))
                    + list((ref / "derived").glob("DERIVED_cao_sociaal_werk_*.csv"))):
        comment, rows = read(f)
        d = date_of(f.name)
        derived = f.name.startswith("DERIVED_")
        primary = "primair_proces" in f.name
        prefix = "PP" if primary else ""
        amount_col = "monthly_eur_derived" if derived else "monthly_eur"
        name = ("DERIVED_" if derived else "") + (
            f"schalen_primair_proces_{d}.csv" if primary else f"schalen_regulier_{d}.csv")
        if primary:
            comment += " | normalised by scripts/build_cao_tables.py: scale 'PP<n>' = schaal n, primair-procestabel"
        write(out / "sociaal_werk" / name, comment, ["scale", "step", "monthly_eur"],
              [[prefix + r["scale"], r["periodiek"], r[amount_col]] for r in rows])
        add("sociaal_werk", kind="scales", effective=d, file=name, derived=derived)

    # --- VVT: salarisreeks series + FWG maps; HbH amounts per periodiek -----
    for f in sorted(ref.glob("cao_vvt_salarisreeks_*.csv")):
        comment, rows = read(f)
        d = date_of(f.name)
        name = f"salarisreeks_{d}.csv"
        write(out / "vvt" / name, comment, ["number", "monthly_eur"],
              [[r["inpassingsnummer"], r["monthly_eur"]] for r in rows])
        add("vvt", kind="series", effective=d, file=name, derived=False)
    for src, eff in (("cao_vvt_fwg_2025-01-01.csv", "2024-01-01"),
                     ("cao_vvt_fwg_2025-07-01.csv", "2025-07-01")):
        comment, rows = read(ref / src)
        note = ""
        if eff == "2024-01-01":
            note = (" | ASSUMPTION (scripts/build_cao_tables.py): this map, published with the"
                    " 1-10-2024 amounts, is taken to hold from 2024-01-01; the reference notes"
                    " confirm it for 1-10-2024 only")
        name = f"schaalindeling_{eff}.csv"
        write(out / "vvt" / name, comment + note, ["scale", "step", "number"],
              [[r["fwg"], r["periodiek"], r["inpassingsnummer"]] for r in rows])
        add("vvt", kind="scale_map", effective=eff, file=name, derived=False)
    for f in sorted(ref.glob("cao_vvt_hulp_bij_huishouden_*.csv")):
        comment, rows = read(f)
        d = date_of(f.name)
        name = f"hulp_bij_huishouden_{d}.csv"
        write(out / "vvt" / name, comment + " | normalised: scale 'HbH' = salaris Hulp bij het Huishouden (art. 4.2.2)",
              ["scale", "step", "monthly_eur"],
              [["HbH", r["periodiek"], r["monthly_eur"]] for r in rows])
        add("vvt", kind="scales", effective=d, file=name, derived=False)

    for cao, entries in tables.items():
        lines = ["# Generated by scripts/build_cao_tables.py: the tables of this CAO, with the",
                 "# effective date from which each holds. Sources are on the first line of each CSV.",
                 "tables:"]
        for e in sorted(entries, key=lambda e: (str(e["kind"]), str(e["effective"]), str(e["file"]))):
            lines.append(f"  - {{kind: {e['kind']}, effective: {e['effective']}, file: {e['file']}, "
                         f"derived: {'true' if e['derived'] else 'false'}}}")
        (out / cao / "tables.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
