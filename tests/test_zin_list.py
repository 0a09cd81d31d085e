"""The ZIN tariff list (parameters/zin_tarieven.csv) and pgb tariffs on external tariffs.

A region that takes tariffs it did not compute lists them in one CSV; each row becomes the product's decided
amount (vast bedrag) and joins the book like any other row: every variant, pgb derived from it, indexation,
annex, audit. External tariffs get pgb rows where the region's pgb rule (pgb_external_products) names them.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import edit
from zin_helpers import ZIN_EN, ZIN_NL, region_with

from tariefmodel.cli.main import main
from tariefmodel.data.problems import InputError
from tariefmodel.engine.book import price_book
from tariefmodel.engine.pricing import FixedTariff
from tariefmodel.loader.load import load_region
from tariefmodel.trail.audit import build_register
from tariefmodel.trail.explain import to_dict, to_text


@pytest.fixture(scope="module")
def zin_root(tmp_path_factory) -> Path:
    return region_with(tmp_path_factory.mktemp("zin"), ZIN_NL, external_pgb=True)


@pytest.fixture(scope="module")
def zin_region(zin_root):
    return load_region(zin_root, use_cache=False)


def _rows(book, code: str) -> dict[tuple[str, bool], D]:
    return {(t.variant, t.micro): t.tariff_eur for t in book.tariffs
            if t.product.product.code == code and not t.provider}


def test_every_variant_has_the_listed_amount(zin_region) -> None:
    rows = _rows(price_book(zin_region, 2025), "45A60")
    for variant in (*zin_region.product("45A60").product.caos, "basistarief"):
        assert rows[(variant, False)] == rows[(variant, True)] == D("61.37")


def test_pgb_follows_the_listed_amount_transport_exempt(zin_region) -> None:
    rows = _rows(price_book(zin_region, 2025), "45A60")
    # pgb zzp 80%: 61.37 x 0.80 = 49.096 -> 49.10; informeel netwerk 50%: 30.685 -> 30.69 (half away from zero)
    assert rows[("pgb-zzp", False)] == D("49.10")
    assert rows[("pgb-informeel-netwerk", False)] == D("30.69")
    assert rows[("pgb-organisatie", False)] == D("61.37")
    # 42A01 (vervoer) is exempt from the pgb discount: 100% of 12.35 in each category
    ride = _rows(price_book(zin_region, 2025), "42A01")
    assert {v for (k, _), v in ride.items() if k.startswith("pgb-")} == {D("12.35")}


def test_a_later_row_stands_as_decided_and_before_the_list_the_build_up_holds(zin_region) -> None:
    # 2026 is an indexed contract year, but the list decides 63.00 from 01-01-2026: it stands, not 61.37 x 1.02
    rows = _rows(price_book(zin_region, 2026), "45A60")
    assert rows[("basistarief", False)] == D("63.00")
    assert rows[("pgb-zzp", False)] == D("50.40")  # 63.00 x 0.80
    before = [t for t in price_book(zin_region, 2024).tariffs if t.product.product.code == "45A60"]
    assert before and not any(isinstance(t, FixedTariff) for t in before)


def test_an_ended_row_is_indexed_in_the_contracts_later_years(tmp_path: Path) -> None:
    """Without a 2026 row, the contract's 2026 tariff indexes its first year's tariff, as for any product."""
    only_2025 = "\n".join(line for line in ZIN_EN.splitlines() if ",2026-01-01," not in line) + "\n"
    region = load_region(region_with(tmp_path, only_2025), use_cache=False)
    # method vast-2 (2%) in 2026: 61.37 x 1.02 = 62.5974 -> 62.60; pgb zzp 62.60 x 0.80 = 50.08
    rows = _rows(price_book(region, 2026), "45A60")
    assert rows[("basistarief", False)] == D("62.60")
    assert rows[("pgb-zzp", False)] == D("50.08")


def test_the_dutch_excel_file_and_the_canonical_file_give_the_same_book(zin_region, tmp_path: Path) -> None:
    canonical = load_region(region_with(tmp_path, ZIN_EN, external_pgb=True), use_cache=False)
    for year in (2025, 2026):
        a = [(t.key, t.tariff_eur) for t in price_book(zin_region, year).tariffs]
        b = [(t.key, t.tariff_eur) for t in price_book(canonical, year).tariffs]
        assert a == b


def test_explain_and_audit_name_the_list_and_its_row(zin_region) -> None:
    book = price_book(zin_region, 2025)
    row = next(t for t in book.tariffs if t.product.product.code == "45A60" and t.variant == "basistarief"
               and not t.micro)
    text = to_text(row, {})
    assert "geldig                       vanaf 01-01-2025 tot en met 31-12-2025" in text
    assert "besluit                      Collegebesluit 2024/77" in text
    # row 3 of the file: the comment is row 1, the header row 2
    assert "vastgelegd in                ZIN-tarievenlijst parameters/zin_tarieven.csv, rij 3" in text
    assert to_dict(row)["vast"]["listed_row"] == 3
    entry = next(r for r in build_register(book, zin_region) if r.path == "vast 45A60 (rij 3)")
    assert entry.file == "parameters/zin_tarieven.csv"
    assert (entry.value, entry.decided_by) == ("61.37 (vast bedrag)", "Collegebesluit 2024/77")
    assert "45A60/basistarief" in entry.feeds


def test_external_tariffs_get_pgb_rows_where_the_rule_says_so(zin_region) -> None:
    rows = _rows(price_book(zin_region, 2025), "48A01")
    # external 26.60 (2025): zzp 80% = 21.28; informeel 50% = 13.30; organisatie 100% = 26.60
    assert (rows[("pgb-zzp", False)], rows[("pgb-informeel-netwerk", False)], rows[("pgb-organisatie", False)]) \
        == (D("21.28"), D("13.30"), D("26.60"))
    # 2026: the external tariff of that year (27.70) stands, and so do its pgb rows: 27.70 x 0.80 = 22.16
    assert _rows(price_book(zin_region, 2026), "48A01")[("pgb-zzp", False)] == D("22.16")
    # 47A01 is not named by the rule: no pgb rows
    assert not any(k.startswith("pgb-") for k, _ in _rows(price_book(zin_region, 2025), "47A01"))
    pgb = next(t for t in price_book(zin_region, 2025).tariffs
               if t.product.product.code == "48A01" and t.variant == "pgb-zzp")
    assert "80,00% van het externe tarief € 26,60" in to_text(pgb, {})


def test_the_bundled_region_gives_external_tariffs_no_pgb() -> None:
    from tariefmodel.data.bundled import bundled_region

    book = price_book(load_region(bundled_region()), 2025)
    assert not [t for t in book.tariffs if t.kind == "pgb" and t.base is not None and t.base.kind == "extern"]


def test_the_annex_lists_the_external_pgb_tariffs(zin_region, tmp_path: Path) -> None:
    import openpyxl

    from tariefmodel.outputs.workbooks.annex import write_annex

    out = tmp_path / "bijlage.xlsx"
    result = write_annex(out, zin_region, price_book(zin_region, 2025), "jb-jr", {"command": "test"})
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["Pgb-tarieven", "Externe tarieven"]
    rows = [r for r in wb["Pgb-tarieven"].iter_rows(values_only=True) if r[1] == "48A01"]
    assert rows and rows[0][5:9] == (26.6, 21.28, 13.3, 26.6)  # organisatie, zzp, informeel, base (external)
    assert result.tariffs == 3 + 3  # the pgb rows of 48A01 and the external tariffs (48A01 twice, 47A01)


def test_the_vectorised_path_agrees_to_the_cent(zin_region) -> None:
    from tariefmodel.scenarios.vectorised import Model

    model = Model(zin_region, [2025, 2026])
    out = model.evaluate(model.space.matrix(1))
    for year in (2025, 2026):
        exact = np.array([t.eurocent for t in price_book(zin_region, year).tariffs], dtype=np.int64)
        assert (np.rint(out[year][0] * 100).astype(np.int64) == exact).all()


def test_an_edited_list_is_never_served_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TARIEFMODEL_CACHE_DIR", str(tmp_path / "cache"))
    root = region_with(tmp_path, ZIN_EN)
    assert _rows(price_book(load_region(root), 2025), "45A60")[("basistarief", False)] == D("61.37")
    edit(root / "parameters" / "zin_tarieven.csv", ",61.37,", ",61.38,")
    assert _rows(price_book(load_region(root), 2025), "45A60")[("basistarief", False)] == D("61.38")
    (root / "parameters" / "zin_tarieven.csv").unlink()  # and without the list the build-up is back
    assert not any(isinstance(t, FixedTariff) for t in price_book(load_region(root), 2025).tariffs)


def test_the_manifest_lists_the_file(zin_root, tmp_path: Path) -> None:
    import json

    out = tmp_path / "t.json"
    result = CliRunner().invoke(main, ["calculate", "--data", str(zin_root), "--year", "2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "parameters/zin_tarieven.csv" in json.loads(out.read_text(encoding="utf-8"))["manifest"]["inputs"]


BAD = ("code;eenheid;bedrag;geldig_vanaf;geldig_tot;bron\n"
       "45A6O;dagdeel;61,37;01-01-2025;31-12-2025;Tarievenlijst 2025\n"    # row 2: unknown code
       "45A60;uur;1.234,56;01-07-2025;31-12-2025;TODO\n"                    # row 3: four problems
       "45A60;dagdeel;61,37;2025-01-01;2025-12-31;Lijst 2025\n"             # row 4: fine
       "45A60;dagdeel;62,37;2025-06-01;;Lijst\n"                             # row 5: not 1 January
       "54002;minuut;1,5;2025-01-01;;Lijst\n"                               # row 6: a minute product
       "48A01;etmaal;20;2025-01-01;;Lijst\n"                                # row 7: an external tariff
       "45A60;dagdeel;61,37;2025-01-01;;Lijst\n"                            # row 8: twice
       "42A01;stuks;12,35;2025-01-01;;Lijst;extra\n"                        # row 9: a column too many
       "45A61;dagdeel;50,00;2025-01-01;2026-12-31;Lijst\n"                  # row 10
       "45A61;dagdeel;51,00;2026-01-01;;Lijst\n")                           # row 11: overlaps row 10


def test_every_problem_is_named_at_once_and_nothing_is_written(tmp_path: Path) -> None:
    root = region_with(tmp_path, BAD)
    out = tmp_path / "t.csv"
    result = CliRunner().invoke(main, ["calculate", "--data", str(root), "--year", "2025", "--out", str(out)])
    assert result.exit_code == 2 and not out.exists()
    text = result.output
    expected = [
        ":2 [rij 2 (45A6O)]: productcode '45A6O' staat niet in het productenboek; bedoelde u",
        ":3 [rij 3 (45A60)]: bedrag '1.234,56' is geen bedrag",
        ":3 [rij 3 (45A60)]: geldig_vanaf 01-07-2025 is geen 1 januari",
        ":3 [rij 3 (45A60)]: bron 'TODO' noemt geen openbaar document",
        ":3 [rij 3 (45A60)]: eenheid 'uur' verschilt van die van 45A60 in het productenboek (dagdeel)",
        ":5 [rij 5 (45A60)]: geldig_vanaf 2025-06-01 is geen 1 januari",
        ":6 [rij 6 (54002)]: 54002 is een minuutproduct",
        ":7 [rij 7 (48A01)]: 48A01 is een extern tarief: zet het in parameters/external_tariffs.yaml",
        ":8 [rij 8 (45A60)]: 45A60 per 01-01-2025 staat er al in (rij 4)",
        ":9 [rij 9]: 7 kolommen in plaats van 6",
        ":11 [rij 11 (45A61)]: de periode van 45A61 vanaf 01-01-2026 overlapt die van rij 10 "
        "(01-01-2025 tot en met 31-12-2026)",
    ]
    for message in expected:
        assert "FOUT parameters/zin_tarieven.csv" + message in text, message
    assert "Traceback" not in text


@pytest.mark.parametrize(("header", "message"), [
    ("code,eenheid,bedrag,geldig_vanaf,bron", "kolommen ontbrekend: geldig_tot"),
    ("code,eenheid,bedrag,geldig_vanaf,geldig_tot,bron,kleur", "onbekend: 'kleur'"),
    ("code,eenheid,bedrag,geldig_vanaf,geldig_tot,bron,bron", "dubbel: bron"),
    ("code,eenhied,bedrag,geldig_vanaf,geldig_tot,bron", "onbekend: 'eenhied' (bedoelde u eenheid?)"),
])
def test_a_wrong_header_is_named(tmp_path: Path, header: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        load_region(region_with(tmp_path, header + "\n"), use_cache=False)
    assert any(p.file == "parameters/zin_tarieven.csv" and message in p.message for p in err.value.problems)


def test_a_product_is_decided_in_one_place(tmp_path: Path) -> None:
    root = region_with(tmp_path, ZIN_EN)
    path = root / "parameters/products/10_dagbesteding_jeugd.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("    provenance:", text.index('code: "45A60"'))
    vast = ("    vast:\n      - from: 2025-01-01\n        amount: 60.00\n        source: Collegebesluit (test)\n"
            "        rationale: Test van een dubbel vastgelegd bedrag.\n")
    path.write_text(text[:at] + vast + text[at:], encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_region(root, use_cache=False)
    assert any("45A60 heeft al een vast bedrag in parameters/products/10_dagbesteding_jeugd.yaml" in p.message
               for p in err.value.problems)


@pytest.mark.parametrize(("codes", "message"), [
    ('["48A99"]', "product '48A99' bestaat niet in parameters/external_tariffs.yaml"),
    ('["45A60"]', "product '45A60' is geen extern tarief"),
])
def test_the_external_pgb_rule_names_external_products(tmp_path: Path, codes: str, message: str) -> None:
    root = region_with(tmp_path, None, external_pgb=True)
    edit(root / "parameters/differentiation.yaml", 'value: ["48A01"]', f"value: {codes}")
    with pytest.raises(InputError) as err:
        load_region(root, use_cache=False)
    assert any(p.where == "pgb_external_products" and message in p.message for p in err.value.problems)


def test_a_provider_sheet_says_where_a_listed_amount_comes_from(zin_region) -> None:
    from tariefmodel.outputs.workbooks.tariff_sheets import index_info

    book = price_book(zin_region, 2026)
    row = next(t for t in book.tariffs if t.product.product.code == "45A60" and t.variant == "basistarief")
    assert index_info(zin_region, row).text == "vast bedrag (ZIN-tarievenlijst)"  # was "kostprijsopbouw 2026"
    pgb = next(t for t in price_book(zin_region, 2025).tariffs
               if t.product.product.code == "48A01" and t.variant == "pgb-zzp")
    assert index_info(zin_region, pgb).text == "afgeleid van het externe tarief"


def test_the_budget_prices_the_listed_amounts(zin_region) -> None:
    """Budgets price volumes at the book's rows: a listed product costs units x the listed amount."""
    from tariefmodel.scenarios.api import Workspace

    lines = [ln for ln in Workspace(region=zin_region).budget("basis", 2025).lines if ln.product == "45A60"]
    assert lines
    for ln in lines:
        # every variant of 45A60 is 61.37 in 2025 (basistarief, CAO, micro alike): cost = units x 61.37 to the cent
        assert abs(ln.cost - ln.units * D("61.37")) < D("0.005"), (ln.provider, ln.municipality, ln.cost)
    # 6,000 dagdelen for zorgboerderij-weidezicht and 3,000 for kindplus (parameters/volumes.yaml, 2025)
    assert sum(ln.units for ln in lines) == 9000


@pytest.mark.parametrize(("raw", "message"), [
    (b"code,eenheid,bedrag,geldig_vanaf,geldig_tot,bron\n45A60,dagdeel,61.37,2025-01-01,,Lijst \x1b[31m\n",
     "[rij 2]: regel '45A60,dagdeel,61.37,2025-01-01,,Lijst \\x1b[31m' bevat een stuurteken"),
    (b"code,eenheid,bedrag,geldig_vanaf,geldig_tot,bron\n45A60,dagdeel,61.37,2025-01-01,,Lijst \xe9\n",
     ":2: geen UTF-8-tekst (byte 87)"),  # 50 bytes of header line + 37 of row 2
])
def test_a_list_that_is_no_clean_text_is_refused_like_a_salary_table(tmp_path: Path, raw: bytes, message: str) -> None:
    """The list is read with the salary tables' reading (loader.reader.csv_lines): one message, file and line."""
    root = region_with(tmp_path, None)
    (root / "parameters" / "zin_tarieven.csv").write_bytes(raw)
    with pytest.raises(InputError) as err:
        load_region(root, use_cache=False)
    assert any(message in str(p) for p in err.value.problems if p.file == "parameters/zin_tarieven.csv"), \
        [str(p) for p in err.value.problems]
