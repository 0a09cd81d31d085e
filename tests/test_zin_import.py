"""``tariefmodel import zin-tarieven``: a received list merged into parameters/zin_tarieven.csv, history kept."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal as D
from pathlib import Path

import pytest
from click.testing import CliRunner
from zin_helpers import region_with

from tariefmodel.cli.main import main
from tariefmodel.data.problems import InputError
from tariefmodel.engine.book import price_book
from tariefmodel.loader.load import load_region
from tariefmodel.upkeep.zinimport import import_zin_list

LIST_2024 = ("code;eenheid;bedrag;geldig_vanaf;geldig_tot;bron\r\n"
             "45A60;dagdeel;60,10;01-01-2024;31-12-2024;Tarievenlijst 2024 regio X (testgegevens)\r\n"
             "45a61;dagdeel;55;01-01-2024;;Tarievenlijst 2024 regio X (testgegevens)\r\n")
CANONICAL = ("code,eenheid,bedrag,geldig_vanaf,geldig_tot,bron,besluit,toelichting\n"
             "45A60,dagdeel,60.10,2024-01-01,2024-12-31,Tarievenlijst 2024 regio X (testgegevens),,\n"
             "45A61,dagdeel,55.00,2024-01-01,,Tarievenlijst 2024 regio X (testgegevens),,\n")


@pytest.fixture
def region(tmp_path: Path) -> Path:
    return region_with(tmp_path, None)


def _run(*args: str) -> object:
    return CliRunner().invoke(main, ["import", "zin-tarieven", *args])


def _list(tmp_path: Path, text: str, name: str = "lijst.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_a_list_is_written_in_one_canonical_form_and_prices(region: Path, tmp_path: Path) -> None:
    result = _run(str(_list(tmp_path, LIST_2024)), "--data", str(region))
    assert result.exit_code == 0, result.output
    assert "nieuw: 45A60 vanaf 01-01-2024 tot en met 31-12-2024: € 60,10" in result.output
    written = region / "parameters" / "zin_tarieven.csv"
    assert written.read_text(encoding="utf-8").split("\n", 1)[1] == CANONICAL  # after the comment line
    assert written.stat().st_mode & 0o777 == 0o666 & ~_umask()
    rows = {(t.product.product.code, t.variant): t.tariff_eur for t in price_book(load_region(region, use_cache=False),
                                                                                   2024).tariffs if not t.micro}
    assert (rows[("45A60", "basistarief")], rows[("45A61", "basistarief")]) == (D("60.10"), D("55.00"))
    # the same list again changes nothing, byte for byte
    before = written.read_bytes()
    again = _run(str(_list(tmp_path, LIST_2024)), "--data", str(region))
    assert again.exit_code == 0 and "2 regel(s) ongewijzigd" in again.output and "Geen wijzigingen" in again.output
    assert written.read_bytes() == before


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_new_period_is_added_and_rows_not_named_stay(region: Path, tmp_path: Path) -> None:
    assert _run(str(_list(tmp_path, LIST_2024)), "--data", str(region)).exit_code == 0
    later = "code,eenheid,bedrag,geldig_vanaf,geldig_tot,bron\n45A61,dagdeel,57.00,2025-01-01,,Lijst 2025 (test)\n"
    result = _run(str(_list(tmp_path, later, "later.csv")), "--data", str(region))
    assert result.exit_code == 0, result.output
    assert "nieuw: 45A61 vanaf 01-01-2025: € 57,00" in result.output
    assert "2 regel(s) van de bestaande lijst staan niet in de nieuwe lijst en blijven staan" in result.output
    region_now = load_region(region, use_cache=False)
    # the open-ended 2024 row of 45A61 ends where the 2025 row starts: 55.00 in 2024, 57.00 in 2025
    for year, amount in ((2024, "55.00"), (2025, "57.00")):
        got = next(t for t in price_book(region_now, year).tariffs
                   if t.product.product.code == "45A61" and t.variant == "basistarief" and not t.micro)
        assert got.tariff_eur == D(amount)


def test_an_amount_that_priced_a_past_year_is_never_overwritten(region: Path, tmp_path: Path) -> None:
    assert _run(str(_list(tmp_path, LIST_2024)), "--data", str(region)).exit_code == 0
    written = region / "parameters" / "zin_tarieven.csv"
    before = written.read_bytes()
    changed = _list(tmp_path, LIST_2024.replace("60,10", "60,20"), "nieuw.csv")
    result = _run(str(changed), "--data", str(region))
    assert result.exit_code == 2
    assert ("FOUT nieuw.csv:2 [rij 2 (45A60)]: 45A60 vanaf 01-01-2024: € 60,10 -> € 60,20: 01-01-2024 ligt in een "
            "afgelopen jaar") in result.output
    assert written.read_bytes() == before
    fixed = _run(str(changed), "--data", str(region), "--correctie", "Tikfout in de lijst van regio X")
    assert fixed.exit_code == 0, fixed.output
    assert "gewijzigd: 45A60 vanaf 01-01-2024: € 60,10 -> € 60,20" in fixed.output
    assert ("Gecorrigeerd op " in written.read_text(encoding="utf-8")
            and "Tikfout in de lijst van regio X (was € 60,10" in written.read_text(encoding="utf-8"))


def test_a_period_of_the_current_year_may_change(region: Path, tmp_path: Path) -> None:
    text = "code,eenheid,bedrag,geldig_vanaf,geldig_tot,bron\n45A60,dagdeel,{},2026-01-01,,Lijst 2026 (test)\n"
    import_zin_list(_list(tmp_path, text.format("62.00")), region, today=dt.date(2026, 3, 1))
    result = import_zin_list(_list(tmp_path, text.format("62.50")), region, today=dt.date(2026, 3, 1))
    assert result.corrected == ["gewijzigd: 45A60 vanaf 01-01-2026: € 62,00 -> € 62,50"]
    with pytest.raises(InputError, match="ligt in een afgelopen jaar"):  # a year later it has priced 2026
        import_zin_list(_list(tmp_path, text.format("62.70")), region, today=dt.date(2027, 3, 1))


def test_a_bad_list_names_every_problem_and_writes_nothing(region: Path, tmp_path: Path) -> None:
    bad = ("code;eenheid;bedrag;geldig_vanaf;geldig_tot;bron\n45A6O;dagdeel;61,37;01-01-2025;;Lijst\n"
           "45A60;uur;61,37;01-01-2025;;Lijst\n")
    result = _run(str(_list(tmp_path, bad)), "--data", str(region))
    assert result.exit_code == 2
    assert "FOUT lijst.csv:2 [rij 2 (45A6O)]: productcode '45A6O' staat niet in het productenboek" in result.output
    assert "FOUT lijst.csv:3 [rij 3 (45A60)]: eenheid 'uur' verschilt" in result.output
    assert not (region / "parameters" / "zin_tarieven.csv").exists()


def test_dry_run_writes_nothing(region: Path, tmp_path: Path) -> None:
    result = _run(str(_list(tmp_path, LIST_2024)), "--data", str(region), "--dry-run")
    assert result.exit_code == 0 and "--dry-run" in result.output
    assert not (region / "parameters" / "zin_tarieven.csv").exists()


def test_the_bundled_example_is_never_edited(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TARIEFMODEL_DATA", raising=False)
    result = _run(str(_list(tmp_path, LIST_2024)))
    assert result.exit_code == 2 and "het meegeleverde voorbeeld wordt niet gewijzigd" in result.output
