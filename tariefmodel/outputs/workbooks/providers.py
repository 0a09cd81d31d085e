"""Provider tariff sheets: per provider a read-only workbook with exactly the tariffs it gets, and why.

``tariefmodel export providers [--provider KEY ...] --out DIR`` writes ``DIR/<provider-key>.xlsx`` for every
provider (or the ones named); ``tariefmodel export provider KEY --out F.xlsx`` writes one, and is the command
each workbook's manifest records, so ``tariefmodel verify`` can recompute any of them.

Sheet Tarieven: the registration (name, identifier, declared CAO, employees, turnover, balance, micro status
with its reason, contracts), then the rows of ``book.provider_view`` in its order: each tariff with its
variant, micro, validity, re-issue, the index of the year (method and rate) for indexed tariffs, the no-show
note, and the reason. Sheet Manifest: engine, data revision, input hashes.

All or nothing: every workbook is written into a temporary folder beside DIR and moved in only when all of
them were written; on any error nothing is written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tariefmodel.data.money import fmt_eur
from tariefmodel.data.region import Region
from tariefmodel.engine.pricing import Book
from tariefmodel.engine.variants import BASIS, MicroStatus, micro_status, provider_view
from tariefmodel.outputs.workbooks import xlsx
from tariefmodel.outputs.workbooks.tariff_sheets import (
    NO_SHOW_MARK,
    Col,
    Printed,
    contract_label,
    index_info,
    micro_rule,
    nl_date,
    no_show_note,
    source_line,
    unit_code,
)

SHEET = "Tarieven"

COLUMNS = [
    Col("Cate-gorie", 6, "center", "category"), Col("Product-code", 8, "text", "code"),
    Col("Product", 32, "wrap", "name"), Col("Eenheid (code)", 11, "text", "unit"),
    Col("Variant", 22, "wrap", "variant"), Col("Micro", 6, "center", "micro"), Col("Tarief", 11, "eur", "tariff"),
    Col("Geldig vanaf", 11, "date", "from"), Col("Geldig tot en met", 11, "date", "to"),
    Col("Versie", 17, "wrap", "version"), Col("Indexatie", 22, "wrap", "index"),
    Col("Index-percentage", 10, "pct", "rate"), Col("No-show", 17, "wrap", "no_show"),
    Col("Waarom dit tarief", 50, "wrap", "reason"),
]
OPTIONAL = {"version", "index", "rate", "no_show"}  # only when a row of the provider needs them


class UnknownProvider(LookupError):
    def __init__(self, keys: list[str], known: list[str]):
        super().__init__(f"unknown provider(s) {', '.join(repr(k) for k in keys)} "
                         f"(known: {', '.join(known) or 'none: the region has no parameters/providers.yaml'})")
        self.keys = keys
        self.known = known


def provider_command(key: str, year: int) -> list[str]:
    """The command a provider workbook's manifest records (``tariefmodel verify`` runs it again)."""
    return ["export", "provider", key, "--year", str(year)]


def variant_label(region: Region, t: Any) -> str:
    """What a row is, in words: the CAO, the basistarief, an addendum, or an external tariff."""
    if t.kind == "extern":
        return "extern: ingroeipad" if t.provider else "extern vastgesteld"
    what = "basistarief" if t.variant == BASIS else (
        region.caos[t.variant].meta.name if t.variant in region.caos else t.variant)
    if t.kind == "addendum":
        return f"addendum {t.addendum} ({what})"
    return what


def version_text(region: Region, t: Any) -> str:
    code = t.product.product.code
    if t.version:
        v = next((v for v in region.versions.get(code, ()) if v.id == t.version), None)
        return f"heruitgifte {t.version}" if v is not None else t.version
    return "oorspronkelijk" if region.versions.get(code) else ""


def declared_cao(region: Region, cao: str) -> str:
    from tariefmodel.data.schema import NO_CAO

    if cao == NO_CAO:
        return "geen CAO: basistarief"
    if cao in region.caos:
        return f"{region.caos[cao].meta.name} ({cao})"
    unmodelled = region.differentiation.unmodelled_caos if region.differentiation is not None else {}
    if cao in unmodelled:
        return f"{unmodelled[cao]} ({cao}): rekent de regio niet mee, dus basistarief"
    return cao


def _status(region: Region, prov: Any, year: int) -> MicroStatus:
    if region.differentiation is None:
        return MicroStatus(False, "geen micro-regels")
    return micro_status(prov, region.differentiation, dt.date(year, 1, 1))


def columns_for(region: Region, view: list[tuple[Any, str]]) -> list[Col]:
    """The table's columns: the optional ones only when a row of this provider needs them."""
    need = set()
    if any(version_text(region, t) for t, _ in view):
        need.add("version")
    if any(t.steps for t, _ in view):
        need |= {"index", "rate"}
    if any(getattr(t.product.product, "no_show", False) for t, _ in view):
        need.add("no_show")
    return [c for c in COLUMNS if c.key not in OPTIONAL or c.key in need]


def row_values(region: Region, t: Any, why: str) -> dict[str, Any]:
    prod = t.product.product
    info = index_info(region, t)
    return {"category": prod.category, "code": prod.code, "name": prod.name,
            "unit": f"{prod.unit} ({unit_code(prod.unit)})", "variant": variant_label(region, t),
            "micro": "ja" if t.micro else "nee", "tariff": t.tariff_eur, "from": t.valid_from, "to": t.valid_to,
            "version": version_text(region, t), "index": info.text, "rate": info.rate,
            "no_show": NO_SHOW_MARK.format(n=1) if getattr(prod, "no_show", False) else "", "reason": why}


def _basis(view: list[tuple[Any, str]], year: int) -> str:
    """How the provider's tariffs came about, when no row is indexed (then the index columns say it per row)."""
    if any(t.steps for t, _ in view):
        return ""
    parts = []
    if any(t.kind != "extern" for t, _ in view):
        parts.append(f"kostprijsopbouw {year} (parameters en CAO-tabellen van {year}), niet geïndexeerd")
    if any(t.kind == "extern" for t, _ in view):
        parts.append("extern vastgestelde tarieven (zie Waarom dit tarief)")
    return "; ".join(parts)


def write_workbook(path: Path, region: Region, book: Book, key: str, manifest: dict[str, Any]) -> int:
    """Write one provider's workbook to ``path`` (not atomically: see write_provider_books). Returns its rows."""
    prov = region.providers[key]
    year = book.year
    view = provider_view(region, book, key)
    status = _status(region, prov, year)
    man = {**manifest, "command": provider_command(key, year)}
    bx = xlsx.Book(path, title=f"Tarievenblad {year}: {prov.name}", subject=region.info.name)
    cols = columns_for(region, view)
    p = Printed(bx, SHEET, cols)
    p.line(f"Tarievenblad {year}: {prov.name}", bold=True, size=14)
    p.line(f"{region.info.name}. Elk tarief dat deze aanbieder in {year} krijgt, met de reden; bedragen in euro "
           f"per eenheid, declaratie in eurocent (iJw/iWmo).")
    p.skip()
    p.line(prov.name, label="Naam")
    p.line(f"{prov.identifier} (sleutel in het register: {prov.key})", label="Kenmerk")
    p.line(declared_cao(region, prov.cao), label="CAO bij inschrijving")
    p.line(f"{prov.employees}", label="Werknemers")
    p.line(fmt_eur(prov.annual_turnover_eur), label="Jaaromzet")
    p.line(fmt_eur(prov.balance_total_eur), label="Balanstotaal")
    p.line(("ja; " if status.micro else "nee; ") + status.reason, label="Micro-onderneming")
    p.line("; ".join(contract_label(region, c) for c in prov.contracts), label="Overeenkomsten")
    if getattr(prov, "registered_on", None):
        p.line(nl_date(prov.registered_on), label="Ingeschreven op")
    p.line(prov.source, label="Bron inschrijving")
    basis = _basis(view, year)
    if basis:
        p.line(basis, label="Tariefgrondslag")
    p.skip()
    header = p.header()
    contract = None
    for i, (t, why) in enumerate(view):
        if t.product.contract != contract:
            contract = t.product.contract
            p.section(contract_label(region, contract))
        p.row_of(row_values(region, t, why), shade=i % 2 == 1)
    if not view:
        p.line(f"Deze aanbieder krijgt in {year} geen tarieven (geen product van zijn overeenkomsten geldt dit jaar).")
    p.skip()
    p.line("Toelichting", bold=True)
    n = 0
    if any(c.key == "no_show" for c in cols):
        n += 1
        p.line(f"{n}. {no_show_note(region, year)}. Dit geldt voor de producten met de vermelding in de kolom No-show; de "
               f"aanbieder is niet verplicht die rekening te sturen.")
    n += 1
    p.line(f"{n}. Micro-onderneming: {micro_rule(region, year)}.")
    if any(t.kind == "addendum" for t, _ in view):
        n += 1
        p.line(f"{n}. Een addendum vervangt het algemene tarief van het product zolang het geldt; daarbuiten geldt "
               f"het algemene tarief.")
    if any(c.key == "version" for c in cols):
        n += 1
        p.line(f"{n}. Een heruitgegeven product staat met elke versie op een eigen regel, elk met de eigen "
               f"geldigheid.")
    p.skip()
    p.line(source_line(man), color="#595959")
    p.print_setup(header, f"Tarievenblad {year} - {prov.name} - {region.info.name}")
    p.ws.freeze_panes(header + 1, 0)
    from tariefmodel.outputs.workbooks.tariff_sheets import finish

    finish(bx, man)
    return len(view)


def write_provider_book(path: Path, region: Region, book: Book, key: str, manifest: dict[str, Any]) -> int:
    """One provider's workbook, atomically (``export provider``)."""
    check_keys(region, [key])
    rows = 0

    def write(tmp: Path) -> None:
        nonlocal rows
        rows = write_workbook(tmp, region, book, key, manifest)

    from tariefmodel.outputs.writers import Workbook, write_output

    write_output(path, Workbook(lambda tmp, _man: write(tmp)), manifest)
    return rows


def check_keys(region: Region, keys: list[str]) -> None:
    unknown = [k for k in keys if k not in region.providers]
    if unknown or not region.providers:
        raise UnknownProvider(unknown, sorted(region.providers))


@dataclasses.dataclass
class ProvidersResult:
    year: int
    files: list[Path]
    rows: int


def write_provider_books(out_dir: Path, region: Region, book: Book, keys: list[str] | None,
                         manifest: dict[str, Any], *, on_done: Callable[[str], None] | None = None) -> ProvidersResult:
    """Every provider's workbook into ``out_dir``, all or nothing.

    Written into a temporary folder beside ``out_dir`` first; only when every workbook was written are they
    moved in (the folder renamed into place when ``out_dir`` does not exist yet). On any error the temporary
    folder is removed and ``out_dir`` is left as it was. Raises UnknownProvider before writing anything.
    """
    chosen = list(dict.fromkeys(keys)) if keys else list(region.providers)
    check_keys(region, chosen)
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    try:
        rows = 0
        for key in chosen:
            rows += write_workbook(tmp / f"{key}.xlsx", region, book, key, manifest)
            if on_done is not None:
                on_done(key)
        for key in chosen:  # on disk before the move, so a crash never leaves a half-written workbook in DIR
            _fsync(tmp / f"{key}.xlsx")
        files = [out_dir / f"{key}.xlsx" for key in chosen]
        if not out_dir.exists():
            umask = os.umask(0)
            os.umask(umask)
            tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; as a normal folder from here on
            os.replace(tmp, out_dir)
        else:
            for key in chosen:
                os.replace(tmp / f"{key}.xlsx", out_dir / f"{key}.xlsx")
            tmp.rmdir()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ProvidersResult(book.year, files, rows)


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())

