"""The run manifest: which engine, which data revision and which input bytes produced an output.

Every output carries one: JSON outputs in their ``manifest`` block, workbooks on a
``Manifest`` sheet, reports in a section, CSV files in a sidecar
``<name>.manifest.json`` (a CSV has no place for it). ``tariefmodel verify``
reads it back, checks the input files against their SHA-256, and recomputes the
output with the same command to confirm it still matches, or says what changed.
Nothing in it depends on the clock, so identical runs stay byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

from tariefmodel.data.fileio import engine_source_hash

MANIFEST_SUFFIX = ".manifest.json"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def data_revision(root: Path) -> dict[str, Any] | None:
    """The git commit of the data folder, and whether its input files differ from it."""
    # Not the repository's folder name: two clones of the same data must give the same bytes.
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                                check=True, timeout=10).stdout.strip()
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "parameters", "cao_tables",
                                 "benchmarks"], capture_output=True, text=True, check=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {"git_commit": commit, "uncommitted_input_changes": bool(status.strip())}


def build(region: Any, command: list[str], out: Path | None = None) -> dict[str, Any]:
    """The manifest of an output made by ``command`` (the CLI arguments after ``tariefmodel``).

    ``out`` is the output (a file, or the folder of a set of workbooks): the manifest records
    where the data folder lies relative to the folder the output is in, so that ``verify``
    finds it again without ``--data``.
    """
    from tariefmodel._version import __version__
    from tariefmodel.data.fileio import sha256_of

    man: dict[str, Any] = {
        "engine": "tariefmodel",
        "engine_version": __version__,
        "engine_source_sha256": engine_source_hash(),
        "command": command,
        "data_revision": data_revision(region.root),
        "inputs": {f: sha256_of(region.root / f) for f in region.files},
    }
    if out is not None:
        man["data_folder"] = data_folder(Path(region.root), Path(out).parent)
    return man


def data_folder(root: Path, folder: Path) -> dict[str, Any]:
    """Where the data folder is, seen from ``folder``: never an absolute path, never the folder's own name.

    The bundled region is named as such (it moves with the installed package); any other
    folder by its relative path from the output's folder, so two clones of the same data with
    their outputs in the same place give byte-identical outputs. An empty record when no
    relative path exists (another drive on Windows).
    """
    import os

    from tariefmodel.data.bundled import bundled_region

    root = root.resolve()
    if root == bundled_region().resolve():
        return {"bundled": True}
    try:
        rel = os.path.relpath(root, folder.resolve())
    except ValueError:
        return {}
    return {"relative_to_output": Path(rel).as_posix()}


def locate_data(output: Path, manifest: dict[str, Any]) -> Path | None:
    """The data folder a manifest records, seen from the output; None for the bundled region.

    Raises LookupError (a Dutch message for the user) when the recorded folder is not there.
    """
    from tariefmodel.data.bundled import bundled_region

    where = manifest.get("data_folder")
    if not isinstance(where, dict) or where.get("bundled"):
        return bundled_region() if isinstance(where, dict) else None
    rel = where.get("relative_to_output")
    if not isinstance(rel, str):
        raise LookupError("het manifest zegt niet waar de gegevensmap was; geef die map met --data")
    root = (output.resolve().parent / rel).resolve()
    if not root.is_dir():
        raise LookupError(f"de gegevensmap van dit bestand ({rel}, gezien vanaf de map van het bestand) is niet "
                          "gevonden; geef die map met --data")
    return root


def sidecar_path(output: Path) -> Path:
    return output.with_name(output.name + MANIFEST_SUFFIX)


def sidecar_bytes(manifest: dict[str, Any], output_bytes: bytes) -> bytes:
    doc = {**manifest, "output_sha256": sha256_bytes(output_bytes)}
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read(output: Path) -> dict[str, Any]:
    """The manifest an output carries; raise ValueError saying why when there is none."""
    suffix = output.suffix.lower()
    side = sidecar_path(output)
    if side.is_file():
        try:
            return json.loads(side.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"het manifest {side} is geen geldige JSON (regel {exc.lineno})") from exc
    if suffix == ".json":
        doc = json.loads(output.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and "manifest" in doc:
            return doc["manifest"]
    if suffix == ".xlsx":
        import zipfile

        from openpyxl import load_workbook

        try:
            wb = load_workbook(output, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            raise ValueError(f"{output} is geen xlsx-werkmap") from exc
        if "Manifest" in wb.sheetnames:
            for row in wb["Manifest"].iter_rows(values_only=True):
                if row and row[0] == "manifest_json":
                    return json.loads(str(row[1]))
    if suffix in (".html", ".md"):
        text = output.read_text(encoding="utf-8")
        marker = "tariefmodel-manifest:"
        if marker in text:
            start = text.index(marker) + len(marker)
            end = text.index("-->", start) if "-->" in text[start:] else len(text)
            return json.loads(text[start:end].strip())
    raise ValueError(f"{output} heeft geen manifest van tariefmodel")


def sheet_rows(manifest: dict[str, Any]) -> list[list[str]]:
    """The cells of a workbook's Manifest sheet, row by row (empty rows as []): what it shows is what it records.

    The writer lays the sheet out from this, and ``verify`` checks a workbook's sheet against
    the manifest it carries, so an edited cell on the sheet cannot go unnoticed.
    """
    rows: list[list[str]] = [["Herkomst van dit bestand (run manifest)"], []]
    rows += [[key, str(manifest.get(key, ""))] for key in ("engine", "engine_version", "engine_source_sha256")]
    rows.append(["command", " ".join(manifest.get("command", []))])
    rows.append(["data_revision", json.dumps(manifest.get("data_revision"), ensure_ascii=False, sort_keys=True)])
    rows += [[], ["invoerbestand", "SHA-256"]]
    rows += [[name, digest] for name, digest in manifest.get("inputs", {}).items()]
    rows += [[], ["manifest_json", json.dumps(manifest, ensure_ascii=False, sort_keys=True)]]
    return rows


def html_comment(manifest: dict[str, Any]) -> str:
    """The manifest as an HTML comment that no value in it can close or break open.

    An input file name may hold ``-->``, ``--!>`` or ``<!--``; inside JSON strings ``<``, ``>`` and the
    second ``-`` of ``--`` are written as ``\\u003c``, ``\\u003e``, ``\\u002d`` (outside strings JSON has none of
    them), so the comment ends only at its own `` -->`` and ``json.loads`` reads back the same manifest.
    """
    text = json.dumps(manifest, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("--", "-\\u002d")
    return f"<!-- tariefmodel-manifest: {text} -->"
