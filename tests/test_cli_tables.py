"""What the terminal shows: Dutch numbers, rows told apart, diff by euro impact, the assigned index method,
lost tariffs named; and the CSV for Dutch Excel (--excel-nl) that verify still checks."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import MINI, edit

from tariefmodel.cli.main import main

# 3304.5775 or 0.20: a dot decimal; not the thousands dot of 2.720,32 (followed by its decimal comma)
FLOAT_LOOKING = re.compile(r"(?<![\w.,])-?\d+\.\d+(?![\w.,])")


def rows_of(output: str) -> list[str]:
    """The data rows of a rich table: lines between the vertical bars whose first cell is filled."""
    return [ln for ln in output.splitlines() if ln.startswith("│") and not ln.startswith("│       │")
            and ln.split("│")[1].strip()]


def test_explain_prints_dutch_numbers_only(runner) -> None:
    result = runner.invoke(main, ["explain", "43A01", "--year", "2025"])
    assert result.exit_code == 0, result.output
    text = "\n".join(ln for ln in result.output.split("3. Parameters en bronnen")[0].splitlines()
                     if not ln.lstrip().startswith(("functiekoppeling:", "toeslagen:", "ORT-maximum bron:")))
    # (source lines quote documents, e.g. "art. 8.1")
    assert FLOAT_LOOKING.findall(text) == []
    # M = 0.25 x 2720.32 + 0.5 x 3305.12 + 0.25 x 3887.75 = 680.08 + 1652.56 + 971.9375 = 3304.5775
    assert "3.304,5775" in text and "3304.5775" not in result.output
    # 425.5099 direct + 20% overhead 85.1020 = 510.6118; + 2% winst en risico 10.2122 = 520.8241 -> 520.82
    assert "TARIEF per etmaal                    € 520,82   (52082 eurocent)" in text
    assert "geldig vanaf 01-07-2024" in result.output  # dates as dd-mm-jjjj


def test_calculate_rows_are_told_apart(runner) -> None:
    result = runner.invoke(main, ["calculate", "--year", "2025"])
    assert result.exit_code == 0, result.output
    rows = rows_of(result.output)
    assert len(rows) > 300  # 412 tariffs in the bundled book; wrapped names add continuation lines
    assert len(rows) == len(set(rows)), [r for r in rows if rows.count(r) > 1][:3]
    header = next(ln for ln in result.output.splitlines() if ln.startswith("┃"))
    assert all(w in header for w in ("micro", "aanbieder", "versie"))
    assert "€ 520,82" in result.output  # 43A01 jeugdzorg


def test_calculate_names_the_products_a_later_year_loses(runner) -> None:
    result = runner.invoke(main, ["calculate", "--year", "2027"])
    assert result.exit_code == 0, result.output
    warning = next(ln for ln in result.output.splitlines() if ln.startswith("WAARSCHUWING"))
    assert "3 product(en) zonder tarief in 2027" in warning
    assert all(code in warning for code in ("48A01", "47A01", "43A90")) and "JeugdzorgPlus" in warning
    plain = runner.invoke(main, ["calculate", "--year", "2025"])
    assert "zonder tarief" not in plain.output  # 2025 has every external tariff


def test_index_rate_defaults_to_the_assigned_method(runner) -> None:
    # the bundled region assigns vast-2 (a fixed 2%) from 2026 to every contract but hulp-bij-huishouden
    result = runner.invoke(main, ["index", "rate", "--year", "2027"])
    assert result.exit_code == 0, result.output
    assert "INDEXATIE 2027: 2,00%" in result.output
    assert "methode vast-2" in result.output and "cao (hulp-bij-huishouden)" in result.output
    assert "INDEXATIE 2025: 4,96%" in runner.invoke(main, ["index", "rate", "--year", "2025"]).output  # vng


def test_recalibrate_shows_its_limit_as_a_dutch_percentage(runner) -> None:
    result = runner.invoke(main, ["recalibrate", "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert "(grens 2,0%)" in result.output and "meer dan 2,0% af" in result.output
    assert "2.0%" not in result.output
    body = "\n".join(rows_of(result.output))
    assert FLOAT_LOOKING.findall(body) == [] and "€ " in body


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """NEW: overhead 0.10 -> 0.12 and DAG01 in groups of 10 instead of 5 (a ~40% fall of a small tariff)."""
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(MINI, old)
    shutil.copytree(MINI, new)
    over = "      - from: 2024-01-01\n        value: {}\n        source: testdata overhead\n"
    edit(new / "parameters/cost_model.yaml", over.format("0.10"), over.format("0.12"))
    text = (new / "parameters/products/02_verblijf.yaml").read_text(encoding="utf-8")
    start = text.index("DAG01")
    cut = text.index("    group_size: 5\n", start)
    (new / "parameters/products/02_verblijf.yaml").write_text(
        text[:cut] + "    group_size: 10\n" + text[cut + len("    group_size: 5\n"):], encoding="utf-8")
    return old, new


def euros(row: str) -> str:
    return row.split("│")[7].strip()


def test_diff_sorts_by_euro_impact_and_shows_old_to_new(pair, runner) -> None:
    old, new = pair
    result = runner.invoke(main, ["diff", str(old), str(new), "--data", str(new)])
    assert result.exit_code == 0, result.output
    assert "0,10 → 0,12" in result.output  # the input change, old → new, Dutch
    effect = result.output.split("Effect op de tarieven")[1]
    amounts = [abs(float(re.sub(r"[€+ .]", "", euros(r)).replace(",", "."))) for r in rows_of(effect)]
    assert amounts and amounts == sorted(amounts, reverse=True)
    assert FLOAT_LOOKING.findall(effect) == []
    by_pct = runner.invoke(main, ["diff", str(old), str(new), "--data", str(new), "--sorteer", "pct"])
    pcts = [abs(float(re.sub(r"[%+ ]", "", r.split("│")[8]).replace(",", ".")))
            for r in rows_of(by_pct.output.split("Effect op de tarieven")[1])]
    assert pcts == sorted(pcts, reverse=True) and pcts[0] > 30  # DAG01 in groups of 10: about -40%
    assert rows_of(by_pct.output.split("Effect op de tarieven")[1]) != rows_of(effect)


def test_diff_says_how_many_rows_it_leaves_out(pair, runner, monkeypatch) -> None:
    from tariefmodel.cli import trail

    old, new = pair
    monkeypatch.setattr(trail, "SHOWN", 5)
    result = runner.invoke(main, ["diff", str(old), str(new), "--data", str(new)])
    moved = int(re.search(r"(\d+) van \d+ tarieven", result.output).group(1))
    assert f"… en nog {moved - 5} wijzigingen; gebruik --out voor alles" in result.output
    assert len(rows_of(result.output.split("Effect op de tarieven")[1])) == 5


def test_excel_nl_csv_reads_in_dutch_excel_and_verifies(runner, tmp_path) -> None:
    plain, dutch = tmp_path / "boek.csv", tmp_path / "boek-nl.csv"
    assert runner.invoke(main, ["calculate", "--year", "2025", "--out", str(plain)]).exit_code == 0
    result = runner.invoke(main, ["calculate", "--year", "2025", "--out", str(dutch), "--excel-nl"])
    assert result.exit_code == 0, result.output
    raw = dutch.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    machine = list(csv.DictReader(io.StringIO(plain.read_text(encoding="utf-8"))))
    excel = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(machine) == len(excel) == 412
    m, x = machine[0], excel[0]
    assert m["product_code"] == x["product_code"] == "43A01"
    assert m["tariff_eur"] == "520.82" and x["tariff_eur"] == "520,82"
    assert m["tariff_eurocent"] == x["tariff_eurocent"] == "52082"  # integers stay as they are
    assert m["valid_from"] == x["valid_from"] == "2025-01-01"  # dates are not decimals
    assert m["micro"] == "false" and x["micro"] == "nee"  # booleans in the regions' words (test_excel_nl_says_ja_nee)
    # Apart from ja/nee the only difference is the decimal sign.
    assert all(x[k] == m[k].replace(".", ",") for k in m if k != "micro")
    assert "," in plain.read_text(encoding="utf-8").splitlines()[0]  # the default stays RFC 4180
    check = runner.invoke(main, ["verify", str(dutch)])
    assert check.exit_code == 0, check.output
    assert "calculate --year 2025 --excel-nl" in check.output


def test_excel_nl_says_ja_nee(runner, tmp_path) -> None:
    plain, dutch = tmp_path / "boek.csv", tmp_path / "boek-nl.csv"
    assert runner.invoke(main, ["calculate", "--year", "2025", "--out", str(plain)]).exit_code == 0
    assert runner.invoke(main, ["calculate", "--year", "2025", "--out", str(dutch), "--excel-nl"]).exit_code == 0
    machine = list(csv.DictReader(io.StringIO(plain.read_text(encoding="utf-8"))))
    excel = list(csv.DictReader(io.StringIO(dutch.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert {r["micro"] for r in machine} == {"true", "false"}  # rfc4180 stays machine-readable
    assert {r["micro"] for r in excel} == {"ja", "nee"}
    assert [r["micro"] == "true" for r in machine] == [r["micro"] == "ja" for r in excel]
    micro = next(r for r in excel if r["product_code"] == "43A01" and r["variant"] == "jeugdzorg" and r["micro"] == "ja")
    # The micro tariff of 43A01 (CAO jeugdzorg): direct cost 425,5099 + 15% micro overhead 63,8265 = cost price
    # 489,3363; + 2% profit and risk 9,7867 = 499,1231 (unrounded), 499,12 per etmaal.
    assert (micro["overhead_rate"], micro["overhead"], micro["cost_price"]) == ("0,1500", "63,8265", "489,3363")
    assert (micro["profit_risk"], micro["tariff_eur"]) == ("9,7867", "499,12")
    check = runner.invoke(main, ["verify", str(dutch)])
    assert check.exit_code == 0, check.output


def test_excel_nl_only_for_csv(runner, tmp_path) -> None:
    out = tmp_path / "boek.json"
    result = runner.invoke(main, ["calculate", "--out", str(out), "--excel-nl"])
    assert result.exit_code == 2 and "--excel-nl geldt alleen voor een .csv-bestand" in result.output
    assert not out.exists()


def test_excel_nl_scenario_table_records_the_flag(runner, tmp_path) -> None:
    out = tmp_path / "basis.csv"
    result = runner.invoke(main, ["scenario", "run", "basis", "--out", str(out), "--excel-nl"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    check = runner.invoke(main, ["verify", str(out)])
    assert check.exit_code == 0 and "--excel-nl" in check.output, check.output
