"""PFZW pension premiums in the employer charges: 2025 (CAO Sociaal Werk art. 7.12) and 2026 (Wtp transition).

The 2026 book is indexed from 2025 (indexation.yaml), so the published 2026 tariffs do not move; the change
shows in the year's own build-up (calibrated_book), which the indexation check compares the indexed tariffs with.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tariefmodel.engine.variants import calibrated_book
from tariefmodel.loader.load import load_region

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def region():
    return load_region(REPO)


def _hbh(region, year: int):
    book = calibrated_book(region, year)
    return next(t for t in book.tariffs if t.product.product.code == "01A01" and t.variant == "vvt"
                and not t.micro and not t.provider)


def test_2025_charges_keep_25_8_percent_split_and_the_2024_franchises(region) -> None:
    t = _hbh(region, 2025)
    pc = t.staff[0].cost
    charges = dict(pc.charges)
    # wage cost HbH (CAO VVT) 2025 = 34,467.01137
    assert pc.wage_cost == Decimal("34467.01137")
    # pension 12.9% x (34,467.01137 - 15,816) = 12.9% x 18,651.01137 = 2,405.98046673
    assert charges["Pensioenpremie PFZW, werkgeversdeel"] == Decimal("2405.98046673")
    # AP 0.5% x (34,467.01137 - 26,819) = 0.5% x 7,648.01137 = 38.24005685
    assert charges["AP-premie PFZW (arbeidsongeschiktheidspensioen)"] == Decimal("38.24005685")
    assert t.tariff_eur == Decimal("40.00")


def test_2026_charges_follow_the_wtp_premium_franchise_and_the_end_of_the_ap_premium(region) -> None:
    t = _hbh(region, 2026)
    pc = t.staff[0].cost
    charges = dict(pc.charges)
    # wage cost 2026: 35,839.963245 with the CAO table, plus the WML floor on HbH step 0 (weight 25%):
    #   0.25 x (2,294.76 - 2,279.18) x 12 = 0.25 x 15.58 x 12 = 46.74 -> 35,886.703245 (loader.wml_floor)
    assert pc.wage_cost == Decimal("35886.703245")
    # pension 12.95% (half of 25.9%) x (35,886.703245 - 17,283) = 12.95% x 18,603.703245 = 2,409.1795702275
    # (with the 2025 values it would be 12.9% x (35,886.703245 - 15,816) = 2,589.120718605)
    assert charges["Pensioenpremie PFZW, werkgeversdeel"] == Decimal("2409.1795702275")
    # AP premium 0 from 2026-01-01 (was 0.5% x (35,886.703245 - 26,819) = 45.338516225)
    assert charges["AP-premie PFZW (arbeidsongeschiktheidspensioen)"] == 0
    # social 19% x 35,886.703245 = 6,818.47361655; employer cost = 35,886.703245 + 6,818.47361655 + 0
    #   + 2,409.1795702275 = 45,114.3564317775
    assert pc.employer_cost == Decimal("45114.3564317775")
    # per productive hour: 45,114.3564317775 / 1,466.342 = 30.7665990824...
    assert t.cost_per_staff_hour.quantize(Decimal("0.0000001")) == Decimal("30.7665991")
    # tariff: (30.7665990824 x 1.05 travel time + 1.56 km) x 1.20 overhead x 1.02 profit and risk
    #   = 33.8649290366 x 1.224 = 41.4506731408 -> 41.45 (without the WML floor 41.40; with 2025 premiums 41.59)
    assert t.tariff_eur == Decimal("41.45")
