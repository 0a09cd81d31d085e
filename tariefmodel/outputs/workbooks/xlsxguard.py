"""Refuse an incoming workbook unless it is a plain, small, self-contained xlsx.

Checked before openpyxl parses anything: the file exists and is not too large;
it is a zip archive with the parts of an xlsx; its contents, unpacked, stay
within a limit (no zip bomb); it holds no macros, no links to other workbooks
(externalLinks), no data connections, and no relationship that points outside
the file other than an ordinary hyperlink.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from tariefmodel.data.problems import Problem

MAX_BYTES = 10 * 1024 * 1024  # a parameter workbook is a few tens of kilobytes
MAX_UNPACKED = 100 * 1024 * 1024
MAX_MEMBERS = 2000
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_REL = re.compile(rb"<Relationship\b[^>]*>", re.S)
_ATTR = re.compile(rb'(\w+)="([^"]*)"')


def check(path: Path, shown: str) -> list[Problem]:
    """Problems that make ``path`` unacceptable (empty if it may be read)."""

    def bad(message: str) -> list[Problem]:
        return [Problem(shown, "", message)]

    if not path.is_file():
        return bad("bestand bestaat niet")
    size = path.stat().st_size
    if size > MAX_BYTES:
        return bad(f"bestand is {size:,} bytes, groter dan de grens van {MAX_BYTES:,} bytes")
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic != b"PK\x03\x04" or not zipfile.is_zipfile(path):
        return bad("geen xlsx-bestand (een xlsx is een zip-archief; sla op als Excel-werkmap .xlsx)")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if len(infos) > MAX_MEMBERS:
                return bad(f"te veel onderdelen in het archief ({len(infos)})")
            unpacked = sum(i.file_size for i in infos)
            if unpacked > MAX_UNPACKED:
                return bad(f"uitgepakt {unpacked:,} bytes, groter dan de grens van {MAX_UNPACKED:,} bytes")
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                return bad("geen xlsx-werkmap (xl/workbook.xml ontbreekt); .xls, .xlsb en .ods worden niet gelezen")
            if any(n.startswith("/") or ".." in n.split("/") for n in names):
                return bad("ongeldige padnamen in het archief")
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return bad("bevat macro's (VBA); sla op als gewone .xlsx zonder macro's")
            links = sorted(n for n in names if n.startswith("xl/externalLinks/"))
            if links:
                return bad(f"bevat externe koppelingen naar andere werkmappen ({', '.join(links)}); "
                           "verbreek de koppelingen (Excel: Gegevens > Koppelingen bewerken) en sla opnieuw op")
            if "xl/connections.xml" in names:
                return bad("bevat externe gegevensverbindingen (xl/connections.xml); verwijder ze en sla opnieuw op")
            for n in sorted(names):
                if not n.endswith(".rels"):
                    continue
                for rel in _REL.findall(zf.read(n)):
                    attrs = dict(_ATTR.findall(rel))
                    if attrs.get(b"TargetMode") == b"External" and attrs.get(b"Type") != HYPERLINK.encode():
                        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
                        return bad(f"bevat een externe koppeling ({n}: {target}); verwijder die en sla opnieuw op")
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        return bad(f"beschadigd xlsx-bestand: {exc}")
    return []
