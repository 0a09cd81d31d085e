"""One row of the tariff book, whatever kind it is, and the key that names it.

Every row of a ``Book`` is a ``TariffRow``: a built-up tariff (``Tariff``: kinds cao,
basistarief, addendum, a re-issued version, micro or not), a tariff derived from another
or set elsewhere (``DerivedTariff``: pgb, extern) or a tariff of a later contract year
(``IndexedTariff``: the first year's tariff, indexed). Tables, explain, workbooks, verify,
diff and the scenarios read the fields below on any row, never probing for them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from tariefmodel.data.money import eurocent
from tariefmodel.data.region import BookProduct


class RowKey(NamedTuple):
    """What names a row within a book: no two rows of one year share it."""

    product: str  # the product code
    variant: str  # a CAO key, basistarief, pgb-<category> or extern
    micro: bool
    provider: str  # "" for the general tariff
    version: str  # "" for the product as first issued, else the re-issue's id
    addendum: str  # "" unless the row is an addendum's provider-specific tariff


@dataclass(slots=True, kw_only=True)
class TariffRow:
    """The fields every row of the book has.

    Not frozen: the book sets each row's validity after pricing, and a frozen dataclass
    doubles the cost of constructing the 30-field ``Tariff``. Treat rows as immutable.
    """

    product: BookProduct
    variant: str
    year: int
    tariff_eur: Decimal
    kind: str  # cao | basistarief | addendum | pgb | extern
    cao: str = ""  # the CAO whose build-up gives the tariff ("" for pgb and extern)
    micro: bool = False
    provider: str = ""
    version: str = ""  # the re-issue this tariff belongs to ("" = the product as first issued)
    addendum: str = ""  # the addendum this provider-specific tariff comes from
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    reason: str = ""  # why this row exists (shown by `tariefmodel provider` and in exports)
    hour_tariff: Decimal | None = None  # minute products: the hour tariff behind the minute tariff
    source: str = ""  # pgb and extern: the document behind the figure
    base: TariffRow | None = None  # pgb: the lowest in-kind tariff; indexed: the first year's tariff
    steps: tuple[Any, ...] = ()  # indexed: one engine.indexed.IndexStep per year after the first

    @property
    def key(self) -> RowKey:
        return RowKey(self.product.product.code, self.variant, self.micro, self.provider, self.version,
                      self.addendum)

    @property
    def eurocent(self) -> int:
        return eurocent(self.tariff_eur)

    @property
    def built(self) -> Any:
        """The ``Tariff`` whose cost build-up is behind this row, or None (extern; pgb of an indexed year)."""
        return None

    @property
    def index_method(self) -> str:
        """The indexation method of the row's own year ("" for a row that is not indexed)."""
        return self.steps[-1].method if self.steps else ""

    @property
    def index_rate(self) -> Decimal | None:
        return self.steps[-1].rate if self.steps else None
