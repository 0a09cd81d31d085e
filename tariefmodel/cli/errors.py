"""How a command ends on bad input: an exception that click turns into exit 2, nothing written.

``InputFailure`` replaces the old ``_fail``/``_usage`` helpers with their ``sys.exit``: a
command raises it, click prints it (every problem, then how many) and exits with 2. Raised
inside ``verify``'s recomputation it is caught like any other exception, never a process exit.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from tariefmodel.data.problems import Problem

EXIT_INPUT = 2


class InputFailure(click.ClickException):
    """Invalid input: every problem named (file, row or key, what is wrong); exit 2; nothing written."""

    exit_code = EXIT_INPUT

    def __init__(self, problems: list[Problem] | None = None, *, message: str | None = None) -> None:
        self.problems = list(problems or [])
        self.usage = message
        super().__init__(message or "; ".join(str(p) for p in self.problems))

    @classmethod
    def of(cls, message: str) -> InputFailure:
        """One problem with the way the command was called (an unknown code, option or format)."""
        return cls(message=message)

    def lines(self) -> list[str]:
        if self.usage is not None:
            return [f"FOUT: {self.usage}", "1 fout(en); er is niets geschreven."]
        errors = sum(1 for p in self.problems if p.severity == "error")
        return [str(p) for p in self.problems] + [f"{errors} fout(en); er is niets geschreven."]

    def show(self, file: IO[Any] | None = None) -> None:
        for line in self.lines():
            click.echo(line, err=True, file=file)


class CommandFailure(click.ClickException):
    """The command ran but has no result (no solution, an internal check refused): exit 1, message as given."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.message, err=True, file=file)


EXIT_INTERNAL = 3
EXIT_OUTPUT = 4
EXIT_INTERRUPTED = 130  # the shell's 128 + SIGINT; SIGTERM ends the same way, its temporary files removed
REPORT_HINT = "dit is een fout in tariefmodel; meld hem met de opdracht en deze melding (zie README)"


class OutputFailure(click.ClickException):
    """An output could not be written (full disk, no permission, a file where a folder should be): exit 4.

    Nothing is half-written: the writer removed its temporary files and the old output is untouched.
    """

    exit_code = EXIT_OUTPUT

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"FOUT: uitvoer kon niet worden geschreven: {self.message}; er is niets gewijzigd.",
                   err=True, file=file)


class InternalFailure(click.ClickException):
    """An unexpected exception: one line instead of a traceback (TARIEFMODEL_DEBUG=1 shows it): exit 3."""

    exit_code = EXIT_INTERNAL

    @classmethod
    def of(cls, exc: BaseException) -> InternalFailure:
        return cls(f"interne fout: {type(exc).__name__}: {exc} — {REPORT_HINT}")

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.message, err=True, file=file)


class Interrupted(click.ClickException):
    """Ctrl-C or SIGTERM: the command stopped, its temporary files removed, no output half-written."""

    exit_code = EXIT_INTERRUPTED

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"afgebroken ({self.message}); er is niets half geschreven.", err=True, file=file)


class Terminated(BaseException):
    """SIGTERM as an exception, so that every ``finally`` (temporary files and folders) runs on the way out."""
