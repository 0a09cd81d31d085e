"""Shared helpers for the scenario and budget tests: writable copies of the regions with budget files.

The mini region (tests/fixtures/mini_region) has no scenario or budget files; ``mini_budget_region``
adds small ones with round numbers so budget totals can be checked by hand. Its tariffs are
computed by hand in tests/test_handcomputed.py; the ones used here (2025):

    UUR01 alfa 64.60 (unrounded 64.6023541520...), UUR01 beta 58.03 = basistarief
    DAG01 alfa 38.34, DAG01 beta 35.97 = basistarief
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
MINI = TESTS / "fixtures" / "mini_region"

PROV = 'provenance: {source: "testdata", rationale: "testdata", assumption: true}'


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def bundled_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled region with its scenarios and budget files."""
    dest = tmp_path / "bundled"
    for folder in ("parameters", "cao_tables", "benchmarks", "scenarios"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


MUNICIPALITIES = """
description: testgemeenten
municipalities:
  - key: a
    name: Gemeente A
    population: [{year: 2024, inhabitants: 3000, youths: 600, source: testdata, rationale: testdata}]
  - key: b
    name: Gemeente B
    population: [{year: 2024, inhabitants: 1000, youths: 400, source: testdata, rationale: testdata}]
"""

VOLUMES = f"""
description: testvolumes
{PROV}
default_variant: basistarief
volumes:
  - product: UUR01
    variant: alfa
    units:
      2025: {{a: 1200, b: 600}}
  - product: DAG01
    units:
      2025: {{a: 100}}
"""

LUMP_SUMS = """
description: test lump sums
allocation_keys:
  inwoners: {label: inwoners, basis: inhabitants, source: testdata}
  jeugdigen: {label: jeugdigen, basis: youths, source: testdata}
  gebruik: {label: gebruik, basis: use, source: testdata}
lump_sums:
  - key: vast
    label: Vast bedrag
    contract: ambulant
    kind: fixed
    amount_eur: 1000
    allocation_key: inwoners
    source: testdata
    rationale: testdata
  - key: uren
    label: Uren
    contract: ambulant
    kind: hours
    cao: alfa
    staffing: {hbo: 1}
    productivity_norm: ambulant
    hours: [{label: overleg, count: 10, hours: 2}]
    allocation_key: jeugdigen
    source: testdata
    rationale: testdata
  - key: beschikbaar
    label: Beschikbaarheid 2 plekken
    contract: verblijf
    kind: availability
    cao: alfa
    staffing: {mbo: 1}
    productivity_norm: standaard
    places: 2
    staff_hours_per_day: 24
    days_per_year: 365
    accommodation: huisvesting
    allocation_key: gebruik
    source: testdata
    rationale: testdata
"""


def mini_budget_region(tmp_path: Path) -> Path:
    """A copy of the mini region with municipalities, volumes and lump sums (round numbers)."""
    dest = tmp_path / "mini"
    shutil.copytree(MINI, dest)
    write(dest, "parameters/municipalities.yaml", MUNICIPALITIES)
    write(dest, "parameters/volumes.yaml", VOLUMES)
    write(dest, "parameters/lump_sums.yaml", LUMP_SUMS)
    return dest


def scenario(root: Path, name: str, overrides: str, extends: str | None = None, label: str = "Testscenario") -> Path:
    """Write scenarios/<name>.yaml with the given overrides (YAML list items, indented two spaces)."""
    head = f"label: {label}\ndescription: testscenario\n{PROV}\n"
    if extends:
        head += f"extends: {extends}\n"
    return write(root, f"scenarios/{name}.yaml", head + "overrides:\n" + textwrap.dedent(overrides))
