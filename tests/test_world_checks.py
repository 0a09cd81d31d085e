"""Tariffs held against the world (published tariffs) and the AMvB reële prijs check, in the audit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tariefmodel.loader.load import load_region
from tariefmodel.outputs.audit_report import amvb_html, amvb_markdown
from tariefmodel.trail.audit import build_audit

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def report():
    return build_audit(load_region(REPO), 2025)


def _finding(report, kind: str, subject: str):
    return next(f for f in report.findings if f.kind == kind and f.subject == subject)


def test_a_residential_tariff_far_above_the_observed_range_is_flagged(report) -> None:
    f = _finding(report, "tarief-buiten-waarneming", "43A02/basistarief")
    figures = dict(f.figures)
    # 43A02 basistarief 2025 = 822.67 (jeugdzorg, ORT capped); comparable: Bollenstreek 44A27 EUR 83,55 - 195,91
    assert figures["tarief"] == "€ 822,67"
    assert (figures["waargenomen laag"], figures["waargenomen hoog"]) == ("€ 83,55", "€ 195,91")
    assert "boven" in f.message and "pgb-bollenstreek-2024-verblijf-24uur" in figures


def test_the_nearest_benchmarks_are_named_weak_ones_marked(report) -> None:
    f = _finding(report, "tarief-buiten-waarneming", "01A01/basistarief")
    # HbH EUR 40,00 vs 29.59 .. 38.40: nearest first Purmerend 2025 35.40 - 38.40 (weak; |40.00 - 38.40| = 1.60),
    # then 32.40 (Westerveld; 7.60), 31.80 (meerinzicht, weak; 8.20)
    keys = [k for k, _ in f.figures[3:]]
    assert keys == ["zin-purmerend-2025-hbh", "zin-westerveld-2023-hbh", "zin-meerinzicht-2023-hbh"]
    figures = dict(f.figures)
    assert (figures["waargenomen laag"], figures["waargenomen hoog"]) == ("€ 29,59", "€ 38,40")
    assert figures["zin-purmerend-2025-hbh"].startswith("€ 35,40 - € 38,40 (zwak)")
    assert figures["zin-meerinzicht-2023-hbh"].startswith("€ 31,80 (zwak)")


def test_a_tariff_inside_its_range_is_not_flagged(report) -> None:
    # 45A48 ambulant regulier 2025 EUR 74,48 lies within EUR 55,80 (Westerveld 2023) - 78,00 (Bollenstreek 2024)
    assert not [f for f in report.findings if f.subject.startswith("45A48/")]
    # 27 general tariffs (2025) have a comparable published tariff of their unit; 13 lie outside the range
    assert report.checked["gepubliceerde tarieven"] == 27
    assert len([f for f in report.findings if f.kind == "tarief-buiten-waarneming"]) == 13


def test_a_pgb_maximum_without_pgb_equals_zin_is_listed_but_sets_no_range(report) -> None:
    # De Wolden's pgb maxima (no compares) no longer set the dagdeel range of 41: the lowest comparable is
    # Bollenstreek 41A00 EUR 68,82, so 41A00 (2025 EUR 64,64) now lies below it; 45A52 and 45A60 are unchecked
    f = _finding(report, "tarief-buiten-waarneming", "41A00/basistarief")
    assert (dict(f.figures)["tarief"], dict(f.figures)["waargenomen laag"]) == ("€ 64,64", "€ 68,82")
    assert "onder" in f.message
    assert not [f for f in report.findings if f.subject.split("/")[0] in ("45A52", "45A60", "45A61")]


def test_every_amvb_factor_is_listed_and_the_uncovered_one_is_a_finding(report) -> None:
    keys = [r.key for r in report.amvb]
    assert keys[:7] == ["wmo-a-beroepskracht", "wmo-b-overhead", "wmo-c-niet-productief", "wmo-d-reiskosten",
                        "wmo-d-opleidingskosten", "wmo-e-indexatie", "wmo-f-gemeentelijke-verplichtingen"]
    assert "jw-tariefdifferentiatie" in keys
    rows = {r.key: r for r in report.amvb}
    assert "parameters/cost_model.yaml: overhead.rate" in rows["wmo-b-overhead"].parameters
    assert "cao_tables/jeugdzorg/cao.yaml: ort_cap" in rows["wmo-a-beroepskracht"].parameters
    assert rows["wmo-d-opleidingskosten"].parameters == ()
    uncovered = [f.subject for f in report.findings if f.kind == "amvb-reele-prijs"]
    assert uncovered == ["wmo-d-opleidingskosten"]


def test_the_amvb_section_renders_with_the_article_address(report) -> None:
    md = "\n".join(amvb_markdown(report))
    assert "[art. 5.4 lid 3 onder b Uitvoeringsbesluit Wmo 2015](https://wetten.overheid.nl/BWBR0035733)" in md
    assert "**geen parameter**" in md
    html = amvb_html(report)
    assert html.count("<tr") == len(report.amvb) + 1 and 'class="waarschuwing"' in html


def test_without_the_factor_file_there_is_no_amvb_section(tmp_path: Path) -> None:
    root = tmp_path / "r"
    for folder in ("parameters", "cao_tables", "benchmarks"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "parameters" / "amvb_factors.yaml").unlink()
    rep = build_audit(load_region(root, use_cache=False), 2025)
    assert rep.amvb == [] and amvb_markdown(rep) == []
    assert not [f for f in rep.findings if f.kind == "amvb-reele-prijs"]


def test_a_tariff_benchmark_needs_a_unit(tmp_path: Path) -> None:
    from tariefmodel.data.problems import InputError

    root = tmp_path / "r"
    for folder in ("parameters", "cao_tables", "benchmarks"):
        shutil.copytree(REPO / folder, root / folder)
    path = root / "benchmarks" / "tarieven.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    tariff_unit: uur\n    compares: [\"01A01\"]\n    source_date: 2021-01-01\n",
                                 "    compares: [\"01A01\"]\n    source_date: 2021-01-01\n", 1), encoding="utf-8")
    with pytest.raises(InputError, match="tariff_unit"):
        load_region(root, use_cache=False)
