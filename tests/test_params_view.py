"""The one parameter view (data/params.py): the value of a dated parameter valid on a day, with its source."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import MINI, REPO, edit
from hypothesis import given, settings
from hypothesis import strategies as st

from tariefmodel.data.params import MissingValue, ParameterView, param_index, params, replace_at, valid_entry
from tariefmodel.data.records import Record
from tariefmodel.engine.book import price_book
from tariefmodel.loader.load import load_region

D = Decimal
COST = "parameters/cost_model.yaml"


def entry(start: dt.date, value: object, source: str, until: dt.date | None = None) -> Record:
    return Record("Dated", {"source": source, "source_date": None, "rationale": "test", "decided_by": None,
                            "decided_on": None, "status": "draft", "assumption": False, "valid_from": start,
                            "valid_until": until, "value": value})


def param(*entries: Record) -> Record:
    return Record("Param", {"description": None, "unit": None, "values": list(entries)})


def cost_model(rate: Record) -> Record:
    """A hand-made cost model: overhead.rate (dated) and profit_risk_rate (one entry from 2020)."""
    return Record("CostModelFile", {
        "overhead": Record("Overhead", {"rate": rate}),
        "profit_risk_rate": param(entry(dt.date(2020, 1, 1), D("0.03"), "winst")),
        "productivity_norms": {"ambulant": Record("ProductivityNorm", {
            "label": "Ambulant", "method": "fraction", "fraction": param(entry(dt.date(2020, 1, 1), D("0.7"), "norm")),
            "breakdown": {}})},
    })


# Two entries: 12% from 2024 (until the end of 2024), 14% from 2025 on; nothing before 2024.
CM = cost_model(param(entry(dt.date(2025, 1, 1), D("0.14"), "besluit 2025"),
                      entry(dt.date(2024, 1, 1), D("0.12"), "besluit 2024", until=dt.date(2024, 12, 31))))


@pytest.mark.parametrize(("day", "value", "source"), [
    (dt.date(2024, 1, 1), D("0.12"), "besluit 2024"),    # on the first entry's start
    (dt.date(2024, 12, 31), D("0.12"), "besluit 2024"),  # on its last day (until is inclusive)
    (dt.date(2025, 1, 1), D("0.14"), "besluit 2025"),    # on the switch
    (dt.date(2031, 6, 30), D("0.14"), "besluit 2025"),   # long after: the open-ended entry
])
def test_view_on_days_around_the_switch(day: dt.date, value: Decimal, source: str) -> None:
    use = params(CM, day).get("overhead.rate")
    assert (use.path, use.file, use.value, use.entry.source) == ("overhead.rate", COST, value, source)
    assert use.entry.valid_from <= day
    assert params(CM, day).value("profit_risk_rate") == D("0.03")


def test_no_value_valid_names_path_and_day_in_dutch() -> None:
    with pytest.raises(MissingValue) as exc:
        params(CM, dt.date(2023, 12, 31)).get("overhead.rate")
    assert str(exc.value) == "FOUT parameters/cost_model.yaml [overhead.rate]: geen waarde geldig op 31-12-2023"
    assert exc.value.problem.where == "overhead.rate"


def test_gap_between_entries() -> None:
    # 10% in 2024 only, 11% from 2026: 2025 has no value
    cm = cost_model(param(entry(dt.date(2024, 1, 1), D("0.10"), "a", until=dt.date(2024, 12, 31)),
                          entry(dt.date(2026, 1, 1), D("0.11"), "b")))
    with pytest.raises(MissingValue, match=r"\[overhead\.rate\]: geen waarde geldig op 01-01-2025"):
        params(cm, dt.date(2025, 1, 1)).get("overhead.rate")
    assert params(cm, dt.date(2026, 1, 1)).value("overhead.rate") == D("0.11")


def test_unknown_path_names_it_and_suggests() -> None:
    with pytest.raises(MissingValue) as exc:
        params(CM, dt.date(2025, 1, 1)).get("overhead.rat")
    assert exc.value.problem.where == "overhead.rat"
    assert str(exc.value) == ("FOUT parameters/cost_model.yaml [overhead.rat]: onbekende parameter (gevraagd voor "
                              "01-01-2025); bedoelde u overhead.rate?")
    with pytest.raises(MissingValue, match=r"\[zzz\]: onbekende parameter \(gevraagd voor 01-01-2025\)$"):
        params(CM, dt.date(2025, 1, 1)).get("zzz")
    # a block is no parameter
    with pytest.raises(MissingValue, match=r"\[overhead\]: onbekende parameter"):
        params(CM, dt.date(2025, 1, 1)).get("overhead")


def test_paths_in_file_order_and_uses() -> None:
    view = params(CM, dt.date(2025, 1, 1))
    assert view.paths() == ("overhead.rate", "profit_risk_rate", "productivity_norms.ambulant.fraction")
    assert [(u.path, u.value) for u in view.uses()] == [
        ("overhead.rate", D("0.14")), ("profit_risk_rate", D("0.03")),
        ("productivity_norms.ambulant.fraction", D("0.7"))]
    # before 2024 overhead.rate has no value: uses() leaves it out
    assert [u.path for u in params(CM, dt.date(2023, 1, 1)).uses()] == [
        "profit_risk_rate", "productivity_norms.ambulant.fraction"]


def test_view_cached_per_cost_model_and_day() -> None:
    a = params(CM, dt.date(2025, 1, 1))
    assert params(CM, dt.date(2025, 1, 1)) is a
    assert params(CM, dt.date(2025, 1, 2)) is not a
    # a changed cost model (a scenario) is another view, with its own values
    cm2 = replace_at(CM, "overhead.rate", param(entry(dt.date(2000, 1, 1), D("0.2"), "scenario")))
    assert params(cm2, dt.date(2025, 1, 1)).value("overhead.rate") == D("0.2")
    assert a.value("overhead.rate") == D("0.14")
    assert isinstance(a, ParameterView)


def test_view_of_the_mini_region_matches_the_priced_trail(mini_region) -> None:
    """Every parameter a tariff cites is the view's value on 1 January, with the same entry."""
    book = price_book(mini_region, 2025)
    view = params(mini_region.cost_model, dt.date(2025, 1, 1))
    cited = {u.path: u for t in book.tariffs for u in getattr(t, "parameters", ())}
    assert "overhead.rate" in cited and "rounding.tariff_decimals" in cited
    for path, use in cited.items():
        assert view.get(path) == use
    assert set(cited) <= set(view.paths())


def test_index_of_parsed_yaml_equals_the_records(mini_region) -> None:
    """The parameter workbook reads the raw YAML; it must see the same parameter paths as the engine."""
    from tariefmodel.data.yamlio import load_yaml

    raw = load_yaml(MINI / COST)
    assert list(param_index(raw)) == list(param_index(mini_region.cost_model))


# ----------------------------------------------------------------------------- the values[-1] bug


def test_indexed_year_rounds_with_the_decimals_valid_in_that_year(tmp_path: Path) -> None:
    """tariff_decimals: 2 until 2026, 1 from 2027, the 2027 entry listed first (the file's last entry is 2024's).

    UUR01 alfa, 2025 calibrated 64.60 (tests/test_indexation.py): 2026 vast-3: 64.60 x 1.03 = 66.538 -> 66.54
    (2 decimals); 2027 vng 2.77%: 66.54 x 1.0277 = 68.383158 -> 68.4 (1 decimal, the entry valid in 2027).
    The old code took the last entry (2 decimals) for every year and gave 68.38.
    """
    from test_indexation import FIX, configure

    root = tmp_path / "region"
    shutil.copytree(MINI, root)
    configure(root)
    assert (FIX / "indexation.yaml").is_file()
    edit(root / COST, "  tariff_decimals:\n    values:\n      - from: 2024-01-01\n",
         "  tariff_decimals:\n    values:\n      - from: 2027-01-01\n        value: 1\n"
         "        source: testdata afronding 2027\n        rationale: Tien centen.\n        status: adopted\n"
         "      - from: 2024-01-01\n        until: 2026-12-31\n")
    region = load_region(root, use_cache=False)

    def uur01(year: int):
        (t,) = [t for t in price_book(region, year).tariffs
                if t.product.product.code == "UUR01" and t.variant == "alfa" and not t.micro and not t.provider]
        return t

    assert uur01(2026).tariff_eur == D("66.54")
    t = uur01(2027)
    assert [(s.year, s.before, s.after) for s in t.steps] == [
        (2026, D("64.60"), D("66.54")), (2027, D("66.54"), D("68.4"))]
    assert t.tariff_eur == D("68.4")


# ----------------------------------------------------------------------------- property: the rule itself

DAYS = st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def dated_entries(draw) -> list[Record]:
    """Entries with distinct starts, each optionally ending on or after its start, in any order."""
    starts = draw(st.lists(DAYS, min_size=1, max_size=6, unique=True))
    out = []
    for i, start in enumerate(starts):
        until = draw(st.none() | st.integers(0, 900).map(lambda n, s=start: s + dt.timedelta(days=n)))
        out.append(entry(start, D(i), f"bron {i}", until))
    return out


def brute_force(entries: list[Record], day: dt.date) -> Record | None:
    valid = [e for e in entries if e.valid_from <= day and (e.valid_until is None or day <= e.valid_until)]
    return max(valid, key=lambda e: e.valid_from) if valid else None


@settings(max_examples=300, deadline=None)
@given(dated_entries(), DAYS)
def test_view_equals_brute_force(entries: list[Record], day: dt.date) -> None:
    cm = cost_model(param(*entries))
    expected = brute_force(entries, day)
    assert valid_entry(entries, day) is expected
    view = ParameterView(cm, day)
    if expected is None:
        with pytest.raises(MissingValue, match=re.escape(f"geen waarde geldig op {day:%d-%m-%Y}")):
            view.get("overhead.rate")
    else:
        use = view.get("overhead.rate")
        assert (use.value, use.entry) == (expected.value, expected)


# ----------------------------------------------------------------------------- one place


def test_old_resolvers_are_gone() -> None:
    """The parameter lookups that existed besides the view are deleted, not wrapped."""
    package = REPO / "tariefmodel"
    text = {p: p.read_text(encoding="utf-8") for p in package.rglob("*.py")}
    for name in ("resolve_year", "resolve_param", "cost_model_params", "set_path"):
        users = [p.relative_to(REPO).as_posix() for p, t in text.items() if re.search(rf"\b{name}\b", t)]
        assert users == [], f"{name} still in {users}"
    for rel in ("scenarios/paramspace.py", "outputs/workbooks/paramsource.py"):
        assert "def _walk(" not in text[package / rel], rel
    # "the last entry" is no lookup: no values[-1] anywhere in the package
    assert [p.name for p, t in text.items() if "values[-1]" in t] == []
    # one rule for "valid on a day": the comparison of from/until with a day lives in data/params.py
    rule = re.compile(r"valid_from\s*<=\s*\w+\s+and\s*\(\w*\.?valid_until is None")
    assert [p.relative_to(REPO).as_posix() for p, t in text.items() if rule.search(t)] == []


def test_movable_hours_bounded_by_the_contract_hours_valid_in_the_default_year(tmp_path: Path) -> None:
    """CAO alfa: 1800 hours until 2025, 1500 from 2026, the 2026 entry listed last; beta 2000 (mini region).

    A breakdown item in hours may move up to the fewest contract hours on 1 January of the default year
    (2025): min(1800, 2000) = 1800. The old code took alfa's last entry: 1500.
    """
    from tariefmodel.scenarios.paramspace import param_info

    root = tmp_path / "region"
    shutil.copytree(MINI, root)
    edit(root / "cao_tables/alfa/cao.yaml", "    - from: 2024-01-01\n      value: 1800\n",
         "    - from: 2024-01-01\n      until: 2025-12-31\n      value: 1800\n")
    edit(root / "cao_tables/alfa/cao.yaml", "allowances:\n",
         "    - from: 2026-01-01\n      value: 1500\n      source: testdata jaaruren alfa 2026\n"
         "      rationale: Minder uren.\n      status: adopted\nallowances:\n")
    region = load_region(root, use_cache=False)
    assert region.info.default_year == 2025
    info = param_info(region, "productivity_norms.ambulant.breakdown.vakantie.value")
    assert (info.low, info.high, info.open_high) == (D(0), D(1800), True)
