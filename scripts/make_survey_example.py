"""Make the bundled example of the cost-price survey: clearly fictitious filled questionnaires, imported.

    python scripts/make_survey_example.py                 # 25 respondents into ./survey/2025/
    python scripts/make_survey_example.py --n 1000 --workbooks /tmp/wb --no-import   # for scripts/bench.py

Every respondent is drawn (numpy, seeded) from the distributions below, so the example
is reproducible; names read "Voorbeeldaanbieder NN (fictief)" and KvK numbers 99xxxxxx.
The workbooks are the region's own questionnaire (``tariefmodel survey template``),
filled in with openpyxl, and imported with ``tariefmodel survey import``. One respondent
sends a corrected second version, to show that nothing is overwritten. Broken
questionnaires live only in the tests.

Stated distributions (per respondent):
* CAO: jeugdzorg 35%, gehandicaptenzorg 25%, ggz 15%, sociaal_werk 15%, vvt 10%;
* staff in the primary process: lognormal fte, median 20 (sigma 0.9), at least 2; a quarter are small
  (2-7 fte, turnover below EUR 2 mln: micro-enterprises);
* productivity (direct / contract hours) normal(62%, 5%), clipped to 45-78%; sickness normal(7,5%, 1,5%),
  leave normal(10%, 1%), training normal(2%, 0,5%), the rest indirect time; 1,872 contract hours per fte;
* 2-4 functions with a full-time salary (incl. holiday pay and year-end bonus) normal(EUR 48,000, 6,000);
  wage costs = fte x salary x normal(1, 4%); employer charges normal(27%, 2%) of the wage costs;
* overhead share of total costs normal(17%, 3%), micro-enterprises normal(13%, 3%); travel normal(EUR 2,80,
  0,60) per direct hour; accommodation 4% and other costs 2% of the wage costs;
* 1-4 products of the region's book priced for the respondent's CAO, from a short list of common products;
  group size and staff hours per unit the model's value x uniform(0.8, 1.2) (individual products stay at 1);
  revenue = volume x the region's tariff x uniform(0.98, 1.02).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2025
SEED = 20250101
CAOS = (("jeugdzorg", 0.35), ("gehandicaptenzorg", 0.25), ("ggz", 0.15), ("sociaal_werk", 0.15), ("vvt", 0.10))
COMMON = ("45A48", "45A49", "45A50", "45A51", "45A60", "45A61", "07A01", "01A01", "02A01", "44A01", "15A03", "54002")
HOURS_PER_FTE = 1872


def _draw(rng: np.random.Generator, i: int, region: Any, tariffs: dict, params: Any) -> dict[str, Any]:
    from tariefmodel.survey.coverage import tariff_for

    cao = str(rng.choice([c for c, _ in CAOS], p=[w for _, w in CAOS]))
    small = rng.uniform() < 0.25
    fte = float(rng.uniform(2, 7)) if small else max(2.0, float(rng.lognormal(np.log(20), 0.9)))
    productivity = float(np.clip(rng.normal(0.62, 0.05), 0.45, 0.78))
    sickness = float(np.clip(rng.normal(0.075, 0.015), 0.03, 0.14))
    leave = float(rng.normal(0.10, 0.01))
    training = float(max(rng.normal(0.02, 0.005), 0.0))
    contract = round(fte * HOURS_PER_FTE)
    direct = round(contract * productivity)
    hours = {"contract": contract, "leave": round(contract * leave), "sickness": round(contract * sickness),
             "training": round(contract * training), "direct": direct}
    hours["indirect"] = contract - sum(v for k, v in hours.items() if k != "contract")
    functions = int(rng.integers(2, 5))
    shares = rng.dirichlet(np.ones(functions))
    staff = []
    for j in range(functions):
        f = round(fte * float(shares[j]), 2) or 0.1
        salary = round(float(rng.normal(48000, 6000)), 2)
        wages = round(f * salary * float(rng.normal(1, 0.04)), 2)
        staff.append({"function": f"Functie {j + 1}", "scale": str(int(rng.integers(6, 11))), "step_low": 1,
                      "step_avg": round(float(rng.uniform(3, 8)), 1), "step_high": 12, "fte": f, "salary": salary,
                      "wages": wages, "charges": round(wages * float(rng.normal(0.27, 0.02)), 2)})
    wages = sum(s["wages"] for s in staff)
    charges = sum(s["charges"] for s in staff)
    overhead_share = float(np.clip(rng.normal(0.13 if small else 0.17, 0.03), 0.05, 0.35))
    travel = round(direct * float(max(rng.normal(2.8, 0.6), 0.5)), 2)
    accommodation = round(0.04 * wages, 2)
    other = 0.02 * wages
    total = round((wages + charges + travel + accommodation + other) / (1 - overhead_share), 2)
    costs = {"total": total, "overhead": round(total * overhead_share, 2), "accommodation": accommodation,
             "travel": travel}
    offered = [region.product(c).product for c in COMMON if cao in region.product(c).product.caos]
    picked = list(rng.choice(len(offered), size=min(len(offered), int(rng.integers(1, 5))), replace=False))
    mix = rng.dirichlet(np.ones(len(picked)))
    micro = small  # the draw keeps small respondents under every threshold of the region's rule
    products = []
    for k, idx in enumerate(picked):
        prod = offered[int(idx)]
        gs = float(prod.group_size)
        if gs > 1:
            gs = max(1.0, round(gs * float(rng.uniform(0.8, 1.2)) * 2) / 2)
        model_hours = float(prod.staff_hours_per_unit or (params.v("hours_per_dagdeel") if prod.unit == "dagdeel" else 1))
        shpu = round(model_hours * float(rng.uniform(0.8, 1.2)), 2) if model_hours != 1 else 1.0
        per_unit_hours = shpu / gs / (60 if prod.unit == "minuut" else 1)
        volume = max(1, round(direct * float(mix[k]) / per_unit_hours))
        tariff = tariff_for(tariffs, prod.code, cao, micro)
        revenue = round(volume * float(tariff) * float(rng.uniform(0.98, 1.02)), 2)
        products.append({"code": prod.code, "volume": volume, "group_size": gs, "staff_hours": shpu,
                         "revenue": revenue})
    employees = int(np.ceil(fte * 1.25)) if not small else min(9, int(np.ceil(fte * 1.2)))
    turnover = round(sum(p["revenue"] for p in products) * float(rng.uniform(1.0, 1.2)), 2)
    if small:
        turnover = min(turnover, 1_900_000.0)
    provider = {"name": f"Voorbeeldaanbieder {i:02d} (fictief)", "kvk": f"99{i:06d}",
                "cao": region.caos[cao].meta.name, "employees": employees, "turnover": turnover,
                "balance": round(turnover * float(rng.uniform(0.2, 0.5)), 2), "year": YEAR}
    return {"provider": provider, "staff": staff, "hours": hours, "costs": costs, "products": products}


def fill(wb: Any, answers: dict[str, Any]) -> None:
    """Write one respondent's answers into the questionnaire's input cells (the layout the reader reads)."""
    from tariefmodel.survey import layout as L

    def put(sheet: str, row: int, col: int, value: Any) -> None:
        wb[sheet].cell(row=row + 1, column=col + 1).value = value

    for p in L.PROVIDER_FIELDS:
        put(L.SHEET_PROVIDER, p.row, p.col, answers["provider"][p.field.key])
    for p in L.HOURS_FIELDS:
        put(L.SHEET_HOURS, p.row, p.col, answers["hours"][p.field.key])
    for p in L.COSTS_FIELDS:
        put(L.SHEET_COSTS, p.row, p.col, answers["costs"][p.field.key])
    for r in range(L.STAFF_ROWS):
        row = answers["staff"][r] if r < len(answers["staff"]) else {}
        for c, f in enumerate(L.STAFF_COLUMNS):
            put(L.SHEET_STAFF, L.STAFF_FIRST_ROW + r, c, row.get(f.key))
    ws = wb[L.SHEET_PRODUCTS]
    by_code = {p["code"]: p for p in answers["products"]}
    r = L.PRODUCT_FIRST_ROW
    while ws.cell(row=r + 1, column=1).value:
        p = by_code.get(str(ws.cell(row=r + 1, column=1).value), {})
        for j, f in enumerate(L.PRODUCT_COLUMNS):
            put(L.SHEET_PRODUCTS, r, L.PRODUCT_INPUT_COL + j, p.get(f.key))
        r += 1


def make_workbooks(root: Path, n: int, folder: Path, seed: int = SEED) -> list[Path]:
    """Draw ``n`` fictitious respondents and write their filled questionnaires into ``folder``."""
    from openpyxl import load_workbook

    from tariefmodel.engine.book import price_book
    from tariefmodel.engine.pricing import YearParameters
    from tariefmodel.loader.load import load_region
    from tariefmodel.outputs.survey_template import template_bytes
    from tariefmodel.survey.coverage import tariff_index
    from tariefmodel.survey.layout import catalogue
    from tariefmodel.survey.settings import load_settings

    region = load_region(root)
    tariffs = tariff_index(price_book(region, YEAR))
    params = YearParameters.of(region, YEAR)
    folder.mkdir(parents=True, exist_ok=True)
    blank = folder / ".vragenlijst.xlsx"
    blank.write_bytes(template_bytes(catalogue(region, YEAR), load_settings(root, YEAR).min_respondents))
    wb = load_workbook(blank)
    rng = np.random.default_rng(seed)
    out = []
    for i in range(1, n + 1):
        answers = _draw(rng, i, region, tariffs, params)
        if i == 3:  # respondent 03 first sends hours that do not add up, then a corrected version
            hours = answers["hours"]
            wrong = {**answers, "hours": {**hours, "indirect": hours["indirect"] + hours["contract"] // 10}}
            fill(wb, wrong)
            path = folder / f"vragenlijst_{i:04d}_v1.xlsx"
            wb.save(path)
            out.append(path)
        fill(wb, answers)
        path = folder / f"vragenlijst_{i:04d}.xlsx"
        wb.save(path)
        out.append(path)
    blank.unlink()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT, help="data folder (default: the repository root)")
    ap.add_argument("--n", type=int, default=25)
    ap.add_argument("--workbooks", type=Path, help="keep the filled workbooks here (default: a temporary folder)")
    ap.add_argument("--no-import", action="store_true", help="only write the workbooks")
    args = ap.parse_args()
    tmp = None
    folder = args.workbooks
    if folder is None:
        tmp = tempfile.mkdtemp(prefix="survey-example-")
        folder = Path(tmp)
    try:
        paths = make_workbooks(args.data, args.n, folder)
        print(f"{len(paths)} vragenlijsten geschreven naar {folder}", file=sys.stderr)
        if not args.no_import:
            from tariefmodel.cli.main import main as cli

            # v1 of respondent 03 first, so its correction becomes version 2.
            ordered = sorted(paths, key=lambda p: (not p.stem.endswith("_v1"), p.name))
            cli.main(args=["survey", "import", *map(str, ordered), "--data", str(args.data)], standalone_mode=False)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

