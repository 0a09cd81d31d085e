"""Scenarios: overrides applied to a copy of the region, their precedence, and bad scenario files.

Hand-computed values use the mini region (tests/test_handcomputed.py has the full arithmetic):
UUR01 alfa = ((C_mbo + C_hbo) / 2 x 1.1 + 2.00) x 1.1 / 0.95 x 1.02 = 64.6023541520 -> 64.60 at 10% overhead.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from click.testing import CliRunner
from scenario_helpers import MINI, bundled_copy, mini_budget_region, scenario

from tariefmodel.cli.main import main
from tariefmodel.data.money import excel_round
from tariefmodel.data.problems import InputError
from tariefmodel.engine.book import price_book
from tariefmodel.loader.load import load_region
from tariefmodel.scenarios.overrides import BASE, apply, load_scenario, volume_factor

D = Decimal


def tariffs(region, year: int = 2025) -> dict[tuple, Decimal]:
    return {(t.product.product.code, t.variant, t.micro, t.provider, t.version): t.tariff_eur
            for t in price_book(region, year).tariffs}


@pytest.fixture
def mini(tmp_path):
    root = mini_budget_region(tmp_path)
    return root, load_region(root, use_cache=False)


@pytest.fixture(scope="module")
def bundled():
    from tariefmodel.data.bundled import bundled_region

    return load_region(bundled_region())


# --------------------------------------------------------------------------- values by hand


def test_overhead_override_by_hand(mini) -> None:
    root, region = mini
    scenario(root, "oh", """
      - param: overhead.rate
        value: 0.20
    """)
    r = apply(region, load_scenario(region, "oh"))
    # UUR01 alfa: 64.6023541520 / 1.1 x 1.2 = 70.4753 -> 70.48; the base region keeps 10%: 64.60
    assert tariffs(r)[("UUR01", "alfa", False, "", "")] == D("70.48")
    assert tariffs(region)[("UUR01", "alfa", False, "", "")] == D("64.60")
    assert region.cost_model.overhead.rate.values[0].value == D("0.10")  # the base is never changed


def test_factor_and_delta(mini) -> None:
    root, region = mini
    scenario(root, "f", """
      - param: overhead.rate
        factor: 2
      - param: profit_risk_rate
        delta: 0.01
    """)
    r = apply(region, load_scenario(region, "f"))
    cm = r.cost_model
    assert cm.overhead.rate.values[0].value == D("0.20")  # 0.10 x 2
    assert cm.profit_risk_rate.values[0].value == D("0.03")  # 0.02 + 0.01
    # DAG01 alfa: unrounded 38.3393217778 at 10%/2%; / 1.1 / 1.02 = 34.1705185185 (direct cost);
    # x 1.2 x 1.03 = 42.2347608889 -> 42.23
    expected = excel_round(D("38.33932177777777777777777778") / D("1.1") / D("1.02") * D("1.2") * D("1.03"), 2)
    assert tariffs(r)[("DAG01", "alfa", False, "", "")] == expected == D("42.23")


def test_cao_raise_by_hand(mini) -> None:
    root, region = mini
    scenario(root, "raise", """
      - cao_raise: alfa
        rate: 0.10
    """)
    r = apply(region, load_scenario(region, "raise"))
    # alfa mbo +10%: M 3300; G 39600; holiday max(3168, 3000) = 3168; year-end 3168; L = 45936;
    # social 9187.20; pension 10% x 35936 = 3593.60; A = 58716.80; C = 58716.80 / 1350 = 43.4939259259
    # DAG01 alfa: 43.4939259259 x 4 / 5 = 34.7951407407 + 2.50 = 37.2951407407; x 1.1 x 1.02 = 41.8451479 -> 41.85
    t = next(t for t in price_book(r, 2025).tariffs if t.product.product.code == "DAG01" and t.variant == "alfa"
             and not t.micro)
    assert t.staff[0].cost.cost_per_productive_hour == D("58716.80") / D(1350)
    assert t.tariff_eur == D("41.85")


def test_cao_raise_from_a_date_adds_a_table(mini) -> None:
    root, region = mini
    scenario(root, "later", """
      - cao_raise: beta
        rate: 0.05
        from: 2025-06-01
    """)
    r = apply(region, load_scenario(region, "later"))
    # The 2025 tariffs read the tables of 1 January 2025: unchanged. 2026 reads the raised copy.
    assert tariffs(r, 2025) == tariffs(region, 2025)
    assert tariffs(r, 2026)[("DAG01", "beta", False, "", "")] > tariffs(region, 2026)[("DAG01", "beta", False, "", "")]
    series = [t for t in r.caos["beta"].tables if t.kind == "series"]
    assert [str(t.effective) for t in sorted(series, key=lambda t: t.effective)] == ["2024-01-01", "2025-06-01"]
    new = max(series, key=lambda t: t.effective)
    assert new.cells[10] == D("2940.00")  # 2800 x 1.05


def test_product_override_and_validation_with_the_engines_model(mini) -> None:
    root, region = mini
    scenario(root, "g", """
      - product: DAG01
        group_size: 4
    """)
    r = apply(region, load_scenario(region, "g"))
    # DAG01 beta: C 36.9480533333 x 4 / 4 = 36.9480533333 + 2.50 = 39.4480533333; x 1.1 x 1.02 = 44.2607 -> 44.26
    assert tariffs(r)[("DAG01", "beta", False, "", "")] == D("44.26")


def test_productivity_override(bundled) -> None:
    s = load_scenario(bundled, "productiviteit-ambulant-60")
    r = apply(bundled, s)
    t = next(t for t in price_book(r, 2025).tariffs if t.product.product.code == "45A48" and t.variant == "jeugdzorg")
    assert t.staff[0].cost.productive_hours == D(1878) * D("0.60")  # 1126.8 hours
    assert t.staff[0].cost.productivity == D("0.60")


def test_index_override(bundled) -> None:
    r = apply(bundled, load_scenario(bundled, "index-2026-3"))
    base25 = tariffs(bundled, 2025)[("45A48", "jeugdzorg", False, "", "")]
    assert base25 == D("75.34")
    # 2026 is indexed from 2025: ROUND(75.34 x 1.03) = ROUND(77.6002) = 77.60 (base: 2% -> 76.85)
    assert tariffs(r, 2026)[("45A48", "jeugdzorg", False, "", "")] == D("77.60")
    assert tariffs(bundled, 2026)[("45A48", "jeugdzorg", False, "", "")] == D("76.85")
    assert tariffs(r, 2025) == tariffs(bundled, 2025)  # a first contract year is not indexed


def test_every_bundled_scenario_loads_and_prices(bundled) -> None:
    from tariefmodel.scenarios.overrides import scenario_names

    names = scenario_names(bundled.root)
    assert len(names) >= 6
    for name in names:
        r = apply(bundled, load_scenario(bundled, name))
        assert len(tariffs(r)) == len(tariffs(bundled))


# --------------------------------------------------------------------------- precedence


def test_product_beats_contract_whatever_the_order(bundled, tmp_path) -> None:
    s = load_scenario(bundled, "kleinere-groepen-dagbesteding")
    r = apply(bundled, s)
    sizes = {bp.product.code: bp.product.group_size for bp in r.products if bp.contract == "dagbesteding-jeugd"}
    assert sizes == {"45A60": 5, "45A61": 7, "41A00": 5, "42A01": 6}
    # The same overrides with the product lines first give the same result.
    root = bundled_copy(tmp_path)
    scenario(root, "omgekeerd", """
      - product: "45A61"
        group_size: 7
      - product: "42A01"
        group_size: 6
      - contract: dagbesteding-jeugd
        group_size: 5
    """)
    region = load_region(root, use_cache=False)
    r2 = apply(region, load_scenario(region, "omgekeerd"))
    assert {bp.product.code: bp.product.group_size for bp in r2.products if bp.contract == "dagbesteding-jeugd"} == sizes


def test_addendum_keeps_its_own_group_size(bundled) -> None:
    r = apply(bundled, load_scenario(bundled, "kleinere-groepen-dagbesteding"))
    add = [t for t in price_book(r, 2025).tariffs if t.kind == "addendum" and t.product.product.code == "45A60"]
    assert add and all(t.group_size == 4 for t in add)  # the approved addendum (group 4) still decides


def test_child_beats_parent(mini) -> None:
    root, region = mini
    scenario(root, "ouder", """
      - param: overhead.rate
        value: 0.30
      - param: no_show.rate
        value: 0.10
    """)
    scenario(root, "kind", """
      - param: overhead.rate
        value: 0.20
    """, extends="ouder")
    s = load_scenario(region, "kind")
    assert s.chain == ("ouder", "kind")
    cm = apply(region, s).cost_model
    assert cm.overhead.rate.values[0].value == D("0.20")  # the child's value
    assert cm.no_show.rate.values[0].value == D("0.10")  # the parent's, not overridden
    assert "scenario kind" in cm.overhead.rate.values[0].source  # provenance names the scenario


def test_kostenstijging_extends_cao_raise(bundled) -> None:
    s = load_scenario(bundled, "kostenstijging")
    r = apply(bundled, s)
    assert s.chain == ("cao-jeugdzorg-plus3", "kostenstijging")
    assert r.cost_model.overhead.rate.values[0].value == D("0.22")
    raised = apply(bundled, load_scenario(bundled, "cao-jeugdzorg-plus3"))
    assert tariffs(r)[("45A48", "jeugdzorg", False, "", "")] > tariffs(raised)[("45A48", "jeugdzorg", False, "", "")]


def test_param_from_a_date_splits_the_value(mini) -> None:
    root, region = mini
    scenario(root, "vanaf", """
      - param: overhead.rate
        value: 0.15
        from: 2026-01-01
    """)
    r = apply(region, load_scenario(region, "vanaf"))
    values = [(str(v.valid_from), str(v.valid_until), v.value) for v in r.cost_model.overhead.rate.values]
    assert values == [("2024-01-01", "2025-12-31", D("0.10")), ("2026-01-01", "None", D("0.15"))]
    assert tariffs(r, 2025) == tariffs(region, 2025)
    assert tariffs(r, 2026) != tariffs(region, 2026)


def test_volume_factors_stack(mini) -> None:
    root, region = mini
    scenario(root, "vol", """
      - volume_factor: 1.1
      - volume_factor: 1.2
        municipalities: [b]
    """)
    s = load_scenario(region, "vol")
    assert volume_factor(s, "UUR01", "ambulant", "a", 2025) == D("1.1")
    assert volume_factor(s, "UUR01", "ambulant", "b", 2025) == D("1.32")  # 1.1 x 1.2
    assert volume_factor(load_scenario(region, BASE), "UUR01", "ambulant", "b", 2025) == 1


def test_apply_returns_a_new_region(bundled) -> None:
    before = dataclasses.replace(bundled)
    apply(bundled, load_scenario(bundled, "kostenstijging"))
    assert bundled.cost_model == before.cost_model
    assert bundled.caos["jeugdzorg"].tables == before.caos["jeugdzorg"].tables
    assert bundled.products == before.products


# --------------------------------------------------------------------------- bad scenario files


BAD = [
    ("unknown parameter", "  - param: overhead.rat\n    value: 0.2\n", "overrides.0.param", "bedoelde u overhead.rate"),
    ("geen fractie", "  - param: overhead.rate\n    value: 1.5\n", "overrides.0.value", "geen fractie"),
    ("two ways", "  - param: overhead.rate\n    value: 0.2\n    factor: 2\n", "overrides.0", "precies één van"),
    ("no kind", "  - rate: 0.2\n", "overrides.0", "precies één van param"),
    ("unknown product", '  - product: "99X99"\n    group_size: 4\n', "overrides.0.product", "onbekend product"),
    ("bad staffing", "  - product: UUR01\n    staffing: {mbo: 0.5}\n", "overrides.0", "tellen op tot 0.5"),
    ("unknown profile", "  - product: UUR01\n    staffing: "
                        "{xyz: 1}\n", "overrides.0.staffing", "functieprofiel 'xyz' bestaat niet"),
    ("unknown cao", "  - cao_raise: gamma\n    rate: 0.03\n", "overrides.0.cao_raise", "CAO 'gamma' bestaat niet"),
    ("percent not fraction", "  - cao_raise: alfa\n    rate: 3\n", "overrides.0.rate", "geen percentage als fractie"),
    ("typo key", "  - param: overhead.rate\n    valeu: 0.2\n", "overrides.0.valeu", "onbekende sleutel"),
    ("twice", "  - param: overhead.rate\n    value: 0.2\n  - param: overhead.rate\n    value: 0.3\n",
     "overrides.1", "al gezet in overrides.0"),
    ("divide by zero", "  - param: no_show.rate\n    value: 1\n", "overrides.0", "moet onder 1 liggen"),
    ("unknown norm", "  - productivity: zzz\n    fraction: "
                     "0.6\n", "overrides.0.productivity", "productiviteitsnorm 'zzz' bestaat niet"),
    ("no indexation", "  - index_rate: 0.03\n    years: [2026]\n", "overrides.0.index_rate", "geen parameters/indexation"),
]


@pytest.mark.parametrize(("case", "body", "key", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_scenario_exits_2_naming_the_key(tmp_path, case, body, key, message) -> None:
    root = tmp_path / "region"
    import shutil

    shutil.copytree(MINI, root)
    scenario(root, "slecht", body)
    result = CliRunner().invoke(main, ["scenario", "run", "slecht", "--data", str(root)])
    assert result.exit_code == 2, result.output
    err = result.stderr if hasattr(result, "stderr") else result.output
    line = next(ln for ln in err.splitlines() if "scenarios/slecht.yaml" in ln)
    assert f"[{key}" in line and message in line, err
    assert ":" in line.split(" ")[1]  # file:line


def test_bad_top_level(tmp_path) -> None:
    import shutil

    root = tmp_path / "region"
    shutil.copytree(MINI, root)
    (root / "scenarios").mkdir()
    (root / "scenarios" / "x.yaml").write_text("lable: x\ndescription: y\nprovenance: {source: abc, rationale: abc}\n")
    result = CliRunner().invoke(main, ["scenario", "run", "x", "--data", str(root)])
    assert result.exit_code == 2
    assert "[lable]" in result.output and "onbekende sleutel" in result.output
    assert "[label]" in result.output and "verplichte sleutel ontbreekt" in result.output


def test_extends_unknown_and_circular(mini) -> None:
    root, region = mini
    scenario(root, "a", "  - param: overhead.rate\n    value: 0.2\n", extends="b")
    scenario(root, "b", "  - param: overhead.rate\n    value: 0.3\n", extends="a")
    scenario(root, "c", "  - param: overhead.rate\n    value: 0.3\n", extends="bestaat-niet")
    with pytest.raises(InputError, match="kring"):
        load_scenario(region, "a")
    with pytest.raises(InputError, match="scenario 'bestaat-niet' bestaat niet") as exc:
        load_scenario(region, "c")
    assert exc.value.problems[0].file == "scenarios/c.yaml" and exc.value.problems[0].where == "extends"


def test_unknown_scenario_exit_2(mini) -> None:
    root, _ = mini
    result = CliRunner().invoke(main, ["scenario", "run", "bestaat-niet", "--data", str(root)])
    assert result.exit_code == 2
    assert "scenario 'bestaat-niet' bestaat niet" in result.output


def test_problems_in_a_parent_name_the_parent_file(mini) -> None:
    root, region = mini
    scenario(root, "ouder", "  - param: overhead.rate\n    value: 2\n")
    scenario(root, "kind", "  - param: no_show.rate\n    value: 0.1\n", extends="ouder")
    with pytest.raises(InputError) as exc:
        load_scenario(region, "kind")
    assert exc.value.problems[0].file == "scenarios/ouder.yaml"
