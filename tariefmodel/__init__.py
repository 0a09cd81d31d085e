"""tariefmodel: the open reële-prijs tariff engine for Jeugdwet and Wmo.

The Python interface lives in :mod:`tariefmodel.api`; its names are imported
lazily so that ``tariefmodel --help`` stays fast, and ``dir(tariefmodel)`` lists them.
"""

from __future__ import annotations

from typing import Any

from tariefmodel._version import __version__ as __version__

_API = {"load", "tariffs", "tariff_book", "tariff", "explain_text", "UnknownTariff"}


def __getattr__(name: str) -> Any:
    if name in _API:
        from tariefmodel import api

        return getattr(api, name)
    raise AttributeError(f"module 'tariefmodel' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__


__all__ = sorted(_API | {"__version__"})
