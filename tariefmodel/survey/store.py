"""The survey folder of a data folder: ``survey/<jaar>/<respondent>-v<NNN>.json``.

Nothing is ever lost or overwritten: a new submission of a respondent (same KvK
number, other answers) becomes the next version beside the earlier ones; the same
answers again are recognised by their content hash and not stored twice. The
aggregation reads the latest version of each respondent.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from tariefmodel.data.problems import InputError, Problem
from tariefmodel.survey.models import FORMAT, Response, Stored

SURVEY_DIR = "survey"
_NAME = re.compile(r"^([0-9a-f]{16})-v(\d{3,})\.json$")


def year_dir(root: Path, year: int) -> Path:
    return root / SURVEY_DIR / str(year)


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # nieuw | nieuwe-versie | ongewijzigd
    version: int
    file: str


def document(response: Response, version: int, warnings: list[tuple[str, str]], source_sha256: str) -> bytes:
    doc = {"format": FORMAT, "respondent": response.respondent, "version": version,
           "content_sha256": response.content_hash(), "source_sha256": source_sha256,
           "warnings": [{"kind": k, "message": m} for k, m in warnings], "answers": response.to_dict()}
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def versions(root: Path, year: int) -> dict[str, list[tuple[int, Path]]]:
    """Every stored version per respondent, oldest first."""
    out: dict[str, list[tuple[int, Path]]] = {}
    folder = year_dir(root, year)
    if not folder.is_dir():
        return out
    for f in folder.iterdir():
        m = _NAME.match(f.name)
        if m:
            out.setdefault(m.group(1), []).append((int(m.group(2)), f))
    for v in out.values():
        v.sort()
    return out


def store(root: Path, response: Response, warnings: list[tuple[str, str]], source_sha256: str,
          known: dict[str, list[tuple[int, Path]]]) -> Outcome:
    """Store a response as a new version of its respondent, unless its latest version holds the same answers.

    ``known`` is :func:`versions` of the year, kept up to date here so a run of many files lists the folder once.
    """
    rid = response.respondent
    have = known.setdefault(rid, [])
    digest = response.content_hash()
    if have and _content_hash(have[-1][1]) == digest:  # only the latest: re-sending older answers is news
        return Outcome("ongewijzigd", have[-1][0], _rel(root, have[-1][1]))
    version = (have[-1][0] + 1) if have else 1
    folder = year_dir(root, response.year)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{rid}-v{version:03d}.json"
    data = document(response, version, warnings, source_sha256)
    # O_EXCL: never replace an existing version, even if another run wrote it meanwhile.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)
    have.append((version, path))
    return Outcome("nieuwe-versie" if version > 1 else "nieuw", version, _rel(root, path))


def _content_hash(path: Path) -> str:
    return str(json.loads(path.read_text(encoding="utf-8")).get("content_sha256", ""))


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def load_latest(root: Path, year: int) -> list[Stored]:
    """The latest version of each respondent of ``year``, in respondent order; InputError on a damaged file."""
    out, problems = [], []
    for rid, vs in sorted(versions(root, year).items()):
        version, path = vs[-1]
        rel = _rel(root, path)
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            response = Response.from_dict(doc["answers"])
        except (OSError, ValueError, KeyError, TypeError, ArithmeticError) as exc:
            problems.append(Problem(rel, "", f"geen geldig antwoordbestand: {type(exc).__name__}"))
            continue
        if response.content_hash() != doc.get("content_sha256"):
            problems.append(Problem(rel, "content_sha256", "de antwoorden passen niet bij hun hash: het bestand is "
                                                           "na de import gewijzigd"))
            continue
        if response.respondent != rid:
            problems.append(Problem(rel, "respondent", "de bestandsnaam past niet bij het KvK-nummer"))
            continue
        warnings = tuple((w["kind"], w["message"]) for w in doc.get("warnings", []))
        out.append(Stored(rid, version, doc["content_sha256"], response, warnings, rel))
    if problems:
        raise InputError(problems)
    return out

