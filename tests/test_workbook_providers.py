"""Provider tariff sheets (export providers / export provider): exactly provider_view's rows, all or nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import edit_product
from printed_helpers import day, eur, formula_cells, load, table, texts, title_value
from workbook_helpers import data_copy

from tariefmodel import __version__
from tariefmodel.cli.main import main
from tariefmodel.data.bundled import bundled_region
from tariefmodel.data.numbers import eur as fmt_eur
from tariefmodel.engine.book import price_book
from tariefmodel.engine.variants import micro_status, provider_view
from tariefmodel.loader.load import load_region
from tariefmodel.outputs.workbooks import providers as pw
from tariefmodel.outputs.workbooks.tariff_sheets import contract_label, index_info
from tariefmodel.trail import manifest as mf

NO_SHOW_NOTE = ("No-show is in het tarief verwerkt en niet declarabel; de aanbieder mag de cliënt een rekening van "
             "ten hoogste € 25 sturen")  # no_show.client_bill_max_eur = 25 (Inkoopplan 2025 § 5.3.3)


@pytest.fixture(scope="module")
def region():
    return load_region(bundled_region())


@pytest.fixture(scope="module")
def books(region):
    return {y: price_book(region, y) for y in (2025, 2026)}


@pytest.fixture(scope="module")
def written(region, books, tmp_path_factory) -> dict[int, Path]:
    """Every bundled provider's workbook for 2025 and 2026."""
    out = {}
    for year, book in books.items():
        folder = tmp_path_factory.mktemp("providers") / str(year)
        pw.write_provider_books(folder, region, book, None, mf.build(region, ["export", "providers"]))
        out[year] = folder
    return out


def manifest(region) -> dict:
    return mf.build(region, ["export", "providers"])


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_provider_lists_exactly_provider_views_rows(region, books, written, year) -> None:
    """Same tariffs, same order, same reasons, same validity: nothing added, nothing left out."""
    assert sorted(p.name for p in written[year].iterdir()) == sorted(f"{k}.xlsx" for k in region.providers)
    for key in region.providers:
        view = provider_view(region, books[year], key)
        rows = table(load(written[year] / f"{key}.xlsx")[pw.SHEET])
        got = [(r["Product-code"], r["Variant"], r["Micro"], eur(r["Tarief"]), day(r["Geldig vanaf"]),
                day(r["Geldig tot en met"]), r["Waarom dit tarief"], r["_section"]) for r in rows]
        want = [(t.product.product.code, pw.variant_label(region, t), "ja" if t.micro else "nee", t.tariff_eur,
                 t.valid_from, t.valid_to, why, contract_label(region, t.product.contract)) for t, why in view]
        assert got == want, key


def test_the_kinds_of_rows_are_covered(region, books) -> None:
    """The bundled register exercises CAO, basistarief, micro, addenda, re-issues and external phase-in."""
    seen = set()
    for key in region.providers:
        for t, _ in provider_view(region, books[2025], key):
            seen.add(t.kind)
            seen |= {"micro"} if t.micro else set()
            seen |= {"version"} if t.version else set()
            seen |= {"phase-in"} if t.kind == "extern" and t.provider else set()
    assert seen >= {"cao", "basistarief", "addendum", "extern", "micro", "version", "phase-in"}


def test_registration_data(region, written) -> None:
    for key, prov in region.providers.items():
        ws = load(written[2025] / f"{key}.xlsx")[pw.SHEET]
        status = micro_status(prov, region.differentiation, dt.date(2025, 1, 1))
        assert texts(ws)[0] == f"Tarievenblad 2025: {prov.name}"
        assert title_value(ws, "Naam") == prov.name
        assert title_value(ws, "Kenmerk").startswith(prov.identifier)
        assert title_value(ws, "CAO bij inschrijving") == pw.declared_cao(region, prov.cao)
        assert title_value(ws, "Werknemers") == str(prov.employees)
        assert title_value(ws, "Jaaromzet") == fmt_eur(prov.annual_turnover_eur)
        assert title_value(ws, "Balanstotaal") == fmt_eur(prov.balance_total_eur)
        assert title_value(ws, "Micro-onderneming") == ("ja; " if status.micro else "nee; ") + status.reason
        for c in prov.contracts:
            assert contract_label(region, c) in title_value(ws, "Overeenkomsten")
    # the declared CAO in words: modelled, not modelled by the region, none
    assert "rekent de regio niet mee" in pw.declared_cao(region, "kinderopvang")
    assert pw.declared_cao(region, "geen") == "geen CAO: basistarief"


def test_indexed_year_shows_method_and_rate(region, books, written) -> None:
    for key in region.providers:
        view = provider_view(region, books[2026], key)
        rows = table(load(written[2026] / f"{key}.xlsx")[pw.SHEET])
        for (t, _), r in zip(view, rows, strict=True):
            steps = getattr(t, "steps", None)
            if steps:
                assert r["Indexatie"] == index_info(region, t).text
                assert f"({steps[-1].method})" in r["Indexatie"]
                assert Decimal(str(r["Index-percentage"])) == pytest.approx(steps[-1].rate)
            elif "Indexatie" in r:
                assert r["Index-percentage"] is None
    rows = table(load(written[2026] / "thuiszorg-ijssel.xlsx")[pw.SHEET])
    assert {r["Indexatie"] for r in rows} >= {"Vast percentage 2% (vast-2)",
                                              "Volgt de CAO (herberekening met de CAO-tabellen van het jaar) (cao)"}
    # the first contract year: built up from costs, said once above the table
    ws = load(written[2025] / "kompas-jeugd.xlsx")[pw.SHEET]
    assert title_value(ws, "Tariefgrondslag").startswith("kostprijsopbouw 2025")
    assert "Indexatie" not in table(ws)[0]


def test_no_show_note_only_on_no_show_products(region, written) -> None:
    for key in region.providers:
        ws = load(written[2025] / f"{key}.xlsx")[pw.SHEET]
        rows = table(ws)
        by_code = {bp.product.code: bp.product for bp in (*region.products, *region.external)}
        flags = [getattr(by_code[r["Product-code"]], "no_show", False) for r in rows]
        if any(flags):
            assert [bool(r["No-show"]) for r in rows] == flags, key
            assert any(t.startswith(f"1. {NO_SHOW_NOTE}.") for t in texts(ws)), key
        else:
            assert all("No-show" not in r for r in rows), key
            assert not any("No-show" in t for t in texts(ws)), key


def test_values_only_protected_with_manifest(region, written) -> None:
    path = written[2025] / "de-rozenhof.xlsx"
    assert formula_cells(path) == []
    wb = load(path, formulas=True)
    assert wb.sheetnames == [pw.SHEET, "Manifest"]
    assert all(ws.protection.sheet for ws in wb.worksheets)
    ws = wb[pw.SHEET]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows
    man = mf.read(path)
    assert man["command"] == ["export", "provider", "de-rozenhof", "--year", "2025"]
    assert set(man["inputs"]) == set(region.files)
    source = next(t for t in texts(load(path)[pw.SHEET]) if t.startswith("Bron: "))
    assert f"tariefmodel {__version__}" in source


def test_two_runs_are_byte_identical(region, books, written, tmp_path) -> None:
    again = tmp_path / "again"
    pw.write_provider_books(again, region, books[2025], None, manifest(region))
    for path in written[2025].iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_formula_like_product_name_stays_text(tmp_path) -> None:
    root = data_copy(bundled_region(), tmp_path / "data")
    evil = "=1+2"
    edit_product(root / "parameters/products/08_ambulant_jeugd.yaml", "45A48",
                 "name: Jeugdhulp ambulant begeleiding regulier", f"name: '{evil}'")
    region = load_region(root, use_cache=False)
    out = tmp_path / "out"
    pw.write_provider_books(out, region, price_book(region, 2025), ["kompas-jeugd"], manifest(region))
    path = out / "kompas-jeugd.xlsx"
    assert formula_cells(path) == []
    wb = load(path, formulas=True)
    hits = [(c.data_type, c.value) for row in wb[pw.SHEET].iter_rows() for c in row if c.value == "'" + evil]
    assert hits and all(dtype == "s" for dtype, _ in hits)


def test_an_error_midway_writes_no_provider_file(region, books, tmp_path, monkeypatch) -> None:
    real = pw.write_workbook
    done = []

    def flaky(path, region_, book, key, man, index=None):
        if len(done) == 5:
            raise RuntimeError(f"provider {key} failed")
        done.append(key)
        return real(path, region_, book, key, man, index)

    monkeypatch.setattr(pw, "write_workbook", flaky)
    fresh = tmp_path / "fresh"
    with pytest.raises(RuntimeError):
        pw.write_provider_books(fresh, region, books[2025], None, manifest(region))
    assert done and list(tmp_path.iterdir()) == []  # no folder, no temporary folder
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / "de-rozenhof.xlsx").write_bytes(b"last year's")
    done.clear()
    with pytest.raises(RuntimeError):
        pw.write_provider_books(existing, region, books[2025], None, manifest(region))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing"]
    assert [p.name for p in existing.iterdir()] == ["de-rozenhof.xlsx"]
    assert (existing / "de-rozenhof.xlsx").read_bytes() == b"last year's"


def test_into_an_existing_folder_replaces_only_its_own_files(region, books, tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("keep")
    result = pw.write_provider_books(out, region, books[2025], ["coachpunt", "gi-west", "coachpunt"],
                                     manifest(region))
    assert [p.name for p in result.files] == ["coachpunt.xlsx", "gi-west.xlsx"]
    assert sorted(p.name for p in out.iterdir()) == ["coachpunt.xlsx", "gi-west.xlsx", "notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert oct((out / "coachpunt.xlsx").stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def test_a_new_folder_is_an_ordinary_folder(region, books, tmp_path) -> None:
    out = tmp_path / "new" / "sheets"
    pw.write_provider_books(out, region, books[2025], ["gi-west"], manifest(region))
    assert oct(out.stat().st_mode & 0o777) == oct(0o777 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_synthetic_register(region, tmp_path) -> None:
    """Providers added in memory (as scripts/bench.py does): each gets its own workbook with its own rows."""
    base = list(region.providers.values())
    extra = {f"kopie-{i}": base[i].model_copy(update={"key": f"kopie-{i}", "name": f"Kopie {i}"}) for i in range(3)}
    big = dataclasses.replace(region, providers={**region.providers, **extra})
    book = price_book(big, 2025)
    out = tmp_path / "out"
    result = pw.write_provider_books(out, big, book, list(extra), manifest(big))
    assert len(result.files) == 3
    for key in extra:
        assert len(table(load(out / f"{key}.xlsx")[pw.SHEET])) == len(provider_view(big, book, key))


def test_cli_export_providers(runner, tmp_path, region) -> None:
    out = tmp_path / "bladen"
    result = runner.invoke(main, ["export", "providers", "--year", "2025", "--provider", "gi-west",
                                  "--provider", "coachpunt", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 tarievenbladen" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["coachpunt.xlsx", "gi-west.xlsx"]
    verified = runner.invoke(main, ["verify", str(out / "gi-west.xlsx")])
    assert verified.exit_code == 0, verified.output


def test_cli_export_one_provider(runner, tmp_path) -> None:
    out = tmp_path / "kompas.xlsx"
    result = runner.invoke(main, ["export", "provider", "kompas-jeugd", "--year", "2026", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert mf.read(out)["command"] == ["export", "provider", "kompas-jeugd", "--year", "2026"]


def test_cli_unknown_provider_exits_2_and_writes_nothing(runner, tmp_path, region) -> None:
    out = tmp_path / "bladen"
    result = runner.invoke(main, ["export", "providers", "--provider", "gi-west", "--provider", "onbekend",
                                  "--out", str(out)])
    assert result.exit_code == 2
    assert "'onbekend'" in result.output
    for key in region.providers:
        assert key in result.output
    assert list(tmp_path.iterdir()) == []
    one = runner.invoke(main, ["export", "provider", "onbekend", "--out", str(tmp_path / "x.xlsx")])
    assert one.exit_code == 2 and "'onbekend'" in one.output
    assert list(tmp_path.iterdir()) == []


def test_cli_a_region_without_providers(runner, tmp_path, mini_path) -> None:
    result = runner.invoke(main, ["export", "providers", "--data", str(mini_path), "--out", str(tmp_path / "b")])
    assert result.exit_code == 2
    assert "geen parameters/providers.yaml" in result.output
    assert list(tmp_path.iterdir()) == []


def test_two_processes_write_the_same_bytes_each_synced_before_the_move(region, tmp_path, monkeypatch) -> None:
    """The forked workers write what one process writes; the main process syncs every workbook as its chunk
    comes in (three chunks of at most 20 here), all before the folder is moved into place."""
    base = list(region.providers.values())
    extra = {f"kopie-{i}": base[i % len(base)].model_copy(update={"key": f"kopie-{i}", "name": f"Kopie {i}"})
             for i in range(40)}
    big = dataclasses.replace(region, providers={**region.providers, **extra})
    book = price_book(big, 2025)
    man = manifest(big)
    one = tmp_path / "one"
    pw.write_provider_books(one, big, book, None, man, workers=1)
    two = tmp_path / "two"
    synced: list[str] = []
    real = pw._fsync

    def record(path: Path) -> None:
        assert path.is_file() and not two.exists()  # written, and not yet moved into place
        synced.append(path.name)
        real(path)

    monkeypatch.setattr(pw, "_fsync", record)
    result = pw.write_provider_books(two, big, book, None, man, workers=2)
    assert len(region.providers) == 13 and len(synced) == 13 + 40  # the bundled ones and the copies, once each
    assert sorted(synced) == sorted(p.name for p in result.files)
    assert sorted(p.name for p in two.iterdir()) == sorted(p.name for p in one.iterdir())
    for path in one.iterdir():
        assert (two / path.name).read_bytes() == path.read_bytes(), path.name
