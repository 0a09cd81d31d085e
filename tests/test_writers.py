"""The one writer: file modes from the umask, and a CSV with its manifest sidecar written as a pair."""

from __future__ import annotations

import json
import os
import stat

import pytest

from tariefmodel.data import fileio
from tariefmodel.outputs.writers import Table, Tables, Text, Workbook, csv_bytes, write_output
from tariefmodel.trail import manifest as mf

MANIFEST = {"engine": "tariefmodel", "engine_version": "0", "command": ["calculate"], "inputs": {"a.yaml": "0" * 64}}
TABLE = Table("Blad", ["code", "tariff_eur"], [{"code": "A1", "tariff_eur": "12.50"}], money=frozenset({"tariff_eur"}))


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    fileio.file_mode.cache_clear()
    yield
    os.umask(old)
    fileio.file_mode.cache_clear()


@pytest.mark.parametrize("suffix", [".csv", ".json", ".xlsx"])
def test_outputs_get_the_umask_mode_not_0600(tmp_path, umask_022, suffix) -> None:
    """mkstemp creates 0600; under umask 022 an output is 0644 (0666 & ~022), its sidecar too."""
    out = tmp_path / f"t{suffix}"
    write_output(out, [TABLE], MANIFEST)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    if suffix == ".csv":
        assert stat.S_IMODE(mf.sidecar_path(out).stat().st_mode) == 0o644


def test_a_stricter_umask_is_respected(tmp_path) -> None:
    old = os.umask(0o077)
    fileio.file_mode.cache_clear()
    try:
        out = tmp_path / "t.json"
        write_output(out, [TABLE], MANIFEST)
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    finally:
        os.umask(old)
        fileio.file_mode.cache_clear()


def test_every_format_carries_the_manifest(tmp_path) -> None:
    for name in ("t.csv", "t.json", "t.xlsx"):
        write_output(tmp_path / name, [TABLE], MANIFEST)
        assert mf.read(tmp_path / name)["command"] == ["calculate"], name
    doc = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert list(doc) == ["Blad", "manifest"] and doc["Blad"]["rows"] == [{"code": "A1", "tariff_eur": "12.50"}]
    write_output(tmp_path / "r.md", Text(lambda man: "# Rapport\n"), MANIFEST)  # no comment of its own: added
    assert mf.read(tmp_path / "r.md")["inputs"] == MANIFEST["inputs"]


def test_a_workbook_without_a_manifest_sheet_is_refused(tmp_path) -> None:
    from tariefmodel.outputs.writers import new_workbook

    def render(tmp, _man) -> None:
        wb = new_workbook(tmp)
        wb.add_worksheet("Alleen dit")
        wb.close()

    out = tmp_path / "w.xlsx"
    with pytest.raises(RuntimeError, match="no Manifest sheet"):
        write_output(out, Workbook(render), MANIFEST)
    assert list(tmp_path.iterdir()) == []  # nothing written, no temporary file left


def test_csv_and_sidecar_are_replaced_as_a_pair(tmp_path, monkeypatch) -> None:
    """The second rename fails (as on a full or failing disk): the old pair stays, matching, and no temp is left."""
    out = tmp_path / "t.csv"
    write_output(out, Tables([TABLE]), MANIFEST)
    old_csv, old_side = out.read_bytes(), mf.sidecar_path(out).read_bytes()
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if str(dst) == str(out):
            raise OSError("disk full (simulated)")
        return real(src, dst)

    monkeypatch.setattr(fileio.os, "replace", replace)
    changed = Table("Blad", TABLE.columns, [{"code": "A1", "tariff_eur": "99.99"}])
    with pytest.raises(OSError, match="disk full"):
        write_output(out, [changed], MANIFEST)
    monkeypatch.undo()
    assert out.read_bytes() == old_csv and mf.sidecar_path(out).read_bytes() == old_side
    assert json.loads(old_side)["output_sha256"] == mf.sha256_bytes(old_csv)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv", "t.csv.manifest.json"]
    assert len(calls) == 3  # sidecar in, csv refused, old sidecar back


def test_a_first_csv_whose_rename_fails_leaves_nothing(tmp_path, monkeypatch) -> None:
    out = tmp_path / "t.csv"
    real = os.replace

    def replace(src, dst):
        if str(dst) == str(out):
            raise OSError("disk full (simulated)")
        return real(src, dst)

    monkeypatch.setattr(fileio.os, "replace", replace)
    with pytest.raises(OSError):
        write_output(out, [TABLE], MANIFEST)
    assert list(tmp_path.iterdir()) == []


def test_csv_booleans_per_dialect() -> None:
    rows = [{"product": "43A01", "micro": True, "tariff": "499.12"}, {"product": "43A01", "micro": False, "tariff": "520.82"}]
    assert csv_bytes(["product", "micro", "tariff"], rows) == (
        b"product,micro,tariff\n43A01,true,499.12\n43A01,false,520.82\n")
    assert csv_bytes(["product", "micro", "tariff"], rows, "excel-nl") == (
        b"\xef\xbb\xbfproduct;micro;tariff\r\n43A01;ja;499,12\r\n43A01;nee;520,82\r\n")
