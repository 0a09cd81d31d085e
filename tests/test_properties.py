"""Properties of the build-up (hypothesis): monotonicity, composition, rounding.

The region-level properties vary one parameter of the mini region at a time by building modified
objects (pydantic ``model_copy``, ``dataclasses.replace``) and price every product under both CAOs.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tariefmodel.data.cao import Cao
from tariefmodel.data.money import excel_round
from tariefmodel.data.region import Region
from tariefmodel.engine import buildup as b
from tariefmodel.engine.pricing import Pricer

D = Decimal
CENT = D("0.01")
HALF_CENT = D("0.005")
YEAR = 2025

FAST = settings(max_examples=50, deadline=None)


def dec(lo: str, hi: str, places: int = 4) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=D(lo), max_value=D(hi), places=places, allow_nan=False, allow_infinity=False)


def ordered_pair(strategy: st.SearchStrategy[Decimal]) -> st.SearchStrategy[tuple[Decimal, Decimal]]:
    return st.tuples(strategy, strategy).map(lambda p: (min(p), max(p)))


# --------------------------------------------------------------- helpers on the mini region


def with_value(param, value):
    """A copy of a dated parameter whose (single) value is replaced."""
    assert len(param.values) == 1
    return param.model_copy(update={"values": [param.values[0].model_copy(update={"value": value})]})


def with_cost_model(region: Region, **changes) -> Region:
    return dataclasses.replace(region, cost_model=region.cost_model.model_copy(update=changes))


def with_overhead_rate(region: Region, rate: Decimal) -> Region:
    oh = region.cost_model.overhead
    return with_cost_model(region, overhead=oh.model_copy(update={"rate": with_value(oh.rate, rate)}))


def with_no_show_rate(region: Region, rate: Decimal) -> Region:
    ns = region.cost_model.no_show
    return with_cost_model(region, no_show=ns.model_copy(update={"rate": with_value(ns.rate, rate)}))


def with_productivity(region: Region, fraction: Decimal) -> Region:
    norms = dict(region.cost_model.productivity_norms)
    norm = norms["standaard"]
    norms["standaard"] = norm.model_copy(update={"fraction": with_value(norm.fraction, fraction)})
    return with_cost_model(region, productivity_norms=norms)


def with_holiday_hours(region: Region, hours: Decimal) -> Region:
    norms = dict(region.cost_model.productivity_norms)
    norm = norms["ambulant"]
    items = dict(norm.breakdown)
    items["vakantie"] = items["vakantie"].model_copy(update={"value": with_value(items["vakantie"].value, hours)})
    norms["ambulant"] = norm.model_copy(update={"breakdown": items})
    return with_cost_model(region, productivity_norms=norms)


def with_salaries_scaled(region: Region, factor: Decimal) -> Region:
    caos = {}
    for key, cao in region.caos.items():
        tables = tuple(
            t if t.kind == "scale_map" else dataclasses.replace(t, cells={k: v * factor for k, v in t.cells.items()})
            for t in cao.tables)
        caos[key] = Cao(cao.meta, tables, cao.function_map, cao.dir)
    return dataclasses.replace(region, caos=caos)


def with_product(region: Region, code: str, **changes) -> Region:
    products = tuple(
        dataclasses.replace(bp, product=bp.product.model_copy(update=changes)) if bp.product.code == code else bp
        for bp in region.products)
    return dataclasses.replace(region, products=products)


def tariffs(region: Region, **price_kw) -> dict[tuple[str, str], Decimal]:
    pricer = Pricer(region, YEAR)
    return {(bp.product.code, cao): pricer.price(bp, cao, **price_kw).tariff_eur
            for bp in region.products for cao in bp.product.caos}


def unrounded(region: Region, code: str, cao: str, **price_kw) -> Decimal:
    return Pricer(region, YEAR).price(region.product(code), cao, **price_kw).unrounded


def weakly_below(a: dict, b_: dict) -> bool:
    return a.keys() == b_.keys() and all(a[k] <= b_[k] for k in a)


# --------------------------------------------------------------- monotonicity on the region


@FAST
@given(ordered_pair(dec("0", "0.6")))
def test_tariff_rises_with_overhead_rate(mini_region, rates) -> None:
    lo, hi = rates
    assert weakly_below(tariffs(with_overhead_rate(mini_region, lo)), tariffs(with_overhead_rate(mini_region, hi)))
    if lo < hi:  # strictly in the unrounded price
        assert unrounded(with_overhead_rate(mini_region, lo), "UUR01", "alfa") < unrounded(
            with_overhead_rate(mini_region, hi), "UUR01", "alfa")


@FAST
@given(ordered_pair(dec("0.5", "3", 3)))
def test_tariff_rises_with_salary(mini_region, factors) -> None:
    lo, hi = factors
    assert weakly_below(tariffs(with_salaries_scaled(mini_region, lo)),
                        tariffs(with_salaries_scaled(mini_region, hi)))
    if lo < hi:
        for cao in ("alfa", "beta"):
            assert unrounded(with_salaries_scaled(mini_region, lo), "ETM01", cao) < unrounded(
                with_salaries_scaled(mini_region, hi), "ETM01", cao)


@FAST
@given(ordered_pair(dec("0", "0.5")))
def test_tariff_rises_with_no_show_rate(mini_region, rates) -> None:
    lo, hi = rates
    low, high = tariffs(with_no_show_rate(mini_region, lo)), tariffs(with_no_show_rate(mini_region, hi))
    assert weakly_below(low, high)
    if lo < hi:
        assert unrounded(with_no_show_rate(mini_region, lo), "UUR01", "beta") < unrounded(
            with_no_show_rate(mini_region, hi), "UUR01", "beta")
    # products without no-show do not move at all
    for key in low:
        if key[0] in ("DAG01", "ETM01"):
            assert low[key] == high[key]


@FAST
@given(ordered_pair(dec("0", "0.5")))
def test_tariff_rises_with_irregular_hours_rate(mini_region, rates) -> None:
    lo, hi = rates
    low = tariffs(with_product(mini_region, "ETM01", irregular_hours_rate=lo))
    high = tariffs(with_product(mini_region, "ETM01", irregular_hours_rate=hi))
    assert weakly_below(low, high)
    assert all(low[k] == high[k] for k in low if k[0] != "ETM01")
    if lo < hi:
        assert unrounded(with_product(mini_region, "ETM01", irregular_hours_rate=lo), "ETM01", "beta") < unrounded(
            with_product(mini_region, "ETM01", irregular_hours_rate=hi), "ETM01", "beta")


@FAST
@given(ordered_pair(dec("0.2", "1", 3)))
def test_tariff_falls_with_productivity(mini_region, fractions) -> None:
    lo, hi = fractions
    assert weakly_below(tariffs(with_productivity(mini_region, hi)), tariffs(with_productivity(mini_region, lo)))
    if lo < hi:
        assert unrounded(with_productivity(mini_region, hi), "DAG01", "beta") < unrounded(
            with_productivity(mini_region, lo), "DAG01", "beta")


@FAST
@given(ordered_pair(dec("0", "600", 1)))
def test_tariff_rises_with_non_productive_hours(mini_region, hours) -> None:
    lo, hi = hours
    assert weakly_below(tariffs(with_holiday_hours(mini_region, lo)), tariffs(with_holiday_hours(mini_region, hi)))
    if lo < hi:
        assert unrounded(with_holiday_hours(mini_region, lo), "MIN01", "alfa") < unrounded(
            with_holiday_hours(mini_region, hi), "MIN01", "alfa")


@FAST
@given(ordered_pair(dec("0.5", "20", 2)))
def test_tariff_falls_with_group_size(mini_region, sizes) -> None:
    small, large = sizes
    for code in ("DAG01", "ETM01"):
        for cao in ("alfa", "beta"):
            at_small = unrounded(mini_region, code, cao, group_size=small)
            at_large = unrounded(mini_region, code, cao, group_size=large)
            assert at_large <= at_small
    assert weakly_below(tariffs(with_product(mini_region, "DAG01", group_size=large)),
                        tariffs(with_product(mini_region, "DAG01", group_size=small)))


@FAST
@given(st.integers(min_value=0, max_value=100))
def test_staffing_mix_between_cheapest_and_dearest_profile(mini_region, pct) -> None:
    share = D(pct) / 100
    region = with_product(mini_region, "UUR01", staffing={"mbo": share, "hbo": 1 - share})
    for cao in ("alfa", "beta"):
        t = Pricer(region, YEAR).price(region.product("UUR01"), cao)
        costs = [s.cost.cost_per_productive_hour for s in t.staff]
        assert min(costs) <= t.cost_per_staff_hour <= max(costs)


@FAST
@given(ordered_pair(st.integers(min_value=0, max_value=100)))
def test_more_hbo_is_dearer(mini_region, pcts) -> None:
    lo, hi = pcts  # hbo share: hbo is the dearer profile in both CAOs
    def at(pct: int) -> dict:
        s = D(pct) / 100
        return tariffs(with_product(mini_region, "UUR01", staffing={"mbo": 1 - s, "hbo": s}))
    assert weakly_below(at(lo), at(hi))


# --------------------------------------------------------------- pure functions


shares_strategy = st.lists(st.integers(min_value=0, max_value=100), min_size=0, max_size=4).map(
    lambda cuts: [D(b_ - a) / 100 for a, b_ in zip([0, *sorted(cuts)], [*sorted(cuts), 100], strict=True)])


@FAST
@given(shares_strategy.flatmap(
    lambda shares: st.tuples(st.just(shares), st.lists(dec("0", "500"), min_size=len(shares), max_size=len(shares)))))
def test_staffing_mix_pure_between_min_and_max(shares_costs) -> None:
    shares, costs = shares_costs
    assert sum(shares) == 1
    mix = b.staffing_mix(zip(costs, shares, strict=True))
    assert min(costs) <= mix <= max(costs)


@FAST
@given(dec("0", "1000"), ordered_pair(dec("0", "0.9")))
def test_overhead_monotone_and_share_dearer_than_markup(direct, rates) -> None:
    lo, hi = rates
    for conv in ("markup", "share"):
        assert b.with_overhead(direct, lo, conv) <= b.with_overhead(direct, hi, conv)
    assert b.with_overhead(direct, hi, "markup") <= b.with_overhead(direct, hi, "share")


@FAST
@given(dec("0", "1000"), dec("0", "0.5"), dec("0", "0.5"), dec("0", "0.1"))
def test_markups_compose_in_any_order(x, o, n, r) -> None:
    # mark-ups are multiplications: the order of overhead, no-show (markup) and profit does not matter
    a = b.with_profit_risk(b.with_no_show(b.with_overhead(x, o, "markup"), n, "markup"), r)
    c = b.with_overhead(b.with_profit_risk(b.with_no_show(x, n, "markup"), r), o, "markup")
    assert a == c
    assert a == x * (1 + o) * (1 + n) * (1 + r)


@FAST
@given(dec("0", "500"), dec("0.1", "24", 2), dec("0.1", "24", 2), dec("0.5", "12", 1))
def test_direct_staff_cost_adds_over_hours(c, h1, h2, g) -> None:
    whole = b.direct_staff_cost(c, h1 + h2, g)
    parts = b.direct_staff_cost(c, h1, g) + b.direct_staff_cost(c, h2, g)
    assert abs(whole - parts) < D("1e-20")


@FAST
@given(dec("1000", "100000", 2), dec("0", "0.5"), dec("0", "30000", 0))
def test_charge_never_negative_and_below_plain_rate(wage, rate, franchise) -> None:
    with_franchise = b.charge(wage, rate, franchise)
    assert 0 <= with_franchise <= b.charge(wage, rate, None)


@FAST
@given(dec("-10000", "10000", 6))
def test_excel_round_within_half_a_cent(x) -> None:
    r = excel_round(x, 2)
    assert abs(r - x) <= HALF_CENT
    assert r == r.quantize(CENT)


@FAST
@given(st.integers(min_value=-1_000_000, max_value=1_000_000))
def test_excel_round_ties_go_away_from_zero(cents) -> None:
    # x = cents/100 + half a cent (with the sign of x): exactly between two cents
    base = D(cents) / 100
    tie = base + HALF_CENT if cents >= 0 else base - HALF_CENT
    expected = base + CENT if cents >= 0 else base - CENT
    assert excel_round(tie, 2) == expected
    assert abs(excel_round(tie, 2)) > abs(tie)


@FAST
@given(ordered_pair(dec("-1000", "1000", 6)))
def test_rounding_is_monotone(pair) -> None:
    lo, hi = pair
    assert b.round_tariff(lo, 2) <= b.round_tariff(hi, 2)


@FAST
@given(dec("0", "500", 8))
def test_minute_tariff_from_hour_formula(h) -> None:
    hour, minute = b.minute_tariff(h, "from_hour", 2)
    assert hour == excel_round(h, 2)
    assert minute == excel_round(excel_round(h, 2) / 60, 2)


@FAST
@given(dec("0", "500", 8))
def test_minute_tariff_methods_agree_within_a_cent(h) -> None:
    _, from_hour = b.minute_tariff(h, "from_hour", 2)
    _, direct = b.minute_tariff(h, "direct", 2)
    hour60, minute60 = b.minute_tariff(h, "hour_multiple_of_60_cents", 2)
    assert abs(from_hour - direct) <= CENT
    # the 60-cent hour is within 30 cents of the unrounded hour and its minute price is whole cents
    assert abs(hour60 - h) <= D("0.30")
    assert minute60 == minute60.quantize(CENT)
    assert minute60 * 60 == hour60
