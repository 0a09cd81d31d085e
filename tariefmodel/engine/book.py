"""The tariff book of a year, the one path to every tariff: calibrated, or indexed in a later contract year.

Every command and the Python API get their tariffs here. A region without
parameters/indexation.yaml prices every year from its own parameters; with it,
a later contract year gets the first year's tariffs indexed by the method in force.
Every row then gets its validity: within its year, its contract's term, its
product's dates and its addendum's dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tariefmodel.data.region import Region
from tariefmodel.engine.checks import book_checks, recalibration_threshold
from tariefmodel.engine.indexed import indexed_book
from tariefmodel.engine.pricing import Book
from tariefmodel.engine.variants import breach_problems, calibrated_book


def price_book(region: Region, year: int, known_on: dt.date | None = None) -> Book:
    """The whole tariff book for ``year``: CAO variants, basistarief, micro, addenda, pgb and extern.

    In a contract year after the contract's first year, a region with parameters/indexation.yaml
    gets the first year's tariffs indexed by the method in force, never a silent recalculation.
    ``known_on``: use only the index figures published on or before that date.
    """
    return build_book(region, year, known_on)


def build_book(region: Region, year: int, known_on: dt.date | None = None) -> Book:
    """The tariff book of a year: calibrated, or indexed where a contract year calls for it.

    The rules of engine.checks run on the final rows; what they find joins the book's problems.
    """
    current = calibrated_book(region, year)  # the year's own build-up: the rows, and the recalibration
    if region.indexation is None:
        book = _with_validity(region, current)
    else:
        book = _with_validity(region, indexed_book(region, year, known_on, current))
    indexed = any(t.steps for t in book.tariffs)
    threshold = recalibration_threshold(region, year)
    checked = book_checks(region, book.tariffs, current.tariffs if indexed else None, threshold)
    book.problems = [*book.problems, *breach_problems(checked.breaches, year, blocking=False)]
    return book


def _with_validity(region: Region, book: Book) -> Book:
    """Each tariff holds within its year, its contract's term, its product's and its addendum's dates."""
    addenda = {a.id: a for a in region.addenda if a.decision.status == "approved"}
    for t in book.tariffs:
        start = t.valid_from or dt.date(book.year, 1, 1)  # a re-issued version holds for part of the year
        end = t.valid_to or dt.date(book.year, 12, 31)
        contract = region.contracts.get(t.product.contract)
        # Within the contract's term, a tariff holds from its start to its end; a year outside the
        # term is a calculation for that year (e.g. before the contract started), bounded by the year.
        if contract is not None and contract.start <= end and _contract_end(contract) >= start:
            start = max(start, contract.start)
            end = min(end, _contract_end(contract))
        prod = t.product.product
        if getattr(prod, "valid_from", None):
            start = max(start, prod.valid_from)
        if getattr(prod, "valid_until", None):
            end = min(end, prod.valid_until)
        add = addenda.get(t.addendum) if t.kind == "addendum" else None
        if add is not None:
            start = max(start, add.valid_from)
            end = min(end, add.valid_until or end)
        t.valid_from, t.valid_to = start, end
    return book


def _contract_end(contract: Any) -> dt.date:
    """The last day of a contract's initial term plus every extension."""
    years = sum(contract.term_years)
    try:
        return contract.start.replace(year=contract.start.year + years) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return contract.start.replace(year=contract.start.year + years, day=28)
