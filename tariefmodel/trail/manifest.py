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
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, check=True, timeout=10).stdout.strip()
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                                check=True, timeout=10).stdout.strip()
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--", "parameters", "cao_tables",
                                 "benchmarks"], capture_output=True, text=True, check=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {"git_commit": commit, "uncommitted_input_changes": bool(status.strip()),
            "repository": Path(top).name}


def build(region: Any, command: list[str]) -> dict[str, Any]:
    """The manifest of an output made by ``command`` (the CLI arguments after ``tariefmodel``)."""
    from tariefmodel._version import __version__
    from tariefmodel.data.fileio import sha256_of

    return {
        "engine": "tariefmodel",
        "engine_version": __version__,
        "engine_source_sha256": engine_source_hash(),
        "command": command,
        "data_revision": data_revision(region.root),
        "inputs": {f: sha256_of(region.root / f) for f in region.files},
    }


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
            raise ValueError(f"the manifest {side} is not valid JSON: {exc}") from exc
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
            raise ValueError(f"{output} is not an xlsx workbook: {exc}") from exc
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
    raise ValueError(f"{output} carries no tariefmodel manifest")


def html_comment(manifest: dict[str, Any]) -> str:
    return f"<!-- tariefmodel-manifest: {json.dumps(manifest, ensure_ascii=False, sort_keys=True)} -->"
