"""The CAO's ORT cap, applied per step: ORT over at most the hourly wage of the capping scale and step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest

from tariefmodel.engine import buildup as b
from tariefmodel.engine.book import price_book
from tariefmodel.engine.pricing import Pricer
from tariefmodel.loader.load import load_region
from tests.conftest import edit

REPO = Path(__file__).resolve().parent.parent

CAP_ALFA = """ort_cap:
  values:
    - from: 2024-01-01
      value: {scale: B, step: "1", monthly_hours: 150}
      source: testdata ORT-maximum alfa
      rationale: ORT over ten hoogste het uurloon van schaal B trede 1.
      status: adopted
allowances:"""


def test_pure_step_above_and_below_the_cap() -> None:
    # One step above the cap: 10% x 12 x min(4500; 4000) = 10% x 48000 = 4800 (not 10% x 54000 = 5400).
    assert b.irregular_hours_pay(D(54000), D("0.10"), [(D(4500), D(1))], D(4000)) == D(4800)
    # One step below: its own wage, 10% x 12 x 3000 = 3600, the same as rate x G.
    assert b.irregular_hours_pay(D(36000), D("0.10"), [(D(3000), D(1))], D(4000)) == D(3600)
    # No cap: rate x G.
    assert b.irregular_hours_pay(D(54000), D("0.10"), [(D(4500), D(1))], None) == D(5400)
    # Mixed: 0.5 x 12 x 3000 + 0.5 x 12 x min(4500; 4000) = 18000 + 24000 = 42000; x 20% = 8400.
    assert b.irregular_hours_pay(D(45000), D("0.20"), [(D(3000), D("0.5")), (D(4500), D("0.5"))], D(4000)) == D(8400)


def test_mini_region_cap_binds_on_hbo_only(mini_copy: Path) -> None:
    edit(mini_copy / "cao_tables" / "alfa" / "cao.yaml", "allowances:", CAP_ALFA)
    region = load_region(mini_copy)
    pricer = Pricer(region, 2024)
    alfa = region.caos["alfa"]
    # hbo: B1 4000 (= the cap, not above) and B2 4500 (above), 50/50.
    # ORT = 10% x (0.5 x 12 x 4000 + 0.5 x 12 x min(4500; 4000)) = 10% x 48000 = 4800 (uncapped: 10% x 51000 = 5100)
    # L = 51000 + 4080 + 4080 + 4800 = 63960; social 20% = 12792; pension 10% x (63960 - 10000) = 5396
    # A = 82148; C = 82148 / (1800 x 0.75) = 60.8503703703...
    hbo = pricer.profile_cost_for(alfa, "hbo", D("0.10"), "standaard")
    assert hbo.irregular_hours == D(4800)
    assert hbo.employer_cost == D(82148)
    assert hbo.cost_per_productive_hour.quantize(D("0.0001")) == D("60.8504")
    assert hbo.ort_cap is not None and hbo.ort_cap.binds
    assert hbo.ort_cap.monthly_eur == D(4000)
    # hourly cap wage: 4000 / 150 = 26.666...
    assert hbo.ort_cap.hourly_eur.quantize(D("0.01")) == D("26.67")
    # mbo: A1 3000, below the cap: ORT on its own wage, 10% x 36000 = 3600, cap shown but not binding.
    mbo = pricer.profile_cost_for(alfa, "mbo", D("0.10"), "standaard")
    assert mbo.irregular_hours == D(3600)
    assert mbo.ort_cap is not None and not mbo.ort_cap.binds
    # Without ORT the cap cannot bind.
    assert not pricer.profile_cost(alfa, "hbo", D(0)).ort_cap.binds


def test_jeugdzorg_cap_schaal_5_periodiek_11() -> None:
    region = load_region(REPO)
    pricer = Pricer(region, 2025)
    assert pricer.params.cao_reference_date == dt.date(2025, 1, 1)
    cao = region.caos["jeugdzorg"]
    pc = pricer.profile_cost(cao, "begeleider-mbo4", D("0.204"))
    cap = pc.ort_cap
    # Table of 1-7-2024 (valid on 1-1-2025): schaal 5 p11 = 3333.07; hourly 3333.07 / 156 = 21.366 -> 21.37
    assert cap is not None and cap.binds and (cap.scale, cap.step) == ("5", "11")
    assert cap.monthly_eur == D("3333.07") and cap.monthly_hours == 156
    assert cap.hourly_eur.quantize(D("0.01")) == D("21.37")
    assert cap.table_file.endswith("schalen_2024-07-01.csv")
    # schaal 7: trede 0 2720.32 (25%), trede 6 3305.12 (50%), both below the cap; trede 11 3887.75 (25%) above.
    # 12 x (0.25 x 2720.32 + 0.5 x 3305.12 + 0.25 x 3333.07) = 8160.96 + 19830.72 + 9999.21 = 37990.89
    # ORT = 20.4% x 37990.89 = 7750.14156 (uncapped: 20.4% x 39654.93 = 8089.60572)
    assert pc.irregular_hours == D("7750.14156")


def test_sociaal_werk_caps_in_the_primary_process_table() -> None:
    region = load_region(REPO)
    pricer = Pricer(region, 2025)
    pc = pricer.profile_cost(region.caos["sociaal_werk"], "begeleider-mbo4", D("0.20"))
    cap = pc.ort_cap
    # art. 6.12: schaal 5 p11 "uit artikel 6.4 of 6.6": a PP6 profile is capped at PP5 p11 = 3449 (1-1-2025)
    assert cap is not None and (cap.scale, cap.step) == ("PP5", "11") and cap.monthly_eur == D(3449)
    # PP6: trede 0 2860 (25%), trede 7 3449 (50%, equal to the cap), trede 13 4012 (25%, above)
    # ORT = 20% x 12 x (0.25 x 2860 + 0.5 x 3449 + 0.25 x 3449) = 20% x 12 x 3301.75 = 7924.20
    assert pc.irregular_hours == D("7924.2")


@pytest.mark.parametrize("cao", ["gehandicaptenzorg", "vvt"])
def test_cap_lapsed_from_2024(cao: str) -> None:
    # GHZ art. 7:11 and VVT art. 4.4: no maximum from 1-1-2024: ORT = rate x G.
    region = load_region(REPO)
    pricer = Pricer(region, 2025)
    pc = pricer.profile_cost(region.caos[cao], "begeleider-mbo4", D("0.20"))
    assert pc.ort_cap is None
    assert pc.irregular_hours == pc.annual_salary * D("0.20")


def test_residential_tariffs_fall_where_the_cap_binds() -> None:
    # Recorded for the note: 43A02 jeugdzorg 2025 was 833.57 per etmaal before the cap.
    region = load_region(REPO)
    by = {(t.product.product.code, t.variant): t.tariff_eur for t in price_book(region, 2025).tariffs
          if not t.micro and t.kind == "cao"}
    assert by[("43A02", "jeugdzorg")] < D("833.57")
    assert by[("43A02", "gehandicaptenzorg")] == D("848.01")  # no cap from 2024: unchanged
