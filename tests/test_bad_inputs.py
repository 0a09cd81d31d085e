"""Bad input: every kind is refused with exit code 2, names its file and place, and writes nothing.

Each case breaks a fresh copy of the mini region and runs it through the command line as both
``validate --data D`` and ``calculate --data D --out OUT.csv``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import edit, edit_product

from tariefmodel.cli.main import main

P_AMB = "parameters/products/01_ambulant.yaml"
P_VERB = "parameters/products/02_verblijf.yaml"
COST = "parameters/cost_model.yaml"
ALFA_MAP = "cao_tables/alfa/function_map.yaml"


@dataclass(frozen=True)
class Case:
    break_it: Callable[[Path], None]
    expect: tuple[str, ...]  # substrings the error output must contain (file, key or row, message)
    args: tuple[str, ...] = ()  # extra command-line arguments


# ----------------------------------------------------------------------------- the kinds


def _missing_file(d: Path) -> None:
    (d / COST).unlink()


def _unknown_cao(d: Path) -> None:
    edit_product(d / P_VERB, "DAG01", "caos: [alfa, beta]", "caos: [alfa, gamma]")


def _unknown_scale(d: Path) -> None:
    edit(d / ALFA_MAP, 'value: {scale: A, step: "1"}', 'value: {scale: Z, step: "1"}')


def _unknown_step(d: Path) -> None:
    edit(d / ALFA_MAP, 'value: {scale: A, step: "1"}', 'value: {scale: A, step: "7"}')


def _productivity_zero(d: Path) -> None:
    edit(d / COST, "value: 0.75", "value: 0")


def _productivity_above_one(d: Path) -> None:
    edit(d / COST, "value: 0.75", "value: 1.5")


def _group_size_zero(d: Path) -> None:
    edit_product(d / P_VERB, "DAG01", "group_size: 5", "group_size: 0")


def _negative_salary(d: Path) -> None:
    edit(d / "cao_tables/alfa/schalen_2024-01-01.csv", "A,2,3500.00", "A,2,-3500.00")


def _duplicate_product_code(d: Path) -> None:
    (d / "parameters/products/03_extra.yaml").write_text(
        "contract: verblijf\n"
        "products:\n"
        "  - code: UUR01\n"
        '    category: "02"\n'
        "    name: Tweede product met dezelfde code\n"
        "    law: Wmo\n"
        "    unit: uur\n"
        "    staffing: {mbo: 1}\n"
        "    productivity_norm: standaard\n"
        "    caos: [alfa]\n"
        "    provenance: {source: testdata dubbel, rationale: Dubbele code.}\n",
        encoding="utf-8")


def _same_from_twice(d: Path) -> None:
    edit(d / COST,
         "profit_risk_rate:\n  values:\n",
         "profit_risk_rate:\n  values:\n"
         "    - from: 2024-01-01\n      value: 0.03\n      source: testdata tweede waarde\n      rationale: Dubbel.\n")


def _overlapping_validity(d: Path) -> None:
    edit(d / COST,
         "profit_risk_rate:\n  values:\n",
         "profit_risk_rate:\n  values:\n"
         "    - from: 2025-01-01\n      value: 0.03\n      source: testdata vanaf 2025\n      rationale: Later.\n")
    edit(d / COST, "      value: 0.02\n", "      until: 2025-06-30\n      value: 0.02\n")


def _unknown_unit(d: Path) -> None:
    edit_product(d / P_AMB, "UUR01", "unit: uur", "unit: week")


def _malformed_yaml(d: Path) -> None:
    edit(d / "parameters/contracts.yaml", "    term_years: [3, 2]\n", "    term_years: [3, 2\n")


def _wrong_type(d: Path) -> None:
    edit(d / "cao_tables/alfa/cao.yaml", "value: 1800", "value: veel")


def _shares_not_one(d: Path) -> None:
    edit_product(d / P_AMB, "UUR01", "staffing: {mbo: 0.5, hbo: 0.5}", "staffing: {mbo: 0.5, hbo: 0.4}")


def _percentage_not_fraction(d: Path) -> None:
    edit(d / COST, "value: 0.20\n", "value: 20\n")


def _unknown_key(d: Path) -> None:
    edit_product(d / P_AMB, "UUR01", "no_show: true", "no_shows: true")


def _unquoted_code(d: Path) -> None:
    edit(d / P_VERB, "code: DAG01", "code: 12345")


def _missing_provenance_source(d: Path) -> None:
    edit_product(d / P_AMB, "UUR01", "      source: testdata product uur\n", "")


def _unknown_profile_in_staffing(d: Path) -> None:
    edit_product(d / P_AMB, "UUR01", "staffing: {mbo: 0.5, hbo: 0.5}", "staffing: {mbo: 0.5, psycholoog: 0.5}")


def _cao_does_not_map_profile(d: Path) -> None:
    path = d / "cao_tables/beta/function_map.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("  hbo:\n")], encoding="utf-8")


def _derived_not_marked(d: Path) -> None:
    edit(d / "cao_tables/alfa/DERIVED_schalen_2025-07-01.csv",
         "# DERIVED (not a published table) | source:", "# source:")


def _no_value_for_year(d: Path) -> None:
    pass  # the folder is fine; --year 2019 lies before every parameter's first 'from'


def _unknown_productivity_norm(d: Path) -> None:
    edit_product(d / P_VERB, "ETM01", "productivity_norm: standaard", "productivity_norm: intramuraal")


def _unknown_client_cost(d: Path) -> None:
    edit_product(d / P_VERB, "DAG01", "client_costs: [materiaal]", "client_costs: [materiaal, vervoer]")


def _csv_wrong_header(d: Path) -> None:
    edit(d / "cao_tables/beta/reeks_2024-01-01.csv", "number,monthly_eur", "nummer,bedrag")


def _csv_not_a_number(d: Path) -> None:
    edit(d / "cao_tables/beta/reeks_2024-01-01.csv", "12,3600.00", "12,drieduizend")


def _until_before_from(d: Path) -> None:
    edit(d / COST, "      value: 0.02\n", "      until: 2023-12-31\n      value: 0.02\n")


def _etmaal_without_hours(d: Path) -> None:
    edit_product(d / P_VERB, "ETM01", "    staff_hours_per_unit: 24\n", "")


def _unknown_contract(d: Path) -> None:
    edit(d / P_VERB, "contract: verblijf", "contract: wonen")


def _ort_profile(d: Path) -> None:
    edit_product(d / P_VERB, "ETM01", "    irregular_hours_rate: 0.10\n",
                 "    irregular_hours_profile: {avond: 0.25, nacht: 0.25, zaterdag: 0.10, zondag: 0.10}\n")


def _ort_slot_rate_missing(d: Path) -> None:
    _ort_profile(d)
    edit(d / "cao_tables/beta/cao.yaml", ", zondag: 0.40}", "}")


def _ort_rate_and_profile(d: Path) -> None:
    edit_product(d / P_VERB, "ETM01", "    irregular_hours_rate: 0.10\n",
                 "    irregular_hours_rate: 0.10\n    irregular_hours_profile: {nacht: 0.25}\n")


def _ort_shares_above_one(d: Path) -> None:
    edit_product(d / P_VERB, "ETM01", "    irregular_hours_rate: 0.10\n",
                 "    irregular_hours_profile: {avond: 0.5, nacht: 0.5, zondag: 0.25}\n")


def _ort_unknown_slot(d: Path) -> None:
    edit_product(d / P_VERB, "ETM01", "    irregular_hours_rate: 0.10\n", "    irregular_hours_profile: {feestdag: 0.1}\n")


CASES: dict[str, Case] = {
    "missing_file": Case(_missing_file, (COST, "ontbreekt")),
    "unknown_cao": Case(_unknown_cao, (P_VERB, "DAG01", "caos", "CAO 'gamma' bestaat niet")),
    "unknown_scale": Case(_unknown_scale, (ALFA_MAP, "profiles.mbo", "schaal 'Z' bestaat niet")),
    "unknown_step": Case(_unknown_step, (ALFA_MAP, "profiles.mbo", "trede '7' bestaat niet")),
    "productivity_zero": Case(_productivity_zero, (COST, "productivity_norms.standaard", "productieve uren")),
    "productivity_above_one": Case(
        _productivity_above_one, (COST, "productivity_norms.standaard.fraction.values.0.value", "geen fractie")),
    "group_size_zero": Case(_group_size_zero, (P_VERB, "products.0.group_size", "niet groter dan 0")),
    "negative_salary": Case(
        _negative_salary, ("cao_tables/alfa/schalen_2024-01-01.csv", "rij 4", "geen bedrag")),
    "duplicate_product_code": Case(
        _duplicate_product_code, ("parameters/products/03_extra.yaml", "productcode 'UUR01' staat er twee keer in", P_AMB)),
    "same_from_twice": Case(_same_from_twice, (COST, "profit_risk_rate.values", "twee waarden beginnen op 01-01-2024")),
    "overlapping_validity": Case(_overlapping_validity, (COST, "profit_risk_rate.values", "overlappende geldigheid")),
    "unknown_unit": Case(_unknown_unit, (P_AMB, "products.1.unit", "'minuut'")),
    "malformed_yaml": Case(_malformed_yaml, ("parameters/contracts.yaml:", "ongeldige YAML")),
    "wrong_type": Case(_wrong_type, ("cao_tables/alfa/cao.yaml", "annual_hours.values.0.value")),
    "shares_not_one": Case(_shares_not_one, (P_AMB, "products.1", "tellen op tot 0.9")),
    "percentage_not_fraction": Case(
        _percentage_not_fraction, (COST, "employer_charges.items.sociaal.rate.values.0.value", "geen fractie")),
    "unknown_key": Case(_unknown_key, (P_AMB, "products.1.no_shows", "onbekende sleutel")),
    "unquoted_code": Case(_unquoted_code, (P_VERB, "products.0.code", "aanhalingstekens")),
    "missing_provenance_source": Case(
        _missing_provenance_source, (P_AMB, "products.1.provenance.source", "verplichte sleutel ontbreekt")),
    "unknown_profile_in_staffing": Case(
        _unknown_profile_in_staffing, (P_AMB, "UUR01", "staffing", "functieprofiel 'psycholoog' bestaat niet")),
    "cao_does_not_map_profile": Case(
        _cao_does_not_map_profile, (P_AMB, "MIN01", "CAO 'beta' koppelt geen schaal aan functieprofiel 'hbo'")),
    "derived_not_marked": Case(
        _derived_not_marked, ("cao_tables/alfa/DERIVED_schalen_2025-07-01.csv", "vermeldt DERIVED")),
    "no_value_for_year": Case(_no_value_for_year, (COST, "cao_reference_day", "geen waarde geldig op 01-01-2019"),
                              ("--year", "2019")),
    "unknown_productivity_norm": Case(
        _unknown_productivity_norm, (P_VERB, "ETM01", "productiviteitsnorm 'intramuraal' bestaat niet")),
    "unknown_client_cost": Case(_unknown_client_cost, (P_VERB, "DAG01", "cliëntgebonden kosten 'vervoer' bestaan niet")),
    "csv_wrong_header": Case(_csv_wrong_header, ("cao_tables/beta/reeks_2024-01-01.csv", "kopregel", "number,monthly_eur")),
    "csv_not_a_number": Case(_csv_not_a_number, ("cao_tables/beta/reeks_2024-01-01.csv", "rij 5", "geen getal")),
    "until_before_from": Case(_until_before_from, (COST, "profit_risk_rate", "ligt vóór")),
    "etmaal_without_hours": Case(_etmaal_without_hours, (P_VERB, "products.1", "staff_hours_per_unit")),
    "unknown_contract": Case(_unknown_contract, (P_VERB, "contract", "contract 'wonen' bestaat niet")),
    "ort_slot_rate_missing": Case(_ort_slot_rate_missing, ("cao_tables/beta/cao.yaml", "allowances.ort_rates", "zondag")),
    "ort_rate_and_profile": Case(_ort_rate_and_profile, (P_VERB, "products.1", "niet allebei")),
    "ort_shares_above_one": Case(_ort_shares_above_one, (P_VERB, "products.1", "meer dan 1")),
    "ort_unknown_slot": Case(_ort_unknown_slot, (P_VERB, "products.1.irregular_hours_profile.feestdag")),
}


# ----------------------------------------------------------------------------- once engine bugs
# Each of these inputs first crashed the engine with a traceback (exit 1) or was silently accepted;
# they are fixed and now run as ordinary cases (see EXTRA below).


def _empty_cost_model(d: Path) -> None:
    (d / COST).write_text("# leeg\n", encoding="utf-8")


def _empty_product_file(d: Path) -> None:
    (d / P_VERB).write_text("", encoding="utf-8")


def _empty_cao_yaml(d: Path) -> None:
    (d / "cao_tables/beta/cao.yaml").write_text("", encoding="utf-8")


def _no_show_rate_one(d: Path) -> None:
    edit(d / COST, "value: 0.05\n        source: testdata no-show\n", "value: 1\n        source: testdata no-show\n")


def _overhead_share_rate_one(d: Path) -> None:
    edit(d / COST, "value: markup\n", "value: share\n")
    edit(d / COST, "value: 0.10\n        source: testdata overhead\n", "value: 1\n        source: testdata overhead\n")


def _reference_day_feb_29(d: Path) -> None:
    edit(d / COST, 'value: "01-01"', 'value: "02-29"')


def _csv_not_utf8(d: Path) -> None:
    path = d / "cao_tables/alfa/schalen_2024-01-01.csv"
    path.write_bytes(path.read_bytes().replace(b"januari", b"janu\xe4ri"))


EXTRA: dict[str, Case] = {
    # was: AssertionError in load_region (exit 1)
    "empty_cost_model": Case(_empty_cost_model, (COST, "leeg")),
    # was: silently skipped, its products vanished from the book
    "empty_product_file": Case(_empty_product_file, (P_VERB, "leeg")),
    # was: the CAO dropped without a problem, then KeyError in Pricer.price (exit 1)
    "empty_cao_yaml": Case(_empty_cao_yaml, ("cao_tables/beta/cao.yaml", "leeg")),
    # was: decimal.DivisionByZero (exit 1)
    "no_show_rate_one": Case(_no_show_rate_one, (COST, "no_show.rate", "onder 1")),
    "overhead_share_rate_one": Case(_overhead_share_rate_one, (COST, "overhead.rate", "onder 1")),
    # was: ValueError from dt.date(2025, 2, 29) in resolve_year, now YearParameters.of (exit 1)
    "reference_day_feb_29": Case(_reference_day_feb_29, (COST, "cao_reference_day.values.0.value", "02-29")),
    # was: UnicodeDecodeError (exit 1)
    "csv_not_utf8": Case(_csv_not_utf8, ("cao_tables/alfa/schalen_2024-01-01.csv", "UTF-8")),
}
CASES.update(EXTRA)


def _check_failure(result, case: Case) -> None:
    out = result.output  # stdout and stderr, as the user sees them
    assert result.exit_code == 2, out
    assert "FOUT" in out
    assert "niets geschreven" in out
    for part in case.expect:
        assert part in out, f"{part!r} not in:\n{out}"
    assert "Traceback" not in out


@pytest.mark.parametrize("kind", sorted(CASES))
def test_validate_refuses(kind: str, mini_copy: Path, runner) -> None:
    case = CASES[kind]
    case.break_it(mini_copy)
    result = runner.invoke(main, ["validate", "--data", str(mini_copy), *case.args])
    _check_failure(result, case)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_calculate_refuses_and_writes_nothing(kind: str, mini_copy: Path, tmp_path: Path, runner) -> None:
    case = CASES[kind]
    case.break_it(mini_copy)
    outdir = tmp_path / "out"
    outdir.mkdir()
    out = outdir / "OUT.csv"
    result = runner.invoke(main, ["calculate", "--data", str(mini_copy), *case.args, "--out", str(out)])
    _check_failure(result, case)
    assert not out.exists()
    assert list(outdir.iterdir()) == []  # no temporary file left behind either

    # an existing output is left byte-identical
    old = b"product_code,tariff_eur\nOLD01,1.23\n"
    out.write_bytes(old)
    result = runner.invoke(main, ["calculate", "--data", str(mini_copy), *case.args, "--out", str(out)])
    _check_failure(result, case)
    assert out.read_bytes() == old
    assert sorted(p.name for p in outdir.iterdir()) == ["OUT.csv"]


def test_the_unbroken_copy_passes(mini_copy: Path, tmp_path: Path, runner) -> None:
    # the control: without a break, both commands succeed (so the failures above come from the breaks)
    assert runner.invoke(main, ["validate", "--data", str(mini_copy)]).exit_code == 0
    out = tmp_path / "OUT.csv"
    result = runner.invoke(main, ["calculate", "--data", str(mini_copy), "--out", str(out)])
    assert result.exit_code == 0, result.output
    # header + 4 products x (2 CAOs + basistarief) x (regular, micro) = 25 lines
    assert out.read_text(encoding="utf-8").count("\n") == 25


def test_all_problems_are_reported_at_once(mini_copy: Path, tmp_path: Path, runner) -> None:
    _group_size_zero(mini_copy)  # a product file
    _negative_salary(mini_copy)  # a CAO table
    _percentage_not_fraction(mini_copy)  # the cost model
    for args in (["validate"], ["calculate", "--out", str(tmp_path / "OUT.csv")]):
        result = runner.invoke(main, [*args, "--data", str(mini_copy)])
        assert result.exit_code == 2
        out = result.output
        assert "products.0.group_size" in out
        assert "cao_tables/alfa/schalen_2024-01-01.csv" in out and "rij 4" in out
        assert "employer_charges.items.sociaal.rate" in out
        assert re.search(r"^3 fout\(en\)", out, re.MULTILINE), out
    assert not (tmp_path / "OUT.csv").exists()


def test_error_lines_point_at_the_file_line(mini_copy: Path, runner) -> None:
    _group_size_zero(mini_copy)
    text = (mini_copy / P_VERB).read_text(encoding="utf-8").splitlines()
    line = next(i for i, s in enumerate(text, start=1) if "group_size: 0" in s)
    result = runner.invoke(main, ["validate", "--data", str(mini_copy)])
    assert f"{P_VERB}:{line} [products.0.group_size]" in result.output


def test_one_cause_is_reported_once(mini_copy: Path, runner) -> None:
    _productivity_zero(mini_copy)  # one bad value, used by 3 products x 2 CAOs
    result = runner.invoke(main, ["validate", "--data", str(mini_copy)])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.startswith("FOUT")]
    # at most one line per CAO (the hours differ: 1800 for alfa, 2000 for beta)
    assert len(lines) <= 2, lines


def test_missing_data_folder(tmp_path: Path, runner) -> None:
    result = runner.invoke(main, ["validate", "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "bestaat niet" in result.output
