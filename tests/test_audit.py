"""The audit report (issue 6): findings, the parameter register, the summary per contract, the outputs, provenance.

Every finding kind is triggered on a copy of the mini region (tests/fixtures/mini_region) and shown not to fire
where it should not. Figures from tests/test_handcomputed.py and tests/test_differentiation.py used below (2025,
overhead 10% mark-up, micro 5%, no-show 5% divide, profit 2%; the mini region has no indexation):

    alfa mbo  (scale A, step 1):     M 3000,  A 53444,   productive hours 1800 x 0.75 = 1350, C 39.5881
    alfa hbo  (scale B, 1 and 2):    M 4250,  A 75908;   standaard C = 75908 / 1350 = 56.2281;
                                     ambulant: 1800 - 150 - 0.05 x 1800 - 0.10 x 1800 = 1380 h, C = 55.0058
    UUR01 alfa mix (mbo/hbo 50/50):  C_mix = (39.5881 + 56.2281) / 2 = 47.9081
    tariffs: MIN01 1.08 / 0.93, UUR01 64.60 / 58.03, DAG01 38.34 / 35.97, ETM01 402.05 / 381.94 (alfa / beta =
    basistarief); micro: MIN01 1.03 / 0.89, UUR01 61.67 / 55.39, DAG01 36.60 / 34.33, ETM01 383.77 / 364.58

The register of the mini region holds 34 values: 4 function maps + 2 x 2 CAO values (allowances, annual hours),
22 cost-model values (reference day, charge mode, 2 charge rates, franchise, overhead rate / micro rate /
convention, no-show rate / convention, profit, hours per dagdeel, 2 rounding rules, 1 + 3 productivity values,
4 client costs) and the 4 products. Only the reference day and the products carry a source_date: 29 undated.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import edit, edit_product

from tariefmodel import __version__
from tariefmodel.cli.main import main
from tariefmodel.data.fileio import sha256_of
from tariefmodel.loader.load import load_region
from tariefmodel.trail import manifest as mf
from tariefmodel.trail.audit import Finding, build_audit

D = Decimal
COST = "parameters/cost_model.yaml"
P_AMB = "parameters/products/01_ambulant.yaml"
P_VERB = "parameters/products/02_verblijf.yaml"
CODES = ("MIN01", "UUR01", "DAG01", "ETM01")
VARIANTS = ("alfa", "beta", "basistarief")
OVERHEAD_BLOCK = "      - from: 2024-01-01\n        value: 0.10\n        source: testdata overhead\n"


def audit(root: Path, year: int = 2025, max_age: int | None = None):
    return build_audit(load_region(root), year, max_age=max_age)


def of_kind(report, kind: str) -> list[Finding]:
    return [f for f in report.findings if f.kind == kind]


def figures(f: Finding) -> dict[str, str]:
    return dict(f.figures)


def add_benchmarks(root: Path, name: str, body: str) -> None:
    (root / "benchmarks" / name).write_text("benchmarks:\n" + body, encoding="utf-8")


def date_every_source(root: Path, date: str = "2024-01-01") -> None:
    """Give every dated value in the cost model and the CAO files a source_date (those without one)."""
    files = [root / COST, *root.glob("cao_tables/*/cao.yaml"), *root.glob("cao_tables/*/function_map.yaml")]
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        out = []
        for i, line in enumerate(lines):
            out.append(line)
            m = re.match(r"^( {6,})source: ", line)
            if m and not (i + 1 < len(lines) and lines[i + 1].strip().startswith("source_date:")):
                out.append(f"{m.group(1)}source_date: {date}")
        path.write_text("\n".join(out) + "\n", encoding="utf-8")


# =============================================================== the clean mini region


def test_mini_region_findings_and_checks(mini_path) -> None:
    """The committed mini region: alfa mbo at the lowest step of scale A, and undated sources; nothing else."""
    report = audit(mini_path)
    assert [(f.severity, f.kind, f.subject) for f in report.findings] == [
        ("waarschuwing", "loon-onder-cao", "alfa/mbo"),
        ("info", "bron-zonder-datum", "register"),
    ]
    # the mini region publishes no comparable tariffs (benchmarks with compares): 0 checked against the world
    assert report.checked == {"benchmarks": 1, "gepubliceerde tarieven": 0, "functieprofielen": 4,
                              "productvarianten": 8, "registerwaarden": 36}
    assert report.region == "Testregio Mini" and report.year == 2025
    assert not [f for f in report.findings if f.severity == "fout"]


# =============================================================== buiten-benchmark


def test_benchmark_range_triggered_and_not(mini_copy) -> None:
    add_benchmarks(mini_copy, "extra.yaml", """\
  - key: overhead-smal
    label: Smalle bandbreedte overhead
    low: 0.12
    high: 0.20
    unit: fractie
    source: testdata smalle bandbreedte
    source_date: 2024-06-01
    informs: [overhead.rate, overhead.rate_micro]
  - key: winst-ruim
    label: Winst en risico
    low: 0.01
    high: 0.03
    unit: fractie
    source: testdata winst
    source_date: 2024-06-01
    informs: [profit_risk_rate]
  - key: overhead-precies
    label: Precies de waarde (grenzen tellen mee)
    low: 0.10
    high: 0.10
    unit: fractie
    source: testdata precies
    source_date: 2024-06-01
    informs: [overhead.rate]
""")
    report = audit(mini_copy)
    found = {f.subject: f for f in of_kind(report, "buiten-benchmark")}
    assert sorted(found) == ["overhead.rate", "overhead.rate_micro"]  # not profit (0.02 in 0.01..0.03), not 'precies'
    rate = found["overhead.rate"]
    assert rate.severity == "waarschuwing"
    assert "overhead-smal" in rate.message
    assert figures(rate) == {"waarde": "0.10", "laag": "0.12", "hoog": "0.20", "bron benchmark": "testdata smalle bandbreedte"}
    assert figures(found["overhead.rate_micro"])["waarde"] == "0.05"
    # 1 (mini: overhead-test) + 2 (overhead-smal) + 1 (winst-ruim) + 1 (overhead-precies) value checks
    assert report.checked["benchmarks"] == 5


def test_benchmark_above_high_only(mini_copy) -> None:
    edit(mini_copy / "benchmarks" / "overhead.yaml", "    low: 0.05\n    high: 0.30\n", "    high: 0.08\n")
    (f,) = of_kind(audit(mini_copy), "buiten-benchmark")
    assert (f.subject, figures(f)["waarde"], figures(f)["hoog"]) == ("overhead.rate", "0.10", "0.08")


def test_benchmark_inside_range_not_triggered(mini_path) -> None:
    report = audit(mini_path)  # overhead.rate 0.10 within 0.05 .. 0.30
    assert report.checked["benchmarks"] == 1
    assert not of_kind(report, "buiten-benchmark")


def test_benchmark_informing_an_unknown_path_is_reported(mini_copy, runner) -> None:
    edit(mini_copy / "benchmarks" / "overhead.yaml", "informs: [overhead.rate]", "informs: [overhead.rates]")
    validate = runner.invoke(main, ["validate", "--data", str(mini_copy)])
    assert validate.exit_code == 2
    assert "overhead.rates" in validate.output and "is geen parameter in" in validate.output


# =============================================================== oude-bron, oude-benchmark, bron-zonder-datum


def test_old_source_triggered(mini_copy) -> None:
    edit(mini_copy / COST, OVERHEAD_BLOCK, OVERHEAD_BLOCK + "        source_date: 2015-06-30\n")
    (f,) = of_kind(audit(mini_copy), "oude-bron")
    assert (f.severity, f.subject) == ("waarschuwing", "overhead.rate")
    assert figures(f) == {"brondatum": "30-06-2015", "grens": "01-01-2020", "bron": "testdata overhead"}
    assert "5 jaar" in f.message and COST in f.message


@pytest.mark.parametrize(("date", "flagged"), [("2019-12-31", True), ("2020-01-01", False)])
def test_old_source_boundary(mini_copy, date, flagged) -> None:
    """Tariff year 2025, default max age 5: the limit is 2020-01-01; a source dated on the limit is not too old."""
    edit(mini_copy / COST, OVERHEAD_BLOCK, OVERHEAD_BLOCK + f"        source_date: {date}\n")
    assert bool(of_kind(audit(mini_copy), "oude-bron")) is flagged


def test_old_source_not_triggered(mini_path) -> None:
    assert not of_kind(audit(mini_path), "oude-bron")  # every dated source is 2024-01-01


def test_max_age_option_and_region_setting(mini_copy, runner, tmp_path) -> None:
    """Max age 1 in 2026: limit 2025-01-01, so the reference day and the 4 products (2024-01-01) are too old."""
    expected = ["DAG01", "ETM01", "MIN01", "UUR01", "cao_reference_day"]
    assert not of_kind(audit(mini_copy, 2026), "oude-bron")
    assert sorted(f.subject.replace("product ", "") for f in of_kind(audit(mini_copy, 2026, 1), "oude-bron")) == expected
    out = tmp_path / "a.md"
    result = runner.invoke(main, ["audit", "--data", str(mini_copy), "--year", "2026", "--max-age", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count("| oude-bron |") == 5
    assert mf.read(out)["command"] == ["audit", "--year", "2026", "--max-age", "1"]
    edit(mini_copy / "parameters" / "region.yaml", "default_year: 2025\n", "default_year: 2025\naudit_max_source_age_years: 1\n")
    assert len(of_kind(audit(mini_copy, 2026), "oude-bron")) == 5


def test_old_benchmark_triggered_and_not(mini_copy, mini_path) -> None:
    assert not of_kind(audit(mini_path), "oude-benchmark")
    edit(mini_copy / "benchmarks" / "overhead.yaml", "source_date: 2024-01-01", "source_date: 2010-03-01")
    (f,) = of_kind(audit(mini_copy), "oude-benchmark")
    assert (f.severity, f.subject) == ("waarschuwing", "overhead-test")
    assert figures(f) == {"brondatum": "01-03-2010", "bron": "testdata benchmark"}


def test_undated_sources_counted(mini_path) -> None:
    (f,) = of_kind(audit(mini_path), "bron-zonder-datum")
    assert f.severity == "info"
    assert figures(f) == {"zonder datum": "29"}
    assert "29 van 36" in f.message  # 34 values + 2 salary tables (dated by their effective date)


def test_undated_sources_not_triggered_when_every_source_is_dated(mini_copy) -> None:
    date_every_source(mini_copy)
    report = audit(mini_copy)
    assert all(r.source_date for r in report.register if r.path != "salaristabel")  # tables: effective date
    assert not of_kind(report, "bron-zonder-datum")
    assert not of_kind(report, "oude-bron")


# =============================================================== ongelijke-waarden

SECOND_NORM = """\
  intensief:
    label: Intensief (opbouw)
    method: breakdown
    breakdown:
      vakantie:
        label: Vakantie
        kind: hours
        value:
          values:
            - from: 2024-01-01
              value: 150
              source: testdata vakantie-uren
              rationale: Rond getal.
              status: adopted
      ziekte:
        label: Ziekte
        kind: share
        value:
          values:
            - from: 2024-01-01
              value: {ziekte}
              source: testdata verzuim intensief
              rationale: {why}
              status: adopted

client_costs:"""


def add_second_norm(root: Path, ziekte: str, why: str) -> None:
    edit(root / COST, "\nclient_costs:", "\n" + SECOND_NORM.format(ziekte=ziekte, why=why))


def test_unequal_values_same_rationale_is_a_warning(mini_copy) -> None:
    add_second_norm(mini_copy, "0.08", "Rond getal.")  # ambulant has 0.05 with the same rationale
    (f,) = of_kind(audit(mini_copy), "ongelijke-waarden")
    assert (f.severity, f.subject) == ("waarschuwing", "ziekte (share)")
    assert f.figures == (("ambulant", "0.05"), ("intensief", "0.08"))


def test_unequal_values_each_with_its_own_rationale_is_info(mini_copy) -> None:
    add_second_norm(mini_copy, "0.08", "Zwaardere doelgroep, hoger verzuim (testdata).")
    (f,) = of_kind(audit(mini_copy), "ongelijke-waarden")
    assert (f.severity, f.subject) == ("info", "ziekte (share)")
    assert figures(f) == {"ambulant": "0.05", "intensief": "0.08"}


def test_equal_values_not_triggered(mini_copy, mini_path) -> None:
    assert not of_kind(audit(mini_path), "ongelijke-waarden")  # one breakdown norm only
    add_second_norm(mini_copy, "0.05", "Rond getal.")  # vakantie 150 and ziekte 0.05 in both norms
    assert not of_kind(audit(mini_copy), "ongelijke-waarden")


# =============================================================== perverse-prikkel


def test_perverse_incentive_triggered(mini_copy) -> None:
    """UUR01 (mbo/hbo mix) declared the specialisation of MIN01 (hbo only): cheaper per staff hour."""
    edit_product(mini_copy / P_AMB, "UUR01", "    no_show: true\n", "    no_show: true\n    lighter_twin: MIN01\n")
    report = audit(mini_copy)
    found = of_kind(report, "perverse-prikkel")
    assert [(f.severity, f.subject) for f in found] == [("waarschuwing", "UUR01/alfa"), ("waarschuwing", "UUR01/beta")]
    messages = sorted(f.message for f in found)
    assert "UUR01 is gespecialiseerder dan MIN01" in messages[0] and "(alfa)" in messages[0]
    assert "(beta)" in messages[1] and "TAR-16" in messages[1]
    assert {"47.91", "55.01"} <= set(figures(next(f for f in found if f.subject == "UUR01/alfa")).values())
    ambulant = next(c for c in report.contracts if c.key == "ambulant")
    assert ambulant.findings == 2  # the subject names a product of the contract


def test_perverse_incentive_not_triggered(mini_copy) -> None:
    """MIN01 (hbo only) as the specialisation of UUR01: dearer per staff hour, as it should be."""
    edit_product(mini_copy / P_AMB, "MIN01", "    no_show: true\n", "    no_show: true\n    lighter_twin: UUR01\n")
    assert not of_kind(audit(mini_copy), "perverse-prikkel")


def test_perverse_incentive_has_figures(mini_copy) -> None:
    edit_product(mini_copy / P_AMB, "UUR01", "    no_show: true\n", "    no_show: true\n    lighter_twin: MIN01\n")
    f = of_kind(audit(mini_copy), "perverse-prikkel")[0]
    assert {"47.91", "55.01"} <= set(figures(f).values())


# =============================================================== loon-onder-cao


def test_wage_below_cao_triggered(mini_path) -> None:
    """alfa mbo: scale A step 1 only, 3000 against the scale mean (3000 + 3500) / 2 = 3250: 7.7% below."""
    (f,) = of_kind(audit(mini_path), "loon-onder-cao")
    assert (f.severity, f.subject) == ("waarschuwing", "alfa/mbo")
    assert figures(f) == {"maandsalaris": "€ 3.000,00", "schaalgemiddelde": "€ 3.250,00"}
    assert "schaal A" in f.message


@pytest.mark.parametrize(("steps", "flagged"), [
    ('{"1": 0.5, "2": 0.5}', False),    # 3250.00 = the mean
    ('{"1": 0.695, "2": 0.305}', False),  # 3152.50 = exactly 97% of the mean: not below
    ('{"1": 0.7, "2": 0.3}', True),       # 3150.00 < 3152.50
])
def test_wage_below_cao_boundary(mini_copy, steps, flagged) -> None:
    edit(mini_copy / "cao_tables" / "alfa" / "function_map.yaml", '{scale: A, step: "1"}', f"{{scale: A, steps: {steps}}}")
    found = of_kind(audit(mini_copy), "loon-onder-cao")
    assert bool(found) is flagged
    if flagged:
        assert figures(found[0]) == {"maandsalaris": "€ 3.150,00", "schaalgemiddelde": "€ 3.250,00"}


# =============================================================== indexatie-achter-cao

INDEXATION = """\
# Mini indexation for the audit: both contracts start 2025-01-01; 2026 is indexed by the method below.
series:
  ova:
    label: OVA (test)
    publications:
      - {{year: 2026, kind: voorlopig, value: 0.0300, published: 2025-10-01, source: testdata OVA 2026}}
methods:
  geen:
    label: Geen indexatie (test)
    kind: none
    source: testdata methode geen
  cao:
    label: Volgt de CAO (test)
    kind: follow_cao
    source: testdata methode cao
recalibration_threshold: 0.02
assignments:
  - {{contract: ambulant, method: {method}, from: 2026-01-01, source: testdata indexatie, rationale: Test.}}
  - {{contract: verblijf, method: {method}, from: 2026-01-01, source: testdata indexatie, rationale: Test.}}
"""


def test_indexation_lagging_the_cao_triggered(mini_copy) -> None:
    """2026 not indexed ('none') while alfa's table of 2025-07-01 is 10% higher; beta has no later table.

    Recalibrated DAG01 alfa 2026: M 3300, G 39600, holiday max(3168, 3000), year-end 3168, L 45936,
    charges 9187.20 + 3593.60, A 58716.80, C 43.4939; (C x 4 / 5 + 2.50) x 1.10 x 1.02 = 41.85;
    indexed 38.34: (41.85 - 38.34) / 41.85 = 8.39%.
    """
    (mini_copy / "parameters" / "indexation.yaml").write_text(INDEXATION.format(method="geen"), encoding="utf-8")
    report = audit(mini_copy, 2026)
    found = {f.subject: f for f in of_kind(report, "indexatie-achter-cao")}
    assert sorted(found) == ["DAG01/alfa", "ETM01/alfa", "MIN01/alfa", "UUR01/alfa"]  # no micro, no beta, no basis
    assert {f.severity for f in found.values()} == {"waarschuwing"}
    assert figures(found["DAG01/alfa"]) == {"geïndexeerd": "€ 38,34", "herberekend": "€ 41,85"}
    assert "8,39%" in found["DAG01/alfa"].message
    assert figures(found["MIN01/alfa"]) == {"geïndexeerd": "€ 1,08", "herberekend": "€ 1,19"}
    assert "9,24%" in found["MIN01/alfa"].message


def test_indexation_following_the_cao_not_triggered(mini_copy) -> None:
    (mini_copy / "parameters" / "indexation.yaml").write_text(INDEXATION.format(method="cao"), encoding="utf-8")
    assert not of_kind(audit(mini_copy, 2026), "indexatie-achter-cao")
    assert not of_kind(audit(mini_copy, 2025), "indexatie-achter-cao")  # the calibrated year


# =============================================================== basistarief and micro


def test_micro_overhead_above_regular_is_refused(mini_copy, runner, tmp_path) -> None:
    """The book itself refuses it: exit 2 naming the parameter, and no report is written."""
    edit(mini_copy / COST, "        value: 0.05\n        source: testdata overhead micro",
         "        value: 0.15\n        source: testdata overhead micro")
    out = tmp_path / "a.html"
    result = runner.invoke(main, ["audit", "--data", str(mini_copy), "--out", str(out)])
    assert result.exit_code == 2
    assert f"{COST} [overhead.rate_micro]" in result.output
    assert "het microtarief van DAG01 / alfa (40.08) ligt boven het gewone tarief (38.34)" in result.output
    assert not out.exists()


def test_micro_overhead_equal_to_regular_is_no_error(mini_copy) -> None:
    edit(mini_copy / COST, "        value: 0.05\n        source: testdata overhead micro",
         "        value: 0.10\n        source: testdata overhead micro")
    report = audit(mini_copy)
    assert not [f for f in report.findings if f.severity == "fout"]
    assert report.checked["productvarianten"] == 8


# The rules themselves, triggered and not on hand-made rows, and reported alike by validate: tests/test_checks.py


# =============================================================== melding


def test_notices_from_the_book_become_info_findings(mini_copy) -> None:
    from test_differentiation import install_differentiation

    install_differentiation(mini_copy)
    found = {f.subject: f for f in of_kind(audit(mini_copy), "melding")}
    assert sorted(found) == ["a-aangevraagd", "a-afgewezen"]  # requested and rejected addenda: no tariff
    assert {f.severity for f in found.values()} == {"info"}
    assert "is aangevraagd" in found["a-aangevraagd"].message


def test_no_notices_on_the_mini_region(mini_path) -> None:
    assert not of_kind(audit(mini_path), "melding")


# =============================================================== the register


def test_register_entry_for_overhead_rate(mini_path) -> None:
    report = audit(mini_path)
    (entry,) = [r for r in report.register if r.path == "overhead.rate"]
    assert (entry.file, entry.value, entry.valid_from, entry.source, entry.rationale, entry.status, entry.assumption) == (
        COST, "0.10", "2024-01-01", "testdata overhead", "Rond getal.", "adopted", False)
    assert entry.feeds == {f"{c}/{v}" for c in CODES for v in VARIANTS}  # every regular tariff, no micro one
    (micro,) = [r for r in report.register if r.path == "overhead.rate_micro"]
    assert micro.feeds == {f"{c}/{v}/micro" for c in CODES for v in VARIANTS}


def test_register_feeds_follow_the_staffing(mini_path) -> None:
    reg = {(r.file, r.path): r for r in audit(mini_path).register}
    assert len(reg) == 36  # 34 values + the two salary tables
    alfa_mbo = reg[("cao_tables/alfa/function_map.yaml", "profiles.mbo")]
    assert alfa_mbo.value == "scale A; step 1"
    assert alfa_mbo.feeds == {f"{c}/alfa{m}" for c in ("UUR01", "DAG01", "ETM01") for m in ("", "/micro")}
    beta_mbo = reg[("cao_tables/beta/function_map.yaml", "profiles.mbo")]  # beta is the basistarief everywhere
    assert beta_mbo.feeds == {f"{c}/{v}{m}" for c in ("UUR01", "DAG01", "ETM01") for v in ("beta", "basistarief")
                              for m in ("", "/micro")}
    assert reg[(COST, "client_costs.huisvesting.amount")].feeds == {f"ETM01/{v}{m}" for v in VARIANTS for m in ("", "/micro")}
    product = reg[(P_VERB, "product DAG01")]
    assert (product.source, product.source_date, product.decided_by, product.decided_on, product.status) == (
        "testdata product dagdeel", "2024-01-01", "testsuite", "2024-01-01", "adopted")
    assert len(product.feeds) == 6
    assert reg[(COST, "cao_reference_day")].decided_by == "testsuite"


def test_register_shows_draft_and_assumption(mini_copy) -> None:
    edit(mini_copy / COST, "rationale: 36500 / 365 = 100 per etmaal.\n          status: adopted\n",
         "rationale: 36500 / 365 = 100 per etmaal.\n          status: draft\n          assumption: true\n")
    report = audit(mini_copy)
    (entry,) = [r for r in report.register if r.path == "client_costs.huisvesting.amount"]
    assert (entry.status, entry.assumption) == ("draft", True)
    counts = {c.key: c.assumptions for c in report.contracts}
    assert counts == {"ambulant": 0, "verblijf": 1}  # housing feeds ETM01 only


@pytest.mark.parametrize(("file", "feeds"), [
    pytest.param("parameters/addenda.yaml", "DAG01/alfa/groot-alfa", id="addendum"),
    pytest.param("parameters/external_tariffs.yaml", "JB01/extern", id="external-tariff"),
    pytest.param("parameters/differentiation.yaml", "DAG01/pgb-netwerk", id="pgb-rate"),
])
def test_register_covers_addenda_external_tariffs_and_pgb(mini_copy, file, feeds) -> None:
    from test_differentiation import install_differentiation

    install_differentiation(mini_copy)
    report = audit(mini_copy)
    assert any(r.file == file and feeds in r.feeds for r in report.register)


def test_register_covers_the_cao_salary_tables(mini_path) -> None:
    report = audit(mini_path)
    entries = [r for r in report.register if r.file == "cao_tables/alfa/schalen_2024-01-01.csv"]
    assert entries and any("testdata CAO alfa" in r.source for r in entries)
    assert any("UUR01/alfa" in r.feeds for r in entries)


# =============================================================== summary per contract


def test_summary_per_contract_hand_counted(mini_path) -> None:
    """Each contract: 2 products x (alfa, beta, basistarief) x (regular, micro) = 12 tariffs."""
    got = {c.key: c for c in audit(mini_path).contracts}
    assert list(got) == ["ambulant", "verblijf"]
    a, v = got["ambulant"], got["verblijf"]
    assert (a.name, a.law, a.products, a.tariffs, a.lowest, a.highest, a.findings, a.assumptions) == (
        "Ambulant", "Jeugdwet", 2, 12, D("0.89"), D("64.60"), 0, 0)  # MIN01 basistarief micro; UUR01 alfa
    assert (v.name, v.law, v.products, v.tariffs, v.lowest, v.highest, v.findings, v.assumptions) == (
        "Dagbesteding en verblijf", "Wmo", 2, 12, D("34.33"), D("402.05"), 0, 0)  # DAG01 beta micro; ETM01 alfa


def test_summary_per_contract_with_differentiation(mini_copy) -> None:
    """ambulant: 2 x 6 + 2 x 2 pgb = 16; verblijf: 2 x 6 + 2 x 2 pgb + 3 addenda (a-alfa, a-geen, a-micro) = 19;
    jeugdbescherming: JB01 national, JB01 gi-test phase-in, JZP01 = 3 (external)."""
    from test_differentiation import install_differentiation

    install_differentiation(mini_copy)
    got = {c.key: (c.products, c.tariffs, c.lowest, c.highest) for c in audit(mini_copy).contracts}
    assert got == {"ambulant": (2, 16, D("0.47"), D("64.60")), "verblijf": (2, 19, D("17.99"), D("402.05")),
                   "jeugdbescherming": (2, 3, D("90.00"), D("700.00"))}


# =============================================================== the report files


@pytest.fixture
def perverse_copy(mini_copy) -> Path:
    """The mini region with a perverse incentive and an old source: findings of several kinds in every report."""
    edit_product(mini_copy / P_AMB, "UUR01", "    no_show: true\n", "    no_show: true\n    lighter_twin: MIN01\n")
    edit(mini_copy / COST, OVERHEAD_BLOCK, OVERHEAD_BLOCK + "        source_date: 2015-06-30\n")
    return mini_copy


@pytest.mark.parametrize("suffix", ["html", "md", "xlsx"])
def test_report_written_with_manifest_and_byte_identical(perverse_copy, runner, tmp_path, suffix) -> None:
    a, b = tmp_path / "a" / f"audit.{suffix}", tmp_path / "b" / f"audit.{suffix}"
    for out in (a, b):
        result = runner.invoke(main, ["audit", "--data", str(perverse_copy), "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "audit 2025: 0 fouten, 4 waarschuwingen, 1 meldingen; 36 registerwaarden" in result.output
    assert a.read_bytes() == b.read_bytes()
    assert not [p.name for p in a.parent.iterdir() if p.name != a.name]  # no temporary file left behind
    man = mf.read(a)
    assert man["engine"] == "tariefmodel" and man["engine_version"] == __version__
    assert man["command"] == ["audit", "--year", "2025"]
    region = load_region(perverse_copy)
    assert man["inputs"] == {f: sha256_of(perverse_copy / f) for f in region.files}
    assert len(man["inputs"]) == 18  # 17 + parameters/minimum_wage.yaml
    assert man["inputs"][COST] == sha256_of(perverse_copy / COST)


def test_markdown_report_content(perverse_copy, runner, tmp_path) -> None:
    out = tmp_path / "audit.md"
    assert runner.invoke(main, ["audit", "--data", str(perverse_copy), "--out", str(out)]).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Auditrapport Testregio Mini, tariefjaar 2025\n")
    assert "0 fouten, 4 waarschuwingen, 1 meldingen." in text
    assert "| Ambulant | Jeugdwet | 2 | 12 | € 0,89 | € 64,60 | 2 | 0 |" in text
    assert ("| Waarschuwing | oude-bron | overhead.rate | de bron van overhead.rate (parameters/cost_model.yaml) is van "
            "30-06-2015, ouder dan 5 jaar | brondatum: 30-06-2015; grens: 01-01-2020; bron: testdata overhead |") in text
    assert ("| parameters/cost_model.yaml | overhead.rate | 0.10 | 01-01-2024 | testdata overhead | 30-06-2015 | "
            "Rond getal. |  | adopted |  | 12 tarieven |") in text
    assert "<!-- tariefmodel-manifest: {" in text


def test_html_report_content(perverse_copy, runner, tmp_path) -> None:
    out = tmp_path / "audit.html"
    assert runner.invoke(main, ["audit", "--data", str(perverse_copy), "--out", str(out)]).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "<title>Auditrapport Testregio Mini 2025</title>" in text
    assert '<tr class="waarschuwing"><td>Waarschuwing</td><td>perverse-prikkel</td><td>UUR01/alfa</td>' in text
    assert "<td>overhead.rate</td><td>0.10</td>" in text
    assert "12: DAG01/alfa, DAG01/basistarief, DAG01/beta, ETM01/alfa, ETM01/basistarief, ETM01/beta en 6 meer" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text), "the page loads nothing from outside"


def test_xlsx_report_sheets(perverse_copy, runner, tmp_path) -> None:
    out = tmp_path / "audit.xlsx"
    assert runner.invoke(main, ["audit", "--data", str(perverse_copy), "--out", str(out)]).exit_code == 0
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames == ["Samenvatting", "Bevindingen", "Parameterregister", "Manifest"]
    summary = [list(r) for r in wb["Samenvatting"].iter_rows(values_only=True)]
    assert summary[1] == ["Ambulant", "Jeugdwet", 2, 12, "€ 0,89", "€ 64,60", 2, 0]
    findings = [list(r) for r in wb["Bevindingen"].iter_rows(values_only=True)]
    assert len(findings) == 1 + 5
    assert {(r[0], r[1]) for r in findings[1:]} == {("Waarschuwing", "perverse-prikkel"), ("Waarschuwing", "oude-bron"),
                                                     ("Waarschuwing", "loon-onder-cao"), ("Info", "bron-zonder-datum")}
    register = [list(r) for r in wb["Parameterregister"].iter_rows(values_only=True)]
    head = register[0]
    row = next(dict(zip(head, r, strict=True)) for r in register[1:] if r[1] == "overhead.rate")
    assert row["aantal tarieven"] == 12 and row["bron"] == "testdata overhead" and row["status"] == "adopted"
    assert row["voedt"] == ", ".join(sorted(f"{c}/{v}" for c in CODES for v in VARIANTS))


def test_unknown_report_suffix(mini_path, runner, tmp_path) -> None:
    out = tmp_path / "audit.docx"
    result = runner.invoke(main, ["audit", "--data", str(mini_path), "--out", str(out)])
    assert result.exit_code == 2
    assert "'.docx'" in result.output and "audit.docx" in result.output
    assert not out.exists()


@pytest.mark.parametrize("suffix", ["html", "md", "xlsx"])
def test_report_write_is_atomic(mini_path, runner, tmp_path, monkeypatch, suffix) -> None:
    """A write that fails halfway leaves the previous report as it was and no temporary file."""
    import os

    out = tmp_path / f"audit.{suffix}"
    out.write_bytes(b"previous report")

    def broken(fd: int) -> None:
        raise OSError("disk full (test)")

    monkeypatch.setattr(os, "fsync", broken)
    result = runner.invoke(main, ["audit", "--data", str(mini_path), "--out", str(out)])
    assert result.exit_code != 0
    assert out.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_report_in_an_indexed_year_lists_the_index_figures(mini_copy, runner, tmp_path) -> None:
    (mini_copy / "parameters" / "indexation.yaml").write_text(INDEXATION.format(method="geen"), encoding="utf-8")
    out = tmp_path / "audit.md"
    result = runner.invoke(main, ["audit", "--data", str(mini_copy), "--year", "2026", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.count("| indexatie-achter-cao |") == 4
    assert "tariefjaar 2026" in text


def test_markdown_report_escapes_pipes(mini_copy, runner, tmp_path) -> None:
    edit(mini_copy / COST, OVERHEAD_BLOCK + "        rationale: Rond getal.\n",
         OVERHEAD_BLOCK + "        rationale: Rond getal | afgerond op 10%.\n")
    out = tmp_path / "audit.md"
    assert runner.invoke(main, ["audit", "--data", str(mini_copy), "--out", str(out)]).exit_code == 0
    row = next(ln for ln in out.read_text(encoding="utf-8").splitlines() if "| overhead.rate |" in ln)
    cells = re.split(r"(?<!\\)\|", row.strip().strip("|"))
    assert len(cells) == 11


# =============================================================== provenance is mandatory


@pytest.mark.parametrize("placeholder", ["TODO", "onbekend", "Onbekend.", "n.v.t.", "tbd", "???"])
def test_adopted_value_with_placeholder_source_is_refused(mini_copy, runner, placeholder) -> None:
    edit(mini_copy / COST, "        source: testdata overhead\n", f'        source: "{placeholder}"\n')
    result = runner.invoke(main, ["validate", "--data", str(mini_copy)])
    assert result.exit_code == 2
    assert f"{COST}:53 [overhead.rate.values.0]" in result.output
    assert "vastgestelde waarde zonder bron" in result.output and repr(placeholder) in result.output


def test_draft_value_with_placeholder_source_is_listed_as_still_to_fill_in(mini_copy, runner) -> None:
    """A placeholder source is refused in a draft too: validate lists it first, as 'nog in te vullen' (exit 2)."""
    edit(mini_copy / COST, "        source: testdata overhead\n        rationale: Rond getal.\n        status: adopted\n",
         "        source: TODO\n        rationale: Rond getal.\n        status: draft\n")
    result = runner.invoke(main, ["validate", "--data", str(mini_copy)])
    assert result.exit_code == 2, result.output
    first = result.output.splitlines()[0]
    assert first.startswith(f"FOUT {COST}:55 [overhead.rate.values.0]: nog in te vullen: de bron (nu 'TODO')")
    assert runner.invoke(main, ["calculate", "--data", str(mini_copy)]).exit_code == 2


def test_salary_table_without_source_line_is_refused(mini_copy, runner) -> None:
    table = mini_copy / "cao_tables" / "alfa" / "schalen_2024-01-01.csv"
    table.write_text("\n".join(table.read_text(encoding="utf-8").splitlines()[1:]) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", "--data", str(mini_copy)])
    assert result.exit_code == 2
    assert ("cao_tables/alfa/schalen_2024-01-01.csv: een salaristabel begint met een regel '# source: ...' (de "
            "bron)") in result.output


def test_salary_table_with_placeholder_source_is_refused(mini_copy, runner) -> None:
    edit(mini_copy / "cao_tables" / "alfa" / "schalen_2024-01-01.csv",
         "# source: testdata CAO alfa, schalen per 1 januari 2024", "# source: TODO")
    result = runner.invoke(main, ["validate", "--data", str(mini_copy)])
    assert result.exit_code == 2
    assert "cao_tables/alfa/schalen_2024-01-01.csv" in result.output


def test_approved_addendum_with_placeholder_source_is_refused(mini_copy, runner) -> None:
    from test_differentiation import install_differentiation

    install_differentiation(mini_copy)
    edit(mini_copy / "parameters" / "addenda.yaml", "source: testdata addendum alfa", "source: TODO")
    result = runner.invoke(main, ["validate", "--data", str(mini_copy)])
    assert result.exit_code == 2
    assert "parameters/addenda.yaml" in result.output and "a-alfa" in result.output


@pytest.mark.parametrize("placeholder", ["TODO: bron opzoeken", "(onbekend)"])
def test_adopted_value_with_annotated_placeholder_is_refused(mini_copy, runner, placeholder) -> None:
    edit(mini_copy / COST, "        source: testdata overhead\n", f'        source: "{placeholder}"\n')
    assert runner.invoke(main, ["validate", "--data", str(mini_copy)]).exit_code == 2


def test_every_adopted_value_of_the_bundled_region_has_a_real_source(repo_root) -> None:
    """The bundled register: every adopted value names a source that is no placeholder, and every choice is dated."""
    from tariefmodel.data.schema import PLACEHOLDER_SOURCES

    report = build_audit(load_region(repo_root), 2025)
    assert len(report.register) > 100
    for r in report.register:
        if r.status != "adopted":
            continue
        assert r.source.strip() and r.source.strip().lower().rstrip(".") not in PLACEHOLDER_SOURCES, (r.file, r.path)
        if r.decided_on:
            dt.date.fromisoformat(r.decided_on)


def test_bundled_audit_has_no_errors(repo_root) -> None:
    report = build_audit(load_region(repo_root), 2025)
    assert not [f for f in report.findings if f.severity == "fout"]
    assert sum(c.tariffs for c in report.contracts) > 100



@pytest.mark.parametrize(("text", "placeholder"), [
    ("TODO: bron opzoeken", True), ("(onbekend)", True), ("bron volgt", True), ("Bron", True), ("n/a", True),
    # a source that starts with an empty word but names something is a source (it used to be refused)
    ("Bron: Stcrt. 2025, 12264", False), ("Bron CAO VVT 2025-2026 art. 4.4", False),
    ("Onbekend in 2025; aanname op basis van CAO SW art. 7.12", False),
])
def test_a_placeholder_is_what_only_promises_a_source(text: str, placeholder: bool) -> None:
    from tariefmodel.data.schema import is_placeholder

    assert is_placeholder(text) is placeholder
