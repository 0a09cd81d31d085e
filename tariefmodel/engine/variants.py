"""The whole tariff book of a year: every variant of every product, and the checks on it.

Per computed product, in this order:

* one tariff per applicable CAO (sector-specific, DIFF-02);
* the basistarief: the lowest of those, never an average (DIFF-03), for providers
  under no CAO or a CAO the region does not model;
* the same pair with the micro-enterprise overhead (DIFF-07), ``micro = true``;
* a provider-specific tariff per approved addendum valid in the year (DIFF-04/05);
* pgb tariffs: a share of the lowest in-kind tariff per pgb category, with exemptions.

Then the externally set tariffs (IDX-05): the general one and each provider's
phase-in path. Checks that must hold (basistarief and micro never above what they
derive from, engine.checks) are errors; requests that yield no tariff are listed.
``breach_problems`` presents what the rules of engine.checks find as problems.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from tariefmodel.data.money import excel_round
from tariefmodel.data.numbers import date, eur, num, pct
from tariefmodel.data.params import MissingValue, value_at
from tariefmodel.data.problems import InputError, Problem
from tariefmodel.data.region import BookProduct, Region, periods_overlap
from tariefmodel.engine.checks import (
    BASIS,
    BasisAbove,
    Breach,
    MicroAbove,
    TwinCheaper,
    WageBelowScale,
    basistarief_above_cao,
    micro_above_regular,
)
from tariefmodel.engine.pricing import (
    Book,
    DerivedTariff,
    FixedTariff,
    Pricer,
    Tariff,
    _once_per_cause,
    fixed_amount,
    fixed_terms,
    price_sector_tariffs,
    product_active,
)

DIFF_FILE = "parameters/differentiation.yaml"


# --------------------------------------------------------------------------- micro-enterprises


@dataclasses.dataclass(frozen=True, slots=True)
class MicroStatus:
    micro: bool
    reason: str


def micro_status(provider: Any, diff: Any, day: dt.date) -> MicroStatus:
    """Micro-enterprise: fewer than N employees and turnover and/or balance below the threshold (DIFF-07)."""
    max_emp = value_at(diff.micro_max_employees, day, "micro_max_employees", DIFF_FILE).value
    threshold = value_at(diff.micro_threshold_eur, day, "micro_threshold_eur", DIFF_FILE).value
    test = value_at(diff.micro_financial_test, day, "micro_financial_test", DIFF_FILE).value
    small = provider.employees < max_emp
    below = [provider.annual_turnover_eur < threshold, provider.balance_total_eur < threshold]
    financial = any(below) if test == "either" else all(below)
    joint = "of" if test == "either" else "en"
    staff = f"{provider.employees} werknemers ({'' if small else 'niet '}minder dan {max_emp})"
    money = (f"omzet {eur(provider.annual_turnover_eur)} {joint} balanstotaal "
             f"{eur(provider.balance_total_eur)} {'' if financial else 'niet '}onder {eur(threshold)}")
    if small and financial:
        return MicroStatus(True, f"micro-onderneming: {staff}; {money}")
    return MicroStatus(False, f"geen micro-onderneming: {staff}; {money}")


# --------------------------------------------------------------------------- variants


def basistarief(rows: list[Tariff]) -> Tariff:
    """The lowest of a product's CAO tariffs, as its own row; ties go to the first CAO listed."""
    lowest = min(rows, key=lambda t: t.tariff_eur)  # min() keeps the first of equal values
    listing = ", ".join(f"{t.cao} {eur(t.tariff_eur)}" for t in rows)
    return dataclasses.replace(lowest, variant=BASIS, kind=BASIS,
                               reason=f"laagste CAO-tarief ({lowest.cao}) van: {listing}")


def fixed_rows(bp: BookProduct, cao_rows: list[Tariff], fixed: Any, year: int) -> list[FixedTariff]:
    """A decided amount (vast bedrag) as every variant of the product: each CAO, the basistarief, and the
    same pair for micro-enterprises, all at the decided amount (a fixed amount does not differ by CAO or
    overhead). The rows keep their kinds (cao, basistarief), so annexes, budgets and indexation treat them
    like any other; the class and the source say where the value comes from."""
    terms = fixed_terms(fixed, bp.file, bp.product.code)
    why = f"vast bedrag {eur(fixed.amount)} {terms.period}" + (f" (besluit {terms.decided})" if terms.decided else "")
    flag = " (AANNAME)" if fixed.assumption else ""
    source = f"{fixed.source}{flag}"
    out: list[FixedTariff] = []
    for micro in (False, True):
        for t in cao_rows:
            out.append(FixedTariff(product=bp, variant=t.cao, cao=t.cao, year=year, micro=micro, kind="cao",
                                   tariff_eur=fixed.amount, reason=f"{why}; geldt voor elke CAO", source=source,
                                   entry=fixed))
        out.append(FixedTariff(product=bp, variant=BASIS, year=year, micro=micro, kind=BASIS, tariff_eur=fixed.amount,
                               reason=f"{why}; basistarief = het vaste bedrag", source=source, entry=fixed))
    return out


def _overlaps_year(start: dt.date, end: dt.date | None, year: int) -> bool:
    return periods_overlap(start, end, dt.date(year, 1, 1), dt.date(year, 12, 31))


# What an addendum overrides, in the regions' words (the keys stay the data's format).
OVERRIDE_TERMS = {"group_size": "groepsgrootte", "staff_hours_per_unit": "personele uren per eenheid"}
# An addendum request's decision, in Dutch.
DECISION_TERMS = {"requested": "aangevraagd", "advised": "geadviseerd", "approved": "goedgekeurd",
                  "rejected": "afgewezen"}


def _addendum_row(pricer: Pricer, region: Region, bp: BookProduct, add: Any, day: dt.date) -> Tariff:
    prov = region.providers[add.provider]
    status = micro_status(prov, region.differentiation, day)
    overrides = add.overrides
    kwargs = {"group_size": overrides.get("group_size"), "staff_hours": overrides.get("staff_hours_per_unit")}
    changed = ", ".join(f"{OVERRIDE_TERMS.get(k, k)} {v}" for k, v in overrides.items())
    decision = " ".join(x for x in ("besluit", add.decision.decided_by or "",
                                    date(add.decision.decided_on) if add.decision.decided_on else "") if x)
    validity = f"geldig {date(add.valid_from)} t/m {date(add.valid_until) if add.valid_until else 'onbepaald'}"
    reason = f"addendum {add.id}: {changed} ({add.reason}; {decision}; {validity})"
    if status.micro:
        reason += "; " + status.reason
    caos = bp.product.caos
    if prov.cao in caos:
        row = pricer.price(bp, prov.cao, micro=status.micro, provider=prov.key, kind="addendum",
                           reason=reason, **kwargs)
    else:
        rows = [pricer.price(bp, c, micro=status.micro, provider=prov.key, kind="addendum", **kwargs) for c in caos]
        lowest = min(rows, key=lambda t: t.tariff_eur)
        row = dataclasses.replace(lowest, variant=BASIS, reason=f"{reason}; basistarief ({lowest.cao})")
    row.addendum = add.id
    return row


def _pgb_rows(region: Region, bp: BookProduct, base: Tariff | DerivedTariff, day: dt.date,
             decimals: int) -> list[DerivedTariff]:
    diff = region.differentiation
    if diff is None or not diff.pgb_categories:
        return []
    exempt: list[str] = []
    if diff.pgb_exempt_products is not None:
        exempt = value_at(diff.pgb_exempt_products, day, "pgb_exempt_products", DIFF_FILE).value
    rows = []
    of = "het externe tarief" if base.kind == "extern" else "het laagste ZIN-tarief"
    for key, cat in diff.pgb_categories.items():
        use = value_at(cat.rate, day, f"pgb_categories.{key}.rate", DIFF_FILE)
        if bp.product.code in exempt:
            rate = Decimal(1)
            why = f"pgb {cat.label}: vrijgesteld, 100% van {of} {eur(base.tariff_eur)}"
        else:
            rate = use.value
            why = f"pgb {cat.label}: {pct(rate)} van {of} {eur(base.tariff_eur)}"
        # Rounded half up to cents, like every tariff; the base is already a rounded tariff.
        rows.append(DerivedTariff(product=bp, variant=f"pgb-{key}", year=base.year,
                                  tariff_eur=excel_round(base.tariff_eur * rate, decimals), kind="pgb",
                                  reason=why, rate=rate, base=base, source=use.entry.source))
    return rows


def _external_rows(region: Region, year: int, decimals: int) -> tuple[list[DerivedTariff], list[Problem]]:
    """The external tariffs of the year, with pgb rows for the products the region's pgb rule names."""
    rows: list[DerivedTariff] = []
    notes: list[Problem] = []
    day = dt.date(year, 1, 1)
    with_pgb: list[str] = []
    diff = region.differentiation
    if diff is not None and diff.pgb_external_products is not None:
        try:
            with_pgb = value_at(diff.pgb_external_products, day, "pgb_external_products", DIFF_FILE).value
        except MissingValue:
            with_pgb = []  # the rule starts later: no pgb rows for external tariffs yet
    for bp in region.external:
        ext = bp.product
        general = [v for v in ext.tariffs if v.year == year]
        if general:
            v = general[0]
            row = DerivedTariff(product=bp, variant="extern", year=year, tariff_eur=v.amount_eur, kind="extern",
                                reason=f"extern vastgesteld: {ext.follows}", source=_source(v))
            rows.append(row)
            if ext.code in with_pgb:
                rows.extend(_pgb_rows(region, bp, row, day, decimals))
        else:
            notes.append(Problem(bp.file, f"{ext.code}.tariffs", f"geen extern tarief voor {year}: er is geen rij voor dat jaar",
                                 severity="warning"))
        for ph in sorted(ext.phase_in, key=lambda p: p.provider):
            own = [v for v in ph.values if v.year == year]
            if own:
                v = own[0]
                rows.append(DerivedTariff(product=bp, variant="extern", year=year, tariff_eur=v.amount_eur,
                                          kind="extern", provider=ph.provider,
                                          reason=f"ingroeipad {ph.provider} naar het tarief van {ext.follows}",
                                          source=_source(v)))
    return rows, notes


def _source(v: Any) -> str:
    flag = " (AANNAME)" if v.assumption else ""
    dated = f", {date(v.source_date)}" if v.source_date else ""
    return f"{v.source}{dated}{flag}"


# --------------------------------------------------------------------------- checks


def breach_problems(breaches: list[Breach], year: int, *, blocking: bool) -> list[Problem]:
    """The book's presentation of what the rules in engine.checks find (``validate`` lists these).

    ``blocking``: a basistarief or micro tariff above what it derives from is an error while the
    book is built from costs; on the final (indexed) book it is reported, the tariffs stand.
    """
    out = []
    hard = "error" if blocking else "warning"
    for b in breaches:
        if isinstance(b, BasisAbove):
            out += [Problem(b.file, b.code, f"basistarief {b.basis.tariff_eur} ligt boven het {t.cao}-tarief "
                            f"{t.tariff_eur}: het basistarief hoort het laagste te zijn" + (" (micro)" if b.micro else ""), hard)
                    for t in b.below]
        elif isinstance(b, MicroAbove):
            out.append(Problem("parameters/cost_model.yaml", "overhead.rate_micro",
                               f"het microtarief van {b.code} / {b.variant} ({b.micro.tariff_eur}) ligt boven het "
                               f"gewone tarief ({b.regular.tariff_eur}): de overhead voor micro-ondernemingen mag "
                               f"niet hoger zijn dan de gewone overhead", hard))
        elif isinstance(b, TwinCheaper):
            out.append(Problem(b.file, f"{b.code}.lighter_twin",
                               f"{b.code} ({b.cao}) kost {excel_round(b.heavy, 2)} per personeelsuur, minder dan het "
                               f"lichtere product {b.twin} met {excel_round(b.light, 2)} in {year}: een perverse "
                               f"prikkel (TAR-16)", "warning"))
        elif isinstance(b, WageBelowScale):
            out.append(Problem(b.file, f"profiles.{b.profile}",
                               f"het gewogen maandsalaris van {b.profile} ({b.cao}, schaal {b.scale}) is "
                               f"{eur(b.monthly)}, meer dan {_pct_plain(1 - b.floor)} onder het schaalgemiddelde "
                               f"{eur(b.mean)} in {year}: niet reëel", "warning"))
        else:
            out.append(Problem(b.row.product.file, b.row.product.product.code,
                               f"het geïndexeerde tarief {b.row.variant} {eur(b.row.tariff_eur)} ligt "
                               f"{pct(b.gap, 2)} onder de herberekening {eur(b.recalibrated)} met de "
                               f"CAO-tabellen van {year}: herijk (tariefmodel recalibrate)", "warning"))
    return out


def _pct_plain(fraction: Decimal) -> str:
    """A fraction as a percentage with only the digits it has: 0.03 -> 3%, 0.025 -> 2,5%."""
    return num((fraction * 100).normalize()) + "%"


# --------------------------------------------------------------------------- the book


def calibrated_book(region: Region, year: int, param_year: int | None = None,
                    force: dict[str, str] | None = None) -> Book:
    """The book built up from the year's parameters and CAO tables (a recalibration)."""
    pricer, sector = price_sector_tariffs(region, year, param_year, force)
    day = pricer.params.day
    decimals = pricer.decimals
    groups: dict[tuple[str, str], list[Tariff]] = {}  # (code, version) -> CAO rows, in book order
    for t in sector:
        groups.setdefault((t.product.product.code, t.version), []).append(t)

    rows: list[Tariff | DerivedTariff] = []
    errors: list[Problem] = []
    notes: list[Problem] = []
    failures: list[tuple[Problem, str]] = []
    approved: dict[str, list[Any]] = {}
    for add in region.addenda:
        if not _overlaps_year(add.valid_from, add.valid_until, year):
            continue
        if add.decision.status != "approved":
            notes.append(Problem("parameters/addenda.yaml", add.id,
                                 f"addendumverzoek {add.id} ({add.provider} / {add.product}) is "
                                 f"{DECISION_TERMS.get(add.decision.status, add.decision.status)}: "
                                 f"geen aanbiederspecifiek tarief in tariefjaar {year}", severity="warning"))
            continue
        approved.setdefault(add.product, []).append(add)

    whitelist: list[str] = []
    if region.differentiation is not None:
        try:
            whitelist = value_at(region.differentiation.addendum_overridable, day, "addendum_overridable",
                                 DIFF_FILE).value
        except MissingValue as exc:
            if approved:
                errors.append(exc.problem)
        if region.providers:  # the micro rule must hold in every year a provider is priced for
            diff = region.differentiation
            for path in ("micro_max_employees", "micro_threshold_eur", "micro_financial_test"):
                try:
                    value_at(getattr(diff, path), day, path, DIFF_FILE)
                except MissingValue as exc:
                    errors.append(exc.problem)

    for (code, _version), cao_rows in groups.items():
        bp = cao_rows[0].product  # the product as this version has it
        first = len(rows)
        fixed = fixed_amount(bp, day)
        if fixed is not None:
            decided = fixed_rows(bp, cao_rows, fixed, year)
            rows.extend(decided)
            for add in approved.get(code, []):
                notes.append(Problem("parameters/addenda.yaml", add.id,
                                     f"{code} heeft in {year} een vast bedrag: addendum {add.id} geeft geen eigen "
                                     f"tarief", severity="warning"))
            try:
                rows.extend(_pgb_rows(region, bp, decided[len(cao_rows)], day, decimals))
            except MissingValue as exc:
                failures.append((exc.problem, f"{code}/pgb"))
            for t in rows[first:]:
                t.version, t.valid_from, t.valid_to = cao_rows[0].version, cao_rows[0].valid_from, cao_rows[0].valid_to
            continue
        base = basistarief(cao_rows)
        try:
            micro_rows = [pricer.price(bp, t.cao, micro=True, reason=f"CAO {t.cao}, micro-onderneming")
                          for t in cao_rows]
        except MissingValue as exc:
            failures.append((exc.problem, f"{code}/micro"))
            continue
        micro_base = basistarief(micro_rows)
        micro_base = dataclasses.replace(micro_base, reason=micro_base.reason + "; micro-onderneming")
        variants = [*cao_rows, base, *micro_rows, micro_base]
        errors.extend(breach_problems([*basistarief_above_cao(variants), *micro_above_regular(variants)], year,
                                      blocking=True))
        rows.extend(cao_rows)
        rows.append(base)
        rows.extend(micro_rows)
        rows.append(micro_base)
        for add in sorted(approved.get(code, []), key=lambda a: (a.provider, a.id)):
            bad = [k for k in add.overrides if k not in whitelist]
            if bad:
                errors.append(Problem("parameters/addenda.yaml", add.id,
                                      f"overrides {', '.join(bad)} staan niet in addendum_overridable voor {year}"))
                continue
            try:
                rows.append(_addendum_row(pricer, region, bp, add, day))
            except MissingValue as exc:
                failures.append((exc.problem, f"{code}/{add.id}"))
        try:
            rows.extend(_pgb_rows(region, bp, base, day, decimals))
        except MissingValue as exc:
            failures.append((exc.problem, f"{code}/pgb"))
        for t in rows[first:]:  # every variant of a version holds while the version holds
            t.version, t.valid_from, t.valid_to = cao_rows[0].version, cao_rows[0].valid_from, cao_rows[0].valid_to

    ext_rows, ext_notes = _external_rows(region, year, decimals)
    rows.extend(ext_rows)
    notes.extend(ext_notes)
    if failures:
        errors.extend(_once_per_cause(failures, year))
    if errors:
        raise InputError(errors + notes)
    return Book(year, rows, notes)


def _subtract(start: dt.date, end: dt.date, taken: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """The parts of [start, end] not covered by the ``taken`` periods."""
    pieces = [(start, end)]
    for a, b in sorted(taken):
        nxt = []
        for s, e in pieces:
            if b < s or a > e:
                nxt.append((s, e))
                continue
            if s < a:
                nxt.append((s, a - dt.timedelta(days=1)))
            if b < e:
                nxt.append((b + dt.timedelta(days=1), e))
        pieces = nxt
    return pieces


@dataclasses.dataclass(frozen=True)
class BookIndex:
    """The book's tariffs grouped the way ``provider_view`` looks them up: built in one pass, shared by providers.

    ``general``: the cao and basistarief tariffs per (product code, variant, micro); ``addenda``: per provider
    and product code its addenda; ``externs``: the externally set tariffs in book order, and ``extern_own``:
    per product code the providers that have a phase-in path of their own.
    """

    general: dict[tuple[str, str, bool], list[Any]]
    addenda: dict[str, dict[str, list[Any]]]
    externs: list[Any]
    extern_own: dict[str, set[str]]


def book_index(book: Book) -> BookIndex:
    """One pass over ``book``: what every ``provider_view`` of it needs (a register of 10,000 scans it once)."""
    general: dict[tuple[str, str, bool], list[Any]] = {}
    addenda: dict[str, dict[str, list[Any]]] = {}
    externs: list[Any] = []
    extern_own: dict[str, set[str]] = {}
    for t in book.tariffs:
        if isinstance(t, DerivedTariff) and not isinstance(t, FixedTariff):  # a fixed amount stands as a general row
            if t.kind == "extern":
                externs.append(t)
                if t.provider:
                    extern_own.setdefault(t.product.product.code, set()).add(t.provider)
            continue
        if t.kind == "addendum":
            addenda.setdefault(t.provider, {}).setdefault(t.product.product.code, []).append(t)
        elif t.kind in ("cao", BASIS):
            general.setdefault((t.product.product.code, t.variant, t.micro), []).append(t)
    return BookIndex(general, addenda, externs, extern_own)


def provider_view(region: Region, book: Book, provider_key: str,
                  index: BookIndex | None = None) -> list[tuple[Any, str]]:
    """Every tariff one provider gets in the book's year, with the reason for each choice.

    A provider's addenda replace its general tariff while they hold; the general tariff covers the
    rest of the year, and every version of a re-issued product is listed with its own validity.
    ``index`` is ``book_index(book)``, made once when many providers are asked for.
    """
    from tariefmodel.data.schema import NO_CAO

    idx = index if index is not None else book_index(book)
    prov = region.providers[provider_key]
    day = dt.date(book.year, 1, 1)
    status = micro_status(prov, region.differentiation, day) if region.differentiation is not None \
        else MicroStatus(False, "geen micro-regels")
    own_addenda = idx.addenda.get(provider_key, {})
    unmodelled = region.differentiation.unmodelled_caos if region.differentiation is not None else {}
    out: list[tuple[Any, str]] = []
    for bp in region.products:
        code = bp.product.code
        if bp.contract not in prov.contracts or not product_active(bp, day):
            continue
        if prov.cao in bp.product.caos:
            variant, why = prov.cao, f"opgegeven CAO {prov.cao} bij inschrijving"
        elif prov.cao == NO_CAO:
            variant, why = BASIS, "valt onder geen CAO: basistarief (laagste CAO-tarief)"
        elif prov.cao in unmodelled:
            variant, why = BASIS, f"{unmodelled[prov.cao]} rekent de regio niet mee: basistarief"
        else:
            variant, why = BASIS, f"CAO {prov.cao} geldt niet voor dit product: basistarief"
        if status.micro:
            why += "; " + status.reason
        addenda = own_addenda.get(code, [])
        taken = [(a.valid_from, a.valid_to) for a in addenda if a.valid_from and a.valid_to]
        pieces: list[tuple[Any, str]] = [(a, a.reason) for a in addenda]
        for t in idx.general.get((code, variant, status.micro), []):
            for a, b in _subtract(t.valid_from, t.valid_to, taken):
                general = t if (a, b) == (t.valid_from, t.valid_to) else dataclasses.replace(t, valid_from=a, valid_to=b)
                note = why + (f"; {t.version} per {date(t.valid_from)}" if t.version else "")
                if (a, b) != (t.valid_from, t.valid_to):
                    note += "; buiten de looptijd van het addendum"
                pieces.append((general, note))
        out.extend(sorted(pieces, key=lambda p: p[0].valid_from or day))
    for t in idx.externs:
        if t.product.contract in prov.contracts:
            own = provider_key in idx.extern_own.get(t.product.product.code, ())
            if t.provider == provider_key or (t.provider == "" and not own):
                out.append((t, t.reason))
    return out
