"""verify on EVERY output-writing command and format: OK right after writing, a finding for any changed cell.

For each command x format: the output verifies (exit 0) as written; then a copy with one cell of one sheet, one
value of one JSON block or one line of a CSV/report changed fails (exit 1), for every sheet and every block. The
tariff commands run on a copy of the mini region, the scenario and budget commands on the bundled region (its
scenario, volume and sensitivity files). Also: a manifest whose command writes nothing (``calculate --help``) or
names no known command is refused, and verify finds a --data folder by the location its manifest records.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import MINI, edit
from fixture_texts import INDEXATION

from tariefmodel.cli.main import main
from tariefmodel.trail import manifest as mf

COST = "parameters/cost_model.yaml"
OVERHEAD = "      - from: 2024-01-01\n        value: {}\n        source: testdata overhead\n"

# (id, arguments after `tariefmodel`, formats, region): "mini" runs with --data on a copy of the mini region,
# "bundled" without --data (the manifest then records the bundled region, and verify finds it without --data).
TABLES = ("csv", "json", "xlsx")
CASES = [
    ("calculate", ["calculate", "--year", "2025"], TABLES, "mini"),
    ("index-apply", ["index", "apply", "--from", "2025", "--to", "2026"], TABLES, "mini"),
    ("recalibrate", ["recalibrate", "--year", "2026"], TABLES, "mini"),
    ("diff", ["diff", "{old}", "{data}"], ("json", "xlsx", "md"), "mini"),
    ("audit", ["audit"], ("html", "md", "xlsx"), "mini"),
    ("export-review", ["export", "review"], ("xlsx",), "mini"),
    ("export-annex", ["export", "annex", "--contract", "ambulant"], ("xlsx",), "mini"),
    ("export-provider", ["export", "provider", "{provider}"], ("xlsx",), "bundled"),
    ("scenario-run", ["scenario", "run", "overhead-25"], TABLES, "bundled"),
    ("scenario-compare", ["scenario", "compare", "basis", "overhead-25", "--changed"], TABLES, "bundled"),
    ("budget-impact", ["budget", "impact", "--scenario", "basis", "--scenario", "volumegroei-jeugd"], TABLES, "bundled"),
    ("budget-ceilings", ["budget", "ceilings"], TABLES, "bundled"),
    ("arrangements", ["arrangements", "--outcome", "uitval"], TABLES, "bundled"),
    ("lumpsums", ["lumpsums"], TABLES, "bundled"),
    ("tornado", ["sensitivity", "tornado", "--product", "45A48", "--variant", "jeugdzorg"], TABLES, "bundled"),
    ("montecarlo", ["sensitivity", "montecarlo", "--draws", "20", "--seed", "7"], TABLES, "bundled"),
    ("goalseek", ["goalseek", "45A48", "--variant", "jeugdzorg", "--target", "80.00", "--parameter", "overhead.rate"],
     TABLES, "bundled"),
]
PARAMS = [pytest.param(args, fmt, where, id=f"{name}-{fmt}") for name, args, fmts, where in CASES for fmt in fmts]


def invoke(runner: CliRunner, *args: object):
    return runner.invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def regions(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("regions")
    data, old = root / "mini", root / "old"
    shutil.copytree(MINI, data)
    shutil.copytree(MINI, old)
    (data / "parameters" / "indexation.yaml").write_text(INDEXATION, encoding="utf-8")
    edit(data / COST, OVERHEAD.format("0.10"), OVERHEAD.format("0.12"))
    return {"data": data, "old": old}


def _write(runner: CliRunner, args: list[str], fmt: str, where: str, regions: dict[str, Path], folder: Path) -> Path:
    from tariefmodel.data.bundled import bundled_region
    from tariefmodel.loader.load import load_region

    provider = next(iter(load_region(bundled_region()).providers))
    filled = [a.format(old=regions["old"], data=regions["data"], provider=provider) for a in args]
    out = folder / f"out.{fmt}"
    extra = ["--data", regions["data"]] if where == "mini" else []
    result = invoke(runner, *filled, *extra, "--out", out)
    assert result.exit_code == 0, result.output
    return out


def _copy(out: Path, name: str) -> Path:
    """A copy of an output (and its sidecar) beside it, so the recorded data folder is found the same way."""
    dest = out.with_name(f"{name}{out.suffix}")
    shutil.copy(out, dest)
    if mf.sidecar_path(out).exists():
        shutil.copy(mf.sidecar_path(out), mf.sidecar_path(dest))
    return dest


def _tampered(out: Path) -> list[tuple[str, Path]]:
    """One copy per sheet, JSON block or sampled line, each with exactly one value changed."""
    suffix = out.suffix
    copies: list[tuple[str, Path]] = []
    if suffix == ".xlsx":
        names = openpyxl.load_workbook(out, read_only=True).sheetnames
        for i, name in enumerate(names):
            dest = _copy(out, f"t{i}")
            wb = openpyxl.load_workbook(dest)
            ws = wb[name]
            if name == "Manifest":
                cell = ws.cell(4, 2)  # engine_version, as shown on the sheet
            else:
                cell = next(c for row in reversed(list(ws.iter_rows())) for c in reversed(row) if c.value not in (None, ""))
            cell.value = (cell.value + 1) if isinstance(cell.value, int | float) and not isinstance(cell.value, bool) \
                else f"{cell.value}x"
            wb.save(dest)
            copies.append((f"sheet {name}!{cell.coordinate}", dest))
    elif suffix == ".json":
        doc = json.loads(out.read_text(encoding="utf-8"))
        for i, key in enumerate(doc):
            changed = json.loads(json.dumps(doc))
            block = changed[key]
            if key == "manifest":
                block["engine_version"] = "9.9.9"
            elif isinstance(block, dict) and isinstance(block.get("rows"), list) and block["rows"]:
                row = block["rows"][-1]
                last = list(row)[-1]
                row[last] = f"{row[last]}x"
            elif isinstance(block, dict) and block:
                first = next(iter(block))
                block[first] = f"{block[first]}x"
            elif isinstance(block, list) and block and isinstance(block[0], dict):
                first = next(iter(block[0]))
                block[0][first] = f"{block[0][first]}x"
            elif isinstance(block, list):
                changed[key] = [*block, "x"]
            else:
                changed[key] = f"{block}x"
            dest = _copy(out, f"t{i}")
            dest.write_text(json.dumps(changed, ensure_ascii=False, indent=2), encoding="utf-8")
            copies.append((f"block {key}", dest))
    else:
        lines = out.read_text(encoding="utf-8").split("\n")
        content = [i for i, ln in enumerate(lines) if ln.strip()]
        picks = sorted({content[0], content[len(content) // 2], content[-1]}
                       | {i for i in content if "<!-- herkomst -->" in lines[i]})
        for n, i in enumerate(picks):
            changed = list(lines)
            changed[i] = changed[i].replace('"engine_version": "', '"engine_version": "9') \
                if "tariefmodel-manifest:" in changed[i] else changed[i].replace(next(ch for ch in changed[i]
                                                                                      if ch.isalnum()), "Z", 1)
            assert changed[i] != lines[i]
            dest = _copy(out, f"t{n}")
            dest.write_text("\n".join(changed), encoding="utf-8")
            copies.append((f"line {i + 1}", dest))
    return copies


@pytest.mark.parametrize(("args", "fmt", "where"), PARAMS)
def test_verify_every_output(runner, regions, tmp_path, args, fmt, where) -> None:
    out = _write(runner, args, fmt, where, regions, tmp_path)
    man = mf.read(out)
    assert man["command"][0] == args[0] and "--out" not in man["command"] and "--data" not in man["command"]
    if where == "bundled":
        assert man["data_folder"] == {"bundled": True}
    else:  # relative to the output's folder, never absolute
        assert man["data_folder"]["relative_to_output"].startswith("../")
        assert args[0] == "diff" or str(regions["data"]) not in str(man)  # diff records its folders' paths
    # Verified without --data: the manifest says where the data folder is (relative, or the bundled region).
    result = invoke(runner, "verify", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"OK: {out} komt overeen met de invoer")
    copies = _tampered(out)
    assert copies
    for what, copy in copies:
        result = invoke(runner, "verify", copy)
        assert result.exit_code == 1, f"{what}: {result.output}"
        assert result.stdout.startswith(f"AFWIJKING: {copy}"), f"{what}: {result.output}"


def test_manifest_records_the_data_folder_relative_to_the_output(runner, mini_copy, tmp_path) -> None:
    out = tmp_path / "uit" / "t.csv"
    assert invoke(runner, "calculate", "--data", mini_copy, "--out", out).exit_code == 0
    man = mf.read(out)
    assert man["data_folder"] == {"relative_to_output": "../region"}  # tmp_path/uit -> tmp_path/region
    assert str(tmp_path) not in mf.sidecar_path(out).read_text(encoding="utf-8")  # never an absolute path


def test_two_clones_give_byte_identical_outputs(runner, tmp_path) -> None:
    for clone in ("een", "twee"):
        shutil.copytree(MINI, tmp_path / clone / "regio")
        for name in ("t.csv", "t.json", "t.xlsx"):
            out = tmp_path / clone / "uit" / name
            assert invoke(runner, "calculate", "--data", tmp_path / clone / "regio", "--out", out).exit_code == 0
    for name in ("t.csv", "t.csv.manifest.json", "t.json", "t.xlsx"):
        assert (tmp_path / "een" / "uit" / name).read_bytes() == (tmp_path / "twee" / "uit" / name).read_bytes(), name


def test_verify_finds_the_data_folder_by_its_recorded_location(runner, tmp_path, monkeypatch) -> None:
    """Made with --data regio (changed from the bundled region), verified without --data from elsewhere."""
    shutil.copytree(MINI, tmp_path / "project" / "regio")
    out = tmp_path / "project" / "uit" / "t.json"
    monkeypatch.chdir(tmp_path / "project")
    assert invoke(runner, "calculate", "--data", "regio", "--out", out).exit_code == 0
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = invoke(runner, "verify", out)
    assert result.exit_code == 0, result.output
    assert "(18 bestanden)" in result.output  # the mini region's 18 files, not the bundled region's
    # the folder moved away: refused, in Dutch, naming --data
    shutil.move(tmp_path / "project" / "regio", tmp_path / "project" / "regio-oud")
    result = invoke(runner, "verify", out)
    assert result.exit_code == 2
    assert "is niet gevonden; geef die map met --data" in result.output
    result = invoke(runner, "verify", out, "--data", tmp_path / "project" / "regio-oud")
    assert result.exit_code == 0, result.output


def test_a_manifest_without_a_location_hints_at_data(runner, mini_copy, tmp_path) -> None:
    """An older manifest names no data folder: compared with the bundled region, and the findings say to pass --data."""
    out = tmp_path / "t.json"
    assert invoke(runner, "calculate", "--data", mini_copy, "--out", out).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    del doc["manifest"]["data_folder"]
    out.write_text(json.dumps(doc), encoding="utf-8")
    result = invoke(runner, "verify", out)
    assert result.exit_code == 1
    assert "invoer gewijzigd" in result.output or "invoer verdwenen" in result.output
    assert "geef de juiste map met --data" in result.output


def _with_command(out: Path, command: object) -> None:
    side = mf.sidecar_path(out)
    doc = json.loads(side.read_text(encoding="utf-8"))
    if command is None:
        del doc["command"]
    else:
        doc["command"] = command
    side.write_text(json.dumps(doc), encoding="utf-8")


@pytest.mark.parametrize("command", [
    pytest.param(["calculate", "--help"], id="help-probe"),
    pytest.param(["calculate", "--year", "2025", "-h"], id="short-help"),
    pytest.param(["--version"], id="version"),
    pytest.param(["validate"], id="writes-nothing"),
    pytest.param(["provider", "alfa"], id="provider"),  # explain writes a PDF/JSON/Markdown with --out now
    pytest.param(["calculate", "--out", "elders.csv"], id="own-out"),
    pytest.param(["onbekend"], id="unknown"),
    pytest.param([], id="empty"),
    pytest.param(None, id="missing"),
    pytest.param("calculate", id="not-a-list"),
])
def test_verify_refuses_a_command_that_writes_no_output(runner, mini_copy, tmp_path, command) -> None:
    """The probe of the issue: a tampered CSV whose manifest command was replaced by `calculate --help`."""
    out = tmp_path / "t.csv"
    assert invoke(runner, "calculate", "--data", mini_copy, "--out", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    out.write_text(text.replace(",64.60,6460,", ",64.70,6470,"), encoding="utf-8")
    _with_command(out, command)
    # a tampered output hash too, so only the command decides: without the refusal this would pass
    side = mf.sidecar_path(out)
    doc = json.loads(side.read_text(encoding="utf-8"))
    doc["output_sha256"] = mf.sha256_bytes(out.read_bytes())
    side.write_text(json.dumps(doc), encoding="utf-8")
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 2, result.output
    assert "OK:" not in result.output
    assert "er is niets geschreven" in result.output


def test_verify_fails_when_the_rerun_writes_nothing(runner, mini_copy, tmp_path, monkeypatch) -> None:
    """A known command that (by a defect) writes no file is a finding, never an OK."""
    from tariefmodel.cli import trail

    out = tmp_path / "t.csv"
    assert invoke(runner, "calculate", "--data", mini_copy, "--out", out).exit_code == 0
    monkeypatch.setattr(trail, "_rerun", lambda root, args: None)
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 1
    assert "herberekening schreef geen uitvoer: calculate --year 2025" in result.output


def test_a_changed_meta_input_hash_is_a_finding(runner, mini_copy, tmp_path) -> None:
    out = tmp_path / "t.json"
    assert invoke(runner, "calculate", "--data", mini_copy, "--out", out).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["meta"]["inputs"][COST] = "0" * 64
    out.write_text(json.dumps(doc), encoding="utf-8")
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 1 and "het blok meta noemt andere invoerbestanden" in result.output
