"""The tariff book of a later contract year: the first year's tariffs, indexed year by year.

A contract's first year is calibrated (built up from that year's parameters and
CAO tables). Every later year of the contract takes the previous year's tariff,
applies the indexation method in force for that contract (and product) in that
year, and rounds the tariff again, every year (not only at the end). pgb tariffs
are derived again from the indexed basistarief; external tariffs are imported
per year and never indexed here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from tariefmodel.data.money import ONE, excel_round
from tariefmodel.data.numbers import pct
from tariefmodel.data.params import MissingValue, params
from tariefmodel.data.problems import InputError, Problem
from tariefmodel.data.region import Region
from tariefmodel.engine.buildup import minute_tariff as minute_rule
from tariefmodel.engine.indexation import LATEST, Derivation, assigned_method, method_rate
from tariefmodel.engine.pricing import Book, DerivedTariff, Pricer, Tariff
from tariefmodel.engine.rows import RowKey, TariffRow


@dataclass(frozen=True, slots=True)
class IndexStep:
    year: int
    method: str
    kind: str
    rate: Decimal  # the rate applied to this tariff (for components: the product's blend)
    before: Decimal
    after: Decimal
    derivation: Derivation
    rebuilt: TariffRow | None = None  # follow_cao: the tariff recalculated with this year's CAO tables


@dataclass(slots=True, kw_only=True)
class IndexedTariff(TariffRow):
    """A tariff of a later contract year: its calibrated first-year tariff (``base``) and each year's
    index step (``steps``); ``hour_tariff`` of a minute product is the indexed hour tariff."""

    base: Tariff  # the calibrated tariff of the contract's first year

    @property
    def built(self) -> Tariff | None:
        # The first year's build-up; a decided amount (vast bedrag) has none.
        return self.base if isinstance(self.base, Tariff) else None


def _decided_after(row: TariffRow, base_year: int) -> bool:
    entry = getattr(row, "entry", None)  # FixedTariff: the decided amount behind the row
    return entry is not None and entry.valid_from > dt.date(base_year, 1, 1)


def _wage_share(base: TariffRow) -> Decimal:
    """Share of the tariff that is wage cost (staff and travel time); the rest is material cost."""
    if not isinstance(base, Tariff):  # a decided amount (vast bedrag) has no build-up to split
        raise MissingValue(Problem(base.product.file, base.product.product.code,
                                   f"{base.product.product.code} heeft een vast bedrag zonder kostenopbouw: het "
                                   f"loonaandeel voor de indexmethode components is onbekend; kies een methode met "
                                   f"één percentage of leg een nieuw vast bedrag vast"))
    if base.direct_cost == 0:
        return ONE
    return (base.direct_staff_cost + base.travel_time_cost) / base.direct_cost


class Indexer:
    """Indexes calibrated tariffs of a contract's first year forward, caching books and rates."""

    def __init__(self, region: Region, known_on: dt.date | None):
        from tariefmodel.engine.variants import calibrated_book

        self.region = region
        self.ix = region.indexation
        self.known_on = known_on or LATEST
        self._calibrated = calibrated_book
        self._books: dict[tuple, dict[RowKey, TariffRow]] = {}
        self._rates: dict[tuple[str, int, bool], Derivation] = {}

    def book(self, year: int, param_year: int | None = None, force: tuple[str, str] | None = None) -> dict[RowKey, TariffRow]:
        k = (year, param_year, force)
        if k not in self._books:
            forced = dict([force]) if force else None
            self._books[k] = {t.key: t for t in self._calibrated(self.region, year, param_year, forced).tariffs}
        return self._books[k]

    def _addendum_in(self, base_year: int, row: TariffRow) -> Tariff | None:
        """The tariff of an addendum row, priced with the base year's parameters and CAO tables."""
        add = next((a for a in self.region.addenda if a.id == row.addendum), None)
        if add is None:
            return None
        pricer = Pricer(self.region, base_year)
        bp = row.product
        kwargs = {"group_size": add.overrides.get("group_size"), "staff_hours": add.overrides.get("staff_hours_per_unit")}
        caos = [row.variant] if row.variant in bp.product.caos else list(bp.product.caos)
        rows = [pricer.price(bp, c, micro=row.micro, provider=row.provider, kind="addendum", reason=row.reason,
                             **kwargs) for c in caos]
        base = min(rows, key=lambda t: t.tariff_eur)
        base.variant = row.variant
        base.addendum = row.addendum
        base.version = row.version
        return base

    def rate(self, method: str, year: int, first_year: bool) -> Derivation:
        k = (method, year, first_year)
        if k not in self._rates:
            self._rates[k] = method_rate(self.ix, method, year, self.known_on, first_year=first_year)
        return self._rates[k]

    def index(self, row: TariffRow, base_year: int, year: int) -> IndexedTariff:
        base = self.book(base_year).get(row.key)
        if base is None and row.version:
            # Re-issued after the base year: price that version in base-year terms, then index it.
            base = self.book(base_year, force=(row.product.product.code, row.version)).get(row.key)
        if base is None and row.kind == "addendum":
            # An addendum that starts in a later contract year: its tariff in base-year terms, then indexed.
            base = self._addendum_in(base_year, row)
        if base is None:
            raise MissingValue(Problem(row.product.file, row.product.product.code,
                                       f"geen tarief {base_year} voor {row.variant}"
                                       + (f" van {row.provider}" if row.provider else "")
                                       + f" om naar {year} te indexeren: herijk (tariefmodel recalibrate)"))
        # A minute tariff follows its hour tariff: index the hour tariff and derive the minute again with
        # the year's minute rule, so that rounding a tariff of a few cents does not compound year after year.
        minute = base.hour_tariff is not None
        minute_tariff = base.tariff_eur
        tariff = base.hour_tariff if minute else base.tariff_eur
        steps = []
        code = row.product.product.code
        for y in range(base_year + 1, year + 1):
            rebuilt = None
            assignment = assigned_method(self.ix, row.product.contract, code, y)
            method = self.ix.methods[assignment.method]
            derivation = self.rate(assignment.method, y, first_year=(y == base_year + 1))
            if method.kind == "follow_cao":
                force = (code, row.version) if row.version else None
                rebuilt = self.book(y, param_year=base_year, force=force).get(row.key)
                if rebuilt is None:
                    raise MissingValue(Problem(row.product.file, code, f"geen tarief {y} om de CAO mee te volgen"))
                new = rebuilt.hour_tariff if minute else rebuilt.tariff_eur
                minute_tariff = rebuilt.tariff_eur
                rate = new / tariff - ONE if tariff else Decimal(0)
            else:
                if method.kind == "components":
                    share = _wage_share(base)
                    rate = share * derivation.component_rates["ova"] + (ONE - share) * derivation.component_rates["ppc"]
                else:
                    rate = derivation.rate
                # Each year's tariff is rounded by that year's rules (a later entry may change the decimals).
                year_params = params(self.region.cost_model, dt.date(y, 1, 1))
                decimals = year_params.value("rounding.tariff_decimals")
                if minute:
                    rule = year_params.value("rounding.minute_tariff")
                    new, minute_tariff = minute_rule(tariff * (ONE + rate), rule, decimals)
                else:
                    new = excel_round(tariff * (ONE + rate), decimals)
            steps.append(IndexStep(y, assignment.method, method.kind, rate, tariff, new, derivation, rebuilt))
            tariff = new
        last = steps[-1]
        reason = (f"{base.reason}; geïndexeerd vanaf {base_year}: "
                  + ", ".join(f"{s.year} {s.method} {pct(excel_round(s.rate * 100, 4) / 100)}" for s in steps))
        if last.kind == "follow_cao":
            # The rebuilt row's own reason: its amounts are the recalculated ones this tariff follows (the
            # year's calibrated row would quote a build-up with the year's other parameters).
            reason = (f"{(last.rebuilt or row).reason}; {year}: herberekend met de CAO-tabellen van {year} "
                      f"(methode {last.method})")
        if row.kind == "addendum":
            reason = f"{row.reason}; geïndexeerd vanaf {base_year}"
        hour = None
        if minute:
            hour, tariff = tariff, minute_tariff
        return IndexedTariff(product=row.product, variant=row.variant, cao=row.cao, year=year, micro=row.micro,
                             provider=row.provider, kind=row.kind, reason=reason, tariff_eur=tariff, base=base,
                             steps=tuple(steps), hour_tariff=hour, valid_from=row.valid_from, valid_to=row.valid_to,
                             version=row.version, addendum=row.addendum)


def indexed_book(region: Region, year: int, known_on: dt.date | None, current: Book) -> Book:
    """``current``: the year's calibrated book, which says which rows exist and holds the external tariffs."""
    indexer = Indexer(region, known_on)
    # The decimals valid in this year (not the file's last entry): the calibrated book of the year has them.
    decimals = params(region.cost_model, dt.date(year, 1, 1)).value("rounding.tariff_decimals")
    rows: list[TariffRow] = []
    failures: list[Problem] = []
    basis: dict[tuple[str, str], IndexedTariff] = {}
    for row in current.tariffs:
        base_year = region.contracts[row.product.contract].start.year if row.product.contract in region.contracts \
            else year
        if row.kind == "extern" or year <= base_year or _decided_after(row, base_year):
            rows.append(row)  # a decided amount (vast bedrag) of a later year stands as decided
            continue
        if row.kind == "pgb":
            rows.append(_pgb_again(row, basis.get((row.product.product.code, row.version)), decimals))
            continue
        try:
            indexed = indexer.index(row, base_year, year)
        except MissingValue as exc:
            failures.append(exc.problem)
            continue
        if row.kind == "basistarief" and not row.micro and not row.provider:
            basis[(row.product.product.code, row.version)] = indexed
        rows.append(indexed)
    if failures:
        raise InputError(list(dict.fromkeys(failures)))
    return Book(year, rows, current.problems)


def _pgb_again(row: DerivedTariff, basis: IndexedTariff | None, decimals: int) -> DerivedTariff:
    """A pgb tariff follows the (indexed) lowest in-kind tariff of its year."""
    if basis is None or row.rate is None:
        return row
    from tariefmodel.data.numbers import eur

    label = row.reason.split(":")[0]
    return DerivedTariff(product=row.product, variant=row.variant, year=row.year, version=row.version,
                         valid_from=row.valid_from, valid_to=row.valid_to,
                         tariff_eur=excel_round(basis.tariff_eur * row.rate, decimals), kind="pgb",
                         reason=f"{label}: {pct(row.rate)} van het laagste ZIN-tarief {eur(basis.tariff_eur)} "
                                f"(geïndexeerd)",
                         rate=row.rate, base=basis, source=row.source)
