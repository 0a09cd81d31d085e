"""Click's own words in Dutch: "Gebruik:", "Opties:", "Toon deze hulp en stop.", "Fout: onbekende optie", ...

Click marks its texts with gettext (``from gettext import gettext as _`` in each of its modules).
A gettext catalogue installed the standard way would only be consulted when the user's locale is
Dutch ($LANGUAGE, $LANG); the command line must speak Dutch for every user, so :func:`install`
points the ``_``/``ngettext`` names of click's modules at this table instead, once, when the CLI
package is imported. A text missing here stays English: ``tests/test_dutch_cli.py`` walks every
command's help and usage errors and fails on English words, so a click upgrade that changes a text
shows up there. The few English words click writes without gettext (``[OPTIONS]``,
``COMMAND [ARGS]...``, the metavars of the built-in types) are set in :func:`install` too.
A dict lookup per text: ``tariefmodel --help`` does not get slower.
"""

from __future__ import annotations

import click

TEXTS: dict[str, str] = {
    # help pages
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Opdrachten",
    "Positional arguments": "Argumenten",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "default: {default}": "standaard: {default}",
    "required": "verplicht",
    "env var: {var}": "omgevingsvariabele: {var}",
    "(dynamic)": "(berekend)",
    "deprecated": "verouderd",
    "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
    "Confirm the action without prompting.": "Bevestig zonder te vragen.",
    "Do you want to continue?": "Wilt u doorgaan?",
    "Aborted!": "Afgebroken.",
    # usage errors
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Zie '{command} {option}' voor hulp.",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "No such command {name!r}.": "Onbekende opdracht {name!r}.",
    "Did you mean {possibility}?": "Bedoelt u {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Bedoelt u een van: {possibilities}?)",
    "Missing argument": "Argument ontbreekt",
    "Missing option": "Optie ontbreekt",
    "Missing parameter": "Parameter ontbreekt",
    "Missing {param_type}": "{param_type} ontbreekt",
    "Missing parameter: {param_name}": "Parameter ontbreekt: {param_name}",
    "Missing command.": "Geen opdracht opgegeven.",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Got unexpected extra argument ({args})": "Onverwacht extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Onverwachte extra argumenten ({args})",
    "Option {name!r} does not take a value.": "Optie {name!r} neemt geen waarde.",
    "Option {name!r} requires an argument.": "Optie {name!r} vraagt een waarde.",
    "Option {name!r} requires {nargs} arguments.": "Optie {name!r} vraagt {nargs} waarden.",
    "Argument {name!r} takes {nargs} values.": "Argument {name!r} vraagt {nargs} waarden.",
    "Takes {nargs} values but 1 was given.": "Vraagt {nargs} waarden, maar er is er 1 opgegeven.",
    "Takes {nargs} values but {len} were given.": "Vraagt {nargs} waarden, maar er zijn er {len} opgegeven.",
    "Value must be an iterable.": "De waarde moet een reeks zijn.",
    "unknown error": "onbekende fout",
    "Could not open file {filename!r}: {message}": "Kan bestand {filename!r} niet openen: {message}",
    # values
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "{value} is not in the range {range}.": "{value} ligt niet in het bereik {range}.",
    "{value!r} is not {choice}.": "{value!r} is niet {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} is niet een van {choices}.",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "{value!r} does not match the format {format}.": "{value!r} heeft niet de vorm {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} heeft niet een van de vormen {formats}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} is geen geldige ja/nee-waarde. Bekende waarden: {states}",
    "{value!r} is not a valid UUID.": "{value!r} is geen geldige UUID.",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet schrijfbaar.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} is niet uitvoerbaar.",
    "{len_type} values are required, but {len_value} was given.":
        "Er zijn {len_type} waarden nodig, maar er is er {len_value} opgegeven.",
    "{len_type} values are required, but {len_value} were given.":
        "Er zijn {len_type} waarden nodig, maar er zijn er {len_value} opgegeven.",
    "Error: invalid input": "Fout: ongeldige invoer",
    "Error: The two entered values do not match.": "Fout: de twee ingevoerde waarden verschillen.",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Press any key to continue...": "Druk op een toets om door te gaan...",
}

# Click writes these without gettext; the help and usage lines show them.
OPTIONS_METAVAR = "[OPTIES]"
SUBCOMMAND_METAVAR = "OPDRACHT [ARGUMENTEN]..."
PARAM_TYPE_NAMES = {click.INT: "getal", click.FLOAT: "getal", click.STRING: "tekst", click.BOOL: "ja/nee",
                    click.UUID: "uuid"}


def gettext(message: str) -> str:
    return TEXTS.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Make click speak Dutch in this process (idempotent)."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
                   click.types):
        module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    for param_type, name in PARAM_TYPE_NAMES.items():
        param_type.name = name
    click.Context.formatter_class = DutchHelpFormatter


class DutchHelpFormatter(click.HelpFormatter):
    """The usage line with Dutch placeholders: ``Gebruik: tariefmodel diff [OPTIES] OUD NIEUW``."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", OPTIONS_METAVAR).replace("COMMAND [ARGS]...", SUBCOMMAND_METAVAR)
        super().write_usage(prog, args, prefix)
