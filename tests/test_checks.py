"""The consistency rules of engine/checks.py: each triggered and not, and reported alike by validate and audit.

Figures of the mini region in 2025 (tests/test_handcomputed.py, tests/test_audit.py): DAG01 alfa 38.34, beta
35.97 = basistarief; micro alfa 36.60, micro beta 34.33 = micro basistarief. alfa mbo sits at scale A step 1
(3000) against the scale mean (3000 + 3500) / 2 = 3250: 7.7% below, more than 3%.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import edit, edit_product
from test_audit import INDEXATION

from tariefmodel.cli.main import main
from tariefmodel.engine import checks
from tariefmodel.engine.book import price_book
from tariefmodel.engine.variants import breach_problems, calibrated_book
from tariefmodel.loader.load import load_region
from tariefmodel.trail.audit import Finding, build_audit, finding

D = Decimal
P_AMB = "parameters/products/01_ambulant.yaml"
P_VERB = "parameters/products/02_verblijf.yaml"
RULE_KINDS = {"basistarief", "micro", "perverse-prikkel", "loon-onder-cao", "indexatie-achter-cao"}


@pytest.fixture(scope="module")
def dag01(mini_region) -> list:
    """The general DAG01 rows of 2025 in book order: alfa, beta, basistarief, then the same three micro."""
    rows = [t for t in price_book(mini_region, 2025).tariffs if t.product.product.code == "DAG01"]
    assert [(t.variant, t.micro, str(t.tariff_eur)) for t in rows] == [
        ("alfa", False, "38.34"), ("beta", False, "35.97"), ("basistarief", False, "35.97"),
        ("alfa", True, "36.60"), ("beta", True, "34.33"), ("basistarief", True, "34.33")]
    return rows


def _with(rows: list, variant: str, micro: bool, eur: str) -> list:
    return [dataclasses.replace(t, tariff_eur=D(eur)) if (t.variant, t.micro) == (variant, micro) else t for t in rows]


# --------------------------------------------------------------------------- basistarief = the lowest CAO tariff


def test_basistarief_above_a_cao_tariff(dag01) -> None:
    rows = _with(dag01, "basistarief", False, "36.50")  # above beta 35.97, below alfa 38.34
    (b,) = checks.basistarief_above_cao(rows)
    assert (b.code, b.micro, [t.variant for t in b.below]) == ("DAG01", False, ["beta"])
    (p,) = breach_problems([b], 2025, blocking=True)
    assert str(p) == (f"FOUT {P_VERB} [DAG01]: basistarief 36.50 ligt boven het beta-tarief 35.97: het basistarief "
                      f"hoort het laagste te zijn")
    assert finding(b) == Finding("basistarief", "fout", "DAG01", "basistarief 36.50 ligt boven het laagste CAO-tarief",
                                 (("beta", "35.97"),))


def test_basistarief_equal_to_the_lowest_is_no_breach(dag01) -> None:
    assert checks.basistarief_above_cao(dag01) == []  # 35.97 = beta
    assert checks.basistarief_above_cao(_with(dag01, "basistarief", True, "34.32")) == []  # below is no breach


def test_micro_basistarief_above_a_micro_cao_tariff(dag01) -> None:
    (b,) = checks.basistarief_above_cao(_with(dag01, "basistarief", True, "34.34"))  # above micro beta 34.33
    assert (b.code, b.micro) == ("DAG01", True)
    assert "(micro)" in finding(b).message and "(micro)" in breach_problems([b], 2025, blocking=False)[0].message


# --------------------------------------------------------------------------- micro <= regular


def test_micro_above_regular(dag01) -> None:
    (b,) = checks.micro_above_regular(_with(dag01, "alfa", True, "38.35"))  # regular alfa 38.34
    assert (b.code, b.variant, b.regular.tariff_eur, b.micro.tariff_eur) == ("DAG01", "alfa", D("38.34"), D("38.35"))
    (p,) = breach_problems([b], 2025, blocking=True)
    assert (p.file, p.where, p.severity) == ("parameters/cost_model.yaml", "overhead.rate_micro", "error")
    assert "het microtarief van DAG01 / alfa (38.35) ligt boven het gewone tarief (38.34)" in p.message
    assert finding(b) == Finding("micro", "fout", "DAG01/alfa", "micro-tarief 38.35 ligt boven het reguliere tarief 38.34")


def test_micro_equal_to_regular_is_no_breach(dag01) -> None:
    assert checks.micro_above_regular(dag01) == []
    assert checks.micro_above_regular(_with(dag01, "alfa", True, "38.34")) == []


def test_variant_groups_are_counted_per_product_version_and_micro(dag01, mini_region) -> None:
    assert list(checks.variant_groups(dag01)) == [("DAG01", "", False), ("DAG01", "", True)]
    assert len(checks.variant_groups(price_book(mini_region, 2025).tariffs)) == 8  # 4 products x regular/micro


# --------------------------------------------------------------------------- validate and audit report alike


def _validate(runner, root: Path, year: int) -> list[str]:
    result = runner.invoke(main, ["validate", "--data", str(root), "--year", str(year)])
    assert result.exit_code == 0, result.output
    return [line for line in result.output.splitlines() if line.startswith("WAARSCHUWING")]


def _reported(runner, root: Path, year: int) -> tuple[list[str], list[Finding], list[checks.Breach]]:
    """What validate prints and the audit finds of the rules, and the rules' own result on the book."""
    region = load_region(root)
    book = price_book(region, year)
    indexed = any(t.steps for t in book.tariffs)
    recalibrated = calibrated_book(region, year) if indexed else None
    threshold = checks.recalibration_threshold(region, year)
    breaches = checks.book_checks(region, book.tariffs, recalibrated.tariffs if recalibrated else None,
                                 threshold).breaches
    lines = _validate(runner, root, year)
    found = [f for f in build_audit(region, year).findings if f.kind in RULE_KINDS]
    # The same breaches, each in its own presentation: validate's lines and the audit's findings.
    presented = [str(p) for p in breach_problems(breaches, year, blocking=False)]
    assert [line for line in lines if line in presented] == presented
    assert sorted(found, key=lambda f: (f.kind, f.subject)) == sorted((finding(b) for b in breaches),
                                                                     key=lambda f: (f.kind, f.subject))
    return lines, found, breaches


def test_lighter_twin_cheaper_per_staff_hour(mini_copy, runner) -> None:
    """UUR01 (mbo/hbo 50/50) declared the specialisation of MIN01 (hbo only): C_mix alfa 47.9081 < 55.0058."""
    edit_product(mini_copy / P_AMB, "UUR01", "    no_show: true\n", "    no_show: true\n    lighter_twin: MIN01\n")
    lines, found, breaches = _reported(runner, mini_copy, 2025)
    twins = [b for b in breaches if isinstance(b, checks.TwinCheaper)]
    assert [(b.code, b.twin, b.cao) for b in twins] == [("UUR01", "MIN01", "alfa"), ("UUR01", "MIN01", "beta")]
    assert (round(twins[0].heavy, 4), round(twins[0].light, 4)) == (D("47.9081"), D("55.0058"))
    assert next(ln for ln in lines if "TAR-16" in ln) == (
        f"WAARSCHUWING {P_AMB} [UUR01.lighter_twin]: UUR01 (alfa) kost 47.91 per personeelsuur, minder dan het lichtere "
        f"product MIN01 met 55.01 in 2025: een perverse prikkel (TAR-16)")
    assert sorted(f.subject for f in found if f.kind == "perverse-prikkel") == ["UUR01/alfa", "UUR01/beta"]


def test_lighter_twin_dearer_is_no_breach(mini_copy, runner) -> None:
    edit_product(mini_copy / P_AMB, "MIN01", "    no_show: true\n", "    no_show: true\n    lighter_twin: UUR01\n")
    lines, found, breaches = _reported(runner, mini_copy, 2025)
    assert not [b for b in breaches if isinstance(b, checks.TwinCheaper)]
    assert not [ln for ln in lines if "TAR-16" in ln] and not [f for f in found if f.kind == "perverse-prikkel"]


def test_wage_below_the_cao_scale(mini_path, runner) -> None:
    """alfa mbo: 3000 < 0.97 x 3250 = 3152.50."""
    lines, found, breaches = _reported(runner, mini_path, 2025)
    assert [(b.cao, b.profile, b.monthly, b.mean) for b in breaches] == [("alfa", "mbo", D("3000"), D("3250"))]
    assert lines == ["WAARSCHUWING cao_tables/alfa/function_map.yaml [profiles.mbo]: het gewogen maandsalaris van mbo "
                     "(alfa, schaal A) is € 3.000,00, meer dan 3% onder het schaalgemiddelde € 3.250,00 in 2025: "
                     "niet reëel"]
    assert [f.subject for f in found] == ["alfa/mbo"]


def test_wage_at_the_floor_is_no_breach(mini_copy, runner) -> None:
    """Steps 1 and 2 at 0.695 / 0.305: 3152.50, exactly 97% of the mean: not below."""
    edit(mini_copy / "cao_tables" / "alfa" / "function_map.yaml", '{scale: A, step: "1"}',
         '{scale: A, steps: {"1": 0.695, "2": 0.305}}')
    lines, found, breaches = _reported(runner, mini_copy, 2025)
    assert (lines, found, breaches) == ([], [], [])


def test_indexed_tariff_lagging_the_cao(mini_copy, runner) -> None:
    """2026 not indexed while alfa's table rose 10%: DAG01 alfa 38.34 against 41.85 recalibrated, 8.39% below."""
    (mini_copy / "parameters" / "indexation.yaml").write_text(INDEXATION.format(method="geen"), encoding="utf-8")
    lines, found, breaches = _reported(runner, mini_copy, 2026)
    lags = [b for b in breaches if isinstance(b, checks.IndexLag)]
    assert sorted(b.subject for b in lags) == ["DAG01/alfa", "ETM01/alfa", "MIN01/alfa", "UUR01/alfa"]
    assert f"WAARSCHUWING {P_VERB} [DAG01]: het geïndexeerde tarief alfa € 38,34 ligt 8,39% onder de herberekening " \
           f"€ 41,85 met de CAO-tabellen van 2026: herijk (tariefmodel recalibrate)" in lines
    assert sorted(f.subject for f in found if f.kind == "indexatie-achter-cao") == sorted(b.subject for b in lags)


def test_indexed_tariff_following_the_cao_is_no_breach(mini_copy, runner) -> None:
    (mini_copy / "parameters" / "indexation.yaml").write_text(INDEXATION.format(method="cao"), encoding="utf-8")
    lines, _found, breaches = _reported(runner, mini_copy, 2026)
    assert not [b for b in breaches if isinstance(b, checks.IndexLag)]
    assert not [ln for ln in lines if "herberekening" in ln] and not [f for f in _found if f.kind == "indexatie-achter-cao"]
