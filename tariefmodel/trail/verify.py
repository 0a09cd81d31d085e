"""``tariefmodel verify``: does an output still match its inputs and the engine?

Three checks, each a finding when it fails: the output's own bytes against the SHA-256 its
sidecar records (CSV); the input files against the SHA-256 the manifest records; and the
output against a recomputation with the recorded command, every sheet of a workbook cell by
cell, every block of a JSON document value by value, every line of a CSV or report. What an
output only restates of its manifest (the Manifest sheet, the input hashes in a JSON ``meta``
block) is checked against the manifest it carries instead, and the data revision an output
names is compared as a placeholder (a commit that changes no input changes no result).

The recomputation itself is the caller's (the command line): this layer may not import it,
so ``verify`` takes a ``rerun`` function. A manifest whose command is not one that writes an
output is refused, and a recomputation that writes nothing is a finding: an edited manifest
cannot talk verify round.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tariefmodel.trail import manifest as mf

# The commands that write an output with a manifest, as the words before their arguments.
OUTPUT_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("calculate",), ("index", "apply"), ("recalibrate",), ("diff",), ("audit",),
    ("export", "review"), ("export", "annex"), ("export", "provider"),
    ("scenario", "run"), ("scenario", "compare"), ("budget", "impact"), ("budget", "ceilings"),
    ("arrangements",), ("lumpsums",), ("sensitivity", "tornado"), ("sensitivity", "montecarlo"), ("goalseek",),
    ("survey", "report"), ("explain",),
)
# verify adds --data and --out itself; --help and --version write nothing.
REFUSED_OPTIONS = ("--help", "-h", "--version", "--out", "--data")
SHOWN_ROWS = 5

Rows = list[tuple[str, list[str]]]  # (sheet or block, the cells of one row)
Rerun = Callable[[list[str]], str | None]  # the CLI arguments -> None, or why the run failed


class Refused(Exception):
    """The output cannot be verified as it stands (no manifest, not ours, a command that writes nothing): exit 2."""


@dataclass
class Verdict:
    output: Path
    command: list[str]
    inputs: int
    findings: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)


def read_manifest(output: Path) -> dict[str, Any]:
    import zipfile

    try:
        man = pdf_manifest(output) if output.suffix.lower() == ".pdf" else mf.read(output)
    except (ValueError, OSError, KeyError, zipfile.BadZipFile) as exc:
        raise Refused(f"{output}: {exc}") from exc
    if not isinstance(man, dict) or not isinstance(man.get("command", []), list):
        raise Refused(f"{output}: het manifest is geen manifest van tariefmodel (een JSON-object met een command hoort erin)")
    return man


PDF_MARK = "tariefmodel-manifest:"


def pdf_manifest(output: Path) -> dict[str, Any]:
    """The manifest a PDF carries as JSON in its Keywords (see outputs.pdf); ValueError when it has none."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        info = PdfReader(output).metadata or {}
    except (PdfReadError, ValueError) as exc:
        raise ValueError(f"{output} is not a readable PDF: {exc}") from exc
    keywords = str(info.get("/Keywords", ""))
    if not keywords.startswith(PDF_MARK):
        raise ValueError(f"{output} carries no tariefmodel manifest")
    return json.loads(keywords[len(PDF_MARK):])


def pdf_rows(path: Path) -> Rows:
    """A PDF's text, page by page and line by line (pypdf's extraction: the same for both sides compared)."""
    from pypdf import PdfReader

    rows: Rows = [("(pagina's)", [str(len(PdfReader(path).pages))])]
    for n, page in enumerate(PdfReader(path).pages, start=1):
        rows += [(f"pagina {n}", [ln]) for ln in page.extract_text().splitlines()]
    return rows


def check_command(command: object) -> list[str]:
    """The recorded command, if it is one that writes an output; Refused otherwise."""
    if not isinstance(command, list) or not command or not all(isinstance(a, str) for a in command):
        raise Refused("het manifest noemt geen opdracht (command) waarmee het bestand opnieuw te maken is")
    if not any(tuple(command[:len(known)]) == known for known in OUTPUT_COMMANDS):
        raise Refused(f"de opdracht in het manifest ({' '.join(command)}) schrijft geen uitvoer; "
                      "verify herberekent alleen uitvoer van tariefmodel")
    bad = [a for a in command if a in REFUSED_OPTIONS or a.split("=", 1)[0] in REFUSED_OPTIONS]
    if bad:
        raise Refused(f"de opdracht in het manifest ({' '.join(command)}) bevat {', '.join(bad)}; "
                      "die hoort daar niet (verify geeft --data en --out zelf mee)")
    return command


def data_folder(output: Path, manifest: dict[str, Any], data: Path | None) -> tuple[Path, bool]:
    """The data folder to check against, and whether it is a guess (the manifest does not say where it was)."""
    from tariefmodel.data.bundled import bundled_region

    if data is not None:
        return data, False
    try:
        found = mf.locate_data(output, manifest)
    except LookupError as exc:
        raise Refused(f"{output}: {exc}") from exc
    return (bundled_region(), True) if found is None else (found, False)


def verify(output: Path, data: Path | None, rerun: Rerun) -> Verdict:
    """Check ``output`` against its inputs and a recomputation. Raises Refused, or InputError for a bad data folder."""
    from tariefmodel._version import __version__
    from tariefmodel.data.fileio import sha256_of
    from tariefmodel.loader.load import load_region

    man = read_manifest(output)
    command = check_command(man.get("command"))
    root, guessed = data_folder(output, man, data)
    region = load_region(root)
    recorded = man.get("inputs", {})
    verdict = Verdict(output, command, len(recorded), manifest=man)
    findings = verdict.findings
    side = mf.sidecar_path(output)
    if side.is_file() and "output_sha256" in man and mf.sha256_bytes(output.read_bytes()) != man["output_sha256"]:
        findings.append(f"{output.name} is gewijzigd nadat het is geschreven (de SHA-256 wijkt af van het manifest)")
    current = {f: sha256_of(region.root / f) for f in region.files}
    for f in sorted(recorded.keys() | current.keys()):
        if f not in current:
            findings.append(f"invoer verdwenen: {f}")
        elif f not in recorded:
            findings.append(f"invoer toegevoegd: {f}")
        elif current[f] != recorded[f]:
            findings.append(f"invoer gewijzigd: {f} (SHA-256 {recorded[f][:12]}... -> {current[f][:12]}...)")
    if guessed and findings:
        findings.append("het manifest zegt niet met welke gegevensmap dit bestand is gemaakt; vergeleken met de "
                        "meegeleverde regio: geef de juiste map met --data")
    if man.get("engine_version") != __version__:
        findings.append(f"andere engine-versie: {man.get('engine_version')}")
    findings += restated(output, man)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / f"recomputed{output.suffix}"
        if command[0] == "diff":  # its folders are recorded from the data folder (diff.folder_arg)
            from tariefmodel.trail.diff import from_data_folder

            command = [command[0], *(from_data_folder(a, region.root) for a in command[1:3]), *command[3:]]
        failed = rerun([*command, "--data", str(region.root), "--out", str(fresh)])
        if failed is not None:
            findings.append(f"herberekening mislukt ({failed}): {' '.join(command)}")
        elif not fresh.is_file():
            findings.append(f"herberekening schreef geen uitvoer: {' '.join(command)}")
        else:
            findings += compare(without_revision(read_rows(output), man),
                                without_revision(read_rows(fresh), read_manifest(fresh)))
    return verdict


def compare(old: Rows, new: Rows) -> list[str]:
    """What differs between two outputs, block by block and row by row."""
    blocks_old = _by_block(old)
    blocks_new = _by_block(new)
    findings: list[str] = []
    for name in blocks_old.keys() - blocks_new.keys():
        findings.append(f"uitkomst gewijzigd: blok {name!r} staat niet meer in de herberekening")
    for name in blocks_new.keys() - blocks_old.keys():
        findings.append(f"uitkomst gewijzigd: blok {name!r} ontbreekt in het bestand")
    changed: list[tuple[str, list[str], list[str]]] = []
    more = 0
    for name, rows in blocks_old.items():
        if name not in blocks_new:
            continue
        others = blocks_new[name]
        changed += [(name, a, b) for a, b in zip(rows, others, strict=False) if a != b]
        more += abs(len(rows) - len(others))
    if changed or more:
        findings.append(f"uitkomst gewijzigd: {len(changed)} regel(s) verschillen"
                        + (f", {more} regel(s) meer of minder" if more else ""))
        for name, a, b in changed[:SHOWN_ROWS]:
            where = f"  [{name}]" if name else ""
            findings.append(f"  was:  {','.join(a)[:150]}{where}")
            findings.append(f"  nu:   {','.join(b)[:150]}{where}")
    return findings


def _by_block(rows: Rows) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for name, cells in rows:
        out.setdefault(name, []).append(cells)
    return out


def read_rows(path: Path) -> Rows:
    """An output as rows of text per sheet or block, whatever its format, leaving out what restates the manifest."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        import csv

        with open(path, encoding="utf-8", newline="") as fh:
            return [("", list(r)) for r in csv.reader(fh)]
    if suffix == ".json":
        doc = json.loads(path.read_text(encoding="utf-8"))
        rows: Rows = []
        if not isinstance(doc, dict):
            return [("", [json.dumps(doc, sort_keys=True)])]
        for key, value in doc.items():
            if key == "manifest":
                continue
            if key == "meta" and isinstance(value, dict):
                value = {k: v for k, v in value.items() if k != "inputs"}  # checked against the manifest
            _flatten(key, value, rows)
        return rows
    if suffix == ".pdf":
        return pdf_rows(path)
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        rows = [("(bladen)", list(wb.sheetnames))]
        for name in wb.sheetnames:
            if name == "Manifest":
                continue  # checked against the manifest it records
            rows += [(name, ["" if v is None else str(v) for v in row]) for row in wb[name].iter_rows(values_only=True)]
        return rows
    text = path.read_text(encoding="utf-8")
    return [("", [ln]) for ln in text.splitlines() if "<!-- tariefmodel-manifest:" not in ln]  # read as the manifest


def without_revision(rows: Rows, manifest: dict[str, Any]) -> Rows:
    """Rows with the data revision an output names (a footnote, a provenance line) replaced by a placeholder.

    A later commit that changes no input changes the revision, not the result; each output's
    own manifest says which revision it names, so a hand-edited revision still differs.
    """
    commit = (manifest.get("data_revision") or {}).get("git_commit")
    if not isinstance(commit, str) or len(commit) < 12:
        return rows
    return [(name, [c.replace(commit, "<revisie>").replace(commit[:12], "<revisie>") for c in cells])
            for name, cells in rows]


def _flatten(name: str, value: Any, rows: Rows) -> None:
    """A JSON block as rows: a table (columns and rows, or a list of objects) row by row, anything else as one value."""
    if isinstance(value, dict) and isinstance(value.get("rows"), list) and isinstance(value.get("columns"), list):
        rows.append((name, [str(c) for c in value["columns"]]))
        rows += [(name, [_cell(r.get(c, "")) for c in value["columns"]] if isinstance(r, dict) else [_cell(r)])
                 for r in value["rows"]]
        extra = {k: v for k, v in value.items() if k not in ("rows", "columns")}
        if extra:
            rows.append((name, [json.dumps(extra, ensure_ascii=False, sort_keys=True)]))
    elif isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
        rows += [(name, [_cell(v) for v in r.values()]) for r in value]
    else:
        rows.append((name, [json.dumps(value, ensure_ascii=False, sort_keys=True)]))


def _cell(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _trim(row: list[str]) -> list[str]:
    while row and row[-1] == "":
        row = row[:-1]
    return row


def restated(output: Path, manifest: dict[str, Any]) -> list[str]:
    """Where an output shows its manifest a second time, it must show the manifest it carries."""
    suffix = output.suffix.lower()
    findings: list[str] = []
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(output, read_only=True)
        if "Manifest" not in wb.sheetnames:
            return ["het blad Manifest ontbreekt"]
        shown = [_trim(["" if v is None else str(v) for v in row]) for row in wb["Manifest"].iter_rows(values_only=True)]
        expected = [_trim(r) for r in mf.sheet_rows(manifest)]
        if shown != expected:
            n = sum(1 for a, b in zip(shown, expected, strict=False) if a != b) + abs(len(shown) - len(expected))
            findings.append(f"het blad Manifest is gewijzigd: {n} regel(s) wijken af van het manifest dat het bestand "
                            "draagt")
    elif suffix == ".json":
        doc = json.loads(output.read_text(encoding="utf-8"))
        meta = doc.get("meta") if isinstance(doc, dict) else None
        if isinstance(meta, dict) and "inputs" in meta and meta["inputs"] != manifest.get("inputs"):
            findings.append("het blok meta noemt andere invoerbestanden of SHA-256 dan het manifest")
    return findings
