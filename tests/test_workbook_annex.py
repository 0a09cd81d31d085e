"""The contract annex (export annex): the engine's tariffs of a contract, values only, read-only, printable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import edit_product
from printed_helpers import day, eur, formula_cells, load, table, texts, title_value
from workbook_helpers import data_copy

from tariefmodel import __version__
from tariefmodel.cli.main import main
from tariefmodel.data.bundled import bundled_region
from tariefmodel.engine.book import price_book
from tariefmodel.engine.variants import BASIS
from tariefmodel.loader.load import load_region
from tariefmodel.outputs.workbooks import annex
from tariefmodel.trail import manifest as mf

REGULAR, MICRO = annex.REGULAR, annex.MICRO

NO_SHOW_NOTE = ("No-show is in het tarief verwerkt en niet declarabel; de aanbieder mag de cliënt een rekening van "
             "ten hoogste € 25 sturen")  # no_show.client_bill_max_eur = 25 (Inkoopplan 2025 § 5.3.3)


@pytest.fixture(scope="module")
def region():
    return load_region(bundled_region())


@pytest.fixture(scope="module")
def books(region):
    return {y: price_book(region, y) for y in (2025, 2026)}


def write(tmp: Path, region, book, contract: str, name: str = "annex.xlsx") -> Path:
    path = tmp / name
    annex.write_annex(path, region, book, contract, mf.build(region, ["export", "annex", "--contract", contract]))
    return path


def cao_by_header(region) -> dict[str, str]:
    return {c.meta.name: k for k, c in region.caos.items()} | {"Basistarief": BASIS}


def workbook_tariffs(region, path: Path) -> dict[tuple, Decimal]:
    """(code, valid_from, valid_to, micro, variant) -> tariff, from every price cell of the main table."""
    out: dict[tuple, Decimal] = {}
    variants = cao_by_header(region)
    for row in table(load(path)[annex.SHEET]):
        micro = {REGULAR: False, MICRO: True}[row["Tarief voor"]]
        for header, variant in variants.items():
            if header not in row or row[header] == "n.v.t.":
                continue
            key = (row["Product-code"], day(row["Geldig vanaf"]), day(row["Geldig tot en met"]), micro, variant)
            assert key not in out, key
            out[key] = eur(row[header])
    return out


def engine_tariffs(book, contract: str) -> dict[tuple, Decimal]:
    return {(t.product.product.code, t.valid_from, t.valid_to, t.micro, t.variant): t.tariff_eur
            for t in book.tariffs if t.product.contract == contract and t.kind in ("cao", BASIS) and not t.provider}


@pytest.mark.parametrize(("contract", "year"), [("dagbesteding-wmo", 2025), ("ambulant-jeugd", 2025),
                                                ("ambulant-jeugd", 2026), ("wonen-wmo", 2026),
                                                ("hulp-bij-huishouden", 2026)])
def test_values_equal_the_engines_book(tmp_path, region, books, contract, year) -> None:
    """Every CAO, basistarief and micro tariff of the contract, exactly once, to the cent; nothing else."""
    path = write(tmp_path, region, books[year], contract)
    expected = engine_tariffs(books[year], contract)
    assert expected
    assert workbook_tariffs(region, path) == expected


def test_every_contract_of_the_bundled_region(tmp_path, region, books) -> None:
    for contract in region.contracts:
        path = write(tmp_path, region, books[2025], contract, f"{contract}.xlsx")
        expected = engine_tariffs(books[2025], contract)
        wb = load(path)
        if expected:
            assert workbook_tariffs(region, path) == expected, contract
        elif any(t.product.contract == contract and t.kind == "extern" for t in books[2025].tariffs):
            assert wb.sheetnames[0] == annex.EXTERN_SHEET, contract  # external tariffs only: those first
        else:  # no tariffs at all: the title block says so and names the funding
            assert any("geen tarieven in het tariefmodel" in t for t in texts(wb[annex.SHEET])), contract
        assert wb.sheetnames[-1] == "Manifest"


def test_cao_columns_follow_the_contracts_products(tmp_path, region, books) -> None:
    """One column per CAO of the contract's products (region order); 'n.v.t.' where a product lacks it."""
    path = write(tmp_path, region, books[2025], "dagbesteding-wmo")
    rows = table(load(path)[annex.SHEET])
    headers = [h for h in rows[0] if not h.startswith("_")]
    caos = {k for bp in region.products if bp.contract == "dagbesteding-wmo" for k in bp.product.caos}
    names = [region.caos[k].meta.name for k in region.caos if k in caos]
    assert headers[6:6 + len(names) + 1] == [*names, "Basistarief"]
    logeren = [r for r in rows if r["Product-code"] == "04A01"]
    assert logeren and all(r["Cao Sociaal Werk"] == "n.v.t." for r in logeren)  # 04A01 has no Sociaal Werk
    first = rows[0]
    assert (first["Eenheid"], first["Code eenheid (iJw/iWmo)"], first["Cate-gorie"]) == ("dagdeel", "16", "07")


def test_pgb_and_external_tariffs_on_their_own_sheets(tmp_path, region, books) -> None:
    book = books[2025]
    path = write(tmp_path, region, book, "dagbesteding-wmo")
    wb = load(path)
    assert wb.sheetnames == [annex.SHEET, annex.PGB_SHEET, "Manifest"]
    labels = {f"Pgb {c.label}": f"pgb-{k}" for k, c in region.differentiation.pgb_categories.items()}
    got = {}
    for row in table(wb[annex.PGB_SHEET]):
        for header, variant in labels.items():
            got[(row["Product-code"], day(row["Geldig vanaf"]), variant)] = eur(row[header])
    want = {(t.product.product.code, t.valid_from, t.variant): t.tariff_eur for t in book.tariffs
            if t.product.contract == "dagbesteding-wmo" and t.kind == "pgb"}
    assert got == want

    path = write(tmp_path, region, book, "jb-jr", "jb.xlsx")
    wb = load(path)
    assert wb.sheetnames == [annex.EXTERN_SHEET, "Manifest"]
    rows = table(wb[annex.EXTERN_SHEET])
    want_ext = sorted((t.product.product.code, t.provider, t.tariff_eur) for t in book.tariffs
                      if t.product.contract == "jb-jr" and t.kind == "extern")
    got_ext = sorted((r["Product-code"], "gi-west" if "gi-west" in r["Geldt voor"] else "", eur(r["Tarief"]))
                     for r in rows)
    assert got_ext == want_ext
    assert any(r["Geldt voor"] == "alle aanbieders" for r in rows)
    assert all(r["Bron"] for r in rows)


def test_addenda_stay_out_of_the_general_annex(tmp_path, region, books) -> None:
    path = write(tmp_path, region, books[2025], "dagbesteding-wmo")
    rows = table(load(path)[annex.SHEET])
    addendum = next(t for t in books[2025].tariffs if t.kind == "addendum" and t.product.contract == "dagbesteding-wmo")
    amounts = {eur(v) for r in rows for v in r.values() if isinstance(v, float)}
    assert addendum.tariff_eur not in amounts
    assert any("Aanbieder-specifieke tarieven (addenda)" in t and "1 tarief," in t
               for t in texts(load(path)[annex.SHEET]))


def test_reissued_versions_with_their_validity(tmp_path, region, books) -> None:
    path = write(tmp_path, region, books[2025], "dagbesteding-wmo")
    rows = [r for r in table(load(path)[annex.SHEET]) if r["Product-code"] == "07A02"]
    spans = [(day(r["Geldig vanaf"]), day(r["Geldig tot en met"]), r["Versie"], r["Tarief voor"]) for r in rows]
    assert spans == [(dt.date(2025, 1, 1), dt.date(2025, 6, 30), "oorspronkelijk", REGULAR),
                     (dt.date(2025, 1, 1), dt.date(2025, 6, 30), "oorspronkelijk", MICRO),
                     (dt.date(2025, 7, 1), dt.date(2025, 12, 31), "heruitgifte r-2025-01", REGULAR),
                     (dt.date(2025, 7, 1), dt.date(2025, 12, 31), "heruitgifte r-2025-01", MICRO)]
    notes = texts(load(path)[annex.SHEET])
    assert any(t.startswith("3. Heruitgifte r-2025-01 van 07A02 per 01-07-2025:") for t in notes), notes
    # 2026 holds only the re-issued version, for the whole year
    path = write(tmp_path, region, books[2026], "dagbesteding-wmo", "2026.xlsx")
    rows = [r for r in table(load(path)[annex.SHEET]) if r["Product-code"] == "07A02"]
    assert {(day(r["Geldig vanaf"]), r["Versie"]) for r in rows} == {(dt.date(2026, 1, 1), "heruitgifte r-2025-01")}


def test_no_show_note_only_on_no_show_products(tmp_path, region, books) -> None:
    by_code = {bp.product.code: bp.product for bp in region.products}
    for contract in ("ambulant-jeugd", "wonen-wmo", "hoog-specialistisch"):
        path = write(tmp_path, region, books[2025], contract, f"{contract}.xlsx")
        ws = load(path)[annex.SHEET]
        rows = table(ws)
        for r in rows:
            assert bool(r["No-show"]) == by_code[r["Product-code"]].no_show, (contract, r["Product-code"])
            if r["No-show"]:
                assert r["No-show"] == "in het tarief (noot 1)"
        assert any(t.startswith(f"1. {NO_SHOW_NOTE}.") for t in texts(ws)), contract
    # a contract without no-show products: no column, no note
    path = write(tmp_path, region, books[2025], "dagbesteding-wmo")
    ws = load(path)[annex.SHEET]
    assert "No-show" not in table(ws)[0]
    assert not any("No-show" in t for t in texts(ws))


def test_first_year_says_cost_build_up(tmp_path, region, books) -> None:
    path = write(tmp_path, region, books[2025], "ambulant-jeugd")
    ws = load(path)[annex.SHEET]
    assert title_value(ws, "Tariefgrondslag").startswith("kostprijsopbouw 2025, het eerste contractjaar")
    assert "Index-percentage" not in table(ws)[0]


def test_indexed_year_shows_method_and_rate(tmp_path, region, books) -> None:
    book = books[2026]
    path = write(tmp_path, region, book, "ambulant-jeugd")
    ws = load(path)[annex.SHEET]
    basis = title_value(ws, "Tariefgrondslag")
    assert basis.startswith("indexatie 2026 op de tarieven van 2025 (basisjaar 2025): Vast percentage 2% (vast-2): 2,00%")
    assert "VNG-advies 2026 niet gevonden" in basis  # the assignment's source
    rows = table(ws)
    assert rows and all(r["Index-percentage"] == pytest.approx(0.02) for r in rows)
    # follow the CAO: rates differ per tariff, so every row names the method and its rate or range
    path = write(tmp_path, region, book, "hulp-bij-huishouden", "hbh.xlsx")
    ws = load(path)[annex.SHEET]
    assert "per tarief" in title_value(ws, "Tariefgrondslag")
    rows = table(ws)
    tariffs = [t for t in book.tariffs if t.product.contract == "hulp-bij-huishouden" and t.kind in ("cao", BASIS)]
    for r in rows:
        assert "(cao)" in r["Indexatie 2026"]
        rates = {t.steps[-1].rate for t in tariffs if t.micro == (r["Tarief voor"] == MICRO)}
        if len(rates) == 1:
            assert Decimal(str(r["Index-percentage"])) == pytest.approx(next(iter(rates)))
        else:
            assert r["Index-percentage"] is None and " tot " in r["Indexatie 2026"]


def test_title_block_and_source_footnote(tmp_path, region, books) -> None:
    path = write(tmp_path, region, books[2025], "ambulant-jeugd")
    ws = load(path)[annex.SHEET]
    c = region.contracts["ambulant-jeugd"]
    assert texts(ws)[0] == f"Bijlage tarieven 2025 bij de overeenkomst {c.name}"
    assert title_value(ws, "Regio") == region.info.name
    assert title_value(ws, "Overeenkomst").startswith(f"{c.name}, contractnummer (perceel) {c.number} (ambulant-jeugd)")
    assert title_value(ws, "Wet") == "Jeugdwet"
    assert title_value(ws, "Tariefjaar") == "2025"
    man = mf.read(path)
    source = next(t for t in texts(ws) if t.startswith("Bron: "))
    assert f"tariefmodel {__version__}" in source
    rev = man["data_revision"]
    assert (rev["git_commit"][:12] in source) if rev else "data-revisie onbekend" in source
    assert man["command"][:4] == ["export", "annex", "--contract", "ambulant-jeugd"]
    assert set(man["inputs"]) == set(region.files)


def test_values_only_protected_and_printable(tmp_path, region, books) -> None:
    path = write(tmp_path, region, books[2025], "dagbesteding-wmo")
    assert formula_cells(path) == []
    wb = load(path, formulas=True)
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title  # read-only for providers
    ws = wb[annex.SHEET]
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage  # to one page wide (1 is the default, not written)
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows  # the table header repeats on every page
    header_row = int(ws.print_title_rows.split(":")[0].lstrip("$"))
    assert ws.cell(header_row, 1).value == "Cate-gorie"
    assert ws.cell(header_row + 1, 7).number_format.startswith("€")


def test_two_runs_are_byte_identical(tmp_path, region, books) -> None:
    a = write(tmp_path, region, books[2026], "ambulant-jeugd", "a.xlsx")
    b = write(tmp_path, region, books[2026], "ambulant-jeugd", "b.xlsx")
    assert a.read_bytes() == b.read_bytes()


def test_formula_like_product_name_stays_text(tmp_path) -> None:
    root = data_copy(bundled_region(), tmp_path / "data")
    evil = '=HYPERLINK("http://example.invalid","klik")'
    edit_product(root / "parameters/products/08_ambulant_jeugd.yaml", "45A48",
                 "name: Jeugdhulp ambulant begeleiding regulier", f"name: '{evil}'")
    region = load_region(root, use_cache=False)
    path = write(tmp_path, region, price_book(region, 2025), "ambulant-jeugd")
    assert formula_cells(path) == []
    wb = load(path, formulas=True)
    hits = [(c.data_type, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert hits and all(h == ("s", "'" + evil) for h in hits), hits


def test_nothing_written_when_writing_fails(tmp_path, region, books, monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("midway")

    monkeypatch.setattr(annex, "_pgb_sheet", boom)
    with pytest.raises(RuntimeError):
        write(tmp_path, region, books[2025], "dagbesteding-wmo")
    assert list(tmp_path.iterdir()) == []


def test_cli_export_annex(runner, tmp_path, mini_path) -> None:
    out = tmp_path / "bijlage.xlsx"
    result = runner.invoke(main, ["export", "annex", "--contract", "ambulant", "--data", str(mini_path),
                                  "--year", "2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "geschreven naar" in result.output
    region = load_region(mini_path)
    assert workbook_tariffs(region, out) == engine_tariffs(price_book(region, 2025), "ambulant")
    verified = runner.invoke(main, ["verify", str(out), "--data", str(mini_path)])
    assert verified.exit_code == 0, verified.output


def test_cli_unknown_contract_exits_2_and_writes_nothing(runner, tmp_path, region) -> None:
    out = tmp_path / "bijlage.xlsx"
    result = runner.invoke(main, ["export", "annex", "--contract", "geen-perceel", "--out", str(out)])
    assert result.exit_code == 2
    assert "'geen-perceel'" in result.output
    for key in region.contracts:
        assert key in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []
    bad = runner.invoke(main, ["export", "annex", "--contract", "jb-jr", "--out", str(tmp_path / "b.csv")])
    assert bad.exit_code == 2 and list(tmp_path.iterdir()) == []
