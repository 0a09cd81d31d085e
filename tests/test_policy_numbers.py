"""No policy number hides in the engine or the trail: every choice is a dated, sourced parameter.

The region's choices (the no-show client-bill maximum, the wage floor of the consistency check, the
recalibration threshold, rates, norms) live in parameters/*.yaml with a source. What may appear in the
code of tariefmodel/engine and tariefmodel/trail is structural: the allow-list below, each with why.
A new literal outside it fails this test: make it a parameter (parameters/cost_model.yaml and
data/schema.py, read through data.params), or add it here with the reason it is not a choice.
"""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from tariefmodel.data.params import params
from tariefmodel.loader.load import load_region

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tariefmodel/engine", "tariefmodel/trail")

# value -> why it is structural, not a policy choice
ALLOWED: dict[Decimal, str] = {
    Decimal(0): "zero: empty sums, no rate, first index",
    Decimal(1): "one: 1 + rate, 100% (pgb exempt), next/previous index, one day",
    Decimal(2): "two decimals: eurocents and Dutch percentages to two places (display)",
    Decimal(3): "how many blocked tariffs an error names (display)",
    Decimal(4): "four decimals of a shown percentage or fraction (display)",
    Decimal(5): "rows of a table verify shows in a finding (display)",
    Decimal(10): "seconds a git subprocess may take (manifest)",
    Decimal(12): "months in a year; December",
    Decimal(20): "seconds a git subprocess may take (diff)",
    Decimal(28): "28 February for a contract that starts on 29 February",
    Decimal(29): "column width of an explain label (display)",
    Decimal(31): "31 December; column width of an explain label (display)",
    Decimal(60): "minutes in an hour; seconds a git subprocess may take",
    Decimal(100): "percent",
    Decimal(150): "characters of a CSV row verify shows in a finding (display)",
    Decimal("0.01"): "one eurocent (iStandaarden amounts are whole cents); two-decimal display",
    Decimal("0.000001"): "precision of a shown index rate (display)",
}


def _literals(path: Path) -> list[tuple[int, Decimal]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
            out.append((node.lineno, Decimal(str(node.value))))
        elif (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Decimal"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            out.append((node.lineno, Decimal(node.args[0].value)))
    return out


def test_no_policy_literal_in_engine_or_trail() -> None:
    unknown = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).glob("*.py")):
            for line, value in _literals(path):
                if value not in ALLOWED:
                    unknown.append(f"{path.relative_to(ROOT)}:{line}: {value}")
    assert not unknown, "policy-looking numbers in code (make them dated parameters):\n" + "\n".join(unknown)


def test_the_scan_catches_a_policy_number(tmp_path: Path) -> None:
    # The scanner must see both forms, or the test above could never fail.
    src = tmp_path / "x.py"
    src.write_text('from decimal import Decimal\nFLOOR = Decimal("0.97")\nMAX_BILL = 25\n', encoding="utf-8")
    assert [v for _, v in _literals(src) if v not in ALLOWED] == [Decimal("0.97"), Decimal(25)]


@pytest.mark.parametrize(("path", "value"), [
    ("no_show.client_bill_max_eur", Decimal(25)),  # Inkoopplan 2025 § 5.3.3 punt 4
    ("checks.wage_floor_fraction", Decimal("0.97")),
    ("checks.recalibration_threshold", Decimal("0.02")),
])
def test_policy_numbers_are_dated_parameters_with_a_source(path: str, value: Decimal) -> None:
    import datetime as dt

    region = load_region(ROOT)
    use = params(region.cost_model, dt.date(2025, 1, 1)).get(path)
    assert use.value == value
    assert len(use.entry.source) > 20 and use.entry.valid_from == dt.date(2024, 1, 1)


def test_the_no_show_note_follows_the_parameter(tmp_path: Path) -> None:
    import shutil

    from tariefmodel.outputs.workbooks.tariff_sheets import no_show_note
    from tests.conftest import edit

    root = tmp_path / "r"
    shutil.copytree(ROOT / "parameters", root / "parameters")
    shutil.copytree(ROOT / "cao_tables", root / "cao_tables")
    assert no_show_note(load_region(ROOT), 2025).endswith("ten hoogste € 25 sturen")
    edit(root / "parameters" / "cost_model.yaml", "        value: 25\n", "        value: 27.5\n")
    region = load_region(root, use_cache=False)
    assert no_show_note(region, 2025).endswith("ten hoogste € 27,50 sturen")
