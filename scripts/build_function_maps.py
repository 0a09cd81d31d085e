"""Write ``cao_tables/<cao>/function_map.yaml`` for the bundled region (one-off generator).

The choice per function profile is a CAO scale (below, with its source or
marked as an assumption) and a step distribution that is the same rule in
every CAO: 25% on the first regular step, 50% on the middle one and 25% on the
top regular step of the scale, over the steps that exist in every table of
that scale (so the mapping holds on every date). Start, zij-instroom, aanloop
and uitloop (u1/u2) steps are left out. The generated files are the source of
truth afterwards; this script documents how they were made.

Usage: ``python scripts/build_function_maps.py cao_tables``
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import yaml

# profile -> (scale, rationale, source, assumption); a list of (from, ...) where the mapping changes.
CHOICES: dict[str, dict[str, list[tuple[str, str, str, str, bool]]]] = {
    "jeugdzorg": {
        "begeleider-mbo3": [("2024-01-01", "6", "Groepsbegeleider MBO 3 een schaal onder jeugdzorgwerker D (schaal 7).",
                             "jeugdzorg-werkt.nl/werkzoekenden/wat-verdien-je-jeugdzorg (schaal 7 = jeugdzorgwerker D)", True)],
        "begeleider-mbo4": [("2024-01-01", "7", "Jeugdzorgwerker D.",
                             "jeugdzorg-werkt.nl/werkzoekenden/wat-verdien-je-jeugdzorg", False)],
        "begeleider-hbo": [("2024-01-01", "9", "HBO-jeugdhulpverlener op het niveau van de pleegzorgwerker (schaal 9).",
                            "jeugdzorg-werkt.nl/werkzoekenden/wat-verdien-je-jeugdzorg (pleegzorgwerker schaal 9)", True)],
        "behandelaar-wo": [("2024-01-01", "11", "Gedragsdeskundige.",
                            "jeugdzorg-werkt.nl/werkzoekenden/wat-verdien-je-jeugdzorg (gedragsdeskundige schaal 11)", False)],
        "gz-psycholoog": [("2024-01-01", "12", "Post-master regiebehandelaar een schaal boven de gedragsdeskundige.",
                           "jeugdzorg-werkt.nl/werkzoekenden/wat-verdien-je-jeugdzorg (gedragsdeskundige schaal 11)", True)],
    },
    "gehandicaptenzorg": {
        "begeleider-mbo3": [("2024-01-01", "35", "Begeleider MBO 3.", "CAO Gehandicaptenzorg art. 4:15; FWG-niveau: aanname", True)],
        "begeleider-mbo4": [("2024-01-01", "40", "Begeleider MBO 4.", "CAO Gehandicaptenzorg art. 4:15; FWG-niveau: aanname", True)],
        "begeleider-hbo": [("2024-01-01", "50", "HBO-begeleider / persoonlijk begeleider specialistisch.",
                            "CAO Gehandicaptenzorg art. 4:15; FWG-niveau: aanname", True)],
        "behandelaar-wo": [("2024-01-01", "60", "Orthopedagoog / psycholoog (master).",
                            "CAO Gehandicaptenzorg art. 4:15; FWG-niveau: aanname", True)],
        "gz-psycholoog": [("2024-01-01", "65", "GZ-psycholoog / orthopedagoog-generalist; het enige gevonden voorbeeld rekent specialistische begeleiding op FWG 65.",
                           "exploredoc.com/doc/6760203 (begeleiding extra op FWG 65) [WEAK]", True)],
    },
    "ggz": {
        "begeleider-mbo3": [("2024-01-01", "FG35", "Begeleider MBO 3.", "CAO GGZ 2021-2024 bijlage VI; functiegroep: aanname", True)],
        "begeleider-mbo4": [("2024-01-01", "FG40", "Begeleider MBO 4.", "CAO GGZ 2021-2024 bijlage VI; functiegroep: aanname", True)],
        "begeleider-hbo": [("2024-01-01", "FG50", "HBO-begeleider / sociaal-psychiatrisch verpleegkundige-niveau.",
                            "CAO GGZ 2021-2024 bijlage VI; functiegroep: aanname", True)],
        "behandelaar-wo": [("2024-01-01", "FG60", "Psycholoog / orthopedagoog (master).",
                            "CAO GGZ 2021-2024 bijlage VI; functiegroep: aanname", True)],
        "gz-psycholoog": [("2024-01-01", "FG65", "GZ-psycholoog.", "CAO GGZ 2021-2024 bijlage VI; functiegroep: aanname", True)],
    },
    "sociaal_werk": {
        "begeleider-mbo3": [("2024-01-01", "PP5", "Primair-procestabel (begeleiders werken in het primaire proces), schaal 5; de schalen van Sociaal Werk liggen hoger dan de FWG-schalen van gelijk niveau, daarom een schaal lager dan de naamgeving doet vermoeden.",
                             "Cao Sociaal Werk 2023-2025 art. 6.6 D; schaal: aanname", True)],
        "begeleider-mbo4": [("2024-01-01", "PP6", "Sociaal werker MBO 4, schaal 6, primair proces (schaal 7 lag 10-15% boven de andere CAO's voor hetzelfde niveau).",
                             "Cao Sociaal Werk 2023-2025 art. 6.6 D; schaal: aanname", True)],
        "begeleider-hbo": [("2024-01-01", "PP8", "Sociaal werker HBO, schaal 8, primair proces.",
                            "Cao Sociaal Werk 2023-2025 art. 6.6 D; schaal: aanname", True)],
        "behandelaar-wo": [("2024-01-01", "10", "Gedragswetenschapper, schaal 10 (reguliere tabel: boven schaal 9 geen primair-procestabel).",
                            "Cao Sociaal Werk 2023-2025 art. 6.4; schaal: aanname", True)],
        "gz-psycholoog": [("2024-01-01", "11", "Post-master behandelaar, schaal 11.", "Cao Sociaal Werk 2023-2025 art. 6.4; schaal: aanname", True)],
    },
    "vvt": {
        "huishoudelijk-medewerker": [
            ("2024-01-01", "15", "De HbH-tabellen van 2024 waren niet leesbaar (OCR-fouten); FWG 15 zoals in de Code VMT-handreiking.",
             "Code Verantwoordelijk Marktgedrag Thuisondersteuning bijlage 1 (functieschaal 10 en 15; alleen inhoudsopgave)", True),
            ("2025-01-01", "HbH", "Salaris Hulp bij het Huishouden: geldt als het gemeentecontract onder de AMvB reele prijs valt.",
             "CAO VVT 2025-2026 art. 4.2.2", False),
        ],
        "begeleider-mbo3": [("2024-01-01", "35", "Verzorgende IG / begeleider MBO 3.", "CAO VVT 2025-2026 bijlage 1; FWG-niveau: aanname", True)],
        "begeleider-mbo4": [("2024-01-01", "40", "Begeleider MBO 4.", "CAO VVT 2025-2026 bijlage 1; FWG-niveau: aanname", True)],
        "begeleider-hbo": [("2024-01-01", "50", "HBO-begeleider.", "CAO VVT 2025-2026 bijlage 1; FWG-niveau: aanname", True)],
        "behandelaar-wo": [("2024-01-01", "60", "Psycholoog / orthopedagoog.", "CAO VVT 2025-2026 bijlage 1; FWG-niveau: aanname", True)],
        "gz-psycholoog": [("2024-01-01", "65", "GZ-psycholoog.", "CAO VVT 2025-2026 bijlage 1; FWG-niveau: aanname", True)],
    },
}


def steps_of(cao_dir: Path, scale: str) -> list[str]:
    tables = yaml.safe_load((cao_dir / "tables.yaml").read_text())["tables"]
    common: set[str] | None = None
    for t in tables:
        if t["kind"] == "series":
            continue
        rows = [r for r in csv.reader(ln for ln in (cao_dir / t["file"]).read_text().splitlines()
                                      if not ln.startswith("#"))][1:]
        steps = {r[1] for r in rows if r[0] == scale}
        if steps:
            common = steps if common is None else common & steps
    numeric = sorted((s for s in common or set() if s.isdigit()), key=int)
    return numeric


def main(root: Path) -> None:
    for cao, profiles in CHOICES.items():
        out: dict = {"profiles": {}}
        for profile, entries in profiles.items():
            values = []
            for frm, scale, why, source, assumption in entries:
                steps = steps_of(root / cao, scale)
                assert steps, (cao, scale)
                first, mid, last = steps[0], steps[len(steps) // 2], steps[-1]
                dist = {first: "0.25", mid: "0.50", last: "0.25"}
                values.append({
                    "from": frm,
                    "value": {"scale": scale, "steps": dist},
                    "source": source,
                    "rationale": (f"{why} Tredeverdeling: 25% trede {first}, 50% trede {mid}, 25% trede {last} "
                                  "(eerste, middelste en hoogste reguliere trede; benadert het schaalgemiddelde "
                                  "van een normaal opererende aanbieder)."),
                    "assumption": assumption,
                    "status": "draft",
                })
            out["profiles"][profile] = {"values": values}
        text = yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=110)
        # Keep the step weights and dates readable as numbers and dates, not strings.
        text = text.replace("'0.25'", "0.25").replace("'0.50'", "0.50")
        text = text.replace("from: '", "from: ").replace("-01'\n", "-01\n")
        header = ("# Functiekoppeling: welke schaal en tredeverdeling een functieprofiel in deze CAO krijgt.\n"
                  "# Gemaakt met scripts/build_function_maps.py; daarna de bron van waarheid.\n")
        (root / cao / "function_map.yaml").write_text(header + text, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
