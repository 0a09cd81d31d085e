"""The vectorised path equals the exact Decimal path to the cent: every bundled tariff, and random parameters.

No timing assertions here: speed is measured in scripts/bench.py.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tariefmodel.data.params import param_index, replace_at
from tariefmodel.engine.book import price_book
from tariefmodel.loader.load import load_region
from tariefmodel.scenarios.api import Workspace
from tariefmodel.scenarios.overrides import raise_cao, rewrite_dated
from tariefmodel.scenarios.vectorised import Model, round_half_up

YEARS = (2024, 2025, 2026, 2027)


@pytest.fixture(scope="module")
def region():
    from tariefmodel.data.bundled import bundled_region

    return load_region(bundled_region())


@pytest.fixture(scope="module")
def model(region) -> Model:
    return Model(region, list(YEARS))


def cents(values) -> np.ndarray:
    return np.rint(np.asarray(values, dtype=float) * 100).astype(np.int64)


@pytest.mark.parametrize("year", YEARS)
def test_every_bundled_tariff_at_central_values(region, model, year) -> None:
    book = price_book(region, year)
    out = model.evaluate(model.space.matrix(2))[year]
    exact = np.array([t.eurocent for t in book.tariffs], dtype=np.int64)
    assert out.shape == (2, len(book.tariffs))
    got = cents(out[0])
    bad = [(book.tariffs[i].product.product.code, book.tariffs[i].variant, book.tariffs[i].micro, exact[i], got[i])
           for i in np.nonzero(got != exact)[0]]
    assert not bad, bad
    assert (cents(out[1]) == exact).all()
    # and the values are the cents themselves, not just close to them
    assert np.abs(out[0] * 100 - exact).max() < 1e-6


def test_every_kind_of_row_is_covered(region) -> None:
    kinds = {(type(t).__name__, t.kind) for y in YEARS for t in price_book(region, y).tariffs}
    assert {("Tariff", "cao"), ("Tariff", "basistarief"), ("Tariff", "addendum"), ("DerivedTariff", "pgb"),
            ("DerivedTariff", "extern"), ("IndexedTariff", "cao"), ("IndexedTariff", "basistarief"),
            ("IndexedTariff", "addendum")} <= kinds


def test_budget_at_central_values_equals_the_exact_budget() -> None:
    ws = Workspace()
    years = [2025, 2026]
    model, target = ws.model("basis", years)
    vec = target.value(model.evaluate(model.space.matrix(1)))[0]
    exact = sum((ws.budget("basis", y).total for y in years), Decimal(0))
    assert abs(Decimal(repr(float(vec))) - exact) < Decimal("0.005")


def test_rounding_is_half_away_from_zero_at_exact_halves() -> None:
    # 0.125, 2.675, 1.005 are not exact in binary; Excel's ROUND gives 0.13, 2.68, 1.01
    assert list(round_half_up(np.array([0.125, 2.675, 1.005, 10.994999, 76.845]), 2)) == [0.13, 2.68, 1.01, 10.99,
                                                                                           76.85]


# --------------------------------------------------------------------------- random parameters

PATHS = {
    "overhead.rate": (0.05, 0.30),
    "overhead.rate_micro": (0.0, 0.05),  # as a share of the regular rate, so micro stays below regular
    "no_show.rate": (0.0, 0.10),
    "profit_risk_rate": (0.0, 0.05),
    "employer_charges.items.sociale-verzekeringen.rate": (0.15, 0.25),
    "productivity_norms.ambulant.breakdown.indirect.value": (0.0, 0.2),
    "client_costs.reiskosten-ambulant.amount": (0.0, 6.0),
}


def _exact_region(region, values: dict[str, float], salary: float):
    params = param_index(region.cost_model)
    cm = region.cost_model
    prov = {"source": "test", "rationale": "test"}
    for path, x in values.items():
        new = rewrite_dated(params[path], None, lambda _v, x=x: Decimal(repr(x)), prov)
        cm = replace_at(cm, path, new)
    caos = dict(region.caos)
    caos["jeugdzorg"] = raise_cao(caos["jeugdzorg"], Decimal(repr(salary)) - 1, None, False, "test")
    import dataclasses

    return dataclasses.replace(region, cost_model=cm, caos=caos)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_parameters_agree_to_the_cent(region, data) -> None:
    values = {}
    for path, (lo, hi) in PATHS.items():
        values[path] = data.draw(st.floats(lo, hi, allow_nan=False), label=path)
    values["overhead.rate_micro"] = values["overhead.rate"] * (1 - values["overhead.rate_micro"])
    salary = data.draw(st.floats(0.9, 1.1), label="salary factor jeugdzorg")
    exact_region = _exact_region(region, values, salary)
    book = price_book(exact_region, 2025)
    # The vectorised model of the base region, evaluated at these values.
    model = Model(region, [2025])
    x = model.space.vector()
    for path, v in values.items():
        x[model.space.index[path]] = v
    x[model.space.index["cao.jeugdzorg.salary_factor"]] = salary
    got = cents(model.evaluate(x[None, :])[2025][0])
    exact = np.array([t.eurocent for t in book.tariffs], dtype=np.int64)
    assert (got == exact).all(), [(book.tariffs[i].product.product.code, book.tariffs[i].variant, exact[i], got[i])
                                  for i in np.nonzero(got != exact)[0]]
