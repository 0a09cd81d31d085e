"""The review workbook without LibreOffice: cached values, names, formulas, safety, determinism, CLI.

(The recalculation proof with LibreOffice is in test_workbook_libreoffice.py.)
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import edit_product
from openpyxl.formula import Tokenizer
from workbook_helpers import assert_same_tariffs, book_tariffs, data_copy, engine_tariffs, error_cells, tarieven

from tariefmodel.cli.main import main
from tariefmodel.data.bundled import bundled_region
from tariefmodel.loader.load import load_region
from tariefmodel.outputs.workbooks import formula as fx
from tariefmodel.outputs.workbooks.review import SHEETS, write_review
from tariefmodel.outputs.workbooks.xlsx import defined_name

STRUCTURAL = {"0", "1", "12", "60", "100"}  # 0 in MAX(x; 0) and ROUND(x; 0), 1 in 1 + x, months, minutes, cents


@pytest.fixture(scope="module")
def bundled_book(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("review") / "review.xlsx"
    result = write_review(path, load_region(bundled_region()), 2025)
    assert not result.skipped, [(s.tariff.product.product.code, s.tariff.variant, s.reason) for s in result.skipped]
    return path


@pytest.fixture(scope="module")
def indexed_book(tmp_path_factory) -> Path:
    """2026: the bundled contracts started in 2025, so every built tariff is indexed from its 2025 build-up."""
    path = tmp_path_factory.mktemp("review") / "review_2026.xlsx"
    result = write_review(path, load_region(bundled_region()), 2026)
    assert not result.skipped, [(s.tariff.product.product.code, s.tariff.variant, s.reason) for s in result.skipped]
    return path


@pytest.fixture(scope="module")
def formulas(bundled_book) -> openpyxl.Workbook:
    return openpyxl.load_workbook(bundled_book, data_only=False)


@pytest.fixture(scope="module")
def indexed_formulas(indexed_book) -> openpyxl.Workbook:
    return openpyxl.load_workbook(indexed_book, data_only=False)


def test_cached_values_equal_the_engine_without_recalculation(bundled_book, indexed_book) -> None:
    """(c) What xlsxwriter wrote beside each formula is the engine's tariff, to the cent and in eurocent:
    every tariff of the book (cao, basistarief, micro, addendum, pgb, extern; in 2026 indexed)."""
    for path, year in ((bundled_book, 2025), (indexed_book, 2026)):
        book = book_tariffs(bundled_region(), year)
        assert len(book) == {2025: 412, 2026: 401}[year]
        assert_same_tariffs(tarieven(path), book)
        assert error_cells(path) == []


def test_cached_values_on_the_mini_region(tmp_path, mini_path) -> None:
    """The mini region covers fraction norms, flat ORT, per_unit and per_place_year costs, FWG minima."""
    path = tmp_path / "mini.xlsx"
    result = write_review(path, load_region(mini_path), 2025)
    assert not result.skipped
    assert_same_tariffs(tarieven(path), engine_tariffs(mini_path, 2025))


def test_every_formula_cell_has_a_cached_value(formulas, bundled_book) -> None:
    values = openpyxl.load_workbook(bundled_book, data_only=True)
    missing = []
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f" and values[ws.title][c.coordinate].value is None:
                    missing.append(f"{ws.title}!{c.coordinate}")
    assert missing == []


def test_two_runs_are_byte_identical(tmp_path) -> None:
    """(d) Same inputs, same bytes."""
    region = load_region(bundled_region())
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_review(a, region, 2025)
    write_review(b, region, 2025)
    assert a.read_bytes() == b.read_bytes()


def test_toelichting_counts_every_tariff(formulas, indexed_formulas) -> None:
    """The counts: 2025 = 230 cao + 70 basistarief + 3 addendum = 303 built up, 105 pgb, 4 extern (412);
    2026 = 295 indexed from 2025, 102 pgb, 4 extern (401)."""
    assert formulas["Toelichting"]["A3"].value == (
        "Alle 412 tarieven van het tarievenboek 2025 staan in deze werkmap: 303 tarieven met kostprijsopbouw; "
        "zonder opbouw: pgb 105 (een percentage van het basistarief), extern 4 (extern vastgesteld).")
    assert indexed_formulas["Toelichting"]["A3"].value == (
        "Alle 401 tarieven van het tarievenboek 2026 staan in deze werkmap: 295 tarieven met kostprijsopbouw "
        "(295 daarvan de opbouw van 2025, geïndexeerd naar 2026); zonder opbouw: pgb 102 (een percentage van het "
        "basistarief), extern 4 (extern vastgesteld).")


def test_indexed_chain_and_pgb_formulas(indexed_formulas) -> None:
    """2026: each indexed tariff is ROUND(previous x (1 + named rate); tariff_decimals_2026) on its 2025 block;
    each pgb tariff ROUND(basistarief x named percentage; decimals); the index rate is a named cell."""
    wb = indexed_formulas
    assert wb.sheetnames[:4] == ["Toelichting", "Tarieven", "Producten", "Indexatie"]
    sheet, ref = next(iter(wb.defined_names["index_vast_2_2026"].destinations))
    assert sheet == "Indexatie" and wb[sheet][ref.replace("$", "")].value == pytest.approx(0.02)
    sheet, ref = next(iter(wb.defined_names["pgb_zzp_rate"].destinations))
    assert sheet == "Parameters" and wb[sheet][ref.replace("$", "")].value == pytest.approx(0.80)
    ws = wb["Producten"]
    labels = {r: ws.cell(r, 1).value for r in range(1, ws.max_row + 1)}
    index_rows = [r for r, v in labels.items() if v == "Indexatie 2026"]
    assert len(index_rows) == 291  # 295 indexed, of which 4 (hulp bij het huishouden) follow the CAO
    r = index_rows[0]
    assert ws.cell(r, 3).value == "=index_vast_2_2026"
    assert ws.cell(r, 5).value == f"=E{r - 2}*(1+C{r})"  # the 2025 tariff, two rows up (its source text between)
    nxt = ws.cell(r + 1, 5).value
    assert nxt in (f"=ROUND(E{r},tariff_decimals_2026)", ) or nxt.startswith('=IF(minute_tariff_method_2026=')
    pgb = [ws.cell(r, 5).value for r, v in labels.items() if v and v.startswith("Pgb-percentage")]
    assert len(pgb) == 102
    text = "\n".join(str(ws.cell(r, c).value) for r in labels for c in (3, 5) if ws.cell(r, c).data_type == "f")
    assert "=pgb_zzp_rate" in text and "tariff_decimals_2026)" in text


def test_sheets_and_frozen_headers(formulas) -> None:
    assert formulas.sheetnames == [*SHEETS, "Manifest"]  # every output carries its run manifest
    assert SHEETS == ["Toelichting", "Tarieven", "Producten", "Functieprofielen", "CAO", "Parameters"]
    for name in SHEETS[1:]:
        assert formulas[name].freeze_panes is not None, name
    assert formulas["Tarieven"]["M1"].value == "Tarief (€)"
    assert formulas["Tarieven"]["M2"].number_format.startswith("€")


def test_named_ranges_for_parameters(formulas) -> None:
    names = set(formulas.defined_names)
    for expected in ("overhead_rate", "overhead_rate_micro", "overhead_convention", "no_show_rate",
                     "no_show_convention", "profit_risk_rate", "tariff_decimals", "minute_tariff_method",
                     "cost_per_hour_decimals", "hours_per_dagdeel", "charge_pensioen_rate", "charge_pensioen_franchise",
                     "charge_sociale_verzekeringen_rate", "norm_ambulant_ziekte", "norm_ambulant_vakantie",
                     "client_reistijd_ambulant", "client_huisvesting_wonen", "client_huisvesting_wonen_units",
                     "cao_jeugdzorg_holiday_rate", "cao_jeugdzorg_holiday_min", "cao_gehandicaptenzorg_ort_nacht",
                     "cao_vvt_annual_hours"):
        assert expected in names, expected
    dest = formulas.defined_names["overhead_rate"].attr_text
    assert dest.startswith("Parameters!$C$")
    sheet, ref = next(iter(formulas.defined_names["overhead_rate"].destinations))
    assert formulas[sheet][ref.replace("$", "")].value == pytest.approx(0.20)


def test_no_literal_numbers_in_formulas(formulas, indexed_formulas) -> None:
    """Rates and amounts come from cells; only structural constants appear in formulas."""
    found = {}
    for ws in [*formulas.worksheets, *indexed_formulas.worksheets]:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type != "f":
                    continue
                for tok in Tokenizer(c.value).items:
                    if tok.type == "OPERAND" and tok.subtype == "NUMBER" and tok.value not in STRUCTURAL:
                        found[f"{ws.title}!{c.coordinate}"] = c.value
    assert found == {}


def test_round_only_where_the_engine_rounds(formulas, indexed_formulas) -> None:
    """ROUND on Producten only in tariff rows (of each year of an index chain too); on Functieprofielen only
    in C (optional cost_per_hour_decimals)."""
    for ws in (formulas["Producten"], indexed_formulas["Producten"]):
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f" and "ROUND(" in c.value:
                    label = ws.cell(c.row, 1).value
                    assert c.column_letter == "E", (c.coordinate, c.value)
                    assert label.startswith(("Uurtarief", "TARIEF per")), (c.coordinate, label, c.value)
    profiles = formulas["Functieprofielen"]
    last = profiles.max_column
    assert profiles.cell(1, last).value == "Kosten per productief uur (C)"
    for row in profiles.iter_rows(min_row=2):
        for c in row:
            if c.data_type == "f" and "ROUND(" in c.value:
                assert c.column == last and "cost_per_hour_decimals" in c.value, c.coordinate


def test_formulas_read_like_the_model(formulas) -> None:
    """Spot checks of the formula text: minima per step, pension over the franchise, conventions by name."""
    cao = formulas["CAO"]
    holiday = [c.value for c in cao["J"] if c.data_type == "f"]
    assert holiday and all(v.startswith("=MAX(") and "_holiday_rate" in v and "_holiday_min" in v for v in holiday)
    profiles = formulas["Functieprofielen"]
    header = [c.value for c in profiles[1]]
    pension = header.index("Pensioenpremie PFZW, werkgeversdeel") + 1
    assert profiles.cell(2, pension).value.startswith("=MAX(")
    assert "-charge_pensioen_franchise,0)*charge_pensioen_rate" in profiles.cell(2, pension).value
    text = "\n".join(c.value for row in formulas["Producten"].iter_rows() for c in row if c.data_type == "f")
    assert 'IF(overhead_convention="markup",' in text and 'IF(overhead_convention="share",' in text
    assert 'IF(no_show_convention="divide",' in text
    assert "ROUND(" in text and "tariff_decimals" in text
    assert 'IF(minute_tariff_method="from_hour",' in text


def test_formula_text_keeps_the_engines_order() -> None:
    a, b, c = fx.X("A1", Decimal(6)), fx.X("B1", Decimal(3)), fx.X("C1", Decimal(2))
    assert (a * (b / c)).f == "A1*(B1/C1)"
    assert (a * b / c).f == "A1*B1/C1"
    assert (a - (b - c)).f == "A1-(B1-C1)"
    assert (a - b - c).f == "A1-B1-C1"
    assert ((a + b) * c).f == "(A1+B1)*C1"
    assert (a * (b / c)).v == Decimal(9)
    r = fx.ROUND(fx.X("A1", Decimal("2.675")), fx.X("d", 2))
    assert r.v == Decimal("2.68")  # half away from zero, like the engine and Excel
    assert fx.IF(fx.X("m", "share").eq("markup"), a, b).v == Decimal(3)


def test_defined_names_are_valid() -> None:
    assert defined_name("charge_sociale-verzekeringen_rate") == "charge_sociale_verzekeringen_rate"
    assert defined_name("AB12") == "p_AB12"  # would be a cell address
    assert defined_name("r1c1") == "p_r1c1"
    assert defined_name("9x") == "p_9x"


def test_formula_like_product_name_stays_text(tmp_path) -> None:
    """(e) Input text that starts with '=' is written as text, never as a formula."""
    root = data_copy(bundled_region(), tmp_path / "data")
    evil = '=HYPERLINK("http://example.invalid","klik")'
    edit_product(root / "parameters/products/08_ambulant_jeugd.yaml", "45A48",
                 "name: Jeugdhulp ambulant begeleiding regulier", f"name: '{evil}'")
    path = tmp_path / "review.xlsx"
    write_review(path, load_region(root, use_cache=False), 2025)
    wb = openpyxl.load_workbook(path, data_only=False)
    hits = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and "HYPERLINK" in c.value:
                    hits.append((ws.title, c.data_type, c.value))
    assert hits, "the product name should appear in the workbook"
    assert all(dtype == "s" and value == "'" + evil for _, dtype, value in hits), hits


def test_cli_export_review(runner, tmp_path, mini_path) -> None:
    out = tmp_path / "r.xlsx"
    result = runner.invoke(main, ["export", "review", "--data", str(mini_path), "--year", "2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file()
    assert "tarieven (2025)" in result.output
    bad = runner.invoke(main, ["export", "review", "--data", str(mini_path), "--out", str(tmp_path / "r.csv")])
    assert bad.exit_code == 2
    gap = runner.invoke(main, ["export", "review", "--data", str(mini_path), "--year", "2019", "--out", str(out)])
    assert gap.exit_code == 2  # no parameter values in 2019: invalid input, named
    assert "FOUT" in gap.output


def test_a_variant_the_workbook_cannot_rebuild_is_left_out_and_reported(tmp_path, mini_path, monkeypatch) -> None:
    """A tariff whose build-up the formulas cannot reproduce is never written with wrong formulas."""
    import dataclasses

    from tariefmodel.outputs.workbooks import review

    real = review.price_book

    def altered(region, year):
        book = real(region, year)
        first = book.tariffs[0]
        book.tariffs[0] = dataclasses.replace(first, tariff_eur=first.tariff_eur + Decimal("0.01"))
        return book

    monkeypatch.setattr(review, "price_book", altered)
    path = tmp_path / "r.xlsx"
    result = write_review(path, load_region(mini_path), 2025)
    assert len(result.skipped) == 1 and "tarief" in result.skipped[0].reason
    assert result.tariffs == len(book_tariffs(mini_path, 2025)) - 1


def test_two_runs_of_an_indexed_year_are_byte_identical(tmp_path, indexed_book) -> None:
    again = tmp_path / "again.xlsx"
    write_review(again, load_region(bundled_region()), 2026)
    assert again.read_bytes() == indexed_book.read_bytes()


def test_verify_accepts_the_indexed_workbook(runner, tmp_path) -> None:
    out = tmp_path / "r2026.xlsx"
    result = runner.invoke(main, ["export", "review", "--year", "2026", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "401 tarieven (2026)" in result.output
    checked = runner.invoke(main, ["verify", str(out)])
    assert checked.exit_code == 0, checked.output
