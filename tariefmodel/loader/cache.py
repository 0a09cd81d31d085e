"""The validated-input cache: skip re-validating input bytes that this engine has validated before.

The key is a SHA-256 over the engine's own source files, the validator's
version, and the path and bytes of every file under ``parameters/``,
``cao_tables/`` and ``benchmarks/``. Change one byte of any input or of the
engine and the key changes, so a cached region is always exactly what a full
validation of the same bytes would produce. The cache lives outside the data
folder (``$TARIEFMODEL_CACHE_DIR``, else ``$XDG_CACHE_HOME/tariefmodel``, else
``~/.cache/tariefmodel``); ``TARIEFMODEL_NO_CACHE=1`` switches it off, and
``tariefmodel validate`` never reads it. A cache that cannot be read or
written is ignored: it only ever saves time.
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

INPUT_FOLDERS = ("parameters", "cao_tables", "benchmarks")
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


def fingerprint(root: Path) -> str | None:
    """The cache key of a data folder, or None when it has none of the input folders."""
    h = hashlib.sha256(_engine_key())
    found = False
    for folder in INPUT_FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                found = True
                h.update(path.relative_to(root).as_posix().encode() + b"\0")
                h.update(path.read_bytes() + b"\0")
    return h.hexdigest() if found else None


def read(key: str) -> Region | None:
    path = cache_dir() / f"region-{key}.pickle"
    try:
        with open(path, "rb") as fh:
            region = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    from tariefmodel.data.region import Region

    return region if isinstance(region, Region) else None


def write(key: str, region: Region) -> None:
    from tariefmodel.data.fileio import atomic_write_bytes

    folder = cache_dir()
    try:
        atomic_write_bytes(folder / f"region-{key}.pickle", pickle.dumps(region, protocol=pickle.HIGHEST_PROTOCOL))
        old = sorted(folder.glob("region-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]
        for p in old:
            p.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full disk only costs time
