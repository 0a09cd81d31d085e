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

from tariefmodel.data.numbers import eur
from tariefmodel.data.region import Region
from tariefmodel.engine.pricing import Book
from tariefmodel.engine.variants import BASIS, BookIndex, MicroStatus, book_index, micro_status, provider_view
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
        super().__init__(f"onbekende aanbieder(s) {', '.join(repr(k) for k in keys)} "
                         f"(bekend: {', '.join(known) or 'geen: de regio heeft geen parameters/providers.yaml'})")
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


def write_workbook(path: Path, region: Region, book: Book, key: str, manifest: dict[str, Any],
                   index: BookIndex | None = None) -> int:
    """Write one provider's workbook to ``path`` (not atomically: see write_provider_books). Returns its rows."""
    prov = region.providers[key]
    year = book.year
    view = provider_view(region, book, key, index)
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
    p.line(eur(prov.annual_turnover_eur), label="Jaaromzet")
    p.line(eur(prov.balance_total_eur), label="Balanstotaal")
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

    from tariefmodel.outputs.writers import write_output

    if path.suffix.lower() == ".pdf":
        write_output(path, provider_pdf(region, book, key, manifest), manifest)
        return len(provider_view(region, book, key))
    from tariefmodel.outputs.writers import Workbook

    write_output(path, Workbook(lambda tmp, _man: write(tmp)), manifest)
    return rows


def provider_pdf(region: Region, book: Book, key: str, manifest: dict[str, Any]) -> Any:
    """A provider's tariff sheet as a PDF: the sheet of its workbook, printed."""
    from tariefmodel.outputs.pdf_documents import workbook_pdf

    prov = region.providers[key]
    return workbook_pdf(lambda tmp, man: write_workbook(tmp, region, book, key, man),
                        f"Tarievenblad {book.year}: {prov.name}", region, book.year,
                        [("Document", "tarievenblad van een aanbieder: elk tarief dat hij krijgt en waarom"),
                         ("Aanbieder", f"{prov.name} ({prov.identifier})")])


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
                         manifest: dict[str, Any], *, on_done: Callable[[str], None] | None = None,
                         workers: int | None = None, suffix: str = ".xlsx") -> ProvidersResult:
    """Every provider's workbook into ``out_dir``, all or nothing.

    Written into a fresh folder beside ``out_dir`` first (with the files of ``out_dir`` that are not
    rewritten linked into it); only when every workbook was written is it swapped in: ``out_dir`` renamed
    aside, the new folder renamed into place, the old one removed. On any error (a full disk, a blocked
    target, an interrupt) the new folder is removed and ``out_dir`` is left as it was. Raises UnknownProvider
    before writing anything. The book is indexed once; the workbooks are written on ``workers`` processes
    (default: up to 2 for a large register), each workbook's bytes independent of which process wrote it.
    """
    from tariefmodel.data.fileio import OutputError, output_error

    chosen = list(dict.fromkeys(keys)) if keys else list(region.providers)
    check_keys(region, chosen)
    out_dir = Path(out_dir)
    blocked = [out_dir / f"{k}{suffix}" for k in chosen
               if (out_dir / f"{k}{suffix}").exists() and not (out_dir / f"{k}{suffix}").is_file()]
    if blocked:
        raise OutputError(blocked[0], "daar staat een map, geen bestand")
    if out_dir.exists() and not os.access(out_dir, os.W_OK):
        raise OutputError(out_dir, "geen schrijfrechten op de map")
    index = book_index(book)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    except OSError as exc:
        raise output_error(out_dir, exc) from exc
    try:
        rows = _write_all(tmp, region, book, chosen, manifest, index, on_done, workers, suffix)  # each on disk
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; as a normal folder from here on
        if out_dir.exists():
            _keep_others(out_dir, tmp, {f"{k}{suffix}" for k in chosen})
            _swap(tmp, out_dir)
        else:
            os.replace(tmp, out_dir)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise output_error(out_dir, exc) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ProvidersResult(book.year, [out_dir / f"{key}{suffix}" for key in chosen], rows)


def _keep_others(old: Path, new: Path, rewritten: set[str]) -> None:
    """The entries of ``old`` this run does not rewrite, into ``new`` (hard links where possible)."""
    for entry in sorted(old.iterdir()):
        if entry.name in rewritten:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, new / entry.name, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(entry, new / entry.name)


def _link_or_copy(src: Any, dst: Any) -> None:
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def _swap(new: Path, out_dir: Path) -> None:
    """Put ``new`` in the place of ``out_dir``: the old folder aside, the new one in, the old one removed."""
    aside = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".old", dir=out_dir.parent))
    aside.rmdir()
    os.replace(out_dir, aside)
    try:
        os.replace(new, out_dir)
    except BaseException:
        os.replace(aside, out_dir)
        raise
    shutil.rmtree(aside, ignore_errors=True)


# What a worker process of _write_all needs; set before the pool forks, so nothing is pickled.
_JOB: dict[str, Any] = {}
_PARALLEL_FROM = 200  # fewer workbooks are written sooner than a second process starts


def _write_chunk(keys: list[str]) -> list[int]:
    j = _JOB
    return [_write_one(j["tmp"], j["region"], j["book"], k, j["manifest"], j["index"], j["suffix"]) for k in keys]


def _write_one(tmp: Path, region: Region, book: Book, key: str, manifest: dict[str, Any], index: BookIndex,
               suffix: str) -> int:
    """One provider's workbook or PDF into ``tmp``; the number of tariff rows it holds."""
    if suffix == ".pdf":
        from tariefmodel.outputs.writers import write_output

        man = {**manifest, "command": provider_command(key, book.year)}
        write_output(tmp / f"{key}.pdf", provider_pdf(region, book, key, man), man)
        return len(provider_view(region, book, key, index))
    return write_workbook(tmp / f"{key}.xlsx", region, book, key, manifest, index)


def _write_all(tmp: Path, region: Region, book: Book, chosen: list[str], manifest: dict[str, Any],
               index: BookIndex, on_done: Callable[[str], None] | None, workers: int | None,
               suffix: str = ".xlsx") -> int:
    """Every chosen workbook into ``tmp``, each synced to disk before this returns.

    Synced so a crash after the move never leaves a half-written workbook in DIR. With workers the main
    process syncs each finished chunk while the workers write the next ones, rather than all at the end.
    """
    import multiprocessing

    n = workers if workers is not None else (min(2, os.cpu_count() or 1) if len(chosen) >= _PARALLEL_FROM else 1)
    if n > 1 and "fork" not in multiprocessing.get_all_start_methods():
        n = 1  # without fork every worker would have to unpickle the region and the book: not worth it
    _JOB.update(tmp=tmp, region=region, book=book, manifest=manifest, index=index, suffix=suffix)
    try:
        if n <= 1:
            rows = 0
            for key in chosen:
                rows += _write_chunk([key])[0]
                _fsync(tmp / f"{key}{suffix}")
                if on_done is not None:
                    on_done(key)
            return rows
        from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait

        size = 20
        chunks = [chosen[i:i + size] for i in range(0, len(chosen), size)]
        pool = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("fork"))
        try:
            futures = {pool.submit(_write_chunk, c): c for c in chunks}
            rows = 0
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for f in done:
                    rows += sum(f.result())
                    for key in futures[f]:
                        _fsync(tmp / f"{key}{suffix}")
                        if on_done is not None:
                            on_done(key)
            return rows
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        _JOB.clear()


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())
