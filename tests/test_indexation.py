"""Indexation (issue 4): VNG percentages, dated publications, indexed contract years, recalibration.

Two data folders are used.

The bundled region (parameters/indexation.yaml): the VNG figures as published, with
* vng.nl/artikelen/indexatie-bij-inkoop-jeugdhulp-en-wmo-ondersteuning-2024 (advice 2024, ratio, 2 decimals):
  OVA 90%: 2023 voorlopig 4,74%, definitief 6,36%, verschil 1,55%, 2024 voorlopig 4,94%;
  PPC 10%: 4,87%, 7,02%, 2,05%, 2,51%; totaal 4,75% / 6,43% / 1,60% / 4,70%; aanbieder 6,30%.
* vng.nl/nieuws/indexering-kosten-jeugdwet-en-wmo-2025 (original advice 2025, ratio, 2 decimals):
  OVA 4,94% / 6,00% / 1,01% / 4,18%; PPC 2,51% / 3,10% / 0,58% / 1,82%; totaal 4,70% / 5,71% / 0,97% / 3,94%;
  aanbieder 4,91%.
* vng.nl/artikelen/indexatie-bij-inkoop-jeugdhulp-en-wmo-ondersteuning-2025, 'Update 2 oktober 2024' (corrected
  advice 2025, difference of weighted figures, 3 decimals): gewogen voorlopig 4,446% + 0,251%, gewogen definitief
  5,40% + 0,31%, verschil 0,954% + 0,059% = 1,013%; 2025 gewogen voorlopig 3,762% + 0,182% = 3,944%; aanbieder 4,96%.
Contracts start 2025-01-01 (2025 is calibrated); from 2026 every contract is indexed with vast-2 (2%), except
hulp-bij-huishouden, which follows the CAO.

A copy of the mini region (tests/fixtures/mini_region; every 2025 tariff is hand-computed in
tests/test_handcomputed.py) with tests/fixtures/indexation/indexation.yaml: invented round figures,
VNG advice 2026 = 3,34% (first contract year: 2,90%), advice 2027 = 2,77% (arithmetic in that file). Both
contracts start 2025-01-01. Default assignments:
    ambulant (MIN01, UUR01): 2026 vast-3 (3%), 2027 vng (2,77%), from 2028 vast-3
    verblijf (DAG01, ETM01): 2026 vng (first indexed year: no correction, 2,90%), 2027 comp, from 2028 geen
2025 tariffs (hand-computed): UUR01 alfa 64.60, beta 58.03; MIN01 alfa hour 64.96 -> minute 1.08, beta hour
55.72 -> 0.93; DAG01 alfa 38.34, beta 35.97; ETM01 alfa 402.05, beta 381.94.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI, TESTS, edit, edit_product
from hypothesis import given, settings
from hypothesis import strategies as st

from tariefmodel.cli.main import main
from tariefmodel.data.bundled import bundled_region
from tariefmodel.engine.book import price_book
from tariefmodel.engine.indexation import LATEST, method_rate, vng_rate
from tariefmodel.engine.variants import calibrated_book
from tariefmodel.loader.load import load_region

D = Decimal
FIX = TESTS / "fixtures" / "indexation"
IX = "parameters/indexation.yaml"
P_VERB = "parameters/products/02_verblijf.yaml"
PROPS = settings(max_examples=30, deadline=None)
Key = tuple  # product code, variant, micro, provider (and the version, for a re-issued product)


def R(value: Decimal, places: int = 2) -> Decimal:
    """Excel ROUND: half away from zero (the tariffs here are positive)."""
    return value.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)


# ----------------------------------------------------------------------------- helpers


def copy_bundled(dest: Path) -> Path:
    """A writable copy of the bundled region's data folder."""
    src = bundled_region()
    for name in ("parameters", "cao_tables", "benchmarks"):
        shutil.copytree(src / name, dest / name)
    return dest


def configure(root: Path, assignments: str | None = None, methods: str = "", figures: dict[str, str] | None = None) -> Path:
    """Write the fixture indexation.yaml into ``root``, optionally with other assignments, extra methods or figures."""
    text = (FIX / "indexation.yaml").read_text(encoding="utf-8")
    if assignments is not None:
        head, _ = text.split("\nassignments:\n")
        text = head + "\nassignments:\n" + assignments
    if methods:
        text = text.replace("\nmethods:\n", "\nmethods:\n" + methods, 1)
    for series, lines in (figures or {}).items():
        marker = f"  {series}:\n    label: {series.upper()} (testcijfers)\n    publications:\n"
        assert text.count(marker) == 1
        text = text.replace(marker, marker + lines)
    (root / IX).write_text(text, encoding="utf-8")
    return root


def assignment(contract: str, method: str, start: int, end: int | None = None, products: str = "") -> str:
    until = f", until: {end}-12-31" if end else ""
    only = f", products: [{products}]" if products else ""
    return (f"  - {{contract: {contract}, method: {method}, from: {start}-01-01{until}{only}, source: testdata, "
            f"rationale: Testtoewijzing.}}\n")


def keyed(book: Any) -> dict[Key, Any]:
    """Rows by (code, variant, micro, provider), plus the version for a re-issued product (TAR-17)."""
    out: dict[Key, Any] = {}
    for t in book.tariffs:
        version = getattr(t, "version", "")
        k = (t.product.product.code, t.variant, t.micro, t.provider) + ((version,) if version else ())
        assert k not in out, f"two rows for {k}"
        out[k] = t
    return out


def books(root: Path, years, known_on: dt.date | None = None) -> dict[int, dict[Key, Any]]:
    region = load_region(root, use_cache=False)
    return {y: keyed(price_book(region, y, known_on)) for y in years}


def eur(book: dict[Key, Any], code: str, variant: str, micro: bool = False, provider: str = "") -> Decimal:
    return book[(code, variant, micro, provider)].tariff_eur


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def csv_by_key(rows: list[dict[str, str]], year: int | None = None, versions: bool = True) -> dict[tuple, dict[str, str]]:
    """Output rows by (code, variant, micro, provider), plus the version of a re-issued product if ``versions``."""
    out = {}
    for r in rows:
        if year is None or r["year"] == str(year):
            version = r.get("version", "") if versions else ""
            k = (r["product_code"], r["variant"], r["micro"], r["provider"]) + ((version,) if version else ())
            assert k not in out, f"two rows for {k}"
            out[k] = r
    return out


def run(runner, *args: str):
    return runner.invoke(main, [str(a) for a in args])


def rate_line(output: str, year: int) -> str:
    (line,) = [ln for ln in output.splitlines() if ln.startswith(f"INDEXATIE {year}:")]
    return line.split(": ", 1)[1]


@pytest.fixture
def ix_copy(mini_copy: Path) -> Path:
    """A copy of the mini region with the fixture indexation.yaml (default assignments)."""
    return configure(mini_copy)


@pytest.fixture(scope="module")
def ix_books(tmp_path_factory) -> dict[int, dict[Key, Any]]:
    root = tmp_path_factory.mktemp("ix") / "region"
    shutil.copytree(MINI, root)
    return books(configure(root), (2025, 2026, 2027, 2028))


@pytest.fixture(scope="module")
def bundled():
    return load_region(bundled_region())


# ============================================================================= 1. VNG percentages


def test_vng_2024_provider_rate_from_the_published_figures(bundled) -> None:
    d = vng_rate(bundled.indexation, "vng", 2024, LATEST)
    lines = dict(d.lines)
    # gewogen voorlopig 2024 = 0.9 x 4.94 + 0.1 x 2.51 = 4.446 + 0.251 = 4.697 -> 4.70%
    assert lines["gewogen voorlopig 2024"].startswith("4,70%")
    # correction as a ratio per component, 2 decimals:
    # OVA (1.0636 / 1.0474 - 1) = 1.5467% -> 1.55%; PPC (1.0702 / 1.0487 - 1) = 2.0502% -> 2.05%
    assert lines["correctie OVA"].endswith("= 1,55%")
    assert lines["correctie PPC"].endswith("= 2,05%")
    # weighted: 0.9 x 1.55 + 0.1 x 2.05 = 1.395 + 0.205 = 1.600 -> 1.60%
    assert lines["correctie 2023 gewogen"] == "1,60%"
    # aanbieder: 4.70 + 1.60 = 6.30%, as VNG published
    assert d.rate == D("0.0630")
    assert d.published_rate == D("0.0630")
    assert lines["gepubliceerd door VNG"] == "6,30% (gelijk)"


def test_vng_2025_original_advice_known_before_the_correction(bundled) -> None:
    d = vng_rate(bundled.indexation, "vng", 2025, dt.date(2024, 9, 1))
    lines = dict(d.lines)
    assert "gepubliceerd 09-07-2024" in lines["regels"] and "verhouding" in lines["regels"]
    # gewogen voorlopig 2025 = 0.9 x 4.18 + 0.1 x 1.82 = 3.762 + 0.182 = 3.944 -> 3.94%
    assert lines["gewogen voorlopig 2025"].startswith("3,94%")
    # OVA (1.0600 / 1.0494 - 1) = 1.0101% -> 1.01%; PPC (1.0310 / 1.0251 - 1) = 0.5756% -> 0.58%
    assert lines["correctie OVA"].endswith("= 1,01%")
    assert lines["correctie PPC"].endswith("= 0,58%")
    # weighted: 0.9 x 1.01 + 0.1 x 0.58 = 0.909 + 0.058 = 0.967 -> 0.97%; aanbieder 3.94 + 0.97 = 4.91%
    assert lines["correctie 2024 gewogen"] == "0,97%"
    assert d.rate == D("0.0491") == d.published_rate


def test_vng_2025_corrected_advice_latest(bundled) -> None:
    d = vng_rate(bundled.indexation, "vng", 2025, LATEST)
    lines = dict(d.lines)
    assert "gepubliceerd 02-10-2024" in lines["regels"] and "procentpunten" in lines["regels"]
    # 3 decimals: gewogen voorlopig 3.762 + 0.182 = 3.944%
    assert lines["gewogen voorlopig 2025"].startswith("3,944%")
    # OVA: 0.9 x 6.00 = 5.400 - 0.9 x 4.94 = 4.446 -> 0.954; PPC: 0.1 x 3.10 = 0.310 - 0.1 x 2.51 = 0.251 -> 0.059
    assert lines["correctie OVA"] == "gewogen definitief 5,40% - gewogen voorlopig 4,446% = 0,954%"
    assert lines["correctie PPC"] == "gewogen definitief 0,31% - gewogen voorlopig 0,251% = 0,059%"
    # 0.954 + 0.059 = 1.013; aanbieder 3.944 + 1.013 = 4.957 -> 4.96%
    assert lines["correctie 2024 gewogen"] == "1,013%"
    assert d.rate == D("0.0496") == d.published_rate


def test_vng_verblijf_80_20_uses_the_rules_of_the_year(bundled) -> None:
    d = method_rate(bundled.indexation, "vng-verblijf", 2025, LATEST, first_year=False)
    # corrected 2025 rules, weights 80/20: voorlopig 0.8 x 4.18 + 0.2 x 1.82 = 3.344 + 0.364 = 3.708%
    # correction: OVA 0.8 x 6.00 - 0.8 x 4.94 = 4.800 - 3.952 = 0.848; PPC 0.2 x 3.10 - 0.2 x 2.51 = 0.620 - 0.502
    # = 0.118; 0.848 + 0.118 = 0.966; aanbieder 3.708 + 0.966 = 4.674 -> 4.67% (no published figure to compare)
    assert d.rate == D("0.0467")
    assert d.published_rate is None


@pytest.mark.parametrize(("args", "expected"), [
    (("--year", "2024"), "6,30%"),
    (("--year", "2025"), "4,96%"),
    (("--year", "2025", "--known-on", "2024-09-01"), "4,91%"),
    (("--year", "2025", "--first-year"), "3,94%"),  # no correction: 3.944 -> 3.94%
    (("--year", "2025", "--method", "vast-2"), "2,00%"),
])
def test_index_rate_command(runner, args, expected) -> None:
    result = run(runner, "index", "rate", *args)
    assert result.exit_code == 0, result.output
    assert rate_line(result.output, int(args[1])) == expected


# ============================================================================= 2. dated publications


@pytest.mark.parametrize(("known_on", "expected"), [
    ("2024-07-09", "4,91%"),  # the original 2025 advice, published that day
    ("2024-10-01", "4,91%"),  # the day before the correction
    ("2024-10-02", "4,96%"),  # 'Update 2 oktober 2024'
    ("2025-06-30", "4,96%"),
])
def test_corrected_vng_advice_counts_from_its_date(runner, known_on, expected) -> None:
    result = run(runner, "index", "rate", "--year", "2025", "--known-on", known_on)
    assert result.exit_code == 0, result.output
    assert rate_line(result.output, 2025) == expected
    y, m, d = known_on.split("-")
    assert f"(bekend op {d}-{m}-{y})" in result.output


def test_no_advice_known_before_its_publication(runner) -> None:
    result = run(runner, "index", "rate", "--year", "2025", "--known-on", "2024-07-08")
    assert result.exit_code == 2
    assert IX in result.output and ("geen VNG-indexatieadvies voor 2025 gepubliceerd op of vóór peildatum "
                                    "08-07-2024") in result.output


# A correction of OVA 2026 definitief (4.00% -> 4.50%), published 2027-03-01, after the VNG advice 2027
# (2026-10-01). Known on or after 2027-03-01 the 2027 VNG index becomes:
#   correctie OVA 1.045 / 1.030 - 1 = 1.4563% -> 1.46%; gewogen 0.9 x 1.46 = 1.314 -> 1.31%;
#   aanbieder 1.90 + 1.31 = 3.21% (was 2.77%)
OVA_CORRECTION = ("      - {year: 2026, kind: definitief, value: 0.0450, published: 2027-03-01, corrects: 2026-10-01, "
                  "source: testdata OVA 2026 definitief (gecorrigeerd)}\n")


def test_figure_correction_changes_results_only_from_its_date(ix_copy, tmp_path, runner) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(ix_copy, plain)
    configure(ix_copy, figures={"ova": OVA_CORRECTION})
    # the VNG advice 2027 is still reproduced: the loader checks it with the figures known on 2026-10-01
    assert run(runner, "validate", "--data", ix_copy).exit_code == 0

    def rate(known_on: str | None) -> str:
        extra = ("--known-on", known_on) if known_on else ()
        result = run(runner, "index", "rate", "--data", ix_copy, "--year", "2027", *extra)
        assert result.exit_code == 0, result.output
        return rate_line(result.output, 2027)

    assert rate("2027-02-28") == "2,77%"
    assert rate("2027-03-01") == "3,21%"
    assert rate(None) == "3,21%"

    def apply(root: Path, known_on: str, name: str) -> Path:
        out = tmp_path / name
        result = run(runner, "index", "apply", "--data", root, "--from", "2025", "--to", "2028",
                     "--known-on", known_on, "--out", out)
        assert result.exit_code == 0, result.output
        return out

    before = apply(ix_copy, "2027-02-28", "before.csv")
    after = apply(ix_copy, "2027-03-01", "after.csv")
    # known before the correction: byte for byte what the folder without the correction gives
    assert before.read_bytes() == apply(plain, "2027-02-28", "plain.csv").read_bytes()
    b, a = csv_by_key(read_csv(before), 2027), csv_by_key(read_csv(after), 2027)
    # UUR01 alfa 2027: 66.54 x 1.0277 = 68.383158 -> 68.38; with the correction 66.54 x 1.0321 = 68.675934 -> 68.68
    assert b[("UUR01", "alfa", "false", "")]["tariff_eur"] == "68.38"
    assert a[("UUR01", "alfa", "false", "")]["tariff_eur"] == "68.68"
    assert a[("UUR01", "alfa", "false", "")]["index_rate"] == "0.032100"
    # years before 2027 do not change
    for year in (2025, 2026):
        assert csv_by_key(read_csv(before), year) == csv_by_key(read_csv(after), year)

    # calculate --year uses the latest figures: the corrected tariff for 2027, 2026 unchanged
    def calc(root: Path, year: int) -> dict:
        out = tmp_path / f"calc_{root.name}_{year}.csv"
        result = run(runner, "calculate", "--data", root, "--year", str(year), "--out", out)
        assert result.exit_code == 0, result.output
        return csv_by_key(read_csv(out))

    assert calc(ix_copy, 2027)[("UUR01", "alfa", "false", "")]["tariff_eur"] == "68.68"
    assert calc(plain, 2027)[("UUR01", "alfa", "false", "")]["tariff_eur"] == "68.38"
    assert calc(ix_copy, 2026) == calc(plain, 2026)


def test_run_known_before_the_advice_of_an_indexed_year_fails(ix_copy, tmp_path, runner) -> None:
    # 2027 is indexed with the VNG advice 2027 (published 2026-10-01): not known on 2026-09-30
    out = tmp_path / "out.csv"
    result = run(runner, "index", "apply", "--data", ix_copy, "--from", "2026", "--to", "2027",
                 "--known-on", "2026-09-30", "--out", out)
    assert result.exit_code == 2
    assert "geen VNG-indexatieadvies voor 2027 gepubliceerd op of vóór peildatum 30-09-2026" in result.output
    assert not out.exists()


def test_corrected_vng_advice_in_a_data_folder(ix_copy) -> None:
    # A corrected advice 2027 (published 2026-11-01) with the correction as a difference of the weighted figures:
    #   OVA 0.9 x 4.00 - 0.9 x 3.00 = 3.60 - 2.70 = 0.90; PPC 0.1 x 2.00 - 0.1 x 2.00 = 0; aanbieder 1.90 + 0.90 = 2.80%
    edit(ix_copy / IX, "    provider_rate: 0.0277\n    source: testdata VNG-advies 2027\n",
         "    provider_rate: 0.0277\n    source: testdata VNG-advies 2027\n"
         "  - index_year: 2027\n    published: 2026-11-01\n    kind: corrected\n    weights: {ova: 0.90, ppc: 0.10}\n"
         "    correction: difference\n    decimals: {component: 2, weighted: 2, provider: 2}\n"
         "    provider_rate: 0.0280\n    source: testdata VNG-advies 2027 gecorrigeerd\n")
    region = load_region(ix_copy, use_cache=False)
    assert vng_rate(region.indexation, "vng", 2027, dt.date(2026, 10, 31)).rate == D("0.0277")
    assert vng_rate(region.indexation, "vng", 2027, dt.date(2026, 11, 1)).rate == D("0.0280")
    early = keyed(price_book(region, 2027, dt.date(2026, 10, 31)))
    late = keyed(price_book(region, 2027, dt.date(2026, 11, 1)))
    assert eur(early, "UUR01", "alfa") == D("68.38")  # 66.54 x 1.0277 = 68.383158
    assert eur(late, "UUR01", "alfa") == D("68.40")  # 66.54 x 1.0280 = 68.40312
    assert eur(keyed(price_book(region, 2027)), "UUR01", "alfa") == D("68.40")  # latest


# ============================================================================= 3. indexed by hand


def test_three_years_rounded_every_year(ix_books) -> None:
    b = ix_books
    # UUR01 alfa: 2025 64.60 (calibrated)
    #   2026 vast-3: 64.60 x 1.03 = 66.538 -> 66.54
    #   2027 vng 2.77%: 66.54 x 1.0277 = 68.383158 -> 68.38
    #   2028 vast-3: 68.38 x 1.03 = 70.4314 -> 70.43
    assert [eur(b[y], "UUR01", "alfa") for y in (2025, 2026, 2027, 2028)] == [
        D("64.60"), D("66.54"), D("68.38"), D("70.43")]
    # UUR01 beta: 58.03 x 1.03 = 59.7709 -> 59.77; x 1.0277 = 61.425629 -> 61.43; x 1.03 = 63.2729 -> 63.27
    assert [eur(b[y], "UUR01", "beta") for y in (2025, 2026, 2027, 2028)] == [
        D("58.03"), D("59.77"), D("61.43"), D("63.27")]
    t = b[2028][("UUR01", "alfa", False, "")]
    assert [(s.year, s.method, s.rate, s.before, s.after) for s in t.steps] == [
        (2026, "vast-3", D("0.03"), D("64.60"), D("66.54")),
        (2027, "vng", D("0.0277"), D("66.54"), D("68.38")),
        (2028, "vast-3", D("0.03"), D("68.38"), D("70.43")),
    ]
    assert t.base.tariff_eur == D("64.60") and t.base.year == 2025
    assert "geïndexeerd vanaf 2025: 2026 vast-3 3,00%, 2027 vng 2,77%, 2028 vast-3 3,00%" in t.reason


def test_rounding_every_year_differs_from_rounding_at_the_end(ix_books) -> None:
    # MIN01 alfa hour tariff: 64.96 x 1.03 = 66.9088 -> 66.91; x 1.0277 = 68.763407 -> 68.76; x 1.03 = 70.8228 -> 70.82
    # rounded only at the end: 64.96 x 1.03 x 1.0277 x 1.03 = 70.82503897 -> 70.83
    hours = [ix_books[y][("MIN01", "alfa", False, "")].hour_tariff for y in (2025, 2026, 2027, 2028)]
    assert hours == [D("64.96"), D("66.91"), D("68.76"), D("70.82")]
    once = R(D("64.96") * D("1.03") * D("1.0277") * D("1.03"))
    assert once == D("70.83") != hours[-1]


def test_minute_product_indexes_its_hour_tariff(ix_books) -> None:
    # minute = ROUND(indexed hour / 60): 2026 66.91 / 60 = 1.11517 -> 1.12; 2027 68.76 / 60 = 1.146 -> 1.15;
    # 2028 70.82 / 60 = 1.18033 -> 1.18. Indexing the minute tariff itself would give
    # 1.08 x 1.03 = 1.1124 -> 1.11; x 1.0277 = 1.140747 -> 1.14; x 1.03 = 1.1742 -> 1.17.
    minutes = [eur(ix_books[y], "MIN01", "alfa") for y in (2025, 2026, 2027, 2028)]
    assert minutes == [D("1.08"), D("1.12"), D("1.15"), D("1.18")]
    t = ix_books[2026][("MIN01", "alfa", False, "")]
    assert (t.steps[0].before, t.steps[0].after) == (D("64.96"), D("66.91"))
    # beta: 55.72 x 1.03 = 57.3916 -> 57.39; 57.39 / 60 = 0.9565 -> 0.96
    beta = ix_books[2026][("MIN01", "beta", False, "")]
    assert (beta.hour_tariff, beta.tariff_eur) == (D("57.39"), D("0.96"))


def test_none_keeps_the_tariff(ix_books, ix_copy) -> None:
    # verblijf: geen from 2028, so 2028 = 2027 for every row of DAG01 and ETM01
    verblijf = [k for k in ix_books[2028] if k[0] in ("DAG01", "ETM01")]
    assert len(verblijf) == 12
    for k in verblijf:
        assert ix_books[2028][k].tariff_eur == ix_books[2027][k].tariff_eur
        assert ix_books[2028][k].steps[-1].method == "geen"
    # 'geen' from the first indexed year: every tariff stays the calibrated 2025 tariff
    configure(ix_copy, assignment("ambulant", "geen", 2026) + assignment("verblijf", "geen", 2026))
    b = books(ix_copy, (2025, 2026, 2027))
    for k, t in b[2025].items():
        assert b[2026][k].tariff_eur == b[2027][k].tariff_eur == t.tariff_eur
        assert b[2027][k].hour_tariff == t.hour_tariff


def test_first_indexed_year_has_no_correction(ix_books, ix_copy, runner) -> None:
    # verblijf 2026 uses the VNG advice 2026 in the first year after the contract start: 2.90% (no correction),
    # not the advice's 3.34%. DAG01 alfa: 38.34 x 1.029 = 39.45186 -> 39.45 (with 3.34%: 39.620556 -> 39.62)
    t = ix_books[2026][("DAG01", "alfa", False, "")]
    assert t.steps[-1].rate == D("0.029")
    assert t.tariff_eur == D("39.45")
    assert dict(t.steps[-1].derivation.lines)["correctie 2025"] == "geen: eerste jaar van een nieuw contract"
    # ETM01 alfa: 402.05 x 1.029 = 413.70945 -> 413.71
    assert eur(ix_books[2026], "ETM01", "alfa") == D("413.71")
    first = run(runner, "index", "rate", "--data", ix_copy, "--year", "2026", "--first-year")
    full = run(runner, "index", "rate", "--data", ix_copy, "--year", "2026")
    assert rate_line(first.output, 2026) == "2,90%"
    assert rate_line(full.output, 2026) == "3,34%"
    # in the second indexed year the correction is applied: 2027 vng = 1.90 + 0.87 = 2.77%
    assert ix_books[2027][("UUR01", "alfa", False, "")].steps[-1].rate == D("0.0277")


def test_follow_cao_recomputes_with_the_new_table_and_the_base_year_parameters(ix_copy) -> None:
    # overhead 10% until 2025, 20% from 2026: follow_cao keeps the base year's 10%
    edit(ix_copy / "parameters/cost_model.yaml",
         "        value: 0.10\n        source: testdata overhead\n        rationale: Rond getal.\n        status: adopted\n",
         "        value: 0.10\n        source: testdata overhead\n        rationale: Rond getal.\n        status: adopted\n"
         "      - from: 2026-01-01\n        value: 0.20\n        source: testdata overhead 2026\n"
         "        rationale: Verhoogd.\n        status: draft\n")
    configure(ix_copy, assignment("ambulant", "vast-3", 2026) + assignment("verblijf", "cao", 2026))
    region = load_region(ix_copy, use_cache=False)
    b26, b27 = keyed(price_book(region, 2026)), keyed(price_book(region, 2027))
    # DAG01 alfa 2026 with the DERIVED table of 2025-07-01 (A1 3300) and the 2025 parameters:
    #   M 3300; G 39600; holiday max(3168, 3000) = 3168; year-end 3168; L 45936; social 9187.20;
    #   pension 10% x 35936 = 3593.60; A 58716.80; C = 58716.80 / 1350 = 43.4939259259;
    #   D = C x 4 / 5 = 34.7951407407 + 2.50 = 37.2951407407; x 1.10 x 1.02 = 41.8451479111 -> 41.85
    assert eur(b26, "DAG01", "alfa") == D("41.85")
    # beta has no later table: 35.97 stays; the basistarief is the lower one
    assert eur(b26, "DAG01", "beta") == eur(b26, "DAG01", "basistarief") == D("35.97")
    # ETM01 alfa: ORT 10% x 39600 = 3960; L = 39600 + 3168 + 3168 + 3960 = 49896; social 9979.20;
    #   pension 10% x 39896 = 3989.60; A 63864.80; C = 47.3072592593; D = C x 24 / 4 = 283.8435555556
    #   + 100 = 383.8435555556; x 1.10 x 1.02 = 430.6724693333 -> 430.67
    assert eur(b26, "ETM01", "alfa") == D("430.67")
    t = b26[("DAG01", "alfa", False, "")]
    assert t.steps[-1].method == "cao" and t.steps[-1].rate == D("41.85") / D("38.34") - 1
    assert "herberekend met de CAO-tabellen van 2026" in t.reason
    # the recalibration uses the 2026 overhead of 20%: 37.2951407407 x 1.20 x 1.02 = 45.6492522667 -> 45.65
    assert eur(keyed(calibrated_book(region, 2026)), "DAG01", "alfa") == D("45.65")
    # 2027: still the DERIVED table and the 2025 parameters
    assert eur(b27, "DAG01", "alfa") == D("41.85")
    # the ambulant contract is indexed meanwhile: UUR01 alfa 64.60 x 1.03 = 66.538 -> 66.54
    assert eur(b26, "UUR01", "alfa") == D("66.54")


def test_components_wage_share_with_ova_material_share_with_ppc(ix_copy, ix_books) -> None:
    configure(ix_copy, assignment("ambulant", "comp", 2026) + assignment("verblijf", "comp", 2026))
    b = books(ix_copy, (2026,))[2026]
    # first indexed year: OVA 2026 voorlopig 3.00%, PPC 2.00% (no correction)
    # DAG01 alfa (per dagdeel): staff D = 53444 / 1350 x 4 / 5 = 42755.2 / 1350 = 31.6705185185; materiaal 2.50
    #   wage share = 42755.2 / (42755.2 + 2.50 x 1350) = 42755.2 / 46130.2 = 0.9268375164
    #   rate = 0.9268375164 x 3% + 0.0731624836 x 2% = 2% + 1% x 0.9268375164 = 2.9268375164%
    #   38.34 x 1.029268375164 = 39.4621495 -> 39.46
    t = b[("DAG01", "alfa", False, "")]
    assert abs(t.steps[-1].rate - (D("0.02") + D("0.01") * D("42755.2") / D("46130.2"))) < D("1e-20")
    assert t.tariff_eur == D("39.46")
    # ETM01 alfa (per etmaal): staff 58124 / 1350 x 24 / 4 = 348744 / 1350 = 258.3288888889; huisvesting 100
    #   share = 348744 / (348744 + 135000) = 0.7209267712; rate = 2.7209267712%
    #   402.05 x 1.027209267712 = 412.9894861 -> 412.99 (the VNG index 2.90% gave 413.71)
    t = b[("ETM01", "alfa", False, "")]
    assert abs(t.steps[-1].rate - (D("0.02") + D("0.01") * D(348744) / D(483744))) < D("1e-20")
    assert t.tariff_eur == D("412.99")
    # UUR01 alfa: travel time is wage cost, km costs are material: C_mix = 64676 / 1350 = 47.9081481481
    #   share = 1.1 x C_mix / (1.1 x C_mix + 2.00) = 71143.6 / 73843.6 = 0.9634362355; rate = 2.9634362355%
    #   64.60 x 1.029634362355 = 66.5143798 -> 66.51
    t = b[("UUR01", "alfa", False, "")]
    assert abs(t.steps[-1].rate - (D("0.02") + D("0.01") * D("71143.6") / D("73843.6"))) < D("1e-20")
    assert t.tariff_eur == D("66.51")
    # the default scenario has comp in 2027 (with the 2026 correction): OVA 2.00 + 0.97 = 2.97%, PPC 1.00 + 0 = 1.00%
    #   DAG01 alfa: rate = 1% + 1.97% x 0.9268375164 = 2.8258699073%; 39.45 x 1.028258699 = 40.5648057 -> 40.56
    t27 = ix_books[2027][("DAG01", "alfa", False, "")]
    assert abs(t27.steps[-1].rate - (D("0.01") + D("0.0197") * D("42755.2") / D("46130.2"))) < D("1e-20")
    assert t27.tariff_eur == D("40.56")


# ============================================================================= 4. properties


@pytest.fixture(scope="module")
def prop_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("props") / "region"
    shutil.copytree(MINI, root)
    return root


YEARS = (2026, 2027, 2028)
rates = st.decimals(min_value=D("-0.05"), max_value=D("0.25"), places=4, allow_nan=False, allow_infinity=False)
rate_vectors = st.tuples(rates, rates, rates)


def fixed_books(root: Path, vector) -> dict[int, dict[Key, Any]]:
    """Both contracts indexed with a fixed rate per year (one dated assignment per year)."""
    methods = "".join(f"  f{y}:\n    label: Vast {y}\n    kind: fixed\n    rate: {r:.4f}\n    source: testdata vast\n"
                      for y, r in zip(YEARS, vector, strict=True))
    assignments = "".join(assignment(c, f"f{y}", y, y) for c in ("ambulant", "verblijf") for y in YEARS)
    configure(root, assignments, methods)
    return books(root, (2025, *YEARS))


def one_year(prev: Any, rate: Decimal) -> tuple[Decimal | None, Decimal]:
    """(hour tariff, tariff) after indexing the previous year's tariff once."""
    if prev.hour_tariff is not None:
        hour = R(prev.hour_tariff * (1 + rate))
        return hour, R(hour / 60)
    return None, R(prev.tariff_eur * (1 + rate))


@PROPS
@given(vector=rate_vectors)
def test_chain_consistency(prop_root, vector) -> None:
    b = fixed_books(prop_root, vector)
    assert len(b[2025]) == 24
    for y, r in zip(YEARS, vector, strict=True):
        assert b[y].keys() == b[y - 1].keys()
        for k, t in b[y].items():
            assert (t.hour_tariff, t.tariff_eur) == one_year(b[y - 1][k], r), (y, k)
            assert t.steps[-1].rate == r


@PROPS
@given(vector=rate_vectors, extra=st.tuples(*[st.decimals(min_value=0, max_value=D("0.2"), places=4)] * 3))
def test_higher_fixed_rate_never_gives_a_lower_tariff(prop_root, vector, extra) -> None:
    low = fixed_books(prop_root, vector)
    high = fixed_books(prop_root, tuple(min(r + e, D("0.49")) for r, e in zip(vector, extra, strict=True)))
    for y in YEARS:
        for k, t in low[y].items():
            assert high[y][k].tariff_eur >= t.tariff_eur, (y, k)


def test_rate_zero_keeps_tariffs(prop_root) -> None:
    b = fixed_books(prop_root, (D(0), D(0), D(0)))
    for y in YEARS:
        for k, t in b[2025].items():
            assert (b[y][k].tariff_eur, b[y][k].hour_tariff) == (t.tariff_eur, t.hour_tariff), (y, k)


def check_variants(book: dict[Key, Any]) -> None:
    """basistarief = the lowest CAO tariff; micro <= regular, for every product."""
    for code in ("MIN01", "UUR01", "DAG01", "ETM01"):
        for micro in (False, True):
            caos = [book[(code, c, micro, "")].tariff_eur for c in ("alfa", "beta")]
            assert book[(code, "basistarief", micro, "")].tariff_eur == min(caos), (code, micro)
        for variant in ("alfa", "beta", "basistarief"):
            assert book[(code, variant, True, "")].tariff_eur <= book[(code, variant, False, "")].tariff_eur


@PROPS
@given(vector=rate_vectors)
def test_basistarief_and_micro_after_fixed_indexation(prop_root, vector) -> None:
    b = fixed_books(prop_root, vector)
    for y in YEARS:
        check_variants(b[y])


index_values = st.decimals(min_value=D("-0.05"), max_value=D("0.30"), places=4, allow_nan=False, allow_infinity=False)


@PROPS
@given(ova=st.tuples(index_values, index_values), ppc=st.tuples(index_values, index_values))
def test_basistarief_and_micro_after_component_indexation(prop_root, ova, ppc) -> None:
    # revised 2026 and 2027 provisional figures, published after both VNG advices (so the published advices are
    # still reproduced from the figures known on their dates)
    def lines(series: str, values) -> str:
        return "".join(f"      - {{year: {y}, kind: voorlopig, value: {v:.4f}, published: 2026-12-01, "
                       f"source: testdata {series} {y} herzien}}\n" for y, v in zip((2026, 2027), values, strict=True))

    configure(prop_root, assignment("ambulant", "comp", 2026) + assignment("verblijf", "comp", 2026),
              figures={"ova": lines("ova", ova), "ppc": lines("ppc", ppc)})
    b = books(prop_root, (2026, 2027))
    for y in (2026, 2027):
        check_variants(b[y])
        assert {t.steps[-1].method for t in b[y].values()} == {"comp"}


# ============================================================================= 5. validity


def contract_end(contract: Any) -> dt.date:
    return contract.start.replace(year=contract.start.year + sum(contract.term_years)) - dt.timedelta(days=1)


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])
def test_bundled_rows_hold_within_their_year_and_contract_term(bundled, year) -> None:
    book = price_book(bundled, year)
    assert book.tariffs
    for t in book.tariffs:
        assert dt.date(year, 1, 1) <= t.valid_from <= t.valid_to <= dt.date(year, 12, 31), t.reason
        if year >= 2025:  # every contract starts on 2025-01-01
            contract = bundled.contracts[t.product.contract]
            assert contract.start == dt.date(2025, 1, 1)
            assert contract.start <= t.valid_from and t.valid_to <= contract_end(contract)


def test_bundled_addendum_from_february(bundled) -> None:
    # a-2025-003: ggz-groene-hart, 15A02, from 2025-02-01 until 2026-12-31
    (row25,) = [t for t in price_book(bundled, 2025).tariffs if t.kind == "addendum" and t.provider == "ggz-groene-hart"]
    assert (row25.valid_from, row25.valid_to) == (dt.date(2025, 2, 1), dt.date(2025, 12, 31))
    (row26,) = [t for t in price_book(bundled, 2026).tariffs if t.kind == "addendum" and t.provider == "ggz-groene-hart"]
    assert (row26.valid_from, row26.valid_to) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert row26.tariff_eur == R(row25.tariff_eur * D("1.02"))  # vast-2
    assert not [t for t in price_book(bundled, 2027).tariffs if t.provider == "ggz-groene-hart"]


def install_addenda(root: Path) -> Path:
    """The mini region with one provider-specific tariff: DAG01 in groups of 4 for groot-alfa (see addenda.yaml)."""
    for name in ("differentiation.yaml", "providers.yaml", "addenda.yaml"):
        shutil.copy(FIX / name, root / "parameters" / name)
    edit(root / "parameters/contracts.yaml", "    provider_specific_allowed: false\n", "    provider_specific_allowed: true\n")
    edit_product(root / P_VERB, "DAG01", "    caos: [alfa, beta]\n",
                 "    caos: [alfa, beta]\n    provider_specific_allowed: true\n")
    return root


def test_addendum_validity_and_indexation(ix_copy) -> None:
    b = books(install_addenda(ix_copy), (2025, 2026, 2027))
    # 2025: DAG01 alfa in groups of 4: 39.5881481481 x 4 / 4 + 2.50 = 42.0881481481; x 1.10 x 1.02 = 47.2229 -> 47.22
    a25 = b[2025][("DAG01", "alfa", False, "groot-alfa")]
    assert a25.kind == "addendum" and a25.tariff_eur == D("47.22")
    assert (a25.valid_from, a25.valid_to) == (dt.date(2025, 2, 1), dt.date(2025, 12, 31))
    # 2026: indexed like its contract (vng, first year 2.90%): 47.22 x 1.029 = 48.58938 -> 48.59; until 2026-06-30
    a26 = b[2026][("DAG01", "alfa", False, "groot-alfa")]
    assert a26.tariff_eur == D("48.59")
    assert (a26.valid_from, a26.valid_to) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert ("DAG01", "alfa", False, "groot-alfa") not in b[2027]


# ============================================================================= 6. calculate a later contract year


@pytest.fixture(scope="module")
def bundled_csv(tmp_path_factory) -> dict[int, dict]:
    from click.testing import CliRunner

    d = tmp_path_factory.mktemp("bundled_csv")
    out = {}
    for year in (2025, 2026):
        path = d / f"tarieven_{year}.csv"
        result = CliRunner().invoke(main, ["calculate", "--year", str(year), "--out", str(path)])
        assert result.exit_code == 0, result.output
        out[year] = csv_by_key(read_csv(path))
    return out


def test_calculate_2026_gives_indexed_tariffs(bundled_csv, bundled) -> None:
    y25, y26 = bundled_csv[2025], bundled_csv[2026]
    # 45A48 jeugdzorg: 75.34 (README worked example) x 1.02 = 76.8468 -> 76.85
    row = y26[("45A48", "jeugdzorg", "false", "")]
    assert y25[("45A48", "jeugdzorg", "false", "")]["tariff_eur"] == "75.34"
    assert (row["tariff_eur"], row["index_method"], row["index_rate"]) == ("76.85", "vast-2", "0.020000")
    assert row["valid_from"] == "2026-01-01" and row["valid_to"] == "2026-12-31"
    follow = keyed(calibrated_book(bundled, 2026, param_year=2025))
    methods = set()
    for k, r in y26.items():
        if r["kind"] in ("extern", "pgb"):
            continue
        assert r["index_method"], k  # every built-up row of a later contract year is indexed
        methods.add(r["index_method"])
        if r["index_method"] == "vast-2":
            prev = y25[k]
            if r["unit"] == "minuut":  # the hour tariff is indexed, the minute derived again
                hour = R(D(prev["hour_tariff_eur"]) * D("1.02"))
                assert D(r["hour_tariff_eur"]) == hour, k
                assert D(r["tariff_eur"]) == R(hour / 60), k
            else:
                assert D(r["tariff_eur"]) == R(D(prev["tariff_eur"]) * D("1.02")), k
        else:  # hulp bij het huishouden follows the CAO: 2026 tables, 2025 parameters
            assert r["index_method"] == "cao" and r["contract"] == "hulp-bij-huishouden", k
            assert D(r["tariff_eur"]) == follow[(k[0], k[1], k[2] == "true", *k[3:])].tariff_eur, k
    assert methods == {"vast-2", "cao"}


def test_calculate_2026_is_not_a_silent_recalculation(bundled) -> None:
    indexed = keyed(price_book(bundled, 2026))
    rebuilt = keyed(calibrated_book(bundled, 2026))
    # The year's own build-up uses the PFZW values of 2026 (pension 12.95% over wage - 17,283; AP premium 0):
    #   mbo4 wage 48,051.7820856: pension 12.95% x 30,768.7820856 = 3,984.557280085 (was 12.9% x 32,235.78 =
    #     4,158.42 + AP 0.5% x 21,232.78 = 106.16); A = 48,051.78 + 9,129.84 + 3,984.56 = 61,166.18 / 1,223.555 h = 49.9905
    #   hbo wage 55,298.7896508: pension 12.95% x 38,015.7896508 = 4,923.044759779; A = 70,728.60 / 1,223.555 = 57.8058
    #   Cmix = 0.6 x 49.9905 + 0.4 x 57.8058 = 53.1167 (was 53.3562) -> 77.67 (was 78.00); indexed 2026: 76.85
    assert eur(rebuilt, "45A48", "jeugdzorg") == D("77.67") != eur(indexed, "45A48", "jeugdzorg")
    # pgb follows the indexed basistarief: ROUND(share x indexed basistarief, 2)
    for k, t in indexed.items():
        if t.kind == "pgb" and t.rate is not None:
            basis = indexed[(k[0], "basistarief", False, "", *k[4:])]
            assert t.tariff_eur == R(basis.tariff_eur * t.rate), k


def test_missing_assignment_for_a_contract_year_is_an_error(tmp_path, runner) -> None:
    root = copy_bundled(tmp_path / "region")
    text = (root / IX).read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines(keepends=True) if ln.startswith("  - {contract: ambulant-jeugd, method: vast-2"))
    (root / IX).write_text(text.replace(line, ""), encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run(runner, "calculate", "--data", root, "--year", "2026", "--out", out)
    assert result.exit_code == 2
    assert re.search(r"FOUT parameters/indexation\.yaml \[assignments\]: geen indexatiemethode toegewezen aan contract "
                     r"'ambulant-jeugd' \(product \w+\) in 2026", result.output), result.output
    assert not out.exists()
    # the first contract year needs no method
    assert run(runner, "calculate", "--data", root, "--year", "2025", "--out", out).exit_code == 0


# ============================================================================= 7. recalibrate


def test_recalibrate_first_contract_year_shows_no_difference(ix_copy, tmp_path, runner) -> None:
    # 2025 is the first contract year: the book is calibrated, so indexed and recalibrated are the same tariff
    out = tmp_path / "herijking.csv"
    result = run(runner, "recalibrate", "--data", ix_copy, "--year", "2025", "--out", out)
    assert result.exit_code == 0, result.output
    rows = read_csv(out)
    assert len(rows) == 24
    assert {(r["difference_eur"], r["difference_pct"], r["flag"], r["index_method"]) for r in rows} == {
        ("0.00", "0.00", "", "kostprijsmodel")}


def test_recalibrate_mini_by_hand(ix_copy, tmp_path, runner) -> None:
    out = tmp_path / "herijking.csv"
    result = run(runner, "recalibrate", "--data", ix_copy, "--year", "2026", "--out", out)
    assert result.exit_code == 0, result.output
    rows = csv_by_key(read_csv(out))
    assert len(rows) == 24
    # DAG01 alfa: indexed 38.34 x 1.029 -> 39.45; recalibrated with the DERIVED alfa table 41.85 (test_handcomputed)
    #   difference 41.85 - 39.45 = 2.40; 2.40 / 39.45 = 6.0837% -> 6.08 > 2%: flagged
    r = rows[("DAG01", "alfa", "false", "")]
    assert (r["indexed_eur"], r["recalibrated_eur"], r["difference_eur"], r["difference_pct"], r["flag"],
            r["index_method"]) == ("39.45", "41.85", "2.40", "6.08", "AFWIJKING", "vng")
    # UUR01 beta: indexed 58.03 x 1.03 -> 59.77; beta has no new table: 58.03; -1.74 / 59.77 = -2.9111% -> -2.91
    r = rows[("UUR01", "beta", "false", "")]
    assert (r["indexed_eur"], r["recalibrated_eur"], r["difference_eur"], r["difference_pct"], r["flag"]) == (
        "59.77", "58.03", "-1.74", "-2.91", "AFWIJKING")
    # with a 3% threshold UUR01 beta is within bounds, DAG01 alfa is not
    result = run(runner, "recalibrate", "--data", ix_copy, "--year", "2026", "--threshold", "0.03", "--out", out)
    rows = csv_by_key(read_csv(out))
    assert rows[("UUR01", "beta", "false", "")]["flag"] == ""
    assert rows[("DAG01", "alfa", "false", "")]["flag"] == "AFWIJKING"


@pytest.fixture(scope="module")
def bundled_recalibration(tmp_path_factory) -> dict[str, Any]:
    from click.testing import CliRunner

    runner = CliRunner()
    d = tmp_path_factory.mktemp("recal")
    out = {}
    for suffix in ("csv", "json", "xlsx"):
        path = d / f"herijking.{suffix}"
        result = runner.invoke(main, ["recalibrate", "--year", "2026", "--out", str(path)])
        assert result.exit_code == 0, result.output
        out[suffix] = path
    # calculate 2026 as it is (indexed), and on a copy without indexation.yaml (built up from the 2026 parameters)
    result = runner.invoke(main, ["calculate", "--year", "2026", "--out", str(d / "indexed.csv")])
    assert result.exit_code == 0, result.output
    root = copy_bundled(d / "no_index")
    (root / IX).unlink()
    result = runner.invoke(main, ["calculate", "--data", str(root), "--year", "2026", "--out", str(d / "rebuilt.csv")])
    assert result.exit_code == 0, result.output
    # rows by product, variant and version (a re-issued product keeps its version in every output)
    out["indexed"] = csv_by_key(read_csv(d / "indexed.csv"))
    out["rebuilt"] = csv_by_key(read_csv(d / "rebuilt.csv"))
    out["dir"] = d
    return out


def test_recalibrate_bundled_against_calculate(bundled_recalibration) -> None:
    rows = read_csv(bundled_recalibration["csv"])
    assert list(rows[0]) == ["product_code", "product_name", "variant", "micro", "provider", "version", "year", "indexed_eur",
                             "recalibrated_eur", "difference_eur", "difference_pct", "flag", "index_method"]
    by_key = csv_by_key(rows)
    # one row by hand: 45A48 jeugdzorg, indexed 75.34 x 1.02 -> 76.85 (calculate --year 2026), recalibrated 77.67
    # (calculate --year 2026 without indexation.yaml; PFZW 2026 values, see test_calculate_2026_is_not_a_silent_
    # recalculation); 77.67 - 76.85 = 0.82; 0.82 / 76.85 = 1.0670% -> 1.07 < 2%
    r = by_key[("45A48", "jeugdzorg", "false", "")]
    assert (r["indexed_eur"], r["recalibrated_eur"], r["difference_eur"], r["difference_pct"], r["flag"],
            r["index_method"]) == ("76.85", "77.67", "0.82", "1.07", "", "vast-2")
    assert bundled_recalibration["indexed"][("45A48", "jeugdzorg", "false", "")]["tariff_eur"] == "76.85"
    assert bundled_recalibration["rebuilt"][("45A48", "jeugdzorg", "false", "")]["tariff_eur"] == "77.67"
    # every row: per product and variant, the two calculate outputs, the difference and the flag at 2%
    indexed, rebuilt = bundled_recalibration["indexed"], bundled_recalibration["rebuilt"]
    assert set(by_key) == {k for k, r in indexed.items() if r["kind"] != "extern"}
    for k, r in by_key.items():
        assert r["indexed_eur"] == indexed[k]["tariff_eur"], k
        assert r["recalibrated_eur"] == rebuilt[k]["tariff_eur"], k
        diff = D(r["recalibrated_eur"]) - D(r["indexed_eur"])
        assert D(r["difference_eur"]) == diff, k
        assert abs(D(r["difference_pct"]) - diff / D(r["indexed_eur"]) * 100) <= D("0.005"), k
        assert (r["flag"] == "AFWIJKING") == (abs(diff / D(r["indexed_eur"])) > D("0.02")), k
    assert any(r["flag"] for r in rows) and not all(r["flag"] for r in rows)


def test_recalibrate_json_and_xlsx(bundled_recalibration) -> None:
    import openpyxl

    rows = read_csv(bundled_recalibration["csv"])
    doc = json.loads(bundled_recalibration["json"].read_text(encoding="utf-8"))
    assert doc["meta"]["threshold"] == "0.02"
    assert doc["columns"] == list(rows[0])
    assert [{k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in r.items()} for r in doc["tariffs"]] == rows
    ws = openpyxl.load_workbook(bundled_recalibration["xlsx"], read_only=True).worksheets[0]
    sheet = list(ws.iter_rows(values_only=True))
    assert list(sheet[0]) == list(rows[0])
    assert len(sheet) == len(rows) + 1
    first = dict(zip(sheet[0], sheet[1], strict=True))
    assert (first["product_code"], D(str(first["indexed_eur"])), D(str(first["recalibrated_eur"]))) == (
        rows[0]["product_code"], D(rows[0]["indexed_eur"]), D(rows[0]["recalibrated_eur"]))
    # no temporary files beside the outputs
    assert not [p for p in bundled_recalibration["dir"].iterdir() if p.name.startswith(".")]
    assert (bundled_recalibration["dir"] / "herijking.csv.manifest.json").exists()  # the csv's manifest


@pytest.mark.parametrize("suffix", ["csv", "json", "xlsx"])
def test_recalibrate_writes_atomically(ix_copy, tmp_path, runner, monkeypatch, suffix) -> None:
    import tariefmodel.data.fileio as writers

    out = tmp_path / "out" / f"herijking.{suffix}"
    out.parent.mkdir()
    old = b"oud bestand\n"
    out.write_bytes(old)

    def crash(src, dst):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(writers.os, "replace", crash)
    result = run(runner, "recalibrate", "--data", ix_copy, "--year", "2026", "--out", out)
    assert result.exit_code != 0
    assert out.read_bytes() == old
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # the temporary file is gone
    monkeypatch.undo()
    result = run(runner, "recalibrate", "--data", ix_copy, "--year", "2026", "--out", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes() != old
    sidecar = [f"{out.name}.manifest.json"] if suffix == "csv" else []  # a csv gets its manifest beside it
    assert sorted(p.name for p in out.parent.iterdir()) == sorted([out.name, *sidecar])


def test_recalibrate_unknown_suffix(ix_copy, tmp_path, runner) -> None:
    out = tmp_path / "herijking.txt"
    result = run(runner, "recalibrate", "--data", ix_copy, "--year", "2026", "--out", out)
    assert result.exit_code == 2
    assert "onbekend uitvoerformaat '.txt'" in result.output
    assert not out.exists()


# ============================================================================= 8. bad inputs


def _replace(old: str, new: str) -> Callable[[Path], None]:
    return lambda root: edit(root / IX, old, new)


def _drop_rate(root: Path) -> None:
    edit(root / IX, "    kind: fixed\n    rate: 0.02\n", "    kind: fixed\n")


def _published_twice(root: Path) -> None:
    text = (root / IX).read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines(keepends=True) if "{year: 2024, kind: voorlopig, value: 0.0494" in ln)
    (root / IX).write_text(text.replace(line, line + line.replace("source: ", "source: dubbel ")), encoding="utf-8")


def _without_assignment_2026(root: Path) -> None:
    text = (root / IX).read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines(keepends=True) if ln.startswith("  - {contract: ambulant-jeugd, method: vast-2"))
    (root / IX).write_text(text.replace(line, ""), encoding="utf-8")


AMB_2026 = "{contract: ambulant-jeugd, method: vast-2, from: 2026-01-01"


@dataclass(frozen=True)
class Bad:
    break_it: Callable[[Path], None] | None
    expect: tuple[str, ...]  # substrings (or regular expressions, prefixed 're:') the error output must contain
    commands: tuple[str, ...] = ("validate", "calculate", "rate", "apply")
    year: int = 2025  # the year validate, calculate and index rate work on
    apply: tuple[str, ...] = ("--from", "2025", "--to", "2026")
    method: str = ""  # index rate --method


BAD = {
    # a percentage where a fraction is meant: 4.94 for 4.94% (= 0.0494); the message says how to write it
    "percentage_not_fraction": Bad(_replace("value: 0.0494, published: 2023-10-13", "value: 4.94, published: 2023-10-13"),
                                   (r"re:parameters/indexation\.yaml:\d+ \[series\.ova\.publications\.2\.value\]",
                                    "4.94 is geen indexfractie: schrijf 4,94% als 0.0494")),
    "fixed_rate_as_percentage": Bad(_replace("    rate: 0.02\n", "    rate: 2\n"),
                                    (r"re:\[methods\.vast-2\.rate\]", "schrijf 4,94% als 0.0494")),
    "half_is_refused": Bad(_replace("provider_rate: 0.0630", "provider_rate: 0.5"),
                           (r"re:\[vng_publications\.0\.provider_rate\]", "een waarde van 0.5 of meer wordt geweigerd")),
    "method_weights_not_100": Bad(_replace("weights: {ova: 0.80, ppc: 0.20}", "weights: {ova: 0.80, ppc: 0.30}"),
                                  (r"re:\[methods\.vng-verblijf\.weights\]", "de gewichten tellen op tot 1.10, niet tot 1 "
                                                                             "(100%)")),
    "advice_weights_not_100": Bad(_replace("    weights: {ova: 0.90, ppc: 0.10}\n    correction: ratio\n"
                                           "    decimals: {component: 2, weighted: 2, provider: 2}\n    provider_rate: 0.0630",
                                           "    weights: {ova: 0.85, ppc: 0.10}\n    correction: ratio\n"
                                           "    decimals: {component: 2, weighted: 2, provider: 2}\n    provider_rate: 0.0630"),
                                  (r"re:\[vng_publications\.0\.weights\]", "de gewichten tellen op tot 0.95, niet tot 1 (100%)")),
    "unknown_method": Bad(_replace(AMB_2026, "{contract: ambulant-jeugd, method: vast-3, from: 2026-01-01"),
                          (r"re:parameters/indexation\.yaml:\d+ \[assignments\.\d+\.method\]",
                           "indexatiemethode 'vast-3' bestaat niet")),
    "unknown_contract": Bad(_replace(AMB_2026, "{contract: ambulant-jeugdd, method: vast-2, from: 2026-01-01"),
                            (r"re:\[assignments\.\d+\.contract\]", "contract 'ambulant-jeugdd' bestaat niet")),
    "overlapping_assignments": Bad(_replace(AMB_2026, "{contract: ambulant-jeugd, method: vast-2, from: 2025-06-01"),
                                   (r"re:\[assignments\.\d+\]: overlapt met assignments\.\d+ voor contract 'ambulant-jeugd'",)),
    "provider_rate_not_reproduced": Bad(_replace("provider_rate: 0.0630", "provider_rate: 0.0631"),
                                        (r"re:\[vng_publications\.0 \(2024, 2023-10-13\)\]: de gepubliceerde cijfers geven "
                                          "6,30%, "
                                         r"niet het gepubliceerde 6,31%",)),
    "fixed_without_rate": Bad(_drop_rate, (r"re:\[methods\.vast-2\]", "een vaste methode (fixed) heeft 'rate' nodig")),
    "published_twice": Bad(_published_twice, (r"re:\[series\.ova\.publications\.\d+\]",
                                              "OVA 2024 voorlopig staat twee keer gepubliceerd op 13-10-2023")),
    # ambulant-jeugd indexed with the VNG method in 2026: no VNG advice 2026 (nor figures) is published
    "missing_year": Bad(_replace(AMB_2026, "{contract: ambulant-jeugd, method: vng, from: 2026-01-01"),
                        ("parameters/indexation.yaml [vng_publications]: geen VNG-indexatieadvies voor 2026 gepubliceerd",),
                        year=2026),
    "missing_assignment": Bad(_without_assignment_2026,
                              ("parameters/indexation.yaml [assignments]", "contract 'ambulant-jeugd'"),
                              commands=("validate", "calculate", "apply"), year=2026),
    "to_before_from": Bad(None, ("--to 2025 ligt voor --from 2026",), commands=("apply",),
                          apply=("--from", "2026", "--to", "2025")),
    "unknown_method_option": Bad(None, ("onbekende methode 'vng-2026'",), commands=("rate",), method="vng-2026"),
    # --method vng: without it, index rate uses the method the region assigns in 2026 (vast-2), which has a rate
    "rate_missing_year": Bad(None, ("parameters/indexation.yaml [vng_publications]: geen VNG-indexatieadvies voor 2026",),
                             commands=("rate",), year=2026, method="vng"),
}


def _expect(output: str, case: Bad) -> None:
    for s in case.expect:
        if s.startswith("re:"):
            assert re.search(s[3:], output), f"{s!r} not in:\n{output}"
        else:
            assert s in output, f"{s!r} not in:\n{output}"
    assert "Traceback" not in output


@pytest.fixture(scope="module")
def bundled_master(tmp_path_factory) -> Path:
    return copy_bundled(tmp_path_factory.mktemp("bundled") / "region")


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_input_is_refused_and_nothing_written(kind, bundled_master, tmp_path, runner) -> None:
    case = BAD[kind]
    root = tmp_path / "region"
    shutil.copytree(bundled_master, root)
    if case.break_it is not None:
        case.break_it(root)
    outdir = tmp_path / "out"
    outdir.mkdir()
    out = outdir / "OUT.csv"
    year = ("--year", str(case.year))
    commands = {
        "validate": ["validate", "--data", root, *year],
        "calculate": ["calculate", "--data", root, *year, "--out", out],
        "rate": ["index", "rate", "--data", root, *year, *(("--method", case.method) if case.method else ())],
        "apply": ["index", "apply", "--data", root, *case.apply, "--out", out],
    }
    for name in case.commands:
        result = run(runner, *commands[name])
        assert result.exit_code == 2, (name, result.output)
        _expect(result.output, case)
        assert list(outdir.iterdir()) == [], name  # nothing written, no temporary file left
        if name in ("calculate", "apply"):  # an existing output is left byte-identical
            old = b"product_code,tariff_eur\nOLD01,1.23\n"
            out.write_bytes(old)
            result = run(runner, *commands[name])
            assert result.exit_code == 2, (name, result.output)
            assert out.read_bytes() == old
            assert [p.name for p in outdir.iterdir()] == ["OUT.csv"]
            out.unlink()


def test_the_unbroken_bundled_copy_passes(bundled_master, tmp_path, runner) -> None:
    # the control: the same commands on the unbroken copy succeed (so the failures above come from the breaks)
    out = tmp_path / "OUT.csv"
    for args in (["validate", "--year", "2026"], ["index", "rate", "--year", "2025"],
                 ["index", "apply", "--from", "2025", "--to", "2026", "--out", out]):
        result = run(runner, *args, "--data", bundled_master)
        assert result.exit_code == 0, (args, result.output)
    assert {r["year"] for r in read_csv(out)} == {"2025", "2026"}


def test_just_below_half_is_accepted(bundled_master, tmp_path) -> None:
    # 0.4999 is a (large) fraction and accepted by the schema; the advice check then says it is not reproduced
    root = tmp_path / "region"
    shutil.copytree(bundled_master, root)
    edit(root / IX, "    rate: 0.02\n", "    rate: 0.4999\n")
    region = load_region(root, use_cache=False)
    assert region.indexation.methods["vast-2"].rate == D("0.4999")


# ============================================================================= engine bugs found


def test_addendum_starting_in_a_later_contract_year(ix_copy, tmp_path, runner) -> None:
    root = install_addenda(ix_copy)
    (root / "parameters/addenda.yaml").write_text(
        (root / "parameters/addenda.yaml").read_text(encoding="utf-8")
        + "  - id: a-2026\n    provider: groot-beta\n    product: DAG01\n    overrides: {group_size: 4}\n"
          "    reason: Kleinere groep vanaf 2026\n"
          "    decision: {status: approved, decided_by: testcommissie, decided_on: 2025-11-01}\n"
          "    from: 2026-01-01\n    source: testdata addendum 2026\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run(runner, "calculate", "--data", root, "--year", "2026", "--out", out)
    assert result.exit_code == 0, result.output
    rows = csv_by_key(read_csv(out))
    row = rows[("DAG01", "beta", "false", "groot-beta")]
    assert row["kind"] == "addendum" and row["valid_from"] == "2026-01-01"
    assert run(runner, "recalibrate", "--data", root, "--year", "2026").exit_code == 0


def test_indexed_minute_tariff_keeps_the_multiple_of_60_cents_rule(ix_copy) -> None:
    edit(ix_copy / "parameters/cost_model.yaml", "        value: from_hour\n", "        value: hour_multiple_of_60_cents\n")
    b = books(ix_copy, (2025, 2026, 2027))
    # 2025 beta: unrounded hour 55.7237 -> nearest multiple of 0.60 = 55.80; minute 0.93
    assert b[2025][("MIN01", "beta", False, "")].hour_tariff == D("55.80")
    # 2026: 55.80 x 1.03 = 57.474 -> 57.60 (a multiple of 0.60), minute 0.96
    # 2027: 57.60 x 1.0277 = 59.19552 -> 59.40, minute 0.99 (the engine: hour 59.06, minute 0.98)
    for y in (2026, 2027):
        for k, t in b[y].items():
            if k[0] == "MIN01":
                assert t.hour_tariff == 60 * t.tariff_eur, (y, k, t.hour_tariff, t.tariff_eur)
    assert eur(b[2027], "MIN01", "beta") == D("0.99")


def test_vng_publication_listed_twice_on_the_same_date(bundled_master, tmp_path, runner) -> None:
    root = tmp_path / "region"
    shutil.copytree(bundled_master, root)
    edit(root / IX, "vng_publications:\n",
         "vng_publications:\n  - {index_year: 2024, published: 2023-10-13, weights: {ova: 0.90, ppc: 0.10}, "
         "correction: ratio, decimals: {component: 2, weighted: 2, provider: 2}, provider_rate: 0.0630, "
         "source: dubbel ingevoerd advies 2024}\n")
    result = run(runner, "validate", "--data", root)
    assert result.exit_code == 2
    assert "twee keer" in result.output


def test_recalibrate_does_not_label_indexed_pgb_rows_as_cost_model(bundled_recalibration) -> None:
    pgb = [r for r in read_csv(bundled_recalibration["csv"]) if r["variant"].startswith("pgb-")]
    assert pgb
    assert not [r for r in pgb if r["index_method"] == "kostprijsmodel"]


def test_recalibrate_threshold_as_percentage_is_refused(ix_copy, runner) -> None:
    result = run(runner, "recalibrate", "--data", ix_copy, "--year", "2026", "--threshold", "2")
    assert result.exit_code == 2
    assert "0.02" in result.output


def test_recalibrate_with_a_reissued_product_in_the_first_contract_year(tmp_path, runner) -> None:
    out = tmp_path / "herijking.csv"
    result = run(runner, "recalibrate", "--year", "2025", "--out", out)
    assert result.exit_code == 0, result.output
    rows = read_csv(out)
    assert [r for r in rows if r["product_code"] == "07A02"]
    assert {r["difference_eur"] for r in rows} == {"0.00"}  # 2025 is calibrated: nothing to recalibrate


def test_a_followed_cao_tariff_quotes_the_amounts_it_follows() -> None:
    """The basistarief reason of a follow_cao year lists the recalculated CAO tariffs, not the year's own build-up
    (01A01 2026: 'vvt € 41,65', was 'vvt € 41,45' from the 2026 build-up with 2026 premiums)."""
    from tariefmodel.data.bundled import bundled_region
    from tariefmodel.data.numbers import eur
    from tariefmodel.engine.book import price_book
    from tariefmodel.loader.load import load_region

    book = price_book(load_region(bundled_region()), 2026)
    followed = [t for t in book.tariffs if t.kind == "basistarief" and getattr(t, "steps", None)
                and t.steps[-1].kind == "follow_cao"]
    assert followed
    for t in followed:
        cao_rows = [c for c in book.tariffs if c.product is t.product and c.kind == "cao" and c.micro == t.micro
                    and c.provider == t.provider]
        lowest = min(c.tariff_eur for c in cao_rows)
        assert lowest == t.tariff_eur
        assert f"van: {cao_rows[0].cao} {eur(t.tariff_eur)}" in t.reason, t.reason
