"""The ``tariefmodel`` command group and the registration of every command group on it.

One module per command group (book, indexation, trail, export, scenario, survey, upkeep); what they share
is in :mod:`tariefmodel.cli.common` and :mod:`tariefmodel.cli.errors`. Heavy libraries
(pydantic, pandas, openpyxl, xlsxwriter, rich, numpy, scipy) are imported inside the commands,
so ``tariefmodel --help`` starts in a few tens of milliseconds.
Exit codes: 0 success, 1 no result (a command found differences or has no solution), 2 invalid input (with
every problem named), 3 an internal error (a bug: one line, never a traceback; ``TARIEFMODEL_DEBUG=1`` shows
it), 4 the output could not be written (path and cause named, nothing half-written), 130 interrupted
(Ctrl-C or SIGTERM; temporary files removed).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Any

import click

from tariefmodel.cli import book, export, indexation, scenario, survey, trail, upkeep
from tariefmodel.cli.errors import InternalFailure, Interrupted, OutputFailure, Terminated

DEBUG = "TARIEFMODEL_DEBUG"


def _terminate(_signum: int, _frame: Any) -> None:
    raise Terminated("SIGTERM")


def _install_sigterm() -> None:
    """SIGTERM raises Terminated (a BaseException), so ``finally`` blocks remove temporary files on the way out."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)


def _translated(exc: BaseException) -> click.ClickException | None:
    """What the user is told instead of a traceback; None for what click handles itself (or debugging)."""
    from tariefmodel.data.fileio import OutputError

    if isinstance(exc, click.exceptions.ClickException | click.exceptions.Exit | click.exceptions.Abort):
        return None
    if isinstance(exc, OutputError):
        return OutputFailure(str(exc))
    if isinstance(exc, KeyboardInterrupt):
        return Interrupted("Ctrl-C")
    if isinstance(exc, Terminated):
        return Interrupted("SIGTERM")
    if isinstance(exc, Exception) and not os.environ.get(DEBUG):
        return InternalFailure.of(exc)
    return None


class GuardedGroup(click.Group):
    """The top-level group: no exception leaves a command as a traceback (see the exit codes above)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (Exception, KeyboardInterrupt, Terminated) as exc:
            failure = _translated(exc)
            if failure is None:
                raise
            raise failure from exc

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _install_sigterm()
        try:
            return super().main(*args, **kwargs)
        except (Exception, Terminated) as exc:  # outside a command: parsing the group's own options
            failure = _translated(exc)
            if failure is None or not kwargs.get("standalone_mode", True):
                raise
            failure.show()
            sys.exit(failure.exit_code)


def _version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: the engine version and the data folder a command here would use, with its revision."""
    if not value or ctx.resilient_parsing:
        return
    from tariefmodel.loader.locate import locate_data, version_text

    click.echo(version_text(locate_data(None)))
    ctx.exit()


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="Toon de versie van het model en de gegevensmap met haar revisie, en stop.")
def main() -> None:
    """tariefmodel: reële prijzen voor Jeugdwet en Wmo uit gedateerde parameters met bron."""


for _group in (book, indexation, trail, export, scenario, survey, upkeep):
    for _command in _group.COMMANDS:
        main.add_command(_command)
indexation.index.add_command(upkeep.index_add)  # 'index add': a new OVA/PPC publication

if __name__ == "__main__":  # pragma: no cover
    main()
