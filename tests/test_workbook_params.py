"""(f) The parameter workbook round trip: export, edit, import back into cost_model.yaml, or refuse."""

from __future__ import annotations

import datetime as dt
import difflib
import typing
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import edit
from workbook_helpers import data_copy, engine_tariffs

from tariefmodel.cli.main import main
from tariefmodel.data.bundled import bundled_region
from tariefmodel.loader.load import load_region
from tariefmodel.outputs.workbooks import param_kinds as kinds
from tariefmodel.outputs.workbooks import paramsource, xlsxguard
from tariefmodel.outputs.workbooks.parambook import COL, HEADERS
from tariefmodel.upkeep import yamltext as yamledit

COST = "parameters/cost_model.yaml"


@pytest.fixture
def region_copy(tmp_path, mini_path) -> Path:
    return data_copy(mini_path, tmp_path / "data")


@pytest.fixture(autouse=True)
def _as_of_2024(monkeypatch) -> None:
    """These tests edit the data's 2024 entries as they could be edited in 2024, before they priced a past year;
    the history rule itself (no overwriting a value of a past year) is tested in test_region_setup.py."""
    from tariefmodel.outputs.workbooks import paramimport

    monkeypatch.setattr(paramimport, "_today", lambda: dt.date(2024, 6, 1))


def _export(runner, root: Path, out: Path) -> Path:
    result = runner.invoke(main, ["export", "parameters", "--data", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _import(runner, root: Path, book: Path, *extra: str):
    return runner.invoke(main, ["import", "parameters", str(book), "--data", str(root), *extra])


def _row(ws, path: str) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, COL["path"] + 1).value == path:
            return r
    raise KeyError(path)


def _set(ws, path: str, **fields: object) -> int:
    r = _row(ws, path)
    for name, value in fields.items():
        ws.cell(r, COL[name] + 1).value = value
    return r


def _edited(book: Path, out: Path, path: str, **fields: object) -> Path:
    wb = openpyxl.load_workbook(book)
    _set(wb["Parameters"], path, **fields)
    wb.save(out)
    return out


def test_export_then_import_without_edits_changes_nothing(runner, tmp_path) -> None:
    root = data_copy(bundled_region(), tmp_path / "data")
    before = (root / COST).read_bytes()
    book = _export(runner, root, tmp_path / "p.xlsx")
    result = _import(runner, root, book)
    assert result.exit_code == 0, result.output
    assert "Geen wijzigingen" in result.output
    assert (root / COST).read_bytes() == before
    # also after a save by a spreadsheet library (cached types, styles and validations rewritten)
    wb = openpyxl.load_workbook(book)
    wb.save(tmp_path / "resaved.xlsx")
    result = _import(runner, root, tmp_path / "resaved.xlsx")
    assert result.exit_code == 0, result.output
    assert (root / COST).read_bytes() == before


def test_one_row_per_dated_entry_with_validation(runner, region_copy, tmp_path) -> None:
    book = _export(runner, region_copy, tmp_path / "p.xlsx")
    ws = openpyxl.load_workbook(book)["Parameters"]
    assert [c.value for c in ws[1]] == HEADERS
    source = paramsource.parse((region_copy / COST).read_bytes())
    assert ws.max_row - 1 == len(source.entries)
    r = _row(ws, "overhead.rate")
    assert ws.cell(r, COL["value"] + 1).value == pytest.approx(0.10)
    assert ws.cell(r, COL["from"] + 1).value == dt.datetime(2024, 1, 1)
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    value_col = openpyxl.utils.get_column_letter(COL["value"] + 1)
    fraction = rules[f"{value_col}{r}"]
    assert (fraction.type, fraction.formula1, fraction.formula2) == ("decimal", "0", "1")
    assert fraction.operator in (None, "between")  # between is the default
    convention = rules[f"{value_col}{_row(ws, 'overhead.convention')}"]
    assert convention.type == "list" and convention.formula1 == '"markup,share"'
    status_col = openpyxl.utils.get_column_letter(COL["status"] + 1)
    assert rules[f"{status_col}{r}"].formula1 == '"draft,adopted"'


def test_an_edit_with_source_and_rationale_is_applied_and_listed(runner, region_copy, tmp_path) -> None:
    before = (region_copy / COST).read_text(encoding="utf-8")
    book = _export(runner, region_copy, tmp_path / "p.xlsx")
    edited = _edited(book, tmp_path / "e.xlsx", "overhead.rate", value=0.125,
                     source="Benchmark overhead 2025 (test)", rationale="Nieuwe afweging na de benchmark.",
                     source_date=dt.datetime(2025, 2, 1))
    result = _import(runner, region_copy, edited)
    assert result.exit_code == 0, result.output
    assert "overhead.rate (vanaf 01-01-2024), Waarde: 0.10 -> 0.125" in result.output
    assert "Bron: 'testdata overhead' -> 'Benchmark overhead 2025 (test)'" in result.output
    assert "Datum bron: (leeg) -> 01-02-2025" in result.output
    after = (region_copy / COST).read_text(encoding="utf-8")
    old_lines, new_lines = before.splitlines(), after.splitlines()
    diff = [d for d in difflib.ndiff(old_lines, new_lines) if d[:1] in "+-"]
    start = old_lines.index("        source: testdata overhead") - 1
    assert [d for d in diff if d[0] == "-"] == ["-         value: 0.10", "-         source: testdata overhead",
                                                "-         rationale: Rond getal."]
    assert [d for d in diff if d[0] == "+"] == ["+         value: 0.125",
                                                "+         source: Benchmark overhead 2025 (test)",
                                                "+         source_date: 2025-02-01",  # right after source
                                                "+         rationale: Nieuwe afweging na de benchmark."]
    assert new_lines[:start] == old_lines[:start]  # comments and layout before and after are kept
    assert new_lines[start + 4:] == old_lines[start + 3:]
    region = load_region(region_copy, use_cache=False)
    assert region.cost_model.overhead.rate.values[0].value == Decimal("0.125")
    # and importing the same workbook again finds nothing left to change
    again = _import(runner, region_copy, edited)
    assert again.exit_code == 0 and "Geen wijzigingen" in again.output


def test_an_edit_without_source_is_refused_and_nothing_written(runner, region_copy, tmp_path) -> None:
    before = (region_copy / COST).read_bytes()
    book = _export(runner, region_copy, tmp_path / "p.xlsx")
    edited = _edited(book, tmp_path / "e.xlsx", "overhead.rate", value=0.125, source=None,
                     rationale="Nieuwe afweging.")
    result = _import(runner, region_copy, edited)
    assert result.exit_code == 2
    row = _row(openpyxl.load_workbook(edited)["Parameters"], "overhead.rate")
    assert f"blad Parameters, rij {row}, kolom G (Bron)" in result.output
    assert "bron ontbreekt" in result.output
    assert "er is niets geschreven" in result.output
    assert (region_copy / COST).read_bytes() == before


def test_a_new_value_with_the_old_source_and_rationale_is_refused(runner, region_copy, tmp_path) -> None:
    before = (region_copy / COST).read_bytes()
    book = _export(runner, region_copy, tmp_path / "p.xlsx")
    result = _import(runner, region_copy, _edited(book, tmp_path / "e.xlsx", "profit_risk_rate", value=0.03))
    assert result.exit_code == 2
    assert "kolom E (Waarde)" in result.output and "bron en afweging niet" in result.output
    assert (region_copy / COST).read_bytes() == before


def test_a_value_the_schema_refuses_is_refused(runner, region_copy, tmp_path) -> None:
    before = (region_copy / COST).read_bytes()
    book = _export(runner, region_copy, tmp_path / "p.xlsx")
    edited = _edited(book, tmp_path / "e.xlsx", "no_show.rate", value=4.94, source="Rapport no-show 2025",
                     rationale="Percentage als getal ingevuld (fout).")
    result = _import(runner, region_copy, edited)
    assert result.exit_code == 2
    assert "no_show.rate vanaf 01-01-2024" in result.output and "geen fractie" in result.output
    assert (region_copy / COST).read_bytes() == before


def test_a_change_the_engine_cannot_price_is_refused(runner, region_copy, tmp_path) -> None:
    """A share convention with an overhead of 100% divides by zero: the region check names it."""
    before = (region_copy / COST).read_bytes()
    book = _export(runner, region_copy, tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["Parameters"]
    _set(ws, "overhead.convention", value="share", source="Besluit conventie (test)", rationale="Aandeel.")
    _set(ws, "overhead.rate", value=1, source="Besluit overhead (test)", rationale="Alles overhead.")
    wb.save(tmp_path / "e.xlsx")
    result = _import(runner, region_copy, tmp_path / "e.xlsx")
    assert result.exit_code == 2
    assert "overhead.rate" in result.output and "onder 1" in result.output
    assert (region_copy / COST).read_bytes() == before


def test_dry_run_lists_and_writes_nothing(runner, region_copy, tmp_path) -> None:
    before = (region_copy / COST).read_bytes()
    book = _export(runner, region_copy, tmp_path / "p.xlsx")
    edited = _edited(book, tmp_path / "e.xlsx", "profit_risk_rate", value=0.03, source="Nieuw besluit (test)",
                     rationale="Hoger risico.")
    result = _import(runner, region_copy, edited, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "profit_risk_rate" in result.output and "niets geschreven" in result.output
    assert (region_copy / COST).read_bytes() == before


def test_a_shared_entry_changes_everywhere(runner, tmp_path) -> None:
    """An entry behind a YAML anchor (&vakantie) is one row; its change reaches every norm that shares it."""
    root = data_copy(bundled_region(), tmp_path / "data")
    book = _export(runner, root, tmp_path / "p.xlsx")
    ws = openpyxl.load_workbook(book)["Parameters"]
    r = _row(ws, "productivity_norms.ambulant.breakdown.vakantie.value")
    assert "productivity_norms.groep.breakdown.vakantie.value" in ws.cell(r, COL["aliases"] + 1).value
    edited = _edited(book, tmp_path / "e.xlsx", "productivity_norms.ambulant.breakdown.vakantie.value", value=150,
                     source="CAO-tekst 2025 (test)", rationale="Meer verlofuren (test).")
    result = _import(runner, root, edited)
    assert result.exit_code == 0, result.output
    assert "(ook productivity_norms.groep.breakdown.vakantie.value" in result.output
    text = (root / COST).read_text(encoding="utf-8")
    assert "vakantie: &vakantie" in text and "vakantie: *vakantie" in text  # the anchor stays
    cm = load_region(root, use_cache=False).cost_model
    assert cm.productivity_norms["groep"].breakdown["vakantie"].value.values[0].value == 150


def test_text_that_looks_like_a_formula_survives_the_round_trip(runner, region_copy, tmp_path) -> None:
    edit(region_copy / COST, "source: testdata winst en risico", 'source: "=testdata winst en risico"')
    before = (region_copy / COST).read_bytes()
    book = _export(runner, region_copy, tmp_path / "p.xlsx")
    ws = openpyxl.load_workbook(book)["Parameters"]
    cell = ws.cell(_row(ws, "profit_risk_rate"), COL["source"] + 1)
    assert cell.data_type == "s" and cell.value == "'=testdata winst en risico"
    result = _import(runner, region_copy, book)
    assert result.exit_code == 0 and "Geen wijzigingen" in result.output
    assert (region_copy / COST).read_bytes() == before


@pytest.mark.parametrize("change", ["formula", "added_row", "dropped_row", "read_only", "header", "bad_enum",
                                    "bad_date"])
def test_malformed_workbooks_are_refused(runner, region_copy, tmp_path, change) -> None:
    before = (region_copy / COST).read_bytes()
    book = _export(runner, region_copy, tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["Parameters"]
    r = _row(ws, "profit_risk_rate")
    expected = {
        "formula": "bevat een formule",
        "added_row": "geen parameter 'profit_risk_ratio'",
        "dropped_row": "regel ontbreekt: profit_risk_rate",
        "read_only": "alleen-lezen kolom",
        "header": "kopje",
        "bad_enum": "geen keuze",
        "bad_date": "geen datum",
    }[change]
    if change == "formula":
        ws.cell(r, COL["value"] + 1).value = "=0.01*3"
    elif change == "added_row":
        new = ws.max_row + 1
        for c in range(1, len(HEADERS) + 1):
            ws.cell(new, c).value = ws.cell(r, c).value
        ws.cell(new, COL["from"] + 1).value = dt.datetime(2026, 1, 1)
        ws.cell(new, COL["path"] + 1).value = "profit_risk_ratio"  # a row for a known parameter is a new value
    elif change == "dropped_row":
        ws.delete_rows(r)
    elif change == "read_only":
        ws.cell(r, COL["description"] + 1).value = "Andere omschrijving"
    elif change == "header":
        ws.cell(1, COL["value"] + 1).value = "Bedrag"
    elif change == "bad_enum":
        ws.cell(_row(ws, "overhead.convention"), COL["value"] + 1).value = "opslag"
    else:
        ws.cell(r, COL["decided_on"] + 1).value = "gisteren"
    wb.save(tmp_path / "e.xlsx")
    result = _import(runner, region_copy, tmp_path / "e.xlsx")
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert (region_copy / COST).read_bytes() == before


def test_a_file_that_is_not_xlsx_is_refused(runner, region_copy, tmp_path) -> None:
    before = (region_copy / COST).read_bytes()
    fake = tmp_path / "p.xlsx"
    fake.write_text("parameter,waarde\noverhead.rate,0.3\n", encoding="utf-8")
    result = _import(runner, region_copy, fake)
    assert result.exit_code == 2
    assert "geen xlsx-bestand" in result.output
    other_zip = tmp_path / "q.xlsx"
    with zipfile.ZipFile(other_zip, "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    result = _import(runner, region_copy, other_zip)
    assert result.exit_code == 2 and "xl/workbook.xml ontbreekt" in result.output
    missing = _import(runner, region_copy, tmp_path / "missing.xlsx")
    assert missing.exit_code == 2 and "bestaat niet" in missing.output
    assert (region_copy / COST).read_bytes() == before


def _with_part(src: Path, dest: Path, name: str, data: str, rels: str | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if rels is not None and item.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
            zout.writestr(item, content)
        zout.writestr(name, data)
    return dest


def test_a_workbook_with_an_external_link_is_refused(runner, region_copy, tmp_path) -> None:
    before = (region_copy / COST).read_bytes()
    book = _export(runner, region_copy, tmp_path / "p.xlsx")
    link = ('<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
            '</externalLink>')
    rel = ('<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           'externalLink" Target="externalLinks/externalLink1.xml"/>')
    linked = _with_part(book, tmp_path / "linked.xlsx", "xl/externalLinks/externalLink1.xml", link, rel)
    result = _import(runner, region_copy, linked)
    assert result.exit_code == 2
    assert "externe koppelingen" in result.output
    outside = ('<Relationship Id="rId98" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
               'oleObject" Target="file:///C:/andere/map.xlsx" TargetMode="External"/>')
    result = _import(runner, region_copy, _with_part(book, tmp_path / "ole.xlsx", "xl/extra.xml", "<x/>", outside))
    assert result.exit_code == 2 and "externe koppeling" in result.output
    assert (region_copy / COST).read_bytes() == before


def test_a_too_large_file_is_refused(runner, region_copy, tmp_path, monkeypatch) -> None:
    book = _export(runner, region_copy, tmp_path / "p.xlsx")
    monkeypatch.setattr(xlsxguard, "MAX_BYTES", 1000)
    result = _import(runner, region_copy, book)
    assert result.exit_code == 2 and "groter dan de grens" in result.output


def test_the_edited_yaml_prices_like_the_edit(runner, region_copy, tmp_path) -> None:
    """After an import the engine prices with the new value: the workbook edit and the YAML agree."""
    old = engine_tariffs(region_copy, 2025)
    book = _export(runner, region_copy, tmp_path / "p.xlsx")
    edited = _edited(book, tmp_path / "e.xlsx", "no_show.rate", value=0.08, source="Meting no-show 2025 (test)",
                     rationale="Gemeten no-show (test).")
    assert _import(runner, region_copy, edited).exit_code == 0
    new = engine_tariffs(region_copy, 2025)
    no_show = [(a, b) for a, b in zip(old, new, strict=True) if a.product.product.no_show]
    assert no_show and all(b.tariff_eur > a.tariff_eur for a, b in no_show)


# --------------------------------------------------------------------------- building blocks


def test_kinds_follow_the_schema(region_copy) -> None:
    """kinds.py mirrors schema.CostModelFile without pydantic; check every parameter of both regions."""
    from tariefmodel.data.schema import CostModelFile

    for root in (region_copy, bundled_region()):
        source = paramsource.parse((root / COST).read_bytes())
        model = CostModelFile.model_validate(source.data)
        for e in source.entries:
            for path in (e.path, *e.aliases):
                kind = kinds.kind_of(path, model)
                field = _schema_value_field(model, path)
                literal = typing.get_args(field.annotation) if typing.get_origin(field.annotation) is typing.Literal \
                    else ()
                if literal:
                    assert kind.kind == "enum" and kind.choices == literal, path
                elif kind.kind == "int":
                    assert int in (field.annotation, *typing.get_args(field.annotation)) or "int" in str(field.annotation)
                else:
                    validators = {getattr(m, "func", None).__name__ for m in field.metadata if hasattr(m, "func")}
                    if kind.kind == "fraction" and "_fraction" not in validators:
                        assert "_non_negative" in validators, path  # shares and uplifts: checked elsewhere too
                    if kind.kind in ("amount", "hours"):
                        assert "_non_negative" in validators, path


def _schema_value_field(model, path: str):
    node = model
    for part in path.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    dated = typing.get_args(type(node).model_fields["values"].annotation)[0]
    return dated.model_fields["value"]


def test_yaml_edits_keep_everything_else() -> None:
    text = ("# kop\nx:\n  values:\n    - from: 2024-01-01\n      value: 0.20  # commentaar\n"
            "      source: \"oude bron\"\n      rationale: >-\n        lang\n        verhaal\n\n"
            "      status: draft\n# staart\n")
    source = paramsource.parse(text.encode())
    node = source.entries[0].node
    edits = [yamledit.set_field(text, node, "value", Decimal("0.25")),
             yamledit.set_field(text, node, "source", 'nieuwe: "bron"'),
             yamledit.set_field(text, node, "rationale", "kort"),
             yamledit.set_field(text, node, "status", None, remove=True)]
    new = yamledit.apply(text, edits)
    assert new == ("# kop\nx:\n  values:\n    - from: 2024-01-01\n      value: 0.25  # commentaar\n"
                   "      source: \"nieuwe: \\\"bron\\\"\"\n      rationale: kort\n\n# staart\n")
    assert yamledit.render("ja", None, 0) == '"ja"' or yamledit.render("ja", None, 0) == "ja"
    assert yamledit.render("true", None, 4) == '"true"'  # would read back as a boolean
    assert yamledit.render("01-01", '"', 4) == '"01-01"'
    assert yamledit.render(Decimal("27000.0"), None, 4) == "27000"
