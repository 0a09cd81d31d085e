"""The README promises: its worked example is the engine's own output, and its Quick start is two commands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_worked_example_matches_engine() -> None:
    # Regenerates the explain output of the README's worked tariff and compares it byte for byte.
    result = subprocess.run([sys.executable, str(ROOT / "scripts/worked_example.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_worked_example_reaches_the_tariff() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- worked:start -->")[1].split("<!-- worked:end -->")[0]
    # From a CAO table cell to the unit price in eurocent, with sources.
    assert "cao_tables/jeugdzorg/schalen_" in block
    assert re.search(r"TARIEF per uur\s+€ \d+,\d\d\s+\(\d+ eurocent\)", block)
    assert "Inkoopplan" in block


def test_quick_start_has_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    code = section.split("```bash", 1)[1].split("```", 1)[0]
    commands = [ln for ln in code.strip().splitlines() if ln.strip()]
    assert len(commands) == 2
    assert "tariefmodel calculate" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert "python3 -m pytest" in ci or commands[1] in ci
