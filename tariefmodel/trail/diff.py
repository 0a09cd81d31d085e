"""What changed between two versions of a region's data, and what it does to every tariff.

OLD and NEW are data folders or git revisions of the repository that holds the
data folder. Input changes are listed leaf by leaf (parameter values, CAO table
cells, product fields), each with the provenance of the new value; the effect
is every tariff old against new, in euros and percent, sorted by impact. This is
what goes to the colleges with a recalculation.
"""

from __future__ import annotations

import csv
import io
import subprocess
import tarfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from tariefmodel.data.problems import InputError, Problem

INPUT_FOLDERS = ("parameters", "cao_tables", "benchmarks")
CSV_SOURCE = "(bron)"  # the leaf that holds a salary table's '# source:' line
_LIST_KEYS = ("code", "key", "id", "from", "year", "index_year", "provider", "contract")


REVISIONS: dict[str, str] = {}  # extracted folder -> the commit it holds (for the run manifest)


@dataclass(frozen=True, slots=True)
class InputChange:
    file: str
    path: str
    old: str
    new: str
    source: str  # provenance of the new value (or of the old one when it was removed)


@dataclass(frozen=True, slots=True)
class TariffEffect:
    code: str
    name: str
    variant: str
    micro: bool
    provider: str
    version: str
    old: Decimal | None
    new: Decimal | None

    @property
    def diff(self) -> Decimal | None:
        return None if self.old is None or self.new is None else self.new - self.old

    @property
    def pct(self) -> Decimal | None:
        d = self.diff
        return None if d is None or not self.old else d / self.old * 100


def folder_arg(arg: str, folder: Path) -> str:
    """OLD or NEW as an output records it: a data folder by its path from the data folder (``--data``, here
    ``folder``) as ``./x`` or ``../x``, never absolute, so two clones write the same bytes and verify, which
    knows the data folder, finds it again; a git revision as given."""
    import os

    if not Path(arg).is_dir():
        return arg
    try:
        rel = Path(os.path.relpath(Path(arg).resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        return str(Path(arg).resolve())
    return rel if rel == "." or rel.startswith("../") or rel == ".." else f"./{rel}"


def from_data_folder(arg: str, folder: Path) -> str:
    """The inverse of :func:`folder_arg`: a recorded ``./x`` or ``../x`` as a path from the data folder."""
    if arg in (".", "..") or arg.startswith(("./", "../")):
        return str((folder / arg).resolve())
    return arg


def materialise(arg: str, data_root: Path, workdir: Path) -> tuple[Path, str]:
    """A folder holding OLD or NEW: the folder itself, or a git revision extracted into ``workdir``."""
    path = Path(arg)
    if path.is_dir():
        return path, arg  # as the user named it (an output names it from its own folder: folder_arg)
    try:
        top = Path(subprocess.run(["git", "-C", str(data_root), "rev-parse", "--show-toplevel"], capture_output=True,
                                  text=True, check=True, timeout=20).stdout.strip())
        rel = data_root.resolve().relative_to(top.resolve())
        commit = subprocess.run(["git", "-C", str(top), "rev-parse", "--verify", f"{arg}^{{commit}}"],
                                capture_output=True, text=True, check=True, timeout=20).stdout.strip()
        members = []
        for f in INPUT_FOLDERS:
            member = str(rel / f) if str(rel) != "." else f
            exists = subprocess.run(["git", "-C", str(top), "cat-file", "-e", f"{commit}:{member}"],
                                    capture_output=True, timeout=20)
            if exists.returncode == 0:  # an old revision may lack a folder (e.g. before benchmarks existed)
                members.append(member)
        if not members:
            raise ValueError(f"revisie {commit[:12]} heeft geen van de mappen {', '.join(INPUT_FOLDERS)}")
        data = subprocess.run(["git", "-C", str(top), "archive", "--format=tar", commit, "--", *members],
                              capture_output=True, check=True, timeout=60).stdout
    except ValueError as exc:
        raise InputError([Problem(arg, "", str(exc))]) from exc
    except (OSError, subprocess.SubprocessError) as exc:
        # git's own (English) message is not shown: what the user needs is which argument did not resolve.
        raise InputError([Problem(arg, "", "geen gegevensmap en geen git-revisie van de repository met de "
                                           f"gegevensmap ({data_root})")]) from exc
    dest = workdir / commit[:12]
    REVISIONS[str(dest / rel)] = commit
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        # git archive writes only regular files and folders of the repository; the "data" filter
        # (Python 3.11.4+) refuses links and paths outside dest, so use it where it exists.
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:
            _check_members(tar, dest)
            tar.extractall(dest)
    return dest / rel, f"{arg} ({commit[:12]})"


def _flatten(node: Any, prefix: str, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            _flatten(v, f"{prefix}.{k}" if prefix else str(k), out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            label = str(i)
            if isinstance(v, dict):
                for key in _LIST_KEYS:
                    if key in v and not isinstance(v[key], dict | list):
                        label = f"{key}={v[key]}"
                        break
            _flatten(v, f"{prefix}[{label}]", out)
    else:
        out[prefix] = "" if node is None else str(node)


def _leaves(root: Path, rel: str) -> dict[str, str]:
    path = root / rel
    out: dict[str, str] = {}
    if rel.endswith(".csv"):
        text = path.read_text(encoding="utf-8-sig").splitlines()
        source = " ".join(ln.lstrip("# ").strip() for ln in text if ln.startswith("#"))
        rows = list(csv.reader(ln for ln in text if not ln.startswith("#")))
        for row in rows[1:]:
            if row:
                out[",".join(row[:-1])] = row[-1]
        if source:
            out[CSV_SOURCE] = source
        return out
    from tariefmodel.data.yamlio import load_yaml

    _flatten(load_yaml(path), "", out)
    return out


def _files(root: Path) -> set[str]:
    out = set()
    for folder in INPUT_FOLDERS:
        base = root / folder
        if base.is_dir():
            out.update(p.relative_to(root).as_posix() for p in base.rglob("*")
                       if p.is_file() and p.suffix in (".yaml", ".csv"))
    return out


def _provenance(leaves: dict[str, str], path: str) -> str:
    """The source (and rationale) of the dated entry, record or table a leaf belongs to."""
    if CSV_SOURCE in leaves:
        return leaves[CSV_SOURCE]
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        base = ".".join(parts[:cut])
        for prefix in (base, f"{base}.provenance"):  # a product keeps its provenance in a block
            src = leaves.get(f"{prefix}.source")
            if src:
                why = leaves.get(f"{prefix}.rationale", "")
                return f"{src}" + (f" — {why}" if why else "")
    return ""


def input_changes(old: Path, new: Path) -> list[InputChange]:
    out: list[InputChange] = []
    for rel in sorted(_files(old) | _files(new)):
        a = _leaves(old, rel) if (old / rel).is_file() else {}
        b = _leaves(new, rel) if (new / rel).is_file() else {}
        if not a and (new / rel).is_file() and not (old / rel).is_file():
            out.append(InputChange(rel, "(bestand)", "", "nieuw bestand", ""))
        elif not b and not (new / rel).is_file():
            out.append(InputChange(rel, "(bestand)", "bestand", "verwijderd", ""))
        for path in sorted(a.keys() | b.keys()):
            if path == CSV_SOURCE and a and b and a.get(path) == b.get(path):
                continue
            if a.get(path) != b.get(path):
                src = _provenance(b, path) if path in b else _provenance(a, path)
                out.append(InputChange(rel, path, a.get(path, ""), b.get(path, ""), src))
    return out


def tariff_effects(old_book: Any, new_book: Any) -> list[TariffEffect]:
    olds = {t.key: t for t in old_book.tariffs}
    news = {t.key: t for t in new_book.tariffs}
    effects = []
    for k in list(dict.fromkeys([*olds, *news])):
        o, n = olds.get(k), news.get(k)
        t = n or o
        effects.append(TariffEffect(k[0], t.product.product.name, k[1], k[2], k[3], k[4],
                                    o.tariff_eur if o else None, n.tariff_eur if n else None))

    def impact(e: TariffEffect) -> tuple:
        pct = e.pct
        return (0 if pct is None else 1, -abs(pct) if pct is not None else 0, e.code, e.variant)

    return sorted(effects, key=impact)


def _check_members(tar: tarfile.TarFile, dest: Path) -> None:
    """Refuse links and paths that would land outside ``dest`` (the data filter of newer Pythons)."""
    root = dest.resolve()
    for m in tar.getmembers():
        target = (dest / m.name).resolve()
        if not (m.isfile() or m.isdir()) or not target.is_relative_to(root):
            raise InputError([Problem(m.name, "", "onveilig pad in het git-archief")])
