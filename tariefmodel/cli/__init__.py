"""The command line: one module per command group, registered on the ``tariefmodel`` group in :mod:`.main`."""

from tariefmodel.cli.main import main

__all__ = ["main"]
