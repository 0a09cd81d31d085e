"""The scenario and budget commands on the bundled region: outputs, formats, exit codes."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from tariefmodel.cli.main import main

D = Decimal


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_help_lists_the_commands(runner) -> None:
    out = run(runner, "--help")
    for cmd in ("scenario", "budget", "arrangements", "lumpsums", "sensitivity", "goalseek"):
        assert cmd in out


def test_scenario_list_and_run(runner, tmp_path) -> None:
    out = run(runner, "scenario", "list")
    assert "kostenstijging" in out and "cao-jeugdzorg-plus3 <- kostenstijging" in out
    path = tmp_path / "run.csv"
    run(runner, "scenario", "run", "overhead-25", "--out", str(path))
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    row = next(r for r in rows if r["product_code"] == "45A48" and r["variant"] == "jeugdzorg" and r["micro"] == "false")
    assert row["tariff_eur"] == "78.48" and row["overhead_rate"] == "0.2500"


def test_compare_side_by_side(runner, tmp_path) -> None:
    path = tmp_path / "cmp.json"
    run(runner, "scenario", "compare", "basis", "overhead-25", "index-2026-3", "--year", "2026", "--out", str(path))
    doc = json.loads(path.read_text(encoding="utf-8"))
    sheet = next(v for k, v in doc.items() if k != "meta")
    assert sheet["columns"][-4:] == ["verschil overhead-25 EUR", "verschil overhead-25 %", "verschil index-2026-3 EUR",
                                     "verschil index-2026-3 %"]
    row = next(r for r in sheet["rows"] if r["product_code"] == "45A48" and r["variant"] == "jeugdzorg"
               and not r["micro"])
    # 2026 = 2025 indexed: base ROUND(75.34 x 1.02) = 76.85; overhead 25%: ROUND(78.48 x 1.02) = 80.05;
    # index 3%: ROUND(75.34 x 1.03) = 77.60
    assert (row["tarief basis"], row["tarief overhead-25"], row["tarief index-2026-3"]) == ("76.85", "80.05", "77.60")
    assert (row["verschil overhead-25 EUR"], row["verschil index-2026-3 EUR"]) == ("3.20", "0.75")
    assert row["verschil index-2026-3 %"] == "0.98"  # 0.75 / 76.85
    out = run(runner, "scenario", "compare", "kleinere-groepen-dagbesteding", "--changed")
    assert "45A60" in out and "02A01" not in out  # one name: compared with basis; only what changed


def test_compare_xlsx_is_byte_identical(runner, tmp_path) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    run(runner, "scenario", "compare", "basis", "kostenstijging", "--out", str(a))
    run(runner, "scenario", "compare", "basis", "kostenstijging", "--out", str(b))
    assert a.read_bytes() == b.read_bytes()
    from openpyxl import load_workbook

    ws = load_workbook(a).active
    header = [c.value for c in ws[1]]
    assert "tarief kostenstijging" in header and "verschil kostenstijging EUR" in header


def test_budget_impact_outputs(runner, tmp_path) -> None:
    from tariefmodel.scenarios.api import Workspace

    xlsx = tmp_path / "b.xlsx"
    run(runner, "budget", "impact", "--scenario", "basis", "--scenario", "volumegroei-jeugd", "--year", "2025",
        "--year", "2026", "--out", str(xlsx))
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["Per contract", "Per gemeente", "Per wet", "Per aanbieder", "Regels", "Manifest"]
    sheet = wb["Per wet"]
    header = [c.value for c in sheet[1]]
    assert header == ["wet", "basis 2025", "basis 2026", "volumegroei-jeugd 2025", "volumegroei-jeugd 2026"]
    total = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "TOTAAL")
    ws = Workspace()
    exact = ws.budget("basis", 2025).total
    assert abs(D(repr(total[1])) - exact) < D("0.005")
    assert total[3] == total[1]  # no growth in 2025
    path = tmp_path / "b.csv"
    run(runner, "budget", "impact", "--out", str(path))
    lines = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert {ln["kind"] for ln in lines} == {"p*q", "lumpsum"}
    assert abs(sum(D(ln["cost_eur"]) for ln in lines) - exact) < D("0.01") * len(lines)
    out = run(runner, "budget", "impact", "--by", "gemeente")
    for m in ("gouda", "krimpenerwaard", "zuidplas", "bodegraven-reeuwijk", "waddinxveen", "TOTAAL"):
        assert m in out


def test_ceilings_and_lump_sums_commands(runner, tmp_path) -> None:
    out = run(runner, "budget", "ceilings")
    # 24-08-2025 since the CAO ORT caps lower the residential tariffs (was 23-08-2025).
    assert "kompas-jeugd" in out and "24-08-2025" in out
    path = tmp_path / "c.json"
    run(runner, "budget", "ceilings", "--out", str(path))
    doc = json.loads(path.read_text(encoding="utf-8"))
    months = [r for r in doc["Per maand"]["rows"] if r["provider"] == "kompas-jeugd"]
    assert [r["month"] for r in months if r["signal"].startswith("SIGNAAL")] == [8]
    out = run(runner, "lumpsums", "--year", "2026")
    assert "Beschikbaarheidsfinanciering crisisverblijf, 3 plekken" in out and "indexatie 2026" in out
    path = tmp_path / "l.csv"
    run(runner, "lumpsums", "--out", str(path))
    assert "consultatiefunctie" in path.read_text(encoding="utf-8")


def test_tornado_command(runner, tmp_path) -> None:
    out = run(runner, "sensitivity", "tornado", "--top", "5")
    assert "Tornado: begroting 2025" in out and "Overhead" in out
    path = tmp_path / "t.csv"
    run(runner, "sensitivity", "tornado", "--product", "45A48", "--variant", "jeugdzorg", "--out", str(path))
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0]["base"] == "75.34"
    assert float(rows[0]["swing"]) >= float(rows[1]["swing"])
    result = runner.invoke(main, ["sensitivity", "tornado", "--product", "45A48", "--variant", "zzz"])
    assert result.exit_code == 2 and "heeft geen variant 'zzz'" in result.output


def test_output_format_refused(runner) -> None:
    result = runner.invoke(main, ["scenario", "run", "basis", "--out", "x.pdf"])
    assert result.exit_code == 2 and "onbekend uitvoerformaat" in result.output
