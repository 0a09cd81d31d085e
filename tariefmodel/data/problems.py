"""Input problems as data: every problem names its file, its place and what is wrong.

Loading collects all problems before failing, so a user fixes them in one pass
(the Beancount way). Nothing is written while any error stands.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

# C0 controls, DEL and C1 controls: shown as \\x1b and the like, so text from the data cannot move the cursor,
# recolour or clear a terminal (an ANSI escape in a file name) or hide the rest of a line (NUL, CR).
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}


def visible(text: object) -> str:
    """``text`` with every control character written out visibly (``\\x1b``, ``\\x00``, ``\\x0a``)."""
    return str(text).translate(_CONTROLS)


def did_you_mean(given: str, known: object, *, cutoff: float = 0.6) -> str:
    """'bedoelde u a, b of c?' for the known names closest to ``given``; empty when none is close."""
    close = difflib.get_close_matches(given, [str(k) for k in known], n=3, cutoff=cutoff)  # type: ignore[attr-defined]
    if not close:
        return ""
    return "bedoelde u " + (", ".join(close[:-1]) + " of " if len(close) > 1 else "") + close[-1] + "?"


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    where: str
    message: str
    severity: Severity = "error"
    line: int | None = None

    def __str__(self) -> str:
        place = visible(self.file)
        if self.line is not None:
            place += f":{self.line}"
        if self.where:
            place += f" [{visible(self.where)}]"
        tag = "FOUT" if self.severity == "error" else "WAARSCHUWING"
        return f"{tag} {place}: {visible(self.message)}"


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, where: str, message: str, *, severity: Severity = "error",
            line: int | None = None) -> None:
        self.items.append(Problem(file, where, message, severity, line))

    def extend(self, other: list[Problem]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InputError(list(self.items))


class InputError(Exception):
    """Invalid input: carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} fout(en) in de invoer:\n" + "\n".join(str(p) for p in errors))
