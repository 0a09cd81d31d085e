"""The statutory minimum wage (WML) as a floor under the CAO salary cells (loader.wml_floor).

The mini region's CAO alfa has a 36-hour week, so an hourly WML becomes hourly x 36 x 52 / 12 = hourly x 156
a month. Its WML file (tests/fixtures/mini_region/parameters/minimum_wage.yaml) has, among others:
2023-07-01 EUR 1.995,00 a month; 2024-01-01 EUR 13,27 (x 156 = 2.070,12); 2024-07-01 EUR 13,68 (2.134,08);
2025-01-01 EUR 14,06 (2.193,36); 2025-07-01 EUR 14,40 (2.246,40).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariefmodel.cli import main
from tariefmodel.data.bundled import bundled_region
from tariefmodel.engine.book import price_book
from tariefmodel.engine.pricing import Pricer
from tariefmodel.loader.load import load_region
from tariefmodel.loader.wml_floor import published_tables
from tests.conftest import edit

ALFA = "cao_tables/alfa/schalen_2024-01-01.csv"
ALFA_TABLES = "cao_tables/alfa/tables.yaml"
HBH_2026 = "cao_tables/vvt/hulp_bij_huishouden_2026-01-01.csv"
D = dt.date


@pytest.fixture
def mini(mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TARIEFMODEL_CACHE_DIR", str(tmp_path / "cache"))
    return mini_copy


@pytest.fixture(scope="module")
def bundled():
    return load_region(bundled_region())


def validate(root: Path) -> str:
    result = CliRunner().invoke(main, ["validate", "--data", str(root)])
    assert result.exit_code == 0, result.output
    return result.output


# ----------------------------------------------------------------------------- the mini region


def test_a_cell_below_the_wml_of_the_tables_own_date_is_lifted_with_a_warning(mini: Path) -> None:
    # 2000,00 >= 1.995,00 (the WML the day before, 2023-12-31): no typo; < 13,27 x 156 = 2.070,12 from 2024-01-01
    edit(mini / ALFA, "A,1,3000.00", "A,1,2000.00")
    out = validate(mini)
    assert "WAARSCHUWING" in out
    warning = next(line for line in out.splitlines() if "minimumloon" in line)
    for part in (ALFA, "rij 3", "schaal A trede 1", "€ 2.000,00", "€ 13,27 per uur x 36 uur x 52 / 12 = € 2.070,12",
                 "vanaf 01-01-2024 rekent het model met € 2.070,12", "Wet minimumloon en minimumvakantiebijslag"):
        assert part in warning, part
    cao = load_region(mini, use_cache=False).caos["alfa"]
    got = cao.salary("A", "1", D(2024, 1, 1))
    assert got.monthly_eur == Decimal("2070.12")
    assert got.derived and got.table_file == f"{ALFA} (WML-bodem per 01-01-2024)"
    assert got.note == "opgetrokken tot het wettelijk minimumloon per 01-01-2024 (CAO-bedrag € 2.000,00)"
    # the lifted table replaces the published one on its own date: the other cells are the CAO's, without a note
    other = cao.salary("A", "2", D(2024, 1, 1))
    assert other.monthly_eur == Decimal("3500.00") and other.note == ""
    lifted = next(t for t in cao.tables if t.file == got.table_file)
    assert lifted.source.startswith("afgeleid: cellen onder het wettelijk minimumloon per 01-01-2024 opgetrokken "
                                    "tot € 2.070,12 (Wet minimumloon en minimumvakantiebijslag art. 7 en 8")
    assert "source: testdata CAO alfa" in lifted.source  # and the published table's own source line
    assert not any(t.file == ALFA for t in cao.tables)
    assert next(t.file for t in published_tables(cao) if t.kind == "scales") == ALFA


def test_a_table_is_lifted_from_every_later_wml_date_until_the_next_table(mini: Path) -> None:
    # 2100,00: above 2.070,12 on its own date; below 13,68 x 156 = 2.134,08 from 2024-07-01 and
    # 14,06 x 156 = 2.193,36 from 2025-01-01; the (derived) table of 2025-07-01 (3.300,00) then replaces it.
    edit(mini / ALFA, "A,1,3000.00", "A,1,2100.00")
    out = validate(mini)
    assert out.count("schaal A trede 1: maandbedrag € 2.100,00 ligt onder het wettelijk minimumloon") == 2
    cao = load_region(mini, use_cache=False).caos["alfa"]
    expect = {D(2024, 6, 30): ("2100.00", ALFA), D(2024, 7, 1): ("2134.08", f"{ALFA} (WML-bodem per 01-07-2024)"),
              D(2024, 12, 31): ("2134.08", f"{ALFA} (WML-bodem per 01-07-2024)"),
              D(2025, 1, 1): ("2193.36", f"{ALFA} (WML-bodem per 01-01-2025)"),
              D(2025, 7, 1): ("3300.00", "cao_tables/alfa/DERIVED_schalen_2025-07-01.csv")}
    for day, (amount, file) in expect.items():
        got = cao.salary("A", "1", day)
        assert (got.monthly_eur, got.table_file) == (Decimal(amount), file), day
    # each lift is made from the published table, not from the lift before it
    lifts = [t for t in cao.tables if t.lifted_from is not None]
    assert {t.lifted_from.file for t in lifts} == {ALFA}
    assert {t.effective: t.lifted for t in lifts} == {D(2024, 7, 1): {("A", "1"): Decimal("2100.00")},
                                                       D(2025, 1, 1): {("A", "1"): Decimal("2100.00")}}


def test_a_cell_below_the_wml_already_in_force_before_the_table_is_a_typo(mini: Path, tmp_path: Path) -> None:
    # 1.990,00 < 1.995,00, the WML of 2023-07-01 still in force on 2023-12-31: never negotiated, refused
    edit(mini / ALFA, "A,1,3000.00", "A,1,1990.00")
    result = CliRunner().invoke(main, ["calculate", "--data", str(mini), "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 2, result.output
    assert "WML per 01-07-2023: € 1.995,00 per maand" in result.output
    assert "vóór de ingangsdatum 01-01-2024" in result.output and "tikfout" in result.output
    assert "rekent het model met" not in result.output  # no lift warning next to the error
    assert not (tmp_path / "x.csv").exists()


def test_cao_raise_builds_on_the_published_table_not_on_the_lift(mini: Path) -> None:
    from tariefmodel.upkeep.caotables import raise_tables

    edit(mini / ALFA, "A,1,3000.00", "A,1,2100.00")  # lifted to 2.193,36 from 2025-01-01 (above)
    text = (mini / ALFA_TABLES).read_text(encoding="utf-8")
    (mini / ALFA_TABLES).write_text("\n".join(ln for ln in text.splitlines() if "DERIVED_" not in ln) + "\n",
                                    encoding="utf-8")
    (mini / "cao_tables/alfa/DERIVED_schalen_2025-07-01.csv").unlink()
    # from 2025-03-01 the table valid the day before is the lift of 2025-01-01; the raise takes the CAO's own
    # 2.100,00 x 1,10 = 2.310,00 (not 2.193,36 x 1,10 = 2.412,70) and names the published file
    change = raise_tables(mini, "alfa", Decimal("10"), D(2025, 3, 1), "Akkoord alfa")
    csv = change.files["cao_tables/alfa/DERIVED_schalen_2025-03-01.csv"].decode()
    assert "A,1,2310.00\n" in csv and "afgeleid van schalen_2024-01-01.csv" in csv.splitlines()[0]


# ----------------------------------------------------------------------------- the bundled region


def test_hbh_step_0_of_2026_is_the_wml(bundled) -> None:
    cao = bundled.caos["vvt"]
    # 14,71 x 36 x 52 / 12 = 14,71 x 156 = 2.294,76 (the CAO table says 2.279,18, EUR 15,58 less)
    got = cao.salary("HbH", "0", D(2026, 1, 1))
    assert got.monthly_eur == Decimal("2294.76") == Decimal("14.71") * 156
    assert got.derived and got.note == "opgetrokken tot het wettelijk minimumloon per 01-01-2026 (CAO-bedrag € 2.279,18)"
    # the day before: the table of 2025-07-01, 2.279,18 above 14,40 x 156 = 2.246,40, untouched
    before = cao.salary("HbH", "0", D(2025, 12, 31))
    assert (before.monthly_eur, before.derived, before.note) == (Decimal("2279.18"), False, "")


def test_a_table_agreed_after_the_wml_raise_and_above_it_is_untouched(bundled) -> None:
    # HbH of 2026-07-01: step 0 2.358,95 > 2.294,76 (the WML then in force): the published file itself
    got = bundled.caos["vvt"].salary("HbH", "0", D(2026, 7, 1))
    assert (got.monthly_eur, got.table_file, got.derived, got.note) == (
        Decimal("2358.95"), "cao_tables/vvt/hulp_bij_huishouden_2026-07-01.csv", False, "")
    lifted = [t.file for c in bundled.caos.values() for t in c.tables if t.lifted_from is not None]
    assert lifted == [f"{HBH_2026} (WML-bodem per 01-01-2026)"]  # the only lift in the bundled data


def _rebuilt(region, code: str = "01A01"):
    bp = next(b for b in region.products if b.product.code == code)
    return Pricer(region, 2026, 2025).price(bp, "vvt", reason="test")


def test_hbh_2026_tariff_rises_by_the_hand_computed_amount(bundled) -> None:
    # The HbH tariff of 2026 follows the CAO: 2025 parameters, the CAO tables of 1-1-2026 (engine.indexed).
    unfloored = dataclasses.replace(bundled, caos={**bundled.caos, "vvt": dataclasses.replace(
        bundled.caos["vvt"], tables=tuple(published_tables(bundled.caos["vvt"])))})
    old, new = _rebuilt(unfloored).built, _rebuilt(bundled).built
    o, n = old.staff[0].cost, new.staff[0].cost
    # M: 25% of step 0 rises by 15,58: + 3,895 a month; G: x 12 = + 46,74 a year
    assert n.monthly_salary - o.monthly_salary == Decimal("3.895")
    assert n.annual_salary - o.annual_salary == Decimal("46.74")
    # holiday allowance and year-end bonus of step 0 stay at their minimum (8% x 12 x 2.294,76 = 2.202,97 <
    # 2.565,07; 8,33% x 12 x 2.294,76 = 2.293,84 < 2.708,61): L rises by 46,74 only
    assert n.holiday_allowance == o.holiday_allowance and n.year_end_bonus == o.year_end_bonus
    # employer charges 19% + 0,5% + 12,9% on it (both franchises far below): A + 46,74 x 1,324 = + 61,88376
    assert n.employer_cost - o.employer_cost == Decimal("61.88376")
    # C: / 1.466,342 productive hours; + 5% travel time, x 1,20 overhead, x 1,02 profit and risk:
    # 61,88376 / 1.466,342 x 1,05 x 1,2 x 1,02 = 0,0542378...; 41,5939 -> 41,6481 unrounded, 41,59 -> 41,65
    book = price_book(bundled, 2026)
    row = next(t for t in book.tariffs if t.product.product.code == "01A01" and t.variant == "vvt" and not t.micro)
    assert (_rebuilt(unfloored).tariff_eur, row.tariff_eur) == (Decimal("41.59"), Decimal("41.65"))
    delta = Decimal("61.88376") / Decimal("1466.342") * Decimal("1.05") * Decimal("1.2") * Decimal("1.02")
    assert abs(new.unrounded - old.unrounded - delta) \
        < Decimal("1e-20")


def test_the_vectorised_path_sees_the_lift(bundled) -> None:
    from tariefmodel.scenarios.vectorised import Model

    model = Model(bundled, [2026])
    values = model.evaluate(model.space.matrix(1))[2026][0]
    book = price_book(bundled, 2026)
    i = next(i for i, t in enumerate(book.tariffs)
             if t.product.product.code == "01A01" and t.variant == "vvt" and not t.micro)
    assert round(values[i] * 100) == 4165  # EUR 41,65, the exact path's tariff (see the test above)


def test_explain_and_audit_show_the_lift(bundled) -> None:
    from tariefmodel.trail.audit import build_audit
    from tariefmodel.trail.explain import to_text

    book = price_book(bundled, 2026)
    row = next(t for t in book.tariffs if t.product.product.code == "01A01" and t.variant == "vvt" and not t.micro)
    text = to_text(row, {k: c.meta.name for k, c in bundled.caos.items()})
    assert ("salaris huishoudelijk-medewerker schaal HbH trede 0 x 25,00%: € 2.294,76 "
            f"[{HBH_2026} (WML-bodem per 01-01-2026); opgetrokken tot het wettelijk minimumloon per 01-01-2026 "
            "(CAO-bedrag € 2.279,18)]") in text
    found = [f for f in build_audit(bundled, 2026).findings if f.kind == "wml-bodem"]
    assert [(f.severity, f.subject, f.figures) for f in found] == [
        ("waarschuwing", f"{HBH_2026} (WML-bodem per 01-01-2026)",
         (("schaal HbH trede 0", "CAO € 2.279,18, minimumloon € 2.294,76"),))]
    assert not [f for f in build_audit(bundled, 2027).findings if f.kind == "wml-bodem"]


@pytest.mark.parametrize(("pct", "expected", "still_lifted"), [
    # 2.279,18 x 1,01 = 2.301,9718 -> 2.301,97: above the WML 2.294,76, so the CAO amount holds again
    ("0.01", "2301.97", False),
    # 2.279,18 x 1,005 = 2.290,5759 -> 2.290,58: still below 2.294,76, so the WML stays the floor
    ("0.005", "2294.76", True),
])
def test_a_scenario_raise_raises_the_cao_amount_not_the_floor(bundled, pct, expected, still_lifted) -> None:
    from tariefmodel.scenarios.overrides import raise_cao

    raised = raise_cao(bundled.caos["vvt"], Decimal(pct), None, True, "scenario")
    got = raised.salary("HbH", "0", D(2026, 1, 1))
    assert got.monthly_eur == Decimal(expected)
    assert bool(got.note) == still_lifted
    # an unlifted cell is simply raised: step 1 2.375,32 x 1,01 = 2.399,0732 -> 2.399,07
    if pct == "0.01":
        assert raised.salary("HbH", "1", D(2026, 1, 1)).monthly_eur == Decimal("2399.07")
