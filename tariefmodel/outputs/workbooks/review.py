"""The review workbook: every tariff of a year rebuilt as live formulas, for finance staff and the auditor.

``tariefmodel export review --out F.xlsx``. Sheets, summary first:

* Toelichting       what the workbook is, how to read it, the SHA-256 of every input file
* Tarieven          every tariff (product x variant), a formula on its block in Producten, and in eurocent
* Producten         per tariff the build-up from staffing mix to the rounded tariff; for an indexed
                    contract year the first year's build-up and the index chain to this year; pgb
                    tariffs as a formula on their basistarief; external tariffs as sourced values
* Indexatie         (indexed years only) each year's rounding and every index rate, a named cell
* Functieprofielen  cost per productive hour per CAO x function profile x norm x ORT
* CAO               the CAO rules and salary steps used
* Parameters        every cost-model parameter of the (build-up) year and the pgb percentages, each a named cell

Every formula cell carries its cached value, computed exactly with the formula
(formula.X) and checked against the engine before it is written, so a viewer
that does not recalculate shows the engine's figures, and a spreadsheet that
does recalculate arrives at the same tariffs to the cent.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from tariefmodel.data.params import value_at
from tariefmodel.data.region import Region
from tariefmodel.engine.book import price_book
from tariefmodel.engine.pricing import FixedTariff, ProfileCost, Tariff, YearParameters
from tariefmodel.engine.variants import DIFF_FILE
from tariefmodel.outputs.workbooks import (
    review_about,
    review_cao,
    review_derived,
    review_indexed,
    review_params,
    review_products,
    review_profiles,
    review_tariffs,
    xlsx,
)
from tariefmodel.outputs.workbooks.formula import Cell, X
from tariefmodel.outputs.workbooks.review_about import ReviewResult
from tariefmodel.outputs.workbooks.review_profiles import Mismatch, ProfileKey, ort_spec

SHEETS = [review_about.SHEET, review_tariffs.SHEET, review_products.SHEET, review_profiles.SHEET,
          review_cao.SHEET, review_params.SHEET]

__all__ = ["Mismatch", "ReviewResult", "write_review"]


def buildup_tariffs(region: Region, book_tariffs: list[Any]) -> list[Tariff]:
    """The tariffs with a cost build-up of the year under a CAO of the region (not indexed, pgb or extern)."""
    return [t for t in book_tariffs if isinstance(t, Tariff) and t.cao in region.caos]


def build_year_of(region: Region, rows: list[Any], year: int) -> int:
    """The year whose parameters the build-up blocks show: the first contract year the rows are built in.

    Rows built in another year (a contract that started later than the others) cannot share the
    Parameters, CAO and Functieprofielen sheets with them; they are reported as left out.
    """
    years = Counter(t.built.year for t in rows if t.built is not None)
    return min(years, key=lambda y: (-years[y], y)) if years else year


def profile_rows(region: Region, tariffs: list[Tariff]) -> list[tuple[ProfileKey, ProfileCost]]:
    """One row per CAO x function profile x norm x ORT used, in region order."""
    found: dict[ProfileKey, ProfileCost] = {}
    for t in tariffs:
        prod = t.product.product
        for s in t.staff:
            key = ProfileKey(t.cao, s.profile, prod.productivity_norm,
                             ort_spec(prod, region.profiles[s.profile].irregular_hours))
            found.setdefault(key, s.cost)
    cao_order = {k: i for i, k in enumerate(region.caos)}
    prof_order = {k: i for i, k in enumerate(region.profiles)}
    norm_order = {k: i for i, k in enumerate(region.cost_model.productivity_norms)}
    first_seen = {k: i for i, k in enumerate(found)}
    keys = sorted(found, key=lambda k: (cao_order[k.cao], prof_order.get(k.profile, len(prof_order)),
                                        norm_order.get(k.norm, len(norm_order)), first_seen[k]))
    return [(k, found[k]) for k in keys]


def write_review(path: Path, region: Region, year: int, manifest: dict[str, Any] | None = None) -> ReviewResult:
    """Price the book for ``year`` and write the review workbook atomically. Raises InputError, Mismatch."""
    book_all = price_book(region, year).tariffs
    build_year = build_year_of(region, book_all, year)
    # Every build-up block shows a tariff of the build year (an indexed row: its first year's tariff).
    built = [t.built for t in book_all if t.built is not None and t.built.year == build_year
             and t.built.cao in region.caos]
    params = YearParameters.of(region, build_year)
    rows = profile_rows(region, built)
    used: dict[str, list[ProfileCost]] = {}
    seen: set[tuple[str, str]] = set()
    for key, pc in rows:
        if (key.cao, key.profile) not in seen:
            seen.add((key.cao, key.profile))
            used.setdefault(key.cao, []).append(pc)
    used = {k: sorted(v, key=lambda pc: list(region.profiles).index(pc.profile)) for k, v in used.items()}
    minute = any(t.product.product.unit == "minuut" for t in built)
    indexed = [t for t in book_all if t.steps]
    sheets = list(SHEETS)
    if indexed:
        sheets.insert(sheets.index(review_products.SHEET) + 1, review_indexed.SHEET)
    result = ReviewResult(year, 0, len(book_all), build_year)

    def write(tmp: Path) -> None:
        book = xlsx.Book(tmp, title=f"Reviewwerkmap tarieven {year}", subject=region.info.name)
        book.add_sheets(sheets)
        pgb = review_params.pgb_rows(region, year) if any(t.kind == "pgb" for t in book_all) else []
        names = review_params.write(book, region, params, minute_products=minute, extra=pgb)
        ix_names = review_indexed.write(book, region, indexed, build_year, year, minute=minute) if indexed else None
        cao_cells = review_cao.write(book, region, params, used)
        profile_cells = review_profiles.write(book, params, names, cao_cells, rows)
        sheet = review_products.Producten(book)
        _blocks(sheet, region, params, names, ix_names, profile_cells, book_all, build_year, year)
        review_tariffs.write(book, sheet.blocks, sheet.skipped)
        result.count(sheet.blocks, sheet.skipped)
        review_about.write(book, region, year, result)
        book.wb.worksheets()[0].activate()
        write_manifest_sheet(book.wb, man)
        book.close()

    from tariefmodel.outputs.writers import Workbook, write_manifest_sheet, write_output
    from tariefmodel.trail import manifest as mf

    man = manifest if manifest is not None else mf.build(region, ["export", "review", "--year", str(year)], path)
    write_output(path, Workbook(lambda tmp, _man: write(tmp)), man)
    return result


def _blocks(sheet: review_products.Producten, region: Region, params: YearParameters, names: dict[str, X],
            ix_names: review_indexed.IndexNames | None, profile_cells: dict[ProfileKey, Cell], book_all: list[Any],
            build_year: int, year: int) -> None:
    """One block per row of the book, in book order: build-up (and index chain), pgb, extern."""
    done: dict[int, review_products.Block] = {}  # id(row) -> its block: a pgb tariff refers to its basistarief's
    diff = region.differentiation
    exempt: list[str] = []
    if diff is not None and diff.pgb_exempt_products is not None:
        exempt = value_at(diff.pgb_exempt_products, dt.date(year, 1, 1), "pgb_exempt_products", DIFF_FILE).value
    if year == build_year:
        decimals = names["rounding.tariff_decimals"]
    else:
        assert ix_names is not None  # a later year than the build year: its rows are indexed
        decimals = ix_names.decimals[year]
    for t in book_all:
        b = t.built
        if t.kind == "extern":
            block = sheet.add(t, lambda sh, f, row, t=t: review_derived.extern_block(sh, f, t, row))
        elif t.kind == "pgb":
            base = done.get(id(t.base))
            key = t.variant.removeprefix("pgb-")
            if base is None or diff is None or key not in diff.pgb_categories:
                sheet.skip(t, "het basistarief waarvan dit pgb-tarief is afgeleid staat niet in de werkmap")
                continue
            rate = None if t.product.product.code in exempt else names[f"pgb_categories.{key}.rate"]
            label = diff.pgb_categories[key].label
            block = sheet.add(t, lambda sh, f, row, t=t, base=base, rate=rate, label=label:
                              review_derived.pgb_block(sh, f, t, row, base, rate, label, decimals))
        elif isinstance(t, FixedTariff):  # a decided amount of this year
            block = sheet.add(t, lambda sh, f, row, t=t: review_derived.fixed_block(sh, f, t, row))
        elif t.steps and isinstance(getattr(t, "base", None), FixedTariff):  # an indexed decided amount
            def write_fixed(sh: xlsx.Recorder, f: review_products.Formats, row: int,
                            t: Any = t) -> tuple[review_products.Block, int]:
                assert ix_names is not None
                block, end = review_derived.fixed_block(sh, f, t.base, row)
                return review_indexed.chain(sh, f, t, block, end + 1, ix_names, names)
            block = sheet.add(t, write_fixed)
        elif b is None or b.cao not in region.caos:
            sheet.skip(t, "geen kostprijsopbouw onder een CAO van de regio")
            continue
        elif b.year != build_year:
            sheet.skip(t, f"opgebouwd in {b.year}; deze werkmap toont de opbouw van {build_year}")
            continue
        else:
            def write_block(sh: xlsx.Recorder, f: review_products.Formats, row: int, t: Any = t,
                            b: Tariff = b) -> tuple[review_products.Block, int]:
                block, end = review_products.buildup(sh, f, region, params, names, profile_cells, b, row,
                                                      first_year_of=t.year if t.steps else None)
                if not t.steps:
                    return block, end
                assert ix_names is not None
                return review_indexed.chain(sh, f, t, block, end + 1, ix_names, names)
            block = sheet.add(t, write_block)
        if block is not None:
            done[id(t)] = block
