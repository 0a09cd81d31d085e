"""CAO salary tables: which monthly salary a scale and step earn on a date.

Two kinds of publication exist. FWG-style CAOs (Gehandicaptenzorg, GGZ, VVT)
publish one salary *series* by inpassingsnummer plus a *scale map*
(scale, step -> number); others (Jeugdzorg, Sociaal Werk) publish amounts per
scale and step. A table holds from its effective date until the next table of
the same kind replaces it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from tariefmodel.data.numbers import date, eur

if TYPE_CHECKING:
    from tariefmodel.data.schema import CaoFile, FunctionMapFile


@dataclass(frozen=True, slots=True)
class SalaryTable:
    kind: str  # series | scales | scale_map
    effective: dt.date
    file: str  # path relative to the data folder
    derived: bool
    source: str
    # series: {number: amount}; scales: {(scale, step): amount}; scale_map: {(scale, step): number}
    cells: dict
    # A table the statutory minimum wage lifted (loader.wml_floor): the published table it was made
    # from, and per lifted cell the CAO's own amount. None / empty for every table read from a file.
    lifted_from: SalaryTable | None = None
    lifted: dict = field(default_factory=dict)

    def note(self, key: object) -> str:
        """Why a cell differs from the published table ('' when it does not)."""
        if key not in self.lifted:
            return ""
        return (f"opgetrokken tot het wettelijk minimumloon per {date(self.effective)} "
                f"(CAO-bedrag {eur(self.lifted[key])})")


@dataclass(frozen=True, slots=True)
class SalaryLookup:
    """The answer to 'what does scale S step T earn on date D', with its trail."""

    scale: str
    step: str
    monthly_eur: Decimal
    table_file: str
    table_effective: dt.date
    derived: bool
    number: int | None = None  # inpassingsnummer, for series tables
    map_file: str | None = None
    note: str = ""  # e.g. the cell was lifted to the statutory minimum wage (SalaryTable.note)


class SalaryLookupError(LookupError):
    pass


@dataclass(frozen=True)
class Cao:
    meta: CaoFile
    tables: tuple[SalaryTable, ...]
    function_map: FunctionMapFile
    dir: str  # e.g. "cao_tables/jeugdzorg"
    # init=False: dataclasses.replace must not hand the old index to the new Cao (it would grow twice)
    _by_kind: dict[str, list[SalaryTable]] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        for t in sorted(self.tables, key=lambda t: (t.effective, t.file)):
            self._by_kind.setdefault(t.kind, []).append(t)

    @property
    def key(self) -> str:
        return self.meta.key

    def _latest(self, kind: str, on: dt.date, contains: object | None = None) -> SalaryTable | None:
        best = None
        for t in self._by_kind.get(kind, []):
            if t.effective > on:
                break
            if contains is None or contains in t.cells:
                best = t
        return best

    def known_scales(self) -> set[str]:
        scales = set()
        for kind in ("scales", "scale_map"):
            for t in self._by_kind.get(kind, []):
                scales.update(scale for scale, _ in t.cells)
        return scales

    def known_steps(self, scale: str) -> set[str]:
        steps = set()
        for kind in ("scales", "scale_map"):
            for t in self._by_kind.get(kind, []):
                steps.update(step for s, step in t.cells if s == scale)
        return steps

    def salary(self, scale: str, step: str, on: dt.date) -> SalaryLookup:
        smap = self._latest("scale_map", on)
        if smap is not None and (scale, step) in smap.cells:
            number = smap.cells[(scale, step)]
            # The latest series on the date decides; an older series holding the
            # number would silently give an outdated salary.
            series = self._latest("series", on)
            if series is None:
                raise SalaryLookupError(f"geen salarisreeks van CAO {self.key} geldig op {date(on)}")
            if number not in series.cells:
                raise SalaryLookupError(
                    f"inpassingsnummer {number} (schaal {scale} trede {step}) ontbreekt in {series.file}"
                )
            return SalaryLookup(scale, step, series.cells[number], series.file, series.effective,
                                series.derived, number, smap.file, series.note(number))
        table = self._latest("scales", on, contains=None)
        if table is not None:
            # Several scale tables may share a date (e.g. regular and primary-process);
            # take the latest one that holds this scale.
            candidates = [t for t in self._by_kind.get("scales", [])
                          if t.effective <= on and any(s == scale for s, _ in t.cells)]
            if candidates:
                best = candidates[-1]
                if (scale, step) not in best.cells:
                    raise SalaryLookupError(f"trede {step!r} van schaal {scale!r} staat niet in {best.file}")
                return SalaryLookup(scale, step, best.cells[(scale, step)], best.file, best.effective,
                                    best.derived, note=best.note((scale, step)))
        if scale in self.known_scales():
            raise SalaryLookupError(
                f"geen tabel van CAO {self.key} met schaal {scale!r} trede {step!r} geldig op {date(on)}"
            )
        raise SalaryLookupError(f"CAO {self.key} heeft geen schaal {scale!r}")

    def series_amount(self, number: int, on: dt.date) -> tuple[Decimal, str]:
        series = self._latest("series", on)
        if series is None or number not in series.cells:
            raise SalaryLookupError(f"inpassingsnummer {number} van CAO {self.key} is niet geldig op {date(on)}")
        return series.cells[number], series.file
