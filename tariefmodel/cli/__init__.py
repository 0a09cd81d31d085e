"""The command line: one module per command group, registered on the ``tariefmodel`` group in :mod:`.main`."""

from tariefmodel.cli import dutch

dutch.install()  # before the command modules build their click types: click's own words in Dutch

from tariefmodel.cli.main import main  # noqa: E402

__all__ = ["main"]
