"""The audit report for the process monitor: the parameter register, findings and a summary per contract.

Courts reject tariffs whose findings and trade-offs ("bevindingen en afwegingen") are
not visible; the process monitor checks that the process was careful, objective and
consistent (PROC-07). This module collects, for one tariff year:

* the parameter register: every value that feeds a tariff, with its provenance and
  the tariffs it feeds;
* findings, each with a severity and the figures behind it: a value outside its
  benchmark range; a source or benchmark older than N years; the same concept with
  different values without a stated reason; a specialised product cheaper per staff
  hour than its lighter twin; a wage component below the CAO wage cost; basistarief
  or micro inconsistencies (the rules of engine.checks, which ``validate`` reports too);
* a summary per contract.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tariefmodel.data.money import excel_round
from tariefmodel.data.numbers import date, eur
from tariefmodel.data.params import ParamUse, params
from tariefmodel.data.region import Region
from tariefmodel.engine import checks
from tariefmodel.engine.pricing import DerivedTariff
from tariefmodel.engine.variants import breach_problems
from tariefmodel.loader.salary_checks import family

SEVERITIES = ("fout", "waarschuwing", "info")


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    severity: str  # fout | waarschuwing | info
    subject: str
    message: str
    figures: tuple[tuple[str, str], ...] = ()


@dataclass
class RegisterEntry:
    file: str
    path: str
    value: str
    valid_from: str
    source: str
    source_date: str
    rationale: str
    decided_by: str
    decided_on: str
    status: str
    assumption: bool
    feeds: set[str] = field(default_factory=set)


@dataclass
class ContractSummary:
    key: str
    name: str
    law: str
    products: int
    tariffs: int
    lowest: Decimal | None
    highest: Decimal | None
    findings: int
    assumptions: int


@dataclass(frozen=True, slots=True)
class AmvbRow:
    """One cost element of the AMvB reële prijs and the parameters of the tariff year that address it."""

    key: str
    law: str
    article: str
    text: str
    address: str
    source: str
    parameters: tuple[str, ...]  # 'file: path' of each matching parameter, or the file the region has
    note: str


@dataclass
class AuditReport:
    region: str
    year: int
    findings: list[Finding]
    register: list[RegisterEntry]
    contracts: list[ContractSummary]
    checked: dict[str, int]
    amvb: list[AmvbRow] = field(default_factory=list)  # the AMvB check (empty: no parameters/amvb_factors.yaml)


def _nl(x: Decimal) -> str:
    return f"{x}".replace(".", ",")


def _opt(v: Any) -> str:
    return "" if v is None else str(v)


def _fmt(v: Any) -> str:
    """A parameter value for people: records and mappings as 'key value' pairs, not Python syntax."""
    if hasattr(v, "model_dump"):
        v = v.model_dump(mode="json", exclude_none=True)
    if isinstance(v, dict):
        return "; ".join(f"{k} {_fmt(x)}" for k, x in v.items())
    if isinstance(v, list):
        return ", ".join(_fmt(x) for x in v)
    return "" if v is None else str(v)


def _entry(use: ParamUse) -> RegisterEntry:
    e = use.entry
    return RegisterEntry(use.file, use.path, _fmt(use.value), e.valid_from.isoformat(), e.source,
                         e.source_date.isoformat() if e.source_date else "", e.rationale, e.decided_by or "",
                         e.decided_on.isoformat() if e.decided_on else "", e.status, e.assumption)


def build_register(book: Any, region: Region | None = None) -> list[RegisterEntry]:
    register: dict[tuple[str, str, str], RegisterEntry] = {}
    all_tables = tuple(tb for cao in region.caos.values() for tb in cao.tables) if region is not None else ()

    def add(use: ParamUse, feeds: str) -> None:
        key = (use.file, use.path, use.entry.valid_from.isoformat())
        if key not in register:
            register[key] = _entry(use)
        register[key].feeds.add(feeds)

    for t in book.tariffs:
        label = f"{t.product.product.code}/{t.variant}" + ("/micro" if t.micro else "") + (
            f"/{t.provider}" if t.provider else "")
        built = t.built
        if built is not None:
            for use in built.parameters:
                add(use, label)
            for s in built.staff:
                for use in (s.cost.map_use, s.cost.allowance_use, s.cost.hours_use):
                    add(use, label)
                cap = getattr(s.cost, "ort_cap", None)
                if cap is not None:  # the CAO's ORT cap behind the tariff, with its article
                    add(cap.use, label)
            prov = built.product.product.provenance
            key = (built.product.file, f"product {built.product.product.code}", "")
            if key not in register:
                register[key] = RegisterEntry(built.product.file, f"product {built.product.product.code}",
                                              built.product.product.name, "", prov.source,
                                              prov.source_date.isoformat() if prov.source_date else "",
                                              prov.rationale, prov.decided_by or "",
                                              prov.decided_on.isoformat() if prov.decided_on else "", prov.status,
                                              prov.assumption)
            register[key].feeds.add(label)
        if built is not None:
            for s in built.staff:  # the CAO salary tables behind the tariff, with their source line
                for st in s.cost.steps:
                    table = next((tb for tb in all_tables if tb.file == st.lookup.table_file), None)
                    key = (st.lookup.table_file, "salaristabel", st.lookup.table_effective.isoformat())
                    lifted = table is not None and table.lifted_from is not None
                    if key not in register and lifted:  # the published table with the statutory floor: no assumption
                        register[key] = RegisterEntry(st.lookup.table_file, "salaristabel",
                                                      "AFGELEID: CAO-tabel met het wettelijk minimumloon als bodem",
                                                      st.lookup.table_effective.isoformat(), table.source, "",
                                                      "de wet gaat voor de CAO", "", "", "adopted", False)
                    elif key not in register:
                        register[key] = RegisterEntry(st.lookup.table_file, "salaristabel",
                                                      "AFGELEID (geen officiële tabel)" if st.lookup.derived else "CAO-tabel",
                                                      st.lookup.table_effective.isoformat(),
                                                      table.source if table is not None else "",
                                                      "", "gepubliceerde CAO-salaristabel", "", "",
                                                      "draft" if st.lookup.derived else "adopted", st.lookup.derived)
                    register[key].feeds.add(label)
        if t.addendum and region is not None:
            adden = next((a for a in region.addenda if a.id == t.addendum), None)
            if adden is not None:
                key = ("parameters/addenda.yaml", f"addendum {adden.id}", adden.valid_from.isoformat())
                if key not in register:
                    register[key] = RegisterEntry(key[0], key[1], _fmt(adden.overrides), adden.valid_from.isoformat(),
                                                  adden.source, "", f"{adden.reason}; advies: {adden.team_advice or '-'}",
                                                  adden.decision.decided_by or "",
                                                  adden.decision.decided_on.isoformat() if adden.decision.decided_on else "",
                                                  adden.decision.status, False)
                register[key].feeds.add(label)
        fixed = getattr(t, "entry", None)  # a decided amount (vast bedrag): the decision is where it comes from
        if isinstance(t, DerivedTariff) and fixed is not None:
            # A row of the ZIN tariff list is recorded in that file (and row), not in the product file.
            file = fixed.listed_in or t.product.file
            key = (file, f"vast {t.product.product.code}" + (f" (rij {fixed.listed_row})" if fixed.listed_in else ""),
                   fixed.valid_from.isoformat())
            if key not in register:
                register[key] = RegisterEntry(file, key[1], f"{fixed.amount} (vast bedrag)",
                                              fixed.valid_from.isoformat(), fixed.source,
                                              fixed.source_date.isoformat() if fixed.source_date else "",
                                              fixed.rationale, fixed.decided_by or fixed.decision or "",
                                              fixed.decided_on.isoformat() if fixed.decided_on else "", fixed.status,
                                              fixed.assumption)
            register[key].feeds.add(label)
        elif isinstance(t, DerivedTariff):
            if t.kind == "extern":
                key = (t.product.file, f"extern {t.product.product.code} {t.provider or 'algemeen'} {t.year}", "")
                if key not in register:
                    register[key] = RegisterEntry(t.product.file, key[1], str(t.tariff_eur), "", t.source, "",
                                                  t.reason, "", "", "adopted", "AANNAME" in t.source)
                register[key].feeds.add(label)
            elif t.kind == "pgb":
                key = ("parameters/differentiation.yaml", f"pgb_categories.{t.variant.removeprefix('pgb-')}.rate", "")
                if key not in register:
                    register[key] = RegisterEntry(key[0], key[1], str(t.rate), "", t.source, "", t.reason, "", "",
                                                  "draft", False)
                register[key].feeds.add(label)
        for step in t.steps:
            for f in step.derivation.figures:
                key = ("parameters/indexation.yaml", f"series.{f.series}.{f.year}.{f.kind}", f.published.isoformat())
                if key not in register:
                    register[key] = RegisterEntry(key[0], key[1], str(f.value), "", f.source,
                                                  f.published.isoformat(), "gepubliceerd indexcijfer", "", "",
                                                  "adopted", False)
                register[key].feeds.add(label)
    return sorted(register.values(), key=lambda r: (r.file, r.path, r.valid_from))


# --------------------------------------------------------------------------- findings


def _norm_productivity(book: Any) -> dict[str, Decimal]:
    """The productivity each norm gives (productive over contract hours), read off the build-ups."""
    out: dict[str, Decimal] = {}
    for t in book.tariffs:
        built = t.built
        if built is not None:
            for s in built.staff:
                out.setdefault(s.cost.productivity_norm, s.cost.productivity)
    return out


def benchmark_findings(region: Region, day: dt.date, book: Any = None) -> tuple[list[Finding], int]:
    out, checked = [], 0
    norms = _norm_productivity(book) if book is not None else {}
    view = params(region.cost_model, day)
    for b in region.benchmarks:
        if b.low is None and b.high is None:
            continue
        for path in b.informs:
            norm = path.removeprefix("productivity_norms.")
            if path in view:
                try:
                    value = view.value(path)
                except LookupError:
                    continue
            elif norm in norms:  # a benchmark of the productivity a whole norm gives
                value = excel_round(norms[norm], 4)
            else:
                continue
            if not isinstance(value, Decimal):
                continue
            checked += 1
            low = b.low if b.low is not None else value
            high = b.high if b.high is not None else value
            if not (low <= value <= high):
                out.append(Finding("buiten-benchmark", "waarschuwing", path,
                                   f"{path} = {value} ligt buiten de bandbreedte van benchmark {b.key} ({b.label})",
                                   tuple((k, v) for k, v in (("waarde", str(value)), ("laag", _opt(b.low)),
                                                             ("hoog", _opt(b.high)), ("bron benchmark", b.source)) if v)))
    return out, checked


def stale_findings(region: Region, register: list[RegisterEntry], day: dt.date, max_age: int) -> list[Finding]:
    limit = day.replace(year=day.year - max_age)
    out = []
    for r in register:
        if r.source_date and dt.date.fromisoformat(r.source_date) < limit:
            out.append(Finding("oude-bron", "waarschuwing", r.path,
                               f"de bron van {r.path} ({r.file}) is van {date(dt.date.fromisoformat(r.source_date))}, "
                               f"ouder dan {max_age} jaar",
                               (("brondatum", date(dt.date.fromisoformat(r.source_date))), ("grens", date(limit)),
                                ("bron", r.source))))
    for b in region.benchmarks:
        if b.source_date and b.source_date < limit:
            out.append(Finding("oude-benchmark", "waarschuwing", b.key,
                               f"benchmark {b.key} is van {date(b.source_date)}, ouder dan {max_age} jaar",
                               (("brondatum", date(b.source_date)), ("bron", b.source))))
    # Salary tables are dated by their effective date (valid_from), not by a source date.
    undated = sum(1 for r in register if not r.source_date and r.path != "salaristabel")
    if undated:
        out.append(Finding("bron-zonder-datum", "info", "register",
                           f"{undated} van {len(register)} gebruikte waarden hebben geen brondatum; hun ouderdom "
                           f"is niet te toetsen", (("zonder datum", str(undated)),)))
    return out


def wml_findings(region: Region, year: int) -> list[Finding]:
    """Every salary table in force in ``year`` whose cells the statutory minimum wage lifted (loader.wml_floor).

    By the tables, not the register: an indexed tariff that follows the CAO uses them without a build-up.
    """
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out = []
    for cao in region.caos.values():
        own = sorted(cao.tables, key=lambda t: (t.effective, t.file))
        for i, t in enumerate(own):
            after = [n.effective for n in own[i + 1:] if family(n) == family(t) and n.effective > t.effective]
            if not t.lifted or t.lifted_from is None or t.effective > last or (after and after[0] <= first):
                continue
            out.append(Finding("wml-bodem", "waarschuwing", t.file,
                               f"{len(t.lifted)} cel(len) van {t.lifted_from.file} liggen onder het wettelijk "
                               f"minimumloon per {date(t.effective)}; de tarieven rekenen vanaf die datum "
                               "met het minimumloon (Wet minimumloon en minimumvakantiebijslag art. 7 en 8: de wet "
                               "gaat voor de CAO)",
                               tuple((f"schaal {k[0]} trede {k[1]}" if isinstance(k, tuple) else f"nummer {k}",
                                      f"CAO {eur(v)}, minimumloon {eur(t.cells[k])}") for k, v in t.lifted.items())))
    return out


def consistency_findings(region: Region, day: dt.date) -> list[Finding]:
    """The same concept (a non-productive-time item) with different values in different norms, without a reason."""
    by_item: dict[str, list[tuple[str, Any, Decimal]]] = {}
    view = params(region.cost_model, day)
    for norm_key, norm in region.cost_model.productivity_norms.items():
        for item_key, item in (norm.breakdown or {}).items():
            try:
                entry = view.get(f"productivity_norms.{norm_key}.breakdown.{item_key}.value").entry
            except LookupError:
                continue
            by_item.setdefault(f"{item_key} ({item.kind})", []).append((norm_key, entry, entry.value))
    out = []
    for item, uses in by_item.items():
        values = {v for _, _, v in uses}
        if len(values) < 2:
            continue
        rationales = {e.rationale.strip() for _, e, _ in uses}
        figures = tuple((norm, str(v)) for norm, _, v in uses)
        if len(rationales) < len({(v, e.rationale) for _, e, v in uses}) or len(rationales) == 1:
            out.append(Finding("ongelijke-waarden", "waarschuwing", item,
                               f"{item} heeft verschillende waarden in de productiviteitsnormen zonder dat de "
                               f"afweging het verschil verklaart", figures))
        else:
            out.append(Finding("ongelijke-waarden", "info", item,
                               f"{item} verschilt per productiviteitsnorm; elke waarde heeft een eigen afweging",
                               figures))
    return out


def tariff_benchmark_findings(region: Region, book: Any) -> tuple[list[Finding], int]:
    """Each general tariff outside the range of the published tariffs it is comparable to (benchmarks with
    ``compares``): a question to answer in the afweging, not an error. Minute products compare their hour tariff."""
    published = [b for b in region.benchmarks if getattr(b, "compares", None)]
    out: list[Finding] = []
    checked = 0
    for t in book.tariffs:
        if t.variant != checks.BASIS or t.micro or t.provider or t.addendum:
            continue
        prod = t.product.product
        unit = "uur" if prod.unit == "minuut" else prod.unit
        amount = t.hour_tariff if prod.unit == "minuut" else t.tariff_eur
        bench = [b for b in published if b.tariff_unit == unit and (prod.code in b.compares
                                                                      or prod.category in b.compares)]
        if amount is None or not bench:
            continue
        checked += 1
        low = min(_low(b) for b in bench)
        high = max(_high(b) for b in bench)
        if low <= amount <= high:
            continue
        nearest = sorted(bench, key=lambda b: (min(abs(amount - _low(b)), abs(amount - _high(b))), b.key))[:3]
        side = "boven" if amount > high else "onder"
        out.append(Finding(
            "tarief-buiten-waarneming", "waarschuwing", f"{prod.code}/{t.variant}" + (f"/{t.version}" if t.version else ""),
            f"{prod.code} {prod.name}: {eur(amount)} per {unit} ligt {side} de waargenomen bandbreedte "
            f"{eur(low)} - {eur(high)} van {len(bench)} vergelijkbare gepubliceerde tarieven; "
            f"dichtstbij: " + "; ".join(f"{b.key} {_range(b)}" for b in nearest),
            (("tarief", eur(amount)), ("waargenomen laag", eur(low)), ("waargenomen hoog", eur(high)),
             *((b.key, f"{_range(b)}{' (zwak)' if b.weak else ''}; {b.source}") for b in nearest))))
    return out, checked


def _low(b: Any) -> Decimal:
    return b.low if b.low is not None else (b.value if b.value is not None else b.high)


def _high(b: Any) -> Decimal:
    return b.high if b.high is not None else (b.value if b.value is not None else b.low)


def _range(b: Any) -> str:
    lo, hi = _low(b), _high(b)
    return eur(lo) if lo == hi else f"{eur(lo)} - {eur(hi)}"


def amvb_check(region: Region, register: list[RegisterEntry], day: dt.date) -> tuple[list[AmvbRow], list[Finding]]:
    """Per cost element of the AMvB reële prijs (Wmo art. 5.4 lid 3, Besluit Jeugdwet art. 2.3 lid 1): the
    parameters of the tariff year that address it; a finding for an element no parameter addresses."""
    from fnmatch import fnmatchcase

    factors = getattr(region, "amvb_factors", None)
    if factors is None:  # the region has not mapped its parameters to the elements: nothing to judge
        return [], []
    view = params(region.cost_model, day)
    valid = []
    for path in view.paths():  # the cost model's parameters with a value in the year
        try:
            view.get(path)
        except LookupError:
            continue
        valid.append(path)
    has_file = {"parameters/indexation.yaml": region.indexation is not None,
                "parameters/differentiation.yaml": region.differentiation is not None}
    cao_entries = sorted({f"{r.file}: {r.path}" for r in register if r.file.startswith("cao_tables/")})
    rows, out = [], []
    for f in factors.factors:
        found: list[str] = []
        for pattern in f.addressed_by:
            if pattern in has_file:
                found += [pattern] if has_file[pattern] else []
            elif pattern.startswith("cao_tables/"):
                found += [e for e in cao_entries if fnmatchcase(e.split(": ")[0], pattern)]
            else:
                found += [f"{COST_MODEL}: {p}" for p in valid if fnmatchcase(p, pattern)]
        found = list(dict.fromkeys(found))
        rows.append(AmvbRow(f.key, f.law, f.article, f.text, f.address, f.source, tuple(found), f.note or ""))
        if not found:
            out.append(Finding("amvb-reele-prijs", "waarschuwing", f.key,
                               f"{f.article} ({f.text}): geen parameter van het tariefjaar dekt dit kostprijselement"
                               + (f"; {f.note}" if f.note else ""),
                               (("artikel", f.article), ("adres", f.address), ("gezocht", ", ".join(f.addressed_by)))))
    return rows, out


COST_MODEL = "parameters/cost_model.yaml"


def finding(b: checks.Breach) -> Finding:
    """One rule's breach as the process monitor reads it."""
    if isinstance(b, checks.TwinCheaper):
        return Finding("perverse-prikkel", "waarschuwing", f"{b.code}/{b.cao}",
                       f"{b.code} is gespecialiseerder dan {b.twin} maar kost per direct personeelsuur minder "
                       f"({b.cao}): een prikkel om het lichtere product te leveren (TAR-16)",
                       (("per uur " + b.code, f"{excel_round(b.heavy, 2)}"),
                        ("per uur " + b.twin, f"{excel_round(b.light, 2)}")))
    if isinstance(b, checks.WageBelowScale):
        return Finding("loon-onder-cao", "waarschuwing", f"{b.cao}/{b.profile}",
                       f"het gewogen maandsalaris van {b.profile} ({b.cao}, schaal {b.scale}) ligt meer "
                       f"dan {_nl(((1 - b.floor) * 100).normalize())}% onder het gemiddelde van de schaal: een normaal "
                       f"opererende aanbieder "
                       f"betaalt meer (niet reëel)",
                       (("maandsalaris", eur(b.monthly)), ("schaalgemiddelde", eur(b.mean))))
    if isinstance(b, checks.BasisAbove):
        return Finding("basistarief", "fout", b.code, f"basistarief {b.basis.tariff_eur} ligt boven het laagste "
                       f"CAO-tarief" + (" (micro)" if b.micro else ""),
                       tuple((t.variant, f"{t.tariff_eur}") for t in b.below))
    if isinstance(b, checks.MicroAbove):
        return Finding("micro", "fout", f"{b.code}/{b.variant}",
                       f"micro-tarief {b.micro.tariff_eur} ligt boven het reguliere tarief {b.regular.tariff_eur}")
    t = b.row
    return Finding("indexatie-achter-cao", "waarschuwing", b.subject,
                   f"het geïndexeerde tarief ligt {_nl(excel_round(b.gap * 100, 2))}% onder een herberekening "
                   f"met de CAO-tabellen van {t.year}: de loonkosten worden niet meer gedekt",
                   (("geïndexeerd", eur(t.tariff_eur)), ("herberekend", eur(b.recalibrated))))


def build_audit(region: Region, year: int, known_on: dt.date | None = None, max_age: int | None = None) -> AuditReport:
    from tariefmodel.engine.book import price_book
    from tariefmodel.engine.variants import calibrated_book

    day = dt.date(year, 1, 1)
    book = price_book(region, year, known_on)
    indexed = any(t.steps for t in book.tariffs)
    recalibrated = calibrated_book(region, year) if indexed else None
    register = build_register(book, region)
    age = max_age if max_age is not None else region.info.audit_max_source_age_years
    threshold = checks.recalibration_threshold(region, year)
    findings: list[Finding] = []
    bench, n_bench = benchmark_findings(region, day, book)
    findings += bench
    findings += stale_findings(region, register, day, age)
    findings += wml_findings(region, year)
    findings += consistency_findings(region, day)
    published, n_published = tariff_benchmark_findings(region, book)
    findings += published
    amvb, amvb_findings = amvb_check(region, register, day)
    findings += amvb_findings
    # The rules of engine.checks on the same final book as validate's; the book's problems present
    # them for validate, so only its other notices join the findings here.
    ruled = checks.book_checks(region, book.tariffs, recalibrated.tariffs if recalibrated is not None else None,
                               threshold)
    findings += [finding(b) for b in ruled.breaches]
    presented = set(breach_problems(ruled.breaches, year, blocking=False))
    for p in book.problems:
        if p.severity == "warning" and p not in presented:
            findings.append(Finding("melding", "info", p.where, p.message))
    findings.sort(key=lambda f: (SEVERITIES.index(f.severity), f.kind, f.subject))
    contracts = []
    assumption_feeds = [r for r in register if r.assumption]
    for key, c in region.contracts.items():
        rows = [t for t in book.tariffs if t.product.contract == key]
        codes = {t.product.product.code for t in rows}
        amounts = [t.tariff_eur for t in rows]
        n_find = sum(1 for f in findings if f.subject.split("/")[0].split(".")[0] in codes)
        n_assume = sum(1 for r in assumption_feeds if any(feed.split("/")[0] in codes for feed in r.feeds))
        contracts.append(ContractSummary(key, c.name, c.law, len(codes), len(rows), min(amounts) if amounts else None,
                                         max(amounts) if amounts else None, n_find, n_assume))
    checked = {"benchmarks": n_bench, "gepubliceerde tarieven": n_published, "functieprofielen": ruled.profiles,
               "productvarianten": ruled.groups,
               "registerwaarden": len(register)}
    return AuditReport(region.info.name, year, findings, register, contracts, checked, amvb)
