"""The run manifest and tariefmodel verify (issue 6).

Every output carries the engine version, the data revision (git commit) and the SHA-256 of every input file;
verify checks the inputs against it and recomputes the output with the same command: exit 0 when it still matches,
1 when inputs or results changed (each change listed), 2 on bad input (naming it). All on copies of the mini region.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import MINI, edit
from fixture_texts import INDEXATION

from tariefmodel import __version__
from tariefmodel.cli.main import main
from tariefmodel.loader.load import load_region
from tariefmodel.trail import manifest as mf

COST = "parameters/cost_model.yaml"
SALARY = "cao_tables/alfa/schalen_2024-01-01.csv"
OVERHEAD = "      - from: 2024-01-01\n        value: {}\n        source: testdata overhead\n"


def invoke(runner, *args: str):
    return runner.invoke(main, [str(a) for a in args])


def calculate(runner, data: Path, out: Path, *extra: str) -> Path:
    result = invoke(runner, "calculate", "--data", data, "--out", out, *extra)
    assert result.exit_code == 0, result.output
    return out


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=test", "-c", "user.email=test@example.org",
                           "-c", "commit.gpgsign=false", *args], capture_output=True, text=True, check=True).stdout.strip()


# =============================================================== the manifest


@pytest.mark.parametrize("suffix", ["csv", "json", "xlsx"])
def test_manifest_of_calculate(mini_copy, runner, tmp_path, suffix) -> None:
    out = calculate(runner, mini_copy, tmp_path / f"t.{suffix}", "--year", "2025")
    man = mf.read(out)
    assert (man["engine"], man["engine_version"]) == ("tariefmodel", __version__)
    assert man["command"] == ["calculate", "--year", "2025"]
    assert len(man["engine_source_sha256"]) == 64
    files = load_region(mini_copy).files
    assert len(files) == 18  # 17 + parameters/minimum_wage.yaml
    assert man["inputs"] == {f: hashlib.sha256((mini_copy / f).read_bytes()).hexdigest() for f in files}
    assert man["data_revision"] is None  # a copy outside any git repository
    if suffix == "csv":
        side = json.loads(mf.sidecar_path(out).read_text(encoding="utf-8"))
        assert side["output_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()


def test_manifest_names_the_git_commit_of_the_data(tmp_path, runner) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(MINI, repo)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "mini")
    man = mf.read(calculate(runner, repo, tmp_path / "a.json"))
    assert man["data_revision"]["git_commit"] == git(repo, "rev-parse", "HEAD")
    assert man["data_revision"]["uncommitted_input_changes"] is False
    edit(repo / COST, OVERHEAD.format("0.10"), OVERHEAD.format("0.11"))
    man = mf.read(calculate(runner, repo, tmp_path / "b.json"))
    assert man["data_revision"]["uncommitted_input_changes"] is True


def test_two_runs_give_the_same_manifest_and_bytes(mini_copy, runner, tmp_path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for name in ("t.csv", "t.json", "t.xlsx"):
        a = calculate(runner, mini_copy, tmp_path / "a" / name)
        b = calculate(runner, mini_copy, tmp_path / "b" / name)
        assert a.read_bytes() == b.read_bytes(), name
    assert mf.sidecar_path(tmp_path / "a" / "t.csv").read_bytes() == mf.sidecar_path(tmp_path / "b" / "t.csv").read_bytes()


# =============================================================== verify: unchanged


@pytest.mark.parametrize("suffix", ["csv", "json", "xlsx"])
def test_verify_unchanged_output(mini_copy, runner, tmp_path, suffix) -> None:
    out = calculate(runner, mini_copy, tmp_path / f"t.{suffix}")
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"OK: {out} komt overeen met de invoer (18 bestanden)")
    assert "(calculate --year 2025)" in result.output


def test_verify_other_outputs(mini_copy, runner, tmp_path) -> None:
    """index apply and recalibrate outputs carry a manifest too and verify."""
    (mini_copy / "parameters" / "indexation.yaml").write_text(INDEXATION, encoding="utf-8")
    for args, name in ((("index", "apply", "--from", "2025", "--to", "2026"), "i.csv"),
                       (("recalibrate", "--year", "2026"), "r.json")):
        out = tmp_path / name
        result = invoke(runner, *args, "--data", mini_copy, "--out", out)
        assert result.exit_code == 0, result.output
        result = invoke(runner, "verify", out, "--data", mini_copy)
        assert result.exit_code == 0, result.output




# =============================================================== verify: one changed input byte


@pytest.mark.parametrize("suffix", ["csv", "json", "xlsx"])
def test_verify_detects_one_changed_byte_in_a_salary_table(mini_copy, runner, tmp_path, suffix) -> None:
    """Scale B step 2 of alfa 4500.00 -> 4501.00 (one digit): alfa hbo moves, so MIN01 and UUR01 under alfa."""
    out = calculate(runner, mini_copy, tmp_path / f"t.{suffix}")
    path = mini_copy / SALARY
    data = path.read_bytes()
    assert data.count(b"B,2,4500.00") == 1
    path.write_bytes(data.replace(b"B,2,4500.00", b"B,2,4501.00"))
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"AFWIJKING: {out} komt niet meer overeen met de invoer of de engine:"
    changed_inputs = [ln for ln in lines if "invoer gewijzigd" in ln]
    assert len(changed_inputs) == 1 and SALARY in changed_inputs[0]
    assert "uitkomst gewijzigd: 5 regel(s) verschillen" in result.output
    was = [ln for ln in lines if ln.strip().startswith("was:")]
    now = [ln for ln in lines if ln.strip().startswith("nu:")]
    assert len(was) == len(now) == 5
    # UUR01 alfa 64.60 -> 64.61 (a workbook holds the number, 64.6)
    assert any(ln.split("was:")[1].strip().startswith("UUR01,") and re.search(r",64\.60?,", ln) for ln in was)
    assert any(ln.split("nu:")[1].strip().startswith("UUR01,") and ",64.61," in ln for ln in now)
    assert any(",MIN01," in "," + ln.split("nu:")[1].strip() for ln in now)


def test_verify_detects_a_changed_rationale_without_tariff_effect(mini_copy, runner, tmp_path) -> None:
    out = calculate(runner, mini_copy, tmp_path / "t.csv")
    edit(mini_copy / COST, "        rationale: Opslag op directe kosten.\n", "        rationale: Opslag op de directe kosten.\n")
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 1
    assert f"invoer gewijzigd: {COST}" in result.output
    assert "uitkomst gewijzigd" not in result.output


def test_verify_detects_added_and_removed_inputs(mini_copy, runner, tmp_path) -> None:
    out = calculate(runner, mini_copy, tmp_path / "t.json")
    shutil.copy(mini_copy / "benchmarks" / "overhead.yaml", mini_copy / "benchmarks" / "extra.yaml")
    edit(mini_copy / "benchmarks" / "extra.yaml", "key: overhead-test", "key: overhead-extra")
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 1 and "invoer toegevoegd: benchmarks/extra.yaml" in result.output
    (mini_copy / "benchmarks" / "extra.yaml").unlink()
    (mini_copy / "benchmarks" / "overhead.yaml").unlink()
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 1 and "invoer verdwenen: benchmarks/overhead.yaml" in result.output


# =============================================================== verify: the output itself edited


def test_verify_detects_an_edited_csv_output(mini_copy, runner, tmp_path) -> None:
    out = calculate(runner, mini_copy, tmp_path / "t.csv")
    text = out.read_text(encoding="utf-8")
    assert text.count(",64.60,6460,") == 1
    out.write_text(text.replace(",64.60,6460,", ",64.70,6470,"), encoding="utf-8")
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 1
    assert "t.csv is gewijzigd nadat het is geschreven (de SHA-256 wijkt af van het manifest)" in result.output
    assert "uitkomst gewijzigd: 1 regel(s) verschillen" in result.output
    assert "invoer gewijzigd" not in result.output


def test_verify_catches_an_edit_that_leaves_the_rows_equal(mini_copy, runner, tmp_path) -> None:
    """Windows line endings: every row reads the same, only output_sha256 tells."""
    out = calculate(runner, mini_copy, tmp_path / "t.csv")
    out.write_bytes(out.read_bytes().replace(b"\n", b"\r\n"))
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 1
    assert "de SHA-256 wijkt af van het manifest" in result.output
    assert "uitkomst gewijzigd" not in result.output


def test_verify_detects_an_edited_json_output(mini_copy, runner, tmp_path) -> None:
    out = calculate(runner, mini_copy, tmp_path / "t.json")
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["tariffs"][0]["tariff_eur"] = "9.99"
    out.write_text(json.dumps(doc), encoding="utf-8")
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 1 and "uitkomst gewijzigd: 1 regel(s) verschillen" in result.output


# =============================================================== verify: audit and diff outputs


@pytest.mark.parametrize("suffix", ["md", "html", "xlsx"])
def test_verify_audit_report(mini_copy, runner, tmp_path, suffix) -> None:
    out = tmp_path / f"audit.{suffix}"
    assert invoke(runner, "audit", "--data", mini_copy, "--out", out).exit_code == 0
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 0, result.output
    assert "(audit --year 2025)" in result.output
    edit(mini_copy / SALARY, "B,2,4500.00", "B,2,4501.00")
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 1 and f"invoer gewijzigd: {SALARY}" in result.output


def test_verify_audit_markdown_detects_a_changed_finding(mini_copy, runner, tmp_path) -> None:
    out = tmp_path / "audit.md"
    assert invoke(runner, "audit", "--data", mini_copy, "--out", out).exit_code == 0
    edit(mini_copy / COST, OVERHEAD.format("0.10"), OVERHEAD.format("0.10") + "        source_date: 2010-01-01\n")
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 1
    assert "uitkomst gewijzigd" in result.output and "invoer gewijzigd: parameters/cost_model.yaml" in result.output


def test_verify_audit_markdown_after_an_unrelated_commit(tmp_path, runner) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(MINI, repo)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "mini")
    out = tmp_path / "audit.md"
    assert invoke(runner, "audit", "--data", repo, "--out", out).exit_code == 0
    (repo / "NOTES.txt").write_text("notitie\n", encoding="utf-8")
    git(repo, "add", "NOTES.txt")
    git(repo, "commit", "-q", "-m", "notes, no input changed")
    result = invoke(runner, "verify", out, "--data", repo)
    assert result.exit_code == 0, result.output


@pytest.fixture
def diff_pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(MINI, old)
    shutil.copytree(MINI, new)
    edit(new / COST, OVERHEAD.format("0.10"), OVERHEAD.format("0.12"))
    return old, new


def test_verify_diff_output_with_the_new_folder_as_data(diff_pair, runner, tmp_path) -> None:
    """A diff has no data folder of its own: its manifest holds NEW's inputs, so verify needs --data NEW."""
    old, new = diff_pair
    out = tmp_path / "diff.json"
    assert invoke(runner, "diff", old, new, "--data", new, "--out", out).exit_code == 0
    man = mf.read(out)
    assert man["command"] == ["diff", f"../{old.name}", ".", "--year", "2025"]  # seen from the data folder (NEW)
    assert man["inputs"][COST] == hashlib.sha256((new / COST).read_bytes()).hexdigest()
    result = invoke(runner, "verify", out, "--data", new)
    assert result.exit_code == 0, result.output
    edit(new / COST, OVERHEAD.format("0.12"), OVERHEAD.format("0.13"))
    result = invoke(runner, "verify", out, "--data", new)
    assert result.exit_code == 1
    assert f"invoer gewijzigd: {COST}" in result.output and "uitkomst gewijzigd" in result.output


def test_verify_diff_output_detects_a_changed_old_input(diff_pair, runner, tmp_path) -> None:
    old, new = diff_pair
    out = tmp_path / "diff.json"
    assert invoke(runner, "diff", old, new, "--data", new, "--out", out).exit_code == 0
    edit(old / COST, "        rationale: Opslag op directe kosten.\n", "        rationale: Opslag op de directe kosten.\n")
    assert invoke(runner, "verify", out, "--data", new).exit_code == 1


def test_verify_diff_output_from_another_directory(diff_pair, runner, tmp_path, monkeypatch) -> None:
    new = diff_pair[1]
    out = tmp_path / "diff.json"
    monkeypatch.chdir(tmp_path)
    assert invoke(runner, "diff", "old", "new", "--data", "new", "--out", out).exit_code == 0
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = invoke(runner, "verify", out, "--data", new)
    assert result.exit_code == 0, result.output


# =============================================================== verify: bad input, exit 2


def test_verify_output_without_manifest(mini_copy, runner, tmp_path) -> None:
    out = calculate(runner, mini_copy, tmp_path / "t.csv")
    mf.sidecar_path(out).unlink()
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 2
    assert f"{out} heeft geen manifest van tariefmodel" in result.output


@pytest.mark.parametrize(("name", "content"), [
    ("plain.json", '{"tariffs": []}'),
    ("notes.md", "# Notities\n\ngeen manifest\n"),
    ("page.html", "<html><body>geen manifest</body></html>\n"),
    ("data.txt", "x\n"),
])
def test_verify_file_without_manifest(runner, tmp_path, name, content) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = invoke(runner, "verify", path, "--data", MINI)
    assert result.exit_code == 2
    assert f"{path} heeft geen manifest van tariefmodel" in result.output


def test_verify_missing_file(runner, tmp_path) -> None:
    result = invoke(runner, "verify", tmp_path / "nergens.csv")
    assert result.exit_code == 2 and "nergens.csv" in result.output


def test_verify_with_bad_data_folder(mini_copy, runner, tmp_path) -> None:
    out = calculate(runner, mini_copy, tmp_path / "t.json")
    edit(mini_copy / COST, OVERHEAD.format("0.10"), OVERHEAD.format("abc"))
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 2
    assert COST in result.output and "overhead.rate" in result.output


def test_verify_broken_sidecar_names_the_file(mini_copy, runner, tmp_path) -> None:
    out = calculate(runner, mini_copy, tmp_path / "t.csv")
    side = mf.sidecar_path(out)
    side.write_text(side.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    result = invoke(runner, "verify", out, "--data", mini_copy)
    assert result.exit_code == 2
    assert side.name in result.output


@pytest.mark.parametrize(("name", "content"), [
    pytest.param("kapot.xlsx", b"not a workbook\n", id="xlsx-not-a-zip"),
    pytest.param("lijst.md", b"<!-- tariefmodel-manifest: [1, 2] -->\n", id="manifest-not-an-object"),
])
def test_verify_malformed_output_exit_2(runner, tmp_path, name, content) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = invoke(runner, "verify", path, "--data", MINI)
    assert result.exit_code == 2
    assert name in result.output
