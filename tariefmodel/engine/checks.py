"""The consistency rules of a tariff book, each one pure function that returns what it finds as data.

* basistarief: never above a CAO tariff of its product (DIFF-03: the lowest, never an average);
* micro: a micro-enterprise tariff never above the regular tariff of its variant (DIFF-07);
* lighter twin: a specialised product not cheaper per direct staff hour than its lighter twin (TAR-16);
* CAO floor: a function profile's weighted monthly salary not more than 3% below its scale's mean;
* index lag: an indexed tariff not more than the threshold below a recalibration with the year's CAO tables.

The book (``engine.variants``, ``engine.book``) presents what they find as problems, which
``tariefmodel validate`` lists; the audit (``trail.audit``) presents the same as findings.
Neither decides anything of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tariefmodel.data.params import params
from tariefmodel.data.region import Region
from tariefmodel.engine.rows import TariffRow

BASIS = "basistarief"


def check_parameter(region: Region, path: str, year: int) -> Decimal | None:
    """A dated check threshold of the cost model (``checks.<name>``) valid on 1 January, or None if absent."""
    if getattr(region.cost_model, "checks", None) is None:
        return None
    return params(region.cost_model, dt.date(year, 1, 1)).value(path)


def recalibration_threshold(region: Region, year: int) -> Decimal | None:
    """The index-lag threshold: the indexation file's own value where it gives one, else the cost model's."""
    own = region.indexation.recalibration_threshold if region.indexation is not None else None
    return own if own is not None else check_parameter(region, "checks.recalibration_threshold", year)


@dataclass(frozen=True, slots=True)
class BasisAbove:
    """A basistarief above one or more CAO tariffs of its product (the same version, micro or not)."""

    code: str
    micro: bool
    basis: TariffRow
    below: tuple[TariffRow, ...]  # the CAO tariffs under the basistarief, in book order

    @property
    def file(self) -> str:
        return self.basis.product.file


@dataclass(frozen=True, slots=True)
class MicroAbove:
    """A micro-enterprise tariff above the regular tariff of the same variant."""

    code: str
    variant: str
    regular: TariffRow
    micro: TariffRow


@dataclass(frozen=True, slots=True)
class TwinCheaper:
    """A specialised product cheaper per direct staff hour (C_mix) than its lighter twin under one CAO."""

    code: str
    twin: str
    cao: str
    file: str
    heavy: Decimal  # cost per direct staff hour of the specialised product
    light: Decimal  # the same of its lighter twin


@dataclass(frozen=True, slots=True)
class WageBelowScale:
    """A function profile whose weighted monthly salary is below checks.wage_floor_fraction x its scale's mean."""

    cao: str
    profile: str
    scale: str
    file: str  # the CAO's function map, where the steps are chosen
    monthly: Decimal
    mean: Decimal
    floor: Decimal = Decimal(1)  # the fraction of the mean that is the floor (checks.wage_floor_fraction)


@dataclass(frozen=True, slots=True)
class IndexLag:
    """An indexed tariff more than the threshold below the tariff recalibrated with the year's CAO tables."""

    row: TariffRow
    recalibrated: Decimal
    gap: Decimal  # (recalibrated - indexed) / recalibrated

    @property
    def subject(self) -> str:
        return f"{self.row.product.product.code}/{self.row.variant}"


Breach = BasisAbove | MicroAbove | TwinCheaper | WageBelowScale | IndexLag


def _general(rows: Iterable[TariffRow]) -> list[TariffRow]:
    """The general tariffs under a CAO or the basistarief (not provider-specific, not pgb or extern)."""
    return [t for t in rows if not t.provider and t.kind in ("cao", BASIS)]


def variant_groups(rows: Iterable[TariffRow]) -> dict[tuple[str, str, bool], dict[str, TariffRow]]:
    """The general tariffs per (product code, version, micro), by variant, in book order."""
    groups: dict[tuple[str, str, bool], dict[str, TariffRow]] = {}
    for t in _general(rows):
        groups.setdefault((t.product.product.code, t.version, t.micro), {})[t.variant] = t
    return groups


def basistarief_above_cao(rows: Iterable[TariffRow]) -> list[BasisAbove]:
    """Every basistarief above a CAO tariff of its product, version and micro status."""
    out = []
    for (code, _version, micro), variants in variant_groups(rows).items():
        basis = variants.get(BASIS)
        if basis is None:
            continue
        below = tuple(t for v, t in variants.items() if v != BASIS and t.tariff_eur < basis.tariff_eur)
        if below:
            out.append(BasisAbove(code, micro, basis, below))
    return out


def micro_above_regular(rows: Iterable[TariffRow]) -> list[MicroAbove]:
    """Every micro tariff above the regular tariff of its variant (the CAO variants, then the basistarief)."""
    groups = variant_groups(rows)
    out = []
    for (code, version, micro), variants in groups.items():
        if micro:
            continue
        twins = groups.get((code, version, True), {})
        for variant, regular in variants.items():
            mic = twins.get(variant)
            if mic is not None and mic.tariff_eur > regular.tariff_eur:
                out.append(MicroAbove(code, variant, regular, mic))
    return out


def twin_cheaper(rows: Iterable[TariffRow]) -> list[TwinCheaper]:
    """TAR-16: every specialised product cheaper per direct staff hour than its lighter twin, per CAO.

    Compared on the staffing mix's cost per direct staff hour (C_mix) of the build-up behind
    each row (for an indexed row: its first year's). Per unit, the heavier product spreads
    its client-bound costs over more staff hours, which is no incentive; a cheaper mix is.
    Per product and CAO the version in force at the end of the year counts.
    """
    regular: dict[tuple[str, str], Any] = {}
    for t in rows:
        if t.kind == "cao" and not t.micro and not t.provider and t.built is not None:
            regular[(t.product.product.code, t.cao)] = t.built
    out = []
    for (code, cao), heavy in regular.items():
        twin = heavy.product.product.lighter_twin
        light = regular.get((twin, cao)) if twin else None
        if light is not None and heavy.cost_per_staff_hour < light.cost_per_staff_hour:
            out.append(TwinCheaper(code, twin, cao, heavy.product.file, heavy.cost_per_staff_hour,
                                   light.cost_per_staff_hour))
    return out


def wage_below_scale(region: Region, rows: Sequence[TariffRow]) -> tuple[list[WageBelowScale], int]:
    """The CAO floor: every function profile (per CAO) whose weighted monthly salary is below
    checks.wage_floor_fraction x the mean of its scale's numbered steps on the same table date; with the
    number checked. Without that parameter (or rows) the check does not run."""
    out: list[WageBelowScale] = []
    seen: set[tuple[str, str]] = set()
    checked = 0
    floor = check_parameter(region, "checks.wage_floor_fraction", rows[0].year) if rows else None
    if floor is None:
        return out, checked
    for t in rows:
        built = t.built
        if built is None:
            continue
        for s in built.staff:
            pc = s.cost
            if (pc.cao, pc.profile) in seen:
                continue
            seen.add((pc.cao, pc.profile))
            cao = region.caos[pc.cao]
            on = pc.steps[0].lookup.table_effective
            amounts = []
            for step in sorted((st for st in cao.known_steps(pc.scale) if st.isdigit()), key=int):
                try:
                    amounts.append(cao.salary(pc.scale, step, on).monthly_eur)
                except LookupError:
                    continue
            if not amounts:
                continue
            checked += 1
            mean = sum(amounts, Decimal(0)) / len(amounts)
            if pc.monthly_salary < mean * floor:
                out.append(WageBelowScale(pc.cao, pc.profile, pc.scale, f"{cao.dir}/function_map.yaml",
                                          pc.monthly_salary, mean, floor))
    return out, checked


def index_lag(rows: Iterable[TariffRow], recalibrated: Sequence[TariffRow], threshold: Decimal) -> list[IndexLag]:
    """Every general, regular indexed tariff more than ``threshold`` below its recalibration."""
    rebuilt = {r.key: r for r in recalibrated if r.built is r}
    out = []
    for t in rows:
        if not t.steps or t.micro or t.provider:
            continue
        r = rebuilt.get(t.key)
        if r is None or not r.tariff_eur:
            continue
        gap = (r.tariff_eur - t.tariff_eur) / r.tariff_eur
        if gap > threshold:
            out.append(IndexLag(t, r.tariff_eur, gap))
    return out


@dataclass(frozen=True, slots=True)
class Checked:
    breaches: list[Breach]
    profiles: int  # function profiles whose salary was held against their scale
    groups: int  # (product, version, micro) groups whose variants were compared


def book_checks(region: Region, rows: Sequence[TariffRow], recalibrated: Sequence[TariffRow] | None = None,
                threshold: Decimal | None = None) -> Checked:
    """Every rule on the final rows of a book: what ``validate`` and the audit both report.

    ``recalibrated``: the year's rows built up from costs, for the index lag of indexed rows.
    """
    wages, profiles = wage_below_scale(region, rows)
    found: list[Breach] = [*basistarief_above_cao(rows), *micro_above_regular(rows), *twin_cheaper(rows), *wages]
    if recalibrated is not None and threshold is not None:
        found += index_lag(rows, recalibrated, threshold)
    return Checked(found, profiles, len(variant_groups(rows)))
