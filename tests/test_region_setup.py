"""A region starts and keeps its own model: init, locating the data folder, and yearly upkeep without hand-editing.

Every refusal exits 2 and leaves every file of the folder byte for byte as it was (compared by hash).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from workbook_helpers import data_copy

from tariefmodel.cli import main
from tariefmodel.data.bundled import bundled_region
from tariefmodel.data.problems import InputError
from tariefmodel.loader import locate
from tariefmodel.loader.load import load_region

COST = "parameters/cost_model.yaml"
NEXT = dt.date.today().year + 1  # a year not yet priced: a new value from then rewrites no history
HAS_GIT = shutil.which("git") is not None


def hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.relative_to(root).parts}


def invoke(runner, *args: str):
    return runner.invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """One 'tariefmodel init' of the example region, shared read-only by the tests that only look."""
    from click.testing import CliRunner

    target = tmp_path_factory.mktemp("init") / "regio"
    result = CliRunner().invoke(main, ["init", str(target)])
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture
def bundled_copy(tmp_path) -> Path:
    return data_copy(bundled_region(), tmp_path / "data")


# --------------------------------------------------------------------------- init


def test_init_copies_the_example_with_marker_readme_gitignore_and_first_commit(example) -> None:
    for folder in ("parameters", "cao_tables", "benchmarks", "scenarios"):
        assert (example / folder).is_dir()
    assert hashes(example / "cao_tables") == hashes(bundled_region() / "cao_tables")
    marker = locate.read_marker(example)
    assert marker["regio"]["naam"] == "Voorbeeldregio Midden-Holland"
    from tariefmodel._version import __version__

    assert marker["tariefmodel"] == {"versie": __version__, "formaat": 1}
    gitignore = (example / ".gitignore").read_text(encoding="utf-8")
    assert "\nsurvey/\n" in gitignore and "vertrouwelijk" in gitignore
    readme = (example / "LEESMIJ.md").read_text(encoding="utf-8")
    for words in ("fictief", "cao raise", "index add", "param set", "recalibrate", "tariefmodel diff", "audit",
                  "AMvB reële prijs", "nog in te vullen" if False else "providers.yaml"):
        assert words in readme, words
    # The example providers are fictitious and say so, each of them.
    providers = (example / "parameters" / "providers.yaml").read_text(encoding="utf-8")
    names = [ln for ln in providers.splitlines() if "name:" in ln]
    assert names and all("(fictief)" in ln for ln in names)
    if HAS_GIT:
        log = subprocess.run(["git", "-C", str(example), "log", "--format=%s"], capture_output=True, text=True)
        assert log.stdout.splitlines() == ["tariefmodel init: Voorbeeldregio Midden-Holland"]
        status = subprocess.run(["git", "-C", str(example), "status", "--porcelain"], capture_output=True, text=True)
        assert status.stdout == ""  # everything committed


def test_validate_and_calculate_in_the_new_folder(runner, example) -> None:
    result = invoke(runner, "validate", "--data", example)
    assert result.exit_code == 0, result.output
    assert "OK:" in result.output and "2025: 412 tarieven" in result.output
    out = example.parent / "book.csv"
    result = invoke(runner, "calculate", "--data", example, "--out", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count("\n") == 413  # header + 412 tariffs, as the bundled region


def test_init_with_a_name(runner, tmp_path) -> None:
    target = tmp_path / "gouda"
    result = invoke(runner, "init", target, "--naam", "Regio Gouda e.o.")
    assert result.exit_code == 0, result.output
    assert load_region(target, use_cache=False).info.name == "Regio Gouda e.o."
    assert locate.read_marker(target)["regio"]["naam"] == "Regio Gouda e.o."


def test_init_refuses_a_non_empty_target_and_writes_nothing(runner, tmp_path) -> None:
    target = tmp_path / "bezet"
    target.mkdir()
    (target / "notities.txt").write_text("van iemand anders\n", encoding="utf-8")
    before = hashes(tmp_path)
    result = invoke(runner, "init", target)
    assert result.exit_code == 2
    assert "niet leeg" in result.output
    assert hashes(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bezet"]  # no half-built sibling left behind
    a_file = tmp_path / "bestand"
    a_file.write_text("x", encoding="utf-8")
    assert invoke(runner, "init", a_file).exit_code == 2
    assert a_file.read_text(encoding="utf-8") == "x"


def test_init_into_an_existing_empty_folder(runner, tmp_path) -> None:
    target = tmp_path / "leeg-maar-er"
    target.mkdir()
    result = invoke(runner, "init", target, "--leeg")
    assert result.exit_code == 0, result.output
    assert (target / "tariefmodel.toml").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["leeg-maar-er"]


def test_empty_skeleton_lists_the_todo_sources_first_and_refuses_to_price(runner, tmp_path) -> None:
    target = tmp_path / "nieuw"
    assert invoke(runner, "init", target, "--leeg", "--naam", "Regio Nieuw").exit_code == 0
    result = invoke(runner, "validate", "--data", target)
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.startswith("FOUT")]
    # region 1, contract 1, the 13 required parameters of the cost model and its 2 check thresholds,
    # function map 1, product 1
    assert len(lines) == 19
    assert all("nog in te vullen" in ln for ln in lines)
    assert lines[0].startswith("FOUT parameters/region.yaml:")
    assert any("[overhead.rate.values.0]" in ln for ln in lines)
    assert "19 fout(en)" in result.output
    assert invoke(runner, "calculate", "--data", target).exit_code == 2
    # Filled in, the skeleton is a region that prices its one product under its one CAO.
    for path in target.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("source: TODO", "source: Besluit Regio Nieuw 2026/1"), encoding="utf-8")
    result = invoke(runner, "validate", "--data", target)
    assert result.exit_code == 0, result.output
    assert f"{NEXT}: 4 tarieven" in result.output  # 45A01 as CAO Jeugdzorg, basistarief, each also micro


# --------------------------------------------------------------------------- locate


def test_locate_data_finds_the_folder_as_git_does(example, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(locate.ENV, raising=False)
    sub = example / "parameters" / "products"
    assert locate.locate_data(None, cwd=example) == locate.Located(example.resolve(), locate.BY_MARKER)
    monkeypatch.chdir(sub)
    assert locate.locate_data(None) == locate.Located(example.resolve(), locate.BY_MARKER)
    other = tmp_path / "elders"
    other.mkdir()
    assert locate.locate_data(other) == locate.Located(other.resolve(), locate.BY_OPTION)  # --data wins
    monkeypatch.setenv(locate.ENV, str(other))
    assert locate.locate_data(None) == locate.Located(other.resolve(), locate.BY_ENV)  # env before the marker
    monkeypatch.delenv(locate.ENV)
    monkeypatch.chdir(tmp_path)
    assert locate.locate_data(None) == locate.Located(bundled_region().resolve(), locate.BY_DEFAULT)
    # and the CLI, given the folder it located, validates it
    from click.testing import CliRunner

    found = locate.locate_data(None, cwd=sub)
    assert CliRunner().invoke(main, ["validate", "--data", str(found.path)]).exit_code == 0


def test_describe_and_version_text(example, tmp_path) -> None:
    from tariefmodel._version import __version__

    found = locate.locate_data(None, cwd=example / "parameters", env={})
    line = locate.describe(found, "Voorbeeldregio Midden-Holland", cwd=example.parent)
    rev = locate.revision(example)
    if HAS_GIT:
        assert rev is not None and len(rev) >= 7
        assert line == f"Regio: Voorbeeldregio Midden-Holland (map ./regio, revisie {rev})"
    via_env = locate.describe(locate.Located(example, locate.BY_ENV), "X", cwd=tmp_path)
    assert via_env.endswith(", via TARIEFMODEL_DATA)") and str(example) in via_env
    default = locate.locate_data(None, cwd=tmp_path, env={})
    assert locate.describe(default, "Voorbeeldregio Midden-Holland") == \
        f"Regio: Voorbeeldregio Midden-Holland (meegeleverd voorbeeld, tariefmodel {__version__})"
    text = locate.version_text(found, cwd=example.parent)
    assert text.splitlines()[0] == f"tariefmodel {__version__}"
    assert "./regio (Voorbeeldregio Midden-Holland)" in text
    if HAS_GIT:
        assert f"revisie {rev}" in text


def test_version_note() -> None:
    assert locate.version_note("0.2.0", "0.2.0") is None
    assert "oudere tariefmodel (0.1.0); dit is 0.2.0" in locate.version_note("0.1.0", "0.2.0")
    assert "oudere" in locate.version_note("0.9.0", "0.10.0")  # compared as numbers, not as text
    assert "nieuwere tariefmodel (0.3.0)" in locate.version_note("0.3.0", "0.2.0")
    assert "onbekende versie" in locate.version_note("ontwikkel", "0.2.0")


# --------------------------------------------------------------------------- param set


def test_param_set_adds_a_dated_entry_seen_in_the_book_and_in_diff(runner, mini_copy, tmp_path) -> None:
    from tariefmodel.engine.book import price_book
    from tariefmodel.trail.diff import input_changes

    old_copy = shutil.copytree(mini_copy, tmp_path / "voor")
    before = load_region(mini_copy, use_cache=False)
    old_book = {(t.product.product.code, t.variant, t.micro): t.tariff_eur for t in price_book(before, NEXT).tariffs}
    result = invoke(runner, "param", "set", "overhead.rate", "0,12", "--from", f"{NEXT}-01-01", "--data", mini_copy,
                    "--source", "Collegebesluit 2026/77", "--besluit", "Overhead naar 12%",
                    "--besloten-door", "college", "--besloten-op", "2026-11-24")
    assert result.exit_code == 0, result.output
    text = (mini_copy / COST).read_text(encoding="utf-8")
    # The old value stays, with an end date; the new one follows with its provenance.
    assert (f"        value: 0.10\n        until: {NEXT - 1}-12-31\n" in text) or \
        (f"      - from: 2024-01-01\n        until: {NEXT - 1}-12-31\n        value: 0.10\n" in text)
    assert (f"      - from: {NEXT}-01-01\n        value: 0.12\n        source: Collegebesluit 2026/77\n"
            "        rationale: Overhead naar 12%\n        decided_by: college\n        decided_on: 2026-11-24\n"
            "        status: adopted\n        decision: Overhead naar 12%\n") in text
    after = load_region(mini_copy, use_cache=False)
    new_book = {(t.product.product.code, t.variant, t.micro): t.tariff_eur for t in price_book(after, NEXT).tariffs}
    regular = [k for k in old_book if not k[2]]
    assert regular
    for key in regular:
        # markup convention: every cost-based tariff scales with (1 + 0,12) / (1 + 0,10), to within rounding
        expected = old_book[key] * Decimal("1.12") / Decimal("1.10")
        assert abs(new_book[key] - expected) <= Decimal("0.02"), key
        assert new_book[key] > old_book[key]
    assert price_book(after, 2025).tariffs[0].tariff_eur == price_book(before, 2025).tariffs[0].tariff_eur
    changes = [c for c in input_changes(old_copy, mini_copy) if "overhead.rate" in c.path]
    assert changes and any("0.12" in c.new for c in changes)


def test_param_set_refusals_write_nothing(runner, mini_copy) -> None:
    before = hashes(mini_copy)
    common = ["--data", mini_copy, "--source", "Collegebesluit 2026/78", "--afweging", "Een andere keuze."]
    cases = {
        "er is al een waarde vanaf 01-01-2024": ["overhead.rate", "0.12", "--from", "2024-01-01"],
        "ligt in een afgelopen jaar": ["overhead.rate", "0.12", "--from", "2020-06-01"],
        "onbekende parameter; bedoelde u overhead.rate": ["overhead.rat", "0.12", "--from", f"{NEXT}-01-01"],
        "geen bron": ["overhead.rate", "0.12", "--from", f"{NEXT}-01-01", "--source", "TODO"],
        "geen fractie": ["overhead.rate", "12", "--from", f"{NEXT}-01-01"],  # 12 meant as 12%: the schema refuses
        "horen bij elkaar": ["overhead.rate", "0.12", "--from", f"{NEXT}-01-01", "--besloten-door", "college"],
    }
    for message, args in cases.items():
        result = invoke(runner, "param", "set", *common, *args)  # the last --source wins
        assert result.exit_code == 2, (message, result.output)
        assert message in result.output, (message, result.output)
        assert hashes(mini_copy) == before, message


def test_param_set_correction_records_its_reason(runner, mini_copy) -> None:
    result = invoke(runner, "param", "set", "overhead.rate", "0.11", "--from", "2024-01-01", "--data", mini_copy,
                    "--source", "Herberekening bijlage 3", "--afweging", "Rekenfout hersteld.",
                    "--correctie", "Typefout in het besluit van 2024")
    assert result.exit_code == 0, result.output
    text = (mini_copy / COST).read_text(encoding="utf-8")
    today = dt.date.today().isoformat()
    assert ("        correction: {reason: Typefout in het besluit van 2024, recorded_on: "
            f"{today}, previous_value: 0.1}}\n") in text
    entry = load_region(mini_copy, use_cache=False).cost_model.overhead.rate.values[0]
    assert entry.value == Decimal("0.11")
    assert entry.correction.reason == "Typefout in het besluit van 2024"
    assert entry.correction.previous_value == Decimal("0.10")


# --------------------------------------------------------------------------- cao raise / add


def test_cao_raise_by_three_percent_and_its_effect_in_recalibration(runner, bundled_copy) -> None:
    from tariefmodel.engine.variants import calibrated_book

    before = load_region(bundled_copy, use_cache=False)
    old = {(t.product.product.code, t.variant, t.micro, t.provider): t.tariff_eur
           for t in calibrated_book(before, NEXT).tariffs}
    result = invoke(runner, "cao", "raise", "jeugdzorg", "--percentage", "3", "--from", f"{NEXT}-01-01",
                    "--source", "Cao Jeugdzorg akkoord (loonsverhoging 3%)", "--data", bundled_copy)
    assert result.exit_code == 0, result.output
    new_file = bundled_copy / "cao_tables" / "jeugdzorg" / f"DERIVED_schalen_{NEXT}-01-01.csv"
    lines = new_file.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# DERIVED (afgeleid, geen gepubliceerde tabel) | source: Cao Jeugdzorg akkoord")
    assert "afgeleid van schalen_2025-03-01.csv" in lines[0] and lines[1] == "scale,step,monthly_eur"
    cells = {tuple(ln.split(",")[:2]): ln.split(",")[2] for ln in lines[2:]}
    assert cells[("4", "0")] == "2528.18"  # 2454.54 x 1.03 = 2528.1762 -> 2528.18
    assert cells[("11", "7")] == "5205.11"  # 5053.50 x 1.03 = 5205.105 -> 5205.11 (half away from zero; not ...10)
    assert cells[("12", "2")] == "4832.25"  # 4691.50 x 1.03 = 4832.245 -> 4832.25 (half away from zero; not ...24)
    tables = (bundled_copy / "cao_tables" / "jeugdzorg" / "tables.yaml").read_text(encoding="utf-8")
    assert tables.endswith(f"  - {{kind: scales, effective: {NEXT}-01-01, file: DERIVED_schalen_{NEXT}-01-01.csv, "
                           "derived: true}\n")
    after = load_region(bundled_copy, use_cache=False)
    new = {(t.product.product.code, t.variant, t.micro, t.provider): t.tariff_eur
           for t in calibrated_book(after, NEXT).tariffs}
    jz = [k for k in old if k[1] == "jeugdzorg"]
    vvt = [k for k in old if k[1] == "vvt"]
    assert jz and vvt
    assert all(new[k] > old[k] for k in jz)  # salaries 3% up: every CAO Jeugdzorg tariff rises ...
    assert all(new[k] == old[k] for k in vvt)  # ... and a tariff under another CAO does not move


def test_cao_raise_with_a_minimum_amount(tmp_path, mini_copy) -> None:
    from tariefmodel.upkeep.caotables import raise_tables, raised

    assert raised(Decimal("1.50"), Decimal("0.03"), None) == Decimal("1.55")  # 1,545 -> 1,55, half away from zero
    # max(3300 x 1,02 = 3366, 3300 + 75 = 3375) = 3375; max(4950 x 1,02 = 5049, 4950 + 75 = 5025) = 5049
    change = raise_tables(mini_copy, "alfa", Decimal("2"), dt.date(NEXT, 1, 1), "Akkoord alfa", Decimal("75"))
    csv = change.files[f"cao_tables/alfa/DERIVED_schalen_{NEXT}-01-01.csv"].decode()
    assert "A,1,3375.00\n" in csv and "B,2,5049.00\n" in csv
    assert "minstens + EUR 75 per cel" in csv.splitlines()[0]


def test_cao_raise_and_add_refusals_write_nothing(runner, mini_copy, tmp_path) -> None:
    before = hashes(mini_copy)
    base = ["--data", mini_copy, "--source", "Akkoord alfa 2026"]
    bad_header = tmp_path / "tabel.csv"
    bad_header.write_text("schaal,trede,bedrag\nA,1,3500\n", encoding="utf-8")
    negative = tmp_path / "schalen_negatief.csv"
    negative.write_text("scale,step,monthly_eur\nA,1,-3500\nA,2,3900\nB,1,4500\nB,2,5000\n", encoding="utf-8")
    cases = {
        "er is al een tabel vanaf 01-07-2025": ["cao", "raise", "alfa", "--percentage", "3", "--from", "2025-07-01"],
        "onbekende CAO 'gamma'": ["cao", "raise", "gamma", "--percentage", "3", "--from", f"{NEXT}-01-01"],
        "geen verhoging in procenten": ["cao", "raise", "alfa", "--percentage", "-2", "--from", f"{NEXT}-01-01"],
        "verwacht de kolommen": ["cao", "add", "alfa", bad_header, "--from", f"{NEXT}-01-01"],
        "minteken": ["cao", "add", "alfa", negative, "--from", f"{NEXT}-01-01"],
    }
    for message, args in cases.items():
        result = invoke(runner, *args, *base)
        assert result.exit_code == 2, (message, result.output)
        assert message in result.output, (message, result.output)
        assert hashes(mini_copy) == before, message


def test_cao_add_an_official_table(runner, mini_copy, tmp_path) -> None:
    official = tmp_path / "schalen.csv"
    official.write_text("scale,step,monthly_eur\nA,1,3400.00\nA,2,3950.00\nB,1,4500.00\nB,2,5050.00\n",
                        encoding="utf-8")
    result = invoke(runner, "cao", "add", "alfa", official, "--from", f"{NEXT}-01-01", "--data", mini_copy,
                    "--source", "Cao alfa, bijlage 1, tabel per 1 januari")
    assert result.exit_code == 0, result.output
    written = (mini_copy / "cao_tables" / "alfa" / f"schalen_{NEXT}-01-01.csv").read_text(encoding="utf-8")
    assert written.startswith(f"# source: Cao alfa, bijlage 1, tabel per 1 januari | effective: {NEXT}-01-01\n"
                              "scale,step,monthly_eur\nA,1,3400.00\n")
    alfa = load_region(mini_copy, use_cache=False).caos["alfa"]
    assert alfa.salary("A", "1", dt.date(NEXT, 1, 1)).monthly_eur == Decimal("3400.00")
    assert alfa.salary("A", "1", dt.date(NEXT - 1, 12, 31)).monthly_eur != Decimal("3400.00")  # history kept


# --------------------------------------------------------------------------- index add


def test_index_add_and_a_correction(runner, bundled_copy) -> None:
    path = bundled_copy / "parameters" / "indexation.yaml"
    base = ["--data", bundled_copy]
    result = invoke(runner, "index", "add", "ova", "--jaar", "2025", "--soort", "definitief", "--waarde", "5,1",
                    "--gepubliceerd", "2025-07-08", "--source", "vng.nl indexatie 2026 (OVA 2025 definitief)", *base)
    assert result.exit_code == 0, result.output
    line = ('      - {year: 2025, kind: definitief, value: 0.051, published: 2025-07-08, '
            'source: "vng.nl indexatie 2026 (OVA 2025 definitief)"}\n')
    assert line in path.read_text(encoding="utf-8")
    before = hashes(bundled_copy)
    again = invoke(runner, "index", "add", "ova", "--jaar", "2025", "--soort", "definitief", "--waarde", "5,2",
                   "--gepubliceerd", "2025-07-08", "--source", "vng.nl", *base)
    assert again.exit_code == 2 and "al gepubliceerd op 08-07-2025" in again.output
    nothing = invoke(runner, "index", "add", "ppc", "--jaar", "2030", "--soort", "correctie", "--waarde", "2",
                     "--gepubliceerd", "2030-07-01", "--source", "cpb.nl", *base)
    assert nothing.exit_code == 2 and "geen eerdere publicatie van PPC 2030" in nothing.output
    assert hashes(bundled_copy) == before
    result = invoke(runner, "index", "add", "ova", "--jaar", "2025", "--soort", "correctie", "--waarde", "5,15",
                    "--gepubliceerd", "2025-10-01", "--source", "vng.nl update 1 oktober", *base)
    assert result.exit_code == 0, result.output
    ix = load_region(bundled_copy, use_cache=False).indexation
    last = ix.series["ova"].publications[-1]
    assert (last.kind, last.value, last.corrects) == ("definitief", Decimal("0.0515"), dt.date(2025, 7, 8))


# --------------------------------------------------------------------------- the parameter workbook import


def _book(runner, root: Path, out: Path) -> openpyxl.Workbook:
    assert invoke(runner, "export", "parameters", "--data", root, "--out", out).exit_code == 0
    return openpyxl.load_workbook(out)


def _row(ws, path: str) -> int:
    from tariefmodel.outputs.workbooks.parambook import COL

    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, COL["path"] + 1).value == path)


def test_import_refuses_to_overwrite_a_value_that_priced_a_past_year(runner, mini_copy, tmp_path) -> None:
    from tariefmodel.outputs.workbooks.parambook import COL

    wb = _book(runner, mini_copy, tmp_path / "p.xlsx")
    ws = wb["Parameters"]
    r = _row(ws, "overhead.rate")
    ws.cell(r, COL["value"] + 1).value = 0.12
    ws.cell(r, COL["source"] + 1).value = "Collegebesluit 2026/80"
    ws.cell(r, COL["rationale"] + 1).value = "Hogere overhead."
    wb.save(tmp_path / "e.xlsx")
    before = hashes(mini_copy)
    result = invoke(runner, "import", "parameters", tmp_path / "e.xlsx", "--data", mini_copy)
    assert result.exit_code == 2, result.output
    assert "tarieven van een afgelopen jaar" in result.output and "--correctie" in result.output
    assert hashes(mini_copy) == before
    # With a correction reason (the CLI's --correctie) the edit goes in, and the entry records it.
    from tariefmodel.outputs.workbooks.paramimport import import_parameters

    today = dt.date(2026, 12, 2)
    done = import_parameters(tmp_path / "e.xlsx", mini_copy, correction="Rekenfout in 2024", today=today)
    assert done.written
    entry = load_region(mini_copy, use_cache=False).cost_model.overhead.rate.values[0]
    assert entry.value == Decimal("0.12")
    assert (entry.correction.reason, entry.correction.recorded_on, entry.correction.previous_value) == \
        ("Rekenfout in 2024", today, Decimal("0.10"))


def _added_overhead_row(runner, mini_copy: Path, tmp_path: Path) -> tuple[openpyxl.Workbook, int]:
    """The parameter workbook with a copy of the overhead.rate row added: 0.12 from 1 January of NEXT."""
    from tariefmodel.outputs.workbooks.parambook import COL, HEADERS

    wb = _book(runner, mini_copy, tmp_path / "p.xlsx")
    ws = wb["Parameters"]
    r = _row(ws, "overhead.rate")
    new = ws.max_row + 1
    for c in range(1, len(HEADERS) + 1):
        ws.cell(new, c).value = ws.cell(r, c).value
    ws.cell(new, COL["from"] + 1).value = dt.datetime(NEXT, 1, 1)
    ws.cell(new, COL["value"] + 1).value = 0.12
    ws.cell(new, COL["source"] + 1).value = "Collegebesluit 2026/81"
    ws.cell(new, COL["rationale"] + 1).value = "Overhead 12% vanaf het nieuwe jaar."
    return wb, new


def test_import_turns_an_added_row_into_a_new_dated_entry(runner, mini_copy, tmp_path) -> None:
    wb, _ = _added_overhead_row(runner, mini_copy, tmp_path)
    wb.save(tmp_path / "e.xlsx")
    result = invoke(runner, "import", "parameters", tmp_path / "e.xlsx", "--data", mini_copy)
    assert result.exit_code == 0, result.output
    assert f"overhead.rate: nieuwe waarde 0.12 vanaf 01-01-{NEXT}" in result.output
    values = load_region(mini_copy, use_cache=False).cost_model.overhead.rate.values
    assert [(v.valid_from, v.valid_until, v.value) for v in values] == [
        (dt.date(2024, 1, 1), dt.date(NEXT - 1, 12, 31), Decimal("0.10")),  # the old value stays, now ended
        (dt.date(NEXT, 1, 1), None, Decimal("0.12")),
    ]
    assert values[1].source == "Collegebesluit 2026/81"


def test_an_added_row_reads_its_cells_like_an_edited_row(runner, mini_copy, tmp_path) -> None:
    """One reading of a cell (paramimport._cell): 'misschien' as assumption is refused in an added row too (it
    used to be read as 'nee' there, while an edited row refused it)."""
    from tariefmodel.outputs.workbooks.parambook import COL

    wb, new = _added_overhead_row(runner, mini_copy, tmp_path)
    ws = wb["Parameters"]
    ws.cell(new, COL["assumption"] + 1).value = "misschien"
    wb.save(tmp_path / "e.xlsx")
    before = (mini_copy / "parameters" / "cost_model.yaml").read_bytes()
    result = invoke(runner, "import", "parameters", tmp_path / "e.xlsx", "--data", mini_copy)
    assert result.exit_code == 2 and "'misschien': kies ja of nee" in result.output
    assert (mini_copy / "parameters" / "cost_model.yaml").read_bytes() == before


def test_param_set_and_the_import_share_one_rule() -> None:
    """Both go through upkeep.dated.plan: the import module calls it, and so does param set."""
    import inspect

    from tariefmodel.outputs.workbooks import paramimport
    from tariefmodel.upkeep import dated

    assert "dated.plan(" in inspect.getsource(paramimport.import_parameters)
    assert "plan(entries" in inspect.getsource(dated.set_parameter)
    entries = [{"from": dt.date(2024, 1, 1), "value": Decimal("0.10")}]
    p = dated.plan(entries, {"from": dt.date(2027, 1, 1), "value": Decimal("0.12"), "source": "x y z",
                             "rationale": "abc"}, path="overhead.rate", today=dt.date(2026, 12, 2))
    assert (p.index, p.replaces, p.until) == (1, False, {0: dt.date(2026, 12, 31)})
    # a value inserted before a later one (a correction) ends the day before that one starts
    entries.append({"from": dt.date(2027, 1, 1), "value": Decimal("0.12")})
    p = dated.plan(entries, {"from": dt.date(2026, 7, 1), "value": Decimal("0.11")}, path="overhead.rate",
                   correction="Besluit juli vergeten", today=dt.date(2026, 12, 2))
    assert (p.index, p.entry["until"], p.until) == (1, dt.date(2026, 12, 31), {0: dt.date(2026, 6, 30)})
    assert p.entry["correction"] == {"reason": "Besluit juli vergeten", "recorded_on": dt.date(2026, 12, 2),
                                     "previous_value": Decimal("0.10")}
    with pytest.raises(InputError, match="afgelopen jaar"):
        dated.plan(entries[:1], {"from": dt.date(2025, 7, 1), "value": 1}, path="p", today=dt.date(2026, 12, 2))
