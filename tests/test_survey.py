"""The cost-price survey (kostprijsonderzoek): template, import, percentiles, suppression, coverage, benchmarks.

Broken questionnaires are made here in tmp_path, never in the bundle.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from tariefmodel.cli.main import main
from tariefmodel.survey import layout as L
from tariefmodel.survey.aggregate import summarise
from tariefmodel.survey.models import Costs, Hours, ProductRow, Response, StaffRow, Stored
from tariefmodel.survey.percentiles import weighted_percentile
from tariefmodel.survey.settings import SurveySettings

REPO = Path(__file__).resolve().parent.parent
D = Decimal


def _script():
    spec = importlib.util.spec_from_file_location("make_survey_example", REPO / "scripts" / "make_survey_example.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def base_data(tmp_path_factory) -> Path:
    """The bundled region's inputs without its survey folder."""
    root = tmp_path_factory.mktemp("region")
    for d in ("parameters", "cao_tables", "benchmarks"):
        shutil.copytree(REPO / d, root / d)
    return root


@pytest.fixture
def data(base_data, tmp_path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(base_data, dest)
    return dest


@pytest.fixture
def example(base_data, tmp_path) -> Path:
    """The region with the bundled example survey (25 fictitious respondents)."""
    dest = tmp_path / "example"
    shutil.copytree(base_data, dest)
    shutil.copytree(REPO / "survey", dest / "survey")
    return dest


def answers(**changes) -> dict:
    """A good questionnaire: hours add up, fte x salary = wage costs. ``changes``: section -> {key: value}."""
    a = {
        "provider": {"name": "Testzorg Alfa BV", "kvk": "12345678", "cao": "CAO Jeugdzorg", "employees": 12,
                     "turnover": 2500000, "balance": 800000, "year": 2025},
        "staff": [{"function": "HBO-begeleider", "scale": "9", "step_low": 3, "step_avg": 6.5, "step_high": 10,
                   "fte": 10, "salary": 50000, "wages": 500000, "charges": 135000}],
        # 1,872 + 1,404 + 374 + 3,370 + 11,700 = 18,720 contract hours
        "hours": {"contract": 18720, "leave": 1872, "sickness": 1404, "training": 374, "indirect": 3370,
                  "direct": 11700},
        "costs": {"total": 1000000, "overhead": 170000, "accommodation": 40000, "travel": 30000},
        "products": [{"code": "45A48", "volume": 11700, "group_size": 1, "staff_hours": 1, "revenue": 881478}],
    }
    for section, values in changes.items():
        if isinstance(values, dict):
            a[section] = {**a[section], **values}
        else:
            a[section] = values
    return a


def write_questionnaire(template: Path, path: Path, a: dict) -> Path:
    wb = load_workbook(template)
    _script().fill(wb, a)
    wb.save(path)
    return path


@pytest.fixture
def template(data, runner, tmp_path) -> Path:
    out = tmp_path / "vragenlijst.xlsx"
    result = runner.invoke(main, ["survey", "template", "--out", str(out), "--data", str(data)])
    assert result.exit_code == 0, result.output
    return out


# --------------------------------------------------------------------------- template


def test_template_inputs_validated_unlocked_rest_locked(template, data, runner, tmp_path) -> None:
    again = tmp_path / "again.xlsx"
    assert runner.invoke(main, ["survey", "template", "--out", str(again), "--data", str(data)]).exit_code == 0
    assert again.read_bytes() == template.read_bytes()  # byte-identical: fixed document time

    wb = load_workbook(template)
    assert wb.sheetnames == [L.SHEET_INFO, *L.INPUT_SHEETS, L.SHEET_LISTS]
    assert wb[L.SHEET_LISTS].sheet_state == "hidden" and wb[L.SHEET_LISTS]["A1"].value == L.MARKER
    expected_inputs = {
        L.SHEET_PROVIDER: {L.cell_name(p.row, p.col) for p in L.PROVIDER_FIELDS},
        L.SHEET_HOURS: {L.cell_name(p.row, p.col) for p in L.HOURS_FIELDS},
        L.SHEET_COSTS: {L.cell_name(p.row, p.col) for p in L.COSTS_FIELDS},
        L.SHEET_STAFF: {L.cell_name(r, c) for r in range(L.STAFF_FIRST_ROW, L.STAFF_FIRST_ROW + L.STAFF_ROWS)
                        for c in range(len(L.STAFF_COLUMNS))},
    }
    n_products = sum(1 for row in wb[L.SHEET_PRODUCTS].iter_rows(min_row=L.PRODUCT_FIRST_ROW + 1, max_col=1,
                                                                  values_only=True) if row[0])
    assert n_products == 34  # the bundled book's products in 2025
    expected_inputs[L.SHEET_PRODUCTS] = {
        L.cell_name(r, c) for r in range(L.PRODUCT_FIRST_ROW, L.PRODUCT_FIRST_ROW + n_products)
        for c in range(L.PRODUCT_INPUT_COL, L.PRODUCT_INPUT_COL + len(L.PRODUCT_COLUMNS))}
    for name in wb.sheetnames:
        ws = wb[name]
        assert ws.protection.sheet, f"{name} is not protected"
        validated: dict[str, object] = {}
        for dv in ws.data_validations.dataValidation:
            assert dv.prompt and dv.promptTitle and dv.showInputMessage, (name, dv.sqref)
            assert "Eenheid:" in dv.prompt
            for rng in dv.sqref.ranges:
                for row in ws.iter_rows(min_row=rng.min_row, max_row=rng.max_row, min_col=rng.min_col,
                                        max_col=rng.max_col):
                    for cell in row:
                        validated[cell.coordinate] = dv
        unlocked = {c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked}
        assert unlocked == expected_inputs.get(name, set()), name
        assert set(validated) == unlocked, name
    provider = wb[L.SHEET_PROVIDER]
    kinds = {}
    for dv in provider.data_validations.dataValidation:
        kinds[str(dv.sqref)] = (dv.type, dv.operator, dv.formula1, dv.formula2)
    assert kinds["B6"][0] == "textLength" and kinds["B6"][2] == "8"  # KvK: exactly 8 characters
    assert kinds["B7"][0] == "list" and kinds["B7"][2] == "Lijsten!$A$2:$A$11"  # 5 modelled + 4 other CAOs + geen
    assert kinds["B11"] == ("whole", None, "2000", "2100")  # the year; no operator = "between"
    assert provider["B11"].value == 2025
    assert "minder dan 10 werknemers" in provider["C13"].value  # the region's micro rule
    assert provider["B13"].value.startswith("=IF(") and "2000000" in provider["B13"].value


# --------------------------------------------------------------------------- import


def test_import_good_broken_and_resubmitted(template, data, runner, tmp_path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_questionnaire(template, inbox / "a_goed.xlsx", answers())
    write_questionnaire(template, inbox / "b_type.xlsx", answers(provider={"kvk": "87654321"},
                                                                  hours={"contract": "veel"}))
    write_questionnaire(template, inbox / "c_bereik.xlsx", answers(provider={"kvk": "11112222"},
                                                                    staff=[{**answers()["staff"][0], "step_high": 150}]))
    missing = write_questionnaire(template, inbox / "d_blad.xlsx", answers(provider={"kvk": "33334444"}))
    wb = load_workbook(missing)
    del wb[L.SHEET_HOURS]
    wb.save(missing)
    (inbox / "e_kapot.xlsx").write_text("dit is geen werkboek", encoding="utf-8")
    csv = tmp_path / "f.csv"
    csv.write_text("a,b\n", encoding="utf-8")

    result = runner.invoke(main, ["survey", "import", str(inbox), str(csv), "--data", str(data)])
    assert result.exit_code == 2
    err, out = result.stderr, result.stdout
    assert "b_type.xlsx [blad 'Uren', cel B5]: Contracturen: 'veel' is geen getal" in err
    assert "c_bereik.xlsx [blad 'Personeel', cel E6]: Hoogste trede: 150 ligt buiten het toegestane bereik 0 tot en " \
           "met 99" in err
    assert "d_blad.xlsx [blad 'Uren']: blad ontbreekt" in err
    assert "e_kapot.xlsx: geen leesbaar Excel-werkboek (.xlsx)" in err
    assert "f.csv: geen Excel-werkboek (.xlsx)" in err
    assert "6 vragenlijsten gelezen: 1 geldig (1 nieuw, 0 nieuwe versie, 0 ongewijzigd), 5 ongeldig" in out
    stored = sorted((data / "survey" / "2025").iterdir())
    assert [p.name for p in stored] == [f"{_rid('12345678')}-v001.json"]
    doc = json.loads(stored[0].read_text(encoding="utf-8"))
    assert doc["version"] == 1 and doc["answers"]["cao"] == "jeugdzorg" and doc["answers"]["micro"] is False
    assert doc["warnings"] == []  # hours add up, 10 fte x 50,000 = 500,000 wage costs
    first = stored[0].read_bytes()

    # The same answers again: recognised, not stored twice.
    result = runner.invoke(main, ["survey", "import", str(inbox / "a_goed.xlsx"), "--data", str(data)])
    assert result.exit_code == 0 and "ongewijzigd (versie 1" in result.stdout
    # Corrected figures: a new version beside the old one, which stays byte for byte.
    fixed = write_questionnaire(template, tmp_path / "a_goed_v2.xlsx", answers(costs={"total": 1050000}))
    result = runner.invoke(main, ["survey", "import", str(fixed), "--data", str(data)])
    assert result.exit_code == 0 and "nieuwe versie (versie 2" in result.stdout
    names = sorted(p.name for p in (data / "survey" / "2025").iterdir())
    assert names == [f"{_rid('12345678')}-v001.json", f"{_rid('12345678')}-v002.json"]
    assert stored[0].read_bytes() == first


def _rid(kvk: str) -> str:
    from tariefmodel.survey.models import respondent_id

    return respondent_id(kvk)


def test_consistency_warnings(template, data, runner, tmp_path) -> None:
    # Indirect 3,370 -> 5,370: the parts sum to 20,720 of 18,720 contract hours (+10,7%, more than 2%);
    # 10 fte x 50,000 = 500,000 against wage costs 400,000: +25% (more than 15%).
    bad = answers(hours={"indirect": 5370}, staff=[{**answers()["staff"][0], "wages": 400000}])
    path = write_questionnaire(template, tmp_path / "w.xlsx", bad)
    result = runner.invoke(main, ["survey", "import", str(path), "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "= 20720 uur, contracturen 18720 uur (verschil 10,7%, meer dan 2,0%)" in result.stderr
    assert "fte x jaarsalaris = € 500.000,00 wijkt 25,0% af van de brutoloonkosten € 400.000,00" in result.stderr
    assert "1 met waarschuwingen" in result.stdout
    doc = json.loads(next((data / "survey" / "2025").iterdir()).read_text(encoding="utf-8"))
    assert [w["kind"] for w in doc["warnings"]] == ["uren", "loonkosten"]


# --------------------------------------------------------------------------- percentiles


def test_weighted_percentiles_by_hand() -> None:
    v = [D(10), D(20), D(30), D(40)]
    ones = [D(1)] * 4
    # W = 4. Median: t = 0.5 x 4 = 2 = C_2 exactly -> midpoint of x_2 and x_3 = (20 + 30) / 2 = 25.
    assert weighted_percentile(v, ones, D("0.5")) == 25
    # P25: t = 1 = C_1 -> (10 + 20) / 2 = 15; P75: t = 3 = C_3 -> (30 + 40) / 2 = 35.
    assert weighted_percentile(v, ones, D("0.25")) == 15
    assert weighted_percentile(v, ones, D("0.75")) == 35
    heavy = [D(1), D(1), D(1), D(5)]
    # W = 8, C = 1, 2, 3, 8. Median t = 4: C_3 = 3 < 4 <= 8 -> x_4 = 40; P25 t = 2 = C_2 -> (20 + 30) / 2 = 25;
    # P75 t = 6 -> 40. As if 40 were reported five times: 10, 20, 30, 40, 40, 40, 40, 40.
    assert weighted_percentile(v, heavy, D("0.5")) == 40
    assert weighted_percentile(v, heavy, D("0.25")) == 25
    assert weighted_percentile(v, heavy, D("0.75")) == 40
    # Unsorted input, odd count: 3, 1, 2 with weights 1, 1, 1 -> median t = 1.5 -> C_2 = 2 -> x_2 = 2.
    assert weighted_percentile([D(3), D(1), D(2)], [D(1)] * 3, D("0.5")) == 2
    assert weighted_percentile(v, ones, D(0)) == 10 and weighted_percentile(v, ones, D(1)) == 40
    with pytest.raises(ValueError):
        weighted_percentile(v, [D(1), D(0), D(1), D(1)], D("0.5"))


def test_weighted_percentile_is_numpy_averaged_inverted_cdf_with_copies() -> None:
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(1, 9))
        values = [int(x) for x in rng.integers(0, 50, n)]
        weights = [int(x) for x in rng.integers(1, 5, n)]
        copies = np.repeat(values, weights)
        for q in ("0.25", "0.5", "0.75"):
            ours = weighted_percentile([D(x) for x in values], [D(w) for w in weights], D(q))
            theirs = np.percentile(copies, float(q) * 100, method="averaged_inverted_cdf")
            assert float(ours) == pytest.approx(float(theirs)), (values, weights, q)


# --------------------------------------------------------------------------- aggregation


def response(kvk: str, total: int, *, cao: str = "jeugdzorg", micro: bool = False, volume: int = 1000,
             revenue: Decimal | None = None, code: str = "45A48", direct: int = 1000, contract: int = 1600) -> Response:
    return Response(
        name=f"Respondent {kvk}", kvk=kvk, cao=cao, employees=20, turnover=D(3000000), balance=D(1000000), micro=micro,
        year=2025, staff=(StaffRow("begeleider", "9", 1, D(5), 10, D(1), D(50000), D(50000), D(13500)),),
        hours=Hours(D(contract), D(200), D(100), D(50), D(contract - direct - 350), D(direct)),
        costs=Costs(D(total), D(total) / 5, D(0), D(2000)),
        products=(ProductRow(code, "uur", D(volume), D(1), D(1), revenue if revenue is not None else volume * D("75.34")),),
    )


def stored(responses: list[Response]) -> list[Stored]:
    return [Stored(r.respondent, 1, r.content_hash(), r, (), f"survey/2025/{r.respondent}-v001.json") for r in responses]


@pytest.fixture(scope="module")
def bundled():
    from tariefmodel.engine.book import price_book
    from tariefmodel.loader.load import load_region

    region = load_region(REPO)
    return region, price_book(region, 2025)


def settings(n: int) -> SurveySettings:
    return SurveySettings(n, "test", True, D("0.15"), "test")


def test_coverage_per_product_by_hand(bundled) -> None:
    region, book = bundled
    from tariefmodel.survey.coverage import tariff_for, tariff_index

    ix = tariff_index(book)
    # The bundled 2025 tariffs of 45A48 (per hour, group 1, 1 staff hour per unit): jeugdzorg regular
    # EUR 75.34; a VVT provider gets the basistarief EUR 74.48 (45A48 is not priced for CAO VVT).
    assert tariff_for(ix, "45A48", "jeugdzorg", False) == D("75.34")
    assert tariff_for(ix, "45A48", "vvt", False) == D("74.48")
    # Own cost per unit = total costs / 1,000 direct hours x 1 / 1:
    # A 70.00 (covered), B 60.00 (covered; revenue 75.34 > 60 x 1.15 = 69.00: unintended room),
    # C 80.00 (short 4.66), D 90.00 (short 14.66), E (VVT) 100.00 against 74.48 (short 25.52, volume 2,000).
    rs = [response("00000001", 70000), response("00000002", 60000), response("00000003", 80000),
          response("00000004", 90000), response("00000005", 100000, cao="vvt", volume=2000,
                                                revenue=2000 * D("74.48"))]
    result = summarise(region, 2025, stored(rs), settings(3), book)
    (cov,) = result.coverage
    assert (cov.code, cov.n, cov.covered, cov.short, cov.surplus) == ("45A48", 5, 2, 3, 1)
    assert cov.share_covered == D(2) / 5  # 40%
    # Shortfalls 4.66 (w 1,000), 14.66 (w 1,000), 25.52 (w 2,000): W = 4,000, median t = 2,000 = C_2 exactly
    # -> (14.66 + 25.52) / 2 = 20.09.
    assert cov.shortfall_median_eur == D("20.09")
    assert cov.shortfall_median_pct == (D("14.66") / D("75.34") + D("25.52") / D("74.48")) / 2
    # With a threshold of 5 the three shortfalls are too few for a median; the counts stay.
    (cov5,) = summarise(region, 2025, stored(rs), settings(5), book).coverage
    assert cov5.shortfall_median_eur is None and (cov5.covered, cov5.short) == (2, 3)


def test_suppression_under_the_threshold(bundled) -> None:
    region, book = bundled
    four = [response(f"0000000{i}", 70000 + 1000 * i, direct=1000 - 50 * i) for i in range(1, 5)]
    result = summarise(region, 2025, stored(four), settings(5), book)
    assert all(f.suppressed and f.median is None and f.low is None for p in result.parameters for f in p.figures)
    assert all(c.suppressed and c.covered is None for c in result.coverage)
    assert result.findings == ()
    five = [*four, response("00000005", 75000, direct=750)]
    result = summarise(region, 2025, stored(five), settings(5), book)
    prod = next(p for p in result.parameters if p.key == "productiviteit")
    # direct / contract with contract-hour weights (all 1,600): 950, 900, 850, 800, 750 / 1,600;
    # the median of five equal weights is the third: 850 / 1,600 = 0.53125.
    assert prod.overall.n == 5 and prod.overall.median == D("0.53125")
    assert (prod.overall.low, prod.overall.high) == (D(750) / 1600, D(950) / 1600)
    assert prod.figure("micro").suppressed and prod.figure("micro").n == 0


# --------------------------------------------------------------------------- outputs


def _texts(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return path.read_text(encoding="utf-8")


def test_no_names_or_kvk_in_any_output(example, runner, tmp_path, template) -> None:
    people = [json.loads(p.read_text(encoding="utf-8"))["answers"] for p in (example / "survey" / "2025").iterdir()]
    assert len({p["kvk"] for p in people}) == 25
    secrets = {p["name"] for p in people} | {p["kvk"] for p in people}
    outputs: list[str] = []
    for out in ("r.html", "r.xlsx"):
        res = runner.invoke(main, ["survey", "report", "--out", str(tmp_path / out), "--data", str(example)])
        assert res.exit_code == 0, res.output
        outputs += [res.stdout, res.stderr, _texts(tmp_path / out)]
    res = runner.invoke(main, ["survey", "benchmarks", "--jaar", "2025", "--data", str(example)])
    assert res.exit_code == 0, res.output
    outputs += [res.stdout, res.stderr, _texts(example / "benchmarks" / "kostprijsonderzoek_2025.yaml")]
    # Import (and its log) of a questionnaire of one of them.
    a = answers(provider={"name": people[0]["name"], "kvk": people[0]["kvk"]})
    res = runner.invoke(main, ["survey", "import", str(write_questionnaire(template, tmp_path / "q.xlsx", a)),
                               "--data", str(example)])
    assert res.exit_code == 0, res.output
    outputs += [res.stdout, res.stderr]
    for text in outputs:
        for s in secrets:
            assert s not in text
    report = _texts(tmp_path / "r.html")
    assert "25 respondenten" in report and "Voorbeeldaanbieder" not in report


def test_html_report_dutch_escaped_with_manifest(example, runner, tmp_path) -> None:
    from tariefmodel.trail import manifest as mf

    region_yaml = example / "parameters" / "region.yaml"
    region_yaml.write_text(region_yaml.read_text(encoding="utf-8").replace(
        "name: Voorbeeldregio Midden-Holland", 'name: "Regio <b>&amp;</b>"'), encoding="utf-8")
    out = tmp_path / "r.html"
    res = runner.invoke(main, ["survey", "report", "--out", str(out), "--data", str(example)])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    assert "Regio &lt;b&gt;&amp;amp;&lt;/b&gt;" in text and "<b>&amp;</b>" not in text
    assert "@page{size:A4" in text and "@media print" in text
    assert re.search(r"\d+,\d\d%", text) and re.search(r"€ \d+,\d\d", text)  # 65,27% and € 2,68
    assert "te weinig respondenten" in text  # e.g. CAO GGZ
    man = mf.read(out)
    assert man["command"] == ["survey", "report", "--jaar", "2025"] and len(man["survey_inputs"]) == 25
    again = tmp_path / "again.html"
    assert runner.invoke(main, ["survey", "report", "--out", str(again), "--data", str(example)]).exit_code == 0
    assert again.read_bytes() == out.read_bytes()
    res = runner.invoke(main, ["verify", str(out), "--data", str(example)])
    assert res.exit_code == 0, res.output


def test_benchmarks_written_loaded_and_audited(example, runner) -> None:
    from tariefmodel.loader.load import load_region
    from tariefmodel.trail.audit import build_audit

    res = runner.invoke(main, ["survey", "benchmarks", "--jaar", "2025", "--data", str(example)])
    assert res.exit_code == 0, res.output
    region = load_region(example, use_cache=False)
    ours = {b.key: b for b in region.benchmarks if b.key.startswith("kostprijsonderzoek-2025-")}
    prod = ours["kostprijsonderzoek-2025-productiviteit"]
    assert prod.source == "Kostprijsonderzoek 2025, n = 25, gewogen mediaan; P25–P75"
    assert prod.low <= prod.value <= prod.high and "productivity_norms.ambulant" in prod.informs
    assert ours["kostprijsonderzoek-2025-overhead-regulier"].informs == ["overhead.rate"]
    assert "kostprijsonderzoek-2025-groepsgrootte-45a51" in ours
    findings = build_audit(region, 2025).findings
    assert any("kostprijsonderzoek-2025-" in f.message for f in findings if f.kind == "buiten-benchmark")


def test_too_few_respondents_writes_no_benchmarks(data, runner, template, tmp_path) -> None:
    path = write_questionnaire(template, tmp_path / "q.xlsx", answers())
    assert runner.invoke(main, ["survey", "import", str(path), "--data", str(data)]).exit_code == 0
    res = runner.invoke(main, ["survey", "benchmarks", "--jaar", "2025", "--data", str(data)])
    assert res.exit_code == 2 and "minder dan 5 respondenten" in res.stderr
    assert not (data / "benchmarks" / "kostprijsonderzoek_2025.yaml").exists()
    res = runner.invoke(main, ["survey", "report", "--jaar", "2024", "--out", str(tmp_path / "r.html"),
                               "--data", str(data)])
    assert res.exit_code == 2 and "geen antwoorden voor 2024" in res.stderr


def test_bundled_example_reports_out_of_the_box(runner, tmp_path) -> None:
    out = tmp_path / "r.xlsx"
    res = runner.invoke(main, ["survey", "report", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "25 respondenten" in res.stderr
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == ["Parameters", "Modelwaarden", "Producten", "Toelichting", "Manifest"]


def test_many_questionnaires_are_read_in_parallel_and_in_order(template, data, runner, tmp_path) -> None:
    from tariefmodel.survey.reading import PARALLEL_FROM

    inbox = tmp_path / "veel"
    inbox.mkdir()
    good = write_questionnaire(template, tmp_path / "goed.xlsx", answers())
    n = PARALLEL_FROM + 2  # enough to take the worker-process path
    for i in range(n):
        shutil.copy(good, inbox / f"q{i:03d}.xlsx")
    (inbox / "q999.xlsx").write_text("kapot", encoding="utf-8")
    res = runner.invoke(main, ["survey", "import", str(inbox), "--data", str(data)])
    assert res.exit_code == 2
    # The first copy is new, the rest the same answers again; the broken one last, in file order.
    lines = res.stdout.splitlines()
    assert lines[0].endswith("q000.xlsx: nieuw (versie 1, survey/2025/)")
    assert all("ongewijzigd" in ln for ln in lines[1:n])
    assert f"{n + 1} vragenlijsten gelezen: {n} geldig (1 nieuw, 0 nieuwe versie, {n - 1} ongewijzigd), 1 ongeldig" \
        in res.stdout
