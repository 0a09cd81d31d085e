"""The Python interface for scenarios and budgets (notebooks, the command line).

    >>> from tariefmodel.scenarios import Workspace
    >>> ws = Workspace()                                   # the bundled region
    >>> cols, rows = ws.compare(["basis", "overhead-25"])  # tariffs side by side
    >>> budgets = ws.budgets(["basis", "volumegroei-jeugd"], [2025, 2026])
    >>> status = ws.ceilings("basis", 2025)
    >>> model, targets = ws.model("basis", [2025])          # the vectorised book, for tornado / Monte Carlo

Files are read once, when first needed; a scenario's region is built once. Every method
raises :class:`~tariefmodel.problems.InputError` (every problem, with file, key and line) on
bad input.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from tariefmodel.data.money import ZERO
from tariefmodel.data.region import Region
from tariefmodel.engine.book import price_book
from tariefmodel.engine.pricing import Book
from tariefmodel.loader import inputs as files
from tariefmodel.scenarios.budget import BudgetLine, YearBudget, year_budget
from tariefmodel.scenarios.inputs import load_sensitivity
from tariefmodel.scenarios.overrides import BASE, Scenario, ScenarioSet, scenario_names


class Workspace:
    """One data folder: the base region, its scenarios and the budget files."""

    def __init__(self, data: Path | str | None = None, region: Region | None = None):
        if region is None:
            from tariefmodel.data.bundled import bundled_region
            from tariefmodel.loader import load_region

            region = load_region(Path(data) if data is not None else bundled_region())
        self.region = region
        self.sets = ScenarioSet(region)
        self._books: dict[tuple[str, int], Book] = {}
        self._cache: dict[str, Any] = {}

    # ---- files

    def _file(self, name: str) -> Any:
        if name not in self._cache:
            r = self.region
            loaders = {
                "municipalities": lambda: files.load_municipalities(r),
                "volumes": lambda: files.load_volumes(r, self.municipalities),
                "ceilings": lambda: files.load_ceilings(r),
                "arrangements": lambda: files.load_arrangements(r),
                "lump_sums": lambda: files.load_lump_sums(r, self.municipalities),
                "sensitivity": lambda: load_sensitivity(r),
            }
            self._cache[name] = loaders[name]()
        return self._cache[name]

    @property
    def municipalities(self) -> Any:
        return self._file("municipalities")

    @property
    def volumes(self) -> Any:
        return self._file("volumes")

    @property
    def ceiling_file(self) -> Any:
        return self._file("ceilings")

    @property
    def arrangement_file(self) -> Any:
        return self._file("arrangements")

    @property
    def lump_sum_file(self) -> Any:
        return self._file("lump_sums")

    @property
    def sensitivity_file(self) -> Any:
        return self._file("sensitivity")

    def has(self, rel: str) -> bool:
        return (self.region.root / rel).is_file()

    # ---- scenarios and books

    def scenario_names(self) -> list[str]:
        return [BASE, *scenario_names(self.region.root)]

    def scenario(self, name: str) -> tuple[Scenario, Region]:
        return self.sets.get(name)

    def year(self, year: int | None) -> int:
        return year or self.region.info.default_year

    def book(self, scenario: str = BASE, year: int | None = None) -> Book:
        y = self.year(year)
        key = (scenario, y)
        if key not in self._books:
            _, region = self.scenario(scenario)
            self._books[key] = price_book(region, y)
        return self._books[key]

    def compare(self, names: list[str], year: int | None = None) -> tuple[list[str], list[dict[str, Any]]]:
        """Tariffs of several scenarios side by side, with the difference to the first in euros and percent."""
        y = self.year(year)
        books = {n: {t.key: t for t in self.book(n, y).tariffs} for n in names}
        first = books[names[0]]
        keys = list(dict.fromkeys(k for n in names for k in books[n]))
        columns = ["product_code", "product_name", "law", "contract", "unit", "variant", "micro", "provider", "version",
                   "year", *[f"tarief {n}" for n in names]]
        for n in names[1:]:
            columns += [f"verschil {n} EUR", f"verschil {n} %"]
        rows = []
        for k in keys:
            t0 = next(books[n][k] for n in names if k in books[n])
            prod = t0.product.product
            row: dict[str, Any] = {"product_code": prod.code, "product_name": prod.name, "law": prod.law,
                                   "contract": t0.product.contract, "unit": prod.unit, "variant": k[1], "micro": k[2],
                                   "provider": k[3], "version": k[4], "year": y}
            for n in names:
                t = books[n].get(k)
                row[f"tarief {n}"] = f"{t.tariff_eur:.2f}" if t is not None else ""
            base = first.get(k)
            for n in names[1:]:
                t = books[n].get(k)
                if base is None or t is None:
                    row[f"verschil {n} EUR"] = row[f"verschil {n} %"] = ""
                    continue
                diff = t.tariff_eur - base.tariff_eur
                row[f"verschil {n} EUR"] = f"{diff:.2f}"
                row[f"verschil {n} %"] = f"{diff / base.tariff_eur * 100:.2f}" if base.tariff_eur else ""
            rows.append(row)
        return columns, rows

    # ---- budget

    def budget(self, scenario: str = BASE, year: int | None = None, *, lump_sums: bool = True) -> YearBudget:
        """The p*q lines of the year (and each municipality's share of the lump sums)."""
        y = self.year(year)
        key = f"budget:{scenario}:{y}:{lump_sums}"
        if key in self._cache:
            return self._cache[key]
        s, region = self.scenario(scenario)
        yb = year_budget(region, s, self.volumes, y, self.book(scenario, y))
        if lump_sums and self.has(files.LUMP_SUMS):
            for lp in self.lump_sums(scenario, y, yb):
                recipients = ", ".join(lp.per_recipient) if lp.per_recipient else ""
                for muni, amount in lp.per_municipality.items():
                    yb.lines.append(BudgetLine(
                        scenario=scenario, year=y, municipality=muni, contract=lp.contract, law=lp.law,
                        product=lp.key, product_name=lp.label, unit="jaar", provider=recipients, variant="lumpsum",
                        micro=False, units=ZERO, cost=amount, months=tuple(amount / 12 for _ in range(12)),
                        kind="lumpsum", note=f"verdeelsleutel {lp.allocation_key}"))
        if any(p.severity == "error" for p in yb.problems):
            from tariefmodel.data.problems import InputError

            raise InputError(yb.problems)
        self._cache[key] = yb
        return yb

    def budgets(self, scenarios: list[str], years: list[int]) -> list[YearBudget]:
        return [self.budget(s, y) for s in scenarios for y in years]

    def lump_sums(self, scenario: str = BASE, year: int | None = None, yb: YearBudget | None = None) -> list[Any]:
        """The lump sums of a year, priced under the scenario and split over municipalities."""
        from tariefmodel.scenarios.lumpsums import lump_sums_for_year

        y = self.year(year)
        key = f"lumps:{scenario}:{y}"
        if key not in self._cache:
            _, region = self.scenario(scenario)
            use = None
            if any(k.basis == "use" for k in self.lump_sum_file.allocation_keys.values()):
                base = yb if yb is not None else self.budget(scenario, y, lump_sums=False)
                use = {}
                for ln in base.lines:
                    if ln.kind == "p*q":
                        per = use.setdefault(ln.contract, {})
                        per[ln.municipality] = per.get(ln.municipality, ZERO) + ln.cost
            self._cache[key] = lump_sums_for_year(region, self.lump_sum_file, self.municipalities, y, use)
        return self._cache[key]

    def ceilings(self, scenario: str = BASE, year: int | None = None) -> list[Any]:
        from tariefmodel.scenarios.ceilings import ceiling_report

        _, region = self.scenario(scenario)
        return ceiling_report(region, self.ceiling_file, self.budget(scenario, year, lump_sums=False))

    def arrangements(self, scenario: str = BASE, year: int | None = None) -> list[Any]:
        from tariefmodel.scenarios.arrangements import price_arrangements

        _, region = self.scenario(scenario)
        return price_arrangements(region, self.arrangement_file, self.year(year))

    # ---- vectorised path

    def model(self, scenario: str = BASE, years: list[int] | None = None, *, budget: bool = True) -> tuple[Any, Any]:
        """(vectorised model of the years' books and lump sums, budget target) under a scenario."""
        from tariefmodel.scenarios.sensitivity import Target, budget_weights
        from tariefmodel.scenarios.vectorised import Model

        ys = years or [self.year(None)]
        _, region = self.scenario(scenario)
        budgets = [self.budget(scenario, y, lump_sums=False) for y in ys] if budget else []
        lumps = {y: self.lump_sums(scenario, y) for y in ys} if budget and self.has(files.LUMP_SUMS) else None
        model = Model(region, ys, lumps=lumps, books={y: self.book(scenario, y) for y in ys})
        target = Target("begroting " + ", ".join(str(y) for y in ys), weights=budget_weights(model, budgets)) \
            if budget else None
        return model, target

    def exact_budget_total(self, scenario: str, years: list[int]) -> Decimal:
        return sum((self.budget(scenario, y).total for y in years), ZERO)

    def goal_seek(self, code: str, variant: str, target: Decimal, parameter: str, *, scenario: str = BASE,
                  year: int | None = None, micro: bool = False, low: Decimal | None = None,
                  high: Decimal | None = None) -> Any:
        from tariefmodel.scenarios.goalseek import goal_seek

        _, region = self.scenario(scenario)
        return goal_seek(region, self.year(year), code, variant, target, parameter, micro=micro, low=low, high=high)
