"""Several files written all or nothing (fileio.atomic_write_files): the sidecar pair and upkeep changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tariefmodel.data import fileio
from tariefmodel.data.fileio import OutputError, atomic_write_files


def _fail_on_rename(monkeypatch, nth: int) -> None:
    """os.replace fails on its ``nth`` call from fileio (1-based); the other calls go through."""
    real = os.replace
    calls = {"n": 0}

    def replace(src, dst):
        calls["n"] += 1
        if calls["n"] == nth:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(fileio.os, "replace", replace)


def _state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_all_files_are_written_with_the_umask_mode(tmp_path: Path) -> None:
    atomic_write_files([(tmp_path / "a.txt", b"a"), (tmp_path / "sub" / "b.txt", b"b")])
    assert (tmp_path / "a.txt").read_bytes() == b"a" and (tmp_path / "sub" / "b.txt").read_bytes() == b"b"
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == fileio.file_mode()


@pytest.mark.parametrize("nth", [1, 2, 3])
def test_a_failed_rename_leaves_the_old_files(tmp_path: Path, monkeypatch, nth: int) -> None:
    (tmp_path / "a.txt").write_bytes(b"old a")
    (tmp_path / "b.txt").write_bytes(b"old b")
    before = _state(tmp_path)
    _fail_on_rename(monkeypatch, nth)
    with pytest.raises(OutputError):
        atomic_write_files([(tmp_path / "a.txt", b"new a"), (tmp_path / "b.txt", b"new b"),
                            (tmp_path / "c.txt", b"new c")])
    # the old files are back, the new one is gone, and no temporary or backup file is left behind
    assert _state(tmp_path) == before


def test_a_file_that_cannot_be_written_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"old a")
    blocked = tmp_path / "blocked"
    blocked.write_bytes(b"a file where a folder should be")
    with pytest.raises(OutputError):
        atomic_write_files([(tmp_path / "a.txt", b"new a"), (blocked / "b.txt", b"new b")])
    assert (tmp_path / "a.txt").read_bytes() == b"old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "blocked"]


def test_an_upkeep_change_of_several_files_is_all_or_nothing(tmp_path: Path, monkeypatch) -> None:
    """cao raise writes two tables and tables.yaml; the last rename failing leaves the folder as it was."""
    from click.testing import CliRunner
    from zin_helpers import region_with

    from tariefmodel.cli.main import main

    root = region_with(tmp_path, None)
    folder = root / "cao_tables" / "ggz"
    before = _state(folder)
    _fail_on_rename(monkeypatch, 3)
    result = CliRunner().invoke(main, ["cao", "raise", "ggz", "--percentage", "3", "--from", "2027-01-01",
                                       "--data", str(root), "--source", "Testakkoord GGZ 2026 (testgegevens)"])
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output
    assert _state(folder) == before
