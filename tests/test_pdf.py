"""PDF outputs: A4, Dutch amounts, numbered pages, the manifest in the metadata, verify, identical bytes, charts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from tariefmodel.cli.main import main

A4 = (595.28, 841.89)


def run(*args: object) -> None:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output


def pages(path: Path) -> list[str]:
    return [p.extract_text() for p in PdfReader(path).pages]


def manifest(path: Path) -> dict:
    keywords = str(PdfReader(path).metadata["/Keywords"])
    assert keywords.startswith("tariefmodel-manifest:")
    return json.loads(keywords.removeprefix("tariefmodel-manifest:"))


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("pdf")
    out = {"explain": d / "e.pdf", "audit": d / "a.pdf", "annex": d / "an.pdf", "provider": d / "pr.pdf"}
    run("explain", "43A01", "--year", 2025, "--out", out["explain"])
    run("audit", "--year", 2025, "--out", out["audit"])
    run("export", "annex", "--contract", "ambulant-jeugd", "--year", 2025, "--out", out["annex"])
    run("export", "provider", "kompas-jeugd", "--year", 2025, "--out", out["provider"])
    return out


def test_explain_pdf_shows_the_tariff_as_calculate_does(made: dict[str, Path]) -> None:
    # calculate: 43A01 jeugdzorg 2025 = 520.82 (directe kosten 425.5099 + 20% overhead 85.1020 = 510.6118;
    # + 2% winst en risico 10.2122 = 520.8241, rounded to cents; ORT capped at schaal 5 periodiek 11).
    text = "\n".join(pages(made["explain"]))
    assert "€ 520,82 per etmaal" in text
    assert "+ overhead" in text and "€ 85,10" in text  # the waterfall's bar labels
    assert manifest(made["explain"])["command"] == ["explain", "43A01", "--variant", "jeugdzorg", "--year", "2025"]


def test_every_page_is_a4_and_numbered(made: dict[str, Path]) -> None:
    for path in made.values():
        texts = pages(path)
        assert len(texts) >= 1
        for n, text in enumerate(texts, start=1):
            assert f"pagina {n} van {len(texts)}" in text, (path.name, n)
        for page in PdfReader(path).pages:
            size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
            assert size == pytest.approx(sorted(A4), abs=0.5)


def test_audit_prints_in_at_most_60_pages_register_last(made: dict[str, Path]) -> None:
    texts = pages(made["audit"])
    assert len(texts) <= 60
    assert "Samenvatting per contract" in texts[0] and "Bevindingen" in texts[0]
    assert "Bijlage: parameterregister" in "\n".join(texts[1:])
    assert "tarieven in dit model" in "\n".join(texts)  # the benchmark chart's legend
    last = texts[-1]
    assert "controleer met tariefmodel verify" in last.lower().replace("-\n", "").replace("\n", " ")
    assert not re.search(r"[0-9a-f]{64}", "\n".join(texts))  # no page of hashes


def test_workbook_pdfs_leave_the_manifest_out_and_carry_it_in_metadata(made: dict[str, Path]) -> None:
    for key in ("annex", "provider"):
        text = "\n".join(pages(made[key]))
        assert "manifest_json" not in text and "SHA-256" not in text.split("Gemaakt met tariefmodel")[0]
        assert manifest(made[key])["inputs"]
    assert "Tarievenblad 2025: Jeugdhulp Kompas" in pages(made["provider"])[0]


def test_same_input_same_bytes(made: dict[str, Path], tmp_path: Path) -> None:
    again = tmp_path / "e.pdf"
    run("explain", "43A01", "--year", 2025, "--out", again)
    assert again.read_bytes() == made["explain"].read_bytes()


def test_verify_ok_then_fails_after_a_tampered_page(made: dict[str, Path], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["verify", str(made["explain"])])
    assert result.exit_code == 0, result.output
    # Tamper: the first page's amount changed, the metadata (manifest) kept.
    reader = PdfReader(made["explain"])
    writer = PdfWriter(clone_from=reader)
    page = writer.pages[0]
    data = page.get_contents().get_data()
    assert b"520,82" in data
    from pypdf.generic import ContentStream

    stream = ContentStream(None, writer)
    stream.set_data(data.replace(b"520,82", b"620,82"))
    page.replace_contents(stream)
    writer.add_metadata(reader.metadata)
    bad = tmp_path / "e.pdf"
    with open(bad, "wb") as fh:
        writer.write(fh)
    result = CliRunner().invoke(main, ["verify", str(bad)])
    assert result.exit_code == 1, result.output
    assert "pagina 1" in result.output


def test_charts_are_drawings(made: dict[str, Path], tmp_path: Path) -> None:
    # The waterfall is vector drawing: filled rectangles ('re' ... 'f') in the first page's content.
    data = PdfReader(made["explain"]).pages[0].get_contents().get_data()
    assert data.count(b" re f") >= 6  # five steps and the tariff
    html = tmp_path / "a.html"
    run("audit", "--year", 2025, "--out", html)
    text = html.read_text(encoding="utf-8")
    assert "<svg" in text and "tarieven in dit model" in text
    assert "@page{size:A4" in text and "thead{display:table-header-group}" in text


def test_providers_as_pdf_one_per_provider(tmp_path: Path) -> None:
    run("export", "providers", "--year", 2025, "--format", "pdf", "--provider", "kompas-jeugd", "--out",
        tmp_path / "bladen")
    assert [p.name for p in (tmp_path / "bladen").iterdir()] == ["kompas-jeugd.pdf"]
    assert manifest(tmp_path / "bladen" / "kompas-jeugd.pdf")["command"][:3] == ["export", "provider", "kompas-jeugd"]


def test_workbooks_print_without_their_manifest(tmp_path: Path) -> None:
    import zipfile

    from openpyxl import load_workbook

    audit, sheet = tmp_path / "a.xlsx", tmp_path / "p.xlsx"
    run("audit", "--year", 2025, "--out", audit)
    run("export", "provider", "kompas-jeugd", "--year", 2025, "--out", sheet)
    for path in (audit, sheet):
        wb = load_workbook(path)
        assert wb["Manifest"].sheet_state == "hidden"  # verify still reads it; paper never shows it
        assert all(ws.sheet_state == "visible" for ws in wb.worksheets if ws.title != "Manifest")
    wb = load_workbook(audit)
    register = wb["Parameterregister"]
    assert register.print_title_rows == "$1:$1"
    assert register.page_setup.paperSize == 9 and register.page_setup.orientation == "landscape"
    rows = register.max_row
    assert register.print_area == f"'Parameterregister'!$A$1:$L${rows}"  # every row, without 'voedt' (column M)
    index = zipfile.ZipFile(audit).read("xl/worksheets/sheet3.xml").decode()
    assert '<pageSetUpPr fitToPage="1"/>' in index and 'fitToHeight="0"' in index
