"""The ``tariefmodel`` command group and the registration of every command group on it.

One module per command group (book, indexation, trail, export, scenario, survey, upkeep); what they share
is in :mod:`tariefmodel.cli.common` and :mod:`tariefmodel.cli.errors`. Heavy libraries
(pydantic, pandas, openpyxl, xlsxwriter, rich, numpy, scipy) are imported inside the commands,
so ``tariefmodel --help`` starts in a few tens of milliseconds.
Exit codes: 0 success, 2 invalid input (with every problem named), 1 other.
"""

from __future__ import annotations

import click

from tariefmodel.cli import book, export, indexation, scenario, survey, trail, upkeep


def _version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: the engine version and the data folder a command here would use, with its revision."""
    if not value or ctx.resilient_parsing:
        return
    from tariefmodel.loader.locate import locate_data, version_text

    click.echo(version_text(locate_data(None)))
    ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
