"""The contract annex: a contract's tariffs of a year, values only, as a read-only bijlage bij de overeenkomst.

``tariefmodel export annex --contract C [--year YEAR] --out F.xlsx``. Sheets:

* Tarieven          title block (region, contract name and number, law, year, how the tariffs came about),
                    per product and version a row for the regular tariff and one for micro-enterprises, with
                    one column per CAO of the contract's products and the basistarief; unit and iJw/iWmo unit
                    code, validity, re-issue, index (later contract years) and the no-show note; then the notes
                    and the footnote naming the source
* Pgb-tarieven      the pgb tariffs of the contract's products, when there are any
* Externe tarieven  the externally set tariffs of the contract (general and phase-in paths), when there are any
* Manifest          engine, data revision and the SHA-256 of every input

Provider-specific tariffs (addenda) belong to the provider's addendum and its tariff sheet
(``export providers``), not to the general annex.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tariefmodel.data.numbers import pct
from tariefmodel.data.region import Region
from tariefmodel.engine.pricing import Book
from tariefmodel.engine.variants import BASIS
from tariefmodel.outputs.workbooks import xlsx
from tariefmodel.outputs.workbooks.tariff_sheets import (
    NA,
    NO_SHOW_MARK,
    Col,
    Printed,
    cao_name,
    contract_basis,
    contract_end,
    header_width,
    index_info,
    micro_rule,
    nl_date,
    no_show_note,
    plural,
    source_line,
    unit_code,
)

SHEET = "Tarieven"
PGB_SHEET = "Pgb-tarieven"
EXTERN_SHEET = "Externe tarieven"
REGULAR, MICRO = "regulier", "micro-onderneming"


class UnknownContract(LookupError):
    def __init__(self, key: str, known: list[str]):
        super().__init__(f"contract {key!r} bestaat niet (bekend: {', '.join(known)})")
        self.key = key
        self.known = known


@dataclass
class ProductRows:
    """One product version of the contract: its CAO, basistarief and micro tariffs, and its pgb tariffs."""

    product: Any  # BookProduct of this version
    version: str
    regular: dict[str, Any] = field(default_factory=dict)  # variant -> tariff
    micro: dict[str, Any] = field(default_factory=dict)
    pgb: dict[str, Any] = field(default_factory=dict)  # pgb-<category> -> tariff
    external: Any = None  # an external product's general tariff, the base of its pgb tariffs

    @property
    def first(self) -> Any:
        return next(iter(self.regular.values()))


@dataclass
class AnnexResult:
    year: int
    products: int  # product versions in the main table
    tariffs: int  # tariffs written (regular, micro, pgb and external)
    addenda: int  # provider-specific tariffs of the contract (not in the annex)


def annex_rows(region: Region, book: Book, contract: str) -> tuple[list[ProductRows], list[Any], list[Any]]:
    """The contract's product versions in book order, its external tariffs, and its addendum tariffs.

    A product version appears when it has tariffs of its own or pgb tariffs: an external product with pgb
    tariffs (the region's pgb rule for external tariffs) has only those, and its external tariff as base."""
    groups: dict[tuple[str, str], ProductRows] = {}
    externals, addenda = [], []
    for t in book.tariffs:
        if t.product.contract != contract:
            continue
        key = (t.product.product.code, t.version)
        if t.kind == "extern":
            externals.append(t)
            if not t.provider:
                groups.setdefault(key, ProductRows(t.product, t.version)).external = t
            continue
        if t.kind == "addendum" or t.provider:
            addenda.append(t)
            continue
        g = groups.get(key)
        if g is None:
            g = groups[key] = ProductRows(t.product, t.version)
        if t.kind == "pgb":
            g.pgb[t.variant] = t
        elif t.micro:
            g.micro[t.variant] = t
        else:
            g.regular[t.variant] = t
    return [g for g in groups.values() if g.regular or g.pgb], externals, addenda


def contract_caos(region: Region, products: list[ProductRows]) -> list[str]:
    """Every CAO of the contract's products, in the region's order."""
    used = {v for g in products for v in g.regular if v != BASIS}
    return [k for k in region.caos if k in used] + sorted(used - set(region.caos))


def write_annex(path: Path, region: Region, book: Book, contract: str, manifest: dict[str, Any]) -> AnnexResult:
    """Write the annex of ``contract`` for the book's year, atomically. Raises UnknownContract."""
    if contract not in region.contracts:
        raise UnknownContract(contract, list(region.contracts))
    year = book.year
    with_pgb, externals, addenda = annex_rows(region, book, contract)
    products = [g for g in with_pgb if g.regular]  # the main table: products with tariffs of their own
    caos = contract_caos(region, products)
    pgb_keys = list(dict.fromkeys(k for g in with_pgb for k in g.pgb))
    result = AnnexResult(year, len(products), 0, len(addenda))
    c = region.contracts[contract]

    def write(tmp: Path) -> None:
        book_x = xlsx.Book(tmp, title=f"Bijlage tarieven {year}: {c.name}", subject=region.info.name)
        main = bool(products) or not externals  # a contract with external tariffs only opens with those
        sheets = ([SHEET] if main else []) + ([PGB_SHEET] if pgb_keys else []) + ([EXTERN_SHEET] if externals else [])
        book_x.add_sheets(sheets)
        if main:
            result.tariffs = _main_sheet(book_x, region, book, contract, products, caos, addenda, manifest)
        if pgb_keys:
            result.tariffs += _pgb_sheet(book_x, region, contract, year, with_pgb, pgb_keys, manifest)
        if externals:
            result.tariffs += _extern_sheet(book_x, region, contract, year, externals, manifest)
        from tariefmodel.outputs.workbooks.tariff_sheets import finish

        finish(book_x, manifest)

    from tariefmodel.outputs.writers import Content, Workbook, write_output

    content: Content = Workbook(lambda tmp, _man: write(tmp))
    if path.suffix.lower() == ".pdf":  # the same sheets, printed
        from tariefmodel.outputs.pdf_documents import workbook_pdf

        content = workbook_pdf(lambda tmp, _man: write(tmp), f"Bijlage tarieven {year}: {c.name}", region, year,
                               [("Document", "tariefbijlage bij de overeenkomst (alleen waarden)"),
                                ("Overeenkomst", f"{c.name}, contractnummer (perceel) {c.number}"), ("Wet", c.law)])
    write_output(path, content, manifest)
    return result


def _title(p: Printed, region: Region, contract: str, year: int, what: str) -> None:
    c = region.contracts[contract]
    p.line(f"{what} {year} bij de overeenkomst {c.name}", bold=True, size=14)
    p.line(region.info.name, label="Regio")
    p.line(f"{c.name}, contractnummer (perceel) {c.number} ({c.key}); looptijd {nl_date(c.start)} t/m "
           f"{nl_date(contract_end(c))} inclusief verlengingen", label="Overeenkomst")
    p.line(c.law, label="Wet")
    p.line(str(year), label="Tariefjaar")


def _main_sheet(bx: xlsx.Book, region: Region, book: Book, contract: str, products: list[ProductRows],
                caos: list[str], addenda: list[Any], manifest: dict[str, Any]) -> int:
    year = book.year
    tariffs = [t for g in products for t in (*g.regular.values(), *g.micro.values())]
    indexed = any(t.steps for t in tariffs)
    reissued = any(g.version for g in products) or any(region.versions.get(g.product.product.code) for g in products)
    no_show = any(g.product.product.no_show for g in products)
    cols = [Col("Cate-gorie", 6, "center"), Col("Product-code", 8), Col("Product", 38, "wrap"),
            Col("Eenheid", 9), Col("Code eenheid (iJw/iWmo)", 9, "center"), Col("Tarief voor", 15, "wrap")]
    names = [cao_name(region, k) for k in caos]
    cols += [Col(name, header_width(name, 12), "eur") for name in names]
    cols += [Col("Basistarief", 12, "eur"), Col("Geldig vanaf", 11, "date"), Col("Geldig tot en met", 11, "date")]
    if reissued:
        cols.append(Col("Versie", 17, "wrap"))
    methods = {index_info(region, t).text for t in tariffs}
    varying = any(len({t.steps[-1].rate for t in (*g.regular.values(), *g.micro.values())}) > 1
                  for g in products if indexed)
    per_row = indexed and (len(methods) > 1 or varying)  # else the title block names the one method and rate
    if per_row:
        cols.append(Col(f"Indexatie {year}", 24, "wrap"))
    if indexed:
        cols.append(Col("Index-percentage", 10, "pct"))
    if no_show:
        cols.append(Col("No-show", 17, "wrap"))
    p = Printed(bx, SHEET, cols)
    c = region.contracts[contract]
    _title(p, region, contract, year, "Bijlage tarieven")
    if not products:
        p.line(f"Deze overeenkomst heeft in {year} geen tarieven in het tariefmodel (bekostiging: {c.funding}).")
        p.skip()
        p.line(source_line(manifest), color="#595959")
        p.print_setup(None, f"Bijlage tarieven {year} - {c.name} (perceel {c.number}) - {region.info.name}")
        return 0
    p.line(contract_basis(region, contract, year, tariffs), label="Tariefgrondslag")
    p.line("Bedragen in euro per eenheid, afgerond op centen; declaratie in eurocent volgens iJw/iWmo. "
           "Een aanbieder krijgt het tarief van de CAO die hij bij de inschrijving heeft opgegeven, of het "
           "basistarief; een micro-onderneming het tarief op de regel micro-onderneming.")
    p.skip()
    header = p.header()
    count = 0
    note_no = 1 if no_show else 0
    for i, g in enumerate(products):
        prod = g.product.product
        for label, rows in ((REGULAR, g.regular), (MICRO, g.micro)):
            first = rows.get(BASIS) or next(iter(rows.values()))
            values: list[Any] = [prod.category, prod.code, prod.name, prod.unit, unit_code(prod.unit), label]
            for k in caos:
                t = rows.get(k)
                values.append(t.tariff_eur if t is not None else NA)
                count += t is not None
            values.append(rows[BASIS].tariff_eur if BASIS in rows else NA)
            count += BASIS in rows
            values += [first.valid_from, first.valid_to]
            if reissued:
                values.append(_version_text(region, g))
            if indexed:
                info = [index_info(region, t) for t in rows.values()]
                rates = sorted({x.rate for x in info if x.rate is not None})
                if per_row:
                    text = "; ".join(dict.fromkeys(x.text for x in info))
                    if len(rates) > 1:
                        text += f" ({pct(rates[0])} tot {pct(rates[-1])})"
                    values.append(text)
                values.append(rates[0] if len(rates) == 1 else None)
            if no_show:
                values.append(NO_SHOW_MARK.format(n=note_no) if prod.no_show else "")
            p.cells(values, shade=i % 2 == 1)
    p.skip()
    _notes(p, region, contract, year, products, addenda, no_show)
    p.skip()
    p.line(source_line(manifest), color="#595959")
    p.print_setup(header, f"Bijlage tarieven {year} - {c.name} (perceel {c.number}) - {region.info.name}")
    p.ws.freeze_panes(header + 1, 0)
    return count


def _version_text(region: Region, g: ProductRows) -> str:
    if g.version:
        v = next((v for v in region.versions.get(g.product.product.code, ()) if v.id == g.version), None)
        return f"heruitgifte {g.version}" if v is not None else g.version
    return "oorspronkelijk" if region.versions.get(g.product.product.code) else ""


def _notes(p: Printed, region: Region, contract: str, year: int, products: list[ProductRows], addenda: list[Any],
           no_show: bool) -> None:
    p.line("Toelichting", bold=True)
    n = 0
    if no_show:
        n += 1
        p.line(f"{n}. {no_show_note(region, year)}. Dit geldt voor de producten met de vermelding in de kolom No-show; de "
               f"aanbieder is niet verplicht die rekening te sturen.")
    n += 1
    p.line(f"{n}. Basistarief: het laagste CAO-tarief van het product (nooit een gemiddelde), voor aanbieders die "
           f"onder geen CAO vallen of onder een CAO die de regio niet meerekent. 'n.v.t.': die CAO geldt niet voor "
           f"het product.")
    n += 1
    p.line(f"{n}. Micro-onderneming: {micro_rule(region, year)}. Dat geldt voor elke CAO-variant en het "
           f"basistarief.")
    versions = {(v.code, v.id): v for g in products if g.version
                for v in region.versions.get(g.product.product.code, ()) if v.id == g.version}
    for v in versions.values():
        n += 1
        decided = f"; besluit {v.decided_by} {nl_date(v.decided_on)}" if v.decided_by else ""
        p.line(f"{n}. Heruitgifte {v.id} van {v.code} per {nl_date(v.valid_from)}: {v.reason.rstrip('. ')}{decided}. "
               f"De vorige versie geldt tot die datum.")
    if addenda:
        n += 1
        who = sorted({t.provider for t in addenda})
        p.line(f"{n}. Aanbieder-specifieke tarieven (addenda) staan niet in deze bijlage maar in het addendum bij "
               f"de overeenkomst van de aanbieder en in zijn tarievenblad ({plural(len(addenda), 'tarief', 'tarieven')}"
               f", {plural(len(who), 'aanbieder', 'aanbieders')}).")


def _pgb_sheet(bx: xlsx.Book, region: Region, contract: str, year: int, products: list[ProductRows],
               keys: list[str], manifest: dict[str, Any]) -> int:
    cats = region.differentiation.pgb_categories if region.differentiation is not None else {}

    def label(k: str) -> str:
        cat = cats.get(k.removeprefix("pgb-"))
        return f"Pgb {cat.label}" if cat is not None else k

    cols = [Col("Cate-gorie", 6, "center"), Col("Product-code", 8), Col("Product", 36, "wrap"),
            Col("Eenheid", 9), Col("Code eenheid (iJw/iWmo)", 9, "center")]
    cols += [Col(label(k), 14, "eur") for k in keys]
    cols += [Col("Laagste ZIN-tarief (basistarief)", 13, "eur"), Col("Geldig vanaf", 11, "date"),
             Col("Geldig tot en met", 11, "date"), Col("Versie", 17, "wrap")]
    p = Printed(bx, PGB_SHEET, cols)
    _title(p, region, contract, year, "Pgb-tarieven")
    rates = _pgb_rates(products, keys)
    p.line("Pgb-tarief: een percentage van het laagste tarief in natura (het basistarief), afgerond op centen: "
           + "; ".join(f"{label(k).removeprefix('Pgb ')} {r}" for k, r in rates.items()) + ".")
    p.skip()
    header = p.header()
    count = 0
    for i, g in enumerate(products):
        if not g.pgb:
            continue
        prod = g.product.product
        first = next(iter(g.pgb.values()))
        values: list[Any] = [prod.category, prod.code, prod.name, prod.unit, unit_code(prod.unit)]
        for k in keys:
            t = g.pgb.get(k)
            values.append(t.tariff_eur if t is not None else NA)
            count += t is not None
        base = g.regular.get(BASIS) or g.external
        values += [base.tariff_eur if base is not None else None, first.valid_from, first.valid_to,
                   _version_text(region, g)]
        p.cells(values, shade=i % 2 == 1)
    p.skip()
    p.line("Een product dat is vrijgesteld (bijvoorbeeld vervoer) houdt 100% van het laagste tarief in natura.")
    if any(g.external is not None for g in products if g.pgb):
        p.line("Bij een extern vastgesteld tarief is de basis het externe tarief (kolom basistarief).")
    p.skip()
    p.line(source_line(manifest), color="#595959")
    c = region.contracts[contract]
    p.print_setup(header, f"Pgb-tarieven {year} - {c.name} (perceel {c.number}) - {region.info.name}")
    p.ws.freeze_panes(header + 1, 0)
    return count


def _pgb_rates(products: list[ProductRows], keys: list[str]) -> dict[str, str]:
    """The usual percentage per pgb category (exempt products aside), as printed in the intro line."""
    out = {}
    for k in keys:
        rates = [g.pgb[k].rate for g in products if k in g.pgb and g.pgb[k].rate is not None]
        common = max(set(rates), key=lambda r: (rates.count(r), -r)) if rates else None
        out[k] = pct(common) if common is not None else "-"
    return out


def _extern_sheet(bx: xlsx.Book, region: Region, contract: str, year: int, rows: list[Any],
                  manifest: dict[str, Any]) -> int:
    cols = [Col("Cate-gorie", 6, "center"), Col("Product-code", 8), Col("Product", 32, "wrap"),
            Col("Eenheid", 9), Col("Code eenheid (iJw/iWmo)", 9, "center"), Col("Geldt voor", 20, "wrap"),
            Col("Tarief", 12, "eur"), Col("Geldig vanaf", 11, "date"), Col("Geldig tot en met", 11, "date"),
            Col("Vastgesteld door / volgt", 30, "wrap"), Col("Bron", 36, "wrap")]
    p = Printed(bx, EXTERN_SHEET, cols)
    _title(p, region, contract, year, "Extern vastgestelde tarieven")
    p.line("Deze tarieven worden niet met het kostprijsmodel berekend maar overgenomen zoals ze elders zijn "
           "vastgesteld; een ingroeipad geldt alleen voor de genoemde aanbieder.")
    p.skip()
    header = p.header()
    for i, t in enumerate(rows):
        prod = t.product.product
        who = "alle aanbieders" if not t.provider else _provider_name(region, t.provider) + " (ingroeipad)"
        p.cells([prod.category, prod.code, prod.name, prod.unit, unit_code(prod.unit), who, t.tariff_eur,
                 t.valid_from, t.valid_to, getattr(prod, "follows", "") or t.reason, t.source], shade=i % 2 == 1)
    p.skip()
    p.line(source_line(manifest), color="#595959")
    c = region.contracts[contract]
    p.print_setup(header, f"Externe tarieven {year} - {c.name} (perceel {c.number}) - {region.info.name}")
    p.ws.freeze_panes(header + 1, 0)
    return len(rows)


def _provider_name(region: Region, key: str) -> str:
    prov = region.providers.get(key)
    return f"{prov.name} ({key})" if prov is not None else key

