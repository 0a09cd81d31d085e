"""Every message a user reads from the data, loader, engine, trail and sheets is Dutch.

(a) Broken inputs of every common kind give Dutch problems (the phrase chosen for each kind), never
    pydantic's or our own English; (b) the bundled region's validate output, the audit Markdown and a
    provider sheet carry no English marker word outside the quoted data sources.
"""

from __future__ import annotations

import re
import shutil
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import MINI, REPO, edit, edit_product

from tariefmodel.cli.main import main
from tariefmodel.data.problems import InputError
from tariefmodel.data.pydantic_nl import dutch_message

# Words that betray an English text (whole words: "valid" does not match "valid_from", "no" not "no-show").
ENGLISH = re.compile(r"\b(the|is missing|unknown|should|must|valid|Input|expected|not|for|and|with|request|tariff"
                     r"|(?<!-)no(?![- ]show))\b")

P_VERB = "parameters/products/02_verblijf.yaml"
COST = "parameters/cost_model.yaml"
ADD = "parameters/addenda.yaml"


def english(text: str) -> list[str]:
    return [line for line in text.splitlines() if ENGLISH.search(line)]


def messages(root: Path) -> list[str]:
    """The problems of loading and pricing ``root`` (2025), as the user reads them."""
    from tariefmodel.engine.book import price_book
    from tariefmodel.loader.load import load_region

    try:
        region = load_region(root)
        return [str(p) for p in price_book(region, 2025).problems]
    except InputError as exc:
        return [str(p) for p in exc.problems]


def differentiation_region(root: Path) -> Path:
    from test_differentiation import install_differentiation

    return install_differentiation(root)


# ============================================================================ (a) broken inputs


@dataclass(frozen=True)
class Case:
    break_it: Callable[[Path], object]
    expect: str  # the Dutch phrase of this kind of problem, in the line of the named file


CASES = {
    "wrong_type": Case(lambda d: edit_product(d / P_VERB, "DAG01", "group_size: 5", "group_size: vijf"),
                       f"FOUT {P_VERB}:9 [products.0.group_size]: geen geldig getal (gevonden: 'vijf')"),
    "missing_key": Case(lambda d: edit_product(d / P_VERB, "DAG01", "    caos: [alfa, beta]\n", ""),
                        f"FOUT {P_VERB}:3 [products.0.caos]: verplichte sleutel ontbreekt"),
    "unknown_key": Case(lambda d: edit_product(d / P_VERB, "DAG01", "group_size: 5\n",
                                               "group_size: 5\n    groepsgrote: 5\n"),
                        f"FOUT {P_VERB}:10 [products.0.groepsgrote]: onbekende sleutel (tikfout?)"),
    "bad_date_text": Case(lambda d: edit(d / COST, "  tariff_decimals:\n    values:\n      - from: 2024-01-01\n",
                                         "  tariff_decimals:\n    values:\n      - from: gisteren\n"),
                          "[rounding.tariff_decimals.values.0.from]: geen geldige datum (JJJJ-MM-DD) "
                          "(gevonden: 'gisteren')"),
    "bad_date_day": Case(lambda d: edit(d / COST, "  tariff_decimals:\n    values:\n      - from: 2024-01-01\n",
                                        "  tariff_decimals:\n    values:\n      - from: 2024-13-01\n"),
                         f"FOUT {COST}:108: '2024-13-01' is geen bestaande datum (JJJJ-MM-DD)"),
    "negative_decimals": Case(lambda d: edit(d / COST, "        value: 2\n        source: testdata afronding",
                                             "        value: -1\n        source: testdata afronding"),
                              "[rounding.tariff_decimals.values.0.value]: moet minstens 0 zijn (gevonden: -1)"),
    "negative_group": Case(lambda d: edit_product(d / P_VERB, "DAG01", "group_size: 5", "group_size: -2"),
                           f"FOUT {P_VERB}:9 [products.0.group_size]: -2 is niet groter dan 0"),
    "wrong_choice": Case(lambda d: edit_product(d / P_VERB, "DAG01", "unit: dagdeel", "unit: dag"),
                         "[products.0.unit]: moet een van 'minuut', 'uur', 'dagdeel', 'etmaal' of 'stuks' zijn "
                         "(gevonden: 'dag')"),
    "malformed_yaml": Case(lambda d: edit_product(d / P_VERB, "DAG01", "group_size: 5", "group_size: 5: 6"),
                           f"FOUT {P_VERB}:9: ongeldige YAML: hier mag geen 'sleutel: waarde' staan"),
    "unknown_product": Case(lambda d: edit(differentiation_region(d) / ADD,
                                           "    provider: groot-alfa\n    product: DAG01\n",
                                           "    provider: groot-alfa\n    product: XYZ01\n"),
                            "[addenda.0 (a-alfa).product]: product 'XYZ01' bestaat niet (of is geen berekend product)"),
    "rejected_request": Case(differentiation_region,
                             f"WAARSCHUWING {ADD} [a-afgewezen]: addendumverzoek a-afgewezen (groot-beta / DAG01) is "
                             "afgewezen: geen aanbiederspecifiek tarief in tariefjaar 2025"),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_a_broken_input_reads_in_dutch(kind: str, tmp_path: Path) -> None:
    root = tmp_path / "region"
    shutil.copytree(MINI, root)
    CASES[kind].break_it(root)
    found = messages(root)
    assert any(CASES[kind].expect in m for m in found), "\n".join(found)
    assert not english("\n".join(found)), "\n".join(found)


def test_every_pydantic_error_type_has_a_dutch_sentence() -> None:
    """Each error type pydantic-core can raise maps to Dutch; none passes pydantic's English on."""
    from pydantic_core.core_schema import ErrorType

    ctx = {"ge": 0, "gt": 0, "le": 4, "lt": 1, "expected": "'a', 'b' or 'c'", "min_length": 1, "max_length": 5,
           "actual_length": 0, "field_type": "List", "pattern": "^[a-z]+$", "error": "eigen tekst",
           "multiple_of": 2, "max_digits": 4, "decimal_places": 2, "whole_digits": 2, "class": "Decimal",
           "tag": "x", "expected_tags": "'a' or 'b'", "discriminator": "kind", "expected_schemes": "'https'",
           "expected_version": 4}
    generic = []
    for kind in typing.get_args(ErrorType):
        text = dutch_message({"type": kind, "ctx": ctx, "input": "x", "msg": "Input should be English"})
        assert text and not ENGLISH.search(text) and " or " not in text, (kind, text)
        if text.startswith("ongeldige waarde ("):
            generic.append(kind)
    # Only pydantic's internals (recursion, call arguments, ...) fall back to the generic sentence.
    assert len(generic) <= 12, generic


@pytest.mark.parametrize(("err", "expected"), [
    ({"type": "decimal_parsing", "input": "abc"}, "geen geldig getal (gevonden: 'abc')"),
    ({"type": "missing", "input": {}}, "verplichte sleutel ontbreekt"),
    ({"type": "extra_forbidden", "input": 1}, "onbekende sleutel (tikfout?)"),
    ({"type": "date_from_datetime_parsing", "input": "2024-13-01", "ctx": {"error": "month value is outside"}},
     "geen geldige datum (JJJJ-MM-DD) (gevonden: '2024-13-01')"),
    ({"type": "greater_than_equal", "input": -1, "ctx": {"ge": 0}}, "moet minstens 0 zijn (gevonden: -1)"),
    ({"type": "literal_error", "input": "x", "ctx": {"expected": "'draft' or 'adopted'"}},
     "moet een van 'draft' of 'adopted' zijn (gevonden: 'x')"),
    ({"type": "too_short", "input": [], "ctx": {"field_type": "List", "min_length": 1, "actual_length": 0}},
     "deze lijst heeft minstens 1 element nodig (gevonden: 0)"),
    ({"type": "string_too_short", "input": "ab", "ctx": {"min_length": 3}},
     "te kort: minstens 3 tekens (gevonden: 'ab')"),
    ({"type": "string_pattern_mismatch", "input": "Ambulant Jeugd", "ctx": {"pattern": r"^[a-z0-9][a-z0-9_\-]*$"}},
     "hier hoort een sleutel: kleine letters, cijfers, _ en -, beginnend met een letter of cijfer "
     "(gevonden: 'Ambulant Jeugd')"),
    ({"type": "bool_parsing", "input": "misschien"}, "hier hoort true of false (gevonden: 'misschien')"),
    ({"type": "value_error", "input": 5, "ctx": {"error": ValueError("5 is geen fractie")}}, "5 is geen fractie"),
    ({"type": "a_type_pydantic_adds_later", "input": 1}, "ongeldige waarde (a_type_pydantic_adds_later)"),
])
def test_dutch_message(err: dict, expected: str) -> None:
    assert dutch_message(err) == expected


# ============================================================================ (b) the bundled region's texts


def _data_sources() -> set[str]:
    """The source lines of the salary tables: quoted data (their authors' words), not our messages."""
    out = set()
    for csv in (REPO / "cao_tables").rglob("*.csv"):
        for line in csv.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break
            text = line.removeprefix("#").strip()
            out |= {text, _md(text)}  # as written, and as the Markdown report escapes a table cell
    return out


def _md(text: str) -> str:
    from tariefmodel.outputs.audit_report import _md as md_cell

    return md_cell(text)


def _ours(text: str) -> str:
    """``text`` without the quoted data sources."""
    for source in sorted(_data_sources(), key=len, reverse=True):
        text = text.replace(source, "<bron>")
    return text


def test_validate_output_of_the_bundled_region_is_dutch(runner) -> None:
    result = runner.invoke(main, ["validate", "--data", str(REPO), "--year", "2025", "--year", "2026", "--year", "2027"])
    assert result.exit_code == 0, result.output
    assert "addendumverzoek a-2025-004 (kompas-jeugd / 41A01) is afgewezen" in result.output
    assert not english(_ours(result.output)), "\n".join(english(_ours(result.output)))


def test_audit_of_the_bundled_region_is_dutch(runner, tmp_path: Path) -> None:
    out = tmp_path / "audit.md"
    result = runner.invoke(main, ["audit", "--data", str(REPO), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = _ours(out.read_text(encoding="utf-8"))
    assert not english(text), "\n".join(english(text))


def test_provider_sheet_of_the_bundled_region_is_dutch(runner, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "rozenhof.xlsx"
    result = runner.invoke(main, ["export", "provider", "de-rozenhof", "--data", str(REPO), "--year", "2025",
                                  "--out", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    cells = [f"[{ws.title}] {v}" for ws in wb.worksheets if ws.title != "Manifest"
             for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    text = _ours("\n".join(cells))
    assert any("addendum a-2025-001: groepsgrootte 6" in c for c in cells), "\n".join(cells)
    assert not english(text), "\n".join(english(text))
