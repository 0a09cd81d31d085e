"""Every provenance line in the bundled data names a public document, never one of our internal notes.

A reader of the region's data has the Inkoopplan, the Kaderdocument, the CAO texts and the VNG pages, but
not our digests of them (requirements.md, domain-research.md, domain-primer.md, tech-notes.md, the notes
under reference/), their ids (GAP-03, TAR-17) or the line numbers into our private text copies of the
source documents ([001:539], [000:12-15]). This test walks every file under the data folders and names
file and line of each such reference.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIRS = ("parameters", "cao_tables", "benchmarks", "scenarios")

INTERNAL = re.compile(
    r"requirements\.md"
    r"|domain-research"
    r"|domain-primer"
    r"|tech-notes"
    r"|cao-and-index-notes"
    r"|\b(?:GAP|TAR)-\d"
    r"|\[00\d:"
)


def _data_files() -> list[Path]:
    files = []
    for name in DATA_DIRS:
        folder = ROOT / name
        assert folder.is_dir(), f"data folder {name}/ not found under {ROOT}"
        files.extend(p for p in sorted(folder.rglob("*")) if p.is_file())
    return files


def test_data_folders_hold_files() -> None:
    assert len(_data_files()) > 20


def test_no_internal_note_references_in_data() -> None:
    found = []
    for path in _data_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # a binary file holds no provenance text
        for number, line in enumerate(text.splitlines(), start=1):
            match = INTERNAL.search(line)
            if match:
                found.append(f"{path.relative_to(ROOT)}:{number}: {match.group(0)!r} in {line.strip()[:120]}")
    assert not found, "internal note references in the data (cite the public document instead):\n" + "\n".join(found)
