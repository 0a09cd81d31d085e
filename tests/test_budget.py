"""Budget impact, budget ceilings and lump sums, checked by hand on small cases.

Mini region tariffs (2025, tests/test_handcomputed.py): UUR01 alfa 64.60, DAG01 basistarief (beta) 35.97.
Volumes (tests/scenario_helpers.py): UUR01 at alfa: a 1200, b 600 hours; DAG01 at the basistarief: a 100.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from click.testing import CliRunner
from scenario_helpers import bundled_copy, mini_budget_region, scenario, write

from tariefmodel.cli.main import main
from tariefmodel.data.money import excel_round
from tariefmodel.data.problems import InputError
from tariefmodel.loader.load import load_region
from tariefmodel.scenarios.api import Workspace
from tariefmodel.scenarios.budget import pivot
from tariefmodel.scenarios.ceilings import track
from tariefmodel.scenarios.lumpsums import allocate

D = Decimal


@pytest.fixture
def mini_ws(tmp_path) -> Workspace:
    return Workspace(region=load_region(mini_budget_region(tmp_path), use_cache=False))


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return Workspace()


# --------------------------------------------------------------------------- totals by hand


def test_budget_totals_by_hand(mini_ws) -> None:
    yb = mini_ws.budget("basis", 2025, lump_sums=False)
    by = {(ln.product, ln.municipality): ln.cost for ln in yb.lines}
    assert by[("UUR01", "a")] == D("77520.00")  # 1200 h x 64.60
    assert by[("UUR01", "b")] == D("38760.00")  # 600 h x 64.60
    assert by[("DAG01", "a")] == D("3597.00")  # 100 dagdelen x 35.97 (basistarief = beta)
    assert yb.total == D("119877.00")  # 77520 + 38760 + 3597
    _, rows = pivot([yb], "contract")
    table = {r["contract"]: r["basis 2025"] for r in rows}
    assert table == {"ambulant": D("116280.00"), "verblijf": D("3597.00"), "TOTAAL": D("119877.00")}
    _, rows = pivot([yb], "gemeente")
    assert {r["gemeente"]: r["basis 2025"] for r in rows} == {"a": D("81117.00"), "b": D("38760.00"),
                                                               "TOTAAL": D("119877.00")}
    _, rows = pivot([yb], "wet")
    assert {r["wet"]: r["basis 2025"] for r in rows} == {"Jeugdwet": D("116280.00"), "Wmo": D("3597.00"),
                                                          "TOTAAL": D("119877.00")}
    # Months: 1/12 of the units each, so 1/12 of the cost: 77520 / 12 = 6460 per month for UUR01 in a.
    line = next(ln for ln in yb.lines if ln.product == "UUR01" and ln.municipality == "a")
    assert line.months == tuple([D("6460.00")] * 12) or all(abs(m - D(6460)) < D("1e-20") for m in line.months)


def test_scenario_budget_by_hand(mini_ws) -> None:
    root = mini_ws.region.root
    scenario(root, "meer-b", """
      - volume_factor: 1.5
        municipalities: [b]
      - param: overhead.rate
        value: 0.20
    """)
    ws = Workspace(region=load_region(root, use_cache=False))
    yb = ws.budget("meer-b", 2025, lump_sums=False)
    by = {(ln.product, ln.municipality): ln.cost for ln in yb.lines}
    # UUR01 alfa at 20% overhead: 70.48 (tests/test_scenarios.py); b: 600 x 1.5 = 900 h x 70.48 = 63432.00
    assert by[("UUR01", "b")] == D("63432.00")
    assert by[("UUR01", "a")] == D("84576.00")  # 1200 x 70.48
    # DAG01 beta at 20%: 35.9695726720 / 1.1 x 1.2 = 39.2395338240 -> 39.24; x 100 = 3924.00
    assert by[("DAG01", "a")] == D("3924.00")


def test_reissued_tariff_prices_each_half_year(mini_ws) -> None:
    root = mini_ws.region.root
    write(root, "parameters/reissues.yaml", """
    reissues:
      - id: r1
        product: DAG01
        from: 2025-07-01
        changes: {group_size: 4}
        reason: kleinere groep
        source: testdata
        rationale: testdata
    """)
    ws = Workspace(region=load_region(root, use_cache=False))
    book = ws.book("basis", 2025)
    basis = sorted((t.valid_from, t.tariff_eur) for t in book.tariffs
                   if t.product.product.code == "DAG01" and t.variant == "basistarief" and not t.micro)
    assert [str(d) for d, _ in basis] == ["2025-01-01", "2025-07-01"]
    first, second = basis[0][1], basis[1][1]
    assert first == D("35.97")
    # DAG01 beta at group 4: 36.9480533333 x 4 / 4 + 2.50 = 39.4480533333; x 1.1 x 1.02 = 44.26
    assert second == D("44.26")
    line = next(ln for ln in ws.budget("basis", 2025, lump_sums=False).lines if ln.product == "DAG01")
    # January-June: 6 x 100/12 dagdelen at 35.97; July-December at 44.26: 50 x 35.97 + 50 x 44.26 = 4011.50
    assert excel_round(line.cost, 2) == D("4011.50")
    weights = {str(book.tariffs[r].valid_from): u for r, u in line.weights}
    assert weights.keys() == {"2025-01-01", "2025-07-01"}
    assert all(abs(u - 50) < D("1e-20") for u in weights.values())  # 6 x 100/12 each (1/12 is not exact)


def test_missing_tariff_is_an_error(mini_ws) -> None:
    root = mini_ws.region.root
    write(root, "parameters/volumes.yaml", """
    description: x
    provenance: {source: abc, rationale: abc}
    volumes:
      - product: UUR01
        units: {2031: {a: 10}}
    """)
    ws = Workspace(region=load_region(root, use_cache=False))
    yb = ws.budget("basis", 2031, lump_sums=False)  # the mini region prices 2031 from its own parameters
    assert yb.total > 0


# --------------------------------------------------------------------------- lump sums


def test_allocation_is_whole_cents_that_add_up() -> None:
    assert allocate(D("1000.00"), {"a": D(3000), "b": D(1000)}) == {"a": D("750.00"), "b": D("250.00")}
    # 100.01 by 600 : 400 -> 60.006 and 40.004; floors 60.00 + 40.00 leave 1 cent for the larger remainder (a)
    assert allocate(D("100.01"), {"a": D(600), "b": D(400)}) == {"a": D("60.01"), "b": D("40.00")}
    # 0.10 in three equal parts: 3 cents each and the cent left over to the first
    assert allocate(D("0.10"), {"x": D(1), "y": D(1), "z": D(1)}) == {"x": D("0.04"), "y": D("0.03"), "z": D("0.03")}


def test_lump_sums_by_hand(mini_ws) -> None:
    lumps = {lp.key: lp for lp in mini_ws.lump_sums("basis", 2025)}
    assert lumps["vast"].amount == D("1000.00")
    assert lumps["vast"].per_municipality == {"a": D("750.00"), "b": D("250.00")}  # inhabitants 3000 : 1000
    # uren: 10 x 2 = 20 h of hbo (alfa, ambulant: C = 75908 / 1380 = 55.0057971014);
    # 20 x C = 1100.1159420290; x 1.1 (overhead) = 1210.1275362319; x 1.02 = 1234.3300869565 -> 1234.33
    u = lumps["uren"]
    assert u.hours == 20
    assert u.cost_per_staff_hour == D(75908) / D(1380)
    assert u.amount == D("1234.33")
    assert u.per_municipality == {"a": D("740.60"), "b": D("493.73")}  # youths 600 : 400: 740.598, 493.732
    # beschikbaar: 24 h x 365 = 8760 h of mbo (alfa, standaard: C = 53444 / 1350 = 39.5881481481) = 346792.1777778;
    # housing 36500 per place x 2 = 73000; direct 419792.1777778; x 1.1 x 1.02 = 471006.8234667 -> 471006.82
    b = lumps["beschikbaar"]
    assert b.hours == 8760
    assert b.accommodation == D(73000)
    assert b.amount == D("471006.82")
    # key 'gebruik': the p*q cost of contract verblijf per municipality: only a has DAG01 -> all to a
    assert b.per_municipality == {"a": D("471006.82")}


def test_lump_sums_in_the_budget(mini_ws) -> None:
    with_lumps = mini_ws.budget("basis", 2025)
    lump_lines = [ln for ln in with_lumps.lines if ln.kind == "lumpsum"]
    assert sum(ln.cost for ln in lump_lines) == D("1000.00") + D("1234.33") + D("471006.82")
    assert with_lumps.total == D("119877.00") + D("473241.15")


def test_bundled_lump_sums_are_indexed(ws) -> None:
    l25 = {lp.key: lp for lp in ws.lump_sums("basis", 2025)}
    l26 = {lp.key: lp for lp in ws.lump_sums("basis", 2026)}
    assert "crisisdienst" not in l25 and "crisisdienst" in l26  # from 2026 [001:515]
    c = l26["crisis-beschikbaarheid"]
    assert c.base_year == 2025 and c.base_amount == l25["crisis-beschikbaarheid"].amount
    assert c.amount == excel_round(c.base_amount * D("1.02"), 2)  # vast-2 in 2026
    assert sum(c.per_municipality.values()) == c.amount
    assert l25["crisis-beschikbaarheid"].hours == 36 * 365  # 36 staff hours a day, all year


# --------------------------------------------------------------------------- ceilings


def test_signal_fires_at_70_percent_exactly() -> None:
    # 100 a month against a ceiling of 1000: cumulative 600 after June, 700 after July -> 70% in row 7,
    # on the last day: (700 - 600) / 100 = 1.0 of July's 31 days. The ceiling is reached in row 10.
    rows = track([D(100)] * 12, D(1000), 2025, D("0.70"), D("0.20"), client_stop=False)
    assert [r.month for r in rows if r.signal] == [7]
    assert rows[6].utilisation == D("0.7") and rows[5].utilisation == D("0.6")
    assert rows[6].signal_date == dt.date(2025, 7, 31)
    assert [r.month for r in rows if r.reached] == [10]
    # no client stop: everything is paid; 200 above the ceiling (November and December)
    assert rows[-1].cumulative == D(1200)
    assert sum(r.above_ceiling for r in rows) == D(200)
    assert sum(r.not_paid for r in rows) == 0


def test_signal_day_within_the_month() -> None:
    # 120 a month, ceiling 1000: 70% = 700; after May 600, June adds 120: (700 - 600) / 120 = 0.8333 of 30 days
    # = 25 days -> 25 June. Just below: a month that ends at 699.99 does not fire.
    rows = track([D(120)] * 12, D(1000), 2025, D("0.70"), D(0), client_stop=False)
    assert [r.month for r in rows if r.signal] == [6]
    assert rows[5].signal_date == dt.date(2025, 6, 25)
    rows = track([D("699.99"), D("0.02")] + [D(0)] * 10, D(1000), 2025, D("0.70"), D(0), client_stop=False)
    assert [r.month for r in rows if r.signal] == [2]


def test_ongoing_care_is_always_paid_above_the_ceiling() -> None:
    # Client stop: new intake (20% of each month) is paid only within the ceiling; ongoing care (80%) always.
    rows = track([D(100)] * 12, D(995), 2025, D("0.70"), D("0.20"), client_stop=True)
    # October: 900 paid so far; ongoing 80 first, headroom 995 - 900 - 80 = 15 of the 20 new -> paid 95, 5 not paid
    oct_ = rows[9]
    assert (oct_.paid, oct_.not_paid, oct_.cumulative) == (D(95), D(5), D(995))
    assert oct_.reached
    # November and December: no headroom; the ongoing 80 is paid, above the ceiling; the new 20 is not
    for r in rows[10:]:
        assert (r.paid, r.not_paid, r.above_ceiling) == (D(80), D(20), D(80))
    assert rows[-1].cumulative == D(1155)  # 995 + 80 + 80
    assert sum(r.above_ceiling for r in rows) == D(160)  # all of it ongoing care


def test_bundled_ceiling_report(ws) -> None:
    report = {s.provider: s for s in ws.ceilings("basis", 2025)}
    k = report["kompas-jeugd"]
    assert k.applies and k.signal_month == 8 and k.reached_month == 12
    assert k.paid == k.spend  # no client stop in the bundled rules: all care is paid
    assert k.above_ceiling == k.spend - k.ceiling
    # Ineligible: the regional youth turnover of praktijk-zonnebloem is not above EUR 150,000
    z = report["praktijk-zonnebloem"]
    assert not z.applies and z.turnover <= 150000 and z.ceiling == 150000
    # Wmo-only providers are not in the report at all: ceilings are for youth care only [001:575-577]
    assert "welzijn-gouwe" not in report and "thuiszorg-ijssel" not in report
    # de-rozenhof: only Jeugdwet products in wonen-jeugd and dagbesteding-jeugd count (not 18A01, a Wmo product)
    r = report["de-rozenhof"]
    lines = [ln for ln in ws.budget("basis", 2025, lump_sums=False).lines if ln.provider == "de-rozenhof"]
    in_scope = sum(ln.cost for ln in lines if ln.contract in ("wonen-jeugd", "dagbesteding-jeugd")
                   and ln.law == "Jeugdwet")
    assert abs(r.spend - in_scope) < D("1e-15")  # the same sum in another order
    assert any(ln.product == "18A01" and ln.cost > 0 for ln in lines)
    assert r.deadlines == ["plafondbedrag bekend op 04-10-2024, na de termijn 30-09-2024 [001:590]"]


def _ceilings_copy(tmp_path, edit_rules: str = "", extra: str = "") -> Workspace:
    root = bundled_copy(tmp_path)
    path = root / "parameters" / "budget_ceilings.yaml"
    text = path.read_text(encoding="utf-8")
    if edit_rules:
        text = text.replace("    value: budget\n", f"    value: {edit_rules}\n")
    path.write_text(text + extra, encoding="utf-8")
    return Workspace(region=load_region(root, use_cache=False))


def test_turnover_threshold_is_strict(tmp_path) -> None:
    extra = """
  - {provider: coachpunt, year: 2025, amount_eur: 100000, turnover_eur: 150000, source: test, rationale: test}
  - {provider: samen-begeleid, year: 2025, amount_eur: 100000, turnover_eur: 150000.01, source: test, rationale: test}
"""
    ws = _ceilings_copy(tmp_path, "register", extra)
    report = {s.provider: s for s in ws.ceilings("basis", 2025)}
    assert not report["coachpunt"].applies  # 150,000 is not 'hoger dan 150.000 euro'
    assert report["samen-begeleid"].applies
    assert report["praktijk-zonnebloem"].applies  # register turnover 700,000


@pytest.mark.parametrize(("extra", "key", "message"), [
    ("  - {provider: welzijn-gouwe, year: 2025, amount_eur: 1, source: tst, rationale: tst}\n",
     "ceilings.4 (welzijn-gouwe 2025).provider", "geen van de contracten"),
    ("  - {provider: ggz-groene-hart, year: 2025, amount_eur: 1, contracts: [hoog-specialistisch], source: tst, "
     "rationale: tst}\n", "ceilings.4 (ggz-groene-hart 2025).contracts", "geen contract waarin een plafond kan gelden"),
    ("  - {provider: kompas-jeugd, year: 2025, amount_eur: 1, source: tst, rationale: tst}\n",
     "ceilings.4 (kompas-jeugd 2025)", "een tweede plafond"),
])
def test_bad_ceilings_exit_2(tmp_path, extra, key, message) -> None:
    root = bundled_copy(tmp_path)
    path = root / "parameters" / "budget_ceilings.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    result = CliRunner().invoke(main, ["budget", "ceilings", "--data", str(root)])
    assert result.exit_code == 2, result.output
    assert f"[{key}]" in result.output and message in result.output


def test_bad_volumes_exit_2(tmp_path) -> None:
    root = mini_budget_region(tmp_path)
    write(root, "parameters/volumes.yaml", """
    description: x
    provenance: {source: abc, rationale: abc}
    volumes:
      - product: UUR01
        variant: gamma
        units: {2025: {a: 10, c: 5}}
      - product: "ZZZ"
        units: {2025: {a: 1}}
    """)
    result = CliRunner().invoke(main, ["budget", "impact", "--data", str(root)])
    assert result.exit_code == 2
    out = result.output
    assert "[volumes.0 (UUR01).variant]" in out and "geen variant 'gamma'" in out
    assert "[volumes.0 (UUR01).units.2025.c]" in out and "gemeente 'c' bestaat niet" in out
    assert "[volumes.1 (ZZZ).product]" in out


def test_ceilings_tracker_on_the_command_line(ws) -> None:
    result = CliRunner().invoke(main, ["budget", "ceilings", "--provider", "kompas-jeugd"])
    assert result.exit_code == 0, result.output
    rows = [ln for ln in result.output.splitlines() if ln.startswith("│")]
    signal = [ln for ln in rows if "SIGNAAL 70%" in ln]
    assert len(signal) == 1 and signal[0].split("│")[1].strip() == "8"
    assert "PLAFOND BEREIKT" in rows[-1]


def test_budget_over_years_and_scenarios(ws) -> None:
    b25 = ws.budget("basis", 2025)
    g26 = ws.budget("volumegroei-jeugd", 2026)
    b26 = ws.budget("basis", 2026)
    assert b26.total > b25.total  # indexed tariffs and 2% more volume
    youth = ("ambulant-jeugd", "wonen-jeugd", "dagbesteding-jeugd", "hoog-specialistisch")
    pq = [(a, b) for a, b in zip(b26.lines, g26.lines, strict=True) if a.kind == "p*q"]
    for a, b in pq:
        assert abs(b.cost - (a.cost * D("1.05") if a.contract in youth else a.cost)) < D("1e-15")


def test_no_volumes_file(tmp_path) -> None:
    import shutil

    from scenario_helpers import MINI

    root = tmp_path / "r"
    shutil.copytree(MINI, root)
    ws = Workspace(region=load_region(root, use_cache=False))
    with pytest.raises(InputError, match=r"FOUT parameters/municipalities\.yaml: bestand ontbreekt"):
        ws.budget("basis", 2025)


def test_addendum_from_february_leaves_january_at_the_regular_tariff(ws) -> None:
    # a-2025-003: ggz-groene-hart / 15A02 at group size 6 from 1 February 2025; January is priced at the
    # provider's regular CAO GGZ tariff, February-December at the addendum's.
    book = ws.book("basis", 2025)
    regular = next(t for t in book.tariffs if t.product.product.code == "15A02" and t.variant == "ggz"
                   and not t.micro and not t.provider)
    addendum = next(t for t in book.tariffs if t.product.product.code == "15A02" and t.provider == "ggz-groene-hart")
    assert str(addendum.valid_from) == "2025-02-01"
    line = next(ln for ln in ws.budget("basis", 2025, lump_sums=False).lines
                if ln.product == "15A02" and ln.provider == "ggz-groene-hart" and ln.municipality == "gouda")
    expected = line.units / 12 * regular.tariff_eur + line.units * 11 / 12 * addendum.tariff_eur
    assert abs(line.cost - expected) < D("1e-18")
    assert {book.tariffs[r].provider for r, _ in line.weights} == {"", "ggz-groene-hart"}
