"""The Python interface: ``tm.tariff`` gives exactly the row ``calculate`` gives, for every row of every year.

2026 and 2027 are indexed contract years of the bundled region: their tariffs are the 2025 tariffs indexed,
not a fresh build-up with the later year's parameters (43A01 jeugdzorg 2026: € 537,49 in the book, where a
fresh build-up with the 2026 parameters would give € 543,14).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from decimal import Decimal

import pytest

import tariefmodel
import tariefmodel as tm
from tariefmodel.cli.main import main
from tariefmodel.data.numbers import eur

YEARS = (2025, 2026, 2027)


@pytest.fixture(scope="module")
def region():
    return tm.load()


@pytest.fixture(scope="module")
def calculated(tmp_path_factory) -> dict[int, list[dict[str, str]]]:
    """The rows of ``tariefmodel calculate --out x.csv`` per year."""
    from click.testing import CliRunner

    out = {}
    for y in YEARS:
        path = tmp_path_factory.mktemp("calc") / f"b{y}.csv"
        result = CliRunner().invoke(main, ["calculate", "--year", str(y), "--out", str(path)])
        assert result.exit_code == 0, result.output
        out[y] = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    return out


@pytest.mark.parametrize("year", YEARS)
def test_every_row_of_the_book_through_tm_tariff(region, calculated, year) -> None:
    rows = calculated[year]
    assert len(rows) > 300  # 412, 401 and 395 rows: the whole book, every kind
    for r in rows:
        t = tm.tariff(region, r["product_code"], r["variant"], year, micro=r["micro"] == "true",
                      provider=r["provider"], version=r["version"])
        assert (t.product.product.code, t.variant, t.micro, t.provider, t.version, t.kind) == (
            r["product_code"], r["variant"], r["micro"] == "true", r["provider"], r["version"], r["kind"])
        assert f"{t.tariff_eur:.2f}" == r["tariff_eur"], r


def test_an_indexed_year_gives_the_book_tariff_not_a_fresh_build_up(region, calculated) -> None:
    # 531.24 since the CAO Jeugdzorg ORT cap (schaal 5 p11, art. 8.1) is applied per step (was 537.49).
    t = tm.tariff(region, "43A01", "jeugdzorg", 2026)
    assert t.tariff_eur == Decimal("531.24")
    assert next(r["tariff_eur"] for r in calculated[2026]
                if (r["product_code"], r["variant"], r["micro"], r["provider"]) == ("43A01", "jeugdzorg", "false", ""))\
        == "531.24"
    assert t.steps and t.base.year == 2025  # indexed from the first contract year


def test_codes_and_variants_are_case_insensitive(region) -> None:
    assert tm.tariff(region, "43a01", "JeugdZorg", 2026) is tm.tariff(region, "43A01", "jeugdzorg", 2026)


def test_unknown_code_suggests_the_nearest(region) -> None:
    with pytest.raises(KeyError) as exc:
        tm.tariff(region, "43A0l", "jeugdzorg", 2026)
    assert isinstance(exc.value, tm.UnknownTariff)
    assert str(exc.value).startswith("onbekende productcode '43A0l'; bedoelde u ")
    assert "43A01" in str(exc.value)


def test_unknown_variant_suggests_the_nearest(region) -> None:
    with pytest.raises(tm.UnknownTariff, match=r"product 43A01 heeft geen variant 'jeugdzrg' in 2026; "
                                               r"bedoelde u jeugdzorg\? \(varianten: jeugdzorg, "):
        tm.tariff(region, "43A01", "jeugdzrg", 2026)


def test_a_combination_the_book_lacks_names_what_there_is(region) -> None:
    with pytest.raises(tm.UnknownTariff, match=r"geen tarief voor aanbieder 'niemand'; wel: variant='jeugdzorg'; "
                                               r"variant='jeugdzorg', micro=True"):
        tm.tariff(region, "43A01", "jeugdzorg", 2026, provider="niemand")


def test_a_reissued_product_asks_for_its_version(region) -> None:
    """07A02 is re-issued during 2025 (r-2025-01): two rows per variant that year, one per version."""
    with pytest.raises(tm.UnknownTariff, match="heeft in 2025 2 tarieven; kies met version="):
        tm.tariff(region, "07A02", "vvt", 2025)
    first = tm.tariff(region, "07A02", "vvt", 2025, version="")
    reissued = tm.tariff(region, "07A02", "vvt", 2025, version="r-2025-01")
    assert (first.version, reissued.version) == ("", "r-2025-01")
    assert first.valid_to is not None and reissued.valid_from is not None and first.valid_to < reissued.valid_from


@pytest.mark.parametrize("year", YEARS)
def test_explain_text_for_every_row(region, year) -> None:
    """Built up, derived (pgb), extern and indexed rows: each explains itself and ends at its own tariff."""
    kinds = set()
    for t in tm.tariffs(region, year):
        text = tm.explain_text(t, region)
        assert text.startswith(f"Tarief {t.product.product.code} ") and eur(t.tariff_eur) in text
        if t.steps:  # an indexed row: its base year and each index step
            assert f"tarief {t.base.year} per" in text and all(f"  {s.year}: methode {s.method}" in text
                                                              for s in t.steps)
        kinds.add((type(t).__name__, t.kind))
    assert {k for _, k in kinds} >= {"cao", "basistarief", "addendum", "pgb"}


def test_dir_lists_the_public_api_without_importing_it() -> None:
    assert dir(tariefmodel) == tariefmodel.__all__
    assert {"load", "tariffs", "tariff_book", "tariff", "explain_text", "UnknownTariff", "__version__"} \
        == set(tariefmodel.__all__)
    code = "import sys, tariefmodel; dir(tariefmodel); print('tariefmodel.api' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"  # the API (and pandas behind it) loads only when a name is used
