"""Files on disk: atomic writes and content hashes.

Every output and every cache entry is first written to a temporary file beside
its target and then moved into place with ``os.replace``, so a failed run leaves
the old file (or no file) untouched. A file gets the mode the umask gives (0644
under umask 022), not the 0600 of ``tempfile.mkstemp``.

A write that fails on the disk (full, read-only, no permission, a file where a folder should be) raises
:class:`OutputError`: the one place where such a failure is put into words for the user (Dutch, naming the
path and the cause); the CLI turns it into exit 4. It is an ``OSError``, so a caller that only wants to
shrug off a failed write (the cache) still catches it as one.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # tariefmodel/


# The cause of a failed write in the user's words, by errno; anything else by the system's own text.
CAUSES = {
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "het schijfquotum is op",
    errno.EACCES: "geen toegang (schrijfrechten ontbreken)",
    errno.EPERM: "geen toegang (niet toegestaan)",
    errno.EROFS: "het bestandssysteem is alleen-lezen",
    errno.ENOTDIR: "een deel van het pad is een bestand, geen map",
    errno.EEXIST: "een deel van het pad is een bestand, geen map",
    errno.EISDIR: "daar staat een map, geen bestand",
    errno.ENOENT: "de map bestaat niet",
    errno.ENAMETOOLONG: "de naam is te lang",
    errno.EIO: "invoer-/uitvoerfout van de schijf",
}


class OutputError(OSError):
    """An output could not be written: which path, and why (Dutch). The old file, if any, is untouched."""

    def __init__(self, path: Path | str, cause: str, code: int | None = None) -> None:
        super().__init__(code or 0, cause, str(path))
        self.path = Path(path)
        self.cause = cause

    def __str__(self) -> str:
        return f"{self.path}: {self.cause}"


def output_error(path: Path | str, exc: OSError) -> OutputError:
    """``exc`` (a failed write to ``path``) as an OutputError; an OutputError is passed on as it is."""
    if isinstance(exc, OutputError):
        return exc
    cause = CAUSES.get(exc.errno or 0) or (exc.strerror or str(exc) or type(exc).__name__)
    return OutputError(path, cause, exc.errno)


@cache
def file_mode() -> int:
    """0666 minus the process umask, read once (os.umask can only be read by setting it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _temp_beside(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(tmp_name)


def _finish(tmp: Path) -> None:
    """Give ``tmp`` the umask's mode and its bytes to the disk, before it is renamed into place."""
    os.chmod(tmp, file_mode())
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` and move ``tmp`` onto ``path`` only if it succeeds; OutputError if the disk refuses."""
    path = Path(path)
    try:
        tmp = _temp_beside(path)
    except OSError as exc:
        raise output_error(path, exc) from exc
    try:
        write(tmp)
        _finish(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise output_error(path, exc) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    atomic_write(path, lambda tmp: tmp.write_bytes(data))


def atomic_write_pair(path: Path, data: bytes, side: Path, side_data: bytes) -> None:
    """Write a file and its sidecar so that a reader never sees a new one beside an old other.

    The sidecar is renamed first: only a power cut between the two renames can leave a new sidecar
    beside the old file, and then the sidecar's SHA-256 of the file no longer matches: ``verify``
    reports it, a mismatch is never silent. See :func:`atomic_write_files`.
    """
    atomic_write_files([(Path(side), side_data), (Path(path), data)], name=Path(path))


def atomic_write_files(files: Sequence[tuple[Path, bytes]], *, name: Path | None = None) -> None:
    """Write several files all or nothing (a file and its sidecar; the files one upkeep command changes).

    Every file is written in full to a temporary name beside it first (a full disk fails here, and
    nothing changed). Then they are renamed in the given order, which needs no free space. If a rename
    fails, the files already renamed get their old bytes back from hard links made beforehand (or are
    removed when they are new), so the files on disk are the old ones. OutputError names ``name`` (the
    file the user asked for), by default the first file.
    """
    if not files:
        return
    try:
        _write_all([(Path(p), d) for p, d in files])
    except OSError as exc:
        raise output_error(name or files[0][0], exc) from exc


def _write_all(files: list[tuple[Path, bytes]]) -> None:
    temps: list[Path] = []
    backups: dict[Path, Path | None] = {}  # target -> a link to its old bytes (None: the target is new)
    try:
        for path, data in files:
            tmp = _temp_beside(path)
            temps.append(tmp)
            tmp.write_bytes(data)
            _finish(tmp)
        for path, _ in files:
            backup = None
            if path.exists():
                backup = _temp_beside(path)
                backup.unlink()
                try:
                    os.link(path, backup)
                except OSError:  # a file system without hard links: a copy does as well
                    backup.write_bytes(path.read_bytes())
            backups[path] = backup
        done: list[Path] = []
        try:
            for (path, _), tmp in zip(files, temps, strict=True):
                os.replace(tmp, path)
                done.append(path)
        except BaseException:
            for path in reversed(done):
                backup = backups[path]
                if backup is not None:
                    os.replace(backup, path)
                else:
                    path.unlink(missing_ok=True)
            raise
    finally:
        for t in (*temps, *(b for b in backups.values() if b is not None)):
            t.unlink(missing_ok=True)


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
