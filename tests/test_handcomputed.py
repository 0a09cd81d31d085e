"""Every tariff of the mini region, computed by hand and compared with the engine to the cent.

The mini region (tests/fixtures/mini_region) uses round numbers:

cost model (all from 2024-01-01)
    employer charges: social 20% of L; pension 10% of (L - franchise 10000)
    productivity 'standaard' = fraction 0.75; 'ambulant' = H - 150 h - 5% of H - 10% of H
    overhead 10% mark-up (micro 5%); no-show 5% divide; profit and risk 2%; rounding 2 decimals;
    minute tariff from_hour; dagdeel 4 h
    client costs: reistijd +10% of direct staff; km 2.00 per staff hour; materiaal 2.50 per unit;
    huisvesting 36500 per place per year / 365 = 100.00 per etmaal
CAO alfa (scales; 1800 h/year; holiday 8% min 250/month = 3000/year; year-end 8% of salary)
    schalen_2024-01-01.csv: A1 3000, A2 3500, B1 4000, B2 4500
    DERIVED_schalen_2025-07-01.csv (+10%): A1 3300, A2 3850, B1 4400, B2 4950
    mbo -> A step 1; hbo -> B, 50% step 1 + 50% step 2
    ORT slot rates: avond 20%, nacht 40%, zaterdag 30%, zondag 50% (used only where a product has a slot profile)
CAO beta (series + scale map; 2000 h/year; holiday 8% at least 8% of number 12;
          year-end 10% of salary + holiday)
    series: 10 -> 2800, 11 -> 3200, 12 -> 3600, 13 -> 4000
    scale map: FWG35/0 -> 10, FWG35/1 -> 11, FWG45/0 -> 12, FWG45/1 -> 13
    mbo -> FWG35, 50% step 0 + 50% step 1; hbo -> FWG45 step 1
    ORT slot rates: avond 20%, nacht 20%, zaterdag 20%, zondag 40%

Cost per productive hour per profile (C = A / productive hours)
alfa mbo: M 3000; G = 12 x 3000 = 36000; holiday max(8% x 36000 = 2880, 3000) = 3000 (minimum binds);
          year-end 8% x 36000 = 2880; L = 36000 + 3000 + 2880 = 41880;
          social 20% x 41880 = 8376; pension 10% x (41880 - 10000) = 3188; A = 41880 + 8376 + 3188 = 53444;
          H = 1800 x 0.75 = 1350; C = 53444 / 1350 = 39.5881481481...
alfa hbo: M = 0.5 x 4000 + 0.5 x 4500 = 4250; G = 51000; holiday max(4080, 3000) = 4080; year-end 4080;
          L = 59160; social 11832; pension 10% x 49160 = 4916; A = 75908;
          standaard: C = 75908 / 1350 = 56.2281481481...
          ambulant: H = 1800 - 150 - 90 - 180 = 1380; C = 75908 / 1380 = 55.0057971014...
alfa mbo with ORT 10%: ORT = 10% x 36000 = 3600; L = 41880 + 3600 = 45480; social 9096;
          pension 10% x 35480 = 3548; A = 58124; C = 58124 / 1350 = 43.0548148148...
beta mbo: M = 0.5 x 2800 + 0.5 x 3200 = 3000; G = 36000; holiday minimum 8% x 12 x 3600 = 3456 > 2880
          -> 3456; year-end 10% x (36000 + 3456) = 3945.60; L = 43401.60; social 8680.32;
          pension 10% x 33401.60 = 3340.16; A = 55422.08; H = 2000 x 0.75 = 1500; C = 36.9480533333...
beta hbo: M 4000; G 48000; holiday max(3840, 3456) = 3840; year-end 10% x 51840 = 5184; L = 57024;
          social 11404.80; pension 4702.40; A = 73131.20; standaard C = 73131.20 / 1500 = 48.7541333333...;
          ambulant H = 2000 - 150 - 100 - 200 = 1550, C = 73131.20 / 1550 = 47.1814193548...
beta mbo with ORT 10%: L = 43401.60 + 3600 = 47001.60; social 9400.32; pension 3700.16;
          A = 60102.08; C = 60102.08 / 1500 = 40.0680533333...
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import edit

from tariefmodel.engine.book import price_book
from tariefmodel.engine.pricing import Pricer, Tariff
from tariefmodel.loader.load import load_region

D = Decimal
TOL = D("0.00000001")


def close(value: Decimal, expected: str) -> bool:
    """Equal to a hand value written to 10 decimals (the engine keeps 28 digits)."""
    return abs(value - D(expected)) < TOL


@pytest.fixture(scope="module")
def book2025(mini_region) -> dict[tuple[str, str], Tariff]:
    book = price_book(mini_region, 2025)
    return {(t.product.product.code, t.variant): t for t in book.tariffs if t.kind == "cao" and not t.micro}


def test_book_has_every_product_under_both_caos(book2025) -> None:
    assert sorted(book2025) == sorted(
        (code, cao) for code in ("MIN01", "UUR01", "DAG01", "ETM01") for cao in ("alfa", "beta"))


# --------------------------------------------------------------- profile costs, step by step


def test_profile_alfa_mbo_every_figure(book2025) -> None:
    t = book2025[("DAG01", "alfa")]
    (line,) = t.staff
    pc = line.cost
    assert pc.scale == "A"
    assert [(s.step, s.lookup.monthly_eur) for s in pc.steps] == [("1", D("3000.00"))]
    assert pc.steps[0].lookup.table_file == "cao_tables/alfa/schalen_2024-01-01.csv"
    assert pc.monthly_salary == D(3000)
    assert pc.annual_salary == D(36000)  # 12 x 3000
    assert pc.holiday_minimum == D(3000)  # 250 x 12
    assert pc.holiday_allowance == D(3000)  # max(2880, 3000): the minimum binds
    assert pc.year_end_bonus == D(2880)  # 8% x 36000 (on salary only)
    assert pc.irregular_hours == 0
    assert pc.wage_cost == D(41880)  # 36000 + 3000 + 2880
    assert dict(pc.charges) == {"Sociale lasten": D(8376), "Pensioen": D(3188)}  # 20% x 41880; 10% x 31880
    assert pc.employer_cost == D(53444)
    assert pc.contract_hours == D(1800)
    assert pc.productive_hours == D(1350)  # 1800 x 0.75
    assert pc.productivity == D("0.75")
    assert pc.cost_per_productive_hour == D(53444) / D(1350)


def test_profile_alfa_hbo_step_distribution_and_breakdown(book2025) -> None:
    t = book2025[("MIN01", "alfa")]
    (line,) = t.staff
    pc = line.cost
    assert pc.scale == "B"
    assert {s.step: (s.weight, s.lookup.monthly_eur) for s in pc.steps} == {
        "1": (D("0.5"), D("4000.00")), "2": (D("0.5"), D("4500.00"))}
    assert pc.monthly_salary == D(4250)  # 0.5 x 4000 + 0.5 x 4500
    assert pc.holiday_allowance == D(4080)  # 8% x 51000 = 4080 > 3000
    assert pc.year_end_bonus == D(4080)
    assert pc.employer_cost == D(75908)  # 59160 + 11832 + 4916
    assert [h for _, h in pc.deductions] == [D(150), D(90), D(180)]  # 150 h; 5% x 1800; 10% x 1800
    assert pc.productive_hours == D(1380)
    assert pc.cost_per_productive_hour == D(75908) / D(1380)


def test_profile_alfa_mbo_with_ort(book2025) -> None:
    pc = book2025[("ETM01", "alfa")].staff[0].cost
    assert pc.irregular_hours_rate == D("0.10")
    assert pc.irregular_hours == D(3600)  # 10% x 36000
    assert pc.holiday_allowance == D(3000)  # ORT does not raise the holiday allowance
    assert pc.wage_cost == D(45480)  # 36000 + 3000 + 2880 + 3600
    assert pc.employer_cost == D(58124)  # 45480 + 9096 + 3548
    assert pc.cost_per_productive_hour == D(58124) / D(1350)


def test_profile_beta_series_scale_map_and_minimum_by_number(book2025) -> None:
    pc = book2025[("DAG01", "beta")].staff[0].cost
    assert pc.scale == "FWG35"
    assert {s.step: (s.lookup.number, s.lookup.monthly_eur) for s in pc.steps} == {
        "0": (10, D("2800.00")), "1": (11, D("3200.00"))}
    assert pc.steps[0].lookup.table_file == "cao_tables/beta/reeks_2024-01-01.csv"
    assert pc.steps[0].lookup.map_file == "cao_tables/beta/schaalindeling_2024-01-01.csv"
    assert pc.monthly_salary == D(3000)
    assert pc.holiday_minimum == D(3456)  # 8% x 12 x 3600 (number 12)
    assert pc.holiday_allowance == D(3456)  # 2880 < 3456
    assert pc.year_end_bonus == D("3945.60")  # 10% x (36000 + 3456)
    assert pc.wage_cost == D("43401.60")
    assert dict(pc.charges) == {"Sociale lasten": D("8680.32"), "Pensioen": D("3340.16")}
    assert pc.employer_cost == D("55422.08")
    assert pc.productive_hours == D(1500)  # 2000 x 0.75
    assert close(pc.cost_per_productive_hour, "36.9480533333")

    hbo = book2025[("UUR01", "beta")].staff[1].cost
    assert hbo.profile == "hbo"
    assert hbo.steps[0].lookup.number == 13
    assert hbo.holiday_allowance == D(3840)  # 8% x 48000 = 3840 > 3456
    assert hbo.year_end_bonus == D(5184)  # 10% x (48000 + 3840)
    assert hbo.employer_cost == D("73131.20")  # 57024 + 11404.80 + 4702.40


# --------------------------------------------------------------- per product: alfa


def test_minute_alfa(book2025) -> None:
    t = book2025[("MIN01", "alfa")]
    # built per hour: hbo 100%, ambulant norm: C = 55.0057971014
    # direct = 55.0057971014 (1 h / group 1, no client costs)
    # overhead x 1.10 = 60.5063768116; no-show / 0.95 = 63.6909229596; profit x 1.02 = 64.9647414188
    # hour tariff ROUND(64.9647; 2) = 64.96; minute = ROUND(64.96 / 60 = 1.082666...; 2) = 1.08
    assert close(t.cost_per_staff_hour, "55.0057971014")
    assert t.staff_hours_per_unit == 1
    assert close(t.direct_cost, "55.0057971014")
    assert close(t.cost_incl_overhead, "60.5063768116")
    assert close(t.cost_price, "63.6909229596")
    assert close(t.unrounded, "64.9647414188")
    assert t.hour_tariff == D("64.96")
    assert t.tariff_eur == D("1.08")
    assert t.eurocent == 108


def test_hour_alfa(book2025) -> None:
    t = book2025[("UUR01", "alfa")]
    # Cmix = 0.5 x 39.5881481481 + 0.5 x 56.2281481481 = 47.9081481481
    # D = 47.9081481481 x 1 h / 1; travel 10% = 4.7908148148; km 2.00 x 1 / 1 = 2.00
    # direct = 47.9081481481 + 4.7908148148 + 2.00 = 54.6989629630
    # overhead x 1.10 = 60.1688592593; no-show / 0.95 = 63.3356413255; profit x 1.02 = 64.6023541520 -> 64.60
    assert close(t.cost_per_staff_hour, "47.9081481481")
    assert close(t.direct_staff_cost, "47.9081481481")
    assert close(t.travel_time_cost, "4.7908148148")
    assert t.client_costs_total == D("2.00")
    assert close(t.direct_cost, "54.6989629630")
    assert close(t.overhead, "5.4698962963")
    assert close(t.cost_incl_overhead, "60.1688592593")
    assert close(t.no_show, "3.1667820663")
    assert close(t.cost_price, "63.3356413255")
    assert close(t.unrounded, "64.6023541520")
    assert t.hour_tariff is None
    assert t.tariff_eur == D("64.60")
    assert t.eurocent == 6460


def test_dagdeel_alfa(book2025) -> None:
    t = book2025[("DAG01", "alfa")]
    # D = 39.5881481481 x 4 h / group 5 = 31.6705185185; materiaal 2.50 -> direct 34.1705185185
    # overhead x 1.10 = 37.5875703704; no no-show; profit x 1.02 = 38.3393217778 -> 38.34
    assert t.staff_hours_per_unit == D(4)
    assert t.group_size == D(5)
    assert close(t.direct_staff_cost, "31.6705185185")
    assert t.client_costs_total == D("2.50")
    assert close(t.direct_cost, "34.1705185185")
    assert t.no_show_rate == 0 and t.no_show == 0
    assert close(t.cost_price, "37.5875703704")
    assert close(t.unrounded, "38.3393217778")
    assert t.tariff_eur == D("38.34")


def test_etmaal_alfa(book2025) -> None:
    t = book2025[("ETM01", "alfa")]
    # C (mbo, ORT 10%) = 43.0548148148; D = 43.0548148148 x 24 h / group 4 = 258.3288888889
    # huisvesting 36500 / 365 = 100.00 -> direct 358.3288888889
    # overhead x 1.10 = 394.1617777778; profit x 1.02 = 402.0450133333 -> 402.05
    assert close(t.direct_staff_cost, "258.3288888889")
    assert [(c.key, c.amount_per_unit) for c in t.client_costs] == [("huisvesting", D(100))]
    assert close(t.direct_cost, "358.3288888889")
    assert close(t.cost_price, "394.1617777778")
    assert close(t.unrounded, "402.0450133333")
    assert t.tariff_eur == D("402.05")
    assert t.eurocent == 40205


# --------------------------------------------------------------- per product: beta


def test_all_tariffs_both_caos(book2025) -> None:
    expected = {
        # MIN01 beta: 47.1814193548 x 1.1 / 0.95 x 1.02 = 55.7237394907 -> hour 55.72; 55.72 / 60 = 0.92866 -> 0.93
        ("MIN01", "alfa"): ("1.08", "64.96"),
        ("MIN01", "beta"): ("0.93", "55.72"),
        # UUR01 beta: Cmix (36.9480533333 + 48.7541333333) / 2 = 42.8510933333; + 10% travel 4.2851093333 + 2.00
        #   = 49.1362026667; x 1.1 = 54.0498229333; / 0.95 = 56.8945504561; x 1.02 = 58.0324414653 -> 58.03
        ("UUR01", "alfa"): ("64.60", None),
        ("UUR01", "beta"): ("58.03", None),
        # DAG01 beta: 36.9480533333 x 4 / 5 = 29.5584426667 + 2.50 = 32.0584426667; x 1.1 x 1.02 = 35.9695726720
        ("DAG01", "alfa"): ("38.34", None),
        ("DAG01", "beta"): ("35.97", None),
        # ETM01 beta: 40.0680533333 x 24 / 4 = 240.40832 + 100 = 340.40832; x 1.1 x 1.02 = 381.93813504 -> 381.94
        ("ETM01", "alfa"): ("402.05", None),
        ("ETM01", "beta"): ("381.94", None),
    }
    got = {k: (f"{t.tariff_eur}", None if t.hour_tariff is None else f"{t.hour_tariff}") for k, t in book2025.items()}
    assert got == expected
    for t in book2025.values():
        assert isinstance(t.tariff_eur, Decimal)
        assert t.eurocent == int(t.tariff_eur * 100)


def test_beta_unrounded_values(book2025) -> None:
    assert close(book2025[("MIN01", "beta")].unrounded, "55.7237394907")
    assert close(book2025[("UUR01", "beta")].unrounded, "58.0324414653")
    assert close(book2025[("DAG01", "beta")].unrounded, "35.9695726720")
    assert book2025[("ETM01", "beta")].unrounded == D("381.93813504")  # exact: C x 6 = 60102.08 x 6 / 1500


# --------------------------------------------------------------- variants


def test_micro_variant_uses_lower_overhead(mini_region) -> None:
    pricer = Pricer(mini_region, 2025)
    t = pricer.price(mini_region.product("UUR01"), "alfa", micro=True)
    # direct 54.6989629630 x 1.05 (micro overhead) = 57.4339111111; / 0.95 = 60.4567485380;
    # x 1.02 = 61.6658835088 -> 61.67 (regular: 64.60)
    assert t.overhead_rate == D("0.05")
    assert close(t.unrounded, "61.6658835088")
    assert t.tariff_eur == D("61.67")


def test_group_size_override(mini_region) -> None:
    pricer = Pricer(mini_region, 2025)
    t = pricer.price(mini_region.product("DAG01"), "alfa", group_size=D(4))
    # 39.5881481481 x 4 h / 4 = 39.5881481481 + 2.50 = 42.0881481481; x 1.1 x 1.02 = 47.2229022222 -> 47.22
    assert close(t.unrounded, "47.2229022222")
    assert t.tariff_eur == D("47.22")


# --------------------------------------------------------------- time


def tariffs_by_year(root: Path, years=(2024, 2025, 2026)) -> dict[int, dict[tuple[str, str], Decimal]]:
    region = load_region(root)
    return {y: {(t.product.product.code, t.variant): t.tariff_eur for t in price_book(region, y).tariffs
                if t.kind == "cao" and not t.micro}
            for y in years}


def test_years_2024_and_2025_equal_in_the_mini_region(mini_path) -> None:
    # same parameters and the same CAO table (2024-01-01) on both reference dates
    by_year = tariffs_by_year(mini_path, (2024, 2025))
    assert by_year[2024] == by_year[2025]


def test_later_cao_table_does_not_leak_into_an_earlier_year(mini_region) -> None:
    # reference date 1 January: 2025 uses the table of 2024-01-01 (the DERIVED table of 2025-07-01 is
    # not yet valid); 2026 uses the DERIVED table.
    t25 = Pricer(mini_region, 2025).price(mini_region.product("DAG01"), "alfa")
    t26 = Pricer(mini_region, 2026).price(mini_region.product("DAG01"), "alfa")
    s25, s26 = t25.staff[0].cost.steps[0].lookup, t26.staff[0].cost.steps[0].lookup
    assert (s25.table_file, s25.monthly_eur, s25.derived) == ("cao_tables/alfa/schalen_2024-01-01.csv", D("3000.00"), False)
    assert (s26.table_file, s26.monthly_eur, s26.derived) == (
        "cao_tables/alfa/DERIVED_schalen_2025-07-01.csv", D("3300.00"), True)
    assert s26.table_effective == dt.date(2025, 7, 1)
    # DAG01 alfa 2026: M 3300; G 39600; holiday max(3168, 3000) = 3168; year-end 3168; L = 45936;
    # social 9187.20; pension 10% x 35936 = 3593.60; A = 58716.80; C = 58716.80 / 1350 = 43.4939259259;
    # D = C x 4 / 5 = 34.7951407407 + 2.50 = 37.2951407407; x 1.1 x 1.02 = 41.8451479111 -> 41.85
    assert t26.staff[0].cost.employer_cost == D("58716.80")
    assert t26.tariff_eur == D("41.85")
    assert t25.tariff_eur == D("38.34")
    # beta has no later table: its tariffs are the same in 2025 and 2026
    b25 = Pricer(mini_region, 2025).price(mini_region.product("DAG01"), "beta")
    b26 = Pricer(mini_region, 2026).price(mini_region.product("DAG01"), "beta")
    assert b25.tariff_eur == b26.tariff_eur == D("35.97")


def test_dated_parameter_change_affects_only_its_year(mini_path, tmp_path) -> None:
    before = tariffs_by_year(mini_path)
    root = tmp_path / "region"
    shutil.copytree(mini_path, root)
    # overhead 10% until 2025, 20% from 2026 (a second dated value; the first is not overwritten)
    edit(root / "parameters/cost_model.yaml",
         "        value: 0.10\n        source: testdata overhead\n        rationale: Rond getal.\n        status: adopted\n",
         "        value: 0.10\n        source: testdata overhead\n        rationale: Rond getal.\n        status: adopted\n"
         "      - from: 2026-01-01\n        value: 0.20\n        source: testdata overhead 2026\n"
         "        rationale: Verhoogd.\n        status: draft\n")
    after = tariffs_by_year(root)
    assert after[2024] == before[2024]
    assert after[2025] == before[2025]
    assert all(after[2026][k] > before[2026][k] for k in before[2026])
    # DAG01 alfa 2026 with 20%: 37.2951407407 x 1.20 x 1.02 = 45.6492522667 -> 45.65
    assert after[2026][("DAG01", "alfa")] == D("45.65")
    assert before[2026][("DAG01", "alfa")] == D("41.85")


def test_reference_day_change_picks_the_table_of_that_day(mini_path, tmp_path) -> None:
    root = tmp_path / "region"
    shutil.copytree(mini_path, root)
    # from 2025 the CAO tables are read on 1 July: the DERIVED table of 2025-07-01 then holds for 2025
    edit(root / "parameters/cost_model.yaml",
         "      decided_on: 2024-01-01\n      status: adopted\n",
         "      decided_on: 2024-01-01\n      status: adopted\n"
         '    - from: 2025-01-01\n      value: "07-01"\n      source: testdata peildatum 2025\n'
         "      rationale: Peildatum 1 juli.\n      status: draft\n")
    region = load_region(root)
    t24 = Pricer(region, 2024).price(region.product("DAG01"), "alfa")
    t25 = Pricer(region, 2025).price(region.product("DAG01"), "alfa")
    assert t24.staff[0].cost.monthly_salary == D("3000.00")
    assert t25.staff[0].cost.monthly_salary == D("3300.00")
    assert t24.tariff_eur == D("38.34")
    assert t25.tariff_eur == D("41.85")  # the same build-up as 2026 above


# --------------------------------------------------------------- irregular hours (ORT)


def test_ort_slot_profile_follows_each_caos_rates(mini_path, tmp_path) -> None:
    root = tmp_path / "region"
    shutil.copytree(mini_path, root)
    edit(root / "parameters/products/02_verblijf.yaml", "    irregular_hours_rate: 0.10\n",
         "    irregular_hours_profile: {avond: 0.25, nacht: 0.25, zaterdag: 0.10, zondag: 0.10}\n")
    region = load_region(root)
    book = {t.variant: t for t in price_book(region, 2025).tariffs
            if t.product.product.code == "ETM01" and t.kind == "cao" and not t.micro}
    # alfa slot rates avond 20%, nacht 40%, zaterdag 30%, zondag 50%:
    #   ORT rate = 0.25 x 0.20 + 0.25 x 0.40 + 0.10 x 0.30 + 0.10 x 0.50 = 0.05 + 0.10 + 0.03 + 0.05 = 0.23
    #   ORT = 0.23 x 36000 = 8280; L = 41880 + 8280 = 50160; social 10032; pension 10% x 40160 = 4016;
    #   A = 64208; C = 64208 / 1350 = 47.5614814815; D = C x 24 / 4 = 285.3688888889 + 100 = 385.3688888889;
    #   x 1.1 x 1.02 = 432.3838933333 -> 432.38
    pa = book["alfa"].staff[0].cost
    assert pa.irregular_hours_rate == D("0.23")
    assert pa.irregular_hours == D(8280)
    assert pa.employer_cost == D(64208)
    assert close(book["alfa"].unrounded, "432.3838933333")
    assert book["alfa"].tariff_eur == D("432.38")
    # beta slot rates avond 20%, nacht 20%, zaterdag 20%, zondag 40%:
    #   ORT rate = 0.05 + 0.05 + 0.02 + 0.04 = 0.16; ORT = 5760; L = 43401.60 + 5760 = 49161.60;
    #   social 9832.32; pension 10% x 39161.60 = 3916.16; A = 62910.08; C = 62910.08 / 1500 = 41.9400533333;
    #   D = C x 6 = 251.64032 + 100 = 351.64032; x 1.1 x 1.02 = 394.54043904 -> 394.54
    pb = book["beta"].staff[0].cost
    assert pb.irregular_hours_rate == D("0.16")
    assert pb.employer_cost == D("62910.08")
    assert book["beta"].unrounded == D("394.54043904")
    assert book["beta"].tariff_eur == D("394.54")


@pytest.mark.parametrize(("hbo_rostered", "expected"), [(True, "462.92"), (False, "446.39")])
def test_daytime_profile_earns_no_ort(mini_path, tmp_path, hbo_rostered, expected) -> None:
    root = tmp_path / "region"
    shutil.copytree(mini_path, root)
    edit(root / "parameters/products/02_verblijf.yaml", "    staffing: {mbo: 1}\n    staff_hours_per_unit: 24\n",
         "    staffing: {mbo: 0.5, hbo: 0.5}\n    staff_hours_per_unit: 24\n")
    if not hbo_rostered:
        edit(root / "parameters/function_profiles.yaml", "    education: HBO\n",
             "    education: HBO\n    irregular_hours: false\n")
    region = load_region(root)
    t = Pricer(region, 2025).price(region.product("ETM01"), "alfa")
    mbo, hbo = (s.cost for s in t.staff)
    # mbo with 10% ORT: C = 43.0548148148 (as above)
    assert mbo.irregular_hours == D(3600)
    if hbo_rostered:
        # hbo with 10% ORT: ORT 5100; L = 59160 + 5100 = 64260; social 12852; pension 5426; A = 82538;
        # C = 82538 / 1350 = 61.1392592593; Cmix = (43.0548148148 + 61.1392592593) / 2 = 52.0970370370;
        # D = 6 x Cmix = 312.5822222222 + 100 = 412.5822222222; x 1.1 x 1.02 = 462.9172533333 -> 462.92
        assert hbo.irregular_hours == D(5100)
        assert hbo.employer_cost == D(82538)
    else:
        # hbo is a daytime function: no ORT; C = 56.2281481481; Cmix = 49.6414814815;
        # D = 297.8488888889 + 100 = 397.8488888889; x 1.1 x 1.02 = 446.3864533333 -> 446.39
        assert hbo.irregular_hours == 0
        assert hbo.employer_cost == D(75908)
    assert t.tariff_eur == D(expected)


def test_holiday_minimum_applies_per_step(mini_path, tmp_path) -> None:
    root = tmp_path / "region"
    shutil.copytree(mini_path, root)
    edit(root / "cao_tables/alfa/function_map.yaml", 'value: {scale: A, step: "1"}',
         'value: {scale: A, steps: {"1": 0.5, "2": 0.5}}')
    region = load_region(root)
    pc = Pricer(region, 2025).price(region.product("DAG01"), "alfa").staff[0].cost
    assert pc.monthly_salary == D(3250)  # 0.5 x 3000 + 0.5 x 3500
    # per step: step 1 max(8% x 36000 = 2880, 3000) = 3000; step 2 max(8% x 42000 = 3360, 3000) = 3360
    # weighted: 0.5 x 3000 + 0.5 x 3360 = 3180 (not max(8% x mean 39000, 3000) = 3120: the minimum is per employee)
    assert pc.holiday_allowance == D(3180)


# --------------------------------------------------------------- the other conventions, through the engine

_TOTAL_RATE = ("  items:\n", "  total_rate:\n    values:\n      - from: 2024-01-01\n        value: 0.30\n"
                            "        source: testdata totaal\n        rationale: Rond getal.\n  items:\n")
_CPH_DECIMALS = ("  minute_tariff:\n", "  cost_per_hour_decimals:\n    values:\n      - from: 2024-01-01\n"
                                       "        value: 2\n        source: testdata afronding kosten per uur\n"
                                       "        rationale: Hele centen.\n  minute_tariff:\n")


@pytest.mark.parametrize(
    ("edits", "code", "cao", "unrounded", "tariff"),
    [
        # overhead as a share: direct 54.6989629630 / 0.90 = 60.7766255144; / 0.95 = 63.9753952783;
        # x 1.02 = 65.2549031839 -> 65.25 (mark-up: 64.60)
        ([("value: markup\n", "value: share\n")], "UUR01", "alfa", "65.2549031839", "65.25"),
        # no-show as a mark-up: 60.1688592593 x 1.05 = 63.1773022222; x 1.02 = 64.4408482667 -> 64.44
        ([("value: divide\n", "value: markup\n")], "UUR01", "alfa", "64.4408482667", "64.44"),
        # employer charges as one total 30%: A = 41880 x 1.30 = 54444; C = 54444 / 1350 = 40.3288888889;
        # D = C x 4 / 5 = 32.2631111111 + 2.50 = 34.7631111111; x 1.1 x 1.02 = 39.0042106667 -> 39.00
        ([("value: itemised\n", "value: total\n"), _TOTAL_RATE], "DAG01", "alfa", "39.0042106667", "39.00"),
        # cost per hour rounded to cents first: C = ROUND(39.5881481481; 2) = 39.59;
        # D = 39.59 x 4 / 5 = 31.672 + 2.50 = 34.172; x 1.1 x 1.02 = 38.340984 -> 38.34
        ([_CPH_DECIMALS], "DAG01", "alfa", "38.3409840000", "38.34"),
    ],
)
def test_conventions(mini_path, tmp_path, edits, code, cao, unrounded, tariff) -> None:
    root = tmp_path / "region"
    shutil.copytree(mini_path, root)
    for old, new in edits:
        edit(root / "parameters/cost_model.yaml", old, new)
    region = load_region(root)
    t = Pricer(region, 2025).price(region.product(code), cao)
    assert close(t.unrounded, unrounded)
    assert t.tariff_eur == D(tariff)


@pytest.mark.parametrize(
    ("method", "hours", "minutes"),
    [
        # unrounded hours: alfa 64.9647414188, beta 55.7237394907
        # from_hour: 64.96 -> 64.96 / 60 = 1.0827 -> 1.08; 55.72 -> 0.92867 -> 0.93
        ("from_hour", ("64.96", "55.72"), ("1.08", "0.93")),
        # direct: 64.9647 / 60 = 1.08275 -> 1.08; 55.7237 / 60 = 0.92873 -> 0.93 (hour shown rounded)
        ("direct", ("64.96", "55.72"), ("1.08", "0.93")),
        # multiple of 60 cents: 64.9647 / 0.60 = 108.27 -> 108 x 0.60 = 64.80 -> 1.08;
        #                       55.7237 / 0.60 = 92.87 -> 93 x 0.60 = 55.80 -> 0.93
        ("hour_multiple_of_60_cents", ("64.80", "55.80"), ("1.08", "0.93")),
    ],
)
def test_minute_methods_through_the_engine(mini_path, tmp_path, method, hours, minutes) -> None:
    root = tmp_path / "region"
    shutil.copytree(mini_path, root)
    if method != "from_hour":
        edit(root / "parameters/cost_model.yaml", "value: from_hour\n", f"value: {method}\n")
    region = load_region(root)
    pricer = Pricer(region, 2025)
    got = [pricer.price(region.product("MIN01"), cao) for cao in ("alfa", "beta")]
    assert tuple(f"{t.hour_tariff}" for t in got) == hours
    assert tuple(f"{t.tariff_eur:.2f}" for t in got) == minutes
    assert all(t.eurocent == int(t.tariff_eur * 100) for t in got)


def test_product_validity_dates(mini_path, tmp_path) -> None:
    root = tmp_path / "region"
    shutil.copytree(mini_path, root)
    edit(root / "parameters/products/02_verblijf.yaml", "  - code: ETM01\n", "  - code: ETM01\n    valid_from: 2026-01-01\n")
    edit(root / "parameters/products/02_verblijf.yaml", "  - code: DAG01\n", "  - code: DAG01\n    valid_until: 2025-12-31\n")
    region = load_region(root)
    codes = {y: {t.product.product.code for t in price_book(region, y).tariffs} for y in (2025, 2026)}
    assert codes[2025] == {"MIN01", "UUR01", "DAG01"}
    assert codes[2026] == {"MIN01", "UUR01", "ETM01"}
