"""Every date a user reads in the terminal is Dutch (01-07-2026), never ISO (2026-07-01).

The main commands run on the bundled region and on a small changed copy of it (made with ``tariefmodel init``);
their output may hold an ISO date only where it is something to type or a file name: an option value
(``--from 2026-07-01``, which is what the option parses) or a dated file (``schalen_2025-03-01.csv``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariefmodel.cli.main import main

ISO = re.compile(r"\b20\d\d-\d\d-\d\d\b")
# What may stay ISO: an option's value as it is typed, a date inside a file name (…_2025-03-01.csv) and a key
# naming a place in the data (overhead.rate.values[from=2024-01-01], as diff names a changed value).
ALLOWED = re.compile(r"--[a-z-]+[ =]20\d\d-\d\d-\d\d\b|[_/]20\d\d-\d\d-\d\d(?=[._/])|\[\w+=20\d\d-\d\d-\d\d\]")

BUNDLED = [
    *(["validate", "--year", str(y)] for y in (2024, 2025, 2026, 2027)),
    ["calculate", "--year", "2026"],
    *(["explain", code, "--year", str(y)] for code in ("45A48", "43A01", "07A01", "41A01") for y in (2024, 2025, 2026,
                                                                                                    2027)),
    ["explain", "45A48", "--variant", "basistarief", "--micro"],
    ["explain", "45A48", "--provider", "zorgboerderij-weidezicht"],
    *(["provider", p] for p in ("de-rozenhof", "ggz-groene-hart", "welzijn-gouwe", "thuiszorg-ijssel",
                                "zorgboerderij-weidezicht")),
    ["provider", "ggz-groene-hart", "--year", "2026"],
    *(["index", "rate", "--year", str(y)] for y in (2024, 2025, 2026, 2027)),
    ["index", "rate", "--year", "2025", "--known-on", "2025-03-01"],
    ["index", "apply", "--from", "2025", "--to", "2027"],
    *(["budget", "ceilings", "--year", str(y)] for y in (2025, 2026)),
    *(["budget", "ceilings", "--provider", p] for p in ("kompas-jeugd", "de-rozenhof")),
    ["budget", "impact", "--year", "2026"],
    ["scenario", "list"],
    ["scenario", "run", "cao-jeugdzorg-plus3"],
    ["scenario", "compare", "basis", "index-2026-3", "--changed", "--year", "2026"],
    ["recalibrate", "--year", "2026"],
    ["lumpsums"],
    ["arrangements"],
]


def _iso_dates(output: str) -> list[str]:
    """The ISO dates in ``output`` that are not an option value or part of a file name, each with its line."""
    out = []
    for line in output.splitlines():
        allowed = [m.span() for m in ALLOWED.finditer(line)]
        for m in ISO.finditer(line):
            if not any(a <= m.start() and m.end() <= b for a, b in allowed):
                out.append(f"{m.group(0)} in {line.strip()}")
    return out


def _run(args: list[str]) -> str:
    # Wide, so that no table cell breaks a date over two lines and hides it.
    result = CliRunner(env={"COLUMNS": "400"}).invoke(main, args, prog_name="tariefmodel")
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
    return result.output


@pytest.fixture(scope="module")
def changed_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled region as a user's own folder, with one new dated parameter value (for diff)."""
    root = tmp_path_factory.mktemp("regio") / "regio"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    result = CliRunner().invoke(main, ["param", "set", "overhead.rate", "0.2", "--from", "2026-07-01", "--source",
                                       "Testbron p. 1", "--afweging", "test", "--aanname", "--data", str(root)])
    assert result.exit_code == 0, result.output
    return root


def test_the_checker_tells_a_date_from_an_option_and_a_file_name() -> None:
    found = _iso_dates("vanaf 2026-07-01; zie cao_tables/jeugdzorg/schalen_2025-03-01.csv; typ --from 2026-07-01\n"
                       "DERIVED_schalen_2026-07-01.csv en 01-07-2026; overhead.rate.values[from=2024-01-01]")
    assert found == ["2026-07-01 in vanaf 2026-07-01; zie cao_tables/jeugdzorg/schalen_2025-03-01.csv; typ --from "
                     "2026-07-01"]


def test_no_command_prints_an_iso_date(changed_copy: Path, tmp_path: Path) -> None:
    data = ["--data", str(changed_copy)]
    runs = [*BUNDLED,
            *(["audit", "--year", str(y), "--out", str(tmp_path / f"audit{y}.md")] for y in (2025, 2026)),
            ["diff", str(Path(__file__).parents[1]), str(changed_copy), "--year", "2026"],
            # an existing table on or after the date: the refusal names both dates
            ["cao", "raise", "jeugdzorg", "--percentage", "3", "--from", "2025-03-01", "--source", "Test p. 1",
             "--dry-run", *data],
            ["cao", "raise", "jeugdzorg", "--percentage", "3", "--from", "2026-07-01", "--source", "Test p. 1",
             "--dry-run", *data],
            *(["param", "set", "overhead.rate", "0.21", "--from", day, "--source", "Test p. 1", "--afweging", "test",
               "--aanname", "--dry-run", *data] for day in ("2027-01-01", "2026-07-01"))]
    found = [f"tariefmodel {' '.join(args)}: {hit}" for args in runs for hit in _iso_dates(_run(args))]
    assert not found, f"{len(found)} ISO-datums in de uitvoer:\n" + "\n".join(found[:40])
