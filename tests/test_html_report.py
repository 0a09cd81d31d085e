"""The HTML audit report in a real browser (issue 6): headless Chromium renders the page, dumps its DOM, screenshots it.

Skipped when `chromium` is not installed, except when CI=true: then it fails, so the proof cannot silently skip
(.ci/run installs the Debian packages chromium and chromium-driver). The page is the audit of the mini region with a
perverse incentive (UUR01 declared the specialisation of MIN01) and an old source (overhead.rate dated 2015), so that
the findings table holds warnings and an info row.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from conftest import MINI, edit, edit_product

from tariefmodel.cli.main import main
from tariefmodel.trail import manifest as mf

CHROMIUM = shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def chromium() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed, and on CI the browser proof must run (apt-get install chromium "
                        "chromium-driver)")
        pytest.skip("chromium is not installed (apt-get install chromium chromium-driver)")
    return CHROMIUM


def run_chromium(chromium: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("html") / "region"
    shutil.copytree(MINI, root)
    edit_product(root / "parameters/products/01_ambulant.yaml", "UUR01", "    no_show: true\n",
                 "    no_show: true\n    lighter_twin: MIN01\n")
    block = "      - from: 2024-01-01\n        value: 0.10\n        source: testdata overhead\n"
    edit(root / "parameters/cost_model.yaml", block, block + "        source_date: 2015-06-30\n")
    out = root.parent / "audit.html"
    result = CliRunner().invoke(main, ["audit", "--data", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def dom(chromium, report, tmp_path_factory) -> str:
    proc = run_chromium(chromium, tmp_path_factory.mktemp("dom"), "--window-size=1280,2000", "--dump-dom",
                        report.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def section_table(dom: str, heading: str) -> str:
    start = dom.index(f"<h2>{heading}</h2>")
    return dom[start: dom.index("</table>", start)]


def test_dom_has_title_and_heading(dom) -> None:
    assert "<title>Auditrapport Testregio Mini 2025</title>" in dom
    assert "<h1>Auditrapport Testregio Mini, tariefjaar 2025</h1>" in dom
    assert '<span class="fout">0 fouten</span>' in dom and "4 waarschuwingen" in dom


def test_dom_has_the_findings_table(dom) -> None:
    table = section_table(dom, "Bevindingen")
    rows = re.findall(r'<tr class="(fout|waarschuwing|info)">(.*?)</tr>', table, re.S)
    kinds = [re.findall(r"<td[^>]*>(.*?)</td>", r)[1] for _, r in rows]
    assert sorted(kinds) == ["bron-zonder-datum", "loon-onder-cao", "oude-bron", "perverse-prikkel", "perverse-prikkel"]
    assert [c for c, _ in rows] == ["waarschuwing"] * 4 + ["info"]  # ordered by severity
    assert "UUR01/alfa" in table and "brondatum: 30-06-2015" in table


def test_dom_has_the_register_and_the_summary(dom) -> None:
    register = section_table(dom, "Parameterregister")
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", register, re.S) if "<td>overhead.rate</td>" in r)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[:6] == ["parameters/cost_model.yaml", "overhead.rate", "0.10", "01-01-2024", "testdata overhead",
                         "30-06-2015"]
    assert cells[8] == "adopted" and cells[10].startswith("12: DAG01/alfa, DAG01/basistarief")
    assert register.count("<tr>") == 1 + 36  # header + 34 values + 2 salary tables
    summary = section_table(dom, "Samenvatting per contract")
    assert "<td>Ambulant</td><td>Jeugdwet</td>" in summary and "€ 402,05" in summary


def test_dom_keeps_the_manifest(dom, report) -> None:
    match = re.search(r"<!-- tariefmodel-manifest: (.*?) -->", dom)
    assert match, "the manifest comment survives in the rendered DOM"
    assert json.loads(match.group(1)) == mf.read(report)


def test_page_is_self_contained(report) -> None:
    text = report.read_text(encoding="utf-8")
    assert "<style>" in text
    assert not re.search(r"<(script|link|img|iframe)\b", text)
    assert not re.search(r"(src|href)\s*=", text)
    assert not re.search(r"url\(", text)


def test_screenshot(chromium, report, tmp_path) -> None:
    png = tmp_path / "audit.png"
    proc = run_chromium(chromium, tmp_path, f"--screenshot={png}", "--window-size=1280,2000", report.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2000)
    assert len(data) > 20_000  # a rendered page, not a blank one (a white 1280x2000 PNG is a few kB)
    keep = os.environ.get("TARIEFMODEL_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(png, keep)


# A probe appended to a copy of the report: computed styles and sizes as the browser laid them out.
PROBE = """<script>
document.addEventListener('DOMContentLoaded', () => {
  const rows = [...document.querySelectorAll('tr.fout, tr.waarschuwing, tr.info')]
    .map(r => [r.className, getComputedStyle(r).backgroundColor]);
  const probe = document.createElement('pre');
  probe.id = 'probe';
  probe.textContent = JSON.stringify({rows: rows, scrollWidth: document.documentElement.scrollWidth,
                                      clientWidth: document.documentElement.clientWidth});
  document.body.appendChild(probe);
});
</script></body>"""


@pytest.fixture(scope="module")
def layout(chromium, report, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("probe")
    page = tmp / "probe.html"
    page.write_text(report.read_text(encoding="utf-8").replace("</body>", PROBE), encoding="utf-8")
    proc = run_chromium(chromium, tmp, "--window-size=1280,2000", "--dump-dom", page.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    match = re.search(r'<pre id="probe">(.*?)</pre>', proc.stdout, re.S)
    assert match, "the probe ran"
    return json.loads(match.group(1).replace("&quot;", '"'))


def test_summary_and_findings_fit_the_window(layout) -> None:
    assert layout["clientWidth"] > 1200
    assert len(layout["rows"]) == 5


def test_rows_of_one_severity_have_one_colour(layout) -> None:
    colours: dict[str, set[str]] = {}
    for cls, colour in layout["rows"]:
        colours.setdefault(cls, set()).add(colour)
    assert all(len(c) == 1 for c in colours.values()), colours


def test_page_fits_a_1280_pixel_window(layout) -> None:
    assert layout["scrollWidth"] <= layout["clientWidth"]
