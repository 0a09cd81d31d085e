"""Let LibreOffice recalculate workbooks headless (the proof that the review workbook's formulas hold).

LibreOffice normally shows the cached values of an xlsx; with its own profile
in which OOXMLRecalcMode is 0 ("always recalculate on load"), converting a
workbook to xlsx recalculates every formula and stores LibreOffice's own
results (recipe: tech-notes, "Making LibreOffice recalculate an xlsx headless").
Several workbooks go through one LibreOffice process: start-up is most of the cost.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(paths: Sequence[Path], outdir: Path, *, target: str = 'xlsx:"Calc MS Excel 2007 XML"',
            timeout: float = 300, profile: Path | None = None) -> list[Path]:
    """Open each workbook, recalculate every formula, save to ``outdir`` (same stem); return the new paths.

    ``target`` 'pdf' renders instead. The file names (stems) must differ. ``profile``: a LibreOffice
    profile folder to (re)use; default a fresh temporary one (its first start takes longer).
    """
    exe = soffice()
    if exe is None:
        raise FileNotFoundError("LibreOffice (soffice) is niet geïnstalleerd")
    stems = [p.stem for p in paths]
    if len(set(stems)) != len(stems):
        raise ValueError("de werkmappen die worden omgezet hebben verschillende namen nodig")
    if any(p.resolve().parent == outdir.resolve() for p in paths):
        raise ValueError("de uitvoermap moet een andere zijn dan de map van de werkmappen (die zouden worden overschreven)")
    outdir.mkdir(parents=True, exist_ok=True)
    suffix = target.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="tariefmodel-lo-") as tmp:
        prof = str(profile.resolve()) if profile is not None else tmp
        user = Path(prof) / "user"
        user.mkdir(parents=True, exist_ok=True)
        (user / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
        cmd = [exe, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation=file://{prof}",
               "--convert-to", target.replace('"', ""), "--outdir", str(outdir), *map(str, paths)]
        # --convert-to takes 'xlsx:Calc MS Excel 2007 XML' as one argument (no shell quoting).
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    out = [outdir / f"{p.stem}.{suffix}" for p in paths]
    missing = [str(p) for p in out if not p.is_file()]
    if done.returncode != 0 or missing:
        raise RuntimeError(f"omzetten met LibreOffice mislukt (exitcode {done.returncode}; ontbreekt: {missing}): "
                           f"{done.stderr.strip() or done.stdout.strip()}")
    return out
