"""Reading a data folder's files: inside the folder only, recorded and hashed, failures as Problems."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tariefmodel.data.problems import Problem, Problems
from tariefmodel.data.region import MAX_INPUT_BYTES
from tariefmodel.loader.todo import todo_problems

if TYPE_CHECKING:
    from pydantic import BaseModel


class Reader:
    """Reads files relative to the data folder and turns failures into Problems.

    Every file read must lie inside the data folder once links are resolved; ``files`` lists what was
    read (resolved, relative to the folder), which is exactly what the validated-input cache fingerprints.
    """

    def __init__(self, root: Path, problems: Problems):
        self.root = root
        self.real_root = root.resolve()
        self.problems = problems
        self.files: list[str] = []
        self.todo: list[Problem] = []  # placeholder sources: listed first, as what to fill in (loader/todo.py)
        self.hashes: dict[str, str] = {}  # every file read -> SHA-256 of the bytes validated (the cache checks them)

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def inside(self, path: Path) -> Path | None:
        """The resolved path when it lies inside the data folder; else a problem naming the link or ../ path."""
        try:
            real = path.resolve()
        except (OSError, RuntimeError) as exc:  # a link loop
            self.problems.add(self.rel(path), "", f"het pad is niet te volgen ({exc})")
            return None
        if real == self.real_root or self.real_root in real.parents:
            return real
        link = next((p for p in [path, *path.parents] if p.is_symlink()), None)
        how = (f"via de link {self.rel(link)} -> {os.readlink(link)}" if link is not None
               else f"via het pad {self.rel(path)}")
        self.problems.add(self.rel(path), "", f"ligt buiten de datamap ({how}, uitkomend op {real}): een regio "
                          "leest alleen bestanden binnen haar eigen datamap")
        return None

    def open(self, path: Path) -> bytes | None:
        """The bytes of one input file, checked and recorded; None (and a problem) when it cannot be read."""
        rel = self.rel(path)
        real = self.inside(path)
        if real is None:
            return None
        if real.is_dir():
            self.problems.add(rel, "", "is een map, geen bestand")
            return None
        if not real.is_file():
            self.problems.add(rel, "", "bestand ontbreekt" if not real.exists() else "is geen gewoon bestand")
            return None
        if real.stat().st_size > MAX_INPUT_BYTES:
            self.problems.add(rel, "", f"bestand is groter dan {MAX_INPUT_BYTES} bytes")
            return None
        try:
            data = real.read_bytes()
        except OSError as exc:
            self.problems.add(rel, "", f"kan het bestand niet lezen: {exc.strerror}")
            return None
        from tariefmodel.loader.cache import file_hash

        rel_real = real.relative_to(self.real_root).as_posix()
        self.files.append(rel_real)
        self.hashes[rel_real] = file_hash(data)
        return data

    def yaml(self, path: Path) -> Any:
        from tariefmodel.data.yamlio import YamlError, parse_yaml

        raw = self.open(path)
        if raw is None:
            return None
        rel = self.rel(path)
        try:
            data = parse_yaml(raw)
        except YamlError as exc:
            self.problems.add(rel, "", str(exc), line=exc.line)
            return None
        if data is None:
            self.problems.add(rel, "", "bestand is leeg")
        self.todo.extend(todo_problems(rel, data))
        return data

    def model(self, path: Path, model: type[BaseModel]) -> tuple[Any, Any]:
        from pydantic import ValidationError

        from tariefmodel.data.pydantic_nl import add_validation_errors

        data = self.yaml(path)
        if data is None:
            return None, None
        rel = self.rel(path)
        if not isinstance(data, dict):
            self.problems.add(rel, "", f"bovenaan het bestand hoort een mapping (sleutel: waarde), gevonden: {kind_of(data)}")
            return None, data
        try:
            return model.model_validate(data), data
        except ValidationError as exc:
            add_validation_errors(self.problems, rel, exc, data)
            return None, data


def kind_of(data: object) -> str:
    """What a YAML document holds, in words: 'een lijst (list)', 'tekst (str)'."""
    if isinstance(data, list):
        return "een lijst (list)"
    if isinstance(data, str):
        return "tekst (str)"
    return f"een waarde van type {type(data).__name__}"


def csv_lines(raw: bytes, file: str, problems: Problems) -> list[str] | None:
    """The lines of a CSV input file as Excel or an editor saved it (UTF-8, with or without a byte-order
    mark); None, with a problem naming the file and line, when it is not UTF-8 or a line holds a control or
    invisible character (tabs aside), all such lines at once."""
    from tariefmodel.data.yamlio import control_problem, visible

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.add(file, "", f"geen UTF-8-tekst (byte {exc.start}); sla de CSV op als UTF-8",
                     line=raw[:exc.start].count(b"\n") + 1)
        return None
    lines = text.splitlines()
    bad = False
    for i, line in enumerate(lines, start=1):
        if control_problem(line.replace("\t", " ")):
            problems.add(file, f"rij {i}", f"regel '{visible(line)}' bevat een stuurteken of onzichtbaar teken "
                         "(zoals een ANSI-escape of NUL): haal het weg", line=i)
            bad = True
    return None if bad else lines
