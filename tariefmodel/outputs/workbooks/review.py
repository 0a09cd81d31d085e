"""The review workbook: every tariff of a year rebuilt as live formulas, for finance staff and the auditor.

``tariefmodel export review --out F.xlsx``. Sheets, summary first:

* Toelichting       what the workbook is, how to read it, the SHA-256 of every input file
* Tarieven          every tariff (product x variant), a formula on its block in Producten, and in eurocent
* Producten         per tariff the build-up from staffing mix to the rounded tariff
* Functieprofielen  cost per productive hour per CAO x function profile x norm x ORT
* CAO               the CAO rules and salary steps used
* Parameters        every cost-model parameter of the year, each value a named cell

Every formula cell carries its cached value, computed exactly with the formula
(formula.X) and checked against the engine before it is written, so a viewer
that does not recalculate shows the engine's figures, and a spreadsheet that
does recalculate arrives at the same tariffs to the cent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tariefmodel.data.region import Region
from tariefmodel.engine.book import price_book
from tariefmodel.engine.pricing import ProfileCost, Tariff, YearParameters
from tariefmodel.outputs.workbooks import (
    review_about,
    review_cao,
    review_params,
    review_products,
    review_profiles,
    review_tariffs,
    xlsx,
)
from tariefmodel.outputs.workbooks.review_about import ReviewResult
from tariefmodel.outputs.workbooks.review_profiles import Mismatch, ProfileKey, ort_spec

SHEETS = [review_about.SHEET, review_tariffs.SHEET, review_products.SHEET, review_profiles.SHEET,
          review_cao.SHEET, review_params.SHEET]

__all__ = ["Mismatch", "ReviewResult", "write_review"]


def buildup_tariffs(region: Region, book_tariffs: list[Any]) -> list[Tariff]:
    """The tariffs with a cost build-up under a CAO of the region (external and derived tariffs have none)."""
    return [t for t in book_tariffs if isinstance(t, Tariff) and t.cao in region.caos]


def kind_without_buildup(t: Any) -> str:
    """How a tariff without a cost build-up of its own year came about (for the counts in Toelichting)."""
    if t.steps:
        return "geïndexeerd"  # a later contract year: the first year's tariff, indexed
    return t.kind


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
    tariffs = buildup_tariffs(region, book_all)
    params = YearParameters.of(region, year)
    rows = profile_rows(region, tariffs)
    used: dict[str, list[ProfileCost]] = {}
    seen: set[tuple[str, str]] = set()
    for key, pc in rows:
        if (key.cao, key.profile) not in seen:
            seen.add((key.cao, key.profile))
            used.setdefault(key.cao, []).append(pc)
    used = {k: sorted(v, key=lambda pc: list(region.profiles).index(pc.profile)) for k, v in used.items()}
    minute = any(t.product.product.unit == "minuut" for t in tariffs)
    excluded: dict[str, int] = {}
    chosen = {id(t) for t in tariffs}
    for t in book_all:
        if id(t) not in chosen:
            k = kind_without_buildup(t)
            excluded[k] = excluded.get(k, 0) + 1
    result = ReviewResult(year, 0, excluded)

    def write(tmp: Path) -> None:
        book = xlsx.Book(tmp, title=f"Reviewwerkmap tarieven {year}", subject=region.info.name)
        book.add_sheets(SHEETS)
        names = review_params.write(book, region, params, minute_products=minute)
        cao_cells = review_cao.write(book, region, params, used)
        profile_cells = review_profiles.write(book, params, names, cao_cells, rows)
        blocks, skipped = review_products.write(book, region, params, names, profile_cells, tariffs)
        review_tariffs.write(book, blocks, skipped)
        result.tariffs = len(blocks)
        result.skipped = skipped
        review_about.write(book, region, year, result)
        book.wb.worksheets()[0].activate()
        write_manifest_sheet(book.wb, man)
        book.close()

    from tariefmodel.outputs.writers import Workbook, write_manifest_sheet, write_output
    from tariefmodel.trail import manifest as mf

    man = manifest if manifest is not None else mf.build(region, ["export", "review", "--year", str(year)], path)
    write_output(path, Workbook(lambda tmp, _man: write(tmp)), man)
    return result
