"""The CLI finds a region's data folder without --data: from the folder, from a subfolder, through TARIEFMODEL_DATA.

Each command says on stderr which region and data revision it uses, and the manifest of an output made
without --data lets verify find the same folder again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariefmodel.cli import main


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("cli-init") / "regio"
    result = CliRunner().invoke(main, ["init", str(target), "--naam", "Regio Proef"])
    assert result.exit_code == 0, result.output
    return target


def _calculate(monkeypatch, cwd: Path, env: dict[str, str] | None = None) -> tuple[CliRunner, object]:
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("TARIEFMODEL_DATA", raising=False)
    for k, v in (env or {}).items():
        monkeypatch.setenv(k, v)
    runner = CliRunner()
    return runner, runner.invoke(main, ["calculate", "--year", "2025", "--out", "uit.json"])


def test_calculate_in_the_region_folder_uses_it(region, monkeypatch) -> None:
    _, result = _calculate(monkeypatch, region)
    assert result.exit_code == 0, result.output
    # The first line names the region of tariefmodel.toml, the folder and its git revision (init made a commit).
    first = result.stderr.splitlines()[0]
    assert first.startswith("Regio: Regio Proef (map ")
    assert "revisie " in first
    doc = json.loads((region / "uit.json").read_text(encoding="utf-8"))
    assert doc["manifest"]["data_folder"] != {"bundled": True}


def test_calculate_from_a_subfolder_finds_the_marker_upward(region, monkeypatch) -> None:
    sub = region / "werk" / "diep"
    sub.mkdir(parents=True, exist_ok=True)
    _, result = _calculate(monkeypatch, sub)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Regio: Regio Proef")
    # verify, run from the subfolder without --data, finds the same folder through the manifest.
    verified = CliRunner().invoke(main, ["verify", "uit.json"])
    assert verified.exit_code == 0, verified.output
    assert verified.stdout.startswith("OK: ")


def test_tariefmodel_data_points_at_the_region_from_anywhere(region, monkeypatch, tmp_path) -> None:
    _, result = _calculate(monkeypatch, tmp_path, {"TARIEFMODEL_DATA": str(region)})
    assert result.exit_code == 0, result.output
    assert "via TARIEFMODEL_DATA" in result.stderr.splitlines()[0]


def test_outside_any_region_the_bundled_example_is_used(monkeypatch, tmp_path) -> None:
    _, result = _calculate(monkeypatch, tmp_path)
    assert result.exit_code == 0, result.output
    assert "meegeleverd voorbeeld" in result.stderr.splitlines()[0]


def test_version_names_the_engine_and_the_data_folder(region, monkeypatch) -> None:
    from tariefmodel._version import __version__

    monkeypatch.chdir(region)
    monkeypatch.delenv("TARIEFMODEL_DATA", raising=False)
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"tariefmodel {__version__}"
    assert "Regio Proef" in result.stdout and "revisie" in result.stdout


def _recalibrated(runner: CliRunner, out: Path) -> dict[tuple[str, str], str]:
    result = runner.invoke(main, ["recalibrate", "--year", "2030", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text(encoding="utf-8"))["tariffs"]
    return {(r["product_code"], r["variant"]): r["recalibrated_eur"] for r in rows if not r["micro"] and not r["provider"]}


def test_param_set_without_data_changes_the_recalibration_of_the_located_region(region, monkeypatch, tmp_path) -> None:
    # 2030 is a later contract year (indexed); a new overhead from 2030 shows in its recalibration.
    monkeypatch.chdir(region)
    monkeypatch.delenv("TARIEFMODEL_DATA", raising=False)
    runner = CliRunner()
    before = _recalibrated(runner, tmp_path / "voor.json")
    result = runner.invoke(main, ["param", "set", "overhead.rate", "0.25", "--from", "2030-01-01",
                                  "--source", "Besluit proefregio 1 december 2026, punt 3", "--afweging", "proef"])
    assert result.exit_code == 0, result.output
    after = _recalibrated(runner, tmp_path / "na.json")
    changed = [k for k in before if before[k] != after.get(k)]
    assert ("45A48", "jeugdzorg") in changed
    # A higher overhead rate can only raise a cost-based tariff.
    assert all(float(after[k]) > float(before[k]) for k in changed)
