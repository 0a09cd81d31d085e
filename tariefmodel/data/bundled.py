"""Where the bundled example region lives, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # tariefmodel/


def bundled_region() -> Path:
    """The data folder of the bundled example region.

    A wheel carries it inside the package (``tariefmodel/_region``); in a source
    checkout or an editable install it is the repository root.
    """
    packaged = _PACKAGE / "_region"
    if (packaged / "parameters").is_dir():
        return packaged
    return _PACKAGE.parent
