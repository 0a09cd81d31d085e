"""Sensitivity: a tornado per tariff and for the budget, and Monte Carlo with scipy.stats.

Both run on the vectorised path (:mod:`.vectorised`): every parameter set is one row of a
matrix X, and the whole book (and the budget) is evaluated for all rows at once.

Parameters and their ranges come from ``parameters/sensitivity.yaml``: each entry moves one
or more parameter paths together (the others in proportion to the first, so members with
different base values keep their ratio), over ``low``..``high`` (tornado) and, for Monte Carlo,
drawn from a ``scipy.stats`` distribution in the unit of the first path. Every other parameter
of the model gets the file's default relative range in the tornado and stays at its value in
Monte Carlo. Draws outside a parameter's allowed range are clipped to it (and counted).

Monte Carlo is reproducible: one ``numpy.random.Generator`` seeded by the user draws the
parameters in the file's order, so the same seed gives identical percentiles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from tariefmodel.data.money import excel_round
from tariefmodel.data.problems import InputError, Problem
from tariefmodel.data.region import Region
from tariefmodel.loader.inputs import SENSITIVITY
from tariefmodel.scenarios.paramspace import INF, match_paths, param_info
from tariefmodel.scenarios.vectorised import Model

OPEN_MARGIN = 1e-9  # a value must stay below 1 where the engine divides by 1 - value


@dataclass
class SensParam:
    key: str
    label: str
    cols: list[int]
    ratios: np.ndarray  # each member's base value / the first member's base value
    central: float
    low: float
    high: float
    allowed: tuple[float, float]
    distribution: Any = None
    source: str = ""
    assumption: bool = False
    listed: bool = True  # from sensitivity.yaml (else: a default range)

    def values(self, lead: np.ndarray) -> np.ndarray:
        """The member columns for values of the first path (N,) -> (N, members)."""
        return np.asarray(lead, dtype=float)[:, None] * self.ratios[None, :]


def _allowed(region: Region, path: str) -> tuple[float, float]:
    info = param_info(region, path)
    hi = float("inf") if info.high == INF else float(info.high) - (OPEN_MARGIN if info.open_high else 0.0)
    return float(info.low), hi


def parameters(model: Model, region: Region, sens: Any | None, *, defaults: bool = True) -> list[SensParam]:
    """The tornado / Monte Carlo parameters of a model: the file's entries, then every other column."""
    space = model.space
    used: set[int] = set()
    out: list[SensParam] = []
    problems: list[Problem] = []
    for i, p in enumerate(sens.parameters if sens is not None else []):
        paths: list[str] = []
        for pattern in p.paths:
            matched = match_paths(region, pattern) or [pattern]
            paths.extend(x for x in matched if x in space.index)
        if not paths:
            continue  # none of its paths is in this model (e.g. an index year not priced)
        cols = [space.index[x] for x in paths]
        central = space.central[cols[0]]
        ratios = np.array([space.central[c] / central if central else 1.0 for c in cols])
        if p.relative is not None:
            low, high = central * (1 - float(p.relative)), central * (1 + float(p.relative))
        else:
            low, high = float(p.low), float(p.high)
        lo, hi = _allowed(region, paths[0])
        where = f"parameters.{i} ({p.key})"
        if low < lo or high > hi:
            problems.append(Problem(SENSITIVITY, where, f"bereik {low:g}..{high:g} ligt buiten de waarden die "
                                    f"{paths[0]} kan aannemen ({lo:g}..{hi:g})"))
            continue
        for path, r in zip(paths[1:], ratios[1:], strict=True):
            mlo, mhi = _allowed(region, path)
            if low * r < mlo or high * r > mhi:
                problems.append(Problem(SENSITIVITY, where, f"moving {path} in proportion takes it outside "
                                        f"{mlo:g}..{mhi:g}"))
        used.update(cols)
        out.append(SensParam(p.key, p.label, cols, ratios, central, low, high, (lo, hi), p.distribution, p.source,
                             p.assumption))
    if problems:
        raise InputError(problems)
    if defaults:
        rel = float(sens.default_relative_range) if sens is not None else 0.1
        for c, name in enumerate(space.names):
            if c in used:
                continue
            central = space.central[c]
            lo, hi = _allowed(region, name)
            low, high = max(lo, central * (1 - rel)), min(hi, central * (1 + rel))
            out.append(SensParam(name, param_info(region, name).label, [c], np.array([1.0]), central, low, high,
                                 (lo, hi), None, f"standaardbereik +/-{rel * 100:g}%", False, listed=False))
    return out


# --------------------------------------------------------------------------- targets


@dataclass
class Target:
    """What a tornado or Monte Carlo run reports: one tariff, or the budget (weights per year)."""

    label: str
    year: int | None = None
    row: int | None = None
    weights: dict[int, np.ndarray] = field(default_factory=dict)

    def value(self, out: dict[int, np.ndarray]) -> np.ndarray:
        if self.row is not None:
            return out[self.year][:, self.row]
        return sum((out[y] @ w for y, w in self.weights.items()), np.zeros(next(iter(out.values())).shape[0]))


def budget_weights(model: Model, budgets: list[Any]) -> dict[int, np.ndarray]:
    """Units per public row of each year (p*q lines), and 1 for each lump-sum row: budget = sum(T @ w)."""
    weights: dict[int, np.ndarray] = {}
    for yb in budgets:
        w = np.zeros(len(model.years[yb.year].refs))
        for ln in yb.lines:
            for row, units in ln.weights:
                w[row] += float(units)
        for row in model.lump_rows.get(yb.year, []):
            w[row] += 1.0
        weights[yb.year] = w
    return weights


# --------------------------------------------------------------------------- tornado


@dataclass(frozen=True)
class TornadoBar:
    key: str
    label: str
    low: float
    high: float
    at_low: float
    at_high: float
    base: float
    source: str

    @property
    def swing(self) -> float:
        return abs(self.at_high - self.at_low)


def tornado(model: Model, params: list[SensParam], targets: list[Target]) -> list[list[TornadoBar]]:
    """Each parameter at its low and its high value, all others at base: one sorted bar list per target."""
    P = len(params)
    X = model.space.matrix(1 + 2 * P)
    for i, p in enumerate(params):
        X[1 + 2 * i, p.cols] = p.values(np.array([p.low]))[0]
        X[2 + 2 * i, p.cols] = p.values(np.array([p.high]))[0]
    out = model.evaluate(X)
    result = []
    for t in targets:
        v = t.value(out)
        bars = [TornadoBar(p.key, p.label, p.low, p.high, float(v[1 + 2 * i]), float(v[2 + 2 * i]), float(v[0]),
                           p.source) for i, p in enumerate(params)]
        result.append(sorted(bars, key=lambda b: (-b.swing, b.key)))
    return result


# --------------------------------------------------------------------------- Monte Carlo


@dataclass
class MonteCarlo:
    draws: int
    seed: int
    params: list[SensParam]
    clipped: dict[str, int]
    out: dict[int, np.ndarray]  # year -> N x R rounded tariffs
    X: np.ndarray

    def percentiles(self, values: np.ndarray, qs: tuple[float, ...] = (5, 50, 95)) -> np.ndarray:
        return np.percentile(values, qs, axis=0)


def sample(model: Model, params: list[SensParam], n: int, seed: int) -> tuple[np.ndarray, dict[str, int]]:
    """N parameter sets: every parameter with a distribution drawn (in order, one seeded generator)."""
    import scipy.stats

    rng = np.random.default_rng(seed)
    X = model.space.matrix(n)
    clipped: dict[str, int] = {}
    for p in params:
        if p.distribution is None:
            continue
        frozen = getattr(scipy.stats, p.distribution.name)(**{k: float(v) for k, v in p.distribution.params.items()})
        lead = frozen.rvs(size=n, random_state=rng)
        lo, hi = p.allowed
        outside = int(np.count_nonzero((lead < lo) | (lead > hi)))
        if outside:
            clipped[p.key] = outside
            lead = np.clip(lead, lo, hi)
        X[:, p.cols] = p.values(lead)
    return X, clipped


def monte_carlo(model: Model, params: list[SensParam], n: int, seed: int) -> MonteCarlo:
    X, clipped = sample(model, params, n, seed)
    return MonteCarlo(n, seed, [p for p in params if p.distribution is not None], clipped, model.evaluate(X), X)


def as_decimal(x: float) -> Decimal:
    """A float result as a Decimal of whole cents, for display next to exact amounts."""
    return excel_round(Decimal(repr(x)), 2)
