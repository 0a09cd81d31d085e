"""Write changed files into a data folder only after the changed folder loads and prices.

The check runs on a temporary copy (``load_region(copy, use_cache=False)``, then
the book of the region's default year), so a change that breaks the region is
refused with every problem named and nothing in the folder touched. The files
are written only if they did not change meanwhile, and all or nothing: each to a
temporary name first, then renamed in order (a new file first, the file that refers
to it last); a failed rename puts back the files already renamed.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tariefmodel.data.fileio import atomic_write_files
from tariefmodel.data.problems import InputError, Problem

# Never copied for the check: the repository, and survey answers (confidential, not read by the loader).
_NOT_COPIED = (".git", "survey", ".cache-tm")


@dataclass
class Change:
    """New bytes for files of the data folder, with the bytes each had when the change was computed."""

    files: dict[str, bytes] = field(default_factory=dict)  # relative path -> new content, in write order
    before: dict[str, bytes | None] = field(default_factory=dict)  # relative path -> old content (None: new file)
    summary: list[str] = field(default_factory=list)  # Dutch lines describing the change

    def put(self, root: Path, rel: str, data: bytes) -> None:
        path = root / rel
        self.before[rel] = path.read_bytes() if path.exists() else None
        self.files[rel] = data


def read_text(root: Path, rel: str) -> str:
    """A UTF-8 text file of the data folder; InputError naming it when unreadable."""
    try:
        return (root / rel).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError([Problem(rel, "", "bestand ontbreekt")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(rel, "", f"niet leesbaar: {exc}")]) from exc


def check(root: Path, change: Change) -> None:
    """Load and price the folder as it would be after the change; InputError with every problem."""
    from tariefmodel.engine.book import price_book
    from tariefmodel.loader.load import load_region

    with tempfile.TemporaryDirectory(prefix="tariefmodel-check-") as tmp:
        copy = Path(tmp) / "regio"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(*_NOT_COPIED), symlinks=False)
        for rel, data in change.files.items():
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            (copy / rel).write_bytes(data)
        try:
            region = load_region(copy, use_cache=False)
            price_book(region, region.info.default_year)
        except InputError as exc:
            raise InputError([Problem(p.file, p.where, f"na de wijziging: {p.message}", p.severity, p.line)
                              for p in exc.problems]) from exc


def write(root: Path, change: Change, *, dry_run: bool = False) -> None:
    """Check the change, then write it (unless ``dry_run``); nothing is written on any problem."""
    if not root.is_dir():
        raise InputError([Problem(str(root), "", "de gegevensmap bestaat niet")])
    check(root, change)
    if dry_run:
        return
    for rel, old in change.before.items():
        path = root / rel
        now = path.read_bytes() if path.exists() else None
        if now != old:
            raise InputError([Problem(rel, "", "het bestand is intussen gewijzigd; voer het commando opnieuw uit")])
    # All or nothing: each file is written to a temporary name first, then all are renamed in order; a failed
    # rename puts the files already renamed back (fileio.atomic_write_files).
    atomic_write_files([(root / rel, data) for rel, data in change.files.items()])
