"""Which data folder a command works on, found the way git finds its repository.

Order: ``--data``, then the environment variable ``TARIEFMODEL_DATA``, then the
nearest folder upward from the working directory that holds ``tariefmodel.toml``
(the marker ``tariefmodel init`` writes), then the bundled example region.

Also here: the one line every command prints on stderr to say which region and
revision it used (``describe``), the text of ``tariefmodel --version``
(``version_text``) and the note ``verify`` adds to an output made by another
engine version (``version_note``). Nothing here prints: the CLI decides where.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tariefmodel.data.region import Region

MARKER = "tariefmodel.toml"
ENV = "TARIEFMODEL_DATA"
FORMAT_VERSION = 1  # of the data folder layout that tariefmodel.toml declares

# How a folder was found; ``describe`` names all but the explicit and the marker.
BY_OPTION = "--data"
BY_ENV = ENV
BY_MARKER = MARKER
BY_DEFAULT = "voorbeeld"


@dataclass(frozen=True, slots=True)
class Located:
    path: Path  # absolute
    how: str  # BY_OPTION | BY_ENV | BY_MARKER | BY_DEFAULT


def find_marker(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds tariefmodel.toml."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    return None


def locate_data(explicit: Path | None, *, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Located:
    """The data folder to use: ``--data``, ``$TARIEFMODEL_DATA``, the nearest tariefmodel.toml upward, the example.

    An explicit or environment path is returned as given (resolved), existing or not: the loader then
    names what is missing, rather than this function silently falling back to another region.
    """
    from tariefmodel.data.bundled import bundled_region

    environ = os.environ if env is None else env
    if explicit is not None:
        return Located(Path(explicit).resolve(), BY_OPTION)
    from_env = environ.get(ENV, "").strip()
    if from_env:
        return Located(Path(from_env).expanduser().resolve(), BY_ENV)
    marked = find_marker(cwd if cwd is not None else Path.cwd())
    if marked is not None:
        return Located(marked, BY_MARKER)
    return Located(bundled_region().resolve(), BY_DEFAULT)


# --------------------------------------------------------------------------- the marker file


def read_marker(folder: Path) -> dict[str, object]:
    """tariefmodel.toml as a dict ({} if absent or unreadable: the marker only names, it decides nothing)."""
    import tomllib

    try:
        return tomllib.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def marker_text(region_name: str, engine_version: str) -> str:
    """The content of tariefmodel.toml for a new region."""
    import json

    return (
        "# Deze map is de gegevensmap van een regio voor tariefmodel (https://pypi.org/project/tariefmodel).\n"
        "# Een tariefmodel-commando dat in deze map of een submap wordt gestart, gebruikt deze gegevens.\n"
        "[regio]\n"
        f"naam = {json.dumps(region_name, ensure_ascii=False)}\n"
        "\n"
        "[tariefmodel]\n"
        f"# de versie die de map aanmaakte, en de versie van de mapindeling\n"
        f"versie = {json.dumps(engine_version)}\n"
        f"formaat = {FORMAT_VERSION}\n"
    )


# --------------------------------------------------------------------------- revision and descriptions


def revision(folder: Path) -> str | None:
    """The short git commit of the folder, with '+wijzigingen' when files differ from it; None without git."""
    try:
        head = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10, check=False)
        if head.returncode != 0:
            return None
        status = subprocess.run(["git", "-C", str(folder), "status", "--porcelain", "--", "."],
                                capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    rev = head.stdout.strip()
    return rev + ("+wijzigingen" if status.returncode == 0 and status.stdout.strip() else "")


def shown_path(path: Path, cwd: Path | None = None) -> str:
    """``./regio`` under the working directory, else the absolute path."""
    base = (cwd or Path.cwd()).resolve()
    try:
        rel = path.resolve().relative_to(base)
    except ValueError:
        return str(path)
    return "." if rel == Path(".") else f"./{rel.as_posix()}"


def describe(located: Located, region: Region | str, *, cwd: Path | None = None) -> str:
    """The first line a command prints, on stderr: which region, which folder, which revision.

    ``Regio: Voorbeeldregio Midden-Holland (map ./regio, revisie abc1234)``; for the bundled example
    ``Regio: ... (meegeleverd voorbeeld, tariefmodel 0.2.0)``.
    """
    from tariefmodel._version import __version__

    name = region if isinstance(region, str) else region.info.name
    if located.how == BY_DEFAULT:
        return f"Regio: {name} (meegeleverd voorbeeld, tariefmodel {__version__})"
    parts = [f"map {shown_path(located.path, cwd)}"]
    rev = revision(located.path)
    parts.append(f"revisie {rev}" if rev else "geen git-revisie")
    if located.how == BY_ENV:
        parts.append(f"via {ENV}")
    return f"Regio: {name} ({', '.join(parts)})"


def version_text(located: Located, *, cwd: Path | None = None) -> str:
    """The text of ``tariefmodel --version``: the engine and the data folder it would use, with its revision."""
    from tariefmodel._version import __version__

    lines = [f"tariefmodel {__version__}"]
    if located.how == BY_DEFAULT:
        lines.append("gegevens: meegeleverd voorbeeld (Voorbeeldregio Midden-Holland)")
        return "\n".join(lines)
    marker = read_marker(located.path)
    name = marker.get("regio", {}).get("naam") if isinstance(marker.get("regio"), dict) else None
    rev = revision(located.path)
    made = marker.get("tariefmodel", {}).get("versie") if isinstance(marker.get("tariefmodel"), dict) else None
    line = f"gegevens: {shown_path(located.path, cwd)}"
    if name:
        line += f" ({name})"
    line += f", revisie {rev}" if rev else ", geen git-revisie"
    lines.append(line)
    if made:
        lines.append(f"map aangemaakt met tariefmodel {made}")
    return "\n".join(lines)


def _version_key(text: str) -> tuple[int, ...] | None:
    try:
        from packaging.version import InvalidVersion, Version
    except ImportError:  # packaging is not a dependency: fall back to the numeric release parts
        parts = text.strip().split("+")[0].split(".")
        return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) and parts else None
    try:
        return Version(text).release
    except InvalidVersion:
        return None


def version_note(manifest_version: str, current: str | None = None) -> str | None:
    """What ``verify`` says when an output was made by another engine version; None when it is this one."""
    from tariefmodel._version import __version__

    now = current or __version__
    if manifest_version == now:
        return None
    made, this = _version_key(manifest_version), _version_key(now)
    if made is None:
        return (f"LET OP: gemaakt met tariefmodel {manifest_version!r} (onbekende versie); dit is {now}: "
                "een verschil kan uit de rekenkern komen.")
    if this is not None and made < this:
        return (f"LET OP: gemaakt met een oudere tariefmodel ({manifest_version}); dit is {now}: een verschil "
                "in de herberekening kan uit de rekenkern komen, niet uit de gegevens (zie CHANGELOG.md).")
    if this is not None and made > this:
        return (f"LET OP: gemaakt met een nieuwere tariefmodel ({manifest_version}) dan deze ({now}): "
                f"werk tariefmodel bij voor een betrouwbare controle.")
    return None
