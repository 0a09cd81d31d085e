"""A region's data as the engine sees it: the product book, contracts, CAOs and parameters.

These are plain, immutable types; reading and validating the files that fill
them is the loader's job (:mod:`tariefmodel.loader`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tariefmodel.data.cao import Cao
from tariefmodel.data.problems import Problem

if TYPE_CHECKING:
    from tariefmodel.data.schema import Benchmark, Contract, CostModelFile, FunctionProfile, Product, RegionFile

MAX_INPUT_BYTES = 20 * 1024 * 1024  # a region's file is small; refuse runaway inputs


@dataclass(frozen=True, slots=True)
class BookProduct:
    """A product as it stands in the book: the product, its contract and its place."""

    product: Product
    contract: str
    file: str
    line: int | None


@dataclass(frozen=True, slots=True)
class ProductVersion:
    """A re-issued product from a date: the product as changed, and why (TAR-17)."""

    id: str
    code: str
    valid_from: dt.date
    reason: str
    decided_by: str | None
    decided_on: dt.date | None
    source: str
    product: BookProduct


@dataclass(frozen=True)
class Region:
    root: Path
    info: RegionFile
    contracts: dict[str, Contract]
    profiles: dict[str, FunctionProfile]
    cost_model: CostModelFile
    products: tuple[BookProduct, ...]
    caos: dict[str, Cao]
    benchmarks: tuple[Benchmark, ...]
    files: tuple[str, ...]  # every input file read, relative to root, sorted
    warnings: tuple[Problem, ...] = field(default=())
    differentiation: Any = None  # DifferentiationFile record, or None when the region has none
    providers: dict[str, Any] = field(default_factory=dict)  # key -> Provider record
    addenda: tuple[Any, ...] = ()  # Addendum records
    external: tuple[BookProduct, ...] = ()  # products with an imported (external) tariff
    indexation: Any = None  # IndexationFile record, or None: then every year is priced from its own parameters
    amvb_factors: Any = None  # AmvbFactorsFile record (parameters/amvb_factors.yaml), or None
    versions: dict[str, tuple[ProductVersion, ...]] = field(default_factory=dict)  # product code -> re-issues

    def product(self, code: str) -> BookProduct:
        for bp in self.products:
            if bp.product.code == code:
                return bp
        raise KeyError(code)


def periods_overlap(a_from: dt.date, a_until: dt.date | None, b_from: dt.date, b_until: dt.date | None) -> bool:
    """Do two validity periods share a day? An open end (None) runs on indefinitely."""
    return a_from <= (b_until or dt.date.max) and b_from <= (a_until or dt.date.max)


def year_start(year: int) -> dt.date:
    return dt.date(year, 1, 1)
