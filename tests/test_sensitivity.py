"""Tornado, Monte Carlo and goal seek on the bundled region."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import numpy as np
import pytest
from click.testing import CliRunner
from scenario_helpers import bundled_copy

from tariefmodel.cli.main import main
from tariefmodel.data.params import param_index, replace_at
from tariefmodel.data.problems import InputError
from tariefmodel.engine.pricing import Pricer
from tariefmodel.loader.load import load_region
from tariefmodel.scenarios.api import Workspace
from tariefmodel.scenarios.goalseek import NoSolution, goal_seek
from tariefmodel.scenarios.inputs import load_sensitivity
from tariefmodel.scenarios.overrides import rewrite_dated
from tariefmodel.scenarios.sensitivity import Target, monte_carlo, parameters, tornado

D = Decimal


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return Workspace()


@pytest.fixture(scope="module")
def setup(ws):
    model, target = ws.model("basis", [2025])
    params = parameters(model, ws.region, load_sensitivity(ws.region, check_distributions=True))
    return model, target, params


def _row(model, year, code, variant, micro=False):
    return next(i for i, k in enumerate(model.public_keys(year)) if k[:4] == (code, variant, micro, ""))


# --------------------------------------------------------------------------- tornado


def test_tornado_budget(ws, setup) -> None:
    model, target, params = setup
    bars = tornado(model, params, [target])[0]
    assert len(bars) == len(params) >= 40  # every parameter of the model: listed ones and the rest by default
    assert [b.swing for b in bars] == sorted((b.swing for b in bars), reverse=True)
    exact = ws.budget("basis", 2025).total
    assert abs(D(repr(bars[0].base)) - exact) < D("0.005")
    oh = next(b for b in bars if b.key == "overhead")
    assert (oh.low, oh.high) == (0.15, 0.25)
    assert oh.at_low < oh.base < oh.at_high  # more overhead costs more


def test_tornado_tariff_matches_the_exact_path(ws, setup) -> None:
    model, _, params = setup
    row = _row(model, 2025, "45A48", "jeugdzorg")
    bars = {b.key: b for b in tornado(model, params, [Target("45A48", year=2025, row=row)])[0]}
    b = bars["overhead"]
    assert b.base == 75.34
    # at overhead 25% (micro 20%, moved in proportion: 0.15 x 0.25 / 0.20 = 0.1875) on the exact path
    region = ws.region
    params_ = param_index(region.cost_model)
    cm = replace_at(region.cost_model, "overhead.rate", rewrite_dated(params_["overhead.rate"], None,
                                                                         lambda _v: D("0.25"), {}))
    t = Pricer(dataclasses.replace(region, cost_model=cm), 2025).price(region.product("45A48"), "jeugdzorg")
    assert D(repr(b.at_high)) == t.tariff_eur
    # a parameter this product does not use has no bar width
    assert bars["huisvesting-wonen"].swing == 0


def test_range_outside_allowed_values_is_an_error(tmp_path) -> None:
    root = bundled_copy(tmp_path)
    path = root / "parameters" / "sensitivity.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    low: 0.01\n    high: 0.06\n",
                                                             "    low: 0.01\n    high: 1.2\n"), encoding="utf-8")
    ws = Workspace(region=load_region(root, use_cache=False))
    model, _ = ws.model("basis", [2025], budget=False)
    with pytest.raises(InputError, match=r"bereik 0.01..1.2 ligt buiten") as exc:
        parameters(model, ws.region, ws.sensitivity_file)
    assert exc.value.problems[0].where == "parameters.1 (no-show)"


def test_bad_distribution_exits_2(tmp_path) -> None:
    root = bundled_copy(tmp_path)
    path = root / "parameters" / "sensitivity.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{name: uniform, params: {loc: 0.01, scale: 0.05}}",
                                                             "{name: normaal, params: {loc: 0.01}}"), encoding="utf-8")
    result = CliRunner().invoke(main, ["sensitivity", "montecarlo", "--draws", "20", "--data", str(root)])
    assert result.exit_code == 2
    assert "[parameters.1 (no-show).distribution.name]" in result.output
    assert "geen continue verdeling van scipy.stats" in result.output


# --------------------------------------------------------------------------- Monte Carlo


def test_monte_carlo_is_reproducible(setup) -> None:
    model, target, params = setup
    a = monte_carlo(model, params, 500, seed=7)
    b = monte_carlo(model, params, 500, seed=7)
    c = monte_carlo(model, params, 500, seed=8)
    assert np.array_equal(a.X, b.X) and np.array_equal(a.out[2025], b.out[2025])
    assert np.array_equal(np.percentile(a.out[2025], [5, 50, 95], axis=0), np.percentile(b.out[2025], [5, 50, 95], axis=0))
    assert np.array_equal(target.value(a.out), target.value(b.out))
    assert not np.array_equal(a.X, c.X)


def test_monte_carlo_draws_follow_the_distributions(setup) -> None:
    model, _, params = setup
    mc = monte_carlo(model, params, 4000, seed=1)
    col = model.space.index["overhead.rate"]
    draws = mc.X[:, col]
    assert draws.min() >= 0.15 and draws.max() <= 0.25  # triangular 0.15..0.25
    assert abs(np.median(draws) - 0.20) < 0.005
    micro = mc.X[:, model.space.index["overhead.rate_micro"]]
    assert np.allclose(micro, draws * 0.75)  # moved in proportion: 0.15 / 0.20
    fixed = model.space.index["hours_per_dagdeel"]
    assert (mc.X[:, fixed] == 4).all()  # no distribution: stays at its value
    # every tariff is a whole number of cents, draw by draw
    out = mc.out[2025]
    assert np.abs(out * 100 - np.rint(out * 100)).max() < 1e-6


def test_monte_carlo_clips_to_the_allowed_range(setup) -> None:
    model, _, params = setup
    wide = [dataclasses.replace(p, distribution=type(p.distribution)(name="norm", params={"loc": D("0.03"),
                                                                                          "scale": D("0.5")}))
            if p.key == "no-show" else p for p in params if p.distribution is not None]
    mc = monte_carlo(model, wide, 1000, seed=3)
    assert mc.clipped["no-show"] > 300
    col = model.space.index["no_show.rate"]
    assert mc.X[:, col].min() >= 0 and mc.X[:, col].max() < 1


def test_monte_carlo_command_is_byte_identical(tmp_path) -> None:
    runner = CliRunner()
    outs = []
    for run in ("a", "b"):
        path = tmp_path / f"mc_{run}.csv"
        result = runner.invoke(main, ["sensitivity", "montecarlo", "--draws", "300", "--seed", "11", "--out", str(path)])
        assert result.exit_code == 0, result.output
        outs.append(path.read_bytes())
    assert outs[0] == outs[1]
    assert b"BEGROTING" in outs[0]


# --------------------------------------------------------------------------- goal seek


def _with_value(region, path: str, value: Decimal):
    new = rewrite_dated(param_index(region.cost_model)[path], None, lambda _v: value, {})
    return dataclasses.replace(region, cost_model=replace_at(region.cost_model, path, new))


@pytest.mark.parametrize(("path", "value"), [("overhead.rate", "0.23"),
                                             ("productivity_norms.ambulant.breakdown.indirect.value", "0.13"),
                                             ("employer_charges.items.pensioen.rate", "0.14")])
def test_goal_seek_round_trip(ws, path, value) -> None:
    region = ws.region
    bp = region.product("45A48")
    target = Pricer(_with_value(region, path, D(value)), 2025).price(bp, "jeugdzorg").tariff_eur
    res = goal_seek(region, 2025, "45A48", "jeugdzorg", target, path)
    assert res.tariff == target
    assert abs(res.unrounded - target) < D("1e-9")
    # priced again from scratch with the value found: the same tariff
    assert Pricer(_with_value(region, path, res.value), 2025).price(bp, "jeugdzorg").tariff_eur == target
    assert abs(res.value - D(value)) < D("0.002")  # within the flat stretch of one cent


def test_goal_seek_productivity_and_group_size(ws) -> None:
    res = goal_seek(ws.region, 2025, "45A48", "jeugdzorg", D("80.00"), "productiviteit")
    assert res.tariff == D("80.00")
    assert D("0.60") < res.value < res.base_value < D("0.66")  # a higher tariff implies a lower productivity
    res2 = goal_seek(ws.region, 2025, "45A60", "jeugdzorg", D("40.00"), "groepsgrootte")
    t = Pricer(ws.region, 2025).price(ws.region.product("45A60"), "jeugdzorg", group_size=res2.value)
    assert t.tariff_eur == D("40.00") and res2.value > 6  # a larger group: a lower tariff per client


def test_goal_seek_minute_and_basistarief(ws) -> None:
    res = goal_seek(ws.region, 2025, "54002", "ggz", D("2.00"), "cao.ggz.salary_factor")
    assert res.tariff == D("2.00")  # the minute tariff; its hour tariff is 120.00
    res = goal_seek(ws.region, 2025, "45A48", "basistarief", D("70.00"), "overhead.rate")
    assert res.tariff == D("70.00")


def test_goal_seek_without_solution(ws) -> None:
    with pytest.raises(NoSolution, match=r"geen oplossing: binnen het toegestane bereik .* € 500,00 ligt daarbuiten"):
        goal_seek(ws.region, 2025, "45A48", "jeugdzorg", D("500"), "overhead.rate")
    result = CliRunner().invoke(main, ["goalseek", "45A48", "--variant", "jeugdzorg", "--target", "500",
                                       "--parameter", "overhead.rate"])
    assert result.exit_code == 1
    assert "geen oplossing" in result.output and "€ 62,78 tot € 125,56" in result.output


def test_goal_seek_bad_input_exits_2() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["goalseek", "45A48", "--variant", "jeugdzorg", "--target", "80",
                                  "--parameter", "overhead.rat"])
    assert result.exit_code == 2 and "bedoelde u overhead.rate" in result.output
    result = runner.invoke(main, ["goalseek", "45A48", "--variant", "vvt", "--target", "80", "--parameter",
                                  "overhead.rate"])
    assert result.exit_code == 2 and "heeft geen variant 'vvt'" in result.output
    result = runner.invoke(main, ["goalseek", "45A48", "--variant", "jeugdzorg", "--target", "tachtig",
                                  "--parameter", "overhead.rate"])
    assert result.exit_code == 2 and "geen getal" in result.output


def test_goal_seek_command(ws) -> None:
    result = CliRunner().invoke(main, ["goalseek", "45A48", "--variant", "jeugdzorg", "--target", "80,00",
                                       "--parameter", "productiviteit"])
    assert result.exit_code == 0, result.output
    assert "DOEL € 80,00: productiviteit = 0,61159" in result.output
    assert "basis:     0,65152023 -> tarief € 75,34" in result.output


def test_goal_seek_productivity_as_a_scenario(tmp_path) -> None:
    from scenario_helpers import scenario

    from tariefmodel.scenarios.overrides import apply, load_scenario

    root = bundled_copy(tmp_path)
    region = load_region(root, use_cache=False)
    res = goal_seek(region, 2025, "45A48", "jeugdzorg", D("80.00"), "productiviteit")
    scenario(root, "geclaimd", f"""
      - productivity: ambulant
        fraction: {res.value}
    """)
    r = apply(region, load_scenario(region, "geclaimd"))
    assert Pricer(r, 2025).price(r.product("45A48"), "jeugdzorg").tariff_eur == D("80.00")
