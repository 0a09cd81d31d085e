"""Fixed tariffs (vast bedrag): a decided amount per product instead of a build-up, joined to the book."""

from __future__ import annotations

import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest

from tariefmodel.engine.book import price_book
from tariefmodel.engine.pricing import FixedTariff
from tariefmodel.loader.load import load_region
from tariefmodel.trail.audit import build_register
from tariefmodel.trail.explain import to_dict, to_text

REPO = Path(__file__).resolve().parent.parent

VAST = """    vast:
      - from: 2025-01-01
        amount: {amount}
        source: Collegebesluit vaste tarieven 2025 (testgegevens)
        rationale: Vast bedrag, besloten voor het contract.
        decided_by: colleges Midden-Holland
        decided_on: 2024-11-12
        status: adopted
    provenance:"""


def _with_fixed(tmp_path: Path) -> Path:
    root = tmp_path / "regio"
    for folder in ("parameters", "cao_tables", "benchmarks"):
        shutil.copytree(REPO / folder, root / folder)
    path = root / "parameters" / "products" / "10_dagbesteding_jeugd.yaml"
    text = path.read_text(encoding="utf-8")
    # the first 'provenance:' after each code is that product's own
    for code, amount in (("45A60", "61.37"), ("42A01", "12.35")):
        start = text.index(f"code: \"{code}\"")
        at = text.index("    provenance:", start)
        text = text[:at] + VAST.format(amount=amount) + text[at + len("    provenance:"):]
    path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def fixed_region(tmp_path_factory):
    return load_region(_with_fixed(tmp_path_factory.mktemp("vast")), use_cache=False)


def _rows(book, code: str) -> dict[tuple[str, bool], D]:
    return {(t.variant, t.micro): t.tariff_eur for t in book.tariffs
            if t.product.product.code == code and not t.provider}


def test_every_variant_has_the_decided_amount(fixed_region) -> None:
    rows = _rows(price_book(fixed_region, 2025), "45A60")
    caos = fixed_region.product("45A60").product.caos
    # each CAO, the basistarief, and the same for micro-enterprises: all 61.37
    for variant in (*caos, "basistarief"):
        assert rows[(variant, False)] == D("61.37")
        assert rows[(variant, True)] == D("61.37")


def test_pgb_is_derived_from_the_fixed_amount_transport_exempt(fixed_region) -> None:
    book = price_book(fixed_region, 2025)
    day = _rows(book, "45A60")
    # pgb zzp = 80% of the lowest ZIN tariff, rounded half up to cents: 61.37 x 0.80 = 49.096 -> 49.10
    assert day[("pgb-zzp", False)] == D("49.10")
    # organisatie 100%: 61.37; informeel netwerk 50%: 61.37 x 0.50 = 30.685 -> 30.69 (half up, not to even)
    assert day[("pgb-organisatie", False)] == D("61.37")
    assert day[("pgb-informeel-netwerk", False)] == D("30.69")
    # transport (42A01) is exempt: 100% of 12.35 in every pgb category
    ride = _rows(book, "42A01")
    assert {v for (k, _), v in ride.items() if k.startswith("pgb-")} == {D("12.35")}


def test_before_the_decision_the_build_up_holds(fixed_region) -> None:
    book = price_book(fixed_region, 2024)
    rows = [t for t in book.tariffs if t.product.product.code == "45A60"]
    assert rows and not any(isinstance(t, FixedTariff) for t in rows)
    assert _rows(book, "45A60")[("basistarief", False)] != D("61.37")


def test_a_later_contract_year_indexes_the_fixed_amount(fixed_region) -> None:
    # dagbesteding-jeugd starts 2025; 2026 method vast-2 (2%): 61.37 x 1.02 = 62.5974 -> 62.60
    # pgb zzp follows the indexed basistarief: 62.60 x 0.80 = 50.08
    rows = _rows(price_book(fixed_region, 2026), "45A60")
    assert rows[("basistarief", False)] == D("62.60")
    assert rows[("pgb-zzp", False)] == D("50.08")


def test_explain_and_audit_say_where_the_value_comes_from(fixed_region) -> None:
    book = price_book(fixed_region, 2025)
    row = next(t for t in book.tariffs if t.product.product.code == "45A60" and t.variant == "basistarief"
               and not t.micro)
    text = to_text(row, {})
    assert "Vast bedrag (besluit" in text and "colleges Midden-Holland 12-11-2024" in text
    assert to_dict(row)["vast"]["amount"] == "61.37"
    entry = next(r for r in build_register(book, fixed_region) if r.path == "vast 45A60")
    assert (entry.value, entry.decided_by, entry.decided_on) == ("61.37 (vast bedrag)", "colleges Midden-Holland",
                                                                 "2024-11-12")
    assert "45A60/basistarief" in entry.feeds


def test_a_minute_product_cannot_be_fixed(tmp_path: Path) -> None:
    from tariefmodel.data.problems import InputError

    root = tmp_path / "r"
    for folder in ("parameters", "cao_tables", "benchmarks"):
        shutil.copytree(REPO / folder, root / folder)
    path = root / "parameters" / "products" / "08_ambulant_jeugd.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("    provenance:", text.index("code: \"54002\""))
    path.write_text(text[:at] + VAST.format(amount="1.50") + text[at + len("    provenance:"):], encoding="utf-8")
    with pytest.raises(InputError, match="minuutproduct"):
        load_region(root, use_cache=False)

