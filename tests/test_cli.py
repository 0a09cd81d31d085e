"""The command line on the bundled example region (default --data), and the Python API."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import edit

from tariefmodel.cli.main import main
from tariefmodel.data.money import to_decimal

REQUIRED = ["product_code", "product_name", "law", "contract", "unit", "unit_code", "variant", "micro",
            "provider", "year", "tariff_eur", "tariff_eurocent"]
COMPONENTS = ["cost_per_staff_hour", "direct_staff_cost", "direct_cost", "overhead", "cost_price", "profit_risk",
              "tariff_unrounded"]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """calculate --out for csv, json and xlsx, each twice (in separate folders)."""
    from click.testing import CliRunner

    runner = CliRunner()
    out: dict[str, Path] = {}
    for run in ("a", "b"):
        d = tmp_path_factory.mktemp(f"run_{run}")
        for suffix in ("csv", "json", "xlsx"):
            path = d / f"tarieven.{suffix}"
            result = runner.invoke(main, ["calculate", "--out", str(path)])
            assert result.exit_code == 0, result.output
            out[f"{suffix}_{run}"] = path
    return out


@pytest.fixture(scope="module")
def csv_rows(outputs) -> list[dict[str, str]]:
    with open(outputs["csv_a"], encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_columns(outputs) -> None:
    header = outputs["csv_a"].read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[: len(REQUIRED)] == REQUIRED
    rest = header[len(REQUIRED):]
    assert rest, "cost components follow the required columns"
    for col in COMPONENTS:
        assert col in rest
    assert len(set(header)) == len(header)


def test_csv_tariffs(csv_rows) -> None:
    assert csv_rows
    for row in csv_rows:
        eur = row["tariff_eur"]
        whole, _, cents = eur.partition(".")
        assert whole.isdigit() and len(cents) == 2, eur
        assert int(row["tariff_eurocent"]) == Decimal(eur) * 100
        assert Decimal(eur) > 0
        assert row["year"] == "2025"  # the bundled region's default year
        assert row["micro"] in ("true", "false")
        assert row["unit_code"] == {"minuut": "01", "uur": "04", "etmaal": "14", "dagdeel": "16",
                                    "stuks": "84"}[row["unit"]]
        # the unrounded tariff (4 decimals) rounds to the tariff, except for minute products (built per hour);
        # pgb and external tariffs have no build-up
        if row["unit"] != "minuut" and row["tariff_unrounded"]:
            assert abs(Decimal(row["tariff_unrounded"]) - Decimal(eur)) <= Decimal("0.0051")


def test_csv_one_row_per_product_and_variant(csv_rows) -> None:
    keys = [(r["product_code"], r["variant"], r["micro"], r["provider"], r["version"]) for r in csv_rows]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("suffix", ["csv", "json", "xlsx"])
def test_two_runs_are_byte_identical(outputs, suffix) -> None:
    assert outputs[f"{suffix}_a"].read_bytes() == outputs[f"{suffix}_b"].read_bytes()


def test_json_meta_and_tariffs(outputs, csv_rows, repo_root) -> None:
    doc = json.loads(outputs["json_a"].read_text(encoding="utf-8"))
    meta = doc["meta"]
    assert meta["year"] == 2025
    inputs = meta["inputs"]
    assert "parameters/cost_model.yaml" in inputs
    assert "parameters/products/08_ambulant_jeugd.yaml" in inputs
    assert "cao_tables/jeugdzorg/function_map.yaml" in inputs
    assert any(f.endswith(".csv") for f in inputs)
    from tariefmodel.data.bundled import bundled_region

    root = bundled_region()
    for rel, digest in inputs.items():
        assert len(digest) == 64
        assert hashlib.sha256((root / rel).read_bytes()).hexdigest() == digest, rel
    assert doc["columns"][: len(REQUIRED)] == REQUIRED
    assert [(t["product_code"], t["variant"], t["tariff_eur"], t["tariff_eurocent"]) for t in doc["tariffs"]] == [
        (r["product_code"], r["variant"], r["tariff_eur"], int(r["tariff_eurocent"])) for r in csv_rows]


def test_xlsx_opens_and_has_the_same_tariffs(outputs, csv_rows) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(outputs["xlsx_a"], read_only=True)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    wb.close()
    header = list(rows[0])
    assert header[: len(REQUIRED)] == REQUIRED
    i_code, i_var, i_eur, i_cent = (header.index(c) for c in ("product_code", "variant", "tariff_eur", "tariff_eurocent"))
    got = [(r[i_code], r[i_var], to_decimal(r[i_eur]), r[i_cent]) for r in rows[1:]]
    want = [(r["product_code"], r["variant"], Decimal(r["tariff_eur"]), int(r["tariff_eurocent"])) for r in csv_rows]
    assert got == want


def test_calculate_without_out_prints_a_table(runner, csv_rows) -> None:
    result = runner.invoke(main, ["calculate"])
    assert result.exit_code == 0, result.output
    assert "tarieven 2025" in result.output
    first = csv_rows[0]
    assert first["product_code"] in result.output
    assert "€ " + first["tariff_eur"].replace(".", ",") in result.output


def test_calculate_other_year(runner, tmp_path) -> None:
    out = tmp_path / "t.csv"
    result = runner.invoke(main, ["calculate", "--year", "2026", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows and {r["year"] for r in rows} == {"2026"}


def _csv_tariff(csv_rows, code: str, variant: str) -> str:
    (row,) = [r for r in csv_rows if r["product_code"] == code and r["variant"] == variant
              and r["micro"] == "false" and r["provider"] == "" and r["version"] == ""]
    return row["tariff_eur"]


def test_explain_text_shows_every_step_and_its_sources(runner, csv_rows) -> None:
    result = runner.invoke(main, ["explain", "45A48", "--variant", "jeugdzorg"])
    assert result.exit_code == 0, result.output
    text = result.output
    steps = ["1. Kosten per productief uur", "M  maandsalaris", "G  jaarsalaris", "vakantietoeslag",
             "eindejaarsuitkering", "L  loonkosten", "A  werkgeverskosten", "H  contracturen", "productieve uren",
             "C  kosten per productief uur", "2. Kostprijs per uur", "Cmix", "D  directe personeelskosten",
             "overhead", "no-show", "kostprijs", "winst en risico", "tarief onafgerond", "TARIEF per uur",
             "3. Parameters en bronnen"]
    positions = [text.index(s) for s in steps]
    assert positions == sorted(positions), "the steps appear in build-up order"
    assert "Inkoopplan" in text
    assert "cao_tables/jeugdzorg" in text
    assert "€ " + _csv_tariff(csv_rows, "45A48", "jeugdzorg").replace(".", ",") in text


def test_explain_json_matches_the_csv(runner, csv_rows) -> None:
    result = runner.invoke(main, ["explain", "45A48", "--variant", "jeugdzorg", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["product_code"] == "45A48"
    assert doc["variant"] == "jeugdzorg"
    assert doc["tariff_eur"] == _csv_tariff(csv_rows, "45A48", "jeugdzorg")
    assert doc["tariff_eurocent"] == int(Decimal(doc["tariff_eur"]) * 100)
    assert doc["staffing"] and all(s["profile_cost"]["cao"] == "jeugdzorg" for s in doc["staffing"])
    assert sum(Decimal(s["share"]) for s in doc["staffing"]) == 1
    assert any(p["file"] == "parameters/cost_model.yaml" for p in doc["parameters"])
    assert all(p["source"] for p in doc["parameters"])


def test_explain_minute_product(runner, csv_rows) -> None:
    result = runner.invoke(main, ["explain", "54002", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["unit"] == "minuut" and doc["build_unit"] == "uur"
    assert doc["tariff_eur"] == _csv_tariff(csv_rows, "54002", doc["variant"])
    # from_hour: the minute tariff is the rounded hour tariff / 60, rounded
    from tariefmodel.data.money import excel_round

    assert Decimal(doc["tariff_eur"]) == excel_round(Decimal(doc["hour_tariff_eur"]) / 60, 2)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["explain", "ZZ999"], "onbekende productcode 'ZZ999'"),
        (["explain", "45A48", "--variant", "metaal"], "geen variant 'metaal'"),
        (["calculate", "--out", "tarieven.pdf"], "onbekend uitvoerformaat '.pdf'"),
    ],
)
def test_usage_errors_exit_2(runner, tmp_path, monkeypatch, args, message) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "tarieven.pdf").exists()


@pytest.mark.parametrize("args", [["--help"], ["calculate", "--help"], ["explain", "--help"], ["validate", "--help"],
                                  ["schema", "--help"]])
def test_help(runner, args) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 0
    assert "Gebruik:" in result.output  # click speaks Dutch (tests/test_dutch_cli.py)


def test_validate_bundled(runner) -> None:
    result = runner.invoke(main, ["validate", "--year", "2024", "--year", "2025", "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert "OK:" in result.output
    assert "2024:" in result.output and "2026:" in result.output


def test_schema_export(runner, tmp_path, repo_root) -> None:
    from tariefmodel.data.formats import INPUT_FORMATS

    out = tmp_path / "schemas"
    result = runner.invoke(main, ["schema", "--out", str(out)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"{name}.schema.json" for name in INPUT_FORMATS)
    assert {"volumes.schema.json", "scenario.schema.json", "budget_ceilings.schema.json"} <= set(files)
    for f in out.iterdir():
        doc = json.loads(f.read_text(encoding="utf-8"))
        assert doc["type"] == "object" and doc["properties"]
    products = json.loads((out / "products.schema.json").read_text(encoding="utf-8"))
    assert "products" in products["properties"]


def test_committed_schemas_are_current(runner, tmp_path, repo_root) -> None:
    committed = repo_root / "schemas"
    if not committed.is_dir():
        pytest.skip("no committed schemas/ folder")
    out = tmp_path / "schemas"
    assert runner.invoke(main, ["schema", "--out", str(out)]).exit_code == 0

    def normal(path: Path) -> object:
        # pydantic releases differ in the regex they emit for decimal strings; that is not our format.
        def strip(node: object) -> object:
            if isinstance(node, dict):
                return {k: strip(v) for k, v in node.items()
                        if not (k == "pattern" and isinstance(v, str) and v.startswith("^(?!^[-+.]*$)"))}
            if isinstance(node, list):
                return [strip(v) for v in node]
            return node

        return strip(json.loads(path.read_text(encoding="utf-8")))

    fresh = {p.name: normal(p) for p in out.iterdir()}
    current = {p.name: normal(p) for p in committed.glob("*.schema.json")}
    stale = sorted(name for name in fresh.keys() | current.keys() if fresh.get(name) != current.get(name))
    assert not stale, f"schemas/ is out of date ({', '.join(stale)}): run `tariefmodel schema` to refresh it"


def test_python_api_tariff_book(csv_rows) -> None:
    import pandas as pd

    import tariefmodel as tm

    df = tm.tariff_book(tm.load(), 2025, exact=True)
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns[: len(REQUIRED)]) == REQUIRED
    assert all(isinstance(v, Decimal) for v in df["tariff_eur"])
    got = list(zip(df["product_code"], df["variant"], df["tariff_eur"], df["tariff_eurocent"], strict=True))
    want = [(r["product_code"], r["variant"], Decimal(r["tariff_eur"]), int(r["tariff_eurocent"])) for r in csv_rows]
    assert got == want


def test_python_api_tariff_and_explain(csv_rows) -> None:
    import tariefmodel as tm

    region = tm.load()
    t = tm.tariff(region, "45A48", "jeugdzorg", 2025)
    assert f"{t.tariff_eur}" == _csv_tariff(csv_rows, "45A48", "jeugdzorg")
    assert "TARIEF per uur" in tm.explain_text(t, region)
    with pytest.raises(KeyError):
        tm.tariff(region, "45A48", "metaal", 2025)


def test_cli_on_the_mini_region(runner, mini_path, tmp_path) -> None:
    out = tmp_path / "mini.csv"
    result = runner.invoke(main, ["calculate", "--data", str(mini_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = {(r["product_code"], r["variant"]): r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
            if r["kind"] == "cao" and r["micro"] == "false"}
    # the hand-computed tariffs of tests/test_handcomputed.py
    assert {k: r["tariff_eur"] for k, r in rows.items()} == {
        ("MIN01", "alfa"): "1.08", ("MIN01", "beta"): "0.93", ("UUR01", "alfa"): "64.60", ("UUR01", "beta"): "58.03",
        ("DAG01", "alfa"): "38.34", ("DAG01", "beta"): "35.97", ("ETM01", "alfa"): "402.05",
        ("ETM01", "beta"): "381.94"}
    assert rows[("MIN01", "alfa")]["hour_tariff_eur"] == "64.96"
    assert rows[("MIN01", "alfa")]["tariff_eurocent"] == "108"
    # components of a minute product are per minute: the hour figure / 60
    assert rows[("MIN01", "alfa")]["tariff_unrounded"] == "1.0827"  # 64.9647414188 / 60 = 1.08274...
    assert rows[("ETM01", "alfa")]["client_costs"] == "100.0000"
    assert rows[("DAG01", "alfa")]["group_size"] == "5.0000"


def test_explain_on_the_mini_region_shows_the_hand_figures(runner, mini_path) -> None:
    result = runner.invoke(main, ["explain", "DAG01", "--variant", "alfa", "--data", str(mini_path)])
    assert result.exit_code == 0, result.output
    text = result.output
    # the figures of tests/test_handcomputed.py, at four decimals, in Dutch notation
    for figure in ("3.000,0000", "36.000,0000", "41.880,0000", "53.444,0000", "1.350,0000", "39,5881", "31,6705",
                   "38,3393", "€ 38,34", "3834 eurocent", "cao_tables/alfa/schalen_2024-01-01.csv",
                   "testdata product dagdeel"):
        assert figure in text, figure


def test_explain_inactive_product_is_a_usage_error(runner, mini_copy) -> None:
    edit(mini_copy / "parameters/products/02_verblijf.yaml", "  - code: ETM01\n",
         "  - code: ETM01\n    valid_from: 2026-01-01\n")
    result = runner.invoke(main, ["explain", "ETM01", "--data", str(mini_copy), "--year", "2025"])
    assert result.exit_code == 2
    assert "niet geldig in 2025" in result.output
    assert runner.invoke(main, ["explain", "ETM01", "--data", str(mini_copy), "--year", "2026"]).exit_code == 0
