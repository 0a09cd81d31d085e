"""The tariff book as array expressions: thousands of parameter sets priced at once with numpy.

The exact path (``pricing.py``) prices one tariff at a time in ``Decimal``. For a tornado or a
Monte Carlo run the same build-up is evaluated for many parameter sets at once. The build-up
factors into two parts:

* per *function-profile combination* k (a profile under one CAO, ORT rate and productivity
  norm in one calibration year): the cost per productive hour C_k as a function of the
  parameters (salary factor of the CAO, employer charges, productivity items). A handful
  of combinations serve the whole book, so this part is small;
* per *tariff row* r: coefficients fixed by the product (staffing shares times staff hours
  per unit over the group size, client costs, which overhead rate, no-show or not, the
  rounding rule). Then, for N parameter sets at once::

      D    = C @ S_r                       direct staff cost (matrix product over k)
      x    = D (1 + travel uplift) + K     client costs: linear in their parameters
      x   *= overhead x no-show x (1 + profit and risk)   one factor per parameter set
      tariff = ROUND(x, 2)                 or the minute rule; half away from zero

Rows of one kind (same overhead, no-show, rounding) form a segment, evaluated as whole arrays.
The rest of the book follows from those rows: the basistarief is the lowest CAO row, a pgb
tariff ROUND(basistarief x share), an external tariff a constant, and a later contract year
ROUND(previous x (1 + index rate)), rounded every year, minute tariffs via their hour tariff.

The structure is read from the exact book itself (every ``Tariff`` keeps its staff lines,
profile costs, client costs and rates), so the two paths cannot drift apart: at the central
parameter values every vectorised tariff equals the exact one to the cent (tested for every
row of the bundled book). Floating point is used only here, never on the exact path.

Approximations away from the central values (exact at them): an indexation that follows the
CAO or uses components keeps its derived rate; a tariff indexed from a version re-issued after
the base year is indexed from that version's lowest-CAO build-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from tariefmodel.data.region import Region
from tariefmodel.engine.book import price_book
from tariefmodel.engine.indexed import IndexedTariff
from tariefmodel.engine.pricing import DerivedTariff, Pricer, Tariff, YearParameters
from tariefmodel.engine.rows import TariffRow
from tariefmodel.scenarios.paramspace import SALARY

EPS = 1e-11  # relative nudge before rounding: float error of the build-up is ~1e-15 relative


def round_half_up(x: np.ndarray, decimals: int) -> np.ndarray:
    """ROUND(x, d) half away from zero for positive amounts, robust to float error at exact halves.

    The build-up in floating point lands within about 1e-15 (relative) of the exact value, so an exact
    half cent may come out a hair below it; a relative nudge of 1e-11 puts it back above. (A true value
    within 1e-11 of a half cent without being one is not a tariff that occurs.) Amounts are positive.
    """
    scale = 10.0 ** decimals
    y = x * (scale * (1.0 + EPS))
    y += 0.5
    return np.floor(y) / scale


# --------------------------------------------------------------------------- parameter space


@dataclass
class ParamSpace:
    """The columns of a parameter matrix X (N parameter sets x P parameters)."""

    names: list[str] = field(default_factory=list)
    central: list[float] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)

    def col(self, name: str, central: float) -> int:
        i = self.index.get(name)
        if i is None:
            i = self.index[name] = len(self.names)
            self.names.append(name)
            self.central.append(central)
        elif abs(self.central[i] - central) > 1e-12 * max(1.0, abs(central)):
            raise ValueError(f"parameter {name} heeft verschillende waarden in de jaren van één model "
                             f"({self.central[i]} en {central}): bouw één model per kalibratiejaar")
        return i

    def vector(self) -> np.ndarray:
        return np.array(self.central, dtype=float)

    def matrix(self, n: int) -> np.ndarray:
        return np.tile(self.vector(), (n, 1))


# --------------------------------------------------------------------------- structure


@dataclass
class Combo:
    """One function profile under one CAO, ORT rate and productivity norm, in one calibration year."""

    salary_col: int
    weights: np.ndarray
    amounts: np.ndarray  # monthly salary per step, as published
    hol_rate: float
    hol_min: float
    hol_min_scales: bool  # a minimum defined as a salary-table amount moves with the salary factor
    ye_rate: float
    ye_on_holiday: bool
    ye_min: float
    other_rate: float
    irregular_rate: float
    ort_cap: float | None  # monthly salary of the CAO's ORT cap where it binds (scales with the salary factor)
    charges: list[tuple[int, int | None]]  # (rate column, franchise column or None)
    contract_hours: float
    hours_items: list[int]  # columns of breakdown items in hours
    share_items: list[int]  # columns of breakdown items as a share of the contract hours
    fraction_col: int | None
    cph_decimals: int | None


@dataclass
class RowSpec:
    """The coefficients of one computed tariff row (or lump sum)."""

    shares: list[tuple[int, float]]  # (combo, share x staff hours per unit / group size)
    uplift: list[int]  # travel-time parameters (fractions of the direct staff cost)
    k_unit: list[tuple[int, float]]  # (client-cost parameter, constant coefficient)
    k_hour: list[tuple[int, float]]  # (client-cost parameter, staff hours per unit / group size)
    hpd_col: int | None  # staff hours follow hours_per_dagdeel
    hpd_central: float
    overhead_col: int
    overhead_share: bool  # convention share: / (1 - o); markup: x (1 + o)
    no_show_col: int | None
    no_show_divide: bool
    profit_col: int
    rounding: str  # cents | from_hour | direct | hour_multiple_of_60_cents
    decimals: int


@dataclass
class Ref:
    """How a public row of a year is obtained."""

    kind: str  # comp | min | pgb | const | chain
    comp: int = -1
    candidates: list[int] = field(default_factory=list)
    base: tuple[int, int] = (0, 0)  # (year, public row) for pgb and chain
    base_comp: int = -1  # chain from a computed row instead of a public row
    rate: float = 0.0
    value: float = 0.0
    steps: list[tuple[int | None, float]] = field(default_factory=list)  # (index column or None, fixed rate)
    minute: bool = False
    decimals: int = 2


@dataclass
class YearRows:
    year: int
    rows: list[Any]  # the exact rows (Tariff, DerivedTariff, IndexedTariff) or lump sums
    refs: list[Ref]


def _f(x: Any) -> float:
    return float(Decimal(x))


class Model:
    """The book of some years (and optional lump sums) as array expressions over a parameter space."""

    def __init__(self, region: Region, years: list[int] | None = None, *, tariffs: list[Tariff] | None = None,
                 lumps: dict[int, list[Any]] | None = None, books: dict[int, Any] | None = None):
        self.region = region
        self.space = ParamSpace()
        self.combos: list[Combo] = []
        self._combo_index: dict[tuple, int] = {}
        self.comps: list[RowSpec] = []
        self._comp_index: dict[int, int] = {}  # id(Tariff) -> computed row
        self._year_params: dict[int, Any] = {}
        self._pricers: dict[int, Pricer] = {}
        self.years: dict[int, YearRows] = {}
        self.order: list[int] = []
        self.lump_rows: dict[int, list[int]] = {}
        self._plan_cache: dict[int, dict[str, Any]] | None = None
        if tariffs is not None:  # a synthetic book: computed rows only, in one pseudo-year 0
            refs = [Ref("comp", comp=self._computed(t)) for t in tariffs]
            self.years[0] = YearRows(0, list(tariffs), refs)
            self.order = [0]
        for y in sorted(years or []):
            book = (books or {}).get(y) or price_book(region, y)
            self._add_year(y, list(book.tariffs))
        for y, prices in (lumps or {}).items():
            self._add_lumps(y, prices)
        self._segments = self._build_segments()

    # ---- parameters

    def _params(self, year: int) -> Any:
        if year not in self._year_params:
            self._year_params[year] = YearParameters.of(self.region, year)
        return self._year_params[year]

    def _pcol(self, year: int, path: str) -> int:
        return self.space.col(path, _f(self._params(year).v(path)))

    def _combo(self, year: int, pc: Any) -> int:
        key = (year, pc.cao, pc.profile, pc.irregular_hours_rate, pc.productivity_norm)
        cap = pc.ort_cap.monthly_eur if pc.ort_cap is not None and pc.ort_cap.binds else None
        hit = self._combo_index.get(key)
        if hit is not None:
            return hit
        p = self._params(year)
        rules = pc.allowance_use.value
        charges: list[tuple[int, int | None]] = []
        if p.v("employer_charges.mode") == "total":
            charges.append((self._pcol(year, "employer_charges.total_rate"), None))
        else:
            for _key, _label, rate, franchise in p.charge_items:
                fcol = self._pcol(year, franchise.path) if franchise is not None else None
                charges.append((self._pcol(year, rate.path), fcol))
        norm = p.norms[pc.productivity_norm]
        hours_items, share_items, fraction_col = [], [], None
        if norm.method == "fraction":
            fraction_col = self._pcol(year, norm.fraction.path)
        else:
            for _ikey, _label, kind, use in norm.items:
                (hours_items if kind == "hours" else share_items).append(self._pcol(year, use.path))
        cph = p.uses.get("rounding.cost_per_hour_decimals")
        combo = Combo(
            salary_col=self.space.col(f"cao.{pc.cao}.{SALARY}", 1.0),
            weights=np.array([_f(s.weight) for s in pc.steps]), amounts=np.array([_f(s.lookup.monthly_eur)
                                                                                  for s in pc.steps]),
            hol_rate=_f(rules.holiday_rate), hol_min=_f(pc.holiday_minimum),
            hol_min_scales=rules.holiday_min_number is not None, ye_rate=_f(rules.year_end_rate),
            ye_on_holiday=rules.year_end_base == "salary_plus_holiday", ye_min=_f(rules.year_end_min_year_eur or 0),
            other_rate=_f(rules.other_rate), irregular_rate=_f(pc.irregular_hours_rate),
            ort_cap=_f(cap) if cap is not None else None, charges=charges,
            contract_hours=_f(pc.contract_hours), hours_items=hours_items, share_items=share_items,
            fraction_col=fraction_col, cph_decimals=cph.value if cph is not None and cph.value is not None else None)
        self._combo_index[key] = len(self.combos)
        self.combos.append(combo)
        return self._combo_index[key]

    # ---- rows

    def _computed(self, t: Tariff, year: int | None = None) -> int:
        hit = self._comp_index.get(id(t))
        if hit is not None:
            return hit
        y = t.year if year is None else year
        p = self._params(y)
        prod = t.product.product
        hg = _f(t.staff_hours_per_unit) / _f(t.group_size)
        shares = [(self._combo(y, sl.cost), _f(sl.share) * hg) for sl in t.staff]
        uplift, k_unit, k_hour = [], [], []
        for line in t.client_costs:
            cc = p.client_costs[line.key]
            col = self._pcol(y, cc.amount.path)
            if cc.kind == "staff_time_uplift":
                uplift.append(col)
            elif cc.kind == "per_staff_hour":
                k_hour.append((col, hg))
            elif cc.kind == "per_place_year":
                k_unit.append((col, 1.0 / _f(cc.units_per_place_year)))
            else:
                k_unit.append((col, 1.0))
        hpd_col = None
        if prod.unit == "dagdeel" and prod.staff_hours_per_unit is None and not self._addendum_hours(t):
            hpd_col = self._pcol(y, "hours_per_dagdeel")
        rounding = "cents"
        if prod.unit == "minuut":
            rounding = p.v("rounding.minute_tariff")
        spec = RowSpec(
            shares=shares, uplift=uplift, k_unit=k_unit, k_hour=k_hour, hpd_col=hpd_col,
            hpd_central=_f(p.v("hours_per_dagdeel")),
            overhead_col=self._pcol(y, "overhead.rate_micro" if t.micro else "overhead.rate"),
            overhead_share=p.v("overhead.convention") == "share",
            no_show_col=self._pcol(y, "no_show.rate") if prod.no_show else None,
            no_show_divide=p.v("no_show.convention") == "divide", profit_col=self._pcol(y, "profit_risk_rate"),
            rounding=rounding, decimals=int(p.v("rounding.tariff_decimals")))
        self._comp_index[id(t)] = len(self.comps)
        self.comps.append(spec)
        return self._comp_index[id(t)]

    def _addendum_hours(self, t: Tariff) -> bool:
        if t.kind != "addendum":
            return False
        return any(a.provider == t.provider and a.product == t.product.product.code
                   and "staff_hours_per_unit" in a.overrides for a in self.region.addenda)

    def _pricer(self, year: int) -> Pricer:
        if year not in self._pricers:
            self._pricers[year] = Pricer(self.region, year)
        return self._pricers[year]

    def _add_year(self, year: int, rows: list[Any]) -> None:
        refs: list[Ref] = []
        by_id = {id(t): i for i, t in enumerate(rows)}
        cao_rows: dict[tuple, list[int]] = {}
        for i, t in enumerate(rows):
            if isinstance(t, Tariff) and t.kind == "cao":
                cao_rows.setdefault((t.product.product.code, t.version, t.micro), []).append(i)
        for t in rows:
            if isinstance(t, Tariff):
                refs.append(self._tariff_ref(year, t, cao_rows, refs))
            elif isinstance(t, DerivedTariff):
                if t.kind == "pgb" and t.base is not None and id(t.base) in by_id:
                    refs.append(Ref("pgb", base=(year, by_id[id(t.base)]), rate=_f(t.rate), decimals=self._dec(year)))
                else:
                    refs.append(Ref("const", value=_f(t.tariff_eur)))
            elif isinstance(t, IndexedTariff):
                refs.append(self._chain_ref(t))
            else:  # pragma: no cover - the book holds only these kinds
                raise TypeError(type(t).__name__)
        self.years[year] = YearRows(year, rows, refs)
        if year not in self.order:
            self.order.append(year)
            self.order.sort()

    def _dec(self, year: int) -> int:
        return int(self._params(year).v("rounding.tariff_decimals"))

    def _tariff_ref(self, year: int, t: Tariff, cao_rows: dict[tuple, list[int]], refs: list[Ref]) -> Ref:
        minute = t.product.product.unit == "minuut"
        if t.kind == "cao" or (t.kind == "addendum" and t.variant == t.cao):
            return Ref("comp", comp=self._computed(t), minute=minute)
        if t.kind == "basistarief":
            members = cao_rows[(t.product.product.code, t.version, t.micro)]
            return Ref("min", candidates=[refs[j].comp for j in members], minute=minute)
        # an addendum for a provider outside the product's CAOs: the lowest of the product's CAOs
        pricer = self._pricer(year)
        add = next(a for a in self.region.addenda if a.provider == t.provider and a.product == t.product.product.code
                   and a.decision.status == "approved")
        kwargs = {"group_size": add.overrides.get("group_size"), "staff_hours": add.overrides.get("staff_hours_per_unit")}
        hidden = [pricer.price(t.product, c, micro=t.micro, provider=t.provider, kind="addendum", **kwargs)
                  for c in t.product.product.caos]
        return Ref("min", candidates=[self._computed(h, year) for h in hidden], minute=minute)

    def _chain_ref(self, t: IndexedTariff) -> Ref:
        base = t.base
        base_year = base.year
        if base_year not in self.years:
            self._add_year(base_year, list(price_book(self.region, base_year).tariffs))
        found = next((j for j, r in enumerate(self.years[base_year].rows)
                      if isinstance(r, TariffRow) and r.key == base.key), None)
        steps: list[tuple[int | None, float]] = []
        for s in t.steps:
            if s.kind in ("vng", "fixed"):
                steps.append((self.space.col(f"index.{s.year}.{s.method}", _f(s.rate)), 0.0))
            else:
                steps.append((None, _f(s.rate)))
        ref = Ref("chain", steps=steps, minute=t.hour_tariff is not None, decimals=self._dec(base_year))
        if found is not None:
            ref.base = (base_year, found)
        else:
            ref.base_comp = self._computed(base, base_year)
        return ref

    def _add_lumps(self, year: int, prices: list[Any]) -> None:
        """Lump sums as extra public rows of a year: built up in their first year, indexed after."""
        yr = self.years.setdefault(year, YearRows(year, [], []))
        if year not in self.order:
            self.order.append(year)
            self.order.sort()
        first = len(yr.rows)
        for lp in prices:
            yr.rows.append(lp)
            yr.refs.append(self._lump_ref(lp))
        self.lump_rows[year] = list(range(first, len(yr.rows)))

    def _lump_ref(self, lp: Any) -> Ref:
        ix = self.region.indexation
        steps: list[tuple[int | None, float]] = []
        for s in lp.steps:
            kind = ix.methods[s.method].kind if ix is not None else "none"
            if kind in ("vng", "fixed"):
                steps.append((self.space.col(f"index.{s.year}.{s.method}", _f(s.rate)), 0.0))
            else:
                steps.append((None, _f(s.rate)))
        if lp.kind == "fixed":
            if not steps:
                return Ref("const", value=_f(lp.amount))
            ref = Ref("chain", steps=steps, decimals=2)
            ref.base_comp = -2
            ref.value = _f(lp.base_amount)
            return ref
        y = lp.base_year
        p = self._params(y)
        shares = [(self._combo(y, pc), _f(share) * _f(lp.hours)) for _profile, share, pc in lp.staff]
        uplift, k_unit, k_hour = [], [], []
        for key, kind, coef in lp.client_lines:
            col = self._pcol(y, p.client_costs[key].amount.path)
            if kind == "staff_time_uplift":
                uplift.append(col)
            elif kind == "per_staff_hour":
                k_hour.append((col, _f(coef)))
            else:  # per_place_year: the amount per place times the places
                k_unit.append((col, _f(coef)))
        spec = RowSpec(shares=shares, uplift=uplift, k_unit=k_unit, k_hour=k_hour, hpd_col=None, hpd_central=1.0,
                       overhead_col=self._pcol(y, "overhead.rate"),
                       overhead_share=p.v("overhead.convention") == "share", no_show_col=None, no_show_divide=True,
                       profit_col=self._pcol(y, "profit_risk_rate"), rounding="cents", decimals=self._dec(y))
        self.comps.append(spec)
        comp = len(self.comps) - 1
        if not steps:
            return Ref("comp", comp=comp)
        ref = Ref("chain", steps=steps, decimals=self._dec(y))
        ref.base_comp = comp
        return ref

    # ---- segments

    def _build_segments(self) -> list[dict[str, Any]]:
        K = len(self.combos)
        groups: dict[tuple, list[int]] = {}
        for i, s in enumerate(self.comps):
            key = (s.overhead_col, s.overhead_share, s.no_show_col, s.no_show_divide, s.profit_col, s.rounding,
                   s.decimals, s.hpd_col)
            groups.setdefault(key, []).append(i)
        segs = []
        for key, members in groups.items():
            n = len(members)
            S = np.zeros((K, n))
            up_cols = sorted({c for i in members for c in self.comps[i].uplift})
            ku_cols = sorted({c for i in members for c, _ in self.comps[i].k_unit})
            kh_cols = sorted({c for i in members for c, _ in self.comps[i].k_hour})
            U = np.zeros((len(up_cols), n))
            KU = np.zeros((len(ku_cols), n))
            KH = np.zeros((len(kh_cols), n))
            for j, i in enumerate(members):
                s = self.comps[i]
                for k, v in s.shares:
                    S[k, j] += v
                for c in s.uplift:
                    U[up_cols.index(c), j] += 1.0
                for c, v in s.k_unit:
                    KU[ku_cols.index(c), j] += v
                for c, v in s.k_hour:
                    KH[kh_cols.index(c), j] += v
            (o_col, o_share, n_col, n_div, r_col, rounding, dec, hpd) = key
            segs.append({"members": np.array(members), "St": np.ascontiguousarray(S.T),
                         "Ut": np.ascontiguousarray(U.T),
                         "up": up_cols, "KUt": np.ascontiguousarray(KU.T), "ku": ku_cols,
                         "KHt": np.ascontiguousarray(KH.T), "kh": kh_cols, "o": o_col, "o_share": o_share, "n": n_col,
                         "n_div": n_div,
                         "r": r_col, "rounding": rounding, "dec": dec, "hpd": hpd,
                         "hpd0": self.comps[members[0]].hpd_central})
        return segs

    # ---- evaluation
    #
    # Arrays are laid out rows x parameter sets (a tariff's values contiguous), and evaluated in chunks of
    # parameter sets and blocks of rows, in place where possible: the arithmetic is memory-bound, so small
    # temporaries that stay in cache matter more than the number of numpy calls.

    def costs_per_hour(self, X: np.ndarray) -> np.ndarray:
        """C: cost per productive hour of every combination, K x N (X is N x P)."""
        N = X.shape[0]
        C = np.empty((len(self.combos), N))
        for k, c in enumerate(self.combos):
            s = X[:, c.salary_col]
            G = np.zeros(N)
            hol = np.zeros(N)
            ye = np.zeros(N)
            G_ort = np.zeros(N) if c.ort_cap is not None else G  # ORT base: per step at most the cap
            for w, amount in zip(c.weights, c.amounts, strict=True):
                g = 12.0 * amount * s
                h = np.maximum(c.hol_rate * g, c.hol_min * s if c.hol_min_scales else c.hol_min)
                e = np.maximum(c.ye_rate * (g + h if c.ye_on_holiday else g), c.ye_min)
                G += w * g
                hol += w * h
                ye += w * e
                if c.ort_cap is not None:
                    G_ort += w * 12.0 * min(amount, c.ort_cap) * s
            L = G + hol + ye + c.other_rate * G + c.irregular_rate * G_ort
            A = L.copy()
            for rate_col, f_col in c.charges:
                A += X[:, rate_col] * (L if f_col is None else np.maximum(L - X[:, f_col], 0.0))
            if c.fraction_col is not None:
                H = c.contract_hours * X[:, c.fraction_col]
            else:
                H = np.full(N, c.contract_hours)
                for col in c.hours_items:
                    H -= X[:, col]
                for col in c.share_items:
                    H -= c.contract_hours * X[:, col]
            ck = A / H
            if c.cph_decimals is not None:
                ck = round_half_up(ck, c.cph_decimals)
            C[k] = ck
        return C

    def computed(self, X: np.ndarray, C: np.ndarray | None = None, block: int = 1024) -> tuple[np.ndarray, np.ndarray]:
        """(tariff, hour tariff) of every computed row, R x N; the hour tariff is filled for minute rows only."""
        if C is None:
            C = self.costs_per_hour(X)
        N = X.shape[0]
        out = np.empty((len(self.comps), N))
        hour = np.empty((len(self.comps), N))
        for sg in self._segments:
            o = X[:, sg["o"]]
            f = 1.0 / (1.0 - o) if sg["o_share"] else 1.0 + o
            if sg["n"] is not None:
                n = X[:, sg["n"]]
                f = f / (1.0 - n) if sg["n_div"] else f * (1.0 + n)
            f = f * (1.0 + X[:, sg["r"]])
            ratio = X[:, sg["hpd"]] / sg["hpd0"] if sg["hpd"] is not None else None
            xu = np.ascontiguousarray(X[:, sg["up"]].T) if sg["up"] else None
            xku = np.ascontiguousarray(X[:, sg["ku"]].T) if sg["ku"] else None
            xkh = np.ascontiguousarray(X[:, sg["kh"]].T) if sg["kh"] else None
            members = sg["members"]
            for a in range(0, len(members), block):
                rows = members[a:a + block]
                x = sg["St"][a:a + block] @ C  # D: rows x N
                if ratio is not None:
                    x *= ratio
                if xu is not None:
                    up = sg["Ut"][a:a + block] @ xu
                    up += 1.0
                    x *= up
                if xku is not None:
                    x += sg["KUt"][a:a + block] @ xku
                if xkh is not None:
                    kh = sg["KHt"][a:a + block] @ xkh
                    if ratio is not None:
                        kh *= ratio
                    x += kh
                x *= f
                _round_rule_into(x, sg["rounding"], sg["dec"], out, hour, rows)
        return out, hour

    def evaluate(self, X: np.ndarray, years: list[int] | None = None, chunk: int | None = None) -> dict[int, np.ndarray]:
        """The rounded tariffs of every public row of each year, N x R_year (a view of an R x N array).

        Parameter sets are evaluated in chunks of about 4 million tariffs, so memory stays bounded.
        """
        X = np.atleast_2d(np.asarray(X, dtype=float))
        N = X.shape[0]
        rows = len(self.comps) + sum(len(self.years[y].refs) for y in self.order)
        chunk = chunk or max(1, min(N, 4_000_000 // max(rows, 1)))
        block = max(256, 262_144 // chunk)
        plans = self._plans()
        final = {y: np.empty((len(self.years[y].refs), N)) for y in self.order}
        hours = {y: np.empty((len(plans[y]["hour_rows"]), N)) for y in self.order}  # minute rows only
        for a in range(0, N, chunk):
            Xc = X[a:a + chunk]
            comp_t, comp_h = self.computed(Xc, block=block)
            cols = slice(a, a + Xc.shape[0])
            for y in self.order:
                _public(plans[y], Xc, comp_t, comp_h, final, hours, y, cols)
        wanted = years if years is not None else list(self.order)
        return {y: final[y].T for y in wanted}

    def _plans(self) -> dict[int, dict[str, Any]]:
        """Per year, the public rows grouped by how they are obtained, so each group is a few array operations."""
        if self._plan_cache is not None:
            return self._plan_cache
        plans = {}
        for y in self.order:
            refs = self.years[y].refs
            # The hour tariff is kept only for minute rows (an indexed minute tariff follows its hour tariff).
            hour_rows = {j: h for h, j in enumerate(j for j, r in enumerate(refs) if r.minute)}
            plan: dict[str, Any] = {"comp": [], "comp_minute": [], "const": [], "min": [], "chain": {}, "pgb": {},
                                    "hour_rows": hour_rows}
            for j, r in enumerate(refs):
                if r.kind == "comp":
                    plan["comp"].append((j, r.comp))
                    if r.minute:
                        plan["comp_minute"].append((hour_rows[j], r.comp))
                elif r.kind == "const":
                    plan["const"].append((j, r.value))
                elif r.kind == "min":
                    plan["min"].append((j, np.array(r.candidates), hour_rows.get(j)))
                elif r.kind == "pgb":
                    plan["pgb"].setdefault((r.base[0], r.decimals), []).append((j, r.base[1], r.rate))
                else:
                    source = "value" if r.base_comp == -2 else "comp" if r.base_comp >= 0 else "public"
                    key = (source, r.base[0] if source == "public" else 0, tuple(r.steps), r.minute, r.decimals)
                    src = r.value if source == "value" else r.base_comp if source == "comp" else r.base[1]
                    if source == "public" and r.minute:
                        src = plans[r.base[0]]["hour_rows"][r.base[1]]  # the base's hour tariff
                    plan["chain"].setdefault(key, []).append((j, src, hour_rows.get(j, -1)))
            plan["comp"] = _pairs(plan["comp"])
            plan["comp_minute"] = _pairs(plan["comp_minute"])
            plan["const"] = (np.array([j for j, _ in plan["const"]], dtype=int),
                             np.array([v for _, v in plan["const"]], dtype=float)[:, None])
            plan["chain"] = [(key, np.array([m[0] for m in members]), np.array([m[1] for m in members]),
                              np.array([m[2] for m in members])) for key, members in plan["chain"].items()]
            plan["pgb"] = [(key, np.array([j for j, _, _ in m]), np.array([b for _, b, _ in m]),
                            np.array([r for _, _, r in m])[:, None]) for key, m in plan["pgb"].items()]
            plans[y] = plan
        self._plan_cache = plans
        return plans

    def public_keys(self, year: int) -> list[tuple[str, str, bool, str, str]]:
        out = []
        for r in self.years[year].rows:
            if isinstance(r, TariffRow):
                out.append(tuple(r.key[:5]))  # the addendum is named by its provider here
            else:
                out.append((r.key, "lumpsum", False, "", ""))
        return out


def _pairs(pairs: list[tuple[int, Any]]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([j for j, _ in pairs], dtype=int), np.array([v for _, v in pairs])


def _public(plan: dict[str, Any], X: np.ndarray, comp_t: np.ndarray, comp_h: np.ndarray,
            final: dict[int, np.ndarray], hours: dict[int, np.ndarray], y: int, cols: slice) -> None:
    """Fill the public rows of one year for one chunk of parameter sets, group by group."""
    T = final[y][:, cols]
    H = hours[y][:, cols]
    js, idx = plan["comp"]
    if len(js):
        T[js] = comp_t[idx]
    js, idx = plan["comp_minute"]
    if len(js):
        H[js] = comp_h[idx]
    js, values = plan["const"]
    if len(js):
        T[js] = values
    n = X.shape[0]
    arange = np.arange(n)
    for j, cand, hj in plan["min"]:
        c = comp_t[cand]
        pick = np.argmin(c, axis=0)  # ties: the first CAO listed, as the exact path
        T[j] = c[pick, arange]
        if hj is not None:
            H[hj] = comp_h[cand][pick, arange]
    for (source, by, steps, minute, dec), js, src, hjs in plan["chain"]:
        if source == "value":
            v = np.repeat(src.astype(float)[:, None], n, axis=1)
        elif source == "comp":
            v = (comp_h if minute else comp_t)[src.astype(int)]
        else:
            v = (hours[by] if minute else final[by])[src.astype(int), cols]
        for col, fixed in steps:
            rate = X[:, col] if col is not None else fixed
            v = v * (1.0 + rate)
            _round_inplace(v, dec)
        if minute:
            H[hjs] = v
            v = v / 60.0
            _round_inplace(v, dec)
        T[js] = v
    for (by, dec), js, bases, rates in plan["pgb"]:
        v = final[by][bases, cols] * rates
        _round_inplace(v, dec)
        T[js] = v


def _round_rule_into(x: np.ndarray, rule: str, dec: int, out: np.ndarray, hour: np.ndarray, rows: np.ndarray) -> None:
    """Round a block in place by a tariff's rule; write the tariff (and the hour tariff of minute rows)."""
    if rule == "cents":
        _round_inplace(x, dec)
        out[rows] = x
        return
    if rule == "from_hour":
        _round_inplace(x, dec)
        hour[rows] = x
        x /= 60.0
        _round_inplace(x, dec)
        out[rows] = x
        return
    if rule == "direct":
        hour[rows] = round_half_up(x, dec)
        x /= 60.0
        _round_inplace(x, dec)
        out[rows] = x
        return
    if rule == "hour_multiple_of_60_cents":
        x /= 0.6
        _round_inplace(x, 0)
        hour[rows] = x * 0.6
        x /= 100.0
        out[rows] = x
        return
    raise ValueError(f"afrondingsregel {rule!r} bestaat niet")


def _round_inplace(x: np.ndarray, dec: int) -> None:
    """ROUND(x, dec) half away from zero for positive amounts, in place (see round_half_up)."""
    scale = 10.0 ** dec
    x *= scale * (1.0 + EPS)
    x += 0.5
    np.floor(x, out=x)
    x /= scale


def build(region: Region, years: list[int], lumps: dict[int, list[Any]] | None = None,
          books: dict[int, Any] | None = None) -> Model:
    """A model of the book of each year (and the lump sums), for the region as given (a scenario applied)."""
    return Model(region, years, lumps=lumps, books=books)
