"""The command line speaks Dutch: every help page (walked recursively) and click's own usage errors."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from tariefmodel.cli.main import main

# English words that a Dutch help text never contains. 'of' is left out: it is Dutch ("or"), as are 'is', 'in'
# and 'per'. Command and option names stay English-ish (--known-on, index rate) and are taken out first.
ENGLISH = ("the", "and", "to", "for", "with", "from", "or", "an", "this", "that", "which", "each", "every", "when",
           "Show", "Usage", "Options", "Commands", "Arguments", "Default", "Write", "Read", "file", "files", "folder",
           "year", "tariff", "tariffs", "output", "required", "value", "values", "name", "exit", "message", "print",
           "directory", "path", "paths", "names", "text", "integer", "float", "command", "args", "old", "new", "not",
           "only", "one", "all", "by", "be", "as", "at", "on", "its", "their")
WORD = re.compile(r"\b(" + "|".join(ENGLISH) + r")\b", re.IGNORECASE)


def commands(group: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path under ``group``, the group itself included."""
    out = [path]
    if isinstance(group, click.Group):
        for name, cmd in sorted(group.commands.items()):
            out += commands(cmd, (*path, name))
    return out


ALL = commands(main)


def prose(text: str, path: tuple[str, ...], group: click.Command) -> str:
    """The help text without what stays as it is: option and command names, file names, the usage's command."""
    text = text.replace(" ".join(("tariefmodel", *path)), "")
    lines, in_commands = [], False
    for line in text.splitlines():
        if line.strip().endswith(":") and not line.startswith(" "):
            in_commands = line.strip() == "Opdrachten:"
        if in_commands and line.startswith("  ") and not line.startswith("    "):
            line = line.split(maxsplit=1)[1] if len(line.split(maxsplit=1)) > 1 else ""  # a subcommand's name
        lines.append(line)
    words = " ".join(lines).split()
    return " ".join(w for w in words if not re.search(r"^[-\[(']*-|[/$_]|\.[a-z]", w))


def test_the_walk_finds_every_command() -> None:
    assert ("index", "rate") in ALL and ("scenario", "run") in ALL and ("calculate",) in ALL
    assert len(ALL) > 30  # 23 top-level commands and their subcommands


@pytest.mark.parametrize("path", ALL, ids=lambda p: " ".join(p) or "tariefmodel")
def test_help_is_dutch(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="tariefmodel")
    assert result.exit_code == 0, result.output
    assert "Gebruik:" in result.output and "Toon deze hulp en stop." in result.output
    english = sorted({m.group(0) for m in WORD.finditer(prose(result.output, path, main))})
    assert not english, f"English in 'tariefmodel {' '.join(path)} --help': {english}\n{result.output}"


def test_unknown_option_is_dutch() -> None:
    result = CliRunner().invoke(main, ["calculate", "--bogus"], prog_name="tariefmodel")
    assert result.exit_code == 2
    assert "Fout: Onbekende optie '--bogus'." in result.output
    assert "Zie 'tariefmodel calculate --help' voor hulp." in result.output
    assert "Gebruik: tariefmodel calculate [OPTIES]" in result.output


def test_missing_argument_is_dutch() -> None:
    result = CliRunner().invoke(main, ["explain"], prog_name="tariefmodel")
    assert result.exit_code == 2
    assert "Fout: Argument ontbreekt 'PRODUCTCODE'." in result.output


def test_invalid_value_is_dutch() -> None:
    result = CliRunner().invoke(main, ["calculate", "--year", "volgend"], prog_name="tariefmodel")
    assert result.exit_code == 2
    assert "Fout: Ongeldige waarde voor '--year': 'volgend' is geen geldig getal." in result.output


def test_unknown_command_is_dutch() -> None:
    result = CliRunner().invoke(main, ["calculat"], prog_name="tariefmodel")
    assert result.exit_code == 2
    assert "Fout: Onbekende opdracht 'calculat'." in result.output and "Bedoelt u 'calculate'?" in result.output
