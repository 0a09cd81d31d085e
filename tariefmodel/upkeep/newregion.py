"""``tariefmodel init``: a new region's data folder, as a git repository with a first commit.

By default a copy of the bundled example region (its providers are fictitious,
and say so); with ``empty`` a minimal skeleton (skeleton.py) whose every source
is ``TODO``, so that ``tariefmodel validate`` lists what to fill in first.
All or nothing: the folder is built beside the target and renamed into place.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tariefmodel.data.problems import InputError, Problem
from tariefmodel.upkeep import skeleton

FOLDERS = ("parameters", "cao_tables", "benchmarks", "scenarios")
GIT_AUTHOR = ("tariefmodel init", "init@tariefmodel.invalid")


@dataclass
class Created:
    path: Path
    name: str
    committed: str | None  # the first commit, or None without git
    warnings: list[str] = field(default_factory=list)


def _refuse_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise InputError([Problem(str(target), "", "bestaat al als bestand; kies een nieuwe map")])
    if target.is_dir() and any(target.iterdir()):
        raise InputError([Problem(str(target), "", "de map is niet leeg; tariefmodel init schrijft alleen in een "
                                  "nieuwe of lege map (er is niets geschreven)")])


def _copy_example(build: Path, name: str | None) -> str:
    from tariefmodel.data.bundled import bundled_region
    from tariefmodel.upkeep import yamltext

    src = bundled_region()
    for folder in FOLDERS:
        shutil.copytree(src / folder, build / folder, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    region_yaml = build / "parameters" / "region.yaml"
    text = region_yaml.read_text(encoding="utf-8")
    node, data = yamltext.compose(text)
    if name:
        assert isinstance(node, yamltext.yaml.MappingNode)
        text = yamltext.checked(text, [yamltext.set_field(text, node, "name", name)], {**data, "name": name})
        region_yaml.write_text(text, encoding="utf-8")
        return name
    return str(data["name"])


def _git(build: Path, message: str) -> tuple[str | None, list[str]]:
    """git init + a first commit; the fixed author only when the user has no git identity."""
    git = shutil.which("git")
    if git is None:
        return None, ["git is niet gevonden: de map is geen git-repository (installeer git en voer 'git init' uit "
                      "om elke wijziging met datum en auteur vast te leggen)"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([git, "-C", str(build), *args], capture_output=True, text=True, timeout=60, check=False)

    if run("init", "-q").returncode != 0:
        return None, ["git init mislukte: de map is geen git-repository"]
    run("symbolic-ref", "HEAD", "refs/heads/main")
    identity = []
    if not run("config", "user.name").stdout.strip() or not run("config", "user.email").stdout.strip():
        identity = ["-c", f"user.name={GIT_AUTHOR[0]}", "-c", f"user.email={GIT_AUTHOR[1]}"]
    run("add", "-A")
    done = run(*identity, "-c", "commit.gpgsign=false", "commit", "-q", "-m", message)
    if done.returncode != 0:
        return None, [f"git commit mislukte ({done.stderr.strip() or done.stdout.strip()}); de bestanden staan er, "
                      "nog niet vastgelegd"]
    return run("rev-parse", "--short", "HEAD").stdout.strip() or None, []


def init_region(target: Path, *, empty: bool = False, name: str | None = None, git: bool = True) -> Created:
    """Create the data folder at ``target``; InputError (nothing written) if it exists and is not empty."""
    from tariefmodel._version import __version__
    from tariefmodel.loader.locate import MARKER, marker_text

    target = Path(target).absolute()
    _refuse_target(target)
    if name is not None and not name.strip():
        raise InputError([Problem("--naam", "", "een lege naam")])
    from tariefmodel.data.fileio import output_error

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        build = Path(tempfile.mkdtemp(prefix=f".{target.name}.init-", dir=target.parent))
    except OSError as exc:
        raise output_error(target, exc) from exc
    try:
        if empty:
            region_name = name or "Nieuwe regio"
            skeleton.write(build, region_name)
        else:
            region_name = _copy_example(build, name)
        (build / MARKER).write_text(marker_text(region_name, __version__), encoding="utf-8")
        (build / ".gitignore").write_text(skeleton.GITIGNORE, encoding="utf-8")
        (build / "LEESMIJ.md").write_text(skeleton.readme(region_name, empty), encoding="utf-8")
        committed, warnings = _git(build, f"tariefmodel init: {region_name}") if git else (None, [])
        _refuse_target(target)  # again: another process may have filled it meanwhile
        if target.is_dir():
            target.rmdir()
        os.replace(build, target)
    except OSError as exc:  # a full disk, no permission: said in words (exit 4), the half-built folder removed
        shutil.rmtree(build, ignore_errors=True)
        raise output_error(target, exc) from exc
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return Created(target, region_name, committed, warnings)
