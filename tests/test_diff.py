"""tariefmodel diff OLD NEW (issue 6): input changes with provenance and the effect on every tariff.

Two hand-made data sets: OLD is the mini region (tests/fixtures/mini_region), NEW changes three leaves:

    parameters/cost_model.yaml              overhead.rate 0.10 -> 0.12
    cao_tables/alfa/schalen_2024-01-01.csv  scale A step 1: 3000.00 -> 3100.00 (alfa mbo)
    parameters/products/02_verblijf.yaml    DAG01 group_size 5 -> 4

Hand computation of DAG01 under CAO alfa (2025; mbo only, 4 staff hours per dagdeel, materials 2.50, profit 2%):
    OLD: C = 53444 / 1350 = 39.5881481481; direct 39.5881481481 x 4 / 5 + 2.50 = 34.1705185185;
         x 1.10 x 1.02 = 38.3393 -> 38.34
    NEW: M 3100, G 37200, holiday max(0.08 x 37200, 12 x 250) = 3000, year-end 0.08 x 37200 = 2976, L 43176,
         charges 0.20 x 43176 + 0.10 x (43176 - 10000) = 8635.20 + 3317.60, A 55128.80, C = 40.8361481481;
         direct 40.8361481481 x 4 / 4 + 2.50 = 43.3361481481; x 1.12 x 1.02 = 49.5072 -> 49.51
    effect: 49.51 - 38.34 = 11.17 euro, 11.17 / 38.34 = 29.13%
DAG01 under beta (= basistarief): C = 36.9480533333; (C + 2.50) x 1.12 x 1.02 = 45.0654 -> 45.07 (old 35.97: +25.30%).
ETM01 micro under beta: beta is unchanged and micro uses the micro overhead: 364.58 both (0.00).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import MINI, edit, edit_product

from tariefmodel.cli.main import main
from tariefmodel.trail import manifest as mf
from tariefmodel.trail.diff import input_changes

D = Decimal
COST = "parameters/cost_model.yaml"
SALARY = "cao_tables/alfa/schalen_2024-01-01.csv"
P_VERB = "parameters/products/02_verblijf.yaml"
OVERHEAD = "      - from: 2024-01-01\n        value: {}\n        source: testdata overhead\n"


def change(root: Path) -> Path:
    """The three changes of NEW."""
    edit(root / COST, OVERHEAD.format("0.10"), OVERHEAD.format("0.12"))
    edit(root / SALARY, "A,1,3000.00", "A,1,3100.00")
    edit_product(root / P_VERB, "DAG01", "    group_size: 5\n", "    group_size: 4\n")
    return root


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(MINI, old)
    shutil.copytree(MINI, new)
    return old, change(new)


def run_json(runner, tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "diff.json"
    result = runner.invoke(main, ["diff", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def by_key(doc: dict) -> dict[tuple[str, str, bool], dict]:
    return {(r["product_code"], r["variant"], r["micro"]): r for r in doc["tariffs"]}


# =============================================================== input changes


def test_input_changes_are_exactly_the_changed_leaves(pair) -> None:
    old, new = pair
    got = [(c.file, c.path, c.old, c.new) for c in input_changes(old, new)]
    assert got == [
        (SALARY, "A,1", "3000.00", "3100.00"),
        (COST, "overhead.rate.values[from=2024-01-01].value", "0.10", "0.12"),
        (P_VERB, "products[code=DAG01].group_size", "5", "4"),
    ]
    overhead = input_changes(old, new)[1]
    assert overhead.source == "testdata overhead — Rond getal."  # the new value's source and rationale


def test_no_changes_between_equal_folders(tmp_path, runner) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(MINI, a)
    shutil.copytree(MINI, b)
    assert input_changes(a, b) == []
    doc = run_json(runner, tmp_path, str(a), str(b), "--data", str(b))
    assert doc["input_changes"] == []
    assert len(doc["tariffs"]) == 24 and {r["difference_eur"] for r in doc["tariffs"]} == {"0.00"}


def test_added_and_removed_files_and_products(tmp_path, runner) -> None:
    """A new product file: its file is listed as new, its tariffs have no old amount and come first."""
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(MINI, old)
    shutil.copytree(MINI, new)
    extra = (new / P_VERB).read_text(encoding="utf-8").replace("DAG01", "DAG02").replace("ETM01", "ETM02")
    (new / "parameters" / "products" / "03_extra.yaml").write_text(extra, encoding="utf-8")
    (old / "benchmarks" / "overhead.yaml").unlink()
    (old / "benchmarks" / "weg.yaml").write_text((MINI / "benchmarks" / "overhead.yaml").read_text(encoding="utf-8"),
                                                  encoding="utf-8")
    changes = [(c.file, c.path, c.old, c.new) for c in input_changes(old, new)]
    assert ("parameters/products/03_extra.yaml", "(bestand)", "", "nieuw bestand") in changes
    assert ("benchmarks/weg.yaml", "(bestand)", "bestand", "verwijderd") in changes
    assert ("benchmarks/overhead.yaml", "(bestand)", "", "nieuw bestand") in changes
    doc = run_json(runner, tmp_path, str(old), str(new), "--data", str(new))
    assert len(doc["tariffs"]) == 36
    first = doc["tariffs"][:12]
    assert {r["product_code"] for r in first} == {"DAG02", "ETM02"}
    assert {(r["old_eur"], r["difference_eur"], r["difference_pct"]) for r in first} == {("", "", "")}


def test_changed_cao_cell_has_provenance(pair) -> None:
    cell = next(c for c in input_changes(*pair) if c.file == SALARY)
    assert "testdata CAO alfa" in cell.source


def test_changed_product_field_has_provenance(pair) -> None:
    field = next(c for c in input_changes(*pair) if c.file == P_VERB)
    assert "testdata product dagdeel" in field.source


# =============================================================== tariff effects


def test_effects_match_the_hand_computation(pair, runner, tmp_path) -> None:
    old, new = pair
    doc = run_json(runner, tmp_path, str(old), str(new), "--data", str(new))
    # the folders as seen from the data folder (--data NEW): never an absolute path in an output
    assert doc["year"] == 2025 and doc["old"] == "../old" and doc["new"] == "."
    rows = by_key(doc)
    assert len(rows) == 24
    dag = rows[("DAG01", "alfa", False)]
    assert (dag["old_eur"], dag["new_eur"], dag["difference_eur"], dag["difference_pct"]) == ("38.34", "49.51", "11.17", "29.13")
    beta = rows[("DAG01", "beta", False)]
    assert (beta["old_eur"], beta["new_eur"], beta["difference_pct"]) == ("35.97", "45.07", "25.30")
    assert rows[("DAG01", "basistarief", False)]["new_eur"] == "45.07"
    etm = rows[("ETM01", "beta", True)]
    assert (etm["old_eur"], etm["new_eur"], etm["difference_eur"]) == ("364.58", "364.58", "0.00")
    for r in doc["tariffs"]:
        diff = D(r["new_eur"]) - D(r["old_eur"])
        assert D(r["difference_eur"]) == diff
        assert abs(D(r["difference_pct"]) - diff / D(r["old_eur"]) * 100) <= D("0.005")
    assert sum(1 for r in doc["tariffs"] if r["difference_eur"] != "0.00") == 17
    assert [(c["bestand"], c["oud"], c["nieuw"]) for c in doc["input_changes"]] == [
        (SALARY, "3000.00", "3100.00"), (COST, "0.10", "0.12"), (P_VERB, "5", "4")]


def test_effects_sorted_by_absolute_percentage(tmp_path, runner) -> None:
    """Overhead 0.10 -> 0.12 raises every regular tariff ~1.8%; DAG01 in groups of 10 instead of 5 falls ~40%:
    the falls come first, sorted by |%|."""
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(MINI, old)
    shutil.copytree(MINI, new)
    edit(new / COST, OVERHEAD.format("0.10"), OVERHEAD.format("0.12"))
    edit_product(new / P_VERB, "DAG01", "    group_size: 5\n", "    group_size: 10\n")
    doc = run_json(runner, tmp_path, str(old), str(new), "--data", str(new))
    pcts = [D(r["difference_pct"]) for r in doc["tariffs"]]
    assert [abs(p) for p in pcts] == sorted((abs(p) for p in pcts), reverse=True)
    assert doc["tariffs"][0]["product_code"] == "DAG01" and pcts[0] < -30
    assert pcts[-1] == 0  # the micro tariffs of the other products do not move


def test_terminal_table(pair, runner) -> None:
    old, new = pair
    result = runner.invoke(main, ["diff", str(old), str(new), "--data", str(new)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "3 in de invoer, 17 van 24 tarieven (2025) veranderen" in text
    assert "29,13" in result.output and "overhead.rate" in result.output  # Dutch amounts on the terminal


# =============================================================== --out xlsx / json / md


def test_out_formats_carry_the_same_rows_and_a_manifest(pair, runner, tmp_path) -> None:
    old, new = pair
    doc = run_json(runner, tmp_path, str(old), str(new), "--data", str(new))
    xlsx, md = tmp_path / "diff.xlsx", tmp_path / "diff.md"
    for out in (xlsx, md):
        result = runner.invoke(main, ["diff", str(old), str(new), "--data", str(new), "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "3 wijzigingen, 17 tarieven anders" in result.output
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    assert wb.sheetnames == ["Effect op tarieven", "Wijzigingen invoer", "Manifest"]
    effects = [list(r) for r in wb["Effect op tarieven"].iter_rows(values_only=True)]
    assert effects[0] == doc["columns"]
    assert len(effects) == 1 + 24
    assert effects[1][:2] == ["DAG01", "Dagbesteding groep (per dagdeel)"] and effects[1][6:] == ["38.34", "49.51", "11.17",
                                                                                                   "29.13"]
    changes = [list(r) for r in wb["Wijzigingen invoer"].iter_rows(values_only=True)]
    assert changes[0] == ["bestand", "waarde", "oud", "nieuw", "bron"]
    assert changes[2] == [COST, "overhead.rate.values[from=2024-01-01].value", "0.10", "0.12", "testdata overhead — Rond getal."]
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Wijzigingen ../old -> . (tarieven 2025)\n")
    # a page for people: Dutch amounts (the .xlsx and .json above keep exact dot decimals)
    assert "| DAG01 | Dagbesteding groep (per dagdeel) | alfa |  |  | € 38,34 | € 49,51 | +€ 11,17 | +29,13% |" in text
    assert "| 0,10 | 0,12 |" in text
    for out in (xlsx, md, tmp_path / "diff.json"):
        man = mf.read(out)
        assert man["command"] == ["diff", "../old", ".", "--year", "2025"]
        assert man["inputs"][COST] == doc["manifest"]["inputs"][COST]


def test_unknown_out_suffix(pair, runner, tmp_path) -> None:
    out = tmp_path / "diff.csv"
    result = runner.invoke(main, ["diff", str(pair[0]), str(pair[1]), "--out", str(out)])
    assert result.exit_code == 2 and "'.csv'" in result.output
    assert not out.exists()


def test_markdown_diff_table_rows_have_five_cells(pair, runner, tmp_path) -> None:
    out = tmp_path / "diff.md"
    assert runner.invoke(main, ["diff", str(pair[0]), str(pair[1]), "--data", str(pair[1]), "--out", str(out)]).exit_code == 0
    row = next(ln for ln in out.read_text(encoding="utf-8").splitlines() if "overhead.rate" in ln)
    assert len(re.split(r"(?<!\\)\|", row.strip().strip("|"))) == 5


# =============================================================== git revisions


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=test", "-c", "user.email=test@example.org",
                           "-c", "commit.gpgsign=false", *args], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A tiny git repository: the mini region committed, then the three changes committed."""
    root = tmp_path / "repo"
    shutil.copytree(MINI, root)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "mini region")
    change(root)
    git(root, "commit", "-q", "-a", "-m", "three changes")
    return root


def test_git_revisions(repo, pair, runner, tmp_path) -> None:
    doc = run_json(runner, tmp_path, "HEAD~1", "HEAD", "--data", str(repo))
    first, second = git(repo, "rev-parse", "HEAD~1"), git(repo, "rev-parse", "HEAD")
    assert doc["old"] == f"HEAD~1 ({first[:12]})" and doc["new"] == f"HEAD ({second[:12]})"
    assert [(c["bestand"], c["waarde"], c["oud"], c["nieuw"]) for c in doc["input_changes"]] == [
        (SALARY, "A,1", "3000.00", "3100.00"),
        (COST, "overhead.rate.values[from=2024-01-01].value", "0.10", "0.12"),
        (P_VERB, "products[code=DAG01].group_size", "5", "4")]
    (tmp_path / "folders").mkdir()
    folders = run_json(runner, tmp_path / "folders", str(pair[0]), str(pair[1]), "--data", str(pair[1]))
    assert doc["tariffs"] == folders["tariffs"]
    assert doc["manifest"]["inputs"] == folders["manifest"]["inputs"]  # NEW at HEAD has the bytes of the folder NEW


def test_git_revisions_manifest_names_the_commit(repo, runner, tmp_path) -> None:
    doc = run_json(runner, tmp_path, "HEAD~1", "HEAD", "--data", str(repo))
    assert doc["manifest"]["data_revision"]["git_commit"] == git(repo, "rev-parse", "HEAD")


def test_git_revisions_of_a_data_folder_inside_the_repository(tmp_path, runner) -> None:
    """The data folder need not be the repository root: only its parameters/, cao_tables/ and benchmarks/ are taken."""
    top = tmp_path / "top"
    data = top / "regio"
    shutil.copytree(MINI, data)
    (top / "README.md").write_text("andere inhoud\n", encoding="utf-8")
    git(top, "init", "-q")
    git(top, "add", ".")
    git(top, "commit", "-q", "-m", "one")
    edit(data / COST, OVERHEAD.format("0.10"), OVERHEAD.format("0.12"))
    git(top, "commit", "-q", "-a", "-m", "two")
    doc = run_json(runner, tmp_path, "HEAD~1", "HEAD", "--data", str(data))
    assert [(c["bestand"], c["oud"], c["nieuw"]) for c in doc["input_changes"]] == [(COST, "0.10", "0.12")]
    dag = by_key(doc)[("DAG01", "alfa", False)]
    assert (dag["old_eur"], dag["new_eur"]) == ("38.34", "39.04")  # 34.1705185185 x 1.12 x 1.02 = 39.0361


def test_git_revision_against_the_working_folder(repo, runner, tmp_path) -> None:
    """OLD a revision, NEW the data folder itself (uncommitted edits included)."""
    edit_product(repo / P_VERB, "DAG01", "    group_size: 4\n", "    group_size: 2\n")
    doc = run_json(runner, tmp_path, "HEAD", str(repo), "--data", str(repo))
    assert [(c["waarde"], c["oud"], c["nieuw"]) for c in doc["input_changes"]] == [
        ("products[code=DAG01].group_size", "4", "2")]
    assert doc["manifest"]["data_revision"]["uncommitted_input_changes"] is True


@pytest.mark.parametrize("rev", ["no-such-revision", "HEAD~5"])
def test_unknown_revision_exit_2_naming_it(repo, runner, tmp_path, rev) -> None:
    out = tmp_path / "diff.json"
    result = runner.invoke(main, ["diff", rev, "HEAD", "--data", str(repo), "--out", str(out)])
    assert result.exit_code == 2
    assert f"FOUT {rev}:" in result.output and "geen gegevensmap en geen git-revisie" in result.output
    assert not out.exists()


def test_revision_outside_a_git_repository(tmp_path, runner) -> None:
    data = tmp_path / "plain"
    shutil.copytree(MINI, data)
    result = runner.invoke(main, ["diff", "HEAD~1", "HEAD", "--data", str(data)])
    assert result.exit_code == 2
    assert "FOUT HEAD~1:" in result.output


def test_invalid_new_data_exit_2_naming_the_file(pair, runner) -> None:
    old, new = pair
    edit(new / COST, OVERHEAD.format("0.12"), OVERHEAD.format("1.50"))
    result = runner.invoke(main, ["diff", str(old), str(new), "--data", str(new)])
    assert result.exit_code == 2
    assert COST in result.output and "overhead.rate" in result.output


def test_a_diff_output_is_the_same_in_two_clones_and_verifies_after_a_move(pair, runner, tmp_path) -> None:
    """No absolute path in a diff output: two clones write the same bytes, and verify finds OLD from --data."""
    outs = []
    for clone in ("a", "b"):
        base = tmp_path / clone
        shutil.copytree(pair[0], base / "old")
        shutil.copytree(pair[1], base / "new")
        out = base / "uit" / "diff.json"
        result = runner.invoke(main, ["diff", str(base / "old"), str(base / "new"), "--data", str(base / "new"),
                                      "--out", str(out)])
        assert result.exit_code == 0, result.output
        outs.append(out)
    assert outs[0].read_bytes() == outs[1].read_bytes()
    assert str(tmp_path) not in outs[0].read_text(encoding="utf-8")
    moved = tmp_path / "elders" / "diff.json"
    moved.parent.mkdir()
    shutil.copy(outs[0], moved)
    assert not mf.sidecar_path(outs[0]).exists()  # JSON carries its manifest inside
    result = runner.invoke(main, ["verify", str(moved), "--data", str(tmp_path / "a" / "new")])
    assert result.exit_code == 0, result.output
