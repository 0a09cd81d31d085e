"""Hostile outputs: text from the data escaped at every boundary, no traceback on any fault, all or nothing.

Each probe asserts the exit code, the message, what was written and what was not. The faults of the disk
(full, read-only, no permission) are simulated by making the writer's last step raise the errno the system
would give, since these tests run as root, for whom a read-only folder is no obstacle.
"""

from __future__ import annotations

import csv
import dataclasses
import errno
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariefmodel.cli import main
from tariefmodel.data import fileio
from tariefmodel.data.problems import Problem, visible
from tariefmodel.outputs import writers
from tariefmodel.trail import manifest as mf

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def leftovers(folder: Path) -> list[str]:
    """Temporary files or folders a writer left behind (their names start with a dot)."""
    return sorted(p.name for p in folder.rglob(".*"))


# ----------------------------------------------------------------------------------------- HTML comment
HOSTILE_NAMES = ["x--><script>alert(1)</script>.yaml", "a--!>b.yaml", "<!--c.yaml", "d---->.yaml", "e-.yaml",
                 "f<>&\"'.yaml"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_manifest_comment_cannot_be_closed_by_a_value(name: str, tmp_path: Path) -> None:
    man = {"command": ["audit"], "inputs": {f"parameters/products/{name}": "0" * 64}}
    comment = mf.html_comment(man)
    inner = comment[len("<!--"):-len("-->")]
    assert "--" not in inner and ">" not in inner and "<" not in inner  # closes only at its own end
    out = tmp_path / "r.html"
    writers.write_output(out, writers.Text(lambda m: "<p>rapport</p>"), man)
    assert mf.read(out) == man  # verify reads the escaped comment back to the same manifest


def test_audit_html_with_a_hostile_product_file_name_keeps_its_manifest(tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    for d in ("parameters", "cao_tables", "benchmarks"):
        shutil.copytree(REPO / d, data / d)
    products = data / "parameters" / "products"
    first = sorted(products.iterdir())[0]
    hostile = products / "x--><img src=x onerror=alert(1)>.yaml"
    first.rename(hostile)
    for suffix in (".html", ".md"):
        out = tmp_path / f"audit{suffix}"
        result = run("audit", "--data", str(data), "--out", str(out))
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        assert "<img src=x" not in text  # neither in the report nor in the comment
        man = mf.read(out)
        assert f"parameters/products/{hostile.name}" in man["inputs"]
        assert text.count("-->") == text.count("<!--")  # every comment closes where it was meant to


# ----------------------------------------------------------------------------------------- Markdown
@pytest.mark.parametrize(("raw", "want"), [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("a|b", "a\\|b"),
    ("regel 1\nregel 2", "regel 1 regel 2"),
    ("a\rb\r\nc", "a b c"),
    ("R&D", "R&amp;D"),
])
def test_markdown_cells_are_escaped(raw: str, want: str) -> None:
    from tariefmodel.outputs.audit_report import _md

    assert _md(raw) == want


# ----------------------------------------------------------------------------------------- CSV
@pytest.mark.parametrize("value", ["a\rb", "a\nb", 'a"b', "a,b", "a\r\nb", ' "x" '])
def test_csv_quotes_cr_lf_quotes_and_separators(value: str) -> None:
    data = writers.csv_bytes(["naam", "n"], [{"naam": value, "n": 1}, {"naam": "tweede", "n": 2}])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows == [["naam", "n"], [value, "1"], ["tweede", "2"]]  # three rows, the value whole
    assert data.count(b"\n") - value.count("\n") == 3


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_formula_starts_are_neutralised(value: str) -> None:
    data = writers.csv_bytes(["naam"], [{"naam": value}])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[1] == ["'" + value]


def test_csv_negative_numbers_stay_numbers() -> None:
    assert writers.csv_bytes(["x"], [{"x": "-12.50"}]) == b"x\n-12.50\n"


def test_csv_plain_rows_unchanged() -> None:
    assert writers.csv_bytes(["a", "b"], [{"a": "x", "b": True}, {"a": None, "b": 3}]) == b"a,b\nx,true\n,3\n"


def test_xlsx_table_cells_neutralise_formulas(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    writers.write_output(out, [writers.Table("T", ["naam"], [{"naam": "=HYPERLINK(\"x\")"}])], {"command": ["x"]})
    ws = load_workbook(out)["T"]
    assert ws["A2"].value == "'=HYPERLINK(\"x\")" and ws["A2"].data_type == "s"


# ----------------------------------------------------------------------------------------- terminal
@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b[31mrood", "\\x1b[31mrood"), ("a\x00b", "a\\x00b"), ("a\x9bb", "a\\x9bb"), ("a\x7fb", "a\\x7fb"),
    ("a\rb", "a\\x0db"), ("a\nb", "a\\x0ab"), ("gewoon é €", "gewoon é €"),
])
def test_visible_shows_control_characters(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_problem_lines_show_control_characters() -> None:
    p = Problem("parameters/\x1b[2Jx.yaml", "k\x00", "fout\x07")
    assert str(p) == "FOUT parameters/\\x1b[2Jx.yaml [k\\x00]: fout\\x07"


def test_esc_shows_controls_and_markup_literally() -> None:
    from tariefmodel.cli.common import esc

    assert esc("\x1b[31m[bold]x") == ["\\x1b[31m\\[bold]x"]


def test_provider_table_shows_an_ansi_escape_from_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    from tariefmodel.cli import book as cli_book
    from tariefmodel.data.bundled import bundled_region
    from tariefmodel.loader.load import load_region

    region = load_region(bundled_region())
    key = next(iter(region.providers))
    prov = region.providers[key].model_copy(update={"name": "Zorg\x1b[2J\x1b[31m BV"})
    hostile = dataclasses.replace(region, providers={**region.providers, key: prov})
    monkeypatch.setattr(cli_book, "load_region_or_fail", lambda *_a, **_k: hostile)
    result = run("provider", key)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "Zorg\\x1b[2J\\x1b[31m BV" in result.stdout


# ----------------------------------------------------------------------------------------- the guard
def _boom(*_a: object, **_k: object) -> None:
    raise ZeroDivisionError("kapot")


def test_an_engine_bug_is_one_line_and_exit_3(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import tariefmodel.engine.book as eb

    monkeypatch.setattr(eb, "price_book", _boom)
    out = tmp_path / "b.csv"
    result = run("calculate", "--out", str(out))
    assert result.exit_code == 3
    assert "interne fout: ZeroDivisionError: kapot — dit is een fout in tariefmodel; meld hem" in result.stderr
    assert "Traceback" not in result.output and not out.exists() and leftovers(tmp_path) == []


def test_debug_shows_the_exception(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import tariefmodel.engine.book as eb

    monkeypatch.setattr(eb, "price_book", _boom)
    result = run("calculate", "--out", str(tmp_path / "b.csv"), env={"TARIEFMODEL_DEBUG": "1"})
    assert isinstance(result.exception, ZeroDivisionError)


def test_the_guard_in_a_real_process(tmp_path: Path) -> None:
    code = textwrap.dedent("""
        import sys, tariefmodel.engine.book as eb
        def boom(*a, **k): raise KeyError("weg")
        eb.price_book = boom
        from tariefmodel.cli.main import main
        main(["calculate", "--out", sys.argv[1]])
    """)
    p = subprocess.run([sys.executable, "-c", code, str(tmp_path / "b.csv")], capture_output=True, text=True)
    assert p.returncode == 3 and "Traceback" not in p.stderr
    assert p.stderr.strip().splitlines()[-1].startswith("interne fout: KeyError: 'weg'")


def test_ctrl_c_while_writing_leaves_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def interrupt(_tmp: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fileio, "_finish", interrupt)
    out = tmp_path / "b.xlsx"
    result = run("calculate", "--out", str(out))
    assert result.exit_code == 130 and "afgebroken (Ctrl-C)" in result.stderr
    assert not out.exists() and leftovers(tmp_path) == []


def test_sigterm_while_writing_removes_the_temporary_file(tmp_path: Path) -> None:
    code = textwrap.dedent("""
        import sys, time, tariefmodel.data.fileio as f
        real = f._finish
        def slow(tmp):
            open(sys.argv[2], "w").close()  # the temporary file exists now: tell the test
            time.sleep(30)
            real(tmp)
        f._finish = slow
        from tariefmodel.cli.main import main
        main(["calculate", "--out", sys.argv[1]])
    """)
    out, ready = tmp_path / "out" / "b.json", tmp_path / "ready"
    out.parent.mkdir()
    p = subprocess.Popen([sys.executable, "-c", code, str(out), str(ready)], stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while not ready.exists() and time.time() < deadline:
        time.sleep(0.1)
    assert leftovers(out.parent)  # the temporary file is there while the run is under way
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130 and "afgebroken (SIGTERM)" in err
    assert list(out.parent.iterdir()) == []


# ----------------------------------------------------------------------------------------- output faults
FAULTS = [(errno.ENOSPC, "de schijf is vol"), (errno.EACCES, "geen toegang"),
          (errno.EROFS, "het bestandssysteem is alleen-lezen")]


def _fail_with(code: int):
    def fail(_tmp: Path) -> None:
        raise OSError(code, os.strerror(code))
    return fail


@pytest.mark.parametrize("suffix", [".csv", ".json", ".xlsx"])
@pytest.mark.parametrize(("code", "cause"), FAULTS)
def test_a_table_that_cannot_be_written(suffix: str, code: int, cause: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / f"b{suffix}"
    out.write_bytes(b"old")
    monkeypatch.setattr(fileio, "_finish", _fail_with(code))
    result = run("calculate", "--out", str(out))
    assert result.exit_code == 4, result.output
    assert f"FOUT: uitvoer kon niet worden geschreven: {out}: {cause}" in result.stderr
    assert out.read_bytes() == b"old" and leftovers(tmp_path) == []
    assert not mf.sidecar_path(out).exists()


def test_parent_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    result = run("calculate", "--out", str(tmp_path / "f" / "b.csv"))
    assert result.exit_code == 4
    assert "een deel van het pad is een bestand, geen map" in result.stderr
    assert (tmp_path / "f").read_text() == "x"


def test_target_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "b.json").mkdir()
    result = run("calculate", "--out", str(tmp_path / "b.json"))
    assert result.exit_code == 2 and "is een map" in result.stderr  # refused before anything is computed
    assert leftovers(tmp_path) == [] and list((tmp_path / "b.json").iterdir()) == []


def test_full_disk_on_an_html_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileio, "_finish", _fail_with(errno.ENOSPC))
    result = run("audit", "--out", str(tmp_path / "a.html"))
    assert result.exit_code == 4 and "de schijf is vol" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_full_disk_on_a_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileio, "_finish", _fail_with(errno.ENOSPC))
    result = run("export", "annex", "--contract", "ambulant-jeugd", "--out", str(tmp_path / "a.xlsx"))
    assert result.exit_code == 4 and f"{tmp_path / 'a.xlsx'}: de schijf is vol" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_full_disk_on_export_providers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tariefmodel.outputs.workbooks import providers as pw

    monkeypatch.setattr(pw, "_fsync", lambda _p: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    out = tmp_path / "bladen"
    result = run("export", "providers", "--out", str(out))
    assert result.exit_code == 4 and f"{out}: de schijf is vol" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_full_disk_on_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, "full")

    monkeypatch.setattr(shutil, "copytree", full)
    target = tmp_path / "regio"
    result = run("init", str(target))
    assert result.exit_code == 4, result.output
    assert f"{target}: de schijf is vol" in result.stderr and list(tmp_path.iterdir()) == []


def test_full_disk_on_an_upkeep_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    data = tmp_path / "data"
    for d in ("parameters", "cao_tables", "benchmarks"):
        shutil.copytree(REPO / d, data / d)
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    monkeypatch.setattr(fileio, "_finish", _fail_with(errno.ENOSPC))
    from tariefmodel.upkeep import stage

    region_yaml = before[data / "parameters" / "region.yaml"]
    change = stage.Change(files={"parameters/region.yaml": region_yaml + b"\n"},
                          before={"parameters/region.yaml": region_yaml})
    with pytest.raises(fileio.OutputError) as exc:
        stage.write(data, change)
    assert exc.value.cause == "de schijf is vol"
    assert {p: p.read_bytes() for p in data.rglob("*") if p.is_file()} == before


def test_output_error_keeps_an_os_error() -> None:
    err = fileio.output_error(Path("/x/y.csv"), OSError(errno.ENOSPC, "No space left on device"))
    assert isinstance(err, OSError) and str(err) == "/x/y.csv: de schijf is vol"
    assert str(fileio.output_error(Path("z"), OSError(errno.EBUSY, "Device or resource busy"))) == \
        "z: Device or resource busy"


# ----------------------------------------------------------------------------------------- --year
@pytest.mark.parametrize("year", ["99999", "-5", "0", "1999", "2101"])
@pytest.mark.parametrize("command", [["calculate"], ["export", "annex", "--contract", "ambulant-jeugd"], ["audit"]])
def test_a_year_no_data_can_price(year: str, command: list[str], tmp_path: Path) -> None:
    suffix = ".html" if command == ["audit"] else ".xlsx"
    out = tmp_path / f"o{suffix}"
    result = run(*command, "--year", year, "--out", str(out))
    assert result.exit_code == 2, result.output
    assert f"--year {year} is geen tariefjaar: kies een jaar van 2000 tot en met 2100" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_year_after_the_last_contract_year(tmp_path: Path) -> None:
    out = tmp_path / "b.csv"
    result = run("calculate", "--year", "2035", "--out", str(out))
    # every bundled contract starts 1-1-2025 and runs at most 10 years with its extensions: 2025..2034
    assert result.exit_code == 2
    assert "--year 2035 ligt buiten de jaren die deze gegevens kunnen prijzen: 2000 tot en met 2034" in result.stderr
    assert not out.exists()
    assert run("calculate", "--year", "2034", "--out", str(out)).exit_code == 0


# ----------------------------------------------------------------------------------------- all or nothing
@pytest.fixture(scope="module")
def priced():
    from tariefmodel.data.bundled import bundled_region
    from tariefmodel.engine.book import price_book
    from tariefmodel.loader.load import load_region

    region = load_region(bundled_region())
    book = price_book(region, 2025)
    return region, book, mf.build(region, ["export", "providers", "--year", "2025"])


def _old_folder(tmp_path: Path, key: str) -> Path:
    out = tmp_path / "bladen"
    out.mkdir()
    (out / f"{key}.xlsx").write_bytes(b"last year's")
    (out / "LEESMIJ.txt").write_text("van de regio")
    return out


def test_providers_replace_an_existing_folder_whole(priced, tmp_path: Path) -> None:
    from tariefmodel.outputs.workbooks import providers as pw

    region, book, man = priced
    key = next(iter(region.providers))
    out = _old_folder(tmp_path, key)
    pw.write_provider_books(out, region, book, None, man)
    assert (out / f"{key}.xlsx").read_bytes()[:2] == b"PK"  # the new workbook
    assert (out / "LEESMIJ.txt").read_text() == "van de regio"  # what this run does not write stays
    assert sorted(p.name for p in out.iterdir()) == sorted([*(f"{k}.xlsx" for k in region.providers), "LEESMIJ.txt"])
    assert leftovers(tmp_path) == []


def test_providers_with_a_blocked_target_change_nothing(priced, tmp_path: Path) -> None:
    region, _book, _man = priced
    keys = list(region.providers)
    out = _old_folder(tmp_path, keys[0])
    (out / f"{keys[1]}.xlsx").mkdir()
    result = run("export", "providers", "--out", str(out))
    assert result.exit_code == 4 and f"{out / (keys[1] + '.xlsx')}: daar staat een map, geen bestand" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{keys[0]}.xlsx", f"{keys[1]}.xlsx", "LEESMIJ.txt"])
    assert (out / f"{keys[0]}.xlsx").read_bytes() == b"last year's" and leftovers(tmp_path) == []


def test_providers_failing_in_the_swap_leave_the_old_folder(priced, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from tariefmodel.outputs.workbooks import providers as pw

    region, book, man = priced
    key = next(iter(region.providers))
    out = _old_folder(tmp_path, key)
    real = os.replace
    calls = []

    def second_fails(a, b):
        calls.append((a, b))
        if len(calls) == 2:
            raise OSError(errno.EIO, "I/O error")
        return real(a, b)

    monkeypatch.setattr(pw.os, "replace", second_fails)
    with pytest.raises(fileio.OutputError):
        pw.write_provider_books(out, region, book, None, man)
    assert (out / f"{key}.xlsx").read_bytes() == b"last year's" and (out / "LEESMIJ.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bladen"]


def test_providers_interrupted_leave_nothing(priced, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tariefmodel.outputs.workbooks import providers as pw

    region, book, man = priced
    real, n = pw.write_workbook, []

    def stop(*a, **k):
        n.append(1)
        if len(n) == 3:
            raise KeyboardInterrupt
        return real(*a, **k)

    monkeypatch.setattr(pw, "write_workbook", stop)
    with pytest.raises(KeyboardInterrupt):
        pw.write_provider_books(tmp_path / "bladen", region, book, None, man, workers=1)
    assert list(tmp_path.iterdir()) == []


def test_providers_on_two_processes_give_the_same_bytes(priced, tmp_path: Path) -> None:
    from tariefmodel.outputs.workbooks import providers as pw

    region, book, man = priced
    base = list(region.providers.values())
    register = dict(region.providers)
    for i in range(40):
        p = base[i % len(base)]
        register[f"{p.key}-{i:03d}"] = p.model_copy(update={"key": f"{p.key}-{i:03d}", "name": f"{p.name} {i}"})
    big = dataclasses.replace(region, providers=register)
    one = pw.write_provider_books(tmp_path / "een", big, book, None, man, workers=1)
    two = pw.write_provider_books(tmp_path / "twee", big, book, None, man, workers=2)
    assert one.rows == two.rows > 0 and len(two.files) == len(register)
    for f in one.files:
        assert f.read_bytes() == (tmp_path / "twee" / f.name).read_bytes(), f.name


def test_the_index_gives_provider_view_its_own_answer(priced) -> None:
    from tariefmodel.engine.variants import book_index, provider_view

    region, book, _ = priced
    index = book_index(book)
    for key in region.providers:
        assert provider_view(region, book, key, index) == provider_view(region, book, key)


def test_json_output_is_read_back_after_escaping(tmp_path: Path) -> None:
    out = tmp_path / "b.json"
    assert run("calculate", "--out", str(out)).exit_code == 0
    assert json.loads(out.read_text())["manifest"]["command"][0] == "calculate"
