"""The validated-input cache: skip re-validating input bytes that this engine has validated before.

A cached region is served only when two things are unchanged since it was validated:

* the *listing* of the data folder: every entry under ``parameters/``, ``cao_tables/``,
  ``benchmarks/`` and ``scenarios/`` with its kind (file, folder, link and its target), which decides
  which files the loader reads (a product glob, the CAO folders, optional files). This, with the
  engine's own source and the validator's version, is the cache key (:func:`fingerprint`);
* the bytes of every file the loader read (``Region.files``, each resolved inside the data folder),
  whose SHA-256 hashes the loader recorded while validating and the cache entry keeps.

So the fingerprint is exactly the files read plus the listing that chose them: a salary table reached
through a link or ``../`` is refused by the loader (and a refused region is never cached), and a file
that changed, vanished, became a folder or now resolves outside the folder means a cold load. Any
doubt (a link leaving the folder, a loop, an unreadable entry) gives no key: a cold load. The cache
lives outside the data folder (``$TARIEFMODEL_CACHE_DIR``, else ``$XDG_CACHE_HOME/tariefmodel``, else
``~/.cache/tariefmodel``); ``TARIEFMODEL_NO_CACHE=1`` switches it off, and ``tariefmodel validate``
never reads it. A cache that cannot be read or written is ignored: it only ever saves time.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tariefmodel.data.fileio import engine_source_hash

if TYPE_CHECKING:
    from tariefmodel.data.region import Region

INPUT_FOLDERS = ("parameters", "cao_tables", "benchmarks", "scenarios")
KEEP = 16  # cached regions kept; older ones are removed


def enabled() -> bool:
    return os.environ.get("TARIEFMODEL_NO_CACHE", "") in ("", "0")


def cache_dir() -> Path:
    explicit = os.environ.get("TARIEFMODEL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tariefmodel"


def _engine_key() -> bytes:
    h = hashlib.sha256(sys.version.encode())
    h.update(engine_source_hash().encode())
    spec = importlib.util.find_spec("pydantic")  # finds, does not import
    if spec and spec.submodule_search_locations:
        version = Path(next(iter(spec.submodule_search_locations))) / "version.py"
        if version.is_file():
            h.update(version.read_bytes())
    return h.digest()


def _listing(root: Path) -> bytes | None:
    """Every entry under the input folders with its kind; None on any doubt (a link leaving the folder, a loop)."""
    real_root = root.resolve()
    out: list[str] = []
    seen: set[Path] = set()

    def walk(folder: Path) -> bool:
        try:
            real = folder.resolve()
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except (OSError, RuntimeError):
            return False
        if real in seen:
            return False  # a link loop
        seen.add(real)
        for e in entries:
            path = Path(e.path)
            rel = path.relative_to(root).as_posix()
            try:
                if e.is_symlink():
                    target = path.resolve()
                    if not (target == real_root or real_root in target.parents):
                        return False
                    out.append(f"L {rel} -> {os.readlink(path)}")
                if e.is_dir():
                    out.append(f"D {rel}")
                    if not walk(path):
                        return False
                elif e.is_file():
                    out.append(f"F {rel}")
                else:
                    out.append(f"? {rel}")
            except (OSError, RuntimeError):
                return False
        return True

    for folder in INPUT_FOLDERS:
        base = root / folder
        if base.is_symlink() or base.exists():
            out.append(f"{'D' if base.is_dir() else '?'} {folder}")
            if base.is_dir() and not walk(base):
                return None
    return "\n".join(out).encode()


def fingerprint(root: Path) -> str | None:
    """The cache key of a data folder (engine + listing), or None when it has none of the input folders or any doubt."""
    if not any((root / f).is_dir() for f in INPUT_FOLDERS[:3]):
        return None
    listing = _listing(root)
    if listing is None:
        return None
    h = hashlib.sha256(_engine_key())
    h.update(listing)
    return h.hexdigest()


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _unchanged(root: Path, hashes: dict[str, str]) -> bool:
    """Do the files read at validation still hold the same bytes, inside the data folder?"""
    real_root = root.resolve()
    for rel, digest in hashes.items():
        path = root / rel
        try:
            real = path.resolve()
            if not (real_root in real.parents and real.is_file()):
                return False
            if file_hash(real.read_bytes()) != digest:
                return False
        except (OSError, RuntimeError):
            return False
    return True


def read(key: str, root: Path) -> Region | None:
    """The region cached under ``key``, if every file it was validated from is unchanged under ``root``."""
    path = cache_dir() / f"region-{key}.pickle"
    try:
        with open(path, "rb") as fh:
            hashes, region = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    from tariefmodel.data.region import Region

    if not isinstance(region, Region) or not isinstance(hashes, dict) or set(hashes) != set(region.files):
        return None
    return region if _unchanged(root, hashes) else None


def write(key: str, region: Region, hashes: dict[str, str]) -> None:
    """Cache ``region`` with the hash of every file it was validated from (``hashes``: path -> SHA-256)."""
    from tariefmodel.data.fileio import atomic_write_bytes

    folder = cache_dir()
    try:
        atomic_write_bytes(folder / f"region-{key}.pickle", pickle.dumps((hashes, region), protocol=pickle.HIGHEST_PROTOCOL))
        old = sorted(folder.glob("region-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]
        for p in old:
            p.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full disk only costs time
