"""buildup.py: every pure step of the cost build-up, each with a case computed by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tariefmodel.engine import buildup as b

D = Decimal


# --------------------------------------------------------------- per function profile


def test_weighted_monthly_salary() -> None:
    # one step: 3000.00 x 1 = 3000.00
    assert b.weighted_monthly_salary([(D("3000.00"), D(1))]) == D("3000.00")
    # 0.5 x 4000 + 0.5 x 4500 = 2000 + 2250 = 4250
    assert b.weighted_monthly_salary([(D(4000), D("0.5")), (D(4500), D("0.5"))]) == D(4250)
    # 0.25 x 2720.32 + 0.50 x 3305.12 + 0.25 x 3887.75 = 680.08 + 1652.56 + 971.9375 = 3304.5775
    steps = [(D("2720.32"), D("0.25")), (D("3305.12"), D("0.50")), (D("3887.75"), D("0.25"))]
    assert b.weighted_monthly_salary(steps) == D("3304.5775")
    assert b.weighted_monthly_salary([]) == 0


def test_annual_salary() -> None:
    # 12 x 3000 = 36000; 12 x 3304.5775 = 39654.93
    assert b.annual_salary(D(3000)) == D(36000)
    assert b.annual_salary(D("3304.5775")) == D("39654.9300")


def test_holiday_allowance_minimum_binding() -> None:
    # 8% x 36000 = 2880 < minimum 250 x 12 = 3000 -> the minimum 3000
    assert b.holiday_allowance(D(36000), D("0.08"), D(3000)) == D(3000)


def test_holiday_allowance_minimum_not_binding() -> None:
    # 8% x 42000 = 3360 > 3000 -> 3360
    assert b.holiday_allowance(D(42000), D("0.08"), D(3000)) == D(3360)
    # no minimum (0): 8% x 51000 = 4080
    assert b.holiday_allowance(D(51000), D("0.08"), D(0)) == D(4080)


def test_year_end_bonus_on_salary() -> None:
    # 8% x 36000 = 2880 (the holiday allowance 3000 is not part of the base)
    assert b.year_end_bonus(D(36000), D(3000), D("0.08"), False, D(0)) == D(2880)


def test_year_end_bonus_on_salary_plus_holiday() -> None:
    # 8% x (36000 + 3000) = 8% x 39000 = 3120
    assert b.year_end_bonus(D(36000), D(3000), D("0.08"), True, D(0)) == D(3120)
    # 8.3% x (39654.93 + 3172.3944) = 0.083 x 42827.3244 = 3554.6679252
    assert b.year_end_bonus(D("39654.93"), D("3172.3944"), D("0.083"), True, D(0)) == D("3554.6679252")


def test_year_end_bonus_minimum() -> None:
    # 8.33% x 30000 = 2499 < minimum 2604.43 -> 2604.43
    assert b.year_end_bonus(D(30000), D(2400), D("0.0833"), False, D("2604.43")) == D("2604.43")
    # 8.33% x 36000 = 2998.80 > 2604.43 -> 2998.80
    assert b.year_end_bonus(D(36000), D(2880), D("0.0833"), False, D("2604.43")) == D("2998.80")


def test_wage_cost() -> None:
    # L = 36000 + 3000 + 2880 + 360 + 3600 = 45840
    assert b.wage_cost(D(36000), D(3000), D(2880), D(360), D(3600)) == D(45840)


def test_charge_on_wage() -> None:
    # 20% x 41880 = 8376
    assert b.charge(D(41880), D("0.20"), None) == D(8376)


def test_charge_above_franchise() -> None:
    # 10% x (41880 - 10000) = 10% x 31880 = 3188
    assert b.charge(D(41880), D("0.10"), D(10000)) == D(3188)
    # 12.9% x (46381.9923 - 15816) = 0.129 x 30565.9923 = 3943.0129...
    assert b.charge(D("46381.9923"), D("0.129"), D(15816)) == D("3943.0130067")


def test_charge_below_franchise_is_zero() -> None:
    # 9000 < franchise 10000: max(9000 - 10000, 0) x 10% = 0, never negative
    assert b.charge(D(9000), D("0.10"), D(10000)) == 0
    # exactly at the franchise: 0
    assert b.charge(D(10000), D("0.10"), D(10000)) == 0


def test_productive_hours_from_fraction() -> None:
    # 1800 x 0.75 = 1350
    assert b.productive_hours_from_fraction(D(1800), D("0.75")) == D(1350)


def test_productive_hours_from_breakdown() -> None:
    # 1800 - 150 (hours) - 5% x 1800 (= 90) - 10% x 1800 (= 180) = 1800 - 420 = 1380
    hours, deductions = b.productive_hours_from_breakdown(
        D(1800), [("hours", D(150)), ("share", D("0.05")), ("share", D("0.10"))])
    assert hours == D(1380)
    assert deductions == [D(150), D(90), D(180)]
    # bundled 'ambulant' norm: 1878 - 144 - 43.2 - 0.0775 x 1878 - 40 - 0.05 x 1878 - 0.10 x 1878
    #   = 1878 - 144 - 43.2 - 145.545 - 40 - 93.9 - 187.8 = 1223.555
    hours, _ = b.productive_hours_from_breakdown(D(1878), [
        ("hours", D(144)), ("hours", D("43.2")), ("share", D("0.0775")), ("hours", D(40)),
        ("share", D("0.05")), ("share", D("0.10"))])
    assert hours == D("1223.555")


def test_cost_per_productive_hour() -> None:
    # 54000 / 1350 = 40 exactly
    assert b.cost_per_productive_hour(D(54000), D(1350)) == D(40)
    # 53444 / 1350 = 39.588148148... (not rounded: the engine keeps full precision)
    c = b.cost_per_productive_hour(D(53444), D(1350))
    assert c == D(53444) / D(1350)
    assert D("39.5881481481") < c < D("39.5881481482")


# --------------------------------------------------------------- per product


def test_staffing_mix() -> None:
    # 0.6 x 40 + 0.4 x 50 = 24 + 20 = 44
    assert b.staffing_mix([(D(40), D("0.6")), (D(50), D("0.4"))]) == D(44)
    # one profile: 1 x 47.25 = 47.25
    assert b.staffing_mix([(D("47.25"), D(1))]) == D("47.25")


def test_direct_staff_cost() -> None:
    # dagdeel: 40 x 4 h / group of 5 = 32
    assert b.direct_staff_cost(D(40), D(4), D(5)) == D(32)
    # etmaal: 40 x 24 h / group of 4 = 240
    assert b.direct_staff_cost(D(40), D(24), D(4)) == D(240)
    # hour, individual: 40 x 1 / 1 = 40
    assert b.direct_staff_cost(D(40), D(1), D(1)) == D(40)


def test_client_cost_per_unit_kinds() -> None:
    kw = {"direct_staff": D(32), "staff_hours_per_unit": D(4), "group_size": D(5), "units_per_place_year": None}
    # per_unit: the amount itself
    assert b.client_cost_per_unit("per_unit", D("2.50"), **kw) == D("2.50")
    # per_staff_hour: 2.00 x 4 h / 5 clients = 1.60
    assert b.client_cost_per_unit("per_staff_hour", D("2.00"), **kw) == D("1.60")
    # staff_time_uplift: 10% of the direct staff cost 32 = 3.2
    assert b.client_cost_per_unit("staff_time_uplift", D("0.10"), **kw) == D("3.2")
    # per_place_year: 36500 / 365 = 100
    kw["units_per_place_year"] = D(365)
    assert b.client_cost_per_unit("per_place_year", D(36500), **kw) == D(100)
    with pytest.raises(ValueError, match=r"soort cliëntgebonden kosten .* bestaat niet"):
        b.client_cost_per_unit("per_week", D(1), **kw)


def test_overhead_markup() -> None:
    # (D + K) x (1 + o) = 100 x 1.10 = 110
    assert b.with_overhead(D(100), D("0.10"), "markup") == D(110)


def test_overhead_share() -> None:
    # (D + K) / (1 - o) = 90 / 0.90 = 100: overhead is 10% of the integral cost price 100
    assert b.with_overhead(D(90), D("0.10"), "share") == D(100)
    # 100 / 0.9 = 111.111...: dearer than the mark-up 110
    assert b.with_overhead(D(100), D("0.10"), "share") == D(100) / D("0.9")
    assert b.with_overhead(D(100), D("0.10"), "share") > b.with_overhead(D(100), D("0.10"), "markup")
    with pytest.raises(ValueError, match=r"overheadconventie .* bestaat niet"):
        b.with_overhead(D(100), D("0.10"), "opslag")


def test_no_show_divide() -> None:
    # 95 / (1 - 0.05) = 95 / 0.95 = 100
    assert b.with_no_show(D(95), D("0.05"), "divide") == D(100)


def test_no_show_markup() -> None:
    # 100 x (1 + 0.05) = 105
    assert b.with_no_show(D(100), D("0.05"), "markup") == D(105)
    with pytest.raises(ValueError, match=r"no-showconventie .* bestaat niet"):
        b.with_no_show(D(100), D("0.05"), "plus")


def test_no_show_zero_rate_changes_nothing() -> None:
    assert b.with_no_show(D("73.7367"), D(0), "divide") == D("73.7367")
    assert b.with_no_show(D("73.7367"), D(0), "markup") == D("73.7367")


def test_profit_risk() -> None:
    # 100 x 1.02 = 102; 73.7367 x 1.02 = 75.211434
    assert b.with_profit_risk(D(100), D("0.02")) == D(102)
    assert b.with_profit_risk(D("73.7367"), D("0.02")) == D("75.211434")


@pytest.mark.parametrize(
    ("unrounded", "expected"),
    [
        ("10.005", "10.01"),  # ties at half a cent go up (away from zero)
        ("10.015", "10.02"),
        ("10.025", "10.03"),  # half-even would give 10.02
        ("10.0049999", "10.00"),
        ("75.2114", "75.21"),
        ("402.0450133", "402.05"),
    ],
)
def test_round_tariff(unrounded: str, expected: str) -> None:
    assert b.round_tariff(D(unrounded), 2) == D(expected)


def test_round_tariff_other_decimals() -> None:
    assert b.round_tariff(D("12.5"), 0) == D(13)
    assert b.round_tariff(D("1.23455"), 4) == D("1.2346")


def test_minute_tariff_from_hour() -> None:
    # hour 75.2114 -> ROUND(75.2114; 2) = 75.21; minute = ROUND(75.21 / 60; 2) = ROUND(1.2535; 2) = 1.25
    assert b.minute_tariff(D("75.2114"), "from_hour", 2) == (D("75.21"), D("1.25"))


def test_minute_tariff_from_hour_and_direct_differ() -> None:
    # unrounded hour 75.2951:
    #   from_hour: ROUND(75.2951; 2) = 75.30; 75.30 / 60 = 1.255 (a tie) -> 1.26
    #   direct:    75.2951 / 60 = 1.25491833... -> 1.25
    assert b.minute_tariff(D("75.2951"), "from_hour", 2) == (D("75.30"), D("1.26"))
    assert b.minute_tariff(D("75.2951"), "direct", 2) == (D("75.30"), D("1.25"))


def test_minute_tariff_direct_same_as_from_hour_usually() -> None:
    # 75.2114 / 60 = 1.25352... -> 1.25, same as from_hour
    assert b.minute_tariff(D("75.2114"), "direct", 2) == (D("75.21"), D("1.25"))


def test_minute_tariff_hour_multiple_of_60_cents() -> None:
    # 75.2114 / 0.60 = 125.352 -> 125 x 0.60 = 75.00; minute 75.00 / 60 = 1.25 exactly
    hour, minute = b.minute_tariff(D("75.2114"), "hour_multiple_of_60_cents", 2)
    assert (hour, minute) == (D("75.00"), D("1.25"))
    # 75.30 / 0.60 = 125.5 (tie) -> 126 x 0.60 = 75.60; minute 1.26
    assert b.minute_tariff(D("75.30"), "hour_multiple_of_60_cents", 2) == (D("75.60"), D("1.26"))
    # 64.9647 / 0.60 = 108.27 -> 108 x 0.60 = 64.80; minute 1.08 (from_hour would give 64.96 and 1.08)
    hour, minute = b.minute_tariff(D("64.9647"), "hour_multiple_of_60_cents", 2)
    assert (hour, minute) == (D("64.80"), D("1.08"))
    # the minute tariff is always a whole number of cents
    assert minute == minute.quantize(D("0.01"))


def test_minute_tariff_unknown_method() -> None:
    with pytest.raises(ValueError, match=r"methode voor minuuttarieven .* bestaat niet"):
        b.minute_tariff(D(60), "per_second", 2)
