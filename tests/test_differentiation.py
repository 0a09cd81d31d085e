"""Tariff differentiation (issue 3): basistarief, micro-enterprises, providers, addenda, pgb and external tariffs.

The hand-computed cases run on a copy of the mini region (tests/fixtures/mini_region, see
tests/test_handcomputed.py for every figure) with the files of tests/fixtures/differentiation copied in:

differentiation.yaml  micro: fewer than 10 employees and turnover OR balance below 2,000,000 ('either');
                      addenda may override group_size and staff_hours_per_unit; unmodelled CAO 'gamma';
                      pgb categories netwerk 50% and zzp 80%; ETM01 exempt from the pgb discount
providers.yaml        groot-alfa (alfa, 50 employees), groot-beta (beta, 50), zonder-cao (geen, 40),
                      gamma-zorg (gamma: not modelled, 20), klein-alfa (alfa, 5 employees, turnover 500,000: micro),
                      gi-test and gi-ander (contract jeugdbescherming only)
addenda.yaml          DAG01 in groups of 4 instead of 5: a-alfa (groot-alfa, approved, 2025 only), a-geen (zonder-cao,
                      approved), a-micro (klein-alfa, approved), a-afgewezen (groot-beta, rejected), a-aangevraagd
                      (groot-beta, requested), a-2024 (groot-beta, approved, 2024 only)
external_tariffs.yaml JB01 (national: 2024 100.00, 2025 110.00; phase-in gi-test 2025 90.00, 2026 105.00) and
                      JZP01 (another region: 2025 700.00)
contract_jeugdbescherming.yaml  a contract appended to contracts.yaml for the external products

In the copy DAG01 gets provider_specific_allowed: true and its contract (verblijf) too; the committed
mini region stays unchanged (other tests count its rows).

Figures from tests/test_handcomputed.py used below (2025, overhead 10% mark-up, micro 5%, no-show 5% divide,
profit 2%):
    C alfa mbo = 53444 / 1350 = 39.5881481481      C beta mbo = 55422.08 / 1500 = 36.9480533333
    UUR01 direct: alfa 54.6989629630, beta 49.1362026667 (incl. travel 10% and km 2.00)
    DAG01 direct: alfa 39.5881481481 x 4 / 5 + 2.50 = 34.1705185185; beta 36.9480533333 x 4 / 5 + 2.50 = 32.0584426667
    ETM01 direct: alfa 358.3288888889; beta 340.40832
    MIN01 direct (per hour): alfa 55.0057971014; beta 47.1814193548
    regular tariffs: MIN01 1.08 / 0.93, UUR01 64.60 / 58.03, DAG01 38.34 / 35.97, ETM01 402.05 / 381.94
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import MINI, REPO, TESTS, edit, edit_product
from hypothesis import given, settings
from hypothesis import strategies as st

from tariefmodel.cli.main import main
from tariefmodel.data.cao import Cao
from tariefmodel.data.money import excel_round
from tariefmodel.data.region import Region
from tariefmodel.engine.book import price_book
from tariefmodel.engine.pricing import Book, DerivedTariff, Tariff
from tariefmodel.engine.variants import BASIS, micro_status
from tariefmodel.loader.load import load_region

D = Decimal
TOL = D("0.00000001")
FIXTURE = TESTS / "fixtures" / "differentiation"
DIFF_FILES = ("differentiation.yaml", "providers.yaml", "addenda.yaml", "external_tariffs.yaml")
P_AMB = "parameters/products/01_ambulant.yaml"
P_VERB = "parameters/products/02_verblijf.yaml"
COST = "parameters/cost_model.yaml"
DIFF = "parameters/differentiation.yaml"
PROV = "parameters/providers.yaml"
ADD = "parameters/addenda.yaml"
EXT = "parameters/external_tariffs.yaml"
PROPS = settings(max_examples=30, deadline=None)
# the overrides of addendum a-alfa (the only ones followed by team_advice: Positief)
A_ALFA_OVERRIDES = ("    overrides: {group_size: 4}\n    reason: Kleinere groep voor een zware doelgroep\n"
                    "    team_advice: Positief\n")


def close(value: Decimal, expected: str) -> bool:
    return abs(value - D(expected)) < TOL


def install_differentiation(root: Path) -> Path:
    """Turn a copy of the mini region into the differentiation test region (see the module docstring)."""
    params = root / "parameters"
    for name in DIFF_FILES:
        shutil.copy(FIXTURE / name, params / name)
    contracts = params / "contracts.yaml"
    edit(contracts, "    provider_specific_allowed: false\n    source: testdata (mini region)\n",
         "    provider_specific_allowed: true\n    source: testdata (mini region)\n")
    contracts.write_text(contracts.read_text(encoding="utf-8")
                         + (FIXTURE / "contract_jeugdbescherming.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    edit_product(root / P_VERB, "DAG01", "    caos: [alfa, beta]\n",
                 "    caos: [alfa, beta]\n    provider_specific_allowed: true\n")
    return root


@pytest.fixture
def diff_copy(tmp_path: Path) -> Path:
    """A fresh, writable copy of the mini region with the differentiation files installed."""
    root = tmp_path / "region"
    shutil.copytree(MINI, root)
    return install_differentiation(root)


@pytest.fixture(scope="module")
def diff_region(tmp_path_factory: pytest.TempPathFactory) -> Region:
    root = tmp_path_factory.mktemp("diff") / "region"
    shutil.copytree(MINI, root)
    return load_region(install_differentiation(root))


@pytest.fixture(scope="module")
def book_by_year(diff_region: Region) -> dict[int, Book]:
    return {y: price_book(diff_region, y) for y in (2024, 2025, 2026)}


Key = tuple[str, str, bool, str]  # product code, variant, micro, provider


def keyed(book: Book) -> dict[Key, Tariff | DerivedTariff]:
    out: dict[Key, Tariff | DerivedTariff] = {}
    for t in book.tariffs:
        k = (t.product.product.code, t.variant, t.micro, t.provider)
        assert k not in out, f"two rows for {k}"
        out[k] = t
    return out


def eur(book: Book, code: str, variant: str, micro: bool = False, provider: str = "") -> Decimal:
    return keyed(book)[(code, variant, micro, provider)].tariff_eur


# =============================================================== 1 + 2: CAO variants and the basistarief


def test_cao_rows_and_basistarief_per_product(book_by_year) -> None:
    book = book_by_year[2025]
    # one regular row per CAO of the product, variant = the CAO key; beta is cheaper for every product,
    # so the basistarief is the beta tariff (a minimum, not the average: UUR01 (64.60 + 58.03) / 2 = 61.315)
    expected = {"MIN01": ("1.08", "0.93"), "UUR01": ("64.60", "58.03"), "DAG01": ("38.34", "35.97"),
                "ETM01": ("402.05", "381.94")}
    for code, (alfa, beta) in expected.items():
        rows = [t for t in book.tariffs if t.product.product.code == code and not t.micro and t.provider == ""
                and isinstance(t, Tariff)]
        assert [(t.variant, t.kind) for t in rows] == [("alfa", "cao"), ("beta", "cao"), (BASIS, BASIS)]
        assert [t.tariff_eur for t in rows] == [D(alfa), D(beta), D(beta)]
        base = rows[2]
        assert base.cao == "beta"
        assert "laagste CAO-tarief (beta)" in base.reason
    assert eur(book, "UUR01", BASIS) != D("61.32")


@pytest.mark.parametrize(("order", "first"), [("[delta, alfa]", "delta"), ("[alfa, delta]", "alfa")])
def test_basistarief_tie_goes_to_the_first_cao_listed(diff_copy: Path, order: str, first: str) -> None:
    # CAO delta is a copy of alfa: UUR01 costs 64.60 under both (micro: 61.67 under both)
    shutil.copytree(diff_copy / "cao_tables/alfa", diff_copy / "cao_tables/delta")
    edit(diff_copy / "cao_tables/delta/cao.yaml", "key: alfa\n", "key: delta\n")
    edit_product(diff_copy / P_AMB, "UUR01", "caos: [alfa, beta]", f"caos: {order}")
    book = price_book(load_region(diff_copy), 2025)
    assert eur(book, "UUR01", "alfa") == eur(book, "UUR01", "delta") == D("64.60")
    base = keyed(book)[("UUR01", BASIS, False, "")]
    micro_base = keyed(book)[("UUR01", BASIS, True, "")]
    assert (base.tariff_eur, base.cao) == (D("64.60"), first)
    assert (micro_base.tariff_eur, micro_base.cao) == (D("61.67"), first)


def test_basistarief_follows_the_cheaper_cao_when_alfa_is_cheaper(diff_copy: Path) -> None:
    # beta salaries x 1.5: beta mbo M = 4500, G = 54000; holiday min 8% x 12 x 5400 = 5184 > 4320 -> 5184;
    # year-end 10% x 59184 = 5918.40; L = 65102.40; social 13020.48; pension 10% x 55102.40 = 5510.24;
    # A = 83633.12; C = 83633.12 / 1500 = 55.7554133333; DAG01 D = C x 4 / 5 = 44.6043306667 + 2.50
    #   = 47.1043306667; x 1.1 x 1.02 = 52.8510590080 -> 52.85 > alfa 38.34: the basistarief is alfa's
    for name in ("reeks_2024-01-01.csv",):
        path = diff_copy / "cao_tables/beta" / name
        lines = path.read_text(encoding="utf-8").splitlines()
        out = []
        for line in lines:
            parts = line.split(",")
            if len(parts) == 2 and parts[0].strip().isdigit():
                line = f"{parts[0]},{D(parts[1]) * D('1.5'):.2f}"
            out.append(line)
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    book = price_book(load_region(diff_copy), 2025)
    assert eur(book, "DAG01", "beta") == D("52.85")
    base = keyed(book)[("DAG01", BASIS, False, "")]
    assert (base.tariff_eur, base.cao) == (D("38.34"), "alfa")


# =============================================================== 3: micro-enterprises


def test_micro_rows_per_cao_and_micro_basistarief(book_by_year) -> None:
    book = book_by_year[2025]
    expected = {
        # MIN01 (per hour): alfa 55.0057971014 x 1.05 = 57.7560869565; / 0.95 = 60.7958810069; x 1.02 = 62.0117986270
        #   -> hour 62.01; 62.01 / 60 = 1.0335 -> 1.03
        #   beta 47.1814193548 x 1.05 = 49.5404903226; / 0.95 = 52.1478845501; x 1.02 = 53.1908422411
        #   -> hour 53.19; 53.19 / 60 = 0.8865 -> 0.89
        "MIN01": ("1.03", "0.89"),
        # UUR01: alfa 54.6989629630 x 1.05 / 0.95 x 1.02 = 61.6658835088 -> 61.67
        #        beta 49.1362026667 x 1.05 = 51.5930128; / 0.95 = 54.3084345263; x 1.02 = 55.3946032168 -> 55.39
        "UUR01": ("61.67", "55.39"),
        # DAG01: alfa 34.1705185185 x 1.05 x 1.02 = 36.5966253333 -> 36.60; beta 32.0584426667 x 1.071 = 34.3345920960
        "DAG01": ("36.60", "34.33"),
        # ETM01: alfa 358.3288888889 x 1.071 = 383.7702400000 -> 383.77; beta 340.40832 x 1.071 = 364.57731072
        "ETM01": ("383.77", "364.58"),
    }
    for code, (alfa, beta) in expected.items():
        rows = [t for t in book.tariffs if t.product.product.code == code and t.micro and t.provider == ""]
        assert [(t.variant, t.kind) for t in rows] == [("alfa", "cao"), ("beta", "cao"), (BASIS, BASIS)]
        assert [t.tariff_eur for t in rows] == [D(alfa), D(beta), D(beta)]
        assert all(t.overhead_rate == D("0.05") for t in rows)
        assert all("micro-onderneming" in t.reason for t in rows)
    assert close(keyed(book)[("UUR01", "beta", True, "")].unrounded, "55.3946032168")
    assert close(keyed(book)[("MIN01", "alfa", True, "")].unrounded, "62.0117986270")
    assert keyed(book)[("MIN01", "beta", True, "")].hour_tariff == D("53.19")
    assert close(keyed(book)[("DAG01", "alfa", True, "")].unrounded, "36.5966253333")


def _prov(employees: int, turnover: str, balance: str) -> SimpleNamespace:
    return SimpleNamespace(employees=employees, annual_turnover_eur=D(turnover), balance_total_eur=D(balance))


def _with_value(param, value):
    assert len(param.values) == 1
    return param.model_copy(update={"values": [param.values[0].model_copy(update={"value": value})]})


MICRO_CASES = [
    # employees, turnover, balance, micro under 'either', micro under 'both'
    (9, "1999999.99", "5000000", True, False),  # turnover below, balance not
    (9, "5000000", "1999999.99", True, False),  # balance below, turnover not
    (9, "1000000", "1000000", True, True),  # both below
    (9, "2000000", "2000000", False, False),  # exactly 2,000,000 is not below
    (9, "2000000", "1999999.99", True, False),  # only the balance is below
    (10, "1000000", "1000000", False, False),  # exactly 10 employees is not fewer than 10
    (0, "0", "0", True, True),
    (50, "0", "0", False, False),
    (9, "3000000", "3000000", False, False),
]


@pytest.mark.parametrize(("employees", "turnover", "balance", "either", "both"), MICRO_CASES)
def test_micro_status_either_and_both(diff_region, employees, turnover, balance, either, both) -> None:
    day = dt.date(2025, 1, 1)
    diff = diff_region.differentiation
    both_rules = diff.model_copy(update={"micro_financial_test": _with_value(diff.micro_financial_test, "both")})
    prov = _prov(employees, turnover, balance)
    got_either = micro_status(prov, diff, day)
    got_both = micro_status(prov, both_rules, day)
    assert (got_either.micro, got_both.micro) == (either, both)
    for status in (got_either, got_both):
        assert status.reason.startswith("micro-onderneming" if status.micro else "geen micro-onderneming")
        assert f"{employees} werknemers" in status.reason
    assert " of balanstotaal " in got_either.reason and " en balanstotaal " in got_both.reason


def test_micro_status_of_the_registered_providers(diff_region) -> None:
    day = dt.date(2025, 1, 1)
    micro = {k for k, p in diff_region.providers.items() if micro_status(p, diff_region.differentiation, day).micro}
    # klein-alfa: 5 < 10 employees and turnover 500,000 < 2,000,000; gamma-zorg: 20 employees (turnover 2,500,000,
    # balance exactly 2,000,000: not below either); the others have 40 or more employees
    assert micro == {"klein-alfa"}


@pytest.mark.parametrize(("employees", "turnover", "balance", "micro"), [
    ("5", "500000", "100000", True),  # as registered
    ("10", "500000", "100000", False),  # exactly 10 employees: not micro
    ("5", "2000000", "2000000", False),  # exactly 2,000,000 twice: neither is below
    ("5", "2000000", "1999999", True),  # the balance is below: enough under 'either'
])
def test_micro_boundaries_through_the_provider_command(diff_copy: Path, runner, employees, turnover, balance,
                                                       micro) -> None:
    edit(diff_copy / PROV, "employees: 5, annual_turnover_eur: 500000, balance_total_eur: 100000,",
         f"employees: {employees}, annual_turnover_eur: {turnover}, balance_total_eur: {balance},")
    doc = provider_json(runner, diff_copy, "klein-alfa")
    assert doc["micro"] is micro
    uur = next(t for t in doc["tariffs"] if t["product_code"] == "UUR01")
    assert (uur["variant"], uur["micro"], uur["tariff_eur"]) == ("alfa", micro, "61.67" if micro else "64.60")
    dag = next(t for t in doc["tariffs"] if t["product_code"] == "DAG01")  # the addendum follows the status too
    assert (dag["kind"], dag["micro"], dag["tariff_eur"]) == ("addendum", micro, "45.08" if micro else "47.22")


# =============================================================== 4: addenda


def test_addendum_smaller_group_for_a_provider_under_alfa(book_by_year) -> None:
    t = keyed(book_by_year[2025])[("DAG01", "alfa", False, "groot-alfa")]
    # DAG01 alfa, group 4 instead of 5: D = 39.5881481481 x 4 h / 4 = 39.5881481481; + materiaal 2.50 = 42.0881481481;
    # x 1.10 = 46.2969629630; x 1.02 = 47.2229022222 -> 47.22 (general alfa tariff 38.34)
    assert t.kind == "addendum"
    assert t.group_size == D(4)
    assert t.staff_hours_per_unit == D(4)
    assert close(t.direct_cost, "42.0881481481")
    assert close(t.unrounded, "47.2229022222")
    assert t.tariff_eur == D("47.22")
    assert t.provider == "groot-alfa"
    for part in ("addendum a-alfa", "groepsgrootte 4", "Kleinere groep", "besluit testcommissie 01-12-2024",
                 "geldig 01-01-2025 t/m 31-12-2025"):
        assert part in t.reason
    assert eur(book_by_year[2025], "DAG01", "alfa") == D("38.34")  # the general row is still there


def test_addendum_for_a_provider_under_no_cao_is_the_basistarief_with_the_override(book_by_year) -> None:
    t = keyed(book_by_year[2025])[("DAG01", BASIS, False, "zonder-cao")]
    # group 4 under alfa: 47.22 (above); under beta: D = 36.9480533333 x 4 / 4 + 2.50 = 39.4480533333;
    # x 1.1 = 43.3928586667; x 1.02 = 44.2607158400 -> 44.26; the lowest is beta's 44.26
    assert t.kind == "addendum"
    assert t.cao == "beta"
    assert t.group_size == D(4)
    assert close(t.unrounded, "44.2607158400")
    assert t.tariff_eur == D("44.26")
    assert "addendum a-geen" in t.reason and "basistarief (beta)" in t.reason


def test_addendum_for_a_micro_provider_uses_the_micro_overhead(book_by_year) -> None:
    t = keyed(book_by_year[2025])[("DAG01", "alfa", True, "klein-alfa")]
    # alfa, group 4, micro overhead 5%: 42.0881481481 x 1.05 = 44.1925555556; x 1.02 = 45.0764066667 -> 45.08
    assert t.kind == "addendum" and t.micro
    assert t.overhead_rate == D("0.05")
    assert close(t.unrounded, "45.0764066667")
    assert t.tariff_eur == D("45.08")
    assert "micro-onderneming" in t.reason


def test_addendum_for_a_micro_provider_under_no_cao(diff_copy: Path) -> None:
    edit(diff_copy / PROV, "key: klein-alfa, name: Klein Alfa, identifier: \"KvK 5\", cao: alfa",
         "key: klein-alfa, name: Klein Alfa, identifier: \"KvK 5\", cao: geen")
    t = keyed(price_book(load_region(diff_copy), 2025))[("DAG01", BASIS, True, "klein-alfa")]
    # alfa micro group 4: 45.08 (above); beta micro group 4: 39.4480533333 x 1.05 = 41.4204560000;
    # x 1.02 = 42.2488651200 -> 42.25; the lowest is beta's
    assert (t.kind, t.cao, t.micro) == ("addendum", "beta", True)
    assert close(t.unrounded, "42.2488651200")
    assert t.tariff_eur == D("42.25")


def test_addendum_staff_hours_override(diff_copy: Path) -> None:
    edit(diff_copy / ADD, A_ALFA_OVERRIDES,
         "    overrides: {staff_hours_per_unit: 5}\n    reason: Kleinere groep voor een zware doelgroep\n"
         "    team_advice: Positief\n")
    t = keyed(price_book(load_region(diff_copy), 2025))[("DAG01", "alfa", False, "groot-alfa")]
    # 5 staff hours per dagdeel for the group of 5: D = 39.5881481481 x 5 / 5 = 39.5881481481; the same
    # build-up as group 4 with 4 hours: 47.22
    assert t.staff_hours_per_unit == D(5) and t.group_size == D(5)
    assert t.tariff_eur == D("47.22")


def test_rejected_and_requested_addenda_give_no_row_and_a_warning(book_by_year) -> None:
    book = book_by_year[2025]
    assert not [t for t in book.tariffs if t.provider == "groot-beta"]
    warnings = {p.where: p for p in book.problems if p.file == ADD}
    assert set(warnings) == {"a-afgewezen", "a-aangevraagd"}
    assert all(p.severity == "warning" for p in warnings.values())
    assert "is afgewezen: geen aanbiederspecifiek tarief in tariefjaar 2025" in warnings["a-afgewezen"].message
    assert "is aangevraagd: geen aanbiederspecifiek tarief in tariefjaar 2025" in warnings["a-aangevraagd"].message


def test_validate_lists_the_requests_without_a_tariff(diff_copy: Path, runner) -> None:
    result = runner.invoke(main, ["validate", "--data", str(diff_copy)])
    assert result.exit_code == 0, result.output
    assert f"WAARSCHUWING {ADD} [a-afgewezen]: addendumverzoek a-afgewezen (groot-beta / DAG01) is afgewezen" in result.output
    assert (f"WAARSCHUWING {ADD} [a-aangevraagd]: addendumverzoek a-aangevraagd (groot-beta / DAG01) is "
            "aangevraagd") in result.output


def test_addendum_outside_the_year_gives_no_row(book_by_year) -> None:
    # a-2024 (groot-beta, 2024-01-01 t/m 2024-12-31): a row in 2024 only; a-alfa (2025 only): 2025 only
    k24, k25, k26 = (keyed(book_by_year[y]) for y in (2024, 2025, 2026))
    # 2024 groot-beta, beta group 4: 39.4480533333 x 1.1 x 1.02 = 44.2607158400 -> 44.26
    assert k24[("DAG01", "beta", False, "groot-beta")].tariff_eur == D("44.26")
    assert ("DAG01", "beta", False, "groot-beta") not in k25
    assert ("DAG01", "alfa", False, "groot-alfa") not in k24
    assert ("DAG01", "alfa", False, "groot-alfa") in k25
    assert ("DAG01", "alfa", False, "groot-alfa") not in k26
    # the open-ended addenda continue: zonder-cao 2026 = beta group 4 again (beta has no later table) = 44.26
    assert k26[("DAG01", BASIS, False, "zonder-cao")].tariff_eur == D("44.26")
    # and the requests of 2025 are not mentioned in 2024 (they are not valid then)
    assert not [p for p in book_by_year[2024].problems if p.file == ADD]


def test_addendum_row_holds_from_the_addendum_start(diff_copy: Path) -> None:
    edit(diff_copy / ADD, "    from: 2025-01-01\n    until: 2025-12-31\n", "    from: 2025-04-01\n    until: 2026-06-30\n")
    k = keyed(price_book(load_region(diff_copy), 2025))
    add = k[("DAG01", "alfa", False, "groot-alfa")]
    assert (add.valid_from, add.valid_to) == (dt.date(2025, 4, 1), dt.date(2025, 12, 31))  # bounded by the year
    assert add.tariff_eur == D("47.22")
    general = k[("DAG01", "alfa", False, "")]
    assert (general.valid_from, general.valid_to) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


# =============================================================== 7: pgb


def test_pgb_rows_are_rounded_half_up(book_by_year) -> None:
    book = book_by_year[2025]
    expected = {
        # ROUND(basistarief x rate; 2), half up: netwerk 50%, zzp 80%
        "UUR01": ("29.02", "46.42"),  # 58.03 x 0.5 = 29.015 -> 29.02 (half-cent tie: up); 58.03 x 0.8 = 46.424 -> 46.42
        "DAG01": ("17.99", "28.78"),  # 35.97 x 0.5 = 17.985 -> 17.99; 35.97 x 0.8 = 28.776 -> 28.78
        "MIN01": ("0.47", "0.74"),  # 0.93 x 0.5 = 0.465 -> 0.47; 0.93 x 0.8 = 0.744 -> 0.74
        "ETM01": ("381.94", "381.94"),  # exempt: 100% of 381.94
    }
    for code, (netwerk, zzp) in expected.items():
        rows = {t.variant: t for t in book.tariffs if t.product.product.code == code and t.kind == "pgb"}
        assert set(rows) == {"pgb-netwerk", "pgb-zzp"}
        assert (rows["pgb-netwerk"].tariff_eur, rows["pgb-zzp"].tariff_eur) == (D(netwerk), D(zzp))
        for t in rows.values():
            assert isinstance(t, DerivedTariff)
            assert t.base is not None and t.base.variant == BASIS and not t.base.micro
            assert t.provider == "" and not t.micro
    # 29.015 goes up under half-even too; 17.985 is the case that tells them apart: half-even gives 17.98
    assert round(D("17.985"), 2) == D("17.98")
    assert eur(book, "DAG01", "pgb-netwerk") == D("17.99")
    etm = keyed(book)[("ETM01", "pgb-zzp", False, "")]
    assert etm.rate == 1 and "vrijgesteld" in etm.reason


# =============================================================== 6: external tariffs


def test_external_rows_general_and_phase_in(book_by_year) -> None:
    k25 = keyed(book_by_year[2025])
    ext25 = {k: t.tariff_eur for k, t in k25.items() if t.kind == "extern"}
    assert ext25 == {("JB01", "extern", False, ""): D("110.00"), ("JB01", "extern", False, "gi-test"): D("90.00"),
                     ("JZP01", "extern", False, ""): D("700.00")}
    general = k25[("JB01", "extern", False, "")]
    assert "landelijk testtarief" in general.reason and general.source == "testdata landelijk 2025"
    assert k25[("JZP01", "extern", False, "")].source == "testdata andere regio, 01-11-2024"
    assert "ingroeipad gi-test" in k25[("JB01", "extern", False, "gi-test")].reason
    assert not [p for p in book_by_year[2025].problems if p.file == EXT]


def test_external_year_without_a_value_gives_no_row_and_a_warning(book_by_year) -> None:
    ext24 = {k: t.tariff_eur for k, t in keyed(book_by_year[2024]).items() if t.kind == "extern"}
    ext26 = {k: t.tariff_eur for k, t in keyed(book_by_year[2026]).items() if t.kind == "extern"}
    assert ext24 == {("JB01", "extern", False, ""): D("100.00")}  # no phase-in value for 2024, no JZP01 tariff
    assert ext26 == {("JB01", "extern", False, "gi-test"): D("105.00")}  # only the phase-in path has a 2026 value
    w24 = {p.where for p in book_by_year[2024].problems if p.file == EXT and p.severity == "warning"}
    w26 = {p.where for p in book_by_year[2026].problems if p.file == EXT and p.severity == "warning"}
    assert w24 == {"JZP01.tariffs"}
    assert w26 == {"JB01.tariffs", "JZP01.tariffs"}


def test_external_rows_in_the_csv_carry_their_source(diff_copy: Path, tmp_path: Path, runner) -> None:
    out = tmp_path / "book.csv"
    result = runner.invoke(main, ["calculate", "--data", str(diff_copy), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ext = {(r["product_code"], r["provider"]): r for r in rows if r["kind"] == "extern"}
    assert ext[("JB01", "gi-test")]["tariff_eur"] == "90.00"
    assert ext[("JB01", "gi-test")]["tariff_eurocent"] == "9000"
    assert ext[("JB01", "gi-test")]["reason"].endswith("[bron: testdata ingroeipad 2025]")
    assert ext[("JB01", "")]["cost_per_staff_hour"] == ""  # not built up from costs
    adds = [r for r in rows if r["kind"] == "addendum"]
    assert sorted((r["provider"], r["variant"], r["micro"], r["tariff_eur"]) for r in adds) == [
        ("groot-alfa", "alfa", "false", "47.22"), ("klein-alfa", "alfa", "true", "45.08"),
        ("zonder-cao", BASIS, "false", "44.26")]
    # 4 products x (2 CAOs + basistarief) x (regular, micro) + 3 addenda + 4 x 2 pgb + 3 external = 38
    assert len(rows) == 38


# =============================================================== 5: the provider command on the mini region


def provider_json(runner, data: Path, key: str, *extra: str) -> dict:
    result = runner.invoke(main, ["provider", key, "--data", str(data), "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def view(doc: dict) -> dict[str, list[tuple[str, bool, str, str]]]:
    out: dict[str, list[tuple[str, bool, str, str]]] = {}
    for t in doc["tariffs"]:
        out.setdefault(t["product_code"], []).append((t["variant"], t["micro"], t["provider"], t["tariff_eur"]))
    return out


def test_provider_under_alfa_gets_alfa_and_its_addendum(diff_copy: Path, runner) -> None:
    doc = provider_json(runner, diff_copy, "groot-alfa")
    assert doc["micro"] is False and doc["year"] == 2025
    assert view(doc) == {"MIN01": [("alfa", False, "", "1.08")], "UUR01": [("alfa", False, "", "64.60")],
                         "DAG01": [("alfa", False, "groot-alfa", "47.22")],  # the addendum instead of 38.34
                         "ETM01": [("alfa", False, "", "402.05")]}
    reasons = {t["product_code"]: t["reason"] for t in doc["tariffs"]}
    assert reasons["UUR01"] == "opgegeven CAO alfa bij inschrijving"
    assert reasons["DAG01"].startswith("addendum a-alfa")


def test_provider_under_no_cao_gets_basistarief_and_its_addendum(diff_copy: Path, runner) -> None:
    doc = provider_json(runner, diff_copy, "zonder-cao")
    # contract verblijf only: DAG01 (addendum: basistarief with group 4 = 44.26) and ETM01 (basistarief 381.94)
    assert view(doc) == {"DAG01": [(BASIS, False, "zonder-cao", "44.26")], "ETM01": [(BASIS, False, "", "381.94")]}
    assert "valt onder geen CAO" in doc["tariffs"][1]["reason"]


def test_provider_under_an_unmodelled_cao_gets_basistarief(diff_copy: Path, runner) -> None:
    doc = provider_json(runner, diff_copy, "gamma-zorg")
    assert view(doc) == {"MIN01": [(BASIS, False, "", "0.93")], "UUR01": [(BASIS, False, "", "58.03")]}
    assert all("CAO Gamma rekent de regio niet mee" in t["reason"] for t in doc["tariffs"])


def test_micro_provider_gets_micro_rows(diff_copy: Path, runner) -> None:
    doc = provider_json(runner, diff_copy, "klein-alfa")
    assert doc["micro"] is True and doc["micro_reason"].startswith("micro-onderneming: 5 werknemers")
    assert view(doc) == {"MIN01": [("alfa", True, "", "1.03")], "UUR01": [("alfa", True, "", "61.67")],
                         "DAG01": [("alfa", True, "klein-alfa", "45.08")], "ETM01": [("alfa", True, "", "383.77")]}
    assert all("micro-onderneming" in t["reason"] for t in doc["tariffs"])


def test_rejected_request_leaves_the_general_tariff(diff_copy: Path, runner) -> None:
    doc = provider_json(runner, diff_copy, "groot-beta")
    assert view(doc)["DAG01"] == [("beta", False, "", "35.97")]
    doc24 = provider_json(runner, diff_copy, "groot-beta", "--year", "2024")
    assert view(doc24)["DAG01"] == [("beta", False, "groot-beta", "44.26")]  # a-2024, approved for 2024


def test_provider_cao_not_applicable_to_a_product_gets_basistarief(diff_copy: Path, runner) -> None:
    edit_product(diff_copy / P_AMB, "UUR01", "caos: [alfa, beta]", "caos: [beta]")
    doc = provider_json(runner, diff_copy, "groot-alfa")
    by_code = {t["product_code"]: t for t in doc["tariffs"]}
    assert (by_code["UUR01"]["variant"], by_code["UUR01"]["tariff_eur"]) == (BASIS, "58.03")
    assert by_code["UUR01"]["reason"] == "CAO alfa geldt niet voor dit product: basistarief"


@pytest.mark.parametrize(("key", "year", "expected"), [
    ("gi-test", "2024", {"JB01": [("extern", False, "", "100.00")]}),  # no phase-in value for 2024: the general one
    ("gi-test", "2025", {"JB01": [("extern", False, "gi-test", "90.00")], "JZP01": [("extern", False, "", "700.00")]}),
    ("gi-test", "2026", {"JB01": [("extern", False, "gi-test", "105.00")]}),
    ("gi-ander", "2025", {"JB01": [("extern", False, "", "110.00")], "JZP01": [("extern", False, "", "700.00")]}),
    ("gi-ander", "2026", {}),  # no general value in 2026 and no phase-in path: nothing
])
def test_provider_external_tariffs(diff_copy: Path, runner, key, year, expected) -> None:
    doc = provider_json(runner, diff_copy, key, "--year", year)
    assert view(doc) == expected
    assert all(t["reason"] for t in doc["tariffs"])


def test_provider_text_output(diff_copy: Path, runner) -> None:
    result = runner.invoke(main, ["provider", "klein-alfa", "--data", str(diff_copy)])
    assert result.exit_code == 0, result.output
    for part in ("Klein Alfa", "klein-alfa", "KvK 5", "tariefjaar 2025", "CAO bij inschrijving: alfa",
                 "micro-onderneming", "DAG01", "€ 45,08", "€ 61,67"):
        assert part in result.output, part


def test_unknown_provider_exits_2(diff_copy: Path, runner) -> None:
    result = runner.invoke(main, ["provider", "niemand", "--data", str(diff_copy)])
    assert result.exit_code == 2
    assert "onbekende aanbieder 'niemand'" in result.output
    assert "groot-alfa" in result.output  # the known keys are listed


def test_provider_command_on_a_region_without_providers(mini_path: Path, runner) -> None:
    result = runner.invoke(main, ["provider", "groot-alfa", "--data", str(mini_path)])
    assert result.exit_code == 2
    assert "geen parameters/providers.yaml" in result.output


# =============================================================== 8: checks


def test_tar16_warning_when_the_specialised_product_is_cheaper_per_staff_hour(diff_copy: Path, runner) -> None:
    edit_product(diff_copy / P_VERB, "DAG01", "    group_size: 5\n", "    group_size: 5\n    lighter_twin: UUR01\n")
    book = price_book(load_region(diff_copy), 2025)
    tar16 = sorted(p.message for p in book.problems if "TAR-16" in p.message)
    # C_mix per staff hour: DAG01 alfa 39.5881481481 -> 39.59 < UUR01 alfa 47.9081481481 -> 47.91;
    #                       DAG01 beta 36.9480533333 -> 36.95 < UUR01 beta 42.8510933333 -> 42.85
    assert tar16 == [
        "DAG01 (alfa) kost 39.59 per personeelsuur, minder dan het lichtere product UUR01 met 47.91 in 2025: "
        "een perverse prikkel (TAR-16)",
        "DAG01 (beta) kost 36.95 per personeelsuur, minder dan het lichtere product UUR01 met 42.85 in 2025: "
        "een perverse prikkel (TAR-16)",
    ]
    assert all(p.severity == "warning" and p.file == P_VERB and p.where == "DAG01.lighter_twin"
               for p in book.problems if "TAR-16" in p.message)
    result = runner.invoke(main, ["validate", "--data", str(diff_copy)])
    assert result.exit_code == 0, result.output  # a warning, not an error
    assert f"WAARSCHUWING {P_VERB} [DAG01.lighter_twin]" in result.output


def test_tar16_not_triggered_when_the_specialised_product_costs_more(diff_copy: Path, runner) -> None:
    # MIN01 (hbo, ambulant norm) per staff hour: alfa 55.0057971014 > UUR01 47.9081481481; beta 47.1814193548 > 42.8510933333
    edit_product(diff_copy / P_AMB, "MIN01", "    no_show: true\n", "    no_show: true\n    lighter_twin: UUR01\n")
    book = price_book(load_region(diff_copy), 2025)
    assert not [p for p in book.problems if "TAR-16" in p.message]
    result = runner.invoke(main, ["validate", "--data", str(diff_copy)])
    assert result.exit_code == 0 and "TAR-16" not in result.output


# =============================================================== properties (hypothesis)


def with_overhead(region: Region, rate: Decimal, rate_micro: Decimal) -> Region:
    oh = region.cost_model.overhead
    new = oh.model_copy(update={"rate": _with_value(oh.rate, rate), "rate_micro": _with_value(oh.rate_micro, rate_micro)})
    return dataclasses.replace(region, cost_model=region.cost_model.model_copy(update={"overhead": new}))


def with_cao_salaries_scaled(region: Region, cao_key: str, factor: Decimal) -> Region:
    caos = dict(region.caos)
    cao = caos[cao_key]
    tables = tuple(t if t.kind == "scale_map" else dataclasses.replace(t, cells={k: v * factor for k, v in t.cells.items()})
                   for t in cao.tables)
    caos[cao_key] = Cao(cao.meta, tables, cao.function_map, cao.dir)
    return dataclasses.replace(region, caos=caos)


def with_addendum_group(region: Region, size: Decimal) -> Region:
    addenda = tuple(a.model_copy(update={"overrides": {"group_size": size}}) if a.id in ("a-alfa", "a-geen", "a-micro")
                    else a for a in region.addenda)
    return dataclasses.replace(region, addenda=addenda)


def dec(lo: str, hi: str, places: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=D(lo), max_value=D(hi), places=places, allow_nan=False, allow_infinity=False)


def check_basistarief_is_min(book: Book) -> None:
    for micro in (False, True):
        for bp_code in {t.product.product.code for t in book.tariffs if t.kind == "cao"}:
            rows = [t for t in book.tariffs if t.product.product.code == bp_code and t.micro == micro and t.kind == "cao"]
            (base,) = [t for t in book.tariffs if t.product.product.code == bp_code and t.micro == micro
                       and t.kind == BASIS]
            lowest = min(t.tariff_eur for t in rows)
            assert base.tariff_eur == lowest
            assert base.cao == next(t.cao for t in rows if t.tariff_eur == lowest)  # ties: the first listed


@PROPS
@given(rate=dec("0", "0.6", 3), micro_share=dec("0", "1", 2), beta_factor=dec("0.7", "1.6", 2))
def test_property_basistarief_is_the_minimum(diff_region, rate, micro_share, beta_factor) -> None:
    region = with_cao_salaries_scaled(with_overhead(diff_region, rate, rate * micro_share), "beta", beta_factor)
    check_basistarief_is_min(price_book(region, 2025))


@PROPS
@given(rates=st.tuples(dec("0", "0.6", 3), dec("0", "0.6", 3)).map(sorted))
def test_property_micro_never_above_regular(diff_region, rates) -> None:
    rate_micro, rate = rates
    book = price_book(with_overhead(diff_region, rate, rate_micro), 2025)
    k = keyed(book)
    for (code, variant, micro, provider), t in k.items():
        if micro and provider == "" and t.kind in ("cao", BASIS):
            assert t.tariff_eur <= k[(code, variant, False, "")].tariff_eur
    if rate_micro == rate:
        assert all(t.tariff_eur == k[(c, v, False, "")].tariff_eur for (c, v, m, p), t in k.items()
                   if m and p == "" and t.kind in ("cao", BASIS))


@PROPS
@given(sizes=st.tuples(dec("0.5", "20", 2), dec("0.5", "20", 2)).map(sorted))
def test_property_smaller_addendum_group_gives_a_higher_tariff(diff_region, sizes) -> None:
    small, large = sizes
    at_small = keyed(price_book(with_addendum_group(diff_region, small), 2025))
    at_large = keyed(price_book(with_addendum_group(diff_region, large), 2025))
    keys = [("DAG01", "alfa", False, "groot-alfa"), ("DAG01", BASIS, False, "zonder-cao"),
            ("DAG01", "alfa", True, "klein-alfa")]
    for key in keys:
        assert at_small[key].tariff_eur >= at_large[key].tariff_eur
        if small < large:
            assert at_small[key].unrounded > at_large[key].unrounded
    # a group below the product's 5 never prices under the general tariff of the same variant
    if small <= 5:
        assert at_small[keys[0]].tariff_eur >= at_small[("DAG01", "alfa", False, "")].tariff_eur
        assert at_small[keys[1]].tariff_eur >= at_small[("DAG01", BASIS, False, "")].tariff_eur
        assert at_small[keys[2]].tariff_eur >= at_small[("DAG01", "alfa", True, "")].tariff_eur


# =============================================================== the bundled region


@pytest.fixture(scope="module")
def bundled() -> Region:
    from tariefmodel.data.bundled import bundled_region

    return load_region(bundled_region())


@pytest.fixture(scope="module")
def bundled_rows(tmp_path_factory) -> list[dict[str, str]]:
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("bundled") / "book.csv"
    result = CliRunner().invoke(main, ["calculate", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def provider_docs(bundled) -> dict[str, dict]:
    from click.testing import CliRunner

    runner = CliRunner()
    docs = {}
    for key in bundled.providers:
        result = runner.invoke(main, ["provider", key, "--json"])
        assert result.exit_code == 0, result.output
        docs[key] = json.loads(result.stdout)
    return docs


def test_bundled_provider_list_is_the_register(bundled, repo_root) -> None:
    text = (repo_root / PROV).read_text(encoding="utf-8")
    assert len(bundled.providers) == text.count("  - {key: ") == 13


def test_bundled_provider_text_command_exits_0_for_every_provider(bundled, runner) -> None:
    for key, prov in bundled.providers.items():
        result = runner.invoke(main, ["provider", key])
        assert result.exit_code == 0, (key, result.output)
        assert prov.name in result.output


def test_bundled_provider_views(bundled, provider_docs) -> None:
    day = dt.date(2025, 1, 1)
    products = {bp.product.code: bp for bp in bundled.products}
    external = {bp.product.code: bp for bp in bundled.external}
    for key, doc in provider_docs.items():
        prov = bundled.providers[key]
        status = micro_status(prov, bundled.differentiation, day)
        assert doc["micro"] is status.micro
        rows = doc["tariffs"]
        assert rows, key
        codes = [t["product_code"] for t in rows]
        # one tariff per product and version (a re-issue splits the year, TAR-17), and per period
        # one row per product, version and period (an addendum from 1 February leaves January to the general tariff)
        assert len({(t["product_code"], t["version"], t["valid_from"]) for t in rows}) == len(rows), key
        assert len({(t["product_code"], t["valid_from"]) for t in rows}) == len(rows), key
        own_products = {c for c, bp in products.items() if bp.contract in prov.contracts}
        assert {c for c in codes if c in products} == own_products, key
        for t in rows:
            assert t["contract"] in prov.contracts, (key, t)
            assert t["reason"].strip(), (key, t)
            code = t["product_code"]
            if code in external:
                assert t["kind"] == "extern" and t["provider"] in ("", key)
                continue
            assert t["micro"] is status.micro, (key, t)
            if t["kind"] == "addendum":
                assert t["provider"] == key
                continue
            assert t["provider"] == ""
            expected = prov.cao if prov.cao in products[code].product.caos else BASIS
            assert t["variant"] == expected, (key, t)


def test_bundled_micro_providers(provider_docs) -> None:
    micro = {k for k, d in provider_docs.items() if d["micro"]}
    # praktijk-zonnebloem 6 employees, turnover 700,000; zorgboerderij-weidezicht 8, turnover 900,000 (balance 2.4M:
    # 'either' suffices); samen-begeleid 9, balance 600,000 (turnover 2.4M); huishoudhulp-gouda 4, turnover 300,000.
    # coachpunt has 14 employees: not micro although its turnover is 1.1M
    assert micro == {"praktijk-zonnebloem", "zorgboerderij-weidezicht", "samen-begeleid", "huishoudhulp-gouda"}
    for key in micro:
        computed = [t for t in provider_docs[key]["tariffs"] if t["kind"] != "extern"]
        assert computed and all(t["micro"] for t in computed)


@pytest.mark.parametrize(("key", "why"), [("coachpunt", "valt onder geen CAO"),
                                          ("zorgboerderij-weidezicht", "valt onder geen CAO"),
                                          ("kindplus", "Cao Kinderopvang rekent de regio niet mee")])
def test_bundled_no_cao_or_unmodelled_cao_gets_basistarief(provider_docs, key, why) -> None:
    rows = [t for t in provider_docs[key]["tariffs"] if t["kind"] != "addendum"]
    assert rows
    assert all(t["variant"] == BASIS and t["kind"] == BASIS and why in t["reason"] for t in rows)


@pytest.mark.parametrize(("key", "code", "variant", "micro", "valid_from"), [
    ("de-rozenhof", "07A01", "gehandicaptenzorg", False, "2025-01-01"),
    ("zorgboerderij-weidezicht", "45A60", BASIS, True, "2025-01-01"),
    ("ggz-groene-hart", "15A02", "ggz", False, "2025-02-01"),  # a-2025-003 holds from 1 February
])
def test_bundled_approved_addendum_replaces_the_general_row(bundled_rows, provider_docs, key, code, variant, micro,
                                                            valid_from) -> None:
    rows = [t for t in provider_docs[key]["tariffs"] if t["product_code"] == code]
    adds = [t for t in rows if t["kind"] == "addendum"]
    assert len(adds) == 1
    (t,) = adds
    assert (t["provider"], t["variant"], t["micro"]) == (key, variant, micro)
    assert t["reason"].startswith("addendum a-2025-")
    assert (t["valid_from"], t["valid_to"]) == (valid_from, "2025-12-31")
    # no general tariff is listed for the period in which the addendum holds
    assert all(r["valid_to"] < t["valid_from"] or r["valid_from"] > t["valid_to"] for r in rows if r is not t)
    general = [r for r in bundled_rows if r["product_code"] == code and r["variant"] == variant
               and r["micro"] == str(micro).lower() and r["provider"] == "" and r["version"] == t["version"]]
    assert len(general) == 1
    # every bundled addendum asks for a smaller group: dearer than the general tariff
    assert D(t["tariff_eur"]) > D(general[0]["tariff_eur"])


def test_bundled_rejected_addendum_gives_the_general_row(provider_docs) -> None:
    # a-2025-004 (kompas-jeugd / 41A01) is rejected
    (t,) = [t for t in provider_docs["kompas-jeugd"]["tariffs"] if t["product_code"] == "41A01"]
    assert (t["kind"], t["provider"], t["variant"]) == ("cao", "", "jeugdzorg")


def test_bundled_unknown_provider_exits_2(runner) -> None:
    result = runner.invoke(main, ["provider", "bestaat-niet"])
    assert result.exit_code == 2
    assert "onbekende aanbieder 'bestaat-niet'" in result.output


def _money(rows: list[dict[str, str]]) -> dict[tuple[str, str, str, str, str], Decimal]:
    """Tariffs by (product, version, variant, micro, provider): a re-issued product (TAR-17) has a row per version."""
    out = {}
    for r in rows:
        k = (r["product_code"], r["version"], r["variant"], r["micro"], r["provider"])
        assert k not in out, f"two rows for {k}"
        out[k] = D(r["tariff_eur"])
    return out


def test_bundled_book_has_every_variant(bundled, bundled_rows) -> None:
    money = _money(bundled_rows)
    pgb = sorted(bundled.differentiation.pgb_categories)
    computed = {bp.product.code: bp for bp in bundled.products}
    versions = {(c, v) for (c, v, _, _, _) in money if c in computed}
    assert {c for c, _ in versions} == {c for c, bp in computed.items()
                                        if (bp.product.valid_from is None or bp.product.valid_from <= dt.date(2025, 1, 1))
                                        and (bp.product.valid_until is None
                                             or bp.product.valid_until >= dt.date(2025, 1, 1))}
    exempt = bundled.differentiation.pgb_exempt_products.values[0].value
    for code, version in sorted(versions):
        cao = computed[code].product.caos  # a re-issue changes no CAO list
        general = {(v, m) for (c, ver, v, m, p) in money if (c, ver) == (code, version) and p == ""}
        assert general == ({(v, m) for v in [*cao, BASIS] for m in ("false", "true")}
                           | {(f"pgb-{k}", "false") for k in pgb}), code
        for micro in ("false", "true"):
            lowest = min(money[(code, version, v, micro, "")] for v in cao)
            assert money[(code, version, BASIS, micro, "")] == lowest, (code, micro)
        for v in [*cao, BASIS]:
            assert money[(code, version, v, "true", "")] <= money[(code, version, v, "false", "")], (code, v)
        base = money[(code, version, BASIS, "false", "")]
        for k, cat in bundled.differentiation.pgb_categories.items():
            rate = D(1) if code in exempt else cat.rate.values[0].value
            assert money[(code, version, f"pgb-{k}", "false", "")] == excel_round(base * rate, 2), (code, k)
    # 42A01 is exempt: its pgb tariffs equal the basistarief
    assert {money[("42A01", "", f"pgb-{k}", "false", "")] for k in pgb} == {money[("42A01", "", BASIS, "false", "")]}


def test_bundled_book_kinds_and_providers(bundled, bundled_rows) -> None:
    kinds = {r["kind"] for r in bundled_rows}
    assert kinds == {"cao", BASIS, "addendum", "pgb", "extern"}
    for r in bundled_rows:
        if r["kind"] in ("cao", BASIS, "pgb"):
            assert r["provider"] == ""
        if r["kind"] == "addendum":
            assert r["provider"] in bundled.providers
        if r["kind"] == "pgb":
            assert r["variant"].startswith("pgb-") and r["micro"] == "false"
        assert r["reason"].strip()
    adds = sorted((r["product_code"], r["provider"]) for r in bundled_rows if r["kind"] == "addendum")
    # approved and valid in 2025: a-2025-001, -002, -003 (a-2025-004 rejected; a-2026-005 requested, from 2026)
    assert adds == [("07A01", "de-rozenhof"), ("15A02", "ggz-groene-hart"), ("45A60", "zorgboerderij-weidezicht")]
    ext = sorted((r["product_code"], r["provider"], r["tariff_eur"]) for r in bundled_rows if r["kind"] == "extern")
    assert ext == [("43A90", "", "712.00"), ("47A01", "", "21.80"), ("48A01", "", "26.60"), ("48A01", "gi-west", "25.30")]
    assert all(r["variant"] == "extern" for r in bundled_rows if r["kind"] == "extern")


# =============================================================== bad inputs through the CLI


@dataclass(frozen=True)
class Case:
    break_it: Callable[[Path], None]
    expect: tuple[str, ...]  # substrings of the error output: the file, the key or row, the message


def _addendum_unknown_provider(d: Path) -> None:
    edit(d / ADD, "    provider: groot-alfa\n", "    provider: onbekend\n")


def _provider_without_cao(d: Path) -> None:
    edit(d / PROV, 'identifier: "KvK 1", cao: alfa, ', 'identifier: "KvK 1", ')


def _provider_unknown_cao(d: Path) -> None:
    edit(d / PROV, 'identifier: "KvK 2", cao: beta,', 'identifier: "KvK 2", cao: zeta,')


def _addendum_unknown_product(d: Path) -> None:
    edit(d / ADD, "    provider: groot-alfa\n    product: DAG01\n", "    provider: groot-alfa\n    product: XYZ01\n")


def _overlapping_addenda(d: Path) -> None:
    with open(d / ADD, "a", encoding="utf-8") as fh:
        fh.write("  - id: a-alfa-bis\n    provider: groot-alfa\n    product: DAG01\n    overrides: {group_size: 3}\n"
                 "    reason: Tweede addendum voor dezelfde periode\n"
                 "    decision: {status: approved, decided_by: testcommissie, decided_on: 2025-05-01}\n"
                 "    from: 2025-06-01\n    source: testdata overlap\n")


def _negative_employees(d: Path) -> None:
    edit(d / PROV, "cao: alfa, employees: 50,", "cao: alfa, employees: -1,")


def _addendum_ineligible_product(d: Path) -> None:
    edit(d / ADD, "    provider: groot-alfa\n    product: DAG01\n", "    provider: groot-alfa\n    product: UUR01\n")


def _override_not_whitelisted(d: Path) -> None:
    edit(d / DIFF, "value: [group_size, staff_hours_per_unit]", "value: [group_size]")
    edit(d / ADD, A_ALFA_OVERRIDES,
         "    overrides: {staff_hours_per_unit: 3}\n    reason: Kleinere groep voor een zware doelgroep\n"
         "    team_advice: Positief\n")


def _override_unknown_field(d: Path) -> None:
    edit(d / ADD, A_ALFA_OVERRIDES,
         "    overrides: {overhead_rate: 0.3}\n    reason: Kleinere groep voor een zware doelgroep\n"
         "    team_advice: Positief\n")


def _provider_unknown_contract(d: Path) -> None:
    edit(d / PROV, "balance_total_eur: 3000000, contracts: [ambulant, verblijf], source: testdata register}\n"
         "  - {key: groot-beta",
         "balance_total_eur: 3000000, contracts: [ambulant, wonen], source: testdata register}\n  - {key: groot-beta")


def _addendum_provider_without_contract(d: Path) -> None:
    edit(d / ADD, "    provider: groot-alfa\n", "    provider: gamma-zorg\n")  # gamma-zorg: contract ambulant only


def _approved_without_decided_by(d: Path) -> None:
    edit(d / ADD, "    team_advice: Positief\n    decision: {status: approved, decided_by: testcommissie, "
         "decided_on: 2024-12-01}\n", "    team_advice: Positief\n    decision: {status: approved, decided_on: 2024-12-01}\n")


def _external_unknown_contract(d: Path) -> None:
    edit(d / EXT, "    contract: jeugdbescherming\n    unit: etmaal\n    follows: landelijk testtarief\n",
         "    contract: jeugdzorg-plus\n    unit: etmaal\n    follows: landelijk testtarief\n")


def _phase_in_unknown_provider(d: Path) -> None:
    edit(d / EXT, "      - provider: gi-test\n", "      - provider: gi-onbekend\n")


def _pgb_exempt_unknown_product(d: Path) -> None:
    edit(d / DIFF, 'value: ["ETM01"]', 'value: ["ETM99"]')


def _external_duplicates_computed(d: Path) -> None:
    edit(d / EXT, "  - code: JB01\n", "  - code: UUR01\n")


def _micro_overhead_above_regular(d: Path) -> None:
    edit(d / COST, "value: 0.05\n        source: testdata overhead micro\n",
         "value: 0.20\n        source: testdata overhead micro\n")


def _duplicate_provider(d: Path) -> None:
    edit(d / PROV, "{key: groot-beta, name: Groot Beta,", "{key: groot-alfa, name: Groot Beta,")


def _duplicate_addendum_id(d: Path) -> None:
    edit(d / ADD, "  - id: a-geen\n", "  - id: a-alfa\n")


def _addendum_until_before_from(d: Path) -> None:
    edit(d / ADD, "    from: 2025-01-01\n    until: 2025-12-31\n", "    from: 2025-01-01\n    until: 2024-12-31\n")


def _micro_test_unknown(d: Path) -> None:
    edit(d / DIFF, "      value: either\n", "      value: en/of\n")


def _phase_in_year_twice(d: Path) -> None:
    edit(d / EXT, "          - year: 2026\n            amount_eur: 105.00\n",
         "          - year: 2025\n            amount_eur: 105.00\n")


def _external_negative_amount(d: Path) -> None:
    edit(d / EXT, "amount_eur: 700.00", "amount_eur: -700.00")


def _providers_without_rules(d: Path) -> None:
    (d / DIFF).unlink()
    (d / ADD).unlink()


def _addendum_group_zero(d: Path) -> None:
    edit(d / ADD, "    overrides: {group_size: 3}\n", "    overrides: {group_size: 0}\n")


CASES: dict[str, Case] = {
    "addendum_unknown_provider": Case(_addendum_unknown_provider,
                                      (ADD, "[addenda.0 (a-alfa).provider]", "aanbieder 'onbekend' bestaat niet")),
    "provider_without_cao": Case(_provider_without_cao, (PROV, "[providers.0.cao]", "verplichte sleutel ontbreekt")),
    "provider_unknown_cao": Case(_provider_unknown_cao, (PROV, "[providers.1 "
                                                               "(groot-beta).cao]", "onbekende opgegeven CAO 'zeta'")),
    "addendum_unknown_product": Case(_addendum_unknown_product,
                                     (ADD, "[addenda.0 (a-alfa).product]", "product 'XYZ01' bestaat niet")),
    "overlapping_addenda": Case(_overlapping_addenda,
                                (ADD, "[addenda.6 (a-alfa-bis)]", "overlapt met goedgekeurd addendum a-alfa voor groot-alfa / "
                                                                  "DAG01")),
    "negative_employees": Case(_negative_employees, (PROV, "[providers.0.employees]", "moet minstens 0 zijn")),
    "addendum_ineligible_product": Case(_addendum_ineligible_product,
                                        (ADD, "[addenda.0 (a-alfa).product]", "product UUR01 staat geen aanbiederspecifieke",
                                         P_AMB)),
    "override_not_whitelisted": Case(_override_not_whitelisted,
                                     (ADD, "[addenda.0 (a-alfa).overrides.staff_hours_per_unit]",
                                      "'staff_hours_per_unit' staat niet in addendum_overridable")),
    "override_unknown_field": Case(_override_unknown_field, (ADD, "[addenda.0.overrides.overhead_rate]")),
    "provider_unknown_contract": Case(_provider_unknown_contract,
                                      (PROV, "[providers.0 (groot-alfa).contracts]", "contract 'wonen' bestaat niet")),
    "addendum_provider_without_contract": Case(_addendum_provider_without_contract,
                                               (ADD, "[addenda.0 (a-alfa).provider]",
                                                "aanbieder 'gamma-zorg' heeft geen contract 'verblijf' voor product DAG01")),
    "approved_without_decided_by": Case(_approved_without_decided_by,
                                        (ADD, "[addenda.0.decision]", "heeft decided_by en decided_on nodig")),
    "external_unknown_contract": Case(_external_unknown_contract,
                                      (EXT, "[products.0 (JB01).contract]", "contract 'jeugdzorg-plus' bestaat niet")),
    "phase_in_unknown_provider": Case(_phase_in_unknown_provider,
                                      (EXT, "[products.0 (JB01).phase_in]", "aanbieder 'gi-onbekend' bestaat niet")),
    "pgb_exempt_unknown_product": Case(_pgb_exempt_unknown_product,
                                       (DIFF, "[pgb_exempt_products]", "product 'ETM99' bestaat niet")),
    "external_duplicates_computed": Case(_external_duplicates_computed,
                                         (EXT, "[products.0 (UUR01)]", "productcode 'UUR01' staat er twee keer in")),
    "micro_overhead_above_regular": Case(_micro_overhead_above_regular,
                                         (COST, "[overhead.rate_micro]", "het microtarief van UUR01 / alfa",
                                          "mag niet hoger zijn dan de gewone overhead")),
    "duplicate_provider": Case(_duplicate_provider, (PROV, "[providers.1 (groot-alfa)]", "aanbieder 'groot-alfa' staat er "
                                                                                         "twee keer in")),
    "duplicate_addendum_id": Case(_duplicate_addendum_id, (ADD, "[addenda.1 (a-alfa)]", "addendum-id 'a-alfa' staat er twee "
                                                                                        "keer in")),
    "addendum_until_before_from": Case(_addendum_until_before_from, (ADD, "[addenda.0]", "ligt vóór from")),
    "micro_financial_test_unknown": Case(_micro_test_unknown, (DIFF, "micro_financial_test.values.0.value")),
    "phase_in_year_twice": Case(_phase_in_year_twice, (EXT, "[products.0]", "phase_in gi-test: een jaar staat er twee keer in")),
    "external_negative_amount": Case(_external_negative_amount, (EXT, "products.1.tariffs.0.amount_eur", "negatief")),
    "providers_without_rules": Case(_providers_without_rules, (PROV, "regels voor micro-ondernemingen")),
    "addendum_group_zero": Case(_addendum_group_zero, (ADD, "addenda.3.overrides.group_size", "niet groter dan 0")),
}


def _check_failure(result, case: Case) -> None:
    out = result.output
    assert result.exit_code == 2, out
    assert "FOUT" in out and "niets geschreven" in out
    for part in case.expect:
        assert part in out, f"{part!r} not in:\n{out}"
    assert "Traceback" not in out


@pytest.mark.parametrize("kind", sorted(CASES))
def test_validate_refuses(kind: str, diff_copy: Path, runner) -> None:
    CASES[kind].break_it(diff_copy)
    _check_failure(runner.invoke(main, ["validate", "--data", str(diff_copy)]), CASES[kind])


@pytest.mark.parametrize("kind", sorted(CASES))
def test_calculate_refuses_and_writes_nothing(kind: str, diff_copy: Path, tmp_path: Path, runner) -> None:
    case = CASES[kind]
    case.break_it(diff_copy)
    outdir = tmp_path / "out"
    outdir.mkdir()
    out = outdir / "X.csv"
    _check_failure(runner.invoke(main, ["calculate", "--data", str(diff_copy), "--out", str(out)]), case)
    assert list(outdir.iterdir()) == []  # neither X.csv nor a temporary file
    old = b"product_code,tariff_eur\nOLD01,1.23\n"
    out.write_bytes(old)
    _check_failure(runner.invoke(main, ["calculate", "--data", str(diff_copy), "--out", str(out)]), case)
    assert out.read_bytes() == old
    assert [p.name for p in outdir.iterdir()] == ["X.csv"]


def test_the_unbroken_differentiation_copy_passes(diff_copy: Path, tmp_path: Path, runner) -> None:
    result = runner.invoke(main, ["validate", "--data", str(diff_copy), "--year", "2024", "--year", "2025",
                                  "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert "FOUT" not in result.output
    result = runner.invoke(main, ["calculate", "--data", str(diff_copy), "--out", str(tmp_path / "X.csv")])
    assert result.exit_code == 0, result.output


def test_the_mini_region_itself_has_no_differentiation_files() -> None:
    # the mini region itself has no differentiation files (other tests count its rows)
    assert not any((MINI / "parameters" / name).exists() for name in DIFF_FILES)
    assert (REPO / "tests/fixtures/differentiation/providers.yaml").is_file()


# =============================================================== engine bugs found (strict xfail)


def test_fixed_consecutive_addenda_in_one_year_keep_their_own_validity(diff_copy: Path) -> None:
    edit(diff_copy / ADD, "    from: 2025-01-01\n    until: 2025-12-31\n", "    from: 2025-01-01\n    until: 2025-06-30\n")
    with open(diff_copy / ADD, "a", encoding="utf-8") as fh:
        fh.write("  - id: a-alfa-juli\n    provider: groot-alfa\n    product: DAG01\n    overrides: {group_size: 3}\n"
                 "    reason: Nog kleinere groep vanaf juli\n"
                 "    decision: {status: approved, decided_by: testcommissie, decided_on: 2025-06-01}\n"
                 "    from: 2025-07-01\n    source: testdata addendum juli\n")
    book = price_book(load_region(diff_copy), 2025)
    rows = sorted((t.valid_from, t.valid_to, t.tariff_eur) for t in book.tariffs if t.provider == "groot-alfa")
    # group 4: 47.22 (above); group 3: D = 39.5881481481 x 4 / 3 = 52.7841975309 + 2.50 = 55.2841975309;
    # x 1.1 x 1.02 = 62.0288696296 -> 62.03. Today both rows say 2025-07-01 .. 2025-12-31.
    assert rows == [(dt.date(2025, 1, 1), dt.date(2025, 6, 30), D("47.22")),
                    (dt.date(2025, 7, 1), dt.date(2025, 12, 31), D("62.03"))]


def _periods(doc: dict, code: str) -> list[tuple[str, str]]:
    return sorted((t["valid_from"], t["valid_to"]) for t in doc["tariffs"] if t["product_code"] == code)


def _covers_year(periods: list[tuple[str, str]], year: int) -> bool:
    """The periods join up, without gaps or overlaps, from 1 January to 31 December."""
    day = dt.date(year, 1, 1)
    for start, end in periods:
        if dt.date.fromisoformat(start) != day:
            return False
        day = dt.date.fromisoformat(end) + dt.timedelta(days=1)
    return day == dt.date(year + 1, 1, 1)


def test_fixed_provider_view_covers_the_year_before_a_mid_year_addendum(diff_copy: Path, runner) -> None:
    edit(diff_copy / ADD, "    from: 2025-01-01\n    until: 2025-12-31\n", "    from: 2025-04-01\n    until: 2025-12-31\n")
    doc = provider_json(runner, diff_copy, "groot-alfa")
    assert _periods(doc, "UUR01") == [("2025-01-01", "2025-12-31")]  # the control
    # the general 38.34 until 31 March, then the addendum 47.22
    assert _covers_year(_periods(doc, "DAG01"), 2025), _periods(doc, "DAG01")


def test_fixed_provider_view_lists_every_version_of_a_reissued_product(diff_copy: Path, runner) -> None:
    (diff_copy / "parameters/reissues.yaml").write_text(
        "reissues:\n  - id: r-etm\n    product: ETM01\n    from: 2025-07-01\n    changes: {group_size: 2}\n"
        "    reason: Groep van 2 in plaats van 4\n    source: testdata heruitgifte\n    rationale: Rond getal.\n",
        encoding="utf-8")
    book = price_book(load_region(diff_copy), 2025)
    etm = sorted((t.valid_from, t.tariff_eur) for t in book.tariffs
                 if t.product.product.code == "ETM01" and t.variant == "alfa" and not t.micro)
    # alfa from July, group 2: D = 43.0548148148 x 24 / 2 = 516.6577777778 + 100 = 616.6577777778;
    # x 1.1 x 1.02 = 691.8900266667 -> 691.89 (until June: 402.05)
    assert etm == [(dt.date(2025, 1, 1), D("402.05")), (dt.date(2025, 7, 1), D("691.89"))]  # the book is right
    doc = provider_json(runner, diff_copy, "groot-alfa")
    etm_view = sorted((t["valid_from"], t["tariff_eur"]) for t in doc["tariffs"] if t["product_code"] == "ETM01")
    assert etm_view == [("2025-01-01", "402.05"), ("2025-07-01", "691.89")]  # both versions, each with its own validity


def test_fixed_pgb_rate_missing_for_the_year_exits_2(diff_copy: Path, tmp_path: Path, runner) -> None:
    edit(diff_copy / DIFF, "        - from: 2024-01-01\n          value: 0.50\n",
         "        - from: 2025-01-01\n          value: 0.50\n")
    out = tmp_path / "X.csv"
    result = runner.invoke(main, ["calculate", "--data", str(diff_copy), "--year", "2024", "--out", str(out)])
    assert result.exit_code == 2, repr(result.exception)
    assert DIFF in result.output and "pgb_categories.netwerk.rate" in result.output
    assert not out.exists()


def test_fixed_whitelist_missing_for_the_year_exits_2(diff_copy: Path, runner) -> None:
    edit(diff_copy / DIFF, "addendum_overridable:\n  values:\n    - from: 2024-01-01\n",
         "addendum_overridable:\n  values:\n    - from: 2025-01-01\n")
    result = runner.invoke(main, ["validate", "--data", str(diff_copy), "--year", "2024"])
    assert result.exit_code == 2, repr(result.exception)
    assert DIFF in result.output and "addendum_overridable" in result.output


def test_fixed_micro_rule_missing_for_the_year_provider_exits_2(diff_copy: Path, runner) -> None:
    edit(diff_copy / DIFF, "micro_max_employees:\n  values:\n    - from: 2024-01-01\n",
         "micro_max_employees:\n  values:\n    - from: 2025-01-01\n")
    text = (diff_copy / ADD).read_text(encoding="utf-8")
    (diff_copy / ADD).write_text(text[: text.index("  - id: a-2024\n")], encoding="utf-8")  # no addendum in 2024
    result = runner.invoke(main, ["provider", "klein-alfa", "--data", str(diff_copy), "--year", "2024"])
    assert result.exit_code == 2, repr(result.exception)
    assert DIFF in result.output and "micro_max_employees" in result.output


def test_fixed_unknown_lighter_twin_is_refused(diff_copy: Path, runner) -> None:
    edit_product(diff_copy / P_VERB, "DAG01", "    group_size: 5\n", "    group_size: 5\n    lighter_twin: ZZ99\n")
    result = runner.invoke(main, ["validate", "--data", str(diff_copy)])
    assert result.exit_code == 2
    assert P_VERB in result.output and "ZZ99" in result.output


def test_fixed_phase_in_provider_without_the_contract_is_refused(diff_copy: Path, runner) -> None:
    edit(diff_copy / EXT, "      - provider: gi-test\n", "      - provider: groot-alfa\n")  # no contract jeugdbescherming
    result = runner.invoke(main, ["validate", "--data", str(diff_copy)])
    assert result.exit_code == 2
    assert EXT in result.output and "groot-alfa" in result.output
