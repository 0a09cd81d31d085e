"""Hostile input: never a traceback, never a stale cache, never a silently wrong tariff.

Each probe breaks one thing in a fresh copy of a region and runs the command line. It must exit
with 2, name the file and the row or key in a Dutch message, print no traceback, and write nothing.
The cache probes first warm the validated-input cache on the unbroken copy, so a stale hit would
show as a success.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariefmodel.cli import main

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini_region"

P_AMB = "parameters/products/01_ambulant.yaml"
P_VERB = "parameters/products/02_verblijf.yaml"
COST = "parameters/cost_model.yaml"
REGION = "parameters/region.yaml"
PROFILES = "parameters/function_profiles.yaml"
CONTRACTS = "parameters/contracts.yaml"
ALFA = "cao_tables/alfa/schalen_2024-01-01.csv"
ALFA_DERIVED = "cao_tables/alfa/DERIVED_schalen_2025-07-01.csv"
ALFA_TABLES = "cao_tables/alfa/tables.yaml"
BETA = "cao_tables/beta/reeks_2024-01-01.csv"
BETA_MAP = "cao_tables/beta/schaalindeling_2024-01-01.csv"


def sub(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file by ``new`` (``old`` must occur, so a probe never misses)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def write(path: Path, text: str | bytes) -> None:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def refuse(root: Path, tmp_path: Path, *expect: str, command: str = "calculate") -> str:
    """Run ``command`` on ``root``: exit 2, every ``expect`` in the output, no traceback, nothing written."""
    outdir = tmp_path / "out"
    outdir.mkdir(exist_ok=True)
    out = outdir / "x.csv"
    args = [command, "--data", str(root)] + (["--out", str(out)] if command == "calculate" else [])
    result = CliRunner().invoke(main, args)
    text = result.output
    assert result.exit_code == 2, text
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in text
    assert "fout(en); er is niets geschreven" in text
    for e in expect:
        assert e in text, f"{e!r} missing in:\n{text}"
    assert not out.exists() and list(outdir.iterdir()) == []
    return text


def passes(root: Path, tmp_path: Path, name: str = "ok.csv") -> bytes:
    out = tmp_path / name
    result = CliRunner().invoke(main, ["calculate", "--data", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.fixture
def mini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TARIEFMODEL_CACHE_DIR", str(tmp_path / "cache"))
    dest = tmp_path / "region"
    shutil.copytree(MINI, dest)
    return dest


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TARIEFMODEL_CACHE_DIR", str(tmp_path / "cache"))
    dest = tmp_path / "bundled"
    for folder in ("parameters", "cao_tables", "benchmarks", "scenarios"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


# ----------------------------------------------------------------------------- YAML values

# (file, text to replace, replacement, what the message must contain besides the file)
YAML_VALUES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "nan": (COST, "value: 0.10\n", "value: .nan\n", ("geen eindig getal", "'.nan'")),
    "NaN_caps": (COST, "value: 0.10\n", "value: .NaN\n", ("geen eindig getal",)),
    "inf": (COST, "value: 0.10\n", "value: .inf\n", ("geen eindig getal",)),
    "minus_inf": (COST, "value: 0.10\n", "value: -.inf\n", ("geen eindig getal",)),
    "plus_inf": (COST, "value: 0.10\n", "value: +.Inf\n", ("geen eindig getal",)),
    "1e400": (COST, "value: 0.10\n", "value: 1e400\n", ("onwaarschijnlijk groot",)),
    "1.0e400": (COST, "value: 0.10\n", "value: 1.0e400\n", ("onwaarschijnlijk groot",)),
    "1.0e+400": (COST, "value: 0.10\n", "value: 1.0e+400\n", ("onwaarschijnlijk groot",)),
    "huge_int": (COST, "value: 0.10\n", "value: 100000000000000000000\n", ("onwaarschijnlijk groot",)),
    "group_size_1e400": (P_VERB, "group_size:", "group_size: 1e400\n    x_group_size:", ("onwaarschijnlijk groot",)),
    "date_feb_30": (COST, "from: 2024-01-01", "from: 2025-02-30", ("'2025-02-30' is geen bestaande datum",)),
    "date_month_13": (COST, "from: 2024-01-01", "from: 2025-13-01", ("'2025-13-01' is geen bestaande datum",)),
    "date_feb_29_non_leap": (COST, "from: 2024-01-01", "from: 2023-02-29", ("geen bestaande datum",)),
    "date_day_32": (P_AMB, "source_date: 2024-01-01", "source_date: 2024-01-32", ("geen bestaande datum",)),
    "table_effective_impossible": (ALFA_TABLES, "effective: 2024-01-01", "effective: 2024-04-31",
                                   ("geen bestaande datum",)),
    "product_name_ansi": (P_AMB, "name: Behandeling specialistisch (per minuut)",
                          'name: "Behandeling \\x1b[31mspecialistisch"', ("\\x1b", "stuurteken")),
    "product_name_nul": (P_AMB, "name: Behandeling specialistisch (per minuut)", 'name: "Behandeling\\0"',
                         ("\\x00", "stuurteken")),
    "product_name_bell": (P_AMB, "name: Behandeling specialistisch (per minuut)", 'name: "Beh\\aandeling"',
                          ("\\x07",)),
    "product_name_c1_csi": (P_AMB, "name: Behandeling specialistisch (per minuut)", 'name: "Beh\\x9b31m"',
                            ("\\x9b",)),
    "product_name_bidi": (P_AMB, "name: Behandeling specialistisch (per minuut)", 'name: "Beh\\u202eandeling"',
                          ("\\u202e",)),
    "product_name_bom_inside": (P_AMB, "name: Behandeling specialistisch (per minuut)", 'name: "Beh\\ufeffandeling"',
                                ("\\ufeff",)),
    "product_name_tab_newline_ok_in_value_but_escape_not": (
        P_AMB, "name: Behandeling specialistisch (per minuut)", 'name: "Beh\\tand\\x1b"', ("\\x1b",)),
    "profile_name_ansi": (PROFILES, "name: ", 'name: "\\x1b]0;pwned\\x07" #', ("\\x1b",)),
    "contract_name_escape": (CONTRACTS, "name: ", 'name: "\\x1b[2J" #', ("\\x1b",)),
    "region_name_ansi": (REGION, "name: Testregio Mini", 'name: "Testregio \\x1b[1mMini"', ("\\x1b",)),
    "source_ansi": (COST, "source: ", 'source: "\\x1b[8mverborgen" #', ("\\x1b",)),
    "key_ansi": (P_AMB, "staffing: {hbo: 1}", 'staffing: {"hbo\\x1b": 1}', ("\\x1b", "sleutel")),
    "key_tab": (P_AMB, "staffing: {hbo: 1}", 'staffing: {"h\\tbo": 1}', ("\\x09", "sleutel")),
    "raw_escape_byte": (P_AMB, "name: Behandeling specialistisch (per minuut)", "name: Beh\x1bandeling",
                        ("#x001b",)),
    "complex_key": (P_AMB, "contract: ambulant", "? [a, b]\n: 1\ncontract: ambulant",
                    ("samengestelde sleutel",)),
    "complex_mapping_key": (COST, "cao_reference_day:", "? {a: 1}\n: 2\ncao_reference_day:", ("samengestelde sleutel",)),
    "duplicate_key": (P_AMB, "contract: ambulant", "contract: ambulant\ncontract: verblijf",
                      ("'contract' staat twee keer",)),
    "duplicate_nested_key": (P_AMB, "    no_show: true\n", "    no_show: true\n    no_show: false\n",
                             ("'no_show' staat twee keer",)),
    "recursive_alias": (P_AMB, "contract: ambulant", "contract: ambulant\nx: &a [*a]", ("recursieve",)),
}


@pytest.mark.parametrize("kind", list(YAML_VALUES))
def test_yaml_value_refused(kind: str, mini: Path, tmp_path: Path) -> None:
    rel, old, new, expect = YAML_VALUES[kind]
    sub(mini / rel, old, new)
    refuse(mini, tmp_path, rel, *expect)


def _billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# (file, whole new content, what the message must contain besides the file)
YAML_FILES: dict[str, tuple[str, str | bytes, tuple[str, ...]]] = {
    "billion_laughs": (P_AMB, _billion_laughs(), ("billion laughs",)),
    "top_level_list": (P_AMB, "- contract: ambulant\n", ("mapping", "een lijst")),
    "top_level_scalar": (COST, "just text\n", ("mapping", "tekst")),
    "empty_file": (P_AMB, "", ("leeg",)),
    "only_comments": (COST, "# nothing here\n", ("leeg",)),
    "not_utf8": (P_AMB, "contract: ambulant\nname: caf\xe9\n".encode("latin-1"), ("geen UTF-8", "byte")),
    "utf16": (REGION, "name: x\n".encode("utf-16"), ("geen UTF-8",)),
    "deep_nesting": (COST, "a: " + "[" * 3000 + "]" * 3000 + "\n", ("YAML",)),
}


@pytest.mark.parametrize("kind", list(YAML_FILES))
def test_yaml_file_refused(kind: str, mini: Path, tmp_path: Path) -> None:
    rel, content, expect = YAML_FILES[kind]
    write(mini / rel, content)
    refuse(mini, tmp_path, rel, *expect)


def test_billion_laughs_is_refused_quickly(mini: Path, tmp_path: Path) -> None:
    import time

    write(mini / P_AMB, _billion_laughs())
    start = time.perf_counter()
    refuse(mini, tmp_path, P_AMB, "billion laughs", command="validate")
    assert time.perf_counter() - start < 10  # 9^10 nodes expanded would take hours


def test_leading_bom_is_harmless(mini: Path, tmp_path: Path) -> None:
    # Notepad and Excel write a byte-order mark at the start: read as UTF-8, same tariffs as without it.
    plain = passes(mini, tmp_path, "plain.csv")
    for rel in (P_AMB, COST, ALFA):
        path = mini / rel
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert passes(mini, tmp_path, "bom.csv") == plain


# ----------------------------------------------------------------------------- CSV salary tables

# (file, text to replace, replacement, what the message must contain besides the file)
CSV_CELLS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "nan": (ALFA, "A,1,3000.00", "A,1,NaN", ("rij 3", "'NaN' is geen bedrag")),
    "snan": (ALFA, "A,1,3000.00", "A,1,sNaN", ("rij 3", "geen bedrag")),
    "infinity": (ALFA, "A,1,3000.00", "A,1,Infinity", ("rij 3", "geen bedrag")),
    "minus_infinity": (ALFA, "A,1,3000.00", "A,1,-Infinity", ("rij 3", "geen bedrag")),
    "inf_short": (ALFA, "A,1,3000.00", "A,1,inf", ("rij 3", "geen bedrag")),
    "1e400": (ALFA, "A,1,3000.00", "A,1,1e400", ("rij 3", "geen bedrag")),
    "exponent": (ALFA, "A,1,3000.00", "A,1,3e3", ("rij 3", "geen bedrag")),
    "negative": (ALFA, "A,1,3000.00", "A,1,-3000.00", ("rij 3", "geen bedrag")),
    "underscore": (ALFA, "A,1,3000.00", "A,1,3_000", ("rij 3", "geen bedrag")),
    "arabic_digits": (ALFA, "A,1,3000.00", "A,1,\u0663\u0660\u0660\u0660", ("rij 3", "geen bedrag")),
    "decimal_comma": (ALFA, "A,1,3000.00", "A,1,3000,00", ("rij 3", "kolommen in plaats van 3")),
    "thousands_dot": (ALFA, "A,1,3000.00", "A,1,3.305", ("rij 3", "onwaarschijnlijk laag", "duizendtal")),
    "thousands_dot_series": (BETA, "10,2800.00", "10,2.800", ("rij 3", "onwaarschijnlijk laag")),
    "zero": (ALFA, "A,1,3000.00", "A,1,0", ("rij 3", "onwaarschijnlijk laag")),
    "zero_decimals": (ALFA, "B,2,4500.00", "B,2,0.00", ("rij 6", "onwaarschijnlijk laag")),
    "absurdly_high": (ALFA, "B,2,4500.00", "B,2,4500000.00", ("rij 6", "onwaarschijnlijk hoog")),
    "truncated_row_scales": (ALFA, "B,2,4500.00", "B,2", ("rij 6", "kolommen in plaats van 3")),
    "truncated_amount": (ALFA, "B,2,4500.00", "B,2,45", ("rij 6", "onwaarschijnlijk laag")),
    "truncated_series_row": (BETA, "13,4000.00", "13,40", ("rij 6", "onwaarschijnlijk laag")),
    "step_below_previous": (ALFA, "A,2,3500.00", "A,2,2900.00", ("rij 4", "ligt onder de vorige trede")),
    "series_step_below_previous": (BETA, "11,3200.00", "11,2700.00", ("rij 4", "FWG35 trede 1",
                                                                       "ligt onder de vorige trede")),
    # 1.990,00 < the WML of 2023-07-01 (EUR 1.995,00), still in force the day before the table (2024-01-01): a
    # typo. (2.000,00, below only the WML of the table's own date, 2.070,12, is lifted: tests/test_wml_floor.py.)
    "below_minimum_wage": (ALFA, "A,1,3000.00", "A,1,1990.00", ("rij 3", "wettelijk minimumloon",
                                                                 "01-01-2024", "01-07-2023", "€ 1.995,00")),
    "below_minimum_wage_series": (BETA, "10,2800.00", "10,1900.00", ("rij 3", "wettelijk minimumloon")),
    "derived_below_minimum_wage": (ALFA_DERIVED, "A,1,3300.00", "A,1,2100.00", ("rij 3", "wettelijk minimumloon",
                                                                                 "01-07-2025")),
    "control_in_scale": (ALFA, "A,1,3000.00", "A\x1b[31m,1,3000.00", ("rij 3", "\\x1b")),
    "nul_in_cell": (ALFA, "A,1,3000.00", "A,1,30\x0000.00", ("rij 3", "\\x00")),
    "duplicate_cell": (ALFA, "A,2,3500.00", "A,1,3500.00", ("rij 4", "staat er twee keer in")),
}


@pytest.mark.parametrize("kind", list(CSV_CELLS))
def test_csv_cell_refused(kind: str, mini: Path, tmp_path: Path) -> None:
    rel, old, new, expect = CSV_CELLS[kind]
    sub(mini / rel, old, new)
    refuse(mini, tmp_path, rel, *expect)


def test_csv_fewer_rows_than_the_table_before(mini: Path, tmp_path: Path) -> None:
    sub(mini / ALFA_DERIVED, "B,2,4950.00\n", "")
    refuse(mini, tmp_path, ALFA_DERIVED, "mist 1 cel(len)", "schaal B trede 2", ALFA)


def test_csv_dropped_cells_with_a_reason_is_a_warning(mini: Path, tmp_path: Path) -> None:
    sub(mini / ALFA_DERIVED, "B,2,4950.00\n", "")
    sub(mini / ALFA_TABLES, "derived: true}", 'derived: true, cells_dropped: "Trede B2 is per 2025 afgeschaft (test)"}')
    result = CliRunner().invoke(main, ["validate", "--data", str(mini)])
    assert "WAARSCHUWING" in result.output and "Trede B2 is per 2025 afgeschaft" in result.output


def test_csv_not_utf8(mini: Path, tmp_path: Path) -> None:
    path = mini / ALFA
    path.write_bytes(path.read_bytes().replace(b"testdata", b"t\xe9stdata"))
    refuse(mini, tmp_path, ALFA, "UTF-8")


def test_all_salary_problems_at_once(mini: Path, tmp_path: Path) -> None:
    sub(mini / ALFA, "A,1,3000.00", "A,1,3.305")
    sub(mini / BETA, "13,4000.00", "13,40")
    sub(mini / COST, "value: 0.10\n", "value: .nan\n")
    text = refuse(mini, tmp_path, ALFA, BETA, COST)
    # 3.305 (below EUR 100), 40 (below EUR 100, and FWG45 step 1 below step 0), .nan: four errors in one run
    assert "4 fout(en)" in text


def test_minimum_wage_file_is_required_and_validated(mini: Path, tmp_path: Path) -> None:
    (mini / "parameters/minimum_wage.yaml").unlink()
    refuse(mini, tmp_path, "parameters/minimum_wage.yaml", "ontbreekt")


def test_minimum_wage_entry_needs_a_source(mini: Path, tmp_path: Path) -> None:
    path = mini / "parameters/minimum_wage.yaml"
    sub(path, "per: hour\n", "per: week\n")
    refuse(mini, tmp_path, "parameters/minimum_wage.yaml", "values.")


# ----------------------------------------------------------------------------- the cache and the folder


def _outside_copy(mini: Path, tmp_path: Path, rel: str) -> Path:
    outside = tmp_path / "outside" / Path(rel).name
    shutil.copytree(mini / rel, outside) if (mini / rel).is_dir() else (
        outside.parent.mkdir(parents=True, exist_ok=True), shutil.copy(mini / rel, outside))
    return outside


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_symlinked_cao_folder_outside_is_refused_even_after_a_warm_cache(mini: Path, tmp_path: Path) -> None:
    passes(mini, tmp_path)  # warm
    outside = _outside_copy(mini, tmp_path, "cao_tables/alfa")
    shutil.rmtree(mini / "cao_tables/alfa")
    (mini / "cao_tables/alfa").symlink_to(outside, target_is_directory=True)
    sub(outside / "schalen_2024-01-01.csv", "A,1,3000.00", "A,1,3100.00")
    refuse(mini, tmp_path, "cao_tables/alfa", "buiten de datamap", "via de link cao_tables/alfa ->")


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_symlinked_salary_table_outside_is_refused(mini: Path, tmp_path: Path) -> None:
    passes(mini, tmp_path)
    outside = _outside_copy(mini, tmp_path, ALFA)
    (mini / ALFA).unlink()
    (mini / ALFA).symlink_to(outside)
    refuse(mini, tmp_path, ALFA, "buiten de datamap", "link")


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_symlinked_product_file_outside_is_refused(mini: Path, tmp_path: Path) -> None:
    passes(mini, tmp_path)
    outside = _outside_copy(mini, tmp_path, P_AMB)
    (mini / P_AMB).unlink()
    (mini / P_AMB).symlink_to(outside)
    refuse(mini, tmp_path, P_AMB, "buiten de datamap")


def test_dotdot_table_path_outside_is_refused(mini: Path, tmp_path: Path) -> None:
    passes(mini, tmp_path)
    outside = _outside_copy(mini, tmp_path, ALFA)
    sub(mini / ALFA_TABLES, "file: schalen_2024-01-01.csv", f"file: ../../../outside/{outside.name}")
    refuse(mini, tmp_path, "outside", "buiten de datamap", "via het pad")


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_link_inside_the_folder_is_followed_and_fingerprinted(mini: Path, tmp_path: Path) -> None:
    # A link that stays inside the data folder is fine, and the file behind it is in the fingerprint.
    shared = mini / "shared"
    shared.mkdir()
    shutil.move(str(mini / ALFA), shared / "alfa.csv")
    (mini / ALFA).symlink_to(Path("../../shared/alfa.csv"))
    first = passes(mini, tmp_path, "a.csv")
    sub(shared / "alfa.csv", "A,1,3000.00", "A,1,3100.00")
    second = passes(mini, tmp_path, "b.csv")  # a stale cache would give the same bytes
    assert first != second


def test_changed_salary_is_never_served_stale(mini: Path, tmp_path: Path) -> None:
    first = passes(mini, tmp_path, "a.csv")
    sub(mini / ALFA, "A,1,3000.00", "A,1,3100.00")
    assert passes(mini, tmp_path, "b.csv") != first


def test_dotdot_table_inside_the_folder_is_fingerprinted(mini: Path, tmp_path: Path) -> None:
    # tables.yaml names a file elsewhere in the data folder: read, so fingerprinted.
    (mini / "elsewhere").mkdir()
    shutil.move(str(mini / ALFA), mini / "elsewhere/alfa.csv")
    sub(mini / ALFA_TABLES, "file: schalen_2024-01-01.csv", "file: ../../elsewhere/alfa.csv")
    first = passes(mini, tmp_path, "a.csv")
    sub(mini / "elsewhere/alfa.csv", "A,1,3000.00", "A,1,3100.00")
    assert passes(mini, tmp_path, "b.csv") != first


def test_folder_named_like_a_product_file_fails_after_a_warm_cache(mini: Path, tmp_path: Path) -> None:
    passes(mini, tmp_path)
    (mini / "parameters/products/x.yaml").mkdir()
    refuse(mini, tmp_path, "parameters/products/x.yaml", "is een map, geen bestand")


def test_hidden_product_file_is_read_and_fingerprinted(mini: Path, tmp_path: Path) -> None:
    passes(mini, tmp_path)
    write(mini / "parameters/products/.verborgen.yaml", "contract: ambulant\nproducts: []\n")
    refuse(mini, tmp_path, "parameters/products/.verborgen.yaml")


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_link_loop_is_refused(mini: Path, tmp_path: Path) -> None:
    passes(mini, tmp_path)
    (mini / "parameters/products/loop.yaml").symlink_to("loop.yaml")
    refuse(mini, tmp_path, "parameters/products/loop.yaml")


# ----------------------------------------------------------------------------- the whole folder as one unit

# (file in the bundled region, text to replace, replacement, what the message must contain besides the file)
FOLDER: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "volumes_unknown_product": ("parameters/volumes.yaml", "product: ", "product: 'ZZ999' #", ("bestaat niet",)),
    "volumes_nan": ("parameters/volumes.yaml", "units:", "units: .nan\n    x_units:", ("geen eindig getal",)),
    "volumes_ansi": ("parameters/volumes.yaml", "product: ", 'product: "\\x1b[31m" #', ("\\x1b",)),
    "municipalities_duplicate_key": ("parameters/municipalities.yaml", "municipalities:",
                                     "municipalities: []\nmunicipalities:", ("twee keer",)),
    "ceilings_impossible_date": ("parameters/budget_ceilings.yaml", "rules:", "x: 2025-02-30\nrules:",
                                 ("geen bestaande datum",)),
    "arrangements_complex_key": ("parameters/arrangements.yaml", "groups:", "? [a]\n: 1\ngroups:",
                                 ("samengestelde sleutel",)),
    "lump_sums_unknown_key": ("parameters/lump_sums.yaml", "lump_sums:", "lumpsums_typo: 1\nlump_sums:",
                              ("onbekende sleutel",)),
    "sensitivity_inf": ("parameters/sensitivity.yaml", "parameters:", "x: .inf\nparameters:", ("geen eindig getal",)),
    "scenario_ansi_label": ("scenarios/overhead-25.yaml", "label: ", 'label: "\\x1b[2J" #', ("\\x1b",)),
    "scenario_unknown_override": ("scenarios/overhead-25.yaml", "overrides:", "overrides:\n  - bogus: 1",
                                  ("een override heeft precies één van",)),
}


@pytest.mark.parametrize("kind", list(FOLDER))
def test_broken_scenario_or_budget_file_refuses_calculate(kind: str, bundled: Path, tmp_path: Path) -> None:
    rel, old, new, expect = FOLDER[kind]
    sub(bundled / rel, old, new)
    refuse(bundled, tmp_path, rel, *expect)


def test_check_folder_lists_scenario_and_region_problems_together(bundled: Path) -> None:
    from tariefmodel.loader.load import check_folder

    assert [p for p in check_folder(bundled) if p.severity == "error"] == []
    sub(bundled / "parameters/volumes.yaml", "units:", "units: .nan\n    x_units:")
    sub(bundled / COST, "cao_reference_day:", "? [a]\n: 1\ncao_reference_day:")
    errors = [p for p in check_folder(bundled) if p.severity == "error"]
    assert {p.file for p in errors} == {"parameters/volumes.yaml", COST}


def test_the_bundled_region_passes_every_new_check() -> None:
    result = CliRunner().invoke(main, ["validate", "--year", "2024", "--year", "2025", "--year", "2026"])
    assert result.exit_code == 0, result.output


def test_probe_count() -> None:
    # The brief asks for 60+ probes: count the parametrized cases and the single probes above.
    singles = 17
    assert len(YAML_VALUES) + len(YAML_FILES) + len(CSV_CELLS) + len(FOLDER) + singles >= 60


