"""A region with a ZIN tariff list and a pgb rule for external tariffs (tests of the list and the workbook)."""

from __future__ import annotations

from pathlib import Path

from workbook_helpers import data_copy

REPO = Path(__file__).resolve().parent.parent

# What Excel saves in Dutch: a byte-order mark, ';', decimal commas, dates as dd-mm-jjjj, CRLF.
ZIN_NL = ("\ufeff# Tarievenlijst van de buurregio (testgegevens)\r\n"
          "code;eenheid;bedrag;geldig_vanaf;geldig_tot;bron;besluit\r\n"
          "45a60;dagdeel;61,37;01-01-2025;31-12-2025;Tarievenlijst Jeugd 2025 buurregio (testgegevens);"
          "Collegebesluit 2024/77\r\n"
          "45A60;dagdeel;63,00;01-01-2026;;Tarievenlijst Jeugd 2026 buurregio (testgegevens);\r\n"
          "42A01;stuks;12,35;01-01-2025;;Vervoerstarief buurregio 2025 (testgegevens);\r\n")
# The same list as the canonical file: ',' and points, ISO dates, English column names.
ZIN_EN = ("code,unit,amount,valid_from,valid_until,source,decision\n"
          "45A60,dagdeel,61.37,2025-01-01,2025-12-31,Tarievenlijst Jeugd 2025 buurregio (testgegevens),"
          "Collegebesluit 2024/77\n"
          "45A60,dagdeel,63.00,2026-01-01,,Tarievenlijst Jeugd 2026 buurregio (testgegevens),\n"
          "42A01,stuks,12.35,2025-01-01,,Vervoerstarief buurregio 2025 (testgegevens),\n")
EXTERNAL_PGB = """pgb_external_products:
  description: test
  values:
    - from: 2025-01-01
      value: ["48A01"]
      source: testgegevens pgb-regel externe tarieven
      rationale: Testen dat een extern tarief pgb-tarieven krijgt.
"""


def region_with(tmp: Path, zin: str | None, external_pgb: bool = False) -> Path:
    """A copy of the bundled region in ``tmp/regio`` with ``zin`` as its ZIN list (none when None)."""
    root = data_copy(REPO, tmp / "regio")
    if zin is not None:
        (root / "parameters" / "zin_tarieven.csv").write_bytes(zin.encode("utf-8"))
    if external_pgb:
        diff = root / "parameters" / "differentiation.yaml"
        text = diff.read_text(encoding="utf-8")
        start = text.index("pgb_external_products:")
        diff.write_text(text[:start] + EXTERNAL_PGB, encoding="utf-8")
    return root
