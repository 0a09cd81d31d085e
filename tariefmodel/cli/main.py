"""The ``tariefmodel`` command group and the registration of every command group on it.

One module per command group (book, indexation, trail, export, scenario, survey); what they share
is in :mod:`tariefmodel.cli.common` and :mod:`tariefmodel.cli.errors`. Heavy libraries
(pydantic, pandas, openpyxl, xlsxwriter, rich, numpy, scipy) are imported inside the commands,
so ``tariefmodel --help`` starts in a few tens of milliseconds.
Exit codes: 0 success, 2 invalid input (with every problem named), 1 other.
"""

from __future__ import annotations

import click

from tariefmodel.cli import book, export, indexation, scenario, survey, trail


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tariefmodel")
def main() -> None:
    """tariefmodel: reële prijzen for Jeugdwet and Wmo from dated, sourced parameters."""


for _group in (book, indexation, trail, export, scenario, survey):
    for _command in _group.COMMANDS:
        main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()
