"""Files on disk: atomic writes and content hashes.

Every output and every cache entry is first written to a temporary file beside
its target and then moved into place with ``os.replace``, so a failed run leaves
the old file (or no file) untouched.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # tariefmodel/


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` and move ``tmp`` onto ``path`` only if it succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    atomic_write(path, lambda tmp: tmp.write_bytes(data))


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


@cache
def engine_source_hash() -> str:
    """SHA-256 over every source file of the engine package, recursively.

    The one fingerprint of "this engine": the run manifest records it and the
    validated-input cache keys on it, so a change in any module invalidates both.
    """
    h = hashlib.sha256()
    for src in sorted(_PACKAGE.rglob("*.py")):
        h.update(src.relative_to(_PACKAGE).as_posix().encode() + b"\0" + src.read_bytes() + b"\0")
    return h.hexdigest()
