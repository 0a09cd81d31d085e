"""Arrangements (support profile x intensity) and the 70/30 payment schedule [002:265, 002:433, 002:471-489]."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from scenario_helpers import bundled_copy

from tariefmodel.cli.main import main
from tariefmodel.data.money import excel_round
from tariefmodel.data.problems import InputError
from tariefmodel.loader.load import load_region
from tariefmodel.scenarios.api import Workspace
from tariefmodel.scenarios.arrangements import expected_payment, instalments, payment

D = Decimal
SCHEDULE = SimpleNamespace(start_share=D("0.70"), completion_share=D("0.30"), completion_paid_on=["afgerond"],
                           completion_withheld_on=["uitval", "verhuizing", "overlijden"])


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return Workspace()


def test_seventy_thirty_by_hand() -> None:
    # 1000.01 x 70% = 700.007 -> 700.01 at the start; the rest, 300.00, after completion
    assert instalments(D("1000.01"), SCHEDULE) == (D("700.01"), D("300.00"))
    assert instalments(D("2806.95"), SCHEDULE) == (D("1964.87"), D("842.08"))  # 1964.865 -> 1964.87
    assert payment(D("1000.01"), SCHEDULE, "afgerond") == D("1000.01")
    for outcome in ("uitval", "verhuizing", "overlijden"):  # the last part is withheld [002:487]
        assert payment(D("1000.01"), SCHEDULE, outcome) == D("700.01")
    with pytest.raises(ValueError, match="uitkomst 'ziek' bestaat niet"):
        payment(D(1000), SCHEDULE, "ziek")
    # at the 30% dropout the split is based on: 700 + 300 x 0.7 = 910 per 1000
    assert expected_payment(D(1000), SCHEDULE, D("0.30")) == D(910)


@settings(max_examples=30, deadline=None)
@given(st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2))
def test_instalments_add_up(tariff) -> None:
    start, completion = instalments(tariff, SCHEDULE)
    assert start + completion == tariff
    assert start == excel_round(tariff * D("0.70"), 2)
    assert abs(completion - tariff * D("0.30")) <= D("0.005")


def test_bundled_arrangements(ws) -> None:
    prices = ws.arrangements("basis", 2025)
    jeugd = [p for p in prices if p.group == "jeugd"]
    wmo = [p for p in prices if p.group == "wmo"]
    assert len(jeugd) == 44 and len(wmo) == 15  # 11 x 4 and 5 x 3 [002:632-654]
    by = {p.code: p for p in prices}
    p = by["jeugd-1-perspectief"]
    assert p.form == "trajectory" and p.hours == 32
    assert p.tariff == excel_round(p.hour_price.unrounded * 32, 2)  # one rounding, of the whole tariff
    assert (p.start_payment, p.completion_payment) == instalments(p.tariff, ws.arrangement_file.payment_schedule)
    # durable youth care and all Wmo arrangements are monthly tariffs, without instalments [002:471]
    assert by["jeugd-1-duurzaam"].form == "monthly" and by["jeugd-1-duurzaam"].start_payment is None
    assert all(w.form == "monthly" for w in wmo)
    # higher intensity, higher tariff [002:471]
    for profile in {p.profile for p in jeugd}:
        assert by[f"jeugd-{profile}-perspectief"].tariff < by[f"jeugd-{profile}-intensief"].tariff
    # the hour price is the engine's: the staffing mix under the group's CAO with overhead, no-show, profit
    hp = p.hour_price
    assert hp.cao == "jeugdzorg" and hp.no_show_rate == D("0.03") and hp.overhead_rate == D("0.20")


def test_arrangements_under_a_scenario(ws) -> None:
    base = {p.code: p.tariff for p in ws.arrangements("basis", 2025)}
    high = {p.code: p.tariff for p in ws.arrangements("overhead-25", 2025)}
    assert all(high[k] > base[k] for k in base)


def test_arrangements_command(tmp_path) -> None:
    out = tmp_path / "arr.csv"
    result = CliRunner().invoke(main, ["arrangements", "--outcome", "uitval", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].endswith("paid_if_uitval_eur")
    row = next(ln for ln in text.splitlines() if ln.startswith("jeugd-1-perspectief,"))
    assert row.endswith(",1964.87")  # only the 70% part is paid on dropout
    result = CliRunner().invoke(main, ["arrangements", "--outcome", "ziek"])
    assert result.exit_code == 2 and "onbekende uitkomst 'ziek'" in result.output


def test_incomplete_matrix_exits_2(tmp_path) -> None:
    root = bundled_copy(tmp_path)
    path = root / "parameters" / "arrangements.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("hours: {duurzaam: 6, perspectief: 32, intensief: 64, acuut: 24}",
                        "hours: {duurzaam: 6, perspectief: 32, intensief: 64}", 1)
    path.write_text(text, encoding="utf-8")
    # The arrangements file is part of the data folder: loading the region refuses it too.
    with pytest.raises(InputError, match="geen uren voor intensiteit acuut"):
        load_region(root, use_cache=False)
    result = CliRunner().invoke(main, ["arrangements", "--data", str(root)])
    assert result.exit_code == 2
    assert "[groups.0 (jeugd).profiles.0 (1).hours]" in result.output and "geen uren voor intensiteit acuut" in result.output
