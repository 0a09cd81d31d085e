"""Proof of recomputation: LibreOffice recalculates the review workbook and arrives at the engine's tariffs.

All workbooks go through one headless LibreOffice run (start-up is most of its cost):

* (a) the bundled region as exported, for 2025 (built up) and 2026 (indexed from 2025): every
  tariff of the book, pgb and extern included, each to the cent;
* (b) the same workbook with one input cell changed (openpyxl, before recalculation) -- the overhead
  rate, a pgb percentage, the 2026 index rate -- compared with the engine on a data copy with that
  change in the YAML;
* the mini region with the other conventions (overhead share, no-show markup, minute tariff
  direct, cost per hour rounded to cents) and with total employer charges and minute tariffs as
  a multiple of 60 cents, so every branch of the formulas is recomputed once.

Skipped where LibreOffice is not installed, except in CI (CI=true, or TARIEFMODEL_REQUIRE_LIBREOFFICE=1 as
.ci/run sets it), where its absence fails.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import edit
from workbook_helpers import assert_same_tariffs, book_tariffs, data_copy, error_cells, set_param, tarieven
from zin_helpers import ZIN_NL, region_with

from tariefmodel.data.bundled import bundled_region
from tariefmodel.data.money import excel_round
from tariefmodel.loader.load import load_region
from tariefmodel.outputs.workbooks import recalc
from tariefmodel.outputs.workbooks.review import write_review

YEAR = 2025
INDEXED = 2026  # the bundled contracts start in 2025: their 2026 tariffs are indexed (vast-2: 2%)
NEW_OVERHEAD = "0.235"
NEW_PGB_ZZP = "0.70"  # parameters/differentiation.yaml: 0.80
NEW_INDEX = "0.035"  # parameters/indexation.yaml, method vast-2: 0.02
needs_soffice = pytest.mark.skipif(recalc.soffice() is None, reason="LibreOffice (soffice) is not installed")


def test_libreoffice_is_installed_in_ci() -> None:
    """The recalculation proof must not silently skip in CI (CI=true, or .ci/run, which installs LibreOffice)."""
    required = os.environ.get("CI", "").lower() in ("true", "1", "yes") or \
        os.environ.get("TARIEFMODEL_REQUIRE_LIBREOFFICE") == "1"
    if required:
        assert recalc.soffice() is not None, "CI must install LibreOffice (libreoffice-calc-nogui) for the proof"


def _mini_variant(src: Path, dest: Path, which: str) -> Path:
    root = data_copy(src, dest)
    cm = root / "parameters/cost_model.yaml"
    if which == "a":
        set_param(root, "overhead.convention", YEAR, "share")
        set_param(root, "no_show.convention", YEAR, "markup")
        set_param(root, "rounding.minute_tariff", YEAR, "direct")
        edit(cm, "  minute_tariff:\n", "  cost_per_hour_decimals:\n    values:\n      - from: 2024-01-01\n"
                                       "        value: 2\n        source: test afronding kostprijs per uur\n"
                                       "        rationale: Tak van de formule testen.\n  minute_tariff:\n")
    else:
        set_param(root, "employer_charges.mode", YEAR, "total")
        set_param(root, "rounding.minute_tariff", YEAR, "hour_multiple_of_60_cents")
        edit(cm, "  items:\n", "  total_rate:\n    values:\n      - from: 2024-01-01\n        value: 0.27\n"
                               "        source: test totaal werkgeverslasten\n        rationale: Tak testen.\n  items:\n")
    return root


def _ties_workbook(path: Path) -> Path:
    """ROUND on exact half cents that binary floats cannot hold (75.30 / 60 = 1.255 is 1.25499... as a float)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("T")
    hours = [Decimal(c) / 100 for c in range(3003, 20000, 6 * 37)]  # cents % 6 == 3: hour / 60 ends in 5
    rows = [(h, "ROUND(A{r}/60,2)", excel_round(h / 60, 2)) for h in hours]
    rows += [(x, "ROUND(A{r},2)", excel_round(x, 2)) for x in map(Decimal, ("1.005", "2.675", "1.015", "0.285"))]
    for r, (x, f, engine) in enumerate(rows):
        ws.write_number(r, 0, float(x))
        ws.write_formula(r, 1, "=" + f.format(r=r + 1), None, 0)  # a wrong cached value: must be recomputed
        ws.write_number(r, 2, float(engine))
    wb.close()
    return path


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, mini_path) -> dict[str, tuple[Path, Path]]:
    """name -> (recalculated workbook, data folder to compare with)."""
    if recalc.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    tmp = tmp_path_factory.mktemp("lo")
    src = tmp / "in"
    src.mkdir()
    bundled = bundled_region()
    books: dict[str, tuple[Path, Path]] = {}
    # (a) as exported
    region = load_region(bundled)
    for year in (YEAR, INDEXED):
        write_review(src / f"bundled_{year}.xlsx", region, year)
        books[f"bundled_{year}"] = (src / f"bundled_{year}.xlsx", bundled)
    # (b) one input cell changed before recalculation; the engine gets the same change in the YAML
    edits = [("edited", YEAR, "overhead_rate", NEW_OVERHEAD),
             ("pgb_edited", YEAR, "pgb_zzp_rate", NEW_PGB_ZZP),
             ("index_edited", INDEXED, f"index_vast_2_{INDEXED}", NEW_INDEX)]
    for name, year, cell_name, value in edits:
        wb = openpyxl.load_workbook(src / f"bundled_{year}.xlsx")
        sheet, ref = next(iter(wb.defined_names[cell_name].destinations))
        wb[sheet][ref.replace("$", "")].value = float(value)
        wb.save(src / f"{name}.xlsx")
        books[name] = (src / f"{name}.xlsx", tmp / f"data_{name}")
    changed = data_copy(bundled, tmp / "data_edited")
    set_param(changed, "overhead.rate", YEAR, Decimal(NEW_OVERHEAD))
    changed = data_copy(bundled, tmp / "data_pgb_edited")
    edit(changed / "parameters/differentiation.yaml", "value: 0.80\n          source: \"Aanname voorbeeldregio (gangbare",
         f"value: {NEW_PGB_ZZP}\n          source: \"Aanname voorbeeldregio (gangbare")
    changed = data_copy(bundled, tmp / "data_index_edited")
    edit(changed / "parameters/indexation.yaml", "rate: 0.02\n", f"rate: {NEW_INDEX}\n")
    # the other branches, on the mini region
    for which in ("a", "b"):
        root = _mini_variant(mini_path, tmp / f"mini_{which}", which)
        write_review(src / f"mini_{which}.xlsx", load_region(root, use_cache=False), YEAR)
        books[f"mini_{which}"] = (src / f"mini_{which}.xlsx", root)
    # decided amounts from a ZIN tariff list, and pgb tariffs on an external tariff (issue 14)
    zin = region_with(tmp / "zin", ZIN_NL, external_pgb=True)
    zin_region = load_region(zin, use_cache=False)
    for year in (YEAR, INDEXED):
        write_review(src / f"zin_{year}.xlsx", zin_region, year)
        books[f"zin_{year}"] = (src / f"zin_{year}.xlsx", zin)
    books["ties"] = (_ties_workbook(src / "ties.xlsx"), bundled)
    outs = recalc.convert([p for p, _ in books.values()], tmp / "out")
    return {name: (out, root) for (name, (_, root)), out in zip(books.items(), outs, strict=True)}


@needs_soffice
@pytest.mark.parametrize("year", [YEAR, INDEXED])
def test_libreoffice_recalculates_every_tariff_of_the_book(recalculated, year) -> None:
    """(a) Every tariff of the book (built up, indexed, pgb, extern) to the cent, and no error value anywhere."""
    out, root = recalculated[f"bundled_{year}"]
    assert error_cells(out) == []
    book = book_tariffs(root, year)
    rows = tarieven(out)
    assert len(rows) == len(book) == {YEAR: 412, INDEXED: 401}[year]
    assert_same_tariffs(rows, book)
    kinds = {t.kind for t in book}
    assert {"pgb", "extern", "cao", "basistarief", "addendum"} <= kinds
    assert all(t.steps for t in book if t.kind not in ("pgb", "extern")) == (year == INDEXED)


@needs_soffice
@pytest.mark.parametrize("year", [YEAR, INDEXED])
def test_libreoffice_recalculates_a_zin_list_and_external_pgb(recalculated, year) -> None:
    """Decided amounts from the ZIN list (with their pgb rows) and pgb on an external tariff, to the cent."""
    out, root = recalculated[f"zin_{year}"]
    assert error_cells(out) == []
    book = book_tariffs(root, year)
    assert_same_tariffs(tarieven(out), book)
    assert any(t.kind == "pgb" and t.base is not None and t.base.kind == "extern" for t in book)
    assert any(getattr(t, "entry", None) is not None and t.entry.listed_in for t in book)


@needs_soffice
def test_a_changed_parameter_cell_recomputes_like_the_engine(recalculated) -> None:
    """(b) The overhead rate changed in the workbook gives the engine's tariffs with that rate in the YAML."""
    out, root = recalculated["edited"]
    assert error_cells(out) == []
    new = book_tariffs(root, YEAR)
    old = book_tariffs(bundled_region(), YEAR)
    assert any(a.tariff_eur != b.tariff_eur for a, b in zip(new, old, strict=True)), "the change must matter"
    assert_same_tariffs(tarieven(out), new)


@needs_soffice
def test_a_changed_pgb_percentage_recomputes_the_pgb_tariffs(recalculated) -> None:
    """pgb zzp 80% -> 70% of the basistarief: only the zzp tariffs change, as in the engine."""
    out, root = recalculated["pgb_edited"]
    assert error_cells(out) == []
    new = book_tariffs(root, YEAR)
    old = book_tariffs(bundled_region(), YEAR)
    changed = {(t.product.product.code, t.variant) for t, o in zip(new, old, strict=True) if t.tariff_eur != o.tariff_eur}
    assert changed and {v for _, v in changed} == {"pgb-zzp"}
    assert_same_tariffs(tarieven(out), new)
    # By hand: a zzp tariff is ROUND(basistarief x 0.70; 2), e.g. basistarief 100.01 -> 70.007 -> 70.01.
    zzp = next(t for t in new if t.variant == "pgb-zzp" and t.product.product.code != "42A01")
    assert zzp.tariff_eur == excel_round(zzp.base.tariff_eur * Decimal(NEW_PGB_ZZP), 2)


@needs_soffice
def test_a_changed_index_rate_recomputes_the_indexed_year(recalculated) -> None:
    """The 2026 rate of vast-2 2% -> 3.5%: every indexed tariff and the pgb tariffs on them follow the engine."""
    out, root = recalculated["index_edited"]
    assert error_cells(out) == []
    new = book_tariffs(root, INDEXED)
    old = book_tariffs(bundled_region(), INDEXED)
    moved = [t for t, o in zip(new, old, strict=True) if t.tariff_eur != o.tariff_eur]
    assert {t.kind for t in moved} >= {"cao", "basistarief", "pgb"}
    assert_same_tariffs(tarieven(out), new)
    # By hand: an hour tariff of 2025 indexed at 3.5% is ROUND(tariff_2025 x 1.035; 2)
    # (e.g. 100.00 -> 103.50); a minute tariff follows its indexed hour tariff.
    t = next(t for t in new if t.steps and t.steps[-1].method == "vast-2" and t.hour_tariff is None)
    assert t.tariff_eur == excel_round(t.built.tariff_eur * Decimal("1.035"), 2)


@needs_soffice
@pytest.mark.parametrize("which", ["a", "b"])
def test_every_convention_recomputes_like_the_engine(recalculated, which) -> None:
    out, root = recalculated[f"mini_{which}"]
    assert error_cells(out) == []
    assert_same_tariffs(tarieven(out), book_tariffs(root, YEAR))


@needs_soffice
def test_the_recalculated_values_are_libreoffices_own(recalculated) -> None:
    """The edited workbook carried no cached values (openpyxl drops them), so its numbers are LibreOffice's."""
    out, _ = recalculated["edited"]
    src = out.parent.parent / "in" / "edited.xlsx"
    cached = openpyxl.load_workbook(src, data_only=True)["Tarieven"]["M2"].value
    assert cached is None
    assert isinstance(openpyxl.load_workbook(out, data_only=True)["Tarieven"]["M2"].value, int | float)


@needs_soffice
def test_libreoffice_rounds_half_cents_away_from_zero_like_the_engine(recalculated) -> None:
    """The tariff is rounded with ROUND; on exact half cents LibreOffice must agree with money.excel_round."""
    out, _ = recalculated["ties"]
    ws = openpyxl.load_workbook(out, data_only=True)["T"]
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) > 80
    assert [(a, b) for a, b, c in rows if b != pytest.approx(c, abs=1e-9)] == []
