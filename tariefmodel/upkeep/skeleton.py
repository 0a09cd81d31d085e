"""The texts of a new region: the ``--leeg`` skeleton, its .gitignore and the Dutch LEESMIJ.md.

The skeleton holds the least a region needs to price one product: one CAO (the
bundled CAO Jeugdzorg tables, which are public), one function profile, one
contract, one product, and every required parameter of the cost model. Every
source is ``TODO``: the loader refuses those with 'nog in te vullen', so
``tariefmodel validate`` lists them as the first things to fill in. The values
are the example region's, as a starting point; none is a decision of this region.
"""

from __future__ import annotations

import shutil
from pathlib import Path

SKELETON_CAO = "jeugdzorg"
TODO = "TODO"

GITIGNORE = """\
# Enquêtegegevens van aanbieders (tariefmodel survey, map survey/<jaar>/) bevatten bedrijfsgegevens en soms
# persoonsgegevens van respondenten: vertrouwelijk. Ze horen NIET in deze repository, die met de procesmonitor
# en andere regio's gedeeld kan worden. Bewaar ze in de beveiligde omgeving van de regio.
survey/

# Uitvoer en tijdelijke bestanden van tariefmodel en Excel
*.tmp
~$*
.cache-tm/
"""

REGION = """\
# De regio: naam, omschrijving en het standaard tariefjaar van de commando's.
name: {name_q}
description: >-
  {name}: gegevensmap aangemaakt met 'tariefmodel init --leeg'. Vul elke bron in die TODO zegt
  (tariefmodel validate toont ze) en vervang deze omschrijving.
default_year: {year}
source: TODO
"""

CONTRACTS = """\
# De contracten (percelen) van de regio; elk product hoort bij precies een contract.
contracts:
  - key: ambulant
    number: 1
    name: Ambulante ondersteuning
    law: Jeugdwet
    start: {year}-01-01
    term_years: [3, 2]
    funding: p*q
    provider_specific_allowed: false
    source: TODO
"""

PROFILES = """\
# Functieprofielen: de functies waaruit de personele inzet van een product is opgebouwd.
# Per CAO staat in cao_tables/<cao>/function_map.yaml welke schaal en trede(n) een profiel krijgt.
profiles:
  - key: begeleider
    name: Begeleider
    education: HBO
    description: Begeleider ambulante ondersteuning (vervang door de functies van de regio).
"""

FUNCTION_MAP = """\
# Functiekoppeling: welke schaal en trede een functieprofiel in de CAO Jeugdzorg krijgt.
profiles:
  begeleider:
    values:
      - from: {year}-01-01
        value: {{scale: "8", step: "5"}}
        source: TODO
        rationale: "TODO: waarom deze schaal en trede (functiebeschrijving, FWG-indeling)"
        status: draft
"""

PRODUCT = """\
# Het productboek van een contract: een bestand per contract.
contract: ambulant
products:
  - code: "45A01"
    category: "45"
    name: Begeleiding individueel (per uur)
    law: Jeugdwet
    unit: uur
    staffing: {{begeleider: 1}}
    productivity_norm: standaard
    no_show: true
    caos: [jeugdzorg]
    provenance:
      source: TODO
      rationale: "TODO: waarom dit product en deze inzet"
      status: draft
"""


def _param(indent: int, value: str, rationale: str, year: int) -> str:
    pad = " " * indent
    return (f"{pad}values:\n"
            f"{pad}  - from: {year}-01-01\n"
            f"{pad}    value: {value}\n"
            f"{pad}    source: TODO\n"
            f'{pad}    rationale: "TODO: {rationale}"\n'
            f"{pad}    status: draft\n")


def cost_model(year: int) -> str:
    """Every required parameter of parameters/cost_model.yaml, each with a TODO source."""
    p = _param
    return (
        "# Modelparameters van de kostprijsopbouw. Elke waarde heeft een geldigheidsdatum en een herkomst.\n"
        "# Een waarde wordt nooit overschreven: 'tariefmodel param set' voegt een nieuwe gedateerde regel toe.\n"
        "# Percentages als fractie: 2% = 0.02. Bedragen in euro's. De waarden hieronder zijn die van de\n"
        "# meegeleverde voorbeeldregio, als beginpunt: vervang ze door de keuzes van deze regio.\n\n"
        "cao_reference_day:\n" + p(2, '"01-01"', "peildatum van de loontabellen", year) + "\n"
        "employer_charges:\n  mode:\n" + p(4, "total", "werkgeverslasten als totaalpercentage", year)
        + "  total_rate:\n" + p(4, "0.30", "werkgeverslasten als fractie van de loonkosten", year) + "\n"
        "overhead:\n  rate:\n" + p(4, "0.20", "overhead van reguliere aanbieders", year)
        + "  rate_micro:\n" + p(4, "0.15", "overhead van micro-ondernemingen", year)
        + "  convention:\n" + p(4, "markup", "opslag (markup) of aandeel (share)", year) + "\n"
        "no_show:\n  rate:\n" + p(4, "0.05", "ingeprijsde no-show", year)
        + "  convention:\n" + p(4, "divide", "delen door (1 - n) of opslag", year) + "\n"
        "profit_risk_rate:\n" + p(2, "0.02", "opslag winst en risico", year) + "\n"
        "hours_per_dagdeel:\n" + p(2, "4", "uren per dagdeel", year) + "\n"
        "rounding:\n  tariff_decimals:\n" + p(4, "2", "afronding van het tarief", year)
        + "  minute_tariff:\n" + p(4, "from_hour", "minuuttarief uit het afgeronde uurtarief", year) + "\n"
        "productivity_norms:\n  standaard:\n    label: Standaard\n    method: fraction\n    fraction:\n"
        + p(6, "0.75", "productiviteit: declarabele uren als fractie van de contracturen", year) + "\n"
        "checks:\n  wage_floor_fraction:\n" + p(4, "0.97", "loonvloer: fractie van het schaalgemiddelde", year)
        + "  recalibration_threshold:\n" + p(4, "0.02", "herijkdrempel voor geindexeerde tarieven", year)
    )


def write(build: Path, name: str, year: int | None = None) -> None:
    """Write the skeleton into ``build`` (an empty folder)."""
    import datetime as dt
    import json

    from tariefmodel.data.bundled import bundled_region

    year = year or dt.date.today().year + 1
    params = build / "parameters"
    (params / "products").mkdir(parents=True)
    (params / "region.yaml").write_text(
        REGION.format(name_q=json.dumps(name, ensure_ascii=False), name=" ".join(name.split()), year=year),
        encoding="utf-8")
    (params / "contracts.yaml").write_text(CONTRACTS.format(year=year), encoding="utf-8")
    (params / "function_profiles.yaml").write_text(PROFILES, encoding="utf-8")
    (params / "cost_model.yaml").write_text(cost_model(year), encoding="utf-8")
    (params / "products" / "01_ambulant.yaml").write_text(PRODUCT.format(), encoding="utf-8")
    # The statutory minimum wage is national and sourced: the salary tables are checked against it.
    shutil.copy2(bundled_region() / "parameters" / "minimum_wage.yaml", params / "minimum_wage.yaml")
    cao = build / "cao_tables" / SKELETON_CAO
    src = bundled_region() / "cao_tables" / SKELETON_CAO
    shutil.copytree(src, cao, ignore=shutil.ignore_patterns("function_map.yaml", ".*"))
    (cao / "function_map.yaml").write_text(FUNCTION_MAP.format(year=year), encoding="utf-8")
    for folder in ("benchmarks", "scenarios"):
        (build / folder).mkdir()
        (build / folder / ".gitkeep").write_text("", encoding="utf-8")


def readme(name: str, empty: bool) -> str:
    """LEESMIJ.md of a new region (Dutch)."""
    start = (
        "Deze map is aangemaakt met `tariefmodel init --leeg`: een minimaal skelet met één CAO (Jeugdzorg), één\n"
        "functieprofiel, één contract, één product en alle verplichte parameters. Elke bron staat op `TODO`.\n"
        "Begin met `tariefmodel validate --data .`: de eerste regels zeggen **nog in te vullen** en noemen per\n"
        "bestand en regel welke bron (en welke waarde) de regio zelf moet invullen. Zolang er één TODO staat,\n"
        "weigeren `validate` en `calculate` (exitcode 2).\n"
        if empty else
        "Deze map is aangemaakt met `tariefmodel init`: een kopie van de meegeleverde voorbeeldregio\n"
        "(Midden-Holland). **De aanbieders in `parameters/providers.yaml` zijn fictief** (namen en KvK-nummers\n"
        "verzonnen, elk gemarkeerd met '(fictief)'): vervang ze door het aanbiedersregister van de regio.\n"
        "De parameters staan op status `draft` en veel zijn gemarkeerd als aanname (`assumption: true`):\n"
        "het zijn voorbeeldkeuzes, geen besluiten van deze regio.\n"
    )
    return f"""# {name}: gegevens voor tariefmodel

Dit is de gegevensmap van een regio voor [tariefmodel](https://pypi.org/project/tariefmodel), het open
rekenmodel voor reële prijzen in Jeugdwet en Wmo. Elk tarief wordt opgebouwd uit gedateerde parameters met
een bron; een waarde wordt nooit overschreven, er komt een nieuwe regel met een nieuwe ingangsdatum bij.

{start}
Een tariefmodel-commando dat in deze map (of een submap) wordt gestart, vindt deze gegevens zelf via
`tariefmodel.toml`; elders geeft u `--data PAD` mee of zet u `TARIEFMODEL_DATA`.

## Wat staat waar

| map of bestand | inhoud |
|---|---|
| `tariefmodel.toml` | naam van de regio en de tariefmodelversie die de map aanmaakte |
| `parameters/region.yaml` | naam, omschrijving en standaard tariefjaar |
| `parameters/contracts.yaml` | de contracten (percelen) |
| `parameters/function_profiles.yaml` | de functieprofielen (begeleider, gedragswetenschapper, ...) |
| `parameters/cost_model.yaml` | de gedateerde modelparameters: werkgeverslasten, overhead, no-show, productiviteit, ... |
| `parameters/products/*.yaml` | het productboek, één bestand per contract: inzet, normen en CAO's per product |
| `parameters/indexation.yaml` | indexcijfers OVA/PPC per publicatie, indexatiemethoden per contract |
| `parameters/providers.yaml`, `addenda.yaml`, ... | aanbieders, maatwerkafspraken, externe tarieven (optioneel) |
| `parameters/zin_tarieven.csv` | overgenomen in plaats van berekende tarieven (optioneel; `import zin-tarieven`) |
| `cao_tables/<cao>/` | per CAO: `cao.yaml` (uren, toeslagen), `tables.yaml` + CSV's (salaristabellen), |
|  | `function_map.yaml` (schaal en trede per functieprofiel) |
| `benchmarks/` | benchmarkcijfers achter de keuzes |
| `scenarios/` | scenario's voor `tariefmodel scenario` |
| `survey/` | enquêtegegevens van aanbieders: vertrouwelijk, staat in `.gitignore` en hoort niet in git |

## Eerst invullen

1. `parameters/region.yaml`: naam, omschrijving, tariefjaar, bron (inkoopplan of besluit).
2. `parameters/contracts.yaml`: de contracten uit het inkoopplan.
3. De CAO's van de aanbieders in `cao_tables/` (zie docs/eigen-regio.md van tariefmodel).
4. `parameters/function_profiles.yaml` en per CAO `function_map.yaml`.
5. Het productboek in `parameters/products/`.
6. De parameters in `parameters/cost_model.yaml`, elk met bron en afweging.

Controleer na elke stap met `tariefmodel validate`; leg elke stap vast met `git commit`.

## De jaarlijkse cyclus

- **Nieuwe CAO-tabellen**: een officiële tabel met `tariefmodel cao add CAO --from DATUM tabel.csv --source "..."`;
  een aangekondigde loonsverhoging zonder tabel met `tariefmodel cao raise CAO --percentage P --from DATUM --source "..."`
  (een afgeleide tabel, gemarkeerd als DERIVED, tot de officiële er is).
- **De indexpublicatie** (OVA/PPC, voorlopig en definitief): `tariefmodel index add ova --jaar J --soort voorlopig
  --waarde P --gepubliceerd DATUM --source "..."`; daarna `tariefmodel index rate --year J`.
- **Keuzes** (overhead, productiviteit, ...): `tariefmodel param set PAD WAARDE --from DATUM --source "..."
  --besluit "..." --besloten-door WIE --besloten-op DATUM`. De vorige waarde blijft staan, met een einddatum.
- **Herijking bij een nieuw contract of een verlenging**, zoals de AMvB reële prijs vraagt:
  `tariefmodel recalibrate --year J` zet elk geïndexeerd tarief naast het tarief dat opnieuw uit de parameters
  en CAO-tabellen van dat jaar is opgebouwd.
- **Voor het college**: `tariefmodel diff VORIGE-REVISIE HEAD --out verschil.xlsx` toont elke gewijzigde invoer met
  bron en het effect op elk tarief.
- **Voor de procesmonitor**: `tariefmodel audit --out audit.html` (register van alle parameters met bron,
  bevindingen, samenvatting per contract). Geef de procesmonitor deze map (of de git-repository) en het rapport.

Elke stap controleert de hele map voordat er iets wordt geschreven; bij een fout wordt niets gewijzigd.
"""
